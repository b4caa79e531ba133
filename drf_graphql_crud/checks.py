"""
System checks: misconfiguration reported at start-up (``manage.py check``, ``runserver``,
the test runner), with what to change, instead of a stack trace at request time.

=====================  ==================================================================
``drf_graphql_crud.E001``  ``Meta.serializer_class`` is not a DRF serializer class (raised
                           when the mutation class is defined, with this id).
``drf_graphql_crud.E002``  ``Meta.lookup_field`` is not a unique field of the model.
``drf_graphql_crud.E003``  two serializers, or two sets of choices, want one GraphQL type
                           name.
``drf_graphql_crud.E004``  a writable nested serializer inside a ``ModelSerializer`` whose
                           ``create()``/``update()`` cannot write it (DRF would raise at
                           save time).
``drf_graphql_crud.E005``  the GraphQL schema named in ``GRAPHENE["SCHEMA"]`` cannot be
                           imported.
``drf_graphql_crud.W001``  an unknown key in ``settings.DRF_GRAPHQL_CRUD``.
``drf_graphql_crud.W002``  a viewset given to ``ViewSetCrud`` overrides an action method
                           (``create()``, ``update()``, ...) that ``ViewSetCrud`` does not
                           call: it runs the mixin's steps with the viewset's hooks.
=====================  ==================================================================
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.module_loading import import_string
from rest_framework import serializers

from .settings import DEFAULTS, SETTINGS_NAME


def _label(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def serializer_class_error(owner: type, serializer_class: Any) -> checks.Error:
    return checks.Error(
        f"{_label(owner)}.Meta.serializer_class is {serializer_class!r}, not a DRF serializer "
        "class.",
        hint="Point it at a rest_framework.serializers.Serializer subclass (the class, not "
        "an instance).",
        obj=owner,
        id="drf_graphql_crud.E001",
    )


def _is_unique(model: type[models.Model], field_name: str) -> bool:
    if field_name == "pk":
        return True
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return False
    if getattr(field, "unique", False):
        return True
    return any(
        isinstance(constraint, models.UniqueConstraint)
        and tuple(constraint.fields) == (field_name,)
        and constraint.condition is None
        for constraint in model._meta.constraints
    )


def _check_lookup(mutation: Any) -> list[checks.CheckMessage]:
    meta = mutation._meta
    if not meta.lookup_field or meta.model is None or _is_unique(meta.model, meta.lookup_field):
        return []
    return [
        checks.Error(
            f"{_label(mutation)}.Meta.lookup_field {meta.lookup_field!r} is not a unique field "
            f"of {meta.model._meta.label}: a lookup could match several rows.",
            hint="Use the primary key or a field with unique=True (or a single-field "
            "UniqueConstraint without a condition).",
            obj=mutation,
            id="drf_graphql_crud.E002",
        )
    ]


def _writes_nested_by_default(serializer_class: type, method: str) -> bool:
    return getattr(serializer_class, method) is getattr(serializers.ModelSerializer, method)


def _check_nested_writes(mutation: Any) -> list[checks.CheckMessage]:
    from .types import instantiate

    serializer_class = mutation._meta.serializer_class
    if (
        serializer_class is None
        or not mutation.takes_input
        or not issubclass(serializer_class, serializers.ModelSerializer)
    ):
        return []
    method = "update" if mutation._meta.lookup_field else "create"
    if not _writes_nested_by_default(serializer_class, method):
        return []
    try:
        fields = instantiate(serializer_class).fields
    except Exception:  # reported when the types are built
        return []
    errors = []
    for name, field in fields.items():
        if isinstance(field, serializers.BaseSerializer) and not field.read_only:
            errors.append(
                checks.Error(
                    f"{_label(serializer_class)}.{name} is a writable nested serializer, but "
                    f"{serializer_class.__name__}.{method}() is ModelSerializer's, which "
                    f"refuses nested writes: {_label(mutation)} would fail on every call "
                    "that sends it.",
                    hint="Use drf_writable_nested.WritableNestedModelSerializer, write "
                    f"{method}() yourself, or declare the nested field read_only=True.",
                    obj=mutation,
                    id="drf_graphql_crud.E004",
                )
            )
    return errors


def _check_collisions() -> list[checks.CheckMessage]:
    from .types import registry

    seen = set()
    errors = []
    for collision in registry.collisions:
        if collision in seen:
            continue
        seen.add(collision)
        errors.append(
            checks.Error(
                f"GraphQL type name {collision.name!r} is wanted by {collision.first} and by "
                f"{collision.second}; the second would silently get the first one's type.",
                hint="Give one serializer Meta.graphql_name = '...' (or set "
                "input_type_name/output_type_name on the mutation's Meta).",
                id="drf_graphql_crud.E003",
            )
        )
    return errors


def _import_schema() -> list[checks.CheckMessage]:
    path = getattr(settings, "GRAPHENE", {}).get("SCHEMA")
    if not path:
        return []
    try:
        import_string(path)
    except Exception as exc:
        return [
            checks.Error(
                f"The GraphQL schema {path!r} cannot be imported: {exc.__class__.__name__}: {exc}",
                hint="Fix the error above; mutation classes are checked when they are defined.",
                id="drf_graphql_crud.E005",
            )
        ]
    return []


def _check_settings() -> list[checks.CheckMessage]:
    user = getattr(settings, SETTINGS_NAME, None) or {}
    return [
        checks.Warning(
            f"Unknown key {key!r} in settings.{SETTINGS_NAME}.",
            hint=f"Known keys: {', '.join(sorted(DEFAULTS))}.",
            id="drf_graphql_crud.W001",
        )
        for key in user
        if key not in DEFAULTS
    ]


#: What ViewSetCrud runs instead of each action method, for W002's hint.
_ACTION_STEPS = {
    "create": "get_serializer(), then perform_create()",
    "update": "get_object(), get_serializer(), then perform_update()",
    "partial_update": "get_object(), get_serializer(partial=True), then perform_update()",
    "destroy": "get_object(), then perform_destroy()",
    "retrieve": "get_object(), then get_serializer()",
    "list": "get_queryset(), filter_queryset(), paginate_queryset(), then get_serializer()",
}


def _check_viewset_crud(crud: Any) -> list[checks.CheckMessage]:
    viewset = crud.viewset_class
    return [
        checks.Warning(
            f"{_label(viewset)}.{action}() is overridden, but ViewSetCrud({viewset.__name__}) "
            f"does not call it: GraphQL runs {_ACTION_STEPS[action]}, as "
            f"{_label_mixin(action)}.{action}() does, and skips the custom code.",
            hint=f"Move the custom code into the hooks ViewSetCrud runs "
            f"({_ACTION_STEPS[action]}), or write that operation as its own mutation or field.",
            obj=viewset,
            id="drf_graphql_crud.W002",
        )
        for action in crud.overridden_actions()
    ]


def _label_mixin(action: str) -> str:
    from .viewsets import ACTION_MIXINS

    return ACTION_MIXINS[action].__qualname__


@checks.register("drf_graphql_crud")
def check_drf_graphql_crud(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from .mutations import mutation_classes
    from .viewsets import viewset_cruds

    messages: list[checks.CheckMessage] = [*_check_settings(), *_import_schema()]
    for mutation in mutation_classes:
        messages += _check_lookup(mutation)
        messages += _check_nested_writes(mutation)
    checked = set()
    for crud in viewset_cruds:
        if crud.viewset_class not in checked:  # one warning per viewset, however often exposed
            checked.add(crud.viewset_class)
            messages += _check_viewset_crud(crud)
    messages += _check_collisions()
    return messages
