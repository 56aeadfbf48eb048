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


def open_storage(path: Path | str) -> Storage:
    """Open (creating and migrating if needed) the database at ``path``, or ``:memory:``."""
    from bot.plans.store import PlanStore
    from bot.storage.database import Database
    from bot.storage.events import SeenEvents
    from bot.storage.meta import Meta

    db = Database.open(path)
    return Storage(db, PlanStore(db), SeenEvents(db), Meta(db))
