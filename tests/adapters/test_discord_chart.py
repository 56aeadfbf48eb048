"""The org-chart picture on Discord, end to end against the fake: an attachment shown in the
answer's embed, with its alt text, from the slash command, a mention and the button."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.adapters.fake_discord import BOT_ID, BOT_USER, FakeDiscord, snowflake, user
from tests.adapters.test_discord_e2e import (
    GUILD_A,
    MEMBER,
    Rig,
    _message,
    opt,
    start,
    stop,
    text_of,
)

PICTURE = "shopcrew-chart.png"


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    fake = FakeDiscord(guilds={GUILD_A: "Shop A"})
    await fake.start()
    adapter, storage = await start(fake, tmp_path / "chart.db")
    yield Rig(fake, adapter, storage)
    await stop(adapter, storage)
    await fake.stop()


def _shown_picture(body: dict[str, Any]) -> bytes:
    """The PNG a message carries, checked to be the one its embed shows, with alt text."""
    data = body.get("data") or body
    (embed,) = [e for e in data["embeds"] if "image" in e]
    assert embed["image"]["url"] == f"attachment://{PICTURE}"
    (attached,) = data["attachments"]
    assert attached["filename"] == PICTURE and attached["description"]
    content = body["files"][PICTURE]
    assert isinstance(content, bytes)
    image = Image.open(io.BytesIO(content))
    assert image.format == "PNG" and image.size[0] >= 1000
    return content


async def test_the_slash_command_shows_the_picture_in_its_embed(rig: Rig) -> None:
    await rig.slash("plan", "add", options=[opt("role", "copywriter"), opt("count", 2, 4)])
    private = await rig.slash("plan", "chart")
    assert private["data"]["flags"] & 64  # only to the asker, like `plan show`…
    picture = _shown_picture(private)
    assert "Copywriter 2" in private["data"]["attachments"][0]["description"]
    shared = await rig.slash("plan", "chart", options=[opt("share", True, 5)], locale="es-ES")
    assert not shared["data"].get("flags", 0) & 64  # …unless shared with the channel
    assert "Organigrama del plan del equipo" in text_of(shared)
    assert "Redactor 2" in shared["data"]["attachments"][0]["description"]
    assert _shown_picture(shared) != picture  # drawn in Spanish


async def test_a_mention_and_the_button_under_the_plan_draw_it_too(rig: Rig) -> None:
    ana = user(MEMBER, "ana")
    await rig.slash("plan", "add", options=[opt("role", "art"), opt("count", 2, 4)])
    await rig.fake.dispatch(
        "MESSAGE_CREATE", _message(f"<@{BOT_ID}> plan organigrama", GUILD_A, [BOT_USER], ana)
    )
    await rig.fake.wait_for(lambda: rig.fake.rest("POST", "/messages"))
    _shown_picture(rig.fake.rest("POST", "/messages")[0].body)
    show = await rig.slash("plan", "show")
    buttons = show["data"]["components"][0]["components"]
    (chart,) = [b for b in buttons if b["custom_id"] == "shopcrew:plan:en:chart"]
    assert chart["label"] == "Org chart picture"
    message = {"id": snowflake(), "channel_id": f"{GUILD_A}1", "author": BOT_USER, "content": "",
               "timestamp": "2026-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
               "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
               "embeds": [], "pinned": False, "type": 0, "flags": 64, "components": []}  # fmt: skip
    clicked = await rig.interact({"custom_id": chart["custom_id"], "component_type": 2}, kind=3,
                                 message=message)  # fmt: skip
    _shown_picture(clicked)


async def test_an_empty_plan_gets_a_sentence_and_no_file(rig: Rig) -> None:
    body = await rig.slash("plan", "chart", locale="es-ES")
    assert "files" not in body or not body["files"]
    assert "todavía no hay nada que dibujar" in text_of(body)
