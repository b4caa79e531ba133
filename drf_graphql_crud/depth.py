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
import threading
import types
import weakref
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from rest_framework import fields as drf_fields
from rest_framework import serializers

__all__ = ["DepthNested", "depth_nested", "representative"]

#: DRF's own classes, by qualified name, and the word their types are named with.
_DRF_OWN = {
    "ModelSerializer.build_nested_field.<locals>.NestedSerializer": "",
    "HyperlinkedModelSerializer.build_nested_field.<locals>.NestedSerializer": "Hyperlinked",
}
_MADE_BY = ".build_nested_field.<locals>."

_representatives: dict[tuple[Any, ...], type] = {}
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
    """The make-up of a class a ``build_nested_field`` defined; ``None`` for any other."""
    qualname = getattr(serializer_class, "__qualname__", "")
    meta = getattr(serializer_class, "Meta", None)
    model = getattr(meta, "model", None)
    if _MADE_BY not in qualname or model is None:
        return None
    depth = getattr(meta, "depth", 0)
    try:
        meta_items = tuple(
            (name, _comparable(value))
            for klass in meta.__mro__[:-1]
            for name, value in sorted(vars(klass).items())
            if not name.startswith("__")
        )
        body = tuple(
            (name, _comparable(value))
            for name, value in vars(serializer_class).items()
            if not name.startswith("__") and name != "Meta"
        )
        signature: tuple[Any, ...] | None = (
            serializer_class.__module__,
            qualname,
            serializer_class.__bases__,
            meta_items,
            body,
        )
        hash(signature)
    except (_Incomparable, TypeError):
        meta_items = body = signature = None
    drf_word = (
        _DRF_OWN.get(qualname) if serializer_class.__module__ == serializers.__name__ else None
    )
    drf_own = drf_word is not None and (
        meta_items == (("depth", depth), ("fields", "__all__"), ("model", model))
        and body == (("_declared_fields", ()),)
    )
    if drf_word is not None:
        word = drf_word
    else:
        word = serializer_class.__name__.removesuffix("Serializer")
        word = "" if word == "Nested" else word
    return DepthNested(model, depth, word, drf_own, signature)


def representative(serializer_class: type) -> type | None:
    """The first class seen that is alike ``serializer_class``, which is itself for any
    class not made in a ``build_nested_field``; ``None`` for one that cannot be matched.

    Asked for every serializer a request builds, so a class's answer is remembered (weakly:
    classes built per request come and go).
    """
    if _MADE_BY not in getattr(serializer_class, "__qualname__", ""):
        return serializer_class
    known = _known.get(serializer_class, _UNKNOWN)
    if known is not _UNKNOWN:
        return known
    nested = depth_nested(serializer_class)
    if nested is None:
        found: type | None = serializer_class
    elif nested.signature is None:
        found = None
    else:
        found = _representatives.setdefault(nested.signature, serializer_class)
    with _lock:
        _known[serializer_class] = found
    return found


class _Incomparable(Exception):  # noqa: N818 - a signal, not an error
    pass


_VALUES = (str, int, float, bytes, type, types.CodeType, enum.Enum, Promise, type(None))


def _comparable(value: Any) -> Any:
    """``value`` as something hashable and equal for equal make-up; raises ``_Incomparable``
    for an object that compares by identity alone."""
    if isinstance(value, _VALUES):
        return value
    if isinstance(value, dict):
        return tuple((key, _comparable(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(_comparable(item) for item in value)
    if isinstance(value, set | frozenset):
        return frozenset(_comparable(item) for item in value)
    if isinstance(value, classmethod | staticmethod):
        return (type(value), _comparable(value.__func__))
    if isinstance(value, types.FunctionType):
        cells = tuple(_cell(cell) for cell in value.__closure__ or ())
        return (value.__code__, _comparable(value.__defaults__), cells)
    if isinstance(value, drf_fields.Field):
        return (type(value), _comparable(value._args), _comparable(value._kwargs))
    if type(value).__eq__ is not object.__eq__ and type(value).__hash__ is not None:
        return value  # compares by its own ==
    raise _Incomparable


def _cell(cell: Any) -> Any:
    try:
        return _comparable(cell.cell_contents)
    except ValueError:  # a cell not filled yet
        return None
