"""What can go wrong with the database, in words the answers and the logs can use.

SQLite reports every failure as ``sqlite3.Error`` with a message; ``StorageError.of`` sorts them
into the few kinds a user or an operator acts on differently: try again in a moment (busy), the
disk or file cannot take writes (unwritable), the file under the service is gone (gone), or the
file is not a database ShopCrew can run on (damaged); a database server cannot be reached
(unreachable). PostgreSQL's errors are sorted in ``bot.storage.postgres``.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

Kind = Literal["busy", "unwritable", "gone", "damaged", "unreachable"]

#: Words in SQLite's messages, per kind (the first match wins; the rest is "unwritable").
_MARKERS: tuple[tuple[Kind, tuple[str, ...]], ...] = (
    ("busy", ("locked", "busy")),
    ("damaged", ("malformed", "not a database", "corrupt")),
)


class StorageError(Exception):
    """The database could not do what was asked; ``kind`` says what a user can do about it."""

    def __init__(self, kind: Kind, detail: str) -> None:
        super().__init__(detail)
        self.kind: Kind = kind
        self.detail = detail

    @classmethod
    def of(cls, exc: sqlite3.Error) -> StorageError:
        """The kind of failure an SQLite error stands for."""
        text = str(exc).lower()
        for kind, words in _MARKERS:
            if any(w in text for w in words):
                return cls(kind, str(exc))
        return cls("unwritable", str(exc))
