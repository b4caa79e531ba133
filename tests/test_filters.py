"""Filter sets as GraphQL input: each error on the parameter the client sent, as REST judges it.

The same filter set behind a ``ListField`` and behind a ``ViewSetCrud`` viewset (``FIELDS``),
compared with what the REST viewset answers for the same query string.
"""

import datetime

import django_filters
import graphene
import pytest
from django import forms
from django.db import connection
from django.test import override_settings
from django.urls import include, path
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters, serializers, viewsets
from rest_framework.routers import DefaultRouter

from drf_graphql_crud import DRFGraphQLView, ListField, ViewSetCrud
from tests.factories import TaskFactory
from tests.testapp.models import Task

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class GuardedFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("title") == "forbidden":
            raise forms.ValidationError("That title may not be searched.", code="forbidden")
        return data


class TaskFilter(django_filters.FilterSet):
    due = django_filters.DateFromToRangeFilter(field_name="due_date")
    # Its parameter is the range's `due_after` too, with a message of its own.
    due_after = django_filters.NumberFilter(field_name="priority", lookup_expr="gte")
    prio = django_filters.LookupChoiceFilter(
        field_name="priority",
        field_class=forms.IntegerField,
        lookup_choices=[("exact", "Equals"), ("gt", "Greater than")],
    )
    created = django_filters.DateTimeFromToRangeFilter()
    iso = django_filters.IsoDateTimeFromToRangeFilter(field_name="created")
    title = django_filters.CharFilter()

    class Meta:
        model = Task
        fields = []
        form = GuardedFilterForm


class FilterTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title"]


class FilterTaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = FilterTaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TaskFilter


class RangeFieldsViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = FilterTaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = {"priority": ["range", "gte"], "due_date": ["range"]}


class RequiredRangeFilter(django_filters.FilterSet):
    due = django_filters.DateFromToRangeFilter(field_name="due_date", required=True)

    class Meta:
        model = Task
        fields = []


class RequiredRangeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = FilterTaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RequiredRangeFilter


class CreatedFieldsViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = FilterTaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = {"created": ["gte"]}


class DictNamesFilter(django_filters.FilterSet):
    """Filters named as a dict's methods: graphene sets each input field as an attribute
    of the dict it hands over, hiding the method of that name."""

    get = django_filters.CharFilter(field_name="status")  # first: the others are read after it
    items = django_filters.CharFilter(field_name="title", lookup_expr="icontains")
    keys = django_filters.NumberFilter(field_name="priority")

    class Meta:
        model = Task
        fields = []


class DictNamesViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = FilterTaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DictNamesFilter


class RaisingFilter(django_filters.FilterSet):
    """Refuses values while filtering, past its form: DRF's usual one-message dicts."""

    title = django_filters.CharFilter()
    near = django_filters.NumberFilter(method="filter_near")
    shape = django_filters.CharFilter(method="filter_shape")

    class Meta:
        model = Task
        fields = []

    def filter_near(self, queryset, name, value):
        if value > 100:
            raise exceptions.ValidationError({name: "Too far."})
        return queryset.filter(priority__gte=value)

    def filter_shape(self, queryset, name, value):
        raise exceptions.ValidationError({name: {"corners": ["Too many corners."]}})

    def filter_queryset(self, queryset):
        if self.form.cleaned_data.get("title") == "secret":
            raise exceptions.ValidationError({"title": "Not that one."})
        return super().filter_queryset(queryset)


class OneFilterAtLeastForm(forms.Form):
    def clean(self):
        data = super().clean()
        if not data.get("title"):
            raise forms.ValidationError("Give a title to look for.", code="required")
        return data


class TitleRequiredFilter(django_filters.FilterSet):
    title = django_filters.CharFilter()

    class Meta:
        model = Task
        fields = []
        form = OneFilterAtLeastForm


class TitleRequiredViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = FilterTaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TitleRequiredFilter


class IdsViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = FilterTaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = {"id": ["in"]}


class RaisingViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = FilterTaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RaisingFilter


class RefusingSearchBackend:
    """A backend of the project's own, refusing a search as a form would: a non-field
    error (`__all__`), as django-filter's translation gives one."""

    def filter_queryset(self, request, queryset, view):
        if request.query_params.get("search") == "everything":
            raise exceptions.ValidationError({"__all__": ["Search for something."]})
        return queryset


class RefusedSearchViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = FilterTaskSerializer
    filter_backends = [filters.SearchFilter, RefusingSearchBackend]
    search_fields = ["title"]


class RefusedSearchFilterSetViewSet(RefusedSearchViewSet):
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, RefusingSearchBackend]
    filterset_class = RaisingFilter


class DatePartsFilter(django_filters.FilterSet):
    # A year spelled in field_name, and a datetime's date's year: each compares a year.
    due_year = django_filters.NumberFilter(field_name="due_date__year")
    created_date_year = django_filters.NumberFilter(field_name="created", lookup_expr="date__year")

    class Meta:
        model = Task
        fields = {"due_date": ["year", "iso_year__gte", "month"], "created": ["year"]}


class DatePartsViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.order_by("pk")
    serializer_class = FilterTaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DatePartsFilter


filter_crud = ViewSetCrud(FilterTaskViewSet, name="crudTask")
date_parts_crud = ViewSetCrud(DatePartsViewSet, name="datePartsTask")
raising_crud = ViewSetCrud(RaisingViewSet, name="raisingTask")
ids_crud = ViewSetCrud(IdsViewSet, name="idsTask")
title_required_crud = ViewSetCrud(TitleRequiredViewSet, name="titleRequiredTask")
refused_search_crud = ViewSetCrud(RefusedSearchViewSet, name="refusedSearchTask")
refused_search_filter_crud = ViewSetCrud(RefusedSearchFilterSetViewSet, name="searchFilterTask")
dict_names_crud = ViewSetCrud(DictNamesViewSet, name="dictNamesTask")
created_crud = ViewSetCrud(CreatedFieldsViewSet, name="createdCrudTask")
required_crud = ViewSetCrud(RequiredRangeViewSet, name="requiredTask")
range_fields_crud = ViewSetCrud(RangeFieldsViewSet, name="rangeTask")


class Query(
    filter_crud.Query,
    date_parts_crud.Query,
    range_fields_crud.Query,
    required_crud.Query,
    created_crud.Query,
    dict_names_crud.Query,
    raising_crud.Query,
    ids_crud.Query,
    title_required_crud.Query,
    refused_search_crud.Query,
    refused_search_filter_crud.Query,
    graphene.ObjectType,
):
    raising_list = ListField(FilterTaskSerializer, filterset_class=RaisingFilter)
    ids_list = ListField(FilterTaskSerializer, filterset_fields={"id": ["in"]})
    title_required_list = ListField(FilterTaskSerializer, filterset_class=TitleRequiredFilter)
    dict_names_list = ListField(FilterTaskSerializer, filterset_class=DictNamesFilter)
    created_tasks = ListField(FilterTaskSerializer, filterset_fields={"created": ["gte"]})
    required_list = ListField(FilterTaskSerializer, filterset_class=RequiredRangeFilter)
    list_tasks = ListField(FilterTaskSerializer, filterset_class=TaskFilter)
    date_parts_list = ListField(FilterTaskSerializer, filterset_class=DatePartsFilter)
    field_tasks = ListField(
        FilterTaskSerializer,
        filterset_fields={"priority": ["range", "gte"], "due_date": ["range"]},
    )


schema = graphene.Schema(query=Query)
router = DefaultRouter()
router.register("filter-tasks", FilterTaskViewSet, basename="filter-task")
router.register("required-tasks", RequiredRangeViewSet, basename="required-task")
router.register("range-tasks", RangeFieldsViewSet, basename="range-task")
router.register("date-parts", DatePartsViewSet, basename="date-parts")
router.register("created-tasks", CreatedFieldsViewSet, basename="created-task")
router.register("dict-names", DictNamesViewSet, basename="dict-names")
router.register("raising-tasks", RaisingViewSet, basename="raising-task")
router.register("title-required", TitleRequiredViewSet, basename="title-required")
router.register("refused-search", RefusedSearchViewSet, basename="refused-search")
router.register("search-filter", RefusedSearchFilterSetViewSet, basename="search-filter")
urlpatterns = [
    path("graphql/", DRFGraphQLView.as_view(schema=schema)),
    path("api/", include(router.urls)),
]


def gql(client, field, filter_values):
    input_type = schema.graphql_schema.query_type.fields[field].args["filter"].type
    query = f"query($f: {input_type}) {{ {field}(filter: $f) {{ totalCount }} }}"
    body = client.post(
        "/graphql/",
        {"query": query, "variables": {"f": filter_values}},
        content_type="application/json",
    ).json()
    return body


def errors_of(body):
    assert "errors" in body, body
    (only,) = body["errors"]
    assert only["extensions"]["code"] == "VALIDATION_ERROR", only
    return sorted(
        ((e["field"], e["message"]) for e in only["extensions"]["errors"]),
        key=lambda pair: (pair[0] or "", pair[1]),
    )


FIELDS = ["listTasks", "crudTasks"]


def test_schema_fields():
    text = str(schema)
    assert "dueAfter: String" in text  # shared by two filters
    assert "prio: Int" in text and "prioLookup: String" in text
    assert "createdAfter: DateTimeString" in text and "isoBefore: DateTimeString" in text


@pytest.mark.parametrize("field", FIELDS)
def test_a_parameter_two_filters_read_keeps_both_filters_errors(client, field):
    """REST answers {"due": [...], "due_after": [...]}: both errors reach the client."""
    response = client.get("/api/filter-tasks/", {"due_after": "soon"})
    assert response.status_code == 400
    assert response.json() == {
        "due": ["Enter a valid date."],
        "due_after": ["Enter a number."],
    }
    body = gql(client, field, {"dueAfter": "soon"})
    assert errors_of(body) == [
        ("filter.dueAfter", "Enter a number."),
        ("filter.dueAfter", "Enter a valid date."),
    ]


@pytest.mark.parametrize("field", FIELDS)
def test_lookup_choice_filter_errors(client, field):
    assert (
        client.get("/api/filter-tasks/", {"prio": "1", "prio_lookup": "bogus"}).status_code == 400
    )
    body = gql(client, field, {"prio": 1, "prioLookup": "bogus"})
    assert [f for f, _ in errors_of(body)] == ["filter.prioLookup"]
    body = gql(client, field, {"prio": 1})
    assert errors_of(body) == [("filter.prio", "Select a lookup.")]
    TaskFactory(priority=5)
    body = gql(client, field, {"prio": 1, "prioLookup": "gt"})
    assert body == {"data": {field: {"totalCount": 1}}}


@pytest.mark.parametrize("field", FIELDS)
def test_datetime_range_errors_name_the_refused_parameter(client, field):
    body = gql(client, field, {"createdAfter": "2025-01-01T00:00:00Z", "createdBefore": "nope"})
    assert [f for f, _ in errors_of(body)] == ["filter.createdBefore"]
    body = gql(client, field, {"isoAfter": "01/15/2025 10:00", "isoBefore": "2026-01-01T00:00:00Z"})
    assert [f for f, _ in errors_of(body)] == ["filter.isoAfter"]


def test_a_filter_sets_non_field_error_is_keyed_alike_by_listfield_and_viewsetcrud(client):
    """The filter set's own error (REST: `__all__`) is the `filter` argument's."""
    response = client.get("/api/filter-tasks/", {"title": "forbidden"})
    assert (response.status_code, response.json()) == (
        400,
        {"__all__": ["That title may not be searched."]},
    )
    list_field = errors_of(gql(client, "listTasks", {"title": "forbidden"}))
    crud = errors_of(gql(client, "crudTasks", {"title": "forbidden"}))
    assert list_field == [("filter", "That title may not be searched.")]
    assert crud == list_field


@pytest.mark.parametrize("field", ["raisingList", "raisingTasks"])
@pytest.mark.parametrize(
    ("values", "params", "rest_body", "expected"),
    [
        (
            {"title": "secret"},
            {"title": "secret"},
            {"title": "Not that one."},
            [("filter.title", "Not that one.")],
        ),
        ({"near": 500}, {"near": "500"}, {"near": "Too far."}, [("filter.near", "Too far.")]),
        (
            {"shape": "star"},
            {"shape": "star"},
            {"shape": {"corners": ["Too many corners."]}},
            [("filter.shape.corners", "Too many corners.")],
        ),
    ],
)
def test_what_a_filter_set_raises_while_filtering_is_keyed_as_its_forms_errors(
    client, field, values, params, rest_body, expected
):
    """A method filter, or the filter set's filter_queryset(), raising its own error (one
    message, not a list; a dict by part) after the form passed: REST's 400, at
    filter.<parameter>."""
    response = client.get("/api/raising-tasks/", params)
    assert (response.status_code, response.json()) == (400, rest_body)
    assert errors_of(gql(client, field, values)) == expected


@pytest.mark.parametrize(
    ("url", "field"),
    [("/api/refused-search/", "refusedSearchTasks"), ("/api/search-filter/", "searchFilterTasks")],
)
def test_another_backends_non_field_error_is_not_the_filter_arguments(client, url, field):
    """With or without a filter set beside it, a non-field error of another backend is a
    non-field error, as REST's `__all__`: not one of a `filter` argument never sent."""
    response = client.get(url, {"search": "everything"})
    assert (response.status_code, response.json()) == (400, {"__all__": ["Search for something."]})
    body = client.post(
        "/graphql/",
        {"query": f'{{ {field}(search: "everything") {{ totalCount }} }}'},
        content_type="application/json",
    ).json()
    assert errors_of(body) == [(None, "Search for something.")]


@pytest.mark.parametrize("field", ["titleRequiredList", "titleRequiredTasks"])
def test_a_filter_sets_non_field_error_without_filter_values_is_a_non_field_error(client, field):
    """Nothing sent under `filter`: REST's `__all__` is no argument's, under both fields."""
    response = client.get("/api/title-required/")
    assert (response.status_code, response.json()) == (
        400,
        {"__all__": ["Give a title to look for."]},
    )
    body = client.post(
        "/graphql/", {"query": f"{{ {field} {{ totalCount }} }}"}, content_type="application/json"
    ).json()
    assert errors_of(body) == [(None, "Give a title to look for.")]
    # Given a filter argument, it is the argument's, as when its values are refused.
    body = gql(client, field, {"title": ""})
    assert errors_of(body) == [("filter", "Give a title to look for.")]


@pytest.mark.parametrize("field", ["idsList", "idsTasks"])
def test_a_list_filter_value_of_more_items_than_max_filter_values_is_refused(
    client, settings, field
):
    """Each item is a bound parameter: 260,000 ids were SQLite's "too many SQL variables"
    (a 500), and tens of thousands seconds of work, where a REST URL cannot carry them."""
    tasks = [TaskFactory(), TaskFactory()]
    settings.DRF_GRAPHQL_CRUD = {"MAX_FILTER_VALUES": 3}
    ids = [str(task.pk) for task in tasks]
    assert gql(client, field, {"id_In": [*ids, "0"]}) == {"data": {field: {"totalCount": 2}}}
    body = gql(client, field, {"id_In": [*ids, "0", "0"]})
    assert errors_of(body) == [("filter.id_In", "Ensure this field has no more than 3 elements.")]
    # Counted as the filter set reads them: an item holding commas is several values.
    body = gql(client, field, {"id_In": [",".join([*ids, "0", "0"])]})
    assert errors_of(body) == [("filter.id_In", "Ensure this field has no more than 3 elements.")]
    settings.DRF_GRAPHQL_CRUD = {"MAX_FILTER_VALUES": None}
    body = gql(client, field, {"id_In": [*ids] + ["0"] * 2000})
    assert body == {"data": {field: {"totalCount": 2}}}  # no cap, as asked


@pytest.mark.parametrize("field", ["fieldTasks", "rangeTasks"])
def test_filterset_fields_range_lookups(client, field):
    response = client.get("/api/range-tasks/", {"priority__range": "1"})
    assert (response.status_code, list(response.json())) == (400, ["priority__range"])
    body = gql(client, field, {"priority_Range": ["1"]})
    assert [f for f, _ in errors_of(body)] == ["filter.priority_Range"]
    body = gql(client, field, {"priority_Gte": 1, "priority_Range": ["x", "2"]})
    assert [f for f, _ in errors_of(body)] == ["filter.priority_Range"]


@pytest.mark.parametrize("field", FIELDS)
def test_field_and_non_field_errors_together_are_keyed_alike(client, field):
    """A range filter's error beside a filter set's own: ListField and ViewSetCrud alike,
    each error on a path of the input."""
    response = client.get("/api/filter-tasks/", {"created_after": "nope", "title": "forbidden"})
    assert (response.status_code, sorted(response.json())) == (400, ["__all__", "created"])
    body = gql(client, field, {"createdAfter": "nope", "title": "forbidden"})
    assert errors_of(body) == [
        ("filter", "That title may not be searched."),
        ("filter.createdAfter", "Enter a valid date/time."),
    ]


@pytest.mark.parametrize("field", ["requiredList", "requiredTasks"])
def test_a_required_range_filter_left_out_names_an_input_field(client, field):
    response = client.get("/api/required-tasks/")
    assert (response.status_code, response.json()) == (400, {"due": ["This field is required."]})
    body = gql(client, field, {})
    # REST's key, `due`, is no field of the input: the first parameter the range reads.
    assert errors_of(body) == [("filter.dueAfter", "This field is required.")]


@override_settings(MIDDLEWARE=["django.middleware.locale.LocaleMiddleware"])
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("field", ["createdTasks", "createdCrudTasks"])
def test_filterset_fields_datetimes_are_iso_8601_in_every_language(
    client, restores_language, field, language
):
    """DjangoFilterBackend builds its filter sets on django-filter's DRF FilterSet, whose
    datetimes are ISO 8601 only: a date in the caller's local format is refused, not read
    as 3 February in one language and 2 March in another."""
    TaskFactory()
    local = "02/03/2026 00:00"
    response = client.get(
        "/api/created-tasks/", {"created__gte": local}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400
    [rest_message] = response.json()["created__gte"]
    input_type = schema.graphql_schema.query_type.fields[field].args["filter"].type
    query = f"query($f: {input_type}) {{ {field}(filter: $f) {{ totalCount }} }}"

    def ask(value):
        return client.post(
            "/graphql/",
            {"query": query, "variables": {"f": {"created_Gte": value}}},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=language,
        ).json()

    assert errors_of(ask(local)) == [("filter.created_Gte", rest_message)]
    assert ask("2000-01-01T00:00:00Z") == {"data": {field: {"totalCount": 1}}}


@pytest.mark.parametrize("field", FIELDS)
def test_a_lone_surrogate_in_a_text_filter_is_a_validation_error(client, caplog, field):
    """JSON carries one (``"\\ud800"``), a query string cannot, and the database driver
    cannot encode it: refused as DRF's ``CharField`` refuses one, at the filter's
    parameter, where it was a logged server error."""
    TaskFactory(title="x")
    body = gql(client, field, {"title": "a\ud800"})
    assert errors_of(body) == [("filter.title", "Surrogate characters are not allowed: U+D800.")]
    assert "Unhandled exception" not in caplog.text
    assert "errors" not in gql(client, field, {"title": "x\u00e9"})


@pytest.mark.parametrize("field", ["dictNamesList", "dictNamesTasks"])
@pytest.mark.parametrize(
    ("filter_values", "params"),
    [
        ({"items": "app"}, {"items": "app"}),
        ({"keys": 2, "get": "todo"}, {"keys": 2, "get": "todo"}),
        ({"get": None}, {}),
    ],
)
def test_filters_named_as_dict_methods_filter_as_rest_does(client, field, filter_values, params):
    TaskFactory(title="apple", priority=2, status="todo")
    TaskFactory(title="pear", priority=2, status="done")
    TaskFactory(title="grape", priority=1, status="todo")
    rest = client.get("/api/dict-names/", params).json()
    input_type = schema.graphql_schema.query_type.fields[field].args["filter"].type
    query = (
        f"query($f: {input_type}) {{ {field}(filter: $f) {{ totalCount results {{ title }} }} }}"
    )
    body = client.post(
        "/graphql/",
        {"query": query, "variables": {"f": filter_values}},
        content_type="application/json",
    ).json()
    assert body == {
        "data": {
            field: {"totalCount": len(rest), "results": [{"title": row["title"]} for row in rest]}
        }
    }
    assert rest  # the filters matched some rows, and not all of them where any was given
    assert len(rest) < 3 or not params


def test_filter_labels_are_read_in_the_projects_language(isolated_registry):
    """As the serializers' descriptions: the language active while the schema is built
    (the first request's, under LocaleMiddleware) does not choose them."""
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from drf_graphql_crud.filters import filterset_input_type
    from tests.testapp.models import Task

    class LabelledTaskFilter(django_filters.FilterSet):
        due_before = django_filters.DateFilter(
            field_name="due_date", lookup_expr="lt", label=gettext_lazy("This field is required.")
        )

        class Meta:
            model = Task
            fields = []

    with translation.override("fr"):
        input_type = filterset_input_type(LabelledTaskFilter, "LabelledTaskFilterInput")
    assert input_type._meta.fields["due_before"].description == "This field is required."


def test_date_part_lookups_are_integers():
    """``due_date__year`` compares with a year, a number: ``Int``, not the column's date."""
    text = str(schema)
    names = ("dueDate_Year", "dueDate_IsoYear_Gte", "dueDate_Month", "created_Year", "dueYear")
    for name in (*names, "createdDateYear"):
        assert f"  {name}: Int\n" in text


@pytest.mark.parametrize("field", ["datePartsList", "datePartsTasks"])
def test_date_part_lookups_filter_as_rest_does(client, field):
    TaskFactory(due_date=datetime.date(2026, 3, 1))
    TaskFactory(due_date=datetime.date(2027, 1, 1))  # ISO year 2026: its week 53
    TaskFactory(due_date=None)
    for params, values in [
        ({"due_date__year": "2026"}, {"dueDate_Year": 2026}),
        ({"due_date__month": "3"}, {"dueDate_Month": 3}),
        ({"due_date__iso_year__gte": "2027"}, {"dueDate_IsoYear_Gte": 2027}),
        ({"created__year": str(timezone.now().year)}, {"created_Year": timezone.now().year}),
        ({"due_date__month": "13"}, {"dueDate_Month": 13}),
        ({"due_year": "2027"}, {"dueYear": 2027}),
        ({"created_date_year": str(timezone.now().year)}, {"createdDateYear": timezone.now().year}),
    ]:
        count = client.get("/api/date-parts/", params).json()
        assert gql(client, field, values) == {"data": {field: {"totalCount": len(count)}}}


@pytest.mark.parametrize("field", ["datePartsList", "datePartsTasks"])
@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"dueDate_Year": 10000}, "Year 10000 is out of range."),
        ({"dueDate_Year": 0}, "Year 0 is out of range."),
        ({"dueDate_Year": -1}, "Year -1 is out of range."),
        ({"created_Year": 10000}, "Year 10000 is out of range."),
        # The ISO year 9999 ends in the calendar year 10000.
        ({"dueDate_IsoYear_Gte": 9999}, "Year 9999 is out of range."),
        ({"dueYear": 10000}, "Year 10000 is out of range."),
        ({"createdDateYear": 0}, "Year 0 is out of range."),
    ],
)
def test_a_year_without_dates_is_a_validation_error(client, field, values, message):
    """Django builds the year's range of dates while the query compiles, and raises
    ``ValueError`` for a year that has none: a 500 under REST, refused here first."""
    TaskFactory(due_date=datetime.date(2026, 3, 1))
    (parameter,) = values
    with pytest.raises((ValueError, OverflowError)):
        params = {
            "dueDate_Year": "due_date__year",
            "created_Year": "created__year",
            "dueYear": "due_year",
            "createdDateYear": "created_date_year",
        }
        client.get("/api/date-parts/", {params.get(parameter, "due_date__iso_year__gte"): "0"})
    body = gql(client, field, values)
    assert errors_of(body) == [(f"filter.{parameter}", message)]
    assert body["data"] == {field: None}


@pytest.mark.parametrize("field", ["datePartsList", "datePartsTasks"])
def test_a_year_whose_last_instant_leaves_the_calendar_in_the_time_zone(client, settings, field):
    """In Chicago, the last instant of 9999 is in the year 10000 in UTC, where SQLite
    keeps datetimes: that year has no range there; PostgreSQL takes it with its zone."""
    settings.TIME_ZONE = "America/Chicago"
    TaskFactory()
    body = gql(client, field, {"created_Year": 9999})
    if connection.vendor == "sqlite":
        assert errors_of(body) == [("filter.created_Year", "Year 9999 is out of range.")]
    else:
        assert body == {"data": {field: {"totalCount": 0}}}
    assert gql(client, field, {"created_Year": 9998}) == {"data": {field: {"totalCount": 0}}}
    assert gql(client, field, {"dueDate_Year": 9999}) == {"data": {field: {"totalCount": 0}}}
