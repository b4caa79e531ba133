"""How a REST representation is written in GraphQL, spelled out once for every test.

The serializer's ``to_representation`` produces both answers; only GraphQL's spelling differs:

- keys are camelCase (``due_date`` -> ``dueDate``);
- primary keys and related ids are ``ID``s, which GraphQL serializes as strings;
- choice values are enum members, whose names are the upper-cased choice keys
  (``"high"`` -> ``"HIGH"``).

``as_graphql`` applies exactly these three rules and nothing else, so comparing
``as_graphql(rest)`` with a GraphQL answer compares every other detail exactly.
"""

from graphene.utils.str_converters import to_camel_case

#: Fields whose values are ids: the object's own ``id`` and related-object ids (``tags``).
ID_FIELDS = {"id", "tags"}
#: Fields backed by a ChoiceField, hence a GraphQL enum.
ENUM_FIELDS = {"priority"}


def as_graphql(value, field: str | None = None):
    """A REST value (or a REST input) as GraphQL spells it."""
    if isinstance(value, dict):
        return {to_camel_case(key): as_graphql(item, key) for key, item in value.items()}
    if isinstance(value, list):
        return [as_graphql(item, field) for item in value]
    if value is None:
        return None
    if field in ID_FIELDS:
        return str(value)
    if field in ENUM_FIELDS:
        return value.upper()
    return value


#: Every field of ``TaskOutput``, so that a GraphQL answer holds all that REST returns.
TASK_FIELDS = "id name note created dueDate completed priority tags subtasks { id name done }"
TASK_QUERY = "query Task($id: ID!) { task(id: $id) { " + TASK_FIELDS + " } }"
#: ``tasks`` with every argument it takes; ``None`` (or leaving one out) means "not given".
TASKS_QUERY = (
    "query Tasks($filter: TaskByCompletedPriorityDueDateFilterInput, $orderBy: [String!], "
    "$limit: Int, $offset: Int) { tasks(filter: $filter, orderBy: $orderBy, limit: $limit, "
    "offset: $offset) { totalCount results { " + TASK_FIELDS + " } } }"
)
