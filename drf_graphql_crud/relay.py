"""
Relay global IDs: where an operation's output type is a Relay node.

A ``SerializerObjectType`` that lists graphene's ``relay.Node`` in ``Meta.interfaces`` is a
Relay node. Its ``id`` is the global ID graphene's ``Node`` writes (by default
``base64("TaskNode:5")``), made from the primary key the serializer renders as ``id``; and
``relay.Node.Field()`` finds it again through the type's ``get_node``, which reads as
``RetrieveField`` does (permission classes, queryset, object permissions)::

    class TaskNode(SerializerObjectType):
        class Meta:
            serializer_class = TaskSerializer
            interfaces = (relay.Node,)

    class UpdateTask(UpdateMutation):
        class Meta:
            serializer_class = TaskSerializer
            output_type = TaskNode       # updateTask(id: ID!, ...) takes the global ID

An operation whose output type is such a node (a mutation's ``Meta.output_type``, a read
field's ``output_type=``) accepts the node's global ID in its ``id`` argument, and also the
plain primary key REST uses. A value that is not a global ID of that type is used as it is,
so it can only name a row by its own primary key, never another type's row. A delete's
``deletedId`` is then the global ID too, the one a client's store knows the row by.

graphene's own ``node(id:)`` resolution refuses an ID that does not parse, names a type the
schema lacks or one that is no node, with a plain ``Exception``; ``refused_global_id`` tells
those apart from server bugs, so that the client gets ``NOT_FOUND``, as REST answers a
malformed lookup with 404.
"""

from __future__ import annotations

from typing import Any

from graphene import relay
from graphene.relay.id_type import DefaultGlobalIDType

__all__ = ["global_id", "node_interface", "node_lookup", "refused_global_id"]

#: Where graphene refuses a client's global ID (parse, type name, node check).
_ID_RESOLUTION = frozenset(
    {
        relay.Node.get_node_from_global_id.__func__.__code__,  # type: ignore[attr-defined]
        DefaultGlobalIDType.resolve_global_id.__func__.__code__,  # type: ignore[attr-defined]
    }
)


def node_interface(graphene_type: Any) -> type[relay.Node] | None:
    """The Relay ``Node`` interface ``graphene_type`` implements, else ``None``."""
    meta = getattr(graphene_type, "_meta", None)
    for interface in getattr(meta, "interfaces", None) or ():
        if isinstance(interface, type) and issubclass(interface, relay.Node):
            return interface
    return None


def _encodes_type(interface: type[relay.Node]) -> bool:
    """Whether the node's IDs carry the type's name (graphene's default); graphene's
    ``SimpleGlobalIDType`` and ``UUIDGlobalIDType`` IDs are the primary keys themselves."""
    return issubclass(interface._meta.global_id_type, DefaultGlobalIDType)


def node_lookup(graphene_type: Any, value: Any, info: Any = None) -> Any:
    """The primary key ``value`` names: decoded when it is a global ID of ``graphene_type``.

    Anything else (a plain primary key, another type's global ID) is returned unchanged,
    to be looked up as a primary key like any other value.
    """
    interface = node_interface(graphene_type)
    if interface is None or not isinstance(value, str) or not _encodes_type(interface):
        return value
    try:
        type_name, raw = interface.resolve_global_id(info, value)
    except Exception:  # not a global ID: a plain primary key
        return value
    return raw if type_name == graphene_type._meta.name else value


def global_id(graphene_type: Any, pk: Any) -> Any:
    """``pk`` as the global ID of ``graphene_type``, or unchanged where it is no node."""
    interface = node_interface(graphene_type)
    if interface is None:
        return pk
    return interface.to_global_id(graphene_type._meta.name, pk)


def refused_global_id(exc: BaseException) -> bool:
    """Whether ``exc`` is graphene refusing the ID a client gave ``node(id:)``.

    Told by where it was raised: in graphene's ID resolution itself, not in a ``get_node``
    it went on to call (whose errors are the type's own).
    """
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code in _ID_RESOLUTION
