"""A database that is locked, cannot be written, or vanishes: every message still gets an
answer or a clear apology, nothing waits on the event loop, readiness says why, stops are on time.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.storage import open_storage
from bot.strings import t
from tests.chaos.served import served

#: Ample for any reply on a loaded machine, and well under the 15 s a write waited before.
CAP = 12.0


@contextmanager
def write_lock(db: Path, cap: float) -> Iterator[threading.Event]:
    """Hold the database's write lock (as another process would) until the block ends or
    ``cap`` seconds pass; the event is set when the cap released it."""
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    released, done = threading.Event(), threading.Event()

    def release_at_cap() -> None:
        if not done.wait(cap):
            released.set()
            conn.execute("ROLLBACK")

    guard = threading.Thread(target=release_at_cap, daemon=True)
    guard.start()
    try:
        yield released
    finally:
        done.set()
        guard.join()
        if not released.is_set():
            conn.execute("ROLLBACK")
        conn.close()


async def test_a_locked_database_stalls_nothing_and_answers_busy(tmp_path: Path) -> None:
    db = tmp_path / "locked.db"
    async with served(db) as shop:
        with write_lock(db, CAP) as released:
            assert await shop.mention("plan add art 2") == 200
            assert await shop.mention("hola") == 200
            assert await shop.command("plan add copywriter 1") == 200  # the ack came back
            assert (await shop.get("/healthz"))[0] == 200
            status, body = await shop.get("/readyz")
            assert status == 503 and body["checks"]["database"] is False
            await shop.fake.wait_for(
                lambda: len(shop.fake.posted()) >= 2 and shop.fake.responses, timeout=CAP
            )
            # Both changes: "busy" (the second in Spanish: the channel just spoke it).
            busy = (t("en", "storage.busy.title"), t("es", "storage.busy.title"))
            assert sum(r.startswith(busy) for r in shop.replies()) == 2
            assert any(r.startswith("¡Hola!") for r in shop.replies())  # a question: answered
            # The process stops on time even with the lock still held by someone else.
            assert await shop.stop() == 0
            # None of this waited for the lock: it was still held when all of it was done.
            assert not released.is_set()
        assert "stopped cleanly" in shop.log.read_text()
    storage = open_storage(db)
    assert storage.plans.read("slack:T1").roles == {}  # "busy" means nothing was changed
    storage.close()


async def test_a_database_that_cannot_be_written_still_answers(tmp_path: Path) -> None:
    db = tmp_path / "full.db"
    async with served(db) as shop:
        assert await shop.mention("plan add art 1") == 200
        await shop.fake.wait_for(lambda: len(shop.fake.posted()) >= 1)
        shop.disk_full()
        for text in ("hola", "what does the copywriter do?", "plan add art 3"):
            assert await shop.mention(text) == 200
        await shop.fake.wait_for(lambda: len(shop.fake.posted()) >= 4)
        replies = shop.replies()
        assert t("en", "storage.down.title") in replies[-1]  # the change: a clear apology
        assert all(t("en", "error.title") not in r for r in replies)
        status, body = await shop.get("/readyz")
        assert status == 503 and body["checks"]["database"] is False
        assert (await shop.get("/healthz"))[0] == 200
        assert await shop.stop() == 0
    log = shop.log.read_text()
    assert "not ready: database unwritable" in log


async def test_a_deleted_database_is_noticed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / "gone.db"
    async with served(db, log=tmp_path / "gone.log") as shop:
        assert await shop.mention("plan add art 1") == 200
        await shop.fake.wait_for(lambda: len(shop.fake.posted()) >= 1)
        for leftover in data.iterdir():
            leftover.unlink()
        data.rmdir()  # the data directory is gone, as in "rm -rf data/"
        assert await shop.mention("plan add art 4") == 200
        assert await shop.mention("what does the copywriter do?") == 200
        await shop.fake.wait_for(lambda: len(shop.fake.posted()) >= 3)
        replies = shop.replies()
        assert t("en", "storage.down.title") in replies[1]
        assert "Copywriter" in replies[2]
        status, body = await shop.get("/readyz")
        assert status == 503 and body["checks"]["database"] is False
        assert await shop.stop() == 0
    assert "deleted or replaced" in shop.log.read_text()
