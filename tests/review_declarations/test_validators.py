import json

import pytest
from django.urls import include, path
from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator

from drf_graphql_crud import DRFGraphQLView
from tests.factories import ProjectFactory, TaskFactory, UserFactory
from tests.parity import flatten_gql, flatten_rest
from tests.testapp.models import Task

from .common import build, gql, rest

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class RvUniqueSerializer(serializers.ModelSerializer):
    owner = serializers.HiddenField(default=serializers.CurrentUserDefault())

    class Meta:
        model = Task
        fields = ["id", "title", "notes", "owner"]
        validators = [UniqueTogetherValidator(queryset=Task.objects.all(), fields=["owner", "title"])]


class RvUniqueROSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, default="todo")

    class Meta:
        model = Task
        fields = ["id", "title", "notes", "status"]
        validators = [UniqueTogetherValidator(queryset=Task.objects.all(), fields=["status", "title"])]


class RvUniqueProjSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "notes", "project"]
        validators = [UniqueTogetherValidator(queryset=Task.objects.all(), fields=["project", "title"],
                                              message="Dup {field_names}")]


class RvValidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "notes", "priority", "project"]

    def validate_title(self, value):
        if value == "bad":
            raise serializers.ValidationError("Title is bad.", code="bad_title")
        return value

    def validate_notes(self, value):
        # reads title: missing on partial update
        if value == "need-title" and not self.initial_data.get("title"):
            raise serializers.ValidationError("need title")
        return value

    def validate(self, attrs):
        mode = attrs.get("notes")
        if mode == "dict":
            raise serializers.ValidationError({"title": "Title conflicts.", "notes": ["n1", "n2"]})
        if mode == "list":
            raise serializers.ValidationError(["first problem", "second problem"])
        if mode == "string":
            raise serializers.ValidationError("Just a string.")
        if mode == "nfe":
            raise serializers.ValidationError({"non_field_errors": ["nfe message"]})
        if mode == "unknown":
            raise serializers.ValidationError({"nosuchfield": "unknown key"})
        if mode == "nested":
            raise serializers.ValidationError({"project": {"name": "nested bad"}})
        if mode == "code":
            raise serializers.ValidationError({"priority": serializers.ErrorDetail("coded", code="my_code")})
        if mode == "django":
            from django.core.exceptions import ValidationError as DjVE
            raise DjVE("django error")
        return attrs


schema, router = build(
    [
        ("Uniq", RvUniqueSerializer, Task.objects.order_by("pk")),
        ("UniqRo", RvUniqueROSerializer, Task.objects.order_by("pk")),
        ("UniqProj", RvUniqueProjSerializer, Task.objects.order_by("pk")),
        ("Val", RvValidateSerializer, Task.objects.order_by("pk")),
    ]
)

urlpatterns = [
    path("api/", include(router.urls)),
    path("graphql/", DRFGraphQLView.as_view(schema=schema)),
]


def snapshot():
    return sorted(Task.objects.values_list("pk", "title", "notes", "owner_id", "status", "project_id"))


def test_unique_hidden_owner(client):
    u = UserFactory()
    client.force_login(u)
    TaskFactory(title="dup", owner=u)
    other = TaskFactory(title="other", owner=u)
    before = snapshot()
    s, r = rest(client, "post", "/api/uniq/", {"title": "dup"})
    gs, g = gql(client, "mutation($i: RvUniqueInput!){ createUniq(input:$i){ task { id } } }", {"i": {"title": "dup"}})
    print(r, g)
    assert s == 400
    assert flatten_rest(r) == flatten_gql(g, "createUniq")
    assert snapshot() == before
    # partial update renaming other -> dup
    s, r = rest(client, "patch", f"/api/uniq/{other.pk}/", {"title": "dup"})
    gs, g = gql(client, "mutation($id: ID!, $i: RvUniquePartialInput!){ updateUniq(id:$id, input:$i){ task { id } } }",
                {"id": other.pk, "i": {"title": "dup"}})
    print(s, r, g)
    assert flatten_rest(r) == flatten_gql(g, "updateUniq")
    # partial update notes only: other user row
    s, r = rest(client, "patch", f"/api/uniq/{other.pk}/", {"notes": "x"})
    gs, g = gql(client, "mutation($id: ID!, $i: RvUniquePartialInput!){ updateUniq(id:$id, input:$i){ task { id notes } } }",
                {"id": other.pk, "i": {"notes": "y"}})
    print(s, r, g)
    assert s == 200 and "errors" not in g
    # another user's row: partial update title -> dup; owner hidden default under PATCH?
    u2 = UserFactory()
    t2 = TaskFactory(title="mine2", owner=u2)
    t3 = TaskFactory(title="mine3", owner=u2)
    s, r = rest(client, "patch", f"/api/uniq/{t2.pk}/", {"title": "dup"})
    TaskFactory(title="dup2", owner=u)
    gs, g = gql(client, "mutation($id: ID!, $i: RvUniquePartialInput!){ updateUniq(id:$id, input:$i){ task { id title } } }",
                {"id": t3.pk, "i": {"title": "dup2"}})
    print("cross", s, r, g)
    assert (s == 200) == ("errors" not in g)
    assert Task.objects.get(pk=t2.pk).owner_id == Task.objects.get(pk=t3.pk).owner_id


def test_unique_readonly_default(client):
    TaskFactory(title="dup", status="todo")
    s, r = rest(client, "post", "/api/uniqro/", {"title": "dup"})
    gs, g = gql(client, "mutation($i: RvUniqueROInput!){ createUniqro(input:$i){ task { id } } }", {"i": {"title": "dup"}})
    print(s, r, g)
    if s == 400:
        assert flatten_rest(r) == flatten_gql(g, "createUniqro")
    else:
        assert "errors" not in g, g


def test_unique_nullable_project(client):
    p = ProjectFactory()
    TaskFactory(title="dup", project=p)
    t = TaskFactory(title="x", project=p)
    s, r = rest(client, "post", "/api/uniqproj/", {"title": "dup", "project": p.pk})
    gs, g = gql(client, "mutation($i: RvUniqueProjInput!){ createUniqproj(input:$i){ task { id } } }",
                {"i": {"title": "dup", "project": str(p.pk)}})
    print(s, r, g)
    assert flatten_rest(r) == flatten_gql(g, "createUniqproj")
    s, r = rest(client, "post", "/api/uniqproj/", {"title": "dup"})
    gs, g = gql(client, "mutation($i: RvUniqueProjInput!){ createUniqproj(input:$i){ task { id } } }",
                {"i": {"title": "dup"}})
    print(s, r, g)
    assert (s == 201) == ("errors" not in g)
    s, r = rest(client, "patch", f"/api/uniqproj/{t.pk}/", {"title": "dup"})
    gs, g = gql(client, "mutation($id: ID!, $i: RvUniqueProjPartialInput!){ updateUniqproj(id:$id, input:$i){ task { id } } }",
                {"id": t.pk, "i": {"title": "dup"}})
    print(s, r, g)
    assert flatten_rest(r) == flatten_gql(g, "updateUniqproj")


@pytest.mark.parametrize("mode", ["dict", "list", "string", "nfe", "unknown", "nested", "code"])
def test_validate_shapes(client, mode):
    ProjectFactory()
    before = snapshot()
    s, r = rest(client, "post", "/api/val/", {"title": "t1", "notes": mode})
    gs, g = gql(client, "mutation($i: RvValidateInput!){ createVal(input:$i){ task { id } } }",
                {"i": {"title": "t1", "notes": mode}})
    print(json.dumps(r), json.dumps(g))
    assert s == 400
    assert flatten_rest(r) == flatten_gql(g, "createVal")
    t = TaskFactory(title="orig")
    before = snapshot()
    s, r = rest(client, "patch", f"/api/val/{t.pk}/", {"notes": mode})
    gs, g = gql(client, "mutation($id: ID!, $i: RvValidatePartialInput!){ updateVal(id:$id, input:$i){ task { id } } }",
                {"id": t.pk, "i": {"notes": mode}})
    assert flatten_rest(r) == flatten_gql(g, "updateVal")
    assert snapshot() == before


def test_validate_django(client):
    gs, g = gql(client, "mutation($i: RvValidateInput!){ createVal(input:$i){ task { id } } }",
                {"i": {"title": "t1", "notes": "django"}})
    print(g)
    assert g["errors"][0]["extensions"]["code"] in ("VALIDATION_ERROR", "INTERNAL_SERVER_ERROR")


def test_validate_field_partial(client):
    t = TaskFactory(title="orig")
    s, r = rest(client, "patch", f"/api/val/{t.pk}/", {"notes": "need-title"})
    gs, g = gql(client, "mutation($id: ID!, $i: RvValidatePartialInput!){ updateVal(id:$id, input:$i){ task { id } } }",
                {"id": t.pk, "i": {"notes": "need-title"}})
    print(r, g)
    assert flatten_rest(r) == flatten_gql(g, "updateVal")
    s, r = rest(client, "patch", f"/api/val/{t.pk}/", {"title": "bad"})
    gs, g = gql(client, "mutation($id: ID!, $i: RvValidatePartialInput!){ updateVal(id:$id, input:$i){ task { id } } }",
                {"id": t.pk, "i": {"title": "bad"}})
    print(r, g)
    assert flatten_rest(r) == flatten_gql(g, "updateVal")
    s, r = rest(client, "patch", f"/api/val/{t.pk}/", {"priority": 4})
    gs, g = gql(client, "mutation($id: ID!, $i: RvValidatePartialInput!){ updateVal(id:$id, input:$i){ task { id priority title } } }",
                {"id": t.pk, "i": {"priority": 5}})
    assert s == 200 and "errors" not in g, g
    assert Task.objects.get(pk=t.pk).title == "orig"
