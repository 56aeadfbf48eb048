"""Claims on once-per-deployment work (``Meta.claim``), on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

from bot.storage import Storage, open_storage
from bot.storage.meta import Claim, Meta

KEY = "discord.commands.sha256"


def test_a_claim_is_granted_to_one_holder_until_finished(storage: Storage) -> None:
    meta = storage.meta
    mine = meta.claim(KEY, "h1", "A", 60)
    assert mine.state == "mine" and mine.holder == "A"
    taken = meta.claim(KEY, "h1", "B", 60)
    assert (taken.state, taken.holder, taken.until) == ("taken", "A", mine.until)
    assert meta.claim(KEY, "h1", "A", 60).state == "mine"  # its own claim, asked again
    meta.finish(KEY, "h1", "A")
    assert meta.get(KEY) == "h1"
    assert meta.claim(KEY, "h1", "B", 60) == Claim("done")
    # The work changes (new definitions): claimable again, by anyone.
    assert meta.claim(KEY, "h2", "B", 60).state == "mine"


def test_a_dead_holders_claim_lapses(storage: Storage) -> None:
    then = Meta(storage.database, clock=lambda: 1_000.0)
    assert then.claim(KEY, "h1", "dead", 60).state == "mine"
    later = Meta(storage.database, clock=lambda: 1_061.0)
    assert later.claim(KEY, "h1", "B", 60).state == "mine"
    assert later.claim(KEY, "h1", "dead", 60).state == "taken"  # back too late: B holds it


def test_a_released_claim_is_free_at_once_and_only_its_holder_releases(storage: Storage) -> None:
    meta = storage.meta
    meta.claim(KEY, "h1", "A", 60)
    meta.release(KEY, "B")  # not B's to give up
    assert meta.claim(KEY, "h1", "B", 60).state == "taken"
    meta.release(KEY, "A")
    assert meta.claim(KEY, "h1", "B", 60).state == "mine"
    assert meta.get(KEY) is None


def test_an_unreadable_claim_counts_as_none(storage: Storage) -> None:
    storage.meta.set(f"{KEY}.claim", "not json")
    assert storage.meta.claim(KEY, "h1", "A", 60).state == "mine"


def test_of_many_processes_claiming_together_exactly_one_gets_it(database_url: str) -> None:
    """Eight connections (as eight processes have), all claiming at once: one is granted."""
    opened = [open_storage(database_url, busy_ms=60_000) for _ in range(8)]
    start = threading.Barrier(len(opened))
    states: list[str] = []
    errors: list[BaseException] = []

    def claimer(i: int) -> None:
        try:
            start.wait()
            states.append(opened[i].meta.claim(KEY, "h1", f"P{i}", 60).state)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=claimer, args=(i,)) for i in range(len(opened))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        assert errors == []
        assert sorted(states) == ["mine"] + ["taken"] * 7
    finally:
        for s in opened:
            s.close()
