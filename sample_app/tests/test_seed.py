"""``manage.py seed_demo``: reproducible demo data, safe to run again, and a working token."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from todo.models import Owner, Subtask, Tag, Task

from .conftest import Api

TOKEN_LINE = re.compile(r"API token for 'demo': ([0-9a-f]{40})")


def seed(*args: str) -> tuple[str, dict]:
    """Run ``seed_demo``; what it printed and how many rows of each kind there are after it."""
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    counts = {
        model.__name__: model.objects.count()
        for model in (get_user_model(), Token, Owner, Tag, Task, Subtask)
    }
    return out.getvalue(), counts


def snapshot() -> list[tuple]:
    """The generated content, without ids or timestamps (those differ between databases)."""
    return list(
        Task.objects.order_by("name").values_list(
            "name", "note", "due_date", "completed", "priority"
        )
    ) + list(Subtask.objects.order_by("name", "done").values_list("name", "done"))


@pytest.mark.django_db
def test_seed_demo_twice_keeps_data_and_token():
    first_output, first_counts = seed()
    second_output, second_counts = seed()

    assert first_counts == second_counts
    assert {k: v for k, v in first_counts.items() if k != "Subtask"} == {
        "User": 1,
        "Token": 1,
        "Owner": 1,
        "Tag": 5,
        "Task": 20,
    }
    assert 0 <= first_counts["Subtask"] <= 20 * 3  # TaskFactory gives each task 0-3

    token = Token.objects.get(user__username="demo").key
    assert TOKEN_LINE.search(first_output).group(1) == token
    assert TOKEN_LINE.search(second_output).group(1) == token
    assert "Created user 'demo'" in first_output
    assert "'demo' already has 20 tasks; none added." in second_output


@pytest.mark.django_db
def test_seed_demo_is_deterministic():
    """A fresh database always gets the same tasks: the generator is seeded."""
    _, first_counts = seed()
    first = snapshot()
    for model in (Task, Tag, Owner, get_user_model()):
        model.objects.all().delete()

    _, second_counts = seed()

    assert second_counts == first_counts
    assert snapshot() == first


@pytest.mark.django_db
def test_seeded_data_is_served_with_the_printed_token():
    output, counts = seed("--tasks", "3")
    api = Api(Client(), TOKEN_LINE.search(output).group(1))

    status, rest = api.get("/api/v1/tasks/")
    assert status == 200 and rest["count"] == counts["Task"] == 3
    status, body = api.graphql("{ me tasks { totalCount results { id } } }")
    assert body == {
        "data": {
            "me": "demo",
            "tasks": {
                "totalCount": 3,
                "results": [{"id": str(task["id"])} for task in rest["results"]],
            },
        }
    }
