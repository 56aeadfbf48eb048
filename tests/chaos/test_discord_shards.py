"""Discord across processes: two ``shopcrew discord`` processes split four shards over one
database (an SQLite file, or PostgreSQL), against the fake gateway, which shards as Discord does.

Each server's events reach only the process running its shard; each process answers them from
the shared store, one plan per server; the commands are registered by exactly one process.
"""

from __future__ import annotations

import asyncio
import re
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.storage import open_storage
from tests.adapters.fake_common import wait_for_http
from tests.adapters.fake_discord import FakeDiscord, Rest, shard_of
from tests.adapters.test_discord_e2e import opt, text_of
from tests.chaos.discord_rig import Process, owner, payload, run_discord

SHARDS = 4
#: Which shards each process runs.
SPLIT = {"A": "0,1", "B": "2,3"}
#: One server per shard (``(id >> 22) % 4`` is the shard), and the role its plan gets.
GUILDS = {str(((170_000_000_000 + s) << 22) + 7): s for s in range(SHARDS)}
GUILD_OF_SHARD_0 = next(iter(GUILDS))
ROLES = ["copywriter", "art", "customer_service", "anchor"]
ROLE_NAMES = ["Copywriter", "Art", "Customer service", "Anchor"]
#: Where the hash of the commands last registered is kept (in every release's databases).
COMMANDS_HASH_KEY = "discord.commands.sha256"


def _process_of(guild: str) -> str:
    shard = shard_of(guild, SHARDS)
    return next(name for name, ids in SPLIT.items() if str(shard) in ids.split(","))


@dataclass
class Deployment:
    """The fake Discord, the two processes, and which process made each REST call."""

    fake: FakeDiscord
    database: str
    tmp: Path
    procs: dict[str, Process] = field(default_factory=dict)
    callers: list[tuple[Rest, int | None]] = field(default_factory=list)
    starts: int = 0

    def pid(self, name: str) -> int:
        return self.procs[name].proc.pid

    def caller(self, call: Rest) -> str | None:
        pid = next(p for c, p in self.callers if c is call)
        return next((n for n in self.procs if self.pid(n) == pid), None)

    def puts(self) -> int:
        return len(self.fake.rest("PUT", "/commands"))

    async def start(self) -> None:
        """Both processes at once. Each command upload is held until the other process has
        either uploaded too or connected without uploading, so the two really overlap."""
        self.starts += 1
        fake, puts, identified = self.fake, self.puts(), len(self.fake.identifies)
        fake.commands_gate = gate = asyncio.Event()
        for name, ids in SPLIT.items():
            self.procs[name] = await run_discord(
                fake, self.tmp, command="discord", name=f"{name}{self.starts}",
                database=self.database, SHOPCREW_DISCORD_SHARD_COUNT=str(SHARDS),
                SHOPCREW_DISCORD_SHARD_IDS=ids,
            )  # fmt: skip
        await fake.wait_for(
            lambda: self.puts() - puts >= 2 or len(fake.identifies) > identified, timeout=60
        )
        gate.set()
        for p in self.procs.values():
            await wait_for_http(f"{p.base}/readyz", 60, p.proc, statuses=(200,))

    async def stop(self) -> None:
        for p in self.procs.values():
            if p.proc.returncode is None:
                p.proc.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(p.proc.wait(), 30) == 0, p.logs()

    async def kill(self) -> None:
        for p in self.procs.values():
            await p.stop()


@pytest.fixture
async def deployment(database_url: str, tmp_path: Path) -> AsyncIterator[Deployment]:
    fake = FakeDiscord(guilds={g: f"Shop {s}" for g, s in GUILDS.items()}, shard_count=SHARDS)
    await fake.start()
    d = Deployment(fake, database_url, tmp_path)
    fake.observe = lambda call: d.callers.append((call, owner(call.peer, map(d.pid, d.procs))))
    try:
        yield d
    finally:
        await d.kill()
        await fake.stop()


def _slash(guild: str, *options: dict[str, Any]) -> dict[str, Any]:
    """``/shopcrew plan add`` with ``options``, in ``guild``, by someone allowed to change it."""
    channel = f"{guild}1"
    leaf = {"name": "add", "type": 1, "options": list(options)}
    data = {"id": "930000000000000100", "name": "shopcrew", "type": 1,
            "options": [{"name": "plan", "type": 2, "options": [leaf]}]}  # fmt: skip
    base = payload("interaction_command")
    return payload(
        "interaction_command", data=data, guild_id=guild, channel_id=channel,
        guild=dict(base["guild"], id=guild), authorizing_integration_owners={"0": guild},
        channel=dict(base["channel"], id=channel, guild_id=guild),
    )  # fmt: skip


def _mention(guild: str, text: str) -> dict[str, Any]:
    return payload("message_mention", guild_id=guild, channel_id=f"{guild}1",
                   content=f"<@900000000000000002> {text}")  # fmt: skip


async def _answer(fake: FakeDiscord, event: str, data: dict[str, Any], path: str) -> Rest:
    """Dispatch ``event``; the REST call that answers it (its path contains ``path``)."""
    before = len(fake.rest("POST", path))
    await fake.dispatch(event, data)
    await fake.wait_for(lambda: len(fake.rest("POST", path)) > before)
    return fake.rest("POST", path)[-1]


async def test_each_server_is_answered_by_its_shards_process_from_one_store_registered_once(
    deployment: Deployment,
) -> None:
    d, fake = deployment, deployment.fake
    await d.start()
    assert d.puts() == 1, "both processes registered the commands"
    # Each process identified exactly its own shards.
    shards = sorted(tuple(i["shard"]) for i in fake.identifies)
    assert shards == [(s, SHARDS) for s in range(SHARDS)]
    for guild, s in GUILDS.items():
        added = await _answer(fake, "INTERACTION_CREATE",
                              _slash(guild, opt("role", ROLES[s]), opt("count", s + 1, 4)),
                              "/interactions/")  # fmt: skip
        assert f"to {ROLE_NAMES[s]} (0 → {s + 1})" in text_of(added.body)
        shown = await _answer(fake, "MESSAGE_CREATE", _mention(guild, "plan show"),
                              f"/channels/{guild}1/messages")  # fmt: skip
        text = text_of(shown.body)  # one plan per server: its role, none of the others'
        assert [n for n in ROLE_NAMES if n in text] == [ROLE_NAMES[s]]
        assert re.search(rf"^Total +{s + 1}$", text, re.MULTILINE), text
        expected = _process_of(guild)
        assert (d.caller(added), d.caller(shown)) == (expected, expected), guild
    dm = payload("message_pin_dm", type=0, content="plan show")
    del dm["message_reference"]  # a message someone wrote in the bot's DM
    answered = await _answer(fake, "MESSAGE_CREATE", dm, f"/channels/{dm['channel_id']}/")
    assert d.caller(answered) == "A"  # DMs come on shard 0
    # Each event went on a connection of the process that runs its server's shard.
    for sent in fake.dispatched:
        pid = owner(sent.connection.peer, map(d.pid, d.procs))
        assert pid == d.pid(_process_of(sent.data.get("guild_id", GUILD_OF_SHARD_0)))
    storage = open_storage(d.database)
    try:
        for guild, s in GUILDS.items():
            assert storage.plans.read(f"discord:{guild}").roles == {ROLES[s]: s + 1}
        registered = storage.meta.get(COMMANDS_HASH_KEY)
        # A release whose command set differs: what the processes find is not their hash.
        storage.meta.set(COMMANDS_HASH_KEY, "0" * 64)
    finally:
        storage.close()
    await d.stop()
    await d.start()
    assert d.puts() == 2, "a changed command set was registered by both processes, or by none"
    storage = open_storage(d.database)
    try:
        assert storage.meta.get(COMMANDS_HASH_KEY) == registered
        assert storage.meta.get(f"{COMMANDS_HASH_KEY}.claim") is None  # the claim ended
    finally:
        storage.close()
    await d.stop()
