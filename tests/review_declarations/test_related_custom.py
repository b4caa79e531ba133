import pytest
from django.urls import include, path
from graphql import print_schema
from rest_framework import serializers

from drf_graphql_crud import DRFGraphQLView
from drf_graphql_crud.checks import check_drf_graphql_crud
from tests.factories import ProjectFactory, TagFactory, TaskFactory
from tests.testapp.models import Project, Tag, Task

from .common import build, gql, rest

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class ProjectObjectField(serializers.RelatedField):
    """DRF docs' custom relational field pattern: a dict on read, a dict {"slug"} on write."""

    def to_representation(self, value):
        return {"id": value.pk, "slug": value.slug, "name": value.name}

    def to_internal_value(self, data):
        try:
            return self.get_queryset().get(slug=data["slug"])
        except Exception:
            raise serializers.ValidationError("Unknown project.")


class TagPkField(serializers.RelatedField):
    """Renders and reads the pk as a number."""

    def to_representation(self, value):
        return value.pk

    def to_internal_value(self, data):
        try:
            return self.get_queryset().get(pk=data)
        except Exception:
            raise serializers.ValidationError("Unknown tag.")


class RvRelCustSerializer(serializers.ModelSerializer):
    project = ProjectObjectField(queryset=Project.objects.all(), required=False, allow_null=True)
    tags = TagPkField(queryset=Tag.objects.all(), many=True, required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "project", "tags"]


schema, router = build([("Relc", RvRelCustSerializer, Task.objects.order_by("pk"))])

urlpatterns = [
    path("api/", include(router.urls)),
    path("graphql/", DRFGraphQLView.as_view(schema=schema)),
]


def test_print_and_checks():
    text = print_schema(schema.graphql_schema)
    for name in ("type RvRelCustOutput", "input RvRelCustInput"):
        start = text.index(name)
        print(text[start:start + 300])
    for m in check_drf_graphql_crud():
        if "RelCust" in str(m.msg) or "Relc" in str(m.msg):
            print(m.id, m.msg)


def test_read(client):
    p = ProjectFactory(slug="p1", name="P one")
    tag = TagFactory()
    t = TaskFactory(project=p)
    t.tags.add(tag)
    s, r = rest(client, "get", f"/api/relc/{t.pk}/")
    gs, g = gql(client, "query($id: ID!){ getRelc(id:$id){ id title project tags } }", {"id": t.pk})
    print(r)
    print(g)
    assert "errors" not in g, g
    assert g["data"]["getRelc"]["project"] == r["project"]
    assert g["data"]["getRelc"]["tags"] == r["tags"]


def test_write(client):
    ProjectFactory(slug="p1", name="P one")
    tag = TagFactory()
    s, r = rest(client, "post", "/api/relc/", {"title": "rel", "project": {"slug": "p1"}, "tags": [tag.pk]})
    print(s, r)
    assert s == 201
    gs, g = gql(client, "mutation($i: RvRelCustInput!){ createRelc(input:$i){ task { id } } }",
                {"i": {"title": "rel", "project": {"slug": "p1"}, "tags": [tag.pk]}})
    print(g)
    assert "errors" not in g, g
