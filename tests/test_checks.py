"""System checks: misconfiguration is reported at start-up with an id and a hint."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from rest_framework import serializers

from drf_graphql_crud import CreateMutation, UpdateMutation
from drf_graphql_crud.checks import check_drf_graphql_crud
from drf_graphql_crud.converter import Mode
from drf_graphql_crud.mutations import mutation_classes
from drf_graphql_crud.types import registry, serializer_type
from tests.testapp.models import Project, Subtask, Task


@pytest.fixture
def isolated():
    """Mutations and types a test defines leave no trace for the next test's checks."""
    saved = (
        list(mutation_classes),
        dict(registry._by_serializer),
        dict(registry._by_name),
        dict(registry._enum_choices),
        list(registry.collisions),
    )
    yield
    mutation_classes[:] = saved[0]
    registry._by_serializer = saved[1]
    registry._by_name = saved[2]
    registry._enum_choices = saved[3]
    registry.collisions[:] = saved[4]


def ids(messages):
    return [message.id for message in messages]


def test_the_test_project_is_clean():
    assert check_drf_graphql_crud() == []
    call_command("check", "--fail-level", "WARNING")


def test_lookup_field_must_be_unique(isolated):
    class ChecksProjectByNameSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["slug", "name"]

    class UpdateProjectByName(UpdateMutation):
        class Meta:
            serializer_class = ChecksProjectByNameSerializer
            lookup_field = "name"

    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E002"]
    assert messages[0].obj is UpdateProjectByName
    assert "'name' is not a unique field of testapp.Project" in messages[0].msg


def test_unique_lookup_fields_pass(isolated):
    class ChecksProjectBySlugSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["slug", "name"]

    class UpdateProjectBySlug(UpdateMutation):
        class Meta:
            serializer_class = ChecksProjectBySlugSerializer
            lookup_field = "slug"

    assert check_drf_graphql_crud() == []


def test_serializer_class_must_be_a_serializer_class(isolated):
    with pytest.raises(ImproperlyConfigured) as excinfo:

        class CreateNothing(CreateMutation):
            class Meta:
                serializer_class = "tests.testapp.serializers.TaskSerializer"

    assert "drf_graphql_crud.E001" in str(excinfo.value)
    assert "CreateNothing.Meta.serializer_class" in str(excinfo.value)


def test_type_name_collision_is_reported(isolated):
    def make(field_names):
        class ChecksTwinSerializer(serializers.ModelSerializer):
            class Meta:
                model = Project
                fields = field_names

        return ChecksTwinSerializer

    first, second = make(["slug"]), make(["name"])
    assert serializer_type(first, Mode.OUTPUT) is serializer_type(second, Mode.OUTPUT)
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E003"]
    assert "'ChecksTwinOutput'" in messages[0].msg
    assert messages[0].msg.count("ChecksTwinSerializer") == 2
    assert "graphql_name" in messages[0].hint


def test_choice_enum_collision_is_reported(isolated):
    class ChecksColorSerializer(serializers.Serializer):
        color = serializers.ChoiceField(choices=["red"])

    class ChecksOtherColorSerializer(serializers.Serializer):
        color = serializers.ChoiceField(choices=["blue"])

        class Meta:
            graphql_name = "ChecksColor"

    serializer_type(ChecksColorSerializer, Mode.OUTPUT)
    serializer_type(ChecksOtherColorSerializer, Mode.INPUT)
    messages = check_drf_graphql_crud()
    assert [m.id for m in messages] == ["drf_graphql_crud.E003"]
    assert "'ChecksColorColorChoices'" in messages[0].msg


def test_writable_nested_serializer_needs_a_writer(isolated):
    class ChecksSubtaskSerializer(serializers.ModelSerializer):
        class Meta:
            model = Subtask
            fields = ["title"]

    class ChecksTaskSerializer(serializers.ModelSerializer):
        subtasks = ChecksSubtaskSerializer(many=True)

        class Meta:
            model = Task
            fields = ["title", "subtasks"]

    class ChecksCreateTask(CreateMutation):
        class Meta:
            serializer_class = ChecksTaskSerializer

    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E004"]
    assert "ChecksTaskSerializer.subtasks is a writable nested serializer" in messages[0].msg
    assert "WritableNestedModelSerializer" in messages[0].hint


def test_read_only_nested_serializer_is_fine(isolated):
    class ChecksReadSubtaskSerializer(serializers.ModelSerializer):
        class Meta:
            model = Subtask
            fields = ["title"]

    class ChecksReadTaskSerializer(serializers.ModelSerializer):
        subtasks = ChecksReadSubtaskSerializer(many=True, read_only=True)

        class Meta:
            model = Task
            fields = ["title", "subtasks"]

    class ChecksCreateReadTask(CreateMutation):
        class Meta:
            serializer_class = ChecksReadTaskSerializer

    assert check_drf_graphql_crud() == []


@override_settings(DRF_GRAPHQL_CRUD={"ATOMIC_MUTATION": False})
def test_unknown_setting_is_a_warning():
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.W001"]
    assert "'ATOMIC_MUTATION'" in messages[0].msg
    assert "ATOMIC_MUTATIONS" in messages[0].hint


@override_settings(GRAPHENE={"SCHEMA": "tests.testapp.no_such_module.schema"})
def test_unimportable_schema_is_reported():
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E005"]
    assert "tests.testapp.no_such_module.schema" in messages[0].msg
