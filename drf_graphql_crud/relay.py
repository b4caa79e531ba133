"""
Relay global IDs: where an operation's output type is a Relay node.

A ``SerializerObjectType`` that lists graphene's ``relay.Node`` in ``Meta.interfaces`` is a
Relay node. Its ``id`` is the global ID graphene's ``Node`` writes (by default
``base64("TaskNode:5")``), made from the primary key the serializer renders as ``id``; and
``relay.Node.Field()`` finds it again through the type's ``get_node``, which reads as
``RetrieveField`` does, with the node type's own rows (``Meta.queryset`` or
``get_queryset``, which a node must declare) and permission classes::

    class TaskNode(SerializerObjectType):
        class Meta:
            serializer_class = TaskSerializer
            interfaces = (relay.Node,)
            queryset = Task.objects.all()

    class UpdateTask(UpdateMutation):
        class Meta:
            serializer_class = TaskSerializer
            output_type = TaskNode       # updateTask(id: ID!, ...) takes the global ID

An operation whose output type is such a node (a mutation's ``Meta.output_type``, a read
field's ``output_type=``, ``ViewSetCrud(output_type=)``) reads its ``id`` argument as the
node's global ID. Where the model's primary key is an integer or a UUID, which no global ID
can be mistaken for, the plain primary key REST uses is accepted too. Where it is free text,
a key could itself read as another row's global ID, so only global IDs are accepted there:
each value means one row. Anything else (another type's global ID, text that is no global
ID) names no row: it reaches permission classes as the text the client sent (as a URL's
text reaches them under REST), and the lookup answers ``NOT_FOUND``. A delete's
``deletedId`` is then the global ID too, the one a client's store knows the row by.

graphene's own ``node(id:)`` resolution refuses an ID that does not parse, names a type the
schema lacks or one that is no node, with a plain ``Exception``; ``refused_global_id`` tells
those apart from server bugs, so that the client gets ``NOT_FOUND`` there too.
"""

from __future__ import annotations

import uuid
import weakref
from typing import Any

from django.db import models
from graphene import relay
from graphene.relay.id_type import BaseGlobalIDType, SimpleGlobalIDType, UUIDGlobalIDType
from rest_framework import fields as drf_fields
from rest_framework import serializers

from .converter import shapes_its_fields
from .fieldcache import prebuild_fields
from .types import model_of, reads_pk

__all__ = [
    "NoRow",
    "global_id",
    "names_no_row",
    "node_interface",
    "node_lookup",
    "node_model",
    "refused_global_id",
]

#: Where graphene itself refuses a client's ID in ``node(id:)`` (type name, node check).
_GET_NODE_FROM_GLOBAL_ID = relay.Node.get_node_from_global_id.__func__.__code__  # type: ignore[attr-defined]
#: The resolver of graphene's ``node(id:)`` fields, below which the client's ID is read.
_NODE_RESOLVER = relay.Node.node_resolver.__func__.__code__  # type: ignore[attr-defined]


class NoRow(str):
    """A lookup value that names no row: the text the client sent, for permission classes
    to read as they would read a URL's, and ``NOT_FOUND`` when the lookup runs."""

    __slots__ = ()


def names_no_row(lookup: dict[str, Any]) -> bool:
    """Whether a lookup (``{"pk": value}``, a view's ``kwargs``) holds a ``NoRow``."""
    return any(isinstance(value, NoRow) for value in lookup.values())


def node_interface(graphene_type: Any) -> type[relay.Node] | None:
    """The Relay ``Node`` interface ``graphene_type`` implements, else ``None``."""
    meta = getattr(graphene_type, "_meta", None)
    for interface in getattr(meta, "interfaces", None) or ():
        if isinstance(interface, type) and issubclass(interface, relay.Node):
            return interface
    return None


def node_model(graphene_type: Any) -> type[models.Model] | None:
    """The model of a ``SerializerObjectType``'s rows: its ``Meta.queryset``'s, else its
    serializer's ``Meta.model``; ``None`` when neither says."""
    meta = getattr(graphene_type, "_meta", None)
    return model_of(getattr(meta, "serializer_class", None), getattr(meta, "queryset", None))


def _ids_are_keys(interface: type[relay.Node]) -> bool:
    """graphene's ``SimpleGlobalIDType`` and ``UUIDGlobalIDType`` IDs are the keys themselves."""
    return issubclass(interface._meta.global_id_type, SimpleGlobalIDType | UUIDGlobalIDType)


def _unmistakable_keys(model: type[models.Model] | None) -> bool:
    """Whether no plain primary key of ``model`` can read as a global ID: integers and UUIDs
    (a global ID's text is neither)."""
    if model is None:
        return False
    pk = model._meta.pk
    while pk.is_relation:  # a multi-table child's key is its parent's
        pk = pk.target_field
    return isinstance(pk, models.IntegerField | models.AutoField | models.UUIDField)


def node_lookup(graphene_type: Any, value: Any, info: Any = None) -> Any:
    """The primary key an ``id`` argument names where the output type may be a Relay node.

    A global ID of ``graphene_type`` gives its primary key; where the type is no node, or its
    IDs are the keys themselves, ``value`` is returned unchanged. Anything else is a plain
    primary key where the model's keys are integers or UUIDs, and otherwise a ``NoRow``,
    which no lookup finds (see the module's docstring).
    """
    interface = node_interface(graphene_type)
    if interface is None or value is None or _ids_are_keys(interface):
        return value
    try:
        type_name, pk = interface.resolve_global_id(info, str(value))
    except Exception as exc:
        if not _raised_parsing(exc):
            raise  # a bug in the global ID type's own code, not the client's ID
        type_name, pk = None, None  # not a global ID
    if type_name == graphene_type._meta.name:
        return pk
    if _unmistakable_keys(node_model(graphene_type)) and _could_be_key(value):
        return value
    return NoRow(value)


def _could_be_key(value: Any) -> bool:
    """Whether ``value`` can be an integer or UUID key (another type's global ID cannot)."""
    text = str(value).strip()
    try:
        int(text)
    except ValueError:
        pass
    else:
        return True
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _raised_parsing(exc: BaseException) -> bool:
    """Whether ``exc`` says the ID did not parse: raised by a ``resolve_global_id`` itself,
    or a ``ValueError`` raised by code it called to decode the ID (``binascii.Error`` from
    ``base64``, a ``UnicodeDecodeError``, ``uuid.UUID``'s). Any other error of the code it
    calls is a bug of the global ID type's, not the client's ID."""
    tb = exc.__traceback__
    if tb is None:
        return False
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    if _is_resolve_global_id(frames[-1]):
        return True
    return isinstance(exc, ValueError) and any(map(_is_resolve_global_id, frames))


def _is_resolve_global_id(frame: Any) -> bool:
    owner = frame.f_locals.get("cls")
    return (
        frame.f_code.co_name == "resolve_global_id"
        and isinstance(owner, type)
        and issubclass(owner, BaseGlobalIDType | relay.Node)
    )


def deleted_id(
    graphene_type: Any,
    row: models.Model,
    context: Any = None,
    serializer_class: type[serializers.BaseSerializer] | None = None,
) -> Any:
    """What a delete answers as ``deletedId`` for ``row`` (before it is deleted): the key
    as the ``id`` every read shows it, which a client's cache holds the row under.

    That is the key the serializer renders as ``id`` (``graphene_type``'s, else the
    operation's ``serializer_class``: a UUID as hex, a padded number), with the operation's
    serializer ``context`` (or a function giving it: asked only where the key is
    rendered), else the primary key; as the global ID of ``graphene_type`` where that is a
    Relay node, which a Relay store holds it under.
    """
    meta = getattr(graphene_type, "_meta", None)
    serializer_class = getattr(meta, "serializer_class", None) or serializer_class
    interface = node_interface(graphene_type) if graphene_type is not None else None
    key = row.pk
    if isinstance(key, tuple):
        # A CompositePrimaryKey (Django 5.2): its text, as reads render ``pk`` (DRF's
        # ModelField): a tuple is no ID, and graphql-core would refuse it after the commit.
        key = row._meta.pk.value_to_string(row)
    if serializer_class is not None and (
        interface is not None or renders_its_own_key(serializer_class, type(row))
    ):
        context = context() if callable(context) else context
        # Its fields copied from the class's prototype, as the operation's own serializers.
        serializer = prebuild_fields(serializer_class(context=context or {}), reading=True)
        field = serializer.fields.get("id")
        if field is not None and (interface is not None or reads_pk(field, type(row))):
            key = field.to_representation(field.get_attribute(row))
    if interface is None:
        return key
    return interface.to_global_id(graphene_type._meta.name, key)


#: Whether a serializer class's ``id`` renders the key otherwise than its text, by class.
_OWN_KEY_RENDERING: weakref.WeakKeyDictionary[type, bool] = weakref.WeakKeyDictionary()

#: Renderings of the key that an ``ID`` answers as the key's own text: the fields
#: ``ModelSerializer`` builds for an integer, text or UUID key (``UUIDField`` in its
#: default ``hex_verbose`` format, checked apart).
_PLAIN_KEY_RENDERINGS = frozenset(
    {
        drf_fields.IntegerField.to_representation,
        drf_fields.CharField.to_representation,
        drf_fields.ReadOnlyField.to_representation,
        # DRF >= 3.17, for a big integer key: the number, or its text (coerce_to_string).
        *(
            [drf_fields.BigIntegerField.to_representation]
            if hasattr(drf_fields, "BigIntegerField")
            else []
        ),
    }
)


def renders_its_own_key(serializer_class: type, model: type[models.Model]) -> bool:
    """Whether ``serializer_class``'s ``id`` field may read the key and render it otherwise
    than as its text (``UUIDField(format="hex")``, a field of the project's own): then a
    delete renders it too, with the operation's context; for every other serializer the
    key itself is the answer, at no cost. Decided once per class, from its prototype's
    fields; a class whose fields may differ with the request (its own ``get_fields()``,
    ``__init__``: ``converter.shapes_its_fields``) is rendered every time."""
    known = _OWN_KEY_RENDERING.get(serializer_class)
    if known is None:
        try:
            prototype = prebuild_fields(serializer_class(), reading=True)
            field = prototype.fields.get("id")
        except Exception:  # noqa: BLE001 - fields that need a request: rendered each time
            known = True
        else:
            known = shapes_its_fields(prototype) or (
                field is not None and reads_pk(field, model) and not _plain_key_rendering(field)
            )
        _OWN_KEY_RENDERING[serializer_class] = known
    return known


def _plain_key_rendering(field: drf_fields.Field) -> bool:
    rendering = type(field).to_representation
    if isinstance(field, drf_fields.UUIDField):
        return rendering is drf_fields.UUIDField.to_representation and field.uuid_format == (
            "hex_verbose"
        )
    return rendering in _PLAIN_KEY_RENDERINGS


def global_id(graphene_type: Any, pk: Any) -> Any:
    """``pk`` as the global ID of ``graphene_type``, or unchanged where it is no node."""
    interface = node_interface(graphene_type)
    if interface is None:
        return pk
    return interface.to_global_id(graphene_type._meta.name, pk)


def refused_global_id(exc: BaseException) -> bool:
    """Whether ``exc`` is graphene refusing the ID a client gave ``node(id:)``.

    Told by where it was raised, below the resolver of a ``node(id:)`` field: by a global
    ID type's ``resolve_global_id`` itself (the ID does not parse), or by graphene's
    ``get_node_from_global_id``: a plain ``Exception`` (a type the schema lacks, or one
    that is no node), an ``AttributeError`` (a scalar or an introspection type, which have
    no interfaces to check) or an ``AssertionError`` (another type's ID in a typed node
    field). Anything raised by code they call (a ``get_node``, a helper of the ID type,
    or a ``TypeError`` calling them) is a server error; so is any error outside a
    ``node(id:)`` field, such as server code reading a stored ID.
    """
    tb = exc.__traceback__
    under_node_field = False
    while tb is not None and tb.tb_next is not None:
        under_node_field = under_node_field or tb.tb_frame.f_code is _NODE_RESOLVER
        tb = tb.tb_next
    if tb is None or not under_node_field:
        return False
    if _raised_parsing(exc):
        return True
    return tb.tb_frame.f_code is _GET_NODE_FROM_GLOBAL_ID and type(exc) in (
        Exception,
        AttributeError,
        AssertionError,
    )
