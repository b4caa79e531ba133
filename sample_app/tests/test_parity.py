"""REST and GraphQL, fed the same input through the same serializer, answer the same.

For each serializer the sample exposes both ways (``TaskSerializer`` with its nested subtasks
and tags, ``TagSerializer``), an object is created through ``/api/v1/`` and through
``/graphql/`` from one input, and the two representations are compared after ``as_graphql``
(camelCase keys, ids as strings, choice values as enum names: see ``shapes``). Only what
legitimately differs between two rows is left out: primary keys (of the task, the tag and each
subtask) and the ``created`` timestamp. Everything else must be equal, exactly.
"""

import datetime

import pytest
from graphene.utils.str_converters import to_camel_case

from sample_project.schema import schema
from todo.factories import SubtaskFactory, TagFactory, TaskFactory
from todo.models import Owner, Tag

from .shapes import TASK_FIELDS, TASK_QUERY, TASKS_QUERY, as_graphql

CREATE_TASK = "mutation Create($input: TaskInput!) { createTask(input: $input) { task { %s } } }"
CREATE_TAG = "mutation Create($input: TagInput!) { createTag(input: $input) { tag { id name } } }"

ROW_SPECIFIC = {"id", "created"}


def without_row_specifics(value):
    """``value`` without primary keys and timestamps, at every level (nested subtasks too)."""
    if isinstance(value, dict):
        return {k: without_row_specifics(v) for k, v in value.items() if k not in ROW_SPECIFIC}
    if isinstance(value, list):
        return [without_row_specifics(item) for item in value]
    return value


@pytest.fixture
def tags(db):
    # Created out of alphabetical order, so that "tags" in the output (the Tag model orders
    # by name) is not simply the input order.
    return [TagFactory(name="work"), TagFactory(name="errands"), TagFactory(name="home")]


def full_task_input(tags) -> dict:
    """A REST input that sets every writable field of TaskSerializer, nested subtasks included."""
    return {
        "name": "Plan the garden",
        "note": "Before the frost",
        "due_date": "2026-12-01",
        "completed": True,
        "priority": "high",
        "tags": [tags[0].pk, tags[1].pk],
        "subtasks": [{"name": "Buy seeds", "done": True}, {"name": "Sharpen the spade"}],
    }


def minimal_task_input(tags) -> dict:
    """Only the required name: every default (note, priority, lists...) comes from DRF."""
    return {"name": "Water the plants"}


@pytest.mark.parametrize("make_input", [full_task_input, minimal_task_input])
def test_task_created_through_rest_and_graphql_is_the_same(alice_api, tags, make_input):
    rest_input = make_input(tags)

    status, rest = alice_api.post("/api/v1/tasks/", rest_input)
    assert status == 201, rest
    status, body = alice_api.graphql(CREATE_TASK % TASK_FIELDS, {"input": as_graphql(rest_input)})
    assert status == 200 and "errors" not in body, body
    graphql = body["data"]["createTask"]["task"]

    expected = as_graphql(rest)
    assert graphql.keys() == expected.keys()  # every field REST returns, nothing more
    assert graphql["id"] != expected["id"]  # two rows...
    assert without_row_specifics(graphql) == without_row_specifics(expected)  # ...one shape


def test_tag_created_through_rest_and_graphql_is_the_same(alice_api):
    rest_input = {"name": "garden"}

    status, rest = alice_api.post("/api/v1/tags/", rest_input)
    assert status == 201, rest
    # Tag names are unique: remove the REST row so the same input can create it again.
    Tag.objects.filter(pk=rest["id"]).delete()
    status, body = alice_api.graphql(CREATE_TAG, {"input": as_graphql(rest_input)})
    assert status == 200 and "errors" not in body, body
    graphql = body["data"]["createTag"]["tag"]

    expected = as_graphql(rest)
    assert graphql.keys() == expected.keys()
    assert without_row_specifics(graphql) == without_row_specifics(expected)


def test_task_read_through_rest_and_graphql_is_the_same(alice, alice_api, tags):
    """Every field, ids and the timestamp included: it is one row."""
    task = TaskFactory(owner__user=alice, tags=tags[:2], subtasks=[], priority="low")
    SubtaskFactory.create_batch(2, task=task)

    status, rest = alice_api.get(f"/api/v1/tasks/{task.pk}/")
    assert status == 200

    assert alice_api.graphql(TASK_QUERY, {"id": task.pk}) == (
        200,
        {"data": {"task": as_graphql(rest)}},
    )


def test_reads_and_writes_share_one_output_type():
    """``task``, ``tasks`` and ``createTask`` all answer ``TaskOutput``: one type, not three."""
    graphql_schema = schema.graphql_schema
    task_output = graphql_schema.get_type("TaskOutput")
    query = graphql_schema.query_type.fields
    payload = graphql_schema.mutation_type.fields["createTask"].type
    assert query["task"].type is task_output
    assert query["tasks"].type.fields["results"].type.of_type.of_type.of_type is task_output
    assert payload.fields["task"].type is task_output


# ---------------------------------------------------------------- the same lists

PAGE_SIZE = 20  # REST_FRAMEWORK["PAGE_SIZE"]: REST's pages, GraphQL's `limit`


@pytest.fixture
def many_tasks(alice, bob, tags):
    """25 of Alice's tasks, more than one REST page, and one of Bob's that neither lists.

    Due dates are all different (and none is missing), so that ordering by ``due_date`` has
    no ties the database could break either way; they run against the creation order, so
    that ``-due_date`` is not simply the default order reversed.
    """
    start = datetime.date(2026, 12, 1)
    priorities = ["low", "normal", "high"]
    tasks = [
        TaskFactory(
            owner__user=alice,
            due_date=start + datetime.timedelta(days=(7 * n) % 25),
            priority=priorities[n % 3],
            completed=n % 4 == 0,
            tags=tags[: n % 3],
            subtasks=[],
        )
        for n in range(25)
    ]
    SubtaskFactory.create_batch(2, task=tasks[21])  # on REST's second page
    TaskFactory(owner__user=bob, priority="high")
    return tasks


def rest_pages(api, **params) -> tuple[int, list[list[dict]]]:
    """``count`` and every page of ``GET /api/v1/tasks/``, following ``next``."""
    pages, page = [], 1
    while True:
        status, rest = api.get("/api/v1/tasks/", **params, page=page)
        assert status == 200, rest
        pages.append(rest["results"])
        if rest["next"] is None:
            return rest["count"], pages
        page += 1


@pytest.mark.parametrize(
    ("params", "arguments"),
    [
        ({}, {}),
        ({"priority": "high"}, {"filter": {"priority": "high"}}),
        ({"ordering": "-due_date"}, {"orderBy": ["-due_date"]}),
        (
            {"completed": "false", "ordering": "-due_date"},
            {"filter": {"completed": False}, "orderBy": ["-dueDate"]},
        ),
    ],
    ids=["default-order", "priority", "ordering", "filtered-and-ordered"],
)
def test_task_lists_are_the_same(alice_api, many_tasks, params, arguments):
    """REST's pages of 20 are GraphQL's ``limit: 20`` at offsets 0, 20...: same rows, same order.

    And one GraphQL call without ``limit`` (up to ``MAX_LIMIT``, 100) lists them all.
    """
    count, pages = rest_pages(alice_api, **params)

    for number, rest_page in enumerate(pages):
        status, body = alice_api.graphql(
            TASKS_QUERY, {**arguments, "limit": PAGE_SIZE, "offset": number * PAGE_SIZE}
        )
        assert status == 200 and "errors" not in body, body
        assert body["data"]["tasks"] == {"totalCount": count, "results": as_graphql(rest_page)}

    status, body = alice_api.graphql(TASKS_QUERY, arguments)
    every_row = [task for page in pages for task in page]
    assert body["data"]["tasks"] == {"totalCount": count, "results": as_graphql(every_row)}
    assert every_row  # rows to compare, not two empty lists
    if not params:
        assert len(pages) == 2  # more than one REST page
        assert [task["id"] for task in every_row] == [task.pk for task in many_tasks]
    if "ordering" in params:
        due_dates = [task["due_date"] for task in every_row]
        assert due_dates == sorted(due_dates, reverse=True)


def test_another_users_task_is_not_found_both_ways(alice_api, bob):
    bobs_task = TaskFactory(owner__user=bob)

    status, rest = alice_api.get(f"/api/v1/tasks/{bobs_task.pk}/")
    assert (status, rest) == (404, {"detail": "No Task matches the given query."})

    status, body = alice_api.graphql(TASK_QUERY, {"id": bobs_task.pk})
    assert body["data"] == {"task": None}
    error = body["errors"][0]
    assert error["extensions"] == {"code": "NOT_FOUND", "status": 404}
    assert error["message"] == rest["detail"]
    # Nor does it show in the list.
    status, body = alice_api.graphql(TASKS_QUERY)
    assert body["data"]["tasks"] == {"totalCount": 0, "results": []}


@pytest.mark.parametrize(
    ("path", "field", "query", "variables"),
    [
        ("/api/v1/tasks/", "tasks", TASKS_QUERY, {}),
        ("/api/v1/tasks/{pk}/", "task", TASK_QUERY, {"id": "{pk}"}),
    ],
    ids=["tasks", "task"],
)
def test_anonymous_caller_is_refused_both_ways(anonymous_api, alice, path, field, query, variables):
    task = TaskFactory(owner__user=alice)
    variables = {name: value.format(pk=task.pk) for name, value in variables.items()}

    status, rest = anonymous_api.get(path.format(pk=task.pk))
    # 401 rather than 403: TokenAuthentication, the first authenticator, sends a challenge.
    assert (status, rest) == (401, {"detail": "Authentication credentials were not provided."})

    status, body = anonymous_api.graphql(query, variables)
    assert body["data"] == {field: None}
    error = body["errors"][0]
    assert error["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 401}
    assert error["message"] == rest["detail"]


# ---------------------------------------------------------------- the same errors


def rest_field_errors(detail, path: tuple[str, ...] = ()):
    """DRF's error body as (input path as GraphQL writes it, message) pairs.

    ``{"subtasks": [{}, {"name": ["..."]}]}`` gives ``("subtasks.1.name", "...")``;
    ``non_field_errors`` belong to the object that holds them (``None`` at the top).
    """
    if isinstance(detail, dict):
        for key, value in detail.items():
            inner = path if key == "non_field_errors" else (*path, to_camel_case(key))
            yield from rest_field_errors(value, inner)
    elif all(isinstance(item, str) for item in detail):  # a field's list of messages
        for message in detail:
            yield (".".join(path) or None, message)
    else:  # a list serializer's errors, one entry per item
        for index, item in enumerate(detail):
            yield from rest_field_errors(item, (*path, str(index)))


@pytest.mark.parametrize(
    ("path", "mutation", "rest_input"),
    [
        ("/api/v1/tasks/", CREATE_TASK % "id", {"name": "Go"}),
        ("/api/v1/tasks/", CREATE_TASK % "id", {"name": "Same", "note": "Same"}),
        (
            "/api/v1/tasks/",
            CREATE_TASK % "id",
            {"name": "Nested", "due_date": "soon", "subtasks": [{"name": "ok"}, {"name": ""}]},
        ),
        ("/api/v1/tags/", CREATE_TAG, {"name": "not a slug"}),
    ],
    ids=["field", "non-field", "nested", "tag"],
)
def test_validation_errors_are_the_same(alice_api, path, mutation, rest_input):
    status, rest = alice_api.post(path, rest_input)
    assert status == 400

    status, body = alice_api.graphql(mutation, {"input": as_graphql(rest_input)})

    extensions = body["errors"][0]["extensions"]
    assert (extensions["code"], extensions["status"]) == ("VALIDATION_ERROR", 400)
    graphql_errors = [(error["field"], error["message"]) for error in extensions["errors"]]
    assert graphql_errors
    assert sorted(graphql_errors, key=str) == sorted(rest_field_errors(rest), key=str)


def test_a_refused_write_leaves_nothing_either_way(alice_api):
    """The hidden owner default creates the caller's Owner row while the input is validated:
    a write refused after it rolls it back, under GraphQL's per-mutation transaction and
    REST's ATOMIC_REQUESTS alike (the user's first write here)."""
    status, _ = alice_api.post("/api/v1/tasks/", {"name": "Go"})
    assert status == 400
    assert not Owner.objects.exists()

    status, body = alice_api.graphql(CREATE_TASK % "id", {"input": {"name": "Go"}})

    assert body["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
    assert not Owner.objects.exists()


def test_unique_tag_error_is_the_same(alice_api):
    TagFactory(name="garden")
    status, rest = alice_api.post("/api/v1/tags/", {"name": "garden"})
    assert (status, rest) == (400, {"name": ["tag with this name already exists."]})

    status, body = alice_api.graphql(CREATE_TAG, {"input": {"name": "garden"}})

    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": "name", "message": "tag with this name already exists.", "code": "unique"}
    ]


def test_another_users_subtask_cannot_be_taken_through_either_api(alice_api, bob):
    """drf-writable-nested alone let a REST create move Bob's subtask into Alice's task."""
    theirs = SubtaskFactory(task=TaskFactory(owner__user=bob), name="Bob's")
    rest_input = {"name": "Steal", "subtasks": [{"id": theirs.pk, "name": "stolen"}]}
    message = f'Invalid pk "{theirs.pk}" - object does not exist.'

    status, rest = alice_api.post("/api/v1/tasks/", rest_input)
    assert (status, rest) == (400, {"subtasks": [{"id": [message]}]})

    status, body = alice_api.graphql(CREATE_TASK % "id", {"input": as_graphql(rest_input)})
    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": "subtasks.0.id", "message": message, "code": "does_not_exist"}
    ]
    theirs.refresh_from_db()
    assert (theirs.task.owner.user, theirs.name) == (bob, "Bob's")
