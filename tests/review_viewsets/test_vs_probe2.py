"""More probes: ordering, cursor+ordering, optional pagination, destroy-only, per-user serializer."""

import json

import graphene
import pytest
from django.urls import include, path
from rest_framework import filters, mixins, pagination, serializers, viewsets
from rest_framework.routers import SimpleRouter

from drf_graphql_crud import DRFGraphQLView, ViewSetCrud
from tests.factories import TaskFactory, UserFactory
from tests.testapp.models import Task

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class Rv2TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "priority"]


class Rv2StaffTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "priority", "notes"]


class Rv2OrderViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = Rv2TaskSerializer
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["priority"]


class Rv2CursorPag(pagination.CursorPagination):
    page_size = 2
    ordering = "pk"


class Rv2CursorOrderViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.all()
    serializer_class = Rv2TaskSerializer
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["priority", "id"]
    pagination_class = Rv2CursorPag


class Rv2OptPag(pagination.PageNumberPagination):
    page_size = None
    page_size_query_param = "size"


class Rv2OptPagViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = Rv2TaskSerializer
    pagination_class = Rv2OptPag


class Rv2DestroyOnlyViewSet(mixins.DestroyModelMixin, viewsets.GenericViewSet):
    queryset = Task.objects.all()
    serializer_class = Rv2TaskSerializer


class Rv2PerUserViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")

    def get_serializer_class(self):
        if self.request.user.is_staff:
            return Rv2StaffTaskSerializer
        return Rv2TaskSerializer


class Rv2LastPageViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = Rv2TaskSerializer

    class pagination_class(pagination.PageNumberPagination):
        page_size = 2


CRUDS = {
    "or": ViewSetCrud(Rv2OrderViewSet, name="rv2OrTask"),
    "co": ViewSetCrud(Rv2CursorOrderViewSet, name="rv2CoTask"),
    "op": ViewSetCrud(Rv2OptPagViewSet, name="rv2OpTask"),
    "do": ViewSetCrud(Rv2DestroyOnlyViewSet, name="rv2DoTask"),
    "pu": ViewSetCrud(Rv2PerUserViewSet, name="rv2PuTask"),
    "lp": ViewSetCrud(Rv2LastPageViewSet, name="rv2LpTask"),
}


def schema_of(crud):
    q = type("Q", (crud.Query, graphene.ObjectType), {"ping": graphene.String()})
    if [k for k in vars(crud.Mutation) if not k.startswith("__")]:
        return graphene.Schema(query=q, mutation=type("M", (crud.Mutation, graphene.ObjectType), {}))
    return graphene.Schema(query=q)


SCHEMAS = {k: schema_of(c) for k, c in CRUDS.items()}
router = SimpleRouter()
for key, vs in [("or", Rv2OrderViewSet), ("co", Rv2CursorOrderViewSet), ("op", Rv2OptPagViewSet),
                ("do", Rv2DestroyOnlyViewSet), ("pu", Rv2PerUserViewSet), ("lp", Rv2LastPageViewSet)]:
    router.register(key, vs, basename=f"rv2-{key}")
urlpatterns = [path(f"gql/{k}/", DRFGraphQLView.as_view(schema=s)) for k, s in SCHEMAS.items()]
urlpatterns += [path("api/", include(router.urls))]


def gql(client, key, query, variables=None):
    body = {"query": query, "variables": variables or {}}
    r = client.post(f"/gql/{key}/", json.dumps(body), content_type="application/json")
    return r.status_code, r.json()


def rest(client, method, url):
    r = getattr(client, method)(url)
    return r.status_code, (r.json() if r.content else None)


@pytest.fixture
def rows():
    return [TaskFactory(title=f"t{i}", priority=p, notes=f"secret{i}") for i, p in enumerate([3, 1, 3, 2, 0])]


def ids(items):
    return [str(x["id"]) for x in items]


def test_ordering_with_unknown_extra_term(client, rows):
    st, body = rest(client, "get", "/api/or/?ordering=-priority,title")
    st2, body2 = gql(client, "or", '{rv2OrTasks(orderBy:["-priority","title"]){results{id}}}')
    print(st, body, st2, body2)
    assert st == 200
    assert body2.get("data", {}).get("rv2OrTasks") is not None, body2
    assert ids(body) == ids(body2["data"]["rv2OrTasks"]["results"])


def test_ordering_repeated_term(client, rows):
    st, body = rest(client, "get", "/api/or/?ordering=-priority,-priority")
    st2, body2 = gql(client, "or", '{rv2OrTasks(orderBy:["-priority","-priority"]){results{id}}}')
    print(st, body, st2, body2)
    assert body2.get("data", {}).get("rv2OrTasks") is not None, body2


def test_cursor_with_ordering(client, rows):
    from urllib.parse import parse_qs, urlsplit
    url = "/api/co/?ordering=-priority"
    cur = None
    rp, gp = [], []
    for _ in range(5):
        st, body = rest(client, "get", url)
        st2, body2 = gql(client, "co", 'query($c:String){rv2CoTasks(orderBy:["-priority"],cursor:$c){nextCursor results{id}}}', {"c": cur})
        g = body2["data"]["rv2CoTasks"]
        rp.append(ids(body["results"]))
        gp.append(ids(g["results"]))
        if not body["next"]:
            break
        url = "/api/co/?" + urlsplit(body["next"]).query
        cur = g["nextCursor"]
    print(rp, gp)
    assert rp == gp


def test_optional_pagination(client, rows):
    st, body = rest(client, "get", "/api/op/")
    st2, body2 = gql(client, "op", "{rv2OpTasks{totalCount results{id}}}")
    print(st, body, body2)
    assert ids(body) == ids(body2["data"]["rv2OpTasks"]["results"])
    st, body = rest(client, "get", "/api/op/?size=2&page=2")
    st2, body2 = gql(client, "op", "{rv2OpTasks(page:2,pageSize:2){totalCount results{id}}}")
    print(st, body, body2)
    assert ids(body["results"]) == ids(body2["data"]["rv2OpTasks"]["results"])


def test_destroy_only(client, rows):
    print(SCHEMAS["do"])
    st2, body2 = gql(client, "do", "mutation{deleteRv2DoTask(id:%d){deletedId}}" % rows[0].pk)
    print(body2)
    assert body2["data"]["deleteRv2DoTask"]["deletedId"] == str(rows[0].pk)


def test_per_user_serializer(client, rows):
    staff = UserFactory(username="staffer", is_staff=True)
    client.force_login(staff)
    st, body = rest(client, "get", f"/api/pu/{rows[0].pk}/")
    st2, body2 = gql(client, "pu", "{rv2PuTask(id:%d){id title}}" % rows[0].pk)
    print(body, body2)


def test_last_page(client, rows):
    st, body = rest(client, "get", "/api/lp/?page=last")
    print(st, body)
    print(SCHEMAS["lp"])
