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
read copies of ``fieldcache.prebuild_fields``) a ``get_attribute`` of their own, which
reads the same values in fewer steps:

- an attribute of a row that is no mapping is read with ``getattr``, a key of a ``dict``
  row with ``[]``; ``ObjectDoesNotExist`` gives ``None``, as DRF gives it;
- a nested ``ListSerializer`` (DRF's own ``to_representation``) or a ``ManyRelatedField``
  (a list of primary keys, slugs...) over a many-to-many or a reverse foreign key the row
  has prefetched gets the prefetched queryset, which is what the manager's ``all()`` would
  have returned, without the manager;
- anything else goes to DRF's own ``Field.get_attribute``, which reads the value again
  and answers as it always does: another kind of mapping, a value DRF inspects as a
  callable (a function, method, ``partial`` or builtin), and a ``KeyError`` or
  ``AttributeError`` (the field's default, ``None``, ``SkipField`` or DRF's error).

Only a field whose class reads as DRF's ``Field`` or ``ManyRelatedField`` does
(``get_attribute`` not overridden) gets one; the value rendered is the same either way.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.fields.related_descriptors import (
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
)
from django.db.models.manager import BaseManager
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers

__all__ = ["read_as_drf_does"]

_DRF_GET_ATTRIBUTE = drf_fields.Field.get_attribute
_DRF_LIST_TO_REPRESENTATION = serializers.ListSerializer.to_representation
_DRF_MANY_RELATED_GET_ATTRIBUTE = relations.ManyRelatedField.get_attribute

#: Values ``is_simple_callable`` inspects (and may call, or refuse): DRF reads those.
_INSPECTED = (types.FunctionType, types.MethodType, functools.partial, types.BuiltinFunctionType)

#: By class of row: whether it is a ``Mapping``. Bounded: classes made per request (a
#: ``namedtuple`` per call) must not make it grow without end.
_mapping_classes: dict[type, bool] = {}
#: By class of row and attribute: the ``attname`` that must be set for the row's prefetched
#: queryset to be what its manager would return, or ``None`` (read through the manager).
_prefetched_keys: dict[tuple[type, str], str | None] = {}
_MAX_CLASSES = 1024


def read_as_drf_does(fields: Iterable[drf_fields.Field]) -> None:
    """Give each bound field that reads as DRF's ``Field`` (or ``ManyRelatedField``) does a
    quicker ``get_attribute``."""
    for field in fields:
        if "get_attribute" in vars(field):
            continue
        reads = type(field).get_attribute
        if reads is _DRF_MANY_RELATED_GET_ATTRIBUTE:
            if len(field.source_attrs) == 1:
                field.get_attribute = partial(_read_many_related, field, field.source_attrs[0])
            continue
        if reads is not _DRF_GET_ATTRIBUTE:
            continue
        attrs = field.source_attrs
        if not attrs:  # source="*" reads the row itself
            continue
        # The relation a nested list reads may be its prefetched queryset, not the manager.
        takes_querysets = (
            len(attrs) == 1
            and isinstance(field, serializers.ListSerializer)
            and type(field).to_representation is _DRF_LIST_TO_REPRESENTATION
        )
        field.get_attribute = partial(_read, field, tuple(attrs), takes_querysets)


def _read(
    field: drf_fields.Field, attrs: tuple[str, ...], takes_querysets: bool, instance: Any
) -> Any:
    """What ``Field.get_attribute(field, instance)`` returns (see the module's docstring)."""
    value = instance
    for attr in attrs:
        kind = type(value)
        if kind is dict:
            try:
                value = value[attr]
            except KeyError:
                return _DRF_GET_ATTRIBUTE(field, instance)
        elif _is_mapping(kind):
            return _DRF_GET_ATTRIBUTE(field, instance)
        else:
            if takes_querysets:  # one attribute: this is the last
                prefetched = _prefetched(value, kind, attr)
                if prefetched is not None:
                    return prefetched
            try:
                value = getattr(value, attr)
            except ObjectDoesNotExist:
                return None
            except (KeyError, AttributeError):
                return _DRF_GET_ATTRIBUTE(field, instance)
        if isinstance(value, _INSPECTED):
            return _DRF_GET_ATTRIBUTE(field, instance)
    return value


def _read_many_related(field: relations.ManyRelatedField, attr: str, instance: Any) -> Any:
    """What ``ManyRelatedField.get_attribute`` returns (``manager.all()``): a prefetched
    relation's queryset, read without making the manager."""
    kind = type(instance)
    if not _is_mapping(kind):
        prefetched = _prefetched(instance, kind, attr)
        if prefetched is not None:
            return prefetched
    return _DRF_MANY_RELATED_GET_ATTRIBUTE(field, instance)


def _is_mapping(kind: type) -> bool:
    mapping = _mapping_classes.get(kind)
    if mapping is None:
        if len(_mapping_classes) >= _MAX_CLASSES:
            _mapping_classes.clear()
        mapping = _mapping_classes[kind] = issubclass(kind, Mapping)
    return mapping


def _prefetched(row: Any, kind: type, attr: str) -> Any:
    """The queryset ``getattr(row, attr).all()`` would return, when the row holds it."""
    key = (kind, attr)
    try:
        attname = _prefetched_keys[key]
    except KeyError:
        if len(_prefetched_keys) >= _MAX_CLASSES:
            _prefetched_keys.clear()
        attname = _prefetched_keys[key] = _prefetch_attname(kind, attr)
    if attname is None:
        return None
    own = getattr(row, "__dict__", {})
    cache = own.get("_prefetched_objects_cache")
    if not cache or attr not in cache or own.get(attname) is None:
        return None  # not prefetched, or a row the manager refuses (no key yet): DRF's way
    return cache[attr]


def _prefetch_attname(kind: type, attr: str) -> str | None:
    """The column the relation ``attr`` of ``kind`` joins on, where the manager Django makes
    for it answers ``all()`` with the row's prefetched queryset, stored under ``attr``
    (its prefetch cache name), and refuses only a row without that column: else None.

    A descriptor of another class (a project's, a generic relation's), a manager class
    with an ``all()`` of its own, or a relation joined on another column than the primary
    key (the manager checks that column) are read through the manager.
    """
    try:
        descriptor = getattr(kind, attr, None)
        if type(descriptor) is ManyToManyDescriptor:
            relation = descriptor.rel.field
            if descriptor.reverse:
                cache_name = relation.related_query_name()
                through_key = relation.m2m_reverse_field_name()
            else:
                cache_name = relation.name
                through_key = relation.m2m_field_name()
            target = descriptor.rel.through._meta.get_field(through_key).target_field
        elif type(descriptor) is ReverseManyToOneDescriptor:
            cache_name = descriptor.rel.get_accessor_name()
            target = descriptor.field.target_field
        else:
            return None
        manager_class = descriptor.related_manager_cls
    except Exception:  # a relation not set up yet (a lazy reference), a class's own
        return None  # attribute lookup failing: read through the manager
    if cache_name != attr or manager_class.all is not BaseManager.all or not target.primary_key:
        return None
    return target.attname
