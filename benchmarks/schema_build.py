"""Schema build time and memory for N distinct serializers, in a fresh process.

    python benchmarks/schema_build.py --impl library|graphene-django [--count 200] [--breakdown]

Generates ``count`` distinct ``ModelSerializer`` classes over the benchmark models (Task with
rotating field subsets, Project, Tag and Subtask), then times building one create mutation
per serializer (this library's ``CreateMutation`` or graphene-django's
``SerializerMutation``), a ``graphene.Schema`` holding them all, and graphql-core's
``validate_schema`` (which the first request would otherwise pay). Imports, Django set-up
and the serializer classes themselves are outside the timing. Prints one JSON line:
seconds, per-mutation milliseconds, and the growth of resident memory (VmRSS, from
``/proc/self/status``) while building. ``--breakdown`` adds where the time went: DRF
building the serializers' fields (``get_fields``), turning them into GraphQL fields (the
library's ``build_fields``), making the choice enums, ``graphene.Schema`` and the rest
(graphene's type and mutation classes, payloads), each stage without those inside it.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import sys
import time

from _setup import boot_django, rss_kib

TASK_OPTIONAL = ["notes", "status", "priority", "due_date", "project", "tags"]


def make_serializers(count: int) -> list[type]:
    from benchproject.models import Project, Subtask, Tag, Task
    from rest_framework import serializers

    subsets = [
        list(combo)
        for size in range(len(TASK_OPTIONAL), 0, -1)
        for combo in itertools.combinations(TASK_OPTIONAL, size)
    ]
    others = [
        (Project, ["id", "name", "slug"]),
        (Tag, ["id", "name"]),
        (Subtask, ["id", "title", "done", "task"]),
    ]
    classes = []
    for index in range(count):
        if index % 2 == 0:
            model = Task
            fields = ["id", "title", *subsets[(index // 2) % len(subsets)]]
            extra = {"title": {"min_length": 1 + index % 5}}
        else:
            model, fields = others[(index // 2) % len(others)]
            extra = {}
        meta = type("Meta", (), {"model": model, "fields": fields, "extra_kwargs": extra})
        name = f"Gen{index:03d}{model.__name__}Serializer"
        classes.append(type(name, (serializers.ModelSerializer,), {"Meta": meta}))
    return classes


def build_library(classes: list[type]) -> object:
    import graphene

    from drf_graphql_crud import CreateMutation

    fields = {}
    for serializer_class in classes:
        meta = type("Meta", (), {"serializer_class": serializer_class})
        name = "Create" + serializer_class.__name__.removesuffix("Serializer")
        mutation = type(name, (CreateMutation,), {"Meta": meta})
        fields[name[0].lower() + name[1:]] = mutation.Field()
    return _schema(graphene, fields)


def build_graphene_django(classes: list[type]) -> object:
    import graphene
    from graphene_django.rest_framework.mutation import SerializerMutation

    fields = {}
    for serializer_class in classes:
        meta = type(
            "Meta", (), {"serializer_class": serializer_class, "model_operations": ["create"]}
        )
        name = "Create" + serializer_class.__name__.removesuffix("Serializer")
        mutation = type(name, (SerializerMutation,), {"Meta": meta})
        fields[name[0].lower() + name[1:]] = mutation.Field()
    return _schema(graphene, fields)


def _schema(graphene: object, fields: dict[str, object]) -> object:
    from graphql import validate_schema

    query = type("Query", (graphene.ObjectType,), {"ok": graphene.Boolean()})
    mutation = type("Mutation", (graphene.ObjectType,), fields)
    schema = graphene.Schema(query=query, mutation=mutation)
    errors = validate_schema(schema.graphql_schema)
    if errors:
        raise SystemExit(f"invalid schema: {errors[:3]}")
    return schema


def timed_stages() -> dict[str, float]:
    """Wrap the stages ``--breakdown`` reports; returns the dict their seconds add up in.

    Each stage's own time: a stage running inside another (DRF building a nested
    serializer's fields while its parent's GraphQL fields are made) is taken out of the
    outer one, so the stages add up to no more than the build.
    """
    import functools

    import graphene
    from rest_framework import serializers

    from drf_graphql_crud import types

    spent: dict[str, float] = {}
    running: list[list[float]] = []  # [start, seconds of the stages inside it]

    def timing(function, label):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            frame = [time.perf_counter(), 0.0]
            running.append(frame)
            try:
                return function(*args, **kwargs)
            finally:
                running.pop()
                elapsed = time.perf_counter() - frame[0]
                spent[label] = spent.get(label, 0.0) + elapsed - frame[1]
                if running:
                    running[-1][1] += elapsed

        return wrapper

    serializers.ModelSerializer.get_fields = timing(
        serializers.ModelSerializer.get_fields, "drf_get_fields"
    )
    types.build_fields = timing(types.build_fields, "field_conversion")
    types._make_enum = timing(types._make_enum, "enums")
    graphene.Schema.__init__ = timing(graphene.Schema.__init__, "graphene_schema")
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=["library", "graphene-django"], required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--breakdown", action="store_true", help="time the build's stages")
    args = parser.parse_args()

    boot_django(create_db=False)
    # Import everything first: the timing is the build, not the imports.
    import graphene  # noqa: F401
    from graphene_django.rest_framework import mutation  # noqa: F401

    import drf_graphql_crud.mutations  # noqa: F401

    spent = timed_stages() if args.breakdown else None
    classes = make_serializers(args.count)
    build = build_library if args.impl == "library" else build_graphene_django
    gc.collect()
    if spent is not None:
        spent.clear()
    rss_before = rss_kib()
    start = time.perf_counter()
    schema = build(classes)
    seconds = time.perf_counter() - start
    rss_after = rss_kib()
    mutation_fields = schema.graphql_schema.mutation_type.fields
    if len(mutation_fields) != args.count:
        raise SystemExit(f"{len(mutation_fields)} mutations in the schema, not {args.count}")
    json.dump(
        {
            "impl": args.impl,
            "count": args.count,
            "seconds": seconds,
            "ms_per_mutation": seconds * 1000 / args.count,
            "rss_growth_kib": rss_after - rss_before,
            "types": len(schema.graphql_schema.type_map),
            **({"breakdown_ms": breakdown(spent, seconds)} if spent is not None else {}),
        },
        sys.stdout,
    )
    print()


def breakdown(spent: dict[str, float], seconds: float) -> dict[str, float]:
    """Milliseconds per stage (each stage's own time), and the rest of the build."""
    stages = {
        label: spent.get(label, 0.0)
        for label in ("drf_get_fields", "field_conversion", "enums", "graphene_schema")
    }
    stages["rest"] = seconds - sum(stages.values())
    return {name: round(value * 1000, 1) for name, value in stages.items()}


if __name__ == "__main__":
    main()
