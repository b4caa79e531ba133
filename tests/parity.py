"""Comparing REST and GraphQL answers: errors flattened to (client path, message, code)."""

import json

from graphene.utils.str_converters import to_camel_case
from rest_framework import exceptions
from rest_framework.views import exception_handler


def full_details_handler(exc, context):
    """DRF's handler, but validation errors keep their codes (``get_full_details``)."""
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = exc.get_full_details()
    return response


class DetailedErrorsMixin:
    """A viewset whose 400 answers carry DRF's error codes too."""

    def get_exception_handler(self):
        return full_details_handler


def _is_leaf(value):
    return isinstance(value, dict) and set(value) == {"message", "code"}


def flatten_rest(detail, path=(), camel=True):
    """REST full-details errors as a sorted list of (client path, message, code)."""
    out = []
    if _is_leaf(detail):
        out.append((_client(path, camel), detail["message"], detail["code"]))
    elif isinstance(detail, dict):
        for key, value in detail.items():
            if key == "non_field_errors":
                out.extend(flatten_rest(value, path, camel))
            else:
                out.extend(flatten_rest(value, (*path, key), camel))
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if _is_leaf(item):
                out.extend(flatten_rest(item, path, camel))
            else:
                out.extend(flatten_rest(item, (*path, index), camel))
    return sorted(out, key=repr)


def _client(path, camel):
    if not path:
        return None
    return ".".join(
        str(part) if isinstance(part, int) or not camel else to_camel_case(part) for part in path
    )


def flatten_gql(body, operation):
    """The GraphQL VALIDATION_ERROR of ``operation`` as (field, message, code), sorted."""
    assert body.get("data", {}).get(operation) is None, body
    errors = body["errors"]
    assert len(errors) == 1, errors
    ext = errors[0]["extensions"]
    assert ext["code"] == "VALIDATION_ERROR", ext
    assert ext["status"] == 400, ext
    return sorted(((e["field"], e["message"], e["code"]) for e in ext["errors"]), key=repr)


def rest_post(client, url, data, method="post", **extra):
    response = getattr(client, method)(
        url, json.dumps(data), content_type="application/json", **extra
    )
    return response.status_code, (response.json() if response.content else None)


def gql_post(client, query, variables=None, url="/graphql/", **extra):
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    response = client.post(url, json.dumps(body), content_type="application/json", **extra)
    return response.status_code, response.json()
