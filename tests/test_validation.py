"""The alias count DRFGraphQLView runs before validation (HTTP behaviour: test_views)."""

import sys

from graphql import parse

from drf_graphql_crud.validation import alias_errors


def messages(document, limit):
    return [error.message for error in alias_errors(parse(document), limit)]


def test_aliases_are_counted_in_fields_inline_fragments_and_nested_selections():
    document = "query Q { a: x { b: y ... on T { c: z } } d: w }"
    assert messages(document, 4) == []
    assert messages(document, 3) == ["The operation 'Q' has 4 aliases; at most 3 are allowed."]


def test_a_fragment_counts_once_per_spread():
    document = "{ ...F ...F ...F } fragment F on Query { a: x b: x }"
    assert messages(document, 5) == ["The operation has 6 aliases; at most 5 are allowed."]


def test_each_operation_is_counted_on_its_own():
    document = "query A { a: x } query B { a: x b: x } fragment Unused on Query { c: x d: x }"
    assert messages(document, 1) == ["The operation 'B' has 2 aliases; at most 1 are allowed."]


def test_fragment_chains_longer_than_the_recursion_limit_are_counted():
    depth = sys.getrecursionlimit() * 3
    fragments = " ".join(f"fragment F{i} on Query {{ a{i}: x ...F{i + 1} }}" for i in range(depth))
    document = f"{{ ...F0 }} {fragments} fragment F{depth} on Query {{ x }}"
    assert messages(document, depth) == []
    assert messages(document, depth - 1) == [
        f"The operation has {depth} aliases; at most {depth - 1} are allowed."
    ]


def test_fragments_that_multiply_saturate_the_count():
    levels = 40  # each level spreads the next twice: 2**40 aliases
    fragments = " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    document = f"{{ ...F0 }} {fragments} fragment F{levels} on Query {{ a: x }}"
    assert messages(document, 100) == [
        "The operation has more than 999,999 aliases; at most 100 are allowed."
    ]


def test_cycles_and_unknown_fragments_count_nothing():
    document = (
        "{ ...A ...Missing } fragment A on Query { a: x ...B } fragment B on Query { b: x ...A }"
    )
    assert messages(document, 1) == ["The operation has 2 aliases; at most 1 are allowed."]
    assert messages(document, 2) == []
