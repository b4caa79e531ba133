"""prebuild_fields: the fields DRF would build, built once per class and copied per instance."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from rest_framework import serializers

from drf_graphql_crud.fieldcache import prebuild_fields
from tests.testapp.models import Tag, Task
from tests.testapp.serializers import (
    DocumentSerializer,
    ProjectSerializer,
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
