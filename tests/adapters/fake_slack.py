"""A fake Slack for offline tests: the Web API, response URLs and a Socket Mode websocket.

It runs on 127.0.0.1 in the test's event loop, checks bearer tokens, accepts JSON and form bodies,
records every call, can answer ``ratelimited`` (429 + Retry-After) or HTTP 500 a given number of
times, or never answer (until it stops), and can push Socket Mode envelopes and force a reconnect.
Response URLs count as the method ``respond`` for ``errors`` and ``hang``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from tests.adapters.fake_common import Waitable

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
SIGNING_SECRET = "test-signing-secret"
BOT_USER = "UBOT"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)  # for latency measurements


@dataclass
class FakeSlack(Waitable):
    default_timeout = 5.0

    admins: set[str] = field(default_factory=set)
    calls: list[Call] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    ratelimit: dict[str, int] = field(default_factory=dict)  # method -> 429s still to send
    fail: dict[str, str] = field(default_factory=dict)  # method -> error to answer with
    drop: set[str] = field(default_factory=set)  # methods whose connection is cut (network error)
    errors: dict[str, int] = field(default_factory=dict)  # method -> HTTP 500s still to send
    cuts: dict[str, int] = field(default_factory=dict)  # method -> connection cuts still to make
    hang: set[str] = field(default_factory=set)  # methods that never answer (until stop)
    teams: dict[str, str] = field(default_factory=dict)  # user -> team users.info gives (else none)
    acks: list[str] = field(default_factory=list)
    connections: int = 0
    port: int = 0
    #: False in benchmarks: calls are only counted (``counts``) and handed to ``observe``, so the
    #: fake's memory stays flat and the load generator's garbage collections stay short.
    keep: bool = True
    counts: Counter[str] = field(default_factory=Counter)
    observe: Callable[[Call], None] | None = None
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_get("/socket", self._socket)
        self._runner, self.port = await self._listen(app)

    async def stop(self) -> None:
        self._released.set()
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def release(self) -> None:
        """Let the calls ``hang`` holds go on (answered as usual), and hold no more."""
        self.hang.clear()
        self._released.set()
        self._released = asyncio.Event()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, key: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/respond/{key}"

    def _record(self, call: Call) -> None:
        self.counts[call.method] += 1
        if self.keep:
            self.calls.append(call)
        if self.observe is not None:
            self.observe(call)

    def posted(self, method: str = "chat.postMessage") -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    # --- Web API -------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.text()
        if request.content_type == "application/json":
            args: dict[str, Any] = json.loads(raw or "{}")
        else:
            args = dict(parse_qsl(raw))
        args.update(request.query)  # GET methods (users.info) send their arguments here
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ")
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != expected:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if self.ratelimit.get(method, 0) > 0:
            self.ratelimit[method] -= 1
            self._record(Call(method + ":429", args))
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        if await self._failing(method, args):
            return web.json_response({"ok": False, "error": "fatal_error"}, status=500)
        self._record(Call(method, args))
        await self._notify()
        if self.cuts.get(method, 0) > 0 and request.transport is not None:
            self.cuts[method] -= 1
            request.transport.close()
            return web.Response(status=500)
        if method in self.drop and request.transport is not None:
            request.transport.close()  # the client sees the connection reset, not an answer
            return web.Response(status=500)
        if method in self.fail:
            return web.json_response({"ok": False, "error": self.fail[method]})
        if method == "auth.test":
            body = {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": "T1",
                    "user": "shopcrew", "team": "Test", "url": "https://test.slack.com/"}  # fmt: skip
        elif method == "chat.postMessage":
            body = {"ok": True, "channel": args.get("channel"), "ts": f"{self.counts.total()}.000"}
        elif method == "users.info":
            user = args.get("user")
            body = {"ok": True, "user": {"id": user, "is_admin": user in self.admins}}
            if user in self.teams:
                body["user"]["team_id"] = self.teams[user]
        elif method == "apps.connections.open":
            body = {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        else:
            body = {"ok": True}
        return web.json_response(body)

    async def _failing(self, method: str, args: dict[str, Any]) -> bool:
        """Hang (until stop) or count an HTTP 500, as configured; True when it answered 500."""
        if method in self.hang:
            self.calls.append(Call(method + ":hang", args))
            await self._notify()
            await self._released.wait()
        if self.errors.get(method, 0) > 0:
            self.errors[method] -= 1
            self.calls.append(Call(method + ":500", args))
            await self._notify()
            return True
        return False

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        if await self._failing("respond", body):
            return web.Response(status=500, text="server error")
        response = {"_key": request.match_info["key"], **body}
        self.counts["response_url"] += 1
        if self.keep:
            self.responses.append(response)
        if self.observe is not None:
            self.observe(Call("response_url", response))
        await self._notify()
        return web.json_response({"ok": True})

    # --- Socket Mode -----------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        self.connections += 1
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        await self._notify()
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                data = json.loads(msg.data)
                if "envelope_id" in data:
                    self.acks.append(data["envelope_id"])
                    await self._notify()
        self._sockets.remove(ws)
        await self._notify()
        return ws

    async def push(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope to the connected client."""
        await self.wait_for(lambda: bool(self._sockets))
        await self._sockets[-1].send_str(json.dumps(envelope))

    async def disconnect(self) -> None:
        """Ask the client to reconnect, as Slack does before rotating a connection."""
        await self.wait_for(lambda: bool(self._sockets))
        ws = self._sockets[-1]
        await ws.send_str(json.dumps({"type": "disconnect", "reason": "refresh_requested"}))
