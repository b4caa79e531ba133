"""Edges of operations' security and error handling: hooks called from elsewhere, other
resolvers' exceptions, lost races under throttles, multipart batches, routers, and the
authentication a viewset's operations get behind each kind of endpoint.

Each failing case was found by reviewing the library's own fixes, as a failing test first.
"""

import json
import logging

import graphene
import pytest
from django.core.cache import cache
from django.db import connection
from django.shortcuts import get_object_or_404
from django.test import Client, override_settings
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from graphql import GraphQLError
from rest_framework import exceptions, serializers, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import (
    AllowAny,
    IsAuthenticated,
)
from rest_framework.routers import SimpleRouter
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from drf_graphql_crud import DRFGraphQLView, ViewSetCrud
from tests.factories import TagFactory, UserFactory
from tests.testapp.models import Tag
from tests.testapp.serializers import TagSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    DRFGraphQLView.document_cache.clear()
    yield
    cache.clear()


def post(client, url, query, variables=None, **headers):
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return client.post(url, json.dumps(body), "application/json", **headers)


# ------------------------------------------------------------ 1. a project's resolver errors


class EdgeProjectQuery(graphene.ObjectType):
    tag_name = graphene.String(id=graphene.Int(required=True))
    members_only = graphene.String()
    on_purpose = graphene.String()

    def resolve_tag_name(root, info, id):
        return get_object_or_404(Tag, pk=id).name  # Http404: a NOT_FOUND, per errors.py

    def resolve_members_only(root, info):
        raise exceptions.PermissionDenied("Members only.")

    def resolve_on_purpose(root, info):
        raise GraphQLError("Pick a smaller number.")


project_schema = graphene.Schema(query=EdgeProjectQuery)


def test_project_resolver_http404_and_permission_denied_keep_their_code_and_message(caplog):
    caplog.set_level(logging.ERROR, logger="drf_graphql_crud")
    body = post(Client(), "/project-graphql/", "{ tagName(id: 999999) }").json()
    (err,) = body["errors"]
    assert err["extensions"]["code"] == "NOT_FOUND", err
    body = post(Client(), "/project-graphql/", "{ membersOnly }").json()
    (err,) = body["errors"]
    assert err["extensions"]["code"] == "PERMISSION_DENIED", err
    assert err["message"] == "Members only."
    assert not caplog.records, "a client's 404/403 is not a server error to log"


def test_graphql_error_raised_on_purpose_keeps_its_message():
    """Holds: a GraphQLError without extensions keeps its text (code INTERNAL_SERVER_ERROR,
    as before the fix)."""
    body = post(Client(), "/project-graphql/", "{ onPurpose }").json()
    (err,) = body["errors"]
    assert err["message"] == "Pick a smaller number."


# ------------------------------------------------------------ 3. ViewSetCrud


class EdgeLooseTagSerializer(serializers.ModelSerializer):
    """No UniqueValidator: the database's unique constraint is the only check."""

    name = serializers.CharField(max_length=40)

    class Meta:
        model = Tag
        fields = ["id", "name"]


class TwoPerMinute(AnonRateThrottle):
    scope = "r6-two"
    rate = "2/min"


class ThrottledTagViewSet(viewsets.ModelViewSet):
    queryset = Tag.objects.order_by("pk")
    serializer_class = EdgeLooseTagSerializer
    permission_classes = [AllowAny]
    throttle_classes = [TwoPerMinute]


class NameLookupTagViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Tag.objects.order_by("pk")
    serializer_class = TagSerializer
    permission_classes = [AllowAny]
    lookup_field = "name"


class TokenSessionTagViewSet(viewsets.ModelViewSet):
    queryset = Tag.objects.order_by("pk")
    serializer_class = TagSerializer
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


class SessionOnlyTagViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Tag.objects.order_by("pk")
    serializer_class = TagSerializer
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]


throttled = ViewSetCrud(ThrottledTagViewSet, name="r6ThrottledTag")
by_name = ViewSetCrud(NameLookupTagViewSet, name="r6NamedTag")
token_session = ViewSetCrud(TokenSessionTagViewSet, name="r6TsTag")
session_only = ViewSetCrud(SessionOnlyTagViewSet, name="r6SoTag")
_crud = (throttled, by_name, token_session, session_only)
crud_schema = graphene.Schema(
    query=type("R6Query", (*(c.Query for c in _crud), graphene.ObjectType), {}),
    mutation=type("R6Mutation", (*(c.Mutation for c in _crud), graphene.ObjectType), {}),
)

path_router = SimpleRouter(use_regex_path=False)
path_router.register("named-tags", NameLookupTagViewSet, basename="r6-named-tag")
path_router.register("ts-tags", TokenSessionTagViewSet, basename="r6-ts-tag")
path_router.register("so-tags", SessionOnlyTagViewSet, basename="r6-so-tag")

CREATE = (
    "mutation($n: String!) { createR6ThrottledTag(input: {name: $n}) { r6ThrottledTag { name } } }"
)


def test_a_lost_unique_race_is_throttled_once():
    client = Client()
    first = post(client, "/crud-graphql/", CREATE, {"n": "dup"}).json()
    assert "errors" not in first, first
    second = post(client, "/crud-graphql/", CREATE, {"n": "dup"}).json()
    assert second["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR", second


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's DETAIL quotes values")
def test_a_unique_violation_quoting_not_null_text_is_not_a_not_null_bug(caplog):
    caplog.set_level(logging.ERROR, logger="drf_graphql_crud")
    text = "NOT NULL constraint failed"
    Tag.objects.create(name=text)
    body = post(Client(), "/crud-graphql/", CREATE, {"n": text}).json()
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR", body


def test_a_unique_race_is_a_validation_error():
    """Holds: without the NOT NULL text, a lost unique race is VALIDATION_ERROR."""
    Tag.objects.create(name="plain")
    body = post(Client(), "/crud-graphql/", CREATE, {"n": "plain"}).json()
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR", body


def test_a_lookup_the_path_router_serves_is_found():
    TagFactory(name="v1.2")
    assert Client().get("/r6-api/named-tags/v1.2/").status_code == 200
    body = post(Client(), "/crud-graphql/", '{ r6NamedTag(name: "v1.2") { name } }').json()
    assert body["data"]["r6NamedTag"] == {"name": "v1.2"}, body


# ------------------------------------------------------------ 4. authentication edge cases (hold)


def test_token_session_viewset_behind_session_endpoint_accepts_a_token():
    user = UserFactory()
    token = Token.objects.create(user=user).key
    TagFactory(name="red")
    rest = Client().get("/r6-api/ts-tags/", HTTP_AUTHORIZATION=f"Token {token}")
    assert rest.status_code == 200
    body = post(
        Client(), "/crud-graphql/", "{ r6TsTags { results { name } } }",
        HTTP_AUTHORIZATION=f"Token {token}",
    ).json()  # fmt: skip
    assert body["data"]["r6TsTags"]["results"] == [{"name": "red"}], body


def test_force_authenticate_reaches_a_session_only_viewset_behind_a_token_endpoint():
    user = UserFactory()
    TagFactory(name="red")
    client = APIClient()
    client.force_authenticate(user)
    assert client.get("/r6-api/so-tags/").status_code == 200
    body = client.post(
        "/token-crud-graphql/", {"query": "{ r6SoTags { results { name } } }"}, format="json"
    ).json()
    assert body["data"]["r6SoTags"]["results"] == [{"name": "red"}], body


@override_settings(
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
    ]
)
def test_without_authentication_middleware_a_session_only_viewset_refuses():
    user = UserFactory()
    token = Token.objects.create(user=user).key
    TagFactory(name="red")
    assert Client().get(
        "/r6-api/so-tags/", HTTP_AUTHORIZATION=f"Token {token}"
    ).status_code == 403  # fmt: skip
    body = post(
        Client(), "/token-crud-graphql/", "{ r6SoTags { results { name } } }",
        HTTP_AUTHORIZATION=f"Token {token}",
    ).json()  # fmt: skip
    assert body["data"]["r6SoTags"] is None, body


def test_session_only_viewset_under_plain_graphene_view_with_session():
    user = UserFactory()
    TagFactory(name="red")
    client = Client()
    client.force_login(user)
    body = post(client, "/plain-graphql/", "{ r6SoTags { results { name } } }").json()
    assert body["data"]["r6SoTags"]["results"] == [{"name": "red"}], body


# ------------------------------------------------------------ 5. multipart batches


def test_a_batch_view_accepts_a_multipart_batch():
    response = Client().post(
        "/batch-graphql/",
        {"operations": json.dumps([{"query": "{ onPurpose2: __typename }"}]), "map": "{}"},
    )
    assert response.status_code == 200, response.content
    assert response.json()[0]["data"] == {"onPurpose2": "EdgeProjectQuery"}


urlpatterns = [
    path("project-graphql/", DRFGraphQLView.as_view(schema=project_schema)),
    path("batch-graphql/", DRFGraphQLView.as_view(schema=project_schema, batch=True)),
    path("crud-graphql/", DRFGraphQLView.as_view(schema=crud_schema)),
    path(
        "token-crud-graphql/",
        DRFGraphQLView.as_view(schema=crud_schema, authentication_classes=[TokenAuthentication]),
    ),
    path("plain-graphql/", csrf_exempt(GraphQLView.as_view(schema=crud_schema))),
    path("r6-api/", include(path_router.urls)),
]
