"""
Checks ``DRFGraphQLView`` runs on a parsed document before GraphQL's own validation.

``MAX_ALIASES`` bounds how many times one operation may ask for fields under another
name. Aliases are how a short document becomes a large amount of work (a list query
repeated under 1,600 names runs 1,600 list queries), and the length and token limits
cannot see that. Aliases are counted across the fragments an operation spreads, once per
spread, so moving them into a fragment does not escape the count.

The count walks the syntax tree directly, before the validation rules: an operation that
is refused anyway should not first pay for a full validation (for 1,600 aliases that is
~140 ms, the count ~1 ms).
"""

from __future__ import annotations

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

__all__ = ["alias_errors"]


def alias_errors(document: DocumentNode, limit: int) -> list[GraphQLError]:
    """An error for each operation of ``document`` with more than ``limit`` aliased fields.

    Iterative throughout: fragments can spread each other in chains thousands long, and
    the count must not hit the recursion limit the document was written to reach.
    """
    fragments = {
        definition.name.value: _direct_aliases(definition.selection_set)
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    totals = _fragment_totals(fragments)
    errors = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        direct, spreads = _direct_aliases(definition.selection_set)
        count = min(_SATURATED, direct + sum(totals.get(name, 0) for name in spreads))
        if count > limit:
            name = f"'{definition.name.value}' " if definition.name else ""
            amount = f"more than {_SATURATED - 1:,}" if count == _SATURATED else str(count)
            message = f"The operation {name}has {amount} aliases; at most {limit} are allowed."
            errors.append(GraphQLError(message, definition))
    return errors


#: Counts stop here: fragments spread twice at every level of a chain multiply without end.
_SATURATED = 1_000_000


def _direct_aliases(selection_set: SelectionSetNode) -> tuple[int, list[str]]:
    """Aliases in a selection set outside fragment spreads, and the spreads, once each use."""
    aliases, spreads = 0, []
    pending = [selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                aliases += selection.alias is not None
                if selection.selection_set is not None:
                    pending.append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                spreads.append(selection.name.value)
    return aliases, spreads


def _fragment_totals(fragments: dict[str, tuple[int, list[str]]]) -> dict[str, int]:
    """Aliases per fragment with its spreads followed (depth first, post-order, no recursion).

    Unknown fragments and cycles count nothing; validation reports both.
    """
    totals: dict[str, int] = {}
    for root in fragments:
        if root in totals:
            continue
        stack, on_path = [(root, 0)], {root}
        while stack:
            name, index = stack[-1]
            direct, spreads = fragments[name]
            while index < len(spreads) and (
                spreads[index] in totals
                or spreads[index] in on_path
                or spreads[index] not in fragments
            ):
                index += 1
            if index < len(spreads):
                stack[-1] = (name, index + 1)
                on_path.add(spreads[index])
                stack.append((spreads[index], 0))
                continue
            stack.pop()
            on_path.discard(name)
            totals[name] = min(_SATURATED, direct + sum(totals.get(child, 0) for child in spreads))
    return totals
