"""A database router the routing tests steer; it routes nothing by default."""

from typing import Any


class SteeredRouter:
    """Reads and writes per model label (``"testapp.Task"``), as a test sets them."""

    read: dict[str, str] = {}
    write: dict[str, str] = {}

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return self.read.get(model._meta.label)

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return self.write.get(model._meta.label)

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True if self.read or self.write else None
