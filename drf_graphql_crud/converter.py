"""
Where a DRF serializer field becomes a GraphQL type.

``convert_serializer_field`` is a ``functools.singledispatch`` registry keyed on the DRF field
class. Dispatch follows the class's MRO, so a project's ``class SlugishField(CharField)``
is a ``String`` without any registration, and a rule registered for a base class covers
its subclasses. A project adds or overrides a rule the same way this module does::

    from drf_graphql_crud import convert_serializer_field
    from drf_graphql_crud.converter import Mode

    @convert_serializer_field.register(MoneyField)
    def convert_money(field, mode=Mode.OUTPUT):
        return MoneyScalar

A rule returns the *bare* GraphQL type (a scalar, enum, object type, or ``graphene.List``
of one), or ``None`` to keep the field out of the schema. Whether the field is non-null is
decided once, here, by ``is_non_null``: the same facts (``required``, ``allow_null``,
``read_only``, the model field behind ``source``) that decide what DRF accepts and returns.

All of this runs once per serializer, when its types are first built (its first mutation,
field or type class), never per request: rules registered later do not change types built
before them.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import inspect
import re
import types
import typing
import uuid
from collections.abc import Mapping, Sequence
from functools import singledispatch
from typing import Any, Union

import graphene
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.utils.encoding import force_str
from graphene.utils.str_converters import to_camel_case
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers

from . import scalars
from .fieldcache import NestedWriter, has_callable_choices

__all__ = ["Mode", "convert_serializer_field", "is_non_null", "field_description"]

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1


class Mode(enum.Enum):
    """Which side of the API a type is built for."""

    OUTPUT = "output"
    INPUT = "input"
    #: Input of a partial update: every field optional, nested ones too, as DRF's
    #: ``partial=True`` skips every missing field down the tree.
    PARTIAL_INPUT = "partial_input"

    @property
    def is_input(self) -> bool:
        return self is not Mode.OUTPUT


GrapheneType = Any  # a graphene type class, or a graphene.List / graphene.NonNull structure


@singledispatch
def convert_serializer_field(field: drf_fields.Field, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    """Return the GraphQL type for a DRF field, or ``None`` to leave it out.

    The fallback for a field class with no rule of its own (and no rule for any class in
    its MRO) is the ``JSONValue`` JSON type: whatever ``to_representation`` returns
    reaches the client unchanged, and input is handed to ``to_internal_value`` as sent.
    """
    return scalars.JSON


# --------------------------------------------------------------------------- scalars


@convert_serializer_field.register(drf_fields.BooleanField)
def convert_boolean(field: drf_fields.BooleanField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    return graphene.Boolean


@convert_serializer_field.register(drf_fields.CharField)
def convert_char(field: drf_fields.CharField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    # Also EmailField, RegexField, SlugField, URLField, IPAddressField: subclasses.
    return graphene.ID if is_model_pk(field) else graphene.String


@convert_serializer_field.register(drf_fields.UUIDField)
def convert_uuid(field: drf_fields.UUIDField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    if is_model_pk(field):
        return graphene.ID
    # format="int": REST writes the UUID's 128-bit integer, a JSON number, and reads one.
    return scalars.UUIDInteger if field.uuid_format == "int" else scalars.UUIDString


@convert_serializer_field.register(drf_fields.IntegerField)
def convert_integer(field: drf_fields.IntegerField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    if is_model_pk(field):
        return graphene.ID
    if _DRF_BIG_INTEGER is not None and isinstance(field, _DRF_BIG_INTEGER):
        # DRF's own BigIntegerField (3.17+), whatever column is behind it: beyond 32 bits,
        # and written as text where it is told to (coerce_to_string).
        return scalars.BigInteger
    return graphene.Int if _fits_int32(field) else scalars.BigInteger


_DRF_BIG_INTEGER = getattr(drf_fields, "BigIntegerField", None)


@convert_serializer_field.register(drf_fields.FloatField)
def convert_float(field: drf_fields.FloatField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    return graphene.Float


@convert_serializer_field.register(drf_fields.DecimalField)
def convert_decimal(field: drf_fields.DecimalField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    return scalars.DecimalString


@convert_serializer_field.register(drf_fields.DateTimeField)
def convert_datetime(field: drf_fields.DateTimeField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    return scalars.DateTimeString


@convert_serializer_field.register(drf_fields.DateField)
def convert_date(field: drf_fields.DateField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    return scalars.DateString


@convert_serializer_field.register(drf_fields.TimeField)
def convert_time(field: drf_fields.TimeField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    return scalars.TimeString


@convert_serializer_field.register(drf_fields.DurationField)
def convert_duration(field: drf_fields.DurationField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    return scalars.DurationString


@convert_serializer_field.register(drf_fields.ChoiceField)
def convert_choice(field: drf_fields.ChoiceField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    if reads_choices_its_own_way(field, mode):
        return scalars.JSONValue
    return changing_choice_type(field) or choice_enum(field)


@convert_serializer_field.register(drf_fields.MultipleChoiceField)
def convert_multiple_choice(
    field: drf_fields.MultipleChoiceField, mode: Mode = Mode.OUTPUT
) -> GrapheneType:
    if reads_choices_its_own_way(field, mode):
        return scalars.JSONValue
    return graphene.List(graphene.NonNull(changing_choice_type(field) or choice_enum(field)))


def reads_choices_its_own_way(field: drf_fields.ChoiceField, mode: Mode) -> bool:
    """Whether a choice field's own ``to_representation`` (out) or ``to_internal_value``
    (in) stands between the client and the choice keys an enum is made of.

    A project's ``ChoiceField`` (``ModelSerializer.serializer_choice_field``) rendering the
    label, or ``{"value": ..., "label": ...}``, renders no key: an enum of the keys would
    refuse every row. What it renders or reads is whatever its method makes, which JSON
    carries as REST does; a rule registered for its class gives it a type of its own.
    """
    return _own_method(field, "to_internal_value" if mode.is_input else "to_representation")


def changing_choice_type(field: drf_fields.ChoiceField) -> GrapheneType:
    """The type of a choice whose model field reads its choices from a callable, else None.

    Django 5.0+ calls it on every use, and the library's serializers are built with the
    choices of the moment: an enum made with the schema would refuse a choice added since,
    and fail to render a row that holds one. The key as REST carries it instead (text for
    a text column, else JSON), which the serializer checks against the choices then.
    """
    model_field = model_field_for(field)
    if model_field is None and isinstance(field.parent, drf_fields.ListField):
        # An item of a list: an ArrayField's base field has the choices.
        model_field = getattr(model_field_for(field.parent), "base_field", None)
    if not has_callable_choices(model_field):
        return None
    # By the column, not the choices of the moment (a callable reading a table may give
    # none yet): text for a text column, JSON (numbers as numbers) for any other.
    if isinstance(model_field, models.CharField | models.TextField):
        return graphene.String
    return scalars.JSONValue


@convert_serializer_field.register(drf_fields.FilePathField)
def convert_file_path(field: drf_fields.FilePathField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    # A ChoiceField whose choices are files on disk: an enum would change with the disk.
    return graphene.String


@convert_serializer_field.register(drf_fields.FileField)
def convert_file(field: drf_fields.FileField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    # In: a multipart upload. Out: the URL (or name) DRF's to_representation gives.
    return scalars.Upload if mode.is_input else graphene.String


@convert_serializer_field.register(drf_fields.ListField)
def convert_list(field: drf_fields.ListField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    child = convert_serializer_field(field.child, mode)
    if child is None:
        return None
    # Out, DRF writes None for a None item whatever the child allows; in, it refuses one
    # unless the child allows null.
    if mode is Mode.OUTPUT or field.child.allow_null:
        return graphene.List(child)
    return graphene.List(_non_null(child))


@convert_serializer_field.register(drf_fields.DictField)
@convert_serializer_field.register(drf_fields.JSONField)
def convert_json(field: drf_fields.Field, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    # DictField covers HStoreField, its subclass. Real JSON values in and out.
    return scalars.JSON


@convert_serializer_field.register(drf_fields.HiddenField)
def convert_hidden(field: drf_fields.HiddenField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    # Never sent by the client, never returned: filled by its default during validation.
    return None


@convert_serializer_field.register(drf_fields.ReadOnlyField)
def convert_read_only(field: drf_fields.ReadOnlyField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    # Returns the attribute as it is: typed like the model field behind ``source``, if any.
    model_field = model_field_for(field)
    typed = _convert_model_field(model_field, field) if model_field is not None else None
    return typed or scalars.JSON


@convert_serializer_field.register(drf_fields.ModelField)
def convert_model_field(field: drf_fields.ModelField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    # ModelField writes a number, a date or a time as it is, anything else as the model
    # field's text (an array's JSON text): a list type could not take that text. A model
    # field DRF has no serializer field for (a range, binary data) is read with its
    # to_python() and written as its text: JSON either way.
    typed = _convert_model_field(field.model_field, field)
    if typed is None or isinstance(typed, graphene.List | graphene.NonNull):
        return scalars.JSON
    return typed


@convert_serializer_field.register(drf_fields.SerializerMethodField)
def convert_method(
    field: drf_fields.SerializerMethodField, mode: Mode = Mode.OUTPUT
) -> GrapheneType:
    if field.parent is None or field.method_name is None:  # unbound: it names no method yet
        return scalars.JSON
    method = getattr(field.parent, field.method_name, None)
    if method is None:
        # REST fails every answer rendering it (an AttributeError): said where types are built.
        serializer = type(field.parent).__qualname__
        raise ImproperlyConfigured(
            f"{serializer}.{field.field_name} is a SerializerMethodField without its method: "
            f"define {serializer}.{field.method_name}(self, obj), or name another with "
            "method_name=."
        )
    annotation = _return_annotation(method)
    if annotation is None:
        return scalars.JSON
    return convert_annotation(annotation)


def _return_annotation(method: Any) -> Any:
    """A method's return annotation, resolved; None where it has none, or it cannot be
    resolved (a forward reference to a name the module does not hold).

    Only the return annotation is read: a parameter's (``obj: Task``, with ``Task``
    imported under ``TYPE_CHECKING``) says nothing of the field's type, and resolving
    every annotation would lose the return type for it."""
    function = inspect.unwrap(getattr(method, "__func__", method))
    annotations = getattr(function, "__annotations__", None) or {}
    if "return" not in annotations:
        return None
    holder = types.SimpleNamespace(__annotations__={"return": annotations["return"]})
    try:
        hints = typing.get_type_hints(holder, globalns=getattr(function, "__globals__", {}))
    except Exception:  # noqa: BLE001 - an unresolvable forward reference: JSON
        return None
    return hints.get("return")


# --------------------------------------------------------------------------- relations


@convert_serializer_field.register(relations.RelatedField)
def convert_related(field: relations.RelatedField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    """A custom relation (DRF's documented way: subclass ``RelatedField``, whose own
    ``to_representation`` is abstract) reads and writes whatever its methods make of the
    row: a JSON value, as a field class with no rule of its own is."""
    return scalars.JSON


@convert_serializer_field.register(relations.StringRelatedField)
@convert_serializer_field.register(relations.HyperlinkedRelatedField)
def convert_text_related(field: relations.RelatedField, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    """``str()`` of the related row, or its URL (``HyperlinkedIdentityField`` too): text."""
    return graphene.String


@convert_serializer_field.register(relations.SlugRelatedField)
def convert_slug_related(
    field: relations.SlugRelatedField, mode: Mode = Mode.OUTPUT
) -> GrapheneType:
    """The slug column's value as REST writes and reads it: text for a text column, else the
    value itself (a number, a date's text) as JSON, which DRF's lookup reads as under REST."""
    queryset = getattr(field, "queryset", None)
    # A many=True field's child relation is bound to the ManyRelatedField, which has the source.
    bound = field.parent if isinstance(field.parent, relations.ManyRelatedField) else field
    related_model = getattr(queryset, "model", None) or getattr(
        model_field_for(bound), "related_model", None
    )
    column = slug_column(related_model, field.slug_field) if related_model else None
    if column is None or isinstance(column, models.CharField | models.TextField):
        return graphene.String
    return scalars.JSON


def slug_column(model: type[models.Model], slug_field: str) -> Any:
    """The column a ``SlugRelatedField`` reads (``"pk"``: the primary key, as Django reads
    it in a lookup), or None for a property or a lookup path, which may hold anything."""
    if slug_field == "pk":
        return model._meta.pk
    try:
        return model._meta.get_field(slug_field)
    except FieldDoesNotExist:
        return None


@convert_serializer_field.register(relations.PrimaryKeyRelatedField)
def convert_pk_related(
    field: relations.PrimaryKeyRelatedField, mode: Mode = Mode.OUTPUT
) -> GrapheneType:
    """``ID``; a key its ``pk_field`` renders as a UUID's integer is a number (``ID`` would
    send it back as text, which a ``UUIDField`` reads as hex), as under REST."""
    pk_field = field.pk_field
    if isinstance(pk_field, drf_fields.UUIDField) and pk_field.uuid_format == "int":
        return scalars.UUIDInteger
    return graphene.ID


@convert_serializer_field.register(relations.ManyRelatedField)
def convert_many_related(
    field: relations.ManyRelatedField, mode: Mode = Mode.OUTPUT
) -> GrapheneType:
    child = convert_serializer_field(field.child_relation, mode)
    if child is None:
        return None
    model_field = model_field_for(field)
    related_model = getattr(model_field, "related_model", None)
    if mode is Mode.OUTPUT and not related_value_never_null(field.child_relation, related_model):
        # A slug, a link or a string of the related row may be null (a null slug column,
        # no URL for an empty key): DRF writes None in the list.
        return graphene.List(child)
    return graphene.List(_non_null(child))


def related_value_never_null(field: relations.RelatedField, related_model: Any) -> bool:
    """Whether a related field renders a value for every related row (never ``None``).

    Its key always; ``str()`` of the row always; a slug only from a non-null column; a link
    unless the row's key may be empty text (DRF gives no URL for ``""``). A subclass that
    renders its own way may give anything.
    """
    kind = type(field)
    if isinstance(field, relations.PrimaryKeyRelatedField) and not represents_its_own_way(field):
        return True
    if kind.to_representation is relations.StringRelatedField.to_representation:
        return True
    if related_model is None:
        return False
    if kind.to_representation is relations.SlugRelatedField.to_representation:
        column = slug_column(related_model, field.slug_field)
        if column is None:
            return False  # a property or attribute: may be None
        return not (column.is_relation or getattr(column, "null", True) or _may_hold_null(column))
    if kind.to_representation is relations.HyperlinkedRelatedField.to_representation:
        pk = related_model._meta.pk
        while pk.is_relation:
            pk = pk.target_field
        return not isinstance(pk, models.CharField | models.TextField)
    return False


# --------------------------------------------------------------------------- nesting


@convert_serializer_field.register(serializers.Serializer)
def convert_nested(field: serializers.Serializer, mode: Mode = Mode.OUTPUT) -> GrapheneType:
    from .types import serializer_type  # types builds on this module

    return serializer_type(field, mode)


@convert_serializer_field.register(serializers.ListSerializer)
def convert_nested_many(
    field: serializers.ListSerializer, mode: Mode = Mode.OUTPUT
) -> GrapheneType:
    child = convert_serializer_field(field.child, mode)
    if child is None:
        return None
    # `many=True, allow_null=True` hands allow_null to the child as well: DRF takes a None
    # item in, as a ListField of a null-allowing child does. Out, the ListSerializer renders
    # each item with the child, which has no None to give. drf-writable-nested cannot save
    # a None item (an AttributeError, a 500 under REST): its items stay non-null, refused
    # as bad input.
    if mode.is_input and field.child.allow_null and not _saved_by_nested_writer(field):
        return graphene.List(child)
    if not mode.is_input and represents_its_own_way(field.child):
        return graphene.List(child)  # its own to_representation may render an item None
    return graphene.List(_non_null(child))


def _saved_by_nested_writer(field: serializers.Field) -> bool:
    return NestedWriter is not None and isinstance(getattr(field, "parent", None), NestedWriter)


# --------------------------------------------------------------------------- presence


def is_non_null(field: drf_fields.Field, mode: Mode) -> bool:
    """Whether the GraphQL field is ``!`` for this mode.

    Input: what DRF requires and will not take as null (a required field that allows null
    stays nullable, so DRF itself says "This field is required." when it is missing).
    Partial input: nothing. Output: only what DRF can never return as null or leave out.
    ``Serializer.to_representation`` writes ``None`` for any field whose attribute is
    ``None``, whatever ``required`` says, so ``required`` proves nothing on output: a field
    is non-null only when its value comes from a chain of non-null model fields, or is a
    nested serializer (or list) given the instance itself (``source="*"``). A field of a
    plain ``Serializer``, over a property, or through a non-model attribute may be null.
    """
    if mode is Mode.PARTIAL_INPUT:
        return False
    if mode is Mode.INPUT:
        return bool(field.required and not field.allow_null)
    if field.allow_null or isinstance(field, drf_fields.FileField):
        # An empty file is "" in the database and None in DRF's representation.
        return False
    if isinstance(field, drf_fields.SerializerMethodField):
        return False  # its rule marks the type non-null when the annotation says so
    if represents_its_own_way(field):
        return False  # whatever the column behind it holds, it may render None
    owner = owning_serializer(field)
    if owner is not None and (renders_its_own_way(owner) or shapes_its_fields(owner)):
        # Its to_representation may set any value to None, or drop it; or its fields are
        # its instance's (popped in __init__ for a request): REST leaves the key out.
        return False
    if isinstance(field, relations.RelatedField) and not related_value_never_null(
        field, getattr(model_field_for(field), "related_model", None)
    ):
        return False  # the row's slug or link, which may be None for a row
    if isinstance(field, relations.ManyRelatedField | serializers.BaseSerializer):
        # A list, or a nested object: never None through a non-null chain or over the
        # instance itself ("*": the serializer returns a dict for it).
        return _source_never_null(field)
    if model_field_for(field) is not None:
        # The column decides: a required field over a null=True column still returns None.
        return _source_never_null(field)
    # No non-null column behind it: DRF returns None when the attribute is None (a plain
    # serializer's data, a property), and another field given the instance ("*") returns
    # what its own to_representation makes of it.
    return False


def field_description(field: drf_fields.Field) -> str | None:
    """``help_text``, else a ``label`` that says more than the field's own name."""
    if field.help_text:
        return force_str(field.help_text)
    label = force_str(field.label) if field.label else ""
    default_label = (field.field_name or "").replace("_", " ")
    if not label or label.lower() in (default_label.lower(), "id"):
        return None
    return label


def nullable(graphene_type: GrapheneType) -> GrapheneType:
    """``graphene_type`` without an outer ``NonNull`` (a project's rule may give one)."""
    return graphene_type.of_type if isinstance(graphene_type, graphene.NonNull) else graphene_type


def _non_null(graphene_type: GrapheneType) -> GrapheneType:
    return (
        graphene_type
        if isinstance(graphene_type, graphene.NonNull)
        else graphene.NonNull(graphene_type)
    )


# --------------------------------------------------------------------------- models


def represents_its_own_way(field: drf_fields.Field) -> bool:
    """Whether the ``to_representation`` or ``get_attribute`` ``field`` renders with is its
    class's own, or a base's outside DRF (a project's field, a nested serializer's
    override): it may give ``None`` for any value, as REST then answers."""
    return _own_method(field, "to_representation") or _own_method(field, "get_attribute")


def _own_method(field: drf_fields.Field, name: str) -> bool:
    for klass in type(field).__mro__:
        if name in vars(klass):
            return not klass.__module__.startswith("rest_framework.")
    return False


def renders_its_own_way(serializer: serializers.BaseSerializer) -> bool:
    """Whether ``serializer`` (or a base of a project's) overrides ``to_representation``."""
    return type(serializer).to_representation is not serializers.Serializer.to_representation


#: The methods by which a serializer's class gives each instance its own fields (DRF's
#: "dynamically modifying fields": ``__init__`` popping them for the request's user,
#: ``get_fields()`` or ``get_field_names()`` reading the context), and overrides of them
#: that give every instance the same fields (drf-writable-nested's only drops validators).
_FIELD_SHAPERS = ("__init__", "fields", "get_fields", "get_field_names")
_SAME_FIELDS_FOR_ALL: set[Any] = set()
try:
    from drf_writable_nested.mixins import UniqueFieldsMixin

    _SAME_FIELDS_FOR_ALL.add(UniqueFieldsMixin.get_fields)
except ImportError:  # pragma: no cover - the library does not need it
    pass


def shapes_its_fields(serializer: serializers.BaseSerializer) -> bool:
    """Whether ``serializer``'s class (or a base of a project's) may give an instance other
    fields than the class's: the type is built from one made without a request."""
    drf_base = (
        serializers.ModelSerializer
        if isinstance(serializer, serializers.ModelSerializer)
        else serializers.Serializer
    )
    cls = type(serializer)
    for name in _FIELD_SHAPERS:
        own = getattr(cls, name, None)
        if own is not getattr(drf_base, name, None) and own not in _SAME_FIELDS_FOR_ALL:
            return True
    return False


def owning_serializer(field: drf_fields.Field) -> serializers.Serializer | None:
    """The serializer a field belongs to (a ListField's child has the ListField as parent)."""
    parent = field.parent
    while parent is not None and not isinstance(parent, serializers.Serializer):
        parent = parent.parent
    return parent


def _serializer_model(serializer: Any) -> type[models.Model] | None:
    if isinstance(serializer, serializers.ModelSerializer):
        return getattr(getattr(serializer, "Meta", None), "model", None)
    return None


def model_field_for(field: drf_fields.Field) -> models.Field | None:
    """The model field behind a serializer field's ``source``, following relations."""
    known = getattr(field, "_drf_graphql_crud_model_field", None)
    if known is not None:
        return known
    if isinstance(field, drf_fields.ModelField):
        return field.model_field
    model = _serializer_model(field.parent)
    if model is None or field.source == "*" or not field.source_attrs:
        return None
    model_field = None
    for index, attr in enumerate(field.source_attrs):
        if model is None:
            return None
        try:
            model_field = model._meta.pk if attr == "pk" else model._meta.get_field(attr)
        except FieldDoesNotExist:
            return None
        if index < len(field.source_attrs) - 1:
            model = model_field.related_model
    return model_field


def is_model_pk(field: drf_fields.Field) -> bool:
    """Whether ``field`` renders the row's primary key: the model's own, or, for a
    multi-table child, the parent's that it inherits (its ``id``)."""
    model = _serializer_model(field.parent)
    if model is None or len(field.source_attrs) != 1:
        return False
    if getattr(field, "_drf_graphql_crud_relation", None) is not None:
        return False  # a relation's column, typed as the key it holds
    model_field = model_field_for(field)
    pk = model._meta.pk
    while model_field is not pk:
        if not pk.is_relation:
            return False
        pk = pk.target_field  # a child's key is its link to the parent's
    return True


def pk_aliases(serializer: Any) -> tuple[str, ...]:
    """The serializer's read-only fields holding the row's key under another name than
    ``pk`` or the key column's (a multi-table child's ``id``, whose column is
    ``<parent>_ptr_id``; ``uid = IntegerField(source="id", read_only=True)``).

    Writable nested serializers (drf-writable-nested, ``nested.nested_id_errors``) read a
    row's key as ``pk`` or by its column's name only, where REST clients send it: a key
    sent under such a name would name no row. None where the serializer has a ``pk``
    field of its own.
    """
    model = _serializer_model(serializer)
    fields = getattr(serializer, "fields", None)
    if model is None or fields is None or "pk" in fields:
        return ()
    attname = model._meta.pk.attname
    return tuple(
        name
        for name, field in fields.items()
        if name != attname and field.read_only and is_model_pk(field)
    )


def _source_never_null(field: drf_fields.Field) -> bool:
    """Whether every step of ``source`` is a model field that cannot hold null."""
    if field.source == "*":
        return True
    model = _serializer_model(field.parent)
    attrs = field.source_attrs
    for index, attr in enumerate(attrs):
        last = index == len(attrs) - 1
        if model is None:
            return False
        try:
            model_field = model._meta.pk if attr == "pk" else model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if model_field.many_to_many or model_field.one_to_many:
            return last  # a manager: always a (possibly empty) list
        if model_field.one_to_one and not model_field.concrete:
            return False  # reverse one-to-one: the row may not exist
        if is_generic_relation(model_field):
            return False  # a GenericForeignKey: its row may be gone
        if getattr(model_field, "null", False) or _may_hold_null(model_field):
            return False
        if (
            model_field.is_relation
            and related_row_may_be_missing(model_field)
            and not (last and reads_key_only(field))
        ):
            return False  # a row the key names may read as None, as REST reads it
        if last:
            return True
        model = model_field.related_model
    return False


def related_row_may_be_missing(model_field: Any) -> bool:
    """Whether the row a forward relation's key names may not be read: its model's base
    manager reads rows its own way (a ``get_queryset`` of its own, ``base_manager_name``:
    Django's documentation advises against it, but the row is read through it), or the key
    has no database constraint (``db_constraint=False``, a ``ForeignObject``: the row may
    be gone). REST then
    reads None (``DoesNotExist``), where a join would drop the row holding the key."""
    related = model_field.related_model
    if related is None:
        return False
    if isinstance(model_field, models.ForeignObject) and not isinstance(
        model_field, models.ForeignKey
    ):
        return True  # a ForeignObject other than a ForeignKey has no constraint
    if (
        getattr(model_field, "concrete", False)
        and getattr(model_field, "db_constraint", True) is False
    ):
        return True
    return type(related._base_manager).get_queryset is not models.Manager.get_queryset


def reads_key_only(field: drf_fields.Field) -> bool:
    """A related field (or a list of one) rendering the key the row holds (``owner_id``),
    DRF's ``use_pk_only_optimization``, not the row."""
    relation = getattr(field, "child_relation", field)
    check = getattr(relation, "use_pk_only_optimization", None)
    return bool(check and check())


def is_generic_relation(model_field: Any) -> bool:
    """A relation to no one model: a ``GenericForeignKey`` (a ``Field`` from Django 5.1)."""
    return bool(model_field.is_relation) and model_field.related_model is None


def _may_hold_null(model_field: Any) -> bool:
    """A column that yields None though ``null=False``: a JSON ``null`` is a JSON value, and
    a generated column is what its expression makes of nullable columns."""
    if isinstance(model_field, models.JSONField):
        return True
    generated = getattr(models, "GeneratedField", None)  # Django >= 5.0
    return generated is not None and isinstance(model_field, generated)


def _fits_int32(field: drf_fields.IntegerField) -> bool:
    # The model field decides when there is one: its validators' bounds depend on the
    # database backend, and the schema must not.
    model_field = model_field_for(field)
    while isinstance(model_field, models.ForeignKey):  # `project_id`: the key it holds
        model_field = model_field.target_field
    if isinstance(model_field, models.Field) and not model_field.is_relation:
        return model_field.get_internal_type() not in {
            "BigIntegerField",
            "PositiveBigIntegerField",
            "BigAutoField",
        }
    if field.max_value is not None and field.max_value > INT32_MAX:
        return False
    return not (field.min_value is not None and field.min_value < INT32_MIN)


#: Django >= 5.0's GeneratedField, typed by its ``output_field``.
_GENERATED_FIELD: type | None = getattr(models, "GeneratedField", None)


def _convert_model_field(model_field: Any, field: drf_fields.Field) -> GrapheneType:
    """Type a model field the way ModelSerializer would have built its serializer field.

    A foreign key (or one-to-one) gives its column's value, the related row's key, as
    ``ModelField`` renders it: typed as the key the relation points at.
    """
    # A key to another row; a multi-table child's parent link is the row's own key.
    relation = (
        model_field
        if isinstance(model_field, models.ForeignKey) and not model_field.primary_key
        else None
    )
    while isinstance(model_field, models.ForeignKey):  # OneToOneField too (a child's pk)
        model_field = model_field.target_field
    if _GENERATED_FIELD is not None and isinstance(model_field, _GENERATED_FIELD):
        # Django >= 5.0: the column holds what its output field holds. That field is not
        # on the model, where DRF looks (its constraints): a copy named and placed so.
        generated, model_field = model_field, model_field.output_field.clone()
        model_field.set_attributes_from_name(generated.name)
        model_field.model = generated.model
    if not isinstance(model_field, models.Field) or model_field.is_relation:
        return None
    name = field.field_name or model_field.name
    try:
        field_class, kwargs = serializers.ModelSerializer().build_standard_field(name, model_field)
        if issubclass(field_class, drf_fields.ModelField):
            return None  # no serializer field of its own: typed by the caller's fallback
        standard = field_class(**kwargs)
        standard.bind(name, field.parent)
        standard._drf_graphql_crud_model_field = model_field  # for rules reading the model
        # Another row's key (a tree's parent_id is its own model's pk): never this row's ID.
        standard._drf_graphql_crud_relation = relation
    except Exception:
        return None
    return convert_serializer_field(standard, Mode.OUTPUT)


# --------------------------------------------------------------------------- annotations

_ANNOTATION_TYPES: dict[Any, GrapheneType] = {
    str: graphene.String,
    bool: graphene.Boolean,
    int: graphene.Int,
    float: graphene.Float,
    decimal.Decimal: scalars.DecimalString,
    datetime.datetime: scalars.DateTimeString,
    datetime.date: scalars.DateString,
    datetime.time: scalars.TimeString,
    datetime.timedelta: scalars.DurationString,
    uuid.UUID: scalars.UUIDString,
    dict: scalars.JSON,
    Any: scalars.JSON,
}


def convert_annotation(annotation: Any) -> GrapheneType:
    """Type a ``SerializerMethodField`` from its method's return annotation.

    ``X`` is ``X!``, ``X | None`` (``Optional[X]``) is nullable, ``list[X]`` is a list,
    mappings and anything else without a GraphQL equivalent are JSON.
    """
    nullable, inner = _strip_optional(annotation)
    graphene_type = _annotation_type(inner)
    return graphene_type if nullable or graphene_type is scalars.JSON else _non_null(graphene_type)


def _strip_optional(annotation: Any) -> tuple[bool, Any]:
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        nullable = len(args) != len(typing.get_args(annotation))
        return nullable, args[0] if len(args) == 1 else Any
    return annotation is type(None), annotation


def _annotation_type(annotation: Any) -> GrapheneType:
    if annotation in _ANNOTATION_TYPES:
        return _ANNOTATION_TYPES[annotation]
    origin = typing.get_origin(annotation)
    if origin is not None and isinstance(origin, type):
        if issubclass(origin, Mapping):
            return scalars.JSON
        if issubclass(origin, Sequence | set | frozenset) and not issubclass(origin, str):
            args = {arg for arg in typing.get_args(annotation) if arg is not Ellipsis}
            if len(args) != 1:
                return graphene.List(scalars.JSON)
            return graphene.List(convert_annotation(args.pop()))
    if annotation in (list, tuple, set, frozenset):
        return graphene.List(scalars.JSON)
    if isinstance(annotation, type) and issubclass(annotation, graphene.Scalar | graphene.Enum):
        return annotation
    return scalars.JSON


# --------------------------------------------------------------------------- enums

_ENUM_NAME_INVALID = re.compile(r"[^_0-9A-Za-z]")


def enum_member_name(key: Any) -> str:
    """A valid, stable GraphQL enum value name for a choice key ("in progress" -> IN_PROGRESS)."""
    text = force_str(key)
    if text == "":
        return "EMPTY"
    if text[0] == "-" and text[1:2].isdigit():
        # A negative number is named as one (-1 is MINUS_1): read as its digits, it would
        # take the name of its absolute value (A_1), and an IntegerChoices gaining an
        # UNKNOWN = -1 would rename the member of 1 that clients already send.
        return "MINUS_" + _ENUM_NAME_INVALID.sub("_", text[1:]).upper()
    name = _ENUM_NAME_INVALID.sub("_", text).upper()
    if name[0].isdigit():
        name = f"A_{name}"
    return name


def declared_field(field: drf_fields.Field) -> drf_fields.Field:
    """The field a serializer declares that holds ``field``: itself, or the list (a
    ``many=True`` serializer, a ``ListField``) or dict it is the child of."""
    while field.parent is not None and not isinstance(field.parent, serializers.Serializer):
        field = field.parent
    return field


def place_name(field: drf_fields.Field) -> str:
    """``<serializer's type base name><FieldName>`` for the field a serializer declares:
    what the types made for that one place are named after (``TaskStatus``)."""
    from .types import type_base_name

    serializer = field.parent
    base = type_base_name(type(serializer)) if serializer is not None else "Anonymous"
    field_name = to_camel_case(field.field_name or "value")
    return f"{base}{field_name[:1].upper()}{field_name[1:]}"


def choice_enum_name(field: drf_fields.ChoiceField) -> str:
    """``<serializer's type base name><FieldName>Choices``, e.g. ``TaskStatusChoices``."""
    return place_name(declared_field(field)) + "Choices"


def choice_enum(field: drf_fields.ChoiceField) -> type[graphene.Enum]:
    from .types import registry

    choices: dict[Any, Any] = dict(field.choices)
    if "" not in choices and (getattr(field, "allow_blank", False) or _stores_blank(field)):
        choices[""] = ""
    return registry.enum(choice_enum_name(field), choices, origin=field)


def _stores_blank(field: drf_fields.ChoiceField) -> bool:
    """Whether the text column behind ``field`` holds ``""`` for a row saved without a
    value (no default, not null: Django's own default is ``""``), which DRF renders as it
    is and refuses as input: the enum needs a member for it (``EMPTY``)."""
    model_field = model_field_for(field)
    if not isinstance(model_field, models.CharField | models.TextField) or model_field.null:
        return False
    if model_field.has_default():
        return model_field.default == ""  # a default of "", not among the choices
    db_default = getattr(model_field, "db_default", models.NOT_PROVIDED)  # Django 5.0+
    return db_default is models.NOT_PROVIDED or getattr(db_default, "value", db_default) == ""
