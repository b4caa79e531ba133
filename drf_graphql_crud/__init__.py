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

# Written out, not computed, for type checkers (PEP 561: a computed __all__ exports nothing).
__all__ = [
    "BulkCreateMutation",
    "CreateMutation",
    "DRFGraphQLView",
    "DeleteMutation",
    "ListField",
    "RetrieveField",
    "SerializedExecutionContext",
    "SerializerInputObjectType",
    "SerializerMutation",
    "SerializerObjectType",
    "UpdateMutation",
    "ViewSetCrud",
    "convert_serializer_field",
    "nested_id_errors",
    "query_hints",
]

if TYPE_CHECKING:  # pragma: no cover - what type checkers see; at run time, __getattr__
    from .converter import convert_serializer_field as convert_serializer_field
    from .execution import SerializedExecutionContext as SerializedExecutionContext
    from .mutations import BulkCreateMutation as BulkCreateMutation
    from .mutations import CreateMutation as CreateMutation
    from .mutations import DeleteMutation as DeleteMutation
    from .mutations import SerializerMutation as SerializerMutation
    from .mutations import UpdateMutation as UpdateMutation
    from .nested import nested_id_errors as nested_id_errors
    from .queries import ListField as ListField
    from .queries import RetrieveField as RetrieveField
    from .queries import query_hints as query_hints
    from .types import SerializerInputObjectType as SerializerInputObjectType
    from .types import SerializerObjectType as SerializerObjectType
    from .views import DRFGraphQLView as DRFGraphQLView
    from .viewsets import ViewSetCrud as ViewSetCrud
else:
    # Hidden from type checkers, which would read any misspelt name as one of ours.

    def __getattr__(name: str) -> Any:
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module 'drf_graphql_crud' has no attribute {name!r}")
        value = getattr(import_module(f".{module}", __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
