"""What each stage of a request costs in the benchmark's own conditions, unprofiled.

    python benchmarks/stages.py [--op delete] [--rounds 1200]
    python benchmarks/stages.py --timeline [--op delete]   # the gaps between stages, in order

``profile_ops.py`` shows where the time goes under cProfile, which slows call-heavy code
more than the rest; a stage timed alone in a tight loop (``timeit``) runs with every cache
warm. Neither says what a stage costs inside a real request, after other requests have
run. Here the library's request and the REST request for the same operation alternate
(as in ``run.py``), each after its own untimed ``prepare``, and a set of stages is wrapped
with ``perf_counter``: the median of each is printed, the library's beside REST's. A
wrapper costs about a microsecond, so small stages read a little high; the totals include
the wrappers of their stages.

``--timeline`` marks the entry and the exit of each stage instead, and prints, for each
flavour, the median time between one mark and the next, in the order the request reaches
them: the gaps are the code between the stages (the view's own framing), which a list of
stage totals leaves out.
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


#: The request's marks, in order: (label, time).
marks: list[tuple[str, float]] = []


def marked(owner: Any, name: str, label: str) -> None:
    """Replace ``owner.name`` by a wrapper marking its entry (``label>``) and exit (``<label``)."""
    original = owner.__dict__[name]
    kind = type(original) if isinstance(original, classmethod | staticmethod) else None
    function = original.__func__ if kind is not None else original

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        marks.append((f"{label}>", time.perf_counter()))
        try:
            return function(*args, **kwargs)
        finally:
            marks.append((f"<{label}", time.perf_counter()))

    # A marker read off the function (the direct root-field resolver's) stays readable.
    wrapper.__dict__.update(getattr(function, "__dict__", {}))
    setattr(owner, name, kind(wrapper) if kind is not None else wrapper)


def mark_stages() -> None:
    from django.core.handlers.base import BaseHandler
    from django.db import transaction
    from django.db.models import Model
    from django.http import HttpResponse
    from graphene_django.views import GraphQLView
    from rest_framework import generics, views

    import drf_graphql_crud.mutations as mutations
    import drf_graphql_crud.views as library_views
    from drf_graphql_crud import execution
    from drf_graphql_crud.viewsets import ViewSetCrud

    view = library_views.DRFGraphQLView
    for owner, name, label in [
        (ViewSetCrud, "mutate", "ViewSetCrud.mutate"),
        (ViewSetCrud, "get_view", "get_view"),
        (ViewSetCrud, "initial", "viewset initial"),
        (ViewSetCrud, "atomic", "ViewSetCrud.atomic"),
        (ViewSetCrud, "get_object", "lookup"),
        (ViewSetCrud, "_deleted_id", "deleted id"),
        (BaseHandler, "get_response", "handler"),
        (view, "dispatch", "dispatch"),
        (view, "initialize_request", "DRF request"),
        (view, "check_throttles", "throttles"),
        (GraphQLView, "parse_body", "body"),
        (view, "execute_graphql_request", "execute_graphql_request"),
        (view, "parse_and_validate", "document"),
        (library_views, "_atomic_mutation_aliases", "ATOMIC_MUTATIONS"),
        (execution, "_execute_root_field", "root field"),
        (execution, "_coerced", "variables"),
        (mutations.SerializerMutation, "_execute", "mutation"),
        (mutations, "operation_request", "request copy"),
        (mutations, "check_permissions", "permissions"),
        (mutations.SerializerMutation, "_transaction", "transaction"),
        (transaction.Atomic, "__enter__", "atomic enter"),
        (transaction.Atomic, "__exit__", "atomic exit"),
        (mutations.SerializerMutation, "get_object", "lookup"),
        (Model, "delete", "Model.delete"),
        (view, "json_encode", "JSON"),
        (HttpResponse, "__init__", "HttpResponse"),
        (views.APIView, "dispatch", "dispatch"),
        (views.APIView, "initialize_request", "DRF request"),
        (views.APIView, "initial", "initial"),
        (generics.GenericAPIView, "get_object", "lookup"),
        (views.APIView, "finalize_response", "finalize_response"),
    ]:
        marked(owner, name, label)


def timeline(cases: Any, rest: Any, library: Any, rounds: int, warmup: int) -> None:
    gaps: dict[str, dict[str, list[float]]] = {"REST": {}, "library": {}}
    totals: dict[str, list[float]] = {"REST": [], "library": []}
    counter = 0
    for round_ in range(rounds + warmup):
        order = [("REST", rest), ("library", library)]
        for label, case in order if round_ % 2 else order[::-1]:
            counter += 1
            state = case.prepare(30_000_000 + counter)
            marks.clear()
            marks.append(("client>", time.perf_counter()))
            response = case.call(state)
            marks.append(("<client", time.perf_counter()))
            case.check(state, response)
            if round_ < warmup:
                continue
            totals[label].append(marks[-1][1] - marks[0][1])
            seen: dict[str, int] = {}
            for (before, at), (after, then) in zip(marks, marks[1:], strict=False):
                gap = f"{before} .. {after}"
                seen[gap] = seen.get(gap, 0) + 1  # a gap met twice a request is listed twice
                key = gap if seen[gap] == 1 else f"{gap} ({seen[gap]})"
                gaps[label].setdefault(key, []).append(then - at)
    for label in ("REST", "library"):
        print(f"{label}: {statistics.median(totals[label]) * 1e6:.1f} µs a request (median)")
        for gap, values in gaps[label].items():
            print(f"  {gap:<52} {statistics.median(values) * 1e6:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--op", default="delete", help="create, update, delete or retrieve")
    parser.add_argument("--rounds", type=int, default=1200)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--timeline", action="store_true", help="the gaps between stages")
    parser.add_argument(
        "--flavour", default="library", choices=["library", "viewsetcrud"],
        help="the GraphQL flavour set against REST (viewsetcrud: ViewSetCrud's operations)",
    )  # fmt: skip
    args = parser.parse_args()

    boot_django()
    import cases
    from django.test import Client

    if args.timeline:
        mark_stages()
    else:
        wrap_stages()
    client = Client()
    operation = cases.OP_KEYS.get(args.op, args.op)
    crud = args.flavour == "viewsetcrud"
    built = cases.build_cases(client, cases.make_fixtures(), crud_available=crud)[operation]
    pair = {case.flavour: case for case in built}
    rest, library = pair[cases.REST], pair[cases.VIEWSETCRUD if crud else cases.LIBRARY]
    if args.timeline:
        timeline(cases, rest, library, args.rounds, args.warmup)
        return
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
