"""This library's schema: the same serializers as mutations and query fields."""

import graphene

from drf_graphql_crud import (
    BulkCreateMutation,
    CreateMutation,
    DeleteMutation,
    ListField,
    RetrieveField,
    UpdateMutation,
)

from .models import Task
from .serializers import TaskReadSerializer, TaskSerializer, TaskWithSubtasksSerializer


class CreateTask(CreateMutation):
    class Meta:
        serializer_class = TaskSerializer


class UpdateTask(UpdateMutation):
    class Meta:
        serializer_class = TaskSerializer


class DeleteTask(DeleteMutation):
    class Meta:
        model = Task


class BulkCreateTask(BulkCreateMutation):
    class Meta:
        serializer_class = TaskSerializer


class CreateTaskWithSubtasks(CreateMutation):
    class Meta:
        serializer_class = TaskWithSubtasksSerializer
        return_field_name = "task"


class Query(graphene.ObjectType):
    task = RetrieveField(TaskReadSerializer)
    tasks = ListField(TaskReadSerializer)


class Mutation(graphene.ObjectType):
    create_task = CreateTask.Field()
    update_task = UpdateTask.Field()
    delete_task = DeleteTask.Field()
    bulk_create_task = BulkCreateTask.Field()
    create_task_with_subtasks = CreateTaskWithSubtasks.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)
