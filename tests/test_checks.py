"""System checks: misconfiguration is reported at start-up with an id and a hint."""

import os
import subprocess
import sys
from pathlib import Path

import django
import django_filters
import graphene
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponse
from django.test import override_settings
from django.test.utils import isolate_apps
from django.utils.translation import gettext_lazy
from rest_framework import filters as drf_filters
from rest_framework import serializers, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.throttling import AnonRateThrottle

from drf_graphql_crud import (
    BulkCreateMutation,
    CreateMutation,
    DeleteMutation,
    DRFGraphQLView,
    ListField,
    RetrieveField,
    UpdateMutation,
)
from drf_graphql_crud.checks import check_drf_graphql_crud
from drf_graphql_crud.converter import Mode
from drf_graphql_crud.mutations import mutation_classes
from drf_graphql_crud.queries import read_fields
from drf_graphql_crud.types import registry, serializer_type
from tests.testapp.models import Category, Project, Subtask, Task


@pytest.fixture
def isolated():
    """Mutations, read fields and types a test defines leave no trace for the next checks."""
    saved = (
        list(mutation_classes),
        dict(registry._by_serializer),
        dict(registry._by_name),
        dict(registry._enum_choices),
        list(registry.collisions),
        list(read_fields),
    )
    yield
    mutation_classes[:] = saved[0]
    registry._by_serializer = saved[1]
    registry._by_name = saved[2]
    registry._enum_choices = saved[3]
    registry.collisions[:] = saved[4]
    read_fields[:] = saved[5]


def ids(messages):
    return [message.id for message in messages]


def test_the_test_project_is_clean():
    assert check_drf_graphql_crud() == []
    call_command("check", "--fail-level", "WARNING")


def test_lookup_field_must_be_unique(isolated):
    class ChecksProjectByNameSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["slug", "name"]

    class UpdateProjectByName(UpdateMutation):
        class Meta:
            serializer_class = ChecksProjectByNameSerializer
            lookup_field = "name"

    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E002"]
    assert messages[0].obj is UpdateProjectByName
    assert "'name' is not a unique field of testapp.Project" in messages[0].msg


def test_unique_lookup_fields_pass(isolated):
    class ChecksProjectBySlugSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["slug", "name"]

    class UpdateProjectBySlug(UpdateMutation):
        class Meta:
            serializer_class = ChecksProjectBySlugSerializer
            lookup_field = "slug"

    assert check_drf_graphql_crud() == []


def test_serializer_class_must_be_a_serializer_class(isolated):
    with pytest.raises(ImproperlyConfigured) as excinfo:

        class CreateNothing(CreateMutation):
            class Meta:
                serializer_class = "tests.testapp.serializers.TaskSerializer"

    assert "drf_graphql_crud.E001" in str(excinfo.value)
    assert "CreateNothing.Meta.serializer_class" in str(excinfo.value)


def test_output_serializer_class_must_be_a_serializer_class(isolated):
    with pytest.raises(ImproperlyConfigured) as excinfo:

        class CreateWithDottedOutput(CreateMutation):
            class Meta:
                serializer_class = ChecksReadTaskSerializer
                output_serializer_class = "tests.testapp.serializers.TaskSerializer"

    assert (
        "CreateWithDottedOutput.Meta.output_serializer_class is "
        "'tests.testapp.serializers.TaskSerializer', not a DRF serializer class."
    ) in str(excinfo.value)


def test_a_list_filterset_class_must_be_a_filter_set(isolated):
    with pytest.raises(ImproperlyConfigured, match="filterset_class is .*, not a django-filter"):
        ListField(ChecksReadTaskSerializer, filterset_class=ChecksReadTaskSerializer)


def test_type_name_collision_is_reported(isolated):
    def make(field_names):
        class ChecksTwinSerializer(serializers.ModelSerializer):
            class Meta:
                model = Project
                fields = field_names

        return ChecksTwinSerializer

    first, second = make(["slug"]), make(["name"])
    assert serializer_type(first, Mode.OUTPUT) is serializer_type(second, Mode.OUTPUT)
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E003"]
    assert "'ChecksTwinOutput'" in messages[0].msg
    # One class statement made both: the message names it once, and says what the other is.
    assert messages[0].msg.count("ChecksTwinSerializer") == 1
    assert "another class the same code made under that name (at another call)" in (messages[0].msg)
    assert "graphql_name" in messages[0].hint


def test_one_type_name_for_two_sides_of_a_serializer_says_which(isolated):
    """A create's input and a partial update's given one input_type_name: the message names
    the two sides, not "another class the same code made"."""

    class ChecksSidesSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["id", "slug", "name"]

    serializer_type(ChecksSidesSerializer, Mode.INPUT, name="ChecksSidesData")
    serializer_type(ChecksSidesSerializer, Mode.PARTIAL_INPUT, name="ChecksSidesData")
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E003"]
    assert "ChecksSidesSerializer as input and by" in messages[0].msg
    assert "ChecksSidesSerializer as partial input" in messages[0].msg
    assert "another class the same code made" not in messages[0].msg


def test_two_payloads_of_one_name_are_a_warning_for_separate_schemas(isolated):
    """A v2 schema's CreateProject beside the app's: each keeps its own payload, which
    separate schemas may serve; one schema would refuse to hold both."""

    class ChecksBriefProjectSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["id", "slug"]

    class CreateProject(CreateMutation):  # the name tests.testapp.schema's has
        class Meta:
            serializer_class = ChecksBriefProjectSerializer

    assert CreateProject._meta.name == "CreateProjectPayload"
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.W007"]
    assert messages[0].msg.startswith(
        "Mutations' payloads are named 'CreateProjectPayload' alike: "
    )
    assert "tests.testapp.schema.CreateProject" in messages[0].msg
    assert "<locals>.CreateProject" in messages[0].msg
    assert "rename the mutation classes apart" in messages[0].hint


class ChecksOneSchemaSlugSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "slug"]


class ChecksOneSchemaNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "name"]


#: This module's URLconf, serving a schema for the length of one check run.
urlpatterns: list = []


def checks_with_views(settings, *views, graphene_django=True):
    """The checks' messages while this module's URLconf routes to ``views``, with or
    without ``graphene_django`` installed."""
    from django.urls import clear_url_caches, path

    urlpatterns[:] = [path(f"v{index}/", view) for index, view in enumerate(views)]
    settings.ROOT_URLCONF = __name__
    if not graphene_django:
        settings.INSTALLED_APPS = [
            app for app in settings.INSTALLED_APPS if app != "graphene_django"
        ]
    clear_url_caches()
    try:
        return check_drf_graphql_crud()
    finally:
        urlpatterns.clear()
        clear_url_caches()


def checks_with_the_schema_served(settings, schema):
    """The checks' messages while this module's URLconf serves ``schema`` at a view
    (graphene-django's: ``DRFGraphQLView.as_view()`` refuses some schemas itself)."""
    from graphene_django.views import GraphQLView

    return checks_with_views(settings, GraphQLView.as_view(schema=schema))


def test_two_payloads_of_one_name_in_one_served_schema_are_an_error(isolated, settings):
    """graphene keeps the first payload it meets and gives its type to the other mutation."""

    def make(serializer_class):
        meta = type("Meta", (), {"serializer_class": serializer_class})
        return type("MakeChecksProject", (CreateMutation,), {"Meta": meta})

    first, second = make(ChecksOneSchemaSlugSerializer), make(ChecksOneSchemaNameSerializer)
    schema = graphene.Schema(
        query=type("OneQuery", (graphene.ObjectType,), {"ok": graphene.Boolean()}),
        mutation=type(
            "OneMutation", (graphene.ObjectType,), {"a": first.Field(), "b": second.Field()}
        ),
    )
    messages = checks_with_the_schema_served(settings, schema)
    assert ids(messages) == ["drf_graphql_crud.E003"]
    assert "'MakeChecksProjectPayload'" in messages[0].msg
    assert "one schema serves two of them: graphene keeps the first it meets" in messages[0].msg


def test_the_endpoint_refuses_a_schema_of_two_payloads_of_one_name(isolated):
    """Check E003's finding, where no check runs (a test suite): one of the mutations
    answered with the other's payload fields, null where its write committed."""
    from drf_graphql_crud import DRFGraphQLView

    def make(serializer_class):
        meta = type("Meta", (), {"serializer_class": serializer_class})
        return type("MakeServedProject", (CreateMutation,), {"Meta": meta})

    first, second = make(ChecksOneSchemaSlugSerializer), make(ChecksOneSchemaNameSerializer)
    schema = graphene.Schema(
        query=type("ServedQuery", (graphene.ObjectType,), {"ok": graphene.Boolean()}),
        mutation=type(
            "ServedMutation", (graphene.ObjectType,), {"a": first.Field(), "b": second.Field()}
        ),
    )
    with pytest.raises(ImproperlyConfigured) as refused:
        DRFGraphQLView.as_view(schema=schema)
    assert str(refused.value).startswith(
        "DRFGraphQLView.as_view(): Mutations' payloads are named 'MakeServedProjectPayload' alike: "
    )


def test_payloads_judged_together_under_a_namespace_and_beyond_two(isolated, settings):
    """Three payloads of one name, the second and third served by one schema under a
    namespace type: graphene gives the third the second's type (E003)."""

    def make(fields):
        meta_ = type("Meta", (), {"model": Project, "fields": fields})
        serializer = type(
            f"ChecksNs{len(fields)}{fields[-1].title()}Serializer",
            (serializers.ModelSerializer,),
            {"Meta": meta_},
        )
        meta = type("Meta", (), {"serializer_class": serializer})
        return type("MakeChecksNsProject", (CreateMutation,), {"Meta": meta})

    make(["id", "slug"])
    second, third = make(["id", "name"]), make(["id", "slug", "name"])
    namespace = type(
        "ChecksProjectMutations", (graphene.ObjectType,), {"b": second.Field(), "c": third.Field()}
    )
    schema = graphene.Schema(
        query=type("NsQuery", (graphene.ObjectType,), {"ok": graphene.Boolean()}),
        mutation=type(
            "NsMutation",
            (graphene.ObjectType,),
            {"projects": graphene.Field(namespace, resolver=lambda root, info: object())},
        ),
    )
    messages = checks_with_the_schema_served(settings, schema)
    assert ids(messages) == ["drf_graphql_crud.E003"]
    assert "'MakeChecksNsProjectPayload'" in messages[0].msg


def test_a_viewset_crud_made_twice_is_a_warning(isolated):
    from drf_graphql_crud import ViewSetCrud
    from drf_graphql_crud.viewsets import viewset_cruds
    from tests.testapp import crud_views

    before = list(viewset_cruds)
    try:
        ViewSetCrud(crud_views.SlugProjectViewSet, name="checksTwice")
        ViewSetCrud(crud_views.SlugProjectViewSet, name="checksTwice")
        messages = check_drf_graphql_crud()
    finally:
        viewset_cruds[:] = before
    assert ids(messages) == ["drf_graphql_crud.W007"] * 3
    assert all("one was made more than once" in message.msg for message in messages)


def test_two_viewset_cruds_of_one_name_in_one_schema_are_e012(isolated, settings):
    """Read-only, they have no payload for E003 to tell: the Query's bases give the first
    viewset's rows to both names, the second's (here, only one slug) never answer."""
    from drf_graphql_crud import ViewSetCrud
    from drf_graphql_crud.viewsets import viewset_cruds
    from tests.testapp.serializers import ProjectSerializer

    class ChecksAllProjectsViewSet(viewsets.ReadOnlyModelViewSet):
        queryset = Project.objects.all()
        serializer_class = ProjectSerializer

    class ChecksSomeProjectsViewSet(ChecksAllProjectsViewSet):
        queryset = Project.objects.filter(slug="some")

    before = list(viewset_cruds)
    try:
        every = ViewSetCrud(ChecksAllProjectsViewSet)
        some = ViewSetCrud(ChecksSomeProjectsViewSet)
        assert check_drf_graphql_crud() == []  # no schema serves them: each may have its own
        query = type("ChecksBothQuery", (every.Query, some.Query, graphene.ObjectType), {})
        schema = graphene.Schema(query=query)
        messages = checks_with_the_schema_served(settings, schema)
    finally:
        viewset_cruds[:] = before
    assert ids(messages) == ["drf_graphql_crud.E012"]
    assert messages[0].msg == (
        "ViewSetCrud of ChecksAllProjectsViewSet, ChecksSomeProjectsViewSet share the name "
        "'project', and one schema serves both: their fields are named alike, and the first "
        "viewset in the root type's bases answers them all."
    )


def test_one_name_for_a_viewsets_reads_and_anothers_writes_is_no_e012(isolated, settings):
    """The reads' fields are in the Query, the writes' in the Mutation: none meet."""
    from drf_graphql_crud import ViewSetCrud
    from drf_graphql_crud.viewsets import viewset_cruds
    from tests.testapp.serializers import ProjectSerializer

    class ChecksReadProjectViewSet(viewsets.ReadOnlyModelViewSet):
        queryset = Project.objects.all()
        serializer_class = ProjectSerializer

    class ChecksWriteProjectViewSet(viewsets.ModelViewSet):
        queryset = Project.objects.all()
        serializer_class = ProjectSerializer

    before = list(viewset_cruds)
    try:
        reads = ViewSetCrud(ChecksReadProjectViewSet, name="split")
        writes = ViewSetCrud(ChecksWriteProjectViewSet, name="split")
        schema = graphene.Schema(
            query=type("ChecksSplitQuery", (reads.Query, graphene.ObjectType), {}),
            mutation=type("ChecksSplitMutation", (writes.Mutation, graphene.ObjectType), {}),
        )
        messages = checks_with_the_schema_served(settings, schema)
    finally:
        viewset_cruds[:] = before
    assert messages == []


def checks_with_cruds(*cruds):
    """The checks' messages with a ViewSetCrud of each (viewset, name) made for them."""
    from drf_graphql_crud import ViewSetCrud
    from drf_graphql_crud.viewsets import viewset_cruds

    before = list(viewset_cruds)
    try:
        for viewset, name in cruds:
            ViewSetCrud(viewset, name=name)
        return check_drf_graphql_crud()
    finally:
        viewset_cruds[:] = before


class ChecksNameLookupViewSet(viewsets.ModelViewSet):
    queryset = Project.objects.all()
    lookup_field = "name"  # not unique


class ChecksListedViewSet(viewsets.ModelViewSet):
    queryset = Project.objects.all()
    filter_backends = [drf_filters.OrderingFilter, drf_filters.SearchFilter]
    ordering_fields = ["slug", "nope"]
    ordering = ["-nmae", "slug"]  # the default order: no orderBy, and REST's every list
    search_fields = ["name", "^missing"]
    permission_classes = [IsAuthenticated()]


class ChecksOwnRowsViewSet(ChecksListedViewSet):
    """Its own get_object() and get_permissions(): judged by them, per request."""

    lookup_field = "name"
    ordering_fields = ["slug"]
    ordering = "-slug"  # one name, as OrderingFilter reads a string
    search_fields = ["name"]

    def get_object(self):
        return super().get_object()

    def get_permissions(self):
        return super().get_permissions()


def test_a_viewset_cruds_declarations_are_checked_as_the_librarys_fields(isolated):
    """A lookup that is not unique, ordering or search paths that are no fields and a
    permission instance fail every REST call and every GraphQL one alike; the same on a
    ListField, RetrieveField or mutation is E002/E006/E008: so it is for ViewSetCrud."""
    from tests.testapp.serializers import ProjectSerializer

    for viewset in (ChecksNameLookupViewSet, ChecksListedViewSet, ChecksOwnRowsViewSet):
        viewset.serializer_class = ProjectSerializer
    messages = checks_with_cruds(
        (ChecksNameLookupViewSet, "checksNameLookupProject"),
        (ChecksListedViewSet, "checksListedProject"),
        (ChecksOwnRowsViewSet, "checksOwnRowsProject"),
    )
    found = [(m.id, m.msg.split(":")[0], m.obj.__name__) for m in messages]
    assert found == [
        (
            "drf_graphql_crud.E002",
            "tests.test_checks.ChecksNameLookupViewSet.lookup_field 'name' is not a unique field "
            "of testapp.Project",
            "ChecksNameLookupViewSet",
        ),
        (
            "drf_graphql_crud.E008",
            "tests.test_checks.ChecksListedViewSet.permission_classes holds an instance of "
            "IsAuthenticated, not permission classes",
            "ChecksListedViewSet",
        ),
        (
            "drf_graphql_crud.E006",
            "tests.test_checks.ChecksListedViewSet.ordering_fields has 'nope'",
            "ChecksListedViewSet",
        ),
        (
            "drf_graphql_crud.E006",
            "tests.test_checks.ChecksListedViewSet.search_fields has '^missing'",
            "ChecksListedViewSet",
        ),
        (
            "drf_graphql_crud.E006",
            "tests.test_checks.ChecksListedViewSet.ordering has '-nmae'",
            "ChecksListedViewSet",
        ),
        (
            "drf_graphql_crud.W006",
            "tests.test_checks.ChecksOwnRowsViewSet.permission_classes holds an instance of "
            "IsAuthenticated, not permission classes",
            "ChecksOwnRowsViewSet",
        ),
    ]
    (default_order,) = [m for m in messages if ".ordering has" in m.msg]
    assert default_order.msg.endswith(
        "'nmae' is not a field of testapp.Project, so every request that lists in the "
        "default order fails."
    )


class ChecksAliasOrdering(drf_filters.OrderingFilter):
    """Public names of its own: ``project_name`` orders by ``project__name``."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        return [term.replace("project_name", "project__name") for term in ordering or ()]

    def remove_invalid_fields(self, queryset, fields, view, request):
        return fields


class ChecksExactSearch(drf_filters.SearchFilter):
    lookup_prefixes = {**drf_filters.SearchFilter.lookup_prefixes, "&": "exact"}


class ChecksOwnNamesViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.all()
    filter_backends = [ChecksAliasOrdering, ChecksExactSearch]
    ordering_fields = ["project_name"]
    search_fields = ["&title"]


class ChecksLabelledOrderingViewSet(viewsets.ModelViewSet):
    queryset = Project.objects.all()
    filter_backends = [drf_filters.OrderingFilter]
    ordering_fields = [("name", "Name"), ("slug", "Slug")]


def soft_deleted_model(name):
    """A model whose slug is unique among its live rows only (a soft delete's conditional
    ``UniqueConstraint``), and a serializer of it; made under ``isolate_apps``."""
    meta = {
        "app_label": "testapp",
        "constraints": [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(deleted=False), name=f"{name.lower()}_live_slug"
            )
        ],
    }
    model = type(
        name,
        (models.Model,),
        {
            "slug": models.SlugField(),
            "deleted": models.BooleanField(default=False),
            "Meta": type("Meta", (), meta),
            "__module__": __name__,
        },
    )
    serializer_meta = type("Meta", (), {"model": model, "fields": ["id", "slug"]})
    serializer = type(
        f"{name}Serializer", (serializers.ModelSerializer,), {"Meta": serializer_meta}
    )
    return model, serializer


@isolate_apps("tests.testapp")
def test_viewset_declarations_drfs_rules_cannot_judge_are_not_refused(isolated):
    """No E002/E006 where REST serves the viewset: (name, label) ordering pairs, a backend
    reading names of its own, and a lookup unique among the rows a conditional constraint
    covers (a soft delete's live rows)."""
    from tests.testapp.serializers import ProjectSerializer

    ChecksArticle, ChecksArticleSerializer = soft_deleted_model("ChecksArticle")

    class ChecksLiveArticleViewSet(viewsets.ModelViewSet):
        queryset = ChecksArticle.objects.filter(deleted=False)
        serializer_class = ChecksArticleSerializer
        lookup_field = "slug"

    ChecksOwnNamesViewSet.serializer_class = ChecksReadTaskSerializer
    ChecksLabelledOrderingViewSet.serializer_class = ProjectSerializer
    assert (
        checks_with_cruds(
            (ChecksOwnNamesViewSet, "checksOwnNamesTask"),
            (ChecksLabelledOrderingViewSet, "checksLabelledProject"),
            (ChecksLiveArticleViewSet, "checksLiveArticle"),
        )
        == []
    )


class ChecksStringNamesViewSet(viewsets.ModelViewSet):
    queryset = Project.objects.all()
    filter_backends = [drf_filters.OrderingFilter, drf_filters.SearchFilter]
    ordering_fields = "slug"
    search_fields = "name"


def test_viewset_names_given_as_a_string_are_one_error_each(isolated):
    """DRF's filters read a string letter by letter: ``"slug"`` was four E006s, for 's',
    'l', 'u' and 'g', none saying why (``ListField`` takes such a string as one name)."""
    from tests.testapp.serializers import ProjectSerializer

    ChecksStringNamesViewSet.serializer_class = ProjectSerializer
    messages = checks_with_cruds((ChecksStringNamesViewSet, "checksStringNamesProject"))
    assert [(m.id, m.msg, m.hint) for m in messages] == [
        (
            "drf_graphql_crud.E006",
            "tests.test_checks.ChecksStringNamesViewSet.ordering_fields is the string 'slug', "
            "which DRF's OrderingFilter reads letter by letter, not as one field.",
            "Give a list: ordering_fields = ['slug'].",
        ),
        (
            "drf_graphql_crud.E006",
            "tests.test_checks.ChecksStringNamesViewSet.search_fields is the string 'name', "
            "which DRF's SearchFilter reads letter by letter, not as one field.",
            "Give a list: search_fields = ['name'].",
        ),
    ]


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        (
            {"filterset_fields": ["slug", "nope"]},
            r"^ViewSetCrud\(ChecksFilterViewSet\): its filter set cannot be built from "
            r"filterset_fields \['slug', 'nope'\] \(TypeError: 'Meta.fields' must not contain "
            r"non-model field names: nope\)",
        ),
        (
            {"filterset_fields": {"name": ["exact", "icontanis"]}},
            r"^ViewSetCrud\(ChecksFilterViewSet\): its filter set cannot be built from "
            r"filterset_fields .* \(FieldLookupError: Unsupported lookup 'icontanis'",
        ),
        (
            {"filterset_class": serializers.Serializer},
            r"^ViewSetCrud\(ChecksFilterViewSet\): filterset_class is <class "
            r"'rest_framework.serializers.Serializer'>, not a django-filter FilterSet class\.$",
        ),
        (
            {"queryset": Project.objects.all},
            r"^ViewSetCrud\(ChecksFilterViewSet\): its queryset is <bound method .*>, not a "
            r"QuerySet or a Manager; did you mean to call it\?$",
        ),
    ],
)
def test_viewset_filter_and_queryset_mistakes_name_the_viewset(isolated, declared, message):
    """django-filter's bare TypeError, FieldLookupError or AttributeError, and an uncalled
    ``queryset``'s AttributeError, named no viewset; ``ListField`` says as much of its own."""
    from django_filters.rest_framework import DjangoFilterBackend

    from drf_graphql_crud import ViewSetCrud
    from tests.testapp.serializers import ProjectSerializer

    attributes = {
        "queryset": Project.objects.all(),
        "serializer_class": ProjectSerializer,
        "filter_backends": [DjangoFilterBackend],
        **declared,
    }
    viewset = type("ChecksFilterViewSet", (viewsets.ModelViewSet,), attributes)
    with pytest.raises(ImproperlyConfigured, match=message):
        ViewSetCrud(viewset, name="checksFilterProject")


class ChecksPropertyNamesViewSet(viewsets.ModelViewSet):
    queryset = Project.objects.all()
    filter_backends = [drf_filters.OrderingFilter, drf_filters.SearchFilter]
    ordering_fields = {("name", "Name"), ("slug", "Slug")}

    @property
    def search_fields(self):
        return ["name"]


def test_viewset_names_known_per_request_or_as_a_set_of_pairs_are_not_judged(isolated):
    """A property's names crashed the checks (TypeError); a set of (name, label) pairs,
    which DRF's OrderingFilter reads, was refused as no field."""
    from tests.testapp.serializers import ProjectSerializer

    ChecksPropertyNamesViewSet.serializer_class = ProjectSerializer
    assert checks_with_cruds((ChecksPropertyNamesViewSet, "checksPropertyNamesProject")) == []


class ChecksPropertyListsViewSet(viewsets.ModelViewSet):
    """Per-action permissions and per-request backends, from properties DRF reads on the
    view: REST serves it; the class attribute is the property."""

    queryset = Project.objects.all()
    ordering_fields = ["slug"]

    @property
    def permission_classes(self):
        return [] if self.action in ("list", "retrieve") else [IsAuthenticated]

    @property
    def filter_backends(self):
        return [drf_filters.OrderingFilter]


def test_viewset_lists_given_by_properties_are_not_judged(isolated):
    """A property's permission classes were E008 (a valid project could not start); its
    filter backends crashed the checks (TypeError: 'property' object is not iterable)."""
    from tests.testapp.serializers import ProjectSerializer

    ChecksPropertyListsViewSet.serializer_class = ProjectSerializer
    assert checks_with_cruds((ChecksPropertyListsViewSet, "checksPropertyListsProject")) == []


class ChecksThrottle(AnonRateThrottle):
    rate = "100/min"


class ChecksInstancesViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Project.objects.all()
    authentication_classes = [SessionAuthentication()]
    throttle_classes = [ChecksThrottle()]


class ChecksOwnAuthenticatorsViewSet(ChecksInstancesViewSet):
    throttle_classes = [ChecksThrottle]

    def get_authenticators(self):
        return super().get_authenticators()


def test_a_viewsets_authentication_and_throttle_instances_are_e008(isolated):
    """DRF instantiates them on every request as it does permission classes: an instance
    failed every call (not callable), unreported."""
    from tests.testapp.serializers import ProjectSerializer

    ChecksInstancesViewSet.serializer_class = ProjectSerializer
    messages = checks_with_cruds(
        (ChecksInstancesViewSet, "checksInstancesProject"),
        (ChecksOwnAuthenticatorsViewSet, "checksOwnAuthenticatorsProject"),
    )
    found = [(m.id, m.msg.split(":")[0], m.obj.__name__) for m in messages]
    assert found == [
        (
            "drf_graphql_crud.E008",
            "tests.test_checks.ChecksInstancesViewSet.authentication_classes holds an instance "
            "of SessionAuthentication, not authentication classes",
            "ChecksInstancesViewSet",
        ),
        (
            "drf_graphql_crud.E008",
            "tests.test_checks.ChecksInstancesViewSet.throttle_classes holds an instance of "
            "ChecksThrottle, not throttle classes",
            "ChecksInstancesViewSet",
        ),
        (
            "drf_graphql_crud.W006",
            "tests.test_checks.ChecksOwnAuthenticatorsViewSet.authentication_classes holds an "
            "instance of SessionAuthentication, not authentication classes",
            "ChecksOwnAuthenticatorsViewSet",
        ),
    ]
    assert messages[1].hint == (
        "List the classes themselves, e.g. throttle_classes = [UserRateThrottle] (not "
        "[UserRateThrottle()])."
    )


def test_choice_enum_collision_is_reported(isolated):
    class ChecksColorSerializer(serializers.Serializer):
        color = serializers.ChoiceField(choices=["red"])

    class ChecksOtherColorSerializer(serializers.Serializer):
        color = serializers.ChoiceField(choices=["blue"])

        class Meta:
            graphql_name = "ChecksColor"

    serializer_type(ChecksColorSerializer, Mode.OUTPUT)
    serializer_type(ChecksOtherColorSerializer, Mode.INPUT)
    messages = check_drf_graphql_crud()
    assert [m.id for m in messages] == ["drf_graphql_crud.E003"]
    assert "'ChecksColorColorChoices'" in messages[0].msg


class ChecksNestedTaskSerializer(serializers.ModelSerializer):
    class ChecksSubtaskTitle(serializers.ModelSerializer):
        class Meta:
            model = Subtask
            fields = ["title"]

    subtasks = ChecksSubtaskTitle(many=True)

    class Meta:
        model = Task
        fields = ["title", "subtasks"]


class ChecksPlainProjectSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class ChecksPlainSaveViewSet(viewsets.ModelViewSet):
    """Its serializer has no create() nor update(): REST's writes fail on every call."""

    queryset = Project.objects.all()
    serializer_class = ChecksPlainProjectSerializer


class ChecksOwnCreateViewSet(ChecksPlainSaveViewSet):
    """Its own create(), and a perform_update() saving without the serializer."""

    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_update(self, serializer):
        Project.objects.filter(pk=serializer.instance.pk).update(**serializer.validated_data)


class ChecksNestedWriteViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.all()
    serializer_class = ChecksNestedTaskSerializer


class ChecksNestedPerformViewSet(ChecksNestedWriteViewSet):
    def perform_create(self, serializer):
        serializer.save()


def test_a_viewset_cruds_writes_are_checked_as_mutations_are(isolated):
    """E010 and E004 for the serializer each write's action gets, as for a mutation's
    (ViewSetCrud's writes answered INTERNAL_SERVER_ERROR on every call, unreported); a
    viewset's own action is not judged, its own perform hook as a mutation's is."""
    messages = checks_with_cruds(
        (ChecksPlainSaveViewSet, "checksPlainSaveProject"),
        (ChecksOwnCreateViewSet, "checksOwnCreateProject"),
        (ChecksNestedWriteViewSet, "checksNestedWriteTask"),
        (ChecksNestedPerformViewSet, "checksNestedPerformTask"),
    )
    found = [(m.id, m.obj.__name__) for m in messages]
    assert found == [
        ("drf_graphql_crud.E010", "ChecksPlainSaveViewSet"),
        ("drf_graphql_crud.E010", "ChecksPlainSaveViewSet"),
        ("drf_graphql_crud.E004", "ChecksNestedWriteViewSet"),
        ("drf_graphql_crud.E004", "ChecksNestedWriteViewSet"),
        ("drf_graphql_crud.W008", "ChecksNestedPerformViewSet"),
        ("drf_graphql_crud.E004", "ChecksNestedPerformViewSet"),
    ]
    assert messages[0].msg == (
        "tests.test_checks.ChecksPlainProjectSerializer has no create() of its own, so "
        "tests.test_checks.ChecksPlainSaveViewSet's create through ViewSetCrud would fail on "
        "every call (NotImplementedError)."
    )
    assert messages[0].hint.endswith("or save in the viewset's perform_create().")
    assert "ChecksPlainSaveViewSet's partial_update through ViewSetCrud" in messages[1].msg


class ChecksProjectReference(serializers.ModelSerializer):
    """Nested on reads, a reference on writes: its input reads into the project itself,
    which ModelSerializer.create() saves as the foreign key."""

    class Meta:
        model = Project
        fields = ["id", "slug", "name"]

    def to_internal_value(self, data):
        return Project.objects.get(slug=data["slug"])


class ChecksReferenceTaskSerializer(serializers.ModelSerializer):
    project = ChecksProjectReference(required=False, allow_null=True)

    class Meta:
        model = Task
        fields = ["id", "title", "project"]


class ChecksPlainNestedProject(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "slug", "name"]


class ChecksNestedProjectTaskSerializer(serializers.ModelSerializer):
    """A plain nested project on a task: E004, unless something turns it into the row."""

    project = ChecksPlainNestedProject(required=False, allow_null=True)

    class Meta:
        model = Task
        fields = ["id", "title", "project"]


class ChecksReferenceViewSet(viewsets.ModelViewSet):
    queryset = Task.objects.all()
    serializer_class = ChecksReferenceTaskSerializer


class ChecksPerUserWriteViewSet(viewsets.ModelViewSet):
    """Reads through a plain serializer; writes through one its get_serializer_class()
    picks by the caller, which the checks' stand-in request cannot tell."""

    queryset = Project.objects.all()
    serializer_class = ChecksPlainProjectSerializer

    def get_serializer_class(self):
        if self.action in ("list", "retrieve"):
            return ChecksPlainProjectSerializer
        return {"staff": ChecksProjectReference}[self.request.user.get_username() and "staff"]


def test_what_a_viewsets_writes_may_save_is_not_refused(isolated):
    """A nested serializer reading its input its own way may give the related row, which
    REST and GraphQL save: W008, not E004; the stand-in serializer of writes whose
    get_serializer_class() needs the caller is not judged (E010); a read-only viewset has
    no writes to judge (a valid project could not start)."""

    class ChecksReferenceMutation(CreateMutation):
        class Meta:
            serializer_class = ChecksReferenceTaskSerializer

    class ChecksValidatedReferenceSerializer(ChecksNestedProjectTaskSerializer):
        def validate_project(self, value):
            return Project.objects.get(slug=value["slug"])

    class ChecksValidatedReferenceMutation(CreateMutation):
        class Meta:
            serializer_class = ChecksValidatedReferenceSerializer

    class ChecksTagsTakenOutSerializer(ChecksNestedTaskSerializer):
        def validate(self, attrs):
            attrs.pop("subtasks", None)  # saved by a signal of the project's, say
            return attrs

    class ChecksTagsTakenOutMutation(CreateMutation):
        class Meta:
            serializer_class = ChecksTagsTakenOutSerializer

    class ChecksReadOnlyNestedViewSet(viewsets.ReadOnlyModelViewSet):
        queryset = Task.objects.all()
        serializer_class = ChecksNestedTaskSerializer

    messages = checks_with_cruds(
        (ChecksReferenceViewSet, "checksReferenceTask"),
        (ChecksPerUserWriteViewSet, "checksPerUserWriteProject"),
        (ChecksReadOnlyNestedViewSet, "checksReadOnlyNestedTask"),
    )
    found = [(m.id, m.obj) for m in messages]
    assert found == [
        ("drf_graphql_crud.W008", ChecksReferenceMutation),
        ("drf_graphql_crud.W008", ChecksValidatedReferenceMutation),
        ("drf_graphql_crud.W008", ChecksTagsTakenOutMutation),
        ("drf_graphql_crud.W008", ChecksReferenceViewSet),
        ("drf_graphql_crud.W008", ChecksReferenceViewSet),
    ]
    assert messages[1].msg.endswith(
        "unless ChecksValidatedReferenceSerializer.validate_project() gives the related row, "
        "or takes 'project' out."
    )
    assert messages[2].msg.endswith(
        "unless ChecksTagsTakenOutSerializer.validate() gives the related row, or takes "
        "'subtasks' out."
    )
    assert messages[3].msg.endswith(
        "tests.test_checks.ChecksReferenceViewSet's create through ViewSetCrud would fail on "
        "every call that sends it, unless ChecksProjectReference.to_internal_value() gives "
        "the related row, or takes 'project' out."
    )


def test_a_mutation_saving_itself_needs_no_writer(isolated):
    """Its perform_mutate() writes the nested rows: ModelSerializer.create() never runs."""

    class ChecksCreateTaskByHand(CreateMutation):
        class Meta:
            serializer_class = ChecksNestedTaskSerializer

        @classmethod
        def perform_mutate(cls, serializer, info):
            raise NotImplementedError  # never called: the checks only read the class

    assert check_drf_graphql_crud() == []


def test_a_writable_dotted_source_through_a_relation_needs_a_writer(isolated):
    class ChecksProjectNameSerializer(serializers.ModelSerializer):
        project_name = serializers.CharField(source="project.name")

        class Meta:
            model = Task
            fields = ["title", "project_name"]

    class ChecksCreateWithProjectName(CreateMutation):
        class Meta:
            serializer_class = ChecksProjectNameSerializer

    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E004"]
    assert "project_name is a writable field with source 'project.name'" in messages[0].msg
    assert "make it read_only" in messages[0].hint


def test_a_tree_writing_its_children_needs_a_writer(isolated):
    """A tree's nested field is its own serializer again: checked once, not level after
    level without end."""

    class ChecksCategoryTreeSerializer(serializers.ModelSerializer):
        class Meta:
            model = Category
            fields = ["id", "name"]

        def get_fields(self):
            fields = super().get_fields()
            fields["children"] = ChecksCategoryTreeSerializer(many=True, required=False)
            return fields

    class ChecksCreateCategoryTree(CreateMutation):
        class Meta:
            serializer_class = ChecksCategoryTreeSerializer

    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E004"]
    assert (
        "ChecksCategoryTreeSerializer.children is a writable nested serializer, but "
        "ChecksCategoryTreeSerializer.create() is ModelSerializer's"
    ) in messages[0].msg


def test_a_serializer_without_create_fails_every_call(isolated):
    class ChecksPlainSerializer(serializers.Serializer):
        title = serializers.CharField()

    class ChecksCreatePlain(CreateMutation):
        class Meta:
            serializer_class = ChecksPlainSerializer
            model = Task

    class ChecksCreatePlainByHand(CreateMutation):
        class Meta:
            serializer_class = ChecksPlainSerializer
            model = Task
            return_field_name = "task_by_hand"

        @classmethod
        def perform_mutate(cls, serializer, info):
            raise NotImplementedError  # never called

    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E010"]
    assert messages[0].obj is ChecksCreatePlain
    assert "ChecksPlainSerializer has no create() of its own" in messages[0].msg


def test_a_perform_create_may_save_without_the_serializer(isolated):
    """REST's CreateModelMixin runs such a perform_create over a plain Serializer too."""

    class ChecksSignupSerializer(serializers.Serializer):
        title = serializers.CharField()

    class ChecksCreateBySignup(CreateMutation):
        class Meta:
            serializer_class = ChecksSignupSerializer
            model = Task

        @classmethod
        def perform_create(cls, serializer, info):
            return Task.objects.create(**serializer.validated_data)

    class ChecksUpdateBySignup(UpdateMutation):
        class Meta:
            serializer_class = ChecksSignupSerializer
            model = Task

        @classmethod
        def perform_create(cls, serializer, info):  # not the update's hook
            raise NotImplementedError

    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E010"]
    assert messages[0].obj is ChecksUpdateBySignup


def test_a_drf_style_perform_create_still_needs_a_writer(isolated):
    """It calls serializer.save(owner=...): ModelSerializer.create() runs, and refuses."""

    class ChecksCreateTaskDrfStyle(CreateMutation):
        class Meta:
            serializer_class = ChecksNestedTaskSerializer

        @classmethod
        def perform_create(cls, serializer, info):
            return serializer.save(owner=info.context.user)

    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.W008"]  # a warning: it may pop them first
    assert messages[0].msg.endswith(
        "would fail on every call that sends it, unless its perform_create() takes "
        "'subtasks' out of the validated data before it saves."
    )


def test_a_serializer_saving_its_nested_rows_itself_needs_no_writer(isolated):
    """DRF's "overriding save()": the nested rows are written before create() sees them."""

    class ChecksSelfSavingTaskSerializer(ChecksNestedTaskSerializer):
        def save(self, **kwargs):
            subtasks = self.validated_data.pop("subtasks", [])
            task = super().save(**kwargs)
            for subtask in subtasks:
                Subtask.objects.create(task=task, **subtask)
            return task

    class ChecksCreateSelfSaving(CreateMutation):
        class Meta:
            serializer_class = ChecksSelfSavingTaskSerializer

    assert check_drf_graphql_crud() == []


def test_a_lookup_the_project_makes_itself_is_not_judged(isolated):
    """A get_object() of its own, as a REST view may have; or a field unique together with
    others, among the rows its get_queryset() selects (one owner's)."""
    from django.test.utils import isolate_apps

    class ChecksProjectByNameSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["slug", "name"]

    class ChecksUpdateOwnProjectByName(UpdateMutation):
        class Meta:
            serializer_class = ChecksProjectByNameSerializer
            lookup_field = "name"

        @classmethod
        def get_object(cls, info, lookup_value):
            return Project.objects.get(name=lookup_value, tasks__owner=info.context.user)

    with isolate_apps("tests.testapp"):

        class ChecksMembership(models.Model):
            owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)
            name = models.CharField(max_length=20)

            class Meta:
                app_label = "testapp"
                constraints = [
                    models.UniqueConstraint(fields=["owner", "name"], name="checks_one_name")
                ]

        class ChecksMembershipSerializer(serializers.ModelSerializer):
            class Meta:
                model = ChecksMembership
                fields = ["name"]

        class ChecksUpdateOwnMembership(UpdateMutation):
            class Meta:
                serializer_class = ChecksMembershipSerializer
                lookup_field = "name"

            @classmethod
            def get_queryset(cls, info):
                return ChecksMembership.objects.filter(owner=info.context.user)

        class ChecksUpdateAnyMembership(UpdateMutation):
            class Meta:
                serializer_class = ChecksMembershipSerializer
                lookup_field = "name"

        messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E002"]  # all rows: two owners' may match
    assert messages[0].obj is ChecksUpdateAnyMembership


@isolate_apps("tests.testapp")
def test_a_lookup_unique_among_live_rows_is_no_e002_where_only_live_rows_are_read(isolated):
    """A soft delete's ``UniqueConstraint(fields=["slug"], condition=Q(deleted=False))``:
    a mutation or ``RetrieveField`` reading the live rows (``Meta.queryset``, ``queryset=``)
    looks up one row, as a viewset over them does (no E002 there); all rows may hold two."""

    ChecksLiveNote, ChecksLiveNoteSerializer = soft_deleted_model("ChecksLiveNote")
    live = ChecksLiveNote.objects.filter(deleted=False)

    class ChecksUpdateLiveNote(UpdateMutation):
        class Meta:
            serializer_class = ChecksLiveNoteSerializer
            queryset = live
            lookup_field = "slug"

    class ChecksDeleteOwnLiveNote(DeleteMutation):
        class Meta:
            serializer_class = ChecksLiveNoteSerializer
            lookup_field = "slug"

        @classmethod
        def get_queryset(cls, info):
            return live

    RetrieveField(ChecksLiveNoteSerializer, queryset=live, lookup_field="slug")
    RetrieveField(ChecksLiveNoteSerializer, queryset=lambda info: live, lookup_field="slug")
    assert check_drf_graphql_crud() == []

    class ChecksUpdateAnyNote(UpdateMutation):
        class Meta:
            serializer_class = ChecksLiveNoteSerializer
            lookup_field = "slug"

    RetrieveField(ChecksLiveNoteSerializer, lookup_field="slug")
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E002", "drf_graphql_crud.E002"]


@isolate_apps("tests.testapp")
def test_a_default_manager_of_live_rows_is_the_rows_a_mutation_reads(isolated):
    """A mutation without ``Meta.queryset`` reads the default manager's rows: one that
    selects the live rows makes a lookup unique under a conditional constraint there, as a
    filtered ``Meta.queryset`` does (E002 stopped a project whose every call worked)."""

    class ChecksLiveManager(models.Manager):
        def get_queryset(self):
            return super().get_queryset().filter(deleted=False)

    ChecksManagedNote, ChecksManagedNoteSerializer = soft_deleted_model("ChecksManagedNote")
    manager = ChecksLiveManager()
    manager.contribute_to_class(ChecksManagedNote, "live")
    ChecksManagedNote._meta.default_manager_name = "live"
    ChecksManagedNote._meta.__dict__.pop("default_manager", None)
    assert ChecksManagedNote._default_manager is ChecksManagedNote.live

    class ChecksUpdateManagedNote(UpdateMutation):
        class Meta:
            serializer_class = ChecksManagedNoteSerializer
            lookup_field = "slug"

    RetrieveField(ChecksManagedNoteSerializer, lookup_field="slug")
    assert check_drf_graphql_crud() == []


def test_serializers_that_save_their_own_way_need_no_create(isolated):
    class ChecksContactSerializer(serializers.Serializer):
        """DRF's "overriding save() directly": create() is never called."""

        title = serializers.CharField()

        def save(self, **kwargs):
            return self.validated_data

    class ChecksBulkTitles(serializers.ListSerializer):
        def create(self, validated_data):
            return Task.objects.bulk_create(Task(**item) for item in validated_data)

    class ChecksTitleSerializer(serializers.Serializer):
        title = serializers.CharField()

        class Meta:
            list_serializer_class = ChecksBulkTitles

    class ChecksSendContact(CreateMutation):
        class Meta:
            serializer_class = ChecksContactSerializer
            model = Task
            return_field_name = "contact"

    class ChecksBulkCreateTitles(BulkCreateMutation):
        class Meta:
            serializer_class = ChecksTitleSerializer
            model = Task
            return_field_name = "titled_tasks"

    class ChecksSavingTitles(serializers.ListSerializer):
        def save(self, **kwargs):
            return Task.objects.bulk_create(Task(**item) for item in self.validated_data)

    class ChecksManyInitTitleSerializer(serializers.Serializer):
        """DRF's "customizing ListSerializer initialization"."""

        title = serializers.CharField()

        @classmethod
        def many_init(cls, *args, **kwargs):
            kwargs["child"] = cls()
            return ChecksSavingTitles(*args, **kwargs)

    class ChecksBulkCreateManyInit(BulkCreateMutation):
        class Meta:
            serializer_class = ChecksManyInitTitleSerializer
            model = Task
            return_field_name = "many_init_tasks"

    assert check_drf_graphql_crud() == []


def test_under_a_projects_get_permissions_e008_is_a_warning(isolated):
    """Its own get_permissions() may read the list its own way (a staticmethod that never
    does), or extend super()'s, which instantiates each entry and fails every call."""

    class ChecksStaticPermissions(UpdateMutation):
        class Meta:
            serializer_class = ChecksReadTaskSerializer
            permission_classes = [IsAuthenticated()]  # not read: get_permissions decides

        @staticmethod
        def get_permissions(info):
            return [IsAuthenticated()]

    class ChecksExtendedPermissions(CreateMutation):
        class Meta:
            serializer_class = ChecksReadTaskSerializer
            permission_classes = [IsAuthenticated()]

        @classmethod
        def get_permissions(cls, info):
            return [*super().get_permissions(info)]  # TypeError on every call

    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.W006"] * 2
    assert [message.obj for message in messages] == [
        ChecksStaticPermissions,
        ChecksExtendedPermissions,
    ]
    assert messages[1].msg.endswith(
        "ChecksExtendedPermissions.Meta.permission_classes holds an instance of "
        "IsAuthenticated, not permission classes: every request fails when DRF instantiates "
        "them through the default get_permissions(), which the project's own "
        "get_permissions() may still call (super())."
    )
    assert "SILENCED_SYSTEM_CHECKS" in messages[1].hint


def test_writable_nested_serializer_needs_a_writer(isolated):
    class ChecksSubtaskSerializer(serializers.ModelSerializer):
        class Meta:
            model = Subtask
            fields = ["title"]

    class ChecksTaskSerializer(serializers.ModelSerializer):
        subtasks = ChecksSubtaskSerializer(many=True)

        class Meta:
            model = Task
            fields = ["title", "subtasks"]

    class ChecksCreateTask(CreateMutation):
        class Meta:
            serializer_class = ChecksTaskSerializer

    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E004"]
    assert "ChecksTaskSerializer.subtasks is a writable nested serializer" in messages[0].msg
    assert "WritableNestedModelSerializer" in messages[0].hint


def test_read_only_nested_serializer_is_fine(isolated):
    class ChecksReadSubtaskSerializer(serializers.ModelSerializer):
        class Meta:
            model = Subtask
            fields = ["title"]

    class ChecksReadTaskSerializer(serializers.ModelSerializer):
        subtasks = ChecksReadSubtaskSerializer(many=True, read_only=True)

        class Meta:
            model = Task
            fields = ["title", "subtasks"]

    class ChecksCreateReadTask(CreateMutation):
        class Meta:
            serializer_class = ChecksReadTaskSerializer

    assert check_drf_graphql_crud() == []


def test_a_nested_serializer_over_the_row_itself_is_fine(isolated):
    """DRF's create()/update() refuse nested serializers over relations only: one over
    source="*" writes its values into the row, as REST does."""

    class ChecksSummarySerializer(serializers.Serializer):
        title = serializers.CharField()
        priority = serializers.IntegerField()

    class ChecksSummarizedTaskSerializer(serializers.ModelSerializer):
        summary = ChecksSummarySerializer(source="*")

        class Meta:
            model = Task
            fields = ["id", "summary"]

    class ChecksCreateSummarizedTask(CreateMutation):
        class Meta:
            serializer_class = ChecksSummarizedTaskSerializer

    assert check_drf_graphql_crud() == []


@override_settings(DRF_GRAPHQL_CRUD={"ATOMIC_MUTATION": False})
def test_unknown_setting_is_a_warning():
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.W001"]
    assert "'ATOMIC_MUTATION'" in messages[0].msg
    assert "ATOMIC_MUTATIONS" in messages[0].hint


@override_settings(GRAPHENE={"SCHEMA": "tests.testapp.no_such_module.schema"})
def test_unimportable_schema_is_reported():
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E005"]
    assert "tests.testapp.no_such_module.schema" in messages[0].msg


@pytest.mark.parametrize("graphene_settings", [None, {}, {"SCHEMA": None}])
def test_no_schema_setting_is_checked_without_a_crash(graphene_settings):
    """``GRAPHENE = None`` raised AttributeError out of the checks (a stack trace at start-up)."""
    with override_settings(GRAPHENE=graphene_settings):
        assert check_drf_graphql_crud() == []


def test_a_schema_object_as_the_schema_setting_is_the_schema():
    """graphene-django takes the schema itself as well as its dotted path; the check
    imported it as a path: a false E005 ("Type "rsplit" not found"), which stops start-up."""
    from tests.testapp.schema import schema

    with override_settings(GRAPHENE={"SCHEMA": schema}):
        assert check_drf_graphql_crud() == []
    with override_settings(GRAPHENE={"SCHEMA": 42}):
        messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E005"]
    assert messages[0].msg == 'GRAPHENE["SCHEMA"] is 42, which is no graphene Schema.'


# ------------------------------------------------------------------ read fields: E002, E006-E008


class ChecksReadTaskSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.username", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "priority", "owner_name"]


TASK_SERIALIZER = "tests.test_checks.ChecksReadTaskSerializer"


class ChecksTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = Token
        fields = ["key", "user"]


@pytest.mark.parametrize(
    ("serializer_class", "lookup_field", "problem"),
    [
        # One row at each step (a one-to-one, then a unique field): unique.
        (ChecksTokenSerializer, "user__username", None),
        (ChecksTokenSerializer, "user__pk", None),
        # Many tasks share an owner: it works, and may match several rows.
        (ChecksReadTaskSerializer, "owner__username", "is not a unique field"),
        (ChecksReadTaskSerializer, "project__slug", "is not a unique field"),
        (ChecksReadTaskSerializer, "project__nope", "is not a field"),
        (ChecksReadTaskSerializer, "nope__slug", "is not a field"),
    ],
)
def test_lookups_through_relations(isolated, serializer_class, lookup_field, problem):
    RetrieveField(serializer_class, lookup_field=lookup_field)
    messages = check_drf_graphql_crud()
    if problem is None:
        assert messages == []
    else:
        assert ids(messages) == ["drf_graphql_crud.E002"]
        assert f"{lookup_field!r} {problem} of testapp.Task" in messages[0].msg


def test_a_single_field_unique_together_is_unique(isolated):
    from django.db import models
    from django.test.utils import isolate_apps

    with isolate_apps("tests.testapp"):

        class ChecksCoded(models.Model):
            code = models.CharField(max_length=10)
            # One row per project, by a constraint: a step to one row, as unique=True is.
            project = models.ForeignKey(Project, on_delete=models.CASCADE)

            class Meta:
                app_label = "testapp"
                unique_together = [("code",)]
                # The column's name, as Django accepts it too.
                constraints = [models.UniqueConstraint(fields=["project_id"], name="one_each")]

        class ChecksCodedSerializer(serializers.ModelSerializer):
            class Meta:
                model = ChecksCoded
                fields = ["code"]

    RetrieveField(ChecksCodedSerializer, lookup_field="code")
    RetrieveField(ChecksCodedSerializer, lookup_field="project__slug")
    assert check_drf_graphql_crud() == []


def test_unique_by_a_parents_constraint_or_an_expression_of_the_field(isolated):
    from django.db import models
    from django.db.models import Value
    from django.db.models.functions import Lower, NullIf
    from django.test.utils import isolate_apps

    with isolate_apps("tests.testapp"):

        class ChecksCodedBase(models.Model):
            code = models.CharField(max_length=10)
            email = models.EmailField()
            name = models.CharField(max_length=10)
            team = models.CharField(max_length=10)
            alias = models.CharField(max_length=10, blank=True)

            class Meta:
                app_label = "testapp"
                constraints = [
                    models.UniqueConstraint(fields=["code"], name="one_code"),
                    # Equal emails have equal lower(): no two rows share one.
                    models.UniqueConstraint(Lower("email"), name="one_email"),
                    # Over two fields, or for some rows only: not unique by itself.
                    models.UniqueConstraint(Lower("name"), "team", name="one_name_a_team"),
                    models.UniqueConstraint(
                        Lower("team"), condition=models.Q(code="x"), name="one_team_of_x"
                    ),
                    # Unique unless blank: "" becomes NULL, and NULLs do not collide.
                    models.UniqueConstraint(NullIf("alias", Value("")), name="one_alias"),
                ]

        class ChecksCodedChild(ChecksCodedBase):  # multi-table: the constraint is the parent's
            extra = models.CharField(max_length=10)

            class Meta:
                app_label = "testapp"

        class ChecksCodedChildSerializer(serializers.ModelSerializer):
            class Meta:
                model = ChecksCodedChild
                fields = ["code", "extra"]

    RetrieveField(ChecksCodedChildSerializer, lookup_field="code")
    RetrieveField(ChecksCodedChildSerializer, lookup_field="email")

    class ChecksUpdateChildByCode(UpdateMutation):
        class Meta:
            serializer_class = ChecksCodedChildSerializer
            lookup_field = "code"

    assert check_drf_graphql_crud() == []
    RetrieveField(ChecksCodedChildSerializer, lookup_field="name")
    RetrieveField(ChecksCodedChildSerializer, lookup_field="team")
    RetrieveField(ChecksCodedChildSerializer, lookup_field="alias")
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E002"] * 3
    assert "'name' is not a unique field of testapp.ChecksCodedChild" in messages[0].msg
    assert "'team' is not a unique field" in messages[1].msg
    assert "'alias' is not a unique field" in messages[2].msg


def test_retrieve_field_lookup_must_be_unique(isolated):
    RetrieveField(ChecksReadTaskSerializer, lookup_field="title")
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E002"]
    assert messages[0].msg == (
        f"RetrieveField({TASK_SERIALIZER}).lookup_field 'title' is not a unique field of "
        "testapp.Task: a lookup could match several rows."
    )
    assert messages[0].obj is ChecksReadTaskSerializer
    assert "unique=True" in messages[0].hint


def test_lookup_field_that_is_no_field_is_e002(isolated):
    RetrieveField(ChecksReadTaskSerializer, lookup_field="slug")

    class ChecksProjectSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["slug", "name"]

    class UpdateProjectByTitle(UpdateMutation):
        class Meta:
            serializer_class = ChecksProjectSerializer
            lookup_field = "title"

    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E002", "drf_graphql_crud.E002"]
    assert "UpdateProjectByTitle.Meta.lookup_field 'title' is not a field of testapp.Project" in (
        messages[0].msg
    )
    assert f"RetrieveField({TASK_SERIALIZER}).lookup_field 'slug' is not a field of " in (
        messages[1].msg
    )


def test_unique_retrieve_lookups_pass(isolated):
    RetrieveField(ChecksReadTaskSerializer)
    RetrieveField(ChecksReadTaskSerializer, lookup_field="id")

    class ChecksSlugProjectSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["slug", "name"]

    RetrieveField(ChecksSlugProjectSerializer, lookup_field="slug")
    assert check_drf_graphql_crud() == []


def test_a_list_fields_own_rows_are_known_per_request_only(isolated):
    """A ListField subclass whose get_queryset() annotates what it orders by."""

    class ChecksCountedTasks(ListField):
        def get_queryset(self, info):
            return super().get_queryset(info).annotate(n_subtasks=Count("subtasks"))

    ChecksCountedTasks(ChecksReadTaskSerializer, ordering_fields=["n_subtasks"])
    assert check_drf_graphql_crud() == []


def test_ordering_fields_the_queryset_cannot_order_by(isolated):
    ListField(
        ChecksReadTaskSerializer,
        ordering_fields=[
            "title",
            "pk",
            "project__name",  # through a relation
            "subtasks__title",  # through a reverse relation
            "due_date__year",  # a transform
            "nope",
            "project__nope",
            "title__nope",
            "owner_name",  # a serializer field, not a model field
        ],
    )
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E006"] * 4
    label = f"ListField({TASK_SERIALIZER}).ordering_fields"
    assert [m.msg for m in messages] == [
        f"{label} has 'nope': 'nope' is not a field of testapp.Task, so every request that "
        "orders by it fails.",
        f"{label} has 'project__nope': 'nope' in 'project__nope' is not a field of "
        "testapp.Project, so every request that orders by it fails.",
        f"{label} has 'title__nope': 'nope' in 'title__nope' is not a transform of 'title', "
        "so every request that orders by it fails.",
        f"{label} has 'owner_name': 'owner_name' is not a field of testapp.Task, so every "
        "request that orders by it fails.",
    ]
    assert "'__' paths" in messages[0].hint
    assert messages[3].hint == (
        "The serializer field 'owner_name' reads 'owner.username': list 'owner__username'."
    )


def test_search_fields_the_queryset_cannot_search_are_e006(isolated):
    ListField(
        ChecksReadTaskSerializer,
        search_fields=[
            "^title",
            "=project__name",
            "$notes",
            "tags__name",
            "title__istartswith",  # a lookup of its own, as SearchFilter takes it
            "=project__name__iexact",  # the prefix names the lookup: iexact__iexact
            "nope",
            "@owner_name",
            "project",  # a relation: project__icontains
            "tags",
            "=subtasks",
            "@title",  # django.contrib.postgres's lookup, not installed
        ],
    )
    messages = check_drf_graphql_crud()
    label = f"ListField({TASK_SERIALIZER}).search_fields"
    assert [(m.id, m.msg) for m in messages] == [
        (
            "drf_graphql_crud.E006",
            f"{label} has '=project__name__iexact': 'iexact' in 'project__name__iexact' is not "
            "a transform of 'name', so every request that searches fails.",
        ),
        (
            "drf_graphql_crud.E006",
            f"{label} has 'nope': 'nope' is not a field of testapp.Task, so every request "
            "that searches fails.",
        ),
        (
            "drf_graphql_crud.E006",
            f"{label} has '@owner_name': 'owner_name' is not a field of testapp.Task, so "
            "every request that searches fails.",
        ),
        (
            "drf_graphql_crud.E006",
            f"{label} has 'project': 'project' is a relation, which SearchFilter compares "
            "with __icontains (name a field of testapp.Project: project__<field>), so every "
            "request that searches fails.",
        ),
        (
            "drf_graphql_crud.E006",
            f"{label} has 'tags': 'tags' is a relation, which SearchFilter compares with "
            "__icontains (name a field of testapp.Tag: tags__<field>), so every request that "
            "searches fails.",
        ),
        (
            "drf_graphql_crud.E006",
            f"{label} has '=subtasks': 'subtasks' is a relation, which SearchFilter compares "
            "with __iexact (name a field of testapp.Subtask: subtasks__<field>), so every "
            "request that searches fails.",
        ),
        (
            "drf_graphql_crud.E006",
            f"{label} has '@title': 'title' is a CharField, which takes no __search lookup, "
            "so every request that searches fails.",
        ),
    ]


def test_search_fields_no_search_can_follow_are_e006(isolated):
    """DRF's SearchFilter looks each part up by field name (``must_call_distinct``): "pk"
    fails every search; a generic foreign key is no field any query can search."""
    from django.contrib.contenttypes.fields import GenericForeignKey
    from django.contrib.contenttypes.models import ContentType

    from drf_graphql_crud.checks import _search_problem

    with isolate_apps("tests.testapp"):

        class ChecksNote(models.Model):
            content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
            object_id = models.PositiveIntegerField()
            target = GenericForeignKey("content_type", "object_id")

            class Meta:
                app_label = "testapp"

    assert _search_problem(ChecksNote, "target", None) == (
        "'target' is a generic foreign key, which no query can search"
    )
    assert _search_problem(Task, "project__pk", None) == (
        "SearchFilter cannot follow 'pk' in 'project__pk' (name the key's field)"
    )
    ListField(ChecksReadTaskSerializer, search_fields=["pk", "project__id"])
    messages = check_drf_graphql_crud()
    assert [m.msg.split(":")[0] for m in messages] == [
        f"ListField({TASK_SERIALIZER}).search_fields has 'pk'"
    ]


class ChecksExactSearch(drf_filters.SearchFilter):
    """Compares with ``__exact``: a relation's key can be searched."""

    default_lookup = "exact"


class ChecksCountTasks(drf_filters.BaseFilterBackend):
    """Annotates the rows the ordering after it may order by."""

    def filter_queryset(self, request, queryset, view):
        return queryset.annotate(task_count=Count("tasks"))


class ChecksOwnBackendsViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Project.objects.all()
    filter_backends = [ChecksCountTasks, drf_filters.OrderingFilter, ChecksExactSearch]
    ordering = ["-task_count", "?"]
    search_fields = ["tasks"]


class ChecksMinusRandomViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Project.objects.all()
    filter_backends = [drf_filters.OrderingFilter]
    ordering = ["-?"]  # "?" is random; "-?" a field Django looks for


def test_what_a_viewsets_own_backends_make_of_names_is_theirs(isolated):
    """An annotation an earlier backend adds, and a search backend of its own lookup, are
    not judged; Django's random order is "?" alone."""
    from tests.testapp.serializers import ProjectSerializer

    for viewset in (ChecksOwnBackendsViewSet, ChecksMinusRandomViewSet):
        viewset.serializer_class = ProjectSerializer
    messages = checks_with_cruds(
        (ChecksOwnBackendsViewSet, "checksOwnBackendsProject"),
        (ChecksMinusRandomViewSet, "checksMinusRandomProject"),
    )
    assert [(m.id, m.msg.split(":")[0]) for m in messages] == [
        ("drf_graphql_crud.E006", "tests.test_checks.ChecksMinusRandomViewSet.ordering has '-?'")
    ]


def test_one_search_field_given_as_a_string_is_one_field(isolated):
    field = ListField(ChecksReadTaskSerializer, search_fields="title")
    assert field.search_fields == ("title",)
    assert check_drf_graphql_crud() == []


def test_ordering_by_annotations_passes_and_callable_querysets_are_not_guessed(isolated):
    annotated = Task.objects.annotate(subtask_count=Count("subtasks"))
    ListField(ChecksReadTaskSerializer, queryset=annotated, ordering_fields=["subtask_count"])
    # What a callable annotates is known per request only; model paths are still checked.
    ListField(
        ChecksReadTaskSerializer,
        queryset=lambda info: annotated,
        ordering_fields=["subtask_count", "project__nope"],
    )
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E006"]
    assert "'project__nope'" in messages[0].msg


class ChecksProjectFilter(django_filters.FilterSet):
    class Meta:
        model = Project
        fields = ["slug"]


class ChecksTaskFilter(django_filters.FilterSet):
    class Meta:
        model = Task
        fields = ["title"]


def test_a_callable_querysets_filter_set_is_checked_against_the_serializers_model(isolated):
    ListField(
        ChecksReadTaskSerializer,
        queryset=lambda info: Task.objects.all(),
        filterset_class=ChecksProjectFilter,
    )
    assert ids(check_drf_graphql_crud()) == ["drf_graphql_crud.E007"]


def test_a_callable_querysets_proxy_filter_set_fits(isolated):
    """The callable may pick a proxy's rows, which the proxy's filter set filters."""
    from django.test.utils import isolate_apps

    with isolate_apps("tests.testapp"):

        class ChecksOpenTask(Task):
            class Meta:
                app_label = "testapp"
                proxy = True

        class ChecksOpenTaskFilter(django_filters.FilterSet):
            class Meta:
                model = ChecksOpenTask
                fields = ["title"]

    ListField(
        ChecksReadTaskSerializer,
        queryset=lambda info: ChecksOpenTask.objects.all(),
        filterset_class=ChecksOpenTaskFilter,
    )
    assert check_drf_graphql_crud() == []


def test_a_read_field_given_a_serializer_instance_says_so():
    with pytest.raises(ImproperlyConfigured) as raised:
        ListField(ChecksReadTaskSerializer())
    assert str(raised.value) == (
        "ListField(serializer_class=...) is an instance of ChecksReadTaskSerializer, not a DRF "
        "serializer class: pass the class itself (drf_graphql_crud.E001)."
    )


def test_filterset_class_of_another_model(isolated):
    ListField(ChecksReadTaskSerializer, filterset_class=ChecksTaskFilter)
    ListField(ChecksReadTaskSerializer, filterset_class=ChecksProjectFilter)
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E007"]
    assert messages[0].msg == (
        f"ListField({TASK_SERIALIZER}).filterset_class tests.test_checks.ChecksProjectFilter "
        "filters testapp.Project, but the list holds testapp.Task: every request that sends a "
        "filter fails."
    )
    assert messages[0].obj is ChecksProjectFilter
    assert "Meta.model is Task" in messages[0].hint


def test_permission_classes_must_be_classes(isolated):
    class ChecksInstancePermissionCreate(CreateMutation):
        class Meta:
            serializer_class = ChecksReadTaskSerializer
            permission_classes = [IsAuthenticated()]

    ListField(ChecksReadTaskSerializer, permission_classes=[IsAuthenticated, IsAdminUser()])
    RetrieveField(ChecksReadTaskSerializer, permission_classes=IsAuthenticated)
    ListField(ChecksReadTaskSerializer, permission_classes=(c for c in [IsAuthenticated]))
    # Classes, compositions and DRF's default pass.
    ListField(ChecksReadTaskSerializer, permission_classes=[IsAuthenticated & IsAdminUser])
    RetrieveField(ChecksReadTaskSerializer, permission_classes=[])
    RetrieveField(ChecksReadTaskSerializer)

    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E008"] * 4
    assert messages[0].obj is ChecksInstancePermissionCreate
    assert messages[0].msg.endswith(
        "ChecksInstancePermissionCreate.Meta.permission_classes holds an instance of "
        "IsAuthenticated, not permission classes: every request fails when DRF instantiates "
        "them."
    )
    assert messages[1].msg.startswith(
        f"ListField({TASK_SERIALIZER}).permission_classes holds an instance of IsAdminUser,"
    )
    assert messages[2].msg.startswith(
        f"RetrieveField({TASK_SERIALIZER}).permission_classes is "
        "rest_framework.permissions.IsAuthenticated, not a list of permission classes"
    )
    assert "an iterator, not a list of permission classes: the first request uses it up" in (
        messages[3].msg
    )
    assert "not [IsAuthenticated()]" in messages[0].hint


# ------------------------------------------------------------------ settings: E009, W003


@override_settings(
    DRF_GRAPHQL_CRUD={
        "MAX_LIMIT": "100",
        "MAX_QUERY_DEPTH": -1,
        "ERROR_CODES": {"invalid": 5},
        "ERROR_MESSAGES": "Invalid.",
        "INTROSPECTION": "False",
    }
)
def test_settings_of_the_wrong_type():
    messages = check_drf_graphql_crud()
    assert [(m.id, m.msg) for m in messages] == [
        (
            "drf_graphql_crud.E009",
            "settings.DRF_GRAPHQL_CRUD['MAX_LIMIT'] is '100', not a positive integer.",
        ),
        (
            "drf_graphql_crud.E009",
            "settings.DRF_GRAPHQL_CRUD['MAX_QUERY_DEPTH'] is -1, not a positive integer or None.",
        ),
        (
            "drf_graphql_crud.E009",
            "settings.DRF_GRAPHQL_CRUD['ERROR_CODES'] has 'invalid': 5, not a string.",
        ),
        (
            "drf_graphql_crud.E009",
            "settings.DRF_GRAPHQL_CRUD['ERROR_MESSAGES'] is 'Invalid.', not a dict.",
        ),
        (
            "drf_graphql_crud.W003",
            "settings.DRF_GRAPHQL_CRUD['INTROSPECTION'] is 'False', not True or False: it is "
            "read by truthiness, so it means True.",
        ),
    ]
    assert messages[0].hint == "Set it to a positive integer; the default is 100."
    assert "{'invalid': 'VALIDATION_ERROR'}" in messages[2].hint


@override_settings(
    DRF_GRAPHQL_CRUD={
        "ATOMIC_MUTATIONS": False,
        "MAX_QUERY_DEPTH": None,
        "MAX_ALIASES": 0,
        "DOCUMENT_CACHE_SIZE": 0,
        "MAX_LIMIT": 1,
        "ERROR_MESSAGES": {"VALIDATION_ERROR": gettext_lazy("Check it."), "THROTTLED": None},
        "INTEGRITY_ERROR_MESSAGE": gettext_lazy("Taken."),
    }
)
def test_settings_of_the_right_type_pass():
    assert check_drf_graphql_crud() == []


@pytest.mark.parametrize(
    "key", ["MAX_LIMIT", "MAX_QUERY_DEPTH", "MAX_QUERY_LENGTH", "MAX_QUERY_TOKENS"]
)
def test_a_limit_of_zero_that_would_refuse_everything_is_e009(key, settings):
    """0 would answer every list with no rows, or refuse every document."""
    settings.DRF_GRAPHQL_CRUD = {key: 0}
    [message] = check_drf_graphql_crud()
    assert message.id == "drf_graphql_crud.E009"
    assert message.msg.startswith(f"settings.DRF_GRAPHQL_CRUD[{key!r}] is 0, not a positive")


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_integrity_error_message_is_e009(value, settings):
    """It is sent as the message of a conflict the serializer cannot explain: an empty one
    told the client nothing (as an empty ERROR_MESSAGES entry, E009 already)."""
    settings.DRF_GRAPHQL_CRUD = {"INTEGRITY_ERROR_MESSAGE": value}
    [message] = check_drf_graphql_crud()
    assert (message.id, message.msg) == (
        "drf_graphql_crud.E009",
        f"settings.DRF_GRAPHQL_CRUD['INTEGRITY_ERROR_MESSAGE'] is {value!r}, "
        "not a non-empty string.",
    )


@pytest.mark.parametrize("key", ["ERROR_CODES", "ERROR_MESSAGES"])
def test_an_empty_code_or_message_is_e009(key, settings):
    """An empty code would be sent as the error's code; None keeps the default."""
    settings.DRF_GRAPHQL_CRUD = {key: {"internal_error": " "}}
    [message] = check_drf_graphql_crud()
    assert message.id == "drf_graphql_crud.E009"
    assert "has 'internal_error': ' ', an empty string (None keeps the default)" in message.msg


@pytest.mark.parametrize("value", [["MAX_LIMIT"], "MAX_LIMIT"])
def test_settings_that_are_not_a_dict_are_e009(value, settings):
    settings.DRF_GRAPHQL_CRUD = value
    assert [(m.id, m.msg) for m in check_drf_graphql_crud()] == [
        ("drf_graphql_crud.E009", f"settings.DRF_GRAPHQL_CRUD is {value!r}, not a dict.")
    ]


def test_a_project_type_under_a_generated_name_is_w004(isolated):
    """graphene keeps the first type of a name it meets: the project's input would become
    the mutation's, or its output type the payload's, without a word."""

    class ChkClashSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["slug", "name"]

    class ChkClashInput(graphene.InputObjectType):  # the project's own, older input
        name = graphene.String()
        color = graphene.String()

    class ChkClashOutput(graphene.ObjectType):
        id = graphene.ID()

    class ChkCreateClash(CreateMutation):
        class Meta:
            serializer_class = ChkClashSerializer

    messages = [m for m in check_drf_graphql_crud() if m.id == "drf_graphql_crud.W004"]
    assert sorted((m.obj.__name__, m.msg.split(" is used by ")[0]) for m in messages) == [
        ("ChkClashInput", "The GraphQL type name 'ChkClashInput'"),
        ("ChkClashOutput", "The GraphQL type name 'ChkClashOutput'"),
    ]
    assert "Meta.graphql_name" in messages[0].hint


def test_a_type_under_a_lists_page_name_is_w004_or_e003(isolated):
    """A ListField's page type, <X>OutputList, was made without its name claimed: a type of
    the project's, or another of the library's, under it went unreported, and graphene
    answered one field with the other's type."""
    from drf_graphql_crud import SerializerObjectType

    class ChkPagedSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["id", "slug"]

    class ChkPagedOutputList(graphene.ObjectType):  # the project's own, older type
        id = graphene.ID()

    ListField(ChkPagedSerializer)
    messages = [m for m in check_drf_graphql_crud() if "ChkPagedOutputList" in m.msg]
    assert ids(messages) == ["drf_graphql_crud.W004"]

    class ChkTagPagedSerializer(serializers.ModelSerializer):
        class Meta:
            model = Project
            fields = ["slug"]

    class ChkTagPagedOutputList(SerializerObjectType):  # the library's, named alike
        class Meta:
            serializer_class = ChkPagedSerializer

    ListField(ChkTagPagedSerializer)
    messages = [m for m in check_drf_graphql_crud() if "ChkTagPagedOutputList" in m.msg]
    assert ids(messages) == ["drf_graphql_crud.E003"]


def test_a_served_schema_graphql_refuses_is_e011(isolated, settings):
    """graphql-core refuses a type of no fields when the first request comes, and then
    every request, a ``{ __typename }`` included: the checks say so at start-up."""

    class ChkEmptyInput(graphene.InputObjectType):
        pass

    schema = graphene.Schema(
        query=type(
            "ChkEmptyQuery",
            (graphene.ObjectType,),
            {"echo": graphene.String(value=graphene.Argument(ChkEmptyInput))},
        )
    )
    messages = checks_with_the_schema_served(settings, schema)
    assert ids(messages) == ["drf_graphql_crud.E011"]
    assert messages[0].msg == (
        "The GraphQL schema of ChkEmptyQuery is invalid, and every request to it would fail: "
        "Input Object type ChkEmptyInput must define one or more fields."
    )
    assert messages[0].obj is schema


class ChkListTemplateView(DRFGraphQLView):
    """A page template chosen from a list, as Django's ``render()`` takes it."""

    graphiql_template = ["chk/graphiql.html", "graphene/graphiql.html"]


class ChkPlaygroundView(DRFGraphQLView):
    """An IDE page of its own: no template."""

    def render_graphiql(self, request, **data):
        return HttpResponse("<html><body>playground</body></html>")


class ChkClassFlagView(DRFGraphQLView):
    graphiql = True  # graphene-django serves the page whatever as_view(graphiql=False) says


def test_graphiql_served_without_its_template_is_e013(settings):
    """Without ``graphene_django`` in ``INSTALLED_APPS`` the JSON endpoint works, but
    GraphiQL's page is a 500 on every visit (``TemplateDoesNotExist``): said at start-up,
    once per view however often it is routed."""
    from tests.testapp.schema import schema

    views = (
        DRFGraphQLView.as_view(schema=schema, graphiql=True),
        DRFGraphQLView.as_view(schema=schema, graphiql=True),
        DRFGraphQLView.as_view(schema=schema),  # no page, nothing to say
        ChkClassFlagView.as_view(schema=schema, graphiql=False),
    )
    assert ids(checks_with_views(settings, *views)) == []
    messages = checks_with_views(settings, *views, graphene_django=False)
    assert [(m.id, m.obj) for m in messages] == [
        ("drf_graphql_crud.E013", ChkClassFlagView),
        ("drf_graphql_crud.E013", DRFGraphQLView),
    ]
    assert messages[1].msg == (
        "DRFGraphQLView serves GraphiQL (graphiql=True), but its page's template "
        "'graphene/graphiql.html' cannot be found: every browser visit would fail."
    )
    assert messages[1].hint.startswith("Add 'graphene_django' to INSTALLED_APPS")


def test_a_graphiql_page_of_the_projects_own_is_no_e013(settings):
    """A template list Django's ``render()`` chooses from, and a page ``render_graphiql``
    makes without one: judged as graphene-django serves them."""
    from tests.testapp.schema import schema

    listed = ChkListTemplateView.as_view(schema=schema, graphiql=True)
    own = ChkPlaygroundView.as_view(schema=schema, graphiql=True)
    assert ids(checks_with_views(settings, listed, own)) == []
    messages = checks_with_views(settings, listed, own, graphene_django=False)
    assert [(m.id, m.obj) for m in messages] == [("drf_graphql_crud.E013", ChkListTemplateView)]
    assert "'chk/graphiql.html' or 'graphene/graphiql.html' cannot be found" in messages[0].msg


# ------------------------------------------------------------------ what the checks see


def test_the_checks_see_schemas_only_the_urlconf_names():
    """``manage.py check --tag drf_graphql_crud`` runs no URL check that would import the
    URLconf first: the library's checks load it themselves (a fresh process, so nothing
    else imported it)."""
    root = Path(__file__).resolve().parents[1]
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "DJANGO_SETTINGS_MODULE": "tests.settings_urlconf_schema",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--tag", "drf_graphql_crud"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "drf_graphql_crud.E002" in result.stderr
    assert "UpdateProjectByName" in result.stderr


@pytest.mark.skipif(django.VERSION < (5, 2), reason="CompositePrimaryKey: Django 5.2+")
def test_a_lookup_by_a_composite_primary_key_is_refused(isolated):
    """The default lookup ("pk") of a model whose key is composite matches no value a
    client can send (REST's detail routes give 404 alike): every call NOT_FOUND."""
    from django.db import models
    from django.test.utils import isolate_apps

    with isolate_apps("tests.testapp"):

        class ChecksRelease(models.Model):
            pk = models.CompositePrimaryKey("code", "version")
            code = models.CharField(max_length=10)
            version = models.IntegerField()

            class Meta:
                app_label = "testapp"

        class ChecksReleaseSerializer(serializers.ModelSerializer):
            class Meta:
                model = ChecksRelease
                fields = ["code", "version"]

    class DeleteChecksRelease(DeleteMutation):
        class Meta:
            model = ChecksRelease

    RetrieveField(ChecksReleaseSerializer)
    messages = check_drf_graphql_crud()
    assert ids(messages) == ["drf_graphql_crud.E002", "drf_graphql_crud.E002"]
    assert "'pk' is the composite primary key of testapp.ChecksRelease" in messages[0].msg
