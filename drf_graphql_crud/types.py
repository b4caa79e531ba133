"""
GraphQL object and input types built from serializers, and the registry that names them.

Names are deterministic: a serializer class's base name (its ``Meta.graphql_name``, else the
class name without a trailing ``Serializer``) plus ``Output``, ``Input`` or
``PartialInput``. The suffixes keep them apart from the names projects give their
``DjangoObjectType``s (``Task``, ``TaskType``, ``TaskNode``). A serializer nested in several
places gets one type per mode, built once; so do the classes DRF builds for ``Meta.depth``,
one per model and depth (``ProjectDepth0Output``).

graphene refuses two different types of one name only when both reach the schema, and then
with a message that names neither serializer. The registry instead remembers every name it
hands out; when a second serializer (or a second set of choices) asks for a taken name, it
records the collision and hands back the first type, and the system check
``drf_graphql_crud.E003`` reports both origins at start-up.
"""

from __future__ import annotations

import difflib
import enum
import functools
import hashlib
import inspect
import keyword
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, make_dataclass
from dataclasses import field as dataclass_field
from typing import Any

import graphene
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.utils import translation
from django.utils.encoding import force_str
from graphene.types import inputobjecttype
from graphene.types.inputobjecttype import InputObjectTypeContainer, InputObjectTypeOptions
from graphene.types.interface import InterfaceOptions
from graphene.types.objecttype import ObjectTypeMeta, ObjectTypeOptions
from graphene.types.union import UnionOptions
from graphene.types.utils import yank_fields_from_attrs
from graphene.utils.str_converters import to_camel_case
from graphql.pyutils import inspect as inspect_value
from rest_framework import serializers

from .converter import (
    Mode,
    convert_serializer_field,
    declared_field,
    enum_member_name,
    field_description,
    is_model_pk,
    is_non_null,
    nullable,
    pk_aliases,
    place_name,
    renders_its_own_way,
    shapes_its_fields,
)
from .depth import depth_nested, signature_of, type_representative

PK_INPUT_DESCRIPTION = (
    "An existing row's id, read by writable nested serializers to update that row; "
    "ignored by validation, as under REST."
)

__all__ = [
    "LazyDataclassMeta",
    "SerializerInputObjectType",
    "SerializerObjectType",
    "build_fields",
    "registry",
    "serializer_type",
    "type_base_name",
]

_SUFFIX = {Mode.OUTPUT: "Output", Mode.INPUT: "Input", Mode.PARTIAL_INPUT: "PartialInput"}


def lower_camel(text: str) -> str:
    """``"Task"`` -> ``"task"``, ``"sub tasks"`` -> ``"subTasks"``: field names from model names."""
    words = str(text).replace("-", " ").split()
    camel = "".join(word[:1].upper() + word[1:] for word in words)
    return camel[:1].lower() + camel[1:]


def type_base_name(serializer_class: type[serializers.BaseSerializer]) -> str:
    """``TaskSerializer`` -> ``Task``; ``Meta.graphql_name`` wins when a serializer sets it.

    A class made by ``build_nested_field`` for ``Meta.depth`` is named for its model and
    depth: ``ProjectDepth0`` (relations as keys), ``ProjectDepth1`` (relations one level
    deep), ``ProjectHyperlinkedDepth0``; a project's own class there adds its name
    (``ProjectBriefDepth0`` for a ``BriefSerializer``).
    """
    explicit = getattr(getattr(serializer_class, "Meta", None), "graphql_name", None)
    if explicit:
        problem = graphql_name_problem(explicit, whole=False)
        if problem is not None:
            raise ImproperlyConfigured(
                f"{serializer_class.__qualname__}.Meta.graphql_name = {explicit!r}: {problem}."
            )
        return explicit
    nested = depth_nested(serializer_class)
    if nested is not None:
        return f"{nested.model.__name__}{nested.word}Depth{nested.depth}"
    name = serializer_class.__name__
    if name.endswith("Serializer") and name != "Serializer":
        name = name[: -len("Serializer")]
    return name


def model_of(serializer_class: Any, queryset: Any) -> Any:
    """The model of the rows an operation shows: its queryset's, else the serializer's
    ``Meta.model``; ``None`` when neither says (a callable queryset, a plain serializer)."""
    from django.db import models

    if isinstance(queryset, models.QuerySet | models.Manager):
        return queryset.model
    return getattr(getattr(serializer_class, "Meta", None), "model", None)


def renders_rows(model: type, rows: type) -> bool:
    """Whether what renders (or saves) ``model`` rows can take ``rows``: the model itself, a
    multi-table child of it, or a proxy of its table (or the table of a proxy)."""
    return issubclass(rows, model) or rows._meta.concrete_model is model._meta.concrete_model


def same_rows(model: type, other: type) -> bool:
    """Whether two models name rows of one table for a lookup or a global ID: ``renders_rows``
    either way round."""
    return renders_rows(model, other) or renders_rows(other, model)


def refuse_other_rows(owner: str, serializer_class: Any, model: Any) -> None:
    """Refuse rows of another model than the serializer's (``queryset=Project.objects``
    under a ``Task`` serializer): every call would render, or save, them as the wrong rows.
    """
    serializer_model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    if model is None or serializer_model is None or renders_rows(serializer_model, model):
        return
    raise ImproperlyConfigured(
        f"{owner}: its rows are {model.__name__} rows, but {serializer_class.__name__} "
        f"serializes {serializer_model.__name__} rows."
    )


def default_type_name(serializer_class: type[serializers.BaseSerializer], mode: Mode) -> str:
    return type_base_name(serializer_class) + _SUFFIX[mode]


def refuse_unknown_options(cls: type, options: dict[str, Any]) -> None:
    """Refuse ``Meta`` options that neither the library's class nor graphene's take.

    graphene passes what it does not know along and drops it at the end: a misspelt
    ``permissions_classes`` would leave a mutation open to anyone, and no check could tell.
    """
    known = _meta_options(cls)
    unknown = sorted(name for name in options if name not in known)
    if not unknown:
        return
    name = unknown[0]
    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f". It takes {', '.join(sorted(known))}."
    raise ImproperlyConfigured(f"{cls.__name__}.Meta: unknown option {name!r}{hint}")


def _meta_options(cls: type) -> frozenset[str]:
    """The ``Meta`` options of ``cls``: the parameters of each ``__init_subclass_with_meta__``
    along its bases (the library's and graphene's, whichever graphene is installed)."""
    names: set[str] = set()
    for base in cls.__mro__:
        method = vars(base).get("__init_subclass_with_meta__")
        if method is not None:
            names |= _parameters(getattr(method, "__func__", method))
    return frozenset(names)


@functools.cache
def _parameters(function: Any) -> frozenset[str]:
    parameters = inspect.signature(function).parameters.values()
    return frozenset(
        parameter.name
        for parameter in parameters
        if parameter.kind is not inspect.Parameter.VAR_KEYWORD
        and parameter.name not in ("cls", "_meta")
        and not parameter.name.startswith("_")
    )


@functools.cache
def instantiate(serializer_class: type[serializers.BaseSerializer]) -> serializers.BaseSerializer:
    """An unbound instance whose ``fields`` describe the serializer, for building types.

    One per class, shared by every mode's type and by lookups: building a serializer's
    fields is most of the cost of building its types. Read it; never change it.
    """
    if not (
        isinstance(serializer_class, type)
        and issubclass(serializer_class, serializers.BaseSerializer)
    ):
        raise ImproperlyConfigured(f"{serializer_class!r} is not a DRF serializer class.")
    try:
        instance = serializer_class()
        instance.fields  # noqa: B018 - built lazily; a get_fields() needing a request fails here
        return instance
    except Exception as exc:
        raise ImproperlyConfigured(
            f"{serializer_class.__qualname__} could not be instantiated without arguments to "
            f"read its fields ({exc.__class__.__name__}: {exc}). Build types from a serializer "
            "whose __init__ and get_fields() work without a request in the context."
        ) from exc


@dataclass(frozen=True)
class Collision:
    """Two origins that asked for one GraphQL type name. ``payload``: both are mutations'
    payloads, each of which keeps its own type: separate schemas may serve them (W007); one
    schema holding both gives the second the first one's type (graphene keeps the first it
    meets), an E003 when the checks find such a schema. ``types``: the two payload classes."""

    name: str
    first: str
    second: str
    payload: bool = False
    types: tuple[Any, ...] = ()


def _is_payload(key: Any) -> bool:
    """Whether a registry key is a payload's: ``(mutation class or viewset, "payload")``."""
    return isinstance(key, tuple) and len(key) == 2 and key[1] == "payload"


def _mode_of(key: Any) -> Mode | None:
    """The mode of a registry key ``(serializer class, mode)``; None for another key."""
    return key[1] if isinstance(key, tuple) and len(key) == 2 and isinstance(key[1], Mode) else None


def _origin(obj: Any) -> str:
    if isinstance(obj, type):
        nested = depth_nested(obj)
        if nested is not None:
            how = "as DRF makes it"
            if not nested.drf_own:
                options = ", ".join(
                    f"{name}={value!r}"
                    for name, value in vars(obj.Meta).items()
                    if not name.startswith("__") and name not in ("model", "depth")
                )
                how = f"as a build_nested_field left it: Meta {options or 'unchanged'}"
            return (
                f"{obj.__module__}.{obj.__qualname__} (for Meta.depth: "
                f"{nested.model._meta.label} at depth {nested.depth}, {how})"
            )
        return f"{obj.__module__}.{obj.__qualname__}"
    if isinstance(obj, serializers.Field):
        owner = obj.parent
        while owner is not None and not isinstance(owner, serializers.Serializer):
            owner = owner.parent
        owner_name = _origin(type(owner)) if owner is not None else "?"
        return f"{owner_name}.{obj.field_name or obj.__class__.__name__}"
    return repr(obj)


def _made_alike(key: Any, other: Any) -> bool:
    """Whether two ``(serializer class, mode)`` keys are one serializer made twice: a
    class a function makes at each call (a viewset's ``get_serializer_class()``), the same
    module, name, bases, ``Meta`` and body by value. Their types are the same type."""
    classes = (key[0], other[0]) if len(key) == len(other) == 2 else ()
    if key[1:] != other[1:] or not all(
        isinstance(each, type)
        and issubclass(each, serializers.BaseSerializer)
        and hasattr(each, "Meta")
        for each in classes
    ):
        return False
    signature = signature_of(classes[0])
    return signature is not None and signature == signature_of(classes[1])


class TypeRegistry:
    """Every serializer-derived GraphQL type and enum, by name and by origin."""

    def __init__(self) -> None:
        self._by_serializer: dict[tuple[type, Mode], type] = {}
        self._by_name: dict[str, tuple[Any, type]] = {}
        self._enum_choices: dict[str, list[tuple[Any, str]]] = {}
        self.collisions: list[Collision] = []

    def lookup(self, serializer_class: type, mode: Mode) -> type | None:
        return self._by_serializer.get((serializer_class, mode))

    def claim(self, name: str, key: Any, graphene_type: type | None) -> type:
        """Register ``graphene_type`` under ``name``; on a clash keep the first and record it.

        Callers whose types cannot stand in for each other (payloads) only record the clash
        and keep their own type; check E003 reports it either way.
        """
        existing = self._by_name.get(name)
        if existing is not None:
            if existing[0] != key and not _made_alike(existing[0], key):
                first, second = _origin(existing[0][0]), _origin(key[0])
                if first == second and _mode_of(existing[0]) != _mode_of(key):
                    # One serializer wanting the name for two sides (a name given to a
                    # create's input and to a partial update's): say which.
                    first = f"{first} as {_mode_of(existing[0]).value.replace('_', ' ')}"
                    second = f"{second} as {_mode_of(key).value.replace('_', ' ')}"
                payloads = _is_payload(existing[0]) and _is_payload(key)
                types = (existing[1], graphene_type) if payloads else ()
                self._collide(Collision(name, first, second, payloads, types))
            elif graphene_type is not None and graphene_type is not existing[1]:
                # One serializer and mode, two classes of one name (a hand-written
                # SerializerObjectType named as the generated one): graphene keeps the first.
                # Two payloads of one origin (a ViewSetCrud made twice) each keep theirs.
                payloads = _is_payload(key)
                self._collide(
                    Collision(
                        name,
                        _origin(existing[1]),
                        _origin(graphene_type),
                        payloads,
                        (existing[1], graphene_type) if payloads else (),
                    )
                )
            return existing[1]
        self._by_name[name] = (key, graphene_type)
        return graphene_type

    def register(
        self, graphene_type: type, serializer_class: type, mode: Mode, generated: bool
    ) -> None:
        """Record a type's name; generated types are also *the* type of their serializer.

        A hand-written ``SerializerObjectType`` never replaces the generated type, so the
        schema does not depend on which module was imported first.
        """
        if generated:
            self._by_serializer.setdefault((serializer_class, mode), graphene_type)
        self.claim(graphene_type._meta.name, (serializer_class, mode), graphene_type)

    def name_taken(self, name: str) -> bool:
        return name in self._by_name

    def types_by_name(self) -> dict[str, type]:
        """Every type and enum this library made or registered, by GraphQL name."""
        return {name: entry[1] for name, entry in self._by_name.items() if entry[1] is not None}

    def take_generated_name(self, name: str, key: tuple[type, Mode]) -> type:
        """The type holding ``name``, which the generated type of ``key`` wanted.

        Another serializer's type is a collision, as in ``claim``; so is a hand-written type
        of this serializer under the generated name, which would otherwise stand in for the
        generated one (with its own ``fields``/``exclude``) wherever the library needs it.
        """
        existing_key, existing_type = self._by_name[name]
        if existing_key == key and self._by_serializer.get(key) is not existing_type:
            generated = f"the type drf_graphql_crud generates for {_origin(key[0])}"
            self._collide(Collision(name, _origin(existing_type), generated))
            return existing_type
        return self.claim(name, key, None)

    def _collide(self, collision: Collision) -> None:
        if collision not in self.collisions:
            self.collisions.append(collision)

    def enum(self, name: str, choices: dict[Any, Any], origin: Any) -> type[graphene.Enum]:
        items = [(key, force_str(label)) for key, label in choices.items()]
        existing = self._by_name.get(name)
        if existing is not None:
            if self._enum_choices.get(name) != items:
                self._collide(Collision(name, _origin(existing[0][0]), _origin(origin)))
            return existing[1]
        graphene_enum = _make_enum(name, items)
        self._enum_choices[name] = items
        self._by_name[name] = ((origin, "enum"), graphene_enum)
        return graphene_enum


registry = TypeRegistry()


class _ChoiceEnumMeta(enum.EnumMeta):
    """Looks a member up by its key alone: ``True``, ``1.0`` and ``1`` are equal in Python,
    but a serializer hands over the key itself (DRF maps a stored value to its key by
    text), so a value of another type (a bool for an int, a float) is no key, as under
    REST, which writes it as it is."""

    def __call__(cls, value: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:  # the functional API: making an enum
            return super().__call__(value, *args, **kwargs)
        member = super().__call__(value)
        key = member._value_
        if isinstance(value, cls) or (
            isinstance(value, type(key)) and isinstance(value, bool) == isinstance(key, bool)
        ):
            return member  # the key, or a str/int subclass of its type (a Choices member)
        return cls._missing_(value)


class ChoiceEnumBase(enum.Enum, metaclass=_ChoiceEnumMeta):
    """Base of the Python enums behind this library's choice enums.

    A ``ReadOnlyField`` or ``ModelField`` over a choices column returns the attribute as
    it is: after ``create()`` that is the model's default, a ``TextChoices`` member
    (``Task.Status.TODO``), which REST writes as its value (``"todo"``). graphene hands an
    ``enum.Enum`` member straight to graphql-core, which looks it up among this enum's
    members in a dict, where a foreign member is not found. So a member here hashes as its
    value and equals another enum's member of the same value: a Django ``Choices`` member
    (``str``/``int`` based, so hashed as its value) is found, and represented by its value.
    """

    def __hash__(self) -> int:
        return hash(self._value_)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, enum.Enum) and not isinstance(other, ChoiceEnumBase):
            return bool(self._value_ == other.value)
        return NotImplemented

    @classmethod
    def _missing_(cls, value: Any) -> ChoiceEnumBase:
        """A value no member holds stands for itself, as a stray of no name.

        graphene serializes an output value as ``enum(value)`` and, when no member holds
        it, as ``enum[value]``: a member looked up by *name*. A stored ``"TODO"`` where the
        key is ``"todo"`` would then reach the client as ``TODO``, the member for
        ``"todo"``, where REST answers ``"TODO"``. The stray equals no member, so
        graphql-core reports that the enum cannot represent it, as for any value outside
        ``choices``.
        """
        stray = object.__new__(cls)
        stray._name_ = None  # type: ignore[assignment]
        stray._value_ = value
        return stray

    def __inspect__(self) -> str:
        """How graphql-core's error messages show a stray: as its value."""
        return inspect_value(self._value_)


def _member_base(key: Any) -> str:
    member = enum_member_name(key)
    return f"A{member}" if member.startswith("_") else member


def _owns_member_name(key: Any, base: str, items: list[tuple[Any, str]]) -> bool:
    """Whether ``key`` is the one of the keys reading as ``base`` that is spelled as it:
    the text itself (``"A"``), else the only one upper-casing to it (``"in_progress"``)."""
    rivals = [other for other, _ in items if _member_base(other) == base]
    for spelled in (lambda k: force_str(k) == base, lambda k: force_str(k).upper() == base):
        matching = [other for other in rivals if spelled(other)]
        if matching:
            return len(matching) == 1 and matching[0] == key and type(matching[0]) is type(key)
    return False


def _make_enum(name: str, items: list[tuple[Any, str]]) -> type[graphene.Enum]:
    # Keys compared as DRF tells them apart, by text too: Decimal("0.20") equals
    # Decimal("0.2"), but each serializer takes its own spelling of it.
    choices = tuple((type(key), force_str(key), key, label) for key, label in items)
    shared = _choice_enums.get(choices)
    if shared is None:
        shared = _choice_enums.setdefault(choices, _choice_enum(name, choices))
    python_enum, describe = shared
    # graphene.Enum.from_enum, with its Meta as a dict: graphene reads a Meta class's
    # attributes through dir(), which costs more than the rest of making the type.
    meta = {"enum": python_enum, "description": describe, "deprecation_reason": None}
    return type(name, (graphene.Enum,), {"Meta": meta})


#: Python enums by their choices (each key with its type and text, and its label); see
#: _choice_enum.
_choice_enums: dict[tuple[tuple[type, str, Any, str], ...], tuple[type[enum.Enum], Any]] = {}


def _choice_enum(
    name: str, items: tuple[tuple[type, str, Any, str], ...]
) -> tuple[type[enum.Enum], Any]:
    """The Python enum, and the describer of its members, for one list of choices.

    Shared by the GraphQL enums of every serializer field with the same choices (a model
    field's enum in each of its serializers): their members are the same keys under the
    same names, and making the Python enum is most of the cost of making the type.
    ``name`` names the first; the GraphQL enums keep their own names.
    """
    members: dict[str, Any] = {}
    labels: dict[str, str] = {}
    pairs = [(key, label) for _, _, key, label in items]
    bases = [_member_base(key) for key, _ in pairs]
    for (key, label), base in zip(pairs, bases, strict=True):
        member = base
        if bases.count(base) > 1 and not _owns_member_name(key, base, pairs):
            # Keys that read alike ("in progress" beside "in_progress"): the one spelled as
            # the name keeps it, the others get a suffix of their own key, so no key's name
            # depends on which others are listed, or in which order.
            digest = hashlib.sha1(repr(key).encode(), usedforsecurity=False).hexdigest()
            member = f"{base}_{digest[:6].upper()}"
        members[member] = key
        labels[member] = label
    python_enum: type[enum.Enum] = ChoiceEnumBase(name, list(members.items()))  # type: ignore[misc]

    def describe(value: Any) -> str | None:
        return None if value is None else labels.get(value.name) or None

    return python_enum, describe


def serializer_type(
    serializer: serializers.BaseSerializer | type[serializers.BaseSerializer],
    mode: Mode,
    name: str | None = None,
) -> type | Callable[[], type]:
    """The one GraphQL type for ``serializer`` in ``mode``, built on first use (a
    function giving it, for a tree's field while the type is being built).

    ``serializer`` may be a class or a bound instance (a nested serializer field); an
    instance's fields are used as they are, so a nested ``fields=`` restriction holds.
    """
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    serializer_class = serializer if isinstance(serializer, type) else type(serializer)
    serializer_class = type_representative(serializer_class)
    generated_wanted = name is None
    if name is not None and (problem := graphql_name_problem(name)) is not None:
        raise ImproperlyConfigured(
            f"The type name {name!r} given for {serializer_class.__qualname__}: {problem}."
        )
    narrowed = None if isinstance(serializer, type) or name is not None else _narrowing(serializer)
    if narrowed is not None:
        # Fields of its own (DRF's dynamic-fields pattern, ``fields=`` on a nested
        # serializer): a type of its own, named for its place, never the class's type.
        place, names = narrowed
        name = place + _SUFFIX[mode]
        shape = (serializer_class, mode, names)
        existing = registry.types_by_name().get(name)
        if existing is not None and getattr(existing, "_narrowed_shape", None) == shape:
            return existing
    if name is None:
        found = registry.lookup(serializer_class, mode)
        if found is not None:
            return found
        name = default_type_name(serializer_class, mode)
    if registry.name_taken(name):
        # Another type has the name: keep it, and record the collision for the system
        # check instead of corrupting the schema.
        if generated_wanted:
            return registry.take_generated_name(name, (serializer_class, mode))
        return registry.claim(name, (serializer_class, mode), None)
    base = SerializerObjectType if mode is Mode.OUTPUT else SerializerInputObjectType
    # Only a type under the default name is *the* type of its serializer: a name given by
    # one mutation (input_type_name, output_type_name) stays that mutation's.
    meta: dict[str, Any] = {
        "serializer_class": serializer_class,
        "name": name,
        "_generated": name == default_type_name(serializer_class, mode),
    }
    if not isinstance(serializer, type):
        meta["serializer"] = serializer
    if mode is Mode.PARTIAL_INPUT:
        meta["partial"] = True
    key = (serializer_class, mode, name)
    if key in _being_built:
        # A tree: its fields hold a serializer of its own class again (``children`` added
        # in get_fields()), which wants the type being built. graphene reads a type given
        # as a function when it builds the schema, by which time this one is registered.
        return lambda: registry.types_by_name()[name]
    _being_built.add(key)
    try:
        # graphene takes Meta as a dict too, without reading a class's attributes through
        # dir().
        built = type(name, (base,), {"Meta": meta, "__module__": __name__})
    finally:
        _being_built.discard(key)
    if narrowed is not None:
        built._narrowed_shape = shape
    return built


def _narrowing(serializer: serializers.BaseSerializer) -> tuple[str, frozenset[str]] | None:
    """The name of the place a nested ``serializer`` is declared (``TaskBriefProject``) and
    its field names, where they are not its class's (``ProjectSerializer(fields=["id"])``
    under a serializer whose ``__init__`` keeps only the fields it is given); else None."""
    declared = declared_field(serializer)
    if declared.parent is None or not declared.field_name:
        return None  # not bound to a serializer: its fields are the type's, as given
    try:
        full = instantiate(type(serializer))
    except ImproperlyConfigured:  # a class that needs arguments: only its instances say
        return None
    names = frozenset(serializer.fields)
    if names == frozenset(full.fields):
        return None
    return place_name(declared), names


#: The types whose fields are being built now (serializer class, mode, name): a field of
#: one of them nesting the same serializer again refers to it.
_being_built: set[tuple[Any, Mode, str]] = set()


def checked_output_type(
    owner: str, serializer_class: type[serializers.BaseSerializer] | None, output_type: Any
) -> type:
    """``output_type`` when it is a ``SerializerObjectType`` (of ``serializer_class``, if
    given).

    Values are the serializer's representation; a type built from another serializer
    would name fields it never renders.
    """
    if not (isinstance(output_type, type) and issubclass(output_type, SerializerObjectType)):
        raise ImproperlyConfigured(
            f"{owner}: output_type must be a SerializerObjectType, not {output_type!r}."
        )
    built_from = output_type._meta.serializer_class
    if (
        serializer_class is not None
        and built_from is not serializer_class
        and not _made_alike((built_from, None), (serializer_class, None))
    ):
        raise ImproperlyConfigured(
            f"{owner}: output_type {output_type.__name__} is built from "
            f"{output_type._meta.serializer_class.__name__}, but the output is rendered by "
            f"{serializer_class.__name__}; give a type of that serializer."
        )
    return output_type


def build_fields(
    serializer: serializers.BaseSerializer,
    mode: Mode,
    only: list[str] | tuple[str, ...] | None = None,
    exclude: list[str] | tuple[str, ...] | None = None,
) -> dict[str, graphene.Field | graphene.InputField]:
    """The GraphQL fields for a serializer instance's fields in ``mode``.

    Output takes the readable fields (not ``write_only``, so never a password or a
    ``HiddenField``); input takes the writable ones (not ``read_only``), plus the model's
    read-only primary key as an optional ``ID`` for nested updates. Descriptions and choice
    labels are read in the project's ``LANGUAGE_CODE``, whatever language is active while
    the schema is built (graphene-django imports ``GRAPHENE["SCHEMA"]`` in the first
    request, after ``LocaleMiddleware`` chose its caller's): one schema for every process.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _build_fields(serializer, mode, only, exclude)


def _build_fields(
    serializer: serializers.BaseSerializer,
    mode: Mode,
    only: list[str] | tuple[str, ...] | None,
    exclude: list[str] | tuple[str, ...] | None,
) -> dict[str, graphene.Field | graphene.InputField]:
    mounted_as = graphene.InputField if mode.is_input else graphene.Field
    result: dict[str, Any] = {}
    graphql_names: dict[str, str] = {}
    # Output of a serializer whose to_representation may write None for any field or leave
    # it out, or whose fields are its instance's: nothing is "!", whatever a rule says (a
    # method's annotation included).
    any_may_be_null = not mode.is_input and (
        renders_its_own_way(serializer) or shapes_its_fields(serializer)
    )
    for field_name, field in serializer.fields.items():
        if only is not None and field_name not in only:
            continue
        if exclude and field_name in exclude:
            continue
        if mode.is_input and field.read_only and is_model_pk(field):
            # REST clients send a nested row's read-only pk so that writable nested
            # serializers (drf-writable-nested) update that row instead of creating one;
            # validation ignores it, as DRF does.
            _check_field_name(serializer, field_name, graphql_names)
            result[field_name] = graphene.InputField(graphene.ID, description=PK_INPUT_DESCRIPTION)
            continue
        if field.read_only if mode.is_input else field.write_only:
            continue
        graphene_type = convert_serializer_field(field, mode)
        if graphene_type is None:
            if mode is Mode.INPUT and field.required:
                raise ImproperlyConfigured(
                    f"{type(serializer).__qualname__}.{field_name}: the converter rule for "
                    f"{type(field).__name__} gives no GraphQL type, but the field is "
                    "required: no input could hold it. Register a rule that gives one "
                    "(convert_serializer_field.register), or make the field optional."
                )
            continue
        if mode.is_input or any_may_be_null:
            # A rule's NonNull: whether an input is required is DRF's to say (a partial
            # update requires nothing), as for every other field.
            graphene_type = nullable(graphene_type)
        _check_field_name(serializer, field_name, graphql_names)  # only what the type holds
        if is_non_null(field, mode) and not isinstance(graphene_type, graphene.NonNull):
            graphene_type = graphene.NonNull(graphene_type)
        result[field_name] = mounted_as(graphene_type, description=field_description(field))
    return result


def checked_field_names(
    cls: type, serializer: serializers.BaseSerializer, fields: Any, exclude: Any
) -> tuple[list[str] | None, list[str] | None]:
    """``Meta.fields`` and ``Meta.exclude`` of a type, refused as DRF refuses them on a
    ``ModelSerializer``: both at once, a bare string, or a name the serializer lacks (a typo
    would leave a field out of the type without a word). ``"__all__"`` is every field."""
    if fields == "__all__":
        fields = None
    if fields is not None and exclude is not None:
        raise ImproperlyConfigured(f"{cls.__name__}.Meta: give fields or exclude, not both.")
    if fields is None and exclude is None:
        return None, None
    # The serializer's fields, and those the type declares itself (a resolved one).
    declared = [
        name
        for base in cls.__mro__
        for name in yank_fields_from_attrs(vars(base), _as=graphene.Field)
    ]
    known = list(serializer.fields) + declared
    for option, names in (("fields", fields), ("exclude", exclude)):
        if names is None:
            continue
        if isinstance(names, str) or not isinstance(names, list | tuple):
            raise ImproperlyConfigured(
                f"{cls.__name__}.Meta.{option} must be a list or tuple of field names, "
                f"not {names!r}."
            )
        for name in names:
            if option == "exclude" and name in declared:
                # graphene keeps every field a type declares: excluded, it would stay.
                raise ImproperlyConfigured(
                    f"{cls.__name__}.Meta.exclude names {name!r}, which the type declares "
                    "itself: a declared field stays whatever exclude says. Remove the "
                    "declaration to leave the field out."
                )
            if name not in known:
                close = difflib.get_close_matches(str(name), known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else "."
                raise ImproperlyConfigured(
                    f"{cls.__name__}.Meta.{option} names {name!r}: "
                    f"{type(serializer).__name__} has no such field{hint}"
                )
    return (None if fields is None else list(fields)), (None if exclude is None else list(exclude))


#: What GraphQL accepts as a name (of a type, field or argument).
GRAPHQL_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
#: Types every schema holds: a generated type of that name would silently be the built-in.
_BUILT_IN_NAMES = frozenset({"String", "Int", "Float", "Boolean", "ID"})


def graphql_name_problem(name: Any, whole: bool = True) -> str | None:
    """Why ``name`` cannot name a GraphQL type of this library's, else None.

    ``whole``: the type's name itself (``input_type_name``), not a base the library adds a
    suffix to (``Meta.graphql_name``: ``ID`` makes ``IDOutput``).
    """
    if not isinstance(name, str) or not GRAPHQL_NAME.fullmatch(name):
        return "it is no GraphQL name (letters, digits and _, not starting with a digit)"
    if name.startswith("__"):
        return "names starting with __ are GraphQL's own"
    if whole and name in _BUILT_IN_NAMES:
        return "it is a built-in scalar's name"
    return None


@functools.lru_cache(maxsize=4096)
def _graphql_field_name(field_name: str) -> tuple[str, bool]:
    """The camelCase GraphQL name of a serializer field, and whether GraphQL can hold it
    (cached: every serializer of a model names the same fields, in input and output)."""
    graphql_name = to_camel_case(field_name)
    return graphql_name, GRAPHQL_NAME.fullmatch(graphql_name) is not None


def _check_field_name(
    serializer: serializers.BaseSerializer, field_name: str, seen: dict[str, str]
) -> None:
    """Refuse, naming the serializer, a field GraphQL cannot name or names like another."""
    graphql_name, nameable = _graphql_field_name(field_name)
    if not nameable:
        raise ImproperlyConfigured(
            f"{type(serializer).__qualname__}.{field_name}: {field_name!r} cannot be a GraphQL "
            "field name. Give the serializer field another name (with source= for the attribute "
            "it reads)."
        )
    twin = seen.setdefault(graphql_name, field_name)
    if twin != field_name:
        raise ImproperlyConfigured(
            f"{type(serializer).__qualname__}: the fields {twin!r} and {field_name!r} are both "
            f"the GraphQL field {graphql_name!r}. Rename one (with source= for the attribute it "
            "reads), or leave one out of the type (fields/exclude)."
        )


class LazyDataclassMeta(ObjectTypeMeta):
    """graphene's ObjectType metaclass, building the per-type dataclass on first instantiation.

    graphene gives every ObjectType an ``__init__``/``__eq__``/``__repr__`` taken from a
    ``make_dataclass`` made when the class is defined: over a third of the cost of defining
    a type. This library's output types and payloads are resolved from dicts and never
    instantiated by the library, so the dataclass is made the first time someone does
    instantiate one (``CreateTask(task=...)`` in a hand-written ``mutate``), from the fields
    as they were when the class was defined: the same methods, made later. Where
    ``make_dataclass`` could refuse the fields (a default other than ``None``, a name that
    is not an identifier or is a keyword), it runs at definition time, as in graphene.
    """

    def __new__(mcs, name_: str, bases: tuple[type, ...], namespace: dict, **options: Any):
        class InterObjectType:
            pass

        cls = super(ObjectTypeMeta, mcs).__new__(
            mcs, name_, (InterObjectType, *bases), namespace, **options
        )
        if cls._meta:
            fields = [
                (
                    key,
                    "typing.Any",
                    dataclass_field(
                        default=value.default_value if isinstance(value, graphene.Field) else None
                    ),
                )
                for key, value in cls._meta.fields.items()
            ]
            unnamable = [key for key, _, _ in fields if not _attribute_name(key)]
            if unnamable and all(spec.default is None for _, _, spec in fields):
                # A serializer's field named `from` (DRF's way to a keyword): a fine GraphQL
                # field, served from dicts, but no dataclass can hold it as an attribute.
                InterObjectType.__init__ = _not_instantiable(name_, unnamable)
            elif all(_lazy_dataclass_field(key, spec.default) for key, _, spec in fields):
                InterObjectType.__init__ = _lazy_init(InterObjectType, name_, fields)
            else:
                _install_dataclass(InterObjectType, name_, fields)
        return cls


def _attribute_name(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def _lazy_dataclass_field(name: str, default: Any) -> bool:
    return default is None and _attribute_name(name)


def _not_instantiable(type_name: str, names: list[str]) -> Any:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        raise TypeError(
            f"{type_name} cannot be instantiated: its fields {names} are no Python names. "
            "Resolve it from a dict, as the library does."
        )

    return __init__


def _install_dataclass(target: type, name: str, fields: list[tuple[str, str, Any]]) -> None:
    """What graphene's ``ObjectTypeMeta`` does for every ObjectType."""
    made = make_dataclass(name, fields, bases=())
    target.__init__ = made.__init__  # type: ignore[misc]
    target.__eq__ = made.__eq__  # type: ignore[method-assign]
    target.__repr__ = made.__repr__  # type: ignore[method-assign]


def _lazy_init(target: type, name: str, fields: list[tuple[str, str, Any]]) -> Any:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        if target.__dict__.get("__init__") is __init__:
            _install_dataclass(target, name, fields)
        target.__init__(self, *args, **kwargs)  # type: ignore[misc]

    return __init__


class SerializerObjectTypeOptions(ObjectTypeOptions):
    serializer_class: type[serializers.BaseSerializer] | None = None
    queryset: Any = None
    permission_classes: Any = None


class SerializerObjectType(graphene.ObjectType, metaclass=LazyDataclassMeta):
    """An output type whose fields are a serializer's readable fields.

    Values are resolved from the serializer's ``to_representation`` output (a dict), so a
    field returns exactly what REST returns for it::

        class TaskOutput(SerializerObjectType):
            class Meta:
                serializer_class = TaskSerializer
                exclude = ["notes"]

    Fields declared on the class override generated ones. Operations use such a type where
    they are given it (a mutation's ``Meta.output_type``, a read field's ``output_type=``).

    With ``interfaces = (relay.Node,)`` the type is a Relay node: its ``id`` is the global
    ID of the primary key the serializer renders as ``id``, and ``relay.Node.Field()``
    fetches it by ``get_node``, which reads as ``RetrieveField`` does. ``node(id:)`` reaches
    it from anywhere in the schema, so a node names its rows itself: ``Meta.queryset``, or a
    ``get_queryset(cls, info)`` classmethod for per-caller rows. ``Meta.permission_classes``
    says who may read it (default: DRF's ``DEFAULT_PERMISSION_CLASSES``), judged as REST's
    ``retrieve``.
    """

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(
        cls,
        serializer_class: type[serializers.BaseSerializer] | None = None,
        serializer: serializers.BaseSerializer | None = None,
        fields: list[str] | tuple[str, ...] | None = None,
        exclude: list[str] | tuple[str, ...] | None = None,
        queryset: Any = None,
        permission_classes: Any = None,
        _meta: SerializerObjectTypeOptions | None = None,
        _generated: bool = False,
        **options: Any,
    ) -> None:
        refuse_unknown_options(cls, options)
        if serializer_class is None:
            raise ImproperlyConfigured(f"{cls.__name__}.Meta.serializer_class is required.")
        instance = serializer if serializer is not None else instantiate(serializer_class)
        fields, exclude = checked_field_names(cls, instance, fields, exclude)
        if _meta is None:
            _meta = SerializerObjectTypeOptions(cls)
        _meta.serializer_class = serializer_class
        _meta.queryset = queryset
        _meta.permission_classes = permission_classes
        options.setdefault("name", cls.__name__)
        _meta.fields = build_fields(instance, Mode.OUTPUT, fields, exclude)
        super().__init_subclass_with_meta__(_meta=_meta, **options)
        from .relay import node_interface

        if node_interface(cls) is not None:
            _check_node(cls, instance)
            node_types.append(cls)
        elif queryset is not None or permission_classes is not None:
            raise ImproperlyConfigured(
                f"{cls.__name__}: Meta.queryset and Meta.permission_classes are for Relay "
                "nodes (Meta.interfaces = (relay.Node,)), which node(id:) fetches; "
                "operations have their own."
            )
        registry.register(cls, serializer_class, Mode.OUTPUT, _generated)

    @classmethod
    def get_queryset(cls, info: Any) -> Any:
        """The rows ``node(id:)`` may return: ``Meta.queryset`` (a node declares it, or
        overrides this)."""
        return cls._meta.queryset.all()

    @classmethod
    def get_node(cls, info: Any, id: Any) -> Any:  # noqa: A002 - graphene's name
        """The node ``node(id:)`` asks for, read as ``RetrieveField`` reads it (a Relay
        node type only): ``NOT_FOUND`` outside ``get_queryset()``, permission errors as
        REST's ``retrieve`` gives them."""
        from .queries import node_reader  # queries builds on this module

        return node_reader(cls).read_node(info, id)


#: Every Relay node ``SerializerObjectType``, for the system checks.
node_types: list[type] = []


def own_resolved_fields(graphene_type: Any) -> frozenset[str] | None:
    """The fields of a type that graphene resolves other than by reading their key, by
    every name a selection may hold them under.

    Reads serialize only the selected fields of a row; where one of these is selected (a
    ``resolve_label`` reading ``root["title"]``) they serialize every field. ``None`` for
    an interface or a union, whose runtime types are not known beforehand: every field,
    always. Worked out once per type.
    """
    if graphene_type not in _own_resolved:
        meta = getattr(graphene_type, "_meta", None)
        if isinstance(meta, ObjectTypeOptions):
            _own_resolved[graphene_type] = _own_resolved_fields(graphene_type)
        elif isinstance(meta, InterfaceOptions | UnionOptions):
            _own_resolved[graphene_type] = None
        else:
            _own_resolved[graphene_type] = frozenset()
    return _own_resolved[graphene_type]


_own_resolved: weakref.WeakKeyDictionary[Any, frozenset[str] | None] = weakref.WeakKeyDictionary()


def _own_resolved_fields(cls: Any) -> frozenset[str]:
    """A field's own ``resolver=`` or ``source=``, a ``resolve_<name>`` of the class or
    of a base (a mixin, a classmethod), or of an interface declaring the field, as graphene
    looks for them. A Relay node's ``id`` (the global ID of the row's ``id``) is none."""
    from .relay import node_interface

    node = node_interface(cls)
    own: set[str] = set()
    for name, field in cls._meta.fields.items():
        resolved = field.resolver is not None or getattr(cls, f"resolve_{name}", None) is not None
        for interface in cls._meta.interfaces:
            if interface is node and name == "id":
                continue
            if name in interface._meta.fields and getattr(interface, f"resolve_{name}", None):
                resolved = True
        if resolved:
            # Every name the client may select it by: graphene's camelCase, the name a
            # schema without auto_camelcase keeps, or the field's own ``name=``.
            own.update(each for each in (name, to_camel_case(name), field.name) if each)
    return frozenset(own)


def _check_node(node_type: Any, serializer: serializers.BaseSerializer) -> None:
    """What a Relay node needs: its rows named, and the primary key rendered as ``id``."""
    meta = node_type._meta
    own_queryset = node_type.get_queryset.__func__ is not SerializerObjectType.get_queryset.__func__
    if meta.queryset is None and not own_queryset:
        raise ImproperlyConfigured(
            f"{node_type.__name__} is a Relay node: node(id:) fetches it by ID from anywhere in "
            "the schema, through the node type's own rows and permission classes, not those "
            "of the operations returning it. Name its rows with Meta.queryset (the model's "
            "objects.all() for every row) or a get_queryset(cls, info) classmethod."
        )
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    rows = getattr(meta.queryset, "model", None)
    if model is not None and rows is not None and not renders_rows(model, rows):
        raise ImproperlyConfigured(
            f"{node_type.__name__}: Meta.queryset holds {rows.__name__} rows, but "
            f"{type(serializer).__name__} renders {model.__name__} rows."
        )
    field = serializer.fields.get("id")
    if field is None or field.write_only or not reads_pk(field, model):
        raise ImproperlyConfigured(
            f"{node_type.__name__} is a Relay node, whose global ID is made from the "
            f"primary key: {type(serializer).__name__} must render the model's primary key "
            "as a readable field named `id`."
        )


def reads_pk(field: serializers.Field, model: Any) -> bool:
    """Whether ``field`` reads the primary key (a parent's, for a multi-table child)."""
    if field.source == "pk":
        return True
    if model is None:
        return field.source == "id"  # a plain serializer: its `id` is the key it names
    try:
        return bool(model._meta.get_field(field.source).primary_key)
    except FieldDoesNotExist:
        return False


class InputContainer(InputObjectTypeContainer):
    """What graphene hands a resolver for an input object: a dict whose fields are also its
    attributes, read through ``dict.get``.

    graphene's own reads each field with ``self.get``: once a field named ``get`` (a
    serializer's boolean, a filter) is set as an attribute, every field after it failed,
    and so did every call taking the input type.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        dict.__init__(self, *args, **kwargs)
        # graphene >= 3.3 lets a project choose what an absent field reads as.
        absent = getattr(inputobjecttype, "_INPUT_OBJECT_TYPE_DEFAULT_VALUE", None)
        for key in self._meta.fields:
            setattr(self, key, dict.get(self, key, absent))


class InputObjectType(graphene.InputObjectType):
    """graphene's ``InputObjectType`` whose container is an ``InputContainer``, unless
    ``Meta.container`` names one: the base of the library's input types."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, container: type | None = None, **options: Any) -> None:
        if container is None:
            container = type(cls.__name__, (InputContainer, cls), {})
        super().__init_subclass_with_meta__(container=container, **options)


class SerializerInputObjectTypeOptions(InputObjectTypeOptions):
    serializer_class: type[serializers.BaseSerializer] | None = None
    partial: bool = False
    #: Input fields holding the row's key under another name than the one writable nested
    #: serializers read (``converter.pk_aliases``): handed over as ``pk`` too.
    pk_aliases: tuple[str, ...] = ()


class SerializerInputObjectType(InputObjectType):
    """An input type whose fields are a serializer's writable fields.

    With ``partial = True`` in ``Meta`` every field is optional, as in a DRF partial update.
    """

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(
        cls,
        serializer_class: type[serializers.BaseSerializer] | None = None,
        serializer: serializers.BaseSerializer | None = None,
        partial: bool = False,
        fields: list[str] | tuple[str, ...] | None = None,
        exclude: list[str] | tuple[str, ...] | None = None,
        _meta: SerializerInputObjectTypeOptions | None = None,
        _generated: bool = False,
        **options: Any,
    ) -> None:
        refuse_unknown_options(cls, options)
        if serializer_class is None:
            raise ImproperlyConfigured(f"{cls.__name__}.Meta.serializer_class is required.")
        instance = serializer if serializer is not None else instantiate(serializer_class)
        fields, exclude = checked_field_names(cls, instance, fields, exclude)
        mode = Mode.PARTIAL_INPUT if partial else Mode.INPUT
        if _meta is None:
            _meta = SerializerInputObjectTypeOptions(cls)
        _meta.serializer_class = serializer_class
        _meta.partial = partial
        options.setdefault("name", cls.__name__)
        _meta.fields = build_fields(instance, mode, fields, exclude)
        _meta.pk_aliases = tuple(name for name in pk_aliases(instance) if name in _meta.fields)
        super().__init_subclass_with_meta__(_meta=_meta, **options)
        registry.register(cls, serializer_class, mode, _generated)
