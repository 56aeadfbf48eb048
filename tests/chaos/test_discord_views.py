"""Suggestion buttons do not pile up in discord.py's view store, and clicks still work."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import discord
import pytest

from tests.adapters import test_discord_e2e as e2e
from tests.adapters.fake_discord import FakeDiscord
from tests.chaos.discord_rig import KNOWN_GUILD, payload

ANSWERS = 150


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[e2e.Rig]:
    fake = FakeDiscord(guilds={KNOWN_GUILD: "Shop A"})
    await fake.start()
    adapter, storage = await e2e.start(fake, tmp_path / "v.db")
    yield e2e.Rig(fake, adapter, storage)
    await e2e.stop(adapter, storage)
    await fake.stop()


def _stored(client: discord.Client) -> int:
    """Everything discord.py's view store holds: items by message, and views by message."""
    store = client._connection._view_store
    return sum(len(items) for items in store._views.values()) + len(store._synced_message_views)


def _live_views() -> int:
    gc.collect()
    return sum(isinstance(o, discord.ui.View) for o in gc.get_objects())


async def test_answers_with_buttons_leave_the_view_store_flat(rig: e2e.Rig) -> None:
    client = rig.adapter.client
    before_store, before_views = _stored(client), _live_views()
    last: dict[str, object] = {}
    for i in range(ANSWERS):
        if i % 3 == 0:  # a mention, answered with message.reply
            posts = len(rig.fake.rest("POST", "/messages"))
            await rig.fake.dispatch("MESSAGE_CREATE", payload("message_mention"))
            await rig.fake.wait_for(lambda n=posts: len(rig.fake.rest("POST", "/messages")) > n)
            body = rig.fake.rest("POST", "/messages")[-1].body
        else:  # a slash command: private (ephemeral) or shared
            share = i % 3 == 2
            options = [e2e.opt("stores", 2, 4), e2e.opt("share", share, 5)]
            body = (await rig.slash("size", options=options))["data"]
        assert body["components"], "every answer here carries suggestion buttons"
        last = body
    assert await rig.adapter.inflight.idle(10)  # the last reply has been posted, not just sent
    assert _stored(client) == before_store == 0
    assert _live_views() == before_views
    # A button of the last answer still works: routed by its custom id.
    buttons = last["components"][0]["components"]  # type: ignore[index]
    details = next(b for b in buttons if b["custom_id"].startswith("shopcrew:why:"))
    data = {"custom_id": details["custom_id"], "component_type": 2}
    message = e2e._message("", KNOWN_GUILD, [], e2e.BOT_USER) | {"flags": 0}
    clicked = await rig.interact(data, kind=3, guild=KNOWN_GUILD, message=message)
    assert "per seat, rounded up" in e2e.text_of(clicked)


async def test_plan_panel_clicks_leave_the_view_store_flat(rig: e2e.Rig) -> None:
    # Every click on a panel is dispatched to a DynamicItem built for it, and the panel is sent
    # again with a fresh view: none of them may stay in discord.py's store or in memory.
    client = rig.adapter.client
    body = await rig.slash("plan", "panel")
    mid = next(m for m, msg in rig.fake.messages.items() if msg["embeds"] == body["data"]["embeds"])
    await rig.click(mid, "shopcrew-panel:role", values=["copywriter"])
    assert await rig.adapter.inflight.idle(10)
    before_store, before_views = _stored(client), _live_views()
    for i in range(ANSWERS // 3):
        action = ("add", "remove", "add")[i % 3]
        clicked = await rig.click(mid, f"shopcrew-panel:{action}:copywriter")
        assert clicked["type"] == 7
    assert await rig.adapter.inflight.idle(10)
    assert rig.store.read(f"discord:{KNOWN_GUILD}").roles == {"copywriter": ANSWERS // 9}
    assert _stored(client) == before_store == 0
    await _settled(lambda: _live_views() == before_views)


async def _settled(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll until ``condition()`` holds: discord.py drops a finished click's task just after it
    answers, so the last view may still be referenced for a moment."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "views are still alive"
        await asyncio.sleep(0.01)
