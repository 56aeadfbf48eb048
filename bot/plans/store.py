"""SQLite storage of team plans (sqlite-utils), with migrations, history and undo.

Every change runs in one ``BEGIN IMMEDIATE`` transaction: the write lock is taken before the plan
is read, so concurrent writers (threads or processes) queue instead of overwriting each other, and
a crash mid-change leaves the previous plan intact (SQLite rolls back the unfinished transaction).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlite_utils import Database

BUSY_TIMEOUT_MS = 30_000
_COLNAMES = ["id", "workspace", "user", "at", "command", "kind", "before", "after", "undone"]
_COLS = ", ".join(f'"{c}"' for c in _COLNAMES)


class PlanState(BaseModel):
    """Everything a workspace's plan holds; history rows store it before and after a change."""

    model_config = ConfigDict(extra="forbid")

    stores: int | None = None
    stage: str | None = None
    channels: list[str] = Field(default_factory=list)
    roles: dict[str, int] = Field(default_factory=dict)
    locked: bool = False
    editors: list[str] = Field(default_factory=list)
    lang: str | None = None

    @property
    def total(self) -> int:
        """People in the plan."""
        return sum(self.roles.values())


class HistoryRow(BaseModel):
    """One recorded change."""

    id: int
    user: str
    at: str
    command: str
    before: PlanState
    after: PlanState
    undone: bool
    kind: str


def _m001_initial(db: Database) -> None:
    db.table("plans").create(
        {"workspace": str, "state": str, "version": int, "updated_at": str}, pk="workspace"
    )
    db.table("history").create(
        {
            "id": int,
            "workspace": str,
            "user": str,
            "at": str,
            "command": str,
            "kind": str,
            "before": str,
            "after": str,
            "undone": int,
        },
        pk="id",
        not_null={"workspace", "user", "at", "command", "kind", "before", "after", "undone"},
    )
    db.table("history").create_index(["workspace", "id"])


def _m002_seen_events(db: Database) -> None:
    # Chat platforms retry deliveries; remembering event ids here (not in memory) means a retry
    # that arrives after a restart is still recognised.
    db.table("seen_events").create({"key": str, "seen_at": float}, pk="key")
    db.table("seen_events").create_index(["seen_at"])


def _m003_meta(db: Database) -> None:
    # Small facts about the deployment (e.g. the hash of the Discord commands last synced).
    db.table("meta").create({"key": str, "value": str}, pk="key")


#: Applied in order at start-up; each runs once per database (recorded in ``_migrations``).
MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = [
    ("001_initial", _m001_initial),
    ("002_seen_events", _m002_seen_events),
    ("003_meta", _m003_meta),
]
SEEN_TTL_SECONDS = 3600.0  # Slack retries within minutes; an hour is ample


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class PlanStore:
    """Plans of every workspace in one SQLite file (or in memory, for tests)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._seen_calls = 0
        self._checkpointer: threading.Thread | None = None
        self._stop_checkpoints = threading.Event()
        self.db.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._migrate()

    @classmethod
    def open(cls, path: Path | str) -> PlanStore:
        """Open (creating if needed) the database at ``path``, in WAL mode."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves.
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        db = Database(conn)
        if str(path) != ":memory:":
            db.enable_wal()
        conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a crash loses no commit
        return cls(db)

    def start_checkpointer(self, path: Path | str, every: float = 1.0) -> None:
        """Checkpoint the WAL from a background thread instead of inside a commit.

        SQLite's automatic checkpoint runs (with an fsync) inside whichever commit crosses the
        threshold: on the event loop that is a pause of tens of milliseconds for every chat
        served by the process. A thread with its own connection does it off the loop.
        """
        self.db.conn.execute("PRAGMA wal_autocheckpoint = 0")
        self._stop_checkpoints = threading.Event()

        def run() -> None:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                while not self._stop_checkpoints.wait(every):
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                conn.close()

        self._checkpointer = threading.Thread(target=run, name="wal-checkpoint", daemon=True)
        self._checkpointer.start()

    def close(self) -> None:
        """Stop the checkpointer (if any), checkpoint, and close the connection."""
        if self._checkpointer is not None:
            self._stop_checkpoints.set()
            self._checkpointer.join(timeout=5)
            self._checkpointer = None
            with contextlib.suppress(sqlite3.Error):
                self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()

    def _migrate(self) -> None:
        with self.transaction():
            if "_migrations" not in self.db.table_names():
                self.db.table("_migrations").create({"name": str, "applied_at": str}, pk="name")
            done = {r["name"] for r in self.db.table("_migrations").rows}
            for name, migrate in MIGRATIONS:
                if name not in done:
                    migrate(self.db)
                    self.db.table("_migrations").insert({"name": name, "applied_at": _now()})

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One write transaction, taking the write lock up front."""
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.conn.execute("ROLLBACK")
            raise
        self.db.conn.execute("COMMIT")

    def first_time(self, key: str, now: float | None = None) -> bool:
        """Record an event id; False if it was already seen within the last hour (a retry)."""
        now = time.time() if now is None else now
        self._seen_calls += 1
        with self.transaction() as db:
            if self._seen_calls % 500 == 1:  # expire old ids now and then, not on every event
                db.execute("DELETE FROM seen_events WHERE seen_at < ?", [now - SEEN_TTL_SECONDS])
            cursor = db.execute(
                "INSERT OR IGNORE INTO seen_events (key, seen_at) VALUES (?, ?)", [key, now]
            )
            return cursor.rowcount == 1

    def writable(self) -> bool:
        """True when a write transaction commits (readiness check)."""
        try:
            self.set_meta("health.last_write", str(time.time()))
        except sqlite3.Error:
            return False
        return True

    def get_meta(self, key: str) -> str | None:
        """A stored deployment fact, or None."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Store a deployment fact."""
        with self.transaction() as db:
            db.table("meta").upsert({"key": key, "value": value}, pk="key")

    def read(self, workspace: str) -> PlanState:
        """The workspace's plan (empty if it has none yet)."""
        row = self.db.execute("SELECT state FROM plans WHERE workspace = ?", [workspace]).fetchone()
        return PlanState.model_validate_json(row[0]) if row else PlanState()

    def change(
        self,
        workspace: str,
        user: str,
        command: str,
        kind: str,
        apply: Callable[[PlanState], PlanState],
    ) -> tuple[PlanState, PlanState]:
        """Apply ``apply`` to the plan in one transaction and record it; returns (before, after).

        ``apply`` may raise to refuse the change; nothing is written then. A change that leaves
        the plan as it was is not recorded.
        """
        with self.transaction() as db:
            before = self.read(workspace)
            after = apply(before.model_copy(deep=True))
            if after == before:
                return before, after
            self._write(db, workspace, after)
            self._record(db, workspace, user, command, kind, before, after)
        return before, after

    # Plain SQL on the hot path: sqlite-utils' upsert/insert introspect the table on every call.
    def _write(self, db: Database, workspace: str, state: PlanState) -> None:
        db.execute(
            "INSERT INTO plans (workspace, state, version, updated_at) VALUES (?, ?, 1, ?) "
            "ON CONFLICT(workspace) DO UPDATE SET state = excluded.state, "
            "version = plans.version + 1, updated_at = excluded.updated_at",
            [workspace, state.model_dump_json(), _now()],
        )

    @staticmethod
    def _record(
        db: Database,
        workspace: str,
        user: str,
        command: str,
        kind: str,
        before: PlanState,
        after: PlanState,
    ) -> None:
        db.execute(
            'INSERT INTO history (workspace, "user", at, command, kind, "before", "after", undone) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            [workspace, user, _now(), command[:200], kind, before.model_dump_json(),
             after.model_dump_json()],
        )  # fmt: skip

    def undo(
        self, workspace: str, user: str, allowed: Callable[[HistoryRow], None]
    ) -> HistoryRow | None:
        """Revert the latest change not yet undone; None when there is nothing to undo.

        ``allowed`` raises to refuse (e.g. only admins may undo a lock).
        """
        with self.transaction() as db:
            row = db.execute(
                "SELECT "
                + _COLS
                + " FROM history WHERE workspace = ? AND undone = 0 AND kind != 'undo' "
                "ORDER BY id DESC LIMIT 1",
                [workspace],
            ).fetchone()
            if row is None:
                return None
            entry = self._row(row)
            allowed(entry)
            self._write(db, workspace, entry.before)
            db.execute("UPDATE history SET undone = 1 WHERE id = ?", [entry.id])
            self._record(
                db, workspace, user, f"undo: {entry.command}", "undo", entry.after, entry.before
            )
        return entry

    def history(self, workspace: str, limit: int = 10) -> list[HistoryRow]:
        """The latest changes, newest first."""
        rows = self.db.execute(
            "SELECT " + _COLS + " FROM history WHERE workspace = ? ORDER BY id DESC LIMIT ?",
            [workspace, limit],
        ).fetchall()
        return [self._row(r) for r in rows]

    def _row(self, row: Any) -> HistoryRow:
        d = dict(zip(_COLNAMES, row, strict=True))
        return HistoryRow(
            id=d["id"],
            user=d["user"],
            at=d["at"],
            command=d["command"],
            kind=d["kind"],
            before=PlanState.model_validate_json(d["before"]),
            after=PlanState.model_validate_json(d["after"]),
            undone=bool(d["undone"]),
        )
