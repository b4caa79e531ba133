"""Every failure is one GraphQL error on the mutation's path, with DRF's code, status and words.

The error table of the design: VALIDATION_ERROR 400 (with every field error at the client's
camelCase dotted path), NOT_AUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404,
THROTTLED 429, any other ``APIException`` its own code and status, and anything else
INTERNAL_SERVER_ERROR 500 without a word of detail.
"""

import datetime
import json
import logging
import sqlite3
import sys
import zoneinfo
from types import SimpleNamespace

import django
import django_filters
import graphene
import pytest
from django.core.exceptions import NON_FIELD_ERRORS, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, ProgrammingError, connection
from django.db.backends.postgresql.psycopg_any import NumericRange
from django.http import Http404
from django.test import override_settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from graphene_django.views import GraphQLView
from graphql import GraphQLError, GraphQLList, GraphQLNonNull
from rest_framework import exceptions, serializers, viewsets
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import APIView

from drf_graphql_crud import (
    BulkCreateMutation,
    CreateMutation,
    DRFGraphQLView,
    ListField,
    SerializerMutation,
    ViewSetCrud,
)
from drf_graphql_crud.errors import (
    client_path,
    error_code,
    flatten_validation_errors,
    integrity_violation,
    internal_error,
    to_graphql_error,
)
from tests.factories import ProjectFactory, TaskFactory, UserFactory
from tests.tables import tables
from tests.testapp.models import Project, Subtask, Task
from tests.testapp.schema import schema
from tests.testapp.serializers import EchoSerializer, ProjectSerializer, TaskSerializer

pytestmark = pytest.mark.django_db

TASK = "task { id title }"


# ------------------------------------------------------------------------------ helpers


def failure(body):
    """``(data, errors)`` of a response, each error without its ``locations``."""
    assert set(body) == {"data", "errors"}
    errors = [
        {key: value for key, value in error.items() if key != "locations"}
        for error in body["errors"]
    ]
    return body["data"], errors


def failed(mutation, message, extensions):
    """The whole response of a mutation that failed with one error."""
    return (
        {mutation: None},
        [{"message": message, "path": [mutation], "extensions": extensions}],
    )


def invalid(*errors):
    return {"code": "VALIDATION_ERROR", "status": 400, "errors": list(errors)}


def field_error(field, message, code):
    return {"field": field, "message": message, "code": code}


def create_task(mutation="createTask", fields=TASK):
    return f"mutation($input: TaskInput!) {{ {mutation}(input: $input) {{ {fields} }} }}"


def graphql_type(name):
    return schema.graphql_schema.get_type(name)


def argument_type(mutation, argument="input"):
    return schema.graphql_schema.mutation_type.fields[mutation].args[argument].type


@pytest.fixture
def alice(gql):
    user = UserFactory(username="alice")
    gql.force_login(user)
    return user


def counts():
    return Task.objects.count(), Subtask.objects.count(), Project.objects.count()


# ------------------------------------------------------------------------------ local schema


class ErrPointSerializer(serializers.Serializer):
    x_value = serializers.IntegerField(max_value=10)


class ErrCheckedJSONField(serializers.JSONField):
    """A JSON value checked as a whole: its own error is the value's, at the field."""

    def to_internal_value(self, data):
        if isinstance(data, dict) and data.get("refused"):
            raise serializers.ValidationError({"non_field_errors": ["Value refused."]})
        return super().to_internal_value(data)


class ErrScoresSerializer(serializers.Serializer):
    """A ListField and a DictField whose child errors GraphQL's own types cannot catch."""

    scores = serializers.ListField(child=serializers.IntegerField(min_value=0), required=False)
    labels = serializers.DictField(child=serializers.CharField(max_length=3), required=False)
    # A JSON value: the client writes the nested serializer's own (snake_case) keys.
    point_map = serializers.DictField(child=ErrPointSerializer(), required=False)
    label_map = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(max_length=3)), required=False
    )
    label_groups = serializers.DictField(
        child=serializers.ListField(
            child=serializers.DictField(child=serializers.CharField(max_length=3))
        ),
        required=False,
    )
    checked = ErrCheckedJSONField(required=False)

    def create(self, validated_data):
        return validated_data


class ErrRecordScores(SerializerMutation):
    class Meta:
        serializer_class = ErrScoresSerializer
        return_field_name = "scores"


class ErrSlotSerializer(serializers.Serializer):
    starts = serializers.DateTimeField()


#: The labels ErrMomentsSerializer.validate_label saw: a validator with a side effect.
validated_labels: list[str] = []


class ErrMomentsSerializer(serializers.Serializer):
    """Date-times at every kind of place: a field, a list's item, a nested item, a dict's."""

    label = serializers.CharField(required=False)
    at = serializers.DateTimeField(required=False)
    ats = serializers.ListField(child=serializers.DateTimeField(), required=False)
    slots = ErrSlotSerializer(many=True, required=False)
    stamps = serializers.DictField(child=serializers.DateTimeField(), required=False)

    def validate_label(self, value):
        validated_labels.append(value)
        return value

    def create(self, validated_data):
        return validated_data


class ErrRecordMoments(SerializerMutation):
    class Meta:
        serializer_class = ErrMomentsSerializer
        return_field_name = "moments"


class ErrEastSerializer(serializers.Serializer):
    """Renders a naive copy of its input in Paris, as a ``-> datetime`` value may come."""

    at = serializers.DateTimeField()
    at_paris = serializers.DateTimeField(
        source="naive", read_only=True, default_timezone=zoneinfo.ZoneInfo("Europe/Paris")
    )

    def create(self, validated_data):
        return {**validated_data, "naive": validated_data["at"].replace(tzinfo=None)}


class ErrRecordEast(SerializerMutation):
    class Meta:
        serializer_class = ErrEastSerializer
        return_field_name = "moment"


class ErrLegacySerializer(serializers.Serializer):
    """Keeps its date-time as naive UTC (a legacy store), rendered made aware in Tokyo."""

    at = serializers.DateTimeField(default_timezone=zoneinfo.ZoneInfo("Asia/Tokyo"))

    def create(self, validated_data):
        at = validated_data["at"].astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return {"at": at}


class ErrRecordLegacy(SerializerMutation):
    class Meta:
        serializer_class = ErrLegacySerializer
        return_field_name = "moment"


class ErrCreateCleanProject(CreateMutation):
    """Runs the model's own validation (``full_clean()``) in perform_create, as many apps do."""

    class Meta:
        serializer_class = ProjectSerializer

    @classmethod
    def perform_create(cls, serializer, info):
        project = Project(**serializer.validated_data)
        project.full_clean()
        project.save()
        return project


class ErrRenamedTaskSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="title")
    due = serializers.DateField(source="due_date", required=False)

    class Meta:
        model = Task
        fields = ["id", "label", "due", "notes"]


class ErrCreateRenamedTask(CreateMutation):
    """The model's own validation, run in perform_create, names its fields (``due_date``)."""

    class Meta:
        serializer_class = ErrRenamedTaskSerializer

    @classmethod
    def perform_create(cls, serializer, info):
        raise DjangoValidationError(
            {"due_date": ["Too late."], "title": ["Too short."], "notes": ["No notes."]}
        )


class ErrBulkCreateRenamedTask(BulkCreateMutation):
    """A hook saving the list refuses it about its items' fields: model and DRF names."""

    class Meta:
        serializer_class = ErrRenamedTaskSerializer

    @classmethod
    def perform_create(cls, serializer, info):
        if serializer.validated_data[0]["notes"] == "drf":
            raise serializers.ValidationError({"notes": ["Clash."], "due_date": ["Taken."]})
        raise DjangoValidationError({"due_date": ["Too late."], "title": ["Too short."]})


class ErrHiddenOwnerTaskSerializer(serializers.ModelSerializer):
    creator = serializers.HiddenField(source="owner", default=None)

    class Meta:
        model = Task
        fields = ["id", "title", "creator"]


class ErrCreateHiddenOwnerTask(CreateMutation):
    """Refuses about the model field a hidden field writes: no field of the input type."""

    class Meta:
        serializer_class = ErrHiddenOwnerTaskSerializer

    @classmethod
    def perform_create(cls, serializer, info):
        raise serializers.ValidationError({"owner": ["Owner is required."]})


class ErrQuery(graphene.ObjectType):
    ping = graphene.String(default_value="pong")
    err_projects = ListField(ProjectSerializer, ordering_fields=["slug"])
    crash = graphene.String()

    @staticmethod
    def resolve_crash(root, info):
        """A project's own resolver with a bug in it."""
        raise RuntimeError("SELECT secret FROM internals")


class ErrCrashView(APIView):
    """The same bug in a REST view: Django answers a 500 and logs it."""

    def post(self, request):
        raise RuntimeError("SELECT secret FROM internals")


class ErrMutation(graphene.ObjectType):
    err_record_scores = ErrRecordScores.Field()
    err_record_moments = ErrRecordMoments.Field()
    err_record_east = ErrRecordEast.Field()
    err_record_legacy = ErrRecordLegacy.Field()
    err_create_clean_project = ErrCreateCleanProject.Field()
    err_create_renamed_task = ErrCreateRenamedTask.Field()
    err_bulk_create_renamed_task = ErrBulkCreateRenamedTask.Field()
    err_create_hidden_owner_task = ErrCreateHiddenOwnerTask.Field()


err_schema = graphene.Schema(query=ErrQuery, mutation=ErrMutation)
urlpatterns = [
    path("graphql/", csrf_exempt(GraphQLView.as_view(schema=err_schema))),
    path("drf-graphql/", DRFGraphQLView.as_view(schema=err_schema)),
    path("rest-crash/", ErrCrashView.as_view()),
]


@pytest.fixture
def closed_projects(monkeypatch):
    """Project.clean() refuses every project, as a model-level rule would."""

    def clean(self):
        raise DjangoValidationError("Projects are closed for the season.", code="closed")

    monkeypatch.setattr(Project, "clean", clean)


# ------------------------------------------------------------------------------ VALIDATION_ERROR


@pytest.mark.urls(__name__)
@override_settings(TIME_ZONE="Europe/Paris")
@pytest.mark.parametrize(
    "given, field",
    [
        ({"at": "0001-01-01T00:00:00"}, "at"),
        ({"ats": ["2026-01-01T00:00:00", "0001-01-01T00:00:00"]}, "ats.1"),
        (
            {"slots": [{"starts": "2026-01-01T00:00"}, {"starts": "0001-01-01T00:00"}]},
            "slots.1.starts",
        ),
        ({"stamps": {"fine": "2026-01-01T00:00", "early": "0001-01-01T00:00"}}, "stamps.early"),
    ],
)
def test_a_naive_date_time_beyond_the_range_in_utc_is_the_fields_overflow(gql, given, field):
    """Made aware in Paris, 0001-01-01T00:00 is before year 1 in UTC: DRF's DateTimeField
    raises OverflowError outside its own checks (REST's 500). It is the field's own
    "overflow" error, as the same value given with an offset is under REST."""
    status, body = gql(
        "mutation($input: ErrMomentsInput!) { errRecordMoments(input: $input) { moments { at } } }",
        {"input": given},
    )
    assert body["data"] == {"errRecordMoments": None}
    assert body["errors"][0]["extensions"] == {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [{"field": field, "message": "Datetime value out of range.", "code": "overflow"}],
    }
    with_offset = serializers.DateTimeField()
    with pytest.raises(serializers.ValidationError) as refused:
        with_offset.run_validation("0001-01-01T00:00:00+01:00")
    assert refused.value.detail == [ErrorDetail("Datetime value out of range.", code="overflow")]


@pytest.mark.urls(__name__)
@override_settings(TIME_ZONE="Europe/Paris")
@pytest.mark.parametrize(
    "given",
    [
        {"label": "x", "at": "0001-01-01T00:00:00"},
        {"label": "x", "slots": [{"starts": "0001-01-01T00:00"}]},
    ],
)
def test_an_overflowing_date_time_validates_the_other_fields_once(gql, given, monkeypatch):
    """The date-time was guarded where it raised and the input validated again: a validator
    with a side effect (an audit row, a counter) before it ran twice, where REST's runs once
    for the same instant given with its offset."""
    monkeypatch.setattr(sys.modules[__name__], "validated_labels", [])
    status, body = gql(
        "mutation($input: ErrMomentsInput!) { errRecordMoments(input: $input) { moments { at } } }",
        {"input": given},
    )
    assert body["errors"][0]["extensions"]["errors"][0]["code"] == "overflow"
    assert validated_labels == ["x"]


@pytest.mark.urls(__name__)
@override_settings(TIME_ZONE="Europe/Paris")
def test_an_overflowing_date_time_comes_with_the_inputs_other_errors(gql):
    """As REST lists every field's error for the same value given with an offset."""
    status, body = gql(
        "mutation($input: ErrMomentsInput!) { errRecordMoments(input: $input) { moments { at } } }",
        {
            "input": {
                "at": "0001-01-01T00:00:00",
                "slots": [{"starts": "0001-01-01T00:00"}, {"starts": "soon"}],
                "stamps": {"late": "0001-01-01T00:00"},
            }
        },
    )
    assert [
        (error["field"], error["code"]) for error in body["errors"][0]["extensions"]["errors"]
    ] == [
        ("at", "overflow"),
        ("slots.0.starts", "overflow"),
        ("slots.1.starts", "invalid"),
        ("stamps.late", "overflow"),
    ]


def span_api(rf, **field_options):
    """A model with a column DRF has no serializer field for (django.contrib.postgres's
    integer range: DRF's ``ModelField`` reads it with the model field's ``to_python()``),
    served by a ``CreateMutation`` (``createSpan``), a ``ViewSetCrud`` (``createErrSpan``),
    one over a viewset with its own create and update actions (``createOwnSpan``) and
    REST; answers (model, post a GraphQL document, the REST create view, the names
    ``validate_name`` was called with, in order)."""
    from django.contrib.postgres.fields import DateRangeField, IntegerRangeField
    from django.db import models
    from django.test.utils import isolate_apps
    from rest_framework import viewsets

    from drf_graphql_crud import ViewSetCrud

    with isolate_apps("tests.testapp"):

        class ErrSpan(models.Model):
            name = models.CharField(max_length=20)
            span = IntegerRangeField(null=True)
            days = DateRangeField(null=True)
            at = models.DateTimeField(null=True)

            class Meta:
                app_label = "testapp"

    validated_names = []

    class ErrSpanSerializer(serializers.ModelSerializer):
        class Meta:
            model = ErrSpan
            fields = ["id", "name", "span", "days", "at"]
            extra_kwargs = field_options

        def validate_name(self, value):
            validated_names.append(value)  # a side effect, as a one-time token's use
            return value

    class ErrSpanViewSet(viewsets.ModelViewSet):
        queryset = ErrSpan.objects.all()
        serializer_class = ErrSpanSerializer

    class ErrOwnSpanViewSet(ErrSpanViewSet):
        """Actions of its own, validating as DRF's mixins do."""

        def create(self, request, *args, **kwargs):
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            serializer.save()
            return Response(serializer.data, status=201)

        def partial_update(self, request, *args, **kwargs):
            serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            serializer.save()
            return Response(serializer.data)

    class CreateSpan(CreateMutation):
        class Meta:
            serializer_class = ErrSpanSerializer
            return_field_name = "span"

    crud = ViewSetCrud(ErrSpanViewSet)
    own = ViewSetCrud(ErrOwnSpanViewSet, name="ownSpan")
    schema = graphene.Schema(
        query=type("Query", (crud.Query, own.Query, graphene.ObjectType), {}),
        mutation=type(
            "Mutation",
            (crud.Mutation, own.Mutation, graphene.ObjectType),
            {"create_span": CreateSpan.Field()},
        ),
    )
    view = csrf_exempt(DRFGraphQLView.as_view(schema=schema))

    def post(query, variables):
        body = json.dumps({"query": query, "variables": variables})
        return json.loads(view(rf.post("/", body, content_type="application/json")).content)

    return ErrSpan, post, ErrSpanViewSet.as_view({"post": "create"}), validated_names


SPAN_CREATES = (
    'mutation($v: JSONValue) { createSpan(input: {name: "", span: $v}) { span { id } } }',
    'mutation($v: JSONValue) { createErrSpan(input: {name: "", span: $v}) { errSpan { id } } }',
    'mutation($v: JSONValue) { createOwnSpan(input: {name: "", span: $v}) { ownSpan { id } } }',
)


@pytest.mark.parametrize(
    "span",
    ["[1,5)", [1], "null", {"lower": 1, "upper": 5}, 1],
    ids=["not-json", "one-bound", "null-text", "object", "number"],
)
def test_a_value_a_model_field_cannot_read_is_the_fields_invalid_error(
    isolated_registry, rf, caplog, span
):
    """The model field's ``to_python()`` raises what it likes for a value it cannot read
    (a ``JSONDecodeError``, an ``IndexError``, a ``TypeError``), past DRF's ``ModelField``,
    or keeps it as it is where the column cannot take it (an object, a number): REST's 500,
    at validation or at the save. It is that field's ``invalid``, in DRF's words, with the
    input's other errors, from a mutation and from a ``ViewSetCrud`` alike; the input is
    validated once (the name's validator runs once), and what was raised is logged."""
    _, post, rest_create, validated_names = span_api(rf)
    invalid_span = {"field": "span", "message": "Invalid input.", "code": "invalid"}
    too_long = {
        "field": "name",
        "message": "Ensure this field has no more than 20 characters.",
        "code": "max_length",
    }
    for query, field in zip(
        SPAN_CREATES, ("createSpan", "createErrSpan", "createOwnSpan"), strict=True
    ):
        body = post(query.replace('name: ""', 'name: "' + "n" * 21 + '"'), {"v": span})
        assert body["data"] == {field: None}
        assert body["errors"][0]["extensions"] == {
            "code": "VALIDATION_ERROR",
            "status": 400,
            "errors": [too_long, invalid_span],
        }
    assert len(validated_names) == 0  # max_length refused the name before its validator
    for query in SPAN_CREATES:
        post(query.replace('name: ""', 'name: "n"'), {"v": span})
    assert validated_names == ["n", "n", "n"]
    if isinstance(span, str | list):  # to_python() raised: the log says what
        logged = [r for r in caplog.records if r.name == "drf_graphql_crud"]
        assert logged
        assert logged[0].getMessage() == "ModelField could not read the value given for 'span'"
        assert logged[0].exc_info is not None
    request = rf.post("/", json.dumps({"name": "n", "span": span}), content_type="application/json")
    if isinstance(span, str | list):
        with pytest.raises((ValueError, LookupError, TypeError)):
            rest_create(request)


def test_model_fields_in_lists_and_nested_inputs_are_read_once_each(isolated_registry, rf):
    """Where the input reaches a ``ModelField`` (a list's item, a nested serializer's
    field, a list of nested items sharing one child): each error at its place, all at once,
    every validator run once."""
    from django.contrib.postgres.fields import IntegerRangeField

    calls = []

    def span_field():
        return serializers.ModelField(model_field=IntegerRangeField(), required=False)

    class ErrLegSerializer(serializers.Serializer):
        span = span_field()

    class ErrTripSerializer(serializers.Serializer):
        name = serializers.CharField()
        spans = serializers.ListField(child=span_field(), required=False)
        first = ErrLegSerializer(required=False)
        legs = ErrLegSerializer(many=True, required=False)

        def validate_name(self, value):
            calls.append(value)
            return value

    class ErrPlanTrip(SerializerMutation):
        class Meta:
            serializer_class = ErrTripSerializer

        @classmethod
        def perform_mutate(cls, serializer, info):
            return serializer.validated_data

    schema = graphene.Schema(
        query=ErrQuery, mutation=type("M", (graphene.ObjectType,), {"plan": ErrPlanTrip.Field()})
    )
    view = csrf_exempt(DRFGraphQLView.as_view(schema=schema))
    document = "mutation($input: ErrTripInput!) { plan(input: $input) { errTrip { name } } }"
    given = {
        "name": "away",
        "spans": [[1, 2], "[1,2)"],
        "first": {"span": [1]},
        "legs": [{"span": [3, 4]}, {"span": "null"}, {"span": {"lower": 1}}],
    }
    body = json.dumps({"query": document, "variables": {"input": given}})
    answer = json.loads(view(rf.post("/", body, content_type="application/json")).content)
    invalid = "Invalid input."
    assert answer["errors"][0]["extensions"]["errors"] == [
        {"field": "spans.1", "message": invalid, "code": "invalid"},
        {"field": "first.span", "message": invalid, "code": "invalid"},
        {"field": "legs.1.span", "message": invalid, "code": "invalid"},
        {"field": "legs.2.span", "message": invalid, "code": "invalid"},
    ]
    assert calls == ["away"]


def test_which_model_fields_the_input_reaches_is_read_off_each_serializer(isolated_registry, rf):
    """One serializer class, two mutations: one drops the ``ModelField`` in its
    ``get_serializer()`` (a field per caller, as the README's hook allows). Neither the
    order of the calls nor the other's fields change an answer."""
    from django.contrib.postgres.fields import IntegerRangeField

    class ErrSpanTagSerializer(serializers.ModelSerializer):
        span = serializers.ModelField(model_field=IntegerRangeField(), required=False)

        class Meta:
            model = Project
            fields = ["name", "slug", "span"]

    class ErrNameSerializer(serializers.Serializer):
        name = serializers.CharField()

    class ErrFull(SerializerMutation):
        class Meta:
            serializer_class = ErrSpanTagSerializer
            output_serializer_class = ErrNameSerializer
            return_field_name = "named"

        @classmethod
        def perform_mutate(cls, serializer, info):
            return serializer.validated_data

    class ErrLimited(ErrFull):
        class Meta:
            serializer_class = ErrSpanTagSerializer
            output_serializer_class = ErrNameSerializer
            return_field_name = "named"

        @classmethod
        def get_serializer(cls, info, *args, **kwargs):
            serializer = super().get_serializer(info, *args, **kwargs)
            serializer.fields.pop("span")
            return serializer

    schema = graphene.Schema(
        query=ErrQuery,
        mutation=type(
            "M", (graphene.ObjectType,), {"full": ErrFull.Field(), "limited": ErrLimited.Field()}
        ),
    )
    view = csrf_exempt(DRFGraphQLView.as_view(schema=schema))

    def post(field, span=None):
        given = (
            {"name": "a", "slug": "a"} if span is None else {"name": "a", "slug": "a", "span": span}
        )
        document = f"mutation($input: ErrSpanTagInput!) {{ {field}(input: $input) {{ named {{ name }} }} }}"
        body = json.dumps({"query": document, "variables": {"input": given}})
        return json.loads(view(rf.post("/", body, content_type="application/json")).content)

    refused = {
        "code": "VALIDATION_ERROR",
        "status": 400,
        "errors": [{"field": "span", "message": "Invalid input.", "code": "invalid"}],
    }
    for _ in range(2):
        assert post("full", {"lower": 1})["errors"][0]["extensions"] == refused
        assert post("limited") == {"data": {"limited": {"named": {"name": "a"}}}}


OWN_OVERFLOW = {
    "code": "VALIDATION_ERROR",
    "status": 400,
    "errors": [{"field": "at", "message": "Datetime value out of range.", "code": "overflow"}],
}


@override_settings(TIME_ZONE="Europe/Paris")
def test_a_viewsets_own_create_answers_an_overflow_as_the_fields(isolated_registry, rf):
    """A viewset's own ``create()`` validates itself: a naive date-time out of range once
    made aware (DRF lets its ``OverflowError`` escape) is the field's ``overflow``, as the
    library's own validation gives it, not the ``NOT_FOUND`` of a lookup beyond the
    column's range."""
    _, post, _, _ = span_api(rf)
    document = (
        'mutation { createOwnSpan(input: {name: "r", at: "0001-01-01T00:00:00"}) '
        "{ ownSpan { id } } }"
    )
    assert post(document, {})["errors"][0]["extensions"] == OWN_OVERFLOW


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="range columns exist on PostgreSQL only"
)
@override_settings(TIME_ZONE="Europe/Paris")
@pytest.mark.django_db(transaction=True)  # the table is made and dropped around the test
def test_a_viewsets_own_update_answers_the_inputs_errors(isolated_registry, rf):
    """The same for its own ``partial_update()``, which looks the row up first; and a
    range's bounds given as a list are read by the base field (a date's text is a date;
    one it refuses is its error, in its words), as the range's JSON text's are."""
    model, post, _, _ = span_api(rf)
    with tables(model):
        row = model.objects.create(name="r")
        update = (
            f"mutation($input: ErrSpanPartialInput!) {{ updateOwnSpan(id: {row.pk}, "
            "input: $input) { ownSpan { days } } }"
        )
        body = post(update, {"input": {"at": "0001-01-01T00:00:00"}})
        assert body["errors"][0]["extensions"] == OWN_OVERFLOW
        body = post(update, {"input": {"days": ["2020-01-01", "2020-02-30"]}})
        assert body["errors"][0]["extensions"]["errors"] == [
            {
                "field": "days",
                "message": "“2020-02-30” value has the correct format (YYYY-MM-DD) but it is "
                "an invalid date.",
                "code": "invalid_date",
            }
        ]
        body = post(update, {"input": {"days": ["2020-01-01", "2020-02-01"]}})
        assert body == {
            "data": {
                "updateOwnSpan": {
                    "ownSpan": {
                        "days": '{"bounds": "[)", "lower": "2020-01-01", "upper": "2020-02-01"}'
                    }
                }
            }
        }


@pytest.mark.skipif(
    connection.vendor == "sqlite" and sys.version_info < (3, 11),
    reason="sqlite3 before Python 3.11 names no type in its binding error: a server's own",
)
@pytest.mark.django_db(transaction=True)  # the table is made and dropped around the test
def test_an_object_no_driver_binds_is_the_bulk_items_refusal(isolated_registry, rf):
    """A model field of the project's that keeps any value (``Field.to_python()``): an
    object given for its text column is refused by the driver as the item is saved, a
    refused value of that item (``1``), the other items unwritten."""
    from django.db import models
    from django.test.utils import isolate_apps

    class ErrNoteField(models.Field):
        def db_type(self, connection):
            return "text"

    with isolate_apps("tests.testapp"):

        class ErrNote(models.Model):
            body = ErrNoteField()

            class Meta:
                app_label = "testapp"

    class ErrNoteSerializer(serializers.ModelSerializer):
        class Meta:
            model = ErrNote
            fields = ["id", "body"]

    class ErrBulkNotes(BulkCreateMutation):
        class Meta:
            serializer_class = ErrNoteSerializer

    schema = graphene.Schema(
        query=ErrQuery, mutation=type("M", (graphene.ObjectType,), {"notes": ErrBulkNotes.Field()})
    )
    view = csrf_exempt(DRFGraphQLView.as_view(schema=schema))
    document = "mutation($input: [ErrNoteInput!]!) { notes(input: $input) { errNotes { id } } }"
    given = {"input": [{"body": "fine"}, {"body": {"an": "object"}}]}
    with tables(ErrNote):
        body = json.dumps({"query": document, "variables": given})
        answer = json.loads(view(rf.post("/", body, content_type="application/json")).content)
        assert answer["errors"][0]["extensions"]["errors"] == [
            {
                "field": "1",
                "message": "A value in the input cannot be stored or looked up.",
                "code": "invalid",
            }
        ]
        assert not ErrNote.objects.exists()


def test_only_an_own_actions_lookup_answers_not_found_for_a_refused_value(isolated_registry, rf):
    """A viewset's own actions: a value the database refuses while the row is saved (an
    integer past 64 bits, stored by a serializer helper that happens to be named
    ``get_object``) is the input's ``VALIDATION_ERROR``, as under the library's own
    writes; ``NOT_FOUND`` is the viewset's lookup's."""
    from rest_framework import viewsets

    from drf_graphql_crud import ViewSetCrud

    class ErrMakerSerializer(serializers.ModelSerializer):
        parent_views = serializers.CharField(write_only=True, required=False)

        class Meta:
            model = Task
            fields = ["id", "title", "parent_views"]

        def get_object(self, views):  # find or make the parent row
            return Task.objects.get_or_create(title="parent", views=int(views))[0]

        def create(self, validated_data):
            self.get_object(validated_data.pop("parent_views"))
            return super().create(validated_data)

        def update(self, instance, validated_data):
            self.get_object(validated_data.pop("parent_views"))
            return super().update(instance, validated_data)

    class ErrMakerViewSet(viewsets.ModelViewSet):
        queryset = Task.objects.order_by("pk")
        serializer_class = ErrMakerSerializer

        def create(self, request, *args, **kwargs):
            return super().create(request, *args, **kwargs)

        def partial_update(self, request, *args, **kwargs):
            return super().partial_update(request, *args, **kwargs)

    crud = ViewSetCrud(ErrMakerViewSet, name="maker")
    schema = graphene.Schema(
        query=type("Query", (crud.Query, graphene.ObjectType), {}),
        mutation=type("Mutation", (crud.Mutation, graphene.ObjectType), {}),
    )
    view = csrf_exempt(DRFGraphQLView.as_view(schema=schema))

    def post(document):
        body = json.dumps({"query": document})
        return json.loads(view(rf.post("/", body, content_type="application/json")).content)

    big = 2**70
    task = TaskFactory(title="kept")
    for document in (
        f'mutation {{ createMaker(input: {{title: "child", parentViews: "{big}"}}) '
        "{ maker { id } } }",
        f'mutation {{ updateMaker(id: {task.pk}, input: {{parentViews: "{big}"}}) '
        "{ maker { id } } }",
    ):
        assert post(document)["errors"][0]["extensions"] == REFUSED
    assert (
        post(
            f'mutation {{ updateMaker(id: "{big}", input: {{title: "x"}}) {{ maker {{ id }} }} }}'
        )["errors"][0]["extensions"]["code"]
        == "NOT_FOUND"
    )
    assert list(Task.objects.values_list("title", flat=True)) == ["kept"]


def test_a_model_fields_own_invalid_message_is_the_clients(isolated_registry, rf):
    _, post, _, _ = span_api(rf, span={"error_messages": {"invalid": "Give [lower, upper]."}})
    body = post(SPAN_CREATES[0].replace('name: ""', 'name: "n"'), {"v": "[1,5)"})
    assert body["errors"][0]["extensions"]["errors"] == [
        {"field": "span", "message": "Give [lower, upper].", "code": "invalid"}
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="range columns exist on PostgreSQL only"
)
@pytest.mark.django_db(transaction=True)  # the table is made and dropped around the test
def test_a_range_a_model_field_reads_is_stored(isolated_registry, rf):
    """The shapes ``to_python()`` reads (a list of two bounds, the JSON text REST renders)
    are stored and rendered as REST renders them; refused ones write nothing."""
    model, post, _, _ = span_api(rf)
    with tables(model):
        for query in SPAN_CREATES:
            body = post(query.replace('name: ""', 'name: "r"'), {"v": {"lower": 1}})
            assert body["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
        assert not model.objects.exists()
        for span in ([1, 5], '{"lower": 1, "upper": 5}'):
            query = SPAN_CREATES[0].replace('name: ""', 'name: "r"').replace("{ id }", "{ span }")
            body = post(query, {"v": span})
            assert body == {
                "data": {
                    "createSpan": {"span": {"span": '{"bounds": "[)", "lower": "1", "upper": "5"}'}}
                }
            }
        assert [row.span for row in model.objects.all()] == [NumericRange(1, 5)] * 2


@pytest.mark.urls(__name__)
def test_a_date_time_failing_to_render_stays_a_server_error(gql):
    """A naive year-1 midnight rendered in Paris escapes DRF's field as an OverflowError
    too, but as it renders (REST's 500): the server's value, not the client's input."""
    status, body = gql(
        'mutation { errRecordEast(input: {at: "0001-01-01T00:00:00Z"}) { moment { atParis } } }'
    )
    assert body["data"] == {"errRecordEast": None}
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    # The same field reads the input and renders the answer: an input naming year 1 is
    # guarded as it is read, not as the stored value renders.
    status, body = gql(
        'mutation { errRecordLegacy(input: {at: "0001-01-01T12:00:00"}) { moment { at } } }'
    )
    assert body["data"] == {"errRecordLegacy": None}
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}


def test_validation_error_lists_every_field_error_with_client_paths(gql, alice):
    status, body = gql(
        create_task(),
        {
            "input": {
                "title": "ab",
                "dueDate": "next week",
                "project": "nowhere",
                "subtasks": [{"title": "Fine"}, {"title": ""}, {"title": "x" * 101}],
            }
        },
    )
    assert status == 200
    assert failure(body) == failed(
        "createTask",
        "Invalid input.",
        invalid(
            field_error("title", "Ensure this field has at least 3 characters.", "min_length"),
            field_error(
                "dueDate",
                "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
                "invalid",
            ),
            field_error("project", "Object with slug=nowhere does not exist.", "does_not_exist"),
            field_error("subtasks.1.title", "This field may not be blank.", "blank"),
            field_error(
                "subtasks.2.title",
                "Ensure this field has no more than 100 characters.",
                "max_length",
            ),
        ),
    )
    assert counts() == (0, 0, 0)


def test_non_field_error_has_a_null_field_and_drfs_code(gql, alice):
    status, body = gql(create_task(), {"input": {"title": "Same words", "notes": "Same words"}})
    assert status == 200
    assert failure(body) == failed(
        "createTask",
        "Invalid input.",
        invalid(field_error(None, "Title and notes must differ.", "invalid")),
    )
    assert counts() == (0, 0, 0)


def test_bulk_create_errors_are_indexed_by_item(gql, alice):
    status, body = gql(
        "mutation($input: [TaskInput!]!) { bulkCreateTask(input: $input) { tasks { id } } }",
        {
            "input": [
                {"title": "First is fine"},
                {"title": "x"},
                {"title": "Third is fine"},
                {"title": "Fourth", "subtasks": [{"title": ""}]},
                {"title": "Same words", "notes": "Same words"},
            ]
        },
    )
    assert status == 200
    assert failure(body) == failed(
        "bulkCreateTask",
        "Invalid input.",
        invalid(
            field_error("1.title", "Ensure this field has at least 3 characters.", "min_length"),
            field_error("3.subtasks.0.title", "This field may not be blank.", "blank"),
            field_error("4", "Title and notes must differ.", "invalid"),
        ),
    )
    assert counts() == (0, 0, 0)


def test_update_validation_error_uses_the_partial_input_paths(gql, alice):
    task = TaskFactory(title="Keep me", owner=alice)
    status, body = gql(
        "mutation($id: ID!, $input: TaskPartialInput!) { updateTask(id: $id, input: $input) { task { id } } }",
        {"id": str(task.pk), "input": {"dueDate": "2025-13-45", "subtasks": [{"title": ""}]}},
    )
    assert failure(body) == failed(
        "updateTask",
        "Invalid input.",
        invalid(
            field_error(
                "dueDate",
                "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
                "invalid",
            ),
            field_error("subtasks.0.title", "This field may not be blank.", "blank"),
        ),
    )
    task.refresh_from_db()
    assert (task.title, task.due_date) == ("Keep me", None)


def test_dict_field_keys_are_kept_as_sent(gql):
    status, body = gql(
        "mutation($input: EchoInput!) { echo(input: $input) { echo { dict } } }",
        {"input": {"dict": {"snake_key": ["not", "a string"], "camelKey": "fine"}}},
    )
    assert failure(body) == failed(
        "echo",
        "Invalid input.",
        invalid(field_error("dict.snake_key", "Not a valid string.", "invalid")),
    )


@pytest.mark.urls(__name__)
def test_list_and_dict_field_child_errors_over_http(gql):
    status, body = gql(
        "mutation($input: ErrScoresInput!) { errRecordScores(input: $input) { scores { scores labels } } }",
        {"input": {"scores": [3, -1, 4, -5], "labels": {"ok": "abc", "too_long": "abcd"}}},
    )
    assert status == 200
    assert failure(body) == failed(
        "errRecordScores",
        "Invalid input.",
        invalid(
            field_error(
                "scores.1", "Ensure this value is greater than or equal to 0.", "min_value"
            ),
            field_error(
                "scores.3", "Ensure this value is greater than or equal to 0.", "min_value"
            ),
            field_error(
                "labels.too_long", "Ensure this field has no more than 3 characters.", "max_length"
            ),
        ),
    )


@pytest.mark.urls(__name__)
def test_errors_deep_in_a_json_value_keep_the_keys_the_client_wrote(gql):
    status, body = gql(
        "mutation($input: ErrScoresInput!) { errRecordScores(input: $input) { scores { scores } } }",
        {"input": {"pointMap": {"first_key": {"x_value": 99}}}},
    )
    assert failure(body) == failed(
        "errRecordScores",
        "Invalid input.",
        invalid(
            field_error(
                "pointMap.first_key.x_value",
                "Ensure this value is less than or equal to 10.",
                "max_value",
            )
        ),
    )


@pytest.mark.urls(__name__)
def test_django_validation_error_from_full_clean_is_a_validation_error(gql, closed_projects):
    status, body = gql(
        'mutation { errCreateCleanProject(input: {slug: "shed", name: "Shed"}) { project { id } } }'
    )
    assert status == 200
    data, [error] = failure(body)
    assert data == {"errCreateCleanProject": None}
    assert (error["message"], error["path"]) == ("Invalid input.", ["errCreateCleanProject"])
    assert (error["extensions"]["code"], error["extensions"]["status"]) == ("VALIDATION_ERROR", 400)
    assert Project.objects.count() == 0


@pytest.mark.urls(__name__)
def test_a_model_error_names_the_fields_the_client_wrote(gql):
    """``full_clean()`` names model fields; the input's fields renamed with ``source=`` are
    what the client wrote (``label`` for ``title``, ``due`` for ``due_date``)."""
    status, body = gql(
        'mutation { errCreateRenamedTask(input: {label: "A", due: "2020-01-01", notes: "n"}) '
        "{ task { id } } }"
    )
    assert failure(body) == failed(
        "errCreateRenamedTask",
        "Invalid input.",
        invalid(
            field_error("due", "Too late.", "invalid"),
            field_error("label", "Too short.", "invalid"),
            field_error("notes", "No notes.", "invalid"),
        ),
    )


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        ("drf", [("notes", "Clash."), ("due", "Taken.")]),
        ("model", [("due", "Too late."), ("label", "Too short.")]),
    ],
)
def test_a_bulk_errors_about_its_items_fields_name_them_as_the_client_wrote(gql, notes, expected):
    """An error the list's hook raises about a field of its items (no index) names the
    field as in the items, as for one object; it kept the serializer's or the model's name
    (``due_date``, ``title``)."""
    status, body = gql(
        "mutation($input: [ErrRenamedTaskInput!]!) { errBulkCreateRenamedTask(input: $input) "
        "{ tasks { id } } }",
        {"input": [{"label": "A", "due": "2020-01-01", "notes": notes}]},
    )
    assert failure(body) == failed(
        "errBulkCreateRenamedTask",
        "Invalid input.",
        invalid(*(field_error(field, message, "invalid") for field, message in expected)),
    )
    assert not Task.objects.exists()


@pytest.mark.urls(__name__)
def test_an_error_about_a_hidden_fields_model_field_is_no_server_error(gql):
    """REST: 400 ``{"owner": [...]}``. The renamed field (``creator``, a HiddenField) is no
    field of the input type: looking it up there was a KeyError, a 500."""
    status, body = gql(
        'mutation { errCreateHiddenOwnerTask(input: {title: "Fine"}) { task { id } } }'
    )
    assert failure(body) == failed(
        "errCreateHiddenOwnerTask",
        "Invalid input.",
        invalid(field_error("owner", "Owner is required.", "invalid")),
    )


@pytest.mark.urls(__name__)
def test_a_dict_fields_keys_named_as_non_field_keys_are_the_clients(gql):
    """A DictField's keys are the client's text, ``__all__`` and ``non_field_errors``
    included (REST: ``{"labels": {"__all__": [...]}}``); such errors were put at ``labels``."""
    status, body = gql(
        "mutation($input: ErrScoresInput!) { errRecordScores(input: $input) { scores { labels } } }",
        {"input": {"labels": {"__all__": "abcd", "non_field_errors": "abcde", "ok": "a"}}},
    )
    too_long = "Ensure this field has no more than 3 characters."
    assert failure(body) == failed(
        "errRecordScores",
        "Invalid input.",
        invalid(
            field_error("labels.__all__", too_long, "max_length"),
            field_error("labels.non_field_errors", too_long, "max_length"),
        ),
    )


@pytest.mark.urls(__name__)
def test_keys_named_as_non_field_keys_deeper_in_a_value_are_the_clients(gql):
    """Inside a value, a key of a non-field key's text is the client's where the client
    sent it (REST: ``{"labelMap": {"a": {"__all__": [...]}}}``); a value's own error of
    that key (a JSON field checking the whole value) is at the field, as a nested
    serializer's non-field error is at the nested object."""
    status, body = gql(
        "mutation($input: ErrScoresInput!) { errRecordScores(input: $input) { scores { labels } } }",
        {
            "input": {
                "labelMap": {"a": {"__all__": "abcd", "x": "abcd"}},
                "labelGroups": {"g": [{"non_field_errors": "abcd"}]},
                "checked": {"refused": True},
            }
        },
    )
    too_long = "Ensure this field has no more than 3 characters."
    assert failure(body) == failed(
        "errRecordScores",
        "Invalid input.",
        invalid(
            field_error("labelMap.a.__all__", too_long, "max_length"),
            field_error("labelMap.a.x", too_long, "max_length"),
            field_error("labelGroups.g.0.non_field_errors", too_long, "max_length"),
            field_error("checked", "Value refused.", "invalid"),
        ),
    )


@pytest.mark.urls(__name__)
def test_model_clean_error_is_a_non_field_error(gql, closed_projects):
    status, body = gql(
        'mutation { errCreateCleanProject(input: {slug: "shed", name: "Shed"}) { project { id } } }'
    )
    assert failure(body) == failed(
        "errCreateCleanProject",
        "Invalid input.",
        invalid(field_error(None, "Projects are closed for the season.", "closed")),
    )


def test_duplicate_project_slug_is_a_unique_validation_error(gql):
    ProjectFactory(slug="garden", name="Garden")
    status, body = gql(
        'mutation { createProject(input: {slug: "garden", name: "Another garden"}) { project { id } } }'
    )
    assert status == 200
    assert failure(body) == failed(
        "createProject",
        "Invalid input.",
        invalid(field_error("slug", "project with this slug already exists.", "unique")),
    )
    assert list(Project.objects.values_list("name", flat=True)) == ["Garden"]


def test_renaming_onto_an_existing_slug_is_a_unique_validation_error(gql):
    ProjectFactory(slug="garden", name="Garden")
    ProjectFactory(slug="house", name="House")
    status, body = gql(
        'mutation { updateProject(slug: "house", input: {slug: "garden"}) { project { id } } }'
    )
    assert failure(body) == failed(
        "updateProject",
        "Invalid input.",
        invalid(field_error("slug", "project with this slug already exists.", "unique")),
    )
    assert sorted(Project.objects.values_list("slug", flat=True)) == ["garden", "house"]


def test_duplicate_username_is_a_unique_validation_error_without_the_password(gql):
    UserFactory(username="taken")
    status, body = gql(
        "mutation($input: UserInput!) { createUser(input: $input) { user { id username } } }",
        {"input": {"username": "taken", "password": "hunter2-very-secret"}},
    )
    assert status == 200
    assert failure(body) == failed(
        "createUser",
        "Invalid input.",
        invalid(field_error("username", "A user with that username already exists.", "unique")),
    )
    assert "hunter2" not in json.dumps(body)


# ------------------------------------------------------------------------------ write_only


def test_write_only_password_is_not_in_the_output_type():
    assert list(graphql_type("UserOutput").fields) == ["id", "username"]
    assert "password" in graphql_type("UserInput").fields


def test_write_only_password_is_taken_but_never_returned(gql):
    status, body = gql(
        "mutation($input: UserInput!) { createUser(input: $input) { user { id username } } }",
        {"input": {"username": "newcomer", "password": "hunter2-very-secret"}},
    )
    user = UserFactory._meta.model.objects.get(username="newcomer")
    assert body == {"data": {"createUser": {"user": {"id": str(user.pk), "username": "newcomer"}}}}
    assert user.check_password("hunter2-very-secret")


def test_selecting_the_write_only_password_is_refused_before_running(gql):
    status, body = gql(
        "mutation($input: UserInput!) { createUser(input: $input) { user { password } } }",
        {"input": {"username": "newcomer", "password": "hunter2-very-secret"}},
    )
    assert status == 400
    assert [error["message"] for error in body["errors"]] == [
        "Cannot query field 'password' on type 'UserOutput'."
    ]
    assert "hunter2" not in json.dumps(body)
    assert not UserFactory._meta.model.objects.filter(username="newcomer").exists()


def test_write_only_password_error_names_the_field_not_the_value(gql):
    status, body = gql(
        "mutation($input: UserInput!) { createUser(input: $input) { user { id } } }",
        {"input": {"username": "bad name!", "password": ""}},
    )
    assert failure(body) == failed(
        "createUser",
        "Invalid input.",
        invalid(
            field_error(
                "username",
                "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
                "invalid",
            ),
            field_error("password", "This field may not be blank.", "blank"),
        ),
    )


# ------------------------------------------------------------------------------ 401, 403, 404


def test_not_authenticated(gql):
    status, body = gql(create_task("createTaskAuthenticated"), {"input": {"title": "Anonymous"}})
    assert status == 200
    assert failure(body) == failed(
        "createTaskAuthenticated",
        "Authentication credentials were not provided.",
        {"code": "NOT_AUTHENTICATED", "status": 401},
    )
    assert counts() == (0, 0, 0)


def test_permission_denied(gql, alice):
    status, body = gql(create_task("createTaskModelPerms"), {"input": {"title": "No perms"}})
    assert status == 200
    assert failure(body) == failed(
        "createTaskModelPerms",
        "You do not have permission to perform this action.",
        {"code": "PERMISSION_DENIED", "status": 403},
    )
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("lookup", "message"),
    [
        ("987654", "No Task matches the given query."),
        ("abc", "Not found."),
        ("", "Not found."),
        ("99999999999999999999999", "No Task matches the given query."),
    ],
)
@pytest.mark.parametrize(
    ("mutation", "query"),
    [
        (
            "updateTask",
            'mutation($id: ID!) { updateTask(id: $id, input: {title: "Renamed"}) { task { id } } }',
        ),
        ("deleteTask", "mutation($id: ID!) { deleteTask(id: $id) { deletedId } }"),
    ],
)
def test_not_found(gql, alice, mutation, query, lookup, message):
    task = TaskFactory(title="Bystander")
    status, body = gql(query, {"id": lookup})
    assert status == 200
    assert failure(body) == failed(mutation, message, {"code": "NOT_FOUND", "status": 404})
    assert list(Task.objects.values_list("pk", "title")) == [(task.pk, "Bystander")]


def test_not_found_by_slug_lookup(gql):
    status, body = gql('mutation { deleteProject(slug: "nowhere") { deletedId } }')
    assert failure(body) == failed(
        "deleteProject", "No Project matches the given query.", {"code": "NOT_FOUND", "status": 404}
    )


# ------------------------------------------------------------------------------ 429, 503, 500


def test_a_delete_django_protects_is_a_server_error_as_under_rest(gql, monkeypatch, caplog):
    """No input explains a ProtectedError: REST leaves it unhandled (a logged 500), unless
    the project's perform_destroy answers it; it is not a lost race on the client's data."""
    from django.db import models

    monkeypatch.setattr(Subtask._meta.get_field("task").remote_field, "on_delete", models.PROTECT)
    task = TaskFactory()
    Subtask.objects.create(task=task, title="Keeps it")
    status, body = gql("mutation($id: ID!) { deleteTask(id: $id) { deletedId } }", {"id": task.pk})
    assert failure(body) == failed(
        "deleteTask",
        "A server error occurred.",
        {"code": "INTERNAL_SERVER_ERROR", "status": 500},
    )
    assert Task.objects.filter(pk=task.pk).exists()
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.exc_info[0].__name__ == "ProtectedError"


def refuse_negative_priorities():
    """A rule the database holds and the serializer does not know (no migration has one)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE testapp_task ADD CONSTRAINT priority_not_negative "
                "CHECK (priority >= 0)"
            )
        else:  # SQLite adds no CHECK to a table: a trigger refuses the row instead
            cursor.execute(
                "CREATE TRIGGER priority_not_negative BEFORE INSERT ON testapp_task "
                "WHEN NEW.priority < 0 BEGIN SELECT RAISE(ABORT, 'negative priority'); END"
            )


def test_a_constraint_the_serializer_does_not_know_is_a_server_error(gql, alice, caplog):
    """REST answers a logged 500; no concurrent writer explains it, so it is no lost race."""
    refuse_negative_priorities()
    status, body = gql(create_task(), {"input": {"title": "Below zero", "priority": -1}})
    assert failure(body) == failed(
        "createTask",
        "A server error occurred.",
        {"code": "INTERNAL_SERVER_ERROR", "status": 500},
    )
    assert not Task.objects.exists()
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert (record.levelno, record.exc_info[0].__name__) == (logging.ERROR, "IntegrityError")


def test_throttled_after_save_writes_nothing(gql, alice):
    TaskFactory(title="Already there")
    status, body = gql(
        create_task("failAfterSave"),
        {"input": {"title": "Saved then throttled", "subtasks": [{"title": "s"}]}},
    )
    assert status == 200
    assert failure(body) == failed(
        "failAfterSave",
        "Request was throttled. Expected available in 30 seconds.",
        {"code": "THROTTLED", "status": 429, "retryAfter": 30},
    )
    assert list(Task.objects.values_list("title", flat=True)) == ["Already there"]
    assert Subtask.objects.count() == 0


def test_other_api_exception_keeps_its_code_status_and_message(gql):
    status, body = gql(
        'mutation { unavailable(input: {slug: "later", name: "Later"}) { project { id } } }'
    )
    assert status == 200
    assert failure(body) == failed(
        "unavailable", "Come back later.", {"code": "SERVICE_UNAVAILABLE", "status": 503}
    )
    assert counts() == (0, 0, 0)


class Stale(exceptions.APIException):
    status_code = 409
    default_detail = "The row changed since you read it."
    default_code = "invalid"


@pytest.mark.parametrize(
    "raised",
    [
        Stale(),
        Stale({"version": "Read it again."}),
        exceptions.ParseError("Malformed thing.", code="invalid"),
        exceptions.PermissionDenied("Not yours.", code="invalid"),
    ],
    ids=["conflict", "conflict-dict", "parse-error", "permission"],
)
def test_an_exception_coded_invalid_is_no_validation_error(gql, alice, monkeypatch, raised):
    """``VALIDATION_ERROR`` promises field errors and "Invalid input.": it is a
    ``ValidationError``'s. Another exception raised with the code ``invalid`` keeps its
    status and words, as REST's body does, under its own code."""
    from rest_framework.views import exception_handler

    from tests.testapp.schema import CrashAfterSave

    def perform_create(cls, serializer, info):
        serializer.save()
        raise raised

    monkeypatch.setattr(CrashAfterSave, "perform_create", classmethod(perform_create))
    rest = exception_handler(raised, {})
    status, body = gql(create_task("crashAfterSave"), {"input": {"title": "Coded invalid"}})
    assert status == 200
    extensions = {"code": "INVALID", "status": rest.status_code}
    if isinstance(raised.detail, dict):
        extensions["detail"] = rest.data
        message = rest.data["version"]
    else:
        message = rest.data["detail"]
    assert failure(body) == failed("crashAfterSave", message, extensions)
    assert not Task.objects.exists()


def test_a_not_found_coded_invalid_stays_not_found():
    assert error_code(exceptions.NotFound("Gone.", code="invalid")) == "NOT_FOUND"
    assert error_code(exceptions.ValidationError("Bad.", code="invalid")) == "VALIDATION_ERROR"


def test_unexpected_exception_is_a_bare_internal_server_error(gql, client, alice, caplog):
    TaskFactory(title="Already there")
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(
            "/graphql/",
            json.dumps(
                {
                    "query": create_task("crashAfterSave"),
                    "variables": {"input": {"title": "Saved then crashed"}},
                }
            ),
            content_type="application/json",
        )
    assert response.status_code == 200
    body = response.json()
    assert failure(body) == failed(
        "crashAfterSave",
        "A server error occurred.",
        {"code": "INTERNAL_SERVER_ERROR", "status": 500},
    )
    text = response.content.decode()
    for leak in ("SELECT", "secret", "internals", "Traceback", "RuntimeError", "perform_create"):
        assert leak not in text
    assert list(Task.objects.values_list("title", flat=True)) == ["Already there"]
    # The server keeps the whole story for itself.
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.exc_info[0] is RuntimeError
    assert str(record.exc_info[1]) == "SELECT secret FROM internals"


@pytest.mark.parametrize(
    ("raised", "logger"),
    [
        (RuntimeError("SELECT secret FROM internals"), "django.request"),
        (exceptions.APIException(), "django.request"),
        (SuspiciousOperation("Invalid HTTP_HOST header: 'evil'."), "django.security"),
    ],
)
def test_a_logged_error_carries_the_request_as_djangos_records_do(
    gql, client, alice, caplog, monkeypatch, raised, logger
):
    """AdminEmailHandler reports the request of a record that has one, as Django's own
    records of a 500 or of a suspicious operation have."""
    from tests.testapp.schema import CrashAfterSave

    def perform_create(cls, serializer, info):
        raise raised

    monkeypatch.setattr(CrashAfterSave, "perform_create", classmethod(perform_create))
    response = client.post(
        "/graphql/?trace=1",
        json.dumps(
            {"query": create_task("crashAfterSave"), "variables": {"input": {"title": "Logged"}}}
        ),
        content_type="application/json",
    )
    assert response.status_code == 200
    [record] = [record for record in caplog.records if record.name.startswith(logger)]
    assert record.exc_info[1] is raised
    assert record.request.get_full_path() == "/graphql/?trace=1"  # the HttpRequest


# Django 6.0 takes addresses alone, and deprecates the (name, address) pairs before it.
@override_settings(
    ADMINS=["ops@example.com" if django.VERSION >= (6, 0) else ("Ops", "ops@example.com")]
)
@pytest.mark.parametrize(
    ("urls", "url", "body"),
    [
        (__name__, "/rest-crash/", {}),
        (__name__, "/drf-graphql/", {"query": "{ crash }"}),
        (
            "tests.urls",
            "/drf-graphql/",
            {"query": create_task("crashAfterSave"), "variables": {"input": {"title": "Boom"}}},
        ),
    ],
    ids=["rest", "resolver", "mutation"],
)
def test_a_server_error_reaches_djangos_error_reporting_as_rests_500_does(
    client, alice, caplog, mailoutbox, urls, url, body
):
    """Django's default LOGGING mails the admins the ERROR records of ``django.request``
    (a REST call's 500): a GraphQL answer is a 200, so ``DRFGraphQLView`` logs its server
    errors there itself, a project resolver's included, with the request."""
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=urls):
        response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == (500 if url == "/rest-crash/" else 200)
    [record] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert (record.name, record.status_code, record.request.path) == ("django.request", 500, url)
    assert str(record.exc_info[1]) == "SELECT secret FROM internals"
    [mail] = mailoutbox
    assert mail.to == ["ops@example.com"]
    assert f"Internal Server Error: {url}" in mail.subject
    assert "SELECT secret FROM internals" in mail.body  # the traceback, for the admins only
    assert "SELECT secret" not in response.content.decode()


@override_settings(MIDDLEWARE=["django.middleware.locale.LocaleMiddleware"])
def test_the_default_messages_come_in_the_callers_language(client, restores_language):
    """They are DRF's own texts, which DRF translates; field messages beside them are too."""
    from django.utils import translation

    response = client.post(
        "/graphql/",
        json.dumps({"query": create_task(), "variables": {"input": {"title": "ab"}}}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    [error] = response.json()["errors"]
    with translation.override("fr"):
        expected = str(exceptions.ValidationError.default_detail)
        length = str(serializers.CharField.default_error_messages["min_length"])
    assert error["message"] == expected  # "Saisie invalide." where DRF has the translation
    assert error["extensions"]["errors"][0]["message"] == length.format(min_length=3)
    with translation.override("fr"):
        internal = internal_error(RuntimeError("hidden"))
        assert internal.message == str(exceptions.APIException.default_detail)


@pytest.mark.urls(__name__)
@override_settings(MIDDLEWARE=["django.middleware.locale.LocaleMiddleware"])
@pytest.mark.parametrize(
    ("query", "source", "arguments"),
    [
        ("{ errProjects(limit: -1) { totalCount } }", serializers.IntegerField, {"min_value": 0}),
        ("{ errProjects(orderBy: [" + ", ".join(['"slug"'] * 101) + "]) { totalCount } }",
         serializers.ListField, {"max_length": 100}),
    ],
)  # fmt: skip
def test_drfs_texts_the_library_gives_come_in_the_callers_language(
    client, restores_language, query, source, arguments
):
    """A ListField's limit and orderBy refusals are DRF's own messages, which DRF translates:
    the answer does not mix the caller's language and English."""
    from django.utils import translation

    response = client.post(
        "/graphql/",
        json.dumps({"query": query}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    [error] = response.json()["errors"]
    with translation.override("fr"):
        key = "min_value" if "min_value" in arguments else "max_length"
        expected = str(source.default_error_messages[key]).format(**arguments)
    # DRF's French, where its catalog has the text (DRF 3.16's lacks ListField's).
    assert error["extensions"]["errors"][0]["message"] == expected


def test_a_suspicious_request_met_in_an_operation_is_a_bad_request(caplog):
    """A host Django refuses, met while a hyperlink is built: REST's plain 400, logged under
    django.security; the host stays out of the answer."""
    from django.core.exceptions import DisallowedHost

    message, extensions = extensions_of(DisallowedHost("Invalid HTTP_HOST header: 'evil'."))
    assert (message, extensions) == ("Bad Request", {"code": "BAD_REQUEST", "status": 400})
    [record] = [record for record in caplog.records if record.name.startswith("django.security")]
    assert record.name == "django.security.DisallowedHost"


def test_the_librarys_own_messages_are_translatable():
    """A project's LOCALE_PATHS catalog can translate them: they are gettext_lazy texts."""
    from django.utils.functional import Promise

    from drf_graphql_crud.errors import UNSTORABLE_VALUE
    from drf_graphql_crud.queries import _CANNOT_ORDER, _CANNOT_ORDER_ANY, _TOO_MANY_TERMS
    from drf_graphql_crud.settings import DEFAULTS
    from drf_graphql_crud.views import _POST_ONLY

    for message in (
        UNSTORABLE_VALUE,
        _CANNOT_ORDER,
        _CANNOT_ORDER_ANY,
        _TOO_MANY_TERMS,
        _POST_ONLY,
    ):
        assert isinstance(message, Promise)
    assert isinstance(DEFAULTS["INTEGRITY_ERROR_MESSAGE"], Promise)


# ------------------------------------------------------------------------------ settings


ERROR_SETTINGS = {
    "ERROR_MESSAGES": {"VALIDATION_ERROR": "Check your input."},
    "ERROR_CODES": {"not_found": "MISSING"},
}


@override_settings(DRF_GRAPHQL_CRUD=ERROR_SETTINGS)
def test_settings_change_validation_message(gql, alice):
    status, body = gql(create_task(), {"input": {"title": "ab"}})
    assert failure(body) == failed(
        "createTask",
        "Check your input.",
        invalid(field_error("title", "Ensure this field has at least 3 characters.", "min_length")),
    )


@override_settings(DRF_GRAPHQL_CRUD=ERROR_SETTINGS)
def test_settings_change_not_found_code(gql):
    status, body = gql("mutation { deleteTask(id: 5) { deletedId } }")
    assert failure(body) == failed(
        "deleteTask", "No Task matches the given query.", {"code": "MISSING", "status": 404}
    )


@override_settings(DRF_GRAPHQL_CRUD=ERROR_SETTINGS)
def test_settings_keep_the_other_defaults(gql, alice):
    status, body = gql(create_task("createTaskModelPerms"), {"input": {"title": "No perms"}})
    assert failure(body) == failed(
        "createTaskModelPerms",
        "You do not have permission to perform this action.",
        {"code": "PERMISSION_DENIED", "status": 403},
    )
    status, body = gql(create_task("crashAfterSave"), {"input": {"title": "Crash"}})
    assert failure(body) == failed(
        "crashAfterSave",
        "A server error occurred.",
        {"code": "INTERNAL_SERVER_ERROR", "status": 500},
    )
    status, body = gql(create_task("failAfterSave"), {"input": {"title": "Throttle"}})
    assert failure(body)[1][0]["extensions"] == {
        "code": "THROTTLED",
        "status": 429,
        "retryAfter": 30,
    }


def test_settings_are_restored_after_an_override(gql):
    with override_settings(DRF_GRAPHQL_CRUD=ERROR_SETTINGS):
        status, body = gql("mutation { deleteTask(id: 5) { deletedId } }")
        assert body["errors"][0]["extensions"]["code"] == "MISSING"
    status, body = gql("mutation { deleteTask(id: 5) { deletedId } }")
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


# ------------------------------------------------------------------------------ units: paths


def test_flatten_nested_dict_and_list_structures_with_the_input_type():
    detail = {
        "title": [ErrorDetail("Ensure this field has at least 3 characters.", code="min_length")],
        "due_date": [ErrorDetail("Date has wrong format.", code="invalid")],
        "subtasks": [
            {},
            {"title": [ErrorDetail("This field may not be blank.", code="blank")]},
            {"non_field_errors": [ErrorDetail("Broken subtask.", code="broken")]},
        ],
        "non_field_errors": [
            ErrorDetail("Title and notes must differ.", code="invalid"),
            ErrorDetail("Second problem.", code="second"),
        ],
    }
    assert flatten_validation_errors(detail, graphql_type("TaskInput")) == [
        field_error("title", "Ensure this field has at least 3 characters.", "min_length"),
        field_error("dueDate", "Date has wrong format.", "invalid"),
        field_error("subtasks.1.title", "This field may not be blank.", "blank"),
        field_error("subtasks.2", "Broken subtask.", "broken"),
        field_error(None, "Title and notes must differ.", "invalid"),
        field_error(None, "Second problem.", "second"),
    ]


def test_flatten_list_serializer_errors_with_the_bulk_argument_type():
    detail = [{}, {"due_date": [ErrorDetail("Bad date.", code="invalid")]}, {}]
    assert flatten_validation_errors(detail, argument_type("bulkCreateTask")) == [
        field_error("1.dueDate", "Bad date.", "invalid")
    ]


def test_flatten_a_lists_errors_about_its_items_fields():
    detail = {
        "due_date": [ErrorDetail("Bad date.", code="invalid")],
        "non_field_errors": [ErrorDetail("Too many.", code="max_length")],
    }
    assert flatten_validation_errors(detail, argument_type("bulkCreateTask")) == [
        field_error("dueDate", "Bad date.", "invalid"),
        field_error(None, "Too many.", "max_length"),
    ]


def test_flatten_a_lists_error_about_a_dict_key_its_items_hold():
    """An error about all the items (no index) keeps a dict key any item's value holds."""
    item = graphene.Schema(query=ErrQuery, mutation=ErrMutation).graphql_schema.get_type(
        "ErrScoresInput"
    )
    detail = {"labels": {"__all__": [ErrorDetail("Taken.", code="taken")]}}
    sent = [{"labels": {"ok": "a"}}, {"labels": {"__all__": "ab"}}]
    assert flatten_validation_errors(detail, GraphQLList(GraphQLNonNull(item)), sent) == [
        field_error("labels.__all__", "Taken.", "taken")
    ]
    assert flatten_validation_errors(detail, GraphQLList(GraphQLNonNull(item)), sent[:1]) == [
        field_error("labels", "Taken.", "taken")
    ]


def test_flatten_real_serializer_errors():
    serializer = TaskSerializer(
        data={"title": "ab", "due_date": "never", "subtasks": [{"title": "ok"}, {"title": ""}]},
        context={"request": SimpleNamespace(user=None)},
    )
    assert not serializer.is_valid()
    assert flatten_validation_errors(serializer.errors, graphql_type("TaskInput")) == [
        field_error("title", "Ensure this field has at least 3 characters.", "min_length"),
        field_error(
            "dueDate",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
            "invalid",
        ),
        field_error("subtasks.1.title", "This field may not be blank.", "blank"),
    ]


def test_flatten_list_field_child_errors_are_indexed():
    serializer = EchoSerializer(data={"ints": [1, "two", 3, "four"], "dict": {"first_name": []}})
    assert not serializer.is_valid()
    assert serializer.errors["ints"] == {
        1: [ErrorDetail("A valid integer is required.", code="invalid")],
        3: [ErrorDetail("A valid integer is required.", code="invalid")],
    }
    assert flatten_validation_errors(serializer.errors, graphql_type("EchoInput")) == [
        field_error("ints.1", "A valid integer is required.", "invalid"),
        field_error("ints.3", "A valid integer is required.", "invalid"),
        field_error("dict.first_name", "Not a valid string.", "invalid"),
    ]


def test_flatten_json_keys_are_kept_as_sent():
    detail = {"json": {"snake_case": {"innerKey": [ErrorDetail("Bad.", code="bad")]}}}
    assert flatten_validation_errors(detail, graphql_type("EchoInput")) == [
        field_error("json.snake_case.innerKey", "Bad.", "bad")
    ]


def test_flatten_nested_serializer_fields_are_camel_cased():
    detail = {"nested_many": [{}, {"name": [ErrorDetail("Too long.", code="max_length")]}]}
    assert flatten_validation_errors(detail, graphql_type("EchoInput")) == [
        field_error("nestedMany.1.name", "Too long.", "max_length")
    ]


def test_flatten_without_an_input_type_camel_cases_names():
    detail = {
        "due_date": ["Bad date."],
        "sub_tasks": [{}, {"long_title": [ErrorDetail("Too long.", code="max_length")]}],
    }
    assert flatten_validation_errors(detail) == [
        field_error("dueDate", "Bad date.", "invalid"),
        field_error("subTasks.1.longTitle", "Too long.", "max_length"),
    ]


def test_flatten_a_plain_message():
    assert flatten_validation_errors([ErrorDetail("Nope.", code="nope")]) == [
        field_error(None, "Nope.", "nope")
    ]
    assert flatten_validation_errors("Nope.") == [field_error(None, "Nope.", "invalid")]


@pytest.mark.parametrize(
    ("path", "type_name", "expected"),
    [
        ((), "TaskInput", None),
        (("title",), "TaskInput", "title"),
        (("due_date",), "TaskInput", "dueDate"),
        (("subtasks", 0, "title"), "TaskInput", "subtasks.0.title"),
        (("subtasks", 2), "TaskInput", "subtasks.2"),
        (("ints", 4), "EchoInput", "ints.4"),
        (("dict", "some_key"), "EchoInput", "dict.some_key"),
        (("hstore", "Mixed_Case"), "EchoInput", "hstore.Mixed_Case"),
        (("nested", "name"), "EchoInput", "nested.name"),
        (("file_path",), "EchoInput", "filePath"),
        (("unknown_field", "inner_name"), "TaskInput", "unknownField.innerName"),
        (("owner",), "TaskInput", "owner"),
    ],
)
def test_client_path(path, type_name, expected):
    assert client_path(path, graphql_type(type_name)) == expected


def test_client_path_through_non_null_and_list_wrappers():
    assert (
        client_path((2, "subtasks", 0, "title"), argument_type("bulkCreateTask"))
        == "2.subtasks.0.title"
    )
    assert client_path(("due_date",), argument_type("updateTask")) == "dueDate"


# ------------------------------------------------------------------------------ units: errors


def extensions_of(exc, input_type=None):
    error = to_graphql_error(exc, input_type)
    assert isinstance(error, GraphQLError)
    return error.message, error.extensions


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (
            exceptions.NotAuthenticated(),
            (
                "Authentication credentials were not provided.",
                {"code": "NOT_AUTHENTICATED", "status": 401},
            ),
        ),
        (
            exceptions.AuthenticationFailed(),
            ("Incorrect authentication credentials.", {"code": "NOT_AUTHENTICATED", "status": 401}),
        ),
        (
            exceptions.PermissionDenied(),
            (
                "You do not have permission to perform this action.",
                {"code": "PERMISSION_DENIED", "status": 403},
            ),
        ),
        (
            exceptions.PermissionDenied("Owners only.", code="owners_only"),
            ("Owners only.", {"code": "OWNERS_ONLY", "status": 403}),
        ),
        (exceptions.NotFound(), ("Not found.", {"code": "NOT_FOUND", "status": 404})),
        (
            exceptions.MethodNotAllowed("PUT"),
            ('Method "PUT" not allowed.', {"code": "METHOD_NOT_ALLOWED", "status": 405}),
        ),
        (
            exceptions.Throttled(wait=0.2),
            (
                "Request was throttled. Expected available in 1 second.",
                {"code": "THROTTLED", "status": 429, "retryAfter": 1},
            ),
        ),
        (exceptions.Throttled(), ("Request was throttled.", {"code": "THROTTLED", "status": 429})),
        (Http404("Gone away."), ("Gone away.", {"code": "NOT_FOUND", "status": 404})),
        (Http404(), ("Not found.", {"code": "NOT_FOUND", "status": 404})),
        (
            DjangoPermissionDenied(),
            (
                "You do not have permission to perform this action.",
                {"code": "PERMISSION_DENIED", "status": 403},
            ),
        ),
        (
            DjangoPermissionDenied("Read only today."),
            ("Read only today.", {"code": "PERMISSION_DENIED", "status": 403}),
        ),
    ],
)
def test_to_graphql_error_table(exc, expected):
    assert extensions_of(exc) == expected


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Conflict."
    default_code = "conflict"


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (
            Conflict({"slug": ["In use."], "hint": "Pick another."}),
            (
                "In use.",
                {
                    "code": "CONFLICT",
                    "status": 409,
                    "detail": {"slug": ["In use."], "hint": "Pick another."},
                },
            ),
        ),
        (
            Conflict(["First problem.", "Second problem."]),
            (
                "First problem.",
                {
                    "code": "CONFLICT",
                    "status": 409,
                    "detail": ["First problem.", "Second problem."],
                },
            ),
        ),
        (
            # A permission's message as a dict, with its own code: every text carries it.
            exceptions.PermissionDenied({"reason": "Closed today."}, code="maintenance"),
            (
                "Closed today.",
                {"code": "MAINTENANCE", "status": 403, "detail": {"reason": "Closed today."}},
            ),
        ),
        (
            exceptions.PermissionDenied({"reason": "Closed today.", "reopens": "Monday"}),
            (
                "Closed today.",
                {
                    "code": "PERMISSION_DENIED",
                    "status": 403,
                    "detail": {"reason": "Closed today.", "reopens": "Monday"},
                },
            ),
        ),
    ],
)
def test_a_detail_of_several_messages_reaches_the_client_whole(exc, expected):
    """REST's body holds the whole list or dict; the message alone would keep the first."""
    assert extensions_of(exc) == expected


@pytest.mark.parametrize(
    ("exc", "status"),
    [(exceptions.APIException("Backend down."), 500), (Conflict(), 409)],
)
def test_server_side_api_exceptions_are_logged_as_django_logs_rest_5xx(exc, status, caplog):
    assert extensions_of(exc)[1]["status"] == status
    logged = [record for record in caplog.records if record.name == "django.request"]
    if status < 500:
        assert logged == []
    else:
        [record] = logged
        assert (record.levelno, record.exc_info[1]) == (logging.ERROR, exc)


@pytest.mark.parametrize("debug", [False, True])
def test_a_server_bug_shows_its_exception_under_debug_only(debug):
    """Under ``DEBUG`` (a developer's machine), the exception's type and message, as
    Django's debug page shows them for REST; never otherwise."""
    with override_settings(DEBUG=debug):
        message, extensions = extensions_of(KeyError("project_pk"))
    assert message == "A server error occurred."
    expected = {"code": "INTERNAL_SERVER_ERROR", "status": 500}
    if debug:
        expected["exception"] = {"type": "KeyError", "message": "'project_pk'"}
    assert extensions == expected


def test_django_validation_errors_become_validation_errors():
    message, extensions = extensions_of(
        DjangoValidationError({"due_date": ["Too late."], "title": ["Too short."]}),
        graphql_type("TaskInput"),
    )
    assert message == "Invalid input."
    assert extensions == invalid(
        field_error("dueDate", "Too late.", "invalid"),
        field_error("title", "Too short.", "invalid"),
    )


def test_django_non_field_errors_have_a_null_field():
    message, extensions = extensions_of(
        DjangoValidationError({NON_FIELD_ERRORS: ["Whole thing is off."]}),
        graphql_type("TaskInput"),
    )
    assert extensions == invalid(field_error(None, "Whole thing is off.", "invalid"))


def test_django_validation_error_keeps_its_code():
    message, extensions = extensions_of(DjangoValidationError("Too early.", code="too_early"))
    assert extensions == invalid(field_error(None, "Too early.", "too_early"))


def test_serializer_validation_error_with_a_custom_code():
    message, extensions = extensions_of(serializers.ValidationError("Quota used up.", code="quota"))
    assert (message, extensions) == (
        "Invalid input.",
        invalid(field_error(None, "Quota used up.", "quota")),
    )


def test_graphql_errors_pass_through():
    error = GraphQLError("Already shaped.", extensions={"code": "CUSTOM"})
    assert to_graphql_error(error) is error


def test_unexpected_exception_says_nothing(caplog):
    message, extensions = extensions_of(KeyError("SELECT password FROM auth_user"))
    assert (message, extensions) == (
        "A server error occurred.",
        {"code": "INTERNAL_SERVER_ERROR", "status": 500},
    )
    assert "SELECT" not in json.dumps(extensions)
    assert caplog.records[-1].exc_info[0] is KeyError


REFUSED = {
    "code": "VALIDATION_ERROR",
    "status": 400,
    "errors": [
        {
            "field": None,
            "message": "A value in the input cannot be stored or looked up.",
            "code": "invalid",
        }
    ],
}


def test_a_value_the_database_refuses_is_a_validation_error(caplog):
    """Logged too: the value may be one server code wrote, which the client cannot fix."""
    refused = DataError("invalid byte sequence 0x00")
    assert extensions_of(refused) == ("Invalid input.", REFUSED)
    [record] = [record for record in caplog.records if record.name == "drf_graphql_crud"]
    assert (record.levelno, record.exc_info[1]) == (logging.WARNING, refused)


def test_an_overflow_in_the_database_layer_is_a_validation_error():
    """SQLite's driver under Django < 5.0: an integer past 64 bits in a lookup or an INSERT."""
    from django.db.models.sql import compiler

    def raise_like_the_driver():
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    namespace = {"__name__": compiler.__name__, "raise_": raise_like_the_driver}
    exec("def execute_sql():\n    raise_()", namespace)  # a frame inside django.db
    with pytest.raises(OverflowError) as raised:
        namespace["execute_sql"]()
    assert extensions_of(raised.value) == ("Invalid input.", REFUSED)


def _driver_errors():
    import psycopg

    return [
        psycopg.ProgrammingError("cannot adapt type 'dict' using placeholder '%t' (format: TEXT)"),
        sqlite3.ProgrammingError("Error binding parameter 1: type 'list' is not supported"),
    ]


@pytest.mark.parametrize("cause", _driver_errors(), ids=["adapt", "sqlite-bind"])
def test_a_json_container_the_driver_cannot_bind_is_a_validation_error(cause):
    """An object or a list of the input kept by a model field DRF has no field for, where
    its own checks did not refuse it (a viewset's own action): the database refused a
    value."""
    refused = ProgrammingError(*cause.args)
    refused.__cause__ = cause
    assert extensions_of(refused) == ("Invalid input.", REFUSED)


def test_other_programming_errors_stay_internal_errors():
    """The server's SQL, or a parameter of its own no client sends (an ``AnonymousUser``
    in a query), or a cast PostgreSQL refuses: bugs of the server."""
    import psycopg

    for cause in (
        psycopg.errors.UndefinedTable('relation "x" does not exist'),
        psycopg.errors.CannotCoerce("cannot cast type integer to int4range"),
        psycopg.ProgrammingError("cannot adapt type 'AnonymousUser' using placeholder '%s'"),
        sqlite3.ProgrammingError(
            "Error binding parameter 1: type 'AnonymousUser' is not supported"
        ),
        None,
    ):
        broken = ProgrammingError(*(cause.args if cause else ("broken",)))
        broken.__cause__ = cause
        message, extensions = extensions_of(broken)
        assert extensions == {"code": "INTERNAL_SERVER_ERROR", "status": 500}


def test_an_overflow_in_server_code_stays_an_internal_error(caplog):
    with pytest.raises(OverflowError) as raised:
        2.0**10_000  # noqa: B018
    message, extensions = extensions_of(raised.value)
    assert extensions == {"code": "INTERNAL_SERVER_ERROR", "status": 500}


def test_big_integers_the_column_cannot_hold_are_validation_errors(gql, alice):
    """On every database and Django version: no 500, nothing written."""
    status, body = gql(
        "mutation($input: TaskInput!) { createTask(input: $input) { task { id } } }",
        {"input": {"title": "Too many views", "views": str(2**70)}},
    )
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
    assert not Task.objects.exists()


class InvalidToken(exceptions.AuthenticationFailed):
    """As simplejwt defines it: bad credentials under a code of its own."""

    default_code = "token_not_valid"


def test_bad_credentials_a_missed_lookup_and_a_throttle_keep_their_kinds_code(settings):
    """The error table's rows: a client refreshing its token on NOT_AUTHENTICATED saw
    TOKEN_NOT_VALID from simplejwt's InvalidToken, USER_NOT_FOUND from its user lookup."""
    assert error_code(InvalidToken()) == "NOT_AUTHENTICATED"
    refused = exceptions.AuthenticationFailed("User not found", code="user_not_found")
    assert error_code(refused) == "NOT_AUTHENTICATED"
    assert error_code(exceptions.NotAuthenticated(code="no_token")) == "NOT_AUTHENTICATED"
    assert error_code(exceptions.NotFound(code="gone")) == "NOT_FOUND"
    assert error_code(exceptions.Throttled(wait=3, code="slow_down")) == "THROTTLED"
    # A code the project maps itself is its choice.
    settings.DRF_GRAPHQL_CRUD = {"ERROR_CODES": {"token_not_valid": "TOKEN_EXPIRED"}}
    assert error_code(InvalidToken()) == "TOKEN_EXPIRED"
    assert error_code(refused) == "NOT_AUTHENTICATED"
    # None is no mapping, as for every key of ERROR_CODES: the default.
    settings.DRF_GRAPHQL_CRUD = {"ERROR_CODES": {"token_not_valid": None}}
    assert error_code(InvalidToken()) == "NOT_AUTHENTICATED"


def test_error_code_prefers_the_detail_code_and_upper_cases():
    assert error_code(exceptions.PermissionDenied("x", code="not_owner")) == "NOT_OWNER"
    assert error_code(exceptions.ValidationError({"title": ["x"]})) == "VALIDATION_ERROR"
    assert error_code(exceptions.UnsupportedMediaType("text/plain")) == "UNSUPPORTED_MEDIA_TYPE"
    with override_settings(DRF_GRAPHQL_CRUD={"ERROR_CODES": {"permission_denied": "FORBIDDEN"}}):
        assert error_code(exceptions.PermissionDenied()) == "FORBIDDEN"
        assert error_code(exceptions.NotFound()) == "NOT_FOUND"
    assert error_code(exceptions.PermissionDenied()) == "PERMISSION_DENIED"


# ------------------------------------------------------------ schemas without auto_camelcase


class SnakeTaskSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.username", read_only=True, default=None)

    class Meta:
        model = Task
        fields = ["id", "title", "notes", "due_date", "owner_name"]

    def validate(self, attrs):
        if attrs.get("notes") == "no owner":  # an error about a field the input does not hold
            raise serializers.ValidationError({"owner_name": "No owner here."})
        return attrs


class PlainSnakeTaskSerializer(SnakeTaskSerializer):
    """Writable fields of one word: the input type alone does not show the schema's case."""

    class Meta(SnakeTaskSerializer.Meta):
        fields = ["id", "title", "notes", "owner_name"]


class SnakeDueFilter(django_filters.FilterSet):
    shape = django_filters.CharFilter(method="by_shape")

    class Meta:
        model = Task
        fields = {"due_date": ["lt"]}

    def by_shape(self, queryset, name, value):
        # Refused part by part: keys of the server's, below a text the client sent.
        raise serializers.ValidationError({name: {"corner_count": ["Too many corners."]}})


def refusing_rows(info):
    raise serializers.ValidationError({"due_date": ["Not today."]})


class SnakeTaskViewSet(viewsets.ModelViewSet):
    serializer_class = SnakeTaskSerializer
    queryset = Task.objects.order_by("pk")
    filter_backends = [DjangoFilterBackend]
    filterset_class = SnakeDueFilter


class CreateSnakeTask(CreateMutation):
    class Meta:
        serializer_class = SnakeTaskSerializer


class CreatePlainSnakeTask(CreateMutation):
    class Meta:
        serializer_class = PlainSnakeTaskSerializer


snake_crud = ViewSetCrud(SnakeTaskViewSet, name="snakeCrudTask")


class SnakeQuery(snake_crud.Query, graphene.ObjectType):
    snake_tasks = ListField(
        SnakeTaskSerializer, filterset_class=SnakeDueFilter, ordering_fields=["due_date"]
    )
    # A project's own argument named as its REST parameter is: no sign of the schema's case.
    owned_tasks = ListField(
        SnakeTaskSerializer, queryset=refusing_rows, owner_id=graphene.ID(name="owner_id")
    )
    # A project's own resolver raising DRF's error, mapped by the view's format_error.
    own_check = graphene.String(due_date=graphene.String())

    def resolve_own_check(root, info, due_date=None):
        raise serializers.ValidationError({"due_date": ["Not today."]})


class SnakeMutation(graphene.ObjectType):
    create_snake_task = CreateSnakeTask.Field()
    create_plain_snake_task = CreatePlainSnakeTask.Field()


urlpatterns += [
    path(
        "snake/",
        DRFGraphQLView.as_view(
            schema=graphene.Schema(query=SnakeQuery, mutation=SnakeMutation, auto_camelcase=False)
        ),
    ),
    path(
        "camel/",
        DRFGraphQLView.as_view(schema=graphene.Schema(query=SnakeQuery, mutation=SnakeMutation)),
    ),
]


def _error_fields(client, url, query):
    body = client.post(url, {"query": query}, content_type="application/json").json()
    extensions = body["errors"][0]["extensions"]
    return extensions["code"], [error["field"] for error in extensions["errors"]]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "url, query, field",
    [
        # A key the input type does not hold: in the schema's case, as the client's names are.
        (
            "/snake/",
            'mutation { create_snake_task(input: {title: "t", notes: "no owner"}) { task { id } } }',
            "owner_name",
        ),
        (
            "/camel/",
            'mutation { createSnakeTask(input: {title: "t", notes: "no owner"}) { task { id } } }',
            "ownerName",
        ),
        (
            "/snake/",
            'mutation { create_plain_snake_task(input: {title: "t", notes: "no owner"}) '
            "{ task { id } } }",
            "owner_name",
        ),
        # A read's errors name its arguments and filters as the schema does.
        ("/camel/", "{ ownedTasks { totalCount } }", "dueDate"),
        ("/camel/", '{ ownCheck(dueDate: "x") }', "dueDate"),
        ("/snake/", '{ own_check(due_date: "x") }', "due_date"),
        ("/snake/", "{ owned_tasks { total_count } }", "due_date"),
        (
            "/camel/",
            '{ snakeTasks(filter: {shape: "x"}) { totalCount } }',
            "filter.shape.corner_count",  # below a value: REST's key, as in a mutation
        ),
        (
            "/snake/",
            '{ snake_tasks(filter: {shape: "x"}) { total_count } }',
            "filter.shape.corner_count",
        ),
        (
            "/snake/",
            '{ snake_tasks(filter: {due_date__lt: "nope"}) { total_count } }',
            "filter.due_date__lt",
        ),
        ("/snake/", '{ snake_tasks(order_by: ["nope"]) { total_count } }', "order_by.0"),
        (
            "/snake/",
            '{ snakeCrudTasks(filter: {due_date__lt: "nope"}) { total_count } }',
            "filter.due_date__lt",
        ),
        (
            "/camel/",
            '{ snakeTasks(filter: {dueDate_Lt: "nope"}) { totalCount } }',
            "filter.dueDate_Lt",
        ),
        ("/camel/", '{ snakeTasks(orderBy: ["nope"]) { totalCount } }', "orderBy.0"),
        (
            "/camel/",
            '{ snakeCrudTasks(filter: {dueDate_Lt: "nope"}) { totalCount } }',
            "filter.dueDate_Lt",
        ),
    ],
)
def test_error_paths_follow_the_schemas_case_without_auto_camelcase(client, url, query, field):
    """Under graphene's auto_camelcase=False, a field an error names that the input type
    does not hold, and a read's filters and ordering, were still camelCased: names that
    schema does not have (``ownerName``, ``filter.dueDate_Lt``, ``orderBy.0``). The
    schema's case is the schema's, not guessed from one input's names."""
    assert _error_fields(client, url, query) == ("VALIDATION_ERROR", [field])
    assert not Task.objects.exists()


class DriverError(Exception):
    """A driver's exception, as Django wraps it (``IntegrityError.__cause__``)."""

    def __init__(self, *args, sqlstate=None):
        super().__init__(*args)
        if sqlstate is not None:
            self.sqlstate = sqlstate


@pytest.mark.parametrize(
    "cause, kind",
    [
        # PyMySQL sets MySQL's SQLSTATE, 23000 for every integrity error: the number tells.
        (DriverError(1062, "Duplicate entry 'a' for key 'code'", sqlstate="23000"), "unique"),
        (DriverError(1452, "Cannot add or update a child row", sqlstate="23000"), "foreign_key"),
        (
            DriverError(1451, "Cannot delete or update a parent row", sqlstate="23000"),
            "foreign_key",
        ),
        (DriverError(4025, "CONSTRAINT `positive` failed", sqlstate="23000"), "check"),
        (DriverError(1062, "Duplicate entry 'a' for key 'code'"), "unique"),  # mysqlclient
        (DriverError("duplicate key value", sqlstate="23505"), "unique"),  # psycopg
        (DriverError("insert or update violates foreign key", sqlstate="23503"), "foreign_key"),
        (DriverError("raised by a trigger", sqlstate="P0001"), "other"),
        (sqlite3.IntegrityError("UNIQUE constraint failed: testapp_tag.name"), "unique"),
        (DriverError("a backend that names no kind"), None),
    ],
)
def test_integrity_violation_reads_each_backends_kind(cause, kind):
    """MariaDB through PyMySQL: its SQLSTATE was read as PostgreSQL's, every lost unique or
    foreign-key race a 500 instead of the validation error validating again gives."""
    exc = IntegrityError(*cause.args)
    exc.__cause__ = cause
    if isinstance(cause, sqlite3.Error):
        cause.sqlite_errorcode = 2067
    assert integrity_violation(exc) == kind
