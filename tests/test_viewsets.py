"""ViewSetCrud: DRF viewsets behind GraphQL, running their own code, answering as REST does.

Every viewset here is served twice by this module's URLconf: by a DRF router under
``/api/`` and through ``ViewSetCrud`` on ``/graphql/`` (graphene-django's view) and
``/drf-graphql/`` (``DRFGraphQLView``). Tests compare both answers.
"""

import datetime
import json
from urllib.parse import parse_qs, urlsplit

import django_filters
import graphene
import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.widgets import CSVWidget
from drf_writable_nested.serializers import WritableNestedModelSerializer
from graphene.utils.str_converters import to_camel_case, to_snake_case
from graphene_django.views import GraphQLView
from rest_framework import (
    exceptions,
    filters,
    mixins,
    pagination,
    permissions,
    serializers,
    viewsets,
)
from rest_framework.authtoken.models import Token
from rest_framework.parsers import FileUploadParser, JSONParser
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter, SimpleRouter
from rest_framework.throttling import UserRateThrottle
from rest_framework.validators import UniqueValidator
from rest_framework.versioning import (
    AcceptHeaderVersioning,
    BaseVersioning,
    HostNameVersioning,
    QueryParameterVersioning,
    URLPathVersioning,
)

from drf_graphql_crud import DRFGraphQLView, SerializerObjectType, ViewSetCrud
from drf_graphql_crud.checks import check_drf_graphql_crud
from drf_graphql_crud.viewsets import viewset_cruds
from tests.factories import (
    CategoryFactory,
    ProjectFactory,
    SubtaskFactory,
    TagFactory,
    TaskFactory,
    UserFactory,
)
from tests.testapp import crud_views
from tests.testapp.models import Badge, Category, Document, Project, Subtask, Tag, Task
from tests.testapp.permissions import RecordingPermission
from tests.testapp.serializers import DocumentSerializer, ProjectSerializer, SubtaskSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class RangeTaskSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True, allow_null=True)

    class Meta:
        model = Task
        fields = ["id", "title", "status", "priority", "due_date", "project_name", "notes"]
        extra_kwargs = {"notes": {"write_only": True}}


class RangeTaskFilter(django_filters.FilterSet):
    """Filters reading several query parameters, or one comma-separated parameter."""

    due = django_filters.DateFromToRangeFilter(field_name="due_date")
    priority = django_filters.RangeFilter()
    status = django_filters.MultipleChoiceFilter(choices=Task.Status.choices, widget=CSVWidget)
    tags = django_filters.ModelMultipleChoiceFilter(queryset=Tag.objects.all(), widget=CSVWidget)

    class Meta:
        model = Task
        fields = []


class RangeTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """No ``ordering_fields``: DRF orders by the serializer's readable fields."""

    queryset = Task.objects.select_related("project").order_by("pk")
    serializer_class = RangeTaskSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = RangeTaskFilter


class FirstRows(pagination.BasePagination):
    """A project's own paginator that does not count: its answer has no ``count``."""

    def paginate_queryset(self, queryset, request, view=None):
        return list(queryset[:2])

    def get_paginated_response(self, data):
        return Response({"rows": data})


class FirstRowsTaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = RangeTaskSerializer
    pagination_class = FirstRows


class CamelOrdering(filters.OrderingFilter):
    """A REST API whose ``?ordering=`` takes camelCase names (``?ordering=-dueDate``)."""

    def get_valid_fields(self, queryset, view, context=None):
        fields = super().get_valid_fields(queryset, view, context or {})
        return [(to_camel_case(name), label) for name, label in fields]

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        return [
            ("-" if term.startswith("-") else "") + to_snake_case(term.lstrip("-"))
            for term in ordering or ()
        ] or ordering


class CamelOrderingTaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.all()
    serializer_class = RangeTaskSerializer
    filter_backends = [CamelOrdering]
    ordering_fields = ["due_date", "priority"]
    ordering = ["pk"]


own_tasks = ViewSetCrud(crud_views.OwnTaskViewSet, name="myTask")
guarded_tasks = ViewSetCrud(crud_views.GuardedTaskViewSet, name="guardedTask")
tags = ViewSetCrud(crud_views.ReadOnlyTagViewSet)  # default name: the model's
new_tags = ViewSetCrud(crud_views.CreateOnlyTagViewSet, name="newTag")
projects = ViewSetCrud(crud_views.SlugProjectViewSet, name="slugProject")
full_projects = ViewSetCrud(crud_views.NoPatchNoDeleteProjectViewSet, name="fullProject")
failing_tasks = ViewSetCrud(crud_views.FailingTaskViewSet, name="failingTask")
throttled_tags = ViewSetCrud(crud_views.ThrottledTagViewSet, name="throttledTag")
inspected_tags = ViewSetCrud(crud_views.InspectingTagViewSet, name="inspectedTag")
fields_tasks = ViewSetCrud(crud_views.FieldsTaskViewSet, name="fieldsTask")
class_tasks = ViewSetCrud(crud_views.FilterClassTaskViewSet, name="classTask")
racing_projects = ViewSetCrud(crud_views.RacingProjectViewSet, name="racingProject")
range_tasks = ViewSetCrud(RangeTaskViewSet, name="rangeTask")
partial_put_projects = ViewSetCrud(crud_views.PartialPutProjectViewSet, name="putProject")
first_rows_tasks = ViewSetCrud(FirstRowsTaskViewSet, name="firstRowsTask")
camel_tasks = ViewSetCrud(CamelOrderingTaskViewSet, name="camelTask")
CRUDS = [
    own_tasks,
    guarded_tasks,
    tags,
    new_tags,
    projects,
    full_projects,
    failing_tasks,
    throttled_tags,
    inspected_tags,
    fields_tasks,
    class_tasks,
    racing_projects,
    range_tasks,
    partial_put_projects,
    first_rows_tasks,
    camel_tasks,
]


class Query(*(crud.Query for crud in CRUDS), graphene.ObjectType):
    ping = graphene.String(default_value="pong")  # the mixins sit beside the project's fields


class Mutation(*(crud.Mutation for crud in CRUDS), graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)

router = DefaultRouter()
router.register("own-tasks", crud_views.OwnTaskViewSet, basename="own-task")
router.register("guarded-tasks", crud_views.GuardedTaskViewSet, basename="guarded-task")
router.register("projects", crud_views.SlugProjectViewSet, basename="slug-project")
router.register("failing-tasks", crud_views.FailingTaskViewSet, basename="failing-task")
router.register("inspected-tags", crud_views.InspectingTagViewSet, basename="inspected-tag")
router.register("fields-tasks", crud_views.FieldsTaskViewSet, basename="fields-task")
router.register("class-tasks", crud_views.FilterClassTaskViewSet, basename="class-task")
router.register("range-tasks", RangeTaskViewSet, basename="range-task")
router.register("put-projects", crud_views.PartialPutProjectViewSet, basename="put-project")
router.register("first-rows-tasks", FirstRowsTaskViewSet, basename="first-rows-task")
router.register("camel-tasks", CamelOrderingTaskViewSet, basename="camel-task")

urlpatterns = [
    path("graphql/", csrf_exempt(GraphQLView.as_view(schema=schema))),
    path("drf-graphql/", DRFGraphQLView.as_view(schema=schema)),
    path("api/", include(router.urls)),
]


@pytest.fixture
def alice(gql):
    user = UserFactory(username="alice")
    gql.force_login(user)
    return user


@pytest.fixture
def bob():
    return UserFactory(username="bob")


def rest(client, method, url, data=None, **params):
    """A REST call through the router: status and decoded body."""
    if method == "get":
        response = client.get(url, params)
    else:
        response = getattr(client, method)(url, json.dumps(data), content_type="application/json")
    return response.status_code, (response.json() if response.content else None)


def as_graphql(value, key=None):
    """A REST representation as GraphQL spells it: camelCase keys, ids as strings, enums."""
    if isinstance(value, dict):
        return {to_camel_case(k): as_graphql(item, k) for k, item in value.items()}
    if isinstance(value, list):
        return [as_graphql(item, key) for item in value]
    if value is not None and key in ("id", "tags"):
        return str(value)
    if value is not None and key == "status":
        return value.upper()
    return value


def make_task(tags=(), **fields):
    task = TaskFactory(**fields)
    task.tags.set(tags)
    return task


def error(body):
    (only,) = body["errors"]
    return only


# ------------------------------------------------------------------------------ schema shape


INTROSPECT = """{ __schema {
  queryType { fields { name args { name } } }
  mutationType { fields { name args { name } } }
} }"""


def test_fields_exist_only_for_supported_actions(gql):
    status, body = gql(INTROSPECT)
    assert status == 200
    queries = {
        f["name"]: [a["name"] for a in f["args"]]
        for f in body["data"]["__schema"]["queryType"]["fields"]
    }
    mutations = {
        f["name"]: [a["name"] for a in f["args"]]
        for f in body["data"]["__schema"]["mutationType"]["fields"]
    }
    # ReadOnlyModelViewSet: retrieve and list only.
    assert queries["tag"] == ["id"] and queries["tags"] == []
    assert not {"createTag", "updateTag", "deleteTag"} & set(mutations)
    # Only CreateModelMixin: one mutation, no query.
    assert mutations["createNewTag"] == ["input"]
    assert not {"newTag", "newTags", "updateNewTag", "deleteNewTag"} & (
        set(queries) | set(mutations)
    )
    # http_method_names without patch and delete: a full update, no delete.
    assert mutations["updateFullProject"] == ["id", "input"]
    assert "deleteFullProject" not in mutations
    # A ModelViewSet: all five, the lookup named after lookup_field.
    assert queries["slugProject"] == ["slug"]
    assert mutations["updateSlugProject"] == ["slug", "input"]
    assert mutations["deleteSlugProject"] == ["slug"]
    # Arguments from filter backends and the paginator.
    assert queries["fieldsTasks"] == ["filter", "search", "orderBy", "limit", "offset"]
    assert queries["classTasks"] == ["filter", "orderBy", "page", "pageSize"]
    assert queries["myTasks"] == []  # no backends, no pagination in the test settings
    assert "ping" in queries


def test_types_follow_the_serializer_of_each_action():
    sdl = str(schema)
    # OwnTaskViewSet.get_serializer_class(): TaskReadSerializer reads, CrudTaskWriteSerializer writes.
    assert (
        '  myTask(\n    """The `pk` of the object, as in the REST URL."""\n    id: ID!\n  ): TaskReadOutput\n'
        in sdl
    )
    assert "  myTasks: TaskReadOutputList\n" in sdl
    assert "createMyTask(input: CrudTaskWriteInput!): CreateMyTaskPayload" in sdl
    assert "type CreateMyTaskPayload {\n  myTask: CrudTaskWriteOutput\n}" in sdl
    assert "    input: CrudTaskWritePartialInput!\n  ): UpdateMyTaskPayload" in sdl
    assert "type DeleteMyTaskPayload {\n  deletedId: ID!\n}" in sdl
    assert "    slug: String!\n  ): ProjectOutput\n" in sdl
    assert "    input: ProjectInput!\n  ): UpdateFullProjectPayload" in sdl  # PUT: full input
    assert "    filter: TaskByStatusPriorityProjectTagsFilterInput\n" in sdl  # filterset_fields
    assert "    filter: CrudTaskFilterInput\n" in sdl  # filterset_class
    assert (
        "input CrudTaskFilterInput {\n  status: String\n  tags: [ID!]\n  title: String\n"
        "  dueBefore: DateString\n  minPriority: Int\n  id_In: [String!]\n}"
    ) in sdl


def test_a_viewset_without_generic_views_is_refused():
    with pytest.raises(ImproperlyConfigured, match="needs a DRF GenericViewSet or ModelViewSet"):
        ViewSetCrud(viewsets.ViewSet, name="plain")


def test_a_viewset_without_a_serializer_is_refused_for_what_it_lacks():
    class HandWrittenViewSet(viewsets.GenericViewSet):
        def retrieve(self, request, pk=None):
            return Response({"id": pk})

    with pytest.raises(ImproperlyConfigured) as refused:
        ViewSetCrud(HandWrittenViewSet, name="handWritten")
    assert str(refused.value) == (
        "HandWrittenViewSet has no serializer_class to build the GraphQL types of action "
        "'retrieve' from: declare one, or a get_serializer_class()."
    )


class NoRowsProjectViewSet(viewsets.ModelViewSet):
    """Neither ``queryset`` nor ``get_queryset()``: DRF's router takes it with a basename,
    then every list, read, update and delete fails on GenericAPIView's assertion."""

    serializer_class = ProjectSerializer


def test_a_viewset_with_no_rows_to_read_is_refused():
    with pytest.raises(ImproperlyConfigured) as refused:
        ViewSetCrud(NoRowsProjectViewSet, name="noRowsProject")
    assert str(refused.value) == (
        "ViewSetCrud(NoRowsProjectViewSet): the viewset has no queryset and no get_queryset(), "
        "which its update, partial_update, destroy, retrieve, list actions read rows from. "
        "Give it a queryset, or a get_queryset()."
    )


class InitialRowsProjectViewSet(viewsets.ModelViewSet):
    """Sets its rows as each call starts (registered with a basename, as DRF asks)."""

    serializer_class = ProjectSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.queryset = Project.objects.filter(slug__startswith="kept")


class MadeRowsProjectViewSet(InitialRowsProjectViewSet):
    """Sets them as it is made."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.queryset = Project.objects.filter(slug__startswith="kept")

    initial = viewsets.ModelViewSet.initial


@pytest.mark.parametrize("viewset", [InitialRowsProjectViewSet, MadeRowsProjectViewSet])
def test_a_viewset_setting_its_rows_per_call_is_taken(viewset, isolated_cruds, isolated_registry):
    ProjectFactory(slug="kept-1")
    ProjectFactory(slug="other")
    crud = ViewSetCrud(viewset, name="perCallProject")
    answer = _crud_answer(crud, "{ perCallProjects { results { slug } } }", {})
    assert answer == {"data": {"perCallProjects": {"results": [{"slug": "kept-1"}]}}}


def test_a_viewset_finding_its_rows_its_own_way_needs_no_queryset(isolated_registry):
    """A create-only viewset, and one whose get_object() finds the row itself, read none
    through get_queryset()."""

    class CreateOnlyProjectViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
        serializer_class = ProjectSerializer

    class OwnLookupProjectViewSet(
        mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
    ):
        serializer_class = ProjectSerializer

        def get_object(self):
            return Project.objects.get(pk=self.kwargs["pk"])

    saved = list(viewset_cruds)
    try:
        assert ViewSetCrud(CreateOnlyProjectViewSet, name="createOnlyProject").actions == ["create"]
        assert ViewSetCrud(OwnLookupProjectViewSet, name="ownLookupProject").actions == [
            "destroy",
            "retrieve",
        ]
    finally:
        viewset_cruds[:] = saved


# ------------------------------------------------------------------------------ the viewset's own code


OWN_TASK_FIELDS = "id title status tags { id name } project { id slug name }"


def test_get_queryset_scopes_reads(gql, client, alice, bob):
    mine = make_task(owner=alice, title="Mine", tags=[TagFactory(name="home")])
    theirs = TaskFactory(owner=bob, title="Theirs")

    status, body = gql("{ myTasks { totalCount results { " + OWN_TASK_FIELDS + " } } }")
    assert body == {
        "data": {
            "myTasks": {
                "totalCount": 1,
                "results": [
                    {
                        "id": str(mine.pk),
                        "title": "Mine",
                        "status": "TODO",
                        "tags": [{"id": str(mine.tags.get().pk), "name": "home"}],
                        "project": None,
                    }
                ],
            }
        }
    }
    rest_status, rest_body = rest(client, "get", "/api/own-tasks/")
    assert as_graphql(rest_body) == body["data"]["myTasks"]["results"]

    status, body = gql("query($id: ID!) { myTask(id: $id) { id } }", {"id": theirs.pk})
    assert body == {
        "data": {"myTask": None},
        "errors": [
            {
                "message": "No Task matches the given query.",
                "locations": [{"line": 1, "column": 19}],
                "path": ["myTask"],
                "extensions": {"code": "NOT_FOUND", "status": 404},
            }
        ],
    }
    assert rest(client, "get", f"/api/own-tasks/{theirs.pk}/") == (
        404,
        {"detail": "No Task matches the given query."},
    )


@pytest.mark.parametrize("lookup", ["abc", "99999999999999999999", "-1"])
def test_lookups_that_match_nothing_are_not_found(gql, client, alice, lookup):
    TaskFactory(owner=alice)
    status, body = gql("query($id: ID!) { myTask(id: $id) { id } }", {"id": lookup})
    assert body["data"] == {"myTask": None}
    assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}
    status, body = gql("mutation($id: ID!) { deleteMyTask(id: $id) { deletedId } }", {"id": lookup})
    assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}
    if len(lookup) < 19:  # beyond 64 bits, REST itself crashes on Django < 5.0
        assert rest(client, "get", f"/api/own-tasks/{lookup}/")[0] == 404
    assert Task.objects.count() == 1


def test_create_uses_the_write_serializer_and_perform_create(gql, client, alice):
    status, body = gql(
        "mutation($input: CrudTaskWriteInput!) { createMyTask(input: $input) "
        "{ myTask { id title notes status priority } } }",
        {"input": {"title": "Water plants", "status": "DONE", "priority": 2}},
    )
    task = Task.objects.get()
    assert body == {
        "data": {
            "createMyTask": {
                "myTask": {
                    "id": str(task.pk),
                    "title": "Water plants",
                    "notes": "",
                    "status": "DONE",
                    "priority": 2,
                }
            }
        }
    }
    assert task.owner == alice  # OwnTaskViewSet.perform_create

    rest_status, rest_body = rest(
        client,
        "post",
        "/api/own-tasks/",
        {"title": "Water plants", "status": "done", "priority": 2},
    )
    assert rest_status == 201
    assert as_graphql({**rest_body, "id": task.pk}) == body["data"]["createMyTask"]["myTask"]
    assert Task.objects.filter(owner=alice).count() == 2


def test_update_and_delete_reach_only_the_callers_rows(gql, alice, bob):
    mine = TaskFactory(owner=alice, title="Mine", priority=1)
    theirs = TaskFactory(owner=bob, title="Theirs")

    status, body = gql(
        "mutation($id: ID!) { updateMyTask(id: $id, input: {priority: 5}) "
        "{ myTask { title priority } } }",
        {"id": mine.pk},
    )
    assert body == {"data": {"updateMyTask": {"myTask": {"title": "Mine", "priority": 5}}}}

    status, body = gql(
        'mutation($id: ID!) { updateMyTask(id: $id, input: {title: "Hijacked"}) { myTask { id } } }',  # noqa: E501
        {"id": theirs.pk},
    )
    assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}
    status, body = gql(
        "mutation($id: ID!) { deleteMyTask(id: $id) { deletedId } }", {"id": theirs.pk}
    )
    assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"

    status, body = gql(
        "mutation($id: ID!) { deleteMyTask(id: $id) { deletedId } }", {"id": mine.pk}
    )
    assert body == {"data": {"deleteMyTask": {"deletedId": str(mine.pk)}}}
    assert list(Task.objects.all()) == [theirs]


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite has no row locks")
def test_update_and_delete_lock_the_row_after_the_viewsets_filters(gql, alice):
    """The viewset's queryset picks the row; the lock is added last (see test_mutations)."""
    task = TaskFactory(owner=alice)
    statements = {}
    for name, query in [
        (
            "update",
            "mutation($id: ID!) { updateMyTask(id: $id, input: {priority: 5}) { myTask { id } } }",
        ),  # noqa: E501
        ("delete", "mutation($id: ID!) { deleteMyTask(id: $id) { deletedId } }"),
    ]:
        with CaptureQueriesContext(connection) as captured:
            status, body = gql(query, {"id": task.pk})
        assert "errors" not in body, body
        statements[name] = [q["sql"] for q in captured.captured_queries if "FOR UPDATE" in q["sql"]]
    assert [len(found) for found in statements.values()] == [1, 1]
    assert all('"owner_id"' in found[0] for found in statements.values())


@pytest.mark.parametrize("endpoint", ["/graphql/", "/drf-graphql/"])
def test_anonymous_callers_are_not_authenticated(client, endpoint):
    response = client.post(
        endpoint, json.dumps({"query": "{ myTasks { totalCount } }"}), "application/json"
    )
    assert response.json() == {
        "data": {"myTasks": None},
        "errors": [
            {
                "message": "Authentication credentials were not provided.",
                "locations": [{"line": 1, "column": 3}],
                "path": ["myTasks"],
                "extensions": {"code": "NOT_AUTHENTICATED", "status": 401},
            }
        ],
    }
    # REST with session authentication says the same (with 403: no WWW-Authenticate scheme).
    assert rest(client, "get", "/api/own-tasks/") == (
        403,
        {"detail": "Authentication credentials were not provided."},
    )


@pytest.mark.parametrize("endpoint", ["/graphql/", "/drf-graphql/"])
def test_signed_in_callers_through_either_endpoint(client, endpoint):
    user = UserFactory()
    client.force_login(user)
    TaskFactory(owner=user, title="Visible")
    response = client.post(
        endpoint, json.dumps({"query": "{ myTasks { results { title } } }"}), "application/json"
    )
    assert response.json() == {"data": {"myTasks": {"results": [{"title": "Visible"}]}}}


def test_permission_classes_and_object_permissions_answer_as_rest(gql, client, alice, bob):
    theirs = TaskFactory(owner=bob, title="Theirs")
    update = (
        'mutation($id: ID!) { updateGuardedTask(id: $id, input: {title: "Changed"}) '
        "{ guardedTask { title } } }"
    )

    # Reading is allowed to everyone, changing only to the owner (has_object_permission).
    status, body = gql("query($id: ID!) { guardedTask(id: $id) { title } }", {"id": theirs.pk})
    assert body == {"data": {"guardedTask": {"title": "Theirs"}}}
    status, body = gql(update, {"id": theirs.pk})
    assert body["data"] == {"updateGuardedTask": None}
    assert error(body)["message"] == "Only the owner may change this task."
    assert error(body)["extensions"] == {"code": "NOT_OWNER", "status": 403}
    assert rest(client, "patch", f"/api/guarded-tasks/{theirs.pk}/", {"title": "Changed"}) == (
        403,
        {"detail": "Only the owner may change this task."},
    )
    status, body = gql(
        "mutation($id: ID!) { deleteGuardedTask(id: $id) { deletedId } }", {"id": theirs.pk}
    )
    assert error(body)["extensions"] == {"code": "NOT_OWNER", "status": 403}
    assert Task.objects.get().title == "Theirs"

    # A missing row: 404 from get_object, as REST.
    status, body = gql(update, {"id": theirs.pk + 1000})
    assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}
    assert rest(client, "patch", f"/api/guarded-tasks/{theirs.pk + 1000}/", {})[0] == 404

    # The owner may.
    gql.force_login(bob)
    status, body = gql(update, {"id": theirs.pk})
    assert body == {"data": {"updateGuardedTask": {"guardedTask": {"title": "Changed"}}}}


def test_anonymous_writes_are_refused_by_permission_classes(client):
    status, body = rest(client, "post", "/api/guarded-tasks/", {"title": "Anonymous"})
    assert (status, body) == (403, {"detail": "Authentication credentials were not provided."})
    response = client.post(
        "/graphql/",
        json.dumps(
            {
                "query": 'mutation { createGuardedTask(input: {title: "Anonymous"}) { guardedTask { id } } }'
            }
        ),
        "application/json",
    )
    assert error(response.json())["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 401}
    assert not Task.objects.exists()


def test_lookup_field_and_lookup_url_kwarg(gql):
    project = ProjectFactory(slug="kitchen", name="Kitchen")
    RecordingPermission.seen.clear()

    status, body = gql('{ slugProject(slug: "kitchen") { id slug name } }')
    assert body == {
        "data": {"slugProject": {"id": str(project.pk), "slug": "kitchen", "name": "Kitchen"}}
    }
    status, body = gql(
        'mutation { updateSlugProject(slug: "kitchen", input: {name: "Big kitchen"}) '
        "{ slugProject { slug name } } }"
    )
    assert body == {
        "data": {"updateSlugProject": {"slugProject": {"slug": "kitchen", "name": "Big kitchen"}}}
    }
    status, body = gql('mutation { deleteSlugProject(slug: "kitchen") { deletedId } }')
    assert body == {"data": {"deleteSlugProject": {"deletedId": str(project.pk)}}}
    assert not Project.objects.exists()

    # The permission saw the REST method, the action and the router's kwargs, every time.
    assert RecordingPermission.seen == [
        ("has_permission", "GET", "retrieve", {"project_slug": "kitchen"}, "Project"),
        ("has_object_permission", "GET", "retrieve", project.pk),
        ("has_permission", "PATCH", "partial_update", {"project_slug": "kitchen"}, "Project"),
        ("has_object_permission", "PATCH", "partial_update", project.pk),
        ("has_permission", "DELETE", "destroy", {"project_slug": "kitchen"}, "Project"),
        ("has_object_permission", "DELETE", "destroy", project.pk),
    ]
    RecordingPermission.seen.clear()


@pytest.mark.parametrize(
    "document",
    [
        '{ slugProject(slug: "") { id } }',
        'mutation { updateSlugProject(slug: "", input: {name: "Changed"}) { slugProject { id } } }',
        'mutation { deleteSlugProject(slug: "") { deletedId } }',
    ],
)
def test_an_empty_lookup_is_not_found_as_no_route_matches_it(gql, client, document):
    """A row whose slug is blank (saved by code, not a form) is out of REST's reach: no
    router matches an empty URL segment. The viewset's code never runs for it."""
    project = ProjectFactory(slug="", name="Blank")
    RecordingPermission.seen.clear()
    assert client.get("/api/projects//").status_code == 404
    assert client.delete("/api/projects//").status_code == 404

    status, body = gql(document)
    assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}
    assert RecordingPermission.seen == []
    project.refresh_from_db()
    assert project.name == "Blank"


@pytest.mark.parametrize(
    "document",
    [
        '{ slugProject(slug: "team/a") { id } }',
        'mutation { updateSlugProject(slug: "team/a", input: {name: "Changed"}) '
        "{ slugProject { id } } }",
        'mutation { deleteSlugProject(slug: "team/a") { deletedId } }',
    ],
)
def test_a_lookup_holding_a_slash_is_not_found_as_no_route_matches_it(gql, client, document):
    """No router's pattern matches a "/" in a segment: REST cannot reach such a row."""
    project = ProjectFactory(slug="team/a", name="Slashed")
    RecordingPermission.seen.clear()
    assert client.get("/api/projects/team/a/").status_code == 404
    assert client.delete("/api/projects/team/a/").status_code == 404

    status, body = gql(document)
    assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}
    assert RecordingPermission.seen == []
    project.refresh_from_db()
    assert project.name == "Slashed"


def test_full_update_takes_the_full_input(gql):
    project = ProjectFactory(slug="old", name="Old")
    ProjectFactory(slug="taken")
    update = (
        "mutation($id: ID!, $input: ProjectInput!) { updateFullProject(id: $id, input: $input) "
        "{ fullProject { slug name } } }"
    )
    status, body = gql(update, {"id": project.pk, "input": {"slug": "taken", "name": "New"}})
    assert error(body)["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [
            {"field": "slug", "message": "project with this slug already exists.", "code": "unique"}
        ],
    }
    status, body = gql(update, {"id": project.pk, "input": {"slug": "new", "name": "New"}})
    assert body == {"data": {"updateFullProject": {"fullProject": {"slug": "new", "name": "New"}}}}


def test_a_put_the_viewset_makes_partial_takes_the_partial_input(gql, client):
    """REST's PUT validates a partial body there: the GraphQL input is partial too."""
    mutation = schema.graphql_schema.mutation_type.fields["updatePutProject"]
    assert str(mutation.args["input"].type) == "ProjectPartialInput!"
    first, second = ProjectFactory(slug="first", name="First"), ProjectFactory(slug="second")
    response = client.put(
        f"/api/put-projects/{first.pk}/", {"name": "Renamed"}, content_type="application/json"
    )
    assert response.status_code == 200
    update = (
        'mutation($id: ID!) { updatePutProject(id: $id, input: {name: "Also renamed"}) '
        "{ putProject { slug name } } }"
    )
    status, body = gql(update, {"id": second.pk})
    assert body == {
        "data": {"updatePutProject": {"putProject": {"slug": "second", "name": "Also renamed"}}}
    }
    first.refresh_from_db()
    assert (first.slug, first.name) == ("first", "Renamed")


def test_the_viewset_is_set_up_as_the_router_sets_it_up(gql, alice):
    crud_views.InspectingTagViewSet.seen.clear()
    status, body = gql(
        'mutation { createInspectedTag(input: {name: "x"}) { inspectedTag { name } } }'
    )
    assert body == {"data": {"createInspectedTag": {"inspectedTag": {"name": "x"}}}}
    tag = Tag.objects.get()
    status, body = gql("query($id: ID!) { inspectedTag(id: $id) { name } }", {"id": tag.pk})
    assert body == {"data": {"inspectedTag": {"name": "x"}}}
    create, retrieve = crud_views.InspectingTagViewSet.seen
    assert create == {
        "action": "create",
        "action_map": {"get": "list", "head": "list", "post": "create"},
        "args": (),
        "basename": "tag",
        "context": ["format", "info", "request", "view"],
        "data": {"name": "x"},  # REST's body: the input, as the serializer gets it
        "detail": False,
        "format_kwarg": None,
        "kwargs": {},
        "method": "POST",
        "query_params": {},
        "suffix": "List",
        "user": "alice",
        "view_is_self": True,
    }
    assert retrieve == {
        **create,
        "action": "retrieve",
        "action_map": {
            "get": "retrieve",
            "head": "retrieve",
            "put": "update",
            "patch": "partial_update",
            "delete": "destroy",
        },
        "detail": True,
        "data": {},
        "kwargs": {"pk": str(tag.pk)},
        "method": "GET",
        "suffix": "Instance",
    }


def test_throttles_of_the_viewset(gql):
    cache.clear()
    try:
        for _ in range(2):
            status, body = gql("{ throttledTags { totalCount } }")
            assert body == {"data": {"throttledTags": {"totalCount": 0}}}
        status, body = gql("{ throttledTags { totalCount } }")
        assert body["data"] == {"throttledTags": None}
        extensions = error(body)["extensions"]
        assert (extensions["code"], extensions["status"]) == ("THROTTLED", 429)
        assert 0 < extensions["retryAfter"] <= 60
    finally:
        cache.clear()


# ------------------------------------------------------------------------------ errors and rollback


def test_atomic_mutations_undo_an_earlier_write_under_graphene_djangos_view(
    gql, alice, monkeypatch
):
    """graphene-django's view undoes an ``ATOMIC_MUTATIONS`` document on the flag its own
    mutations set when they fail, which a failing ViewSetCrud write now sets too."""
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_MUTATIONS", True)
    status, body = gql(
        'mutation { a: createMyTask(input: {title: "First", priority: 1}) { myTask { title } }'
        ' b: createMyTask(input: {title: "ab", priority: 1}) { myTask { title } } }'
    )
    assert body["data"] == {"a": {"myTask": {"title": "First"}}, "b": None}
    assert error(body)["extensions"]["code"] == "VALIDATION_ERROR"
    assert not Task.objects.exists()


def test_validation_errors_are_rests(gql, client, alice):
    status, body = gql(
        'mutation { createMyTask(input: {title: "ab", priority: 1}) { myTask { id } } }'
    )
    assert body["data"] == {"createMyTask": None}
    assert error(body)["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [
            {
                "field": "title",
                "message": "Ensure this field has at least 3 characters.",
                "code": "min_length",
            }
        ],
    }
    assert rest(client, "post", "/api/own-tasks/", {"title": "ab", "priority": 1}) == (
        400,
        {"title": ["Ensure this field has at least 3 characters."]},
    )
    assert not Task.objects.exists()


def test_failing_perform_create_leaves_nothing_behind(gql, alice):
    status, body = gql(
        'mutation { createFailingTask(input: {title: "Saved first"}) { failingTask { id } } }'
    )
    assert body["data"] == {"createFailingTask": None}
    assert error(body)["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [{"field": "title", "message": "Rejected after saving.", "code": "invalid"}],
    }
    status, body = gql(
        'mutation { createFailingTask(input: {title: "crash"}) { failingTask { id } } }'
    )
    assert error(body) == {
        "message": "A server error occurred.",
        "locations": [{"line": 1, "column": 12}],
        "path": ["createFailingTask"],
        "extensions": {"code": "INTERNAL_SERVER_ERROR", "status": 500},
    }
    assert not Task.objects.exists()


def test_a_lost_unique_race_is_a_clean_validation_error(gql):
    status, body = gql(
        'mutation { createRacingProject(input: {slug: "s", name: "loser"}) '
        "{ racingProject { id } } }"
    )
    assert body["data"] == {"createRacingProject": None}
    assert error(body)["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [
            {
                "field": None,
                "message": "The data conflicts with data already stored.",
                "code": "integrity_error",
            }
        ],
    }
    assert not Project.objects.exists()


@pytest.mark.django_db(transaction=True)  # no transaction around the request: none at all
def test_atomic_mutations_can_be_turned_off(gql, alice):
    with override_settings(DRF_GRAPHQL_CRUD={"ATOMIC_MUTATIONS": False}):
        gql('mutation { createFailingTask(input: {title: "Saved first"}) { failingTask { id } } }')
    assert Task.objects.get().title == "Saved first"


# ------------------------------------------------------------------------------ filters, ordering, pages: REST == GraphQL


FIELDS_TASK = "id title notes status priority views estimate dueDate created ownerName project tags subtasks { id title done } isOverdue"  # noqa: E501
CLASS_TASK = "id title status tags { id name } project { id slug name }"


@pytest.fixture
def rows(alice):
    home, work = TagFactory(name="home"), TagFactory(name="work")
    garden = ProjectFactory(slug="garden")
    specs = [
        ("Buy milk", "status", "todo", 1, "2025-12-01", [home], None),
        ("Buy bread", "milk too", "done", 2, "2026-02-01", [home, work], garden),
        ("Write report", "", "in_progress", 3, None, [work], None),
        ("Call plumber", "", "todo", 2, "2025-06-30", [], garden),
        ("Plant tulips", "bulbs", "done", 0, "2026-03-15", [home], garden),
        ("File taxes", "", "todo", 3, "2026-04-30", [work], None),
        ("Oil the bike", "chain", "in_progress", 1, None, [], None),
    ]
    tasks = []
    for title, notes, status, priority, due, task_tags, project in specs:
        task = make_task(
            title=title,
            notes=notes,
            status=status,
            priority=priority,
            due_date=datetime.date.fromisoformat(due) if due else None,
            owner=alice,
            project=project,
            tags=task_tags,
        )
        tasks.append(task)
    SubtaskFactory(task=tasks[1], title="Check the oven")
    return {"home": home, "work": work, "garden": garden, "tasks": tasks}


FIELDS_CASES = [
    # (REST query parameters, GraphQL arguments), as functions of the rows
    lambda r: ({}, {}),
    lambda r: ({"status": "done"}, {"filter": {"status": "done"}}),
    lambda r: ({"priority": 2}, {"filter": {"priority": 2}}),
    lambda r: ({"project": r["garden"].pk}, {"filter": {"project": str(r["garden"].pk)}}),
    lambda r: (
        {"tags": [r["home"].pk, r["work"].pk]},
        {"filter": {"tags": [str(r["home"].pk), str(r["work"].pk)]}},
    ),
    lambda r: ({"search": "milk"}, {"search": "milk"}),
    lambda r: ({"search": "buy milk"}, {"search": "buy milk"}),
    lambda r: ({"ordering": "-priority,title"}, {"orderBy": ["-priority", "title"]}),
    lambda r: ({"ordering": "due_date"}, {"orderBy": ["dueDate"]}),  # camelCase accepted
    lambda r: ({"ordering": "secret"}, {"orderBy": ["secret"]}),  # dropped, as by REST
    # No camelCase of a field (`priority` is its own): dropped too, as by REST.
    lambda r: ({"ordering": "Priority"}, {"orderBy": ["Priority"]}),
    lambda r: ({"ordering": "-DueDate"}, {"orderBy": ["-DueDate"]}),
    # Unknown and repeated terms dropped, as by REST, more terms than fields too (up to 100).
    lambda r: ({"ordering": "x,y,-title"}, {"orderBy": ["x", "y", "-title"]}),
    lambda r: (
        {"ordering": "-title,nope,-title,priority"},
        {"orderBy": ["-title", "nope", "-title", "priority"]},
    ),
    lambda r: ({"limit": 2, "offset": 1}, {"limit": 2, "offset": 1}),
    lambda r: ({"limit": 100}, {"limit": 100}),  # capped at max_limit
    lambda r: ({"limit": -1}, {"limit": -1}),  # ignored: the default limit
    lambda r: ({"offset": 6}, {"offset": 6}),
    lambda r: (
        {"status": "todo", "search": "b", "ordering": "-priority", "limit": 2},
        {"filter": {"status": "todo"}, "search": "b", "orderBy": ["-priority"], "limit": 2},
    ),
]


@pytest.mark.parametrize("case", FIELDS_CASES)
def test_filterset_fields_search_ordering_limit_offset_match_rest(gql, client, rows, case):
    params, arguments = case(rows)
    rest_status, rest_body = rest(client, "get", "/api/fields-tasks/", **params)
    assert rest_status == 200
    status, body = gql(
        "query($filter: TaskByStatusPriorityProjectTagsFilterInput, $search: String, "
        "$orderBy: [String!], $limit: Int, $offset: Int) { fieldsTasks(filter: $filter, "
        "search: $search, orderBy: $orderBy, limit: $limit, offset: $offset) "
        "{ totalCount results { " + FIELDS_TASK + " } } }",
        arguments,
    )
    assert "errors" not in body, body
    result = body["data"]["fieldsTasks"]
    assert result["totalCount"] == rest_body["count"]
    assert result["results"] == as_graphql(rest_body["results"])


def test_an_order_by_of_more_than_a_hundred_terms_is_refused(gql, rows):
    """REST drops unknown and repeated terms one by one; 200,000 of them took 3 s."""
    query = "query($o: [String!]) { fieldsTasks(orderBy: $o) { totalCount } }"
    body = gql(query, {"o": ["title", "-dueDate"] * 1000})[1]
    assert body["errors"][0]["extensions"]["errors"] == [
        {
            "field": "orderBy",
            "message": "Ensure this field has no more than 100 elements.",
            "code": "max_length",
        }
    ]


def test_a_search_of_more_terms_than_max_search_terms_is_refused(gql, rows, settings):
    """As a ListField's: after the viewset's permissions, before its filter backends run."""
    settings.DRF_GRAPHQL_CRUD = {"MAX_SEARCH_TERMS": 2}
    query = "query($s: String) { fieldsTasks(search: $s) { totalCount } }"
    assert "errors" not in gql(query, {"s": "buy milk"})[1]
    body = gql(query, {"s": "buy some milk"})[1]
    assert body["data"] == {"fieldsTasks": None}
    assert body["errors"][0]["extensions"]["errors"] == [
        {
            "field": "search",
            "message": "Ensure this field has no more than 2 search terms.",
            "code": "max_length",
        }
    ]


@pytest.mark.parametrize(
    ("url", "field", "params", "arguments"),
    [
        # Explicit ordering_fields, and "__all__" (the model's columns).
        ("/api/fields-tasks/", "fieldsTasks", "-due_date,title", '["-dueDate", "title"]'),
        ("/api/class-tasks/", "classTasks", "-due_date,project", '["-dueDate", "project"]'),
    ],
)
def test_the_viewsets_code_reads_rests_ordering_parameter(
    gql, client, rows, url, field, params, arguments, monkeypatch
):
    """Its permissions and get_queryset() run before the rows are ordered: they read
    ``?ordering=`` as REST's client wrote it, snake_case."""
    seen = []
    view_class = {"fieldsTasks": crud_views.FieldsTaskViewSet}.get(
        field, crud_views.FilterClassTaskViewSet
    )
    drf_get_queryset = viewsets.ReadOnlyModelViewSet.get_queryset

    def get_queryset(self):
        seen.append(self.request.query_params.getlist("ordering"))
        return drf_get_queryset(self)

    monkeypatch.setattr(view_class, "get_queryset", get_queryset, raising=False)
    rest_status, rest_body = rest(client, "get", url, ordering=params)
    status, body = gql(f"{{ {field}(orderBy: {arguments}) {{ results {{ id }} }} }}")
    assert seen == [[params], [params]]
    assert [row["id"] for row in body["data"][field]["results"]] == [
        str(row["id"]) for row in rest_body["results"]
    ]


def test_an_ordering_filter_with_names_of_its_own_orders_as_rest(gql, client, rows, monkeypatch):
    """A project's OrderingFilter that takes ``?ordering=-dueDate``: the term goes to the
    viewset as the client wrote it, as REST's does, and orders the same rows."""
    seen = []
    drf_get_queryset = viewsets.ReadOnlyModelViewSet.get_queryset

    def get_queryset(self):
        seen.append(self.request.query_params.get("ordering"))
        return drf_get_queryset(self)

    monkeypatch.setattr(CamelOrderingTaskViewSet, "get_queryset", get_queryset, raising=False)
    _, rest_body = rest(client, "get", "/api/camel-tasks/", ordering="-dueDate")
    _, default = rest(client, "get", "/api/camel-tasks/")
    assert rest_body != default  # an ordering of its own
    _, body = gql('{ camelTasks(orderBy: ["-dueDate"]) { results { id } } }')
    assert [row["id"] for row in body["data"]["camelTasks"]["results"]] == [
        str(row["id"]) for row in rest_body
    ]
    assert seen == ["-dueDate", None, "-dueDate"]


def test_a_paginator_that_does_not_count_counts_only_when_asked(
    gql, client, rows, django_assert_num_queries
):
    """REST's answer from such a paginator has no count: the list reads the page alone,
    and ``totalCount`` costs the COUNT REST never runs only when selected."""
    with CaptureQueriesContext(connection) as rest_queries:
        rest_status, rest_body = rest(client, "get", "/api/first-rows-tasks/")
    assert not any("COUNT(" in query["sql"] for query in rest_queries.captured_queries)
    with django_assert_num_queries(len(rest_queries)):
        status, body = gql("{ firstRowsTasks { results { id } } }")
    ids = [str(row["id"]) for row in rest_body["rows"]]
    assert body == {"data": {"firstRowsTasks": {"results": [{"id": pk} for pk in ids]}}}
    with django_assert_num_queries(len(rest_queries) + 1):
        status, body = gql("{ firstRowsTasks { count: totalCount results { id } } }")
    assert body["data"]["firstRowsTasks"]["count"] == len(rows["tasks"])


first_rows_snake = ViewSetCrud(FirstRowsTaskViewSet, name="firstRowsTask")
snake_schema = graphene.Schema(
    query=type("SnakeQuery", (first_rows_snake.Query, graphene.ObjectType), {}),
    auto_camelcase=False,
)
urlpatterns += [path("snake-graphql/", DRFGraphQLView.as_view(schema=snake_schema))]


def test_a_paginator_that_does_not_count_counts_total_count_without_auto_camelcase(client, rows):
    """Under graphene's auto_camelcase=False the field is ``total_count``: it was never
    counted, and the non-null count was an INTERNAL_SERVER_ERROR."""
    answer = client.post(
        "/snake-graphql/",
        {"query": "{ firstRowsTasks { total_count results { id } } }"},
        content_type="application/json",
    ).json()
    assert answer["data"]["firstRowsTasks"]["total_count"] == len(rows["tasks"])


CLASS_CASES = [
    lambda r: ({}, {}),
    lambda r: ({"page": 2}, {"page": 2}),
    lambda r: ({"page": 2, "page_size": 3}, {"page": 2, "pageSize": 3}),
    lambda r: ({"page_size": 10}, {"pageSize": 10}),  # capped at max_page_size
    lambda r: ({"title": "BUY"}, {"filter": {"title": "BUY"}}),
    lambda r: ({"due_before": "2026-01-01"}, {"filter": {"dueBefore": "2026-01-01"}}),
    lambda r: ({"min_priority": 2}, {"filter": {"minPriority": 2}}),
    lambda r: ({"status": "in_progress"}, {"filter": {"status": "in_progress"}}),
    lambda r: ({"tags": [r["work"].pk]}, {"filter": {"tags": [str(r["work"].pk)]}}),
    lambda r: (
        {"id__in": f"{r['tasks'][0].pk},{r['tasks'][4].pk}"},
        {"filter": {"id_In": [str(r["tasks"][0].pk), str(r["tasks"][4].pk)]}},
    ),
    lambda r: ({"ordering": "-title", "page": 3}, {"orderBy": ["-title"], "page": 3}),
    lambda r: ({"ordering": "project,-id"}, {"orderBy": ["project", "-id"]}),
]


@pytest.mark.parametrize("case", CLASS_CASES)
def test_filterset_class_ordering_and_page_numbers_match_rest(gql, client, rows, case):
    params, arguments = case(rows)
    rest_status, rest_body = rest(client, "get", "/api/class-tasks/", **params)
    assert rest_status == 200
    status, body = gql(
        "query($filter: CrudTaskFilterInput, $orderBy: [String!], $page: Int, $pageSize: Int) "
        "{ classTasks(filter: $filter, orderBy: $orderBy, page: $page, pageSize: $pageSize) "
        "{ totalCount results { " + CLASS_TASK + " } } }",
        arguments,
    )
    assert "errors" not in body, body
    result = body["data"]["classTasks"]
    assert result["totalCount"] == rest_body["count"]
    assert result["results"] == as_graphql(rest_body["results"])


def test_a_page_out_of_range_is_not_found_as_under_rest(gql, client, rows):
    assert rest(client, "get", "/api/class-tasks/", page=9) == (404, {"detail": "Invalid page."})
    status, body = gql("{ classTasks(page: 9) { totalCount } }")
    assert body["data"] == {"classTasks": None}
    assert error(body)["message"] == "Invalid page."
    assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}


def test_invalid_filter_values_are_validation_errors_on_the_filter_path(gql, client, rows):
    status, rest_body = rest(client, "get", "/api/class-tasks/", due_before="soon")
    assert (status, rest_body) == (400, {"due_before": ["Enter a valid date."]})
    status, body = gql('{ classTasks(filter: {dueBefore: "soon"}) { totalCount } }')
    assert body["data"] == {"classTasks": None}
    assert error(body)["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [
            {"field": "filter.dueBefore", "message": "Enter a valid date.", "code": "invalid"}
        ],
    }


def test_unpaginated_lists_count_every_row(gql, alice, rows):
    status, body = gql("{ myTasks { totalCount results { title } } }")
    assert body["data"]["myTasks"]["totalCount"] == 7
    assert [task["title"] for task in body["data"]["myTasks"]["results"]] == [
        task.title for task in rows["tasks"]
    ]


RANGE_TASK = "id title status priority dueDate projectName"

RANGE_CASES = [
    # DateFromToRangeFilter and RangeFilter: one field per query parameter the widget reads.
    lambda r: (
        {"due_after": "2025-12-01", "due_before": "2026-03-15"},
        {"filter": {"dueAfter": "2025-12-01", "dueBefore": "2026-03-15"}},
    ),
    lambda r: ({"due_after": "2026-03-01"}, {"filter": {"dueAfter": "2026-03-01"}}),
    lambda r: (
        {"priority_min": 2, "priority_max": 2},
        {"filter": {"priorityMin": 2, "priorityMax": 2}},
    ),
    lambda r: ({"priority_max": 1}, {"filter": {"priorityMax": 1}}),
    # CSVWidget: a list is one comma-separated parameter.
    lambda r: ({"status": "todo,done"}, {"filter": {"status": ["todo", "done"]}}),
    lambda r: (
        {"tags": f"{r['home'].pk},{r['work'].pk}"},
        {"filter": {"tags": [str(r["home"].pk), str(r["work"].pk)]}},
    ),
    lambda r: (
        {"status": "in_progress,done", "due_before": "2026-03-01"},
        {"filter": {"status": ["in_progress", "done"], "dueBefore": "2026-03-01"}},
    ),
    # No ordering_fields: the serializer's readable fields, dotted sources with "__".
    lambda r: ({"ordering": "-due_date,title"}, {"orderBy": ["-dueDate", "title"]}),
    lambda r: (
        {"ordering": "project__name,-priority"},
        {"orderBy": ["project__name", "-priority"]},
    ),
    lambda r: ({"ordering": "project_name"}, {"orderBy": ["projectName"]}),  # dropped, as by REST
    lambda r: ({"ordering": "notes,-id"}, {"orderBy": ["notes", "-id"]}),  # write-only: dropped
    lambda r: (
        {"priority_min": 1, "ordering": "-priority,title"},
        {"filter": {"priorityMin": 1}, "orderBy": ["-priority", "title"]},
    ),
]


@pytest.mark.parametrize("case", RANGE_CASES)
def test_range_and_csv_filters_and_default_ordering_match_rest(gql, client, rows, case):
    params, arguments = case(rows)
    rest_status, rest_body = rest(client, "get", "/api/range-tasks/", **params)
    assert rest_status == 200
    status, body = gql(
        "query($filter: RangeTaskFilterInput, $orderBy: [String!]) "
        "{ rangeTasks(filter: $filter, orderBy: $orderBy) { totalCount results { "
        + RANGE_TASK
        + " } } }",
        arguments,
    )
    assert "errors" not in body, body
    assert body["data"]["rangeTasks"] == {
        "totalCount": len(rest_body),
        "results": as_graphql(rest_body),
    }


def test_multi_parameter_filters_become_one_field_per_parameter(gql):
    sdl = str(schema)
    assert (
        "input RangeTaskFilterInput {\n  dueAfter: DateString\n  dueBefore: DateString\n"
        "  priorityMin: Int\n  priorityMax: Int\n  status: [String!]\n  tags: [ID!]\n}"
    ) in sdl
    assert (
        '  rangeTasks(\n    """Filters, as REST\'s query parameters of the same names."""\n'
        "    filter: RangeTaskFilterInput\n\n"
        '    """\n    Fields to order by, `-` first for descending (any readable field of the '
        'serializer); as REST\'s `?ordering=`, camelCase accepted too.\n    """\n'
        "    orderBy: [String!]\n  ): RangeTaskOutputList"
    ) in sdl
    # A value for the range as a whole has no field to go to: refused, not ignored.
    status, body = gql('{ rangeTasks(filter: {due: "2025-01-01,2025-12-31"}) { totalCount } }')
    assert status == 400
    assert [e["message"] for e in body["errors"]] == [
        "Field 'due' is not defined by type 'RangeTaskFilterInput'."
    ]


def test_invalid_range_bounds_are_the_filter_sets_errors(gql, client, rows):
    status, rest_body = rest(client, "get", "/api/range-tasks/", due_after="soon")
    assert (status, rest_body) == (400, {"due": ["Enter a valid date."]})
    status, body = gql('{ rangeTasks(filter: {dueAfter: "soon"}) { totalCount } }')
    assert body["data"] == {"rangeTasks": None}
    # REST keys it by the filter (`due`), which is no field of the input: the parameter sent.
    assert error(body)["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [
            {"field": "filter.dueAfter", "message": "Enter a valid date.", "code": "invalid"}
        ],
    }


# ------------------------------------------------------------------------------ system check


@pytest.fixture
def isolated_cruds():
    saved = list(viewset_cruds)
    yield
    viewset_cruds[:] = saved


class OwnListTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """An own list(), which ViewSetCrud does not call (W002), and an own retrieve(), which it
    calls (no warning)."""

    queryset = Task.objects.order_by("pk")
    serializer_class = crud_views.CrudTaskWriteSerializer

    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


def test_only_an_overridden_list_gets_a_warning(isolated_cruds):
    assert check_drf_graphql_crud() == []
    crud = ViewSetCrud(crud_views.OverridingTaskViewSet, name="overridingTask")
    assert crud.overridden_actions() == ["create", "destroy"]
    assert check_drf_graphql_crud() == []  # both called, as REST calls them
    answer = _crud_answer(
        crud,
        "mutation($input: CrudTaskWriteInput!) { createOverridingTask(input: $input) "
        "{ overridingTask { id } } }",
        {"input": {"title": "Refused"}},
    )
    assert error(answer)["extensions"] == {"code": "METHOD_NOT_ALLOWED", "status": 405}
    assert not Task.objects.exists()

    listing = ViewSetCrud(OwnListTaskViewSet, name="ownListTask")
    ViewSetCrud(OwnListTaskViewSet, name="ownListTaskAgain")
    assert listing.overridden_actions() == ["retrieve", "list"]
    messages = check_drf_graphql_crud()
    assert [(m.id, m.obj) for m in messages] == [("drf_graphql_crud.W002", OwnListTaskViewSet)]
    assert messages[0].msg == (
        "tests.test_viewsets.OwnListTaskViewSet.list() is overridden, but "
        "ViewSetCrud(OwnListTaskViewSet) does not call it: GraphQL runs get_queryset(), "
        "filter_queryset(), paginate_queryset(), then get_serializer(), as "
        "ListModelMixin.list() does, and skips the custom code."
    )
    assert messages[0].hint == (
        "Move the custom code into the hooks ViewSetCrud runs (get_queryset(), "
        "filter_queryset(), paginate_queryset(), then get_serializer()), or write that list "
        "as its own field."
    )


def test_overridden_request_cycle_methods_get_a_warning(isolated_cruds):
    crud = ViewSetCrud(crud_views.LoggingTagViewSet, name="loggingTag")
    assert crud.overridden_request_methods() == ["dispatch", "finalize_response"]
    messages = [m for m in check_drf_graphql_crud() if m.id == "drf_graphql_crud.W005"]
    assert [m.obj for m in messages] == [crud_views.LoggingTagViewSet] * 2
    assert messages[0].msg == (
        "tests.testapp.crud_views.LoggingTagViewSet.dispatch() is overridden, but "
        "ViewSetCrud(LoggingTagViewSet) does not call it: GraphQL calls reach the viewset "
        "through the GraphQL endpoint, and ViewSetCrud runs it from initial() on."
    )
    assert messages[1].msg.startswith(
        "tests.testapp.crud_views.LoggingTagViewSet.finalize_response() is overridden"
    )
    assert "initial()" in messages[0].hint


def test_default_name_is_the_model_name_lower_camel():
    from drf_graphql_crud.types import registry
    from drf_graphql_crud.viewsets import viewset_cruds

    saved = (list(viewset_cruds), dict(registry._by_name), list(registry.collisions))
    try:
        crud = ViewSetCrud(crud_views.SlugProjectViewSet)
        assert crud.name == "project"
        assert {"project", "projects"} <= set(vars(crud.Query))
        assert {"createProject", "updateProject", "deleteProject"} <= set(vars(crud.Mutation))
        # Its payloads share names with tests.testapp.schema's CreateProject & co.: W007.
        assert {c.name for c in registry.collisions[len(saved[2]) :]} == {
            "CreateProjectPayload",
            "UpdateProjectPayload",
            "DeleteProjectPayload",
        }
    finally:
        viewset_cruds[:] = saved[0]
        registry._by_name = saved[1]
        registry.collisions[:] = saved[2]


def test_serializers_get_their_fields_from_the_class_prototype(gql, alice, monkeypatch):
    """As the library's own mutations: DRF's fields, copied rather than rebuilt per call."""
    from drf_graphql_crud import fieldcache, viewsets

    given = []
    prebuild = viewsets.prebuild_fields

    def recording(serializer, reading=False, nested=False):
        serializer = prebuild(serializer, reading=reading, nested=nested)
        target = getattr(serializer, "child", serializer)
        given.append((reading, fieldcache.fields_from_class(target)))
        return serializer

    monkeypatch.setattr(viewsets, "prebuild_fields", recording)
    make_task(owner=alice, title="Mine")
    status, body = gql("{ myTasks { results { id title } } }")
    assert body["data"]["myTasks"]["results"][0]["title"] == "Mine"
    task_id = body["data"]["myTasks"]["results"][0]["id"]
    status, body = gql(
        'mutation($id: ID!) { updateMyTask(id: $id, input: {title: "Ours"}) { myTask { title } } }',
        {"id": task_id},
    )
    assert body == {"data": {"updateMyTask": {"myTask": {"title": "Ours"}}}}
    # The list only renders; the update validates.
    assert given == [(True, True), (False, True)]


# ------------------------------------------------------------------ serializers by request method

method_tasks = ViewSetCrud(crud_views.MethodSerializerTaskViewSet, name="methodTask")
method_schema = graphene.Schema(
    query=type("MethodQuery", (method_tasks.Query, graphene.ObjectType), {}),
    mutation=type("MethodMutation", (method_tasks.Mutation, graphene.ObjectType), {}),
)
method_router = DefaultRouter()
method_router.register(
    "method-tasks", crud_views.MethodSerializerTaskViewSet, basename="method-task"
)
urlpatterns += [
    path("method-graphql/", DRFGraphQLView.as_view(schema=method_schema)),
    path("method-api/", include(method_router.urls)),
]


def test_get_serializer_class_may_read_the_request_method(client):
    """The schema is built with each action's method: reads get the read serializer's type."""
    sdl = str(method_schema)
    assert "  methodTask(\n" in sdl and "  ): TaskReadOutput\n" in sdl
    assert "  methodTasks: TaskReadOutputList\n" in sdl
    assert "createMethodTask(input: CrudTaskWriteInput!): CreateMethodTaskPayload" in sdl
    task = make_task(tags=[TagFactory(name="red")], project=ProjectFactory(slug="home"))
    selection = "id title status tags { id name } project { id slug name }"
    _, rest_retrieve = rest(client, "get", f"/method-api/method-tasks/{task.pk}/")
    _, rest_list = rest(client, "get", "/method-api/method-tasks/")
    response = client.post(
        "/method-graphql/",
        json.dumps(
            {
                "query": f'{{ methodTask(id: "{task.pk}") {{ {selection} }} '
                f"methodTasks {{ totalCount results {{ {selection} }} }} }}"
            }
        ),
        content_type="application/json",
    )
    assert response.json() == {
        "data": {
            "methodTask": as_graphql(rest_retrieve),
            "methodTasks": {"totalCount": 1, "results": as_graphql(rest_list)},
        }
    }


# ------------------------------------------------------------------ the viewset's own authentication

token_tags = ViewSetCrud(crud_views.TokenOnlyTagViewSet, name="tokenTag")
unauthenticated_tags = ViewSetCrud(crud_views.NoAuthenticationTagViewSet, name="noAuthTag")
auth_schema = graphene.Schema(
    query=type(
        "AuthQuery", (token_tags.Query, unauthenticated_tags.Query, graphene.ObjectType), {}
    ),
    mutation=type("AuthMutation", (token_tags.Mutation, graphene.ObjectType), {}),
)
auth_router = DefaultRouter()
auth_router.register("token-tags", crud_views.TokenOnlyTagViewSet, basename="token-tag")
auth_router.register("no-auth-tags", crud_views.NoAuthenticationTagViewSet, basename="no-auth-tag")
urlpatterns += [
    path("auth-graphql/", DRFGraphQLView.as_view(schema=auth_schema)),
    path("auth-api/", include(auth_router.urls)),
]


def auth_graphql(client, query, **headers):
    response = client.post(
        "/auth-graphql/", json.dumps({"query": query}), "application/json", **headers
    )
    return response.json()


def test_a_viewset_with_its_own_authentication_classes_authenticates_as_under_rest(client):
    """The endpoint takes the session; this viewset takes tokens only, under REST and here."""
    user = UserFactory()
    TagFactory(name="red")
    client.force_login(user)
    response = client.get("/auth-api/token-tags/")
    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")
    body = auth_graphql(client, "{ tokenTags { results { name } } }")
    assert body["data"] == {"tokenTags": None}
    assert error(body)["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 401}
    assert error(body)["message"] == response.json()["detail"]
    body = auth_graphql(
        client, 'mutation { createTokenTag(input: {name: "blue"}) { tokenTag { name } } }'
    )
    assert error(body)["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 401}
    assert not Tag.objects.filter(name="blue").exists()

    # With the token the viewset asks for, both answer, whoever the session says.
    token = Token.objects.create(user=user).key
    client.logout()
    rest_list = client.get("/auth-api/token-tags/", HTTP_AUTHORIZATION=f"Token {token}").json()
    body = auth_graphql(
        client, "{ tokenTags { results { name } } }", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert body == {
        "data": {"tokenTags": {"results": [{"name": tag["name"]} for tag in rest_list]}}
    }


def test_a_viewset_that_authenticates_no_one_sees_anonymous_callers(client):
    client.force_login(UserFactory())
    response = client.get("/auth-api/no-auth-tags/")
    assert response.status_code == 403  # no authenticator: DRF answers 403, not 401
    body = auth_graphql(client, "{ noAuthTags { results { name } } }")
    assert error(body)["extensions"] == {"code": "PERMISSION_DENIED", "status": 403}
    assert error(body)["message"] == response.json()["detail"]


# ------------------------------------------------------------------ the viewset's own initial()

initial_tasks = ViewSetCrud(crud_views.InitialTaskViewSet, name="initialTask")
initial_schema = graphene.Schema(
    query=type("InitialQuery", (initial_tasks.Query, graphene.ObjectType), {}),
    mutation=type("InitialMutation", (initial_tasks.Mutation, graphene.ObjectType), {}),
)
initial_router = DefaultRouter()
initial_router.register("initial-tasks", crud_views.InitialTaskViewSet, basename="initial-task")
urlpatterns += [
    path("initial-graphql/", DRFGraphQLView.as_view(schema=initial_schema)),
    path("initial-api/", include(initial_router.urls)),
]


def test_an_overridden_initial_runs_as_under_rest(client):
    home = ProjectFactory(slug="home")
    make_task(title="At home", project=home)
    make_task(title="Elsewhere", project=ProjectFactory())
    _, rest_list = rest(client, "get", "/initial-api/initial-tasks/")
    response = client.post(
        "/initial-graphql/",
        json.dumps({"query": "{ initialTasks { results { id title } } }"}),
        "application/json",
        HTTP_ACCEPT="application/graphql-response+json",  # nothing a REST renderer offers
    )
    assert response.json() == {
        "data": {
            "initialTasks": {
                "results": [{"id": str(row["id"]), "title": row["title"]} for row in rest_list]
            }
        }
    }
    assert [row["title"] for row in rest_list] == ["At home"]
    response = client.post(
        "/initial-graphql/",
        json.dumps(
            {
                "query": 'mutation { createInitialTask(input: {title: "New"}) { initialTask { title } } }'
            }
        ),
        "application/json",
    )
    assert response.json() == {"data": {"createInitialTask": {"initialTask": {"title": "New"}}}}
    assert Task.objects.get(title="New").project == home


# ------------------------------------------------------------------ CursorPagination


class CursorTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "priority", "due_date"]


class NewestFirstCursor(pagination.CursorPagination):
    page_size = 2
    ordering = "-created"
    page_size_query_param = "size"
    max_page_size = 3


class CursorTaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.all()
    serializer_class = CursorTaskSerializer
    pagination_class = NewestFirstCursor


class OrderedCursorTaskViewSet(CursorTaskViewSet):
    """With ``OrderingFilter``, CursorPagination pages by ``?ordering=``, else ``ordering``."""

    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["priority", "due_date", "created"]
    ordering = ["pk"]


class UnpagedCursorTaskViewSet(CursorTaskViewSet):
    pagination_class = None


class AllRowsUnlessAskedCursor(pagination.CursorPagination):
    """Pages only when the client asks for a size: DRF reads no cursor otherwise."""

    page_size = None
    page_size_query_param = "size"
    ordering = "-created"


class OptInCursorTaskViewSet(CursorTaskViewSet):
    pagination_class = AllRowsUnlessAskedCursor


class PageTwoBugQuerySet(models.QuerySet):
    """Rows a server bug keeps from being read past the first page."""

    def _fetch_all(self):
        if self.query.where:
            raise ValueError("a bug of the server's, reading page two")
        super()._fetch_all()


class PageTwoBugViewSet(OrderedCursorTaskViewSet):
    def get_queryset(self):
        return PageTwoBugQuerySet(Task)


cursor_tasks = ViewSetCrud(CursorTaskViewSet, name="cursorTask")
ordered_cursor_tasks = ViewSetCrud(OrderedCursorTaskViewSet, name="orderedCursorTask")
unpaged_cursor_tasks = ViewSetCrud(UnpagedCursorTaskViewSet, name="unpagedCursorTask")
page_two_bug_tasks = ViewSetCrud(PageTwoBugViewSet, name="pageTwoBugTask")
opt_in_cursor_tasks = ViewSetCrud(OptInCursorTaskViewSet, name="optInCursorTask")
cursor_schema = graphene.Schema(
    query=type(
        "CursorQuery",
        (
            cursor_tasks.Query,
            ordered_cursor_tasks.Query,
            unpaged_cursor_tasks.Query,
            page_two_bug_tasks.Query,
            opt_in_cursor_tasks.Query,
            graphene.ObjectType,
        ),
        {},
    )
)
cursor_router = DefaultRouter()
cursor_router.register("cursor-tasks", CursorTaskViewSet, basename="cursor-task")
cursor_router.register("ordered-cursor-tasks", OrderedCursorTaskViewSet, basename="ocursor-task")
cursor_router.register("opt-in-cursor-tasks", OptInCursorTaskViewSet, basename="opt-in-task")
urlpatterns += [
    path("cursor-graphql/", DRFGraphQLView.as_view(schema=cursor_schema)),
    path("cursor-api/", include(cursor_router.urls)),
]


@pytest.fixture
def cursor_rows():
    """Five tasks, one hour apart; priorities tie, due dates do not. Their pks, oldest first."""
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    pks = []
    for n, (priority, day) in enumerate([(1, 5), (3, 2), (3, 4), (2, 1), (3, 3)]):
        task = make_task(title=f"row {n}", priority=priority, due_date=datetime.date(2024, 2, day))
        Task.objects.filter(pk=task.pk).update(created=start + datetime.timedelta(hours=n))
        pks.append(task.pk)
    return pks


def cursor_graphql(client, field, **arguments):
    """One page of ``field`` through ``/cursor-graphql/``: the response body."""
    given = ", ".join(
        f"{name}: {json.dumps(value)}" for name, value in arguments.items() if value is not None
    )
    query = (
        f"{{ {field}{f'({given})' if given else ''} "
        "{ results { id title priority } nextCursor previousCursor } }"
    )
    response = client.post(
        "/cursor-graphql/", json.dumps({"query": query}), content_type="application/json"
    )
    return response.json()


def cursor_in(link):
    """The ``cursor`` a REST link carries, as it is written in the JSON answer."""
    return None if link is None else parse_qs(urlsplit(link).query)["cursor"][0]


def walk_cursor_pages(client, field, url, rest_params=None, **arguments):
    """Every page from the first, forward by ``next``, then back by ``previous``, both ways.

    REST follows its links; GraphQL gets the cursor its previous answer gave, with the same
    other arguments. Each step must answer the same rows and the same cursors. The pks of
    each page, in visiting order.
    """

    def same_page(rest_body, page):
        assert page["results"] == [
            {"id": str(row["id"]), "title": row["title"], "priority": row["priority"]}
            for row in rest_body["results"]
        ]
        assert page["nextCursor"] == cursor_in(rest_body["next"])
        assert page["previousCursor"] == cursor_in(rest_body["previous"])
        return [int(row["id"]) for row in page["results"]]

    rest_body = client.get(url, rest_params or {}).json()
    page = cursor_graphql(client, field, **arguments)["data"][field]
    pages = [same_page(rest_body, page)]
    for direction in ("next", "previous"):
        while rest_body[direction] is not None:
            rest_body = client.get(rest_body[direction]).json()
            body = cursor_graphql(client, field, **arguments, cursor=page[f"{direction}Cursor"])
            assert "errors" not in body, body
            page = body["data"][field]
            pages.append(same_page(rest_body, page))
    return pages


def test_cursor_pages_walk_forward_and_back_as_rest(client, cursor_rows):
    newest_first = cursor_rows[::-1]
    first, second, last = newest_first[:2], newest_first[2:4], newest_first[4:]
    pages = walk_cursor_pages(client, "cursorTasks", "/cursor-api/cursor-tasks/")
    assert pages == [first, second, last, second, first]


def test_cursor_pages_take_page_size_as_rest(client, cursor_rows):
    newest_first = cursor_rows[::-1]
    pages = walk_cursor_pages(
        client, "cursorTasks", "/cursor-api/cursor-tasks/", {"size": 3}, pageSize=3
    )
    assert pages == [newest_first[:3], newest_first[3:], newest_first[:3]]
    # max_page_size caps both.
    pages = walk_cursor_pages(
        client, "cursorTasks", "/cursor-api/cursor-tasks/", {"size": 50}, pageSize=50
    )
    assert pages == [newest_first[:3], newest_first[3:], newest_first[:3]]


def test_cursor_pages_follow_the_ordering_as_rest(client, cursor_rows):
    url = "/cursor-api/ordered-cursor-tasks/"
    field = "orderedCursorTasks"
    # No orderBy: the view's ordering (pk), as OrderingFilter hands it to the paginator.
    pages = walk_cursor_pages(client, field, url)
    assert pages == [cursor_rows[:2], cursor_rows[2:4], cursor_rows[4:]] + [
        cursor_rows[2:4],
        cursor_rows[:2],
    ]
    # orderBy, camelCase too, is REST's ?ordering= and orders the cursor's positions.
    by_due = [cursor_rows[n] for n in (3, 1, 4, 2, 0)]
    pages = walk_cursor_pages(client, field, url, {"ordering": "due_date"}, orderBy=["dueDate"])
    assert pages == [by_due[:2], by_due[2:4], by_due[4:], by_due[2:4], by_due[:2]]
    # Ties on the first ordering field: DRF's offsets, whatever they give, are REST's.
    pages = walk_cursor_pages(client, field, url, {"ordering": "-priority"}, orderBy=["-priority"])
    forward = [pk for page in pages[:3] for pk in page]
    assert sorted(forward) == sorted(cursor_rows)
    assert forward[3:] == [cursor_rows[3], cursor_rows[0]]


def test_an_invalid_cursor_is_rests_404(client, cursor_rows):
    status, body = rest(client, "get", "/cursor-api/cursor-tasks/", cursor="not a cursor")
    assert (status, body) == (404, {"detail": "Invalid cursor"})
    body = cursor_graphql(client, "cursorTasks", cursor="not a cursor")
    assert body["data"] == {"cursorTasks": None}
    assert error(body)["message"] == "Invalid cursor"
    assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}


def cursor_of(position, reverse=False):
    """A cursor as DRF encodes one (base64 of its query string), for any position."""
    import base64
    from urllib.parse import urlencode

    fields = {"p": position, **({"r": "1"} if reverse else {})}
    return base64.b64encode(urlencode(fields).encode()).decode()


@pytest.mark.parametrize("position", ["abc", "None", "2024-99-99", "\x00"])
def test_a_cursor_whose_position_the_ordering_cannot_read_is_invalid(client, cursor_rows, position):
    """DRF checks a cursor's offset, not its position: one made under another orderBy, a
    row's null (`p=None`) or one written by hand failed where the position is compared
    (a ValueError, a 500; REST's too). It is REST's "Invalid cursor" as others are."""
    body = cursor_graphql(client, "orderedCursorTasks", cursor=cursor_of(position))
    assert body["data"] == {"orderedCursorTasks": None}
    assert error(body)["message"] == "Invalid cursor"
    assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}


def test_a_cursor_taken_under_another_order_is_invalid(client, cursor_rows):
    first = cursor_graphql(client, "orderedCursorTasks", orderBy=["dueDate"])
    cursor = first["data"]["orderedCursorTasks"]["nextCursor"]
    assert cursor
    body = cursor_graphql(client, "orderedCursorTasks", cursor=cursor)  # the view's pk order
    assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}


@pytest.mark.parametrize("cursor", ["not a cursor", "p=abc"])
def test_a_cursor_is_read_only_where_rest_pages(client, cursor_rows, cursor):
    """With no page size, DRF pages nothing and reads no cursor: every row, whatever the
    cursor, as REST answers."""
    cursor = cursor_of("abc") if cursor == "p=abc" else cursor
    status, body = rest(client, "get", "/cursor-api/opt-in-cursor-tasks/", cursor=cursor)
    assert status == 200 and len(body) == len(cursor_rows)
    body = cursor_graphql(client, "optInCursorTasks", cursor=cursor)
    assert len(body["data"]["optInCursorTasks"]["results"]) == len(cursor_rows)


def test_a_servers_error_reading_a_cursors_page_stays_the_servers(client, cursor_rows, caplog):
    """Only a position the ordering cannot read is the cursor's fault: an error while the
    page is read is an INTERNAL_SERVER_ERROR, logged, as on the first page."""
    first = cursor_graphql(client, "pageTwoBugTasks")
    cursor = first["data"]["pageTwoBugTasks"]["nextCursor"]
    body = cursor_graphql(client, "pageTwoBugTasks", cursor=cursor)
    assert error(body)["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert any(record.levelname == "ERROR" for record in caplog.records)


def test_cursor_lists_have_their_own_type_and_never_count(client, cursor_rows):
    """REST's {next, previous, results}: no totalCount, and no COUNT query to answer one."""
    schema = cursor_schema.graphql_schema
    fields = schema.query_type.fields
    assert {name: str(fields[name].type) for name in fields if name.endswith("s")} == {
        "cursorTasks": "CursorTaskOutputCursorPage",
        "orderedCursorTasks": "CursorTaskOutputCursorPage",
        "pageTwoBugTasks": "CursorTaskOutputCursorPage",
        "optInCursorTasks": "CursorTaskOutputCursorPage",
        "unpagedCursorTasks": "CursorTaskOutputList",  # other lists keep their type
    }
    assert list(fields["cursorTasks"].args) == ["cursor", "pageSize"]
    assert list(fields["orderedCursorTasks"].args) == ["orderBy", "cursor", "pageSize"]
    page_type = schema.get_type("CursorTaskOutputCursorPage")
    assert {name: str(field.type) for name, field in page_type.fields.items()} == {
        "results": "[CursorTaskOutput!]!",
        "nextCursor": "String",
        "previousCursor": "String",
    }
    assert str(schema.get_type("CursorTaskOutputList").fields["totalCount"].type) == "Int!"

    with CaptureQueriesContext(connection) as rest_queries:
        client.get("/cursor-api/cursor-tasks/")
    with CaptureQueriesContext(connection) as graphql_queries:
        body = cursor_graphql(client, "cursorTasks")
    assert len(body["data"]["cursorTasks"]["results"]) == 2
    for queries in (rest_queries, graphql_queries):
        assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


def test_cursor_page_type_names_are_claimed():
    """One type per output type; a clash on its name is recorded for check E003."""
    from drf_graphql_crud import queries
    from drf_graphql_crud.types import registry

    output = cursor_schema.graphql_schema.get_type("CursorTaskOutput").graphene_type
    page_type = queries.cursor_page_type(output)
    assert page_type is queries.cursor_page_type(output)
    assert page_type._meta.name == "CursorTaskOutputCursorPage"

    class ClashingOutput(graphene.ObjectType):
        name = graphene.String()

    saved = (dict(registry._by_name), list(registry.collisions))
    try:
        registry.claim("ClashingOutputCursorPage", (Tag, "elsewhere"), None)
        clashing = queries.cursor_page_type(ClashingOutput)
        assert clashing._meta.name == "ClashingOutputCursorPage"
        assert [c.name for c in registry.collisions[len(saved[1]) :]] == [
            "ClashingOutputCursorPage"
        ]
    finally:
        registry._by_name = saved[0]
        registry.collisions[:] = saved[1]
        queries._cursor_page_types.pop(ClashingOutput, None)


# ------------------------------------------------------------------ lookups, W002, integrity errors

edge_cruds = [
    ViewSetCrud(crud_views.LowercaseSlugProjectViewSet, name="lowerProject"),
    ViewSetCrud(crud_views.BlankSlugProjectViewSet, name="blankProject"),
    ViewSetCrud(crud_views.NullTitleTaskViewSet, name="nullTitleTask"),
    ViewSetCrud(crud_views.RacingAfterInitialProjectViewSet, name="lateProject"),
    ViewSetCrud(crud_views.IntConverterProjectViewSet, name="intProject"),
]
edge_schema = graphene.Schema(
    query=type("EdgeQuery", (*(c.Query for c in edge_cruds), graphene.ObjectType), {}),
    mutation=type("EdgeMutation", (*(c.Mutation for c in edge_cruds), graphene.ObjectType), {}),
)
edge_router = DefaultRouter()
edge_router.register("lower-projects", crud_views.LowercaseSlugProjectViewSet, basename="lower")
edge_router.register("blank-projects", crud_views.BlankSlugProjectViewSet, basename="blank")
path_router = SimpleRouter(use_regex_path=False)
path_router.register("int-projects", crud_views.IntConverterProjectViewSet, basename="int")
urlpatterns += [
    path("edge-graphql/", DRFGraphQLView.as_view(schema=edge_schema)),
    path("edge-api/", include(edge_router.urls)),
    path("path-api/", include(path_router.urls)),
]


def edge(client, query):
    return client.post(
        "/edge-graphql/", json.dumps({"query": query}), content_type="application/json"
    ).json()


def test_lookups_the_router_would_not_match_are_not_found(client):
    ProjectFactory(slug="abc1", name="Kept")
    response = client.patch(
        "/edge-api/lower-projects/abc1/", json.dumps({"name": "x"}), "application/json"
    )
    assert response.status_code == 404
    body = edge(
        client,
        'mutation { updateLowerProject(slug: "abc1", input: {name: "x"}) { lowerProject { name } } }',
    )  # noqa: E501
    assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}
    assert Project.objects.get(slug="abc1").name == "Kept"


def test_a_path_converters_lookup_is_its_value_and_its_pattern(client):
    """``lookup_value_converter = "int"``: the viewset reads ``self.kwargs["pk"]`` as the
    int ``<int:pk>`` hands over (it read the text), and a value the converter does not
    match is REST's 404 before the viewset's code (its permission) runs."""
    odd, even = ProjectFactory(), ProjectFactory()
    if odd.pk % 2 == 0:  # the names follow the keys, whichever the database gave
        odd, even = even, odd
    Project.objects.filter(pk=odd.pk).update(name="Odd")
    Project.objects.filter(pk=even.pk).update(name="Even")
    assert client.get(f"/path-api/int-projects/{odd.pk}/").status_code == 200
    assert client.get(f"/path-api/int-projects/{even.pk}/").status_code == 403
    assert client.get("/path-api/int-projects/abc/").status_code == 404

    body = edge(client, f'{{ intProject(id: "{odd.pk}") {{ name }} }}')
    assert body == {"data": {"intProject": {"name": "Odd"}}}
    body = edge(
        client,
        f'mutation {{ updateIntProject(id: "{odd.pk}", input: {{name: "Renamed"}}) '
        "{ intProject { name } } }",
    )
    assert body == {"data": {"updateIntProject": {"intProject": {"name": "Renamed"}}}}
    body = edge(client, f'{{ intProject(id: "{even.pk}") {{ name }} }}')
    # REST's refusal (NotAuthenticated), with the error table's status.
    assert error(body)["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 401}
    for lookup in ("abc", "-1", f"{odd.pk}.0"):
        body = edge(client, f'mutation {{ deleteIntProject(id: "{lookup}") {{ deletedId }} }}')
        assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}
    assert Project.objects.count() == 2


class HexBadgeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(format="hex", read_only=True)

    class Meta:
        model = Badge
        fields = ["id", "name"]


class UuidConverterBadgeViewSet(viewsets.ModelViewSet):
    queryset = Badge.objects.order_by("name")
    serializer_class = HexBadgeSerializer
    lookup_value_converter = "uuid"


class BothRoutersBadgeViewSet(UuidConverterBadgeViewSet):
    """Served by a regex router (hex keys) and by a path router (``<uuid:pk>``)."""

    lookup_value_regex = "[0-9a-f]{32}"


def _crud_answer(crud, query, variables):
    schema = graphene.Schema(
        query=type("ConvQuery", (crud.Query, graphene.ObjectType), {}),
        mutation=type("ConvMutation", (crud.Mutation, graphene.ObjectType), {}),
    )
    body = json.dumps({"query": query, "variables": variables})
    request = RequestFactory().post("/graphql/", body, content_type="application/json")
    return json.loads(DRFGraphQLView.as_view(schema=schema)(request).content)


def test_a_nodes_global_id_is_read_by_the_lookups_converter(isolated_cruds, isolated_registry):
    """A global ID holds the key as reads render it (a UUID's hex), not as a URL writes it:
    under ``lookup_value_converter = "uuid"`` the converter reads it, its URL pattern aside
    (the node the API just returned was NOT_FOUND)."""

    class HexBadgeNode(SerializerObjectType):
        class Meta:
            serializer_class = HexBadgeSerializer
            interfaces = (graphene.relay.Node,)
            queryset = Badge.objects.all()

    crud = ViewSetCrud(UuidConverterBadgeViewSet, name="hexBadge", output_type=HexBadgeNode)
    badge = Badge.objects.create(name="Gold")
    assert str(badge.pk) != badge.pk.hex  # the URL's form is not the node's
    node_id = _crud_answer(crud, "{ hexBadges { results { id } } }", {})["data"]["hexBadges"][
        "results"
    ][0]["id"]
    query = "query($id: ID!) { hexBadge(id: $id) { id name } }"
    assert _crud_answer(crud, query, {"id": node_id}) == {
        "data": {"hexBadge": {"id": node_id, "name": "Gold"}}
    }
    mutation = "mutation($id: ID!) { deleteHexBadge(id: $id) { deletedId } }"
    assert _crud_answer(crud, mutation, {"id": node_id}) == {
        "data": {"deleteHexBadge": {"deletedId": node_id}}
    }
    assert not Badge.objects.exists()


def test_a_viewset_served_by_both_kinds_of_router_takes_either_lookup(isolated_cruds):
    """With ``lookup_value_regex`` and ``lookup_value_converter`` both, REST serves the row
    under a regex router's URL and under a path router's: so does the GraphQL lookup (a
    value had to pass both, which no value did)."""
    crud = ViewSetCrud(BothRoutersBadgeViewSet, name="bothBadge")
    badge = Badge.objects.create(name="Gold")
    query = "query($id: ID!) { bothBadge(id: $id) { name } }"
    for lookup in (str(badge.pk), badge.pk.hex):
        assert _crud_answer(crud, query, {"id": lookup}) == {
            "data": {"bothBadge": {"name": "Gold"}}
        }
    answer = _crud_answer(crud, query, {"id": str(badge.pk).upper()})
    assert error(answer)["extensions"] == {"code": "NOT_FOUND", "status": 404}


def test_an_empty_lookup_the_routers_regex_matches_is_served(client):
    ProjectFactory(slug="", name="Blank")
    response = client.get("/edge-api/blank-projects//")
    assert response.status_code == 200
    body = edge(client, '{ blankProject(slug: "") { slug name } }')
    assert body == {"data": {"blankProject": {"slug": response.json()["slug"], "name": "Blank"}}}


def test_a_patch_runs_the_viewsets_own_update(isolated_cruds):
    """DRF's partial_update() calls the viewset's update(): so does the GraphQL update."""
    crud = ViewSetCrud(crud_views.PatchOnlyOverridingUpdateViewSet, name="patchOnlyProject")
    assert crud.overridden_actions() == ["update"]
    assert crud.called_actions == {"update", "partial_update"}
    assert check_drf_graphql_crud() == []


def test_a_not_null_bug_in_server_code_is_internal_and_logged(client, caplog):
    body = edge(
        client, 'mutation { createNullTitleTask(input: {title: "Fine"}) { nullTitleTask { id } } }'
    )  # noqa: E501
    assert error(body)["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert any(record.levelname == "ERROR" for record in caplog.records)
    assert not Task.objects.exists()


def test_a_lost_unique_race_after_initial_is_a_validation_error(client):
    body = edge(
        client,
        'mutation { createLateProject(input: {slug: "taken", name: "Late"}) { lateProject { slug } } }',
    )  # noqa: E501
    assert error(body)["extensions"]["code"] == "VALIDATION_ERROR"
    assert list(Project.objects.values_list("name", flat=True)) == []


# ------------------------------------------------------------------------------ quotas, versions


class FourPerMinute(UserRateThrottle):
    """What DEFAULT_THROTTLE_CLASSES = [UserRateThrottle] at 4/min gives every view."""

    THROTTLE_RATES = {"user": "4/min"}


class QuotaTagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]


class QuotaTagViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Tag.objects.order_by("pk")
    serializer_class = QuotaTagSerializer
    throttle_classes = [FourPerMinute]


class DefaultV2(QueryParameterVersioning):
    default_version = "v2"
    allowed_versions = ["v1", "v2"]


class TaskV1Serializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title"]


class TaskV2Serializer(serializers.ModelSerializer):
    heading = serializers.CharField(source="title")

    class Meta:
        model = Task
        fields = ["id", "heading", "priority"]


class VersionedTaskViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.order_by("pk")
    versioning_class = DefaultV2

    def get_serializer_class(self):
        return TaskV2Serializer if self.request.version == "v2" else TaskV1Serializer


quota_crud = ViewSetCrud(QuotaTagViewSet, name="quotaTag")
versioned_crud = ViewSetCrud(VersionedTaskViewSet, name="versionedTask")
side_schema = graphene.Schema(
    query=type("SideQuery", (quota_crud.Query, versioned_crud.Query, graphene.ObjectType), {}),
    mutation=type("SideMutation", (versioned_crud.Mutation, graphene.ObjectType), {}),
)
urlpatterns += [
    # The endpoint with the same throttle as the viewset, as DEFAULT_THROTTLE_CLASSES gives.
    path(
        "side-graphql/",
        DRFGraphQLView.as_view(schema=side_schema, throttle_classes=[FourPerMinute]),
    ),
    path("api/quota-tags/", QuotaTagViewSet.as_view({"get": "list"})),
    path("api/versioned/", VersionedTaskViewSet.as_view({"post": "create"})),
    path("api/versioned/<pk>/", VersionedTaskViewSet.as_view({"get": "retrieve"})),
]


def side(client, query, variables=None):
    body = {"query": query, "variables": variables or {}}
    return client.post("/side-graphql/", json.dumps(body), content_type="application/json").json()


def test_the_endpoint_and_the_viewset_count_one_call_once(client):
    """The same throttle on both counts the HTTP request once: the caller's quota is REST's."""
    client.force_login(UserFactory())
    cache.clear()
    try:
        assert [client.get("/api/quota-tags/").status_code for _ in range(5)] == [
            200,
            200,
            200,
            200,
            429,
        ]
        cache.clear()
        answers = []
        for _ in range(5):
            body = side(client, "{ quotaTags { totalCount } }")
            answers.append(body["errors"][0]["extensions"]["code"] if "errors" in body else "ok")
        assert answers == ["ok", "ok", "ok", "ok", "THROTTLED"]
    finally:
        cache.clear()


def test_types_are_the_default_versions_as_every_call_is(client):
    """A call that asks for no version gets the scheme's default (v2), REST's and GraphQL's."""
    task = TaskFactory(title="Hello", priority=3)
    assert client.get(f"/api/versioned/{task.pk}/").json() == {
        "id": task.pk,
        "heading": "Hello",
        "priority": 3,
    }
    body = side(
        client, "query($id: ID!) { versionedTask(id: $id) { heading priority } }", {"id": task.pk}
    )
    assert body == {"data": {"versionedTask": {"heading": "Hello", "priority": 3}}}
    response = client.post(
        "/api/versioned/", json.dumps({"heading": "By REST"}), content_type="application/json"
    )
    assert response.status_code == 201
    body = side(
        client,
        'mutation { createVersionedTask(input: {heading: "By GraphQL"}) '
        "{ versionedTask { heading } } }",
    )
    assert body == {"data": {"createVersionedTask": {"versionedTask": {"heading": "By GraphQL"}}}}


class TwoWritesPerMinute(UserRateThrottle):
    """Counts writes only, judged by the view's action; reads pass uncounted."""

    scope = "writes"
    THROTTLE_RATES = {"writes": "2/min"}

    def allow_request(self, request, view):
        if getattr(view, "action", None) not in ("create", "update", "partial_update", "destroy"):
            return True
        return super().allow_request(request, view)


class WriteQuotaTagViewSet(viewsets.ModelViewSet):
    queryset = Tag.objects.order_by("pk")
    serializer_class = QuotaTagSerializer
    throttle_classes = [TwoWritesPerMinute]


write_quota_crud = ViewSetCrud(WriteQuotaTagViewSet, name="writeQuotaTag")
quota_schema = graphene.Schema(
    query=type("QuotaQuery", (quota_crud.Query, write_quota_crud.Query, graphene.ObjectType), {}),
    mutation=type("QuotaMutation", (write_quota_crud.Mutation, graphene.ObjectType), {}),
)
urlpatterns += [
    path(
        "quota-graphql/",
        DRFGraphQLView.as_view(
            schema=quota_schema, throttle_classes=[FourPerMinute, TwoWritesPerMinute]
        ),
    ),
    path("api/write-quota-tags/", WriteQuotaTagViewSet.as_view({"post": "create"})),
]


def quota(client, query):
    body = client.post(
        "/quota-graphql/", json.dumps({"query": query}), content_type="application/json"
    ).json()
    return [error["extensions"]["code"] for error in body.get("errors", ())] or ["ok"]


def test_each_operation_of_a_document_uses_the_quota_a_rest_call_would(client):
    """The endpoint's count stands for the first operation; each further one counts."""
    client.force_login(UserFactory())
    cache.clear()
    try:
        three = "{ a: quotaTags { totalCount } b: quotaTags { totalCount } c: quotaTags { totalCount } }"  # noqa: E501
        assert quota(client, three) == ["ok"]
        assert quota(client, "{ quotaTags { totalCount } }") == ["ok"]
        assert quota(client, "{ quotaTags { totalCount } }") == ["THROTTLED"]
    finally:
        cache.clear()


def test_a_throttle_that_let_the_endpoint_pass_uncounted_still_counts_the_operation(client):
    """A throttle deciding by view.action counts nothing at the endpoint (no action there):
    the viewset's copy counts the write, as REST's does."""
    client.force_login(UserFactory())
    cache.clear()
    try:
        statuses = [
            client.post(
                "/api/write-quota-tags/",
                json.dumps({"name": f"rest{n}"}),
                content_type="application/json",
            ).status_code
            for n in range(3)
        ]
        assert statuses == [201, 201, 429]
        cache.clear()
        answers = [
            quota(
                client,
                f'mutation {{ createWriteQuotaTag(input: {{name: "g{n}"}}) {{ writeQuotaTag {{ id }} }} }}',
            )  # noqa: E501
            for n in range(3)
        ]
        assert answers == [["ok"], ["ok"], ["THROTTLED"]]
    finally:
        cache.clear()


class AcceptV2(AcceptHeaderVersioning):
    default_version = "v2"
    allowed_versions = ["v1", "v2"]


#: What a viewset's code saw of itself, by action.
SEEN_BY_VIEW: dict[str, dict] = {}


class AcceptVersionedTaskViewSet(viewsets.ModelViewSet):
    """Never routed in REST; its own initial(), as a viewset loading state there has."""

    queryset = Task.objects.order_by("pk")
    versioning_class = AcceptV2

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)

    def get_serializer_class(self):
        SEEN_BY_VIEW[self.action] = {
            "version": self.request.version,
            "name": self.name,
            "description": self.description,
            "headers": dict(getattr(self, "headers", {})),  # none yet as the schema is built
        }
        return TaskV2Serializer if self.request.version == "v2" else TaskV1Serializer


accept_crud = ViewSetCrud(AcceptVersionedTaskViewSet, name="acceptTask")
accept_schema = graphene.Schema(
    query=type("AcceptQuery", (accept_crud.Query, graphene.ObjectType), {}),
    mutation=type("AcceptMutation", (accept_crud.Mutation, graphene.ObjectType), {}),
)
urlpatterns += [path("accept-graphql/", DRFGraphQLView.as_view(schema=accept_schema))]


def test_a_version_in_the_accept_header_is_not_the_calls_under_an_own_initial(client):
    """The call runs as the version the schema was built for, with or without an initial()
    of the viewset's: v1's serializer rendering into v2's types failed every call."""
    task = TaskFactory(title="Hello", priority=3)
    SEEN_BY_VIEW.clear()
    for query, variables in [
        ("query($id: ID!) { acceptTask(id: $id) { heading priority } }", {"id": task.pk}),
        ('mutation { createAcceptTask(input: {heading: "Made"}) { acceptTask { heading } } }', {}),
    ]:
        body = client.post(
            "/accept-graphql/",
            json.dumps({"query": query, "variables": variables}),
            content_type="application/json",
            HTTP_ACCEPT="application/json; version=v1",
        ).json()
        assert "errors" not in body, body
    assert Task.objects.filter(title="Made").exists()
    # And the view looks as DRF's as_view() and dispatch leave it, routed or not.
    assert SEEN_BY_VIEW["retrieve"] == {
        "version": "v2",
        "name": None,
        "description": None,
        "headers": {"Allow": "GET, PUT, PATCH, DELETE, HEAD, OPTIONS", "Vary": "Accept"},
    }
    assert SEEN_BY_VIEW["create"]["headers"] == {
        "Allow": "GET, POST, HEAD, OPTIONS",
        "Vary": "Accept",
    }


def test_a_scheme_that_cannot_tell_at_schema_build_types_its_default_version():
    """HostNameVersioning needs a host: the types are still the default version's."""

    class HostDefaultV2(HostNameVersioning):
        default_version = "v2"

    class HostVersionedViewSet(VersionedTaskViewSet):
        versioning_class = HostDefaultV2

    crud = ViewSetCrud(HostVersionedViewSet, name="hostVersionedTask")
    assert crud.serializer_class_for("retrieve") is TaskV2Serializer


# ------------------------------------------------------------------------------ viewset shapes


class ShapeTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "priority"]


class MethodsOnlyTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """No ``queryset`` and no ``serializer_class``: both come from methods."""

    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["priority"]

    def get_queryset(self):
        return Task.objects.order_by("pk")

    def get_serializer_class(self):
        return ShapeTaskSerializer


class LinkedTaskSerializer(serializers.ModelSerializer):
    link = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "link"]

    def get_link(self, task) -> str:
        view = self.context["view"]
        return view.reverse_action("detail", args=[task.pk], request=self.context["request"])


class LinkedTaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = LinkedTaskSerializer


class PathVersions(URLPathVersioning):
    allowed_versions = ["v1", "v2"]  # and no default_version: REST's URL always names one


class PathVersionedTagViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Tag.objects.order_by("pk")
    serializer_class = QuotaTagSerializer
    versioning_class = PathVersions


class ProjectBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["slug", "name"]


class ActionMapProjectViewSet(viewsets.ModelViewSet):
    """A serializer per action, from a dict that names none for destroy (it reads none)."""

    queryset = Project.objects.order_by("pk")
    lookup_field = "slug"
    serializer_classes = {
        "list": ProjectBriefSerializer,
        "retrieve": ProjectBriefSerializer,
        "create": ProjectBriefSerializer,
        "update": ProjectBriefSerializer,
        "partial_update": ProjectBriefSerializer,
    }

    def get_serializer_class(self):
        return self.serializer_classes[self.action]


class PathVersionedTagViewSetOwnInitial(PathVersionedTagViewSet):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)


class KwargVersions(BaseVersioning):
    """A project's own scheme reading the URL (not a subclass of DRF's URL schemes)."""

    allowed_versions = ["v1", "v2"]

    def determine_version(self, request, *args, **kwargs):
        version = kwargs.get("api", self.default_version)
        if not self.is_allowed_version(version):
            raise exceptions.NotFound("Invalid version in URL path.")
        return version


class KwargVersionedTagViewSet(PathVersionedTagViewSet):
    versioning_class = KwargVersions


class HostVersions(HostNameVersioning):
    default_version = "v1"
    allowed_versions = ["v1", "v2"]


class HostVersionedTagViewSet(PathVersionedTagViewSet):
    versioning_class = HostVersions


methods_only_crud = ViewSetCrud(MethodsOnlyTaskViewSet, name="methodsOnlyTask")
linked_crud = ViewSetCrud(LinkedTaskViewSet, name="linkedTask", basename="linked-task")
path_versioned_crud = ViewSetCrud(PathVersionedTagViewSet, name="pathTag")
action_map_crud = ViewSetCrud(ActionMapProjectViewSet, name="actionProject")
SHAPE_CRUDS = [
    methods_only_crud,
    linked_crud,
    path_versioned_crud,
    action_map_crud,
    ViewSetCrud(PathVersionedTagViewSetOwnInitial, name="initialPathTag"),
    ViewSetCrud(HostVersionedTagViewSet, name="hostTag"),
    ViewSetCrud(KwargVersionedTagViewSet, name="kwargTag"),
]
shapes_schema = graphene.Schema(
    query=type("ShapesQuery", (*(crud.Query for crud in SHAPE_CRUDS), graphene.ObjectType), {}),
    mutation=type(
        "ShapesMutation", (*(crud.Mutation for crud in SHAPE_CRUDS), graphene.ObjectType), {}
    ),
)
shapes_router = DefaultRouter()
shapes_router.register("methods-only-tasks", MethodsOnlyTaskViewSet, basename="methods-only-task")
shapes_router.register("linked-tasks", LinkedTaskViewSet, basename="linked-task")
shapes_router.register("action-projects", ActionMapProjectViewSet, basename="action-project")
urlpatterns += [
    path("shapes-graphql/", DRFGraphQLView.as_view(schema=shapes_schema)),
    path("api/", include(shapes_router.urls)),
    re_path(r"^(?P<version>v[12])/path-tags/$", PathVersionedTagViewSet.as_view({"get": "list"})),
]


class NamespacedLinkedTaskViewSet(LinkedTaskViewSet):
    """Routed under a URL namespace: REST's reverse_action() names it."""


class VersionedLinkSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="versioned-link-detail")

    class Meta:
        model = Tag
        fields = ["id", "url"]


class VersionedLinkTagViewSet(viewsets.ReadOnlyModelViewSet):
    """URL versioning with no default: REST's URLs always name a version; links need one."""

    queryset = Tag.objects.order_by("pk")
    serializer_class = VersionedLinkSerializer
    versioning_class = PathVersions


namespaced_router = DefaultRouter()
namespaced_router.register("linked-tasks", NamespacedLinkedTaskViewSet, basename="ns-linked-task")
versioned_router = DefaultRouter()
versioned_router.register("versioned-links", VersionedLinkTagViewSet, basename="versioned-link")
ROUTED_CRUDS = [
    ViewSetCrud(
        NamespacedLinkedTaskViewSet,
        name="nsLinkedTask",
        basename="ns-linked-task",
        namespace="nsapi",
    ),
    ViewSetCrud(VersionedLinkTagViewSet, name="versionedLinkTag", version="v1"),
]
routed_schema = graphene.Schema(
    query=type("RoutedQuery", (*(crud.Query for crud in ROUTED_CRUDS), graphene.ObjectType), {})
)
urlpatterns += [
    path("routed-graphql/", DRFGraphQLView.as_view(schema=routed_schema)),
    path("nsapi/", include((namespaced_router.urls, "nsapi"))),
    re_path(r"^(?P<version>v[12])/", include(versioned_router.urls)),
]


def test_links_under_a_router_namespace_and_a_version_as_rest_gives_them(client):
    """namespace= names the router's URL namespace (reverse_action() failed: a 500), and
    version= the version calls run as where the URL scheme has no default."""
    task, tag = TaskFactory(), TagFactory()
    rest_link = client.get(f"/nsapi/linked-tasks/{task.pk}/").json()["link"]
    rest_url = client.get(f"/v1/versioned-links/{tag.pk}/").json()["url"]
    assert (rest_link, rest_url) == (
        f"http://testserver/nsapi/linked-tasks/{task.pk}/",
        f"http://testserver/v1/versioned-links/{tag.pk}/",
    )
    query = (
        "query($task: ID!, $tag: ID!) { nsLinkedTask(id: $task) { link } "
        "versionedLinkTag(id: $tag) { url } versionedLinkTags { results { url } } }"
    )
    body = client.post(
        "/routed-graphql/",
        json.dumps({"query": query, "variables": {"task": task.pk, "tag": tag.pk}}),
        content_type="application/json",
    ).json()
    assert body == {
        "data": {
            "nsLinkedTask": {"link": rest_link},
            "versionedLinkTag": {"url": rest_url},
            "versionedLinkTags": {"results": [{"url": rest_url}]},
        }
    }


def test_a_version_the_viewset_cannot_run_as_is_refused():
    with pytest.raises(ImproperlyConfigured, match=r"not one of its versioning_class's allowed"):
        ViewSetCrud(VersionedLinkTagViewSet, name="v3LinkTag", version="v3")
    with pytest.raises(
        ImproperlyConfigured, match=r"version='v1'\): the viewset has no versioning"
    ):
        ViewSetCrud(LinkedTaskViewSet, name="unversionedTask", version="v1")


def shapes(client, query, variables=None, **headers):
    body = {"query": query, "variables": variables or {}}
    return client.post(
        "/shapes-graphql/", json.dumps(body), content_type="application/json", **headers
    )


def test_a_viewset_known_by_its_methods_has_a_model_and_rests_filters(client):
    """DjangoFilterBackend reads the model at request time: REST filters such a viewset."""
    assert methods_only_crud.model is Task
    assert ViewSetCrud(MethodsOnlyTaskViewSet).name == "task"  # no name= needed
    for priority in (1, 2, 2):
        TaskFactory(priority=priority)
    rest = client.get("/api/methods-only-tasks/", {"priority": 2}).json()
    assert [task["priority"] for task in rest] == [2, 2]
    body = shapes(
        client, "{ methodsOnlyTasks(filter: {priority: 2}) { totalCount results { priority } } }"
    ).json()
    assert body == {
        "data": {"methodsOnlyTasks": {"totalCount": 2, "results": [{"priority": 2}] * 2}}
    }


def test_reverse_action_names_the_routers_basename(client):
    task = TaskFactory()
    rest = client.get(f"/api/linked-tasks/{task.pk}/").json()
    assert rest["link"] == f"http://testserver/api/linked-tasks/{task.pk}/"
    body = shapes(client, "query($id: ID!) { linkedTask(id: $id) { link } }", {"id": task.pk})
    assert body.json() == {"data": {"linkedTask": {"link": rest["link"]}}}


def test_a_url_version_scheme_without_a_default_serves_every_call(client):
    """REST's URL names the version; a GraphQL call names none, and runs as the schema's."""
    TagFactory(name="red")
    assert client.get("/v1/path-tags/").json() == [{"id": Tag.objects.get().pk, "name": "red"}]
    assert client.get("/v3/path-tags/").status_code == 404
    # With an initial() of its own too, and under a project's own scheme reading the URL.
    for field in ("pathTags", "initialPathTags", "kwargTags"):
        body = shapes(client, f"{{ {field} {{ totalCount results {{ name }} }} }}").json()
        assert body == {"data": {field: {"totalCount": 1, "results": [{"name": "red"}]}}}


def test_a_host_naming_a_version_not_allowed_is_refused_as_under_rest(client):
    """The host is the call's own: HostNameVersioning judges it as REST's view does."""
    TagFactory()
    body = shapes(client, "{ hostTags { totalCount } }").json()
    assert body == {"data": {"hostTags": {"totalCount": 1}}}
    body = shapes(client, "{ hostTags { totalCount } }", HTTP_HOST="v9.example.com").json()
    assert body["data"] == {"hostTags": None}
    assert body["errors"][0]["message"] == "Invalid version in hostname."
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "status": 404}


def test_a_destroy_without_a_serializer_of_its_own_types_its_lookup_from_another(client):
    """The schema builds, and the delete works, as REST's DELETE never asks for one."""
    assert str(shapes_schema.graphql_schema.mutation_type.fields["deleteActionProject"]
               .args["slug"].type) == "String!"  # fmt: skip
    project = ProjectFactory(slug="home")
    body = shapes(client, 'mutation { deleteActionProject(slug: "home") { deletedId } }').json()
    assert body == {"data": {"deleteActionProject": {"deletedId": str(project.pk)}}}
    assert not Project.objects.exists()


def test_a_filter_set_for_another_model_is_refused_naming_the_viewset():
    class ProjectSlugFilter(django_filters.FilterSet):
        class Meta:
            model = Project
            fields = ["slug"]

    class MismatchedFilterViewSet(viewsets.ReadOnlyModelViewSet):
        queryset = Task.objects.all()
        serializer_class = RangeTaskSerializer
        filter_backends = [DjangoFilterBackend]
        filterset_class = ProjectSlugFilter

    with pytest.raises(ImproperlyConfigured, match=r"^ViewSetCrud\(MismatchedFilterViewSet\): "):
        ViewSetCrud(MismatchedFilterViewSet, name="mismatchedFilterTask")


def made_per_call_serializer():
    """A serializer class a function makes anew at each call, the same each time, with a
    nested serializer made alongside it."""

    class PerCallTitleSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["id", "title"]

    class PerCallTaskSerializer(serializers.ModelSerializer):
        same = PerCallTitleSerializer(source="*", read_only=True)
        # What real ones hold: a related field's queryset, a default, a validator that has
        # == but no hash.
        project = serializers.PrimaryKeyRelatedField(
            queryset=Project.objects.all(), allow_null=True, required=False
        )
        owner = serializers.HiddenField(default=serializers.CurrentUserDefault())
        notes = serializers.CharField(
            required=False, validators=[UniqueValidator(queryset=Task.objects.all())]
        )

        class Meta:
            model = Task
            fields = ["id", "title", "same", "project", "owner", "notes"]

        def validate_title(self, value):
            return value.strip()

    return PerCallTaskSerializer


class PerCallSerializerViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.all()

    def get_serializer_class(self):
        return made_per_call_serializer()


def test_a_serializer_class_made_at_each_call_is_one_type(isolated_cruds, isolated_registry):
    """Made once per action while the schema is built: the same type, no E003."""
    crud = ViewSetCrud(PerCallSerializerViewSet, name="perCallTask")

    class Query(crud.Query, graphene.ObjectType):
        pass

    class Mutation(crud.Mutation, graphene.ObjectType):
        pass

    schema = graphene.Schema(query=Query, mutation=Mutation)
    assert [m.id for m in check_drf_graphql_crud()] == []
    sdl = str(schema)
    assert "type PerCallTaskOutput {" in sdl
    assert "createPerCallTask(input: PerCallTaskInput!): CreatePerCallTaskPayload" in sdl


def test_an_output_type_of_a_class_made_at_each_call_fits(isolated_cruds, isolated_registry):
    class PerCallTaskOutput(SerializerObjectType):
        class Meta:
            serializer_class = made_per_call_serializer()

    crud = ViewSetCrud(PerCallSerializerViewSet, name="perCallTask", output_type=PerCallTaskOutput)
    assert crud.output_type is PerCallTaskOutput


def test_classes_of_one_name_made_differently_still_collide(isolated_registry):
    from drf_graphql_crud.converter import Mode
    from drf_graphql_crud.types import serializer_type

    def made(fields):
        class SameNameTaskSerializer(serializers.ModelSerializer):
            class Meta:
                model = Task

        SameNameTaskSerializer.Meta.fields = fields
        return SameNameTaskSerializer

    serializer_type(made(["id", "title"]), Mode.OUTPUT)
    serializer_type(made(["id", "notes"]), Mode.OUTPUT)
    assert [c.name for c in isolated_registry.collisions][-1:] == ["SameNameTaskOutput"]


def test_the_filter_set_the_viewset_filters_by_is_not_second_guessed(
    isolated_cruds, isolated_registry
):
    """A backend picking its own filter set, and get_queryset() listing a proxy's rows
    with the proxy's filter set, are built as REST runs them."""
    from django.test.utils import isolate_apps

    class TaskTitleFilter(django_filters.FilterSet):
        class Meta:
            model = Task
            fields = ["title"]

    class ProjectNameFilter(django_filters.FilterSet):
        class Meta:
            model = Project
            fields = ["name"]

    class PickingBackend(DjangoFilterBackend):
        def get_filterset_class(self, view, queryset=None):
            return view.pick_filterset_class()

    class PickedFilterViewSet(viewsets.ReadOnlyModelViewSet):
        queryset = Task.objects.order_by("pk")
        serializer_class = RangeTaskSerializer
        filter_backends = [PickingBackend]
        filterset_class = ProjectNameFilter  # another action's; the backend picks

        def pick_filterset_class(self):
            return TaskTitleFilter

    crud = ViewSetCrud(PickedFilterViewSet, name="pickedFilterTask")
    assert crud.filterset_class is TaskTitleFilter

    with isolate_apps("tests.testapp"):

        class OpenTask(Task):
            class Meta:
                app_label = "testapp"
                proxy = True

        class OpenTaskFilter(django_filters.FilterSet):
            class Meta:
                model = OpenTask
                fields = ["title"]

        class OpenTaskViewSet(viewsets.ReadOnlyModelViewSet):
            queryset = Task.objects.all()
            serializer_class = RangeTaskSerializer
            filter_backends = [DjangoFilterBackend]
            filterset_class = OpenTaskFilter

            def get_queryset(self):
                return OpenTask.objects.all()

        crud = ViewSetCrud(OpenTaskViewSet, name="openTask")
    assert crud.filterset_class is OpenTaskFilter


def test_classes_whose_methods_differ_in_keyword_defaults_are_not_alike(isolated_registry):
    from drf_graphql_crud.converter import Mode
    from drf_graphql_crud.types import serializer_type

    def made(drop):
        class KwDefaultTaskSerializer(serializers.ModelSerializer):
            class Meta:
                model = Task
                fields = ["id", "title", "notes"]

            def get_fields(self, *, _drop=drop):
                fields = super().get_fields()
                for name in _drop:
                    fields.pop(name)
                return fields

        return KwDefaultTaskSerializer

    serializer_type(made(("notes",)), Mode.OUTPUT)
    serializer_type(made(()), Mode.OUTPUT)
    assert [c.name for c in isolated_registry.collisions][-1:] == ["KwDefaultTaskOutput"]


# ------------------------------------------------------------------ search terms as the backend splits them


class WholePhraseSearch(filters.SearchFilter):
    """Full-text style: the whole string is one term, one condition."""

    search_param = "q"

    def get_search_terms(self, request):
        value = request.query_params.get(self.search_param, "")
        return [value] if value else []


class PipeSearch(filters.SearchFilter):
    """``a|b|c`` is three terms, three conditions over every search field."""

    def get_search_terms(self, request):
        return [term for term in request.query_params.get(self.search_param, "").split("|") if term]


class PhraseTaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = crud_views.TaskSerializer
    filter_backends = [WholePhraseSearch]
    search_fields = ["title"]


class PipeTaskViewSet(PhraseTaskViewSet):
    filter_backends = [PipeSearch]


phrase_tasks = ViewSetCrud(PhraseTaskViewSet, name="phraseTask")
pipe_tasks = ViewSetCrud(PipeTaskViewSet, name="pipeTask")
search_schema = graphene.Schema(
    query=type("SearchQuery", (phrase_tasks.Query, pipe_tasks.Query, graphene.ObjectType), {})
)
search_router = DefaultRouter()
search_router.register("phrase-tasks", PhraseTaskViewSet, basename="phrase-task")
urlpatterns += [
    path("search-graphql/", DRFGraphQLView.as_view(schema=search_schema)),
    path("search-api/", include(search_router.urls)),
]


def test_search_terms_are_counted_as_the_viewsets_backend_splits_them(client, settings):
    settings.DRF_GRAPHQL_CRUD = {"MAX_SEARCH_TERMS": 20}
    words = " ".join(["w"] * 25)
    TaskFactory(title=words)
    rest_status, rest_body = rest(client, "get", "/search-api/phrase-tasks/", q=words)
    assert (rest_status, len(rest_body)) == (200, 1)

    def search(field, value):
        query = f"query($s: String) {{ {field}(search: $s) {{ totalCount }} }}"
        response = client.post(
            "/search-graphql/",
            json.dumps({"query": query, "variables": {"s": value}}),
            content_type="application/json",
        )
        return response.json()

    # 25 words, one term for this backend: run as REST runs it.
    assert search("phraseTasks", words) == {"data": {"phraseTasks": {"totalCount": 1}}}
    # One "word" of 21 terms for that one: refused.
    body = search("pipeTasks", "|".join(["w"] * 21))
    assert body["errors"][0]["extensions"]["errors"][0]["field"] == "search"


class StaffSearch(filters.SearchFilter):
    """DRF's documented way to choose search fields per request: staff search notes too."""

    def get_search_fields(self, view, request):
        return ["title", "notes"] if request.user.is_staff else ["title"]


class StaffSearchTaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = crud_views.TaskSerializer
    filter_backends = [StaffSearch]  # no search_fields: the backend decides


staff_search_tasks = ViewSetCrud(StaffSearchTaskViewSet, name="staffSearchTask")
staff_search_schema = graphene.Schema(
    query=type("StaffSearchQuery", (staff_search_tasks.Query, graphene.ObjectType), {})
)
staff_search_router = DefaultRouter()
staff_search_router.register("tasks", StaffSearchTaskViewSet, basename="staff-search")
urlpatterns += [
    path("staff-search-graphql/", DRFGraphQLView.as_view(schema=staff_search_schema)),
    path("staff-search-api/", include(staff_search_router.urls)),
]


def test_a_backend_choosing_search_fields_per_request_gets_a_search_argument(client):
    """Its override read the request, which the schema was built without: no argument, so
    a search REST serves was a validation failure."""
    TaskFactory(title="bug in title", notes="")
    TaskFactory(title="other", notes="bug in notes")
    query = '{ staffSearchTasks(search: "bug") { results { title } } }'

    def searched(user):
        client.force_login(user)
        rest_status, rest_body = rest(client, "get", "/staff-search-api/tasks/", search="bug")
        response = client.post("/staff-search-graphql/", {"query": query}, "application/json")
        titles = [row["title"] for row in response.json()["data"]["staffSearchTasks"]["results"]]
        assert (rest_status, [row["title"] for row in rest_body]) == (200, titles)
        return titles

    assert searched(UserFactory()) == ["bug in title"]
    assert searched(UserFactory(is_staff=True)) == ["bug in title", "other"]


# ------------------------------------------------------------------ integrity after nested writes


class DbUniqueTagSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=40)  # no UniqueValidator: the database decides

    class Meta:
        model = Tag
        fields = ["id", "name"]


class NestedTagsTaskSerializer(WritableNestedModelSerializer):
    subtasks = SubtaskSerializer(many=True, required=False)
    tags = DbUniqueTagSerializer(many=True, required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "subtasks", "tags"]


class NestedTagsTaskViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = NestedTagsTaskSerializer


nested_tags_crud = ViewSetCrud(NestedTagsTaskViewSet, name="nestedTagsTask")
nested_tags_schema = graphene.Schema(
    query=type("NestedTagsQuery", (nested_tags_crud.Query, graphene.ObjectType), {}),
    mutation=type("NestedTagsMutation", (nested_tags_crud.Mutation, graphene.ObjectType), {}),
)
urlpatterns += [path("nested-tags-graphql/", DRFGraphQLView.as_view(schema=nested_tags_schema))]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("action", ["create", "update"])
def test_a_conflict_after_nested_children_were_saved_names_no_child(client, action):
    """drf-writable-nested writes the pks of the children it saved into the input; the
    conflict is explained from the input the client sent, not with those rolled-back rows
    as ids out of reach."""
    task = TaskFactory(title="Task")
    before = (Task.objects.count(), Subtask.objects.count(), Tag.objects.count())
    data = {"subtasks": [{"title": "one"}, {"title": "two"}], "tags": [{"name": "d"}] * 2}
    if action == "create":
        query = (
            "mutation($input: NestedTagsTaskInput!) { createNestedTagsTask(input: $input) "
            "{ nestedTagsTask { id } } }"
        )
        variables = {"input": {"title": "New", **data}}
    else:
        query = (
            "mutation($id: ID!, $input: NestedTagsTaskPartialInput!) { "
            "updateNestedTagsTask(id: $id, input: $input) { nestedTagsTask { id } } }"
        )
        variables = {"id": str(task.pk), "input": data}
    body = client.post(
        "/nested-tags-graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    ).json()
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION_ERROR"
    assert [(e["field"], e["code"]) for e in error["extensions"]["errors"]] == [
        (None, "integrity_error")
    ]
    assert (Task.objects.count(), Subtask.objects.count(), Tag.objects.count()) == before


def test_a_lookup_named_input_is_refused_for_updates(isolated_cruds, isolated_registry):
    """``update<X>(input: ..., input: ...)``: the input would replace the lookup argument."""

    class InputLookupViewSet(viewsets.ModelViewSet):
        queryset = Project.objects.order_by("pk")
        serializer_class = ProjectSerializer
        lookup_field = "input"

    with pytest.raises(ImproperlyConfigured, match="lookup_field 'input' would name"):
        ViewSetCrud(InputLookupViewSet, name="inputLookupProject").Mutation  # noqa: B018


# ------------------------------------------------------------------ rows on another database


class ElsewhereProjectViewSet(viewsets.ModelViewSet):
    """Its get_queryset() reads another database, as a DRF view may."""

    serializer_class = ProjectSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Project.objects.using("other").order_by("pk")

    def perform_update(self, serializer):
        serializer.save()
        raise exceptions.PermissionDenied()  # after saving: undone


elsewhere_crud = ViewSetCrud(ElsewhereProjectViewSet, name="elsewhereProject")
elsewhere_schema = graphene.Schema(
    query=type("ElsewhereQuery", (elsewhere_crud.Query, graphene.ObjectType), {}),
    mutation=type("ElsewhereMutation", (elsewhere_crud.Mutation, graphene.ObjectType), {}),
)
urlpatterns += [path("elsewhere-graphql/", DRFGraphQLView.as_view(schema=elsewhere_schema))]


@pytest.mark.urls(__name__)
@pytest.mark.django_db(databases="__all__", transaction=True)
def test_a_viewsets_queryset_on_another_database_writes_in_a_transaction_there(client):
    """The transaction was the router's database's: the failed update stayed, unlocked."""
    from django.db import connections

    Project.objects.using("other").create(slug="p", name="Old")
    with CaptureQueriesContext(connections["other"]) as other:
        body = client.post(
            "/elsewhere-graphql/",
            json.dumps(
                {
                    "query": 'mutation { updateElsewhereProject(slug: "p", input: {name: "New"}) '
                    "{ elsewhereProject { name } } }"
                }
            ),
            content_type="application/json",
        ).json()
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert Project.objects.using("other").get().name == "Old"
    if connections["other"].features.has_select_for_update:
        assert any("FOR UPDATE" in query["sql"] for query in other.captured_queries)


# ------------------------------------------------------------------ a viewset under a parent route


class ProjectTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title"]


class ProjectTaskViewSet(viewsets.ModelViewSet):
    """``projects/<project_pk>/tasks/``: the parent comes from the URL, as with
    drf-nested-routers."""

    serializer_class = ProjectTaskSerializer
    queryset = Task.objects.order_by("pk")

    def get_queryset(self):
        return super().get_queryset().filter(project_id=self.kwargs["project_pk"])

    def perform_create(self, serializer):
        serializer.save(project_id=self.kwargs["project_pk"])


project_tasks = ViewSetCrud(ProjectTaskViewSet, name="projectTask", url_kwargs=["project_pk"])
nested_schema = graphene.Schema(
    query=type("NestedQuery", (project_tasks.Query, graphene.ObjectType), {}),
    mutation=type("NestedMutation", (project_tasks.Mutation, graphene.ObjectType), {}),
)
nested_router = DefaultRouter()
nested_router.register(
    r"projects/(?P<project_pk>[^/.]+)/tasks", ProjectTaskViewSet, basename="project-task"
)
urlpatterns += [
    path("nested-graphql/", DRFGraphQLView.as_view(schema=nested_schema)),
    path("nested-api/", include(nested_router.urls)),
]


def nested(client, query, variables=None):
    response = client.post(
        "/nested-graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    return response.json()


def test_url_kwargs_are_required_arguments_of_every_operation():
    sdl = str(nested_schema)
    assert 'projectTask(\n    """`project_pk`, as in the REST URL."""\n    projectPk: ID!\n' in sdl
    for field in ("projectTasks", "createProjectTask", "updateProjectTask", "deleteProjectTask"):
        arguments = (
            nested_schema.graphql_schema.get_type(
                "NestedQuery" if field == "projectTasks" else "NestedMutation"
            )
            .fields[field]
            .args
        )
        assert str(arguments["projectPk"].type) == "ID!", field


def test_a_viewset_under_a_parent_route_reads_its_url_kwargs_as_rest(client, alice):
    home, work = ProjectFactory(slug="home"), ProjectFactory(slug="work")
    mine = TaskFactory(title="Mine", project=home)
    TaskFactory(title="Elsewhere", project=work)
    _, rest_list = rest(client, "get", f"/nested-api/projects/{home.pk}/tasks/")
    body = nested(
        client,
        "query($p: ID!, $id: ID!) { projectTasks(projectPk: $p) { totalCount results { id title } } "
        "projectTask(projectPk: $p, id: $id) { id title } }",
        {"p": home.pk, "id": mine.pk},
    )
    assert body == {
        "data": {
            "projectTasks": {"totalCount": 1, "results": as_graphql(rest_list)},
            "projectTask": {"id": str(mine.pk), "title": "Mine"},
        }
    }
    # Another parent's child is out of reach, as REST's 404.
    assert rest(client, "get", f"/nested-api/projects/{work.pk}/tasks/{mine.pk}/")[0] == 404
    body = nested(
        client,
        "query($p: ID!, $id: ID!) { projectTask(projectPk: $p, id: $id) { id } }",
        {"p": work.pk, "id": mine.pk},
    )
    assert error(body)["extensions"] == {"code": "NOT_FOUND", "status": 404}


@pytest.mark.parametrize("value", ["", "1/2"])
def test_a_url_kwarg_no_route_takes_is_not_found(client, alice, value):
    """REST's router matches no empty URL segment, and no converter or router pattern a
    `/` (a 404) before the viewset runs: not the viewset's error on the value (a 500)."""
    task = TaskFactory(project=ProjectFactory())
    body = nested(
        client,
        "query($id: ID!, $p: ID!) { projectTask(projectPk: $p, id: $id) { id } "
        "projectTasks(projectPk: $p) { totalCount } }",
        {"id": task.pk, "p": value},
    )
    assert body["data"] == {"projectTask": None, "projectTasks": None}
    assert [error["extensions"] for error in body["errors"]] == [
        {"code": "NOT_FOUND", "status": 404},
        {"code": "NOT_FOUND", "status": 404},
    ]


class IntParentTaskViewSet(ProjectTaskViewSet):
    """Compares the URL kwarg as `<int:project_pk>` hands it over: a number."""

    def get_queryset(self):
        assert isinstance(self.kwargs["project_pk"], int)
        return super().get_queryset()


class TaskKeyField(serializers.IntegerField):
    def to_representation(self, value):
        return f"T{value:06d}"


class ReadKeyTaskSerializer(serializers.ModelSerializer):
    """Shows its key as `T000001`: what reads show, and so what a delete answers."""

    id = TaskKeyField(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title"]


class SafeMethodsReadTaskViewSet(ProjectTaskViewSet):
    """DRF's idiom: a read serializer for safe methods."""

    def get_serializer_class(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return ReadKeyTaskSerializer
        return ProjectTaskSerializer


def test_typed_url_kwargs_and_the_read_serializer_of_a_delete(isolated_cruds, rf):
    """A kwarg declared Int reaches the viewset as `<int:>` gives it; a delete answers the
    key as reads show it, asked with a read's method too."""
    typed = ViewSetCrud(
        IntParentTaskViewSet, name="intParentTask", url_kwargs={"project_pk": graphene.Int}
    )
    read_keys = ViewSetCrud(
        SafeMethodsReadTaskViewSet, name="readKeyTask", url_kwargs=["project_pk"]
    )
    schema = graphene.Schema(
        query=type("Query", (typed.Query, read_keys.Query, graphene.ObjectType), {}),
        mutation=type("Mutation", (typed.Mutation, read_keys.Mutation, graphene.ObjectType), {}),
    )
    project = ProjectFactory()
    task = TaskFactory(project=project)
    query = (
        "query($p: Int!, $q: ID!, $id: ID!) { intParentTask(projectPk: $p, id: $id) { id } "
        "readKeyTask(projectPk: $q, id: $id) { id } }"
    )
    variables = {"p": project.pk, "q": str(project.pk), "id": task.pk}
    request = rf.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )
    body = json.loads(DRFGraphQLView.as_view(schema=schema)(request).content)
    negative = rf.post(
        "/graphql/",
        json.dumps({"query": "{ intParentTasks(projectPk: -1) { totalCount } }"}),
        content_type="application/json",
    )
    refused = json.loads(DRFGraphQLView.as_view(schema=schema)(negative).content)
    assert error(refused)["extensions"] == {"code": "NOT_FOUND", "status": 404}  # as <int:>
    shown = f"T{task.pk:06d}"
    assert body == {"data": {"intParentTask": {"id": str(task.pk)}, "readKeyTask": {"id": shown}}}
    query = 'mutation($id: ID!) { deleteReadKeyTask(projectPk: "%d", id: $id) { deletedId } }'
    request = rf.post(
        "/graphql/",
        json.dumps({"query": query % project.pk, "variables": {"id": task.pk}}),
        content_type="application/json",
    )
    body = json.loads(DRFGraphQLView.as_view(schema=schema)(request).content)
    assert body == {"data": {"deleteReadKeyTask": {"deletedId": shown}}}


def test_writes_under_a_parent_route_get_the_parent_from_the_url_kwargs(client, alice):
    home = ProjectFactory(slug="home")
    body = nested(
        client,
        'mutation($p: ID!) { createProjectTask(projectPk: $p, input: {title: "New"}) '
        "{ projectTask { id title } } }",
        {"p": home.pk},
    )
    created = Task.objects.get(title="New")
    assert body == {
        "data": {"createProjectTask": {"projectTask": {"id": str(created.pk), "title": "New"}}}
    }
    assert created.project == home
    body = nested(
        client,
        'mutation($p: ID!, $id: ID!) { updateProjectTask(projectPk: $p, id: $id, input: {title: "Renamed"}) '
        "{ projectTask { title } } "
        "deleteProjectTask(projectPk: $p, id: $id) { deletedId } }",
        {"p": home.pk, "id": created.pk},
    )
    assert body == {
        "data": {
            "updateProjectTask": {"projectTask": {"title": "Renamed"}},
            "deleteProjectTask": {"deletedId": str(created.pk)},
        }
    }
    assert not Task.objects.filter(pk=created.pk).exists()


@pytest.mark.parametrize(
    ("url_kwargs", "message"),
    [
        ("project_pk", "url_kwargs takes a list of names"),
        (["pk"], "url_kwargs 'pk' is the viewset's lookup"),
        (["input"], "url_kwargs 'input' is also an argument of createRefusedTask"),
        (["2nd"], "url_kwargs '2nd' is no name an argument can have"),
        ({"project_pk": int}, "url_kwargs 'project_pk' needs a graphene scalar type"),
        (["projectPk", "project_pk"], "url_kwargs 'projectPk' and 'project_pk' are both"),
        (["Input"], None),  # not the GraphQL name of `input`: allowed
    ],
)
def test_url_kwargs_an_operation_could_not_take_are_refused(url_kwargs, message, isolated_registry):
    if message is None:
        viewset_cruds.remove(
            ViewSetCrud(ProjectTaskViewSet, name="allowedTask", url_kwargs=url_kwargs)
        )
        return
    with pytest.raises(ImproperlyConfigured, match=message):
        ViewSetCrud(ProjectTaskViewSet, name="refusedTask", url_kwargs=url_kwargs)


class PagedProjectTaskViewSet(ProjectTaskViewSet):
    pagination_class = type(
        "SizedPages",
        (pagination.PageNumberPagination,),
        {"page_size": 2, "page_size_query_param": "size"},
    )


def test_a_url_kwarg_camelcased_like_a_list_argument_is_refused(isolated_registry):
    """``pageSize`` and the paginator's ``page_size`` are one GraphQL argument."""
    with pytest.raises(
        ImproperlyConfigured, match="url_kwargs 'pageSize' is also an argument of pagedTasks"
    ):
        ViewSetCrud(PagedProjectTaskViewSet, name="pagedTask", url_kwargs=["pageSize"])


class SingletonProjectViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """No queryset: one row, found by its own get_object() (a profile's way)."""

    serializer_class = ProjectSerializer

    def get_object(self):
        project = Project.objects.get(slug="the-one")
        self.check_object_permissions(self.request, project)
        return project


def test_a_viewset_finding_its_row_by_its_own_get_object_needs_no_queryset(rf, isolated_registry):
    crud = ViewSetCrud(SingletonProjectViewSet, name="singleton")
    viewset_cruds.remove(crud)
    schema = graphene.Schema(
        query=type("SingletonQuery", (crud.Query, graphene.ObjectType), {}),
        mutation=type("SingletonMutation", (crud.Mutation, graphene.ObjectType), {}),
    )
    ProjectFactory(slug="the-one", name="Before")
    request = rf.post(
        "/graphql/",
        json.dumps(
            {
                "query": 'mutation { updateSingleton(id: "1", input: {name: "After"}) '
                "{ singleton { name } } }"
            }
        ),
        content_type="application/json",
    )
    request.user = UserFactory()
    request._dont_enforce_csrf_checks = True
    answer = json.loads(DRFGraphQLView.as_view(schema=schema)(request).content)
    assert answer == {"data": {"updateSingleton": {"singleton": {"name": "After"}}}}


def test_url_kwargs_may_be_typed(isolated_registry):
    typed = ViewSetCrud(
        ProjectTaskViewSet, name="typedTask", url_kwargs={"project_pk": graphene.Int}
    )
    try:
        field = typed.Query.__dict__["typedTasks"]
        assert field.args["project_pk"].type.of_type is graphene.Int
    finally:
        viewset_cruds.remove(typed)


class CountingTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title"]


class QuerysetCountingViewSet(viewsets.ModelViewSet):
    """Its ``get_queryset()`` does work of its own (an audit row, a membership query)."""

    serializer_class = CountingTaskSerializer
    authentication_classes = []
    permission_classes = []
    calls: list[str] = []

    def get_queryset(self):
        self.calls.append(self.action)
        return Task.objects.order_by("pk")


counting_crud = ViewSetCrud(QuerysetCountingViewSet, name="countedTask")


class CountingQuery(counting_crud.Query, graphene.ObjectType):
    pass


class CountingMutation(counting_crud.Mutation, graphene.ObjectType):
    pass


counting_schema = graphene.Schema(query=CountingQuery, mutation=CountingMutation)


@pytest.mark.parametrize(
    ("action", "method", "document"),
    [
        (
            "partial_update",
            "patch",
            'updateCountedTask(id: $id, input: {title: "New"}) { countedTask { title } }',
        ),
        ("destroy", "delete", "deleteCountedTask(id: $id) { deletedId }"),
    ],
)
def test_a_write_runs_the_viewsets_get_queryset_once_as_rest_does(rf, action, method, document):
    task = TaskFactory()
    rest_view = QuerysetCountingViewSet.as_view({method: action})
    request = getattr(rf, method)("/", {"title": "New"}, content_type="application/json")
    QuerysetCountingViewSet.calls = []
    assert rest_view(request, pk=task.pk).status_code in (200, 204)
    assert QuerysetCountingViewSet.calls == [action]
    task = TaskFactory()
    QuerysetCountingViewSet.calls = []
    body = {"query": f"mutation($id: ID!) {{ {document} }}", "variables": {"id": str(task.pk)}}
    view = DRFGraphQLView.as_view(schema=counting_schema, authentication_classes=[])
    response = view(rf.post("/", body, content_type="application/json"))
    assert "errors" not in json.loads(response.content)
    assert QuerysetCountingViewSet.calls == [action]


class AuditingViewSet(viewsets.ModelViewSet):
    """Its ``get_queryset()`` writes an audit row (a tag stands for it)."""

    serializer_class = CountingTaskSerializer
    authentication_classes = []
    permission_classes = []

    def get_queryset(self):
        Tag.objects.create(name=f"audit {Tag.objects.count()}")
        return Task.objects.order_by("pk")

    def perform_update(self, serializer):
        serializer.save()
        raise exceptions.PermissionDenied()  # after saving: undone, the audit row too


auditing_crud = ViewSetCrud(AuditingViewSet, name="auditedTask")


class AuditingMutation(auditing_crud.Mutation, graphene.ObjectType):
    pass


auditing_schema = graphene.Schema(query=CountingQuery, mutation=AuditingMutation)


@pytest.mark.django_db(transaction=True)
def test_a_writes_get_queryset_runs_inside_its_transaction(rf):
    """It ran before the transaction opened: a failed update kept what it wrote."""
    task = TaskFactory(title="Old")
    query = 'mutation($id: ID!) { updateAuditedTask(id: $id, input: {title: "New"}) { auditedTask { title } } }'
    view = DRFGraphQLView.as_view(schema=auditing_schema, authentication_classes=[])
    body = {"query": query, "variables": {"id": str(task.pk)}}
    answer = json.loads(view(rf.post("/", body, content_type="application/json")).content)
    assert answer["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    task.refresh_from_db()
    assert (task.title, Tag.objects.count()) == ("Old", 0)


# ------------------------------------------------------------------ the viewset's own action methods


class OwnActionsTaskViewSet(viewsets.ModelViewSet):
    """Action methods of its own, as REST calls them: a soft delete, a create saving more, a
    retrieve answering 410 for a done row, an update refusing with a returned 400."""

    queryset = Task.objects.order_by("pk")
    serializer_class = crud_views.CrudTaskWriteSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save(notes="made by create()")
        return Response(serializer.data, status=201)

    def retrieve(self, request, *args, **kwargs):
        if self.get_object().status == Task.Status.DONE:
            return Response({"detail": "Gone."}, status=410)
        return super().retrieve(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        if request.data.get("title") == "forbidden":
            return Response({"title": ["Not this one."]}, status=400)
        return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        task = self.get_object()
        task.status = Task.Status.DONE
        task.save(update_fields=["status"])
        return Response(status=204)


def _own_rest(method, action, data=None, pk=None):
    from rest_framework.test import APIRequestFactory

    view = OwnActionsTaskViewSet.as_view({method: action})
    url = "/own-actions/" if pk is None else f"/own-actions/{pk}/"
    request = getattr(APIRequestFactory(), method)(url, data, format="json")
    response = view(request) if pk is None else view(request, pk=pk)
    response.render()
    return response.status_code, (json.loads(response.content) if response.content else None)


@pytest.fixture
def own_actions(isolated_cruds, isolated_registry):
    return ViewSetCrud(OwnActionsTaskViewSet, name="ownActionTask")


def test_a_viewsets_own_destroy_runs_as_under_rest(own_actions):
    """A soft delete: the row stays, as REST's DELETE leaves it (it was deleted)."""
    rest_task, task = TaskFactory(), TaskFactory()
    assert _own_rest("delete", "destroy", pk=rest_task.pk) == (204, None)
    answer = _crud_answer(
        own_actions,
        "mutation($id: ID!) { deleteOwnActionTask(id: $id) { deletedId } }",
        {"id": str(task.pk)},
    )
    assert answer == {"data": {"deleteOwnActionTask": {"deletedId": str(task.pk)}}}
    assert list(Task.objects.filter(pk__in=[rest_task.pk, task.pk]).values_list("status")) == [
        ("done",),
        ("done",),
    ]
    missing = _crud_answer(
        own_actions,
        "mutation($id: ID!) { deleteOwnActionTask(id: $id) { deletedId } }",
        {"id": "999999"},
    )
    assert error(missing)["extensions"] == {"code": "NOT_FOUND", "status": 404}


def test_a_viewsets_own_create_and_update_answer_their_responses_data(own_actions):
    status, rest_body = _own_rest("post", "create", {"title": "By REST"})
    assert status == 201
    answer = _crud_answer(
        own_actions,
        "mutation($input: CrudTaskWriteInput!) { createOwnActionTask(input: $input) "
        "{ ownActionTask { id title notes status } } }",
        {"input": {"title": "By GraphQL"}},
    )
    created = answer["data"]["createOwnActionTask"]["ownActionTask"]
    assert created == {
        "id": created["id"],
        "title": "By GraphQL",
        "notes": rest_body["notes"],
        "status": rest_body["status"].upper(),
    }
    assert rest_body["notes"] == "made by create()"
    assert Task.objects.get(pk=created["id"]).notes == "made by create()"

    task = TaskFactory(title="Before")
    assert _own_rest("patch", "partial_update", {"title": "forbidden"}, pk=task.pk) == (
        400,
        {"title": ["Not this one."]},
    )
    update = (
        "mutation($id: ID!, $input: CrudTaskWritePartialInput!) { updateOwnActionTask("
        "id: $id, input: $input) { ownActionTask { title } } }"
    )
    refused = _crud_answer(
        own_actions, update, {"id": str(task.pk), "input": {"title": "forbidden"}}
    )
    assert refused["data"] == {"updateOwnActionTask": None}
    assert error(refused)["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [{"field": "title", "message": "Not this one.", "code": "invalid"}],
    }
    assert _crud_answer(own_actions, update, {"id": str(task.pk), "input": {"title": "After"}}) == {
        "data": {"updateOwnActionTask": {"ownActionTask": {"title": "After"}}}
    }
    task.refresh_from_db()
    assert task.title == "After"


def test_a_viewsets_own_retrieve_answers_its_error_status(own_actions):
    done = TaskFactory(status=Task.Status.DONE)
    assert _own_rest("get", "retrieve", pk=done.pk) == (410, {"detail": "Gone."})
    query = "query($id: ID!) { ownActionTask(id: $id) { title } }"
    answer = _crud_answer(own_actions, query, {"id": str(done.pk)})
    assert answer["data"] == {"ownActionTask": None}
    assert error(answer)["message"] == "Gone."
    assert error(answer)["extensions"] == {"code": "GONE", "status": 410}
    todo = TaskFactory(title="Open")
    assert _crud_answer(own_actions, query, {"id": str(todo.pk)}) == {
        "data": {"ownActionTask": {"title": "Open"}}
    }


class SlugOwnDestroyViewSet(viewsets.ModelViewSet):
    """A destroy() of its own that never calls get_object(): it deletes by the slug."""

    queryset = Project.objects.order_by("pk")
    serializer_class = ProjectSerializer
    lookup_field = "slug"

    def destroy(self, request, *args, **kwargs):
        Project.objects.filter(slug=kwargs["slug"]).delete()
        return Response(status=204)


def test_an_own_destroy_without_get_object_answers_the_rows_key(isolated_cruds, isolated_registry):
    """deletedId is the key reads show as ``id`` (a client's cache holds the row under it),
    not the slug the lookup named; where nothing matched, the lookup as sent."""
    crud = ViewSetCrud(SlugOwnDestroyViewSet, name="slugOwnProject")
    project = ProjectFactory(slug="beta")
    delete = "mutation($slug: String!) { deleteSlugOwnProject(slug: $slug) { deletedId } }"
    assert _crud_answer(crud, delete, {"slug": "beta"}) == {
        "data": {"deleteSlugOwnProject": {"deletedId": str(project.pk)}}
    }
    assert not Project.objects.exists()
    assert _crud_answer(crud, delete, {"slug": "gone"}) == {
        "data": {"deleteSlugOwnProject": {"deletedId": "gone"}}
    }


class CountedOwnDestroyViewSet(viewsets.ModelViewSet):
    """A destroy() of its own, counting its get_queryset() calls: it deletes by the key
    without get_object(), or refuses before any lookup (id 0)."""

    serializer_class = ProjectSerializer
    authentication_classes = []
    permission_classes = []
    calls: list[str] = []

    def get_queryset(self):
        self.calls.append(self.action)
        return Project.objects.order_by("pk")

    def destroy(self, request, *args, **kwargs):
        if str(kwargs["pk"]) == "0":
            return Response({"detail": "Locked."}, status=409)
        Project.objects.filter(pk=kwargs["pk"]).delete()
        return Response(status=204)


def test_an_own_destroy_by_the_key_runs_only_its_own_queries(isolated_cruds, isolated_registry):
    """Looked up by the key, the deleted row's id is the key itself: the row was read first,
    with the viewset's get_queryset() and a SELECT REST never runs (twice in all where the
    action looks the row up too; once where it refuses before looking)."""
    from rest_framework.test import APIRequestFactory

    crud = ViewSetCrud(CountedOwnDestroyViewSet, name="countedOwnProject")
    rest_project, project = ProjectFactory(), ProjectFactory()
    rest_view = CountedOwnDestroyViewSet.as_view({"delete": "destroy"})
    with CaptureQueriesContext(connection) as rest_queries:
        response = rest_view(APIRequestFactory().delete("/"), pk=str(rest_project.pk))
    assert response.status_code == 204
    delete = "mutation($id: ID!) { deleteCountedOwnProject(id: $id) { deletedId } }"
    with CaptureQueriesContext(connection) as queries:
        answer = _crud_answer(crud, delete, {"id": f"0{project.pk}"})
    assert answer == {"data": {"deleteCountedOwnProject": {"deletedId": str(project.pk)}}}
    assert not Project.objects.exists()
    assert CountedOwnDestroyViewSet.calls == []
    # The transaction's own statements (PostgreSQL checks deferred keys at its end).
    transaction_control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET CONSTRAINTS")
    assert [
        each["sql"]
        for each in queries.captured_queries
        if not each["sql"].startswith(transaction_control)
    ] == [
        each["sql"].replace(str(rest_project.pk), str(project.pk))
        for each in rest_queries.captured_queries
        if not each["sql"].startswith(transaction_control)
    ]
    refused = _crud_answer(crud, delete, {"id": "0"})
    assert error(refused)["extensions"]["status"] == 409
    assert CountedOwnDestroyViewSet.calls == []


class LowerKeyField(models.CharField):
    """A text key the database matches lowered: ``"ABC"`` names the row ``"abc"``."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value.lower() if isinstance(value, str) else value


@pytest.mark.django_db(transaction=True)
def test_an_own_destroy_answers_the_key_the_row_holds_and_sees_its_own_rows(
    isolated_cruds, isolated_registry
):
    """A text key is read before the action for the key its row holds (``"ABC"`` deleted
    ``"abc"``, answered ``"ABC"``: a client's cache kept the row); the action's own
    get_queryset() is called as under REST, after what it sets (``with_archived``): a copy
    taken beforehand answered NOT_FOUND where REST deletes."""
    from django.test.utils import isolate_apps

    from tests.tables import tables

    with isolate_apps("tests.testapp"):

        class LowerKeyNote(models.Model):
            code = LowerKeyField(primary_key=True, max_length=20)
            archived = models.BooleanField(default=False)

            class Meta:
                app_label = "testapp"

        class LowerKeyNoteSerializer(serializers.ModelSerializer):
            id = serializers.CharField(source="pk", read_only=True)

            class Meta:
                model = LowerKeyNote
                fields = ["id", "code", "archived"]

        class LowerKeyNoteViewSet(viewsets.ModelViewSet):
            serializer_class = LowerKeyNoteSerializer
            authentication_classes = []
            permission_classes = []
            with_archived = False

            def get_queryset(self):
                if not hasattr(self, "rows"):  # built once per request, as views may
                    rows = LowerKeyNote.objects.order_by("pk")
                    self.rows = rows if self.with_archived else rows.filter(archived=False)
                return self.rows

            def destroy(self, request, *args, **kwargs):
                if kwargs["pk"][0] in "XY":  # reaches archived rows, as REST's call does
                    self.with_archived = True
                    if kwargs["pk"][0] == "X":
                        return super().destroy(request, *args, **kwargs)
                    self.get_queryset().filter(pk=kwargs["pk"]).delete()
                    return Response(status=204)
                LowerKeyNote.objects.filter(pk=kwargs["pk"]).delete()
                return Response(status=204)

        crud = ViewSetCrud(LowerKeyNoteViewSet, name="lowerKeyNote")
        delete = "mutation($id: ID!) { deleteLowerKeyNote(id: $id) { deletedId } }"
        with tables(LowerKeyNote):
            LowerKeyNote.objects.create(code="abc")
            LowerKeyNote.objects.create(code="xyz", archived=True)
            LowerKeyNote.objects.create(code="yes", archived=True)
            for lookup, key in (("ABC", "abc"), ("XYZ", "xyz"), ("YES", "yes")):
                assert _crud_answer(crud, delete, {"id": lookup}) == {
                    "data": {"deleteLowerKeyNote": {"deletedId": key}}
                }
            assert not LowerKeyNote.objects.exists()


class OpenTitleViewSet(viewsets.ModelViewSet):
    """Tasks looked up by title among the open ones (a done twin may share it), deleted by
    the action's own query, never get_object()."""

    serializer_class = CountingTaskSerializer
    authentication_classes = []
    permission_classes = []
    lookup_field = "title"

    def get_queryset(self):
        return Task.objects.exclude(status=Task.Status.DONE).order_by("pk")

    def destroy(self, request, *args, **kwargs):
        self.get_queryset().filter(title=kwargs["title"]).delete()
        return Response(status=204)


def test_an_own_destroy_answers_the_one_row_the_lookup_names(isolated_cruds, isolated_registry):
    """Without get_object(), the key of the one row the title names among all the model's
    rows, read before the action; where a done twin shares the title, the title as sent
    (README), never the key of a row the action left (its get_queryset(), called after
    the delete, names the twin)."""
    crud = ViewSetCrud(OpenTitleViewSet, name="openTitleTask")
    task = TaskFactory(title="Alone")
    delete = "mutation($title: String!) { deleteOpenTitleTask(title: $title) { deletedId } }"
    assert _crud_answer(crud, delete, {"title": "Alone"}) == {
        "data": {"deleteOpenTitleTask": {"deletedId": str(task.pk)}}
    }
    TaskFactory(title="Twin", status=Task.Status.DONE)
    TaskFactory(title="Twin")
    assert _crud_answer(crud, delete, {"title": "Twin"}) == {
        "data": {"deleteOpenTitleTask": {"deletedId": "Twin"}}
    }
    assert list(Task.objects.values_list("status", flat=True)) == [Task.Status.DONE]


class PaddedKeyField(models.AutoField):
    """An integer key its rows hold as six-digit text."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else f"{value:06d}"


@pytest.mark.django_db(transaction=True)
def test_an_own_destroy_reads_a_key_field_of_the_projects_as_the_row_holds_it(
    isolated_cruds, isolated_registry
):
    """An integer key of the project's own class is read, not taken from the lookup: its
    rows hold "000001" (deletedId was "1")."""
    from django.test.utils import isolate_apps

    from tests.tables import tables

    with isolate_apps("tests.testapp"):

        class PaddedKeyNote(models.Model):
            id = PaddedKeyField(primary_key=True)

            class Meta:
                app_label = "testapp"

        class PaddedKeyNoteSerializer(serializers.ModelSerializer):
            id = serializers.ReadOnlyField()

            class Meta:
                model = PaddedKeyNote
                fields = ["id"]

        class PaddedKeyNoteViewSet(viewsets.ModelViewSet):
            queryset = PaddedKeyNote.objects.order_by("pk")
            serializer_class = PaddedKeyNoteSerializer
            authentication_classes = []
            permission_classes = []

            def destroy(self, request, *args, **kwargs):
                PaddedKeyNote.objects.filter(pk=int(kwargs["pk"])).delete()
                return Response(status=204)

        crud = ViewSetCrud(PaddedKeyNoteViewSet, name="paddedKeyNote")
        with tables(PaddedKeyNote):
            note = PaddedKeyNote.objects.create()
            read = "query($id: ID!) { paddedKeyNote(id: $id) { id } }"
            shown = _crud_answer(crud, read, {"id": str(int(note.pk))})
            assert shown == {"data": {"paddedKeyNote": {"id": note.pk}}}
            delete = "mutation($id: ID!) { deletePaddedKeyNote(id: $id) { deletedId } }"
            assert _crud_answer(crud, delete, {"id": note.pk}) == {
                "data": {"deletePaddedKeyNote": {"deletedId": note.pk}}
            }
            assert not PaddedKeyNote.objects.exists()


class ReturningTaskViewSet(viewsets.ModelViewSet):
    """Action methods answering as views may: a 400 of a detail alone, a redirect after the
    write, a JsonResponse."""

    queryset = Task.objects.order_by("pk")
    serializer_class = crud_views.CrudTaskWriteSerializer

    def create(self, request, *args, **kwargs):
        from django.http import JsonResponse

        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        if serializer.instance.title == "redirect":
            return Response(serializer.data, status=303, headers={"Location": "/elsewhere/"})
        return JsonResponse(serializer.data, status=201)

    def partial_update(self, request, *args, **kwargs):
        return Response({"detail": "Cannot change a done task."}, status=400)


def test_an_own_actions_answer_is_read_as_rest_reads_it(isolated_cruds, isolated_registry):
    crud = ViewSetCrud(ReturningTaskViewSet, name="returningTask")
    create = (
        "mutation($input: CrudTaskWriteInput!) { createReturningTask(input: $input) "
        "{ returningTask { title } } }"
    )
    for title in ("redirect", "json"):  # a 303 is an answer; a JsonResponse's body the data
        assert _crud_answer(crud, create, {"input": {"title": title}}) == {
            "data": {"createReturningTask": {"returningTask": {"title": title}}}
        }
    assert sorted(Task.objects.values_list("title", flat=True)) == ["json", "redirect"]
    task = Task.objects.get(title="json")
    answer = _crud_answer(
        crud,
        "mutation($id: ID!, $input: CrudTaskWritePartialInput!) { updateReturningTask(id: $id,"
        " input: $input) { returningTask { title } } }",
        {"id": str(task.pk), "input": {"title": "Other"}},
    )
    assert error(answer)["message"] == "Cannot change a done task."
    assert error(answer)["extensions"] == {"code": "BAD_REQUEST", "status": 400}


class ShortAnswerTaskViewSet(viewsets.ModelViewSet):
    """Writes through one serializer and answers with less than it holds (REST's 201 is
    ``{"id": 1}``), as views answering with a read serializer's data do."""

    queryset = Task.objects.order_by("pk")
    serializer_class = crud_views.CrudTaskWriteSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response({"id": serializer.instance.pk}, status=201)


def test_an_own_actions_answer_lacking_a_selected_non_null_field_undoes_the_write(
    isolated_cruds, isolated_registry, caplog
):
    """graphql-core finds ``title`` missing after the write committed (the error without
    the undo); the answer is checked in the write's transaction instead, and the log says
    what the viewset left out."""
    crud = ViewSetCrud(ShortAnswerTaskViewSet, name="shortAnswerTask")
    create = (
        "mutation($input: CrudTaskWriteInput!) { createShortAnswerTask(input: $input) "
        "{ shortAnswerTask { %s } } }"
    )
    answer = _crud_answer(crud, create % "id", {"input": {"title": "kept"}})
    (kept,) = Task.objects.all()
    assert answer == {"data": {"createShortAnswerTask": {"shortAnswerTask": {"id": str(kept.pk)}}}}
    answer = _crud_answer(crud, create % "id title status", {"input": {"title": "undone"}})
    assert error(answer)["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert error(answer)["path"] == ["createShortAnswerTask"]
    assert answer["data"] == {"createShortAnswerTask": None}
    assert list(Task.objects.values_list("title", flat=True)) == ["kept"]
    assert (
        "ShortAnswerTaskViewSet.create() answered without CrudTaskWriteOutput.title, "
        "CrudTaskWriteOutput.status, which the payload holds non-null" in caplog.text
    )


class ListAnswerTaskViewSet(viewsets.ModelViewSet):
    """Answers its create with a list of the one row (REST's 201 is ``[{...}]``)."""

    queryset = Task.objects.order_by("pk")
    serializer_class = crud_views.CrudTaskWriteSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=[request.data], many=True)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(serializer.data, status=201)


def test_an_own_actions_list_answer_for_one_row_undoes_the_write(
    isolated_cruds, isolated_registry, caplog
):
    """Each item of the list holds every field; the list is still no row of the type."""
    crud = ViewSetCrud(ListAnswerTaskViewSet, name="listAnswerTask")
    answer = _crud_answer(
        crud,
        "mutation($input: CrudTaskWriteInput!) { createListAnswerTask(input: $input) "
        "{ listAnswerTask { id title } } }",
        {"input": {"title": "undone"}},
    )
    assert error(answer)["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert answer["data"] == {"createListAnswerTask": None}
    assert not Task.objects.exists()
    assert (
        "ListAnswerTaskViewSet.create() answered without CrudTaskWriteOutput.id, "
        "CrudTaskWriteOutput.title, which the payload holds non-null" in caplog.text
    )


class CallerFieldsTaskViewSet(viewsets.ModelViewSet):
    """Takes ``notes`` from the serializer its ``get_serializer()`` gives a caller who is
    not staff: REST's answers leave the key out."""

    queryset = Task.objects.order_by("pk")
    serializer_class = crud_views.CrudTaskWriteSerializer

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if not self.request.user.is_staff:
            getattr(serializer, "child", serializer).fields.pop("notes", None)
        return serializer


def test_a_serializer_get_serializer_took_a_selected_field_from_undoes_the_write(
    isolated_cruds, isolated_registry, caplog
):
    """The type holds ``notes`` non-null (the serializer class renders it); the mixin's
    create and update render without it. graphql-core found it missing after the commit:
    the answer is checked in the write's transaction, as an own action's is."""
    crud = ViewSetCrud(CallerFieldsTaskViewSet, name="callerFieldsTask")
    create = (
        "mutation($input: CrudTaskWriteInput!) { createCallerFieldsTask(input: $input) "
        "{ callerFieldsTask { %s } } }"
    )
    answer = _crud_answer(crud, create % "title", {"input": {"title": "kept"}})
    assert answer == {"data": {"createCallerFieldsTask": {"callerFieldsTask": {"title": "kept"}}}}
    answer = _crud_answer(crud, create % "title notes", {"input": {"title": "undone"}})
    assert error(answer)["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert error(answer)["path"] == ["createCallerFieldsTask"]
    assert answer["data"] == {"createCallerFieldsTask": None}
    (kept,) = Task.objects.all()
    assert kept.title == "kept"
    assert (
        "The serializer CallerFieldsTaskViewSet.get_serializer() gave for 'create' rendered "
        "no value for CrudTaskWriteOutput.notes, which the payload holds non-null" in caplog.text
    )
    update = (
        "mutation($id: ID!, $input: CrudTaskWritePartialInput!) { updateCallerFieldsTask("
        "id: $id, input: $input) { callerFieldsTask { notes } } }"
    )
    answer = _crud_answer(crud, update, {"id": str(kept.pk), "input": {"title": "changed"}})
    assert error(answer)["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    kept.refresh_from_db()
    assert kept.title == "kept"


class PlainWriteTaskViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = crud_views.CrudTaskWriteSerializer


def test_a_stored_choice_its_enum_cannot_represent_undoes_the_update(
    isolated_cruds, isolated_registry, caplog
):
    """REST renders ``archived`` as it is; the enum refuses it, inside the transaction."""
    crud = ViewSetCrud(PlainWriteTaskViewSet, name="plainWriteTask")
    task = TaskFactory(title="Old")
    Task.objects.filter(pk=task.pk).update(status="archived")
    answer = _crud_answer(
        crud,
        'mutation($id: ID!) { updatePlainWriteTask(id: $id, input: {title: "New"}) '
        "{ plainWriteTask { title status } } }",
        {"id": str(task.pk)},
    )
    assert error(answer)["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert answer["data"] == {"updatePlainWriteTask": None}
    task.refresh_from_db()
    assert task.title == "Old"
    assert (
        "The serializer of PlainWriteTaskViewSet's 'partial_update' rendered values their "
        "fields' types cannot represent (CrudTaskWriteOutput.status: Enum "
        "'CrudTaskWriteStatusChoices' cannot represent value: 'archived'" in caplog.text
    )


class JsonOnlyDocumentViewSet(viewsets.ModelViewSet):
    """Its parsers take JSON alone: REST refuses an upload's multipart body (415)."""

    queryset = Document.objects.order_by("pk")
    serializer_class = DocumentSerializer
    parser_classes = [JSONParser]


@pytest.mark.parametrize(
    ("viewset", "status", "code"),
    [
        (JsonOnlyDocumentViewSet, 415, "UNSUPPORTED_MEDIA_TYPE"),
        ("FileUploadDocumentViewSet", 400, "PARSE_ERROR"),
    ],
)
def test_uploads_to_a_viewset_whose_parsers_take_no_multipart_are_refused(
    isolated_cruds, isolated_registry, settings, tmp_path, viewset, status, code
):
    """As REST's parsing of the multipart body refuses them: no parser for it (415), or
    FileUploadParser, which reads a raw body named by its Content-Disposition (400)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIRequestFactory

    viewset = globals()[viewset] if isinstance(viewset, str) else viewset
    settings.MEDIA_ROOT = str(tmp_path)
    upload = SimpleUploadedFile("n.txt", b"x", content_type="text/plain")
    request = APIRequestFactory().post("/d/", {"name": "N", "file": upload}, format="multipart")
    response = viewset.as_view({"post": "create"})(request)
    assert response.status_code == status

    crud = ViewSetCrud(viewset, name="uploadedDocument")
    schema = graphene.Schema(
        query=type("DocQuery", (crud.Query, graphene.ObjectType), {}),
        mutation=type("DocMutation", (crud.Mutation, graphene.ObjectType), {}),
    )
    query = (
        'mutation($f: Upload) { createUploadedDocument(input: {name: "N", file: $f}) '
        "{ uploadedDocument { name } } }"
    )
    body = {
        "operations": json.dumps({"query": query, "variables": {"f": None}}),
        "map": json.dumps({"0": ["variables.f"]}),
        "0": SimpleUploadedFile("n.txt", b"x", content_type="text/plain"),
    }
    answer = json.loads(
        DRFGraphQLView.as_view(schema=schema)(RequestFactory().post("/graphql/", body)).content
    )
    assert error(answer)["extensions"] == {"code": code, "status": status}
    # REST's message, up to the multipart boundary each client chose.
    assert error(answer)["message"].split(";")[0] == str(response.data["detail"]).split(";")[0]
    assert not Document.objects.exists()
    # Without an upload, the input is the JSON body the viewset takes.
    if viewset is JsonOnlyDocumentViewSet:
        assert _crud_answer(
            crud,
            'mutation { createUploadedDocument(input: {name: "N"}) { uploadedDocument { name } } }',
            {},
        ) == {"data": {"createUploadedDocument": {"uploadedDocument": {"name": "N"}}}}


class SignedInOwnActionsViewSet(viewsets.ModelViewSet):
    """Its rows are the caller's (get_queryset() needs a signed-in user); its own update()
    and destroy() answer an anonymous caller before asking for them, as REST calls them."""

    serializer_class = crud_views.CrudTaskWriteSerializer

    def get_queryset(self):
        return Task.objects.filter(owner=self.request.user)

    def _signed_in(self, request):
        return None if request.user.is_authenticated else Response({"detail": "Sign in."}, 401)

    def partial_update(self, request, *args, **kwargs):
        return self._signed_in(request) or super().partial_update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        return self._signed_in(request) or super().destroy(request, *args, **kwargs)


def test_an_own_action_answers_before_its_get_queryset_runs(isolated_cruds, isolated_registry):
    """REST's dispatch asks for get_queryset() only when the action does: an anonymous
    caller gets the action's 401, not a 500 from a queryset built for no user."""
    crud = ViewSetCrud(SignedInOwnActionsViewSet, name="signedInTask")
    task = TaskFactory()
    for query, variables in [
        ("mutation($id: ID!) { deleteSignedInTask(id: $id) { deletedId } }", {"id": task.pk}),
        (
            "mutation($id: ID!, $input: CrudTaskWritePartialInput!) { updateSignedInTask("
            "id: $id, input: $input) { signedInTask { title } } }",
            {"id": task.pk, "input": {"title": "Changed"}},
        ),
    ]:
        answer = _crud_answer(crud, query, variables)
        assert error(answer)["message"] == "Sign in."
        assert error(answer)["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 401}
    assert Task.objects.filter(pk=task.pk, title=task.title).exists()


def test_an_own_actions_streamed_json_and_retry_after_are_read(isolated_cruds, isolated_registry):
    from django.http import StreamingHttpResponse

    class StreamingTaskViewSet(viewsets.ModelViewSet):
        queryset = Task.objects.order_by("pk")
        serializer_class = crud_views.CrudTaskWriteSerializer

        def retrieve(self, request, *args, **kwargs):
            task = self.get_object()
            if task.title == "busy":
                return Response({"detail": "Busy."}, status=429, headers={"Retry-After": "30"})
            body = json.dumps({"id": task.pk, "title": "café"}).encode("utf-16")
            return StreamingHttpResponse(
                iter([body]), content_type="application/json; charset=utf-16"
            )

    crud = ViewSetCrud(StreamingTaskViewSet, name="streamedTask")
    query = "query($id: ID!) { streamedTask(id: $id) { title } }"
    task, busy = TaskFactory(), TaskFactory(title="busy")
    assert _crud_answer(crud, query, {"id": task.pk}) == {
        "data": {"streamedTask": {"title": "café"}}
    }
    answer = _crud_answer(crud, query, {"id": busy.pk})
    assert error(answer)["message"] == "Busy."
    assert error(answer)["extensions"] == {"code": "THROTTLED", "status": 429, "retryAfter": 30}


class FileUploadDocumentViewSet(viewsets.ModelViewSet):
    """FileUploadParser, whose media type is */*: it reads a raw body named by its
    Content-Disposition, so REST refuses a multipart form (400)."""

    queryset = Document.objects.order_by("pk")
    serializer_class = DocumentSerializer
    parser_classes = [FileUploadParser]


class CountedObjectPermission(permissions.BasePermission):
    """Notes each object check, as an audit log would."""

    calls: list[int] = []

    def has_object_permission(self, request, view, obj):
        type(self).calls.append(obj.pk)
        return True


class DoneCountProjectSerializer(serializers.ModelSerializer):
    done_count = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "slug", "name", "done_count"]

    def get_done_count(self, project) -> int:
        return len(project.done_tasks)


class DistinctProjectViewSet(viewsets.ModelViewSet):
    """A lookup PostgreSQL cannot lock (distinct()), with a to_attr prefetch the serializer
    reads: locked by key and looked up again, its prefetch and object check as REST's."""

    queryset = Project.objects.distinct().prefetch_related(
        models.Prefetch("tasks", queryset=Task.objects.filter(status="done"), to_attr="done_tasks")
    )
    serializer_class = DoneCountProjectSerializer
    permission_classes = [CountedObjectPermission]


def test_a_lookup_locked_by_key_keeps_its_prefetch_and_one_object_check(
    isolated_cruds, isolated_registry
):
    project = ProjectFactory()
    TaskFactory(project=project, status="done")
    crud = ViewSetCrud(DistinctProjectViewSet, name="distinctProject")
    CountedObjectPermission.calls = []
    answer = _crud_answer(
        crud,
        'mutation($id: ID!) { updateDistinctProject(id: $id, input: {name: "New"}) '
        "{ distinctProject { name doneCount } } }",
        {"id": project.pk},
    )
    assert answer == {
        "data": {"updateDistinctProject": {"distinctProject": {"name": "New", "doneCount": 1}}}
    }
    assert CountedObjectPermission.calls == [project.pk]  # as REST's update checks it


# ------------------------------------------------------------------------------ trees


class DeclaredTreeSerializer(serializers.ModelSerializer):
    """A tree made by adding the field to the class's declared fields after it."""

    class Meta:
        model = Category
        fields = ["id", "name", "children"]


DeclaredTreeSerializer._declared_fields["children"] = DeclaredTreeSerializer(
    many=True, read_only=True
)


class DeclaredTreeViewSet(viewsets.ModelViewSet):
    queryset = Category.objects.all()
    serializer_class = DeclaredTreeSerializer


def test_a_tree_of_declared_fields_reads_and_writes_as_rest(isolated_cruds, isolated_registry):
    """Its fields are built the standard way, a class's once: building them level by
    level for the viewset's reads and answers never ended."""
    fruit = CategoryFactory(name="fruit")
    CategoryFactory(name="cox", parent=CategoryFactory(name="apple", parent=fruit))
    crud = ViewSetCrud(DeclaredTreeViewSet, name="declaredTree")
    selection = "id name children { id name children { id name children { id } } }"
    answer = _crud_answer(
        crud, "query($id: ID!) { declaredTree(id: $id) { " + selection + " } }", {"id": fruit.pk}
    )
    rest = DeclaredTreeViewSet.as_view({"get": "retrieve"})(
        RequestFactory().get("/"), pk=fruit.pk
    ).data
    assert answer == {"data": {"declaredTree": json.loads(json.dumps(rest), parse_int=str)}}
    answer = _crud_answer(
        crud,
        "mutation($input: DeclaredTreeInput!) { createDeclaredTree(input: $input) "
        "{ declaredTree { name children { id } } } }",
        {"input": {"name": "vegetables"}},
    )
    assert answer == {
        "data": {"createDeclaredTree": {"declaredTree": {"name": "vegetables", "children": []}}}
    }


# ------------------------------------------------------------------------------ backends' order


class FiltersThenSearchTaskViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = crud_views.CrudTaskWriteSerializer
    filter_backends = [DjangoFilterBackend, filters.SearchFilter]
    filterset_class = crud_views.CrudTaskFilter
    search_fields = ["title"]


class SearchThenFiltersTaskViewSet(FiltersThenSearchTaskViewSet):
    filter_backends = [filters.SearchFilter, DjangoFilterBackend]


@pytest.mark.parametrize(
    ("viewset", "expected"),
    [
        (
            FiltersThenSearchTaskViewSet,
            {"field": "filter.dueBefore", "message": "Enter a valid date.", "code": "invalid"},
        ),
        (
            SearchThenFiltersTaskViewSet,
            {
                "field": "search",
                "message": "Null characters are not allowed.",
                "code": "null_characters_not_allowed",
            },
        ),
    ],
)
def test_a_bad_filter_and_a_bad_search_answer_the_first_backends_error(
    viewset, expected, isolated_cruds, isolated_registry
):
    """REST's backends run in order, and the first to refuse answers: so here."""
    rest = viewset.as_view({"get": "list"})(
        RequestFactory().get("/", {"due_before": "soon", "search": "\x00"})
    )
    assert rest.status_code == 400
    messages = rest.data if isinstance(rest.data, list) else next(iter(rest.data.values()))
    assert [str(message) for message in messages] == [expected["message"]]
    crud = ViewSetCrud(viewset, name="orderedTask")
    answer = _crud_answer(
        crud,
        'query { orderedTasks(filter: {dueBefore: "soon"}, search: "\\u0000") { results { id } } }',
        {},
    )
    assert error(answer)["extensions"]["errors"] == [expected]
