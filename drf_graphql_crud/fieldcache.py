"""
A ``ModelSerializer``'s fields built once per class and deep-copied for each instance.

DRF builds a ``ModelSerializer``'s fields anew for every instance: ``get_fields()`` inspects
the model, maps each model field to a serializer field and instantiates it, ~150 µs for a
ten-field serializer, a tenth of a small mutation. When a class builds its fields the
standard way (``ModelSerializer``'s own ``get_fields`` and every hook it calls, nothing on
the instance that they read), the result depends on the class alone. The library then
builds it once and gives each serializer it creates deep copies, which is how DRF itself
gives every instance its declared fields (``Field.__deepcopy__`` instantiates the field
again from the arguments it was built with). Anything else (a serializer overriding
``get_fields`` or a ``build_*`` hook, one whose ``Meta`` or declared fields changed since,
fields already built by ``__init__``, a change of ``REST_FRAMEWORK`` settings) builds its
fields as DRF does.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from django.core.signals import setting_changed
from rest_framework import serializers
from rest_framework.serializers import BindingDict
from rest_framework.settings import api_settings

__all__ = ["prebuild_fields"]

#: The methods ``ModelSerializer.get_fields`` runs; overriding any of them may make the
#: fields depend on the instance (its context, its instance, its arguments).
_HOOKS = (
    "get_fields",
    "get_field_names",
    "get_default_field_names",
    "build_field",
    "build_standard_field",
    "build_relational_field",
    "build_nested_field",
    "build_property_field",
    "build_url_field",
    "build_unknown_field",
    "include_extra_kwargs",
    "get_extra_kwargs",
    "get_uniqueness_extra_kwargs",
    "get_unique_together_constraints",
    "_get_model_fields",
)
#: What those methods read from ``self``; set on an instance, it is not the class's alone.
_READ_FROM_SELF = frozenset(
    {
        "fields",
        "Meta",
        "_declared_fields",
        "url_field_name",
        "serializer_field_mapping",
        "serializer_related_field",
        "serializer_related_to_field",
        "serializer_url_field",
        "serializer_choice_field",
    }
)

_standard: dict[type, bool] = {}
#: Per class: (what the fields were built from, the unbound fields).
_prototypes: dict[type, tuple[Any, dict[str, Any]]] = {}
_lock = threading.Lock()


def _builds_standard_fields(serializer_class: type) -> bool:
    standard = _standard.get(serializer_class)
    if standard is None:
        model_serializer = serializers.ModelSerializer
        standard = issubclass(serializer_class, model_serializer) and all(
            getattr(serializer_class, name, None) is getattr(model_serializer, name)
            for name in _HOOKS
        )
        _standard[serializer_class] = standard
    return standard


def prebuild_fields(serializer: serializers.BaseSerializer) -> serializers.BaseSerializer:
    """Give ``serializer`` (or a list serializer's child) its class's fields, deep-copied.

    Returns ``serializer``; one that does not qualify is left to build its own fields.
    """
    target = serializer.child if isinstance(serializer, serializers.ListSerializer) else serializer
    serializer_class = type(target)
    if not _builds_standard_fields(serializer_class) or not _READ_FROM_SELF.isdisjoint(
        vars(target)
    ):
        return serializer
    state = _class_state(serializer_class)
    entry = _prototypes.get(serializer_class)
    if entry is not None and entry[0] == state:
        if target.url_field_name is None:  # what get_fields() sets on the instance
            target.url_field_name = api_settings.URL_FIELD_NAME
        built = {name: copy.deepcopy(field) for name, field in entry[1].items()}
    else:
        try:
            built = target.get_fields()  # DRF's own build, for this instance as usual
        except Exception:
            return serializer  # DRF raises it again where it builds the fields
        with _lock:
            _prototypes[serializer_class] = (
                state,
                {name: copy.deepcopy(field) for name, field in built.items()},
            )
    fields = BindingDict(target)
    for name, field in built.items():
        fields[name] = field
    target.__dict__["fields"] = fields  # DRF's cached_property, as if computed
    return serializer


def _class_state(serializer_class: type) -> list[Any]:
    """What ``get_fields`` reads from the class: ``Meta`` (with its bases) and declared fields.

    Compared by value with the state the prototype was built from, so a ``Meta`` changed
    at run time (tests do that) builds new fields. Containers are copied, what they hold
    is kept as is (compared with ``==``, which for most objects is identity).
    """
    meta = serializer_class.Meta  # type: ignore[attr-defined]
    state: list[Any] = [
        (klass, name, _copied(value))
        for klass in meta.__mro__[:-1]
        for name, value in vars(klass).items()
        if not name.startswith("__")
    ]
    state.append(list(serializer_class._declared_fields.items()))  # type: ignore[attr-defined]
    return state


def _copied(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: _copied(item) for key, item in value.items()}
    if kind in (list, tuple, set, frozenset):
        return kind(_copied(item) for item in value)
    return value


def clear() -> None:
    """Forget every prototype (DRF's settings changed)."""
    _prototypes.clear()


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "REST_FRAMEWORK":
        clear()


setting_changed.connect(_settings_changed)
