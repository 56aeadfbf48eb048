"""Slack installations, one-time OAuth states, and the grace period of uninstalled workspaces.

Plain stores written against the storage contract (``bot.storage.backend``): they keep what the
Slack adapter gives them (an installation's fields as JSON-safe data, tokens included) and know
nothing of Slack's SDKs; ``adapters.slack.installations`` turns them into Bolt's interfaces.

- One installation per organisation and workspace, keyed ``(enterprise_id, team_id)`` ('' when
  absent). An Enterprise Grid org-wide install is its organisation's: ``team_id`` is '' and it
  is found by its enterprise id alone. Its ``workspace`` (the organisation for an org-wide
  install, else the team) is the id its plan is keyed by: ``slack:<workspace>``.
- Every change of an installation is a read-modify-write under the workspace's lock
  (``tx.lock``): replicas that refresh a rotating token together refresh it once (a refresh
  token works only once), and an uninstall is never undone by a refresh that was in flight.
- A workspace left without an installation is recorded as departed; its plan and history are
  kept ``grace`` seconds (a reinstall within them clears the record), then ``purge`` deletes them.
- OAuth states are one-time: consuming one deletes it, and one past its expiry is refused. They
  live in the database, so the browser's return may land on any replica.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.storage.backend import Backend, Tx

#: Installations' columns, in this order, in every SELECT.
_COLUMNS = "enterprise_id, team_id, workspace, user_id, installed_at, data"


class InstallRecord(BaseModel):
    """One installation as the adapter describes it: its keys, and ``data`` (JSON-safe)."""

    model_config = ConfigDict(frozen=True)

    enterprise_id: str | None = None
    team_id: str | None = None
    #: Who installed it (Slack's installing user).
    user_id: str | None = None
    is_enterprise_install: bool = False
    installed_at: float
    #: Everything else the adapter keeps (tokens included): stored as JSON, given back as is.
    data: dict[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        """(enterprise, team) as stored: an org-wide install has no team of its own."""
        team = "" if self.is_enterprise_install else self.team_id or ""
        return self.enterprise_id or "", team

    @property
    def workspace(self) -> str:
        """The id its plan is keyed by: the organisation for an org-wide install, else the team."""
        return workspace_of(*self.key)


def workspace_of(enterprise_id: str | None, team_id: str | None) -> str:
    """The workspace of a stored key: its team, or its organisation when it has none."""
    return team_id or enterprise_id or ""


def stored_key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
) -> tuple[str, str]:
    """How an installation is looked up: an org-wide install by its enterprise alone."""
    if is_enterprise_install and enterprise_id:
        return enterprise_id, ""
    return enterprise_id or "", team_id or ""


def plan_key(workspace: str) -> str:
    """The plan of a Slack workspace (as ``bot.plans.service.workspace_key`` writes it)."""
    return f"slack:{workspace}"


def _lock(tx: Tx, workspace: str) -> None:
    tx.lock(f"slack-installation:{workspace}")


class Installations:
    """Slack installations, and the workspaces that uninstalled the app (see the module doc)."""

    def __init__(self, database: Backend) -> None:
        self.database = database

    def save(self, record: InstallRecord) -> None:
        """Store an installation (a new one replaces its workspace's), and end a departure."""
        with self.database.transaction() as tx:
            _lock(tx, record.workspace)
            self._write(tx, record)
            tx.execute("DELETE FROM slack_departures WHERE workspace = ?", [record.workspace])

    def find(
        self, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool = False
    ) -> InstallRecord | None:
        """The installation that serves these ids, or None (never installed, or uninstalled)."""
        key = stored_key(enterprise_id, team_id, is_enterprise_install)
        rows = self.database.query(
            f"SELECT {_COLUMNS} FROM slack_installations WHERE enterprise_id = ? AND team_id = ?",
            list(key),
        )
        return _record(rows[0]) if rows else None

    def change(
        self,
        enterprise_id: str | None,
        team_id: str | None,
        edit: Callable[[InstallRecord], InstallRecord | None],
        now: float | None = None,
    ) -> InstallRecord | None:
        """Re-read the installation under its workspace's lock and apply ``edit``; the result.

        ``edit`` returns the installation to keep (written only if it differs), or None to
        delete it: the workspace is then recorded as departed. It may take its time (a token
        refresh over the network): replicas changing the same installation wait for it, and
        then see what it wrote. Nothing happens (None) when there is no installation.
        """
        key = (enterprise_id or "", team_id or "")
        workspace = workspace_of(*key)
        with self.database.transaction() as tx:
            _lock(tx, workspace)
            row = tx.execute(
                f"SELECT {_COLUMNS} FROM slack_installations "
                "WHERE enterprise_id = ? AND team_id = ?",
                list(key),
            ).fetchone()
            if row is None:
                return None
            current = _record(row)
            after = edit(current)
            if after is None:
                tx.execute(
                    "DELETE FROM slack_installations WHERE enterprise_id = ? AND team_id = ?",
                    list(key),
                )
                self._depart(tx, workspace, time.time() if now is None else now)
            elif after != current:
                self._write(tx, after)
            return after

    def departed(self, workspace: str) -> float | None:
        """When ``workspace`` was left without an installation, if it still is."""
        rows = self.database.query(
            "SELECT departed_at FROM slack_departures WHERE workspace = ?", [workspace]
        )
        return float(rows[0][0]) if rows else None

    def purge(self, grace_seconds: float, now: float | None = None) -> list[str]:
        """Delete the plan and history of every workspace departed ``grace_seconds`` ago or
        more, and not installed again since; the workspaces purged."""
        cutoff = (time.time() if now is None else now) - grace_seconds
        rows = self.database.query(
            "SELECT workspace FROM slack_departures WHERE departed_at <= ? ORDER BY workspace",
            [cutoff],
        )
        return [str(r[0]) for r in rows if self._purge_one(str(r[0]), cutoff)]

    def _purge_one(self, workspace: str, cutoff: float) -> bool:
        with self.database.transaction() as tx:
            _lock(tx, workspace)  # a reinstall of this workspace waits, or is seen
            tx.lock(f"plan:{plan_key(workspace)}")  # as every plan change takes it
            still = tx.execute(
                "DELETE FROM slack_departures WHERE workspace = ? AND departed_at <= ? "
                "AND NOT EXISTS (SELECT 1 FROM slack_installations WHERE workspace = ?)",
                [workspace, cutoff, workspace],
            )
            if still.rowcount != 1:
                return False
            # The plan store's tables (``bot.plans.store``): the workspace's plan and history.
            tx.execute("DELETE FROM history WHERE workspace = ?", [plan_key(workspace)])
            tx.execute("DELETE FROM plans WHERE workspace = ?", [plan_key(workspace)])
            return True

    @staticmethod
    def _write(tx: Tx, record: InstallRecord) -> None:
        enterprise, team = record.key
        tx.execute(
            f"INSERT INTO slack_installations ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (enterprise_id, team_id) DO UPDATE SET workspace = excluded.workspace, "
            "user_id = excluded.user_id, installed_at = excluded.installed_at, "
            "data = excluded.data",
            [enterprise, team, record.workspace, record.user_id, record.installed_at,
             json.dumps(_stored(record), sort_keys=True)],
        )  # fmt: skip

    @staticmethod
    def _depart(tx: Tx, workspace: str, now: float) -> None:
        """Record that ``workspace`` has no installation (kept as it was if already recorded)."""
        tx.execute(
            "INSERT INTO slack_departures (workspace, departed_at) VALUES (?, ?) "
            "ON CONFLICT (workspace) DO NOTHING",
            [workspace, now],
        )


def _stored(record: InstallRecord) -> dict[str, Any]:
    """What the ``data`` column holds: the record's own fields and the adapter's data."""
    return {
        "data": record.data,
        "is_enterprise_install": record.is_enterprise_install,
        "team_id": record.team_id,
    }


def _record(row: Any) -> InstallRecord:
    enterprise, _team, _workspace, user, installed_at, data = row
    stored = json.loads(data)
    return InstallRecord(
        enterprise_id=enterprise or None,
        team_id=stored["team_id"],
        user_id=user,
        is_enterprise_install=stored["is_enterprise_install"],
        installed_at=float(installed_at),
        data=stored["data"],
    )


class OAuthStates:
    """One-time OAuth ``state`` values with an expiry, shared by every replica."""

    def __init__(self, database: Backend) -> None:
        self.database = database

    def issue(self, state: str, ttl_seconds: float, now: float | None = None) -> None:
        """Remember ``state`` for ``ttl_seconds``; states past their expiry are dropped."""
        now = time.time() if now is None else now
        with self.database.transaction() as tx:
            # Issued only when someone opens the install page: a cheap moment to tidy up.
            tx.execute("DELETE FROM slack_oauth_states WHERE expires_at < ?", [now])
            tx.execute(
                "INSERT INTO slack_oauth_states (state, expires_at) VALUES (?, ?)",
                [state, now + ttl_seconds],
            )

    def consume(self, state: str, now: float | None = None) -> bool:
        """True once for a state issued and not expired; it is deleted whatever the answer."""
        now = time.time() if now is None else now
        with self.database.transaction() as tx:
            valid = tx.execute(
                "DELETE FROM slack_oauth_states WHERE state = ? AND expires_at >= ?", [state, now]
            ).rowcount
            tx.execute("DELETE FROM slack_oauth_states WHERE state = ?", [state])
        return valid == 1
