"""ShopCrew's database: plans, history, de-duplication and small facts, on one of two engines.

``backend`` is the contract every store is written against, and ``Target`` says where the
database is. ``database`` is SQLite (one file: WAL, migrations at start-up, write transactions,
a checkpoint thread; the default), ``postgres`` is PostgreSQL (a pool; for replicas). Each has
its migrations (``migrations``, ``pg_migrations``). ``events``, ``meta``, ``installations``
(Slack OAuth), ``bot.plans.store`` and ``bot.conversation_store`` own the tables.
``open_storage`` opens all of them over one database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.storage.backend import Backend, Target

if TYPE_CHECKING:
    from bot.conversation_store import SharedConversations
    from bot.plans.store import PlanStore
    from bot.storage.events import SeenEvents
    from bot.storage.installations import Installations, OAuthStates
    from bot.storage.meta import Meta
    from bot.storage.postgres import PostgresDatabase


@dataclass(frozen=True, slots=True)
class Storage:
    """Every store over one database."""

    database: Backend
    plans: PlanStore
    events: SeenEvents
    meta: Meta
    installations: Installations
    oauth_states: OAuthStates
    #: Conversation context (follow-ups, "why?"), for processes that share the database.
    conversations: SharedConversations

    def close(self) -> None:
        """Checkpoint and close the database."""
        self.database.close()


def open_storage(where: Target | Path | str, busy_ms: int | None = None) -> Storage:
    """Open (creating and migrating if needed) the database: a file, ``:memory:``,
    ``sqlite:///file`` or ``postgresql://…``.

    ``busy_ms``: how long a write waits for another process's lock (the service's short wait
    unless given). Raises ``bot.storage.errors.StorageError`` with a one-line reason when the
    database cannot be used.
    """
    from bot.conversation_store import SharedConversations
    from bot.plans.store import PlanStore
    from bot.storage.database import SERVICE_BUSY_MS, Database
    from bot.storage.errors import StorageError
    from bot.storage.events import SeenEvents
    from bot.storage.installations import Installations, OAuthStates
    from bot.storage.meta import Meta

    target = where if isinstance(where, Target) else Target.parse(where)
    wait = SERVICE_BUSY_MS if busy_ms is None else busy_ms
    db: Backend
    try:
        if target.dialect == "postgresql":
            db = _postgres().open(target.where, wait)
        else:
            db = Database.open(target.where, wait)
    except StorageError as exc:
        raise StorageError(exc.kind, f"{target.shown}: {exc.detail}") from None
    return Storage(
        db, PlanStore(db), SeenEvents(db), Meta(db), Installations(db), OAuthStates(db),
        SharedConversations(db),
    )  # fmt: skip


def _postgres() -> type[PostgresDatabase]:
    """The PostgreSQL engine, or a one-line reason when its extra is not installed."""
    from bot.storage.errors import StorageError

    try:
        from bot.storage.postgres import PostgresDatabase
    except ImportError:
        raise StorageError(
            "unreachable",
            "PostgreSQL support is not installed (pip install 'shopcrew[postgresql]')",
        ) from None
    return PostgresDatabase
