"""
Settings for drf_graphql_crud live in one dict in the Django settings::

    DRF_GRAPHQL_CRUD = {
        "ATOMIC_MUTATIONS": True,
        "ERROR_MESSAGES": {"VALIDATION_ERROR": "Please check your input."},
    }

Every key has a default below, in one place, as DRF does with ``api_settings``.
Read them through ``crud_settings.NAME``; the object is reloaded when a test changes
``DRF_GRAPHQL_CRUD`` with ``override_settings``.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.translation import gettext_lazy
from rest_framework import exceptions

SETTINGS_NAME = "DRF_GRAPHQL_CRUD"

DEFAULTS: dict[str, Any] = {
    # Run every mutation inside ``transaction.atomic()``: an error anywhere, nested rows
    # included, leaves the database as it was.
    "ATOMIC_MUTATIONS": True,
    # The GraphQL error code for each kind of failure. Keys are the DRF exception's
    # ``default_code`` (plus "internal_error" for unexpected exceptions); any other
    # APIException gets its own ``default_code`` upper-cased.
    "ERROR_CODES": {
        "invalid": "VALIDATION_ERROR",
        "not_authenticated": "NOT_AUTHENTICATED",
        "authentication_failed": "NOT_AUTHENTICATED",
        "permission_denied": "PERMISSION_DENIED",
        "not_found": "NOT_FOUND",
        "throttled": "THROTTLED",
        "internal_error": "INTERNAL_SERVER_ERROR",
    },
    # Messages that replace the exception's own, keyed by the GraphQL error code.
    # Permission messages are not replaced unless listed here: DRF sends them as they are.
    # The defaults are DRF's own texts ("Invalid input.", "A server error occurred."), so
    # they come in the request's language, as DRF translates them.
    "ERROR_MESSAGES": {
        "VALIDATION_ERROR": exceptions.ValidationError.default_detail,
        "INTERNAL_SERVER_ERROR": exceptions.APIException.default_detail,
    },
    # DRFGraphQLView: refuse documents nested deeper than this (None: no cap).
    "MAX_QUERY_DEPTH": None,
    # DRFGraphQLView: allow introspection queries (__schema, __type).
    "INTROSPECTION": True,
    # DRFGraphQLView: refuse operations with more aliased fields than this (None: no cap).
    # Aliases turn a short document into many executions of the same field.
    "MAX_ALIASES": 100,
    # DRFGraphQLView: refuse operations selecting more fields than this, fragments counted
    # where they are spread (None: no cap). Fragments spreading the next one twice make a
    # short document of thousands of fields: seconds of work within every other limit.
    "MAX_QUERY_FIELDS": 1000,
    # DRFGraphQLView: refuse documents longer than this many characters before parsing, and
    # stop parsing after this many tokens (a 10,000-alias operation is ~30,000 tokens).
    "MAX_QUERY_LENGTH": 100_000,
    "MAX_QUERY_TOKENS": 10_000,
    # DRFGraphQLView: how many parsed and validated documents to keep (0: no cache).
    "DOCUMENT_CACHE_SIZE": 256,
    # DRFGraphQLView(batch=True): refuse a batch of more operations than this (None: no
    # cap). MAX_ALIASES bounds one operation; a batch of them would multiply it.
    "MAX_BATCH_SIZE": 10,
    # ListField and ViewSetCrud: refuse a `search` of more terms than this (None: no cap).
    # Each term is one more condition over every search field: a REST query string is
    # kept short by servers' URL limits, a GraphQL body is not.
    "MAX_SEARCH_TERMS": 20,
    # ListField and ViewSetCrud: refuse a list filter value (`id_In`, a CSV or multiple
    # choice filter) of more items than this (None: no cap). Each is a bound parameter of
    # the query: tens of thousands are seconds of work, then more than the database takes
    # (SQLite's and PostgreSQL's limits, a 500), where a REST URL cannot carry them.
    "MAX_FILTER_VALUES": 1000,
    # ListField: the default and the largest `limit` (DRF's LimitOffsetPagination caps alike).
    "MAX_LIMIT": 100,
    # Message of the error given when a unique constraint fails in the database (a race
    # between two writers) and the serializer's own validators no longer explain it.
    "INTEGRITY_ERROR_MESSAGE": gettext_lazy("The data conflicts with data already stored."),
}


class CrudSettings:
    """Attribute access to ``settings.DRF_GRAPHQL_CRUD`` with defaults filled in.

    Dict-valued settings (``ERROR_CODES``, ``ERROR_MESSAGES``) are merged key by key with
    their defaults, so a project overrides one code without restating the others; a key
    given ``None`` keeps its default, as an absent one does.
    """

    def __init__(self, user_settings: dict[str, Any] | None = None) -> None:
        self._explicit = user_settings
        self._cache: dict[str, Any] = {}
        self._generation = 0  # bumped by reload(): a value read before it is not kept
        self._lock = threading.Lock()

    @property
    def user_settings(self) -> dict[str, Any]:
        if self._explicit is not None:
            return self._explicit
        return getattr(settings, SETTINGS_NAME, None) or {}

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Invalid {SETTINGS_NAME} setting: {name!r}")
        return self.read(name)

    def read(self, name: str) -> Any:
        """The setting ``name`` as the settings say now, kept until the next ``reload()``."""
        generation = self._generation
        default = DEFAULTS[name]
        value = self.user_settings.get(name, default)
        if isinstance(default, dict):
            value = {**default, **{key: item for key, item in value.items() if item is not None}}
        with self._lock:
            # Settings changed (a test's override_settings) while this thread read them:
            # the value answers this read, and is not cached over the new settings.
            if generation == self._generation:
                self._cache[name] = value
        return value

    def reload(self) -> None:
        with self._lock:
            self._generation += 1
            self._cache.clear()


class _Setting:
    """One setting of ``CrudSettings``, read from the values kept since the last reload.

    Hot paths read several a request: a descriptor answers a kept value without the failed
    attribute lookup ``__getattr__`` costs. It defines no ``__set__``, so a test's
    ``mock.patch.object(crud_settings, NAME, value)`` sets an attribute of the object, which
    hides it for the patch's length and which a reload leaves alone.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, settings_object: CrudSettings | None, owner: type | None = None) -> Any:
        if settings_object is None:
            return self
        try:
            return settings_object._cache[self.name]
        except KeyError:
            return settings_object.read(self.name)


for _name in DEFAULTS:
    setattr(CrudSettings, _name, _Setting(_name))

crud_settings = CrudSettings()


def _reload(*, setting: str, **kwargs: Any) -> None:
    if setting == SETTINGS_NAME:
        crud_settings.reload()


setting_changed.connect(_reload)
