"""The Slack adapter: slack-bolt listeners that translate, ask the core, and post answers.

Socket Mode (``AsyncSocketModeHandler``, aiohttp) or HTTP mode (Bolt's aiohttp app at
``/slack/events``). Every Web API client uses ``Settings.slack_api_url``, so the adapter can run
behind a proxy and be tested against a fake Slack on 127.0.0.1. Cross-cutting concerns (intake,
retries, in-flight work) are one middleware (``adapters.slack.middleware``).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    async_default_handlers,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.base import InFlight
from adapters.slack import wellformed
from adapters.slack.middleware import Intake, done
from adapters.slack.translate import (
    ACTION_ID,
    action_to_incoming,
    apology,
    command_to_incoming,
    event_to_incoming,
    is_from_a_bot,
    render,
    reply_thread,
)
from bot.core import Bot
from bot.models import Answer
from bot.ops.metrics import Metrics
from bot.requests import Request, as_admin
from bot.settings import Settings
from bot.storage.events import SeenEvents

log = logging.getLogger("shopcrew.slack")
ADMIN_CACHE_SECONDS = 600.0
Body = dict[str, Any]
#: Failures of a Web API call: Slack's own errors, and the network's (timeouts, resets).
SEND_ERRORS = (SlackApiError, aiohttp.ClientError, TimeoutError)
Ops = Callable[[web.Application], None]


def _error(exc: BaseException) -> str:
    """Slack's error code, the HTTP status when the body was not Slack's JSON, or the cause."""
    if not isinstance(exc, SlackApiError):
        return f"{type(exc).__name__}: {exc}"
    data = exc.response.data
    return str(data.get("error")) if isinstance(data, dict) else f"HTTP {exc.response.status_code}"


class SlackAdapter:
    """One Slack app for every workspace that installs ShopCrew (plans are per team id)."""

    name = "slack"

    def __init__(
        self,
        bot: Bot,
        seen: SeenEvents,
        settings: Settings,
        metrics: Metrics | None = None,
        ops: Ops | None = None,
    ) -> None:
        if settings.slack_bot_token is None:
            raise ValueError("SLACK_BOT_TOKEN is not set")
        self.bot = bot
        self.settings = settings
        self.mode = settings.effective_slack_mode
        self.metrics = metrics
        #: Routes (health, metrics) to serve beside /slack/events in HTTP mode.
        self.ops = ops
        self.inflight = InFlight()
        self.client = AsyncWebClient(
            token=settings.slack_bot_token.get_secret_value(),
            base_url=settings.slack_api_url,
            # slack_sdk's defaults (retry a reset connection) plus its rate-limit handler, which
            # waits for Retry-After and tries again.
            retry_handlers=[
                *async_default_handlers(),
                AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            ],
        )
        secret = settings.slack_signing_secret
        self.app = AsyncApp(
            client=self.client,
            signing_secret=secret.get_secret_value() if secret else None,
            # Socket Mode requests come over an authenticated websocket, not signed HTTP.
            request_verification_enabled=self.mode == "http",
            process_before_response=False,
            # An accepted request no listener takes still ends its in-flight count (on_error).
            raise_error_for_unhandled_request=True,
        )
        self.intake = Intake(self.inflight, seen, metrics, bot.offload)
        self.app.use(self.intake)
        self._handler: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self._admins: dict[tuple[str, str], tuple[bool, float]] = {}
        self._register()

    @property
    def retries_dropped(self) -> int:
        """Retried events recognised and not answered again."""
        return self.intake.retries_dropped

    # --- helpers -----------------------------------------------------------------------------

    async def is_admin(self, team: str, user: str) -> bool:
        """Workspace admins and owners (from ``users.info``, cached for ten minutes)."""
        key = (team, user)
        cached = self._admins.get(key)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        try:
            info = await self.client.users_info(user=user)
        except SEND_ERRORS as exc:
            log.warning("users.info failed for %s/%s: %s", team, user, _error(exc))
            return False  # refuse admin-only commands rather than guess
        data = info.get("user") or {}
        admin = bool(data.get("is_admin") or data.get("is_owner") or data.get("is_primary_owner"))
        self._admins[key] = (admin, time.monotonic() + ADMIN_CACHE_SECONDS)
        return admin

    async def answer(self, request: Request) -> Answer:
        """Look up admin rights when the request needs them, then ask the core."""
        if request.needs_admin:
            origin = request.origin
            request = as_admin(request, await self.is_admin(origin.workspace, origin.user))
        return await self.bot.handle_async(request)

    async def _safely(
        self, what: str, send: Callable[[], Awaitable[Any]], sorry: Callable[[], Awaitable[Any]]
    ) -> None:
        try:
            await send()
        except SEND_ERRORS as exc:
            log.error("Slack %s failed: %s", what, _error(exc), extra={"event": "slack_api_error"})
            if self.metrics is not None:
                self.metrics.errors.labels("slack_api").inc()
            try:
                await sorry()
            except SEND_ERRORS as again:
                log.error("Slack apology after %s failed too: %s", what, _error(again))

    # --- listeners -------------------------------------------------------------------------

    def _register(self) -> None:
        app = self.app
        app.event("app_mention")(self.on_mention)
        app.event("message")(self.on_message)
        app.command("/shopcrew")(self.on_command)
        app.action(re.compile(rf"^{ACTION_ID}_\d+$"))(self.on_click)
        app.error(self.on_error)

    async def on_mention(self, event: Body, body: Body, context: AsyncBoltContext) -> None:
        """@ShopCrew in a channel: answered in a thread."""
        try:
            await self._on_event(event, body, context)
        finally:
            done(context)

    async def on_message(self, event: Body, body: Body, context: AsyncBoltContext) -> None:
        """Direct messages; channel messages reach us as ``app_mention``."""
        try:
            if event.get("channel_type") == "im":
                await self._on_event(event, body, context)
        finally:
            done(context)

    async def on_command(
        self, ack: AsyncAck, body: Body, respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        """``/shopcrew …``: private unless ``public``; plan changes are announced."""
        await ack()  # first thing: Slack's 3-second deadline applies to the ack
        try:
            message, public = command_to_incoming(body, self.bot.knowledge.vocab)
            answer = await self.answer(await self.bot.parse_async(message))
            await self._respond(respond, answer, public or answer.changed_plan)
        finally:
            done(context)

    async def on_click(
        self, ack: AsyncAck, body: Body, respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        """A suggestion button: its request runs as if typed (plan commands directly)."""
        await ack()
        try:
            value, origin = action_to_incoming(body)
            answer = await self.answer(await self.bot.parse_button_async(value, origin))
            await self._respond(respond, answer, answer.changed_plan)
        finally:
            done(context)

    async def on_error(self, error: Exception, context: AsyncBoltContext) -> None:
        """Unhandled requests and listener failures: logged; the in-flight count ends."""
        done(context)
        if type(error).__name__ != "BoltUnhandledRequestError":
            log.error("Slack listener failed: %r", error, extra={"event": "slack_listener_error"})

    async def _on_event(self, event: Body, body: Body, context: AsyncBoltContext) -> None:
        if is_from_a_bot(event, context.bot_user_id):
            return
        team = str(body.get("team_id") or event.get("team") or "unknown")
        answer = await self.answer(await self.bot.parse_async(event_to_incoming(event, team)))
        channel, thread = str(event["channel"]), reply_thread(event)

        async def send() -> None:
            for payload in render(answer):
                await self.client.chat_postMessage(channel=channel, thread_ts=thread, **payload)

        async def sorry() -> None:
            await self.client.chat_postMessage(
                channel=channel, thread_ts=thread, text=apology(answer.language)
            )

        await self._safely("chat.postMessage", send, sorry)

    async def _respond(self, respond: AsyncRespond, answer: Answer, public: bool) -> None:
        kind = "in_channel" if public else "ephemeral"

        async def send() -> None:
            for payload in render(answer):
                await respond(response_type=kind, replace_original=False, **payload)

        async def sorry() -> None:
            await respond(response_type="ephemeral", text=apology(answer.language))

        await self._safely("response_url", send, sorry)

    # --- running (the ``Adapter`` interface) -------------------------------------------------

    def web_app(self) -> web.Application:
        """The aiohttp application serving ``/slack/events`` (HTTP mode), with the ops routes."""
        app = self.app.web_app(path="/slack/events")
        app.middlewares.append(wellformed.middleware("/slack/events"))
        wellformed.quiet_rejections()
        if self.ops is not None:
            self.ops(app)
        return app

    def socket_handler(self) -> AsyncSocketModeHandler:
        """The Socket Mode handler (needs SLACK_APP_TOKEN)."""
        token = self.settings.slack_app_token
        if token is None:
            raise ValueError("SLACK_APP_TOKEN is not set (needed for Socket Mode)")
        return AsyncSocketModeHandler(self.app, token.get_secret_value())

    async def connected(self) -> bool:
        """Socket Mode: the websocket is up. HTTP mode: the server is listening."""
        if self.mode == "socket":
            return self._handler is not None and bool(await self._handler.client.is_connected())
        return self._runner is not None

    async def start(self) -> None:
        """Connect (Socket Mode) or start serving ``/slack/events`` (HTTP mode)."""
        # One connection-pooling session for every Web API call, created on the running loop.
        self.client.session = aiohttp.ClientSession()
        if self.mode == "socket":
            self._handler = self.socket_handler()
            await self._handler.connect_async()
            log.info("Slack Socket Mode connected", extra={"event": "slack_connected"})
            return
        # shutdown_timeout: in-flight requests get this long to finish on stop.
        self._runner = web.AppRunner(self.web_app(), shutdown_timeout=5.0)
        await self._runner.setup()
        host, port = self.settings.slack_host, self.settings.slack_port
        await web.TCPSite(self._runner, host, port).start()
        log.info(
            "Slack HTTP mode on %s:%s/slack/events", host, port, extra={"event": "slack_listening"}
        )

    async def stop_intake(self) -> None:
        """Take no new events: refuse them, and close the socket or stop listening."""
        self.inflight.accepting = False
        if self._handler is not None:
            await self._handler.close_async()
            self._handler = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def close(self) -> None:
        """Release the Web API connections (after in-flight answers were posted)."""
        session = self.client.session
        if session is not None and not session.closed:
            await session.close()

    async def stop(self) -> None:
        """Stop taking events, let in-flight answers finish, then close."""
        await self.stop_intake()
        await self.inflight.idle(5.0)
        await self.close()
