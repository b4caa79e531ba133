"""The GraphQL schema, built from the very serializers and permissions the REST API uses.

Nothing here re-declares a field, a validator or a permission rule: each mutation points at a
serializer, and ``drf_graphql_crud`` derives the input and output types, runs the serializer's
validation and the DRF permission classes, and reports failures with DRF's error codes.
"""

import graphene
from django.db.models import QuerySet
from rest_framework.permissions import IsAuthenticated

from drf_graphql_crud import BulkCreateMutation, CreateMutation, DeleteMutation, UpdateMutation
from todo.models import Task
from todo.permissions import IsOwner
from todo.serializers import TagSerializer, TaskSerializer


def owned_tasks(info) -> QuerySet[Task]:
    """The tasks the caller may update or delete, mirroring ``TaskViewSet.get_queryset``.

    ``info.context`` is a Django ``HttpRequest`` or a DRF ``Request``; both carry ``user``.
    An anonymous caller gets an empty queryset rather than a type error, should the lookup
    ever run before the permission check rejects them.
    """
    user = info.context.user
    if not user.is_authenticated:
        return Task.objects.none()
    return Task.objects.filter(owner__user=user).select_related("owner")


class CreateTask(CreateMutation):
    """``createTask(input: TaskInput!)``: a task with its subtasks, owned by the caller."""

    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [IsAuthenticated]


class UpdateTask(UpdateMutation):
    """``updateTask(id: ID!, input: ...)``: a partial update of one of the caller's tasks."""

    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [IsAuthenticated, IsOwner]

    @classmethod
    def get_queryset(cls, info) -> QuerySet[Task]:
        """Tasks outside the caller's own answer NOT_FOUND, as they do over REST."""
        return owned_tasks(info)


class DeleteTask(DeleteMutation):
    """``deleteTask(id: ID!)``: deletes one of the caller's tasks and its subtasks."""

    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [IsAuthenticated, IsOwner]

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


class CreateTag(CreateMutation):
    """``createTag(input: TagInput!)``: tags are shared, any signed-in user may add one."""

    class Meta:
        serializer_class = TagSerializer


class Mutation(graphene.ObjectType):
    """Every write the sample exposes over GraphQL."""

    create_task = CreateTask.Field()
    update_task = UpdateTask.Field()
    delete_task = DeleteTask.Field()
    bulk_create_task = BulkCreateTask.Field()
    create_tag = CreateTag.Field()


class Query(graphene.ObjectType):
    """A minimal query root; a GraphQL schema must have one. List queries come later."""

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
