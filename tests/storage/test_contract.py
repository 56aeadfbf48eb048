"""The storage contract: the same tests on SQLite and on PostgreSQL (``database_url``)."""

from __future__ import annotations

import threading
import uuid

import pytest

from bot.plans.state import PlanState
from bot.storage import Storage, open_storage
from bot.storage.errors import StorageError
from bot.storage.events import SEEN_TTL_SECONDS
from bot.storage.migrations import known_migrations
from bot.storage.pg_migrations import PG_MIGRATIONS

WS = "slack:T1"


def _add(role: str, n: int = 1):  # type: ignore[no-untyped-def]
    def apply(state: PlanState) -> PlanState:
        state.roles[role] = state.roles.get(role, 0) + n  # type: ignore[index]
        return state

    return apply


def test_both_engines_know_the_same_migrations_in_the_same_order() -> None:
    from sqlite_utils import Database

    from bot.storage.migrations import MIGRATIONS

    sqlite_order = [m.name for m in MIGRATIONS.pending(Database(memory=True))]
    assert [name for name, _ in PG_MIGRATIONS] == sqlite_order
    assert set(sqlite_order) == known_migrations()


def test_a_change_is_read_back_recorded_and_undone(storage: Storage) -> None:
    plans = storage.plans
    assert plans.read(WS) == PlanState()
    before, after = plans.change(WS, "U1", "plan add copy 2", "add", _add("copywriter", 2))
    assert before.roles == {} and after.roles == {"copywriter": 2}
    assert plans.read(WS).roles == {"copywriter": 2}
    assert plans.read("slack:T2") == PlanState()  # one plan per workspace
    plans.change(WS, "U2", "plan add art", "add", _add("art"))
    history = plans.history(WS)
    assert [h.command for h in history] == ["plan add art", "plan add copy 2"]
    assert [h.user for h in history] == ["U2", "U1"]
    undone = plans.undo(WS, "U1", lambda entry, plan: None)
    assert undone is not None and undone.command == "plan add art"
    assert plans.read(WS).roles == {"copywriter": 2}
    assert plans.history(WS)[0].kind == "undo" and plans.history(WS)[1].undone


def test_a_refused_change_writes_nothing(storage: Storage) -> None:
    def refuse(state: PlanState) -> PlanState:
        state.roles["art"] = 9  # type: ignore[index]
        raise ValueError("no")

    with pytest.raises(ValueError):
        storage.plans.change(WS, "U1", "plan add art 9", "add", refuse, delivery="slack:Ev9")
    assert storage.plans.read(WS) == PlanState() and storage.plans.history(WS) == []
    assert not storage.events.seen("slack:Ev9")  # the retry of a refused event is answered


def test_a_change_records_its_delivery_in_the_same_transaction(storage: Storage) -> None:
    storage.plans.change(WS, "U1", "plan add art", "add", _add("art"), delivery="slack:Ev1")
    assert storage.events.seen("slack:Ev1")
    assert not storage.events.first_time("slack:Ev1")


def test_seen_events_are_recorded_once_and_expire(storage: Storage) -> None:
    events = storage.events
    assert events.first_time("k1", now=1000.0)
    assert not events.first_time("k1", now=1001.0)
    later = 1000.0 + SEEN_TTL_SECONDS + 1
    events._calls = 0  # the next call expires old ids
    assert events.first_time("k2", now=later)
    assert events.first_time("k1", now=later)  # expired, so a new delivery


def test_facts_are_kept_and_replaced(storage: Storage) -> None:
    assert storage.meta.get("x") is None
    storage.meta.set("x", "1")
    storage.meta.set("x", "2")
    assert storage.meta.get("x") == "2"


def test_concurrent_writers_from_separate_connections_lose_nothing(database_url: str) -> None:
    """20 writers, each with its own connection (as replicas have): exactly 20 more."""
    seed = open_storage(database_url)
    seed.plans.change(WS, "U0", "plan add art 5", "add", _add("art", 5))
    opened = [open_storage(database_url, busy_ms=60_000) for _ in range(4)]
    start = threading.Barrier(20)
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        try:
            start.wait()
            opened[i % 4].plans.change(WS, f"U{i}", "plan add art", "add", _add("art"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        assert errors == []
        assert seed.plans.read(WS).roles == {"art": 25}
        assert len(seed.plans.history(WS, limit=100)) == 21
    finally:
        for s in [seed, *opened]:
            s.close()


def test_migrations_apply_once_across_restarts(database_url: str) -> None:
    first = open_storage(database_url)
    first.plans.change(WS, "U1", "plan add art", "add", _add("art"))
    first.close()
    again = open_storage(database_url)  # nothing re-applied, nothing lost
    try:
        assert again.plans.read(WS).roles == {"art": 1}
    finally:
        again.close()


def test_a_database_a_newer_release_migrated_is_refused(postgres_url: str) -> None:
    import psycopg

    open_storage(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("INSERT INTO shopcrew_migrations VALUES ('099_future', 'x')")
    with pytest.raises(StorageError, match="newer release"):
        open_storage(postgres_url)


def test_an_unreachable_server_is_one_line() -> None:
    with pytest.raises(StorageError) as err:
        open_storage("postgresql://postgres@127.0.0.1:1/none?connect_timeout=1")
    assert err.value.kind == "unreachable" and "\n" not in str(err.value)
    assert "127.0.0.1:1" in str(err.value)


def test_connections_the_server_dropped_are_replaced(postgres_url: str) -> None:
    """A server restart drops every connection; the next change still goes through."""
    import psycopg

    name = f"shopcrew-test-{uuid.uuid4().hex[:8]}"
    storage = open_storage(f"{postgres_url}&application_name={name}")
    try:
        storage.plans.change(WS, "U1", "plan add art", "add", _add("art"))
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            dropped = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s",
                [name],
            ).fetchone()
        assert dropped is not None and dropped[0] >= 1
        storage.plans.change(WS, "U1", "plan add art", "add", _add("art"))
        assert storage.plans.read(WS).roles == {"art": 2}
        assert storage.database.problem() is None
    finally:
        storage.close()


def test_a_server_that_went_away_is_not_ready_and_changes_are_refused(postgres_url: str) -> None:
    storage = open_storage(postgres_url)
    try:
        storage.database.close()  # as good as a server that cannot be reached
        problem = storage.database.problem()
        assert problem is not None and problem.startswith("unreachable")
        with pytest.raises(StorageError) as err:
            storage.plans.change(WS, "U1", "plan add art", "add", _add("art"))
        assert err.value.kind == "unreachable"
    finally:
        storage.close()
