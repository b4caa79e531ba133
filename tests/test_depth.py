"""``Meta.depth``: the nested serializers DRF builds get one type per model and depth, and
REST and GraphQL answer alike."""

import gc
from contextlib import contextmanager

import graphene
import pytest
from django.core.validators import MinLengthValidator
from django.db import models
from django.test.utils import isolate_apps
from django.urls import include, path
from graphql import print_type
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter
from rest_framework.utils.field_mapping import get_nested_relation_kwargs
from rest_framework.utils.model_meta import RelationInfo

from drf_graphql_crud import (
    CreateMutation,
    DRFGraphQLView,
    ListField,
    RetrieveField,
    ViewSetCrud,
    depth,
    fieldcache,
)
from drf_graphql_crud.checks import check_drf_graphql_crud
from drf_graphql_crud.converter import Mode
from drf_graphql_crud.depth import representative
from drf_graphql_crud.types import registry, serializer_type, type_base_name
from tests.factories import ProjectFactory, SubtaskFactory, TagFactory, TaskFactory, UserFactory
from tests.parity import gql_post, rest_post
from tests.testapp.models import Document as AppDocument
from tests.testapp.models import Project, Subtask, Tag, Task

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class DepthTaskSerializer(serializers.ModelSerializer):
    """Relations one level deep: project and tags as objects (read-only, as DRF makes them)."""

    class Meta:
        model = Task
        fields = ["id", "title", "status", "project", "tags"]
        depth = 1


class DepthSubtaskSerializer(serializers.ModelSerializer):
    """Two levels: the task, with its own relations (owner, project, tags) as objects."""

    class Meta:
        model = Subtask
        fields = ["id", "title", "task"]
        depth = 2


class DepthProjectSerializer(serializers.HyperlinkedModelSerializer):
    """A hyperlinked serializer's reverse relation, one level deep."""

    class Meta:
        model = Project
        fields = ["url", "id", "name", "tasks"]
        depth = 1


class DepthTaskViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = DepthTaskSerializer


class DepthSubtaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Subtask.objects.order_by("pk")
    serializer_class = DepthSubtaskSerializer


class DepthProjectViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Project.objects.order_by("pk")
    serializer_class = DepthProjectSerializer


class DepthTagViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Tag.objects.order_by("pk")
    serializer_class = serializers.ModelSerializer


class CreateDepthTask(CreateMutation):
    class Meta:
        serializer_class = DepthTaskSerializer


depth_crud = ViewSetCrud(DepthTaskViewSet, name="crudDepthTask")


class Query(depth_crud.Query, graphene.ObjectType):
    depth_task = RetrieveField(DepthTaskSerializer, queryset=Task.objects.all())
    depth_tasks = ListField(DepthTaskSerializer, queryset=Task.objects.order_by("pk"))
    depth_subtask = RetrieveField(DepthSubtaskSerializer, queryset=Subtask.objects.all())
    depth_project = RetrieveField(DepthProjectSerializer, queryset=Project.objects.all())


class Mutation(depth_crud.Mutation, graphene.ObjectType):
    create_depth_task = CreateDepthTask.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)

router = DefaultRouter()
router.register("depth-tasks", DepthTaskViewSet, basename="depth-task")
router.register("depth-subtasks", DepthSubtaskViewSet, basename="depth-subtask")
router.register("depth-projects", DepthProjectViewSet, basename="project")
router.register("tasks", DepthTaskViewSet, basename="task")  # the nested tasks' links
router.register("tags", DepthTagViewSet, basename="tag")

urlpatterns = [
    path("api/", include(router.urls)),
    path("graphql/", DRFGraphQLView.as_view(schema=schema)),
]


@contextmanager
def served(prefix, schema):
    """``schema`` at ``/<prefix>`` for the length of a test."""
    urlpatterns.append(path(prefix, DRFGraphQLView.as_view(schema=schema)))
    try:
        yield
    finally:
        urlpatterns.pop()


TASK_FIELDS = "id title status project { id slug name } tags { id name }"


def as_rest(task):
    """A ``depthTask`` answer written as REST writes it: numeric ids, choice values."""
    return {
        "id": int(task["id"]),
        "title": task["title"],
        "status": task["status"].lower(),
        "project": task["project"] and {**task["project"], "id": int(task["project"]["id"])},
        "tags": [{**tag, "id": int(tag["id"])} for tag in task["tags"]],
    }


def make_task(**kwargs):
    task = TaskFactory(project=ProjectFactory(), **kwargs)
    task.tags.set([TagFactory(), TagFactory()])
    return task


# ------------------------------------------------------------------------------ the types


def test_relations_get_one_type_per_model_and_depth():
    types = schema.graphql_schema.type_map
    assert print_type(types["DepthTaskOutput"]) == (
        "type DepthTaskOutput {\n"
        "  id: ID!\n\n"
        '  """What is to be done."""\n'
        "  title: String!\n"
        "  status: DepthTaskStatusChoices!\n"
        "  project: ProjectDepth0Output\n"
        "  tags: [TagDepth0Output!]!\n"
        "}"
    )
    assert print_type(types["ProjectDepth0Output"]) == (
        "type ProjectDepth0Output {\n  id: ID!\n  slug: String!\n  name: String!\n}"
    )
    # Two levels: the task one level deep, its relations as objects of depth 0, shared
    # with DepthTaskSerializer's.
    assert str(types["DepthSubtaskOutput"].fields["task"].type) == "TaskDepth1Output!"
    task_depth_1 = types["TaskDepth1Output"].fields
    assert str(task_depth_1["project"].type) == "ProjectDepth0Output"
    assert str(task_depth_1["tags"].type) == "[TagDepth0Output!]!"
    assert str(task_depth_1["owner"].type) == "UserDepth0Output"
    assert str(types["UserDepth0Output"].fields["groups"].type) == "[ID!]!"
    # A hyperlinked serializer's nested classes are hyperlinked too: a type of their own.
    assert str(types["DepthProjectOutput"].fields["tasks"].type) == (
        "[TaskHyperlinkedDepth0Output!]!"
    )
    assert "url" in types["TaskHyperlinkedDepth0Output"].fields


def test_relations_made_read_only_by_depth_are_not_inputs():
    """DRF makes depth's nested relations read-only: a POST ignores them, the input omits them."""
    fields = schema.graphql_schema.type_map["DepthTaskInput"].fields
    assert sorted(fields) == ["id", "status", "title"]


def test_each_build_of_the_fields_makes_new_classes_that_share_one_type():
    first = DepthTaskSerializer().fields["project"]
    second = DepthTaskSerializer().fields["project"]
    assert type(first) is not type(second)  # DRF defines the class anew every time
    assert representative(type(first)) is representative(type(second))
    assert type_base_name(type(second)) == "ProjectDepth0"


def test_a_serializer_of_ones_own_keeps_its_name():
    class ProjectSummarySerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["id"]

    assert representative(ProjectSummarySerializer) is ProjectSummarySerializer
    assert type_base_name(ProjectSummarySerializer) == "ProjectSummary"


def test_no_type_name_collision_is_reported():
    assert not [c for c in registry.collisions if "NestedSerializer" in c.first + c.second]
    assert not [
        message
        for message in check_drf_graphql_crud(None)
        if message.id == "drf_graphql_crud.E003" and "Nested" in message.msg
    ]


# ------------------------------------------------------------------------------ REST parity


def test_retrieve_matches_rest(client):
    task = make_task()
    rest = client.get(f"/api/depth-tasks/{task.pk}/").json()
    status, body = gql_post(client, f'{{ depthTask(id: "{task.pk}") {{ {TASK_FIELDS} }} }}')
    assert status == 200, body
    assert as_rest(body["data"]["depthTask"]) == rest


def test_list_matches_rest_in_no_more_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        make_task()
    TaskFactory(project=None)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as rest_queries:
        rest = client.get("/api/depth-tasks/").json()
    with django_assert_max_num_queries(len(rest_queries)):
        status, body = gql_post(client, f"{{ depthTasks {{ results {{ {TASK_FIELDS} }} }} }}")
    assert [as_rest(task) for task in body["data"]["depthTasks"]["results"]] == rest


def test_two_levels_match_rest(client):
    owner = UserFactory(first_name="Ada")
    subtask = SubtaskFactory(task=make_task(owner=owner))
    rest = client.get(f"/api/depth-subtasks/{subtask.pk}/").json()
    query = (
        f'{{ depthSubtask(id: "{subtask.pk}") {{ id title task {{ id title '
        "owner { id username firstName groups } project { id name } tags { id name } } } }"
    )
    status, body = gql_post(client, query)
    got = body["data"]["depthSubtask"]
    task, expected_task = got["task"], rest["task"]
    assert got["title"] == rest["title"]
    assert task["owner"] == {
        "id": str(owner.pk),
        "username": expected_task["owner"]["username"],
        "firstName": "Ada",
        "groups": [],
    }
    assert task["project"] == {
        "id": str(expected_task["project"]["id"]),
        "name": expected_task["project"]["name"],
    }
    assert [int(tag["id"]) for tag in task["tags"]] == [tag["id"] for tag in expected_task["tags"]]


def test_hyperlinked_nested_links_match_rest(client):
    task = make_task(owner=None)  # no user route here to link an owner to
    project = task.project
    rest = client.get(f"/api/depth-projects/{project.pk}/").json()
    status, body = gql_post(
        client, f'{{ depthProject(id: "{project.pk}") {{ url name tasks {{ url title }} }} }}'
    )
    assert body["data"]["depthProject"] == {
        "url": rest["url"],
        "name": rest["name"],
        "tasks": [{"url": t["url"], "title": t["title"]} for t in rest["tasks"]],
    }
    assert rest["tasks"][0]["url"].endswith(f"/api/tasks/{task.pk}/")


def test_create_renders_the_relations_as_rest_does(client):
    """The depth relations are read-only: the row is created without them, as by a POST."""
    status, rest = rest_post(client, "/api/depth-tasks/", {"title": "By REST", "status": "done"})
    assert status == 201, rest
    status, body = gql_post(
        client,
        f'mutation {{ createDepthTask(input: {{title: "By GraphQL", status: DONE}}) '
        f"{{ task {{ {TASK_FIELDS} }} }} }}",
    )
    created = body["data"]["createDepthTask"]["task"]
    assert as_rest(created) == {**rest, "id": int(created["id"]), "title": "By GraphQL"}
    assert rest["project"] is None and rest["tags"] == []


def test_viewset_crud_retrieve_and_create_match_rest(client):
    task = make_task()
    rest = client.get(f"/api/depth-tasks/{task.pk}/").json()
    status, body = gql_post(client, f'{{ crudDepthTask(id: "{task.pk}") {{ {TASK_FIELDS} }} }}')
    assert as_rest(body["data"]["crudDepthTask"]) == rest
    status, rest = rest_post(client, "/api/depth-tasks/", {"title": "Crud"})
    status, body = gql_post(
        client,
        'mutation { createCrudDepthTask(input: {title: "Crud"}) '
        f"{{ crudDepthTask {{ {TASK_FIELDS} }} }} }}",
    )
    created = body["data"]["createCrudDepthTask"]["crudDepthTask"]
    assert as_rest(created) == {**rest, "id": int(created["id"])}


# ------------------------------------------------------------------------------ overrides


class GrowthTaskSerializer(serializers.ModelSerializer):
    """Fields built per instance (``get_fields`` overridden): DRF's classes are new each time."""

    class Meta:
        model = Task
        fields = ["id", "title", "project", "tags"]
        depth = 1

    def get_fields(self):
        return super().get_fields()


def owner_serializers():
    """One serializer with DRF's nested user; one whose override narrows it (a DRF recipe for
    keeping the password hash out), with or without a name of its own."""

    class PlainOwnerTaskSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["id", "owner"]
            depth = 1

    def narrowing(graphql_name):
        class SafeOwnerTaskSerializer(serializers.ModelSerializer):
            class Meta:
                model = Task
                fields = ["id", "owner"]
                depth = 1

            def build_nested_field(self, field_name, relation_info, nested_depth):
                field_class, kwargs = super().build_nested_field(
                    field_name, relation_info, nested_depth
                )
                field_class.Meta.fields = ["id", "username"]
                if graphql_name:
                    field_class.Meta.graphql_name = graphql_name
                return field_class, kwargs

        return SafeOwnerTaskSerializer

    return PlainOwnerTaskSerializer, narrowing


def e003(word):
    return [
        message
        for message in check_drf_graphql_crud(None)
        if message.id == "drf_graphql_crud.E003" and word in message.msg
    ]


def test_a_class_an_override_changed_is_no_longer_drfs_and_a_clash_is_reported(
    isolated_registry,
):
    plain, narrowing = owner_serializers()

    class Query(graphene.ObjectType):
        plain_owner = RetrieveField(plain, queryset=Task.objects.all())
        safe_owner = RetrieveField(narrowing(None), queryset=Task.objects.all())

    graphene.Schema(query=Query)
    [message] = e003("'UserDepth0Output'")
    assert "auth.User at depth 0, as DRF makes it" in message.msg
    assert (
        "auth.User at depth 0, as a build_nested_field left it: Meta fields=['id', 'username']"
        in message.msg
    )
    assert "in an override of build_nested_field" in message.hint


def test_a_name_given_in_the_override_is_a_type_of_its_own(client, isolated_registry):
    plain, narrowing = owner_serializers()
    safe = narrowing("SafeOwner")

    class Query(graphene.ObjectType):
        plain_owner = RetrieveField(plain, queryset=Task.objects.all())
        safe_owner = RetrieveField(safe, queryset=Task.objects.all())

    schema = graphene.Schema(query=Query)
    assert not e003("Depth0Output")
    types = schema.graphql_schema.type_map
    assert str(types["SafeOwnerTaskOutput"].fields["owner"].type) == "SafeOwnerOutput"
    assert sorted(types["SafeOwnerOutput"].fields) == ["id", "username"]
    assert "email" in types["UserDepth0Output"].fields

    with served("owners/", schema):
        task = TaskFactory(owner=UserFactory(email="ada@example.com"))
        status, body = gql_post(
            client,
            f'{{ safeOwner(id: "{task.pk}") {{ owner {{ id username }} }} '
            f'plainOwner(id: "{task.pk}") {{ owner {{ email }} }} }}',
            url="/owners/",
        )
        rest = safe(task).data["owner"]
        assert body == {
            "data": {
                "safeOwner": {"owner": {"id": str(rest["id"]), "username": rest["username"]}},
                "plainOwner": {"owner": {"email": "ada@example.com"}},
            }
        }


def test_an_override_defining_its_own_class_names_types_after_it(isolated_registry):
    class BriefTaskSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["id", "project", "owner"]
            depth = 1

        def build_nested_field(self, field_name, relation_info, nested_depth):
            class BriefSerializer(serializers.ModelSerializer):
                class Meta:
                    model = relation_info.related_model
                    fields = ["id"]

            return BriefSerializer, get_nested_relation_kwargs(relation_info)

    class Query(graphene.ObjectType):
        brief_task = RetrieveField(BriefTaskSerializer, queryset=Task.objects.all())

    fields = graphene.Schema(query=Query).graphql_schema.type_map["BriefTaskOutput"].fields
    assert str(fields["project"].type) == "ProjectBriefDepth0Output"
    assert str(fields["owner"].type) == "UserBriefDepth0Output"
    assert not e003("Brief")


def test_a_serializer_named_like_a_model_nested_keeps_its_name(isolated_registry):
    """``<Model>NestedSerializer`` is a common name of a project's own: no clash with depth."""

    class ProjectNestedSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["id", "name"]

    class Query(graphene.ObjectType):
        nested_project = RetrieveField(ProjectNestedSerializer, queryset=Project.objects.all())
        depth_task = RetrieveField(DepthTaskSerializer, queryset=Task.objects.all())

    graphene.Schema(query=Query)
    assert not e003("Project")


def depth_nested_class(model, depth):
    """The class DRF's build_nested_field makes for a relation to ``model``."""
    relation = RelationInfo(None, model, False, None, False, False)
    field_class, _ = serializers.ModelSerializer().build_nested_field("x", relation, depth + 1)
    return field_class


def test_models_of_one_name_in_two_apps_are_told_apart_in_the_report(isolated_registry):
    with isolate_apps("django.contrib.auth"):

        class Document(models.Model):  # noqa: DJ008 - only its name and label matter
            class Meta:
                app_label = "auth"

    ours, theirs = depth_nested_class(AppDocument, 0), depth_nested_class(Document, 0)
    assert type_base_name(ours) == type_base_name(theirs) == "DocumentDepth0"
    serializer_type(ours, Mode.OUTPUT)
    serializer_type(theirs, Mode.OUTPUT)
    [message] = e003("'DocumentDepth0Output'")
    assert "testapp.Document at depth 0" in message.msg
    assert "auth.Document at depth 0" in message.msg


def test_typename_alone_names_the_depth_types(client):
    subtask = SubtaskFactory(task=make_task())
    status, body = gql_post(
        client,
        f'{{ depthSubtask(id: "{subtask.pk}") {{ __typename task {{ __typename '
        "project { __typename } tags { __typename } } } }",
    )
    assert body == {
        "data": {
            "depthSubtask": {
                "__typename": "DepthSubtaskOutput",
                "task": {
                    "__typename": "TaskDepth1Output",
                    "project": {"__typename": "ProjectDepth0Output"},
                    "tags": [{"__typename": "TagDepth0Output"}] * 2,
                },
            }
        }
    }


class NameNotBlank:
    """A validator without ``__eq__`` or any state to compare (``__slots__``): two
    instances are never equal, as far as anyone can tell."""

    __slots__ = ()

    def __call__(self, value):
        if not value.strip():
            raise serializers.ValidationError("blank")


class IdentityTaskSerializer(serializers.ModelSerializer):
    """An override that puts a new validator instance in each class it is given."""

    class Meta:
        model = Task
        fields = ["id", "project"]
        depth = 1

    def build_nested_field(self, field_name, relation_info, nested_depth):
        field_class, kwargs = super().build_nested_field(field_name, relation_info, nested_depth)
        field_class.Meta.extra_kwargs = {"name": {"validators": [NameNotBlank()]}}
        field_class.Meta.graphql_name = "ValidatedProject"
        return field_class, kwargs

    def get_fields(self):  # built per instance, so per request
        return super().get_fields()


def test_a_class_that_cannot_be_matched_keeps_nothing_in_the_caches(client, isolated_registry):
    class IdentityQuery(graphene.ObjectType):
        identity_task = RetrieveField(IdentityTaskSerializer, queryset=Task.objects.all())

    schema = graphene.Schema(query=IdentityQuery)
    nested = type(IdentityTaskSerializer().fields["project"])
    assert depth.depth_nested(nested).signature is None
    assert depth.representative(nested) is None
    with served("identity/", schema):
        task = make_task()
        query = f'{{ identityTask(id: "{task.pk}") {{ project {{ __typename slug }} }} }}'
        gql_post(client, query, url="/identity/")
        before = (len(depth._representatives), len(fieldcache._prototypes))
        generation = fieldcache.generation()
        for _ in range(3):
            status, body = gql_post(client, query, url="/identity/")
            assert body["data"]["identityTask"]["project"] == {
                "__typename": "ValidatedProjectOutput",
                "slug": task.project.slug,
            }
        after = (len(depth._representatives), len(fieldcache._prototypes))
        assert (after, fieldcache.generation()) == (before, generation)


# ------------------------------------------------------------------------------ overrides'
# classes: what is alike, and nothing kept per request


class SuperCallingTaskSerializer(serializers.ModelSerializer):
    """An own class whose method calls super(): its closure holds the class itself."""

    class Meta:
        model = Task
        fields = ["id", "project", "tags"]
        depth = 1

    def build_nested_field(self, field_name, relation_info, nested_depth):
        class NestedSerializer(serializers.ModelSerializer):
            class Meta:
                model = relation_info.related_model
                fields = ["id", "name"]
                graphql_name = f"Named{relation_info.related_model.__name__}"

            def to_representation(self, instance):
                return super().to_representation(instance)

        return NestedSerializer, get_nested_relation_kwargs(relation_info)

    def get_fields(self):
        return super().get_fields()


class SubclassingTaskSerializer(serializers.ModelSerializer):
    """A subclass of the class DRF made, itself new at every build."""

    class Meta:
        model = Task
        fields = ["id", "project", "tags"]
        depth = 1

    def build_nested_field(self, field_name, relation_info, nested_depth):
        field_class, kwargs = super().build_nested_field(field_name, relation_info, nested_depth)

        class Narrowed(field_class):
            class Meta(field_class.Meta):
                fields = ["id", "name"]

        return Narrowed, kwargs

    def get_fields(self):
        return super().get_fields()


class PlainNestedTaskSerializer(serializers.ModelSerializer):
    """A plain Serializer (no model) made in build_nested_field."""

    class Meta:
        model = Task
        fields = ["id", "project", "tags"]
        depth = 1

    def build_nested_field(self, field_name, relation_info, nested_depth):
        class ProjectOrTagSerializer(serializers.Serializer):
            id = serializers.IntegerField(read_only=True)
            name = serializers.CharField(read_only=True)

        return ProjectOrTagSerializer, get_nested_relation_kwargs(relation_info)

    def get_fields(self):
        return super().get_fields()


def cache_sizes():
    gc.collect()  # classes of past requests, held weakly, go
    return (
        len(depth._representatives),
        len(depth._known),
        len(fieldcache._prototypes),
        len(fieldcache._fast_classes),
        fieldcache.generation(),
    )


@pytest.mark.parametrize(
    "serializer_class",
    [
        GrowthTaskSerializer,
        SuperCallingTaskSerializer,
        SubclassingTaskSerializer,
        PlainNestedTaskSerializer,
    ],
    ids=["drfs-own", "super-in-own-class", "subclass-of-drfs", "plain-serializer"],
)
def test_classes_built_per_request_add_nothing_to_the_caches(
    client, isolated_registry, serializer_class
):
    class Query(graphene.ObjectType):
        probe = RetrieveField(serializer_class, queryset=Task.objects.all())

    with served("probe/", graphene.Schema(query=Query)):
        task = make_task()
        query = f'{{ probe(id: "{task.pk}") {{ id project {{ id name }} tags {{ id name }} }} }}'
        gql_post(client, query, url="/probe/")
        before = cache_sizes()
        for _ in range(4):
            status, body = gql_post(client, query, url="/probe/")
        # Nothing added; an earlier test's classes may still be collected meanwhile (once a
        # cache that held them evicts them), so a count may drop, and the generation stays.
        after = cache_sizes()
        assert all(now <= then for now, then in zip(after, before, strict=True)), (after, before)
        assert after[-1] == before[-1]
        got, rest = body["data"]["probe"], serializer_class(task).data

        def pair(row):  # ids as text: ID (a model's key) or Int (a plain serializer's)
            return str(row["id"]), row["name"]

        assert pair(got["project"]) == pair(rest["project"])
        assert [pair(tag) for tag in got["tags"]] == [pair(tag) for tag in rest["tags"]]


class DroppingTaskSerializer(serializers.ModelSerializer):
    """An own class hiding the nested fields its serializer names, in ``__init__``."""

    def build_nested_field(self, field_name, relation_info, nested_depth):
        hidden = tuple(getattr(self.Meta, "hide_nested", ()))

        class NestedSerializer(serializers.ModelSerializer):
            class Meta:
                model = relation_info.related_model
                fields = "__all__"

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name in hidden:
                    self.fields.pop(name, None)

        return NestedSerializer, get_nested_relation_kwargs(relation_info)


def test_classes_differing_in_what_their_methods_hold_are_not_alike():
    class FullSerializer(DroppingTaskSerializer):
        class Meta:
            model = Task
            fields = ["id", "project"]
            depth = 1

    class SlugFreeSerializer(DroppingTaskSerializer):
        class Meta:
            model = Task
            fields = ["id", "project"]
            depth = 1
            hide_nested = ["slug"]

    full, slug_free = FullSerializer().fields["project"], SlugFreeSerializer().fields["project"]
    assert "slug" in full.fields and "slug" not in slug_free.fields
    assert representative(type(full)) is not representative(type(slug_free))
    assert representative(type(FullSerializer().fields["project"])) is representative(type(full))


def test_partials_compare_by_what_they_call_with():
    """A functools.partial keeps its function and arguments outside its __dict__."""
    import functools

    def keep(names, fields):
        return {name: field for name, field in fields.items() if name in names}

    def made(names):
        kept = functools.partial(keep, names)

        class KeptProjectSerializer(serializers.ModelSerializer):
            class Meta:
                model = Project
                fields = ["id", "slug", "name"]

            def get_fields(self):
                return kept(super().get_fields())

        return KeptProjectSerializer

    assert depth.signature_of(made(("id",))) == depth.signature_of(made(("id",)))
    assert depth.signature_of(made(("id",))) != depth.signature_of(made(("id", "slug")))


class ValidatedNestedSerializer(serializers.ModelSerializer):
    """DRF's class given a Django validator (equal by value, unhashable) and a name."""

    def build_nested_field(self, field_name, relation_info, nested_depth):
        field_class, kwargs = super().build_nested_field(field_name, relation_info, nested_depth)
        field_class.Meta.extra_kwargs = {"name": {"validators": [MinLengthValidator(2)]}}
        field_class.Meta.graphql_name = f"Validated{relation_info.related_model.__name__}"
        return field_class, kwargs


def test_alike_classes_of_two_serializers_share_their_named_type(isolated_registry):
    class ValidatedTaskSerializer(ValidatedNestedSerializer):
        class Meta:
            model = Task
            fields = ["id", "project"]
            depth = 1

    class ValidatedTitledTaskSerializer(ValidatedNestedSerializer):
        class Meta:
            model = Task
            fields = ["id", "title", "project"]
            depth = 1

    class Query(graphene.ObjectType):
        one = RetrieveField(ValidatedTaskSerializer, queryset=Task.objects.all())
        two = RetrieveField(ValidatedTitledTaskSerializer, queryset=Task.objects.all())

    types = graphene.Schema(query=Query).graphql_schema.type_map
    assert str(types["ValidatedTaskOutput"].fields["project"].type) == "ValidatedProjectOutput"
    assert str(types["ValidatedTitledTaskOutput"].fields["project"].type) == (
        "ValidatedProjectOutput"
    )
    assert not e003("ValidatedProject")


class QuerysetHoldingSerializer(serializers.ModelSerializer):
    """An own class holding a validator compared by identity alone: no two builds are
    alike (its queryset alone would compare by its SQL)."""

    def build_nested_field(self, field_name, relation_info, nested_depth):
        class ProjectWithTasksSerializer(serializers.ModelSerializer):
            tasks = serializers.PrimaryKeyRelatedField(
                many=True, queryset=Task.objects.all(), validators=[NameNotBlank()]
            )

            class Meta:
                model = relation_info.related_model
                fields = ["id", "name", "tasks"]
                graphql_name = "ProjectWithTasks"

        return ProjectWithTasksSerializer, get_nested_relation_kwargs(relation_info)


def test_classes_that_cannot_be_matched_share_their_explicitly_named_type(
    client, isolated_registry
):
    class HoldingTaskSerializer(QuerysetHoldingSerializer):
        class Meta:
            model = Task
            fields = ["id", "project"]
            depth = 1

    class HoldingTitledTaskSerializer(QuerysetHoldingSerializer):
        class Meta:
            model = Task
            fields = ["id", "title", "project"]
            depth = 1

    nested = type(HoldingTaskSerializer().fields["project"])
    assert representative(nested) is None

    class Query(graphene.ObjectType):
        one = RetrieveField(HoldingTaskSerializer, queryset=Task.objects.all())
        two = RetrieveField(HoldingTitledTaskSerializer, queryset=Task.objects.all())

    schema = graphene.Schema(query=Query)
    assert not e003("ProjectWithTasks")
    with served("holding/", schema):
        task = make_task()
        status, body = gql_post(
            client,
            f'{{ two(id: "{task.pk}") {{ title project {{ name tasks }} }} }}',
            url="/holding/",
        )
        rest = HoldingTitledTaskSerializer(task).data
        assert body == {
            "data": {
                "two": {
                    "title": rest["title"],
                    "project": {
                        "name": rest["project"]["name"],
                        "tasks": [str(pk) for pk in rest["project"]["tasks"]],
                    },
                }
            }
        }


def test_a_recursive_helper_in_a_closure_is_compared_without_recursing_forever(
    isolated_registry,
):
    class StrippingTaskSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["id", "project"]
            depth = 1

        def build_nested_field(self, field_name, relation_info, nested_depth):
            def strip(value):
                if isinstance(value, dict):
                    return {key: strip(item) for key, item in value.items()}
                return value.strip() if isinstance(value, str) else value

            class StrippedSerializer(serializers.ModelSerializer):
                class Meta:
                    model = relation_info.related_model
                    fields = ["id", "name"]

                def to_representation(self, instance):
                    return strip(super().to_representation(instance))

            return StrippedSerializer, get_nested_relation_kwargs(relation_info)

    class Query(graphene.ObjectType):
        stripped = RetrieveField(StrippingTaskSerializer, queryset=Task.objects.all())

    fields = graphene.Schema(query=Query).graphql_schema.type_map["StrippingTaskOutput"].fields
    assert str(fields["project"].type) == "ProjectStrippedDepth0Output"
    first = type(StrippingTaskSerializer().fields["project"])
    assert representative(first) is representative(
        type(StrippingTaskSerializer().fields["project"])
    )
