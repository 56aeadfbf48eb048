"""A fake Slack for offline tests: the Web API, response URLs and a Socket Mode websocket.

It runs on 127.0.0.1 in the test's event loop, checks bearer tokens, accepts JSON and form bodies,
records every call (with the token it carried), can answer ``ratelimited`` (429 + Retry-After) or
HTTP 500 a given number of times, or never answer (until it stops, or until a test opens its
gate), and can push Socket Mode envelopes and force a reconnect. Response URLs count as the
method ``respond`` for ``errors`` and ``hang``. ``oauth`` hands out workspaces' tokens through
``oauth.v2.access`` (see ``tests.adapters.fake_slack_oauth``).

Views (``views.publish``, ``views.open``, ``views.update``) are answered as Slack answers them:
the stored view with its id and hash, ``invalid_arguments`` with Slack's messages for a view
that breaks a documented Block Kit limit (``tests.adapters.blockkit``), a trigger id that works
once, and ``not_found`` for an unknown view id. ``conversations.open`` gives each user one DM.

File uploads go as Slack's do (``files_upload_v2``): ``files.getUploadURLExternal`` gives an
upload URL on the fake, the file's bytes are POSTed there (recorded as the method ``upload``; kept
in ``uploads``), and ``files.completeUploadExternal`` shares the uploaded files in a channel.
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

from tests.adapters.blockkit import view_problems
from tests.adapters.fake_common import Waitable
from tests.adapters.fake_slack_oauth import Grants

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
SIGNING_SECRET = "test-signing-secret"
BOT_USER = "UBOT"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)  # for latency measurements
    token: str = ""  # the bearer token the call carried


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
    #: user -> Slack locale ("es-ES") users.info gives when asked with include_locale.
    locales: dict[str, str] = field(default_factory=dict)
    #: Views by id, as last published, opened or updated; each user's published home view.
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    homes: dict[str, str] = field(default_factory=dict)  # user -> id of their home view
    used_triggers: set[str] = field(default_factory=set)
    acks: list[str] = field(default_factory=list)
    #: File id -> (what files.getUploadURLExternal was told, the bytes POSTed to its URL).
    uploads: dict[str, tuple[dict[str, Any], bytes | None]] = field(default_factory=dict)
    connections: int = 0
    port: int = 0
    #: False in benchmarks: calls are only counted (``counts``) and handed to ``observe``, so the
    #: fake's memory stays flat and the load generator's garbage collections stay short.
    keep: bool = True
    counts: Counter[str] = field(default_factory=Counter)
    observe: Callable[[Call], None] | None = None
    #: Installations handed out through OAuth, and their tokens.
    oauth: Grants = field(default_factory=Grants)
    #: method -> a gate: the call is recorded, then answered only once the test sets it.
    gates: dict[str, asyncio.Event] = field(default_factory=dict)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner, self.port = await self._listen(app)

    async def stop(self) -> None:
        self._released.set()
        for gate in self.gates.values():
            gate.set()
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
        if method == "oauth.v2.access":
            return await self._oauth_access(request, args, auth)
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != expected and (expected == APP_TOKEN or token not in self.oauth.tokens):
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if self.ratelimit.get(method, 0) > 0:
            self.ratelimit[method] -= 1
            self._record(Call(method + ":429", args))
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        if await self._failing(method, args):
            return web.json_response({"ok": False, "error": "fatal_error"}, status=500)
        self._record(Call(method, args, token=token))
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
        if method == "auth.test" and token in self.oauth.tokens:
            body = self.oauth.auth_test(token) or {}
        elif method == "auth.test":
            body = {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": "T1",
                    "user": "shopcrew", "team": "Test", "url": "https://test.slack.com/"}  # fmt: skip
        elif method == "chat.postMessage":
            body = {"ok": True, "channel": args.get("channel"), "ts": f"{self.counts.total()}.000"}
        elif method == "users.info":
            body = self._user(args)
        elif method.startswith("views."):
            body = self._view(method, args)
        elif method == "conversations.open":
            body = {"ok": True, "channel": {"id": f"D{args.get('users', '')}"}}
        elif method == "apps.connections.open":
            body = {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        elif method == "files.getUploadURLExternal":
            body = self._upload_url(args)
        elif method == "files.completeUploadExternal":
            body = self._complete(args)
        else:
            body = {"ok": True}
        return web.json_response(body)

    def _user(self, args: dict[str, Any]) -> dict[str, Any]:
        user = args.get("user")
        body: dict[str, Any] = {"ok": True, "user": {"id": user, "is_admin": user in self.admins}}
        if user in self.teams:
            body["user"]["team_id"] = self.teams[user]
        if str(args.get("include_locale")).lower() in ("1", "true") and user in self.locales:
            body["user"]["locale"] = self.locales[user]
        return body

    def _view(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        """``views.publish|open|update``, with the checks Slack makes."""
        view = args.get("view")
        if isinstance(view, str):  # form-encoded calls send the view as JSON text
            view = json.loads(view)
        problems = view_problems(view)
        if problems:
            return {"ok": False, "error": "invalid_arguments",
                    "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]}}  # fmt: skip
        if method == "views.open":
            trigger = str(args.get("trigger_id") or "")
            if not trigger or trigger in self.used_triggers:
                return {"ok": False, "error": "exchanged_trigger_id" if trigger else "invalid_trigger_id"}  # fmt: skip
            self.used_triggers.add(trigger)
            view_id = f"V{len(self.views) + 1:04d}"
        elif method == "views.update":
            view_id = str(args.get("view_id") or "")
            if view_id not in self.views:
                return {"ok": False, "error": "not_found"}
        elif method == "views.publish":
            if view.get("type") != "home":
                return {"ok": False, "error": "invalid_arguments"}
            user = str(args.get("user_id"))
            view_id = self.homes.setdefault(user, f"VH{len(self.homes) + 1:04d}")
        else:
            return {"ok": False, "error": "unknown_method"}
        stored = {**view, "id": view_id, "team_id": "T1", "hash": f"{time.time():.6f}",
                  "state": {"values": {}}, "root_view_id": view_id, "app_id": "A1"}  # fmt: skip
        self.views[view_id] = stored
        return {"ok": True, "view": stored}

    def home(self, user: str) -> dict[str, Any] | None:
        """The home view last published for ``user``."""
        view_id = self.homes.get(user)
        return self.views.get(view_id) if view_id else None

    # --- file uploads ----------------------------------------------------------------------

    def _upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{len(self.uploads) + 1:04d}"
        self.uploads[file_id] = (args, None)
        url = f"http://127.0.0.1:{self.port}/upload/{file_id}"
        return {"ok": True, "upload_url": url, "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        # Slack's upload URL takes the raw bytes (no token: the URL itself is the secret).
        file_id = request.match_info["file_id"]
        data = await request.read()
        if file_id not in self.uploads:
            return web.Response(status=404, text="no such upload")
        asked, _ = self.uploads[file_id]
        if len(data) != int(asked["length"]):
            return web.Response(status=400, text="length mismatch")
        self.uploads[file_id] = (asked, data)
        self._record(Call("upload", {"file_id": file_id, "size": len(data)}))
        await self._notify()
        return web.Response(text=f"OK - {len(data)}")

    def _complete(self, args: dict[str, Any]) -> dict[str, Any]:
        files = json.loads(args.get("files") or "[]")
        if not files or any(self.uploads.get(f.get("id"), ({}, None))[1] is None for f in files):
            return {"ok": False, "error": "file_not_found"}
        shared = [{"id": f["id"], "title": f.get("title"),
                   "name": self.uploads[f["id"]][0]["filename"]} for f in files]  # fmt: skip
        return {"ok": True, "files": shared}

    async def _oauth_access(
        self, request: web.Request, args: dict[str, Any], authorization: str
    ) -> web.Response:
        """``oauth.v2.access``: recorded, held at its gate if there is one, then answered (or
        its connection cut, with ``drop``)."""
        self._record(Call("oauth.v2.access", args, token=authorization))
        await self._notify()
        if "oauth.v2.access" in self.drop and request.transport is not None:
            request.transport.close()
            return web.Response(status=500)
        if "oauth.v2.access" in self.gates:
            await self.gates["oauth.v2.access"].wait()
        return web.json_response(self.oauth.access(args, authorization))

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
