"""Tables for models a test defines (``isolate_apps``): made for the test, dropped after it.

Under ``django_db(transaction=True)``: SQLite makes tables outside a transaction only.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def tables(*models: type) -> Iterator[None]:
    """The models' tables for the length of the block, dropped in the reverse order (a
    foreign key's table after the table pointing at it)."""
    with connection.schema_editor() as editor:
        for model in models:
            editor.create_model(model)
    try:
        yield
    finally:
        with connection.schema_editor() as editor:
            for model in reversed(models):
                editor.delete_model(model)
