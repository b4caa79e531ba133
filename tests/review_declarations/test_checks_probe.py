import pytest

from drf_graphql_crud.checks import check_drf_graphql_crud

from . import test_more, test_methods, test_sources, test_validators  # noqa: F401


def test_checks():
    for m in check_drf_graphql_crud():
        if "Rv" in str(m.msg) or "review" in str(m.obj) or "Dot" in str(m.msg) or "Star" in str(m.msg):
            print(m.id, m.obj, m.msg)
