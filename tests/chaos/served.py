"""ShopCrew as a real process (``shopcrew run``, Slack in HTTP mode) against the fake Slack.

The chaos tests attack the process from outside, as an operator's faults and a hostile network
would: its event loop is not the test's, so a stall in ShopCrew cannot hide behind one in the
test. Everything is on 127.0.0.1 and bounded.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.adapters import fake_slack
from tests.adapters.fake_common import free_port, wait_for_http
from tests.adapters.fake_slack import FakeSlack

EXE = str(Path(sys.executable).parent / "shopcrew")


@dataclass
class Served:
    """A running ``shopcrew run`` process, its fake Slack, and an HTTP client for both."""

    proc: asyncio.subprocess.Process
    fake: FakeSlack
    http: aiohttp.ClientSession
    base: str
    log: Path
    db: Path
    sent: int = field(default=0)

    async def post(self, body: str, content_type: str = "application/json") -> int:
        """A request signed with the app's secret; returns the HTTP status."""
        ts = str(int(time.time()))
        verifier = SignatureVerifier(fake_slack.SIGNING_SECRET)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": verifier.generate_signature(timestamp=ts, body=body),
        }
        async with self.http.post(f"{self.base}/slack/events", data=body, headers=headers) as r:
            await r.read()
            return r.status

    async def mention(self, text: str, team: str = "T1") -> int:
        """``@ShopCrew text`` in channel C1, as a new event."""
        self.sent += 1
        n = self.sent
        event = {"type": "app_mention", "user": "U1", "channel": "C1", "ts": f"{n}.1",
                 "text": f"<@{fake_slack.BOT_USER}> {text}"}  # fmt: skip
        body = {"team_id": team, "api_app_id": "A1", "type": "event_callback",
                "event_id": f"Ev{n}", "event_time": int(time.time()), "event": event}  # fmt: skip
        return await self.post(json.dumps(body))

    async def command(self, text: str, key: str = "r") -> int:
        """``/shopcrew text``; the answer goes to the fake's response URL ``key``."""
        form = {"team_id": "T1", "channel_id": "C1", "user_id": "U1", "command": "/shopcrew",
                "text": text, "api_app_id": "A1", "trigger_id": f"t{time.monotonic_ns()}",
                "response_url": self.fake.response_url(key)}  # fmt: skip
        return await self.post(urlencode(form), "application/x-www-form-urlencoded")

    async def get(self, path: str) -> tuple[int, Any]:
        """``GET path`` on the process (health endpoints); status and JSON body."""
        async with self.http.get(f"{self.base}{path}") as r:
            return r.status, await r.json()

    def replies(self) -> list[str]:
        """The text of every message ShopCrew posted, then of every slash-command response."""
        posted = [str(p.get("text", "")) for p in self.fake.posted()]
        return posted + [str(r.get("text", "")) for r in self.fake.responses]

    def disk_full(self) -> None:
        """From now on every write of the process to a file fails, as on a full disk.

        The file-size limit drops to 0 (the process ignores SIGXFSZ, so writes fail with
        EFBIG instead of killing it); its log goes through a pipe, which the limit spares.
        """
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.prlimit(self.proc.pid, resource.RLIMIT_FSIZE, (0, hard))

    async def stop(self) -> int:
        """SIGTERM, and the exit code (bounded by the README's ten seconds plus slack)."""
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.proc.wait(), 30)


@asynccontextmanager
async def served(db: Path, log: Path | None = None, **env: str) -> AsyncIterator[Served]:
    """Start ``shopcrew run`` on ``db`` with the fake Slack; stop (or kill) it afterwards.

    Its log goes to ``log`` (default: beside the database).
    """
    fake = FakeSlack()
    await fake.start()
    port = free_port()
    environ = dict(os.environ, SHOPCREW_DB=str(db), SLACK_BOT_TOKEN=fake_slack.BOT_TOKEN,
                   SLACK_SIGNING_SECRET=fake_slack.SIGNING_SECRET, SHOPCREW_SLACK_MODE="http",
                   SHOPCREW_SLACK_HOST="127.0.0.1", SHOPCREW_SLACK_PORT=str(port),
                   SHOPCREW_SLACK_API_URL=fake.api_url, **env)  # fmt: skip
    for unset in ("SLACK_APP_TOKEN", "DISCORD_TOKEN"):
        environ.pop(unset, None)
    log = log or db.with_name(db.name + ".log")
    # The log goes through a pipe that a task drains into a file: an unread pipe would fill up
    # and block the server, and a pipe (unlike a file) still takes writes on a "full disk".
    # `trap "" XFSZ`: see ``Served.disk_full``.
    proc = await asyncio.create_subprocess_exec(
        "sh", "-c", f'trap "" XFSZ; exec "{EXE}" run', env=environ,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stderr is not None
    drain = asyncio.create_task(_copy(proc.stderr, log))
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_for_http(f"{base}/healthz", process=proc, statuses=(200,))
        async with aiohttp.ClientSession() as http:
            yield Served(proc, fake, http, base, log, db)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await drain
        await fake.stop()


async def _copy(stream: asyncio.StreamReader, path: Path) -> None:
    with path.open("wb") as out:
        while chunk := await stream.read(65536):
            out.write(chunk)
            out.flush()
