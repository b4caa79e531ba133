"""The benchmark: this library against the floor, DRF REST and graphene-django.

    python benchmarks/run.py                 # the full run (make bench); writes RESULTS.md
    python benchmarks/run.py --quick         # a fast look; prints, writes nothing
    python benchmarks/run.py --iterations 500 --ops create,update --output /tmp/r.md

One process, one in-memory SQLite database, every flavour on the same models and
serializers (``benchproject``). For each operation the flavours run interleaved, every
round once each (A B C, C A B, B C A ...), in an order drawn afresh each round from a
seeded generator, so that machine noise hits them alike and no flavour always runs right
after the same one: a warm-up, then N timed rounds. Each flavour is verified to have done the
work before it is timed, and every timed response is checked (untimed) for errors. Reported
per flavour and operation: median and p90, the ratio of medians and the median of the
per-round paired ratios against DRF REST and graphene-django, and the SQL queries of one
call (``CaptureQueriesContext``). Then schema build time and memory for 200 serializers,
each build in a fresh subprocess, median of several. See README.md in this directory.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata

from _setup import HERE, ROOT, boot_django

# Iterations per operation for a full run: cheap requests get many rounds, the 100-row
# ones fewer, so that `make bench` stays well under 5 minutes on a 2-core machine.
FULL = {"create": 800, "update": 800, "delete": 800, "retrieve": 800, "nested": 250,
        "bulk": 40, "list": 200}  # fmt: skip
QUICK_DIVISOR = 8
#: The seed of the flavours' order in each round: every run draws the same orders.
ORDER_SEED = 20261130
SCHEMA_COUNT = 200
SCHEMA_RUNS = 8

TX_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "COMMIT")


@dataclass
class Result:
    flavour: str
    op: str
    times: list[float] = field(default_factory=list)
    queries: int = 0
    tx_queries: int = 0
    queries_small: int | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p90(self) -> float:
        if len(self.times) < 2:
            return self.times[0]
        return statistics.quantiles(self.times, n=10, method="inclusive")[8]


SHOW_SQL = False


def count_queries(call, state, label: str = "") -> tuple[int, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = call(state)
    sqls = [query["sql"].lstrip() for query in captured.captured_queries]
    tx = sum(1 for sql in sqls if sql.upper().startswith(TX_CONTROL))
    if SHOW_SQL:
        print(f"-- {label}: {len(sqls)} queries", file=sys.stderr)
        for sql in sqls:
            print(f"   {sql[:160]}", file=sys.stderr)
    return len(sqls), tx, result


def run_op(op: str, cases: list, warmup: int, iterations: int) -> list[Result]:
    """Verify each flavour, count its queries, warm up, then time interleaved rounds."""
    results = []
    counter = 0

    def next_state(case):
        nonlocal counter
        counter += 1
        return case.prepare(counter)

    for case in cases:
        result = Result(case.flavour, op)
        state = next_state(case)
        result.queries, result.tx_queries, response = count_queries(
            case.call, state, f"{op} / {case.flavour}"
        )
        case.check(state, response)
        case.verify(state, response)
        if case.call_small is not None:
            result.queries_small, _, response = count_queries(case.call_small, state)
            case.check(state, response)
        results.append(result)

    for _ in range(warmup):
        for case in cases:
            state = next_state(case)
            case.check(state, case.call(state))

    gc.collect()
    perf_counter = time.perf_counter
    # A fixed order (even rotated) gives each flavour the same predecessor most rounds, and
    # a flavour runs faster right after one that ran the same code (the floor warms REST's
    # serializer and queries): REST after the floor read a retrieve 5-10 % faster than the
    # library after REST. A random order per round gives each every predecessor alike.
    order = random.Random(ORDER_SEED)
    for _ in range(iterations):
        for index in order.sample(range(len(cases)), len(cases)):
            case = cases[index]
            state = next_state(case)
            start = perf_counter()
            response = case.call(state)
            elapsed = perf_counter() - start
            case.check(state, response)
            results[index].times.append(elapsed)
    return results


# --------------------------------------------------------------------------- ratios


def ratio_of_medians(result: Result, base: Result | None) -> float | None:
    return None if base is None else result.median / base.median


def paired_ratio(result: Result, base: Result | None) -> float | None:
    if base is None:
        return None
    return statistics.median(a / b for a, b in zip(result.times, base.times, strict=True))


def fmt_ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}×"


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f}" if seconds < 0.01 else f"{seconds * 1000:.2f}"


# --------------------------------------------------------------------------- schema build


def schema_build(runs: int, count: int) -> dict[str, dict[str, float]]:
    """Median over ``runs`` fresh subprocesses per implementation, interleaved.

    The two implementations build in turns (library, graphene-django, then the other way
    round), so that the machine's state hits both alike; ``paired_ratio`` is the median of
    each turn's library/graphene-django ratio.
    """
    script = os.path.join(HERE, "schema_build.py")
    impls = ("library", "graphene-django")
    samples: dict[str, list[dict]] = {impl: [] for impl in impls}
    for turn in range(runs):
        for impl in impls if turn % 2 == 0 else impls[::-1]:
            completed = subprocess.run(
                [sys.executable, script, "--impl", impl, "--count", str(count)],
                capture_output=True,
                text=True,
                check=False,
                cwd=ROOT,
            )
            if completed.returncode != 0:
                raise SystemExit(f"schema_build.py --impl {impl} failed:\n{completed.stderr}")
            samples[impl].append(json.loads(completed.stdout.strip().splitlines()[-1]))
    summary = {}
    for impl in impls:
        summary[impl] = {
            key: statistics.median(sample[key] for sample in samples[impl])
            for key in ("seconds", "ms_per_mutation", "rss_growth_kib")
        }
        summary[impl]["types"] = samples[impl][0]["types"]
        summary[impl]["runs"] = runs
    summary["library"]["paired_ratio"] = statistics.median(
        lib["seconds"] / gd["seconds"]
        for lib, gd in zip(samples["library"], samples["graphene-django"], strict=True)
    )
    return summary


# --------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = {}
    for dist in (
        "Django",
        "djangorestframework",
        "graphene",
        "graphene-django",
        "graphql-core",
        "drf-writable-nested",
        "drf-graphql-crud",
    ):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit or "unknown",
        **versions,
    }


def report(
    all_results: dict[str, list[Result]],
    schema: dict[str, dict[str, float]] | None,
    info: dict[str, str],
    settings: dict[str, object],
    crud_note: str | None,
) -> str:
    from cases import FLAVOUR_LABELS, GRAPHENE_DJANGO, LIST, REST

    lines = [
        "# Benchmark results",
        "",
        f"Command: `{settings['command']}`"
        + (" (what `make bench` runs)" if settings["command"].endswith("run.py") else "")
        + f"; {settings['mode']} run, wall time {settings['wall']:.0f} s, {settings['date']}.",
        "",
        "Times are per call through `django.test.Client` (routing, body parsing, execution, "
        "JSON rendering; request bodies are encoded before the clock starts, as the client's "
        "work), except the floor, which calls the serializer directly. Ratios: "
        "*med* is the ratio of medians, *paired* the median of per-round ratios (each round "
        "runs every flavour once, interleaved). SQL counts the queries of one call; `+n tx` "
        "adds the transaction control statements (`BEGIN`, `COMMIT`, `SAVEPOINT`, ...): the "
        "library runs each mutation in `transaction.atomic()`, the REST views are not "
        "atomic (Django opens its own short transactions for M2M writes and cascades).",
        "",
        "| operation | flavour | N | median ms | p90 ms | × REST med | × REST paired "
        "| × g-d med | × g-d paired | SQL |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for op, results in all_results.items():
        by_flavour = {result.flavour: result for result in results}
        rest = by_flavour.get(REST)
        gd = by_flavour.get(GRAPHENE_DJANGO)
        for result in results:
            own = result.flavour == REST
            own_gd = result.flavour == GRAPHENE_DJANGO
            sql = sql_cell(result)
            lines.append(
                f"| {op} | {FLAVOUR_LABELS[result.flavour]} | {len(result.times)} "
                f"| {fmt_ms(result.median)} | {fmt_ms(result.p90)} "
                f"| {'' if own else fmt_ratio(ratio_of_medians(result, rest))} "
                f"| {'' if own else fmt_ratio(paired_ratio(result, rest))} "
                f"| {'' if own_gd else fmt_ratio(ratio_of_medians(result, gd))} "
                f"| {'' if own_gd else fmt_ratio(paired_ratio(result, gd))} "
                f"| {sql} |"
            )
    lines.append("")
    lines.append(
        "Empty cells: the flavour has no such operation (graphene-django's `SerializerMutation`"
        " has no delete, nested write, bulk create or query; `ViewSetCrud` no bulk create)."
    )
    if crud_note:
        lines += ["", f"**ViewSetCrud flavour not measured**: {crud_note}"]

    if LIST in all_results:
        lines += ["", "Queries for the list with 10 and with 100 rows:", ""]
        lines += ["| flavour | 10 rows | 100 rows |", "|---|--:|--:|"]
        for result in all_results[LIST]:
            lines.append(
                f"| {FLAVOUR_LABELS[result.flavour]} | {result.queries_small} | {result.queries} |"
            )

    if schema:
        lib, gd = schema["library"], schema["graphene-django"]
        lines += [
            "",
            f"## Schema build: {SCHEMA_COUNT} distinct serializers, one create mutation each",
            "",
            "Fresh subprocess per build, median of "
            f"{lib['runs']} runs each, the two implementations in turns "
            "(`benchmarks/schema_build.py`). Timed: the mutation classes, "
            "`graphene.Schema(...)` and `validate_schema`; not timed: imports, Django set-up, "
            "the serializer classes. Memory: growth of VmRSS (`/proc/self/status`) during the "
            "build.",
            "",
            "| implementation | total ms | ms per mutation | RSS growth MB | GraphQL types |",
            "|---|--:|--:|--:|--:|",
        ]
        for name, row in (("drf_graphql_crud CreateMutation", lib),
                          ("graphene-django SerializerMutation", gd)):  # fmt: skip
            lines.append(
                f"| {name} | {row['seconds'] * 1000:.0f} | {row['ms_per_mutation']:.2f} "
                f"| {row['rss_growth_kib'] / 1024:.1f} | {row['types']} |"
            )

    lines += ["", "## Targets (issue 5), judged on the ratio of medians", ""]
    lines += targets(all_results, schema)

    lines += [
        "",
        "## Machine and versions",
        "",
        f"- CPU: {info['cpu']}, {info['cores']} cores; {info['platform']}",
        f"- Python {info['python']}; Django {info['Django']}; DRF "
        f"{info['djangorestframework']}; graphene {info['graphene']}; graphene-django "
        f"{info['graphene-django']}; graphql-core {info['graphql-core']}; drf-writable-nested "
        f"{info['drf-writable-nested']}; drf_graphql_crud {info['drf-graphql-crud']} "
        f"(git {info['commit']})",
        f"- Warm-up {settings['warmup']} rounds; iterations per operation: "
        + ", ".join(f"{op} {n}" for op, n in settings["iterations"].items()),
        "- Same policy for every HTTP flavour: no authentication classes and `AllowAny` (DRF "
        "settings, used by the REST views and `DRFGraphQLView`); graphene-django's "
        "`GraphQLView` checks nothing; `MIDDLEWARE = []`; DRF renders and parses JSON only.",
        "- Bulk create under REST: `POST /rest/tasks/` with a JSON list; the viewset's "
        "`get_serializer` passes `many=True` for a list (DRF's documented pattern), so the "
        "serializer's `ListSerializer` creates the rows.",
        "- The floor gets Python data (no JSON); its partial update, delete and retrieve "
        "include fetching the row (`Task.objects.get`), its list has no COUNT.",
        "- graphene-django needs one converter rule for `ManyRelatedField` (`[ID]`) to write "
        "the M2M at all (see `benchproject/gd_schema.py`).",
    ]
    return "\n".join(lines) + "\n"


def sql_cell(result: Result) -> str:
    data = result.queries - result.tx_queries
    return f"{data} +{result.tx_queries} tx" if result.tx_queries else str(data)


def targets(all_results: dict[str, list[Result]], schema: dict | None) -> list[str]:
    from cases import (
        BULK,
        CREATE,
        DELETE,
        GRAPHENE_DJANGO,
        LIBRARY,
        LIST,
        NESTED,
        REST,
        RETRIEVE,
        UPDATE,
    )

    rows = ["| target | measured | met |", "|---|---|:-:|"]

    def get(op: str, flavour: str) -> Result | None:
        for result in all_results.get(op, []):
            if result.flavour == flavour:
                return result
        return None

    def mark(ok: bool) -> str:
        return "yes" if ok else "**no**"

    for op in (CREATE, UPDATE, DELETE, RETRIEVE, NESTED, BULK, LIST):
        lib, rest = get(op, LIBRARY), get(op, REST)
        if lib and rest:
            ratio = lib.median / rest.median
            rows.append(f"| {op}: library ≤ 1.0× REST | {ratio:.2f}× | {mark(ratio <= 1.0)} |")
        gd = get(op, GRAPHENE_DJANGO)
        if lib and gd:
            ratio = lib.median / gd.median
            rows.append(
                f"| {op}: library ≤ 0.6× graphene-django | {ratio:.2f}× | {mark(ratio <= 0.6)} |"
            )
        if lib and rest:
            lib_data, rest_data = lib.queries - lib.tx_queries, rest.queries - rest.tx_queries
            rows.append(
                f"| {op}: SQL ≤ REST (transaction control aside) | {sql_cell(lib)} vs "
                f"{sql_cell(rest)} | {mark(lib_data <= rest_data)} |"
            )
    lib = get(LIST, LIBRARY)
    if lib and lib.queries_small is not None:
        same = lib.queries_small == lib.queries
        rows.append(
            f"| list: same queries for 10 and 100 rows | {lib.queries_small} and "
            f"{lib.queries} | {mark(same)} |"
        )
    if schema:
        per = schema["library"]["ms_per_mutation"]
        gd_per = schema["graphene-django"]["ms_per_mutation"]
        rows.append(f"| schema build ≤ 1 ms per mutation | {per:.2f} ms | {mark(per <= 1.0)} |")
        # The 1 ms stood against graphene-django's ~2.9 ms on its machine: the same
        # share of graphene-django's time on this one.
        ratio = schema["library"]["paired_ratio"]
        rows.append(
            f"| schema build ≤ 1/2.9 (0.34×) of graphene-django's time | {ratio:.2f}× "
            f"({per:.2f} vs {gd_per:.2f} ms, paired) | {mark(ratio <= 1 / 2.9)} |"
        )
        growth = schema["library"]["rss_growth_kib"] / 1024
        rows.append(f"| schema build ≤ 50 MB RSS | {growth:.1f} MB | {mark(growth <= 50)} |")
    return rows


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description="DRF REST vs GraphQL layers, per request.")
    parser.add_argument("--quick", action="store_true", help="few iterations; writes nothing")
    parser.add_argument("--iterations", type=int, help="timed rounds for every operation")
    parser.add_argument("--warmup", type=int, help="untimed rounds first (default 30; quick 5)")
    parser.add_argument("--ops", help="comma-separated subset of: " + ", ".join(FULL))
    parser.add_argument("--no-schema", action="store_true", help="skip the schema build")
    parser.add_argument("--sql", action="store_true", help="print each flavour's SQL once")
    parser.add_argument("--schema-runs", type=int, help=f"default {SCHEMA_RUNS}; quick 2")
    parser.add_argument(
        "--output", help="markdown file to write (default: benchmarks/RESULTS.md; quick: none)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    global SHOW_SQL
    SHOW_SQL = args.sql

    boot_django()
    from benchproject import crud_schema
    from cases import OP_KEYS, build_cases, make_fixtures
    from django.test import Client

    ops = [key.strip() for key in args.ops.split(",")] if args.ops else list(FULL)
    unknown = [key for key in ops if key not in OP_KEYS]
    if unknown:
        parser.error(f"unknown ops {unknown}; choose from {', '.join(OP_KEYS)}")
    iterations = {
        key: args.iterations or (max(3, FULL[key] // QUICK_DIVISOR) if args.quick else FULL[key])
        for key in ops
    }
    warmup = args.warmup if args.warmup is not None else (5 if args.quick else 30)

    client = Client()
    fixtures = make_fixtures()
    crud_note = crud_schema.unavailable
    cases = build_cases(client, fixtures, crud_available=crud_schema.schema is not None)

    all_results: dict[str, list[Result]] = {}
    for key in ops:
        op = OP_KEYS[key]
        op_start = time.perf_counter()
        # Heavy operations warm up less: their first calls already warm everything.
        op_warmup = max(2, warmup // 5) if key in ("bulk", "list") else warmup
        all_results[op] = run_op(op, cases[op], op_warmup, iterations[key])
        print(
            f"  {op}: {iterations[key]} rounds in {time.perf_counter() - op_start:.1f} s",
            file=sys.stderr,
        )

    schema = None
    if not args.no_schema:
        runs = args.schema_runs or (2 if args.quick else SCHEMA_RUNS)
        schema_start = time.perf_counter()
        schema = schema_build(runs, SCHEMA_COUNT)
        print(f"  schema build: {time.perf_counter() - schema_start:.1f} s", file=sys.stderr)

    command = "python benchmarks/run.py" + (" " + " ".join(sys.argv[1:]) if sys.argv[1:] else "")
    settings = {
        "command": command,
        "mode": "quick" if args.quick else "full",
        "wall": time.perf_counter() - started,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "warmup": warmup,
        "iterations": iterations,
    }
    text = report(all_results, schema, machine(), settings, crud_note)
    print(text)
    output = args.output or (None if args.quick else os.path.join(HERE, "RESULTS.md"))
    if output:
        with open(output, "w") as handle:
            handle.write(text)
        print(f"written to {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
