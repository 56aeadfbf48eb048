"""Where conversations are kept between messages: in the process, or in the shared database.

A conversation is one user of a workspace on a platform. Its record holds how many messages it
has had, the language it is in, its last sizing question (with when, and at which message, it
was asked) and the sizing answer "why?" would explain. ``bot.conversation.Memory`` reads the
record when a message arrives and writes it back once the message is answered.

- ``LocalConversations`` keeps records in the process, the least recently used forgotten
  beyond a capacity: the console, ``shopcrew ask`` and any bot built without a store.
- ``SharedConversations`` keeps them in the database (table ``conversations``, as JSON), so
  that replicas behind a load balancer share them: a follow-up ("and with live streaming?")
  that reaches another replica than its question is still answered with the question's context.
  Answered without it, it would be a confident answer to a different question. Two replicas
  answering two messages of the same person at the same instant write one after the other (the
  later answer's record wins), as if the messages had come in that order. A record that cannot
  be read or written is logged and the message answered without context, as a plan that cannot
  be read is (the question is still answered).
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pydantic import TypeAdapter, ValidationError

from bot.storage.errors import StorageError

if TYPE_CHECKING:
    from bot.requests import SizeTeam, SizingContext
    from bot.storage.backend import Backend, Tx
    from knowledge.vocab import Lang

log = logging.getLogger("shopcrew.conversations")

#: One conversation per user of a workspace on a platform: (platform, workspace, user).
Key = tuple[str, str, str]
#: How many conversations a process keeps in its own memory.
CAPACITY = 1024
#: The shared store forgets a conversation nobody wrote to for this long (its sizing question
#: expired long before: ``CONTEXT_SECONDS``; its language and "why?" go with it), ...
KEEP_SECONDS = 24 * 3600.0
#: ... and keeps at most this many, the least recently written forgotten first.
MAX_ROWS = 100_000
#: Purge every this many writes, not on every message.
PURGE_EVERY = 500


@dataclass(frozen=True, slots=True)
class Asked:
    """A sizing question, when it was asked (``time.time()``), and at which message."""

    context: SizingContext
    at: float
    turn: int


@dataclass(slots=True)
class Conversation:
    """What is remembered of one conversation (see the module docstring)."""

    turn: int = 0
    lang: Lang | None = None
    asked: Asked | None = None
    explainable: SizeTeam | None = None


class ConversationStore(Protocol):
    """Where ``Memory`` keeps conversations between messages."""

    #: True when other processes read and write the same conversations (then ``Memory`` reads
    #: a record once per message and writes it once, when the message was answered).
    shared: bool

    def load(self, key: Key) -> Conversation | None:
        """The conversation as last saved, or None (never raises)."""

    def save(self, key: Key, conversation: Conversation) -> None:
        """Keep ``conversation`` as the latest (never raises)."""


class LocalConversations:
    """Conversations in this process's memory, the least recently saved forgotten first."""

    shared = False

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._kept: OrderedDict[Key, Conversation] = OrderedDict()

    def load(self, key: Key) -> Conversation | None:
        """The record itself (``Memory`` changes it in place, then saves it)."""
        return self._kept.get(key)

    def save(self, key: Key, conversation: Conversation) -> None:
        """Keep it as the newest, forgetting the oldest beyond the capacity."""
        self._kept[key] = conversation
        self._kept.move_to_end(key)
        while len(self._kept) > self.capacity:
            self._kept.popitem(last=False)


@functools.cache
def _json() -> TypeAdapter[Conversation]:
    """The record's JSON form (built on first use: plain chat needs no schema at start-up)."""
    # The record's types are imported for type checkers only (opening the database must not
    # load the whole core); pydantic resolves their names in this frame.
    from bot.requests import SizeTeam, SizingContext  # noqa: F401
    from bot.sizing.inputs import SizingInput  # noqa: F401
    from knowledge.vocab import Lang  # noqa: F401

    return TypeAdapter(Conversation)


def dumps(conversation: Conversation) -> str:
    """The record as JSON. Unset sizing inputs stay unset: an answer tells given figures from
    assumed ones by them."""
    return _json().dump_json(conversation, exclude_unset=True).decode()


def loads(text: str) -> Conversation:
    """A record written by ``dumps`` (``ValidationError`` when it is not one)."""
    return _json().validate_json(text)


def key_text(key: Key) -> str:
    """The table's key: unambiguous whatever the ids contain."""
    return json.dumps(key, separators=(",", ":"))


class SharedConversations:
    """Conversations in the database every replica uses (see the module docstring)."""

    shared = True

    def __init__(self, database: Backend) -> None:
        self.database = database
        self._writes = 0

    def load(self, key: Key) -> Conversation | None:
        """The record the last replica wrote; None when there is none or it cannot be read."""
        try:
            rows = self.database.query(
                "SELECT state FROM conversations WHERE key = ?", [key_text(key)]
            )
            return loads(rows[0][0]) if rows else None
        except (StorageError, ValidationError) as exc:
            _warn("read", key, exc)
            return None

    def save(self, key: Key, conversation: Conversation) -> None:
        """Write the record (the latest write wins); now and then purge old ones."""
        now = time.time()
        self._writes += 1
        try:
            state = dumps(conversation)
            with self.database.transaction() as db:
                db.execute(
                    "INSERT INTO conversations (key, state, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET state = excluded.state, "
                    "updated_at = excluded.updated_at",
                    [key_text(key), state, now],
                )
                if self._writes % PURGE_EVERY == 1:
                    _purge(db, now)
        except (StorageError, ValueError) as exc:  # ValueError: a value JSON cannot hold
            _warn("write", key, exc)


def _purge(db: Tx, now: float) -> None:
    """Forget conversations idle for ``KEEP_SECONDS``, and the oldest beyond ``MAX_ROWS``."""
    db.execute("DELETE FROM conversations WHERE updated_at < ?", [now - KEEP_SECONDS])
    db.execute(
        "DELETE FROM conversations WHERE updated_at < (SELECT updated_at FROM conversations "
        "ORDER BY updated_at DESC LIMIT 1 OFFSET ?)",
        [MAX_ROWS - 1],
    )


def _warn(what: str, key: Key, exc: Exception) -> None:
    detail = exc.detail if isinstance(exc, StorageError) else f"not a record: {type(exc).__name__}"
    outcome = "answered without its context" if what == "read" else "the next is read without it"
    log.warning(
        "could not %s the conversation of a user on %s/%s (%s): %s",
        what,
        key[0],
        key[1],
        detail,
        outcome,
        extra={"event": "conversation_unavailable"},
    )
