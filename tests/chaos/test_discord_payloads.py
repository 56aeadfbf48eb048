"""Documented Discord payloads the adapter got wrong: each sent through the fake gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.strings import t
from tests.adapters import test_discord_e2e as e2e
from tests.adapters.fake_discord import FakeDiscord
from tests.chaos.discord_rig import KNOWN_GUILD, UNKNOWN_GUILD, payload

USER = "800000000000000001"


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[e2e.Rig]:
    fake = FakeDiscord(guilds={KNOWN_GUILD: "Shop A"})
    await fake.start()
    adapter, storage = await e2e.start(fake, tmp_path / "p.db")
    yield e2e.Rig(fake, adapter, storage)
    await e2e.stop(adapter, storage)
    await fake.stop()


async def answered(rig: e2e.Rig, *messages: dict[str, Any]) -> dict[str, str]:
    """Send ``messages``, then a DM that is surely answered; the replies, by message id.

    Once that DM's reply is posted and nothing is in flight, every other message has been
    answered or ignored (each is taken in order, and is in flight from its first step).
    """
    marker = payload("message_forward_dm", content="hola", message_snapshots=[], flags=0)
    del marker["message_reference"]
    for message in (*messages, marker):
        await rig.fake.dispatch("MESSAGE_CREATE", message)

    def replies() -> dict[str, str]:
        posts = rig.fake.rest("POST", "/messages")
        return {str(p.body["message_reference"]["message_id"]): e2e.text_of(p.body) for p in posts}

    await rig.fake.wait_for(lambda: marker["id"] in replies())
    assert await rig.adapter.inflight.idle(10)
    out = replies()
    del out[marker["id"]]
    return out


async def test_autocomplete_for_an_unknown_command_gets_choices_not_a_message(
    rig: e2e.Rig,
) -> None:
    data = payload("autocomplete_unknown_command")
    before = len(rig.fake.rest("POST", f"/interactions/{data['id']}/"))
    await rig.fake.dispatch("INTERACTION_CREATE", data)
    await rig.fake.wait_for(
        lambda: len(rig.fake.rest("POST", f"/interactions/{data['id']}/")) > before
    )
    body = rig.fake.rest("POST", f"/interactions/{data['id']}/")[-1].body
    assert body == {"type": 8, "data": {"choices": []}}


async def test_system_messages_in_a_dm_are_not_answered(rig: e2e.Rig) -> None:
    pin = payload("message_pin_dm")
    join = payload("message_pin_dm", type=7)  # a member joined (in a server's system channel)
    join |= {"guild_id": KNOWN_GUILD, "channel_id": f"{KNOWN_GUILD}1"}
    assert await answered(rig, pin, join) == {}


async def test_a_forwarded_message_in_a_dm_is_read_from_its_snapshot(rig: e2e.Rig) -> None:
    forward = payload("message_forward_dm")
    replies = await answered(rig, forward)
    assert "Anchor (live-stream host)" in replies[forward["id"]]
    assert t("en", "empty.title") not in replies[forward["id"]]


async def test_a_webhook_message_is_not_answered(rig: e2e.Rig) -> None:
    assert await answered(rig, payload("message_webhook")) == {}
    assert rig.store.read(f"discord:{KNOWN_GUILD}").roles == {}


async def test_a_message_from_a_server_missing_from_the_cache_is_not_a_dm(rig: e2e.Rig) -> None:
    mention = payload("message_mention_uncached_guild")
    mention["content"] = mention["content"].replace("what does an anchor do?", "plan add art 1")
    chatter = payload("message_mention_uncached_guild", content="just chatting", mentions=[])
    replies = await answered(rig, mention, chatter)
    assert list(replies) == [mention["id"]] and "Added 1 person to Art" in replies[mention["id"]]
    reply = next(p for p in rig.fake.rest("POST", "/messages") if mention["id"] in str(p.body))
    assert reply.path == f"/channels/{UNKNOWN_GUILD}1/messages"
    assert rig.store.read(f"discord:{UNKNOWN_GUILD}").roles == {"art": 1}
    assert rig.store.read(f"discord:dm-{USER}").roles == {}


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
async def test_a_payload_the_command_tree_cannot_read_gets_an_apology(
    rig: e2e.Rig, locale: str
) -> None:
    # Discord documents resolved members as partial: this one has no ``flags``, which
    # discord.py reads without a default (a KeyError, not an app-command error).
    other = "800000000000000002"
    member = {"roles": [], "joined_at": "2026-01-01T00:00:00+00:00", "premium_since": None,
              "pending": False, "nick": None, "avatar": None, "permissions": "0",
              "communication_disabled_until": None}  # fmt: skip
    resolved = {"users": {other: e2e.user(other, "bo")}, "members": {other: member}}
    body = await rig.slash(
        "plan", "editors", options=[e2e.opt("action", "add"), e2e.opt("user", other, 6)],
        uid=e2e.ADMIN, perms=e2e.MANAGE_GUILD, resolved=resolved, locale=locale,
    )  # fmt: skip
    assert body["type"] == 4 and body["data"]["flags"] & 64
    assert body["data"]["content"] == t("es" if locale == "es-ES" else "en", "error.title")
