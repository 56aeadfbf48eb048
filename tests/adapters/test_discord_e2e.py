"""The real discord.py client against a fake Discord (REST + gateway) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest

from adapters.discord.app import DiscordAdapter
from bot.core import Bot
from bot.plans.service import PlanService
from bot.plans.store import PlanStore
from bot.settings import Settings
from bot.storage import Storage, open_storage
from bot.strings import t
from tests.adapters.fake_discord import (
    APP_ID,
    BOT_ID,
    BOT_USER,
    TOKEN,
    FakeDiscord,
    snowflake,
    user,
)

GUILD_A = "700000000000000001"
GUILD_B = "700000000000000002"
MEMBER = "800000000000000001"
ADMIN = "800000000000000002"
MANAGE_GUILD = str(1 << 5)


@dataclass
class Rig:
    fake: FakeDiscord
    adapter: DiscordAdapter
    storage: Storage

    @property
    def store(self) -> PlanStore:
        return self.storage.plans

    def command_id(self) -> str:
        return str(self.fake.commands[0]["id"])

    async def interact(self, data: dict[str, Any], kind: int = 2, guild: str | None = GUILD_A,
                       uid: str = MEMBER, perms: str = "0", locale: str = "en-US",
                       message: dict[str, Any] | None = None,
                       owners: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
        iid = snowflake()
        # Who installed ShopCrew where this is used: the server ("0": its id; "0" in the bot's
        # DM), unless a test says otherwise (a user install is "1": the user's id).
        owners = owners if owners is not None else {"0": guild or "0"}
        payload: dict[str, Any] = {
            "id": iid, "application_id": APP_ID, "type": kind, "data": data, "token": f"tok{iid}",
            "version": 1, "app_permissions": "2147483647", "locale": locale, "entitlements": [],
            "authorizing_integration_owners": owners, "context": 0 if guild else 1,
            "attachment_size_limit": 8388608,
        }  # fmt: skip
        if guild:
            payload |= {"guild_id": guild, "guild_locale": "en-US", "channel_id": f"{guild}1",
                        "channel": {"id": f"{guild}1", "type": 0, "guild_id": guild, "name": "general",
                                    "position": 0, "permission_overwrites": [], "nsfw": False},
                        "member": {"user": user(uid, "ana"), "roles": [], "joined_at": "2026-01-01T00:00:00+00:00",
                                   "deaf": False, "mute": False, "flags": 0, "permissions": perms}}  # fmt: skip
        else:
            payload |= {
                "channel_id": "600",
                "channel": {"id": "600", "type": 1},
                "user": user(uid, "ana"),
            }
        if message is not None:
            payload["message"] = message
        before = len(self.fake.rest("POST", f"/interactions/{iid}/"))
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        await self.fake.wait_for(
            lambda: len(self.fake.rest("POST", f"/interactions/{iid}/")) > before
        )
        return self.fake.rest("POST", f"/interactions/{iid}/")[-1].body  # type: ignore[no-any-return]

    async def click(self, message_id: str, custom_id: str, values: list[str] | None = None,
                    **kw: Any) -> dict[str, Any]:  # fmt: skip
        """Click a component of a message the bot posted, as it is now (a select if ``values``)."""
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 2}
        if values is not None:
            data |= {"component_type": 3, "values": values}
        message = copy.deepcopy(self.fake.messages[message_id])
        return await self.interact(data, kind=3, message=message, **kw)

    async def slash(
        self, *path: str, options: list[dict[str, Any]] | None = None, **kw: Any
    ) -> dict[str, Any]:
        leaf: dict[str, Any] = {"name": path[-1], "type": 1, "options": options or []}
        node = leaf
        if len(path) == 2:
            node = {"name": path[0], "type": 2, "options": [leaf]}
        data = {"id": self.command_id(), "name": "shopcrew", "type": 1, "options": [node]}
        if "resolved" in kw:
            data["resolved"] = kw.pop("resolved")
        return await self.interact(data, **kw)


def opt(name: str, value: Any, kind: int = 3, focused: bool = False) -> dict[str, Any]:
    o = {"name": name, "type": kind, "value": value}
    return o | {"focused": True} if focused else o


def text_of(body: dict[str, Any]) -> str:
    data = body.get("data") or body
    parts = []
    for e in data.get("embeds") or []:
        parts += [e.get("title", ""), e.get("description", ""), e.get("footer", {}).get("text", "")]
        parts += [f["name"] + " " + f["value"] for f in e.get("fields", [])]
    return "\n".join([*parts, data.get("content") or ""])


def _adapter(storage: Storage, settings: Settings) -> DiscordAdapter:
    bot = Bot(plans=PlanService(storage.plans))
    return DiscordAdapter(bot, storage.meta, settings, guild_ready_timeout=0.1)


async def start(fake: FakeDiscord, db: Path) -> tuple[DiscordAdapter, Storage]:
    settings = Settings.model_validate({"DISCORD_TOKEN": TOKEN, "SHOPCREW_DISCORD_API_URL": fake.api_url,
                                        "SHOPCREW_DISCORD_GATEWAY_URL": fake.gateway_url})  # fmt: skip
    storage = open_storage(db)
    adapter = _adapter(storage, settings)
    await adapter.start()
    await asyncio.wait_for(adapter.client.wait_until_ready(), 15)
    return adapter, storage


async def stop(adapter: DiscordAdapter, storage: Storage) -> None:
    await adapter.stop()
    storage.close()


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    fake = FakeDiscord(guilds={GUILD_A: "Shop A", GUILD_B: "Shop B"})
    await fake.start()
    adapter, storage = await start(fake, tmp_path / "d.db")
    yield Rig(fake, adapter, storage)
    await stop(adapter, storage)
    await fake.stop()


async def test_login_sync_and_localised_schema(rig: Rig, tmp_path: Path) -> None:
    assert rig.fake.rest("GET", "/users/@me") and rig.fake.rest(
        "PUT", f"/applications/{APP_ID}/commands"
    )
    identify = rig.fake.identifies[0]
    assert identify["intents"] & (1 << 15) == 0  # no privileged message-content intent
    (group,) = rig.fake.commands
    assert group["name"] == "shopcrew" and int(group["default_member_permissions"]) == 1 << 11
    # Installed to a server or to a user's account; usable in servers, DMs and group DMs.
    assert sorted(group["integration_types"]) == [0, 1]
    assert sorted(group["contexts"]) == [0, 1, 2]
    plan = next(o for o in group["options"] if o["name"] == "plan")
    add = next(o for o in plan["options"] if o["name"] == "add")
    assert add["name_localizations"]["es-ES"] == "agregar"
    assert add["name_localizations"]["es-419"] == "agregar"
    assert {o["name"] for o in add["options"]} == {"role", "count"}
    role_opt = next(o for o in add["options"] if o["name"] == "role")
    assert role_opt["autocomplete"] is True and role_opt["name_localizations"]["es-ES"] == "puesto"
    names = {o["name"] for o in plan["options"]}
    assert names == {"show", "add", "remove", "set", "stores", "stage", "channels", "recommend", "check",
                     "history", "undo", "export", "chart", "reset", "salary", "currency", "lock",
                     "unlock", "editors", "panel"}  # fmt: skip
    recommend = next(o for o in plan["options"] if o["name"] == "recommend")
    (replace,) = recommend["options"]
    assert replace["name"] == "replace" and replace["name_localizations"]["es-ES"] == "reemplazar"


async def test_commands_are_synced_only_when_changed(tmp_path: Path) -> None:
    fake = FakeDiscord()
    await fake.start()
    db = tmp_path / "s.db"
    for expected_puts in (1, 1):  # a restart with the same definitions uploads nothing
        adapter, storage = await start(fake, db)
        assert len(fake.rest("PUT", "/commands")) == expected_puts
        await stop(adapter, storage)
    await fake.stop()


async def test_commands_claimed_by_another_process_are_synced_here_once_its_claim_lapses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Another process claimed the upload and died: this one leaves the upload alone while the
    claim is live, looking again now and then, and uploads once it has lapsed."""
    caplog.set_level(logging.INFO, "shopcrew.discord")
    # Look again often, whatever the claim says.
    monkeypatch.setattr("adapters.discord.sync.CLAIM_SECONDS", 0.05)
    monkeypatch.setattr("adapters.discord.sync.SOONEST_SECONDS", 0.05)
    fake = FakeDiscord()
    await fake.start()
    db = tmp_path / "s.db"
    claim_key = "discord.commands.sha256.claim"
    died = {"value": "its hash", "holder": "a process that died"}
    seed = open_storage(db)
    seed.meta.set(claim_key, json.dumps(died | {"until": time.time() + 3600}))
    seed.close()
    adapter, storage = await start(fake, db)

    def looks() -> int:
        return caplog.text.count("Discord commands are being synced by a process that died")

    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while looks() < 3:  # at start-up, and twice again
            assert loop.time() < deadline, caplog.text
            await asyncio.sleep(0.02)  # polling the log: there is no event to wait on
        assert fake.rest("PUT", "/commands") == []
        storage.meta.set(claim_key, json.dumps(died | {"until": time.time() - 1}))
        await fake.wait_for(lambda: fake.rest("PUT", "/commands"))
        assert await adapter.sync_if_changed() is False  # recorded: nothing more to upload
        assert storage.meta.get(claim_key) is None
        assert len(fake.rest("PUT", "/commands")) == 1
    finally:
        await stop(adapter, storage)
        await fake.stop()


async def test_ask_role_and_size(rig: Rig) -> None:
    body = await rig.slash("ask", options=[opt("question", "what does copywriting do?")])
    assert body["type"] == 4 and body["data"]["flags"] & 64  # ephemeral
    assert "Copywriter (text editing)" in text_of(body)
    body = await rig.slash("role", options=[opt("name", "anchor")], locale="es-ES")
    assert "Ancla (presentador de directos)" in text_of(body)
    body = await rig.slash("size", options=[opt("stores", 2, 4), opt("stage", "mature"),
                                            opt("channels", "live, xiaohongshu"), opt("share", True, 5)])  # fmt: skip
    assert not body["data"].get("flags", 0) & 64  # shared with the channel
    text = text_of(body)
    assert "Team for 2 stores (mature) + live streaming and Xiaohongshu" in text
    assert "Operations director" in text and "Erlang" not in text


async def test_every_plan_subcommand(rig: Rig) -> None:
    steps: list[tuple[str, list[dict[str, Any]]]] = [
        ("add", [opt("role", "copywriter"), opt("count", 2, 4)]),
        ("add", [opt("role", "art")]),
        ("remove", [opt("role", "copywriter")]),
        ("set", [opt("role", "customer_service"), opt("count", 3, 4)]),
        ("stores", [opt("stores", 2, 4)]),
        ("stage", [opt("stage", "mature")]),
        ("channels", [opt("channels", "live")]),
        ("recommend", []),
        ("check", []),
        ("history", []),
        ("undo", []),
        ("show", []),
    ]
    for sub, options in steps:
        body = await rig.slash("plan", sub, options=options)
        assert body["type"] == 4, sub
    state = rig.store.read(f"discord:{GUILD_A}")
    assert (state.stores, state.stage, state.channels) == (2, "mature", ["live"])
    assert state.roles == {"copywriter": 1, "art": 1, "customer_service": 3}
    export = await rig.slash("plan", "export", options=[opt("format", "csv")])
    assert export["files"]["shopcrew-plan.csv"].startswith("role,name,count")
    reset = await rig.slash("plan", "reset")
    button = reset["data"]["components"][0]["components"][0]
    assert button["custom_id"] == "shopcrew:plan:en:reset confirm"
    assert button["label"] == "Yes, empty the plan"
    assert rig.store.read(f"discord:{GUILD_A}").roles  # not emptied before the click


async def test_replace_asks_first_and_salary_and_currency_set_costs(rig: Rig) -> None:
    await rig.slash("plan", "set", options=[opt("role", "customer_service"), opt("count", 6, 4)])
    assert (await rig.slash("plan", "recommend"))["type"] == 4
    assert rig.store.read(f"discord:{GUILD_A}").roles["customer_service"] == 6  # kept
    asked = await rig.slash("plan", "recommend", options=[opt("replace", True, 5)])
    button = asked["data"]["components"][0]["components"][0]
    assert button["custom_id"] == "shopcrew:plan:en:recommend replace confirm"
    assert rig.store.read(f"discord:{GUILD_A}").roles["customer_service"] == 6  # not yet
    await rig.slash(
        "plan", "salary", options=[opt("role", "customer_service"), opt("amount", 5500, 10)]
    )
    body = await rig.slash("plan", "currency", options=[opt("code", "mxn")])
    assert "MX$33,000" in text_of(body)
    state = rig.store.read(f"discord:{GUILD_A}")
    assert state.salaries == {"customer_service": 5500} and state.currency == "MXN"
    bad = await rig.slash("plan", "currency", options=[opt("code", "pesos")])
    assert "not a currency code" in text_of(bad)


async def test_plan_changes_are_public_and_questions_private(rig: Rig) -> None:
    change = await rig.slash("plan", "add", options=[opt("role", "art")])
    assert not change["data"].get("flags", 0) & 64
    show = await rig.slash("plan", "show")
    assert show["data"]["flags"] & 64


async def test_spanish_client_gets_spanish_plan_answers(rig: Rig) -> None:
    body = await rig.slash(
        "plan", "add", options=[opt("role", "art"), opt("count", 2, 4)], locale="es-ES"
    )
    assert "Se agregaron 2 personas a Arte" in text_of(body)


async def test_autocomplete_role_names_in_the_users_locale(rig: Rig) -> None:
    leaf = {"name": "add", "type": 1, "options": [opt("role", "dise", focused=True)]}
    data = {"id": rig.command_id(), "name": "shopcrew", "type": 1,
            "options": [{"name": "plan", "type": 2, "options": [leaf]}]}  # fmt: skip
    body = await rig.interact(data, kind=4, locale="es-ES")
    assert body["type"] == 8
    choices = body["data"]["choices"]
    assert choices[0] == {"name": "Arte (diseñador)", "value": "art"}
    assert len(choices) <= 25


@pytest.mark.parametrize(
    "custom_id",
    ["shopcrew:plan:en:reset confirm", "shopcrew:plan reset confirm"],  # today's, and an old one
)
async def test_button_click_confirms_reset(rig: Rig, custom_id: str) -> None:
    await rig.slash("plan", "add", options=[opt("role", "art")])
    message = {"id": snowflake(), "channel_id": f"{GUILD_A}1", "author": BOT_USER, "content": "",
               "timestamp": "2026-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
               "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
               "embeds": [], "pinned": False, "type": 0, "flags": 64, "components": []}  # fmt: skip
    data = {"custom_id": custom_id, "component_type": 2}
    body = await rig.interact(data, kind=3, message=message)
    assert "The plan is empty now" in text_of(body)
    assert rig.store.read(f"discord:{GUILD_A}").roles == {}


async def test_details_button_explains_the_sizing_to_another_member(rig: Rig) -> None:
    size = await rig.slash("size", options=[opt("stores", 2, 4), opt("share", True, 5)])
    buttons = size["data"]["components"][0]["components"]
    details = next(b for b in buttons if b["label"] == t("en", "suggest.details"))
    assert details["custom_id"].startswith("shopcrew:why:en:") and len(details["custom_id"]) <= 100
    assert "per seat, rounded up" not in text_of(size)
    message = {"id": snowflake(), "channel_id": f"{GUILD_A}1", "author": BOT_USER, "content": "",
               "timestamp": "2026-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
               "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
               "embeds": [], "pinned": False, "type": 0, "flags": 0, "components": []}  # fmt: skip
    data = {"custom_id": details["custom_id"], "component_type": 2}
    body = await rig.interact(data, kind=3, message=message, uid=ADMIN)  # not the asker
    text = text_of(body)
    assert t("en", "size.details.title", title=size["data"]["embeds"][0]["title"]) in text
    assert "per seat, rounded up" in text


def _message(
    content: str, guild: str | None, mentions: list[dict[str, Any]], author: dict[str, Any]
) -> dict[str, Any]:
    m = {"id": snowflake(), "channel_id": f"{guild}1" if guild else "600", "author": author,
         "content": content, "timestamp": "2026-01-01T00:00:00+00:00", "edited_timestamp": None,
         "tts": False, "mention_everyone": False, "mentions": mentions, "mention_roles": [],
         "attachments": [], "embeds": [], "pinned": False, "type": 0, "flags": 0, "components": []}  # fmt: skip
    if guild:
        m |= {"guild_id": guild, "member": {"roles": [], "joined_at": "2026-01-01T00:00:00+00:00",
                                            "deaf": False, "mute": False, "flags": 0}}  # fmt: skip
    return m


async def test_mentions_and_dms_answered_other_messages_ignored(rig: Rig) -> None:
    ana = user(MEMBER, "ana")
    await rig.fake.dispatch("MESSAGE_CREATE", _message("just chatting", GUILD_A, [], ana))
    await rig.fake.dispatch(
        "MESSAGE_CREATE",
        _message(f"<@{BOT_ID}> hi", GUILD_A, [BOT_USER], user("9", "otherbot", bot=True)),
    )
    await rig.fake.dispatch(
        "MESSAGE_CREATE",
        _message(f"<@{BOT_ID}> how many people for two stores?", GUILD_A, [BOT_USER], ana),
    )
    await rig.fake.wait_for(lambda: rig.fake.rest("POST", "/messages"))
    await rig.fake.dispatch("MESSAGE_CREATE", _message("¿qué hace el ancla?", None, [], ana))
    await rig.fake.wait_for(lambda: len(rig.fake.rest("POST", "/messages")) >= 2)
    posts = rig.fake.rest("POST", "/messages")
    assert len(posts) == 2
    assert (
        posts[0].path == f"/channels/{GUILD_A}1/messages" and "message_reference" in posts[0].body
    )
    assert "Team for 2 stores (new)" in text_of(posts[0].body)
    assert posts[1].path == "/channels/600/messages" and "Ancla" in text_of(posts[1].body)


async def test_plan_exports_arrive_as_files_from_mentions_and_ask(rig: Rig) -> None:
    ana = user(MEMBER, "ana")
    await rig.slash("plan", "add", options=[opt("role", "copywriter"), opt("count", 2, 4)])
    await rig.fake.dispatch(
        "MESSAGE_CREATE", _message(f"<@{BOT_ID}> plan exportar md", GUILD_A, [BOT_USER], ana)
    )
    await rig.fake.wait_for(lambda: rig.fake.rest("POST", "/messages"))
    files = rig.fake.rest("POST", "/messages")[0].body["files"]
    assert "| Redactor (edición de textos) | 2 |" in files["shopcrew-plan.md"]
    body = await rig.slash("ask", options=[opt("question", "export the plan as csv")])
    assert body["files"]["shopcrew-plan.csv"].splitlines()[1] == (
        "copywriter,Copywriter (text editing),2"
    )
    assert "`/shopcrew plan export csv`" in text_of(body)


async def test_plain_words_in_a_mention_change_the_servers_plan(rig: Rig) -> None:
    ana = user(MEMBER, "ana")
    await rig.fake.dispatch("MESSAGE_CREATE", _message(
        f"<@{BOT_ID}> add 2 copywriters to the plan", GUILD_A, [BOT_USER], ana))  # fmt: skip
    await rig.fake.wait_for(lambda: rig.fake.rest("POST", "/messages"))
    assert rig.store.read(f"discord:{GUILD_A}").roles == {"copywriter": 2}
    assert "`/shopcrew plan add copywriter 2`" in text_of(
        rig.fake.rest("POST", "/messages")[0].body
    )


async def test_guilds_are_isolated_and_dms_are_personal(rig: Rig) -> None:
    await rig.slash("plan", "add", options=[opt("role", "art"), opt("count", 2, 4)], guild=GUILD_A)
    body = await rig.slash("plan", "show", guild=GUILD_B)
    assert "Art" not in text_of(body) and rig.store.read(f"discord:{GUILD_B}").roles == {}
    await rig.slash("plan", "add", options=[opt("role", "anchor")], guild=None)
    assert rig.store.read(f"discord:dm-{MEMBER}").roles == {"anchor": 1}
    assert rig.store.read(f"discord:{GUILD_A}").roles == {"art": 2}


async def test_locked_plan_refused_without_manage_server(rig: Rig) -> None:
    refused = await rig.slash("plan", "lock", uid=MEMBER)
    assert "Only workspace admins" in text_of(refused)
    await rig.slash("plan", "lock", uid=ADMIN, perms=MANAGE_GUILD)
    body = await rig.slash("plan", "add", options=[opt("role", "art")], uid=MEMBER)
    assert "locked" in text_of(body) and rig.store.read(f"discord:{GUILD_A}").roles == {}
    resolved = {"users": {MEMBER: user(MEMBER, "ana")}}
    await rig.slash("plan", "editors", options=[opt("action", "add"), opt("user", MEMBER, 6)],
                    uid=ADMIN, perms=MANAGE_GUILD, resolved=resolved)  # fmt: skip
    await rig.slash("plan", "add", options=[opt("role", "art")], uid=MEMBER)
    assert rig.store.read(f"discord:{GUILD_A}").roles == {"art": 1}


async def test_reconnect_resumes_and_commands_still_work(rig: Rig) -> None:
    await rig.fake.reconnect()
    await rig.fake.wait_for(lambda: rig.fake.resumes)
    assert rig.fake.resumes[0]["session_id"] == "session-1"
    body = await rig.slash("ask", options=[opt("question", "hola")])
    assert "Soy ShopCrew" in text_of(body)


async def test_a_failing_command_gets_an_apology_not_silence(rig: Rig) -> None:
    # Options the code does not know (an out-of-date command) make discord.py raise.
    body = await rig.slash("plan", "stores", options=[opt("bogus", 2, 4)])
    assert body["type"] == 4 and "something went wrong" in body["data"]["content"]


async def test_sharded_client_identifies_each_configured_shard(tmp_path: Path) -> None:
    fake = FakeDiscord()
    await fake.start()
    settings = Settings.model_validate({"DISCORD_TOKEN": TOKEN, "SHOPCREW_DISCORD_API_URL": fake.api_url,
                                        "SHOPCREW_DISCORD_GATEWAY_URL": fake.gateway_url,
                                        "SHOPCREW_DISCORD_SHARD_COUNT": 4,
                                        "SHOPCREW_DISCORD_SHARD_IDS": "1,3"})  # fmt: skip
    storage = open_storage(tmp_path / "shards.db")
    adapter = _adapter(storage, settings)
    assert isinstance(adapter.client, discord.AutoShardedClient)
    await adapter.start()
    try:
        await fake.wait_for(lambda: len(fake.identifies) == 2, timeout=30)
        assert sorted(tuple(i["shard"]) for i in fake.identifies) == [(1, 4), (3, 4)]
        await asyncio.wait_for(adapter.client.wait_until_ready(), 30)
        assert await adapter.connected()
    finally:
        await stop(adapter, storage)
        await fake.stop()
