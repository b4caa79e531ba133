"""
Where a DRF (or Django) exception becomes a GraphQL error.

Every failure of an operation is raised as one ``GraphQLError`` on the operation's path, with
``extensions = {"code": ..., "status": ...}``: the code and HTTP status REST would have
answered with. A ``ValidationError`` also carries ``extensions.errors``, one entry per
field error, each with the path of the input as the client wrote it (camelCase, list
indices as numbers, dotted), DRF's own message and DRF's own code::

    {"field": "subtasks.1.name", "message": "This field may not be blank.", "code": "blank"}

Django's ``Http404`` and ``PermissionDenied`` are first turned into their DRF equivalents,
as DRF's ``exception_handler`` does. Django's ``ValidationError`` (from a model's ``clean()``
or ``full_clean()`` in ``save()``, say) becomes a ``VALIDATION_ERROR`` with its messages and
codes, where REST leaves it unhandled (a 500): its messages are written for the client. A
value the database refused to store is a ``VALIDATION_ERROR`` too, and logged. Anything else
is a bug in server code: it is logged with its traceback and the client gets
``INTERNAL_SERVER_ERROR`` with no detail, never a traceback or SQL (under ``DEBUG`` only, a
developer's setting, ``extensions.exception`` holds its type and message, as Django's debug
page shows them for REST: SQL text included). An ``APIException`` with
a status of 500 or more is logged as well, as Django logs REST's 5xx answers.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from functools import lru_cache
from http import HTTPStatus
from http.client import responses
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    SuspiciousFileOperation,
    SuspiciousOperation,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, ProgrammingError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy
from graphene.utils.str_converters import to_camel_case
from graphql import (
    GraphQLError,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    get_nullable_type,
)
from rest_framework import exceptions
from rest_framework import fields as drf_fields
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

from .relay import refused_global_id
from .settings import crud_settings

__all__ = ["FieldError", "error_code", "flatten_validation_errors", "to_graphql_error"]

logger = logging.getLogger("drf_graphql_crud")
#: Where a server error is logged: the logger Django logs REST's 500s under, whose handlers
#: (``mail_admins`` in Django's default ``LOGGING``, a project's error reporting) the HTTP
#: status of a GraphQL answer, a 200, would otherwise never reach.
server_errors = logging.getLogger("django.request")

FieldError = dict[str, Any]  # {"field": str | None, "message": str, "code": str}
Segment = str | int


def as_api_exception(exc: BaseException, request: Any = None) -> exceptions.APIException | None:
    """The DRF exception REST would have answered with, or ``None`` for a server bug.

    ``request`` (the operation's, a DRF ``Request`` or an ``HttpRequest``) goes on the log
    record of a suspicious operation, as Django's handler puts it there.
    """
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound(*exc.args)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(detail=as_serializer_error(exc))
    if (unreadable := unreadable_input_error(exc)) is not None:
        return unreadable
    if refused_by_database(exc):
        # Input the serializer let through, or a value server code wrote: the log tells.
        logger.warning("The database refused a value", exc_info=exc)
        return exceptions.ValidationError(detail=[UNSTORABLE_VALUE], code="invalid")
    if isinstance(exc, SuspiciousOperation):
        # REST's 400, logged as Django logs it; its text (a path on the server, a host)
        # stays out of the answer. An upload's name the storage cannot use is the input's.
        security = logging.getLogger(f"django.security.{type(exc).__name__}")
        security.error(
            str(exc), exc_info=exc, extra={"status_code": 400, **_logged_request(request)}
        )
        if isinstance(exc, SuspiciousFileOperation):
            return exceptions.ValidationError(detail=[UNSTORABLE_VALUE], code="invalid")
        return BadRequest()
    if refused_global_id(exc):
        return exceptions.NotFound()  # as REST answers a malformed lookup
    return None


class BadRequest(exceptions.APIException):
    """What Django answers a suspicious request with (a 400), as a DRF exception."""

    status_code = 400
    default_detail = gettext_lazy("Bad Request")
    default_code = "bad_request"


#: DRF's exception for each error status, whose body REST's answer of that status holds.
_STATUS_EXCEPTIONS: dict[int, type[exceptions.APIException]] = {
    401: exceptions.NotAuthenticated,
    403: exceptions.PermissionDenied,
    404: exceptions.NotFound,
    406: exceptions.NotAcceptable,
    415: exceptions.UnsupportedMediaType,
    429: exceptions.Throttled,
}


def response_error(response: Any) -> exceptions.APIException:
    """The exception a view's answer of an error status stands for: a ``Response`` that a
    viewset's own action method returns rather than raises (``Response(serializer.errors,
    status=400)``, ``Response({"detail": "Gone."}, status=410)``), mapped as the error
    table maps the raised ones. A 400's body is a validation error's (its fields' paths);
    another's ``detail`` is the message, and a status DRF has no exception for gets the
    status's name as its code (``GONE``)."""
    status = response.status_code
    data = response_data(response)
    only_detail = isinstance(data, Mapping) and list(data) == ["detail"]
    if status == 400 and data is not None and not only_detail:
        return exceptions.ValidationError(data)
    detail = data.get("detail") if isinstance(data, Mapping) and "detail" in data else data
    try:
        known_status = HTTPStatus(status)
        code, phrase = known_status.name.lower(), known_status.phrase
    except ValueError:  # a status of the project's own
        code, phrase = exceptions.APIException.default_code, str(status)
    known = _STATUS_EXCEPTIONS.get(status)
    if known is exceptions.Throttled:
        throttled = exceptions.Throttled(detail=detail or None)
        throttled.wait = _retry_after(response)  # the message is the answer's own, as sent
        return throttled
    if known is not None:
        return known(detail=detail or None)
    error = exceptions.APIException(detail=detail or phrase, code=code)
    error.status_code = status
    return error


def response_data(response: Any) -> Any:
    """What a view's answer holds: a DRF ``Response``'s ``data``, or the decoded body of a
    JSON one (Django's ``JsonResponse``, streamed or not, in its charset); None for any
    other body."""
    if hasattr(response, "data"):
        return response.data
    content_type = response.get("Content-Type", "") if hasattr(response, "get") else ""
    if not content_type.split(";")[0].strip().endswith("json"):
        return None
    try:
        streamed = getattr(response, "streaming", False)
        content = b"".join(response.streaming_content) if streamed else response.content
        return json.loads(content.decode(response.charset))
    except (ValueError, AttributeError, LookupError):  # no JSON, or no charset Python knows
        return None


def _retry_after(response: Any) -> int | None:
    """The seconds of a 429's ``Retry-After`` header, as DRF's ``Throttled`` sets it."""
    try:
        return int(response.get("Retry-After"))
    except (TypeError, ValueError, AttributeError):
        return None


#: The error for a value the database refused to store or compare (see ``refused_by_database``).
UNSTORABLE_VALUE = gettext_lazy("A value in the input cannot be stored or looked up.")


#: Constraint violations by kind, as each backend names them: PostgreSQL's SQLSTATE, MySQL's
#: error number (MariaDB's CHECK is 4025), SQLite's extended result code (Python >= 3.11)
#: or message prefix.
#: An exclusion constraint (23P01) is a unique one generalised: a concurrent writer can
#: break it alike.
_SQLSTATES = {"23505": "unique", "23P01": "unique", "23503": "foreign_key", "23502": "not_null",
              "23514": "check"}  # fmt: skip
_MYSQL_ERRORS = {1062: "unique", 1216: "foreign_key", 1217: "foreign_key", 1451: "foreign_key",
                 1452: "foreign_key", 1048: "not_null", 3819: "check", 4025: "check"}  # fmt: skip
_SQLITE_CODES = {2067: "unique", 1555: "unique", 787: "foreign_key", 1299: "not_null",
                 275: "check"}  # fmt: skip
_SQLITE_MESSAGES = {
    "UNIQUE constraint failed": "unique",
    "FOREIGN KEY constraint failed": "foreign_key",
    "NOT NULL constraint failed": "not_null",
    "CHECK constraint failed": "check",
}


def integrity_violation(exc: BaseException) -> str | None:
    """The kind of an ``IntegrityError``: ``"unique"``, ``"foreign_key"``, ``"not_null"``,
    ``"check"``, ``"other"`` (a trigger's, say), or ``None`` for a backend that does not say.
    """
    cause = exc.__cause__
    args = getattr(cause, "args", None) or exc.args
    if args and type(args[0]) is int:  # MySQL's error number: before its SQLSTATE, which
        return _MYSQL_ERRORS.get(args[0], "other")  # PyMySQL sets, 23000 for every kind
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate is not None:  # PostgreSQL: its messages quote values, so trust the code alone
        return _SQLSTATES.get(sqlstate, "other")
    if isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorcode", None)
        if code is not None:
            return _SQLITE_CODES.get(code, "other")
        text = str(cause)
        return next((kind for start, kind in _SQLITE_MESSAGES.items() if text.startswith(start)),
                    "other")  # fmt: skip
    return None


def no_input_explains(exc: BaseException) -> bool:
    """Whether an ``IntegrityError`` is none a concurrent writer could have caused.

    The serializer validated the input: its unique validators saw the value free, its
    related fields saw the rows there. A unique or foreign-key violation is then a lost race
    (another writer took the value, or deleted the row, since), which validating again
    explains. Anything else is a bug in server code, logged and answered as REST answers
    it, a 500: a NOT NULL column given no value (a ``perform_create`` saving ``None``), a
    CHECK constraint the serializer does not validate, a trigger's refusal, or a delete
    Django refused because PROTECT or RESTRICT relations point at the row
    (``ProtectedError``, ``RestrictedError``), unless the project's code turns them into an
    answer of its own (in ``perform_destroy``, say), as it may here. A backend that names
    no kind is taken to have lost a race, as before it could be told.
    """
    if isinstance(exc, ProtectedError | RestrictedError):
        return True
    return integrity_violation(exc) not in (None, "unique", "foreign_key")


def unexplained_conflict(exc: BaseException) -> exceptions.ValidationError:
    """The generic ``VALIDATION_ERROR`` for a lost race that validating again did not explain.

    The constraint is one the serializer does not know (a conditional unique constraint, a
    row deleted by a writer the serializer cannot see): the client learns that its data
    conflicts with stored data, and the log keeps what the database said, since a bug in
    server code (a ``perform_create`` writing a key that names no row) looks the same.
    """
    logger.warning("A database constraint refused a validated write", exc_info=exc)
    message = crud_settings.INTEGRITY_ERROR_MESSAGE
    item = getattr(exc, _REFUSED_ITEM, None)
    if item is None:
        return exceptions.ValidationError(message, code="integrity_error")
    # One item of a bulk create: the client learns which (two items of the input taking
    # one unique value look like this, which validating against stored rows never sees).
    count, index = item
    details: list[Any] = [{} for _ in range(count)]
    details[index] = [exceptions.ErrorDetail(str(message), code="integrity_error")]
    return exceptions.ValidationError(details)


def note_refused_item(exc: BaseException, count: int, index: int) -> None:
    """Note on an ``IntegrityError`` that saving item ``index`` of ``count`` (a bulk
    create's) raised it, for ``unexplained_conflict`` to name the item."""
    setattr(exc, _REFUSED_ITEM, (count, index))


#: Where ``note_refused_item`` notes the item whose save the database refused.
_REFUSED_ITEM = "_drf_graphql_crud_refused_item"


#: What reading the client's input may raise past a DRF field, where DRF's fields raise a
#: ``ValidationError``: a naive ``DateTimeField`` value out of range once made aware (an
#: ``OverflowError``), and a ``ModelField`` whose model field's ``to_python()`` cannot read
#: the value (``django.contrib.postgres``'s range fields: a ``JSONDecodeError`` for text
#: that is no JSON, an ``IndexError`` for a list of one, a ``TypeError`` for ``"null"``).
UNREADABLE_INPUT = (OverflowError, ValueError, TypeError, LookupError, AttributeError)


def unreadable_input(exc: BaseException) -> tuple[drf_fields.Field, Any] | None:
    """The DRF field whose reading of the input raised ``exc`` (REST's 500), and the error
    the client gets for it instead: the ``DateTimeField``'s own ``overflow`` error, or a
    ``ModelField``'s ``invalid`` in DRF's words ("Invalid input."). None for anything else,
    an exception raised while a value was rendered included: that is the server's."""
    if isinstance(exc, OverflowError):
        field: drf_fields.Field | None = overflowing_date_time(exc)
        if field is not None:
            return field, exceptions.ErrorDetail(
                str(field.error_messages["overflow"]), code="overflow"
            )
    if isinstance(exc, UNREADABLE_INPUT):
        field = _reading_field(_frames(exc), drf_fields.ModelField)
        if field is not None:
            return field, _unreadable_detail(field)
    return None


def _unreadable_detail(field: drf_fields.Field) -> exceptions.ErrorDetail:
    """A ``ModelField``'s ``invalid``: its own message where given (``extra_kwargs``),
    else DRF's "Invalid input."."""
    message = field.error_messages.get("invalid", exceptions.ValidationError.default_detail)
    return exceptions.ErrorDetail(str(message), code="invalid")


def _note_unreadable(field: drf_fields.Field, exc: BaseException) -> None:
    """Log what a model field's ``to_python()`` raised: the client's value it cannot read
    (text that is no JSON for a range), or a bug of its own, which the log tells apart."""
    logger.warning(
        "%s could not read the value given for %r",
        type(field).__name__,
        _input_path(field),
        exc_info=exc,
    )


def _input_path(field: drf_fields.Field) -> str:
    """Where ``field`` is in the serializer's input, by field names; ``*`` for an item of
    a list or dict (``legs.*.span``)."""
    names = []
    while field.parent is not None:
        names.append(field.field_name or "*")
        field = field.parent
    return ".".join(reversed(names))


def unreadable_input_error(exc: BaseException) -> exceptions.ValidationError | None:
    """``exc``, raised reading a field's input (``unreadable_input``), as the field's error
    at its place in the input; else None.

    DRF's ``DateTimeField`` makes a naive value aware in the current time zone and then
    checks it through UTC, outside its own ``try``: a value within a day of year 1 or
    9999 east or west of UTC escapes as an ``OverflowError``, where the same value with an
    offset is the field's "Datetime value out of range." A ``ModelField`` (DRF's field for
    a model field it has no field for) hands the value to the model field's
    ``to_python()``, which may raise anything. The field is the innermost frame's
    ``self``; an item's index is read off its list's loop (``index``, ``idx``, ``key``, or
    the errors so far, as DRF's versions keep them). Where a place cannot be told, the
    error is the input's, without a field.

    This is the answer where the library cannot validate again, a viewset's own action
    having called ``is_valid()``: the input's other errors are not among it. Where it
    validates itself, ``nested`` validates again with the field guarded, for them all.
    """
    found = unreadable_input(exc)
    if found is None:
        return None
    field, error = found
    if isinstance(field, drf_fields.ModelField):
        _note_unreadable(field, exc)
    frames = _frames(exc)
    detail: Any = [error]
    node = field
    while node.parent is not None:
        parent = node.parent
        if getattr(parent, "child", None) is node:  # an item of a list or dict field
            place = _loop_place(frames, parent)
            if place is None:
                return exceptions.ValidationError([error])
            detail = {place: detail}
        else:
            detail = {node.field_name: detail}
        node = parent
    return exceptions.ValidationError(detail)


def overflowing_date_time(exc: BaseException) -> drf_fields.DateTimeField | None:
    """The ``DateTimeField`` an ``OverflowError`` escaped while it converted input (not
    while it rendered a value: that is the server's), else None."""
    if not isinstance(exc, OverflowError):
        return None
    return _reading_field(_frames(exc), drf_fields.DateTimeField)


def _reading_field(frames: list[Any], kind: type) -> Any:
    """The innermost field of ``kind`` in ``frames`` (a traceback's), if the exception
    passed through its ``to_internal_value``."""
    field = next(
        (own for frame in reversed(frames) if isinstance(own := frame.f_locals.get("self"), kind)),
        None,
    )
    if field is None or not any(
        frame.f_locals.get("self") is field and frame.f_code.co_name == "to_internal_value"
        for frame in frames
    ):
        return None
    return field


def guard_input(field: drf_fields.Field) -> None:
    """Make this ``field`` instance fail with the error ``unreadable_input`` gives where
    reading its input raised, so that validating collects every other error too.

    A guarded ``ModelField`` over a range column (``django.contrib.postgres``) also refuses
    what ``to_python()`` keeps as it is, an object or a number, which the column cannot take
    (psycopg cannot adapt an object; PostgreSQL casts no number to a range: REST's 500 at
    the save), and reads the bounds of a list as ``to_python()`` reads those of its JSON
    text, with the base field's ``to_python()`` (a date's text is a date, or the base
    field's error): kept as text, they were stored and failed the answer.
    """
    read = field.to_internal_value
    if isinstance(field, drf_fields.DateTimeField):
        # Reading the input only: the answer's rendering makes values aware too, and an
        # overflow there is the server's (a stored value), not the client's.
        def read_date_time(data: Any) -> Any:
            try:
                return read(data)
            except OverflowError:
                field.fail("overflow")

        field.to_internal_value = read_date_time  # type: ignore[method-assign]
        return
    model_field = getattr(field, "model_field", None)
    range_type = getattr(model_field, "range_type", None)

    def to_internal_value(data: Any) -> Any:
        try:
            value = read(data)
            if range_type is not None and value is not None:
                if not isinstance(value, range_type):
                    raise exceptions.ValidationError([_unreadable_detail(field)])
                if isinstance(data, list | tuple):
                    value = _read_bounds(model_field, value)
        except DjangoValidationError as exc:  # a bound the base field refuses, in its words
            raise exceptions.ValidationError(drf_fields.get_error_detail(exc)) from None
        except UNREADABLE_INPUT as exc:
            _note_unreadable(field, exc)
            raise exceptions.ValidationError([_unreadable_detail(field)]) from None
        return value

    field.to_internal_value = to_internal_value  # type: ignore[method-assign]


def _read_bounds(model_field: Any, value: Any) -> Any:
    """A range made of a list's two bounds as given, with each read by the base field."""
    read = model_field.base_field.to_python
    lower = None if value.lower is None else read(value.lower)
    upper = None if value.upper is None else read(value.upper)
    return model_field.range_type(lower, upper)


def _frames(exc: BaseException) -> list[Any]:
    frames = []
    trace = exc.__traceback__
    while trace is not None:
        frames.append(trace.tb_frame)
        trace = trace.tb_next
    return frames


def _loop_place(frames: list[Any], container: Any) -> Segment | None:
    """The index (or key) of the item ``container`` was validating when it failed."""
    for frame in reversed(frames):
        own = frame.f_locals
        if own.get("self") is not container:
            continue
        for name in ("index", "idx", "key"):
            if isinstance(own.get(name), int | str):
                return own[name]
        if isinstance(own.get("errors"), list):
            return len(own["errors"])
    return None


def _type_refused(cause: BaseException | None) -> bool:
    """Whether a driver's error refuses a parameter that is a ``dict`` or a ``list``, the
    containers a client's JSON holds, for its Python type: no adapter turns it into SQL
    (psycopg's "cannot adapt type 'dict'", psycopg2's "can't adapt type 'dict'", sqlite3's
    "Error binding parameter 1: type 'dict' is not supported"). Before Python 3.11 sqlite3
    names no type ("probably unsupported type"): the server's, as any other."""
    if cause is None or getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None):
        return False  # the server's own answer (a syntax error, a missing table)
    text = str(cause)
    refused = text.startswith(("cannot adapt type", "can't adapt type")) or (
        isinstance(cause, sqlite3.ProgrammingError) and text.startswith("Error binding parameter")
    )
    return refused and ("type 'dict'" in text or "type 'list'" in text)


def refused_by_database(exc: BaseException) -> bool:
    """Whether the database (or its driver) refused a value the client sent.

    PostgreSQL answers a NUL byte in text, an integer past the column's range or an
    over-long string with ``DataError``; SQLite's driver, under Django < 5.0, raises
    ``OverflowError`` for an integer past 64 bits. Both come from input the serializer let
    through (REST would answer 500): a ``VALIDATION_ERROR``, not a server bug. An
    ``OverflowError`` counts only when it was raised inside Django's database layer, so
    arithmetic gone wrong in server code stays an internal error. A driver's
    ``ProgrammingError`` counts where it cannot bind an object or a list, as the input holds
    them (``_type_refused``): a model field DRF has no field for keeps what its
    ``to_python()`` does not read. One refusing a parameter of any other type (an
    ``AnonymousUser`` in a server's query) stays the server's bug.
    """
    if isinstance(exc, DataError):
        return True
    if isinstance(exc, ProgrammingError):
        return _type_refused(exc.__cause__)
    if not isinstance(exc, OverflowError):
        return False
    frame = exc.__traceback__
    while frame is not None:
        if frame.tb_frame.f_globals.get("__name__", "").startswith("django.db."):
            return True
        frame = frame.tb_next
    return False


#: The kinds of failure the error table names, by DRF's class and its code: a subclass,
#: or one raised with a code of its own (simplejwt's ``InvalidToken``, ``token_not_valid``),
#: is still that kind, unless the project maps its own code in ``ERROR_CODES``.
_KINDS = (
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "authentication_failed"),
    (exceptions.NotFound, "not_found"),
    (exceptions.Throttled, "throttled"),
)


def error_code(exc: exceptions.APIException) -> str:
    """``VALIDATION_ERROR``, ``NOT_FOUND``, ... or the exception's own code, upper case.

    ``VALIDATION_ERROR`` (``ERROR_CODES["invalid"]``) is a ``ValidationError``'s alone.

    A permission class's ``code`` travels in ``exc.detail.code`` (as DRF's
    ``permission_denied`` puts it there) and wins over the class default, as does any
    other ``APIException``'s. Bad credentials, a missed lookup and a throttle keep their
    kind's code (``NOT_AUTHENTICATED``...), which clients act on, whatever code they were
    raised with, unless ``ERROR_CODES`` maps that code itself.
    """
    detail_code = getattr(exc.detail, "code", None)
    if detail_code is None and isinstance(exc.detail, list | dict):
        # A message given as a list or dict: each of its texts carries the code.
        codes = set(_leaf_codes(exc.get_codes()))
        detail_code = codes.pop() if len(codes) == 1 else None
    raw = detail_code if isinstance(detail_code, str) else exc.default_code
    if isinstance(exc, exceptions.ValidationError):
        raw = "invalid"
    for kind, code in _KINDS:
        if isinstance(exc, kind):
            own_codes = crud_settings.user_settings.get("ERROR_CODES") or {}
            if own_codes.get(raw) is None:  # None, as an absent key: the default
                raw = code
            break
    if raw == "invalid" and not isinstance(exc, exceptions.ValidationError):
        # ValidationError's code names its kind, whose answer lists field errors and whose
        # message is "Invalid input.": another exception raised with that code (a 409
        # Conflict coded "invalid") keeps its own status and words, as under REST.
        return "INVALID"
    return crud_settings.ERROR_CODES.get(raw) or str(raw).upper()


def flatten_validation_errors(
    detail: Any,
    input_type: GraphQLInputType | None = None,
    input_value: Any = None,
    camel: bool = True,
) -> list[FieldError]:
    """Every error in a DRF error structure, with client-side dotted paths.

    ``input_type`` is the GraphQL type of the input argument; it maps serializer field
    names back to the names the client wrote (graphene camelCases them). ``input_value``
    is the argument's value, as the client sent it, and ``camel`` whether the schema
    camelCases names (see ``client_path``).
    """
    return [
        {
            "field": client_path(path, input_type, input_value, camel),
            "message": str(error),
            "code": _code(error),
        }
        for path, error in _walk(detail, ())
    ]


def _code(error: Any) -> str:
    return getattr(error, "code", None) or "invalid"


class _NonFieldKey(str):
    """DRF's non-field key, or Django's ("__all__") when a model's clean() raised: the
    errors of the object (or list) at its level, unless a dict value the client sent has
    a key of that text (``client_path`` tells the two apart)."""


def _walk(detail: Any, path: tuple[Segment, ...]) -> Iterator[tuple[tuple[Segment, ...], Any]]:
    if isinstance(detail, Mapping):
        non_field_keys = (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS)
        for key, value in detail.items():
            if key in non_field_keys:
                key = _NonFieldKey(key)
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


def client_path(
    path: tuple[Segment, ...],
    input_type: GraphQLInputType | None,
    input_value: Any = None,
    camel: bool = True,
) -> str | None:
    """``path`` (serializer field names, indexes, keys) as the client wrote it: GraphQL's
    names, indexes as numbers, the keys of a JSON or dict value as sent. ``input_value``,
    the input as the client sent it, tells a dict key of a non-field key's text (the
    client's) from a serializer's non-field errors under a value (dropped). A name the
    types do not hold (a read-only field's error) is camelCased where ``camel``, as
    graphene names fields unless a schema is built with ``auto_camelcase=False``."""
    if not path:
        return None
    parts: list[str] = []
    current: Any = input_type
    value = input_value  # the client's value at this point, where known
    inside_value = False  # in a JSON (or other scalar) value: keys are the client's own
    for segment in path:
        current = get_nullable_type(current) if current is not None else None
        if isinstance(segment, _NonFieldKey) and not (
            (inside_value or _is_value_type(current)) and _holds_key(value, str(segment))
        ):
            # The non-field errors of the object or list at this level: at its own path.
            continue
        if (
            not inside_value
            and isinstance(current, GraphQLList)
            and not (isinstance(segment, int) or str(segment).isdigit())
        ):
            # A name where the list's items are (an error the list, or a hook saving it,
            # raised about a field of its items): named as in the items.
            current = get_nullable_type(current.of_type)
            value = _EachItem(value) if isinstance(value, list | tuple) else None
        if inside_value:
            parts.append(str(segment))
            value = _part_of(value, segment)
        elif isinstance(current, GraphQLList):
            parts.append(str(segment))
            current = current.of_type
            value = _part_of(value, segment)
        elif isinstance(current, GraphQLInputObjectType):
            names = _client_names(current)
            name = names.get(str(segment))
            parts.append(name if name is not None else _unknown_name(segment, camel))
            field = current.fields.get(name) if name is not None else None
            value = _part_of(value, field.out_name or name) if field is not None else None
            current = field.type if field is not None else None
        elif isinstance(segment, int) or current is not None:
            # An index, or a key inside a value (a JSON value's, or one a field's own
            # validation raised below it): the text REST's error has, the client's own.
            parts.append(str(segment))
            inside_value = current is not None
            current = None
            value = _part_of(value, segment)
        else:
            parts.append(_unknown_name(segment, camel))
            value = None
    return ".".join(parts) or None


def _unknown_name(segment: Segment, camel: bool) -> str:
    return to_camel_case(str(segment)) if camel else str(segment)


@lru_cache(maxsize=64)
def camel_cases(schema: GraphQLSchema) -> bool:
    """Whether ``schema`` writes Python names in camelCase (graphene's ``auto_camelcase``,
    its default): told by the first graphene field of a name with an underscore that was
    not given a name of its own. Where there is none, camelCase, graphene's default."""
    for graphql_type in schema.type_map.values():
        fields = getattr(
            getattr(getattr(graphql_type, "graphene_type", None), "_meta", None), "fields", None
        )
        if not isinstance(fields, Mapping) or not hasattr(graphql_type, "fields"):
            continue
        for python_name, field in fields.items():
            camel_name = to_camel_case(python_name)
            if camel_name == python_name or getattr(field, "name", None):
                continue
            if camel_name in graphql_type.fields:
                return True
            if python_name in graphql_type.fields:
                return False
    return True


def _is_value_type(graphql_type: Any) -> bool:
    """A scalar (JSON, a dict field's) or enum: what the client sent is its own data."""
    return graphql_type is not None and not isinstance(
        graphql_type, GraphQLInputObjectType | GraphQLList
    )


class _EachItem(list):
    """The client's values in every item of a list, where a path names a field of its items
    (an error about them all, with no index)."""


def _holds_key(value: Any, key: str) -> bool:
    """Whether the client's ``value`` is a dict holding ``key`` (any item's, for items)."""
    if isinstance(value, _EachItem):
        return any(_holds_key(item, key) for item in value)
    return isinstance(value, Mapping) and key in value


def _part_of(value: Any, segment: Segment | None) -> Any:
    """The client's value at key or index ``segment`` of ``value``; None where it has none."""
    if isinstance(value, _EachItem):
        return _EachItem(_part_of(item, segment) for item in value)
    if isinstance(value, Mapping):
        return value.get(str(segment))
    if isinstance(value, list | tuple) and str(segment).isdigit():
        index = int(segment)  # type: ignore[arg-type]
        return value[index] if index < len(value) else None
    return None


@lru_cache(maxsize=1024)
def _client_names(input_type: GraphQLInputObjectType) -> dict[str, str]:
    """Serializer field name (the field's ``out_name``) -> GraphQL name, per input type; and
    the model field a renamed field writes (``due = DateField(source="due_date")``) -> the
    GraphQL name of that field: a Django ``ValidationError`` from ``full_clean()`` or
    ``save()`` names model fields, and the client wrote ``due``."""
    names = {(field.out_name or name): name for name, field in input_type.fields.items()}
    for source, name in _sources(input_type).items():
        if name in names:  # a field the type holds (a HiddenField, say, it does not)
            names.setdefault(source, names[name])
    return names


def _sources(input_type: GraphQLInputObjectType) -> dict[str, str]:
    """A serializer input type's renamed fields: plain ``source`` -> serializer field name."""
    meta = getattr(getattr(input_type, "graphene_type", None), "_meta", None)
    serializer_class = getattr(meta, "serializer_class", None)
    if serializer_class is None:
        return {}
    from .types import instantiate  # types builds on this module

    try:
        fields = instantiate(serializer_class).fields
    except Exception:  # noqa: BLE001 - the paths stay as they were; the types built already
        return {}
    return {
        field.source: name
        for name, field in fields.items()
        if not field.read_only and field.source not in (name, "*") and "." not in field.source
    }


def arguments_type(info: Any) -> GraphQLInputObjectType | None:
    """A resolved field's arguments as one input type, each argument a field of it (its
    GraphQL name, its Python name as ``out_name``): the paths of a read's errors, keyed by
    argument (``filter.<parameter>``, ``order_by.0``), are written in the schema's names,
    as an input's are (``filter.dueDate_Lt`` and ``orderBy.0``, or under graphene's
    ``auto_camelcase=False`` ``filter.due_date__lt`` and ``order_by.0``)."""
    parent_type = getattr(info, "parent_type", None)
    field_name = getattr(info, "field_name", None)
    if not isinstance(parent_type, GraphQLObjectType) or field_name not in parent_type.fields:
        return None
    return _arguments_type(parent_type, field_name)


@lru_cache(maxsize=1024)
def _arguments_type(parent_type: GraphQLObjectType, field_name: str) -> GraphQLInputObjectType:
    arguments = parent_type.fields[field_name].args
    return GraphQLInputObjectType(
        f"{parent_type.name}_{field_name}_Arguments",
        {
            name: GraphQLInputField(argument.type, out_name=argument.out_name)
            for name, argument in arguments.items()
        },
    )


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


def resolver_error(
    exc: BaseException, info: Any, arguments: dict[str, Any], input_argument: str | None = None
) -> GraphQLError:
    """The GraphQL error for ``exc``, raised by a library field resolved with ``info`` and
    ``arguments``: its paths name the input argument's fields (``input_argument``, a
    mutation's), else the field's arguments (a read's filters, ordering), in the case of
    the schema it runs in."""
    if input_argument is not None:
        input_type, value = input_type_of(info, input_argument), arguments.get(input_argument)
    else:
        input_type, value = arguments_type(info), arguments
    return to_graphql_error(exc, input_type, info.context, value, info.schema)


def to_graphql_error(
    exc: BaseException,
    input_type: GraphQLInputType | None = None,
    request: Any = None,
    input_value: Any = None,
    schema: GraphQLSchema | None = None,
) -> GraphQLError:
    """The GraphQL error for ``exc``, as the design's error table says. ``request``, the
    operation's, goes on the log record of an error that is logged; ``input_type`` and
    ``input_value`` are the input argument's type and value, for the errors' paths, which
    name what ``input_type`` does not hold as ``schema`` names fields (camelCase, unless
    it was built with ``auto_camelcase=False``)."""
    if isinstance(exc, GraphQLError):
        return exc
    api_exc = as_api_exception(exc, request)
    if api_exc is None:
        return internal_error(exc, request)
    code = error_code(api_exc)
    extensions: dict[str, Any] = {"code": code, "status": api_exc.status_code}
    if isinstance(api_exc, exceptions.ValidationError):
        message = crud_settings.ERROR_MESSAGES.get(code) or api_exc.default_detail
        camel = schema is None or camel_cases(schema)
        extensions["errors"] = flatten_validation_errors(
            api_exc.detail, input_type, input_value, camel
        )
    else:
        message = crud_settings.ERROR_MESSAGES.get(code) or detail_text(api_exc.detail)
        if isinstance(api_exc.detail, list | dict):
            # Several messages, or named ones (a permission's message may be a dict): the
            # whole of what REST's body holds, not only the first message.
            extensions["detail"] = plain_detail(api_exc.detail)
        if api_exc.status_code >= 500:
            log_server_error(api_exc, request, api_exc.status_code)
    wait = getattr(api_exc, "wait", None)
    if wait:
        extensions["retryAfter"] = int(wait + 0.999)
    return GraphQLError(str(message), extensions=extensions, original_error=None)


def detail_text(detail: Any) -> str:
    """The first message of a DRF ``detail`` (a text, or a list or dict of them)."""
    if isinstance(detail, list | tuple) and detail:
        return str(detail[0])
    if isinstance(detail, Mapping) and detail:
        return detail_text(next(iter(detail.values())))
    return str(detail)


def _leaf_codes(codes: Any) -> Iterator[Any]:
    if isinstance(codes, Mapping):
        codes = list(codes.values())
    if isinstance(codes, list | tuple):
        for code in codes:
            yield from _leaf_codes(code)
    else:
        yield codes


def plain_detail(detail: Any) -> Any:
    """A DRF ``detail`` as REST's JSON body holds it: texts, lists and dicts."""
    if isinstance(detail, Mapping):
        return {str(key): plain_detail(value) for key, value in detail.items()}
    if isinstance(detail, list | tuple):
        return [plain_detail(item) for item in detail]
    return str(detail)


def internal_error(exc: BaseException, request: Any = None, log: bool = True) -> GraphQLError:
    """A server bug: logged in full (with ``request``, the operation's; unless ``log`` is
    off, for one logged already), reported to the client without any detail (under
    ``DEBUG``, its type and message)."""
    if log:
        log_server_error(exc, request)
    code = crud_settings.ERROR_CODES["internal_error"]
    extensions: dict[str, Any] = {"code": code, "status": 500}
    if settings.DEBUG:
        extensions["exception"] = {"type": type(exc).__name__, "message": str(exc)}
    message = crud_settings.ERROR_MESSAGES.get(code) or exceptions.APIException.default_detail
    return GraphQLError(str(message), extensions=extensions)


class Serving:
    """What ``DRFGraphQLView`` keeps for the length of one answer (one ``dispatch``, which
    sets and resets it in ``serving``): the request, for the log records of server errors
    mapped where no request is at hand (``format_error``, a static hook); the schema it
    executes, whose case the paths of a project resolver's errors take; whether a server
    error was logged (Django then does not log the 5xx answer again, without its
    traceback); what was logged once already; and the last operation's errors as raised
    (the status of graphene-django's answer is read from them)."""

    __slots__ = ("request", "schema", "logged", "seen", "raised")

    def __init__(self, request: HttpRequest, schema: GraphQLSchema | None = None) -> None:
        self.request = request
        self.schema = schema
        self.logged = False
        self.seen: set[Any] = set()
        #: The errors of the operation last executed, as raised (its answer's status).
        self.raised: tuple[Any, ...] = ()


serving: ContextVar[Serving | None] = ContextVar("drf_graphql_crud_serving", default=None)


def serving_schema() -> GraphQLSchema | None:
    """The schema ``DRFGraphQLView`` is executing, None outside its answer."""
    current = serving.get()
    return None if current is None else current.schema


def first_in_answer(key: Any) -> bool:
    """Whether ``key`` is met for the first time in the answer ``DRFGraphQLView`` is writing
    (always, outside one): one failure met on every row is logged once."""
    current = serving.get()
    if current is None:
        return True
    if key in current.seen:
        return False
    current.seen.add(key)
    return True


def log_server_error(exc: BaseException, request: Any = None, status: int = 500) -> None:
    """Log ``exc`` as Django logs the 5xx answer of a REST call: an ERROR of ``django.request``
    with the path, ``status_code`` and ``request``, plus the traceback (``exc_info``)."""
    current = serving.get()
    if current is not None:
        current.logged = True
        if request is None:
            request = current.request
    http_request = getattr(request, "_request", request)
    reason = responses.get(status, "Server Error")
    where = http_request.path if isinstance(http_request, HttpRequest) else "?"
    server_errors.error(
        "%s: %s (GraphQL)",
        reason,
        where,
        exc_info=exc,
        extra={"status_code": status, **_logged_request(request)},
    )


def _logged_request(request: Any) -> dict[str, Any]:
    """``request`` as Django's own log records carry it (``record.request``, an
    ``HttpRequest``, which ``AdminEmailHandler`` reports): a DRF ``Request``'s own."""
    http_request = getattr(request, "_request", request)
    return {"request": http_request} if isinstance(http_request, HttpRequest) else {}
