"""What every reliability test checks: a table dump, and a well-formed, leak-free response."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import Client

#: Apps whose tables a request must leave as they were (sessions are excluded: logging in
#: writes them; contenttypes and permissions never change during a test).
DUMPED_APPS = ("testapp", "auth", "authtoken")

#: Text that must never reach a client unless the client sent it: tracebacks, SQL, driver
#: and exception names, file paths.
LEAKS = (
    "Traceback",
    'File "/',
    "site-packages",
    "SELECT ",
    "INSERT INTO",
    "UPDATE ",
    "DELETE FROM",
    " WHERE ",
    "IntegrityError",
    "DataError",
    "OperationalError",
    "ProgrammingError",
    "RecursionError",
    "psycopg",
    "sqlite3",
    "django.db",
    "pbkdf2_",
    "md5$",
)

#: HTTP statuses a GraphQL endpoint may answer with.
STATUSES = {200, 400, 401, 403, 405, 429}


def dump(using: str = "default", app_labels: Iterable[str] = DUMPED_APPS) -> dict[str, list]:
    """Every row of every table of ``app_labels`` (M2M tables included), ordered by pk."""
    tables: dict[str, list] = {}
    for label in app_labels:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            columns = [f.attname for f in model._meta.concrete_fields]
            rows = model._base_manager.using(using).order_by("pk").values_list(*columns)
            tables[model._meta.label] = list(rows)
    return tables


def diff(before: dict[str, list], after: dict[str, list]) -> dict[str, Any]:
    """The tables that changed, with the rows that appeared and disappeared."""
    changed = {}
    for table in before.keys() | after.keys():
        old, new = set(before.get(table, [])), set(after.get(table, []))
        if old != new:
            changed[table] = {"gone": sorted(old - new)[:5], "new": sorted(new - old)[:5]}
    return changed


class rolled_back:  # noqa: N801 - used as a context manager
    """A savepoint rolled back at exit: each hypothesis example starts from the same rows."""

    def __init__(self, using: str = "default") -> None:
        self.atomic = transaction.atomic(using=using)
        self.using = using

    def __enter__(self) -> None:
        self.atomic.__enter__()

    def __exit__(self, *exc: Any) -> None:
        transaction.set_rollback(True, using=self.using)
        self.atomic.__exit__(*exc)


def send(
    client: Client,
    url: str,
    body: bytes | str | dict,
    content_type: str = "application/json",
    method: str = "POST",
    query_string: dict[str, str] | None = None,
    **headers: Any,
) -> HttpResponse:
    """Send a request the way a hostile client would: any bytes, any content type."""
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False).encode()
    if method == "GET":
        return client.get(url, query_string or {}, **headers)
    return client.generic(method, url, body, content_type=content_type, **headers)


def check_response(
    response: HttpResponse,
    sent: bytes | str = b"",
    *,
    allowed_codes: Iterable[str] = (),
) -> dict[str, Any]:
    """Assert the answer is a well-formed GraphQL response with no 500 and no leak.

    - HTTP status among ``STATUSES``; a JSON object body with ``data`` and/or ``errors``;
    - every error has a string ``message``; ``extensions`` (when present) a string ``code``
      and an integer ``status``; no error is an ``INTERNAL_SERVER_ERROR`` (status 500)
      unless its code is in ``allowed_codes``;
    - no traceback, SQL, exception or driver name in the body, unless the client sent it.

    Returns the decoded body.
    """
    sent_text = sent.decode("utf-8", "replace") if isinstance(sent, bytes) else sent
    raw = response.content.decode("utf-8", "replace")
    assert response.status_code in STATUSES, (response.status_code, raw[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(raw)
    assert isinstance(body, dict), raw[:500]
    assert set(body) <= {"data", "errors", "extensions"}, body.keys()
    assert "data" in body or "errors" in body, raw[:500]
    if "data" in body:
        assert body["data"] is None or isinstance(body["data"], dict), raw[:500]
    if "errors" in body:
        errors = body["errors"]
        assert isinstance(errors, list) and errors, raw[:500]
        for error in errors:
            assert isinstance(error, dict) and isinstance(error.get("message"), str), error
            extensions = error.get("extensions")
            if extensions is not None:
                assert isinstance(extensions.get("code"), str), error
                assert isinstance(extensions.get("status"), int), error
                if extensions["code"] not in set(allowed_codes):
                    assert extensions["status"] != 500, error
                    assert extensions["code"] != "INTERNAL_SERVER_ERROR", error
    if response.status_code == 200 and "errors" not in body:
        assert isinstance(body.get("data"), dict), raw[:500]
    for leak in LEAKS:
        assert leak not in raw or leak in sent_text, f"{leak!r} leaked: {raw[:1000]}"
    return body


def failed_everywhere(body: dict[str, Any]) -> bool:
    """No root field produced data: the request wrote nothing if the library holds."""
    data = body.get("data")
    return bool(body.get("errors")) and (data is None or all(v is None for v in data.values()))


def error_codes(body: dict[str, Any]) -> list[str | None]:
    return [(e.get("extensions") or {}).get("code") for e in body.get("errors", [])]


def close_db_connections() -> None:
    """For threads: close this thread's connections (Django opens one per thread)."""
    connections.close_all()
