"""Bad input, generated: every request is answered with well-formed GraphQL, never a 500,
never a traceback or SQL, and a refused request leaves every table exactly as it was.

The requests go through ``DRFGraphQLView`` (``/rel-graphql/``) to the test project's
mutations plus the reads and scoped writes of ``tests.reliability.schema``, as a signed-in
user, with ``DEBUG = False``. Each hypothesis example runs in a savepoint that is rolled back,
so every example starts from the same rows.
"""

import json
import time
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from hypothesis import event, given
from hypothesis import strategies as st

from tests.factories import ProjectFactory, SubtaskFactory, TagFactory, TaskFactory, UserFactory
from tests.reliability import strategies as gs
from tests.reliability.schema import rel_schema
from tests.reliability.support import (
    check_response,
    diff,
    dump,
    error_codes,
    failed_everywhere,
    rolled_back,
    send,
)
from tests.reliability.urls import REL_URL
from tests.testapp.models import Project, Subtask, Tag, Task

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.reliability.urls")]

SCHEMA = rel_schema.graphql_schema
#: Fields that fail on purpose after saving (the test project's own crash test).
CRASHING = {"crashAfterSave"}


@pytest.fixture
def world():
    """Two users with tasks, subtasks, tags and projects; alice is signed in."""
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    tags = [TagFactory(name="home"), TagFactory(name="work")]
    project = ProjectFactory(slug="house")
    own = TaskFactory(owner=alice, title="Alice's task", project=project)
    own.tags.set(tags)
    own_steps = SubtaskFactory.create_batch(2, task=own)
    other = TaskFactory(owner=bob, title="Bob's task")
    other_steps = SubtaskFactory.create_batch(2, task=other)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    ids = [own.pk, other.pk, *(s.pk for s in own_steps + other_steps), *(t.pk for t in tags)]
    return SimpleNamespace(
        alice=alice, bob=bob, own=own, other=other, tags=tags, project=project,
        client=client, ids=sorted(set(ids)),
    )  # fmt: skip


def field_overrides(world):
    """Nested ids drawn mostly from real rows (both users'), so IDOR attempts are frequent."""
    return {"*.id": st.sampled_from(world.ids) | st.integers(1, 2**31 - 1) | st.text(max_size=12)}


def post_operation(client, operation, **headers):
    return send(client, REL_URL, operation.json(), **headers)


# ------------------------------------------------------------------------------ GraphQL defects


@given(data=st.data())
def test_operations_with_a_defect_are_refused_and_change_nothing(world, data):
    operation = data.draw(gs.operations(SCHEMA, defects=1, id_values=world.ids), "operation")
    with rolled_back():
        before = dump()
        response = post_operation(world.client, operation)
        body = check_response(response, operation.json())
        assert response.status_code == 400, body
        assert body.get("data") is None, body
        assert diff(before, dump()) == {}


@given(data=st.data())
def test_well_shaped_operations_never_fail_the_server(world, data):
    """Any well-shaped request, huge values included: no 500; refused ones write nothing."""
    operation = data.draw(
        gs.operations(SCHEMA, defects=0, id_values=world.ids, overrides=field_overrides(world)),
        "operation",
    )
    with rolled_back():
        before = dump()
        response = post_operation(world.client, operation)
        allowed = {"INTERNAL_SERVER_ERROR"} if operation.root_field in CRASHING else ()
        body = check_response(response, operation.json(), allowed_codes=allowed)
        event(f"outcome: {sorted(set(map(str, error_codes(body)))) or 'data'}")
        if failed_everywhere(body):
            assert diff(before, dump()) == {}, body


@given(data=st.data())
def test_anonymous_well_shaped_reads_never_fail_the_server(world, data):
    operation = data.draw(
        gs.operations(
            SCHEMA,
            defects=0,
            operation_types=["query"],
            id_values=world.ids,
            overrides=field_overrides(world),
        )
    )
    response = post_operation(Client(raise_request_exception=False), operation)
    check_response(response, operation.json())


# ------------------------------------------------------------------------------ broken envelopes


@given(data=st.data())
def test_broken_envelopes_are_refused_and_change_nothing(world, data):
    """Invalid JSON, non-UTF-8 bytes, wrong content types, batches, mutations over GET."""
    operation = data.draw(gs.operations(SCHEMA, defects=0, stress=False, id_values=world.ids))
    raw = data.draw(gs.malformed_requests(operation), "request")
    with rolled_back():
        before = dump()
        response = send(
            world.client,
            REL_URL,
            raw.body,
            raw.content_type,
            method=raw.method,
            query_string=raw.query_string,
        )
        body = check_response(response, raw.body or json.dumps(raw.query_string).encode())
        assert response.status_code in (400, 405), body
        assert body.get("data") is None
        assert diff(before, dump()) == {}


# ------------------------------------------------------------------------------ invalid values

#: Values TaskSerializer must refuse, per input field (camelCase, as the client writes them).
INVALID_TASK_VALUES = {
    "title": ["", "ab", "   ", "x" * 101, "a\x00bc", gs.HUGE_STRING_LENGTH],
    "estimate": ["abc", "NaN", "Infinity", "1e20", "0.00001", "1" * 13, "12,5"],  # "": null
    "dueDate": ["2025-02-30", "soon", "", "2025-13-01", gs.HUGE_STRING_LENGTH],
    "project": ["no-such-project", "x" * 1000, "\x00"],
    "views": [2**63, -(2**63) - 1, 2**80],
    "tags": [["999999999"], ["abc"], [str(2**70)], ["-1"], [""], "1000 missing"],
    "subtasks": [[{"title": ""}], [{"title": "x" * 101}], "1000 blank"],
}
# (10,000-item lists cost DRF one query per id: they have a test of their own below.)


def materialize(value):
    """Sizes in the table are built here, so hypothesis never stores a 1 MB example."""
    if value == gs.HUGE_STRING_LENGTH:
        return "é" * (gs.HUGE_STRING_LENGTH // 2)
    if value == "1000 missing":
        return [str(10**9 + index) for index in range(1_000)]
    if value == "1000 blank":
        return [{"title": ""}] * 1_000
    return value


@st.composite
def invalid_task_inputs(draw):
    """A task input with one to three values TaskSerializer must refuse."""
    fields = draw(
        st.lists(st.sampled_from(sorted(INVALID_TASK_VALUES)), min_size=1, max_size=3, unique=True)
    )
    bad = {field: draw(st.sampled_from(INVALID_TASK_VALUES[field])) for field in fields}
    if "title" not in bad and draw(st.booleans()):
        bad["notes"] = bad["title"] = "Same text"  # a non-field error (notes == title)
    return bad


TASK_MUTATIONS = {
    "createTask": "mutation($input: TaskInput!) { createTask(input: $input) { task { id } } }",
    "updateTask": "mutation($id: ID!, $input: TaskPartialInput!) { updateTask(id: $id, input: $input) { task { id } } }",
    "replaceTask": "mutation($id: ID!, $input: TaskReplaceInput!) { replaceTask(id: $id, input: $input) { task { id } } }",
    "bulkCreateTask": "mutation($input: [TaskInput!]!) { bulkCreateTask(input: $input) { tasks { id } } }",
    "createTaskWithReadOutput": "mutation($input: TaskInput!) { createTaskWithReadOutput(input: $input) { result { id } } }",
}


@given(data=st.data())
def test_invalid_values_are_validation_errors_and_change_nothing(world, data):
    mutation = data.draw(st.sampled_from(sorted(TASK_MUTATIONS)), "mutation")
    bad = data.draw(invalid_task_inputs(), "invalid values")
    task_input = {"title": "A valid title"}
    task_input.update({field: materialize(value) for field, value in bad.items()})
    variables = {"input": task_input, "id": world.own.pk}
    if mutation == "bulkCreateTask":  # valid items first: the bad one comes last
        variables["input"] = [{"title": "Valid one"}, {"title": "Valid two"}, task_input]
    payload = json.dumps(
        {"query": TASK_MUTATIONS[mutation], "variables": variables}, ensure_ascii=False
    ).encode()
    with rolled_back():
        before = dump()
        response = send(world.client, REL_URL, payload)
        body = check_response(response, payload)
        assert error_codes(body) == ["VALIDATION_ERROR"], body
        assert body["data"] == {mutation: None}
        fields = {entry["field"] for entry in body["errors"][0]["extensions"]["errors"]}
        assert fields, body
        assert diff(before, dump()) == {}


def missing_ids(world):
    """Ids that name no row, in every shape a client can send."""
    candidates = [
        "", " ", "abc", "-1", "0", "1.5", "1e3", "0x10", str(2**63), str(2**64), "9" * 40,
        2**63, 2**70, -1, 0, "VGFzazox", "VGFza091dHB1dDox", "UHJvamVjdDox", "\x00",
        "١٢٣٤٥٦", "x" * 10_000, "1; DROP TABLE testapp_task", "' OR '1'='1",
    ]  # fmt: skip
    existing = set(Task.objects.values_list("pk", flat=True)) | set(
        Subtask.objects.values_list("pk", flat=True)
    )

    def names_a_row(value):
        try:
            return int(str(value).strip()) in existing
        except ValueError:
            return False

    return [value for value in candidates if not names_a_row(value)]


LOOKUPS = {
    "updateTask": 'mutation($id: ID!) { updateTask(id: $id, input: {title: "Renamed"}) { task { id } } }',
    "replaceTask": 'mutation($id: ID!) { replaceTask(id: $id, input: {title: "Renamed"}) { task { id } } }',
    "deleteTask": "mutation($id: ID!) { deleteTask(id: $id) { deletedId } }",
    "relUpdateOwnTask": 'mutation($id: ID!) { relUpdateOwnTask(id: $id, input: {title: "Renamed"}) { task { id } } }',
    "relDeleteOwnTask": "mutation($id: ID!) { relDeleteOwnTask(id: $id) { deletedId } }",
    "relOwnTask": "query($id: ID!) { relOwnTask(id: $id) { id } }",
    "relAnyTask": "query($id: ID!) { relAnyTask(id: $id) { id } }",
}
SLUG_LOOKUPS = {
    "updateProject": 'mutation($slug: String!) { updateProject(slug: $slug, input: {name: "X"}) { project { id } } }',
    "deleteProject": "mutation($slug: String!) { deleteProject(slug: $slug) { deletedId } }",
    "relProject": "query($slug: String!) { relProject(slug: $slug) { id } }",
}


@given(data=st.data())
def test_missing_ids_are_not_found_and_change_nothing(world, data):
    if data.draw(st.booleans(), "by slug"):
        name = data.draw(st.sampled_from(sorted(SLUG_LOOKUPS)), "field")
        value = data.draw(
            st.sampled_from(["", "no-such", "\x00", "x" * 100_000, "house ", "HOUSE", "house\n"])
        )
        variables, query = {"slug": value}, SLUG_LOOKUPS[name]
    else:
        name = data.draw(st.sampled_from(sorted(LOOKUPS)), "field")
        value = data.draw(st.sampled_from(missing_ids(world)), "id")
        variables, query = {"id": value}, LOOKUPS[name]
    payload = json.dumps({"query": query, "variables": variables}).encode()
    with rolled_back():
        before = dump()
        response = send(world.client, REL_URL, payload)
        body = check_response(response, payload)
        assert error_codes(body) == ["NOT_FOUND"], body
        assert body["data"] == {name: None}
        assert diff(before, dump()) == {}


# ------------------------------------------------------------------------------ size and depth


def timed_post(client, payload):
    started = time.perf_counter()
    response = send(client, REL_URL, payload)
    return response, time.perf_counter() - started


@pytest.mark.parametrize(
    "field", ["title", "notes", "dueDate", "estimate", "project", "status_as_text"]
)
def test_one_megabyte_strings_are_refused_or_stored_whole(world, field):
    """1 MB in a string input: a clean VALIDATION_ERROR, or (notes: a TextField) stored whole."""
    huge = "é" * (gs.HUGE_STRING_LENGTH // 2)
    query = "mutation($input: TaskInput!) { createTask(input: $input) { task { id } } }"
    task_input = {"title": "Huge values"}
    if field == "status_as_text":
        task_input["status"] = huge  # an enum: GraphQL itself refuses it
    else:
        task_input[field] = huge
    payload = json.dumps(
        {"query": query, "variables": {"input": task_input}}, ensure_ascii=False
    ).encode()
    before = dump()
    response, seconds = timed_post(world.client, payload)
    body = check_response(response, payload)
    assert seconds < 5, seconds
    if field == "notes":
        assert "errors" not in body, body
        assert Task.objects.get(pk=body["data"]["createTask"]["task"]["id"]).notes == huge
    else:
        assert body.get("data") in (None, {"createTask": None}), body
        assert diff(before, dump()) == {}


def test_ten_thousand_item_lists_are_refused_cleanly(world):
    before = dump()
    query = "mutation($input: TaskInput!) { createTask(input: $input) { task { id } } }"
    cases = [
        {"title": "Many tags", "tags": [str(10**9 + i) for i in range(gs.HUGE_LIST_LENGTH)]},
        {"title": "Many subtasks", "subtasks": [{"title": ""}] * gs.HUGE_LIST_LENGTH},
    ]
    for task_input in cases:
        payload = json.dumps({"query": query, "variables": {"input": task_input}}).encode()
        response, seconds = timed_post(world.client, payload)
        body = check_response(response, payload)
        assert error_codes(body) == ["VALIDATION_ERROR"], body
        assert seconds < 10, seconds
    # A bulk create of 10,000 tasks whose last one is invalid writes none of them.
    items = [{"title": f"Bulk {i}"} for i in range(gs.HUGE_LIST_LENGTH - 1)] + [{"title": ""}]
    query = "mutation($input: [TaskInput!]!) { bulkCreateTask(input: $input) { tasks { id } } }"
    payload = json.dumps({"query": query, "variables": {"input": items}}).encode()
    response, seconds = timed_post(world.client, payload)
    body = check_response(response, payload)
    assert error_codes(body) == ["VALIDATION_ERROR"], body
    [entry] = body["errors"][0]["extensions"]["errors"]
    assert entry["field"] == f"{gs.HUGE_LIST_LENGTH - 1}.title"
    assert diff(before, dump()) == {}


def test_ten_thousand_valid_tags_are_written_in_one_piece(world):
    """The other side of the size limits: a huge *valid* list is not truncated either."""
    Tag.objects.bulk_create(Tag(name=f"bulk-{i}") for i in range(gs.HUGE_LIST_LENGTH))
    tag_ids = [
        str(pk) for pk in Tag.objects.filter(name__startswith="bulk-").values_list("pk", flat=True)
    ]
    query = "mutation($id: ID!, $tags: [ID!]) { updateTask(id: $id, input: {tags: $tags}) { task { id } } }"
    payload = json.dumps(
        {"query": query, "variables": {"id": world.own.pk, "tags": tag_ids}}
    ).encode()
    response, seconds = timed_post(world.client, payload)
    body = check_response(response, payload)
    assert "errors" not in body, body
    assert world.own.tags.count() == gs.HUGE_LIST_LENGTH
    assert seconds < 20, seconds


@pytest.mark.parametrize("depth", [10, 100, 150])
def test_nested_selections_and_literals_within_limits_work(world, depth):
    fragments = "... on RelQuery { " * depth + "ping" + " }" * depth
    literal = "[" * depth + "]" * depth
    query = f"mutation {{ echo(input: {{json: {literal}}}) {{ echo {{ json }} }} }}"
    for document in ("{ " + fragments + " }", query):
        response = send(world.client, REL_URL, {"query": document})
        body = check_response(response, document)
        assert "errors" not in body, body


@pytest.mark.parametrize("depth", [1_000, 5_000, 50_000])
def test_deeply_nested_documents_are_refused_cleanly(world, depth):
    documents = [
        "{ " + "... on RelQuery { " * depth + "ping" + " }" * depth + " }",
        "mutation { echo(input: {json: " + "[" * depth + "]" * depth + "}) { echo { json } } }",
        "mutation { echo(input: {json: "
        + "{a: " * depth
        + "1"
        + "}" * depth
        + "}) { echo { json } } }",
        "{ ...F0 } "
        + " ".join(f"fragment F{i} on RelQuery {{ ...F{i + 1} }}" for i in range(depth))
        + f" fragment F{depth} on RelQuery {{ ping }}",
    ]
    for document in documents:
        response, seconds = timed_post(world.client, json.dumps({"query": document}).encode())
        body = check_response(response, document)
        assert response.status_code == 400 and body.get("data") is None, body
        assert seconds < 2, seconds


def test_deep_json_variables_within_python_limits_work(world):
    """Nested 100 deep, a JSONField value goes in and comes back out unchanged."""
    value = gs.nested_json(100)
    query = "mutation($j: JSONValue) { echo(input: {json: $j}) { echo { json } } }"
    payload = json.dumps({"query": query, "variables": {"j": value}}).encode()
    body = check_response(send(world.client, REL_URL, payload), payload)
    assert body == {"data": {"echo": {"echo": {"json": value}}}}


# ------------------------------------------------------------------------------ fixed bugs


@pytest.mark.parametrize("query", [["{ ping }"], {"query": "{ ping }"}])
def test_query_of_the_wrong_json_type_is_a_clean_400(world, query):
    payload = json.dumps({"query": query}).encode()
    response = send(world.client, REL_URL, payload)
    body = check_response(response, payload)
    assert response.status_code == 400
    assert body["errors"][0]["message"] == "The query must be a string."


def test_json_body_nested_beyond_the_recursion_limit_is_a_clean_400(world):
    payload = b'{"query": "{ ping }", "variables": {"v": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    response = send(world.client, REL_URL, payload)
    check_response(response, payload)
    assert response.status_code == 400


def test_json_variable_nested_500_deep_is_not_a_server_error(world):
    query = "mutation($j: JSONValue) { echo(input: {json: $j}) { echo { json } } }"
    value = json.loads("[" * 600 + "]" * 600)
    payload = json.dumps({"query": query, "variables": {"j": value}}).encode()
    body = check_response(send(world.client, REL_URL, payload), payload)
    assert "INTERNAL_SERVER_ERROR" not in error_codes(body)


@pytest.mark.parametrize("mutation", ["createTask", "updateTask"])
def test_nested_id_that_is_not_a_number_is_a_validation_error(world, mutation):
    if mutation == "createTask":
        query = 'mutation { createTask(input: {title: "Nested", subtasks: [{id: ":", title: "x"}]}) { task { id } } }'
    else:
        query = f'mutation {{ updateTask(id: {world.own.pk}, input: {{subtasks: [{{id: "x", title: "x"}}]}}) {{ task {{ id }} }} }}'
    before = dump()
    body = check_response(send(world.client, REL_URL, {"query": query}), query)
    assert diff(before, dump()) == {}
    assert error_codes(body) == ["VALIDATION_ERROR"], body
    assert body["errors"][0]["extensions"]["errors"][0]["field"] == "subtasks.0.id"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL refuses NUL bytes; SQLite stores them"
)
def test_nul_byte_in_a_related_slug_is_a_validation_error(world):
    query = (
        'mutation($p: String) { createTask(input: {title: "Nul", project: $p}) { task { id } } }'
    )
    payload = json.dumps({"query": query, "variables": {"p": "\x00"}}).encode()
    before = dump()
    body = check_response(send(world.client, REL_URL, payload), payload)
    assert diff(before, dump()) == {}
    assert error_codes(body) == ["VALIDATION_ERROR"], body


def test_counts_of_the_world_are_stable(world):
    """Guards the fixture the properties above rely on."""
    assert (Task.objects.count(), Subtask.objects.count(), Project.objects.count()) == (2, 4, 1)
