"""
Where a DRF (or Django) exception becomes a GraphQL error.

Every failure of an operation is raised as one ``GraphQLError`` on the operation's path, with
``extensions = {"code": ..., "status": ...}``: the code and HTTP status REST would have
answered with. A ``ValidationError`` also carries ``extensions.errors``, one entry per
field error, each with the path of the input as the client wrote it (camelCase, list
indices as numbers, dotted), DRF's own message and DRF's own code::

    {"field": "subtasks.1.name", "message": "This field may not be blank.", "code": "blank"}

Django's ``Http404``, ``PermissionDenied`` and ``ValidationError`` are first turned into
their DRF equivalents, as DRF's ``exception_handler`` does. Anything else is a bug in
server code: it is logged with its traceback and the client gets ``INTERNAL_SERVER_ERROR``
with no detail, never a traceback or SQL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from graphene.utils.str_converters import to_camel_case
from graphql import (
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    get_nullable_type,
)
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

from .relay import refused_global_id
from .settings import crud_settings

__all__ = ["FieldError", "error_code", "flatten_validation_errors", "to_graphql_error"]

logger = logging.getLogger("drf_graphql_crud")

FieldError = dict[str, Any]  # {"field": str | None, "message": str, "code": str}
Segment = str | int


def as_api_exception(exc: BaseException) -> exceptions.APIException | None:
    """The DRF exception REST would have answered with, or ``None`` for a server bug."""
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound(*exc.args)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(detail=as_serializer_error(exc))
    if refused_by_database(exc):
        return exceptions.ValidationError(detail=[UNSTORABLE_VALUE], code="invalid")
    if refused_global_id(exc):
        return exceptions.NotFound()  # as REST answers a malformed lookup
    return None


#: The error for a value the database refused to store or compare (see ``refused_by_database``).
UNSTORABLE_VALUE = "A value in the input cannot be stored or looked up."


def not_null_violation(exc: BaseException) -> bool:
    """Whether an ``IntegrityError`` is a NOT NULL column given no value.

    The serializer validated what the client sent, so that is a bug in server code (a
    ``perform_create`` saving ``None``), to be logged and answered as REST answers it, a
    500, never blamed on the input as a lost unique race is. PostgreSQL says so with
    SQLSTATE 23502, MySQL with error 1048, SQLite in its message.
    """
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate is not None:  # PostgreSQL: its messages quote values, so trust the code alone
        return sqlstate == "23502"
    args = getattr(cause, "args", None) or exc.args
    if args and args[0] == 1048:
        return True
    return str(exc).startswith("NOT NULL constraint failed")  # SQLite quotes no value


def no_input_explains(exc: BaseException) -> bool:
    """Whether an ``IntegrityError`` is none the client's input could have caused or avoided.

    A NOT NULL column given no value (``not_null_violation``), or a delete Django refused
    because PROTECT or RESTRICT relations point at the row (``ProtectedError``,
    ``RestrictedError``): REST leaves both unhandled, a logged 500, unless the project's
    code turns them into an answer of its own (in ``perform_destroy``, say), as it may here.
    """
    return isinstance(exc, ProtectedError | RestrictedError) or not_null_violation(exc)


def refused_by_database(exc: BaseException) -> bool:
    """Whether the database (or its driver) refused a value the client sent.

    PostgreSQL answers a NUL byte in text, an integer past the column's range or an
    over-long string with ``DataError``; SQLite's driver, under Django < 5.0, raises
    ``OverflowError`` for an integer past 64 bits. Both come from input the serializer let
    through (REST would answer 500): a ``VALIDATION_ERROR``, not a server bug. An
    ``OverflowError`` counts only when it was raised inside Django's database layer, so
    arithmetic gone wrong in server code stays an internal error.
    """
    if isinstance(exc, DataError):
        return True
    if not isinstance(exc, OverflowError):
        return False
    frame = exc.__traceback__
    while frame is not None:
        if frame.tb_frame.f_globals.get("__name__", "").startswith("django.db."):
            return True
        frame = frame.tb_next
    return False


def error_code(exc: exceptions.APIException) -> str:
    """``VALIDATION_ERROR``, ``NOT_FOUND``, ... or the exception's own code, upper case.

    A permission class's ``code`` travels in ``exc.detail.code`` (as DRF's
    ``permission_denied`` puts it there) and wins over the class default.
    """
    detail_code = getattr(exc.detail, "code", None)
    raw = detail_code if isinstance(detail_code, str) else exc.default_code
    if isinstance(exc, exceptions.ValidationError):
        raw = "invalid"
    return crud_settings.ERROR_CODES.get(raw) or str(raw).upper()


def flatten_validation_errors(
    detail: Any, input_type: GraphQLInputType | None = None
) -> list[FieldError]:
    """Every error in a DRF error structure, with client-side dotted paths.

    ``input_type`` is the GraphQL type of the input argument; it maps serializer field
    names back to the names the client wrote (graphene camelCases them).
    """
    return [
        {"field": client_path(path, input_type), "message": str(error), "code": _code(error)}
        for path, error in _walk(detail, ())
    ]


def _code(error: Any) -> str:
    return getattr(error, "code", None) or "invalid"


def _walk(detail: Any, path: tuple[Segment, ...]) -> Iterator[tuple[tuple[Segment, ...], Any]]:
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            # DRF's key, or Django's ("__all__") when a model's clean() raised.
            if key in (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS):
                yield from _walk(value, path)
            else:
                yield from _walk(value, (*path, key))
    elif isinstance(detail, Sequence) and not isinstance(detail, str):
        for index, item in enumerate(detail):
            if isinstance(item, Mapping | list):
                # A ListSerializer's errors: one entry per item, empty for valid items.
                yield from _walk(item, (*path, index))
            else:
                yield path, item
    else:
        yield path, detail


def client_path(path: tuple[Segment, ...], input_type: GraphQLInputType | None) -> str | None:
    if not path:
        return None
    parts: list[str] = []
    current: Any = input_type
    inside_value = False  # in a JSON (or other scalar) value: keys are the client's own
    for segment in path:
        current = get_nullable_type(current) if current is not None else None
        if inside_value:
            parts.append(str(segment))
        elif isinstance(current, GraphQLList):
            parts.append(str(segment))
            current = current.of_type
        elif isinstance(current, GraphQLInputObjectType):
            names = _client_names(current)
            name = names.get(str(segment))
            parts.append(name if name is not None else to_camel_case(str(segment)))
            current = current.fields[name].type if name is not None else None
        elif isinstance(segment, int) or current is not None:
            # An index, or a key inside a JSON value: the client's own text.
            parts.append(str(segment))
            inside_value = current is not None
            current = None
        else:
            parts.append(to_camel_case(str(segment)))
    return ".".join(parts)


@lru_cache(maxsize=1024)
def _client_names(input_type: GraphQLInputObjectType) -> dict[str, str]:
    """Serializer field name (the field's ``out_name``) -> GraphQL name, per input type."""
    return {(field.out_name or name): name for name, field in input_type.fields.items()}


def input_type_of(info: Any, argument: str) -> GraphQLInputType | None:
    """The GraphQL type of a resolved field's argument (by its Python name), for error paths."""
    try:
        field_def = info.parent_type.fields[info.field_name]
    except (AttributeError, KeyError):
        return None
    for name, definition in field_def.args.items():
        if (definition.out_name or name) == argument:
            return definition.type
    return None


def to_graphql_error(
    exc: BaseException, input_type: GraphQLInputType | None = None
) -> GraphQLError:
    """The GraphQL error for ``exc``, as the design's error table says."""
    if isinstance(exc, GraphQLError):
        return exc
    api_exc = as_api_exception(exc)
    if api_exc is None:
        return internal_error(exc)
    code = error_code(api_exc)
    extensions: dict[str, Any] = {"code": code, "status": api_exc.status_code}
    if isinstance(api_exc, exceptions.ValidationError):
        message = crud_settings.ERROR_MESSAGES.get(code) or api_exc.default_detail
        extensions["errors"] = flatten_validation_errors(api_exc.detail, input_type)
    else:
        message = crud_settings.ERROR_MESSAGES.get(code) or _detail_text(api_exc.detail)
    wait = getattr(api_exc, "wait", None)
    if wait:
        extensions["retryAfter"] = int(wait + 0.999)
    return GraphQLError(str(message), extensions=extensions, original_error=None)


def _detail_text(detail: Any) -> str:
    if isinstance(detail, list | tuple) and detail:
        return str(detail[0])
    if isinstance(detail, Mapping) and detail:
        return _detail_text(next(iter(detail.values())))
    return str(detail)


def internal_error(exc: BaseException) -> GraphQLError:
    """A server bug: logged in full, reported to the client without any detail."""
    logger.error("Unhandled exception in a GraphQL operation", exc_info=exc)
    code = crud_settings.ERROR_CODES["internal_error"]
    extensions: dict[str, Any] = {"code": code, "status": 500}
    if settings.DEBUG:
        extensions["exception"] = {"type": type(exc).__name__, "message": str(exc)}
    message = crud_settings.ERROR_MESSAGES.get(code) or exceptions.APIException.default_detail
    return GraphQLError(str(message), extensions=extensions)
