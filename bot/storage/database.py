"""The SQLite connection: WAL, write transactions, migrations at start-up, WAL checkpoints.

Every write runs in one ``BEGIN IMMEDIATE`` transaction: the write lock is taken before anything
is read, so concurrent writers (threads or processes) queue instead of overwriting each other,
and a crash mid-change leaves the previous state intact (SQLite rolls back what was unfinished).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database as Db

from bot.storage.migrations import migrate

BUSY_TIMEOUT_MS = 30_000


class Database:
    """One SQLite file (or an in-memory database, for tests) shared by every store."""

    def __init__(self, db: Db, path: Path | str = ":memory:") -> None:
        self.db = db
        self.path = str(path)
        self._checkpointer: threading.Thread | None = None
        self._stop_checkpoints = threading.Event()
        self.db.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        with self.transaction():
            migrate(self.db)

    @classmethod
    def open(cls, path: Path | str) -> Database:
        """Open (creating if needed) the database at ``path``, in WAL mode, migrated."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are ours (BEGIN IMMEDIATE / COMMIT).
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        db = Db(conn)
        if str(path) != ":memory:":
            db.enable_wal()
        conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a crash loses no commit
        return cls(db, path)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Db]:
        """One write transaction, taking the write lock up front."""
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.conn.execute("ROLLBACK")
            raise
        self.db.conn.execute("COMMIT")

    def writable(self) -> bool:
        """True when a write transaction commits (the readiness check)."""
        try:
            with self.transaction() as db:
                db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('health.last_write', ?)",
                    [str(time.time())],
                )
        except sqlite3.Error:
            return False
        return True

    def start_checkpointer(self, every: float = 1.0) -> None:
        """Checkpoint the WAL from a background thread instead of inside a commit.

        SQLite's automatic checkpoint runs (with an fsync) inside whichever commit crosses the
        threshold: on the event loop that is a pause of tens of milliseconds for every chat
        served by the process. A thread with its own connection does it off the loop.
        """
        if self.path == ":memory:":
            return
        self.db.conn.execute("PRAGMA wal_autocheckpoint = 0")
        self._stop_checkpoints = threading.Event()
        self._checkpointer = threading.Thread(
            target=self._checkpoint_loop, args=(every,), name="wal-checkpoint", daemon=True
        )
        self._checkpointer.start()

    def _checkpoint_loop(self, every: float) -> None:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            while not self._stop_checkpoints.wait(every):
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()

    def close(self) -> None:
        """Stop the checkpointer (if any), checkpoint, and close the connection."""
        if self._checkpointer is not None:
            self._stop_checkpoints.set()
            self._checkpointer.join(timeout=5)
            self._checkpointer = None
            with contextlib.suppress(sqlite3.Error):
                self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()
