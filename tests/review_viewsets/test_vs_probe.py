"""Probes: ViewSetCrud vs REST for viewsets beyond a plain ModelViewSet."""

import json

import django_filters
import graphene
import pytest
from django.urls import include, path
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, mixins, pagination, serializers, status, viewsets
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from drf_graphql_crud import DRFGraphQLView, ViewSetCrud
from tests.factories import ProjectFactory, TagFactory, TaskFactory, UserFactory
from tests.testapp.models import Project, Tag, Task

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

SEEN_ACTIONS = []


# ---------------------------------------------------------------- serializers
class RvTagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]


class RvProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "slug", "name"]


class RvTaskListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title"]


class RvTaskDetailSerializer(serializers.ModelSerializer):
    greeting = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "title", "notes", "status", "priority", "owner", "greeting"]
        read_only_fields = ["owner"]

    def get_greeting(self, obj) -> str:
        return str(self.context.get("greeting", "none"))


class RvTaskPageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "priority", "status"]


# ---------------------------------------------------------------- viewsets
class RvReadOnlyTagViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Tag.objects.order_by("pk")
    serializer_class = RvTagSerializer


class RvCreateListProjectViewSet(mixins.CreateModelMixin, mixins.ListModelMixin,
                                 viewsets.GenericViewSet):
    queryset = Project.objects.order_by("pk")
    serializer_class = RvProjectSerializer


class RvOverrideTaskViewSet(viewsets.ModelViewSet):
    """Overrides create/destroy/list/retrieve themselves."""

    queryset = Task.objects.order_by("pk")
    serializer_class = RvTaskPageSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save(notes="made-by-create-override")
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        # soft delete
        instance = self.get_object()
        instance.status = "done"
        instance.save()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset()).exclude(status="done")
        return Response(self.get_serializer(queryset, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        if instance.status == "done":
            return Response({"detail": "gone"}, status=status.HTTP_410_GONE)
        return Response(self.get_serializer(instance).data)


class RvPerActionTaskViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.order_by("pk")

    def get_serializer_class(self):
        SEEN_ACTIONS.append(self.action)
        if self.action == "list":
            return RvTaskListSerializer
        return RvTaskDetailSerializer

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["greeting"] = f"hello-{self.action}"
        return ctx

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user, notes="set-by-perform-create")

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        if self.action == "destroy":
            return [IsAdminUser()]
        return [IsAuthenticated()]


class RvGetObjectTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """get_object() override: lookup by title when not numeric."""

    queryset = Task.objects.order_by("pk")
    serializer_class = RvTaskPageSerializer

    def get_object(self):
        value = self.kwargs["pk"]
        qs = self.filter_queryset(self.get_queryset())
        if value.isdigit():
            obj = qs.get(pk=value)
        else:
            obj = qs.get(title=value)
        self.check_object_permissions(self.request, obj)
        return obj


class RvPageNumber(pagination.PageNumberPagination):
    page_size = 2
    page_size_query_param = "size"
    max_page_size = 3


class RvLimitOffset(pagination.LimitOffsetPagination):
    default_limit = 2
    max_limit = 3


class RvCursor(pagination.CursorPagination):
    page_size = 2
    ordering = "-priority"
    page_size_query_param = "size"


class RvTaskFilter(django_filters.FilterSet):
    min_priority = django_filters.NumberFilter(field_name="priority", lookup_expr="gte")

    class Meta:
        model = Task
        fields = ["status"]


class RvFilteredBase(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = RvTaskPageSerializer
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_class = RvTaskFilter
    search_fields = ["title", "notes"]
    ordering_fields = ["priority", "title", "id"]


class RvPageNumberViewSet(RvFilteredBase):
    pagination_class = RvPageNumber


class RvLimitOffsetViewSet(RvFilteredBase):
    pagination_class = RvLimitOffset


class RvCursorViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.all()
    serializer_class = RvTaskPageSerializer
    pagination_class = RvCursor


class RvNoPatchViewSet(viewsets.ModelViewSet):
    queryset = Project.objects.order_by("pk")
    serializer_class = RvProjectSerializer
    http_method_names = ["get", "put", "delete"]


class RvNoDeleteViewSet(viewsets.ModelViewSet):
    queryset = Project.objects.order_by("pk")
    serializer_class = RvProjectSerializer
    http_method_names = ["get", "post", "patch"]


def schema_of(crud):
    attrs = {}
    q = type("Q", (crud.Query, graphene.ObjectType), {"ping": graphene.String()})
    m_fields = {k: v for k, v in vars(crud.Mutation).items() if not k.startswith("__")}
    if m_fields:
        m = type("M", (crud.Mutation, graphene.ObjectType), {})
        return graphene.Schema(query=q, mutation=m)
    return graphene.Schema(query=q)


CRUDS = {
    "ro": ViewSetCrud(RvReadOnlyTagViewSet, name="rvTag"),
    "cl": ViewSetCrud(RvCreateListProjectViewSet, name="rvProject"),
    "ov": ViewSetCrud(RvOverrideTaskViewSet, name="rvOvTask"),
    "pa": ViewSetCrud(RvPerActionTaskViewSet, name="rvPaTask"),
    "go": ViewSetCrud(RvGetObjectTaskViewSet, name="rvGoTask"),
    "pn": ViewSetCrud(RvPageNumberViewSet, name="rvPnTask"),
    "lo": ViewSetCrud(RvLimitOffsetViewSet, name="rvLoTask"),
    "cu": ViewSetCrud(RvCursorViewSet, name="rvCuTask"),
    "np": ViewSetCrud(RvNoPatchViewSet, name="rvNpProject"),
    "nd": ViewSetCrud(RvNoDeleteViewSet, name="rvNdProject"),
}
SCHEMAS = {k: schema_of(c) for k, c in CRUDS.items()}

router = SimpleRouter()
router.register("ro", RvReadOnlyTagViewSet, basename="rv-ro")
router.register("cl", RvCreateListProjectViewSet, basename="rv-cl")
router.register("ov", RvOverrideTaskViewSet, basename="rv-ov")
router.register("pa", RvPerActionTaskViewSet, basename="rv-pa")
router.register("go", RvGetObjectTaskViewSet, basename="rv-go")
router.register("pn", RvPageNumberViewSet, basename="rv-pn")
router.register("lo", RvLimitOffsetViewSet, basename="rv-lo")
router.register("cu", RvCursorViewSet, basename="rv-cu")
router.register("np", RvNoPatchViewSet, basename="rv-np")
router.register("nd", RvNoDeleteViewSet, basename="rv-nd")

urlpatterns = [path(f"gql/{k}/", DRFGraphQLView.as_view(schema=s)) for k, s in SCHEMAS.items()]
urlpatterns += [path("api/", include(router.urls))]


def gql(client, key, query, variables=None):
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    r = client.post(f"/gql/{key}/", json.dumps(body), content_type="application/json")
    return r.status_code, r.json()


def rest(client, method, url, data=None):
    kw = {}
    if data is not None:
        kw = {"data": json.dumps(data), "content_type": "application/json"}
    r = getattr(client, method)(url, **kw)
    return r.status_code, (r.json() if r.content else None)


def fields_of(schema, root):
    t = schema.graphql_schema.get_type(root)
    return sorted(t.fields) if t else []


# ---------------------------------------------------------------- shapes
def test_shapes():
    out = {k: (fields_of(s, "Q"), fields_of(s, "M")) for k, s in SCHEMAS.items()}
    print(json.dumps(out, indent=1))
    assert out["ro"] == (["ping", "rvTag", "rvTags"], [])
    assert out["cl"] == (["ping", "rvProjects"], ["createRvProject"])
    # np: PUT only -> update with full input
    assert "updateRvNpProject" in out["np"][1] and "createRvNpProject" not in out["np"][1]
    assert "deleteRvNdProject" not in out["nd"][1]


def test_put_only_update_input_is_full(client):
    p = ProjectFactory()
    st, body = rest(client, "put", f"/api/np/{p.pk}/", {"name": "x"})
    print("REST PUT partial body", st, body)
    st2, body2 = gql(client, "np", 'mutation{updateRvNpProject(id:%d,input:{name:"x"}){rvNpProject{id name slug}}}' % p.pk)
    print("GQL", st2, body2)
    assert st == 400
    assert body2.get("data") is None or body2["data"]["updateRvNpProject"] is None


# ---------------------------------------------------------------- overrides
def test_override_create(client):
    st, body = rest(client, "post", "/api/ov/", {"title": "A rest"})
    rest_notes = Task.objects.get(pk=body["id"]).notes
    st2, body2 = gql(client, "ov", 'mutation{createRvOvTask(input:{title:"A gql"}){rvOvTask{id title}}}')
    print(st, body, rest_notes, st2, body2)
    gql_notes = Task.objects.get(pk=body2["data"]["createRvOvTask"]["rvOvTask"]["id"]).notes
    assert gql_notes == rest_notes, (gql_notes, rest_notes)


def test_override_destroy(client):
    t1, t2 = TaskFactory(), TaskFactory()
    st, _ = rest(client, "delete", f"/api/ov/{t1.pk}/")
    st2, body2 = gql(client, "ov", "mutation{deleteRvOvTask(id:%d){deletedId}}" % t2.pk)
    print(st, Task.objects.filter(pk=t1.pk).exists(), st2, body2, Task.objects.filter(pk=t2.pk).exists())
    assert Task.objects.filter(pk=t1.pk).exists()  # REST soft-deleted
    assert Task.objects.filter(pk=t2.pk).exists(), "GraphQL hard-deleted the row REST keeps"


def test_override_list_retrieve(client):
    a = TaskFactory(status="todo")
    b = TaskFactory(status="done")
    st, body = rest(client, "get", "/api/ov/")
    st2, body2 = gql(client, "ov", "{rvOvTasks{totalCount results{id}}}")
    print("list", st, body, st2, body2)
    st3, body3 = rest(client, "get", f"/api/ov/{b.pk}/")
    st4, body4 = gql(client, "ov", "{rvOvTask(id:%d){id status}}" % b.pk)
    print("retrieve", st3, body3, st4, body4)
    assert [r["id"] for r in body] == [r["id"] for r in body2["data"]["rvOvTasks"]["results"]]
    assert st4 == 200 and body4["data"]["rvOvTask"] is None


# ---------------------------------------------------------------- per-action hooks
def test_per_action_serializer_context_perform_create(client):
    user = UserFactory()
    client.force_login(user)
    SEEN_ACTIONS.clear()
    st, body = rest(client, "post", "/api/pa/", {"title": "rest one"})
    rest_seen = list(SEEN_ACTIONS)
    SEEN_ACTIONS.clear()
    st2, body2 = gql(client, "pa", 'mutation{createRvPaTask(input:{title:"gql one"}){rvPaTask{id title notes owner greeting}}}')
    gql_seen = list(SEEN_ACTIONS)
    print(st, body, rest_seen, st2, body2, gql_seen)
    g = body2["data"]["createRvPaTask"]["rvPaTask"]
    assert g["greeting"] == body["greeting"] == "hello-create"
    assert g["notes"] == body["notes"] == "set-by-perform-create"
    assert str(g["owner"]) == str(body["owner"]) == str(user.pk)

    t = Task.objects.get(pk=body["id"])
    SEEN_ACTIONS.clear()
    st, lbody = rest(client, "get", "/api/pa/")
    rs = list(SEEN_ACTIONS)
    SEEN_ACTIONS.clear()
    st2, lbody2 = gql(client, "pa", "{rvPaTasks{results{id title}} rvPaTask(id:%d){id greeting notes}}" % t.pk)
    gs = list(SEEN_ACTIONS)
    st3, rbody = rest(client, "get", f"/api/pa/{t.pk}/")
    print(lbody, rs, lbody2, gs, rbody)
    assert lbody2["data"]["rvPaTask"]["greeting"] == rbody["greeting"]
    assert lbody2["data"]["rvPaTasks"]["results"] == [{**r, "id": str(r["id"])} for r in lbody]

    # update/partial_update
    SEEN_ACTIONS.clear()
    st, ubody = rest(client, "patch", f"/api/pa/{t.pk}/", {"title": "patched r"})
    rs = list(SEEN_ACTIONS)
    SEEN_ACTIONS.clear()
    st2, ubody2 = gql(client, "pa", 'mutation{updateRvPaTask(id:%d,input:{title:"patched g"}){rvPaTask{greeting title}}}' % t.pk)
    gs = list(SEEN_ACTIONS)
    print("update", ubody, rs, ubody2, gs)
    assert ubody2["data"]["updateRvPaTask"]["rvPaTask"]["greeting"] == ubody["greeting"]


def test_get_permissions_per_action(client):
    t = TaskFactory()
    st, body = rest(client, "post", "/api/pa/", {"title": "anon"})
    st2, body2 = gql(client, "pa", 'mutation{createRvPaTask(input:{title:"anon"}){rvPaTask{id}}}')
    print("anon create", st, body, st2, body2)
    user = UserFactory()
    client.force_login(user)
    st3, body3 = rest(client, "delete", f"/api/pa/{t.pk}/")
    st4, body4 = gql(client, "pa", "mutation{deleteRvPaTask(id:%d){deletedId}}" % t.pk)
    print("non-admin delete", st3, body3, st4, body4)
    assert Task.objects.filter(pk=t.pk).exists()
    assert body4["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert body4["errors"][0]["message"] == body3["detail"]
    # anonymous read ok
    client.logout()
    st5, body5 = gql(client, "pa", "{rvPaTask(id:%d){id}}" % t.pk)
    assert body5["data"]["rvPaTask"]["id"] == str(t.pk)
    assert body2["errors"][0]["extensions"]["code"] in ("NOT_AUTHENTICATED", "PERMISSION_DENIED")
    assert body2["errors"][0]["message"] == body["detail"]


def test_get_object_override(client):
    t = TaskFactory(title="findme")
    st, body = rest(client, "get", "/api/go/findme/")
    st2, body2 = gql(client, "go", '{rvGoTask(id:"findme"){id title}}')
    print(st, body, st2, body2)
    assert body2["data"]["rvGoTask"]["id"] == str(body["id"])


# ---------------------------------------------------------------- pagination/filters
@pytest.fixture
def rows():
    out = []
    for i, (title, prio, stat) in enumerate([
        ("alpha one", 3, "todo"), ("beta two", 1, "done"), ("alpha three", 5, "todo"),
        ("gamma four", 2, "todo"), ("delta alpha", 5, "done"), ("eps", 0, "todo"),
    ]):
        out.append(TaskFactory(title=title, priority=prio, status=stat, notes=f"n{i}"))
    return out


PN_CASES = [
    ("", {}),
    ("?page=2", {"page": 2}),
    ("?page=2&size=3", {"page": 2, "pageSize": 3}),
    ("?size=10", {"pageSize": 10}),
    ("?size=0", {"pageSize": 0}),
    ("?size=-1", {"pageSize": -1}),
    ("?page=9", {"page": 9}),
    ("?page=0", {"page": 0}),
    ("?search=alpha&ordering=-priority,title", {"search": "alpha", "orderBy": ["-priority", "title"]}),
    ("?ordering=-nosuch", {"orderBy": ["-nosuch"]}),
    ("?status=todo&min_priority=2&ordering=-id", {"filter": {"status": "todo", "minPriority": 2}, "orderBy": ["-id"]}),
    ("?search=n1", {"search": "n1"}),
]


def _pn_query(args):
    return ("query($page:Int,$pageSize:Int,$search:String,$orderBy:[String!],$filter:RvTaskFilterInput)"
            "{rvPnTasks(page:$page,pageSize:$pageSize,search:$search,orderBy:$orderBy,filter:$filter){totalCount results{id title priority status}}}")


@pytest.mark.parametrize("qs,args", PN_CASES)
def test_page_number_parity(client, rows, qs, args):
    st, body = rest(client, "get", "/api/pn/" + qs)
    st2, body2 = gql(client, "pn", _pn_query(args), args)
    print(qs, st, body, st2, body2)
    if st != 200:
        assert body2["data"]["rvPnTasks"] is None, body2
        print("REST", st, body, "GQL err", body2["errors"][0])
        return
    g = body2["data"]["rvPnTasks"]
    assert g["totalCount"] == body["count"]
    assert [str(r["id"]) for r in g["results"]] == [str(r["id"]) for r in body["results"]]


LO_CASES = [
    ("", {}),
    ("?limit=3&offset=2", {"limit": 3, "offset": 2}),
    ("?limit=10", {"limit": 10}),
    ("?limit=0", {"limit": 0}),
    ("?limit=-1", {"limit": -1}),
    ("?offset=-2", {"offset": -2}),
    ("?offset=100", {"offset": 100}),
    ("?ordering=priority,-title&limit=3", {"orderBy": ["priority", "-title"], "limit": 3}),
]


@pytest.mark.parametrize("qs,args", LO_CASES)
def test_limit_offset_parity(client, rows, qs, args):
    st, body = rest(client, "get", "/api/lo/" + qs)
    q = ("query($limit:Int,$offset:Int,$orderBy:[String!])"
         "{rvLoTasks(limit:$limit,offset:$offset,orderBy:$orderBy){totalCount results{id}}}")
    st2, body2 = gql(client, "lo", q, args)
    print(qs, st, body, st2, body2)
    if st != 200:
        assert body2["data"]["rvLoTasks"] is None
        return
    g = body2["data"]["rvLoTasks"]
    assert g is not None, body2
    assert g["totalCount"] == body["count"]
    assert [str(r["id"]) for r in g["results"]] == [str(r["id"]) for r in body["results"]]


def test_cursor_parity(client, rows):
    from urllib.parse import parse_qs, urlsplit
    url = "/api/cu/"
    gcursor = None
    rest_pages, gql_pages = [], []
    q = "query($c:String,$s:Int){rvCuTasks(cursor:$c,pageSize:$s){nextCursor previousCursor results{id}}}"
    for _ in range(5):
        st, body = rest(client, "get", url)
        rest_pages.append([r["id"] for r in body["results"]])
        st2, body2 = gql(client, "cu", q, {"c": gcursor, "s": None})
        g = body2["data"]["rvCuTasks"]
        gql_pages.append([int(r["id"]) for r in g["results"]])
        if not body["next"]:
            assert g["nextCursor"] is None
            break
        url = "/api/cu/?" + urlsplit(body["next"]).query
        gcursor = g["nextCursor"]
        assert gcursor == parse_qs(urlsplit(body["next"]).query)["cursor"][0]
    print(rest_pages, gql_pages)
    assert rest_pages == gql_pages
    st, body = rest(client, "get", "/api/cu/?cursor=garbage")
    st2, body2 = gql(client, "cu", q, {"c": "garbage"})
    print(st, body, body2)
    st, body = rest(client, "get", "/api/cu/?size=3")
    st2, body2 = gql(client, "cu", q, {"s": 3})
    assert [r["id"] for r in body["results"]] == [int(r["id"]) for r in body2["data"]["rvCuTasks"]["results"]]


def test_readonly_and_createlist_behave(client):
    tag = TagFactory()
    st, body = gql(client, "ro", "{rvTag(id:%d){id name} rvTags{totalCount results{name}}}" % tag.pk)
    print(body)
    assert body["data"]["rvTag"]["name"] == tag.name
    st, body = rest(client, "post", "/api/cl/", {"slug": "s-1", "name": "P"})
    st2, body2 = gql(client, "cl", 'mutation{createRvProject(input:{slug:"s-2",name:"P"}){rvProject{id slug name}}}')
    print(body, body2)
    st, body = rest(client, "post", "/api/cl/", {"slug": "s-1", "name": "P"})
    st2, body2 = gql(client, "cl", 'mutation{createRvProject(input:{slug:"s-1",name:"P"}){rvProject{id slug name}}}')
    print(body, body2)
    assert body2["errors"][0]["extensions"]["errors"][0]["message"] == body["slug"][0]


def test_w002_fires():
    from drf_graphql_crud.checks import check_drf_graphql_crud
    msgs = [m for m in check_drf_graphql_crud(None) if m.id == "drf_graphql_crud.W002"]
    print([m.msg for m in msgs])
    assert any("RvOverrideTaskViewSet.destroy" in m.msg for m in msgs)
