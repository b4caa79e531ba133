"""Where a request's time goes: this library next to DRF REST, per operation.

    python benchmarks/profile_ops.py                       # create, update, list; cProfile
    python benchmarks/profile_ops.py --ops list --requests 200 --top 30
    python benchmarks/profile_ops.py --pyinstrument create # a call tree of the library's create

Runs the benchmark's own requests (``cases.py``) in a loop under ``cProfile``, after a
warm-up, and prints for each operation and flavour the cumulative time of the stages a
request goes through, per request, and each stage's share of the request. A profiler slows
call-heavy code more than the rest, so the shares, not the absolute profiled times, are what
to read; the unprofiled median is printed for scale. ``--top`` also lists the functions
with the most own time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time

from _setup import boot_django

# (label, [(path suffix, function name[, callers]), ...]). A stage's time is the cumulative
# time of its functions, counting only calls from outside the stage, and when ``callers``
# is given only calls from those (path suffix, function name) pairs: the serializer's
# is_valid/save/.data as the view or mutation calls them, not a nested writer's own calls.
# Indented labels are parts of the stage above them; "* of which" lines cut across stages
# (already counted above).
LIB = (
    ("drf_graphql_crud/mutations.py", "run"),
    ("drf_graphql_crud/mutations.py", "render"),
    ("drf_graphql_crud/mutations.py", "perform_create"),
    ("drf_graphql_crud/mutations.py", "perform_update"),
    ("drf_graphql_crud/mutations.py", "perform_mutate"),
    ("drf_graphql_crud/queries.py", "read"),
)
MUTATE = (("drf_graphql_crud/mutations.py", "_execute"),)
DRF = (
    ("rest_framework/mixins.py", "create"),
    ("rest_framework/mixins.py", "update"),
    ("rest_framework/mixins.py", "retrieve"),
    ("rest_framework/mixins.py", "list"),
    ("rest_framework/mixins.py", "perform_create"),
    ("rest_framework/mixins.py", "perform_update"),
)
LIBRARY_STAGES = [
    ("view (everything inside the Django view)", [("django/views/generic/base.py", "view")]),
    ("  DRF Request + authentication + throttles", [
        ("drf_graphql_crud/views.py", "initialize_request"),
        ("rest_framework/request.py", "user"),
        ("drf_graphql_crud/views.py", "check_throttles"),
    ]),
    ("  request body: JSON parse", [("graphene_django/views.py", "parse_body")]),
    ("  document: cache lookup / parse / validate", [
        ("drf_graphql_crud/views.py", "parse_and_validate"),
        ("graphql/type/validate.py", "validate_schema"),
        ("graphql/utilities/get_operation_ast.py", "get_operation_ast"),
    ]),
    ("  graphene-django's @ensure_csrf_cookie on dispatch (CSRF check + new cookie)", [
        ("django/middleware/csrf.py", "process_request"),
        ("django/middleware/csrf.py", "process_view"),
        ("django/middleware/csrf.py", "process_response"),
    ]),
    ("  graphql-core execute", [("graphql/execution/execute.py", "execute")]),
    ("    variables: coercion into input values", [
        ("graphql/execution/values.py", "get_variable_values"),
    ]),
    ("    resolver (the library's mutate / read)", [
        ("drf_graphql_crud/mutations.py", "mutate"),
        ("drf_graphql_crud/queries.py", "_resolve"),
    ]),
    ("      DRF Request for the action (clone_request)", [
        ("drf_graphql_crud/permissions.py", "operation_request"),
    ]),
    ("      permissions: get_permissions + check_permissions", [
        ("drf_graphql_crud/mutations.py", "get_permissions"),
        ("drf_graphql_crud/queries.py", "get_permissions"),
        ("drf_graphql_crud/permissions.py", "check_permissions"),
        ("drf_graphql_crud/permissions.py", "check_object_permissions"),
    ]),
    ("      GraphQL input -> serializer data", [
        ("drf_graphql_crud/mutations.py", "to_serializer_data"),
    ]),
    ("      transaction.atomic enter + exit (the mutation's own)", [
        ("django/db/transaction.py", "__enter__", MUTATE),
        ("django/db/transaction.py", "__exit__", MUTATE),
    ]),
    ("      lookup (get_object, SELECT)", [("drf_graphql_crud/queries.py", "get_object")]),
    ("      serializer: instantiate (get_serializer)", [
        ("drf_graphql_crud/mutations.py", "get_serializer"),
    ]),
    ("      serializer: is_valid", [("rest_framework/serializers.py", "is_valid", LIB)]),
    ("      serializer: save (INSERT/UPDATE, M2M)", [
        ("rest_framework/serializers.py", "save", LIB),
        ("drf_writable_nested/mixins.py", "save", LIB),
    ]),
    ("      serializer: .data (to_representation + SELECTs)", [
        ("rest_framework/serializers.py", "data", LIB),
    ]),
    ("      selection tree + prune + select/prefetch hints", [
        ("drf_graphql_crud/queries.py", "selection_tree"),
        ("drf_graphql_crud/queries.py", "prune"),
        ("drf_graphql_crud/queries.py", "optimize"),
    ]),
    ("    graphql-core walking the result (execute - variables - resolver)", None),
    ("  * of which, anywhere: serializer fields built (get_fields, deepcopy)", [
        ("rest_framework/serializers.py", "fields"),
    ]),
    ("  * of which, anywhere: graphene default resolvers (dict -> field)", [
        ("graphene/types/resolver.py", "dict_or_attr_resolver"),
    ]),
    ("  * of which, anywhere: scalar serialize (output leaves)", [
        ("graphql/type/scalars.py", "serialize_string"),
        ("graphql/type/scalars.py", "serialize_id"),
        ("graphql/type/scalars.py", "serialize_int"),
        ("graphql/type/definition.py", "serialize"),
        ("drf_graphql_crud/scalars.py", "serialize"),
    ]),
    ("  result: format + JSON encode", [
        ("graphene_django/views.py", "format_execution_result"),
        ("graphene_django/views.py", "json_encode"),
    ]),
]  # fmt: skip

REST_STAGES = [
    ("view (everything inside the Django view)", [("rest_framework/viewsets.py", "view")]),
    ("  DRF Request + authentication + permissions + negotiation", [
        ("rest_framework/views.py", "initialize_request"),
        ("rest_framework/views.py", "initial"),
    ]),
    ("  request body: JSON parse (request.data)", [("rest_framework/request.py", "data")]),
    ("  lookup (get_object, SELECT)", [("rest_framework/generics.py", "get_object")]),
    ("  serializer: instantiate (get_serializer)", [
        ("rest_framework/generics.py", "get_serializer"),
    ]),
    ("  serializer: is_valid", [("rest_framework/serializers.py", "is_valid", DRF)]),
    ("  serializer: save (INSERT/UPDATE, M2M)", [
        ("rest_framework/serializers.py", "save", DRF),
        ("drf_writable_nested/mixins.py", "save", DRF),
    ]),
    ("  serializer: .data (to_representation)", [("rest_framework/serializers.py", "data", DRF)]),
    ("  pagination (COUNT + page)", [("rest_framework/pagination.py", "paginate_queryset")]),
    ("  finalize_response", [("rest_framework/views.py", "finalize_response")]),
    ("render JSON (after the view)", [("rest_framework/response.py", "rendered_content")]),
    ("* of which, anywhere: serializer fields built (get_fields, deepcopy)", [
        ("rest_framework/serializers.py", "fields"),
    ]),
]  # fmt: skip


def stage_times(stats: pstats.Stats, stages: list, requests: int) -> list[tuple[str, float]]:
    """Cumulative seconds per request of each stage's functions.

    Calls of a stage's function from another function of the same stage (recursion,
    ``super()``) are left out, so nothing inside one stage is counted twice.
    """
    table = stats.stats  # type: ignore[attr-defined]
    rows: list[tuple[str, float]] = []
    for label, functions in stages:
        if functions is None:  # execute minus its measured parts
            found = {name.strip(): seconds for name, seconds in rows}
            execute = found["graphql-core execute"]
            variables = found["variables: coercion into input values"]
            resolver = found["resolver (the library's mutate / read)"]
            rows.append((label, execute - variables - resolver))
            continue
        total = 0.0
        for (path, _line, name), (_cc, _nc, _tt, cumulative, callers) in table.items():
            for suffix, function, *allowed in functions:
                if name != function or not path.endswith(suffix):
                    continue
                if not callers:
                    total += cumulative
                    continue
                for caller, caller_stats in callers.items():
                    if any(caller[2] == fn and caller[0].endswith(sf) for sf, fn, *_ in functions):
                        continue  # recursion or super(): already inside the stage
                    if allowed and not any(
                        caller[2] == fn and caller[0].endswith(sf) for sf, fn in allowed[0]
                    ):
                        continue
                    total += caller_stats[3]
        rows.append((label, total / requests))
    return rows


def profile(case, requests: int, warmup: int) -> tuple[pstats.Stats, float, float]:
    for index in range(warmup):
        state = case.prepare(10_000_000 + index)
        case.check(state, case.call(state))
    samples = []
    for index in range(min(requests, 200)):
        state = case.prepare(20_000_000 + index)
        start = time.perf_counter()
        response = case.call(state)
        samples.append(time.perf_counter() - start)
        case.check(state, response)
    profiler = cProfile.Profile()
    states = [case.prepare(30_000_000 + index) for index in range(requests)]
    start = time.perf_counter()
    profiler.enable()
    for state in states:
        case.call(state)
    profiler.disable()
    profiled = (time.perf_counter() - start) / requests
    return pstats.Stats(profiler), statistics.median(samples), profiled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", default="create,update,list")
    parser.add_argument("--flavours", default="library,rest")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--top", type=int, default=0, help="also list the top N by own time")
    parser.add_argument("--pyinstrument", metavar="OP", help="print a pyinstrument call tree")
    args = parser.parse_args()

    boot_django()
    from benchproject import crud_schema
    from cases import OP_KEYS, build_cases, make_fixtures
    from django.test import Client

    cases = build_cases(Client(), make_fixtures(), crud_schema.schema is not None)
    if args.pyinstrument:
        from pyinstrument import Profiler

        case = next(c for c in cases[OP_KEYS[args.pyinstrument]] if c.flavour == "library")
        for index in range(args.warmup):
            case.call(case.prepare(index))
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for index in range(args.requests):
            case.call(case.prepare(40_000_000 + index))
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return

    for key in args.ops.split(","):
        op = OP_KEYS[key]
        for flavour in args.flavours.split(","):
            case = next((c for c in cases[op] if c.flavour == flavour), None)
            if case is None:
                continue
            stats, median, profiled = profile(case, args.requests, args.warmup)
            stages = LIBRARY_STAGES if flavour in ("library", "viewsetcrud") else REST_STAGES
            print(
                f"\n== {op} / {flavour}: unprofiled median {median * 1e3:.3f} ms; "
                f"profiled {profiled * 1e3:.3f} ms per request ({args.requests} requests)"
            )
            for label, seconds in stage_times(stats, stages, args.requests):
                share = seconds / profiled * 100
                print(
                    f"  {label:<58} {seconds * 1e6:9.0f} µs {share:5.1f} %"
                    f"  ~{median * share / 100 * 1e6:6.0f} µs unprofiled"
                )
            if args.top:
                stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
