"""``shopcrew slack --http`` killed (SIGKILL) while it answers an event: Slack, which got no
"200 OK", sends the event again, and the restarted process answers it, once."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.adapters.fake_common import free_port, wait_for_http
from tests.adapters.fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.adapters.slack_rigs import signed
from tests.adapters.test_slack_e2e import mention


@asynccontextmanager
async def shopcrew(
    fake: FakeSlack, db: Path, port: int
) -> AsyncIterator[asyncio.subprocess.Process]:
    """The real process in HTTP mode; killed (if still running) on the way out."""
    env = dict(os.environ, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
               SHOPCREW_SLACK_API_URL=fake.api_url, SHOPCREW_SLACK_HOST="127.0.0.1",
               SHOPCREW_DB=str(db))  # fmt: skip
    env.pop("SLACK_APP_TOKEN", None)
    exe = str(Path(sys.executable).parent / "shopcrew")
    proc = await asyncio.create_subprocess_exec(
        exe, "slack", "--http", "--port", str(port), env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        await wait_for_http(f"http://127.0.0.1:{port}/healthz", process=proc, statuses=(200,))
        yield proc
    finally:
        if proc.returncode is None:
            proc.kill()
        await proc.wait()


async def deliver(port: int, event: dict[str, Any], event_id: str, retry: int = 0) -> int:
    """Send an event as Slack does (signed; a retry says so); the HTTP status."""
    body = json.dumps({"team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                       "event_id": event_id, "event": event})  # fmt: skip
    headers = {"Content-Type": "application/json", **signed(body, str(int(time.time())))}
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_error"}
    url = f"http://127.0.0.1:{port}/slack/events"
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as r:
        return r.status


@pytest.mark.parametrize(
    ("text", "stuck_at", "roles"),
    [("what does copywriting do?", "chat.postMessage", {}),
     ("plan add art 1", "users.info", {"art": 1})],
)  # fmt: skip
async def test_an_event_cut_short_by_sigkill_is_answered_after_the_restart(
    tmp_path: Path, text: str, stuck_at: str, roles: dict[str, int]
) -> None:
    fake = FakeSlack()
    await fake.start()
    db, port = tmp_path / "crash.db", free_port()
    event = mention(text, ts="300.1")
    try:
        fake.hang.add(stuck_at)
        async with shopcrew(fake, db, port) as proc:
            first = asyncio.create_task(deliver(port, event, "EvCrash"))
            await fake.wait_for(lambda: fake.posted(f"{stuck_at}:hang"), timeout=20)
            proc.kill()  # half-way through the answer
            with pytest.raises(aiohttp.ClientError):
                await first  # no "200 OK": Slack will try again
        fake.hang.clear()
        async with shopcrew(fake, db, port):
            assert await deliver(port, event, "EvCrash", retry=1) == 200
            await fake.wait_for(lambda: fake.posted(), timeout=20)
            assert await deliver(port, event, "EvCrash", retry=2) == 200  # and only once
        assert len(fake.posted()) == 1 and fake.posted()[0]["thread_ts"] == "300.1"
    finally:
        await fake.stop()
    from bot.storage import open_storage

    storage = open_storage(db)
    try:
        assert storage.plans.read("slack:T1").roles == roles
    finally:
        storage.close()


async def test_a_change_cut_short_while_announced_is_never_applied_twice(tmp_path: Path) -> None:
    # The change was saved with its event's key, in one transaction: Slack's retry is dropped.
    # (Its announcement is what the crash lost: the plan's history still shows the change.)
    fake = FakeSlack()
    await fake.start()
    db, port = tmp_path / "crash.db", free_port()
    event = mention("plan add art 1", ts="301.1")
    try:
        fake.hang.add("chat.postMessage")
        async with shopcrew(fake, db, port) as proc:
            first = asyncio.create_task(deliver(port, event, "EvSaved"))
            await fake.wait_for(lambda: fake.posted("chat.postMessage:hang"), timeout=20)
            proc.kill()
            with pytest.raises(aiohttp.ClientError):
                await first
        fake.hang.clear()
        async with shopcrew(fake, db, port):
            assert await deliver(port, event, "EvSaved", retry=1) == 200
            assert await deliver(port, mention("hola", ts="302.1"), "EvNext") == 200
    finally:
        await fake.stop()
    from bot.storage import open_storage

    storage = open_storage(db)
    try:
        assert storage.plans.read("slack:T1").roles == {"art": 1}
    finally:
        storage.close()
