"""Small facts about the deployment, by key (e.g. the hash of the Discord commands last synced),
and claims on work that one process of the deployment does for all of them."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.storage.backend import Backend, Tx

ClaimState = Literal["done", "mine", "taken"]


@dataclass(frozen=True, slots=True)
class Claim:
    """The answer to a claim: the work is done already, is this process's to do, or another's."""

    state: ClaimState
    #: Who holds the claim (``mine`` or ``taken``).
    holder: str | None = None
    #: When the claim lapses (the claimer's clock, seconds since the epoch).
    until: float = 0.0


class Meta:
    """A key-value table."""

    def __init__(self, database: Backend, clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self.clock = clock

    def get(self, key: str) -> str | None:
        """A stored fact, or None."""
        rows = self.database.query("SELECT value FROM meta WHERE key = ?", [key])
        return str(rows[0][0]) if rows else None

    def set(self, key: str, value: str) -> None:
        """Store a fact."""
        with self.database.transaction() as tx:
            _put(tx, key, value)

    def claim(self, key: str, value: str, holder: str, seconds: float) -> Claim:
        """Claim the work that makes ``key`` hold ``value`` (e.g. uploading commands of a hash).

        ``done`` when ``key`` holds ``value`` already; ``taken`` while another holder's claim is
        live; otherwise the claim is ``holder``'s for ``seconds``: it then does the work and
        calls ``finish`` (or ``release`` if it failed). A holder that dies leaves a claim that
        lapses, so a later claim succeeds. One transaction under ``tx.lock(key)``: of processes
        claiming together, exactly one gets it.
        """
        with self.database.transaction() as tx:
            tx.lock(key)
            if _read(tx, key) == value:
                return Claim("done")
            held = _held(tx, key)
            now = self.clock()
            if held is not None and held.holder != holder and held.until > now:
                return held
            mine = Claim("mine", holder, now + seconds)
            record = {"value": value, "holder": holder, "until": mine.until}
            _put(tx, _claim_key(key), json.dumps(record))
            return mine

    def finish(self, key: str, value: str, holder: str) -> None:
        """The claimed work is done: ``key`` holds ``value``, and ``holder``'s claim ends."""
        with self.database.transaction() as tx:
            tx.lock(key)
            _put(tx, key, value)
            _drop_claim(tx, key, holder)

    def release(self, key: str, holder: str) -> None:
        """The claimed work failed: ``holder``'s claim ends, so the next claim succeeds."""
        with self.database.transaction() as tx:
            tx.lock(key)
            _drop_claim(tx, key, holder)


def _claim_key(key: str) -> str:
    return f"{key}.claim"


def _put(tx: Tx, key: str, value: str) -> None:
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def _read(tx: Tx, key: str) -> str | None:
    row = tx.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def _held(tx: Tx, key: str) -> Claim | None:
    """The recorded claim on ``key``; one that cannot be read counts as none."""
    try:
        record = json.loads(_read(tx, _claim_key(key)) or "null")
        return Claim("taken", str(record["holder"]), float(record["until"]))
    except (TypeError, KeyError, ValueError):
        return None


def _drop_claim(tx: Tx, key: str, holder: str) -> None:
    held = _held(tx, key)
    if held is not None and held.holder == holder:
        tx.execute("DELETE FROM meta WHERE key = ?", [_claim_key(key)])
