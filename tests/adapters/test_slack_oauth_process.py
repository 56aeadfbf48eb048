"""A distributed ShopCrew as it runs for real: ``shopcrew slack --http`` as a process, and Socket
Mode (whose install pages are on the operations port), against the fake Slack."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import aiohttp

from adapters.runner import Runtime
from bot.settings import load_settings
from bot.storage import open_storage
from tests.adapters.fake_common import free_port, wait_for_http
from tests.adapters.fake_slack import APP_TOKEN, FakeSlack
from tests.adapters.fake_slack_oauth import Grant
from tests.adapters.slack_oauth_rig import Browser, event_body, mention, oauth_env, post_signed

T1, T2 = Grant(team="T1"), Grant(team="T2")


async def test_shopcrew_slack_http_serves_two_workspaces_each_with_its_own_token(
    tmp_path: Path,
) -> None:
    fake = FakeSlack()
    await fake.start()
    port = free_port()
    env = {**os.environ, **oauth_env(fake), "SHOPCREW_SLACK_HOST": "127.0.0.1",
           "SHOPCREW_DB": str(tmp_path / "p.db")}  # fmt: skip
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SHOPCREW_DATABASE_URL"):
        env.pop(name, None)
    exe = str(Path(sys.executable).parent / "shopcrew")
    proc = await asyncio.create_subprocess_exec(
        exe, "slack", "--http", "--port", str(port), env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    events = f"{base}/slack/events"
    try:
        await wait_for_http(f"{base}/healthz", process=proc, statuses=(200,))
        async with aiohttp.ClientSession() as session:
            browser = Browser(session, base, fake)
            assert (await browser.install(T1))[0] == 200
            assert (await browser.install(T2))[0] == 200
            for grant, channel in ((T1, "C-T1"), (T2, "C-T2")):
                body = event_body(grant, mention(grant, "plan add art 2", channel), f"E{channel}")
                assert await post_signed(session, events, body) == 200
            await fake.wait_for(lambda: len(fake.posted()) == 2, timeout=10)
            for call in (c for c in fake.calls if c.method == "chat.postMessage"):
                team = call.args["channel"].removeprefix("C-")
                assert call.token == fake.oauth.token_of(team)  # each with its own token

            fake.oauth.revoke("T1")
            gone = event_body(T1, {"type": "app_uninstalled"}, "EvGone")
            assert await post_signed(session, events, gone) == 200
            late = event_body(T1, mention(T1, "plan show", "C-T1", "2.2"), "EvLate")
            assert await post_signed(session, events, late) == 200  # handled: no reply
            assert len(fake.posted()) == 2
    finally:
        proc.terminate()
        _, err = await proc.communicate()
        await fake.stop()
    log = err.decode()
    assert proc.returncode == 0, log
    assert log.count("which has no installation") == 1 and "Traceback" not in log
    assert fake.oauth.token_of("T2") not in log  # tokens never reach the log


async def test_socket_mode_serves_the_install_pages_on_the_operations_port(
    tmp_path: Path,
) -> None:
    fake = FakeSlack()
    await fake.start()
    http_port = free_port()
    settings = load_settings(**{
        **oauth_env(fake), "SHOPCREW_SLACK_MODE": "socket", "SLACK_APP_TOKEN": APP_TOKEN,
        "SHOPCREW_HTTP_HOST": "127.0.0.1", "SHOPCREW_HTTP_PORT": str(http_port),
    })  # fmt: skip
    storage = open_storage(tmp_path / "s.db")
    runtime = Runtime(settings, storage, slack=True, discord=False)
    await runtime.start()
    try:
        await fake.wait_for(lambda: fake.connections == 1)
        async with aiohttp.ClientSession() as session:
            browser = Browser(session, f"http://127.0.0.1:{http_port}", fake)
            status, page = await browser.install(T1)
            assert status == 200 and "ShopCrew is installed" in page
            async with session.get(f"http://127.0.0.1:{http_port}/healthz") as r:
                assert r.status == 200  # the operations routes are still there
        payload = json.loads(event_body(T1, mention(T1, "hola", "C-T1"), "EvSock"))
        await fake.push({"envelope_id": "env1", "type": "events_api", "payload": payload,
                         "accepts_response_payload": False, "retry_attempt": 0,
                         "retry_reason": ""})  # fmt: skip
        await fake.wait_for(lambda: fake.posted() and "env1" in fake.acks)
        post = next(c for c in fake.calls if c.method == "chat.postMessage")
        assert post.token == fake.oauth.token_of("T1")
    finally:
        await runtime.stop()
        await fake.stop()


def test_config_check_says_the_app_is_distributed(tmp_path: Path) -> None:
    import subprocess

    env = {**os.environ, "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s3cr3t-value",
           "SLACK_SIGNING_SECRET": "x", "SHOPCREW_SLACK_MODE": "http"}  # fmt: skip
    env.pop("SLACK_BOT_TOKEN", None)
    exe = str(Path(sys.executable).parent / "shopcrew")
    ok = subprocess.run([exe, "config", "check"], env=env, capture_output=True, text=True,
                        cwd=tmp_path, timeout=60)  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert "s3cr3t-value" not in ok.stdout and "slack (OAuth: /slack/install)" in ok.stdout
    both = subprocess.run([exe, "config", "check"], env={**env, "SLACK_BOT_TOKEN": "xoxb-1"},
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)  # fmt: skip
    assert both.returncode == 1
    assert "SLACK_BOT_TOKEN: set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID" in (
        both.stderr
    )
