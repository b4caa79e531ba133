"""Create, update, delete and bulk create through the HTTP stack, as a client sees them."""

import itertools
import json
import logging
import re
from collections import deque
from collections.abc import Mapping
from types import SimpleNamespace

import django
import graphene
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext, isolate_apps
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from drf_writable_nested.serializers import WritableNestedModelSerializer
from graphene.utils.str_converters import to_camel_case
from graphene_django.views import GraphQLView
from graphql import validate_schema
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.routers import DefaultRouter

from drf_graphql_crud import (
    BulkCreateMutation,
    CreateMutation,
    DeleteMutation,
    DRFGraphQLView,
    RetrieveField,
    SerializedExecutionContext,
    SerializerMutation,
    SerializerObjectType,
    UpdateMutation,
)
from drf_graphql_crud.checks import check_drf_graphql_crud
from drf_graphql_crud.mutations import to_serializer_data
from drf_graphql_crud.scalars import BigInteger, JSONValue
from tests.factories import (
    CategoryFactory,
    ProjectFactory,
    SubtaskFactory,
    TagFactory,
    TaskFactory,
    UserFactory,
)
from tests.tables import tables
from tests.testapp.models import Badge, Category, Project, Subtask, Tag, Task
from tests.testapp.serializers import (
    ProjectSerializer,
    TagSerializer,
    TaskReadSerializer,
    TaskSerializer,
)

pytestmark = pytest.mark.django_db

TASK_FIELDS = "id title notes status priority views estimate dueDate created ownerName project tags subtasks { id title done } isOverdue"  # noqa: E501


@pytest.fixture
def user(gql):
    user = UserFactory(username="alice")
    gql.force_login(user)
    return user


def counts():
    return Task.objects.count(), Subtask.objects.count(), Project.objects.count()


# ------------------------------------------------------------------------------ create


def test_create_returns_the_serializer_representation(gql, user):
    tag = TagFactory(name="home")
    ProjectFactory(slug="house")
    status, body = gql(
        f"mutation($input: TaskInput!) {{ createTask(input: $input) {{ task {{ {TASK_FIELDS} }} }} }}",
        {
            "input": {
                "title": "Paint the fence",
                "status": "IN_PROGRESS",
                "priority": 2,
                "views": 2**40,
                "estimate": "12.5",
                "dueDate": "2025-05-01",
                "project": "house",
                "tags": [str(tag.pk)],
                "subtasks": [{"title": "Buy paint"}, {"title": "Paint", "done": True}],
            }
        },
    )
    assert status == 200
    task = Task.objects.get()
    created = body["data"]["createTask"]["task"].pop("created")
    assert created == task.created.isoformat().replace("+00:00", "Z")
    subtasks = list(task.subtasks.order_by("pk"))
    assert body == {
        "data": {
            "createTask": {
                "task": {
                    "id": str(task.pk),
                    "title": "Paint the fence",
                    "notes": "",
                    "status": "IN_PROGRESS",
                    "priority": 2,
                    "views": 2**40,
                    "estimate": "12.5000",
                    "dueDate": "2025-05-01",
                    "ownerName": "alice",
                    "project": "house",
                    "tags": [str(tag.pk)],
                    "subtasks": [
                        {"id": str(subtasks[0].pk), "title": "Buy paint", "done": False},
                        {"id": str(subtasks[1].pk), "title": "Paint", "done": True},
                    ],
                    "isOverdue": True,
                }
            }
        }
    }
    assert task.owner == user  # HiddenField(default=CurrentUserDefault())


def test_create_with_defaults_leaves_them_to_drf(gql, user):
    status, body = gql(
        'mutation { createTask(input: {title: "Just this"}) { task { status priority tags subtasks { id } } } }'
    )  # noqa: E501
    assert body == {
        "data": {
            "createTask": {"task": {"status": "TODO", "priority": 0, "tags": [], "subtasks": []}}
        }
    }


def test_explicit_null_reaches_drf_as_null(gql, user):
    ProjectFactory(slug="p")
    task = TaskFactory(owner=user, project=Project.objects.get())
    status, body = gql(
        "mutation($id: ID!) { updateTask(id: $id, input: {project: null}) { task { project } } }",
        {"id": str(task.pk)},
    )
    assert body == {"data": {"updateTask": {"task": {"project": None}}}}
    task.refresh_from_db()
    assert task.project is None


def test_output_serializer_class_renders_the_result(gql, user):
    tag = TagFactory(name="red")
    status, body = gql(
        'mutation($tags: [ID!]) { createTaskWithReadOutput(input: {title: "Read me", tags: $tags}) '
        "{ result { id title status tags { id name } project { slug } } } }",
        {"tags": [str(tag.pk)]},
    )
    task = Task.objects.get()
    assert body == {
        "data": {
            "createTaskWithReadOutput": {
                "result": {
                    "id": str(task.pk),
                    "title": "Read me",
                    "status": "TODO",
                    "tags": [{"id": str(tag.pk), "name": "red"}],
                    "project": None,
                }
            }
        }
    }


def test_perform_create_hook_and_context(gql, user):
    from tests.testapp.permissions import RecordingPermission

    RecordingPermission.seen = []
    status, body = gql(
        'mutation { createTaskRecorded(input: {title: "Hooked"}) { task { notes } } }'
    )
    assert body == {"data": {"createTaskRecorded": {"task": {"notes": "set by perform_create"}}}}
    assert ("context", ["format", "info", "request", "view"], "POST", "create") in (
        RecordingPermission.seen
    )


# ------------------------------------------------------------------------------ nested writes


def test_nested_create_error_in_second_child_leaves_no_rows(gql, user):
    before = counts()
    status, body = gql(
        "mutation($input: TaskInput!) { createTask(input: $input) { task { id } } }",
        {"input": {"title": "Parent", "subtasks": [{"title": "fine"}, {"title": "x" * 101}]}},
    )
    assert body["data"] == {"createTask": None}
    assert body["errors"][0]["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [
            {
                "field": "subtasks.1.title",
                "message": "Ensure this field has no more than 100 characters.",
                "code": "max_length",
            }
        ],
    }
    assert counts() == before


def test_nested_failure_after_rows_were_written_rolls_everything_back(gql, user, monkeypatch):
    """The children are saved before the error: the transaction must undo them too."""
    original = Subtask.save
    calls = {"n": 0}

    def save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ValueError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Subtask, "save", save)
    before = counts()
    status, body = gql(
        "mutation($input: TaskInput!) { createTask(input: $input) { task { id } } }",
        {"input": {"title": "Parent", "subtasks": [{"title": "one"}, {"title": "two"}]}},
    )
    assert calls["n"] == 2
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert counts() == before


def test_nested_update_replaces_children(gql, user):
    task = TaskFactory(owner=user)
    keep = SubtaskFactory(task=task, title="keep")
    SubtaskFactory(task=task, title="drop")
    status, body = gql(
        "mutation($id: ID!, $input: TaskPartialInput!) { updateTask(id: $id, input: $input) "
        "{ task { subtasks { title done } } } }",
        {
            "id": str(task.pk),
            "input": {"subtasks": [{"id": str(keep.pk), "done": True}, {"title": "new"}]},
        },
    )
    assert "errors" not in body, body
    assert body["data"]["updateTask"]["task"]["subtasks"] == [
        {"title": "keep", "done": True},
        {"title": "new", "done": False},
    ]
    assert sorted(task.subtasks.values_list("title", flat=True)) == ["keep", "new"]


# ------------------------------------------------------------------------------ update


def test_partial_update_changes_only_what_was_sent(gql, user):
    task = TaskFactory(owner=user, title="Old title", notes="keep me", priority=3)
    status, body = gql(
        'mutation($id: ID!) { updateTask(id: $id, input: {title: "New title"}) { task { title notes priority } } }',  # noqa: E501
        {"id": str(task.pk)},
    )
    assert body == {
        "data": {"updateTask": {"task": {"title": "New title", "notes": "keep me", "priority": 3}}}
    }
    task.refresh_from_db()
    assert (task.title, task.notes, task.priority) == ("New title", "keep me", 3)


def test_full_update_requires_what_create_requires(gql, user):
    task = TaskFactory(owner=user, title="Old title")
    status, body = gql(
        'mutation($id: ID!) { replaceTask(id: $id, input: {notes: "n"}) { task { title } } }',
        {"id": str(task.pk)},
    )
    # TaskReplaceInput.title is non-null: GraphQL itself refuses the document.
    assert status == 400
    assert "title" in body["errors"][0]["message"]
    status, body = gql(
        'mutation($id: ID!) { replaceTask(id: $id, input: {title: "Replaced"}) { task { title notes } } }',  # noqa: E501
        {"id": str(task.pk)},
    )
    assert body == {"data": {"replaceTask": {"task": {"title": "Replaced", "notes": ""}}}}


def test_update_by_slug_lookup(gql):
    project = ProjectFactory(slug="garden", name="Garden")
    status, body = gql(
        'mutation { updateProject(slug: "garden", input: {name: "Back garden"}) { project { id slug name } } }'  # noqa: E501
    )
    assert body == {
        "data": {
            "updateProject": {
                "project": {"id": str(project.pk), "slug": "garden", "name": "Back garden"}
            }
        }
    }


def test_update_missing_object_is_not_found_and_changes_nothing(gql, user):
    task = TaskFactory(owner=user, title="Untouched")
    for missing in (str(task.pk + 1000), "abc"):
        status, body = gql(
            'mutation($id: ID!) { updateTask(id: $id, input: {title: "Changed"}) { task { id } } }',
            {"id": missing},
        )
        assert body["data"] == {"updateTask": None}
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert body["errors"][0]["extensions"]["status"] == 404
    task.refresh_from_db()
    assert task.title == "Untouched"


# ------------------------------------------------------------------------------ delete


def test_delete_by_pk(gql, user):
    task = TaskFactory(owner=user)
    SubtaskFactory(task=task)
    status, body = gql(
        "mutation($id: ID!) { deleteTask(id: $id) { deletedId } }", {"id": str(task.pk)}
    )
    assert body == {"data": {"deleteTask": {"deletedId": str(task.pk)}}}
    assert counts()[:2] == (0, 0)


def test_delete_by_slug(gql):
    project = ProjectFactory(slug="old")
    ProjectFactory(slug="other")
    status, body = gql('mutation { deleteProject(slug: "old") { deletedId } }')
    assert body == {"data": {"deleteProject": {"deletedId": str(project.pk)}}}
    assert list(Project.objects.values_list("slug", flat=True)) == ["other"]


def test_delete_missing_is_not_found(gql):
    status, body = gql('mutation { deleteProject(slug: "nope") { deletedId } }')
    assert body["data"] == {"deleteProject": None}
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "status": 404}
    assert body["errors"][0]["path"] == ["deleteProject"]


# ------------------------------------------------------------------------------ bulk create


def test_bulk_create(gql, user):
    status, body = gql(
        "mutation($input: [TaskInput!]!) { bulkCreateTask(input: $input) { tasks { id title subtasks { title } } } }",  # noqa: E501
        {"input": [{"title": "First"}, {"title": "Second", "subtasks": [{"title": "s"}]}]},
    )
    tasks = list(Task.objects.order_by("pk"))
    assert body == {
        "data": {
            "bulkCreateTask": {
                "tasks": [
                    {"id": str(tasks[0].pk), "title": "First", "subtasks": []},
                    {"id": str(tasks[1].pk), "title": "Second", "subtasks": [{"title": "s"}]},
                ]
            }
        }
    }
    assert {task.owner for task in tasks} == {user}


def test_bulk_create_is_all_or_nothing(gql, user):
    status, body = gql(
        "mutation($input: [TaskInput!]!) { bulkCreateTask(input: $input) { tasks { id } } }",
        {"input": [{"title": "Good one"}, {"title": "no"}, {"title": "Good two", "dueDate": "x"}]},
    )
    assert body["data"] == {"bulkCreateTask": None}
    assert body["errors"][0]["extensions"]["errors"] == [
        {
            "field": "1.title",
            "message": "Ensure this field has at least 3 characters.",
            "code": "min_length",
        },
        {
            "field": "2.dueDate",
            "message": "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
            "code": "invalid",
        },
    ]
    assert counts() == (0, 0, 0)


# ------------------------------------------------------------------------------ transactions


def test_error_after_save_rolls_back(gql, user):
    status, body = gql(
        'mutation { failAfterSave(input: {title: "Saved then failed"}) { task { id } } }'
    )
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert Task.objects.count() == 0


@override_settings(DRF_GRAPHQL_CRUD={"ATOMIC_MUTATIONS": False})
@pytest.mark.django_db(transaction=True)  # no transaction around the request: none at all
def test_atomic_mutations_can_be_turned_off(gql, user):
    status, body = gql(
        'mutation { failAfterSave(input: {title: "Saved then failed"}) { task { id } } }'
    )
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert Task.objects.count() == 1


class RacingCreateProject(CreateMutation):
    """Another row takes the slug between validation and save, as a concurrent writer would."""

    class Meta:
        serializer_class = ProjectSerializer

    @classmethod
    def perform_create(cls, serializer, info):
        Project.objects.create(slug=serializer.validated_data["slug"], name="winner")
        return serializer.save()


class TitleOnlyTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title"]


class DanglingCreateTask(CreateMutation):
    """Server code that writes a key naming no row: the database refuses it at commit."""

    class Meta:
        serializer_class = TitleOnlyTaskSerializer

    @classmethod
    def perform_create(cls, serializer, info):
        return serializer.save(project_id=987654)


class QueryRaceSchema(graphene.ObjectType):
    ping = graphene.String()


#: What a write the database refused, and validating again could not explain, answers.
CONFLICT = {
    "code": "VALIDATION_ERROR",
    "status": 400,
    "errors": [
        {
            "field": None,
            "message": "The data conflicts with data already stored.",
            "code": "integrity_error",
        }
    ],
}


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("atomic", [True, False], ids=["atomic", "in-the-tests-transaction"])
def test_integrity_error_is_a_clean_validation_error(gql, settings, atomic):
    # Not atomic, the mutation still runs in a savepoint of a transaction already open (the
    # test's, as ATOMIC_REQUESTS's): on PostgreSQL the error would break that transaction.
    settings.DRF_GRAPHQL_CRUD = {"ATOMIC_MUTATIONS": atomic}
    status, body = gql(
        'mutation { racingCreateProject(input: {slug: "s", name: "loser"}) { project { id } } }'
    )  # noqa: E501
    assert status == 200
    assert body["data"] == {"racingCreateProject": None}
    assert body["errors"][0]["extensions"] == CONFLICT
    assert Project.objects.count() == 0


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)  # foreign keys are checked when the transaction commits
@pytest.mark.parametrize("outer", [None, "ATOMIC_REQUESTS", "ATOMIC_MUTATIONS"])
def test_a_foreign_key_no_validation_explains_is_a_conflict_and_is_logged(
    gql, caplog, monkeypatch, outer
):
    """A related row deleted by another writer since validation looks like this: the client
    learns its data conflicts with stored data; the log keeps what the database said, in
    case server code wrote the key. Inside a transaction the project opened (the request's,
    or an operation-wide one), the deferred check runs before the mutation's savepoint
    ends: at the outer commit, after the answer was written, it was a 500."""
    if outer is not None:
        if connection.vendor == "sqlite":
            pytest.skip("SQLite checks deferred keys at the commit: its check reads every table")
        monkeypatch.setitem(connection.settings_dict, outer, True)
    status, body = gql('mutation { danglingCreateTask(input: {title: "Lost"}) { task { id } } }')
    assert body["data"] == {"danglingCreateTask": None}
    assert body["errors"][0]["extensions"] == CONFLICT
    assert not Task.objects.exists()
    [record] = [record for record in caplog.records if record.name == "drf_graphql_crud"]
    assert (record.levelno, record.exc_info[0].__name__) == (logging.WARNING, "IntegrityError")


# ------------------------------------------------------------------------------ custom


def test_custom_serializer_mutation_returns_what_perform_mutate_returns(gql):
    status, body = gql(
        'mutation { echo(input: {char: "hi", integer: 5, choice: A_1}) { echo { char integer choice method } } }'  # noqa: E501
    )
    assert body == {
        "data": {"echo": {"echo": {"char": "hi", "integer": 5, "choice": "A_1", "method": [1, 2]}}}
    }


def test_custom_mutation_options_shape_the_schema():
    class RenameTask(SerializerMutation):
        class Meta:
            serializer_class = TaskSerializer
            lookup_field = "pk"
            action = "partial_update"
            return_field_name = "renamed"
            input_field_name = "changes"
            input_type_name = "RenameTaskInput"

    class Mutation(graphene.ObjectType):
        rename_task = RenameTask.Field()

    sdl = str(graphene.Schema(query=QueryRaceSchema, mutation=Mutation))
    assert "renameTask(\n" in sdl
    assert "changes: RenameTaskInput!" in sdl
    assert "type RenameTaskPayload {\n  renamed: TaskOutput\n}" in sdl
    rename_input = sdl[sdl.index("input RenameTaskInput {") :]
    assert '  """What is to be done."""\n  title: String\n' in rename_input


def test_update_mutation_with_queryset_option():
    class UpdateOpenTask(UpdateMutation):
        class Meta:
            serializer_class = TaskSerializer
            queryset = Task.objects.filter(status=Task.Status.TODO)

    done = TaskFactory(status=Task.Status.DONE)
    todo = TaskFactory()
    assert list(UpdateOpenTask.get_queryset(None)) == [todo]
    assert done not in UpdateOpenTask.get_queryset(None)


def test_to_serializer_data_unwraps_enums_and_containers():
    import enum

    class Color(enum.Enum):
        RED = "r"

    assert to_serializer_data({"a": [Color.RED, {"b": None}], "c": (1,)}) == {
        "a": ["r", {"b": None}],
        "c": [1],
    }


def test_to_serializer_data_takes_values_nested_past_the_recursion_limit():
    import sys

    depth = sys.getrecursionlimit() * 2
    value = current = []
    for _ in range(depth):
        current.append([])
        current = current[0]
    converted = to_serializer_data({"json": value})
    assert converted["json"] is not value  # a copy, as for shallow values
    levels, current = 0, converted["json"]
    while current:
        levels, current = levels + 1, current[0]
    assert levels == depth


# ------------------------------------------------------------------------------ row locks


def _update_and_delete_sql(gql, task=None):
    task = task or TaskFactory()
    with CaptureQueriesContext(connection) as update:
        gql(
            'mutation($id: ID!) { updateTask(id: $id, input: {title: "Locked"}) { task { id } } }',
            {"id": task.pk},
        )
    with CaptureQueriesContext(connection) as delete:
        gql("mutation($id: ID!) { deleteTask(id: $id) { deletedId } }", {"id": task.pk})
    lookup = [q["sql"] for q in update.captured_queries if 'FROM "testapp_task"' in q["sql"]]
    removal = [q["sql"] for q in delete.captured_queries if 'FROM "testapp_task"' in q["sql"]]
    return lookup[0], removal[0]


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite has no row locks")
def test_update_and_delete_lock_the_row_they_look_up(gql, user):
    """A concurrent writer of the same row waits (tests/reliability/test_concurrency.py)."""
    lookup, removal = _update_and_delete_sql(gql)
    assert lookup.endswith('FOR UPDATE OF "testapp_task"')
    assert removal.endswith('FOR UPDATE OF "testapp_task"')


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite has no row locks")
def test_what_postgresql_cannot_lock_is_looked_up_unlocked():
    """As REST looks it up: FOR UPDATE is not allowed with window functions (a 500 before),
    DISTINCT or GROUP BY. The row found is then locked by its key, and read again
    (tests/reliability/test_concurrency.py races a distinct() one)."""
    from django.db import transaction
    from django.db.models import Count, F, Window
    from django.db.models.functions import RowNumber

    from drf_graphql_crud.queries import lock_for_update, lock_found_row

    task = TaskFactory()
    with transaction.atomic():
        for queryset in [
            Task.objects.annotate(row=Window(RowNumber(), order_by=F("pk").asc())),
            Task.objects.distinct(),
            Task.objects.distinct("title"),  # the new lookup adds no ORDER BY on the key
            Task.objects.annotate(subtask_count=Count("subtasks")),
        ]:
            locked, relock_on = lock_for_update(queryset)
            assert not locked.query.select_for_update
            assert relock_on.alias == connection.alias
            found = locked.get(pk=task.pk)
            with CaptureQueriesContext(connection) as queries:
                assert lock_found_row(locked, found, relock_on) == task
            assert queries.captured_queries[0]["sql"].endswith("FOR UPDATE")
        locked, relock_on = lock_for_update(Task.objects.all())
        assert locked.query.select_for_update and relock_on is None


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite has no row locks")
@pytest.mark.django_db(databases="__all__", transaction=True)
def test_the_row_is_locked_where_it_is_written_not_on_a_read_replica(gql, user, monkeypatch):
    """The usual router, reads to a replica: the update's lookup runs locked on the primary,
    in the mutation's transaction (it ran unlocked on the replica)."""
    from django.db import connections

    from tests.routers import SteeredRouter

    monkeypatch.setattr(SteeredRouter, "read", {"testapp.Task": "replica"})
    monkeypatch.setattr(SteeredRouter, "write", {"testapp.Task": "default"})
    task = TaskFactory()
    with CaptureQueriesContext(connections["replica"]) as replica:
        lookup, _ = _update_and_delete_sql(gql, task)
    assert lookup.endswith('FOR UPDATE OF "testapp_task"')  # on the primary
    assert not [q for q in replica.captured_queries if "FOR UPDATE" in q["sql"]]


class UpdateProjectElsewhere(UpdateMutation):
    """Its rows are on another database (``using()``): read, locked and saved back there."""

    class Meta:
        serializer_class = ProjectSerializer
        queryset = Project.objects.using("other")
        lookup_field = "slug"
        permission_classes = [permissions.AllowAny]

    @classmethod
    def perform_update(cls, serializer, info):
        serializer.save()
        raise exceptions.PermissionDenied()  # after saving: undone


class PrefixSerializer(serializers.Serializer):
    prefix = serializers.CharField(allow_blank=True)


class FirstProjectOf(SerializerMutation):
    """Returns a row of its own choosing, or none: rendered by another serializer."""

    class Meta:
        serializer_class = PrefixSerializer
        output_serializer_class = ProjectSerializer
        return_field_name = "project"
        permission_classes = [permissions.AllowAny]

    @classmethod
    def perform_mutate(cls, serializer, info):
        prefix = serializer.validated_data["prefix"]
        return Project.objects.filter(slug__startswith=prefix).order_by("slug").first()


class UpdateProjectElsewhereByHook(UpdateMutation):
    """The same, its rows named by ``get_queryset(info)``, as DRF views name them."""

    class Meta:
        serializer_class = ProjectSerializer
        model = Project
        lookup_field = "slug"
        permission_classes = [permissions.AllowAny]

    @classmethod
    def get_queryset(cls, info):
        return Project.objects.using("other")

    @classmethod
    def perform_update(cls, serializer, info):
        serializer.save()
        raise exceptions.PermissionDenied()  # after saving: undone


class UpdateAuditedProject(UpdateMutation):
    """Its ``get_queryset(info)`` writes an audit row (a tag stands for it), as some do."""

    class Meta:
        serializer_class = ProjectSerializer
        model = Project
        lookup_field = "slug"
        permission_classes = [permissions.AllowAny]

    @classmethod
    def get_queryset(cls, info):
        Tag.objects.create(name=f"audit {Tag.objects.count()}")
        return Project.objects.all()

    @classmethod
    def perform_update(cls, serializer, info):
        serializer.save()
        if serializer.instance.name == "Refused":
            raise exceptions.PermissionDenied()  # after saving: undone, the audit row too


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_the_projects_get_queryset_runs_once_inside_the_mutations_transaction(gql):
    """It ran twice, the first time before the transaction: a failed update kept a row."""
    ProjectFactory(slug="p", name="Old")
    query = (
        'mutation($name: String!) { updateAuditedProject(slug: "p", input: {name: $name}) '
        "{ project { name } } }"
    )
    status, body = gql(query, {"name": "Refused"})
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert (Project.objects.get().name, Tag.objects.count()) == ("Old", 0)
    status, body = gql(query, {"name": "New"})
    assert body == {"data": {"updateAuditedProject": {"project": {"name": "New"}}}}
    assert list(Tag.objects.values_list("name", flat=True)) == ["audit 0"]


def test_a_lock_the_project_asked_for_is_kept(db):
    """``select_for_update(nowait=True)`` (or ``skip_locked``, ``no_key``, ``of=``) in the
    project's queryset: the lookup locks as it says, as REST's would."""
    from django.db import transaction

    from drf_graphql_crud.queries import lock_for_update

    with transaction.atomic():
        locked, relock_on = lock_for_update(
            Task.objects.select_for_update(nowait=True, of=("self",))
        )
    assert relock_on is None
    assert locked.query.select_for_update_nowait
    assert locked.query.select_for_update_of == ("self",)


@pytest.mark.urls(__name__)
@pytest.mark.django_db(databases="__all__", transaction=True)
@pytest.mark.parametrize("field", ["updateProjectElsewhere", "updateProjectElsewhereByHook"])
def test_a_queryset_on_another_database_writes_in_a_transaction_there(gql, field):
    """The transaction was the router's database's (default): the failed update stayed."""
    from django.db import connections

    Project.objects.using("other").create(slug="p", name="Old")
    with CaptureQueriesContext(connections["other"]) as other:
        status, body = gql(
            f'mutation {{ {field}(slug: "p", input: {{name: "New"}}) {{ project {{ name }} }} }}'
        )
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert Project.objects.using("other").get().name == "Old"
    if connections["other"].features.has_select_for_update:
        assert any("FOR UPDATE" in query["sql"] for query in other.captured_queries)


@pytest.mark.django_db(transaction=True)  # no test transaction around the request either
@override_settings(DRF_GRAPHQL_CRUD={"ATOMIC_MUTATIONS": False})
def test_without_a_transaction_nothing_is_locked(gql, user):
    """``select_for_update`` outside a transaction is an error on PostgreSQL."""
    lookup, removal = _update_and_delete_sql(gql)
    assert "FOR UPDATE" not in lookup and "FOR UPDATE" not in removal
    assert not Task.objects.exists()


# ------------------------------------------------------------------------------ REST parity


def _camel(value):
    if isinstance(value, dict):
        return {to_camel_case(key): _camel(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_camel(item) for item in value]
    return value


def test_rest_and_graphql_return_the_same_object(gql, client, user):
    tag = TagFactory()
    ProjectFactory(slug="kitchen")
    status, body = gql(
        f"mutation($input: TaskInput!) {{ createTask(input: $input) {{ task {{ {TASK_FIELDS} }} }} }}",
        {
            "input": {
                "title": "Same everywhere",
                "estimate": "3.25",
                "dueDate": "2030-01-31",
                "project": "kitchen",
                "tags": [str(tag.pk)],
                "subtasks": [{"title": "one"}],
            }
        },
    )
    graphql_task = body["data"]["createTask"]["task"]
    rest_task = client.get(f"/api/tasks/{graphql_task['id']}/").json()
    # GraphQL IDs are strings; everything else is the serializer's representation as is.
    rest_task["id"] = str(rest_task["id"])
    rest_task["tags"] = [str(pk) for pk in rest_task["tags"]]
    for subtask in rest_task["subtasks"]:
        subtask["id"] = str(subtask["id"])
    rest_task["status"] = rest_task["status"].upper()
    assert _camel(rest_task) == graphql_task


def test_rest_and_graphql_create_the_same_row(gql, client, user):
    payload = {"title": "Twice", "notes": "n", "priority": 4, "estimate": "1.10"}
    rest = client.post("/api/tasks/", json.dumps(payload), content_type="application/json")
    assert rest.status_code == 201, rest.content
    status, body = gql(
        "mutation($input: TaskInput!) { createTask(input: $input) { task { id } } }",
        {"input": payload},
    )
    first, second = Task.objects.order_by("pk")
    fields = ["title", "notes", "priority", "estimate", "owner_id", "status"]
    assert [getattr(first, f) for f in fields] == [getattr(second, f) for f in fields]


# ------------------------------------------------------------------------------ hand-written nested create


class HandSubtaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subtask
        fields = ["id", "title"]


class HandTaskSerializer(serializers.ModelSerializer):
    """Nested writes without drf-writable-nested: the serializer's own create()."""

    subtasks = HandSubtaskSerializer(many=True)

    class Meta:
        model = Task
        fields = ["id", "title", "subtasks"]

    def create(self, validated_data):
        subtasks = validated_data.pop("subtasks")
        task = Task.objects.create(**validated_data)
        for index, subtask in enumerate(subtasks):
            if subtask["title"] == "explode":
                raise RuntimeError(f"failed on child {index}")
            Subtask.objects.create(task=task, **subtask)
        return task


class CreateHandTask(CreateMutation):
    class Meta:
        serializer_class = HandTaskSerializer


class ProjectFilterSerializer(serializers.Serializer):
    prefix = serializers.CharField(required=False, default="")


class RenameProjects(SerializerMutation):
    """A custom mutation whose input is optional and whose result is a list."""

    class Meta:
        serializer_class = ProjectFilterSerializer
        output_serializer_class = ProjectSerializer
        output_many = True
        input_required = False
        return_field_name = "projects"

    @classmethod
    def perform_mutate(cls, serializer, info):
        projects = Project.objects.filter(slug__startswith=serializer.validated_data["prefix"])
        projects.update(name="Renamed")
        return list(projects.order_by("slug"))


class BulkCreateProject(BulkCreateMutation):
    class Meta:
        serializer_class = ProjectSerializer


class KeylessProjectListSerializer(serializers.ListSerializer):
    """One INSERT for every row, without asking the database for their keys."""

    def create(self, validated_data):
        return Project.objects.bulk_create(
            [Project(**attrs) for attrs in validated_data], ignore_conflicts=True
        )


class KeylessProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "slug", "name"]
        list_serializer_class = KeylessProjectListSerializer


class BulkCreateKeylessProject(BulkCreateMutation):
    class Meta:
        serializer_class = KeylessProjectSerializer


class CreateUnsavedProject(CreateMutation):
    class Meta:
        serializer_class = ProjectSerializer

    @classmethod
    def perform_create(cls, serializer, info):
        serializer.save()
        return Project(slug="unsaved", name="Not the saved row")


class BadgedProjectOutput(SerializerObjectType):
    """A field of the type's own, which graphene's resolver gives its default."""

    class Meta:
        serializer_class = ProjectSerializer
        name = "BadgedProjectOutput"

    badge = graphene.String(required=True, default_value="new")


class CreateBadgedProject(CreateMutation):
    class Meta:
        serializer_class = ProjectSerializer
        output_type = BadgedProjectOutput


class MutTaskWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "priority"]


class MutTaskReadSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.username", default=None, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "priority", "owner_name"]


class CreateTaskDrfStyle(CreateMutation):
    """``perform_create`` as DRF documents it: save with extra attributes, return nothing."""

    class Meta:
        serializer_class = MutTaskWriteSerializer
        output_serializer_class = MutTaskReadSerializer

    @classmethod
    def perform_create(cls, serializer, info):
        serializer.save(owner=info.context.user)


class UpdateTaskDrfStyle(UpdateMutation):
    class Meta:
        serializer_class = MutTaskWriteSerializer
        output_serializer_class = MutTaskReadSerializer
        input_required = False

    @classmethod
    def perform_update(cls, serializer, info):
        serializer.save()


class MutProjectNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["name"]


class BulkCreateProjectDrfStyle(BulkCreateMutation):
    class Meta:
        serializer_class = ProjectSerializer
        output_serializer_class = MutProjectNameSerializer
        return_field_name = "made"

    @classmethod
    def perform_create(cls, serializer, info):
        serializer.save()


class MutTagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]


class MutTaggedTaskSerializer(WritableNestedModelSerializer):
    tags = MutTagSerializer(many=True, required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "tags"]


class BulkCreateTaggedTask(BulkCreateMutation):
    class Meta:
        serializer_class = MutTaggedTaskSerializer


class CreatingTagField(serializers.SlugRelatedField):
    """The well-known "creatable slug field": a tag the client names is made if missing."""

    def to_internal_value(self, data):
        return Tag.objects.get_or_create(name=data)[0]


class LabelledProjectSerializer(serializers.ModelSerializer):
    label = CreatingTagField(slug_field="name", queryset=Tag.objects.all(), write_only=True)

    class Meta:
        model = Project
        fields = ["id", "slug", "name", "label"]
        extra_kwargs = {"slug": {"validators": []}}  # uniqueness left to the database

    def create(self, validated_data):
        validated_data.pop("label")
        return super().create(validated_data)


class CreateLabelledProject(CreateMutation):
    class Meta:
        serializer_class = LabelledProjectSerializer


class FullCleanTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "notes"]

    def create(self, validated_data):
        task = super().create(validated_data)
        if task.notes == "clean":
            task.title = ""
            task.full_clean()  # Django's ValidationError, at {"title": [...]}
        return task


class BulkCreateFullCleanTask(BulkCreateMutation):
    class Meta:
        serializer_class = FullCleanTaskSerializer


class WideViewsTaskSerializer(serializers.ModelSerializer):
    """``views`` bounded past the column's 64 bits: the database refuses what it lets by."""

    views = serializers.IntegerField(min_value=-(2**70), max_value=2**70)

    class Meta:
        model = Task
        fields = ["id", "title", "views"]


class BulkCreateWideViewsTask(BulkCreateMutation):
    class Meta:
        serializer_class = WideViewsTaskSerializer


class ValidatesBulkEarly(permissions.BasePermission):
    """Validates request.data through view.get_serializer(), as a REST permission may on a
    view taking lists (``many=True`` for list data)."""

    def has_permission(self, request, view):
        serializer = view.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return isinstance(serializer, serializers.ListSerializer)


class BulkCreateEarlyValidatedProject(BulkCreateMutation):
    class Meta:
        serializer_class = ProjectSerializer
        permission_classes = [ValidatesBulkEarly]


class ListBoundTaskSerializer(WritableNestedModelSerializer):
    """Creates a row only as a list's child, as REST's ListSerializer creates each item."""

    class Meta:
        model = Task
        fields = ["id", "title"]

    def create(self, validated_data):
        if not isinstance(self.parent, serializers.ListSerializer) or self.root is not self.parent:
            raise serializers.ValidationError("Not created as a list's child.")
        return super().create(validated_data)


class BulkCreateListBoundTask(BulkCreateMutation):
    class Meta:
        serializer_class = ListBoundTaskSerializer


class LatestAware(permissions.BasePermission):
    """Reads the object in has_permission through view.get_object(), as DRF allows."""

    def has_permission(self, request, view):
        return view.get_object() is not None


class UpdateLatestProject(UpdateMutation):
    """get_object() of its own: ``id: "latest"`` names the newest project."""

    class Meta:
        serializer_class = ProjectSerializer
        permission_classes = [LatestAware]

    @classmethod
    def get_object(cls, info, lookup_value):
        if lookup_value == "latest":
            return Project.objects.latest("pk")
        return super().get_object(info, lookup_value)


class MarkedProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["slug", "name"]

    def validate_name(self, value):
        if self.context.get("marker") != "added":
            raise serializers.ValidationError("The mutation's context was not used.")
        return value


class ValidatesEarly(permissions.BasePermission):
    """Validates the input through the view's serializer, as a REST permission may."""

    def has_permission(self, request, view):
        view.get_serializer(data=request.data).is_valid(raise_exception=True)
        return view.get_serializer_context()["marker"] == "added"


class CreateContextMarkedProject(CreateMutation):
    class Meta:
        serializer_class = MarkedProjectSerializer
        permission_classes = [ValidatesEarly]

    @classmethod
    def get_serializer_context(cls, info):
        return {**super().get_serializer_context(info), "marker": "added"}


class NothingToSaySerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, default="none")


class ProjectCountSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    comment = serializers.CharField()


class CountProjects(SerializerMutation):
    """No input argument: the serializer validates an empty body, as REST's empty POST."""

    takes_input = False

    class Meta:
        serializer_class = NothingToSaySerializer
        output_serializer_class = ProjectCountSerializer
        return_field_name = "summary"

    @classmethod
    def perform_mutate(cls, serializer, info):
        return {"count": Project.objects.count(), **serializer.validated_data}


class LocalMutation(graphene.ObjectType):
    create_labelled_project = CreateLabelledProject.Field()
    bulk_create_full_clean_task = BulkCreateFullCleanTask.Field()
    bulk_create_wide_views_task = BulkCreateWideViewsTask.Field()
    bulk_create_project = BulkCreateProject.Field()
    bulk_create_keyless_project = BulkCreateKeylessProject.Field()
    create_unsaved_project = CreateUnsavedProject.Field()
    create_badged_project = CreateBadgedProject.Field()
    racing_create_project = RacingCreateProject.Field()
    dangling_create_task = DanglingCreateTask.Field()
    create_hand_task = CreateHandTask.Field()
    rename_projects = RenameProjects.Field()
    create_task_drf_style = CreateTaskDrfStyle.Field()
    update_task_drf_style = UpdateTaskDrfStyle.Field()
    bulk_create_project_drf_style = BulkCreateProjectDrfStyle.Field()
    bulk_create_tagged_task = BulkCreateTaggedTask.Field()
    bulk_create_early_validated_project = BulkCreateEarlyValidatedProject.Field()
    bulk_create_list_bound_task = BulkCreateListBoundTask.Field()
    update_latest_project = UpdateLatestProject.Field()
    create_context_marked_project = CreateContextMarkedProject.Field()
    count_projects = CountProjects.Field()
    update_project_elsewhere = UpdateProjectElsewhere.Field()
    update_project_elsewhere_by_hook = UpdateProjectElsewhereByHook.Field()
    update_audited_project = UpdateAuditedProject.Field()
    first_project_of = FirstProjectOf.Field()


urlpatterns = [
    path(
        "graphql/",
        csrf_exempt(
            GraphQLView.as_view(
                schema=graphene.Schema(query=QueryRaceSchema, mutation=LocalMutation)
            )
        ),
    )
]


@pytest.mark.urls(__name__)
def test_hand_written_nested_create(gql):
    status, body = gql(
        'mutation { createHandTask(input: {title: "By hand", subtasks: [{title: "a"}, {title: "b"}]}) '
        "{ task { title subtasks { title } } } }"
    )
    assert body == {
        "data": {
            "createHandTask": {
                "task": {"title": "By hand", "subtasks": [{"title": "a"}, {"title": "b"}]}
            }
        }
    }


@pytest.mark.urls(__name__)
def test_hand_written_nested_create_failing_in_second_child_leaves_no_rows(gql):
    status, body = gql(
        'mutation { createHandTask(input: {title: "By hand", subtasks: [{title: "a"}, {title: "explode"}]}) '
        "{ task { title } } }"
    )
    assert body["data"] == {"createHandTask": None}
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert counts() == (0, 0, 0)


@pytest.mark.urls(__name__)
def test_output_many_and_optional_input(gql):
    ProjectFactory(slug="a-one")
    ProjectFactory(slug="b-two")
    status, body = gql("mutation { renameProjects { projects { slug name } } }")
    assert body == {
        "data": {
            "renameProjects": {
                "projects": [
                    {"slug": "a-one", "name": "Renamed"},
                    {"slug": "b-two", "name": "Renamed"},
                ]
            }
        }
    }
    status, body = gql('mutation { renameProjects(input: {prefix: "b"}) { projects { slug } } }')
    assert body == {"data": {"renameProjects": {"projects": [{"slug": "b-two"}]}}}
    sdl = str(graphene.Schema(query=QueryRaceSchema, mutation=LocalMutation))
    assert "renameProjects(input: ProjectFilterInput): RenameProjectsPayload" in sdl
    assert "type RenameProjectsPayload {\n  projects: [ProjectOutput!]!\n}" in sdl


@pytest.mark.urls(__name__)
def test_bulk_create_with_a_plain_model_serializer_keeps_drf_list_serializer(gql, monkeypatch):
    from drf_graphql_crud.mutations import ItemwiseListSerializer

    monkeypatch.setattr(ItemwiseListSerializer, "create", lambda *a: pytest.fail("itemwise"))
    status, body = gql(
        'mutation { bulkCreateProject(input: [{slug: "a", name: "A"}, {slug: "b", name: "B"}]) '
        "{ projects { slug name } } }"
    )
    assert body == {
        "data": {
            "bulkCreateProject": {
                "projects": [{"slug": "a", "name": "A"}, {"slug": "b", "name": "B"}]
            }
        }
    }


def _rest_bulk_create(serializer_class, permission_classes, items):
    """A REST create taking lists, as DRF documents it: ``many=True`` for list data."""

    class BulkViewSet(viewsets.ModelViewSet):
        queryset = serializer_class.Meta.model.objects.all()
        authentication_classes = []

        def get_serializer(self, *args, **kwargs):
            if isinstance(kwargs.get("data"), list):
                kwargs["many"] = True
            return super().get_serializer(*args, **kwargs)

    BulkViewSet.serializer_class = serializer_class
    BulkViewSet.permission_classes = permission_classes
    request = RequestFactory().post("/", json.dumps(items), content_type="application/json")
    return BulkViewSet.as_view({"post": "create"})(request).render()


@pytest.mark.urls(__name__)
def test_a_bulk_permission_validating_early_gets_the_list_serializer(gql):
    """A permission validating ``view.get_serializer(data=request.data)`` gets the list's
    serializer, as on a REST view taking lists; it got the item's serializer, which refused
    the valid list ("Expected a dictionary, but got list")."""
    items = [{"slug": "a", "name": "A"}, {"slug": "b", "name": "B"}]
    response = _rest_bulk_create(ProjectSerializer, [ValidatesBulkEarly], items)
    assert response.status_code == 201
    Project.objects.all().delete()

    query = "mutation($input: [ProjectInput!]!) { bulkCreateEarlyValidatedProject(input: $input) { projects { slug } } }"  # noqa: E501
    status, body = gql(query, {"input": items})
    assert body == {
        "data": {"bulkCreateEarlyValidatedProject": {"projects": [{"slug": "a"}, {"slug": "b"}]}}
    }
    # Invalid input is refused by the permission's validation, as under REST.
    Project.objects.all().delete()
    status, body = gql(query, {"input": [{"slug": "c", "name": ""}]})
    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": "0.name", "message": "This field may not be blank.", "code": "blank"}
    ]
    assert not Project.objects.exists()


@pytest.mark.urls(__name__)
def test_a_bulk_items_writer_is_the_lists_child(gql):
    """Each item of a nested writer's bulk create is saved by a serializer whose parent and
    root are the list, as REST's ListSerializer creates each item with its bound child."""
    items = [{"title": "one"}, {"title": "two"}]
    assert _rest_bulk_create(ListBoundTaskSerializer, [], items).status_code == 201
    Task.objects.all().delete()

    status, body = gql(
        "mutation($input: [ListBoundTaskInput!]!) { bulkCreateListBoundTask(input: $input) "
        "{ tasks { title } } }",
        {"input": items},
    )
    assert body == {
        "data": {"bulkCreateListBoundTask": {"tasks": [{"title": "one"}, {"title": "two"}]}}
    }


@pytest.mark.urls(__name__)
def test_hooks_that_return_nothing_render_what_they_saved(gql):
    """DRF's ``perform_create``/``perform_update`` return nothing; a separate output
    serializer renders the saved row, as a REST view with a read serializer does."""
    user = UserFactory(username="alice")
    gql.force_login(user)
    status, body = gql(
        'mutation { createTaskDrfStyle(input: {title: "Hello"}) { task { id title ownerName } } }'
    )
    task = Task.objects.get()
    expected = {"id": str(task.pk), "title": "Hello", "ownerName": "alice"}
    assert body == {"data": {"createTaskDrfStyle": {"task": expected}}}

    query = "mutation($id: ID!, $input: MutTaskWritePartialInput) { updateTaskDrfStyle(id: $id, input: $input) { task { title priority } } }"  # noqa: E501
    status, body = gql(query, {"id": task.pk, "input": {"priority": 3}})
    assert body == {"data": {"updateTaskDrfStyle": {"task": {"title": "Hello", "priority": 3}}}}
    # input_required = False: an update may leave its all-optional input out (PATCH {}).
    status, body = gql(query, {"id": task.pk})
    assert body == {"data": {"updateTaskDrfStyle": {"task": {"title": "Hello", "priority": 3}}}}

    status, body = gql(
        'mutation { bulkCreateProjectDrfStyle(input: [{slug: "a", name: "A"}, {slug: "b", name: "B"}]) '
        "{ made { name } } }"
    )
    assert body == {"data": {"bulkCreateProjectDrfStyle": {"made": [{"name": "A"}, {"name": "B"}]}}}


@pytest.mark.urls(__name__)
def test_an_item_refused_while_saving_keeps_its_index(gql):
    """drf-writable-nested refuses the second new tag of one name when it saves; the error
    is the second item's, as its validation errors are, and nothing is written."""
    items = [{"title": "First"}, {"title": "Second", "tags": [{"name": "same"}, {"name": "same"}]}]
    status, body = gql(
        "mutation($input: [MutTaggedTaskInput!]!) { bulkCreateTaggedTask(input: $input) { tasks { id } } }",  # noqa: E501
        {"input": items},
    )
    assert body["data"] == {"bulkCreateTaggedTask": None}
    assert [error["field"] for error in body["errors"][0]["extensions"]["errors"]] == [
        "1.tags.1.name"
    ]
    assert not Task.objects.exists() and not Tag.objects.exists()


@pytest.mark.urls(__name__)
def test_an_item_refused_by_djangos_validation_while_saving_keeps_its_index(gql):
    items = [{"title": "First"}, {"title": "Second", "notes": "clean"}]
    status, body = gql(
        "mutation($input: [FullCleanTaskInput!]!) { bulkCreateFullCleanTask(input: $input) "
        "{ tasks { id } } }",
        {"input": items},
    )
    assert body["data"] == {"bulkCreateFullCleanTask": None}
    errors = body["errors"][0]["extensions"]["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [("1.title", "blank")]
    assert not Task.objects.exists()


@pytest.mark.urls(__name__)
def test_an_item_the_database_refuses_keeps_its_index(gql, caplog):
    """An integer past the column's 64 bits (SQLite's driver raises OverflowError,
    PostgreSQL DataError; REST answers 500): the error names the item, and nothing stays."""
    items = [{"title": "First", "views": 1}, {"title": "Second", "views": 2**64}]
    status, body = gql(
        "mutation($input: [WideViewsTaskInput!]!) { bulkCreateWideViewsTask(input: $input) "
        "{ tasks { id } } }",
        {"input": items},
    )
    assert body["data"] == {"bulkCreateWideViewsTask": None}
    assert body["errors"][0]["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [
            {
                "field": "1",
                "message": "A value in the input cannot be stored or looked up.",
                "code": "invalid",
            }
        ],
    }
    assert not Task.objects.exists()
    assert [record.levelname for record in caplog.records if record.name == "drf_graphql_crud"] == [
        "WARNING"
    ]


@pytest.mark.urls(__name__)
def test_two_items_taking_one_unique_value_name_the_second(gql, caplog):
    """Validators see the value free for both items (neither is stored yet); the database
    refuses the second's insert. REST answers 500; here the conflict is the item's, at its
    index, and nothing stays."""
    status, body = gql(
        'mutation { bulkCreateProject(input: [{slug: "a", name: "A"}, {slug: "dup", name: "B"}, '
        '{slug: "dup", name: "C"}]) { projects { id } } }'
    )
    assert body["data"] == {"bulkCreateProject": None}
    assert body["errors"][0]["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [
            {
                "field": "2",
                "message": "The data conflicts with data already stored.",
                "code": "integrity_error",
            }
        ],
    }
    assert not Project.objects.exists()
    assert [record.levelname for record in caplog.records if record.name == "drf_graphql_crud"] == [
        "WARNING"
    ]


class LettersTagSerializer(serializers.ModelSerializer):
    """Method fields answering one-shot iterators, or bytes where a list is typed."""

    letters = serializers.SerializerMethodField()
    codes = serializers.SerializerMethodField()

    class Meta:
        model = Tag
        fields = ["name", "letters", "codes"]

    def get_letters(self, tag):
        return (letter for letter in tag.name)  # no annotation: JSON

    def get_codes(self, tag) -> list[int]:
        return tag.name.encode() if tag.name == "bytes" else map(ord, tag.name)


class CreateLettersTag(CreateMutation):
    class Meta:
        serializer_class = LettersTagSerializer


def test_a_payloads_iterators_are_answered_whole_and_bytes_are_no_list(rf):
    """The check reads each value before graphql-core does: a generator is kept as the
    list REST's encoder writes, not answered empty; bytes (which graphql-core takes for no
    list) undo the write."""
    post = mutation_poster(rf, create=CreateLettersTag)

    def create(name):
        return post(
            f'mutation {{ create(input: {{name: "{name}"}}) {{ tag {{ letters codes }} }} }}'
        )

    assert create("abc") == {
        "data": {"create": {"tag": {"letters": ["a", "b", "c"], "codes": [97, 98, 99]}}}
    }
    answer = create("bytes")
    assert answer["data"] == {"create": None}
    assert answer["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert list(Tag.objects.values_list("name", flat=True)) == ["abc"]


class FrozenRow(dict):
    """A row refusing item assignment (as the ``frozendict`` package's)."""

    def __setitem__(self, key, value):
        raise TypeError("frozen")


class OnceIterable:
    """Iterable once: each ``iter()`` hands out the same iterator."""

    def __init__(self, items):
        self._items = iter(items)

    def __iter__(self):
        return self._items


class ShapedTagSerializer(serializers.ModelSerializer):
    nums = serializers.SerializerMethodField()

    class Meta:
        model = Tag
        fields = ["name", "nums"]

    def get_nums(self, tag) -> list[int]:
        if tag.name.endswith("range"):
            return range(2**31, 2**31 + 1)  # read again alike, beyond the Int
        return OnceIterable([1, 2, 3]) if tag.name == "once" else (n for n in [1, 2, 3])

    def to_representation(self, tag):
        data = super().to_representation(tag)
        return FrozenRow(data) if tag.name.startswith("frozen") else data


class BulkCreateShapedTags(BulkCreateMutation):
    class Meta:
        serializer_class = ShapedTagSerializer


def test_a_bulk_payloads_iterables_are_answered_whole_whatever_holds_them(rf):
    """A bulk payload's rows are its child's own (a row refusing assignment keeps its
    generator for graphql-core), and an iterable read once is read by graphql-core alone."""
    post = mutation_poster(rf, bulk=BulkCreateShapedTags)
    answer = post(
        'mutation { bulk(input: [{name: "frozen"}, {name: "once"}]) { tags { name nums } } }'
    )
    assert answer == {
        "data": {
            "bulk": {
                "tags": [{"name": "frozen", "nums": [1, 2, 3]}, {"name": "once", "nums": [1, 2, 3]}]
            }
        }
    }
    assert Tag.objects.count() == 2
    answer = post('mutation { bulk(input: [{name: "frozen-range"}]) { tags { name nums } } }')
    assert answer["data"] == {"bulk": None}  # a range is read again alike: checked as it is
    assert answer["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert Tag.objects.count() == 2


class AttributeRow(Mapping):
    """A row that is no dict, its keys also its attributes: graphene reads the attributes."""

    def __init__(self, data):
        self._data = dict(data)
        self.__dict__.update(self._data)

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)


class CreateAttributeRowProject(CreateMutation):
    class Meta:
        serializer_class = ProjectSerializer

    @classmethod
    def render(cls, info, serializer, result):
        return AttributeRow(super().render(info, serializer, result))


def test_a_payload_row_that_is_no_dict_is_read_as_graphene_reads_it(rf):
    """By its attributes: checked as graphene answers it, not refused for being no dict."""
    post = mutation_poster(rf, create=CreateAttributeRowProject)
    answer = post('mutation { create(input: {slug: "a", name: "A"}) { project { slug name } } }')
    assert answer == {"data": {"create": {"project": {"slug": "a", "name": "A"}}}}
    assert Project.objects.count() == 1


class GuardedRow:
    """A row that is no dict: graphene reads its attributes, the selected ones only."""

    def __init__(self, data):
        self.__dict__.update(data)

    @property
    def name(self):
        raise ValueError("not to be read unselected")


class CreateGuardedRowProject(CreateMutation):
    class Meta:
        serializer_class = ProjectSerializer

    @classmethod
    def render(cls, info, serializer, result):
        return GuardedRow(super().render(info, serializer, result))


class BulkRowsProjects(BulkCreateMutation):
    """Renders its rows in a tuple, or with a null among them (``[ProjectOutput!]!``)."""

    class Meta:
        serializer_class = ProjectSerializer

    @classmethod
    def render(cls, info, serializer, result):
        rows = super().render(info, serializer, result)
        if rows[0]["slug"] == "text":
            return "done"  # no list: graphql-core refused it after the commit
        if rows[0]["slug"] == "none":
            return None  # null, where the list is non-null
        if rows[0]["slug"] == "instances":
            return tuple(serializer.instance)  # rendered by their serializer
        return (*rows, None) if rows[0]["slug"] == "null" else tuple(rows)


def test_the_payload_checks_read_rows_as_graphql_core_does(rf, caplog):
    """An unselected attribute is never read; a tuple's rows are rows; a null row where
    the list holds none undoes the write (graphql-core refused it after the commit)."""
    post = mutation_poster(rf, create=CreateGuardedRowProject, bulk=BulkRowsProjects)
    created = post('mutation { create(input: {slug: "a", name: "A"}) { project { slug } } }')
    assert created == {"data": {"create": {"project": {"slug": "a"}}}}
    bulk = 'mutation {{ bulk(input: [{{slug: "{}", name: "B"}}]) {{ projects {{ slug }} }} }}'
    assert post(bulk.format("b")) == {"data": {"bulk": {"projects": [{"slug": "b"}]}}}
    for refused in ("null", "text", "none"):
        answer = post(bulk.format(refused))
        assert answer["data"] == {"bulk": None}
        assert answer["errors"][0]["extensions"] == {
            "code": "INTERNAL_SERVER_ERROR",
            "status": 500,
        }
    assert sorted(Project.objects.values_list("slug", flat=True)) == ["a", "b"]
    assert (
        "BulkRowsProjects answered for BulkRowsProjectsPayload.projects (no list) what the "
        "payload's type cannot hold; the write is undone. Answer what the field's type holds"
        in caplog.text
    )
    assert post(bulk.format("instances")) == {
        "data": {"bulk": {"projects": [{"slug": "instances"}]}}
    }


class PayloadExtra(graphene.ObjectType):
    note = graphene.String()


class GuardedPayload(SimpleNamespace):
    """A payload that is no dict: graphene reads the attributes the client selected."""

    @property
    def extra(self):
        raise RuntimeError("not to be read unselected")


class ObjectPayloadProjects(BulkCreateMutation):
    """``run()`` answering an object: graphene reads its attributes."""

    extra = graphene.Field(PayloadExtra)  # an object field of the payload, unselected

    class Meta:
        serializer_class = ProjectSerializer

    @classmethod
    def run(cls, info, lookup_value, data):
        return GuardedPayload(**super().run(info, lookup_value, data))


def test_a_payload_that_is_no_dict_is_read_by_its_attributes(rf):
    post = mutation_poster(rf, bulk=ObjectPayloadProjects)
    answer = post('mutation { bulk(input: [{slug: "r", name: "R"}]) { projects { slug } } }')
    assert answer == {"data": {"bulk": {"projects": [{"slug": "r"}]}}}
    assert Project.objects.count() == 1


class PayloadSlug(graphene.ObjectType):
    slug = graphene.String(required=True)


class ExtrasProjects(BulkCreateMutation):
    """``run()`` adding fields of its own to the payload: a count, a total and a second list
    (a queryset, which fails when run where the first project is ``broken``; a generator
    with a null among its rows where it is ``gaps``)."""

    count = graphene.Int(required=True)
    total = graphene.Int()
    others = graphene.List(graphene.NonNull(PayloadSlug))
    sizes = graphene.List(graphene.NonNull(graphene.Int), required=True)
    big = BigInteger()
    blobs = graphene.List(JSONValue)

    class Meta:
        serializer_class = ProjectSerializer

    @classmethod
    def run(cls, info, lookup_value, data):
        answer = super().run(info, lookup_value, data)
        slug = data[0]["slug"]
        if slug != "uncounted":
            answer["count"] = len(data)
        answer["total"] = 2**40 if slug == "big" else 10
        answer["sizes"] = (size for size in [1, 2**40 if slug == "sizes" else 2])
        if slug == "queued":  # a list's iterator items are left alone, its others judged
            answer["sizes"] = deque([(size for size in [1]), 2**40])
        if slug == "sized":  # graphql-core's Int reads no generator: judged as it is
            answer["sizes"] = ((size for size in [1]),)
        if slug == "counted":  # nor does BigInteger
            answer["big"] = (size for size in [1])
        if slug == "ticking":  # nor an iterator of C code (no __int__ of Python's to call)
            answer["total"] = itertools.count()
        if slug == "blobbed":  # no list: refused unread, whatever the dict holds
            answer["blobs"] = {"a": (size for size in [1])}
        if slug == "broken":
            answer["others"] = Project.objects.extra(where=["no_such_column = 1"])
        elif slug == "gaps":
            answer["others"] = (row for row in [{"slug": "x"}, None])
        else:
            answer["others"] = (row for row in [{"slug": "x"}, {"slug": "y"}])
        return answer


def test_a_payloads_own_fields_are_checked_as_selected_and_only_then(rf, caplog):
    """The payload's own leaves are judged as its rows' are (a non-null one left out, an
    ``Int`` beyond 32 bits undo the write); an unselected list is never read (a queryset
    is not run); a generator of rows is read once, as the list graphql-core then reads."""
    post = mutation_poster(rf, bulk=ExtrasProjects)
    bulk = 'mutation {{ bulk(input: [{{slug: "{}", name: "A"}}]) {{ {} }} }}'
    with CaptureQueriesContext(connection) as queries:
        answer = post(bulk.format("broken", "count projects { slug }"))
    assert answer == {"data": {"bulk": {"count": 1, "projects": [{"slug": "broken"}]}}}
    assert not [each for each in queries.captured_queries if "no_such_column" in each["sql"]]
    answer = post(bulk.format("listed", "others { slug } sizes"))
    assert answer == {"data": {"bulk": {"others": [{"slug": "x"}, {"slug": "y"}], "sizes": [1, 2]}}}
    assert post(bulk.format("unchecked", "projects { slug }"))["data"] == {
        "bulk": {"projects": [{"slug": "unchecked"}]}
    }  # "count" left out, not selected
    for refused, selection, said in [
        ("uncounted", "count", "ExtrasProjectsPayload.count (null)"),
        ("big", "total", "ExtrasProjectsPayload.total: Int cannot represent non 32-bit"),
        ("gaps", "others { slug }", "ExtrasProjectsPayload.others (a null item)"),
        ("sizes", "sizes", "ExtrasProjectsPayload.sizes: Int cannot represent non 32-bit"),
        ("queued", "sizes", "ExtrasProjectsPayload.sizes: Int cannot represent non 32-bit"),
        ("sized", "sizes", "ExtrasProjectsPayload.sizes: Int cannot represent non-integer"),
        ("counted", "big", "ExtrasProjectsPayload.big: "),
        ("ticking", "total", "ExtrasProjectsPayload.total: Int cannot represent non-integer"),
        ("blobbed", "blobs", "ExtrasProjectsPayload.blobs: Expected Iterable"),
    ]:
        answer = post(bulk.format(refused, selection))
        assert answer["data"] == {"bulk": None}
        assert answer["errors"][0]["extensions"] == {
            "code": "INTERNAL_SERVER_ERROR",
            "status": 500,
        }
        assert said in caplog.text
    assert sorted(Project.objects.values_list("slug", flat=True)) == [
        "broken",
        "listed",
        "unchecked",
    ]


class PayloadShape(graphene.Interface):
    note = graphene.String()


class OtherShape(graphene.ObjectType):
    """Another type of the interface, with a ``count`` of its own."""

    class Meta:
        interfaces = (PayloadShape,)

    count = graphene.Int()


class JoinedLetters:
    """An iterator whose text (``repr()``, which ``str()`` falls back to) reads itself."""

    def __init__(self, letters):
        self.letters = iter(letters)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self.letters)

    def __repr__(self):
        return ",".join(self)


class ShapedPayloadProjects(BulkCreateMutation):
    """A payload of an interface, with fields of its own: a JSON blob holding a generator,
    and a non-null ``count`` it leaves out."""

    blob = JSONValue()
    queue = JSONValue()
    label = graphene.String()
    count = graphene.Int(required=True)

    class Meta:
        serializer_class = ProjectSerializer
        interfaces = (PayloadShape,)

    @classmethod
    def run(cls, info, lookup_value, data):
        answer = super().run(info, lookup_value, data)
        answer["blob"] = {
            "items": (n for n in [1, 2, 3]),
            "nested": [(n for n in "ab")],
        }
        answer["label"] = JoinedLetters("ab")  # graphql-core's String reads it: left to it
        answer["queue"] = {
            "queued": deque([(n for n in [1, 2])]),  # REST's encoder: dict() of it
            "grid": memoryview(b"abcd").cast("B", [2, 2]),  # no walking it: its tolist()
        }
        return answer


def test_the_payload_checks_judge_what_graphql_core_reads_as_it_reads_it(rf):
    """A generator inside a JSON value is left to graphql-core (serializing it for the
    check emptied it: the client got ``[]``); a field under a fragment on another type is
    not selected on this one (its absence undid a good write)."""
    schema = graphene.Schema(
        query=type("Query", (graphene.ObjectType,), {"ping": graphene.String()}),
        mutation=type("Mutation", (graphene.ObjectType,), {"bulk": ShapedPayloadProjects.Field()}),
        types=[OtherShape],
    )
    view = DRFGraphQLView.as_view(schema=schema)

    def post(slug, selection):
        document = f'mutation {{ bulk(input: [{{slug: "{slug}", name: "J"}}]) {{ {selection} }} }}'
        return json.loads(view(rf.post("/", {"query": document}, "application/json")).content)

    assert post("j", "blob queue label projects { slug }") == {
        "data": {
            "bulk": {
                "blob": {
                    "items": [1, 2, 3],
                    "nested": [["a", "b"]],
                },
                "queue": {"queued": {"1": 2}, "grid": [[97, 98], [99, 100]]},
                "label": "a,b",
                "projects": [{"slug": "j"}],
            }
        }
    }
    fragment = "projects { slug } ... on PayloadShape { ... on OtherShape { count } }"
    assert post("k", fragment) == {"data": {"bulk": {"projects": [{"slug": "k"}]}}}
    assert sorted(Project.objects.values_list("slug", flat=True)) == ["j", "k"]


class QueryingPayload(SimpleNamespace):
    """A payload whose rows are a property running a query each time it is read."""

    @property
    def projects(self):
        return Project.objects.filter(slug="q").values("slug", "name")


class QueryingPayloadProjects(BulkCreateMutation):
    class Meta:
        serializer_class = ProjectSerializer

    @classmethod
    def run(cls, info, lookup_value, data):
        super().run(info, lookup_value, data)
        return QueryingPayload()


def test_the_payload_checks_read_a_selected_field_once(rf):
    """Both checks share what they read: the property runs once for them, and once for
    graphql-core (which reads the payload again, after the write)."""
    post = mutation_poster(rf, bulk=QueryingPayloadProjects)
    with CaptureQueriesContext(connection) as queries:
        answer = post('mutation { bulk(input: [{slug: "q", name: "Q"}]) { projects { name } } }')
    assert answer == {"data": {"bulk": {"projects": [{"name": "Q"}]}}}
    reads = [each for each in queries.captured_queries if '"name" FROM' in each["sql"]]
    assert len(reads) == 2, reads


def test_a_payload_value_its_type_cannot_represent_undoes_the_write(gql, user, caplog):
    """A stored choice no longer in ``choices`` (REST renders it as it is): graphql-core
    refused it after the commit, an error for the client with the title changed. It is
    found inside the transaction; a payload that does not select it is answered."""
    task = TaskFactory(owner=user, title="Old")
    Task.objects.filter(pk=task.pk).update(status="archived")
    update = (
        "mutation($id: ID!, $title: String!) { updateTask(id: $id, input: {title: $title}) "
        "{ task { %s } } }"
    )
    status, body = gql(update % "title status", {"id": str(task.pk), "title": "New"})
    assert body["data"] == {"updateTask": None}
    assert body["errors"][0]["path"] == ["updateTask"]
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    task.refresh_from_db()
    assert task.title == "Old"
    assert (
        "UpdateTask rendered values their fields' types cannot represent (TaskOutput.status: "
        "Enum 'TaskStatusChoices' cannot represent value: 'archived'; the client selected "
        "them); the write is undone." in caplog.text
    )
    status, body = gql(update % "title", {"id": str(task.pk), "title": "New"})
    assert body == {"data": {"updateTask": {"task": {"title": "New"}}}}
    task.refresh_from_db()
    assert (task.title, task.status) == ("New", "archived")


@pytest.mark.parametrize(
    "value, refusal",
    [
        (2**31, "Int cannot represent non 32-bit signed integer value: 2147483648"),
        ([1], "Int cannot represent non-integer value: [1]"),
    ],
)
def test_each_item_of_a_bulk_payload_is_checked_in_the_transaction(
    gql, user, caplog, monkeypatch, value, refusal
):
    """One item of ten rendering a value its ``Int`` cannot hold undoes them all."""
    original = TaskSerializer.to_representation

    def rendering(self, instance):
        data = original(self, instance)
        if instance.title == "task 7":
            data["priority"] = value
        return data

    monkeypatch.setattr(TaskSerializer, "to_representation", rendering)
    items = [{"title": f"task {index}"} for index in range(10)]
    status, body = gql(
        "mutation($input: [TaskInput!]!) { bulkCreateTask(input: $input) "
        "{ tasks { title priority } } }",
        {"input": items},
    )
    assert body["data"] == {"bulkCreateTask": None}
    assert not Task.objects.exists()
    assert f"TaskOutput.priority: {refusal}" in caplog.text


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "document, unfilled",
    [
        (
            'mutation { bulkCreateKeylessProject(input: [{slug: "a", name: "A"}, '
            '{slug: "b", name: "B"}]) { projects { id slug } } }',
            "KeylessProjectOutput.id",
        ),
        (
            'mutation { createUnsavedProject(input: {slug: "a", name: "A"}) '
            "{ project { name id } } }",
            "ProjectOutput.id",
        ),
    ],
    ids=["bulk_create-without-keys", "unsaved-row"],
)
def test_a_payload_leaving_a_selected_non_null_field_null_undoes_the_write(
    gql, caplog, document, unfilled
):
    """graphql-core would find the null after the commit: an error for the client, with
    the rows written (a retry writes them again). It is found inside the transaction."""
    status, body = gql(document)
    (name,) = body["data"]
    assert body["data"] == {name: None}
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    assert not Project.objects.exists()
    assert f"rendered no value for {unfilled}, which the payload holds non-null" in caplog.text
    assert caplog.text.count(unfilled) == 1


@pytest.mark.urls(__name__)
def test_a_payload_field_with_a_default_value_is_filled_by_it(gql):
    status, body = gql(
        'mutation { createBadgedProject(input: {slug: "a", name: "A"}) { project { slug badge } } }'
    )
    assert body == {"data": {"createBadgedProject": {"project": {"slug": "a", "badge": "new"}}}}
    assert Project.objects.filter(slug="a").exists()


@pytest.mark.urls(__name__)
def test_a_payload_null_the_client_did_not_select_is_no_failure(gql):
    status, body = gql(
        'mutation { bulkCreateKeylessProject(input: [{slug: "a", name: "A"}]) '
        "{ projects { slug } } }"
    )
    assert body == {"data": {"bulkCreateKeylessProject": {"projects": [{"slug": "a"}]}}}
    assert list(Project.objects.values_list("slug", flat=True)) == ["a"]


@pytest.mark.urls(__name__)
def test_explaining_a_conflict_writes_nothing(gql):
    """The second validation, run to explain an IntegrityError, may write (a field that
    makes the tag it is given): it is rolled back too, whatever it finds."""
    ProjectFactory(slug="taken")
    status, body = gql(
        'mutation { createLabelledProject(input: {slug: "taken", name: "Second", '
        'label: "urgent"}) { project { id } } }'
    )
    assert body["errors"][0]["extensions"] == CONFLICT
    assert not Tag.objects.exists()
    assert Project.objects.count() == 1


# ------------------------------------------------------------------ graphene's own options


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField()

    def create(self, validated_data):
        return validated_data


class NoteResult(graphene.ObjectType):
    ok = graphene.Boolean()


class RecordNote(SerializerMutation):
    """graphene's documented way to name a mutation's payload: an `Output` attribute."""

    Output = NoteResult

    class Meta:
        serializer_class = NoteSerializer


class Annotated(graphene.Interface):
    remark = graphene.String()


class RecordAnnotatedNote(SerializerMutation):
    class Meta:
        serializer_class = NoteSerializer
        interfaces = (Annotated,)


def test_an_output_attribute_names_the_payload():
    assert RecordNote._meta.output is NoteResult


def test_a_mutations_interfaces_keep_their_fields():
    class Mutation(graphene.ObjectType):
        record = RecordAnnotatedNote.Field()

    class Query(graphene.ObjectType):
        ok = graphene.Boolean()

    schema = graphene.Schema(query=Query, mutation=Mutation)
    payload = schema.graphql_schema.get_type("RecordAnnotatedNotePayload")
    assert [interface.name for interface in payload.interfaces] == ["Annotated"]
    assert list(payload.fields) == ["note", "remark"]  # the output, then the interface's
    assert RecordAnnotatedNote(remark="x").remark == "x"


@pytest.mark.urls(__name__)
def test_a_permission_reading_view_get_object_gets_the_mutations_own(gql):
    """DRF's view.get_object() is the view's override; the mutation's is its hook."""
    ProjectFactory(slug="old")
    ProjectFactory(slug="new")
    status, body = gql(
        'mutation { updateLatestProject(id: "latest", input: {name: "Newest"}) '
        "{ project { slug name } } }"
    )
    assert body == {"data": {"updateLatestProject": {"project": {"slug": "new", "name": "Newest"}}}}


@pytest.mark.urls(__name__)
def test_the_views_serializer_and_context_are_the_mutations_own(gql):
    status, body = gql(
        'mutation { createContextMarkedProject(input: {slug: "m", name: "Marked"}) { project { slug } } }'
    )
    assert body == {"data": {"createContextMarkedProject": {"project": {"slug": "m"}}}}


@pytest.mark.urls(__name__)
def test_a_mutation_without_input_validates_an_empty_body(gql):
    ProjectFactory()
    status, body = gql("mutation { countProjects { summary { count comment } } }")
    assert body == {"data": {"countProjects": {"summary": {"count": 1, "comment": "none"}}}}
    sdl = str(graphene.Schema(query=QueryRaceSchema, mutation=LocalMutation))
    assert "countProjects: CountProjectsPayload" in sdl


def test_meta_queryset_must_be_a_queryset():
    with pytest.raises(ImproperlyConfigured, match=r"override get_queryset\(info\)"):

        class CallableRows(UpdateMutation):
            class Meta:
                serializer_class = ProjectSerializer
                queryset = lambda info: Project.objects.all()  # noqa: E731


# ------------------------------------------------------------------ subclasses of a concrete mutation


class GuardedCreateProject(CreateMutation):
    class Meta:
        serializer_class = ProjectSerializer
        permission_classes = [permissions.IsAuthenticated]
        input_field_name = "project"


class HookedCreateProject(GuardedCreateProject):
    """A hook changed, nothing restated: as a DRF view subclass, it keeps the rest."""

    @classmethod
    def perform_create(cls, serializer, info):
        serializer.save(name=serializer.validated_data["name"].upper())


class RenamedCreateProject(GuardedCreateProject):
    class Meta:
        return_field_name = "made"  # one option of its own; the others, its parent's


class OpenCreateProject(GuardedCreateProject):
    class Meta:
        permission_classes = [permissions.AllowAny]  # its own wins


class SubclassMutation(graphene.ObjectType):
    hooked_create_project = HookedCreateProject.Field()
    renamed_create_project = RenamedCreateProject.Field()
    open_create_project = OpenCreateProject.Field()


urlpatterns.append(
    path(
        "subclass-graphql/",
        csrf_exempt(
            GraphQLView.as_view(
                schema=graphene.Schema(query=QueryRaceSchema, mutation=SubclassMutation)
            )
        ),
    )
)


@pytest.mark.urls(__name__)
def test_a_subclass_of_a_concrete_mutation_keeps_its_options(client):
    """Meta was not inherited: a subclass had to restate it, and one that did not restate
    permission_classes let anonymous callers create (DEFAULT_PERMISSION_CLASSES)."""

    def create(field, selection="project { name }"):
        query = f'mutation {{ {field}(project: {{name: "x", slug: "{field.lower()}"}}) {{ {selection} }} }}'
        response = client.post(
            "/subclass-graphql/", json.dumps({"query": query}), content_type="application/json"
        )
        return response.json()

    for field, selection in (
        ("hookedCreateProject", None),
        ("renamedCreateProject", "made { name }"),
    ):
        body = create(field, selection or "project { name }")
        assert body["errors"][0]["extensions"]["code"] == "NOT_AUTHENTICATED", body
    assert create("openCreateProject") == {
        "data": {"openCreateProject": {"project": {"name": "x"}}}
    }
    client.force_login(UserFactory())
    assert create("hookedCreateProject") == {
        "data": {"hookedCreateProject": {"project": {"name": "X"}}}
    }
    assert create("renamedCreateProject", "made { name }") == {
        "data": {"renamedCreateProject": {"made": {"name": "x"}}}
    }


# ------------------------------------------------------------------ Meta options a subclass gives or takes


class InhProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "slug", "name"]


def test_a_subclass_may_give_output_type_where_its_parent_named_its_output(isolated_registry):
    class ProjOut(SerializerObjectType):
        class Meta:
            serializer_class = ProjectSerializer
            name = "InhProjOut"

    class Parent(CreateMutation):
        class Meta:
            serializer_class = ProjectSerializer
            output_type_name = "InhParentOut"

    class Child(Parent):
        class Meta:
            output_type = ProjOut

    assert Child._meta.output_type is ProjOut


def test_a_subclass_may_name_its_output_where_its_parent_gave_a_type(isolated_registry):
    class ProjOut2(SerializerObjectType):
        class Meta:
            serializer_class = ProjectSerializer
            name = "InhProjOut2"

    class Parent2(CreateMutation):
        class Meta:
            serializer_class = ProjectSerializer
            output_type = ProjOut2

    class Child2(Parent2):
        class Meta:
            output_type_name = "InhChild2Out"


def test_a_subclass_may_give_an_option_back_its_default(isolated_registry):
    class Parent3(UpdateMutation):
        class Meta:
            serializer_class = ProjectSerializer
            input_required = False

    class Child3(Parent3):
        class Meta:
            input_required = True

    assert Child3._meta.input_required is True


def test_a_subclass_may_restate_the_default_input_name(isolated_registry):
    class Parent4(CreateMutation):
        class Meta:
            serializer_class = ProjectSerializer
            input_field_name = "data"

    class Child4(Parent4):
        class Meta:
            input_field_name = "input"

    assert Child4._meta.input_field_name == "input"


def test_a_subclass_with_its_own_serializer_names_its_own_types(isolated_registry):
    class Parent5(CreateMutation):
        class Meta:
            serializer_class = ProjectSerializer
            input_type_name = "InhNewProject"

    class Child5(Parent5):
        class Meta:
            serializer_class = InhProjectSerializer

    class M(graphene.ObjectType):
        p = Parent5.Field()
        c = Child5.Field()

    graphene.Schema(mutation=M, query=M)
    errors = [m for m in check_drf_graphql_crud() if m.id == "drf_graphql_crud.E003"]
    assert not errors, errors


def test_a_subclass_changing_partial_names_its_own_input(isolated_registry):
    class Parent6(UpdateMutation):
        class Meta:
            serializer_class = ProjectSerializer
            partial = False
            input_type_name = "InhProjectUpd"

    class Child6(Parent6):
        class Meta:
            partial = True

    class M(graphene.ObjectType):
        p = Parent6.Field()
        c = Child6.Field()

    graphene.Schema(mutation=M, query=M)
    errors = [m for m in check_drf_graphql_crud() if m.id == "drf_graphql_crud.E003"]
    assert not errors, errors


def test_a_subclass_giving_action_takes_no_partial_from_its_parent(isolated_registry):
    class Parent7(UpdateMutation):
        class Meta:
            serializer_class = ProjectSerializer
            partial = False

    class Child7(Parent7):
        class Meta:
            action = "partial_update"

    assert Child7._meta.action == "partial_update", (Child7._meta.action, Child7._meta.partial)


def test_a_delete_subclass_keeps_its_lookup(isolated_registry):
    class D(DeleteMutation):
        class Meta:
            serializer_class = ProjectSerializer
            lookup_field = "slug"

    class D2(D):
        pass

    assert D2._meta.lookup_field == "slug"
    assert D2._meta.action == "destroy"


def test_a_subclass_of_other_rows_than_its_parents_is_refused(isolated_registry):
    """A delete given only `model` kept its parent's queryset of other rows and deleted the
    Task with the Project's id; a create given only another model's serializer kept its
    parent's output serializer and failed every call. Both are refused when defined, as
    when declared outright."""

    class InhDeleteTasks(DeleteMutation):
        class Meta:
            queryset = Task.objects.all()

    with pytest.raises(ImproperlyConfigured, match="model is Project, but queryset holds Task"):

        class InhDeleteProjects(InhDeleteTasks):
            class Meta:
                model = Project

    with pytest.raises(ImproperlyConfigured, match="model is Project, but queryset holds Task"):

        class InhDeleteMixed(DeleteMutation):
            class Meta:
                model = Project
                queryset = Task.objects.all()

    class InhCreateTask(CreateMutation):
        class Meta:
            serializer_class = TaskSerializer
            output_serializer_class = TaskReadSerializer

    with pytest.raises(
        ImproperlyConfigured, match=r"InhCreateProject\.Meta\.output_serializer_class"
    ):

        class InhCreateProject(InhCreateTask):
            class Meta:
                serializer_class = ProjectSerializer

    class InhDeleteTaskRows(InhDeleteTasks):  # its parent's rows, given again: fine
        class Meta:
            model = Task


class WritesIntoTheBody(permissions.BasePermission):
    """A permission written for REST, where every request has a body of its own."""

    seen: list = []

    def has_permission(self, request, view):
        WritesIntoTheBody.seen.append((request.method, dict(request.data)))
        request.data["noted"] = dict(view.kwargs)
        return True


class NotingDeleteProject(DeleteMutation):
    class Meta:
        serializer_class = ProjectSerializer
        lookup_field = "slug"
        permission_classes = [WritesIntoTheBody]


class NotingCreateProject(CreateMutation):
    class Meta:
        serializer_class = ProjectSerializer
        permission_classes = [WritesIntoTheBody]
        input_type_name = "NotingCreateProjectInput"


noting_schema = graphene.Schema(
    query=type("NotingQuery", (graphene.ObjectType,), {"ping": graphene.String()}),
    mutation=type(
        "NotingMutation",
        (graphene.ObjectType,),
        {"delete": NotingDeleteProject.Field(), "create": NotingCreateProject.Field()},
    ),
)


@pytest.mark.django_db
def test_each_operation_has_a_body_of_its_own(rf):
    """What one operation's code writes into request.data, no other operation reads: as
    under REST, a DELETE has an empty body and a POST the input it was sent."""
    from drf_graphql_crud import DRFGraphQLView

    ProjectFactory(slug="a")
    ProjectFactory(slug="b")
    document = (
        'mutation { x: delete(slug: "a") { deletedId } y: delete(slug: "b") { deletedId } '
        'z: create(input: {slug: "c", name: "C"}) { project { slug } } '
        'w: create(input: {slug: "d", name: "D"}) { project { slug } } }'
    )
    request = rf.post("/", json.dumps({"query": document}), content_type="application/json")
    WritesIntoTheBody.seen.clear()
    answer = json.loads(DRFGraphQLView.as_view(schema=noting_schema)(request).content)
    assert "errors" not in answer
    assert WritesIntoTheBody.seen == [
        ("DELETE", {}),
        ("DELETE", {}),
        ("POST", {"slug": "c", "name": "C"}),
        ("POST", {"slug": "d", "name": "D"}),
    ]


# ------------------------------------------------------------------ options refused at start-up


@pytest.mark.parametrize(
    ("base", "options", "message"),
    [
        (UpdateMutation, {"input_field_name": "id"}, "input_field_name 'id' is also the name"),
        (
            UpdateMutation,
            {"lookup_field": "slug", "input_field_name": "slug"},
            "input_field_name 'slug' is also the name",
        ),
        (UpdateMutation, {"lookup_field": 5}, "lookup_field must be a field's name, not 5"),
        (DeleteMutation, {"lookup_field": ["slug"]}, "lookup_field must be a field's name"),
    ],
)
def test_options_that_would_lose_the_lookup_are_refused(isolated_registry, base, options, message):
    """The input replacing the lookup argument (every call NOT_FOUND), or a lookup that is no
    name: refused where the class is made, naming the class and the option."""
    meta = type("Meta", (), {"serializer_class": ProjectSerializer, **options})
    with pytest.raises(ImproperlyConfigured, match=message):
        type("RefusedProjectMutation", (base,), {"Meta": meta})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"return_field_name": 5}, "Meta.return_field_name 5 is no GraphQL name"),
        ({"return_field_name": "my-project"}, "Meta.return_field_name 'my-project' is no"),
        ({"input_field_name": "in-put"}, "Meta.input_field_name 'in-put' is no GraphQL name"),
        ({"input_field_name": ""}, "Meta.input_field_name '' is no GraphQL name"),
        # GraphQL's own (an auto_camelcase=False schema keeps it as it is).
        ({"return_field_name": "__project"}, "Meta.return_field_name '__project' is no"),
    ],
)
def test_payload_and_input_names_graphql_cannot_take_are_refused(
    isolated_registry, options, message
):
    """An int raised AttributeError naming nothing; a dash failed only when the schema was
    built, in graphql-core's words naming no class."""
    meta = type("Meta", (), {"serializer_class": ProjectSerializer, **options})
    with pytest.raises(ImproperlyConfigured, match=f"RefusedNameMutation.{message}"):
        type("RefusedNameMutation", (CreateMutation,), {"Meta": meta})


def test_a_declared_field_in_the_payloads_place_is_refused(isolated_registry):
    """graphene puts a field declared on the class over the generated one: the client got
    the rendered row as a Python repr (``"{'id': 1, ...}"``) in a String."""
    meta = type("Meta", (), {"serializer_class": ProjectSerializer, "return_field_name": "note"})
    with pytest.raises(ImproperlyConfigured, match="NotedCreateProject declares a field 'note'"):
        type("NotedCreateProject", (CreateMutation,), {"Meta": meta, "note": graphene.String()})
    with pytest.raises(ImproperlyConfigured, match="declares a field 'deleted_id'"):
        type(
            "NotedDeleteProject",
            (DeleteMutation,),
            {"Meta": type("Meta", (), {"model": Project}), "deleted_id": graphene.Int()},
        )


class ProjectListSerializer(serializers.ListSerializer):
    child = ProjectSerializer()


@pytest.mark.parametrize(
    ("base", "options", "message"),
    [
        (DeleteMutation, {"model": "testapp.Project"}, "Meta.model must be a model class, not "
         "'testapp.Project' (import the model"),
        (CreateMutation, {"serializer_class": ProjectSerializer, "model": ProjectSerializer},
         "Meta.model must be a model class, not <class"),
        (DeleteMutation, {"model": 42}, "Meta.model must be a model class, not 42."),
        (BulkCreateMutation, {"serializer_class": ProjectListSerializer},
         "Meta.serializer_class is ProjectListSerializer, a ListSerializer: types are built "
         "from the serializer of one item"),
    ],
)  # fmt: skip
def test_a_model_or_serializer_of_the_wrong_kind_is_named(
    isolated_registry, base, options, message
):
    """Refused where the class is made, naming the class and the option, not a TypeError
    from deep inside."""
    meta = type("Meta", (), options)
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        type("WrongKindMutation", (base,), {"Meta": meta})


def test_a_read_field_refuses_a_list_serializer():
    with pytest.raises(ImproperlyConfigured, match="ProjectListSerializer, a ListSerializer"):
        RetrieveField(ProjectListSerializer)


class UserBulkSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username"]


def test_a_bulk_payloads_field_is_named_in_no_active_language(isolated_registry):
    """The model's plural as written, not its translation ("uživatelé" is no GraphQL name);
    a plural label that makes no name gives way to "<model>s"."""
    from django.utils import translation

    names = []
    for language in ("cs", "en"):
        with translation.override(language):
            mutation = type(
                f"BulkCreateUser{language.title()}",
                (BulkCreateMutation,),
                {"Meta": type("Meta", (), {"serializer_class": UserBulkSerializer})},
            )
        names.append(mutation._meta.return_field_name)
    assert names == ["users", "users"]

    with isolate_apps("tests.testapp"):

        class Archived(models.Model):
            class Meta:
                app_label = "testapp"
                verbose_name_plural = "tasks (archived)"

        class ArchivedSerializer(serializers.ModelSerializer):
            class Meta:
                model = Archived
                fields = ["id"]

        class BulkCreateArchived(BulkCreateMutation):
            class Meta:
                serializer_class = ArchivedSerializer

    assert BulkCreateArchived._meta.return_field_name == "archiveds"


@pytest.mark.urls(__name__)
def test_a_mutation_returning_no_row_answers_null_not_a_blank_row(gql):
    """perform_mutate found nothing and nothing was saved: null, not the output serializer's
    blanks for a row that does not exist."""
    ProjectFactory(slug="alpha", name="Alpha")
    query = "mutation($p: String!) { firstProjectOf(input: {prefix: $p}) { project { slug } } }"
    status, body = gql(query, {"p": "al"})
    assert body == {"data": {"firstProjectOf": {"project": {"slug": "alpha"}}}}
    status, body = gql(query, {"p": "zz"})
    assert body == {"data": {"firstProjectOf": {"project": None}}}


class HexBadgeSerializer(serializers.ModelSerializer):
    """Renders its UUID key as hex, as every read of it shows it."""

    id = serializers.UUIDField(format="hex", read_only=True)

    class Meta:
        model = Badge
        fields = ["id", "name"]


class HexBadgeViewSet(viewsets.ModelViewSet):
    queryset = Badge.objects.all()
    serializer_class = HexBadgeSerializer


def crud_poster(rf, crud, **mutations):
    """A function posting a document to a schema of ``crud`` and ``mutations`` (as
    ``rf`` requests, by ``user`` if given), answering the decoded body."""
    from drf_graphql_crud import DRFGraphQLView

    schema = graphene.Schema(
        query=type("Query", (crud.Query, graphene.ObjectType), {}),
        mutation=type(
            "Mutation",
            (crud.Mutation, graphene.ObjectType),
            {name: mutation.Field() for name, mutation in mutations.items()},
        ),
    )
    view = DRFGraphQLView.as_view(schema=schema)

    def post(query, user=None):
        request = rf.post(
            "/graphql/", json.dumps({"query": query}), content_type="application/json"
        )
        if user is not None:
            request.user = request._force_auth_user = user
        return json.loads(view(request).content)

    return post


def test_deleted_id_is_the_key_as_the_serializer_renders_it(isolated_registry, rf):
    """A client's cache holds the row under the `id` reads show (hex here): deletedId is
    that, not the key's own text, whether or not the type is a Relay node; a key rendered
    as its text costs the delete nothing more."""
    from drf_graphql_crud import ViewSetCrud
    from drf_graphql_crud.relay import renders_its_own_key

    class DeleteHexBadge(DeleteMutation):
        class Meta:
            serializer_class = HexBadgeSerializer

    crud = ViewSetCrud(HexBadgeViewSet, name="hexBadge")
    post = crud_poster(rf, crud, delete_hex=DeleteHexBadge)

    for field in ("deleteHex", "deleteHexBadge"):
        badge = Badge.objects.create(name="gold")
        shown = post(f'{{ hexBadge(id: "{badge.pk.hex}") {{ id }} }}')["data"]["hexBadge"]["id"]
        assert shown == badge.pk.hex
        body = post(f'mutation {{ {field}(id: "{shown}") {{ deletedId }} }}')
        assert body == {"data": {field: {"deletedId": badge.pk.hex}}}
        assert not Badge.objects.exists()
    assert renders_its_own_key(HexBadgeSerializer, Badge)
    assert not renders_its_own_key(ProjectSerializer, Project)


class ReadHexBadgeViewSet(viewsets.ModelViewSet):
    """Reads render the key as hex; writes with a plain serializer: DRF's common idiom."""

    queryset = Badge.objects.all()

    def get_serializer_class(self):
        if self.action in ("list", "retrieve"):
            return HexBadgeSerializer
        return PlainBadgeSerializer


class PlainBadgeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Badge
        fields = ["id", "name"]


def test_deleted_id_is_the_key_as_reads_show_it_and_asks_nothing_of_a_delete(isolated_registry, rf):
    """A viewset's reads render its key (hex here), whatever serializer its writes use:
    deletedId is that. A mutation's get_serializer_class() with no answer for destroy
    (REST's destroy never asks) leaves the key as it is."""
    from drf_graphql_crud import ViewSetCrud

    class DeletePerActionBadge(DeleteMutation):
        class Meta:
            model = Badge

        @classmethod
        def get_serializer_class(cls, info):
            return {"create": PlainBadgeSerializer}[cls._meta.action]

    crud = ViewSetCrud(ReadHexBadgeViewSet, name="readHexBadge")
    post = crud_poster(rf, crud, delete_per_action=DeletePerActionBadge)

    badge = Badge.objects.create(name="gold")
    body = post(f'mutation {{ deleteReadHexBadge(id: "{badge.pk.hex}") {{ deletedId }} }}')
    assert body == {"data": {"deleteReadHexBadge": {"deletedId": badge.pk.hex}}}
    badge = Badge.objects.create(name="silver")
    body = post(f'mutation {{ deletePerAction(id: "{badge.pk}") {{ deletedId }} }}')
    assert body == {"data": {"deletePerAction": {"deletedId": str(badge.pk)}}}
    assert not Badge.objects.exists()


class SignedInHexBadgeViewSet(viewsets.ModelViewSet):
    """Shows signed-in callers the hex key: the serializer depends on the request."""

    queryset = Badge.objects.all()
    serializer_class = PlainBadgeSerializer

    def get_serializer_class(self):
        return HexBadgeSerializer if self.request.user.is_authenticated else PlainBadgeSerializer


class ListAndDestroyBadgeViewSet(
    mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """No retrieve: its list is the read showing the key."""

    queryset = Badge.objects.all()

    def get_serializer_class(self):
        return HexBadgeSerializer if self.action == "list" else PlainBadgeSerializer


@pytest.mark.parametrize(
    ("viewset", "name"),
    [(SignedInHexBadgeViewSet, "signedInBadge"), (ListAndDestroyBadgeViewSet, "listedBadge")],
)
def test_deleted_id_is_the_key_as_this_callers_reads_show_it(isolated_registry, rf, viewset, name):
    from drf_graphql_crud import ViewSetCrud

    post = crud_poster(rf, ViewSetCrud(viewset, name=name))
    badge = Badge.objects.create(name="gold")
    field = f"delete{name[0].upper()}{name[1:]}"
    body = post(f'mutation {{ {field}(id: "{badge.pk}") {{ deletedId }} }}', user=UserFactory())
    assert body == {"data": {field: {"deletedId": badge.pk.hex}}}


class StaffHexBadgeSerializer(serializers.ModelSerializer):
    """Shows staff the key as hex: its fields change with the request."""

    class Meta:
        model = Badge
        fields = ["id", "name"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_staff:
            fields["id"] = serializers.UUIDField(format="hex", read_only=True)
        return fields


class StaffHexBadgeViewSet(viewsets.ModelViewSet):
    queryset = Badge.objects.all()
    serializer_class = StaffHexBadgeSerializer


@pytest.mark.parametrize("staff", [True, False])
def test_deleted_id_follows_fields_that_change_with_the_request(isolated_registry, rf, staff):
    from drf_graphql_crud import ViewSetCrud

    class DeleteStaffHexBadge(DeleteMutation):
        class Meta:
            serializer_class = StaffHexBadgeSerializer

    crud = ViewSetCrud(StaffHexBadgeViewSet, name="staffHexBadge")
    post = crud_poster(rf, crud, delete_staff_hex=DeleteStaffHexBadge)
    user = UserFactory(is_staff=staff)
    for field in ("deleteStaffHex", "deleteStaffHexBadge"):
        badge = Badge.objects.create(name="gold")
        shown = badge.pk.hex if staff else str(badge.pk)
        body = post(f'mutation {{ {field}(id: "{badge.pk}") {{ deletedId }} }}', user=user)
        assert body == {"data": {field: {"deletedId": shown}}}


@pytest.mark.skipif(django.VERSION < (5, 2), reason="CompositePrimaryKey is Django 5.2's")
@pytest.mark.django_db(transaction=True)  # SQLite makes tables outside a transaction only
def test_deleted_id_of_a_composite_key_is_its_text_as_reads_show_it(isolated_registry, rf):
    """A composite key's ``pk`` is a tuple, no ID: the answer failed after the delete
    committed (a 500 for a row that was gone). It is the key as reads render ``pk``."""
    from drf_graphql_crud import ViewSetCrud

    with isolate_apps("tests.testapp"):

        class Release(models.Model):
            pk = models.CompositePrimaryKey("code", "version")
            code = models.CharField(max_length=10, unique=True)
            version = models.IntegerField()

            class Meta:
                app_label = "testapp"

    class ReleaseSerializer(serializers.ModelSerializer):
        class Meta:
            model = Release
            fields = ["pk", "code", "version"]

    class ReleaseViewSet(viewsets.ModelViewSet):
        queryset = Release.objects.all()
        serializer_class = ReleaseSerializer
        lookup_field = "code"

    class DeleteRelease(DeleteMutation):
        class Meta:
            model = Release
            lookup_field = "code"

    post = crud_poster(rf, ViewSetCrud(ReleaseViewSet), remove_release=DeleteRelease)
    with tables(Release):
        for field, code in [("deleteRelease", "a"), ("removeRelease", "b")]:
            Release.objects.create(code=code, version=2)
            shown = post(f'{{ release(code: "{code}") {{ pk }} }}')["data"]["release"]["pk"]
            assert shown == f'["{code}", "2"]'
            body = post(f'mutation {{ {field}(code: "{code}") {{ deletedId }} }}')
            assert body == {"data": {field: {"deletedId": shown}}}
        assert not Release.objects.exists()


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(write_only=True)
    new_password = serializers.CharField(write_only=True)


class StampSerializer(serializers.Serializer):
    stamp = serializers.CharField(read_only=True, default="now")


def test_a_mutation_whose_types_would_have_no_fields_is_refused_where_it_is_defined(
    isolated_registry,
):
    """graphql-core refuses a type of no fields: the schema holding it failed every
    request, and nothing said why before the first one."""
    with pytest.raises(ImproperlyConfigured) as refused:

        class ChangePassword(SerializerMutation):
            class Meta:
                serializer_class = PasswordChangeSerializer

    assert str(refused.value) == (
        "ChangePassword: PasswordChangeSerializer renders no field (write_only ones are "
        "never read), so the output type PasswordChangeOutput would have none, which GraphQL "
        "refuses (every request to the schema would fail). Give the mutation an "
        "output_serializer_class that renders the result, or an output_type."
    )

    class ChangeOwnPassword(SerializerMutation):
        class Meta:
            serializer_class = PasswordChangeSerializer
            output_serializer_class = ProjectSerializer

    with pytest.raises(ImproperlyConfigured, match=r"^Stamp: StampSerializer has no field a "):

        class Stamp(SerializerMutation):
            class Meta:
                serializer_class = StampSerializer

    class StampNoInput(SerializerMutation):
        takes_input = False

        class Meta:
            serializer_class = StampSerializer

    schema = graphene.Schema(
        query=type("Q", (graphene.ObjectType,), {"ok": graphene.Boolean()}),
        mutation=type(
            "M",
            (graphene.ObjectType,),
            {"a": ChangeOwnPassword.Field(), "b": StampNoInput.Field()},
        ),
    )
    assert validate_schema(schema.graphql_schema) == []


@pytest.mark.parametrize("setting", ["GRAPHENE", "DATABASE"])
def test_atomic_mutations_undo_the_documents_earlier_mutations_under_graphene_djangos_view(
    gql, monkeypatch, setting
):
    """graphene-django's own view undoes an ``ATOMIC_MUTATIONS`` document on the flag its
    mutations set when they fail: a library mutation failing after another succeeded left
    the first one's row written."""
    if setting == "GRAPHENE":
        from graphene_django import views as graphene_django_views

        # Its view keeps the settings object it imported (a GRAPHENE override is not seen).
        monkeypatch.setattr(graphene_django_views.graphene_settings, "ATOMIC_MUTATIONS", True)
    else:
        monkeypatch.setitem(connection.settings_dict, "ATOMIC_MUTATIONS", True)
    status, body = gql(
        'mutation { a: createProject(input: {slug: "first", name: "First"}) { project { slug } }'
        ' b: createProject(input: {slug: "not a slug", name: "Second"}) { project { slug } } }'
    )
    assert body["data"] == {"a": {"project": {"slug": "first"}}, "b": None}
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
    assert not Project.objects.exists()


class HugeNumberSerializer(serializers.ModelSerializer):
    huge = serializers.SerializerMethodField()

    class Meta:
        model = Tag
        fields = ["huge"]

    def get_huge(self, tag) -> int:
        return 2**40


class HugeTagSerializer(serializers.ModelSerializer):
    """Renders, below the payload's object, a number its ``-> int`` type (32 bits) cannot
    hold: graphql-core refuses it after the write (the payload's own objects are checked
    in the write's transaction)."""

    number = HugeNumberSerializer(source="*", read_only=True)

    class Meta:
        model = Tag
        fields = ["name", "number"]


class CreateHugeTag(CreateMutation):
    class Meta:
        serializer_class = HugeTagSerializer


huge_tag_schema = graphene.Schema(
    query=type("HugeTagQuery", (graphene.ObjectType,), {"ping": graphene.String()}),
    mutation=type("HugeTagMutation", (graphene.ObjectType,), {"create_tag": CreateHugeTag.Field()}),
)


@pytest.mark.parametrize(
    ("context_class", "kept"), [(SerializedExecutionContext, []), (None, ["big"])]
)
def test_a_payload_failing_after_the_write_is_undone_under_graphene_djangos_atomic_mutations(
    rf, monkeypatch, context_class, kept
):
    """graphene-django's view undoes an ``ATOMIC_MUTATIONS`` document only on the flag a
    failed mutation sets; graphql-core refuses such a payload after the mutation returned,
    unflagged. ``SerializedExecutionContext`` flags it; under graphql-core's own context
    the row stays (documented: ``ATOMIC_REQUESTS`` undoes it there)."""
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_MUTATIONS", True)
    query = 'mutation { createTag(input: {name: "big"}) { tag { name number { huge } } } }'
    request = rf.post("/graphql/", json.dumps({"query": query}), content_type="application/json")
    view = GraphQLView.as_view(schema=huge_tag_schema, execution_context_class=context_class)
    body = json.loads(view(request).content)
    assert body["data"] == {"createTag": {"tag": None}}  # `number` is non-null
    assert "cannot represent" in body["errors"][0]["message"]
    assert list(Tag.objects.values_list("name", flat=True)) == kept


def test_a_failed_entry_of_graphene_djangos_batch_leaves_the_later_ones_written(rf, monkeypatch):
    """graphene-django's batch view runs every entry on one request and never clears the
    flag a failed write sets: the next entry's create, answered as made, was undone."""
    from graphene_django.views import GraphQLView

    from tests.testapp.schema import schema as testapp_schema

    monkeypatch.setitem(connection.settings_dict, "ATOMIC_MUTATIONS", True)
    create = (
        'mutation {{ createProject(input: {{slug: "{}", name: "P"}}) {{ project {{ slug }} }} }}'
    )
    batch = [{"query": create.format("not a slug")}, {"query": create.format("kept")}]
    request = rf.post("/graphql/", json.dumps(batch), content_type="application/json")
    answers = json.loads(GraphQLView.as_view(schema=testapp_schema, batch=True)(request).content)
    assert answers[0]["data"] == {"createProject": None}
    assert answers[1]["data"] == {"createProject": {"project": {"slug": "kept"}}}
    assert list(Project.objects.values_list("slug", flat=True)) == ["kept"]


# ------------------------------------------------------------------ options shared, misplaced, unused


def mutation_poster(rf, **mutations):
    """Post a document to a schema of ``mutations``, anonymously: the decoded answer."""
    from drf_graphql_crud import DRFGraphQLView

    schema = graphene.Schema(
        query=type("Query", (graphene.ObjectType,), {"ping": graphene.String()}),
        mutation=type(
            "Mutation",
            (graphene.ObjectType,),
            {name: mutation.Field() for name, mutation in mutations.items()},
        ),
    )
    view = DRFGraphQLView.as_view(schema=schema)

    def post(query):
        return json.loads(view(rf.post("/", {"query": query}, "application/json")).content)

    return post


def test_an_abstract_base_shares_its_meta_options_with_its_mutations(rf, isolated_registry):
    """A base for several mutations declares who may call them, as a DRF view base does;
    graphene refused options beside ``abstract`` with a bare AssertionError."""

    class AuthenticatedMutation(CreateMutation):
        class Meta:
            abstract = True
            permission_classes = [permissions.IsAuthenticated]
            atomic = True

    class CreateSharedTag(AuthenticatedMutation):
        class Meta:
            serializer_class = TagSerializer

    class CreateOpenTag(AuthenticatedMutation):
        class Meta:
            serializer_class = TagSerializer
            permission_classes = [permissions.AllowAny]
            return_field_name = "openTag"

    assert CreateSharedTag._meta.permission_classes == [permissions.IsAuthenticated]
    assert (CreateSharedTag._meta.atomic, CreateOpenTag._meta.atomic) == (True, True)
    post = mutation_poster(rf, create_shared_tag=CreateSharedTag, create_open_tag=CreateOpenTag)
    denied = post('mutation { createSharedTag(input: {name: "a"}) { tag { name } } }')
    assert denied["errors"][0]["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 401}
    allowed = post('mutation { createOpenTag(input: {name: "b"}) { openTag { name } } }')
    assert allowed == {"data": {"createOpenTag": {"openTag": {"name": "b"}}}}
    assert list(Tag.objects.values_list("name", flat=True)) == ["b"]


def test_a_meta_option_given_as_a_class_attribute_is_refused(isolated_registry):
    """DRF's views take ``permission_classes`` as a class attribute; a mutation reads its
    Meta, and such an attribute left it open to anyone, without a word."""

    class DrfStyleBase(CreateMutation):
        permission_classes = [permissions.IsAuthenticated]

        class Meta:
            abstract = True

    with pytest.raises(ImproperlyConfigured) as refused:

        class CreateDrfStyleTag(DrfStyleBase):
            class Meta:
                serializer_class = TagSerializer

    assert str(refused.value).startswith(
        "CreateDrfStyleTag: DrfStyleBase.permission_classes is a class attribute, which a "
        "mutation does not read"
    )


@pytest.mark.parametrize(
    ("base", "message"),
    [
        (UpdateMutation, "UpdateListed.Meta.output_many = True, but it saves one row"),
        (BulkCreateMutation, "BulkListed.Meta.output_many = False, but it saves a list of rows"),
    ],
)
def test_output_many_against_what_is_saved_is_refused(isolated_registry, base, message):
    """Rendering one saved row as a list, or a list as one row, failed every call (500)."""
    name = "UpdateListed" if base is UpdateMutation else "BulkListed"
    meta = {"serializer_class": TagSerializer, "output_many": base is UpdateMutation}
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        type(name, (base,), {"Meta": type("Meta", (), meta)})


def test_a_delete_refuses_options_it_has_no_use_for(isolated_registry):
    with pytest.raises(ImproperlyConfigured) as refused:

        class DeleteRenamedTag(DeleteMutation):
            class Meta:
                model = Tag
                return_field_name = "gone"

    assert str(refused.value) == (
        "DeleteRenamedTag.Meta: return_field_name has no use in a delete, which takes no "
        "input and answers {deletedId} always."
    )


def test_what_is_no_misplaced_option_is_accepted(isolated_registry):
    """A descriptor of the class's own, and a mixin of another kind holding ``model``."""
    import functools

    from django.views.generic.detail import SingleObjectMixin

    class CreateDescribedTag(SingleObjectMixin, CreateMutation):
        class Meta:
            serializer_class = TagSerializer

        @functools.cached_property
        def queryset(self):
            return Tag.objects.all()

    assert CreateDescribedTag._meta.serializer_class is TagSerializer


def test_a_serializer_given_by_an_abstract_base_drops_the_parents_type_names(isolated_registry):
    """Type names stay the parent's only while the subclass keeps its serializers, whether
    the subclass's own Meta or an abstract base between them gives another."""

    class CreateNamedTag(CreateMutation):
        class Meta:
            serializer_class = TagSerializer
            input_type_name = "NamedTagIn"

    class OverProjects(CreateNamedTag):
        class Meta:
            abstract = True
            serializer_class = ProjectSerializer

    class CreateProjectBelow(OverProjects):
        pass

    arguments = CreateProjectBelow.Field().args
    assert CreateProjectBelow._meta.serializer_class is ProjectSerializer
    assert str(arguments["input"].type) == "ProjectInput!"


def test_a_graphene_option_cannot_be_shared_from_an_abstract_base(isolated_registry):
    """graphene's own options (a description) are each mutation's: dropped, silently."""
    with pytest.raises(ImproperlyConfigured, match="description cannot be shared"):

        class DescribedBase(CreateMutation):
            class Meta:
                abstract = True
                description = "Shared"
                permission_classes = [permissions.IsAuthenticated]


def test_a_projects_mixin_giving_permission_classes_is_refused_as_an_attribute(isolated_registry):
    """A mixin a project shares with its REST views: its permission_classes left the
    mutation open to anyone, where the views refuse anonymous callers."""

    class AuthRequired:
        permission_classes = [permissions.IsAuthenticated]

    with pytest.raises(ImproperlyConfigured, match="AuthRequired.permission_classes is a class"):

        class CreateMixedTag(AuthRequired, CreateMutation):
            class Meta:
                serializer_class = TagSerializer


def test_a_mixins_attribute_of_another_meaning_is_left_to_it(isolated_registry):
    """A project's mixin shared with REST views holds ``action`` (an audit verb) or
    ``permission_classes`` the mutation's Meta gives too: neither is a misplaced option.
    A mutation base in a package named ``graphene…`` of the project's is still read."""

    class LoggingMixin:
        action = "project.created"

    class TenantMixin:
        permission_classes = [permissions.IsAuthenticated]

    class CreateLoggedTag(LoggingMixin, TenantMixin, CreateMutation):
        class Meta:
            serializer_class = TagSerializer
            permission_classes = [permissions.IsAdminUser]

    assert CreateLoggedTag._meta.action == "create"
    assert CreateLoggedTag._meta.permission_classes == [permissions.IsAdminUser]

    class ProjectBase(CreateMutation):
        __module__ = "graphene_api.base"
        permission_classes = [permissions.IsAuthenticated]

        class Meta:
            abstract = True

    with pytest.raises(ImproperlyConfigured, match="ProjectBase.permission_classes is a class"):

        class CreateBasedTag(ProjectBase):
            class Meta:
                serializer_class = TagSerializer


def test_a_mixins_permission_classes_before_an_inherited_meta_are_refused(isolated_registry):
    """DRF's MRO gives a mixin listed first the last word: a parent's Meta (or an abstract
    base's) giving other permission_classes left the mutation open where REST refuses."""

    class AdminOnly:
        permission_classes = [permissions.IsAdminUser]

    class CreateOpenTag(CreateMutation):
        class Meta:
            serializer_class = TagSerializer
            permission_classes = [permissions.AllowAny]

    with pytest.raises(ImproperlyConfigured, match="AdminOnly.permission_classes is a class"):

        class CreateAdminTag(AdminOnly, CreateOpenTag):
            pass

    class CreateOwnAdminTag(AdminOnly, CreateMutation):  # its own Meta has the last word
        class Meta:
            serializer_class = TagSerializer
            permission_classes = [permissions.IsAdminUser]

    class CreateTagBelow(CreateOwnAdminTag):  # the parent's Meta comes before the mixin
        class Meta:
            return_field_name = "below"

    assert CreateTagBelow._meta.permission_classes == [permissions.IsAdminUser]


def test_options_come_from_the_first_class_in_the_mro_giving_them(rf, isolated_registry):
    """A base added after a concrete parent (``class C(CreateTag, AuthenticatedMutation)``)
    gave nothing: only the nearest concrete parent's options were read, and the mutation was
    open where a REST view with the same bases refuses anonymous callers."""

    class AuthenticatedMutation(CreateMutation):
        class Meta:
            abstract = True
            permission_classes = [permissions.IsAuthenticated]

    class CreatePlainTag(CreateMutation):
        class Meta:
            serializer_class = TagSerializer

    class CreateAuthedTag(CreatePlainTag, AuthenticatedMutation):
        class Meta:
            return_field_name = "authed"

    class CreateAdminTag(CreateMutation):
        class Meta:
            serializer_class = TagSerializer
            permission_classes = [permissions.IsAdminUser]

    class CreateBothTag(CreatePlainTag, CreateAdminTag):
        class Meta:
            return_field_name = "both"

    assert CreateAuthedTag._meta.permission_classes == [permissions.IsAuthenticated]
    assert CreateBothTag._meta.permission_classes == [permissions.IsAdminUser]
    post = mutation_poster(rf, create_authed_tag=CreateAuthedTag)
    denied = post('mutation { createAuthedTag(input: {name: "a"}) { authed { name } } }')
    assert denied["errors"][0]["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 401}
    assert not Tag.objects.exists()


def test_a_type_name_from_one_branch_of_a_diamond_goes_with_its_serializer(isolated_registry):
    """The name a branch gave its input was made for its serializer: under another one,
    taken from the other branch, the input had the first one's fields, every call refused."""

    class CreateBaseTag(CreateMutation):
        class Meta:
            serializer_class = TagSerializer

    class CreateNamedTag(CreateBaseTag):
        class Meta:
            input_type_name = "NamedTagIn"

    class CreateProjectInstead(CreateBaseTag):
        class Meta:
            serializer_class = ProjectSerializer

    class CreateBoth(CreateNamedTag, CreateProjectInstead):
        class Meta:
            return_field_name = "both"

    assert CreateBoth._meta.serializer_class is ProjectSerializer
    assert str(CreateBoth.Field().args["input"].type) == "ProjectInput!"


def test_a_type_name_stays_with_the_kind_of_mutation_it_was_made_for(isolated_registry):
    """An update mixing in a named create: the create's full input name under a partial
    update gave it required fields."""

    class CreateNamedTag(CreateMutation):
        class Meta:
            serializer_class = TagSerializer
            input_type_name = "CreatedTagIn"

    class AbstractUpdate(UpdateMutation):
        class Meta:
            abstract = True

    class UpdateMixedTag(AbstractUpdate, CreateNamedTag):
        pass

    assert (UpdateMixedTag._meta.action, UpdateMixedTag._meta.partial) == ("partial_update", True)
    assert str(UpdateMixedTag.Field().args["input"].type) == "TagPartialInput!"


# ------------------------------------------------------------------------------ trees


class CategoryTreeWriteSerializer(WritableNestedModelSerializer):
    """A tree written whole: each category with its children, and theirs."""

    class Meta:
        model = Category
        fields = ["id", "name"]

    def get_fields(self):
        fields = super().get_fields()
        fields["children"] = CategoryTreeWriteSerializer(many=True, required=False)
        return fields


class CreateCategoryTree(CreateMutation):
    class Meta:
        serializer_class = CategoryTreeWriteSerializer


class UpdateCategoryTree(UpdateMutation):
    class Meta:
        serializer_class = CategoryTreeWriteSerializer


class CategoryTreeWriteViewSet(viewsets.ModelViewSet):
    queryset = Category.objects.all()
    serializer_class = CategoryTreeWriteSerializer


class TreeMutation(graphene.ObjectType):
    create_category_tree = CreateCategoryTree.Field()
    update_category_tree = UpdateCategoryTree.Field()


tree_router = DefaultRouter()
tree_router.register("category-trees", CategoryTreeWriteViewSet, basename="category-tree")
urlpatterns += [
    path(
        "tree-graphql/",
        DRFGraphQLView.as_view(
            schema=graphene.Schema(query=QueryRaceSchema, mutation=TreeMutation)
        ),
    ),
    path("tree-api/", include(tree_router.urls)),
]

TREE = {"name": "fruit", "children": [{"name": "apple", "children": [{"name": "cox"}]}]}
TREE_SELECTION = "category { id name children { id name children { id name children { id } } } }"


def tree_post(client, query, variables):
    response = client.post(
        "/tree-graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )
    return response.json()


def without_ids(node):
    """A rendered tree's names, level by level (as deep as it was selected)."""
    shown = {"name": node["name"]} if "name" in node else {}
    if "children" in node:
        shown["children"] = [without_ids(child) for child in node["children"]]
    return shown


def stored_tree():
    return sorted(Category.objects.values_list("name", "parent__name"))


@pytest.mark.urls(__name__)
def test_a_tree_is_created_whole_as_rest_creates_it(client):
    rest = client.post(
        "/tree-api/category-trees/", json.dumps(TREE), content_type="application/json"
    )
    assert rest.status_code == 201
    by_rest = stored_tree()
    Category.objects.all().delete()
    body = tree_post(
        client,
        "mutation($input: CategoryTreeWriteInput!) { createCategoryTree(input: $input) { "
        + TREE_SELECTION
        + " } }",
        {"input": TREE},
    )
    answer = body["data"]["createCategoryTree"]["category"]
    assert (
        without_ids(answer)
        == without_ids(rest.json())
        == {
            "name": "fruit",
            "children": [{"name": "apple", "children": [{"name": "cox", "children": []}]}],
        }
    )
    assert stored_tree() == by_rest == [("apple", "fruit"), ("cox", "apple"), ("fruit", None)]


@pytest.mark.urls(__name__)
def test_a_trees_nested_ids_reach_only_its_own_rows(client):
    """Updating a child by id, and its children below it, as drf-writable-nested does
    under REST; an id of another tree's row is refused at its place."""
    fruit = CategoryFactory(name="fruit")
    apple = CategoryFactory(name="apple", parent=fruit)
    CategoryFactory(name="cox", parent=apple)
    stranger = CategoryFactory(name="stranger")
    update = (
        "mutation($id: ID!, $input: CategoryTreeWritePartialInput!) { "
        "updateCategoryTree(id: $id, input: $input) { " + TREE_SELECTION + " } }"
    )
    body = tree_post(
        client,
        update,
        {
            "id": fruit.pk,
            "input": {
                "children": [{"id": apple.pk, "name": "Apple", "children": [{"name": "gala"}]}]
            },
        },
    )
    child = body["data"]["updateCategoryTree"]["category"]["children"][0]
    assert (child["id"], child["name"]) == (str(apple.pk), "Apple")
    assert [leaf["name"] for leaf in child["children"]] == ["gala"]
    body = tree_post(
        client,
        update,
        {"id": fruit.pk, "input": {"children": [{"id": stranger.pk, "name": "mine now"}]}},
    )
    assert [error["field"] for error in body["errors"][0]["extensions"]["errors"]] == [
        "children.0.id"
    ]
    assert Category.objects.get(pk=stranger.pk).parent is None
