"""
How the fields of a serializer that only renders read their values from a row: as DRF
reads them, without its generic checks on every value.

DRF's ``Field.get_attribute`` reads the field's ``source_attrs`` through
``rest_framework.fields.get_attribute``, which, for every field of every row, asks whether
the row is a ``Mapping`` (an abstract base class check) and whether the value is a callable
it should call (``is_simple_callable``). A nested ``many=True`` serializer is handed the
row's related manager, a new object for each row whose ``__init__`` works out the
relation's filters, only to ask it for ``all()``, which returns the queryset
``prefetch_related`` already holds for that row. On a list of 100 rows with a nested
many-to-many, those steps cost about a tenth of the request.

``read_as_drf_does`` gives the fields of a serializer the library built to render (the
read copies of ``fieldcache.prebuild_fields``) that read one attribute (not a dotted
``source``, not ``"*"``) a ``get_attribute`` of their own, which reads the same value in
fewer steps:

- an attribute of a row that is no mapping is read with ``getattr``, a key of a ``dict``
  row with ``[]``; ``ObjectDoesNotExist`` gives ``None``, as DRF gives it;
- a nested ``ListSerializer`` (DRF's own ``to_representation``) or a ``ManyRelatedField``
  (a list of primary keys, slugs...) over a many-to-many or a reverse foreign key the row
  has prefetched gets the prefetched queryset, which is what the manager's ``all()`` would
  have returned, without the manager;
- DRF's own ``Field.get_attribute`` answers the rest: a row it reads as a mapping (any
  ``Mapping`` but a ``dict``, or a proxy of one), a value it inspects as a callable (a
  function, method, ``partial`` or builtin: called, or refused), and a ``KeyError`` or
  ``AttributeError`` (the field's default, ``None``, ``SkipField`` or DRF's error). It is
  handed what was read already, so a property is never run twice.

Only a field whose class reads as DRF's ``Field`` or ``ManyRelatedField`` does
(``get_attribute`` not overridden) gets one; the value rendered is the same either way.
"""

from __future__ import annotations

import abc
import functools
import types
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.fields.related_descriptors import (
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
)
from django.db.models.manager import BaseManager
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers

__all__ = ["joined_fields", "read_as_drf_does"]

_DRF_GET_ATTRIBUTE = drf_fields.Field.get_attribute
_DRF_LIST_TO_REPRESENTATION = serializers.ListSerializer.to_representation
_DRF_MANY_RELATED_GET_ATTRIBUTE = relations.ManyRelatedField.get_attribute

#: Values ``is_simple_callable`` inspects (and may call, or refuse): DRF reads those.
_INSPECTED = (types.FunctionType, types.MethodType, functools.partial, types.BuiltinFunctionType)

#: By class of row: whether DRF reads its rows its own way (a ``Mapping``, or a proxy that
#: may say it is of another class, as ``SimpleLazyObject`` does). Bounded: classes made per
#: request (a ``namedtuple`` per call) must not make it grow without end; forgotten when
#: a class is registered as a ``Mapping`` (``abc.get_cache_token()`` changes).
_drf_read_classes: dict[type, bool] = {}
_abc_token = abc.get_cache_token()
#: By class of row and attribute: the ``attname``s that must be set for the row's
#: prefetched queryset to be what its manager would return, or ``None`` (read through the
#: manager).
_prefetched_keys: dict[tuple[type, str], tuple[str, ...] | None] = {}
_MAX_CLASSES = 1024


def read_as_drf_does(fields: Iterable[drf_fields.Field]) -> None:
    """Give each bound field that reads one attribute as DRF's ``Field`` (or
    ``ManyRelatedField``) does a quicker ``get_attribute``."""
    global _abc_token
    if abc.get_cache_token() != _abc_token:  # a class was registered as a Mapping since
        _drf_read_classes.clear()
        _abc_token = abc.get_cache_token()
    for field in fields:
        if "get_attribute" in vars(field) or len(field.source_attrs) != 1:
            continue  # a dotted source or "*": DRF's own reading
        reads = type(field).get_attribute
        attr = field.source_attrs[0]
        if reads is _DRF_MANY_RELATED_GET_ATTRIBUTE:
            field.get_attribute = partial(_read_many_related, field, attr)
        elif reads is _DRF_GET_ATTRIBUTE:
            # The relation a nested list reads may be its prefetched queryset, not the manager.
            takes_querysets = (
                isinstance(field, serializers.ListSerializer)
                and type(field).to_representation is _DRF_LIST_TO_REPRESENTATION
            )
            field.get_attribute = partial(_read, field, attr, takes_querysets)


def _read(field: drf_fields.Field, attr: str, takes_querysets: bool, instance: Any) -> Any:
    """What ``Field.get_attribute(field, instance)`` returns (see the module's docstring)."""
    kind = type(instance)
    if kind is dict:
        try:
            value = instance[attr]
        except KeyError:
            return _DRF_GET_ATTRIBUTE(field, instance)  # a dict read again does nothing else
    elif _read_by_drf(kind):
        return _DRF_GET_ATTRIBUTE(field, instance)
    else:
        if takes_querysets:
            prefetched = _prefetched(instance, kind, attr)
            if prefetched is not None:
                return prefetched
        try:
            value = getattr(instance, attr)
        except ObjectDoesNotExist:
            return None
        except (KeyError, AttributeError) as exc:
            # DRF's answer to that failure (a default, None, SkipField or its error), from
            # what was read: a property is not run a second time.
            return _DRF_GET_ATTRIBUTE(field, _Read(kind, exc))
        if callable(value) and isinstance(value, _INSPECTED):  # callable() first, as DRF
            return _DRF_GET_ATTRIBUTE(field, _Read(kind, value))  # called, or refused, by DRF
        return value
    if callable(value) and isinstance(value, _INSPECTED):
        return _DRF_GET_ATTRIBUTE(field, instance)
    return value


def _read_many_related(field: relations.ManyRelatedField, attr: str, instance: Any) -> Any:
    """What ``ManyRelatedField.get_attribute`` returns (``manager.all()``): a prefetched
    relation's queryset, read without making the manager."""
    kind = type(instance)
    if not _read_by_drf(kind):
        prefetched = _prefetched(instance, kind, attr)
        if prefetched is not None:
            return prefetched
    return _DRF_MANY_RELATED_GET_ATTRIBUTE(field, instance)


class _Read:
    """A row whose one attribute was read already, for DRF's ``Field.get_attribute`` to
    answer from: reading the attribute gives the value read (or raises what reading it
    raised), and the row's class is the real row's, for DRF's messages."""

    __slots__ = ("_kind", "_outcome")

    def __init__(self, kind: type, outcome: Any) -> None:
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_outcome", outcome)

    def __getattribute__(self, name: str) -> Any:
        if name == "__class__":
            return object.__getattribute__(self, "_kind")
        outcome = object.__getattribute__(self, "_outcome")
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def _read_by_drf(kind: type) -> bool:
    read_by_drf = _drf_read_classes.get(kind)
    if read_by_drf is None:
        if len(_drf_read_classes) >= _MAX_CLASSES:
            _drf_read_classes.clear()
        # A class answering `__class__` itself may say it is a mapping's (``isinstance``).
        read_by_drf = _drf_read_classes[kind] = issubclass(kind, Mapping) or any(
            "__class__" in vars(klass) or "__getattribute__" in vars(klass)
            for klass in kind.__mro__[:-1]
        )
    return read_by_drf


def _prefetched(row: Any, kind: type, attr: str) -> Any:
    """The queryset ``getattr(row, attr).all()`` would return, when the row holds it."""
    key = (kind, attr)
    try:
        attnames = _prefetched_keys[key]
    except KeyError:
        if len(_prefetched_keys) >= _MAX_CLASSES:
            _prefetched_keys.clear()
        attnames = _prefetched_keys[key] = _prefetch_attnames(kind, attr)
    if attnames is None:
        return None
    own = getattr(row, "__dict__", {})
    cache = own.get("_prefetched_objects_cache")
    if not cache or attr not in cache:
        return None
    for attname in attnames:
        if own.get(attname) is None:
            return None  # a row the manager refuses (no key yet): DRF's way, and its error
    return cache[attr]


def _prefetch_attnames(kind: type, attr: str) -> tuple[str, ...] | None:
    """The columns that must be set on a row of ``kind`` (its primary key, and the ones the
    relation ``attr`` joins on) for the manager Django makes for it to answer ``all()``
    with the row's prefetched queryset, stored under ``attr`` (its prefetch cache name);
    else None.

    A descriptor of another class (a project's, a generic relation's), a manager class
    with an ``all()`` of its own, or a relation joined on another column than the primary
    key are read through the manager.
    """
    try:
        descriptor = getattr(kind, attr, None)
        if type(descriptor) is ManyToManyDescriptor:
            declared = descriptor.rel.field  # the ManyToManyField, on either side
            relation = descriptor.rel if descriptor.reverse else declared
            cache_name = declared.related_query_name() if descriptor.reverse else declared.name
        elif type(descriptor) is ReverseManyToOneDescriptor:
            relation = descriptor.rel
            cache_name = descriptor.rel.get_accessor_name()
        else:
            return None
        joined = joined_fields(relation)
        manager_class = descriptor.related_manager_cls
        primary_key = kind._meta.pk.attname
    except Exception:  # a relation not set up yet (a lazy reference), a class's own
        return None  # attribute lookup failing: read through the manager
    if (
        cache_name != attr
        or manager_class.all is not BaseManager.all
        or not joined
        or not all(field.primary_key for field in joined)
    ):
        return None
    return tuple(dict.fromkeys([primary_key, *(field.attname for field in joined)]))


def joined_fields(relation: Any) -> list[Any] | None:
    """The fields of a row that a many-relation (a many-to-many field, or a reverse
    relation) matches its related rows on: the primary key, unless a foreign key names
    another column with ``to_field``. None when that is not known (a generic relation)."""
    try:
        if isinstance(relation, models.ManyToManyField):
            key = relation.remote_field.through._meta.get_field(relation.m2m_field_name())
        elif isinstance(relation, models.ManyToManyRel):
            key = relation.through._meta.get_field(relation.field.m2m_reverse_field_name())
        elif isinstance(relation, models.ForeignObjectRel):
            key = relation.field
        else:
            return None
        return list(key.foreign_related_fields)
    except Exception:  # a relation not set up as Django's are
        return None
