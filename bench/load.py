"""What the load benchmarks share: the fakes set up to keep nothing, the servers, the messages.

The load generator and the fakes run in the benchmark's process; the server under test (ShopCrew,
or the bare floor apps of ``bench/floor.py``) runs as a separate process, as in production. The
fakes keep no calls (``keep=False``): every reply is handed to ``Replies``, which keeps one float
per message, so the generator's own garbage collections stay short and out of the measured times.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.adapters import fake_discord, fake_slack  # noqa: E402
from tests.adapters.fake_common import free_port, wait_for_http  # noqa: E402
from tests.adapters.fake_discord import FakeDiscord, Rest, user  # noqa: E402
from tests.adapters.fake_slack import Call, FakeSlack  # noqa: E402

QUESTIONS = ["what does copywriting do?", "how many people for two stores?", "¿qué hace el ancla?",
             "who writes the product titles?", "plan add art 1", "Tmall agency structure"]  # fmt: skip
#: The guild the fake Discord announces (GUILD_CREATE): mentions there carry its id.
GUILD = next(iter(FakeDiscord().guilds))
MEMBER = {"roles": [], "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False, "mute": False,
          "flags": 0}  # fmt: skip
_keys = itertools.count(1)
#: Rate limits that never bind: the benchmark's mentions all land in one channel, whose replies
#: discord.py would otherwise send one at a time, as if they came from many channels.
ROOMY = {"X-RateLimit-Limit": "100000", "X-RateLimit-Remaining": "99999",
         "X-RateLimit-Reset-After": "1", "X-RateLimit-Bucket": "bench"}  # fmt: skip


def proc_status_mb(pid: int, field_name: str) -> float:
    """A memory figure of ``/proc/PID/status`` (``VmRSS``, ``VmHWM``) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Replies:
    """When each reply reached a fake, by the id of the message it answers (first reply only)."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.got: dict[str, float] = {}
        self.extra = 0  # replies to a message already answered
        self._waiting: dict[str, asyncio.Future[None]] = {}

    def reset(self) -> None:
        """Forget the last run (keys are never reused, so late replies cannot be miscounted)."""
        self.sent.clear()
        self.got.clear()
        self.extra = 0

    def expect(self, key: str) -> asyncio.Future[None]:
        """Note that ``key`` is being sent now; the future completes when its reply arrives."""
        future = asyncio.get_running_loop().create_future()
        self._waiting[key] = future
        self.sent[key] = time.perf_counter()
        return future

    def arrived(self, key: str, at: float) -> None:
        """A reply to ``key`` reached the fake at ``at`` (``time.perf_counter()``)."""
        if key in self.got:
            self.extra += 1
            return
        self.got[key] = at
        future = self._waiting.pop(key, None)
        if future is not None and not future.done():
            future.set_result(None)

    def latencies(self) -> list[float]:
        """Seconds from sending to the first reply, for every message answered."""
        return [self.got[k] - self.sent[k] for k in self.sent if k in self.got]

    @property
    def lost(self) -> int:
        return sum(1 for k in self.sent if k not in self.got)

    async def all_in(self, timeout: float) -> None:
        """Wait until every message sent has its reply (or ``timeout``: the rest count as lost)."""
        pending = [f for f in self._waiting.values() if not f.done()]
        if pending:
            await asyncio.wait(pending, timeout=timeout)
        for future in self._waiting.values():
            future.cancel()
        self._waiting.clear()


def observe_slack(replies: Replies) -> Callable[[Call], None]:
    """The fake Slack's hook: a ``chat.postMessage`` answers its thread (or its DM channel)."""

    def seen(call: Call) -> None:
        if call.method == "chat.postMessage":
            key = call.args.get("thread_ts") or call.args.get("channel")
            replies.arrived(str(key), call.at)

    return seen


def observe_discord(replies: Replies) -> Callable[[Rest], None]:
    """The fake Discord's hook: a message posted in reply to another answers it."""

    def seen(call: Rest) -> None:
        if call.method == "POST" and call.path.endswith("/messages"):
            ref = (call.body or {}).get("message_reference") or {}
            if "message_id" in ref:
                replies.arrived(str(ref["message_id"]), call.at)

    return seen


# --- messages -------------------------------------------------------------------------------


def new_key() -> int:
    """A number no other message of this benchmark run uses."""
    return next(_keys)


def slack_event(n: int, text: str, team: str, user_id: str, dm: bool = False) -> tuple[str, str]:
    """A signed-to-be Slack event (mention in a channel, or a DM) and the key of its reply."""
    ts = f"{n}.0001"
    if dm:
        channel = f"D{n}"  # a DM is answered in its channel, not in a thread: one per message
        event = {"type": "message", "channel_type": "im", "user": user_id, "ts": ts,
                 "channel": channel, "text": text, "event_ts": ts}  # fmt: skip
        key = channel
    else:
        event = {"type": "app_mention", "user": user_id, "ts": ts, "channel": "C1",
                 "text": f"<@{fake_slack.BOT_USER}> {text}", "event_ts": ts}  # fmt: skip
        key = ts
    body = {"team_id": team, "api_app_id": "A1", "type": "event_callback", "event_id": f"Ev{n}",
            "event_time": int(time.time()), "event": event,
            "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": fake_slack.BOT_USER,
                                "is_bot": True, "is_enterprise_install": False}]}  # fmt: skip
    return json.dumps(body), key


def discord_message(n: int, text: str, user_id: str, dm: bool = False) -> dict[str, Any]:
    """A MESSAGE_CREATE: a mention in the fake's guild (with its guild id and member), or a DM."""
    msg: dict[str, Any] = {
        "id": str(920_000_000_000_000_000 + n), "author": user(user_id, f"user{user_id}"),
        "timestamp": "2026-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
        "mention_everyone": False, "mention_roles": [], "attachments": [], "embeds": [],
        "pinned": False, "type": 0, "flags": 0, "components": [],
    }  # fmt: skip
    if dm:
        return msg | {"channel_id": f"6{user_id}", "content": text, "mentions": []}
    return msg | {"channel_id": f"{GUILD}1", "guild_id": GUILD, "member": MEMBER,
                  "content": f"<@{fake_discord.BOT_ID}> {text}", "mentions": [fake_discord.BOT_USER]}  # fmt: skip


# --- the servers ----------------------------------------------------------------------------


@dataclass
class Server:
    """A process under test and the fakes it talks to."""

    name: str
    proc: asyncio.subprocess.Process
    port: int
    discord: FakeDiscord
    events_url: str = field(init=False)

    def __post_init__(self) -> None:
        self.events_url = f"http://127.0.0.1:{self.port}/slack/events"


def server_env(slack: FakeSlack, discord: FakeDiscord, port: int, db: Path) -> dict[str, str]:
    """The environment of ``shopcrew run`` (Slack HTTP mode + Discord) against the fakes."""
    env = dict(os.environ, SHOPCREW_DB=str(db), SLACK_BOT_TOKEN=fake_slack.BOT_TOKEN,
               SLACK_SIGNING_SECRET=fake_slack.SIGNING_SECRET, SHOPCREW_SLACK_MODE="http",
               SHOPCREW_SLACK_HOST="127.0.0.1", SHOPCREW_SLACK_PORT=str(port),
               SHOPCREW_SLACK_API_URL=slack.api_url, DISCORD_TOKEN=fake_discord.TOKEN,
               SHOPCREW_DISCORD_API_URL=discord.api_url, SHOPCREW_LOG_LEVEL="WARNING",
               SHOPCREW_DISCORD_GATEWAY_URL=discord.gateway_url)  # fmt: skip
    # This checkout's code, whatever version of ShopCrew is installed in the environment.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env.pop("SLACK_APP_TOKEN", None)
    return env


async def start_server(
    name: str, argv: list[str], slack: FakeSlack, replies: Replies, **popen: Any
) -> Server:
    """Start ``argv`` (a Python script or module and its arguments) with its own fake Discord,
    whose replies go to ``replies``; ``slack`` is the fake Slack it posts to."""
    discord = FakeDiscord(keep=False, observe=observe_discord(replies), ratelimit_headers=ROOMY)
    await discord.start()
    port = free_port()
    db = Path(tempfile.mkdtemp(prefix=f"bench-{name}-")) / "bench.db"
    env = server_env(slack, discord, port, db)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, *argv, env=env, cwd=str(ROOT), **popen
    )
    return Server(name, proc, port, discord)


async def wait_ready(server: Server, timeout: float = 60.0) -> None:
    """Until the server's /readyz is 200 (Slack listening, Discord ready)."""
    url = f"http://127.0.0.1:{server.port}/readyz"
    await wait_for_http(url, timeout=timeout, process=server.proc, statuses=(200,))


async def stop_server(server: Server) -> None:
    """SIGTERM, wait, and close its fake Discord."""
    if server.proc.returncode is None:
        server.proc.terminate()
        try:
            await asyncio.wait_for(server.proc.wait(), 15)
        except TimeoutError:
            server.proc.kill()
            await server.proc.wait()
    await server.discord.stop()


class SlackSender:
    """Signs and posts Slack events to a server's /slack/events."""

    def __init__(self, http: aiohttp.ClientSession) -> None:
        self.http = http
        self.verifier = SignatureVerifier(fake_slack.SIGNING_SECRET)

    async def post(self, url: str, body: str) -> bool:
        """True when the server acknowledged the event (HTTP 200)."""
        stamp = str(int(time.time()))
        signature = str(self.verifier.generate_signature(timestamp=stamp, body=body))
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
                   "X-Slack-Signature": signature}  # fmt: skip
        async with self.http.post(url, data=body, headers=headers) as r:
            await r.read()
            return r.status == 200


def questions() -> Iterator[str]:
    """The benchmark's questions, round and round."""
    return itertools.cycle(QUESTIONS)
