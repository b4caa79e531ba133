import pytest
from django.urls import include, path
from rest_framework import serializers

from drf_graphql_crud import DRFGraphQLView
from tests.factories import ProjectFactory, TaskFactory
from tests.testapp.models import Task
from tests.testapp.serializers import ProjectSerializer

from .common import build, gql, rest

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class RvShapeSerializer(serializers.ModelSerializer):
    project = ProjectSerializer(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "priority", "project"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["priority"] = f"P{data['priority']}"
        if data["project"]:
            data["project"] = data["project"]["name"]
        return data


schema, router = build([("Shape", RvShapeSerializer, Task.objects.order_by("pk"))])

urlpatterns = [
    path("api/", include(router.urls)),
    path("graphql/", DRFGraphQLView.as_view(schema=schema)),
]


def test_shape(client):
    t = TaskFactory(project=ProjectFactory(name="PN"), priority=2)
    s, r = rest(client, "get", f"/api/shape/{t.pk}/")
    gs, g = gql(client, "query($id: ID!){ getShape(id:$id){ id title priority project { name } } }", {"id": t.pk})
    print(r)
    print(g)
