"""The translator: every DRF field class, presence rules, descriptions and user rules.

Each rule is checked on a bound serializer field (``convert_serializer_field(field, mode)``
against the expected graphene type) and, where a client can see it, through the HTTP stack:
the test project's ``echo`` mutation validates its input with ``EchoSerializer`` and answers
with DRF's ``to_representation`` of what it validated.
"""

import json
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import django
import graphene
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test import RequestFactory
from django.test.utils import isolate_apps
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from drf_writable_nested.serializers import WritableNestedModelSerializer
from graphene_django.views import GraphQLView
from graphql import GraphQLError
from graphql.language import BooleanValueNode, FloatValueNode, IntValueNode, StringValueNode
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter
from rest_framework.utils.encoders import JSONEncoder

# The test project's schema is imported first, so that its types are built before any the
# module builds (type names are claimed in the order the types are built).
from tests.testapp.schema import schema as testapp_schema  # isort: skip

from drf_graphql_crud import (
    CreateMutation,
    DRFGraphQLView,
    ListField,
    RetrieveField,
    SerializerMutation,
    UpdateMutation,
    convert_serializer_field,
)
from drf_graphql_crud.converter import Mode, enum_member_name, field_description, is_non_null
from drf_graphql_crud.scalars import (
    JSON,
    BigInteger,
    DateString,
    DateTimeString,
    DecimalString,
    DurationString,
    TimeString,
    Upload,
    UUIDInteger,
    UUIDString,
)
from drf_graphql_crud.types import build_fields, serializer_type
from tests.factories import ProjectFactory, TagFactory, TaskFactory, UserFactory
from tests.testapp.models import Award, Badge, Document, Project, Subtask, Tag, Task
from tests.testapp.serializers import (
    DocumentSerializer,
    EchoSerializer,
    ProjectSerializer,
    SubtaskSerializer,
    TagSerializer,
    TaskSerializer,
    UserSerializer,
)

INPUT, PARTIAL, OUTPUT = Mode.INPUT, Mode.PARTIAL_INPUT, Mode.OUTPUT


def nn(graphene_type):
    return graphene.NonNull(graphene_type)


def list_of(graphene_type):
    """``[X!]``"""
    return graphene.List(graphene.NonNull(graphene_type))


def sdl(serializer, mode):
    """``{field name: "Type!"}`` as ``build_fields`` mounts them (presence included)."""
    return {name: str(field.type) for name, field in build_fields(serializer, mode).items()}


def descriptions(serializer, mode):
    return {name: field.description for name, field in build_fields(serializer, mode).items()}


# ------------------------------------------------------------------ serializers of this module


class ConvTaskSerializer(serializers.ModelSerializer):
    """A model serializer with one field of each kind a model can back."""

    due = serializers.DateField(source="due_date")
    project_name = serializers.CharField(source="project.name", read_only=True)
    project_slug = serializers.SlugRelatedField(source="project", slug_field="slug", read_only=True)
    project_obj = ProjectSerializer(source="project", read_only=True)
    tag_list = TagSerializer(source="tags", many=True, read_only=True)
    title_copy = serializers.ReadOnlyField(source="title")
    due_copy = serializers.ReadOnlyField(source="due_date")
    views_copy = serializers.ReadOnlyField(source="views")
    priority_copy = serializers.ReadOnlyField(source="priority")
    status_display = serializers.ReadOnlyField(source="get_status_display")
    notes_model = serializers.ModelField(model_field=Task._meta.get_field("notes"), required=False)
    priority_model = serializers.ModelField(
        model_field=Task._meta.get_field("priority"), required=False
    )
    secret = serializers.HiddenField(default="hidden")

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "notes",
            "status",
            "priority",
            "views",
            "estimate",
            "due_date",
            "due",
            "created",
            "owner",
            "project",
            "tags",
            "project_name",
            "project_slug",
            "project_obj",
            "tag_list",
            "title_copy",
            "due_copy",
            "views_copy",
            "priority_copy",
            "status_display",
            "notes_model",
            "priority_model",
            "secret",
        ]
        # A serializer bound beyond 32 bits does not make a 32-bit column a BigInteger.
        extra_kwargs = {"priority": {"max_value": 2**40}}


class ConvSubtaskSerializer(serializers.ModelSerializer):
    task_title = serializers.CharField(source="task.title", read_only=True)

    class Meta:
        model = Subtask
        fields = ["id", "title", "task", "task_title"]


class ConvPresenceSerializer(serializers.Serializer):
    needed = serializers.CharField()
    maybe = serializers.CharField(allow_null=True)
    optional = serializers.CharField(required=False)
    defaulted = serializers.CharField(default="fallback")
    optional_null = serializers.CharField(required=False, allow_null=True)
    secret = serializers.CharField(write_only=True, required=False)
    computed = serializers.CharField(read_only=True, default="computed")

    def create(self, validated_data):
        return validated_data


class ConvRelationsSerializer(serializers.Serializer):
    tag = serializers.PrimaryKeyRelatedField(queryset=Tag.objects.all())
    tags = serializers.PrimaryKeyRelatedField(queryset=Tag.objects.all(), many=True)
    project = serializers.SlugRelatedField(slug_field="slug", queryset=Project.objects.all())
    projects = serializers.SlugRelatedField(
        slug_field="slug", queryset=Project.objects.all(), many=True, required=False
    )
    link = serializers.HyperlinkedRelatedField(view_name="task-detail", read_only=True)
    self_link = serializers.HyperlinkedIdentityField(view_name="task-detail")
    text = serializers.StringRelatedField()
    # DRF itself leaves ManyRelatedField writable unless read_only is passed explicitly.
    texts = serializers.StringRelatedField(many=True, read_only=True)


class ConvNestingSerializer(serializers.Serializer):
    tag = TagSerializer()
    tags = TagSerializer(many=True)
    maybe_tag = TagSerializer(required=False, allow_null=True)


class ConvMethodSerializer(serializers.Serializer):
    count = serializers.SerializerMethodField()
    maybe = serializers.SerializerMethodField()
    names = serializers.SerializerMethodField()
    untyped = serializers.SerializerMethodField()
    mapping = serializers.SerializerMethodField()
    when = serializers.SerializerMethodField()
    renamed = serializers.SerializerMethodField(method_name="compute_renamed")

    def get_count(self, obj) -> int:
        return 3

    def get_maybe(self, obj) -> int | None:
        return None

    def get_names(self, obj) -> list[str]:
        return ["a", "b"]

    def get_untyped(self, obj):
        return None

    def get_mapping(self, obj) -> dict[str, int]:
        return {"a": 1}

    def get_when(self, obj) -> "datetime.date | None":  # noqa: F821  unresolvable: JSON
        return None

    def compute_renamed(self, obj) -> bool:
        return True


class ConvFilesSerializer(serializers.Serializer):
    file = serializers.FileField()
    image = serializers.ImageField(required=False)
    path = serializers.FilePathField(path="/etc", match=r"^hostname$")


class ConvDescribedSerializer(serializers.Serializer):
    headline = serializers.CharField(label="Main title")
    due_date = serializers.DateField(label="Due date")
    name = serializers.CharField(label="Name")
    code = serializers.CharField(label="ID")
    both = serializers.CharField(label="Label", help_text="The help text wins.")
    plain = serializers.CharField()
    lazy = serializers.CharField(help_text=gettext_lazy("Lazy help"))


class ConvChoiceSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=[("in progress", "In progress"), (1, "One")])
    multiple = serializers.MultipleChoiceField(choices=["red", "green"], required=False)
    seen = serializers.SerializerMethodField()

    def get_seen(self, obj) -> str:
        """The Python values DRF validated, to show they are the choice keys."""
        return repr((obj["choice"], sorted(obj.get("multiple", []))))

    def create(self, validated_data):
        return validated_data


class ConvNativeSerializer(serializers.ModelSerializer):
    """Fields whose serializer hands native values (Decimal, timedelta, a TextChoices member)
    to the output, where REST's JSON encoder writes them."""

    estimate_number = serializers.DecimalField(
        source="estimate", max_digits=12, decimal_places=4, coerce_to_string=False, read_only=True
    )
    estimate_copy = serializers.ReadOnlyField(source="estimate")
    status_copy = serializers.ReadOnlyField(source="status")
    project_key = serializers.ModelField(
        model_field=Task._meta.get_field("project"), read_only=True
    )
    ratio = serializers.SerializerMethodField()
    age = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "views",
            "estimate",
            "estimate_number",
            "estimate_copy",
            "status_copy",
            "project_key",
            "ratio",
            "age",
        ]

    def get_ratio(self, obj: Task) -> Decimal | None:
        return obj.estimate

    def get_age(self, obj: Task) -> timedelta:
        return timedelta(hours=1, seconds=3)


# ----------------------------------------------------------------- a user's own field classes


class ConvCentsField(serializers.Field):
    """Money as a float of euros outside, integer cents inside."""

    def to_internal_value(self, data):
        return round(float(data) * 100)

    def to_representation(self, value):
        return value / 100


@convert_serializer_field.register(ConvCentsField)
def convert_cents(field, mode=Mode.OUTPUT):
    return graphene.Float


class ConvShoutField(serializers.CharField):
    """A CharField subclass with no rule of its own."""

    def to_representation(self, value):
        return super().to_representation(value).upper()


class ConvOpaqueField(serializers.Field):
    """A field class with no rule anywhere in its MRO: JSON."""

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


class ConvCustomSerializer(serializers.Serializer):
    amount = ConvCentsField()
    shout = ConvShoutField(required=False)
    opaque = ConvOpaqueField(required=False)
    cents = serializers.SerializerMethodField()

    def get_cents(self, obj) -> int:
        return obj["amount"]

    def create(self, validated_data):
        return validated_data


# ----------------------------------------------------------------------- this module's schema


class ConvPresence(SerializerMutation):
    class Meta:
        serializer_class = ConvPresenceSerializer
        return_field_name = "result"


class ConvChoice(SerializerMutation):
    class Meta:
        serializer_class = ConvChoiceSerializer
        return_field_name = "result"


class ConvCustom(SerializerMutation):
    class Meta:
        serializer_class = ConvCustomSerializer
        return_field_name = "result"


class ConvPlainSerializer(serializers.Serializer):
    """A plain serializer over model rows: ``required`` says what input must hold, not
    what output holds (DRF writes None for a None attribute)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    due_date = serializers.DateField()


class ConvNativeCreate(CreateMutation):
    class Meta:
        serializer_class = ConvNativeSerializer


class ConvProjectObjectField(serializers.RelatedField):
    """DRF's documented custom relation: an object read, an object written (by slug)."""

    def to_representation(self, value):
        return {"slug": value.slug, "name": value.name}

    def to_internal_value(self, data):
        try:
            return self.get_queryset().get(slug=data["slug"])
        except (TypeError, KeyError, Project.DoesNotExist):
            raise serializers.ValidationError("No such project.") from None


class ConvTagKeyField(serializers.RelatedField):
    """A custom relation reading and writing the key as a number."""

    def to_representation(self, value):
        return value.pk

    def to_internal_value(self, data):
        return self.get_queryset().get(pk=data)


class ConvCustomRelationSerializer(serializers.ModelSerializer):
    project = ConvProjectObjectField(queryset=Project.objects.all(), allow_null=True)
    tags = ConvTagKeyField(queryset=Tag.objects.all(), many=True)

    class Meta:
        model = Task
        fields = ["id", "title", "project", "tags"]


class ConvCreateCustomRelation(CreateMutation):
    class Meta:
        serializer_class = ConvCustomRelationSerializer


class ConvMutation(graphene.ObjectType):
    conv_presence = ConvPresence.Field()
    conv_choice = ConvChoice.Field()
    conv_custom = ConvCustom.Field()
    conv_native_create = ConvNativeCreate.Field()
    conv_create_custom_relation = ConvCreateCustomRelation.Field()


class NoneAmongNumbers(serializers.ListField):
    """A list with a None item, as a property or annotation may give."""

    def get_attribute(self, instance):
        return [1, None, 3]


class ConvNullSubtaskSerializer(serializers.ModelSerializer):
    """Values REST renders as null behind a non-null foreign key, or in a list."""

    task_due = serializers.SlugRelatedField(source="task", slug_field="due_date", read_only=True)
    task_title = serializers.SlugRelatedField(source="task", slug_field="title", read_only=True)
    task_text = serializers.StringRelatedField(source="task")
    numbers = NoneAmongNumbers(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = Subtask
        fields = ["id", "task_due", "task_title", "task_text", "numbers"]


class ConvNullProjectSerializer(serializers.ModelSerializer):
    task_dues = serializers.SlugRelatedField(
        source="tasks", slug_field="due_date", many=True, read_only=True
    )
    task_titles = serializers.SlugRelatedField(
        source="tasks", slug_field="title", many=True, read_only=True
    )

    class Meta:
        model = Project
        fields = ["id", "task_dues", "task_titles"]


class ConvRedactingTaskSerializer(serializers.ModelSerializer):
    """A to_representation that may blank any field; and the foreign key's column itself."""

    owner_key = serializers.ReadOnlyField(source="owner_id")

    class Meta:
        model = Task
        fields = ["id", "title", "priority", "owner_key"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.title.startswith("secret"):
            data["title"] = None
            data.pop("priority")
        return data


class ConvQuery(graphene.ObjectType):
    conv_null_subtask = RetrieveField(ConvNullSubtaskSerializer, queryset=Subtask.objects.all())
    conv_null_project = RetrieveField(ConvNullProjectSerializer, queryset=Project.objects.all())
    conv_redacting = RetrieveField(ConvRedactingTaskSerializer, queryset=Task.objects.all())
    conv_task = graphene.Field(
        serializer_type(ConvTaskSerializer, Mode.OUTPUT), id=graphene.ID(required=True)
    )

    conv_methods = graphene.Field(serializer_type(ConvMethodSerializer, Mode.OUTPUT))
    conv_native = RetrieveField(ConvNativeSerializer, queryset=Task.objects.all())
    conv_plain = RetrieveField(ConvPlainSerializer, queryset=Task.objects.all())
    conv_custom_relation = RetrieveField(ConvCustomRelationSerializer, queryset=Task.objects.all())

    def resolve_conv_task(root, info, id):
        return ConvTaskSerializer(Task.objects.get(pk=id)).data

    def resolve_conv_methods(root, info):
        return ConvMethodSerializer({}).data


conv_schema = graphene.Schema(query=ConvQuery, mutation=ConvMutation)


class ConvNativeViewSet(viewsets.ModelViewSet):
    """The REST side of ConvNativeSerializer, for side-by-side comparisons."""

    serializer_class = ConvNativeSerializer
    queryset = Task.objects.all()


class ConvCustomRelationViewSet(viewsets.ModelViewSet):
    serializer_class = ConvCustomRelationSerializer
    queryset = Task.objects.all()


class ConvPlainViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ConvPlainSerializer
    queryset = Task.objects.all()


class ConvNullSubtaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ConvNullSubtaskSerializer
    queryset = Subtask.objects.all()


class ConvNullProjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ConvNullProjectSerializer
    queryset = Project.objects.all()


class ConvRedactingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ConvRedactingTaskSerializer
    queryset = Task.objects.all()


conv_router = DefaultRouter()
conv_router.register("null-subtasks", ConvNullSubtaskViewSet, basename="conv-null-subtask")
conv_router.register("null-projects", ConvNullProjectViewSet, basename="conv-null-project")
conv_router.register("redacting", ConvRedactingViewSet, basename="conv-redacting")
conv_router.register("native", ConvNativeViewSet, basename="conv-native")
conv_router.register("plain", ConvPlainViewSet, basename="conv-plain")
conv_router.register("custom-relations", ConvCustomRelationViewSet, basename="conv-custom-rel")

urlpatterns = [
    path("graphql/", csrf_exempt(GraphQLView.as_view(schema=conv_schema))),
    path("api/", include(conv_router.urls)),
]


def bound_fields(serializer_class):
    """The bound fields of a new instance: ``bound_fields(ConvTaskSerializer)["title"]``."""
    return serializer_class().fields


# =================================================================== one rule per field class

ECHO_QUERY = "mutation($input: EchoInput!) {{ echo(input: $input) {{ echo {{ {selection} }} }} }}"

TAG_OUTPUT = serializer_type(TagSerializer, OUTPUT)
TAG_INPUT = serializer_type(TagSerializer, INPUT)

# (EchoSerializer field, input type, output type, GraphQL field, selection, sent, returned)
ECHO_CASES = [
    ("boolean", graphene.Boolean, graphene.Boolean, "boolean", None, True, True),
    ("char", graphene.String, graphene.String, "char", None, "hello", "hello"),
    ("email", graphene.String, graphene.String, "email", None, "a@example.com", "a@example.com"),
    ("regex", graphene.String, graphene.String, "regex", None, "abc", "abc"),
    ("slug", graphene.String, graphene.String, "slug", None, "a-slug_1", "a-slug_1"),
    ("url", graphene.String, graphene.String, "url", None, "https://example.com/a?b=c", None),
    # DRF normalises an IPv6 address: GraphQL returns DRF's text, not the client's.
    ("ip", graphene.String, graphene.String, "ip", None, "2001:0db8:0000::0001", "2001:db8::1"),
    (
        "uuid",
        UUIDString,
        UUIDString,
        "uuid",
        None,
        "12345678-1234-5678-1234-56781234ABCD",
        "12345678-1234-5678-1234-56781234abcd",
    ),
    # format="int": the UUID's 128-bit integer, a JSON number both ways, as under REST.
    ("uuid_int", UUIDInteger, UUIDInteger, "uuidInt", None, 2**100 + 7, 2**100 + 7),
    ("integer", graphene.Int, graphene.Int, "integer", None, -42, -42),
    ("big", BigInteger, BigInteger, "big", None, 2**62, 2**62),
    ("floating", graphene.Float, graphene.Float, "floating", None, 1.5, 1.5),
    (
        "decimal",
        DecimalString,
        DecimalString,
        "decimal",
        None,
        "12345678901234567890.0123456789",
        None,
    ),
    # DRF converts to the current time zone (UTC) and writes "Z".
    (
        "datetime",
        DateTimeString,
        DateTimeString,
        "datetime",
        None,
        "2025-05-01T14:30:00+02:00",
        "2025-05-01T12:30:00Z",
    ),
    ("date", DateString, DateString, "date", None, "2025-05-01", None),
    ("time", TimeString, TimeString, "time", None, "12:30:05.250000", "12:30:05.250000"),
    ("duration", DurationString, DurationString, "duration", None, "1 02:03:04", None),
    ("file_path", graphene.String, graphene.String, "filePath", None, "/etc/hostname", None),
    # Out, items are nullable: DRF writes None for a None item whatever the child allows.
    ("ints", list_of(graphene.Int), graphene.List(graphene.Int), "ints", None, [3, 1, 2], None),
    ("dict", JSON, JSON, "dict", None, {"a": "x", "b": 1}, {"a": "x", "b": "1"}),
    ("json", JSON, JSON, "json", None, {"k": [1, {"n": None}], "s": "t", "f": 1.5}, None),
    ("hstore", JSON, JSON, "hstore", None, {"a": "b", "c": None}, None),
    ("nested", TAG_INPUT, TAG_OUTPUT, "nested", "{ name }", {"name": "home"}, None),
    (
        "nested_many",
        list_of(TAG_INPUT),
        list_of(TAG_OUTPUT),
        "nestedMany",
        "{ name }",
        [{"name": "a"}, {"name": "b"}],
        None,
    ),
]

ECHO_IDS = {
    "boolean": "BooleanField",
    "char": "CharField",
    "email": "EmailField",
    "regex": "RegexField",
    "slug": "SlugField",
    "url": "URLField",
    "ip": "IPAddressField",
    "uuid": "UUIDField",
    "uuid_int": "UUIDField-int",
    "integer": "IntegerField",
    "big": "IntegerField-beyond-32-bits",
    "floating": "FloatField",
    "decimal": "DecimalField",
    "datetime": "DateTimeField",
    "date": "DateField",
    "time": "TimeField",
    "duration": "DurationField",
    "file_path": "FilePathField",
    "ints": "ListField",
    "dict": "DictField",
    "json": "JSONField",
    "hstore": "HStoreField",
    "nested": "nested-serializer",
    "nested_many": "nested-serializer-many",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, input_type, output_type, gql_name, selection, sent, returned",
    ECHO_CASES,
    ids=[ECHO_IDS[case[0]] for case in ECHO_CASES],
)
def test_field_class_rule_and_round_trip(
    gql, name, input_type, output_type, gql_name, selection, sent, returned
):
    field = bound_fields(EchoSerializer)[name]
    assert convert_serializer_field(field, INPUT) == input_type
    assert convert_serializer_field(field, PARTIAL) == (
        list_of(serializer_type(TagSerializer, PARTIAL))
        if name == "nested_many"
        else serializer_type(TagSerializer, PARTIAL)
        if name == "nested"
        else input_type
    )
    assert convert_serializer_field(field, OUTPUT) == output_type
    # Optional in EchoSerializer: nullable both ways.
    assert sdl(EchoSerializer(), INPUT)[name] == str(input_type)
    assert sdl(EchoSerializer(), OUTPUT)[name] == str(output_type)

    status, body = gql(
        ECHO_QUERY.format(selection=f"{gql_name} {selection or ''}"), {"input": {gql_name: sent}}
    )
    assert status == 200
    assert body == {"data": {"echo": {"echo": {gql_name: sent if returned is None else returned}}}}


def test_every_echo_field_has_a_case():
    covered = {case[0] for case in ECHO_CASES} | {"choice", "multiple", "method", "read_only"}
    assert covered == set(EchoSerializer().fields)


def test_echo_types_in_the_schema():
    echo_output = testapp_schema.graphql_schema.get_type("EchoOutput").fields
    # Its own to_representation may leave any key out: the annotation's `!` does not hold.
    assert str(echo_output["method"].type) == "[Int!]"
    assert str(echo_output["readOnly"].type) == "JSONValue"
    assert str(echo_output["multiple"].type) == "[EchoMultipleChoices!]"
    assert "method" not in testapp_schema.graphql_schema.get_type("EchoInput").fields


@pytest.mark.django_db
def test_values_beyond_32_bits_are_refused_by_int_and_taken_by_bigint(gql):
    status, body = gql(ECHO_QUERY.format(selection="integer"), {"input": {"integer": 2**40}})
    assert status == 400
    assert "data" not in body
    assert "Int cannot represent non 32-bit signed integer value" in body["errors"][0]["message"]
    status, body = gql(ECHO_QUERY.format(selection="big"), {"input": {"big": -(2**40)}})
    assert body == {"data": {"echo": {"echo": {"big": -(2**40)}}}}


# ---------------------------------------------------------------------------------- integers


def test_integer_bounds_decide_int_or_bigint_without_a_model():
    class ConvBoundsSerializer(serializers.Serializer):
        plain = serializers.IntegerField()
        int32 = serializers.IntegerField(min_value=-(2**31), max_value=2**31 - 1)
        above = serializers.IntegerField(max_value=2**31)
        below = serializers.IntegerField(min_value=-(2**31) - 1)

    bound = ConvBoundsSerializer().fields
    assert convert_serializer_field(bound["plain"], INPUT) is graphene.Int
    assert convert_serializer_field(bound["int32"], OUTPUT) is graphene.Int
    assert convert_serializer_field(bound["above"], INPUT) is BigInteger
    assert convert_serializer_field(bound["above"], OUTPUT) is BigInteger
    assert convert_serializer_field(bound["below"], OUTPUT) is BigInteger


def test_the_model_field_decides_int_or_bigint():
    bound = bound_fields(ConvTaskSerializer)
    # BigIntegerField column: BigInteger.
    assert convert_serializer_field(bound["views"], INPUT) is BigInteger
    assert convert_serializer_field(bound["views"], OUTPUT) is BigInteger
    # IntegerField column: Int, though the serializer field says max_value=2**40 ...
    assert bound["priority"].max_value == 2**40
    assert convert_serializer_field(bound["priority"], INPUT) is graphene.Int
    assert convert_serializer_field(bound["priority"], OUTPUT) is graphene.Int
    # ... and whatever bounds the database backend puts in the model field's validators.
    generated = TaskSerializer().fields["priority"]
    assert convert_serializer_field(generated, OUTPUT) is graphene.Int
    # The primary key is an ID.
    assert convert_serializer_field(bound["id"], OUTPUT) is graphene.ID


class ForeignKeyColumnsSerializer(serializers.ModelSerializer):
    """DRF's usual ways to expose a relation's column: its attname, a slug of the pk."""

    project_id = serializers.IntegerField(allow_null=True, required=False)
    project_pk = serializers.SlugRelatedField(source="project", slug_field="pk", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "project_id", "project_pk"]


class SubtaskTaskKeySerializer(serializers.ModelSerializer):
    task_pk = serializers.SlugRelatedField(source="task", slug_field="pk", read_only=True)

    class Meta:
        model = Subtask
        fields = ["id", "task_pk"]


@pytest.mark.django_db
def test_a_relations_column_is_typed_as_the_key_it_holds(isolated_registry):
    """`project_id` holds Project's key, a BigAutoField here (DEFAULT_AUTO_FIELD): beyond
    32 bits, as REST reads and writes it; a slug of `pk` is that key's number, as REST
    writes it (JSON), not its text."""
    bound = bound_fields(ForeignKeyColumnsSerializer)
    assert convert_serializer_field(bound["project_id"], INPUT) is BigInteger
    assert convert_serializer_field(bound["project_id"], OUTPUT) is BigInteger
    assert convert_serializer_field(bound["project_pk"], OUTPUT) is JSON
    project = ProjectFactory(pk=2**31 + 5)
    task = TaskFactory(project=project)
    rendered = ForeignKeyColumnsSerializer(task).data
    assert rendered["project_id"] == rendered["project_pk"] == 2**31 + 5
    # Over a relation that cannot be null, the key cannot be either.
    output = serializer_type(SubtaskTaskKeySerializer, OUTPUT)
    assert str(output._meta.fields["task_pk"].type) == "JSONValue!"


# ------------------------------------------------------------------------------ decimal text


@pytest.mark.django_db
def test_decimal_is_lossless_as_variable_and_as_number_literal(gql):
    digits = "12345678901234567890.0123456789"
    status, body = gql(ECHO_QUERY.format(selection="decimal"), {"input": {"decimal": digits}})
    assert body == {"data": {"echo": {"echo": {"decimal": digits}}}}
    # A number literal in the document keeps its digits too (never through a float).
    status, body = gql(
        f"mutation {{ echo(input: {{decimal: {digits}}}) {{ echo {{ decimal }} }} }}"
    )
    assert body == {"data": {"echo": {"echo": {"decimal": digits}}}}
    # DRF quantizes to decimal_places, as under REST.
    status, body = gql('mutation { echo(input: {decimal: "1.25"}) { echo { decimal } } }')
    assert body == {"data": {"echo": {"echo": {"decimal": "1.2500000000"}}}}


@pytest.mark.django_db
def test_bad_date_is_drf_s_error_not_a_coercion_error(gql):
    status, body = gql(ECHO_QUERY.format(selection="date"), {"input": {"date": "01/05/2025"}})
    assert body["data"] == {"echo": None}
    extensions = body["errors"][0]["extensions"]
    assert extensions["code"] == "VALIDATION_ERROR"
    assert extensions["errors"] == [
        {
            "field": "date",
            "message": "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
            "code": "invalid",
        }
    ]


# ------------------------------------------------------------------------------------ choices


def test_enum_member_names_are_valid_and_stable():
    assert enum_member_name("in progress") == "IN_PROGRESS"
    assert enum_member_name(1) == "A_1"
    assert enum_member_name(-1) == "MINUS_1"
    assert enum_member_name(Decimal("-0.5")) == "MINUS_0_5"
    assert enum_member_name("2nd") == "A_2ND"
    assert enum_member_name("a-b.c") == "A_B_C"
    assert enum_member_name("") == "EMPTY"
    assert enum_member_name("done") == enum_member_name("done") == "DONE"


def test_choice_field_is_an_enum_of_its_choices():
    choice = bound_fields(EchoSerializer)["choice"]
    enum_type = convert_serializer_field(choice, INPUT)
    assert enum_type is convert_serializer_field(choice, OUTPUT)
    assert enum_type is convert_serializer_field(bound_fields(EchoSerializer)["choice"], PARTIAL)
    assert enum_type._meta.name == "EchoChoiceChoices"
    assert [(m.name, m.value) for m in enum_type._meta.enum] == [
        ("IN_PROGRESS", "in progress"),
        ("A_1", 1),
    ]
    assert list(testapp_schema.graphql_schema.get_type("EchoChoiceChoices").values) == [
        "IN_PROGRESS",
        "A_1",
    ]

    multiple = bound_fields(EchoSerializer)["multiple"]
    multiple_type = convert_serializer_field(multiple, INPUT)
    assert multiple_type == convert_serializer_field(multiple, OUTPUT)
    assert str(multiple_type) == "[EchoMultipleChoices!]"
    assert [(m.name, m.value) for m in multiple_type.of_type.of_type._meta.enum] == [
        ("RED", "red"),
        ("GREEN", "green"),
    ]


def test_allow_blank_choice_adds_an_empty_member():
    class ConvBlankChoiceSerializer(serializers.Serializer):
        size = serializers.ChoiceField(choices=["s", "m"], allow_blank=True)

    enum_type = convert_serializer_field(ConvBlankChoiceSerializer().fields["size"], OUTPUT)
    assert enum_type._meta.name == "ConvBlankChoiceSizeChoices"
    assert [(m.name, m.value) for m in enum_type._meta.enum] == [
        ("S", "s"),
        ("M", "m"),
        ("EMPTY", ""),
    ]


@pytest.mark.django_db
def test_echo_choices_round_trip(gql):
    query = ECHO_QUERY.format(selection="choice multiple")
    status, body = gql(query, {"input": {"choice": "A_1", "multiple": ["GREEN"]}})
    assert body == {"data": {"echo": {"echo": {"choice": "A_1", "multiple": ["GREEN"]}}}}
    status, body = gql(query, {"input": {"choice": "IN_PROGRESS", "multiple": []}})
    assert body == {"data": {"echo": {"echo": {"choice": "IN_PROGRESS", "multiple": []}}}}
    status, body = gql(query, {"input": {"choice": "in progress"}})
    assert status == 400
    assert (
        "Value 'in progress' does not exist in 'EchoChoiceChoices' enum"
        in (body["errors"][0]["message"])
    )


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_enum_values_reach_the_serializer_as_its_choice_keys(gql):
    query = (
        "mutation($input: ConvChoiceInput!) "
        "{ convChoice(input: $input) { result { choice multiple seen } } }"
    )
    status, body = gql(query, {"input": {"choice": "A_1", "multiple": ["RED", "GREEN"]}})
    assert status == 200
    result = body["data"]["convChoice"]["result"]
    assert result["seen"] == "(1, ['green', 'red'])"
    assert result["choice"] == "A_1"
    assert sorted(result["multiple"]) == ["GREEN", "RED"]  # DRF returns a set

    status, body = gql(query, {"input": {"choice": "IN_PROGRESS"}})
    assert body == {
        "data": {
            "convChoice": {
                "result": {"choice": "IN_PROGRESS", "multiple": None, "seen": "('in progress', [])"}
            }
        }
    }


def test_model_choices_become_the_serializer_s_enum():
    status = TaskSerializer().fields["status"]
    enum_type = convert_serializer_field(status, OUTPUT)
    assert enum_type._meta.name == "TaskStatusChoices"
    assert [(m.name, m.value) for m in enum_type._meta.enum] == [
        ("TODO", "todo"),
        ("IN_PROGRESS", "in_progress"),
        ("DONE", "done"),
    ]
    # Labels are the values' descriptions.
    values = testapp_schema.graphql_schema.get_type("TaskStatusChoices").values
    assert {name: value.description for name, value in values.items()} == {
        "TODO": "To do",
        "IN_PROGRESS": "In progress",
        "DONE": "Done",
    }


class ConvLabelChoiceField(serializers.ChoiceField):
    """Renders a choice's label (REST's ``"In progress"``), reads its key as DRF does."""

    def to_representation(self, value):
        return self.choices.get(value, value)


class ConvAnyCaseChoiceField(serializers.ChoiceField):
    """Reads a key in any case: ``"DONE"`` is ``done``."""

    def to_internal_value(self, data):
        return super().to_internal_value(data.lower() if isinstance(data, str) else data)


class ConvLabelSerializer(serializers.ModelSerializer):
    serializer_choice_field = ConvLabelChoiceField  # DRF's hook: every choice of the model

    class Meta:
        model = Task
        fields = ["id", "title", "status"]


class ConvLabelViewSet(viewsets.ModelViewSet):
    serializer_class = ConvLabelSerializer
    queryset = Task.objects.order_by("pk")


class ConvCreateLabel(CreateMutation):
    class Meta:
        serializer_class = ConvLabelSerializer


def test_a_choice_field_reading_or_rendering_its_own_way_is_json_on_that_side():
    """An enum of the keys would refuse every label rendered; one read its own way may
    take what no key is. The other side keeps the enum."""
    label = ConvLabelSerializer().fields["status"]
    assert str(convert_serializer_field(label, OUTPUT)) == "JSONValue"
    assert convert_serializer_field(label, INPUT)._meta.name == "ConvLabelStatusChoices"

    class ConvAnyCaseSerializer(serializers.Serializer):
        size = ConvAnyCaseChoiceField(choices=["s", "m"])
        sizes = serializers.ListField(child=ConvAnyCaseChoiceField(choices=["s", "m"]))

    fields = ConvAnyCaseSerializer().fields
    assert str(convert_serializer_field(fields["size"], INPUT)) == "JSONValue"
    assert str(convert_serializer_field(fields["size"], PARTIAL)) == "JSONValue"
    assert convert_serializer_field(fields["size"], OUTPUT)._meta.name == "ConvAnyCaseSizeChoices"
    assert str(convert_serializer_field(fields["sizes"], INPUT)) == "[JSONValue!]"

    class ConvLabelsField(serializers.MultipleChoiceField):
        def to_representation(self, value):
            return sorted(self.choices[item] for item in value)

    labels = ConvLabelsField(choices=[("r", "Red"), ("g", "Green")])
    assert str(convert_serializer_field(labels, OUTPUT)) == "JSONValue"
    assert str(convert_serializer_field(labels, INPUT)).endswith("Choices!]")  # the enum


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_choice_rendered_as_its_label_is_answered_as_rest_answers_it(client, isolated_registry):
    """``serializer_choice_field`` rendering labels: every row and payload failed on the
    enum (a 500 each; the create's row was kept)."""
    TaskFactory(title="listed", status=Task.Status.IN_PROGRESS)
    schema = graphene.Schema(
        query=type(
            "LabelQuery", (graphene.ObjectType,), {"labels": ListField(ConvLabelSerializer)}
        ),
        mutation=type("LabelMutation", (graphene.ObjectType,), {"create": ConvCreateLabel.Field()}),
    )
    router = DefaultRouter()
    router.register("labels", ConvLabelViewSet, basename="conv-label")
    urlpatterns.extend(
        [
            path("label-graphql/", DRFGraphQLView.as_view(schema=schema)),
            path("", include(router.urls)),
        ]
    )

    def post(query, variables=None):
        body = json.dumps({"query": query, "variables": variables or {}})
        return client.post("/label-graphql/", body, content_type="application/json").json()

    try:
        created = post(
            "mutation($input: ConvLabelInput!) { create(input: $input) { task { title status } } }",
            {"input": {"title": "made", "status": "DONE"}},
        )
        listed = post("{ labels { results { title status } } }")
        rest = client.get("/labels/").json()
    finally:
        del urlpatterns[-2:]
    assert created == {"data": {"create": {"task": {"title": "made", "status": "Done"}}}}
    assert listed["data"]["labels"]["results"] == [
        {"title": row["title"], "status": row["status"]} for row in rest
    ]
    assert [row["status"] for row in rest] == ["In progress", "Done"]


# ---------------------------------------------------------------------------------- files


def test_file_fields_upload_in_and_text_out():
    bound = bound_fields(ConvFilesSerializer)
    for name in ("file", "image"):
        assert convert_serializer_field(bound[name], INPUT) is Upload
        assert convert_serializer_field(bound[name], PARTIAL) is Upload
        assert convert_serializer_field(bound[name], OUTPUT) is graphene.String
    assert convert_serializer_field(bound["path"], INPUT) is graphene.String
    assert convert_serializer_field(bound["path"], OUTPUT) is graphene.String
    # A required file is non-null in input, never in output (an empty file is null).
    assert sdl(ConvFilesSerializer(), INPUT) == {
        "file": "Upload!",
        "image": "Upload",
        "path": "String!",
    }
    assert sdl(ConvFilesSerializer(), OUTPUT) == {
        "file": "String",
        "image": "String",
        "path": "String",  # a plain serializer's attribute may be None
    }
    assert sdl(DocumentSerializer(), OUTPUT)["file"] == "String"
    assert sdl(DocumentSerializer(), INPUT)["file"] == "Upload"


@pytest.mark.django_db
def test_empty_file_is_null_in_output(gql):
    status, body = gql(
        'mutation { createDocument(input: {name: "notes"}) { document { id name file } } }'
    )
    document = Document.objects.get()
    assert body == {
        "data": {
            "createDocument": {"document": {"id": str(document.pk), "name": "notes", "file": None}}
        }
    }


# ----------------------------------------------------------------------------- lists and maps


def test_list_field_child_presence():
    class ConvListsSerializer(serializers.Serializer):
        ints = serializers.ListField(child=serializers.IntegerField())
        maybe_ints = serializers.ListField(child=serializers.IntegerField(allow_null=True))
        words = serializers.ListField(child=serializers.CharField(), required=False)
        mapping = serializers.DictField(child=serializers.IntegerField())
        blob = serializers.JSONField()
        store = serializers.HStoreField(required=False)

    bound = ConvListsSerializer().fields
    assert convert_serializer_field(bound["ints"], INPUT) == list_of(graphene.Int)
    assert convert_serializer_field(bound["maybe_ints"], INPUT) == graphene.List(graphene.Int)
    for name in ("mapping", "blob", "store"):
        assert convert_serializer_field(bound[name], INPUT) is JSON
        assert convert_serializer_field(bound[name], OUTPUT) is JSON
    assert sdl(ConvListsSerializer(), INPUT) == {
        "ints": "[Int!]!",
        "maybe_ints": "[Int]!",
        "words": "[String!]",
        "mapping": "JSONValue!",
        "blob": "JSONValue!",
        "store": "JSONValue",
    }
    assert convert_serializer_field(bound["ints"], OUTPUT) == graphene.List(graphene.Int)


@pytest.mark.django_db
def test_json_values_are_real_json_both_ways(gql):
    # As an object literal in the document, not only as a variable.
    status, body = gql(
        'mutation { echo(input: {json: {a: [1, "two", {b: null}], c: true}, hstore: {k: "v"}}) '
        "{ echo { json hstore } } }"
    )
    assert body == {
        "data": {
            "echo": {
                "echo": {"json": {"a": [1, "two", {"b": None}], "c": True}, "hstore": {"k": "v"}}
            }
        }
    }
    # A JSON string stays a string: nothing is JSON-decoded on the way.
    text = json.dumps({"a": 1})
    status, body = gql(ECHO_QUERY.format(selection="json"), {"input": {"json": text}})
    assert body == {"data": {"echo": {"echo": {"json": text}}}}


@pytest.mark.django_db
def test_json_literals_read_variables_and_big_integers(gql):
    """graphene's GenericScalar read each of these as null, and the serializer saved it."""
    status, body = gql(
        "mutation($v: String, $unsent: String) { echo(input: {json: "
        "{a: $v, b: [$v, $unsent], c: $unsent, n: 10000000000}}) { echo { json } } }",
        {"v": "x"},
    )
    assert body == {
        "data": {"echo": {"echo": {"json": {"a": "x", "b": ["x", None], "n": 10000000000}}}}
    }


@pytest.mark.django_db
def test_a_bare_word_in_a_json_literal_is_refused(gql):
    status, body = gql("mutation { echo(input: {json: {c: RED}}) { echo { json } } }")
    assert status == 400
    assert [error["message"] for error in body["errors"]] == [
        "Expected value of type 'JSONValue', found {c: RED}."
    ]


def test_json_output_is_what_rests_encoder_writes():
    """Native values a serializer hands over (a method field without an annotation):
    written by the scalar itself, so graphene-django's own view answers them too."""
    from rest_framework.renderers import JSONRenderer

    value = {
        "d": Decimal("1.1"),
        "when": datetime(2026, 3, 1, 12, 30, tzinfo=timezone.utc),
        "u": uuid.UUID(int=5),
        "s": {3},
        "t": timedelta(seconds=90),
        "b": b"bytes",
        1: [("tuple", None)],
    }
    assert JSON.serialize(value) == json.loads(JSONRenderer().render(value))
    assert JSON.serialize("text") == "text"


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        {"x": -float("inf")},
        [Decimal("NaN")],
        {"d": Decimal("Infinity")},
    ],
)
def test_json_output_refuses_what_json_cannot_hold(value):
    """NaN and the infinities are no JSON: REST's renderer refuses them, and an answer with
    them would not parse. A server error (see the next test), as REST's is."""
    with pytest.raises(ValueError, match=f"JSONValue cannot represent a {type(value).__name__}"):
        JSON.serialize(value)
    assert JSON.serialize({"x": [1.5, -0.0]}) == {"x": [1.5, -0.0]}


class LeakySerializer(serializers.ModelSerializer):
    settings = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "settings"]

    def get_settings(self, project):
        return {"api_key": "s3cr3t-token", "score": float("nan")}


@pytest.mark.django_db
def test_a_value_json_cannot_hold_is_a_withheld_server_error(rf, caplog, isolated_registry):
    """REST's renderer refuses it with a bare 500; the error's message quoted the whole
    value to the client (graphql-core's "cannot represent value: {...}")."""

    class Query(graphene.ObjectType):
        projects = ListField(LeakySerializer)

    ProjectFactory()
    view = DRFGraphQLView.as_view(schema=graphene.Schema(query=Query), authentication_classes=[])
    query = "{ projects { results { settings } } }"
    response = view(rf.post("/", {"query": query}, "application/json"))
    [error] = json.loads(response.content)["errors"]
    assert (error["message"], error["extensions"]) == (
        "A server error occurred.",
        {"code": "INTERNAL_SERVER_ERROR", "status": 500},
    )
    assert b"s3cr3t" not in response.content
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert "s3cr3t" not in record.getMessage() + str(record.exc_info[1])


# ------------------------------------------------------------------- read-only and hidden


def test_read_only_field_typed_from_the_model_field():
    bound = bound_fields(ConvTaskSerializer)
    assert convert_serializer_field(bound["title_copy"], OUTPUT) is graphene.String
    assert convert_serializer_field(bound["due_copy"], OUTPUT) is DateString
    assert convert_serializer_field(bound["views_copy"], OUTPUT) is BigInteger
    # No model field behind the source: whatever the attribute is, as JSON.
    assert convert_serializer_field(bound["status_display"], OUTPUT) is JSON
    output = sdl(ConvTaskSerializer(), OUTPUT)
    assert output["title_copy"] == "String!"
    assert output["due_copy"] == "DateString"
    assert output["views_copy"] == "BigInteger!"
    assert output["status_display"] == "JSONValue"
    inputs = sdl(ConvTaskSerializer(), INPUT)
    assert not {"title_copy", "due_copy", "views_copy", "status_display"} & set(inputs)


def test_read_only_and_model_field_over_an_integer_column_are_int():
    bound = bound_fields(ConvTaskSerializer)
    assert convert_serializer_field(bound["priority_copy"], OUTPUT) is graphene.Int
    assert convert_serializer_field(bound["priority_model"], OUTPUT) is graphene.Int


def test_hidden_field_is_neither_input_nor_output():
    secret = bound_fields(ConvTaskSerializer)["secret"]
    for mode in Mode:
        assert convert_serializer_field(secret, mode) is None
        assert "secret" not in build_fields(ConvTaskSerializer(), mode)
    owner = TaskSerializer().fields["owner"]
    assert isinstance(owner, serializers.HiddenField)
    for name in ("TaskInput", "TaskPartialInput", "TaskOutput"):
        assert "owner" not in testapp_schema.graphql_schema.get_type(name).fields


def test_model_field():
    bound = bound_fields(ConvTaskSerializer)
    assert isinstance(bound["notes_model"], serializers.ModelField)
    assert convert_serializer_field(bound["notes_model"], INPUT) is graphene.String
    assert convert_serializer_field(bound["notes_model"], OUTPUT) is graphene.String


class Point(models.Field):
    """A model field DRF has no serializer field for: ModelSerializer gives a ModelField."""

    def get_internal_type(self):
        return "TextField"


def test_a_model_field_drf_cannot_map_is_json_and_built_once(monkeypatch):
    """DRF reads it with its to_python() and renders its protected value or its text:
    JSON, as REST writes it (a range field's text, or its ``[lower, upper]`` input)."""
    from django.test.utils import isolate_apps

    with isolate_apps("tests.testapp"):

        class ConvPointModel(models.Model):
            where = Point()

            class Meta:
                app_label = "testapp"

        class ConvPointSerializer(serializers.ModelSerializer):
            class Meta:
                model = ConvPointModel
                fields = ["where"]

    built = []
    drf_build = serializers.ModelSerializer.build_standard_field

    def build_standard_field(self, *args, **kwargs):
        built.append(args[0])
        return drf_build(self, *args, **kwargs)

    field = ConvPointSerializer().fields["where"]
    assert type(field) is serializers.ModelField
    monkeypatch.setattr(serializers.ModelSerializer, "build_standard_field", build_standard_field)
    assert convert_serializer_field(field, OUTPUT) is JSON
    assert convert_serializer_field(field, INPUT) is JSON
    assert built == ["where", "where"]  # once per mode, never again from its own answer


@pytest.mark.skipif(not hasattr(models, "GeneratedField"), reason="GeneratedField: Django 5.0+")
def test_a_generated_field_is_typed_by_its_output_field():
    """REST writes the output field's values (42, true, 31.5, an ISO datetime); a String
    would have written "42", "true"..."""
    from django.db.models import F, Value
    from django.db.models.lookups import GreaterThan
    from django.test.utils import isolate_apps

    with isolate_apps("tests.testapp"):

        class ConvGenerated(models.Model):
            n = models.IntegerField()
            doubled = models.GeneratedField(
                expression=F("n") * 2, output_field=models.IntegerField(), db_persist=True
            )
            positive = models.GeneratedField(
                expression=GreaterThan(F("n"), 0),
                output_field=models.BooleanField(),
                db_persist=True,
            )
            total = models.GeneratedField(
                expression=F("n") * Value(Decimal("1.5")),
                output_field=models.DecimalField(max_digits=8, decimal_places=2),
                db_persist=True,
            )
            stamp = models.GeneratedField(
                expression=Value(datetime(2024, 1, 1, tzinfo=timezone.utc)),
                output_field=models.DateTimeField(),
                db_persist=True,
            )

            class Meta:
                app_label = "testapp"

        class ConvGeneratedSerializer(serializers.ModelSerializer):
            class Meta:
                model = ConvGenerated
                fields = ["doubled", "positive", "total", "stamp"]

    fields = ConvGeneratedSerializer().fields
    assert {name: convert_serializer_field(field, OUTPUT) for name, field in fields.items()} == {
        "doubled": graphene.Int,
        "positive": graphene.Boolean,
        "total": DecimalString,
        "stamp": DateTimeString,
    }
    row = ConvGenerated(n=21, doubled=42, positive=True, total=Decimal("31.50"))
    row.stamp = datetime(2024, 1, 1, tzinfo=timezone.utc)
    rendered = ConvGeneratedSerializer(row).data
    assert json.loads(json.dumps(rendered, cls=JSONEncoder)) == {
        "doubled": 42,
        "positive": True,
        "total": 31.5,
        "stamp": "2024-01-01T00:00:00Z",
    }  # REST's body; the scalars write the same
    assert DecimalString.serialize(rendered["total"]) == 31.5
    assert DateTimeString.serialize(rendered["stamp"]) == "2024-01-01T00:00:00Z"


def test_a_model_field_written_as_text_is_never_a_list():
    """ModelField writes an array as the model field's text (``'["1", "2"]'``), as REST
    does: typed as the list DRF's ArrayField mapping gives, it could not be read."""
    from django.contrib.postgres.fields import ArrayField
    from django.test.utils import isolate_apps

    with isolate_apps("tests.testapp"):

        class ConvArrayModel(models.Model):
            numbers = ArrayField(models.IntegerField())

            class Meta:
                app_label = "testapp"

        class ConvArraySerializer(serializers.ModelSerializer):
            as_text = serializers.ModelField(
                model_field=ConvArrayModel._meta.get_field("numbers"), read_only=True
            )

            class Meta:
                model = ConvArrayModel
                fields = ["numbers", "as_text"]

    fields = ConvArraySerializer().fields
    assert convert_serializer_field(fields["as_text"], OUTPUT) is JSON
    assert isinstance(convert_serializer_field(fields["numbers"], OUTPUT), graphene.List)
    row = ConvArrayModel(numbers=[1, 2])
    assert ConvArraySerializer(row).data == {"numbers": [1, 2], "as_text": '["1", "2"]'}


def test_a_model_field_over_a_key_to_the_serializers_own_model_is_a_number():
    """Another row's key (a tree's parent), though it points at this model's pk: REST
    writes the number; only the row's own pk is an ``ID``."""

    class ConvProjectKeySerializer(serializers.ModelSerializer):
        key = serializers.ModelField(model_field=Task._meta.get_field("project"), read_only=True)

        class Meta:
            model = Project
            fields = ["id", "key"]

    bound = bound_fields(ConvProjectKeySerializer)
    assert convert_serializer_field(bound["key"], OUTPUT) is BigInteger  # a BigAutoField key
    assert convert_serializer_field(bound["id"], OUTPUT) is graphene.ID


def test_a_multi_table_childs_parent_link_is_its_own_id():
    """ModelSerializer gives a child's pk (``place_ptr``) as a ``ReadOnlyField`` over the
    parent link: the row's own key, an ``ID`` as its ``id`` is, not another row's number."""
    from django.db import models
    from django.test.utils import isolate_apps

    with isolate_apps("tests.testapp"):

        class ConvPlace(models.Model):
            name = models.CharField(max_length=20)

            class Meta:
                app_label = "testapp"

        class ConvRestaurant(ConvPlace):
            class Meta:
                app_label = "testapp"

        class ConvRestaurantSerializer(serializers.ModelSerializer):
            class Meta:
                model = ConvRestaurant
                fields = ["id", "convplace_ptr", "name"]

        assert sdl(ConvRestaurantSerializer(), OUTPUT) == {
            "id": "ID!",
            "convplace_ptr": "ID!",
            "name": "String!",
        }


@pytest.mark.django_db
def test_a_uuid_as_an_integer_takes_the_uuids_text_too(gql):
    """``UUIDField(format="int")`` reads the integer and the text, as under REST."""
    text = "12345678-1234-5678-1234-567812345678"
    status, body = gql(
        f'mutation {{ echo(input: {{uuidInt: "{text}"}}) {{ echo {{ uuidInt }} }} }}'
    )
    assert body == {"data": {"echo": {"echo": {"uuidInt": uuid.UUID(text).int}}}}


# ------------------------------------------------------------------------- method fields


def test_serializer_method_field_typed_from_its_annotation():
    bound = bound_fields(ConvMethodSerializer)
    assert convert_serializer_field(bound["count"], OUTPUT) == nn(graphene.Int)
    assert convert_serializer_field(bound["maybe"], OUTPUT) is graphene.Int
    # A list annotation cannot be None, like ``-> int``: the list is non-null too.
    assert convert_serializer_field(bound["names"], OUTPUT) == nn(list_of(graphene.String))
    assert convert_serializer_field(bound["untyped"], OUTPUT) is JSON
    assert convert_serializer_field(bound["mapping"], OUTPUT) is JSON
    assert convert_serializer_field(bound["when"], OUTPUT) is JSON
    assert convert_serializer_field(bound["renamed"], OUTPUT) == nn(graphene.Boolean)
    assert sdl(ConvMethodSerializer(), INPUT) == {}


class ConvGuardedImportSerializer(serializers.Serializer):
    doubled = serializers.SerializerMethodField()

    # The parameter's model imported under TYPE_CHECKING only, against an import cycle.
    def get_doubled(self, obj: "OnlyImportedWhileTypeChecking") -> int:  # noqa: F821
        return 2


def test_only_the_return_annotation_types_a_method_field():
    """A parameter's annotation that cannot be resolved says nothing of the field."""
    bound = bound_fields(ConvGuardedImportSerializer)
    assert convert_serializer_field(bound["doubled"], OUTPUT) == nn(graphene.Int)


def test_method_field_presence_in_the_output_type():
    assert sdl(ConvMethodSerializer(), OUTPUT) == {
        "count": "Int!",
        "maybe": "Int",
        "names": "[String!]!",
        "untyped": "JSONValue",
        "mapping": "JSONValue",
        "when": "JSONValue",
        "renamed": "Boolean!",
    }


@pytest.mark.urls(__name__)
def test_method_fields_returning_none_through_http(gql):
    status, body = gql("{ convMethods { count maybe names untyped mapping renamed } }")
    assert body == {
        "data": {
            "convMethods": {
                "count": 3,
                "maybe": None,
                "names": ["a", "b"],
                "untyped": None,
                "mapping": {"a": 1},
                "renamed": True,
            }
        }
    }


@pytest.mark.django_db
def test_method_field_through_http(gql):
    status, body = gql(ECHO_QUERY.format(selection="method"), {"input": {}})
    assert body == {"data": {"echo": {"echo": {"method": [1, 2]}}}}


# ----------------------------------------------------------------------------- relations


def test_related_fields():
    bound = bound_fields(ConvRelationsSerializer)
    assert convert_serializer_field(bound["tag"], INPUT) is graphene.ID
    assert convert_serializer_field(bound["tag"], OUTPUT) is graphene.ID
    assert convert_serializer_field(bound["tags"], INPUT) == list_of(graphene.ID)
    assert convert_serializer_field(bound["tags"], OUTPUT) == list_of(graphene.ID)
    assert convert_serializer_field(bound["project"], INPUT) is graphene.String
    assert convert_serializer_field(bound["projects"], INPUT) == list_of(graphene.String)
    for name in ("link", "self_link", "text"):
        assert convert_serializer_field(bound[name], OUTPUT) is graphene.String
    # str() of a row is never None (a slug from a nullable column, or a link to an empty
    # key, may be: see test_nulls_rest_renders_are_nullable_outputs).
    assert convert_serializer_field(bound["texts"], OUTPUT) == list_of(graphene.String)
    assert sdl(ConvRelationsSerializer(), INPUT) == {
        "tag": "ID!",
        "tags": "[ID!]!",
        "project": "String!",
        "projects": "[String!]",
    }


def test_model_related_fields():
    bound = bound_fields(ConvTaskSerializer)
    assert isinstance(bound["owner"], serializers.PrimaryKeyRelatedField)
    assert convert_serializer_field(bound["owner"], INPUT) is graphene.ID
    assert convert_serializer_field(bound["tags"], INPUT) == list_of(graphene.ID)
    assert convert_serializer_field(bound["project_slug"], OUTPUT) is graphene.String
    output = sdl(ConvTaskSerializer(), OUTPUT)
    assert output["owner"] == "ID"  # null=True foreign key
    assert output["tags"] == "[ID!]!"  # a manager: always a list
    assert output["project_slug"] == "String"
    inputs = sdl(ConvTaskSerializer(), INPUT)
    assert inputs["owner"] == "ID"
    assert inputs["tags"] == "[ID!]"  # blank=True


# --------------------------------------------------------------------------------- nesting


def test_nested_serializers_are_object_types():
    bound = bound_fields(ConvNestingSerializer)
    tag_output = convert_serializer_field(bound["tag"], OUTPUT)
    tag_input = convert_serializer_field(bound["tag"], INPUT)
    tag_partial = convert_serializer_field(bound["tag"], PARTIAL)
    assert (tag_output._meta.name, tag_input._meta.name, tag_partial._meta.name) == (
        "TagOutput",
        "TagInput",
        "TagPartialInput",
    )
    assert issubclass(tag_output, graphene.ObjectType)
    assert issubclass(tag_input, graphene.InputObjectType)
    assert convert_serializer_field(bound["tags"], OUTPUT) == list_of(tag_output)
    assert convert_serializer_field(bound["tags"], INPUT) == list_of(tag_input)
    assert sdl(ConvNestingSerializer(), INPUT) == {
        "tag": "TagInput!",
        "tags": "[TagInput!]!",
        "maybe_tag": "TagInput",
    }
    assert sdl(ConvNestingSerializer(), PARTIAL) == {
        "tag": "TagPartialInput",
        "tags": "[TagPartialInput!]",
        "maybe_tag": "TagPartialInput",
    }
    # Partial all the way down: DRF's partial=True skips missing nested fields too.
    assert sdl(TagSerializer(), PARTIAL) == {"id": "ID", "name": "String"}
    assert sdl(TagSerializer(), INPUT) == {"id": "ID", "name": "String!"}


class ConvNullItemsSerializer(serializers.Serializer):
    tags = TagSerializer(many=True, allow_null=True, required=False)


class ConvNullItems(SerializerMutation):
    class Meta:
        serializer_class = ConvNullItemsSerializer

    @classmethod
    def perform_mutate(cls, serializer, info):
        return {"tags": [item for item in serializer.validated_data["tags"] if item]}


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_many_nested_allowing_null_takes_null_items_as_drf_does(client):
    """DRF gives ``allow_null`` of ``many=True`` to the child too: a None item validates."""
    serializer = ConvNullItemsSerializer(data={"tags": [{"name": "a"}, None]})
    assert serializer.is_valid(), serializer.errors
    assert sdl(ConvNullItemsSerializer(), INPUT) == {"tags": "[TagInput]"}
    assert sdl(ConvNullItemsSerializer(), PARTIAL) == {"tags": "[TagPartialInput]"}
    assert sdl(ConvNullItemsSerializer(), OUTPUT) == {"tags": "[TagOutput!]"}

    schema = graphene.Schema(
        query=ConvQuery,
        mutation=type("NullItemsMutation", (graphene.ObjectType,), {"echo": ConvNullItems.Field()}),
    )
    urlpatterns.append(path("null-items-graphql/", DRFGraphQLView.as_view(schema=schema)))
    query = (
        "mutation($input: ConvNullItemsInput!) "
        "{ echo(input: $input) { convNullItems { tags { name } } } }"
    )
    try:
        body = client.post(
            "/null-items-graphql/",
            json.dumps({"query": query, "variables": {"input": {"tags": [{"name": "a"}, None]}}}),
            content_type="application/json",
        ).json()
    finally:
        del urlpatterns[-1]
    assert body == {"data": {"echo": {"convNullItems": {"tags": [{"name": "a"}]}}}}


class ConvNullSubtasksWriter(WritableNestedModelSerializer):
    subtasks = SubtaskSerializer(many=True, allow_null=True, required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "subtasks"]


def test_a_nested_writer_keeps_its_items_non_null():
    """drf-writable-nested cannot save a None item (a 500 under REST): refused as bad input."""
    assert sdl(ConvNullSubtasksWriter(), INPUT)["subtasks"] == "[SubtaskInput!]"
    assert sdl(ConvNullSubtasksWriter(), PARTIAL)["subtasks"] == "[SubtaskPartialInput!]"


def test_read_only_nested_model_serializers():
    bound = bound_fields(ConvTaskSerializer)
    assert convert_serializer_field(bound["project_obj"], OUTPUT) is serializer_type(
        ProjectSerializer, OUTPUT
    )
    output = sdl(ConvTaskSerializer(), OUTPUT)
    assert output["project_obj"] == "ProjectOutput"  # null=True foreign key
    assert output["tag_list"] == "[TagOutput!]!"


# =================================================================================== presence


def test_presence_rules():
    assert sdl(ConvPresenceSerializer(), INPUT) == {
        "needed": "String!",
        "maybe": "String",  # required, but null is allowed: DRF reports the omission
        "optional": "String",
        "defaulted": "String",
        "optional_null": "String",
        "secret": "String",
    }
    assert sdl(ConvPresenceSerializer(), PARTIAL) == {
        "needed": "String",
        "maybe": "String",
        "optional": "String",
        "defaulted": "String",
        "optional_null": "String",
        "secret": "String",
    }
    # Output: read_only in, write_only out; non-null only over non-null columns.
    assert sdl(ConvPresenceSerializer(), OUTPUT) == {
        "needed": "String",  # required says nothing of output: None stays None
        "maybe": "String",
        "optional": "String",
        "defaulted": "String",
        "optional_null": "String",
        "computed": "String",
    }
    bound = ConvPresenceSerializer().fields
    assert is_non_null(bound["needed"], INPUT) is True
    assert is_non_null(bound["needed"], PARTIAL) is False
    assert is_non_null(bound["maybe"], INPUT) is False


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_required_nullable_field_omitted_is_drf_s_required_error(gql):
    query = (
        "mutation($input: ConvPresenceInput!) "
        "{ convPresence(input: $input) { result { needed maybe optional defaulted } } }"
    )
    status, body = gql(query, {"input": {"needed": "x"}})
    assert status == 200
    assert body["data"] == {"convPresence": None}
    assert len(body["errors"]) == 1
    assert body["errors"][0]["path"] == ["convPresence"]
    assert body["errors"][0]["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [{"field": "maybe", "message": "This field is required.", "code": "required"}],
    }
    # An explicit null is accepted, as DRF accepts it; the default applies when omitted.
    status, body = gql(query, {"input": {"needed": "x", "maybe": None}})
    assert body == {
        "data": {
            "convPresence": {
                "result": {"needed": "x", "maybe": None, "optional": None, "defaulted": "fallback"}
            }
        }
    }


@pytest.mark.urls(__name__)
def test_required_non_null_field_is_refused_by_graphql(gql):
    query = (
        "mutation($input: ConvPresenceInput!) { convPresence(input: $input) { result { maybe } } }"
    )
    status, body = gql(query, {"input": {"maybe": "y"}})
    assert status == 400
    assert "data" not in body
    assert (
        "Field 'needed' of required type 'String!' was not provided."
        in (body["errors"][0]["message"])
    )


def test_write_only_password_is_never_output():
    assert sdl(UserSerializer(), INPUT) == {
        "id": "ID",
        "username": "String!",
        "password": "String!",
    }
    assert sdl(UserSerializer(), OUTPUT) == {"id": "ID!", "username": "String!"}
    assert "password" not in testapp_schema.graphql_schema.get_type("UserOutput").fields
    assert "password" in testapp_schema.graphql_schema.get_type("UserInput").fields


@pytest.mark.django_db
def test_password_cannot_be_queried(gql):
    status, body = gql(
        'mutation { createUser(input: {username: "bob", password: "pw-12345"}) '
        "{ user { username password } } }"
    )
    assert status == 400
    assert body["errors"][0]["message"] == "Cannot query field 'password' on type 'UserOutput'."


def test_output_non_null_follows_the_model_columns():
    output = sdl(ConvTaskSerializer(), OUTPUT)
    assert output["id"] == "ID!"
    assert output["title"] == "String!"  # null=False
    assert output["notes"] == "String!"
    assert output["status"] == "ConvTaskStatusChoices!"
    assert output["created"] == "DateTimeString!"
    assert output["estimate"] == "DecimalString"  # null=True
    assert output["due_date"] == "DateString"
    assert output["owner"] == "ID"  # null=True foreign key
    assert output["project_name"] == "String"  # through a null=True foreign key
    # Through a non-null foreign key to a non-null column: non-null.
    assert sdl(ConvSubtaskSerializer(), OUTPUT) == {
        "id": "ID!",
        "title": "String!",
        "task": "ID!",
        "task_title": "String!",
    }


def test_declared_required_field_over_a_nullable_column_is_nullable_in_output():
    assert sdl(ConvTaskSerializer(), INPUT)["due"] == "DateString!"  # input: DRF requires it
    assert sdl(ConvTaskSerializer(), OUTPUT)["due"] == "DateString"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_row_with_null_columns_reads_back(gql):
    task = TaskFactory(title="No date", owner=None)
    status, body = gql(
        "query($id: ID!) { convTask(id: $id) { title dueDate due owner projectName } }",
        {"id": str(task.pk)},
    )
    assert body == {
        "data": {
            "convTask": {
                "title": "No date",
                "dueDate": None,
                "due": None,
                "owner": None,
                "projectName": None,
            }
        }
    }


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_model_serializer_output_through_http(gql):
    owner = UserFactory(username="carol")
    project = ProjectFactory(slug="garden", name="Garden")
    task = TaskFactory(
        title="Dig", owner=owner, project=project, priority=7, views=2**40, due_date="2025-01-02"
    )
    tag = TagFactory(name="outdoor")
    task.tags.add(tag)
    status, body = gql(
        "query($id: ID!) { convTask(id: $id) { id title status priority views dueDate due owner "
        "project tags projectName projectSlug projectObj { slug name } tagList { id name } "
        "titleCopy viewsCopy statusDisplay notesModel } }",
        {"id": str(task.pk)},
    )
    assert body == {
        "data": {
            "convTask": {
                "id": str(task.pk),
                "title": "Dig",
                "status": "TODO",
                "priority": 7,
                "views": 2**40,
                "dueDate": "2025-01-02",
                "due": "2025-01-02",
                "owner": str(owner.pk),
                "project": str(project.pk),
                "tags": [str(tag.pk)],
                "projectName": "Garden",
                "projectSlug": "garden",
                "projectObj": {"slug": "garden", "name": "Garden"},
                "tagList": [{"id": str(tag.pk), "name": "outdoor"}],
                "titleCopy": "Dig",
                "viewsCopy": 2**40,
                "statusDisplay": "To do",
                "notesModel": "",
            }
        }
    }


# =============================================================================== descriptions


def test_help_text_and_label_become_descriptions():
    assert field_description(ConvDescribedSerializer().fields["headline"]) == "Main title"
    assert descriptions(ConvDescribedSerializer(), INPUT) == {
        "headline": "Main title",
        "due_date": None,  # the label only repeats the field's name
        "name": None,
        "code": None,
        "both": "The help text wins.",
        "plain": None,
        "lazy": "Lazy help",
    }
    assert descriptions(ConvDescribedSerializer(), OUTPUT) == descriptions(
        ConvDescribedSerializer(), INPUT
    )
    # A model field's help_text, and its verbose name which repeats the field's name.
    task_descriptions = descriptions(TaskSerializer(), OUTPUT)
    assert task_descriptions["title"] == "What is to be done."
    assert task_descriptions["due_date"] is None
    task_output = testapp_schema.graphql_schema.get_type("TaskOutput")
    assert task_output.fields["title"].description == "What is to be done."
    assert task_output.fields["dueDate"].description is None


# ========================================================================== users' own rules


def test_registered_rule_for_a_user_field_class():
    bound = bound_fields(ConvCustomSerializer)
    assert convert_serializer_field.dispatch(ConvCentsField) is convert_cents
    assert convert_serializer_field(bound["amount"], INPUT) is graphene.Float
    assert convert_serializer_field(bound["amount"], OUTPUT) is graphene.Float
    # A subclass of a built-in field takes its base's rule with no registration.
    assert convert_serializer_field(bound["shout"], INPUT) is graphene.String
    # No rule anywhere in the MRO: JSON.
    assert convert_serializer_field(bound["opaque"], INPUT) is JSON
    assert sdl(ConvCustomSerializer(), INPUT) == {
        "amount": "Float!",
        "shout": "String",
        "opaque": "JSONValue",
    }


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_user_field_classes_through_http(gql):
    status, body = gql(
        "mutation($input: ConvCustomInput!) "
        "{ convCustom(input: $input) { result { amount shout opaque cents } } }",
        {"input": {"amount": 12.5, "shout": "hi", "opaque": [1, {"x": "y"}]}},
    )
    assert body == {
        "data": {
            "convCustom": {
                "result": {"amount": 12.5, "shout": "HI", "opaque": [1, {"x": "y"}], "cents": 1250}
            }
        }
    }


def test_the_task_serializer_translation():
    assert sdl(TaskSerializer(), OUTPUT) == {
        "id": "ID!",
        "title": "String!",
        "notes": "String!",
        "status": "TaskStatusChoices!",
        "priority": "Int!",
        "views": "BigInteger!",
        "estimate": "DecimalString",
        "due_date": "DateString",
        "created": "DateTimeString!",
        "owner_name": "String",
        "project": "String",
        "tags": "[ID!]!",
        "subtasks": "[SubtaskOutput!]!",
        "is_overdue": "Boolean!",
    }
    assert sdl(TaskSerializer(), INPUT) == {
        "id": "ID",
        "title": "String!",
        "notes": "String",
        "status": "TaskStatusChoices",
        "priority": "Int",
        "views": "BigInteger",
        "estimate": "DecimalString",
        "due_date": "DateString",
        "project": "String",
        "tags": "[ID!]",
        "subtasks": "[SubtaskInput!]",
    }
    assert set(sdl(TaskSerializer(), PARTIAL).values()) == {
        "ID",
        "String",
        "TaskStatusChoices",
        "Int",
        "BigInteger",
        "DecimalString",
        "DateString",
        "[ID!]",
        "[SubtaskPartialInput!]",
    }


# ====================================================================== native values, as REST

NATIVE_QUERY = (
    "query($id: ID!) { convNative(id: $id) "
    "{ estimate estimateNumber estimateCopy ratio age statusCopy } }"
)
NATIVE_CREATE = (
    "mutation($input: ConvNativeInput!) "
    "{ convNativeCreate(input: $input) { task { title views estimateNumber statusCopy } } }"
)


def rest(client, method, url, data=None):
    response = getattr(client, method)(url, data, content_type="application/json")
    return response.status_code, response.json()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("views", [1.5, "1.5", "2.9", "1e3", True], ids=repr)
def test_big_integer_input_is_parsed_by_drf_as_under_rest(client, gql, views):
    """graphene's BigInt would save 1, 1, 2, 1000, 1: DRF's field refuses them all."""
    status, rest_body = rest(client, "post", "/api/native/", {"title": "Good", "views": views})
    # The message is DRF's (BigIntegerField's on DRF >= 3.17, IntegerField's before).
    assert status == 400 and list(rest_body) == ["views"]
    (message,) = rest_body["views"]
    assert message in ("A valid biginteger is required.", "A valid integer is required.")

    status, body = gql(NATIVE_CREATE, {"input": {"title": "Good", "views": views}})
    assert body["data"] == {"convNativeCreate": None}
    assert body["errors"][0]["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [{"field": "views", "message": message, "code": "invalid"}],
    }
    assert not Task.objects.exists()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_big_integer_literal_and_variable_are_saved_and_returned_as_numbers(client, gql):
    status, body = gql(
        'mutation { convNativeCreate(input: {title: "Inline", views: 5000000000}) '
        "{ task { views } } }"
    )
    assert body == {"data": {"convNativeCreate": {"task": {"views": 5_000_000_000}}}}
    # A JSON string of digits is DRF's to parse, as under REST.
    for views in (5_000_000_001, "5000000001"):
        status, body = gql(NATIVE_CREATE, {"input": {"title": "Variable", "views": views}})
        assert body["data"]["convNativeCreate"]["task"]["views"] == 5_000_000_001
        assert (
            rest(client, "post", "/api/native/", {"title": "Rest", "views": views})[1]["views"]
            == 5_000_000_001
        )
    assert (
        sorted(Task.objects.values_list("views", flat=True))
        == [5_000_000_000] + [5_000_000_001] * 4
    )
    # A number literal is DRF's to read, as the same number in a variable or a REST body:
    # 1.0 is stored as 1, 1.5 is DRF's refusal (it was GraphQL's "Expected value of type").
    literal = (
        'mutation {{ convNativeCreate(input: {{title: "x", views: {} }}) '
        "{{ task {{ title views estimateNumber statusCopy }} }} }}"
    )
    answers = []
    for number in ("1.0", "1.5"):
        by_literal = gql(literal.format(number))[1]
        by_variable = gql(NATIVE_CREATE, {"input": {"title": "x", "views": float(number)}})[1]
        assert by_literal["data"] == by_variable["data"]
        assert [e["extensions"] for e in by_literal.get("errors", ())] == [
            e["extensions"] for e in by_variable.get("errors", ())
        ]
        answers.append(by_literal)
    assert answers[0]["data"]["convNativeCreate"]["task"]["views"] == 1
    # REST's own message ("A valid integer is required.", "biginteger" from DRF 3.17).
    status, refusal = rest(client, "post", "/api/native/", {"title": "Rest", "views": 1.5})
    assert answers[1]["errors"][0]["extensions"]["errors"] == [
        {"field": "views", "message": refusal["views"][0], "code": "invalid"}
    ]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_native_decimal_and_timedelta_outputs_are_what_rest_writes(client, gql):
    task = TaskFactory(estimate=Decimal("12.5"))
    status, body = rest(client, "get", f"/api/native/{task.pk}/")
    assert status == 200
    assert {key: body[key] for key in ("estimate", "estimate_number", "estimate_copy")} == {
        "estimate": "12.5000",  # coerce_to_string: the serializer's text
        "estimate_number": 12.5,
        "estimate_copy": 12.5,
    }
    assert (body["ratio"], body["age"], body["status_copy"]) == (12.5, "3603.0", "todo")

    status, body = gql(NATIVE_QUERY, {"id": str(task.pk)})
    assert body == {
        "data": {
            "convNative": {
                "estimate": "12.5000",
                "estimateNumber": 12.5,
                "estimateCopy": 12.5,
                "ratio": 12.5,
                "age": "3603.0",
                "statusCopy": "TODO",
            }
        }
    }


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("with_project", [True, False])
def test_a_model_field_over_a_foreign_key_is_the_key_as_rest_writes_it(client, gql, with_project):
    """The column's value: the related row's key, a number here, as REST writes it."""
    task = TaskFactory(project=ProjectFactory() if with_project else None)
    status, body = rest(client, "get", f"/api/native/{task.pk}/")
    assert body["project_key"] == (task.project_id if with_project else None)
    status, body = gql("query($id: ID!) { convNative(id: $id) { projectKey } }", {"id": task.pk})
    assert body == {"data": {"convNative": {"projectKey": task.project_id}}}


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_create_payload_returns_model_defaults_and_decimals_as_rest(client, gql):
    """After create() the instance holds the model's default, ``Task.Status.TODO``."""
    status, body = rest(client, "post", "/api/native/", {"title": "abc", "estimate": "3.25"})
    assert status == 201
    assert (body["status_copy"], body["estimate_number"]) == ("todo", 3.25)

    status, body = gql(NATIVE_CREATE, {"input": {"title": "abc", "estimate": "3.25"}})
    assert body == {
        "data": {
            "convNativeCreate": {
                "task": {
                    "title": "abc",
                    "views": 0,
                    "estimateNumber": 3.25,
                    "statusCopy": "TODO",
                }
            }
        }
    }


def test_native_scalar_values_are_encoded_as_drf_s_encoder_does():
    assert DecimalString.serialize("12.5000") == "12.5000"  # the serializer's text, as is
    assert DecimalString.serialize(Decimal("12.5000")) == 12.5
    assert DecimalString.serialize(7) == 7
    with pytest.raises(GraphQLError, match="cannot represent value: NaN"):
        DecimalString.serialize(Decimal("NaN"))  # REST's strict JSON refuses it too
    assert DurationString.serialize("01:00:03") == "01:00:03"  # DurationField's text
    assert DurationString.serialize(timedelta(days=1, microseconds=5)) == "86400.000005"
    # Input stays DRF's to parse, unchanged.
    assert DecimalString.parse_value("1.50") == "1.50"
    assert DurationString.parse_value("1 02:00:00") == "1 02:00:00"


class PricedDecimalField(serializers.DecimalField):
    """Renders a dict where its base renders text, without a rule of its own."""

    def to_representation(self, value):
        return {"amount": super().to_representation(value), "currency": "EUR"}


class EpochDateTimeField(serializers.DateTimeField):
    """Renders a number where its base renders text, without a rule of its own."""

    def to_representation(self, value):
        return int(value.timestamp())


class ConvRenderedElsewiseSerializer(serializers.ModelSerializer):
    estimate = PricedDecimalField(max_digits=12, decimal_places=4, allow_null=True)
    created = EpochDateTimeField(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "estimate", "created"]


@pytest.mark.django_db
def test_a_text_scalar_refuses_another_kind_of_value_rather_than_writing_its_repr(
    isolated_registry,
):
    """A field class rendering another kind of value than its base, with no rule of its
    own, fails its field, as the README says and as GraphQL's String refuses a dict; a text
    scalar wrote Python's repr of it (``"{'amount': '1.50', ...}"``). A number is written as
    text, as String writes one."""
    task = TaskFactory(estimate=Decimal("1.5"))

    class ConvRenderedQuery(graphene.ObjectType):
        task = RetrieveField(ConvRenderedElsewiseSerializer)

    view = DRFGraphQLView.as_view(schema=graphene.Schema(query=ConvRenderedQuery))
    body = json.dumps({"query": f'{{ task(id: "{task.pk}") {{ id created estimate }} }}'})
    response = view(RequestFactory().post("/graphql/", body, content_type="application/json"))
    answer = json.loads(response.content)
    created = str(int(task.created.timestamp()))  # REST: the number
    assert answer["data"] == {"task": {"id": str(task.pk), "created": created, "estimate": None}}
    assert [(error["path"], error["message"]) for error in answer["errors"]] == [
        (
            ["task", "estimate"],
            "DecimalString cannot represent value: {'amount': '1.5000', 'currency': 'EUR'}",
        ),
    ]
    assert DateTimeString.serialize(1704153600) == "1704153600"
    assert DurationString.serialize(Decimal("3600.5")) == "3600.5"
    assert DateString.serialize(True) == "true"  # as GraphQL's String writes it
    with pytest.raises(GraphQLError, match="DecimalString cannot represent value: {'amount'"):
        DecimalString.serialize({"amount": "1.50"})
    for scalar in (DateTimeString, DateString, TimeString, DurationString, UUIDString):
        with pytest.raises(GraphQLError, match=f"{scalar._meta.name} cannot represent value"):
            scalar.serialize(["12345678"])


def test_a_method_field_without_its_method_is_refused_where_types_are_built(isolated_registry):
    """REST fails every answer rendering it (AttributeError); it passed every check and
    every call was an INTERNAL_SERVER_ERROR, after its write was undone."""

    class ConvMethodlessSerializer(serializers.ModelSerializer):
        summary = serializers.SerializerMethodField()

        class Meta:
            model = Task
            fields = ["id", "summary"]

    with pytest.raises(
        ImproperlyConfigured,
        match=r"ConvMethodlessSerializer\.summary is a SerializerMethodField without its "
        r"method: define .*ConvMethodlessSerializer\.get_summary\(self, obj\)",
    ):
        serializer_type(ConvMethodlessSerializer, Mode.OUTPUT)
    # Unbound, a method field says nothing of its method: JSON, as before.
    assert convert_serializer_field(serializers.SerializerMethodField()) is JSON


def test_big_integer_hands_variables_and_integer_or_text_literals_to_drf():
    for value in (1.5, "2.9", True, "abc", {"a": 1}):
        assert BigInteger.parse_value(value) is value
    assert BigInteger.parse_literal(IntValueNode(value="5000000000")) == 5_000_000_000
    assert BigInteger.parse_literal(FloatValueNode(value="1.5")) == 1.5  # DRF refuses it
    assert BigInteger.parse_literal(BooleanValueNode(value=True)) is True  # DRF refuses it
    # Its text, as a variable or a REST body may give it: DRF's integer field reads it.
    assert BigInteger.parse_literal(StringValueNode(value="1")) == "1"
    assert BigInteger.serialize(5_000_000_000) == 5_000_000_000
    assert BigInteger._meta.name == "BigInteger"


def test_choice_enums_represent_a_django_choices_member_by_its_value():
    class ConvLevel(models.IntegerChoices):
        LOW = 1, "Low"
        HIGH = 2, "High"

    class ConvLevelsSerializer(serializers.Serializer):
        level = serializers.ChoiceField(choices=ConvLevel.choices)
        status = serializers.ChoiceField(choices=Task.Status.choices)

    class ConvLevelsQuery(graphene.ObjectType):
        levels = graphene.Field(serializer_type(ConvLevelsSerializer, OUTPUT))

    types = graphene.Schema(query=ConvLevelsQuery).graphql_schema
    level = types.get_type("ConvLevelsLevelChoices")
    status = types.get_type("ConvLevelsStatusChoices")
    assert [level.serialize(value) for value in (ConvLevel.HIGH, 2)] == ["A_2", "A_2"]
    assert [status.serialize(value) for value in (Task.Status.IN_PROGRESS, "in_progress")] == [
        "IN_PROGRESS",
        "IN_PROGRESS",
    ]
    with pytest.raises(GraphQLError, match="cannot represent value"):
        level.serialize(3)


def test_big_integer_lives_beside_graphenes_big_int():
    """graphene-django types a ``BigIntegerField`` column as graphene's ``BigInt``; both fit in
    one schema, each with its own parsing."""

    class Mixed(graphene.ObjectType):
        theirs = graphene.Field(graphene.BigInt, value=graphene.BigInt())
        ours = graphene.Field(BigInteger, value=BigInteger())

        def resolve_theirs(root, info, value):
            return value

        def resolve_ours(root, info, value):
            return 7 if value == "7" else None

    schema = graphene.Schema(query=Mixed)
    assert {"BigInt", "BigInteger"} <= set(schema.graphql_schema.type_map)
    result = schema.execute(
        "query($a: BigInt!, $b: BigInteger!) { theirs(value: $a) ours(value: $b) }",
        variable_values={"a": 5_000_000_000, "b": "7"},
    )
    assert (result.errors, result.data) == (None, {"theirs": 5_000_000_000, "ours": 7})


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_plain_serializer_outputs_are_null_where_rest_returns_null(client, gql):
    task = TaskFactory(due_date=None)
    rest_body = client.get(f"/api/plain/{task.pk}/").json()
    assert rest_body == {"id": task.pk, "title": task.title, "due_date": None}
    status, body = gql(f'{{ convPlain(id: "{task.pk}") {{ id title dueDate }} }}')
    assert body == {"data": {"convPlain": {"id": task.pk, "title": task.title, "dueDate": None}}}
    assert sdl(ConvPlainSerializer(), OUTPUT) == {
        "id": "Int",
        "title": "String",
        "due_date": "DateString",
    }


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.skipif(
    not hasattr(serializers, "BigIntegerField"), reason="COERCE_BIGINT_TO_STRING is DRF >= 3.17"
)
def test_big_integers_rendered_as_text_stay_text_as_under_rest(client, gql, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "COERCE_BIGINT_TO_STRING": True}
    task = TaskFactory(views=5_000_000_000)
    status, body = rest(client, "get", f"/api/native/{task.pk}/")
    assert body["views"] == "5000000000"
    status, body = gql("query($id: ID!) { convNative(id: $id) { views } }", {"id": str(task.pk)})
    assert body == {"data": {"convNative": {"views": "5000000000"}}}


# ----------------------------------------------------------------------------- output nulls


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_nulls_rest_renders_are_nullable_outputs(client, gql):
    """Each is a null (or a null item) REST writes where the type once said `!`."""
    subtask = Subtask.objects.create(task=TaskFactory(due_date=None, owner=None), title="s")
    project = ProjectFactory()
    TaskFactory(project=project, due_date=None)
    task = TaskFactory(title="secret plan", owner=None)
    assert client.get(f"/api/null-subtasks/{subtask.pk}/").json() == {
        "id": subtask.pk,
        "task_due": None,
        "task_title": subtask.task.title,
        "task_text": subtask.task.title,
        "numbers": [1, None, 3],
    }
    assert client.get(f"/api/null-projects/{project.pk}/").json() == {
        "id": project.pk,
        "task_dues": [None],
        "task_titles": [project.tasks.get().title],
    }
    assert client.get(f"/api/redacting/{task.pk}/").json() == {
        "id": task.pk,
        "title": None,
        "owner_key": None,
    }
    status, body = gql(
        f'{{ convNullSubtask(id: "{subtask.pk}") {{ taskDue numbers }} '
        f'convNullProject(id: "{project.pk}") {{ taskDues }} '
        f'convRedacting(id: "{task.pk}") {{ title priority ownerKey }} }}'
    )
    assert body == {
        "data": {
            "convNullSubtask": {"taskDue": None, "numbers": [1, None, 3]},
            "convNullProject": {"taskDues": [None]},
            "convRedacting": {"title": None, "priority": None, "ownerKey": None},
        }
    }
    outputs = conv_schema.graphql_schema.type_map
    # A slug over a date column: the value as REST's encoder writes it, not str().
    assert str(outputs["ConvNullSubtaskOutput"].fields["taskDue"].type) == "JSONValue"
    assert str(outputs["ConvNullSubtaskOutput"].fields["numbers"].type) == "[Int]"
    assert str(outputs["ConvNullProjectOutput"].fields["taskDues"].type) == "[JSONValue]!"
    assert str(outputs["ConvRedactingTaskOutput"].fields["title"].type) == "String"
    # Keys never are null: a non-null foreign key's id, a manager's pks, the row's own id;
    # nor str() of a row, or a slug from a non-null column, behind a non-null key.
    assert str(outputs["ConvTaskOutput"].fields["tags"].type) == "[ID!]!"
    assert str(outputs["ConvNullSubtaskOutput"].fields["taskText"].type) == "String!"
    assert str(outputs["ConvNullSubtaskOutput"].fields["taskTitle"].type) == "String!"
    assert str(outputs["ConvNullProjectOutput"].fields["taskTitles"].type) == "[String!]!"
    assert str(outputs["ConvNullSubtaskOutput"].fields["id"].type) == "ID!"


def test_columns_that_yield_null_though_not_null_are_nullable_outputs():
    """A JSON column holds JSON's null; a generic foreign key's row may be gone."""
    from django.contrib.contenttypes.fields import GenericForeignKey
    from django.contrib.contenttypes.models import ContentType
    from django.test.utils import isolate_apps

    from drf_graphql_crud.queries import hints_for

    with isolate_apps("tests.testapp"):

        class Stored(models.Model):
            payload = models.JSONField(default=dict)
            kind = models.ForeignKey(ContentType, on_delete=models.CASCADE)
            object_id = models.PositiveIntegerField()
            target = GenericForeignKey("kind", "object_id")

            class Meta:
                app_label = "testapp"

        class StoredSerializer(serializers.ModelSerializer):
            target = serializers.StringRelatedField(read_only=True)
            target_text = serializers.CharField(source="target", read_only=True)

            class Meta:
                model = Stored
                fields = ["id", "payload", "target", "target_text"]

        output = sdl(StoredSerializer(), OUTPUT)
        assert output["payload"] == "JSONValue"
        assert output["target"] == "String"
        assert output["target_text"] == "String"
        # No join can fetch a generic foreign key: nothing to select_related.
        assert hints_for(StoredSerializer(), Stored)[:2] == ((), ())


def test_a_multi_table_childs_inherited_id_is_its_key():
    from django.test.utils import isolate_apps

    with isolate_apps("tests.testapp"):

        class Place(models.Model):
            name = models.CharField(max_length=20)

            class Meta:
                app_label = "testapp"

        class Restaurant(Place):
            class Meta:
                app_label = "testapp"

        class RestaurantSerializer(serializers.ModelSerializer):
            class Meta:
                model = Restaurant
                fields = ["id", "name"]

        assert sdl(RestaurantSerializer(), OUTPUT) == {"id": "ID!", "name": "String!"}


class NotesForStaffSerializer(serializers.ModelSerializer):
    """DRF's "dynamically modifying fields": notes only for staff, dropped in __init__."""

    class Meta:
        model = Task
        fields = ["id", "title", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and not request.user.is_staff:
            self.fields.pop("notes")


class NotesForStaffViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = NotesForStaffSerializer


def test_fields_a_serializer_shapes_per_instance_are_nullable_outputs():
    """Its type is built without a request: any field may be one a request drops."""
    types = sdl(NotesForStaffSerializer(), OUTPUT)
    assert types == {"id": "ID", "title": "String", "notes": "String"}
    # A column of the plain ModelSerializer stays non-null.
    assert sdl(ConvPlainSerializer(), OUTPUT)["title"] == "String"  # plain Serializer: never
    assert str(serializer_type(ProjectSerializer, OUTPUT)._meta.fields["slug"].type) == "String!"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_field_rest_leaves_out_for_a_request_is_null(client, isolated_registry):
    """REST omits notes for a non-staff user; GraphQL answers null, no error (it was an
    INTERNAL_SERVER_ERROR, nulling a whole list, and a create's answer after its commit)."""
    from drf_graphql_crud import CreateMutation, DRFGraphQLView, ListField, RetrieveField

    class NotesQuery(graphene.ObjectType):
        notes_task = RetrieveField(NotesForStaffSerializer, queryset=Task.objects.all())
        notes_tasks = ListField(NotesForStaffSerializer, queryset=Task.objects.order_by("pk"))

    class CreateNotesTask(CreateMutation):
        class Meta:
            serializer_class = NotesForStaffSerializer

    schema = graphene.Schema(
        query=NotesQuery,
        mutation=type("NotesMutation", (graphene.ObjectType,), {"create": CreateNotesTask.Field()}),
    )
    task = TaskFactory(title="Mine", notes="secret")
    client.force_login(UserFactory(is_staff=False))
    urlpatterns.extend(
        [
            path("notes-graphql/", DRFGraphQLView.as_view(schema=schema)),
            path("api/notes/<pk>/", NotesForStaffViewSet.as_view({"get": "retrieve"})),
        ]
    )
    try:
        assert client.get(f"/api/notes/{task.pk}/").json() == {"id": task.pk, "title": "Mine"}
        query = (
            "query($id: ID!) { notesTask(id: $id) { title notes } "
            "notesTasks { totalCount results { title notes } } }"
        )
        body = client.post(
            "/notes-graphql/",
            json.dumps({"query": query, "variables": {"id": task.pk}}),
            content_type="application/json",
        ).json()
        created = client.post(
            "/notes-graphql/",
            json.dumps(
                {"query": 'mutation { create(input: {title: "New"}) { task { title notes } } }'}
            ),
            content_type="application/json",
        ).json()
    finally:
        del urlpatterns[-2:]
    assert body == {
        "data": {
            "notesTask": {"title": "Mine", "notes": None},
            "notesTasks": {"totalCount": 1, "results": [{"title": "Mine", "notes": None}]},
        }
    }
    assert created == {"data": {"create": {"task": {"title": "New", "notes": None}}}}


@pytest.mark.skipif(django.VERSION < (5, 0), reason="Django < 5.0 has no callable choices")
@pytest.mark.parametrize(
    ("name", "choices", "expected"),
    [
        ("status", [("todo", "To do"), ("done", "Done")], graphene.String),
        # By the column, not by the choices of the moment (none yet, from a table).
        ("status", [], graphene.String),
        ("priority", [(1, "One"), (2, "Two")], JSON),  # numbers, as REST writes them
        ("priority", [], JSON),
    ],
)
def test_choices_a_model_reads_from_a_callable_are_no_enum(
    name, choices, expected, isolated_registry
):
    """Django calls them on every use (Django >= 5.0), and serializers are built with what
    they give then: an enum made with the schema refused a choice added since (REST took
    it), and failed to render a row holding one. The key instead, checked by DRF."""
    from django.utils.choices import CallableChoiceIterator

    field = Task._meta.get_field(name)
    saved = field.choices
    field.choices = CallableChoiceIterator(lambda: choices)
    try:

        class CallableChoicesSerializer(serializers.ModelSerializer):
            listed = serializers.MultipleChoiceField(source=name, choices=choices)

            class Meta:
                model = Task
                fields = [name, "listed"]

        fields = CallableChoicesSerializer().fields
        for mode in (Mode.OUTPUT, Mode.INPUT):
            assert convert_serializer_field(fields[name], mode) is expected
            listed = convert_serializer_field(fields["listed"], mode)
            assert isinstance(listed, graphene.List) and listed.of_type.of_type is expected
    finally:
        field.choices = saved

    # The same field with its fixed choices back: an enum, as before.
    class FixedStatusSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["status"]

    enum = convert_serializer_field(FixedStatusSerializer().fields["status"], Mode.OUTPUT)
    assert issubclass(enum, graphene.Enum)


@pytest.mark.skipif(django.VERSION < (5, 0), reason="Django < 5.0 has no callable choices")
def test_an_array_of_choices_a_model_reads_from_a_callable_is_a_list_of_keys(isolated_registry):
    """ArrayField(CharField(choices=callable)): DRF makes a ListField of a ChoiceField,
    whose model field is the array's base field."""
    from django.contrib.postgres.fields import ArrayField
    from django.test.utils import isolate_apps

    with isolate_apps("tests.testapp"):

        class ConvLabelled(models.Model):
            labels = ArrayField(models.CharField(max_length=5, choices=lambda: [("a", "A")]))

            class Meta:
                app_label = "testapp"

        class ConvLabelledSerializer(serializers.ModelSerializer):
            class Meta:
                model = ConvLabelled
                fields = ["labels"]

    field = ConvLabelledSerializer().fields["labels"]
    assert isinstance(field.child, serializers.ChoiceField)
    for mode in (Mode.OUTPUT, Mode.INPUT):
        listed = convert_serializer_field(field, mode)
        item = listed.of_type
        assert (item.of_type if isinstance(item, graphene.NonNull) else item) is graphene.String


class ConvCodeField(serializers.CharField):
    """A project's field whose rule says NonNull itself."""


@convert_serializer_field.register(ConvCodeField)
def convert_code(field, mode=Mode.OUTPUT):
    return graphene.NonNull(graphene.String)


class ConvUntypedField(serializers.Field):
    """A project's field whose rule gives no type."""

    def to_internal_value(self, data):
        return data


@convert_serializer_field.register(ConvUntypedField)
def convert_untyped(field, mode=Mode.OUTPUT):
    return None


def test_a_rules_non_null_is_left_to_drf_in_inputs_and_lookups(isolated_registry):
    """Whether an input is required is DRF's to say: a partial update's input required the
    field (REST's PATCH takes it out), and a lookup by it failed at start-up (NonNull of a
    NonNull)."""
    from drf_graphql_crud import UpdateMutation

    class ConvCodedSerializer(serializers.ModelSerializer):
        slug = ConvCodeField()
        name = ConvCodeField(required=False)

        class Meta:
            model = Project
            fields = ["slug", "name"]

    assert sdl(ConvCodedSerializer(), Mode.INPUT) == {"slug": "String!", "name": "String"}
    assert sdl(ConvCodedSerializer(), Mode.PARTIAL_INPUT) == {
        "slug": "String",
        "name": "String",
    }

    class ConvUpdateCoded(UpdateMutation):
        class Meta:
            serializer_class = ConvCodedSerializer
            lookup_field = "slug"

    assert str(ConvUpdateCoded.Field().args["slug"].type) == "String!"
    RetrieveField(ConvCodedSerializer, lookup_field="slug")


def test_a_rule_giving_no_type_to_a_required_input_is_refused(isolated_registry):
    class ConvUntypedSerializer(serializers.Serializer):
        optional = ConvUntypedField(required=False)
        needed = ConvUntypedField()

    assert "optional" not in build_fields(ConvUntypedSerializer(), Mode.PARTIAL_INPUT)
    with pytest.raises(ImproperlyConfigured, match=r"ConvUntypedSerializer\.needed: the converter"):
        build_fields(ConvUntypedSerializer(), Mode.INPUT)


# ----------------------------------------------------------------------- values as REST writes


class ScoreRedactingSerializer(serializers.ModelSerializer):
    """Blanks an annotated method's value for some rows in its own to_representation."""

    score = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "title", "score"]

    def get_score(self, obj) -> int:
        return obj.priority

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.title.startswith("secret"):
            data["score"] = None
        return data


class ScoreForStaffSerializer(serializers.ModelSerializer):
    """DRF's "dynamically modifying fields": the method field is popped for non-staff."""

    score = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "title", "score"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and not request.user.is_staff:
            self.fields.pop("score")

    def get_score(self, obj) -> int:
        return obj.priority


class ColumnValuesSerializer(serializers.ModelSerializer):
    """Slugs over a number and a datetime column, and a date field given a datetime."""

    task = serializers.SlugRelatedField(slug_field="id", queryset=Task.objects.all())
    task_priority = serializers.SlugRelatedField(
        source="task", slug_field="priority", read_only=True
    )
    task_created = serializers.SlugRelatedField(source="task", slug_field="created", read_only=True)
    task_day = serializers.DateField(source="task.created", format=None, read_only=True)

    class Meta:
        model = Subtask
        fields = ["id", "title", "task", "task_priority", "task_created", "task_day"]


class CreateColumnValues(CreateMutation):
    class Meta:
        serializer_class = ColumnValuesSerializer


class LiteralsSerializer(serializers.Serializer):
    duration = serializers.DurationField(required=False)
    uuid = serializers.UUIDField(required=False)
    big = serializers.IntegerField(required=False, max_value=2**40)

    def create(self, validated_data):
        return validated_data


class EchoLiterals(SerializerMutation):
    class Meta:
        serializer_class = LiteralsSerializer


def _fidelity_viewset(serializer_class, model):
    return type(
        f"{serializer_class.__name__}ViewSet",
        (viewsets.ModelViewSet,),
        {"serializer_class": serializer_class, "queryset": model.objects.order_by("pk")},
    )


fidelity_schema = graphene.Schema(
    query=type(
        "FidelityQuery",
        (graphene.ObjectType,),
        {
            "redacting": RetrieveField(ScoreRedactingSerializer, queryset=Task.objects.all()),
            "for_staff": RetrieveField(ScoreForStaffSerializer, queryset=Task.objects.all()),
            "column_values": RetrieveField(ColumnValuesSerializer, queryset=Subtask.objects.all()),
        },
    ),
    mutation=type(
        "FidelityMutation",
        (graphene.ObjectType,),
        {
            "create_column_values": CreateColumnValues.Field(),
            "echo_literals": EchoLiterals.Field(),
        },
    ),
)
fidelity_router = DefaultRouter()
for prefix, serializer_class, model in (
    ("redacting", ScoreRedactingSerializer, Task),
    ("for-staff", ScoreForStaffSerializer, Task),
    ("column-values", ColumnValuesSerializer, Subtask),
):
    fidelity_router.register(prefix, _fidelity_viewset(serializer_class, model), f"fid-{prefix}")
urlpatterns += [
    path("fidelity-graphql/", DRFGraphQLView.as_view(schema=fidelity_schema)),
    path("fidelity-api/", include(fidelity_router.urls)),
]


def _fidelity(client, query, variables=None):
    body = {"query": query, "variables": variables or {}}
    response = client.post("/fidelity-graphql/", json.dumps(body), content_type="application/json")
    return response.json()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_annotated_method_field_is_nullable_where_its_serializer_may_blank_or_drop_it(client):
    """REST writes None, or leaves the key out: no INTERNAL_SERVER_ERROR for a `!`."""
    types = fidelity_schema.graphql_schema.type_map
    assert str(types["ScoreRedactingOutput"].fields["score"].type) == "Int"
    assert str(types["ScoreForStaffOutput"].fields["score"].type) == "Int"
    secret = TaskFactory(title="secret plan", priority=3)
    assert client.get(f"/fidelity-api/redacting/{secret.pk}/").json()["score"] is None
    assert "score" not in client.get(f"/fidelity-api/for-staff/{secret.pk}/").json()
    body = _fidelity(
        client,
        "query($id: ID!) { redacting(id: $id) { title score } forStaff(id: $id) { title score } }",
        {"id": str(secret.pk)},
    )
    assert body == {
        "data": {
            "redacting": {"title": "secret plan", "score": None},
            "forStaff": {"title": "secret plan", "score": None},
        }
    }


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_slugs_of_other_columns_and_native_dates_are_rest_s_values(client):
    task = TaskFactory(priority=7)
    subtask = Subtask.objects.create(task=task, title="s")
    rest = client.get(f"/fidelity-api/column-values/{subtask.pk}/").json()
    assert rest["task"] == task.pk and rest["task_priority"] == 7
    assert rest["task_created"].endswith("Z") and rest["task_day"] == rest["task_created"]
    body = _fidelity(
        client,
        "query($id: ID!) { columnValues(id: $id) { task taskPriority taskCreated taskDay } }",
        {"id": str(subtask.pk)},
    )
    assert body == {
        "data": {
            "columnValues": {
                "task": rest["task"],
                "taskPriority": rest["task_priority"],
                "taskCreated": rest["task_created"],
                "taskDay": rest["task_day"],
            }
        }
    }
    # In, the value as a REST body gives it: a number for a number column.
    body = _fidelity(
        client,
        "mutation($input: ColumnValuesInput!) { createColumnValues(input: $input) "
        "{ subtask { title task } } }",
        {"input": {"title": "new", "task": task.pk}},
    )
    assert body == {"data": {"createColumnValues": {"subtask": {"title": "new", "task": task.pk}}}}


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("name", "literal", "expected"),
    [
        ("duration", "3600", "01:00:00"),  # seconds as a number
        ("uuid", str(uuid.UUID(int=2**100).int), str(uuid.UUID(int=2**100))),  # its integer
        ("big", '"5000000000"', 5_000_000_000),  # an integer's text
    ],
)
def test_literals_take_what_a_variable_and_a_rest_body_take(client, name, literal, expected):
    value = json.loads(literal) if literal.startswith('"') else int(literal)
    by_variable = _fidelity(
        client,
        f"mutation($input: LiteralsInput!) {{ echoLiterals(input: $input) {{ literals {{ {name} }} }} }}",
        {"input": {name: value}},
    )
    by_literal = _fidelity(
        client,
        f"mutation {{ echoLiterals(input: {{{name}: {literal}}}) {{ literals {{ {name} }} }} }}",
    )
    assert by_variable == by_literal == {"data": {"echoLiterals": {"literals": {name: expected}}}}


@pytest.mark.skipif(
    not hasattr(serializers, "BigIntegerField"), reason="DRF's BigIntegerField is DRF >= 3.17"
)
def test_drf_s_big_integer_field_is_a_big_integer_whatever_the_column():
    class BigSerializer(serializers.ModelSerializer):
        priority_text = serializers.BigIntegerField(
            source="priority", coerce_to_string=True, read_only=True
        )

        class Meta:
            model = Task
            fields = ["id", "priority_text"]

    class PlainBig(serializers.Serializer):
        count = serializers.BigIntegerField()

    assert convert_serializer_field(bound_fields(BigSerializer)["priority_text"], OUTPUT) is (
        BigInteger
    )
    assert convert_serializer_field(PlainBig().fields["count"], OUTPUT) is BigInteger
    assert BigInteger.serialize("7") == "7"  # REST's text under coerce_to_string


# ------------------------------------------------------------------------ related keys


class AwardSerializer(serializers.ModelSerializer):
    """Names its badges by the integers of their UUID keys, as REST reads and writes them."""

    badge = serializers.PrimaryKeyRelatedField(
        queryset=Badge.objects.all(), pk_field=serializers.UUIDField(format="int"), allow_null=True
    )
    badges = serializers.PrimaryKeyRelatedField(
        queryset=Badge.objects.all(), pk_field=serializers.UUIDField(format="int"), many=True
    )

    class Meta:
        model = Award
        fields = ["id", "badge", "badges"]


class UpdateAward(UpdateMutation):
    class Meta:
        serializer_class = AwardSerializer
        permission_classes = []


class AwardMutation(graphene.ObjectType):
    update_award = UpdateAward.Field()


award_schema = graphene.Schema(query=ConvQuery, mutation=AwardMutation)


def test_a_key_its_pk_field_writes_as_a_uuids_integer_is_a_number():
    bound = AwardSerializer().fields
    for mode in (INPUT, OUTPUT):
        assert convert_serializer_field(bound["badge"], mode) is UUIDInteger
        assert str(convert_serializer_field(bound["badges"], mode)) == "[UUIDInteger!]"


@pytest.mark.django_db
def test_a_key_its_pk_field_writes_as_a_uuids_integer_round_trips_as_under_rest(rf):
    class RestAwards(viewsets.ModelViewSet):
        queryset = Award.objects.all()
        serializer_class = AwardSerializer
        authentication_classes = []
        permission_classes = []

    first, second = Badge.objects.create(name="first"), Badge.objects.create(name="second")
    award = Award.objects.create()
    rest = RestAwards.as_view({"patch": "partial_update"})(
        rf.patch("/", {"badge": first.pk.int, "badges": [second.pk.int]}, "application/json"),
        pk=award.pk,
    ).data
    assert rest == {"id": award.pk, "badge": first.pk.int, "badges": [second.pk.int]}
    view = DRFGraphQLView.as_view(schema=award_schema, authentication_classes=[])
    query = (
        "mutation($id: ID!, $input: AwardPartialInput!) "
        "{ updateAward(id: $id, input: $input) { award { badge badges } } }"
    )
    # What REST answers, then what GraphQL answered, sent back: the same numbers.
    sent = {"badge": second.pk.int, "badges": [first.pk.int]}
    for _ in range(2):
        variables = {"id": str(award.pk), "input": sent}
        request = rf.post("/", {"query": query, "variables": variables}, "application/json")
        answer = json.loads(view(request).content)
        assert answer == {"data": {"updateAward": {"award": sent}}}
        sent = answer["data"]["updateAward"]["award"]
    award.refresh_from_db()
    assert (award.badge, list(award.badges.all())) == (second, [first])


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_custom_relation_reads_and_writes_what_rest_does(client, gql):
    """DRF's documented custom relation subclasses ``RelatedField``, whose rendering is
    abstract: its values are whatever its methods make (an object, a number). They were
    typed ``String``: an object read failed, a number came back as text, and an object
    written was refused before the serializer saw it."""
    project = ProjectFactory(slug="apollo", name="Apollo")
    tag = TagFactory()
    sent = {"title": "Custom", "project": {"slug": "apollo"}, "tags": [tag.pk]}
    status, rest_body = rest(client, "post", "/api/custom-relations/", sent)
    assert status == 201
    assert rest_body["project"] == {"slug": "apollo", "name": "Apollo"}
    assert rest_body["tags"] == [tag.pk]

    fields = "id title project tags"
    status, body = gql(
        "mutation($input: ConvCustomRelationInput!) {"
        f" convCreateCustomRelation(input: $input) {{ task {{ {fields} }} }} }}",
        {"input": sent},
    )
    created = body["data"]["convCreateCustomRelation"]["task"]
    assert created == {**rest_body, "id": created["id"]}
    task = Task.objects.get(pk=created["id"])
    assert (task.project, list(task.tags.all())) == (project, [tag])
    status, body = gql(f'{{ convCustomRelation(id: "{task.pk}") {{ {fields} }} }}')
    assert body == {"data": {"convCustomRelation": created}}
    assert client.get(f"/api/custom-relations/{task.pk}/").json() == {**created, "id": task.pk}

    status, body = gql(
        "mutation($input: ConvCustomRelationInput!) {"
        " convCreateCustomRelation(input: $input) { task { id } } }",
        {"input": {**sent, "project": {"slug": "none"}}},
    )
    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": "project", "message": "No such project.", "code": "invalid"}
    ]


def test_drfs_text_relations_stay_text_and_a_custom_one_is_json():
    for field in (
        serializers.StringRelatedField(),
        serializers.HyperlinkedRelatedField(view_name="task-detail", read_only=True),
        serializers.HyperlinkedIdentityField(view_name="task-detail"),
    ):
        assert convert_serializer_field(field) is graphene.String
    fields = bound_fields(ConvCustomRelationSerializer)
    assert convert_serializer_field(fields["project"]) is JSON
    assert convert_serializer_field(fields["project"], INPUT) is JSON


# ------------------------------------------------------------------------------ what may render None


class BlankAsNullField(serializers.CharField):
    """A project's field rendering a blank text as None, over a non-null column."""

    def to_representation(self, value):
        return super().to_representation(value) or None


class UnlessHiddenField(serializers.CharField):
    """A project's field reading its value its own way: None for a hidden row."""

    def get_attribute(self, instance):
        return None if instance.title == "hidden" else super().get_attribute(instance)


class HiddenTaskSerializer(serializers.ModelSerializer):
    """A nested serializer rendering some rows as None (its own ``to_representation``)."""

    class Meta:
        model = Task
        fields = ["id", "title"]

    def to_representation(self, instance):
        return None if instance.title == "hidden" else super().to_representation(instance)


class HiddenSubtaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subtask
        fields = ["id", "title"]

    def to_representation(self, instance):
        return None if instance.title == "hidden" else super().to_representation(instance)


class NoneRenderingSerializer(serializers.ModelSerializer):
    task = HiddenTaskSerializer(read_only=True)  # over a non-null foreign key
    label = BlankAsNullField(source="title", read_only=True)  # over a non-null column
    # Subtask.title has no default: a row saved without one holds "", which DRF renders.
    kind = serializers.ChoiceField(choices=[("hidden", "Hidden")], source="title", read_only=True)
    shown = UnlessHiddenField(source="title", read_only=True)  # over a non-null column

    class Meta:
        model = Subtask
        fields = ["id", "task", "label", "kind", "shown"]


class SiblingsSerializer(serializers.ModelSerializer):
    subtasks = HiddenSubtaskSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "subtasks"]


@pytest.mark.django_db
def test_what_a_fields_own_rendering_makes_none_is_null_as_under_rest(rf, isolated_registry):
    """REST renders None where a field's or a nested serializer's own ``to_representation``
    gives it, and "" for a choice column saved without a value. Typed non-null, or an enum
    without "", each of these answers failed whole (INTERNAL_SERVER_ERROR)."""

    class Query(graphene.ObjectType):
        subtasks = ListField(NoneRenderingSerializer)
        siblings = ListField(SiblingsSerializer)

    task = Task.objects.create(title="hidden")
    blank, hidden = (
        Subtask.objects.create(task=task),
        Subtask.objects.create(task=task, title="hidden"),
    )
    rest = {
        "subtasks": NoneRenderingSerializer(Subtask.objects.order_by("pk"), many=True).data,
        "siblings": SiblingsSerializer([task], many=True).data,
    }
    assert rest == {
        "subtasks": [
            {"id": blank.pk, "task": None, "label": None, "kind": "", "shown": ""},
            {"id": hidden.pk, "task": None, "label": "hidden", "kind": "hidden", "shown": None},
        ],
        "siblings": [{"id": task.pk, "subtasks": [{"id": blank.pk, "title": ""}, None]}],
    }
    view = DRFGraphQLView.as_view(schema=graphene.Schema(query=Query), authentication_classes=[])
    query = (
        "{ subtasks { results { task { id } label kind shown } } "
        "siblings { results { subtasks { title } } } }"
    )
    answer = json.loads(view(rf.post("/", {"query": query}, "application/json")).content)
    assert answer == {
        "data": {
            "subtasks": {
                "results": [
                    {"task": None, "label": None, "kind": "EMPTY", "shown": ""},
                    {"task": None, "label": "hidden", "kind": "HIDDEN", "shown": None},
                ]
            },
            "siblings": {"results": [{"subtasks": [{"title": ""}, None]}]},
        }
    }


def test_a_choice_column_defaulting_to_blank_has_a_member_for_it(isolated_registry):
    """``default=""`` outside the choices: rows saved without a value hold "", which REST
    renders; the enum could not, and a create's answer failed after its commit."""
    with isolate_apps("tests.testapp"):

        class Sorted(models.Model):
            kind = models.CharField(max_length=5, choices=[("a", "A")], default="")

            class Meta:
                app_label = "testapp"

    class SortedSerializer(serializers.ModelSerializer):
        class Meta:
            model = Sorted
            fields = ["kind"]

    enum_type = convert_serializer_field(bound_fields(SortedSerializer)["kind"], OUTPUT)
    assert [(m.name, m.value) for m in enum_type._meta.enum] == [("A", "a"), ("EMPTY", "")]


@pytest.mark.skipif(django.VERSION < (5, 0), reason="db_default is Django 5.0's")
def test_a_choice_column_with_a_blank_database_default_has_a_member_for_it(isolated_registry):
    with isolate_apps("tests.testapp"):

        class Kinded(models.Model):
            kind = models.CharField(max_length=5, choices=[("a", "A")], db_default="")

            class Meta:
                app_label = "testapp"

    class KindedSerializer(serializers.ModelSerializer):
        class Meta:
            model = Kinded
            fields = ["kind"]

    enum_type = convert_serializer_field(bound_fields(KindedSerializer)["kind"], OUTPUT)
    assert [(m.name, m.value) for m in enum_type._meta.enum] == [("A", "a"), ("EMPTY", "")]
