"""
``ViewSetCrud``: an existing DRF viewset, exposed as GraphQL queries and mutations.

A team with a ``ModelViewSet`` has already written ``get_queryset``, ``perform_create``,
filters, pagination and permissions once. ``ViewSetCrud`` reuses them as they are::

    task_crud = ViewSetCrud(TaskViewSet)        # name: the model's, lowerCamel ("task")

    class Query(task_crud.Query, graphene.ObjectType):
        pass

    class Mutation(task_crud.Mutation, graphene.ObjectType):
        pass

gives, for the actions the viewset supports (its methods, and ``http_method_names``)::

    task(id: ID!): <X>Output                                         # retrieve
    tasks(filter: <X>FilterInput, search: String, orderBy: [String!],
          limit: Int, offset: Int): <X>OutputList                    # list
    tasks(..., cursor: String): <X>OutputCursorPage                  # list, CursorPagination
    createTask(input: <X>Input!): {task: <X>Output}                  # create
    updateTask(id: ID!, input: <X>PartialInput!): {task: <X>Output}  # partial_update
    deleteTask(id: ID!): {deletedId: ID!}                            # destroy

Each operation instantiates the viewset as DRF's router does (``action_map``, ``action``,
``request``, ``args``, ``kwargs`` with the lookup under ``lookup_url_kwarg``,
``format_kwarg``) and runs the viewset's own code in the order its mixins do:
``check_permissions``, ``check_throttles``, ``get_queryset``, ``get_object`` (its lookup,
``filter_queryset`` and ``check_object_permissions``), ``get_serializer`` (per action
``get_serializer_class``, ``get_serializer_context``), ``perform_create`` /
``perform_update`` / ``perform_destroy``, ``filter_queryset`` and ``paginate_queryset``.

The request the viewset sees is a DRF ``Request`` for the GraphQL HTTP request, with the
caller's user and auth, the method of the equivalent REST call, a write's input as
``request.data`` (the REST call's body), and query parameters holding what the REST call
would send: the GraphQL ``filter``, ``search``, ``orderBy`` and paging arguments are
written back into a ``QueryDict`` under the filter
backends' and the paginator's own parameter names. The viewset's filter backends and
paginator then run exactly as under REST, so a list answers with REST's ``results`` and
``count`` for the same filters, ordering and page; under ``CursorPagination``, with
REST's ``results`` and the cursors of its ``next`` and ``previous`` links (no count).

Writes run in one ``transaction.atomic()`` block (``ATOMIC_MUTATIONS``); every failure is
one GraphQL error with the code REST's status stands for (see ``errors``).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import graphene
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.http import HttpRequest, QueryDict
from django.urls import ResolverMatch
from django.urls.converters import get_converters
from django.views import View
from graphene.utils.str_converters import to_camel_case
from rest_framework import exceptions, mixins, serializers
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import (
    CursorPagination,
    LimitOffsetPagination,
    PageNumberPagination,
)
from rest_framework.parsers import FileUploadParser
from rest_framework.request import Request
from rest_framework.versioning import HostNameVersioning
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet, ViewSetMixin

from .converter import Mode, convert_serializer_field, nullable
from .errors import (
    no_input_explains,
    resolver_error,
    response_data,
    response_error,
    unexplained_conflict,
)
from .execution import direct_resolver
from .fieldcache import prebuild_fields
from .filters import (
    check_filter_values,
    filter_input_name,
    filterset_for_fields,
    filterset_input_type,
    query_dict,
    raised_by_filters,
)
from .mutations import (
    clear_failure_of_other_operations,
    flag_failure,
    operation_transaction,
    rolled_back,
    rows_database,
    rows_transaction,
    to_serializer_data,
)
from .nested import guard_unreadable_fields, validate_with_nested_ids
from .permissions import (
    ACTION_METHODS,
    COUNTED_THROTTLES,
    carry_data,
    dataless_request,
    operation_request,
    reauthenticated,
    throttle_key,
)
from .queries import (
    PayloadReader,
    all_ordering_fields,
    check_ordering_length,
    check_search_terms,
    counted,
    cursor_page_type,
    list_output_type,
    lock_for_update,
    lock_found_row,
    not_found,
    read_savepoint,
    refuse_unrepresented,
    rest_ordering,
    search_refusal,
    selection_tree,
    unfilled_fields,
)
from .relay import (
    NoRow,
    deleted_id,
    names_no_row,
    node_interface,
    node_lookup,
    node_model,
    renders_its_own_key,
)
from .settings import crud_settings
from .types import (
    LazyDataclassMeta,
    checked_output_type,
    instantiate,
    lower_camel,
    registry,
    renders_rows,
    same_rows,
    serializer_type,
)

__all__ = ["ViewSetCrud", "viewset_cruds"]

#: Every ``ViewSetCrud``, for the system checks.
viewset_cruds: list[ViewSetCrud] = []

#: The routes DRF's ``SimpleRouter`` gives a viewset: HTTP method -> action.
LIST_ROUTE = {"get": "list", "post": "create"}
DETAIL_ROUTE = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}

#: The mixin whose method body ``ViewSetCrud`` runs for each action.
ACTION_MIXINS: dict[str, type] = {
    "list": mixins.ListModelMixin,
    "retrieve": mixins.RetrieveModelMixin,
    "create": mixins.CreateModelMixin,
    "update": mixins.UpdateModelMixin,
    "partial_update": mixins.UpdateModelMixin,
    "destroy": mixins.DestroyModelMixin,
}

#: What an HTTP request to the viewset runs around ``initial()`` and the action, and a
#: GraphQL call does not (check ``W005``).
REQUEST_CYCLE_METHODS = ("dispatch", "initialize_request", "handle_exception", "finalize_response")

#: Versioning schemes that read what a GraphQL call carries as a REST call does: the host
#: (see ``ViewSetCrud.determine_version``).
_VERSIONS_A_CALL_NAMES = (HostNameVersioning,)

#: The ``perform_*`` hook each write action calls, as the mixins call it.
PERFORM_HOOKS = {
    "create": "perform_create",
    "update": "perform_update",
    "partial_update": "perform_update",
    "destroy": "perform_destroy",
}


#: URL kwargs types handed over as their path converter gives them, not as text.
_CONVERTED_URL_KWARGS = (graphene.Int, graphene.UUID)
_NO_METHOD = object()


def _converted(name: str, text: str, pattern: bool = True) -> Any:
    """``text`` as the path converter ``name`` hands it to the view (``<int:pk>``: an int),
    or REST's 404 where the converter's pattern does not match it (no route would), unless
    ``pattern`` is off, or where the converter cannot read it."""
    try:
        converter = get_converters()[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"lookup_value_converter {name!r} is no registered path converter."
        ) from None
    if pattern and not re.fullmatch(converter.regex, text):
        raise exceptions.NotFound()
    try:
        return converter.to_python(text)
    except ValueError:  # as Django's resolver: the route does not match
        raise exceptions.NotFound() from None


class ViewSetCrud:
    """Queries (``.Query``) and mutations (``.Mutation``) that run a DRF viewset's own code.

    ``name`` (default: the model's name, lowerCamel) names the fields: ``<name>``,
    ``<name>s``, ``create<Name>``, ``update<Name>``, ``delete<Name>``. ``.Query`` and
    ``.Mutation`` are plain classes holding graphene fields: mix them into
    ``graphene.ObjectType`` subclasses, together with other fields and other cruds.
    ``output_type`` (a ``SerializerObjectType`` of the serializer the viewset reads and
    answers with) types the objects instead of the generated type; when it is a Relay node,
    the ``id`` arguments take its global IDs and ``deleteX`` answers with one. ``basename``
    is the one the viewset is registered with on its router (default: the model's name, as
    the router's own default), for ``reverse_action()`` and what reads ``self.basename``;
    ``namespace`` the URL namespace its router is included under (``include((router.urls,
    "api"))``), which REST's calls carry in ``request.resolver_match`` for
    ``reverse_action()``, ``get_extra_action_url_map()`` and ``NamespaceVersioning``.
    ``version`` is the API version GraphQL calls run as, and the types are built for, where
    the viewset's scheme reads it from what a REST call carries and a GraphQL call does not
    (URL, query string, ``Accept`` header; default: the scheme's ``default_version``):
    needed for links when the scheme has no default. ``url_kwargs`` names the URL kwargs a
    viewset routed under a parent reads besides its lookup (``projects/<project_pk>/tasks/``,
    drf-nested-routers' way): a name list (each an ``ID``) or a dict of names and graphene
    scalar types. Each operation takes them as required arguments (``projectPk: ID!``) and
    the viewset finds them in ``self.kwargs``, as text, as the router hands them over (an
    ``Int`` or a ``UUID`` as its path converter does).
    """

    def __init__(
        self,
        viewset_class: type,
        name: str | None = None,
        output_type: type | None = None,
        basename: str | None = None,
        namespace: str | None = None,
        version: str | None = None,
        url_kwargs: Sequence[str] | Mapping[str, Any] | None = None,
    ) -> None:
        if not (
            isinstance(viewset_class, type)
            and issubclass(viewset_class, ViewSetMixin)
            and issubclass(viewset_class, GenericAPIView)
        ):
            raise ImproperlyConfigured(
                f"ViewSetCrud needs a DRF GenericViewSet or ModelViewSet class, not "
                f"{viewset_class!r}: it runs the viewset's get_queryset(), get_serializer() "
                "and get_object()."
            )
        self.viewset_class = viewset_class
        self.basename = basename  # until the model is known, if not given
        self.namespace = namespace
        self.version = version
        scheme = viewset_class.versioning_class
        if version is not None and (
            scheme is None or (scheme.allowed_versions and version not in scheme.allowed_versions)
        ):
            allowed = getattr(scheme, "allowed_versions", None)
            raise ImproperlyConfigured(
                f"ViewSetCrud({viewset_class.__name__}, version={version!r}): "
                + (
                    "the viewset has no versioning_class."
                    if scheme is None
                    else f"not one of its versioning_class's allowed_versions {allowed!r}."
                )
            )
        self.model = self._find_model()
        if name is None:
            if self.model is None:
                raise ImproperlyConfigured(
                    f"ViewSetCrud({viewset_class.__name__}) cannot tell the model: give the "
                    "viewset a queryset or a ModelSerializer, or pass name=."
                )
            name = lower_camel(self.model._meta.object_name)
        self.name = name
        self.type_name = name[:1].upper() + name[1:]
        if self.basename is None:
            self.basename = self.model._meta.object_name.lower() if self.model else name.lower()
        self.actions = [action for action in ACTION_METHODS if self._supports(action)]
        self._check_has_rows()
        self.update_action = next(
            (action for action in ("partial_update", "update") if action in self.actions), None
        )
        self.lookup_field: str = viewset_class.lookup_field
        self.lookup_url_kwarg: str = viewset_class.lookup_url_kwarg or self.lookup_field
        self.lookup_arg_name = "id" if self.lookup_field in ("pk", "id") else self.lookup_field
        self.url_kwargs = self._checked_url_kwargs(url_kwargs)
        self.own_authentication = declares_authentication(viewset_class)
        self.own_initial = viewset_class.initial is not APIView.initial
        self.lookup_value_regex: str | None = getattr(viewset_class, "lookup_value_regex", None)
        #: A path-converter router's (``SimpleRouter(use_regex_path=False)``) converter name.
        self.lookup_value_converter: str | None = getattr(
            viewset_class, "lookup_value_converter", None
        )
        self.output_type = output_type
        if output_type is not None:
            self._check_output_model(output_type)

        # What the list arguments become in the query string (filled by _list_arguments).
        self.filterset_class: type | None = None
        self.search_param: str | None = None
        self.search_backend_class: type[SearchFilter] | None = None
        #: Whether the search backend runs before the filter set's (filter_backends' order):
        #: a list given a bad value of each answers the first one's error, as REST does.
        self.search_before_filters = False
        self.ordering_param: str | None = None
        self.ordering_backend: type[OrderingFilter] | None = None
        #: The ordering fields known before a request (explicit, or the model's columns).
        self.ordering_names: tuple[str, ...] = ()
        self.page_params: dict[str, str] = {}

        self.Query = type(f"{self.type_name}CrudQuery", (), self._query_fields())
        self.Mutation = type(f"{self.type_name}CrudMutation", (), self._mutation_fields())
        self.Query.__doc__ = f"The read operations of {viewset_class.__name__}."
        self.Mutation.__doc__ = f"The write operations of {viewset_class.__name__}."
        viewset_cruds.append(self)

    def __repr__(self) -> str:
        return f"<ViewSetCrud {self.viewset_class.__name__} as {self.name!r}>"

    # ------------------------------------------------------------------ the viewset, statically

    def _find_model(self) -> type[models.Model] | None:
        """The model of ``queryset``, else of the serializer the viewset reads with.

        A viewset with only ``get_queryset()`` and ``get_serializer_class()`` is told by the
        serializer its list (or retrieve) action gets, as DRF's router tells its basename
        only from ``queryset`` but its filter backends read the model at request time.
        """
        queryset = getattr(self.viewset_class, "queryset", None)
        if isinstance(queryset, models.QuerySet | models.Manager):
            return queryset.model
        if queryset is not None:
            hint = "; did you mean to call it?" if callable(queryset) else ""
            raise ImproperlyConfigured(
                f"ViewSetCrud({self.viewset_class.__name__}): its queryset is {queryset!r}, "
                f"not a QuerySet or a Manager{hint}"
            )
        serializer_classes = [getattr(self.viewset_class, "serializer_class", None)]
        for action in ("list", "retrieve"):
            if callable(getattr(self.viewset_class, action, None)):
                try:
                    serializer_classes.append(self.static_view(action).get_serializer_class())
                except Exception:  # it needs a real request
                    continue
        for serializer_class in serializer_classes:
            model = getattr(getattr(serializer_class, "Meta", None), "model", None)
            if model is not None:
                return model
        return None

    def _check_has_rows(self) -> None:
        """Refuse a viewset with neither ``queryset`` nor ``get_queryset()`` whose actions
        read rows: each of its lists, reads, updates and deletes would fail on
        ``GenericAPIView.get_queryset``'s assertion (REST's 500), where DRF's router
        refuses it when it is registered without a ``basename``. One setting
        ``self.queryset`` as it is made or called (its own ``__init__``, ``setup()`` or
        ``initial()``) has rows then."""
        viewset = self.viewset_class
        if viewset.queryset is not None or viewset.get_queryset is not GenericAPIView.get_queryset:
            return
        if (
            viewset.__init__ is not View.__init__
            or viewset.setup is not View.setup
            or viewset.initial is not APIView.initial
        ):
            return  # it may set self.queryset per call, as its REST view does
        # A list always reads them; another action through the mixin's get_object(), unless
        # the viewset's own action method or get_object() may find rows its own way.
        own = set(self.overridden_actions()) - {"list"}
        stock_lookup = viewset.get_object is GenericAPIView.get_object
        reading = [
            action
            for action in self.actions
            if action == "list" or (action != "create" and stock_lookup and action not in own)
        ]
        if reading:
            raise ImproperlyConfigured(
                f"ViewSetCrud({viewset.__name__}): the viewset has no queryset and no "
                f"get_queryset(), which its {', '.join(reading)} actions read rows from. "
                "Give it a queryset, or a get_queryset()."
            )

    def _checked_url_kwargs(self, given: Any) -> dict[str, Any]:
        """``url_kwargs`` as names and graphene types, refused where no URL could hold them."""
        owner = f"ViewSetCrud({self.viewset_class.__name__})"
        if given is None:
            return {}
        if isinstance(given, str) or not isinstance(given, Sequence | Mapping):
            raise ImproperlyConfigured(
                f"{owner}: url_kwargs takes a list of names, or a dict of names and graphene "
                f"types, not {given!r}."
            )
        pairs = given.items() if isinstance(given, Mapping) else ((name, None) for name in given)
        checked: dict[str, Any] = {}
        for name, type_ in pairs:
            if not (isinstance(name, str) and name.isidentifier() and not name.startswith("_")):
                raise ImproperlyConfigured(
                    f"{owner}: url_kwargs {name!r} is no name an argument can have."
                )
            if name == self.lookup_url_kwarg:
                raise ImproperlyConfigured(
                    f"{owner}: url_kwargs {name!r} is the viewset's lookup (lookup_url_kwarg), "
                    "which the detail operations take already."
                )
            type_ = graphene.ID if type_ is None else type_
            if not (isinstance(type_, type) and issubclass(type_, graphene.Scalar)):
                raise ImproperlyConfigured(
                    f"{owner}: url_kwargs {name!r} needs a graphene scalar type (graphene.ID, "
                    f"graphene.Int, graphene.String, ...), not {type_!r}."
                )
            twin = next(
                (other for other in checked if to_camel_case(other) == to_camel_case(name)), None
            )
            if twin is not None:
                raise ImproperlyConfigured(
                    f"{owner}: url_kwargs {twin!r} and {name!r} are both the GraphQL argument "
                    f"{to_camel_case(name)!r}."
                )
            checked[name] = type_
        return checked

    def _with_url_arguments(
        self, arguments: dict[str, graphene.Argument], field_name: str
    ) -> dict[str, graphene.Argument]:
        """``url_kwargs`` as required arguments first, then the operation's own; a name
        that is another's in GraphQL (``pageSize`` and ``page_size``, camelCased alike)
        would lose one of them."""
        graphql_names = {to_camel_case(name) for name in arguments}
        clash = sorted(name for name in self.url_kwargs if to_camel_case(name) in graphql_names)
        if clash:
            raise ImproperlyConfigured(
                f"ViewSetCrud({self.viewset_class.__name__}): url_kwargs {clash[0]!r} is also "
                f"an argument of {field_name}; give the URL kwarg another name in url_kwargs "
                "and in the viewset."
            )
        url_arguments = {
            name: graphene.Argument(
                graphene.NonNull(type_), description=f"`{name}`, as in the REST URL."
            )
            for name, type_ in self.url_kwargs.items()
        }
        return {**url_arguments, **arguments}

    def url_kwarg_values(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The ``url_kwargs`` arguments as the URL hands them over: text, as a router's
        regex or Django's ``str`` converter gives it; a kwarg declared ``graphene.Int`` or
        ``graphene.UUID`` as its ``int``/``uuid`` converter gives it (a number, a UUID).
        A value no route matches is REST's 404 before any of the viewset's code runs: an
        empty one, or one holding a ``/`` (no converter or router pattern takes one)."""
        values: dict[str, Any] = {}
        for name, type_ in self.url_kwargs.items():
            value = to_serializer_data(kwargs[name])
            text = str(value)
            if not text or "/" in text or (type_ is graphene.Int and value < 0):
                raise exceptions.NotFound()  # `<int:>` takes digits only
            values[name] = value if type_ in _CONVERTED_URL_KWARGS else text
        return values

    def _supports(self, action: str) -> bool:
        """Routed by DRF's router (the method exists) and allowed by ``http_method_names``."""
        return (
            callable(getattr(self.viewset_class, action, None))
            and ACTION_METHODS[action].lower() in self.viewset_class.http_method_names
        )

    def overridden_actions(self) -> list[str]:
        """Supported actions whose method is not the mixin's.

        ``ViewSetCrud`` calls the viewset's own ``create()``, ``update()``,
        ``partial_update()``, ``destroy()`` and ``retrieve()``, as REST's dispatch does
        (``call_action``); an own ``list()`` it does not call (system check ``W002``): it runs
        the mixin's steps with the viewset's hooks, as a list's arguments and page shape
        are the library's.
        """
        actions = list(self.actions)
        if "partial_update" in actions and "update" not in actions:
            actions.append("update")  # DRF's partial_update() runs the viewset's update()
        return [
            action
            for action in actions
            if getattr(self.viewset_class, action)
            is not getattr(ACTION_MIXINS[action], action, None)
        ]

    def overridden_request_methods(self) -> list[str]:
        """The viewset's own versions of the request cycle around the actions (system check
        ``W005``): GraphQL requests go through the endpoint, and ``ViewSetCrud`` runs the
        viewset from ``initial()`` on, so these are never called."""
        return [
            name
            for name in REQUEST_CYCLE_METHODS
            if getattr(self.viewset_class, name) is not getattr(GenericViewSet, name)
        ]

    def static_view(self, action: str) -> Any:
        """The viewset for ``action`` before any caller: what the schema is built from.

        Its request is a stand-in with the action's HTTP method, an anonymous user and the
        viewset's default API version, so a ``get_serializer_class()`` that reads
        ``self.request.method`` (a read serializer for safe methods, DRF's common idiom) or
        ``self.request.version`` gives the serializer REST uses for the action.
        """
        view = self.viewset_class(**self._initkwargs(action))
        view.action = action
        view.request = stand_in_request(ACTION_METHODS[action])
        if self.namespace is not None:
            view.request.resolver_match = in_namespace(None, self.namespace)
        view.args = ()
        view.kwargs = {}
        view.format_kwarg = None
        # The version a call with no version asked for gets (the scheme's default), as
        # every call's initial() determines it: the types are that version's.
        version = self.determine_version(view, building=True)
        view.request.version, view.request.versioning_scheme = version
        return view

    def determine_version(
        self, view: Any, determine: Callable[..., Any] | None = None, building: bool = False
    ) -> tuple[Any, Any]:
        """``view.determine_version()`` (or ``determine``), or the scheme's default where it
        cannot tell; ``version=`` where it is given.

        A GraphQL call carries none of what most schemes read: no URL kwarg or namespace
        (``URLPathVersioning``, ``NamespaceVersioning``, a project's own scheme reading the
        URL), no query parameter of its own, no negotiated media type
        (``AcceptHeaderVersioning``). Where such a scheme refuses (``allowed_versions``
        without a ``default_version``: REST's 404), the call runs as the version the schema
        was built for, never as an error every call would get. ``HostNameVersioning`` reads
        the host, which is the call's own, and refuses as under REST; ``building`` the
        schema, with no caller, every scheme gets its default.
        """
        scheme = view.versioning_class
        reads_the_call = isinstance(scheme, type) and issubclass(scheme, _VERSIONS_A_CALL_NAMES)
        if self.version is not None and scheme is not None and (building or not reads_the_call):
            return self.version, scheme()
        try:
            return (determine or view.determine_version)(view.request, *view.args, **view.kwargs)
        except Exception:
            if not building and reads_the_call:
                raise
            return (None, None) if scheme is None else (scheme.default_version, scheme())

    def updates_partially(self) -> bool:
        """Whether ``update<Name>`` validates as a partial update, so its input is partial.

        PATCH's always; PUT's where the viewset's ``get_serializer()`` makes the serializer
        partial itself (a PUT-only API taking partial bodies), as REST would validate it.
        """
        if self.update_action == "partial_update":
            return True
        if self.update_action is None or (
            self.viewset_class.get_serializer is GenericAPIView.get_serializer
        ):
            return False
        view = self.static_view(self.update_action)
        try:
            return bool(view.get_serializer(data={}, partial=False).partial)
        except Exception:  # it needs a real request: the full input, as before
            return False

    def serializer_class_for(self, action: str) -> type[serializers.BaseSerializer]:
        """``get_serializer_class()`` for ``action``; ``serializer_class`` if it needs a request."""
        view = self.static_view(action)
        try:
            serializer_class = view.get_serializer_class()
        except Exception:
            serializer_class = getattr(self.viewset_class, "serializer_class", None)
        if serializer_class is None:
            name = self.viewset_class.__name__
            if self.viewset_class.get_serializer_class is GenericAPIView.get_serializer_class:
                raise ImproperlyConfigured(
                    f"{name} has no serializer_class to build the GraphQL types of action "
                    f"{action!r} from: declare one, or a get_serializer_class()."
                )
            raise ImproperlyConfigured(
                f"{name}.get_serializer_class() for action {action!r} needs a request, and "
                "the viewset has no serializer_class to build the GraphQL types from."
            )
        return serializer_class

    def _initkwargs(self, action: str) -> dict[str, Any]:
        detail = action in DETAIL_ROUTE.values()
        return {
            "basename": self.basename,
            "detail": detail,
            "suffix": "Instance" if detail else "List",
            # DRF's as_view() sets both to None on the class; a router passes them only
            # for extra actions. Given here, a viewset never routed in REST has them too.
            "name": None,
            "description": None,
        }

    def _action_map(self, action: str) -> dict[str, str]:
        route = DETAIL_ROUTE if action in DETAIL_ROUTE.values() else LIST_ROUTE
        return {method: name for method, name in route.items() if hasattr(self.viewset_class, name)}

    # ------------------------------------------------------------------ schema

    def _lookup_argument(self, action: str) -> graphene.Argument:
        lookup_type: Any = graphene.ID
        if self.lookup_arg_name != "id":
            lookup_type = self._lookup_type(action)
        return graphene.Argument(
            graphene.NonNull(lookup_type),
            description=f"The `{self.lookup_field}` of the object, as in the REST URL.",
        )

    def read_serializer(self, view: Any) -> type[serializers.BaseSerializer] | None:
        """The serializer whose ``id`` this caller's reads show (the viewset's retrieve's,
        else its list's), which a delete's ``deletedId`` renders the key as: asked of the
        operation's view, with the caller's request, as that read would ask it; as the
        schema's types are built where it needs more; None where the viewset has no read,
        which shows no ``id``."""
        for action in ("retrieve", "list"):
            if action not in self.actions:
                continue
            # The read's action and method (a get_serializer_class() may pick by either:
            # a read serializer for safe methods), on the operation's own request copy.
            request = view.request
            own = view.action, request.__dict__.get("method", _NO_METHOD)
            view.action, request.method = action, "GET"
            try:
                return view.get_serializer_class()
            except Exception:  # noqa: BLE001 - it needs more than a delete's view holds
                try:
                    return self.serializer_class_for(action)
                except Exception:  # noqa: BLE001 - none to tell: the key as it is
                    return None
            finally:
                view.action = own[0]
                if own[1] is _NO_METHOD:
                    request.__dict__.pop("method", None)
                else:
                    request.method = own[1]
        return None

    def _lookup_type(self, action: str) -> Any:
        """The lookup field's type in the serializer of ``action``, else ``String``.

        A destroy reads no serializer, and a per-action map of serializers often names none
        for it: its lookup is typed from the serializer of another detail action.
        """
        candidates = [action, *(other for other in ("retrieve", "update") if other != action)]
        for candidate in candidates:
            try:
                serializer_class = self.serializer_class_for(candidate)
            except ImproperlyConfigured:
                if action != "destroy":
                    raise
                continue
            field = instantiate(serializer_class).fields.get(self.lookup_field)
            # Without a rule's NonNull: the lookup argument is made NonNull itself.
            converted = nullable(convert_serializer_field(field, Mode.INPUT)) if field else None
            if converted is None or isinstance(converted, graphene.List):
                return graphene.String
            return converted
        return graphene.String

    def _query_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        viewset = self.viewset_class.__name__
        if "retrieve" in self.actions:
            output = self._output_type("retrieve")
            fields[self.name] = graphene.Field(
                output,
                args=self._with_url_arguments(
                    {self.lookup_arg_name: self._lookup_argument("retrieve")}, self.name
                ),
                resolver=self.resolve_retrieve,
                description=f"One object, as `{viewset}.retrieve` (GET) returns it.",
            )
        if "list" in self.actions:
            output = self._output_type("list")
            arguments = self._list_arguments()
            # A cursor paginator answers REST's {next, previous, results}, without a count.
            page_type = cursor_page_type if "cursor" in self.page_params else list_output_type
            fields[f"{self.name}s"] = graphene.Field(
                page_type(output),
                args=self._with_url_arguments(arguments, f"{self.name}s"),
                resolver=self.resolve_list,
                description=f"One page of objects, as `{viewset}.list` (GET) returns it.",
            )
        return fields

    def _list_arguments(self) -> dict[str, graphene.Argument]:
        """Typed arguments for the viewset's filter backends and paginator."""
        view = self.static_view("list")
        arguments: dict[str, graphene.Argument] = {}
        django_filter_backend = _django_filter_backend()
        for backend_class in view.filter_backends:
            if django_filter_backend is not None and issubclass(
                backend_class, django_filter_backend
            ):
                if self.filterset_class is None:
                    self._add_filter_argument(backend_class(), view, arguments)
            elif issubclass(backend_class, SearchFilter) and self.search_param is None:
                backend = backend_class()
                # A backend choosing the fields per request (DRF's documented override)
                # takes `?search=` from every caller, as under REST: so does the argument.
                chooses = type(backend).get_search_fields is not SearchFilter.get_search_fields
                try:
                    search_fields = backend.get_search_fields(view, view.request)
                except Exception:  # an override reading more than the stand-in request has
                    search_fields = getattr(view, "search_fields", None)
                if search_fields or chooses:
                    self.search_param = backend.search_param
                    self.search_backend_class = backend_class
                    self.search_before_filters = self.filterset_class is None
                    arguments["search"] = graphene.Argument(
                        graphene.String,
                        description=f"Search terms, as REST's `?{backend.search_param}=`.",
                    )
            elif issubclass(backend_class, OrderingFilter) and self.ordering_param is None:
                backend = backend_class()
                ordering_fields = getattr(view, "ordering_fields", backend.ordering_fields)
                # Unset, DRF lets clients order by the serializer's readable fields; only an
                # empty ``ordering_fields`` allows nothing.
                if ordering_fields is None or ordering_fields:
                    self.ordering_param = backend.ordering_param
                    self.ordering_backend = backend_class
                    # Known before a request where DRF's own get_valid_fields decides
                    # (a subclass may accept other names: "dueDate" for "due_date").
                    drf_names = backend_class.get_valid_fields is OrderingFilter.get_valid_fields
                    if ordering_fields is None:
                        allowed = "any readable field of the serializer"
                    elif ordering_fields == "__all__":
                        allowed = "any model field"
                        if drf_names:
                            rows = getattr(view, "queryset", None)  # the class-level one
                            if isinstance(rows, models.QuerySet):
                                self.ordering_names = all_ordering_fields(rows.model, rows)
                    else:
                        names = tuple(
                            field if isinstance(field, str) else field[0]
                            for field in ordering_fields
                        )
                        if drf_names:
                            self.ordering_names = names
                        allowed = ", ".join(f"`{name}`" for name in names)
                    arguments["order_by"] = graphene.Argument(
                        graphene.List(graphene.NonNull(graphene.String)),
                        description=f"Fields to order by, `-` first for descending ({allowed}); "
                        f"as REST's `?{backend.ordering_param}=`, camelCase accepted too.",
                    )
        pagination_class = view.pagination_class
        if pagination_class is not None and issubclass(pagination_class, LimitOffsetPagination):
            paginator = pagination_class()
            self.page_params = {
                "limit": paginator.limit_query_param,
                "offset": paginator.offset_query_param,
            }
            arguments["limit"] = graphene.Argument(graphene.Int, description="Page size.")
            arguments["offset"] = graphene.Argument(graphene.Int, description="Rows to skip.")
        elif pagination_class is not None and issubclass(pagination_class, PageNumberPagination):
            paginator = pagination_class()
            self.page_params = {"page": paginator.page_query_param}
            arguments["page"] = graphene.Argument(graphene.Int, description="Page number, from 1.")
            if paginator.page_size_query_param:
                self.page_params["page_size"] = paginator.page_size_query_param
                arguments["page_size"] = graphene.Argument(graphene.Int, description="Page size.")
        elif pagination_class is not None and issubclass(pagination_class, CursorPagination):
            # The cursor is REST's opaque ``?cursor=``, taken from a previous answer's
            # ``nextCursor`` / ``previousCursor``; as REST's links keep the rest of the query
            # string, the client sends the same filter, search and orderBy with it.
            paginator = pagination_class()
            self.page_params = {"cursor": paginator.cursor_query_param}
            arguments["cursor"] = graphene.Argument(
                graphene.String,
                description="`nextCursor` or `previousCursor` of the page before, with the "
                f"same other arguments; as REST's `?{paginator.cursor_query_param}=`. "
                "Unset: the first page.",
            )
            if paginator.page_size_query_param:
                self.page_params["page_size"] = paginator.page_size_query_param
                arguments["page_size"] = graphene.Argument(graphene.Int, description="Page size.")
        return arguments

    def _add_filter_argument(
        self, backend: Any, view: Any, arguments: dict[str, graphene.Argument]
    ) -> None:
        """``filter: <X>FilterInput`` from the filter set the backend will use at request time.

        A declared ``filterset_class`` is named as ``ListField`` names it (``TaskFilter`` ->
        ``TaskFilterInput``). For ``filterset_fields`` django-filter's backend builds an
        ``AutoFilterSet`` per request; its filters are those of the library's shared filter
        set for the same model and fields (``<Model>By<Fields>FilterInput``), so that type is
        used, unless the backend builds filter sets its own way.
        """
        queryset = getattr(self.viewset_class, "queryset", None)
        if queryset is None and self.model is not None:
            queryset = self.model._default_manager.all()
        declared = getattr(view, "filterset_class", None)
        viewset = f"ViewSetCrud({self.viewset_class.__name__})"
        standard = type(backend).get_filterset_class is _django_filter_backend().get_filterset_class
        if declared is not None and standard:
            from django_filters.filterset import BaseFilterSet

            if not (isinstance(declared, type) and issubclass(declared, BaseFilterSet)):
                raise ImproperlyConfigured(
                    f"{viewset}: filterset_class is {declared!r}, not a django-filter "
                    "FilterSet class."
                )
        declared_model = getattr(getattr(declared, "_meta", None), "model", None)
        if (
            isinstance(declared_model, type)
            and queryset is not None
            and not issubclass(queryset.model, declared_model)
            and standard
        ):
            if _own_get_queryset(view) and renders_rows(queryset.model, declared_model):
                # get_queryset() lists a proxy's or a child's rows, which it filters.
                queryset = declared_model._default_manager.all()
            else:
                # django-filter's own rule, which it asserts with a message naming neither.
                raise ImproperlyConfigured(
                    f"{viewset}: its filterset_class {declared.__name__} filters "
                    f"{declared_model._meta.label}, but the viewset lists "
                    f"{queryset.model._meta.label}; use a filter set for that model or a "
                    "parent of it."
                )
        try:
            filterset_class = backend.get_filterset_class(view, queryset)
            if filterset_class is None:
                return
            name = None
            if getattr(view, "filterset_class", None):
                name = filter_input_name(filterset_class)
            elif _builds_standard_filtersets(type(backend)) and queryset is not None:
                filterset_class = filterset_for_fields(queryset.model, view.filterset_fields)
                name = filter_input_name(filterset_class)
        except ImproperlyConfigured:
            raise
        except Exception as exc:  # django-filter's TypeError, FieldLookupError, ...
            fields = getattr(view, "filterset_fields", None)
            raise ImproperlyConfigured(
                f"{viewset}: its filter set cannot be built"
                + (f" from filterset_fields {fields!r}" if fields and not declared else "")
                + f" ({type(exc).__name__}: {exc})"
            ) from exc
        self.filterset_class = filterset_class
        arguments["filter"] = graphene.Argument(
            filterset_input_type(filterset_class, name or f"{self.type_name}FilterInput"),
            description="Filters, as REST's query parameters of the same names.",
        )

    def _mutation_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        viewset = self.viewset_class.__name__
        if "create" in self.actions:
            serializer_class = self.serializer_class_for("create")
            fields[f"create{self.type_name}"] = graphene.Field(
                self._payload("Create", "create"),
                args=self._with_url_arguments(
                    {
                        "input": graphene.Argument(
                            graphene.NonNull(serializer_type(serializer_class, Mode.INPUT))
                        )
                    },
                    f"create{self.type_name}",
                ),
                resolver=self._mutation_resolver("create"),
                description=f"`{viewset}.create` (POST).",
            )
        if self.update_action is not None:
            if self.lookup_arg_name == "input":
                raise ImproperlyConfigured(
                    f"ViewSetCrud({viewset}): its lookup_field 'input' would name the lookup "
                    f"argument of update{self.type_name}, which its input argument takes: "
                    "no row could be named. Give the viewset another lookup_field (or "
                    "lookup_url_kwarg)."
                )
            serializer_class = self.serializer_class_for(self.update_action)
            mode = Mode.PARTIAL_INPUT if self.updates_partially() else Mode.INPUT
            method = ACTION_METHODS[self.update_action]
            fields[f"update{self.type_name}"] = graphene.Field(
                self._payload("Update", self.update_action),
                args=self._with_url_arguments(
                    {
                        self.lookup_arg_name: self._lookup_argument(self.update_action),
                        "input": graphene.Argument(
                            graphene.NonNull(serializer_type(serializer_class, mode))
                        ),
                    },
                    f"update{self.type_name}",
                ),
                resolver=self._mutation_resolver(self.update_action),
                description=f"`{viewset}.{self.update_action}` ({method}).",
            )
        if "destroy" in self.actions:
            payload = self._claim(
                LazyDataclassMeta(
                    f"Delete{self.type_name}Payload",
                    (graphene.ObjectType,),
                    {
                        "__module__": __name__,
                        "deleted_id": graphene.Field(graphene.NonNull(graphene.ID)),
                    },
                )
            )
            fields[f"delete{self.type_name}"] = graphene.Field(
                payload,
                args=self._with_url_arguments(
                    {self.lookup_arg_name: self._lookup_argument("destroy")},
                    f"delete{self.type_name}",
                ),
                resolver=self._mutation_resolver("destroy"),
                description=f"`{viewset}.destroy` (DELETE).",
            )
        return fields

    def _check_output_model(self, output_type: Any) -> None:
        """Every action's objects, destroy's included, are rows of the viewset's model."""
        checked_output_type(f"ViewSetCrud({self.viewset_class.__name__})", None, output_type)
        type_model = node_model(output_type)
        if self.model is None:
            raise ImproperlyConfigured(
                f"ViewSetCrud({self.viewset_class.__name__}): output_type needs the viewset's "
                "model to check its rows against: give the viewset a queryset, or a "
                "serializer_class with Meta.model."
            )
        if type_model is None and node_interface(output_type) is not None:
            # As DeleteMutation: the node's global IDs are decoded into the viewset's rows,
            # so the node must say whose rows it shows.
            raise ImproperlyConfigured(
                f"ViewSetCrud({self.viewset_class.__name__}): output_type "
                f"{output_type.__name__} is a Relay node whose model cannot be told; give it "
                "Meta.queryset, or a serializer with Meta.model."
            )
        if type_model is not None and not same_rows(type_model, self.model):
            raise ImproperlyConfigured(
                f"ViewSetCrud({self.viewset_class.__name__}): output_type "
                f"{output_type.__name__} shows {type_model.__name__} rows; the viewset's are "
                f"{self.model.__name__} rows."
            )

    def _output_type(self, action: str) -> type:
        """The type of the objects ``action``'s serializer renders: ``output_type`` if
        given (it must be built from that serializer), else the generated one."""
        serializer_class = self.serializer_class_for(action)
        if self.output_type is None:
            return serializer_type(serializer_class, Mode.OUTPUT)
        owner = f"ViewSetCrud({self.viewset_class.__name__}), action {action!r}"
        return checked_output_type(owner, serializer_class, self.output_type)

    def _payload(self, verb: str, action: str) -> type[graphene.ObjectType]:
        """``{<name>: <X>Output}``: what the action's serializer renders, as REST answers."""
        return self._claim(
            LazyDataclassMeta(
                f"{verb}{self.type_name}Payload",
                (graphene.ObjectType,),
                {
                    "__module__": __name__,
                    self.name: graphene.Field(self._output_type(action)),
                },
            )
        )

    def _claim(self, payload: type[graphene.ObjectType]) -> type[graphene.ObjectType]:
        """Record the payload's name: a clash with another is check E003, not a schema error."""
        registry.claim(payload._meta.name, (self.viewset_class, "payload"), payload)
        return payload

    def _mutation_resolver(self, action: str) -> Callable[..., Any]:
        @direct_resolver
        def resolve(root: Any, info: Any, **kwargs: Any) -> Any:
            return self.mutate(action, info, kwargs)

        resolve.__name__ = f"resolve_{action}"
        return resolve

    # ------------------------------------------------------------------ the viewset, per call

    def get_view(
        self,
        info: Any,
        action: str,
        lookup_value: Any = None,
        query: Any = None,
        url_kwargs: dict[str, str] | None = None,
    ) -> Any:
        """The viewset as DRF's router would dispatch ``action`` to it, with its request
        (``url_kwargs``: the values of the URL kwargs besides the lookup)."""
        view = self.viewset_class(**self._initkwargs(action))
        view.action_map = self._action_map(action)
        if "get" in view.action_map and "head" not in view.action_map:
            view.action_map["head"] = view.action_map["get"]
        for method, handler in view.action_map.items():
            setattr(view, method, getattr(view, handler))
        view.request = self.get_request(info, ACTION_METHODS[action], query)
        if self.own_authentication:
            # As under REST, where this viewset alone decides how callers authenticate.
            view.request = reauthenticated(view.request, view.get_authenticators())
        if self.namespace is not None:  # the view's own request (get_request copies it)
            view.request.resolver_match = in_namespace(
                view.request._request.resolver_match, self.namespace
            )
        view.args = ()
        view.kwargs = dict(url_kwargs or {})
        if action in DETAIL_ROUTE.values():
            view.kwargs[self.lookup_url_kwarg] = lookup_value
        view.format_kwarg = None
        view.headers = view.default_response_headers  # as DRF's dispatch sets them
        view.action = action
        view.request.parser_context.update(view.get_parser_context(view.request._request))
        # A body of its own, an empty one until a write carries its input: what a REST call
        # without one gets (request.POST included, where a form posted the document).
        carry_data(view.request, {})
        context_of = view.get_serializer_context

        def get_serializer_context() -> dict[str, Any]:
            # The viewset's own context, plus ``info`` as every serializer of the library gets.
            return {**context_of(), "info": info}

        view.get_serializer_context = get_serializer_context
        return view

    def get_request(self, info: Any, method: str, query: QueryDict | None = None) -> Request:
        """The caller's DRF request as the REST call would arrive: method and query (a write
        adds its body, ``carry_data``)."""
        return operation_request(info.context, method, query or QueryDict(mutable=True))

    def url_value(self, kwargs: dict[str, Any], info: Any = None) -> Any:
        """The lookup argument as the router hands it over: the text of a URL segment, or
        what the viewset's ``lookup_value_converter`` makes of it (an ``int``).

        A viewset that declares ``lookup_value_regex`` or ``lookup_value_converter`` gets
        only what the router's URL pattern matches; anything else is REST's 404 before any
        of the viewset's code runs. Without either, an empty value is a 404 too: neither a
        regex router's default pattern nor a path converter matches an empty URL segment.
        (What else the router takes depends on the router: a regex router's default refuses
        ``.``, a path-converter router does not; both serve the usual ids and slugs.)
        """
        value = to_serializer_data(kwargs.get(self.lookup_arg_name))
        global_id = self.output_type is not None and self.lookup_arg_name == "id"
        if global_id:
            value = node_lookup(self.output_type, value, info)  # a Relay node's global ID
        if value is None:
            return None
        text = value if isinstance(value, NoRow) else str(value)
        regex = self.lookup_value_regex
        if self.lookup_value_converter is not None and not isinstance(value, NoRow):
            try:
                # A global ID's key is as reads render it (a UUID's hex), not a URL's text:
                # the converter reads it, without its URL pattern.
                return _converted(self.lookup_value_converter, text, pattern=not global_id)
            except exceptions.NotFound:
                # Declaring a regex too, the viewset may be served by a regex router, which
                # routes what the regex matches (as text): either router's lookups are served.
                if regex is None or not re.fullmatch(regex, text):
                    raise
                return text
        if regex is None:
            # The routers' own patterns match no empty segment, and none holding a "/"
            # (a regex router's [^/.]+, a path router's str): such a row is out of REST's
            # reach. A "." is routed by path routers, and stays.
            if not text or "/" in text:
                raise exceptions.NotFound()
        elif not re.fullmatch(regex, text):
            raise exceptions.NotFound()
        return text

    def initial(self, view: Any) -> None:
        """``APIView.initial`` without content negotiation: version, authentication,
        permissions, throttles.

        A viewset that overrides ``initial()`` (to load what its other methods read) has it
        called, as DRF's ``dispatch`` calls it. Its content negotiation then keeps the
        request's JSON rather than reading the caller's ``Accept`` header: the answer is the
        GraphQL endpoint's JSON, whatever a REST call would have negotiated, and a version
        in that header (``AcceptHeaderVersioning``) is no more the call's than without the
        override: the call runs as the version the schema was built for.
        """
        request = view.request
        counted = request._request.__dict__.get(COUNTED_THROTTLES)
        if counted:
            # The endpoint counted this HTTP request already: that count is the first
            # operation's under a throttle of the same class and key (later ones count),
            # so the caller's quota is REST's.
            throttles_of = view.get_throttles

            def get_throttles() -> list[Any]:
                kept = []
                for throttle in throttles_of():
                    key = throttle_key(throttle, request, view)
                    if key is not None and key in counted:
                        counted.discard(key)  # the endpoint's count is this operation's
                    else:
                        kept.append(throttle)
                return kept

            view.get_throttles = get_throttles
        if self.own_initial:
            view.perform_content_negotiation = lambda request, force=False: (
                request.accepted_renderer,
                request.accepted_media_type,
            )
            determine = view.determine_version
            view.determine_version = lambda request, *args, **kwargs: self.determine_version(
                view, determine
            )
            try:
                view.initial(request, *view.args, **view.kwargs)
            finally:
                del view.perform_content_negotiation
                del view.determine_version
            return
        request.version, request.versioning_scheme = self.determine_version(view)
        view.perform_authentication(request)  # a viewset's override may refuse accounts
        view.check_permissions(request)
        view.check_throttles(request)

    @staticmethod
    def get_object(view: Any, lock: bool = False) -> Any:
        """``view.get_object()``; an id beyond the column's range matches nothing.

        With ``lock``, the row is locked until the write's transaction ends (as the library's
        own update and delete mutations do): the viewset's queryset and filters decide which
        row, ``select_for_update`` is added last.
        """
        if names_no_row(view.kwargs):  # a Relay lookup that names no row
            raise not_found(view.get_queryset().model)
        row_lock = _RowLock(view) if lock else None
        try:
            instance = view.get_object()
        except (OverflowError, DataError):
            # Django < 5.0 hands such an id to the driver, which refuses it.
            raise not_found(view.get_queryset().model) from None
        return row_lock.locked(instance) if row_lock is not None else instance

    # ------------------------------------------------------------------ reads

    @direct_resolver
    def resolve_retrieve(self, root: Any, info: Any, **kwargs: Any) -> Any:
        """``RetrieveModelMixin.retrieve`` with the viewset's hooks."""
        try:
            view = self.get_view(
                info,
                "retrieve",
                self.url_value(kwargs, info),
                url_kwargs=self.url_kwarg_values(kwargs),
            )
            self.initial(view)
            with read_savepoint():  # the viewset's get_queryset() runs inside, once
                if "retrieve" in self.called_actions:
                    return self.call_action(view, "retrieve")
                instance = self.get_object(view)
                return serializer_of(view, instance, reading=True).data
        except Exception as exc:
            raise resolver_error(exc, info, kwargs) from None

    @direct_resolver
    def resolve_list(self, root: Any, info: Any, **kwargs: Any) -> Any:
        """``ListModelMixin.list``: ``{total_count, results}``, REST's ``count`` and ``results``.

        Under ``CursorPagination``, ``{results, next_cursor, previous_cursor}``: REST's
        answer has no count, and counting would cost a query REST does not run.
        """
        try:
            view = self.get_view(
                info,
                "list",
                query=self.list_query(kwargs),
                url_kwargs=self.url_kwarg_values(kwargs),
            )
            self.initial(view)
            filters = QueryDict()  # the filter parameters sent, as the query string has them
            filtered = self.filterset_class is not None and kwargs.get("filter")
            if filtered:
                filters = query_dict(self.filterset_class, to_serializer_data(kwargs["filter"]))
            if self.search_param and kwargs.get("search"):
                # Text the backend refuses is refused in the backends' order, as REST's:
                # here, if it runs before the filter set; else as the backends run.
                check_search_terms(
                    self.search_backend_class(), view.request, refusals=self.search_before_filters
                )
            if filtered:
                check_filter_values(self.filterset_class, filters)
            with read_savepoint():  # the viewset's get_queryset() runs inside, once
                return self._list(view, info, filters)
        except Exception as exc:
            raise resolver_error(exc, info, kwargs) from None

    def _list(self, view: Any, info: Any, filters: QueryDict) -> dict[str, Any]:
        queryset = self.filter_queryset(view, view.get_queryset(), filters)
        page = self.paginate_queryset(view, queryset)
        if "cursor" in self.page_params:
            rows = queryset if page is None else page
            results = serializer_of(view, rows, many=True, reading=True).data
            return {"results": results, **self.page_cursors(view, page)}
        if page is None:
            results = serializer_of(view, queryset, many=True, reading=True).data
            return {"total_count": len(results), "results": results}
        results = serializer_of(view, page, many=True, reading=True).data
        count = self.paginated_count(view)
        if count is None and counted(selection_tree(info)):
            # A paginator of the project's own that does not count: counted when asked.
            count = queryset.count()
        return {"total_count": count, "results": results}

    def list_query(self, kwargs: dict[str, Any]) -> QueryDict:
        """The query string the REST call would carry for these GraphQL arguments."""
        filter_values = kwargs.get("filter")
        if self.filterset_class is not None and filter_values:
            query = query_dict(self.filterset_class, to_serializer_data(filter_values))
        else:
            query = QueryDict(mutable=True)
        if self.search_param and kwargs.get("search") is not None:
            query[self.search_param] = kwargs["search"]
        if self.ordering_param and kwargs.get("order_by") is not None:
            # Before the view runs, as REST's query string: what the permissions and
            # get_queryset() read. The names of ordering fields known beforehand in
            # snake_case; others as written, until ``filter_queryset`` can tell which fields
            # ``OrderingFilter`` accepts for this request.
            query[self.ordering_param] = rest_ordering(kwargs["order_by"], self.ordering_names)
        for argument, param in self.page_params.items():
            if kwargs.get(argument) is not None:
                query[param] = str(kwargs[argument])
        return query

    def snake_case_ordering(self, view: Any, queryset: Any) -> None:
        """Give the view's request the ordering REST would carry: camelCase terms snake_cased.

        Which names are valid is ``OrderingFilter.get_valid_fields`` with the view and
        request DRF hands it (the serializer's fields when ``ordering_fields`` is unset, which
        may depend on the request), so ``orderBy`` accepts exactly what ``?ordering=`` does.
        """
        request = view.request
        ordering = request.query_params.get(self.ordering_param or "")
        if self.ordering_backend is None or not ordering:
            return
        fields = self.ordering_backend().get_valid_fields(queryset, view, {"request": request})
        allowed = {field[0] for field in fields}
        terms = [term.strip() for term in ordering.split(",")]
        check_ordering_length(terms, allowed)
        query = request.query_params.copy()
        query[self.ordering_param] = rest_ordering(terms, allowed)
        query._mutable = False
        request._request.GET = query

    def filter_queryset(self, view: Any, queryset: Any, filters: QueryDict) -> Any:
        """``view.filter_queryset``; a filter set error's path is ``filter.<name>``, as sent
        (``filters``: the filter parameters of the query string)."""
        self.snake_case_ordering(view, queryset)
        try:
            return view.filter_queryset(queryset)
        except exceptions.ValidationError as exc:
            refusal = search_refusal(exc)
            if refusal is not None and self._search_refused(view):
                raise refusal from None
            raise raised_by_filters(self.filterset_class, exc, filters) from None

    def _search_refused(self, view: Any) -> bool:
        """Whether the search backend refuses the text the call sends (what it raised)."""
        if self.search_backend_class is None or not view.request.query_params.get(
            self.search_param
        ):
            return False
        try:
            self.search_backend_class().get_search_terms(view.request)
        except exceptions.ValidationError:
            return True
        return False

    def paginate_queryset(self, view: Any, queryset: Any) -> Any:
        """``view.paginate_queryset``, where a cursor whose position the ordering cannot
        read is DRF's "Invalid cursor" (NOT_FOUND), as one it cannot decode is.

        DRF checks a cursor's offset, not its position: one made under another ``orderBy``
        (``p=row 1`` for an id), a row's null (``p=None``), or one written by hand fails
        where the position is compared, a 500 under REST too. The position is compared
        here first, as DRF will (without running the query): only that is the cursor's
        fault; an error while the page is read stays the server's.
        """
        paginator = view.paginator
        if (
            "cursor" in self.page_params
            and type(paginator).paginate_queryset is CursorPagination.paginate_queryset
            and paginator.get_page_size(view.request)  # else DRF reads no cursor: no page
        ):
            cursor = paginator.decode_cursor(view.request)
            if cursor is not None and cursor.position is not None:
                ordering = paginator.get_ordering(view.request, queryset, view)
                lookup = f"{ordering[0].lstrip('-')}__gt"
                try:
                    queryset.filter(**{lookup: cursor.position})
                except (ValueError, TypeError, OverflowError, DjangoValidationError):
                    raise exceptions.NotFound(paginator.invalid_cursor_message) from None
        return view.paginate_queryset(queryset)

    @staticmethod
    def paginated_count(view: Any) -> int | None:
        """The number of all matches, as the paginator counted them for REST's ``count``;
        None from a paginator that does not count (CursorPagination lists never get here)."""
        paginator = view.paginator
        count = getattr(paginator, "count", None)  # LimitOffsetPagination
        if isinstance(count, int):
            return count
        page = getattr(paginator, "page", None)  # PageNumberPagination
        if page is not None and hasattr(page, "paginator"):
            return page.paginator.count
        return None

    @staticmethod
    def page_cursors(view: Any, page: Any) -> dict[str, str | None]:
        """The cursors of REST's ``next`` and ``previous`` links: ``?cursor=`` of each link.

        Taken from the paginator's own ``get_next_link()`` / ``get_previous_link()``, so a
        subclass's cursors, offsets and ties are REST's. Null where REST's link is null, and
        both null without a page (no ``page_size``). A link whose cursor is empty, or missing
        (a subclass's first page), gives ``""``: sent back as an empty ``?cursor=``, which
        DRF's ``decode_cursor`` reads as the first page.
        """
        if page is None:
            return {"next_cursor": None, "previous_cursor": None}
        paginator = view.paginator
        param = paginator.cursor_query_param

        def cursor_of(link: str | None) -> str | None:
            return None if link is None else QueryDict(urlsplit(link).query).get(param, "")

        return {
            "next_cursor": cursor_of(paginator.get_next_link()),
            "previous_cursor": cursor_of(paginator.get_previous_link()),
        }

    # ------------------------------------------------------------------ writes

    def mutate(self, action: str, info: Any, kwargs: dict[str, Any]) -> Any:
        """Create, update or destroy as the viewset's mixin would, in one transaction."""
        clear_failure_of_other_operations(info)
        try:
            lookup_value = self.url_value(kwargs, info) if action in DETAIL_ROUTE.values() else None
            view = self.get_view(
                info, action, lookup_value, url_kwargs=self.url_kwarg_values(kwargs)
            )
            data = to_serializer_data(kwargs.get("input", {})) if action != "destroy" else None
            if data is not None:
                carry_data(view.request, data)  # REST's body, for the viewset's own code
            self.initial(view)
            if view.request._files:
                _check_parses_uploads(view)
            try:
                with self.atomic(action, view):
                    answer = self.perform(view, action, data)
                    if action != "destroy":
                        self.check_answer_fits(info, action, answer)
                    return answer
            except IntegrityError as exc:
                if not no_input_explains(exc):  # a server-side failure stays one (logged, 500)
                    # The input as the client sent it: drf-writable-nested wrote the pks of
                    # the children it saved (now rolled back) into ``data``.
                    sent = to_serializer_data(kwargs.get("input", {}))
                    self.explain_integrity_error(view, action, sent, exc)
                raise
        except Exception as exc:
            flag_failure(info)
            raise resolver_error(exc, info, kwargs, "input") from None

    def perform(self, view: Any, action: str, data: Any) -> dict[str, Any]:
        """The body of ``CreateModelMixin.create``, ``UpdateModelMixin.update``, ``destroy``,
        or the viewset's own action method where it has one."""
        if action in self.called_actions:
            return self.perform_own_action(view, action)
        if action == "destroy":
            instance = self.get_object(view, lock=True)
            answer = self._deleted_id(view, instance)
            self._hook(view, action, instance)
            return {"deleted_id": answer}
        instance = self.get_object(view, lock=True) if action != "create" else None
        serializer = self._validated_serializer(view, action, instance, data)
        self._hook(view, action, serializer)
        if instance is not None and getattr(instance, "_prefetched_objects_cache", None):
            # As UpdateModelMixin does: drop prefetched relations the update made stale.
            instance._prefetched_objects_cache = {}
        return {self.name: serializer.data}

    @cached_property
    def called_actions(self) -> frozenset[str]:
        """The viewset's own action methods ``ViewSetCrud`` calls (all but ``list()``)."""
        called = set(self.overridden_actions()) - {"list"}
        if "update" in called:
            called.add("partial_update")  # DRF's partial_update() calls the viewset's update()
        return frozenset(called)

    def perform_own_action(self, view: Any, action: str) -> dict[str, Any]:
        """A write through the viewset's own action method: its answer's ``data`` is the
        payload, as REST's body.

        A delete answers the key of the row its ``get_object()`` found (locked, as the
        library's own writes lock it); else, looked up by a key of Django's own that reads
        render plainly, the lookup read as the key; else the key of the one row the lookup
        names among all the model's rows, read before it ran (it may delete rows its own
        way); else the lookup as sent. Not the rows the action's ``get_queryset()`` gives:
        it may be called after the delete, when the lookup names a surviving twin."""
        found: list[Any] = []
        if action != "create":
            row_lock, get_object = _RowLock(view), view.get_object

            def get_object_noted() -> Any:
                instance = row_lock.locked(get_object())
                if action == "destroy" and not found:  # its key, before the delete clears it
                    found.append(self._deleted_id(view, instance))
                return instance

            view.get_object = get_object_noted
        if action != "destroy":
            get_serializer = view.get_serializer

            def get_serializer_guarded(*args: Any, **kwargs: Any) -> Any:
                # Its ModelFields as the library's own writes guard them: input their
                # model field cannot read is the field's error, not a 500.
                serializer = get_serializer(*args, **kwargs)
                if hasattr(serializer, "initial_data"):
                    guard_unreadable_fields(serializer)
                return serializer

            view.get_serializer = get_serializer_guarded
        by_key = action == "destroy" and self._lookup_is_the_key(view)
        named = self._named_row(view) if action == "destroy" and not by_key else None
        data = self.call_action(view, action)
        if action != "destroy":
            return {self.name: data}
        if found:
            return {"deleted_id": found[0]}
        if named is not None:
            return {"deleted_id": self._deleted_id(view, named)}
        lookup = view.kwargs[self.lookup_url_kwarg]
        if by_key:  # the key as the row holds it ("01" is 1), as its reads render it
            with contextlib.suppress(DjangoValidationError):
                lookup = self.model._meta.pk.to_python(lookup)
        interface = node_interface(self.output_type) if self.output_type is not None else None
        if interface is None:
            return {"deleted_id": lookup}
        return {"deleted_id": interface.to_global_id(self.output_type._meta.name, lookup)}

    def check_answer_fits(self, info: Any, action: str, answer: Any) -> None:
        """Refuse, inside the write's transaction, an answer that lacks a field the client
        selected and the payload's type holds non-null (``unfilled_fields``), or holds a
        value such a field's type cannot represent (``refuse_unrepresented``).

        The type is the action serializer class's; the answer is whatever the viewset's
        own ``create()`` or ``update()`` returned (another serializer's data, a status
        message), or the data of the serializer its ``get_serializer()`` gave (one it
        took fields from for the caller). Here the write is undone and the log names the
        fields, as a server error (the viewset's answer, not the input, is at fault):
        graphql-core would find them after the commit.
        """
        reader = PayloadReader(info, answer)
        unfilled = unfilled_fields(info, answer, reader)
        if not unfilled:
            name = self.viewset_class.__name__
            own = action in self.called_actions
            owner = f"{name}.{action}()" if own else f"The serializer of {name}'s {action!r}"
            refuse_unrepresented(owner, info, answer, reader)
            return
        name, missing = self.viewset_class.__name__, ", ".join(unfilled)
        if action in self.called_actions:
            raise ImproperlyConfigured(
                f"{name}.{action}() answered without {missing}, which the payload holds "
                "non-null (the client selected them); the write is undone. Answer with the "
                "data of the action's serializer, or give the action a serializer that "
                "describes its answer."
            )
        raise ImproperlyConfigured(
            f"The serializer {name}.get_serializer() gave for {action!r} rendered no value "
            f"for {missing}, which the payload holds non-null (the client selected them; "
            "the type is built from the fields of its get_serializer_class()); the write is "
            "undone. Save the row (a perform_create() or perform_update() that saves none "
            "leaves its key out), and leave the serializer's fields as its class makes them "
            "or shape them in the serializer's own __init__() or get_fields(), whose types "
            "hold every field nullable."
        )

    def _deleted_id(self, view: Any, row: models.Model) -> Any:
        return deleted_id(
            self.output_type, row, view.get_serializer_context, self.read_serializer(view)
        )

    def _lookup_is_the_key(self, view: Any) -> bool:
        """Whether a delete's ``deletedId`` is the lookup itself: the row is looked up by its
        primary key, which its reads render as the key's text. Else the row the lookup
        names is read before the viewset's own ``destroy()`` runs (``_named_row``)."""
        model = self.model
        if model is None or view.lookup_field not in ("pk", model._meta.pk.name):
            return False
        key_field = type(model._meta.pk)
        if key_field.to_python not in _EXACT_KEYS or not key_field.__module__.startswith(
            "django.db.models."
        ):
            # Text matched under a collation (NOCASE: "ABC" finds "abc"), a parent link's, a
            # key field of the project's (its own get_prep_value() or from_db_value()): the
            # row holds the key its reads show.
            return False
        serializer_class = getattr(
            getattr(self.output_type, "_meta", None), "serializer_class", None
        ) or self.read_serializer(view)
        return serializer_class is None or not renders_its_own_key(serializer_class, model)

    def _named_row(self, view: Any) -> models.Model | None:
        """The one row the lookup names among all the model's rows (its base manager's),
        read before the viewset's own ``destroy()`` runs: None where none or several match,
        or the value cannot name one (the action answers for it). Not through the
        viewset's ``get_queryset()``, which the action calls as under REST, once its own
        state is set (``self.with_archived = True``), and which may keep what it builds."""
        model = self.model
        if model is None:
            return None
        try:
            rows = model._base_manager.filter(
                **{view.lookup_field: view.kwargs[self.lookup_url_kwarg]}
            )
            # A savepoint: a value the database refuses leaves the write's transaction usable.
            with transaction.atomic(using=rows.db):
                found = list(rows[:2])
        except Exception:  # noqa: BLE001 - the action answers for a lookup it cannot serve
            return None
        return found[0] if len(found) == 1 else None

    def call_action(self, view: Any, action: str) -> Any:
        """``view.<action>(request, **kwargs)`` as REST's dispatch calls it: its answer's
        data (a ``Response``'s, or a JSON body's), or the error its status stands for
        (``response_error``); a redirect is an answer, as REST's client takes it."""
        if action != "create" and names_no_row(view.kwargs):  # a Relay lookup naming no row
            raise not_found(view.get_queryset().model)
        if action != "create":
            get_object = view.get_object

            def get_object_or_not_found() -> Any:
                try:
                    return get_object()
                except (OverflowError, DataError):
                    # Django < 5.0 hands an id beyond the column's range to the driver.
                    raise not_found(view.get_queryset().model) from None

            view.get_object = get_object_or_not_found
        # What else the action raises is the input's (a value read or stored:
        # to_graphql_error tells) or the server's.
        response = getattr(view, action)(view.request, *view.args, **view.kwargs)
        if getattr(response, "status_code", 200) >= 400:
            raise response_error(response)
        return response_data(response)

    @staticmethod
    def _validated_serializer(view: Any, action: str, instance: Any, data: Any) -> Any:
        if action == "create":
            serializer = serializer_of(view, data=data)
        else:
            serializer = serializer_of(
                view, instance, data=data, partial=action == "partial_update"
            )
        validate_with_nested_ids(serializer, data)
        return serializer

    @staticmethod
    def _hook(view: Any, action: str, target: Any) -> None:
        """``perform_create(serializer)`` & co.; a viewset without the mixin saves or deletes."""
        hook = getattr(view, PERFORM_HOOKS[action], None)
        if hook is not None:
            hook(target)
        elif action == "destroy":
            target.delete()
        else:
            target.save()

    def atomic(self, action: str = "create", view: Any = None) -> Any:
        if action in self.called_actions:
            # The viewset's own action runs its get_queryset() if and when it asks, as under
            # REST (it may answer a caller it cannot serve before that): the transaction is
            # on the database of its class's queryset, or the router's.
            view = None
        if action in DETAIL_ROUTE.values() and view is not None and _own_get_queryset(view):
            # The viewset's get_queryset() runs inside the write's transaction, once.
            return rows_transaction(
                crud_settings.ATOMIC_MUTATIONS, self.model, lambda: _queryset_once(view)
            )
        return operation_transaction(
            crud_settings.ATOMIC_MUTATIONS, self.model, self._rows_database(action, view)
        )

    def _rows_database(self, action: str, view: Any = None) -> str | None:
        """Where a detail action's row is read, locked and saved back: the ``using()`` of
        the view's ``get_queryset()`` (it may read another database), else of the viewset's
        ``queryset`` (a create writes where the router says)."""
        if action not in DETAIL_ROUTE.values():
            return None
        if view is not None and _own_get_queryset(view):
            return rows_database(_queryset_once(view))
        return rows_database(getattr(self.viewset_class, "queryset", None))

    def explain_integrity_error(
        self, view: Any, action: str, data: Any, exc: IntegrityError
    ) -> None:
        """A lost race is the validation error it is (as mutations do).

        Validated again on the same view, which already went through ``initial()`` (its
        state, its throttles counted once), in a new transaction now that the row is there.
        """
        if action != "destroy":
            with rolled_back(self.model, self._rows_database(action, view)):
                instance = self.get_object(view) if action != "create" else None
                self._validated_serializer(view, action, instance, data)
        raise unexplained_conflict(exc)


#: Key fields whose ``to_python()`` gives the key as the database matches it exactly (an
#: integer, a UUID): a delete's ``deletedId`` is the lookup read by it, with no read.
_EXACT_KEYS = frozenset({models.IntegerField.to_python, models.UUIDField.to_python})


def _own_get_queryset(view: Any) -> bool:
    """Whether the viewset writes its own ``get_queryset()`` (code of the project's, which may
    read another database, annotate, or do work of its own), not GenericAPIView's."""
    return type(view).get_queryset is not GenericAPIView.get_queryset


class _RowLock:
    """The row lock of a viewset's write: ``view.filter_queryset`` locks the rows it
    filters (``select_for_update`` added last, after the viewset's queryset and filters).
    Where the database cannot lock that lookup (``relock_on``), the row found is locked by
    its key and looked up again (``locked``), and the object permissions ``get_object()``
    runs are checked once, on that row: on what is written, as a locked lookup's are."""

    def __init__(self, view: Any) -> None:
        self.view = view
        self.queryset: Any = None
        self.relock_on: Any = None  # the connection to lock the row found on, if any
        self.deferred = False
        self._filter_queryset = view.filter_queryset
        self._check_object_permissions = view.check_object_permissions
        view.filter_queryset = self.filter_queryset
        view.check_object_permissions = self.check_object_permissions

    def filter_queryset(self, queryset: Any) -> Any:
        self.queryset, self.relock_on = lock_for_update(self._filter_queryset(queryset))
        return self.queryset

    def check_object_permissions(self, request: Any, obj: Any) -> None:
        if self.relock_on is not None:
            self.deferred = True  # checked in locked(), on the row read after the lock
            return
        self._check_object_permissions(request, obj)

    def locked(self, instance: Any) -> Any:
        if self.queryset is None:
            return instance
        fresh = lock_found_row(self.queryset, instance, self.relock_on)
        if self.deferred:
            self.deferred = False
            self._check_object_permissions(self.view.request, fresh)
        return fresh


def _check_parses_uploads(view: Any) -> None:
    """Refuse uploads as REST's parsing of their multipart body would, after the viewset's
    permissions (DRF parses lazily): the parser DRF's negotiation picks for it, none a 415
    (a viewset taking JSON alone), a ``FileUploadParser`` the 400 of a body without a
    ``Content-Disposition`` filename."""
    request = view.request
    parser = view.get_content_negotiator().select_parser(request, view.get_parsers())
    if parser is None:
        raise exceptions.UnsupportedMediaType(request.content_type)
    if isinstance(parser, FileUploadParser) and not view.kwargs.get("filename"):
        raise exceptions.ParseError(FileUploadParser.errors["no_filename"])


def _queryset_once(view: Any) -> Any:
    """``view.get_queryset()``, run once for the operation: its later calls (the lookup's)
    get a fresh copy of the same queryset, as REST's single call would have given, and the
    viewset's code in it (an audit row, a membership query) runs once, as under REST."""
    queryset = view.get_queryset()
    if isinstance(queryset, models.QuerySet):
        view.get_queryset = queryset.all
    return queryset


def declares_authentication(viewset_class: type) -> bool:
    """Whether the viewset (or a class it inherits from, below DRF's ``APIView``) sets its
    own ``authentication_classes`` or ``get_authenticators()``.

    Such a viewset authenticates its callers itself, under REST and through ``ViewSetCrud``
    alike. One that does not takes the GraphQL endpoint's authentication, which may differ
    from ``DEFAULT_AUTHENTICATION_CLASSES`` (a JWT endpoint beside session-based REST).
    """
    for klass in viewset_class.__mro__:
        if klass is APIView:
            return False
        if "authentication_classes" in vars(klass) or "get_authenticators" in vars(klass):
            return True
    return False


def in_namespace(match: ResolverMatch | None, namespace: str) -> ResolverMatch:
    """``match`` (the GraphQL endpoint's) as if its URL were under ``namespace``."""
    namespaces = namespace.split(":")
    if match is None:
        return ResolverMatch(_no_view, (), {}, app_names=namespaces, namespaces=namespaces)
    return ResolverMatch(
        match.func,
        match.args,
        match.kwargs,
        url_name=match.url_name,
        app_names=namespaces,
        namespaces=namespaces,
        route=match.route,
        tried=match.tried,
    )


def _no_view(request: HttpRequest) -> None:  # pragma: no cover - never called
    """What a schema build's stand-in match resolves to: nothing."""


def stand_in_request(method: str) -> Request:
    """A DRF request with ``method`` and nobody behind it, for code run at schema build.

    It authenticates no one (``request.user`` is DRF's ``UNAUTHENTICATED_USER``), carries
    no data and no query string.
    """
    http_request = HttpRequest()
    http_request.method = method
    return dataless_request(http_request, ())


def serializer_of(
    view: Any, *args: Any, reading: bool = False, **kwargs: Any
) -> serializers.BaseSerializer:
    """``view.get_serializer(...)``, its fields copied from its class's prototype where they
    would be built the standard way anyway (``fieldcache``), as the library's mutations do;
    ``reading``: the serializer only renders."""
    return prebuild_fields(view.get_serializer(*args, **kwargs), reading=reading, nested=reading)


def _django_filter_backend() -> type | None:
    """django-filter's ``DjangoFilterBackend``, when django-filter is installed."""
    try:
        from django_filters.rest_framework import DjangoFilterBackend
    except ImportError:  # pragma: no cover - an optional dependency
        return None
    return DjangoFilterBackend


def _builds_standard_filtersets(backend_class: type) -> bool:
    """Whether the backend builds ``filterset_fields`` filter sets as django-filter's does."""
    from django_filters.rest_framework import DjangoFilterBackend, FilterSet

    return (
        backend_class.get_filterset_class is DjangoFilterBackend.get_filterset_class
        and backend_class.filterset_base is FilterSet
    )
