"""The settings object: defaults in one place, dicts merged key by key, reloaded on change."""

from unittest import mock

import pytest
from django.test import override_settings
from graphql import GraphQLError

from drf_graphql_crud.settings import DEFAULTS, CrudSettings, crud_settings
from drf_graphql_crud.views import DRFGraphQLView


def test_defaults():
    assert crud_settings.ATOMIC_MUTATIONS is True
    assert crud_settings.ERROR_CODES["invalid"] == "VALIDATION_ERROR"
    assert crud_settings.ERROR_MESSAGES["VALIDATION_ERROR"] == "Invalid input."


def test_dict_settings_merge_with_their_defaults():
    settings = CrudSettings({"ERROR_CODES": {"not_found": "MISSING"}})
    assert {**DEFAULTS["ERROR_CODES"], "not_found": "MISSING"} == settings.ERROR_CODES


def test_a_key_given_none_keeps_its_default():
    """As check E009 accepts it: None stands for the default, as an absent key does."""
    settings = CrudSettings({"ERROR_CODES": {"internal_error": None, "not_found": "MISSING"}})
    assert {**DEFAULTS["ERROR_CODES"], "not_found": "MISSING"} == settings.ERROR_CODES


def test_an_internal_error_keeps_its_code_under_none():
    with override_settings(DRF_GRAPHQL_CRUD={"ERROR_CODES": {"internal_error": None}}):
        formatted = DRFGraphQLView.format_error(
            GraphQLError("boom", path=["x"], original_error=RuntimeError("x"))
        )
    assert formatted["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "status": 500}


def test_reloaded_when_django_settings_change():
    assert crud_settings.ATOMIC_MUTATIONS is True
    with override_settings(DRF_GRAPHQL_CRUD={"ATOMIC_MUTATIONS": False}):
        assert crud_settings.ATOMIC_MUTATIONS is False
    assert crud_settings.ATOMIC_MUTATIONS is True


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="Invalid DRF_GRAPHQL_CRUD setting: 'NOPE'"):
        crud_settings.NOPE  # noqa: B018


def test_a_value_read_while_the_settings_change_is_not_kept():
    """Another thread's override_settings ends between this thread's read of the settings
    and its caching of the value: the value answers this read only."""

    class ChangedWhileRead(CrudSettings):
        @property
        def user_settings(self):
            read = {"MAX_LIMIT": 7}
            self.reload()  # the change lands here, in another thread
            return read

    racing = ChangedWhileRead()
    assert racing.MAX_LIMIT == 7
    assert "MAX_LIMIT" not in racing._cache
    steady = CrudSettings({"MAX_LIMIT": 7})
    assert steady.MAX_LIMIT == 7 and steady._cache["MAX_LIMIT"] == 7


def test_a_patched_setting_survives_a_settings_change_and_later_changes_are_seen():
    """A test's ``mock.patch.object`` holds inside ``override_settings``, exits cleanly,
    and leaves later changes visible (kept values are not the object's own attributes)."""
    crud_settings.reload()
    with (
        mock.patch.object(crud_settings, "MAX_LIMIT", 5),  # not read before
        override_settings(DRF_GRAPHQL_CRUD={"ATOMIC_MUTATIONS": False}),
    ):
        assert crud_settings.MAX_LIMIT == 5
    assert crud_settings.MAX_LIMIT == 100
    with (
        mock.patch.object(crud_settings, "MAX_LIMIT", 100),  # read before, an equal value
        override_settings(DRF_GRAPHQL_CRUD={"ATOMIC_MUTATIONS": False}),
    ):
        assert crud_settings.MAX_LIMIT == 100
    with override_settings(DRF_GRAPHQL_CRUD={"MAX_LIMIT": 7}):
        assert crud_settings.MAX_LIMIT == 7
    assert crud_settings.MAX_LIMIT == 100
