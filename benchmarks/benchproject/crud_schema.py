"""``ViewSetCrud`` over the REST viewsets themselves: the same code path REST runs.

Optional: built only when ``from drf_graphql_crud import ViewSetCrud`` works and the
schema builds; ``schema`` is ``None`` otherwise and ``unavailable`` says why, so the
harness can report the flavour as missing instead of failing.
"""

from __future__ import annotations

from typing import Any

schema: Any = None
unavailable: str | None = None

try:
    import graphene

    from drf_graphql_crud import ViewSetCrud

    from .rest import NestedTaskViewSet, TaskViewSet

    task_crud = ViewSetCrud(TaskViewSet, name="task")
    nested_crud = ViewSetCrud(NestedTaskViewSet, name="nestedTask")

    class Query(task_crud.Query, graphene.ObjectType):
        pass

    class Mutation(task_crud.Mutation, nested_crud.Mutation, graphene.ObjectType):
        pass

    schema = graphene.Schema(query=Query, mutation=Mutation)
except Exception as exc:  # not written yet, or its API changed: report, do not fail
    unavailable = f"{type(exc).__name__}: {exc}"
