"""The soak script's own arithmetic (the soak itself runs with ``make soak``)."""

import pytest

from tests.reliability import soak


def test_the_soak_database_is_always_its_own():
    url, maintenance = soak.database_urls("postgres://u:p@127.0.0.1:5432/test?sslmode=disable", "s")
    assert url == "postgres://u:p@127.0.0.1:5432/s?sslmode=disable"
    assert maintenance == "postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable"


def test_the_soak_refuses_remote_servers():
    with pytest.raises(SystemExit, match="loopback"):
        soak.main(["--database-url", "postgres://postgres@db.example.com/x", "--seconds", "1"])


def test_percentiles():
    values = [index / 1000 for index in range(1, 101)]
    assert soak.percentile(values, 0.5) == 0.051
    assert soak.percentile(values, 0.99) == 0.1
    assert soak.percentile([0.2], 0.99) == 0.2


def test_consistency_finds_every_kind_of_lost_write(monkeypatch):
    ledger = soak.Ledger()
    ledger.created = {1: "a", 2: "a", 3: "b", 4: "b"}
    ledger.deleted = {2, 4}
    ledger.last_write = {1: ("one", 1), 2: ("two", 0), 3: ("three", 2), 4: ("four", 0)}

    class Cursor:
        def __init__(self, rows):
            self.rows = rows

        def fetchall(self):
            return self.rows

        def fetchone(self):
            return self.rows[0]

    class Connection:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            if sql.startswith("SELECT id, name"):
                # 1 is stale, 3 is missing, 4 came back after its delete, 9 is a phantom
                return Cursor([(1, "one (old)"), (4, "four"), (9, "nine")])
            if "GROUP BY" in sql:
                return Cursor([(1, 1)])
            return Cursor([(0,)])

    import psycopg

    monkeypatch.setattr(psycopg, "connect", lambda url: Connection())
    problems = "\n".join(soak.consistency("postgres://x", ledger))
    assert "acknowledged creates are missing: [3]" in problems
    assert "acknowledged deletes still exist: [4]" in problems
    assert "never acknowledged: [9]" in problems
    assert "differ from their last acknowledged write: [1]" in problems
    assert "subtasks: 1 stored != 3 written" in problems
