"""A list read through GraphQL answers what the REST list answers, for any rows and any
filters, search, ordering and page.

One Task viewset with a filter set (text, choices, ranges, dates, nulls, relations, CSV
lists), `SearchFilter` (prefixes, relations), `OrderingFilter` (a nullable field, a
relation, a default) and a paginator is served by REST, by `ViewSetCrud` (limit/offset,
then page numbers) and by a `ListField` with the same options. Generated rows (ties,
case and accent variants, nulls) and generated parameters (valid and not) go to both:
the counts, the rows and their order, and the errors must agree. The README's documented
differences are allowed for: tied rows may come in another order, a range filter's error
names the parameter sent, a `ListField` refuses unknown `orderBy` terms and negative
`limit`/`offset`.
"""

import datetime
import json

import django_filters
import graphene
import pytest
from django.urls import include, path
from django_filters.rest_framework import DjangoFilterBackend
from graphene.utils.str_converters import to_camel_case
from hypothesis import given, note, settings
from hypothesis import strategies as st
from rest_framework import filters, pagination, serializers, viewsets
from rest_framework.routers import DefaultRouter

from drf_graphql_crud import DRFGraphQLView, ListField, ViewSetCrud
from tests.testapp.models import Project, Tag, Task

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class ReadTaskSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True, default=None)

    class Meta:
        model = Task
        fields = ["id", "title", "status", "priority", "due_date", "project_name", "tags"]


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    pass


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    pass


class ReadTaskFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains")
    status = django_filters.ChoiceFilter(choices=Task.Status.choices)
    status_in = CharInFilter(field_name="status", lookup_expr="in")
    priority = django_filters.RangeFilter()
    priority_in = NumberInFilter(field_name="priority", lookup_expr="in")
    due = django_filters.DateFromToRangeFilter(field_name="due_date")
    no_due = django_filters.BooleanFilter(field_name="due_date", lookup_expr="isnull")
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.all())
    project_name = django_filters.CharFilter(field_name="project__name", lookup_expr="iexact")
    tags = django_filters.ModelMultipleChoiceFilter(queryset=Tag.objects.all())
    tags_all = django_filters.ModelMultipleChoiceFilter(
        field_name="tags", queryset=Tag.objects.all(), conjoined=True
    )

    class Meta:
        model = Task
        fields = []


SEARCH_FIELDS = ["^title", "=status", "project__name", "tags__name"]
ORDERING_FIELDS = ["id", "title", "priority", "due_date", "project__name", "status"]
DEFAULT_ORDERING = ["-priority", "id"]


class HundredRows(pagination.LimitOffsetPagination):
    default_limit = max_limit = 100  # ListField's limits


class FourRowPages(pagination.PageNumberPagination):
    page_size = 4
    page_size_query_param = "page_size"
    max_page_size = 10


class ReadTaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.all()
    serializer_class = ReadTaskSerializer
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_class = ReadTaskFilter
    search_fields = SEARCH_FIELDS
    ordering_fields = ORDERING_FIELDS
    ordering = DEFAULT_ORDERING
    pagination_class = HundredRows


class PagedReadTaskViewSet(ReadTaskViewSet):
    pagination_class = FourRowPages


class ReadParityQuery(
    ViewSetCrud(ReadTaskViewSet, name="offsetTask").Query,
    ViewSetCrud(PagedReadTaskViewSet, name="pagedTask").Query,
    graphene.ObjectType,
):
    listed_tasks = ListField(
        ReadTaskSerializer,
        queryset=Task.objects.order_by(*DEFAULT_ORDERING),
        filterset_class=ReadTaskFilter,
        search_fields=SEARCH_FIELDS,
        ordering_fields=ORDERING_FIELDS,
    )


router = DefaultRouter()
router.register("offset-tasks", ReadTaskViewSet, basename="offset-task")
router.register("paged-tasks", PagedReadTaskViewSet, basename="paged-task")
urlpatterns = [
    path("graphql/", DRFGraphQLView.as_view(schema=graphene.Schema(query=ReadParityQuery))),
    path("api/", include(router.urls)),
]

# ------------------------------------------------------------------------------ rows

WORDS = ["Buy", "buy", "café", "CAFÉ", "straße", "STRASSE", 'a"b', "x,y", "O'Neil", "日本", "k"]
TAG_NAMES = ["home", "Home", "été", "ÉTÉ"]
PROJECT_NAMES = ["Garden", "garden", "Café"]
STATUSES = ["todo", "in_progress", "done"]
START = datetime.date(2026, 1, 1)

rows = st.lists(
    st.fixed_dictionaries(
        {
            "title": st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join),
            "status": st.sampled_from(STATUSES),
            "priority": st.integers(-2, 3),  # ties, on purpose
            "due": st.one_of(st.none(), st.integers(0, 60)),
            "project": st.one_of(st.none(), st.integers(0, len(PROJECT_NAMES) - 1)),
            "tags": st.sets(st.integers(0, len(TAG_NAMES) - 1), max_size=3),
        }
    ),
    min_size=8,
    max_size=24,
)


def store(drawn):
    """The drawn rows in the database, in place of the last example's."""
    Task.objects.all().delete()
    Tag.objects.all().delete()
    Project.objects.all().delete()
    tags = [Tag.objects.create(name=name) for name in TAG_NAMES]
    projects = [
        Project.objects.create(slug=f"p{index}", name=name)
        for index, name in enumerate(PROJECT_NAMES)
    ]
    tasks = Task.objects.bulk_create(
        Task(
            title=row["title"][:100],
            status=row["status"],
            priority=row["priority"],
            due_date=None if row["due"] is None else START + datetime.timedelta(days=row["due"]),
            project=None if row["project"] is None else projects[row["project"]],
        )
        for row in drawn
    )
    Task.tags.through.objects.bulk_create(
        Task.tags.through(task_id=task.pk, tag_id=tags[index].pk)
        for task, row in zip(tasks, drawn, strict=True)
        for index in row["tags"]
    )
    return tags, projects


# ------------------------------------------------------------------------------ parameters

texts = st.one_of(
    st.sampled_from([*WORDS, "", "'", '"buy milk"', "a,b", "%", "_"]),
    st.text(alphabet="aAéÉ ,\"'%_\x00\t", max_size=6),
)
dates = st.one_of(
    st.integers(-5, 65).map(lambda days: str(START + datetime.timedelta(days=days))),
    st.sampled_from(["soon", "2026-02-30", "", "01/02/2026"]),
)
ORDER_TERMS = [
    *ORDERING_FIELDS,
    *("nope", "Priority", "tags__name", "--priority", "pk", " priority", "", "id,nope"),
]
CSV_FILTERS = {"status_in", "priority_in"}
BIG = st.sampled_from([1000, 2**31 - 1])


@st.composite
def parameters(draw, tags, projects):
    """REST's query parameters, as a dict of Python values (lists for CSV filters)."""
    chosen = {
        "title": texts,
        "status": st.sampled_from([*STATUSES, "nope", "TODO", ""]),
        "status_in": st.lists(st.sampled_from([*STATUSES, "zz"]), min_size=1, max_size=3),
        "priority_min": st.integers(-3, 4),
        "priority_max": st.integers(-3, 4),
        "priority_in": st.lists(st.sampled_from(["0", "1", "-1", "x", "1.5"]), min_size=1),
        "due_after": dates,
        "due_before": dates,
        "no_due": st.booleans(),
        "project": st.sampled_from([*(str(row.pk) for row in projects), "999999", "abc"]),
        "project_name": st.sampled_from([*PROJECT_NAMES, "GARDEN", "x"]),
        "tags": st.lists(st.sampled_from([*(str(row.pk) for row in tags), "999999"]), min_size=1),
        "tags_all": st.lists(st.sampled_from([str(row.pk) for row in tags]), min_size=1),
        "search": texts,
        "ordering": st.lists(
            st.tuples(st.booleans(), st.sampled_from(ORDER_TERMS)).map(
                lambda term: ("-" if term[0] else "") + term[1]
            ),
            max_size=3,
        ),
    }
    drawn = {name: draw(values) for name, values in chosen.items() if draw(st.integers(0, 3)) == 0}
    for name in ("limit", "offset", "page", "page_size"):
        drawn[name] = draw(st.one_of(st.none(), st.integers(-2, 12), BIG))
    return drawn


def rest_query(drawn, paging):
    query = {}
    for name, value in drawn.items():
        if name in ("limit", "offset", "page", "page_size") and name not in paging:
            continue
        if value is None or (name == "ordering" and not value):
            continue
        if name in CSV_FILTERS or name == "ordering":
            value = ",".join(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        query[name] = str(value) if isinstance(value, int) else value
    return query


def graphql_variables(drawn, paging):
    variables = {}
    filter_values = {
        to_camel_case(name): value
        for name, value in drawn.items()
        if name not in ("search", "ordering", "limit", "offset", "page", "page_size")
    }
    if filter_values:
        variables["filter"] = filter_values
    if "search" in drawn:
        variables["search"] = drawn["search"]
    if "ordering" in drawn:
        variables["orderBy"] = drawn["ordering"]
    for name in paging:
        if drawn.get(name) is not None:
            variables[to_camel_case(name)] = drawn[name]
    return variables


def graphql_query(field, paging):
    arguments = {"filter": "ReadTaskFilterInput", "search": "String", "orderBy": "[String!]"}
    arguments.update({to_camel_case(name): "Int" for name in paging})
    declared = ", ".join(f"${name}: {kind}" for name, kind in arguments.items())
    passed = ", ".join(f"{name}: ${name}" for name in arguments)
    return (
        f"query({declared}) {{ {field}({passed}) {{ totalCount results "
        "{ id title status priority dueDate projectName tags } } }"
    )


# ------------------------------------------------------------------------------ answers


def as_graphql(row):
    """A REST row as GraphQL renders it (ids as text, choices as enum names)."""
    return {
        "id": str(row["id"]),
        "title": row["title"],
        "status": row["status"].upper(),
        "priority": row["priority"],
        "dueDate": row["due_date"],
        "projectName": row["project_name"],
        "tags": [str(tag) for tag in row["tags"]],
    }


def ordering_of(drawn):
    """The ordering REST applies: the valid terms sent, else the default."""
    terms = [term.strip() for term in ",".join(drawn.get("ordering") or []).split(",")]
    valid = [term for term in terms if term.removeprefix("-") in ORDERING_FIELDS]
    return valid or DEFAULT_ORDERING


def same_order(rest_ids, graphql_ids, ordering):
    """Exactly REST's order where the ordering ends in a unique key; else the same runs of
    tied rows, each holding the same rows (a page's first and last run only as many: the
    page may cut a run of ties elsewhere)."""
    assert len(rest_ids) == len(graphql_ids)
    names = [term.removeprefix("-") for term in ordering]
    if "id" in names:
        assert rest_ids == graphql_ids
        return
    keys = {
        row["id"]: tuple(row[name] for name in names)
        for row in Task.objects.filter(pk__in={*rest_ids, *graphql_ids}).values("id", *names)
    }

    def runs(ids):
        grouped: list[tuple[tuple, list[int]]] = []
        for each in ids:
            if grouped and grouped[-1][0] == keys[each]:
                grouped[-1][1].append(each)
            else:
                grouped.append((keys[each], [each]))
        return grouped

    rest_runs, graphql_runs = runs(rest_ids), runs(graphql_ids)
    assert [(key, len(ids)) for key, ids in rest_runs] == [
        (key, len(ids)) for key, ids in graphql_runs
    ]
    for rest_run, graphql_run in list(zip(rest_runs, graphql_runs, strict=True))[1:-1]:
        assert sorted(rest_run[1]) == sorted(graphql_run[1])


#: A range filter's error: REST names the filter (``due``), GraphQL the parameter sent.
RANGES = {"due": "due", "dueAfter": "due", "dueBefore": "due"}
RANGES.update({"priority": "priority", "priorityMin": "priority", "priorityMax": "priority"})


def error_set(errors):
    return {
        (RANGES.get(field.removeprefix("filter."), field) if field else None, message)
        for field, message in errors
    }


def rest_errors(body):
    if isinstance(body, list):  # SearchFilter's refusal of the text: the `search` argument's
        return error_set(("search", message) for message in body)
    return error_set(
        (
            (f"filter.{to_camel_case(name)}" if name not in ("search", "ordering") else name),
            message,
        )
        for name, messages in body.items()
        for message in ([messages] if isinstance(messages, str) else messages)
    )


def check(client, field, url, paging, drawn, listfield=False):
    query = rest_query(drawn, paging)
    variables = graphql_variables(drawn, paging)
    note(f"REST {url} {query}; GraphQL {field} {json.dumps(variables)}")
    rest = client.get(url, query)
    answer = client.post(
        "/graphql/",
        json.dumps({"query": graphql_query(field, paging), "variables": variables}),
        content_type="application/json",
    ).json()
    note(f"REST {rest.status_code}; GraphQL {json.dumps(answer)[:1000]}")
    if listfield:
        unknown = [
            term
            for term in drawn.get("ordering", ())
            if term.removeprefix("-") not in ORDERING_FIELDS
        ]
        if unknown or min(drawn["limit"] or 0, drawn["offset"] or 0) < 0:
            assert answer["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
            return
    if rest.status_code == 200:
        assert "errors" not in answer
        page = answer["data"][field]
        assert page["totalCount"] == rest.json()["count"]
        results = rest.json()["results"]
        same_order(
            [row["id"] for row in results],
            [int(row["id"]) for row in page["results"]],
            ordering_of(drawn),
        )
        by_id = {str(row["id"]): as_graphql(row) for row in results}
        assert all(row == by_id[row["id"]] for row in page["results"])
    elif rest.status_code == 400:
        (error,) = answer["errors"]
        assert error["extensions"]["code"] == "VALIDATION_ERROR"
        sent = {(each["field"], each["message"]) for each in error["extensions"]["errors"]}
        assert error_set(sent) == rest_errors(rest.json())
    else:
        assert rest.status_code == 404
        (error,) = answer["errors"]
        assert error["extensions"]["code"] == "NOT_FOUND"
        assert error["message"] == rest.json()["detail"]


# ------------------------------------------------------------------------------ properties

EXAMPLES = settings(max_examples=settings().max_examples * 2)


@EXAMPLES
@given(drawn_rows=rows, data=st.data())
def test_a_viewset_crud_list_by_offset_answers_as_rest(client, drawn_rows, data):
    drawn = data.draw(parameters(*store(drawn_rows)))
    check(client, "offsetTasks", "/api/offset-tasks/", ("limit", "offset"), drawn)


@EXAMPLES
@given(drawn_rows=rows, data=st.data())
def test_a_viewset_crud_list_by_page_answers_as_rest(client, drawn_rows, data):
    drawn = data.draw(parameters(*store(drawn_rows)))
    check(client, "pagedTasks", "/api/paged-tasks/", ("page", "page_size"), drawn)


@EXAMPLES
@given(drawn_rows=rows, data=st.data())
def test_a_list_field_answers_as_rest(client, drawn_rows, data):
    drawn = data.draw(parameters(*store(drawn_rows)))
    check(client, "listedTasks", "/api/offset-tasks/", ("limit", "offset"), drawn, listfield=True)
