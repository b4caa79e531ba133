"""
django-filter ``FilterSet``s as typed GraphQL input objects.

A REST client filters with query parameters (``?due_date__lt=2026-01-01&tags=1&tags=2``);
DRF's ``DjangoFilterBackend`` hands them to the ``FilterSet`` as a ``QueryDict`` of strings.
Here every filter of the set becomes a typed field of one input object (``dueDate_Lt:
DateString``, ``tags: [ID!]``), built once per filter set, and a request's input is turned
back into the very ``QueryDict`` REST would have sent, so the filter set validates and
filters exactly as under REST, with its own error messages.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

import graphene
from django import forms
from django.http import QueryDict
from rest_framework import exceptions

from . import scalars
from .types import registry

__all__ = ["filterset_input_type", "filter_queryset", "query_dict"]

#: Form field class -> GraphQL type of one value; looked up along the form field's MRO.
FORM_FIELD_TYPES: dict[type, Any] = {
    forms.NullBooleanField: graphene.Boolean,
    forms.BooleanField: graphene.Boolean,
    forms.IntegerField: graphene.Int,
    forms.FloatField: graphene.Float,
    forms.DecimalField: scalars.DecimalString,
    forms.DateTimeField: scalars.DateTimeString,
    forms.DateField: scalars.DateString,
    forms.TimeField: scalars.TimeString,
    forms.DurationField: scalars.DurationString,
    forms.UUIDField: scalars.UUIDString,
    forms.ModelMultipleChoiceField: graphene.List(graphene.NonNull(graphene.ID)),
    forms.ModelChoiceField: graphene.ID,
    forms.MultipleChoiceField: graphene.List(graphene.NonNull(graphene.String)),
}

_input_types: dict[tuple[type, str], type[graphene.InputObjectType]] = {}


def _model_field(filterset_class: type, filter_: Any) -> Any:
    model = getattr(getattr(filterset_class, "_meta", None), "model", None)
    for part in (filter_.field_name or "").split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except Exception:
            return None
        model = field.related_model
    return field


def _filter_type(filterset_class: type, filter_: Any) -> Any:
    from django_filters.filters import BaseCSVFilter, NumberFilter

    if isinstance(filter_, BaseCSVFilter):  # ?id__in=1,2,3: a list in GraphQL
        return graphene.List(graphene.NonNull(graphene.String))
    if isinstance(filter_, NumberFilter) and filter_.lookup_expr not in ("isnull",):
        # NumberFilter always parses with a DecimalField; over an integer column, say Int.
        model_field = _model_field(filterset_class, filter_)
        internal = model_field.get_internal_type() if model_field is not None else ""
        if internal in ("BigIntegerField", "PositiveBigIntegerField", "BigAutoField"):
            return scalars.BigInt
        if internal.endswith("IntegerField") or internal in ("AutoField", "SmallAutoField"):
            return graphene.Int
    for klass in filter_.field_class.__mro__:
        if klass in FORM_FIELD_TYPES:
            return FORM_FIELD_TYPES[klass]
    return graphene.String


def filterset_input_type(filterset_class: type, name: str) -> type[graphene.InputObjectType]:
    """One input object for a filter set, each filter a field named as in the query string.

    ``due_date__lt`` becomes ``dueDate_Lt`` (graphene's camelCase of the same name).
    """

    key = (filterset_class, name)
    if key not in _input_types:
        fields = {
            filter_name: graphene.InputField(
                _filter_type(filterset_class, filter_),
                description=str(filter_.label) if filter_.label else None,
            )
            for filter_name, filter_ in filterset_class.base_filters.items()
        }
        _input_types[key] = type(
            name,
            (graphene.InputObjectType,),
            {
                **fields,
                "__module__": __name__,
                "__doc__": f"Filters of {filterset_class.__name__}.",
            },
        )
        # Two filter sets wanting one name are reported by check E003.
        _input_types[key] = registry.claim(name, (filterset_class, "filter"), _input_types[key])
    return _input_types[key]


def filter_input_name(filterset_class: type) -> str:
    """``TaskFilter`` -> ``TaskFilterInput``; ``TaskFilterSet`` -> ``TaskFilterInput``."""
    name = filterset_class.__name__
    return (name.removesuffix("Set") if name.endswith("FilterSet") else name) + "Input"


_factories: dict[tuple[Any, str], type] = {}


def filterset_for_fields(model: Any, fields: Any) -> type:
    """A ``FilterSet`` for ``filterset_fields``, one per model and fields (as DRF builds it).

    Named ``<Model>By<Field>...Filter`` so two lists filtering on different fields get two
    input types.
    """
    from django_filters.filterset import filterset_factory

    names = list(fields) if not isinstance(fields, str) else [fields]
    key = (model, repr(fields))
    if key not in _factories:
        filterset = filterset_factory(model, fields=fields)
        camel = "".join(part.title() for name in names for part in str(name).split("_"))
        filterset.__name__ = f"{model.__name__}By{camel}Filter"
        _factories[key] = filterset
    return _factories[key]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


def query_dict(filterset_class: type, values: dict[str, Any] | None) -> QueryDict:
    """The query string REST would have received for these filter values."""
    from django_filters.filters import BaseCSVFilter

    data = QueryDict(mutable=True)
    for name, value in (values or {}).items():
        if value is None:  # null: not filtering on it, as an absent query parameter
            continue
        if isinstance(value, list | tuple):
            if isinstance(filterset_class.base_filters.get(name), BaseCSVFilter):
                data[name] = ",".join(_text(item) for item in value)
            else:
                data.setlist(name, [_text(item) for item in value])
        else:
            data[name] = _text(value)
    return data


def filter_queryset(
    filterset_class: type, values: dict[str, Any] | None, queryset: Any, request: Any
) -> Any:
    """Filter as ``DjangoFilterBackend`` does; an invalid value is a ``ValidationError``.

    Errors are keyed by ``filter`` and the filter's name, so their ``field`` path reads
    ``filter.dueDate_Lt`` as the client wrote it.
    """
    filterset = filterset_class(
        data=query_dict(filterset_class, values), queryset=queryset, request=request
    )
    if not filterset.is_valid():
        from django_filters.utils import translate_validation

        # DjangoFilterBackend's own translation, so codes and messages are REST's.
        raise exceptions.ValidationError({"filter": translate_validation(filterset.errors).detail})
    return filterset.qs
