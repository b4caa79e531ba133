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
