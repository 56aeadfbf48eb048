"""The running process: health, readiness, metrics, logs without secrets, and a clean SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
from slack_sdk.signature import SignatureVerifier

from adapters.discord.app import DiscordAdapter
from adapters.runner import Runtime
from bot.settings import load_settings
from bot.storage import open_storage
from tests.adapters import fake_discord, fake_slack
from tests.adapters.fake_common import free_port, wait_for_http
from tests.adapters.fake_discord import FakeDiscord
from tests.adapters.fake_slack import FakeSlack


def _signed(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    sig = SignatureVerifier(fake_slack.SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sig,
    }


def _event(text: str, event_id: str, ts: str = "1.1") -> str:
    return json.dumps({"team_id": "T1", "type": "event_callback", "event_id": event_id,
                       "event": {"type": "app_mention", "user": "U1", "ts": ts, "channel": "C1",
                                 "text": f"<@{fake_slack.BOT_USER}> {text}"}})  # fmt: skip


async def test_health_readiness_and_metrics_in_a_scripted_session(tmp_path: Path) -> None:
    slack, discord = FakeSlack(), FakeDiscord()
    await slack.start()
    await discord.start()
    port = free_port()
    settings = load_settings(
        SLACK_BOT_TOKEN=fake_slack.BOT_TOKEN, SLACK_SIGNING_SECRET=fake_slack.SIGNING_SECRET,
        SHOPCREW_SLACK_MODE="http", SHOPCREW_SLACK_HOST="127.0.0.1", SHOPCREW_SLACK_PORT=port,
        SHOPCREW_SLACK_API_URL=slack.api_url, DISCORD_TOKEN=fake_discord.TOKEN,
        SHOPCREW_DISCORD_API_URL=discord.api_url, SHOPCREW_DISCORD_GATEWAY_URL=discord.gateway_url,
    )  # fmt: skip
    storage = open_storage(tmp_path / "r.db")
    runtime = Runtime(settings, storage, slack=True, discord=True)
    discord_adapter = runtime.adapter("discord")
    assert isinstance(discord_adapter, DiscordAdapter)
    discord_adapter.client._connection.guild_ready_timeout = 0.1  # no 2 s wait in tests
    await runtime.start()
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/healthz") as r:
                assert r.status == 200
            await asyncio.wait_for(discord_adapter.client.wait_until_ready(), 15)
            async with http.get(f"{base}/readyz") as r:
                assert r.status == 200 and (await r.json())["checks"] == {
                    "database": True, "slack": True, "discord": True}  # fmt: skip
            for i, text in enumerate(
                ["plan add art 2", "¿qué hace el ancla?", "hola", "plan add art 1"]
            ):
                async with http.post(
                    f"{base}/slack/events",
                    data=_event(text, f"E{i}"),
                    headers=_signed(_event(text, f"E{i}")),
                ) as r:
                    assert r.status == 200
            retry = _event("hola", "E2")
            async with http.post(
                f"{base}/slack/events",
                data=retry,
                headers=_signed(retry) | {"X-Slack-Retry-Num": "1"},
            ) as r:
                assert r.status == 200
            await slack.wait_for(lambda: len(slack.posted()) >= 4)
            await discord.reconnect()
            await discord.wait_for(lambda: discord.resumes)
            await asyncio.wait_for(
                _until(lambda: runtime.metrics.discord_reconnects._value.get() >= 1), 10
            )
            async with http.get(f"{base}/metrics") as r:
                metrics = await r.text()
            assert (
                'shopcrew_answers_total{intent="plan",language="en",platform="slack"} 2.0'
                in metrics
            )
            assert (
                'shopcrew_answers_total{intent="role_duties",language="es",platform="slack"} 1.0'
                in metrics
            )
            assert 'shopcrew_plan_changes_total{platform="slack"} 2.0' in metrics
            assert "shopcrew_slack_retries_dropped_total 1.0" in metrics
            assert "shopcrew_discord_reconnects_total 1.0" in metrics
            assert "shopcrew_answer_seconds_count 4.0" in metrics
            # A database that stops taking writes (SQLite's "readonly database" error on the
            # service's own connection): the change is refused politely, and the process is
            # not ready until a write works again.
            storage.database.db.conn.execute("PRAGMA query_only = ON")
            change = _event("plan add art 5", "E9", ts="9.9")
            async with http.post(f"{base}/slack/events", data=change, headers=_signed(change)):
                pass
            await slack.wait_for(lambda: len(slack.posted()) >= 5)
            assert "can't save changes" in slack.posted()[-1]["text"]
            # A disconnected adapter too makes the process not ready.
            await discord.stop()
            await asyncio.wait_for(
                _until(
                    lambda: (
                        not discord_adapter.client.is_ready()
                        or discord_adapter.client.ws is None
                        or not discord_adapter.client.ws.open
                    )
                ),
                10,
            )
            async with http.get(f"{base}/readyz") as r:
                body = await r.json()
                assert r.status == 503 and body["checks"]["database"] is False
                assert body["checks"]["discord"] is False and body["checks"]["slack"] is True
            async with http.get(f"{base}/healthz") as r:
                assert r.status == 200  # alive, just not ready
            storage.database.db.conn.execute("PRAGMA query_only = OFF")
            async with http.get(f"{base}/readyz") as r:
                assert (await r.json())["checks"]["database"] is True  # writes work again
    finally:
        await runtime.stop()
        await slack.stop()


async def _until(predicate: Any) -> None:
    while not predicate():  # bounded by the caller's wait_for
        await asyncio.sleep(0.02)


async def test_sigterm_during_a_burst_loses_no_committed_change(tmp_path: Path) -> None:
    slack = FakeSlack()
    await slack.start()
    port = free_port()
    db = tmp_path / "t.db"
    secret_tail = "UNIQUE-TAIL-SHOULD-NOT-BE-LOGGED"
    env = dict(os.environ, SHOPCREW_DB=str(db), SLACK_BOT_TOKEN=fake_slack.BOT_TOKEN,
               SLACK_SIGNING_SECRET=fake_slack.SIGNING_SECRET, SHOPCREW_SLACK_MODE="http",
               SHOPCREW_SLACK_HOST="127.0.0.1", SHOPCREW_SLACK_PORT=str(port),
               SHOPCREW_SLACK_API_URL=slack.api_url, SHOPCREW_LOG_FORMAT="json")  # fmt: skip
    env.pop("SLACK_APP_TOKEN", None)
    exe = str(Path(sys.executable).parent / "shopcrew")
    # Logs go to a file: an unread pipe fills up and blocks the server (a bug this test once had).
    log_file = (tmp_path / "server.log").open("wb")
    proc = await asyncio.create_subprocess_exec(
        exe, "run", env=env, stdout=asyncio.subprocess.DEVNULL, stderr=log_file
    )
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        await wait_for_http(f"http://127.0.0.1:{port}/healthz", process=proc, statuses=(200,))
        async with aiohttp.ClientSession() as http:

            async def send(i: int) -> int:
                body = _event(
                    f"plan add art 1 {secret_tail}" if i == 0 else "plan add art 1",
                    f"B{i}",
                    f"{i}.1",
                )
                try:
                    async with http.post(url, data=body, headers=_signed(body)) as r:
                        return r.status
                except aiohttp.ClientError:
                    return 0  # refused after the stop began: fine, it was never taken

            burst = [asyncio.create_task(send(i)) for i in range(400)]
            await slack.wait_for(lambda: len(slack.posted()) >= 10, timeout=20)
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            await asyncio.gather(*burst)
            code = await asyncio.wait_for(proc.wait(), 10)
            assert code == 0 and time.monotonic() - started < 10
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    log_file.close()
    logs = (tmp_path / "server.log").read_text()
    await slack.stop()
    storage = open_storage(db)
    committed = len(storage.plans.history("slack:T1", limit=10_000))
    art = storage.plans.read("slack:T1").roles.get("art", 0)
    replies = sum("Added 1 person to Art" in p["text"] for p in slack.posted())
    storage.close()
    print(f"burst: 400 sent, {committed} committed before SIGTERM stopped intake")
    assert art == committed >= 10  # every committed change is in the plan
    assert replies == committed  # and everyone whose change committed was told
    for secret in (fake_slack.BOT_TOKEN, fake_slack.SIGNING_SECRET, secret_tail):
        assert secret not in logs
    assert '"event": "stopped"' in logs
