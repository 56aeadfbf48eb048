"""Registering the slash commands with Discord: once per change, by one process of a deployment.

Discord's commands are global to the application, not per shard, and each upload counts against
a daily limit. The definitions' hash is kept in the database (``meta``); a process that finds it
different *claims* the upload there (``Meta.claim``, one transaction under a lock) before calling
Discord, so of several processes starting together (shards split across them, replicas, an old
and a new release overlapping in a rolling deploy) exactly one uploads. Whichever claims first
does it, not shard 0's process: commands are not tied to a shard, and a deployment whose shard-0
process is down, slow to start or running an older release still registers the new commands.
A claim whose holder died lapses after ``CLAIM_SECONDS``; the processes that found it taken look
again then, so the upload is not left to the next restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, Protocol, TypeVar

from discord import app_commands

from bot.storage.errors import StorageError
from bot.storage.meta import Meta

log = logging.getLogger("shopcrew.discord")
COMMANDS_HASH_KEY = "discord.commands.sha256"
#: How long an upload may take before another process may claim it (a dead holder's claim).
CLAIM_SECONDS = 60.0
#: After the database could not be asked, look again this much later.
RETRY_SECONDS = 30.0
#: The soonest a process looks again at a claim another one holds.
SOONEST_SECONDS = 1.0

P = ParamSpec("P")
T = TypeVar("T")
Tree = app_commands.CommandTree[Any]


class Offload(Protocol):
    """Runs a blocking call off the event loop (``Bot.offload``)."""

    def __call__(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Awaitable[T]:
        """``fn(*args, **kwargs)`` on a worker thread."""


def holder_name() -> str:
    """This process, as a claim names it: host and pid for people, and a part no other has
    (every container's process may be pid 1)."""
    return f"{socket.gethostname()} pid {os.getpid()} ({uuid.uuid4().hex[:8]})"


async def command_payload(tree: Tree) -> list[dict[str, Any]]:
    """The command definitions as Discord receives them, localisations included."""
    translator = tree.translator
    assert translator is not None, "set_translator() runs first, in setup_hook"
    return [await c.get_translated_payload(tree, translator) for c in tree.get_commands()]


class CommandSync:
    """Uploads the commands when their hash differs from the stored one, if this process's
    claim on the upload is the one granted."""

    def __init__(self, meta: Meta, offload: Offload, tree: Callable[[], Tree]) -> None:
        self.meta = meta
        self.offload = offload
        #: The current client's tree (a restart makes a new client).
        self.tree = tree
        self.holder = holder_name()
        self._later: asyncio.Task[None] | None = None
        self._one_at_a_time = asyncio.Lock()

    async def sync_if_changed(self) -> bool:
        """Upload the commands if they changed and this process claimed the upload."""
        async with self._one_at_a_time:  # a login's sync and a later look: one, then the other
            return await self._sync(self.tree())

    async def _sync(self, tree: Tree) -> bool:
        payload = await command_payload(tree)
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        try:
            claim = await self.offload(
                self.meta.claim, COMMANDS_HASH_KEY, digest, self.holder, CLAIM_SECONDS
            )
        except StorageError as exc:
            log.warning("Discord commands: cannot check their registration (%s)", exc)
            self._look_again(RETRY_SECONDS)
            return False
        if claim.state == "done":
            log.info("Discord commands unchanged; not syncing")
            return False
        if claim.state == "taken":
            log.info("Discord commands are being synced by %s", claim.holder)
            wait = claim.until - self.meta.clock()
            self._look_again(min(max(wait, SOONEST_SECONDS), CLAIM_SECONDS))
            return False
        await self._upload(tree, digest)
        return True

    async def _upload(self, tree: Tree, digest: str) -> None:
        """Sync the tree under this process's claim: record the hash, or give the claim up."""
        try:
            await tree.sync()
        except BaseException:
            with contextlib.suppress(StorageError):
                await self.offload(self.meta.release, COMMANDS_HASH_KEY, self.holder)
            raise
        log.info("Discord commands synced", extra={"event": "discord_commands_synced"})
        try:
            await self.offload(self.meta.finish, COMMANDS_HASH_KEY, digest, self.holder)
        except StorageError as exc:  # the claim lapses; one more upload then, nothing worse
            log.warning("Discord commands: their hash could not be recorded (%s)", exc)

    def _look_again(self, delay: float) -> None:
        """Try again in ``delay`` seconds (the claim lapsed, or the database answers again)."""
        if self._later is None or self._later.done():
            self._later = asyncio.create_task(self._again(delay))

    async def _again(self, delay: float) -> None:
        await asyncio.sleep(delay)
        self._later = None
        tree = self.tree()
        client = tree.client
        if client.is_closed() or client.application_id is None or tree.translator is None:
            return  # a new client is starting: its own setup syncs, if still needed
        try:
            await self.sync_if_changed()
        except Exception as exc:  # the next start (or restart) tries again
            log.error("Discord commands could not be synced: %r", exc)

    def close(self) -> None:
        """Stop a pending look."""
        if self._later is not None:
            self._later.cancel()
