"""
What DRF code sees during a GraphQL operation: a ``Request``, a view, and permission checks.

Permission classes are written against a REST view: they read ``request.method``,
``view.action``, ``view.kwargs`` and ``view.get_queryset()``. For a GraphQL mutation this
module supplies the same objects, with the method and action of the equivalent REST call
(create is a POST, a partial update a PATCH, ...), so ``IsAuthenticatedOrReadOnly``,
``DjangoModelPermissions`` and ``DjangoObjectPermissions`` judge a GraphQL call exactly as
they judge the REST call.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterable, Iterator
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import ForcedAuthentication, Request, is_form_media_type
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

__all__ = [
    "ACTION_METHODS",
    "MiddlewareAuthentication",
    "OperationView",
    "check_object_permissions",
    "check_permissions",
    "clone_request",
    "COUNTED_THROTTLES",
    "carry_data",
    "carrying",
    "counted_now",
    "dataless_request",
    "drf_request",
    "operation_request",
    "reauthenticated",
]

#: The HTTP method of the REST call each action stands for.
ACTION_METHODS: dict[str, str] = {
    "create": "POST",
    "update": "PUT",
    "partial_update": "PATCH",
    "destroy": "DELETE",
    "retrieve": "GET",
    "list": "GET",
}

_CACHE_ATTR = "_drf_graphql_crud_request"


class MiddlewareAuthentication:
    """Stands for Django's authentication middleware in a DRF request.

    Under a plain graphene-django ``GraphQLView`` nothing authenticated through DRF; the
    user is the one the middleware set. Presenting the middleware as the request's
    authenticator keeps DRF's own rule intact everywhere it is applied (our permission
    checks, a viewset's ``permission_denied``): an anonymous caller is 401, not 403.
    """

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        user = getattr(request._request, "user", None)
        return (user, None) if getattr(user, "is_authenticated", False) else None

    def authenticate_header(self, request: Request) -> None:
        return None


class DatalessRequest(Request):
    """A DRF ``Request`` whose ``data`` is empty, but whose ``POST`` is the client's form
    until an operation carries its body.

    DRF's ``SessionAuthentication`` runs Django's CSRF check on the DRF request, and that
    check reads a form's ``csrfmiddlewaretoken`` from ``request.POST``, which DRF answers
    from ``data``: the token a session client posts in its form (a multipart upload's
    ``csrfmiddlewaretoken`` part) would go unseen, where REST accepts it. Once an operation
    carries its body (``carry_data``), ``POST`` answers as DRF's does for the REST call: the
    body's fields without its uploads, as an immutable ``QueryDict``, when the request is a
    form (a multipart upload), else an empty one; not the transport's ``operations`` and
    ``map``. Authentication (a viewset's own, run on an operation's copy) still reads the
    client's form.
    """

    @property
    def POST(self) -> Any:  # noqa: N802 - DRF's and Django's name
        if not is_form_media_type(self.content_type):
            return QueryDict("")
        if self._data is _NO_BODY:
            return self._request.POST
        cached = self.__dict__.get("_form_fields")
        if cached is None or cached[0] is not self._data:
            cached = self.__dict__["_form_fields"] = (self._data, _form_fields(self))
        return cached[1]

    def _authenticate(self) -> None:
        # An authenticator's CSRF check reads the token the client posted in its form,
        # whatever operation's body the request carries.
        carried, self._data = self._data, _NO_BODY
        try:
            super()._authenticate()
        finally:
            self._data = carried


def _form_fields(request: Request) -> QueryDict:
    """The carried body's fields as DRF's form parsers give them, an immutable QueryDict."""
    fields = QueryDict(mutable=True, encoding=request._request._encoding)
    if isinstance(request._data, dict):
        for name, value in request._data.items():
            fields.setlist(name, value if isinstance(value, list) else [value])
    fields._mutable = False
    return fields


#: A ``DatalessRequest``'s ``_data`` until an operation carries its body.
_NO_BODY: Any = MappingProxyType({})


def dataless_request(
    http_request: HttpRequest,
    authenticators: Iterable[Any],
    negotiator: Any = None,
    method: str | None = None,
) -> Request:
    """A DRF ``Request`` over ``http_request`` that carries no data.

    The GraphQL document is not a payload a serializer should ever read through
    ``request.data``; a write carries its input there for its length (``carrying``).
    ``method``: the REST method the request stands for, set as DRF's ``clone_request`` sets
    it.
    """
    request = DatalessRequest(
        http_request, parsers=(), authenticators=tuple(authenticators), negotiator=negotiator
    )
    if method is not None:
        request.method = method
    request._data = _NO_BODY
    request._full_data = {}
    request._files = MultiValueDict()
    # What APIView.initial sets before permissions run, which they may read: no API
    # version (the GraphQL endpoint has none), and the JSON the answer is written in.
    request.version = None
    request.versioning_scheme = None
    request.accepted_renderer = _JSON_RENDERER
    request.accepted_media_type = _JSON_RENDERER.media_type
    return request


_JSON_RENDERER = JSONRenderer()


def drf_request(context: Any) -> Request:
    """The DRF ``Request`` for the GraphQL HTTP request, built once per HTTP request.

    When the endpoint already authenticated through DRF (``DRFGraphQLView``), its
    ``Request`` is the context and is used as it is: no second authentication pass. Under a
    plain graphene-django ``GraphQLView`` the user is the one Django's authentication
    middleware set. The request carries no data: the GraphQL document is not the payload a
    serializer should ever read through ``request.data`` (a write carries its input there
    for its length, ``carrying``).
    """
    if isinstance(context, Request):
        return context
    cached = getattr(context, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    http_request = context if isinstance(context, HttpRequest) else HttpRequest()
    authenticator = MiddlewareAuthentication()
    request = dataless_request(http_request, (authenticator,))
    request._user = getattr(context, "user", None) or AnonymousUser()
    request._auth = getattr(context, "auth", None)
    request._authenticator = authenticator if request._user.is_authenticated else None
    if context is not None:
        # A context that takes no attributes gets a new request each time.
        with contextlib.suppress(AttributeError):
            setattr(context, _CACHE_ATTR, request)
    return request


def operation_request(context: Any, method: str, query_params: QueryDict | None = None) -> Request:
    """The DRF request with the method of the equivalent REST call (POST, PATCH, ...).

    With ``query_params`` it also carries the query string the REST call would have had
    (what filter backends and paginators read), on a shallow copy of the HTTP request. A
    write gives it its body for the operation's length (``carrying``).
    """
    request = drf_request(context)
    if query_params is None:
        return request if request.method == method else clone_request(request, method)
    http_request = copy.copy(request._request)
    query_params._mutable = False
    http_request.GET = query_params
    request_copy = dataless_request(
        http_request, request.authenticators, request.negotiator, method=method
    )
    request_copy._user = request.user
    request_copy._auth = request.auth
    request_copy._authenticator = request.successful_authenticator
    return inherit_attributes(request_copy, request)


def carry_data(request: Request, data: Any) -> Request:
    """``request`` with ``data`` as its ``request.data``: a write's input as REST's body.

    The GraphQL document is not the payload; the operation's input, as the serializer gets
    it, is what the REST call would have posted. Permission classes, ``perform_create`` and
    serializers that read ``request.data`` then judge the same values under both, and
    ``request.FILES`` holds the uploads at the top of the input, as a multipart REST call's.
    """
    files = MultiValueDict()
    fields = data
    if isinstance(data, dict):
        for name, value in data.items():
            uploads = value if isinstance(value, list) else [value]
            if uploads and all(isinstance(each, UploadedFile) for each in uploads):
                files.setlist(name, uploads)
        if files:  # as DRF's multipart parsing keeps them: POST the fields, FILES the files
            fields = {name: value for name, value in data.items() if name not in files}
    request._data = fields
    request._full_data = data
    request._files = files
    return request


@contextlib.contextmanager
def carrying(request: Request, data: Any) -> Iterator[Request]:
    """``carry_data`` for the length of one operation, on a request others may share (the
    endpoint's, for a create): it carries no body before or after."""
    saved = (request._data, request._full_data, request._files)
    carry_data(request, data)
    try:
        yield request
    finally:
        request._data, request._full_data, request._files = saved


def reauthenticated(request: Request, authenticators: Iterable[Any]) -> Request:
    """``request`` for a view that authenticates with its own ``authenticators``.

    The same HTTP request, method, query string and empty data; the user is unknown until
    ``.user`` runs these authenticators, as for the REST view's request (bad credentials,
    or a session without its CSRF token, fail there). A request forced with DRF's
    ``force_authenticate`` stays forced, as under REST. With the classes the request was
    authenticated with already, it is returned as it is.
    """
    authenticators = tuple(authenticators)
    if [type(each) for each in authenticators] == [type(each) for each in request.authenticators]:
        return request
    # DRF writes the user the endpoint authenticated (a token's) onto the HttpRequest, where
    # SessionAuthentication reads the session's user: give these authenticators the
    # HttpRequest as Django's middleware left it, so a token never passes for a session.
    http_request = copy.copy(request._request)
    before = http_request.__dict__.get(USER_BEFORE_DRF, _NO_USER)
    if before is not _NO_USER:
        http_request.__dict__.pop("user", None)
        if before is not None:
            http_request.user = before
    return dataless_request(http_request, authenticators, request.negotiator, method=request.method)


#: Where ``DRFGraphQLView`` notes the throttles that counted the HTTP request, by
#: ``throttle_key``: the first operation's identical viewset throttle does not count it
#: again (each further operation counts, as a REST call of its own would).
COUNTED_THROTTLES = "_drf_graphql_crud_counted_throttles"


def throttle_key(throttle: Any, request: Request, view: Any) -> tuple[type, str] | None:
    """The class and cache key ``throttle`` counts ``request`` under for ``view``, or None.

    Two throttles of one class with one key count the same requests of the same caller at
    the same rate: one HTTP request should be counted once by them, as REST counts it.
    """
    if not isinstance(throttle, SimpleRateThrottle):
        return None
    if isinstance(throttle, ScopedRateThrottle):  # its scope is the view's, read when asked
        scope = getattr(view, throttle.scope_attr, None)
        if not scope:
            return None
        throttle = copy.copy(throttle)
        throttle.scope = scope
    try:
        key = throttle.get_cache_key(request, view)
    except Exception:  # a project's throttle that needs more than it was given
        return None
    return None if key is None else (type(throttle), key)


def counted_now(throttle: Any) -> bool:
    """Whether ``throttle``, which just allowed a request, recorded it in its history (a
    ``SimpleRateThrottle``'s ``throttle_success``), rather than letting it pass uncounted."""
    history = getattr(throttle, "history", None)
    return bool(history) and history[0] == getattr(throttle, "now", None)


#: Where ``DRFGraphQLView`` keeps the HttpRequest's ``user`` (Django's middleware's, or None
#: without it) before DRF's authentication overwrites it.
USER_BEFORE_DRF = "_drf_graphql_crud_user_before_drf"
_NO_USER = object()


def clone_request(request: Request, method: str) -> Request:
    """DRF's ``clone_request``: the same request under another HTTP method.

    DRF asks ``hasattr`` for each optional attribute, and a ``Request`` answers a missing
    one only after failing on itself and on the ``HttpRequest`` behind it; a request that
    never went through ``APIView.initial`` misses four of them, and those failed lookups
    cost as much as the rest of the clone. Here the clone starts from the request's own
    attributes (what DRF copies, and what else was set on it: ``inherit_attributes``), and
    gets what ``Request.__init__`` gives a new request of its own: a ``parser_context``
    naming it, and the authenticator of a force-authenticated ``HttpRequest``. What DRF
    would copy from the ``HttpRequest`` is left there, and the clone, which wraps the same
    ``HttpRequest``, reads it from there alike.
    """
    # A DatalessRequest's copy answers POST as it does; a project's REST request, as DRF's.
    clone_class = DatalessRequest if isinstance(request, DatalessRequest) else Request
    clone = clone_class.__new__(clone_class)
    own = vars(clone)
    own.update(vars(request))
    http_request = request._request
    context = dict(request.parser_context or {})  # its own: it names its request
    context["request"] = clone
    context["encoding"] = http_request.encoding or settings.DEFAULT_CHARSET
    own["parser_context"] = context
    own["method"] = method
    if own.get("_data") is _NO_BODY:  # POST answers a form's fields from it: a body of its own
        own["_data"] = {}
    own.pop("_form_fields", None)
    forced = vars(http_request)
    force_user = forced.get("_force_auth_user")
    force_token = forced.get("_force_auth_token")
    if force_user is not None or force_token is not None:
        own["authenticators"] = (ForcedAuthentication(force_user, force_token),)
    return clone


def inherit_attributes(copy: Request, request: Request) -> Request:
    """``copy`` with what else is set on ``request``, for an operation's own copy of it.

    An authenticator may keep what it found on the request it authenticated
    (``request.api_scopes``), and a graphene middleware on ``info.context``: under REST
    the view's code reads them from the one request there is, so each copy keeps them.
    What an operation's own code sets on a shared request is taken off again when the
    operation ends (``own_attributes``).
    """
    mine = vars(copy)
    for name, value in vars(request).items():
        if name not in mine:
            mine[name] = value
    return copy


@contextlib.contextmanager
def own_attributes(request: Request) -> Iterator[Request]:
    """What an operation's code sets on ``request`` (a permission's memoized verdict) is
    there for the operation's length only.

    An operation may run on the endpoint's request itself (a create posted, a read sent by
    GET): no REST call sees what another call noted on its request, and neither does the
    next operation of the document. What was there before (an authenticator's findings, a
    graphene middleware's) stays.
    """
    own = vars(request)
    before = dict(own)
    try:
        yield request
    finally:
        for name in [name for name in own if name not in before]:
            del own[name]
        own.update(before)


class OperationView:
    """Stands in for the DRF view the equivalent REST call would have gone through.

    It has what permission classes and serializers read from a ``GenericAPIView``:
    ``request`` (whose ``parser_context`` names this view, its ``args`` and ``kwargs``),
    ``action``, ``detail``, ``basename``, ``args``, ``kwargs`` (the lookup, as a router
    would put it), ``lookup_field``, ``format_kwarg``, ``get_queryset()``/``queryset``,
    ``get_serializer_class()``/``serializer_class``, ``get_serializer()``,
    ``get_serializer_context()``, ``get_permissions()``/``permission_classes``,
    ``authentication_classes``, ``get_object()`` and ``filter_queryset()`` (no filter
    backends: an operation's filters are its arguments), and what a message or a link
    reads: ``settings``, ``name``, ``description``, ``suffix``, ``get_view_name()`` (the
    GraphQL field's name), ``get_view_description()``, ``get_renderer_context()``,
    ``paginator`` (none). ``operation`` is the mutation class or query field; ``info`` the
    GraphQL resolve info; ``permissions`` the operation's permission instances.
    """

    format_kwarg = None
    lookup_url_kwarg = None
    filter_backends: tuple[Any, ...] = ()
    settings = api_settings
    # As DRF's as_view() leaves them for a router's routes.
    name: str | None = None
    description: str | None = None
    paginator = None
    pagination_class = None

    def __init__(
        self,
        operation: Any,
        info: Any,
        request: Request,
        action: str,
        kwargs: dict[str, Any] | None = None,
        permissions: list[Any] | None = None,
    ) -> None:
        self.operation = operation
        self.info = info
        self.request = request
        self.action = action
        self.args: tuple[Any, ...] = ()
        self.kwargs = kwargs or {}
        self.permissions = permissions or []
        self.headers: dict[str, str] = {}  # its own, as a DRF view's after dispatch
        if request.parser_context is not None:  # as APIView.get_parser_context fills it
            request.parser_context.update(view=self, args=self.args, kwargs=self.kwargs)

    @property
    def detail(self) -> bool:
        return bool(self.kwargs)

    @property
    def suffix(self) -> str:
        return "Instance" if self.kwargs else "List"

    def get_view_name(self) -> str:
        """The GraphQL field's name (``createTask``): what the caller called."""
        field_name = getattr(self.info, "field_name", None)
        return str(field_name or getattr(self.operation, "__name__", type(self.operation).__name__))

    def get_view_description(self, html: bool = False) -> str:
        return ""

    def get_renderer_context(self) -> dict[str, Any]:
        return {"view": self, "args": self.args, "kwargs": self.kwargs, "request": self.request}

    @property
    def lookup_field(self) -> str:
        return next(iter(self.kwargs), "pk")

    @property
    def basename(self) -> str | None:
        """The model's name, lower case: a router's default basename."""
        operation = self.operation
        model = getattr(operation, "model", None) or getattr(
            getattr(operation, "_meta", None), "model", None
        )
        return model._meta.model_name if model is not None else None

    def get_queryset(self) -> Any:
        return self.operation.get_queryset(self.info)

    @property
    def queryset(self) -> Any:
        return self.get_queryset()

    def filter_queryset(self, queryset: Any) -> Any:
        return queryset

    def get_serializer_class(self) -> Any:
        get_serializer_class = getattr(self.operation, "get_serializer_class", None)
        if get_serializer_class is not None:  # a mutation's hook
            return get_serializer_class(self.info)
        return self.operation.serializer_class

    @property
    def serializer_class(self) -> Any:
        return self.get_serializer_class()

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        own_get_serializer = project_hook(self.operation, "get_serializer")
        if own_get_serializer is not None:  # as REST's view.get_serializer() is the override
            return own_get_serializer(self.info, *args, **kwargs)
        kwargs.setdefault("context", self.get_serializer_context())
        if getattr(self.operation, "many", False) and isinstance(kwargs.get("data"), list):
            # A bulk create's list, as a REST view taking lists (``many=True`` for list data,
            # DRF's documented pattern) gives it: a permission validating request.data early
            # gets the ListSerializer the operation itself validates with.
            kwargs.setdefault("many", True)
            return self.operation.get_serializer(self.info, *args, **kwargs)
        return self.get_serializer_class()(*args, **kwargs)

    def get_permissions(self) -> list[Any]:
        return self.permissions

    @property
    def permission_classes(self) -> list[type]:
        return [type(permission) for permission in self.permissions]

    @property
    def authentication_classes(self) -> list[type]:
        return [type(authenticator) for authenticator in self.request.authenticators]

    def get_object(self) -> Any:
        """``GenericAPIView.get_object``: the looked-up row of ``get_queryset()``, its object
        permissions checked; ``NOT_FOUND`` outside the queryset. A permission's
        ``has_permission`` may call it, as under REST."""
        from .queries import get_object  # queries builds on this module

        if not self.kwargs:
            raise exceptions.NotFound()  # an operation without a lookup names no object
        own_get_object = project_hook(self.operation, "get_object")
        if own_get_object is not None:  # as REST's view.get_object() is the override
            return own_get_object(self.info, next(iter(self.kwargs.values())))
        instance = get_object(self.get_queryset(), self.kwargs)
        check_object_permissions(self.permissions, self.request, self, instance)
        return instance

    def get_serializer_context(self) -> dict[str, Any]:
        own_context = project_hook(self.operation, "get_serializer_context")
        if own_context is not None:  # a mutation's override, which may add keys
            return own_context(self.info)
        return self.base_serializer_context()

    def base_serializer_context(self) -> dict[str, Any]:
        """``GenericAPIView.get_serializer_context``'s: ``request``, ``view``, ``format``,
        and the GraphQL ``info``."""
        return {"request": self.request, "view": self, "format": None, "info": self.info}

    def __repr__(self) -> str:
        return (
            f"<OperationView {getattr(self.operation, '__name__', self.operation)} {self.action}>"
        )


def project_hook(operation: Any, name: str) -> Any:
    """The operation's hook ``name`` (a mutation's classmethod) where the project overrides
    it, else None: the library's own hooks do what ``OperationView`` does itself."""
    if not isinstance(operation, type):
        return None
    owner = next((klass for klass in operation.__mro__ if name in vars(klass)), None)
    if owner is None or owner.__module__.startswith("drf_graphql_crud."):
        return None
    return getattr(operation, name)


def is_authenticated(request: Request) -> bool:
    """DRF's test in ``APIView.permission_denied``: did an authenticator accept the request?"""
    return request.successful_authenticator is not None


def permission_denied(
    request: Request, message: str | None = None, code: str | None = None
) -> None:
    """Raise what DRF's ``APIView.permission_denied`` raises: ``NotAuthenticated`` when an
    authenticator could have identified the caller and none did, else 403 with the
    permission's words (a view that authenticates no one refuses with 403, as REST does)."""
    if request.authenticators and not is_authenticated(request):
        raise exceptions.NotAuthenticated()
    raise exceptions.PermissionDenied(detail=message, code=code)


def check_permissions(
    permissions: Iterable[BasePermission], request: Request, view: OperationView
) -> None:
    for permission in permissions:
        if not permission.has_permission(request, view):
            permission_denied(
                request, getattr(permission, "message", None), getattr(permission, "code", None)
            )


def check_object_permissions(
    permissions: Iterable[BasePermission], request: Request, view: OperationView, obj: Any
) -> None:
    for permission in permissions:
        if not permission.has_object_permission(request, view, obj):
            permission_denied(
                request, getattr(permission, "message", None), getattr(permission, "code", None)
            )
