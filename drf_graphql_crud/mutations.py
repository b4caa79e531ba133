"""
Mutations that validate and save through a DRF serializer.

Each mutation class plays the part of one action of a DRF generic view::

    class CreateTask(CreateMutation):          # createTask(input: TaskInput!): {task}
        class Meta:
            serializer_class = TaskSerializer

and runs what the view would run, in the same order: permission classes'
``has_permission`` (before validation), the lookup in ``get_queryset()`` and
``has_object_permission`` (update, delete), the serializer's validation, then the
``perform_*`` hook. Everything after the permission check runs in one
``transaction.atomic()`` block, so an error anywhere, in a nested row too, leaves the
database as it was. Every failure reaches the client as one GraphQL error with
``extensions.code`` (see ``errors``).

The input and output types, the lookup argument and the payload are built once, when the
class is defined; a request only converts the input to serializer data, runs DRF, and
returns the serializer's ``to_representation``, which is what REST returns.
"""

from __future__ import annotations

import enum
import functools
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from inspect import isclass
from typing import Any, ClassVar

import graphene
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, ProgrammingError, models, router, transaction
from django.utils import translation
from graphene.types.mountedtype import MountedType
from graphene.types.mutation import MutationOptions
from graphene.types.unmountedtype import UnmountedType
from graphene.utils.props import props
from graphene_django.constants import MUTATION_ERRORS_FLAG
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.settings import api_settings

from .converter import Mode, convert_serializer_field, nullable
from .errors import (
    as_api_exception,
    no_input_explains,
    note_refused_item,
    resolver_error,
    unexplained_conflict,
)
from .execution import direct_resolver
from .fieldcache import prebuild_fields
from .nested import validate_with_nested_ids
from .permissions import (
    ACTION_METHODS,
    OperationView,
    carry_data,
    carrying,
    check_object_permissions,
    check_permissions,
    drf_request,
    operation_request,
    own_attributes,
    project_hook,
)
from .queries import (
    PayloadReader,
    get_object,
    lock_for_update,
    lock_found_row,
    refuse_unfilled,
    refuse_unrepresented,
)
from .relay import deleted_id, node_lookup, node_model
from .settings import crud_settings
from .types import (
    GRAPHQL_NAME,
    LazyDataclassMeta,
    SerializerObjectType,
    checked_output_type,
    instantiate,
    lower_camel,
    refuse_other_rows,
    refuse_unknown_options,
    registry,
    same_rows,
    serializer_type,
    type_base_name,
)

__all__ = [
    "BulkCreateMutation",
    "CreateMutation",
    "DeleteMutation",
    "SerializerMutation",
    "UpdateMutation",
]

#: Every concrete mutation class, for the system checks.
mutation_classes: list[type[SerializerMutation]] = []


@dataclass
class _Call:
    """The request and view of the mutation being resolved, for hooks that only get ``info``."""

    operation: type
    request: Request
    view: OperationView
    #: The project's ``get_queryset(info)``, run once inside the operation's transaction.
    queryset: Any = None


_current_call: ContextVar[_Call | None] = ContextVar("drf_graphql_crud_call", default=None)


class SerializerMutationOptions(MutationOptions):
    serializer_class: type[serializers.BaseSerializer] | None = None
    output_serializer_class: type[serializers.BaseSerializer] | None = None
    output_type: type[SerializerObjectType] | None = None
    model: type[models.Model] | None = None
    queryset: models.QuerySet | None = None
    lookup_field: str | None = None
    lookup_arg_name: str | None = None
    permission_classes: list[type] | tuple[type, ...] | None = None
    return_field_name: str | None = None
    input_field_name: str = "input"
    partial: bool = False
    atomic: bool | None = None
    action: str = "create"
    output_many: bool = False
    input_required: bool = True
    #: The ``Meta`` options given, the ones taken from a concrete parent included: what a
    #: subclass of this mutation takes in turn.
    declared: dict[str, Any] = {}  # noqa: RUF012 - replaced per class, never mutated
    given: dict[str, Any] = {}  # noqa: RUF012 - its own Meta's alone; replaced per class


#: A ``Meta`` option the mutation's own ``Meta`` does not give (graphene passes only those).
_UNSET: Any = object()

#: Every ``Meta`` option, with its default.
_OPTION_DEFAULTS: dict[str, Any] = {
    "serializer_class": None,
    "output_serializer_class": None,
    "model": None,
    "queryset": None,
    "lookup_field": None,
    "permission_classes": None,
    "return_field_name": None,
    "input_field_name": "input",
    "input_type_name": None,
    "output_type_name": None,
    "output_type": None,
    "partial": None,
    "action": None,
    "atomic": None,
    "output_many": None,
    "input_required": True,
}

#: Options of a mutation's input and payload, which a delete has not: given to one, they
#: would change nothing, where the project expects them to.
_UNUSED_BY_DELETES = frozenset(
    {
        "return_field_name",
        "output_many",
        "input_field_name",
        "input_type_name",
        "output_type_name",
        "partial",
        "input_required",
    }
)

#: Options a subclass does not take from its parent when it gives one of the first set
#: itself: they go together (``partial`` and ``action``), or were made for the parent's
#: serializers and mode (type names, an output type).
_DROPPED_TOGETHER: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({"partial", "action"}), frozenset({"partial", "action"})),
    (
        frozenset({"output_type", "output_type_name"}),
        frozenset({"output_type", "output_type_name"}),
    ),
    (frozenset({"serializer_class", "partial", "action"}), frozenset({"input_type_name"})),
    (
        frozenset({"serializer_class", "output_serializer_class"}),
        frozenset({"output_type", "output_type_name"}),
    ),
)


def _with_parents_options(cls: type, given: dict[str, Any]) -> dict[str, Any]:
    """The options ``cls``'s own ``Meta`` gives, completed by its bases', each option from
    the first class in the MRO whose own ``Meta`` gives it, as Python's MRO finds a DRF
    view's attributes: a mutation subclassing ``CreateTask`` to change a hook keeps who may
    call it, and one adding an abstract ``AuthenticatedMutation`` base takes its
    ``permission_classes``. An option given, even at its default, is the subclass's; one a
    nearer class gives drops what goes with it (``_DROPPED_TOGETHER``) from the farther."""
    taken: dict[str, Any] = {}
    origins: dict[str, type] = {}
    blocked: set[str] = set()
    for klass in cls.__mro__:
        own = _own_options(klass, cls, given)
        for name, value in own.items():
            if name not in taken and name not in blocked:
                taken[name] = value
                origins[name] = klass
        for trigger, dropped in _DROPPED_TOGETHER:
            if trigger & own.keys():
                blocked |= dropped
    # In a diamond, a name may come from a branch whose serializers or mode are not the
    # ones taken (from the other branch): it was made for others, and goes.
    for name, made_for in _MADE_FOR.items():
        origin = origins.get(name, object)
        meta = vars(origin).get("_meta")
        if (
            name in taken
            and isinstance(meta, SerializerMutationOptions)
            and (
                any(meta.declared.get(option) != taken.get(option) for option in made_for)
                # Another kind of mutation (a create's name under an update's base).
                or (origin.default_action, origin.many) != (cls.default_action, cls.many)
            )
        ):
            del taken[name]
    return taken


#: The options a type name (or output type) given with them was made for.
_MADE_FOR = {
    "input_type_name": ("serializer_class", "partial", "action"),
    "output_type_name": ("serializer_class", "output_serializer_class"),
    "output_type": ("serializer_class", "output_serializer_class"),
}


def _own_options(klass: type, cls: type, given: dict[str, Any]) -> dict[str, Any]:
    """The options ``klass``'s own ``Meta`` gave: ``given`` for ``cls`` itself, a concrete
    mutation's, or an abstract base's shared ones."""
    if klass is cls:
        return given
    meta = vars(klass).get("_meta")
    if isinstance(meta, SerializerMutationOptions):
        return meta.given
    return vars(klass).get("_shared_options", {})


def _saves_as_drf_does(serializer_class: Any, many: bool) -> bool:
    """Whether saving ``serializer_class`` is known to give one row (or, ``many``, a list of
    them): its ``create()`` and ``update()`` are DRF's or a nested writer's, and a list of
    it is DRF's ``ListSerializer``. A serializer's own may return anything (a list)."""
    if not isinstance(serializer_class, type):
        return False
    if many:
        meta = getattr(serializer_class, "Meta", None)
        return getattr(meta, "list_serializer_class", None) is None
    for method in ("create", "update"):
        owner = next(klass for klass in serializer_class.__mro__ if method in vars(klass))
        if not owner.__module__.startswith(("rest_framework.", "drf_writable_nested.")):
            return False
    return True


def _options_as_attributes(cls: type, given: dict[str, Any]) -> list[str]:
    """The ``Meta`` options ``cls`` or a project's base of it sets as class attributes, as a
    DRF view takes them: a mutation reads them from ``Meta`` only, and would be left open
    (``permission_classes``) or other than it says. A mixin of the project's that is no
    mutation (one it shares with its REST views) is asked only for ``permission_classes``,
    unless a ``Meta`` that comes before it (the class's own, a base's) gives them: its
    other attributes may mean something else to it."""
    mro = cls.__mro__
    giver = _permissions_giver(cls, given)
    found = []
    for index, klass in enumerate(mro):
        if klass is object or klass.__module__.split(".")[0] in _FRAMEWORKS:
            continue  # Django's, DRF's, graphene's own (a SingleObjectMixin's model)
        if issubclass(klass, SerializerMutation):
            names: Any = _OPTION_DEFAULTS
        elif giver is not None and mro.index(giver) < index:
            continue  # a Meta before it in the MRO gives them, as DRF's MRO would
        else:
            names = {"permission_classes"}
        for name, value in vars(klass).items():
            if name in names and not _is_member(value):
                found.append(f"{klass.__name__}.{name}")
    return found


def _permissions_giver(cls: type, given: dict[str, Any]) -> type | None:
    """The class whose ``Meta`` gives ``cls`` its permission_classes (the first in the MRO
    whose own Meta does), or None where none does."""
    return next(
        (klass for klass in cls.__mro__ if "permission_classes" in _own_options(klass, cls, given)),
        None,
    )


#: Modules whose classes a mutation may mix in, whose attributes are no options of it.
_FRAMEWORKS = frozenset(
    {
        "django",
        "rest_framework",
        "graphene",
        "graphene_django",
        "graphene_file_upload",
        "graphql",
        "drf_graphql_crud",
    }
)


def _is_member(value: Any) -> bool:
    """A method, a descriptor (a property, a cached_property) or a graphene field: a
    class's own, not a misplaced option."""
    return (
        isinstance(value, types.FunctionType | UnmountedType | MountedType)
        or hasattr(type(value), "__get__")
        or isinstance(value, functools.partialmethod)
    )


def to_serializer_data(value: Any) -> Any:
    """GraphQL input (graphene containers, enum members) as the plain data DRF expects.

    graphene hands input objects over as dicts holding only the keys the client sent,
    under the serializer's field names, so "absent" stays absent and ``null`` stays
    ``None``: DRF then decides about required fields and defaults as under REST.

    Iterative, not recursive: a JSON value may be nested as deep as the client likes, and
    DRF, not the interpreter's recursion limit, should decide what is acceptable.
    """
    converted = _plain(value)
    pending = [converted] if isinstance(converted, dict | list) else []
    while pending:
        container = pending.pop()
        items = container.items() if isinstance(container, dict) else enumerate(container)
        # Below the operation's rows (the input, a bulk input's items): nested rows.
        nested = not (container is converted and isinstance(converted, list))
        for key, item in items:
            plain = _plain(item)
            if nested and plain is not item:
                _key_as_pk(item, plain)
            if plain is not item:
                container[key] = plain
            if isinstance(plain, dict | list):
                pending.append(plain)
    return converted


def _key_as_pk(container: Any, plain: Any) -> None:
    """A nested row's key sent under another name than writable nested serializers read
    (a multi-table child's ``id``, a ``uid``: ``converter.pk_aliases``), also as ``pk``, the
    name REST clients send it by: else the child named would be deleted and made anew.
    Only for nested rows: the operation's own row gets the data its client sent."""
    aliases = getattr(getattr(type(container), "_meta", None), "pk_aliases", ())
    for alias in aliases:
        value = plain.get(alias)
        if value is not None and "pk" not in plain:
            plain["pk"] = value
            return


def _plain(value: Any) -> Any:
    """One level of ``to_serializer_data``: a fresh dict or list, or an enum's value."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


class SerializerMutation(graphene.Mutation, metaclass=LazyDataclassMeta):
    """Base class for mutations built on a serializer; use it as is for custom mutations.

    ``Meta`` options: ``serializer_class`` (required), ``output_serializer_class``,
    ``model`` (default: the serializer's ``Meta.model``), ``queryset``, ``lookup_field``
    (when set the mutation takes the lookup as an argument and loads the instance),
    ``permission_classes`` (default: DRF's ``DEFAULT_PERMISSION_CLASSES``),
    ``return_field_name``, ``input_field_name``, ``input_type_name``,
    ``output_type_name``, ``output_type`` (a ``SerializerObjectType`` of the output
    serializer, used instead of the generated type; a Relay node makes ``id`` take its
    global IDs), ``partial``, ``action`` (the REST action it stands for, which
    decides the request method permissions see; default ``create``), ``atomic``,
    ``output_many`` (the result is a list: ``[<X>Output!]!``), ``input_required``
    (``False`` lets a client leave out an input whose fields are all optional).

    A custom mutation overrides ``perform_mutate(serializer, info)``; what it returns is
    rendered by the output serializer.
    """

    class Meta:
        abstract = True

    #: Whether the mutation takes an input object / a lookup / a list of inputs.
    takes_input: ClassVar[bool] = True
    many: ClassVar[bool] = False
    default_action: ClassVar[str] = "create"
    default_lookup_field: ClassVar[str | None] = None

    _meta: ClassVar[SerializerMutationOptions]

    def __init_subclass__(cls, **meta_options: Any) -> None:
        """An abstract base's ``Meta`` may hold options its subclasses share
        (``permission_classes``, ``atomic``), which graphene refuses beside ``abstract``:
        they are kept for the subclasses, which take them as a concrete parent's."""
        own = vars(cls).get("Meta")
        given = dict(own) if isinstance(own, dict) else props(own) if isclass(own) else {}
        if given.get("abstract"):
            shared = {name: value for name, value in given.items() if name != "abstract"}
            if shared:
                refuse_unknown_options(cls, shared)
                own_only = sorted(set(shared) - _OPTION_DEFAULTS.keys())
                if own_only:  # graphene's (description, name...): each mutation's own
                    raise ImproperlyConfigured(
                        f"{cls.__name__}.Meta: {', '.join(own_only)} cannot be shared from "
                        "an abstract base: give it in each mutation's own Meta."
                    )
                cls._shared_options = shared
                cls.Meta = {"abstract": True}  # type: ignore[assignment]
        super().__init_subclass__(**meta_options)

    @classmethod
    def __init_subclass_with_meta__(
        cls,
        serializer_class: Any = _UNSET,
        output_serializer_class: Any = _UNSET,
        model: Any = _UNSET,
        queryset: Any = _UNSET,
        lookup_field: Any = _UNSET,
        permission_classes: Any = _UNSET,
        return_field_name: Any = _UNSET,
        input_field_name: Any = _UNSET,
        input_type_name: Any = _UNSET,
        output_type_name: Any = _UNSET,
        output_type: Any = _UNSET,
        partial: Any = _UNSET,
        action: Any = _UNSET,
        atomic: Any = _UNSET,
        output_many: Any = _UNSET,
        input_required: Any = _UNSET,
        _meta: SerializerMutationOptions | None = None,
        **options: Any,
    ) -> None:
        refuse_unknown_options(cls, options)
        given = {
            name: value
            for name, value in (
                ("serializer_class", serializer_class),
                ("output_serializer_class", output_serializer_class),
                ("model", model),
                ("queryset", queryset),
                ("lookup_field", lookup_field),
                ("permission_classes", permission_classes),
                ("return_field_name", return_field_name),
                ("input_field_name", input_field_name),
                ("input_type_name", input_type_name),
                ("output_type_name", output_type_name),
                ("output_type", output_type),
                ("partial", partial),
                ("action", action),
                ("atomic", atomic),
                ("output_many", output_many),
                ("input_required", input_required),
            )
            if value is not _UNSET
        }
        declared = _with_parents_options(cls, given)
        misplaced = _options_as_attributes(cls, given)
        if misplaced:
            are = "is a class attribute" if len(misplaced) == 1 else "are class attributes"
            raise ImproperlyConfigured(
                f"{cls.__name__}: {', '.join(misplaced)} {are}, which a mutation does not "
                "read as options (they would be left as if unset: permission_classes open "
                "to anyone). Give them in the class's Meta (a base shared by several "
                "mutations may declare them in a Meta with abstract = True), or rename "
                "an attribute that is not meant as an option."
            )
        if issubclass(cls, DeleteMutation) and _UNUSED_BY_DELETES & declared.keys():
            unused = ", ".join(sorted(_UNUSED_BY_DELETES & declared.keys()))
            raise ImproperlyConfigured(
                f"{cls.__name__}.Meta: {unused} has no use in a delete, which takes no "
                "input and answers {deletedId} always."
            )
        options_given = {**_OPTION_DEFAULTS, **declared}
        serializer_class = options_given["serializer_class"]
        output_serializer_class = options_given["output_serializer_class"]
        model = options_given["model"]
        queryset = options_given["queryset"]
        lookup_field = options_given["lookup_field"]
        permission_classes = options_given["permission_classes"]
        return_field_name = options_given["return_field_name"]
        input_field_name = options_given["input_field_name"]
        input_type_name = options_given["input_type_name"]
        output_type_name = options_given["output_type_name"]
        output_type = options_given["output_type"]
        partial = options_given["partial"]
        action = options_given["action"]
        atomic = options_given["atomic"]
        output_many = options_given["output_many"]
        input_required = options_given["input_required"]
        if _meta is None:
            _meta = SerializerMutationOptions(cls)
        _meta.declared = declared
        _meta.given = dict(given)
        _meta.serializer_class = serializer_class
        _meta.action = action or cls.default_action
        _meta.partial = _meta.action == "partial_update" if partial is None else partial
        if _meta.action == "partial_update" and partial is False:
            _meta.action = "update"
        _meta.lookup_field = lookup_field or cls.default_lookup_field
        if _meta.lookup_field is not None and not isinstance(_meta.lookup_field, str):
            raise ImproperlyConfigured(
                f"{cls.__name__}.Meta.lookup_field must be a field's name, not "
                f"{_meta.lookup_field!r}."
            )
        _meta.permission_classes = permission_classes
        _meta.atomic = atomic
        _meta.input_field_name = input_field_name
        _meta.output_many = cls.many if output_many is None else output_many
        if (
            bool(_meta.output_many) != cls.many
            and not _overrides(cls, _RENDERED_ROWS_HOOKS)
            and _saves_as_drf_does(serializer_class, cls.many)
        ):
            # What it saves is rendered: one row as a list, or a list as one row, fails
            # every call.
            saves = "a list of rows" if cls.many else "one row"
            raise ImproperlyConfigured(
                f"{cls.__name__}.Meta.output_many = {output_many!r}, but it saves {saves}: "
                "leave output_many out, or override perform_mutate() (or render()) to "
                f"return {'one row' if cls.many else 'a list of rows'}."
            )
        _meta.input_required = input_required or cls.many

        for option, value in (
            ("serializer_class", serializer_class),
            ("output_serializer_class", output_serializer_class),
        ):
            if value is not None:
                from .checks import refuse_serializer_class  # checks reads this module

                refuse_serializer_class(f"{cls.__module__}.{cls.__qualname__}.Meta.{option}", value)
        if output_type is not None and output_type_name is not None:
            raise ImproperlyConfigured(
                f"{cls.__name__}.Meta: give output_type or output_type_name, not both."
            )
        output_type_serializer = getattr(
            getattr(output_type, "_meta", None), "serializer_class", None
        )
        if model is not None and not (isinstance(model, type) and issubclass(model, models.Model)):
            raise ImproperlyConfigured(
                f"{cls.__name__}.Meta.model must be a model class, not {model!r}"
                + (
                    " (import the model: Meta takes no 'app.Model' text)."
                    if isinstance(model, str)
                    else "."
                )
            )
        if queryset is not None and not isinstance(queryset, models.QuerySet | models.Manager):
            raise ImproperlyConfigured(
                f"{cls.__name__}.Meta.queryset must be a QuerySet, not {queryset!r}; for rows "
                "that depend on the caller, override get_queryset(info)."
            )
        _meta.model = model or getattr(getattr(serializer_class, "Meta", None), "model", None)
        if queryset is not None and _meta.model is None:
            _meta.model = queryset.model
        if _meta.model is None and not cls.takes_input and output_type is not None:
            # A delete may name its rows by the node type alone.
            _meta.model = node_model(output_type)
        _meta.queryset = queryset
        if model is not None and queryset is not None and not same_rows(model, queryset.model):
            # The lookup would find rows of the one by the ids of the other, and change them.
            raise ImproperlyConfigured(
                f"{cls.__name__}.Meta: model is {model.__name__}, but queryset holds "
                f"{queryset.model.__name__} rows. Give rows of one model (a subclass takes "
                "its parent's queryset: give it its own)."
            )
        if serializer_class is None and not (cls.takes_input is False and _meta.model):
            raise ImproperlyConfigured(f"{cls.__name__}.Meta.serializer_class is required.")
        refuse_other_rows(f"{cls.__name__}.Meta", serializer_class, _meta.model)
        if queryset is not None:
            refuse_other_rows(f"{cls.__name__}.Meta.queryset", serializer_class, queryset.model)
        if (
            _meta.lookup_field
            and _meta.model is None
            and not _overrides(cls, ("get_queryset", "get_object", "run"))
        ):
            raise ImproperlyConfigured(
                f"{cls.__name__} looks rows up, but {serializer_class.__name__} names no "
                "model: give Meta.model or Meta.queryset, or override get_queryset() (or "
                "get_object())."
            )
        _meta.output_serializer_class = (
            output_serializer_class or output_type_serializer or serializer_class
        )
        if output_serializer_class is not None and not _overrides(cls, _RENDERED_ROWS_HOOKS):
            # The saved rows are what it renders (a subclass takes its parent's).
            refuse_other_rows(
                f"{cls.__name__}.Meta.output_serializer_class",
                output_serializer_class,
                _meta.model,
            )
        if output_type is not None:
            _meta.output_type = cls._checked_output_type(_meta, output_type)

        arguments: dict[str, Any] = {}
        if _meta.lookup_field:
            _meta.lookup_arg_name = (
                "id" if _meta.lookup_field in ("pk", "id") else _meta.lookup_field
            )
            arguments[_meta.lookup_arg_name] = graphene.Argument(
                graphene.NonNull(cls._lookup_type(_meta)),
                description=f"The `{_meta.lookup_field}` of the object to {_meta.action}.",
            )
        if cls.takes_input:
            mode = Mode.PARTIAL_INPUT if _meta.partial else Mode.INPUT
            input_type = serializer_type(serializer_class, mode, name=input_type_name)
            if not input_type._meta.fields:
                # graphql-core refuses an input type of no fields: every request would fail.
                raise ImproperlyConfigured(
                    f"{cls.__name__}: {serializer_class.__qualname__} has no field a client "
                    f"writes, so the input type {input_type._meta.name} would have none, "
                    "which GraphQL refuses (every request to the schema would fail). Set "
                    "takes_input = False on the mutation, or give the serializer a writable "
                    "field."
                )
            wrapped: Any = graphene.NonNull(input_type)
            if cls.many:
                wrapped = graphene.NonNull(graphene.List(wrapped))
            elif not _meta.input_required:
                wrapped = input_type  # every field optional: `input` may be left out
            if input_field_name in arguments:
                raise ImproperlyConfigured(
                    f"{cls.__name__}.Meta.input_field_name {input_field_name!r} is also the "
                    f"name of the lookup argument (lookup_field {_meta.lookup_field!r}): the "
                    "input would replace it, and no row could be named. Give the input "
                    "another name."
                )
            arguments[input_field_name] = graphene.Argument(wrapped)

        for option, name in (
            ("return_field_name", return_field_name),
            ("input_field_name", input_field_name if cls.takes_input else None),
        ):
            if name is not None and not (
                isinstance(name, str) and GRAPHQL_NAME.fullmatch(name) and name[:2] != "__"
            ):
                raise ImproperlyConfigured(
                    f"{cls.__name__}.Meta.{option} {name!r} is no GraphQL name: letters, "
                    "digits and underscores, not starting with a digit nor with __ "
                    "(GraphQL's own)."
                )
        _meta.return_field_name = return_field_name or cls._default_return_field_name(_meta)
        fields = cls._payload_fields(_meta, output_type_name)
        for name in fields:
            if any(
                isinstance(vars(base).get(name), MountedType | UnmountedType)
                for base in cls.__mro__
            ):
                raise ImproperlyConfigured(
                    f"{cls.__name__} declares a field {name!r}, the payload's own field "
                    "(Meta.return_field_name): the declared one would replace what the "
                    "mutation returns. Give Meta.return_field_name another name (Meta."
                    "output_type gives the payload field a type of your own)."
                )
        if _meta.fields:
            _meta.fields.update(fields)
        else:
            _meta.fields = fields
        options.setdefault("name", f"{cls.__name__}Payload")
        # The payload is the class itself, as graphene makes it when no output (Meta.output
        # or an `Output` attribute) is given; said outright, graphene skips collecting the
        # class's fields a first time, which ObjectType does again anyway.
        options.setdefault("output", getattr(cls, "Output", None) or cls)
        super().__init_subclass_with_meta__(_meta=_meta, arguments=arguments, **options)
        registry.claim(cls._meta.name, (cls, "payload"), cls)  # a clash is check E003
        mutation_classes.append(cls)

    # ------------------------------------------------------------------ schema shape

    @classmethod
    def _default_return_field_name(cls, meta: SerializerMutationOptions) -> str:
        if meta.model is not None:
            opts = meta.model._meta
            if not cls.many:
                return lower_camel(opts.object_name)
            # The plural as written in the model, whatever language is active when the
            # schema is built; a label that makes no GraphQL name gives way to "<model>s".
            with translation.override(None):
                plural = lower_camel(opts.verbose_name_plural)
            return plural if GRAPHQL_NAME.fullmatch(plural) else lower_camel(opts.object_name) + "s"
        base = type_base_name(meta.output_serializer_class)
        return lower_camel(base + ("s" if cls.many else ""))

    @classmethod
    def _payload_fields(
        cls, meta: SerializerMutationOptions, output_type_name: str | None
    ) -> dict[str, graphene.Field]:
        output_type = meta.output_type or serializer_type(
            meta.output_serializer_class, Mode.OUTPUT, output_type_name
        )
        if not output_type._meta.fields:
            # graphql-core refuses an object type of no fields: every request would fail.
            raise ImproperlyConfigured(
                f"{cls.__name__}: {meta.output_serializer_class.__qualname__} renders no "
                f"field (write_only ones are never read), so the output type "
                f"{output_type._meta.name} would have none, which GraphQL refuses (every "
                "request to the schema would fail). Give the mutation an "
                "output_serializer_class that renders the result, or an output_type."
            )
        if meta.output_many:
            return {
                meta.return_field_name: graphene.Field(
                    graphene.NonNull(graphene.List(graphene.NonNull(output_type)))
                )
            }
        return {meta.return_field_name: graphene.Field(output_type)}

    @classmethod
    def _checked_output_type(cls, meta: SerializerMutationOptions, output_type: Any) -> type:
        owner = f"{cls.__name__}.Meta"
        checked = checked_output_type(owner, meta.output_serializer_class, output_type)
        type_model = node_model(output_type)
        rows = meta.queryset.model if meta.queryset is not None else meta.model
        if (
            type_model is not None
            and rows is not None
            and not same_rows(type_model, rows)
            and not _overrides(cls, _RENDERED_ROWS_HOOKS)
        ):
            # The saved rows are what is rendered: a type of other rows fails every call.
            raise ImproperlyConfigured(
                f"{owner}: output_type {output_type.__name__} shows {type_model.__name__} "
                f"rows; this mutation saves and returns {rows.__name__} rows. Give a "
                f"type of {rows.__name__} rows, or override perform_mutate() to "
                "return the rows the type shows."
            )
        return checked

    @classmethod
    def _lookup_type(cls, meta: SerializerMutationOptions) -> Any:
        if meta.lookup_arg_name == "id":
            return graphene.ID
        if meta.serializer_class is not None:
            field = instantiate(meta.serializer_class).fields.get(meta.lookup_field)
            if field is not None:
                # Without a rule's NonNull: the lookup argument is made NonNull itself.
                converted = nullable(convert_serializer_field(field, Mode.INPUT))
                if converted is not None and not isinstance(converted, graphene.List):
                    return converted
        return graphene.String

    # ------------------------------------------------------------------ hooks (DRF's names)

    @classmethod
    def get_queryset(cls, info: Any) -> models.QuerySet:
        """The rows this mutation may touch; an object outside it is ``NOT_FOUND``."""
        if cls._meta.queryset is not None:
            return cls._meta.queryset.all()
        if cls._meta.model is None:
            raise ImproperlyConfigured(
                f"{cls.__name__} needs Meta.model, Meta.queryset or get_queryset()."
            )
        return cls._meta.model._default_manager.all()

    @classmethod
    def get_permissions(cls, info: Any) -> list[Any]:
        classes = cls._meta.permission_classes
        if classes is None:
            classes = api_settings.DEFAULT_PERMISSION_CLASSES
        return [permission() for permission in classes]

    @classmethod
    def get_serializer_class(cls, info: Any) -> type[serializers.BaseSerializer] | None:
        # A delete named by its node alone: the node's serializer, as its viewset's would be;
        # a delete of a model alone has none (its key is read as it is).
        return cls._meta.serializer_class or cls._meta.output_serializer_class

    @classmethod
    def get_serializer_context(cls, info: Any) -> dict[str, Any]:
        """``request``, ``view``, ``format`` and ``info``: what a REST view would give."""
        call = _current_call.get()
        if call is None or call.operation is not cls:
            request = operation_request(info.context, ACTION_METHODS.get(cls._meta.action, "POST"))
            view = OperationView(cls, info, request, cls._meta.action)
            return view.base_serializer_context()
        return call.view.base_serializer_context()

    @classmethod
    def get_serializer(cls, info: Any, *args: Any, **kwargs: Any) -> serializers.BaseSerializer:
        kwargs.setdefault("context", cls.get_serializer_context(info))
        return prebuild_fields(cls.get_serializer_class(info)(*args, **kwargs))

    @classmethod
    def get_object(cls, info: Any, lookup_value: Any) -> models.Model:
        """Look the object up in ``get_queryset()`` and check object permissions on it."""
        # Locked until the mutation's transaction ends: a concurrent update or delete of
        # the same row waits for this one instead of overwriting or resurrecting it.
        call = _current_call.get()
        own = call is not None and call.operation is cls
        rows = call.queryset if own and call.queryset is not None else None
        queryset, relock_on = lock_for_update(
            rows.all() if rows is not None else cls.get_queryset(info)
        )
        instance = lock_found_row(
            queryset, get_object(queryset, {cls._meta.lookup_field: lookup_value}), relock_on
        )
        if own:
            view = call.view
        else:
            # A hook called from another operation, or from a project's own resolver: judged
            # as this class's own operation would judge it, with its request and view.
            action = cls._meta.action
            request = operation_request(info.context, ACTION_METHODS.get(action, "POST"))
            lookup = {cls._meta.lookup_field: lookup_value}
            view = OperationView(cls, info, request, action, lookup, cls.get_permissions(info))
        check_object_permissions(view.get_permissions(), view.request, view, instance)
        return instance

    @classmethod
    def perform_mutate(cls, serializer: serializers.BaseSerializer, info: Any) -> Any:
        """Save and return what the output serializer renders. Override for custom work."""
        return serializer.save()

    # ------------------------------------------------------------------ execution

    @classmethod
    @direct_resolver
    def mutate(cls, root: Any, info: Any, **kwargs: Any) -> Any:
        clear_failure_of_other_operations(info)
        try:
            return cls._execute(info, kwargs)
        except Exception as exc:  # every failure becomes one GraphQL error with a code
            flag_failure(info)
            argument = cls._meta.input_field_name if cls.takes_input else None
            raise resolver_error(exc, info, kwargs, argument) from None

    @classmethod
    def _execute(cls, info: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        meta = cls._meta
        data = (
            to_serializer_data(kwargs.get(meta.input_field_name, {})) if cls.takes_input else None
        )
        endpoint = drf_request(info.context)
        request = operation_request(endpoint, ACTION_METHODS.get(meta.action, "POST"))
        lookup_value = kwargs.get(meta.lookup_arg_name) if meta.lookup_field else None
        if meta.output_type is not None and meta.lookup_arg_name == "id":
            lookup_value = node_lookup(meta.output_type, lookup_value, info)  # a global ID
        view_kwargs = {meta.lookup_field: lookup_value} if meta.lookup_field else {}
        permissions = cls.get_permissions(info)
        view = OperationView(cls, info, request, meta.action, view_kwargs, permissions)
        token = _current_call.set(_Call(cls, request, view))
        try:
            # The REST call's body as request.data, a new one (an empty one without input,
            # as a REST call without a body gets): what the operation's code writes into it
            # stays its own. On the endpoint's request, which the document's other
            # operations share (a create's), that body and what the operation's code notes
            # are its own for its length; a copy made for another method is the
            # operation's alone.
            body = {} if data is None else data
            if request is endpoint:
                with own_attributes(request), carrying(request, body):
                    return cls._perform(info, request, view, permissions, lookup_value, data)
            carry_data(request, body)
            return cls._perform(info, request, view, permissions, lookup_value, data)
        finally:
            _current_call.reset(token)

    @classmethod
    def _perform(
        cls,
        info: Any,
        request: Any,
        view: OperationView,
        permissions: list[Any],
        lookup_value: Any,
        data: Any,
    ) -> dict[str, Any]:
        """Permissions, then ``run`` in the operation's transaction."""
        check_permissions(permissions, request, view)
        try:
            with cls._transaction(info):
                payload = cls.run(info, lookup_value, data)
                if cls.takes_input:
                    reader = PayloadReader(info, payload)
                    refuse_unfilled(cls.__name__, info, payload, reader)
                    refuse_unrepresented(cls.__name__, info, payload, reader)
                return payload
        except IntegrityError as exc:
            if not no_input_explains(exc):  # server-side: stays one (logged, 500)
                cls._explain_integrity_error(info, lookup_value, data, exc)
            raise

    @classmethod
    def run(cls, info: Any, lookup_value: Any, data: Any) -> dict[str, Any]:
        """Look up, validate, perform, render: the body of the DRF view action."""
        instance = cls.get_object(info, lookup_value) if cls._meta.lookup_field else None
        serializer = cls.get_serializer(
            info,
            instance,
            # Without an input argument, an empty body: what a POST without one gives REST.
            data={} if data is None else data,
            partial=cls._meta.partial,
            many=cls.many,
        )
        validate_with_nested_ids(serializer, data)
        result = cls.perform_mutate(serializer, info)
        if instance is not None and getattr(instance, "_prefetched_objects_cache", None):
            # As UpdateModelMixin does: drop prefetched relations the update made stale.
            instance._prefetched_objects_cache = {}
        return {cls._meta.return_field_name: cls.render(info, serializer, result)}

    @classmethod
    def render(cls, info: Any, serializer: serializers.BaseSerializer, result: Any) -> Any:
        """The output serializer's ``to_representation`` of ``result``."""
        meta = cls._meta
        if (
            meta.output_serializer_class is meta.serializer_class
            and meta.output_many == cls.many
            and (result is None or result is serializer.instance)
        ):
            return serializer.data
        if result is None:
            # A DRF-style perform_create/perform_update returns nothing: render what it
            # saved, as a REST view with a separate read serializer does.
            result = serializer.instance
        if result is None:
            # Nothing saved, nothing returned: no row to show (a serializer rendering None
            # would make one up from its fields' blanks).
            return [] if meta.output_many else None
        output = meta.output_serializer_class(
            result, many=meta.output_many, context=cls.get_serializer_context(info)
        )
        return prebuild_fields(output, reading=True, nested=True).data

    @classmethod
    def _transaction(cls, info: Any = None) -> Any:
        atomic = cls._meta.atomic
        atomic = crud_settings.ATOMIC_MUTATIONS if atomic is None else atomic
        if cls._meta.lookup_field and info is not None and project_hook(cls, "get_queryset"):
            return rows_transaction(atomic, cls._meta.model, lambda: cls._own_rows(info))
        # No project get_queryset() to ask (just asked): the rows are Meta.queryset's.
        return operation_transaction(atomic, cls._meta.model, cls._rows_database())

    @classmethod
    def _own_rows(cls, info: Any) -> Any:
        """The project's ``get_queryset(info)``, kept for the lookup: it runs once."""
        queryset = cls.get_queryset(info)
        call = _current_call.get()
        if call is not None and call.operation is cls:
            call.queryset = queryset
        return queryset

    @classmethod
    def _rows_database(cls, info: Any = None) -> str | None:
        """Where a looked-up row is read, locked and saved back: the ``using()`` of the
        queryset it is looked up in, the project's ``get_queryset(info)`` where it has one
        (it may read another database), else ``Meta.queryset``."""
        if not cls._meta.lookup_field:
            return None
        if info is not None and project_hook(cls, "get_queryset") is not None:
            return rows_database(cls.get_queryset(info))
        return rows_database(cls._meta.queryset)

    @classmethod
    def _explain_integrity_error(
        cls, info: Any, lookup_value: Any, data: Any, exc: IntegrityError
    ) -> None:
        """Turn a lost race into the validation error it is.

        The serializer's validators passed before another writer committed the same unique
        value, or deleted a related row; run them again now that the change is visible, and
        raise their error. When they still pass, the constraint is one the serializer does
        not know: a generic ``VALIDATION_ERROR`` without a field (``unexplained_conflict``).
        """
        if not cls.takes_input:
            raise unexplained_conflict(exc)
        with rolled_back(cls._meta.model, cls._rows_database(info)):
            instance = cls.get_object(info, lookup_value) if cls._meta.lookup_field else None
            serializer = cls.get_serializer(
                info, instance, data=data, partial=cls._meta.partial, many=cls.many
            )
            serializer.is_valid(raise_exception=True)
        raise unexplained_conflict(exc)


def flag_failure(info: Any) -> None:
    """Note on the request that a mutation failed, as graphene-django's own mutations do
    (``MUTATION_ERRORS_FLAG``): its ``GraphQLView`` undoes the document's transaction on it
    (``ATOMIC_MUTATIONS``, ``ATOMIC_REQUESTS``), so the mutations before this one in the
    document are undone too. ``DRFGraphQLView`` undoes it on any error anyway. The
    operation that failed is noted beside it (``clear_failure_of_other_operations``)."""
    flag_failed_operation(info.context, info.operation)


def flag_failed_operation(context: Any, operation: Any) -> None:
    """``flag_failure`` for the request ``context`` and the ``operation`` node that failed."""
    with suppress(Exception):  # a project's context that takes no attributes
        setattr(context, MUTATION_ERRORS_FLAG, True)
        setattr(context, _FAILED_OPERATION, operation)


def clear_failure_of_other_operations(info: Any) -> None:
    """Take off the flag a write of the library's set in another operation of the request.

    graphene-django's batch view runs each operation of the batch on the one request and
    never clears the flag: a failed entry would undo every later entry's writes, while
    their answers tell the client they were made. A flag of its own mutations' is theirs.
    """
    own = getattr(info.context, "__dict__", None)
    if isinstance(own, dict) and own.get(_FAILED_OPERATION, info.operation) is not info.operation:
        own.pop(MUTATION_ERRORS_FLAG, None)
        own.pop(_FAILED_OPERATION, None)


#: Where ``flag_failure`` notes the operation whose write failed.
_FAILED_OPERATION = "_drf_graphql_crud_failed_operation"


def rows_database(queryset: Any) -> str | None:
    """The database a queryset names with ``using()``: its rows are read there, and saved
    back there (``Model.save()`` keeps the row's database), whatever the router says."""
    return queryset._db if isinstance(queryset, models.QuerySet) else None


def operation_transaction(
    atomic: bool, model: type[models.Model] | None, using: str | None = None
) -> Any:
    """The transaction one operation writes in, on ``using`` (the database its looked-up
    rows come from) or ``model``'s: ``atomic()``, or with ``atomic`` off none, but a
    savepoint inside a transaction the project opened (``ATOMIC_REQUESTS``): a database
    error then leaves that transaction usable, to explain the error."""
    using = using or (router.db_for_write(model) if model else None)
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        if connection.vendor in _IMMEDIATE_CHECKS:
            return _checked_savepoint(using)
        return transaction.atomic(using=using)
    if not atomic:
        return nullcontext()
    return transaction.atomic(using=using)


#: Databases whose deferred constraints (Django's foreign keys) are checked at once by
#: ``check_constraints()`` (``SET CONSTRAINTS ALL IMMEDIATE``). SQLite's reads every
#: table (``PRAGMA foreign_key_check``): there they are left to the commit, as REST's are.
_IMMEDIATE_CHECKS = frozenset({"postgresql", "oracle"})


@contextmanager
def _checked_savepoint(using: str | None) -> Iterator[None]:
    """A savepoint in a transaction the project opened (``ATOMIC_REQUESTS``, an
    operation-wide ``ATOMIC_MUTATIONS``), whose deferred constraints are checked before it
    ends: a foreign key to a row deleted since validation fails here, inside the
    operation, where it is explained as a validation error, not at the request's commit
    after the answer was written (a 500)."""
    with transaction.atomic(using=using):
        yield
        transaction.get_connection(using).check_constraints()


@contextmanager
def rows_transaction(
    atomic: bool, model: type[models.Model] | None, rows: Callable[[], Any]
) -> Iterator[Any]:
    """The transaction of an operation whose rows come from the project's own code
    (``rows()``: a ``get_queryset()``): opened on the model's database first, so that the
    code runs inside it, then also on the database its rows' ``using()`` names, where
    that is another one (they are locked and saved back there)."""
    with operation_transaction(atomic, model):
        queryset = rows()
        using = rows_database(queryset)
        if using is None or using == (router.db_for_write(model) if model else None):
            yield queryset
        else:
            with operation_transaction(atomic, model, using):
                yield queryset


@contextmanager
def rolled_back(model: type[models.Model] | None, using: str | None = None) -> Iterator[None]:
    """A transaction on ``using`` or ``model``'s database, undone whatever happens in it: a
    second validation only looks, but a validator may write (a field that creates its tag)."""
    using = using or (router.db_for_write(model) if model else None)
    with transaction.atomic(using=using):
        try:
            yield
        finally:
            transaction.set_rollback(True, using=using)


#: The hooks that decide which rows a mutation returns for rendering.
_RENDERED_ROWS_HOOKS = ("run", "perform_mutate", "perform_create", "perform_update", "render")


def _overrides(cls: type, names: tuple[str, ...]) -> bool:
    """Whether ``cls`` (or a base of a project's) defines any of ``names`` anew."""
    return any(project_hook(cls, name) is not None for name in names)


class CreateMutation(SerializerMutation):
    """``create<Model>(input: <X>Input!): {<model>}``: DRF's ``create`` action (POST)."""

    class Meta:
        abstract = True

    default_action = "create"

    @classmethod
    def perform_create(cls, serializer: serializers.BaseSerializer, info: Any) -> Any:
        return serializer.save()

    @classmethod
    def perform_mutate(cls, serializer: serializers.BaseSerializer, info: Any) -> Any:
        return cls.perform_create(serializer, info)


class BulkCreateMutation(CreateMutation):
    """``bulkCreate<Model>(input: [<X>Input!]!): {<models>}``: many objects, all or nothing.

    The input goes through the serializer's ``ListSerializer`` (``many=True``), so a
    serializer's own ``Meta.list_serializer_class`` (for a ``bulk_create``) is used.
    """

    class Meta:
        abstract = True

    many = True

    @classmethod
    def get_serializer(cls, info: Any, *args: Any, **kwargs: Any) -> serializers.BaseSerializer:
        serializer = super().get_serializer(info, *args, **kwargs)
        if type(serializer) is serializers.ListSerializer:
            if type(serializer.child).save is not serializers.BaseSerializer.save:
                # A child with its own save() (drf-writable-nested) must see each item's input.
                serializer.__class__ = ItemwiseListSerializer
            else:
                serializer.__class__ = IndexedListSerializer
        return serializer


class IndexedListSerializer(serializers.ListSerializer):
    """DRF's ListSerializer, whose items refused while being created keep their index.

    ``ListSerializer.create`` creates each item with the child's ``create()``; a
    ``ValidationError`` raised there (a model's ``full_clean()``) names the item's fields
    only, which are no path in the list the client sent. The error gets the item's index,
    as the item's validation errors do.
    """

    def create(self, validated_data: list[dict[str, Any]]) -> list[Any]:
        instances = []
        for index, attrs in enumerate(validated_data):
            with refusals_of_item(len(validated_data), index):
                instances.append(self.child.create(attrs))
        return instances


@contextmanager
def refusals_of_item(count: int, index: int) -> Iterator[None]:
    """What refuses item ``index`` of ``count`` while it is saved, as the list's error at
    that index, as the item's validation errors are: a ``ValidationError`` (a model's
    ``full_clean()``, a nested writer's own checks), or a value the database refused (a
    text past its column's length, an integer past its range: logged, as
    ``as_api_exception`` logs it), which is the item's too."""
    try:
        yield
    except IntegrityError as exc:
        # Left to the mutation to explain (a lost race validating again finds), or to
        # name as this item's conflict where nothing does (another item took the value).
        note_refused_item(exc, count, index)
        raise
    except (
        serializers.ValidationError,
        DjangoValidationError,
        DataError,
        ProgrammingError,
        OverflowError,
    ) as exc:
        refusal = as_api_exception(exc)
        if refusal is None:  # the server's own arithmetic, or SQL
            raise
        details: list[Any] = [{} for _ in range(count)]
        details[index] = refusal.detail
        raise serializers.ValidationError(details) from exc


class ItemwiseListSerializer(serializers.ListSerializer):
    """DRF's ListSerializer, saving each item through a serializer that saw that item.

    ``ListSerializer.create`` hands every item to one shared child serializer that never
    saw the item's input. Nested writers that hook ``save()`` and read nested rows from the
    input (drf-writable-nested does both) would silently drop the nested rows of every
    item. For such a child each item is saved by its own child instance, bound to the
    item's input and to the attributes the list already validated (no second validation).
    Other children keep DRF's ListSerializer (building fields per item costs ~0.4 ms), and
    a serializer with its own ``Meta.list_serializer_class`` keeps it.
    """

    def create(self, validated_data: list[dict[str, Any]]) -> list[Any]:
        items = self.initial_data if isinstance(self.initial_data, list) else []
        instances = []
        for index, attrs in enumerate(validated_data):
            child = prebuild_fields(
                type(self.child)(
                    data=items[index] if index < len(items) else {}, context=self.context
                )
            )
            # In the list, as DRF binds its shared child: code reading self.parent or
            # self.root (the list's initial_data) sees what REST's list child sees.
            child.bind(field_name="", parent=self)
            child._validated_data = attrs  # what is_valid() would store
            child._errors = {}
            with refusals_of_item(len(validated_data), index):
                instances.append(child.save())
        return instances


class UpdateMutation(SerializerMutation):
    """``update<Model>(id: ID!, input: <X>PartialInput!): {<model>}``: PATCH by default.

    ``Meta.partial = False`` makes it a full update (PUT, action ``update``) whose input
    requires what creation requires.
    """

    class Meta:
        abstract = True

    default_action = "partial_update"
    default_lookup_field = "pk"

    @classmethod
    def perform_update(cls, serializer: serializers.BaseSerializer, info: Any) -> Any:
        return serializer.save()

    @classmethod
    def perform_mutate(cls, serializer: serializers.BaseSerializer, info: Any) -> Any:
        return cls.perform_update(serializer, info)


class DeleteMutation(SerializerMutation):
    """``delete<Model>(id: ID!): {deletedId: ID!}``: DRF's ``destroy`` action (DELETE).

    ``Meta.model`` (or ``serializer_class``, from which the model is taken) names the rows.
    ``Meta.output_type``, the type the row is read as elsewhere, may name them too: when it
    is a Relay node, ``id`` takes its global IDs and ``deletedId`` is one.
    """

    class Meta:
        abstract = True

    takes_input = False
    default_action = "destroy"
    default_lookup_field = "pk"

    @classmethod
    def _payload_fields(
        cls, meta: SerializerMutationOptions, output_type_name: str | None
    ) -> dict[str, graphene.Field]:
        return {"deleted_id": graphene.Field(graphene.NonNull(graphene.ID))}

    @classmethod
    def _checked_output_type(cls, meta: SerializerMutationOptions, output_type: Any) -> type:
        # Nothing is rendered: the type only has to be one of the same rows.
        checked_output_type(f"{cls.__name__}.Meta", None, output_type)
        type_model = node_model(output_type)
        rows = meta.queryset.model if meta.queryset is not None else meta.model
        if type_model is None or rows is None or not same_rows(type_model, rows):
            raise ImproperlyConfigured(
                f"{cls.__name__}.Meta: output_type {output_type.__name__} shows "
                f"{getattr(type_model, '__name__', None)} rows; this mutation deletes "
                f"{getattr(rows, '__name__', None)} rows."
            )
        return output_type

    @classmethod
    def perform_destroy(cls, instance: Any, info: Any) -> None:
        instance.delete()

    @classmethod
    def run(cls, info: Any, lookup_value: Any, data: Any) -> dict[str, Any]:
        instance = cls.get_object(info, lookup_value)
        try:
            serializer_class = cls.get_serializer_class(info)
        except Exception:  # noqa: BLE001 - one per action, none for destroy, which REST's
            serializer_class = None  # destroy never asks: the key as it is
        answer = deleted_id(
            cls._meta.output_type,
            instance,
            lambda: cls.get_serializer_context(info),
            serializer_class,
        )
        cls.perform_destroy(instance, info)
        return {"deleted_id": answer}
