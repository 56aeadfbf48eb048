"""The real Slack adapter (slack-bolt) against a fake Slack on 127.0.0.1, with signed requests."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from slack_sdk.signature import SignatureVerifier

from adapters.slack.app import SlackAdapter
from adapters.slack.wellformed import VERIFICATION_LOGGER
from bot.core import Bot
from bot.plans.service import PlanService
from bot.plans.store import PlanStore
from bot.settings import Settings
from bot.storage import Storage, open_storage
from bot.strings import t
from tests.adapters.fake_common import free_port, wait_for_http
from tests.adapters.fake_slack import APP_TOKEN, BOT_TOKEN, BOT_USER, SIGNING_SECRET, FakeSlack


@dataclass
class Rig:
    fake: FakeSlack
    adapter: SlackAdapter
    storage: Storage
    url: str
    session: aiohttp.ClientSession
    db: Path

    @property
    def store(self) -> PlanStore:
        return self.storage.plans

    async def post(
        self,
        body: str,
        content_type: str = "application/json",
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        tamper: bool = False,
        headers: dict[str, str] | None = None,
    ) -> int:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
        sent = body + " " if tamper else body
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
            **(headers or {}),
        }
        async with self.session.post(self.url, data=sent.encode(), headers=all_headers) as resp:
            await resp.read()
            return resp.status

    async def event(self, event: dict[str, Any], event_id: str, team: str = "T1", **kw: Any) -> int:
        body = {"token": "t", "team_id": team, "api_app_id": "A1", "event": event,
                "type": "event_callback", "event_id": event_id, "event_time": int(time.time())}  # fmt: skip
        return await self.post(json.dumps(body), **kw)

    async def command(self, text: str, user: str = "U1", team: str = "T1", key: str = "r") -> int:
        form = {"token": "t", "team_id": team, "team_domain": "shop", "channel_id": "C1",
                "channel_name": "general", "user_id": user, "user_name": user,
                "command": "/shopcrew", "text": text, "api_app_id": "A1",
                "response_url": self.fake.response_url(key), "trigger_id": "1.2.3"}  # fmt: skip
        return await self.post(urlencode(form), "application/x-www-form-urlencoded")

    async def click(self, value: str, user: str = "U1") -> int:
        payload = {"type": "block_actions", "team": {"id": "T1"},
                   "user": {"id": user, "team_id": "T1"}, "api_app_id": "A1",
                   "channel": {"id": "C1"}, "trigger_id": "1.2.4",
                   "container": {"type": "message", "message_ts": "1.0", "channel_id": "C1"},
                   "response_url": self.fake.response_url("click"),
                   "actions": [{"action_id": "shopcrew_suggest_0", "block_id": "b", "type": "button",
                                "value": value, "action_ts": "1.1",
                                "text": {"type": "plain_text", "text": value}}]}  # fmt: skip
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )


def _settings(fake: FakeSlack, db: Path, mode: str) -> Settings:
    return Settings.model_validate(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SHOPCREW_SLACK_API_URL": fake.api_url,
            "SHOPCREW_SLACK_MODE": mode,
            "SHOPCREW_DB": str(db),
        }
    )


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    fake = FakeSlack(admins={"UADMIN"})
    await fake.start()
    db = tmp_path / "shopcrew.db"
    storage = open_storage(db)
    settings = _settings(fake, db, "http").model_copy(
        update={"slack_host": "127.0.0.1", "slack_port": free_port()}
    )
    adapter = SlackAdapter(Bot(plans=PlanService(storage.plans)), storage.events, settings)
    await adapter.start()
    url = f"http://127.0.0.1:{settings.slack_port}/slack/events"
    async with aiohttp.ClientSession() as session:
        yield Rig(fake, adapter, storage, url, session, db)
    await adapter.stop()
    storage.close()
    await fake.stop()


def mention(text: str, ts: str = "100.1", channel: str = "C1", user: str = "U1") -> dict[str, Any]:
    return {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}", "ts": ts,
            "channel": channel, "event_ts": ts}  # fmt: skip


async def test_mention_is_answered_in_thread_with_blocks(rig: Rig) -> None:
    assert await rig.event(mention("what does copywriting do?"), "Ev1") == 200
    await rig.fake.wait_for(lambda: rig.fake.posted())
    post = rig.fake.posted()[0]
    assert post["channel"] == "C1" and post["thread_ts"] == "100.1"
    blocks = post["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Copywriter (text editing)"},
    }
    assert any("product titles" in b.get("text", {}).get("text", "") for b in blocks)
    assert blocks[-1]["type"] == "actions"


async def test_dm_is_answered_directly_and_bots_are_ignored(rig: Rig) -> None:
    dm = {"type": "message", "channel_type": "im", "user": "U1", "text": "hola", "ts": "5.1",
          "channel": "D1", "event_ts": "5.1"}  # fmt: skip
    await rig.event(dm | {"bot_id": "B9", "user": "U9"}, "EvBot")
    await rig.event(dm | {"user": BOT_USER}, "EvSelf")
    await rig.event({**dm, "channel_type": "channel", "channel": "C1"}, "EvChannel")
    await rig.event(dm, "EvDM")
    await rig.fake.wait_for(lambda: rig.fake.posted())
    posts = rig.fake.posted()
    assert len(posts) == 1 and posts[0]["channel"] == "D1" and "thread_ts" not in posts[0]
    assert "Soy ShopCrew" in posts[0]["text"]


async def test_every_plan_command_through_slash(rig: Rig) -> None:
    commands = ["plan add copywriter 2", "plan añadir diseñador", "plan remove copy", "plan set ops 3",
                "plan stores 2", "plan stage mature", "plan channels live", "plan recommend",
                "plan check", "plan history", "plan undo", "plan export csv", "plan export md",
                "plan reset", "plan reset confirm", "plan undo", "plan lang es", "plan show"]  # fmt: skip
    for i, text in enumerate(commands):
        assert await rig.command(text, key=f"k{i}") == 200
        await rig.fake.wait_for(lambda n=i: len({r["_key"] for r in _keyed(rig)}) > n)
    kinds = {r["_key"]: r["response_type"] for r in _keyed(rig)}
    assert kinds["k0"] == "in_channel"  # plan changes are announced
    assert kinds["k8"] == "ephemeral"  # a check is for the asker
    state = rig.store.read("slack:T1")
    assert state.stage == "mature" and state.lang == "es" and state.roles


def _keyed(rig: Rig) -> list[dict[str, Any]]:
    return rig.fake.responses


def _block_text(message: dict[str, Any]) -> str:
    return "\n".join(b.get("text", {}).get("text", "") for b in message["blocks"])


async def test_plan_exports_arrive_as_their_table_in_both_languages(rig: Rig) -> None:
    await rig.command("plan add copywriter 2", key="add")
    await rig.fake.wait_for(lambda: rig.fake.responses)  # commands are answered after the ack
    for i, text in enumerate(["plan export md", "plan exportar csv", "plan export csv"]):
        await rig.command(text, key=f"x{i}")
    await rig.fake.wait_for(lambda: len(rig.fake.responses) >= 4)
    by_key = {r["_key"]: _block_text(r) for r in rig.fake.responses}
    assert "| Copywriter (text editing) | 2 |" in by_key["x0"]
    assert "copywriter,Redactor (edición de textos),2" in by_key["x1"]
    assert "copywriter,Copywriter (text editing),2" in by_key["x2"]
    assert all("```" in by_key[k] for k in ("x0", "x1", "x2"))  # a code block, not a header


async def test_plain_words_run_the_plan_command_and_say_which(rig: Rig) -> None:
    await rig.event(mention("agrega 2 diseñadores al plan"), "EvPlain1")
    await rig.fake.wait_for(lambda: rig.fake.posted())
    assert rig.store.read("slack:T1").roles == {"art": 2}
    await rig.event(mention("export the plan", ts="100.2"), "EvPlain2")
    await rig.fake.wait_for(lambda: len(rig.fake.posted()) >= 2)
    first, second = rig.fake.posted()[:2]
    assert "`/shopcrew plan agregar arte 2`" in _block_text(first)
    assert "`/shopcrew plan export md`" in _block_text(second)
    assert "| Art (designer) | 2 |" in _block_text(second)


async def test_questions_are_ephemeral_unless_public(rig: Rig) -> None:
    await rig.command("how many people for two stores?")
    await rig.fake.wait_for(lambda: rig.fake.responses)
    first = rig.fake.responses[0]
    assert first["response_type"] == "ephemeral" and first["blocks"][0]["type"] == "header"
    await rig.command("public ¿qué hace el ancla?")
    await rig.fake.wait_for(lambda: len(rig.fake.responses) >= 2)
    assert rig.fake.responses[-1]["response_type"] == "in_channel"


async def test_button_click_runs_the_suggestion(rig: Rig) -> None:
    await rig.command("plan add art 2")
    await rig.fake.wait_for(lambda: rig.fake.responses)
    assert await rig.click("plan show") == 200
    await rig.fake.wait_for(lambda: len(rig.fake.responses) >= 2)
    text = rig.fake.responses[-1]["text"]
    assert "Team plan" in text and "Art" in text


async def test_details_button_explains_the_sizing_to_anyone_in_the_channel(rig: Rig) -> None:
    assert await rig.event(mention("how many people for two stores?"), "EvSize") == 200
    await rig.fake.wait_for(lambda: rig.fake.posted())
    post = rig.fake.posted()[0]
    title = post["blocks"][0]["text"]["text"]
    buttons = next(b for b in post["blocks"] if b["type"] == "actions")["elements"]
    details = next(b for b in buttons if b["text"]["text"] == t("en", "suggest.details"))
    assert "per seat, rounded up" not in post["text"]  # the short answer keeps the reasoning back
    assert await rig.click(details["value"], user="U2") == 200  # someone else clicks
    await rig.fake.wait_for(lambda: rig.fake.responses)
    text = rig.fake.responses[-1]["text"]
    assert text.startswith(t("en", "size.details.title", title=title))
    assert "per seat, rounded up" in text


@pytest.mark.parametrize("bad", ["secret", "stale", "tampered", "missing"])
async def test_bad_requests_are_rejected_and_change_nothing(rig: Rig, bad: str) -> None:
    body = json.dumps({"team_id": "T1", "type": "event_callback", "event_id": "EvBad",
                       "event": mention("plan add art 5")})  # fmt: skip
    if bad == "secret":
        status = await rig.post(body, secret="wrong")
    elif bad == "stale":
        status = await rig.post(body, timestamp=int(time.time()) - 301)
    elif bad == "tampered":
        status = await rig.post(body, tamper=True)
    else:
        async with rig.session.post(rig.url, data=body) as resp:
            status = resp.status
    assert status == 401
    # A valid request afterwards is answered: the bad one left no trace.
    await rig.event(mention("hola"), "EvGood")
    await rig.fake.wait_for(lambda: rig.fake.posted())
    assert len(rig.fake.posted()) == 1
    assert rig.store.read("slack:T1").roles == {}


async def test_retried_event_is_answered_once_even_after_a_restart(rig: Rig) -> None:
    event = mention("plan add art 1")
    await rig.event(event, "EvR")
    await rig.fake.wait_for(lambda: rig.fake.posted())
    await rig.event(
        event, "EvR", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    # The same database opened again (a restart) still knows the event.
    again = open_storage(rig.db)
    assert not again.events.first_time("slack:EvR")
    again.close()
    await rig.event(mention("hola", ts="200.1"), "EvNext")
    await rig.fake.wait_for(lambda: len(rig.fake.posted()) >= 2)
    assert len(rig.fake.posted()) == 2
    assert rig.store.read("slack:T1").roles == {"art": 1}
    assert rig.adapter.retries_dropped == 1


async def test_ratelimited_web_api_is_retried(rig: Rig) -> None:
    rig.fake.ratelimit["chat.postMessage"] = 1
    await rig.event(mention("hola"), "EvRate")
    await rig.fake.wait_for(lambda: rig.fake.posted(), timeout=10)
    methods = [c.method for c in rig.fake.calls]
    assert methods.index("chat.postMessage:429") < methods.index("chat.postMessage")


async def test_web_api_errors_are_logged_and_apologised(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    rig.fake.fail["chat.postMessage"] = "msg_too_long"
    await rig.event(mention("hola"), "EvFail")
    await rig.fake.wait_for(lambda: len(rig.fake.posted()) >= 2)
    assert rig.fake.posted()[-1]["text"] == t("es", "error.title")  # asked in Spanish
    assert "msg_too_long" in caplog.text


async def test_workspaces_are_isolated(rig: Rig) -> None:
    await rig.command("plan add art 3", team="T1", key="a")
    await rig.command("plan show", team="T2", key="b")
    await rig.fake.wait_for(lambda: len(rig.fake.responses) >= 2)
    assert rig.store.read("slack:T1").roles == {"art": 3}
    assert rig.store.read("slack:T2").roles == {}
    # Commands are answered after their acknowledgement, in whichever order they finish.
    shown = next(r for r in rig.fake.responses if r["_key"] == "b")
    assert "Art" not in shown["text"]


async def test_lock_needs_a_workspace_admin(rig: Rig) -> None:
    await rig.command("plan lock", user="U1", key="a")
    await rig.fake.wait_for(lambda: rig.fake.responses)
    assert "Only workspace admins" in rig.fake.responses[-1]["text"]
    await rig.command("plan lock", user="UADMIN", key="b")
    await rig.fake.wait_for(lambda: len(rig.fake.responses) >= 2)
    assert rig.store.read("slack:T1").locked
    await rig.command("plan add art", user="U1", key="c")
    await rig.fake.wait_for(lambda: len(rig.fake.responses) >= 3)
    assert "locked" in rig.fake.responses[-1]["text"]
    users_info = rig.fake.posted("users.info")
    assert len(users_info) == 2  # one lookup per user, then cached
    await rig.command("plan unlock", user="UADMIN", key="d")
    await rig.fake.wait_for(lambda: len(rig.fake.responses) >= 4)
    assert len(rig.fake.posted("users.info")) == 2


async def test_socket_mode_connect_event_disconnect_reconnect(tmp_path: Path) -> None:
    fake = FakeSlack()
    await fake.start()
    storage = open_storage(tmp_path / "s.db")
    adapter = SlackAdapter(
        Bot(plans=PlanService(storage.plans)),
        storage.events,
        _settings(fake, tmp_path / "s.db", "socket"),
    )
    handler = adapter.socket_handler()
    await handler.connect_async()
    try:
        await fake.wait_for(lambda: fake.connections == 1)
        envelope = {"envelope_id": "env1", "type": "events_api", "accepts_response_payload": False,
                    "retry_attempt": 0, "retry_reason": "",
                    "payload": {"team_id": "T1", "type": "event_callback", "event_id": "EvS1",
                                "event": mention("what does copywriting do?")}}  # fmt: skip
        await fake.push(envelope)
        await fake.wait_for(lambda: "env1" in fake.acks and fake.posted())
        await fake.disconnect()
        await fake.wait_for(lambda: fake.connections == 2, timeout=10)
        retry = envelope | {"envelope_id": "env2", "retry_attempt": 1, "retry_reason": "timeout"}
        await fake.push(retry)  # Socket Mode retries carry the same event id: no second answer
        fresh = envelope | {"envelope_id": "env3",
                            "payload": envelope["payload"] | {"event_id": "EvS2",
                                                              "event": mention("hola", ts="9.9")}}  # fmt: skip
        await fake.push(fresh)
        await fake.wait_for(lambda: "env3" in fake.acks and len(fake.posted()) >= 2, timeout=10)
        assert "env2" in fake.acks and len(fake.posted()) == 2
    finally:
        await handler.close_async()
        await adapter.close()
        storage.close()
        await fake.stop()


async def test_shopcrew_slack_http_process_serves_signed_events(tmp_path: Path) -> None:
    # The README's start command path: `shopcrew slack --http` as a real process.
    import os
    import sys

    fake = FakeSlack()
    await fake.start()
    port = free_port()
    env = dict(os.environ, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
               SHOPCREW_SLACK_API_URL=fake.api_url, SHOPCREW_SLACK_HOST="127.0.0.1",
               SHOPCREW_DB=str(tmp_path / "p.db"))  # fmt: skip
    env.pop("SLACK_APP_TOKEN", None)
    exe = str(Path(sys.executable).parent / "shopcrew")
    proc = await asyncio.create_subprocess_exec(
        exe, "slack", "--http", "--port", str(port), env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/slack/events"
        body = json.dumps({"team_id": "T1", "type": "event_callback", "event_id": "EvP",
                           "event": mention("how many people for two stores?")})  # fmt: skip
        await wait_for_http(f"http://127.0.0.1:{port}/healthz", process=proc, statuses=(200,))
        ts = str(int(time.time()))
        sig = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": sig}  # fmt: skip
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=body, headers=headers) as resp,
        ):
            assert resp.status == 200
        await fake.wait_for(lambda: fake.posted(), timeout=10)
        assert fake.posted()[0]["blocks"][0]["text"]["text"] == "Team for 2 stores (new)"
    finally:
        proc.terminate()
        await proc.wait()
        await fake.stop()


async def test_network_failures_are_logged_not_raised(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    # A test that exists because of a bug: connection errors escaped the apology path.
    logged = asyncio.Event()
    loop = asyncio.get_running_loop()

    class Seen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "apology after chat.postMessage failed too" in record.getMessage():
                loop.call_soon_threadsafe(logged.set)

    seen = Seen()
    logging.getLogger("shopcrew.slack").addHandler(seen)
    try:
        rig.fake.drop.add("chat.postMessage")
        await rig.event(mention("hola"), "EvDrop")
        apology = t("es", "error.title")  # "hola" was Spanish
        await rig.fake.wait_for(lambda: any(p.get("text") == apology for p in rig.fake.posted()))
        await asyncio.wait_for(logged.wait(), 10)  # the log line follows the fake's reset
    finally:
        logging.getLogger("shopcrew.slack").removeHandler(seen)
    assert "Slack chat.postMessage failed" in caplog.text


async def test_requests_no_listener_takes_do_not_stay_in_flight(rig: Rig) -> None:
    # An event type ShopCrew has no listener for (the manifest subscribes none) gets bolt's
    # "unhandled" answer, and its in-flight count ends, so a shutdown never waits for it.
    reaction = {"type": "reaction_added", "user": "U1", "reaction": "tada",
                "item": {"type": "message", "channel": "C1", "ts": "1.1"}, "event_ts": "2.2"}  # fmt: skip
    assert await rig.event(reaction, "EvReact") == 404
    assert await rig.adapter.inflight.idle(5)
    await rig.event(mention("hola"), "EvAfter")
    await rig.fake.wait_for(lambda: rig.fake.posted())
    assert await rig.adapter.inflight.idle(5) and rig.adapter.inflight.count == 0


async def test_a_stopping_adapter_refuses_new_work(rig: Rig) -> None:
    # Once shutdown starts, a request that still arrives is refused (Slack retries it later)
    # and changes nothing.
    rig.adapter.inflight.accepting = False
    assert await rig.event(mention("plan add art 2"), "EvLate") == 503
    assert rig.store.read("slack:T1").roles == {}
    assert rig.adapter.inflight.count == 0


async def test_echoed_mentions_never_ping_anyone(rig: Rig) -> None:
    # A mention and a public slash command both echo the unknown role "<!channel>" back.
    assert await rig.event(mention("plan add <!channel> 2"), "EvPing") == 200
    assert await rig.command("public plan add <!here> 2", key="ping") == 200
    await rig.fake.wait_for(lambda: rig.fake.posted() and _keyed(rig))
    sent = json.dumps([*rig.fake.posted(), *_keyed(rig)])
    assert "<!channel>" not in sent and "<!here>" not in sent
    assert "&lt;!channel&gt;" in sent  # shown, as typed, without the ping


@pytest.mark.parametrize("stamp", ["abc", "9" * 5000, "1e9", ""])
async def test_an_unreadable_timestamp_is_401_not_500(rig: Rig, stamp: str) -> None:
    body = json.dumps({"type": "event_callback", "event_id": "EvTs", "event": mention("hola")})
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": "v0=abc"}  # fmt: skip
    async with rig.session.post(rig.url, data=body.encode(), headers=headers) as resp:
        assert resp.status == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"{", "application/json"), (b"\xff\xfe", "application/json"),
     (b"payload=%7B", "application/x-www-form-urlencoded"), (b"[1, 2]", "application/json")],
)  # fmt: skip
async def test_a_signed_body_bolt_cannot_read_is_400_not_500(
    rig: Rig, body: bytes, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(
        timestamp=stamp, body=body.decode("latin-1")
    )
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": signature}  # fmt: skip
    async with rig.session.post(rig.url, data=body, headers=headers) as resp:
        assert resp.status == 400
    refused = [r for r in caplog.records if "malformed Slack request" in r.getMessage()]
    assert len(refused) == 1 and len(refused[0].getMessage()) < 120  # one short line, no body
    # A good request afterwards is answered as usual.
    assert await rig.event(mention("hola"), "EvAfter") == 200
    await rig.fake.wait_for(lambda: rig.fake.posted())


async def test_forged_requests_do_not_flood_the_log(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    # Bolt set its loggers' level from the root's when the app was built: as in production.
    caplog.set_level(logging.INFO, logger=VERIFICATION_LOGGER)
    body = json.dumps({"type": "event_callback", "event_id": "EvFlood",
                       "event": mention("x" * 100_000 + "\nINFO fake line")})  # fmt: skip
    for _ in range(30):
        assert await rig.post(body, secret="wrong") == 401
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("slack_bolt")]
    # One short line for the burst, without the body; the rest are counted, not written.
    assert len(lines) == 1 and len(lines[0]) < 120 and "xxx" not in lines[0]
