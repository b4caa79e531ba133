"""GraphQL types built from serializers: names, reuse, collisions, hand-written types, schema."""

import decimal
import json
import re

import graphene
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from graphql import print_type
from rest_framework import serializers

# The test project's schema is imported first, so that its types are built before any the
# module builds (type names are claimed in the order the types are built).
from tests.testapp.schema import schema as testapp_schema  # isort: skip

from drf_graphql_crud import CreateMutation, SerializerInputObjectType, SerializerObjectType
from drf_graphql_crud.checks import check_drf_graphql_crud
from drf_graphql_crud.converter import Mode, convert_serializer_field
from drf_graphql_crud.mutations import to_serializer_data
from drf_graphql_crud.types import (
    Collision,
    LazyDataclassMeta,
    default_type_name,
    registry,
    serializer_type,
    type_base_name,
)
from tests.factories import ProjectFactory, TagFactory, TaskFactory
from tests.testapp.models import Project, Tag, Task
from tests.testapp.serializers import (
    ProjectSerializer,
    TagSerializer,
    TaskReadSerializer,
    TaskSerializer,
)

INPUT, PARTIAL, OUTPUT = Mode.INPUT, Mode.PARTIAL_INPUT, Mode.OUTPUT


def schema_type(schema, name):
    return schema.graphql_schema.get_type(name)


# ====================================================================================== names


def test_names_derive_from_the_serializer_class():
    assert type_base_name(TaskSerializer) == "Task"
    assert default_type_name(TaskSerializer, OUTPUT) == "TaskOutput"
    assert serializer_type(TaskSerializer, OUTPUT)._meta.name == "TaskOutput"
    assert serializer_type(TaskSerializer, INPUT)._meta.name == "TaskInput"
    assert serializer_type(TaskSerializer, PARTIAL)._meta.name == "TaskPartialInput"
    # Built once: the schema holds the very types the registry hands out.
    for mode, name in [(OUTPUT, "TaskOutput"), (INPUT, "TaskInput"), (PARTIAL, "TaskPartialInput")]:
        assert serializer_type(TaskSerializer, mode) is serializer_type(TaskSerializer, mode)
        assert schema_type(testapp_schema, name).graphene_type is serializer_type(
            TaskSerializer, mode
        )
    assert issubclass(serializer_type(TaskSerializer, OUTPUT), SerializerObjectType)
    assert issubclass(serializer_type(TaskSerializer, INPUT), SerializerInputObjectType)
    assert serializer_type(TaskSerializer, PARTIAL)._meta.partial is True


def test_a_class_named_serializer_or_without_the_suffix():
    class TypesWidget(serializers.Serializer):
        name = serializers.CharField()

    assert type_base_name(TypesWidget) == "TypesWidget"
    assert default_type_name(TypesWidget, PARTIAL) == "TypesWidgetPartialInput"


class TypesRenamedSerializer(serializers.Serializer):
    color = serializers.ChoiceField(choices=["red", "blue"])

    class Meta:
        graphql_name = "TypesPalette"


def test_meta_graphql_name_overrides_the_base(isolated_registry):
    assert type_base_name(TypesRenamedSerializer) == "TypesPalette"
    assert serializer_type(TypesRenamedSerializer, OUTPUT)._meta.name == "TypesPaletteOutput"
    assert serializer_type(TypesRenamedSerializer, INPUT)._meta.name == "TypesPaletteInput"
    assert serializer_type(TypesRenamedSerializer, PARTIAL)._meta.name == "TypesPalettePartialInput"
    # Enums follow the base too.
    color = TypesRenamedSerializer().fields["color"]
    assert convert_serializer_field(color, OUTPUT)._meta.name == "TypesPaletteColorChoices"


def test_explicit_name_from_a_mutation_meta():
    # ReplaceTask declares input_type_name = "TaskReplaceInput".
    replace_input = schema_type(testapp_schema, "TaskReplaceInput")
    assert replace_input.graphene_type._meta.serializer_class is TaskSerializer
    assert str(replace_input.fields["title"].type) == "String!"
    assert str(replace_input.fields["status"].type) == "TaskStatusChoices"


# ============================================================================ one type, reused


class TypesTagHolderSerializer(serializers.Serializer):
    tag = TagSerializer()
    tags = TagSerializer(many=True, required=False)


def test_a_nested_serializer_used_in_two_places_is_one_type():
    in_task_read = TaskReadSerializer().fields["tags"]
    holder = TypesTagHolderSerializer().fields
    tag_output = convert_serializer_field(holder["tag"], OUTPUT)
    assert tag_output is serializer_type(TagSerializer, OUTPUT)
    assert convert_serializer_field(in_task_read, OUTPUT).of_type.of_type is tag_output
    assert convert_serializer_field(holder["tags"], OUTPUT).of_type.of_type is tag_output
    assert convert_serializer_field(holder["tag"], INPUT) is serializer_type(TagSerializer, INPUT)

    class TypesHolderQuery(graphene.ObjectType):
        holder = graphene.Field(serializer_type(TypesTagHolderSerializer, OUTPUT))
        read = graphene.Field(serializer_type(TaskReadSerializer, OUTPUT))

    printed = str(graphene.Schema(query=TypesHolderQuery))
    assert printed.count("type TagOutput {") == 1
    assert "tag: TagOutput\n" in printed  # a plain serializer's attribute may be None
    assert "tags: [TagOutput!]\n" in printed
    assert "tags: [TagOutput!]!\n" in printed  # TaskReadOutput: a manager is never null


class TypesDynamicFieldsSerializer(serializers.ModelSerializer):
    """DRF's documented dynamic-fields pattern: ``fields=`` keeps only the fields named."""

    def __init__(self, *args, **kwargs):
        kept = kwargs.pop("fields", None)
        super().__init__(*args, **kwargs)
        for name in set(self.fields) - set(kept or self.fields):
            self.fields.pop(name)


class TypesDynamicProjectSerializer(TypesDynamicFieldsSerializer):
    class Meta:
        model = Project
        fields = ["id", "slug", "name"]


class TypesBriefTaskSerializer(serializers.ModelSerializer):
    project = TypesDynamicProjectSerializer(fields=["id"], read_only=True)

    class Meta:
        model = Task
        fields = ["id", "project"]


class TypesFullTaskSerializer(serializers.ModelSerializer):
    project = TypesDynamicProjectSerializer(fields=["slug", "name"], read_only=True)

    class Meta:
        model = Task
        fields = ["id", "project"]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_nested_serializer_keeping_some_fields_has_a_type_of_its_own(client, isolated_registry):
    """The first nested instance built its class's one type: the other places and the
    class's own fields then lost the fields it had dropped, whichever came first."""
    from rest_framework import viewsets
    from rest_framework.routers import SimpleRouter

    from drf_graphql_crud import DRFGraphQLView, ListField

    class DynamicQuery(graphene.ObjectType):
        brief = ListField(TypesBriefTaskSerializer)
        full = ListField(TypesFullTaskSerializer)
        projects = ListField(TypesDynamicProjectSerializer)

    schema = graphene.Schema(query=DynamicQuery)
    printed = str(schema)
    assert "type TypesBriefTaskProjectOutput {\n  id: ID\n}" in printed
    assert "type TypesFullTaskProjectOutput {\n  slug: String\n  name: String\n}" in printed
    assert "type TypesDynamicProjectOutput {\n  id: ID\n  slug: String\n  name: String\n}" in (
        printed
    )  # nullable: the class shapes its fields
    assert check_drf_graphql_crud() == []

    router = SimpleRouter()
    for prefix, serializer_class, queryset in [
        ("brief", TypesBriefTaskSerializer, Task.objects.all()),
        ("full", TypesFullTaskSerializer, Task.objects.all()),
        ("projects", TypesDynamicProjectSerializer, Project.objects.all()),
    ]:
        viewset = type(
            f"{prefix}ViewSet",
            (viewsets.ReadOnlyModelViewSet,),
            {"serializer_class": serializer_class, "queryset": queryset},
        )
        router.register(prefix, viewset, basename=f"types-{prefix}")
    TaskFactory(project=ProjectFactory(slug="apollo", name="Apollo"))
    added = [path("dynamic/", DRFGraphQLView.as_view(schema=schema)), *router.urls]
    urlpatterns.extend(added)
    try:
        body = client.post(
            "/dynamic/",
            {
                "query": "{ brief { results { id project { id } } }"
                " full { results { id project { slug name } } }"
                " projects { results { id slug name } } }"
            },
            content_type="application/json",
        ).json()
        rest = {name: client.get(f"/{name}/").json() for name in ("brief", "full", "projects")}
    finally:
        del urlpatterns[-len(added) :]
    for rows in rest["brief"] + rest["full"]:
        rows["id"] = str(rows["id"])
    rest["brief"][0]["project"]["id"] = str(rest["brief"][0]["project"]["id"])
    rest["projects"][0]["id"] = str(rest["projects"][0]["id"])
    assert body == {"data": {name: {"results": rows} for name, rows in rest.items()}}


def test_choice_enums_are_reused_when_the_choices_are_equal(isolated_registry):
    collisions_before = list(registry.collisions)
    # Two instances, two modes: one enum.
    first = convert_serializer_field(TaskSerializer().fields["status"], OUTPUT)
    second = convert_serializer_field(TaskSerializer().fields["status"], INPUT)
    assert first is second
    assert first._meta.name == "TaskStatusChoices"
    for name in ("TaskOutput", "TaskInput", "TaskPartialInput", "TaskReplaceInput"):
        status = schema_type(testapp_schema, name).fields["status"].type
        assert getattr(status, "of_type", status).graphene_type is first
    # Another origin asking for the same name with the same choices gets the same enum.
    origin = TypesRenamedSerializer().fields["color"]
    choices = dict(TaskSerializer().fields["status"].choices)
    assert registry.enum("TaskStatusChoices", choices, origin=origin) is first
    assert registry.collisions == collisions_before


# ================================================================================ collisions


class _ScopeA:
    class TypesDupSerializer(serializers.Serializer):
        name = serializers.CharField()


class _ScopeB:
    class TypesDupSerializer(serializers.Serializer):
        title = serializers.CharField()
        count = serializers.IntegerField()


def test_two_serializers_with_one_class_name_collide(isolated_registry):
    before = len(registry.collisions)
    first = serializer_type(_ScopeA.TypesDupSerializer, OUTPUT)
    assert len(registry.collisions) == before  # nothing yet
    second = serializer_type(_ScopeB.TypesDupSerializer, OUTPUT)
    # The second serializer gets the first one's type, and the clash is on record.
    assert second is first
    assert registry.collisions[before:] == [
        Collision(
            "TypesDupOutput",
            "tests.test_types._ScopeA.TypesDupSerializer",
            "tests.test_types._ScopeB.TypesDupSerializer",
        )
    ]
    messages = [m for m in check_drf_graphql_crud() if m.id == "drf_graphql_crud.E003"]
    assert len(messages) == 1
    assert messages[0].msg == (
        "GraphQL type name 'TypesDupOutput' is wanted by "
        "tests.test_types._ScopeA.TypesDupSerializer and by "
        "tests.test_types._ScopeB.TypesDupSerializer; the second would silently get the "
        "first one's type."
    )
    assert "Meta.graphql_name" in messages[0].hint


def test_meta_graphql_name_resolves_a_collision(isolated_registry):
    class TypesDupSerializer(serializers.Serializer):
        other = serializers.CharField()

        class Meta:
            graphql_name = "TypesDupRenamed"

    before = list(registry.collisions)
    first = serializer_type(_ScopeA.TypesDupSerializer, INPUT)
    second = serializer_type(TypesDupSerializer, INPUT)
    assert (first._meta.name, second._meta.name) == ("TypesDupInput", "TypesDupRenamedInput")
    assert registry.collisions == before


class TypesOrderSerializer(serializers.Serializer):
    item_status = serializers.ChoiceField(choices=["open", "shipped"])


class TypesOrderItemSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["open", "lost"])


def test_two_choice_sets_under_one_enum_name_collide(isolated_registry):
    # TypesOrder + itemStatus and TypesOrderItem + status both want one enum name.
    before = len(registry.collisions)
    order = serializer_type(TypesOrderSerializer, OUTPUT)
    item = serializer_type(TypesOrderItemSerializer, OUTPUT)
    order_enum = order._meta.fields["item_status"].type  # plain serializers: nullable
    item_enum = item._meta.fields["status"].type
    assert order_enum._meta.name == "TypesOrderItemStatusChoices"
    assert item_enum is order_enum
    assert registry.collisions[before:] == [
        Collision(
            "TypesOrderItemStatusChoices",
            "tests.test_types.TypesOrderSerializer.item_status",
            "tests.test_types.TypesOrderItemSerializer.status",
        )
    ]
    assert [m.id for m in check_drf_graphql_crud()] == ["drf_graphql_crud.E003"]


def test_the_registry_is_clean_after_the_collision_tests():
    assert not any(c.name.startswith("TypesDup") for c in registry.collisions)
    assert not any(c.name.startswith("TypesOrder") for c in registry.collisions)
    assert check_drf_graphql_crud() == []


def test_a_serializer_that_cannot_be_instantiated_is_reported():
    class TypesNeedsArgsSerializer(serializers.Serializer):
        def __init__(self, required_arg, *args, **kwargs):
            super().__init__(*args, **kwargs)

    with pytest.raises(ImproperlyConfigured, match="could not be instantiated without arguments"):
        serializer_type(TypesNeedsArgsSerializer, OUTPUT)
    with pytest.raises(ImproperlyConfigured, match="Meta.serializer_class is required"):

        class TypesNoSerializer(SerializerObjectType):
            class Meta:
                fields = ["id"]


# ===================================================================== hand-written types


class TypesCardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "notes", "status", "due_date", "tags"]


class TypesCard(SerializerObjectType):
    class Meta:
        serializer_class = TypesCardSerializer
        exclude = ["notes"]

    # Overrides the generated ``title: String!``.
    title = graphene.String(description="The title, shouted.")

    def resolve_title(root, info):
        return root["title"].upper()


@pytest.mark.parametrize("base", [SerializerObjectType, SerializerInputObjectType])
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"fields": ["id", "titel"]}, "Meta.fields names 'titel': TypesCardSerializer has no "
         "such field; did you mean 'title'?"),
        ({"exclude": ["nothing"]}, "Meta.exclude names 'nothing': TypesCardSerializer has no "
         "such field."),
        ({"fields": ["id"], "exclude": ["notes"]}, "Meta: give fields or exclude, not both."),
        ({"fields": "title"}, "Meta.fields must be a list or tuple of field names, not 'title'."),
    ],
)  # fmt: skip
def test_field_lists_are_refused_as_drf_refuses_them(isolated_registry, base, options, message):
    """A typo would leave a field out of the type without a word."""
    meta = {"serializer_class": TypesCardSerializer, **options}
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        type("TypesRefusedCard", (base,), {"Meta": type("Meta", (), meta)})


def test_fields_may_name_a_field_the_type_declares_itself(isolated_registry):
    """As graphene-django's DjangoObjectType takes its own fields in ``fields``."""

    class TypesShoutCard(SerializerObjectType):
        shout = graphene.String()

        class Meta:
            serializer_class = TypesCardSerializer
            fields = ["id", "title", "shout"]

    assert list(TypesShoutCard._meta.fields) == ["id", "title", "shout"]


def test_exclude_may_not_name_a_field_the_type_declares_itself(isolated_registry):
    """graphene keeps every declared field: excluded, it would stay, without a word."""
    with pytest.raises(ImproperlyConfigured, match="which the type declares itself"):

        class TypesExcludedShoutCard(SerializerObjectType):
            shout = graphene.String()

            class Meta:
                serializer_class = TypesCardSerializer
                exclude = ["shout"]


def test_a_schema_does_not_depend_on_the_language_active_while_it_is_built(isolated_registry):
    """graphene-django imports GRAPHENE["SCHEMA"] in the first request, in its caller's
    language: descriptions and choice labels are read in LANGUAGE_CODE all the same, and one
    serializer's choices built under two languages are one enum (no E003)."""
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from drf_graphql_crud.checks import check_drf_graphql_crud

    class TypesPollSerializer(serializers.Serializer):
        answer = serializers.ChoiceField(
            choices=[("y", gettext_lazy("Yes")), ("n", gettext_lazy("No"))],
            help_text=gettext_lazy("Yes"),
        )

    with translation.override("fr"):
        output = serializer_type(TypesPollSerializer, OUTPUT)
    with translation.override("en"):
        serializer_type(TypesPollSerializer, INPUT)
    schema = graphene.Schema(
        query=type("PollQuery", (graphene.ObjectType,), {"poll": graphene.Field(output)})
    )
    assert schema.graphql_schema.get_type(output._meta.name).fields["answer"].description == "Yes"
    choices = schema.graphql_schema.get_type("TypesPollAnswerChoices").values
    assert [choices[name].description for name in ("Y", "N")] == ["Yes", "No"]
    assert [m.id for m in check_drf_graphql_crud()] == []


def test_all_fields_may_be_said_as_drf_says_it(isolated_registry):
    class TypesAllCard(SerializerObjectType):
        class Meta:
            serializer_class = TypesCardSerializer
            fields = "__all__"

    assert set(TypesAllCard._meta.fields) == {"id", "title", "notes", "status", "due_date", "tags"}


class TypesCardDraft(SerializerInputObjectType):
    class Meta:
        serializer_class = TypesCardSerializer
        fields = ["title", "status"]

    # Overrides the generated ``title: String!`` (help_text "What is to be done.").
    title = graphene.InputField(graphene.String, required=True, description="A short title.")


class TypesCardPatch(SerializerInputObjectType):
    class Meta:
        serializer_class = TypesCardSerializer
        partial = True
        exclude = ["tags"]


class TypesQuery(graphene.ObjectType):
    card = graphene.Field(TypesCard, id=graphene.ID(required=True))
    preview = graphene.Field(
        TypesCard, draft=graphene.NonNull(TypesCardDraft), patch=TypesCardPatch()
    )

    def resolve_card(root, info, id):
        return TypesCardSerializer(Task.objects.get(pk=id)).data

    def resolve_preview(root, info, draft, patch=None):
        serializer = TypesCardSerializer(data=to_serializer_data(draft))
        serializer.is_valid(raise_exception=True)
        data = {**serializer.validated_data, **to_serializer_data(patch or {})}
        return {"id": 0, "tags": [], "due_date": None, **data}


types_schema = graphene.Schema(query=TypesQuery)

urlpatterns = [path("graphql/", csrf_exempt(GraphQLView.as_view(schema=types_schema)))]


def test_hand_written_output_type_sdl():
    assert print_type(schema_type(types_schema, "TypesCard")) == (
        "type TypesCard {\n"
        "  id: ID!\n"
        "\n"
        '  """The title, shouted."""\n'
        "  title: String\n"
        "  status: TypesCardStatusChoices!\n"
        "  dueDate: DateString\n"
        "  tags: [ID!]!\n"
        "}"
    )
    assert TypesCard._meta.serializer_class is TypesCardSerializer


def test_hand_written_input_types_sdl():
    assert print_type(schema_type(types_schema, "TypesCardDraft")) == (
        "input TypesCardDraft {\n"
        '  """A short title."""\n'
        "  title: String!\n"
        "  status: TypesCardStatusChoices\n"
        "}"
    )
    assert print_type(schema_type(types_schema, "TypesCardPatch")) == (
        "input TypesCardPatch {\n"
        '  """\n'
        "  An existing row's id, read by writable nested serializers to update that row; "
        "ignored by validation, as under REST.\n"
        '  """\n'
        "  id: ID\n"
        "\n"
        '  """What is to be done."""\n'
        "  title: String\n"
        "  notes: String\n"
        "  status: TypesCardStatusChoices\n"
        "  dueDate: DateString\n"
        "}"
    )
    assert TypesCardPatch._meta.partial is True
    assert TypesCardDraft._meta.partial is False


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_hand_written_output_type_resolves_the_serializer_data(gql):
    task = TaskFactory(title="Water plants", status=Task.Status.IN_PROGRESS, due_date="2025-06-01")
    tag = TagFactory(name="garden")
    task.tags.add(tag)
    status, body = gql(
        "query($id: ID!) { card(id: $id) { id title status dueDate tags } }", {"id": str(task.pk)}
    )
    assert status == 200
    assert body == {
        "data": {
            "card": {
                "id": str(task.pk),
                "title": "WATER PLANTS",
                "status": "IN_PROGRESS",
                "dueDate": "2025-06-01",
                "tags": [str(tag.pk)],
            }
        }
    }
    status, body = gql("query($id: ID!) { card(id: $id) { notes } }", {"id": str(task.pk)})
    assert status == 400
    assert body["errors"][0]["message"] == "Cannot query field 'notes' on type 'TypesCard'."


@pytest.mark.urls(__name__)
def test_hand_written_input_types_reach_the_serializer(gql):
    status, body = gql(
        '{ preview(draft: {title: "Draft", status: DONE}, patch: {notes: "n"}) '
        "{ id title status tags } }"
    )
    assert body == {
        "data": {"preview": {"id": "0", "title": "DRAFT", "status": "DONE", "tags": []}}
    }


# ======================================================================== the test schema


def test_the_test_schema_builds_with_the_expected_signatures():
    printed = str(testapp_schema)
    assert "  createTask(input: TaskInput!): CreateTaskPayload\n" in printed
    assert re.search(
        r"  updateTask\(\n(?:    .*\n)*    id: ID!\n    input: TaskPartialInput!\n  \): "
        r"UpdateTaskPayload\n",
        printed,
    )
    assert re.search(
        r"  deleteTask\(\n(?:    .*\n)*    id: ID!\n  \): DeleteTaskPayload\n", printed
    )
    assert "type DeleteTaskPayload {\n  deletedId: ID!\n}" in printed
    assert "  bulkCreateTask(input: [TaskInput!]!): BulkCreateTaskPayload\n" in printed
    assert "type BulkCreateTaskPayload {\n  tasks: [TaskOutput!]!\n}" in printed
    assert re.search(
        r"  updateProject\(\n(?:    .*\n)*    slug: String!\n    input: ProjectPartialInput!\n"
        r"  \): UpdateProjectPayload\n",
        printed,
    )
    assert "type CreateTaskPayload {\n  task: TaskOutput\n}" in printed
    assert "type UpdateProjectPayload {\n  project: ProjectOutput\n}" in printed
    # Lookups are arguments of their own, never inside the input.
    assert "slug: String!" not in str(
        print_type(schema_type(testapp_schema, "ProjectPartialInput"))
    )
    # One type per serializer and mode, however many mutations use it.
    assert printed.count("type TaskOutput {") == 1
    assert printed.count("input TaskInput {") == 1
    assert printed.count("input TaskPartialInput {") == 1
    assert printed.count("enum TaskStatusChoices {") == 1


def test_the_test_schema_task_types():
    assert print_type(schema_type(testapp_schema, "TaskOutput")) == (
        "type TaskOutput {\n"
        "  id: ID!\n"
        "\n"
        '  """What is to be done."""\n'
        "  title: String!\n"
        "  notes: String!\n"
        "  status: TaskStatusChoices!\n"
        "  priority: Int!\n"
        "  views: BigInteger!\n"
        "  estimate: DecimalString\n"
        "  dueDate: DateString\n"
        "  created: DateTimeString!\n"
        "  ownerName: String\n"
        "  project: String\n"
        "  tags: [ID!]!\n"
        "  subtasks: [SubtaskOutput!]!\n"
        "  isOverdue: Boolean!\n"
        "}"
    )
    assert print_type(schema_type(testapp_schema, "ProjectOutput")) == (
        "type ProjectOutput {\n  id: ID!\n  slug: String!\n  name: String!\n}"
    )
    assert (
        serializer_type(ProjectSerializer, OUTPUT)
        is schema_type(testapp_schema, "ProjectOutput").graphene_type
    )


def test_lazy_dataclass_types_instantiate_as_graphene_types_do():
    """LazyDataclassMeta only postpones graphene's make_dataclass; instances are the same."""
    body = {"a": graphene.String(), "b": graphene.Int(), "__module__": __name__}
    plain = type("PlainPoint", (graphene.ObjectType,), dict(body))
    lazy = LazyDataclassMeta("LazyPoint", (graphene.ObjectType,), dict(body))
    assert "_lazy_init" in lazy.__mro__[1].__init__.__qualname__  # no dataclass made yet

    for args, kwargs in [((), {}), ((), {"a": "x"}), (("x", 2), {}), (("x",), {"b": 3})]:
        one, other = plain(*args, **kwargs), lazy(*args, **kwargs)
        assert (one.a, one.b) == (other.a, other.b)
        assert repr(other) == repr(one).replace("PlainPoint", "LazyPoint")
    assert lazy(a="x") == lazy(a="x") and lazy(a="x") != lazy(a="y")
    for bad_args, bad_kwargs in [((), {"c": 1}), (("x", 2, 3), {}), (("x",), {"a": "y"})]:
        with pytest.raises(TypeError) as plain_error:
            plain(*bad_args, **bad_kwargs)
        with pytest.raises(TypeError) as lazy_error:
            lazy(*bad_args, **bad_kwargs)
        assert str(lazy_error.value) == str(plain_error.value).replace("PlainPoint", "LazyPoint")


def test_lazy_dataclass_refuses_what_graphene_refuses_when_defined():
    with pytest.raises(ValueError, match="mutable default"):
        LazyDataclassMeta(
            "MutableDefault",
            (graphene.ObjectType,),
            {"items": graphene.Field(graphene.String, default_value=[]), "__module__": __name__},
        )


# ------------------------------------------------------------------ names given and names taken


def test_a_name_one_mutation_gives_stays_that_mutations(isolated_registry):
    """``input_type_name``/``output_type_name`` do not rename the serializer's types for the
    mutations, fields and nested uses made after it."""

    class TypesNamedSerializer(serializers.ModelSerializer):
        class Meta:
            model = Tag
            fields = ["id", "name"]

    class TypesCreateLegacyTag(CreateMutation):
        class Meta:
            serializer_class = TypesNamedSerializer
            input_type_name = "TypesLegacyTagInput"
            output_type_name = "TypesLegacyTagOutput"

    class TypesCreateTag(CreateMutation):
        class Meta:
            serializer_class = TypesNamedSerializer

    def named(mutation):
        payload = mutation._meta.fields["tag"].type._meta.name
        return str(mutation._meta.arguments["input"].type), payload

    assert named(TypesCreateLegacyTag) == ("TypesLegacyTagInput!", "TypesLegacyTagOutput")
    assert named(TypesCreateTag) == ("TypesNamedInput!", "TypesNamedOutput")
    assert serializer_type(TypesNamedSerializer, OUTPUT)._meta.name == "TypesNamedOutput"
    assert registry.collisions == []


@pytest.mark.parametrize("hand_written_first", [False, True])
def test_a_hand_written_type_under_the_generated_name_is_a_collision(
    isolated_registry, hand_written_first
):
    """graphene keeps one type per name: the generated type and a hand-written one of the
    same name would silently stand in for each other (``exclude`` lost, or imposed)."""

    class TypesHandSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["id", "title", "notes"]

    def hand_written():
        class TypesHandOutput(SerializerObjectType):
            class Meta:
                serializer_class = TypesHandSerializer
                exclude = ["notes"]

        return TypesHandOutput

    if hand_written_first:
        hand = hand_written()
        generated = serializer_type(TypesHandSerializer, OUTPUT)
        assert generated is hand  # what graphene would do anyway; the check says so
    else:
        generated = serializer_type(TypesHandSerializer, OUTPUT)
        hand = hand_written()
    (collision,) = registry.collisions
    assert collision.name == "TypesHandOutput"
    assert hand.__qualname__ in collision.first + collision.second
    # The documented use, under its own name, is no collision.
    registry.collisions.clear()

    class TypesHandPublicOutput(SerializerObjectType):
        class Meta:
            serializer_class = TypesHandSerializer
            exclude = ["notes"]

    assert registry.collisions == []
    assert "notes" not in TypesHandPublicOutput._meta.fields


def test_get_fields_that_needs_a_request_is_a_clear_error_when_types_are_built():
    class TypesRequestFieldsSerializer(serializers.Serializer):
        def get_fields(self):
            user = self.context["request"].user
            return {"name": serializers.CharField(read_only=not user.is_staff)}

    with pytest.raises(ImproperlyConfigured, match="without a request in the context"):
        serializer_type(TypesRequestFieldsSerializer, OUTPUT)


# ------------------------------------------------------------------ names GraphQL cannot take


class KeywordFieldSerializer(serializers.ModelSerializer):
    """DRF's way to a field named like a Python keyword: added in get_fields()."""

    class Meta:
        model = Task
        fields = ["id"]

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.CharField(source="title", read_only=True)
        return fields


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_field_named_like_a_python_keyword_is_served(client, isolated_registry):
    from drf_graphql_crud import DRFGraphQLView, RetrieveField

    class KeywordQuery(graphene.ObjectType):
        keyword_task = RetrieveField(KeywordFieldSerializer, queryset=Task.objects.all())

    schema = graphene.Schema(query=KeywordQuery)
    output = schema.graphql_schema.get_type("KeywordFieldOutput")
    # Nullable: a get_fields() of its own may give a request other fields than the type's.
    assert str(output.fields["from"].type) == "String"
    task = TaskFactory(title="Here")
    urlpatterns.append(path("keyword/", DRFGraphQLView.as_view(schema=schema)))
    try:
        body = client.post(
            "/keyword/",
            {"query": f'{{ keywordTask(id: "{task.pk}") {{ from }} }}'},
            content_type="application/json",
        ).json()
    finally:
        urlpatterns.pop()
    assert body == {"data": {"keywordTask": {"from": "Here"}}}
    with pytest.raises(TypeError, match="cannot be instantiated: its fields \\['from'\\]"):
        serializer_type(KeywordFieldSerializer, Mode.OUTPUT)(**{"from": "x"})


def test_fields_graphql_would_merge_or_cannot_name_are_refused(isolated_registry):
    class TwinSerializer(serializers.Serializer):
        due_date = serializers.CharField()
        dueDate = serializers.CharField()  # noqa: N815 - a REST API's own spelling

    with pytest.raises(ImproperlyConfigured, match=re.escape(
        "TwinSerializer: the fields 'due_date' and 'dueDate' are both the GraphQL field "
        "'dueDate'."
    )):  # fmt: skip
        serializer_type(TwinSerializer, Mode.INPUT)

    class DigitSerializer(serializers.Serializer):
        def get_fields(self):
            return {"2fa": serializers.CharField()}

    with pytest.raises(ImproperlyConfigured, match="DigitSerializer.2fa: '2fa' cannot be a"):
        serializer_type(DigitSerializer, Mode.OUTPUT)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("my-task", "it is no GraphQL name"),
        ("2Task", "it is no GraphQL name"),
        ("__Task", "names starting with __ are GraphQL's own"),
        ("String", "it is a built-in scalar's name"),
    ],
)
def test_type_names_graphql_cannot_take_are_refused(isolated_registry, name, problem):
    meta = type("Meta", (), {"graphql_name": name})
    named = type("NamedSerializer", (serializers.Serializer,), {"Meta": meta})
    if name == "String":  # a base the suffix completes: StringOutput is a fine name
        assert serializer_type(named, Mode.OUTPUT)._meta.name == "StringOutput"
    else:
        with pytest.raises(
            ImproperlyConfigured, match=re.escape(f"graphql_name = {name!r}: {problem}")
        ):
            serializer_type(named, Mode.OUTPUT)
    with pytest.raises(ImproperlyConfigured, match=re.escape(f"The type name {name!r} given")):

        class Misnamed(CreateMutation):
            class Meta:
                serializer_class = TagSerializer
                input_type_name = name


def choice_members(choices, name):
    """The enum member names of a choice field over ``choices``, by key."""
    field = serializers.ChoiceField(choices=choices)
    serializer = type(name, (serializers.Serializer,), {"state": field})
    enum_type = serializer_type(serializer, Mode.OUTPUT)._meta.fields["state"].type
    graphene_enum = getattr(enum_type, "of_type", enum_type)
    return {member.value: member.name for member in graphene_enum._meta.enum}


def test_a_choices_member_name_does_not_depend_on_the_other_choices(isolated_registry):
    """The key spelled as the name keeps it; keys reading alike get a suffix of their own."""
    members = choice_members
    alone = members([("in_progress", "B")], "AloneSerializer")
    crowded = members(
        [("in progress", "A"), ("in_progress", "B"), ("In Progress", "C")], "CrowdedSerializer"
    )
    reordered = members(
        [("In Progress", "C"), ("in_progress", "B"), ("in progress", "A")], "ReorderedSerializer"
    )
    assert alone == {"in_progress": "IN_PROGRESS"}
    assert crowded["in_progress"] == "IN_PROGRESS"
    assert crowded == reordered
    assert re.fullmatch(r"IN_PROGRESS_[0-9A-F]{6}", crowded["in progress"])
    assert len(set(crowded.values())) == 3


def test_a_negative_choice_leaves_the_names_of_the_others_alone(isolated_registry):
    """An IntegerChoices gaining ``UNKNOWN = -1``: 1 keeps ``A_1``, which clients send."""
    members = choice_members
    before = members([(0, "Low"), (1, "High")], "LevelSerializer")
    after = members([(-1, "Unknown"), (0, "Low"), (1, "High")], "LevelUnknownSerializer")
    assert before == {0: "A_0", 1: "A_1"}
    assert after == {-1: "MINUS_1", 0: "A_0", 1: "A_1"}


def test_only_the_fields_a_type_holds_are_checked_for_names(isolated_registry):
    """A write-only due_date beside a read-only dueDate never meet in one type; a write-only
    field GraphQL cannot name is never in an output type."""

    class ModedSerializer(serializers.Serializer):
        due_date = serializers.CharField(write_only=True)
        dueDate = serializers.CharField(read_only=True)  # noqa: N815 - a REST API's own spelling

        def get_fields(self):
            fields = super().get_fields()
            fields["2fa"] = serializers.CharField(write_only=True)
            return fields

    output = serializer_type(ModedSerializer, Mode.OUTPUT)
    assert list(output._meta.fields) == ["dueDate"]
    with pytest.raises(ImproperlyConfigured, match="ModedSerializer.2fa: '2fa' cannot be a"):
        serializer_type(ModedSerializer, Mode.INPUT)


# ------------------------------------------------------------------------------ Meta options


@pytest.mark.parametrize(
    ("base", "options", "message"),
    [
        (
            CreateMutation,
            {"serializer_class": TagSerializer, "permissions_classes": []},
            "OpenTypo.Meta: unknown option 'permissions_classes'; "
            "did you mean 'permission_classes'?",
        ),
        (
            SerializerObjectType,
            {"serializer_class": TagSerializer, "exclued": ["name"]},
            "OpenTypo.Meta: unknown option 'exclued'; did you mean 'exclude'?",
        ),
        (
            SerializerInputObjectType,
            {"serializer_class": TagSerializer, "parital": True},
            "OpenTypo.Meta: unknown option 'parital'; did you mean 'partial'?",
        ),
    ],
)
def test_a_misspelt_meta_option_is_refused(isolated_registry, base, options, message):
    """graphene drops options it does not know: a misspelt permission_classes would leave
    a mutation open to anyone."""
    with pytest.raises(ImproperlyConfigured) as refused:
        type("OpenTypo", (base,), {"Meta": type("Meta", (), options)})
    assert str(refused.value) == message


def test_graphenes_own_meta_options_are_taken(isolated_registry):
    class NamedTagOutput(SerializerObjectType):
        class Meta:
            serializer_class = TagSerializer
            name = "NamedTag"
            description = "A tag, named."
            interfaces = ()

    assert NamedTagOutput._meta.name == "NamedTag"


# ------------------------------------------------------------------------------ rows


class EchoLikeSerializer(serializers.Serializer):
    """A plain serializer: it names no model."""

    title = serializers.CharField()


def test_rows_of_another_model_than_the_serializers_are_refused(isolated_registry):
    """Every call would save, or render, Project rows through a Task serializer."""
    from drf_graphql_crud import ListField, RetrieveField, UpdateMutation
    from tests.testapp.models import Project

    with pytest.raises(ImproperlyConfigured) as refused:
        type(
            "UpdateWrongRows",
            (UpdateMutation,),
            {"Meta": type("Meta", (), {"serializer_class": TaskSerializer,
                                       "queryset": Project.objects.all()})},
        )  # fmt: skip
    assert str(refused.value) == (
        "UpdateWrongRows.Meta.queryset: its rows are Project rows, but TaskSerializer "
        "serializes Task rows."
    )
    for field_class in (ListField, RetrieveField):
        with pytest.raises(ImproperlyConfigured, match="its rows are Project rows"):
            field_class(TaskSerializer, queryset=Project.objects.all())


def test_a_lookup_over_a_serializer_with_no_model_needs_rows(isolated_registry):
    from drf_graphql_crud import DeleteMutation, UpdateMutation

    for base in (UpdateMutation, DeleteMutation):
        with pytest.raises(ImproperlyConfigured) as refused:
            type(
                "NoRows",
                (base,),
                {"Meta": type("Meta", (), {"serializer_class": EchoLikeSerializer})},
            )
        assert str(refused.value) == (
            "NoRows looks rows up, but EchoLikeSerializer names no model: give Meta.model or "
            "Meta.queryset, or override get_queryset() (or get_object())."
        )

    class RowsOfItsOwn(UpdateMutation):  # rows from get_queryset(): fine
        class Meta:
            serializer_class = EchoLikeSerializer

        @staticmethod
        def get_queryset(info):
            return Task.objects.all()

    class ObjectOfItsOwn(UpdateMutation):  # an object found its own way: fine too
        class Meta:
            serializer_class = EchoLikeSerializer

        @classmethod
        def get_object(cls, info, lookup_value):
            return {"title": lookup_value}


def test_a_proxy_serializer_over_its_models_rows_is_accepted(isolated_registry):
    """A proxy is the same table and the same rows."""
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token, TokenProxy

    from drf_graphql_crud import ListField

    class TokenProxySerializer(serializers.ModelSerializer):
        class Meta:
            model = TokenProxy
            fields = ["key"]

    ListField(TokenProxySerializer, queryset=Token.objects.all())
    with pytest.raises(ImproperlyConfigured, match="its rows are Group rows"):
        ListField(TokenProxySerializer, queryset=Group.objects.all())


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"ordering_fields": [5]}, r"ordering_fields holds 5, not a field's name\."),
        ({"search_fields": ["title", None]}, r"search_fields holds None, not a field's name\."),
        (
            {"filterset_fields": ["nope"]},
            r"filterset_fields \['nope'\] gives no filter set for Task \(TypeError: ",
        ),
    ],
)
def test_list_options_that_are_no_fields_name_the_list(isolated_registry, options, message):
    """Raw errors (a TypeError from str.join, django-filter's) named neither the list nor
    the option."""
    from drf_graphql_crud import ListField

    with pytest.raises(ImproperlyConfigured, match=rf"^ListField\(TaskSerializer\): {message}"):
        ListField(TaskSerializer, **options)


@pytest.mark.parametrize("max_limit", ["10", 0, -1, True])
def test_a_list_max_limit_must_be_a_positive_integer(isolated_registry, max_limit):
    from drf_graphql_crud import ListField

    with pytest.raises(ImproperlyConfigured, match="not a positive integer"):
        ListField(TaskSerializer, max_limit=max_limit)


def test_a_stored_value_of_another_type_than_the_keys_is_no_member(isolated_registry):
    """``True`` and ``1.0`` equal ``1`` in Python; REST writes them as they are (DRF maps a
    value to its key by text), so the enum must not answer the member ``A_1``."""
    from graphql import GraphQLError

    from drf_graphql_crud.types import _make_enum

    strays = _make_enum("StrayChoices", [(1, "One"), (2, "Two")])
    schema = graphene.Schema(
        query=type("StrayQuery", (graphene.ObjectType,), {"value": graphene.Field(strays)})
    )
    enum_type = schema.graphql_schema.get_type("StrayChoices")
    assert enum_type.serialize(1) == "A_1"
    for stray in (True, 1.0):
        with pytest.raises(GraphQLError, match=f"cannot represent value: {stray!r}"):
            enum_type.serialize(stray)
    # A str subclass of the key's type is the key: a Django Choices member, say.
    statuses = _make_enum("StrayStatusChoices", [("todo", "To do")])._meta.enum
    assert statuses(Task.Status.TODO).name == "TODO"


def test_enums_of_the_same_choices_share_their_python_enum(isolated_registry):
    """Each serializer's field gets its own GraphQL enum (its own name), over one Python
    enum for the same choices; other labels, or keys of another type, make another."""
    from drf_graphql_crud.types import _make_enum

    first = _make_enum("FirstStatusChoices", [("todo", "To do"), ("done", "Done")])
    second = _make_enum("SecondStatusChoices", [("todo", "To do"), ("done", "Done")])
    relabelled = _make_enum("RelabelledStatusChoices", [("todo", "Open"), ("done", "Done")])
    numbered = _make_enum("NumberedChoices", [(1, "One")])
    texts = _make_enum("TextChoices", [("1", "One")])
    assert first._meta.enum is second._meta.enum
    assert relabelled._meta.enum is not first._meta.enum
    assert numbered._meta.enum is not texts._meta.enum
    # Equal keys spelled otherwise are other choices: DRF looks a choice up by its text.
    rates = [
        _make_enum(f"Rate{index}Choices", [(decimal.Decimal(text), "Standard")])._meta.enum
        for index, text in enumerate(("0.20", "0.2"))
    ]
    assert [[(m.name, str(m.value)) for m in rate] for rate in rates] == [
        [("A_0_20", "0.20")],
        [("A_0_2", "0.2")],
    ]
    schema = graphene.Schema(
        query=type(
            "SharedEnumQuery",
            (graphene.ObjectType,),
            {
                "first": graphene.Field(first, resolver=lambda *_: "todo"),
                "second": graphene.Field(second, resolver=lambda *_: "done"),
                "relabelled": graphene.Field(relabelled, resolver=lambda *_: "todo"),
                "numbered": graphene.Field(numbered, resolver=lambda *_: 1),
                "texts": graphene.Field(texts, resolver=lambda *_: "1"),
            },
        )
    )
    result = schema.execute("{ first second relabelled numbered texts }")
    assert result.errors is None
    assert result.data == {
        "first": "TODO",
        "second": "DONE",
        "relabelled": "TODO",
        "numbered": "A_1",
        "texts": "A_1",
    }
    types = schema.graphql_schema.type_map
    assert types["SecondStatusChoices"].values["TODO"].description == "To do"
    assert types["RelabelledStatusChoices"].values["TODO"].description == "Open"
    assert types["NumberedChoices"].values["A_1"].value.value == 1
    assert types["TextChoices"].values["A_1"].value.value == "1"


class TreeNodeSerializer(serializers.Serializer):
    """A tree that nests itself in get_fields(): DRF renders it level by level."""

    name = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        fields["children"] = TreeNodeSerializer(many=True, required=False)
        return fields


class TreeNodeQuery(graphene.ObjectType):
    node = graphene.Field(lambda: serializer_type(TreeNodeSerializer, Mode.OUTPUT))
    echo = graphene.Field(
        graphene.String,
        node=graphene.Argument(lambda: serializer_type(TreeNodeSerializer, Mode.INPUT)),
    )


def test_a_serializer_nesting_its_own_class_refers_to_its_own_type(isolated_registry):
    """A tree: the nested field's type is the type being built, in and out, as deep as the
    client selects or sends."""
    sdl = str(graphene.Schema(query=TreeNodeQuery))
    assert "type TreeNodeOutput {\n  name: String\n  children: [TreeNodeOutput!]\n}" in sdl
    assert "input TreeNodeInput {\n  name: String!\n  children: [TreeNodeInput!]\n}" in sdl


class DictMethodNamesSerializer(serializers.ModelSerializer):
    """Fields named as a dict's methods, ahead of others: an API-permission record's `get`."""

    get = serializers.CharField(source="notes", required=False, allow_blank=True)
    items = serializers.IntegerField(source="views", required=False)
    keys = serializers.IntegerField(source="priority", required=False)

    class Meta:
        model = Task
        fields = ["id", "get", "items", "keys", "title"]


class CreateDictMethodNames(CreateMutation):
    class Meta:
        serializer_class = DictMethodNamesSerializer
        permission_classes = []
        return_field_name = "row"


class DictMethodNamesMutation(graphene.ObjectType):
    create_dict_method_names = CreateDictMethodNames.Field()


dict_names_schema = graphene.Schema(query=TypesQuery, mutation=DictMethodNamesMutation)


def test_an_input_container_keeps_fields_named_as_dict_methods_apart():
    """graphene sets each field as an attribute of the dict too; its own container read
    every field after one named `get` through that attribute (a TypeError)."""
    container = CreateDictMethodNames._meta.arguments["input"].type.of_type._meta.container
    value = container({"get": "r", "title": "Kept"})
    assert dict(value) == {"get": "r", "title": "Kept"}
    assert (value.get, value.items, value.keys, value.title) == ("r", None, None, "Kept")


@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["variables", "literal"])
def test_fields_named_as_dict_methods_are_written_as_rest_writes_them(rf, sent):
    from rest_framework import viewsets

    from drf_graphql_crud import DRFGraphQLView

    class RestRows(viewsets.ModelViewSet):
        queryset = Task.objects.all()
        serializer_class = DictMethodNamesSerializer
        authentication_classes = []
        permission_classes = []

    data = {"get": "read", "items": 3, "title": "Named"}
    rest = RestRows.as_view({"post": "create"})(
        rf.post("/", data, content_type="application/json")
    ).data
    if sent == "variables":
        query = "mutation($input: DictMethodNamesInput!) { createDictMethodNames(input: $input) "
        body = {
            "query": f"{query}{{ row {{ get items keys title }} }} }}",
            "variables": {"input": data},
        }
    else:
        query = 'mutation { createDictMethodNames(input: {get: "read", items: 3, title: "Named"}) '
        body = {"query": f"{query}{{ row {{ get items keys title }} }} }}"}
    request = rf.post("/", body, content_type="application/json")
    response = DRFGraphQLView.as_view(schema=dict_names_schema, authentication_classes=[])(request)
    row = {key: value for key, value in rest.items() if key != "id"}
    assert json.loads(response.content) == {"data": {"createDictMethodNames": {"row": row}}}
    assert Task.objects.filter(title="Named", notes="read", views=3).count() == 2
