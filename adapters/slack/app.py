"""The Slack app: slack-bolt listeners that translate, ask the intent layer, and post answers.

Socket Mode (``AsyncSocketModeHandler``, aiohttp) or HTTP mode (Bolt's aiohttp app at
``/slack/events``). Every Web API client uses ``Settings.slack_api_url``, so the adapter can run
behind a proxy and be tested against a fake Slack on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.translate import (
    ACTION_ID,
    action_to_incoming,
    apology,
    command_to_incoming,
    event_to_incoming,
    is_from_a_bot,
    render,
    reply_thread,
    wants_admin_check,
)
from bot.core import Bot
from bot.models import Answer, Message
from bot.ops.inflight import InFlight
from bot.ops.metrics import Metrics
from bot.plans import PlanStore
from bot.settings import Settings

log = logging.getLogger("shopcrew.slack")
ADMIN_CACHE_SECONDS = 600.0


class SlackAdapter:
    """One Slack app for every workspace that installs ShopCrew (plans are per team id)."""

    def __init__(
        self, bot: Bot, store: PlanStore, settings: Settings, metrics: Metrics | None = None
    ) -> None:
        if settings.slack_bot_token is None:
            raise ValueError("SLACK_BOT_TOKEN is not set")
        self.bot = bot
        self.store = store
        self.settings = settings
        self.mode = settings.effective_slack_mode
        self.client = AsyncWebClient(
            token=settings.slack_bot_token.get_secret_value(),
            base_url=settings.slack_api_url,
            # Without a shared session slack_sdk opens a new connection (and TLS handshake) per
            # call; one session keeps connections alive across calls.
            session=_shared_session(),
            # Slack's "ratelimited" answers carry Retry-After; slack_sdk waits and retries.
            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=3)],
        )
        secret = settings.slack_signing_secret
        self.app = AsyncApp(
            client=self.client,
            signing_secret=secret.get_secret_value() if secret else None,
            # Socket Mode requests come over an authenticated websocket, not signed HTTP.
            request_verification_enabled=self.mode == "http",
            process_before_response=False,
        )
        self.metrics = metrics
        self.inflight = InFlight()
        self._handler: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self._admins: dict[tuple[str, str], tuple[bool, float]] = {}
        self.retries_dropped = 0
        self._register()

    # --- helpers -----------------------------------------------------------------------------

    async def is_admin(self, team: str, user: str) -> bool:
        """Workspace admins and owners (from ``users.info``, cached for ten minutes)."""
        key = (team, user)
        cached = self._admins.get(key)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        try:
            info = await self.client.users_info(user=user)
            data = info.get("user") or {}
            admin = bool(
                data.get("is_admin") or data.get("is_owner") or data.get("is_primary_owner")
            )
        except SlackApiError as exc:
            log.warning("users.info failed for %s/%s: %s", team, user, _error(exc))
            return False  # refuse admin-only commands rather than guess
        self._admins[key] = (admin, time.monotonic() + ADMIN_CACHE_SECONDS)
        return admin

    def first_time(self, body: dict[str, Any]) -> bool:
        """False for a retry of an event already handled (Slack retries by event id)."""
        event_id = body.get("event_id")
        if not event_id:
            return True
        if self.store.first_time(f"slack:{event_id}"):
            return True
        self.retries_dropped += 1
        if self.metrics is not None:
            self.metrics.slack_retries_dropped.inc()
        log.info("dropped retried event %s", event_id, extra={"event": "slack_retry_dropped"})
        return False

    async def answer(self, message: Message) -> Answer:
        """Ask the intent layer (synchronous and fast: called on the event loop)."""
        answer = self.bot.handle(message)
        return answer

    async def _safely(
        self, what: str, send: Callable[[], Awaitable[Any]], sorry: Callable[[], Awaitable[Any]]
    ) -> None:
        try:
            await send()
        except _SEND_ERRORS as exc:
            log.error("Slack %s failed: %s", what, _error(exc), extra={"event": "slack_api_error"})
            if self.metrics is not None:
                self.metrics.errors.labels("slack_api").inc()
            try:
                await sorry()
            except _SEND_ERRORS as again:
                log.error("Slack apology after %s failed too: %s", what, _error(again))

    # --- listeners -----------------------------------------------------------------------

    def _register(self) -> None:
        app = self.app

        @app.event("app_mention")
        async def on_mention(event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
            async with self.inflight.track():
                await self._on_event(event, body, context)

        @app.event("message")
        async def on_message(event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
            # Only direct messages; channel messages reach us as app_mention.
            if event.get("channel_type") == "im":
                async with self.inflight.track():
                    await self._on_event(event, body, context)

        @app.command("/shopcrew")
        async def on_command(ack: Any, body: dict[str, Any], respond: Any) -> None:
            await ack()  # first thing: Slack's 3-second deadline applies to the ack
            async with self.inflight.track():
                await self._on_command(body, respond)

        @app.action(re.compile(rf"^{ACTION_ID}_\d+$"))
        async def on_click(ack: Any, body: dict[str, Any], respond: Any) -> None:
            await ack()
            async with self.inflight.track():
                await self._on_click(body, respond)

    async def _on_command(self, body: dict[str, Any], respond: Any) -> None:
        admin = False
        if wants_admin_check(str(body.get("text") or "")):
            admin = await self.is_admin(str(body.get("team_id")), str(body.get("user_id")))
        message, public = command_to_incoming(body, admin)
        answer = await self.answer(message)
        await self._respond(respond, answer, public or answer.changed_plan)

    async def _on_click(self, body: dict[str, Any], respond: Any) -> None:
        message = action_to_incoming(body)
        if wants_admin_check(message.text):
            admin = await self.is_admin(message.workspace, message.user)
            message = message.model_copy(update={"user_is_admin": admin})
        answer = await self.answer(message)
        await self._respond(respond, answer, answer.changed_plan)

    async def _on_event(self, event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        if is_from_a_bot(event, getattr(context, "bot_user_id", None)):
            return
        if not self.first_time(body):
            return
        team = str(body.get("team_id") or event.get("team") or "unknown")
        admin = False
        if wants_admin_check(str(event.get("text") or "")):
            admin = await self.is_admin(team, str(event.get("user")))
        answer = await self.answer(event_to_incoming(event, team, admin))
        channel, thread = str(event["channel"]), reply_thread(event)

        async def send() -> None:
            for payload in render(answer):
                await self.client.chat_postMessage(channel=channel, thread_ts=thread, **payload)

        async def sorry() -> None:
            await self.client.chat_postMessage(
                channel=channel, thread_ts=thread, text=apology(answer.language)
            )

        await self._safely("chat.postMessage", send, sorry)

    async def _respond(self, respond: Any, answer: Answer, public: bool) -> None:
        kind = "in_channel" if public else "ephemeral"

        async def send() -> None:
            for payload in render(answer):
                await respond(response_type=kind, replace_original=False, **payload)

        async def sorry() -> None:
            await respond(response_type="ephemeral", text=apology(answer.language))

        await self._safely("response_url", send, sorry)

    # --- running -------------------------------------------------------------------------

    def web_app(self) -> web.Application:
        """The aiohttp application serving ``/slack/events`` (HTTP mode)."""
        return self.app.web_app(path="/slack/events")

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

    async def start(self, ops: Callable[[web.Application], None] | None = None) -> None:
        """Connect (Socket Mode) or start serving ``/slack/events`` (HTTP mode).

        ``ops`` may add routes (health, metrics) to the HTTP server before it starts.
        """
        if self.mode == "socket":
            self._handler = self.socket_handler()
            await self._handler.connect_async()
            log.info("Slack Socket Mode connected", extra={"event": "slack_connected"})
            return
        app = self.web_app()
        if ops is not None:
            ops(app)
        # shutdown_timeout: in-flight requests get this long to finish on stop.
        self._runner = web.AppRunner(app, shutdown_timeout=5.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.slack_host, self.settings.slack_port)
        await site.start()
        log.info(
            "Slack HTTP mode on %s:%s/slack/events",
            self.settings.slack_host,
            self.settings.slack_port,
            extra={"event": "slack_listening"},
        )

    async def stop_intake(self) -> None:
        """Stop taking new events (close the socket, or stop listening for HTTP)."""
        if self._handler is not None:
            await self._handler.close_async()
            self._handler = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def close(self) -> None:
        """Release the Web API connections (after in-flight answers were posted)."""
        if self.client.session is not None and not self.client.session.closed:
            await self.client.session.close()

    async def stop(self) -> None:
        """Stop taking events, let in-flight answers finish, then close."""
        await self.stop_intake()
        await self.inflight.idle(5.0)
        await self.close()


def _shared_session() -> aiohttp.ClientSession | None:
    """A connection-pooling session, when created inside the running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return None  # no loop yet: slack_sdk falls back to a session per call
    return aiohttp.ClientSession()


#: Failures of a Web API call: Slack's own errors, and the network's (timeouts, resets).
_SEND_ERRORS = (SlackApiError, aiohttp.ClientError, TimeoutError)


def _error(exc: BaseException) -> str:
    """Slack's error code, the HTTP status when the body was not Slack's JSON, or the cause."""
    if not isinstance(exc, SlackApiError):
        return f"{type(exc).__name__}: {exc}"
    data = exc.response.data
    if isinstance(data, dict):
        return str(data.get("error"))
    return f"HTTP {exc.response.status_code}"
