"""The scripted conversations (``conversations.yaml``), each played through the core, two cores
sharing a database (replicas), the console, Slack and Discord, with the same expectations on
each: the reply's language, what was understood, the context used (the plan, the earlier
question, or none once it went stale), "why?", small talk, and the plan commands run and their
effect on the stored plan."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

import aiohttp
import pytest
import pytest_asyncio

from adapters.discord.app import DiscordAdapter
from adapters.slack.app import SlackAdapter
from bot.core import Bot
from bot.plans.service import PlanService
from bot.settings import Settings
from bot.storage import open_storage
from tests.adapters import test_discord_e2e as discord_e2e
from tests.adapters import test_slack_e2e as slack_e2e
from tests.adapters.fake_common import free_port
from tests.adapters.fake_discord import FakeDiscord
from tests.adapters.fake_slack import FakeSlack
from tests.conversations.runner import Clock, Recorder, observed, run
from tests.conversations.script import Conversation, conversations
from tests.conversations.surfaces import (
    ConsoleSurface,
    CoreSurface,
    DiscordSurface,
    ReplicasSurface,
    SlackSurface,
)

Test = TypeVar("Test", bound=Callable[..., Awaitable[None]])
CONVERSATIONS = conversations()
#: One Discord server per conversation, so each starts with an empty plan.
GUILDS = [str(700000000000001000 + n) for n in range(len(CONVERSATIONS))]


def _ids(conversation: Conversation) -> str:
    return conversation.id


def each(test: Test) -> Test:
    """One test per conversation, on the module's event loop (the fakes start once)."""
    parametrized = pytest.mark.parametrize("conversation", CONVERSATIONS, ids=_ids)(test)
    return pytest.mark.asyncio(loop_scope="module")(parametrized)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def slack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[SlackSurface]:
    """The Slack adapter in HTTP mode against a fake Slack, started once for every conversation."""
    fake = FakeSlack()
    await fake.start()
    db = tmp_path_factory.mktemp("slack") / "conversations.db"
    storage = open_storage(db)
    settings = slack_e2e._settings(fake, db, "http").model_copy(
        update={"slack_host": "127.0.0.1", "slack_port": free_port()}
    )
    recorder, clock = Recorder(), Clock()
    bot = observed(Bot(plans=PlanService(storage.plans)), recorder, clock)
    adapter = SlackAdapter(bot, storage.events, settings)
    await adapter.start()
    url = f"http://127.0.0.1:{settings.slack_port}/slack/events"
    async with aiohttp.ClientSession() as session:
        rig = slack_e2e.Rig(fake, adapter, storage, url, session, db)
        yield SlackSurface(rig, recorder, clock)
    await adapter.stop()
    storage.close()
    await fake.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def discord(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[DiscordSurface]:
    """The Discord adapter against a fake Discord (one server per conversation), started once."""
    fake = FakeDiscord(guilds={g: f"Shop {n}" for n, g in enumerate(GUILDS)})
    await fake.start()
    storage = open_storage(tmp_path_factory.mktemp("discord") / "conversations.db")
    settings = Settings.model_validate(
        {
            "DISCORD_TOKEN": discord_e2e.TOKEN,
            "SHOPCREW_DISCORD_API_URL": fake.api_url,
            "SHOPCREW_DISCORD_GATEWAY_URL": fake.gateway_url,
        }
    )
    recorder, clock = Recorder(), Clock()
    bot = observed(Bot(plans=PlanService(storage.plans)), recorder, clock)
    # Ready once no server has arrived for a second: every server is known before the first
    # message to it (discord.py would read a message from an unknown server as a DM).
    adapter = DiscordAdapter(bot, storage.meta, settings, guild_ready_timeout=1.0)
    await adapter.start()
    await asyncio.wait_for(adapter.client.wait_until_ready(), 30)
    assert len(adapter.client.guilds) == len(GUILDS)
    yield DiscordSurface(discord_e2e.Rig(fake, adapter, storage), recorder, clock, GUILDS)
    await discord_e2e.stop(adapter, storage)
    await fake.stop()


def test_the_script_is_varied_enough() -> None:
    """At least 20 conversations of 4 to 10 turns, in both languages and switching between."""
    assert len(CONVERSATIONS) >= 20
    langs = [{turn.lang for turn in c.turns} for c in CONVERSATIONS]
    assert sum(ls == {"en"} for ls in langs) >= 5 and sum(ls == {"es"} for ls in langs) >= 5
    assert sum(ls == {"en", "es"} for ls in langs) >= 4
    assert {c.locale for c in CONVERSATIONS} == {"en-US", "es-419", "es-ES"}
    turns = [turn for c in CONVERSATIONS for turn in c.turns]
    for context in ("asked", "previous", "plan", "assumed", "fresh"):
        assert any(turn.context == context for turn in turns), context
    assert any(turn.after_minutes > 30 for turn in turns)
    assert {turn.small_talk for turn in turns} >= {"thanks", "bye", "sorry", "ok"}
    assert {turn.verb for turn in turns} >= {"add", "undo", "show", "check", "export", "stores"}
    assert {turn.why for turn in turns} == {"explains", "nothing", None}


@each
async def test_core(conversation: Conversation) -> None:
    await run(CoreSurface(), conversation)


@each
async def test_replicas(conversation: Conversation, database_url: str) -> None:
    """Two cores on one database (SQLite, then PostgreSQL), answering turns alternately."""
    await run(ReplicasSurface(database_url), conversation)


@each
async def test_console(conversation: Conversation) -> None:
    await run(ConsoleSurface(), conversation)


@each
async def test_slack(conversation: Conversation, slack: SlackSurface) -> None:
    await run(slack, conversation)


@each
async def test_discord(conversation: Conversation, discord: DiscordSurface) -> None:
    await run(discord, conversation)
