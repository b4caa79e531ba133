"""
django-filter ``FilterSet``s as typed GraphQL input objects.

A REST client filters with query parameters (``?due_date__lt=2026-01-01&tags=1&tags=2``);
DRF's ``DjangoFilterBackend`` hands them to the ``FilterSet`` as a ``QueryDict`` of strings.
Here every filter of the set becomes a typed field of one input object (``dueDate_Lt:
DateString``, ``tags: [ID!]``), built once per filter set, and a request's input is turned
back into the very ``QueryDict`` REST would have sent, so the filter set validates and
filters exactly as under REST, with its own error messages.

A filter whose form field reads several query parameters (``DateFromToRangeFilter`` reads
``due_after`` and ``due_before``, ``RangeFilter`` ``prio_min`` and ``prio_max``: its widget's
``suffixes``) becomes one field per parameter (``dueAfter``, ``dueBefore``); a filter whose
widget splits one comma-separated parameter (``CSVWidget``) gets its list joined with commas.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import hashlib
from collections.abc import Iterator
from typing import Any

import graphene
from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.db.models.lookups import YearLookup
from django.http import QueryDict
from django.utils import translation
from rest_framework import exceptions
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from . import scalars
from .settings import crud_settings
from .types import GRAPHQL_NAME, InputObjectType, registry

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


def _column_path(filterset_class: type, filter_: Any) -> tuple[Any, list[str]]:
    """The model field a filter reads, and the transforms and lookup it applies: those its
    ``field_name`` names past the field (``due_date__year``, a common way of spelling a
    year filter), then its ``lookup_expr``'s. ``(None, [])`` for a ``field_name`` that is
    no field of the model (an annotation, a property)."""
    model = getattr(getattr(filterset_class, "_meta", None), "model", None)
    names = (filter_.field_name or "").split("__")
    field = None
    rest: list[str] = []
    for index, part in enumerate(names):
        try:
            found = model._meta.get_field(part) if model is not None else None
        except Exception:
            found = None
        if found is None:
            if field is None or field.get_transform(part) is None:
                return None, []
            rest = names[index:]  # the column's transforms, spelled in field_name
            break
        field, model = found, found.related_model
    return field, rest + str(filter_.lookup_expr or "exact").split("__")


def _model_field(filterset_class: type, filter_: Any) -> Any:
    return _column_path(filterset_class, filter_)[0]


def _transforms(filterset_class: type, filter_: Any) -> Iterator[tuple[Any, str, Any, list[str]]]:
    """``(field, name, transform, parts after it)`` for each transform the filter applies to
    its column, in order (``due_date__year__gte``: the date column, ``year``,
    ``ExtractYear``, ``["gte"]``); the lookup that ends it is no transform."""
    field, parts = _column_path(filterset_class, filter_)
    for index, part in enumerate(parts):
        transform = field.get_transform(part) if field is not None else None
        if not isinstance(transform, type):  # none, or a JSON key's factory: no column
            return
        yield field, part, transform, parts[index + 1 :]
        output = getattr(transform, "output_field", None)
        field = output if isinstance(output, models.Field) else None


def _compared_field(filterset_class: type, filter_: Any) -> Any:
    """The model field whose values the filter's value is compared with.

    That is the column, or what the transforms of its ``lookup_expr`` make of it:
    ``due_date__year`` compares with the year, an ``IntegerField``, not with a date.
    """
    field = _model_field(filterset_class, filter_)
    for _, _, transform, _ in _transforms(filterset_class, filter_):
        output = getattr(transform, "output_field", None)
        if not isinstance(output, models.Field):
            break
        field = output
    return field


def _integer_type(filterset_class: type, filter_: Any) -> Any:
    """``Int`` (or ``BigInteger``) when the filter compares with integers, else ``None``."""
    model_field = _compared_field(filterset_class, filter_)
    internal = model_field.get_internal_type() if model_field is not None else ""
    if internal in ("BigIntegerField", "PositiveBigIntegerField", "BigAutoField"):
        return scalars.BigInteger
    if internal.endswith("IntegerField") or internal in ("AutoField", "SmallAutoField"):
        return graphene.Int
    return None


def _form_field_type(form_field_class: type) -> Any:
    for klass in form_field_class.__mro__:
        if klass in FORM_FIELD_TYPES:
            return FORM_FIELD_TYPES[klass]
    return graphene.String


def _filter_type(filterset_class: type, filter_: Any) -> Any:
    from django_filters.filters import BaseCSVFilter, NumberFilter

    if isinstance(filter_, BaseCSVFilter):  # ?id__in=1,2,3: a list in GraphQL
        return graphene.List(graphene.NonNull(graphene.String))
    if isinstance(filter_, NumberFilter) and filter_.lookup_expr not in ("isnull",):
        # NumberFilter always parses with a DecimalField; over an integer column, say Int.
        integer = _integer_type(filterset_class, filter_)
        if integer is not None:
            return integer
    return _form_field_type(filter_.field_class)


def _widget_class(filter_: Any) -> type | None:
    """The class of the widget the filter's form field gets, without building the field.

    Building it may run a ``queryset`` callable or a query (``AllValuesFilter``), which must
    wait for a request; the widget is the one passed to the filter, else the field class's.
    """
    widget = filter_.extra.get("widget") or getattr(filter_.field_class, "widget", None)
    if widget is None or isinstance(widget, type):
        return widget
    return type(widget)


def _multi_value_field(filter_: Any) -> Any:
    """The filter's form field when it reads several query parameters, else ``None``.

    That is a ``MultiValueField`` whose widget is a ``MultiWidget`` (django-filter's range
    and lookup-choice fields). Only such fields are built here, on a copy of the filter, so
    the filter set's own filters keep building theirs per request.
    """
    widget_class = _widget_class(filter_)
    # LookupChoiceFilter's field_class is its value's; its form field is the outer_class.
    field_class = getattr(filter_, "outer_class", None) or filter_.field_class
    if not (
        issubclass(field_class, forms.MultiValueField)
        or (widget_class is not None and issubclass(widget_class, forms.MultiWidget))
    ):
        return None
    field = copy.deepcopy(filter_).field
    if isinstance(field, forms.MultiValueField) and isinstance(field.widget, forms.MultiWidget):
        return field
    return None


def _parameter_names(name: str, widget: forms.MultiWidget) -> list[str]:
    """The query parameters a multi-widget reads for the filter ``name``, as it reads them.

    django-filter's ``SuffixedMultiWidget`` reads ``suffixed(name, suffix)`` per suffix
    (``due_after``, ``due_before``); Django's ``MultiWidget`` ``name + widgets_names[i]``.
    """
    from django_filters.widgets import SuffixedMultiWidget

    if isinstance(widget, SuffixedMultiWidget):
        return [widget.suffixed(name, suffix) for suffix in widget.suffixes]
    return [name + widget_name for widget_name in widget.widgets_names]


def _input_fields(filterset_class: type, filter_name: str, filter_: Any) -> dict[str, Any]:
    """The input fields of one filter, keyed by the query parameters REST reads for it."""
    label = str(filter_.label) if filter_.label else None
    field = _multi_value_field(filter_)
    if field is None:
        return {filter_name: (_filter_type(filterset_class, filter_), label)}
    fields = {}
    names = _parameter_names(filter_name, field.widget)
    for parameter, part in zip(names, field.fields, strict=True):
        if not GRAPHQL_NAME.fullmatch(parameter):
            raise ImproperlyConfigured(
                f"{filterset_class.__name__}.{filter_name} reads the query parameter "
                f"{parameter!r}, which cannot be the name of a GraphQL input field."
            )
        value_type = _form_field_type(type(part))
        if type(part) is forms.DecimalField:  # RangeFilter's parts: Int over integer columns
            value_type = _integer_type(filterset_class, filter_) or value_type
        suffix = parameter[len(filter_name) :].lstrip("_")
        part_label = f"{label} ({suffix})" if label and suffix else label
        fields[parameter] = (value_type, part_label)
    return fields


def filterset_input_type(filterset_class: type, name: str) -> type[graphene.InputObjectType]:
    """One input object for a filter set, each filter a field named as in the query string.

    ``due_date__lt`` becomes ``dueDate_Lt`` (graphene's camelCase of the same name). Labels
    are read in ``LANGUAGE_CODE``, as the serializers' descriptions are (``build_fields``),
    whatever language is active while the schema is built.
    """

    key = (filterset_class, name)
    if key not in _input_types:
        with translation.override(settings.LANGUAGE_CODE):
            _input_types[key] = _filter_input_type(filterset_class, name)
    return _input_types[key]


def _filter_input_type(filterset_class: type, name: str) -> type[graphene.InputObjectType]:
    parameters: dict[str, tuple[Any, str | None]] = {}
    for filter_name, filter_ in filterset_class.base_filters.items():
        for parameter, (value_type, label) in _input_fields(
            filterset_class, filter_name, filter_
        ).items():
            if parameter not in parameters:
                parameters[parameter] = (value_type, label)
            elif parameters[parameter][0] != value_type:
                # Two filters read this parameter (a ``due`` range and a ``due_after``
                # filter): its one field sends it to both, as text each one parses.
                parameters[parameter] = (graphene.String, parameters[parameter][1])
    fields = {
        parameter: graphene.InputField(value_type, description=label)
        for parameter, (value_type, label) in parameters.items()
    }
    input_type = type(
        name,
        (InputObjectType,),
        {**fields, "__module__": __name__, "__doc__": f"Filters of {filterset_class.__name__}."},
    )
    # Two filter sets wanting one name are reported by check E003.
    return registry.claim(name, (filterset_class, "filter"), input_type)


def filter_input_name(filterset_class: type) -> str:
    """``TaskFilter`` -> ``TaskFilterInput``; ``TaskFilterSet`` -> ``TaskFilterInput``."""
    name = filterset_class.__name__
    return (name.removesuffix("Set") if name.endswith("FilterSet") else name) + "Input"


_factories: dict[tuple[Any, Any], type] = {}
#: Generated filter set name -> the spec it was made for, so two specs never share a name.
_factory_names: dict[str, tuple[Any, Any]] = {}


def _camel(name: Any) -> str:
    return "".join(part.title() for part in str(name).split("_"))


def _fields_spec(fields: Any) -> Any:
    """``filterset_fields`` in one canonical form: equal specs, one filter set.

    A list means the ``exact`` lookup of each field, so ``["priority"]`` and
    ``{"priority": ["exact"]}`` are one spec; lookups are sorted and deduplicated (their
    order does not change the filters). Fields keep their order: it names the filter set.
    """
    if isinstance(fields, str):
        return fields
    items = fields.items() if isinstance(fields, dict) else ((name, ["exact"]) for name in fields)
    return tuple(
        (str(name), tuple(sorted({str(lookup) for lookup in lookups}))) for name, lookups in items
    )


def _fields_name(spec: Any) -> str:
    """``PriorityGte`` for ``{"priority": ["gte"]}``; ``Priority`` for the ``exact`` lookup only.

    A field filtered with ``exact`` only is named as the list form names it, so lists keep
    the names they always had; other lookups follow their field, ``exact`` included.
    """
    if isinstance(spec, str):
        return _camel(spec)
    return "".join(
        _camel(name) + ("" if lookups == ("exact",) else "".join(map(_camel, lookups)))
        for name, lookups in spec
    )


def filterset_for_fields(model: Any, fields: Any) -> type:
    """A ``FilterSet`` for ``filterset_fields``, one per model and fields (as DRF builds it).

    Named ``<Model>By<Field><Lookups>...Filter`` (``TaskByPriorityFilter`` for
    ``["priority"]``, ``TaskByPriorityExactLtFilter`` for ``{"priority": ["exact", "lt"]}``)
    so two lists filtering on different fields or lookups get two input types, each its
    own, rather than one list silently getting the other's and check E003 blaming a class
    nobody wrote. The name is made from the spec alone, so it is the same on every start;
    in the rare case two specs spell one name (a field ``priority_gte`` with ``exact`` and
    ``priority`` with ``gte``), the later one gets a suffix made from its spec.
    """
    from django_filters.filterset import filterset_factory
    from django_filters.rest_framework import FilterSet

    spec = _fields_spec(fields)
    key = (model, spec)
    if key not in _factories:
        # DjangoFilterBackend's base: ISO 8601 datetimes in any language, DRF's booleans.
        filterset = filterset_factory(model, filterset=FilterSet, fields=fields)
        name = f"{model.__name__}By{_fields_name(spec)}Filter"
        if _factory_names.setdefault(name, key) != key:
            digest = hashlib.sha1(repr(spec).encode(), usedforsecurity=False).hexdigest()[:8]
            name = f"{model.__name__}By{_fields_name(spec)}{digest}Filter"
            _factory_names[name] = key
        filterset.__name__ = filterset.__qualname__ = name
        filterset.__module__ = __name__  # made here: E003 names it as such, not django_filters
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


def _comma_separated(filter_: Any) -> bool:
    """Whether the filter reads a list as one ``a,b`` parameter rather than ``?x=a&x=b``.

    ``BaseCSVFilter``s do, and so does any filter with a ``BaseCSVWidget`` (``CSVWidget``
    on a ``MultipleChoiceFilter``), which keeps only the last of repeated parameters.
    ``QueryArrayWidget`` reads repeated parameters from a query string and splits nothing.
    """
    from django_filters.filters import BaseCSVFilter
    from django_filters.widgets import BaseCSVWidget, QueryArrayWidget

    if filter_ is None:
        return False
    widget_class = _widget_class(filter_)
    if widget_class is not None and issubclass(widget_class, QueryArrayWidget):
        return False
    return isinstance(filter_, BaseCSVFilter) or (
        widget_class is not None and issubclass(widget_class, BaseCSVWidget)
    )


def query_dict(filterset_class: type, values: dict[str, Any] | None) -> QueryDict:
    """The query string REST would have received for these filter values."""
    data = QueryDict(mutable=True)
    # dict's own items(): graphene sets each input field as an attribute of its container,
    # and a filter named `items` (or `keys`, `get`) hides the method of that name.
    for name, value in dict.items(values) if isinstance(values, dict) else ():
        if value is None:  # null: not filtering on it, as an absent query parameter
            continue
        if isinstance(value, list | tuple):
            if _comma_separated(filterset_class.base_filters.get(name)):
                data[name] = ",".join(_text(item) for item in value)
            else:
                data.setlist(name, [_text(item) for item in value])
        else:
            data[name] = _text(value)
    return data


def refuse_long_lists(filterset_class: type, data: QueryDict) -> None:
    """Refuse a filter parameter of more values than ``MAX_FILTER_VALUES``
    (``VALIDATION_ERROR`` at ``filter.<parameter>``, with DRF's message for a list too long).

    Values are counted as the filter set reads them: a comma-separated filter's (``in``)
    split at every comma, however the client packed them. Each is a bound parameter of the
    query: a REST URL cannot carry tens of thousands of ids, a GraphQL body can, and the
    database refuses them past its own limit (a 500).
    """
    limit = crud_settings.MAX_FILTER_VALUES
    if limit is None:
        return
    from .queries import too_many  # queries reads filters

    errors = {}
    for name, values in data.lists():
        if _comma_separated(filterset_class.base_filters.get(name)):
            count = sum(value.count(",") + 1 for value in values)
        else:
            count = len(values)
        if count > limit:
            errors[name] = [too_many(limit)]
    if errors:
        raise exceptions.ValidationError({"filter": errors})


#: (filter set, filter name) -> what ``_year_lookup`` found for it.
_year_lookups: dict[tuple[type, str], tuple[Any, bool] | None] = {}


def _year_lookup(filterset_class: type, name: str, filter_: Any) -> tuple[Any, bool] | None:
    """``(date column, iso_year)`` when the filter compares a year the way Django turns
    into a range of dates (``due_date__year``, ``created__iso_year__gte``: a
    ``YearLookup``), else ``None``. A ``method=`` filter does its own filtering."""
    key = (filterset_class, name)
    if key in _year_lookups:
        return _year_lookups[key]
    found = None
    for field, part, transform, rest in (
        _transforms(filterset_class, filter_) if filter_.method is None else ()
    ):
        lookup = transform.get_lookups().get(rest[0] if rest else "exact")
        if len(rest) <= 1 and lookup is not None and issubclass(lookup, YearLookup):
            found = (field, part == "iso_year")
            break
    _year_lookups[key] = found
    return found


def refuse_years_out_of_range(filterset_class: type, data: QueryDict) -> None:
    """Refuse a year the database cannot compare with (``VALIDATION_ERROR`` at
    ``filter.<parameter>``).

    Django compares ``due_date__year=2026`` as a range of dates, which it builds while the
    query compiles: for a year that has no dates (``0``, ``10000``, or, on SQLite, one
    whose last instant in the current time zone is past 9999 in UTC) it raises
    ``ValueError`` there, long after the filter set found the number valid: a server
    error, under REST too. The bounds are asked of the functions the query will call, so
    what is refused here is what would have failed. A value that is no number is left to
    the filter set, which refuses it with its own message.
    """
    errors: dict[str, list[Any]] = {}
    for name, filter_ in filterset_class.base_filters.items():
        text = data.get(name)
        year_lookup = _year_lookup(filterset_class, name, filter_) if text else None
        if year_lookup is None:
            continue
        try:
            year = int(decimal.Decimal(str(text).strip()))
        except (decimal.InvalidOperation, ValueError, OverflowError):
            continue  # not a number (or not a finite one): the filter set's to refuse
        field, iso_year = year_lookup
        # The rows' database: a transform's output (``created__date``) belongs to no model.
        model = getattr(getattr(filterset_class, "_meta", None), "model", None)
        ops = connections[router.db_for_read(model) if model else DEFAULT_DB_ALIAS].ops
        bounds = (
            ops.year_lookup_bounds_for_datetime_field
            if isinstance(field, models.DateTimeField)
            else ops.year_lookup_bounds_for_date_field
        )
        try:
            bounds(year, iso_year=iso_year)
        except (ValueError, OverflowError):
            message = str(_YEAR_OUT_OF_RANGE).format(year=year)
            errors[name] = [exceptions.ErrorDetail(message, code="invalid")]
    if errors:
        raise exceptions.ValidationError({"filter": errors})


#: The library's own words, which a project may translate (its ``LOCALE_PATHS``).
_YEAR_OUT_OF_RANGE = translation.gettext_lazy("Year {year} is out of range.")


def check_filter_values(filterset_class: type, data: QueryDict) -> None:
    """Refuse, before the filter set runs, filter values that would fail past it: too many
    values, lone surrogates, years without dates (each ``filter.<parameter>``)."""
    refuse_long_lists(filterset_class, data)
    refuse_surrogates(data)
    refuse_years_out_of_range(filterset_class, data)


def refuse_surrogates(data: QueryDict) -> None:
    """Refuse a lone surrogate in a filter value, as DRF's ``CharField`` refuses one.

    JSON can carry one (``"\\ud800"``), a query string cannot (Django decodes it with
    replacement characters), and a text filter would hand it to the database driver, which
    cannot encode it: a ``VALIDATION_ERROR`` at ``filter.<parameter>``, as the ``search``
    argument gets from DRF, instead of a server error.
    """
    errors: dict[str, list[Any]] = {}
    for name, values in data.lists():
        for value in values:
            try:
                _NO_SURROGATES(value)
            except exceptions.ValidationError as exc:
                errors.setdefault(name, []).extend(exc.detail)
    if errors:
        raise exceptions.ValidationError({"filter": errors})


_NO_SURROGATES = ProhibitSurrogateCharactersValidator()


def filter_queryset(
    filterset_class: type, values: dict[str, Any] | None, queryset: Any, request: Any
) -> Any:
    """Filter as ``DjangoFilterBackend`` does; an invalid value is a ``ValidationError``.

    Errors are keyed by ``filter`` and the parameter, so their ``field`` path reads
    ``filter.dueDate_Lt`` as the client wrote it (see ``errors_by_parameter``).
    """
    data = query_dict(filterset_class, values)
    check_filter_values(filterset_class, data)
    filterset = filterset_class(data=data, queryset=queryset, request=request)
    if not filterset.is_valid():
        from django_filters.utils import translate_validation

        # DjangoFilterBackend's own translation, so codes and messages are REST's.
        raise raised_by_filters(filterset_class, translate_validation(filterset.errors), data)
    try:
        return filterset.qs  # runs method= filters and the filter set's filter_queryset()
    except exceptions.ValidationError as exc:
        raise raised_by_filters(filterset_class, exc, data) from None


def raised_by_filters(
    filterset_class: type | None, exc: exceptions.ValidationError, data: QueryDict
) -> exceptions.ValidationError:
    """``exc``, raised while filtering (by a filter set's form, a ``method=`` filter, its
    own ``filter_queryset()``), with the filter set's errors keyed as its form's are:
    ``filter.<parameter>``, and ``filter`` for a non-field error (``__all__``) when filter
    values were sent (``data``: the filter parameters). Other keys, another backend's, stay
    as REST has them."""
    filters = getattr(filterset_class, "base_filters", None)
    detail = exc.detail
    if not filters or not isinstance(detail, dict):
        return exc
    own = {
        name: errors
        for name, errors in detail.items()
        if name in filters or (name == NON_FIELD_ERRORS and data)
    }
    if not own:
        return exc
    others = {name: errors for name, errors in detail.items() if name not in own}
    keyed = errors_by_parameter(filterset_class, own, data)  # type: ignore[arg-type]
    return exceptions.ValidationError({**others, "filter": keyed})


def errors_by_parameter(
    filterset_class: type, detail: dict[str, Any], data: QueryDict
) -> dict[str, Any]:
    """A filter set's errors keyed by the parameters the client sent.

    REST keys a filter that reads several parameters by the filter's name (``due`` for
    ``due_after``/``due_before``), which is no field of the GraphQL input: its errors go to
    each parameter sent whose own value the filter's form field refuses, else to the first
    one sent (a refusal of the pair together), or the first it reads when none was sent (a
    required range left out). Errors of filters reading one parameter are kept together.
    """
    result: dict[str, Any] = {}
    for name, errors in detail.items():
        filter_ = filterset_class.base_filters.get(name)
        field = _multi_value_field(filter_) if filter_ is not None else None
        if field is None:
            _add_errors(result, name, errors)
            continue
        parameters = _parameter_names(name, field.widget)
        sent = [p for p in parameters if data.get(p) not in (None, "")]
        refused = [
            parameter
            for parameter, part in zip(parameters, field.fields, strict=True)
            if parameter in sent and _refuses(part, data.get(parameter))
        ]
        for parameter in refused or sent[:1] or parameters[:1]:
            _add_errors(result, parameter, errors)
    return result


def _add_errors(result: dict[str, Any], key: str, errors: Any) -> None:
    """Add a filter's errors to ``result[key]``: a list of messages (one message, DRF's
    ``ValidationError({"title": "Not y."})``, is a list of one, as REST has it), or a dict
    of messages by a part of the value, kept as one."""
    if isinstance(errors, dict):
        current = result.setdefault(key, {})
        if isinstance(current, dict):
            current.update(errors)
        else:
            current.append(errors)
        return
    current = result.setdefault(key, [])
    if isinstance(current, dict):  # messages beside a part's: at the parameter itself
        current = result[key] = [current]
    current.extend(errors if isinstance(errors, list) else [errors])


def _refuses(form_field: forms.Field, value: Any) -> bool:
    try:
        form_field.clean(value)
    except ValidationError:
        return True
    return False
