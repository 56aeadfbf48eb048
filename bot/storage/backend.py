"""The storage contract: what every store needs from a database, and where the database is.

Two engines implement it: SQLite (``bot.storage.database``, the embedded default, one file) and
PostgreSQL (``bot.storage.postgres``, shared by replicas). The stores (plans and history, seen
events, facts, installations, conversations) are written once against ``Backend`` in SQL both
engines run: ``?`` placeholders, ``INSERT … ON CONFLICT``, no engine-specific functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

Dialect = Literal["sqlite", "postgresql"]
_PG_SCHEMES = ("postgresql://", "postgres://")
_SQLITE_SCHEME = "sqlite:///"


class Rows(Protocol):
    """What a statement returns: rows to fetch, and how many rows it changed."""

    @property
    def rowcount(self) -> int:
        """Rows inserted, updated or deleted."""

    def fetchone(self) -> Any:
        """The next row, or None."""

    def fetchall(self) -> list[Any]:
        """The remaining rows."""


class Tx(Protocol):
    """One write transaction: statements, and locks held until it ends."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        """Run one statement (``?`` placeholders)."""

    def lock(self, key: str) -> None:
        """Hold ``key`` until the transaction ends: another transaction locking it waits.

        Read-modify-write on a row that may not exist yet (a workspace's first plan change)
        cannot rely on row locks; every writer of the same key takes this lock first.
        """


class Backend(Protocol):
    """A database every store of a process shares."""

    @property
    def dialect(self) -> Dialect:
        """Which engine: the few engine-specific paths (backups, sizes) ask."""

    @property
    def shown(self) -> str:
        """Where the database is, for messages and logs (never a password)."""

    def transaction(self) -> AbstractContextManager[Tx]:
        """One write transaction; ``StorageError`` when it cannot be done."""

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one read; ``StorageError`` when the database cannot be read."""

    def problem(self) -> str | None:
        """Why the database cannot take a write now, or None (the readiness check)."""

    def start_checkpointer(self) -> None:
        """Start the engine's background upkeep, if it has any."""

    def hold_for_service(self) -> None:
        """Mark the database as used by a running service, until ``close``."""

    def close(self) -> None:
        """Release connections; bounded, never waits on another process's lock."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where the database is: an SQLite file (or ``:memory:``), or a PostgreSQL URL."""

    dialect: Dialect
    #: The file (SQLite) or the connection URL (PostgreSQL).
    where: str

    @classmethod
    def parse(cls, text: str | Path) -> Target:
        """``postgresql://…``, ``sqlite:///path``, or a plain file path."""
        value = str(text).strip()
        if value.startswith(_PG_SCHEMES):
            return cls("postgresql", value)
        if value.startswith(_SQLITE_SCHEME):
            value = value[len(_SQLITE_SCHEME) :] or ":memory:"
            # sqlite:////abs/path and sqlite:///rel/path, as SQLAlchemy writes them.
        return cls("sqlite", value)

    @property
    def path(self) -> Path:
        """The SQLite file (only for SQLite targets)."""
        if self.dialect != "sqlite":
            raise ValueError("a PostgreSQL database has no file")
        return Path(self.where)

    @property
    def shown(self) -> str:
        """The target without credentials, for messages."""
        from bot.settings import without_credentials

        return without_credentials(self.where)

    def exists(self) -> bool:
        """Whether there is a database there yet (a server is assumed to have one)."""
        return self.dialect == "postgresql" or self.where == ":memory:" or self.path.exists()

    def __str__(self) -> str:
        return self.shown
