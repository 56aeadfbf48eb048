"""The plans table and their history: read, change in one transaction, undo."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.plans.state import HistoryRow, PlanState
from bot.storage.backend import Backend, Tx
from knowledge.vocab import PlanVerb

_COLNAMES = ["id", "workspace", "user", "at", "command", "kind", "before", "after", "undone"]
_COLS = ", ".join(f'"{c}"' for c in _COLNAMES)
_READ = "SELECT state FROM plans WHERE workspace = ?"


def _repeated(db: Tx, delivery: str | None) -> bool:
    """True when the event behind a change was handled already: a replica that took over a
    claim its holder was still using (it stalled) must not apply the change a second time.
    Read after the plan's lock, so a change committed by the other replica is seen."""
    if delivery is None:
        return False
    return db.execute("SELECT 1 FROM seen_events WHERE key = ?", [delivery]).fetchone() is not None


def _delivered(db: Tx, delivery: str | None) -> None:
    """Mark the event behind a change as handled, inside the change's transaction (its retry
    is then dropped by the adapter, see ``SeenEvents``)."""
    if delivery is not None:
        db.execute(
            "INSERT INTO seen_events (key, seen_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            [delivery, time.time()],
        )


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class PlanStore:
    """Plans of every workspace, and every change to them."""

    def __init__(self, database: Backend) -> None:
        self.database = database

    def read(self, workspace: str) -> PlanState:
        """The workspace's plan (empty if it has none yet)."""
        rows = self.database.query(_READ, [workspace])
        return PlanState.model_validate_json(rows[0][0]) if rows else PlanState()

    @staticmethod
    def _read(db: Tx, workspace: str) -> PlanState:
        """The plan as this transaction sees it (after its lock: no other writer in between)."""
        row = db.execute(_READ, [workspace]).fetchone()
        return PlanState.model_validate_json(row[0]) if row else PlanState()

    def change(
        self,
        workspace: str,
        user: str,
        command: str,
        kind: PlanVerb,
        apply: Callable[[PlanState], PlanState],
        delivery: str | None = None,
    ) -> tuple[PlanState, PlanState]:
        """Apply ``apply`` to the plan in one transaction and record it; returns (before, after).

        ``apply`` may raise to refuse the change; nothing is written then. A change that leaves
        the plan as it was is not recorded. ``delivery`` (the key of the event that asked for
        the change) is marked as handled in the same transaction, so the platform's retry of
        that event after a crash is recognised and never applies the change twice; a delivery
        already marked changes nothing.
        """
        with self.database.transaction() as db:
            db.lock(f"plan:{workspace}")  # concurrent writers of one plan queue (PostgreSQL)
            before = self._read(db, workspace)
            if _repeated(db, delivery):
                return before, before
            after = apply(before.model_copy(deep=True))
            if after == before:
                return before, after
            self._write(db, workspace, after)
            self._record(db, workspace, user, command, kind, before, after)
            _delivered(db, delivery)
        return before, after

    # Plain SQL on the hot path: sqlite-utils' upsert/insert introspect the table on every call.
    def _write(self, db: Tx, workspace: str, state: PlanState) -> None:
        db.execute(
            "INSERT INTO plans (workspace, state, version, updated_at) VALUES (?, ?, 1, ?) "
            "ON CONFLICT(workspace) DO UPDATE SET state = excluded.state, "
            "version = plans.version + 1, updated_at = excluded.updated_at",
            [workspace, state.model_dump_json(), _now()],
        )

    @staticmethod
    def _record(
        db: Tx,
        workspace: str,
        user: str,
        command: str,
        kind: PlanVerb,
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
        self,
        workspace: str,
        user: str,
        allowed: Callable[[HistoryRow, PlanState], None],
        delivery: str | None = None,
    ) -> HistoryRow | None:
        """Revert the latest change not yet undone; None when there is nothing to undo.

        ``allowed(entry, plan)`` raises to refuse (e.g. only admins may undo a lock); ``plan`` is
        the plan as it is inside the transaction. ``delivery`` as for ``change``.
        """
        with self.database.transaction() as db:
            db.lock(f"plan:{workspace}")
            if _repeated(db, delivery):
                return None
            row = db.execute(
                "SELECT " + _COLS + " FROM history WHERE workspace = ? AND undone = 0 "
                "AND kind != 'undo' ORDER BY id DESC LIMIT 1",
                [workspace],
            ).fetchone()
            if row is None:
                return None
            entry = self._row(row)
            allowed(entry, self._read(db, workspace))
            self._write(db, workspace, entry.before)
            db.execute("UPDATE history SET undone = 1 WHERE id = ?", [entry.id])
            self._record(
                db, workspace, user, f"undo: {entry.command}", "undo", entry.after, entry.before
            )
            _delivered(db, delivery)
        return entry

    def history(self, workspace: str, limit: int = 10) -> list[HistoryRow]:
        """The latest changes, newest first."""
        rows = self.database.query(
            "SELECT " + _COLS + " FROM history WHERE workspace = ? ORDER BY id DESC LIMIT ?",
            [workspace, limit],
        )
        return [self._row(r) for r in rows]

    @staticmethod
    def _row(row: Any) -> HistoryRow:
        d = dict(zip(_COLNAMES, row, strict=True))
        return HistoryRow.model_validate(
            {**d, "before": PlanState.model_validate_json(d["before"]),
             "after": PlanState.model_validate_json(d["after"]), "undone": bool(d["undone"])}
        )  # fmt: skip
