"""
``DRFGraphQLView``: the GraphQL endpoint, authenticated, throttled and CSRF-checked by DRF.

A project that serves REST with DRF has already decided how clients authenticate (token,
session, JWT...) and how often they may call. This view applies those same decisions to
``/graphql/``: it authenticates with the view's ``authentication_classes`` (DRF's
``DEFAULT_AUTHENTICATION_CLASSES`` unless set), enforces CSRF exactly when DRF's
``SessionAuthentication`` does (a session-authenticated request without a CSRF token is
refused, a token client needs nothing), applies ``throttle_classes``, and hands the
authenticated DRF ``Request`` to resolvers as ``info.context``: mutations and permission
classes see that request, with no second authentication pass.

It also caches parsed and validated documents (a repeated operation skips
``parse`` and ``validate``), refuses oversized documents before doing any work with them
(``MAX_QUERY_LENGTH``, ``MAX_QUERY_TOKENS``), can cap query depth (``MAX_QUERY_DEPTH``) and
turn introspection off (``INTROSPECTION``), accepts multipart uploads per the GraphQL
multipart request spec, and answers a malformed body with a clean 400 GraphQL error.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import json
import math
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from io import BytesIO
from types import SimpleNamespace
from typing import Any

import graphene
from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    ImproperlyConfigured,
    RequestDataTooBig,
    TooManyFieldsSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import (
    InMemoryUploadedFile,
    TemporaryUploadedFile,
    UploadedFile,
)
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
    QueryDict,
)
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from graphene_django import settings as graphene_django_settings
from graphene_django.constants import MUTATION_ERRORS_FLAG
from graphene_django.utils.utils import set_rollback
from graphene_django.views import GraphQLView, HttpError
from graphene_file_upload.utils import place_files_in_operations
from graphql import (
    DocumentNode,
    ExecutionContext,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    OperationType,
    TokenKind,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
    validate_schema,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.utils.json import strict_constant

from . import execution as execution_module
from .errors import (
    Serving,
    as_api_exception,
    detail_text,
    error_code,
    first_in_answer,
    internal_error,
    log_server_error,
    plain_detail,
    serving,
    serving_schema,
    to_graphql_error,
)
from .execution import SerializedExecutionContext, execute_document
from .permissions import (
    COUNTED_THROTTLES,
    USER_BEFORE_DRF,
    counted_now,
    dataless_request,
    throttle_key,
)
from .queries import atomic_request_aliases, savepoints_under_atomic_requests
from .settings import crud_settings
from .validation import alias_errors, depth_errors, field_errors
from .variable_errors import without_quoted_values

__all__ = ["DRFGraphQLView", "DocumentCache"]

try:  # Django >= 4.2.8 (and the security releases of earlier series)
    from django.core.exceptions import TooManyFilesSent
except ImportError:  # pragma: no cover
    TooManyFilesSent = TooManyFieldsSent  # type: ignore[assignment,misc]

#: What Django raises reading a body it will not take (too big, too many fields or files,
#: a multipart body without its boundary): a 400 as other bad bodies, not Django's HTML 400.
#: Django's ``BadRequest``: a form body in a charset other than UTF-8 (Django 5.0+).
_UNREADABLE_BODY = (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    MultiPartParserError,
    BadRequest,
)

#: Later graphql-core 3.2 releases can leave "Did you mean ...?" out of validation errors.
_VALIDATE_HIDES_SUGGESTIONS = "hide_suggestions" in inspect.signature(validate).parameters
#: ... and out of the errors of variables ("Did you mean the enum value 'RED'?").
_EXECUTE_HIDES_SUGGESTIONS = "hide_suggestions" in inspect.signature(execute).parameters


def _builds_without_suggestions(context_class: type) -> bool:
    """Whether execute() may pass ``hide_suggestions`` to this context's ``build``: one a
    project overrode with an earlier fixed signature would refuse it."""
    if not _EXECUTE_HIDES_SUGGESTIONS:
        return False
    takes = _takes_hide_suggestions.get(context_class)
    if takes is None:
        parameters = inspect.signature(context_class.build).parameters.values()
        takes = _takes_hide_suggestions[context_class] = any(
            parameter.name == "hide_suggestions" or parameter.kind is parameter.VAR_KEYWORD
            for parameter in parameters
        )
    return takes


#: By execution context class, weakly: a class made per view goes with it.
_takes_hide_suggestions: weakref.WeakKeyDictionary[type, bool] = weakref.WeakKeyDictionary()


def _max_validation_errors() -> int | None:
    """graphene-django's ``GRAPHENE["MAX_VALIDATION_ERRORS"]`` (3.2+), as its view applies it."""
    return getattr(graphene_django_settings.graphene_settings, "MAX_VALIDATION_ERRORS", None)


class DocumentCache:
    """A bounded LRU of parsed and validated documents, keyed by schema, rules and text.

    Parsing and validating a document costs as much as executing a small mutation; clients
    send the same few operations over and over. Validation depends only on the schema,
    the rules and the text, so its result can be reused as long as all three are the same.

    Bounded in entries (``DOCUMENT_CACHE_SIZE``) and in the characters of the documents it
    holds (``max_characters``, a token counting as 5 at least: ``document_weight``): a
    parsed document takes about 120 bytes per character, so a client sending large
    distinct documents must not fill the process's memory.
    """

    def __init__(self, maxsize: int | None = None, max_characters: int = 1_000_000) -> None:
        self._maxsize = maxsize
        self.max_characters = max_characters
        self._entries: OrderedDict[Any, tuple[tuple[DocumentNode, list[GraphQLError]], int]] = (
            OrderedDict()
        )
        self._characters = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Any) -> tuple[DocumentNode | None, list[GraphQLError]] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found[0]

    @property
    def maxsize(self) -> int:
        """Fixed when given, else ``DOCUMENT_CACHE_SIZE`` as the settings say now."""
        return crud_settings.DOCUMENT_CACHE_SIZE if self._maxsize is None else self._maxsize

    def put(
        self,
        key: Any,
        entry: tuple[DocumentNode | None, list[GraphQLError]],
        characters: int = 0,
    ) -> None:
        """Keep ``entry``, a document of ``characters`` characters, evicting the least
        recently used entries beyond either bound."""
        if self.maxsize <= 0 or characters > self.max_characters:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._characters -= previous[1]
            self._entries[key] = (entry, characters)
            self._characters += characters
            while len(self._entries) > self.maxsize or self._characters > self.max_characters:
                self._characters -= self._entries.popitem(last=False)[1][1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._characters = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


class DRFGraphQLView(GraphQLView):
    """graphene-django's ``GraphQLView``, behind DRF's authentication and throttling.

    ``authentication_classes`` and ``throttle_classes`` default to DRF's settings and can be
    set per view, like on an ``APIView``::

        path("graphql/", DRFGraphQLView.as_view(graphiql=True,
                                                 authentication_classes=[TokenAuthentication]))
    """

    authentication_classes: Sequence[type] | None = None
    throttle_classes: Sequence[type] | None = None
    #: The scope ``ScopedRateThrottle`` reads, as on an APIView.
    throttle_scope: str | None = None
    #: Shared by every instance; bounded by ``DOCUMENT_CACHE_SIZE``.
    document_cache = DocumentCache()
    #: Completes serializer output (dicts of plain values) without per-leaf resolver
    #: bookkeeping; same response. ``execution_context_class=...`` replaces it.
    execution_context_class = SerializedExecutionContext

    drf_request: Request

    def __init__(
        self,
        *,
        authentication_classes: Sequence[type] | None = None,
        throttle_classes: Sequence[type] | None = None,
        throttle_scope: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if authentication_classes is not None:
            self.authentication_classes = authentication_classes
        if throttle_classes is not None:
            self.throttle_classes = throttle_classes
        if throttle_scope is not None:
            self.throttle_scope = throttle_scope

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., HttpResponseBase]:
        """The view, refused when the URLconf loads if it has no schema it could serve, or
        asks for GraphiQL and batches at once: graphene-django would find out on every
        request (a 500)."""
        if initkwargs.get("graphiql") and initkwargs.get("batch"):
            raise ImproperlyConfigured(
                f"{cls.__name__}.as_view(): graphiql and batch cannot go together "
                "(graphene-django's rule); serve a batch endpoint apart from GraphiQL's."
            )
        schema = initkwargs.get("schema") or cls.schema
        if schema is not None and not isinstance(schema, graphene.Schema):
            raise ImproperlyConfigured(
                f"{cls.__name__}.as_view(schema=...) takes a graphene.Schema, not {schema!r}: "
                "import the schema object (GRAPHENE['SCHEMA'] is what takes a dotted path)."
            )
        if (
            schema is None
            and cls.__init__ is DRFGraphQLView.__init__  # an override may give one
            and not (getattr(settings, "GRAPHENE", None) or {}).get("SCHEMA")
        ):
            raise ImproperlyConfigured(
                f"{cls.__name__}.as_view() has no schema: give schema=..., or name one in "
                "GRAPHENE['SCHEMA']."
            )
        if isinstance(schema, graphene.Schema):
            from .checks import payload_collisions_in  # checks reads this module

            for problem in payload_collisions_in(schema):
                # Served, one mutation would answer with another's payload fields (null
                # where a write committed): check E003's finding, before any request.
                raise ImproperlyConfigured(
                    f"{cls.__name__}.as_view(): {problem.msg} {problem.hint}"
                )
        # As DRF's APIView: CSRF is enforced by SessionAuthentication, for session users
        # only, so token clients never need a CSRF token and users never wrap this view.
        return csrf_exempt(super().as_view(**initkwargs))

    # ------------------------------------------------------------------ DRF policies

    def get_authenticators(self) -> list[Any]:
        classes = self.authentication_classes
        if classes is None:
            classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES
        return [auth() for auth in classes]

    def get_throttles(self) -> list[Any]:
        classes = self.throttle_classes
        if classes is None:
            classes = api_settings.DEFAULT_THROTTLE_CLASSES
        return [throttle() for throttle in classes]

    def initialize_request(self, request: HttpRequest) -> Request:
        """The DRF request resolvers see; it carries no data (the document is not payload).

        The HttpRequest's ``user`` as Django's middleware set it is kept aside first: DRF
        replaces it with the user it authenticates, and a viewset authenticating by session
        must see the session's user, not the endpoint's token user (``reauthenticated``).
        """
        request.__dict__[USER_BEFORE_DRF] = request.__dict__.get("user")
        return dataless_request(request, self.get_authenticators())

    def check_throttles(self, request: Request) -> None:
        counted = set()
        durations = []
        for throttle in self.get_throttles():
            if not throttle.allow_request(request, self):
                durations.append(throttle.wait())
            elif counted_now(throttle) and (key := throttle_key(throttle, request, self)):
                counted.add(key)
        # A ViewSetCrud viewset's identical throttle does not count this request again.
        request._request.__dict__[COUNTED_THROTTLES] = counted
        if durations:
            waits = [duration for duration in durations if duration is not None]
            raise exceptions.Throttled(wait=max(waits) if waits else None)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        state = Serving(request, self.schema.graphql_schema)  # for format_error's mapping
        token = serving.set(state)
        try:
            response = self._dispatch(request, *args, **kwargs)
        finally:
            serving.reset(token)
        if response.status_code >= 500 and state.logged:
            # Logged with its traceback already: Django's own line (log_response) would
            # count the failure twice (two mails to ADMINS), without it.
            response._has_been_logged = True  # type: ignore[attr-defined]
        if self.graphiql:
            # The page or JSON, as the Accept header asks: a cache keeps them apart, as it
            # keeps REST's browsable API apart.
            patch_vary_headers(response, ("Accept",))
        return response

    def _dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.drf_request = self.initialize_request(request)
        try:
            # Accessing .user runs the authenticators: bad credentials, or a session
            # request without its CSRF token, raise here, before anything is parsed.
            self.drf_request.user  # noqa: B018
            self.check_throttles(self.drf_request)
            _query_params(request)  # parsed here, where a query string Django refuses is a 400
        except exceptions.APIException as exc:
            return self.refuse(exc)
        except (Http404, DjangoPermissionDenied) as exc:  # mapped as DRF's exception handler
            return self.refuse(as_api_exception(exc))
        except _UNREADABLE_BODY as exc:  # the CSRF check reads a form body's token
            return JsonResponse({"errors": [self.format_error(_unreadable(exc))]}, status=400)
        if request.method == "OPTIONS":  # as Django's views answer it: the methods served
            return _options_response(self._allowed_methods())
        if self.batch and request.method in ("GET", "HEAD"):
            # A batch is a posted list: a GET carries none (graphene-django answered `[]`).
            detail = exceptions.MethodNotAllowed(request.method).detail
            refusal = _bad_request(detail, 405, self._allowed_methods())
            return self._error_response(request, refusal)
        if request.method == "HEAD":
            # Answered as a GET, as Django's and DRF's views answer it (HTTP requires HEAD
            # where GET is served); graphene-django's dispatch knows GET and POST alone.
            # The DRF request (the context) keeps the original; a read's own request is a
            # GET, as for any read.
            request = copy.copy(request)
            request.method = "GET"
        if self.graphiql and request.method == "GET" and self.request_wants_html(request):
            # GraphiQL posts with the session, so its page gets the CSRF cookie.
            return super().dispatch(request, *args, **kwargs)
        # API calls skip graphene-django's ensure_csrf_cookie, as DRF's views do: setting
        # the cookie on every answer costs ~0.2 ms and sends nothing a token client uses.
        undecorated = getattr(GraphQLView.dispatch, "__wrapped__", None)
        if undecorated is None:  # pragma: no cover - a graphene-django without the decorator
            return super().dispatch(request, *args, **kwargs)
        if request.method == "POST" and _answers_as_graphene_django(self):
            return self._answer_post(request)
        if request.method not in ("GET", "POST"):
            # graphene-django's refusal, in DRF's words (translated as REST's 405 is).
            detail = exceptions.MethodNotAllowed(request.method).detail
            return self._error_response(request, _bad_request(detail, 405, self._allowed_methods()))
        response = undecorated(self, request, *args, **kwargs)
        if response.status_code == 400 and not self.batch and _is_json(response):
            # graphene-django's get_response answers 400 for any operation that did not run.
            with contextlib.suppress(ValueError, AttributeError):
                state = serving.get()
                raised = state.raised if state is not None else ()
                status, headers = self._unrun(json.loads(response.content)["errors"], raised)
                response.status_code = status
                response = _with_headers(response, headers)
        return response

    def _allowed_methods(self) -> tuple[str, ...]:
        """The methods the endpoint serves, for ``Allow``: a batch is posted only."""
        return ("POST", "OPTIONS") if self.batch else ("GET", "POST", "HEAD", "OPTIONS")

    @classmethod
    def can_display_graphiql(cls, request: HttpRequest, data: Any) -> bool:
        """graphene-django's test, for a GET only: a POST is an operation to run, whatever
        its ``Accept`` header (a browser's form posting a mutation, with its CSRF token,
        asks for HTML). graphene-django showed such a POST the page, and ran nothing."""
        return request.method == "GET" and _CAN_DISPLAY_GRAPHIQL(cls, request, data)

    def _answer_post(self, request: HttpRequest) -> HttpResponse:
        """graphene-django's ``dispatch`` and ``get_response`` for a posted operation, or
        batch (no GraphiQL page asked for), without its four failed lookups of an empty
        query string.

        Taken only where the view keeps graphene-django's ``get_response``,
        ``get_graphql_params`` and ``can_display_graphiql``; every other hook
        (``parse_body``, ``execute_graphql_request``, ``format_error``, ``json_encode``) is
        called as graphene-django calls it.
        """
        try:
            data = self.parse_body(request)
            if self.batch:
                return self._answer_batch(request, data)
            content, status, failed, headers = self._answer_operation(request, data)
            if failed:
                set_rollback()
            return _with_headers(_json_response(content, status), headers)
        except HttpError as exc:
            return self._error_response(request, exc)

    def _unrun(
        self, errors: list[dict[str, Any]], raised: Sequence[Any] = ()
    ) -> tuple[int, dict[str, str]]:
        """The HTTP status of an operation that did not run (``_unrun_status``) and the
        headers REST sends with it: a refused authentication's ``WWW-Authenticate`` (or, as
        DRF, a 403 where the first authenticator names no challenge), and the longest
        ``Retry-After`` its errors of that status ask for (a throttle's, a 503's).

        ``raised``: the errors as raised, in the same order (see
        ``_refused_authentication``)."""
        status = _unrun_status(errors)
        headers: dict[str, str] = {}
        own = [_extensions(error) for error in errors]
        own = [each for each in own if each.get("status") == status]
        if status == 401 and _refused_authentication(errors, raised):
            challenge = self._challenge()
            if challenge:
                headers["WWW-Authenticate"] = challenge
            else:
                status = 403
        waits = [wait for each in own if (wait := _seconds(each.get("retryAfter"))) is not None]
        if waits:
            headers["Retry-After"] = str(max(waits))
        return status, headers

    def _challenge(self) -> str | None:
        """The ``WWW-Authenticate`` header of the endpoint's first authenticator, as DRF's
        401 carries it; None where it names none (DRF answers 403 then)."""
        authenticators = self.drf_request.authenticators
        return authenticators[0].authenticate_header(self.drf_request) if authenticators else None

    def _error_response(self, request: HttpRequest, exc: HttpError) -> HttpResponse:
        """A refusal answered as graphene-django answers it: its status, the error as JSON."""
        response = exc.response
        response["Content-Type"] = "application/json"
        response.content = self.json_encode(request, {"errors": [self.format_error(exc)]})
        return response

    def _answer_operation(
        self, request: HttpRequest, data: Any, batch: bool = False
    ) -> tuple[str | None, int, bool, dict[str, str]]:
        """One operation's answer as graphene-django's ``get_response`` writes it (with its
        ``id`` and ``status`` in a ``batch``), its status, whether it failed (its writes are
        to be undone), and the headers its status comes with."""
        query, variables, operation_name, id_ = GraphQLView.get_graphql_params(
            request if _query_params(request) else _NO_QUERY_STRING, data
        )
        result = self.execute_graphql_request(
            request, data, query, variables, operation_name, False
        )
        # graphene-django's form mutations flag their errors on the request or the context.
        failed = getattr(request, MUTATION_ERRORS_FLAG, False) is True or (
            result is not None and _failed(result, request, self.get_context(request))
        )
        status = 200
        headers: dict[str, str] = {}
        content = None
        if result:
            answer: dict[str, Any] = {}
            if result.errors:
                failed = True
                answer["errors"] = [self.format_error(error) for error in result.errors]
            if result.errors and any(not getattr(error, "path", None) for error in result.errors):
                status, headers = self._unrun(answer["errors"], result.errors)
            else:
                answer["data"] = result.data
            if batch:
                answer["id"] = id_
                answer["status"] = status
            content = self.json_encode(request, answer, pretty=False)
        return content, status, failed, headers

    def _answer_batch(self, request: HttpRequest, data: list[Any]) -> HttpResponse:
        """A batch answered as graphene-django answers it, each operation in a savepoint of
        the transaction ``ATOMIC_REQUESTS`` opened: an operation that fails undoes its own
        writes there, and the ones after it still run (graphene-django marks the request's
        transaction at once, and every later query, a read's included, is a 500). When any
        failed, the request's transaction is undone at the end, as for one operation."""
        # An entry the endpoint cannot run makes the whole answer a 400, which shows the
        # client none of the others: refused before any of them writes. A project's own
        # execute_graphql_request may run what this one refuses (a persisted query's id).
        own_execution = type(self).execute_graphql_request is DRFGraphQLView.execute_graphql_request
        for entry in data:
            query, variables, _, _ = GraphQLView.get_graphql_params(
                request if _query_params(request) else _NO_QUERY_STRING, entry
            )
            if not query and own_execution and not _names_persisted_query(request, entry):
                raise _bad_request("Must provide query string.")
            _refuse_non_strict_variables(request, entry)
            _refuse_deep_variables(request, variables)
        answers = []
        failed_any = False
        try:
            for entry in data:
                # A flag a form mutation set is its operation's: not the next one's.
                for each in (request, self.get_context(request)):
                    own = getattr(each, "__dict__", None)
                    if isinstance(own, dict):
                        own.pop(MUTATION_ERRORS_FLAG, None)
                with savepoints_under_atomic_requests() as undo:
                    content, status, failed, headers = self._answer_operation(
                        request, entry, batch=True
                    )
                    if failed:
                        undo()
                failed_any = failed_any or failed
                answers.append((content, status, headers))
        except HttpError:
            # The whole answer is the error: the operations before it are undone too.
            failed_any = True
            raise
        finally:
            if failed_any:
                _roll_back_atomic_requests()
        content = "[{}]".format(",".join(content for content, _, _ in answers))
        status = max((status for _, status, _ in answers), default=200)
        # The headers of the entries answering that status: the longest wait among them.
        headers: dict[str, str] = {}
        for _, each_status, each_headers in answers:
            if each_status != status:
                continue
            for name, value in each_headers.items():
                if name == "Retry-After" and name in headers:
                    value = str(max(int(value), int(headers[name])))
                headers[name] = value
        return _with_headers(_json_response(content, status), headers)

    def refuse(self, exc: exceptions.APIException) -> HttpResponse:
        """A request refused before execution, answered as a GraphQL error with DRF's status."""
        status = exc.status_code
        headers = {}
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            header = self._challenge()
            if header:  # as DRF: a 401 with the header, else a 403
                status = 401
                headers["WWW-Authenticate"] = header
            else:
                status = 403
        wait = getattr(exc, "wait", None)
        if wait:
            headers["Retry-After"] = str(int(wait + 0.999))
        extensions: dict[str, Any] = {"code": error_code(exc), "status": status}
        if wait:
            extensions["retryAfter"] = int(wait + 0.999)
        if isinstance(exc.detail, list | dict):  # several messages: all of them, as REST
            extensions["detail"] = plain_detail(exc.detail)
        message = str(
            crud_settings.ERROR_MESSAGES.get(extensions["code"]) or detail_text(exc.detail)
        )
        # Through format_error, as every other error: a subclass's own formatting holds.
        error = GraphQLError(message, extensions=extensions)
        response = JsonResponse({"errors": [self.format_error(error)]}, status=status)
        for name, value in headers.items():
            response[name] = value
        return response

    def get_context(self, request: HttpRequest) -> Request:
        return self.drf_request

    # ------------------------------------------------------------------ request bodies

    @staticmethod
    def get_content_type(request: HttpRequest) -> str:
        """The media type, as DRF reads it: without its parameters, nor the whitespace HTTP
        allows before them (``application/json ; charset=utf-8``, whose body
        graphene-django left unread)."""
        meta = request.META
        content_type = meta.get("CONTENT_TYPE", meta.get("HTTP_CONTENT_TYPE", ""))
        return content_type.split(";", 1)[0].strip().lower()

    def parse_body(self, request: HttpRequest) -> Any:
        """JSON, form and GraphQL bodies as graphene-django parses them, plus multipart uploads.

        A GET with no body is read from its query string alone, whatever ``Content-Type``
        it says (Apollo iOS sends ``application/json`` on its GETs)."""
        if request.method == "GET" and not request.body:
            return {}
        try:
            data = self._parse_body(request)
        except _UNREADABLE_BODY as exc:
            raise _unreadable(exc) from None
        if self.batch and not (
            isinstance(data, list) and data and all(isinstance(entry, dict) for entry in data)
        ):
            # graphene-django reads each entry as an object (a 500 for `[1]`, or for the
            # keys of a form or an application/graphql body).
            raise _bad_request("A batch must be a list of operations.")
        if self.batch:
            max_batch = crud_settings.MAX_BATCH_SIZE
            if max_batch is not None and len(data) > max_batch:
                raise _bad_request(f"A batch may hold at most {max_batch} operations.")
        return data

    def _parse_body(self, request: HttpRequest) -> Any:
        content_type = self.get_content_type(request)
        if content_type == "multipart/form-data" and "operations" in request.POST:
            try:
                operations = _json_loads(request.POST["operations"])
                files_map = _json_loads(request.POST.get("map") or "{}")
                placed = place_files_in_operations(
                    operations, *_one_file_per_path(operations, files_map, request.FILES)
                )
            except _BadMap as exc:
                raise _bad_request(f"Invalid multipart GraphQL request: {exc}") from None
            except (
                ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError
            ) as exc:  # fmt: skip
                raise _bad_request(f"Invalid multipart GraphQL request: {_reason(exc)}") from None
            if not (isinstance(placed, dict) or (self.batch and isinstance(placed, list))):
                # A batch on a view that takes none, or no operation at all: as in JSON.
                raise _bad_request("The received data is not a valid JSON query.")
            return placed
        try:
            data = super().parse_body(request)
        except UnicodeDecodeError:  # an application/graphql body graphene-django decodes bare
            raise _bad_request("The request body is not UTF-8.") from None
        except RecursionError:  # JSON nested deeper than the interpreter can parse
            raise _bad_request("The request body is nested too deeply.") from None
        if content_type == "application/json" and _holds_constants(request.body):
            try:  # read again as DRF's JSONParser reads it; rare, as the words are
                _json_loads(request.body)
            except ValueError as exc:
                raise _bad_request(f"JSON parse error - {exc}") from None
        return data

    # ------------------------------------------------------------------ execution

    def validation_rules_for_settings(self) -> tuple[Any, ...] | None:
        rules = list(getattr(self, "validation_rules", None) or ())  # graphene-django >= 3.2
        if not crud_settings.INTROSPECTION:
            # __schema and __type; __typename is no introspection (clients add it everywhere).
            rules.append(NoSchemaIntrospectionCustomRule)
        if not rules:
            return None
        return (*specified_rules, *rules)

    def parse_and_validate(self, query: str) -> tuple[DocumentNode | None, list[GraphQLError]]:
        """Parse and validate ``query``, or take both from the document cache."""
        if not isinstance(query, str):  # {"query": 5}, {"query": ["{ ping }"]}
            return None, [GraphQLError("The query must be a string.")]
        schema = self.schema.graphql_schema
        key = (
            schema,  # the object, not its id: a later schema may reuse a collected one's id
            crud_settings.MAX_QUERY_DEPTH,
            crud_settings.INTROSPECTION,
            crud_settings.MAX_ALIASES,
            crud_settings.MAX_QUERY_FIELDS,
            crud_settings.MAX_QUERY_LENGTH,
            crud_settings.MAX_QUERY_TOKENS,
            _max_validation_errors(),
            tuple(getattr(self, "validation_rules", None) or ()),  # a view's own rules
            query,
        )
        cached = self.document_cache.get(key)
        if cached is not None:
            return cached
        max_length = crud_settings.MAX_QUERY_LENGTH
        if max_length is not None and len(query) > max_length:
            return None, [GraphQLError(f"The query is longer than {max_length} characters.")]
        try:
            document = parse(query, max_tokens=crud_settings.MAX_QUERY_TOKENS)
        except (GraphQLError, RecursionError) as exc:
            # Kept as a document is: a refused document sent again (past MAX_QUERY_TOKENS,
            # ~60 ms of parsing) is answered from the cache. Some graphql-core 3.2 releases
            # parse nesting unguarded (RecursionError).
            refusal = exc if isinstance(exc, GraphQLError) else GraphQLError(TOO_DEEP)
            self.document_cache.put(key, (None, [refusal]), document_weight(query, 0))
            return None, [refusal]
        tokens = _unlink_tokens(document)
        max_aliases = crud_settings.MAX_ALIASES
        errors = alias_errors(document, max_aliases) if max_aliases is not None else []
        max_fields = crud_settings.MAX_QUERY_FIELDS
        if not errors and max_fields is not None:
            errors = field_errors(document, max_fields)
        max_depth = crud_settings.MAX_QUERY_DEPTH
        if not errors and max_depth is not None:
            errors = depth_errors(document, max_depth)
        max_errors = _max_validation_errors()
        cap = max_errors if max_errors is not None else _VALIDATE_MAX_ERRORS
        if len(errors) > cap:
            # As validate() stops: so many errors, then this one.
            errors = [*errors[:cap], GraphQLError(TOO_MANY_ERRORS)]
        if not errors:
            options: dict[str, Any] = {"max_errors": max_errors}
            if not crud_settings.INTROSPECTION and _VALIDATE_HIDES_SUGGESTIONS:
                # "Did you mean 'ping'?" would spell out the schema introspection hides.
                options["hide_suggestions"] = True
            try:
                errors = validate(schema, document, self.validation_rules_for_settings(), **options)
            except RecursionError:  # rules walk fragments and selections recursively
                return None, [GraphQLError(TOO_DEEP)]
        self.document_cache.put(key, (document, errors), document_weight(query, tokens))
        return document, errors

    def execute_graphql_request(
        self,
        request: HttpRequest,
        data: Any,
        query: str | None,
        variables: Any,
        operation_name: str | None,
        show_graphiql: bool = False,
    ) -> ExecutionResult | None:
        if not query:
            if show_graphiql:
                return None
            if _names_persisted_query(request, data):
                return ExecutionResult(data=None, errors=[_persisted_query_not_supported()])
            raise _bad_request("Must provide query string.")
        _refuse_non_strict_variables(request, data)
        _refuse_deep_variables(request, variables)
        schema = self.schema.graphql_schema
        state = serving.get()
        if state is not None:  # a schema a project's view picks per request, once dispatched
            state.schema = schema
            state.raised = ()
        schema_errors = validate_schema(schema)
        if schema_errors:
            return ExecutionResult(data=None, errors=schema_errors)
        document, errors = self.parse_and_validate(query)
        if document is None:
            return ExecutionResult(data=None, errors=errors)
        operation_ast = get_operation_ast(document, operation_name)
        if operation_ast is not None and operation_ast.operation == OperationType.SUBSCRIPTION:
            # graphql-core's execute() would run it as a query, its field answering null.
            if show_graphiql:
                return None
            raise _bad_request(str(_NO_SUBSCRIPTIONS))
        if (
            request.method.lower() == "get"
            and operation_ast is not None
            and operation_ast.operation != OperationType.QUERY
        ):
            if show_graphiql:
                return None
            raise _bad_request(
                str(_POST_ONLY).format(operation=operation_ast.operation.value), status=405
            )
        if errors:
            return ExecutionResult(data=None, errors=errors)
        if variables is not None and not isinstance(variables, dict):
            return ExecutionResult(data=None, errors=[GraphQLError("Variables must be an object.")])
        options: dict[str, Any] = {
            "root_value": self.get_root_value(request),
            "context_value": self.get_context(request),
            "variable_values": variables,
            "operation_name": operation_name,
            "middleware": self.get_middleware(request),
        }
        if self.execution_context_class:
            options["execution_context_class"] = self.execution_context_class
        if not crud_settings.INTROSPECTION and _builds_without_suggestions(
            self.execution_context_class or ExecutionContext
        ):
            options["hide_suggestions"] = True
        is_mutation = (
            operation_ast is not None and operation_ast.operation == OperationType.MUTATION
        )
        # Library mutations run in their own transaction; graphene-django's ATOMIC_MUTATIONS
        # (its setting, or a database's) still wraps the whole operation, and undoes it
        # when the answer has any error: one raised while graphql-core checked a payload's
        # values, after the mutation's own transaction committed, included.
        aliases = _atomic_mutation_aliases() if is_mutation else []
        with _no_query_string(request, options["context_value"]):
            if aliases:
                with contextlib.ExitStack() as operation_wide:
                    for alias in aliases:
                        operation_wide.enter_context(transaction.atomic(using=alias))
                    result = _executed(schema, document, options)
                    failed = _failed(result, request, options["context_value"])
                    if failed:
                        for alias in aliases:
                            transaction.set_rollback(True, using=alias)
            else:
                result = _executed(schema, document, options)
                failed = _failed(result, request, options["context_value"])
        if failed:
            # Django's ATOMIC_REQUESTS opened one on each such database (graphene-django
            # rolls back the default one's only): the request's, now the innermost again,
            # or in a batch the operation's savepoint (_answer_batch marks it again, for a
            # project's execute_graphql_request that does not come here).
            _roll_back_atomic_requests()
        if result.data is None and result.errors and operation_ast is not None:
            errors = without_quoted_values(result.errors, schema, operation_ast, variables or {})
            result = ExecutionResult(data=None, errors=errors, extensions=result.extensions)
        if state is not None:  # for graphene-django's answer, read back for its status
            state.raised = tuple(result.errors or ())
        return result

    def json_encode(self, request: HttpRequest, d: Any, pretty: bool = False) -> str:
        """graphene-django's encoding, with DRF's ``JSONEncoder``.

        The library's ``JSONValue`` scalar already writes what a serializer hands over
        unrendered (a ``Decimal`` from a method field without a return annotation) as REST
        does; a project's own types (graphene's ``GenericScalar``) may still pass such
        values through, and are written here as REST's ``JSONRenderer`` writes them,
        instead of failing the response.
        """
        params = _query_params(request)
        if not (self.pretty or pretty) and not (params and params.get("pretty")):
            return _COMPACT_JSON.encode(d)
        return json.dumps(d, sort_keys=True, indent=2, separators=(",", ": "), cls=JSONEncoder)

    @staticmethod
    def format_error(error: Any) -> dict[str, Any]:
        """graphene-django's format, with a code on every error.

        The library's own errors carry theirs. An error raised before execution (parsing,
        validation) gets ``GRAPHQL_VALIDATION_FAILED``; one raised on a field's path without
        a code gets ``INTERNAL_SERVER_ERROR``: a value the field's GraphQL type cannot
        represent (a stored choice no longer in ``choices``) keeps graphql-core's message
        and is logged once per field and answer; a resolver's own ``GraphQLError`` keeps
        its message, unlogged; another resolver's exception is mapped as the library's own
        are (``Http404`` is ``NOT_FOUND``), and anything unknown is logged with its text
        withheld.
        """
        if isinstance(error, HttpError):
            status = error.response.status_code
            code = "METHOD_NOT_ALLOWED" if status == 405 else "BAD_REQUEST"  # as DRF's codes
            return {"message": str(error), "extensions": {"code": code, "status": status}}
        formatted = GraphQLView.format_error(error)
        if isinstance(error, GraphQLError) and "extensions" not in formatted and error.path is None:
            original = error.original_error
            if original is None or isinstance(
                original, ValueError | TypeError | ArithmeticError | GraphQLError
            ):
                # The document failed parsing or validation, or its variables coercion (a
                # scalar refusing a value with its own ValueError; graphql-core's Float given
                # 10**309, an OverflowError; Decimal("abc"), an InvalidOperation, which DRF's
                # DecimalField refuses too): graphene-django answers 400.
                formatted["extensions"] = {"code": "GRAPHQL_VALIDATION_FAILED", "status": 400}
            else:
                # A bug in server code reached while coercing (a scalar's parse_value):
                # mapped as any other, logged, its text withheld.
                _mapped(formatted, original)
        elif "extensions" not in formatted and formatted.get("path") is not None:
            original = getattr(error, "original_error", None)
            if (
                isinstance(original, GraphQLError)
                and original.nodes
                and not isinstance(original.nodes[0], FieldNode)
            ):
                # graphql-core could not coerce an argument where the field ran (a value a
                # scalar's parse_literal refuses once variables are given, a directive's
                # variable sent as null), located at the value: the request's fault, as a
                # variable's would be. At a field, it is the server's (a type resolution).
                formatted["extensions"] = {"code": "GRAPHQL_VALIDATION_FAILED", "status": 400}
            elif (
                original is not None
                and not isinstance(original, _ANSWERS)
                and _refused_completing(original)
            ):
                # A type refusing what the server answered (a stored choice no longer in
                # `choices`, an int past 32 bits, a NaN): the server's 500, logged once for
                # the field however many rows hold such values. graphql-core's words are
                # kept; a scalar's own exception is withheld, as any other server error's.
                field = tuple(part for part in error.path or () if not isinstance(part, int))
                first = first_in_answer(("refused", field))
                if isinstance(original, GraphQLError):
                    code = crud_settings.ERROR_CODES["internal_error"]
                    formatted["extensions"] = {"code": code, "status": 500}
                    if first:
                        log_server_error(error)
                else:
                    mapped = internal_error(original, log=first)
                    formatted["message"] = mapped.message
                    formatted["extensions"] = mapped.extensions
            elif original is None or isinstance(original, GraphQLError):
                # A resolver's own GraphQLError: its message is for the client, with the
                # server's code, and nothing is logged.
                code = crud_settings.ERROR_CODES["internal_error"]
                formatted["extensions"] = {"code": code, "status": 500}
            else:
                # Another resolver's exception, mapped as the library's own are: a DRF or
                # Django exception gets its code and message (Http404 is NOT_FOUND), anything
                # else is logged with no detail (SQL, paths, values) for the client.
                _mapped(formatted, original)
        return formatted


def _mapped(formatted: dict[str, Any], original: BaseException) -> None:
    """``formatted`` with the message and extensions ``to_graphql_error`` gives ``original``,
    its paths in the case of the schema the view executes."""
    mapped = to_graphql_error(original, schema=serving_schema())
    formatted["message"] = mapped.message
    formatted["extensions"] = mapped.extensions


_COMPLETE_LEAF_VALUE = ExecutionContext.complete_leaf_value.__code__
#: Where values are completed: graphql-core's executor, and the library's.
_EXECUTORS = frozenset(
    {ExecutionContext.complete_value.__code__.co_filename, execution_module.__file__}
)
#: Exceptions that are answers of their own, wherever raised (a scalar's ``serialize``
#: hiding a value with ``PermissionDenied``): mapped with their codes, as REST's.
_ANSWERS = (exceptions.APIException, Http404, DjangoPermissionDenied, DjangoValidationError)


def _refused_completing(error: BaseException) -> bool:
    """Whether ``error`` was raised as a value the server answered was completed, not by a
    resolver: under graphql-core's ``complete_leaf_value`` (a scalar's or an enum's
    ``serialize`` refusing it; the library's own completion hands such a value to
    graphql-core), or by graphql-core's checks of what a field returned (not a list where
    the type is one, ``None`` where it is non-null, an object of another type), which
    raise where they complete it (the innermost frame, in graphql-core's executor or the
    library's). A resolver's error is raised in the resolver."""
    frame = error.__traceback__
    innermost = None
    answered = False
    while frame is not None:
        code = frame.tb_frame.f_code
        if code is _COMPLETE_LEAF_VALUE:
            return True
        # A resolver may answer an exception instead of raising it (one it caught, or made):
        # the executor raises it, the answer among its locals.
        if code.co_filename in _EXECUTORS and frame.tb_frame.f_locals.get("result") is error:
            answered = True
        innermost = frame
        frame = frame.tb_next
    if answered:
        # A GraphQLError so answered is its message for the client; any other, a server bug
        # met on each row, is logged once for the field as the executor's own are.
        return not isinstance(error, GraphQLError)
    return innermost is not None and innermost.tb_frame.f_code.co_filename in _EXECUTORS


def _executed(schema: Any, document: DocumentNode, options: dict[str, Any]) -> ExecutionResult:
    """The operation's result; an exception graphql-core lets through (raised by server code
    while it coerces the variables: an input type's container) is the answer's error, as
    graphene-django's view makes it, mapped (a logged ``INTERNAL_SERVER_ERROR``) rather
    than left to Django's HTML 500 page."""
    try:
        return execute_document(schema, document, **options)
    except Exception as exc:
        mapped = to_graphql_error(exc, request=options.get("context_value"))
        # With its exception: the answer's status is told by it (a container's refused
        # authentication gets DRF's challenge, a project's own 401 none).
        error = GraphQLError(mapped.message, extensions=mapped.extensions, original_error=exc)
        return ExecutionResult(data=None, errors=[error])


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _unrun_status(errors: list[dict[str, Any]]) -> int:
    """The HTTP status of an operation that did not run, as its errors' own ``status``
    says: graphene-django's 400 (the request was at fault), a refusal's own (a 403 a
    scalar's ``parse_value`` raised, as REST answers it), or the server's where it stopped
    it (a bug in a scalar's ``parse_value``, a 500; a 5xx ``APIException``, its own)."""
    statuses = {_extensions(error).get("status") for error in errors}
    servers = [each for each in statuses if isinstance(each, int) and each >= 500]
    if servers:
        return max(servers)
    # One refusal of the client's, or several of one kind (a 403 a scalar raised), keeps
    # REST's status; a mix of kinds is graphene-django's 400.
    [only] = statuses if len(statuses) == 1 else [400]
    return only if isinstance(only, int) and 400 <= only < 500 else 400


def _answers_as_graphene_django(view: GraphQLView) -> bool:
    """Whether ``view`` answers a request as graphene-django's own ``get_response`` does,
    reading its parameters with graphene-django's own ``get_graphql_params``."""
    cls = type(view)
    return (
        cls.get_response is GraphQLView.get_response
        and cls.get_graphql_params is GraphQLView.get_graphql_params
        and getattr(cls.can_display_graphiql, "__func__", None) is _OWN_CAN_DISPLAY_GRAPHIQL
    )


_CAN_DISPLAY_GRAPHIQL = GraphQLView.__dict__["can_display_graphiql"].__func__
_OWN_CAN_DISPLAY_GRAPHIQL = DRFGraphQLView.__dict__["can_display_graphiql"].__func__


def _options_response(allowed: Sequence[str]) -> HttpResponse:
    """Django's ``View.options``: no body, the methods served in ``Allow``."""
    response = HttpResponse()
    response.headers["Allow"] = ", ".join(allowed)
    response.headers["Content-Length"] = "0"
    return response


def _with_headers(response: HttpResponse, headers: dict[str, str]) -> HttpResponse:
    for name, value in headers.items():
        response[name] = value
    return response


#: What DRF answers with its authenticator's challenge (or a 403 without one).
_AUTHENTICATION_REFUSALS = (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)


def _extensions(error: Any) -> dict[str, Any]:
    """A formatted error's ``extensions``; empty where a project's ``format_error`` wrote
    none, or no object."""
    extensions = error.get("extensions") if isinstance(error, dict) else None
    return extensions if isinstance(extensions, dict) else {}


#: The longest ``Retry-After`` written (a year), whatever a project's format_error says.
_LONGEST_WAIT = 365 * 24 * 3600


def _seconds(wait: Any) -> int | None:
    """A ``retryAfter`` as ``Retry-After`` writes it (whole seconds, rounded up), from the
    number a project's ``format_error`` may have written otherwise; None for no number."""
    if isinstance(wait, str):
        wait = int(wait) if wait.strip().isdecimal() and len(wait) < 20 else None
    if isinstance(wait, bool) or not isinstance(wait, int | float):
        return None
    if isinstance(wait, float):
        if not math.isfinite(wait):
            return None
        wait = math.ceil(wait)
    return min(wait, _LONGEST_WAIT)


def _refused_authentication(errors: list[dict[str, Any]], raised: Sequence[Any]) -> bool:
    """Whether an unrun operation's 401 is a refused authentication, which DRF answers with
    its authenticator's challenge: told, error by error, by its exception where it was
    raised with one (``NotAuthenticated``, ``AuthenticationFailed``, whatever code the
    project maps them to; not a project's own 401), else by the codes ``ERROR_CODES``
    gives them (an error made without its exception: an input container's refusal)."""
    if len(raised) != len(errors):
        raised = [None] * len(errors)
    for formatted, error in zip(errors, raised, strict=True):
        extensions = _extensions(formatted)
        if extensions.get("status") != 401:
            continue
        original = getattr(error, "original_error", None)
        while isinstance(original, GraphQLError) and original.original_error is not None:
            original = original.original_error
        if original is not None:
            if isinstance(original, _AUTHENTICATION_REFUSALS):
                return True
        elif extensions.get("code") in _authentication_codes():
            return True
    return False


def _authentication_codes() -> set[str]:
    """The codes of refused authentication (``NotAuthenticated``, ``AuthenticationFailed``),
    as the project's ``ERROR_CODES`` name them: REST's challenge goes with them alone."""
    codes = crud_settings.ERROR_CODES
    return {codes["not_authenticated"], codes["authentication_failed"]}


def _json_response(content: str | None, status: int) -> HttpResponse:
    """An answer of JSON text, encoded as Django encodes it (``DEFAULT_CHARSET``: the
    content type names none) without its looking the charset up in the content type."""
    if isinstance(content, str):
        content = content.encode(settings.DEFAULT_CHARSET)  # type: ignore[assignment]
    return HttpResponse(content, status=status, content_type="application/json")


def _names_persisted_query(request: HttpRequest, data: Any) -> bool:
    """Whether an operation sent without its query names a persisted one instead
    (``extensions.persistedQuery``, Apollo's automatic persisted queries), in the body or,
    as JSON text, in a GET's query string."""
    params = _query_params(request)
    for source in (data, params if params is not None else {}):
        extensions = source.get("extensions") if isinstance(source, Mapping) else None
        if isinstance(extensions, str):
            try:
                extensions = json.loads(extensions)
            except ValueError:
                continue
        if isinstance(extensions, Mapping) and "persistedQuery" in extensions:
            return True
    return False


def _persisted_query_not_supported() -> GraphQLError:
    """The answer to a persisted query's id: the endpoint keeps none. Apollo's persisted
    query link reads this message or code and sends the operation again with its query."""
    return GraphQLError(
        "PersistedQueryNotSupported",
        extensions={"code": "PERSISTED_QUERY_NOT_SUPPORTED", "status": 400},
    )


def _query_params(request: HttpRequest) -> Any:
    """``request.GET``, or ``None`` for a request without a query string (most API calls),
    whose ``QueryDict`` of nothing is not built: in a small mutation it costs as much as
    a stage of its own. One already built, or set (a test's), is what is read."""
    if "GET" in request.__dict__ or request.META.get("QUERY_STRING"):
        return request.GET
    return None


@contextlib.contextmanager
def _no_query_string(request: HttpRequest, context: Any = None) -> Iterator[None]:
    """The operations run without the endpoint's own query string (a GET's document, a
    POST's ``?tenant=``): no REST call they stand for carries it, and permissions,
    filters and serializers reading ``request.query_params`` would judge it. It is read
    before (the document, ``operationName``) and after (``?pretty``) them."""
    # The HttpRequest the view was given, and the one the context (the DRF request the
    # operations' requests are made from) wraps: a HEAD's GET copy differs from it.
    inner = getattr(context, "_request", None)
    requests = [request] if inner is None or inner is request else [request, inner]
    hidden = [each for each in requests if isinstance(each, HttpRequest) and _query_params(each)]
    if not hidden:  # no query string: the usual POST
        yield
        return
    saved = [each.GET for each in hidden]
    for each in hidden:
        each.GET = QueryDict()
    try:
        yield
    finally:
        for each, endpoints in zip(hidden, saved, strict=True):
            each.GET = endpoints


#: What ``get_graphql_params`` reads of a request without a query string: nothing there.
_NO_QUERY_STRING = SimpleNamespace(GET={})

#: ``json.dumps(..., separators=(",", ":"), cls=JSONEncoder)`` without a new encoder per
#: answer (an encoder keeps only its options; ``encode`` can run in many threads at once).
_COMPACT_JSON = JSONEncoder(separators=(",", ":"))


def _failed(result: ExecutionResult, request: HttpRequest, context: Any) -> bool:
    """Whether the operation's writes are undone: an error in the answer, or the flag
    graphene-django's form and serializer mutations set on ``info.context`` when they
    answer with errors of their own. Here the context is the DRF request, which keeps
    the flag to itself (it reads missing attributes from the HttpRequest, not the other
    way round): both are asked, where the flag is set (their own attributes)."""
    if result.errors:
        return True
    for each in (request, context):
        own = getattr(each, "__dict__", None)  # None, or anything, for a project's context
        if isinstance(own, dict) and own.get(MUTATION_ERRORS_FLAG, False) is True:
            return True
    return False


def _atomic_mutation_aliases() -> list[str]:
    """The databases a mutation document runs in one transaction on: each whose own
    settings say ``ATOMIC_MUTATIONS``, and the default one under graphene-django's setting
    of that name (as graphene-django reads it; the module's current object, which it
    replaces when ``GRAPHENE`` changes)."""
    default = graphene_django_settings.graphene_settings.ATOMIC_MUTATIONS is True
    return [
        alias
        for alias in connections
        if (default and alias == DEFAULT_DB_ALIAS)
        or connections[alias].settings_dict.get("ATOMIC_MUTATIONS", False) is True
    ]


def _roll_back_atomic_requests() -> None:
    """Mark for rollback the innermost transaction on each database ``ATOMIC_REQUESTS``
    opened one on: the request's, or in a batch the operation's savepoint."""
    for alias in atomic_request_aliases():
        transaction.set_rollback(True, using=alias)


def _json_loads(text: str | bytes) -> Any:
    """``json.loads`` as DRF's ``JSONParser`` reads a body: under ``STRICT_JSON`` (the
    default), ``NaN`` and the infinities are no JSON (a ``ValueError``), as they are not."""
    if api_settings.STRICT_JSON:
        return json.loads(text, parse_constant=strict_constant)
    return json.loads(text)


def _refuse_non_strict_variables(request: HttpRequest, data: Any) -> None:
    """Variables given as text, which graphene-django read with ``json.loads``: read again
    as DRF reads JSON, where ``NaN`` and the infinities are none (a 400)."""
    params = _query_params(request)
    text = (params.get("variables") if params else None) or data.get("variables")
    if isinstance(text, str) and _holds_constants(text):
        try:
            _json_loads(text)
        except ValueError as exc:
            raise _bad_request(f"Variables are invalid JSON: {exc}") from None


def _holds_constants(text: str | bytes) -> bool:
    """Whether JSON graphene-django parsed may hold ``NaN`` or ``Infinity`` outside its
    strings, which it reads without complaint (a look for the words, before reading again)."""
    if not api_settings.STRICT_JSON:
        return False
    if isinstance(text, bytes):
        return b"NaN" in text or b"Infinity" in text
    return "NaN" in text or "Infinity" in text


def _unlink_tokens(document: DocumentNode) -> int:
    """Cut the chain of the document's tokens, which the parser leaves linked from first to
    last, comments included: a node kept (in a cache) then keeps only its own tokens, not
    every token of its document. Errors locate themselves from ``loc.source`` and
    ``loc.start``; nothing reads the chain once the document is parsed. Returns how many
    tokens the nodes keep."""
    count = 0
    token = document.loc.start_token if document.loc is not None else None
    while token is not None:
        count += token.kind is not TokenKind.COMMENT  # the nodes keep no comment
        token.prev, token.next, token = None, None, token.next
    return count


#: A parsed document takes ~120 bytes a character in the documents clients send, and
#: 300-650 bytes a token whatever the token's length: ``{ a a a ... }`` takes 283 bytes a
#: character. So a cache entry weighs its characters, and at least this many per token.
_CHARACTERS_PER_TOKEN = 5


def document_weight(query: str, tokens: int) -> int:
    """What a parsed document counts for against the cache's ``max_characters``."""
    return max(len(query), _CHARACTERS_PER_TOKEN * tokens)


def _bad_request(message: str, status: int = 400, allowed: Sequence[str] = ("POST",)) -> HttpError:
    """graphene-django's way out of a request: it renders the message with ``format_error``.
    A 405 names the ``allowed`` methods in its ``Allow`` header."""
    response = HttpResponseNotAllowed(allowed) if status == 405 else HttpResponse(status=status)
    return HttpError(response, message)


#: The library's own words, which a project's catalog (LOCALE_PATHS) may translate.
_POST_ONLY = gettext_lazy("Can only perform a {operation} operation from a POST request.")
_NO_SUBSCRIPTIONS = gettext_lazy("Subscriptions are not served over HTTP.")


def _unreadable(exc: Exception) -> HttpError:
    return _bad_request(f"The request cannot be read: {exc}")


TOO_DEEP = "The document is nested too deeply."

#: How deep lists and objects in the variables may nest. JSON's parser reads about 900
#: levels; what walks the value after it, deeper in the stack, fails a little before.
MAX_VARIABLES_NESTING = 512


def _refuse_deep_variables(request: HttpRequest, variables: Any) -> None:
    """Refuse variables nested deeper than ``MAX_VARIABLES_NESTING``: the parser took them,
    but what walks them later (DRF's JSONField, json.dumps) may not, further down the
    stack (a RecursionError, answered as a server error)."""
    if _may_nest_deeply(request) and _nesting(variables) > MAX_VARIABLES_NESTING:
        raise _bad_request("The variables are nested too deeply.")


def _may_nest_deeply(request: HttpRequest) -> bool:
    """Whether the request is long enough to hold variables nested too deeply (each level
    takes a character at least): a small request is not walked. One whose length is not
    told (a chunked body under ASGI, HTTP/2) may be any length."""
    meta = request.META
    try:
        length = int(meta["CONTENT_LENGTH"])
    except (KeyError, ValueError):
        return True
    return length < 0 or length + len(meta.get("QUERY_STRING", "")) > MAX_VARIABLES_NESTING


def _nesting(value: Any) -> int:
    """How deep lists and dicts nest in ``value`` (walked without recursion)."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, depth)
        if depth > MAX_VARIABLES_NESTING:
            break
        pending.extend((child, depth + 1) for child in item)
    return deepest


#: Where validate() stops when given no ``max_errors``.
_VALIDATE_MAX_ERRORS = 100
#: graphql-core's own words when validation stops at ``max_errors``.
TOO_MANY_ERRORS = "Too many validation errors, error limit reached. Validation aborted."


class _BadMap(ValueError):
    """The multipart ``map`` does not fit the operations or the file parts."""


def _one_file_per_path(
    operations: Any, files_map: Any, files: MultiValueDict
) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """The map and files to place, checked, with a file of its own at every path.

    The spec lets one file part fill several paths; a storage that moves an upload spooled
    to disk (``FileSystemStorage``) would leave nothing for the second save, and a reader
    at the end of a shared file reads nothing, so each path after the first gets an upload
    of its own over the same content (``_shared_upload``: no copy of it is made), added to
    ``files`` (the request's) to be closed with them. A path that leads nowhere, or a part
    that is not there, is said as such.
    """
    if not isinstance(files_map, dict):
        raise _BadMap("the map must be an object.")
    for key, paths in files_map.items():
        if not isinstance(paths, list) or not all(isinstance(path, str) for path in paths):
            raise _BadMap(f"the map must give a list of paths for file part {key!r}.")
        if key not in files:
            raise _BadMap(f"no file part named {key!r}.")
    # Each path gets a file of its own: they count against Django's cap on the files of one
    # request, before any is made (one part mapped to 100,000 paths is 100,000 files).
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    received = sum(len(uploads) for _, uploads in files.lists())
    held = received + sum(max(len(paths) - 1, 0) for paths in files_map.values())
    if limit is not None and held > limit:
        raise _BadMap(
            f"with a file of its own at each of its paths, it would hold {held} files; a "
            f"request may hold at most {limit} (DATA_UPLOAD_MAX_NUMBER_FILES)."
        )
    placed_map: dict[str, list[str]] = {}
    placed_files: dict[str, Any] = {}
    for key, paths in files_map.items():
        for path in paths:
            if not _leads_somewhere(operations, path.split(".")):
                raise _BadMap(f"the map path {path!r} names nothing in the operations.")
        content = None
        for number, path in enumerate(paths):
            own_key = key if number == 0 else f"{key}\x00{number}"
            if number == 0:
                placed_files[own_key] = files[key]
            else:
                if content is None:
                    content = _content_of(files[key])
                placed_files[own_key] = _shared_upload(files[key], content)
                # Among the request's files, Django closes it when the request ends.
                files.setlist(own_key, [placed_files[own_key]])
            placed_map[own_key] = [path]
    return placed_map, placed_files


def _leads_somewhere(operations: Any, path: list[str]) -> bool:
    for part in path:
        if isinstance(operations, dict) and part in operations:
            operations = operations[part]
        elif isinstance(operations, list) and part.isdigit() and int(part) < len(operations):
            operations = operations[int(part)]
        else:
            return False
    return True


def _content_of(upload: UploadedFile) -> Any:
    """What uploads sharing ``upload``'s content read: its temporary file's path, or the
    bytes of one held in memory (read once, whichever number of paths share them)."""
    if isinstance(upload, TemporaryUploadedFile):
        return upload.temporary_file_path()
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return content


def _shared_upload(upload: UploadedFile, content: Any) -> UploadedFile:
    """Another upload of ``upload``'s content, without a copy of it: a handle of its own on
    the temporary file (opened now, it reads the file even once a save moved it away), or
    a reader of its own over the same bytes (a ``BytesIO`` shares them until written).
    Either has no ``temporary_file_path``: a storage copies it, and moves nothing away from
    the other paths."""
    handle = open(content, "rb") if isinstance(content, str) else BytesIO(content)  # noqa: SIM115 - closed with the request's files
    return InMemoryUploadedFile(
        handle, getattr(upload, "field_name", None), upload.name, upload.content_type, upload.size,
        upload.charset, upload.content_type_extra,
    )  # fmt: skip


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "operations are nested too deeply."
    if isinstance(exc, json.JSONDecodeError):
        return "operations and map must be JSON."
    return "the map does not match the operations."
