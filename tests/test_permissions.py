"""DRF permission classes judge a GraphQL mutation exactly as they judge the equivalent REST call.

What DRF code sees: a DRF ``Request`` with the REST method (POST, PATCH, PUT, DELETE), a view
with ``action``, ``kwargs`` and ``get_queryset()``, ``has_permission`` before validation and
``has_object_permission`` on the looked-up object; the serializer context holds ``request``,
``view``, ``format`` and ``info``.
"""

import json

import graphene
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import RequestFactory
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from rest_framework import serializers, viewsets
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    TokenAuthentication,
)
from rest_framework.permissions import (
    BasePermission,
    DjangoObjectPermissions,
    IsAdminUser,
    IsAuthenticated,
    IsAuthenticatedOrReadOnly,
)
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings

from drf_graphql_crud import (
    BulkCreateMutation,
    CreateMutation,
    DeleteMutation,
    DRFGraphQLView,
    ListField,
    RetrieveField,
    UpdateMutation,
    ViewSetCrud,
)
from drf_graphql_crud.permissions import (
    ACTION_METHODS,
    OperationView,
    clone_request,
    drf_request,
    operation_request,
)
from tests.factories import ProjectFactory, TaskFactory, UserFactory
from tests.testapp.models import Document, Tag, Task
from tests.testapp.permissions import IsOwner, RecordingPermission
from tests.testapp.schema import DeleteTaskObjectPerms, ReplaceTask, UpdateTask
from tests.testapp.serializers import ProjectSerializer, TagSerializer, TaskSerializer

pytestmark = pytest.mark.django_db

NOT_AUTHENTICATED = {"code": "NOT_AUTHENTICATED", "status": 401}
PERMISSION_DENIED = {"code": "PERMISSION_DENIED", "status": 403}
NOT_FOUND = {"code": "NOT_FOUND", "status": 404}
NO_CREDENTIALS = "Authentication credentials were not provided."
NO_PERMISSION = "You do not have permission to perform this action."


# ------------------------------------------------------------------------------ helpers


def failure(body):
    """``(data, errors)`` of a response, each error without its ``locations``."""
    assert set(body) == {"data", "errors"}
    errors = [
        {key: value for key, value in error.items() if key != "locations"}
        for error in body["errors"]
    ]
    return body["data"], errors


def denied(mutation, message, extensions):
    """The whole response of a mutation that failed with one error."""
    return (
        {mutation: None},
        [{"message": message, "path": [mutation], "extensions": extensions}],
    )


def grant(user, *codenames):
    permissions = Permission.objects.filter(
        content_type__app_label="testapp", codename__in=codenames
    )
    assert permissions.count() == len(codenames)
    user.user_permissions.add(*permissions)


def create(mutation, fields="task { title ownerName }"):
    return f"mutation($input: TaskInput!) {{ {mutation}(input: $input) {{ {fields} }} }}"


def update(mutation, fields="task { title }"):
    return f"mutation($id: ID!, $input: TaskPartialInput!) {{ {mutation}(id: $id, input: $input) {{ {fields} }} }}"


def delete(mutation):
    return f"mutation($id: ID!) {{ {mutation}(id: $id) {{ deletedId }} }}"


@pytest.fixture
def alice(gql):
    user = UserFactory(username="alice")
    gql.force_login(user)
    return user


@pytest.fixture
def seen(monkeypatch):
    """What ``RecordingPermission`` (and the local spies) saw during the test."""
    records = []
    monkeypatch.setattr(RecordingPermission, "seen", records)
    monkeypatch.setattr(PermQuerysetSpy, "seen", records)
    monkeypatch.setattr(PermCreateGuardedTask, "contexts", records)
    return records


# ------------------------------------------------------------------------------ local schema


class PermQuerysetSpy(BasePermission):
    """Records the rows ``view.get_queryset()`` and ``view.queryset`` hold."""

    seen: list = []

    def has_permission(self, request, view):
        PermQuerysetSpy.seen.append(
            (
                sorted(task.title for task in view.get_queryset()),
                view.queryset.model,
                request.user.username,
            )
        )
        return True


class PermReadGuardedObjectPermissions(DjangoObjectPermissions):
    """DjangoObjectPermissions that asks for ``view_task`` to see an object (as guardian setups do)."""

    perms_map = {
        **DjangoObjectPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
    }


class PermWritesFrozen(BasePermission):
    message = "Writes are frozen for the release."

    def has_permission(self, request, view):
        return False


class PermGuardedTaskSerializer(serializers.ModelSerializer):
    """A REST serializer that reads the requesting user in its validators."""

    owner = serializers.HiddenField(default=serializers.CurrentUserDefault())
    owner_name = serializers.CharField(source="owner.username", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "owner", "owner_name"]

    def validate_title(self, value):
        if value.lower().startswith("urgent") and not self.context["request"].user.is_staff:
            raise serializers.ValidationError(
                "Only staff may file urgent tasks.", code="staff_only"
            )
        return value

    def validate(self, attrs):
        user = self.context["request"].user
        if Task.objects.filter(owner=user, title=attrs["title"]).exists():
            raise serializers.ValidationError(
                "You already have a task with this title.", code="duplicate_title"
            )
        return attrs


class PermCreateGuardedTask(CreateMutation):
    contexts: list = []

    class Meta:
        serializer_class = PermGuardedTaskSerializer
        permission_classes = [IsAuthenticated]

    @classmethod
    def perform_create(cls, serializer, info):
        PermCreateGuardedTask.contexts.append(dict(serializer.context))
        return serializer.save()


class PermReplaceTaskRecorded(UpdateMutation):
    class Meta:
        serializer_class = TaskSerializer
        partial = False
        permission_classes = [RecordingPermission]


class PermUpdateProjectRecorded(UpdateMutation):
    class Meta:
        serializer_class = ProjectSerializer
        lookup_field = "slug"
        permission_classes = [RecordingPermission]


class PermUpdateScopedTaskSpied(UpdateMutation):
    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [IsAuthenticated, PermQuerysetSpy]

    @classmethod
    def get_queryset(cls, info):
        return Task.objects.filter(owner=info.context.user)


class PermUpdateAnyTaskIfOwner(UpdateMutation):
    """IsOwner without a scoped queryset: the object permission has to refuse."""

    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [IsAuthenticated, IsOwner]


class PermDeleteTaskReadGuarded(DeleteMutation):
    class Meta:
        model = Task
        permission_classes = [PermReadGuardedObjectPermissions]


class PermCreateTaskFrozen(CreateMutation):
    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [PermWritesFrozen]


class PermCreateTaskDefaultPermissions(CreateMutation):
    class Meta:
        serializer_class = TaskSerializer


class PermQuery(graphene.ObjectType):
    ping = graphene.String(default_value="pong")


class PermMutation(graphene.ObjectType):
    perm_create_guarded_task = PermCreateGuardedTask.Field()
    perm_replace_task_recorded = PermReplaceTaskRecorded.Field()
    perm_update_project_recorded = PermUpdateProjectRecorded.Field()
    perm_update_scoped_task_spied = PermUpdateScopedTaskSpied.Field()
    perm_update_any_task_if_owner = PermUpdateAnyTaskIfOwner.Field()
    perm_delete_task_read_guarded = PermDeleteTaskReadGuarded.Field()
    perm_create_task_frozen = PermCreateTaskFrozen.Field()
    perm_create_task_default_permissions = PermCreateTaskDefaultPermissions.Field()
    delete_task_object_perms = DeleteTaskObjectPerms.Field()


class NoHighPriorityForNonStaff(BasePermission):
    """Judges the body, as a REST permission may: ``request.data`` is the input."""

    message = "Only staff may set a priority above 5."

    def has_permission(self, request, view):
        if request.method in ("POST", "PUT", "PATCH") and not request.user.is_staff:
            return int(request.data.get("priority") or 0) <= 5
        return True


class DataGuardedTaskViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = TaskSerializer
    permission_classes = [NoHighPriorityForNonStaff]

    def perform_create(self, serializer):
        serializer.save(notes=f"sent {sorted(self.request.data)}")


class CreateDataGuardedTask(CreateMutation):
    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [NoHighPriorityForNonStaff]


class UpdateDataGuardedTask(UpdateMutation):
    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [NoHighPriorityForNonStaff]


class FilesSeen(BasePermission):
    """Records the uploads a write's request holds, as REST's multipart request holds them,
    and the form fields beside them (``request.POST``)."""

    seen: list = []
    posted: list = []

    def has_permission(self, request, view):
        FilesSeen.seen.append(sorted(request.FILES))
        FilesSeen.posted.append((type(request.POST).__name__, dict(request.POST.lists())))
        return True


class SizedDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "name", "file"]


class SizedDocumentViewSet(viewsets.ModelViewSet):
    queryset = Document.objects.order_by("pk")
    serializer_class = SizedDocumentSerializer
    permission_classes = [FilesSeen]

    def perform_create(self, serializer):
        upload = self.request.FILES.get("file")
        serializer.save(name=f"{serializer.validated_data['name']} ({upload.size} bytes)")


class MarksRequest(BasePermission):
    def has_permission(self, request, view):
        request.checked_by = "MarksRequest"
        return True


class CreateMarkedProject(CreateMutation):
    """A create runs on the endpoint's request itself: what a permission (or the project's
    graphene middleware) puts on it, the rest of the operation reads from info.context."""

    class Meta:
        serializer_class = ProjectSerializer
        permission_classes = [MarksRequest]

    @classmethod
    def perform_mutate(cls, serializer, info):
        return serializer.save(
            name=f"{serializer.validated_data['name']} {info.context.checked_by}"
        )


data_guarded = ViewSetCrud(DataGuardedTaskViewSet, name="bodyJudgedTask")
sized_documents = ViewSetCrud(SizedDocumentViewSet, name="sizedDocument")


class PermTaskViewSet(viewsets.ModelViewSet):
    """The REST twin of the delete mutations, for parity."""

    queryset = Task.objects.all()
    serializer_class = TaskSerializer


perm_schema = graphene.Schema(query=PermQuery, mutation=PermMutation)
data_schema = graphene.Schema(
    query=type("DataQuery", (data_guarded.Query, sized_documents.Query, graphene.ObjectType), {}),
    mutation=type(
        "DataMutation",
        (data_guarded.Mutation, sized_documents.Mutation, graphene.ObjectType),
        {
            "create_data_guarded_task": CreateDataGuardedTask.Field(),
            "create_marked_project": CreateMarkedProject.Field(),
            "update_data_guarded_task": UpdateDataGuardedTask.Field(),
        },
    ),
)

urlpatterns = [
    path("graphql/", csrf_exempt(GraphQLView.as_view(schema=perm_schema))),
    path("data-graphql/", DRFGraphQLView.as_view(schema=data_schema)),
    path(
        "api/guarded/",
        DataGuardedTaskViewSet.as_view({"post": "create"}),
    ),
    path("api/sized-documents/", SizedDocumentViewSet.as_view({"post": "create"})),
    path(
        "api/guarded/<pk>/",
        DataGuardedTaskViewSet.as_view({"patch": "partial_update"}),
    ),
    path(
        "api/object-perms/<pk>/",
        PermTaskViewSet.as_view(
            {"delete": "destroy"}, permission_classes=[DjangoObjectPermissions]
        ),
    ),
    path(
        "api/read-guarded/<pk>/",
        PermTaskViewSet.as_view(
            {"delete": "destroy"}, permission_classes=[PermReadGuardedObjectPermissions]
        ),
    ),
]


# ------------------------------------------------------------------------------ method and action


def test_create_is_a_post_with_action_create(gql, alice, seen):
    status, body = gql(
        create("createTaskRecorded", "task { notes }"), {"input": {"title": "Hooked"}}
    )
    assert (status, body) == (
        200,
        {"data": {"createTaskRecorded": {"task": {"notes": "set by perform_create"}}}},
    )
    assert seen == [
        ("has_permission", "POST", "create", {}, "Task"),
        ("context", ["format", "info", "request", "view"], "POST", "create"),
    ]


def test_partial_update_is_a_patch_with_the_lookup_in_kwargs(gql, alice, seen):
    task = TaskFactory(title="Old title", owner=alice)
    status, body = gql(
        update("updateTaskRecorded"), {"id": str(task.pk), "input": {"title": "New title"}}
    )
    assert (status, body) == (
        200,
        {"data": {"updateTaskRecorded": {"task": {"title": "New title"}}}},
    )
    assert seen == [
        ("has_permission", "PATCH", "partial_update", {"pk": str(task.pk)}, "Task"),
        ("has_object_permission", "PATCH", "partial_update", task.pk),
    ]


@pytest.mark.urls(__name__)
def test_full_update_is_a_put_with_action_update(gql, alice, seen):
    task = TaskFactory(title="Old title", notes="old notes", owner=alice)
    status, body = gql(
        "mutation($id: ID!, $input: TaskInput!) { permReplaceTaskRecorded(id: $id, input: $input) { task { title notes } } }",
        {"id": str(task.pk), "input": {"title": "Replaced"}},
    )
    assert (status, body) == (
        200,
        # As a REST PUT: a field that is not required and not sent keeps its value.
        {
            "data": {
                "permReplaceTaskRecorded": {"task": {"title": "Replaced", "notes": "old notes"}}
            }
        },
    )
    assert seen == [
        ("has_permission", "PUT", "update", {"pk": str(task.pk)}, "Task"),
        ("has_object_permission", "PUT", "update", task.pk),
    ]


def test_the_test_schema_mutations_stand_for_the_rest_actions():
    assert (UpdateTask._meta.action, UpdateTask._meta.partial) == ("partial_update", True)
    assert (ReplaceTask._meta.action, ReplaceTask._meta.partial) == ("update", False)
    assert ACTION_METHODS == {
        "create": "POST",
        "update": "PUT",
        "partial_update": "PATCH",
        "destroy": "DELETE",
        "retrieve": "GET",
        "list": "GET",
    }


def test_delete_is_a_delete_with_action_destroy(gql, alice, seen):
    task = TaskFactory(owner=alice)
    status, body = gql(delete("deleteTaskRecorded"), {"id": str(task.pk)})
    assert (status, body) == (200, {"data": {"deleteTaskRecorded": {"deletedId": str(task.pk)}}})
    assert seen == [
        ("has_permission", "DELETE", "destroy", {"pk": str(task.pk)}, "Task"),
        ("has_object_permission", "DELETE", "destroy", task.pk),
    ]
    assert not Task.objects.filter(pk=task.pk).exists()


@pytest.mark.urls(__name__)
def test_view_kwargs_hold_the_lookup_field_as_a_router_would(gql, seen):
    project = ProjectFactory(slug="house", name="House")
    status, body = gql(
        'mutation { permUpdateProjectRecorded(slug: "house", input: {name: "Home"}) { project { slug name } } }'
    )
    assert body == {
        "data": {"permUpdateProjectRecorded": {"project": {"slug": "house", "name": "Home"}}}
    }
    assert seen == [
        ("has_permission", "PATCH", "partial_update", {"slug": "house"}, "Project"),
        ("has_object_permission", "PATCH", "partial_update", project.pk),
    ]


@pytest.mark.urls(__name__)
def test_view_get_queryset_is_the_mutations_queryset(gql, alice, seen):
    mine = TaskFactory(title="Mine", owner=alice)
    TaskFactory(title="Also mine", owner=alice)
    TaskFactory(title="Bob's", owner=UserFactory(username="bob"))
    status, body = gql(
        update("permUpdateScopedTaskSpied"), {"id": str(mine.pk), "input": {"notes": "n"}}
    )
    assert (status, body) == (
        200,
        {"data": {"permUpdateScopedTaskSpied": {"task": {"title": "Mine"}}}},
    )
    assert seen == [(["Also mine", "Mine"], Task, "alice")]


# ------------------------------------------------------------------------------ order of checks


def test_has_permission_runs_before_validation_anonymous(gql):
    status, body = gql(
        create("createTaskAuthenticated"), {"input": {"title": "x", "dueDate": "soon"}}
    )
    assert status == 200
    assert failure(body) == denied("createTaskAuthenticated", NO_CREDENTIALS, NOT_AUTHENTICATED)
    assert Task.objects.count() == 0


def test_has_permission_runs_before_validation_logged_in(gql, alice):
    status, body = gql(create("createTaskModelPerms"), {"input": {"title": "x"}})
    assert status == 200
    assert failure(body) == denied("createTaskModelPerms", NO_PERMISSION, PERMISSION_DENIED)


def test_has_permission_runs_before_the_lookup(gql, alice):
    status, body = gql(update("updateTaskModelPerms"), {"id": "424242", "input": {"title": "x"}})
    assert failure(body) == denied("updateTaskModelPerms", NO_PERMISSION, PERMISSION_DENIED)


@pytest.mark.urls(__name__)
def test_has_object_permission_runs_on_the_looked_up_object_before_validation(gql, alice):
    task = TaskFactory(title="Bob's task", owner=UserFactory(username="bob"))
    status, body = gql(
        update("permUpdateAnyTaskIfOwner"), {"id": str(task.pk), "input": {"title": "x"}}
    )
    assert status == 200
    assert failure(body) == denied(
        "permUpdateAnyTaskIfOwner",
        "You must own this task.",
        {"code": "NOT_OWNER", "status": 403},
    )
    task.refresh_from_db()
    assert task.title == "Bob's task"


@pytest.mark.urls(__name__)
def test_owner_passes_the_object_permission_and_then_validation_runs(gql, alice):
    task = TaskFactory(title="Alice's task", owner=alice)
    status, body = gql(
        update("permUpdateAnyTaskIfOwner"), {"id": str(task.pk), "input": {"title": "x"}}
    )
    assert failure(body) == denied(
        "permUpdateAnyTaskIfOwner",
        "Invalid input.",
        {
            "code": "VALIDATION_ERROR",
            "status": 400,
            "errors": [
                {
                    "field": "title",
                    "message": "Ensure this field has at least 3 characters.",
                    "code": "min_length",
                }
            ],
        },
    )
    status, body = gql(
        update("permUpdateAnyTaskIfOwner"), {"id": str(task.pk), "input": {"title": "Renamed"}}
    )
    assert body == {"data": {"permUpdateAnyTaskIfOwner": {"task": {"title": "Renamed"}}}}


def test_object_permission_is_not_checked_when_the_lookup_misses(gql, alice, seen):
    status, body = gql(update("updateTaskRecorded"), {"id": "424242", "input": {"title": "Nope"}})
    assert failure(body) == denied(
        "updateTaskRecorded", "No Task matches the given query.", NOT_FOUND
    )
    assert seen == [("has_permission", "PATCH", "partial_update", {"pk": "424242"}, "Task")]


# ------------------------------------------------------------------------------ IsAuthenticated(OrReadOnly)


@pytest.mark.parametrize("mutation", ["createTaskAuthenticated", "createTaskAuthOrReadOnly"])
def test_anonymous_is_not_authenticated(gql, mutation):
    status, body = gql(create(mutation), {"input": {"title": "Anonymous"}})
    assert status == 200
    assert failure(body) == denied(mutation, NO_CREDENTIALS, NOT_AUTHENTICATED)
    assert Task.objects.count() == 0


@pytest.mark.parametrize("mutation", ["createTaskAuthenticated", "createTaskAuthOrReadOnly"])
def test_logged_in_user_may_create(gql, alice, mutation):
    status, body = gql(create(mutation), {"input": {"title": "Logged in"}})
    assert (status, body) == (
        200,
        {"data": {mutation: {"task": {"title": "Logged in", "ownerName": "alice"}}}},
    )
    assert Task.objects.get().owner == alice


@pytest.mark.urls(__name__)
def test_permission_message_without_code_keeps_permission_denied(gql, alice):
    status, body = gql(create("permCreateTaskFrozen"), {"input": {"title": "Frozen"}})
    assert failure(body) == denied(
        "permCreateTaskFrozen", "Writes are frozen for the release.", PERMISSION_DENIED
    )
    assert Task.objects.count() == 0


@pytest.mark.urls(__name__)
def test_default_permission_classes_come_from_drf_settings(gql, alice, settings):
    query = create("permCreateTaskDefaultPermissions", "task { title }")
    status, body = gql(query, {"input": {"title": "Allowed by AllowAny"}})
    assert body == {
        "data": {"permCreateTaskDefaultPermissions": {"task": {"title": "Allowed by AllowAny"}}}
    }

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_PERMISSION_CLASSES": ["tests.test_permissions.PermWritesFrozen"],
    }
    status, body = gql(query, {"input": {"title": "Refused by the new default"}})
    assert failure(body) == denied(
        "permCreateTaskDefaultPermissions", "Writes are frozen for the release.", PERMISSION_DENIED
    )
    assert list(Task.objects.values_list("title", flat=True)) == ["Allowed by AllowAny"]


# ------------------------------------------------------------------------------ DjangoModelPermissions


def test_model_permissions_refuse_a_user_without_add_permission(gql, alice):
    grant(alice, "change_task", "delete_task")
    status, body = gql(create("createTaskModelPerms"), {"input": {"title": "Not allowed"}})
    assert status == 200
    assert failure(body) == denied("createTaskModelPerms", NO_PERMISSION, PERMISSION_DENIED)
    assert Task.objects.count() == 0


def test_model_permissions_refuse_anonymous_as_not_authenticated(gql):
    status, body = gql(create("createTaskModelPerms"), {"input": {"title": "Anonymous"}})
    assert failure(body) == denied("createTaskModelPerms", NO_CREDENTIALS, NOT_AUTHENTICATED)


def test_model_permissions_let_a_user_with_add_permission_create(gql, alice):
    grant(alice, "add_task")
    status, body = gql(create("createTaskModelPerms"), {"input": {"title": "Allowed"}})
    assert (status, body) == (
        200,
        {"data": {"createTaskModelPerms": {"task": {"title": "Allowed", "ownerName": "alice"}}}},
    )
    assert Task.objects.get().title == "Allowed"


def test_model_permissions_update_needs_change_permission(gql, alice):
    task = TaskFactory(title="Before", owner=alice)
    grant(alice, "add_task", "view_task")
    variables = {"id": str(task.pk), "input": {"title": "After"}}
    status, body = gql(update("updateTaskModelPerms"), variables)
    assert failure(body) == denied("updateTaskModelPerms", NO_PERMISSION, PERMISSION_DENIED)
    task.refresh_from_db()
    assert task.title == "Before"

    grant(alice, "change_task")
    status, body = gql(update("updateTaskModelPerms"), variables)
    assert body == {"data": {"updateTaskModelPerms": {"task": {"title": "After"}}}}
    task.refresh_from_db()
    assert task.title == "After"


# ------------------------------------------------------------------------------ DjangoObjectPermissions


def test_object_permissions_let_the_owner_delete(gql, alice):
    grant(alice, "delete_task")
    task = TaskFactory(owner=alice)
    status, body = gql(delete("deleteTaskObjectPerms"), {"id": str(task.pk)})
    assert (status, body) == (200, {"data": {"deleteTaskObjectPerms": {"deletedId": str(task.pk)}}})
    assert not Task.objects.filter(pk=task.pk).exists()


def test_object_permissions_need_the_model_permission_first(gql, alice):
    task = TaskFactory(owner=alice)
    status, body = gql(delete("deleteTaskObjectPerms"), {"id": str(task.pk)})
    assert failure(body) == denied("deleteTaskObjectPerms", NO_PERMISSION, PERMISSION_DENIED)
    assert Task.objects.filter(pk=task.pk).exists()


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("mutation", "url", "expected"),
    [
        # Stock DjangoObjectPermissions needs no permission to read ("GET": []), so DRF
        # answers 403 to a user who may see the object but not delete it.
        (
            "deleteTaskObjectPerms",
            "/api/object-perms/{}/",
            (403, NO_PERMISSION, PERMISSION_DENIED),
        ),
        # When reading needs view_task too, a user who cannot even read gets DRF's 404.
        (
            "permDeleteTaskReadGuarded",
            "/api/read-guarded/{}/",
            (404, "Not found.", NOT_FOUND),
        ),
    ],
)
def test_object_permissions_refuse_a_non_owner_as_rest_does(
    gql, client, alice, mutation, url, expected
):
    grant(alice, "delete_task", "view_task")
    task = TaskFactory(owner=UserFactory(username="bob"))
    rest_status, message, extensions = expected

    response = client.delete(url.format(task.pk))
    assert (response.status_code, response.json()) == (rest_status, {"detail": message})

    status, body = gql(delete(mutation), {"id": str(task.pk)})
    assert status == 200
    assert failure(body) == denied(mutation, message, extensions)
    assert Task.objects.filter(pk=task.pk).exists()


@pytest.mark.urls(__name__)
def test_read_guarded_object_permissions_let_the_owner_delete(gql, client, alice):
    grant(alice, "delete_task")
    task = TaskFactory(owner=alice)
    status, body = gql(delete("permDeleteTaskReadGuarded"), {"id": str(task.pk)})
    assert body == {"data": {"permDeleteTaskReadGuarded": {"deletedId": str(task.pk)}}}
    assert not Task.objects.exists()


# ------------------------------------------------------------------------------ IsOwner and scoping


def test_is_owner_refuses_a_non_owner_with_its_own_message_and_code(gql, alice):
    task = TaskFactory(title="Bob's", owner=UserFactory(username="bob"))
    status, body = gql(delete("deleteOwnTask"), {"id": str(task.pk)})
    assert status == 200
    assert failure(body) == denied(
        "deleteOwnTask", "You must own this task.", {"code": "NOT_OWNER", "status": 403}
    )
    assert Task.objects.filter(pk=task.pk, title="Bob's").exists()


def test_is_owner_lets_the_owner_delete(gql, alice):
    task = TaskFactory(owner=alice)
    status, body = gql(delete("deleteOwnTask"), {"id": str(task.pk)})
    assert body == {"data": {"deleteOwnTask": {"deletedId": str(task.pk)}}}
    assert not Task.objects.exists()


def test_is_owner_refuses_anonymous_as_not_authenticated(gql):
    task = TaskFactory()
    status, body = gql(delete("deleteOwnTask"), {"id": str(task.pk)})
    assert failure(body) == denied("deleteOwnTask", NO_CREDENTIALS, NOT_AUTHENTICATED)
    assert Task.objects.filter(pk=task.pk).exists()


def test_object_outside_get_queryset_is_not_found_and_untouched(gql, alice):
    task = TaskFactory(title="Bob's", owner=UserFactory(username="bob"))
    status, body = gql(
        update("updateOwnTask"), {"id": str(task.pk), "input": {"title": "Taken over"}}
    )
    assert status == 200
    assert failure(body) == denied("updateOwnTask", "No Task matches the given query.", NOT_FOUND)
    task.refresh_from_db()
    assert (task.title, task.owner.username) == ("Bob's", "bob")


def test_object_inside_get_queryset_is_updated(gql, alice):
    task = TaskFactory(title="Mine", owner=alice)
    status, body = gql(
        update("updateOwnTask"), {"id": str(task.pk), "input": {"title": "Still mine"}}
    )
    assert body == {"data": {"updateOwnTask": {"task": {"title": "Still mine"}}}}
    task.refresh_from_db()
    assert task.title == "Still mine"


# ------------------------------------------------------------------------------ serializer context


@pytest.mark.urls(__name__)
def test_serializer_context_is_what_a_rest_view_gives(gql, alice, seen):
    status, body = gql(
        "mutation($input: PermGuardedTaskInput!) { permCreateGuardedTask(input: $input) { task { title ownerName } } }",
        {"input": {"title": "Context"}},
    )
    assert (status, body) == (
        200,
        {"data": {"permCreateGuardedTask": {"task": {"title": "Context", "ownerName": "alice"}}}},
    )
    [context] = seen
    assert sorted(context) == ["format", "info", "request", "view"]
    request, view = context["request"], context["view"]
    assert isinstance(request, Request)
    assert request.user == alice
    assert request.user.is_authenticated
    assert request.method == "POST"
    assert request._request.path == "/graphql/"
    assert isinstance(view, OperationView)
    assert (view.action, view.kwargs, view.args, view.request) == ("create", {}, (), request)
    assert view.operation is PermCreateGuardedTask
    assert context["format"] is None
    assert context["info"].field_name == "permCreateGuardedTask"
    assert Task.objects.get().owner == alice


def test_current_user_default_fills_the_owner(gql, alice):
    status, body = gql(create("createTask"), {"input": {"title": "Owned"}})
    assert body == {"data": {"createTask": {"task": {"title": "Owned", "ownerName": "alice"}}}}
    assert Task.objects.get().owner == alice


@pytest.mark.urls(__name__)
def test_validate_field_method_reads_the_request_user(gql, alice):
    query = "mutation($input: PermGuardedTaskInput!) { permCreateGuardedTask(input: $input) { task { title } } }"
    status, body = gql(query, {"input": {"title": "Urgent: fix it"}})
    assert failure(body) == denied(
        "permCreateGuardedTask",
        "Invalid input.",
        {
            "code": "VALIDATION_ERROR",
            "status": 400,
            "errors": [
                {
                    "field": "title",
                    "message": "Only staff may file urgent tasks.",
                    "code": "staff_only",
                }
            ],
        },
    )
    alice.is_staff = True
    alice.save()
    status, body = gql(query, {"input": {"title": "Urgent: fix it"}})
    assert body == {"data": {"permCreateGuardedTask": {"task": {"title": "Urgent: fix it"}}}}


@pytest.mark.urls(__name__)
def test_validate_method_reads_the_request_user(gql, alice):
    TaskFactory(title="Water plants", owner=alice)
    TaskFactory(title="Feed cat", owner=UserFactory(username="bob"))
    query = "mutation($input: PermGuardedTaskInput!) { permCreateGuardedTask(input: $input) { task { title } } }"
    status, body = gql(query, {"input": {"title": "Water plants"}})
    assert failure(body) == denied(
        "permCreateGuardedTask",
        "Invalid input.",
        {
            "code": "VALIDATION_ERROR",
            "status": 400,
            "errors": [
                {
                    "field": None,
                    "message": "You already have a task with this title.",
                    "code": "duplicate_title",
                }
            ],
        },
    )
    # Bob's task with the same title is not Alice's business.
    status, body = gql(query, {"input": {"title": "Feed cat"}})
    assert body == {"data": {"permCreateGuardedTask": {"task": {"title": "Feed cat"}}}}


# ------------------------------------------------------------------------------ units


def test_drf_request_wraps_the_http_request_once():
    http_request = HttpRequest()
    http_request.method = "POST"
    http_request.user = UserFactory(username="carol")
    request = drf_request(http_request)
    assert isinstance(request, Request)
    assert request._request is http_request
    assert request.user == http_request.user
    assert (request.method, request.data, dict(request.FILES)) == ("POST", {}, {})
    assert drf_request(http_request) is request
    assert drf_request(request) is request


def test_drf_request_without_a_user_is_anonymous():
    request = drf_request(HttpRequest())
    assert isinstance(request.user, AnonymousUser)
    assert request.auth is None


def test_operation_request_has_the_rest_method_and_the_same_user():
    http_request = HttpRequest()
    http_request.method = "POST"
    http_request.user = AnonymousUser()
    patch = operation_request(http_request, "PATCH")
    assert patch.method == "PATCH"
    assert patch.user is http_request.user
    assert operation_request(http_request, "POST") is drf_request(http_request)
    assert drf_request(http_request).method == "POST"


def _http_request():
    http_request = HttpRequest()
    http_request.method = "POST"
    http_request.tenant = "acme"
    return http_request


def _initial_request(user=None):
    """A DRF request as a REST view leaves it: negotiated, versioned, maybe force-authenticated."""
    from rest_framework.test import APIRequestFactory, force_authenticate
    from rest_framework.views import APIView

    http_request = APIRequestFactory().post("/tasks/?page=2", {"title": "x"}, format="json")
    http_request.tenant = "acme"  # something a middleware put on the HttpRequest
    if user is not None:
        force_authenticate(http_request, user=user, token="t0k")
    view = APIView()
    request = view.initialize_request(http_request)
    view.initial(request)
    request.data  # noqa: B018 - parsed, as after a view read it
    return request


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: drf_request(_http_request()), id="graphql-request"),
        pytest.param(_initial_request, id="after-apiview-initial"),
        pytest.param(lambda: _initial_request(UserFactory.build()), id="force-authenticated"),
    ],
)
def test_clone_request_is_drfs(make):
    """The cheaper clone carries what rest_framework.request.clone_request carries, and what
    else was set on the original (an authenticator's findings, a middleware's)."""
    from rest_framework.request import clone_request as drf_clone_request

    def state(request):
        own = dict(vars(request))
        context = own.pop("parser_context")
        authenticators = own.pop("authenticators")
        return (
            own,
            {key: value for key, value in context.items() if key != "request"},
            [(type(a), getattr(a, "force_user", None)) for a in authenticators],
        )

    original = make()
    theirs = drf_clone_request(original, "PATCH")
    theirs_state = state(theirs)
    ours = clone_request(original, "PATCH")
    ours_state = state(ours)
    theirs_own, ours_own = theirs_state[0], ours_state[0]
    # DRF's probe copies what only the HttpRequest has; the clone reads it from there.
    for name in set(theirs_own) - set(ours_own):
        assert getattr(ours, name) == theirs_own[name]
        assert name not in vars(original)
    assert {k: v for k, v in theirs_own.items() if k in ours_own} == {
        k: v for k, v in ours_own.items() if k in theirs_own
    }
    for name in set(ours_own) - set(theirs_own):
        assert ours_own[name] is vars(original)[name]  # inherited as it is
    assert theirs_state[1:] == ours_state[1:]
    # The clone's parser_context is its own dict, naming the clone: DRF's clone shares the
    # original's and re-points it (the original's parser_context then names DRF's clone).
    assert original.parser_context["request"] is theirs
    assert ours.parser_context is not original.parser_context
    assert ours.parser_context["request"] is ours
    assert (ours.method, ours.user, ours.auth, ours.data) == (
        "PATCH",
        theirs.user,
        theirs.auth,
        theirs.data,
    )
    assert ours.query_params == theirs.query_params
    assert ours.tenant == theirs.tenant == "acme"


def test_operation_view_context_and_queryset():
    request = drf_request(HttpRequest())
    view = OperationView(ReplaceTask, "info", request, "update", {"pk": "7"})
    assert view.get_serializer_context() == {
        "request": request,
        "view": view,
        "format": None,
        "info": "info",
    }
    assert view.get_queryset().model is Task
    assert view.queryset.model is Task
    assert view.format_kwarg is None
    assert repr(view) == "<OperationView ReplaceTask update>"


class NamingRefusal(BasePermission):
    """A project's permission written for its REST views: its message names the view."""

    def has_permission(self, request, view):
        self.message = f"{view.get_view_name()} is closed for writes."
        return False


def test_what_a_message_or_a_link_reads_of_the_view():
    """What DRF's views have and permissions read: no AttributeError (a 500) here."""
    request = drf_request(HttpRequest())
    info = type("Info", (), {"field_name": "replaceTask"})()
    view = OperationView(ReplaceTask, info, request, "update", {"pk": "7"})
    assert (view.name, view.description, view.suffix, view.paginator) == (
        None,
        None,
        "Instance",
        None,
    )
    assert view.get_view_name() == "replaceTask"
    assert view.get_view_description() == ""
    assert view.get_renderer_context() == {
        "view": view,
        "args": (),
        "kwargs": {"pk": "7"},
        "request": request,
    }
    assert view.settings is api_settings
    assert OperationView(ReplaceTask, info, request, "create").suffix == "List"
    assert not NamingRefusal().has_permission(request, view)


@pytest.mark.django_db
def test_a_refusal_naming_the_view_is_refused_not_a_server_error():
    class ClosedProjectCreate(CreateMutation):
        class Meta:
            serializer_class = ProjectSerializer
            permission_classes = [NamingRefusal]

    schema = graphene.Schema(
        query=PermQuery,
        mutation=type(
            "ClosedMutation", (graphene.ObjectType,), {"create": ClosedProjectCreate.Field()}
        ),
    )
    request = RequestFactory().post(
        "/graphql/",
        json.dumps({"query": 'mutation { create(input: {slug: "x", name: "X"}) { __typename } }'}),
        content_type="application/json",
    )
    request.user = UserFactory()
    request._dont_enforce_csrf_checks = True
    body = json.loads(DRFGraphQLView.as_view(schema=schema)(request).content)
    assert body["errors"][0]["message"] == "create is closed for writes."
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_action_methods_drive_is_authenticated_or_read_only():
    anonymous = HttpRequest()
    anonymous.user = AnonymousUser()
    permission = IsAuthenticatedOrReadOnly()
    judged = {
        action: permission.has_permission(operation_request(anonymous, method), None)
        for action, method in ACTION_METHODS.items()
    }
    assert judged == {
        "create": False,
        "update": False,
        "partial_update": False,
        "destroy": False,
        "retrieve": True,
        "list": True,
    }


# ------------------------------------------------------------------ what else permissions read


class PermVersionAndRenderer(BasePermission):
    """Reads what ``APIView.initial`` sets before permissions run."""

    message = "Unexpected request."

    def has_permission(self, request, view):
        return request.version is None and request.accepted_renderer.format == "json"


class PermRefusesWithCode(BasePermission):
    message = "Your address is not allowed."
    code = "ip_blocked"

    def has_permission(self, request, view):
        return False


class PermOwnerViaGetObject(BasePermission):
    """Looks the object up from ``has_permission``, as some REST permissions do."""

    message = "Only the owner may do that."

    def has_permission(self, request, view):
        if view.action != "destroy":
            return True
        return view.get_object().owner_id == request.user.pk


class PermCreateTaskVersioned(CreateMutation):
    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [PermVersionAndRenderer]


class PermCreateTaskRefused(CreateMutation):
    class Meta:
        serializer_class = TaskSerializer
        permission_classes = [PermRefusesWithCode]


class PermDeleteTaskOwnerViaGetObject(DeleteMutation):
    class Meta:
        model = Task
        permission_classes = [IsAuthenticated, PermOwnerViaGetObject]


read_schema_mutation = type(
    "PermReadMutation",
    (graphene.ObjectType,),
    {
        "perm_create_task_versioned": PermCreateTaskVersioned.Field(),
        "perm_create_task_refused": PermCreateTaskRefused.Field(),
        "perm_delete_task_owner_via_get_object": PermDeleteTaskOwnerViaGetObject.Field(),
    },
)
read_schema = graphene.Schema(query=PermQuery, mutation=read_schema_mutation)


def rest_twin(*permission_classes, authentication_classes=None, actions=None):
    extra = {"permission_classes": list(permission_classes)}
    if authentication_classes is not None:
        extra["authentication_classes"] = authentication_classes
    return PermTaskViewSet.as_view(actions or {"post": "create"}, **extra)


urlpatterns += [
    path("read-graphql/", DRFGraphQLView.as_view(schema=read_schema)),
    path(
        "read-graphql-no-auth/",
        DRFGraphQLView.as_view(schema=read_schema, authentication_classes=[]),
    ),
    path("api/versioned/", rest_twin(PermVersionAndRenderer)),
    path("api/refused/", rest_twin(PermRefusesWithCode, authentication_classes=[])),
    path(
        "api/owner-via-get-object/<pk>/",
        rest_twin(IsAuthenticated, PermOwnerViaGetObject, actions={"delete": "destroy"}),
    ),
]


def post_to(client, url, query, variables):
    body = {"query": query, "variables": variables}
    return client.post(url, json.dumps(body), content_type="application/json").json()


@pytest.mark.urls(__name__)
def test_permissions_may_read_the_version_and_the_renderer(client, alice):
    client.force_login(alice)
    data = {"title": "Versioned"}
    assert client.post("/api/versioned/", data, content_type="application/json").status_code == 201
    body = post_to(client, "/read-graphql/", create("permCreateTaskVersioned"), {"input": data})
    assert body == {
        "data": {"permCreateTaskVersioned": {"task": {"title": "Versioned", "ownerName": "alice"}}}
    }


@pytest.mark.urls(__name__)
def test_without_authenticators_a_refusal_is_403_with_the_permissions_words(client):
    """DRF raises ``NotAuthenticated`` only when some authenticator could have identified
    the caller; a view that authenticates no one refuses with the permission's 403."""
    response = client.post("/api/refused/", {"title": "x"}, content_type="application/json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Your address is not allowed."},
    )
    body = post_to(
        client, "/read-graphql-no-auth/", create("permCreateTaskRefused"), {"input": {"title": "x"}}
    )
    assert failure(body) == denied(
        "permCreateTaskRefused",
        "Your address is not allowed.",
        {"code": "IP_BLOCKED", "status": 403},
    )


@pytest.mark.urls(__name__)
def test_a_permission_may_look_the_object_up_through_the_view(client, alice):
    others, own = TaskFactory(), TaskFactory(owner=alice)
    client.force_login(alice)
    response = client.delete(f"/api/owner-via-get-object/{others.pk}/")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only the owner may do that."},
    )
    mutation = "permDeleteTaskOwnerViaGetObject"
    body = post_to(client, "/read-graphql/", delete(mutation), {"id": others.pk})
    assert failure(body) == denied(
        mutation, "Only the owner may do that.", {"code": "PERMISSION_DENIED", "status": 403}
    )
    assert Task.objects.filter(pk=others.pk).exists()
    body = post_to(client, "/read-graphql/", delete(mutation), {"id": 10**9})
    assert failure(body)[1][0]["extensions"] == {"code": "NOT_FOUND", "status": 404}
    body = post_to(client, "/read-graphql/", delete(mutation), {"id": own.pk})
    assert body == {"data": {mutation: {"deletedId": str(own.pk)}}}


# ------------------------------------------------------------------------------ request.data


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("create_field", "update_field", "returned"),
    [
        ("createBodyJudgedTask", "updateBodyJudgedTask", "bodyJudgedTask"),
        ("createDataGuardedTask", "updateDataGuardedTask", "task"),
    ],
    ids=["ViewSetCrud", "mutations"],
)
def test_permissions_judge_the_input_as_rests_body(client, create_field, update_field, returned):
    """``request.data`` holds the operation's input, as the REST call's body: a permission
    that reads it refuses the same writes, and nothing is written."""
    client.force_login(UserFactory())
    response = client.post(
        "/api/guarded/", json.dumps({"title": "R", "priority": 9}), content_type="application/json"
    )
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only staff may set a priority above 5."},
    )

    def post(query):
        response = client.post(
            "/data-graphql/", json.dumps({"query": query}), content_type="application/json"
        )
        return response.json()

    body = post(
        f'mutation {{ {create_field}(input: {{title: "G", priority: 9}}) {{ {returned} {{ id }} }} }}'
    )
    assert failure(body) == denied(
        create_field, "Only staff may set a priority above 5.", PERMISSION_DENIED
    )
    task = TaskFactory(title="Low", priority=1)
    body = post(
        f'mutation {{ {update_field}(id: "{task.pk}", input: {{priority: 9}}) '
        f"{{ {returned} {{ id }} }} }}"
    )
    assert failure(body) == denied(
        update_field, "Only staff may set a priority above 5.", PERMISSION_DENIED
    )
    assert list(Task.objects.values_list("title", "priority")) == [("Low", 1)]
    body = post(
        f'mutation {{ {create_field}(input: {{title: "Good", priority: 2}}) {{ {returned} {{ id }} }} }}'
    )
    assert "errors" not in body


@pytest.mark.urls(__name__)
def test_a_viewsets_perform_create_reads_the_input_as_rests_body(client):
    client.force_login(UserFactory())
    response = client.post(
        "/api/guarded/",
        json.dumps({"title": "Rest", "priority": 2}),
        content_type="application/json",
    )
    assert response.status_code == 201
    response = client.post(
        "/data-graphql/",
        json.dumps(
            {
                "query": 'mutation { createBodyJudgedTask(input: {title: "Good", priority: 2}) { bodyJudgedTask { id } } }'
            }
        ),
        content_type="application/json",
    )
    assert "errors" not in response.json()
    assert list(Task.objects.order_by("pk").values_list("notes", flat=True)) == [
        "sent ['priority', 'title']",
        "sent ['priority', 'title']",
    ]


@pytest.mark.urls(__name__)
def test_uploads_are_in_request_files_as_in_a_multipart_rest_call(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    FilesSeen.seen.clear()
    FilesSeen.posted.clear()
    response = client.post(
        "/api/sized-documents/",
        {"name": "R", "file": SimpleUploadedFile("r.txt", b"12345", content_type="text/plain")},
    )
    assert response.status_code == 201, response.content
    query = (
        'mutation($file: Upload) { createSizedDocument(input: {name: "G", file: $file}) '
        "{ sizedDocument { name } } }"
    )
    body = client.post(
        "/data-graphql/",
        {
            "operations": json.dumps({"query": query, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
            "0": SimpleUploadedFile("g.txt", b"123", content_type="text/plain"),
        },
    ).json()
    assert body == {"data": {"createSizedDocument": {"sizedDocument": {"name": "G (3 bytes)"}}}}
    assert FilesSeen.seen == [["file"], ["file"]]
    # request.POST: the form's fields without the files, not the transport's operations
    # and map; on the endpoint's request (a create) and on an update's copy alike.
    assert FilesSeen.posted == [("QueryDict", {"name": ["R"]}), ("QueryDict", {"name": ["G"]})]
    update = (
        "mutation($id: ID!, $file: Upload) { updateSizedDocument(id: $id, "
        'input: {name: "U", file: $file}) { sizedDocument { name } } }'
    )
    document = Document.objects.get(name="G (3 bytes)")
    body = client.post(
        "/data-graphql/",
        {
            "operations": json.dumps(
                {"query": update, "variables": {"id": str(document.pk), "file": None}}
            ),
            "map": json.dumps({"0": ["variables.file"]}),
            "0": SimpleUploadedFile("u.txt", b"1", content_type="text/plain"),
        },
    ).json()
    assert "errors" not in body, body
    assert FilesSeen.seen[-1] == ["file"]
    assert FilesSeen.posted[-1] == ("QueryDict", {"name": ["U"]})


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("endpoint_query", ["", "?tenant=acme"])
def test_a_create_runs_on_the_endpoints_request(client, endpoint_query):
    """A query string of the endpoint's own, hidden from the operation, leaves it there."""
    query = (
        'mutation { createMarkedProject(input: {slug: "m", name: "Marked"}) { project { name } } }'
    )
    body = client.post(
        f"/data-graphql/{endpoint_query}",
        json.dumps({"query": query}),
        content_type="application/json",
    ).json()
    assert body == {"data": {"createMarkedProject": {"project": {"name": "Marked MarksRequest"}}}}


# ------------------------------------------------------------------------------ view and request


class ScopedKeyAuthentication(BaseAuthentication):
    """``X-Api-Key: <username>``; notes the key's scopes on the request, as API-key and
    OAuth authenticators commonly do."""

    def authenticate(self, request):
        username = request.META.get("HTTP_X_API_KEY")
        if not username:
            return None
        request.api_scopes = {"read", "write"}
        return (get_user_model().objects.get(username=username), username)


class NotesWhatItSees(BasePermission):
    """Reads what a REST view and request offer a permission, and notes it."""

    seen: list = []

    def has_permission(self, request, view):
        NotesWhatItSees.seen.append(
            {
                "scopes": request.api_scopes,
                "kwargs": request.parser_context["kwargs"],
                "parser_context_view": request.parser_context["view"] is view,
                "serializer_class": view.get_serializer_class().__name__,
                "lookup": view.lookup_url_kwarg or view.lookup_field,
                "detail": view.detail,
                "basename": view.basename,
                "query_params": dict(request.query_params.lists()),
            }
        )
        return True


class SeenTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "status", "priority"]


class SeenTaskViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = SeenTaskSerializer
    authentication_classes = [ScopedKeyAuthentication]
    permission_classes = [NotesWhatItSees]


SEEN_META = {"serializer_class": SeenTaskSerializer, "permission_classes": [NotesWhatItSees]}
seen_schema = graphene.Schema(
    query=type(
        "SeenQuery",
        (graphene.ObjectType,),
        {
            "seen_task": RetrieveField(SeenTaskSerializer, permission_classes=[NotesWhatItSees]),
            "seen_tasks": ListField(
                SeenTaskSerializer,
                filterset_fields=["status"],
                ordering_fields=["priority", "due_date"],
                permission_classes=[NotesWhatItSees],
            ),
        },
    ),
    mutation=type(
        "SeenMutation",
        (graphene.ObjectType,),
        {
            f"{verb}_seen_task": type(
                f"{verb.title()}SeenTask", (base,), {"Meta": type("Meta", (), SEEN_META)}
            ).Field()
            for verb, base in (
                ("create", CreateMutation),
                ("update", UpdateMutation),
                ("delete", DeleteMutation),
            )
        },
    ),
)
seen_router = DefaultRouter()
seen_router.register("seen-tasks", SeenTaskViewSet, basename="task")
urlpatterns += [
    path(
        "seen-graphql/",
        DRFGraphQLView.as_view(
            schema=seen_schema, authentication_classes=[ScopedKeyAuthentication]
        ),
    ),
    path("api/", include(seen_router.urls)),
]

SEEN_CALLS = {
    "create": (
        "post",
        "/api/seen-tasks/",
        {"title": "New"},
        'mutation { createSeenTask(input: {title: "New"}) { task { id } } }',
    ),
    "update": (
        "patch",
        "/api/seen-tasks/{pk}/",
        {"priority": 2},
        "mutation { updateSeenTask(id: {pk}, input: {priority: 2}) { task { id } } }",
    ),
    "delete": (
        "delete",
        "/api/seen-tasks/{pk}/",
        None,
        "mutation { deleteSeenTask(id: {pk}) { deletedId } }",
    ),
    "retrieve": ("get", "/api/seen-tasks/{pk}/", None, "{ seenTask(id: {pk}) { id } }"),
    "list": (
        "get",
        "/api/seen-tasks/?status=todo&ordering=-due_date,priority&limit=2",
        None,
        '{ seenTasks(filter: {status: "todo"}, orderBy: ["-dueDate", "priority"], limit: 2) '
        "{ totalCount } }",
    ),
}


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("endpoint_query", ["", "?tenant=acme"])
@pytest.mark.parametrize("operation", list(SEEN_CALLS))
def test_every_operation_shows_permissions_what_rest_shows(client, operation, endpoint_query):
    """The authenticator's findings on the request, ``parser_context``'s view and kwargs,
    the view's serializer class, lookup, detail and basename, and the query string: the
    REST call's, not the GraphQL endpoint's own (``?tenant=``, a GET's document)."""
    UserFactory(username="keyholder")
    method, url, data, document = SEEN_CALLS[operation]
    seen = NotesWhatItSees.seen
    seen.clear()
    task = TaskFactory()
    response = getattr(client, method)(
        url.format(pk=task.pk), data, content_type="application/json", HTTP_X_API_KEY="keyholder"
    )
    assert response.status_code < 300, response.content
    task = TaskFactory()
    query = document.replace("{pk}", f'"{task.pk}"')
    body = client.post(
        f"/seen-graphql/{endpoint_query}",
        json.dumps({"query": query}),
        content_type="application/json",
        HTTP_X_API_KEY="keyholder",
    ).json()
    assert "errors" not in body, body
    rest, graphql = seen
    if "pk" in rest["kwargs"]:
        assert (rest["kwargs"], graphql["kwargs"]) == (
            {"pk": str(task.pk - 1)},
            {"pk": str(task.pk)},
        )
        rest["kwargs"] = graphql["kwargs"]
    assert graphql == rest


class NotesOnTheRequest(BasePermission):
    """Notes on the request what it judged, as permissions that memoize a verdict do."""

    seen: list = []

    def has_permission(self, request, view):
        NotesOnTheRequest.seen.append((view.action, getattr(request, "noted", None)))
        request.noted = view.action
        return True


class NotesTheOperation(BasePermission):
    """Reads what a graphene middleware set on ``info.context`` for this operation."""

    seen: list = []

    def has_permission(self, request, view):
        NotesTheOperation.seen.append(getattr(request, "operation_alias", None))
        return True


def alias_middleware(next_, root, info, **kwargs):
    if info.path.prev is None:  # a root field: note which operation runs now
        info.context.operation_alias = info.path.key
    return next_(root, info, **kwargs)


NOTING_META = {
    "serializer_class": SeenTaskSerializer,
    "permission_classes": [NotesOnTheRequest, NotesTheOperation],
}
noting_schema = graphene.Schema(
    query=type(
        "NotingQuery",
        (graphene.ObjectType,),
        {
            "noted_task": RetrieveField(
                SeenTaskSerializer, permission_classes=[NotesOnTheRequest, NotesTheOperation]
            )
        },
    ),
    mutation=type(
        "NotingMutation",
        (graphene.ObjectType,),
        {
            f"{verb}_noted_task": type(
                f"{verb.title()}NotedTask", (base,), {"Meta": type("Meta", (), NOTING_META)}
            ).Field()
            for verb, base in (("create", CreateMutation), ("update", UpdateMutation))
        },
    ),
)
urlpatterns += [
    path(
        "noting-graphql/",
        DRFGraphQLView.as_view(schema=noting_schema, middleware=[alias_middleware]),
    )
]


@pytest.mark.urls(__name__)
def test_what_one_operation_notes_on_its_request_stays_its_own(client):
    """A create runs on the endpoint's request: what its permission notes there (a memoized
    verdict) must not reach the next operation, as no REST call sees another's."""
    task = TaskFactory()
    NotesOnTheRequest.seen.clear()
    NotesTheOperation.seen.clear()
    query = (
        'mutation { a: createNotedTask(input: {title: "New"}) { task { id } } '
        'b: createNotedTask(input: {title: "Newer"}) { task { id } } '
        f'c: updateNotedTask(id: "{task.pk}", input: {{priority: 9}}) {{ task {{ id }} }} }}'
    )
    body = client.post(
        "/noting-graphql/", json.dumps({"query": query}), content_type="application/json"
    ).json()
    assert "errors" not in body, body
    assert NotesOnTheRequest.seen == [("create", None), ("create", None), ("partial_update", None)]
    # What a graphene middleware sets for each operation, each operation sees.
    assert NotesTheOperation.seen == ["a", "b", "c"]


@pytest.mark.urls(__name__)
def test_reads_sent_by_get_keep_what_they_note_to_themselves(client):
    """Reads sent by GET run on the endpoint's request itself, as creates posted do."""
    task = TaskFactory()
    NotesOnTheRequest.seen.clear()
    query = f'{{ a: notedTask(id: "{task.pk}") {{ id }} b: notedTask(id: "{task.pk}") {{ id }} }}'
    body = client.get("/noting-graphql/", {"query": query}).json()
    assert "errors" not in body, body
    assert NotesOnTheRequest.seen == [("retrieve", None), ("retrieve", None)]


def test_each_operation_view_has_headers_of_its_own():
    request = drf_request(_http_request())
    first = OperationView(None, None, request, "retrieve")
    first.headers["X-Seen"] = "1"
    assert OperationView(None, None, request, "retrieve").headers == {}


def test_composed_permissions_read_the_object_when_a_part_does():
    from drf_graphql_crud.queries import reads_the_object

    assert not reads_the_object((IsAuthenticated | IsAdminUser)())
    assert reads_the_object((IsAuthenticated & IsOwner)())
    assert reads_the_object((~IsOwner)())


# ------------------------------------------------------------------------------ forms and POST


class PostSeen(BasePermission):
    """Notes ``request.POST`` as a permission class written for REST reads it."""

    seen: list = []

    def has_permission(self, request, view):
        posted = request.POST
        PostSeen.seen.append((type(posted).__name__, posted.get("name"), dict(posted.lists())))
        return True


class FormTagViewSet(viewsets.ModelViewSet):
    """Decides itself how callers authenticate: by session (CSRF checked) or token."""

    queryset = Tag.objects.order_by("pk")
    serializer_class = TagSerializer
    authentication_classes = [SessionAuthentication, TokenAuthentication]
    permission_classes = [IsAuthenticated, PostSeen]


class BulkCreateFormTags(BulkCreateMutation):
    class Meta:
        serializer_class = TagSerializer
        permission_classes = [PostSeen]


form_tags = ViewSetCrud(FormTagViewSet, name="formTag")
form_schema = graphene.Schema(
    query=type(
        "FormQuery",
        (form_tags.Query, graphene.ObjectType),
        {"tags": ListField(TagSerializer, permission_classes=[PostSeen])},
    ),
    mutation=type(
        "FormMutation",
        (form_tags.Mutation, graphene.ObjectType),
        {"bulk_create_form_tags": BulkCreateFormTags.Field()},
    ),
)
form_router = DefaultRouter()
form_router.register("session-tags", FormTagViewSet, basename="session-tag")
urlpatterns += [
    path("form-graphql/", DRFGraphQLView.as_view(schema=form_schema)),
    path("api/forms/", include(form_router.urls)),
]


def _session_client():
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    return client, _mask_cipher_secret(secret)


def _create_tag(name):
    return f'mutation {{ createFormTag(input: {{name: "{name}"}}) {{ formTag {{ name }} }} }}'


@pytest.mark.urls(__name__)
def test_a_viewsets_own_session_authentication_reads_the_token_in_the_form():
    """The token a session client posts in its form, as REST reads it, whatever body the
    operation carries when the viewset authenticates; without it, refused as REST does."""
    from urllib.parse import urlencode

    client, token = _session_client()
    response = client.post("/api/forms/session-tags/", {"name": "r", "csrfmiddlewaretoken": token})
    assert response.status_code == 201, response.content
    response = client.post(
        "/form-graphql/",
        urlencode({"query": _create_tag("form"), "csrfmiddlewaretoken": token}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.json() == {"data": {"createFormTag": {"formTag": {"name": "form"}}}}
    operations = json.dumps({"query": _create_tag("upload")})
    response = client.post(
        "/form-graphql/", {"operations": operations, "map": "{}", "csrfmiddlewaretoken": token}
    )
    assert response.json() == {"data": {"createFormTag": {"formTag": {"name": "upload"}}}}
    response = client.post(
        "/form-graphql/",
        urlencode({"query": _create_tag("no token")}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.json()["errors"][0]["message"] == "CSRF Failed: CSRF token missing."
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["form", "r", "upload"]


@pytest.mark.urls(__name__)
def test_request_post_is_the_querydict_rest_gives_for_every_operation_of_a_form(client):
    """A form's fields as a QueryDict for a write, an empty one for a read, a delete or a
    write whose input is no object (a bulk create): never the transport's own form."""
    from urllib.parse import urlencode

    client.force_login(UserFactory())
    tag = Tag.objects.create(name="old")
    PostSeen.seen.clear()
    response = client.post("/api/forms/session-tags/", {"name": "r"})
    assert response.status_code == 201, response.content
    client.delete(f"/api/forms/session-tags/{tag.pk}/")
    client.get("/api/forms/session-tags/")
    rest = list(PostSeen.seen)
    assert rest == [
        ("QueryDict", "r", {"name": ["r"]}),
        ("QueryDict", None, {}),
        ("QueryDict", None, {}),
    ]
    tag = Tag.objects.create(name="old")
    PostSeen.seen.clear()
    document = (
        f'mutation {{ c: createFormTag(input: {{name: "g"}}) {{ formTag {{ name }} }} '
        f'd: deleteFormTag(id: "{tag.pk}") {{ deletedId }} }}'
    )
    for query in (document, "{ formTags { results { name } } }"):
        body = client.post(
            "/form-graphql/", urlencode({"query": query}),
            content_type="application/x-www-form-urlencoded",
        ).json()  # fmt: skip
        assert "errors" not in body, body
    assert PostSeen.seen == [("QueryDict", "g", {"name": ["g"]}), *rest[1:]]
    PostSeen.seen.clear()
    for query in ("{ tags { results { name } } }", 'mutation { bulkCreateFormTags(input: [{name: "a"}]) { tags { name } } }'):  # fmt: skip  # noqa: E501
        body = client.post("/form-graphql/", {"operations": json.dumps({"query": query}), "map": "{}"}).json()  # fmt: skip  # noqa: E501
        assert "errors" not in body, body
    assert PostSeen.seen == [("QueryDict", None, {}), ("QueryDict", None, {})]


@pytest.mark.parametrize("parsed", [True, False])
def test_a_rest_requests_clone_answers_post_as_drfs(parsed):
    """A project's REST request as the context (a form body, read or not): its clone's POST is
    what DRF's clone_request gives, repeated values included."""
    from rest_framework.request import clone_request as drf_clone_request
    from rest_framework.test import APIRequestFactory
    from rest_framework.views import APIView

    def rest_request():
        http = APIRequestFactory().post(
            "/x/", "tags=1&tags=2&name=a", content_type="application/x-www-form-urlencoded"
        )
        view = APIView()
        request = view.initialize_request(http)
        view.initial(request)
        if parsed:
            request.data  # noqa: B018
        return request

    expected = dict(drf_clone_request(rest_request(), "PATCH").POST.lists())
    assert expected == {"tags": ["1", "2"], "name": ["a"]}
    assert dict(clone_request(rest_request(), "PATCH").POST.lists()) == expected
