"""
Read fields built from serializers: ``RetrieveField`` and ``ListField``.
"""

from __future__ import annotations

from typing import Any

import graphene

__all__ = ["list_output_type"]

_list_types: dict[Any, type[graphene.ObjectType]] = {}


def list_output_type(output_type: type[graphene.ObjectType]) -> type[graphene.ObjectType]:
    """``{ totalCount: Int!, results: [<X>Output!]! }``, one per output type: ``<X>OutputList``.

    Resolvers return a dict ``{"total_count": int, "results": [representation, ...]}``.
    """
    if output_type not in _list_types:
        _list_types[output_type] = type(
            f"{output_type._meta.name}List",
            (graphene.ObjectType,),
            {
                "__module__": __name__,
                "__doc__": f"One page of {output_type._meta.name} and the number of all matches.",
                "total_count": graphene.Field(
                    graphene.NonNull(graphene.Int), description="Matches before limit/offset."
                ),
                "results": graphene.Field(
                    graphene.NonNull(graphene.List(graphene.NonNull(output_type)))
                ),
            },
        )
    return _list_types[output_type]
