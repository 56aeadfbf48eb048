"""ShopCrew added to a person's account (a user install) never changes a server's plan.

The person can use ShopCrew in any server they are in, also one that never added it: there it
answers questions and shows the plan, and refuses changes politely, saying what would work.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.strings import t
from tests.adapters import test_discord_e2e as e2e
from tests.adapters.fake_discord import FakeDiscord
from tests.chaos.discord_rig import KNOWN_GUILD, UNKNOWN_GUILD, payload

USER = e2e.MEMBER
#: A user install: only the person's own installation authorised the interaction.
USER_INSTALL = {"1": USER}
opt = e2e.opt


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[e2e.Rig]:
    fake = FakeDiscord(guilds={KNOWN_GUILD: "Shop A"})
    await fake.start()
    adapter, storage = await e2e.start(fake, tmp_path / "u.db")
    yield e2e.Rig(fake, adapter, storage)
    await e2e.stop(adapter, storage)
    await fake.stop()


async def test_the_documented_user_install_payload_does_not_change_the_servers_plan(
    rig: e2e.Rig,
) -> None:
    data = payload("interaction_user_install")
    await rig.fake.dispatch("INTERACTION_CREATE", data)
    path = f"/interactions/{data['id']}/"
    await rig.fake.wait_for(lambda: rig.fake.rest("POST", path))
    body = rig.fake.rest("POST", path)[-1].body
    assert body["data"]["flags"] & 64  # a private refusal, not a public change
    assert "Ask a server admin to add ShopCrew to the server" in e2e.text_of(body)
    assert rig.store.read(f"discord:{UNKNOWN_GUILD}").roles == {}
    assert rig.store.history(f"discord:{UNKNOWN_GUILD}", limit=10) == []


@pytest.mark.parametrize(
    ("sub", "options", "perms"),
    [
        ("add", [opt("role", "copywriter"), opt("count", 2, 4)], "0"),
        ("stores", [opt("stores", 3, 4)], "0"),
        ("recommend", [], "0"),
        ("lock", [], e2e.MANAGE_GUILD),  # Manage Server there does not make it ShopCrew's
        ("unlock", [], e2e.MANAGE_GUILD),
    ],
)
@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
async def test_every_change_is_refused_in_the_users_language(
    rig: e2e.Rig, sub: str, options: list[dict[str, object]], perms: str, locale: str
) -> None:
    body = await rig.slash("plan", sub, options=options, guild=UNKNOWN_GUILD, perms=perms,
                           locale=locale, owners=USER_INSTALL)  # fmt: skip
    lang = "es" if locale == "es-ES" else "en"
    assert t(lang, "dc.not_installed") in e2e.text_of(body)
    state = rig.store.read(f"discord:{UNKNOWN_GUILD}")
    assert (state.roles, state.stores, state.locked) == ({}, None, False)


async def test_plain_words_and_buttons_cannot_change_it_either(rig: e2e.Rig) -> None:
    # The server's plan, as its own ShopCrew (a guild install) made it.
    await rig.slash("plan", "add", options=[opt("role", "art"), opt("count", 2, 4)],
                    guild=UNKNOWN_GUILD, owners={"0": UNKNOWN_GUILD})  # fmt: skip
    asked = await rig.slash("ask", options=[opt("question", "add 2 copywriters to the plan")],
                            guild=UNKNOWN_GUILD, owners=USER_INSTALL)  # fmt: skip
    assert t("en", "dc.not_installed") in e2e.text_of(asked)
    message = e2e._message("", UNKNOWN_GUILD, [], e2e.BOT_USER) | {"flags": 64}
    click = {"custom_id": "shopcrew:plan:en:reset confirm", "component_type": 2}
    clicked = await rig.interact(click, kind=3, guild=UNKNOWN_GUILD, message=message,
                                 owners=USER_INSTALL)  # fmt: skip
    assert t("en", "dc.not_installed") in e2e.text_of(clicked)
    assert rig.store.read(f"discord:{UNKNOWN_GUILD}").roles == {"art": 2}


async def test_questions_and_reading_the_plan_still_work(rig: e2e.Rig) -> None:
    await rig.slash("plan", "add", options=[opt("role", "art")], guild=UNKNOWN_GUILD,
                    owners={"0": UNKNOWN_GUILD})  # fmt: skip
    kw = {"guild": UNKNOWN_GUILD, "owners": USER_INSTALL}
    asked = await rig.slash("ask", options=[opt("question", "what does an anchor do?")], **kw)
    assert "Anchor (live-stream host)" in e2e.text_of(asked)
    shown = await rig.slash("plan", "show", **kw)
    assert "Art" in e2e.text_of(shown) and t("en", "dc.not_installed") not in e2e.text_of(shown)


async def test_in_a_dm_a_user_install_keeps_the_users_own_plan(rig: e2e.Rig) -> None:
    await rig.slash("plan", "add", options=[opt("role", "anchor")], guild=None,
                    owners=USER_INSTALL)  # fmt: skip
    assert rig.store.read(f"discord:dm-{USER}").roles == {"anchor": 1}
