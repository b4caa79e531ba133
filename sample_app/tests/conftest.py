"""Fixtures for the sample's end-to-end tests: users, tokens and an HTTP client for /graphql/.

Every test goes through the real URLs (``sample_project.urls``) with Django's test ``Client``,
so authentication, CSRF, routing and JSON encoding are the ones ``runserver`` uses.
"""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from todo.factories import UserFactory

GRAPHQL_URL = "/graphql/"
PASSWORD = "demo-password"  # UserFactory's default


class Api:
    """One client, speaking both REST and GraphQL with the same credentials."""

    def __init__(self, client: Client, token: str | None = None) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}

    def graphql(self, query: str, variables: dict | None = None, **extra):
        """POST a document to /graphql/; the HTTP status and the decoded answer."""
        body = {"query": query}
        if variables is not None:
            body["variables"] = variables
        response = self.client.post(
            GRAPHQL_URL,
            json.dumps(body),
            content_type="application/json",
            **{**self.headers, **extra},
        )
        return response.status_code, response.json()

    def get(self, path: str, **params):
        response = self.client.get(path, params, **self.headers)
        return response.status_code, response.json()

    def post(self, path: str, data: dict):
        response = self.client.post(
            path, json.dumps(data), content_type="application/json", **self.headers
        )
        return response.status_code, response.json()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hashing with PBKDF2 would cost most of the suite's time; MD5 is fine for tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


@pytest.fixture
def alice_api(alice) -> Api:
    """Alice, authenticated with her API token (``Authorization: Token ...``)."""
    return Api(Client(), Token.objects.create(user=alice).key)


@pytest.fixture
def bob_api(bob) -> Api:
    return Api(Client(), Token.objects.create(user=bob).key)


@pytest.fixture
def anonymous_api(db) -> Api:
    return Api(Client())
