"""
A ``ModelSerializer``'s fields built once per class and deep-copied for each instance.

DRF builds a ``ModelSerializer``'s fields anew for every instance: ``get_fields()`` inspects
the model, maps each model field to a serializer field and instantiates it, ~150 µs for a
ten-field serializer, a tenth of a small mutation. When a class builds its fields the
standard way (``ModelSerializer``'s own ``get_fields`` and every hook it calls, nothing on
the instance that they read), the result depends on the class alone. The library then
builds it once and gives each serializer it creates deep copies, which is how DRF itself
gives every instance its declared fields (``Field.__deepcopy__`` instantiates the field
again from the arguments it was built with). Anything else (a serializer overriding
``get_fields`` or a ``build_*`` hook, one whose ``Meta`` or declared fields changed since,
fields already built by ``__init__``, a change of ``REST_FRAMEWORK`` settings) builds its
fields as DRF does. The serializers drf-writable-nested makes for each nested item of a
write get copies too.

The copies themselves are cheaper than ``copy.deepcopy`` where that is safe: for DRF's own
field classes and plainly built serializers, ``copier_for`` plans once per prototype which
of its values need new containers or objects, and each copy then copies just those (see
"copying a field" below); anything else is deep-copied.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import enum
import functools
import re
import threading
import types
import weakref
from collections.abc import Callable
from typing import Any

from django.core import validators as django_validators
from django.core.exceptions import FieldDoesNotExist
from django.core.signals import setting_changed
from django.db.models import Manager
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.functional import empty as lazy_empty
from django.utils.translation import get_language
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers
from rest_framework.serializers import BindingDict
from rest_framework.settings import api_settings
from rest_framework.utils.formatting import lazy_format
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from .attributes import read_as_drf_does
from .depth import representative

try:  # Django >= 5.0 keeps callable model ``choices`` as one (evaluated on every use)
    from django.utils.choices import CallableChoiceIterator as _CallableChoices

    _CALLABLE_CHOICES: tuple[type, ...] = (_CallableChoices,)
except ImportError:  # pragma: no cover - Django 4.2, whose model choices are never callable
    _CALLABLE_CHOICES = ()

try:  # drf-writable-nested, where installed: a serializer of its own for each nested item
    from drf_writable_nested.mixins import BaseNestedModelSerializer as NestedWriter
except ImportError:  # pragma: no cover - the library does not need it
    NestedWriter = None

__all__ = ["NestedWriter", "copy_for_reading", "fields_from_class", "generation", "prebuild_fields"]

#: The methods ``ModelSerializer.get_fields`` runs; overriding any of them may make the
#: fields depend on the instance (its context, its instance, its arguments).
_HOOKS = (
    "get_fields",
    "get_field_names",
    "get_default_field_names",
    "build_field",
    "build_standard_field",
    "build_relational_field",
    "build_nested_field",
    "build_property_field",
    "build_url_field",
    "build_unknown_field",
    "include_extra_kwargs",
    "get_extra_kwargs",
    "get_uniqueness_extra_kwargs",
    "get_unique_together_constraints",
    "_get_model_fields",
    # Not a method get_fields runs, but what runs it: DRF's ``cached_property``, which a
    # subclass may override to change the fields per request (a cached_property of its own
    # is shadowed by the fields this module puts on the instance, as DRF's is).
    "fields",
)
#: The class attributes those methods read besides ``Meta`` and the declared fields.
_CLASS_SETTINGS = (
    "url_field_name",
    "serializer_field_mapping",
    "serializer_related_field",
    "serializer_related_to_field",
    "serializer_url_field",
    "serializer_choice_field",
)
#: What those methods are and read from ``self``; set on an instance (``__init__`` making
#: ``self.get_extra_kwargs`` per caller), it is not the class's alone.
_READ_FROM_SELF = frozenset({*_HOOKS, "Meta", "_declared_fields", *_CLASS_SETTINGS})

#: Per class: {active language: (what the fields were built from, {name: (unbound field,
#: its copier)}, or None for fields DRF must build at each call)}. Per language because DRF
#: fills some messages in while it builds the fields (``UniqueValidator``'s "... with this
#: slug already exists."): a prototype built under one language must not answer a request
#: in another, as REST, building per request, never does. Weakly keyed: a class a viewset
#: makes per request goes with its request.
_prototypes: weakref.WeakKeyDictionary[
    type, dict[str | None, tuple[Any, dict[str, Any] | None]]
] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
#: Bumped whenever a prototype is built or dropped: what was derived from the fields of
#: some class before (``queries``' select/prefetch hints) may no longer hold.
_generation = 0
#: Bumped by clear(): a prototype built across a clear is not kept.
_clears = 0


class ClassFields(BindingDict):
    """A serializer's ``fields`` built from its class alone (a prototype's copies, or the
    first build of one): what is derived from them holds for every instance of the class.

    Read through the dict ``BindingDict`` keeps them in: DRF walks ``fields.values()`` for
    every row it renders, and a ``MutableMapping``'s own views call ``__getitem__`` once per
    field, in Python. Adding a field still binds it (``BindingDict.__setitem__``).
    """

    def __contains__(self, key: object) -> bool:
        return key in self.fields

    def keys(self) -> Any:
        return self.fields.keys()

    def values(self) -> Any:
        return self.fields.values()

    def items(self) -> Any:
        return self.fields.items()

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)


def fields_from_class(serializer: serializers.BaseSerializer) -> bool:
    """Whether ``serializer``'s fields were given by ``prebuild_fields``, from its class."""
    return type(vars(serializer).get("fields")) is ClassFields


def generation() -> int:
    """Changes whenever the fields of some class may have changed (see ``_generation``)."""
    return _generation


def _builds_standard_fields(serializer_class: type) -> bool:
    """Whether the class builds its fields with ``ModelSerializer``'s own methods.

    Looked up on every call, not remembered: a hook patched onto the class later (a test's
    ``mock.patch.object``) is seen as DRF would see it.
    """
    if not issubclass(serializer_class, serializers.ModelSerializer):
        return False
    for name, drf_hook in _DRF_HOOKS:  # noqa: SIM110 - no generator: this runs per serializer
        if getattr(serializer_class, name, None) is not drf_hook:
            return False
    return True


#: ``ModelSerializer``'s own hooks, looked up once.
_DRF_HOOKS = tuple((name, getattr(serializers.ModelSerializer, name)) for name in _HOOKS)


def prebuild_fields(
    serializer: serializers.BaseSerializer,
    reading: bool = False,
    nested: bool = False,
    *,
    within: frozenset[type] = frozenset(),
) -> serializers.BaseSerializer:
    """Give ``serializer`` (or a list serializer's child) its class's fields, deep-copied.

    ``reading``: the serializer only renders (``.data`` of an instance, never
    ``is_valid()``), so its fields may share validators (``copy_for_reading``).
    ``nested``: the serializers among those fields get theirs too, and so on down (else
    DRF builds a nested serializer's fields when it first renders), but not one of a class
    ``within`` those above it: a tree nests its own class at every level, and its levels
    below are built as DRF renders them.
    Returns ``serializer``; one that does not qualify is left to build its own fields.
    """
    global _generation
    target = serializer.child if isinstance(serializer, serializers.ListSerializer) else serializer
    if not reading and NestedWriter is not None and isinstance(target, NestedWriter):
        _prebuild_nested_items(target)
    # Meta.depth's nested classes are new objects at every build: one stands for the alike,
    # and one that cannot be matched keeps nothing here.
    serializer_class = representative(type(target))
    if serializer_class is None:
        return serializer
    if not _builds_standard_fields(serializer_class) or not _READ_FROM_SELF.isdisjoint(
        vars(target)
    ):
        return serializer
    state = _class_state(serializer_class)
    language = get_language()
    by_language = _prototypes.get(serializer_class)
    entry = by_language.get(language) if by_language is not None else None
    if entry is not None and entry[0] == state:
        if entry[1] is None:
            return serializer  # its fields take what is computed at each build: DRF's
        if target.url_field_name is None:  # what get_fields() sets on the instance
            target.url_field_name = api_settings.URL_FIELD_NAME
        if reading:
            built = {
                name: copy_for_reading(copier, field) for name, (field, copier) in entry[1].items()
            }
        else:
            built = {name: copier(field) for name, (field, copier) in entry[1].items()}
    else:
        clears = _clears  # a clear() while building: DRF's settings changed under the build
        try:
            built = target.get_fields()  # DRF's own build, for this instance as usual
        except Exception:
            return serializer  # DRF raises it again where it builds the fields
        if _built_per_call(serializer_class, built):
            with _lock:
                if clears == _clears:
                    _prototypes.setdefault(serializer_class, {})[language] = (state, None)
            return serializer
        prototypes = {name: copy.deepcopy(field) for name, field in built.items()}
        with _lock:
            if clears == _clears:  # else the fields serve this instance only
                _prototypes.setdefault(serializer_class, {})[language] = (
                    state,
                    {name: (field, copier_for(field)) for name, field in prototypes.items()},
                )
            _generation += 1
    fields = ClassFields(target)
    for name, field in built.items():
        fields[name] = field
    if reading:
        read_as_drf_does(fields.values())  # bound now: their source_attrs are known
    target.__dict__["fields"] = fields  # DRF's cached_property, as if computed
    if nested:
        within = within | {serializer_class}
        for field in built.values():
            if not isinstance(field, serializers.BaseSerializer):
                continue
            child = field.child if isinstance(field, serializers.ListSerializer) else field
            if representative(type(child)) not in within:
                prebuild_fields(field, reading=reading, nested=True, within=within)
    return serializer


def _prebuild_nested_items(serializer: serializers.BaseSerializer) -> None:
    """The serializers drf-writable-nested makes while saving get prototypes too.

    It saves each nested item through a serializer of its own
    (``_get_serializer_for_field``, then ``is_valid()``), whose fields DRF would build
    anew for every item: ten subtasks, ten builds. Each is given to ``prebuild_fields``
    as it is made, on this instance only; its own nested items follow in turn. A class
    that does not qualify builds its fields as DRF does, as anywhere else.
    """
    if "_get_serializer_for_field" in vars(serializer):
        return  # done already, or set on the instance by the project: left as it is
    make = serializer._get_serializer_for_field  # the class's, or a project's override

    def make_prebuilt(field: Any, **kwargs: Any) -> serializers.BaseSerializer:
        return prebuild_fields(make(field, **kwargs))

    serializer._get_serializer_for_field = make_prebuilt


def _class_state(serializer_class: type) -> list[Any]:
    """What ``get_fields`` reads from the class: ``Meta`` (with its bases), the declared
    fields and the class's field settings.

    Compared by value with the state the prototype was built from, so a ``Meta`` changed
    at run time (tests do that) builds new fields. Containers are copied, what they hold
    is kept as is (compared with ``==``, which for most objects is identity). A ``Meta``
    option is read as DRF reads it, so one computed when read (a ``classproperty``) is
    compared by what it gives now.
    """
    meta = serializer_class.Meta  # type: ignore[attr-defined]
    state: list[Any] = [
        (klass, name, _copied(getattr(meta, name)))
        for klass in meta.__mro__[:-1]
        for name in vars(klass)
        if not name.startswith("__")
    ]
    state.append(list(serializer_class._declared_fields.items()))  # type: ignore[attr-defined]
    state.append([getattr(serializer_class, name, None) for name in _CLASS_SETTINGS])
    return state


def _built_per_call(serializer_class: type, built: dict[str, Any]) -> bool:
    """Whether fields DRF built take something it computes anew at each build: the rows a
    writable relation may pick, through a callable ``limit_choices_to`` (the choices a user
    may pick now), or a choice field's choices, from callable model ``choices`` (Django >=
    5.0). REST evaluates both for every serializer; a prototype would keep the first.

    Also whether one field object stands under several names (``a = b = CharField()``):
    DRF's build keeps them one object, bound to the last name, which is the only one it
    renders; copied name by name, each would be a field of its own."""
    if len({id(field) for field in built.values()}) != len(built):
        return True
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    if model is None:
        return False
    for name, field in built.items():
        relation = getattr(field, "child_relation", field)
        picks_rows = getattr(relation, "queryset", None) is not None
        # A ListField of choices: an ArrayField whose base field has them.
        item = field.child if isinstance(field, drf_fields.ListField) else field
        if not (picks_rows or isinstance(item, drf_fields.ChoiceField)):
            continue
        source = field.source or name
        try:
            model_field = model._meta.get_field(source)
        except FieldDoesNotExist:
            continue  # a dotted source or an attribute: no model field builds it
        if picks_rows and callable(getattr(model_field.remote_field, "limit_choices_to", None)):
            return True
        if has_callable_choices(getattr(model_field, "base_field", model_field)):
            return True
    return False


def has_callable_choices(model_field: Any) -> bool:
    """Whether a model field takes its ``choices`` from a callable (Django 5.0+), which
    Django calls again on every use: they may change while the process runs."""
    return isinstance(getattr(model_field, "choices", None), _CALLABLE_CHOICES)


def _copied(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: _copied(item) for key, item in value.items()}
    if kind in (list, tuple, set, frozenset):
        return kind(_copied(item) for item in value)
    return value


def clear() -> None:
    """Forget every prototype: DRF's settings changed, or a model's fields did (a test
    giving a relation another ``limit_choices_to``)."""
    global _generation, _clears
    with _lock:
        _prototypes.clear()
        _clears += 1
        _generation += 1


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "REST_FRAMEWORK":
        clear()


setting_changed.connect(_settings_changed)


# --------------------------------------------------------------------------- copying a field
#
# ``copy.deepcopy(field)`` runs DRF's ``Field.__deepcopy__``: every constructor argument is
# deep-copied (``validators`` and ``regex`` excepted) and the class instantiated again with
# them. For a class whose ``__init__`` only stores its arguments and what it derives from
# them (DRF's settings too, and a change of those clears the prototypes), the new field
# equals the prototype attribute for attribute: copying the prototype's state gives the
# same field for a fraction of the cost. ``copier_for`` looks at a prototype once and
# returns a function that does that, if it knows the field's class and every value it
# holds; otherwise ``copy.deepcopy``.
#
# What a copy gets: the prototype's attributes; new containers (``error_messages``,
# ``style``, choices, ``_kwargs``...) holding the same immutable values; copies of the
# validators ``__init__`` made (DRF makes new ones; their lazily formatted messages cache
# the text in the language of first use) while those passed in ``validators=`` stay shared
# as in DRF; the arguments ``copy.deepcopy`` would copy copied (a manager by hand, anything
# unusual with ``copy.deepcopy`` itself); nested fields and serializers copied the same way
# and bound to the copy as their ``__init__`` binds them; a new ``_creation_counter``.


class _Unknown(Exception):
    """Something ``copier_for`` cannot copy as DRF would."""


#: Values that ``copy.deepcopy`` returns as they are, or immutable values only stored.
_ATOMIC = frozenset(
    {
        type(None),
        bool,
        int,
        float,
        complex,
        str,
        bytes,
        decimal.Decimal,
        datetime.date,
        datetime.datetime,
        datetime.time,
        datetime.timedelta,
        type,
        range,
        types.FunctionType,
        types.BuiltinFunctionType,
        type(Ellipsis),
        type(NotImplemented),
        re.Pattern,
    }
)


def _atomic(value: Any) -> bool:
    # Classes (whatever their metaclass), Django's lazy strings and enum members deep-copy
    # to themselves.
    return type(value) in _ATOMIC or isinstance(value, (type, Promise, enum.Enum))


def _frozen(value: Any) -> bool:
    """Deep-copied to itself: atomic, or a tuple or frozenset of such values."""
    if _atomic(value):
        return True
    return type(value) in (tuple, frozenset) and all(_frozen(item) for item in value)


def _drf_classes(*modules: types.ModuleType) -> frozenset[type]:
    return frozenset(
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, drf_fields.Field)
        and value.__module__ == module.__name__
        and not issubclass(value, serializers.BaseSerializer)
    )


#: DRF's own field classes (exactly: a subclass may do more in ``__init__``). Not
#: ``FilePathField``, which lists a directory when built, nor ``ModelField``, which holds a
#: Django model field (deep-copied either way).
_FIELD_CLASSES = _drf_classes(drf_fields, relations) - {
    drf_fields.FilePathField,
    drf_fields.ModelField,
}
#: The validators DRF's fields create in ``__init__``: state is their arguments.
_VALIDATOR_CLASSES = frozenset(
    {
        django_validators.MaxLengthValidator,
        django_validators.MinLengthValidator,
        django_validators.MaxValueValidator,
        django_validators.MinValueValidator,
        django_validators.RegexValidator,
        django_validators.EmailValidator,
        django_validators.URLValidator,
        django_validators.ProhibitNullCharactersValidator,
        ProhibitSurrogateCharactersValidator,
    }
)
#: Objects without copy hooks whose state is plain data in ``__dict__``, copied as
#: ``copy.deepcopy`` copies them (a relation's ``queryset=Model.objects`` is a Manager).
_PLAIN_OBJECTS = frozenset({Manager, drf_fields.CurrentUserDefault})

#: Attributes that using a serializer sets, which one ``__init__`` just made lacks: a
#: prototype holding one is not as ``__init__`` left it. (A bound field has a ``parent``.)
_SET_BY_USE = frozenset({"_validated_data", "_errors", "_data", "fields", "url_field_name"})

_fast_classes: weakref.WeakKeyDictionary[type, bool] = weakref.WeakKeyDictionary()


def _fast_class(cls: type) -> bool:
    """DRF's field classes, and serializers built by DRF's own ``__init__``."""
    fast = _fast_classes.get(cls)
    if fast is None:
        if issubclass(cls, serializers.BaseSerializer):
            fast = (
                cls.__init__
                in (serializers.BaseSerializer.__init__, serializers.ListSerializer.__init__)
                and cls.__new__ is serializers.BaseSerializer.__new__
                and cls.__deepcopy__ is drf_fields.Field.__deepcopy__
                and cls.__setattr__ is object.__setattr__
                and not any("__slots__" in vars(klass) for klass in cls.__mro__)
            )
        else:
            fast = cls in _FIELD_CLASSES
        _fast_classes[cls] = fast
    return fast


def copier_for(field: drf_fields.Field) -> Callable[[drf_fields.Field], drf_fields.Field]:
    """A function giving what ``copy.deepcopy(field)`` gives for this unbound prototype."""
    try:
        plan = _plan(field, None)
    except Exception:  # _Unknown, or a value that resists inspection: DRF's way then
        return copy.deepcopy
    return functools.partial(_copy_by_plan, plan)


def copy_for_reading(
    copier: Callable[[drf_fields.Field], drf_fields.Field], field: drf_fields.Field
) -> drf_fields.Field:
    """``copier(field)`` for a serializer that only renders: its validators are not copied.

    Every such copy of one prototype shares one set of the validators ``__init__`` made
    (see ``_ValidatorsPlan``); everything else is copied as for any other use.
    """
    if isinstance(copier, functools.partial) and copier.func is _copy_by_plan:
        return copier(field, reading=True)
    return copier(field)


def copy_field(field: drf_fields.Field) -> drf_fields.Field:
    """``copy.deepcopy(field)``, faster where that is safe (planned anew on every call)."""
    return copier_for(field)(field)


def _copy_by_plan(plan: _Plan, field: drf_fields.Field, reading: bool = False) -> drf_fields.Field:
    try:
        return _run(plan, field, None, {}, reading)
    except _Unknown:  # the prototype changed since it was planned (nothing changes it)
        return copy.deepcopy(field)


# How a plan copies one value.
_DATA, _DICT, _LIST, _OBJECT, _DEEPCOPY, _FIELD, _ARGUMENT, _PARENT, _VALIDATORS = range(9)


class _Plan:
    """How to copy one prototype: its class and the operations its values need."""

    __slots__ = ("cls", "arguments", "attributes")

    def __init__(self, cls: type, arguments: list[tuple], attributes: list[tuple]) -> None:
        self.cls = cls
        #: (key, operation, detail) for the ``_kwargs`` that are not kept as they are.
        self.arguments = arguments
        #: (name, operation, detail) for the attributes that are not kept as they are.
        self.attributes = attributes


def _plan(field: drf_fields.Field, parent: drf_fields.Field | None) -> _Plan:
    cls = type(field)
    if not _fast_class(cls):
        raise _Unknown
    state = field.__dict__
    if any(not _atomic(arg) for arg in field._args) or not _SET_BY_USE.isdisjoint(state):
        raise _Unknown
    if any(isinstance(key, Promise) for key in state.get("_choices", ())):
        raise _Unknown  # ``__init__`` keeps ``str(key)``: in the language of the day
    arguments = []
    by_identity: dict[int, str] = {}
    for key, value in field._kwargs.items():
        if key in ("validators", "regex") or _frozen(value):
            continue  # DRF passes these on as they are, or they copy to themselves
        by_identity[id(value)] = key
        if isinstance(value, drf_fields.Field):
            arguments.append((key, _FIELD, _plan(value, field)))
        else:
            arguments.append((key, *_data_operation(value, argument=True)))
    attributes: list[tuple] = []
    seen: set[int] = set()
    for name, value in state.items():
        if name in ("_args", "_kwargs", "_creation_counter") or _frozen(value):
            continue
        if id(value) in by_identity:  # ``self.default = default``: the argument's copy
            attributes.append((name, _ARGUMENT, by_identity[id(value)]))
            continue
        if id(value) in seen:
            raise _Unknown  # two attributes holding one object: would be copied twice
        seen.add(id(value))
        if name == "parent":
            if value is not parent:
                raise _Unknown
            attributes.append((name, _PARENT, None))
        elif name == "_validators":
            attributes.append((name, _VALIDATORS, _validators_plan(value, field)))
        elif value is getattr(cls, name, None):
            continue  # a class attribute stored on the instance (``initial = []``): shared
        elif isinstance(value, drf_fields.Field):
            # ``ListField``'s default child: ``__init__`` deep-copies the class's and binds it
            attributes.append((name, _FIELD, _plan(value, field)))
        else:
            attributes.append((name, *_data_operation(value, argument=False)))
    return _Plan(cls, arguments, attributes)


def _data_operation(value: Any, *, argument: bool) -> tuple[int, Any]:
    kind = type(value)
    if kind in _PLAIN_OBJECTS:
        try:
            return _OBJECT, [
                (name, *_data_operation(item, argument=False))
                for name, item in vars(value).items()
                if not _frozen(item)
            ]
        except _Unknown:
            if argument:
                return _DEEPCOPY, None
            raise
    if kind is dict and all(_frozen(k) and _frozen(v) for k, v in value.items()):
        return _DICT, None
    if kind is list and all(_frozen(item) for item in value):
        return _LIST, None
    try:
        _copy_data(value, {})
    except _Unknown:
        if argument:
            return _DEEPCOPY, None  # what DRF does with it
        raise
    return _DATA, None


class _ValidatorsPlan:
    """Per validator: None (shared, as DRF shares what was passed in) or how to copy it.

    Copies made for reading share one set of copies, made on the first such copy: nothing
    reads a validator while rendering, and each copy made for writing still gets its own
    (a validator's message caches its text in the language of the first error it formats).
    """

    __slots__ = ("how", "for_reading")

    def __init__(self, how: list[Any]) -> None:
        self.how = how
        self.for_reading: list[Any] | None = None

    def copy(self, validators: list[Any], reading: bool) -> list[Any]:
        if reading:
            shared = self.for_reading
            if shared is None:
                shared = self.for_reading = self.copy(validators, reading=False)
            return list(shared)
        return [
            validator if how is None else _copy_validator(validator, *how)
            for validator, how in zip(validators, self.how, strict=True)
        ]


def _validators_plan(validators: list[Any], field: drf_fields.Field) -> _ValidatorsPlan:
    given = field._kwargs.get("validators") or ()
    plan = []
    for validator in validators:
        if any(validator is other for other in given) or _atomic(validator):
            plan.append(None)
        elif type(validator) in _VALIDATOR_CLASSES:
            plan.append(_validator_plan(validator))
        else:
            raise _Unknown
    return _ValidatorsPlan(plan)


def _validator_plan(validator: Any) -> tuple[str | None, bool]:
    """(the name of a message to copy, whether a lazily compiled regex is there)."""
    state = vars(validator)
    message = state.get("message")
    lazy_message = type(message) is lazy_format
    if lazy_message and not (
        message.result is None  # else formatted already, in some language
        and _frozen(message.format_string)
        and _frozen(message.args)
        and all(_frozen(item) for item in message.kwargs.values())
    ):
        raise _Unknown
    regex = False
    for name, value in state.items():
        if name == "regex" and type(value) is SimpleLazyObject:
            regex = True
        elif name == "_constructor_args":
            args, kwargs = value
            if not all(_atomic(item) for item in args) or not all(
                _atomic(item) or item is message for item in kwargs.values()
            ):
                raise _Unknown
        elif not (_atomic(value) or (name == "message" and lazy_message)):
            raise _Unknown
    return ("message" if lazy_message else None, regex)


def _run(
    plan: _Plan, field: drf_fields.Field, parent: Any, memo: dict[int, Any], reading: bool = False
) -> Any:
    new = object.__new__(plan.cls)
    state = field.__dict__.copy()
    arguments = state["_kwargs"].copy()
    for key, operation, detail in plan.arguments:
        value = arguments[key]
        if operation == _FIELD:
            arguments[key] = _run(detail, value, new, memo, reading)
        else:
            arguments[key] = _copy_value(operation, value, memo, detail)
    state["_kwargs"] = arguments
    for name, operation, detail in plan.attributes:
        if operation == _ARGUMENT:
            state[name] = arguments[detail]
        elif operation == _PARENT:
            state[name] = parent
        elif operation == _FIELD:
            state[name] = _run(detail, state[name], new, memo, reading)
        elif operation == _VALIDATORS:
            state[name] = detail.copy(state[name], reading)
        else:
            state[name] = _copy_value(operation, state[name], memo, detail)
    state["_creation_counter"] = drf_fields.Field._creation_counter
    drf_fields.Field._creation_counter += 1
    new.__dict__.update(state)
    return new


def _copy_value(operation: int, value: Any, memo: dict[int, Any], detail: Any) -> Any:
    if operation == _DICT:
        return value.copy()
    if operation == _LIST:
        return value.copy()
    if operation == _DATA:
        return _copy_data(value, memo)
    if operation == _OBJECT:
        new = memo[id(value)] = object.__new__(type(value))
        state = value.__dict__.copy()
        for name, operation, inner in detail:
            state[name] = _copy_value(operation, state[name], memo, inner)
        new.__dict__.update(state)
        return new
    return copy.deepcopy(value, memo)


def _copy_data(value: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy`` for plain data: containers, atomic values, a few plain objects."""
    if _atomic(value):
        return value
    copied = memo.get(id(value))
    if copied is not None:
        return copied
    kind = type(value)
    if kind is dict:
        copied = memo[id(value)] = {}
        for key, item in value.items():
            copied[_copy_data(key, memo)] = _copy_data(item, memo)
    elif kind is list:
        copied = memo[id(value)] = []
        copied.extend(_copy_data(item, memo) for item in value)
    elif kind is tuple or kind is frozenset:
        items = [_copy_data(item, memo) for item in value]
        same = all(item is original for item, original in zip(items, value, strict=True))
        copied = memo[id(value)] = value if same else kind(items)
    elif kind is set:
        copied = memo[id(value)] = {_copy_data(item, memo) for item in value}
    elif kind in _PLAIN_OBJECTS:
        copied = memo[id(value)] = object.__new__(kind)
        copied.__dict__.update(_copy_data(value.__dict__, memo))
    else:
        raise _Unknown
    return copied


def _copy_validator(validator: Any, message_name: str | None, regex: bool) -> Any:
    new = object.__new__(type(validator))
    state = validator.__dict__.copy()
    message = new_message = None
    if message_name is not None:
        message = state[message_name]
        if message.result is not None:
            raise _Unknown
        new_message = object.__new__(lazy_format)
        new_message.result = None
        new_message.format_string = message.format_string
        new_message.args = message.args
        new_message.kwargs = message.kwargs.copy()
        state[message_name] = new_message
    constructor_args = state.get("_constructor_args")
    if constructor_args is not None:
        args, kwargs = constructor_args
        state["_constructor_args"] = (
            args,
            {key: new_message if value is message else value for key, value in kwargs.items()}
            if message is not None
            else kwargs.copy(),
        )
    if regex:
        pattern = state["regex"]
        if pattern._wrapped is lazy_empty:  # what its __deepcopy__ does, without copy's detour
            state["regex"] = SimpleLazyObject(pattern._setupfunc)
        else:
            state["regex"] = copy.deepcopy(pattern)
    new.__dict__.update(state)
    return new
