"""ListField / RetrieveField vs DRF ListAPIView / RetrieveAPIView, same parameters."""

import datetime
import json

import django_filters
import graphene
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, generics, permissions, serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.test import APIRequestFactory, force_authenticate

from drf_graphql_crud import DRFGraphQLView, ListField, RetrieveField
from tests.factories import ProjectFactory, SubtaskFactory, TagFactory, TaskFactory, UserFactory
from tests.testapp.models import Project, Tag, Task

pytestmark = [pytest.mark.django_db]


def visible_projects(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(tasks__owner=user).distinct()


def visible_tags(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Tag.objects.none()
    return Tag.objects.filter(name__startswith="pub")


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    pass


class ProbeFilter(django_filters.FilterSet):
    ids = NumberInFilter(field_name="id", lookup_expr="in")
    prio = django_filters.RangeFilter(field_name="priority")
    no_due = django_filters.BooleanFilter(field_name="due_date", lookup_expr="isnull")
    due = django_filters.DateFromToRangeFilter(field_name="due_date")
    due_gte = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    created_day = django_filters.DateFilter(field_name="created", lookup_expr="date")
    created_after = django_filters.IsoDateTimeFilter(field_name="created", lookup_expr="gte")
    status = django_filters.ChoiceFilter(choices=Task.Status.choices)
    status_in = django_filters.MultipleChoiceFilter(field_name="status", choices=Task.Status.choices)
    project = django_filters.ModelChoiceFilter(queryset=visible_projects)
    tags = django_filters.ModelMultipleChoiceFilter(queryset=visible_tags)
    word = django_filters.CharFilter(method="filter_word")
    has_notes = django_filters.BooleanFilter(method="filter_has_notes")
    title_in = django_filters.BaseInFilter(field_name="title", lookup_expr="in")
    prio_range = django_filters.NumericRangeFilter(field_name="priority")
    prio_r = django_filters.BaseRangeFilter(field_name="priority", lookup_expr="range")
    estimate_null = django_filters.BooleanFilter(field_name="estimate", lookup_expr="isnull")
    proj_name = django_filters.ChoiceFilter(
        field_name="project__name", choices=[("Apollo rocket", "A")], null_label="No project"
    )

    class Meta:
        model = Task
        fields = {"priority": ["exact", "in", "range", "isnull", "gt", "lt"], "due_date": ["exact", "year__gte"]}

    def filter_word(self, queryset, name, value):
        return queryset.filter(title__icontains=value)

    def filter_has_notes(self, queryset, name, value):
        return queryset.exclude(notes="") if value else queryset.filter(notes="")


class QsFilter(django_filters.FilterSet):
    class Meta:
        model = Task
        fields = ["status"]

    @property
    def qs(self):
        parent = super().qs
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return parent.none()
        return parent.filter(owner=user)


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "name"]


class SubSer(serializers.Serializer):
    title = serializers.CharField()


class ProbeTaskSerializer(serializers.ModelSerializer):
    project = ProjectSerializer(read_only=True)
    subtasks = SubSer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "status", "priority", "due_date", "project", "tags", "subtasks"]


class IsOwner(permissions.BasePermission):
    message = "Only the owner."

    def has_permission(self, request, view):
        return request.user.is_authenticated

    def has_object_permission(self, request, view, obj):
        return obj.owner_id == request.user.id


class Paging(LimitOffsetPagination):
    default_limit = 100
    max_limit = 100


SEARCH = ["title", "project__name", "=notes", "tags__name"]
ORDER = ["project__name", "due_date", "title", "priority", "estimate", "id"]


class RestList(generics.ListAPIView):
    serializer_class = ProbeTaskSerializer
    queryset = Task.objects.order_by("pk")
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_class = ProbeFilter
    search_fields = SEARCH
    ordering_fields = ORDER
    pagination_class = Paging
    permission_classes = [permissions.AllowAny]


class RestQsList(RestList):
    filterset_class = QsFilter


class RestOwnList(RestList):
    def get_queryset(self):
        return Task.objects.filter(owner=self.request.user).order_by("pk")


class RestRetrieve(generics.RetrieveAPIView):
    serializer_class = ProbeTaskSerializer
    queryset = Task.objects.all()
    permission_classes = [IsOwner]


def own_tasks(info):
    return Task.objects.filter(owner=info.context.user).order_by("pk")


class Query(graphene.ObjectType):
    tasks = ListField(
        ProbeTaskSerializer,
        queryset=Task.objects.order_by("pk"),
        filterset_class=ProbeFilter,
        search_fields=SEARCH,
        ordering_fields=ORDER,
        permission_classes=[permissions.AllowAny],
    )
    qs_tasks = ListField(
        ProbeTaskSerializer,
        queryset=Task.objects.order_by("pk"),
        filterset_class=QsFilter,
        permission_classes=[permissions.AllowAny],
    )
    own_tasks = ListField(ProbeTaskSerializer, queryset=own_tasks, permission_classes=[permissions.AllowAny])
    task = RetrieveField(ProbeTaskSerializer, permission_classes=[IsOwner])


schema = graphene.Schema(query=Query)
gql_view = DRFGraphQLView.as_view(schema=schema)

RF = APIRequestFactory()


def gql(query, variables=None, user=None):
    body = json.dumps({"query": query, "variables": variables or {}})
    request = RF.post("/graphql/", body, content_type="application/json")
    if user is not None:
        force_authenticate(request, user=user)
    return json.loads(gql_view(request).content)


def rest(view_class, params=None, user=None, **kwargs):
    request = RF.get("/tasks/", params or {})
    if user is not None:
        force_authenticate(request, user=user)
    response = view_class.as_view()(request, **kwargs)
    response.render()
    return response.status_code, json.loads(response.content)


LIST_Q = """query($f: TaskFilterProbeInput, $s: String, $o: [String!], $l: Int, $off: Int) {
  tasks(filter: $f, search: $s, orderBy: $o, limit: $l, offset: $off) {
    totalCount results { id title status priority dueDate project { id name } tags subtasks { title } } } }"""


def gql_list(user=None, field="tasks", **args):
    q = LIST_Q.replace("TaskFilterProbeInput", "ProbeFilterInput")
    if field != "tasks":
        q = q.replace("tasks(", f"{field}(")
    body = gql(q, {"f": args.get("filter"), "s": args.get("search"), "o": args.get("order"),
                   "l": args.get("limit"), "off": args.get("offset")}, user=user)
    return body


def ids(body_or_rest):
    if "data" in body_or_rest:
        data = body_or_rest["data"]
        value = next(iter(data.values()))
        return value["totalCount"], [int(r["id"]) for r in value["results"]]
    return body_or_rest["count"], [r["id"] for r in body_or_rest["results"]]


@pytest.fixture
def world():
    alice = UserFactory(username="alice")
    bob = UserFactory(username="bob")
    p1 = ProjectFactory(name="Apollo rocket")
    p2 = ProjectFactory(name="Zeus, king")
    p3 = ProjectFactory(name="Bob's secret")
    pub = TagFactory(name="pub1")
    priv = TagFactory(name="priv1")
    t = []
    t.append(TaskFactory(title="alpha one", owner=alice, project=p1, priority=1,
                         due_date=datetime.date(2024, 1, 5), notes="n"))
    t.append(TaskFactory(title="beta two", owner=alice, project=p2, priority=2, due_date=None,
                         status="done"))
    t.append(TaskFactory(title="gamma three", owner=bob, project=None, priority=3,
                         due_date=datetime.date(2025, 6, 1), status="in_progress"))
    t.append(TaskFactory(title="delta, four", owner=bob, project=p3, priority=2,
                         due_date=datetime.date(2023, 3, 3)))
    t[0].tags.add(pub)
    t[1].tags.add(priv)
    t[2].tags.add(pub, priv)
    for task in t:
        SubtaskFactory(task=task)
    return dict(alice=alice, bob=bob, p1=p1, p2=p2, p3=p3, pub=pub, priv=priv, t=t)


def both(world, rest_params, user=None, **gargs):
    code, r = rest(RestList, rest_params, user=user)
    g = gql_list(user=user, **gargs)
    return (code, r), g


CASES = [
    ({"ids": "1,3"}, {"filter": {"ids": ["1", "3"]}}),
    ({"prio_min": "2", "prio_max": "3"}, {"filter": {"prioMin": 2, "prioMax": 3}}),
    ({"no_due": "true"}, {"filter": {"noDue": True}}),
    ({"no_due": "false"}, {"filter": {"noDue": False}}),
    ({"due_after": "2024-01-01"}, {"filter": {"dueAfter": "2024-01-01"}}),
    ({"due_gte": "2024-01-01"}, {"filter": {"dueGte": "2024-01-01"}}),
    ({"status": "done"}, {"filter": {"status": "done"}}),
    ({"status_in": ["done", "todo"]}, {"filter": {"statusIn": ["done", "todo"]}}),
    ({"word": "ALPHA"}, {"filter": {"word": "ALPHA"}}),
    ({"has_notes": "true"}, {"filter": {"hasNotes": True}}),
    ({"priority__in": "1,2"}, {"filter": {"priority_In": ["1", "2"]}}),
    ({"priority__range": "2,3"}, {"filter": {"priority_Range": ["2", "3"]}}),
    ({"priority__isnull": "false"}, {"filter": {"priority_Isnull": False}}),
    ({"priority__gt": "1"}, {"filter": {"priority_Gt": 1}}),
    ({"due_date__year__gte": "2024"}, {"filter": {"dueDate_Year_Gte": 2024}}),
    ({"title_in": "alpha one,beta two"}, {"filter": {"titleIn": ["alpha one", "beta two"]}}),
    ({"proj_name": "null"}, {"filter": {"projName": "null"}}),
    ({"proj_name": "Apollo rocket"}, {"filter": {"projName": "Apollo rocket"}}),
    ({"search": "pub1 priv1"}, {"search": "pub1 priv1"}),
    ({"search": "1"}, {"search": "1"}),
    ({"priority__gt": "1.5"}, {"filter": {"priority_Gt": 1.5}}),
    ({"prio_min": "1.5"}, {"filter": {"prioMin": 1.5}}),
    ({"priority__gt": "3000000000"}, {"filter": {"priority_Gt": 3000000000}}),
    ({"priority__lt": "3000000000"}, {"filter": {"priority_Lt": 3000000000}}),
    ({"prio_r": "1,2"}, {"filter": {"prioR": ["1", "2"]}}),
    ({"estimate_null": "true"}, {"filter": {"estimateNull": True}}),
    ({"search": "apollo"}, {"search": "apollo"}),
    ({"search": "\"alpha one\""}, {"search": "\"alpha one\""}),
    ({"search": "delta, four"}, {"search": "delta, four"}),
    ({"search": "\"delta, four\""}, {"search": "\"delta, four\""}),
    ({"search": "zeus,beta"}, {"search": "zeus,beta"}),
    ({"search": "n"}, {"search": "n"}),
    ({"ordering": "project__name"}, {"order": ["project__name"]}),
    ({"ordering": "-project__name"}, {"order": ["-project__name"]}),
    ({"ordering": "due_date"}, {"order": ["due_date"]}),
    ({"ordering": "-due_date"}, {"order": ["-due_date"]}),
    ({"ordering": "-priority,title"}, {"order": ["-priority", "title"]}),
    ({"ordering": "estimate,-id"}, {"order": ["estimate", "-id"]}),
    ({"limit": "2", "offset": "1"}, {"limit": 2, "offset": 1}),
    ({"limit": "2", "offset": "4"}, {"limit": 2, "offset": 4}),
    ({"limit": "2", "offset": "3"}, {"limit": 2, "offset": 3}),
    ({"limit": "0"}, {"limit": 0}),
    ({"limit": "1000"}, {"limit": 1000}),
]


@pytest.mark.parametrize("rest_params,gargs", CASES, ids=[repr(c[0]) for c in CASES])
def test_list_parity(world, rest_params, gargs):
    (code, r), g = both(world, rest_params, user=world["alice"], **gargs)
    assert "errors" not in g, g
    assert code == 200, r
    assert ids(g) == ids(r)
    assert g["data"]["tasks"]["results"] == [norm(row) for row in r["results"]]


def norm(row):
    out = {k: v for k, v in row.items() if k != "due_date"}
    out.update(id=str(row["id"]), dueDate=row["due_date"], status=row["status"].upper(),
               tags=[str(t) for t in row["tags"]])
    if row["project"] is not None:
        out["project"] = {**row["project"], "id": str(row["project"]["id"])}
    return out


def test_model_choice_filter_per_user(world):
    # bob can see p3 (his task's project); alice cannot.
    p3 = world["p3"].pk
    for user in (world["alice"], world["bob"]):
        code, r = rest(RestList, {"project": str(p3)}, user=user)
        g = gql_list(user=user, filter={"project": str(p3)})
        print(user, code, r, g)
        if code == 200:
            assert ids(g) == ids(r)
        else:
            assert g["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
            fields = [e["field"] for e in g["errors"][0]["extensions"]["errors"]]
            assert fields == ["filter.project"], g
            assert list(r) == ["project"]


def test_model_multiple_choice_filter_per_user(world):
    pub, priv = world["pub"].pk, world["priv"].pk
    for user, tags in ((world["alice"], [pub]), (world["alice"], [pub, priv]), (None, [pub])):
        code, r = rest(RestList, {"tags": [str(t) for t in tags]}, user=user)
        g = gql_list(user=user, filter={"tags": [str(t) for t in tags]})
        print(user, code, r, g)
        if code == 200:
            assert ids(g) == ids(r)
        else:
            assert g["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
            fields = [e["field"] for e in g["errors"][0]["extensions"]["errors"]]
            assert fields == ["filter.tags"], g


@pytest.mark.parametrize(
    "rest_params,gfilter",
    [
        ({"status": "bogus"}, {"status": "bogus"}),
        ({"ids": "1,x"}, {"ids": ["1", "x"]}),
        ({"priority__range": "1"}, {"priority_Range": ["1"]}),
        ({"due_date": "2024-13-01"}, {"dueDate": "2024-13-01"}),
        ({"due_after": "2024-02-01", "due_before": "nope"}, {"dueAfter": "2024-02-01", "dueBefore": "nope"}),
        ({"status_in": ["bogus"]}, {"statusIn": ["bogus"]}),
        ({"created_after": "yesterday"}, {"createdAfter": "yesterday"}),
    ],
)
def test_filter_errors(world, rest_params, gfilter):
    code, r = rest(RestList, rest_params, user=world["alice"])
    g = gql_list(user=world["alice"], filter=gfilter)
    print(code, r, json.dumps(g))
    assert code == 400
    assert g["data"] is None or g["data"]["tasks"] is None
    ext = g["errors"][0]["extensions"]
    assert ext["code"] == "VALIDATION_ERROR"
    rest_messages = sorted(m for msgs in r.values() for m in msgs)
    gql_messages = sorted(e["message"] for e in ext["errors"])
    assert gql_messages == rest_messages
    assert all(e["field"].startswith("filter.") for e in ext["errors"]), ext


def test_qs_property_filter(world):
    for user in (world["alice"], None):
        code, r = rest(RestQsList, {"status": "todo"}, user=user)
        g = gql_list(user=user, field="qsTasks", filter=None)
        q = LIST_Q.replace("TaskFilterProbeInput", "QsFilterInput").replace("tasks(", "qsTasks(")
        q = q.replace("search: $s, orderBy: $o, ", "").replace(", $s: String, $o: [String!]", "")
        g = gql(q, {"f": {"status": "todo"}}, user=user)
        print(user, r, g)
        assert ids(g) == ids(r)
        # without any filter value
        code, r = rest(RestQsList, {}, user=user)
        g = gql(q, {}, user=user)
        print(user, r, g)
        assert ids(g) == ids(r)


def test_own_tasks_callable(world):
    q = "{ ownTasks { totalCount results { id } } }"
    g = gql(q, user=world["bob"])
    code, r = rest(RestOwnList, {}, user=world["bob"])
    assert ids(g) == ids(r)



RETRIEVE = "query($id: ID!) { task(id: $id) { id title project { name } subtasks { title } } }"


def test_retrieve_permissions(world):
    t = world["t"]
    for user in (world["alice"], world["bob"], None):
        for task in (t[0], t[2]):
            code, r = rest(RestRetrieve, user=user, pk=task.pk)
            g = gql(RETRIEVE, {"id": str(task.pk)}, user=user)
            print(user, task.pk, code, r, g)
            if code == 200:
                assert g["data"]["task"]["title"] == r["title"]
            else:
                ext = g["errors"][0]["extensions"]
                assert ext["status"] == code, (ext, r)
                assert g["errors"][0]["message"] == r["detail"]
    code, r = rest(RestRetrieve, user=world["alice"], pk=9999)
    g = gql(RETRIEVE, {"id": "9999"}, user=world["alice"])
    assert code == 404 and g["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_query_count_flat(world):
    def count(n_extra):
        for i in range(n_extra):
            task = TaskFactory(project=world["p1"], owner=world["alice"])
            task.tags.add(world["pub"])
            SubtaskFactory(task=task)
        with CaptureQueriesContext(connection) as ctx:
            body = gql_list(user=world["alice"], search="a", order=["project__name"],
                            filter={"tags": [str(world["pub"].pk)], "noDue": True})
        assert "errors" not in body, body
        return len(ctx.captured_queries)

    assert count(1) == count(20)
