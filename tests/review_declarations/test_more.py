import json

import pytest
from django.urls import include, path
from graphql import print_schema
from rest_framework import serializers

from drf_graphql_crud import DRFGraphQLView
from tests.factories import ProjectFactory, SubtaskFactory, TagFactory, TaskFactory, UserFactory
from tests.parity import flatten_gql, flatten_rest
from tests.testapp.models import Project, Subtask, Task

from .common import build, gql, rest

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class CoordinateField(serializers.Field):
    def to_representation(self, value):
        return {"x": value.priority, "y": value.views}

    def to_internal_value(self, data):
        if not isinstance(data, dict) or "x" not in data or "y" not in data:
            raise serializers.ValidationError("Need x and y.")
        return {"priority": data["x"], "views": data["y"]}


class RvCoordSerializer(serializers.ModelSerializer):
    coords = CoordinateField(source="*")

    class Meta:
        model = Task
        fields = ["id", "title", "coords"]


class RvPkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["pk", "title"]


class RvMethNameSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField(method_name="compute_label")

    class Meta:
        model = Task
        fields = ["id", "title", "label"]

    def compute_label(self, obj) -> int:
        return obj.priority


class FilteringList(serializers.ListSerializer):
    def to_representation(self, data):
        items = super().to_representation(data)
        return [i for i in items if i["priority"] >= 0]


class RvSubFilterList(serializers.ListSerializer):
    def to_representation(self, data):
        items = super().to_representation(data)
        return [i for i in items if not i["done"]]


class RvSubSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subtask
        fields = ["id", "title", "done"]
        list_serializer_class = RvSubFilterList


class RvListClsSerializer(serializers.ModelSerializer):
    subtasks = RvSubSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "priority", "subtasks"]
        list_serializer_class = FilteringList


class RvDepthWSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "project", "tags", "owner"]
        depth = 1


class RvHiddenConstSerializer(serializers.ModelSerializer):
    status = serializers.HiddenField(default="done")

    class Meta:
        model = Task
        fields = ["id", "title", "status"]


schema, router = build(
    [
        ("Coord", RvCoordSerializer, Task.objects.order_by("pk")),
        ("Pk", RvPkSerializer, Task.objects.order_by("pk")),
        ("Mname", RvMethNameSerializer, Task.objects.order_by("pk")),
        ("Lcls", RvListClsSerializer, Task.objects.order_by("pk")),
        ("Depw", RvDepthWSerializer, Task.objects.order_by("pk")),
        ("Hid", RvHiddenConstSerializer, Task.objects.order_by("pk")),
    ]
)

urlpatterns = [
    path("api/", include(router.urls)),
    path("graphql/", DRFGraphQLView.as_view(schema=schema)),
]


def test_print():
    text = print_schema(schema.graphql_schema)
    for name in ("type RvCoordOutput", "input RvCoordInput", "type RvPkOutput", "input RvPkInput",
                 "type RvMethNameOutput", "type RvDepthWOutput", "input RvDepthWInput"):
        start = text.index(name)
        print(text[start:start + 350])
        print("-----")


def test_coord(client):
    s, r = rest(client, "post", "/api/coord/", {"title": "coord", "coords": {"x": 2, "y": 3}})
    assert s == 201, r
    gs, g = gql(client, "mutation($i: RvCoordInput!){ createCoord(input:$i){ task { id title coords } } }",
                {"i": {"title": "coord", "coords": {"x": 2, "y": 3}}})
    print(r, g)
    assert "errors" not in g, g
    gt = g["data"]["createCoord"]["task"]
    assert gt["coords"] == r["coords"]
    t = Task.objects.get(pk=gt["id"])
    assert (t.priority, t.views) == (2, 3)
    s, r = rest(client, "patch", f"/api/coord/{r['id']}/", {"coords": {"x": 5, "y": 6}})
    gs, g = gql(client, "mutation($id: ID!, $i: RvCoordPartialInput!){ updateCoord(id:$id, input:$i){ task { id coords } } }",
                {"id": gt["id"], "i": {"coords": {"x": 5, "y": 6}}})
    print(r, g)
    assert g["data"]["updateCoord"]["task"]["coords"] == r["coords"]
    s, r = rest(client, "post", "/api/coord/", {"title": "coord", "coords": {"x": 2}})
    gs, g = gql(client, "mutation($i: RvCoordInput!){ createCoord(input:$i){ task { id } } }",
                {"i": {"title": "coord", "coords": {"x": 2}}})
    assert flatten_rest(r) == flatten_gql(g, "createCoord")
    gs, g = gql(client, "{ listCoord { results { id coords } } }")
    s, r = rest(client, "get", "/api/coord/")
    print(r, g)
    assert [x["coords"] for x in g["data"]["listCoord"]["results"]] == [x["coords"] for x in r]


def test_pk(client):
    s, r = rest(client, "post", "/api/pk/", {"title": "pk one"})
    assert s == 201, r
    gs, g = gql(client, "mutation($i: RvPkInput!){ createPk(input:$i){ task { pk title } } }", {"i": {"title": "pk two"}})
    print(r, g)
    assert "errors" not in g, g
    pk = g["data"]["createPk"]["task"]["pk"]
    gs, g = gql(client, "mutation($id: ID!, $i: RvPkPartialInput!){ updatePk(id:$id, input:$i){ task { pk title } } }",
                {"id": pk, "i": {"title": "renamed"}})
    print(g)
    assert "errors" not in g, g
    gs, g = gql(client, "query($id: ID!){ getPk(id:$id){ pk title } }", {"id": pk})
    s, r = rest(client, "get", f"/api/pk/{pk}/")
    print(r, g)
    assert g["data"]["getPk"]["title"] == r["title"]
    assert int(g["data"]["getPk"]["pk"]) == r["pk"]
    gs, g = gql(client, "{ listPk { results { pk title } } }")
    assert "errors" not in g, g


def test_method_name(client):
    t = TaskFactory(priority=4)
    gs, g = gql(client, "query($id: ID!){ getMname(id:$id){ label } }", {"id": t.pk})
    assert g == {"data": {"getMname": {"label": 4}}}


def test_list_serializer_class(client):
    t1 = TaskFactory(title="a", priority=1)
    TaskFactory(title="b", priority=-1)
    t3 = TaskFactory(title="c", priority=2)
    SubtaskFactory(task=t1, done=True, title="s-done")
    SubtaskFactory(task=t1, done=False, title="s-open")
    s, r = rest(client, "get", "/api/lcls/")
    gs, g = gql(client, "{ listLcls { totalCount results { id title priority subtasks { title done } } } }")
    print(r, g)
    got = g["data"]["listLcls"]["results"]
    assert [x["title"] for x in got] == [x["title"] for x in r]
    assert [x["subtasks"] for x in got] == [[{"title": s["title"], "done": s["done"]} for s in x["subtasks"]] for x in r]
    # fewer fields selected: list serializer reads "priority" from items
    gs, g = gql(client, "{ listLcls { results { title } } }")
    print(g)
    assert "errors" not in g, g
    assert [x["title"] for x in g["data"]["listLcls"]["results"]] == [x["title"] for x in r]
    gs, g = gql(client, "{ listLcls { results { title subtasks { title } } } }")
    print(g)
    assert "errors" not in g, g
    s, r1 = rest(client, "get", f"/api/lcls/{t1.pk}/")
    gs, g = gql(client, "query($id: ID!){ getLcls(id:$id){ subtasks { title } } }", {"id": t1.pk})
    print(r1, g)
    assert "errors" not in g, g
    assert [x["title"] for x in g["data"]["getLcls"]["subtasks"]] == [x["title"] for x in r1["subtasks"]]


def test_depth_writable_override(client):
    p = ProjectFactory()
    tag = TagFactory()
    u = UserFactory()
    s, r = rest(client, "post", "/api/depw/", {"title": "dw", "project": p.pk, "tags": [tag.pk], "owner": u.pk})
    assert s == 201, r
    gs, g = gql(client, "mutation($i: RvDepthWInput!){ createDepw(input:$i){ task { id title project tags { id name } owner { id username } } } }",
                {"i": {"title": "dw", "project": str(p.pk)}})
    print(r, g)
    assert "errors" not in g, g
    gt = g["data"]["createDepw"]["task"]
    assert int(gt["project"]) == r["project"]
    assert gt["tags"] == [] and r["tags"] == []
    assert gt["owner"] is None and r["owner"] is None
    t = Task.objects.get(pk=r["id"])
    t.tags.add(tag)
    t.owner = u
    t.save()
    s, r = rest(client, "get", f"/api/depw/{t.pk}/")
    gs, g = gql(client, "query($id: ID!){ getDepw(id:$id){ id project tags { id name } owner { id username } } }", {"id": t.pk})
    print(r, g)
    assert "errors" not in g, g
    assert g["data"]["getDepw"]["owner"]["username"] == r["owner"]["username"]


def test_hidden_const(client):
    s, r = rest(client, "post", "/api/hid/", {"title": "hid"})
    gs, g = gql(client, "mutation($i: RvHiddenConstInput!){ createHid(input:$i){ task { id title } } }", {"i": {"title": "hid"}})
    assert "errors" not in g, g
    assert Task.objects.get(pk=r["id"]).status == Task.objects.get(pk=g["data"]["createHid"]["task"]["id"]).status == "done"
    t = TaskFactory(status="todo")
    t2 = TaskFactory(status="todo")
    rest(client, "patch", f"/api/hid/{t.pk}/", {"title": "hid2"})
    gql(client, "mutation($id: ID!, $i: RvHiddenConstPartialInput!){ updateHid(id:$id, input:$i){ task { id } } }", {"id": t2.pk, "i": {"title": "hid2"}})
    assert Task.objects.get(pk=t.pk).status == Task.objects.get(pk=t2.pk).status
