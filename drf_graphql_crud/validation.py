"""
Checks ``DRFGraphQLView`` runs on a parsed document before GraphQL's own validation.

``MAX_QUERY_DEPTH`` bounds how deeply an operation's fields nest, fragments followed.
``MAX_ALIASES`` bounds how many times one operation may ask for fields under another
name, ``MAX_QUERY_FIELDS`` how many fields it selects in all. Aliases are how a short
document becomes a large amount of work (a list query repeated under 1,600 names runs
1,600 list queries), fragments spreading the next one twice another (a 700-character
document of thousands of fields), and the length and token limits cannot see either.
Aliases and fields are counted across the fragments an operation spreads, once per
spread, so moving them into a fragment does not escape the count.

The count walks the syntax tree directly, before the validation rules: an operation that
is refused anyway should not first pay for a full validation (for 1,600 aliases that is
~140 ms, the count ~1 ms).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

__all__ = ["alias_errors", "depth_errors", "field_errors"]


def alias_errors(document: DocumentNode, limit: int) -> list[GraphQLError]:
    """An error for each operation of ``document`` with more than ``limit`` aliased fields.

    Iterative throughout: fragments can spread each other in chains thousands long, and
    the count must not hit the recursion limit the document was written to reach.
    """
    message = "The operation {name}has {amount} aliases; at most {limit} are allowed."
    return _count_errors(document, _direct_aliases, limit, message)


def field_errors(document: DocumentNode, limit: int) -> list[GraphQLError]:
    """An error for each operation of ``document`` selecting more than ``limit`` fields,
    each fragment counted once per spread.

    Fragments that each spread the next one twice make a 700-character document of
    thousands of fields, answered in seconds (11 of them under two fields of a list of two
    took 10 s and 5 MB of answer; 25, minutes and gigabytes): within every limit on its
    length, tokens, aliases and depth, which such a chain stays under.
    """
    message = (
        "The operation {name}selects {amount} fields, fragments counted where they are "
        "spread; at most {limit} are allowed."
    )
    return _count_errors(document, _direct_fields, limit, message)


def _count_errors(
    document: DocumentNode,
    measure: Callable[[SelectionSetNode], tuple[int, list[str]]],
    limit: int,
    message: str,
) -> list[GraphQLError]:
    """An error for each operation whose count (``measure``, fragments followed once per
    spread) is over ``limit``: ``message`` with the operation's name, the count and the
    limit."""
    errors = []
    for definition, count in _measured(document, measure, _count_total, _itself):
        if count > limit:
            name = f"'{definition.name.value}' " if definition.name else ""
            amount = f"more than {_SATURATED - 1:,}" if count == _SATURATED else str(count)
            text = message.format(name=name, amount=amount, limit=limit)
            errors.append(GraphQLError(text, definition))
    return errors


#: Counts stop here: fragments spread twice at every level of a chain multiply without end.
_SATURATED = 1_000_000


def _direct_aliases(selection_set: SelectionSetNode) -> tuple[int, list[str]]:
    """Aliases in a selection set outside fragment spreads, and the spreads, once each use."""
    return _direct_count(selection_set, lambda field: field.alias is not None)


def _direct_fields(selection_set: SelectionSetNode) -> tuple[int, list[str]]:
    """Fields in a selection set outside fragment spreads, and the spreads: a fragment
    spread twice into one selection set once (its fields merge, and run once), into two
    (``child { ...F } children { ...F }``) once each."""
    return _direct_count(selection_set, lambda field: True, merge_spreads=True)


def _direct_count(
    selection_set: SelectionSetNode,
    counts: Callable[[FieldNode], bool],
    merge_spreads: bool = False,
) -> tuple[int, list[str]]:
    total, spreads = 0, []
    pending = [selection_set]
    while pending:
        own: list[str] = []  # this selection set's spreads
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                total += counts(selection)
                if selection.selection_set is not None:
                    pending.append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                own.append(selection.name.value)
        spreads += dict.fromkeys(own) if merge_spreads else own
    return total, spreads


def _measured(
    document: DocumentNode,
    measure: Callable[[SelectionSetNode], tuple[int, list[Any]]],
    total: Callable[[tuple[int, list[Any]], dict[str, int]], int],
    name_of: Callable[[Any], str],
) -> Iterator[tuple[OperationDefinitionNode, int]]:
    """Each operation of ``document`` with its total, fragments followed where spread.

    ``measure`` gives a selection set's own value and its spreads; ``total`` a selection
    set's value from that and the values of the fragments (``done``). Each fragment is
    totalled once, after those it spreads. Unknown fragments and cycles add nothing;
    validation reports both.
    """
    fragments = {
        definition.name.value: measure(definition.selection_set)
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    spreads = {name: [name_of(spread) for spread in own[1]] for name, own in fragments.items()}
    done = _post_order(spreads, lambda name, done: total(fragments[name], done))
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            yield definition, total(measure(definition.selection_set), done)


def _count_total(measured: tuple[int, list[str]], done: dict[str, int]) -> int:
    direct, spreads = measured
    return min(_SATURATED, direct + sum(done.get(name, 0) for name in spreads))


def _itself(name: str) -> str:
    return name


def _post_order(
    spreads: dict[str, list[str]], value: Callable[[str, dict[str, int]], int]
) -> dict[str, int]:
    """``value(name, done)`` of every fragment, each computed once and after the fragments
    it spreads (depth first, post-order, no recursion: chains may be thousands long).
    A spread of an unknown fragment, or back into the chain being followed (a cycle), has
    no value in ``done``."""
    done: dict[str, int] = {}
    for root in spreads:
        if root in done:
            continue
        stack, on_path = [(root, 0)], {root}
        while stack:
            name, index = stack[-1]
            children = spreads[name]
            while index < len(children) and (
                children[index] in done
                or children[index] in on_path
                or children[index] not in spreads
            ):
                index += 1
            if index < len(children):
                stack[-1] = (name, index + 1)
                on_path.add(children[index])
                stack.append((children[index], 0))
                continue
            stack.pop()
            on_path.discard(name)
            done[name] = value(name, done)
    return done


def depth_errors(document: DocumentNode, limit: int) -> list[GraphQLError]:
    """An error for each operation of ``document`` whose fields nest deeper than ``limit``.

    ``{ a { b } }`` is 1 deep: the levels below the operation's own fields, fragments
    followed where they are spread; introspection fields (``__schema``, ``__type``) count
    as leaves. Each fragment is measured once, iteratively: a fragment spread twice at
    every level of a chain costs nothing more, and no chain reaches the recursion limit.
    Unknown fragments and cycles add nothing; validation reports both.
    """
    errors = []
    for definition, depth in _measured(document, _direct_depth, _depth_total, _spread_name):
        if depth > limit:
            name = definition.name.value if definition.name else "anonymous"
            message = f"'{name}' exceeds maximum operation depth of {limit}."
            errors.append(GraphQLError(message, definition))
    return errors


def _direct_depth(selection_set: SelectionSetNode) -> tuple[int, list[tuple[str, int]]]:
    """The deepest level of a selection set outside fragment spreads, and each spread with
    the level it is spread at."""
    deepest, spreads = 0, []
    pending = [(selection_set, 0)]
    while pending:
        selections, level = pending.pop()
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                deepest = max(deepest, level)
                if selection.selection_set is not None and not selection.name.value.startswith(
                    "__"
                ):
                    pending.append((selection.selection_set, level + 1))
            elif isinstance(selection, InlineFragmentNode):
                pending.append((selection.selection_set, level))
            elif isinstance(selection, FragmentSpreadNode):
                spreads.append((selection.name.value, level))
    return deepest, spreads


def _depth_total(measured: tuple[int, list[tuple[str, int]]], done: dict[str, int]) -> int:
    direct, spreads = measured
    return max([direct, *(level + done.get(name, 0) for name, level in spreads)])


def _spread_name(spread: tuple[str, int]) -> str:
    return spread[0]
