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
    """An error for each operation of ``document`` with more than ``limit`` aliased fields."""
    counter = _AliasCounter(document)
    errors = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        count = counter.aliases_in(definition.selection_set, frozenset())
        if count > limit:
            name = f"'{definition.name.value}' " if definition.name else ""
            message = f"The operation {name}has {count} aliases; at most {limit} are allowed."
            errors.append(GraphQLError(message, definition))
    return errors


class _AliasCounter:
    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.counts: dict[str, int] = {}

    def aliases_in(self, selection_set: SelectionSetNode | None, seen: frozenset[str]) -> int:
        if selection_set is None:
            return 0
        count = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                count += selection.alias is not None
                count += self.aliases_in(selection.selection_set, seen)
            elif isinstance(selection, InlineFragmentNode):
                count += self.aliases_in(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                count += self.fragment_aliases(selection.name.value, seen)
        return count

    def fragment_aliases(self, name: str, seen: frozenset[str]) -> int:
        if name in self.counts:
            return self.counts[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in seen:  # unknown or cyclic: validation reports it
            return 0
        count = self.aliases_in(fragment.selection_set, seen | {name})
        self.counts[name] = count
        return count
