"""Helpers: one serializer served by a REST ModelViewSet and by library mutations/fields."""

import json

import graphene
from django.urls import include, path
from rest_framework import viewsets
from rest_framework.routers import DefaultRouter

from drf_graphql_crud import CreateMutation, ListField, RetrieveField, UpdateMutation
from tests.parity import DetailedErrorsMixin


def build(entries):
    """entries: list of (name, serializer_class, queryset). Returns (schema, urlpatterns)."""
    router = DefaultRouter()
    query_attrs = {}
    mutation_attrs = {}
    for name, serializer_class, queryset in entries:
        vs = type(
            f"{name}ViewSet",
            (DetailedErrorsMixin, viewsets.ModelViewSet),
            {"queryset": queryset, "serializer_class": serializer_class},
        )
        router.register(name.lower(), vs, basename=name.lower())
        create = type(
            f"Create{name}",
            (CreateMutation,),
            {"Meta": type("Meta", (), {"serializer_class": serializer_class, "queryset": queryset})},
        )
        update = type(
            f"Update{name}",
            (UpdateMutation,),
            {"Meta": type("Meta", (), {"serializer_class": serializer_class, "queryset": queryset})},
        )
        mutation_attrs[f"create_{name.lower()}"] = create.Field()
        mutation_attrs[f"update_{name.lower()}"] = update.Field()
        query_attrs[f"get_{name.lower()}"] = RetrieveField(serializer_class, queryset=queryset)
        query_attrs[f"list_{name.lower()}"] = ListField(serializer_class, queryset=queryset)
    Query = type("Query", (graphene.ObjectType,), query_attrs)
    Mutation = type("Mutation", (graphene.ObjectType,), mutation_attrs)
    schema = graphene.Schema(query=Query, mutation=Mutation)
    return schema, router


def rest(client, method, url, data=None):
    kwargs = {}
    if data is not None:
        kwargs = {"data": json.dumps(data), "content_type": "application/json"}
    r = getattr(client, method)(url, **kwargs)
    return r.status_code, (r.json() if r.content else None)


def gql(client, query, variables=None, url="/graphql/"):
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    r = client.post(url, json.dumps(body), content_type="application/json")
    return r.status_code, r.json()
