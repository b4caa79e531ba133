"""DRFGraphQLView: DRF authentication, CSRF, throttling, document cache and request hygiene."""

import datetime
import decimal
import gc
import json
import re
import tracemalloc
import uuid
import weakref
from collections.abc import Callable
from urllib.parse import urlencode

import django
import graphene
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.http import Http404, QueryDict
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from graphene_django.constants import MUTATION_ERRORS_FLAG
from graphene_django.views import GraphQLView
from graphql import GraphQLError, parse
from rest_framework import exceptions, serializers, viewsets
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    TokenAuthentication,
)
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from drf_graphql_crud import CreateMutation, ListField, RetrieveField, views
from drf_graphql_crud.views import DRFGraphQLView
from tests.factories import TaskFactory, UserFactory
from tests.routers import SteeredRouter
from tests.testapp.models import Document, Project, Task
from tests.testapp.schema import schema as testapp_schema
from tests.testapp.serializers import ProjectSerializer

pytestmark = pytest.mark.django_db

DRF_URL = "/drf-graphql/"
TOKEN_URL = "/token-graphql/"
CREATE = (
    'mutation { createTaskAuthenticated(input: {title: "Via the view"}) { task { id ownerName } } }'  # noqa: E501
)


@pytest.fixture(autouse=True)
def fresh_state():
    cache.clear()  # throttle history
    DRFGraphQLView.document_cache.clear()
    yield
    cache.clear()


def post(client, url, query, variables=None, **extra):
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


# ------------------------------------------------------------------------------ authentication


def test_token_authentication(client):
    user = UserFactory(username="tokenuser")
    token = Token.objects.create(user=user)
    response = post(client, TOKEN_URL, CREATE, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    task = Task.objects.get()
    assert response.json() == {
        "data": {
            "createTaskAuthenticated": {"task": {"id": str(task.pk), "ownerName": "tokenuser"}}
        }
    }
    assert task.owner == user


def test_invalid_token_is_401_with_www_authenticate(client):
    response = post(client, TOKEN_URL, CREATE, HTTP_AUTHORIZATION="Token not-a-real-token")
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
    assert Task.objects.count() == 0


def test_anonymous_request_reaches_permission_classes_as_anonymous(client):
    response = post(client, TOKEN_URL, CREATE)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"createTaskAuthenticated": None}
    assert body["errors"][0]["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 401}


def test_session_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = post(client, DRF_URL, CREATE)
    assert response.status_code == 403
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "PERMISSION_DENIED", "status": 403}
    assert error["message"].startswith("CSRF Failed")
    assert Task.objects.count() == 0


def test_session_with_csrf_token_is_accepted():
    client = Client(enforce_csrf_checks=True)
    user = UserFactory()
    client.force_login(user)
    client.get(DRF_URL, HTTP_ACCEPT="text/html")  # any response sets the cookie after get_token
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    response = post(client, DRF_URL, CREATE, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
    assert Task.objects.get().owner == user


def test_token_clients_need_no_csrf_token():
    client = Client(enforce_csrf_checks=True)
    token = Token.objects.create(user=UserFactory())
    response = post(client, TOKEN_URL, CREATE, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert "errors" not in response.json()


def test_resolvers_get_the_drf_request_authenticated_once(client, monkeypatch):
    from rest_framework.authentication import TokenAuthentication

    calls = []
    original = TokenAuthentication.authenticate

    def counting(self, request):
        calls.append(request)
        return original(self, request)

    monkeypatch.setattr(TokenAuthentication, "authenticate", counting)
    token = Token.objects.create(user=UserFactory())
    query = CREATE.replace(
        "mutation {",
        'mutation { a: createTaskAuthenticated(input: {title: "Second"}) { task { id } } ',
        1,
    )  # noqa: E501
    response = post(client, TOKEN_URL, query, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert "errors" not in response.json(), response.json()
    assert Task.objects.count() == 2
    assert len(calls) == 1


# ------------------------------------------------------------------------------ throttling


def test_throttled_request_is_429_with_retry_after(client):
    token = Token.objects.create(user=UserFactory())
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    for _ in range(5):
        assert post(client, TOKEN_URL, "{ ping }", **auth).status_code == 200
    response = post(client, TOKEN_URL, "{ ping }", **auth)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "THROTTLED"
    assert error["extensions"]["status"] == 429
    assert error["extensions"]["retryAfter"] == int(response["Retry-After"])
    assert error["message"].startswith("Request was throttled.")


def test_error_messages_apply_to_refusals_before_execution(client, settings):
    settings.DRF_GRAPHQL_CRUD = {"ERROR_MESSAGES": {"THROTTLED": "Slow down."}}
    token = Token.objects.create(user=UserFactory())
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    for _ in range(5):
        post(client, TOKEN_URL, "{ ping }", **auth)
    error = post(client, TOKEN_URL, "{ ping }", **auth).json()["errors"][0]
    assert (error["message"], error["extensions"]["code"]) == ("Slow down.", "THROTTLED")


# ------------------------------------------------------------------------------ validation rules


DEEP = 'mutation { createTask(input: {title: "Deep one"}) { task { subtasks { title } } } }'


@override_settings(DRF_GRAPHQL_CRUD={"MAX_QUERY_DEPTH": 2})
def test_depth_cap(client):
    client.force_login(UserFactory())
    response = post(client, DRF_URL, DEEP)
    assert response.status_code == 400
    assert "exceeds maximum operation depth of 2" in response.json()["errors"][0]["message"]
    assert Task.objects.count() == 0
    assert post(client, DRF_URL, "{ ping }").json() == {"data": {"ping": "pong"}}


@override_settings(DRF_GRAPHQL_CRUD={"MAX_QUERY_DEPTH": 5})
def test_the_depth_cap_leaves_unknown_fragments_and_cycles_to_validation(client):
    """The cap measures what it can; what validation refuses, it refuses with its message,
    as without the cap (graphene's depth rule answered 500, or "nested too deeply")."""
    for query, message in (
        ("{ ...Missing }", "Unknown fragment 'Missing'."),
        (
            "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
            "Cannot spread fragment 'A' within itself via 'B'.",
        ),
    ):
        response = post(client, DRF_URL, query)
        assert response.status_code == 400
        assert response.json()["errors"][0]["message"] == message


@override_settings(DRF_GRAPHQL_CRUD={"MAX_QUERY_DEPTH": 5})
def test_the_depth_cap_measures_each_fragment_once(client):
    """Fragments spread twice per level: under 1 KB, 2**30 spreads to walk one by one."""
    fragments = " ".join(
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 31)
    )
    query = f"query Q {{ ...F30 }} fragment F0 on Query {{ ping }} {fragments}"
    assert post(client, DRF_URL, query).json() == {"data": {"ping": "pong"}}


def test_depth_is_not_capped_by_default(client):
    client.force_login(UserFactory())
    assert "errors" not in post(client, DRF_URL, DEEP).json()


@override_settings(DRF_GRAPHQL_CRUD={"INTROSPECTION": False})
def test_introspection_can_be_turned_off(client):
    response = post(client, DRF_URL, "{ __schema { queryType { name } } }")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["message"] == (
        "GraphQL introspection has been disabled, but the requested query contained the "
        "field '__schema'."
    )
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED", "status": 400}
    # __typename is no introspection: Apollo and Relay clients add it to every selection.
    assert post(client, DRF_URL, "{ __typename ping }").json() == {
        "data": {"__typename": "Query", "ping": "pong"}
    }
    for query in ('{ __type(name: "Query") { name } }', "{ q: __schema { types { name } } }"):
        assert post(client, DRF_URL, query).status_code == 400


@pytest.mark.skipif(
    not getattr(views, "_VALIDATE_HIDES_SUGGESTIONS", True),
    reason="this graphql-core always suggests",
)
def test_without_introspection_errors_suggest_no_names(client):
    """ "Did you mean 'ping'?" would spell out, name by name, what introspection hides."""
    query = "{ pin }"
    assert "Did you mean 'ping'?" in post(client, DRF_URL, query).json()["errors"][0]["message"]
    with override_settings(DRF_GRAPHQL_CRUD={"INTROSPECTION": False}):
        error = post(client, DRF_URL, query).json()["errors"][0]
    assert error["message"] == "Cannot query field 'pin' on type 'Query'."


class Pet(graphene.Interface):
    name = graphene.String()


class Dog(graphene.ObjectType):
    class Meta:
        interfaces = (Pet,)

    @classmethod
    def is_type_of(cls, root, info):
        return root.get("kind") == "dog"


class BrokenQuery(graphene.ObjectType):
    pet = graphene.Field(Pet)
    dog = graphene.Field(Dog)
    guarded = graphene.String()
    count = graphene.Int(at_least=graphene.Int(required=True, default_value=1))

    def resolve_pet(root, info):
        return {"kind": "fish"}

    def resolve_dog(root, info):
        return {"kind": "cat"}

    def resolve_guarded(root, info):
        raise GraphQLError("broke", nodes=info.field_nodes)

    def resolve_count(root, info, at_least):
        return at_least


def test_graphql_errors_at_a_field_are_the_servers_and_at_a_value_the_requests(rf):
    """graphql-core's errors where a field runs: a runtime type it cannot resolve, or a
    resolver's own GraphQLError, are server errors; an argument it cannot coerce (located
    at the value) is the request's."""
    view = DRFGraphQLView.as_view(schema=graphene.Schema(query=BrokenQuery, types=[Dog]))
    body = {"query": "query($n: Int) { pet { name } dog { name } guarded count(atLeast: $n) }"}
    request = rf.post("/", json.dumps({**body, "variables": {"n": None}}), "application/json")
    errors = {
        error["path"][0]: error["extensions"]
        for error in json.loads(view(request).content)["errors"]
    }
    server = {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert errors == {
        "pet": server,
        "dog": server,
        "guarded": server,
        "count": {"code": "GRAPHQL_VALIDATION_FAILED", "status": 400},
    }


class FixedBuildContext(views.SerializedExecutionContext):
    """A project's context whose ``build`` keeps graphql-core 3.2's earlier signature."""

    @classmethod
    def build(
        cls,
        schema,
        document,
        root_value=None,
        context_value=None,
        raw_variable_values=None,
        operation_name=None,
        field_resolver=None,
        type_resolver=None,
        subscribe_field_resolver=None,
        max_coercion_errors=50,
        middleware=None,
        is_awaitable=None,
    ):
        return super().build(
            schema,
            document,
            root_value,
            context_value,
            raw_variable_values,
            operation_name,
            field_resolver,
            type_resolver,
            subscribe_field_resolver,
            max_coercion_errors,
            middleware,
            is_awaitable,
        )


@pytest.mark.skipif(
    not getattr(views, "_EXECUTE_HIDES_SUGGESTIONS", True),
    reason="this graphql-core's build() has another signature, and hides no suggestions",
)
@override_settings(DRF_GRAPHQL_CRUD={"INTROSPECTION": False})
def test_an_execution_context_of_a_fixed_signature_still_runs(rf):
    view = DRFGraphQLView.as_view(execution_context_class=FixedBuildContext)
    request = rf.post("/", '{"query": "{ ping }"}', content_type="application/json")
    assert json.loads(view(request).content) == {"data": {"ping": "pong"}}


@pytest.mark.skipif(
    not getattr(views, "_EXECUTE_HIDES_SUGGESTIONS", True),
    reason="this graphql-core always suggests",
)
def test_without_introspection_variable_errors_suggest_no_names(client):
    query = "mutation($input: TaskInput!) { createTask(input: $input) { task { id } } }"
    variables = {"input": {"titel": "x", "title": "x"}}
    message = post(client, DRF_URL, query, variables).json()["errors"][0]["message"]
    assert "Did you mean 'title'" in message
    with override_settings(DRF_GRAPHQL_CRUD={"INTROSPECTION": False}):
        message = post(client, DRF_URL, query, variables).json()["errors"][0]["message"]
    assert "titel" in message and "Did you mean" not in message


@override_settings(DRF_GRAPHQL_CRUD={"MAX_QUERY_DEPTH": 0})
def test_depth_errors_stop_where_validation_stops_by_default(client):
    query = " ".join(f"query Q{i} {{ a {{ b }} }}" for i in range(150))
    errors = post(client, DRF_URL, query).json()["errors"]
    assert len(errors) == 101
    assert errors[-1]["message"] == (
        "Too many validation errors, error limit reached. Validation aborted."
    )


@override_settings(DRF_GRAPHQL_CRUD={"MAX_QUERY_DEPTH": 0})
def test_graphenes_cap_on_validation_errors_bounds_depth_errors(client, monkeypatch):
    from graphene_django import settings as graphene_django_settings

    monkeypatch.setattr(
        graphene_django_settings.graphene_settings, "MAX_VALIDATION_ERRORS", 2, raising=False
    )
    query = " ".join(f"query Q{i} {{ a {{ b }} }}" for i in range(5))
    messages = [error["message"] for error in post(client, DRF_URL, query).json()["errors"]]
    assert messages == [
        "'Q0' exceeds maximum operation depth of 0.",
        "'Q1' exceeds maximum operation depth of 0.",
        "Too many validation errors, error limit reached. Validation aborted.",
    ]


def test_introspection_is_on_by_default(client):
    response = post(client, DRF_URL, "{ __schema { queryType { name } } }")
    assert response.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


# ------------------------------------------------------------------------------ document cache


def test_repeated_operation_skips_parse_and_validate(client, monkeypatch):
    parsed, validated = [], []
    real_parse, real_validate = views.parse, views.validate
    monkeypatch.setattr(views, "parse", lambda q, **kw: parsed.append(q) or real_parse(q, **kw))
    monkeypatch.setattr(
        views, "validate", lambda *a, **kw: validated.append(a) or real_validate(*a, **kw)
    )
    for _ in range(3):
        assert post(client, DRF_URL, "{ ping }").json() == {"data": {"ping": "pong"}}
    assert len(parsed) == 1
    assert len(validated) == 1
    assert DRFGraphQLView.document_cache.hits == 2


def test_the_cache_is_bounded_in_characters_too():
    cache_ = views.DocumentCache(maxsize=10, max_characters=100)
    for key in "abc":
        cache_.put(key, (None, []), 40)
    assert (len(cache_), cache_.get("a"), cache_.get("c")) == (2, None, (None, []))
    cache_.put("c", (None, []), 40)  # again: counted once
    cache_.put("huge", (None, []), 101)  # larger than the whole cache: not kept
    assert (len(cache_), cache_.get("b"), cache_.get("huge")) == (2, (None, []), None)


def test_a_cached_document_weighs_five_characters_a_token_at_least(client):
    """A parsed document's memory follows its tokens (300-650 bytes each), not its length:
    ``{ a a a ... }`` took 283 bytes a character, and filled the cache's budget 2.4 times
    over. Comments are dropped once parsed, and weigh nothing."""
    assert views.document_weight("x" * 100, 3) == 100  # its characters
    assert views.document_weight("{ a }", 5) == 25  # 5 a token, the start and end included
    DRFGraphQLView.document_cache.clear()
    query = "{" + " ping" * 40 + "}"  # 44 tokens, 202 characters
    post(client, DRF_URL, query + "\n#" * 1000)  # and 1,000 comments
    assert DRFGraphQLView.document_cache._characters == 2202  # the text: more than 5 × 44
    DRFGraphQLView.document_cache.clear()
    query = "{" + " p" * 400 + "}"
    post(client, DRF_URL, query)
    assert DRFGraphQLView.document_cache._characters == 5 * 404


def test_node_caches_start_over_at_either_bound():
    from drf_graphql_crud.execution import NodeCache

    # Spans 1 and 7, and the document's 13 characters, which every node holds.
    nodes = parse("{ a b { c } }").definitions[0].selection_set.selections
    cache_ = NodeCache(max_entries=2, max_characters=25)
    cache_.put("a", 1, (nodes[0],))
    cache_.put("b", 2, (nodes[1],))
    assert (dict(cache_), cache_.characters) == ({"a": 1, "b": 2}, 13 + 1 + 7)
    cache_.put("b again", 3, (nodes[1],))  # 28 characters: starts over
    assert (dict(cache_), cache_.characters) == ({"b again": 3}, 13 + 7)
    cache_.put("a again", 4, (nodes[0],))
    cache_.put("a once more", 5, (nodes[0],))  # a third entry: starts over
    assert dict(cache_) == {"a once more": 5}


def test_a_node_cache_entry_too_large_to_keep_leaves_the_others():
    from drf_graphql_crud.execution import NodeCache

    small, large = parse("{ a b { c d e f } }").definitions[0].selection_set.selections
    cache_ = NodeCache(max_entries=5, max_characters=29)
    cache_.put("small", 1, (small,))
    cache_.put("large", 2, (large,))  # 11 characters and the document's 19: never kept
    assert (dict(cache_), cache_.characters) == ({"small": 1}, 19 + 1)


@pytest.mark.urls(__name__)
def test_large_documents_sent_to_fill_memory_are_let_go(client, monkeypatch):
    """Parsed documents take ~120 bytes per character: distinct large ones (within every
    limit) sent one after another must not pile up, in the document cache (valid or not)
    nor in what execution shares between requests (whose entries hold syntax nodes)."""
    from drf_graphql_crud import execution, queries

    budget = 30_000
    monkeypatch.setattr(DRFGraphQLView.document_cache, "max_characters", budget)
    for cache_ in (execution._shared_plans, execution._shared_subfields, queries._selections):
        monkeypatch.setattr(cache_, "max_characters", budget)
    task = TaskFactory()
    padding = "\n#" * 5_000  # comments: tokens the parser links to all the others
    values = ",".join(["1"] * 3_000)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(12):
            query = f'query Q{i} {{ statusOnly(id: "{task.pk}") {{ id status }} }}{padding}'
            assert post(client, "/graphql/", query).json()["data"]["statusOnly"]["id"]
            invalid = f"query I{i} {{ nope(values: [{values}]) }}{padding}"
            assert post(client, "/graphql/", invalid).status_code == 400
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # Four budgets at ~130 bytes a character, at most (39 MB were kept before the bounds).
    assert kept < 4 * budget * 130 + 3_000_000, f"{kept / 1e6:.1f} MB kept"


def test_cache_is_bounded():
    cache_ = views.DocumentCache(maxsize=2)
    for key in "abc":
        cache_.put(key, (None, []))
    assert len(cache_) == 2
    assert cache_.get("a") is None
    assert cache_.get("c") == (None, [])


def test_invalid_document_is_cached_with_its_errors(client):
    for _ in range(2):
        response = post(client, DRF_URL, "{ nope }")
        assert response.status_code == 400
        assert (
            response.json()["errors"][0]["message"] == "Cannot query field 'nope' on type 'Query'."
        )


# ------------------------------------------------------------------------------ bad requests


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b'{"query": ', "application/json", "POST body sent invalid JSON."),
        (b"{}", "application/json", "Must provide query string."),
        (b"[1, 2]", "application/json", "The received data is not a valid JSON query."),
        (b"\xff\xfe{", "application/graphql", "The request body is not UTF-8."),
        (b'{"query": 5}', "application/json", "The query must be a string."),
    ],
)
@override_settings(DEBUG=False)
def test_malformed_bodies_get_a_clean_400(client, body, content_type, message):
    response = client.post(DRF_URL, body, content_type=content_type)
    assert response.status_code == 400
    payload = response.json()
    assert payload["errors"][0]["message"] == message
    assert "Traceback" not in response.content.decode()


def test_malformed_multipart_gets_a_clean_400(client):
    response = client.post(DRF_URL, {"operations": "{not json", "map": "{}"})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "Invalid multipart GraphQL request: operations and map must be JSON.",
                "extensions": {"code": "BAD_REQUEST", "status": 400},
            }
        ]
    }
    response = client.post(
        DRF_URL,
        {
            "operations": json.dumps({"query": "mutation { ping }", "variables": {"f": None}}),
            "map": json.dumps({"0": ["variables.f"]}),
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].endswith("no file part named '0'.")
    # A batch (a list), or JSON that is no operation, is refused as the same JSON body is.
    for operations in ([{"query": "{ ping }"}], 5, "x", None, True):
        response = client.post(DRF_URL, {"operations": json.dumps(operations), "map": "{}"})
        assert (response.status_code, response.json()) == (
            400,
            {
                "errors": [
                    {
                        "message": "The received data is not a valid JSON query.",
                        "extensions": {"code": "BAD_REQUEST", "status": 400},
                    }
                ]
            },
        )


def test_mutation_over_get_is_refused(client):
    response = client.get(DRF_URL, {"query": DEEP})
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"] == {
        "code": "METHOD_NOT_ALLOWED",  # DRF's code for a 405
        "status": 405,
    }
    assert Task.objects.count() == 0


# ------------------------------------------------------------------------------ uploads


def test_multipart_upload_reaches_the_file_field(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    query = 'mutation($file: Upload) { createDocument(input: {name: "Notes", file: $file}) { document { id name file } } }'  # noqa: E501
    response = client.post(
        DRF_URL,
        {
            "operations": json.dumps({"query": query, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
            "0": SimpleUploadedFile("notes.txt", b"hello upload", content_type="text/plain"),
        },
    )
    assert response.status_code == 200, response.content
    document = Document.objects.get()
    assert document.file.read() == b"hello upload"
    assert response.json() == {
        "data": {
            "createDocument": {
                "document": {
                    "id": str(document.pk),
                    "name": "Notes",
                    "file": f"http://testserver/media/{document.file.name}",
                }
            }
        }
    }


@pytest.mark.parametrize("filename", [":", "a." + "x" * 97])
def test_an_upload_name_the_storage_refuses_is_the_clients_error(
    client, settings, tmp_path, caplog, filename
):
    """ ":" leaves no name; 99 characters under the field's directory leave no room to make
    it unique. Django's storage raises SuspiciousFileOperation, which REST answers with a
    400 (logged under django.security): a VALIDATION_ERROR, without the server's path."""
    settings.MEDIA_ROOT = str(tmp_path)
    query = 'mutation($file: Upload) { createDocument(input: {name: "N", file: $file}) { document { id } } }'  # noqa: E501
    response = client.post(
        DRF_URL,
        {
            "operations": json.dumps({"query": query, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
            "0": SimpleUploadedFile(filename, b"hello", content_type="text/plain"),
        },
    )
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "VALIDATION_ERROR"
    assert error["extensions"]["errors"] == [
        {
            "field": None,
            "message": "A value in the input cannot be stored or looked up.",
            "code": "invalid",
        }
    ]
    assert str(tmp_path) not in response.content.decode()
    assert not Document.objects.exists()
    assert [record.name for record in caplog.records if record.levelname == "ERROR"] == [
        "django.security.SuspiciousFileOperation"
    ]


def masked_csrf_token(client):
    """A CSRF cookie on ``client`` and the masked token a form would post with it."""
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    return _mask_cipher_secret(secret)


def test_a_session_form_posts_its_csrf_token_in_the_body_as_to_rest(settings, tmp_path):
    """Django's CSRF check, which DRF's SessionAuthentication runs, reads a form's
    ``csrfmiddlewaretoken``: a multipart upload or a urlencoded form may carry it."""
    settings.MEDIA_ROOT = str(tmp_path)
    client = Client(enforce_csrf_checks=True)
    user = UserFactory()
    client.force_login(user)
    token = masked_csrf_token(client)
    rest = client.post(
        "/api/projects/", {"slug": "by-rest", "name": "R", "csrfmiddlewaretoken": token}
    )
    assert rest.status_code == 201, rest.content
    query = 'mutation($file: Upload) { createDocument(input: {name: "N", file: $file}) { document { name } } }'  # noqa: E501
    response = client.post(
        DRF_URL,
        {
            "operations": json.dumps({"query": query, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
            "0": SimpleUploadedFile("n.txt", b"n", content_type="text/plain"),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.json() == {"data": {"createDocument": {"document": {"name": "N"}}}}
    response = client.post(
        DRF_URL,
        urlencode({"query": CREATE, "csrfmiddlewaretoken": token}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.content
    assert Task.objects.get().owner == user
    # Without it, the upload is refused and nothing is stored.
    response = client.post(
        DRF_URL,
        {
            "operations": json.dumps({"query": query, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
            "0": SimpleUploadedFile("refused.txt", b"r", content_type="text/plain"),
        },
    )
    assert response.status_code == 403
    assert Document.objects.count() == 1
    assert sorted(path.name for path in tmp_path.rglob("*.txt")) == ["n.txt"]


@pytest.mark.parametrize("spooled", [False, True], ids=["in-memory", "on-disk"])
def test_one_file_mapped_to_two_paths_fills_both(client, settings, tmp_path, spooled):
    """The multipart spec lets one part fill several paths; a file Django spooled to disk is
    moved by the first save, so each path has its own copy."""
    settings.MEDIA_ROOT = str(tmp_path)
    if spooled:
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    query = (
        "mutation($a: Upload, $b: Upload) { "
        'a: createDocument(input: {name: "A", file: $a}) { document { name } } '
        'b: createDocument(input: {name: "B", file: $b}) { document { name } } }'
    )
    response = client.post(
        DRF_URL,
        {
            "operations": json.dumps({"query": query, "variables": {"a": None, "b": None}}),
            "map": json.dumps({"0": ["variables.a", "variables.b"]}),
            "0": SimpleUploadedFile("same.txt", b"shared", content_type="text/plain"),
        },
    )
    assert response.json() == {
        "data": {"a": {"document": {"name": "A"}}, "b": {"document": {"name": "B"}}}
    }
    files = [document.file for document in Document.objects.order_by("name")]
    assert [file.read() for file in files] == [b"shared", b"shared"]
    assert files[0].name != files[1].name


@pytest.mark.parametrize(
    ("files_map", "message"),
    [
        (
            {"0": ["variables.nope"]},
            "the map path 'variables.nope' names nothing in the operations.",
        ),
        ({"0": ["variables.f.x"]}, "the map path 'variables.f.x' names nothing in the operations."),
        ({"0": "variables.f"}, "the map must give a list of paths for file part '0'."),
        ({"0": [5]}, "the map must give a list of paths for file part '0'."),
        (["variables.f"], "the map must be an object."),
        ({"1": ["variables.f"]}, "no file part named '1'."),
    ],
)
def test_a_map_that_does_not_fit_says_what_is_wrong(client, files_map, message):
    response = client.post(
        DRF_URL,
        {
            "operations": json.dumps({"query": "mutation { ping }", "variables": {"f": None}}),
            "map": json.dumps(files_map),
            "0": SimpleUploadedFile("f.txt", b"f", content_type="text/plain"),
        },
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "errors": [
                {
                    "message": f"Invalid multipart GraphQL request: {message}",
                    "extensions": {"code": "BAD_REQUEST", "status": 400},
                }
            ]
        },
    )


def test_copies_of_a_part_count_against_the_files_a_request_may_hold(client, settings, monkeypatch):
    """Each path a part fills gets an upload of its own: one part mapped to 100,000 paths
    would make 100,000 of them (open handles on a temporary file), where Django lets a
    request hold ``DATA_UPLOAD_MAX_NUMBER_FILES`` files. Refused before any is made."""
    copies = []
    shared = views._shared_upload
    monkeypatch.setattr(views, "_shared_upload", lambda *args: copies.append(args) or shared(*args))
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 100
    for paths, status in ((100, 200), (101, 400)):
        response = client.post(
            DRF_URL,
            {
                "operations": json.dumps({"query": "{ ping }", "variables": {"f": [None] * paths}}),
                "map": json.dumps({"0": [f"variables.f.{i}" for i in range(paths)]}),
                "0": SimpleUploadedFile("x.bin", b"x" * 5_000),
            },
        )
        assert response.status_code == status
    assert response.json()["errors"][0]["message"] == (
        "Invalid multipart GraphQL request: with a file of its own at each of its paths, it "
        "would hold 101 files; a request may hold at most 100 (DATA_UPLOAD_MAX_NUMBER_FILES)."
    )
    assert len(copies) == 99  # the first request's
    # Parts received count too: three parts, one of them mapped to three paths, are five.
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 4
    parts = {str(n): SimpleUploadedFile(f"{n}.bin", b"x") for n in range(3)}
    response = client.post(
        DRF_URL,
        {
            "operations": json.dumps({"query": "{ ping }", "variables": {"f": [None] * 3}}),
            "map": json.dumps({"0": ["variables.f.0", "variables.f.1", "variables.f.2"]}),
            **parts,
        },
    )
    assert "it would hold 5 files" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("spooled", [False, True], ids=["in-memory", "on-disk"])
def test_a_part_filling_many_paths_is_not_copied(client, settings, monkeypatch, spooled):
    """One 2 MB part mapped to 50 paths held 100 MB of copies (in memory, or temporary
    files) for 2 MB sent; the paths now share its content."""
    import tracemalloc

    from django.core.files import uploadedfile

    spooled_files = []
    original_init = uploadedfile.TemporaryUploadedFile.__init__

    def counting_init(self, *args, **kwargs):
        spooled_files.append(args[0])
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", counting_init)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0 if spooled else 10_000_000
    size, paths = 2_000_000, 50
    data = {
        "operations": json.dumps({"query": "{ ping }", "variables": {"f": [None] * paths}}),
        "map": json.dumps({"0": [f"variables.f.{i}" for i in range(paths)]}),
        "0": SimpleUploadedFile("x.bin", b"x" * size),
    }
    tracemalloc.start()
    try:
        response = client.post(DRF_URL, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.json() == {"data": {"ping": "pong"}}
    assert peak < 12 * size  # the body as the client encodes it and Django parses it
    assert spooled_files == (["x.bin"] if spooled else [])


def test_an_upload_written_in_the_document_is_a_request_error(client):
    """Files come through variables. graphene-file-upload's ``Upload`` cannot read a
    literal once the operation has variables (graphql-core then passes them along): the
    argument cannot be coerced, which is the request's fault, not a server error."""
    query = (
        'mutation($name: String!) { createDocument(input: {name: $name, file: "abc"}) '
        "{ document { id } } }"
    )
    body = post(client, DRF_URL, query, {"name": "x"}).json()
    assert body["data"] == {"createDocument": None}
    assert body["errors"][0]["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED", "status": 400}
    assert not Document.objects.exists()


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_body_with_what_json_has_not_is_refused_as_rest_refuses_it(client, settings, constant):
    """``NaN`` and the infinities are no JSON (RFC 8259): DRF's parser refuses them under
    ``STRICT_JSON`` (the default) with a 400; graphene-django reads them as floats, which a
    text field then saved as "nan"."""
    client.force_login(UserFactory())
    rest = client.post("/api/tasks/", f'{{"title": {constant}}}', content_type="application/json")
    query = "mutation($input: EchoInput!) { echo(input: $input) { echo { json } } }"
    body = f'{{"query": "{query}", "variables": {{"input": {{"json": {{"a": {constant}}}}}}}}}'
    response = client.post(DRF_URL, body, content_type="application/json")
    message = f"JSON parse error - Out of range float values are not JSON compliant: '{constant}'"
    assert (rest.status_code, rest.json()["detail"]) == (400, message)
    assert bad_request(response) == message
    variables = json.dumps({"input": {"json": {"a": 1}}}).replace("1", constant)
    response = client.get(DRF_URL, {"query": "{ ping }", "variables": variables})
    assert bad_request(response) == f"Variables are invalid JSON: {message[19:]}"
    # The words in a string are text, and a project that turns STRICT_JSON off takes them.
    text = json.dumps({"query": query, "variables": {"input": {"json": {"a": constant}}}})
    assert post_raw(client, text).json()["data"]["echo"]["echo"]["json"] == {"a": constant}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "STRICT_JSON": False}
    assert post_raw(client, body).status_code == 200


def test_variables_nested_too_deeply_are_a_bad_request(client, caplog):
    """JSON's parser reads about 900 levels; DRF's JSONField and the output walk the value
    again further down the stack, where ~905 levels were a RecursionError, logged and
    answered as a server error. Past 512 levels the variables are refused."""
    query = "mutation($input: EchoInput!) { echo(input: $input) { echo { json } } }"

    def nested(depth):
        return json.loads("[" * depth + "1" + "]" * depth)

    for depth in (512, 513, 910):
        body = json.dumps({"query": query, "variables": {"input": {"json": nested(depth - 2)}}})
        response = post_raw(client, body)
        if depth == 512:  # the variables, the input, then 510 lists
            assert response.json()["data"]["echo"]["echo"]["json"] == nested(depth - 2)
        else:
            assert bad_request(response) == "The variables are nested too deeply."
    # No server error: Django's own "Bad Request" warnings are all that is logged.
    assert [record.levelname for record in caplog.records] == ["WARNING", "WARNING"]


def test_variables_text_that_is_no_json_is_a_bad_request(client):
    """A lone surrogate in variables given as text (the words NaN and Infinity are looked
    for in it): the same clean 400 as for any text that is no JSON."""
    for variables in ("\ud800", "NaN \udfff"):
        body = json.dumps({"query": "{ ping }", "variables": variables})
        assert bad_request(post_raw(client, body)).startswith("Variables are invalid JSON")


class StoredQueries(GraphQLView):
    """A project's view mixin: ``id`` names a stored document (persisted queries)."""

    def get_graphql_params(self, request, data):
        query, variables, operation_name, id_ = super().get_graphql_params(request, data)
        return query or {"ping-query": "{ ping }"}.get(id_), variables, operation_name, id_


class StaticStoredQueriesView(DRFGraphQLView):
    """The same, written as graphene-django defines the method: a staticmethod."""

    @staticmethod
    def get_graphql_params(request, data):
        query, variables, operation_name, id_ = DRFGraphQLView.get_graphql_params(request, data)
        return query or {"ping-query": "{ ping }"}.get(id_), variables, operation_name, id_


@pytest.mark.parametrize(
    "view_class",
    [type("StoredQueriesView", (DRFGraphQLView, StoredQueries), {}), StaticStoredQueriesView],
)
def test_a_projects_own_params_are_used(rf, view_class):
    request = rf.post("/", '{"id": "ping-query"}', content_type="application/json")
    assert json.loads(view_class.as_view()(request).content) == {"data": {"ping": "pong"}}


# One operation posted is answered without graphene-django's get_response (and its failed
# lookups of an empty query string), answering as it does: each request below, through the
# view with that path and with graphene-django's own, gets the same status, type and bytes.
_POSTED = [
    ("", "application/json", '{"query": "{ ping }"}', {}),
    ("", "application/json", '{"query": "{ ping }", "operationName": "null"}', {}),
    (
        "",
        "application/json",
        '{"query": "query A { a: ping } query B { b: ping }", "operationName": "B"}',
        {},
    ),
    ("", "application/json", '{"query": "query A { ping } query B { ping }"}', {}),
    ("", "application/json", '{"query": "{ nope }"}', {}),
    ("", "application/json", '{"query": "{ ping", "variables": null}', {}),
    ("", "application/json", '{"query": "mutation { deleteTask(id: 999999) { deletedId } }"}', {}),
    ("", "application/json", '{"query": "mutation { createTask(input: {}) { task { id } } }"}', {}),
    ("", "application/json", '{"query": "{ ping }", "variables": "{\\"a\\": 1}"}', {}),
    ("", "application/json", '{"query": "{ ping }", "variables": "not json"}', {}),
    ("", "application/json", '{"query": "{ ping }", "variables": [1]}', {}),
    ("", "application/json", "[1]", {}),
    ("", "application/json", "nope", {}),
    ("", "application/json", "{}", {}),
    ("", "application/json", '{"query": 5}', {}),
    ("", "application/graphql", "{ ping }", {}),
    ("", "application/x-www-form-urlencoded", "query=%7B+ping+%7D", {}),
    ("", "text/plain", "{ ping }", {}),
    ("?query=%7B+a%3A+ping+%7D", "application/json", '{"query": "{ b: ping }"}', {}),
    (
        "?operationName=B",
        "application/json",
        '{"query": "query A { a: ping } query B { b: ping }"}',
        {},
    ),
    ("?pretty=1", "application/json", '{"query": "{ ping }"}', {}),
    ("?raw", "application/json", '{"query": "{ ping }"}', {"HTTP_ACCEPT": "text/html"}),
    ("", "application/json", '{"query": "{ ping }"}', {"HTTP_ACCEPT": "text/html"}),
    ("", "application/json", '{"query": "{ ping }"}', {"HTTP_ACCEPT": "application/json"}),
]


@pytest.mark.parametrize("graphiql", [False, True])
@pytest.mark.parametrize(("query_string", "content_type", "body", "headers"), _POSTED)
def test_a_posted_operation_is_answered_as_graphene_django_answers_it(
    rf, monkeypatch, graphiql, query_string, content_type, body, headers
):
    view = DRFGraphQLView.as_view(graphiql=graphiql)

    def answer():
        request = rf.post(f"/graphql/{query_string}", body, content_type=content_type, **headers)
        request.user = AnonymousUser()
        request.session = {}
        response = view(request)
        content = response.content
        if response["Content-Type"].startswith("text/html"):  # GraphiQL's page
            content = content.split(b"csrf", 1)[0]  # each page has a token of its own
        return response.status_code, response["Content-Type"], content

    direct = answer()
    monkeypatch.setattr(views, "_answers_as_graphene_django", lambda view: False)
    assert direct == answer()


@pytest.mark.parametrize(
    ("initkwargs", "graphene_settings", "message"),
    [
        ({"schema": "tests.testapp.schema.schema"}, "unchanged",
         "DRFGraphQLView.as_view(schema=...) takes a graphene.Schema, not "
         "'tests.testapp.schema.schema': import the schema object"),
        ({}, {}, "DRFGraphQLView.as_view() has no schema: give schema=..., or name one in "
         "GRAPHENE['SCHEMA']."),
        ({}, None, "DRFGraphQLView.as_view() has no schema"),
        ({"graphiql": True, "batch": True}, "unchanged",
         "DRFGraphQLView.as_view(): graphiql and batch cannot go together"),
    ],
)  # fmt: skip
def test_a_view_without_a_schema_it_could_serve_is_refused_when_the_urlconf_loads(
    settings, initkwargs, graphene_settings, message
):
    """graphene-django would find out on every request, each a 500."""
    if graphene_settings != "unchanged":
        settings.GRAPHENE = graphene_settings
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        DRFGraphQLView.as_view(**initkwargs)


class SchemaOfItsOwn(DRFGraphQLView):
    def __init__(self, **kwargs):
        kwargs.setdefault("schema", testapp_schema)
        super().__init__(**kwargs)


def test_a_view_whose_init_gives_the_schema_is_served(settings, rf):
    settings.GRAPHENE = {}
    view = SchemaOfItsOwn.as_view()
    request = rf.post("/", '{"query": "{ __typename }"}', content_type="application/json")
    assert json.loads(view(request).content) == {"data": {"__typename": "Query"}}


def test_a_posted_operation_skips_graphene_django_get_response(rf, monkeypatch):
    """What the speed rests on: a plain view answers without calling it."""

    def unused(*args, **kwargs):
        raise AssertionError("graphene-django's get_response ran")

    monkeypatch.setattr(GraphQLView, "get_response", unused)
    request = rf.post("/", '{"query": "{ ping }"}', content_type="application/json")
    assert json.loads(DRFGraphQLView.as_view()(request).content) == {"data": {"ping": "pong"}}


class FixedSignatureExecute(DRFGraphQLView):
    """A project's override with graphene-django's parameters and no default of its own."""

    def execute_graphql_request(self, request, data, query, variables, operation_name, show):
        return super().execute_graphql_request(
            request, data, query, variables, operation_name, show
        )


class PrettyUnlessTold(DRFGraphQLView):
    """A project's ``json_encode`` whose own default differs from what graphene-django passes."""

    def json_encode(self, request, d, pretty=None):
        return super().json_encode(request, d, pretty=True if pretty is None else pretty)


@pytest.mark.parametrize("view_class", [FixedSignatureExecute, PrettyUnlessTold])
def test_a_projects_hooks_are_called_as_graphene_django_calls_them(rf, monkeypatch, view_class):
    def answer():
        request = rf.post("/", '{"query": "{ ping }"}', content_type="application/json")
        response = view_class.as_view()(request)
        return response.status_code, response.content

    assert answer() == (200, b'{"data":{"ping":"pong"}}')
    monkeypatch.setattr(views, "_answers_as_graphene_django", lambda view: False)
    assert answer() == (200, b'{"data":{"ping":"pong"}}')


class UnescapedJSON(DRFGraphQLView):
    """A project's ``json_encode`` writing text beyond ASCII as it is."""

    def json_encode(self, request, d, pretty=False):
        return json.dumps(d, ensure_ascii=False, separators=(",", ":")).replace("pong", "pöng")


@pytest.mark.parametrize("charset", ["utf-8", "latin-1"])
def test_an_answer_is_encoded_in_the_default_charset_as_django_encodes_it(
    rf, monkeypatch, settings, charset
):
    settings.DEFAULT_CHARSET = charset

    def answer():
        request = rf.post("/", '{"query": "{ ping }"}', content_type="application/json")
        response = UnescapedJSON.as_view()(request)
        return response.status_code, response["Content-Type"], response.content

    expected = (200, "application/json", '{"data":{"ping":"pöng"}}'.encode(charset))
    assert answer() == expected
    monkeypatch.setattr(views, "_answers_as_graphene_django", lambda view: False)
    assert answer() == expected


def test_a_query_string_set_on_the_request_is_read_as_django_parsed_one(rf):
    """Only a request without a query string skips building ``request.GET``: one a test or
    a middleware set is read."""
    request = rf.post("/", '{"query": "{ a: ping }"}', content_type="application/json")
    request.GET = QueryDict("query=%7B+b%3A+ping+%7D&pretty=1")
    response = DRFGraphQLView.as_view()(request)
    assert response.status_code == 200
    assert json.loads(response.content) == {"data": {"b": "pong"}}
    assert response.content.startswith(b'{\n  "data"')  # pretty=1 read too


class Enveloped(GraphQLView):
    """A project's mixin answering through graphene-django's ``get_response``."""

    def get_response(self, request, data, show_graphiql=False):
        result, status = super().get_response(request, data, show_graphiql)
        return f'{{"envelope":{result}}}', status


class ProjectDisplayRule(GraphQLView):
    """A project's mixin that shows GraphiQL for ``?page``, whatever the Accept header."""

    @classmethod
    def can_display_graphiql(cls, request, data):
        return "page" in request.GET


@pytest.mark.parametrize(
    ("view_class", "query_string", "expected"),
    [
        (type("EnvelopedView", (DRFGraphQLView, Enveloped), {}), "",
         b'{"envelope":{"data":{"ping":"pong"}}}'),
        (type("PagedView", (ProjectDisplayRule, DRFGraphQLView), {}), "?page", b"<!--\nThe request"),
    ],
)  # fmt: skip
def test_a_projects_own_answer_hooks_are_used(rf, view_class, query_string, expected):
    request = rf.post(f"/{query_string}", '{"query": "{ ping }"}', content_type="application/json")
    request.user = AnonymousUser()
    request.session = {}
    response = view_class.as_view(graphiql=True)(request)
    assert response.content.lstrip().startswith(expected)


def test_execution_contexts_are_not_kept_alive(rf):
    context_class = type("PerViewContext", (views.SerializedExecutionContext,), {})
    view = DRFGraphQLView.as_view(execution_context_class=context_class)
    with override_settings(DRF_GRAPHQL_CRUD={"INTROSPECTION": False}):
        view(rf.post("/", '{"query": "{ ping }"}', content_type="application/json"))
    kept = weakref.ref(context_class)
    del view, context_class
    gc.collect()
    assert kept() is None


def post_raw(client, body):
    return client.post(DRF_URL, body, content_type="application/json")


# ------------------------------------------------------------------------------ oversized documents


def test_oversized_document_is_refused_before_parsing(client, monkeypatch):
    parsed = []
    monkeypatch.setattr(views, "parse", lambda *a, **k: parsed.append(a))
    response = post(client, DRF_URL, "{ ping }" + " " * 200_000)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "The query is longer than 100000 characters."
    assert parsed == []


def test_lowered_document_limits_apply_to_cached_documents(client, settings):
    query = "{ ping }" + " " * 60
    for document in (query, "{ ping }"):  # now in the document cache
        assert post(client, DRF_URL, document).json() == {"data": {"ping": "pong"}}
    settings.DRF_GRAPHQL_CRUD = {"MAX_QUERY_LENGTH": 50}
    response = post(client, DRF_URL, query)
    assert response.json()["errors"][0]["message"] == "The query is longer than 50 characters."
    settings.DRF_GRAPHQL_CRUD = {"MAX_QUERY_TOKENS": 1}
    response = post(client, DRF_URL, "{ ping }")
    assert "tokens" in response.json()["errors"][0]["message"]


def test_cached_documents_belong_to_their_schema_object():
    """Keyed by the schema itself, not its id: a schema made after another was collected
    may get the same id, and must not be answered with the other's validation."""
    view = DRFGraphQLView(schema=graphene.Schema(query=UnrenderedQuery))
    view.parse_and_validate("{ statusOnly(id: 1) { id } }")
    keys = list(DRFGraphQLView.document_cache._entries)
    assert keys[-1][0] is view.schema.graphql_schema


def test_document_with_too_many_tokens_is_refused(client):
    aliases = " ".join(f"a{index}: ping" for index in range(10_000))
    response = post(client, DRF_URL, f"{{ {aliases} }}"[:99_000] + " }")
    assert response.status_code == 400
    assert "Document contains more than 10000 tokens" in response.json()["errors"][0]["message"]


@override_settings(
    DRF_GRAPHQL_CRUD={
        "MAX_QUERY_TOKENS": None,
        "MAX_QUERY_LENGTH": None,
        "MAX_ALIASES": None,
        "MAX_QUERY_FIELDS": None,
    }
)
def test_document_limits_can_be_lifted(client):
    aliases = " ".join(f"a{index}: ping" for index in range(3_000))
    response = post(client, DRF_URL, f"{{ {aliases} }}")
    assert response.status_code == 200
    assert len(response.json()["data"]) == 3_000


def test_api_answers_set_no_csrf_cookie_but_graphiql_does(client):
    response = post(client, DRF_URL, "{ ping }")
    assert "csrftoken" not in response.cookies
    page = DRFGraphQLView.as_view(graphiql=True)
    request = RequestFactory().get("/graphql/", HTTP_ACCEPT="text/html")
    request.user = UserFactory()
    request.session = {}
    response = page(request)
    assert response.status_code == 200
    assert "csrftoken" in response.cookies


# ------------------------------------------------------------------------------ aliases


def aliased(count, fragment=False):
    fields = " ".join(f"a{i}: ping" for i in range(count))
    if fragment:
        return f"query Many {{ ...F ...F }} fragment F on Query {{ {fields} }}"
    return f"{{ {fields} }}"


@override_settings(DRF_GRAPHQL_CRUD={"MAX_ALIASES": 3})
@pytest.mark.parametrize(
    ("query", "message"),
    [
        (aliased(4), "The operation has 4 aliases; at most 3 are allowed."),
        (aliased(2, fragment=True), "The operation 'Many' has 4 aliases; at most 3 are allowed."),
    ],
    ids=["fields", "fragment-spread-twice"],
)
def test_operations_with_too_many_aliases_are_refused(client, query, message):
    response = post(client, DRF_URL, query)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "message": message,
            "locations": [{"line": 1, "column": 1}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED", "status": 400},
        }
    ]


@override_settings(DRF_GRAPHQL_CRUD={"MAX_ALIASES": 3})
def test_operations_at_the_alias_cap_run(client):
    response = post(client, DRF_URL, aliased(3))
    assert response.json() == {"data": {"a0": "pong", "a1": "pong", "a2": "pong"}}


def test_the_alias_cap_is_100_by_default_and_can_be_lifted(client):
    assert post(client, DRF_URL, aliased(100)).status_code == 200
    assert post(client, DRF_URL, aliased(101)).status_code == 400
    with override_settings(DRF_GRAPHQL_CRUD={"MAX_ALIASES": None}):
        assert post(client, DRF_URL, aliased(101)).status_code == 200


# ------------------------------------------------------------------------------ JSON encoding


class UnrenderedValuesSerializer(serializers.ModelSerializer):
    """Method fields without annotations hand their values over as they are."""

    when = serializers.SerializerMethodField()
    amount = serializers.SerializerMethodField()
    token = serializers.SerializerMethodField()
    labels = serializers.SerializerMethodField()
    took = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "when", "amount", "token", "labels", "took"]

    def get_when(self, task):
        return datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.timezone.utc)

    def get_amount(self, task):
        return decimal.Decimal("12.50")

    def get_token(self, task):
        return uuid.UUID(int=7)

    def get_labels(self, task):
        return {"only"}

    def get_took(self, task):
        return {"nested": [datetime.date(2026, 3, 1), datetime.timedelta(seconds=90)]}


class StatusOnlySerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "status"]


class NullableStatusSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=Task.Status.choices, allow_null=True)

    class Meta:
        model = Task
        fields = ["id", "status"]


class NotANumberSerializer(serializers.ModelSerializer):
    ratio = serializers.SerializerMethodField()  # no annotation: JSONValue

    class Meta:
        model = Task
        fields = ["id", "ratio"]

    def get_ratio(self, task):
        return float("nan")  # no JSON holds it


class NotAListSerializer(serializers.ModelSerializer):
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "counts"]

    def get_counts(self, task) -> list[int] | None:
        return 5  # a bug: REST renders it, the field's type cannot


class NullRow(graphene.ObjectType):
    name = graphene.String(required=True)

    def resolve_name(root, info):
        return None  # a bug: the type says never null


class UnrenderedQuery(graphene.ObjectType):
    not_lists = ListField(NotAListSerializer)
    null_rows = graphene.List(NullRow)

    def resolve_null_rows(root, info):
        return [NullRow()] * 3

    unrendered = RetrieveField(UnrenderedValuesSerializer)
    status_only = RetrieveField(StatusOnlySerializer)
    nullable_statuses = ListField(NullableStatusSerializer)
    not_numbers = ListField(NotANumberSerializer)


class UnrenderedViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnrenderedValuesSerializer
    queryset = Task.objects.all()


unrendered_router = DefaultRouter()
unrendered_router.register("unrendered", UnrenderedViewSet, basename="unrendered")


class StatusOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StatusOnlySerializer
    queryset = Task.objects.all()


unrendered_router.register("status-only", StatusOnlyViewSet, basename="status-only")


class ArchivedStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["status"]


class ArchivingSerializer(serializers.ModelSerializer):
    """Saves a status no longer in ``choices``: the payload's enum cannot represent it,
    on the payload's object (``status``) and on the object below it (``same.status``)."""

    same = ArchivedStatusSerializer(source="*", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "status", "same"]

    def create(self, validated_data):
        return super().create({**validated_data, "status": "archived"})


class CreateArchived(CreateMutation):
    class Meta:
        serializer_class = ArchivingSerializer


class UnrenderedMutation(graphene.ObjectType):
    create_archived = CreateArchived.Field()


class RefusesWithADict(BaseAuthentication):
    """As simplejwt's ``InvalidToken``: a refusal whose detail is a dict."""

    def authenticate(self, request):
        if request.META.get("HTTP_AUTHORIZATION"):
            raise AuthenticationFailed(
                {"detail": "Given token not valid.", "code": "token_not_valid"}
            )
        return None

    def authenticate_header(self, request):
        return "Bearer"


class SessionFirstView(APIView):
    """REST's answer to the same authentication classes."""

    authentication_classes = [SessionAuthentication, TokenAuthentication]

    def post(self, request):
        return Response({})


unrendered_schema = graphene.Schema(query=UnrenderedQuery, mutation=UnrenderedMutation)
urlpatterns = [
    path("graphql/", DRFGraphQLView.as_view(schema=unrendered_schema)),
    path(
        "dict-refusal-graphql/",
        DRFGraphQLView.as_view(schema=unrendered_schema, authentication_classes=[RefusesWithADict]),
    ),
    path("plain-graphql/", csrf_exempt(GraphQLView.as_view(schema=unrendered_schema))),
    path("api/", include(unrendered_router.urls)),
    path("batch-graphql/", DRFGraphQLView.as_view(schema=unrendered_schema, batch=True)),
    path(
        "session-first-graphql/",
        DRFGraphQLView.as_view(
            schema=unrendered_schema,
            authentication_classes=[SessionAuthentication, TokenAuthentication],
        ),
    ),
    path("session-first-api/", SessionFirstView.as_view()),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/graphql/", "/graphql/?pretty=1", "/plain-graphql/"])
def test_unrendered_values_are_written_as_rest_writes_them(client, url):
    """Under graphene-django's own view too, whose encoder knows no Decimal or datetime."""
    task = TaskFactory()
    rest = client.get(f"/api/unrendered/{task.pk}/").json()
    assert rest == {
        "id": task.pk,
        "when": "2026-03-01T12:30:00Z",
        "amount": 12.5,
        "token": str(uuid.UUID(int=7)),
        "labels": ["only"],
        "took": {"nested": ["2026-03-01", "90.0"]},
    }
    response = post(
        client,
        url,
        f'{{ unrendered(id: "{task.pk}") {{ when amount token labels took }} }}',
    )
    assert response.status_code == 200
    expected = {key: value for key, value in rest.items() if key != "id"}
    assert response.json() == {"data": {"unrendered": expected}}


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("stored", ["archived", "TODO"])
def test_a_value_the_type_cannot_represent_is_an_error_with_a_code(client, caplog, stored):
    """A stored choice no longer in ``choices``: REST returns it; an enum cannot.

    ``"TODO"`` is no key (``"todo"`` is) but is a member's *name*: graphene's enum
    serializer falls back to names, and would answer ``TODO``, the member for ``"todo"``.
    The server's error is logged, as every other one answered INTERNAL_SERVER_ERROR is: it
    was not, and every client's reads came back null with nothing in the logs.
    """
    task = TaskFactory()
    Task.objects.filter(pk=task.pk).update(status=stored)
    assert client.get(f"/api/status-only/{task.pk}/").json()["status"] == stored
    query = "query($id: ID!) { statusOnly(id: $id) { id status } }"
    response = post(client, "/graphql/", query, {"id": task.pk})
    assert response.json() == {
        "data": {"statusOnly": None},
        "errors": [
            {
                "message": f"Enum 'StatusOnlyStatusChoices' cannot represent value: '{stored}'",
                "locations": [{"line": 1, "column": 44}],
                "path": ["statusOnly", "status"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "status": 500},
            }
        ],
    }
    [record] = [each for each in caplog.records if each.levelname == "ERROR"]
    assert (record.name, record.getMessage()) == (
        "django.request",
        "Internal Server Error: /graphql/ (GraphQL)",
    )
    assert f"cannot represent value: '{stored}'" in str(record.exc_info[1])


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "query, field, message",
    [
        # graphql-core's refusal, in its words.
        (
            "{ nullableStatuses { results { status } } }",
            "status",
            "Enum 'NullableStatusStatusChoices' cannot represent value: 'archived'",
        ),
        # A scalar's own exception, withheld as any other server error's.
        ("{ notNumbers { results { ratio } } }", "ratio", "A server error occurred."),
        # graphql-core's checks of what a field returned: no list, a null where none may be.
        (
            "{ notLists { results { counts } } }",
            "counts",
            "Expected Iterable, but did not find one for field 'NotAListOutput.counts'.",
        ),
        ("{ nullRows { name } }", "name", "A server error occurred."),
    ],
)
def test_values_no_type_can_hold_on_every_row_are_logged_once(
    client, caplog, query, field, message
):
    """A nullable field's error does not stop graphql-core: every row has one, and each was
    an ERROR record (a mail to ADMINS) of its own, for one stale choice."""
    Task.objects.filter(pk__in=[task.pk for task in TaskFactory.create_batch(4)]).update(
        status="archived"
    )
    body = post(client, "/graphql/", query).json()
    [(name, rows)] = body["data"].items()
    rows = rows if isinstance(rows, list) else rows["results"]
    assert rows in ([{field: None}] * len(rows), [None] * len(rows))
    assert len(rows) >= 3
    assert [(error["path"][-1], error["message"]) for error in body["errors"]] == [
        (field, message)
    ] * len(rows)
    assert [each.levelname for each in caplog.records].count("ERROR") == 1
    # Sent again (the library's own path for a repeated operation, which hands the value
    # to graphql-core): logged alike, without the library's internal signal in its story.
    caplog.clear()
    assert post(client, "/graphql/", query).json()["errors"] == body["errors"]
    [record] = [each for each in caplog.records if each.levelname == "ERROR"]
    story, told = [], record.exc_info[1]
    while told is not None:
        story.append(type(told).__name__)
        told = told.__context__
    assert "_Fallback" not in story


def test_each_answer_logs_its_own_refusals(rf, caplog):
    """What an answer logged once is its own: a request object answered again (a test's)
    logs again."""
    Task.objects.filter(pk=TaskFactory().pk).update(status="archived")
    view = DRFGraphQLView.as_view(schema=unrendered_schema)
    request = rf.post(
        "/graphql/",
        {"query": "{ nullableStatuses { results { status } } }"},
        content_type="application/json",
    )
    for _ in range(2):
        assert json.loads(view(request).content)["errors"][0]["extensions"]["status"] == 500
    assert [each.levelname for each in caplog.records].count("ERROR") == 2


class StaffOnlyNote(graphene.Scalar):
    """A project's scalar hiding what it holds from whoever may not read it."""

    @staticmethod
    def serialize(value):
        raise exceptions.PermissionDenied()


class ServingQuery(graphene.ObjectType):
    own_check = graphene.String(due_date=graphene.String())
    inner_call = graphene.String()
    refuses = graphene.String()
    serialized = graphene.String()
    returned = graphene.String()
    broken_rows = graphene.List(graphene.String)
    caught_rows = graphene.List(graphene.String)
    note = graphene.Field(StaffOnlyNote)

    def resolve_note(root, info):
        return "secret"

    def resolve_refuses(root, info):
        raise GraphQLError("You may not see this.")  # graphene's usual refusal

    def resolve_serialized(root, info):
        raise GraphQLError("You may not see this.")  # named like a type's serialize

    def resolve_returned(root, info):
        return GraphQLError("You may not see this.")  # answered, not raised: the same

    def resolve_broken_rows(root, info):
        return [ValueError(f"secret {index}") for index in range(3)]  # a bug on every row

    def resolve_caught_rows(root, info):
        try:
            raise ValueError("secret")  # a loader's failure, caught and answered per row
        except ValueError as exc:
            return [exc] * 3

    def resolve_own_check(root, info, due_date=None):
        raise serializers.ValidationError({"due_date": ["Not today."]})

    def resolve_inner_call(root, info):
        # A project resolver handing its request to another endpoint, of another schema.
        return str(snake_serving_view(info.context._request).status_code)


camel_serving = graphene.Schema(query=ServingQuery)
snake_serving = graphene.Schema(query=ServingQuery, auto_camelcase=False)
snake_serving_view = DRFGraphQLView.as_view(schema=snake_serving)


class SchemaPerRequestView(DRFGraphQLView):
    def execute_graphql_request(self, request, *args, **kwargs):
        self.schema = snake_serving if request.GET.get("snake") else camel_serving
        return super().execute_graphql_request(request, *args, **kwargs)


urlpatterns += [
    path("camel-serving/", DRFGraphQLView.as_view(schema=camel_serving)),
    path("per-request-serving/", SchemaPerRequestView.as_view(schema=camel_serving)),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("field", ["brokenRows", "caughtRows"])
def test_exceptions_a_resolver_answers_on_every_row_are_logged_once(client, caplog, field):
    body = post(client, "/camel-serving/", f"{{ {field} }}").json()
    assert body["data"] == {field: [None] * 3}
    assert {error["message"] for error in body["errors"]} == {"A server error occurred."}
    assert [each.levelname for each in caplog.records].count("ERROR") == 1


@pytest.mark.urls(__name__)
def test_a_scalar_refusing_with_drfs_exception_keeps_its_code(client, caplog):
    """An answer of its own wherever raised: not the type's refusal of a server value."""
    [error] = post(client, "/camel-serving/", "{ note }").json()["errors"]
    assert error["extensions"] == {"code": "PERMISSION_DENIED", "status": 403}
    assert not [each for each in caplog.records if each.levelname == "ERROR"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("field", ["refuses", "serialized", "returned"])
def test_a_resolvers_own_graphql_error_is_not_logged_as_a_server_error(client, caplog, field):
    """Its message is for the client (a 500 code, as before): logging it as graphql-core's
    refusal of a stored value mailed ADMINS for every refusal."""
    [error] = post(client, "/camel-serving/", f"{{ {field} }}").json()["errors"]
    assert (error["message"], error["extensions"]["code"]) == (
        "You may not see this.",
        "INTERNAL_SERVER_ERROR",
    )
    assert not [each for each in caplog.records if each.levelname == "ERROR"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "url, query, field",
    [
        # The inner endpoint's answer is its own: the outer one's paths keep its case.
        ("/camel-serving/", '{ innerCall ownCheck(dueDate: "x") }', "dueDate"),
        # The schema a view picks as it executes is the one whose case the paths take.
        ("/per-request-serving/?snake=1", '{ own_check(due_date: "x") }', "due_date"),
        ("/per-request-serving/", '{ ownCheck(dueDate: "x") }', "dueDate"),
    ],
)
def test_a_project_resolvers_error_paths_take_the_executed_schemas_case(client, url, query, field):
    [error] = post(client, url, query).json()["errors"]
    assert [each["field"] for each in error["extensions"]["errors"]] == [field]


ARCHIVE = 'mutation { createArchived(input: {title: "Old"}) { task { id same { status } } } }'


@pytest.mark.urls(__name__)
def test_a_payload_the_type_cannot_represent_below_its_objects_leaves_the_write(client):
    """graphql-core checks the objects below the payload's after the mutation's
    transaction committed; the payload's own objects are checked in it."""
    body = post(client, "/graphql/", ARCHIVE).json()
    assert body["data"] == {"createArchived": {"task": None}}  # `same` is non-null
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert Task.objects.filter(title="Old", status="archived").exists()
    body = post(client, "/graphql/", ARCHIVE.replace("same { status }", "status")).json()
    assert body["data"] == {"createArchived": None}
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert Task.objects.count() == 1


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("where", ["graphene", "database", "requests"])
def test_operation_wide_transactions_undo_a_write_whose_payload_failed(
    client, settings, monkeypatch, where
):
    """graphene-django's ATOMIC_MUTATIONS (its setting or the database's) and Django's
    ATOMIC_REQUESTS each wrap the whole operation, and an error in the answer undoes it."""
    from django.db import connection

    if where == "graphene":
        settings.GRAPHENE = {**getattr(settings, "GRAPHENE", {}), "ATOMIC_MUTATIONS": True}
    else:
        key = "ATOMIC_MUTATIONS" if where == "database" else "ATOMIC_REQUESTS"
        monkeypatch.setitem(connection.settings_dict, key, True)
    body = post(client, "/graphql/", ARCHIVE).json()
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert not Task.objects.filter(title="Old").exists()


class RoutedProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "slug", "name"]


class CreateRoutedProject(CreateMutation):
    class Meta:
        serializer_class = RoutedProjectSerializer
        permission_classes = [AllowAny]


class CreateRoutedProjectThenRefuse(CreateMutation):
    class Meta:
        serializer_class = RoutedProjectSerializer
        permission_classes = [AllowAny]
        return_field_name = "refused"

    @classmethod
    def perform_create(cls, serializer, info):
        serializer.save()
        raise exceptions.PermissionDenied()


routed_schema = graphene.Schema(
    query=UnrenderedQuery,
    mutation=type(
        "RoutedMutation",
        (graphene.ObjectType,),
        {"a": CreateRoutedProject.Field(), "b": CreateRoutedProjectThenRefuse.Field()},
    ),
)
urlpatterns += [
    path("routed-graphql/", DRFGraphQLView.as_view(schema=routed_schema)),
    path("routed-batch-graphql/", DRFGraphQLView.as_view(schema=routed_schema, batch=True)),
]


@pytest.fixture
def route(monkeypatch):
    """tests/routers.py: what a test routes, for the length of the test."""
    monkeypatch.setattr(SteeredRouter, "read", {})
    monkeypatch.setattr(SteeredRouter, "write", {})
    return SteeredRouter


@pytest.mark.urls(__name__)
@pytest.mark.django_db(databases="__all__", transaction=True)
@pytest.mark.parametrize("key", ["ATOMIC_MUTATIONS", "ATOMIC_REQUESTS"])
def test_operation_wide_transactions_cover_every_database_that_asks(
    client, monkeypatch, route, key
):
    """A model the router writes to another database: the second mutation's refusal undoes
    the first one's row there too (graphene-django rolls back the default database only)."""
    route.read["testapp.Project"] = route.write["testapp.Project"] = "other"
    for alias in connections:
        monkeypatch.setitem(connections[alias].settings_dict, key, True)
    document = (
        'mutation { a(input: {slug: "a", name: "A"}) { project { slug } } '
        'b(input: {slug: "b", name: "B"}) { refused { slug } } }'
    )
    body = post(client, "/routed-graphql/", document).json()
    assert body["data"]["a"] == {"project": {"slug": "a"}}
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert not Project.objects.using("other").exists()
    assert not Project.objects.using("default").exists()


@pytest.mark.urls(__name__)
@pytest.mark.django_db(databases="__all__", transaction=True)
@pytest.mark.parametrize("routed", [True, False], ids=["other-database", "default-database"])
def test_a_failed_operation_of_a_batch_undoes_the_request_under_atomic_requests(
    client, monkeypatch, route, routed
):
    """With ATOMIC_MUTATIONS too, the failure is marked on the request's transaction, not on
    the operation-wide one, which has ended by then (the first operation's row stayed)."""
    if routed:
        route.read["testapp.Project"] = route.write["testapp.Project"] = "other"
    for alias in connections:
        monkeypatch.setitem(connections[alias].settings_dict, "ATOMIC_REQUESTS", True)
        monkeypatch.setitem(connections[alias].settings_dict, "ATOMIC_MUTATIONS", True)
    batch = [
        {"query": 'mutation { a(input: {slug: "a", name: "A"}) { project { slug } } }'},
        {"query": 'mutation { b(input: {slug: "b", name: "B"}) { refused { slug } } }'},
    ]
    answers = client.post(
        "/routed-batch-graphql/", json.dumps(batch), content_type="application/json"
    ).json()
    assert answers[0]["data"]["a"] == {"project": {"slug": "a"}}
    assert answers[1]["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert not Project.objects.using("other").exists()
    assert not Project.objects.using("default").exists()


@pytest.mark.urls(__name__)
@pytest.mark.django_db(databases="__all__", transaction=True)
@pytest.mark.parametrize("routed", [True, False], ids=["other-database", "default-database"])
def test_the_operations_of_a_batch_after_a_failed_one_still_run_under_atomic_requests(
    client, monkeypatch, route, routed
):
    """The failed operation's writes are undone in its own savepoint: the ones after it
    read and write as usual (graphene-django marks the request's transaction at once, and
    their every query is refused, a 500), and the request is undone at the end."""
    if routed:
        route.read["testapp.Project"] = route.write["testapp.Project"] = "other"
    for alias in connections:
        monkeypatch.setitem(connections[alias].settings_dict, "ATOMIC_REQUESTS", True)
    task = TaskFactory(title="Kept")
    batch = [
        {"query": 'mutation { b(input: {slug: "b", name: "B"}) { refused { slug } } }'},
        {"query": 'mutation { a(input: {slug: "a", name: "A"}) { project { slug } } }'},
        {
            "query": "query($id: ID!) { statusOnly(id: $id) { status } }",
            "variables": {"id": task.pk},
        },
    ]
    response = client.post(
        "/routed-batch-graphql/", json.dumps(batch), content_type="application/json"
    )
    answers = response.json()
    assert response.status_code == 200
    assert [answer["status"] for answer in answers] == [200, 200, 200]
    assert answers[0]["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert answers[1] == {"data": {"a": {"project": {"slug": "a"}}}, "id": None, "status": 200}
    assert answers[2] == {"data": {"statusOnly": {"status": "TODO"}}, "id": None, "status": 200}
    assert not Project.objects.using("other").exists()
    assert not Project.objects.using("default").exists()


class FlagFormErrors(graphene.Mutation):
    """What graphene-django's form and serializer mutations do with invalid input: answer
    with errors of their own, and flag ``info.context`` for the rollback."""

    ok = graphene.Boolean()

    @staticmethod
    def mutate(root, info):
        setattr(info.context, MUTATION_ERRORS_FLAG, True)
        return FlagFormErrors(ok=False)


flagged_schema = graphene.Schema(
    query=type(
        "FlaggedQuery",
        (graphene.ObjectType,),
        {
            "slugs": graphene.List(graphene.String),
            "resolve_slugs": lambda root, info: list(
                Project.objects.order_by("slug").values_list("slug", flat=True)
            ),
        },
    ),
    mutation=type(
        "FlaggedMutation",
        (graphene.ObjectType,),
        {"a": CreateRoutedProject.Field(), "flag": FlagFormErrors.Field()},
    ),
)
urlpatterns += [
    path("flagged-batch-graphql/", DRFGraphQLView.as_view(schema=flagged_schema, batch=True))
]
CREATE_OK = {"query": 'mutation { a(input: {slug: "ok", name: "OK"}) { project { slug } } }'}
FLAG = {"query": "mutation { flag { ok } }"}
SLUGS = {"query": "{ slugs }"}


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("batch", "expected"),
    [
        # The flag is its operation's: the create after it is kept until the end, and seen.
        ([FLAG, CREATE_OK, SLUGS], [{"flag": {"ok": False}}, {"a": {"project": {"slug": "ok"}}},
                                    {"slugs": ["ok"]}]),
        ([CREATE_OK, FLAG], [{"a": {"project": {"slug": "ok"}}}, {"flag": {"ok": False}}]),
    ],
    ids=["flag-first", "flag-last"],
)  # fmt: skip
def test_a_form_mutations_flag_in_a_batch_undoes_the_request_at_the_end(
    client, monkeypatch, batch, expected
):
    monkeypatch.setitem(connections["default"].settings_dict, "ATOMIC_REQUESTS", True)
    answers = client.post(
        "/flagged-batch-graphql/", json.dumps(batch), content_type="application/json"
    ).json()
    assert [answer["data"] for answer in answers] == expected
    assert not Project.objects.exists()


#: Lists nested deeper than MAX_VARIABLES_NESTING.
DEEP_LIST: list = []
for _ in range(600):
    DEEP_LIST = [DEEP_LIST]


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("atomic_requests", [True, False])
@pytest.mark.parametrize(
    ("unrunnable", "message"),
    [
        ({"variables": {}}, "Must provide query string."),
        ({"query": "{ slugs }", "variables": "not json"}, "Variables are invalid JSON."),
        ({"query": "{ slugs }", "variables": '{"a": NaN}'}, "Variables are invalid JSON: "),
        ({"query": "{ slugs }", "variables": {"a": DEEP_LIST}}, "The variables are nested "),
    ],
)
def test_a_batch_answered_by_one_error_runs_none_of_its_operations(
    client, monkeypatch, atomic_requests, unrunnable, message
):
    """An entry the endpoint cannot run makes the whole answer a 400, which shows the client
    none of the others: none of them runs, whatever the transactions."""
    monkeypatch.setitem(connections["default"].settings_dict, "ATOMIC_REQUESTS", atomic_requests)
    response = client.post(
        "/flagged-batch-graphql/",
        json.dumps([CREATE_OK, {"query": "{ nope }"}, unrunnable]),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(message)
    assert not Project.objects.exists()


APQ_EXTENSIONS = {
    "persistedQuery": {
        "version": 1,
        "sha256Hash": "ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38",
    }
}
NOT_PERSISTED = {
    "errors": [
        {
            "message": "PersistedQueryNotSupported",
            "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED", "status": 400},
        }
    ]
}


@pytest.mark.urls(__name__)
def test_a_persisted_querys_id_is_answered_so_apollo_sends_the_query(client):
    """Apollo's automatic persisted queries send a hash first, without the query, by POST
    or GET, and send the query only on ``PersistedQueryNotSupported`` (message or code):
    "Must provide query string." failed every query of such an app. The second request,
    query and extensions, runs."""
    body = {"operationName": "Ping", "variables": {}, "extensions": APQ_EXTENSIONS}
    posted = client.post("/graphql/", json.dumps(body), content_type="application/json")
    got = client.get(
        "/graphql/",
        {"operationName": "Ping", "variables": "{}", "extensions": json.dumps(APQ_EXTENSIONS)},
    )
    batched = client.post(
        "/batch-graphql/",
        json.dumps([body, {"query": "{ __typename }"}]),
        content_type="application/json",
    )
    for response in (posted, got):
        assert (response.status_code, response.json()) == (400, NOT_PERSISTED)
    assert batched.status_code == 400
    assert batched.json()[0] == {**NOT_PERSISTED, "id": None, "status": 400}
    assert batched.json()[1]["status"] == 200
    again = client.post(
        "/graphql/",
        json.dumps({**body, "query": "query Ping { __typename }"}),
        content_type="application/json",
    )
    assert again.status_code == 200 and "errors" not in again.json()


class CountingBatchView(DRFGraphQLView):
    """A project's execute_graphql_request that only counts (logging, metrics)."""

    calls = 0

    def execute_graphql_request(self, *args, **kwargs):
        type(self).calls += 1
        return super().execute_graphql_request(*args, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_batch_refuses_unrunnable_variables_before_any_entry_under_any_view(rf):
    """Variables the view refuses (too deep, NaN) are read by graphene-django's own
    get_graphql_params whatever execute_graphql_request does: refused before any entry
    runs, on a view overriding it too."""
    view = CountingBatchView.as_view(schema=flagged_schema, batch=True)
    batch = [CREATE_OK, {"query": "{ slugs }", "variables": {"a": DEEP_LIST}}]
    request = rf.post("/graphql/", json.dumps(batch), content_type="application/json")
    response = view(request)
    assert response.status_code == 400
    assert json.loads(response.content)["errors"][0]["message"] == (
        "The variables are nested too deeply."
    )
    assert CountingBatchView.calls == 0
    assert not Project.objects.exists()


PERSISTED = {"ping": "{ ping }"}


class PersistedQueryView(DRFGraphQLView):
    """A project's execute_graphql_request running documents stored by id."""

    def execute_graphql_request(self, request, data, query, variables, operation_name, *rest):
        if not query and data.get("documentId") in PERSISTED:
            query = PERSISTED[data["documentId"]]
        return super().execute_graphql_request(
            request, data, query, variables, operation_name, *rest
        )


def test_a_batch_runs_what_a_projects_execute_graphql_request_runs(rf):
    """The entries are checked before any runs only where the view executes them itself."""
    view = PersistedQueryView.as_view(batch=True)
    request = rf.post(
        "/graphql/",
        json.dumps([{"documentId": "ping"}, {"query": "{ ping }", "id": 2}]),
        content_type="application/json",
    )
    assert json.loads(view(request).content) == [
        {"data": {"ping": "pong"}, "id": None, "status": 200},
        {"data": {"ping": "pong"}, "id": 2, "status": 200},
    ]


_BATCHES = [
    '[{"query": "{ ping }"}, {"query": "{ nope }"}, {"query": "query A { a: ping }", "id": 7}]',
    '[{"query": "mutation { deleteTask(id: 999999) { deletedId } }"}, {"query": "{ ping }"}]',
    '[{"query": "{ ping", "variables": null}]',
    '[{"query": "{ ping }", "variables": "not json"}]',
    '[{"variables": {}}]',
    "[1]",
    '{"query": "{ ping }"}',
]


@pytest.mark.parametrize("body", _BATCHES)
def test_a_posted_batch_is_answered_as_graphene_django_answers_it(rf, monkeypatch, body):
    view = DRFGraphQLView.as_view(batch=True)

    def answer():
        request = rf.post("/graphql/", body, content_type="application/json")
        request.user = AnonymousUser()
        response = view(request)
        return response.status_code, response["Content-Type"], response.content

    direct = answer()
    monkeypatch.setattr(views, "_answers_as_graphene_django", lambda view: False)
    assert direct == answer()


@pytest.mark.urls(__name__)
def test_a_refusal_before_execution_keeps_a_dict_detail_whole(client):
    """REST's body is the dict; the message is its first text, not a Python repr."""
    response = post(client, "/dict-refusal-graphql/", "{ __typename }", HTTP_AUTHORIZATION="x")
    assert response.status_code == 401
    assert response.json() == {
        "errors": [
            {
                "message": "Given token not valid.",
                "extensions": {
                    "code": "NOT_AUTHENTICATED",
                    "status": 401,
                    "detail": {"detail": "Given token not valid.", "code": "token_not_valid"},
                },
            }
        ]
    }


def bad_request(response):
    """A 400 in GraphQL's JSON, not Django's HTML page."""
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_REQUEST", "status": 400}
    return error["message"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("body", ["[1]", '["{ __typename }"]', "[null]", '[{"query": "{ a }"}, 5]'])
def test_a_batch_of_what_is_no_operation_is_a_bad_request(client, body):
    response = client.post("/batch-graphql/", body, content_type="application/json")
    assert bad_request(response) == "A batch must be a list of operations."
    operations = {"operations": body, "map": "{}"}  # the same as a multipart request
    assert bad_request(client.post("/batch-graphql/", operations)) == (
        "A batch must be a list of operations."
    )


@pytest.mark.urls(__name__)
def test_a_batch_view_takes_no_single_operation_in_another_body(client):
    """graphene-django would read the keys of the form or the query text as operations."""
    for body, content_type in (
        ("{ __typename }", "application/graphql"),
        ("query=%7B+__typename+%7D", "application/x-www-form-urlencoded"),
    ):
        response = client.post("/batch-graphql/", body, content_type=content_type)
        assert bad_request(response) == "A batch must be a list of operations."


@pytest.mark.urls(__name__)
def test_a_batch_of_operations_runs(client):
    body = json.dumps([{"query": "{ __typename }"}, {"query": "{ a: __typename }"}])
    response = client.post("/batch-graphql/", body, content_type="application/json")
    assert [answer["data"] for answer in response.json()] == [
        {"__typename": "UnrenderedQuery"},
        {"a": "UnrenderedQuery"},
    ]


@pytest.mark.urls(__name__)
def test_a_batch_of_more_than_max_batch_size_operations_is_a_bad_request(client, settings):
    """MAX_ALIASES bounds one operation; without this, 500 of them fit in one body."""
    settings.DRF_GRAPHQL_CRUD = {"MAX_BATCH_SIZE": 2}
    three = json.dumps([{"query": "{ __typename }"}] * 3)
    response = client.post("/batch-graphql/", three, content_type="application/json")
    assert bad_request(response) == "A batch may hold at most 2 operations."
    two = json.dumps([{"query": "{ __typename }"}] * 2)
    assert client.post("/batch-graphql/", two, content_type="application/json").status_code == 200


@pytest.mark.urls(__name__)
def test_bodies_django_will_not_read_are_bad_requests(client, settings):
    """Too big, too many fields, a multipart body without its boundary: Django raises while
    the body is read (by the view, or by the CSRF check of a session user's request)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = "{ __typename }" + " " * 2000
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in bad_request(
        client.post("/graphql/", big, content_type="application/graphql")
    )
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = "&".join(f"f{i}=1" for i in range(20)) + "&query=%7B+__typename+%7D"
    form = "application/x-www-form-urlencoded"
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in bad_request(
        client.post("/graphql/", fields, content_type=form)
    )
    assert "boundary" in bad_request(
        client.post("/graphql/", b"garbage", content_type="multipart/form-data")
    )
    client.force_login(UserFactory())  # SessionAuthentication reads the form for its token
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in bad_request(
        client.post("/graphql/", fields, content_type=form)
    )
    query_string = "&".join(f"f{i}=1" for i in range(20))  # graphene-django reads it later
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in bad_request(
        client.post(f"/graphql/?{query_string}", '{"query": "{ __typename }"}', "application/json")
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_other_methods_are_refused_in_drfs_words(client, language):
    """graphene-django's 405 for PUT, DELETE, ...: DRF's message, in the request's language
    as a REST view answers it, with the methods the endpoint takes."""
    with translation.override(language):
        rest = client.put("/api/tasks/", "{}", content_type="application/json")
        response = client.put(DRF_URL, "{}", content_type="application/json")
    assert rest.status_code == response.status_code == 405
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert response.json() == {
        "errors": [
            {
                "message": rest.json()["detail"],
                "extensions": {"code": "METHOD_NOT_ALLOWED", "status": 405},
            }
        ]
    }
    message = response.json()["errors"][0]["message"]
    assert message.startswith('Method "PUT"' if language == "en" else "Méthode")


@pytest.mark.urls(__name__)
def test_a_mutation_by_get_is_refused_with_the_allowed_method(client):
    response = client.get("/graphql/", {"query": "mutation { __typename }"})
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.urls(__name__)
def test_bad_credentials_get_drfs_status(client):
    """DRF answers 401 with the first authentication class's WWW-Authenticate header, and
    a 403 where that class sends none (session authentication first)."""
    rest = client.post("/session-first-api/", HTTP_AUTHORIZATION="Token nope")
    response = post(
        client, "/session-first-graphql/", "{ __typename }", HTTP_AUTHORIZATION="Token nope"
    )
    assert (response.status_code, response.has_header("WWW-Authenticate")) == (403, False)
    assert rest.status_code == response.status_code
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 403}
    assert error["message"] == rest.json()["detail"] == "Invalid token."


@pytest.mark.urls(__name__)
def test_graphenes_cap_on_validation_errors_holds(client, monkeypatch):
    """``GRAPHENE["MAX_VALIDATION_ERRORS"]``, as graphene-django's view applies it."""
    from graphene_django import settings as graphene_django_settings

    monkeypatch.setattr(
        graphene_django_settings.graphene_settings, "MAX_VALIDATION_ERRORS", 2, raising=False
    )
    query = "{ a b c d e f }"
    messages = [error["message"] for error in post(client, "/graphql/", query).json()["errors"]]
    assert messages == [
        "Cannot query field 'a' on type 'UnrenderedQuery'.",
        "Cannot query field 'b' on type 'UnrenderedQuery'.",
        "Too many validation errors, error limit reached. Validation aborted.",
    ]


# ------------------------------------------------------------------ a subclass's format_error


class StampingView(DRFGraphQLView):
    """A project's view adding to every error, as graphene-django's format_error allows."""

    @staticmethod
    def format_error(error):
        formatted = DRFGraphQLView.format_error(error)
        formatted.setdefault("extensions", {})["stamp"] = "ours"
        return formatted


urlpatterns += [
    path(
        "stamping-graphql/",
        StampingView.as_view(schema=unrendered_schema, authentication_classes=[RefusesWithADict]),
    ),
]


@pytest.mark.urls(__name__)
def test_a_refusal_before_execution_goes_through_the_views_format_error(client):
    """Bad credentials (as a throttle) are refused before execution; their error went
    around a subclass's format_error, which every other error goes through."""
    response = client.post(
        "/stamping-graphql/",
        json.dumps({"query": "{ __typename }"}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Token nope",
    )
    error = response.json()["errors"][0]
    assert response.status_code in (401, 403)
    assert error["extensions"]["stamp"] == "ours"
    assert error["extensions"]["code"] == "NOT_AUTHENTICATED"


class FlagsItsErrors(graphene.Mutation):
    """Answers with errors of its own and flags them, as graphene-django's form mutations do."""

    class Arguments:
        slug = graphene.String()

    errors = graphene.List(graphene.String)

    @staticmethod
    def mutate(root, info, slug=None):
        from graphene_django.forms.mutation import _set_errors_flag_to_context

        _set_errors_flag_to_context(info)
        return FlagsItsErrors(errors=[f"{slug} is taken"])


flagging_schema = graphene.Schema(
    query=UnrenderedQuery,
    mutation=type(
        "FlaggingMutation",
        (graphene.ObjectType,),
        {"create": CreateRoutedProject.Field(), "flagged": FlagsItsErrors.Field()},
    ),
)


urlpatterns += [
    path("flagging-graphql/", DRFGraphQLView.as_view(schema=flagging_schema)),
    path("flagging-plain-graphql/", csrf_exempt(GraphQLView.as_view(schema=flagging_schema))),
]


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["graphene", "database", "requests"])
def test_a_flagged_mutation_undoes_the_operation_as_graphene_django_does(
    client, settings, monkeypatch, where
):
    """graphene-django's view undoes a document under ATOMIC_MUTATIONS or ATOMIC_REQUESTS
    when one of its mutations flags errors on ``info.context``: the DRF request here."""
    from django.db import connection

    urls = ["/flagging-graphql/"]
    if where == "graphene":
        # graphene-django's own view keeps the settings object it imported: not compared.
        settings.GRAPHENE = {**getattr(settings, "GRAPHENE", {}), "ATOMIC_MUTATIONS": True}
    else:
        key = "ATOMIC_MUTATIONS" if where == "database" else "ATOMIC_REQUESTS"
        monkeypatch.setitem(connection.settings_dict, key, True)
        urls.append("/flagging-plain-graphql/")
    document = (
        'mutation { a: create(input: {slug: "a", name: "A"}) { project { slug } } '
        'b: flagged(slug: "a") { errors } }'
    )
    for url in urls:
        assert post(client, url, document).json() == {
            "data": {"a": {"project": {"slug": "a"}}, "b": {"errors": ["a is taken"]}}
        }
        assert not Project.objects.filter(slug="a").exists()


class PermissiveContext:
    """A project's context: no ``__dict__``, and ``None`` for whatever it lacks."""

    __slots__ = ("request",)

    def __init__(self, request):
        self.request = request

    def __getattr__(self, name):
        return None


class PermissiveContextView(DRFGraphQLView):
    def get_context(self, request):
        return PermissiveContext(request)


@pytest.mark.urls(__name__)
def test_a_context_without_attributes_of_its_own_is_no_500(rf):
    """The operation-wide rollback asks the context for graphene-django's error flag."""
    view = PermissiveContextView.as_view(schema=unrendered_schema)
    for _ in range(3):
        request = rf.post("/", json.dumps({"query": "{ __typename }"}), "application/json")
        response = view(request)
        assert (response.status_code, json.loads(response.content)) == (
            200,
            {"data": {"__typename": "UnrenderedQuery"}},
        )


# ------------------------------------------------------------------------------ refusals with Django's exceptions, scalars' errors


class StrictInt(graphene.Scalar):
    """A project's scalar parsing as Python does: int("abc") raises ValueError."""

    @staticmethod
    def serialize(value):
        return value

    @staticmethod
    def parse_value(value):
        return int(value)

    @staticmethod
    def parse_literal(node, _variables=None):
        return int(node.value)


class Money(graphene.Scalar):
    """A project's scalar parsing with ``Decimal``: "abc" raises ``InvalidOperation``, an
    ``ArithmeticError``, as DRF's DecimalField finds it (and refuses the value)."""

    @staticmethod
    def serialize(value):
        return str(value)

    @staticmethod
    def parse_value(value):
        return decimal.Decimal(value)

    @staticmethod
    def parse_literal(node, _variables=None):
        return decimal.Decimal(node.value)


class BuggyScalar(graphene.Scalar):
    """A project's scalar with a bug: server code, not the client's value, fails."""

    @staticmethod
    def serialize(value):
        return value

    @staticmethod
    def parse_value(value):
        raise RuntimeError("secret internal detail /srv/app/db.sqlite3")

    @staticmethod
    def parse_literal(node, _variables=None):
        return node.value


class ServiceDown(exceptions.APIException):
    status_code = 503
    default_detail = "The rates service is down."
    default_code = "service_unavailable"


class ServiceDownAWhile(ServiceDown):
    wait = 30


class PaymentFirst(exceptions.APIException):
    """A project's own 401 (no authentication refusal): DRF sends no challenge with it."""

    status_code = 401
    default_detail = "Pay first."
    default_code = "payment_first"


class SessionGone(exceptions.APIException):
    """A project's own 401 under the code refused authentications have: no refusal of one."""

    status_code = 401
    default_detail = "Your session is gone."
    default_code = "not_authenticated"


def refusing_scalar(name: str, refusal: Callable[[], Exception]) -> type:
    """A project's scalar whose ``parse_value`` raises ``refusal()`` as it reads a variable:
    DRF's exceptions, refusals of their own (a service down, a caller not signed in)."""

    def parse_value(value):
        raise refusal()

    return type(name, (BuggyScalar,), {"parse_value": staticmethod(parse_value)})


RatesScalar = refusing_scalar("RatesScalar", ServiceDown)
SlowRatesScalar = refusing_scalar("SlowRatesScalar", ServiceDownAWhile)
SealedScalar = refusing_scalar(
    "SealedScalar", lambda: exceptions.PermissionDenied("You may not send that.")
)
SignedInScalar = refusing_scalar("SignedInScalar", exceptions.NotAuthenticated)
MeteredScalar = refusing_scalar("MeteredScalar", lambda: exceptions.Throttled(wait=7))
LongMeteredScalar = refusing_scalar("LongMeteredScalar", lambda: exceptions.Throttled(wait=60))
# A refused authentication under a code the project maps to one of its own.
ExpiredTokenScalar = refusing_scalar(
    "ExpiredTokenScalar",
    lambda: exceptions.NotAuthenticated("Token expired.", code="token_expired"),
)
PaidScalar = refusing_scalar("PaidScalar", PaymentFirst)
SessionGoneScalar = refusing_scalar("SessionGoneScalar", SessionGone)


class SignedInOnly(dict):
    """A project's input container that refuses an anonymous caller."""

    def __init__(self, *args, **kwargs):
        raise exceptions.NotAuthenticated()


class SignedInInput(graphene.InputObjectType):
    class Meta:
        container = SignedInOnly

    title = graphene.String()


class SessionStillThere(dict):
    """A project's input container refusing with its own 401 under the refusals' code."""

    def __init__(self, *args, **kwargs):
        raise SessionGone()


class SessionInput(graphene.InputObjectType):
    class Meta:
        container = SessionStillThere

    title = graphene.String()


class ScalarsQuery(graphene.ObjectType):
    ping = graphene.String()
    by_rate = graphene.String(v=graphene.Argument(RatesScalar))
    by_sealed = graphene.String(v=graphene.Argument(SealedScalar))
    by_signed_in = graphene.String(v=graphene.Argument(SignedInScalar))
    by_metered = graphene.String(v=graphene.Argument(MeteredScalar))
    by_long_metered = graphene.String(v=graphene.Argument(LongMeteredScalar))
    by_paid = graphene.String(v=graphene.Argument(PaidScalar))
    by_expired_token = graphene.String(v=graphene.Argument(ExpiredTokenScalar))
    by_signed_in_input = graphene.String(v=SignedInInput())
    by_session_gone = graphene.String(v=graphene.Argument(SessionGoneScalar))
    by_session_input = graphene.String(v=SessionInput())
    by_slow_rate = graphene.String(v=graphene.Argument(SlowRatesScalar))
    by_uuid = graphene.String(v=graphene.UUID())
    by_json = graphene.String(v=graphene.JSONString())
    by_strict = graphene.String(v=graphene.Argument(StrictInt))
    by_buggy = graphene.String(v=graphene.Argument(BuggyScalar))
    by_money = graphene.String(v=graphene.Argument(Money))
    by_float = graphene.String(v=graphene.Float())

    def resolve_ping(root, info):
        return "pong"

    def resolve_by_uuid(root, info, v=None):
        return str(v)

    def resolve_by_json(root, info, v=None):
        return str(v)

    def resolve_by_strict(root, info, v=None):
        return str(v)

    def resolve_by_float(root, info, v=None):
        return str(v)

    def resolve_by_money(root, info, v=None):
        return str(v)


scalars_schema = graphene.Schema(query=ScalarsQuery)


class DjangoRaisingAuth(BaseAuthentication):
    """An authenticator refusing with Django's exceptions, which DRF's handler maps."""

    def authenticate(self, request):
        if request.META.get("HTTP_X_DENY"):
            raise DjangoPermissionDenied("Account locked.")
        if request.META.get("HTTP_X_GONE"):
            raise Http404("No such tenant.")
        return None


class DjangoRaisingThrottle(BaseThrottle):
    def allow_request(self, request, view):
        if request.META.get("HTTP_X_DENY"):
            raise DjangoPermissionDenied("Blocked address.")
        return True


class DjangoRaisingRestView(APIView):
    authentication_classes = [DjangoRaisingAuth]
    permission_classes = [AllowAny]

    def post(self, request):
        return Response({"ok": True})


urlpatterns += [
    path("scalars-graphql/", DRFGraphQLView.as_view(schema=scalars_schema)),
    path("scalars-batch-graphql/", DRFGraphQLView.as_view(schema=scalars_schema, batch=True)),
    path(
        "token-scalars-graphql/",
        DRFGraphQLView.as_view(schema=scalars_schema, authentication_classes=[TokenAuthentication]),
    ),
    path(
        "session-scalars-graphql/",
        DRFGraphQLView.as_view(
            schema=scalars_schema, authentication_classes=[SessionAuthentication]
        ),
    ),
    path(
        "django-raising-auth/",
        DRFGraphQLView.as_view(schema=scalars_schema, authentication_classes=[DjangoRaisingAuth]),
    ),
    path(
        "django-raising-throttle/",
        DRFGraphQLView.as_view(
            schema=scalars_schema,
            authentication_classes=[],
            throttle_classes=[DjangoRaisingThrottle],
        ),
    ),
    path("django-raising-rest/", DjangoRaisingRestView.as_view()),
]


BODY = json.dumps({"query": "{ ping }"})


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "url, header, status, code, message",
    [
        ("/django-raising-auth/", "HTTP_X_DENY", 403, "PERMISSION_DENIED", "Account locked."),
        ("/django-raising-auth/", "HTTP_X_GONE", 404, "NOT_FOUND", "No such tenant."),
        ("/django-raising-throttle/", "HTTP_X_DENY", 403, "PERMISSION_DENIED", "Blocked address."),
    ],
)
def test_django_exceptions_from_authenticators_and_throttles_are_graphql_errors(
    client, url, header, status, code, message
):
    """Django's PermissionDenied and Http404 before the document runs: mapped as DRF's
    exception handler maps them, not Django's HTML error pages."""
    # REST maps them (DRF's exception_handler): JSON with the status and the message.
    rest = client.post(
        "/django-raising-rest/", BODY, content_type="application/json", **{header: "1"}
    )
    if url == "/django-raising-auth/":
        assert rest.status_code == status
        assert rest.json() == {"detail": message}
    response = client.post(url, BODY, content_type="application/json", **{header: "1"})
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"  # not Django's HTML page
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": code, "status": status}
    assert error["message"] == message


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "query, variables",
    [
        ('{ byUuid(v: "abc") }', None),  # graphene's UUID: parse_literal raises ValueError
        ('{ byJson(v: "{") }', None),  # graphene's JSONString: json.loads raises
        ("query($v: JSONString) { byJson(v: $v) }", {"v": "{"}),
        ('{ byStrict(v: "abc") }', None),  # a project's scalar raising ValueError
        ("query($v: StrictInt) { byStrict(v: $v) }", {"v": "abc"}),
        ('{ byMoney(v: "abc") }', None),  # a project's Decimal scalar: InvalidOperation
        ("query($v: Money) { byMoney(v: $v) }", {"v": "abc"}),
        # graphql-core's Float: an integer beyond a double is its OverflowError, as DRF's
        # FloatField refuses it (code overflow)
        ("query($v: Float) { byFloat(v: $v) }", {"v": 10**309}),
    ],
)
def test_every_request_error_carries_a_code(client, query, variables):
    """A scalar refusing a value with its own ValueError (graphene's UUID and JSONString, a
    project's): graphql-core keeps it as the error's original_error; still the request's
    fault, GRAPHQL_VALIDATION_FAILED as every other value that does not fit."""
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    response = client.post("/scalars-graphql/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error.get("extensions") == {"code": "GRAPHQL_VALIDATION_FAILED", "status": 400}


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("method", ["post", "get"])
def test_a_bug_in_a_scalars_parse_value_is_a_server_error_without_its_text(client, caplog, method):
    """Logged once, with its traceback: Django's own line for the 500 (``log_response``,
    no traceback) counted the failure twice, two mails to ADMINS for one."""
    query = "query($v: BuggyScalar) { byBuggy(v: $v) }"
    if method == "post":
        body = json.dumps({"query": query, "variables": {"v": 1}})
        response = client.post("/scalars-graphql/", body, content_type="application/json")
    else:
        params = {"query": query, "variables": '{"v": 1}'}
        response = client.get("/scalars-graphql/", params, HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert "secret" not in response.content.decode()
    [record] = [each for each in caplog.records if each.levelname == "ERROR"]
    assert (record.name, record.getMessage()) == (
        "django.request",
        "Internal Server Error: /scalars-graphql/ (GraphQL)",
    )
    assert "secret internal detail" in str(record.exc_info[1])  # for the server's eyes


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "url, scalar, field, extensions, status, headers, logged",
    [
        (
            "/scalars-graphql/",
            "RatesScalar",
            "byRate",
            {"code": "SERVICE_UNAVAILABLE", "status": 503},
            503,
            {},
            1,
        ),
        (
            "/scalars-graphql/",
            "SealedScalar",
            "bySealed",
            {"code": "PERMISSION_DENIED", "status": 403},
            403,
            {},
            0,
        ),
        # As DRF: a 401 carries the first authenticator's challenge, or is a 403 without one.
        (
            "/token-scalars-graphql/",
            "SignedInScalar",
            "bySignedIn",
            {"code": "NOT_AUTHENTICATED", "status": 401},
            401,
            {"WWW-Authenticate": "Token"},
            0,
        ),
        (
            "/session-scalars-graphql/",
            "SignedInScalar",
            "bySignedIn",
            {"code": "NOT_AUTHENTICATED", "status": 401},
            403,
            {"WWW-Authenticate": None},
            0,
        ),
        (
            "/scalars-graphql/",
            "MeteredScalar",
            "byMetered",
            {"code": "THROTTLED", "status": 429, "retryAfter": 7},
            429,
            {"Retry-After": "7"},
            0,
        ),
        # A 401 of the project's own: REST sends it as it is, with no challenge.
        (
            "/token-scalars-graphql/",
            "PaidScalar",
            "byPaid",
            {"code": "PAYMENT_FIRST", "status": 401},
            401,
            {"WWW-Authenticate": None},
            0,
        ),
        # DRF's handler sends Retry-After for any exception that waits.
        (
            "/scalars-graphql/",
            "SlowRatesScalar",
            "bySlowRate",
            {"code": "SERVICE_UNAVAILABLE", "status": 503, "retryAfter": 30},
            503,
            {"Retry-After": "30"},
            1,
        ),
    ],
)
def test_a_refusal_stopping_an_operation_is_answered_with_its_status(
    client, caplog, url, scalar, field, extensions, status, headers, logged
):
    """REST answers a 503 APIException with 503, a PermissionDenied with 403, and its 401
    and 429 with their headers: the operation that did not run was a 500, or
    graphene-django's 400."""
    query = f"query($v: {scalar}) {{ {field}(v: $v) }}"
    body = json.dumps({"query": query, "variables": {"v": 1}})
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == status
    assert {name: response.headers.get(name) for name in headers} == headers
    [error] = response.json()["errors"]
    assert error["extensions"] == extensions
    assert [each.levelname for each in caplog.records].count("ERROR") == logged


class FractionalWaitView(DRFGraphQLView):
    """A project's format_error writing the wait its own way, and one writing no extensions."""

    @staticmethod
    def format_error(error):
        formatted = DRFGraphQLView.format_error(error)
        extensions = formatted.get("extensions") or {}
        if extensions.get("retryAfter") == 60:
            extensions["retryAfter"] = 10**400  # no number a header can hold
        elif "retryAfter" in extensions:
            extensions["retryAfter"] = extensions["retryAfter"] - 0.5
        if extensions.get("code") == "PERMISSION_DENIED":
            formatted["extensions"] = None
        return formatted


urlpatterns += [path("fractional-graphql/", FractionalWaitView.as_view(schema=scalars_schema))]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "url, scalar, field, status, headers",
    [
        # Told by its exception, as DRF tells it, whatever code the project maps it to.
        ("/token-scalars-graphql/", "ExpiredTokenScalar", "byExpiredToken", 401, "Token"),
        ("/session-scalars-graphql/", "ExpiredTokenScalar", "byExpiredToken", 403, None),
        # A wait written as a fraction is rounded up; extensions written as null are none.
        ("/fractional-graphql/", "MeteredScalar", "byMetered", 429, "7"),
        ("/fractional-graphql/", "SealedScalar", "bySealed", 400, None),
        ("/fractional-graphql/", "LongMeteredScalar", "byLongMetered", 429, "31536000"),
        # An input container's refusal, mapped to an error without its exception.
        ("/token-scalars-graphql/", "SignedInInput", "bySignedInInput", 401, "Token"),
        # DRF's challenge goes with its refusals, not with a project's 401 under their code.
        ("/token-scalars-graphql/", "SessionGoneScalar", "bySessionGone", 401, None),
        ("/session-scalars-graphql/", "SessionGoneScalar", "bySessionGone", 401, None),
        ("/session-scalars-graphql/", "SessionInput", "bySessionInput", 401, None),
        ("/token-scalars-graphql/", "SessionInput", "bySessionInput", 401, None),
    ],
)
@pytest.mark.parametrize("method", ["post", "get"])
def test_an_unrun_operations_headers_as_the_project_formats_its_errors(
    client, settings, url, scalar, field, status, headers, method
):
    settings.DRF_GRAPHQL_CRUD = {"ERROR_CODES": {"token_expired": "TOKEN_EXPIRED"}}
    query = f"query($v: {scalar}) {{ {field}(v: $v) }}"
    variables = {"v": {"title": "x"} if scalar.endswith("Input") else 1}
    if method == "post":
        body = json.dumps({"query": query, "variables": variables})
        response = client.post(url, body, content_type="application/json")
    else:
        params = {"query": query, "variables": json.dumps(variables)}
        response = client.get(url, params, HTTP_ACCEPT="application/json")
    header = "Retry-After" if status == 429 else "WWW-Authenticate"
    assert (response.status_code, response.headers.get(header)) == (status, headers)


@pytest.mark.urls(__name__)
def test_a_batch_of_throttled_operations_asks_for_the_longest_wait(client):
    """Each entry's status is its own; the batch's is the highest, with the longest wait of
    the entries answering it: the first entry's, or none, made the client come back early."""
    entries = [
        {"query": f"query($v: {scalar}) {{ {field}(v: $v) }}", "variables": {"v": 1}}
        for scalar, field in [
            ("MeteredScalar", "byMetered"),
            ("LongMeteredScalar", "byLongMetered"),
            ("SealedScalar", "bySealed"),
        ]
    ]
    response = client.post(
        "/scalars-batch-graphql/", json.dumps(entries), content_type="application/json"
    )
    assert (response.status_code, response.headers.get("Retry-After")) == (429, "60")
    assert [entry["status"] for entry in response.json()] == [429, 429, 403]


class BrokenContainer(dict):
    """A project's input container with a bug: graphql-core calls it while it coerces the
    variables, and lets what it raises through."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError("SELECT secret FROM internals")


class BrokenInput(graphene.InputObjectType):
    class Meta:
        container = BrokenContainer

    title = graphene.String()


class BrokenInputQuery(graphene.ObjectType):
    echo = graphene.String(value=BrokenInput())

    def resolve_echo(root, info, value=None):
        return "unreachable"


def test_an_exception_raised_coercing_variables_is_a_logged_internal_error(rf, caplog):
    """graphene-django's view answers it as an error; left to Django, it was an HTML 500.
    A 500 still: graphene-django's 400 for an operation that did not run blamed the client."""
    view = DRFGraphQLView.as_view(schema=graphene.Schema(query=BrokenInputQuery))
    body = {"query": "query($v: BrokenInput) { echo(value: $v) }", "variables": {"v": {}}}
    response = view(rf.post("/graphql/?x=1", body, content_type="application/json"))
    assert (response.status_code, response["Content-Type"]) == (500, "application/json")
    assert json.loads(response.content) == {
        "errors": [
            {
                "message": "A server error occurred.",
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "status": 500},
            }
        ]
    }
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert isinstance(record.exc_info[1], RuntimeError)
    assert record.request.get_full_path() == "/graphql/?x=1"


def test_a_bug_coercing_variables_of_a_get_is_a_500_too(rf, caplog):
    view = DRFGraphQLView.as_view(schema=graphene.Schema(query=BrokenInputQuery))
    query = {"query": "query($v: BrokenInput) { echo(value: $v) }", "variables": '{"v": {}}'}
    response = view(rf.get("/graphql/", query))
    assert (response.status_code, response["Content-Type"]) == (500, "application/json")
    assert json.loads(response.content)["errors"][0]["extensions"]["status"] == 500
    refused = view(rf.get("/graphql/", {"query": "{ nothing }"}))  # the client's mistake
    assert refused.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8"])
def test_a_get_saying_it_carries_json_is_read_from_its_query_string(rf, content_type):
    """Apollo iOS (GET for queries) sends ``Content-Type: application/json`` with no body:
    its empty body was parsed as JSON, a 400, where REST serves such a GET."""
    view = DRFGraphQLView.as_view(schema=testapp_schema)
    response = view(rf.get("/graphql/", {"query": "{ ping }"}, CONTENT_TYPE=content_type))
    assert (response.status_code, json.loads(response.content)) == (
        200,
        {"data": {"ping": "pong"}},
    )


@pytest.mark.django_db
def test_an_endpoint_with_graphiql_varies_on_accept(rf):
    """It answers the page or JSON as Accept asks, as REST's browsable API does, which says
    ``Vary: Accept``: a cache served one client the other's."""
    view = DRFGraphQLView.as_view(schema=testapp_schema, graphiql=True)
    page = view(rf.get("/graphql/", {"query": "{ ping }"}, HTTP_ACCEPT="text/html"))
    answer = view(rf.get("/graphql/", {"query": "{ ping }"}, HTTP_ACCEPT="application/json"))
    posted = view(rf.post("/graphql/", {"query": "{ ping }"}, content_type="application/json"))
    assert page["Content-Type"].startswith("text/html")
    for response in (page, answer, posted):
        assert "Accept" in response["Vary"]
    plain = DRFGraphQLView.as_view(schema=testapp_schema)
    response = plain(rf.get("/graphql/", {"query": "{ ping }"}, HTTP_ACCEPT="text/html"))
    assert not response.has_header("Vary")


@pytest.mark.django_db
@pytest.mark.parametrize("told", [True, False])
def test_variables_too_deep_are_refused_whether_or_not_the_length_is_told(told):
    """Under ASGI a chunked body (HTTP/2's too) comes without Content-Length: its variables
    were not walked, and a depth DRF's fields cannot read was a logged 500."""
    from io import BytesIO

    from django.core.handlers.asgi import ASGIRequest

    query = "mutation($input: EchoInput!) { echo(input: $input) { echo { json } } }"
    deep = "[" * 930 + "1" + "]" * 930
    body = f'{{"query": {json.dumps(query)}, "variables": {{"input": {{"json": {deep}}}}}}}'
    headers = [(b"content-type", b"application/json")]
    if told:
        headers.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/graphql/",
        "query_string": b"",
        "headers": headers,
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1),
    }
    view = DRFGraphQLView.as_view(
        schema=testapp_schema, authentication_classes=[], throttle_classes=[]
    )
    response = view(ASGIRequest(scope, BytesIO(body.encode())))
    assert response.status_code == 400
    assert json.loads(response.content)["errors"][0]["message"] == (
        "The variables are nested too deeply."
    )


def test_a_media_type_with_whitespace_before_its_parameters_is_read(rf):
    """HTTP allows whitespace before ``;``: DRF reads ``application/json ; charset=utf-8``
    as JSON, graphene-django read no body ("Must provide query string.")."""
    view = DRFGraphQLView.as_view(schema=testapp_schema)
    request = rf.post(
        "/graphql/",
        json.dumps({"query": "{ __typename }"}),
        content_type="application/json ; charset=utf-8",
    )
    response = view(request)
    assert (response.status_code, json.loads(response.content)) == (
        200,
        {"data": {"__typename": "Query"}},
    )


class DocumentsSerializer(serializers.Serializer):
    """Several files under one name, as a multipart form sends them: a Document each."""

    name = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField())

    def create(self, validated_data):
        name = validated_data["name"]
        return [Document.objects.create(name=name, file=file) for file in validated_data["files"]]


class DocumentOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["name", "file"]


class CreateDocuments(CreateMutation):
    class Meta:
        serializer_class = DocumentsSerializer
        output_serializer_class = DocumentOutputSerializer
        output_many = True
        return_field_name = "documents"


class DocumentsView(APIView):
    """REST's answer for the same serializer, posted as a multipart form."""

    def post(self, request):
        serializer = DocumentsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        documents = serializer.save()
        return Response(DocumentOutputSerializer(documents, many=True).data, status=201)


documents_schema = graphene.Schema(
    query=UnrenderedQuery,
    mutation=type(
        "DocumentsMutation", (graphene.ObjectType,), {"create_documents": CreateDocuments.Field()}
    ),
)
urlpatterns += [
    path("documents-graphql/", DRFGraphQLView.as_view(schema=documents_schema)),
    path("documents-api/", DocumentsView.as_view()),
]


@pytest.mark.urls(__name__)
def test_one_file_for_a_list_of_files_is_a_list_of_one(client, settings, tmp_path):
    """As GraphQL makes any single value a list of one, and REST's multipart form gives
    the list field the one file: a Django ``File`` iterates its lines, which graphql-core
    took for the list (an error per line, as many as the client's file held)."""
    settings.MEDIA_ROOT = str(tmp_path)
    lines = b"one\ntwo\nthree\n"
    rest = client.post(
        "/documents-api/",
        {"name": "Lines", "files": SimpleUploadedFile("lines.txt", lines)},
    )
    assert (rest.status_code, len(rest.json())) == (201, 1)
    query = (
        'mutation($files: [Upload!]!) { createDocuments(input: {name: "Lines", files: $files})'
        " { documents { name } } }"
    )
    response = client.post(
        "/documents-graphql/",
        {
            "operations": json.dumps({"query": query, "variables": {"files": None}}),
            "map": json.dumps({"0": ["variables.files"]}),
            "0": SimpleUploadedFile("lines.txt", lines),
        },
    )
    assert response.json() == {"data": {"createDocuments": {"documents": [{"name": "Lines"}]}}}
    stored = [document.file.read() for document in Document.objects.all()]
    assert stored == [lines, lines]  # REST's and GraphQL's: one file each


class ChainNode(graphene.ObjectType):
    """A node with a child and two children, down to any depth."""

    ping = graphene.String()
    child = graphene.Field(lambda: ChainNode)
    children = graphene.List(lambda: ChainNode)

    def resolve_ping(root, info):
        return "pong"

    def resolve_child(root, info):
        return ChainNode()

    def resolve_children(root, info):
        return [ChainNode(), ChainNode()]


chain_schema = graphene.Schema(
    query=type(
        "ChainQuery",
        (graphene.ObjectType,),
        {"node": graphene.Field(ChainNode, resolver=lambda root, info: ChainNode())},
    )
)
urlpatterns += [path("chain-graphql/", DRFGraphQLView.as_view(schema=chain_schema))]


def fragment_chain(length, spreads="...F0"):
    """Each fragment spreads the next under two fields: its fields double at each link
    (3 ** length nodes to answer, the children being two), from ~70 characters a link."""
    links = " ".join(
        f"fragment F{i} on ChainNode {{ child {{ ...F{i + 1} }} children {{ ...F{i + 1} }} }}"
        for i in range(length)
    )
    return (
        f"query Chain {{ node {{ {spreads} }} }} {links} fragment F{length} on ChainNode {{ ping }}"
    )


@pytest.mark.urls(__name__)
def test_operations_selecting_too_many_fields_are_refused(client, settings):
    """11 links were 10 s and a 5 MB answer for a 700-character document within every
    other limit (its depth is 13); 25, minutes and gigabytes."""
    # node, then 2 + 2 * (2 + 2 * (2 + 2 * 1)) = 22 under it: 23 fields.
    settings.DRF_GRAPHQL_CRUD = {"MAX_QUERY_FIELDS": 22}
    response = post(client, "/chain-graphql/", fragment_chain(3))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "message": "The operation 'Chain' selects 23 fields, fragments counted where they "
            "are spread; at most 22 are allowed.",
            "locations": [{"line": 1, "column": 1}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED", "status": 400},
        }
    ]
    settings.DRF_GRAPHQL_CRUD = {"MAX_QUERY_FIELDS": 23}
    # A fragment spread twice into one selection set merges: its fields run once.
    for spreads in ("...F0", "...F0 ...F0"):
        response = post(client, "/chain-graphql/", fragment_chain(3, spreads))
        assert response.status_code == 200
        assert "errors" not in response.json()
    settings.DRF_GRAPHQL_CRUD = {}
    response = post(client, "/chain-graphql/", fragment_chain(25))  # 2 ** 26 fields
    assert response.json()["errors"][0]["message"] == (
        "The operation 'Chain' selects more than 999,999 fields, fragments counted where "
        "they are spread; at most 1000 are allowed."
    )


@pytest.mark.urls(__name__)
def test_the_field_cap_is_1000_by_default(client):
    # 3 * 2 ** n - 1 fields: 767 for 8 links, 1,535 for 9.
    assert post(client, "/chain-graphql/", fragment_chain(8)).status_code == 200
    response = post(client, "/chain-graphql/", fragment_chain(9))
    assert response.status_code == 400
    assert "selects 1535 fields" in response.json()["errors"][0]["message"]


class Ticks(graphene.ObjectType):
    ticks = graphene.Int()

    async def subscribe_ticks(root, info):  # pragma: no cover - never run over HTTP
        yield 1


ticking_schema = graphene.Schema(query=chain_schema.query, subscription=Ticks)
urlpatterns += [path("ticking-graphql/", DRFGraphQLView.as_view(schema=ticking_schema))]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("method", ["post", "get"])
def test_a_subscription_is_refused_over_http(client, method):
    """graphql-core's execute() ran it as a query: 200 and ``{"ticks": null}``, no error."""
    if method == "post":
        response = post(client, "/ticking-graphql/", "subscription { ticks }")
    else:
        response = client.get("/ticking-graphql/", {"query": "subscription { ticks }"})
    assert (response.status_code, response.json()) == (
        400,
        {
            "errors": [
                {
                    "message": "Subscriptions are not served over HTTP.",
                    "extensions": {"code": "BAD_REQUEST", "status": 400},
                }
            ]
        },
    )


def test_a_refused_document_sent_again_is_answered_from_the_cache(client, settings):
    """Parsing up to MAX_QUERY_TOKENS costs ~60 ms; the refusal was parsed again each time."""
    settings.DRF_GRAPHQL_CRUD = {"MAX_QUERY_TOKENS": 20}
    query = "{ " + " ".join(["ping"] * 30) + " }"
    cache_ = views.DRFGraphQLView.document_cache
    misses = cache_.misses
    first = post(client, DRF_URL, query).json()
    hits = cache_.hits
    assert post(client, DRF_URL, query).json() == first
    assert (cache_.misses, cache_.hits) == (misses + 1, hits + 1)
    assert "Document contains more than 20 tokens" in first["errors"][0]["message"]


def test_a_form_body_in_another_charset_than_utf_8_is_a_json_400(client):
    """Django 5.0+ refuses to read such a form (BadRequest): its HTML 400 page was the
    answer. Django 4.2 reads it in its charset."""
    response = client.post(
        DRF_URL,
        "query={ ping }",
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    )
    if django.VERSION < (5, 0):
        assert response.json() == {"data": {"ping": "pong"}}
        return
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    (error,) = response.json()["errors"]
    assert error["message"].startswith("The request cannot be read: HTTP requests with the")


# ------------------------------------------------------------------------------ HEAD, OPTIONS, HTML posts


def test_head_is_answered_as_get_as_django_and_drf_answer_it(client):
    """HTTP requires HEAD where GET is served; graphene-django's dispatch refused it (405)."""
    rest_get, rest_head = client.get("/api/tasks/"), client.head("/api/tasks/")
    assert rest_get.status_code == rest_head.status_code == 200
    query = {"query": "{ ping }"}
    get, head = client.get(DRF_URL, query), client.head(DRF_URL, query)
    assert (head.status_code, head["Content-Type"]) == (get.status_code, get["Content-Type"])
    assert (head.status_code, head.content) == (200, b"")  # the client drops a HEAD's body
    page = DRFGraphQLView.as_view(schema=testapp_schema, graphiql=True)
    request = RequestFactory().head("/graphql/", HTTP_ACCEPT="text/html")
    request.user, request.session = AnonymousUser(), {}
    response = page(request)
    assert (response.status_code, response["Content-Type"][:9]) == (200, "text/html")


@pytest.mark.parametrize(
    ("batch", "allowed"), [(False, "GET, POST, HEAD, OPTIONS"), (True, "POST, OPTIONS")]
)
def test_options_names_the_methods_served_as_django_views_do(rf, batch, allowed):
    """A CORS preflight needs a 2xx: a middleware adding only the Access-Control headers
    passes it on REST's views (DRF's OPTIONS is a 200), and met a 405 here."""
    view = DRFGraphQLView.as_view(schema=testapp_schema, batch=batch)
    response = view(rf.options("/graphql/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"))
    assert (response.status_code, response["Allow"], response.content) == (200, allowed, b"")
    refused = view(rf.put("/graphql/", "{}", content_type="application/json"))
    assert (refused.status_code, refused["Allow"]) == (405, allowed)


def test_a_batch_endpoint_refuses_a_get_instead_of_answering_nothing(rf):
    """A batch is a posted list; graphene-django answered a GET with ``[]``, running nothing."""
    view = DRFGraphQLView.as_view(schema=testapp_schema, batch=True)
    response = view(rf.get("/graphql/", {"query": "{ ping }"}))
    assert (response.status_code, response["Allow"]) == (405, "POST, OPTIONS")
    [error] = json.loads(response.content)["errors"]
    assert error["extensions"] == {"code": "METHOD_NOT_ALLOWED", "status": 405}


def test_a_posted_mutation_asking_for_html_runs_on_a_graphiql_endpoint(client):
    """A browser's form posting a mutation (its CSRF token in the form, as the README says
    a session client may) asks for HTML: graphene-django showed it the GraphiQL page, with
    a 200, and wrote nothing."""
    view = DRFGraphQLView.as_view(schema=testapp_schema, graphiql=True)
    request = RequestFactory().post(
        "/graphql/",
        {"query": 'mutation { createProject(input: {slug: "posted", name: "Posted"}) '
                  "{ project { slug } } }"},
        HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )  # fmt: skip
    request.user, request.session = AnonymousUser(), {}
    request._dont_enforce_csrf_checks = True
    response = view(request)
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert json.loads(response.content) == {
        "data": {"createProject": {"project": {"slug": "posted"}}}
    }
    assert Project.objects.filter(slug="posted").exists()


class NoQueryString(BasePermission):
    """Refuses a request carrying query parameters: no REST retrieve carries any."""

    def has_permission(self, request, view):
        return not request.query_params


def test_head_hides_the_endpoints_query_string_from_the_operations_as_get_does(client):
    """A HEAD is answered by a GET copy of the request; the operations' requests are made
    from the DRF request over the original, whose query string was left visible to them."""
    project = Project.objects.create(slug="seen", name="Seen")
    schema = graphene.Schema(
        query=type(
            "HiddenQuery",
            (graphene.ObjectType,),
            {"project": RetrieveField(ProjectSerializer, permission_classes=[NoQueryString])},
        )
    )
    view = DRFGraphQLView.as_view(schema=schema)
    query = {"query": f'{{ project(id: "{project.pk}") {{ name }} }}'}
    get, head = view(RequestFactory().get("/", query)), view(RequestFactory().head("/", query))
    assert json.loads(get.content) == {"data": {"project": {"name": "Seen"}}}
    assert head.content == get.content  # the view writes a body; servers drop a HEAD's
