"""A fake Discord for offline tests: REST and the gateway websocket in one aiohttp app.

It speaks enough of the gateway (HELLO, heartbeats, IDENTIFY -> READY + GUILD_CREATE, RESUME ->
RESUMED, RECONNECT) with zlib-stream compression for a real discord.py client, records every REST
call, and returns JSON with the exact ``application/json`` content type discord.py expects.

Shards work as on Discord: a server belongs to shard ``(guild_id >> 22) % shard_count``; a
connection that identified as shard ``[i, n]`` is sent only its servers (READY, GUILD_CREATE) and
their events, and DMs go to shard 0. Each REST call and connection records the client's TCP port,
so a test can tell which process made it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.adapters.fake_common import Waitable

TOKEN = "discord-test-token"
APP_ID = "900000000000000001"
BOT_ID = "900000000000000002"
_ids = itertools.count(910000000000000000)


def snowflake() -> str:
    return str(next(_ids))


def shard_of(guild_id: str | int, shard_count: int) -> int:
    """The shard a server's events go to, as Discord computes it."""
    return (int(guild_id) >> 22) % shard_count


def user(uid: str, name: str, bot: bool = False) -> dict[str, Any]:
    return {"id": uid, "username": name, "discriminator": "0", "global_name": name, "avatar": None,
            "bot": bot, "public_flags": 0}  # fmt: skip


BOT_USER = user(BOT_ID, "ShopCrew", bot=True)


def guild(gid: str, name: str) -> dict[str, Any]:
    everyone = {"id": gid, "name": "@everyone", "permissions": "1024", "position": 0, "color": 0,
                "hoist": False, "managed": False, "mentionable": False, "flags": 0}  # fmt: skip
    return {
        "id": gid, "name": name, "icon": None, "owner_id": "1", "afk_timeout": 300,
        "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
        "roles": [everyone], "emojis": [], "stickers": [], "features": [], "mfa_level": 0,
        "system_channel_flags": 0, "premium_tier": 0, "preferred_locale": "en-US", "nsfw_level": 0,
        "member_count": 2, "large": False, "unavailable": False, "members": [], "presences": [],
        "voice_states": [], "threads": [], "stage_instances": [], "guild_scheduled_events": [],
        "channels": [{"id": f"{gid}1", "type": 0, "name": "general", "position": 0,
                      "permission_overwrites": [], "guild_id": gid, "nsfw": False}],
        "joined_at": "2026-01-01T00:00:00+00:00", "lazy": True, "application_id": None,
        "premium_progress_bar_enabled": False,
    }  # fmt: skip


@dataclass
class Rest:
    method: str
    path: str
    body: Any
    #: The client's TCP port: which process made the call (``tests.chaos.discord_rig.owner``).
    peer: int = 0
    at: float = field(default_factory=time.perf_counter)  # for latency measurements


@dataclass(eq=False)
class Connection:
    """One gateway websocket: the shard it identified as (or resumed), and the client's port."""

    ws: web.WebSocketResponse
    deflate: Any
    peer: int
    #: ``[shard_id, shard_count]``, once identified (an unsharded client is ``[0, 1]``).
    shard: tuple[int, int] | None = None

    def owns(self, guild_id: str | None) -> bool:
        """Whether Discord sends this connection the events of ``guild_id`` (None: a DM)."""
        if self.shard is None:
            return False
        shard_id, count = self.shard
        return shard_id == (0 if guild_id is None else shard_of(guild_id, count))


@dataclass
class Dispatch:
    """An event sent on the gateway, and the connection it went to."""

    event: str
    data: dict[str, Any]
    connection: Connection


@dataclass
class FakeDiscord(Waitable):
    guilds: dict[str, str] = field(default_factory=lambda: {"700000000000000001": "Shop A"})
    calls: list[Rest] = field(default_factory=list)
    identifies: list[dict[str, Any]] = field(default_factory=list)
    resumes: list[dict[str, Any]] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    #: While set and clear, IDENTIFY waits (a test looks at the bot while it is reconnecting).
    identify_gate: asyncio.Event | None = None
    #: While set and clear, logins (``GET /users/@me``) wait: a Discord slow to answer.
    login_gate: asyncio.Event | None = None
    #: While set and clear, command uploads (``PUT …/commands``) wait, once recorded.
    commands_gate: asyncio.Event | None = None
    #: The shard count ``GET /gateway/bot`` recommends.
    shard_count: int = 1
    #: How many logins (``GET /users/@me``) to answer 503, as during an outage.
    unavailable_logins: int = 0
    #: Events sent after every READY (e.g. one discord.py cannot parse, on every connection).
    after_ready: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    port: int = 0
    #: False in benchmarks: REST calls are only counted (``counts``) and handed to ``observe``, so
    #: the fake's memory stays flat and the load generator's garbage collections stay short.
    keep: bool = True
    counts: Counter[str] = field(default_factory=Counter)
    observe: Callable[[Rest], None] | None = None
    #: Rate-limit headers for every answer. Without them discord.py sends one request at a time
    #: per route (one channel's replies queue behind each other); benchmarks send generous ones.
    ratelimit_headers: dict[str, str] = field(default_factory=dict)
    #: Every message the bot posted (channel messages, interaction replies, follow-ups) as it
    #: is now, by id: an interaction's UPDATE_MESSAGE (type 7) edits its message in place.
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: (message id, new message data) for every in-place edit, in order.
    edits: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: Interactions sent to the bot, by id (the message a component was on, who clicked).
    _interactions: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Open gateway connections, oldest first.
    connections: list[Connection] = field(default_factory=list)
    #: Every event ``dispatch`` sent (kept only while ``keep``).
    dispatched: list[Dispatch] = field(default_factory=list)
    _sessions: dict[str, tuple[int, int]] = field(default_factory=dict)
    _seq: int = 0
    _runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        app.on_response_prepare.append(self._add_ratelimit_headers)
        self._runner, self.port = await self._listen(app)

    async def _add_ratelimit_headers(self, _: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(self.ratelimit_headers)

    async def stop(self) -> None:
        for c in list(self.connections):
            await c.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def _record(self, call: Rest) -> None:
        self.counts[call.method] += 1
        if self.keep:
            self.calls.append(call)
        if self.observe is not None:
            self.observe(call)

    @staticmethod
    def _peer(request: web.Request) -> int:
        peername = request.transport.get_extra_info("peername") if request.transport else None
        return int(peername[1]) if peername else 0

    def rest(self, method: str, contains: str) -> list[Rest]:
        return [c for c in self.calls if c.method == method and contains in c.path]

    # --- REST ------------------------------------------------------------------------------

    @staticmethod
    def _json(data: Any, status: int = 200) -> web.Response:
        # discord.py parses JSON only when the content type is exactly application/json.
        return web.Response(body=json.dumps(data).encode(), status=status,
                            headers={"Content-Type": "application/json"})  # fmt: skip

    async def _body(self, request: web.Request) -> Any:
        if request.content_type == "multipart/form-data":
            parts: dict[str, Any] = {"files": {}}
            reader = await request.multipart()
            async for part in reader:
                data = await part.read()  # type: ignore[union-attr]
                if part.name == "payload_json":  # type: ignore[union-attr]
                    parts.update(json.loads(data))
                else:
                    try:  # text files as text (exports), pictures as their bytes
                        parts["files"][part.filename] = data.decode()  # type: ignore[union-attr]
                    except UnicodeDecodeError:
                        parts["files"][part.filename] = bytes(data)  # type: ignore[union-attr]
            return parts
        raw = await request.read()
        return json.loads(raw) if raw else None

    def _message(self, body: dict[str, Any], channel: str = "1") -> dict[str, Any]:
        return {"id": snowflake(), "channel_id": channel, "author": BOT_USER,
                "content": body.get("content") or "", "timestamp": "2026-01-01T00:00:00+00:00",
                "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
                "mention_roles": [], "attachments": [], "embeds": body.get("embeds") or [],
                "pinned": False, "type": 0, "flags": body.get("flags", 0),
                "components": body.get("components") or []}  # fmt: skip

    async def _rest(self, request: web.Request) -> web.Response:
        if (
            request.headers.get("Authorization") != f"Bot {TOKEN}"
            and "/interactions/" not in request.path
            and "/webhooks/" not in request.path
        ):
            return self._json({"message": "401: Unauthorized", "code": 0}, 401)
        path = "/" + request.match_info["path"]
        body = await self._body(request)
        self._record(Rest(request.method, path, body, self._peer(request)))
        await self._notify()
        if path.endswith("/commands") and request.method == "PUT" and self.commands_gate:
            await self.commands_gate.wait()
        if path == "/users/@me" and self.login_gate is not None:
            await self.login_gate.wait()
        if path == "/users/@me" and self.unavailable_logins > 0:
            self.unavailable_logins -= 1
            return self._json({"message": "503: Service Unavailable", "code": 0}, 503)
        if path == "/users/@me":
            return self._json(BOT_USER)
        if path == "/oauth2/applications/@me":
            return self._json({"id": APP_ID, "name": "ShopCrew", "icon": None, "description": "",
                               "rpc_origins": [], "bot_public": True, "bot_require_code_grant": False,
                               "owner": user("1", "owner"), "summary": "", "verify_key": "k",
                               "team": None, "flags": 0, "interactions_endpoint_url": None})  # fmt: skip
        if path == "/gateway/bot":
            return self._json({"url": self.gateway_url, "shards": self.shard_count,
                               "session_start_limit": {"total": 1000, "remaining": 1000,
                                                       "reset_after": 0, "max_concurrency": 1}})  # fmt: skip
        if path.endswith("/commands") and request.method == "PUT":
            self.commands = [
                dict(c, id=snowflake(), application_id=APP_ID, version="1") for c in body
            ]
            return self._json(self.commands)
        if path.endswith("/commands") and request.method == "GET":
            return self._json(self.commands)
        if path.startswith("/channels/") and path.endswith("/messages"):
            return self._json(self._keep(self._message(body, path.split("/")[2])))
        if path.startswith("/interactions/"):
            return self._json(self._callback(path.split("/")[2], body))
        if path.startswith("/webhooks/"):
            return self._json(self._keep(self._message(body or {})))
        return self._json({"message": "404: Not Found", "code": 0}, 404)

    def _keep(self, message: dict[str, Any]) -> dict[str, Any]:
        self.messages[message["id"]] = message
        return message

    def _callback(self, interaction_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """An interaction's response: a new message (4), its message edited in place (7), or
        none yet (5, 6: deferred)."""
        kind, data = body.get("type"), body.get("data") or {}
        asked = self._interactions.get(interaction_id, {})
        message = None
        if kind == 4:
            message = self._keep(
                self._message(data) | {"interaction_metadata": self._metadata(asked)}
            )
        elif kind == 7:
            message = self._edit(str(asked["message"]["id"]), data)
        interaction = {"id": interaction_id, "type": asked.get("type", 2),
                       "response_message_id": message["id"] if message else None,
                       "response_message_loading": kind == 5,
                       "response_message_ephemeral": bool(data.get("flags", 0) & 64)}  # fmt: skip
        resource = {"type": kind, "message": message} if message else None
        return {"interaction": interaction, "resource": resource}

    def _edit(self, message_id: str, data: dict[str, Any]) -> dict[str, Any]:
        """UPDATE_MESSAGE: what the response gives replaces the message's, the rest stays."""
        if message_id not in self.messages:  # a message from before the fake started
            self.messages[message_id] = self._message({}) | {"id": message_id}
        changes = {k: data[k] for k in ("content", "embeds", "components") if k in data}
        message = self.messages[message_id] | changes
        message["edited_timestamp"] = "2026-01-01T00:00:01+00:00"
        self.messages[message_id] = message
        self.edits.append((message_id, changes))
        return message

    @staticmethod
    def _metadata(interaction: dict[str, Any]) -> dict[str, Any]:
        """Which interaction a reply answers, and whose it was (``Message.interaction_metadata``)."""
        who = (interaction.get("member") or {}).get("user") or interaction.get("user")
        return {"id": interaction.get("id", snowflake()), "type": interaction.get("type", 2),
                "user": who or user("0", "unknown"),
                "authorizing_integration_owners": interaction.get("authorizing_integration_owners", {})}  # fmt: skip

    # --- gateway ---------------------------------------------------------------------------

    async def _send(self, ws: web.WebSocketResponse, deflate: Any, payload: dict[str, Any]) -> None:
        data = deflate.compress(json.dumps(payload).encode()) + deflate.flush(zlib.Z_SYNC_FLUSH)
        await ws.send_bytes(data)

    def owner(self, guild_id: str | None) -> Connection | None:
        """The connection Discord would send ``guild_id``'s events to (the newest that owns it)."""
        return next((c for c in reversed(self.connections) if c.owns(guild_id)), None)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send an event on the connection of its server's shard (a DM's: shard 0)."""
        guild_id = data.get("guild_id")
        await self.wait_for(lambda: self.owner(guild_id) is not None)
        connection = self.owner(guild_id)
        assert connection is not None
        if event == "INTERACTION_CREATE":
            self._interactions[data["id"]] = data
        self._seq += 1
        await self._send(connection.ws, connection.deflate,
                         {"op": 0, "t": event, "s": self._seq, "d": data})  # fmt: skip
        if self.keep:
            self.dispatched.append(Dispatch(event, data, connection))

    async def close_sockets(self, code: int) -> None:
        """Close every gateway connection with ``code`` (4004: the token is no longer valid)."""
        for c in list(self.connections):
            await c.ws.close(code=code)

    async def reconnect(self) -> None:
        """Send RECONNECT (op 7): the client must reconnect and RESUME."""
        await self.wait_for(lambda: bool(self.connections))
        c = self.connections[-1]
        await self._send(c.ws, c.deflate, {"op": 7, "d": None})

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        deflate = zlib.compressobj()
        entry = Connection(ws, deflate, self._peer(request))
        self.connections.append(entry)
        await self._send(ws, deflate, {"op": 10, "d": {"heartbeat_interval": 41250}})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            op = data.get("op")
            if op == 1:
                await self._send(ws, deflate, {"op": 11, "d": None})
            elif op == 2:
                if self.identify_gate is not None:
                    await self.identify_gate.wait()
                d = data["d"]
                if d.get("token") != TOKEN:
                    await ws.close(code=4004)
                    break
                self.identifies.append(d)
                shard_id, count = d.get("shard") or [0, 1]
                session = f"session-{len(self.identifies)}"
                self._sessions[session] = entry.shard = (shard_id, count)
                mine = {g: n for g, n in self.guilds.items() if shard_of(g, count) == shard_id}
                self._seq += 1
                ready = {"v": 10, "user": BOT_USER, "session_id": session,
                         "resume_gateway_url": self.gateway_url, "shard": [shard_id, count],
                         "guilds": [{"id": g, "unavailable": True} for g in mine],
                         "application": {"id": APP_ID, "flags": 0}, "private_channels": []}  # fmt: skip
                await self._send(ws, deflate, {"op": 0, "t": "READY", "s": self._seq, "d": ready})
                for gid, name in mine.items():
                    self._seq += 1
                    await self._send(ws, deflate, {"op": 0, "t": "GUILD_CREATE", "s": self._seq,
                                                   "d": guild(gid, name)})  # fmt: skip
                for event, payload in self.after_ready:
                    self._seq += 1
                    await self._send(
                        ws, deflate, {"op": 0, "t": event, "s": self._seq, "d": payload}
                    )
            elif op == 6:
                self.resumes.append(data["d"])
                entry.shard = self._sessions.get(data["d"].get("session_id", ""))
                self._seq += 1
                await self._send(ws, deflate, {"op": 0, "t": "RESUMED", "s": self._seq, "d": {}})
            await self._notify()
        if entry in self.connections:
            self.connections.remove(entry)
        await self._notify()
        return ws
