"""The endpoint under ASGI, as teams deploy Django (uvicorn, daphne).

Django's ``ASGIHandler`` runs the sync ``DRFGraphQLView`` through ``sync_to_async``, one
thread per request: the same answers as the sync handler, and concurrent requests that each
keep their own user, variables and per-call state.
"""

import asyncio
import json
import threading

import pytest
from asgiref.sync import async_to_sync
from django.core.handlers.asgi import ASGIHandler
from django.db import connection
from django.test import AsyncClient, Client
from rest_framework.authtoken.models import Token

from drf_graphql_crud import mutations
from tests.factories import TaskFactory, UserFactory
from tests.reliability.schema import RelHooks
from tests.testapp.models import Task

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.reliability.urls")]

URL = "/rel-token-graphql/"


def post_both(query, variables=None, **headers):
    """The same request through the sync handler and through ASGI (AsyncClient)."""
    body = json.dumps({"query": query, "variables": variables or {}})
    sync = Client().post(URL, body, content_type="application/json", headers=headers)

    async def under_asgi():
        return await AsyncClient().post(URL, body, content_type="application/json", headers=headers)

    return sync, async_to_sync(under_asgi)()


def test_answers_are_the_sync_handlers():
    token = Token.objects.create(user=UserFactory(username="asgi")).key
    auth = {"Authorization": f"Token {token}"}
    for query in [
        "{ ping }",
        "{ nope }",
        "{ ping",
        'mutation { createTask(input: {title: ""}) { task { id } } }',
    ]:
        sync, under_asgi = post_both(query, **auth)
        assert (under_asgi.status_code, under_asgi.json()) == (sync.status_code, sync.json())
    create = "mutation($t: String!) { createTask(input: {title: $t}) { task { title } } }"
    sync, under_asgi = post_both(create, {"t": "Both"}, **auth)
    assert under_asgi.json() == sync.json() == {"data": {"createTask": {"task": {"title": "Both"}}}}
    assert Task.objects.filter(title="Both").count() == 2


async def asgi_post(app, payload, token):
    """One HTTP request to Django's ASGI handler, as a server sends it."""
    body = json.dumps(payload).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"authorization", f"Token {token}".encode()),
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": URL,
        "raw_path": URL.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        if pending:
            return pending.pop(0)
        await asyncio.Future()  # the client never disconnects

    sent = []

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], json.loads(b"".join(m.get("body", b"") for m in sent[1:]))


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: concurrent transactions on one database from several threads "
    "(the in-memory SQLite test database is per connection)",
)
def test_concurrent_requests_each_keep_their_own_user_and_variables():
    """Six updates, each by its own user, all paused inside the mutation at once (one thread
    each, as under uvicorn): every answer and row is its caller's own."""
    count = 6
    users = [UserFactory(username=f"asgi{i}") for i in range(count)]
    tokens = [Token.objects.create(user=user).key for user in users]
    tasks = [TaskFactory(owner=user, title=f"before {i}") for i, user in enumerate(users)]
    barrier = threading.Barrier(count, timeout=20)
    threads = set()

    def pause():
        threads.add(threading.get_ident())
        barrier.wait()

    RelHooks.before_update = pause
    app = ASGIHandler()
    query = (
        "mutation($id: ID!, $t: String!) { relPausingUpdateTask(id: $id, input: {title: $t}) "
        "{ task { id title ownerName } } }"
    )

    async def all_at_once():
        return await asyncio.gather(
            *(
                asgi_post(
                    app, {"query": query, "variables": {"id": task.pk, "t": f"after {i}"}}, token
                )
                for i, (task, token) in enumerate(zip(tasks, tokens, strict=True))
            )
        )

    answers = asyncio.run(all_at_once())
    assert len(threads) == count
    for i, (status, body) in enumerate(answers):
        expected = {"id": str(tasks[i].pk), "title": f"after {i}", "ownerName": f"asgi{i}"}
        assert (status, body) == (200, {"data": {"relPausingUpdateTask": {"task": expected}}})
    assert [Task.objects.get(pk=task.pk).title for task in tasks] == [
        f"after {i}" for i in range(count)
    ]
    assert mutations._current_call.get() is None
