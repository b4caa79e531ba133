"""What each stage of a request costs in the benchmark's own conditions, unprofiled.

    python benchmarks/stages.py [--op delete] [--rounds 1200]

``profile_ops.py`` shows where the time goes under cProfile, which slows call-heavy code
more than the rest; a stage timed alone in a tight loop (``timeit``) runs with every cache
warm. Neither says what a stage costs inside a real request, after other requests have
run. Here the library's request and the REST request for the same operation alternate
(as in ``run.py``), each after its own untimed ``prepare``, and a set of stages is wrapped
with ``perf_counter``: the median of each is printed, the library's beside REST's. A
wrapper costs about a microsecond, so small stages read a little high; the totals include
the wrappers of their stages.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from _setup import boot_django

samples: dict[str, list[float]] = {}
#: Labels in the order they are declared, which is the order they print in.
labels: list[str] = []


def timed(owner: Any, name: str, label: str, classmethod_: bool = False) -> None:
    """Replace ``owner.name`` by a wrapper adding each call's duration to ``samples[label]``."""
    if label not in labels:
        labels.append(label)
    original = getattr(owner, name)
    function: Callable[..., Any] = original.__func__ if classmethod_ else original

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            samples.setdefault(label, []).append(time.perf_counter() - start)

    setattr(owner, name, classmethod(wrapper) if classmethod_ else wrapper)


def wrap_stages() -> None:
    from graphene_django.views import GraphQLView
    from rest_framework import generics, mixins, views

    import drf_graphql_crud.mutations as mutations
    import drf_graphql_crud.queries as queries
    import drf_graphql_crud.views as library_views
    from drf_graphql_crud.execution import SerializedExecutionContext

    execute_module = sys.modules["graphql.execution.execute"]
    view = library_views.DRFGraphQLView
    labels.extend(["library: request (test client)", "REST: request (test client)"])
    for owner, name, label, *flags in [
        (view, "dispatch", "library: view dispatch"),
        (view, "initialize_request", "library:   DRF request + authenticators"),
        (view, "parse_body", "library:   body: JSON parse"),
        (GraphQLView, "get_response", "library:   get_response"),
        (view, "parse_and_validate", "library:     document cache"),
        (library_views, "execute", "library:     graphql-core execute"),
        (SerializedExecutionContext, "build", "library:       context (variables incl.)", True),
        (execute_module, "get_variable_values", "library:       variables"),
        (execute_module, "collect_fields", "library:       root fields"),
        (execute_module, "get_argument_values", "library:       arguments"),
        (SerializedExecutionContext, "complete_value", "library:       completion"),
        (mutations.SerializerMutation, "_execute", "library:       mutation", True),
        (queries._SerializerReadField, "_resolve", "library:       read", False),
        (mutations, "operation_request", "library:         operation request"),
        (queries, "get_object", "library:         lookup (get_object)"),
        (mutations, "get_object", "library:         lookup (get_object)"),
        (view, "json_encode", "library:     JSON encode"),
        (views.APIView, "dispatch", "REST: view dispatch"),
        (views.APIView, "initialize_request", "REST:   DRF request"),
        (views.APIView, "initial", "REST:   authentication, permissions, negotiation"),
        (generics.GenericAPIView, "get_object", "REST:     lookup (get_object)"),
        (views.APIView, "finalize_response", "REST:   finalize_response"),
    ]:
        timed(owner, name, label, *flags)
    for mixin, action in [
        (mixins.CreateModelMixin, "create"),
        (mixins.UpdateModelMixin, "update"),
        (mixins.DestroyModelMixin, "destroy"),
        (mixins.RetrieveModelMixin, "retrieve"),
    ]:
        timed(mixin, action, f"REST:   {action}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--op", default="delete", help="create, update, delete or retrieve")
    parser.add_argument("--rounds", type=int, default=1200)
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args()

    boot_django()
    import cases
    from django.test import Client

    wrap_stages()
    client = Client()
    operation = cases.OP_KEYS.get(args.op, args.op)
    built = cases.build_cases(client, cases.make_fixtures(), crud_available=False)[operation]
    pair = {case.flavour: case for case in built}
    rest, library = pair[cases.REST], pair[cases.LIBRARY]
    counter = 0
    for round_ in range(args.rounds + args.warmup):
        if round_ == args.warmup:
            samples.clear()
        order = [("REST", rest), ("library", library)]
        for label, case in order if round_ % 2 else order[::-1]:
            counter += 1
            state = case.prepare(20_000_000 + counter)
            start = time.perf_counter()
            response = case.call(state)
            samples.setdefault(f"{label}: request (test client)", []).append(
                time.perf_counter() - start
            )
            case.check(state, response)
    print(f"{operation}: median µs per call over {args.rounds} rounds (calls per request)")
    for label in labels:
        values = samples.get(label)
        if values:
            per_request = len(values) / args.rounds
            print(
                f"  {label:<58} {statistics.median(values) * 1e6:8.1f}"
                + (f"  (×{per_request:.0f})" if round(per_request) != 1 else "")
            )


if __name__ == "__main__":
    main()
