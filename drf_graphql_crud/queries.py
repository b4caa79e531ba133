"""
Read fields built from serializers: ``RetrieveField`` and ``ListField``.

::

    class Query(graphene.ObjectType):
        task = RetrieveField(TaskSerializer)                  # task(id: ID!): TaskOutput
        tasks = ListField(TaskSerializer, filterset_class=TaskFilter,
                          ordering_fields=["due_date", "title"])
        # tasks(filter: TaskFilterInput, orderBy: [String!], limit: Int, offset: Int):
        #     TaskOutputList { totalCount, results }

A read runs what a DRF ``retrieve``/``list`` view runs: permission classes (action
``retrieve``/``list``, method GET), the queryset, the lookup with object permissions, then
the serializer's ``to_representation``, so a query returns what REST returns.

Two things make it cheaper than serializing everything. The serializer is pruned to the
fields the client selected, nested serializers too, so unselected fields are neither
computed nor fetched. And the queryset gets the ``select_related``/``prefetch_related`` the
*selected* fields need, derived from the serializer's nesting and ``source`` paths: the
number of queries does not grow with the number of rows, and a selection of plain columns
joins nothing and loads only those columns (``only()``, where the serializer certainly reads
nothing else). A serializer can add its own hints (``Meta.select_related`` /
``Meta.prefetch_related``), and a ``SerializerMethodField`` can declare what its method
reads with ``@query_hints(...)``.
"""

from __future__ import annotations

import array
import contextlib
import functools
import inspect
import types
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import nullcontext
from types import SimpleNamespace
from typing import Any, TypeVar

import graphene
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DataError, connections, models, router, transaction
from django.db.models import Prefetch
from django.db.models.constants import LOOKUP_SEP
from django.db.models.query import ModelIterable
from django.db.models.signals import post_init
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy
from graphene.types.resolver import dict_or_attr_resolver
from graphene.utils.str_converters import to_camel_case, to_snake_case
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLIncludeDirective,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSkipDirective,
    InlineFragmentNode,
    NamedTypeNode,
    SelectionSetNode,
    Undefined,
    get_named_type,
    get_nullable_type,
    is_abstract_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.execution.values import get_directive_values
from graphql.pyutils import is_iterable
from rest_framework import exceptions, serializers
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AND, NOT, OR, BasePermission
from rest_framework.serializers import ALL_FIELDS
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import ReturnDict

from . import scalars
from .attributes import joined_fields
from .checks import refuse_serializer_class
from .converter import (
    Mode,
    convert_serializer_field,
    is_generic_relation,
    nullable,
    reads_key_only,
    related_row_may_be_missing,
    renders_its_own_way,
    shapes_its_fields,
)
from .errors import resolver_error
from .execution import (
    NodeCache,
    direct_resolver,
    pass_through_table,
    read_key_and_default,
)
from .fieldcache import fields_from_class, generation, prebuild_fields
from .permissions import (
    OperationView,
    carry_data,
    check_object_permissions,
    check_permissions,
    operation_request,
    own_attributes,
)
from .relay import names_no_row, node_lookup, node_model
from .settings import crud_settings
from .types import (
    LazyDataclassMeta,
    checked_output_type,
    instantiate,
    model_of,
    own_resolved_fields,
    refuse_other_rows,
    registry,
    renders_rows,
    serializer_type,
)

__all__ = [
    "ListField",
    "RetrieveField",
    "cursor_page_type",
    "get_object",
    "list_output_type",
    "query_hints",
]

#: Every ``RetrieveField`` and ``ListField``, for the system checks (as ``mutation_classes``).
read_fields: list[_SerializerReadField] = []

_list_types: dict[Any, type[graphene.ObjectType]] = {}


def list_output_type(output_type: type[graphene.ObjectType]) -> type[graphene.ObjectType]:
    """``{ totalCount: Int!, results: [<X>Output!]! }``, one per output type: ``<X>OutputList``.

    Resolvers return a dict ``{"total_count": int, "results": [representation, ...]}``.
    Its name is claimed in the registry, as ``cursor_page_type``'s: a type of the
    project's under it is W004, one of the library's E003.
    """
    if output_type not in _list_types:
        name = f"{output_type._meta.name}List"
        list_type = LazyDataclassMeta(
            name,
            (graphene.ObjectType,),
            {
                "__module__": __name__,
                "__doc__": f"One page of {output_type._meta.name} and the number of all matches.",
                "total_count": graphene.Field(
                    graphene.NonNull(graphene.Int), description="Matches before paging."
                ),
                "results": graphene.Field(
                    graphene.NonNull(graphene.List(graphene.NonNull(output_type)))
                ),
            },
        )
        origin = getattr(output_type._meta, "serializer_class", None) or output_type
        registry.claim(name, (origin, "list page"), list_type)
        _list_types[output_type] = list_type
    return _list_types[output_type]


_cursor_page_types: dict[Any, type[graphene.ObjectType]] = {}


def cursor_page_type(output_type: type[graphene.ObjectType]) -> type[graphene.ObjectType]:
    """``{ results, nextCursor, previousCursor }``, one per output type: ``<X>OutputCursorPage``.

    A list under DRF's ``CursorPagination`` answers REST's ``{next, previous, results}``
    and never counts: ``<X>OutputList`` would need a ``totalCount`` REST does not have, so
    such lists get their own type. The cursors are the opaque values REST's ``next`` and
    ``previous`` links carry (null where REST's link is null). Its name is claimed in the
    registry: a clash is check E003, as for payloads, whose types cannot stand in for
    another either. Resolvers return ``{"results", "next_cursor", "previous_cursor"}``.
    """
    if output_type not in _cursor_page_types:
        name = f"{output_type._meta.name}CursorPage"
        page_type = LazyDataclassMeta(
            name,
            (graphene.ObjectType,),
            {
                "__module__": __name__,
                "__doc__": f"One page of {output_type._meta.name}, and the cursors to its "
                "neighbours, as REST's cursor-paginated answer.",
                "results": graphene.Field(
                    graphene.NonNull(graphene.List(graphene.NonNull(output_type)))
                ),
                "next_cursor": graphene.Field(
                    graphene.String,
                    description="`cursor` for the next page, as REST's `next` link carries "
                    "it; null on the last page.",
                ),
                "previous_cursor": graphene.Field(
                    graphene.String,
                    description="`cursor` for the previous page, as REST's `previous` link "
                    "carries it; null on the first page.",
                ),
            },
        )
        origin = getattr(output_type._meta, "serializer_class", None) or output_type
        registry.claim(name, (origin, "cursor page"), page_type)
        _cursor_page_types[output_type] = page_type
    return _cursor_page_types[output_type]


def get_object(queryset: models.QuerySet, lookup: dict[str, Any]) -> models.Model:
    """DRF's ``get_object_or_404``, also for ids beyond the column's range, and for a
    value that names no row (``relay.NoRow``).

    Django < 5.0 hands such an id to the driver, which refuses it (``OverflowError`` on
    SQLite, ``DataError`` on PostgreSQL); no row can match, as Django >= 5.0 answers itself.
    """
    if names_no_row(lookup):
        raise not_found(queryset.model)
    try:
        return get_object_or_404(queryset, **lookup)
    except (OverflowError, DataError):
        raise not_found(queryset.model) from None


def check_search_terms(backend: SearchFilter, request: Any, refusals: bool = True) -> None:
    """Refuse a search of more terms than ``MAX_SEARCH_TERMS``, or one its backend refuses
    (``VALIDATION_ERROR`` at ``search``).

    Terms are counted as ``backend`` splits them for ``request`` (``SearchFilter``: spaces
    and commas, quoted phrases kept whole; a project's own may split otherwise). Each is
    one more condition over every search field: thousands make a query the database takes
    seconds over, or refuses (SQLite's expression depth), where a REST query string is
    kept short by servers' URL limits. Without ``refusals``, text the backend refuses is
    left to it, to refuse in its turn among the other filter backends (``search_refusal``).
    """
    try:
        terms = backend.get_search_terms(request)
    except exceptions.ValidationError as exc:
        if refusals and (refusal := search_refusal(exc)) is not None:
            raise refusal from None
        if refusals:
            raise
        return
    limit = crud_settings.MAX_SEARCH_TERMS
    if limit is not None and len(terms) > limit:
        raise exceptions.ValidationError({"search": [too_many(limit, _TOO_MANY_TERMS)]})


def search_refusal(exc: exceptions.ValidationError) -> exceptions.ValidationError | None:
    """A search backend's refusal of the text as the ``search`` argument's error: DRF
    (3.15+) reads it with a CharField, and a NUL or a lone surrogate is REST's 400 of
    messages alone. None for an error of another shape."""
    if isinstance(exc.detail, list):
        return exceptions.ValidationError({"search": exc.detail})
    return None


def rest_ordering(
    terms: list[str], allowed: Iterable[str], snake_case_unknown: bool = False
) -> str:
    """``rest_ordering_term`` of each term, joined as ``?ordering=`` carries them.

    Only as many as the fields allow, and then one, are converted; the rest are kept as
    written: an ``orderBy`` that long is refused once the caller's permissions are known,
    and 100,000 terms converted first were seconds before that.
    """
    allowed = tuple(allowed)
    converted = max(len(allowed), _MIN_CONVERTED) + 1
    return ",".join(
        [
            *(rest_ordering_term(term, allowed, snake_case_unknown) for term in terms[:converted]),
            *terms[converted:],
        ]
    )


#: Terms ``rest_ordering`` converts at least, where the ordering fields are not known.
_MIN_CONVERTED = 100


def check_ordering_length(terms: list[str], allowed: Iterable[str]) -> None:
    """Refuse an ``orderBy`` of more terms than there are ordering fields, and than
    ``_MIN_CONVERTED`` (``VALIDATION_ERROR``).

    REST's ``OrderingFilter`` drops repeated and unknown terms one by one (``-priority,title``
    with ``title`` not orderable orders by priority), so a few more terms than fields are
    served as REST serves them; 100,000 of them were as many errors (a ``ListField``'s) or
    seconds of work (a ``ViewSetCrud`` list's), where a server keeps a query string short."""
    count = max(len(tuple(allowed)), _MIN_CONVERTED)
    if len(terms) > count:
        raise exceptions.ValidationError({"order_by": [too_many(count)]})


def too_many(limit: int, message: Any = None) -> exceptions.ErrorDetail:
    """DRF's message for a list over its ``max_length`` (``ListField``'s, in the request's
    language), or ``message`` for other things counted, formatted with ``limit``."""
    if message is None:
        text = serializers.ListField.default_error_messages["max_length"].format(max_length=limit)
    else:
        text = message.format(limit=limit)
    return exceptions.ErrorDetail(text, code="max_length")


#: The library's own words, which a project may translate (its ``LOCALE_PATHS``).
_TOO_MANY_TERMS = gettext_lazy("Ensure this field has no more than {limit} search terms.")
_CANNOT_ORDER = gettext_lazy("Cannot order by {name}; choose from {allowed}.")
_CANNOT_ORDER_ANY = gettext_lazy("Cannot order by {name}.")


def not_found(model: type[models.Model]) -> Http404:
    """The ``Http404`` DRF's ``get_object_or_404`` raises for a lookup that matches nothing."""
    return Http404(f"No {model._meta.object_name} matches the given query.")


def read_savepoint(database: Callable[[], str | None] | None = None) -> Any:
    """A savepoint around a read inside the request's transaction (``ATOMIC_REQUESTS``), as a
    mutation has its own: a database error the read answers as the client's (a regex
    PostgreSQL refuses) then leaves that transaction usable for the document's other
    operations (and a batch's). Without one, a REST call's reads have none either.

    ``database()`` names the database the read reads, asked only where some database runs
    requests in a transaction; without it (the rows are known only once the project's
    ``get_queryset()`` runs, inside the savepoint), one on each such database."""
    if not any(each.get("ATOMIC_REQUESTS", False) for each in connections.settings.values()):
        return nullcontext()
    if database is None:
        return savepoints_under_atomic_requests()
    using = database() or DEFAULT_DB_ALIAS
    connection = connections[using]
    if connection.in_atomic_block and connection.settings_dict.get("ATOMIC_REQUESTS", False):
        return transaction.atomic(using=using)
    return nullcontext()


@contextlib.contextmanager
def savepoints_under_atomic_requests() -> Iterator[Callable[[], None]]:
    """A savepoint in each transaction ``ATOMIC_REQUESTS`` opened, and what undoes them."""
    aliases = atomic_request_aliases()
    with contextlib.ExitStack() as savepoints:
        for alias in aliases:
            savepoints.enter_context(transaction.atomic(using=alias))

        def undo() -> None:
            for alias in aliases:
                transaction.set_rollback(True, using=alias)

        yield undo


def atomic_request_aliases() -> list[str]:
    """The databases whose ``ATOMIC_REQUESTS`` transaction the request runs in."""
    return [
        alias
        for alias in connections
        if connections[alias].settings_dict.get("ATOMIC_REQUESTS", False)
        and connections[alias].in_atomic_block
    ]


def lock_for_update(queryset: models.QuerySet) -> tuple[models.QuerySet, Any]:
    """``select_for_update(of=("self",))`` where the database and the query allow it; and
    the connection ``lock_found_row`` locks the row found on where the query does not allow
    it (None where the lookup locks itself, or nothing is to be locked).

    Only inside a transaction (the mutation's own, unless ``ATOMIC_MUTATIONS`` is off) and
    only on databases with row locks (SQLite serializes writers anyway); ``of=("self",)``
    so that a ``select_related`` on a nullable relation does not lock, or break, the
    lookup. Queries PostgreSQL cannot lock (``DISTINCT``, ``GROUP BY``, unions, window
    functions) are left as they are, their row locked once found. The database is the one
    the row is written to (a locked read goes there, where the mutation's transaction is),
    not a router's replica.
    """
    query = queryset.query
    if query.select_for_update:
        return queryset, None  # the project's own lock (nowait, skip_locked, no_key, of=)
    connection = _locking_connection(queryset)
    if connection is None:
        return queryset, None
    if not _lockable(query):
        return queryset, connection
    of = ("self",) if connection.features.has_select_for_update_of else ()
    return queryset.select_for_update(of=of), None


def lock_found_row(
    queryset: models.QuerySet, instance: models.Model, connection: Any
) -> models.Model:
    """Lock the row a lookup in ``queryset`` found, where ``lock_for_update`` could not lock
    the lookup itself (``DISTINCT``, ``GROUP BY``, a window: a ``distinct()`` over a
    many-to-many filter) and gave the ``connection`` to lock on: by its key, then the row
    is looked up again in ``queryset``, on the database it is written to, as the writer
    that held the lock left it (its joins, annotations and prefetches too). A row deleted
    meanwhile, or gone out of the queryset (another owner, soft-deleted), is
    ``NOT_FOUND``, as a locked lookup finds it.

    Two queries more (the lock, the new lookup) and its prefetches, for such querysets
    only; with no ``connection``, ``instance`` itself is returned.
    """
    if connection is None or not isinstance(instance, models.Model):
        return instance
    model = type(instance)
    rows = model._base_manager.using(connection.alias).select_for_update().filter(pk=instance.pk)
    # Sliced, not first(): an ORDER BY on the key would not start with DISTINCT ON's fields.
    again = queryset.using(connection.alias).filter(pk=instance.pk)
    fresh = list(again[:1]) if list(rows.values_list("pk")) else []
    if not fresh:
        raise not_found(model)
    return fresh[0]


def _locking_connection(queryset: models.QuerySet) -> Any:
    """The connection a locked read of ``queryset`` runs on, where it can lock: the one the
    row is written to (where the mutation's transaction is), not a router's replica."""
    alias = queryset._db or router.db_for_write(queryset.model, **queryset._hints)
    connection = connections[alias]
    if not connection.features.has_select_for_update or not connection.in_atomic_block:
        return None
    return connection


def _lockable(query: Any) -> bool:
    """Whether PostgreSQL takes ``FOR UPDATE`` on the query (not with DISTINCT, unions,
    GROUP BY or window functions)."""
    return not (
        query.distinct
        or query.combinator
        or query.group_by is not None
        or any(getattr(each, "contains_over_clause", False) for each in query.annotations.values())
    )


_Method = TypeVar("_Method", bound=Callable[..., Any])

#: What a read field's ``queryset=`` takes: rows, a manager, or a callable of ``info``
#: giving the rows per call.
Rows = models.QuerySet | models.Manager | Callable[[Any], models.QuerySet]


def query_hints(
    select_related: Iterable[str] = (), prefetch_related: Iterable[str] = ()
) -> Callable[[_Method], _Method]:
    """Declare what a ``SerializerMethodField``'s method reads, relative to the object::

    @query_hints(prefetch_related=["subtasks"])
    def get_open_subtasks(self, task) -> int:
        return sum(not s.done for s in task.subtasks.all())
    """

    def mark(method: _Method) -> _Method:
        method.select_related = tuple(select_related)  # type: ignore[attr-defined]
        method.prefetch_related = tuple(prefetch_related)  # type: ignore[attr-defined]
        return method

    return mark


# --------------------------------------------------------------------------- selections

Selection = dict[str, "Selection"]


def selection_tree(info: Any) -> Selection:
    """The fields the client selected under the resolved field, by GraphQL name, nested."""
    return _SelectionWalk(info).tree


def counted(tree: Selection) -> bool:
    """Whether a list's selection asks for its count: ``totalCount``, or ``total_count``
    in a schema built with graphene's ``auto_camelcase=False``."""
    return "totalCount" in tree or "total_count" in tree


class PayloadReader:
    """A mutation's payload as the payload checks read it, for ``unfilled_fields`` and
    ``unrepresented_fields`` alike: the client's selection, walked once, and each payload
    field the client selected read once, as graphene's default resolver reads it (a
    property behind it runs once for both checks).

    A list field holding an iterator (a generator, read once) in a plain dict is kept as
    the list graphql-core then reads, as a row's list leaves are; in any other payload it
    is left to graphql-core.
    """

    def __init__(self, info: Any, payload: Any) -> None:
        self.info = info
        self.payload = payload
        self._selected: Selection | None = None
        self._values: dict[str, Any] = {}

    @property
    def selected(self) -> Selection:
        if self._selected is None:
            self._selected = selection_tree(self.info)
        return self._selected

    def value(self, name: str, read: tuple[Any, Any], many: bool) -> Any:
        """The payload field ``name``, read at ``read`` (its key and default)."""
        if name in self._values:
            return self._values[name]
        value = dict_or_attr_resolver(*read, self.payload, self.info)
        if many:
            value = _kept_as_list(self.payload, read[0], value)
        self._values[name] = value
        return value


def _kept_as_list(row: Any, key: str, value: Any) -> Any:
    """``value``, read at ``key`` of ``row``; an iterator (read once) in a row of a plain
    kind as the list graphql-core then reads there, the list written back into the row."""
    if not _read_again_alike(value) and type(row) in _PLAIN_ROWS and key in row:
        value = row[key] = list(value)
    return value


def unfilled_fields(info: Any, payload: Any, reader: PayloadReader | None = None) -> list[str]:
    """The fields the client selected on a mutation's ``payload`` and on its objects that
    their type holds non-null and the rendered ``payload`` leaves null or out
    (``Type.field``; ``Payload.field (null)`` for the payload's own), with no list where
    they hold one (``(no list)``), or with a null item in a list of non-null items
    (``(a null item)``).

    Checked inside the write's transaction: graphql-core would find them after the commit,
    an error for the client with the write kept. Only fields read by graphene's default
    resolver are judged (a resolver of the project's own answers for itself); a null
    object where the type allows one is the payload's own business. The payload and its
    rows are read as graphene's default resolver reads them: a dict by its keys, any other
    object (a viewset action's answer of its own) by its attributes, the fields the client
    selected only (an attribute may be a property reading the database, a value a queryset
    running one); a model instance is left to the execution (``DRFGraphQLView`` renders it
    with its serializer). ``reader``: the payload as ``unrepresented_fields`` reads it too.
    """
    payload_type = get_named_type(info.return_type)
    own_leaves, entries = _payload_own_leaves(payload_type), _payload_reads(payload_type)
    if not own_leaves and not entries:
        return []
    reader = reader if reader is not None else PayloadReader(info, payload)
    selected = reader.selected
    gaps: list[str] = []
    for name, read, non_null, _, is_list in own_leaves:
        if non_null and name in selected and reader.value(name, read, is_list) is None:
            gaps.append(f"{payload_type.name}.{name} (null)")
    for name, read, many, object_type, reads, items_non_null, non_null in entries:
        if name not in selected:
            continue
        value = reader.value(name, read, many)
        if value is None and non_null:
            gaps.append(f"{payload_type.name}.{name} (null)")
            continue
        if many and value is not None and not is_iterable(value):
            gaps.append(f"{payload_type.name}.{name} (no list)")
            continue
        chosen = selected[name]
        for row in _payload_rows(value, many):
            if row is None:
                if items_non_null:
                    gaps.append(f"{payload_type.name}.{name} (a null item)")
                continue
            if isinstance(row, models.Model):
                continue  # rendered by its serializer (DRFGraphQLView), else read by graphene
            gaps += [
                f"{object_type.name}.{required}"
                for required, attribute, default in reads
                if required in chosen
                and dict_or_attr_resolver(attribute, default, row, info) is None
            ]
    return list(dict.fromkeys(gaps))  # once each, however many rows lack it


def refuse_unfilled(
    owner: str, info: Any, payload: Any, reader: PayloadReader | None = None
) -> None:
    """Refuse, inside the write's transaction, a payload missing a value a selected field
    holds non-null, or whose list field holds null, no list or a null item
    (``unfilled_fields``): the write is undone, and the log says what was missing, as a
    server error."""
    unfilled = unfilled_fields(info, payload, reader)
    if not unfilled:
        return
    missing = [each for each in unfilled if not each.endswith(")")]
    shapes = [each for each in unfilled if each.endswith(")")]
    said = []
    if missing:
        said.append(
            f"rendered no value for {', '.join(missing)}, which the payload holds non-null "
            "(the client selected them)"
        )
    if shapes:
        said.append(f"answered for {', '.join(shapes)} what the payload's type cannot hold")
    advice = (
        "Return saved rows from the serializer's create() or update() "
        "(bulk_create(ignore_conflicts=True) sets no keys)."
        if missing
        else "Answer what the field's type holds (a list of rows, for a list)."
    )
    raise ImproperlyConfigured(f"{owner} {' and '.join(said)}; the write is undone. {advice}")


def _payload_rows(value: Any, many: bool) -> Iterable[Any]:
    """The rows of a payload field's value: itself, or a list's items (any collection's,
    as graphql-core reads any iterable; an iterator, read once, is left to it, and so is a
    queryset of model instances, which is not run)."""
    if not many:
        return (value,)
    if type(value) is list:
        return value
    if isinstance(value, models.QuerySet) and issubclass(value._iterable_class, ModelIterable):
        return ()  # model instances, each rendered by its serializer: not run for them
    if value is not None and is_iterable(value) and _read_again_alike(value):
        return value
    return ()


@functools.lru_cache(maxsize=1024)
def _payload_reads(
    payload_type: Any,
) -> tuple[tuple[str, Any, bool, GraphQLObjectType, Any, bool, bool], ...]:
    """For each object field of a payload type: its name, the key graphene's default
    resolver reads it at with the default it gives, whether it holds a list of them, its
    type, that type's non-null fields the default resolver reads, with their keys and
    defaults (a field's ``default_value``, given where the key is missing), whether the
    list's items are non-null, and whether the field is."""
    entries = []
    for name, field in getattr(payload_type, "fields", {}).items():
        object_type = get_named_type(field.type)
        key_and_default = read_key_and_default(field.resolve)
        if not isinstance(object_type, GraphQLObjectType) or key_and_default is None:
            continue
        reads = tuple(
            (required, *read)
            for required, own in object_type.fields.items()
            if isinstance(own.type, GraphQLNonNull)
            and (read := read_key_and_default(own.resolve)) is not None
        )
        listed = get_nullable_type(field.type)
        many = isinstance(listed, GraphQLList)
        items_non_null = many and is_non_null_type(listed.of_type)
        non_null = is_non_null_type(field.type)
        entries.append((name, key_and_default, many, object_type, reads, items_non_null, non_null))
    return tuple(entries)


@functools.lru_cache(maxsize=1024)
def _payload_own_leaves(
    payload_type: Any,
) -> tuple[tuple[str, Any, bool, Callable[[Any], str | None], bool], ...]:
    """For each leaf field of a payload type itself (one a mutation declares besides its
    rows, answered by its ``run()``) that graphene's default resolver reads: its name, key
    and default, whether it is non-null, the function telling why a value does not fit,
    and whether it holds a list."""
    entries = []
    for name, field in getattr(payload_type, "fields", {}).items():
        read = read_key_and_default(field.resolve, global_ids=False)
        refusal = _leaf_refusal(field.type)
        if read is not None and refusal is not None:
            is_list = isinstance(get_nullable_type(field.type), GraphQLList)
            entries.append((name, read, is_non_null_type(field.type), refusal, is_list))
    return tuple(entries)


def unrepresented_fields(info: Any, payload: Any, reader: PayloadReader | None = None) -> list[str]:
    """The fields the client selected on a mutation's ``payload`` and on its objects whose
    rendered values their types cannot represent (``Type.field: graphql-core's words``):
    a stored choice no longer in ``choices``, an ``Int`` beyond 32 bits, a ``NaN``.

    Checked inside the write's transaction, as ``unfilled_fields``: graphql-core would
    refuse them after the commit. Each selected value is given to its type's
    ``serialize`` as graphql-core completes it (a field the client did not select is
    neither read nor serialized); leaves read by graphene's default resolver only, on the
    payload and its objects (not the objects below them). ``reader``: the payload as
    ``unfilled_fields`` reads it too.
    """
    refused: list[str] = []
    payload_type = get_named_type(info.return_type)
    own_leaves = _payload_own_leaves(payload_type)
    entries = _payload_leaves(payload_type)
    if not own_leaves and not any(leaves for *_, leaves in entries):
        return refused
    reader = reader if reader is not None else PayloadReader(info, payload)
    selected = reader.selected
    for name, read, _, refusal, is_list in own_leaves:
        if name in selected:
            value = reader.value(name, read, is_list)
            if value is not None and (reason := refusal(value)) is not None:
                refused.append(f"{payload_type.name}.{name}: {reason}")
    for name, read, many, object_type, leaves in entries:
        chosen = selected.get(name)
        if not chosen:
            continue
        leaves = tuple(leaf for leaf in leaves if leaf[0] in chosen)
        value = reader.value(name, read, many) if leaves else None
        for row in _payload_rows(value, many):
            if row is None or isinstance(row, models.Model):  # see unfilled_fields
                continue
            for field_name, attribute, default, refusal, is_list in leaves:
                item = dict_or_attr_resolver(attribute, default, row, info)
                if item is None:
                    continue
                if is_list:
                    # Read here, an iterator (a generator a method field returned) would be
                    # used up: kept as the list graphql-core reads, in a row of a plain
                    # kind; any other such value the refusal leaves to graphql-core.
                    item = _kept_as_list(row, attribute, item)
                if (reason := refusal(item)) is not None:
                    refused.append(f"{object_type.name}.{field_name}: {reason}")
    return list(dict.fromkeys(refused))


def _read_once(value: Any) -> bool:
    """Whether serializing ``value`` may use it up: an iterator (a generator), or a mapping
    or a collection (a list, a deque...) holding one at any depth, which a scalar's
    ``serialize`` reads (``JSONValue``'s encoder makes a nested generator a list, leaving
    it empty for graphql-core's own ``serialize``)."""
    pending, seen = [value], set()
    try:
        while pending:
            item = pending.pop()
            kind = type(item)
            if kind in _PLAIN_LEAVES or id(item) in seen:  # a value holding itself: once
                continue
            if not _read_again_alike(item):
                return True
            if isinstance(item, Mapping):
                seen.add(id(item))
                pending.extend(item.values())
            elif isinstance(item, Collection) and not isinstance(item, _FLAT):
                seen.add(id(item))  # a list, a tuple, a set, a deque...
                pending.extend(item)
    except Exception:  # noqa: BLE001 - a collection that cannot be walked: left as it is
        return True
    return False


#: Collections of numbers only (bytes-like, ranges): nothing in them to use up.
_FLAT = (bytearray, memoryview, range, array.array)


#: Values read as they are, holding nothing.
_PLAIN_LEAVES = frozenset({str, bytes, int, float, bool, type(None)})


def refuse_unrepresented(
    owner: str, info: Any, payload: Any, reader: PayloadReader | None = None
) -> None:
    """Refuse, inside the write's transaction, a payload holding a value a field the client
    selected cannot represent (``unrepresented_fields``): the write is undone, and the log
    names the fields and graphql-core's words, as a server error."""
    refused = unrepresented_fields(info, payload, reader)
    if refused:
        raise ImproperlyConfigured(
            f"{owner} rendered values their fields' types cannot represent ("
            f"{'; '.join(refused)}; the client selected them); the write is undone. A "
            "stored choice no longer in the field's choices, a number beyond its type, a "
            "NaN, no list where the field holds one: keep the values within the field's "
            "type, or give the field a type that holds them (a rule registered with "
            "convert_serializer_field)."
        )


@functools.lru_cache(maxsize=1024)
def _payload_leaves(payload_type: Any) -> tuple[tuple[str, Any, bool, GraphQLObjectType, Any], ...]:
    """For each object field of a payload type: its name, key and default, whether it
    holds a list, its type, and that type's leaf fields the default resolver reads, with
    their keys, defaults, a function telling why a value does not fit (None where it
    does) and whether the field holds a list."""
    entries = []
    for name, key_and_default, many, object_type, *_ in _payload_reads(payload_type):
        leaves = tuple(
            (field_name, *read, refusal, isinstance(get_nullable_type(own.type), GraphQLList))
            for field_name, own in object_type.fields.items()
            if (read := read_key_and_default(own.resolve, global_ids=False)) is not None
            and (refusal := _leaf_refusal(own.type)) is not None
        )
        entries.append((name, key_and_default, many, object_type, leaves))
    return tuple(entries)


def _leaf_refusal(field_type: Any) -> Callable[[Any], str | None] | None:
    """Why a non-null value does not fit ``field_type`` (a leaf, or a list of leaves), as
    graphql-core's completion would refuse it; None for any other type."""
    nullable_type = get_nullable_type(field_type)
    if is_leaf_type(nullable_type):
        return _value_refusal(nullable_type)
    if not isinstance(nullable_type, GraphQLList):
        return None
    item_type = get_nullable_type(nullable_type.of_type)
    if not is_leaf_type(item_type):
        return None
    items_non_null = is_non_null_type(nullable_type.of_type)
    item_refusal = _value_refusal(item_type)

    def refusal(value: Any) -> str | None:
        if type(value) is not list and not is_iterable(value):  # graphql-core's test
            return "Expected Iterable, but did not find one."
        if not _read_again_alike(value):
            return None  # an iterator, read once: left to graphql-core
        for item in value:
            if item is None:
                if items_non_null:
                    return "Cannot return null for its non-nullable items."
            elif (reason := item_refusal(item)) is not None:  # it reads what it may
                return reason
        return None

    return refusal


def _read_again_alike(value: Any) -> bool:
    """Whether reading ``value`` leaves it as it was: no iterable, or a collection (a
    ``range``, a ``deque``, a list subclass) or queryset, which iterate anew; an iterator
    (a generator) or an object iterated its own way may be read once only."""
    return (
        type(value) in _REREAD  # most values: no more to ask
        or not is_iterable(value)
        or isinstance(value, Collection | models.QuerySet)
        and not isinstance(value, Iterator)
    )


#: Types of rendered values read again as they were (most values are of them).
_REREAD = frozenset({str, bytes, list, dict, tuple, set, frozenset})
#: Rows a kept list can be written back into (DRF's ``ReturnDict`` is an ``OrderedDict``).
_PLAIN_ROWS = frozenset({dict, OrderedDict, ReturnDict})
_MISSING = object()


def _value_refusal(leaf_type: Any) -> Callable[[Any], str | None]:
    """``_serialize_refusal`` for ``leaf_type``, after a test of the values it plainly
    holds (the completer's pass-through table: text for ``String``, a 32-bit ``int`` for
    ``Int``...; a choice key for an enum): checked on every write, most values never
    reach ``serialize``."""
    table = pass_through_table(leaf_type)
    if table is not None:

        def refusal(value: Any) -> str | None:
            convert = table.get(type(value), _MISSING)
            if convert is None:
                return None
            if convert is not _MISSING:
                try:
                    convert(value)
                    return None
                except Exception:  # noqa: BLE001 - serialize says why
                    pass
            return _shallow_refusal(leaf_type, value)

        return refusal
    if isinstance(leaf_type, GraphQLEnumType):
        # graphene's enums hold members: a choice key of the member's own type is one.
        keys = frozenset(
            (type(key), key)
            for member in leaf_type.values.values()
            if type(key := getattr(member.value, "value", member.value)) in (str, int)
        )

        def enum_refusal(value: Any) -> str | None:
            kind = type(value)
            if (kind is str or kind is int) and (kind, value) in keys:
                return None
            return _shallow_refusal(leaf_type, value)

        return enum_refusal
    if getattr(leaf_type, "graphene_type", None) in _SHALLOW_SCALARS:
        return functools.partial(_shallow_refusal, leaf_type)
    return functools.partial(_deep_refusal, leaf_type)


#: The library's scalars with no pass-through table whose ``serialize`` reads no value it
#: is given (``int()`` of it); ``JSONValue`` reads all a value holds, as may a project's.
_SHALLOW_SCALARS = frozenset({scalars.BigInteger, scalars.UUIDInteger})


def _shallow_refusal(leaf_type: Any, value: Any) -> str | None:
    """``_serialize_refusal`` for a ``serialize`` that reads no value it is given (one of
    graphql-core's, an enum's, most of the library's): an iterator (a generator,
    ``itertools.count()``, a file) is judged as it is, unread, unless its class has Python
    code such a ``serialize`` may call (``__str__``, ``__int__``...), which may read it."""
    if not _read_again_alike(value) and _converts_in_python(type(value)):
        return None
    return _serialize_refusal(leaf_type, value)


@functools.lru_cache(maxsize=256)
def _converts_in_python(kind: type) -> bool:
    """Whether ``kind`` has a conversion or comparison other than C's own, which a scalar's
    ``serialize`` may call (``str()``, which falls back to ``__repr__``, ``int()``,
    ``float()``, an enum's lookup): a function, a ``partialmethod``, any wrapper."""
    for name in _CONVERSIONS:
        found = inspect.getattr_static(kind, name, None)
        if found is not None and not isinstance(found, _C_METHODS):
            return True
    return False


_CONVERSIONS = (
    "__str__",
    "__repr__",
    "__int__",
    "__index__",
    "__trunc__",
    "__float__",
    "__eq__",
    "__hash__",
)
#: Methods written in C (``object``'s, a generator's, ``itertools``'): they read nothing.
_C_METHODS = (
    types.WrapperDescriptorType,
    types.MethodDescriptorType,
    types.BuiltinFunctionType,
    types.MethodWrapperType,
)


def _deep_refusal(leaf_type: Any, value: Any) -> str | None:
    """``_serialize_refusal`` for a ``serialize`` that may read all a value holds
    (``JSONValue``'s encoder, a project's scalar): a value holding an iterator at any depth
    is left to graphql-core (``_read_once``), which would find it used up."""
    return None if _read_once(value) else _serialize_refusal(leaf_type, value)


def _serialize_refusal(leaf_type: Any, value: Any) -> str | None:
    try:
        serialized = leaf_type.serialize(value)
    except Exception as exc:  # noqa: BLE001 - what graphql-core would make a field error
        return str(exc) or type(exc).__name__
    if serialized is None or serialized is Undefined:
        return f"{leaf_type}.serialize() returned no value."
    return None


class _SelectionWalk:
    """The selection tree of a resolved field: fragments followed, and what ``@skip`` or
    ``@include`` leaves out left out, as graphql-core's execution leaves it out (a skipped
    field is neither fetched nor computed: its failure is no failure of the read).

    A fragment is merged into a subtree once: merging it again adds nothing, and a document
    whose fragments each spread the next one twice made 2 ** n merges (a 1 KB document
    held a worker for seconds, then minutes). ``directed`` tells whether the tree depends
    on such a directive (on the request's variables, then). A fragment whose type
    condition cannot apply to an object type it is spread on (``... on Other``, nested in
    an interface's fragment) is left out, as graphql-core leaves it out; on an interface
    or a union every fragment may apply.
    """

    def __init__(self, info: Any) -> None:
        self.schema = info.schema
        self.fragments = info.fragments
        self.variables = info.variable_values or {}
        self.merged: set[tuple[int, str]] = set()
        self.directed = False
        self.tree: Selection = {}
        parent = get_named_type(info.return_type)
        for node in info.field_nodes:
            self.merge(self.tree, node.selection_set, parent)

    def included(self, node: Any) -> bool:
        if not node.directives:
            return True
        try:
            skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
            include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        except GraphQLError:
            # A null "if": graphql-core refuses it where it meets the node (a row's path),
            # and never includes the node; not computing it leaves that error its own.
            self.directed = True
            return False
        if skip is None and include is None:
            return True
        self.directed = True
        return not (skip and skip["if"]) and not (include and not include["if"])

    def merge(self, tree: Selection, selection_set: SelectionSetNode | None, parent: Any) -> None:
        """Merge ``selection_set``, selected on ``parent`` (its named type; None where the
        schema does not tell, ``__typename``'s), into ``tree``."""
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if not self.included(selection):
                continue
            if isinstance(selection, FieldNode):
                name = selection.name.value
                field = getattr(parent, "fields", {}).get(name)
                sub_type = get_named_type(field.type) if field is not None else None
                self.merge(tree.setdefault(name, {}), selection.selection_set, sub_type)
            elif isinstance(selection, InlineFragmentNode):
                if self.applies(selection.type_condition, parent):
                    self.merge(tree, selection.selection_set, parent)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if (
                    fragment is not None
                    and (id(tree), name) not in self.merged
                    and self.applies(fragment.type_condition, parent)
                ):
                    self.merged.add((id(tree), name))
                    self.merge(tree, fragment.selection_set, parent)

    def applies(self, condition: NamedTypeNode | None, parent: Any) -> bool:
        """Whether a fragment on ``condition`` applies to ``parent``: graphql-core's
        ``does_fragment_condition_match`` for an object type; any may, on another."""
        if condition is None or not isinstance(parent, GraphQLObjectType):
            return True
        conditional = self.schema.get_type(condition.name.value)
        if conditional is parent:
            return True
        return is_abstract_type(conditional) and self.schema.is_sub_type(conditional, parent)


def _reads_whole_row(output_type: Any, selection: Selection) -> bool:
    """Whether a field of ``output_type`` that resolves its own way is selected (or the
    type is an interface or a union, whose fields cannot be told beforehand)."""
    own = own_resolved_fields(output_type)
    return own is None or any(name in selection for name in own)


def _named_type(field: Any) -> Any:
    """The object type a graphene field holds, lists and non-nulls unwrapped, else None."""
    kind = getattr(field, "type", None)
    while isinstance(kind, graphene.NonNull | graphene.List):
        kind = kind.of_type
    return kind if isinstance(kind, type) and hasattr(kind, "_meta") else None


#: graphene's camelCase of a field name; the same few names come back on every request.
_client_name = functools.lru_cache(maxsize=4096)(to_camel_case)


def prune(
    serializer: serializers.BaseSerializer, selection: Selection, output_type: Any = None
) -> None:
    """Drop the fields the client did not select, in nested serializers too.

    A serializer that renders its own way (``to_representation`` overridden, on it or on
    its list serializer) keeps every field, and so does everything nested in it: the
    override may read any key of the data (``data["notes"] or None``), as under REST. So
    does one read for an ``output_type`` that resolves fields its own way (a
    ``resolve_label`` reading ``root["title"]``, whether ``title`` is selected or not).
    """
    if output_type is not None and _reads_whole_row(output_type, selection):
        prebuild_fields(serializer, reading=True, nested=True)
        return
    if isinstance(serializer, serializers.ListSerializer):
        if type(serializer).to_representation is not serializers.ListSerializer.to_representation:
            prebuild_fields(serializer, reading=True, nested=True)
            return
        serializer = serializer.child
    if not isinstance(serializer, serializers.Serializer):
        return
    fields = prebuild_fields(serializer, reading=True).fields  # the nested ones below
    if renders_its_own_way(serializer):
        for field in fields.values():  # kept whole, with everything nested in it
            if isinstance(field, serializers.BaseSerializer):
                prebuild_fields(field, reading=True, nested=True)
        return
    by_client_name = {_client_name(name): name for name in fields}
    wanted: dict[str, Selection] = {}
    for client_name, sub in selection.items():
        name = by_client_name.get(client_name, client_name)
        if name in fields:
            wanted[name] = sub
    for name in list(fields):
        if name not in wanted:
            del fields[name]
    serializer.__dict__[_SELECTED_ONLY] = True  # as deep as selected: a tree ends here
    declared = getattr(getattr(output_type, "_meta", None), "fields", None) or {}
    for name, sub in wanted.items():
        if isinstance(fields[name], serializers.BaseSerializer) and sub:
            # The type the output type gives the field: a declared one may resolve its own.
            prune(fields[name], sub, _named_type(declared.get(name)))


# --------------------------------------------------------------------------- query hints


#: Marks a serializer ``prune`` left only the selected fields: nested as deep as selected.
_SELECTED_ONLY = "_drf_graphql_crud_selected_only"


def related_paths(
    serializer: serializers.BaseSerializer, model: type[models.Model] | None
) -> tuple[set[str], set[str]]:
    """``select_related`` and ``prefetch_related`` paths the serializer's fields need."""
    select: set[str] = set()
    prefetch: set[str] = set()
    _collect(serializer, model, "", False, select, prefetch, frozenset())
    return select, prefetch


def _collect(
    serializer: serializers.BaseSerializer,
    model: type[models.Model] | None,
    prefix: str,
    in_prefetch: bool,
    select: set[str],
    prefetch: set[str],
    above: frozenset[type],
) -> None:
    """Add the paths ``serializer``'s fields read, below ``prefix``. ``above``: the
    classes of the serializers it is nested in. A tree kept whole (not pruned to the
    selection) nests its own class without end: a serializer of a class above it is not
    followed, and the rows below are read as DRF reads them."""
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    if not isinstance(serializer, serializers.Serializer) or model is None:
        return
    if type(serializer) in above and not serializer.__dict__.get(_SELECTED_ONLY):
        return
    above = above | {type(serializer)}

    def add(path: str, many: bool) -> None:
        (prefetch if many or in_prefetch else select).add(path)

    meta = getattr(serializer, "Meta", None)
    for path in getattr(meta, "select_related", ()):
        add(prefix + path, not _joinable(model, path))
    for path in getattr(meta, "prefetch_related", ()):
        prefetch.add(_prefixed(prefix, path))

    for field in serializer.fields.values():
        if isinstance(field, serializers.SerializerMethodField):
            method = getattr(serializer, field.method_name, None)
            for path in getattr(method, "select_related", ()):
                add(prefix + path, not _joinable(model, path))
            for path in getattr(method, "prefetch_related", ()):
                prefetch.add(_prefixed(prefix, path))
            continue
        if type(field).get_attribute not in _STANDARD_GET_ATTRIBUTE:
            # It reads its value its own way (a relation filtered per row, another row): a
            # join or prefetch of its source would be a query nothing reads. What it reads
            # is its serializer's to hint (Meta.select_related / prefetch_related).
            continue
        if field.source == "*":
            _collect(field, model, prefix, in_prefetch, select, prefetch, above)
            continue
        _collect_source(field, model, prefix, in_prefetch, select, prefetch, add, above)


def _prefixed(prefix: str, path: str | Prefetch) -> str | Prefetch:
    """A prefetch path below ``prefix``; a ``Prefetch`` keeps its queryset and ``to_attr``."""
    if not isinstance(path, Prefetch):
        return prefix + path
    if not prefix:
        return path
    return Prefetch(prefix + path.prefetch_through, queryset=path.queryset, to_attr=path.to_attr)


def _lookup(path: str | Prefetch) -> str:
    """The relation path a prefetch follows."""
    return path.prefetch_through if isinstance(path, Prefetch) else path


def _collect_source(
    field: serializers.Field,
    model: type[models.Model],
    prefix: str,
    in_prefetch: bool,
    select: set[str],
    prefetch: set[str],
    add: Callable[[str, bool], None],
    above: frozenset[type],
) -> None:
    current: Any = model
    path = prefix
    many = in_prefetch
    attrs = field.source_attrs
    #: A to-many hop, added once the next attribute is known to read its prefetched rows.
    pending: str | None = None
    for index, attr in enumerate(attrs):
        last = index == len(attrs) - 1
        try:
            model_field = field_named(current, attr)
        except (FieldDoesNotExist, AttributeError):
            # A property or method: nothing known to fetch. After a to-many hop it is the
            # related manager's: a method of its own (``subtasks.open``, an unordered
            # ``first``) makes a new query, which no prefetch serves, as under REST.
            if pending is not None and _reads_prefetched_rows(current, attr):
                add(pending, True)
            return
        if pending is not None:
            add(pending, True)
            pending = None
        if not model_field.is_relation or is_generic_relation(model_field):
            return  # a column, or a GenericForeignKey (no join can fetch it)
        if attr != model_field.name:
            if model_field.concrete:
                return  # the key column itself (source="owner_id"): no join
            if not (many or model_field.many_to_many or model_field.one_to_many):
                # A reverse one-to-one by its accessor: select_related knows it by its
                # query name only (prefetch_related takes the accessor).
                return
        # A primary key read through a forward relation needs no join (DRF reads owner_id).
        if (
            last
            and not model_field.many_to_many
            and not model_field.one_to_many
            and model_field.concrete
            and reads_key_only(field)
        ):
            return
        to_many = model_field.many_to_many or model_field.one_to_many
        # A to-one row is read through its model's base manager, which a join ignores: one
        # that filters rows (Meta.base_manager_name) is served by a prefetch, which reads
        # through it, so a row it hides is None as under REST.
        many = many or to_many or related_row_may_be_missing(model_field)
        path = f"{path}{attr}"
        if to_many:
            pending = path
        else:
            add(path, many)
        current = model_field.related_model
        path += "__"
    if pending is not None:
        add(pending, True)
    if isinstance(field, serializers.BaseSerializer):
        _collect(field, current, path, many, select, prefetch, above)


def _joinable(model: type[models.Model], path: str) -> bool:
    """Whether a declared ``select_related`` path may be joined: not where a row it names may
    be missing (``related_row_may_be_missing``), which an inner join would drop the row
    holding the key for; such a path is prefetched, as REST reads None for it."""
    for part in path.split(LOOKUP_SEP):
        try:
            model_field = field_named(model, part)
        except (FieldDoesNotExist, AttributeError):
            return True  # not a relation Django knows: left to select_related to refuse
        if not model_field.is_relation or model_field.related_model is None:
            return True
        if related_row_may_be_missing(model_field):
            return False
        model = model_field.related_model
    return True


def _reads_prefetched_rows(model: type[models.Model], method: str) -> bool:
    """Whether a related manager's ``method`` answers from its prefetched rows: ``all``,
    ``count`` and ``exists`` do, ``first`` and ``last`` where the rows have an order (else
    they order by key in a query of their own); anything else is the project's own."""
    if method in ("all", "count", "exists"):
        return True
    return method in ("first", "last") and bool(model._meta.ordering)


def field_named(model: type[models.Model], name: str) -> Any:
    """The model field ``name`` names, as ``_meta.get_field`` finds it, or the reverse
    relation whose accessor it is: a serializer reads ``task.subtask_set`` (and
    ``prefetch_related`` takes that name) where ``get_field`` knows it as ``subtask``.
    Only while the model's attribute of that name is the relation's own (a property of a
    subclass may stand in its place)."""
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        descriptor = getattr(model, name, None)
        described = getattr(descriptor, "rel", None) or getattr(descriptor, "related", None)
        for relation in model._meta.related_objects:
            if relation.get_accessor_name() == name and relation is described:
                return relation
        raise


def only_columns(
    serializer: serializers.BaseSerializer, model: type[models.Model]
) -> list[str] | None:
    """The columns to load when that is certainly all the serializer reads, else ``None``.

    Safe only when every field reads one concrete column of the row (or a forward key read
    as its id, or a prefetched many-relation, which needs only the primary key) and the
    serializer renders its fields the standard way; anything else may read more of the row.
    """
    if isinstance(serializer, serializers.ListSerializer):
        if type(serializer).to_representation is not serializers.ListSerializer.to_representation:
            return None  # a list serializer of its own may read any row's columns
        serializer = serializer.child
    if renders_its_own_way(serializer) or _reads_its_row_when_loaded(model):
        return None
    columns = {model._meta.pk.attname}
    for field in serializer.fields.values():
        if field.source == "*" or len(field.source_attrs) != 1:
            return None
        if type(field).get_attribute not in _STANDARD_GET_ATTRIBUTE:
            return None  # a field that fetches its value its own way may read any column
        try:
            model_field = field_named(model, field.source_attrs[0])
        except FieldDoesNotExist:
            return None  # a property or method: it may read anything
        if model_field.many_to_many:
            continue  # prefetched: the row's primary key is all it reads of the row
        if model_field.one_to_many:
            if reads_key_only(field) or not _may_read_back(field, model_field):
                continue  # prefetched; nothing of this row read from the related rows
            # Django's prefetch points each related row back at this one: whatever of the
            # row a nested serializer reads through that back-reference (``task.title``
            # from a subtask) would be loaded per row from the deferred columns.
            return None
        if model_field.is_relation and not (model_field.concrete and reads_key_only(field)):
            return None
        if not model_field.concrete:
            return None
        columns.add(model_field.attname)
    return sorted(columns)


def _reads_its_row_when_loaded(model: type[models.Model]) -> bool:
    """Whether building ``model``'s rows may read their columns: an ``__init__``,
    ``from_db`` or ``refresh_from_db`` of its own (change tracking), or a ``post_init``
    receiver (django-model-utils' ``FieldTracker``, an ``ImageField``'s dimensions). A
    column left out would then be loaded by a query of its own, for every row."""
    return _loads_its_own_way(model) or post_init.has_listeners(model)


@functools.cache
def _loads_its_own_way(model: type[models.Model]) -> bool:
    for klass in model.__mro__:
        if klass is models.Model:
            return False
        if {"__init__", "from_db", "refresh_from_db"} & vars(klass).keys():
            return True
    return False


def _may_read_back(field: serializers.Field, relation: Any) -> bool:
    """Whether what renders a reverse relation's rows may read this row through them: a
    nested serializer whose fields each read a column or relation of the related row other
    than the reference back, in the standard way, does not; anything else may."""
    nested = getattr(field, "child", field)
    if not isinstance(nested, serializers.Serializer) or renders_its_own_way(nested):
        return True  # a related field's __str__, slug or URL may read anything
    if (
        isinstance(field, serializers.ListSerializer)
        and type(field).to_representation is not serializers.ListSerializer.to_representation
    ):
        return True  # a list serializer of its own may read anything of the rows
    reference = getattr(relation, "field", None)  # a GenericRelation has none
    if reference is None:
        return True
    related_model, back = relation.related_model, reference.name
    for child in nested.fields.values():
        if child.source == "*" or type(child).get_attribute not in _STANDARD_GET_ATTRIBUTE:
            return True
        if child.source_attrs[0] == back:
            return True
        try:
            related_model._meta.get_field(child.source_attrs[0])
        except FieldDoesNotExist:
            return True  # a property or method of the related row: it may read anything
    return False


#: DRF's ways of reading a field's value from the row: its ``source`` attribute, no more.
_STANDARD_GET_ATTRIBUTE = (
    serializers.Field.get_attribute,
    serializers.RelatedField.get_attribute,
    serializers.ManyRelatedField.get_attribute,
)

Hints = tuple[tuple[str, ...], tuple[str, ...], "tuple[str, ...] | None"]


def hints_for(serializer: serializers.BaseSerializer, model: type[models.Model]) -> Hints:
    """``select_related`` and ``prefetch_related`` paths, and the ``only()`` columns or None."""
    select, prefetch = related_paths(serializer, model)
    # A Prefetch object (a hint's own queryset or to_attr) stands for the plain path it
    # fills: Django refuses both for one relation.
    filled = {path.prefetch_to for path in prefetch if isinstance(path, Prefetch)}
    if filled:
        prefetch = {path for path in prefetch if isinstance(path, Prefetch) or path not in filled}
    columns = None if select else only_columns(serializer, model)
    if columns is not None:
        columns = _with_prefetched_keys(columns, prefetch, model)
    return (
        tuple(sorted(select)),
        tuple(sorted(prefetch, key=_lookup)),
        None if columns is None else tuple(columns),
    )


def _with_prefetched_keys(
    columns: list[str], prefetch: Iterable[str], model: type[models.Model]
) -> list[str] | None:
    """``columns`` plus the key each prefetch reads from the row (a forward relation's
    ``project_id``, prefetched from ``Meta.prefetch_related``), or ``None`` when a prefetch
    starts from what is not a model field: it may read any column."""
    keys = set(columns)
    for path in prefetch:
        try:
            field = field_named(model, _lookup(path).split(LOOKUP_SEP, 1)[0])
        except FieldDoesNotExist:
            return None
        if field.concrete and field.is_relation and not field.many_to_many:
            keys.add(field.attname)
            continue
        joined = joined_fields(field)  # a many-relation: what its prefetch matches on
        if joined is None:
            return None
        keys.update(each.attname for each in joined)
    return sorted(keys)


def optimize(
    queryset: models.QuerySet,
    serializer: serializers.BaseSerializer,
    hints: Hints | None = None,
    restrict_columns: bool = True,
) -> models.QuerySet:
    """The queryset with the joins, prefetches and (where safe) column list the fields need.

    What the caller's queryset already says stands: a ``values()`` queryset is left as it
    is; one that defers columns (``only()``/``defer()``) gets only the joins through
    relations it loads (Django refuses to follow a deferred one; ``defer("notes")`` keeps
    every join); one that follows every relation (``select_related()``) keeps doing
    so; a union is left as it is; and the column list is applied only to a queryset that
    chose nothing itself (no ``select_related``, deferral or prefetch of its own), since
    ``only()`` would defer what those read, and only where ``restrict_columns`` (no object
    permission reads the row). Rows come back as REST reads them, maybe with more queries.
    """
    if queryset._iterable_class is not ModelIterable or queryset.query.combinator:
        return queryset  # Django refuses joins, prefetches and column lists on a union
    select, prefetch, columns = hints or hints_for(serializer, queryset.model)
    query = queryset.query
    deferring = query.deferred_loading != (frozenset(), True)
    if select and deferring:
        mask = query.get_select_mask()
        select = tuple(path for path in select if _traversable(path, query.model, mask))
    if select and query.select_related is not True:
        queryset = queryset.select_related(*select)
    elif (
        restrict_columns
        and columns is not None
        and not select
        and not deferring
        and query.select_related is False
        and not queryset._prefetch_related_lookups
    ):
        queryset = queryset.only(*columns)
    if prefetch and queryset._prefetch_related_lookups:  # Django's own list, 4.2 to 6.1
        own = [_prefetch_to(lookup) for lookup in queryset._prefetch_related_lookups]
        prefetch = [lookup for lookup in prefetch if not _prefetched_already(lookup, own)]
    if prefetch:
        queryset = queryset.prefetch_related(*prefetch)
    return queryset


def _traversable(path: str, model: type[models.Model], mask: dict[Any, Any]) -> bool:
    """Whether ``select_related(path)`` follows only relations the queryset loads, by its
    select mask (``Query.get_select_mask()``: the fields each model loads, by ``only()`` or
    ``defer()``, however they were named, ``project_id`` or ``project__slug``), as Django's
    ``select_related_descend`` tells them: it refuses to follow a deferred relation. A
    reverse relation under a mask is not followed (its mask is the other side's)."""
    opts = model._meta
    for hop in path.split(LOOKUP_SEP):
        try:
            field = opts.get_field(hop)
        except FieldDoesNotExist:
            return False
        if mask and (not field.concrete or field not in mask):
            return False
        mask = mask.get(field) or {}
        if field.related_model is None:
            return False
        opts = field.related_model._meta
    return True


def _prefetch_to(lookup: Any) -> str:
    """Where a lookup's rows land: a ``Prefetch``'s ``prefetch_to`` (its ``to_attr`` path), a
    plain lookup's own text."""
    return lookup.prefetch_to if isinstance(lookup, models.Prefetch) else lookup


def _prefetched_already(hint: Any, own: list[str]) -> bool:
    """Whether ``hint`` is a ``Prefetch`` with rows of its own for a relation the caller's
    queryset prefetches already, or prefetches through: Django refuses a second queryset
    for one relation ("lookup was already seen with a different queryset"), and the
    caller's stands. A plain lookup is merged with the caller's by Django itself."""
    if not isinstance(hint, models.Prefetch) or hint.queryset is None:
        return False
    path = hint.prefetch_to
    return any(each == path or each.startswith(f"{path}__") for each in own)


# --------------------------------------------------------------------------- per selection
#
# A client repeats the same few operations, and ``DRFGraphQLView``'s document cache hands
# graphql-core the same parsed document each time, so a read field sees the same field
# nodes again. What depends only on them (the selection tree) and on the classes of the
# serializers (the query hints, a walk over the pruned fields and the model's meta) is
# kept per field and selection. The hints are reused only for a serializer whose fields
# all come from their classes (``fieldcache``), and only while no class's fields have been
# rebuilt since; a serializer whose ``__init__`` or hooks shape its fields per request gets
# them computed afresh every time.


class _Selection:
    """The selection of one read field in one document, and the hints derived from it."""

    __slots__ = ("hints", "nodes", "tree")

    def __init__(self, nodes: tuple[FieldNode, ...], tree: Selection) -> None:
        self.nodes = nodes  # held, so that the ids in the key stay theirs
        self.tree = tree
        self.hints: tuple[int, type[models.Model], Hints] | None = None

    def optimize(
        self,
        queryset: models.QuerySet,
        serializer: serializers.BaseSerializer,
        generation: int,
        restrict_columns: bool = True,
    ) -> models.QuerySet:
        """``optimize()``, with the hints computed once while ``generation`` holds."""
        if not fields_from_classes(serializer):
            return optimize(queryset, serializer, restrict_columns=restrict_columns)
        model = queryset.model
        cached = self.hints
        if cached is not None and cached[0] == generation and cached[1] is model:
            return optimize(queryset, serializer, cached[2], restrict_columns)
        hints = hints_for(serializer, model)
        self.hints = (generation, model, hints)
        return optimize(queryset, serializer, hints, restrict_columns)


#: Selections by field and the ids of the nodes selecting it (an entry holds the nodes).
_selections = NodeCache()


def _selection(field: graphene.Field, info: Any) -> _Selection:
    nodes = info.field_nodes
    key = (field, *map(id, nodes))
    entry = _selections.get(key)
    if entry is None:
        walk = _SelectionWalk(info)
        entry = _Selection(tuple(nodes), walk.tree)
        if not walk.directed:  # else the selection is this request's variables' own
            _selections.put(key, entry, entry.nodes)
    return entry


def fields_from_classes(serializer: serializers.BaseSerializer) -> bool:
    """Whether the (pruned) serializer and every nested one got its fields from its class."""
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    if not fields_from_class(serializer):
        return False
    return all(
        fields_from_classes(field)
        for field in serializer.fields.values()
        if isinstance(field, serializers.BaseSerializer)
    )


# --------------------------------------------------------------------------- fields


class _SerializerReadField(graphene.Field):
    """What RetrieveField and ListField share: queryset, permissions, context, errors."""

    action = "retrieve"

    def __init__(
        self,
        serializer_class: type[serializers.BaseSerializer],
        graphene_type: Any,
        args: dict[str, Any],
        queryset: Rows | None = None,
        permission_classes: Iterable[type] | None = None,
        **kwargs: Any,
    ) -> None:
        name = f"{type(self).__name__}({serializer_class.__name__})"
        if isinstance(queryset, type) or not (
            queryset is None
            or isinstance(queryset, models.QuerySet | models.Manager)
            or callable(queryset)
        ):
            raise ImproperlyConfigured(
                f"{name}: queryset must be a QuerySet, a manager or a callable taking info, "
                f"not {queryset!r} (Model.objects.all() for a model's rows)."
            )
        self.serializer_class = serializer_class
        self.queryset = queryset
        self.model = model_of(serializer_class, queryset)
        refuse_other_rows(name, serializer_class, self.model)
        if self.model is None:
            raise ImproperlyConfigured(
                f"{self.__class__.__name__}({serializer_class.__name__}) needs a queryset: the "
                "serializer has no Meta.model."
            )
        self.permission_classes = permission_classes
        super().__init__(graphene_type, args=args, resolver=self._resolve, **kwargs)
        read_fields.append(self)

    def read_database(self) -> Callable[[], str | None] | None:
        """What names the database the read reads, where it is known before the project's
        code runs: the field's queryset's (``using()``, else the router's); None for rows
        a manager's ``get_queryset()`` or a callable gives, known only once they are asked
        for (inside the read's savepoints)."""
        if isinstance(self.queryset, models.QuerySet):
            return lambda: self.queryset.db
        return None

    def fields_of_the_instance(self, serializer: serializers.BaseSerializer) -> bool:
        """Whether the serializer's class may give an instance fields of its own (DRF's
        "dynamically modifying fields", which may read ``self.instance``): it then renders
        from one made with its rows, as REST's ``get_serializer()`` makes it."""
        shaped = self.__dict__.get("_fields_of_the_instance")
        if shaped is None:
            shaped = self.__dict__["_fields_of_the_instance"] = shapes_its_fields(serializer)
        return shaped

    def get_queryset(self, info: Any) -> models.QuerySet:
        """``queryset`` (a QuerySet, or a callable taking ``info`` for per-caller rows)."""
        if callable(self.queryset) and not isinstance(
            self.queryset, models.QuerySet | models.Manager
        ):
            return self.queryset(info)
        if self.queryset is not None:
            return self.queryset.all()
        return self.model._default_manager.all()

    def get_permissions(self) -> list[Any]:
        classes = self.permission_classes
        if classes is None:
            classes = api_settings.DEFAULT_PERMISSION_CLASSES
        return [permission() for permission in classes]

    def output_type_for(
        self, serializer_class: type[serializers.BaseSerializer], output_type: Any
    ) -> type:
        """The type of one object: ``output_type`` if given, else the generated one."""
        if output_type is None:
            return serializer_type(serializer_class, Mode.OUTPUT)
        name = f"{self.__class__.__name__}({serializer_class.__name__})"
        return checked_output_type(name, serializer_class, output_type)

    @direct_resolver
    def _resolve(self, root: Any, info: Any, **arguments: Any) -> Any:
        try:
            kwargs = self.decoded_arguments(info, arguments)
            request = operation_request(info.context, "GET", self.query_params(info, kwargs))
            permissions = self.get_permissions()
            view_kwargs = self.view_kwargs(kwargs)
            with own_attributes(request):  # a read sent by GET runs on the endpoint's
                carry_data(request, {})  # its own empty body, as a REST GET has
                view = OperationView(self, info, request, self.action, view_kwargs, permissions)
                check_permissions(permissions, request, view)
                with read_savepoint(self.read_database()):
                    return self.read(info, view, permissions, kwargs)
        except Exception as exc:
            raise resolver_error(exc, info, arguments) from None

    def decoded_arguments(self, info: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The arguments as the read uses them (a Relay node's global ID made a key)."""
        return kwargs

    def view_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {}

    def query_params(self, info: Any, kwargs: dict[str, Any]) -> QueryDict | None:
        """The query string the operation's request carries; None: the endpoint's own."""
        return None

    def read(self, info: Any, view: OperationView, permissions: list[Any], kwargs: dict) -> Any:
        raise NotImplementedError


class RetrieveField(_SerializerReadField):
    """``task(id: ID!): TaskOutput``: one object, as ``GET /tasks/<id>/`` returns it.

    ``NOT_FOUND`` when the lookup misses or the object is outside the queryset.
    ``output_type`` (a ``SerializerObjectType`` of the serializer) replaces the generated
    type; when it is a Relay node, ``id`` also takes its global IDs.
    """

    action = "retrieve"

    def __init__(
        self,
        serializer_class: type[serializers.BaseSerializer],
        lookup_field: str = "pk",
        queryset: Rows | None = None,
        permission_classes: Iterable[type] | None = None,
        output_type: type | None = None,
        **kwargs: Any,
    ) -> None:
        refuse_serializer_class(f"{type(self).__name__}(serializer_class=...)", serializer_class)
        if not isinstance(lookup_field, str) or not lookup_field:
            raise ImproperlyConfigured(
                f"{type(self).__name__}({serializer_class.__name__})"
                f": lookup_field must be a field's name, not {lookup_field!r}."
            )
        self.lookup_field = lookup_field
        self.lookup_arg_name = "id" if lookup_field in ("pk", "id") else lookup_field
        lookup_type: Any = graphene.ID
        if self.lookup_arg_name != "id":
            field = instantiate(serializer_class).fields.get(lookup_field)
            converted = convert_serializer_field(field, Mode.INPUT) if field is not None else None
            lookup_type = nullable(converted) if converted is not None else graphene.String
        self.output_type = self.output_type_for(serializer_class, output_type)
        super().__init__(
            serializer_class,
            self.output_type,
            {
                self.lookup_arg_name: graphene.Argument(
                    graphene.NonNull(lookup_type),
                    description=f"The `{lookup_field}` of the object to read.",
                )
            },
            queryset=queryset,
            permission_classes=permission_classes,
            **kwargs,
        )

    def decoded_arguments(self, info: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        if self.lookup_arg_name != "id":
            return kwargs
        # Where the output type is a Relay node, `id` is its global ID.
        return {**kwargs, "id": node_lookup(self.output_type, kwargs.get("id"), info)}

    def view_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {self.lookup_field: kwargs.get(self.lookup_arg_name)}

    def read(self, info: Any, view: OperationView, permissions: list[Any], kwargs: dict) -> Any:
        selection = _selection(self, info)
        fields_generation = generation()  # before the fields are built: see _Selection
        serializer = self.serializer_class(context=view.get_serializer_context())
        # Gives it its fields (prebuild_fields) first.
        prune(serializer, selection.tree, self.output_type)
        # An object permission may read any column of the row (obj.owner_id): all loaded.
        restrict = not any(map(reads_the_object, permissions))
        rows = self.get_queryset(info)
        queryset = selection.optimize(rows, serializer, fields_generation, restrict)
        # optimize() appends its lookups to the project's own.
        own = rows._prefetch_related_lookups
        prefetch = () if restrict else queryset._prefetch_related_lookups[len(own) :]
        if prefetch:
            # The rows the selection adds are read once the object permission allows the
            # row: a refused caller costs REST's lookup alone. The project's own prefetches
            # stay with the lookup: the permission may read them (a filtered Prefetch, a
            # to_attr list), as it does on the row REST's get_object() hands it.
            queryset = queryset.prefetch_related(None).prefetch_related(*own)
        instance = get_object(queryset, {self.lookup_field: kwargs[self.lookup_arg_name]})
        check_object_permissions(permissions, view.request, view, instance)
        if prefetch:
            models.prefetch_related_objects([instance], *prefetch)
        if self.fields_of_the_instance(serializer):
            # Made for the row, as REST's get_serializer(instance): its fields may be the
            # row's (one shown to the row's owner only).
            serializer = self.serializer_class(instance, context=view.get_serializer_context())
            prune(serializer, selection.tree, self.output_type)
            return serializer.data
        serializer.instance = instance
        return serializer.data


class _NodeReader(RetrieveField):
    """``get_node`` of a Relay node ``SerializerObjectType``: its ``retrieve``, by pk.

    Not a field of any schema: graphene's ``node(id:)`` field calls it with the primary key
    it has decoded from the global ID.
    """

    def __init__(self, node_type: type) -> None:
        # RetrieveField's attributes, set from the node; not listed among the schema's read
        # fields, since no schema holds it.
        meta = node_type._meta
        self.node_type = node_type
        self.serializer_class = meta.serializer_class
        self.queryset = meta.queryset
        self.model = node_model(node_type)  # None for a plain serializer's get_queryset()
        self.permission_classes = meta.permission_classes
        self.lookup_field = "pk"
        self.lookup_arg_name = "id"
        self.output_type = node_type
        graphene.Field.__init__(self, node_type, resolver=self._resolve)

    def read_database(self) -> Callable[[], str | None] | None:
        from .types import SerializerObjectType  # types builds on this module

        own = self.node_type.get_queryset.__func__ is not SerializerObjectType.get_queryset.__func__
        return None if own else super().read_database()

    def get_queryset(self, info: Any) -> models.QuerySet:
        queryset = self.node_type.get_queryset(info)
        if self.model is not None and not renders_rows(self.model, queryset.model):
            raise ImproperlyConfigured(  # a server error, logged: never another type's rows
                f"{self.node_type.__name__}.get_queryset() returned {queryset.model.__name__} "
                f"rows; the node shows {self.model.__name__} rows."
            )
        return queryset

    def decoded_arguments(self, info: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        return kwargs  # graphene has decoded the global ID already

    def read_node(self, info: Any, pk: Any) -> Any:
        data = self._resolve(None, info, id=pk)
        # node(id:) is typed as the Node interface: graphql-core finds the object type of
        # a dict by its `__typename` key.
        data["__typename"] = self.node_type._meta.name
        return data


_node_readers: dict[type, _NodeReader] = {}


def node_reader(node_type: type) -> _NodeReader:
    """The reader behind ``node_type.get_node``, made once per node type."""
    reader = _node_readers.get(node_type)
    if reader is None:
        reader = _node_readers[node_type] = _NodeReader(node_type)
    return reader


class ListField(_SerializerReadField):
    """``tasks(filter, search, orderBy, limit, offset): TaskOutputList``.

    ``queryset`` may be a callable taking ``info`` (``lambda info: Task.objects.filter(
    owner=info.context.user)``), as ``get_queryset`` is a method on a view.
    ``filterset_class`` / ``filterset_fields`` (django-filter) become a typed ``filter``
    argument; ``search_fields`` a ``search`` argument with DRF ``SearchFilter``'s rules;
    ``ordering_fields`` an ``orderBy`` list (``"-due_date"`` descends; camelCase names are
    accepted too). ``limit`` defaults to and is capped at ``max_limit`` (``MAX_LIMIT``).
    ``output_type`` (a ``SerializerObjectType`` of the serializer, a Relay node for
    instance) types the results instead of the generated type.
    """

    action = "list"

    def __init__(
        self,
        serializer_class: type[serializers.BaseSerializer],
        queryset: Rows | None = None,
        filterset_class: type | None = None,
        filterset_fields: Any = None,
        ordering_fields: Iterable[str] | None = None,
        search_fields: Iterable[str] | None = None,
        max_limit: int | None = None,
        permission_classes: Iterable[type] | None = None,
        output_type: type | None = None,
        **kwargs: Any,
    ) -> None:
        refuse_serializer_class(f"{type(self).__name__}(serializer_class=...)", serializer_class)
        model = model_of(serializer_class, queryset)
        if filterset_class is not None:
            from django_filters.filterset import BaseFilterSet

            if not (
                isinstance(filterset_class, type) and issubclass(filterset_class, BaseFilterSet)
            ):
                raise ImproperlyConfigured(
                    f"ListField({serializer_class.__name__}): "
                    f"filterset_class is {filterset_class!r}, not a django-filter FilterSet class."
                )
        if filterset_class is None and filterset_fields and model is not None:
            from .filters import filterset_for_fields

            try:
                filterset_class = filterset_for_fields(model, filterset_fields)
            except Exception as exc:  # django-filter's TypeError, FieldError, ...
                raise ImproperlyConfigured(
                    f"ListField({serializer_class.__name__}): filterset_fields "
                    f"{filterset_fields!r} gives no filter set for {model.__name__} "
                    f"({type(exc).__name__}: {exc})"
                ) from exc
        self.filterset_class = filterset_class
        # "__all__" as DRF's OrderingFilter reads it: any column of the model, or annotation.
        if isinstance(ordering_fields, str) and ordering_fields != ALL_FIELDS:
            ordering_fields = (ordering_fields,)
        self.ordering_fields: tuple[str, ...] | str = (
            ALL_FIELDS if ordering_fields == ALL_FIELDS else tuple(ordering_fields or ())
        )
        if isinstance(search_fields, str):  # one field, not its letters
            search_fields = (search_fields,)
        self.search_fields = tuple(search_fields or ())
        for option, names in (
            ("ordering_fields", () if self.ordering_fields == ALL_FIELDS else self.ordering_fields),
            ("search_fields", self.search_fields),
        ):
            for name in names:
                if not isinstance(name, str):
                    raise ImproperlyConfigured(
                        f"ListField({serializer_class.__name__}): {option} holds {name!r}, "
                        "not a field's name."
                    )
        if max_limit is not None and (
            not isinstance(max_limit, int) or isinstance(max_limit, bool) or max_limit < 1
        ):
            raise ImproperlyConfigured(
                f"ListField({serializer_class.__name__}): max_limit is {max_limit!r}, not a "
                "positive integer."
            )
        self.max_limit = max_limit
        self.output_type = self.output_type_for(serializer_class, output_type)
        args: dict[str, Any] = {}
        if filterset_class is not None:
            from .filters import filter_input_name, filterset_input_type

            input_type = filterset_input_type(filterset_class, filter_input_name(filterset_class))
            args["filter"] = graphene.Argument(input_type)
        if self.search_fields:
            args["search"] = graphene.Argument(graphene.String, description="Search terms.")
        if self.ordering_fields:
            allowed = (
                "Any column of the model"
                if self.ordering_fields == ALL_FIELDS
                else f"Any of {', '.join(self.ordering_fields)}"
            )
            args["order_by"] = graphene.Argument(
                graphene.List(graphene.NonNull(graphene.String)),
                description=f"{allowed}; '-' descends.",
            )
        args["limit"] = graphene.Argument(
            graphene.Int, description="At most this many results (0: the default)."
        )
        args["offset"] = graphene.Argument(graphene.Int, description="Skip this many results.")
        super().__init__(
            serializer_class,
            list_output_type(self.output_type),
            args,
            queryset=queryset,
            permission_classes=permission_classes,
            **kwargs,
        )

    def query_params(self, info: Any, kwargs: dict[str, Any]) -> QueryDict | None:
        """REST's parameters for the arguments (``?status=todo&search=…&ordering=-due_date&
        limit=…&offset=…``), and nothing else, as ``ViewSetCrud`` gives a list: what a
        permission reading ``request.query_params`` judges under REST."""
        params = QueryDict(mutable=True)
        filter_values = kwargs.get("filter")
        if self.filterset_class is not None and filter_values:
            from .filters import query_dict

            params = query_dict(self.filterset_class, filter_values)
        if kwargs.get("search") is not None:
            params[SearchFilter.search_param] = kwargs["search"]
        if kwargs.get("order_by"):
            # Before the permission check, as REST builds its query string before the view
            # runs: a per-caller queryset (a callable) is not called yet, so its
            # annotations are not known, and a name no column has is taken in snake_case,
            # as a REST client would write it.
            rows = self._rows_known_beforehand()
            allowed = self._orderable(rows)
            params[OrderingFilter.ordering_param] = rest_ordering(
                kwargs["order_by"], allowed, snake_case_unknown=rows is None
            )
        for argument in ("limit", "offset"):
            if kwargs.get(argument) is not None:
                params[argument] = str(kwargs[argument])
        return params

    def read(self, info: Any, view: OperationView, permissions: list[Any], kwargs: dict) -> Any:
        limit, offset = self._page(kwargs.get("limit"), kwargs.get("offset"))
        queryset = self.get_queryset(info)
        if self.filterset_class is not None:
            from .filters import filter_queryset

            queryset = filter_queryset(
                self.filterset_class, kwargs.get("filter"), queryset, view.request
            )
        if kwargs.get("search"):
            view.search_fields = self.search_fields
            search = SearchFilter()
            # Under the parameter the filter reads (fixed when DRF was imported, as REST's).
            search_request = SimpleNamespace(query_params={search.search_param: kwargs["search"]})
            check_search_terms(search, search_request)
            queryset = search.filter_queryset(search_request, queryset, view)
        if kwargs.get("order_by") or not queryset.query.is_sliced:  # a slice keeps its order
            queryset = queryset.order_by(*self._ordering(kwargs.get("order_by"), queryset))

        selection = _selection(self, info)
        tree = selection.tree
        result: dict[str, Any] = {}
        if counted(tree):
            result["total_count"] = queryset.count()
        if "results" in tree:
            fields_generation = generation()  # before the fields are built: see _Selection
            serializer = self.serializer_class(many=True, context=view.get_serializer_context())
            prune(serializer, tree["results"], self.output_type)  # gives it its fields first
            queryset = selection.optimize(queryset, serializer, fields_generation)
            total = result.get("total_count")
            if total is None and offset and _orders_across_many(queryset):
                # A row read once per related row: more rows than the count, and REST's
                # LimitOffsetPagination reads a page by the count; so is this one.
                total = queryset.count()
            if total is not None and (
                total == 0
                or offset > total
                or (offset == total and not _orders_across_many(queryset))
            ):
                # Past the last row, or none: no page to read, as LimitOffsetPagination (at
                # the count itself, rows past it may still be read where an order repeats
                # them; else there are none, and no query is made for them).
                page = queryset.none()
            else:
                page = queryset[offset : offset + limit]
            if self.fields_of_the_instance(serializer.child):
                # Made for the page, as REST's get_serializer(page, many=True): the child's
                # fields may depend on what it renders.
                context = view.get_serializer_context()
                serializer = self.serializer_class(page, many=True, context=context)
                prune(serializer, tree["results"], self.output_type)
            else:
                serializer.instance = page
            result["results"] = serializer.data
        return result

    def _page(self, limit: int | None, offset: int | None) -> tuple[int, int]:
        max_limit = self.max_limit if self.max_limit is not None else crud_settings.MAX_LIMIT
        errors = {}
        if limit is not None and limit < 0:
            errors["limit"] = [_min_zero()]
        if offset is not None and offset < 0:
            errors["offset"] = [_min_zero()]
        if errors:
            raise exceptions.ValidationError(errors)
        # As DRF's LimitOffsetPagination: 0 (or none) is the default, more is capped silently.
        return min(limit or max_limit, max_limit), offset or 0

    def _ordering(self, order_by: list[str] | None, queryset: models.QuerySet) -> list[str]:
        if not order_by:
            return _default_ordering(queryset)
        allowed = self._orderable(queryset)
        check_ordering_length(order_by, allowed)
        terms, errors = [], {}
        for index, term in enumerate(order_by):
            descending = term.startswith("-")
            name = term[1:] if descending else term  # one '-', as OrderingFilter takes
            candidate = _ordering_name(name, allowed)
            if candidate is not None:
                terms.append(f"-{candidate}" if descending else candidate)
            else:
                message = self._cannot_order(name, allowed)
                errors[index] = [exceptions.ErrorDetail(message, code="invalid_ordering")]
        if errors:
            raise exceptions.ValidationError({"order_by": errors})
        return terms

    def _cannot_order(self, name: str, allowed: tuple[str, ...]) -> str:
        """Why ``name`` orders nothing: with the names that do, where the schema names them
        (``ordering_fields``' own, with introspection on). ``"__all__"`` is every column of
        the model, a password's included, that the serializer may not show: REST's
        ``OrderingFilter`` names none of them (it drops the term), nor does this."""
        # repr(): a name with an invisible or a control character shows it.
        if self.ordering_fields == ALL_FIELDS or not crud_settings.INTROSPECTION:
            return str(_CANNOT_ORDER_ANY).format(name=repr(name))
        return str(_CANNOT_ORDER).format(name=repr(name), allowed=", ".join(allowed))

    def _rows_known_beforehand(self) -> models.QuerySet | None:
        """The rows as far as they are known without the caller: the field's queryset or
        manager, else the model's default manager; None for a callable's."""
        if self.queryset is None:
            return self.model._default_manager.all()
        if isinstance(self.queryset, models.QuerySet):
            return self.queryset  # read, never evaluated
        if isinstance(self.queryset, models.Manager):
            return self.queryset.all()
        return None

    def _orderable(self, queryset: models.QuerySet | None) -> tuple[str, ...]:
        """The ordering fields; for ``"__all__"``, the model's columns and the annotations
        of ``queryset`` (None: the rows are not known yet, and no annotation is)."""
        if self.ordering_fields != ALL_FIELDS:
            return tuple(self.ordering_fields)
        return all_ordering_fields(queryset.model if queryset is not None else self.model, queryset)


def all_ordering_fields(
    model: type[models.Model], queryset: models.QuerySet | None = None
) -> tuple[str, ...]:
    """What ``ordering_fields = "__all__"`` allows, as ``OrderingFilter`` reads it: the
    model's columns and the annotations of ``queryset`` (None: none known yet)."""
    columns = (field.name for field in model._meta.fields)
    return (*columns, *(queryset.query.annotations if queryset is not None else ()))


def _default_ordering(queryset: models.QuerySet) -> list[Any]:
    """Stable pages without an ``orderBy``: the queryset's own ordering, else the model's,
    else the primary key; for rows that are groups or distinct values
    (``values("project").annotate(n=Count("id"))``), what makes each row one, as another
    column would split them; ``distinct("project")`` first, as PostgreSQL wants its
    ``DISTINCT ON`` expressions to lead the ordering. It reads Django's own ``_fields`` and
    ``query.group_by`` (``None``, ``True`` or a tuple), as Django 4.2 to 6.1 keep them."""
    query = queryset.query
    if query.order_by:
        return list(query.order_by)
    if query.distinct_fields:
        return [*query.distinct_fields, "pk"]
    selected = queryset._fields  # what values() names, expressions' names included
    if selected and isinstance(query.group_by, tuple) and not _grouped_by_row(queryset):
        # The grouping's selected names; where only aggregates are selected, the grouping.
        names = [name for name in selected if not _aggregate(query, name)]
        # Not under DISTINCT, which ordering by another column would make distinct by it too.
        return names or (list(selected) if query.distinct else list(query.group_by))
    if selected and query.distinct:
        return list(selected)
    # Rows of objects (grouped by all their columns, an aggregate annotated before values()).
    return list(queryset.model._meta.ordering or ["pk"])


def _grouped_by_row(queryset: models.QuerySet) -> bool:
    """Whether the groups are the rows themselves: the primary key among the grouping (an
    aggregate annotated before ``values()`` groups by every column)."""
    pk = queryset.model._meta.pk
    return any(getattr(each, "target", None) == pk for each in queryset.query.group_by)


def _aggregate(query: Any, name: str) -> bool:
    annotation = query.annotations.get(name)
    return annotation is not None and annotation.contains_aggregate


def _orders_across_many(queryset: models.QuerySet) -> bool:
    """Whether ``queryset``'s order goes through a to-many relation (``tags__name``), which
    reads each row once per related row; an expression may, for all that is known."""
    return any(_term_across_many(queryset.model, term, 0) for term in queryset.query.order_by)


def _term_across_many(model: type[models.Model], term: Any, depth: int) -> bool:
    if not isinstance(term, str) or depth > 5:
        return True
    for part in term.lstrip("-").split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # an annotation, a lookup or a transform: no further relation
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    # Ordered by a relation itself: Django orders by its model's own ordering, which may go
    # through a to-many relation in turn.
    return any(_term_across_many(model, each, depth + 1) for each in model._meta.ordering)


def _ordering_name(name: str, allowed: Iterable[str]) -> str | None:
    """The ordering field a client's name stands for (``dueDate`` -> ``due_date``), or None."""
    if name in allowed:
        return name
    # From the fields to their camelCase: to_snake_case does not undo to_camel_case
    # ("score_2" is "score2", which reads back as "score2").
    return next((each for each in allowed if _client_name(each) == name), None)


def _from_camel_case(name: str) -> str:
    """``name`` in snake_case when it is the camelCase of that (``dueDate``); else as it is:
    ``Priority`` or ``DUEDate`` name no field, as REST's ``?ordering=`` finds none. For
    names whose fields are not known yet (``score2`` stays as it is)."""
    snake = to_snake_case(name)
    return snake if to_camel_case(snake) == name else name


def rest_ordering_term(term: str, allowed: Iterable[str], snake_case_unknown: bool = False) -> str:
    """A client's ``orderBy`` term as REST's ``?ordering=`` would carry it: ``-dueDate`` ->
    ``-due_date`` when only the snake_case name is an ordering field; anything else as the
    client wrote it (``OrderingFilter`` drops invalid terms, as under REST), or in
    snake_case with ``snake_case_unknown`` (the ordering fields are not all known)."""
    descending = term.startswith("-")
    name = term[1:] if descending else term
    known = _ordering_name(name, allowed)
    if known is None:
        known = _from_camel_case(name) if snake_case_unknown else name
    return ("-" if descending else "") + known


def reads_the_object(permission: Any) -> bool:
    """Whether a permission has an ``has_object_permission`` of its own; a composed one
    (``IsAuthenticated | IsOwner``) when one of its parts has."""
    parts = [part for part in (getattr(permission, name, None) for name in ("op1", "op2")) if part]
    if isinstance(permission, AND | OR | NOT):
        return any(map(reads_the_object, parts))
    return type(permission).has_object_permission is not BasePermission.has_object_permission


def _min_zero() -> exceptions.ErrorDetail:
    """DRF's ``IntegerField`` message for a value below 0, in the request's language."""
    text = serializers.IntegerField.default_error_messages["min_value"].format(min_value=0)
    return exceptions.ErrorDetail(text, code="min_value")
