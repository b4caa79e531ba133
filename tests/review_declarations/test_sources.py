import json

import pytest
from django.urls import include, path
from graphql import print_schema
from rest_framework import serializers

from drf_graphql_crud import DRFGraphQLView
from tests.factories import ProjectFactory, TagFactory, TaskFactory, UserFactory
from tests.parity import flatten_gql, flatten_rest
from tests.testapp.models import Project, Task

from .common import build, gql, rest

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class RvScheduleSerializer(serializers.Serializer):
    due_date = serializers.DateField(allow_null=True, required=False)
    priority = serializers.IntegerField(required=False, max_value=10)


class RvStarSerializer(serializers.ModelSerializer):
    schedule = RvScheduleSerializer(source="*", required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "schedule"]


class RvDottedROSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "project", "project_name"]


class RvDottedWSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "project", "project_name"]

    def update(self, instance, validated_data):
        project_data = validated_data.pop("project", {})
        if isinstance(project_data, dict) and "name" in project_data and instance.project:
            instance.project.name = project_data["name"]
            instance.project.save()
        elif not isinstance(project_data, dict):
            validated_data["project"] = project_data
        return super().update(instance, validated_data)


class RvExtraSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "notes", "priority", "due_date", "status", "estimate"]
        read_only_fields = ["status"]
        extra_kwargs = {
            "title": {"min_length": 3},
            "notes": {"required": True, "allow_blank": False},
            "priority": {"write_only": True},
            "due_date": {"allow_null": False},
            "estimate": {"required": True},
        }


class RvExcludeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        exclude = ["owner", "tags", "views"]


class RvAllSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = "__all__"


schema, router = build(
    [
        ("Star", RvStarSerializer, Task.objects.order_by("pk")),
        ("DotRo", RvDottedROSerializer, Task.objects.order_by("pk")),
        ("DotW", RvDottedWSerializer, Task.objects.order_by("pk")),
        ("Extra", RvExtraSerializer, Task.objects.order_by("pk")),
        ("Excl", RvExcludeSerializer, Task.objects.order_by("pk")),
        ("All", RvAllSerializer, Task.objects.order_by("pk")),
    ]
)

urlpatterns = [
    path("api/", include(router.urls)),
    path("graphql/", DRFGraphQLView.as_view(schema=schema)),
]


def row(pk):
    t = Task.objects.get(pk=pk)
    return {
        "title": t.title,
        "notes": t.notes,
        "priority": t.priority,
        "due_date": t.due_date,
        "status": t.status,
        "estimate": t.estimate,
        "project_id": t.project_id,
        "owner_id": t.owner_id,
        "project_name": t.project and t.project.name,
    }


def test_print_schema():
    text = print_schema(schema.graphql_schema)
    print(text)


def test_star_create_and_update(client):
    data = {"title": "Star task", "schedule": {"due_date": "2026-03-01", "priority": 4}}
    s, r = rest(client, "post", "/api/star/", data)
    assert s == 201, r
    gs, g = gql(
        client,
        "mutation($i: RvStarInput!){ createStar(input:$i){ task { id title schedule { dueDate priority } } } }",
        {"i": {"title": "Star task", "schedule": {"dueDate": "2026-03-01", "priority": 4}}},
    )
    assert "errors" not in g, g
    gt = g["data"]["createStar"]["task"]
    assert row(r["id"]) == row(gt["id"])
    assert r["schedule"] == {"due_date": gt["schedule"]["dueDate"], "priority": gt["schedule"]["priority"]}
    # partial update of the star
    s, r2 = rest(client, "patch", f"/api/star/{r['id']}/", {"schedule": {"priority": 7}})
    gs, g2 = gql(
        client,
        "mutation($id: ID!, $i: RvStarPartialInput!){ updateStar(id:$id, input:$i){ task { id title schedule { dueDate priority } } } }",
        {"id": gt["id"], "i": {"schedule": {"priority": 7}}},
    )
    print(s, r2, g2)
    assert s == 200, r2
    assert "errors" not in g2, g2
    assert row(r["id"]) == row(gt["id"])
    # error inside the star
    s, r3 = rest(client, "post", "/api/star/", {"title": "xx", "schedule": {"priority": 11}})
    gs, g3 = gql(
        client,
        "mutation($i: RvStarInput!){ createStar(input:$i){ task { id } } }",
        {"i": {"title": "xx", "schedule": {"priority": 11}}},
    )
    print(r3, g3)
    assert flatten_rest(r3) == flatten_gql(g3, "createStar")


def test_star_read(client):
    t = TaskFactory(title="Read star", priority=3)
    s, r = rest(client, "get", f"/api/star/{t.pk}/")
    gs, g = gql(client, "query($id: ID!){ getStar(id:$id){ id title schedule { dueDate priority } } }", {"id": t.pk})
    print(r, g)
    assert g["data"]["getStar"]["schedule"] == {"dueDate": None, "priority": 3}
    gs, g = gql(client, "{ listStar { results { id schedule { priority } } } }")
    assert "errors" not in g, g


def test_dotted_ro(client):
    p = ProjectFactory(name="Proj")
    t1 = TaskFactory(title="with proj", project=p)
    t2 = TaskFactory(title="no proj")
    for t in (t1, t2):
        s, r = rest(client, "get", f"/api/dotro/{t.pk}/")
        gs, g = gql(client, "query($id: ID!){ getDotro(id:$id){ id title project projectName } }", {"id": t.pk})
        print(r, g)
        assert "errors" not in g, g
        assert g["data"]["getDotro"]["projectName"] == r.get("project_name")
    gs, g = gql(client, "{ listDotro { results { id projectName } } }")
    assert "errors" not in g, g
    # create: projectName not in input
    s, r = rest(client, "post", "/api/dotro/", {"title": "new one", "project": p.pk, "project_name": "IGNORED"})
    gs, g = gql(
        client,
        "mutation($i: RvDottedROInput!){ createDotro(input:$i){ task { id projectName project } } }",
        {"i": {"title": "new one", "project": str(p.pk)}},
    )
    print(r, g)
    assert "errors" not in g, g
    assert g["data"]["createDotro"]["task"]["projectName"] == r["project_name"]


def test_dotted_writable_update(client):
    p = ProjectFactory(name="Before")
    p2 = ProjectFactory(name="Before2")
    t1 = TaskFactory(title="with proj", project=p)
    t2 = TaskFactory(title="with proj2", project=p2)
    s, r = rest(client, "patch", f"/api/dotw/{t1.pk}/", {"project_name": "After"})
    assert s == 200, r
    gs, g = gql(
        client,
        "mutation($id: ID!, $i: RvDottedWPartialInput!){ updateDotw(id:$id, input:$i){ task { id projectName project } } }",
        {"id": t2.pk, "i": {"projectName": "After"}},
    )
    print(r, g)
    assert "errors" not in g, g
    assert Project.objects.get(pk=p.pk).name == "After"
    assert Project.objects.get(pk=p2.pk).name == "After"
    assert g["data"]["updateDotw"]["task"]["projectName"] == r["project_name"]


def test_extra_kwargs(client):
    data = {"title": "ab", "notes": "", "priority": 3, "due_date": None}
    s, r = rest(client, "post", "/api/extra/", data)
    gs, g = gql(
        client,
        "mutation($i: RvExtraInput!){ createExtra(input:$i){ task { id } } }",
        {"i": {"title": "ab", "notes": "", "priority": 3, "dueDate": None}},
    )
    print(r, g)
    assert s == 400
    # GraphQL may refuse at the type level (estimate required, dueDate non-null)
    print(flatten_rest(r))
    data = {"title": "abc", "notes": "n", "priority": 3, "due_date": "2026-01-01", "status": "done", "estimate": "1.5"}
    s, r = rest(client, "post", "/api/extra/", data)
    assert s == 201, r
    gs, g = gql(
        client,
        "mutation($i: RvExtraInput!){ createExtra(input:$i){ task { id title notes dueDate status estimate } } }",
        {"i": {"title": "abc", "notes": "n", "priority": 3, "dueDate": "2026-01-01", "estimate": "1.5"}},
    )
    print(r, g)
    assert "errors" not in g, g
    assert row(r["id"]) == row(g["data"]["createExtra"]["task"]["id"])
    assert "priority" not in r
    # estimate null under REST?
    s, r = rest(client, "post", "/api/extra/", {**data, "estimate": None})
    gs, g = gql(
        client,
        "mutation($i: RvExtraInput!){ createExtra(input:$i){ task { id estimate } } }",
        {"i": {"title": "abc", "notes": "n", "priority": 3, "dueDate": "2026-01-01", "estimate": None}},
    )
    print("estimate null", s, r, g)
    assert (s == 201) == ("errors" not in g)


def test_exclude_and_all(client):
    u = UserFactory()
    p = ProjectFactory()
    tag = TagFactory()
    t = TaskFactory(project=p, owner=u, estimate="2.5000", due_date="2026-01-02")
    t.tags.add(tag)
    for name in ("excl", "all"):
        s, r = rest(client, "get", f"/api/{name}/{t.pk}/")
        fields = " ".join(
            __import__("graphene").utils.str_converters.to_camel_case(k) for k in r
        )
        gs, g = gql(client, "query($id: ID!){ get%s(id:$id){ %s } }" % (name.capitalize(), fields), {"id": t.pk})
        print(r, g)
        assert "errors" not in g, g
        from graphene.utils.str_converters import to_camel_case

        got = g["data"][f"get{name.capitalize()}"]
        for k, v in r.items():
            gv = got[to_camel_case(k)]
            if k == "status":
                gv = gv.lower()
            if k in ("id", "project", "owner") and gv is not None:
                gv = int(gv)
            if k == "tags":
                gv = [int(x) for x in gv]
            assert gv == v, (k, gv, v)
    # create through __all__
    data = {"title": "all create", "owner": u.pk, "project": p.pk, "tags": [tag.pk], "estimate": "1.25"}
    s, r = rest(client, "post", "/api/all/", data)
    assert s == 201, r
    gs, g = gql(
        client,
        "mutation($i: RvAllInput!){ createAll(input:$i){ task { id tags owner created } } }",
        {"i": {"title": "all create", "owner": str(u.pk), "project": str(p.pk), "tags": [str(tag.pk)], "estimate": "1.25"}},
    )
    print(r, g)
    assert "errors" not in g, g
    assert row(r["id"]) == row(g["data"]["createAll"]["task"]["id"])
