"""Nested ids: a nested input may address only rows already under the row being written."""

import pytest
from drf_writable_nested.serializers import WritableNestedModelSerializer
from rest_framework import serializers

from drf_graphql_crud import nested
from drf_graphql_crud.errors import flatten_validation_errors
from drf_graphql_crud.nested import nested_id_errors, validate_with_nested_ids
from tests.factories import ProjectFactory, SubtaskFactory, TaskFactory, UserFactory
from tests.testapp.models import Subtask, Task
from tests.testapp.serializers import ProjectSerializer, SubtaskSerializer, TaskSerializer

pytestmark = pytest.mark.django_db

UPDATE = (
    "mutation($id: ID!, $input: TaskPartialInput!) { updateTask(id: $id, input: $input) "
    "{ task { subtasks { id title } } } }"
)


@pytest.fixture
def user(gql):
    user = UserFactory(username="alice")
    gql.force_login(user)
    return user


def snapshot():
    return sorted(Subtask.objects.values_list("pk", "task_id", "title"))


def nested_id_error(index, pk):
    return {
        "message": "Invalid input.",
        "path": ["updateTask"],
        "locations": [{"line": 1, "column": 49}],
        "extensions": {
            "code": "VALIDATION_ERROR",
            "status": 400,
            "errors": [
                {
                    "field": f"subtasks.{index}.id",
                    "message": f'Invalid pk "{pk}" - object does not exist.',
                    "code": "does_not_exist",
                }
            ],
        },
    }


def test_a_child_of_the_row_is_updated_by_its_id(gql, user):
    task = TaskFactory(owner=user)
    child = SubtaskFactory(task=task, title="old")
    status, body = gql(
        UPDATE, {"id": task.pk, "input": {"subtasks": [{"id": child.pk, "title": "new"}]}}
    )
    assert body == {
        "data": {"updateTask": {"task": {"subtasks": [{"id": str(child.pk), "title": "new"}]}}}
    }


def test_another_rows_child_cannot_be_taken_over(gql, user):
    mine = TaskFactory(owner=user)
    theirs = SubtaskFactory(task=TaskFactory(), title="not yours")
    before = snapshot()
    status, body = gql(
        UPDATE,
        {
            "id": mine.pk,
            "input": {"subtasks": [{"title": "fine"}, {"id": theirs.pk, "title": "x"}]},
        },
    )
    assert body == {"data": {"updateTask": None}, "errors": [nested_id_error(1, theirs.pk)]}
    assert snapshot() == before


def test_a_nested_id_out_of_reach_is_reported_with_every_other_error(gql, user):
    """REST answers every field error at once; the nested id's is one of them."""
    mine = TaskFactory(owner=user, title="Original")
    theirs = SubtaskFactory(task=TaskFactory())
    before = snapshot()
    status, body = gql(
        UPDATE,
        {
            "id": mine.pk,
            "input": {"title": "ab", "subtasks": [{"title": ""}, {"id": theirs.pk, "title": "x"}]},
        },
    )
    errors = body["errors"][0]["extensions"]["errors"]
    assert sorted((error["field"], error["code"]) for error in errors) == [
        ("subtasks.0.title", "blank"),
        ("subtasks.1.id", "does_not_exist"),
        ("title", "min_length"),
    ]
    assert snapshot() == before and Task.objects.get(pk=mine.pk).title == "Original"


@pytest.mark.parametrize("pk", ["x", "1.5", str(2**70), "", "-"])
def test_ids_that_name_no_child_are_validation_errors(gql, user, pk):
    task = TaskFactory(owner=user)
    SubtaskFactory(task=task)
    before = snapshot()
    status, body = gql(UPDATE, {"id": task.pk, "input": {"subtasks": [{"id": pk, "title": "x"}]}})
    if pk == "":  # no id: a new child, as drf-writable-nested reads it
        assert "errors" not in body, body
        return
    assert body["errors"] == [nested_id_error(0, pk)]
    assert snapshot() == before


class TaskWithProjectSerializer(WritableNestedModelSerializer):
    project = ProjectSerializer(allow_null=True, required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "project", "subtasks"]

    subtasks = SubtaskSerializer(many=True, required=False)


@pytest.mark.parametrize("form", ["{}", "00{}", " {} "])
def test_an_id_in_any_form_django_reads_names_its_row(form):
    """As drf-writable-nested's lookups read it under REST ("007" is row 7, an upper-case
    UUID its row), not as the text: REST updated the task's project by "00<pk>", which
    GraphQL refused as out of reach."""
    project = ProjectFactory()
    task = TaskFactory(project=project)
    child = SubtaskFactory(task=task)
    data = {
        "project": {"id": form.format(project.pk), "name": "renamed"},
        "subtasks": [{"id": form.format(child.pk), "title": "renamed"}],
    }
    assert nested_id_errors(TaskWithProjectSerializer(task, data=data), data) == {}
    other = ProjectFactory()
    data = {"project": {"id": form.format(other.pk), "name": "taken"}}
    assert nested_id_errors(TaskWithProjectSerializer(task, data=data), data) == {
        "project": {"id": [f'Invalid pk "{form.format(other.pk)}" - object does not exist.']}
    }


def test_no_nested_id_is_accepted_on_create(gql, user):
    existing = SubtaskFactory(task=TaskFactory(owner=user))
    before = snapshot(), Task.objects.count()
    status, body = gql(
        "mutation($input: TaskInput!) { createTask(input: $input) { task { id } } }",
        {"input": {"title": "New", "subtasks": [{"id": existing.pk, "title": "moved"}]}},
    )
    assert body["errors"][0]["extensions"]["errors"] == [
        {
            "field": "subtasks.0.id",
            "message": f'Invalid pk "{existing.pk}" - object does not exist.',
            "code": "does_not_exist",
        }
    ]
    assert (snapshot(), Task.objects.count()) == before


def test_bulk_create_items_are_checked_one_by_one():
    existing = SubtaskFactory()
    serializer = TaskSerializer(many=True, data=[])
    data = [{"title": "a"}, {"title": "b", "subtasks": [{"title": "s", "id": existing.pk}]}]
    assert nested_id_errors(serializer, data) == [
        {},
        {"subtasks": [{"id": [f'Invalid pk "{existing.pk}" - object does not exist.']}]},
    ]


def test_a_writable_pk_declared_by_the_serializer_is_left_to_it():
    class SubtaskWithId(serializers.ModelSerializer):
        id = serializers.IntegerField(required=False)

        class Meta:
            model = Subtask
            fields = ["id", "title"]

    class TaskWithOwnIds(serializers.ModelSerializer):
        subtasks = SubtaskWithId(many=True)

        class Meta:
            model = Task
            fields = ["title", "subtasks"]

    existing = SubtaskFactory()
    assert not nested_id_errors(TaskWithOwnIds(data={}), {"subtasks": [{"id": existing.pk}]})


def test_without_ids_there_is_no_query(django_assert_num_queries):
    task = TaskFactory()
    serializer = TaskSerializer(task, data={}, partial=True)
    with django_assert_num_queries(0):
        assert not nested_id_errors(serializer, {"subtasks": [{"title": "a"}, {"title": "b"}]})


def test_named_children_are_looked_up_alone_in_one_query(django_assert_num_queries):
    """The ids named, among the row's children: not every child of the row read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task = TaskFactory()
    named = SubtaskFactory(task=task)
    SubtaskFactory.create_batch(5, task=task)
    serializer = TaskSerializer(task, data={}, partial=True)
    with CaptureQueriesContext(connection) as queries:
        assert not nested_id_errors(serializer, {"subtasks": [{"id": named.pk, "title": "a"}]})
    (query,) = queries.captured_queries
    assert f"IN ({named.pk})" in query["sql"]


def test_children_prefetched_with_the_row_are_matched_without_a_query(
    django_assert_num_queries,
):
    """A mutation or viewset whose queryset prefetches the children: the named ids are
    matched among them (REST's update runs no such query). An id not among them is looked
    up as without them: a ``Prefetch(queryset=...)`` may hold only some of the children."""
    from django.db.models import Prefetch

    task = TaskFactory()
    named, done = SubtaskFactory(task=task), SubtaskFactory(task=task, done=True)
    theirs = SubtaskFactory()
    task = Task.objects.prefetch_related("subtasks").get(pk=task.pk)
    serializer = TaskSerializer(task, data={}, partial=True)
    with django_assert_num_queries(0):
        assert not nested_id_errors(serializer, {"subtasks": [{"id": named.pk, "title": "a"}]})
    undone = Prefetch("subtasks", queryset=Subtask.objects.filter(done=False))
    task = Task.objects.prefetch_related(undone).get(pk=task.pk)
    serializer = TaskSerializer(task, data={}, partial=True)
    with django_assert_num_queries(1):
        errors = nested_id_errors(
            serializer,
            {"subtasks": [{"id": named.pk}, {"id": theirs.pk}, {"id": done.pk, "title": "d"}]},
        )
    assert flatten_validation_errors(errors) == [
        {
            "field": "subtasks.1.id",
            "message": f'Invalid pk "{theirs.pk}" - object does not exist.',
            "code": "does_not_exist",
        }
    ]


class NullableSubtasksSerializer(WritableNestedModelSerializer):
    subtasks = SubtaskSerializer(many=True, required=False, allow_null=True)

    class Meta:
        model = Task
        fields = ["id", "title", "subtasks"]


def test_an_items_error_keeps_its_index_after_a_null_item():
    """``many=True, allow_null=True`` takes None items: the items after one keep their
    index in the errors (``subtasks.1.id``, the client's second item)."""
    task = TaskFactory()
    theirs = SubtaskFactory()
    serializer = NullableSubtasksSerializer(task, data={}, partial=True)
    errors = nested_id_errors(serializer, {"subtasks": [None, {"id": theirs.pk, "title": "a"}]})
    assert flatten_validation_errors(errors) == [
        {
            "field": "subtasks.1.id",
            "message": f'Invalid pk "{theirs.pk}" - object does not exist.',
            "code": "does_not_exist",
        }
    ]


class StarSerializer(serializers.ModelSerializer):
    """The same row's other fields, nested with ``source="*"`` (a REST client echoes its id)."""

    class Meta:
        model = Task
        fields = ["id", "notes"]


class TaskWithStar(serializers.ModelSerializer):
    details = StarSerializer(source="*", required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "details"]


def test_a_nested_serializer_of_the_row_itself_ignores_its_id():
    """``source="*"`` names no relation: its read-only id is dropped, as REST drops it,
    on update and on create, and whatever it names is no error."""
    task = TaskFactory()
    for instance, pk in ((task, task.pk), (task, 999_999), (None, task.pk)):
        serializer = TaskWithStar(instance, data={}, partial=True)
        assert not nested_id_errors(serializer, {"details": {"id": pk, "notes": "n"}})
    serializer = TaskWithStar(task, data={"details": {"id": task.pk, "notes": "n"}}, partial=True)
    validate_with_nested_ids(serializer, {"details": {"id": task.pk, "notes": "n"}})
    assert serializer.save().notes == "n"


class GuardedSubtasksSerializer(WritableNestedModelSerializer):
    subtasks = SubtaskSerializer(many=True, required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "subtasks"]

    def validate_subtasks(self, value):
        if any(item.get("title") == "forbidden" for item in value):
            raise serializers.ValidationError("No forbidden subtasks.")
        return value


class OneSubtaskSerializer(GuardedSubtasksSerializer):
    subtasks = SubtaskSerializer(many=True, required=False, max_length=1)


@pytest.mark.parametrize(
    ("serializer_class", "subtasks", "expected"),
    [
        # The list's own message (a parent's validate_<field>()) beside an item's id.
        (
            GuardedSubtasksSerializer,
            [{"id": "THEIRS", "title": "forbidden"}],
            [("subtasks", "invalid"), ("subtasks.0.id", "does_not_exist")],
        ),
        (
            OneSubtaskSerializer,
            [{"id": "THEIRS", "title": "a"}, {"title": "b"}],
            [("subtasks", "max_length"), ("subtasks.0.id", "does_not_exist")],
        ),
    ],
)
def test_a_lists_own_errors_and_its_items_ids_are_merged(serializer_class, subtasks, expected):
    mine = TaskFactory()
    theirs = SubtaskFactory(task=TaskFactory())
    data = {"subtasks": [{**item, "id": theirs.pk} if "id" in item else item for item in subtasks]}
    serializer = serializer_class(mine, data=data, partial=True)
    with pytest.raises(serializers.ValidationError) as raised:
        validate_with_nested_ids(serializer, data)
    errors = flatten_validation_errors(raised.value.detail)
    assert sorted((error["field"], error["code"]) for error in errors) == expected


class Unprocessable(Exception):
    pass


class OwnRaise(GuardedSubtasksSerializer):
    def is_valid(self, *, raise_exception=False):
        valid = super().is_valid()
        if not valid and raise_exception:
            raise Unprocessable(self.errors)
        return valid


@pytest.mark.parametrize("id_out_of_reach", [False, True])
def test_the_serializers_own_is_valid_decides_what_is_raised(id_out_of_reach):
    """REST calls ``is_valid(raise_exception=True)``: a serializer overriding it decides
    what is raised (a 422 of its own, say), with a nested id out of reach or not."""
    data = {"title": ""}
    if id_out_of_reach:
        data["subtasks"] = [{"id": SubtaskFactory(task=TaskFactory()).pk, "title": "a"}]
    with pytest.raises(Unprocessable):
        validate_with_nested_ids(OwnRaise(TaskFactory(), data=data, partial=True), data)


def test_a_valid_input_with_an_id_out_of_reach_gets_that_error_alone():
    theirs = SubtaskFactory(task=TaskFactory())
    data = {"title": "fine", "subtasks": [{"id": theirs.pk, "title": "a"}]}
    with pytest.raises(serializers.ValidationError) as raised:
        validate_with_nested_ids(OwnRaise(TaskFactory(), data=data, partial=True), data)
    errors = flatten_validation_errors(raised.value.detail)
    assert [(error["field"], error["code"]) for error in errors] == [
        ("subtasks.0.id", "does_not_exist")
    ]


class PlainMessageRaise(GuardedSubtasksSerializer):
    """Its own is_valid() raises one plain message, as REST would answer it."""

    def is_valid(self, *, raise_exception=False):
        valid = super().is_valid()
        if not valid and raise_exception:
            raise serializers.ValidationError("Invalid data.", code="bad_input")
        return valid


class SwallowingIsValid(GuardedSubtasksSerializer):
    """Its own is_valid() notes the errors and never raises them."""

    def is_valid(self, *, raise_exception=False):
        return super().is_valid()


@pytest.mark.parametrize(
    ("serializer_class", "expected"),
    [
        (PlainMessageRaise, [(None, "bad_input"), ("subtasks.0.id", "does_not_exist")]),
        (SwallowingIsValid, [("subtasks.0.id", "does_not_exist"), ("title", "blank")]),
    ],
)
def test_the_serializers_own_errors_keep_their_place_beside_a_nested_id(serializer_class, expected):
    """A plain message has no field (as without the id); errors noted without being
    raised come along."""
    theirs = SubtaskFactory(task=TaskFactory())
    data = {"title": "", "subtasks": [{"id": theirs.pk, "title": "a"}]}
    with pytest.raises(serializers.ValidationError) as raised:
        validate_with_nested_ids(serializer_class(TaskFactory(), data=data, partial=True), data)
    errors = flatten_validation_errors(raised.value.detail)
    assert sorted(((error["field"], error["code"]) for error in errors), key=repr) == sorted(
        expected, key=repr
    )


class UidSubtaskSerializer(serializers.ModelSerializer):
    uid = serializers.IntegerField(source="id", read_only=True)

    class Meta:
        model = Subtask
        fields = ["uid", "title"]


class UidTaskSerializer(WritableNestedModelSerializer):
    subtasks = UidSubtaskSerializer(many=True, required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "subtasks"]


def test_a_key_field_of_another_name_names_the_child_to_update(isolated_registry, rf):
    """drf-writable-nested reads a child's key as `pk` or its column's name: the input's
    `uid` is handed over as `pk`, so the child is updated in place, as a REST client's
    `pk` updates it, not deleted and made anew; and one out of reach is refused at `uid`."""
    import json

    import graphene

    from drf_graphql_crud import DRFGraphQLView, UpdateMutation

    class UpdateUidTask(UpdateMutation):
        class Meta:
            serializer_class = UidTaskSerializer
            permission_classes = []

    class Query(graphene.ObjectType):
        ok = graphene.Boolean()

    schema = graphene.Schema(
        query=Query,
        mutation=type("Mutation", (graphene.ObjectType,), {"update": UpdateUidTask.Field()}),
    )
    view = DRFGraphQLView.as_view(schema=schema, authentication_classes=[])
    document = (
        "mutation($id: ID!, $input: UidTaskPartialInput!) { update(id: $id, input: $input) "
        "{ task { subtasks { uid title } } } }"
    )

    def update(task, subtasks):
        body = {"query": document, "variables": {"id": task.pk, "input": {"subtasks": subtasks}}}
        request = rf.post("/graphql/", json.dumps(body), content_type="application/json")
        return json.loads(view(request).content)

    task = TaskFactory()
    child = SubtaskFactory(task=task, title="old")
    body = update(task, [{"uid": child.pk, "title": "new"}])
    assert body == {
        "data": {"update": {"task": {"subtasks": [{"uid": str(child.pk), "title": "new"}]}}}
    }
    assert snapshot() == [(child.pk, task.pk, "new")]

    theirs = SubtaskFactory(task=TaskFactory(), title="not yours")
    before = snapshot()
    body = update(task, [{"uid": theirs.pk, "title": "x"}])
    assert body["errors"][0]["extensions"]["errors"] == [
        {
            "field": "subtasks.0.uid",
            "message": f'Invalid pk "{theirs.pk}" - object does not exist.',
            "code": "does_not_exist",
        }
    ]
    assert snapshot() == before


class OnlyItsFieldsSubtaskSerializer(serializers.ModelSerializer):
    """Refuses a key of the body that is none of its fields, as some projects do."""

    uid = serializers.IntegerField(source="id", read_only=True)

    class Meta:
        model = Subtask
        fields = ["uid", "title", "task"]

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError({name: "Unexpected field." for name in unknown})
        return attrs


def test_the_operations_own_row_gets_its_key_as_sent(isolated_registry, rf):
    """`pk` is added for writable nested serializers only: the input's own row, which
    nothing looks up by it, gets the body its client sent, as REST's."""
    import json

    import graphene

    from drf_graphql_crud import CreateMutation, DRFGraphQLView

    class CreateOnlyItsFields(CreateMutation):
        class Meta:
            serializer_class = OnlyItsFieldsSubtaskSerializer
            permission_classes = []

    schema = graphene.Schema(
        query=type("Query", (graphene.ObjectType,), {"ok": graphene.Boolean()}),
        mutation=type("Mutation", (graphene.ObjectType,), {"create": CreateOnlyItsFields.Field()}),
    )
    task = TaskFactory()
    document = (
        "mutation($input: OnlyItsFieldsSubtaskInput!) { create(input: $input) "
        "{ subtask { title } } }"
    )
    variables = {"input": {"uid": 7, "title": "sent back", "task": task.pk}}
    request = rf.post(
        "/graphql/",
        json.dumps({"query": document, "variables": variables}),
        content_type="application/json",
    )
    body = json.loads(DRFGraphQLView.as_view(schema=schema)(request).content)
    assert body == {"data": {"create": {"subtask": {"title": "sent back"}}}}


class TwoKeysSubtaskSerializer(serializers.ModelSerializer):
    sub_uid = serializers.IntegerField(source="id", read_only=True)
    key = serializers.ReadOnlyField(source="pk")

    class Meta:
        model = Subtask
        fields = ["sub_uid", "key", "title"]


class TwoKeysTaskSerializer(WritableNestedModelSerializer):
    subtasks = TwoKeysSubtaskSerializer(many=True, required=False)

    class Meta:
        model = Task
        fields = ["id", "title", "subtasks"]


@pytest.mark.parametrize("key", ["sub_uid", "key"])
def test_every_key_field_keeps_its_name_and_names_the_child(isolated_registry, rf, key):
    """Each key field is in the input under the name the output has, graphene's (here a
    schema without camelCase), and each names the child to update."""
    import json

    import graphene

    from drf_graphql_crud import DRFGraphQLView, UpdateMutation

    class UpdateTwoKeysTask(UpdateMutation):
        class Meta:
            serializer_class = TwoKeysTaskSerializer
            permission_classes = []

    schema = graphene.Schema(
        query=type("Query", (graphene.ObjectType,), {"ok": graphene.Boolean()}),
        mutation=type("Mutation", (graphene.ObjectType,), {"update": UpdateTwoKeysTask.Field()}),
        auto_camelcase=False,
    )
    types = schema.graphql_schema.type_map
    assert list(types["TwoKeysSubtaskPartialInput"].fields) == ["sub_uid", "key", "title"]
    assert list(types["TwoKeysSubtaskOutput"].fields) == ["sub_uid", "key", "title"]
    task = TaskFactory()
    child = SubtaskFactory(task=task, title="old")
    document = (
        "mutation($id: ID!, $input: TwoKeysTaskPartialInput!) { update(id: $id, input: $input) "
        "{ task { subtasks { sub_uid title } } } }"
    )
    variables = {"id": task.pk, "input": {"subtasks": [{key: child.pk, "title": "new"}]}}
    request = rf.post(
        "/graphql/",
        json.dumps({"query": document, "variables": variables}),
        content_type="application/json",
    )
    body = json.loads(DRFGraphQLView.as_view(schema=schema)(request).content)
    assert body == {
        "data": {"update": {"task": {"subtasks": [{"sub_uid": str(child.pk), "title": "new"}]}}}
    }
    assert snapshot() == [(child.pk, task.pk, "new")]


class PlainSubtasksSerializer(serializers.ModelSerializer):
    """Writes its subtasks with its own create(): a read-only child ``id`` is dropped by
    DRF, as a REST client copying another task's subtasks sends it."""

    subtasks = SubtaskSerializer(many=True)

    class Meta:
        model = Task
        fields = ["id", "title", "subtasks"]

    def create(self, validated_data):
        subtasks = validated_data.pop("subtasks")
        task = Task.objects.create(**validated_data)
        Subtask.objects.bulk_create(Subtask(task=task, **item) for item in subtasks)
        return task


def test_a_plain_parent_drops_a_childs_id_as_rest_does(isolated_registry):
    """Only a writable nested serializer looks nested ids up: a parent writing its children
    itself gets the input REST gets, its read-only ``id`` dropped (it was refused)."""
    import json

    import graphene
    from django.test import RequestFactory
    from rest_framework import generics
    from rest_framework.test import APIRequestFactory

    from drf_graphql_crud import CreateMutation, DRFGraphQLView

    other = SubtaskFactory(title="theirs")
    data = {"title": "Copy", "subtasks": [{"id": other.pk, "title": "copied"}]}
    view = generics.CreateAPIView.as_view(serializer_class=PlainSubtasksSerializer)
    rest = view(APIRequestFactory().post("/tasks/", data, format="json"))
    assert rest.status_code == 201

    class CreatePlainTask(CreateMutation):
        class Meta:
            serializer_class = PlainSubtasksSerializer

    schema = graphene.Schema(
        query=type("Query", (graphene.ObjectType,), {"ping": graphene.String()}),
        mutation=type("Mutation", (graphene.ObjectType,), {"create": CreatePlainTask.Field()}),
    )
    query = (
        "mutation($input: PlainSubtasksInput!) { create(input: $input) "
        "{ task { title subtasks { title } } } }"
    )
    request = RequestFactory().post(
        "/graphql/", json.dumps({"query": query, "variables": {"input": data}}), "application/json"
    )
    body = json.loads(DRFGraphQLView.as_view(schema=schema)(request).content)
    assert body == {
        "data": {"create": {"task": {"title": "Copy", "subtasks": [{"title": "copied"}]}}}
    }
    other.refresh_from_db()
    assert (other.title, other.task_id) == ("theirs", other.task.pk)
    assert list(Subtask.objects.filter(title="copied").values_list("task__title", flat=True)) == [
        "Copy",
        "Copy",
    ]


class HandingProjectSerializer(serializers.ModelSerializer):
    """A plain parent handing each item of its input to a writable nested serializer, as
    one reuses a REST serializer: that serializer still looks its nested ids up."""

    tasks = TaskSerializer(many=True, required=False)

    class Meta:
        model = ProjectSerializer.Meta.model
        fields = ["id", "slug", "name", "tasks"]


def test_a_writable_serializer_under_a_plain_parent_still_bounds_its_nested_ids():
    """A plain parent's own children's ids are dropped, as REST drops them; the ids of
    their children, which the writable child serializer looks up in the whole table, are
    bounded as everywhere (another task's subtask, with no row to name it under)."""
    theirs = SubtaskFactory()
    serializer = HandingProjectSerializer(data={})
    data = {
        "slug": "p1",
        "name": "P1",
        "tasks": [{"id": theirs.task.pk, "title": "t", "subtasks": [{"id": theirs.pk}]}],
    }
    assert flatten_validation_errors(nested_id_errors(serializer, data)) == [
        {
            "field": "tasks.0.subtasks.0.id",
            "message": f'Invalid pk "{theirs.pk}" - object does not exist.',
            "code": "does_not_exist",
        }
    ]


class MomentSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    ats = serializers.ListField(child=serializers.DateTimeField(), required=False)


class SlotsSerializer(serializers.Serializer):
    slots = MomentSerializer(many=True)


@pytest.mark.parametrize("count", [1, 40])
def test_guarding_costs_the_same_for_one_item_or_many(monkeypatch, count):
    """Date-time fields are guarded whatever their values, once per field: a bulk create's
    walk does not visit its items (it did, for every value, when the data decided)."""
    calls = []
    walk = nested._find_unreadable
    monkeypatch.setattr(nested, "_find_unreadable", lambda *args: calls.append(1) or walk(*args))
    items = [{"at": "2026-03-01T12:30:00Z", "ats": ["2026-03-01T12:30:00Z"]}] * count
    bulk = MomentSerializer(data=items, many=True)
    nested.guard_unreadable_fields(bulk)
    assert len(calls) == 4  # the list, its child, and the child's two fields
    guarded = bulk.child.fields
    assert "to_internal_value" in vars(guarded["at"])
    assert "to_internal_value" in vars(guarded["ats"].child)
    # Nested items that may nest no further are not walked one by one either.
    calls.clear()
    nested.guard_unreadable_fields(SlotsSerializer(data={"slots": items}))
    assert len(calls) == 5
