"""Viewsets exposed through ViewSetCrud next to a REST router (tests/test_viewsets.py).

Each one uses a feature of DRF's generic viewsets that ViewSetCrud must honour as REST does.
"""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters, mixins, pagination, serializers, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import (
    SAFE_METHODS,
    BasePermission,
    IsAuthenticated,
    IsAuthenticatedOrReadOnly,
)
from rest_framework.throttling import UserRateThrottle

from .models import Project, Tag, Task
from .permissions import IsOwner, RecordingPermission
from .serializers import ProjectSerializer, TagSerializer, TaskReadSerializer, TaskSerializer


class CrudTaskWriteSerializer(serializers.ModelSerializer):
    """The write side of OwnTaskViewSet: no owner field, perform_create sets it."""

    class Meta:
        model = Task
        fields = ["id", "title", "notes", "status", "priority"]
        extra_kwargs = {"title": {"min_length": 3}}


class OwnTaskViewSet(viewsets.ModelViewSet):
    """The caller's tasks: read and write serializers differ; perform_create sets the owner."""

    queryset = Task.objects.order_by("pk")
    permission_classes = [IsAuthenticated, IsOwner]

    def get_queryset(self):
        return super().get_queryset().filter(owner=self.request.user)

    def get_serializer_class(self):
        if self.action in ("list", "retrieve"):
            return TaskReadSerializer
        return CrudTaskWriteSerializer

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class IsOwnerOrReadOnly(BasePermission):
    message = "Only the owner may change this task."
    code = "not_owner"

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or obj.owner_id == request.user.pk


class GuardedTaskViewSet(viewsets.ModelViewSet):
    """Everyone reads every task; only signed-in users write, only owners change theirs."""

    queryset = Task.objects.order_by("pk")
    serializer_class = CrudTaskWriteSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly]

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class ReadOnlyTagViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Tag.objects.order_by("name")
    serializer_class = TagSerializer


class SlugProjectViewSet(viewsets.ModelViewSet):
    """lookup_field slug, and a URL kwarg of another name."""

    queryset = Project.objects.order_by("slug")
    serializer_class = ProjectSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "project_slug"
    permission_classes = [RecordingPermission]


class NoPatchNoDeleteProjectViewSet(viewsets.ModelViewSet):
    """Full updates only (PUT) and no deletes: http_method_names decides what is routed."""

    queryset = Project.objects.order_by("slug")
    serializer_class = ProjectSerializer
    http_method_names = ["get", "post", "put"]


class PartialPutProjectViewSet(viewsets.ModelViewSet):
    """PUT only, and every PUT partial: its get_serializer() says so."""

    queryset = Project.objects.order_by("slug")
    serializer_class = ProjectSerializer
    http_method_names = ["get", "put"]

    def get_serializer(self, *args, **kwargs):
        if self.action == "update":
            kwargs["partial"] = True
        return super().get_serializer(*args, **kwargs)


class CreateOnlyTagViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Tag.objects.all()
    serializer_class = TagSerializer


class FailingTaskViewSet(viewsets.ModelViewSet):
    """perform_create saves, then fails: nothing may be left behind."""

    queryset = Task.objects.order_by("pk")
    serializer_class = CrudTaskWriteSerializer

    def perform_create(self, serializer):
        task = serializer.save()
        if task.title == "crash":
            raise RuntimeError("SELECT secret FROM internals")
        raise serializers.ValidationError({"title": ["Rejected after saving."]})


class TwoPerMinute(UserRateThrottle):
    scope = "viewset-crud-tests"
    rate = "2/min"


class ThrottledTagViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Tag.objects.order_by("name")
    serializer_class = TagSerializer
    throttle_classes = [TwoPerMinute]


# ---- filters and pagination


class SmallLimitOffset(pagination.LimitOffsetPagination):
    default_limit = 3
    max_limit = 4


class SmallPages(pagination.PageNumberPagination):
    page_size = 2
    page_size_query_param = "page_size"
    max_page_size = 3


class FieldsTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """filterset_fields, search, ordering and limit/offset, on the full TaskSerializer."""

    queryset = Task.objects.prefetch_related("tags", "subtasks").select_related("owner", "project")
    serializer_class = TaskSerializer
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_fields = ["status", "priority", "project", "tags"]
    search_fields = ["title", "notes"]
    ordering_fields = ["priority", "title", "due_date"]
    ordering = ["pk"]
    pagination_class = SmallLimitOffset


class CrudTaskFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lt")
    min_priority = django_filters.NumberFilter(field_name="priority", lookup_expr="gte")
    id__in = django_filters.BaseInFilter(field_name="id")

    class Meta:
        model = Task
        fields = ["status", "tags"]


class FilterClassTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """filterset_class, ordering and page numbers, on the nested read serializer."""

    queryset = Task.objects.prefetch_related("tags").select_related("project")
    serializer_class = TaskReadSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = CrudTaskFilter
    ordering_fields = "__all__"
    ordering = ["pk"]
    pagination_class = SmallPages


class OverridingTaskViewSet(viewsets.ModelViewSet):
    """Overrides create() and destroy() themselves: ViewSetCrud warns (W002)."""

    queryset = Task.objects.all()
    serializer_class = CrudTaskWriteSerializer

    def create(self, request, *args, **kwargs):
        raise exceptions.MethodNotAllowed("POST")

    def destroy(self, request, *args, **kwargs):
        raise exceptions.MethodNotAllowed("DELETE")


class LoggingTagViewSet(viewsets.ReadOnlyModelViewSet):
    """Wraps the request cycle itself: ViewSetCrud warns (W005)."""

    queryset = Tag.objects.all()
    serializer_class = TagSerializer

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response["X-Seen"] = "yes"
        return super().finalize_response(request, response, *args, **kwargs)


class InspectingTagViewSet(viewsets.ModelViewSet):
    """Records what the viewset looks like while ViewSetCrud runs it."""

    queryset = Tag.objects.order_by("name")
    serializer_class = TagSerializer
    seen: list = []

    def _record(self, context):
        request = self.request
        InspectingTagViewSet.seen.append(
            {
                "action": self.action,
                "action_map": dict(self.action_map),
                "args": self.args,
                "basename": self.basename,
                "context": sorted(context),
                "data": request.data,
                "detail": self.detail,
                "format_kwarg": self.format_kwarg,
                "kwargs": dict(self.kwargs),
                "method": request.method,
                "query_params": dict(request.query_params),
                "suffix": self.suffix,
                "user": request.user.username,
                "view_is_self": context["view"] is self,
            }
        )

    def perform_create(self, serializer):
        self._record(serializer.context)
        serializer.save()

    def get_object(self):
        instance = super().get_object()
        self._record(self.get_serializer_context())
        return instance


class RacingProjectViewSet(viewsets.ModelViewSet):
    """Another writer takes the slug between validation and save."""

    queryset = Project.objects.order_by("slug")
    serializer_class = ProjectSerializer

    def perform_create(self, serializer):
        Project.objects.create(slug=serializer.validated_data["slug"], name="winner")
        serializer.save()


class MethodSerializerTaskViewSet(viewsets.ModelViewSet):
    """DRF's common idiom: the read serializer for safe methods, ``serializer_class`` writes."""

    queryset = Task.objects.order_by("pk")
    serializer_class = CrudTaskWriteSerializer

    def get_serializer_class(self):
        if self.request.method in SAFE_METHODS:
            return TaskReadSerializer
        return CrudTaskWriteSerializer


class TokenOnlyTagViewSet(viewsets.ModelViewSet):
    """Authenticates its callers itself: a token, never the session."""

    queryset = Tag.objects.order_by("pk")
    serializer_class = TagSerializer
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]


class NoAuthenticationTagViewSet(TokenOnlyTagViewSet):
    """Authenticates no one: every caller is anonymous."""

    authentication_classes = []


class InitialTaskViewSet(viewsets.ModelViewSet):
    """Loads in ``initial()`` what ``get_queryset`` and ``perform_create`` read."""

    queryset = Task.objects.order_by("pk")
    serializer_class = CrudTaskWriteSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.project = Project.objects.get(slug="home")

    def get_queryset(self):
        return super().get_queryset().filter(project=self.project)

    def perform_create(self, serializer):
        serializer.save(project=self.project)


class LowercaseSlugProjectViewSet(viewsets.ModelViewSet):
    """Its router only matches lower-case letters: anything else is a 404 before any code."""

    queryset = Project.objects.order_by("pk")
    serializer_class = ProjectSerializer
    lookup_field = "slug"
    lookup_value_regex = "[a-z]+"


class LookupIsIntOrOdd(BasePermission):
    """Reads the lookup as the URL's ``<int:pk>`` hands it over: an int, of an odd row."""

    def has_permission(self, request, view):
        pk = view.kwargs.get("pk")
        return pk is None or (isinstance(pk, int) and pk % 2 == 1)


class IntConverterProjectViewSet(viewsets.ModelViewSet):
    """Routed by a path-converter router: its lookup is ``<int:pk>``."""

    queryset = Project.objects.order_by("pk")
    serializer_class = ProjectSerializer
    permission_classes = [LookupIsIntOrOdd]
    lookup_value_converter = "int"


class BlankSlugProjectViewSet(viewsets.ModelViewSet):
    """Its router matches an empty segment too: a blank slug is a row REST serves."""

    queryset = Project.objects.order_by("pk")
    serializer_class = ProjectSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]*"


class PatchOnlyOverridingUpdateViewSet(viewsets.ModelViewSet):
    """No PUT route, but DRF's partial_update() runs this update()."""

    queryset = Project.objects.order_by("pk")
    serializer_class = ProjectSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)


class NullTitleTaskViewSet(viewsets.ModelViewSet):
    """A bug in server code: perform_create saves None in a NOT NULL column."""

    queryset = Task.objects.order_by("pk")
    serializer_class = CrudTaskWriteSerializer

    def perform_create(self, serializer):
        serializer.save(title=None)


class RacingAfterInitialProjectViewSet(viewsets.ModelViewSet):
    """Loads in initial() what get_serializer_context reads; loses a unique race on create."""

    queryset = Project.objects.order_by("pk")
    serializer_class = ProjectSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.tenant = "acme"

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "tenant": self.tenant}

    def perform_create(self, serializer):
        Project.objects.create(slug=serializer.validated_data["slug"], name="Winner")
        serializer.save()
