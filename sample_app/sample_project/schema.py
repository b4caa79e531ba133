"""The GraphQL schema, built from the very serializers and permissions the REST API uses.

Nothing here re-declares a field, a validator or a permission rule: each task mutation points
at a serializer, and the tag operations at ``TagViewSet`` itself (``ViewSetCrud``).
``drf_graphql_crud`` derives the input and output types, runs the serializer's validation and
the DRF permission classes (the viewset's own code, for tags), and reports failures with DRF's
error codes. The ``task``/``tasks`` queries are the library's ``RetrieveField`` and
``ListField`` on ``TaskSerializer``, configured from ``TaskViewSet`` (its queryset, permission
classes, filter and ordering fields), so they answer what ``/api/v1/tasks/`` answers, in the
same ``TaskOutput`` type as the mutations.
"""

import graphene
from django.db.models import QuerySet
from django.utils import timezone
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
    ViewSetCrud,
)
from todo.models import Task
from todo.serializers import TaskSerializer
from todo.views import TagViewSet, TaskViewSet, owned_by


def owned_tasks(info) -> QuerySet[Task]:
    """The caller's tasks, scoped by ``owned_by`` as ``TaskViewSet.get_queryset`` scopes them,
    for every task field.

    ``info.context`` is a Django ``HttpRequest`` or a DRF ``Request``; both carry ``user``.
    """
    return owned_by(Task.objects.select_related("owner"), info.context.user)


def readable_tasks(info) -> QuerySet[Task]:
    """The caller's tasks with tags and subtasks prefetched, for a mutation's output list.

    ``task``/``tasks`` take ``owned_tasks`` instead: ``ListField`` and ``RetrieveField``
    prefetch what the client selected, and nothing when it selected neither.
    """
    return owned_tasks(info).prefetch_related("tags", "subtasks")


class CreateTask(CreateMutation):
    """``createTask(input: TaskInput!)``: a task with its subtasks, owned by the caller."""

    class Meta:
        serializer_class = TaskSerializer
        permission_classes = TaskViewSet.permission_classes


class UpdateTask(UpdateMutation):
    """``updateTask(id: ID!, input: ...)``: a partial update of one of the caller's tasks."""

    class Meta:
        serializer_class = TaskSerializer
        permission_classes = TaskViewSet.permission_classes

    @classmethod
    def get_queryset(cls, info) -> QuerySet[Task]:
        """Tasks outside the caller's own answer NOT_FOUND, as they do over REST."""
        return owned_tasks(info)


class DeleteTask(DeleteMutation):
    """``deleteTask(id: ID!)``: deletes one of the caller's tasks and its subtasks."""

    class Meta:
        serializer_class = TaskSerializer
        permission_classes = TaskViewSet.permission_classes

    @classmethod
    def get_queryset(cls, info) -> QuerySet[Task]:
        """Same scope as ``UpdateTask``: nobody deletes someone else's task."""
        return owned_tasks(info)


class BulkCreateTask(BulkCreateMutation):
    """``bulkCreateTask(input: [TaskInput!]!)``: all tasks are created, or none is.

    No ``permission_classes``: REST_FRAMEWORK's default (IsAuthenticated) applies.
    """

    class Meta:
        serializer_class = TaskSerializer


#: Tags through ``TagViewSet`` itself: ``tag``/``tags`` (its filters, ordering and pages)
#: and ``createTag``/``updateTag``/``deleteTag``, with its permission classes. Tags are
#: shared: any signed-in user may manage them, over REST and GraphQL alike.
tag_crud = ViewSetCrud(TagViewSet)


class CompleteOverdueTasksSerializer(serializers.Serializer):
    """The input of ``completeOverdueTasks``: a plain serializer, no model behind it."""

    before = serializers.DateField(
        required=False, help_text="Tasks due before this day are overdue; default: today."
    )


class CompleteOverdueTasks(SerializerMutation):
    """Marks the caller's open tasks due before ``before`` (default: today) completed.

    Returns the tasks it completed, as ``GET /api/v1/tasks/`` shows them.
    """

    # A custom mutation, not a CRUD action: CompleteOverdueTasksSerializer validates the input,
    # perform_mutate() does the work and TaskSerializer renders the list it returns.

    class Meta:
        serializer_class = CompleteOverdueTasksSerializer
        output_serializer_class = TaskSerializer
        output_many = True  # {tasks: [TaskOutput!]!}
        input_required = False  # `before` is optional, so `input` may be left out
        permission_classes = [IsAuthenticated]
        return_field_name = "tasks"

    @classmethod
    def perform_mutate(cls, serializer, info) -> list[Task]:
        before = serializer.validated_data.get("before") or timezone.localdate()
        overdue = owned_tasks(info).filter(completed=False, due_date__lt=before)
        ids = list(overdue.values_list("pk", flat=True))
        Task.objects.filter(pk__in=ids).update(completed=True)
        return list(readable_tasks(info).filter(pk__in=ids))


class Mutation(tag_crud.Mutation, graphene.ObjectType):
    """Every write the sample exposes over GraphQL; the tag mutations come from ``tag_crud``."""

    create_task = CreateTask.Field()
    update_task = UpdateTask.Field()
    delete_task = DeleteTask.Field()
    bulk_create_task = BulkCreateTask.Field()
    complete_overdue_tasks = CompleteOverdueTasks.Field()


class Query(tag_crud.Query, graphene.ObjectType):
    """Reads of the caller's own tasks: what ``/api/v1/tasks/`` returns, field for field.

    ``tag`` and ``tags`` come from ``tag_crud``: ``GET /api/v1/tags/`` as GraphQL.
    """

    # The library's read fields, configured from TaskViewSet rather than copying it, so that a
    # permission, filter or ordering field added to the REST view reaches GraphQL too. They
    # run its permission classes (anonymous: NOT_AUTHENTICATED, REST's 401), look up in the
    # caller's tasks only (someone else's: NOT_FOUND, REST's 404), and without `orderBy` list
    # in Task.Meta.ordering, the order GET /api/v1/tasks/ uses without ?ordering=. REST pages
    # by 20 (PAGE_SIZE); `tasks` takes limit/offset instead (limit defaults to MAX_LIMIT,
    # 100) and answers REST's `count` as `totalCount`.
    task = RetrieveField(
        TaskSerializer,
        queryset=owned_tasks,
        permission_classes=TaskViewSet.permission_classes,
        description="One of the caller's tasks, as GET /api/v1/tasks/<id>/ returns it.",
    )
    tasks = ListField(
        TaskSerializer,
        queryset=owned_tasks,
        permission_classes=TaskViewSet.permission_classes,
        filterset_fields=TaskViewSet.filterset_fields,
        ordering_fields=TaskViewSet.ordering_fields,
        description="The caller's tasks, filtered and ordered as GET /api/v1/tasks/ allows.",
    )

    me = graphene.String(description="The signed-in user's username, or null if anonymous.")
    hello = graphene.String(description="A constant greeting, to check the endpoint answers.")

    @staticmethod
    def resolve_me(root, info) -> str | None:
        user = info.context.user
        return user.get_username() if user.is_authenticated else None

    @staticmethod
    def resolve_hello(root, info) -> str:
        return "Hello from the drf_graphql_crud sample!"


schema = graphene.Schema(query=Query, mutation=Mutation)
