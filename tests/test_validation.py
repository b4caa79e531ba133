"""The alias count DRFGraphQLView runs before validation (HTTP behaviour: test_views)."""

import sys

from graphql import parse

from drf_graphql_crud.validation import alias_errors, depth_errors


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


def depth(query, limit=0):
    """The depth ``depth_errors`` finds: the smallest limit the document passes."""
    document = parse(query)
    while depth_errors(document, limit):
        limit += 1
    return limit


def test_depth_counts_the_levels_below_the_operations_fields():
    assert depth("{ a }") == 0
    assert depth("{ a { b } c }") == 1
    assert depth("{ a { b { c } } d { e } }") == 2
    assert depth("{ a { ... on T { b { c } } } }") == 2


def test_depth_follows_fragments_where_they_are_spread():
    assert depth("{ a { ...F } } fragment F on T { b { c } }") == 2
    assert depth("{ a { ...F } b { c { d { e } } } } fragment F on T { b }") == 3
    assert depth("{ ...F } fragment F on T { a { ...G } } fragment G on T { b { c } }") == 2


def test_introspection_fields_are_leaves():
    assert depth("{ __schema { types { fields { name } } } }") == 0
    assert depth("{ a { __typename } }") == 1


def test_depth_errors_name_each_operation():
    document = parse("query Deep { a { b } } query Flat { a } { a { b } }")
    assert [error.message for error in depth_errors(document, 0)] == [
        "'Deep' exceeds maximum operation depth of 0.",
        "'anonymous' exceeds maximum operation depth of 0.",
    ]


def test_cycles_and_unknown_fragments_add_no_depth():
    assert depth("{ a { ...Missing } }") == 1
    # a { b { ...A } }: the cyclic spread counts for its own level, not what it repeats.
    assert depth("{ ...A } fragment A on Q { a { ...B } } fragment B on Q { b { ...A } }") == 2


def test_fragments_spread_twice_per_level_are_measured_once_each():
    """Each level spreads the one below twice: walking every spread takes 2**levels steps."""
    levels = 60
    fragments = " ".join(
        f"fragment F{i} on Q {{ a {{ ...F{i - 1} ...F{i - 1} }} }}" for i in range(1, levels + 1)
    )
    document = parse(f"{{ ...F{levels} }} fragment F0 on Q {{ leaf }} {fragments}")
    assert len(depth_errors(document, levels)) == 0
    assert len(depth_errors(document, levels - 1)) == 1


def test_fragment_chains_longer_than_the_recursion_limit_are_measured():
    length = sys.getrecursionlimit() * 2
    fragments = " ".join(f"fragment F{i} on Q {{ ...F{i + 1} }}" for i in range(length))
    document = parse(f"{{ a {{ ...F0 }} }} {fragments} fragment F{length} on Q {{ b {{ c }} }}")
    assert [error.message for error in depth_errors(document, 1)] == [
        "'anonymous' exceeds maximum operation depth of 1."
    ]
