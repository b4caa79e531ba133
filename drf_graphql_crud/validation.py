"""
Validation rules ``DRFGraphQLView`` adds to GraphQL's own, from the settings.

``MAX_ALIASES`` bounds how many times one operation may ask for fields under another
name. Aliases are how a small document becomes a large amount of work (a list query
repeated under 1,600 names runs 1,600 list queries), and the length and token limits
cannot see that. Aliases are counted across the fragments an operation spreads, once per
spread, so moving them into a fragment does not escape the count.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

__all__ = ["max_aliases_rule"]


@cache
def max_aliases_rule(limit: int) -> type[ValidationRule]:
    """A rule refusing operations with more than ``limit`` aliased fields (one class per limit)."""

    class MaxAliasesRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.fragments: dict[str, FragmentDefinitionNode] = {
                definition.name.value: definition
                for definition in context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }
            self.counts: dict[str, int] = {}

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            count = self.aliases_in(node.selection_set, frozenset())
            if count > limit:
                name = f"'{node.name.value}' " if node.name else ""
                self.report_error(
                    GraphQLError(
                        f"The operation {name}has {count} aliases; at most {limit} are allowed.",
                        node,
                    )
                )

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
            if fragment is None or name in seen:  # unknown or cyclic: other rules report it
                return 0
            count = self.aliases_in(fragment.selection_set, seen | {name})
            self.counts[name] = count
            return count

    return MaxAliasesRule
