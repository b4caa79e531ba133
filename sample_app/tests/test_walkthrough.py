"""The README's curl walk-through, and the rest of what it promises, as tests.

Each step goes through the real URLs: the token endpoint, /graphql/ and /api/v1/.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from todo.factories import SubtaskFactory, TagFactory, TaskFactory
from todo.models import Tag, Task

from .conftest import PASSWORD, Api
from .shapes import TASK_QUERY, TASKS_QUERY, as_graphql

CREATE_TASK = (
    'mutation { createTask(input: {name: "Plan the garden", note: "Before the frost", '
    'tags: ["%s", "%s"], subtasks: [{name: "Buy seeds"}, {name: "Sharpen the spade"}]}) '
    "{ task { id name tags subtasks { id name done } } } }"
)


def test_readme_walkthrough(alice):
    """Token from username and password, create over GraphQL, read back over REST."""
    work, errands = TagFactory(name="work"), TagFactory(name="errands")
    client = Client()

    # 1. Get a token: a form POST, as `curl -d username=... -d password=...` sends.
    response = client.post("/api/v1/auth/token/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json() == {"token": alice.auth_token.key}

    # 2. Create a task over GraphQL, with two subtasks in the same call.
    api = Api(client, token)
    status, body = api.graphql(CREATE_TASK % (work.pk, errands.pk))
    assert status == 200
    task = Task.objects.get()
    buy, sharpen = task.subtasks.all()
    assert body == {
        "data": {
            "createTask": {
                "task": {
                    "id": str(task.pk),
                    "name": "Plan the garden",
                    "tags": [str(errands.pk), str(work.pk)],  # the Tag model's order: by name
                    "subtasks": [
                        {"id": str(buy.pk), "name": "Buy seeds", "done": False},
                        {"id": str(sharpen.pk), "name": "Sharpen the spade", "done": False},
                    ],
                }
            }
        }
    }
    assert task.owner.user == alice  # from the serializer's hidden field, never sent

    # 3. Read it back over REST with the same token.
    status, rest = api.get(f"/api/v1/tasks/{task.pk}/")
    assert status == 200
    assert rest == {
        "id": task.pk,
        "name": "Plan the garden",
        "note": "Before the frost",
        "created": task.created.isoformat().replace("+00:00", "Z"),
        "due_date": None,
        "completed": False,
        "priority": "normal",
        "tags": [errands.pk, work.pk],
        "subtasks": [
            {"id": buy.pk, "name": "Buy seeds", "done": False},
            {"id": sharpen.pk, "name": "Sharpen the spade", "done": False},
        ],
    }
    graphql_task = body["data"]["createTask"]["task"]
    assert {key: as_graphql(rest)[key] for key in graphql_task} == graphql_task


def test_validation_error_as_in_the_readme(alice_api):
    status, body = alice_api.graphql(
        'mutation { createTask(input: {name: "Go", note: "Go"}) { task { id } } }'
    )
    assert status == 200
    assert body == {
        "errors": [
            {
                "message": "Invalid input.",
                "locations": [{"line": 1, "column": 12}],
                "path": ["createTask"],
                "extensions": {
                    "code": "VALIDATION_ERROR",
                    "status": 400,
                    "errors": [
                        {
                            "field": "name",
                            "message": "Ensure this field has at least 3 characters.",
                            "code": "min_length",
                        }
                    ],
                },
            }
        ],
        "data": {"createTask": None},
    }
    assert not Task.objects.exists()


def test_no_credentials_is_not_authenticated(anonymous_api):
    task = TaskFactory()
    status, body = anonymous_api.graphql(
        f"mutation {{ deleteTask(id: {task.pk}) {{ deletedId }} }}"
    )
    assert status == 200
    assert body == {
        "errors": [
            {
                "message": "Authentication credentials were not provided.",
                "locations": [{"line": 1, "column": 12}],
                "path": ["deleteTask"],
                "extensions": {"code": "NOT_AUTHENTICATED", "status": 401},
            }
        ],
        "data": {"deleteTask": None},
    }
    assert Task.objects.filter(pk=task.pk).exists()


def test_invalid_token_is_refused_with_401(db):
    response = Client().post(
        "/graphql/",
        '{"query": "{ me }"}',
        content_type="application/json",
        HTTP_AUTHORIZATION="Token not-a-real-token",
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "errors": [
            {
                "message": "Invalid token.",
                "extensions": {"code": "NOT_AUTHENTICATED", "status": 401},
            }
        ]
    }


# ---------------------------------------------------------------- session and CSRF


def session_login(client: Client) -> str:
    """Log in through /api-auth/login/ as a browser would; the CSRF token to send back."""
    client.get("/api-auth/login/")
    response = client.post(
        "/api-auth/login/",
        {
            "username": "alice",
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/graphql/"  # GraphiQL, in the same browser
    return client.cookies["csrftoken"].value  # rotated at login


def test_the_front_page_is_graphiql(db):
    response = Client().get("/")
    assert (response.status_code, response["Location"]) == (302, "/graphql/")
    page = Client().get("/graphql/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert b"graphiql" in page.content.lower()


CREATE_TAG = 'mutation { createTag(input: {name: "garden"}) { tag { name } } }'


def test_session_user_without_csrf_token_is_refused(alice):
    api = Api(Client(enforce_csrf_checks=True))
    session_login(api.client)

    status, body = api.graphql(CREATE_TAG)

    assert status == 403
    assert body == {
        "errors": [
            {
                "message": "CSRF Failed: CSRF token missing.",
                "extensions": {"code": "PERMISSION_DENIED", "status": 403},
            }
        ]
    }
    assert not Tag.objects.exists()


def test_session_user_with_csrf_token_is_served(alice):
    api = Api(Client(enforce_csrf_checks=True))
    csrf_token = session_login(api.client)

    status, body = api.graphql("{ me }", HTTP_X_CSRFTOKEN=csrf_token)
    assert (status, body) == (200, {"data": {"me": "alice"}})
    status, body = api.graphql(CREATE_TAG, HTTP_X_CSRFTOKEN=csrf_token)
    assert (status, body) == (200, {"data": {"createTag": {"tag": {"name": "garden"}}}})


def test_token_client_needs_no_csrf_token(alice):
    api = Api(Client(enforce_csrf_checks=True), Token.objects.create(user=alice).key)
    status, body = api.graphql(CREATE_TAG)
    assert (status, body) == (200, {"data": {"createTag": {"tag": {"name": "garden"}}}})


# ---------------------------------------------------------------- other users' tasks


def not_found(mutation: str, column: int = 12) -> dict:
    return {
        "errors": [
            {
                "message": "No Task matches the given query.",  # as REST says it
                "locations": [{"line": 1, "column": column}],
                "path": [mutation],
                "extensions": {"code": "NOT_FOUND", "status": 404},
            }
        ],
        "data": {mutation: None},
    }


def test_another_users_task_is_not_found_and_untouched(alice_api, bob):
    task = TaskFactory(owner__user=bob, name="Bob's task", completed=False)

    status, body = alice_api.graphql(
        f'mutation {{ updateTask(id: {task.pk}, input: {{name: "Mine now", completed: true}}) '
        "{ task { id } } }"
    )
    assert (status, body) == (200, not_found("updateTask"))
    status, body = alice_api.graphql(f"mutation {{ deleteTask(id: {task.pk}) {{ deletedId }} }}")
    assert (status, body) == (200, not_found("deleteTask"))
    # REST agrees: the task does not exist for Alice.
    assert alice_api.get(f"/api/v1/tasks/{task.pk}/") == (
        404,
        {"detail": "No Task matches the given query."},
    )

    task.refresh_from_db()
    assert (task.name, task.completed) == ("Bob's task", False)


# ---------------------------------------------------------------- completeOverdueTasks

COMPLETE_OVERDUE = (
    "mutation Complete($input: CompleteOverdueTasksInput!) "
    "{ completeOverdueTasks(input: $input) { tasks { id name completed dueDate } } }"
)


def test_complete_overdue_tasks(alice, alice_api, bob):
    today = datetime.date.today()
    yesterday, tomorrow = today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)

    def task(name, due_date, completed=False, user=alice):
        return TaskFactory(owner__user=user, name=name, due_date=due_date, completed=completed)

    overdue = task("Overdue", yesterday)
    done_already = task("Done already", yesterday, completed=True)
    due_today = task("Due today", today)
    no_due_date = task("Someday", None)
    bobs = task("Bob's overdue", yesterday, user=bob)

    # Default: overdue means due before today.
    status, body = alice_api.graphql(COMPLETE_OVERDUE, {"input": {}})
    assert (status, body) == (
        200,
        {
            "data": {
                "completeOverdueTasks": {
                    "tasks": [
                        {
                            "id": str(overdue.pk),
                            "name": "Overdue",
                            "completed": True,
                            "dueDate": yesterday.isoformat(),
                        }
                    ]
                }
            }
        },
    )
    # An explicit day; tasks completed by the first call are not returned again.
    status, body = alice_api.graphql(COMPLETE_OVERDUE, {"input": {"before": tomorrow.isoformat()}})
    assert body == {
        "data": {
            "completeOverdueTasks": {
                "tasks": [
                    {
                        "id": str(due_today.pk),
                        "name": "Due today",
                        "completed": True,
                        "dueDate": today.isoformat(),
                    }
                ]
            }
        }
    }

    completed = dict(Task.objects.values_list("name", "completed"))
    assert completed == {
        overdue.name: True,
        done_already.name: True,
        due_today.name: True,
        no_due_date.name: False,
        bobs.name: False,  # someone else's task is never touched
    }


def test_complete_overdue_tasks_input_may_be_left_out(alice, alice_api):
    """``input_required = False``: no ``input`` at all means "before today", as ``{}`` does."""
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    overdue = TaskFactory(owner__user=alice, due_date=yesterday, completed=False)

    status, body = alice_api.graphql("mutation { completeOverdueTasks { tasks { id } } }")

    assert (status, body) == (
        200,
        {"data": {"completeOverdueTasks": {"tasks": [{"id": str(overdue.pk)}]}}},
    )


def test_complete_overdue_tasks_validates_and_authenticates(alice_api, anonymous_api):
    status, body = alice_api.graphql(COMPLETE_OVERDUE, {"input": {"before": "soon"}})
    assert body["data"] == {"completeOverdueTasks": None}
    assert body["errors"][0]["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [
            {
                "field": "before",
                "message": "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
                "code": "invalid",
            }
        ],
    }
    status, body = anonymous_api.graphql(COMPLETE_OVERDUE, {"input": {}})
    assert body["data"] == {"completeOverdueTasks": None}
    assert body["errors"][0]["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 401}


# ---------------------------------------------------------------- task / tasks queries


@pytest.fixture
def alices_tasks(alice, bob):
    """Three tasks of Alice's (tags, subtasks, one completed) and one of Bob's."""
    home, work = TagFactory(name="home"), TagFactory(name="work")
    tasks = [
        TaskFactory(owner__user=alice, completed=False, tags=[work, home], subtasks=[]),
        TaskFactory(owner__user=alice, completed=True, tags=[home]),
        TaskFactory(owner__user=alice, completed=False, subtasks=[]),
    ]
    SubtaskFactory.create_batch(2, task=tasks[0])
    TaskFactory(owner__user=bob)
    return tasks


@pytest.mark.parametrize("completed", [None, True, False])
def test_tasks_query_returns_what_rest_lists(alice_api, alices_tasks, completed):
    params = {} if completed is None else {"completed": str(completed).lower()}
    status, rest = alice_api.get("/api/v1/tasks/", **params)
    assert status == 200

    variables = {} if completed is None else {"filter": {"completed": completed}}
    status, body = alice_api.graphql(TASKS_QUERY, variables)

    assert status == 200
    assert body == {
        "data": {"tasks": {"totalCount": rest["count"], "results": as_graphql(rest["results"])}}
    }
    expected = {None: 3, True: 1, False: 2}[completed]
    assert len(body["data"]["tasks"]["results"]) == expected


def test_task_query_returns_what_rest_retrieves(alice_api, alices_tasks):
    for task in alices_tasks:
        status, rest = alice_api.get(f"/api/v1/tasks/{task.pk}/")
        assert status == 200
        assert alice_api.graphql(TASK_QUERY, {"id": task.pk}) == (
            200,
            {"data": {"task": as_graphql(rest)}},
        )


def query_error(field: str, message: str, code: str, status: int) -> dict:
    """The whole answer to a refused ``task``/``tasks`` query, as the README shows one."""
    return {
        "errors": [
            {
                "message": message,
                "locations": [{"line": 1, "column": TASK_QUERY.index("{ task") + 3}],
                "path": [field],
                "extensions": {"code": code, "status": status},
            }
        ],
        "data": {field: None},
    }


def test_queries_refuse_what_rest_refuses(alice_api, anonymous_api, alices_tasks, bob):
    """Someone else's task, or a malformed id, is NOT_FOUND; no credentials, NOT_AUTHENTICATED.

    The full answers, locations included: the README's step 4 shows them.
    """
    bobs_task = Task.objects.get(owner__user=bob)
    assert alice_api.graphql(TASK_QUERY, {"id": bobs_task.pk}) == (
        200,
        query_error("task", "No Task matches the given query.", "NOT_FOUND", 404),
    )
    assert alice_api.get(f"/api/v1/tasks/{bobs_task.pk}/") == (
        404,
        {"detail": "No Task matches the given query."},
    )
    assert alice_api.graphql(TASK_QUERY, {"id": "nope"}) == (
        200,
        query_error("task", "Not found.", "NOT_FOUND", 404),
    )
    assert alice_api.get("/api/v1/tasks/nope/") == (404, {"detail": "Not found."})

    not_authenticated = "Authentication credentials were not provided."
    assert anonymous_api.graphql(TASK_QUERY, {"id": alices_tasks[0].pk}) == (
        200,
        query_error("task", not_authenticated, "NOT_AUTHENTICATED", 401),
    )
    status, body = anonymous_api.graphql(TASKS_QUERY)
    assert body["data"] == {"tasks": None}
    assert body["errors"][0]["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 401}
    assert anonymous_api.get("/api/v1/tasks/") == (401, {"detail": not_authenticated})


def test_tasks_query_rejects_what_it_cannot_filter_or_order_by(alice_api, alices_tasks):
    """A bad filter value is REST's 400 with the same message; an unknown ordering field too.

    REST's ``OrderingFilter`` silently drops a field it does not allow, where ``orderBy``
    names the mistake: the one place the two APIs answer differently.
    """
    status, rest = alice_api.get("/api/v1/tasks/", priority="urgent")
    assert status == 400
    status, body = alice_api.graphql(TASKS_QUERY, {"filter": {"priority": "urgent"}})
    assert body["data"] == {"tasks": None}
    assert body["errors"][0]["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [
            {"field": "filter.priority", "message": rest["priority"][0], "code": "invalid_choice"}
        ],
    }

    status, body = alice_api.graphql(TASKS_QUERY, {"orderBy": ["owner"]})
    assert body["data"] == {"tasks": None}
    assert body["errors"][0]["extensions"]["errors"] == [
        {
            "field": "orderBy.0",
            "message": "Cannot order by 'owner'; choose from due_date, created, name.",
            "code": "invalid_ordering",
        }
    ]
    status, rest = alice_api.get("/api/v1/tasks/", ordering="owner")
    assert status == 200 and rest["count"] == len(alices_tasks)


def test_tasks_query_count_does_not_grow_with_rows(alice, alice_api, alices_tasks):
    """ListField prefetches the selected tags and subtasks: no query per task, as over REST."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            status, body = alice_api.graphql(TASKS_QUERY)
        assert status == 200 and "errors" not in body
        return len(captured)

    few = queries()
    TaskFactory.create_batch(5, owner__user=alice, tags=[TagFactory()])
    assert queries() == few
