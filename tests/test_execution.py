"""SerializedExecutionContext answers exactly as graphql-core's own ExecutionContext."""

import asyncio
import json
from decimal import Decimal

import graphene
import pytest
from graphene import relay
from graphql import ExecutionContext, execute, parse, type_from_ast
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drf_graphql_crud import DRFGraphQLView
from drf_graphql_crud.execution import (
    SerializedExecutionContext,
    direct_resolver,
    execute_document,
)


class Color(graphene.Enum):
    RED = "r"
    BLUE = "b"


class Tag(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String()


class Row(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    count = graphene.Int()
    ratio = graphene.Float()
    done = graphene.Boolean()
    color = Color()
    tag = graphene.Field(Tag)
    tags = graphene.List(graphene.NonNull(Tag), required=True)
    labels = graphene.List(graphene.String)
    shout = graphene.String()
    echo = graphene.String(text=graphene.String())

    def resolve_shout(root, info):
        return root["title"].upper()

    def resolve_echo(root, info, text=None):
        return text


class NodeRow(graphene.ObjectType):
    """A Relay node: its `id` is graphene's GlobalID over the dict's "id"."""

    class Meta:
        interfaces = (relay.Node,)

    title = graphene.String()
    tag = graphene.Field(Tag)


def row(**overrides):
    value = {
        "id": 1,
        "title": "a",
        "count": 2,
        "ratio": 0.5,
        "done": True,
        "color": "r",
        "tag": {"id": 3, "name": "x"},
        "tags": [{"id": 4, "name": "y"}, {"id": 5, "name": None}],
        "labels": ["p", None],
    }
    value.update(overrides)
    return value


ROWS = {
    "plain": [row(), row(id=2, tag=None, tags=[])],
    "non-null title is null": [row(), row(title=None)],
    "non-null tag id is null": [row(tags=[{"id": None, "name": "z"}])],
    "non-null list item is null": [row(tags=[None])],
    "int out of range": [row(count=2**40)],
    "string of a list": [row(title=["x"])],
    "decimal value": [row(title=Decimal("1.5"))],
    "object that is not a dict": [row(tag="nope")],
    "list that is a tuple": [row(labels=("p", "q"))],
    "list that is a string": [row(labels="pq")],
    "unknown enum value": [row(color="green")],
    "missing keys": [{"id": 9, "title": "t", "tags": []}],
    "scalars of other types": [
        row(id="s1", title=5, count=True, ratio=3, done=1, tag={"id": 2.0, "name": False}),
        row(title=2.5, count="7", ratio="0.25", done=0.0, labels=[1, True, 1.5]),
    ],
    "infinite float": [row(ratio=float("inf"))],
    "not a number": [row(ratio=float("nan"))],
    "largest ints": [row(count=2**31 - 1), row(count=-(2**31))],
    "ints just too large": [row(count=2**31), row(count=-(2**31) - 1)],
    "string subclass": [row(title=type("Str", (str,), {})("sub"))],
}


class Query(graphene.ObjectType):
    rows = graphene.List(graphene.NonNull(Row), case=graphene.String(required=True))
    one = graphene.Field(Row, case=graphene.String(required=True))
    nodes = graphene.List(NodeRow, case=graphene.String(required=True))

    def resolve_rows(root, info, case):
        return ROWS[case]

    def resolve_one(root, info, case):
        return ROWS[case][-1]

    def resolve_nodes(root, info, case):
        return ROWS[case]


schema = graphene.Schema(query=Query)

DOCUMENTS = [
    "{ rows(case: $case) { id title count ratio done color labels tag { id name } "
    "tags { id name } } }",
    "{ rows(case: $case) { __typename id t: title tag { __typename n: name } "
    'tags { ...T } shout echo(text: "hi") } } fragment T on Tag { id name }',
    "{ one(case: $case) { id title tags { id } tag { id } } }",
    "{ rows(case: $case) { id ... on Row { title @skip(if: $skip) } color } }",
    "{ nodes(case: $case) { id title __typename tag { id } } }",
]


def run(context_class, document, case, skip=False):
    source = "query($case: String!, $skip: Boolean = false) " + document
    result = execute(
        schema.graphql_schema,
        parse(source),
        variable_values={"case": case, "skip": skip},
        execution_context_class=context_class,
    )
    return json.dumps(
        {
            "data": result.data,
            "errors": [
                {"message": error.message, "path": error.path, "locations": str(error.locations)}
                for error in result.errors or ()
            ],
        }
    )


@pytest.mark.parametrize("case", list(ROWS))
@pytest.mark.parametrize("document", DOCUMENTS)
def test_same_answer_as_graphql_core(document, case):
    for skip in (False, True):
        assert run(SerializedExecutionContext, document, case, skip) == run(
            ExecutionContext, document, case, skip
        )


def test_middleware_sees_every_field():
    seen = []

    def middleware(next_, root, info, **args):
        seen.append(info.field_name)
        return next_(root, info, **args)

    result = execute(
        schema.graphql_schema,
        parse('{ rows(case: "plain") { id title } }'),
        middleware=[middleware],
        execution_context_class=SerializedExecutionContext,
    )
    assert result.errors is None
    assert seen.count("title") == 2


def test_async_resolver_below_a_dict_is_awaited():
    class AsyncRow(graphene.ObjectType):
        id = graphene.ID()
        later = graphene.String()

        async def resolve_later(root, info):
            return "done"

    class AsyncQuery(graphene.ObjectType):
        row = graphene.Field(AsyncRow)

        def resolve_row(root, info):
            return {"id": 1}

    async_schema = graphene.Schema(query=AsyncQuery)

    async def main():
        return await execute(
            async_schema.graphql_schema,
            parse("{ row { id later } }"),
            execution_context_class=SerializedExecutionContext,
        )

    result = asyncio.run(main())
    assert result.errors is None
    assert result.data == {"row": {"id": "1", "later": "done"}}


def test_the_view_uses_it_by_default():
    assert DRFGraphQLView.execution_context_class is SerializedExecutionContext
    assert DRFGraphQLView(schema=schema).execution_context_class is SerializedExecutionContext

    class Mine(ExecutionContext):
        pass

    assert (
        DRFGraphQLView(schema=schema, execution_context_class=Mine).execution_context_class is Mine
    )


def test_serializer_data_skips_per_field_resolution():
    calls = []

    class Counting(SerializedExecutionContext):
        def execute_field(self, parent_type, source, field_nodes, path):
            calls.append(field_nodes[0].name.value)
            return super().execute_field(parent_type, source, field_nodes, path)

    run(Counting, DOCUMENTS[0], "plain")
    assert calls == ["rows"]  # the rows' fields were completed from the dicts directly
    calls.clear()
    run(Counting, DOCUMENTS[1], "plain")
    assert calls == ["rows", "shout", "echo", "shout", "echo"]  # their own resolvers run
    calls.clear()
    run(Counting, DOCUMENTS[-1], "plain")
    assert calls == ["nodes"]  # a Relay node's global `id` too


def test_a_resolvers_rows_are_completed_in_one_pass():
    objects = []

    class Counting(SerializedExecutionContext):
        def complete_object_value(self, return_type, field_nodes, info, path, result):
            objects.append(return_type.name)
            return super().complete_object_value(return_type, field_nodes, info, path, result)

    run(Counting, DOCUMENTS[0], "plain")
    run(Counting, DOCUMENTS[2], "plain")  # an object, not a list
    assert objects == []  # no row went through graphql-core's per-object completion
    # One row graphql-core must complete (its error has a path): that row alone, the
    # others still in one pass each.
    assert run(Counting, DOCUMENTS[0], "non-null title is null") == run(
        ExecutionContext, DOCUMENTS[0], "non-null title is null"
    )
    assert objects == ["Row"]


@pytest.mark.parametrize(
    "document",
    [
        '{ rows(case: "plain") { id tag { id name @include(if: $flag) } } }',
        '{ rows(case: "plain") { id title @skip(if: $flag) tag { id } } }',
        '{ rows(case: "plain") { id tag { id ...N @skip(if: $flag) } } } '
        "fragment N on Tag { name }",
        '{ rows(case: "plain") { id tag { ... on Tag @include(if: $flag) { name } } } }',
        '{ rows(case: "plain") { id tag { ...M } } } fragment M on Tag { name @skip(if: $flag) }',
    ],
)
def test_plans_shared_between_requests_respect_variables(document):
    """One parsed document (as the view's cache hands out), run with different variables."""
    parsed = parse("query($flag: Boolean!) " + document)

    def answer(context_class, flag):
        result = execute(
            schema.graphql_schema,
            parsed,
            variable_values={"flag": flag},
            execution_context_class=context_class,
        )
        return result.data, result.errors

    for flag in (True, False, True, False):
        assert answer(SerializedExecutionContext, flag) == answer(ExecutionContext, flag)


def test_plans_are_shared_for_a_repeated_document():
    from drf_graphql_crud import execution

    parsed = parse('{ rows(case: "plain") { id tag { id name } } }')
    execution._shared_plans.clear()
    execute(schema.graphql_schema, parsed, execution_context_class=SerializedExecutionContext)
    shared = dict(execution._shared_plans)
    assert shared
    execute(schema.graphql_schema, parsed, execution_context_class=SerializedExecutionContext)
    assert execution._shared_plans == shared


def test_subfields_are_shared_for_a_repeated_document_without_directives():
    from drf_graphql_crud import execution

    plain = parse('{ rows(case: "plain") { id tag { id name } } }')
    skipping = parse(
        'query($flag: Boolean!) { rows(case: "plain") { id tag { id name @skip(if: $flag) } } }'
    )
    execution._shared_subfields.clear()
    for _ in range(2):
        execute(schema.graphql_schema, plain, execution_context_class=SerializedExecutionContext)
    shared = dict(execution._shared_subfields)
    assert shared  # rows' and tag's subfields, kept with the nodes they were collected from
    execute(schema.graphql_schema, plain, execution_context_class=SerializedExecutionContext)
    assert execution._shared_subfields == shared  # the same collections, not new ones
    for flag in (True, False):
        result = execute(
            schema.graphql_schema,
            skipping,
            variable_values={"flag": flag},
            execution_context_class=SerializedExecutionContext,
        )
        assert ("name" in result.data["rows"][0]["tag"]) is not flag
    # Collecting a row's fields evaluates no directive (that one is a level below): shared.
    # Collecting the tag's fields evaluates @skip: per request.
    added = {key: value for key, value in execution._shared_subfields.items() if key not in shared}
    assert [key[0].name for key in added] == ["Row"]


def test_shared_entries_follow_the_documents_fragments():
    """Two documents may share an operation node yet define a fragment differently (an AST
    transformed and reused): what is shared between requests is keyed by the fragment
    definitions too, so the second document gets its own fragment's fields."""
    from graphql import DocumentNode

    first = parse('query { one(case: "plain") { ...F } } fragment F on Row { title }')
    other = parse("fragment F on Row { done }").definitions[0]
    second = DocumentNode(definitions=(first.definitions[0], other))
    answers = []
    for document in (first, second, first):
        for context_class in (SerializedExecutionContext, ExecutionContext):
            result = execute(schema.graphql_schema, document, execution_context_class=context_class)
            answers.append(result.data)
    titled, done = {"one": {"title": "a"}}, {"one": {"done": True}}
    assert answers == [titled, titled, done, done, titled, titled]


@pytest.mark.parametrize(
    "document",
    [
        # tag is null in one row: graphql-core never collects its subfields there.
        '{ rows(case: "plain") { id tag { id name @include(if: $flag) } } }',
        # tag holds an object: the error is tag's, on its path, and the row's id stays.
        '{ one(case: "non-null tag id is null") { id tag { id name @skip(if: $flag) } } }',
        '{ rows(case: "plain") { id tags { ...N @include(if: $flag) } } } '
        "fragment N on Tag { name }",
    ],
)
def test_a_null_directive_variable_fails_where_graphql_core_fails_it(document):
    """``@include(if: $flag)`` with a nullable ``$flag`` the client sends as null: graphql-core
    raises the error while completing the field whose selection holds the directive, and
    only for a value that is not null; planning the parent must not raise it earlier."""
    parsed = parse("query($flag: Boolean = true) " + document)

    def answer(context_class):
        result = execute(
            schema.graphql_schema,
            parsed,
            variable_values={"flag": None},
            execution_context_class=context_class,
        )
        errors = [(error.message, error.path, error.locations) for error in result.errors or ()]
        return result.data, errors

    for _ in range(2):  # the second time from whatever the first shared
        assert answer(SerializedExecutionContext) == answer(ExecutionContext)


# ------------------------------------------------------------------ variables


def _values_for(type_, depth=0):
    """Values a client might send for ``type_``: mostly what it takes, now and then anything
    (a null where the type is non-null, a value of another kind, a field it does not know)."""
    from graphql import (
        GraphQLNonNull,
    )

    junk = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=4), st.just([])
    )

    def now_and_then(rare, usual, one_in=30):
        # Not the first or last roll: hypothesis draws the ends of a range far more often.
        middle = one_in // 2
        return st.integers(1, one_in).flatmap(lambda roll: rare if roll == middle else usual)

    if isinstance(type_, GraphQLNonNull):
        return now_and_then(st.none(), _taken(type_.of_type, depth, junk, now_and_then), 40)
    return now_and_then(st.none(), _taken(type_, depth, junk, now_and_then), 8)


def _taken(type_, depth, junk, now_and_then):
    """Values of ``type_`` itself (not null), with junk now and then."""
    from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull

    if depth > 3:
        return junk
    if isinstance(type_, GraphQLList):
        item = _values_for(type_.of_type, depth + 1)
        return now_and_then(junk, st.one_of(st.lists(item, max_size=3), item))
    if isinstance(type_, GraphQLInputObjectType):
        required = {
            name: _values_for(field.type, depth + 1)
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull)
        }
        optional = {
            name: _values_for(field.type, depth + 1)
            for name, field in type_.fields.items()
            if name not in required
        }
        known = st.fixed_dictionaries(required, optional=optional)
        stray = st.builds(lambda known: {**known, "nope": 1}, known)
        return now_and_then(junk, now_and_then(stray, known))
    if isinstance(type_, GraphQLEnumType):
        return now_and_then(junk, st.sampled_from(list(type_.values)))
    plausible = {
        "ID": st.one_of(st.text(max_size=6), st.integers(-5, 10**6)),
        "String": st.text(max_size=6),
        "Int": now_and_then(st.integers(2**31 - 2, 2**31 + 2), st.integers(-5, 5)),
        "Boolean": st.booleans(),
        "Float": st.floats(),
        "BigInteger": st.one_of(st.integers(), st.sampled_from(["12", "x"])),
        "DecimalString": st.sampled_from(["1.5", "12", "-0.01", "abc", "1E+400"]),
        "DateString": st.sampled_from(["2026-01-31", "2026-02-30", "yesterday"]),
    }.get(type_.name, junk)
    return now_and_then(junk, plausible)


VARIABLES_OPERATION = (
    "mutation($id: ID!, $input: TaskPartialInput!, $new: [TaskInput!]!, $limit: Int = 5, "
    "$flag: Boolean, $status: TaskStatusChoices) "
    "{ updateTask(id: $id, input: $input) { task { id } } "
    "bulkCreateTask(input: $new) { tasks { id } } }"
)


def _shape(value):
    """A value with its types, down through containers: equal only if built alike."""
    if isinstance(value, dict):
        return (type(value), sorted((key, _shape(item)) for key, item in value.items()))
    if isinstance(value, list):
        return (list, [_shape(item) for item in value])
    return (type(value), repr(value))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_planned_variables_are_graphql_cores(data):
    """Whatever a client sends: the plan's values are graphql-core's, built alike (input
    containers, out names, defaults, parsed scalars), or it leaves the values to graphql-core
    (which then reports its errors)."""
    from graphql.execution.values import get_variable_values

    from drf_graphql_crud import execution
    from tests.testapp.schema import schema as app_schema

    graphql_schema = app_schema.graphql_schema
    document = VARIABLES_DOCUMENT
    operation = document.definitions[0]
    strategies = {
        definition.variable.name.value: _values_for(type_from_ast(graphql_schema, definition.type))
        for definition in operation.variable_definitions
    }
    inputs = data.draw(
        st.fixed_dictionaries(
            {name: each for name, each in strategies.items() if name in REQUIRED_VARIABLES},
            optional={
                name: each for name, each in strategies.items() if name not in REQUIRED_VARIABLES
            },
        )
    )
    execution._coerced_variables(graphql_schema, document, None, inputs)  # first sighting
    planned = execution._coerced_variables(graphql_schema, document, None, inputs)
    expected = get_variable_values(graphql_schema, operation.variable_definitions, inputs)
    if isinstance(expected, list):  # errors: graphql-core's to report
        assert planned is None
    else:
        assert planned is not None, inputs  # the plan takes what graphql-core takes
        assert _shape(planned[1]) == _shape(expected)


VARIABLES_DOCUMENT = parse(VARIABLES_OPERATION)
REQUIRED_VARIABLES = ("id", "input", "new")


@pytest.mark.django_db
def test_a_repeated_operation_answers_as_its_first_call(client, monkeypatch):
    """The first call's variables are graphql-core's, later ones the plan's: the same
    answers, rows and errors."""
    from drf_graphql_crud import execution
    from tests.factories import TaskFactory

    planned = []
    coerce = execution._VariablesPlan.coerce

    def counted(plan, inputs):
        values = coerce(plan, inputs)
        planned.append(inputs)
        return values

    monkeypatch.setattr(execution._VariablesPlan, "coerce", counted)

    task = TaskFactory(title="Before")
    document = (
        "mutation($id: ID!, $input: TaskPartialInput!) "
        "{ updateTask(id: $id, input: $input) { task { title priority dueDate status } } }"
    )

    def call(variables):
        body = {"query": document, "variables": variables}
        return client.post(
            "/drf-graphql/", json.dumps(body), content_type="application/json"
        ).json()

    good = {
        "id": str(task.pk),
        "input": {"title": "After", "priority": 2, "dueDate": "2026-03-01", "status": "DONE"},
    }
    bad = {"id": str(task.pk), "input": {"title": "After", "priority": "high", "nope": 1}}
    answers = [call(good), call(bad), call(good), call(bad), call(good)]
    assert (
        answers[0]
        == answers[2]
        == answers[4]
        == {
            "data": {
                "updateTask": {
                    "task": {
                        "title": "After",
                        "priority": 2,
                        "dueDate": "2026-03-01",
                        "status": "DONE",
                    }
                }
            }
        }
    )
    assert answers[1] == answers[3]
    assert "errors" in answers[1] and answers[1].get("data") is None
    # The bad ones are graphql-core's, with its errors; the good ones after the first are
    # the plan's (the request that plans the root field coerces them once more).
    assert len(planned) >= 2
    assert all(inputs == good for inputs in planned)


class TenantContext(SerializedExecutionContext):
    """A project's context reading a variable when it is made (a tenant, a locale)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        declared = [each.variable.name.value for each in self.operation.variable_definitions]
        self.context_value["tenant"] = (declared, self.variable_values.get("tenant"))


class GreetingQuery(graphene.ObjectType):
    greet = graphene.String(name=graphene.String())

    def resolve_greet(root, info, name=None):
        return f"{name}/{info.context['tenant']}"


def test_a_subclass_is_made_with_the_operation_and_its_values():
    """Also when the plan coerced them (it was made with the operation without variable
    definitions, and no values, which were put back afterwards)."""
    document = parse("query($name: String, $tenant: String) { greet(name: $name) }")
    greeting_schema = graphene.Schema(query=GreetingQuery).graphql_schema
    answers = [
        execute(
            greeting_schema,
            document,
            variable_values={"name": "a", "tenant": "acme"},
            context_value={},
            execution_context_class=TenantContext,
        ).data["greet"]
        for _ in range(3)
    ]
    assert answers == ["a/(['name', 'tenant'], 'acme')"] * 3


def test_input_types_reached_by_many_paths_are_planned_once(monkeypatch):
    """Fourteen input types, each holding the next twice: a plan per path would be 2**14."""
    from drf_graphql_crud import execution

    below = None
    for level in reversed(range(14)):
        fields = {"v": graphene.Int()}
        if below is not None:
            fields |= {"a": graphene.InputField(below), "b": graphene.InputField(below)}
        below = type(f"Level{level}", (graphene.InputObjectType,), fields)
    deep_schema = graphene.Schema(
        query=type(
            "DeepQuery", (graphene.ObjectType,), {"f": graphene.Int(x=graphene.Argument(below))}
        )
    ).graphql_schema
    made = []
    monkeypatch.setattr(execution, "_input_object", lambda *args: made.append(args) or dict)
    document = parse("query($x: Level0) { f(x: $x) }")
    for _ in range(2):
        execution._coerced_variables(deep_schema, document, None, {"x": {"v": 1}})
    assert len(made) == 14


def test_a_very_tall_input_type_is_left_to_graphql_core():
    """300 input types in a chain, each holding a list of the next: too deep to plan (the
    plan recursed to the leaves and hit the interpreter's limit on every repeat: a 500)."""
    from drf_graphql_crud import execution

    below = None
    for level in reversed(range(300)):
        fields = {"v": graphene.Int()}
        if below is not None:
            fields["next"] = graphene.InputField(
                graphene.NonNull(graphene.List(graphene.NonNull(below)))
            )
        below = type(f"Tall{level}", (graphene.InputObjectType,), fields)
    tall_schema = graphene.Schema(
        query=type(
            "TallQuery",
            (graphene.ObjectType,),
            {"f": graphene.Int(x=graphene.Argument(below), resolver=lambda root, info, x: x["v"])},
        )
    ).graphql_schema
    document = parse("query($x: Tall0) { f(x: $x) }")
    answers = [
        execute(
            tall_schema,
            document,
            variable_values={"x": {"v": 1, "next": []}},
            execution_context_class=SerializedExecutionContext,
        )
        for _ in range(3)
    ]
    assert [(answer.data, answer.errors) for answer in answers] == [({"f": 1}, None)] * 3
    assert execution._coerced_variables(tall_schema, document, None, {"x": {"v": 1}}) is None


# --------------------------------------------------------------------------- one root field

TOUCHED: list[str] = []


class DirectQuery(graphene.ObjectType):
    """Root fields marked as the library marks its own: ``execute_document`` runs them."""

    rows = graphene.List(graphene.NonNull(Row), case=graphene.String(required=True))
    one = graphene.Field(Row, case=graphene.String(required=True))
    required_one = graphene.Field(graphene.NonNull(Row), case=graphene.String(required=True))
    nodes = graphene.List(NodeRow, case=graphene.String(required=True))
    broken = graphene.Field(Row, case=graphene.String(required=True))
    required_broken = graphene.Field(graphene.NonNull(Row), case=graphene.String(required=True))
    unmarked = graphene.Field(Row, case=graphene.String(required=True))

    @direct_resolver
    def resolve_rows(root, info, case):
        return ROWS[case]

    @direct_resolver
    def resolve_one(root, info, case):
        return ROWS[case][-1]

    @direct_resolver
    def resolve_required_one(root, info, case):
        return ROWS[case][-1]

    @direct_resolver
    def resolve_nodes(root, info, case):
        return ROWS[case]

    @direct_resolver
    def resolve_broken(root, info, case):
        raise ValueError(f"broken: {case}")

    @direct_resolver
    def resolve_required_broken(root, info, case):
        raise ValueError(f"broken: {case}")

    def resolve_unmarked(root, info, case):
        return ROWS[case][-1]


class DirectMutation(graphene.ObjectType):
    touch = graphene.Field(Row, case=graphene.String(required=True))

    @direct_resolver
    def resolve_touch(root, info, case):
        TOUCHED.append(case)  # a side effect: the resolver must run once per request
        return ROWS[case][-1]


direct_schema = graphene.Schema(query=DirectQuery, mutation=DirectMutation)

DIRECT_DOCUMENTS = [
    "query($case: String!) { rows(case: $case) { id title count ratio done color labels "
    "tag { id name } tags { id name } } }",
    "query($case: String!) { r: one(case: $case) { __typename id ...F } } "
    "fragment F on Row { t: title tags { id } tag { ... on Tag { name } } }",
    "query($case: String!) { requiredOne(case: $case) { id title tags { id } tag { id } } }",
    "query($case: String!) { nodes(case: $case) { id title __typename tag { id } } }",
    "query($case: String!) { broken(case: $case) { id } }",
    "query($case: String!) { requiredBroken(case: $case) { id } }",
    "mutation($case: String!) { touch(case: $case) { id title tags { id } } }",
    "mutation Touch($case: String!) { touch(case: $case) { id } }",
    "query($case: String!) { one(case: $case) { id shout } }",  # a resolver below
    "query($case: String!) { unmarked(case: $case) { id title } }",
]


def _answer(result):
    return json.dumps(
        {
            "data": result.data,
            "errors": [
                {
                    "message": error.message,
                    "path": error.path,
                    "locations": str(error.locations),
                    "extensions": error.extensions,
                    "original": type(error.original_error).__name__,
                }
                for error in result.errors or ()
            ],
        }
    )


def _direct(document, **options):
    options.setdefault("execution_context_class", SerializedExecutionContext)
    return execute_document(direct_schema.graphql_schema, document, **options)


@pytest.mark.parametrize("case", list(ROWS))
@pytest.mark.parametrize("document", DIRECT_DOCUMENTS)
def test_one_root_field_answers_as_graphql_core(document, case):
    """The first request, the one that plans the field, and a planned one: graphql-core's
    answer each time, and the resolver run once per request."""
    parsed = parse(document)
    variables = {"case": case}
    expected = _answer(execute(direct_schema.graphql_schema, parsed, variable_values=variables))
    for _ in range(3):
        before = len(TOUCHED)
        assert _answer(_direct(parsed, variable_values=variables)) == expected
        assert len(TOUCHED) - before == (1 if "touch" in document else 0)


def _counting_graphql_core(monkeypatch):
    from drf_graphql_crud import execution

    calls = []
    real = execution.execute

    def counted(*args, **kwargs):
        calls.append(kwargs.get("middleware"))
        return real(*args, **kwargs)

    monkeypatch.setattr(execution, "execute", counted)
    return calls


def test_a_repeated_operation_of_one_root_field_skips_graphql_cores_execution(monkeypatch):
    calls = _counting_graphql_core(monkeypatch)
    parsed = parse(DIRECT_DOCUMENTS[0])
    for _ in range(4):
        result = _direct(parsed, variable_values={"case": "plain"})
        assert result.errors is None and len(result.data["rows"]) == 2
    assert len(calls) == 1  # the first request's: the operation is planned on the second


def test_an_answer_the_completer_refuses_is_completed_by_graphql_core(monkeypatch):
    """Around the resolver's answer (a replay that does not run the resolver again)."""
    calls = _counting_graphql_core(monkeypatch)
    parsed = parse(DIRECT_DOCUMENTS[6])
    for _ in range(2):
        _direct(parsed, variable_values={"case": "plain"})
    calls.clear()
    before = len(TOUCHED)
    result = _direct(parsed, variable_values={"case": "non-null tag id is null"})
    assert len(TOUCHED) == before + 1
    assert len(calls) == 1 and calls[0]  # graphql-core, with the answering middleware
    assert result.data == {"touch": None}
    assert [error.path for error in result.errors] == [["touch", "tags", 0, "id"]]


def test_a_root_field_error_is_located_as_graphql_core_locates_it(monkeypatch):
    calls = _counting_graphql_core(monkeypatch)
    parsed = parse(DIRECT_DOCUMENTS[4])
    results = [_direct(parsed, variable_values={"case": "plain"}) for _ in range(3)]
    assert len(calls) == 1  # nullable: located here, without graphql-core
    error = results[-1].errors[0]
    assert results[-1].data == {"broken": None}
    assert (error.message, error.path, error.locations) == (
        "broken: plain",
        ["broken"],
        results[0].errors[0].locations,
    )
    assert isinstance(error.original_error, ValueError)


@pytest.mark.parametrize(
    ("document", "options"),
    [
        (
            DIRECT_DOCUMENTS[0],
            {"middleware": [lambda next_, *args, **kwargs: next_(*args, **kwargs)]},
        ),
        (
            DIRECT_DOCUMENTS[0],
            {"execution_context_class": type("Mine", (SerializedExecutionContext,), {})},
        ),
        (DIRECT_DOCUMENTS[0], {"field_resolver": lambda source, info, **kwargs: None}),
        ('{ a: one(case: "plain") { id } b: one(case: "plain") { id } }', {}),
        ('{ one(case: "plain") @include(if: true) { id } }', {}),
        ('{ ... on DirectQuery { one(case: "plain") { id } } }', {}),
        ("{ __typename }", {}),
        ('{ unmarked(case: "plain") { id } }', {}),
        ('{ one(case: "plain") { id shout } }', {}),
        ('query($flag: Boolean!) { one(case: "plain") { id title @skip(if: $flag) } }', {}),
        ('subscription { one(case: "plain") { id } }', {}),
    ],
)
def test_other_operations_are_graphql_cores(monkeypatch, document, options):
    calls = _counting_graphql_core(monkeypatch)
    parsed = parse(document)
    for _ in range(3):
        _direct(parsed, variable_values={"case": "plain", "flag": True}, **options)
    assert len(calls) == 3


@pytest.mark.django_db
def test_a_repeated_mutation_answers_alike_with_and_without_the_direct_path(client, monkeypatch):
    """Through the view: three rows deleted twice each, the second time NOT_FOUND."""
    from drf_graphql_crud import views
    from tests.factories import TaskFactory

    document = "mutation($id: ID!) { deleteTask(id: $id) { deletedId } }"

    def answers():
        collected = []
        for task in TaskFactory.create_batch(3):
            for _ in range(2):
                body = {"query": document, "variables": {"id": str(task.pk)}}
                response = client.post("/drf-graphql/", json.dumps(body), "application/json")
                text = response.content.decode().replace(f'"{task.pk}"', '"PK"')
                collected.append((response.status_code, json.loads(text)))
        return collected

    from drf_graphql_crud import execution

    execution._root_fields.clear()  # the view's document cache may hold the operation
    calls = _counting_graphql_core(monkeypatch)
    direct = answers()
    assert len(calls) == 1  # the first request only
    monkeypatch.setattr(views, "execute_document", execute)  # graphql-core's, every time
    assert answers() == direct
    assert direct[0] == (200, {"data": {"deleteTask": {"deletedId": "PK"}}})
    assert direct[-1][0] == 200
    assert direct[-1][1]["data"] == {"deleteTask": None}
    assert [error["extensions"]["code"] for error in direct[-1][1]["errors"]] == ["NOT_FOUND"]


def test_an_argument_graphql_core_refuses_is_its_error(monkeypatch):
    """A variable with a default, sent as null, where the argument is non-null: the
    arguments fail after the variables passed, before the resolver runs."""
    parsed = parse('query($case: String = "plain") { touch: one(case: $case) { id } }')
    for variables in ({"case": "plain"}, {"case": None}, {"case": None}, {}):
        expected = execute(direct_schema.graphql_schema, parsed, variable_values=variables)
        assert _answer(_direct(parsed, variable_values=variables)) == _answer(expected)
    assert _direct(parsed, variable_values={"case": None}).errors[0].message == (
        "Argument 'case' of non-null type 'String!' must not be null."
    )


def test_the_resolver_gets_graphql_cores_info(monkeypatch):
    seen = []
    real = DirectQuery.resolve_one

    def recording(root, info, case):
        seen.append(info)
        return real(root, info, case)

    monkeypatch.setattr(DirectQuery, "resolve_one", direct_resolver(recording))
    local_schema = graphene.Schema(query=DirectQuery)
    parsed = parse(
        "query Q($case: String!) { r: one(case: $case) { ...F } } fragment F on Row { id }"
    )
    options = {"variable_values": {"case": "plain"}, "context_value": {"c": 1}, "root_value": 7}
    execute(local_schema.graphql_schema, parsed, **options)
    for _ in range(3):
        execute_document(
            local_schema.graphql_schema,
            parsed,
            execution_context_class=SerializedExecutionContext,
            **options,
        )
    expected = seen[0]
    for info in seen[1:]:
        assert info._replace(is_awaitable=None) == expected._replace(is_awaitable=None)
        assert info.fragments is not seen[-1].fragments or info is seen[-1]  # each its own
        coroutine = asyncio.sleep(0)
        assert info.is_awaitable("x") is False and info.is_awaitable(coroutine) is True
        coroutine.close()


def test_a_field_that_cannot_be_planned_is_left_to_graphql_core(monkeypatch):
    """Planning the completer fails (a type too deep for the interpreter): the request is
    answered by graphql-core, where that failure is a located field error."""
    calls = _counting_graphql_core(monkeypatch)

    def too_deep(self, return_type, field_nodes):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(SerializedExecutionContext, "_value_completer", too_deep)
    parsed = parse(DIRECT_DOCUMENTS[0])
    for _ in range(3):
        expected = execute(
            direct_schema.graphql_schema,
            parsed,
            variable_values={"case": "plain"},
            execution_context_class=SerializedExecutionContext,
        )
        assert _answer(_direct(parsed, variable_values={"case": "plain"})) == _answer(expected)
        assert expected.errors[0].path == ["rows"]
    assert len(calls) == 3  # each request's: graphql-core answers it


def test_each_request_gets_its_own_field_nodes_list():
    """A resolver changing ``info.field_nodes`` changes its own request's, as graphql-core
    gives each request a new list."""
    seen = []

    class GrowingQuery(graphene.ObjectType):
        tag = graphene.Field(Tag)

        @direct_resolver
        def resolve_tag(root, info):
            seen.append(len(info.field_nodes))
            info.field_nodes.append(info.field_nodes[0])
            return {"id": 1, "name": "x"}

    growing = graphene.Schema(query=GrowingQuery).graphql_schema
    parsed = parse("{ tag { id name } }")
    for _ in range(4):
        result = execute_document(
            growing, parsed, execution_context_class=SerializedExecutionContext
        )
        assert result.data == {"tag": {"id": "1", "name": "x"}}
    assert seen == [1, 1, 1, 1]


# ------------------------------------------------------------- rows handed to output types


@pytest.mark.django_db
def test_a_row_handed_to_a_serializers_type_is_rendered_by_the_serializer(isolated_registry, rf):
    """A graphene-django type's resolver returning the model (one row, or a queryset) for
    a SerializerObjectType: its fields are the serializer's output, as REST renders the row
    (a relation's key, a decimal's text, a method field), not the row's attributes."""
    from graphene_django import DjangoObjectType
    from rest_framework import serializers

    from drf_graphql_crud import SerializerObjectType
    from tests.factories import ProjectFactory, TaskFactory
    from tests.testapp.models import Project, Task

    class ShownTaskSerializer(serializers.ModelSerializer):
        label = serializers.SerializerMethodField()

        class Meta:
            model = Task
            fields = ["id", "status", "project", "estimate", "label"]

        def get_label(self, task) -> str:
            return task.title.upper()

    class ShownTask(SerializerObjectType):
        class Meta:
            serializer_class = ShownTaskSerializer

    class ShownProject(DjangoObjectType):
        first_task = graphene.Field(ShownTask)
        all_tasks = graphene.List(ShownTask)

        class Meta:
            model = Project
            fields = ["id", "name"]

        def resolve_first_task(project, info):
            return project.tasks.first()

        def resolve_all_tasks(project, info):
            return project.tasks.all()

    class Query(graphene.ObjectType):
        project = graphene.Field(ShownProject, id=graphene.ID())

        def resolve_project(root, info, id):
            return Project.objects.get(pk=id)

    schema = graphene.Schema(query=Query)
    project = ProjectFactory()
    task = TaskFactory(project=project, title="abc", estimate=Decimal("1.5"))
    selection = "id status project estimate label"
    query = f'{{ project(id: "{project.pk}") {{ firstTask {{ {selection} }} allTasks {{ {selection} }} }} }}'
    request = rf.post("/graphql/", json.dumps({"query": query}), content_type="application/json")
    body = json.loads(DRFGraphQLView.as_view(schema=schema)(request).content)
    rest = ShownTaskSerializer(task).data
    shown = {
        "id": str(task.pk),
        "status": rest["status"].upper(),
        "project": str(rest["project"]),
        "estimate": rest["estimate"],
        "label": "ABC",
    }
    assert rest["estimate"] == "1.5000"
    assert body == {"data": {"project": {"firstTask": shown, "allTasks": [shown]}}}


@pytest.mark.django_db
def test_only_model_rows_are_rendered_and_as_a_read_renders_them(isolated_registry, rf):
    """An instance of the type itself is left as it is (graphene's own way); a type's own
    is_type_of is asked of the row; the serializer gets a read's context (a view of the
    retrieve action)."""
    from rest_framework import serializers

    from drf_graphql_crud import SerializerObjectType
    from tests.factories import TaskFactory
    from tests.testapp.models import Task

    class ActionTaskSerializer(serializers.ModelSerializer):
        action = serializers.SerializerMethodField()

        class Meta:
            model = Task
            fields = ["id", "title", "action"]

        def get_action(self, task) -> str:
            return self.context["view"].action

    class ActionTask(SerializerObjectType):
        class Meta:
            serializer_class = ActionTaskSerializer

        @classmethod
        def is_type_of(cls, root, info):
            return isinstance(root, Task | cls)

    task = TaskFactory(title="abc")

    class Query(graphene.ObjectType):
        row = graphene.Field(ActionTask)
        built = graphene.Field(ActionTask)

        def resolve_row(root, info):
            return task

        def resolve_built(root, info):
            return ActionTask(id=task.pk, title="built", action="none")

    schema = graphene.Schema(query=Query)
    query = "{ row { id title action } built { title action } }"
    request = rf.post("/graphql/", json.dumps({"query": query}), content_type="application/json")
    body = json.loads(DRFGraphQLView.as_view(schema=schema)(request).content)
    assert body == {
        "data": {
            "row": {"id": str(task.pk), "title": "abc", "action": "retrieve"},
            "built": {"title": "built", "action": "none"},
        }
    }


def test_a_node_cache_counts_the_whole_text_its_nodes_hold_once():
    """A kept node holds its document's whole text (``loc.source``): padding outside the
    operation (a comment) cost the bound nothing, and a cache kept 1,024 documents of
    100,000 characters where it should keep 500,000 characters in all."""
    from drf_graphql_crud.execution import NodeCache

    text = "{ a b }\n#" + "x" * 1000
    document = parse(text)
    operation = document.definitions[0]
    fields = tuple(operation.selection_set.selections)
    cache = NodeCache(max_characters=2000)
    cache.put("operation", 1, (operation,))
    assert cache.characters == len("{ a b }") + len(text)
    cache.put("fields", 2, fields)  # the same text: counted once
    assert cache.characters == len("{ a b }") + len(text) + 2
    other = parse("{ c }\n#" + "y" * 1000).definitions[0]
    cache.put("other", 3, (other,))  # past the bound: the cache starts over
    assert (list(cache), cache.characters) == (["other"], len("{ c }") + 1007)
    cache.put("huge", 4, (parse("{ d }\n#" + "z" * 3000).definitions[0],))
    assert list(cache) == ["other"]  # more than the bound alone: never kept


@pytest.mark.django_db
def test_padded_documents_do_not_pile_up_in_the_shared_caches(client):
    from drf_graphql_crud import execution

    execution._root_fields.clear()
    pad = "\n#" + "x" * 60_000  # one token: within MAX_QUERY_LENGTH and MAX_QUERY_TOKENS
    for number in range(20):
        body = {"query": f"{{ ping{number}: ping }}{pad}"}
        for _ in range(2):  # kept from the second sighting as from the first
            answer = client.post("/drf-graphql/", json.dumps(body), "application/json")
            assert answer.json() == {"data": {f"ping{number}": "pong"}}
    texts = {
        id(node.loc.source): len(node.loc.source.body)
        for held, _ in execution._root_fields.values()
        for node in held
    }
    assert 0 < sum(texts.values()) <= execution._root_fields.max_characters
