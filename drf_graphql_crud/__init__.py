"""
drf_graphql_crud: a Django REST Framework serializer as the single source of truth for a
GraphQL API on graphene-django.

Add ``"drf_graphql_crud"`` to ``INSTALLED_APPS`` (for the system checks) and import the
public names from here. They are loaded on first access, so that Django can import this
package while it populates the app registry, before DRF and the models are importable.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "SerializerMutation": "mutations",
    "CreateMutation": "mutations",
    "UpdateMutation": "mutations",
    "DeleteMutation": "mutations",
    "BulkCreateMutation": "mutations",
    "SerializerObjectType": "types",
    "SerializerInputObjectType": "types",
    "convert_serializer_field": "converter",
    "RetrieveField": "queries",
    "ListField": "queries",
    "nested_id_errors": "nested",
    "query_hints": "queries",
    "DRFGraphQLView": "views",
    "SerializedExecutionContext": "execution",
    "ViewSetCrud": "viewsets",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover
    from .converter import convert_serializer_field
    from .execution import SerializedExecutionContext
    from .mutations import (
        BulkCreateMutation,
        CreateMutation,
        DeleteMutation,
        SerializerMutation,
        UpdateMutation,
    )
    from .nested import nested_id_errors
    from .queries import ListField, RetrieveField, query_hints
    from .types import SerializerInputObjectType, SerializerObjectType
    from .views import DRFGraphQLView
    from .viewsets import ViewSetCrud


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'drf_graphql_crud' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
