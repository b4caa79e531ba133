"""Hypothesis profiles and shared fixtures of the reliability suite.

Profiles (pick one with ``HYPOTHESIS_PROFILE``):

- ``ci`` (default): few examples, no deadline, derandomized, no example database: the
  whole suite stays fast and every run sees the same examples;
- ``soak``: many more examples, random, for long local runs
  (``HYPOTHESIS_PROFILE=soak pytest tests/reliability``).
"""

import os

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, settings

from drf_graphql_crud.views import DRFGraphQLView
from tests.reliability.schema import RelHooks

_SUPPRESSED = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
    HealthCheck.function_scoped_fixture,
]

_COMMON = {"deadline": None, "print_blob": True, "suppress_health_check": _SUPPRESSED}


def _max_examples(default: int) -> int:
    return int(os.environ.get("RELIABILITY_MAX_EXAMPLES", str(default)))


settings.register_profile(
    "ci", max_examples=_max_examples(30), derandomize=True, database=None, **_COMMON
)
settings.register_profile("soak", max_examples=_max_examples(1000), **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _fresh_state():
    """No throttle history, no cached documents, no hooks left over from another test."""
    cache.clear()
    DRFGraphQLView.document_cache.clear()
    RelHooks.reset()
    yield
    RelHooks.reset()
    cache.clear()
