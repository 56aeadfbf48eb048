"""Deliveries already handled, and the ones being handled, so that a platform's retry is
recognised: by this process or another replica, also after a restart.

A delivery (a Slack event id, or the key of a signed command) goes through two rows:

- a **claim** (table ``claims``) when a replica starts handling it: who holds it and until when.
  Claiming is one ``INSERT … ON CONFLICT DO NOTHING``, so of several replicas receiving the same
  delivery at once exactly one gets it. The holder renews its claim while it works; a claim
  that expired belongs to a replica that died (or stalled), and the next retry takes it over.
- a **record** (table ``seen_events``) once it was handled (or, for a plan change, inside the
  change's own transaction): from then on every copy is dropped, for an hour.

Claims are never deleted when their delivery is recorded (they age out with the records): a
deleted claim would let a copy that checked for the record a moment earlier claim it again.
"""

from __future__ import annotations

import time
from typing import Literal

from bot.storage.backend import Backend

#: Slack retries within minutes; an hour is ample.
SEEN_TTL_SECONDS = 3600.0
#: Expire old ids every this many calls, not on every event.
EXPIRE_EVERY = 500

#: What a claim found: ``claimed`` (new, handle it), ``taken_over`` (its holder's claim had
#: expired: handle it), ``held`` (another replica is handling it now), ``done`` (handled).
Claim = Literal["claimed", "taken_over", "held", "done"]


class SeenEvents:
    """Claims on deliveries being handled, and records of deliveries handled (kept an hour)."""

    def __init__(self, database: Backend) -> None:
        self.database = database
        self._calls = 0

    def seen(self, key: str) -> bool:
        """True if ``key`` was recorded (by ``first_time``, or with a plan change); read only."""
        return bool(self.database.query("SELECT 1 FROM seen_events WHERE key = ?", [key]))

    def first_time(self, key: str, now: float | None = None) -> bool:
        """Record ``key``; False if it was already seen within the last hour (a retry).
        Now and then, records and claims older than an hour are deleted."""
        now = time.time() if now is None else now
        self._calls += 1
        with self.database.transaction() as db:
            if self._calls % EXPIRE_EVERY == 1:
                db.execute("DELETE FROM seen_events WHERE seen_at < ?", [now - SEEN_TTL_SECONDS])
                db.execute("DELETE FROM claims WHERE expires_at < ?", [now - SEEN_TTL_SECONDS])
            cursor = db.execute(
                "INSERT INTO seen_events (key, seen_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                [key, now],
            )
            return cursor.rowcount == 1

    def claim(self, key: str, owner: str, seconds: float, now: float | None = None) -> Claim:
        """Claim ``key`` for ``owner`` for ``seconds``, unless it was handled or is held."""
        now = time.time() if now is None else now
        until = now + seconds
        with self.database.transaction() as db:
            # One statement in the common case: claimed unless recorded or claimed already.
            inserted = db.execute(
                "INSERT INTO claims (key, owner, expires_at) SELECT ?, ?, ? "
                "WHERE NOT EXISTS (SELECT 1 FROM seen_events WHERE key = ?) "
                "ON CONFLICT (key) DO NOTHING",
                [key, owner, until, key],
            )
            if inserted.rowcount == 1:
                return "claimed"
            if db.execute("SELECT 1 FROM seen_events WHERE key = ?", [key]).fetchone():
                return "done"
            # Of two replicas taking over the same expired claim, the row's lock lets one win.
            taken = db.execute(
                "UPDATE claims SET owner = ?, expires_at = ? WHERE key = ? AND expires_at < ?",
                [owner, until, key, now],
            )
            return "taken_over" if taken.rowcount == 1 else "held"

    def renew(self, key: str, owner: str, seconds: float, now: float | None = None) -> bool:
        """Extend ``owner``'s claim on ``key``; False when it is no longer theirs."""
        now = time.time() if now is None else now
        with self.database.transaction() as db:
            cursor = db.execute(
                "UPDATE claims SET expires_at = ? WHERE key = ? AND owner = ?",
                [now + seconds, key, owner],
            )
            return cursor.rowcount == 1

    def release(self, owner: str) -> int:
        """Drop every claim ``owner`` holds (its previous run died holding them); how many."""
        with self.database.transaction() as db:
            return db.execute("DELETE FROM claims WHERE owner = ?", [owner]).rowcount
