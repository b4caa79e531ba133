"""The shipped strategies do what they promise, checked against graphql-core alone (no HTTP).

A defective operation must fail GraphQL parsing, validation or variable coercion; a
well-shaped one must pass all three. If these hold, a server that executes a defective
operation (or 500s on a well-shaped one) is at fault, not the generator.
"""

import pytest
from graphql import (
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    Undefined,
    get_operation_ast,
    parse,
    parse_value,
    specified_rules,
    validate,
    value_from_ast,
)
from graphql.execution.values import get_variable_values
from graphql.utilities import coerce_input_value
from hypothesis import given
from hypothesis import strategies as st

from tests.reliability import strategies as gs
from tests.reliability.schema import rel_schema

SCHEMA = rel_schema.graphql_schema


def graphql_errors(operation: gs.Operation) -> list[GraphQLError]:
    """What graphql-core says about the operation before any resolver could run."""
    try:
        document = parse(operation.query)
    except GraphQLError as error:
        return [error]
    errors = validate(SCHEMA, document, specified_rules)
    if errors:
        return errors
    ast = get_operation_ast(document, operation.operation_name)
    if ast is None:
        return [GraphQLError("No single operation to run.")]
    coerced = get_variable_values(SCHEMA, ast.variable_definitions, operation.variables or {})
    return coerced if isinstance(coerced, list) else []


def coercion_errors(value, type_):
    errors = []
    coerce_input_value(gs.to_json(value), type_, lambda *args: errors.append(args))
    return errors


def input_types():
    seen = {}
    for type_ in SCHEMA.type_map.values():
        if isinstance(type_, GraphQLInputObjectType) and not type_.name.startswith("__"):
            for input_field in type_.fields.values():
                seen[str(input_field.type)] = input_field.type
    return sorted(seen.items())


@pytest.mark.parametrize(("name", "type_"), input_types(), ids=[n for n, _ in input_types()])
def test_wrong_values_are_refused_by_coercion(name, type_):
    for value in gs.wrong_values(type_, variables=True):
        assert coercion_errors(value, type_), f"{value!r} was accepted as a {name} variable"
    for value in gs.wrong_values(type_, variables=False):
        node = parse_value(gs.to_literal(value))
        assert value_from_ast(node, type_) is Undefined, f"{value!r} accepted as a {name} literal"


@pytest.mark.parametrize(("name", "type_"), input_types(), ids=[n for n, _ in input_types()])
@given(data=st.data())
def test_input_values_are_accepted_by_coercion(name, type_, data):
    value = data.draw(gs.input_values(type_, stress=False))
    errors = coercion_errors(value, type_)
    assert not errors, errors
    if value is not None and "GenericScalar" not in name:
        assert value_from_ast(parse_value(gs.to_literal(value)), type_) is not Undefined


@given(gs.operations(SCHEMA, defects=1))
def test_defective_operations_are_refused_by_graphql(operation):
    assert graphql_errors(operation), operation


@given(gs.operations(SCHEMA, defects=2, max_aliases=3))
def test_two_defects_still_refused(operation):
    assert graphql_errors(operation), operation


@given(gs.operations(SCHEMA, defects=0, stress=False))
def test_well_shaped_operations_pass_graphql(operation):
    assert graphql_errors(operation) == [], operation


def test_literals_and_json():
    value = {"a": [gs.EnumName("TODO"), None, 1.5, 'x\n"y'], "b": gs.VariableRef("v")}
    assert gs.to_literal(value) == '{a: [TODO, null, 1.5, "x\\n\\"y"], b: $v}'
    assert gs.to_json({"a": [gs.EnumName("TODO")]}) == {"a": ["TODO"]}
    assert len(gs.nested_json(30).__repr__()) > 30
    wrapped = GraphQLNonNull(GraphQLList(GraphQLNonNull(SCHEMA.type_map["Int"])))
    assert [1.5] in gs.wrong_values(wrapped, variables=True)
