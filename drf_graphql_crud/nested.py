"""
Which existing rows a nested input may address by ``id``.

Model inputs nested in a mutation's input carry an optional ``id`` (see ``types``): REST
clients of writable nested serializers (drf-writable-nested) send a child's read-only pk so
that the child is updated instead of created. Such serializers look that pk up in the
child model's whole table, so a client could name any row, another user's included, and
have it moved under its own parent and rewritten.

The ``id`` is this library's addition to the input, so this library bounds it: a nested
``id`` must name a row that is already related to the instance being written, through
that nested field. On create there is no such row, so no nested ``id`` is accepted. A
nested serializer that declares its pk as a writable field has chosen its own rules, and
they are left to it, as under REST; so is a parent that writes its nested rows with its
own ``create()``/``update()``, where DRF drops a read-only ``id``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import fields as drf_fields
from rest_framework import serializers
from rest_framework.settings import api_settings

from .converter import is_model_pk, pk_aliases
from .errors import UNREADABLE_INPUT, guard_input, unreadable_input
from .fieldcache import NestedWriter

__all__ = ["guard_unreadable_fields", "nested_id_errors", "validate_with_nested_ids"]

DOES_NOT_EXIST = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]


def validate_with_nested_ids(serializer: serializers.BaseSerializer, data: Any) -> None:
    """``serializer.is_valid(raise_exception=True)``, with the nested ids out of reach
    among its errors: every error at once, as REST answers its own.

    The serializer's own ``is_valid`` runs as REST calls it: one that raises something
    else than a ``ValidationError`` (a 422 of its own) decides what the client gets.
    """
    nested = nested_id_errors(serializer, data)
    try:
        _is_valid(serializer)
    except serializers.ValidationError as exc:
        if not nested:
            raise
        raise serializers.ValidationError(_merged(exc.detail, nested)) from exc
    if nested:
        # Its is_valid() passed, or noted errors without raising them: those come along.
        own = serializer.errors if hasattr(serializer, "_errors") else {}
        raise serializers.ValidationError(_merged(own, nested))


def _is_valid(serializer: serializers.BaseSerializer) -> None:
    """``serializer.is_valid(raise_exception=True)``, where reading a field's input may
    raise past DRF (REST's 500) and the client gets that field's own error instead, among
    every other error of the input (``errors.unreadable_input``).

    A ``ModelField`` hands any value to its model field's ``to_python()``, which may raise
    anything, and a ``DateTimeField`` given a naive value within a day of year 1 or 9999
    overflows as it makes it aware: each one the input reaches is guarded before validating
    (``guard_unreadable_fields``), so validation runs once. One the guard could not find
    (in a nested serializer a ``to_internal_value`` of its own gives data under other keys;
    a date-time in a format that writes the year otherwise) is guarded where it raised, and
    the input validated again: the fields before it run twice then.
    """
    guard_unreadable_fields(serializer)
    guarded: set[int] = set()
    while True:
        try:
            serializer.is_valid(raise_exception=True)
            return
        except UNREADABLE_INPUT as exc:
            unreadable = unreadable_input(exc)
            if unreadable is None or id(unreadable[0]) in guarded or hasattr(serializer, "_errors"):
                raise
            guard_input(unreadable[0])
            guarded.add(id(unreadable[0]))


def guard_unreadable_fields(serializer: serializers.BaseSerializer) -> None:
    """Guard (``errors.guard_input``) each field of ``serializer``'s input whose reading may
    raise past DRF, before it is validated: a ``ModelField`` (what its model field's
    ``to_python()`` raises, or keeps that its column cannot take, is its ``invalid``
    error), and a ``DateTimeField`` (a naive value within a day of year 1 or 9999 overflows
    as it is made aware: its ``overflow`` error)."""
    found: dict[int, Any] = {}
    _find_unreadable(serializer, getattr(serializer, "initial_data", None), found, {})
    for field in found.values():
        guard_input(field)


#: Fields whose reading may raise past DRF, guarded whatever their data.
_GUARDED = (drf_fields.ModelField, drf_fields.DateTimeField)


def _find_unreadable(
    field: serializers.Field, data: Any, found: dict[int, Any], plans: dict[int, Any]
) -> None:
    """Note in ``found`` (by id) the fields in ``field``'s input whose reading may raise
    past DRF. Such a field is noted whatever its data (a list's or a dict's items share
    their child: one guard serves them all, and a serializer's ``to_internal_value`` may
    rename keys). A nested serializer is walked only where the data gives it a value, as
    DRF validates, so none builds fields DRF would not (a tree only as deep as the data);
    the items of a list of serializers are walked only where they may nest more.
    ``plans``: each serializer's fields that may hold one, worked out once per walk."""
    if isinstance(item := _item_field(field), _GUARDED):
        found[id(item)] = item
    elif isinstance(field, serializers.ListSerializer | drf_fields.ListField):
        child = field.child
        if not isinstance(_item_field(child), serializers.BaseSerializer):
            return  # a list of text: nothing to walk
        if isinstance(child, serializers.Serializer) and not _nests(_plan(child, plans)):
            _find_unreadable(child, None, found, plans)  # its own fields: once for all items
        elif isinstance(data, list):
            for each in data:
                _find_unreadable(child, each, found, plans)
    elif isinstance(field, drf_fields.DictField):
        if isinstance(data, Mapping) and isinstance(item, serializers.BaseSerializer):
            for each in data.values():
                _find_unreadable(field.child, each, found, plans)
    elif isinstance(field, serializers.Serializer):
        given = data if isinstance(data, Mapping) else {}
        for name, each in _plan(field, plans):
            if name in given or isinstance(_item_field(each), _GUARDED):
                _find_unreadable(each, given.get(name), found, plans)


def _nests(plan: Any) -> bool:
    """Whether a serializer's ``plan`` holds a serializer (its items may hold more)."""
    return any(isinstance(_item_field(field), serializers.BaseSerializer) for _, field in plan)


def _plan(serializer: serializers.Serializer, plans: dict[int, Any]) -> Any:
    """The writable fields of ``serializer`` that are, or may hold, a field whose reading
    may raise past DRF: read off the instance's fields, which a project's
    ``get_serializer()`` may have changed."""
    plan = plans.get(id(serializer))
    if plan is None:
        plan = plans[id(serializer)] = tuple(
            (name, field)
            for name, field in serializer.fields.items()
            if not field.read_only and _may_hold_unreadable(field)
        )
    return plan


def _may_hold_unreadable(field: serializers.Field) -> bool:
    """A ``ModelField``, a ``DateTimeField``, a serializer (its fields are read as the data
    reaches them), or a list or dict field of one: not a list of text, which holds nothing
    to walk."""
    return isinstance(_item_field(field), (*_GUARDED, serializers.BaseSerializer))


def _item_field(field: serializers.Field) -> serializers.Field:
    """The field of ``field``'s items, through lists and dicts of lists; else ``field``."""
    while isinstance(field, drf_fields.ListField | drf_fields.DictField):
        field = field.child
    return field


def nested_id_errors(
    serializer: serializers.BaseSerializer, data: Any
) -> dict[str, Any] | list[dict[str, Any]]:
    """The errors at ``<field>.<index>.id`` for nested ids out of reach (empty: none).

    ``serializer`` is the mutation's serializer (with its ``instance``, if any); ``data``
    what it is about to validate. Costs nothing when no nested input holds an ``id``, and
    one query per nested field that does.
    """
    if isinstance(serializer, serializers.ListSerializer):
        errors = [_errors_for(serializer.child, None, item) for item in _dicts(data)]
        return errors if any(errors) else []
    return _errors_for(serializer, serializer.instance, data)


def _errors_for(
    serializer: serializers.BaseSerializer, instance: models.Model | None, data: Any
) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(serializer, serializers.Serializer):
        return {}
    # Only a writable nested serializer looks its nested ids up (in the whole table); any
    # other drops a read-only id, as under REST, or reads it by its own rules. A writable
    # serializer it hands its items to still looks up theirs: bounded with no row.
    writer = NestedWriter is not None and isinstance(serializer, NestedWriter)
    errors: dict[str, Any] = {}
    for name, field in serializer.fields.items():
        if field.read_only or name not in data:
            continue
        many = isinstance(field, serializers.ListSerializer)
        child = field.child if many else field
        if not isinstance(child, serializers.ModelSerializer) or not _library_pk(child):
            continue
        if field.source == "*" or "." in field.source:
            # No relation of the row's that a writable nested serializer writes through
            # (``*`` is the row itself): its read-only id is dropped, as under REST.
            continue
        items = _dicts(data[name]) if many else _dicts([data[name]])
        if writer:
            related = _related_rows(instance, field.source, items, child)
            item_errors = [_item_errors(child, related, item) for item in items]
        else:
            item_errors = [_errors_for(child, None, item) for item in items]
        if any(item_errors):
            errors[name] = item_errors if many else item_errors[0]
    return errors


def _item_errors(
    child: serializers.ModelSerializer, related: dict[str, models.Model], item: dict[str, Any]
) -> dict[str, Any]:
    pk = _pk_of(item, child)
    if pk is None:
        return _errors_for(child, None, item)
    key = _row_key(child, pk)
    row = related.get(key) if key is not None else None
    if row is None:
        message = DOES_NOT_EXIST.format(pk_value=pk)
        return {_pk_key(item, child): [serializers.ErrorDetail(message, code="does_not_exist")]}
    return _errors_for(child, row, item)


def _related_rows(
    instance: models.Model | None,
    source: str,
    items: list[dict[str, Any]],
    child: serializers.ModelSerializer,
) -> dict[str, models.Model]:
    """The rows related to ``instance`` through ``source`` that the items name, by str(pk):
    one query for the named rows among the related ones, not every related row; none
    where the row came with them prefetched (a queryset's ``prefetch_related``)."""
    pks = [pk for pk in (_pk_of(item, child) for item in items) if pk is not None]
    if instance is None or instance.pk is None or not pks:
        return {}
    related = getattr(instance, source, None)
    if isinstance(related, models.Manager):
        wanted = {_pk_value(child, pk) for pk in pks} - {None}
        keys = {str(value) for value in wanted}
        prefetched = related.all()
        if prefetched._result_cache is not None:
            found = {str(row.pk): row for row in prefetched if str(row.pk) in keys}
            if len(found) == len(keys):
                return found
        # Read from the database, past a prefetch (a Prefetch(queryset=...) may hold only
        # some of the children, and its manager filters within them).
        with _without_prefetched(instance):
            related = getattr(instance, source)
            try:
                rows = list(related.filter(pk__in=wanted)) if wanted else []
            except OverflowError:  # an id SQLite cannot even bind: matched here instead
                rows = [row for row in related.all() if str(row.pk) in keys]
    elif isinstance(related, models.Model):
        rows = [related]
    else:
        rows = []
    return {str(row.pk): row for row in rows}


@contextmanager
def _without_prefetched(instance: models.Model) -> Iterator[None]:
    """``instance`` with no prefetched relations for the block: its managers query."""
    own = vars(instance)
    saved = own.pop("_prefetched_objects_cache", None)
    try:
        yield
    finally:
        if saved is not None:
            own["_prefetched_objects_cache"] = saved


def _merged(first: Any, second: Any) -> Any:
    """Two DRF error structures as one: dicts by key, lists of items by index, messages
    one after the other. A nested list's errors come per item (a list, or a dict by index
    with ``LIST_SERIALIZER_ERRORS_AS_DICT``) or as the list's own messages (``max_length``,
    a parent's ``validate_<field>()``); merged, the messages go under the non-field key,
    which names the list itself."""
    if not second:
        return first
    if not first:
        return second
    if _items(first) != _items(second) or isinstance(first, dict) != isinstance(second, dict):
        # A list's own messages beside its items' errors, items as a list beside items by
        # index, a serializer's plain message beside field errors: both as dicts.
        first, second = _as_dict(first), _as_dict(second)
    if isinstance(first, dict) and isinstance(second, dict):
        merged = dict(first)
        for key, value in second.items():
            merged[key] = _merged(first[key], value) if key in first else value
        return merged
    if isinstance(first, list) and isinstance(second, list):
        if _items(first) and len(first) == len(second):
            return [_merged(one, other) for one, other in zip(first, second, strict=True)]
        return [*first, *second]
    return first


def _items(errors: Any) -> bool:
    """Whether ``errors`` are per item of a list: a list of structures, or a dict by index."""
    if isinstance(errors, dict):
        return bool(errors) and all(isinstance(key, int) for key in errors)
    return isinstance(errors, list) and all(isinstance(item, dict | list) for item in errors)


def _by_index(errors: Any) -> dict[Any, Any]:
    if isinstance(errors, dict):
        return dict(errors)
    return {index: item for index, item in enumerate(errors) if item}


def _as_dict(errors: Any) -> dict[Any, Any]:
    """Errors as a dict: per item by index, a list's own messages under the non-field key."""
    if _items(errors):
        return _by_index(errors)
    if isinstance(errors, dict):
        return dict(errors)
    return {api_settings.NON_FIELD_ERRORS_KEY: list(errors)}


def _library_pk(child: serializers.ModelSerializer) -> bool:
    """Whether the child's pk is read-only, so the ``id`` in its input is this library's."""
    pk_name = child.Meta.model._meta.pk.name
    for name, field in child.fields.items():
        if name in ("pk", pk_name) or is_model_pk(field):
            return field.read_only
    return True


def _pk_of(item: dict[str, Any], child: serializers.ModelSerializer) -> Any:
    """The pk a writable nested serializer would read from the item (``pk`` or the attname)."""
    return item.get("pk") or item.get(child.Meta.model._meta.pk.attname) or None


def _row_key(child: serializers.ModelSerializer, pk: Any) -> str | None:
    """``str(row.pk)`` of the row a client's value names, as Django reads the value for a
    lookup (``"001"`` names row 1, an upper-case UUID its row); None for a value Django
    refuses, which names no row."""
    value = _pk_value(child, pk)
    return None if value is None else str(value)


def _pk_value(child: serializers.ModelSerializer, pk: Any) -> Any:
    try:
        return child.Meta.model._meta.pk.to_python(pk)
    except (DjangoValidationError, TypeError, ValueError):
        return None


def _pk_key(item: dict[str, Any], child: serializers.ModelSerializer) -> str:
    """Where the item's key was written: ``pk``, the key column's name, or the key field
    that a GraphQL input also hands over as ``pk`` (``uid``: ``converter.pk_aliases``)."""
    if not item.get("pk"):
        return child.Meta.model._meta.pk.attname
    alias = next((name for name in pk_aliases(child) if item.get(name) == item["pk"]), None)
    return alias or "pk"


def _dicts(values: Any) -> list[dict[str, Any]]:
    """The items of a nested list in their places, an empty one for an item that is no
    object (a None item of ``many=True, allow_null=True``): errors keep the client's index."""
    if not isinstance(values, Iterable) or isinstance(values, str | bytes | dict):
        return []
    return [value if isinstance(value, dict) else {} for value in values]
