"""Concurrent writers on PostgreSQL: no lost writes, no half-written rows, no 500s.

Every writer is a thread with its own database connection (Django opens one per thread)
sending real HTTP requests through the test client to ``DRFGraphQLView``, authenticated
by token. Where a race has to happen for the test to mean anything, the mutation pauses
between validation and save (``RelHooks``) until every writer has got that far.
"""

import contextlib
import json
import threading
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.factories import ProjectFactory, SubtaskFactory, TagFactory, TaskFactory, UserFactory
from tests.reliability.schema import RelHooks
from tests.reliability.support import (
    check_response,
    close_db_connections,
    diff,
    dump,
    error_codes,
)
from tests.reliability.urls import REL_TOKEN_URL
from tests.testapp.models import Project, Subtask, Task

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: concurrent transactions with row locks (SQLite serializes "
        "every writer on one file, and the in-memory test database is per connection); "
        "run with DATABASE_URL=postgres://...",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.reliability.urls"),
]

WRITERS = 8
TIMEOUT = 30


@pytest.fixture
def token():
    user = UserFactory(username="writer")
    return SimpleNamespace(user=user, key=Token.objects.create(user=user).key)


def in_threads(count: int, work: Callable[[int, Client], Any]) -> list[Any]:
    """Run ``work(index, client)`` in ``count`` threads started together; return the results.

    Each thread has its own client and database connection, closed when it ends.
    """
    start = threading.Barrier(count)
    results: list[Any] = [None] * count
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            client = Client(raise_request_exception=False)
            start.wait(timeout=TIMEOUT)
            results[index] = work(index, client)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            close_db_connections()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    if failures:
        raise failures[0]
    return results


def post(client: Client, key: str, query: str, variables: dict) -> dict:
    payload = json.dumps({"query": query, "variables": variables}).encode()
    response = client.post(
        REL_TOKEN_URL, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    return check_response(response, payload)


def pause_until_all(count: int, timeout: float = 3.0) -> Callable[..., None]:
    """A hook that holds each caller until ``count`` have arrived (or ``timeout`` passed).

    The timeout keeps a correct implementation from deadlocking: if the library locks the
    row before validation, the second writer never reaches the hook while the first waits.
    """
    barrier = threading.Barrier(count)

    def hook(*args: Any) -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=timeout)

    return hook


# ------------------------------------------------------------------------------ same row


UPDATE = """mutation($id: ID!, $input: TaskPartialInput!) {
  updateTask(id: $id, input: $input) { task { id title subtasks { id title } } } }"""


def test_concurrent_full_updates_end_in_one_serial_outcome(token):
    """Each writer sets every field and the subtasks; the result is exactly one writer's."""
    tags = [TagFactory(name=f"tag-{index}") for index in range(WRITERS)]
    task = TaskFactory(owner=token.user, title="Original")
    kept = SubtaskFactory(task=task, title="kept")
    SubtaskFactory(task=task, title="dropped")

    def write(index: int, client: Client) -> dict:
        return post(
            client,
            token.key,
            UPDATE,
            {
                "id": task.pk,
                "input": {
                    "title": f"Title {index}",
                    "notes": f"Notes {index}",
                    "priority": index,
                    "tags": [str(tags[index].pk)],
                    "subtasks": [
                        {"id": str(kept.pk), "title": f"kept {index}"},
                        {"title": f"new {index}"},
                    ],
                },
            },
        )

    bodies = in_threads(WRITERS, write)
    assert all("errors" not in body for body in bodies), bodies
    task.refresh_from_db()
    winner = task.priority
    assert (task.title, task.notes) == (f"Title {winner}", f"Notes {winner}")
    assert list(task.tags.values_list("name", flat=True)) == [f"tag-{winner}"]
    children = sorted(task.subtasks.values_list("pk", "title"))
    assert children == sorted([(kept.pk, f"kept {winner}"), (children[-1][0], f"new {winner}")])
    assert Subtask.objects.count() == 2  # every other writer's new child was replaced


#: The pausing update, and the same through a ``distinct()`` queryset PostgreSQL cannot
#: lock in its lookup (its row is locked by key after it).
PAUSING_UPDATES = ["relPausingUpdateTask", "relPausingDistinctUpdateTask"]


@pytest.mark.parametrize("mutation", PAUSING_UPDATES)
def test_concurrent_partial_updates_of_different_fields_keep_both(token, mutation):
    task = TaskFactory(owner=token.user, title="Original", priority=0, notes="")
    RelHooks.before_update = pause_until_all(2)
    query = (
        "mutation($id: ID!, $input: TaskPartialInput!) { "
        + mutation
        + "(id: $id, input: $input) { task { id } } }"
    )
    inputs = [{"title": "New title"}, {"priority": 7}]

    bodies = in_threads(
        2, lambda i, client: post(client, token.key, query, {"id": task.pk, "input": inputs[i]})
    )
    assert all("errors" not in body for body in bodies), bodies
    task.refresh_from_db()
    assert (task.title, task.priority) == ("New title", 7)


def test_update_and_delete_of_one_task_do_not_deadlock(token):
    """The real ``updateTask`` and ``deleteTask``; Django signals mark the points where the
    update holds the task row and the delete holds the subtasks, so the overlap is certain."""
    task = TaskFactory(owner=token.user, title="Contested")
    SubtaskFactory.create_batch(2, task=task)
    update_holds_task, delete_holds_children = threading.Event(), threading.Event()

    def after_task_saved(sender, instance, **kwargs):
        if threading.current_thread().name == "updater":
            update_holds_task.set()
            delete_holds_children.wait(timeout=3)

    def after_subtask_deleted(sender, instance, **kwargs):
        if threading.current_thread().name == "deleter":
            delete_holds_children.set()

    post_save.connect(after_task_saved, sender=Task, weak=False, dispatch_uid="rel-deadlock")
    post_delete.connect(
        after_subtask_deleted, sender=Subtask, weak=False, dispatch_uid="rel-deadlock"
    )
    results: dict[str, dict] = {}

    def run(name: str, query: str, variables: dict, wait_for: threading.Event | None) -> None:
        try:
            if wait_for is not None:
                wait_for.wait(timeout=TIMEOUT)
            results[name] = post(Client(raise_request_exception=False), token.key, query, variables)
        except BaseException as exc:
            results[name] = {"exception": exc}
        finally:
            close_db_connections()

    update = {"id": task.pk, "input": {"title": "Updated", "subtasks": [{"title": "new"}]}}
    delete = "mutation($id: ID!) { deleteTask(id: $id) { deletedId } }"
    threads = [
        threading.Thread(target=run, name="updater", args=("update", UPDATE, update, None)),
        threading.Thread(
            target=run, name="deleter",
            args=("delete", delete, {"id": task.pk}, update_holds_task),
        ),
    ]  # fmt: skip
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=TIMEOUT)
    finally:
        post_save.disconnect(sender=Task, dispatch_uid="rel-deadlock")
        post_delete.disconnect(sender=Subtask, dispatch_uid="rel-deadlock")
    for result in results.values():
        if "exception" in result:
            raise result["exception"]  # check_response failed: a 500 or a leak
    assert "errors" not in results["delete"], results
    assert error_codes(results["update"]) in ([], ["NOT_FOUND"]), results
    assert not Task.objects.filter(pk=task.pk).exists()
    assert not Subtask.objects.exists()


@pytest.mark.parametrize("mutation", PAUSING_UPDATES)
def test_update_racing_a_delete_does_not_resurrect_the_row(token, mutation):
    task = TaskFactory(owner=token.user, title="Doomed")
    reached, deleted = threading.Event(), threading.Event()

    def hold(*args: Any) -> None:
        reached.set()
        deleted.wait(timeout=3)  # a library that locks the row makes the delete wait instead

    RelHooks.before_update = hold
    update = (
        "mutation($id: ID!) { "
        + mutation
        + '(id: $id, input: {title: "Updated", subtasks: [{title: "new"}]}) { task { id } } }'
    )
    delete = "mutation($id: ID!) { deleteTask(id: $id) { deletedId } }"

    def act(index: int, client: Client) -> dict:
        if index == 0:
            return post(client, token.key, update, {"id": task.pk})
        reached.wait(timeout=TIMEOUT)
        try:
            return post(client, token.key, delete, {"id": task.pk})
        finally:
            deleted.set()

    updated, removed = in_threads(2, act)
    assert "errors" not in removed, removed
    assert error_codes(updated) in ([], ["NOT_FOUND"]), updated
    # Either serial order (update then delete, or delete then update) leaves no task.
    assert not Task.objects.filter(pk=task.pk).exists()
    assert not Subtask.objects.exists()


@pytest.mark.parametrize("mutation", PAUSING_UPDATES)
def test_a_row_leaving_the_queryset_while_the_update_waits_is_not_found(token, mutation):
    """Another writer holds the row and takes it out of the mutation's rows (done tasks are
    outside the distinct() one's): the update waiting for the lock finds it gone, as a
    locked lookup does, and writes nothing."""
    task = TaskFactory(owner=token.user, title="Original")
    held = threading.Event()
    query = (
        "mutation($id: ID!) { " + mutation + '(id: $id, input: {title: "Late"}) { task { id } } }'
    )

    def act(index: int, client: Client) -> dict | None:
        if index == 0:
            with transaction.atomic():
                list(Task.objects.select_for_update().filter(pk=task.pk))
                Task.objects.filter(pk=task.pk).update(status="done")
                held.set()
                time.sleep(0.5)  # the update is waiting on the lock by now
            return None
        held.wait(timeout=TIMEOUT)
        return post(client, token.key, query, {"id": task.pk})

    _, updated = in_threads(2, act)
    task.refresh_from_db()
    if mutation == "relPausingDistinctUpdateTask":
        assert error_codes(updated) == ["NOT_FOUND"], updated
        assert (task.title, task.status) == ("Original", "done")
    else:  # every task is this one's: written after the other writer's change
        assert "errors" not in updated, updated
        assert (task.title, task.status) == ("Late", "done")


# ------------------------------------------------------------------------------ unique races


CREATE_PROJECT = """mutation($input: ProjectInput!) {
  %s(input: $input) { project { id slug } } }"""


@pytest.mark.parametrize("mutation", ["relPausingCreateProject", "createProject"])
def test_racing_creates_on_a_unique_field_have_one_winner(token, mutation):
    """Everyone passes the unique validator before anyone inserts (with the pause): one
    insert wins, the others lose in the database and get the validator's own error."""
    if mutation == "relPausingCreateProject":
        RelHooks.before_create = pause_until_all(WRITERS)

    def create(index: int, client: Client) -> dict:
        return post(
            client, token.key, CREATE_PROJECT % mutation,
            {"input": {"slug": "contested", "name": f"Writer {index}"}},
        )  # fmt: skip

    bodies = in_threads(WRITERS, create)
    winners = [body for body in bodies if "errors" not in body]
    losers = [body for body in bodies if "errors" in body]
    assert len(winners) == 1, bodies
    for body in losers:
        assert body["data"] == {mutation: None}
        assert error_codes(body) == ["VALIDATION_ERROR"], body
        [entry] = body["errors"][0]["extensions"]["errors"]
        assert (entry["field"], entry["code"]) == ("slug", "unique"), entry
    project = Project.objects.get()
    assert project.pk == int(winners[0]["data"][mutation]["project"]["id"])


# ------------------------------------------------------------------------------ all or nothing


BULK = """mutation($input: [RelBulkProjectInput!]!) {
  relBulkCreateProject(input: $input) { projects { id } } }"""


def count_from_another_connection(**lookup: Any) -> int:
    counted: list[int] = []

    def count() -> None:
        try:
            counted.append(Project.objects.filter(**lookup).count())
        finally:
            close_db_connections()

    thread = threading.Thread(target=count)
    thread.start()
    thread.join(timeout=TIMEOUT)
    return counted[0]


def test_bulk_create_failing_halfway_leaves_no_rows(token):
    """Items 0-8 are inserted, item 9 repeats item 4's slug and fails in the database; while
    it runs, no other connection sees a row, and afterwards there is none."""
    seen_meanwhile: list[int] = []
    RelHooks.after_each_bulk_item = lambda index: (
        seen_meanwhile.append(count_from_another_connection(slug__startswith="bulk-"))
        if index == 5
        else None
    )
    items = [{"slug": f"bulk-{index}", "name": f"Bulk {index}"} for index in range(9)]
    items.append({"slug": "bulk-4", "name": "Duplicate"})
    before = dump()
    body = post(Client(raise_request_exception=False), token.key, BULK, {"input": items})
    assert error_codes(body) == ["VALIDATION_ERROR"], body
    assert body["data"] == {"relBulkCreateProject": None}
    assert seen_meanwhile == [0]
    assert diff(before, dump()) == {}


def test_bulk_creates_racing_each_other_are_each_all_or_nothing(token):
    """Writers bulk-create overlapping slug sets: each batch lands whole or not at all."""

    def create(index: int, client: Client) -> dict:
        slugs = [f"overlap-{index}-{n}" for n in range(5)] + [f"overlap-shared-{index % 2}"]
        return post(client, token.key, BULK, {"input": [{"slug": s, "name": s} for s in slugs]})

    bodies = in_threads(WRITERS, create)
    for index, body in enumerate(bodies):
        own = Project.objects.filter(slug__startswith=f"overlap-{index}-").count()
        if "errors" in body:
            assert error_codes(body) == ["VALIDATION_ERROR"], body
            assert own == 0
        else:
            assert own == 5
    assert Project.objects.filter(slug__startswith="overlap-shared-").count() == 2
    assert sum("errors" not in body for body in bodies) == 2


FRAGILE = """mutation($id: ID!, $input: RelFragileTaskPartialInput!) {
  relUpdateFragileTask(id: $id, input: $input) { task { id } } }"""


@pytest.mark.parametrize("failure", ["validation error while saving", "database refuses"])
def test_nested_update_failing_in_its_last_child_changes_nothing(token, failure):
    task = TaskFactory(owner=token.user, title="Parent", notes="as it was")
    children = SubtaskFactory.create_batch(3, task=task, title="as it was")
    last = "explode now" if failure == "validation error while saving" else "x" * 150
    subtasks = [{"id": str(child.pk), "title": f"changed {n}"} for n, child in enumerate(children)]
    subtasks += [{"title": "a new child"}, {"id": str(children[-1].pk), "title": last}]
    variables = {"id": task.pk, "input": {"title": "Changed parent", "subtasks": subtasks}}
    payload = json.dumps({"query": FRAGILE, "variables": variables}).encode()
    before = dump()
    response = Client(raise_request_exception=False).post(
        REL_TOKEN_URL, payload, content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )  # fmt: skip
    body = check_response(response, payload)
    # PostgreSQL refusing the over-long title is the client's input too (errors.refused_by_database)
    assert error_codes(body) == ["VALIDATION_ERROR"], body
    assert diff(before, dump()) == {}
    task.refresh_from_db()
    assert (task.title, task.notes) == ("Parent", "as it was")
    assert sorted(task.subtasks.values_list("title", flat=True)) == ["as it was"] * 3


def test_the_world_is_postgresql():
    assert connection.vendor == "postgresql"
    ProjectFactory()  # and writable with transaction=True
