"""
GraphQL scalars for values whose parsing belongs to DRF.

A DRF ``DateField`` accepts the formats in ``DATE_INPUT_FORMATS`` and answers a bad value with
its own message and code ("Date has wrong format. ...", ``invalid``). If the GraphQL layer
parsed dates itself, a bad date would fail GraphQL coercion with another message and no
field path, and REST and GraphQL would disagree. So these scalars carry DRF's text form both
ways: input values reach the serializer untouched, output values are what the serializer's
``to_representation`` produced (already strings under DRF's default settings). They are
named for what they carry so they never collide with graphene's own ``DateTime``, ``Date``,
``Decimal`` scalars, which a project's ``DjangoObjectType``s use.

A native value that reaches an output scalar (``DecimalField(coerce_to_string=False)``, a
``ReadOnlyField`` over a model column, a ``SerializerMethodField`` annotated ``-> Decimal``)
is written as DRF's JSON encoder writes it under REST: a ``Decimal`` as a JSON number, a
``timedelta`` as its total seconds.

Integers beyond GraphQL's 32-bit ``Int`` use ``BigInteger``: a JSON number out, as
graphene's ``BigInt``, while input values, like the text scalars', reach DRF's
``IntegerField`` untouched. JSON values use ``JSONValue``: real JSON in and out, not
JSON-encoded strings.
"""

from __future__ import annotations

import datetime
import decimal
import importlib
import json
import math
import uuid
from typing import Any

import graphene
from django.utils.functional import Promise
from graphql import GraphQLError, Undefined
from graphql.language import (
    BooleanValueNode,
    FloatValueNode,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableNode,
)
from graphql.pyutils import inspect
from rest_framework.utils.encoders import JSONEncoder

__all__ = [
    "BigInteger",
    "DateString",
    "DateTimeString",
    "DecimalString",
    "DurationString",
    "JSON",
    "JSONValue",
    "TimeString",
    "UUIDInteger",
    "UUIDString",
    "Upload",
]

#: DRF's own encoder: what REST writes for a native value a serializer returned.
_REST_ENCODER = JSONEncoder()

#: Values JSON writes as they are (a float too, when it is finite).
_TEXT_ATOMS = frozenset({str, int, bool, type(None)})

#: A variable the request did not send, inside a JSON literal: its key is left out.
_MISSING = object()


class _NotJSON(Exception):
    """A literal with no JSON reading (an enum-like bare word)."""


class JSONValue(graphene.Scalar):
    """Any JSON value, in and out: what a ``JSONField``, ``DictField`` or ``HStoreField``
    reads and writes under REST.

    graphene's ``GenericScalar`` comes close but loses data written in a document: in a
    literal such as ``{json: {a: $v, n: 10000000000, c: RED}}`` it reads the variable, the
    integer beyond 32 bits and the bare word as ``null``, with no error, and the serializer
    saves the nulls. Here a variable takes its value (one the request did not send leaves
    its key out, or is a list's ``null``, as graphql-js reads untyped values), an integer is
    any integer, and a bare word fails validation. A native value a serializer hands over
    (a ``Decimal``, ``datetime``, ``UUID``, ``set`` or ``bytes``: a ``SerializerMethodField``
    without a return annotation, ``JSONField(binary=True)``) is written as DRF's JSON
    encoder writes it under REST, whatever view encodes the answer.
    """

    class Meta:
        name = "JSONValue"
        description = "Any JSON value: an object, a list, a string, a number, a boolean or null."

    @staticmethod
    def serialize(value: Any) -> Any:
        if type(value) in _TEXT_ATOMS or _is_plain_json(value):
            return value
        try:
            # NaN and the infinities are no JSON: REST's renderer refuses them (STRICT_JSON),
            # and an answer holding them would not parse.
            return json.loads(json.dumps(value, cls=JSONEncoder, allow_nan=False))
        except ValueError as exc:
            # Not a GraphQLError quoting the value, which graphql-core's message would show
            # the client (a dict of secrets beside a NaN): a server error, logged, withheld,
            # as REST's renderer failing is a bare 500.
            raise ValueError(
                f"JSONValue cannot represent a {type(value).__name__}: {exc}"
            ) from None

    @staticmethod
    def parse_value(value: Any) -> Any:
        return value  # a variable's value: JSON already

    @staticmethod
    def parse_literal(node: ValueNode, variables: Any = None) -> Any:
        try:
            value = _json_literal(node, variables or {})
        except _NotJSON:
            return Undefined
        return Undefined if value is _MISSING else value


def _is_plain_json(value: Any) -> bool:
    """Whether ``value`` is JSON as it is (dicts with text keys, lists, atoms), so that it
    needs no conversion. A cycle, or nesting past the interpreter's limit, is left to the
    encoder, which refuses it."""
    try:
        return _plain(value)
    except RecursionError:
        return False


def _plain(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (type(item) not in _TEXT_ATOMS and not _plain(item)):
                return False
        return True
    if kind is list:
        return all(type(item) in _TEXT_ATOMS or _plain(item) for item in value)
    return kind in _TEXT_ATOMS or (kind is float and math.isfinite(value))


def _json_literal(node: ValueNode, variables: dict[str, Any]) -> Any:
    if isinstance(node, NullValueNode):
        return None
    if isinstance(node, StringValueNode | BooleanValueNode):
        return node.value
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, FloatValueNode):
        return float(node.value)
    if isinstance(node, VariableNode):
        return variables.get(node.name.value, _MISSING)
    if isinstance(node, ListValueNode):
        items = (_json_literal(item, variables) for item in node.values)
        return [None if item is _MISSING else item for item in items]
    if isinstance(node, ObjectValueNode):
        fields = {}
        for field in node.fields:
            value = _json_literal(field.value, variables)
            if value is not _MISSING:
                fields[field.name.value] = value
        return fields
    raise _NotJSON


#: The library's JSON type (``JSONValue``), by the name the converter uses.
JSON = JSONValue


class BigInteger(graphene.BigInt):
    """An integer beyond GraphQL's 32-bit ``Int``: a JSON number, as REST writes it.

    Input values reach the serializer's ``IntegerField`` as sent, so a value it refuses
    (``1.5``, ``"1e3"``, ``true``) gets DRF's own message and code, as under REST; graphene's
    ``BigInt`` would truncate them to an integer DRF then accepts. Named apart from
    graphene's ``BigInt``, which graphene-django gives a ``BigIntegerField`` column: a
    schema holds one type per name, and each keeps its own parsing.
    """

    class Meta:
        name = "BigInteger"
        description = (
            "An integer beyond 32 bits, as a JSON number. Inputs are checked by the "
            "serializer's integer field, as under REST."
        )

    @staticmethod
    def serialize(value: Any) -> Any:
        # DRF's BigIntegerField renders text under COERCE_BIGINT_TO_STRING (DRF >= 3.17):
        # REST writes that text, and so does this scalar; graphene's would make it a number.
        if isinstance(value, str):
            return value
        return graphene.BigInt.coerce_int(value)

    @staticmethod
    def parse_value(value: Any) -> Any:
        return value

    @staticmethod
    def parse_literal(node: ValueNode, _variables: Any = None) -> Any:
        # Any JSON scalar, as a variable or a REST body carries it: DRF's integer field
        # reads an integer, its text or ``1.0``, and refuses ``1.5`` or ``true`` with its
        # own message, written in the document as sent in a variable.
        if isinstance(node, IntValueNode | FloatValueNode | StringValueNode | BooleanValueNode):
            return json_literal(node)
        return Undefined


class UUIDInteger(BigInteger):
    """A UUID as the 128-bit integer ``UUIDField(format="int")`` writes: a JSON number out;
    in, the integer or the UUID's text, both of which the field reads, as under REST."""

    class Meta:
        name = "UUIDInteger"
        description = (
            "A UUID as its 128-bit integer, a JSON number. Inputs may also be the UUID's "
            "text; the serializer's UUID field reads both, as under REST."
        )

    @staticmethod
    def parse_literal(node: ValueNode, _variables: Any = None) -> Any:
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, StringValueNode):
            return node.value
        return Undefined


def _iso_datetime(value: datetime.datetime) -> str:
    # The same text DRF's JSON encoder writes for a datetime.
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class _TextScalar(graphene.Scalar):
    """Base for scalars whose text DRF parses and formats."""

    #: Python types formatted on output when the serializer returns a native value
    #: (``format=None`` on the DRF field, or a ``SerializerMethodField``).
    native_types: tuple[type, ...] = ()
    literal_nodes: tuple[type[ValueNode], ...] = (StringValueNode,)

    @classmethod
    def format_native(cls, value: Any) -> str:
        return str(value)

    @classmethod
    def serialize(cls, value: Any) -> Any:
        if isinstance(value, str):
            return value
        if cls.native_types and isinstance(value, cls.native_types):
            return cls.format_native(value)
        if isinstance(value, _REST_TEXT_TYPES):  # the text REST's JSON encoder writes
            return _REST_ENCODER.default(value)
        if isinstance(value, bool):
            return "true" if value else "false"  # as GraphQL's String writes one
        if isinstance(value, int | float | decimal.Decimal | Promise):
            return str(value)  # as GraphQL's String writes a number
        # A field class rendering another kind of value (a dict, a list) needs a rule of
        # its own: refused, as GraphQL's String refuses it, rather than written as a repr.
        raise GraphQLError(f"{cls._meta.name} cannot represent value: {inspect(value)}")

    @staticmethod
    def parse_value(value: Any) -> Any:
        # Left to the serializer field, which gives the message REST gives.
        return value

    @classmethod
    def parse_literal(cls, node: ValueNode, _variables: Any = None) -> Any:
        if isinstance(node, cls.literal_nodes):
            return json_literal(node)
        return Undefined


#: Values DRF's JSON encoder writes as text (a datetime with ``Z`` for UTC).
_REST_TEXT_TYPES = (datetime.date, datetime.time, datetime.timedelta, uuid.UUID)


def json_literal(node: ValueNode) -> Any:
    """A scalar literal as the value JSON would have carried (a variable, a REST body): the
    text of a string, an ``int`` or a ``float`` for a number; the serializer's field then
    reads it as under REST."""
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, FloatValueNode):
        return float(node.value)
    return node.value  # type: ignore[attr-defined]


#: ``_TextScalar.serialize``: returns a ``str`` unchanged, which the executor relies on.
TEXT_SCALAR_SERIALIZE = _TextScalar.serialize.__func__  # type: ignore[attr-defined]


class DateTimeString(_TextScalar):
    """A date and time in DRF's format (ISO 8601 unless ``DATETIME_FORMAT`` says otherwise)."""

    native_types = (datetime.datetime,)

    @classmethod
    def format_native(cls, value: datetime.datetime) -> str:
        return _iso_datetime(value)


class DateString(_TextScalar):
    """A date in DRF's format (ISO 8601, ``YYYY-MM-DD``, unless ``DATE_FORMAT`` says otherwise)."""

    native_types = (datetime.date,)

    @classmethod
    def format_native(cls, value: datetime.date) -> str:
        return _REST_ENCODER.default(value)  # a datetime too, with REST's "Z" for UTC


class TimeString(_TextScalar):
    """A time of day in DRF's format (ISO 8601 unless ``TIME_FORMAT`` says otherwise)."""

    native_types = (datetime.time,)

    @classmethod
    def format_native(cls, value: datetime.time) -> str:
        return value.isoformat()


class DurationString(_TextScalar):
    """A duration as DRF writes it: ``[DD] [HH:[MM:]]ss[.uuuuuu]``.

    Output is the serializer's text; where the serializer returns a native ``timedelta``
    (a ``ReadOnlyField``, a method annotated ``-> timedelta``), its total seconds as text
    (``"3603.0"``), as REST writes it.
    """

    native_types = (datetime.timedelta,)
    # REST's JSON body may give the seconds as a number, which DRF reads (3600 is an hour).
    literal_nodes = (StringValueNode, IntValueNode, FloatValueNode)

    @classmethod
    def format_native(cls, value: datetime.timedelta) -> str:
        return _REST_ENCODER.default(value)


class DecimalString(_TextScalar):
    """A decimal number as the serializer renders it, as REST returns it.

    Output is the serializer's text (DRF's default, so no digit is lost to floating
    point), or a number where the serializer renders decimals as numbers
    (``coerce_to_string=False``, ``COERCE_DECIMAL_TO_STRING: False``, a ``ReadOnlyField``, a
    method annotated ``-> Decimal``), as REST does. Input also accepts a number: in a
    variable, JSON's parser gives DRF a float, as in a REST body (``1.100`` is ``1.1``); a
    number literal in the document keeps the digits it is written with, none lost to
    floating point (``1.100`` has three places). The serializer's ``DecimalField`` then
    checks digits and places as under REST.
    """

    native_types = (decimal.Decimal, int, float)
    literal_nodes = (StringValueNode, IntValueNode, FloatValueNode)

    @classmethod
    def parse_literal(cls, node: ValueNode, _variables: Any = None) -> Any:
        # A number literal keeps its digits (never through a float): "1.10" is checked as
        # written, where a JSON body's 1.10 reaches DRF as the float 1.1.
        if isinstance(node, cls.literal_nodes):
            return node.value  # type: ignore[attr-defined]
        return Undefined

    @classmethod
    def format_native(cls, value: decimal.Decimal | int | float) -> Any:
        # A Decimal becomes the float REST writes; an int or float is a JSON number as is.
        number = _REST_ENCODER.default(value) if isinstance(value, decimal.Decimal) else value
        if isinstance(number, float) and not math.isfinite(number):
            # REST's renderer refuses NaN and infinities (strict JSON): as GraphQL's Float
            # does, this field says so rather than writing invalid JSON.
            raise GraphQLError(f"DecimalString cannot represent value: {value}")
        return number


class UUIDString(_TextScalar):
    """A UUID in its canonical hex form (DRF's ``UUIDField`` decides the accepted forms)."""

    native_types = (uuid.UUID,)
    # REST's JSON body may give the UUID's integer, which DRF's UUIDField reads.
    literal_nodes = (StringValueNode, IntValueNode)


try:  # Share the scalar with graphene-file-upload when a project uses it: one "Upload" type.
    from graphene_file_upload.scalars import Upload
except ImportError:  # pragma: no cover - depends on the environment

    class Upload(graphene.Scalar):  # type: ignore[no-redef]
        """A file sent in a multipart request (GraphQL multipart request spec)."""

        @staticmethod
        def serialize(value: Any) -> Any:
            return value

        @staticmethod
        def parse_value(value: Any) -> Any:
            return value

        @staticmethod
        def parse_literal(node: ValueNode, _variables: Any = None) -> Any:
            return Undefined


def _files_are_single_values() -> None:
    """A file is one value to graphql-core, never a list of its lines.

    graphql-core coerces an iterable given for a list type item by item, and makes a single
    value a list of one only when it is not iterable; Django's ``File`` iterates its lines.
    One upload mapped to a ``[Upload!]`` argument (what REST's multipart form gives a
    ``ListField(child=FileField())``: a list of one) became a list of its lines, an error
    for each, as many as the client's file held. ``File`` joins the types graphql-core
    never iterates (``str``, ``bytes``, mappings), for values coerced and completed alike.
    """
    from django.core.files.base import File

    # The module (graphql.pyutils re-exports its function under the module's name).
    iterables = importlib.import_module("graphql.pyutils.is_iterable")
    if not issubclass(File, iterables.not_iterable_types):
        iterables.not_iterable_types = (*iterables.not_iterable_types, File)


_files_are_single_values()
