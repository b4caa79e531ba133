"""Per-request cost of a create and a partial update: DRF REST vs this library's mutations.

A first, small comparison (the full harness with more flavours and operations is its own
work): the test project's TaskSerializer (FK, M2M, choices, date, nested subtasks), SQLite
in memory, Django's test Client through the whole HTTP stack, flavours interleaved round
robin so machine noise hits both alike. Prints medians and the median of paired ratios.

    .venv/bin/python benchmarks/quick_compare.py [iterations]
"""

import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main(iterations: int) -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from tests.factories import TagFactory, TaskFactory, UserFactory

    user = UserFactory()
    client = Client()
    client.force_login(user)
    tag = TagFactory()
    task = TaskFactory(owner=user)

    def rest_create():
        body = {"title": "Benchmark task", "status": "in_progress", "tags": [tag.pk]}
        response = client.post("/api/tasks/", json.dumps(body), content_type="application/json")
        assert response.status_code == 201, response.content

    def graphql_create():
        query = (
            'mutation($tags: [ID!]) { createTask(input: {title: "Benchmark task", '
            "status: IN_PROGRESS, tags: $tags}) { task { id title status tags } } }"
        )
        body = {"query": query, "variables": {"tags": [str(tag.pk)]}}
        response = client.post("/drf-graphql/", json.dumps(body), content_type="application/json")
        assert "errors" not in response.json(), response.content

    def rest_update():
        response = client.patch(
            f"/api/tasks/{task.pk}/",
            json.dumps({"title": "Renamed"}),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content

    def graphql_update():
        query = (
            'mutation($id: ID!) { updateTask(id: $id, input: {title: "Renamed"}) '
            "{ task { id title } } }"
        )
        body = {"query": query, "variables": {"id": str(task.pk)}}
        response = client.post("/drf-graphql/", json.dumps(body), content_type="application/json")
        assert "errors" not in response.json(), response.content

    pairs = {
        "create": (rest_create, graphql_create),
        "partial update": (rest_update, graphql_update),
    }
    for op, (rest, gql) in pairs.items():
        for _ in range(50):  # warm-up
            rest()
            gql()
        rest_times, gql_times = [], []
        for _ in range(iterations):
            for fn, bucket in ((rest, rest_times), (gql, gql_times)):
                start = time.perf_counter()
                fn()
                bucket.append(time.perf_counter() - start)
        ratio = statistics.median(g / r for g, r in zip(gql_times, rest_times, strict=True))
        rest_median, gql_median = statistics.median(rest_times), statistics.median(gql_times)
        print(
            f"{op:15} REST median {rest_median * 1e3:6.3f} ms   "
            f"GraphQL median {gql_median * 1e3:6.3f} ms   "
            f"ratio of medians {gql_median / rest_median:.2f}   "
            f"median paired ratio {ratio:.2f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
