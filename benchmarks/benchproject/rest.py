"""DRF REST: ``ModelViewSet``s on a router, written as a DRF team would write them."""

from django.http import HttpResponse
from rest_framework import viewsets
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Task
from .serializers import TaskReadSerializer, TaskSerializer, TaskWithSubtasksSerializer


class Page(LimitOffsetPagination):
    """``?limit=100`` pages: a COUNT and one page, as the GraphQL list with ``totalCount``."""

    default_limit = 100
    max_limit = 100


class TaskViewSet(viewsets.ModelViewSet):
    """``/rest/tasks/``: POST, PATCH, DELETE, GET list and GET retrieve.

    Reads use the nested read serializer with the ``select_related``/``prefetch_related``
    it needs; writes use the write serializer on the plain queryset. A POST whose body is a
    JSON list is a bulk create through the serializer's ``ListSerializer`` (``many=True``),
    the pattern DRF's documentation gives for creating many objects in one request.
    """

    queryset = Task.objects.order_by("pk")
    pagination_class = Page

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("list", "retrieve"):
            queryset = queryset.select_related("project").prefetch_related("tags")
        return queryset

    def get_serializer_class(self):
        if self.action in ("list", "retrieve"):
            return TaskReadSerializer
        return TaskSerializer

    def get_serializer(self, *args, **kwargs):
        if isinstance(kwargs.get("data"), list):
            kwargs["many"] = True
        return super().get_serializer(*args, **kwargs)


class NestedTaskViewSet(viewsets.ModelViewSet):
    """``/rest/nested-tasks/``: a task with its subtasks in one POST (drf-writable-nested)."""

    queryset = Task.objects.order_by("pk")
    serializer_class = TaskWithSubtasksSerializer


# What a request costs before any work, for ``experiments.py --only fixed``.


def noop_view(request, pk):
    """A plain Django view: the test client, routing and a response."""
    return HttpResponse(status=204)


class NoopAPIView(APIView):
    """DRF's request cycle (request, negotiation, policies, rendering) around nothing."""

    def delete(self, request, pk):
        return Response(status=204)
