#!/usr/bin/env python
"""Soak test: the sample app under gunicorn on PostgreSQL, loaded over loopback.

    python tests/reliability/soak.py                 # 60 s (``make soak``)
    python tests/reliability/soak.py --seconds 20 --clients 8

What it does, in order:

1. creates a dedicated PostgreSQL database (``drf_graphql_crud_soak`` on the server of
   ``--database-url`` / ``$DATABASE_URL`` / ``postgres://postgres@127.0.0.1:5432``; any
   database name in that URL is ignored, so the soak never touches another database);
2. migrates the sample app (``sample_app/``, ``sample_project.settings``, ``DEBUG`` off) and
   creates ``--users`` users with API tokens;
3. starts gunicorn with ``--workers`` workers on 127.0.0.1 and a free port;
4. runs ``--clients`` client threads for ``--seconds``, each mixing ``createTask`` (with
   subtasks), ``updateTask`` (replacing the subtasks), ``deleteTask`` and the ``tasks`` query
   as one of the users, plus a few updates aimed at another user's tasks, which must be
   ``NOT_FOUND``; every other answer must be HTTP 200 without errors;
5. reports throughput, p50/p99 latency per operation and the error count, then checks the
   database against what the server acknowledged: every acknowledged create exists unless
   its delete was acknowledged, every acknowledged delete is gone, no row exists that was
   never acknowledged, each task has the name and the number of subtasks of its last
   acknowledged write, the counts add up, and no ``tasks`` answer showed another user's row;
6. stops gunicorn and drops the database.

Exit status: 0 when there were no errors and the database is consistent, 1 otherwise.
Only loopback traffic; nothing is written outside the dedicated database and a temp dir.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_app"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_DATABASE = "drf_graphql_crud_soak"
MIX = {"create": 30, "update": 27, "delete": 15, "list": 25, "foreign_update": 3}
MAX_LIVE_PER_CLIENT = 25


# ------------------------------------------------------------------------------ database


def database_urls(base: str, name: str) -> tuple[str, str]:
    """(URL of the soak database, URL of the server's maintenance database)."""
    parts = urlsplit(base)
    soak = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    maintenance = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    return soak, maintenance


def psql(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def create_database(maintenance: str, name: str) -> None:
    psql(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def drop_database(maintenance: str, name: str) -> None:
    psql(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ------------------------------------------------------------------------------ the server


def django_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="sample_project.settings",
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=SAMPLE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


CREATE_USERS = """
import json
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
tokens = {}
for index in range(%d):
    user = get_user_model().objects.create_user(f"soak-{index}", password="soak-password")
    tokens[user.username] = Token.objects.create(user=user).key
print(json.dumps(tokens))
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "sample_project.wsgi:application",
        "--chdir", str(SAMPLE), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--timeout", "60", "--log-level", "warning", "--error-logfile", str(log),
    ]  # fmt: skip
    return subprocess.Popen(
        command, cwd=SAMPLE, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop: the master stops its workers
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# ------------------------------------------------------------------------------ client


class Client:
    """One keep-alive-when-possible HTTP connection to the GraphQL endpoint."""

    def __init__(self, port: int, token: str | None) -> None:
        self.port = port
        self.headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            self.headers["Authorization"] = f"Token {token}"
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def __call__(self, query: str, variables: dict | None = None) -> tuple[int, Any, float]:
        body = json.dumps({"query": query, "variables": variables or {}})
        started = time.perf_counter()
        try:
            self.connection.request("POST", "/graphql/", body, self.headers)
            response = self.connection.getresponse()
            raw = response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()
            return 0, {"transport error": repr(exc)}, time.perf_counter() - started
        elapsed = time.perf_counter() - started
        try:
            return status, json.loads(raw), elapsed
        except ValueError:
            return status, {"not json": raw[:300].decode("utf-8", "replace")}, elapsed


def wait_until_ready(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        status, body, _ = Client(port, None)("{ __typename }")
        if status == 200 and body.get("data"):
            return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


@dataclass
class Shape:
    """The operations, written for whatever the sample app's schema looks like today."""

    create: str
    update: str
    delete: str
    list: str
    paginated: bool


def discover(port: int, token: str) -> Shape:
    introspect = """{ __schema { queryType { fields { name type { name kind ofType { name kind } } } }
      mutationType { fields { name args { name type { name kind ofType { name kind } } } } } } }"""
    status, body, _ = Client(port, token)(introspect)
    if status != 200 or "errors" in body:
        raise SystemExit(f"introspection failed: {status} {body}")
    schema = body["data"]["__schema"]

    def type_name(ref: dict) -> str:
        if ref["kind"] == "NON_NULL":
            return type_name(ref["ofType"]) + "!"
        return ref["name"]

    mutations = {f["name"]: f for f in schema["mutationType"]["fields"]}
    for name in ("createTask", "updateTask", "deleteTask"):
        if name not in mutations:
            raise SystemExit(f"the sample schema has no {name}")
    create_input = type_name(
        next(a["type"] for a in mutations["createTask"]["args"] if a["name"] == "input")
    )
    update_input = type_name(
        next(a["type"] for a in mutations["updateTask"]["args"] if a["name"] == "input")
    )
    tasks = next(f for f in schema["queryType"]["fields"] if f["name"] == "tasks")
    named = tasks["type"] if tasks["type"]["kind"] != "NON_NULL" else tasks["type"]["ofType"]
    paginated = named["kind"] == "OBJECT"  # a ListField: { totalCount results }
    selection = "id name subtasks { id }"
    task_list = (
        f"{{ tasks(limit: 100) {{ totalCount results {{ {selection} }} }} }}"
        if paginated
        else f"{{ tasks {{ {selection} }} }}"
    )
    return Shape(
        create=f"mutation($input: {create_input}) {{ createTask(input: $input) {{ task {{ {selection} }} }} }}",
        update=f"mutation($id: ID!, $input: {update_input}) {{ updateTask(id: $id, input: $input) {{ task {{ {selection} }} }} }}",
        delete="mutation($id: ID!) { deleteTask(id: $id) { deletedId } }",
        list=task_list,
        paginated=paginated,
    )


# ------------------------------------------------------------------------------ load


@dataclass
class Ledger:
    """What the server acknowledged, shared by every client thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    created: dict[int, str] = field(default_factory=dict)  # task id -> owner username
    deleted: set[int] = field(default_factory=set)
    last_write: dict[int, tuple[str, int]] = field(default_factory=dict)  # name, subtasks
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    foreign_refused: int = 0
    foreign_rows_seen: int = 0

    def error(self, text: str) -> None:
        with self.lock:
            self.error_count += 1
            if len(self.errors) < 10:
                self.errors.append(text[:500])

    def live_of_others(self, username: str) -> list[int]:
        with self.lock:
            return [
                pk
                for pk, owner in self.created.items()
                if owner != username and pk not in self.deleted
            ]


def client_loop(
    index: int, port: int, username: str, token: str, shape: Shape, ledger: Ledger, deadline: float
) -> None:
    rng = random.Random(index)
    call = Client(port, token)
    mine: list[int] = []
    operations, weights = zip(*MIX.items(), strict=True)
    counter = 0
    while time.monotonic() < deadline:
        counter += 1
        operation = rng.choices(operations, weights)[0]
        if not mine:
            operation = "create"
        elif len(mine) >= MAX_LIVE_PER_CLIENT and operation == "create":
            operation = "delete"
        if operation == "create":
            name = f"soak {index}-{counter}"
            subtasks = [{"name": f"step {n}"} for n in range(rng.randint(0, 3))]
            variables = {"input": {"name": name, "note": "load", "subtasks": subtasks}}
            status, body, elapsed = call(shape.create, variables)
            task = ok(body, status, "createTask", ledger)
            if task is not None:
                pk = int(task["task"]["id"])
                mine.append(pk)
                with ledger.lock:
                    ledger.created[pk] = username
                    ledger.last_write[pk] = (name, len(task["task"]["subtasks"]))
        elif operation == "update":
            pk = rng.choice(mine)
            name = f"soak {index}-{counter} (updated)"
            subtasks = [{"name": f"new step {n}"} for n in range(rng.randint(0, 3))]
            variables = {"id": pk, "input": {"name": name, "subtasks": subtasks}}
            status, body, elapsed = call(shape.update, variables)
            task = ok(body, status, "updateTask", ledger)
            if task is not None:
                with ledger.lock:
                    ledger.last_write[pk] = (name, len(task["task"]["subtasks"]))
        elif operation == "delete":
            pk = mine.pop(rng.randrange(len(mine)))
            status, body, elapsed = call(shape.delete, {"id": pk})
            if ok(body, status, "deleteTask", ledger) is not None:
                with ledger.lock:
                    ledger.deleted.add(pk)
        elif operation == "list":
            status, body, elapsed = call(shape.list)
            result = ok(body, status, "tasks", ledger)
            if result is not None:
                rows = result["results"] if shape.paginated else result
                others = set(ledger.live_of_others(username))
                leaked = [row["id"] for row in rows if int(row["id"]) in others]
                if leaked:
                    with ledger.lock:
                        ledger.foreign_rows_seen += len(leaked)
                    ledger.error(f"tasks showed another user's rows: {leaked}")
        else:  # an update aimed at another user's task: must be NOT_FOUND and change nothing
            targets = ledger.live_of_others(username)
            if not targets:
                continue
            variables = {"id": rng.choice(targets), "input": {"name": "taken over"}}
            status, body, elapsed = call(shape.update, variables)
            codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
            if status == 200 and codes == ["NOT_FOUND"]:
                with ledger.lock:
                    ledger.foreign_refused += 1
            else:
                ledger.error(f"foreign update: HTTP {status} {json.dumps(body)[:300]}")
        with ledger.lock:
            ledger.latencies[operation].append(elapsed)


def ok(body: Any, status: int, field_name: str, ledger: Ledger) -> Any:
    if status != 200 or not isinstance(body, dict) or body.get("errors"):
        ledger.error(f"{field_name}: HTTP {status} {json.dumps(body)[:300]}")
        return None
    value = (body.get("data") or {}).get(field_name)
    if value is None:
        ledger.error(f"{field_name}: no data: {json.dumps(body)[:300]}")
    return value


# ------------------------------------------------------------------------------ checks


def consistency(database_url: str, ledger: Ledger) -> list[str]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute("SELECT id, name FROM todo_task").fetchall()
        subtasks = dict(
            connection.execute(
                "SELECT task_id, count(*) FROM todo_subtask GROUP BY task_id"
            ).fetchall()
        )
        orphans = connection.execute(
            "SELECT count(*) FROM todo_subtask s LEFT JOIN todo_task t ON t.id = s.task_id WHERE t.id IS NULL"
        ).fetchone()[0]
    stored = {pk: name for pk, name in rows}
    created, deleted = set(ledger.created), ledger.deleted
    problems = []
    missing = created - deleted - set(stored)
    if missing:
        problems.append(f"{len(missing)} acknowledged creates are missing: {sorted(missing)[:10]}")
    resurrected = deleted & set(stored)
    if resurrected:
        problems.append(
            f"{len(resurrected)} acknowledged deletes still exist: {sorted(resurrected)[:10]}"
        )
    phantoms = set(stored) - created
    if phantoms:
        problems.append(f"{len(phantoms)} rows were never acknowledged: {sorted(phantoms)[:10]}")
    if len(stored) != len(created) - len(deleted):
        problems.append(
            f"count: {len(stored)} stored != {len(created)} created - {len(deleted)} deleted"
        )
    stale = [
        pk
        for pk in set(stored) & (created - deleted)
        if (stored[pk], subtasks.get(pk, 0)) != ledger.last_write[pk]
    ]
    if stale:
        problems.append(
            f"{len(stale)} tasks differ from their last acknowledged write: {stale[:10]}"
        )
    expected_subtasks = sum(ledger.last_write[pk][1] for pk in created - deleted)
    if sum(subtasks.values()) != expected_subtasks:
        problems.append(f"subtasks: {sum(subtasks.values())} stored != {expected_subtasks} written")
    if orphans:
        problems.append(f"{orphans} subtasks without a task")
    return problems


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(ledger: Ledger, elapsed: float, args: argparse.Namespace, problems: list[str]) -> dict:
    every = [value for values in ledger.latencies.values() for value in values]
    summary = {
        "seconds": round(elapsed, 1),
        "workers": args.workers,
        "clients": args.clients,
        "requests": len(every),
        "throughput_rps": round(len(every) / elapsed, 1),
        "p50_ms": round(percentile(every, 0.50) * 1000, 1) if every else None,
        "p99_ms": round(percentile(every, 0.99) * 1000, 1) if every else None,
        "errors": ledger.error_count,
        "created": len(ledger.created),
        "deleted": len(ledger.deleted),
        "foreign_updates_refused": ledger.foreign_refused,
        "consistent": not problems,
        "operations": {
            name: {
                "count": len(values),
                "p50_ms": round(percentile(values, 0.5) * 1000, 1),
                "p99_ms": round(percentile(values, 0.99) * 1000, 1),
                "mean_ms": round(statistics.fmean(values) * 1000, 1),
            }
            for name, values in sorted(ledger.latencies.items())
            if values
        },
    }
    print("\n== soak: sample app, gunicorn, PostgreSQL ==")
    print(
        f"{summary['requests']} requests in {summary['seconds']} s with {args.clients} clients "
        f"and {args.workers} workers: {summary['throughput_rps']} req/s, "
        f"p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms, errors {summary['errors']}"
    )
    print(f"{'operation':<16}{'count':>8}{'p50 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    for name, figures in summary["operations"].items():
        print(
            f"{name:<16}{figures['count']:>8}{figures['p50_ms']:>10}{figures['p99_ms']:>10}"
            f"{figures['mean_ms']:>10}"
        )
    print(
        f"ledger: {summary['created']} creates and {summary['deleted']} deletes acknowledged; "
        f"{summary['foreign_updates_refused']} updates of other users' tasks refused (NOT_FOUND)"
    )
    for text in ledger.errors:
        print(f"error: {text}")
    if problems:
        for problem in problems:
            print(f"INCONSISTENT: {problem}")
    else:
        print("consistency: every acknowledged write is in the database, and nothing else")
    return summary


# ------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="load duration (60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--clients", type=int, default=8, help="client threads (8)")
    parser.add_argument("--users", type=int, default=2, help="users the clients act as (2)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", DEFAULT_SERVER),
        help="the PostgreSQL server to use ($DATABASE_URL; its database name is ignored)",
    )
    parser.add_argument("--database-name", default=DEFAULT_DATABASE)
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    database_url, maintenance = database_urls(args.database_url, args.database_name)
    if urlsplit(database_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the soak only runs against a PostgreSQL server on loopback")
    workdir = Path(tempfile.mkdtemp(prefix="drf_graphql_crud_soak_"))
    log = workdir / "gunicorn.log"
    env = django_env(database_url)
    server: subprocess.Popen | None = None
    print(f"database {args.database_name} on {urlsplit(maintenance).netloc}; logs in {workdir}")
    create_database(maintenance, args.database_name)
    try:
        manage(env, "migrate", "--noinput")
        tokens = json.loads(
            manage(env, "shell", "-c", CREATE_USERS % args.users).strip().splitlines()[-1]
        )
        port = free_port()
        server = start_gunicorn(env, port, args.workers, log)
        wait_until_ready(port, server)
        users = sorted(tokens.items())
        shape = discover(port, users[0][1])
        print(f"gunicorn pid {server.pid} on 127.0.0.1:{port}; loading for {args.seconds:g} s")

        ledger = Ledger()
        started = time.monotonic()
        deadline = started + args.seconds
        threads = [
            threading.Thread(
                target=client_loop,
                args=(index, port, *users[index % len(users)], shape, ledger, deadline),
                name=f"soak-client-{index}",
            )
            for index in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        if server.poll() is not None:
            ledger.error(f"gunicorn exited with {server.returncode}")
        problems = consistency(database_url, ledger)
        summary = report(ledger, elapsed, args, problems)
        server_errors = log.read_text() if log.exists() else ""
        if "Traceback" in server_errors or "[ERROR]" in server_errors:
            print(f"server log has errors:\n{server_errors[-3000:]}")
            summary["errors"] += 1
        if args.json:
            args.json.write_text(json.dumps(summary, indent=2) + "\n")
        passed = summary["errors"] == 0 and not problems
        if passed:
            shutil.rmtree(workdir, ignore_errors=True)
        return 0 if passed else 1
    finally:
        if server is not None:
            stop(server)
        if not args.keep_database:
            drop_database(maintenance, args.database_name)


if __name__ == "__main__":
    sys.exit(main())
