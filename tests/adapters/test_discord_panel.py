"""``/shopcrew plan panel`` against the fake Discord: the real discord.py client, real clicks.

Every click is a component interaction as Discord sends it (the message as it is now, with its
components); the panel must answer with UPDATE_MESSAGE, which the fake applies to the message.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.discord.app import DiscordAdapter
from bot.plans.state import PlanState
from bot.storage import Storage
from tests.adapters.fake_discord import FakeDiscord
from tests.adapters.test_discord_e2e import (
    ADMIN,
    GUILD_A,
    GUILD_B,
    MANAGE_GUILD,
    MEMBER,
    Rig,
    opt,
    start,
    stop,
    text_of,
    user,
)

PLAN_A = f"discord:{GUILD_A}"


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    fake = FakeDiscord(guilds={GUILD_A: "Shop A", GUILD_B: "Shop B"})
    await fake.start()
    adapter, storage = await start(fake, tmp_path / "panel.db")
    yield Rig(fake, adapter, storage)
    await stop(adapter, storage)
    await fake.stop()


def components(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every component of a message (rows flattened)."""
    return [c for row in message.get("components") or [] for c in row["components"]]


def button(message: dict[str, Any], starts: str) -> dict[str, Any]:
    return next(c for c in components(message) if c["custom_id"].startswith(starts))


async def post_panel(rig: Rig, **kw: Any) -> str:
    """``/shopcrew plan panel``; returns the id of the message it posted."""
    body = await rig.slash("plan", "panel", **kw)
    assert body["type"] == 4 and not body["data"].get("flags", 0) & 64  # in the channel
    mid = list(rig.fake.messages)[-1]  # the newest message: the panel
    assert rig.fake.messages[mid]["embeds"] == body["data"]["embeds"]
    return mid


def edited(rig: Rig, mid: str, before: int) -> bool:
    """The message was edited in place since ``before`` edits (and nothing new was posted)."""
    return any(m == mid for m, _ in rig.fake.edits[before:])


async def test_panel_shows_the_plan_with_its_components(rig: Rig) -> None:
    await rig.slash("plan", "add", options=[opt("role", "copywriter"), opt("count", 2, 4)])
    mid = await post_panel(rig)
    message = rig.fake.messages[mid]
    text = text_of(message)
    # No stores set: sized for one new store, which needs operations, art and customer service
    # (none in the plan yet) and gives no number for a copywriter.
    assert "Team plan" in text and "the ranges are for one store" in text
    for role in ("Operations", "Art", "Customer service"):
        assert f"❌ **{role}**: 0" in text and "missing" in text
    assert "➖ **Copywriter**: 2" in text and "optional" in text
    assert "2 people in the plan" in text
    (select,) = [c for c in components(message) if c["type"] == 3]
    kb_roles = rig.adapter.bot.knowledge.kb.roles
    assert [o["value"] for o in select["options"]] == list(kb_roles)
    assert select["options"][0]["label"] == "General manager"
    role_buttons = [
        c for c in components(message) if c["custom_id"].split(":")[1] in ("add", "remove")
    ]
    assert [b["disabled"] for b in role_buttons] == [True, True]  # no role picked yet
    labels = [c.get("label") for c in components(message) if c["type"] == 2]
    assert labels[2:] == ["Recommend for this plan", "Check the plan", "Undo the last change"]


async def test_select_then_plus_and_minus_change_the_plan_in_place(rig: Rig) -> None:
    mid = await post_panel(rig)
    posts = len(rig.fake.rest("POST", "/messages"))
    picked = await rig.click(mid, "shopcrew-panel:role", values=["copywriter"])
    assert picked["type"] == 7 and edited(rig, mid, 0)
    plus = button(rig.fake.messages[mid], "shopcrew-panel:add")
    assert plus == plus | {"label": "+1 Copywriter", "disabled": False,
                           "custom_id": "shopcrew-panel:add:copywriter"}  # fmt: skip
    assert rig.store.read(PLAN_A).roles == {}  # picking a role changes nothing
    for expected in (1, 2):
        before = len(rig.fake.edits)
        body = await rig.click(mid, "shopcrew-panel:add:copywriter", uid=MEMBER)
        assert body["type"] == 7 and edited(rig, mid, before)
        assert rig.store.read(PLAN_A).roles == {"copywriter": expected}
    latest = rig.store.history(PLAN_A)[0]
    assert (latest.user, latest.command, latest.kind) == (MEMBER, "plan add copywriter 1", "add")
    text = text_of(rig.fake.messages[mid])
    assert "**Copywriter**: 2" in text and "Added 1 person to Copywriter (1 → 2)" in text
    assert f"<@{MEMBER}>" in text  # who clicked
    await rig.click(mid, "shopcrew-panel:remove:copywriter")
    assert rig.store.read(PLAN_A).roles == {"copywriter": 1}
    assert len(rig.fake.rest("POST", "/messages")) == posts  # edited, never posted again
    assert len({m for m, _ in rig.fake.edits}) == 1


async def test_recommend_check_and_undo_run_the_plan_commands(rig: Rig) -> None:
    await rig.slash("plan", "stores", options=[opt("stores", 3, 4)])
    await rig.slash("plan", "stores", options=[opt("stores", 3, 4)], guild=GUILD_B)
    mid = await post_panel(rig)
    await rig.click(mid, "shopcrew-panel:role", values=["anchor"])
    await rig.click(mid, "shopcrew-panel:recommend")
    kept = button(rig.fake.messages[mid], "shopcrew-panel:add")
    assert kept["custom_id"] == "shopcrew-panel:add:anchor"  # the picked role stays picked
    await rig.slash("plan", "recommend", guild=GUILD_B)  # the typed command, elsewhere
    filled = rig.store.read(PLAN_A).roles
    assert filled and filled == rig.store.read(f"discord:{GUILD_B}").roles
    assert rig.store.history(PLAN_A)[0].kind == "recommend"
    assert "within the range" in text_of(rig.fake.messages[mid])

    before = len(rig.fake.edits)
    followups = len(rig.fake.rest("POST", "/webhooks/"))
    checked = await rig.click(mid, "shopcrew-panel:check")
    assert checked["type"] == 7 and edited(rig, mid, before)
    await rig.fake.wait_for(lambda: len(rig.fake.rest("POST", "/webhooks/")) > followups)
    findings = rig.fake.rest("POST", "/webhooks/")[-1].body
    assert findings["flags"] & 64 and "Plan check" in text_of(findings)  # only the clicker
    assert rig.store.read(PLAN_A).roles == filled

    await rig.click(mid, "shopcrew-panel:undo")
    assert rig.store.read(PLAN_A).roles == {}
    assert rig.store.history(PLAN_A)[0].kind == "undo"
    assert "Undone: plan recommend" in text_of(rig.fake.messages[mid])


async def test_a_member_may_not_change_a_locked_plan_from_the_panel(rig: Rig) -> None:
    await rig.slash("plan", "add", options=[opt("role", "art")])
    await rig.slash("plan", "lock", uid=ADMIN, perms=MANAGE_GUILD)
    mid = await post_panel(rig)
    await rig.click(mid, "shopcrew-panel:role", values=["art"])
    edits, history = len(rig.fake.edits), len(rig.store.history(PLAN_A))
    refused = await rig.click(mid, "shopcrew-panel:add:art", uid=MEMBER)
    assert refused["type"] == 4 and refused["data"]["flags"] & 64  # only the clicker sees it
    text = text_of(refused)
    assert "This plan is locked" in text and "Ask an admin for edit rights" in text
    assert "members with *Manage Server*" in text
    assert rig.store.read(PLAN_A).roles == {"art": 1}
    assert len(rig.store.history(PLAN_A)) == history and len(rig.fake.edits) == edits
    undo = await rig.click(mid, "shopcrew-panel:undo", uid=MEMBER)
    assert undo["data"]["flags"] & 64 and rig.store.read(PLAN_A).roles == {"art": 1}
    # Manage Server may; so may an editor the admins named.
    await rig.click(mid, "shopcrew-panel:add:art", uid=ADMIN, perms=MANAGE_GUILD)
    assert rig.store.read(PLAN_A).roles == {"art": 2}
    resolved = {"users": {MEMBER: user(MEMBER, "ana")}}
    await rig.slash("plan", "editors", options=[opt("action", "add"), opt("user", MEMBER, 6)],
                    uid=ADMIN, perms=MANAGE_GUILD, resolved=resolved)  # fmt: skip
    await rig.click(mid, "shopcrew-panel:remove:art", uid=MEMBER)
    assert rig.store.read(PLAN_A).roles == {"art": 1}


async def test_spanish_user_gets_a_spanish_panel_and_refusal(rig: Rig) -> None:
    mid = await post_panel(rig, locale="es-ES")
    message = rig.fake.messages[mid]
    text = text_of(message)
    assert "Plan del equipo" in text and "❌ **Operación**: 0" in text and "falta" in text
    assert "faltan 3 puestos" in text and "0 personas en el plan" in text
    (select,) = [c for c in components(message) if c["type"] == 3]
    assert select["placeholder"] == "Elige un puesto para cambiarlo"
    await rig.click(mid, "shopcrew-panel:role", values=["copywriter"], locale="es-ES")
    await rig.click(mid, "shopcrew-panel:add:copywriter", locale="es-ES")
    text = text_of(rig.fake.messages[mid])
    assert "Se agregó 1 persona a Redactor (0 → 1)." in text
    assert button(rig.fake.messages[mid], "shopcrew-panel:add")["label"] == "+1 Redactor"
    await rig.slash("plan", "lock", uid=ADMIN, perms=MANAGE_GUILD)
    refused = await rig.click(mid, "shopcrew-panel:add:copywriter", locale="es-419")
    assert "bloqueado" in text_of(refused) and "Gestionar servidor" in text_of(refused)


async def test_a_user_install_shows_the_panel_but_never_changes_the_servers_plan(
    rig: Rig,
) -> None:
    mine = {"1": MEMBER}  # ShopCrew added to Ana's account, not to the server
    mid = await post_panel(rig, owners=mine)
    await rig.click(mid, "shopcrew-panel:role", values=["art"], owners=mine)
    refused = await rig.click(mid, "shopcrew-panel:add:art", owners=mine)
    assert refused["data"]["flags"] & 64 and "isn't added to this server" in text_of(refused)
    assert rig.store.read(PLAN_A).roles == {}


async def test_a_personal_plans_panel_is_only_its_owners(rig: Rig) -> None:
    mid = await post_panel(rig, guild=None, uid=MEMBER)
    refused = await rig.click(mid, "shopcrew-panel:recommend", guild=None, uid=ADMIN)
    assert refused["data"]["flags"] & 64 and "personal plan" in text_of(refused)
    assert rig.store.read(f"discord:dm-{ADMIN}").roles == {}
    await rig.click(mid, "shopcrew-panel:recommend", guild=None, uid=MEMBER)
    assert rig.store.read(f"discord:dm-{MEMBER}").roles


async def test_panels_keep_working_after_a_restart(tmp_path: Path) -> None:
    fake = FakeDiscord(guilds={GUILD_A: "Shop A"})
    await fake.start()
    db = tmp_path / "restart.db"
    adapter, storage = await start(fake, db)
    mid = await post_panel(Rig(fake, adapter, storage))
    await Rig(fake, adapter, storage).click(mid, "shopcrew-panel:role", values=["anchor"])
    await stop(adapter, storage)
    again: tuple[DiscordAdapter, Storage] = await start(fake, db)  # a new process, same data
    rig = Rig(fake, *again)
    try:
        body = await rig.click(mid, "shopcrew-panel:add:anchor")
        assert body["type"] == 7 and rig.store.read(PLAN_A).roles == {"anchor": 1}
        assert "**Anchor**: 1" in text_of(fake.messages[mid])
    finally:
        await stop(*again)
        await fake.stop()


# --- Discord's documented limits, for the largest plan the sizing can produce ----------------


def _n(text: str) -> int:
    """Characters as Discord counts them at most (UTF-16 code units: an emoji may be two)."""
    return len(text.encode("utf-16-le")) // 2


def assert_within_discord_limits(data: dict[str, Any]) -> None:
    """Every documented limit of a message's embeds and components (Discord API reference:
    Embed Limits, Button and String Select structures)."""
    embeds = data.get("embeds") or []
    assert len(embeds) <= 10
    total = 0
    for e in embeds:
        title, description = e.get("title", ""), e.get("description", "")
        footer = e.get("footer", {}).get("text", "")
        fields = e.get("fields", [])
        assert _n(title) <= 256 and _n(description) <= 4096 and _n(footer) <= 2048
        assert len(fields) <= 25
        for f in fields:
            assert 0 < _n(f["name"]) <= 256 and 0 < _n(f["value"]) <= 1024, f
        total += _n(title) + _n(description) + _n(footer)
        total += sum(_n(f["name"]) + _n(f["value"]) for f in fields)
    assert total <= 6000, total
    rows = data.get("components") or []
    assert len(rows) <= 5
    ids = []
    for row in rows:
        assert row["type"] == 1
        kids = row["components"]
        selects = [c for c in kids if c["type"] == 3]
        assert len(kids) <= 5 and (not selects or len(kids) == 1)
        for c in kids:
            assert 0 < _n(c["custom_id"]) <= 100
            ids.append(c["custom_id"])
            if c["type"] == 2:
                assert _n(c.get("label", "")) <= 80
        for s in selects:
            assert 1 <= len(s["options"]) <= 25 and _n(s.get("placeholder", "")) <= 150
            values = [o["value"] for o in s["options"]]
            assert (
                len(set(values)) == len(values)
                and sum(o.get("default", False) for o in s["options"]) <= 1
            )
            for o in s["options"]:
                assert 0 < _n(o["label"]) <= 100 and 0 < _n(o["value"]) <= 100
                assert _n(o.get("description", "")) <= 100
    assert len(set(ids)) == len(ids)


def _largest_team(rig: Rig) -> PlanState:
    """The most the plan can hold: the sizing's largest team (most stores, the stage and the
    channels that size the most people), every other role at the largest count, every role
    with the largest salary, both sizing ratios, locked. The sized roles are left for the
    panel's Recommend to fill, so that its report is as long as it gets."""
    from bot.plans.costs import MAX_SALARY
    from bot.plans.grammar import MAX_COUNT
    from bot.sizing.engine import size_team
    from bot.sizing.inputs import SizingInput, parse_input
    from knowledge.vocab import CHANNELS, STAGES

    vocab = rig.adapter.bot.knowledge.vocab
    stores = SizingInput.model_json_schema()["properties"]["stores"]["maximum"]
    results = [size_team(parse_input(stores=stores, stage=s, channels=list(CHANNELS)), vocab)
               for s in STAGES]  # fmt: skip
    largest = max(results, key=lambda r: r.total[2])
    roles = list(rig.adapter.bot.knowledge.kb.roles)
    return PlanState(
        stores=stores, stage=largest.input.stage, channels=list(CHANNELS), locked=True,
        roles={r: MAX_COUNT for r in roles if r not in largest.roles},
        salaries=dict.fromkeys(roles, float(MAX_SALARY)), currency="MXN",
        ratios={"return_rate": 1.0, "inquiries_per_order": 5.0},
    )  # fmt: skip


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
async def test_the_largest_plans_panel_is_within_discords_limits(rig: Rig, locale: str) -> None:
    state = _largest_team(rig)
    rig.store.change(PLAN_A, ADMIN, "test setup", "set", lambda _: state.model_copy(deep=True))
    admin: dict[str, Any] = {"uid": ADMIN, "perms": MANAGE_GUILD, "locale": locale}
    mid = await post_panel(rig, **admin)
    posted = copy.deepcopy(rig.fake.messages[mid])
    filled = await rig.click(mid, "shopcrew-panel:recommend", **admin)
    assert filled["type"] == 7 and len(rig.store.read(PLAN_A).roles) == len(
        rig.store.read(PLAN_A).salaries
    )
    select = next(c for c in components(rig.fake.messages[mid]) if c["type"] == 3)
    longest = max(select["options"], key=lambda o: len(o["label"]))["value"]
    picked = await rig.click(mid, "shopcrew-panel:role", values=[longest], **admin)
    for body in (posted, filled["data"], picked["data"]):
        assert_within_discord_limits(body)
    message = rig.fake.messages[mid]
    assert len(message["embeds"]) == 2  # the plan, and what Recommend did (carried over)
    text = text_of(message)
    for name in (o["label"] for o in select["options"]):
        assert f"**{name}**" in text  # every role is shown, none cut off
