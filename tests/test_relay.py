"""Relay global IDs where the output type is a Relay node: reads, node(id:), writes, deletes."""

import base64
import json

import graphene
import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps
from django.urls import include, path
from django.utils import timezone
from graphene import relay
from graphene.relay.id_type import BaseGlobalIDType
from graphql_relay import to_global_id
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated

from drf_graphql_crud import (
    CreateMutation,
    DeleteMutation,
    DRFGraphQLView,
    ListField,
    RetrieveField,
    SerializerObjectType,
    UpdateMutation,
    ViewSetCrud,
)
from drf_graphql_crud.checks import check_drf_graphql_crud
from drf_graphql_crud.relay import NoRow, node_lookup
from drf_graphql_crud.types import node_types
from tests.factories import ProjectFactory, TaskFactory, UserFactory
from tests.testapp.models import Project, Task
from tests.testapp.serializers import ProjectSerializer, TaskSerializer
from tests.testapp.views import ProjectViewSet, TaskViewSet
from tests.urls import router

pytestmark = pytest.mark.django_db

seen_kwargs = []


class RecordingObjectPermission(BasePermission):
    """Lets everything through; records the view's kwargs the object check saw."""

    def has_object_permission(self, request, view, obj):
        seen_kwargs.append(dict(view.kwargs))
        return True


class TaskNode(SerializerObjectType):
    class Meta:
        serializer_class = TaskSerializer
        interfaces = (relay.Node,)
        queryset = Task.objects.all()
        permission_classes = [RecordingObjectPermission]


class ProjectNode(SerializerObjectType):
    class Meta:
        serializer_class = ProjectSerializer
        interfaces = (relay.Node,)
        queryset = Project.objects.exclude(slug="hidden")
        permission_classes = [IsAuthenticated]


class UpdateTaskNode(UpdateMutation):
    class Meta:
        serializer_class = TaskSerializer
        output_type = TaskNode
        permission_classes = [RecordingObjectPermission]


class DeleteTaskNode(DeleteMutation):
    class Meta:
        output_type = TaskNode


class UpdateProjectNode(UpdateMutation):
    class Meta:
        serializer_class = ProjectSerializer
        output_type = ProjectNode


class SessionSerializer(serializers.ModelSerializer):
    """A model whose primary key is free text (django.contrib.sessions' Session)."""

    id = serializers.CharField(source="session_key", read_only=True)

    class Meta:
        model = Session
        fields = ["id", "expire_date"]


class SessionNode(SerializerObjectType):
    class Meta:
        serializer_class = SessionSerializer
        interfaces = (relay.Node,)
        queryset = Session.objects.all()


class DeleteSession(DeleteMutation):
    class Meta:
        output_type = SessionNode


class PlainProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField()


class PlainProjectNode(SerializerObjectType):
    """A node of a plain serializer: its rows come from Meta.queryset."""

    class Meta:
        serializer_class = PlainProjectSerializer
        interfaces = (relay.Node,)
        queryset = Project.objects.all()


class DeletePlainProject(DeleteMutation):
    class Meta:
        output_type = PlainProjectNode  # the model comes from the node's queryset


class UnderscoreID(BaseGlobalIDType):
    """A project's own global ID format: "<Type>_<pk>"."""

    @classmethod
    def resolve_global_id(cls, info, global_id):
        type_name, pk = global_id.rsplit("_", 1)  # ValueError for an ID without "_"
        return type_name, pk

    @classmethod
    def to_global_id(cls, _type, _id):
        return f"{_type}_{_id}"


class UnderscoreNode(relay.Node):
    class Meta:
        global_id_type = UnderscoreID


class UnderscoreProjectNode(SerializerObjectType):
    class Meta:
        serializer_class = ProjectSerializer
        interfaces = (UnderscoreNode,)
        queryset = Project.objects.all()


class ConfiguredID(BaseGlobalIDType):
    """A global ID type whose own helper fails: a server bug, not the client's ID."""

    @classmethod
    def resolve_global_id(cls, info, global_id):
        return _separator_from_settings(global_id)

    @classmethod
    def to_global_id(cls, _type, _id):
        return f"{_type}.{_id}"


def _separator_from_settings(global_id):
    from django.conf import settings

    return global_id.split(settings.NO_SUCH_SEPARATOR_SETTING)  # AttributeError


class ConfiguredNode(relay.Node):
    class Meta:
        global_id_type = ConfiguredID


class ConfiguredProjectNode(SerializerObjectType):
    class Meta:
        serializer_class = ProjectSerializer
        interfaces = (ConfiguredNode,)
        queryset = Project.objects.all()


class UrlSafeID(BaseGlobalIDType):
    """Global IDs as URL-safe base64, decoded by the standard library, which raises its own
    errors (``binascii.Error``, ``UnicodeDecodeError``) for text that is none."""

    @classmethod
    def resolve_global_id(cls, info, global_id):
        type_name, _, pk = base64.urlsafe_b64decode(global_id).decode().partition(":")
        return type_name, pk

    @classmethod
    def to_global_id(cls, _type, _id):
        return base64.urlsafe_b64encode(f"{_type}:{_id}".encode()).decode()


class UrlSafeNode(relay.Node):
    class Meta:
        global_id_type = UrlSafeID


class UrlSafeProjectNode(SerializerObjectType):
    class Meta:
        serializer_class = ProjectSerializer
        interfaces = (UrlSafeNode,)
        queryset = Project.objects.all()


class PaddedKeyField(serializers.IntegerField):
    """A key rendered in a format of its own (as ``UUIDField(format="hex")`` renders one),
    which reads the serializer's context (as one rendered per API version would)."""

    def to_representation(self, value):
        assert self.context["request"] is not None
        return f"{value:04d}"


class PaddedProjectSerializer(serializers.ModelSerializer):
    """Renders its key as ``PaddedKeyField`` does: its nodes' IDs are made of that."""

    id = PaddedKeyField(read_only=True)

    class Meta:
        model = Project
        fields = ["id", "name"]


class PaddedProjectNode(SerializerObjectType):
    class Meta:
        serializer_class = PaddedProjectSerializer
        interfaces = (relay.Node,)
        queryset = Project.objects.all()


class DeletePaddedProject(DeleteMutation):
    class Meta:
        output_type = PaddedProjectNode


class PaddedProjectViewSet(viewsets.ModelViewSet):
    queryset = Project.objects.all()
    serializer_class = PaddedProjectSerializer


class TitleOnlyTaskNode(SerializerObjectType):
    """The type leaves `id` out of its fields; the interface's global `id` stands."""

    class Meta:
        serializer_class = TaskSerializer
        fields = ["title"]
        interfaces = (relay.Node,)
        queryset = Task.objects.all()


relay_tasks = ViewSetCrud(TaskViewSet, name="relayTask", output_type=TaskNode)
padded_projects = ViewSetCrud(
    PaddedProjectViewSet, name="paddedCrud", output_type=PaddedProjectNode
)


class Query(relay_tasks.Query, padded_projects.Query, graphene.ObjectType):
    node = relay.Node.Field()
    url_safe_node = UrlSafeNode.Field()
    url_safe_project = RetrieveField(ProjectSerializer, output_type=UrlSafeProjectNode)
    underscore_node = UnderscoreNode.Field()
    task_node = RetrieveField(TaskSerializer, output_type=TaskNode)
    task_nodes = ListField(TaskSerializer, output_type=TaskNode)
    session = RetrieveField(SessionSerializer, output_type=SessionNode)
    underscore_project = RetrieveField(ProjectSerializer, output_type=UnderscoreProjectNode)
    title_only_task = RetrieveField(TaskSerializer, output_type=TitleOnlyTaskNode)
    guarded_task = RetrieveField(
        TaskSerializer, output_type=TaskNode, permission_classes=[IsAuthenticated]
    )
    configured_node = ConfiguredNode.Field()
    configured_project = RetrieveField(ProjectSerializer, output_type=ConfiguredProjectNode)
    stored_reference = graphene.Field(TaskNode)

    def resolve_stored_reference(root, info):
        # Server code reading an ID it stored, which is corrupt: a server error.
        return relay.Node.get_node_from_global_id(info, "corrupt", only_type=TaskNode)


class Mutation(relay_tasks.Mutation, padded_projects.Mutation, graphene.ObjectType):
    delete_padded_project = DeletePaddedProject.Field()
    update_task_node = UpdateTaskNode.Field()
    delete_task_node = DeleteTaskNode.Field()
    update_project_node = UpdateProjectNode.Field()
    delete_session = DeleteSession.Field()
    delete_plain_project = DeletePlainProject.Field()


relay_schema = graphene.Schema(
    query=Query, mutation=Mutation, types=[ProjectNode, PlainProjectNode]
)
urlpatterns = [
    path("graphql/", DRFGraphQLView.as_view(schema=relay_schema)),
    path("api/", include(router.urls)),
]


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = __name__
    seen_kwargs.clear()


def post(client, query, variables=None):
    body = json.dumps({"query": query, "variables": variables or {}})
    response = client.post("/graphql/", body, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def rest_without_id(client, task):
    data = client.get(f"/api/tasks/{task.pk}/").json()
    return {key: value for key, value in data.items() if key != "id"}


TASK_FIELDS = (
    "id title notes status priority views estimate dueDate created ownerName project tags "
    "subtasks { id title done } isOverdue"
)
REST_NAMES = {"dueDate": "due_date", "ownerName": "owner_name", "isOverdue": "is_overdue"}


def as_rest(node):
    return {REST_NAMES.get(key, key): value for key, value in node.items() if key != "id"}


# --------------------------------------------------------------------------- the schema


def test_a_node_type_implements_node_and_operations_are_typed_with_it():
    schema = relay_schema.graphql_schema
    task_node = schema.get_type("TaskNode")
    assert [interface.name for interface in task_node.interfaces] == ["Node"]
    assert str(task_node.fields["id"].type) == "ID!"
    query, mutation = schema.query_type.fields, schema.mutation_type.fields
    assert str(query["node"].type) == "Node"
    assert str(query["taskNode"].type) == "TaskNode"
    assert str(query["taskNode"].args["id"].type) == "ID!"
    assert str(schema.get_type("TaskNodeList").fields["results"].type) == "[TaskNode!]!"
    assert str(mutation["updateTaskNode"].args["id"].type) == "ID!"
    assert str(schema.get_type("UpdateTaskNodePayload").fields["task"].type) == "TaskNode"
    assert str(schema.get_type("DeleteTaskNodePayload").fields["deletedId"].type) == "ID!"
    # No type is generated beside the node for the serializer it is built from.
    assert schema.get_type("TaskOutput") is None


# --------------------------------------------------------------------------- reads


def test_node_returns_what_rest_returns_under_the_global_id(client):
    task = TaskFactory(title="Relay me")
    global_id = to_global_id("TaskNode", task.pk)
    query = (
        f"query($id: ID!) {{ node(id: $id) {{ __typename ... on TaskNode {{ {TASK_FIELDS} }} }} }}"
    )
    node = post(client, query, {"id": global_id})["data"]["node"]
    assert node["__typename"] == "TaskNode"
    assert node["id"] == global_id
    assert base64.b64decode(node["id"]).decode() == f"TaskNode:{task.pk}"
    del node["__typename"]
    rest = rest_without_id(client, task)
    assert node["status"] == "TODO"  # the enum's name for REST's "todo"
    assert as_rest(node) == {**rest, "status": "TODO"}


def test_node_checks_object_permissions_with_the_primary_key_as_view_kwargs(client):
    task = TaskFactory()
    query = "query($id: ID!) { node(id: $id) { id } }"
    assert post(client, query, {"id": to_global_id("TaskNode", task.pk)})["data"]["node"]
    assert seen_kwargs == [{"pk": str(task.pk)}]


def test_node_outside_the_types_queryset_is_not_found(client):
    user = UserFactory()
    client.force_login(user)
    shown, hidden = ProjectFactory(slug="shown"), ProjectFactory(slug="hidden")
    query = "query($id: ID!) { node(id: $id) { ... on ProjectNode { slug } } }"
    answer = post(client, query, {"id": to_global_id("ProjectNode", shown.pk)})
    assert answer == {"data": {"node": {"slug": "shown"}}}
    answer = post(client, query, {"id": to_global_id("ProjectNode", hidden.pk)})
    assert answer["data"] == {"node": None}
    [error] = answer["errors"]
    assert error["path"] == ["node"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["extensions"]["status"] == 404


def test_node_applies_the_types_permission_classes(client):
    project = ProjectFactory()
    query = "query($id: ID!) { node(id: $id) { id } }"
    answer = post(client, query, {"id": to_global_id("ProjectNode", project.pk)})
    assert answer["data"] == {"node": None}
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "NOT_AUTHENTICATED"
    assert error["message"] == "Authentication credentials were not provided."


@pytest.mark.parametrize(
    "bad_id",
    [
        "not a global id",  # does not parse
        to_global_id("Nowhere", 1),  # a type the schema lacks
        to_global_id("TaskNodeList", 1),  # a type that is no node
        to_global_id("String", 1),  # a scalar
        to_global_id("__Schema", 1),  # an introspection type
        to_global_id("TaskNode", "abc"),  # no such key
    ],
)
def test_node_with_an_id_it_cannot_resolve_is_not_found(client, bad_id):
    answer = post(client, "query($id: ID!) { node(id: $id) { id } }", {"id": bad_id})
    assert answer["data"] == {"node": None}
    [error] = answer["errors"]
    assert error["message"] == "Not found."
    assert error["extensions"] == {"code": "NOT_FOUND", "status": 404}


def test_a_get_node_failing_on_its_own_stays_a_server_error(client, monkeypatch):
    def broken(cls, info, id):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(TaskNode, "get_node", classmethod(broken))
    task = TaskFactory()
    query = "query($id: ID!) { node(id: $id) { id } }"
    answer = post(client, query, {"id": to_global_id("TaskNode", task.pk)})
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "hunter2" not in json.dumps(answer)


def test_retrieve_field_takes_the_global_id_and_the_plain_primary_key(client):
    task = TaskFactory(title="Either way")
    query = "query($id: ID!) { taskNode(id: $id) { id title } }"
    expected = {"taskNode": {"id": to_global_id("TaskNode", task.pk), "title": "Either way"}}
    assert post(client, query, {"id": to_global_id("TaskNode", task.pk)})["data"] == expected
    assert post(client, query, {"id": str(task.pk)})["data"] == expected


def test_another_types_global_id_names_no_row(client):
    task = TaskFactory()
    query = "query($id: ID!) { taskNode(id: $id) { id } }"
    answer = post(client, query, {"id": to_global_id("ProjectNode", task.pk)})
    assert answer["data"] == {"taskNode": None}
    assert answer["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_list_field_results_carry_global_ids(client):
    tasks = [TaskFactory(title=f"Task {index}") for index in range(3)]
    answer = post(client, "{ taskNodes { totalCount results { id title } } }")
    assert answer["data"]["taskNodes"] == {
        "totalCount": 3,
        "results": [{"id": to_global_id("TaskNode", t.pk), "title": t.title} for t in tasks],
    }


# --------------------------------------------------------------------------- writes


UPDATE = "mutation($id: ID!, $input: TaskPartialInput!) { updateTaskNode(id: $id, input: $input) { task { id title } } }"


def test_update_takes_the_global_id_and_answers_with_it(client):
    task = TaskFactory(title="Before")
    global_id = to_global_id("TaskNode", task.pk)
    answer = post(client, UPDATE, {"id": global_id, "input": {"title": "After"}})
    assert answer == {"data": {"updateTaskNode": {"task": {"id": global_id, "title": "After"}}}}
    task.refresh_from_db()
    assert task.title == "After"
    # Permissions see the primary key, as a REST router puts it in view.kwargs.
    assert seen_kwargs == [{"pk": str(task.pk)}]


def test_update_takes_the_plain_primary_key_too(client):
    task = TaskFactory(title="Before")
    answer = post(client, UPDATE, {"id": str(task.pk), "input": {"title": "Plain"}})
    assert answer["data"]["updateTaskNode"]["task"]["id"] == to_global_id("TaskNode", task.pk)
    task.refresh_from_db()
    assert task.title == "Plain"


def test_update_with_another_types_global_id_touches_nothing(client):
    task = TaskFactory(title="Untouched")
    answer = post(
        client, UPDATE, {"id": to_global_id("ProjectNode", task.pk), "input": {"title": "Changed"}}
    )
    assert answer["data"] == {"updateTaskNode": None}
    assert answer["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    task.refresh_from_db()
    assert task.title == "Untouched"


def test_a_mutation_judges_by_its_own_permissions_not_the_node_types(client):
    project = ProjectFactory(name="Kept")
    query = (
        'mutation($id: ID!) { updateProjectNode(id: $id, input: {name: "New"}) '
        "{ project { id name } } }"
    )
    answer = post(client, query, {"id": to_global_id("ProjectNode", project.pk)})
    # The mutation has no permission classes of its own: DRF's default (AllowAny) decides,
    # as for a REST view; the node type's permission_classes are node(id:)'s.
    assert answer["data"]["updateProjectNode"]["project"] == {
        "id": to_global_id("ProjectNode", project.pk),
        "name": "New",
    }


def test_delete_takes_the_global_id_and_answers_with_it(client):
    task = TaskFactory()
    global_id = to_global_id("TaskNode", task.pk)
    query = "mutation($id: ID!) { deleteTaskNode(id: $id) { deletedId } }"
    answer = post(client, query, {"id": global_id})
    assert answer == {"data": {"deleteTaskNode": {"deletedId": global_id}}}
    assert not Task.objects.filter(pk=task.pk).exists()


def test_a_plain_integer_pk_is_not_decoded_even_when_it_is_valid_base64():
    # "1234" is valid base64 but not "<Type>:<id>": it stays the primary key it is.
    assert node_lookup(TaskNode, "1234") == "1234"
    assert node_lookup(TaskNode, to_global_id("TaskNode", 7)) == "7"
    other = node_lookup(TaskNode, to_global_id("ProjectNode", 7))  # names no row
    assert isinstance(other, NoRow) and other == to_global_id("ProjectNode", 7)
    assert node_lookup(TaskNode, "+5") == "+5"  # int() reads it, as under REST


def session(key):
    expires = timezone.now() + timezone.timedelta(days=1)
    return Session.objects.create(session_key=key, session_data="", expire_date=expires)


def test_free_text_keys_are_named_by_global_id_only(client):
    """A free-text key could itself read as another row's global ID: only global IDs count,
    so each value names one row."""
    alpha = session("alpha")
    tricky = session(to_global_id("SessionNode", "alpha"))  # a legal key, alpha's global ID
    read = "query($id: ID!) { session(id: $id) { id } }"
    for row in (alpha, tricky):
        global_id = to_global_id("SessionNode", row.pk)
        assert post(client, read, {"id": global_id})["data"] == {"session": {"id": global_id}}
        node = post(client, "query($id: ID!) { node(id: $id) { id } }", {"id": global_id})
        assert node["data"] == {"node": {"id": global_id}}
    answer = post(client, read, {"id": "alpha"})  # a plain key: not a global ID
    assert answer["data"] == {"session": None}
    assert answer["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    delete = "mutation($id: ID!) { deleteSession(id: $id) { deletedId } }"
    answer = post(client, delete, {"id": to_global_id("SessionNode", tricky.pk)})
    assert answer == {
        "data": {"deleteSession": {"deletedId": to_global_id("SessionNode", tricky.pk)}}
    }
    assert list(Session.objects.values_list("pk", flat=True)) == ["alpha"]


def test_node_decodes_the_global_id_once(client):
    task = TaskFactory()
    twice = to_global_id("TaskNode", to_global_id("TaskNode", task.pk))
    answer = post(client, "query($id: ID!) { node(id: $id) { id } }", {"id": twice})
    assert answer["data"] == {"node": None}
    assert answer["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_a_node_of_a_plain_serializer_is_served_and_deleted_from_its_queryset(client):
    project = ProjectFactory(name="Plain")
    global_id = to_global_id("PlainProjectNode", project.pk)
    query = "query($id: ID!) { node(id: $id) { id ... on PlainProjectNode { name } } }"
    answer = post(client, query, {"id": global_id})
    assert answer == {"data": {"node": {"id": global_id, "name": "Plain"}}}
    assert DeletePlainProject._meta.model is Project
    delete = "mutation($id: ID!) { deletePlainProject(id: $id) { deletedId } }"
    assert post(client, delete, {"id": global_id})["data"]["deletePlainProject"] == {
        "deletedId": global_id
    }
    assert not Project.objects.filter(pk=project.pk).exists()


def test_a_custom_global_id_type_is_decoded_by_lookups_and_its_refusals_are_not_found(client):
    project = ProjectFactory(name="Underscored")
    global_id = f"UnderscoreProjectNode_{project.pk}"
    read = "query($id: ID!) { underscoreProject(id: $id) { id name } }"
    assert post(client, read, {"id": global_id})["data"] == {
        "underscoreProject": {"id": global_id, "name": "Underscored"}
    }
    assert post(client, read, {"id": str(project.pk)})["data"]["underscoreProject"]["id"] == (
        global_id
    )
    query = "query($id: ID!) { underscoreNode(id: $id) { id } }"
    assert post(client, query, {"id": global_id})["data"] == {"underscoreNode": {"id": global_id}}
    answer = post(client, query, {"id": "no-underscore"})  # the type's own parse refuses it
    assert answer["data"] == {"underscoreNode": None}
    assert answer["errors"][0]["extensions"] == {"code": "NOT_FOUND", "status": 404}


def test_a_node_type_may_leave_id_out_of_its_own_fields(client):
    task = TaskFactory(title="Titled")
    query = "query($id: ID!) { titleOnlyTask(id: $id) { id title } }"
    global_id = to_global_id("TitleOnlyTaskNode", task.pk)
    assert post(client, query, {"id": global_id})["data"] == {
        "titleOnlyTask": {"id": global_id, "title": "Titled"}
    }


def test_a_malformed_id_is_judged_by_permissions_first_as_under_rest(client):
    """REST's default router routes `/tasks/abc/`, so permissions answer before the lookup."""
    query = "query($id: ID!) { guardedTask(id: $id) { id } }"
    answer = post(client, query, {"id": "abc"})
    assert answer["errors"][0]["extensions"]["code"] == "NOT_AUTHENTICATED"
    client.force_login(UserFactory())
    answer = post(client, query, {"id": "abc"})
    assert answer["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # The permission sees the text the client sent, as it sees a URL's under REST.
    seen_kwargs.clear()
    update = 'mutation { updateTaskNode(id: "abc", input: {title: "Nope"}) { task { id } } }'
    assert post(client, update)["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert seen_kwargs == []  # no object, no object permission


def test_a_plus_signed_integer_pk_reads_as_under_rest(client):
    task = TaskFactory()
    query = "query($id: ID!) { taskNode(id: $id) { id } }"
    answer = post(client, query, {"id": f"+{task.pk}"})
    assert answer["data"] == {"taskNode": {"id": to_global_id("TaskNode", task.pk)}}


@pytest.mark.parametrize(
    "query",
    [
        'query { configuredNode(id: "ConfiguredProjectNode.1") { id } }',
        'query { configuredProject(id: "ConfiguredProjectNode.1") { id } }',
        "query { storedReference { id } }",
    ],
)
def test_failures_of_server_code_around_global_ids_stay_server_errors(client, query):
    ProjectFactory()
    answer = post(client, query)
    assert answer["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


def test_a_get_queryset_of_other_rows_is_a_server_error_not_a_leak(client, monkeypatch):
    project = ProjectFactory(name="Elsewhere")
    monkeypatch.setattr(
        PlainProjectNode, "get_queryset", classmethod(lambda cls, info: Task.objects.all())
    )
    query = "query($id: ID!) { node(id: $id) { ... on PlainProjectNode { name } } }"
    answer = post(client, query, {"id": to_global_id("PlainProjectNode", project.pk)})
    assert answer["data"] == {"node": None}
    assert answer["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


def test_a_get_node_that_cannot_be_called_stays_a_server_error(client, monkeypatch):
    monkeypatch.setattr(TaskNode, "get_node", classmethod(lambda cls, info: None))
    task = TaskFactory()
    answer = post(
        client,
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": to_global_id("TaskNode", task.pk)},
    )
    assert answer["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


# --------------------------------------------------------------------------- ViewSetCrud


def test_viewset_crud_types_its_objects_with_the_node():
    schema = relay_schema.graphql_schema
    query, mutation = schema.query_type.fields, schema.mutation_type.fields
    assert str(query["relayTask"].type) == "TaskNode"
    assert str(schema.get_type("TaskNodeList").fields["results"].type) == "[TaskNode!]!"
    assert str(query["relayTasks"].type) == "TaskNodeList"
    assert str(schema.get_type("CreateRelayTaskPayload").fields["relayTask"].type) == "TaskNode"
    assert str(schema.get_type("UpdateRelayTaskPayload").fields["relayTask"].type) == "TaskNode"
    assert str(mutation["deleteRelayTask"].args["id"].type) == "ID!"


def test_viewset_crud_reads_writes_and_deletes_by_global_id(client):
    task, other = TaskFactory(title="Via viewset"), TaskFactory(title="Other")
    global_id = to_global_id("TaskNode", task.pk)
    read = "query($id: ID!) { relayTask(id: $id) { id title } }"
    assert post(client, read, {"id": global_id})["data"] == {
        "relayTask": {"id": global_id, "title": "Via viewset"}
    }
    assert post(client, read, {"id": str(task.pk)})["data"]["relayTask"]["id"] == global_id
    listed = post(client, "{ relayTasks { results { id } } }")["data"]["relayTasks"]["results"]
    assert listed == [{"id": global_id}, {"id": to_global_id("TaskNode", other.pk)}]

    update = (
        'mutation($id: ID!) { updateRelayTask(id: $id, input: {title: "Renamed"}) '
        "{ relayTask { id title } } }"
    )
    answer = post(client, update, {"id": global_id})
    assert answer == {
        "data": {"updateRelayTask": {"relayTask": {"id": global_id, "title": "Renamed"}}}
    }
    answer = post(client, update, {"id": to_global_id("ProjectNode", other.pk)})
    assert answer["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    other.refresh_from_db()
    assert other.title == "Other"

    delete = "mutation($id: ID!) { deleteRelayTask(id: $id) { deletedId } }"
    assert post(client, delete, {"id": global_id}) == {
        "data": {"deleteRelayTask": {"deletedId": global_id}}
    }
    assert not Task.objects.filter(pk=task.pk).exists()


# --------------------------------------------------------------------------- misconfiguration


def test_a_node_type_must_name_its_rows():
    with pytest.raises(ImproperlyConfigured, match="Name its rows with Meta.queryset"):

        class UnboundedNode(SerializerObjectType):
            class Meta:
                serializer_class = ProjectSerializer
                name = "UnboundedProjectNode"
                interfaces = (relay.Node,)

    class OwnRowsNode(SerializerObjectType):
        class Meta:
            serializer_class = ProjectSerializer
            name = "OwnRowsProjectNode"
            interfaces = (relay.Node,)

        @classmethod
        def get_queryset(cls, info):
            return Project.objects.none()

    node_types.remove(OwnRowsNode)


def test_a_multi_table_child_rendering_its_inherited_id_is_a_node():
    with isolate_apps("tests.testapp"):

        class Base(models.Model):
            name = models.CharField(max_length=10)

            class Meta:
                app_label = "testapp"

        class Child(Base):
            class Meta:
                app_label = "testapp"

        class ChildSerializer(serializers.ModelSerializer):
            class Meta:
                model = Child
                fields = ["id", "name"]

        class ChildNode(SerializerObjectType):
            class Meta:
                serializer_class = ChildSerializer
                interfaces = (relay.Node,)
                queryset = Child.objects.all()

        node_types.remove(ChildNode)


def test_node_permission_classes_are_checked_at_start_up():
    class InstanceGuardedNode(SerializerObjectType):
        class Meta:
            serializer_class = ProjectSerializer
            name = "InstanceGuardedProjectNode"
            interfaces = (relay.Node,)
            queryset = Project.objects.all()
            permission_classes = [IsAuthenticated()]

    try:
        [message] = [m for m in check_drf_graphql_crud() if m.obj is InstanceGuardedNode]
        assert message.id == "drf_graphql_crud.E008"
        assert message.msg.startswith(
            "tests.test_relay.test_node_permission_classes_are_checked_at_start_up.<locals>."
            "InstanceGuardedNode.Meta.permission_classes"
        )
    finally:
        node_types.remove(InstanceGuardedNode)


def test_a_node_whose_serializer_renders_no_id_is_refused():
    class NoIdSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["slug", "name"]

    with pytest.raises(ImproperlyConfigured, match="must render the model's primary key"):

        class NoIdNode(SerializerObjectType):
            class Meta:
                serializer_class = NoIdSerializer
                interfaces = (relay.Node,)
                queryset = Project.objects.all()


def test_an_output_type_of_another_serializer_is_refused():
    with pytest.raises(ImproperlyConfigured, match="built from TaskSerializer"):

        class UpdateProjectAsTask(UpdateMutation):
            class Meta:
                serializer_class = ProjectSerializer
                output_serializer_class = ProjectSerializer
                output_type = TaskNode

    with pytest.raises(ImproperlyConfigured, match="built from TaskSerializer"):
        RetrieveField(ProjectSerializer, output_type=TaskNode)
    with pytest.raises(ImproperlyConfigured, match="shows Task rows; the viewset's are Project"):
        ViewSetCrud(ProjectViewSet, name="taskProject", output_type=TaskNode)

    class DestroyOnlyProjects(mixins.DestroyModelMixin, viewsets.GenericViewSet):
        queryset = Project.objects.all()
        serializer_class = ProjectSerializer

    with pytest.raises(ImproperlyConfigured, match="shows Task rows; the viewset's are Project"):
        ViewSetCrud(DestroyOnlyProjects, name="goneProject", output_type=TaskNode)


def test_a_delete_of_other_rows_than_its_output_type_is_refused():
    with pytest.raises(ImproperlyConfigured, match="shows Task rows"):

        class DeleteProjectAsTask(DeleteMutation):
            class Meta:
                model = Project
                output_type = TaskNode

    with pytest.raises(
        ImproperlyConfigured, match="shows Task rows; this mutation deletes Project"
    ):

        class DeleteProjectsShownAsTasks(DeleteMutation):
            class Meta:
                queryset = Project.objects.all()
                output_type = TaskNode


def test_a_write_rendering_other_rows_than_its_output_type_is_refused(isolated_registry):
    with pytest.raises(ImproperlyConfigured, match="shows Project rows; this mutation saves"):

        class UpdateTaskAsProject(UpdateMutation):
            class Meta:
                serializer_class = TaskSerializer
                output_type = ProjectNode

    with pytest.raises(ImproperlyConfigured, match="shows Project rows; this mutation saves"):

        class CreateTaskAsProject(CreateMutation):
            class Meta:
                serializer_class = TaskSerializer
                output_type = ProjectNode


def test_a_write_returning_the_rows_its_output_type_shows_is_accepted(client, isolated_registry):
    class MoveTaskReturnProject(UpdateMutation):
        """Updates a task, answers with its project (perform_mutate returns it)."""

        class Meta:
            serializer_class = TaskSerializer
            output_type = ProjectNode
            return_field_name = "project"

        @classmethod
        def perform_mutate(cls, serializer, info):
            return serializer.save().project

    class Mutation(graphene.ObjectType):
        move_task = MoveTaskReturnProject.Field()

    schema = graphene.Schema(query=Query, mutation=Mutation)
    urlpatterns.append(path("moves/", DRFGraphQLView.as_view(schema=schema)))
    try:
        project = ProjectFactory(name="Target")
        task = TaskFactory(project=project)
        body = json.dumps(
            {
                "query": 'mutation($id: ID!) { moveTask(id: $id, input: {title: "Moved"}) '
                "{ project { id name } } }",
                "variables": {"id": str(task.pk)},
            }
        )
        answer = client.post("/moves/", body, content_type="application/json").json()
        assert answer == {
            "data": {
                "moveTask": {
                    "project": {"id": to_global_id("ProjectNode", project.pk), "name": "Target"}
                }
            }
        }
        task.refresh_from_db()
        assert task.title == "Moved"
    finally:
        urlpatterns.pop()


def test_a_node_whose_queryset_holds_other_rows_is_refused():
    with pytest.raises(ImproperlyConfigured, match="holds Project rows, but TaskSerializer"):

        class MismatchedNode(SerializerObjectType):
            class Meta:
                serializer_class = TaskSerializer
                name = "MismatchedTaskNode"
                interfaces = (relay.Node,)
                queryset = Project.objects.all()


def test_a_viewset_whose_model_is_unknown_cannot_take_an_output_type():
    class DestroyOnlyRows(mixins.DestroyModelMixin, viewsets.GenericViewSet):
        def get_queryset(self):
            return Project.objects.all()

    with pytest.raises(ImproperlyConfigured, match="needs the viewset's model"):
        ViewSetCrud(DestroyOnlyRows, name="someRow", output_type=TaskNode)


def test_a_node_whose_model_is_unknown_cannot_type_a_viewset():
    """Its global IDs would be decoded into the viewset's rows unchecked (as DeleteMutation)."""

    class PlainProjectSerializer(serializers.Serializer):
        id = serializers.IntegerField(read_only=True)
        name = serializers.CharField()

    class ModelUnknownNode(SerializerObjectType):
        class Meta:
            serializer_class = PlainProjectSerializer
            name = "ModelUnknownNode"
            interfaces = (relay.Node,)

        @classmethod
        def get_queryset(cls, info):
            return Project.objects.all()

    try:
        with pytest.raises(ImproperlyConfigured, match="whose model cannot be told"):
            ViewSetCrud(ProjectViewSet, name="unknownProject", output_type=ModelUnknownNode)
    finally:
        node_types.remove(ModelUnknownNode)


def test_queryset_and_permissions_on_a_type_that_is_no_node_are_refused():
    with pytest.raises(ImproperlyConfigured, match="are for Relay nodes"):

        class NotANode(SerializerObjectType):
            class Meta:
                serializer_class = ProjectSerializer
                name = "NotANodeProject"
                queryset = Project.objects.all()


def test_output_type_and_output_type_name_together_are_refused():
    with pytest.raises(ImproperlyConfigured, match="not both"):

        class UpdateTwice(UpdateMutation):
            class Meta:
                serializer_class = TaskSerializer
                output_type = TaskNode
                output_type_name = "Other"


# ------------------------------------------------------------------------------ rows of one table


def test_nodes_and_operations_over_a_proxy_and_its_model_are_accepted(isolated_registry):
    """A proxy is the same table: a node of it over its model's rows, and operations of the
    model typed with it, are the same rows, as a REST viewset serves them."""
    from rest_framework.authtoken.models import Token, TokenProxy

    class RelayTokenProxySerializer(serializers.ModelSerializer):
        id = serializers.CharField(source="key", read_only=True)

        class Meta:
            model = TokenProxy
            fields = ["id", "created"]

    class RelayTokenProxyNode(SerializerObjectType):
        class Meta:
            serializer_class = RelayTokenProxySerializer
            interfaces = (relay.Node,)
            queryset = Token.objects.all()

    class DeleteRelayToken(DeleteMutation):
        class Meta:
            model = Token
            output_type = RelayTokenProxyNode

    assert DeleteRelayToken._meta.output_type is RelayTokenProxyNode


def test_node_of_a_proxy_reads_its_models_rows_from_its_own_get_queryset(rf, isolated_registry):
    """``get_queryset()`` giving the concrete model's rows, as ``Meta.queryset`` may."""
    from rest_framework.authtoken.models import Token, TokenProxy

    class RelayMyTokenSerializer(serializers.ModelSerializer):
        id = serializers.CharField(source="key", read_only=True)

        class Meta:
            model = TokenProxy
            fields = ["id"]

    class RelayMyTokenNode(SerializerObjectType):
        class Meta:
            serializer_class = RelayMyTokenSerializer
            interfaces = (relay.Node,)

        @classmethod
        def get_queryset(cls, info):
            return Token.objects.filter(user_id=info.context.user.pk)

    schema = graphene.Schema(
        query=type("TokenQuery", (graphene.ObjectType,), {"node": relay.Node.Field()}),
        types=[RelayMyTokenNode],
    )
    user = UserFactory()
    token = Token.objects.create(user=user)
    global_id = to_global_id("RelayMyTokenNode", token.key)
    request = rf.post(
        "/graphql/",
        json.dumps(
            {"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": global_id}}
        ),
        content_type="application/json",
    )
    request.user = user
    request._dont_enforce_csrf_checks = True
    answer = json.loads(DRFGraphQLView.as_view(schema=schema)(request).content)
    assert answer == {"data": {"node": {"id": global_id}}}


def test_a_delete_named_by_its_node_gives_permissions_the_nodes_serializer(isolated_registry):
    """As its viewset's ``get_serializer_class()`` would, for a permission that asks."""

    class RelayDeleteTaskSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["id", "title"]

    class RelayDeleteTaskNode(SerializerObjectType):
        class Meta:
            serializer_class = RelayDeleteTaskSerializer
            interfaces = (relay.Node,)
            queryset = Task.objects.all()

    class DeleteNodeTask(DeleteMutation):
        class Meta:
            output_type = RelayDeleteTaskNode

    assert DeleteNodeTask.get_serializer_class(None) is RelayDeleteTaskSerializer


@pytest.mark.parametrize("sent", ["abc", "a", "@@@", "é"])
def test_an_id_a_global_id_types_decoder_refuses_names_no_row(client, sent):
    """The standard library's errors below ``resolve_global_id`` (``binascii.Error``) are
    the client's ID not parsing, as graphene's own ID type's are: ``NOT_FOUND``."""
    project = ProjectFactory()
    node_id = UrlSafeID.to_global_id("UrlSafeProjectNode", project.pk)
    read = "query($id: ID!) { urlSafeProject(id: $id) { id } }"
    assert post(client, read, {"id": node_id}) == {"data": {"urlSafeProject": {"id": node_id}}}
    for query in (read, "query($id: ID!) { urlSafeNode(id: $id) { id } }"):
        [error] = post(client, query, {"id": sent})["errors"]
        assert error["extensions"] == {"code": "NOT_FOUND", "status": 404}
    # An integer key is not mistaken for a global ID (documented), also under this type.
    answer = post(client, read, {"id": str(project.pk)})
    assert answer == {"data": {"urlSafeProject": {"id": node_id}}}


@pytest.mark.parametrize("mutation", ["deletePaddedProject", "deletePaddedCrud"])
def test_deleted_id_is_the_id_the_node_is_read_under(client, mutation):
    """A Relay store holds the row under the node's id, made of the key as its serializer
    renders it: the delete names it alike."""
    project = ProjectFactory()
    node_id = to_global_id("PaddedProjectNode", f"{project.pk:04d}")
    answer = post(client, "query($id: ID!) { node(id: $id) { id } }", {"id": node_id})
    assert answer == {"data": {"node": {"id": node_id}}}
    query = f"mutation($id: ID!) {{ {mutation}(id: $id) {{ deletedId }} }}"
    assert post(client, query, {"id": node_id}) == {"data": {mutation: {"deletedId": node_id}}}
    assert not Project.objects.filter(pk=project.pk).exists()
