"""
Where graphql-core's variable errors are rewritten to quote none of the client's values.

graphql-core writes the whole invalid variable into its message ("Variable '$input' got
invalid value {'username': 'x', 'password': '...'}; ..."), and a scalar's reason ends with
the value it refused: a write-only field the client sent, a password, would come back in
the answer and land in every log that records errors. ``without_quoted_values`` rebuilds
such errors from the path and a reason without the value, walking the values again only
until graphql-core's cap of 50 errors.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    VariableDefinitionNode,
    coerce_input_value,
    get_named_type,
    get_nullable_type,
    is_input_type,
    is_leaf_type,
    type_from_ast,
)
from graphql.pyutils import inspect as show_value
from graphql.pyutils import print_path_list

from .settings import crud_settings

__all__ = ["reason_without_value", "without_quoted_values"]

#: Later graphql-core 3.2 releases can leave "Did you mean ...?" out of coercion errors.
_COERCION_HIDES_SUGGESTIONS = "hide_suggestions" in inspect.signature(coerce_input_value).parameters
_QUOTED_VALUE = re.compile(r"Variable '\$\w+' got invalid value ")
_MAX_VARIABLE_ERRORS = 50  # graphql-core's own cap


def without_quoted_values(
    errors: list[GraphQLError],
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
) -> list[GraphQLError]:
    """Variable errors that say where a value is wrong without quoting the value.

    graphql-core quotes the whole invalid variable in its message ("Variable '$input' got
    invalid value {'username': 'x', 'password': '...'}; Field 'isStaff' is not defined..."),
    so a write-only field the client sent, a password, would come back in the error and
    land in every log that records errors. Such messages are rebuilt here from the path and
    the reason alone, the reason without the value it names (a scalar's reason ends with
    the value it refused, which may be the password itself, or a list holding it). The
    values are walked again only until graphql-core's cap of errors is reached.
    """
    if not any(_QUOTED_VALUE.match(error.message) for error in errors):
        return errors
    kept = [error for error in errors if not _QUOTED_VALUE.match(error.message)]
    rebuilt: list[GraphQLError] = []
    for definition in operation.variable_definitions or ():
        type_ = type_from_ast(schema, definition.type)
        value = variables.get(definition.variable.name.value)
        if value is not None and is_input_type(type_):
            # None and missing values: graphql-core's own messages for them quote nothing.
            on_error = _path_only_errors(definition, type_, rebuilt)
            try:
                if not crud_settings.INTROSPECTION and _COERCION_HIDES_SUGGESTIONS:
                    coerce_input_value(value, type_, on_error, hide_suggestions=True)
                else:
                    coerce_input_value(value, type_, on_error)
            except _EnoughErrors:
                break
    return (kept + rebuilt)[:_MAX_VARIABLE_ERRORS] or [
        GraphQLError("The variables are not valid for this operation.")
    ]


def _path_only_errors(
    definition: VariableDefinitionNode, type_: Any, into: list[GraphQLError]
) -> Any:
    """A ``coerce_input_value`` error callback that records path and reason, not the value,
    and stops the walk (``_EnoughErrors``) once ``into`` holds graphql-core's cap of errors:
    a list of 800,000 wrong items must cost what graphql-core's own 50 errors cost."""
    name = definition.variable.name.value

    def on_error(path: list[str | int], value: Any, error: GraphQLError) -> None:
        if len(into) >= _MAX_VARIABLE_ERRORS:
            raise _EnoughErrors
        where = f" at '{name}{print_path_list(path)}'" if path else ""
        named = _named_type_at(type_, path)
        if value is None:  # graphql-core's words for a null quote nothing
            reason = error.message
        elif named is None or is_leaf_type(named):
            # A scalar's or an enum's reason may quote the value it refused.
            reason = reason_without_value(error.message, value) or _expected(named, value)
        else:  # an input object's: its fields and its type are named, never a value
            reason = error.message
        message = f"Variable '${name}' got invalid value{where}; {reason}"
        into.append(GraphQLError(message, definition, original_error=error.original_error))

    return on_error


class _EnoughErrors(Exception):  # noqa: N818 - a signal, not an error
    """The variables' errors reached graphql-core's cap: stop walking the values."""


def reason_without_value(message: str, value: Any) -> str | None:
    """graphql-core's reason for refusing a scalar's or an enum's ``value``, without the
    value; None when no such reason can be told (a list or an object given, which a reason
    can only describe by quoting; the value still showing in it).

    A scalar's reason ends with the value (``Int cannot represent non-integer value:
    'abc'``), an enum's quotes it (``Value 'x' does not exist in 'Status' enum.``), a
    scalar's own ``ValueError`` may repeat it. A text is taken out wherever it shows, quoted;
    a number only where it ends the reason (``: 3000000000``), as its digits may be part of
    a word elsewhere (``32-bit``).
    """
    if not isinstance(value, str | int | float):
        return None
    shown = show_value(value)  # as graphql-core writes it in its messages
    if isinstance(value, str):
        for each in (f": {shown}", f" {shown}", shown):
            message = message.replace(each, "")
    else:
        for tail in (f": {shown}", f": {shown}."):
            if message.endswith(tail):
                message = message[: -len(tail)]
    message = message.rstrip()
    text = str(value)
    if len(text) >= 4 and not isinstance(value, bool) and text in message:
        return None  # shorter ones are as likely to be part of a word
    return message if message.endswith((".", "?")) else f"{message}."


def _expected(named: Any, value: Any) -> str:
    """A reason that says what the value should have been, quoting none of it."""
    kind = ", not a list" if isinstance(value, list | tuple) else ""
    kind = ", not an object" if isinstance(value, dict) else kind
    if named is None:
        return f"Expected a value of another type{kind}."
    return f"Expected a value of type '{named.name}'{kind}."


def _named_type_at(type_: Any, path: list[str | int]) -> Any:
    """The named type at ``path`` inside the input type ``type_``; None if it leads nowhere."""
    try:
        for key in path:
            type_ = get_nullable_type(type_)
            type_ = type_.of_type if isinstance(key, int) else type_.fields[key].type
        return get_named_type(type_)
    except (AttributeError, KeyError):
        return None
