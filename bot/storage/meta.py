"""Small facts about the deployment, by key (e.g. the hash of the Discord commands last synced)."""

from __future__ import annotations

from bot.storage.backend import Backend


class Meta:
    """A key-value table."""

    def __init__(self, database: Backend) -> None:
        self.database = database

    def get(self, key: str) -> str | None:
        """A stored fact, or None."""
        rows = self.database.query("SELECT value FROM meta WHERE key = ?", [key])
        return str(rows[0][0]) if rows else None

    def set(self, key: str, value: str) -> None:
        """Store a fact."""
        with self.database.transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
