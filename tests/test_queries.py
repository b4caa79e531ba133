"""RetrieveField and ListField: REST's representation, filters, pages, and a constant query count."""

import json
import warnings

import django_filters
import graphene
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.db.models import Count, F, Prefetch
from django.test import override_settings
from django.test.utils import CaptureQueriesContext, isolate_apps
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.widgets import CSVWidget, QueryArrayWidget
from graphene_django.views import GraphQLView
from rest_framework import exceptions, filters, serializers, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.routers import DefaultRouter
from rest_framework.test import APIRequestFactory, force_authenticate

from drf_graphql_crud import (
    DRFGraphQLView,
    ListField,
    RetrieveField,
    SerializerObjectType,
    ViewSetCrud,
    fieldcache,
    queries,
    query_hints,
)
from tests.factories import (
    CategoryFactory,
    ProjectFactory,
    SubtaskFactory,
    TagFactory,
    TaskFactory,
    UserFactory,
)
from tests.tables import tables
from tests.testapp.models import Category, Project, Subtask, Tag, Task
from tests.testapp.serializers import ProjectSerializer, SubtaskSerializer, TagSerializer

pytestmark = pytest.mark.django_db

METHOD_CALLS = []


class QueryTaskSerializer(serializers.ModelSerializer):
    """Every kind of relation: nested FK, reverse FK, M2M, a dotted source, a method."""

    project = ProjectSerializer(read_only=True)
    subtasks = SubtaskSerializer(many=True, read_only=True)
    tags = TagSerializer(many=True, read_only=True)
    tag_ids = serializers.PrimaryKeyRelatedField(source="tags", many=True, read_only=True)
    owner_name = serializers.CharField(source="owner.username", read_only=True, default=None)
    open_subtasks = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "status",
            "due_date",
            "owner",
            "project",
            "subtasks",
            "tags",
            "tag_ids",
            "owner_name",
            "open_subtasks",
        ]

    @query_hints(prefetch_related=["subtasks"])
    def get_open_subtasks(self, task) -> int:
        METHOD_CALLS.append(task.pk)
        return sum(not subtask.done for subtask in task.subtasks.all())


class TidiedSubtaskSerializer(serializers.ModelSerializer):
    """Renders its own way: reads ``done`` whatever the client selected."""

    class Meta:
        model = Subtask
        fields = ["id", "title", "done"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["title"] = data["title"] + (" (done)" if data["done"] else "")
        return data


class TidiedTaskSerializer(serializers.ModelSerializer):
    """Renders its own way: an empty ``notes`` becomes null, as many REST APIs do."""

    subtasks = TidiedSubtaskSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "notes", "subtasks"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["notes"] = data["notes"] or None
        return data


class PlainTaskTidiedSubtasksSerializer(serializers.ModelSerializer):
    subtasks = TidiedSubtaskSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "notes", "subtasks"]


class BackReferenceSubtaskSerializer(serializers.ModelSerializer):
    """Reads its task back through the reference Django's prefetch sets on each subtask."""

    task_title = serializers.CharField(source="task.title", read_only=True)

    class Meta:
        model = Subtask
        fields = ["id", "task_title"]


class BackReferenceTaskSerializer(serializers.ModelSerializer):
    subtasks = BackReferenceSubtaskSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "subtasks"]


class BriefSubtaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subtask
        fields = ["id", "title", "done"]


class OpenSubtasksList(serializers.ListSerializer):
    """Leaves out the subtasks of done tasks: it reads each subtask's task back."""

    def to_representation(self, data):
        rows = data.all() if hasattr(data, "all") else data
        return [self.child.to_representation(row) for row in rows if row.task.status != "done"]


class OpenSubtaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subtask
        fields = ["id", "title"]
        list_serializer_class = OpenSubtasksList


class OpenSubtasksTaskSerializer(serializers.ModelSerializer):
    subtasks = OpenSubtaskSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "subtasks"]


class UndoneSubtasksList(serializers.ListSerializer):
    """Reads the undone subtasks itself, a query per task: a prefetch would go unread."""

    def get_attribute(self, instance):
        return instance.subtasks.filter(done=False)


class UndoneSubtaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subtask
        fields = ["id", "title"]
        list_serializer_class = UndoneSubtasksList


class FirstProjectField(serializers.RelatedField):
    """Reads a row of its own, not the task's project: a join would go unread."""

    def get_attribute(self, instance):
        return Project.objects.order_by("pk").first()

    def to_representation(self, value):
        return value.slug


class OwnWayTaskSerializer(serializers.ModelSerializer):
    subtasks = UndoneSubtaskSerializer(many=True, read_only=True)
    project = FirstProjectField(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "subtasks", "project"]


class BriefSubtasksTaskSerializer(serializers.ModelSerializer):
    subtasks = BriefSubtaskSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "notes", "subtasks"]


class RecordsOrdering(BasePermission):
    """Notes REST's ``?ordering=`` as the request carries it (a view may refuse orders)."""

    seen: list = []

    def has_permission(self, request, view):
        self.seen.append(request.query_params.get("ordering"))
        return True


class DoublePriorityManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().annotate(double_priority=F("priority") * 2)


double_priority_tasks = DoublePriorityManager()
double_priority_tasks.model = Task


class QueryTaskFilter(django_filters.FilterSet):
    class Meta:
        model = Task
        fields = {"due_date": ["lt", "gte"], "status": ["exact"], "tags": ["exact"]}


class DenyListing(BasePermission):
    message = "No listing here."

    def has_permission(self, request, view):
        return not (view.action == "list" and request.method == "GET")


class Query(graphene.ObjectType):
    task = RetrieveField(QueryTaskSerializer)
    project = RetrieveField(ProjectSerializer, lookup_field="slug")
    tasks = ListField(
        QueryTaskSerializer,
        filterset_class=QueryTaskFilter,
        ordering_fields=["due_date", "title", "priority"],
        search_fields=["title", "notes"],
        max_limit=50,
    )
    digit_scored_tasks = ListField(
        QueryTaskSerializer,
        queryset=Task.objects.annotate(score_2=F("priority")),
        ordering_fields=["score_2", "title"],
    )
    todo_tasks = ListField(
        QueryTaskSerializer,
        queryset=Task.objects.filter(status="todo"),
        filterset_fields=["priority"],
    )
    denied_tasks = ListField(QueryTaskSerializer, permission_classes=[DenyListing])
    any_order_tasks = ListField(QueryTaskSerializer, ordering_fields="__all__")
    my_tasks = ListField(
        QueryTaskSerializer, queryset=lambda info: Task.objects.filter(owner=info.context.user.pk)
    )
    my_task = RetrieveField(
        QueryTaskSerializer, queryset=lambda info: Task.objects.filter(owner=info.context.user.pk)
    )
    tidied_task = RetrieveField(TidiedTaskSerializer)
    tidied_tasks = ListField(PlainTaskTidiedSubtasksSerializer)
    back_reference_tasks = ListField(BackReferenceTaskSerializer)
    brief_subtasks_tasks = ListField(BriefSubtasksTaskSerializer)
    open_subtasks_tasks = ListField(OpenSubtasksTaskSerializer)
    own_way_tasks = ListField(OwnWayTaskSerializer)
    scored_tasks = ListField(
        QueryTaskSerializer,
        queryset=lambda info: Task.objects.annotate(double_priority=F("priority") * 2),
        ordering_fields="__all__",
        permission_classes=[RecordsOrdering],
    )
    managed_tasks = ListField(
        QueryTaskSerializer,
        queryset=double_priority_tasks,
        ordering_fields="__all__",
        permission_classes=[RecordsOrdering],
    )
    # The README's per-caller rows, behind IsAuthenticated: the rows of a signed-in user.
    owned_tasks = ListField(
        QueryTaskSerializer,
        queryset=lambda info: owned_rows(info.context.user),
        permission_classes=[IsAuthenticated],
        ordering_fields=["title"],
    )


#: Callers of owned_rows (users), to see when the queryset callable runs.
OWNED_ROWS_CALLS = []


def owned_rows(user):
    OWNED_ROWS_CALLS.append(user)
    return Task.objects.filter(owner=user)  # an anonymous user is no owner: TypeError


class QueryTaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = QueryTaskSerializer
    queryset = Task.objects.all()


class TidiedTaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TidiedTaskSerializer
    queryset = Task.objects.all()


router = DefaultRouter()
router.register("query-tasks", QueryTaskViewSet, basename="query-task")
router.register("tidied-tasks", TidiedTaskViewSet, basename="tidied-task")

query_schema = graphene.Schema(query=Query)
urlpatterns = [
    path("graphql/", csrf_exempt(GraphQLView.as_view(schema=query_schema))),
    # With the document cache: a repeated operation comes back as the same parsed document.
    path("cached-graphql/", DRFGraphQLView.as_view(schema=query_schema)),
    path("api/", include(router.urls)),
]

ALL_FIELDS = (
    "id title status dueDate owner project { slug name } subtasks { title done } "
    "tags { name } tagIds ownerName openSubtasks"
)


def make_tasks(count):
    project, tags = ProjectFactory(), [TagFactory(), TagFactory()]
    for index in range(count):
        task = TaskFactory(project=project, title=f"Task {index:03}")
        task.tags.set(tags)
        SubtaskFactory.create_batch(2, task=task)


# ------------------------------------------------------------------------------ schema


def test_schema_shape():
    sdl = str(graphene.Schema(query=Query))
    roots = graphene.Schema(query=Query).graphql_schema.query_type.fields
    # Described as a mutation's lookup argument is ("The `pk` of the object to update.").
    assert {
        name: (str(roots[name].type), {arg: (str(a.type), a.description) for arg, a in args})
        for name, args in (
            ("task", roots["task"].args.items()),
            ("project", roots["project"].args.items()),
        )
    } == {
        "task": ("QueryTaskOutput", {"id": ("ID!", "The `pk` of the object to read.")}),
        "project": ("ProjectOutput", {"slug": ("String!", "The `slug` of the object to read.")}),
    }
    tasks = graphene.Schema(query=Query).graphql_schema.query_type.fields["tasks"]
    assert {name: str(arg.type) for name, arg in tasks.args.items()} == {
        "filter": "QueryTaskFilterInput",
        "search": "String",
        "orderBy": "[String!]",
        "limit": "Int",
        "offset": "Int",
    }
    assert str(tasks.type) == "QueryTaskOutputList"
    assert "input TaskByPriorityFilterInput {\n  priority: Int\n}" in sdl
    assert "type QueryTaskOutputList {" in sdl
    assert "totalCount: Int!" in sdl
    assert "results: [QueryTaskOutput!]!" in sdl
    assert "input QueryTaskFilterInput {" in sdl
    assert "dueDate_Lt: DateString" in sdl
    assert "openSubtasks: Int!" in sdl


# ------------------------------------------------------------------------------ retrieve


@pytest.mark.urls(__name__)
def test_retrieve_returns_what_rest_returns(gql, client):
    make_tasks(1)
    task = Task.objects.get()
    status, body = gql(
        f'{{ task(id: "{task.pk}") {{ id title ownerName tagIds project {{ slug }} }} }}'
    )
    rest = client.get(f"/api/query-tasks/{task.pk}/").json()
    assert body == {
        "data": {
            "task": {
                "id": str(rest["id"]),
                "title": rest["title"],
                "ownerName": rest["owner_name"],
                "tagIds": [str(pk) for pk in rest["tag_ids"]],
                "project": {"slug": rest["project"]["slug"]},
            }
        }
    }


@pytest.mark.urls(__name__)
def test_serializers_rendering_their_own_way_keep_every_field(gql, client):
    task = TaskFactory(notes="")
    SubtaskFactory(task=task, title="plan", done=True)
    rest = client.get(f"/api/tidied-tasks/{task.pk}/").json()
    assert rest["notes"] is None
    assert rest["subtasks"][0]["title"] == "plan (done)"
    # The overrides read `notes` and `done`, which the client did not select.
    status, body = gql(f'{{ tidiedTask(id: "{task.pk}") {{ title subtasks {{ title }} }} }}')
    assert (status, body) == (
        200,
        {"data": {"tidiedTask": {"title": task.title, "subtasks": [{"title": "plan (done)"}]}}},
    )
    # Only the nested serializer renders its own way: the list's rows are still pruned.
    status, body = gql("{ tidiedTasks { results { title subtasks { title } } } }")
    assert body == {
        "data": {
            "tidiedTasks": {
                "results": [{"title": task.title, "subtasks": [{"title": "plan (done)"}]}]
            }
        }
    }


@pytest.mark.urls(__name__)
def test_retrieve_by_slug_and_not_found(gql):
    ProjectFactory(slug="garden", name="Garden")
    assert gql('{ project(slug: "garden") { name } }')[1] == {
        "data": {"project": {"name": "Garden"}}
    }
    status, body = gql('{ project(slug: "nope") { name } }')
    assert body["data"] == {"project": None}
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "status": 404}
    assert body["errors"][0]["message"] == "No Project matches the given query."


@pytest.mark.urls(__name__)
def test_retrieve_outside_the_queryset_is_not_found(gql):
    class Local(graphene.ObjectType):
        todo = RetrieveField(QueryTaskSerializer, queryset=Task.objects.filter(status="todo"))

    done = TaskFactory(status="done")
    result = graphene.Schema(query=Local).execute(
        f'{{ todo(id: "{done.pk}") {{ id }} }}', context_value=None
    )
    assert result.data == {"todo": None}
    assert result.errors[0].extensions["code"] == "NOT_FOUND"


# ------------------------------------------------------------------------------ list


def titles(body, field="tasks"):
    return [task["title"] for task in body["data"][field]["results"]]


@pytest.mark.urls(__name__)
def test_list_returns_what_rest_returns(gql, client):
    make_tasks(3)
    status, body = gql("{ tasks { totalCount results { id title tagIds subtasks { title } } } }")
    rest = client.get("/api/query-tasks/").json()
    assert body["data"]["tasks"]["totalCount"] == 3
    assert body["data"]["tasks"]["results"] == [
        {
            "id": str(task["id"]),
            "title": task["title"],
            "tagIds": [str(pk) for pk in task["tag_ids"]],
            "subtasks": [{"title": subtask["title"]} for subtask in task["subtasks"]],
        }
        for task in rest
    ]


@pytest.mark.urls(__name__)
def test_filters_are_typed_and_applied(gql):
    red = TagFactory(name="red")
    TaskFactory(title="Early", due_date="2025-01-01").tags.add(red)
    TaskFactory(title="Late", due_date="2027-01-01")
    TaskFactory(title="Done early", due_date="2025-02-01", status="done")
    status, body = gql(
        '{ tasks(filter: {dueDate_Lt: "2026-01-01", status: "todo"}) { totalCount results { title } } }'
    )
    assert body == {"data": {"tasks": {"totalCount": 1, "results": [{"title": "Early"}]}}}
    status, body = gql(f'{{ tasks(filter: {{tags: ["{red.pk}"]}}) {{ results {{ title }} }} }}')
    assert titles(body) == ["Early"]


@pytest.mark.urls(__name__)
def test_invalid_filter_value_is_a_validation_error(gql):
    status, body = gql('{ tasks(filter: {dueDate_Lt: "soon"}) { totalCount } }')
    assert body["data"] == {"tasks": None}
    assert body["errors"][0]["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [
            {"field": "filter.dueDate_Lt", "message": "Enter a valid date.", "code": "invalid"}
        ],
    }


@pytest.mark.urls(__name__)
def test_filterset_fields_and_queryset(gql):
    TaskFactory(title="Todo high", priority=3)
    TaskFactory(title="Todo low", priority=1)
    TaskFactory(title="Done high", priority=3, status="done")
    status, body = gql("{ todoTasks(filter: {priority: 3}) { results { title } } }")
    assert titles(body, "todoTasks") == ["Todo high"]


@pytest.fixture
def isolated_read_fields():
    """Read fields and type names a test defines leave no trace for later system checks."""
    from drf_graphql_crud.types import registry

    saved = (list(queries.read_fields), dict(registry._by_name), list(registry.collisions))
    yield registry
    queries.read_fields[:] = saved[0]
    registry._by_name = saved[1]
    registry.collisions[:] = saved[2]


def test_filterset_fields_name_their_lookups(isolated_read_fields):
    from drf_graphql_crud.filters import filterset_for_fields

    collisions = list(isolated_read_fields.collisions)

    def filter_input(**kwargs):
        field = ListField(QueryTaskSerializer, **kwargs)
        return field.args["filter"].type, field.filterset_class

    gte, gte_set = filter_input(filterset_fields={"priority": ["gte"]})
    exact_lt, exact_lt_set = filter_input(filterset_fields={"priority": ["exact", "lt"]})
    assert (gte._meta.name, gte_set.__qualname__) == (
        "TaskByPriorityGteFilterInput",
        "TaskByPriorityGteFilter",
    )
    assert exact_lt._meta.name == "TaskByPriorityExactLtFilterInput"
    assert set(gte._meta.fields) == {"priority__gte"}
    assert set(exact_lt._meta.fields) == {"priority", "priority__lt"}
    # A list, and a dict of "exact" lookups only, keep the names they always had: one set.
    assert filterset_for_fields(Task, ["priority"]).__name__ == "TaskByPriorityFilter"
    assert filterset_for_fields(Task, {"priority": ["exact"]}) is filterset_for_fields(
        Task, ["priority"]
    )
    # Lookup order does not matter; the same spec is the same set, whatever list asks.
    assert filterset_for_fields(Task, {"priority": ["lt", "exact"]}) is exact_lt_set
    assert isolated_read_fields.collisions == collisions  # no E003: each list its own input


@pytest.mark.urls(__name__)
def test_search_uses_drf_search_filter_rules(gql):
    TaskFactory(title="Paint the fence", notes="")
    TaskFactory(title="Buy paint", notes="white")
    TaskFactory(title="Mow", notes="paint later")
    TaskFactory(title="Rest", notes="")
    assert titles(gql('{ tasks(search: "paint") { results { title } } }')[1]) == [
        "Paint the fence",
        "Buy paint",
        "Mow",
    ]
    assert titles(gql('{ tasks(search: "paint white") { results { title } } }')[1]) == ["Buy paint"]


@pytest.mark.urls(__name__)
def test_a_search_of_more_terms_than_max_search_terms_is_refused(gql, settings):
    """Each term is one more condition over every search field: 1,000 of them were a 500
    on SQLite ("Expression tree is too large") and seconds of PostgreSQL's time."""
    TaskFactory(title="Buy paint", notes="white")
    settings.DRF_GRAPHQL_CRUD = {"MAX_SEARCH_TERMS": 3}
    query = "query($s: String) { tasks(search: $s) { results { title } } }"
    # Counted as SearchFilter splits them: commas too, a quoted phrase as one term.
    body = gql(query, {"s": 'buy, "white paint" x'})[1]
    assert body == {"data": {"tasks": {"results": []}}}
    body = gql(query, {"s": " ".join(["paint"] * 4)})[1]
    assert body["data"] == {"tasks": None}
    assert body["errors"][0]["extensions"]["errors"] == [
        {
            "field": "search",
            "message": "Ensure this field has no more than 3 search terms.",
            "code": "max_length",
        }
    ]
    settings.DRF_GRAPHQL_CRUD = {"MAX_SEARCH_TERMS": None}
    body = gql(query, {"s": " ".join(["paint"] * 100)})[1]
    assert titles(body) == ["Buy paint"]  # no cap, as asked


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("text", "message", "code"),
    [
        ("buy\x00paint", "Null characters are not allowed.", "null_characters_not_allowed"),
        (
            "buy\ud800",
            "Surrogate characters are not allowed: U+D800.",
            "surrogate_characters_not_allowed",
        ),
    ],
)
def test_a_search_drf_refuses_is_refused_at_search(gql, text, message, code):
    """DRF's SearchFilter reads the text with a CharField: REST's 400 is
    ``["Null characters are not allowed."]``, a message alone; here it names ``search``."""
    TaskFactory(title="Buy paint")
    query = "query($s: String) { tasks(search: $s) { results { title } } }"
    body = gql(query, {"s": text})[1]
    assert body["data"] == {"tasks": None}
    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": "search", "message": message, "code": code}
    ]


@pytest.mark.urls(__name__)
def test_order_by_takes_at_most_a_hundred_terms(gql):
    """Three orderable fields, and more terms than that are still served (a repeated one, as
    REST's OrderingFilter takes it), up to 100: 100,000 unknown terms were as many errors,
    each naming the fields (a 500 KB request answered with 12 MB)."""
    body = gql('{ tasks(orderBy: ["title", "-title", "priority", "title"]) { totalCount } }')[1]
    assert body == {"data": {"tasks": {"totalCount": 0}}}
    query = "query($o: [String!]) { tasks(orderBy: $o) { totalCount } }"
    body = gql(query, {"o": ["x"] * 101})[1]
    assert body["errors"][0]["extensions"]["errors"] == [
        {
            "field": "orderBy",
            "message": "Ensure this field has no more than 100 elements.",
            "code": "max_length",
        }
    ]


@pytest.mark.urls(__name__)
def test_ordering_and_pages(gql):
    for index, title in enumerate(["b", "a", "d", "c"]):
        TaskFactory(title=f"Task {title}", priority=index)
    body = gql('{ tasks(orderBy: ["-title"]) { results { title } } }')[1]
    assert titles(body) == ["Task d", "Task c", "Task b", "Task a"]
    body = gql(
        '{ tasks(orderBy: ["title"], limit: 2, offset: 1) { totalCount results { title } } }'
    )[1]
    assert body == {
        "data": {"tasks": {"totalCount": 4, "results": [{"title": "Task b"}, {"title": "Task c"}]}}
    }
    body = gql('{ tasks(orderBy: ["-dueDate", "priority"]) { results { title } } }')[1]
    assert titles(body) == ["Task b", "Task a", "Task d", "Task c"]


def test_a_page_past_the_count_of_an_order_across_tags_is_read_as_rest_reads_it(rf):
    """Ordered across a many-to-many, a row comes once per tag: more rows than ``count()``.
    LimitOffsetPagination reads a page at an offset equal to the count; the list answered
    none there when ``totalCount`` was selected, and the page when it was not."""
    from rest_framework.pagination import LimitOffsetPagination

    class Rows(viewsets.ReadOnlyModelViewSet):
        queryset = Task.objects.all()
        serializer_class = QueryTaskSerializer
        filter_backends = [filters.OrderingFilter]
        ordering_fields = ["tags__name", "id"]
        pagination_class = LimitOffsetPagination
        authentication_classes = []

    class TagOrderQuery(graphene.ObjectType):
        tasks = ListField(QueryTaskSerializer, ordering_fields=["tags__name", "id"])

    red, blue = TagFactory(name="red"), TagFactory(name="blue")
    both, one = TaskFactory(title="both"), TaskFactory(title="one")
    both.tags.set([red, blue])
    one.tags.set([red])
    view = DRFGraphQLView.as_view(schema=graphene.Schema(query=TagOrderQuery))
    for offset in (2, 3):  # at the count, and past it (where REST reads no page)
        request = rf.get("/", {"ordering": "tags__name,id", "limit": 10, "offset": offset})
        rest = Rows.as_view({"get": "list"})(request).data
        titles = [row["title"] for row in rest["results"]]
        assert (rest["count"], titles) == (2, ["one"] if offset == 2 else [])
        for selected in ("totalCount results { title }", "results { title }"):
            query = (
                f'{{ tasks(orderBy: ["tags__name", "id"], limit: 10, offset: {offset}) '
                f"{{ {selected} }} }}"
            )
            answer = json.loads(view(rf.post("/", {"query": query}, "application/json")).content)
            assert [row["title"] for row in answer["data"]["tasks"]["results"]] == titles


@pytest.mark.urls(__name__)
def test_bad_ordering_and_page_arguments(gql):
    body = gql('{ tasks(orderBy: ["title", "secret"]) { totalCount } }')[1]
    assert body["errors"][0]["extensions"]["errors"] == [
        {
            "field": "orderBy.1",
            "message": "Cannot order by 'secret'; choose from due_date, title, priority.",
            "code": "invalid_ordering",
        }
    ]
    # Field names, or exactly their camelCase, which graphene makes: "score2" for "score_2"
    # (no snake_case of it), while "Priority" and "DueDate" name no field.
    body = gql('{ digitScoredTasks(orderBy: ["-score2", "score_2"]) { totalCount } }')[1]
    assert body == {"data": {"digitScoredTasks": {"totalCount": 0}}}
    # Field names, or their camelCase: "Priority" and "DueDate" name no field.
    body = gql('{ tasks(orderBy: ["Priority", "DueDate", "dueDate"]) { totalCount } }')[1]
    assert [error["field"] for error in body["errors"][0]["extensions"]["errors"]] == [
        "orderBy.0",
        "orderBy.1",
    ]
    # One '-' descends, as OrderingFilter strips one: "--title" names no field.
    body = gql('{ tasks(orderBy: ["--title"]) { totalCount } }')[1]
    assert body["errors"][0]["extensions"]["errors"] == [
        {
            "field": "orderBy.0",
            "message": "Cannot order by '-title'; choose from due_date, title, priority.",
            "code": "invalid_ordering",
        }
    ]
    # Without introspection, the names are the schema's to hide.
    with override_settings(DRF_GRAPHQL_CRUD={"INTROSPECTION": False}):
        body = gql('{ tasks(orderBy: ["secret"]) { totalCount } }')[1]
    assert body["errors"][0]["extensions"]["errors"][0]["message"] == "Cannot order by 'secret'."
    # A character the eye cannot see shows in the message, escaped.
    body = gql('{ tasks(orderBy: ["title\\u200b"]) { totalCount } }')[1]
    assert body["errors"][0]["extensions"]["errors"][0]["message"] == (
        "Cannot order by 'title\\u200b'; choose from due_date, title, priority."
    )
    body = gql("{ tasks(limit: -1, offset: -5) { totalCount } }")[1]
    assert body["errors"][0]["extensions"]["errors"] == [
        {
            "field": "limit",
            "message": "Ensure this value is greater than or equal to 0.",
            "code": "min_value",
        },
        {
            "field": "offset",
            "message": "Ensure this value is greater than or equal to 0.",
            "code": "min_value",
        },
    ]


@pytest.mark.urls(__name__)
def test_limit_is_capped_at_max_limit(gql):
    make_tasks(60)
    body = gql("{ tasks(limit: 1000) { totalCount results { id } } }")[1]
    assert body["data"]["tasks"]["totalCount"] == 60
    assert len(body["data"]["tasks"]["results"]) == 50
    # 0 is no limit given, as LimitOffsetPagination reads ?limit=0: the default.
    body = gql("{ tasks(limit: 0) { results { id } } }")[1]
    assert len(body["data"]["tasks"]["results"]) == 50


@pytest.mark.urls(__name__)
def test_search_under_a_renamed_search_param(gql, settings):
    """SearchFilter reads the parameter it was given at import, whatever SEARCH_PARAM says
    now; the search still applies, as under REST."""
    TaskFactory(title="Buy paint")
    TaskFactory(title="Rest")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "SEARCH_PARAM": "q"}
    assert titles(gql('{ tasks(search: "paint") { results { title } } }')[1]) == ["Buy paint"]


@pytest.mark.urls(__name__)
def test_ordering_fields_all_orders_by_any_column(gql):
    """DRF's "__all__": every column of the model (and annotation)."""
    for index, title in enumerate(["b", "a", "c"]):
        TaskFactory(title=f"Task {title}", priority=index)

    def ordered(term):
        body = gql(f'{{ anyOrderTasks(orderBy: ["{term}"]) {{ results {{ title }} }} }}')[1]
        return [row["title"] for row in body["data"]["anyOrderTasks"]["results"]]

    assert ordered("-priority") == ["Task c", "Task a", "Task b"]
    assert ordered("title") == ["Task a", "Task b", "Task c"]
    body = gql('{ anyOrderTasks(orderBy: ["secret"]) { totalCount } }')[1]
    [error] = body["errors"][0]["extensions"]["errors"]
    assert error["field"] == "orderBy.0"
    # Every column may be no field of the serializer's (a password): none is named.
    assert error["message"] == "Cannot order by 'secret'."
    field = query_schema.graphql_schema.query_type.fields["anyOrderTasks"]
    assert field.args["orderBy"].description == "Any column of the model; '-' descends."


@pytest.mark.urls(__name__)
def test_permission_classes_see_list_and_get(gql):
    gql.force_login(UserFactory())
    body = gql("{ deniedTasks { totalCount } }")[1]
    assert body["errors"][0]["message"] == "No listing here."
    assert body["errors"][0]["extensions"] == {"code": "PERMISSION_DENIED", "status": 403}


# ------------------------------------------------------------------------------ query counts


def count_queries(gql, query):
    with CaptureQueriesContext(connection) as captured:
        status, body = gql(query)
    assert "errors" not in body, body
    return [q["sql"] for q in captured.captured_queries if "django_session" not in q["sql"]]


@pytest.mark.urls(__name__)
def test_query_count_does_not_grow_with_rows(gql):
    query = f"{{ tasks(limit: 100) {{ totalCount results {{ {ALL_FIELDS} }} }} }}"
    make_tasks(10)
    ten = count_queries(gql, query)
    make_tasks(90)
    hundred = count_queries(gql, query)
    # count, tasks joined with project and owner, subtasks, tags (the method field's
    # subtasks hint is the same prefetch).
    assert len(ten) == len(hundred) == 4


@pytest.mark.urls(__name__)
def test_rows_read_back_from_a_prefetch_are_loaded_whole(gql):
    """Each prefetched subtask points back at its task: a nested serializer reading the
    task's title through it finds the column loaded, not deferred by ``only()`` (which
    cost a query per row)."""
    query = "{ backReferenceTasks { results { id subtasks { id taskTitle } } } }"
    make_tasks(2)
    two = count_queries(gql, query)
    make_tasks(10)
    twelve = count_queries(gql, query)
    assert len(two) == len(twelve) == 2  # the tasks, their subtasks
    status, body = gql(query)
    titles = {
        row["subtasks"][0]["taskTitle"] for row in body["data"]["backReferenceTasks"]["results"]
    }
    assert titles == set(Task.objects.values_list("title", flat=True))


@pytest.mark.urls(__name__)
def test_a_list_serializer_of_its_own_may_read_the_row_back(gql):
    query = "{ openSubtasksTasks { results { id subtasks { id } } } }"
    make_tasks(2)
    two = count_queries(gql, query)
    make_tasks(10)
    assert len(two) == len(count_queries(gql, query)) == 2


def test_a_generic_relation_leaves_only_alone():
    """A GenericRelation is one-to-many with no reference field back: its rows may read
    anything, so the row is loaded whole (and nothing fails looking for the reference)."""
    from types import SimpleNamespace

    from drf_graphql_crud.queries import _may_read_back

    nested = BriefSubtaskSerializer(many=True, read_only=True)
    generic = SimpleNamespace(related_model=Subtask, one_to_many=True)
    assert _may_read_back(nested, generic) is True
    assert _may_read_back(nested, Task._meta.get_field("subtasks")) is False


@pytest.mark.urls(__name__)
def test_related_rows_that_read_nothing_back_keep_only(gql):
    """Subtasks rendered from their own columns: the tasks still load only what is read."""
    make_tasks(3)
    sql = count_queries(gql, "{ briefSubtasksTasks { results { id title subtasks { id } } } }")
    assert len(sql) == 2
    assert '"title"' in sql[0] and '"notes"' not in sql[0]


@pytest.mark.urls(__name__)
def test_fields_reading_their_value_their_own_way_get_no_join_or_prefetch(gql):
    """As REST runs them: the list, then each task's own subtask query and project query.
    The subtasks' prefetch and the project's join, which nothing read, were one query
    (and a join) more than REST."""
    make_tasks(3)
    sql = count_queries(gql, "{ ownWayTasks { results { id subtasks { id } project } } }")
    assert len(sql) == 1 + 3 + 3
    assert "JOIN" not in sql[0].upper()
    per_task = sql[1:]
    assert sum('"testapp_subtask"."done"' in query for query in per_task) == 3
    assert sum('FROM "testapp_project"' in query for query in per_task) == 3


@pytest.mark.urls(__name__)
def test_scalar_selection_joins_and_prefetches_nothing(gql, django_assert_num_queries):
    make_tasks(5)
    sql = count_queries(gql, "{ tasks { results { id title status owner } } }")
    assert len(sql) == 1
    assert "JOIN" not in sql[0].upper()
    # Only the selected columns (owner is read as owner_id), nothing else of the row.
    assert '"notes"' not in sql[0] and '"estimate"' not in sql[0]
    assert '"owner_id"' in sql[0] and '"title"' in sql[0]


@pytest.mark.urls(__name__)
def test_only_is_not_used_when_a_field_may_read_more(gql):
    make_tasks(2)
    # A method field may read any attribute: the whole row is loaded.
    sql = count_queries(gql, "{ tasks { results { title openSubtasks } } }")
    assert '"notes"' in sql[0]


@pytest.mark.urls(__name__)
def test_unselected_fields_are_not_computed(gql):
    make_tasks(3)
    METHOD_CALLS.clear()
    gql("{ tasks { results { title } } }")
    assert METHOD_CALLS == []
    gql("{ tasks { results { openSubtasks } } }")
    assert len(METHOD_CALLS) == 3


def _answer(schema, query, variables=None):
    body = json.dumps({"query": query, "variables": variables or {}})
    request = APIRequestFactory().post("/graphql/", body, content_type="application/json")
    return json.loads(DRFGraphQLView.as_view(schema=schema)(request).content)


class DeferProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "slug"]


class DeferTaskSerializer(serializers.ModelSerializer):
    project = DeferProjectSerializer(read_only=True)
    owner_name = serializers.CharField(source="owner.username", read_only=True, default=None)

    class Meta:
        model = Task
        fields = ["id", "title", "project", "owner_name"]


@pytest.mark.parametrize(
    ("rows", "joined"),
    [
        (lambda: Task.objects.defer("notes"), True),
        (lambda: Task.objects.only("id", "title", "project", "owner"), True),
        (lambda: Task.objects.defer("project__name"), True),
        (lambda: Task.objects.only("id", "title"), False),  # the relations are deferred
        (lambda: Task.objects.defer("project"), False),
        (lambda: Task.objects.defer("project_id"), False),  # the relation, by its column
        (lambda: Task.objects.only("id", "title", "project_id", "owner_id"), True),
        (lambda: Task.objects.only("id", "title", "project__slug", "owner__username"), True),
    ],
    ids=[
        "defer-notes",
        "only-keys",
        "defer-related-column",
        "only-no-keys",
        "defer-key",
        "defer-key-column",
        "only-key-columns",
        "only-related-columns",
    ],
)
def test_a_deferring_queryset_keeps_the_joins_through_what_it_loads(
    isolated_registry, rows, joined
):
    """A project's queryset deferring a column (``defer("notes")``) got no joins at all, so
    its queries grew with the rows (as REST's do); the joins through the relations it loads
    are made, those through a deferred one (Django refuses them) are not."""

    class DeferQuery(graphene.ObjectType):
        deferring_tasks = ListField(DeferTaskSerializer, queryset=lambda info: rows())

    schema = graphene.Schema(query=DeferQuery)
    query = "{ deferringTasks { results { id title project { slug } ownerName } } }"
    counts = []
    for count in (2, 5):
        Task.objects.all().delete()
        tasks = [TaskFactory(project=ProjectFactory(), owner=UserFactory()) for _ in range(count)]
        with CaptureQueriesContext(connection) as queries_run:
            body = _answer(schema, query)
        expected = [
            {
                "id": str(task.pk),
                "title": task.title,
                "project": {"slug": task.project.slug},
                "ownerName": task.owner.username,
            }
            for task in tasks
        ]
        assert body == {"data": {"deferringTasks": {"results": expected}}}
        counts.append(len(queries_run))
    assert (counts[0] == counts[1]) is joined, counts


class GuardedTaskSerializer(serializers.ModelSerializer):
    """A field a caller may skip: computing it refuses (as a staff-only field may)."""

    secret = serializers.SerializerMethodField()
    project = ProjectSerializer(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "secret", "project"]

    def get_secret(self, obj) -> str:
        raise exceptions.PermissionDenied("Staff only.")


def test_a_field_skipped_by_a_directive_is_neither_computed_nor_fetched(isolated_registry):
    """``@skip``/``@include`` leave a field out as if it were not selected, as graphql-core
    leaves it out of the answer: it was computed anyway, so its refusal failed the whole
    read, and a skipped nested field was joined. The same document, with other variables,
    selects what its own variables say."""
    task = TaskFactory(project=ProjectFactory())

    class GuardedQuery(graphene.ObjectType):
        guarded_tasks = ListField(GuardedTaskSerializer)
        guarded_task = RetrieveField(GuardedTaskSerializer)

    schema = graphene.Schema(query=GuardedQuery)

    def answer(query, variables=None):
        return _answer(schema, query, variables)

    row = {"id": str(task.pk), "title": task.title}
    for query in (
        "{ guardedTasks { results { id title secret @skip(if: true) } } }",
        "{ guardedTasks { results { id title ... @include(if: false) { secret } } } }",
    ):
        assert answer(query) == {"data": {"guardedTasks": {"results": [row]}}}
    query = (
        "query($staff: Boolean!, $id: ID!) { guardedTask(id: $id) "
        "{ id title secret @include(if: $staff) project @include(if: $staff) { slug } } }"
    )
    for staff in (False, True, False):
        with CaptureQueriesContext(connection) as queries_run:
            body = answer(query, {"staff": staff, "id": task.pk})
        if staff:
            assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
        else:
            assert body == {"data": {"guardedTask": row}}
            assert len(queries_run) == 1
            assert "JOIN" not in queries_run[0]["sql"]
    # A null "if" is graphql-core's error, where it meets the node: the row's.
    query = (
        "query($staff: Boolean = false) "
        "{ guardedTasks { results { id secret @include(if: $staff) } } }"
    )
    body = answer(query, {"staff": None})
    assert [(error["message"], error["path"]) for error in body["errors"]] == [
        (
            "Argument 'if' of non-null type 'Boolean!' must not be null.",
            ["guardedTasks", "results", 0],
        )
    ]


@pytest.mark.urls(__name__)
def test_retrieve_query_count_and_fragments(gql):
    make_tasks(1)
    task = Task.objects.get()
    query = (
        f'{{ task(id: "{task.pk}") {{ ...parts }} }} '
        "fragment parts on QueryTaskOutput { title subtasks { title } tags { name } }"
    )
    sql = count_queries(gql, query)
    assert len(sql) == 3  # the task, its subtasks, its tags
    assert gql(query)[1]["data"]["task"]["tags"] == [{"name": t.name} for t in task.tags.all()]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("field", ["tasks { results { ...F0 } }", 'task(id: "1") { ...F0 }'])
def test_fragments_spread_twice_each_are_merged_once(gql, monkeypatch, field):
    """Each fragment spreads the next one twice: a 1 KB document made 2 ** 22 merges of the
    selection (a worker held for minutes); a fragment merged once into a subtree is not
    merged again."""
    from drf_graphql_crud import queries

    merges = []
    merge = queries._SelectionWalk.merge
    monkeypatch.setattr(
        queries._SelectionWalk, "merge", lambda *args: merges.append(1) or merge(*args)
    )
    count = 24
    fragments = " ".join(
        f"fragment F{i} on QueryTaskOutput {{ title ...F{i + 1} ...F{i + 1} }}"
        for i in range(count)
    )
    query = f"{{ {field} }} {fragments} fragment F{count} on QueryTaskOutput {{ title }}"
    make_tasks(1)
    status, body = gql(query.replace('"1"', f'"{Task.objects.get().pk}"'))
    assert "errors" not in body
    assert len(merges) < 10 * count


def test_total_count_only_runs_only_the_count(gql, settings):
    settings.ROOT_URLCONF = __name__
    make_tasks(3)
    sql = count_queries(gql, "{ tasks { totalCount } }")
    assert len(sql) == 1
    assert "COUNT" in sql[0].upper()


@pytest.mark.parametrize(("rows", "offset"), [(0, 0), (3, 3), (3, 30)])
def test_no_page_query_past_the_last_row(gql, settings, rows, offset):
    """As LimitOffsetPagination: with the count known, an empty table or an offset past
    the end reads no page."""
    settings.ROOT_URLCONF = __name__
    make_tasks(rows)
    query = f"{{ tasks(offset: {offset}) {{ totalCount results {{ title }} }} }}"
    sql = count_queries(gql, query)
    assert len(sql) == 1
    assert "COUNT" in sql[0].upper()
    assert gql(query)[1] == {"data": {"tasks": {"totalCount": rows, "results": []}}}


def test_the_last_rows_are_still_read(gql, settings):
    settings.ROOT_URLCONF = __name__
    make_tasks(3)
    body = gql("{ tasks(offset: 2) { totalCount results { title } } }")[1]
    assert body["data"]["tasks"]["totalCount"] == 3
    assert len(body["data"]["tasks"]["results"]) == 1


@pytest.mark.urls(__name__)
def test_queryset_callable_scopes_per_caller(gql):
    me, other = UserFactory(), UserFactory()
    mine, theirs = TaskFactory(owner=me, title="Mine"), TaskFactory(owner=other, title="Theirs")
    gql.force_login(me)
    assert gql("{ myTasks { totalCount results { title } } }")[1] == {
        "data": {"myTasks": {"totalCount": 1, "results": [{"title": "Mine"}]}}
    }
    assert gql(f'{{ myTask(id: "{mine.pk}") {{ title }} }}')[1] == {
        "data": {"myTask": {"title": "Mine"}}
    }
    body = gql(f'{{ myTask(id: "{theirs.pk}") {{ title }} }}')[1]
    assert body["data"] == {"myTask": None}
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "status": 404}


# ------------------------------------------------------------------------------ per selection


class ViewerTaskSerializer(QueryTaskSerializer):
    """Drops a field per request, as serializers that tailor fields to the caller do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and not request.user.is_staff:
            self.fields.pop("owner_name")


class ViewerQuery(graphene.ObjectType):
    viewer_tasks = ListField(ViewerTaskSerializer)


urlpatterns.append(
    path("viewer-graphql/", DRFGraphQLView.as_view(schema=graphene.Schema(query=ViewerQuery)))
)


@pytest.fixture
def hint_calls(monkeypatch):
    """The serializers the query hints were computed for, one entry per computation."""
    calls = []
    compute = queries.hints_for

    def counting(serializer, model):
        calls.append(type(getattr(serializer, "child", serializer)).__name__)
        return compute(serializer, model)

    monkeypatch.setattr(queries, "hints_for", counting)
    return calls


def post_cached(client, query, url="/cached-graphql/"):
    response = client.post(url, {"query": query}, content_type="application/json")
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def post_twice_then_forget_calls(client, query, hint_calls):
    """The first request of a process builds the prototypes, which starts a new generation."""
    post_cached(client, query)
    post_cached(client, query)
    hint_calls.clear()


@pytest.mark.urls(__name__)
def test_hints_are_computed_once_per_selection(client, hint_calls):
    make_tasks(3)
    query = f"{{ tasks {{ results {{ {ALL_FIELDS} }} }} }}"
    post_twice_then_forget_calls(client, query, hint_calls)
    answers = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            answers.append(post_cached(client, query))
        assert len(captured.captured_queries) == 3  # tasks joined, subtasks, tags
    assert answers[0] == answers[1] == answers[2]
    assert hint_calls == []
    # Another selection has hints of its own: plain columns, loaded with only().
    with CaptureQueriesContext(connection) as captured:
        post_cached(client, "{ tasks { results { title } } }")
        post_cached(client, "{ tasks { results { title } } }")
    assert hint_calls == ["QueryTaskSerializer"]
    assert all('"notes"' not in q["sql"] for q in captured.captured_queries)
    # And another field with the same selection.
    task = Task.objects.order_by("pk").first()
    post_cached(client, f'{{ task(id: "{task.pk}") {{ title tags {{ name }} }} }}')
    post_cached(client, f'{{ task(id: "{task.pk}") {{ title tags {{ name }} }} }}')
    assert hint_calls == ["QueryTaskSerializer"] * 2


@pytest.mark.urls(__name__)
def test_hints_are_computed_again_when_fields_are_rebuilt(client, hint_calls):
    make_tasks(1)
    query = "{ tasks { results { title project { name } } } }"
    post_twice_then_forget_calls(client, query, hint_calls)
    answer = post_cached(client, query)
    assert hint_calls == []
    fieldcache.clear()  # as a change of REST_FRAMEWORK settings does
    assert post_cached(client, query) == post_cached(client, query) == answer
    assert hint_calls  # computed again from the rebuilt fields
    computed = len(hint_calls)
    post_cached(client, query)
    assert len(hint_calls) == computed  # and kept again


@pytest.mark.urls(__name__)
def test_hints_are_per_request_when_the_serializer_shapes_its_fields(client, hint_calls):
    make_tasks(2)
    query = "{ viewerTasks { results { title ownerName } } }"
    url = "/viewer-graphql/"
    first, second = post_cached(client, query, url), post_cached(client, query, url)
    assert first == second
    # Not rendered for this caller: the field of the output type is null.
    assert [row["ownerName"] for row in first["viewerTasks"]["results"]] == [None, None]
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    rows = post_cached(client, query, url)["viewerTasks"]["results"]
    owners = [t.owner.username for t in Task.objects.order_by("pk").select_related("owner")]
    assert [row["ownerName"] for row in rows] == owners
    # Fields built by the serializer's own __init__: no hints kept for the next caller.
    assert hint_calls == ["ViewerTaskSerializer"] * 3


# ------------------------------------------------------------------------------ multi-parameter filters


class RangeListFilter(django_filters.FilterSet):
    """Filters whose widget reads several query parameters, or one comma-separated one."""

    due = django_filters.DateFromToRangeFilter(field_name="due_date")
    prio = django_filters.RangeFilter(field_name="priority")
    status = django_filters.MultipleChoiceFilter(choices=Task.Status.choices, widget=CSVWidget)
    tags = django_filters.ModelMultipleChoiceFilter(queryset=Tag.objects.all(), widget=CSVWidget)
    # Reads ?state=a&state=b (a QueryDict's list) and splits no commas.
    state = django_filters.MultipleChoiceFilter(
        field_name="status", choices=Task.Status.choices, widget=QueryArrayWidget
    )

    class Meta:
        model = Task
        fields = []


class RangeListTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title"]


class RangeListTaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = RangeListTaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RangeListFilter


class RangeListQuery(graphene.ObjectType):
    range_tasks = ListField(RangeListTaskSerializer, filterset_class=RangeListFilter)


range_schema = graphene.Schema(query=RangeListQuery)
range_router = DefaultRouter()
range_router.register("range-tasks", RangeListTaskViewSet, basename="range-list-task")
urlpatterns += [
    path("range-graphql/", DRFGraphQLView.as_view(schema=range_schema)),
    path("range-api/", include(range_router.urls)),
]


def test_multi_parameter_filters_are_one_field_per_parameter():
    assert (
        "input RangeListFilterInput {\n  dueAfter: DateString\n  dueBefore: DateString\n"
        "  prioMin: Int\n  prioMax: Int\n  status: [String!]\n  tags: [ID!]\n  state: [String!]\n}"
    ) in str(range_schema)


@pytest.mark.urls(__name__)
def test_range_and_csv_widget_filters_match_rest(client):
    home, work = TagFactory(name="home"), TagFactory(name="work")
    specs = [
        ("a", "todo", 1, "2025-01-10", [home]),
        ("b", "done", 3, "2025-03-01", [work]),
        ("c", "in_progress", 2, None, []),
        ("d", "todo", 5, "2026-06-01", [home, work]),
    ]
    for title, status, priority, due, task_tags in specs:
        TaskFactory(title=title, status=status, priority=priority, due_date=due).tags.set(task_tags)
    cases = [
        ({"due_after": "2025-02-01"}, {"dueAfter": "2025-02-01"}, ["b", "d"]),
        (
            {"due_after": "2025-01-01", "due_before": "2025-12-31"},
            {"dueAfter": "2025-01-01", "dueBefore": "2025-12-31"},
            ["a", "b"],
        ),
        ({"prio_min": 2, "prio_max": 3}, {"prioMin": 2, "prioMax": 3}, ["b", "c"]),
        ({"status": "todo,done"}, {"status": ["todo", "done"]}, ["a", "b", "d"]),
        ({"tags": f"{work.pk}"}, {"tags": [str(work.pk)]}, ["b", "d"]),
        ({"tags": f"{home.pk},{work.pk}"}, {"tags": [str(home.pk), str(work.pk)]}, ["a", "b", "d"]),
        ({"state": ["todo", "in_progress"]}, {"state": ["todo", "in_progress"]}, ["a", "c", "d"]),
    ]
    query = (
        "query($filter: RangeListFilterInput) "
        "{ rangeTasks(filter: $filter) { totalCount results { title } } }"
    )
    for params, filter_values, expected in cases:
        rest = [task["title"] for task in client.get("/range-api/range-tasks/", params).json()]
        body = client.post(
            "/range-graphql/",
            {"query": query, "variables": {"filter": filter_values}},
            content_type="application/json",
        ).json()
        assert rest == expected
        assert body == {
            "data": {
                "rangeTasks": {
                    "totalCount": len(expected),
                    "results": [{"title": title} for title in expected],
                }
            }
        }


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("params", "filter_values", "fields"),
    [
        ({"due_after": "soon"}, {"dueAfter": "soon"}, ["filter.dueAfter"]),
        (
            {"due_after": "2025-01-01", "due_before": "later"},
            {"dueAfter": "2025-01-01", "dueBefore": "later"},
            ["filter.dueBefore"],
        ),
        (
            {"due_after": "soon", "due_before": "later"},
            {"dueAfter": "soon", "dueBefore": "later"},
            ["filter.dueAfter", "filter.dueBefore"],
        ),
    ],
)
def test_a_range_filters_errors_name_the_parameters_the_client_sent(
    client, params, filter_values, fields
):
    """REST keys them by the filter (`due`), which is no field of the input."""
    response = client.get("/range-api/range-tasks/", params)
    assert (response.status_code, response.json()) == (400, {"due": ["Enter a valid date."]})
    query = "query($filter: RangeListFilterInput) { rangeTasks(filter: $filter) { totalCount } }"
    body = client.post(
        "/range-graphql/",
        {"query": query, "variables": {"filter": filter_values}},
        content_type="application/json",
    ).json()
    assert body["data"] == {"rangeTasks": None}
    assert body["errors"][0]["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [
            {"field": field, "message": "Enter a valid date.", "code": "invalid"}
            for field in fields
        ],
    }


# ------------------------------------------------------------------ the caller's queryset stands


class QsTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title"]


class QsTaskProjectSerializer(serializers.ModelSerializer):
    project = serializers.StringRelatedField()

    class Meta:
        model = Task
        fields = ["id", "title", "project"]


class QsMetaPrefetchSerializer(serializers.ModelSerializer):
    """Declares what its custom field reads, as the README says to."""

    class ProjectNameField(serializers.CharField):
        def get_attribute(self, instance):
            return instance.project.name if instance.project else None

    project_name = ProjectNameField(source="title", read_only=True)  # reads more than it says

    class Meta:
        model = Task
        fields = ["id", "title", "project_name"]
        prefetch_related = ["project"]


class QuerysetQuery(graphene.ObjectType):
    qs_selected = ListField(QsTaskSerializer, queryset=Task.objects.select_related("project"))
    qs_selected_one = RetrieveField(
        QsTaskSerializer, queryset=Task.objects.select_related("project")
    )
    qs_only = ListField(QsTaskProjectSerializer, queryset=Task.objects.only("id", "title"))
    qs_deferred_one = RetrieveField(QsTaskProjectSerializer, queryset=Task.objects.defer("project"))
    qs_prefetching = ListField(QsTaskSerializer, queryset=Task.objects.prefetch_related("project"))
    qs_values = ListField(QsTaskSerializer, queryset=Task.objects.values("id", "title"))
    qs_meta_prefetch = ListField(QsMetaPrefetchSerializer)


urlpatterns += [
    path("queryset-graphql/", DRFGraphQLView.as_view(schema=graphene.Schema(query=QuerysetQuery)))
]


def queryset_read(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/queryset-graphql/", json.dumps({"query": query}), content_type="application/json"
        )
    return response.json(), len(queries)


@pytest.mark.urls(__name__)
def test_the_callers_queryset_keeps_what_it_chose(client):
    """A queryset's own select_related, only()/defer(), prefetch or values() is not fought
    by the library's column list and joins (Django refuses to defer what it joins)."""
    make_tasks(2)
    tasks = list(Task.objects.select_related("project").order_by("pk"))
    rows = [{"id": str(task.pk), "title": task.title} for task in tasks]
    with_project = [
        {**row, "project": str(task.project)} for row, task in zip(rows, tasks, strict=True)
    ]
    for field, expected in [
        ("qsSelected", rows),
        ("qsPrefetching", rows),
        ("qsValues", rows),
    ]:
        body, _ = queryset_read(client, f"{{ {field} {{ results {{ id title }} }} }}")
        assert body == {"data": {field: {"results": expected}}}
    body, _ = queryset_read(client, "{ qsOnly { results { id title project } } }")
    assert body == {"data": {"qsOnly": {"results": with_project}}}
    task = tasks[0]
    body, _ = queryset_read(client, f'{{ qsSelectedOne(id: "{task.pk}") {{ title }} }}')
    assert body == {"data": {"qsSelectedOne": {"title": task.title}}}
    body, _ = queryset_read(client, f'{{ qsDeferredOne(id: "{task.pk}") {{ title project }} }}')
    assert body == {"data": {"qsDeferredOne": {"title": task.title, "project": str(task.project)}}}


@pytest.mark.urls(__name__)
def test_prefetching_a_forward_key_keeps_its_column(client):
    """``only()`` keeps the key a forward prefetch reads (``Meta.prefetch_related``), so the
    count stays the same for 2 and 12 rows instead of one more query per row."""
    make_tasks(2)
    query = "{ qsMetaPrefetch { results { title projectName } } }"
    body, few = queryset_read(client, query)
    assert (
        body["data"]["qsMetaPrefetch"]["results"][0]["projectName"]
        == Task.objects.first().project.name
    )
    make_tasks(10)
    _, many = queryset_read(client, query)
    assert few == many


# ------------------------------------------------------------------------------ reading more of the row


class StatusLabelField(serializers.Field):
    """Reads its value its own way: more of the row than its ``source``."""

    def get_attribute(self, instance):
        return f"{instance.title} [{instance.status}]"

    def to_representation(self, value):
        return value


class LabelledTaskSerializer(serializers.ModelSerializer):
    label = StatusLabelField(source="title", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "label"]


class OpenTasksListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        return super().to_representation([task for task in data if task.status != "done"])


class OpenTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title"]
        list_serializer_class = OpenTasksListSerializer


class OwnerOnly(BasePermission):
    def has_object_permission(self, request, view, obj):
        return obj.owner_id == request.user.pk


class OpenWorkOnly(BasePermission):
    """Reads what the view prefetched: the open subtasks only, as a list."""

    def has_object_permission(self, request, view, obj):
        return len(obj.open_subtasks) > 0


def open_work_rows(info=None):
    return Task.objects.prefetch_related(
        Prefetch("subtasks", queryset=Subtask.objects.filter(done=False), to_attr="open_subtasks")
    )


class OpenWorkViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BriefSubtasksTaskSerializer
    permission_classes = [OpenWorkOnly]

    def get_queryset(self):
        return open_work_rows()


TaskTag = Task.tags.through


class TaskTagSerializer(serializers.ModelSerializer):
    tag_name = serializers.CharField(source="tag.name")
    task_title = serializers.SerializerMethodField()

    class Meta:
        model = TaskTag
        fields = ["id", "tag_name", "task_title"]

    def get_task_title(self, link) -> str:
        return link.task.title


with warnings.catch_warnings():
    # On purpose: such a queryset must keep following every relation. Django 6.1 deprecates
    # select_related() without fields, and still follows them all.
    warnings.filterwarnings("ignore", message=r"Calling select_related\(\) with no arguments")
    EVERY_RELATION = TaskTag.objects.select_related()


class OddReadsQuery(graphene.ObjectType):
    labelled_tasks = ListField(LabelledTaskSerializer)
    open_tasks = ListField(OpenTaskSerializer)
    owned_task = RetrieveField(OpenTaskSerializer, permission_classes=[OwnerOnly])
    owned_query_task = RetrieveField(QueryTaskSerializer, permission_classes=[OwnerOnly])
    open_work_task = RetrieveField(
        BriefSubtasksTaskSerializer, queryset=open_work_rows, permission_classes=[OpenWorkOnly]
    )
    task_tags = ListField(TaskTagSerializer, queryset=EVERY_RELATION)
    newest_tasks = ListField(OpenTaskSerializer, queryset=Task.objects.order_by("-pk")[:2])
    low_tasks = ListField(
        QueryTaskSerializer,
        queryset=Task.objects.filter(priority=1).union(Task.objects.filter(priority=2)),
    )


urlpatterns += [
    path("odd-graphql/", DRFGraphQLView.as_view(schema=graphene.Schema(query=OddReadsQuery)))
]


def odd_read(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/odd-graphql/", json.dumps({"query": query}), content_type="application/json"
        )
    return response.json(), len(queries)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("{ labelledTasks { results { label } } }", "labelledTasks"),  # its own get_attribute
        ("{ openTasks { results { title } } }", "openTasks"),  # its own list serializer
        ("{ taskTags { results { tagName taskTitle } } }", "taskTags"),  # select_related()
    ],
)
def test_what_reads_more_of_the_row_gets_it_in_the_same_queries(client, query, path):
    """One query for 2 rows or 6, as under REST: no column deferred, no join dropped, that
    the serializer reads (only() would load each row's missing column in a query of its own)."""
    make_tasks(1)
    _, few = odd_read(client, query)
    make_tasks(5)
    body, many = odd_read(client, query)
    assert "errors" not in body, body
    assert few == many
    if path == "labelledTasks":
        assert body["data"][path]["results"][0] == {"label": "Task 000 [todo]"}


@pytest.mark.urls(__name__)
def test_an_object_permission_sees_the_projects_own_prefetches(client):
    """DRF's get_object() hands the permission the row with the queryset's prefetches (a
    filtered one, a to_attr list); the selection's own prefetches wait for its verdict."""
    done_only = TaskFactory()
    SubtaskFactory(task=done_only, done=True)
    open_ = TaskFactory()
    SubtaskFactory(task=open_, done=False, title="To do")
    SubtaskFactory(task=open_, done=True, title="Done")
    alice = UserFactory()
    client.force_login(alice)
    view = OpenWorkViewSet.as_view({"get": "retrieve"})

    def rest_retrieve(pk):
        request = APIRequestFactory().get("/")
        force_authenticate(request, alice)
        return view(request, pk=pk)

    document = "{ openWorkTask(id: %d) { title subtasks { title } } }"
    refused = rest_retrieve(done_only.pk)
    body, _ = odd_read(client, document % done_only.pk)
    assert refused.status_code == 403
    assert body["data"] == {"openWorkTask": None}
    assert body["errors"][0]["extensions"] == {"code": "PERMISSION_DENIED", "status": 403}

    allowed = rest_retrieve(open_.pk)
    body, _ = odd_read(client, document % open_.pk)
    assert allowed.status_code == 200
    assert body == {
        "data": {
            "openWorkTask": {
                "title": open_.title,
                "subtasks": [{"title": "To do"}, {"title": "Done"}],
            }
        }
    }


@pytest.mark.urls(__name__)
def test_an_object_permission_reads_the_row_in_the_lookup_query(client):
    alice = UserFactory()
    task = TaskFactory(owner=alice)
    client.force_login(alice)
    body, queries = odd_read(client, f'{{ ownedTask(id: "{task.pk}") {{ title }} }}')
    assert body == {"data": {"ownedTask": {"title": task.title}}}
    assert queries == 3  # the session, the user, the task (with owner_id): as REST


@pytest.mark.urls(__name__)
def test_a_refused_retrieve_reads_no_related_rows(client):
    """The prefetches of the selection run once the object permission allows the row: a
    refused caller costs the lookup alone, as REST's 403."""
    alice, bob = UserFactory(), UserFactory()
    task = TaskFactory(owner=alice)
    task.tags.add(TagFactory(name="t"))
    SubtaskFactory(task=task, title="s")
    query = (
        f'{{ ownedQueryTask(id: "{task.pk}") {{ title subtasks {{ title }} tags {{ name }} }} }}'
    )
    client.force_login(bob)
    body, refused = odd_read(client, query)
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert refused == 3  # the session, the user, the task
    client.force_login(alice)
    body, allowed = odd_read(client, query)
    assert body == {
        "data": {
            "ownedQueryTask": {
                "title": task.title,
                "subtasks": [{"title": "s"}],
                "tags": [{"name": "t"}],
            }
        }
    }
    assert allowed == 5  # and, once allowed, the subtasks and the tags


@pytest.mark.urls(__name__)
def test_sliced_and_union_querysets_are_read_as_rest_reads_them(client):
    """A slice keeps its own order (Django refuses to reorder one); a union gets no joins,
    prefetches or column list (Django refuses them)."""
    first, second, third = (TaskFactory(priority=priority) for priority in (1, 2, 3))
    body, _ = odd_read(client, "{ newestTasks { totalCount results { title } } }")
    assert body == {
        "data": {
            "newestTasks": {
                "totalCount": 2,
                "results": [{"title": third.title}, {"title": second.title}],
            }
        }
    }
    body, _ = odd_read(client, "{ lowTasks { totalCount results { title tags { name } } } }")
    assert body == {
        "data": {
            "lowTasks": {
                "totalCount": 2,
                "results": [
                    {"title": first.title, "tags": []},
                    {"title": second.title, "tags": []},
                ],
            }
        }
    }


@pytest.mark.urls(__name__)
def test_the_permission_classes_judge_a_list_before_its_queryset_runs(client):
    """As REST's ``initial()`` checks permissions before ``get_queryset()``: an anonymous
    caller is NOT_AUTHENTICATED, with or without ``orderBy``; a signed-in caller's rows are
    read with the callable called once."""
    alice = UserFactory()
    TaskFactory(owner=alice, title="b"), TaskFactory(owner=alice, title="a"), TaskFactory()
    OWNED_ROWS_CALLS.clear()
    for query in (
        "{ ownedTasks { totalCount } }",
        '{ ownedTasks(orderBy: ["title"]) { totalCount } }',
    ):
        body = client.post("/cached-graphql/", {"query": query}, content_type="application/json")
        assert body.json()["errors"][0]["extensions"]["code"] == "NOT_AUTHENTICATED"
    assert OWNED_ROWS_CALLS == []
    client.force_login(alice)
    body = post_cached(client, '{ ownedTasks(orderBy: ["-title"]) { results { title } } }')
    assert body == {"ownedTasks": {"results": [{"title": "b"}, {"title": "a"}]}}
    assert [alice] == OWNED_ROWS_CALLS


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("field", ["scoredTasks", "managedTasks"])
def test_permissions_see_the_ordering_as_rest_spells_it(client, field):
    """``?ordering=-double_priority`` under REST; the GraphQL client writes the annotation
    camelCased. A per-caller queryset is not run to learn its annotations."""
    TaskFactory(priority=1, title="low"), TaskFactory(priority=3, title="high")
    RecordsOrdering.seen = []
    body = post_cached(
        client, f'{{ {field}(orderBy: ["-doublePriority"]) {{ results {{ title }} }} }}'
    )
    assert body == {field: {"results": [{"title": "high"}, {"title": "low"}]}}
    assert RecordsOrdering.seen == ["-double_priority"]


# ------------------------------------------------------------------ an output type's own resolvers


class ShoutedTaskOutput(SerializerObjectType):
    """A project's own fields, resolved from the row the library hands over."""

    class Meta:
        serializer_class = QueryTaskSerializer

    label = graphene.String()
    tag_count = graphene.Int(resolver=lambda root, info: len(root["tags"]))

    def resolve_label(root, info):
        return root["title"].upper()


class Shouting:
    """A project's mixin: graphene finds its resolver through the class."""

    @classmethod
    def resolve_loud(cls, root, info):
        return root["title"].upper()


class Labelled(graphene.Interface):
    tagged = graphene.Boolean()

    def resolve_tagged(root, info):  # graphene falls back to an interface's resolver
        return bool(root["tags"])


class ShoutedProjectOutput(SerializerObjectType):
    class Meta:
        serializer_class = ProjectSerializer

    label = graphene.String()

    def resolve_label(root, info):
        return root["name"].upper()


class ResolvingTaskOutput(SerializerObjectType, Shouting):
    class Meta:
        serializer_class = QueryTaskSerializer
        interfaces = (Labelled,)

    loud = graphene.String()
    heading = graphene.String(source="title")
    project = graphene.Field(ShoutedProjectOutput)  # declared, resolving its own


class ProjectOrNothing(graphene.Union):
    class Meta:
        types = (ShoutedProjectOutput,)

    @classmethod
    def resolve_type(cls, instance, info):
        return ShoutedProjectOutput


class UnionProjectTaskOutput(SerializerObjectType):
    class Meta:
        serializer_class = QueryTaskSerializer

    project = graphene.Field(ProjectOrNothing)  # its members cannot be told beforehand


class NamedShoutOutput(SerializerObjectType):
    """A field under a GraphQL name of its own, and one a snake_case schema keeps."""

    class Meta:
        serializer_class = QueryTaskSerializer

    shout = graphene.String(name="loudTitle")
    loud_name = graphene.String()

    def resolve_shout(root, info):
        return root["title"].upper()

    def resolve_loud_name(root, info):
        return root["title"].upper()


class NamedShoutQuery(graphene.ObjectType):
    named_shouts = ListField(QueryTaskSerializer, output_type=NamedShoutOutput)


class ShoutedQuery(graphene.ObjectType):
    shouted_task = RetrieveField(QueryTaskSerializer, output_type=ShoutedTaskOutput)
    shouted_tasks = ListField(QueryTaskSerializer, output_type=ShoutedTaskOutput)
    resolving_task = RetrieveField(QueryTaskSerializer, output_type=ResolvingTaskOutput)
    union_project_tasks = ListField(QueryTaskSerializer, output_type=UnionProjectTaskOutput)


urlpatterns += [
    path("shouted-graphql/", DRFGraphQLView.as_view(schema=graphene.Schema(query=ShoutedQuery))),
    path(
        "named-graphql/",
        DRFGraphQLView.as_view(schema=graphene.Schema(query=NamedShoutQuery)),
    ),
    path(
        "snake-graphql/",
        DRFGraphQLView.as_view(schema=graphene.Schema(query=NamedShoutQuery, auto_camelcase=False)),
    ),
]


@pytest.mark.urls(__name__)
def test_an_output_types_own_resolvers_get_the_whole_row(client):
    """Reads serialize only the selected fields; a resolver of the type's own may read any
    key of the row (``root["title"]``), so for such a type every field is serialized: the
    label no longer depended on whether ``title`` was selected beside it."""
    task = TaskFactory(title="Paint")
    task.tags.set([TagFactory(), TagFactory()])
    query = (
        f'{{ shoutedTask(id: "{task.pk}") {{ label tagCount }} '
        "shoutedTasks { results { label tagCount } } }"
    )
    assert post_cached(client, query, url="/shouted-graphql/") == {
        "shoutedTask": {"label": "PAINT", "tagCount": 2},
        "shoutedTasks": {"results": [{"label": "PAINT", "tagCount": 2}]},
    }
    # However graphene finds the resolver: a mixin's classmethod, an interface's, a
    # source=; and a nested type declared for a field, resolving its own.
    task.project = ProjectFactory(name="Home")
    task.save()
    query = f'{{ resolvingTask(id: "{task.pk}") {{ loud tagged heading project {{ label }} }} }}'
    assert post_cached(client, query, url="/shouted-graphql/") == {
        "resolvingTask": {
            "loud": "PAINT",
            "tagged": True,
            "heading": "Paint",
            "project": {"label": "HOME"},
        }
    }
    query = "{ unionProjectTasks { results { title project { ... on ShoutedProjectOutput { label } } } } }"
    assert post_cached(client, query, url="/shouted-graphql/") == {
        "unionProjectTasks": {"results": [{"title": "Paint", "project": {"label": "HOME"}}]}
    }


@pytest.mark.urls(__name__)
def test_an_output_types_rows_are_pruned_while_its_own_resolvers_are_not_selected(
    client, django_assert_num_queries
):
    """Serializing every field costs every relation's query (x13 for 100 rows): only
    when one of the type's own resolvers is asked for."""
    task = TaskFactory(title="Paint")
    task.tags.set([TagFactory()])
    post_cached(client, "{ shoutedTasks { results { id } } }", url="/shouted-graphql/")
    with django_assert_num_queries(1):  # the rows' columns: no tag, subtask or project read
        body = post_cached(client, "{ shoutedTasks { results { id } } }", url="/shouted-graphql/")
    assert body == {"shoutedTasks": {"results": [{"id": str(task.pk)}]}}


@pytest.mark.urls(__name__)
def test_an_own_resolver_is_known_by_every_name_a_client_selects_it_by(client):
    """A field named by ``name=``, or in a schema without auto_camelcase: the row was
    pruned under the camelCase of the attribute, which the client never sent."""
    TaskFactory(title="Paint")
    body = post_cached(client, "{ namedShouts { results { loudTitle } } }", url="/named-graphql/")
    assert body == {"namedShouts": {"results": [{"loudTitle": "PAINT"}]}}
    body = post_cached(client, "{ named_shouts { results { loud_name } } }", url="/snake-graphql/")
    assert body == {"named_shouts": {"results": [{"loud_name": "PAINT"}]}}


# ------------------------------------------------------------------------------ accessors


class MemberSerializer(serializers.Serializer):
    username = serializers.CharField()


class GroupMembersSerializer(serializers.ModelSerializer):
    """``user_set``: a reverse relation named by its accessor (``get_field`` knows ``user``)."""

    user_set = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Group
        fields = ["id", "name", "user_set"]


class GroupMembersViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = GroupMembersSerializer
    queryset = Group.objects.order_by("pk")


class AccessorQuery(graphene.ObjectType):
    groups = ListField(GroupMembersSerializer, queryset=Group.objects.order_by("pk"))


accessor_router = DefaultRouter()
accessor_router.register("groups", GroupMembersViewSet, basename="accessor-group")
urlpatterns += [
    path("accessor-graphql/", DRFGraphQLView.as_view(schema=graphene.Schema(query=AccessorQuery))),
    path("accessor-api/", include(accessor_router.urls)),
]


@pytest.mark.urls(__name__)
def test_a_reverse_relation_named_by_its_accessor_is_prefetched(client, django_assert_num_queries):
    for name in ("staff", "editors", "readers"):
        group = Group.objects.create(name=name)
        group.user_set.set(UserFactory.create_batch(2))
    query = "{ groups { results { id name userSet { username } } } }"
    post_cached(client, query, url="/accessor-graphql/")
    with django_assert_num_queries(2):  # the groups, then their users: not one per group
        body = post_cached(client, query, url="/accessor-graphql/")
    with django_assert_num_queries(4):
        rest = client.get("/accessor-api/groups/").json()

    def members(users):  # User has no ordering: PostgreSQL may return them in any order
        return sorted(user["username"] for user in users)

    assert [
        (row["id"], row["name"], members(row["userSet"])) for row in body["groups"]["results"]
    ] == [(str(group["id"]), group["name"], members(group["user_set"])) for group in rest]


class ManagerSourcesProjectSerializer(serializers.ModelSerializer):
    """Sources through a reverse relation into its manager: ``first`` (Task has no ordering:
    a query of its own per row under both) and ``count`` (served by a prefetch)."""

    first_task = serializers.CharField(source="tasks.first", read_only=True, default=None)
    task_count = serializers.IntegerField(source="tasks.count", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "name", "first_task", "task_count"]


class ManagerSourcesViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ManagerSourcesProjectSerializer
    queryset = Project.objects.order_by("pk")


class ManagerSourcesQuery(graphene.ObjectType):
    projects = ListField(ManagerSourcesProjectSerializer, queryset=Project.objects.order_by("pk"))


manager_router = DefaultRouter()
manager_router.register("projects", ManagerSourcesViewSet, basename="manager-sources")
urlpatterns += [
    path(
        "manager-graphql/",
        DRFGraphQLView.as_view(schema=graphene.Schema(query=ManagerSourcesQuery)),
    ),
    path("manager-api/", include(manager_router.urls)),
]


@pytest.mark.urls(__name__)
def test_a_manager_method_no_prefetch_serves_is_not_prefetched(client, django_assert_num_queries):
    """``tasks.first`` on unordered rows makes a query of its own, prefetched rows or not:
    the prefetch of ``tasks`` was one query more than REST's, loading rows nothing read.
    ``tasks.count`` reads prefetched rows: that one stays."""
    for _ in range(3):
        TaskFactory.create_batch(2, project=ProjectFactory())
    post_cached(client, "{ projects { results { id firstTask } } }", url="/manager-graphql/")
    with django_assert_num_queries(1 + 3):  # the rows (no totalCount), one first() per row
        body = post_cached(
            client, "{ projects { results { id name firstTask } } }", url="/manager-graphql/"
        )
    with django_assert_num_queries(1 + 3 + 3):  # REST's renders the count too, no prefetch
        rest = client.get("/manager-api/projects/").json()
    assert body["projects"]["results"] == [
        {"id": str(row["id"]), "name": row["name"], "firstTask": row["first_task"]} for row in rest
    ]
    with django_assert_num_queries(1 + 1):  # the rows, then their tasks prefetched
        body = post_cached(
            client, "{ projects { results { taskCount } } }", url="/manager-graphql/"
        )
    assert [row["taskCount"] for row in body["projects"]["results"]] == [2, 2, 2]


@isolate_apps("tests.testapp")
def test_accessor_named_relations_are_hinted_only_where_django_takes_the_name():
    """Read hints for relations a serializer names by accessor: no ``select_related`` of a
    reverse one-to-one's accessor (Django takes its query name there), the ``to_field``
    column a reverse foreign key joins on kept by ``only()``, and nothing for a property
    that stands where a parent model's accessor was."""

    class Owner(models.Model):
        name = models.CharField(max_length=20)
        code = models.CharField(max_length=20, unique=True)

        class Meta:
            app_label = "testapp"

    class Detail(models.Model):
        owner = models.OneToOneField(
            Owner, models.CASCADE, related_name="detail", related_query_name="details"
        )
        note = models.CharField(max_length=20)

        class Meta:
            app_label = "testapp"

    class Item(models.Model):
        owner = models.ForeignKey(Owner, models.CASCADE, to_field="code")
        label = models.CharField(max_length=20)

        class Meta:
            app_label = "testapp"

    class Shadowing(Owner):
        class Meta:
            app_label = "testapp"

        @property
        def item_set(self):
            return Item.objects.none()

    def serializer_of(model_class, **declared):
        meta = type("Meta", (), {"model": model_class, "fields": ["id", "name", *declared]})
        return type("Read", (serializers.ModelSerializer,), {"Meta": meta, **declared})()

    class NoteSerializer(serializers.Serializer):
        note = serializers.CharField()

    class LabelSerializer(serializers.Serializer):
        label = serializers.CharField()

    detail = serializer_of(Owner, detail=NoteSerializer(read_only=True))
    assert queries.hints_for(detail, Owner) == ((), (), None)
    items = serializer_of(Owner, item_set=LabelSerializer(many=True, read_only=True))
    assert queries.hints_for(items, Owner) == ((), ("item_set",), ("code", "id", "name"))
    shadowed = serializer_of(Shadowing, item_set=LabelSerializer(many=True, read_only=True))
    assert queries.hints_for(shadowed, Shadowing) == ((), (), None)


class WritesIntoTheBody(BasePermission):
    """A permission written for REST, where every GET has a body of its own."""

    seen: list = []

    def has_permission(self, request, view):
        WritesIntoTheBody.seen.append(dict(request.data))
        request.data["written"] = True
        return True


class NotingReadsQuery(graphene.ObjectType):
    project = RetrieveField(
        ProjectSerializer, lookup_field="slug", permission_classes=[WritesIntoTheBody]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_each_read_has_a_body_of_its_own(rf, method):
    """What one read's code writes into request.data, the next read does not see."""
    ProjectFactory(slug="p")
    document = '{ x: project(slug: "p") { slug } y: project(slug: "p") { slug } }'
    view = DRFGraphQLView.as_view(schema=graphene.Schema(query=NotingReadsQuery))
    for _ in range(3):  # graphql-core's request, then the direct path's
        if method == "get":
            request = rf.get("/", {"query": document})
        else:
            request = rf.post("/", json.dumps({"query": document}), "application/json")
        WritesIntoTheBody.seen.clear()
        answer = json.loads(view(request).content)
        assert answer == {"data": {"x": {"slug": "p"}, "y": {"slug": "p"}}}
        assert WritesIntoTheBody.seen == [{}, {}]


# ------------------------------------------------------------------ fields of the instance


class OwnerNotesSerializer(serializers.ModelSerializer):
    """DRF's "dynamically modifying fields" by the row: notes for the row's owner only."""

    class Meta:
        model = Task
        fields = ["id", "title", "notes"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if isinstance(self.instance, Task) and self.instance.owner_id != request.user.pk:
            fields.pop("notes")
        return fields


class NotesOutOfListsSerializer(serializers.ModelSerializer):
    """No notes when rendering a collection (the child of many=True gets the page)."""

    class Meta:
        model = Task
        fields = ["id", "title", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, list | models.QuerySet):
            self.fields.pop("notes")


class DoneCountSerializer(serializers.ModelSerializer):
    """A Prefetch object among its hints, with a queryset and to_attr of its own."""

    done_count = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "done_count"]
        prefetch_related = [
            models.Prefetch(
                "subtasks", queryset=Subtask.objects.filter(done=True), to_attr="done_subtasks"
            )
        ]

    def get_done_count(self, obj) -> int:
        return len(obj.done_subtasks)


class SubtasksWithDoneCountSerializer(serializers.ModelSerializer):
    tasks = DoneCountSerializer(many=True, read_only=True)

    class Meta:
        model = Tag
        fields = ["id", "tasks"]


instance_router = DefaultRouter()
for prefix, serializer_class in (
    ("owner-notes", OwnerNotesSerializer),
    ("notes-out-of-lists", NotesOutOfListsSerializer),
):
    instance_router.register(
        prefix,
        type(
            f"{serializer_class.__name__}ViewSet",
            (viewsets.ReadOnlyModelViewSet,),
            {"serializer_class": serializer_class, "queryset": Task.objects.order_by("pk")},
        ),
        basename=prefix,
    )
instance_schema = graphene.Schema(
    query=type(
        "InstanceQuery",
        (graphene.ObjectType,),
        {
            "owner_notes": RetrieveField(OwnerNotesSerializer),
            "notes_out_of_lists": ListField(NotesOutOfListsSerializer),
            "done_counts": ListField(DoneCountSerializer),
            "tags_with_done_counts": ListField(SubtasksWithDoneCountSerializer),
        },
    )
)
urlpatterns += [
    path("instance-graphql/", csrf_exempt(DRFGraphQLView.as_view(schema=instance_schema))),
    path("instance-api/", include(instance_router.urls)),
]


def _instance_query(client, query):
    response = client.post(
        "/instance-graphql/", json.dumps({"query": query}), content_type="application/json"
    )
    return response.json()


@pytest.mark.urls(__name__)
def test_a_serializer_whose_fields_are_its_rows_renders_as_rest_does(client):
    """Made with the row (retrieve) or the page (list), as REST's get_serializer makes it:
    a field hidden from all but the row's owner stays hidden."""
    owner, other = UserFactory(), UserFactory()
    task = TaskFactory(title="mine", notes="private", owner=owner)
    client.force_login(other)
    assert client.get(f"/instance-api/owner-notes/{task.pk}/").json() == {
        "id": task.pk,
        "title": "mine",
    }
    assert "notes" not in client.get("/instance-api/notes-out-of-lists/").json()[0]
    body = _instance_query(
        client,
        f'{{ ownerNotes(id: "{task.pk}") {{ title notes }} '
        "notesOutOfLists { results { title notes } } }",
    )
    assert body == {
        "data": {
            "ownerNotes": {"title": "mine", "notes": None},
            "notesOutOfLists": {"results": [{"title": "mine", "notes": None}]},
        }
    }
    client.force_login(owner)
    body = _instance_query(client, f'{{ ownerNotes(id: "{task.pk}") {{ notes }} }}')
    assert body == {"data": {"ownerNotes": {"notes": "private"}}}


@pytest.mark.urls(__name__)
def test_a_prefetch_object_among_the_hints_is_applied(client, django_assert_num_queries):
    task = TaskFactory()
    SubtaskFactory(task=task, done=True)
    SubtaskFactory(task=task, done=False)
    tag = TagFactory()
    task.tags.add(tag)
    with django_assert_num_queries(2):  # the page, and the Prefetch with its queryset...
        body = _instance_query(client, "{ doneCounts { results { doneCount } } }")
    assert body == {"data": {"doneCounts": {"results": [{"doneCount": 1}]}}}
    # ... and below a nested field, the same Prefetch under the relation's path.
    body = _instance_query(client, "{ tagsWithDoneCounts { results { tasks { doneCount } } } }")
    assert body == {"data": {"tagsWithDoneCounts": {"results": [{"tasks": [{"doneCount": 1}]}]}}}


# ------------------------------------------------------------------ arguments refused at start-up


@pytest.mark.parametrize("field_class", [RetrieveField, ListField])
def test_a_model_class_as_queryset_is_refused(field_class):
    """It would be called as the per-caller callable: every request a 500."""
    with pytest.raises(ImproperlyConfigured, match="queryset must be a QuerySet, a manager"):
        field_class(ProjectSerializer, queryset=Project)


def test_another_models_manager_is_refused_as_its_queryset_is():
    """Its rows are Tag rows: served as projects, they would be the wrong table's."""
    for queryset in (Tag.objects.all(), Tag.objects):
        with pytest.raises(ImproperlyConfigured, match="Tag"):
            ListField(ProjectSerializer, queryset=queryset)


@pytest.mark.urls(__name__)
def test_a_manager_is_a_queryset(client):
    field = ListField(TagSerializer, queryset=Tag.objects)
    TagFactory(name="t")
    assert [tag.name for tag in field.get_queryset(None)] == ["t"]


def test_a_lookup_field_that_is_no_name_is_refused():
    with pytest.raises(ImproperlyConfigured, match="lookup_field must be a field's name, not 5"):
        RetrieveField(ProjectSerializer, lookup_field=5)


class RegexSearchProjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer
    queryset = Project.objects.order_by("pk")
    filter_backends = [filters.SearchFilter]
    search_fields = ["$name"]  # a regex the database may refuse


regex_crud = ViewSetCrud(RegexSearchProjectViewSet, name="regexProject")
regex_schema = graphene.Schema(
    query=type(
        "RegexQuery",
        (regex_crud.Query, graphene.ObjectType),
        {"regex_list": ListField(ProjectSerializer, search_fields=["$name"])},
    )
)
urlpatterns += [path("regex-graphql/", DRFGraphQLView.as_view(schema=regex_schema))]


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("field", ["regexProjects", "regexList"])
def test_a_reads_database_error_leaves_the_requests_transaction_usable(client, monkeypatch, field):
    """Under ATOMIC_REQUESTS, PostgreSQL aborts the request's transaction on a regex it
    refuses: each read runs in a savepoint, so the document's next read still answers."""
    from django.db import connections

    monkeypatch.setitem(connections["default"].settings_dict, "ATOMIC_REQUESTS", True)
    Project.objects.create(slug="s", name="n")
    query = f'{{ a: {field}(search: "(") {{ results {{ slug }} }} b: {field} {{ results {{ slug }} }} }}'
    body = client.post(
        "/regex-graphql/", json.dumps({"query": query}), content_type="application/json"
    ).json()
    assert body["data"]["b"] == {"results": [{"slug": "s"}]}, body


class OtherDatabaseManager(models.Manager):
    """A project's manager reading another database: its rows' database is known only once
    its get_queryset() runs (a manager's own ``db`` is the router's)."""

    def get_queryset(self):
        return super().get_queryset().using("other")


other_projects_manager = OtherDatabaseManager()
other_projects_manager.model = Project


#: Where each call of a callable queryset ran: inside a savepoint or not.
CALLS_IN_SAVEPOINT: list[bool] = []


def counted_rows(queryset):
    from django.db import connections

    CALLS_IN_SAVEPOINT.append(bool(connections[queryset.db].savepoint_ids))
    return queryset


elsewhere_schema = graphene.Schema(
    query=type(
        "ElsewhereReadQuery",
        (graphene.ObjectType,),
        {
            "other_projects": ListField(ProjectSerializer, queryset=Project.objects.using("other")),
            "default_projects": ListField(ProjectSerializer, queryset=Project.objects.all()),
            # The rows of a callable are known only when it is called.
            "callable_other_projects": ListField(
                ProjectSerializer,
                queryset=lambda info: counted_rows(Project.objects.using("other")),
            ),
            "manager_other_projects": ListField(ProjectSerializer, queryset=other_projects_manager),
            "callable_project": RetrieveField(
                ProjectSerializer, queryset=lambda info: counted_rows(Project.objects.all())
            ),
        },
    )
)
urlpatterns += [path("elsewhere-read-graphql/", DRFGraphQLView.as_view(schema=elsewhere_schema))]


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True, databases=["default", "other"])
@pytest.mark.parametrize(
    ("field", "alias"),
    [
        ("otherProjects", "other"),
        ("defaultProjects", "default"),
        ("callableOtherProjects", "other"),
        ("managerOtherProjects", "other"),
    ],
)
def test_a_reads_savepoint_is_on_the_database_it_reads(client, monkeypatch, field, alias):
    from django.db import connections

    for each in ("default", "other"):
        monkeypatch.setitem(connections[each].settings_dict, "ATOMIC_REQUESTS", True)
    Project.objects.using("other").create(slug="o", name="o")
    Project.objects.create(slug="d", name="d")
    CALLS_IN_SAVEPOINT.clear()
    with CaptureQueriesContext(connections[alias]) as queries:
        body = client.post(
            "/elsewhere-read-graphql/",
            json.dumps({"query": f"{{ {field} {{ results {{ slug }} }} }}"}),
            content_type="application/json",
        ).json()
    assert body == {"data": {field: {"results": [{"slug": alias[0]}]}}}
    assert any("SAVEPOINT" in query["sql"] for query in queries.captured_queries)
    # A callable runs once, inside the savepoint: a database error it meets is contained.
    expected_calls = [True] if field.startswith("callable") else []
    assert expected_calls == CALLS_IN_SAVEPOINT


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_a_callable_querysets_retrieve_runs_it_once_inside_the_savepoint(client, monkeypatch):
    from django.db import connections

    monkeypatch.setitem(connections["default"].settings_dict, "ATOMIC_REQUESTS", True)
    project = Project.objects.create(slug="d", name="d")
    CALLS_IN_SAVEPOINT.clear()
    body = client.post(
        "/elsewhere-read-graphql/",
        json.dumps({"query": f'{{ callableProject(id: "{project.pk}") {{ slug }} }}'}),
        content_type="application/json",
    ).json()
    assert body == {"data": {"callableProject": {"slug": "d"}}}
    assert CALLS_IN_SAVEPOINT == [True]


# ------------------------------------------------------------------ rows that are groups


class GroupCountSerializer(serializers.Serializer):
    project = serializers.IntegerField(allow_null=True)
    n = serializers.IntegerField()


class CountOnlySerializer(serializers.Serializer):
    n = serializers.IntegerField()


class NamedGroupCountSerializer(serializers.Serializer):
    proj = serializers.IntegerField(allow_null=True)
    n = serializers.IntegerField()


class OnePerProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "project"]


class TagsByNameTaskSerializer(serializers.ModelSerializer):
    tags = TagSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "tags"]
        prefetch_related = [models.Prefetch("tags", queryset=Tag.objects.order_by("-name"))]


class GroupsQuery(graphene.ObjectType):
    per_project = ListField(
        GroupCountSerializer, queryset=Task.objects.values("project").annotate(n=Count("id"))
    )
    projects_of_tasks = ListField(
        GroupCountSerializer,
        queryset=Task.objects.values("project").annotate(n=models.Value(1)).distinct(),
    )
    tags_per_task = ListField(
        GroupCountSerializer,
        queryset=Task.objects.annotate(n=Count("tags")).values("project", "n"),
    )
    counts_only = ListField(
        CountOnlySerializer,
        queryset=Task.objects.values("project").annotate(n=Count("id")).values("n"),
    )
    distinct_counts = ListField(
        CountOnlySerializer,
        queryset=Task.objects.values("project").annotate(n=Count("id")).values("n").distinct(),
    )
    per_project_named = ListField(
        NamedGroupCountSerializer,
        queryset=Task.objects.values(proj=F("project_id")).annotate(n=Count("id")),
    )
    one_per_project = ListField(
        OnePerProjectSerializer, queryset=lambda info: Task.objects.distinct("project")
    )
    tags_prefetched = ListField(
        TagsByNameTaskSerializer, queryset=Task.objects.prefetch_related("tags")
    )
    tags_through = ListField(
        TagsByNameTaskSerializer, queryset=Task.objects.prefetch_related("tags__tasks")
    )


urlpatterns += [
    path("groups-graphql/", DRFGraphQLView.as_view(schema=graphene.Schema(query=GroupsQuery)))
]


def groups(client, query):
    return client.post(
        "/groups-graphql/", json.dumps({"query": query}), content_type="application/json"
    ).json()


@pytest.mark.urls(__name__)
def test_rows_that_are_groups_are_ordered_by_what_makes_them_groups(client):
    """The primary key as default order would split each group (Django groups by the
    ordering too) and every distinct row: rows by what makes each one, as REST lists them."""
    home, work = ProjectFactory(slug="home"), ProjectFactory(slug="work")
    TaskFactory.create_batch(3, project=home)
    TaskFactory.create_batch(2, project=work)
    body = groups(
        client,
        "{ perProject { totalCount results { project n } } "
        "projectsOfTasks { totalCount results { project } } }",
    )
    assert body == {
        "data": {
            "perProject": {
                "totalCount": 2,
                "results": [{"project": home.pk, "n": 3}, {"project": work.pk, "n": 2}],
            },
            "projectsOfTasks": {
                "totalCount": 2,
                "results": [{"project": home.pk}, {"project": work.pk}],
            },
        }
    }


@pytest.mark.urls(__name__)
def test_groups_showing_only_aggregates_are_ordered_by_their_grouping(client):
    home, work = ProjectFactory(slug="home"), ProjectFactory(slug="work")
    TaskFactory.create_batch(1, project=work if home.pk > work.pk else home)
    TaskFactory.create_batch(2, project=home if home.pk > work.pk else work)
    with CaptureQueriesContext(connection) as queries:
        body = groups(client, "{ countsOnly { results { n } } }")
    assert body == {"data": {"countsOnly": {"results": [{"n": 1}, {"n": 2}]}}}
    assert "ORDER BY" in queries.captured_queries[-1]["sql"]


@pytest.mark.urls(__name__)
def test_distinct_values_of_groups_stay_distinct(client):
    """Ordering by the grouping would make DISTINCT take its column too."""
    for size in (1, 1, 2):
        TaskFactory.create_batch(size, project=ProjectFactory())
    body = groups(client, "{ distinctCounts { results { n } } }")
    assert body == {"data": {"distinctCounts": {"results": [{"n": 1}, {"n": 2}]}}}


@pytest.mark.urls(__name__)
def test_groups_named_by_an_expression_are_not_split(client):
    home = ProjectFactory(slug="home")
    TaskFactory.create_batch(3, project=home)
    body = groups(client, "{ perProjectNamed { totalCount results { proj n } } }")
    assert body == {
        "data": {"perProjectNamed": {"totalCount": 1, "results": [{"proj": home.pk, "n": 3}]}}
    }


@pytest.mark.urls(__name__)
def test_rows_grouped_by_all_their_columns_keep_the_primary_key_order(client):
    """An aggregate annotated before values() groups by every column: a row per object,
    whose pages are stable only in the primary key's order."""
    home = ProjectFactory(slug="home")
    tasks = TaskFactory.create_batch(7, project=home)
    for index, task in enumerate(tasks):
        task.tags.set(TagFactory.create_batch(index % 3))
    pages = [
        groups(client, f"{{ tagsPerTask(limit: 3, offset: {offset}) {{ results {{ n }} }} }}")
        for offset in (0, 3, 6)
    ]
    counts = [row["n"] for page in pages for row in page["data"]["tagsPerTask"]["results"]]
    assert counts == [index % 3 for index in range(7)]


@pytest.mark.urls(__name__)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="DISTINCT ON fields is PostgreSQL's alone"
)
def test_distinct_on_fields_leads_the_default_order(client):
    home, work = ProjectFactory(slug="home"), ProjectFactory(slug="work")
    first = TaskFactory(project=home)
    TaskFactory(project=home)
    other = TaskFactory(project=work)
    body = groups(client, "{ onePerProject { results { id } } }")
    assert body == {
        "data": {"onePerProject": {"results": [{"id": str(first.pk)}, {"id": str(other.pk)}]}}
    }


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("field", ["tagsPrefetched", "tagsThrough"])
def test_the_querysets_own_prefetch_stands_beside_a_serializers_prefetch_hint(client, field):
    """Django refuses a second queryset for a relation prefetched already: the caller's
    queryset stands (REST reads it so), the serializer's hint gives way."""
    task = TaskFactory(title="T")
    task.tags.set([TagFactory(name="a"), TagFactory(name="b")])
    body = groups(client, f"{{ {field} {{ results {{ title tags {{ name }} }} }} }}")
    assert body == {
        "data": {field: {"results": [{"title": "T", "tags": [{"name": "a"}, {"name": "b"}]}]}}
    }


# ------------------------------------------------------------------ rows read their own way


class AliveManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(retired=False)


def answer_of(rf, field, serializer_class, query):
    schema = graphene.Schema(
        query=type("RowsQuery", (graphene.ObjectType,), {field: ListField(serializer_class)})
    )
    view = DRFGraphQLView.as_view(schema=schema, authentication_classes=[])
    with CaptureQueriesContext(connection) as queries:
        body = json.loads(view(rf.post("/", {"query": query}, "application/json")).content)
    return body, len(queries)


@pytest.mark.django_db(transaction=True)  # SQLite makes tables outside a transaction only
def test_a_key_without_a_constraint_naming_no_row_reads_as_rest_reads_it(rf, isolated_registry):
    """``db_constraint=False``: the row a key names may be gone. REST reads None for it; a
    join dropped the row holding the key from the list, and the type was non-null."""
    with isolate_apps("tests.testapp"):

        class Shelf(models.Model):
            name = models.CharField(max_length=20)

            class Meta:
                app_label = "testapp"

        class Book(models.Model):
            shelf = models.ForeignKey(Shelf, on_delete=models.DO_NOTHING, db_constraint=False)
            shelf_code = models.IntegerField(default=0)
            # A ForeignObject other than a ForeignKey has no constraint at all.
            by_code = models.ForeignObject(
                Shelf,
                on_delete=models.DO_NOTHING,
                from_fields=["shelf_code"],
                to_fields=["id"],
                related_name="+",
            )

            class Meta:
                app_label = "testapp"

    class BookSerializer(serializers.ModelSerializer):
        shelf_name = serializers.CharField(source="shelf.name", read_only=True)
        code_name = serializers.CharField(source="by_code.name", read_only=True)
        label = serializers.SerializerMethodField()

        class Meta:
            model = Book
            fields = ["id", "shelf", "shelf_name", "code_name", "label"]
            select_related = ["shelf"]  # declared: joined, it dropped the row as well

        def get_label(self, book) -> str | None:
            try:
                return book.shelf.name
            except Shelf.DoesNotExist:
                return None

    with tables(Shelf, Book):
        kept, gone = Shelf.objects.create(name="kept"), Shelf.objects.create(name="gone")
        Book.objects.create(shelf=kept, shelf_code=kept.pk)
        Book.objects.create(shelf=gone, shelf_code=gone.pk)
        gone_pk = gone.pk
        gone.delete()
        rest = BookSerializer(Book.objects.order_by("pk"), many=True).data
        assert [(row["shelf_name"], row["code_name"]) for row in rest] == [
            ("kept", "kept"),
            (None, None),
        ]
        for selected, shown in [
            ("shelf shelfName", lambda pk, name: {"shelf": str(pk), "shelfName": name}),
            ("codeName", lambda pk, name: {"codeName": name}),
            ("label", lambda pk, name: {"label": name}),
        ]:
            query = f"{{ books {{ totalCount results {{ {selected} }} }} }}"
            body, _ = answer_of(rf, "books", BookSerializer, query)
            results = [shown(kept.pk, "kept"), shown(gone_pk, None)]
            assert body == {"data": {"books": {"totalCount": 2, "results": results}}}


@pytest.mark.django_db(transaction=True)  # SQLite makes tables outside a transaction only
@pytest.mark.parametrize("null", [True, False])
def test_a_relation_whose_base_manager_hides_rows_is_read_through_it(rf, isolated_registry, null):
    """REST reads a foreign key's row through its model's base manager: one that hides rows
    (``Meta.base_manager_name``) makes them None. A join ignores managers, and showed them;
    over a NOT NULL key, the type was non-null, and the answer failed."""
    with isolate_apps("tests.testapp"):

        class Keeper(models.Model):
            name = models.CharField(max_length=20)
            retired = models.BooleanField(default=False)
            objects = AliveManager()

            class Meta:
                app_label = "testapp"
                base_manager_name = "objects"

        class Holder(models.Model):
            keeper = models.ForeignKey(Keeper, null=null, on_delete=models.CASCADE)

            class Meta:
                app_label = "testapp"

    class KeeperSerializer(serializers.ModelSerializer):
        class Meta:
            model = Keeper
            fields = ["name"]

    class HolderSerializer(serializers.ModelSerializer):
        keeper = KeeperSerializer(read_only=True)
        keeper_name = serializers.SlugRelatedField(
            source="keeper", slug_field="name", read_only=True
        )

        class Meta:
            model = Holder
            fields = ["id", "keeper", "keeper_name"]

    with tables(Keeper, Holder):
        Holder.objects.create(keeper=Keeper.objects.create(name="active"))
        Holder.objects.create(keeper=Keeper.objects.create(name="retired", retired=True))
        rest = HolderSerializer(Holder.objects.order_by("pk"), many=True).data
        assert [(row["keeper"], row["keeper_name"]) for row in rest] == [
            ({"name": "active"}, "active"),
            (None, None),
        ]
        query = "{ holders { results { keeper { name } keeperName } } }"
        body, _ = answer_of(rf, "holders", HolderSerializer, query)
        assert body == {
            "data": {
                "holders": {
                    "results": [
                        {"keeper": {"name": "active"}, "keeperName": "active"},
                        {"keeper": None, "keeperName": None},
                    ]
                }
            }
        }


@pytest.mark.django_db(transaction=True)  # SQLite makes tables outside a transaction only
@pytest.mark.parametrize("reader", ["__init__", "post_init"])
def test_rows_reading_their_columns_when_loaded_are_loaded_whole(rf, isolated_registry, reader):
    """A model noting a column as each row is built (change tracking: an ``__init__`` of
    its own, django-model-utils' ``FieldTracker`` on ``post_init``) read a column left out
    by ``.only()`` with a query per row: N + 1 where REST makes one."""
    from django.db.models.signals import post_init

    with isolate_apps("tests.testapp"):

        class Tracked(models.Model):
            name = models.CharField(max_length=20)
            state = models.CharField(max_length=20, default="new")

            class Meta:
                app_label = "testapp"

            if reader == "__init__":

                def __init__(self, *args, **kwargs):
                    super().__init__(*args, **kwargs)
                    self.state_when_loaded = self.state

    def note_state(sender, instance, **kwargs):
        instance.state_when_loaded = instance.state

    class TrackedSerializer(serializers.ModelSerializer):
        class Meta:
            model = Tracked
            fields = ["id", "name"]

    if reader == "post_init":
        post_init.connect(note_state, sender=Tracked)
    try:
        with tables(Tracked):
            Tracked.objects.bulk_create([Tracked(name=f"t{n}") for n in range(5)])
            with CaptureQueriesContext(connection) as rest:
                TrackedSerializer(Tracked.objects.all(), many=True).data  # noqa: B018
            body, queries = answer_of(
                rf, "tracked", TrackedSerializer, "{ tracked { results { name } } }"
            )
            assert len(body["data"]["tracked"]["results"]) == 5
            assert (len(rest), queries) == (1, 1)
    finally:
        post_init.disconnect(note_state, sender=Tracked)


def test_an_order_by_a_relation_follows_its_models_own_ordering():
    """Ordered by a foreign key, Django orders by the related model's Meta.ordering, which
    may go through a to-many relation: rows then repeat, and pages follow the count."""
    from drf_graphql_crud.queries import _orders_across_many

    with isolate_apps("tests.testapp"):

        class Label(models.Model):
            class Meta:
                app_label = "testapp"
                ordering = ["notes__text"]

        class Note(models.Model):
            label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="notes")
            text = models.CharField(max_length=10)

            class Meta:
                app_label = "testapp"

        class Entry(models.Model):
            label = models.ForeignKey(Label, on_delete=models.CASCADE)

            class Meta:
                app_label = "testapp"

    assert _orders_across_many(Entry.objects.order_by("label"))
    assert _orders_across_many(Entry.objects.order_by("-label__notes__text"))
    assert not _orders_across_many(Entry.objects.order_by("id"))
    assert not _orders_across_many(Note.objects.order_by("label__id", "text"))


# ------------------------------------------------------------------------------ trees


class CategoryTreeSerializer(serializers.ModelSerializer):
    """A tree, as REST APIs nest one: each category with its children, and theirs."""

    class Meta:
        model = Category
        fields = ["id", "name"]

    def get_fields(self):
        fields = super().get_fields()
        fields["children"] = CategoryTreeSerializer(many=True, read_only=True)
        return fields


class ShoutedCategoryTreeSerializer(CategoryTreeSerializer):
    """Renders its own way, so every field is kept, whatever is selected."""

    def get_fields(self):
        fields = super().get_fields()
        fields["children"] = ShoutedCategoryTreeSerializer(many=True, read_only=True)
        return fields

    def to_representation(self, instance):
        return {**super().to_representation(instance), "name": instance.name.upper()}


class CategoryTreeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Category.objects.filter(parent=None)
    serializer_class = CategoryTreeSerializer


class ShoutedCategoryTreeViewSet(CategoryTreeViewSet):
    serializer_class = ShoutedCategoryTreeSerializer


class TreeQuery(graphene.ObjectType):
    categories = ListField(CategoryTreeSerializer, queryset=Category.objects.filter(parent=None))
    shouted_categories = ListField(
        ShoutedCategoryTreeSerializer, queryset=Category.objects.filter(parent=None)
    )
    category = RetrieveField(CategoryTreeSerializer, queryset=Category.objects.all())


tree_router = DefaultRouter()
tree_router.register("category-trees", CategoryTreeViewSet, basename="category-tree")
tree_router.register("shouted-trees", ShoutedCategoryTreeViewSet, basename="shouted-tree")
urlpatterns += [
    path("tree-graphql/", DRFGraphQLView.as_view(schema=graphene.Schema(query=TreeQuery))),
    path("tree-api/", include(tree_router.urls)),
]


def category_tree():
    """fruit > (apple > (cox, gala), pear); vegetables"""
    fruit = CategoryFactory(name="fruit")
    apple = CategoryFactory(name="apple", parent=fruit)
    CategoryFactory(name="cox", parent=apple)
    CategoryFactory(name="gala", parent=apple)
    CategoryFactory(name="pear", parent=fruit)
    CategoryFactory(name="vegetables")
    return fruit


def ids_as_text(tree):
    return [
        {"id": str(node["id"]), "name": node["name"], "children": ids_as_text(node["children"])}
        for node in tree
    ]


@pytest.mark.urls(__name__)
def test_a_tree_reads_as_rest_renders_it_one_query_per_level(client, django_assert_num_queries):
    category_tree()
    three_levels = "children { id name children { id name children { id name } } }"
    # The roots, then each selected level's children in one query: REST's serializer
    # reads each row's children with a query of its own (6 here, after the roots).
    with django_assert_num_queries(4):
        response = client.post(
            "/tree-graphql/",
            json.dumps({"query": "{ categories { results { id name " + three_levels + " } } }"}),
            content_type="application/json",
        )
    rest = client.get("/tree-api/category-trees/").json()
    assert response.json() == {"data": {"categories": {"results": ids_as_text(rest)}}}


@pytest.mark.urls(__name__)
def test_a_tree_is_read_as_deep_as_selected(client, django_assert_num_queries):
    fruit = category_tree()
    with django_assert_num_queries(2):
        response = client.post(
            "/tree-graphql/",
            json.dumps(
                {
                    "query": "query($id: ID!) { category(id: $id) { name children { name } } }",
                    "variables": {"id": fruit.pk},
                }
            ),
            content_type="application/json",
        )
    assert response.json() == {
        "data": {"category": {"name": "fruit", "children": [{"name": "apple"}, {"name": "pear"}]}}
    }


@pytest.mark.urls(__name__)
def test_a_tree_kept_whole_reads_as_rest_renders_it(client, django_assert_num_queries):
    """Its own to_representation keeps every level: the first level's children are
    prefetched, the levels below read per row, as REST reads them all (a walk of the
    levels never ended)."""
    category_tree()
    with django_assert_num_queries(6):  # REST: 7, a query for each row's children
        response = client.post(
            "/tree-graphql/",
            json.dumps({"query": "{ shoutedCategories { results { name children { name } } } }"}),
            content_type="application/json",
        )
    rest = client.get("/tree-api/shouted-trees/").json()
    assert response.json() == {
        "data": {
            "shoutedCategories": {
                "results": [
                    {
                        "name": node["name"],
                        "children": [{"name": c["name"]} for c in node["children"]],
                    }
                    for node in rest
                ]
            }
        }
    }
    assert [node["name"] for node in rest] == ["FRUIT", "VEGETABLES"]


def test_a_payload_values_quick_test_agrees_with_its_types_serialize():
    """``unrepresented_fields`` takes the values a type plainly holds without calling its
    ``serialize``: it must refuse exactly what ``serialize`` refuses."""
    from graphql import GraphQLBoolean, GraphQLFloat, GraphQLID, GraphQLInt, GraphQLString

    from drf_graphql_crud.queries import _value_refusal
    from tests.testapp.schema import schema as testapp_schema

    status = testapp_schema.graphql_schema.get_type("TaskStatusChoices")
    date = testapp_schema.graphql_schema.get_type("DateString")
    values = ["todo", "archived", "", "1", 1, 2**31, -(2**31), 1.5, True, False, None, [1], {}]
    for leaf_type in (
        GraphQLString, GraphQLID, GraphQLInt, GraphQLFloat, GraphQLBoolean, status, date
    ):  # fmt: skip
        for value in values:
            try:
                serialized = leaf_type.serialize(value)
                refused = serialized is None
            except Exception:  # noqa: BLE001 - any refusal
                refused = True
            assert (_value_refusal(leaf_type)(value) is not None) == refused, (leaf_type, value)
