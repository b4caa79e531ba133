"""The measured operations: one ``Case`` per flavour and operation.

A case has three parts. ``prepare(i)`` runs untimed before each call (for a delete it
creates the row to delete). ``call(state)`` is the timed part: one request through
``django.test.Client`` (routing, body parsing, execution, rendering), or for the floor the
serializer called directly. A request body is encoded by ``prepare``, before the clock starts
(an ``Encoded`` state): encoding it is the client's work, not the server's.
``check(state, result)`` runs untimed after each call and raises when the response reports an
error, so a flavour that fails never gets timed as fast.
``verify`` runs once, before any timing, and checks the database: the rows were created,
changed or deleted as the operation promises.

Flavours: ``floor`` (the serializer itself, no HTTP), ``rest`` (a DRF ``ModelViewSet`` on a
router), ``graphene-django`` (its stock ``SerializerMutation`` and ``GraphQLView``),
``library`` (this library's mutations and query fields through ``DRFGraphQLView``) and
``viewsetcrud`` (``ViewSetCrud`` over the REST viewsets, when the library has it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

FLOOR = "floor"
REST = "rest"
GRAPHENE_DJANGO = "graphene-django"
LIBRARY = "library"
VIEWSETCRUD = "viewsetcrud"
FLAVOURS = [FLOOR, REST, GRAPHENE_DJANGO, LIBRARY, VIEWSETCRUD]
FLAVOUR_LABELS = {
    FLOOR: "floor (serializer only)",
    REST: "DRF REST ModelViewSet",
    GRAPHENE_DJANGO: "graphene-django SerializerMutation",
    LIBRARY: "drf_graphql_crud",
    VIEWSETCRUD: "drf_graphql_crud ViewSetCrud",
}

CREATE = "create"
UPDATE = "partial update (1 field)"
DELETE = "delete"
NESTED = "nested create (1 + 10 children)"
BULK = "bulk create (100)"
LIST = "list 100 (nested FK + M2M)"
RETRIEVE = "retrieve (nested FK + M2M)"
OPS = [CREATE, UPDATE, DELETE, NESTED, BULK, LIST, RETRIEVE]
OP_KEYS = {
    "create": CREATE,
    "update": UPDATE,
    "delete": DELETE,
    "nested": NESTED,
    "bulk": BULK,
    "list": LIST,
    "retrieve": RETRIEVE,
}

LIST_ROWS = 100
BULK_ROWS = 100
CHILDREN = 10

TASK_OUT = "id title notes status priority dueDate project tags"
READ_OUT = "id title status priority dueDate project { id name slug } tags { id name }"
NESTED_OUT = "id title status dueDate project tags subtasks { id title done }"


class BenchError(AssertionError):
    """A flavour did not do the work it is timed for."""


@dataclass
class Case:
    flavour: str
    op: str
    call: Callable[[Any], Any]
    prepare: Callable[[int], Any] = lambda i: i
    check: Callable[[Any, Any], None] = lambda state, result: None
    verify: Callable[[Any, Any], None] = lambda state, result: None
    #: For lists: the same call with ``limit=10``, to compare query counts.
    call_small: Callable[[Any], Any] | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Encoded:
    """What ``prepare`` hands a call that sends a body: the body, already encoded, and the
    state its checks read."""

    state: Any
    body: str


def encoded_case(
    flavour: str,
    op: str,
    send: Callable[[str], Any],
    body_of: Callable[[Any], Any],
    prepare: Callable[[int], Any] = lambda i: i,
    check: Callable[[Any, Any], None] = lambda state, result: None,
    verify: Callable[[Any, Any], None] = lambda state, result: None,
) -> Case:
    """A case whose timed call sends ``body_of(state)`` as JSON, encoded untimed."""
    return Case(
        flavour,
        op,
        lambda sent: send(sent.body),
        lambda i: Encoded(state := prepare(i), json.dumps(body_of(state))),
        lambda sent, result: check(sent.state, result),
        lambda sent, result: verify(sent.state, result),
    )


# --------------------------------------------------------------------------- fixtures


@dataclass
class Fixtures:
    projects: list[Any]
    tags: list[Any]
    list_pks: list[int]
    update_pks: dict[str, int]
    retrieve_pk: int


def make_fixtures() -> Fixtures:
    """Projects, tags, the rows every list reads (the first 100 by pk), one row per updater."""
    from benchproject.models import Project, Tag, Task

    projects = [Project.objects.create(name=f"Project {n}", slug=f"project-{n}") for n in range(5)]
    tags = [Tag.objects.create(name=f"tag-{n}") for n in range(10)]
    list_pks = []
    for n in range(LIST_ROWS):
        task = Task.objects.create(
            title=f"Listed task {n}",
            status=Task.Status.TODO,
            priority=n % 5,
            due_date=f"2026-{n % 12 + 1:02d}-15",
            project=projects[n % len(projects)],
        )
        task.tags.set([tags[n % len(tags)], tags[(n + 3) % len(tags)]])
        list_pks.append(task.pk)
    update_pks = {
        flavour: Task.objects.create(title=f"Updated by {flavour}", project=projects[0]).pk
        for flavour in FLAVOURS
    }
    return Fixtures(projects, tags, list_pks, update_pks, retrieve_pk=list_pks[LIST_ROWS // 2])


# --------------------------------------------------------------------------- requests


def _json(response: Any) -> Any:
    try:
        return json.loads(response.content)
    except ValueError as exc:
        raise BenchError(
            f"HTTP {response.status_code}, not JSON: {response.content[:300]!r}"
        ) from exc


def rest_ok(status: int) -> Callable[[Any, Any], None]:
    def check(state: Any, response: Any) -> None:
        if response.status_code != status:
            raise BenchError(f"HTTP {response.status_code}: {response.content[:500]!r}")

    return check


def graphql_ok(field_name: str) -> Callable[[Any, Any], None]:
    def check(state: Any, response: Any) -> None:
        body = _json(response)
        if response.status_code != 200 or body.get("errors") or not body.get("data"):
            raise BenchError(f"HTTP {response.status_code}: {str(body)[:500]}")
        value = body["data"].get(field_name)
        if value is None:
            raise BenchError(f"data.{field_name} is null: {str(body)[:500]}")
        if isinstance(value, dict) and value.get("errors"):  # graphene-django's payload errors
            raise BenchError(f"data.{field_name}.errors: {value['errors']}")

    return check


def graphql_data(response: Any, field_name: str) -> Any:
    return _json(response)["data"][field_name]


def build_cases(client: Client, fx: Fixtures, crud_available: bool) -> dict[str, list[Case]]:
    """Every case, by operation, in flavour order."""
    from benchproject.models import Subtask, Task
    from benchproject.serializers import (
        TaskReadSerializer,
        TaskSerializer,
        TaskWithSubtasksSerializer,
    )

    project = fx.projects[1]
    tag_pks = [fx.tags[0].pk, fx.tags[1].pk]

    def sender(url: str, method: str = "post") -> Callable[[str], Any]:
        send = getattr(client, method)
        return lambda body: send(url, body, content_type="application/json")

    def gql_case(
        flavour: str,
        op: str,
        url: str,
        query: str,
        variables_of: Callable[[Any], dict[str, Any]],
        prepare: Callable[[int], Any] = lambda i: i,
        check: Callable[[Any, Any], None] = lambda state, result: None,
        verify: Callable[[Any, Any], None] = lambda state, result: None,
    ) -> Case:
        return encoded_case(
            flavour,
            op,
            sender(url),
            lambda state: {"query": query, "variables": variables_of(state)},
            prepare,
            check,
            verify,
        )

    gql_urls = {LIBRARY: "/graphql/", VIEWSETCRUD: "/crud-graphql/"}
    flavours = [FLOOR, REST, GRAPHENE_DJANGO, LIBRARY] + ([VIEWSETCRUD] if crud_available else [])

    # Inputs as each client writes them: REST and the floor take DRF's own representation;
    # GraphQL clients camelCase names, enum names for choices and string ids.
    def rest_task(title: str) -> dict[str, Any]:
        return {
            "title": title,
            "notes": "Written by the benchmark.",
            "status": "in_progress",
            "priority": 2,
            "due_date": "2026-06-01",
            "project": project.pk,
            "tags": tag_pks,
        }

    def gql_task(title: str) -> dict[str, Any]:
        return {
            "title": title,
            "notes": "Written by the benchmark.",
            "status": "IN_PROGRESS",
            "priority": 2,
            "dueDate": "2026-06-01",
            "project": str(project.pk),
            "tags": [str(pk) for pk in tag_pks],
        }

    def rest_nested(title: str) -> dict[str, Any]:
        return {
            "title": title,
            "status": "in_progress",
            "due_date": "2026-06-01",
            "project": project.pk,
            "tags": tag_pks,
            "subtasks": [{"title": f"Step {n}", "done": n % 2 == 0} for n in range(CHILDREN)],
        }

    def gql_nested(title: str) -> dict[str, Any]:
        body = rest_nested(title)
        return {
            "title": body["title"],
            "status": "IN_PROGRESS",
            "dueDate": body["due_date"],
            "project": str(project.pk),
            "tags": [str(pk) for pk in tag_pks],
            "subtasks": body["subtasks"],
        }

    def rest_bulk(i: int) -> list[dict[str, Any]]:
        return [
            {
                "title": f"Bulk {i}.{n}",
                "status": "done",
                "priority": n % 5,
                "due_date": "2026-06-01",
                "project": project.pk,
                "tags": [fx.tags[n % len(fx.tags)].pk],
            }
            for n in range(BULK_ROWS)
        ]

    def gql_bulk(i: int) -> list[dict[str, Any]]:
        return [
            {
                "title": item["title"],
                "status": "DONE",
                "priority": item["priority"],
                "dueDate": item["due_date"],
                "project": str(item["project"]),
                "tags": [str(pk) for pk in item["tags"]],
            }
            for item in rest_bulk(i)
        ]

    cases: dict[str, list[Case]] = {op: [] for op in OPS}

    # ------------------------------------------------------------------ create
    def verify_created(title_of: Callable[[Any], str]) -> Callable[[Any, Any], None]:
        def verify(state: Any, result: Any) -> None:
            task = Task.objects.filter(title=title_of(state)).first()
            if task is None:
                raise BenchError("no row created")
            if sorted(task.tags.values_list("pk", flat=True)) != sorted(tag_pks):
                raise BenchError("M2M tags not written")
            if task.project_id != project.pk or task.status != "in_progress":
                raise BenchError("FK or choice not written")

        return verify

    def title(prefix: str) -> Callable[[int], str]:
        return lambda i: f"{prefix} create {i}"

    for flavour in flavours:
        name = title(flavour)
        if flavour == FLOOR:

            def call(state: str) -> Any:
                serializer = TaskSerializer(data=rest_task(state))
                serializer.is_valid(raise_exception=True)
                serializer.save()
                return serializer.data

            cases[CREATE].append(
                Case(flavour, CREATE, call, name, verify=verify_created(lambda s: s))
            )
        elif flavour == REST:
            cases[CREATE].append(
                encoded_case(
                    flavour,
                    CREATE,
                    sender("/rest/tasks/"),
                    rest_task,
                    name,
                    rest_ok(201),
                    verify_created(lambda s: s),
                )
            )
        elif flavour == GRAPHENE_DJANGO:
            query = (
                "mutation($input: GdCreateTaskInput!) { createTask(input: $input) "
                f"{{ {TASK_OUT} errors {{ field messages }} }} }}"
            )
            cases[CREATE].append(
                gql_case(
                    flavour,
                    CREATE,
                    "/gd-graphql/",
                    query,
                    lambda state: {"input": gql_task(state)},
                    name,
                    graphql_ok("createTask"),
                    verify_created(lambda s: s),
                )
            )
        else:
            query = (
                "mutation($input: TaskInput!) { createTask(input: $input) "
                f"{{ task {{ {TASK_OUT} }} }} }}"
            )
            cases[CREATE].append(
                gql_case(
                    flavour,
                    CREATE,
                    gql_urls[flavour],
                    query,
                    lambda state: {"input": gql_task(state)},
                    name,
                    graphql_ok("createTask"),
                    verify_created(lambda s: s),
                )
            )

    # ------------------------------------------------------------------ partial update
    for flavour in flavours:
        pk = fx.update_pks[flavour]

        def new_title(i: int, flavour: str = flavour) -> str:
            return f"{flavour} renamed {i}"

        def verify_updated(state: str, result: Any, pk: int = pk) -> None:
            task = Task.objects.get(pk=pk)
            if task.title != state:
                raise BenchError(f"title is {task.title!r}, expected {state!r}")
            if task.project_id != fx.projects[0].pk:
                raise BenchError("a partial update changed another field")

        if flavour == FLOOR:

            def call(state: str, pk: int = pk) -> Any:
                serializer = TaskSerializer(
                    Task.objects.get(pk=pk), data={"title": state}, partial=True
                )
                serializer.is_valid(raise_exception=True)
                serializer.save()
                return serializer.data

            case = Case(flavour, UPDATE, call, new_title, verify=verify_updated)
        elif flavour == REST:
            case = encoded_case(
                flavour,
                UPDATE,
                sender(f"/rest/tasks/{pk}/", "patch"),
                lambda state: {"title": state},
                new_title,
                rest_ok(200),
                verify_updated,
            )
        elif flavour == GRAPHENE_DJANGO:
            query = (
                "mutation($input: GdUpdateTaskInput!) { updateTask(input: $input) "
                f"{{ {TASK_OUT} errors {{ field messages }} }} }}"
            )
            case = gql_case(
                flavour,
                UPDATE,
                "/gd-graphql/",
                query,
                lambda state, pk=pk: {"input": {"id": pk, "title": state}},
                new_title,
                graphql_ok("updateTask"),
                verify_updated,
            )
        else:
            query = (
                "mutation($id: ID!, $input: TaskPartialInput!) { updateTask(id: $id, "
                f"input: $input) {{ task {{ {TASK_OUT} }} }} }}"
            )
            case = gql_case(
                flavour,
                UPDATE,
                gql_urls[flavour],
                query,
                lambda state, pk=pk: {"id": str(pk), "input": {"title": state}},
                new_title,
                graphql_ok("updateTask"),
                verify_updated,
            )
        cases[UPDATE].append(case)

    # ------------------------------------------------------------------ delete
    def make_victim(i: int) -> int:
        """Untimed: a row like the others (FK, two tags, two subtasks) to delete."""
        task = Task.objects.create(title=f"Victim {i}", project=project)
        task.tags.set(tag_pks)
        Subtask.objects.bulk_create([Subtask(task=task, title=f"s{n}") for n in range(2)])
        return task.pk

    def verify_deleted(pk: int, result: Any) -> None:
        if Task.objects.filter(pk=pk).exists() or Subtask.objects.filter(task_id=pk).exists():
            raise BenchError(f"row {pk} (or its subtasks) still there")

    for flavour in flavours:
        if flavour == GRAPHENE_DJANGO:
            continue  # SerializerMutation has no delete
        if flavour == FLOOR:
            case = Case(
                flavour,
                DELETE,
                lambda pk: Task.objects.get(pk=pk).delete(),
                make_victim,
                verify=verify_deleted,
            )
        elif flavour == REST:
            case = Case(
                flavour,
                DELETE,
                lambda pk: client.delete(f"/rest/tasks/{pk}/"),
                make_victim,
                rest_ok(204),
                verify_deleted,
            )
        else:
            query = "mutation($id: ID!) { deleteTask(id: $id) { deletedId } }"
            case = gql_case(
                flavour,
                DELETE,
                gql_urls[flavour],
                query,
                lambda pk: {"id": str(pk)},
                make_victim,
                graphql_ok("deleteTask"),
                verify_deleted,
            )
        cases[DELETE].append(case)

    # ------------------------------------------------------------------ nested create
    def verify_nested(state: str, result: Any) -> None:
        task = Task.objects.filter(title=state).first()
        if task is None:
            raise BenchError("no parent row created")
        if task.subtasks.count() != CHILDREN:
            raise BenchError(f"{task.subtasks.count()} subtasks, expected {CHILDREN}")
        if task.tags.count() != len(tag_pks):
            raise BenchError("M2M tags not written")

    for flavour in flavours:
        name = title(f"{flavour} nested")
        if flavour == GRAPHENE_DJANGO:
            continue  # SerializerMutation cannot write nested serializers
        if flavour == FLOOR:

            def call(state: str) -> Any:
                serializer = TaskWithSubtasksSerializer(data=rest_nested(state))
                serializer.is_valid(raise_exception=True)
                serializer.save()
                return serializer.data

            case = Case(flavour, NESTED, call, name, verify=verify_nested)
        elif flavour == REST:
            case = encoded_case(
                flavour,
                NESTED,
                sender("/rest/nested-tasks/"),
                rest_nested,
                name,
                rest_ok(201),
                verify_nested,
            )
        elif flavour == LIBRARY:
            query = (
                "mutation($input: TaskWithSubtasksInput!) { createTaskWithSubtasks(input: $input)"
                f" {{ task {{ {NESTED_OUT} }} }} }}"
            )
            case = gql_case(
                flavour,
                NESTED,
                "/graphql/",
                query,
                lambda state: {"input": gql_nested(state)},
                name,
                graphql_ok("createTaskWithSubtasks"),
                verify_nested,
            )
        else:
            query = (
                "mutation($input: TaskWithSubtasksInput!) { createNestedTask(input: $input)"
                f" {{ nestedTask {{ {NESTED_OUT} }} }} }}"
            )
            case = gql_case(
                flavour,
                NESTED,
                "/crud-graphql/",
                query,
                lambda state: {"input": gql_nested(state)},
                name,
                graphql_ok("createNestedTask"),
                verify_nested,
            )
        cases[NESTED].append(case)

    # ------------------------------------------------------------------ bulk create
    def bulk_state(flavour: str) -> Callable[[int], tuple[str, int]]:
        return lambda i: (flavour, i)

    def verify_bulk(state: tuple[str, int], result: Any) -> None:
        flavour, i = state
        rows = Task.objects.filter(title__startswith=f"Bulk {flavour}:{i}.")
        if rows.count() != BULK_ROWS:
            raise BenchError(f"{rows.count()} rows created, expected {BULK_ROWS}")
        through = Task.tags.through.objects.filter(task__in=rows).count()
        if through != BULK_ROWS:
            raise BenchError(f"{through} tag links written, expected {BULK_ROWS}")

    def bulk_titles(items: list[dict[str, Any]], flavour: str, i: int) -> list[dict[str, Any]]:
        for item in items:
            item["title"] = item["title"].replace("Bulk ", f"Bulk {flavour}:", 1)
        return items

    for flavour in flavours:
        if flavour in (GRAPHENE_DJANGO, VIEWSETCRUD):
            continue  # neither has a bulk create
        if flavour == FLOOR:

            def call(state: tuple[str, int]) -> Any:
                serializer = TaskSerializer(
                    data=bulk_titles(rest_bulk(state[1]), *state), many=True
                )
                serializer.is_valid(raise_exception=True)
                serializer.save()
                return serializer.data

            case = Case(flavour, BULK, call, bulk_state(flavour), verify=verify_bulk)
        elif flavour == REST:
            case = encoded_case(
                flavour,
                BULK,
                sender("/rest/tasks/"),
                lambda state: bulk_titles(rest_bulk(state[1]), *state),
                bulk_state(flavour),
                rest_ok(201),
                verify_bulk,
            )
        else:
            query = (
                "mutation($input: [TaskInput!]!) { bulkCreateTask(input: $input) "
                f"{{ tasks {{ {TASK_OUT} }} }} }}"
            )
            case = gql_case(
                flavour,
                BULK,
                "/graphql/",
                query,
                lambda state: {"input": bulk_titles(gql_bulk(state[1]), *state)},
                bulk_state(flavour),
                graphql_ok("bulkCreateTask"),
                verify_bulk,
            )
        cases[BULK].append(case)

    # ------------------------------------------------------------------ list
    def read_queryset() -> Any:
        return Task.objects.order_by("pk").select_related("project").prefetch_related("tags")

    def verify_list_rest(state: Any, response: Any) -> None:
        _verify_rows(_json(response)["results"], "due_date")

    def verify_list_gql(field_name: str) -> Callable[[Any, Any], None]:
        def verify(state: Any, response: Any) -> None:
            _verify_rows(graphql_data(response, field_name)["results"], "dueDate")

        return verify

    def _verify_rows(rows: list[dict[str, Any]], due: str) -> None:
        if len(rows) != LIST_ROWS:
            raise BenchError(f"{len(rows)} rows listed, expected {LIST_ROWS}")
        if [int(row["id"]) for row in rows] != fx.list_pks:
            raise BenchError("listed rows are not the seeded ones")
        first = rows[0]
        if not first["project"] or not first["project"]["slug"] or len(first["tags"]) != 2:
            raise BenchError(f"nested FK / M2M missing: {first}")
        if not first[due]:
            raise BenchError("date missing")

    list_query = (
        f"query($limit: Int) {{ tasks(limit: $limit) {{ totalCount results {{ {READ_OUT} }} }} }}"
    )
    for flavour in flavours:
        if flavour == GRAPHENE_DJANGO:
            continue  # SerializerMutation has no queries
        if flavour == FLOOR:

            def call(state: Any, limit: int = LIST_ROWS) -> Any:
                return TaskReadSerializer(read_queryset()[:limit], many=True).data

            def verify_floor(state: Any, result: Any) -> None:
                _verify_rows(json.loads(json.dumps(result)), "due_date")

            case = Case(flavour, LIST, call, verify=verify_floor)
            case.call_small = lambda state, call=call: call(state, 10)
        elif flavour == REST:
            case = Case(
                flavour,
                LIST,
                lambda state: client.get(f"/rest/tasks/?limit={LIST_ROWS}"),
                check=rest_ok(200),
                verify=verify_list_rest,
            )
            case.call_small = lambda state: client.get("/rest/tasks/?limit=10")
        else:
            url = gql_urls[flavour]
            case = gql_case(
                flavour,
                LIST,
                url,
                list_query,
                lambda state: {"limit": LIST_ROWS},
                check=graphql_ok("tasks"),
                verify=verify_list_gql("tasks"),
            )
            small = json.dumps({"query": list_query, "variables": {"limit": 10}})
            case.call_small = lambda state, u=url, body=small: sender(u)(body)
        cases[LIST].append(case)

    # ------------------------------------------------------------------ retrieve
    pk = fx.retrieve_pk

    def verify_retrieved(key_due: str, extract: Callable[[Any], Any]) -> Callable[[Any, Any], None]:
        def verify(state: Any, result: Any) -> None:
            row = extract(result)
            if int(row["id"]) != pk or not row["project"] or len(row["tags"]) != 2:
                raise BenchError(f"wrong object: {row}")
            if not row[key_due]:
                raise BenchError("date missing")

        return verify

    retrieve_query = f"query($id: ID!) {{ task(id: $id) {{ {READ_OUT} }} }}"
    for flavour in flavours:
        if flavour == GRAPHENE_DJANGO:
            continue
        if flavour == FLOOR:
            case = Case(
                flavour,
                RETRIEVE,
                lambda state: TaskReadSerializer(read_queryset().get(pk=pk)).data,
                verify=verify_retrieved("due_date", lambda data: json.loads(json.dumps(data))),
            )
        elif flavour == REST:
            case = Case(
                flavour,
                RETRIEVE,
                lambda state: client.get(f"/rest/tasks/{pk}/"),
                check=rest_ok(200),
                verify=verify_retrieved("due_date", _json),
            )
        else:
            case = gql_case(
                flavour,
                RETRIEVE,
                gql_urls[flavour],
                retrieve_query,
                lambda state: {"id": str(pk)},
                check=graphql_ok("task"),
                verify=verify_retrieved("dueDate", lambda r: graphql_data(r, "task")),
            )
        cases[RETRIEVE].append(case)

    return cases
