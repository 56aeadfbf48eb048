"""`shopcrew run` with Slack and Discord configured: both adapters in one process, one database."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.adapters import fake_discord, fake_slack
from tests.adapters.fake_common import free_port, wait_for_http
from tests.adapters.fake_discord import FakeDiscord
from tests.adapters.fake_slack import FakeSlack


async def test_run_starts_every_configured_adapter_in_one_process(tmp_path: Path) -> None:
    slack, discord = FakeSlack(), FakeDiscord()
    await slack.start()
    await discord.start()
    port = free_port()
    env = dict(
        os.environ,
        SHOPCREW_DB=str(tmp_path / "one.db"),
        SLACK_BOT_TOKEN=fake_slack.BOT_TOKEN,
        SLACK_SIGNING_SECRET=fake_slack.SIGNING_SECRET,
        SHOPCREW_SLACK_MODE="http",
        SHOPCREW_SLACK_HOST="127.0.0.1",
        SHOPCREW_SLACK_PORT=str(port),
        SHOPCREW_SLACK_API_URL=slack.api_url,
        DISCORD_TOKEN=fake_discord.TOKEN,
        SHOPCREW_DISCORD_API_URL=discord.api_url,
        SHOPCREW_DISCORD_GATEWAY_URL=discord.gateway_url,
    )
    env.pop("SLACK_APP_TOKEN", None)
    exe = str(Path(sys.executable).parent / "shopcrew")
    proc = await asyncio.create_subprocess_exec(
        exe, "run", env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        await discord.wait_for(lambda: discord.identifies, timeout=20)
        body = json.dumps({"team_id": "T1", "type": "event_callback", "event_id": "Ev1",
                           "event": {"type": "app_mention", "user": "U1", "ts": "1.1", "channel": "C1",
                                     "text": f"<@{fake_slack.BOT_USER}> plan add art 2"}})  # fmt: skip
        await wait_for_http(f"http://127.0.0.1:{port}/healthz", process=proc, statuses=(200,))
        ts = str(int(time.time()))
        sig = SignatureVerifier(fake_slack.SIGNING_SECRET).generate_signature(
            timestamp=ts, body=body
        )
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": sig}  # fmt: skip
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{port}/slack/events"
            async with session.post(url, data=body, headers=headers) as r:
                assert r.status == 200
        await slack.wait_for(lambda: slack.posted(), timeout=10)
        assert "Added 2 people to Art" in slack.posted()[0]["text"]
        assert discord.rest("PUT", "/commands")  # the Discord side logged in and synced
    finally:
        proc.terminate()
        await proc.wait()
        await slack.stop()
        await discord.stop()
