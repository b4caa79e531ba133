"""The schema the reliability tests attack: the test project's, plus scoped reads and writes.

``RelMutation`` holds every mutation of ``tests.testapp.schema`` and adds:

- owner-scoped update/delete/create of tasks through ``RelTaskSerializer``, which has
  read-only fields (``priority``, ``status``, nested ``done``) and leaves model fields out
  (``views``, ``estimate``, ``project``, ...), for mass-assignment and IDOR tests;
- ``relCreateSubtask`` / ``relStartTasks``, whose ``PrimaryKeyRelatedField`` only accepts the
  caller's own tasks (a scoped nested id);
- hooks for the concurrency tests (``RelHooks``): a partial update and a create that pause
  between validation and save, a bulk create of projects, a nested update whose children
  can fail while being saved.

``RelQuery`` adds ``RetrieveField`` / ``ListField`` reads, owner-scoped and not.
Every class name starts with ``Rel`` so no GraphQL type name collides with the rest of the
suite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import django_filters
import graphene
from drf_writable_nested.serializers import WritableNestedModelSerializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from drf_graphql_crud import (
    BulkCreateMutation,
    CreateMutation,
    DeleteMutation,
    ListField,
    RetrieveField,
    SerializerMutation,
    UpdateMutation,
)
from tests.testapp import schema as project_schema
from tests.testapp.models import Project, Subtask, Task
from tests.testapp.serializers import ProjectSerializer, TaskSerializer


def own_tasks(request: Any) -> Any:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Task.objects.none()
    return Task.objects.filter(owner=user)


class RelHooks:
    """Test hooks, called between validation and save when set (None: do nothing)."""

    before_update: ClassVar[Callable[[], None] | None] = None
    before_create: ClassVar[Callable[[], None] | None] = None
    after_each_bulk_item: ClassVar[Callable[[int], None] | None] = None

    @classmethod
    def reset(cls) -> None:
        cls.before_update = cls.before_create = cls.after_each_bulk_item = None


# ------------------------------------------------------------------------------ serializers


class RelSubtaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subtask
        fields = ["id", "title", "done"]
        read_only_fields = ["done"]


class RelTaskSerializer(WritableNestedModelSerializer):
    """Writable: title, notes, subtasks (title only). Read-only: priority, status, created."""

    owner = serializers.HiddenField(default=serializers.CurrentUserDefault())
    subtasks = RelSubtaskSerializer(many=True, required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "notes", "priority", "status", "created", "owner", "subtasks"]
        read_only_fields = ["priority", "status"]


class RelOwnTaskField(serializers.PrimaryKeyRelatedField):
    """A task id, accepted only if the caller owns the task."""

    def get_queryset(self) -> Any:
        return own_tasks(self.context.get("request"))


class RelSubtaskCreateSerializer(serializers.ModelSerializer):
    task = RelOwnTaskField()

    class Meta:
        model = Subtask
        fields = ["id", "task", "title"]


class RelStartTasksSerializer(serializers.Serializer):
    tasks = RelOwnTaskField(many=True)


class RelFragileSubtaskSerializer(serializers.ModelSerializer):
    """Fails while saving a child titled ``explode...``; no length check on the title, so
    PostgreSQL itself refuses a title over 100 characters (a DataError mid-save)."""

    title = serializers.CharField()

    class Meta:
        model = Subtask
        fields = ["id", "title", "done"]

    def _check(self, validated_data: dict[str, Any]) -> None:
        if str(validated_data.get("title", "")).startswith("explode"):
            raise serializers.ValidationError({"title": ["Exploded while saving."]})

    def create(self, validated_data: dict[str, Any]) -> Subtask:
        self._check(validated_data)
        return super().create(validated_data)

    def update(self, instance: Subtask, validated_data: dict[str, Any]) -> Subtask:
        self._check(validated_data)
        return super().update(instance, validated_data)


class RelFragileTaskSerializer(WritableNestedModelSerializer):
    subtasks = RelFragileSubtaskSerializer(many=True, required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "notes", "subtasks"]


class RelProjectListSerializer(serializers.ListSerializer):
    def create(self, validated_data: list[dict[str, Any]]) -> list[Project]:
        created = []
        for index, attrs in enumerate(validated_data):
            created.append(self.child.create(attrs))
            if RelHooks.after_each_bulk_item is not None:
                RelHooks.after_each_bulk_item(index)
        return created


class RelBulkProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "slug", "name"]
        list_serializer_class = RelProjectListSerializer


# ------------------------------------------------------------------------------ mutations


class RelCreateTask(CreateMutation):
    class Meta:
        serializer_class = RelTaskSerializer
        permission_classes = [IsAuthenticated]


class RelUpdateOwnTask(UpdateMutation):
    class Meta:
        serializer_class = RelTaskSerializer
        permission_classes = [IsAuthenticated]

    @classmethod
    def get_queryset(cls, info: Any) -> Any:
        return own_tasks(info.context)


class RelReplaceOwnTask(UpdateMutation):
    class Meta:
        serializer_class = RelTaskSerializer
        permission_classes = [IsAuthenticated]
        partial = False
        input_type_name = "RelTaskReplaceInput"

    @classmethod
    def get_queryset(cls, info: Any) -> Any:
        return own_tasks(info.context)


class RelDeleteOwnTask(DeleteMutation):
    class Meta:
        model = Task
        permission_classes = [IsAuthenticated]

    @classmethod
    def get_queryset(cls, info: Any) -> Any:
        return own_tasks(info.context)


class RelCreateSubtask(CreateMutation):
    class Meta:
        serializer_class = RelSubtaskCreateSerializer
        permission_classes = [IsAuthenticated]


class RelStartTasks(SerializerMutation):
    """Sets the given tasks (the caller's own) in progress."""

    class Meta:
        serializer_class = RelStartTasksSerializer
        output_serializer_class = RelTaskSerializer
        output_many = True
        return_field_name = "tasks"
        permission_classes = [IsAuthenticated]

    @classmethod
    def perform_mutate(cls, serializer: Any, info: Any) -> list[Task]:
        tasks = serializer.validated_data["tasks"]
        Task.objects.filter(pk__in=[task.pk for task in tasks]).update(status="in_progress")
        return list(Task.objects.filter(pk__in=[task.pk for task in tasks]).order_by("pk"))


class RelPausingUpdateTask(UpdateMutation):
    """``TaskSerializer``'s partial update, pausing between validation and save."""

    class Meta:
        serializer_class = TaskSerializer

    @classmethod
    def perform_update(cls, serializer: Any, info: Any) -> Any:
        if RelHooks.before_update is not None:
            RelHooks.before_update()
        return serializer.save()


class RelPausingDistinctUpdateTask(RelPausingUpdateTask):
    """The same through a ``distinct()`` queryset (a many-to-many filter's), which
    PostgreSQL cannot lock in the lookup itself: the row is locked by its key after it.
    Done tasks are outside it."""

    class Meta:
        serializer_class = TaskSerializer
        queryset = Task.objects.exclude(status="done").distinct()


class RelPausingCreateProject(CreateMutation):
    """``ProjectSerializer``'s create, pausing between validation and save."""

    class Meta:
        serializer_class = ProjectSerializer

    @classmethod
    def perform_create(cls, serializer: Any, info: Any) -> Any:
        if RelHooks.before_create is not None:
            RelHooks.before_create()
        return serializer.save()


class RelBulkCreateProject(BulkCreateMutation):
    class Meta:
        serializer_class = RelBulkProjectSerializer
        input_type_name = "RelBulkProjectInput"


class RelUpdateFragileTask(UpdateMutation):
    class Meta:
        serializer_class = RelFragileTaskSerializer


class RelMutation(project_schema.Mutation, graphene.ObjectType):
    rel_create_task = RelCreateTask.Field()
    rel_update_own_task = RelUpdateOwnTask.Field()
    rel_replace_own_task = RelReplaceOwnTask.Field()
    rel_delete_own_task = RelDeleteOwnTask.Field()
    rel_create_subtask = RelCreateSubtask.Field()
    rel_start_tasks = RelStartTasks.Field()
    rel_pausing_update_task = RelPausingUpdateTask.Field()
    rel_pausing_distinct_update_task = RelPausingDistinctUpdateTask.Field()
    rel_pausing_create_project = RelPausingCreateProject.Field()
    rel_bulk_create_project = RelBulkCreateProject.Field()
    rel_update_fragile_task = RelUpdateFragileTask.Field()


# ------------------------------------------------------------------------------ queries


class RelTaskFilter(django_filters.FilterSet):
    class Meta:
        model = Task
        fields = {"title": ["exact", "icontains"], "priority": ["gte"], "created": ["lt"]}


class RelOwnTaskRetrieveField(RetrieveField):
    def get_queryset(self, info: Any) -> Any:
        return own_tasks(info.context)


class RelOwnTaskListField(ListField):
    def get_queryset(self, info: Any) -> Any:
        return own_tasks(info.context)


class RelQuery(project_schema.Query, graphene.ObjectType):
    rel_own_task = RelOwnTaskRetrieveField(RelTaskSerializer)
    rel_own_tasks = RelOwnTaskListField(
        RelTaskSerializer,
        filterset_class=RelTaskFilter,
        ordering_fields=["title", "priority", "created"],
        search_fields=["title", "notes"],
    )
    rel_any_task = RetrieveField(TaskSerializer, permission_classes=[IsAuthenticated])
    rel_project = RetrieveField(ProjectSerializer, lookup_field="slug")
    rel_projects = ListField(ProjectSerializer, permission_classes=[IsAuthenticated])


rel_schema = graphene.Schema(query=RelQuery, mutation=RelMutation)
