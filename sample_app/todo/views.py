"""The REST API: the same serializers and permissions that the GraphQL schema uses."""

from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from .models import Tag, Task
from .permissions import IsOwner
from .serializers import TagSerializer, TaskSerializer


class TaskViewSet(viewsets.ModelViewSet):
    """CRUD on the caller's own tasks, filterable and orderable.

    No ``perform_create`` is needed: the serializer's hidden ``owner`` field fills itself in
    from the request.
    """

    queryset = Task.objects.select_related("owner").prefetch_related("tags", "subtasks")
    serializer_class = TaskSerializer
    permission_classes = [IsAuthenticated, IsOwner]
    filterset_fields = ["completed", "priority", "due_date"]
    ordering_fields = ["due_date", "created", "name"]

    def get_queryset(self):
        """Only the caller's tasks: other users' tasks answer 404, as if they did not exist."""
        return super().get_queryset().filter(owner__user=self.request.user)


class TagViewSet(viewsets.ModelViewSet):
    """Tags are shared by everyone; any signed-in user may manage them."""

    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["name"]
    ordering_fields = ["name"]
