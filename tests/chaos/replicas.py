"""Several ShopCrew replicas (``shopcrew slack --http``, real processes) on one database, behind
a round-robin HTTP proxy, against the fake Slack; and the test's own Slack, which delivers events
as Slack does: signed, and again (``X-Slack-Retry-Num``) until one delivery gets "200 OK".

The proxy sends each request to the next replica in turn, as a load balancer would, and says
which one answered (``X-Replica``); a replica that cannot be reached is a 502. Everything is on
127.0.0.1 and bounded.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import aiohttp
from aiohttp import web

from tests.adapters import fake_slack
from tests.adapters.fake_common import free_port, wait_for_http
from tests.adapters.fake_slack import FakeSlack
from tests.adapters.slack_rigs import signed
from tests.chaos.served import EXE, _copy

#: Headers a proxy does not pass on (hop by hop, or recomputed).
_HOP = {"host", "content-length", "connection", "keep-alive", "transfer-encoding"}


@dataclass
class Replica:
    """One ``shopcrew slack --http`` process."""

    index: int
    port: int
    proc: asyncio.subprocess.Process
    log: Path
    drain: asyncio.Task[None]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Proxy:
    """Round robin over the replicas' ports (aiohttp), dead ones included, as a load balancer
    that has not noticed yet."""

    def __init__(self, ports: Sequence[int], port: int | None = None) -> None:
        self.ports = list(ports)
        self.port = port or free_port()
        self._turns = itertools.count()
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._http is not None
        n = next(self._turns) % len(self.ports)
        url = f"http://127.0.0.1:{self.ports[n]}{request.path_qs}"
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        try:
            async with self._http.request(
                request.method, url, data=await request.read(), headers=headers
            ) as r:
                body = await r.read()
                kind = r.headers.get("Content-Type", "text/plain")
                return web.Response(
                    status=r.status, body=body, headers={"X-Replica": str(n), "Content-Type": kind}
                )
        except aiohttp.ClientError:
            return web.Response(status=502, headers={"X-Replica": str(n)})


@dataclass
class Cluster:
    """Replicas behind the proxy, the fake Slack they post to, and an HTTP client."""

    replicas: list[Replica]
    proxy: Proxy
    fake: FakeSlack
    http: aiohttp.ClientSession
    database: str
    _events: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        """The proxy's ``/slack/events``: what Slack is configured with."""
        return f"http://127.0.0.1:{self.proxy.port}/slack/events"

    def event_url(self, replica: int | None) -> str:
        """``/slack/events`` of one replica, or the proxy's (None)."""
        if replica is None:
            return self.url
        return f"{self.replicas[replica].base}/slack/events"

    async def post(
        self, body: str, replica: int | None = None, retry: int = 0, form: bool = False
    ) -> tuple[int, int | None]:
        """One signed delivery to a replica or the proxy: (HTTP status, the replica that got
        it). The status is 0 when the connection failed (a killed replica)."""
        kind = "application/x-www-form-urlencoded" if form else "application/json"
        headers = {"Content-Type": kind, **signed(body, str(int(time.time())))}
        if retry:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        try:
            async with self.http.post(self.event_url(replica), data=body, headers=headers) as r:
                await r.read()
                served = r.headers.get("X-Replica")
                return r.status, int(served) if served is not None else replica
        except aiohttp.ClientError:
            return 0, replica

    def event(self, text: str, team: str, user: str = "U1") -> Event:
        """A new mention of ShopCrew (its own event id and thread)."""
        n = next(self._events)
        ts = f"{n}.0001"
        body = {"team_id": team, "api_app_id": "A1", "type": "event_callback",
                "event_id": f"Ev{team}{n}", "event_time": int(time.time()),
                "authorizations": [{"team_id": team, "user_id": fake_slack.BOT_USER,
                                    "is_bot": True, "is_enterprise_install": False}],
                "event": {"type": "app_mention", "user": user, "channel": "C1", "ts": ts,
                          "text": f"<@{fake_slack.BOT_USER}> {text}"}}  # fmt: skip
        return Event(json.dumps(body), ts)

    def command(self, text: str, team: str, key: str, user: str = "U1") -> str:
        """A signed-to-be ``/shopcrew text`` whose answer goes to the response URL ``key``."""
        form = {"team_id": team, "channel_id": "C1", "user_id": user, "command": "/shopcrew",
                "text": text, "api_app_id": "A1", "trigger_id": f"t{time.monotonic_ns()}",
                "response_url": self.fake.response_url(key)}  # fmt: skip
        return urlencode(form)

    async def until_acknowledged(
        self, event: Event, first: int | None = None, timeout: float = 60.0
    ) -> list[tuple[int, int | None]]:
        """Deliver ``event`` as Slack does until a delivery gets "200 OK": first to ``first``
        (None: the proxy), then again, through the proxy, with the retry number; every (status,
        replica), the last one the 200. A 503 (another replica is answering it) or a failed
        connection is tried again shortly, as Slack would later."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        tries: list[tuple[int, int | None]] = []
        target, retry = first, event.retries
        while True:
            status, replica = await self.post(event.body, target, retry)
            tries.append((status, replica))
            event.statuses.append(status)
            if status == 200:
                return tries
            if loop.time() > deadline:
                raise AssertionError(f"{event.ts}: no 200 within {timeout:g} s: {tries}")
            retry = event.retries = event.retries + 1
            target = None
            await asyncio.sleep(0.05)  # polling, bounded by the deadline

    def answers(self, ts: str) -> int:
        """How many messages ShopCrew posted in the thread of the event ``ts``."""
        return sum(1 for p in self.fake.posted() if p.get("thread_ts") == ts)

    def thread_text(self, ts: str) -> str:
        """Every message posted in the thread of ``ts``."""
        return "\n".join(
            str(p.get("text", "")) for p in self.fake.posted() if p.get("thread_ts") == ts
        )

    async def metric(self, replica: int, sample: str) -> float:
        """One replica's ``/metrics``: the value of ``sample`` (``name{label="value"}``), or
        the sum over a metric's labels (``name``); 0 when it has none."""
        async with self.http.get(f"{self.replicas[replica].base}/metrics") as r:
            text = await r.text()
        total = 0.0
        for line in text.splitlines():
            shown, _, value = line.rpartition(" ")
            if shown == sample or shown.startswith(sample + "{"):
                total += float(value)
        return total


@dataclass
class Event:
    """One Slack event and what its deliveries got."""

    body: str
    ts: str
    retries: int = 0
    statuses: list[int] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return 200 in self.statuses


async def start_replica(
    index: int, database: str, fake: FakeSlack, log: Path, **env: str
) -> Replica:
    """``shopcrew slack --http`` on its own port, on ``database`` (started, not yet ready)."""
    port = free_port()
    environ = dict(os.environ, SHOPCREW_DATABASE_URL=database, SLACK_BOT_TOKEN=fake_slack.BOT_TOKEN,
                   SLACK_SIGNING_SECRET=fake_slack.SIGNING_SECRET, SHOPCREW_SLACK_HOST="127.0.0.1",
                   SHOPCREW_SLACK_API_URL=fake.api_url, **env)  # fmt: skip
    for unset in ("SLACK_APP_TOKEN", "DISCORD_TOKEN", "SHOPCREW_DB"):
        environ.pop(unset, None)
    proc = await asyncio.create_subprocess_exec(
        EXE, "slack", "--http", "--port", str(port), env=environ,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stderr is not None
    drain = asyncio.create_task(_copy(proc.stderr, log))
    return Replica(index, port, proc, log, drain)


async def stop_replica(replica: Replica) -> None:
    """SIGTERM (SIGKILL if it does not stop in time), and wait for its log."""
    if replica.proc.returncode is None:
        replica.proc.terminate()
        try:
            await asyncio.wait_for(replica.proc.wait(), 20)
        except TimeoutError:
            replica.proc.kill()
            await replica.proc.wait()
    await replica.drain


@asynccontextmanager
async def cluster(
    database: str, logs: Path, count: int = 3, claim_seconds: float = 5.0
) -> AsyncIterator[Cluster]:
    """``count`` replicas on ``database`` behind the proxy, with the fake Slack; all stopped
    afterwards. A claim on an event lasts ``claim_seconds`` unless renewed."""
    fake = FakeSlack()
    await fake.start()
    env = {"SHOPCREW_SLACK_CLAIM_SECONDS": str(claim_seconds)}
    async with AsyncExitStack() as stack:
        stack.push_async_callback(fake.stop)
        replicas = [
            await start_replica(i, database, fake, logs / f"replica{i}.log", **env)
            for i in range(count)
        ]
        for replica in replicas:
            stack.push_async_callback(stop_replica, replica)
        for replica in replicas:
            await wait_for_http(
                f"{replica.base}/readyz", timeout=60, process=replica.proc, statuses=(200,)
            )
        proxy = Proxy([r.port for r in replicas])
        await proxy.start()
        stack.push_async_callback(proxy.stop)
        http = await stack.enter_async_context(aiohttp.ClientSession())
        yield Cluster(replicas, proxy, fake, http, database)


def log_text(replicas: Sequence[Replica]) -> str:
    """Every replica's log so far (for failure messages)."""
    return "\n".join(r.log.read_text(errors="replace")[-3000:] for r in replicas if r.log.exists())


def plan_counts(database: str, workspace: str) -> tuple[dict[str, Any], int]:
    """The workspace's plan roles and how many history rows it has, read from the database."""
    from bot.storage import open_storage

    storage = open_storage(database)
    try:
        roles = dict(storage.plans.read(workspace).roles)
        rows = storage.database.query(
            "SELECT COUNT(*) FROM history WHERE workspace = ?", [workspace]
        )
        return roles, int(rows[0][0])
    finally:
        storage.close()


class Relay:
    """A TCP relay to the PostgreSQL server: ``cut`` is the server going down (connections
    dropped, new ones refused), ``restore`` it coming back on the same address."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)

    def via(self, url: str) -> str:
        """``url`` (a PostgreSQL URL) through this relay."""
        parts = urlsplit(url)
        user = f"{parts.username}@" if parts.username else ""
        return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{self.port}"))

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, up_writer}

        async def copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.transport.abort()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))
