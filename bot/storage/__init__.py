"""ShopCrew's SQLite database: one file for plans, history, de-duplication and small facts.

``database`` opens it (WAL, migrations at start-up, write transactions, a checkpoint thread);
``migrations`` holds the schema's history; ``events``, ``meta`` and ``bot.plans.store`` are the
tables' owners. ``open_storage`` opens all of them over one connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.plans.store import PlanStore
    from bot.storage.database import Database
    from bot.storage.events import SeenEvents
    from bot.storage.meta import Meta


@dataclass(frozen=True, slots=True)
class Storage:
    """Every store over one database."""

    database: Database
    plans: PlanStore
    events: SeenEvents
    meta: Meta

    def close(self) -> None:
        """Checkpoint and close the database."""
        self.database.close()


def open_storage(path: Path | str, busy_ms: int | None = None) -> Storage:
    """Open (creating and migrating if needed) the database at ``path``, or ``:memory:``.

    ``busy_ms``: how long a write waits for another process's lock (the service's short wait
    unless given). Raises ``bot.storage.errors.StorageError`` with a one-line reason when the
    file cannot be used.
    """
    from bot.plans.store import PlanStore
    from bot.storage.database import SERVICE_BUSY_MS, Database
    from bot.storage.errors import StorageError
    from bot.storage.events import SeenEvents
    from bot.storage.meta import Meta

    try:
        db = Database.open(path, SERVICE_BUSY_MS if busy_ms is None else busy_ms)
    except StorageError as exc:
        raise StorageError(exc.kind, f"{path}: {exc.detail}") from None
    return Storage(db, PlanStore(db), SeenEvents(db), Meta(db))
