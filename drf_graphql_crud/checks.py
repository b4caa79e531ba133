"""
System checks: misconfiguration reported at start-up (``manage.py check``, ``runserver``,
the test runner), with what to change, instead of a stack trace at request time.

=====================  ==================================================================
``drf_graphql_crud.E001``  ``Meta.serializer_class`` (or a read field's serializer) is not a
                           DRF serializer class, or is a ``ListSerializer`` (raised where
                           the mutation class or field is defined, with this id).
``drf_graphql_crud.E002``  ``Meta.lookup_field`` (or a ``RetrieveField``'s ``lookup_field``)
                           is not a unique field of the model.
``drf_graphql_crud.E003``  two serializers, or two sets of choices, want one GraphQL type
                           name.
``drf_graphql_crud.E004``  a writable nested serializer (or dotted ``source`` through a
                           relation) inside a ``ModelSerializer`` whose
                           ``create()``/``update()`` cannot write it (DRF would raise at
                           save time).
``drf_graphql_crud.E005``  the GraphQL schema named in ``GRAPHENE["SCHEMA"]`` cannot be
                           imported.
``drf_graphql_crud.E006``  a ``ListField``'s or a ``ViewSetCrud`` viewset's
                           ``ordering_fields`` (or ``search_fields``, or the viewset's default
                           ``ordering``) names what its queryset cannot be ordered (or
                           searched) by (no such field, annotation, transform or lookup).
``drf_graphql_crud.E007``  a ``ListField``'s ``filterset_class`` is for another model.
``drf_graphql_crud.E008``  ``permission_classes`` (a mutation's or Relay node's ``Meta``, a
                           read field's, a ``ViewSetCrud`` viewset's, and the viewset's
                           ``authentication_classes`` and ``throttle_classes``) holds
                           instances, or anything else that is not such a class.
``drf_graphql_crud.E009``  a setting in ``settings.DRF_GRAPHQL_CRUD`` has a value of the wrong
                           type (``MAX_LIMIT = "100"``).
``drf_graphql_crud.E010``  a create or update mutation, or a ``ViewSetCrud`` viewset's create
                           or update, over a serializer without ``create()`` or
                           ``update()`` of its own (a plain ``Serializer``).
``drf_graphql_crud.E011``  a schema the project serves is one graphql-core refuses (a type
                           of no fields): every request to it would fail.
``drf_graphql_crud.E012``  two ``ViewSetCrud`` of one ``name`` in the root types of one
                           schema the project serves: the first answers both's fields.
``drf_graphql_crud.E013``  a view serving GraphiQL (``graphiql=True``) whose page template
                           cannot be found (``graphene_django`` not in ``INSTALLED_APPS``).
``drf_graphql_crud.W001``  an unknown key in ``settings.DRF_GRAPHQL_CRUD``.
``drf_graphql_crud.W002``  a viewset given to ``ViewSetCrud`` overrides ``list()``, which
                           ``ViewSetCrud`` does not call: it runs the mixin's steps with the
                           viewset's hooks (its other action methods it calls).
``drf_graphql_crud.W003``  a flag in ``settings.DRF_GRAPHQL_CRUD`` (``ATOMIC_MUTATIONS``,
                           ``INTROSPECTION``) is not ``True`` or ``False``.
``drf_graphql_crud.W004``  a graphene type of the project's has a name the library gave one
                           of its types (graphene would silently use one for both).
``drf_graphql_crud.W005``  a viewset given to ``ViewSetCrud`` overrides ``dispatch()``,
                           ``initialize_request()``, ``handle_exception()`` or
                           ``finalize_response()``, which a GraphQL call never runs.
``drf_graphql_crud.W006``  E008's finding where the project overrides ``get_permissions()``
                           (``get_authenticators()``, ``get_throttles()``), which may still
                           call the default through ``super()``.
``drf_graphql_crud.W007``  two mutations' payloads (a mutation class's, a ``ViewSetCrud``'s)
                           have one name, in no one schema the project serves (E003 where a
                           schema serves both: graphene gives one the other's type).
``drf_graphql_crud.W008``  E004's finding where the mutation's (or viewset's) own
                           ``perform_create()`` or ``perform_update()`` may take the nested
                           data out first, or the project's code may turn the nested input
                           into the related row (the nested serializer's
                           ``to_internal_value()``, ``run_validation()`` or ``validate()``,
                           the parent's ``validate_<field>()`` or ``validate()``).
=====================  ==================================================================
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Collate, Lower, LTrim, RTrim, Trim, Upper
from django.urls import get_resolver
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from rest_framework import serializers
from rest_framework.utils import model_meta

from .settings import DEFAULTS, SETTINGS_NAME


def _label(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def refuse_serializer_class(where: str, value: Any) -> None:
    """E001, raised where a class is declared (every request would fail): ``value``, given
    as ``where`` (``tests.CreateTask.Meta.serializer_class``, ``ListField()``), is no
    serializer class to build types from. A ``ListSerializer`` is refused too: types are
    built from the serializer of one item."""
    if isinstance(value, type) and issubclass(value, serializers.BaseSerializer):
        if not issubclass(value, serializers.ListSerializer):
            return
        problem = (
            f"{value.__name__}, a ListSerializer: types are built from the serializer of one "
            "item. Give the item's serializer; BulkCreateMutation takes lists of it, and the "
            "item serializer's Meta.list_serializer_class says which ListSerializer saves them"
        )
    elif isinstance(value, serializers.BaseSerializer):
        problem = (
            f"an instance of {type(value).__name__}, not a DRF serializer class: pass the "
            "class itself"
        )
    else:
        problem = (
            f"{value!r}, not a DRF serializer class. Point it at a "
            "rest_framework.serializers.Serializer subclass"
        )
    raise ImproperlyConfigured(f"{where} is {problem} (drf_graphql_crud.E001).")


def _is_unique(model: type[models.Model], field_name: str) -> bool:
    if field_name == "pk":
        return True
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return False
    if getattr(field, "unique", False):
        return True
    # A constraint may name the column (project_id) as well as the field (project), and
    # sit on the model declaring the field: a multi-table child's parent.
    names = {field.name, getattr(field, "attname", field.name)}
    owners = {model, getattr(field, "model", None) or model}
    return any(
        any(len(fields) == 1 and fields[0] in names for fields in owner._meta.unique_together)
        or any(_unique_on(constraint, names) for constraint in owner._meta.constraints)
        for owner in owners
    )


#: Expressions a unique constraint may wrap a field in and still make it unique: equal
#: values have equal images, never NULL (``NullIf("email", Value(""))`` may be: NULLs do
#: not collide, so two rows share "").
_SAME_IMAGE = (models.F, models.OrderBy, Lower, Upper, Trim, LTrim, RTrim, Collate)


def _unique_on(constraint: Any, names: set[str]) -> bool:
    """Whether an unconditional unique constraint makes one field unique by itself: it
    names that field alone, or one expression of that field alone that never turns a value
    into NULL (``Lower("email")``)."""
    if not isinstance(constraint, models.UniqueConstraint) or constraint.condition is not None:
        return False
    if constraint.fields:
        return len(constraint.fields) == 1 and constraint.fields[0] in names
    expressions = getattr(constraint, "expressions", ())
    if len(expressions) != 1:
        return False
    flatten = getattr(expressions[0], "flatten", None)
    nodes = list(flatten()) if flatten is not None else [expressions[0]]
    nulls_collide = getattr(constraint, "nulls_distinct", None) is False
    if not nulls_collide and not all(isinstance(node, _SAME_IMAGE) for node in nodes):
        return False
    refs = {node.name for node in nodes if isinstance(node, models.F)}
    return len(refs) == 1 and refs <= names


def _lookup_path(model: type[models.Model], lookup_field: str) -> tuple[bool, bool]:
    """Whether ``lookup_field`` (``user__username`` too) names a field through relations,
    and whether it names at most one row: every step to one row (a one-to-one either way,
    a unique foreign key), then a unique field."""
    *steps, last = lookup_field.split(LOOKUP_SEP)
    one_row = True
    for step in steps:
        try:
            field = model._meta.get_field(step)
        except FieldDoesNotExist:
            return False, False
        if not field.is_relation or field.related_model is None:
            return False, False
        one_row = one_row and (field.one_to_one or (field.many_to_one and _is_unique(model, step)))
        model = field.related_model
    if last != "pk":
        try:
            model._meta.get_field(last)
        except FieldDoesNotExist:
            return False, False
    return True, one_row and _is_unique(model, last)


def _composite_pk(model: type[models.Model], lookup_field: str) -> bool:
    """Whether ``lookup_field`` is the model's primary key and that is a
    ``CompositePrimaryKey`` (Django 5.2+), which no single value matches."""
    composite = getattr(models, "CompositePrimaryKey", None)
    pk = model._meta.pk
    return composite is not None and isinstance(pk, composite) and lookup_field in ("pk", pk.name)


def _check_lookup(
    owner: str, lookup_field: str | None, model: type[models.Model] | None, obj: Any
) -> list[checks.CheckMessage]:
    """E002 for ``owner`` (``<mutation>.Meta.lookup_field`` or ``RetrieveField(...)``).

    One rule for writes and reads: ``get()`` on a field that is not unique fails with
    ``MultipleObjectsReturned`` once two rows share the value, and on a name that is not a
    field of the model with ``FieldError``, on every request. A lookup through relations
    (``user__username``) is unique when each step leads to one row.
    """
    if not lookup_field or model is None:
        return []
    if not isinstance(lookup_field, str):
        return [
            checks.Error(
                f"{owner}: lookup_field {lookup_field!r} is not a field's name.",
                hint="Give the name of a unique field of the model, as a string.",
                obj=obj,
                id="drf_graphql_crud.E002",
            )
        ]
    exists, unique = _lookup_path(model, lookup_field)
    if unique and not _composite_pk(model, lookup_field):
        return []
    if unique:
        problem = (
            f"is the composite primary key of {model._meta.label}: one argument names no "
            "row by it, so every lookup would miss."
        )
    elif not exists:
        problem = f"is not a field of {model._meta.label}: every lookup would fail."
    else:
        problem = (
            f"is not a unique field of {model._meta.label}: a lookup could match several rows."
        )
    return [
        checks.Error(
            f"{owner} {lookup_field!r} {problem}",
            hint="Use the primary key or a field with unique=True (or a single-field "
            "UniqueConstraint without a condition).",
            obj=obj,
            id="drf_graphql_crud.E002",
        )
    ]


def _check_mutation_lookup(mutation: Any) -> list[checks.CheckMessage]:
    from .mutations import _overrides

    meta = mutation._meta
    if _overrides(mutation, ("get_object", "run")):
        return []  # the project's code looks the row up, as a REST view's get_object() may
    queryset = getattr(meta, "queryset", None)
    if queryset is None and meta.model is not None:
        # get_queryset() reads the default manager, whose own get_queryset() may select
        # some rows only (a soft delete's live ones).
        queryset = _all_rows(meta.model._default_manager)
    if _unique_among_its_rows(
        meta.model,
        meta.lookup_field,
        own_rows=_overrides(mutation, ("get_queryset",)),
        queryset=queryset,
    ):
        return []
    return _check_lookup(
        f"{_label(mutation)}.Meta.lookup_field", meta.lookup_field, meta.model, mutation
    )


def _unique_among_its_rows(
    model: type[models.Model] | None, name: Any, own_rows: bool, queryset: Any
) -> bool:
    """Whether a lookup on ``name``, not unique in the whole table, may be unique among the
    rows looked in, as for a viewset: those of a ``get_queryset()`` of the project's own
    (one owner's, under ``unique_together``), or of a queryset selecting some rows only
    (a soft delete's live ones, under a conditional ``UniqueConstraint``)."""
    if model is None:
        return False
    if own_rows and _unique_with_others(model, name):
        return True
    return (own_rows or _filtered(queryset)) and _unique_under_a_condition(model, name)


def _unique_with_others(model: type[models.Model] | None, name: Any) -> bool:
    """Whether ``name`` is a field of ``model`` that is unique together with others
    (``unique_together``, a ``UniqueConstraint`` without a condition over several fields):
    unique among the rows that share the others, which a ``get_queryset()`` may select."""
    if model is None or not isinstance(name, str):
        return False
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    names = {field.name, getattr(field, "attname", field.name)}
    together = [
        *model._meta.unique_together,
        *(constraint.fields for constraint in model._meta.total_unique_constraints),
    ]
    return any(len(group) > 1 and names & set(group) for group in together)


def _read_field_label(field: Any) -> str:
    """``RetrieveField(app.serializers.TaskSerializer)``: how a read field is named in messages.

    A field does not know the attribute it is mounted under, so it is named by its class
    and serializer, as it is written in the ``Query``.
    """
    return f"{type(field).__name__}({_label(field.serializer_class)})"


def _check_read_lookup(field: Any) -> list[checks.CheckMessage]:
    lookup_field = getattr(field, "lookup_field", None)
    rows = _static_queryset(field) if field.model is not None else None
    # Rows known per request only (a callable queryset, a subclass's get_queryset()) are
    # judged as a mutation's own get_queryset() is.
    if _unique_among_its_rows(field.model, lookup_field, own_rows=rows is None, queryset=rows):
        return []
    return _check_lookup(
        f"{_read_field_label(field)}.lookup_field",
        lookup_field,
        field.model,
        field.serializer_class,
    )


def _static_queryset(field: Any) -> models.QuerySet | None:
    """The read field's queryset as every request starts from it; ``None`` when unknown.

    A callable ``queryset`` is only known per request (it may annotate, or list another
    model), so nothing that depends on it is flagged.
    """
    from .queries import _SerializerReadField

    if type(field).get_queryset is not _SerializerReadField.get_queryset:
        return None  # a subclass's own rows (annotated, say): known per request only
    queryset = field.queryset
    if queryset is None:
        queryset = field.model._default_manager
    elif callable(queryset) and not isinstance(queryset, models.QuerySet):
        return None
    return _all_rows(queryset)


def _all_rows(rows: Any) -> models.QuerySet | None:
    """``rows.all()``, a queryset's or a manager's rows as every request starts from them;
    ``None`` for a manager that needs more than the model: not knowable here."""
    try:
        return rows.all()
    except Exception:  # noqa: BLE001 - a project's manager may fail any way
        return None


def _ordering_problem(
    model: type[models.Model], name: str, queryset: models.QuerySet | None
) -> str | None:
    """Why ``order_by(name)`` certainly fails on the field's rows, or ``None`` if it may work.

    Followed as Django resolves it: model fields and relations (forward, reverse, ``pk``)
    joined by ``__``; a name that is no field may still be a transform of the last field
    (``due_date__year``), which is where the walk stops. A first name that is no model
    field may be an annotation, known only when the queryset is.
    """
    if name == "?":  # Django's random order; "-?" is a field name, which no model has
        return None
    name = name.removeprefix("-")
    parts = name.split(LOOKUP_SEP)
    if queryset is None:
        known: set[str] | None = None
    else:
        query = queryset.query
        known = {*query.annotations, *query.extra, *getattr(query, "_filtered_relations", {})}
    opts: Any = model._meta
    field: Any = None
    for index, part in enumerate(parts):
        if opts is not None:
            try:
                field = opts.pk if part == "pk" else opts.get_field(part)
            except FieldDoesNotExist:
                pass
            else:
                related = field.related_model if field.is_relation else None
                opts = related._meta if isinstance(related, type) else None
                continue
        if index == 0:
            if known is None or part in known:
                return None
            what = "a field or an annotation of the queryset" if known else "a field"
            return f"{part!r} is not {what} of {model._meta.label}"
        if opts is None and not hasattr(field, "get_transform"):
            return None  # a generic relation, or something else not knowable here
        candidates = [field, getattr(field, "target_field", None)]
        try:
            if any(c is not None and c.get_transform(part) for c in candidates):
                return None
        except Exception:
            return None
        if opts is not None:
            return f"{part!r} in {name!r} is not a field of {opts.label}"
        return f"{part!r} in {name!r} is not a transform of {field.name!r}"
    return None


def _ordering_hint(field: Any, name: str) -> str:
    from .types import instantiate

    hint = (
        "List model fields (or '__' paths through relations, e.g. 'project__name'), or "
        "annotate the queryset with the name; ListField orders the queryset by the names "
        "as given."
    )
    try:
        serializer_field = instantiate(field.serializer_class).fields.get(name)
    except Exception:
        return hint
    source_attrs = getattr(serializer_field, "source_attrs", None)
    if serializer_field is not None and source_attrs and serializer_field.source != "*":
        path = LOOKUP_SEP.join(source_attrs)
        if path != name:
            return (
                f"The serializer field {name!r} reads {serializer_field.source!r}: list {path!r}."
            )
    return hint


def _check_paths(
    field: Any,
    option: str,
    problem_of: Callable[[Any, str, Any], str | None],
    fails: str,
    hint_of: Callable[[Any, str], str],
) -> list[checks.CheckMessage]:
    """E006: the names of ``field.<option>`` that its rows certainly cannot take."""
    return _refused_paths(
        f"{_read_field_label(field)}.{option}",
        field.model,
        getattr(field, option, ()),
        _static_queryset(field),
        field.serializer_class,
        problem_of,
        fails,
        lambda name: hint_of(field, name),
    )


def _refused_paths(
    owner: str,
    model: type[models.Model],
    names: Any,
    queryset: models.QuerySet | None,
    obj: Any,
    problem_of: Callable[[Any, str, Any], str | None],
    fails: str,
    hint_of: Callable[[str], str],
) -> list[checks.CheckMessage]:
    """E006 for ``owner``: the ``names`` that rows of ``model`` (from ``queryset``, where it
    is known) certainly cannot take."""
    if not names or names == "__all__":  # "__all__": the model's columns, checked by name
        return []
    messages: list[checks.CheckMessage] = []
    for name in names:
        problem = problem_of(model, str(name), queryset)
        if problem is not None:
            messages.append(
                checks.Error(
                    f"{owner} has {name!r}: {problem}, so every request that {fails} fails.",
                    hint=hint_of(str(name)),
                    obj=obj,
                    id="drf_graphql_crud.E006",
                )
            )
    return messages


def _check_ordering_fields(field: Any) -> list[checks.CheckMessage]:
    return _check_paths(field, "ordering_fields", _ordering_problem, "orders by it", _ordering_hint)


def _search_problem(
    model: type[models.Model], name: str, queryset: models.QuerySet | None
) -> str | None:
    """``_ordering_problem`` for a ``SearchFilter`` term, read as
    ``SearchFilter.construct_search`` reads it: one prefix (``^ = @ $``) taken off and
    naming the lookup, else a last part that is a lookup of the field before it
    (``title__istartswith``) kept, else ``__icontains`` added. The lookup must be one the
    last field takes: a relation takes none of them (``project``: name a field of it)."""
    lookup = _SEARCH_PREFIXES.get(name[:1])
    if lookup is not None:
        name = name[1:]
    problem = _ordering_problem(model, name, queryset)
    *path, last = name.split(LOOKUP_SEP)
    fields = _model_path(model, name.split(LOOKUP_SEP))
    if problem is None and fields is None:
        return None  # an annotation, a transform: not knowable here
    if problem is None:
        if "pk" in name.split(LOOKUP_SEP):
            # SearchFilter.must_call_distinct looks each part up by its field name.
            return f"SearchFilter cannot follow 'pk' in {name!r} (name the key's field)"
        field = fields[-1]
        lookup = lookup or "icontains"
        if field.is_relation and field.related_model is None:
            return f"{name!r} is a generic foreign key, which no query can search"
        if field.is_relation:
            return (
                f"{name!r} is a relation, which SearchFilter compares with __{lookup} "
                f"(name a field of {field.related_model._meta.label}: {name}__<field>)"
            )
        if not field.get_lookup(lookup):
            return f"{name!r} is a {type(field).__name__}, which takes no __{lookup} lookup"
        return None
    if not path or lookup is not None:
        return problem
    before = _model_path(model, path)
    return None if before and before[-1].get_lookup(last) else problem


#: The lookups ``SearchFilter`` reads off a search field's prefix.
_SEARCH_PREFIXES = {"^": "istartswith", "=": "iexact", "@": "search", "$": "iregex"}


def _model_path(model: type[models.Model], parts: list[str]) -> list[Any] | None:
    """The model fields ``parts`` name, relation after relation; None where one is not a
    field (an annotation, a transform, a lookup)."""
    opts: Any = model._meta
    fields: list[Any] = []
    for part in parts:
        if opts is None:
            return None
        try:
            field = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist:
            return None
        fields.append(field)
        related = field.related_model if field.is_relation else None
        opts = related._meta if isinstance(related, type) else None
    return fields


def _check_search_fields(field: Any) -> list[checks.CheckMessage]:
    """E006 for ``search_fields``: ``SearchFilter`` filters by each path (after its prefix,
    ``^ = @ $``) with ``__icontains`` & co., so a path that is no field fails every search."""
    return _check_paths(field, "search_fields", _search_problem, "searches", _search_hint)


def _search_hint(field: Any, name: str) -> str:
    return (
        "List model fields, or '__' paths through relations (e.g. 'project__name'), each "
        "with an optional prefix ^ = @ $ as SearchFilter reads them."
    )


def _check_filterset_model(field: Any) -> list[checks.CheckMessage]:
    """E007: a filter set over another model filters the list's rows by that model's fields.

    The rule is ``DjangoFilterBackend``'s: the filter set's model must be the list's model
    or a parent of it. A callable queryset's rows are the serializer's model's table (a
    field over another table is refused when it is made), maybe as a proxy of that model.
    """
    filterset_class = getattr(field, "filterset_class", None)
    if filterset_class is None:
        return []
    filterset_model = getattr(getattr(filterset_class, "_meta", None), "model", None)
    if not isinstance(filterset_model, type) or issubclass(field.model, filterset_model):
        return []
    if _static_queryset(field) is None and field.queryset is not None:
        # Rows the caller's callable picks: a proxy's or a child's filter set may fit them.
        from .types import renders_rows

        if renders_rows(field.model, filterset_model):
            return []
    return [
        checks.Error(
            f"{_read_field_label(field)}.filterset_class {_label(filterset_class)} filters "
            f"{filterset_model._meta.label}, but the list holds {field.model._meta.label}: "
            "every request that sends a filter fails.",
            hint=f"Use a filter set whose Meta.model is {field.model._meta.object_name} (or a "
            "parent model of it), or filterset_fields=.",
            obj=filterset_class,
            id="drf_graphql_crud.E007",
        )
    ]


def _describe(item: Any, method: str = "has_permission") -> str:
    if isinstance(item, type):
        return _label(item)
    if hasattr(item, method):
        return f"an instance of {type(item).__name__}"
    return repr(item)


#: What DRF instantiates on every request, by the option declaring it: what the classes
#: are called, the method each has, the view's method reading the list, an example.
_DECLARED_CLASSES = {
    "permission_classes": ("permission", "has_permission", "get_permissions", "IsAuthenticated"),
    "authentication_classes": (
        "authentication",
        "authenticate",
        "get_authenticators",
        "TokenAuthentication",
    ),
    "throttle_classes": ("throttle", "allow_request", "get_throttles", "UserRateThrottle"),
}


def _check_permission_classes(
    owner: str,
    classes: Any,
    obj: Any,
    own_hook: bool = False,
    option: str = "permission_classes",
) -> list[checks.CheckMessage]:
    """E008: DRF instantiates each entry (``permission()``) on every request.

    So each must be a permission class (or a composition such as ``IsAuthenticated &
    IsAdminUser``, which is callable too); an instance, a dotted path or a class without
    ``has_permission`` fails every request. ``None`` means DRF's defaults. Under a
    ``get_permissions()`` of the project's (``own_hook``), which mostly extends
    ``super()``'s but may read the list its own way, the same finding is warning W006.
    A viewset's ``authentication_classes`` and ``throttle_classes`` (``option``) are
    instantiated alike (``get_authenticators()``, ``get_throttles()``).
    """
    if classes is None:
        return []
    kind, method, hook, example = _DECLARED_CLASSES[option]
    fails = "every request fails when DRF instantiates them"
    if isinstance(classes, str | type) or not hasattr(classes, "__iter__"):
        problem = f"is {_describe(classes, method)}, not a list of {kind} classes"
    elif iter(classes) is classes:  # a generator: not consumed here, nor fit for requests
        problem = f"is {classes!r}, an iterator, not a list of {kind} classes"
        fails = f"the first request uses it up, and later ones would run no {kind} class"
    else:
        bad = [
            item
            for item in classes
            if not callable(item) or (isinstance(item, type) and not hasattr(item, method))
        ]
        if not bad:
            return []
        described = ", ".join(_describe(item, method) for item in bad)
        problem = f"holds {described}, not {kind} classes"
    hint = f"List the classes themselves, e.g. {option} = [{example}] (not [{example}()])" + (
        "; combine them with &, | and ~." if option == "permission_classes" else "."
    )
    if own_hook:
        return [
            checks.Warning(
                f"{owner} {problem}: {fails} through the default {hook}(), which "
                f"the project's own {hook}() may still call (super()).",
                hint=hint + f" If your {hook}() reads the list its own way, silence "
                "this with SILENCED_SYSTEM_CHECKS.",
                obj=obj,
                id="drf_graphql_crud.W006",
            )
        ]
    return [
        checks.Error(f"{owner} {problem}: {fails}.", hint=hint, obj=obj, id="drf_graphql_crud.E008")
    ]


def _per_request(declared: Any) -> bool:
    """Whether a class attribute is a descriptor (a ``property``) whose value each view
    instance computes: known per request only."""
    return hasattr(type(declared), "__get__")


def _check_mutation_permissions(mutation: Any) -> list[checks.CheckMessage]:
    from .permissions import project_hook

    return _check_permission_classes(
        f"{_label(mutation)}.Meta.permission_classes",
        mutation._meta.permission_classes,
        mutation,
        own_hook=project_hook(mutation, "get_permissions") is not None,
    )


def _check_read_field_permissions(field: Any) -> list[checks.CheckMessage]:
    from .queries import _SerializerReadField

    return _check_permission_classes(
        f"{_read_field_label(field)}.permission_classes",
        field.permission_classes,
        field.serializer_class,
        own_hook=type(field).get_permissions is not _SerializerReadField.get_permissions,
    )


def _check_read_field(field: Any) -> list[checks.CheckMessage]:
    return [
        *_check_read_lookup(field),
        *_check_ordering_fields(field),
        *_check_search_fields(field),
        *_check_filterset_model(field),
        *_check_read_field_permissions(field),
    ]


def _writes_nested_by_default(serializer_class: type, method: str) -> bool:
    return getattr(serializer_class, method) is getattr(serializers.ModelSerializer, method)


#: Mutation hooks that save their own way (perform_create/perform_update overrides mostly
#: call serializer.save(owner=...), which still runs the serializer's create()/update()).
_SAVING_HOOKS = ("run", "perform_mutate")
#: The DRF-style hook of each save method, which may save without it (E010 only).
_PERFORM_HOOKS = {"create": "perform_create", "update": "perform_update"}


def _check_nested_writes(mutation: Any) -> list[checks.CheckMessage]:
    from .mutations import _overrides

    serializer_class = mutation._meta.serializer_class
    if serializer_class is None or not mutation.takes_input or _overrides(mutation, _SAVING_HOOKS):
        return []
    method = "update" if mutation._meta.lookup_field else "create"
    # A perform_create() of the mutation's may take the nested data out before it saves,
    # or only pass save(owner=...): a warning, which leaves the project free to start.
    hook = _PERFORM_HOOKS[method]
    return _nested_write_errors(
        serializer_class, method, _label(mutation), mutation, _overrides(mutation, (hook,))
    )


def _nested_write_errors(
    serializer_class: type, method: str, saver: str, obj: Any, own_hook: bool
) -> list[checks.CheckMessage]:
    """E004: ``serializer_class``'s ``method`` is ``ModelSerializer``'s, which refuses a
    writable nested serializer over a relation: ``saver`` (a mutation, a viewset's action)
    fails on every call that sends it. W008 where its own ``perform_create()`` or
    ``perform_update()`` (``own_hook``) may take the nested data out first, or the
    project's code may turn the nested input into the related row (``_own_reader``: the
    nested serializer's methods, or the parent's ``validate_<name>()`` or ``validate()``)."""
    from .types import instantiate

    if not issubclass(serializer_class, serializers.ModelSerializer):
        return []
    if not _writes_nested_by_default(serializer_class, method):
        return []
    if serializer_class.save is not serializers.BaseSerializer.save:
        return []  # its own save() may write the nested rows before create() runs
    hook = _PERFORM_HOOKS[method]
    try:
        fields = instantiate(serializer_class).fields
    except Exception:  # reported when the types are built
        return []
    # DRF refuses only a nested serializer over a relation (raise_errors_on_nested_writes):
    # one over source="*" or a plain column (a JSONField) writes into the row itself.
    relations = model_meta.get_field_info(serializer_class.Meta.model).relations
    errors: list[checks.CheckMessage] = []
    for name, field in fields.items():
        if field.read_only:
            continue
        unless = f"its {hook}() takes {name!r} out of the validated data before it saves"
        warn = own_hook
        if isinstance(field, serializers.BaseSerializer) and field.source in relations:
            what, fix = "a writable nested serializer", "declare the nested field read_only=True"
            reader = _own_reader(serializer_class, name, field)
            if reader is not None:
                # It may read a reference into the related row, which DRF saves: a warning.
                warn = True
                unless = f"{reader} gives the related row, or takes {name!r} out"
        elif len(field.source_attrs) > 1 and field.source_attrs[0] in relations:
            # DRF refuses it too: source="project.name" would write another row.
            what, fix = f"a writable field with source {field.source!r}", "make it read_only"
        else:
            continue
        message = (
            f"{_label(serializer_class)}.{name} is {what}, but "
            f"{serializer_class.__name__}.{method}() is ModelSerializer's, which refuses "
            f"nested writes: {saver} would fail on every call that sends it"
        )
        hint = (
            "Use drf_writable_nested.WritableNestedModelSerializer, write "
            f"{method}() yourself, or {fix}."
        )
        if warn:
            errors.append(
                checks.Warning(
                    f"{message}, unless {unless}.",
                    hint=hint,
                    obj=obj,
                    id="drf_graphql_crud.W008",
                )
            )
        else:
            errors.append(
                checks.Error(f"{message}.", hint=hint, obj=obj, id="drf_graphql_crud.E004")
            )
    return errors


def _own_reader(serializer_class: type, name: str, field: serializers.BaseSerializer) -> str | None:
    """The method of the project's that may turn a nested serializer's input (one row's)
    into the related row itself (``Project.objects.get(slug=...)``), which
    ``ModelSerializer`` saves as the foreign key, where DRF refuses a dict (a normalising
    ``super()`` call gives one): the nested serializer's own ``to_internal_value()``,
    ``run_validation()`` or ``validate()``, or the parent's ``validate_<name>()`` or
    ``validate()`` (which may also take a list of rows out). None where there is none."""
    if not isinstance(field, serializers.ListSerializer):  # a list of rows stays a list
        nested = type(field)
        for method in ("to_internal_value", "run_validation", "validate"):
            if getattr(nested, method) is not getattr(serializers.Serializer, method):
                return f"{nested.__name__}.{method}()"
    if callable(getattr(serializer_class, f"validate_{name}", None)):
        return f"{serializer_class.__name__}.validate_{name}()"
    if serializer_class.validate is not serializers.Serializer.validate:
        return f"{serializer_class.__name__}.validate()"
    return None


def _check_save_methods(mutation: Any) -> list[checks.CheckMessage]:
    """E010: a create or update mutation over a serializer without ``create()`` or
    ``update()`` (a plain ``Serializer``'s raise ``NotImplementedError``) fails every call,
    unless a hook of its own saves."""
    from .mutations import CreateMutation, UpdateMutation, _overrides

    serializer_class = mutation._meta.serializer_class
    if serializer_class is None or not issubclass(mutation, CreateMutation | UpdateMutation):
        return []
    method = "update" if issubclass(mutation, UpdateMutation) else "create"
    if _overrides(mutation, (*_SAVING_HOOKS, _PERFORM_HOOKS[method])):
        return []  # its own hook may save without the serializer (Model.objects.create)
    if mutation.many:
        try:  # Meta.list_serializer_class, or what many_init() makes
            list_class = type(serializer_class(many=True))
        except Exception:
            return []  # it cannot even be made: reported when the types are built
        for method_name in ("create", "save"):
            if getattr(list_class, method_name) is not getattr(
                serializers.ListSerializer, method_name
            ):
                return []  # the list serializer saves the rows (a bulk_create)
    return _save_method_errors(
        serializer_class, method, _label(mutation), mutation, "the mutation's perform_mutate()"
    )


def _save_method_errors(
    serializer_class: type, method: str, saver: str, obj: Any, own_save: str
) -> list[checks.CheckMessage]:
    """E010 for ``serializer_class``, whose ``method`` ``saver`` calls through ``save()``;
    ``own_save``: where the project may save its own way instead."""
    if getattr(serializer_class, method, None) is not getattr(serializers.BaseSerializer, method):
        return []
    if serializer_class.save is not serializers.BaseSerializer.save:
        return []  # DRF's "overriding save() directly": create() is never called
    return [
        checks.Error(
            f"{_label(serializer_class)} has no {method}() of its own, so {saver} would fail "
            "on every call (NotImplementedError).",
            hint=f"Write {serializer_class.__name__}.{method}(), use a ModelSerializer, or "
            f"save in {own_save}.",
            obj=obj,
            id="drf_graphql_crud.E010",
        )
    ]


def _check_viewset_saves(crud: Any) -> list[checks.CheckMessage]:
    """E010 and E004 (W008) for a ``ViewSetCrud``'s create and update, which save as the
    mixins do (``perform_create(serializer)``, ``serializer.save()``) through the
    serializer each action's ``get_serializer_class()`` gives, as REST's calls would fail
    on every request; a viewset's own ``create()`` or ``update()`` is not judged (it may
    save its own way), and its own ``perform_create()`` as a mutation's is."""
    from rest_framework import mixins

    viewset = crud.viewset_class
    messages: list[checks.CheckMessage] = []
    for action in dict.fromkeys(("create", crud.update_action)):
        if action not in crud.actions or action in crud.called_actions:
            continue  # no such write (a read-only viewset), or its own way of saving
        try:
            # What the action's own call gets; not serializer_class_for()'s stand-in for a
            # get_serializer_class() that needs a request (the user's): that is unknown here.
            serializer_class = crud.static_view(action).get_serializer_class()
        except Exception:  # noqa: BLE001 - known per request only
            continue
        if not isinstance(serializer_class, type):
            continue
        method = "create" if action == "create" else "update"
        hook = _PERFORM_HOOKS[method]
        mixin = mixins.CreateModelMixin if method == "create" else mixins.UpdateModelMixin
        own_hook = getattr(viewset, hook, None) not in (None, getattr(mixin, hook))
        saver = f"{_label(viewset)}'s {action} through ViewSetCrud"
        if not own_hook:
            messages += _save_method_errors(
                serializer_class, method, saver, viewset, f"the viewset's {hook}()"
            )
        messages += _nested_write_errors(serializer_class, method, saver, viewset, own_hook)
    return messages


def _check_collisions() -> list[checks.CheckMessage]:
    from .types import registry

    seen = set()
    errors: list[checks.CheckMessage] = []
    for collision in registry.collisions:
        if collision.payload:
            continue  # judged together, by name (_payload_collisions)
        if collision in seen:
            continue
        seen.add(collision)
        second = collision.second
        if second == collision.first:
            # One class statement run twice (a get_serializer_class() making it per call),
            # holding something that compares by identity alone.
            second = (
                "another class the same code made under that name (at another call), which "
                "differs from it or holds something that compares by identity alone"
            )
        errors.append(
            checks.Error(
                f"GraphQL type name {collision.name!r} is wanted by {collision.first} and by "
                f"{second}; the second would silently get the first one's type.",
                hint="Give one serializer Meta.graphql_name = '...' (or set "
                "input_type_name/output_type_name on the mutation's Meta). For a class "
                "made for Meta.depth, set it in an override of build_nested_field.",
                id="drf_graphql_crud.E003",
            )
        )
    payloads = _payload_collisions()
    if payloads:
        schemas = _known_schemas()
        field_types = [_field_types(schema) for schema in schemas]
        errors.extend(
            _payload_collision(name, group, field_types) for name, group in payloads.items()
        )
    return errors


def _payload_collisions() -> dict[str, list[Any]]:
    """Every payload collision, by name: a name's are judged together."""
    from .types import registry

    payloads: dict[str, list[Any]] = {}
    for collision in registry.collisions:
        if collision.payload:
            payloads.setdefault(collision.name, []).append(collision)
    return payloads


def _differing(payloads: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The payload collisions whose types differ in their fields: payloads of one shape (a
    delete's and a ViewSetCrud's ``{deletedId}``) stand in for each other."""
    return {
        name: group
        for name, group in payloads.items()
        if len({_shape(each) for c in group for each in c.types}) > 1
    }


def _shape(graphene_type: Any) -> tuple[tuple[str, str], ...]:
    fields = getattr(getattr(graphene_type, "_meta", None), "fields", None) or {}
    return tuple(sorted((name, str(field.type)) for name, field in fields.items()))


def payload_collisions_in(schema: Any) -> list[checks.CheckMessage]:
    """E003 for the mutations' payloads of one name that ``schema`` holds two of (one would
    silently answer with the other's fields): what ``DRFGraphQLView.as_view()`` refuses."""

    payloads = _differing(_payload_collisions())
    if not payloads:
        return []
    held = [_field_types(schema)]
    found = (_payload_collision(name, group, held) for name, group in payloads.items())
    return [message for message in found if message.level >= checks.ERROR]


def _payload_collision(
    name: str, collisions: list[Any], field_types: list[set[Any]]
) -> checks.CheckMessage:
    """W007 for mutations' payloads of one name in separate schemas; E003 where a schema
    the project serves holds two of them: graphene keeps the first it meets and gives its
    type to the others, without a word."""
    origins = list(dict.fromkeys(o for c in collisions for o in (c.first, c.second)))
    types = list({id(each): each for c in collisions for each in c.types}.values())
    named = ", ".join(origins[:-1]) + f" and {origins[-1]}" if len(origins) > 1 else origins[0]
    if len(origins) < len(types):
        named += f" ({len(types)} payload classes: one was made more than once)"
    hint = (
        "Rename the mutation classes apart, or give a ViewSetCrud another name= (its payloads "
        "are Create<Name>Payload, ...)."
    )
    if any(len(set(map(id, types)) & set(map(id, held))) >= 2 for held in field_types):
        return checks.Error(
            f"Mutations' payloads are named {name!r} alike: {named}, and one schema serves "
            "two of them: graphene keeps the first it meets and silently gives the others its "
            "payload type.",
            hint=hint,
            id="drf_graphql_crud.E003",
        )
    return checks.Warning(
        f"Mutations' payloads are named {name!r} alike: {named}. Each keeps its own, so "
        "separate schemas may serve them (no schema the project serves holds two); in one, "
        "graphene would silently give the others the first one's type.",
        hint=f"If they are meant for one schema: {hint[0].lower()}{hint[1:]}",
        id="drf_graphql_crud.W007",
    )


def _known_schemas() -> list[Any]:
    """The graphene schemas the project serves: ``GRAPHENE["SCHEMA"]`` and those its URLconf
    gives graphene-django views (``as_view(schema=...)``, or a view class's own)."""
    import graphene

    found: list[Any] = []
    with contextlib.suppress(Exception):  # E005 reports a schema that cannot be imported
        found.append(_configured_schema())
    for view_class, initkwargs in _graphql_views():
        found.append(initkwargs.get("schema") or view_class.schema)
    unique = {id(schema): schema for schema in found if isinstance(schema, graphene.Schema)}
    return list(unique.values())


def _graphql_views() -> list[tuple[type, dict[str, Any]]]:
    """The graphene-django views (``DRFGraphQLView`` among them) the URLconf routes to, each
    with the arguments its ``as_view()`` was given."""
    from graphene_django.views import GraphQLView

    try:
        patterns = list(get_resolver().url_patterns)
    except Exception:  # noqa: BLE001 - Django's own URL checks report a URLconf that fails
        patterns = []
    views = []
    while patterns:
        pattern = patterns.pop()
        with contextlib.suppress(Exception):  # an included URLconf that fails: Django's
            patterns.extend(getattr(pattern, "url_patterns", None) or ())
        view_class = getattr(getattr(pattern, "callback", None), "view_class", None)
        if isinstance(view_class, type) and issubclass(view_class, GraphQLView):
            initkwargs = getattr(pattern.callback, "view_initkwargs", None) or {}
            views.append((view_class, initkwargs))
    return views


def _check_graphiql_pages() -> list[checks.CheckMessage]:
    """E013: a view serving GraphiQL whose page template no template engine finds:
    graphene-django's, which ``"graphene_django"`` in ``INSTALLED_APPS`` provides with the
    page's script. Every browser visit was a 500 (``TemplateDoesNotExist``), while the
    checks passed. A view rendering the page its own way (``render_graphiql``) is its own."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import select_template
    from graphene_django.views import GraphQLView

    messages = []
    seen = set()
    for view_class, initkwargs in _graphql_views():
        # As graphene-django reads it: the argument, else the class's flag.
        serves_page = initkwargs.get("graphiql") or view_class.graphiql
        if not serves_page or view_class.render_graphiql is not GraphQLView.render_graphiql:
            continue
        template = view_class.graphiql_template
        names = [template] if isinstance(template, str) else list(template)
        if (view_class, *names) in seen:
            continue
        seen.add((view_class, *names))
        try:
            select_template(names)
        except TemplateDoesNotExist:
            messages.append(
                checks.Error(
                    f"{view_class.__name__} serves GraphiQL (graphiql=True), but its page's "
                    f"template {' or '.join(map(repr, names))} cannot be found: every "
                    "browser visit would fail.",
                    hint="Add 'graphene_django' to INSTALLED_APPS (its template and static "
                    "files make the page), or serve the view with graphiql=False.",
                    obj=view_class,
                    id="drf_graphql_crud.E013",
                )
            )
        except Exception:  # noqa: BLE001, S112 - a template that fails to load: it exists
            continue
    return messages


def _check_served_schemas() -> list[checks.CheckMessage]:
    """E011: a schema the project serves that graphql-core refuses (a type of no fields, an
    interface a type does not fulfil): it answers every request, ``{ __typename }``
    included, with the refusal. Said at start-up instead."""
    from graphql import validate_schema

    messages = []
    for schema in _known_schemas():
        try:
            errors = validate_schema(schema.graphql_schema)
        except Exception:  # noqa: BLE001 - graphene could not build it: E005 or its import
            continue
        if errors:
            root = schema.graphql_schema.query_type
            shown = "; ".join(error.message for error in errors[:3])
            more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
            messages.append(
                checks.Error(
                    f"The GraphQL schema of {root.name if root else 'no query'} is invalid, "
                    f"and every request to it would fail: {shown}{more}",
                    hint="An object or input type needs at least one field: give a mutation "
                    "whose serializer renders nothing an output_serializer_class, and one "
                    "that takes nothing takes_input = False.",
                    obj=schema,
                    id="drf_graphql_crud.E011",
                )
            )
    return messages


def _check_crud_names() -> list[checks.CheckMessage]:
    """E012: two ``ViewSetCrud`` of one ``name`` both in a served schema's root types
    (``class Query(a.Query, b.Query)``): their fields have the same names, and Python's
    MRO gives the first viewset's to both, without a word (a read-only one has no payload
    for E003 to tell)."""
    from .viewsets import viewset_cruds

    by_name: dict[str, list[Any]] = {}
    for crud in viewset_cruds:
        by_name.setdefault(crud.name, []).append(crud)
    groups = [cruds for cruds in by_name.values() if len({c.viewset_class for c in cruds}) > 1]
    if not groups:
        return []
    messages = []
    for schema in _known_schemas():
        query_mro = getattr(getattr(schema, "query", None), "__mro__", ())
        mutation_mro = getattr(getattr(schema, "mutation", None), "__mro__", ())
        for cruds in groups:
            # Alike fields meet in one root type only: a name's reads in the Query and
            # another viewset's writes in the Mutation are each their own.
            held = [c for c in cruds if c.Query in query_mro]
            if len({c.viewset_class for c in held}) < 2:
                held = [c for c in cruds if c.Mutation in mutation_mro]
            if len({c.viewset_class for c in held}) < 2:
                continue
            named = ", ".join(c.viewset_class.__name__ for c in held)
            messages.append(
                checks.Error(
                    f"ViewSetCrud of {named} share the name {held[0].name!r}, and one schema "
                    f"serves both: their fields are named alike, and the first viewset in "
                    f"the root type's bases answers them all.",
                    hint="Give each ViewSetCrud its own name=.",
                    obj=schema,
                    id="drf_graphql_crud.E012",
                )
            )
    return messages


def _field_types(schema: Any) -> set[Any]:
    """The graphene types of every field of every object type a schema holds (its
    mutations' payloads among them, at the root or under a namespace type): the types the
    fields were declared with, before graphene kept one of each name."""
    import graphene

    types = set()
    for graphql_type in schema.graphql_schema.type_map.values():
        meta = getattr(getattr(graphql_type, "graphene_type", None), "_meta", None)
        for field in (getattr(meta, "fields", None) or {}).values():
            kind = getattr(field, "type", None)
            while isinstance(kind, graphene.NonNull | graphene.List):
                kind = kind.of_type
            types.add(kind)
    return types


def _import_schema() -> list[checks.CheckMessage]:
    """E005; and the URLconf, loaded so the schemas its views are given
    (``DRFGraphQLView.as_view(schema=...)``) are defined before they are checked, whatever
    order Django runs its checks in (``manage.py check --tag drf_graphql_crud`` runs only
    these). A URLconf that fails to load is Django's own URL checks' to report."""
    with contextlib.suppress(Exception):
        get_resolver().url_patterns  # noqa: B018 - imports the URLconf's modules
    import graphene

    path = _graphene_setting("SCHEMA")
    try:
        schema = _configured_schema()
    except Exception as exc:
        return [
            checks.Error(
                f"The GraphQL schema {path!r} cannot be imported: {exc.__class__.__name__}: {exc}",
                hint="Fix the error above; mutation classes are checked when they are defined.",
                id="drf_graphql_crud.E005",
            )
        ]
    if schema is not None and not isinstance(schema, graphene.Schema):
        return [
            checks.Error(
                f'GRAPHENE["SCHEMA"] is {schema!r}, which is no graphene Schema.',
                hint='Give the dotted path of the schema ("project.schema.schema"), or the '
                "schema itself.",
                id="drf_graphql_crud.E005",
            )
        ]
    return []


def _graphene_setting(name: str) -> Any:
    """``GRAPHENE[name]``; None where ``GRAPHENE`` is unset, ``None`` or holds no such key
    (graphene-django's defaults then apply; its own checks judge the rest)."""
    graphene_settings = getattr(settings, "GRAPHENE", None)
    return graphene_settings.get(name) if isinstance(graphene_settings, Mapping) else None


def _configured_schema() -> Any:
    """The schema ``GRAPHENE["SCHEMA"]`` names, or None: a dotted path is imported, anything
    else is the schema itself, as graphene-django reads the setting (``perform_import``)."""
    schema = _graphene_setting("SCHEMA")
    return import_string(schema) if isinstance(schema, str) and schema else schema or None


def _check_foreign_types() -> list[checks.CheckMessage]:
    """W004: a graphene type of the project's under a name this library generated.

    graphene keeps one type per name in a schema, the first it meets, and uses it for both
    without a word: the library's mutation would take the project's input fields, or
    return its ``DjangoObjectType``. Any graphene type class defined in the process counts
    (their schemas are not all known here), so it is a warning, not an error: two schemas
    may each hold one of the two legitimately.
    """
    from graphene.types.base import BaseType

    from .types import registry

    ours = registry.types_by_name()
    messages: list[checks.CheckMessage] = []
    seen: set[type] = set()
    pending: list[type] = [BaseType]
    while pending:
        for klass in pending.pop().__subclasses__():
            if klass in seen:
                continue
            seen.add(klass)
            pending.append(klass)
            meta = vars(klass).get("_meta")  # abstract classes and containers have none
            mine = ours.get(getattr(meta, "name", None))
            if mine is None or mine is klass or _made_by_library(klass):
                continue  # the library's own types clash with each other under E003
            messages.append(
                checks.Warning(
                    f"The GraphQL type name {meta.name!r} is used by {_label(klass)} and by "
                    f"{_label(mine)}, a drf_graphql_crud type: in one schema graphene "
                    "keeps the first it meets and silently uses it for both.",
                    hint="Rename one of them: the project's type, or the library's with the "
                    "serializer's Meta.graphql_name (or the mutation's input_type_name / "
                    "output_type_name).",
                    obj=klass,
                    id="drf_graphql_crud.W004",
                )
            )
    return messages


def _made_by_library(klass: type) -> bool:
    """A type this library generated or that is built on its classes (its own checks)."""
    from .mutations import SerializerMutation
    from .types import ChoiceEnumBase, SerializerInputObjectType, SerializerObjectType

    if klass.__module__.startswith("drf_graphql_crud."):
        return True
    if issubclass(klass, SerializerObjectType | SerializerInputObjectType | SerializerMutation):
        return True
    python_enum = getattr(getattr(klass, "_meta", None), "enum", None)
    return isinstance(python_enum, type) and issubclass(python_enum, ChoiceEnumBase)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_positive(value: Any) -> bool:
    return _is_count(value) and value > 0


def _is_text(value: Any) -> bool:
    return isinstance(value, str | Promise)  # gettext_lazy() messages are text too


def _text_map_problem(value: Any) -> str | None:
    """What is wrong with an ``ERROR_CODES``/``ERROR_MESSAGES`` dict, else ``None``.

    ``None`` as a value is fine: it falls back to the default, as an absent key does.
    """
    if not isinstance(value, Mapping):
        return f"is {value!r}, not a dict"
    for key, item in value.items():
        if not isinstance(key, str):
            return f"has the key {key!r}, not a string"
        if item is not None and not _is_text(item):
            return f"has {key!r}: {item!r}, not a string"
        if item is not None and not str(item).strip():
            return f"has {key!r}: {item!r}, an empty string (None keeps the default)"
    return None


#: Documented settings -> (what the value must be, whether it is), for E009 and W003.
_SETTING_TYPES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "ATOMIC_MUTATIONS": ("True or False", lambda value: isinstance(value, bool)),
    "INTROSPECTION": ("True or False", lambda value: isinstance(value, bool)),
    "ERROR_CODES": ("a dict of strings", lambda value: _text_map_problem(value) is None),
    "ERROR_MESSAGES": ("a dict of strings", lambda value: _text_map_problem(value) is None),
    # 0 would refuse every document, or answer every list with no rows: None is no limit.
    "MAX_QUERY_DEPTH": ("a positive integer or None", lambda v: v is None or _is_positive(v)),
    "MAX_ALIASES": ("a non-negative integer or None", lambda v: v is None or _is_count(v)),
    "MAX_QUERY_FIELDS": ("a non-negative integer or None", lambda v: v is None or _is_count(v)),
    "MAX_QUERY_LENGTH": ("a positive integer or None", lambda v: v is None or _is_positive(v)),
    "MAX_QUERY_TOKENS": ("a positive integer or None", lambda v: v is None or _is_positive(v)),
    "DOCUMENT_CACHE_SIZE": ("a non-negative integer", _is_count),
    "MAX_BATCH_SIZE": ("a positive integer or None", lambda v: v is None or _is_positive(v)),
    "MAX_SEARCH_TERMS": ("a positive integer or None", lambda v: v is None or _is_positive(v)),
    "MAX_FILTER_VALUES": ("a positive integer or None", lambda v: v is None or _is_positive(v)),
    "MAX_LIMIT": ("a positive integer", _is_positive),
    "INTEGRITY_ERROR_MESSAGE": (
        "a non-empty string",
        lambda value: _is_text(value) and bool(str(value).strip()),
    ),
}


def _check_settings() -> list[checks.CheckMessage]:
    """W001 for unknown keys; E009 (W003 for flags) for values of the wrong type.

    A wrong-typed number or dict fails every request that reads it (``min("100", 5)``,
    ``{**defaults, **"x"}``), so it is an error. A flag that is not a bool still works,
    by truthiness, which is rarely what was meant (``"False"`` is true): a warning.
    """
    user = getattr(settings, SETTINGS_NAME, None) or {}  # empty: no settings, as read
    if not isinstance(user, Mapping):
        return [
            checks.Error(
                f"settings.{SETTINGS_NAME} is {user!r}, not a dict.",
                hint="Map setting names to values, e.g. {'MAX_LIMIT': 50}.",
                id="drf_graphql_crud.E009",
            )
        ]
    messages: list[checks.CheckMessage] = [
        checks.Warning(
            f"Unknown key {key!r} in settings.{SETTINGS_NAME}.",
            hint=f"Known keys: {', '.join(sorted(DEFAULTS))}.",
            id="drf_graphql_crud.W001",
        )
        for key in user
        if key not in DEFAULTS
    ]
    for key, value in user.items():
        if key not in _SETTING_TYPES:
            continue
        expected, is_valid = _SETTING_TYPES[key]
        if is_valid(value):
            continue
        default = DEFAULTS[key]
        name = f"settings.{SETTINGS_NAME}[{key!r}]"
        if isinstance(default, bool):
            messages.append(
                checks.Warning(
                    f"{name} is {value!r}, not {expected}: it is read by truthiness, so it "
                    f"means {bool(value)}.",
                    hint=f"Set it to {expected}; the default is {default!r}.",
                    id="drf_graphql_crud.W003",
                )
            )
            continue
        if isinstance(default, dict):
            msg = f"{name} {_text_map_problem(value)}."
            hint = "Map each key to a string (or None for the default), e.g. " + (
                f"{{{next(iter(default.items()))[0]!r}: {next(iter(default.values()))!r}}}."
            )
        else:
            msg = f"{name} is {value!r}, not {expected}."
            hint = f"Set it to {expected}; the default is {default!r}."
        messages.append(checks.Error(msg, hint=hint, id="drf_graphql_crud.E009"))
    return messages


#: What ViewSetCrud runs instead of an own ``list()``, for W002's hint: the other action
#: methods it calls, but a list's arguments and page shape are the mixin's.
_LIST_STEPS = "get_queryset(), filter_queryset(), paginate_queryset(), then get_serializer()"


def _check_viewset_crud(crud: Any) -> list[checks.CheckMessage]:
    viewset = crud.viewset_class
    if "list" not in crud.overridden_actions():
        return []
    return [
        checks.Warning(
            f"{_label(viewset)}.list() is overridden, but ViewSetCrud({viewset.__name__}) "
            f"does not call it: GraphQL runs {_LIST_STEPS}, as "
            f"{_label_mixin('list')}.list() does, and skips the custom code.",
            hint=f"Move the custom code into the hooks ViewSetCrud runs ({_LIST_STEPS}), "
            "or write that list as its own field.",
            obj=viewset,
            id="drf_graphql_crud.W002",
        )
    ]


def _check_viewset_declarations(crud: Any) -> list[checks.CheckMessage]:
    """E002, E006 and E008 for what a ``ViewSetCrud`` viewset declares, as for the library's
    own fields: its REST routes fail the same way on every request (``get()`` on a field
    that is not unique, an ordering or search path that is no field, a permission that is
    no class); where the viewset's own code decides (``get_object()``, ``get_queryset()``,
    ``get_permissions()``), as the library's fields do, it is not judged or only warned."""
    from rest_framework.filters import OrderingFilter, SearchFilter
    from rest_framework.generics import GenericAPIView
    from rest_framework.views import APIView

    viewset = crud.viewset_class
    label = _label(viewset)
    model = crud.model
    if model is None:
        return []
    own_rows = viewset.get_queryset is not GenericAPIView.get_queryset
    messages: list[checks.CheckMessage] = []
    detail = {"retrieve", "update", "partial_update", "destroy"} & set(crud.actions)
    if (
        detail
        and viewset.get_object is GenericAPIView.get_object
        and not _unique_among_its_rows(
            model, viewset.lookup_field, own_rows=own_rows, queryset=viewset.queryset
        )
    ):
        messages += _check_lookup(f"{label}.lookup_field", viewset.lookup_field, model, viewset)
    for option, (*_, hook, _) in _DECLARED_CLASSES.items():
        declared = getattr(viewset, option, None)
        if _per_request(declared):
            continue  # a property: known per request only
        messages += _check_permission_classes(
            f"{label}.{option}",
            declared,
            viewset,
            own_hook=getattr(viewset, hook) is not getattr(APIView, hook),
            option=option,
        )
    if "list" in crud.actions:
        backends = getattr(viewset, "filter_backends", None) or ()
        if not isinstance(backends, list | tuple):
            backends = ()  # a property (known per request only): not judged
        queryset = viewset.queryset if isinstance(viewset.queryset, models.QuerySet) else None
        if own_rows or not _filters_as_drf(viewset, backends):
            queryset = None  # annotations known per request only
        for backend, option, problem_of, fails, hint_of in (
            (
                OrderingFilter,
                "ordering_fields",
                _ordering_problem,
                "orders by it",
                lambda name: _VIEWSET_ORDERING_HINT,
            ),
            (
                SearchFilter,
                "search_fields",
                _search_problem,
                "searches",
                lambda name: _search_hint(None, name),
            ),
        ):
            if any(_reads_as_drf(b, backend) for b in backends):
                names = getattr(viewset, option, None)
                if not isinstance(names, str | list | tuple | set | frozenset):
                    continue  # a property, say: the names are known per request only
                if isinstance(names, str) and names != "__all__":
                    messages.append(
                        checks.Error(
                            f"{label}.{option} is the string {names!r}, which DRF's "
                            f"{backend.__name__} reads letter by letter, not as one field.",
                            hint=f"Give a list: {option} = [{names!r}].",
                            obj=viewset,
                            id="drf_graphql_crud.E006",
                        )
                    )
                    continue
                if not isinstance(names, str):  # OrderingFilter's (name, label) pairs
                    names = [n[0] if isinstance(n, list | tuple) and n else n for n in names]
                messages += _refused_paths(
                    f"{label}.{option}",
                    model,
                    names,
                    queryset,
                    viewset,
                    problem_of,
                    fails,
                    hint_of,
                )
        if any(_reads_as_drf(b, OrderingFilter) for b in backends):
            # OrderingFilter.get_default_ordering: the names as given (one string is one
            # name), unchecked against ordering_fields, for every list without orderBy.
            ordering = getattr(viewset, "ordering", None)
            ordering = (ordering,) if isinstance(ordering, str) else ordering
            if isinstance(ordering, list | tuple):
                messages += _refused_paths(
                    f"{label}.ordering",
                    model,
                    [name for name in ordering if isinstance(name, str)],
                    queryset,
                    viewset,
                    _ordering_problem,
                    "lists in the default order",
                    lambda name: _VIEWSET_ORDERING_HINT,
                )
    return messages


#: What a filter backend reads its names with: a subclass overriding any of them (an alias
#: of its own, another prefix) reads names DRF's rules cannot judge.
_NAME_READERS = {
    "OrderingFilter": (
        "get_valid_fields",
        "remove_invalid_fields",
        "get_ordering",
        "filter_queryset",
    ),
    "SearchFilter": (
        "get_search_fields",
        "construct_search",
        "filter_queryset",
        "lookup_prefixes",
        "default_lookup",  # DRF >= 3.17; before, construct_search's own "icontains"
        "must_call_distinct",
    ),
}


def _filters_as_drf(viewset: type, backends: tuple[Any, ...]) -> bool:
    """Whether the rows a viewset's ordering and search see are its queryset's as it is:
    ``filter_queryset`` is GenericAPIView's, and its backends are DRF's own or
    django-filter's, which add no annotation (another may annotate rows to order by)."""
    from rest_framework.filters import OrderingFilter, SearchFilter
    from rest_framework.generics import GenericAPIView

    known: tuple[type, ...] = (OrderingFilter, SearchFilter)
    with contextlib.suppress(ImportError):
        from django_filters.rest_framework import DjangoFilterBackend

        known = (*known, DjangoFilterBackend)
    return viewset.filter_queryset is GenericAPIView.filter_queryset and all(
        isinstance(backend, type) and issubclass(backend, known) for backend in backends
    )


def _reads_as_drf(backend: Any, base: type) -> bool:
    """Whether ``backend`` is ``base`` (DRF's OrderingFilter or SearchFilter), or a subclass
    reading its names exactly as ``base`` does."""
    return (
        isinstance(backend, type)
        and issubclass(backend, base)
        and all(
            getattr(backend, name, None) is getattr(base, name, None)
            for name in _NAME_READERS[base.__name__]
        )
    )


def _filtered(queryset: Any) -> bool:
    """Whether a class-level queryset selects some rows only (a soft delete's live ones)."""
    return isinstance(queryset, models.QuerySet) and bool(queryset.query.where)


def _unique_under_a_condition(model: type[models.Model], name: Any) -> bool:
    """Whether a conditional ``UniqueConstraint`` makes ``name`` unique among some rows (the
    live ones of a soft delete): rows a viewset's queryset may be restricted to."""
    if not isinstance(name, str):
        return False
    return any(
        isinstance(constraint, models.UniqueConstraint)
        and constraint.condition is not None
        and tuple(constraint.fields) == (name,)
        for constraint in model._meta.constraints
    )


_VIEWSET_ORDERING_HINT = (
    "List model fields (or '__' paths through relations, e.g. 'project__name'), or annotate "
    "the viewset's queryset with the name; OrderingFilter orders by the names as given."
)


def _check_request_cycle(crud: Any) -> list[checks.CheckMessage]:
    viewset = crud.viewset_class
    return [
        checks.Warning(
            f"{_label(viewset)}.{name}() is overridden, but ViewSetCrud({viewset.__name__}) "
            f"does not call it: GraphQL calls reach the viewset through the GraphQL endpoint, "
            "and ViewSetCrud runs it from initial() on.",
            hint="Move what it does into initial() (or the permission, throttle and "
            "authentication classes), which ViewSetCrud runs; request-wide work into the "
            "GraphQL endpoint (a DRFGraphQLView subclass) or middleware.",
            obj=viewset,
            id="drf_graphql_crud.W005",
        )
        for name in crud.overridden_request_methods()
    ]


def _label_mixin(action: str) -> str:
    from .viewsets import ACTION_MIXINS

    return ACTION_MIXINS[action].__qualname__


@checks.register("drf_graphql_crud")
def check_drf_graphql_crud(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from .mutations import mutation_classes
    from .queries import read_fields
    from .types import node_types
    from .viewsets import viewset_cruds

    messages: list[checks.CheckMessage] = [
        *_check_settings(),
        *_import_schema(),
        *_check_foreign_types(),
    ]
    for mutation in mutation_classes:
        messages += _check_mutation_lookup(mutation)
        messages += _check_nested_writes(mutation)
        messages += _check_save_methods(mutation)
        messages += _check_mutation_permissions(mutation)
    for field in read_fields:
        messages += _check_read_field(field)
    for node_type in node_types:
        owner = f"{_label(node_type)}.Meta.permission_classes"
        messages += _check_permission_classes(owner, node_type._meta.permission_classes, node_type)
    checked = set()
    for crud in viewset_cruds:
        if crud.viewset_class not in checked:  # one warning per viewset, however often exposed
            checked.add(crud.viewset_class)
            messages += _check_viewset_crud(crud)
            messages += _check_viewset_saves(crud)
            messages += _check_viewset_declarations(crud)
            messages += _check_request_cycle(crud)
    messages += _check_collisions()
    messages += _check_served_schemas()
    messages += _check_crud_names()
    messages += _check_graphiql_pages()
    return messages
