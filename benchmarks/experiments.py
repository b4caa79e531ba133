"""What each proposed optimization would save, measured without changing the library.

    python benchmarks/experiments.py [--rounds 600]

Each experiment patches one thing in this process only (the library's files are untouched)
and times the library's request with and without the patch, each right after a DRF REST
call (REST A REST B, then REST B REST A, ...: two library calls in a row would warm the
caches for the second), reporting medians and the median paired saving:

- ``csrf``: graphene-django's ``GraphQLView.dispatch`` is wrapped in ``@ensure_csrf_cookie``
  (a CSRF check whose verdict is ignored, a new masked token and a ``Set-Cookie`` on every
  response); the patch calls the undecorated method. ``DRFGraphQLView`` now does so itself,
  so this one should show no saving any more.
- ``walk``: the read resolvers return a result computed once, so what remains is HTTP,
  graphql-core walking the serializer's output field by field, and JSON: an upper bound
  on what a direct output path could save.
- ``bulk``: ``BulkCreateMutation`` keeps DRF's own ``ListSerializer`` for a serializer that
  does not override ``save()`` (no per-item child serializer rebuilding its fields).
- ``fields``: building a serializer's fields (``ModelSerializer.get_fields``) against
  deep-copying fields built once per class (micro-benchmark).
- ``graphql``: a delete whose view calls the mutation directly, skipping graphql-core's
  execution (variables, operation, resolver info, payload completion): what the GraphQL
  executor costs in the request, an upper bound on any faster execution path.
- ``fixed``: what a request costs with no work in it: a plain Django view, a DRF
  ``APIView`` answering a DELETE with 204, and ``mutation { __typename }`` (with a
  variable to coerce, as the delete has one) through ``DRFGraphQLView``; the overhead of each layer
  over the one below, which a delete (little serializer work) cannot hide.
- ``layers``: a delete rebuilt one layer at a time inside ``DRFGraphQLView.dispatch``:
  a bare view (JSON body, document cache, ``get_object_or_404`` and ``delete()`` in a
  transaction, JSON answer), then with DRF's authentication and throttles, then with the
  library's mutation (``_execute``) instead of the bare lookup and delete; ``graphql``
  above adds graphene-django's view around it. What each layer costs against REST.
- ``reads``: a list and a retrieve with the rendering serializers' fields reading rows as
  DRF does (``attributes.read_as_drf_does``) against DRF's own ``get_attribute``; and
  with ``ClassFields`` answering ``values()``/``items()``/``in`` from its dict against a
  ``MutableMapping``'s views (a ``__getitem__`` call per field and row).
- ``direct``: an operation of one library root field run by ``execute_document`` directly
  (stock) against graphql-core's ``execute`` (patched): what the direct path saves, for a
  delete, a create and a retrieve.
- ``ceilings``: what is left to gain in a delete, one layer at a time: graphene-django's
  dispatch (body, parameters, JSON answer), ``execute_graphql_request`` and the mutation's
  framing (``_execute``: the request copy, view, permissions, call context) each replaced
  by a stand-in doing only the work the benchmark needs. Upper bounds, not designs: the
  stand-ins drop checks real requests need.
- ``schema``: schema build for 200 serializers without graphene's per-ObjectType
  ``make_dataclass`` (output types and payloads are resolved from dicts, never
  instantiated), and with one serializer instance per class shared by all type modes.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import subprocess
import sys
import time
import timeit
from types import SimpleNamespace
from typing import Any

from _setup import HERE, ROOT, boot_django


def interleaved(case_a, case_b, rest, patch, unpatch, rounds: int, warmup: int = 20):
    """Time A (stock) and B (patched), each right after a REST call, alternating A and B.

    Every library call follows a REST call, so neither variant runs with the caches the
    other just warmed (two library calls in a row make the second look cheaper); the order
    of A and B flips each round.
    """
    times: dict[str, list[float]] = {"stock": [], "patched": [], "rest": []}
    counter = 0

    def timed(case) -> float:
        nonlocal counter
        counter += 1
        state = case.prepare(50_000_000 + counter)
        start = time.perf_counter()
        response = case.call(state)
        elapsed = time.perf_counter() - start
        case.check(state, response)
        return elapsed

    for index in range(rounds + warmup):
        order = ("stock", "patched") if index % 2 else ("patched", "stock")
        for name in order:
            rest_time = timed(rest)
            if name == "patched":
                patch()
            try:
                elapsed = timed(case_b if name == "patched" else case_a)
            finally:
                if name == "patched":
                    unpatch()
            if index >= warmup:
                times["rest"].append(rest_time)
                times[name].append(elapsed)
    medians = {name: statistics.median(values) for name, values in times.items()}
    saving = statistics.median(a - b for a, b in zip(times["stock"], times["patched"], strict=True))
    return medians, saving


def show(label: str, medians: dict[str, float], saving: float) -> None:
    print(
        f"  {label:<34} stock {medians['stock'] * 1e3:7.3f} ms  patched "
        f"{medians['patched'] * 1e3:7.3f} ms  REST {medians['rest'] * 1e3:7.3f} ms  "
        f"saving {saving * 1e6:6.0f} µs (paired)  × REST {medians['stock'] / medians['rest']:.2f}"
        f" -> {medians['patched'] / medians['rest']:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=600)
    parser.add_argument(
        "--only",
        help="comma-separated: csrf, walk, bulk, fields, schema, graphql, layers, reads, "
        "fixed, direct, ceilings",
    )
    args = parser.parse_args()
    everything = {
        "csrf", "walk", "bulk", "fields", "schema", "graphql", "layers", "reads", "fixed",
        "direct", "ceilings",
    }  # fmt: skip
    only = set(args.only.split(",")) if args.only else everything

    boot_django()
    from cases import OP_KEYS, build_cases, make_fixtures
    from django.test import Client
    from graphene_django.views import GraphQLView

    cases = build_cases(Client(), make_fixtures(), crud_available=False)

    def pick(key: str, flavour: str):
        return next(case for case in cases[OP_KEYS[key]] if case.flavour == flavour)

    def rounds_for(key: str) -> int:
        return {"list": max(20, args.rounds // 10), "bulk": max(5, args.rounds // 40)}.get(
            key, args.rounds
        )

    if "csrf" in only:
        print("csrf: GraphQLView.dispatch without @ensure_csrf_cookie")
        decorated = GraphQLView.dispatch
        undecorated = decorated.__wrapped__

        def patch() -> None:
            GraphQLView.dispatch = undecorated

        def unpatch() -> None:
            GraphQLView.dispatch = decorated

        for key in ("create", "update", "delete", "retrieve", "list"):
            lib = pick(key, "library")
            show(key, *interleaved(lib, lib, pick(key, "rest"), patch, unpatch, rounds_for(key)))

    if "walk" in only:
        print("walk: read() result computed once; what is left is HTTP + graphql-core's walk")
        from drf_graphql_crud.queries import ListField, RetrieveField

        for key, field_class in (("retrieve", RetrieveField), ("list", ListField)):
            original = field_class.read
            cache: dict[int, object] = {}

            def cached(self, info, view, permissions, kwargs, original=original, cache=cache):
                if id(self) not in cache:
                    cache[id(self)] = original(self, info, view, permissions, kwargs)
                return cache[id(self)]

            def patch(field_class=field_class, cached=cached) -> None:
                field_class.read = cached

            def unpatch(field_class=field_class, original=original) -> None:
                field_class.read = original

            lib = pick(key, "library")
            medians, saving = interleaved(lib, lib, pick(key, "rest"), patch, unpatch,
                                          rounds_for(key))  # fmt: skip
            show(key, medians, saving)
            print(
                f"  {'':<34} left with read() cached: {medians['patched'] * 1e3:.3f} ms "
                "(HTTP + document cache + graphql-core walk + JSON)"
            )

    if "bulk" in only:
        print("bulk: DRF's ListSerializer when the child does not override save()")
        from drf_graphql_crud.mutations import BulkCreateMutation, CreateMutation

        original = BulkCreateMutation.__dict__["get_serializer"]

        def plain(cls, info, *a, **kw):
            return CreateMutation.get_serializer.__func__(cls, info, *a, **kw)

        def patch() -> None:
            BulkCreateMutation.get_serializer = classmethod(plain)

        def unpatch() -> None:
            BulkCreateMutation.get_serializer = original

        lib = pick("bulk", "library")
        show("bulk create (100)", *interleaved(lib, lib, pick("bulk", "rest"), patch, unpatch,
                                               rounds_for("bulk"), warmup=3))  # fmt: skip

    if "fields" in only:
        print("fields: ModelSerializer.get_fields per instance vs deepcopy of per-class fields")
        from benchproject.serializers import TaskReadSerializer, TaskSerializer
        from rest_framework.serializers import BindingDict

        for serializer_class in (TaskSerializer, TaskReadSerializer):
            prototype = dict(serializer_class().fields.items())

            def built(serializer_class=serializer_class):
                return serializer_class().fields

            def copied(serializer_class=serializer_class, prototype=prototype):
                serializer = serializer_class()
                fields = BindingDict(serializer)
                for name, field in prototype.items():
                    fields[name] = copy.deepcopy(field)
                return fields

            number = 3000
            a = timeit.timeit(built, number=number) / number
            b = timeit.timeit(copied, number=number) / number
            print(
                f"  {serializer_class.__name__:<34} get_fields {a * 1e6:6.0f} µs  "
                f"deepcopy of prototype {b * 1e6:6.0f} µs  saving {(a - b) * 1e6:5.0f} µs"
            )

    if "graphql" in only:
        print("graphql: delete without graphql-core's execution (an upper bound, not a design)")
        from benchproject.lib_schema import DeleteTask
        from graphql import ExecutionResult

        from drf_graphql_crud.views import DRFGraphQLView

        original = DRFGraphQLView.execute_graphql_request

        def bypass(self, request, data, query, variables, operation_name, show_graphiql=False):
            self.parse_and_validate(query)  # the cache lookup stays
            info = SimpleNamespace(context=self.get_context(request))
            result = DeleteTask._execute(info, {"id": variables["id"]})
            return ExecutionResult(data={"deleteTask": {"deletedId": str(result["deleted_id"])}})

        def patch() -> None:
            DRFGraphQLView.execute_graphql_request = bypass

        def unpatch() -> None:
            DRFGraphQLView.execute_graphql_request = original

        lib = pick("delete", "library")
        show("delete", *interleaved(lib, lib, pick("delete", "rest"), patch, unpatch,
                                    rounds_for("delete")))  # fmt: skip

    if "layers" in only:
        print("layers: a delete's view rebuilt one layer at a time (patched), against REST")
        from benchproject.lib_schema import DeleteTask
        from benchproject.models import Task
        from django.db import transaction
        from django.http import HttpResponse
        from django.shortcuts import get_object_or_404

        from drf_graphql_crud.views import DRFGraphQLView

        def answer(pk: Any) -> HttpResponse:
            body = json.dumps({"data": {"deleteTask": {"deletedId": str(pk)}}})
            return HttpResponse(body, content_type="application/json")

        def bare(self, request, *args, **kwargs):
            data = json.loads(request.body)
            self.parse_and_validate(data["query"])  # the document cache lookup stays
            with transaction.atomic():
                row = get_object_or_404(Task.objects.all(), pk=data["variables"]["id"])
                pk = row.pk
                row.delete()
            return answer(pk)

        def authenticated(self, request, *args, **kwargs):
            self.drf_request = self.initialize_request(request)
            self.drf_request.user  # noqa: B018 - DRF's authentication, as dispatch runs it
            self.check_throttles(self.drf_request)
            return bare(self, request)

        def mutation(self, request, *args, **kwargs):
            self.drf_request = self.initialize_request(request)
            self.drf_request.user  # noqa: B018
            self.check_throttles(self.drf_request)
            data = json.loads(request.body)
            self.parse_and_validate(data["query"])
            info = SimpleNamespace(context=self.drf_request)
            return answer(DeleteTask._execute(info, {"id": data["variables"]["id"]})["deleted_id"])

        original = DRFGraphQLView.dispatch
        lib, rest = pick("delete", "library"), pick("delete", "rest")
        for label, dispatch in (
            ("bare view", bare),
            ("+ DRF authentication", authenticated),
            ("+ the library's mutation", mutation),
        ):

            def patch(dispatch=dispatch) -> None:
                DRFGraphQLView.dispatch = dispatch

            def unpatch() -> None:
                DRFGraphQLView.dispatch = original

            show(label, *interleaved(lib, lib, rest, patch, unpatch, rounds_for("delete")))

    if "reads" in only:
        print("reads: the read copies' faster reading, off (stock) and on (patched)")
        from drf_graphql_crud import fieldcache

        readers = fieldcache.read_as_drf_does
        views = {
            name: fieldcache.ClassFields.__dict__[name]
            for name in ("__contains__", "keys", "values", "items", "get")
        }

        def readers_on() -> None:
            fieldcache.read_as_drf_does = readers

        def readers_off() -> None:
            fieldcache.read_as_drf_does = lambda fields: None

        def views_on() -> None:
            for name, method in views.items():
                setattr(fieldcache.ClassFields, name, method)

        def views_off() -> None:
            for name in views:
                delattr(fieldcache.ClassFields, name)

        for label, on, off in (
            ("attribute readers", readers_on, readers_off),
            ("ClassFields dict views", views_on, views_off),
        ):
            off()
            try:
                for key in ("list", "retrieve"):
                    lib, rest = pick(key, "library"), pick(key, "rest")
                    medians, saving = interleaved(lib, lib, rest, on, off, rounds_for(key))
                    show(f"{key}: {label}", medians, saving)
            finally:
                on()

    if "direct" in only:
        print("direct: one library root field run directly (stock) or by graphql-core (patched)")
        import graphql

        from drf_graphql_crud import views

        direct = views.execute_document

        def through_graphql_core() -> None:
            views.execute_document = graphql.execute

        def back() -> None:
            views.execute_document = direct

        for key in ("delete", "create", "retrieve"):
            lib, rest = pick(key, "library"), pick(key, "rest")
            show(key, *interleaved(lib, lib, rest, through_graphql_core, back, rounds_for(key)))

    if "ceilings" in only:
        print("ceilings: a delete with one layer replaced by a bare stand-in (upper bounds)")
        from django.db import transaction
        from django.http import HttpResponse
        from graphene_django.views import GraphQLView

        from drf_graphql_crud import mutations, views

        undecorated = GraphQLView.dispatch.__wrapped__
        execute_request = views.DRFGraphQLView.execute_graphql_request
        execute_operation = mutations.SerializerMutation.__dict__["_execute"]

        def bare_dispatch(self, request, *args, **kwargs):
            data = json.loads(request.body)
            result = self.execute_graphql_request(
                request, data, data["query"], data.get("variables"), data.get("operationName")
            )
            body = json.dumps({"data": result.data}, separators=(",", ":"))
            return HttpResponse(body, content_type="application/json")

        def bare_execute_request(self, request, data, query, variables, operation_name, *_):
            document, _errors = self.parse_and_validate(query)
            return views.execute_document(
                self.schema.graphql_schema,
                document,
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                execution_context_class=views.SerializedExecutionContext,
            )

        def bare_execute(cls, info, kwargs):
            with transaction.atomic():
                return cls.run(info, kwargs["id"], None)

        stand_ins = (
            (
                "graphene-django's dispatch",
                lambda: setattr(GraphQLView.dispatch, "__wrapped__", bare_dispatch),
                lambda: setattr(GraphQLView.dispatch, "__wrapped__", undecorated),
            ),
            (
                "execute_graphql_request",
                lambda: setattr(
                    views.DRFGraphQLView, "execute_graphql_request", bare_execute_request
                ),
                lambda: setattr(views.DRFGraphQLView, "execute_graphql_request", execute_request),
            ),
            (
                "the mutation's framing",
                lambda: setattr(
                    mutations.SerializerMutation, "_execute", classmethod(bare_execute)
                ),
                lambda: setattr(mutations.SerializerMutation, "_execute", execute_operation),
            ),
        )
        lib, rest = pick("delete", "library"), pick("delete", "rest")
        for label, patch, unpatch in stand_ins:
            show(label, *interleaved(lib, lib, rest, patch, unpatch, rounds_for("delete")))

    if "fixed" in only:
        print("fixed: requests with no work in them, interleaved (median)")
        client = Client()
        body = json.dumps(
            {
                "query": "mutation($skip: Boolean!) { __typename @skip(if: $skip) }",
                "variables": {"skip": False},
            }
        )
        calls = {
            "Django view (DELETE, 204)": lambda: client.delete("/noop/plain/1/"),
            "DRF APIView (DELETE, 204)": lambda: client.delete("/noop/drf/1/"),
            "DRFGraphQLView (mutation __typename)": lambda: client.post(
                "/graphql/", body, content_type="application/json"
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in calls}
        for round_ in range(args.rounds * 5 + 100):
            for name, call in calls.items():
                start = time.perf_counter()
                response = call()
                elapsed = time.perf_counter() - start
                if round_ >= 100:  # warm-up
                    times[name].append(elapsed)
                assert response.status_code in (200, 204), (name, response.content)
        previous = None
        for name, samples in times.items():
            median = statistics.median(samples)
            over = f"  (+{(median - previous) * 1e6:.0f} µs)" if previous is not None else ""
            print(f"  {name:<38} {median * 1e6:6.0f} µs{over}")
            previous = median

    if "schema" in only:
        print("schema: 200 CreateMutations, ms per mutation (median of 3 fresh processes)")
        for variant in ("stock", "no-dataclass", "one-instance", "both"):
            samples = []
            for _ in range(3):
                out = subprocess.run(
                    [sys.executable, __file__, "--schema-variant", variant],
                    capture_output=True, text=True, check=True, cwd=ROOT,
                ).stdout  # fmt: skip
                samples.append(float(out.strip().splitlines()[-1]))
            print(f"  {variant:<34} {statistics.median(samples):.2f} ms per mutation")


def schema_variant(variant: str) -> None:
    """One schema build in this fresh process, with the variant's patches; prints ms/mutation."""
    import gc

    boot_django(create_db=False)
    import graphene.types.objecttype as objecttype
    import schema_build

    import drf_graphql_crud.mutations  # noqa: F401
    import drf_graphql_crud.types as types

    if variant in ("no-dataclass", "both"):

        def no_dataclass(name, fields, bases=()):
            class Plain:
                def __init__(self, *args, **kwargs):
                    pass

            return Plain

        objecttype.make_dataclass = no_dataclass
    if variant in ("one-instance", "both"):
        instances: dict[type, object] = {}
        original = types.instantiate

        def instantiate_once(serializer_class):
            if serializer_class not in instances:
                instances[serializer_class] = original(serializer_class)
            return instances[serializer_class]

        types.instantiate = instantiate_once
    classes = schema_build.make_serializers(200)
    gc.collect()
    start = time.perf_counter()
    schema_build.build_library(classes)
    print((time.perf_counter() - start) * 1000 / 200)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--schema-variant":
        sys.path.insert(0, HERE)
        schema_variant(sys.argv[2])
    else:
        main()
