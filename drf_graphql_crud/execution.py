"""
``SerializedExecutionContext``: graphql-core's executor, cheaper on already-serialized data.

Every read field and mutation of this library resolves to the serializer's
``to_representation`` output: dicts and lists of plain values (``str``, ``int``,
``float``, ``bool``, ``None``) keyed by the serializer's field names, already restricted to
the selected fields. graphql-core nevertheless completes each value of each row in full: a
path entry, a ``GraphQLResolveInfo``, argument coercion, the default resolver
(``dict.get``), awaitable checks, then ``serialize`` or a sub-selection. For a list of 100
rows that bookkeeping costs more than the serializer.

This context completes such data directly, and only where doing so cannot change the
answer. A field qualifies when it has graphene's default resolver (or is a Relay node's ``id``,
graphene's ``GlobalID`` over that resolver) and no arguments, and its
type is a scalar, an enum, a list of qualifying values or an object type (no
``is_type_of``) whose selected fields all qualify (``__typename`` included). Such a subtree
only reads dicts and serializes scalars, so it has no side effects. It is completed in one
pass from a plan built once per selection; on anything unusual (a ``None`` where the type is
non-null, a value that is not a ``dict``, ``list`` or plain scalar, a ``serialize`` that
raises or returns nothing) the pass is abandoned and graphql-core completes the field
itself, from the same data, producing the same value or the same errors with their paths.
Field order, nulls and errors are therefore identical; only the bookkeeping is skipped.
Values that ``serialize`` would return unchanged (a ``str`` for ``String``, ``ID`` or this
library's text scalars, a ``bool`` for ``Boolean``, an in-range ``int`` for ``Int``...) are
taken as they are, and an enum's names are remembered per value.
No shortcut is taken when middleware is installed (it must see every resolver call) or when
the source is not a ``dict``.

Plans, and the subfields graphql-core collects below an object, are also shared between
requests: ``DRFGraphQLView`` hands graphql-core the same parsed document for a repeated
operation (its document cache), so the same field nodes come back, and both are functions of
the schema type, those nodes and the document's fragment definitions alone (all three are in
the key), except where a ``@skip``/``@include`` below them may depend on variables: those
stay per request.

Variables are coerced the same way, from a plan made once per operation: a repeated
operation's values (``{"id": "5"}`` into ``ID!``, an input object into its type) are checked
and converted by functions made for its variable types, with graphql-core's results (the
same ``parse_value`` calls, defaults, out names and input containers); on anything else (a
value it would refuse, a default to compute, an unknown key) graphql-core coerces the
variables itself, giving its errors.

``DRFGraphQLView`` runs an operation through ``execute_document``: where the operation's
selection is one of the library's own root fields (a mutation, a read), everything
graphql-core works out per request from the document alone (the context, the root field,
its definition and info, the completer of its answer) is worked out once per operation,
and graphql-core completes the operation itself whenever the answer could differ.

``DRFGraphQLView`` uses it by default; a view given its own ``execution_context_class``
uses that one instead. graphene-django's ``GraphQLView`` takes it as
``execution_context_class=SerializedExecutionContext``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from contextvars import ContextVar
from copy import copy
from dataclasses import dataclass
from functools import partial
from math import isfinite
from types import SimpleNamespace
from typing import Any, TypeVar

from django.db import models
from graphene.relay.node import GlobalID
from graphene.types.resolver import dict_or_attr_resolver
from graphql import (
    DocumentNode,
    ExecutionContext,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    Undefined,
    execute,
    get_argument_values,
    is_input_type,
    is_leaf_type,
    located_error,
    type_from_ast,
    value_from_ast,
)
from graphql.execution.execute import get_field_def, invalid_return_type_error
from graphql.pyutils import Path
from graphql.type.scalars import (
    serialize_boolean,
    serialize_float,
    serialize_id,
    serialize_int,
    serialize_string,
)

from .scalars import TEXT_SCALAR_SERIALIZE

__all__ = ["SerializedExecutionContext", "direct_resolver", "execute_document"]

#: Values completed directly: never awaitable, serialized by every scalar without surprises.
_PLAIN_TYPES = frozenset({str, int, float, bool})

Completer = Callable[[Any], Any]
#: Per selected field: response name, field nodes, and ``(key, default, completer)`` when
#: the field can be completed directly, else ``None`` (graphql-core completes it).
_Plan = list[tuple[str, list[FieldNode], tuple[str, Any, Any, Completer] | None]]


#: The serializer class of each of the library's output types, by GraphQL type (None: none).
_type_serializers: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _rendering_serializer(return_type: GraphQLObjectType) -> Any:
    """The serializer whose output ``return_type`` shows (a ``SerializerObjectType``'s)."""
    try:
        return _type_serializers[return_type]
    except KeyError:
        pass
    from .types import SerializerObjectTypeOptions  # types builds on graphene, as this does

    meta = getattr(getattr(return_type, "graphene_type", None), "_meta", None)
    found = meta.serializer_class if isinstance(meta, SerializerObjectTypeOptions) else None
    _type_serializers[return_type] = found
    return found


def _rendered(serializer_class: Any, row: Any, info: Any) -> Any:
    """``row`` as ``serializer_class`` renders it for a read, with a read's context: the
    request, and a view of the ``retrieve`` action (no operation of the library's is
    behind it: the request's own, its URL kwargs none)."""
    from .fieldcache import prebuild_fields
    from .permissions import drf_request

    request = drf_request(info.context)
    view = SimpleNamespace(
        action="retrieve", request=request, args=(), kwargs={}, format_kwarg=None
    )
    context = {"request": request, "format": None, "view": view, "info": info}
    return prebuild_fields(serializer_class(row, context=context), reading=True).data


class _Fallback(Exception):  # noqa: N818 - a signal, not an error
    """The data is not what a direct completion handles: let graphql-core complete it."""


class SerializedExecutionContext(ExecutionContext):
    """graphql-core's ``ExecutionContext`` that completes dict-backed data directly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        planned = _planned.get()
        if planned is not None:  # build() below: the operation and its values, from the start
            if len(args) >= 6:  # graphql-core passes them by position
                args = (*args[:4], *planned, *args[6:])
            else:
                kwargs["operation"], kwargs["variable_values"] = planned
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._direct = manager is None or not manager.middlewares
        # graphql-core caches collected fields per object type and field nodes, so one
        # row's plan serves every row of a list; the plan keeps `fields` alive so that its
        # id stays unique while cached.
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[Any, _Plan]] = {}
        # The same for whole values (a read's rows, a mutation's payload), by field nodes.
        self._completers: dict[tuple[GraphQLOutputType, int], tuple[Any, Any]] = {}
        self._plan_shareable = True
        # Shared entries also depend on the document's fragment definitions: the same field
        # nodes may sit in a document whose fragment F differs (an AST transformed and
        # reused), so their ids are part of every shared key, and the entries hold them.
        self._fragment_nodes = tuple(self.fragments.values())
        self._fragments_key = tuple(map(id, self._fragment_nodes))

    @classmethod
    def build(
        cls,
        schema: GraphQLSchema,
        document: DocumentNode,
        root_value: Any = None,
        context_value: Any = None,
        raw_variable_values: dict[str, Any] | None = None,
        operation_name: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """graphql-core's, with a repeated operation's variables coerced by its plan.

        graphql-core then builds the context from the operation without its variable
        definitions (nothing left to coerce), and the context is made (``__init__``, a
        subclass's too) with the operation and the values.
        """
        fast = _coerced_variables(schema, document, operation_name, raw_variable_values)
        if fast is None:
            return super().build(
                schema, document, root_value, context_value, raw_variable_values,
                operation_name, *args, **kwargs,
            )  # fmt: skip
        plan, values = fast
        token = _planned.set((plan.operation, values))
        try:
            return super().build(
                schema, plan.document, root_value, context_value, None, operation_name,
                *args, **kwargs,
            )  # fmt: skip
        finally:
            _planned.reset(token)

    def handle_field_error(self, error: Any, return_type: Any, *args: Any) -> None:
        """graphql-core's, and in a mutation document the failure noted on the request, as
        the library's mutations note their own (``flag_failure``): a payload value its type
        cannot hold fails after the mutation returned, and graphene-django's own view undoes
        an ``ATOMIC_MUTATIONS`` transaction only on that note (``DRFGraphQLView`` on any
        error)."""
        if self.operation.operation == OperationType.MUTATION:
            from .mutations import flag_failed_operation  # mutations imports this module

            flag_failed_operation(self.context_value, self.operation)
        super().handle_field_error(error, return_type, *args)  # 3.2.14+ adds the path

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        fields: dict[str, list[FieldNode]],
    ) -> Any:
        if not (self._direct and isinstance(source_value, dict)):
            return super().execute_fields(parent_type, source_value, path, fields)
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        for response_name, field_nodes, direct in self._plan(parent_type, fields):
            if direct is not None:
                key, default_value, _, complete = direct
                try:
                    results[response_name] = complete(source_value.get(key, default_value))
                    continue
                except Exception:  # _Fallback, or a dict subclass's own get() failing
                    pass  # the subtree is side-effect free: complete it again below
            result = self.execute_field(
                parent_type, source_value, field_nodes, Path(path, response_name, parent_type.name)
            )
            if result is not Undefined:
                results[response_name] = result
                if self.is_awaitable(result):
                    awaitable_fields.append(response_name)
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:  # as graphql-core gathers them
            from asyncio import gather

            awaited = await gather(*(results[name] for name in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_nodes: list[FieldNode],
        info: Any,
        path: Path,
        result: Any,
    ) -> Any:
        """graphql-core's, in one pass where a resolver's answer is serializer output.

        A read's rows or a mutation's payload are completed by the same direct completers
        as the fields below them, without graphql-core's per-row bookkeeping (a path, then
        the object's fields collected and planned, for each of a list's rows). On anything
        they do not reproduce, graphql-core completes the value, from the same data.
        """
        if self._direct and isinstance(result, dict | list):
            complete = self._value_completer(return_type, field_nodes)
            if complete is not None:
                try:
                    return complete(result)
                except Exception:  # _Fallback, or a dict subclass's own get() failing
                    pass  # the value is side-effect free to complete: again, below
        return super().complete_value(return_type, field_nodes, info, path, result)

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_nodes: list[FieldNode],
        info: Any,
        path: Path,
        result: Any,
    ) -> Any:
        """graphql-core's, where a serializer's output type is handed a row rather than the
        serializer's output (a graphene-django type's resolver returning the model, or a
        project's own): the row is rendered by the serializer first, as REST renders it,
        so the type's fields hold its output (a relation's key, a method field's value),
        not the row's attributes."""
        serializer_class = _rendering_serializer(return_type)
        if serializer_class is None or not isinstance(result, models.Model):
            return super().complete_object_value(return_type, field_nodes, info, path, result)
        if return_type.is_type_of:  # asked of the row itself, as graphql-core asks it
            is_type_of = return_type.is_type_of(result, info)
            if self.is_awaitable(is_type_of):
                return super().complete_object_value(return_type, field_nodes, info, path, result)
            if not is_type_of:
                raise invalid_return_type_error(return_type, result, field_nodes)
        rendered = _rendered(serializer_class, result, info)
        subfields = self.collect_subfields(return_type, field_nodes)
        return self.execute_fields(return_type, rendered, path, subfields)

    def collect_subfields(
        self, return_type: GraphQLObjectType, field_nodes: list[FieldNode]
    ) -> dict[str, list[FieldNode]]:
        """graphql-core's, shared between requests where no directive is evaluated.

        Without ``@skip``/``@include`` below them, the subfields are a function of the type
        and the field nodes (and their document's fragments) alone, as plans are.
        """
        key = self._subfields_key(return_type, field_nodes)
        shared = _shared_subfields.get(key)
        if shared is not None:
            return shared[1]
        subfields = super().collect_subfields(return_type, field_nodes)
        if not any(_has_directives(node.selection_set, self.fragments) for node in field_nodes):
            # The entry holds the nodes, so their ids are not reused while it exists.
            held = (*field_nodes, *self._fragment_nodes)
            _shared_subfields.put(key, (held, subfields), held)
        return subfields

    def _subfields_key(self, return_type: GraphQLObjectType, field_nodes: list[FieldNode]) -> tuple:
        return (return_type, *map(id, field_nodes), *self._fragments_key)

    # ------------------------------------------------------------------ plans

    def _plan(self, parent_type: GraphQLObjectType, fields: dict[str, list[FieldNode]]) -> _Plan:
        key = (parent_type, id(fields))
        cached = self._plans.get(key)
        if cached is not None and cached[0] is fields:
            return cached[1]
        nodes = tuple(node for field_nodes in fields.values() for node in field_nodes)
        # The shared entry holds the nodes, so their ids are not reused while it exists.
        shared_key = (parent_type, *map(id, nodes), *self._fragments_key)
        shared = _shared_plans.get(shared_key)
        if shared is not None:
            plan = shared[1]
        else:
            self._plan_shareable = True
            plan = [
                (response_name, field_nodes, self._direct_field(parent_type, field_nodes))
                for response_name, field_nodes in fields.items()
            ]
            if self._plan_shareable:
                # The entry holds the nodes, so their ids are not reused while it exists.
                held = (*nodes, *self._fragment_nodes)
                _shared_plans.put(shared_key, (held, plan), held)
        self._plans[key] = (fields, plan)
        return plan

    def _value_completer(
        self, return_type: GraphQLOutputType, field_nodes: list[FieldNode]
    ) -> Completer | None:
        """``_completer``'s, made once per type and field nodes, and shared as plans are."""
        key = (return_type, id(field_nodes))
        cached = self._completers.get(key)
        if cached is not None and cached[0] is field_nodes:
            return cached[1]
        # The shared entry holds the nodes, so their ids are not reused while it exists.
        shared_key = (_VALUE, return_type, *map(id, field_nodes), *self._fragments_key)
        shared = _shared_plans.get(shared_key)
        if shared is not None:
            complete = shared[1]
        else:
            self._plan_shareable = True
            complete = self._completer(return_type, field_nodes)
            if self._plan_shareable:
                held = (*field_nodes, *self._fragment_nodes)
                _shared_plans.put(shared_key, (held, complete), held)
        self._completers[key] = (field_nodes, complete)
        return complete

    def _direct_field(
        self, parent_type: GraphQLObjectType, field_nodes: list[FieldNode]
    ) -> tuple[str, Any, dict[type, Any] | None, Completer] | None:
        """``(dict key, default, pass-through table, completer)`` or ``None``.

        ``None`` unless the field has graphene's default resolver (a dict lookup).
        """
        if field_nodes[0].name.value == "__typename":
            # What graphql-core's __typename resolver gives.
            return "", None, None, _constant(parent_type.name)
        field_def = get_field_def(self.schema, parent_type, field_nodes[0])
        if field_def is None or field_def.args:
            return None
        resolve = field_def.resolve
        global_id = _global_id_resolver(resolve)
        if global_id is not None:
            # A Relay node's `id`: the global ID of what the default resolver reads.
            leaf = self._completer(field_def.type, field_nodes)
            if leaf is None:
                return None
            (key, default_value), node, type_name = global_id
            return key, default_value, None, _global_id(node, type_name or parent_type.name, leaf)
        if not _default_resolver(resolve):
            return None
        complete = self._completer(field_def.type, field_nodes)
        if complete is None:
            return None
        key, default_value = resolve.args
        return key, default_value, pass_through_table(field_def.type), complete

    def _completer(
        self, return_type: GraphQLOutputType, field_nodes: list[FieldNode], non_null: bool = False
    ) -> Completer | None:
        """A function completing a value of ``return_type`` as graphql-core would, or None.

        It raises ``_Fallback`` on any value whose completion it does not reproduce exactly,
        a ``None`` in a non-null position included.
        """
        if isinstance(return_type, GraphQLNonNull):
            return self._completer(return_type.of_type, field_nodes, non_null=True)
        if isinstance(return_type, GraphQLList):
            inner = self._completer(return_type.of_type, field_nodes)
            return None if inner is None else _list(inner, non_null)
        if isinstance(return_type, GraphQLEnumType):
            return _leaf(return_type.serialize, non_null, memo={})
        if is_leaf_type(return_type):
            return _leaf(return_type.serialize, non_null)  # type: ignore[union-attr]
        if isinstance(return_type, GraphQLObjectType) and return_type.is_type_of is None:
            entries = []
            try:
                subfields = self.collect_subfields(return_type, field_nodes)
            except Exception:
                # A directive's variable this request cannot use (``@include(if: $x)`` with
                # ``x: null``): graphql-core raises it only where it completes a value of
                # this type, on that field's path, and not at all under a null.
                self._plan_shareable = False
                return None
            if self._subfields_key(return_type, field_nodes) not in _shared_subfields:
                self._plan_shareable = False  # collected per request: may depend on variables
            for response_name, sub_nodes in subfields.items():
                direct = self._direct_field(return_type, sub_nodes)
                if direct is None:
                    return None
                entries.append((response_name, *direct))
            return _object(entries, non_null)
        return None  # interfaces and unions: graphql-core resolves the runtime type


class NodeCache(dict):
    """What requests share about a parsed document, keyed by the ids of its syntax nodes.

    Each entry holds the nodes it was made from (so their ids are not reused while it
    lives), and with them their part of the syntax tree: about 120 bytes per character of
    the document they span; and, through each node's location, the whole text of its
    document (a comment, an unused fragment included), counted once in the cache with the
    first entry that keeps it. So the cache is bounded in entries and in those characters;
    when either bound is reached it starts over (more distinct selections than an
    application sends, or a client sending large documents to fill it).
    """

    def __init__(self, max_entries: int = 1024, max_characters: int = 500_000) -> None:
        super().__init__()
        self.max_entries = max_entries
        self.max_characters = max_characters
        self.characters = 0
        #: The ids of the document texts counted since the cache last started over.
        self._texts: set[int] = set()

    def put(self, key: Any, value: Any, nodes: tuple[Node, ...]) -> None:
        if key in self:  # a new value for the same nodes (ids in the key), counted already
            self[key] = value
            return
        located = [node.loc for node in nodes if node.loc is not None]
        texts = {id(loc.source): len(loc.source.body) for loc in located}
        size = sum(loc.end - loc.start for loc in located) + sum(texts.values())
        if size > self.max_characters:
            return  # never kept: no reason to drop what is
        new = size - sum(length for text, length in texts.items() if text in self._texts)
        if len(self) >= self.max_entries or self.characters + new > self.max_characters:
            self.clear()
            new = size
        self[key] = value
        self._texts.update(texts)  # alive while this entry holds its nodes: ids not reused
        self.characters += new

    def clear(self) -> None:
        super().clear()
        self.characters = 0
        self._texts = set()


#: Plans shared by all requests, by schema type and the ids of the field nodes they cover
#: and of the document's fragment definitions; and whole values' completers, by the same
#: key after ``_VALUE``.
_shared_plans = NodeCache()
_VALUE = object()
#: Collected subfields shared by all requests, by the same key as plans.
Subfields = dict[str, list[FieldNode]]
_shared_subfields = NodeCache()


def _has_directives(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: set[str] | None = None,
) -> bool:
    """Whether collecting this selection set's fields evaluates any directive."""
    if selection_set is None:
        return False
    seen = set() if seen is None else seen
    for selection in selection_set.selections:
        if selection.directives:
            return True
        if isinstance(selection, InlineFragmentNode):
            if _has_directives(selection.selection_set, fragments, seen):
                return True
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            seen.add(selection.name.value)
            fragment = fragments.get(selection.name.value)
            if fragment is not None and _has_directives(fragment.selection_set, fragments, seen):
                return True
    return False


def _int32(value: int) -> int:
    if -(2**31) <= value < 2**31:
        return value
    raise _Fallback  # graphql-core's error for a non 32-bit integer


def _finite(value: float) -> float:
    if isfinite(value):
        return value
    raise _Fallback


_ENUM_MEMO_MAX = 512

#: For graphql-core's own scalars: the Python types whose values ``serialize`` returns
#: unchanged (``None``) or converts with a cheaper function that gives the same result.
_PASS_THROUGH: dict[Callable[[Any], Any], dict[type, Callable[[Any], Any] | None]] = {
    serialize_string: {str: None},
    serialize_boolean: {bool: None},
    serialize_id: {str: None, int: str},
    serialize_int: {int: _int32},
    serialize_float: {float: _finite},
}


def pass_through_table(field_type: GraphQLOutputType | None) -> dict[type, Any] | None:
    """The pass-through table of a (non-null) builtin or text scalar field, else ``None``."""
    if isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    if not is_leaf_type(field_type):
        return None
    serialize = field_type.serialize  # type: ignore[union-attr]
    if getattr(serialize, "__func__", None) is TEXT_SCALAR_SERIALIZE:
        return {str: None}  # this library's date, time, decimal... scalars: text as is
    return _PASS_THROUGH.get(serialize)


def _default_resolver(resolve: Any) -> bool:
    """Whether ``resolve`` is graphene's default resolver: a key (or attribute) lookup."""
    return (
        isinstance(resolve, partial)
        and resolve.func is dict_or_attr_resolver
        and len(resolve.args) == 2
        and not resolve.keywords
    )


def read_key(resolve: Any) -> Any:
    """The key (or attribute) graphene's default resolver reads for a field, under a
    Relay ``GlobalID`` too; ``None`` for a resolver of the project's own."""
    global_id = _global_id_resolver(resolve)
    if global_id is not None:
        return global_id[0][0]
    return resolve.args[0] if _default_resolver(resolve) else None


def read_key_and_default(resolve: Any, global_ids: bool = True) -> tuple[Any, Any] | None:
    """``read_key``'s key with the default graphene's resolver gives where it is missing
    (a field's ``default_value``); ``None`` for a resolver of the project's own, and for a
    Relay ``GlobalID`` unless ``global_ids`` (it answers another value than it reads)."""
    global_id = _global_id_resolver(resolve) if global_ids else None
    if global_id is not None:
        return global_id[0]
    return resolve.args if _default_resolver(resolve) else None


def _global_id_resolver(resolve: Any) -> tuple[tuple[Any, Any], Any, str | None] | None:
    """``((key, default), node interface, parent type name)`` for graphene's ``GlobalID``
    resolver over the default resolver, else ``None``."""
    if not (
        isinstance(resolve, partial)
        and resolve.func is GlobalID.id_resolver
        and len(resolve.args) == 2
        and set(resolve.keywords) <= {"parent_type_name"}
        and _default_resolver(resolve.args[0])
    ):
        return None
    parent_resolver, node = resolve.args
    return parent_resolver.args, node, resolve.keywords.get("parent_type_name")


def _global_id(node: Any, type_name: str, leaf: Completer) -> Completer:
    """What ``GlobalID.id_resolver`` then the ``ID`` scalar give for a key's value."""

    def complete(value: Any) -> Any:
        try:
            encoded = node.to_global_id(type_name, value)
        except Exception:
            raise _Fallback from None  # graphql-core raises it again, with its path
        return leaf(encoded)

    return complete


def _list(inner: Completer, non_null: bool) -> Completer:
    def complete(value: Any) -> Any:
        if value is None:
            if non_null:
                raise _Fallback  # graphql-core raises the non-null error, with its path
            return None
        if not isinstance(value, list):
            raise _Fallback
        return [inner(item) for item in value]

    return complete


def _leaf(
    serialize: Callable[[Any], Any], non_null: bool, memo: dict[Any, Any] | None = None
) -> Completer:
    """Completes a scalar or enum value; ``memo`` caches an enum's names by value.

    An enum's ``serialize`` depends on the value alone (its members are fixed), so its
    result can be remembered, by type, then value (``1`` and ``True`` are equal keys).
    """

    def complete(value: Any) -> Any:
        if value is None:
            if non_null:
                raise _Fallback
            return None
        kind = type(value)
        if kind not in _PLAIN_TYPES:
            raise _Fallback
        known = memo.get(kind) if memo is not None else None
        if known is not None and value in known:
            return known[value]
        try:
            serialized = serialize(value)
        except Exception:
            raise _Fallback from None
        if serialized is None or serialized is Undefined:
            raise _Fallback
        if memo is not None:
            known = memo.setdefault(kind, {})
            if len(known) < _ENUM_MEMO_MAX:
                known[value] = serialized
        return serialized

    return complete


def _object(
    entries: list[tuple[str, str, Any, dict[type, Any] | None, Completer]], non_null: bool
) -> Completer:
    def complete(value: Any) -> Any:
        if value is None:
            if non_null:
                raise _Fallback
            return None
        if not isinstance(value, dict):
            raise _Fallback
        result = {}
        for response_name, key, default_value, passes, complete_field in entries:
            field_value = value.get(key, default_value)
            if passes is not None:
                kind = type(field_value)
                if kind in passes:
                    convert = passes[kind]
                    result[response_name] = field_value if convert is None else convert(field_value)
                    continue
            result[response_name] = complete_field(field_value)
        return result

    return complete


def _constant(result: str) -> Completer:
    return lambda _value: result


# --------------------------------------------------------------------------- one root field

#: The attribute marking a root resolver ``execute_document`` may call itself.
_DIRECT = "_drf_graphql_crud_direct_resolver"

F = TypeVar("F", bound=Callable[..., Any])


def direct_resolver(function: F) -> F:
    """Mark ``function`` as a root field resolver ``execute_document`` may call directly.

    Such a resolver is synchronous (it never answers an awaitable) and answers serializer
    output: the library's mutations, reads and ``ViewSetCrud`` operations. A subclass that
    replaces one with a function of its own goes through graphql-core.
    """
    setattr(function, _DIRECT, True)
    return function


@dataclass(frozen=True)
class _RootField:
    """An operation's one root field: what graphql-core works out for it on every request."""

    parent_type: GraphQLObjectType
    response_name: str
    nodes: list[FieldNode]
    definition: GraphQLField
    path: Path
    fragments: dict[str, FragmentDefinitionNode]
    complete: Completer


#: Root fields by schema, operation node and fragment definitions, as variable plans are:
#: ``None`` after the first sighting, then a ``_RootField`` or ``_NO_PLAN``.
_root_fields = NodeCache()

#: The options ``DRFGraphQLView`` gives ``execute_document``; with any other (a field or
#: type resolver, an ``is_awaitable``) graphql-core executes the operation.
_DIRECT_OPTIONS = frozenset(
    {
        "root_value",
        "context_value",
        "variable_values",
        "operation_name",
        "middleware",
        "execution_context_class",
        "hide_suggestions",
    }
)


def execute_document(schema: GraphQLSchema, document: DocumentNode, **options: Any) -> Any:
    """graphql-core's ``execute``, running an operation of one library root field directly.

    For every request graphql-core builds an execution context, picks the operation,
    collects the root fields, finds the field's definition and resolver, builds its info,
    coerces its arguments, calls it and completes its answer. For an operation whose
    selection is one field of the library's own (a mutation, a read), without directives,
    all of that but the variables, the arguments and the answer is fixed by the document:
    it is worked out once per operation (from its second request on, as variable plans
    are). A request then coerces the variables and arguments, calls the resolver with the
    ``GraphQLResolveInfo`` graphql-core would give, and completes the answer with the
    field's completer.

    The answer is graphql-core's: before the resolver runs, anything it would treat
    otherwise (variables or arguments it would refuse, middleware, another execution
    context class) goes to graphql-core. After it, a field error on a nullable field is
    located as graphql-core locates it; any other error, or an answer the completer does
    not reproduce, is completed by graphql-core itself around the resolver's answer
    (``_replay``), so nulls, errors and their paths are its own.
    """
    if (
        options.get("execution_context_class") is SerializedExecutionContext
        and not options.get("middleware")
        and _DIRECT_OPTIONS.issuperset(options)
    ):
        result = _execute_root_field(schema, document, options)
        if result is not None:
            return result
    return execute(schema, document, **options)


def _execute_root_field(
    schema: GraphQLSchema, document: DocumentNode, options: dict[str, Any]
) -> ExecutionResult | None:
    raw_variables = options.get("variable_values")
    if raw_variables is not None and not isinstance(raw_variables, dict):
        return None
    found = _operation(document, options.get("operation_name"))
    if found is None:
        return None
    operation, fragments = found
    field = _root_field(schema, document, operation, fragments, options)
    if field is None:
        return None
    values: dict[str, Any] = {}
    if operation.variable_definitions:
        coerced = _coerced(schema, document, operation, fragments, raw_variables)
        if coerced is None:
            return None
        values = coerced[1]
    definition = field.definition
    try:
        arguments = get_argument_values(definition, field.nodes[0], values)
    except Exception:  # graphql-core's error to give; nothing has run
        return None
    root_value = options.get("root_value")
    info = GraphQLResolveInfo(
        field.nodes[0].name.value,
        list(field.nodes),  # the request's own, as graphql-core's context gives
        definition.type,
        field.parent_type,
        field.path,
        schema,
        dict(field.fragments),  # the request's own, as graphql-core's context has
        root_value,
        operation,
        values,
        options.get("context_value"),
        SerializedExecutionContext.is_awaitable,
    )
    try:
        result = definition.resolve(root_value, info, **arguments)  # type: ignore[misc]
    except Exception as error:
        if isinstance(definition.type, GraphQLNonNull):  # the whole answer is null
            return _replay(schema, document, options, partial(_reraise, error))
        # graphql-core's field error: located at the field, the field null.
        located = located_error(error, field.nodes, field.path.as_list())
        return ExecutionResult({field.response_name: None}, [located])
    try:
        return ExecutionResult({field.response_name: field.complete(result)}, None)
    except Exception:  # _Fallback, or a dict subclass's own get() failing
        pass
    # Outside the handler: an error graphql-core raises completing it (a stale choice, to
    # be logged) carries no _Fallback as its context.
    return _replay(schema, document, options, lambda: result)


def _reraise(error: Exception) -> Any:
    raise error


def _replay(
    schema: GraphQLSchema,
    document: DocumentNode,
    options: dict[str, Any],
    answer: Callable[[], Any],
) -> Any:
    """graphql-core's execution of the operation, its root field answering ``answer()``
    instead of running its resolver, which ran already."""

    def answering(next_: Callable[..., Any], root: Any, info: Any, **arguments: Any) -> Any:
        if info.path.prev is None:
            return answer()
        return next_(root, info, **arguments)

    return execute(schema, document, **{**options, "middleware": [answering]})


def _root_field(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    fragments: list[FragmentDefinitionNode],
    options: dict[str, Any],
) -> _RootField | None:
    field = _per_operation(
        _root_fields,
        schema,
        operation,
        fragments,
        lambda: _plan_root_field(schema, document, operation, fragments, options),
    )
    return None if field is _NO_PLAN else field


def _per_operation(
    cache: NodeCache,
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: list[FragmentDefinitionNode],
    make: Callable[[], Any],
) -> Any:
    """What ``make()`` works out for an operation, kept in ``cache`` by schema, operation
    node and fragment definitions from the operation's second request on: a document
    parsed for one request only is never planned. ``None`` on the first sighting, and
    while ``make()`` cannot tell (answers ``None``: this request's variables are refused)."""
    key = (schema, id(operation), *map(id, fragments))
    entry = cache.get(key)
    held = (operation, *fragments)
    if entry is None:
        cache.put(key, (held, None), held)
        return None
    made = entry[1]
    if made is None:
        made = make()
        if made is not None:
            cache.put(key, (held, made), held)
    return made


def _plan_root_field(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    fragments: list[FragmentDefinitionNode],
    options: dict[str, Any],
) -> Any:
    """The operation's ``_RootField``, ``_NO_PLAN`` when it has none, ``None`` when this
    request cannot tell (graphql-core refuses its variables)."""
    selections = operation.selection_set.selections
    if len(selections) != 1:
        return _NO_PLAN
    node = selections[0]
    if not isinstance(node, FieldNode) or node.directives or node.name.value.startswith("__"):
        return _NO_PLAN
    if operation.operation == OperationType.QUERY:
        parent_type = schema.query_type
    elif operation.operation == OperationType.MUTATION:
        parent_type = schema.mutation_type
    else:
        return _NO_PLAN
    definition = parent_type.fields.get(node.name.value) if parent_type is not None else None
    if definition is None or not getattr(definition.resolve, _DIRECT, False):
        return _NO_PLAN
    context = SerializedExecutionContext.build(
        schema,
        document,
        options.get("root_value"),
        options.get("context_value"),
        options.get("variable_values"),
        options.get("operation_name"),
    )
    if isinstance(context, list):
        return None
    nodes = [node]
    try:
        complete = context._value_completer(definition.type, nodes)
    except Exception:  # graphql-core's to meet where the value is completed (a RecursionError)
        return _NO_PLAN
    if complete is None or not context._plan_shareable:
        return _NO_PLAN  # graphql-core completes it: a resolver below, or directives
    response_name = node.alias.value if node.alias else node.name.value
    return _RootField(
        parent_type,
        response_name,
        nodes,
        definition,
        Path(None, response_name, parent_type.name),
        {fragment.name.value: fragment for fragment in fragments},
        complete,
    )


# --------------------------------------------------------------------------- variables

#: What requests share about an operation's variables, by schema, operation node and
#: fragment definitions: ``None`` after the first sighting (a document parsed for one
#: request only is never planned), then its plan, or ``_NO_PLAN``.
_variable_plans = NodeCache()
_NO_PLAN = object()
#: The operation and coerced values ``build`` hands the context it is making.
_planned: ContextVar[tuple[OperationDefinitionNode, dict[str, Any]] | None] = ContextVar(
    "_planned", default=None
)
#: Input types nested deeper than this are coerced by graphql-core (which guards depth).
_MAX_INPUT_DEPTH = 32

Coercer = Callable[[Any], Any]


@dataclass(frozen=True)
class _VariablesPlan:
    """An operation's variables, coerced as graphql-core's ``coerce_variable_values``."""

    operation: OperationDefinitionNode
    #: The document graphql-core builds the context from: the operation without its
    #: variable definitions, and the fragments.
    document: DocumentNode
    #: Per variable: name, type, coercer, default value node, whether it is required.
    variables: tuple[tuple[str, GraphQLInputType, Coercer, Any, bool], ...]

    def coerce(self, inputs: dict[str, Any]) -> dict[str, Any]:
        coerced: dict[str, Any] = {}
        for name, type_, coerce, default_node, required in self.variables:
            if name not in inputs:
                if default_node is not None:
                    coerced[name] = value_from_ast(default_node, type_)
                elif required:
                    raise _Fallback  # graphql-core: "of required type ... was not provided"
                continue
            coerced[name] = coerce(inputs[name])
        return coerced


def _coerced_variables(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    raw_variable_values: Any,
) -> tuple[_VariablesPlan, dict[str, Any]] | None:
    """The plan and coerced values of a repeated operation, or ``None`` (graphql-core's)."""
    if not isinstance(raw_variable_values, dict | None):
        return None
    found = _operation(document, operation_name)
    if found is None:
        return None
    return _coerced(schema, document, *found, raw_variable_values)


def _operation(
    document: DocumentNode, operation_name: str | None
) -> tuple[OperationDefinitionNode, list[FragmentDefinitionNode]] | None:
    """The operation graphql-core's ``build`` picks, and the fragments; ``None`` where it
    would answer with an error (no such operation, several and no name)."""
    operation = None
    fragments = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            if operation_name is None:
                if operation is not None:
                    return None  # several operations and no name: its error
                operation = definition
            elif definition.name and definition.name.value == operation_name:
                operation = definition
        elif isinstance(definition, FragmentDefinitionNode):
            fragments.append(definition)
    return None if operation is None else (operation, fragments)


def _coerced(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    fragments: list[FragmentDefinitionNode],
    raw_variable_values: dict[str, Any] | None,
) -> tuple[_VariablesPlan, dict[str, Any]] | None:
    if not operation.variable_definitions:
        return None

    def make() -> Any:
        try:
            return _variables_plan(schema, document, operation, fragments)
        except RecursionError:  # a type too deep for this interpreter: graphql-core's
            return _NO_PLAN

    plan = _per_operation(_variable_plans, schema, operation, fragments, make)
    if plan is None or plan is _NO_PLAN:
        return None
    try:
        return plan, plan.coerce(raw_variable_values or {})
    except Exception:  # _Fallback, or a parse_value failing: graphql-core's errors
        return None


def _variables_plan(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    fragments: list[FragmentDefinitionNode],
) -> Any:
    variables = []
    memo: dict[Any, Any] = {}
    for definition in operation.variable_definitions:
        type_ = type_from_ast(schema, definition.type)
        if type_ is None or not is_input_type(type_):
            return _NO_PLAN  # graphql-core's error
        made = _input_coercer(type_, memo)
        if made is None:
            return _NO_PLAN
        coerce = made[0]
        name = definition.variable.name.value
        required = isinstance(type_, GraphQLNonNull)
        variables.append((name, type_, coerce, definition.default_value, required))
    stripped = copy(operation)
    stripped.variable_definitions = ()
    return _VariablesPlan(
        operation,
        DocumentNode(definitions=(stripped, *fragments), loc=document.loc),
        tuple(variables),
    )


def _input_coercer(type_: Any, memo: dict[Any, Any], depth: int = 0) -> tuple[Coercer, int] | None:
    """A function giving what ``coerce_input_value`` gives for values it accepts, raising
    ``_Fallback`` on any other, and how deep its values can nest; ``None`` for types it does
    not plan (recursive, or nesting deeper than graphql-core lets values go unchecked).

    ``memo`` holds each input object type's, made once however many paths reach it;
    ``depth`` is how deep this type sits, past which nothing is planned (nor recursed into).
    """
    if depth > _MAX_INPUT_DEPTH:
        return None
    if isinstance(type_, GraphQLNonNull):
        inner = _input_coercer(type_.of_type, memo, depth)
        return None if inner is None else (_required(inner[0]), inner[1])
    if isinstance(type_, GraphQLList):
        item = _input_coercer(type_.of_type, memo, depth + 1)
        if item is None or item[1] + 1 > _MAX_INPUT_DEPTH:
            return None
        return _input_list(item[0]), item[1] + 1
    if isinstance(type_, GraphQLInputObjectType):
        if type_ in memo:
            return memo[type_]  # None while it is being made: a recursive type
        memo[type_] = None
        if getattr(type_, "is_one_of", False):
            return None
        entries = []
        height = 0
        for name, field in type_.fields.items():
            made = _input_coercer(field.type, memo, depth + 1)
            if made is None:
                return None
            height = max(height, made[1] + 1)
            required = isinstance(field.type, GraphQLNonNull)
            entries.append((name, field.out_name or name, made[0], field.default_value, required))
        if height > _MAX_INPUT_DEPTH:
            return None
        coercer = _input_object(tuple(entries), frozenset(type_.fields), type_.out_type)
        memo[type_] = (coercer, height)
        return memo[type_]
    if is_leaf_type(type_):
        return _input_leaf(type_.parse_value), 0
    return None


def _required(inner: Coercer) -> Coercer:
    def coerce(value: Any) -> Any:
        if value is None or value is Undefined:
            raise _Fallback  # graphql-core: "Expected non-nullable type ... not to be None."
        return inner(value)

    return coerce


#: What JSON gives that graphql-core takes as a list of one (``is_iterable`` is false).
_LIST_OF_ONE = (str, int, float, bool, dict)


def _input_list(item: Coercer) -> Coercer:
    def coerce(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is list:
            return [item(each) for each in value]
        if isinstance(value, _LIST_OF_ONE):
            return [item(value)]
        raise _Fallback

    return coerce


def _input_object(
    entries: tuple[tuple[str, str, Coercer, Any, bool], ...],
    names: frozenset[str],
    out_type: Callable[[dict[str, Any]], Any],
) -> Coercer:
    def coerce(value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict) or not names.issuperset(value):
            raise _Fallback  # not a mapping, or a field the type does not define
        coerced: dict[str, Any] = {}
        for name, key, coerce_field, default_value, required in entries:
            field_value = value.get(name, Undefined)
            if field_value is Undefined:
                if default_value is not Undefined:
                    coerced[key] = default_value
                elif required:
                    raise _Fallback
                continue
            coerced[key] = coerce_field(field_value)
        return out_type(coerced)

    return coerce


def _input_leaf(parse_value: Callable[[Any], Any]) -> Coercer:
    def coerce(value: Any) -> Any:
        if value is None:
            return None
        result = parse_value(value)  # an exception: graphql-core's error, from the fallback
        if result is Undefined:
            raise _Fallback
        return result

    return coerce
