"""prebuild_fields: the fields DRF would build, built once per class and copied per instance."""

import contextlib
import copy
import datetime
import decimal
import gc
import json
import re
import types
import weakref
from unittest import mock

import django
import graphene
import pytest
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import QuerySet
from django.test import override_settings
from django.urls import include, path
from django.utils import translation
from django.utils.functional import Promise, SimpleLazyObject, cached_property, classproperty
from django.utils.translation import get_language, gettext_lazy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter
from rest_framework.utils.formatting import lazy_format

from drf_graphql_crud import (
    CreateMutation,
    DRFGraphQLView,
    ListField,
    RetrieveField,
    ViewSetCrud,
    fieldcache,
)
from drf_graphql_crud.fieldcache import (
    copier_for,
    copy_field,
    copy_for_reading,
    prebuild_fields,
)
from tests.factories import ProjectFactory, TaskFactory, UserFactory
from tests.parity import gql_post, rest_post
from tests.testapp.models import Project, Tag, Task
from tests.testapp.serializers import (
    DocumentSerializer,
    EchoSerializer,
    ProjectSerializer,
    SubtaskSerializer,
    TagSerializer,
    TaskReadSerializer,
    TaskSerializer,
    UserSerializer,
)

pytestmark = pytest.mark.django_db  # DRF's repr of a relational field reads its queryset

SERIALIZERS = [
    TaskSerializer,
    TaskReadSerializer,
    ProjectSerializer,
    DocumentSerializer,
    UserSerializer,
]


def described(serializer):
    """Every field's class and arguments (DRF's repr) and validators."""
    return {
        name: (repr(field), [described_validator(validator) for validator in field.validators])
        for name, field in serializer.fields.items()
    }


def described_validator(validator):
    queryset = getattr(validator, "queryset", None)
    return (
        type(validator).__name__,
        getattr(validator, "limit_value", None),
        str(getattr(validator, "message", None)),
        str(queryset.all().query) if queryset is not None else None,
    )


@pytest.mark.parametrize("serializer_class", SERIALIZERS)
def test_same_fields_as_drf_builds(serializer_class):
    for _ in range(3):  # the first call builds the prototype, the others copy it
        prebuilt = prebuild_fields(serializer_class(context={"request": None}))
        assert "fields" in vars(prebuilt)
        assert described(prebuilt) == described(serializer_class(context={"request": None}))
        assert all(field.parent is prebuilt for field in prebuilt.fields.values())


def test_instances_share_no_field():
    one = prebuild_fields(TaskSerializer())
    two = prebuild_fields(TaskSerializer())
    for name in one.fields:
        assert one.fields[name] is not two.fields[name]
        assert one.fields[name].validators is not two.fields[name].validators
    one.fields["title"].validators.append(lambda value: None)
    assert described(prebuild_fields(TaskSerializer())) == described(TaskSerializer())


def test_a_list_serializer_child_gets_them():
    many = prebuild_fields(TaskReadSerializer(many=True))
    assert "fields" in vars(many.child)
    assert described(many.child) == described(TaskReadSerializer())


def test_meta_changed_at_run_time_builds_new_fields():
    class TagNameSerializer(serializers.ModelSerializer):
        class Meta:
            model = Tag
            fields = ["id", "name"]

    assert list(prebuild_fields(TagNameSerializer()).fields) == ["id", "name"]
    TagNameSerializer.Meta.fields = ["name"]
    assert list(prebuild_fields(TagNameSerializer()).fields) == ["name"]
    TagNameSerializer.Meta.fields.append("id")  # changed in place, too
    assert list(prebuild_fields(TagNameSerializer()).fields) == ["name", "id"]
    TagNameSerializer.Meta.extra_kwargs = {"name": {"max_length": 5}}
    assert prebuild_fields(TagNameSerializer()).fields["name"].max_length == 5


class ContextualSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title"]

    def get_fields(self):
        fields = super().get_fields()
        if not self.context.get("staff"):
            fields.pop("title")
        return fields


class ContextualBuildSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title"]

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        kwargs["read_only"] = not self.context.get("staff")
        return field_class, kwargs


class FieldsInInitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "notes"]

    def __init__(self, *args, only=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in set(self.fields) - set(only or self.fields):
            self.fields.pop(name)


@pytest.mark.parametrize(
    ("serializer_class", "context"),
    [(ContextualSerializer, {"staff": True}), (ContextualBuildSerializer, {"staff": True})],
)
def test_serializers_with_their_own_build_build_as_drf_does(serializer_class, context):
    plain = prebuild_fields(serializer_class())
    assert "fields" not in vars(plain)
    staff = prebuild_fields(serializer_class(context=context))
    assert described(staff) == described(serializer_class(context=context))
    assert described(plain) == described(serializer_class())
    assert described(staff) != described(plain)


def test_fields_built_in_init_are_kept():
    serializer = prebuild_fields(FieldsInInitSerializer(only=["id"]))
    assert list(serializer.fields) == ["id"]


def test_url_field_name_set_as_get_fields_sets_it():
    for _ in range(2):
        assert prebuild_fields(ProjectSerializer()).url_field_name == "url"
    with override_settings(REST_FRAMEWORK={"URL_FIELD_NAME": "link"}):
        assert prebuild_fields(ProjectSerializer()).url_field_name == "link"


def test_not_a_model_serializer_is_left_alone():
    class Plain(serializers.Serializer):
        name = serializers.CharField()

    assert "fields" not in vars(prebuild_fields(Plain()))
    assert get_user_model()  # the user model is importable in this project


def test_validation_and_representation_unchanged(django_user_model):
    user = django_user_model.objects.create_user("ann", password="x")
    request = type("Request", (), {"user": user})()
    data = {"title": "ab", "status": "nope"}
    prebuilt = prebuild_fields(TaskSerializer(data=data, context={"request": request}))
    plain = TaskSerializer(data=data, context={"request": request})
    assert prebuilt.is_valid() is plain.is_valid() is False
    assert prebuilt.errors == plain.errors
    task = Task.objects.create(title="Write", owner=user)
    assert prebuild_fields(TaskReadSerializer(task)).data == TaskReadSerializer(task).data


# --------------------------------------------------------------------------- copy_field
#
# copy_field must give what copy.deepcopy gives (DRF re-instantiating the field from deep
# copies of its arguments): the same state, nothing shared with the prototype or another
# copy that DRF's copies do not share too, the same behaviour.


def shape(value, top=True):
    """A field's state as comparable data; a bound child's parent shown as a mark."""
    if isinstance(value, serializers.Field):
        state = {}
        for name, item in vars(value).items():
            if name == "_creation_counter":
                continue
            if name == "parent":
                state[name] = None if item is None else ("bound", type(item).__name__)
            else:
                state[name] = shape(item, top=False)
        return (type(value), state)
    if isinstance(value, Promise):
        return ("lazy", str(value))
    if isinstance(value, models.Field):
        return (type(value), value.name, value.max_length)
    if isinstance(value, lazy_format):
        return ("lazy_format", value.result, str(value.format_string), value.args, value.kwargs)
    if isinstance(value, SimpleLazyObject):
        pattern = value._setupfunc()
        return ("lazy object", pattern.pattern, pattern.flags)
    if isinstance(value, QuerySet):
        return ("queryset", value.model, str(value.query))
    if isinstance(value, dict):
        return {shape(key, False): shape(item, False) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return (type(value), [shape(item, False) for item in value])
    if isinstance(value, set | frozenset):
        return (type(value), sorted(map(repr, value)))
    if hasattr(value, "__dict__") and not isinstance(value, type | types.FunctionType):
        return (type(value), shape(vars(value), False))
    return value


def reachable(value, found=None):
    """The mutable objects reachable from a field (not through ``parent``), by id."""
    found = {} if found is None else found
    if isinstance(value, type | types.FunctionType | types.ModuleType | Promise | str | bytes):
        return found
    if isinstance(value, dict):
        found[id(value)] = value
        for key, item in value.items():
            reachable(key, found)
            reachable(item, found)
    elif isinstance(value, list | set):
        found[id(value)] = value
        for item in value:
            reachable(item, found)
    elif isinstance(value, tuple | frozenset):
        for item in value:
            reachable(item, found)
    elif isinstance(value, lazy_format):
        found[id(value)] = value
    elif hasattr(value, "__dict__") and id(value) not in found:
        found[id(value)] = value
        for name, item in vars(value).items():
            if name != "parent" and name != "model":
                reachable(item, found)
    return found


def assert_copies_as_drf(prototype):
    drf = [copy.deepcopy(prototype) for _ in range(2)]
    fast = [copy_field(prototype) for _ in range(2)]
    assert shape(fast[0]) == shape(drf[0]) == shape(fast[1])
    # Shared between two copies, or with the prototype: what DRF's copies share, no more.
    proto = reachable(prototype)
    drf_reach = [reachable(field) for field in drf]
    fast_reach = [reachable(field) for field in fast]
    assert fast_reach[0].keys() & fast_reach[1].keys() == drf_reach[0].keys() & drf_reach[1].keys()
    assert fast_reach[0].keys() & proto.keys() == drf_reach[0].keys() & proto.keys()
    # A fresh place in DRF's order of declaration, as a new instance would get.
    assert fast[1]._creation_counter > fast[0]._creation_counter > prototype._creation_counter
    return fast


def fast(prototype):
    return copier_for(prototype) is not copy.deepcopy


def prototypes_of(serializer_class):
    """The unbound fields ``get_fields`` builds: what prebuild_fields keeps and copies."""
    return copy.deepcopy(serializer_class(context={"request": None}).get_fields())


ECHO_FIELDS = copy.deepcopy(EchoSerializer._declared_fields)


@pytest.mark.parametrize("name", list(ECHO_FIELDS))
def test_every_drf_field_class_copies_as_deepcopy(name):
    prototype = ECHO_FIELDS[name]
    assert fast(prototype) is (name not in ("file_path",))  # FilePathField reads the disk
    assert_copies_as_drf(prototype)


@pytest.mark.parametrize("serializer_class", [*SERIALIZERS, TagSerializer, SubtaskSerializer])
def test_model_serializer_fields_copy_as_deepcopy(serializer_class):
    for name, prototype in prototypes_of(serializer_class).items():
        assert fast(prototype), name  # every field a ModelSerializer builds takes the fast path
        assert_copies_as_drf(prototype)


def validator_ids(field):
    """The ids of the validators in a field and its nested fields, by path."""
    found = {}
    for name, item in vars(field).items():
        if name == "_validators":
            found[name] = [id(validator) for validator in item]
        elif isinstance(item, serializers.Field) and name != "parent":
            found.update({f"{name}.{key}": ids for key, ids in validator_ids(item).items()})
    return found


@pytest.mark.parametrize(
    "prototype",
    [
        *ECHO_FIELDS.values(),
        *(
            field
            for serializer_class in (*SERIALIZERS, TagSerializer, SubtaskSerializer)
            for field in prototypes_of(serializer_class).values()
        ),
    ],
)
def test_copies_for_reading_share_only_their_own_validators(prototype):
    """Rendering never runs a validator: read copies share one set, made apart from the rest."""
    copier = copier_for(prototype)
    readers = [copy_for_reading(copier, prototype) for _ in range(2)]
    writer = copier(prototype)
    # The same field as any other copy, validators included (as values).
    assert shape(readers[0]) == shape(writer) == shape(readers[1])
    assert readers[1]._creation_counter > readers[0]._creation_counter
    made = {name: ids for name, ids in validator_ids(readers[0]).items() if ids}
    if copier is copy.deepcopy or not made:
        return
    # One set for every read copy, in lists of their own.
    assert validator_ids(readers[1]) == validator_ids(readers[0])
    assert readers[1].validators is not readers[0].validators
    # Shared with the prototype or a writer only what DRF's own copies share with it.
    drf_shared = {
        name: set(ids) & set(validator_ids(copy.deepcopy(prototype)).get(name, ()))
        for name, ids in validator_ids(prototype).items()
    }
    for other in (prototype, writer):
        for name, ids in validator_ids(other).items():
            assert set(made.get(name, ())) & set(ids) <= drf_shared.get(name, set())


def test_a_read_copy_renders_as_a_deepcopy():
    instance = TaskFactory.build(title="Tea", notes="green")
    for name, prototype in prototypes_of(TaskSerializer).items():
        if name in ("tags", "subtasks", "owner", "project", "id") or isinstance(
            prototype, serializers.SerializerMethodField
        ):
            continue  # relations need a saved row, a method its serializer
        reader = copy_for_reading(copier_for(prototype), prototype)
        reference = copy.deepcopy(prototype)
        for field in (reader, reference):
            field.bind(name, serializers.Serializer())
        assert reader.to_representation(
            reader.get_attribute(instance)
        ) == reference.to_representation(reference.get_attribute(instance))


class Stateful(serializers.CharField):
    """A subclass may set anything in ``__init__``: copied by DRF's deepcopy."""

    def __init__(self, **kwargs):
        self.seen = []
        super().__init__(**kwargs)


class OwnInitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]

    def __init__(self, *args, **kwargs):
        self.extra = kwargs.pop("extra", [])
        super().__init__(*args, **kwargs)


def shout(value):
    return None


ODD_FIELDS = {
    "mutable default": serializers.ListField(
        child=serializers.CharField(), default=[["a"]], required=False
    ),
    "mutable default, twice stored": serializers.BooleanField(default=[True]),
    "style and messages": serializers.CharField(
        style={"input_type": "password"},
        error_messages={"blank": "Say something."},
        help_text=gettext_lazy("Helpful."),
        label="Label",
    ),
    "given validators": serializers.CharField(validators=[shout], max_length=5, min_length=2),
    "email": serializers.EmailField(max_length=50),
    "unicode slug": serializers.SlugField(allow_unicode=True),
    "regex": serializers.RegexField(re.compile(r"^\d+$"), max_length=4),
    "bounded list": serializers.ListField(
        child=serializers.IntegerField(min_value=0), min_length=1, max_length=3
    ),
    "list, default child": serializers.ListField(),
    "bounded decimal": serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=decimal.Decimal("1.5"), max_value=100
    ),
    "bounded duration": serializers.DurationField(max_value=datetime.timedelta(days=1)),
    "bounded float": serializers.FloatField(min_value=0.5, max_value=2.5),
    "grouped choices": serializers.ChoiceField(
        choices=[("Group", [(1, "One"), (2, "Two")]), (3, "Three")], allow_blank=True
    ),
    "choices positional": serializers.ChoiceField(["a", "b"]),
    "nullable boolean": serializers.BooleanField(allow_null=True),
    "current user": serializers.HiddenField(default=serializers.CurrentUserDefault()),
    "create only": serializers.CharField(
        default=serializers.CreateOnlyDefault("x"), required=False
    ),
    "callable default": serializers.DateTimeField(default=datetime.datetime.now),
    "date default": serializers.DateField(default=datetime.date(2026, 1, 1)),
    "input formats": serializers.DateField(input_formats=["%d.%m.%Y"], format="%d.%m.%Y"),
    "queryset": serializers.PrimaryKeyRelatedField(queryset=Tag.objects.filter(name="a")),
    "manager": serializers.PrimaryKeyRelatedField(queryset=Tag.objects),
    "many": serializers.PrimaryKeyRelatedField(many=True, queryset=Tag.objects.all()),
    "many slugs": serializers.SlugRelatedField(
        many=True, slug_field="name", queryset=Tag.objects, allow_empty=False
    ),
    "hyperlinked": serializers.HyperlinkedRelatedField(view_name="tag-detail", read_only=True),
    "identity": serializers.HyperlinkedIdentityField(view_name="tag-detail"),
    "string": serializers.StringRelatedField(many=True),
    "method": serializers.SerializerMethodField("compute"),
    "json": serializers.JSONField(encoder=DjangoJSONEncoder, binary=True),
    "model field": serializers.ModelField(model_field=Tag._meta.get_field("name"), max_length=9),
    "subclass": Stateful(max_length=3),
    "nested": ProjectSerializer(read_only=True),
    "nested many, bounded": TagSerializer(many=True, max_length=2, allow_empty=False),
    "nested with context": TagSerializer(context={"a": [1]}, required=False),
    "nested with data": TagSerializer(data={"name": ["x"]}),
    "nested with own init": OwnInitSerializer(extra=[1]),
    "nested of nested": TaskReadSerializer(required=False),
}
FALLBACK = {"model field", "subclass", "nested with own init", "choices positional"}


@pytest.mark.parametrize("name", list(ODD_FIELDS))
def test_unusual_fields_copy_as_deepcopy(name):
    prototype = ODD_FIELDS[name]
    assert fast(prototype) is (name not in FALLBACK)
    assert_copies_as_drf(prototype)


@pytest.mark.parametrize(
    "name", ["given validators", "grouped choices", "style and messages", "mutable default"]
)
def test_a_copy_changed_in_place_changes_nothing_else(name):
    prototype = ODD_FIELDS[name]
    before = shape(prototype)
    one, two = copy_field(prototype), copy_field(prototype)
    reference = shape(two)
    one.validators.append(shout)
    one.validators[0] = None
    one.error_messages["required"] = "changed"
    one.style["extra"] = 1
    one._kwargs["changed"] = True
    for attribute in ("choice_strings_to_values", "grouped_choices", "_choices", "default"):
        value = getattr(one, attribute, None)
        if isinstance(value, dict):
            value["changed"] = 1
        elif isinstance(value, list):
            value.append("changed")
    assert shape(prototype) == before
    assert shape(two) == reference


def test_nested_copies_are_their_own_and_bound_to_their_parent():
    one = copy_field(ODD_FIELDS["nested many, bounded"])
    two = copy_field(ODD_FIELDS["nested many, bounded"])
    assert one.child.parent is one and two.child.parent is two
    assert one.child is not two.child and one.child._kwargs is not two.child._kwargs
    many = copy_field(ODD_FIELDS["many"])
    assert many.child_relation.parent is many
    assert many._kwargs["child_relation"] is many.child_relation
    listed = copy_field(ODD_FIELDS["bounded list"])
    assert listed.child.parent is listed and listed._kwargs["child"] is listed.child
    nested = copy_field(ODD_FIELDS["nested with context"])
    assert nested._context == {"a": [1]} and nested._kwargs["context"] is nested._context
    assert nested._context["a"] is not ODD_FIELDS["nested with context"]._context["a"]
    assert "fields" not in vars(nested)  # built when first used, as DRF builds them


def test_a_prototype_whose_message_was_formatted_is_deep_copied():
    prototype = serializers.IntegerField(max_value=5)
    copier = copier_for(prototype)
    str(prototype.validators[0].message)  # not the state __init__ leaves: DRF's way then
    assert shape(copier(prototype)) == shape(copy.deepcopy(prototype))
    assert copier_for(prototype) is copy.deepcopy


def test_a_used_prototype_is_deep_copied():
    bound = serializers.CharField()
    bound.bind("name", serializers.Serializer())
    used = TagSerializer(data={"name": "x"})
    used.is_valid()
    lazy_keys = serializers.ChoiceField(choices=[(gettext_lazy("a"), "A")])
    for field in (bound, used, lazy_keys):
        assert copier_for(field) is copy.deepcopy


def test_querysets_are_copied_unevaluated():
    prototype = ODD_FIELDS["queryset"]
    copied = copy_field(prototype)
    assert copied.queryset is not prototype.queryset
    assert copied._kwargs["queryset"] is copied.queryset
    Tag.objects.create(name="a")
    assert list(copied.queryset) == list(Tag.objects.filter(name="a"))
    assert prototype.queryset._result_cache is None
    manager = copy_field(ODD_FIELDS["manager"])
    assert manager.queryset is not Tag.objects and manager.queryset.model is Tag
    assert list(manager.get_queryset()) == list(Tag.objects.all())


def test_messages_follow_the_language_of_each_request():
    """DRF's fields format a message lazily and keep the text: copies must not share it."""
    prototype = serializers.CharField(max_length=2)
    with translation.override("fr"):
        french = copy_field(prototype)
        with pytest.raises(serializers.ValidationError) as raised:
            french.run_validation("abc")
        assert "2" in str(raised.value.detail[0]) and "Assurez" in str(raised.value.detail[0])
    with translation.override("en"):
        english = copy_field(prototype)
        with pytest.raises(serializers.ValidationError) as raised:
            english.run_validation("abc")
        assert str(raised.value.detail[0]) == "Ensure this field has no more than 2 characters."


@pytest.mark.parametrize("name", [*ECHO_FIELDS, *ODD_FIELDS])
def test_validation_and_representation_as_deepcopy(name, django_user_model):
    prototype = {**ECHO_FIELDS, **ODD_FIELDS}[name]
    user = django_user_model.objects.create_user("ann", password="x")
    request = type("Request", (), {"user": user})()

    def outcome(field):
        holder = serializers.Serializer(context={"request": request})
        holder.fields["value"] = field
        results = []
        for data in ["", "abc", "12", 3, None, [1, "x"], {"name": "x"}, "2026-01-01"]:
            try:
                results.append(("ok", repr(field.run_validation(data))))
            except serializers.ValidationError as error:
                results.append(("invalid", repr(error.detail), repr(error.get_codes())))
            except Exception as error:  # noqa: BLE001 - the same failure is what matters
                results.append(("error", type(error).__name__))
        return results

    assert outcome(copy_field(prototype)) == outcome(copy.deepcopy(prototype))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    kwargs=st.fixed_dictionaries(
        {},
        optional={
            "max_length": st.integers(0, 50),
            "min_length": st.integers(0, 5),
            "allow_blank": st.booleans(),
            "allow_null": st.booleans(),
            "trim_whitespace": st.booleans(),
            "style": st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
            "error_messages": st.dictionaries(
                st.sampled_from(["blank", "null", "max_length"]), st.text(max_size=5)
            ),
            "label": st.text(max_size=5),
            "initial": st.text(max_size=3),
            "default": st.one_of(
                st.text(max_size=3), st.lists(st.lists(st.integers(), max_size=2), max_size=2)
            ),
            "validators": st.just([shout]),
        },
    ),
    field_class=st.sampled_from(
        [serializers.CharField, serializers.EmailField, serializers.SlugField]
    ),
)
def test_any_character_field_copies_as_deepcopy(kwargs, field_class):
    if "default" in kwargs:
        kwargs["required"] = False
    assert_copies_as_drf(field_class(**kwargs))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    choices=st.lists(
        st.one_of(
            st.integers(),
            st.tuples(st.text(max_size=3), st.text(max_size=3)),
            st.tuples(
                st.text(max_size=3),
                st.lists(st.tuples(st.integers(), st.text(max_size=3)), max_size=3).map(tuple),
            ),
        ),
        max_size=5,
    ),
    many=st.booleans(),
)
def test_any_choices_copy_as_deepcopy(choices, many):
    field_class = serializers.MultipleChoiceField if many else serializers.ChoiceField
    assert_copies_as_drf(field_class(choices=choices))


def test_prebuild_fields_copies_through_the_fast_path():
    prebuild_fields(TaskReadSerializer())
    entry = fieldcache._prototypes[TaskReadSerializer][get_language()]
    copiers = [copier for _, copier in entry[1].values()]
    assert all(copier is not copy.deepcopy for copier in copiers)


@pytest.mark.django_db
def test_prototypes_are_per_language():
    """DRF fills ``UniqueValidator``'s message in while it builds the fields: a prototype made
    under one language must not answer in it a request in another, as REST never does."""
    from tests.testapp.models import Project
    from tests.testapp.serializers import ProjectSerializer

    Project.objects.create(slug="taken", name="Taken")
    messages = {}
    for language in ("de", "en", "de"):
        with translation.override(language):
            serializer = prebuild_fields(ProjectSerializer(data={"slug": "taken", "name": "x"}))
            assert not serializer.is_valid()
            messages.setdefault(language, set()).add(str(serializer.errors["slug"][0]))
    assert len(messages["de"]) == 1 and len(messages["en"]) == 1
    assert messages["de"] != messages["en"]
    assert messages["en"] == {"project with this slug already exists."}


# --------------------------------------------------------------------------- built per request
# What REST takes anew for every serializer it builds must not be frozen in a prototype: the
# classes below build their fields from something else than their class, so the library
# leaves them to DRF (the fields are as REST's, request by request).


class StaffNotesSerializer(serializers.ModelSerializer):
    """``notes`` for staff only, dropped from the ``fields`` cached_property for others."""

    class Meta:
        model = Task
        fields = ["id", "title", "notes"]

    @cached_property
    def fields(self):
        fields = super().fields
        request = self.context.get("request")
        if request is not None and not request.user.is_staff:
            fields.pop("notes", None)
        return fields


class StaffNotesViewSet(viewsets.ModelViewSet):
    serializer_class = StaffNotesSerializer
    queryset = Task.objects.order_by("pk")


class CreateStaffNotes(CreateMutation):
    class Meta:
        serializer_class = StaffNotesSerializer


class LimitedTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "project", "status"]


class LimitedTaskViewSet(viewsets.ModelViewSet):
    serializer_class = LimitedTaskSerializer
    queryset = Task.objects.order_by("pk")


class CreateLimitedTask(CreateMutation):
    class Meta:
        serializer_class = LimitedTaskSerializer


#: Serializer classes a viewset made per request (weakly held: are they let go?), once the
#: test turns it on (the schema's build takes the class the viewset starts from).
MADE_PER_REQUEST: list[weakref.ref] = []
MAKING = {"on": False}


class PerRequestClassViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.order_by("pk")

    def get_serializer_class(self):
        if not MAKING["on"]:
            return LimitedTaskSerializer
        meta = type("Meta", (LimitedTaskSerializer.Meta,), {"read_only_fields": ["status"]})
        made = type("PerRequestSerializer", (LimitedTaskSerializer,), {"Meta": meta})
        MADE_PER_REQUEST.append(weakref.ref(made))
        return made


staff_notes_crud = ViewSetCrud(StaffNotesViewSet, name="staffNote")
per_request_crud = ViewSetCrud(PerRequestClassViewSet, name="made")


class Query(staff_notes_crud.Query, per_request_crud.Query, graphene.ObjectType):
    note_task = RetrieveField(StaffNotesSerializer, queryset=Task.objects.all())
    note_tasks = ListField(StaffNotesSerializer, queryset=Task.objects.order_by("pk"))


class Mutation(staff_notes_crud.Mutation, graphene.ObjectType):
    create_staff_notes = CreateStaffNotes.Field()
    create_limited_task = CreateLimitedTask.Field()


router = DefaultRouter()
router.register("staff-notes", StaffNotesViewSet, basename="staff-notes")
router.register("limited-tasks", LimitedTaskViewSet, basename="limited-task")
urlpatterns = [
    path("api/", include(router.urls)),
    path(
        "graphql/",
        DRFGraphQLView.as_view(schema=graphene.Schema(query=Query, mutation=Mutation)),
    ),
]


@pytest.fixture
def plain_client(client):
    client.force_login(UserFactory(username="plain", is_staff=False))
    return client


@pytest.mark.urls(__name__)
def test_a_fields_cached_property_of_its_own_runs_per_request(plain_client):
    """REST neither shows nor writes ``notes`` for a non-staff user; GraphQL reads and
    writes through the same override (it was shadowed by the prebuilt fields)."""
    task = TaskFactory(notes="secret")
    assert "notes" not in plain_client.get(f"/api/staff-notes/{task.pk}/").json()
    for query in (
        f'{{ noteTask(id: "{task.pk}") {{ id title }} }}',
        "{ noteTasks { results { id title } } }",
        f'{{ staffNote(id: "{task.pk}") {{ id title }} }}',
        "{ staffNotes { results { id title } } }",
    ):
        _, body = gql_post(plain_client, query.replace("title", "notes"))
        assert "secret" not in json.dumps(body), (query, body)

    status, rest = rest_post(plain_client, "/api/staff-notes/", {"title": "r", "notes": "x"})
    assert status == 201 and "notes" not in rest
    for mutation in ("createStaffNotes", "createStaffNote"):  # the mutation's, the viewset's
        _, body = gql_post(
            plain_client,
            f"mutation($i: StaffNotesInput!) {{ {mutation}(input: $i) {{ __typename }} }}",
            {"i": {"title": mutation, "notes": "written"}},
        )
        assert body.get("errors") is None, body
        assert Task.objects.get(title=mutation).notes == ""  # as REST: not a field for them


@contextlib.contextmanager
def project_limited_to(prefix_of):
    """Task.project with a callable ``limit_choices_to`` (Django's documented form, for a
    date or the current user), made after the model was first used: tests start over."""
    remote = Task._meta.get_field("project").remote_field
    saved = remote.limit_choices_to
    remote.limit_choices_to = lambda: {"slug__startswith": prefix_of["now"]}
    fieldcache.clear()
    try:
        yield
    finally:
        remote.limit_choices_to = saved
        fieldcache.clear()


@pytest.mark.urls(__name__)
def test_a_callable_limit_choices_to_is_called_per_request(client):
    old, new = ProjectFactory(slug="open-old"), ProjectFactory(slug="new-one")
    create = "mutation($i: LimitedTaskInput!) { createLimitedTask(input: $i) { __typename } }"
    prefix = {"now": "open-"}
    with project_limited_to(prefix):
        status, _ = rest_post(client, "/api/limited-tasks/", {"title": "r", "project": old.pk})
        _, body = gql_post(client, create, {"i": {"title": "g", "project": str(old.pk)}})
        assert status == 201 and body.get("errors") is None, body
        prefix["now"] = "new-"  # the next day, or another user
        status, _ = rest_post(client, "/api/limited-tasks/", {"title": "r", "project": old.pk})
        _, body = gql_post(client, create, {"i": {"title": "late", "project": str(old.pk)}})
        assert status == 400
        assert body["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR", body
        assert not Task.objects.filter(title="late").exists()
        _, body = gql_post(client, create, {"i": {"title": "g", "project": str(new.pk)}})
        assert body.get("errors") is None, body


def test_serializers_that_pick_no_limited_rows_keep_their_prototype():
    """Only a writable relation takes ``limit_choices_to``: a serializer without the field,
    or reading it only, keeps copying its fields from the prototype."""

    class TitlesSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["id", "title"]

    class ReadProjectSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["id", "title", "project"]
            read_only_fields = ["project"]

    with project_limited_to({"now": "open-"}):
        for serializer_class in (TitlesSerializer, ReadProjectSerializer, TaskReadSerializer):
            assert fieldcache.fields_from_class(prebuild_fields(serializer_class()))
        assert not fieldcache.fields_from_class(prebuild_fields(LimitedTaskSerializer()))


@pytest.mark.skipif(django.VERSION < (5, 0), reason="Django < 5.0 has no callable choices")
def test_callable_model_choices_are_evaluated_per_build():
    """Django >= 5.0 ``choices=callable``: DRF's ChoiceField takes what it gives at each
    build, so a choice withdrawn since the first build is refused."""
    allowed = ["todo", "in_progress", "done"]
    field = Task._meta.get_field("status")
    saved = field.choices
    field.choices = lambda: [(value, value) for value in allowed]
    fieldcache.clear()
    try:
        data = {"title": "t", "status": "done"}
        assert prebuild_fields(LimitedTaskSerializer(data=data)).is_valid()
        allowed.remove("done")
        serializer = prebuild_fields(LimitedTaskSerializer(data=data))
        assert not serializer.is_valid()
        assert serializer.errors["status"][0].code == "invalid_choice"
    finally:
        field.choices = saved
        fieldcache.clear()


def writable(serializer):
    return sorted(name for name, field in serializer.fields.items() if not field.read_only)


def test_a_meta_option_computed_when_read_is_read_per_build():
    locked = {"notes": False}

    class SwitchedSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["id", "title", "notes"]

            @classproperty
            def read_only_fields(cls):  # noqa: N805 - a classproperty
                return ["notes"] if locked["notes"] else []

    assert writable(prebuild_fields(SwitchedSerializer())) == ["notes", "title"]
    locked["notes"] = True
    assert writable(prebuild_fields(SwitchedSerializer())) == ["title"]


def test_a_hook_set_on_the_instance_is_left_to_drf():
    class PerCallerSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["id", "title", "notes"]

        def __init__(self, *args, locked=(), **kwargs):
            super().__init__(*args, **kwargs)
            own = self.get_extra_kwargs
            self.get_extra_kwargs = lambda: {**own(), **{n: {"read_only": True} for n in locked}}

    assert writable(prebuild_fields(PerCallerSerializer())) == ["notes", "title"]
    assert writable(prebuild_fields(PerCallerSerializer(locked=["notes"]))) == ["title"]


def test_hooks_and_class_settings_changed_after_first_use_are_seen():
    class ChangedSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["id", "title", "notes", "project"]

    class ProjectKey(serializers.PrimaryKeyRelatedField):
        pass

    prebuild_fields(ChangedSerializer())
    drf_extra_kwargs = serializers.ModelSerializer.get_extra_kwargs

    def get_extra_kwargs(self):
        return {**drf_extra_kwargs(self), "notes": {"read_only": True}}

    with mock.patch.object(ChangedSerializer, "get_extra_kwargs", get_extra_kwargs):
        assert writable(prebuild_fields(ChangedSerializer())) == ["project", "title"]
    ChangedSerializer.serializer_related_field = ProjectKey
    assert type(prebuild_fields(ChangedSerializer()).fields["project"]) is ProjectKey


@pytest.mark.urls(__name__)
def test_serializer_classes_made_per_request_are_let_go(client):
    """A viewset's ``get_serializer_class()`` may make a class per request; REST lets each
    go with its request, and so must the prototypes."""
    TaskFactory()
    MADE_PER_REQUEST.clear()
    MAKING["on"] = True
    try:
        for _ in range(3):
            _, body = gql_post(client, "{ mades { results { id title } } }")
            assert body.get("errors") is None, body
    finally:
        MAKING["on"] = False
    assert len(MADE_PER_REQUEST) >= 3
    gc.collect()
    assert [ref for ref in MADE_PER_REQUEST if ref() is not None] == []


def test_a_prototype_built_across_a_settings_change_is_not_kept():
    """DRF's settings changed (another thread's override_settings) while this serializer's
    fields were built: they serve this instance, and no prototype keeps them."""

    class TagNames(serializers.ModelSerializer):
        class Meta:
            model = Tag
            fields = ["id", "name"]

    drf_get_fields = serializers.ModelSerializer.get_fields

    def get_fields_across_a_change(self):
        fields = drf_get_fields(self)
        fieldcache.clear()  # the change lands while the fields are built
        return fields

    # Still DRF's build as far as the cache can tell: the hook it compares is this one.
    hooks = tuple(
        (name, get_fields_across_a_change if name == "get_fields" else hook)
        for name, hook in fieldcache._DRF_HOOKS
    )
    with (
        mock.patch.object(serializers.ModelSerializer, "get_fields", get_fields_across_a_change),
        mock.patch.object(fieldcache, "_DRF_HOOKS", hooks),
    ):
        serializer = prebuild_fields(TagNames())
    assert sorted(serializer.fields) == ["id", "name"]
    assert TagNames not in fieldcache._prototypes
    assert fieldcache.fields_from_class(prebuild_fields(TagNames()))  # the next build keeps


# ------------------------------------------------------------- drf-writable-nested's items


@contextlib.contextmanager
def saves_of(serializer_class):
    """Records, for every ``save()`` of a ``serializer_class`` instance, whether its fields
    came from the class's prototype."""
    seen = []
    original = serializer_class.save

    def save(self, **kwargs):
        seen.append(fieldcache.fields_from_class(self))
        return original(self, **kwargs)

    with mock.patch.object(serializer_class, "save", save):
        yield seen


CREATE_WITH_SUBTASKS = (
    "mutation($input: TaskInput!) { createTask(input: $input) "
    "{ task { title subtasks { title done } } } }"
)


def test_nested_items_saved_by_drf_writable_nested_get_prototypes(client):
    """It saves each nested item through a serializer of its own: built from the prototype
    under GraphQL, by DRF under REST, with the same rows and answer."""
    client.force_login(UserFactory())
    subtasks = [{"title": "a"}, {"title": "b", "done": True}]
    with saves_of(SubtaskSerializer) as seen:
        status, body = gql_post(
            client, CREATE_WITH_SUBTASKS, {"input": {"title": "Parent", "subtasks": subtasks}}
        )
    assert (status, seen) == (200, [True, True])
    assert body == {
        "data": {
            "createTask": {
                "task": {
                    "title": "Parent",
                    "subtasks": [{**subtasks[0], "done": False}, subtasks[1]],
                }
            }
        }
    }
    with saves_of(SubtaskSerializer) as seen:
        status, rest = rest_post(client, "/api/tasks/", {"title": "Parent", "subtasks": subtasks})
    assert (status, seen) == (201, [False, False])
    assert [(s["title"], s["done"]) for s in rest["subtasks"]] == [("a", False), ("b", True)]
    first, second = Task.objects.order_by("pk")
    assert list(first.subtasks.values_list("title", "done").order_by("pk")) == list(
        second.subtasks.values_list("title", "done").order_by("pk")
    )


def test_each_item_of_a_nested_bulk_create_gets_prototypes(client):
    """A bulk create saves each item through a serializer of its own (its nested rows need
    its input), and each of those saves its nested items through their own."""
    client.force_login(UserFactory())
    with saves_of(TaskSerializer) as tasks_seen, saves_of(SubtaskSerializer) as subtasks_seen:
        status, body = gql_post(
            client,
            "mutation($input: [TaskInput!]!) { bulkCreateTask(input: $input) "
            "{ tasks { title subtasks { title } } } }",
            {"input": [{"title": "First"}, {"title": "Second", "subtasks": [{"title": "s"}]}]},
        )
    assert body == {
        "data": {
            "bulkCreateTask": {
                "tasks": [
                    {"title": "First", "subtasks": []},
                    {"title": "Second", "subtasks": [{"title": "s"}]},
                ]
            }
        }
    }
    assert (tasks_seen, subtasks_seen) == ([True, True], [True])


class RenamingSubtasksSerializer(TaskSerializer):
    """A project's own ``_get_serializer_for_field``: what it returns is what saves."""

    made = []

    def _get_serializer_for_field(self, field, **kwargs):
        kwargs["data"] = {**kwargs["data"], "title": kwargs["data"]["title"].upper()}
        serializer = super()._get_serializer_for_field(field, **kwargs)
        self.made.append(serializer)
        return serializer


def test_a_projects_own_item_serializer_maker_is_used():
    RenamingSubtasksSerializer.made = []
    data = {"title": "Parent", "subtasks": [{"title": "a"}]}
    request = types.SimpleNamespace(user=UserFactory())
    serializer = prebuild_fields(
        RenamingSubtasksSerializer(data=data, context={"request": request})
    )
    serializer.is_valid(raise_exception=True)
    task = serializer.save()
    assert list(task.subtasks.values_list("title", flat=True)) == ["A"]
    [made] = RenamingSubtasksSerializer.made
    assert fieldcache.fields_from_class(made)


def test_an_item_serializer_maker_set_on_the_instance_is_left_alone():
    def make(field, **kwargs):
        return field.__class__(**kwargs)

    serializer = TaskSerializer(data={"title": "Parent"})
    serializer._get_serializer_for_field = make
    prebuild_fields(serializer)
    assert serializer._get_serializer_for_field is make


def test_a_reading_serializer_is_not_given_the_maker():
    serializer = prebuild_fields(TaskSerializer(TaskFactory()), reading=True)
    assert "_get_serializer_for_field" not in vars(serializer)


@pytest.mark.skipif(django.VERSION < (5, 0), reason="Django < 5.0 has no callable choices")
def test_callable_choices_of_an_arrays_base_field_are_read_per_build():
    """REST builds the fields per request, with the choices of the moment; the prototype
    kept the first ones for an ArrayField whose base field has callable choices."""
    from django.contrib.postgres.fields import ArrayField
    from django.db import models
    from django.test.utils import isolate_apps

    state = {"choices": [("a", "A")]}
    with isolate_apps("tests.testapp"):

        class CacheLabelled(models.Model):
            labels = ArrayField(models.CharField(max_length=5, choices=lambda: state["choices"]))

            class Meta:
                app_label = "testapp"

        class CacheLabelledSerializer(serializers.ModelSerializer):
            class Meta:
                model = CacheLabelled
                fields = ["labels"]

    prebuild_fields(CacheLabelledSerializer())
    state["choices"] = [("a", "A"), ("b", "B")]
    assert "b" in prebuild_fields(CacheLabelledSerializer()).fields["labels"].child.choices


# ------------------------------------------------------------------------------ nested


def test_what_only_renders_gets_its_nested_serializers_fields_from_their_classes_too():
    task = TaskFactory(project=ProjectFactory())
    task.tags.set([Tag.objects.create(name="red")])
    serializer = prebuild_fields(TaskReadSerializer(task), reading=True, nested=True)
    fields = serializer.fields
    assert fieldcache.fields_from_class(fields["project"])
    assert fieldcache.fields_from_class(fields["tags"].child)
    assert "get_attribute" in vars(fields["project"].fields["name"])  # read copies: readers
    assert serializer.data == TaskReadSerializer(task).data
    alone = prebuild_fields(TaskReadSerializer(task), reading=True)  # DRF builds them later
    assert "fields" not in vars(alone.fields["project"])


def test_a_mutations_nested_output_builds_no_field_per_request(gql):
    """The output serializer's nested serializers (TaskReadSerializer's tags and project)
    copy their fields too: DRF's field mapping is not run again."""
    tag, project = Tag.objects.create(name="red"), ProjectFactory(slug="home")
    query = (
        "mutation($tags: [ID!]) { createTaskWithReadOutput(input: "
        '{title: "Read me", tags: $tags, project: "home"}) '
        "{ result { tags { name } project { slug } } } }"
    )
    gql.force_login(UserFactory())
    gql(query, {"tags": [str(tag.pk)]})
    with mock.patch.object(
        serializers, "get_field_kwargs", wraps=serializers.get_field_kwargs
    ) as mapped:
        status, body = gql(query, {"tags": [str(tag.pk)]})
    assert body["data"]["createTaskWithReadOutput"]["result"] == {
        "tags": [{"name": "red"}],
        "project": {"slug": project.slug},
    }
    assert mapped.call_count == 0


def test_class_fields_read_as_drfs_binding_dict_reads():
    """ClassFields reads its dict directly; what a serializer sees of it is DRF's."""
    prebuilt = prebuild_fields(TagSerializer()).fields
    built = TagSerializer().fields
    assert type(prebuilt) is fieldcache.ClassFields
    assert list(prebuilt.keys()) == list(built.keys()) == ["id", "name"]
    assert [field.field_name for field in prebuilt.values()] == ["id", "name"]
    assert [name for name, _ in prebuilt.items()] == ["id", "name"]
    assert "name" in prebuilt and "nope" not in prebuilt
    assert prebuilt.get("nope", 1) == 1 and prebuilt.get("name") is prebuilt["name"]
    prebuilt["extra"] = serializers.CharField(source="name")  # still bound as DRF binds
    assert prebuilt["extra"].parent is not None and prebuilt["extra"].field_name == "extra"
    del prebuilt["extra"]
    assert len(prebuilt) == 2


class AliasedProjectSerializer(serializers.ModelSerializer):
    """One declared field object under three names: DRF renders it once, by the last."""

    shared = serializers.CharField(source="slug")
    first = shared
    second = shared

    class Meta:
        model = Project
        fields = ["id", "first", "second", "shared"]


class AliasedTaskSerializer(serializers.ModelSerializer):
    project = AliasedProjectSerializer()

    class Meta:
        model = Task
        fields = ["id", "project"]


@pytest.mark.parametrize("nested", [False, True])
def test_a_field_declared_under_several_names_renders_as_drf_renders_it(nested):
    task = TaskFactory(project=ProjectFactory(slug="home"))
    serializer_class = AliasedTaskSerializer if nested else AliasedProjectSerializer
    row = task if nested else task.project
    drf = serializer_class(row).data
    for _ in range(3):  # DRF's own build first, then what later requests would copy
        assert prebuild_fields(serializer_class(row), reading=True, nested=True).data == drf
    project = drf["project"] if nested else drf
    assert project == {"id": task.project.pk, "shared": "home"}
