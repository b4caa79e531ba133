"""A URLconf whose schema holds a mutation looking rows up by a non-unique field (E002)."""

import graphene
from django.urls import path
from rest_framework import serializers

from drf_graphql_crud import DRFGraphQLView, UpdateMutation
from tests.testapp.models import Project


class UrlconfProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["slug", "name"]


class UpdateProjectByName(UpdateMutation):
    class Meta:
        serializer_class = UrlconfProjectSerializer
        lookup_field = "name"


class Query(graphene.ObjectType):
    ping = graphene.String()


class Mutation(graphene.ObjectType):
    update_project_by_name = UpdateProjectByName.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)
urlpatterns = [path("graphql/", DRFGraphQLView.as_view(schema=schema))]
