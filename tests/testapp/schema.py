"""The test project's GraphQL schema: one mutation per library feature under test."""

import graphene
from rest_framework import exceptions
from rest_framework.permissions import (
    DjangoModelPermissions,
    DjangoObjectPermissions,
    IsAuthenticated,
    IsAuthenticatedOrReadOnly,
)

from drf_graphql_crud import (
    BulkCreateMutation,
    CreateMutation,
    DeleteMutation,
    SerializerMutation,
    UpdateMutation,
)

from .models import Task
from .permissions import IsOwner, RecordingPermission
from .serializers import (
    DocumentSerializer,
    EchoSerializer,
    ProjectSerializer,
    TaskReadSerializer,
    TaskSerializer,
    UserSerializer,
)


class CreateTask(CreateMutation):
    class Meta:
        serializer_class = TaskSerializer


class UpdateTask(UpdateMutation):
    class Meta:
        serializer_class = TaskSerializer


class ReplaceTask(UpdateMutation):
    class Meta:
        serializer_class = TaskSerializer
        partial = False
        input_type_name = "TaskReplaceInput"


class DeleteTask(DeleteMutation):
    class Meta:
        model = Task


class BulkCreateTask(BulkCreateMutation):
    class Meta:
        serializer_class = TaskSerializer


class CreateTaskWithReadOutput(CreateMutation):
    class Meta:
        serializer_class = TaskSerializer
        output_serializer_class = TaskReadSerializer
        return_field_name = "result"


class CreateProject(CreateMutation):
    class Meta:
        serializer_class = ProjectSerializer


class UpdateProject(UpdateMutation):
    class Meta:
        serializer_class = ProjectSerializer
        lookup_field = "slug"


class DeleteProject(DeleteMutation):
    class Meta:
        serializer_class = ProjectSerializer
        lookup_field = "slug"


class CreateDocument(CreateMutation):
    class Meta:
        serializer_class = DocumentSerializer


class CreateUser(CreateMutation):
    class Meta:
        serializer_class = UserSerializer


class Echo(SerializerMutation):
    """Echoes every DRF field class through validation and to_representation."""

    class Meta:
        serializer_class = EchoSerializer
        return_field_name = "echo"

    @classmethod
    def perform_mutate(cls, serializer, info):
        return serializer.save()


# ---- permissions


class CreateTaskAuthenticated(CreateMutation):
    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [IsAuthenticated]


class CreateTaskAuthOrReadOnly(CreateMutation):
    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [IsAuthenticatedOrReadOnly]


class CreateTaskModelPerms(CreateMutation):
    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [DjangoModelPermissions]


class UpdateTaskModelPerms(UpdateMutation):
    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [DjangoModelPermissions]


class DeleteTaskObjectPerms(DeleteMutation):
    class Meta:
        model = Task
        permission_classes = [DjangoObjectPermissions]


class UpdateOwnTask(UpdateMutation):
    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [IsAuthenticated, IsOwner]

    @classmethod
    def get_queryset(cls, info):
        return Task.objects.filter(owner=info.context.user)


class DeleteOwnTask(DeleteMutation):
    class Meta:
        model = Task
        permission_classes = [IsAuthenticated, IsOwner]


class UpdateTaskRecorded(UpdateMutation):
    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [RecordingPermission]


class DeleteTaskRecorded(DeleteMutation):
    class Meta:
        model = Task
        permission_classes = [RecordingPermission]


class CreateTaskRecorded(CreateMutation):
    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [RecordingPermission]

    @classmethod
    def perform_create(cls, serializer, info):
        context = serializer.context
        RecordingPermission.seen.append(
            ("context", sorted(context), context["request"].method, context["view"].action)
        )
        return serializer.save(notes="set by perform_create")


class FailAfterSave(CreateMutation):
    """Saves, then fails: the transaction must leave nothing behind."""

    class Meta:
        serializer_class = TaskSerializer

    @classmethod
    def perform_create(cls, serializer, info):
        serializer.save()
        raise exceptions.Throttled(wait=30)


class CrashAfterSave(CreateMutation):
    class Meta:
        serializer_class = TaskSerializer

    @classmethod
    def perform_create(cls, serializer, info):
        serializer.save()
        raise RuntimeError("SELECT secret FROM internals")


class ServiceGone(exceptions.APIException):
    status_code = 503
    default_detail = "Come back later."
    default_code = "service_unavailable"


class Unavailable(SerializerMutation):
    class Meta:
        serializer_class = ProjectSerializer
        return_field_name = "project"

    @classmethod
    def perform_mutate(cls, serializer, info):
        raise ServiceGone()


class Mutation(graphene.ObjectType):
    create_task = CreateTask.Field()
    update_task = UpdateTask.Field()
    replace_task = ReplaceTask.Field()
    delete_task = DeleteTask.Field()
    bulk_create_task = BulkCreateTask.Field()
    create_task_with_read_output = CreateTaskWithReadOutput.Field()
    create_project = CreateProject.Field()
    update_project = UpdateProject.Field()
    delete_project = DeleteProject.Field()
    create_document = CreateDocument.Field()
    create_user = CreateUser.Field()
    echo = Echo.Field()
    create_task_authenticated = CreateTaskAuthenticated.Field()
    create_task_auth_or_read_only = CreateTaskAuthOrReadOnly.Field()
    create_task_model_perms = CreateTaskModelPerms.Field()
    update_task_model_perms = UpdateTaskModelPerms.Field()
    delete_task_object_perms = DeleteTaskObjectPerms.Field()
    update_own_task = UpdateOwnTask.Field()
    delete_own_task = DeleteOwnTask.Field()
    update_task_recorded = UpdateTaskRecorded.Field()
    delete_task_recorded = DeleteTaskRecorded.Field()
    create_task_recorded = CreateTaskRecorded.Field()
    fail_after_save = FailAfterSave.Field()
    crash_after_save = CrashAfterSave.Field()
    unavailable = Unavailable.Field()


class Query(graphene.ObjectType):
    ping = graphene.String()

    def resolve_ping(root, info):
        return "pong"


schema = graphene.Schema(query=Query, mutation=Mutation)
