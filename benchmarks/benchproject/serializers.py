"""The serializers every flavour shares: the floor, DRF REST and both GraphQL layers."""

from drf_writable_nested.serializers import WritableNestedModelSerializer
from rest_framework import serializers

from .models import Project, Subtask, Tag, Task

TASK_FIELDS = ["id", "title", "notes", "status", "priority", "due_date", "project", "tags"]


class TaskSerializer(serializers.ModelSerializer):
    """The write side: create, partial update, bulk create (FK and M2M as primary keys)."""

    class Meta:
        model = Task
        fields = TASK_FIELDS
        extra_kwargs = {"title": {"min_length": 3}}


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "name", "slug"]


class TaskReadSerializer(serializers.ModelSerializer):
    """The read side: list and retrieve, with the FK and the M2M nested."""

    project = ProjectSerializer(read_only=True)
    tags = TagSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "status", "priority", "due_date", "project", "tags"]


class SubtaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subtask
        fields = ["id", "title", "done"]


class TaskWithSubtasksSerializer(WritableNestedModelSerializer):
    """Nested create: a task and its subtasks in one call (drf-writable-nested)."""

    subtasks = SubtaskSerializer(many=True)

    class Meta:
        model = Task
        fields = ["id", "title", "status", "due_date", "project", "tags", "subtasks"]
