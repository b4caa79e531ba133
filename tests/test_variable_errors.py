"""variable_errors: graphql-core's variable errors, rewritten to quote none of the client's
values, through DRFGraphQLView (the endpoint that rewrites them)."""

import json
from unittest import mock

import graphene
import pytest

from drf_graphql_crud import DRFGraphQLView, variable_errors
from tests.testapp.models import Task

pytestmark = [pytest.mark.django_db]

DRF_URL = "/drf-graphql/"


def post(client, url, query, variables=None):
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("user", "message"),
    [
        (
            {"username": "dave", "password": "s3cret-pw", "isStaff": True},
            "Variable '$input' got invalid value; Field 'isStaff' is not defined by type "
            "'UserInput'.",
        ),
        (
            {"password": "s3cret-pw"},
            "Variable '$input' got invalid value; Field 'username' of required type "
            "'String!' was not provided.",
        ),
        (
            {"username": ["dave"], "password": "s3cret-pw"},
            "Variable '$input' got invalid value at 'input.username'; Expected a value of "
            "type 'String', not a list.",
        ),
        (
            {"username": "dave", "password": ["s3cret-pw"]},
            "Variable '$input' got invalid value at 'input.password'; Expected a value of "
            "type 'String', not a list.",
        ),
        (
            {"username": "dave", "password": {"new": "s3cret-pw"}},
            "Variable '$input' got invalid value at 'input.password'; Expected a value of "
            "type 'String', not an object.",
        ),
        (
            {"username": None, "password": "s3cret-pw"},
            "Variable '$input' got invalid value at 'input.username'; Expected non-nullable "
            "type 'String!' not to be None.",
        ),
    ],
    ids=[
        "unknown-field",
        "missing-field",
        "wrong-scalar",
        "list-for-text",
        "object-for-text",
        "null-for-required",
    ],  # fmt: skip
)
def test_variable_errors_name_the_path_but_do_not_quote_the_input(client, user, message):
    """graphql-core would quote the whole input object, password included."""
    query = "mutation($input: UserInput!) { createUser(input: $input) { user { id } } }"
    response = post(client, DRF_URL, query, {"input": user})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": message,
                "locations": [{"line": 1, "column": 10}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED", "status": 400},
            }
        ]
    }
    assert "s3cret-pw" not in response.content.decode()


def test_variable_errors_are_capped_like_graphql_core(client):
    query = "mutation($input: [TaskInput!]!) { bulkCreateTask(input: $input) { tasks { id } } }"
    response = post(client, DRF_URL, query, {"input": [{"title": 1}] * 80})
    assert response.status_code == 400
    assert len(response.json()["errors"]) == 50
    assert not Task.objects.exists()


def test_rewriting_variable_errors_stops_at_the_cap(client):
    """A list of 20,000 wrong items costs what graphql-core's 50 errors cost: the values
    are walked again only until the cap, not item by item to the end."""
    query = "mutation($input: [TaskInput!]!) { bulkCreateTask(input: $input) { tasks { id } } }"
    reasons = []
    real = variable_errors.reason_without_value

    def counted(message, value):
        reasons.append(message)
        return real(message, value)

    with mock.patch.object(variable_errors, "reason_without_value", counted):
        response = post(client, DRF_URL, query, {"input": [{"title": 1}] * 20_000})
    assert response.status_code == 400
    assert len(response.json()["errors"]) == 50
    assert len(reasons) == 50


@pytest.mark.parametrize(
    ("message", "value", "reason"),
    [
        (
            "Int cannot represent non-integer value: 'abcdef'",
            "abcdef",
            "Int cannot represent non-integer value.",
        ),
        (
            "Int cannot represent non 32-bit signed integer value: 3000000000",
            3_000_000_000,
            "Int cannot represent non 32-bit signed integer value.",
        ),
        ("Int cannot represent non-integer value: 3", 3, "Int cannot represent non-integer value."),
        (
            "Value 'in progress' does not exist in 'Status' enum. Did you mean the enum value 'IN_PROGRESS'?",
            "in progress",
            "Value does not exist in 'Status' enum. Did you mean the enum value 'IN_PROGRESS'?",
        ),
        (
            "Expected type 'Date'. Invalid isoformat string: 'tomorrow'",
            "tomorrow",
            "Expected type 'Date'. Invalid isoformat string.",
        ),
        ("Expected type 'Money'. tomorrow is no amount", "tomorrow", None),  # quoted its own way
        (
            "Expected type 'TaskInput' to be a mapping.",
            "secret-words",
            "Expected type 'TaskInput' to be a mapping.",
        ),
        # A list or an object: a reason could only describe it by quoting it.
        (
            "Date cannot represent non-string value: {'a': {'b': {...}}}",
            {"a": {"b": {"c": 1}}},
            None,
        ),
        ("String cannot represent a non string value: ['x', ...]", ["x"] * 20 + ["pw-1"], None),
    ],
    ids=[
        "text",
        "big-number",
        "small-number",
        "enum",
        "scalar-error",
        "unquoted",
        "object",
        "object-for-a-scalar",
        "list-for-a-scalar",
    ],  # fmt: skip
)
def test_a_reason_is_kept_without_the_value(message, value, reason):
    assert variable_errors.reason_without_value(message, value) == reason


@pytest.mark.parametrize("title", ["Task", "defined", "TaskInput"])
def test_an_input_objects_reason_is_kept_whatever_its_values(client, title):
    """It names fields and types, never a value: a value that is part of a name ("Task" in
    "TaskInput") takes nothing away."""
    query = "mutation($input: TaskInput!) { createTask(input: $input) { task { id } } }"
    response = post(client, DRF_URL, query, {"input": {"title": title, "qqqqqqqq": 1}})
    assert [error["message"] for error in response.json()["errors"]] == [
        "Variable '$input' got invalid value; Field 'qqqqqqqq' is not defined by type 'TaskInput'."
    ]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ({"a": {"b": {"c": {"password": "hunter2-secret"}}}}, "Expected a value of type 'Date', not an object."),
        (["x"] * 20 + ["hunter2-secret"], "Expected a value of type 'Date', not a list."),
    ],
)  # fmt: skip
def test_a_scalar_given_a_list_or_an_object_quotes_none_of_it(rf, value, reason):
    """graphene's Date writes the whole value with repr(), past graphql-core's inspect()."""

    class DateQuery(graphene.ObjectType):
        day = graphene.Date(value=graphene.Date())

        def resolve_day(root, info, value=None):
            return value

    view = DRFGraphQLView.as_view(schema=graphene.Schema(query=DateQuery))
    body = json.dumps({"query": "query($v: Date) { day(value: $v) }", "variables": {"v": value}})
    for _ in range(2):  # the first request of the document, then the cached plan's
        response = view(rf.post("/graphql/", body, content_type="application/json"))
        assert b"hunter2-secret" not in response.content
        assert [error["message"] for error in json.loads(response.content)["errors"]] == [
            f"Variable '$v' got invalid value; {reason}"
        ]
