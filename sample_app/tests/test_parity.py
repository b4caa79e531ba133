"""REST and GraphQL, fed the same input through the same serializer, answer the same.

For each serializer the sample exposes both ways (``TaskSerializer`` with its nested subtasks
and tags, ``TagSerializer``), an object is created through ``/api/v1/`` and through
``/graphql/`` from one input, and the two representations are compared after ``as_graphql``
(camelCase keys, ids as strings, choice values as enum names: see ``shapes``). Only what
legitimately differs between two rows is left out: primary keys (of the task, the tag and each
subtask) and the ``created`` timestamp. Everything else must be equal, exactly.
"""

import pytest
from graphene.utils.str_converters import to_camel_case

from todo.factories import SubtaskFactory, TagFactory, TaskFactory
from todo.models import Tag

from .shapes import TASK_FIELDS, TASK_QUERY, as_graphql

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


def test_unique_tag_error_is_the_same(alice_api):
    TagFactory(name="garden")
    status, rest = alice_api.post("/api/v1/tags/", {"name": "garden"})
    assert (status, rest) == (400, {"name": ["tag with this name already exists."]})

    status, body = alice_api.graphql(CREATE_TAG, {"input": {"name": "garden"}})

    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": "name", "message": "tag with this name already exists.", "code": "unique"}
    ]
