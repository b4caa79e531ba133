"""read_as_drf_does: a rendering serializer's fields read what DRF's Field.get_attribute reads."""

import collections
import collections.abc
import functools
import types
from unittest import mock

import graphene
import pytest
from django.contrib.auth.models import Group
from django.db.models import Prefetch
from django.urls import include, path
from django.utils.functional import SimpleLazyObject
from rest_framework import serializers, viewsets
from rest_framework.fields import SkipField
from rest_framework.routers import DefaultRouter

from drf_graphql_crud import DRFGraphQLView, ListField, attributes
from drf_graphql_crud.attributes import read_as_drf_does
from drf_graphql_crud.fieldcache import prebuild_fields
from tests.factories import ProjectFactory, SubtaskFactory, TagFactory, TaskFactory, UserFactory
from tests.testapp.models import Subtask, Tag, Task
from tests.testapp.serializers import ProjectSerializer, SubtaskSerializer, TagSerializer

# ------------------------------------------------------------------------------ any row


class Missing(Task.DoesNotExist):
    """What a reverse one-to-one without its row raises: ObjectDoesNotExist and AttributeError."""


class Row:
    """A row with every kind of attribute DRF reads differently."""

    title = "Paint"
    nothing = None
    child = types.SimpleNamespace(name="inner", deeper={"key": "deep"})
    mapping = {"key": "value", "nested": {"key": "nested value"}}
    proxy = types.MappingProxyType({"key": "proxied"})
    ordered = collections.OrderedDict(key="ordered")
    builtin_value = len
    callable_object = type("Callable", (), {"__call__": lambda self: "called"})()
    a_class = Tag

    def __init__(self):
        # On the row, not its class: a class's partial becomes a method in later Pythons.
        self.partial_value = functools.partial(str.upper, "partial")

    def label(self):
        return "method"

    def needs_argument(self, argument):
        return argument

    def raises_attribute_error(self):
        raise AttributeError("inside the method")

    @property
    def gone(self):
        raise Missing("no such row")

    @property
    def broken(self):
        raise AttributeError("broken property")

    @property
    def unkeyed(self):
        raise KeyError("unkeyed")

    @property
    def failing(self):
        raise ValueError("failing property")


class Record(collections.abc.Mapping):
    """A mapping with an attribute of a key's name: DRF reads the key."""

    title = "the attribute"

    def __init__(self, **items):
        self.items_ = items

    def __getitem__(self, key):
        return self.items_[key]

    def __iter__(self):
        return iter(self.items_)

    def __len__(self):
        return len(self.items_)


def make_field(source, **kwargs):
    class One(serializers.Serializer):
        value = serializers.CharField(source=source, **kwargs)

    return One().fields["value"]


def outcome(field, row):
    try:
        return ("value", field.get_attribute(row))
    except SkipField:
        return ("skipped",)
    except Exception as exc:
        return ("raises", type(exc), str(exc))


SOURCES = [
    ("title", {}),
    ("nothing", {}),
    ("child.name", {}),
    ("child.deeper.key", {}),
    ("mapping.key", {}),
    ("mapping.nested.key", {}),
    ("mapping.absent", {}),
    ("mapping.absent", {"default": "fallback"}),
    ("mapping.absent", {"required": False}),
    ("proxy.key", {}),
    ("proxy.absent", {"allow_null": True}),
    ("ordered.key", {}),
    ("partial_value", {}),
    ("builtin_value", {}),
    ("callable_object", {}),
    ("a_class", {}),
    ("label", {}),
    ("needs_argument", {}),
    ("raises_attribute_error", {}),
    ("gone", {}),
    ("gone.name", {}),
    ("broken", {}),
    ("broken", {"default": "fallback"}),
    ("broken", {"allow_null": True}),
    ("broken", {"required": False}),
    ("unkeyed", {}),
    ("failing", {}),
    ("absent", {}),
    ("absent", {"required": False}),
    ("title.upper", {}),
]


@pytest.mark.parametrize(("source", "kwargs"), SOURCES)
@pytest.mark.parametrize(
    "row",
    [
        Row(),
        {"title": "Paint", "mapping": {"key": "dict row"}},
        Record(title="the key", mapping=Record(key="record")),
    ],
)
def test_a_field_reads_what_drf_reads(source, kwargs, row):
    drf, fast = make_field(source, **kwargs), make_field(source, **kwargs)
    read_as_drf_does([fast])
    assert ("get_attribute" in vars(fast)) is ("." not in source)  # dotted: DRF's own reading
    assert outcome(fast, row) == outcome(drf, row)


class Counted:
    """A row whose properties count how often they run."""

    runs = 0

    @property
    def missing(self):
        Counted.runs += 1
        raise AttributeError("nothing here")

    @property
    def method(self):
        Counted.runs += 1
        return self.label

    def label(self):
        return "called"


@pytest.mark.parametrize(
    ("source", "kwargs", "expected"),
    [
        ("missing", {"required": False}, ("skipped",)),
        ("missing", {"default": "fallback"}, ("value", "fallback")),
        ("missing", {}, ("raises", AttributeError)),
        ("method", {}, ("value", "called")),
    ],
)
def test_a_property_runs_once_whatever_drf_makes_of_its_value(source, kwargs, expected):
    """A property may query the database: DRF answers from what was read."""
    field = make_field(source, **kwargs)
    read_as_drf_does([field])
    Counted.runs = 0
    assert outcome(field, Counted())[: len(expected)] == expected
    assert Counted.runs == 1


def test_a_lazy_mapping_row_is_read_by_its_keys():
    """``SimpleLazyObject`` says it is of its object's class: DRF reads a mapping's key."""
    drf, fast = make_field("title", default="no key"), make_field("title", default="no key")
    read_as_drf_does([fast])
    row = SimpleLazyObject(lambda: Record(note="no title key"))
    assert outcome(fast, row) == outcome(drf, row) == ("value", "no key")


class Claimed(dict):
    pass


class ClaimsAMappingsClass:
    """Says it is a dict's class through ``__getattribute__``: ``isinstance`` believes it."""

    title = "the attribute"

    def __getattribute__(self, name):
        return Claimed if name == "__class__" else object.__getattribute__(self, name)

    def __getitem__(self, key):
        return "the key"


def test_a_row_saying_it_is_a_mapping_is_read_by_its_keys():
    drf, fast = make_field("title"), make_field("title")
    read_as_drf_does([fast])
    row = ClaimsAMappingsClass()
    assert outcome(fast, row) == outcome(drf, row) == ("value", "the key")


def test_a_lazy_value_is_set_up_as_often_as_under_drf():
    """``isinstance`` on a lazy object sets it up (and again, while that fails): DRF asks
    ``callable()`` first, which does not."""
    runs = []

    def set_up():
        runs.append(1)
        raise AttributeError("cannot set up")

    row = types.SimpleNamespace(title=SimpleLazyObject(set_up))
    drf, fast = make_field("title", read_only=True), make_field("title", read_only=True)
    read_as_drf_does([fast])
    under_drf = outcome(drf, row)
    drf_runs, runs[:] = len(runs), []
    assert outcome(fast, row) == under_drf
    assert len(runs) == drf_runs


def test_a_class_registered_as_a_mapping_later_is_read_by_its_keys():
    class Late:
        title = "the attribute"

        def __getitem__(self, key):
            return "the key"

    fast = make_field("title")
    read_as_drf_does([fast])
    assert outcome(fast, Late()) == ("value", "the attribute")
    collections.abc.Mapping.register(Late)
    fast = make_field("title")  # the next serializer the library builds
    read_as_drf_does([fast])
    assert outcome(fast, Late()) == outcome(make_field("title"), Late()) == ("value", "the key")


def test_a_field_reading_its_own_way_keeps_it():
    class Own(serializers.CharField):
        def get_attribute(self, instance):
            return "own"

    class Fields(serializers.Serializer):
        own = Own(source="title")
        method = serializers.SerializerMethodField()
        whole = serializers.CharField(source="*")
        plain = serializers.CharField(source="title")

        def get_method(self, row):
            return "method"

    fields = Fields().fields
    read_as_drf_does(fields.values())
    assert [name for name, field in fields.items() if "get_attribute" in vars(field)] == ["plain"]


# ------------------------------------------------------------------------------ relations


class NestedTaskSerializer(serializers.ModelSerializer):
    tags = TagSerializer(many=True, read_only=True)
    subtasks = SubtaskSerializer(many=True, read_only=True)
    project = ProjectSerializer(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "tags", "subtasks", "project"]


def tagged_task(tags=2, subtasks=2):
    task = TaskFactory(project=ProjectFactory())
    task.tags.set(TagFactory.create_batch(tags))
    SubtaskFactory.create_batch(subtasks, task=task)
    return task


def rendering(serializer):
    """``serializer`` as the library renders: its fields read as ``read_as_drf_does`` reads."""
    return prebuild_fields(serializer, reading=True)


@pytest.mark.django_db
def test_a_prefetched_relation_is_read_without_its_manager(django_assert_num_queries):
    tagged_task()
    task = Task.objects.prefetch_related("tags", "subtasks").select_related("project").get()
    serializer = rendering(NestedTaskSerializer(task))
    fields = serializer.fields
    # What manager.all() would have returned: the very queryset prefetch_related made.
    assert fields["tags"].get_attribute(task) is task._prefetched_objects_cache["tags"]
    assert fields["subtasks"].get_attribute(task) is task._prefetched_objects_cache["subtasks"]
    with django_assert_num_queries(0):
        data = serializer.data
    assert data == NestedTaskSerializer(task).data


@pytest.mark.django_db
def test_a_prefetched_list_of_keys_is_read_without_its_manager(django_assert_num_queries):
    class TagKeysSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["id", "tags"]

    tagged_task()
    task = Task.objects.prefetch_related("tags").get()
    serializer = rendering(TagKeysSerializer(task))
    assert serializer.fields["tags"].get_attribute(task) is task._prefetched_objects_cache["tags"]
    with django_assert_num_queries(0):
        data = serializer.data
    assert data == TagKeysSerializer(task).data
    unsaved = Task(title="Unsaved")
    unsaved._prefetched_objects_cache = {"tags": Tag.objects.none()}
    assert serializer.fields["tags"].get_attribute(unsaved) == []  # as DRF: no key, no rows


@pytest.mark.django_db
def test_a_relation_not_prefetched_is_read_through_its_manager(django_assert_num_queries):
    tagged_task()
    task = Task.objects.get()
    serializer = rendering(NestedTaskSerializer(task))
    assert type(serializer.fields["tags"].get_attribute(task)) is type(task.tags)
    with django_assert_num_queries(3):  # the tags, the subtasks, the project: as DRF reads
        data = serializer.data
    assert data == NestedTaskSerializer(Task.objects.get()).data


@pytest.mark.django_db
def test_a_prefetch_of_some_rows_renders_those_rows():
    task = tagged_task(tags=3)
    kept = task.tags.order_by("pk")[1]
    rows = Task.objects.prefetch_related(
        Prefetch("tags", queryset=Tag.objects.filter(pk=kept.pk)), "subtasks"
    )
    data = rendering(NestedTaskSerializer(rows, many=True)).data
    assert data == NestedTaskSerializer(rows, many=True).data
    assert [tag["id"] for tag in data[0]["tags"]] == [kept.pk]


@pytest.mark.django_db
def test_a_reverse_relation_prefetched_under_another_name_goes_through_its_manager(
    django_assert_num_queries,
):
    """Django keeps ``Group.user_set`` prefetched under its query name, ``user``."""

    class UserNameSerializer(serializers.Serializer):
        username = serializers.CharField()

    class GroupSerializer(serializers.ModelSerializer):
        user_set = UserNameSerializer(many=True, read_only=True)

        class Meta:
            model = Group
            fields = ["name", "user_set"]

    group = Group.objects.create(name="staff")
    group.user_set.set(UserFactory.create_batch(2))
    group = Group.objects.prefetch_related("user_set").get()
    serializer = rendering(GroupSerializer(group))
    assert "get_attribute" in vars(serializer.fields["user_set"])
    assert (
        serializer.fields["user_set"].get_attribute(group)
        is not (group._prefetched_objects_cache["user"])
    )
    with django_assert_num_queries(0):  # its manager's all() reads the prefetch
        data = serializer.data
    assert data == GroupSerializer(group).data


@pytest.mark.django_db
def test_a_manager_answering_all_its_own_way_is_asked(django_assert_num_queries):
    tagged_task()
    task = Task.objects.prefetch_related("tags").get()
    manager_class = Task.tags.related_manager_cls

    def first_only(manager):
        return manager.get_queryset()[:1]

    # Decided once per class of row and relation, as a manager class is made once.
    with (
        mock.patch.object(manager_class, "all", first_only, create=True),
        mock.patch.dict(attributes._prefetched_keys, clear=True),
    ):
        data = rendering(NestedTaskSerializer(task, context={})).data
        assert data == NestedTaskSerializer(task).data
    assert len(data["tags"]) == 1


@pytest.mark.django_db
def test_a_list_serializer_rendering_its_own_way_gets_the_manager():
    class CountingList(serializers.ListSerializer):
        def to_representation(self, data):
            return [f"{type(data).__name__}: {data.count()}"]

    class CountedTagSerializer(TagSerializer):
        class Meta(TagSerializer.Meta):
            list_serializer_class = CountingList

    class CountedTaskSerializer(serializers.ModelSerializer):
        tags = CountedTagSerializer(many=True, read_only=True)

        class Meta:
            model = Task
            fields = ["tags"]

    tagged_task()
    task = Task.objects.prefetch_related("tags").get()
    data = rendering(CountedTaskSerializer(task)).data
    assert data == CountedTaskSerializer(task).data == {"tags": ["ManyRelatedManager: 2"]}


@pytest.mark.django_db
def test_an_unsaved_row_is_refused_as_drf_refuses_it():
    task = Task(title="Unsaved")
    task._prefetched_objects_cache = {"tags": Tag.objects.none()}
    for serializer in (NestedTaskSerializer(task), rendering(NestedTaskSerializer(task))):
        with pytest.raises(ValueError, match="needs to have a value for field"):
            serializer.fields["tags"].get_attribute(task)


@pytest.mark.django_db
def test_rows_of_a_subclass_and_of_values_are_read_as_drf_reads_them():
    tagged_task()
    rows = list(Subtask.objects.select_related("task").values("id", "title", "done"))
    assert rendering(SubtaskSerializer(rows, many=True)).data == (
        SubtaskSerializer(rows, many=True).data
    )


# ------------------------------------------------------------------------------ over HTTP


def first_open(task):
    """One query; ``AttributeError`` for a task with no open subtask."""
    return task.subtasks.filter(done=False).order_by("pk").first().title


class FirstOpenSerializer(serializers.ModelSerializer):
    first_open = serializers.CharField(read_only=True)  # a property of the row (patched on)

    class Meta:
        model = Task
        fields = ["id", "first_open"]


class FirstOpenViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FirstOpenSerializer
    queryset = Task.objects.order_by("pk")


class NestedTaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NestedTaskSerializer
    queryset = Task.objects.prefetch_related("tags", "subtasks").select_related("project")


class Query(graphene.ObjectType):
    nested_tasks = ListField(NestedTaskSerializer)
    first_open_tasks = ListField(FirstOpenSerializer, queryset=Task.objects.order_by("pk"))


router = DefaultRouter()
router.register("nested-tasks", NestedTaskViewSet, basename="nested-task")
router.register("first-open", FirstOpenViewSet, basename="first-open")
urlpatterns = [
    path("graphql/", DRFGraphQLView.as_view(schema=graphene.Schema(query=Query))),
    path("api/", include(router.urls)),
]


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_list_with_nested_relations_returns_what_rest_returns(client, django_assert_num_queries):
    for _ in range(5):
        tagged_task()
    query = (
        "{ nestedTasks { results { id title tags { id name } subtasks { id title done } "
        "project { slug } } } }"
    )
    client.post("/graphql/", {"query": query}, content_type="application/json")
    with django_assert_num_queries(3):  # the rows with their projects, the tags, the subtasks
        body = client.post("/graphql/", {"query": query}, content_type="application/json").json()
    rest = client.get("/api/nested-tasks/").json()
    assert body == {
        "data": {
            "nestedTasks": {
                "results": [
                    {
                        "id": str(task["id"]),
                        "title": task["title"],
                        "tags": [
                            {"id": str(tag["id"]), "name": tag["name"]} for tag in task["tags"]
                        ],
                        "subtasks": [
                            {"id": str(sub["id"]), "title": sub["title"], "done": sub["done"]}
                            for sub in task["subtasks"]
                        ],
                        "project": {"slug": task["project"]["slug"]},
                    }
                    for task in rest
                ]
            }
        }
    }


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_property_failing_for_some_rows_is_skipped_with_rests_queries(
    client, django_assert_num_queries
):
    SubtaskFactory(task=TaskFactory(), done=False, title="open")
    SubtaskFactory(task=TaskFactory(), done=True)  # no open subtask: the field is skipped
    query = "{ firstOpenTasks { results { id firstOpen } } }"
    with mock.patch.object(Task, "first_open", property(first_open), create=True):
        client.post("/graphql/", {"query": query}, content_type="application/json")
        with django_assert_num_queries(3):  # the rows, and one query per row's property
            body = client.post(
                "/graphql/", {"query": query}, content_type="application/json"
            ).json()
        with django_assert_num_queries(3):
            rest = client.get("/api/first-open/").json()
    assert [row.get("first_open") for row in rest] == ["open", None]
    assert body == {
        "data": {
            "firstOpenTasks": {
                "results": [
                    {"id": str(rest[0]["id"]), "firstOpen": "open"},
                    {"id": str(rest[1]["id"]), "firstOpen": None},
                ]
            }
        }
    }
