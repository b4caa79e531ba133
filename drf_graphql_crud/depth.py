"""
The serializer classes ``build_nested_field`` makes for ``Meta.depth``, and which are alike.

``ModelSerializer.build_nested_field`` defines a new class, always named
``NestedSerializer``, for each relation each time a serializer's fields are built; a
project's override may edit that class or define its own there. A class is a new object
every time, so nothing keyed by class (a GraphQL type, a cached set of fields) would ever
be found again: every relation would want one type name, and a serializer whose fields
are built per request would add an entry per request.

What such a class builds depends only on what it is made of: its bases, its ``Meta`` and
what its body defines. Classes made of the same are alike, and the first one seen stands
for the others (``representative``). Alike is judged by value: ``Meta`` options, declared
fields by their class and arguments, functions by their code, other objects by their own
``==``. A class holding an object that compares by identity alone (say a validator
instance without ``__eq__``, new at every build) cannot be matched: it has no
representative, and nothing is keyed by it.
"""

from __future__ import annotations

import enum
import functools
import threading
import types
import weakref
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from rest_framework import fields as drf_fields
from rest_framework import serializers

__all__ = ["DepthNested", "depth_nested", "representative", "type_representative"]

#: DRF's own classes, by qualified name, and the word their types are named with.
_DRF_OWN = {
    "ModelSerializer.build_nested_field.<locals>.NestedSerializer": "",
    "HyperlinkedModelSerializer.build_nested_field.<locals>.NestedSerializer": "Hyperlinked",
}
_MADE_BY = ".build_nested_field.<locals>."

_representatives: dict[tuple[Any, ...], type] = {}
_named: dict[tuple[str, Any], type] = {}
_known: weakref.WeakKeyDictionary[type, type] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
_UNKNOWN = object()


@dataclass(frozen=True)
class DepthNested:
    """What a class made in a ``build_nested_field`` is built from."""

    model: Any
    depth: int
    #: Names its types between model and depth: ``""`` (DRF's), ``"Hyperlinked"``, or a
    #: project's class name without ``Serializer``.
    word: str
    #: DRF's class as DRF made it (``fields = "__all__"``, nothing else changed).
    drf_own: bool
    #: What alike classes share; ``None`` when it cannot be compared by value.
    signature: tuple[Any, ...] | None


def depth_nested(serializer_class: type) -> DepthNested | None:
    """The make-up of a model serializer class a ``build_nested_field`` defined; ``None``
    for any other class."""
    qualname = getattr(serializer_class, "__qualname__", "")
    meta = getattr(serializer_class, "Meta", None)
    model = getattr(meta, "model", None)
    if _MADE_BY not in qualname or model is None:
        return None
    depth = getattr(meta, "depth", 0)
    signature = _signature(serializer_class)
    drf_word = (
        _DRF_OWN.get(qualname) if serializer_class.__module__ == serializers.__name__ else None
    )
    drf_own = drf_word is not None and (
        set(vars(meta)) - _BOOKKEEPING == {"model", "depth", "fields"}
        and meta.fields == "__all__"
        and set(vars(serializer_class)) - _BOOKKEEPING == {"Meta", "_declared_fields"}
        and not serializer_class._declared_fields
    )
    if drf_word is not None:
        word = drf_word
    else:
        word = serializer_class.__name__.removesuffix("Serializer")
        word = "" if word == "Nested" else word
    return DepthNested(model, depth, word, drf_own, signature)


def representative(serializer_class: type) -> type | None:
    """The first class seen that is alike ``serializer_class``, which is itself for any
    class not made in a ``build_nested_field``; ``None`` for one made there that cannot be
    matched (nothing may be keyed by it: the next build makes another).

    Asked for every serializer a request builds, so a class's answer is remembered (weakly:
    classes built per request come and go).
    """
    if _MADE_BY not in getattr(serializer_class, "__qualname__", ""):
        return serializer_class
    known = _known.get(serializer_class, _UNKNOWN)
    if known is not _UNKNOWN:
        return serializer_class if known is _ITSELF else known
    nested = depth_nested(serializer_class)
    found = None
    if nested is not None and nested.signature is not None:
        found = _representatives.setdefault(nested.signature, serializer_class)
    with _lock:
        # Never the class itself as its own value: that would keep the weak key alive.
        _known[serializer_class] = _ITSELF if found is serializer_class else found
    return found


def type_representative(serializer_class: type) -> type:
    """The class whose GraphQL type ``serializer_class`` takes: its ``representative``; for
    a class that cannot be matched, the first one seen under its own ``Meta.graphql_name``
    (the project named them one type); else the class itself."""
    found = representative(serializer_class)
    if found is not None:
        return found
    meta = getattr(serializer_class, "Meta", None)
    name = getattr(meta, "graphql_name", None)
    if not name:
        return serializer_class
    return _named.setdefault((name, getattr(meta, "model", None)), serializer_class)


def signature_of(serializer_class: type) -> tuple[Any, ...] | None:
    """What a serializer class with a ``Meta`` is made of, by value (``None`` where that
    cannot be told): two classes one function makes alike have equal signatures."""
    return _signature(serializer_class)


def _signature(serializer_class: type) -> tuple[Any, ...] | None:
    """What ``serializer_class`` is made of, by value; ``None`` where that cannot be told."""
    meta = serializer_class.Meta  # type: ignore[attr-defined]
    seen = {id(serializer_class)}
    try:
        bases = tuple(
            _comparable(base, serializer_class, seen) for base in serializer_class.__bases__
        )
        meta_items = tuple(
            (name, _comparable(value, serializer_class, seen))
            for klass in meta.__mro__[:-1]
            for name, value in sorted(vars(klass).items())
            if name not in _BOOKKEEPING
        )
        body = tuple(
            (name, _comparable(value, serializer_class, seen))
            for name, value in sorted(vars(serializer_class).items())
            if name not in _BOOKKEEPING and name != "Meta"
        )
        signature = (serializer_class.__module__, serializer_class.__qualname__, bases)
        signature += (meta_items, body)
        hash(signature)
    except (_Incomparable, TypeError, RecursionError):
        return None
    return signature


#: What Python keeps in a class's namespace about the class itself, not what it holds.
_BOOKKEEPING = frozenset(
    {
        "__module__",
        "__qualname__",
        "__doc__",
        "__dict__",
        "__weakref__",
        "__firstlineno__",
        "__static_attributes__",
        "__orig_bases__",
    }
)
_ITSELF = object()


class _Incomparable(Exception):  # noqa: N818 - a signal, not an error
    pass


_VALUES = (str, int, float, bytes, type, types.CodeType, enum.Enum, Promise, type(None))
#: The size of an instance of a plain Python class: its state is all in its ``__dict__``.
_PLAIN_INSTANCE_SIZE = type("_Plain", (), {}).__basicsize__


def _comparable(value: Any, owner: type, seen: set[int]) -> Any:
    """``value`` as something hashable and equal for equal make-up; raises ``_Incomparable``
    for an object that compares by identity alone.

    ``owner`` (the class being compared, which ``super()`` puts in its methods' closures)
    and anything met again (a recursive structure) stand for themselves as markers.
    """
    if value is owner:
        return "<the class>"
    if isinstance(value, type) and _MADE_BY in value.__qualname__:
        # Another class of this build (a base, a sibling): new at every build too.
        nested = _signature(value) if hasattr(value, "Meta") else None
        if nested is None:
            raise _Incomparable
        return nested
    if (
        isinstance(value, type)
        and ".<locals>." in value.__qualname__
        and issubclass(value, drf_fields.Field)
        and hasattr(value, "Meta")
    ):
        # A serializer a function makes with the one compared (a nested one): new at
        # each call too, so compared by its make-up, or not at all.
        nested = _signature(value)
        if nested is None:
            raise _Incomparable
        return nested
    if isinstance(value, _VALUES):
        return value
    if id(value) in seen:
        return "<met again>"
    seen.add(id(value))
    try:
        if isinstance(value, dict):
            return tuple((key, _comparable(item, owner, seen)) for key, item in value.items())
        if isinstance(value, list | tuple):
            return tuple(_comparable(item, owner, seen) for item in value)
        if isinstance(value, set | frozenset):
            return frozenset(_comparable(item, owner, seen) for item in value)
        if isinstance(value, classmethod | staticmethod | property):
            parts = (value.fget,) if isinstance(value, property) else (value.__func__,)
            return (type(value), *(_comparable(part, owner, seen) for part in parts))
        if isinstance(value, types.FunctionType):
            cells = tuple(_cell(cell, owner, seen) for cell in value.__closure__ or ())
            defaults = (value.__defaults__, value.__kwdefaults__)
            return (value.__code__, _comparable(defaults, owner, seen), cells)
        if isinstance(value, drf_fields.Field):
            arguments = (value._args, value._kwargs)  # type: ignore[attr-defined]
            return (_comparable(type(value), owner, seen), _comparable(arguments, owner, seen))
        if isinstance(value, QuerySet):
            # A related field's queryset= (no == of its own): its model and its SQL, which
            # only names what it selects (compiled, never run).
            try:
                return (type(value), value.model, value.db, str(value.query))
            except Exception:  # an empty result, SQL only a database can finish
                raise _Incomparable from None
        deconstruct = getattr(value, "deconstruct", None)
        if callable(deconstruct) and not isinstance(value, type):
            return (type(value), _comparable(deconstruct(), owner, seen))
        if type(value).__eq__ is not object.__eq__ and type(value).__hash__ is not None:
            return value  # compares by its own ==
        if isinstance(value, functools.partial):
            parts = (value.func, value.args, value.keywords)
            return (type(value), _comparable(parts, owner, seen))
        own = getattr(value, "__dict__", None)
        if isinstance(own, dict) and type(value).__basicsize__ == _PLAIN_INSTANCE_SIZE:
            # CurrentUserDefault(), a DRF validator (== but no hash): an instance of a class
            # written in Python, whose state is all in its __dict__ (no slots, nothing of a
            # C base's outside it), compares by its type and that state.
            return (type(value), _comparable(own, owner, seen))
        raise _Incomparable
    finally:
        seen.discard(id(value))


def _cell(cell: Any, owner: type, seen: set[int]) -> Any:
    try:
        contents = cell.cell_contents
    except ValueError:  # a cell not filled yet
        return None
    return _comparable(contents, owner, seen)
