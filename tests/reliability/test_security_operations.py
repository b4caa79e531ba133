"""Security properties of operations: what another resolver's error may say, whose object
permissions a ``get_object`` hook checks, and which authentication a viewset's operations get.

Each was found by a security review of the library's own changes, as a failing test first.
"""

import json
import logging

import graphene
import pytest
from django.db import connection
from django.test import Client
from django.urls import include, path
from rest_framework import exceptions, serializers, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import BasePermission, DjangoObjectPermissions, IsAuthenticated
from rest_framework.routers import DefaultRouter

from drf_graphql_crud import DRFGraphQLView, SerializerMutation, UpdateMutation, ViewSetCrud
from tests.factories import TagFactory, TaskFactory, UserFactory
from tests.testapp.models import Tag, Task
from tests.testapp.serializers import TagSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def post(client, url, query, variables=None, **headers):
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return client.post(url, json.dumps(body), "application/json", **headers)


# ---------------------------------------------------------------- 1. errors of other resolvers


class LeakQuery(graphene.ObjectType):
    report = graphene.String()

    def resolve_report(root, info):
        # A project's own resolver beside the library's fields, with a bug in its SQL.
        with connection.cursor() as cursor:
            cursor.execute("SELECT api_secret FROM billing_accounts WHERE owner = 'alice'")
        return "never"


leak_schema = graphene.Schema(query=LeakQuery)


def test_a_non_library_resolver_error_is_internal_without_detail_and_logged(caplog):
    """README: 'a bug in server code | INTERNAL_SERVER_ERROR (logged; no detail to the
    client)', for a project's own resolver too: the database's message naming a table never
    reaches the client."""
    caplog.set_level(logging.ERROR)
    response = post(Client(), "/leak-graphql/", "{ report }")
    (err,) = response.json()["errors"]
    assert err["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "billing_accounts" not in err["message"]
    assert any(record.levelno >= logging.ERROR for record in caplog.records)


# ---------------------------------------------------------------- 2. get_object's permissions


class IsTaskOwner(BasePermission):
    message = "You must own this task."

    def has_object_permission(self, request, view, obj):
        return obj.owner_id == getattr(request.user, "pk", None)


class TaskStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "status"]


class UpdateOwnedTask(UpdateMutation):
    class Meta:
        serializer_class = TaskStatusSerializer
        permission_classes = [IsAuthenticated, IsTaskOwner]
        return_field_name = "task"


class ArchiveSerializer(serializers.Serializer):
    task_id = serializers.IntegerField()


class ArchiveTask(SerializerMutation):
    """A custom operation that reuses UpdateOwnedTask's documented get_object(info, lookup)
    hook: look up in its queryset and check its object permissions."""

    class Meta:
        serializer_class = ArchiveSerializer
        permission_classes = [IsAuthenticated]
        return_field_name = "archived"

    @classmethod
    def perform_mutate(cls, serializer, info):
        task = UpdateOwnedTask.get_object(info, serializer.validated_data["task_id"])
        task.status = Task.Status.DONE
        task.save(update_fields=["status"])
        return serializer.validated_data


class UpdateTaskByObjectPermissions(UpdateMutation):
    class Meta:
        serializer_class = TaskStatusSerializer
        permission_classes = [IsAuthenticated, DjangoObjectPermissions]
        return_field_name = "task"


class ArchiveTaskByObjectPermissions(SerializerMutation):
    """Reuses UpdateTaskByObjectPermissions.get_object, whose DjangoObjectPermissions need
    that mutation's own view (its queryset) and request (PATCH), from another operation."""

    class Meta:
        serializer_class = ArchiveSerializer
        permission_classes = [IsAuthenticated]
        return_field_name = "archived"

    @classmethod
    def perform_mutate(cls, serializer, info):
        task = UpdateTaskByObjectPermissions.get_object(info, serializer.validated_data["task_id"])
        task.status = Task.Status.DONE
        task.save(update_fields=["status"])
        return serializer.validated_data


class PlainArchiveTask(graphene.Mutation):
    """A project's plain graphene mutation using the documented get_object hook."""

    class Arguments:
        task_id = graphene.Int(required=True)

    ok = graphene.Boolean()

    @classmethod
    def mutate(cls, root, info, task_id):
        task = UpdateOwnedTask.get_object(info, task_id)
        task.status = Task.Status.DONE
        task.save(update_fields=["status"])
        return cls(ok=True)


class HookMutation(graphene.ObjectType):
    update_owned_task = UpdateOwnedTask.Field()
    archive_task = ArchiveTask.Field()
    archive_task_by_object_permissions = ArchiveTaskByObjectPermissions.Field()
    plain_archive_task = PlainArchiveTask.Field()


hook_schema = graphene.Schema(query=LeakQuery, mutation=HookMutation)


def test_get_object_hook_checks_its_own_object_permissions_inside_another_operation():
    """A custom mutation looking a row up through UpdateOwnedTask.get_object gets
    UpdateOwnedTask's object permissions (IsTaskOwner), not the running operation's."""
    alice, bob = UserFactory(username="alice5"), UserFactory(username="bob5")
    bobs = TaskFactory(owner=bob, status=Task.Status.TODO)
    client = Client()
    client.force_login(alice)
    # The direct mutation refuses, as it should.
    body = post(
        client,
        "/hook-graphql/",
        "mutation($id: ID!) { updateOwnedTask(id: $id, input: {status: DONE}) { task { id } } }",
        {"id": bobs.pk},
    ).json()
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    # Through the hook, from another operation:
    body = post(
        client,
        "/hook-graphql/",
        "mutation($id: Int!) { archiveTask(input: {taskId: $id}) { archived { taskId } } }",
        {"id": bobs.pk},
    ).json()
    bobs.refresh_from_db()
    assert bobs.status == Task.Status.TODO, body
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_get_object_hook_from_another_operation_uses_its_own_view_and_request():
    alice = UserFactory(username="alice5c")
    task = TaskFactory(owner=alice, status=Task.Status.TODO)
    client = Client()
    client.force_login(alice)
    body = post(
        client,
        "/hook-graphql/",
        "mutation($id: Int!) { archiveTaskByObjectPermissions(input: {taskId: $id}) "
        "{ archived { taskId } } }",
        {"id": task.pk},
    ).json()
    assert "errors" not in body, body
    task.refresh_from_db()
    assert task.status == Task.Status.DONE


def test_get_object_hook_from_a_plain_graphene_mutation_checks_object_permissions():
    alice, bob = UserFactory(username="alice5b"), UserFactory(username="bob5b")
    bobs = TaskFactory(owner=bob, status=Task.Status.TODO)
    client = Client()
    client.force_login(alice)
    body = post(
        client,
        "/hook-graphql/",
        "mutation($id: Int!) { plainArchiveTask(taskId: $id) { ok } }",
        {"id": bobs.pk},
    ).json()
    bobs.refresh_from_db()
    assert bobs.status == Task.Status.TODO, body
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


# ---------------------------------------------------------------- 3. the viewset's own auth hooks


class SuspendedCheckTagViewSet(viewsets.ModelViewSet):
    """Refuses suspended accounts where DRF authenticates (perform_authentication)."""

    queryset = Tag.objects.order_by("pk")
    serializer_class = TagSerializer
    permission_classes = [IsAuthenticated]

    def perform_authentication(self, request):
        super().perform_authentication(request)
        if request.user.is_authenticated and request.user.username.startswith("suspended"):
            raise exceptions.PermissionDenied("This account is suspended.")


suspended_tags = ViewSetCrud(SuspendedCheckTagViewSet, name="guardedTag")


class SessionTagViewSet(viewsets.ModelViewSet):
    """Declares the session (with CSRF) as its only authentication."""

    queryset = Tag.objects.order_by("pk")
    serializer_class = TagSerializer
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]


session_tags = ViewSetCrud(SessionTagViewSet, name="sessionTag")

auth_schema = graphene.Schema(
    query=type("R5AuthQuery", (suspended_tags.Query, session_tags.Query, graphene.ObjectType), {}),
    mutation=type(
        "R5AuthMutation",
        (suspended_tags.Mutation, session_tags.Mutation, graphene.ObjectType),
        {},
    ),
)
router = DefaultRouter()
router.register("guarded-tags", SuspendedCheckTagViewSet, basename="r5-guarded-tag")
router.register("session-tags", SessionTagViewSet, basename="r5-session-tag")


def test_a_viewset_perform_authentication_override_is_not_bypassed():
    """A viewset's perform_authentication() (where APIView.initial authenticates) refuses
    suspended users under REST, and through ViewSetCrud too."""
    TagFactory(name="red")
    client = Client()
    client.force_login(UserFactory(username="suspended-mallory"))
    assert client.get("/r5-api/guarded-tags/").status_code == 403
    body = post(client, "/auth-graphql/", "{ guardedTags { results { name } } }").json()
    assert body.get("data", {}).get("guardedTags") is None, body
    post(
        client,
        "/auth-graphql/",
        'mutation { createGuardedTag(input: {name: "x"}) { guardedTag { name } } }',
    )
    assert not Tag.objects.filter(name="x").exists()


def test_a_session_only_viewset_refuses_writes_without_its_session_and_csrf():
    """Behind a token endpoint, a session caller without CSRF writes nothing through a viewset
    that declares the session."""
    user = UserFactory()
    tag = TagFactory(name="keep")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    body = post(
        client,
        "/token-graphql/",
        'mutation { createSessionTag(input: {name: "csrf"}) { sessionTag { name } } }',
    ).json()
    assert body["errors"][0]["extensions"]["status"] in (401, 403)
    body = post(
        client,
        "/token-graphql/",
        "mutation($id: ID!) { deleteSessionTag(id: $id) { deletedId } }",
        {"id": tag.pk},
    ).json()
    assert body["errors"][0]["extensions"]["status"] in (401, 403)
    assert Tag.objects.filter(pk=tag.pk).exists() and not Tag.objects.filter(name="csrf").exists()


def test_the_endpoint_token_does_not_open_a_session_only_viewset():
    """SessionTagViewSet authenticates by session only: REST refuses a token caller (403), and
    so does GraphQL, although the endpoint authenticated the token first and DRF wrote that
    user onto the HttpRequest, where SessionAuthentication looks for the session's."""
    user = UserFactory()
    token = Token.objects.create(user=user).key
    TagFactory(name="red")
    assert Client().get(
        "/r5-api/session-tags/", HTTP_AUTHORIZATION=f"Token {token}"
    ).status_code == 403  # fmt: skip
    for url in ("/token-graphql/", "/token-session-graphql/"):
        body = post(
            Client(), url, "{ sessionTags { results { name } } }",
            HTTP_AUTHORIZATION=f"Token {token}",
        ).json()  # fmt: skip
        assert body["data"]["sessionTags"] is None, (url, body)
        assert body["errors"][0]["extensions"]["status"] in (401, 403)


def test_the_endpoint_token_does_not_write_through_a_session_only_viewset():
    """The same on a write, where a token client could pass SessionAuthentication's CSRF check
    with a cookie and header of its own choosing: nothing is created (REST: 403)."""
    user = UserFactory()
    token = Token.objects.create(user=user).key
    secret = "a" * 32
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = secret
    rest = client.post(
        "/r5-api/session-tags/", {"name": "rest"}, HTTP_AUTHORIZATION=f"Token {token}",
        HTTP_X_CSRFTOKEN=secret,
    )  # fmt: skip
    assert rest.status_code == 403
    body = post(
        client, "/token-graphql/",
        'mutation { createSessionTag(input: {name: "viaToken"}) { sessionTag { name } } }',
        HTTP_AUTHORIZATION=f"Token {token}", HTTP_X_CSRFTOKEN=secret,
    ).json()  # fmt: skip
    assert not Tag.objects.filter(name="viaToken").exists(), body


urlpatterns = [
    path("leak-graphql/", DRFGraphQLView.as_view(schema=leak_schema)),
    path("hook-graphql/", DRFGraphQLView.as_view(schema=hook_schema)),
    path("auth-graphql/", DRFGraphQLView.as_view(schema=auth_schema)),
    path(
        "token-graphql/",
        DRFGraphQLView.as_view(schema=auth_schema, authentication_classes=[TokenAuthentication]),
    ),
    path(
        "token-session-graphql/",
        DRFGraphQLView.as_view(
            schema=auth_schema, authentication_classes=[TokenAuthentication, SessionAuthentication]
        ),
    ),
    path("r5-api/", include(router.urls)),
]
