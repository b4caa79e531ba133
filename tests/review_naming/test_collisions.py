"""Naming collisions: same __name__ in different modules, inline nested classes, enums."""
import graphene
import pytest
from graphql import validate_schema
from rest_framework import serializers

from drf_graphql_crud import CreateMutation, ListField, UpdateMutation
from drf_graphql_crud.checks import _check_collisions
from tests.testapp.models import Project, Tag, Task


def make(name, module, model, fields, extra=None):
    Meta = type("Meta", (), {"model": model, "fields": fields})
    attrs = {"Meta": Meta, "__module__": module}
    attrs.update(extra or {})
    return type(name, (serializers.ModelSerializer,), attrs)


def e003():
    return [m for m in _check_collisions() if m.id == "drf_graphql_crud.E003"]


def test_same_name_two_modules_mutations(isolated_registry):
    A = make("ThingSerializer", "probe_a.serializers", Tag, ["id", "name"])
    B = make("ThingSerializer", "probe_b.serializers", Project, ["id", "slug", "name"])

    class CreateThingA(CreateMutation):
        class Meta:
            serializer_class = A

    class CreateThingB(CreateMutation):
        class Meta:
            serializer_class = B

    msgs = e003()
    print([m.msg for m in msgs])
    assert msgs, "no E003 for two ThingSerializer classes"
    assert any("probe_a" in m.msg and "probe_b" in m.msg for m in msgs)


def test_same_name_listfields(isolated_registry):
    A = make("ItemSerializer", "probe_c.serializers", Tag, ["id", "name"])
    B = make("ItemSerializer", "probe_d.serializers", Project, ["id", "slug"])

    class Query(graphene.ObjectType):
        tags = ListField(A)
        projects = ListField(B)

    msgs = e003()
    print([m.msg for m in msgs])
    assert msgs


def test_inline_nested_same_name(isolated_registry):
    class OuterASerializer(serializers.ModelSerializer):
        class ProjSerializer(serializers.ModelSerializer):
            class Meta:
                model = Project
                fields = ["id", "name"]

        project = ProjSerializer(read_only=True)

        class Meta:
            model = Task
            fields = ["id", "project"]

    class OuterBSerializer(serializers.ModelSerializer):
        class ProjSerializer(serializers.ModelSerializer):
            class Meta:
                model = Project
                fields = ["id", "slug"]

        project = ProjSerializer(read_only=True)

        class Meta:
            model = Task
            fields = ["id", "project"]

    class Query(graphene.ObjectType):
        a = ListField(OuterASerializer)
        b = ListField(OuterBSerializer)

    msgs = e003()
    print([m.msg for m in msgs])
    assert msgs


def test_enum_same_field_name_diff_choices(isolated_registry):
    # Same serializer class name in two modules, each with a 'status' ChoiceField, different
    # choices, otherwise same fields: the enum collides.
    A = make(
        "StateSerializer", "probe_e.serializers", Tag, ["id", "status"],
        {"status": serializers.ChoiceField(choices=["a", "b"])},
    )
    B = make(
        "StateSerializer", "probe_f.serializers", Tag, ["id", "status"],
        {"status": serializers.ChoiceField(choices=["x", "y"])},
    )

    class Query(graphene.ObjectType):
        a = ListField(A)
        b = ListField(B)

    msgs = e003()
    print([m.msg for m in msgs])
    assert msgs


def test_camel_enum_name_collision(isolated_registry):
    # TaskSerializer.a_b -> TaskABChoices ; TaskASerializer.b -> TaskABChoices
    S1 = make(
        "EnumXSerializer", "probe_g.s", Tag, ["id", "a_b"],
        {"a_b": serializers.ChoiceField(choices=["one", "two"], source="name")},
    )
    S2 = make(
        "EnumXASerializer", "probe_g.s", Tag, ["id", "b"],
        {"b": serializers.ChoiceField(choices=["three"], source="name")},
    )

    class Query(graphene.ObjectType):
        a = ListField(S1)
        b = ListField(S2)

    schema = graphene.Schema(query=Query)
    print(schema)
    msgs = e003()
    print([m.msg for m in msgs])
    assert msgs


def test_enum_shared_choices_two_serializers(isolated_registry):
    S1 = make("StatusOneSerializer", "probe_h.s", Task, ["id", "status"])
    S2 = make("StatusTwoSerializer", "probe_h.s", Task, ["id", "status"])

    class Query(graphene.ObjectType):
        a = ListField(S1)
        b = ListField(S2)

    schema = graphene.Schema(query=Query)
    sdl = str(schema)
    print(sdl)
    assert "StatusOneStatusChoices" in sdl and "StatusTwoStatusChoices" in sdl
    assert validate_schema(schema.graphql_schema) == []
    assert not e003()
