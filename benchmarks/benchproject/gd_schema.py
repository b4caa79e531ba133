"""graphene-django's stock ``SerializerMutation`` over the same write serializer.

It has no delete, no nested writes and no query fields; create and partial update only.
It has no rule for ``ManyRelatedField`` (``tags``): the fallback types it ``String``,
and DRF then refuses every value as "not a list". The one-line rule below, registered on
graphene-django's own converter the way a project would, types it ``[ID]`` so the M2M is
written as under REST (its output then lists the tags' ``str()``, one query as REST's).
"""

import graphene
from graphene_django.rest_framework.mutation import SerializerMutation
from graphene_django.rest_framework.serializer_converter import (
    get_graphene_type_from_serializer_field,
)
from rest_framework import relations

from .serializers import TaskSerializer


@get_graphene_type_from_serializer_field.register(relations.ManyRelatedField)
def convert_many_related(field):
    return (graphene.List, graphene.ID)


class GdCreateTask(SerializerMutation):
    class Meta:
        serializer_class = TaskSerializer
        model_operations = ["create"]


class GdUpdateTask(SerializerMutation):
    class Meta:
        serializer_class = TaskSerializer
        model_operations = ["update"]
        lookup_field = "id"


class Query(graphene.ObjectType):
    ok = graphene.Boolean()


class Mutation(graphene.ObjectType):
    create_task = GdCreateTask.Field()
    update_task = GdUpdateTask.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)
