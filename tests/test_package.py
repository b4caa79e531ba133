"""The package as users import it: its public names, for Python and for type checkers."""

import ast
from pathlib import Path

import pytest

import drf_graphql_crud

PACKAGE = Path(drf_graphql_crud.__file__).parent


def test_every_public_name_is_exported_and_loads():
    """``__all__`` is written out (type checkers read no computed one) and names what
    ``__getattr__`` loads, each from its module."""
    assert sorted(drf_graphql_crud.__all__) == sorted(drf_graphql_crud._EXPORTS)
    for name, module in drf_graphql_crud._EXPORTS.items():
        value = getattr(drf_graphql_crud, name)
        assert value.__module__ == f"drf_graphql_crud.{module}"
        assert name in dir(drf_graphql_crud)


def test_a_misspelt_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'CreateMutaton'"):
        drf_graphql_crud.CreateMutaton  # noqa: B018


def test_type_checkers_see_each_public_name_re_exported():
    """Under ``TYPE_CHECKING`` each name is imported ``as`` itself (PEP 484's explicit
    re-export, which ``mypy --strict`` requires), and ``__getattr__`` is hidden there, or
    a misspelt import would type-check as ``Any``."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    [checking] = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    ]
    re_exported = {
        alias.asname
        for node in checking.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.asname == alias.name
    }
    assert re_exported == set(drf_graphql_crud.__all__)
    assert not [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__"
    ]
    assert (PACKAGE / "py.typed").exists()
