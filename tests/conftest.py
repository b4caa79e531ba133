import json

import pytest
from django.test import Client

GRAPHQL_URL = "/graphql/"


class GraphQLClient:
    """Posts GraphQL documents through Django's full HTTP stack and decodes the answer."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def __call__(self, query: str, variables: dict | None = None, **extra):
        body = {"query": query}
        if variables is not None:
            body["variables"] = variables
        response = self.client.post(
            GRAPHQL_URL, json.dumps(body), content_type="application/json", **extra
        )
        return response.status_code, response.json()

    def force_login(self, user) -> None:
        self.client.force_login(user)


@pytest.fixture
def gql(client) -> GraphQLClient:
    return GraphQLClient(client)


@pytest.fixture
def isolated_registry():
    """Types, collisions and mutations a test makes leave no trace for the suite's checks."""
    from drf_graphql_crud.mutations import mutation_classes
    from drf_graphql_crud.types import registry

    saved = (
        dict(registry._by_serializer),
        dict(registry._by_name),
        dict(registry._enum_choices),
        list(registry.collisions),
        list(mutation_classes),
    )
    yield registry
    registry._by_serializer = saved[0]
    registry._by_name = saved[1]
    registry._enum_choices = saved[2]
    registry.collisions[:] = saved[3]
    mutation_classes[:] = saved[4]


@pytest.fixture
def restores_language():
    """For tests whose requests pass Django's LocaleMiddleware, which leaves the caller's
    language active in the thread after the response: the language before comes back."""
    from django.utils import translation

    with translation.override(translation.get_language()):
        yield
