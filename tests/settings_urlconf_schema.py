"""Test settings whose GraphQL schema is reachable only from the URLconf (no
``GRAPHENE["SCHEMA"]``), for the system checks' import test."""

from tests.settings import *  # noqa: F403

GRAPHENE = {}
ROOT_URLCONF = "tests.urls_unique_lookup_check"
