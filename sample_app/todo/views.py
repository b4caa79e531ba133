"""The REST API: the same serializers and permissions that the GraphQL schema uses."""

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from drf_graphql_crud import nested_id_errors

from .models import Tag, Task
from .permissions import IsOwner
from .serializers import TagSerializer, TaskSerializer


def refuse_other_rows_children(serializer: serializers.BaseSerializer) -> None:
    """A nested subtask's ``id`` may name only a subtask of the task being written.

    drf-writable-nested looks nested ids up among all rows: a REST client could name
    another user's subtask and move it into its own task. The GraphQL mutations refuse such
    an id (``VALIDATION_ERROR`` at ``subtasks.<n>.id``); so does REST, with the same check.
    """
    errors = nested_id_errors(serializer, serializer.initial_data)
    if errors:
        raise serializers.ValidationError(errors)


def owned_by(tasks: QuerySet[Task], user) -> QuerySet[Task]:
    """The tasks of ``tasks`` the user owns: what anyone may see and change of them.

    Anonymous callers own none (the permission classes refuse them first, under REST and
    GraphQL alike). ``TaskViewSet`` and the GraphQL task fields both scope their rows here.
    """
    if not user.is_authenticated:
        return tasks.none()
    return tasks.filter(owner__user=user)


class TaskViewSet(viewsets.ModelViewSet):
    """CRUD on the caller's own tasks, filterable and orderable.

    The serializer's hidden ``owner`` field fills itself in from the request; the writes
    only check that nested subtask ids name the task's own subtasks.
    """

    queryset = Task.objects.select_related("owner").prefetch_related("tags", "subtasks")
    serializer_class = TaskSerializer
    permission_classes = [IsAuthenticated, IsOwner]
    filterset_fields = ["completed", "priority", "due_date"]
    ordering_fields = ["due_date", "created", "name"]

    def get_queryset(self):
        """Only the caller's tasks: other users' tasks answer 404, as if they did not exist."""
        return owned_by(super().get_queryset(), self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        refuse_other_rows_children(serializer)
        serializer.save()

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        refuse_other_rows_children(serializer)
        serializer.save()


class TagViewSet(viewsets.ModelViewSet):
    """Tags are shared by everyone; any signed-in user may manage them."""

    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["name"]
    ordering_fields = ["name"]
