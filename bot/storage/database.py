"""The SQLite connection: WAL, write transactions, migrations at start-up, WAL checkpoints.

Every write runs in one ``BEGIN IMMEDIATE`` transaction: the write lock is taken before anything
is read, so concurrent writers (threads or processes) queue instead of overwriting each other,
and a crash mid-change leaves the previous state intact (SQLite rolls back what was unfinished).

Failures come out as ``StorageError`` (see ``bot.storage.errors``), never as ``sqlite3`` errors:
a chat answer says "busy, try again" or "I can't save changes right now" instead of failing.
The service waits for another process's write lock only briefly (``SERVICE_BUSY_MS``); a person
at the command line waits longer (``PATIENT_BUSY_MS``). Adapters call storage from a worker
thread, never from the event loop, so even that short wait never stalls other chats.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database as Db

from bot.storage.backend import Rows
from bot.storage.errors import StorageError
from bot.storage.migrations import migrate
from bot.storage.schema import check_intact, check_layout, check_not_newer, check_ours

#: The service answers chats: wait this long for another process's write lock, then say busy.
SERVICE_BUSY_MS = 2_000
#: Start-up migrations and command-line changes: someone is waiting at a terminal.
PATIENT_BUSY_MS = 15_000
#: After a write found the database locked, later writes fail at once for this long, so a queue
#: of chats is answered "busy" in milliseconds rather than two seconds each.
BUSY_COOL_DOWN_S = 1.0
#: The readiness probe's own wait for the write lock: it must answer quickly.
PROBE_BUSY_S = 0.5

Identity = tuple[int, int]


def _identity(path: str) -> Identity | None:
    """The file's device and inode: a file deleted or replaced under the service has others."""
    if path == ":memory:":
        return None
    st = os.stat(path)
    return st.st_dev, st.st_ino


class SqliteTx:
    """A write transaction on the SQLite connection (``bot.storage.backend.Tx``)."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        """Run one statement."""
        return self.db.execute(sql, list(params))

    def lock(self, key: str) -> None:
        """Nothing to do: ``BEGIN IMMEDIATE`` already holds the only write lock there is."""


class Database:
    """One SQLite file (or an in-memory database, for tests) shared by every store."""

    dialect: Literal["sqlite"] = "sqlite"

    def __init__(
        self, db: Db, path: Path | str = ":memory:", busy_ms: int = SERVICE_BUSY_MS
    ) -> None:
        self.db = db
        self.path = str(path)
        self.busy_ms = busy_ms
        self._checkpointer: threading.Thread | None = None
        self._stop_checkpoints = threading.Event()
        # One connection, used from a worker thread and (in tests and the CLI) the main one.
        self._lock = threading.RLock()
        self._busy_until = 0.0
        #: Why the service's last write failed (not busy), until one succeeds: not ready.
        self._write_failure: str | None = None
        self._file: Identity | None = None  # set once migrated (see ``check_file``)
        self._held: int | None = None  # the descriptor of ``hold_for_service``'s lock
        conn = self.db.conn
        conn.execute(f"PRAGMA busy_timeout = {max(busy_ms, PATIENT_BUSY_MS)}")
        with self.transaction():
            migrate(self.db)
        check_layout(conn)
        conn.execute(f"PRAGMA busy_timeout = {busy_ms}")
        self._file = _identity(self.path)

    @classmethod
    def open(cls, path: Path | str, busy_ms: int = SERVICE_BUSY_MS) -> Database:
        """Open (creating the file if needed) the database at ``path``, in WAL mode, migrated.

        Raises ``StorageError`` when the file is not a database ShopCrew can run on (damaged,
        written by a newer release, another layout) or cannot be opened for writing.
        """
        memory = str(path) == ":memory:"
        if not memory and not Path(path).parent.is_dir():
            raise StorageError("unwritable", f"the folder {Path(path).parent} does not exist")
        conn: sqlite3.Connection | None = None
        try:
            # isolation_level=None: transactions are ours (BEGIN IMMEDIATE / COMMIT).
            conn = sqlite3.connect(
                str(path),
                timeout=PATIENT_BUSY_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            db = Db(conn)
            # Before WAL mode (a write): a file ShopCrew cannot run on is left as it was.
            check_intact(conn)
            check_ours(conn)
            check_not_newer(conn)
            if not memory:
                db.enable_wal()
            conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a crash loses no commit
            return cls(db, path, busy_ms)
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            raise StorageError.of(exc) from None
        except StorageError:
            if conn is not None:
                conn.close()
            raise

    @property
    def shown(self) -> str:
        """The file, for messages."""
        return self.path

    # --- every use of the connection --------------------------------------------------------

    def check_file(self) -> None:
        """Raise ``StorageError("gone")`` when the file under the service was deleted or replaced.

        SQLite keeps writing to a deleted file's inode: every change would be confirmed, then
        lost at the next restart. A ``stat`` per write is microseconds.
        """
        if self._file is None:
            return
        try:
            now = _identity(self.path)
        except OSError:
            now = None
        if now != self._file:
            raise StorageError("gone", f"{self.path}: the database file was deleted or replaced")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[SqliteTx]:
        """One write transaction, taking the write lock up front."""
        with self._lock:
            self._begin()
            try:
                yield SqliteTx(self.db)
            except sqlite3.Error as exc:
                self._rollback()
                raise self._failed(exc) from None
            except BaseException:
                self._rollback()
                raise
            try:
                self.db.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise self._failed(exc) from None
            self._write_failure = None

    def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.conn.execute("ROLLBACK")

    def _begin(self) -> None:
        self.check_file()
        if time.monotonic() < self._busy_until:
            raise StorageError("busy", "the database was locked a moment ago")
        try:
            self.db.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    def _failed(self, exc: sqlite3.Error) -> StorageError:
        error = StorageError.of(exc)
        if error.kind == "busy":
            self._busy_until = time.monotonic() + BUSY_COOL_DOWN_S
        else:
            self._write_failure = error.detail
        return error

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one read (``StorageError`` when the database cannot be read)."""
        with self._lock:
            try:
                return self.db.execute(sql, list(params)).fetchall()
            except sqlite3.Error as exc:
                raise StorageError.of(exc) from None

    # --- readiness --------------------------------------------------------------------------

    def problem(self) -> str | None:
        """Why the database cannot take a write now, or None (the readiness check).

        Two probes: a connection of its own, which waits for the write lock only briefly (the
        probe must answer even while the service's connection is busy), and, after a write of
        the service failed, a write on the service's own connection, which alone says whether
        the service can write again.
        """
        try:
            self.check_file()
            if self._write_failure is not None or self._file is None:
                self._probe_service_connection()
            if self._file is not None:
                self._probe_own_connection()
        except StorageError as exc:
            return f"{exc.kind}: {exc.detail}"
        return None

    def _probe_service_connection(self) -> None:
        if not self._lock.acquire(timeout=PROBE_BUSY_S):
            raise StorageError("busy", "the service's connection is in use")
        try:
            with self.transaction() as tx:
                _touch(tx.db.conn)
        finally:
            self._lock.release()

    def _probe_own_connection(self) -> None:
        try:
            conn = sqlite3.connect(self.path, timeout=PROBE_BUSY_S, isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")
                _touch(conn)
                conn.execute("COMMIT")
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise StorageError.of(exc) from None

    # --- WAL checkpoints and closing --------------------------------------------------------

    def start_checkpointer(self, every: float = 1.0) -> None:
        """Checkpoint the WAL from a background thread instead of inside a commit.

        SQLite's automatic checkpoint runs (with an fsync) inside whichever commit crosses the
        threshold: on the event loop that is a pause of tens of milliseconds for every chat
        served by the process. A thread with its own connection does it off the loop.
        """
        if self.path == ":memory:":
            return
        with self._lock:
            self.db.conn.execute("PRAGMA wal_autocheckpoint = 0")
        self._stop_checkpoints = threading.Event()
        self._checkpointer = threading.Thread(
            target=self._checkpoint_loop, args=(every,), name="wal-checkpoint", daemon=True
        )
        self._checkpointer.start()

    def _checkpoint_loop(self, every: float) -> None:
        # PASSIVE never waits for other connections; the short timeout bounds the rest.
        conn = sqlite3.connect(self.path, timeout=PROBE_BUSY_S)
        try:
            while not self._stop_checkpoints.wait(every):
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()

    def hold_for_service(self) -> None:
        """Mark the file as used by a running service, until ``close``: a restore refuses.

        A shared ``flock`` on the file: several processes may serve one database, and SQLite's
        own (``fcntl``) locks are separate from it.
        """
        if self._file is None or self._held is not None:
            return
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StorageError("busy", f"{self.path}: a restore is running") from None
        self._held = fd

    def close(self) -> None:
        """Stop the checkpointer (if any), checkpoint, and close the connection.

        Never waits on another process's lock: a stop must finish on time whatever the database
        does, and every commit is already safe in the WAL.
        """
        if self._checkpointer is not None:
            self._stop_checkpoints.set()
            self._checkpointer.join(timeout=2)
            self._checkpointer = None
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                self.db.conn.execute("PRAGMA busy_timeout = 0")
                if self.path != ":memory:":
                    self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.db.close()
        if self._held is not None:
            os.close(self._held)  # releases the lock
            self._held = None


@contextlib.contextmanager
def claimed(path: Path) -> Iterator[bool]:
    """Hold ``path`` exclusively for a restore; yields False when a service holds it."""
    if not path.is_file():
        yield True
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _touch(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('health.last_write', ?)",
        [str(time.time())],
    )
