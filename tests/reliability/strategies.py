"""
Hypothesis strategies for hostile GraphQL requests, built from any graphql-core schema.

Nothing here knows the test project: every strategy reads the types of a
``graphql.GraphQLSchema`` (graphene: ``schema.graphql_schema``), so you can point them at your
own schema and endpoint::

    from hypothesis import given, settings, strategies as st
    from tests.reliability import strategies as gs

    SCHEMA = my_project.schema.schema.graphql_schema

    @settings(max_examples=200, deadline=None)
    @given(st.data())
    def test_every_defective_request_is_refused(client, data):
        operation = data.draw(gs.operations(SCHEMA, defects=1))
        response = client.post("/graphql/", operation.json(), content_type="application/json")
        assert response.status_code in (200, 400)
        assert "data" not in response.json() or not any(response.json()["data"].values())

What you get:

``operations(schema, defects=1)``
    One request (document + variables) for one root field of the schema, carrying at least
    ``defects`` faults that GraphQL itself must refuse before any resolver runs: a wrong
    scalar type, ``null`` for a non-null input, an unknown input field or argument, a
    required field or argument left out, an undefined or unused variable, a repeated
    operation name, an unknown field in the selection. Such a request must change nothing.
    The other values are well-shaped, and sometimes huge (1 MB strings, 10,000-item lists,
    deeply nested JSON), so the defect has to be found among them.
``operations(schema, defects=0)``
    Well-shaped requests (the server may still reject their contents): what a fuzzer sends
    to find 500s, leaks and half-written rows in the resolvers themselves.
``input_values(type_)`` / ``wrong_values(type_, variables=...)``
    Values a GraphQL input type accepts, and values its coercion must refuse, in variables
    (JSON) or in literal (document) form; ``to_literal`` prints them as GraphQL.
``selections(type_)``
    Selection sets for an output type, nested up to a depth.
``malformed_requests(operation)``
    Broken HTTP envelopes around an operation: truncated or invalid JSON, non-UTF-8 bytes,
    wrong content types, batches, mutations over GET. None of them may execute anything.

Scalars are described by ``ScalarRule`` (the values a scalar takes, and those it must refuse);
``SCALAR_RULES`` covers GraphQL's own scalars, graphene's ``BigInt``/``GenericScalar``/
``Upload`` and drf_graphql_crud's ``BigInteger``, ``JSONValue`` and DRF text scalars. Pass ``scalar_rules={"Money": ...}`` to
describe your own, and ``id_values=[...]`` to make ``ID`` arguments hit rows that exist.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_required_argument,
    is_required_input_field,
)
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

__all__ = [
    "EnumName",
    "Operation",
    "RawRequest",
    "SCALAR_RULES",
    "ScalarRule",
    "VariableRef",
    "huge_list",
    "huge_string",
    "input_values",
    "json_values",
    "malformed_requests",
    "nested_json",
    "operations",
    "root_fields",
    "selections",
    "to_json",
    "to_literal",
    "wrong_values",
]

#: The size of the "huge" stress values.
HUGE_STRING_LENGTH = 1_000_000
HUGE_LIST_LENGTH = 10_000


# --------------------------------------------------------------------------- values and printing


class EnumName(str):
    """An enum value: a bare name in a document, a string in variables."""

    __slots__ = ()


class VariableRef(str):
    """A reference to the variable ``$<name>`` (documents only)."""

    __slots__ = ()


def to_literal(value: Any) -> str:
    """``value`` as a GraphQL literal: ``null``, ``true``, ``"text"``, ``[1, 2]``, ``{a: 1}``.

    Object keys must be GraphQL names. Strings are written with JSON's escapes, which are
    GraphQL's.
    """
    if value is None:
        return "null"
    if isinstance(value, VariableRef):
        return f"${value}"
    if isinstance(value, EnumName):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(to_literal(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {to_literal(item)}" for key, item in value.items()) + "}"
    raise TypeError(f"No GraphQL literal for {value!r}")


def to_json(value: Any) -> Any:
    """``value`` as a JSON variable value (enum names become strings)."""
    if isinstance(value, VariableRef):
        raise TypeError("Variable references only exist in documents.")
    if isinstance(value, EnumName):
        return str(value)
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, Mapping):
        return {key: to_json(item) for key, item in value.items()}
    return value


#: Strings that have broken parsers, databases and templates before.
TRICKY_STRINGS = (
    "",
    " ",
    "0",
    "-1",
    "null",
    "None",
    "true",
    "\x00",
    "a\x00b",
    "\t\r\n",
    "'; DROP TABLE testapp_task; --",
    '" OR 1=1 --',
    "%s%s%s%n",
    "{{7*7}}",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "\u202egnp.exe",
    "\ufeffbom",
    "💥" * 3,
    "ǅ̈̈̈",
    "١٢٣",
    "9" * 40,
    "1e309",
    "NaN",
    "Infinity",
    "VGFzazox",  # base64("Task:1"): a Relay global id
    "UHJvamVjdDox",  # base64("Project:1")
    "__proto__",
    "x" * 300,
)

_name_chars = "abcdefghijklmnopqrstuvwxyz_"
names = st.text(_name_chars, min_size=1, max_size=8).map(lambda text: "zz" + text)


def huge_string() -> SearchStrategy[str]:
    """One of a few 1 MB strings (ASCII, multi-byte, NUL-laden)."""
    return st.sampled_from(["x", "é", "💥", "a\x00"]).map(
        lambda unit: unit * (HUGE_STRING_LENGTH // len(unit.encode()))
    )


def huge_list(items: SearchStrategy[Any]) -> SearchStrategy[list[Any]]:
    """A 10,000-item list of one item drawn from ``items``."""
    return items.map(lambda item: [item] * HUGE_LIST_LENGTH)


def nested_json(depth: int) -> Any:
    """``[[[...]]]`` or ``{"a": {"a": ...}}`` nested ``depth`` levels."""
    value: Any = []
    for level in range(depth):
        value = [value] if level % 2 else {"a": value}
    return value


def json_values(max_leaves: int = 10) -> SearchStrategy[Any]:
    """Any JSON value (object keys are GraphQL names, so literals can carry them too)."""
    leaves = (
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=20)
    )
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(names, inner, max_size=4),
        max_leaves=max_leaves,
    )


def _rare(common: SearchStrategy[Any], rare: SearchStrategy[Any], one_in: int = 8) -> Any:
    """``common``, and ``rare`` about once in ``one_in`` draws."""
    return st.integers(0, one_in - 1).flatmap(lambda n: rare if n == 0 else common)


# --------------------------------------------------------------------------- scalar rules


@dataclass(frozen=True)
class ScalarRule:
    """What a scalar takes and what it must refuse.

    ``values``: well-shaped values, accepted by GraphQL coercion in both forms.
    ``stress``: accepted too, but big (None: no stress values).
    ``wrong_literals`` / ``wrong_variables``: values GraphQL must refuse in a document / in
    the variables. Leave them empty when the scalar accepts anything in that form.
    """

    values: SearchStrategy[Any]
    stress: SearchStrategy[Any] | None = None
    wrong_literals: tuple[Any, ...] = ()
    wrong_variables: tuple[Any, ...] = ()


_OBJECT = {"zz": 1}
_text = st.text(max_size=30) | st.sampled_from(TRICKY_STRINGS)
_int32 = st.integers(-(2**31), 2**31 - 1) | st.sampled_from([0, 1, -1, 2**31 - 1, -(2**31)])
_drf_text_wrong_literals = (True, _OBJECT, [1], EnumName("ZZ_NOT_TEXT"))


def _drf_text_rule(
    samples: Iterable[str], numbers_ok: bool = False, integers_ok: bool = False
) -> ScalarRule:
    if numbers_ok:
        wrong = _drf_text_wrong_literals
    elif integers_ok:  # the integer a REST body may give, which DRF's field reads
        wrong = (*_drf_text_wrong_literals, 1.5)
    else:
        wrong = (*_drf_text_wrong_literals, 1, 1.5)
    return ScalarRule(
        values=st.sampled_from(list(samples)) | _text,
        stress=huge_string(),
        wrong_literals=wrong,
    )


SCALAR_RULES: dict[str, ScalarRule] = {
    "String": ScalarRule(
        values=_text,
        stress=huge_string(),
        wrong_literals=(1, 1.5, True, EnumName("ZZ_NOT_A_STRING"), _OBJECT, [1]),
        wrong_variables=(1, 1.5, True, _OBJECT, [1]),
    ),
    "Int": ScalarRule(
        values=_int32,
        wrong_literals=("1", 1.5, True, 2**31, -(2**31) - 1, EnumName("ZZ_ONE"), _OBJECT),
        wrong_variables=("1", 1.5, True, 2**31, -(2**31) - 1, _OBJECT, [1.5]),
    ),
    "Float": ScalarRule(
        values=st.floats(allow_nan=False, allow_infinity=False) | _int32,
        wrong_literals=("1.5", True, EnumName("ZZ_ONE"), _OBJECT),
        wrong_variables=("1.5", True, _OBJECT, 10**309),  # beyond a double: OverflowError
    ),
    "Boolean": ScalarRule(
        values=st.booleans(),
        wrong_literals=(1, 0, "true", EnumName("TRUE"), _OBJECT),
        wrong_variables=(1, 0, "true", _OBJECT),
    ),
    "ID": ScalarRule(
        values=st.integers(-(2**70), 2**70) | _text,
        stress=huge_string(),
        wrong_literals=(1.5, True, EnumName("ZZ_NOT_AN_ID"), _OBJECT),
        wrong_variables=(1.5, True, _OBJECT),
    ),
    # graphene
    "BigInt": ScalarRule(
        values=st.integers(-(2**80), 2**80),
        wrong_literals=("1", 1.5, True, EnumName("ZZ_ONE"), _OBJECT),
        wrong_variables=("not a number", _OBJECT),
    ),
    "GenericScalar": ScalarRule(values=json_values(), stress=st.just(nested_json(40))),
    "JSONValue": ScalarRule(
        values=json_values(),
        stress=st.just(nested_json(40)),
        wrong_literals=(EnumName("ZZ_NOT_JSON"), [EnumName("ZZ_NOT_JSON")]),
    ),
    "JSONString": ScalarRule(values=_text),
    "Upload": ScalarRule(values=st.none()),
    # drf_graphql_crud's scalars carry DRF's text (or, BigInteger, any JSON scalar, as a
    # variable or a literal: 1.5 and true are DRF's to refuse); DRF's field parses it
    "BigInteger": ScalarRule(
        values=st.integers(-(2**80), 2**80),
        wrong_literals=(EnumName("ZZ_ONE"), _OBJECT),
    ),
    "DateString": _drf_text_rule(["2025-05-01", "2025-02-30", "0000-01-01", "soon"]),
    "DateTimeString": _drf_text_rule(["2025-05-01T10:00:00Z", "2025-05-01T25:00", "yesterday"]),
    "TimeString": _drf_text_rule(["10:30", "25:61", "noon"]),
    # Seconds as a number, as a REST body may give them.
    "DurationString": _drf_text_rule(["3 10:00:00", "-1", "P1D", "forever"], numbers_ok=True),
    # The UUID's integer, as a REST body may give it.
    "UUIDString": _drf_text_rule(
        ["a3bb189e-8bf9-3888-9912-ace4e6543002", "not-a-uuid"], integers_ok=True
    ),
    "DecimalString": _drf_text_rule(
        ["12.5", "-0.0001", "1e5", "NaN", "Infinity", "1" * 40 + ".5", "12,5"], numbers_ok=True
    ),
}

_FALLBACK_RULE = ScalarRule(values=_text)


@dataclass(frozen=True)
class _Context:
    rules: Mapping[str, ScalarRule]
    id_values: tuple[Any, ...]
    stress: bool
    max_depth: int
    overrides: Mapping[str, SearchStrategy[Any]] = field(default_factory=dict)

    def calm(self, max_depth: int | None = None) -> _Context:
        depth = self.max_depth if max_depth is None else max_depth
        return _Context(self.rules, self.id_values, False, depth, self.overrides)

    def rule(self, scalar: GraphQLScalarType) -> ScalarRule:
        rule = self.rules.get(scalar.name) or SCALAR_RULES.get(scalar.name) or _FALLBACK_RULE
        if scalar.name == "ID" and self.id_values:
            existing = st.sampled_from(self.id_values)
            return ScalarRule(
                values=existing | existing.map(str) | rule.values,
                stress=rule.stress,
                wrong_literals=rule.wrong_literals,
                wrong_variables=rule.wrong_variables,
            )
        return rule


def _context(
    scalar_rules: Mapping[str, ScalarRule] | None,
    id_values: Iterable[Any] = (),
    stress: bool = True,
    max_depth: int = 3,
    overrides: Mapping[str, SearchStrategy[Any]] | None = None,
) -> _Context:
    return _Context(
        dict(scalar_rules or {}), tuple(id_values), stress, max_depth, dict(overrides or {})
    )


# --------------------------------------------------------------------------- input values


def input_values(
    type_: GraphQLInputType,
    *,
    scalar_rules: Mapping[str, ScalarRule] | None = None,
    id_values: Iterable[Any] = (),
    stress: bool = True,
    max_depth: int = 3,
    overrides: Mapping[str, SearchStrategy[Any]] | None = None,
) -> SearchStrategy[Any]:
    """Values GraphQL coercion accepts for ``type_`` (their contents may still be invalid).

    Enum values come as ``EnumName``; use ``to_json`` / ``to_literal`` to send them. With
    ``stress``, strings are sometimes 1 MB and lists sometimes 10,000 items long.
    ``overrides`` maps ``"InputType.field"`` (or ``"*.field"``) to the strategy for that
    input field's values, for fields that need realistic values.
    """
    ctx = _context(scalar_rules, id_values, stress, max_depth, overrides)
    return _values(type_, ctx, 0)


def _values(type_: Any, ctx: _Context, depth: int, non_null: bool = False) -> SearchStrategy[Any]:
    if isinstance(type_, GraphQLNonNull):
        return _values(type_.of_type, ctx, depth, non_null=True)
    inner = _non_null_values(type_, ctx, depth)
    return inner if non_null else _rare(inner, st.none(), one_in=6)


def _non_null_values(type_: Any, ctx: _Context, depth: int) -> SearchStrategy[Any]:
    if isinstance(type_, GraphQLList):
        items = _values(type_.of_type, ctx, depth + 1)
        normal = st.lists(items, max_size=3)
        if not ctx.stress:
            return normal
        calm = _values(type_.of_type, ctx.calm(1), depth + 1)
        return _rare(normal, huge_list(calm), one_in=10)
    if isinstance(type_, GraphQLInputObjectType):
        required, optional = {}, {}
        for name, input_field in type_.fields.items():
            override = ctx.overrides.get(f"{type_.name}.{name}") or ctx.overrides.get(f"*.{name}")
            values = override if override is not None else _values(input_field.type, ctx, depth + 1)
            if is_required_input_field(input_field):
                required[name] = values
            elif depth < ctx.max_depth or is_leaf_type(get_named_type(input_field.type)):
                optional[name] = values
        return st.fixed_dictionaries(required, optional=optional)
    if isinstance(type_, GraphQLEnumType):
        return st.sampled_from([EnumName(name) for name in type_.values])
    if isinstance(type_, GraphQLScalarType):
        rule = ctx.rule(type_)
        if ctx.stress and rule.stress is not None:
            return _rare(rule.values, rule.stress, one_in=10)
        return rule.values
    raise TypeError(f"{type_} is not an input type")


def wrong_values(
    type_: GraphQLInputType,
    *,
    variables: bool,
    scalar_rules: Mapping[str, ScalarRule] | None = None,
) -> list[Any]:
    """Values GraphQL coercion must refuse for ``type_`` (not counting ``null``).

    ``variables`` picks the form: JSON variable values, or literals in the document. An empty
    list means the type takes anything in that form (``GenericScalar``, ``Upload``).
    """
    return _wrong(type_, variables, _context(scalar_rules))


def _wrong(type_: Any, variables: bool, ctx: _Context) -> list[Any]:
    if isinstance(type_, GraphQLNonNull):
        return _wrong(type_.of_type, variables, ctx)
    if isinstance(type_, GraphQLList):
        # A single value is coerced to a list of one: wrong items stay wrong both ways.
        items = _wrong(type_.of_type, variables, ctx)
        return items + [[item] for item in items[:2]]
    if isinstance(type_, GraphQLInputObjectType):
        return [1, "text", True, [1]] if variables else [1, "text", True, EnumName("ZZ_OBJ")]
    if isinstance(type_, GraphQLEnumType):
        member = next(iter(type_.values), "X")
        if variables:
            return ["ZZ_NOT_A_MEMBER", 1, True, _OBJECT]
        return [member, EnumName("ZZ_NOT_A_MEMBER"), 1, True]  # member: a string, not a name
    if isinstance(type_, GraphQLScalarType):
        rule = ctx.rule(type_)
        return list(rule.wrong_variables if variables else rule.wrong_literals)
    raise TypeError(f"{type_} is not an input type")


# --------------------------------------------------------------------------- selections


def selections(
    type_: Any, max_depth: int = 3, *, unknown_field: str | None = None
) -> SearchStrategy[str]:
    """A selection set (``{ a b { c } }``) for an output type; ``""`` for leaf types.

    Fields with required arguments are skipped. ``unknown_field`` is added at the top
    level, for a selection GraphQL must refuse.
    """
    named = get_named_type(type_)
    if is_leaf_type(named):
        return st.just(f" {{ {unknown_field} }}" if unknown_field else "")
    return _selection_set(named, max_depth).map(
        lambda text: text[:-1] + f"{unknown_field} }}" if unknown_field else text
    )


def _selection_set(named: Any, depth: int) -> SearchStrategy[str]:
    if is_leaf_type(named):
        return st.just("")
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType) or depth <= 0:
        return st.just(" { __typename }")
    if not isinstance(named, GraphQLObjectType):
        return st.just("")
    candidates = [
        name
        for name, field_ in named.fields.items()
        if not any(is_required_argument(arg) for arg in field_.args.values())
    ]
    if not candidates:
        return st.just(" { __typename }")

    def render(chosen: list[str]) -> SearchStrategy[str]:
        parts = [
            _selection_set(get_named_type(named.fields[name].type), depth - 1).map(
                lambda sub, name=name: name + sub
            )
            for name in chosen
        ]
        return st.tuples(*parts).map(lambda items: " { " + " ".join(items) + " }")

    return st.lists(
        st.sampled_from(candidates), min_size=1, max_size=min(6, len(candidates)), unique=True
    ).flatmap(render)


# --------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class Operation:
    """One GraphQL request: a document, its variables and operation name."""

    query: str
    variables: dict[str, Any] | None = None
    operation_name: str | None = None
    root_field: str = ""
    defects: tuple[str, ...] = ()

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"query": self.query}
        if self.variables is not None:
            body["variables"] = self.variables
        if self.operation_name is not None:
            body["operationName"] = self.operation_name
        return body

    def json(self) -> bytes:
        return json.dumps(self.payload(), ensure_ascii=False).encode()

    def __repr__(self) -> str:  # hypothesis prints failing examples: keep them readable
        query = self.query if len(self.query) < 400 else self.query[:400] + "..."
        variables = json.dumps(self.variables, ensure_ascii=False, default=str)
        if len(variables) > 400:
            variables = variables[:400] + f"... ({len(variables)} chars)"
        return f"Operation(defects={self.defects!r}, query={query!r}, variables={variables})"


def root_fields(
    schema: GraphQLSchema, operation_types: Iterable[str] = ("query", "mutation")
) -> list[tuple[str, str, GraphQLField]]:
    """``(operation type, field name, field)`` for every root field, introspection aside."""
    found = []
    for operation in operation_types:
        root = schema.query_type if operation == "query" else schema.mutation_type
        if root is None:
            continue
        for name, field_ in root.fields.items():
            if not name.startswith("__"):
                found.append((operation, name, field_))
    return found


@dataclass
class _Site:
    path: tuple[Any, ...]
    type_: Any


@dataclass
class _Draft:
    """An operation being built: arguments as values, then printed."""

    operation: str
    field_name: str
    field_: GraphQLField
    args: dict[str, Any]
    use_variables: bool
    selection: str
    extra_document: list[str] = field(default_factory=list)
    extra_args: dict[str, Any] = field(default_factory=dict)
    extra_variable_definitions: list[str] = field(default_factory=list)
    alias_count: int = 1
    duplicate_operation: bool = False
    defects: list[str] = field(default_factory=list)

    def render(self) -> Operation:
        variables: dict[str, Any] | None = None
        definitions = list(self.extra_variable_definitions)
        arguments = []
        if self.use_variables:
            variables = {}
            for name, value in self.args.items():
                var = f"v_{name}"
                definitions.append(f"${var}: {self.field_.args[name].type}")
                if value is not _ABSENT:
                    variables[var] = to_json(value)
                arguments.append(f"{name}: ${var}")
        else:
            arguments = [f"{name}: {to_literal(value)}" for name, value in self.args.items()]
        arguments += [f"{name}: {to_literal(value)}" for name, value in self.extra_args.items()]
        args_text = f"({', '.join(arguments)})" if arguments else ""
        fields = " ".join(
            f"a{index}: {self.field_name}{args_text}{self.selection}"
            for index in range(self.alias_count)
        )
        header = self.operation + " Op"
        if definitions:
            header += f"({', '.join(definitions)})"
        body = f"{header} {{ {fields} }}"
        documents = [body, *self.extra_document]
        if self.duplicate_operation:
            documents.append(body)
        return Operation(
            query="\n".join(documents),
            variables=variables,
            operation_name="Op",
            root_field=self.field_name,
            defects=tuple(self.defects),
        )


_ABSENT = object()


def _sites(value: Any, type_: Any, path: tuple[Any, ...]) -> list[_Site]:
    found = [_Site(path, type_)]
    named_nullable = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if value is None:
        return found
    if isinstance(named_nullable, GraphQLList) and isinstance(value, list):
        for index, item in enumerate(value[:3]):  # huge lists: their first items will do
            found += _sites(item, named_nullable.of_type, (*path, index))
    elif isinstance(named_nullable, GraphQLInputObjectType) and isinstance(value, dict):
        for key, item in value.items():
            if key in named_nullable.fields:  # not an unknown field added as a defect
                found += _sites(item, named_nullable.fields[key].type, (*path, key))
    return found


def _get(container: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        container = container[key]
    return container


def _set(args: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    parent = _get(args, path[:-1])
    if isinstance(parent, list) and len(parent) > 3:  # a huge list shares one item object
        parent[:] = list(parent)
    parent[path[-1]] = value


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        if len(value) > 3 and all(item is value[0] for item in value):
            return [_copy(value[0])] * len(value)
        return [_copy(item) for item in value]
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    return value


@st.composite
def _defect(draw: Any, draft: _Draft, ctx: _Context) -> None:
    """Add one fault that GraphQL validation or coercion must refuse."""
    variables = draft.use_variables
    choices: list[tuple[str, Any]] = []
    for name, value in draft.args.items():
        if value is _ABSENT:
            continue
        for site in _sites(value, draft.field_.args[name].type, (name,)):
            wrong = _wrong(site.type_, variables, ctx)
            current = _get(draft.args, site.path)
            if wrong:
                choices.append(("wrong type", (site, wrong)))
            if isinstance(site.type_, GraphQLNonNull):
                choices.append(("null for non-null", site))
            named = get_named_type(site.type_)
            if isinstance(named, GraphQLInputObjectType) and isinstance(current, dict):
                choices.append(("unknown input field", site))
                required = [key for key, f in named.fields.items() if is_required_input_field(f)]
                if required:
                    choices.append(("missing required input field", (site, required)))
            if not variables and len(site.path) > 1:
                choices.append(("undefined variable", site))
    required_args = [
        name
        for name, arg in draft.field_.args.items()
        if is_required_argument(arg) and draft.args.get(name, _ABSENT) is not _ABSENT
    ]
    if required_args:
        choices.append(("missing required argument", required_args))
    choices += [
        ("unknown argument", None),
        ("unknown selected field", None),
        ("repeated operation name", None),
        ("unused variable", None),
        ("unused fragment", None),
    ]
    kind, detail = draw(st.sampled_from(choices))
    if kind == "wrong type":
        site, wrong = detail
        value = _copy(draw(st.sampled_from(wrong)))
        _set(draft.args, site.path, value)
        draft.defects.append(f"wrong type at {'.'.join(map(str, site.path))}: {value!r}")
    elif kind == "null for non-null":
        _set(draft.args, detail.path, None)
        draft.defects.append(f"null for non-null {'.'.join(map(str, detail.path))}")
    elif kind == "unknown input field":
        key = draw(names)
        _get(draft.args, detail.path)[key] = draw(_text)
        draft.defects.append(f"unknown input field {key} at {'.'.join(map(str, detail.path))}")
    elif kind == "missing required input field":
        site, required = detail
        key = draw(st.sampled_from(required))
        _get(draft.args, site.path).pop(key, None)
        draft.defects.append(f"missing {key} at {'.'.join(map(str, site.path))}")
    elif kind == "undefined variable":
        _set(draft.args, detail.path, VariableRef("zzUndefined"))
        draft.defects.append(f"undefined variable at {'.'.join(map(str, detail.path))}")
    elif kind == "missing required argument":
        name = draw(st.sampled_from(detail))
        if variables:
            draft.args[name] = _ABSENT  # declared as non-null, never given
        else:
            draft.args.pop(name)
        draft.defects.append(f"missing required argument {name}")
    elif kind == "unknown argument":
        name = draw(names)
        draft.extra_args[name] = draw(st.integers(0, 9))
        draft.defects.append(f"unknown argument {name}")
    elif kind == "unknown selected field":
        unknown = draw(names)
        draft.selection = draw(selections(draft.field_.type, 2, unknown_field=unknown))
        draft.defects.append(f"unknown selected field {unknown}")
    elif kind == "repeated operation name":
        draft.duplicate_operation = True
        draft.defects.append("repeated operation name")
    elif kind == "unused variable":
        draft.extra_variable_definitions.append("$zzUnused: Int")
        draft.defects.append("unused variable")
    elif kind == "unused fragment":
        type_name = get_named_type(draft.field_.type).name
        draft.extra_document.append(f"fragment ZzUnused on {type_name} {{ __typename }}")
        draft.defects.append("unused fragment")


def operations(
    schema: GraphQLSchema,
    *,
    defects: int = 1,
    fields: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    operation_types: Iterable[str] = ("query", "mutation"),
    use_variables: bool | None = None,
    scalar_rules: Mapping[str, ScalarRule] | None = None,
    id_values: Iterable[Any] = (),
    overrides: Mapping[str, SearchStrategy[Any]] | None = None,
    stress: bool = True,
    max_depth: int = 3,
    max_aliases: int = 2,
) -> SearchStrategy[Operation]:
    """Requests for one root field of ``schema``, with ``defects`` faults GraphQL must refuse.

    ``fields`` / ``exclude`` choose root fields by name; ``use_variables`` forces arguments
    into variables (True) or literals (False), else both are drawn. ``id_values`` are mixed
    into ``ID`` values so lookups hit existing rows; ``overrides`` are as for
    ``input_values``. ``max_aliases`` > 1 sometimes repeats the
    field under several aliases in one operation (each copy carries the same arguments, so
    the same defects).
    """
    ctx = _context(scalar_rules, id_values, stress, max_depth, overrides)
    wanted = set(fields) if fields is not None else None
    candidates = [
        entry
        for entry in root_fields(schema, operation_types)
        if (wanted is None or entry[1] in wanted) and entry[1] not in set(exclude)
    ]
    if not candidates:
        raise ValueError("No root field matches.")
    return st.sampled_from(candidates).flatmap(
        lambda entry: _operation(entry, ctx, defects, use_variables, max_aliases)
    )


@st.composite
def _operation(
    draw: Any,
    entry: tuple[str, str, GraphQLField],
    ctx: _Context,
    defects: int,
    use_variables: bool | None,
    max_aliases: int,
) -> Operation:
    operation, name, field_ = entry
    variables = draw(st.booleans()) if use_variables is None else use_variables
    # Literal documents with stress values are refused for their size alone: keep them rare.
    local = ctx if variables else ctx.calm()
    args: dict[str, Any] = {}
    for arg_name, arg in field_.args.items():
        if is_required_argument(arg) or draw(st.booleans()):
            args[arg_name] = _copy(draw(_values(arg.type, local, 0)))
    draft = _Draft(
        operation=operation,
        field_name=name,
        field_=field_,
        args=args,
        use_variables=variables,
        selection=draw(selections(field_.type, ctx.max_depth)),
        alias_count=draw(st.integers(1, max(1, max_aliases))),
    )
    for _ in range(defects):
        draw(_defect(draft, ctx))
    return draft.render()


# --------------------------------------------------------------------------- broken envelopes


@dataclass(frozen=True)
class RawRequest:
    """An HTTP request to a GraphQL endpoint, as bytes: what a hostile client can send."""

    method: str
    content_type: str
    body: bytes = b""
    query_string: dict[str, str] | None = None
    description: str = ""

    def __repr__(self) -> str:
        body = self.body if len(self.body) < 300 else self.body[:300] + b"..."
        return (
            f"RawRequest({self.description!r}, {self.method} {self.content_type!r}, "
            f"body={body!r} ({len(self.body)} bytes), query_string={self.query_string!r})"
        )


@st.composite
def malformed_requests(
    draw: Any, operation: Operation, *, max_json_depth: int = 200, query_values: Any = None
) -> RawRequest:
    """A broken envelope around ``operation`` (which may be valid): none may execute it.

    ``query_values`` are non-string ``query`` members to try (default: numbers, booleans,
    ``null``); ``max_json_depth`` bounds the nesting of the deeply nested JSON bodies.
    """
    good = operation.json()
    if query_values is None:
        query_values = [5, 1.5, True, None, ""]
    kind = draw(
        st.sampled_from(
            [
                "truncated json",
                "invalid json",
                "json scalar",
                "non-utf-8 json",
                "non-utf-8 graphql",
                "utf-16 json",
                "text/plain",
                "unknown content type",
                "batch",
                "query not a string",
                "variables not an object",
                "variables not json",
                "deep json",
                "get mutation",
                "empty body",
                "random bytes",
            ]
        )
    )
    json_type = "application/json"
    if kind == "truncated json":
        cut = draw(st.integers(0, max(0, len(good) - 1)))
        return RawRequest("POST", json_type, good[:cut], description=kind)
    if kind == "invalid json":
        junk = draw(
            st.sampled_from([b"{", b"}", b"{'query': 1}", b'{"query": "x",}', b"NaN", b"\x00"])
        )
        return RawRequest("POST", json_type, junk, description=kind)
    if kind == "json scalar":
        body = draw(st.sampled_from([b"null", b"1", b'"{ ping }"', b"[]", b"true", b"{}"]))
        return RawRequest("POST", json_type, body, description=kind)
    if kind == "non-utf-8 json":
        return RawRequest(
            "POST", json_type, good[:-2] + b'\xff\xfe"}', description=kind
        )  # valid JSON shape, invalid UTF-8
    if kind == "non-utf-8 graphql":
        return RawRequest(
            "POST", "application/graphql", operation.query.encode() + b"\xc3\x28", description=kind
        )
    if kind == "utf-16 json":
        return RawRequest("POST", json_type, good.decode().encode("utf-16"), description=kind)
    if kind == "text/plain":
        return RawRequest("POST", "text/plain", good, description=kind)
    if kind == "unknown content type":
        content_type = draw(
            st.sampled_from(["application/xml", "image/png", "", "application/octet-stream"])
        )
        return RawRequest("POST", content_type, good, description=kind)
    if kind == "batch":
        copies = draw(st.integers(1, 3))
        body = json.dumps([operation.payload()] * copies).encode()
        return RawRequest("POST", json_type, body, description=kind)
    if kind == "query not a string":
        value = draw(st.sampled_from(list(query_values)))
        return RawRequest(
            "POST", json_type, json.dumps({"query": value}).encode(), description=kind
        )
    if kind == "variables not an object":
        value = draw(st.sampled_from([[1], "[1]", 5, "5", True]))
        body = json.dumps({"query": operation.query, "variables": value}).encode()
        return RawRequest("POST", json_type, body, description=kind)
    if kind == "variables not json":
        body = json.dumps({"query": operation.query, "variables": "{not json"}).encode()
        return RawRequest("POST", json_type, body, description=kind)
    if kind == "deep json":
        depth = draw(st.integers(10, max_json_depth))
        # Under a list: "variables" must be an object, so the envelope stays broken.
        variables = [nested_json(depth)]
        body = json.dumps({"query": operation.query, "variables": variables}).encode()
        return RawRequest("POST", json_type, body, description=kind)
    if kind == "get mutation":
        params = {"query": operation.query.replace("query Op", "mutation Op", 1)}
        if operation.variables is not None:
            params["variables"] = json.dumps(operation.variables)
        return RawRequest("GET", "", b"", query_string=params, description=kind)
    if kind == "empty body":
        content_type = draw(st.sampled_from([json_type, "application/graphql", ""]))
        return RawRequest("POST", content_type, b"", description=kind)
    body = draw(st.binary(max_size=200))
    return RawRequest("POST", json_type, body, description=kind)
