"""Event ids already handled, so a platform's retry is recognised (also after a restart)."""

from __future__ import annotations

import time

from bot.storage.backend import Backend

#: Slack retries within minutes; an hour is ample.
SEEN_TTL_SECONDS = 3600.0
#: Expire old ids every this many calls, not on every event.
EXPIRE_EVERY = 500


class SeenEvents:
    """Remembers event ids for an hour."""

    def __init__(self, database: Backend) -> None:
        self.database = database
        self._calls = 0

    def seen(self, key: str) -> bool:
        """True if ``key`` was recorded (by ``first_time``, or with a plan change); read only."""
        return bool(self.database.query("SELECT 1 FROM seen_events WHERE key = ?", [key]))

    def first_time(self, key: str, now: float | None = None) -> bool:
        """Record ``key``; False if it was already seen within the last hour (a retry)."""
        now = time.time() if now is None else now
        self._calls += 1
        with self.database.transaction() as db:
            if self._calls % EXPIRE_EVERY == 1:
                db.execute("DELETE FROM seen_events WHERE seen_at < ?", [now - SEEN_TTL_SECONDS])
            cursor = db.execute(
                "INSERT INTO seen_events (key, seen_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                [key, now],
            )
            return cursor.rowcount == 1
