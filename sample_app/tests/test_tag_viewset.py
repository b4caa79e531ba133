"""Tags over GraphQL come from ``TagViewSet`` itself (``ViewSetCrud``), beside the router.

The same viewset answers ``/api/v1/tags/`` and the ``tag``/``tags``/``createTag``/
``updateTag``/``deleteTag`` operations: the same permission (``IsAuthenticated``), the same
filters (``filterset_fields``), ordering and pages (``PageNumberPagination``, 20 a page), so
REST's ``results`` and ``count`` are GraphQL's ``results`` and ``totalCount``.
"""

import pytest

from todo.factories import TagFactory
from todo.models import Tag

from .shapes import as_graphql

TAGS = (
    "query Tags($filter: TagByNameFilterInput, $orderBy: [String!], $page: Int) "
    "{ tags(filter: $filter, orderBy: $orderBy, page: $page) { totalCount results { id name } } }"
)


@pytest.fixture
def many_tags(db):
    # Created out of order: the Tag model orders by name.
    return [TagFactory(name=f"tag-{n:02d}") for n in (7, 3, *range(10, 33), 1)]


@pytest.mark.parametrize(
    ("params", "arguments"),
    [
        ({}, {}),
        ({"page": 2}, {"page": 2}),
        ({"ordering": "-name"}, {"orderBy": ["-name"]}),
        ({"ordering": "-name", "page": 2}, {"orderBy": ["-name"], "page": 2}),
        ({"name": "tag-07"}, {"filter": {"name": "tag-07"}}),
        ({"name": "no-such-tag"}, {"filter": {"name": "no-such-tag"}}),
    ],
    ids=["first-page", "second-page", "ordered", "ordered-second-page", "filtered", "no-match"],
)
def test_tag_lists_are_the_same(alice_api, many_tags, params, arguments):
    status, rest = alice_api.get("/api/v1/tags/", **params)
    assert status == 200

    status, body = alice_api.graphql(TAGS, arguments)

    assert status == 200 and "errors" not in body, body
    assert body["data"]["tags"] == {
        "totalCount": rest["count"],
        "results": as_graphql(rest["results"]),
    }
    if params.get("name") != "no-such-tag":
        assert body["data"]["tags"]["results"]  # rows to compare, not two empty lists


def test_a_missing_page_is_not_found_as_over_rest(alice_api, many_tags):
    assert alice_api.get("/api/v1/tags/", page=3) == (404, {"detail": "Invalid page."})

    status, body = alice_api.graphql(TAGS, {"page": 3})

    assert body["data"] == {"tags": None}
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "status": 404}
    assert body["errors"][0]["message"] == "Invalid page."


def test_tag_read_update_and_delete(alice_api):
    tag = TagFactory(name="garden")

    status, rest = alice_api.get(f"/api/v1/tags/{tag.pk}/")
    status, body = alice_api.graphql(
        "query Tag($id: ID!) { tag(id: $id) { id name } }", {"id": tag.pk}
    )
    assert body == {"data": {"tag": as_graphql(rest)}}

    status, body = alice_api.graphql(
        'mutation($id: ID!) { updateTag(id: $id, input: {name: "kitchen-garden"}) '
        "{ tag { id name } } }",
        {"id": tag.pk},
    )
    assert body == {"data": {"updateTag": {"tag": {"id": str(tag.pk), "name": "kitchen-garden"}}}}

    status, body = alice_api.graphql(
        'mutation($id: ID!) { updateTag(id: $id, input: {name: "not a slug"}) { tag { id } } }',
        {"id": tag.pk},
    )
    assert body["errors"][0]["extensions"]["errors"] == [
        {
            "field": "name",
            "message": "Enter a valid “slug” consisting of letters, numbers, underscores or "
            "hyphens.",
            "code": "invalid",
        }
    ]

    status, body = alice_api.graphql(
        "mutation($id: ID!) { deleteTag(id: $id) { deletedId } }", {"id": tag.pk}
    )
    assert body == {"data": {"deleteTag": {"deletedId": str(tag.pk)}}}
    assert not Tag.objects.exists()


def test_anonymous_callers_get_what_rest_gives_them(anonymous_api):
    tag = TagFactory(name="garden")
    assert anonymous_api.get("/api/v1/tags/") == (
        401,
        {"detail": "Authentication credentials were not provided."},
    )

    status, body = anonymous_api.graphql("{ tags { totalCount } }")
    assert body["data"] == {"tags": None}
    assert body["errors"][0]["message"] == "Authentication credentials were not provided."
    assert body["errors"][0]["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 401}

    status, body = anonymous_api.graphql(
        "mutation($id: ID!) { deleteTag(id: $id) { deletedId } }", {"id": tag.pk}
    )
    assert body["errors"][0]["extensions"] == {"code": "NOT_AUTHENTICATED", "status": 401}
    assert Tag.objects.filter(pk=tag.pk).exists()
