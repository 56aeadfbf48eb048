"""The Slack adapter: slack-bolt listeners that translate, ask the core, and post answers.

Socket Mode (``AsyncSocketModeHandler``, aiohttp) or HTTP mode (Bolt's aiohttp app at
``/slack/events``). Every Web API client uses ``Settings.slack_api_url``, so the adapter can run
behind a proxy and be tested against a fake Slack on 127.0.0.1. Cross-cutting concerns (intake,
retries, in-flight work) are one middleware (``adapters.slack.middleware``); timeouts and
retries of the Web API are in ``adapters.slack.webapi``.

One workspace (``SLACK_BOT_TOKEN``) or any number of them (``SLACK_CLIENT_ID`` and
``SLACK_CLIENT_SECRET``: Bolt's OAuth flow, see ``adapters.slack.oauth``). Either way every Web
API call is made with the per-request client Bolt hands each listener (``context.client``),
which carries the token of the installation the request came from; ``self.client`` is only
its template (base URL, timeout, retries, the shared session).

When Slack hears "200 OK" (Bolt's ``process_before_response=True``):

- An event (a mention, a DM) is acknowledged after it was answered. Slack does not send an
  acknowledged event again, so acknowledging first meant that a crash before the answer lost
  the message for good; now Slack retries it, and the de-duplication keeps the answer to one
  (see ``adapters.slack.middleware``). Answers take milliseconds, well within Slack's 3 s; when
  posting is slow Slack may retry meanwhile (on any replica): that copy gets 503, and Slack's
  next retry, a minute later, is dropped as handled.
- A slash command or a button click is acknowledged first (``ack()``), and answered after it,
  through its response URL: Slack's 3-second deadline holds for the acknowledgement whatever
  the answer costs, and Slack never retries these anyway.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.base import InFlight
from adapters.slack import oauth, webapi, wellformed
from adapters.slack.home import HomeTabs
from adapters.slack.middleware import Intake, done, event_key
from adapters.slack.outbox import Outbox
from adapters.slack.translate import (
    ACTION_ID,
    action_to_incoming,
    command_to_incoming,
    event_to_incoming,
    installation_of,
    is_answered,
    is_external,
    is_member,
    locale_lang,
    place_of,
    reply_thread,
    without_public,
)
from bot.core import Bot
from bot.models import Answer
from bot.ops.metrics import Metrics
from bot.plans.service import workspace_key
from bot.requests import PlanRequest, Request, as_admin
from bot.settings import Settings
from bot.storage.events import SeenEvents
from bot.storage.installations import Installations, OAuthStates
from knowledge import Lang

log = logging.getLogger("shopcrew.slack")
ADMIN_CACHE_SECONDS = 600.0
Body = dict[str, Any]
SEND_ERRORS = webapi.SEND_ERRORS
_error = webapi.error_text
Ops = Callable[[web.Application], None]


@dataclass(frozen=True, slots=True)
class Rights:
    """What ``users.info`` says of a user, for this installation."""

    admin: bool
    #: A guest from another organisation (Slack Connect).
    external: bool = False
    #: The language of the user's Slack locale, when ShopCrew speaks it.
    lang: Lang | None = None


def change_of(request: Request, answer: Answer) -> str | None:
    """Which committed plan change ``answer`` announces (workspace, user, command), if any."""
    if not answer.changed_plan or not isinstance(request, PlanRequest):
        return None
    origin, command = request.origin, request.command
    words = command.canonical() if command is not None else request.text
    return f"{workspace_key(origin)} by {origin.user}: plan {words}"


class SlackAdapter:
    """One Slack app for every workspace that installs ShopCrew (a plan per installation)."""

    name = "slack"

    def __init__(
        self,
        bot: Bot,
        seen: SeenEvents,
        settings: Settings,
        metrics: Metrics | None = None,
        ops: Ops | None = None,
        *,
        installations: Installations | None = None,
        oauth_states: OAuthStates | None = None,
    ) -> None:
        if not settings.slack_configured:
            raise ValueError("neither SLACK_BOT_TOKEN nor SLACK_CLIENT_ID/SECRET is set")
        self.bot = bot
        self.settings = settings
        self.mode = settings.effective_slack_mode
        self.metrics = metrics
        #: Posting answers (messages, response URLs, pictures) and reporting failures.
        self.outbox = Outbox(metrics)
        #: Routes (health, metrics) to serve beside /slack/events in HTTP mode.
        self.ops = ops
        self.inflight = InFlight()
        token = None if settings.slack_oauth else settings.slack_bot_token
        # The template of every per-request client (see the module docstring).
        self.client = webapi.template_client(
            settings.slack_api_url, settings.slack_api_timeout, token
        )
        #: Bolt's OAuth flow and its upkeep when the app is distributed (None: one bot token).
        self.oauth = (
            oauth.Distribution(settings, installations, oauth_states, self.client, bot.offload)
            if settings.slack_oauth
            else None
        )
        secret = settings.slack_signing_secret
        self.app = AsyncApp(
            client=self.client,
            oauth_flow=self.oauth.flow if self.oauth else None,
            oauth_settings=self.oauth.flow.settings if self.oauth else None,
            user_facing_authorize_error_message=oauth.NOT_INSTALLED,
            signing_secret=secret.get_secret_value() if secret else None,
            # Socket Mode requests come over an authenticated websocket, not signed HTTP.
            request_verification_enabled=self.mode == "http",
            # Events are answered before they are acknowledged (see the module docstring).
            process_before_response=True,
            # An accepted request no listener takes still ends its in-flight count (on_error).
            raise_error_for_unhandled_request=True,
        )
        self.intake = Intake(
            self.inflight,
            seen,
            metrics,
            bot.offload,
            owner=settings.replica,
            claim_seconds=settings.slack_claim_seconds,
        )
        self.app.use(self.intake)
        #: The Home tab: who has it open, re-publishing it after changes, its modals.
        self.home = HomeTabs(self)
        self._handler: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self._admins: dict[tuple[str, str], tuple[Rights, float]] = {}
        #: Commands and clicks being answered after their acknowledgement.
        self._tasks: set[asyncio.Task[None]] = set()
        self._register()

    @property
    def retries_dropped(self) -> int:
        """Repeated deliveries recognised and not handled again (Slack's retries, replays)."""
        return self.intake.retries_dropped

    # --- helpers -----------------------------------------------------------------------------

    async def rights(self, team: str, user: str, client: AsyncWebClient) -> Rights:
        """Admin rights, membership and language (``users.info``, cached for ten minutes).

        A user whose team is not this installation's (a Slack Connect guest) is external, and
        never an admin here, whatever their own organisation says. ``client``: the request's
        (its installation's token).
        """
        key = (team, user)
        cached = self._admins.get(key)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        try:
            info = await client.users_info(user=user, include_locale=True)
        except SEND_ERRORS as exc:
            log.warning("users.info failed for %s/%s: %s", team, user, _error(exc))
            return Rights(admin=False)  # refuse admin-only commands rather than guess
        data = info.get("user") or {}
        external = not is_member(data, team)
        admin = bool(data.get("is_admin") or data.get("is_owner") or data.get("is_primary_owner"))
        lang = locale_lang(data.get("locale"))
        rights = Rights(admin=admin and not external, external=external, lang=lang)
        self._admins[key] = (rights, time.monotonic() + ADMIN_CACHE_SECONDS)
        return rights

    async def answer(self, request: Request, client: AsyncWebClient) -> Answer:
        """Look up admin rights (with the request's ``client``) when needed, then ask the core.
        After a change to the plan, the Home tabs open on it are published again."""
        if request.needs_admin:
            origin = request.origin
            rights = await self.rights(origin.workspace, origin.user, client)
            request = as_admin(request, rights.admin, rights.external)
        answer = await self.bot.handle_async(request)
        if answer.changed_plan:
            self.home.changed(request.origin.workspace, client)
        return answer

    def later(self, work: Awaitable[None], context: AsyncBoltContext) -> None:
        """Run ``work`` after the acknowledgement (commands, clicks); it stays in flight."""

        async def run() -> None:
            try:
                await work
            except Exception as exc:  # a listener's failure must not vanish with its task
                log.error("Slack listener failed: %r", exc, extra={"event": "slack_listener_error"})
            finally:
                await done(context)

        task = asyncio.create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- listeners -------------------------------------------------------------------------

    def _register(self) -> None:
        app = self.app
        app.event("app_mention")(self.on_mention)
        app.event("message")(self.on_message)
        app.command("/shopcrew")(self.on_command)
        app.action(re.compile(rf"^{ACTION_ID}_\d+$"))(self.on_click)
        self.home.register(app)
        if self.oauth is not None:
            self.oauth.register(app)
        else:
            oauth.register_single_workspace(app)
        app.error(self.on_error)

    async def on_mention(
        self, event: Body, body: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """@ShopCrew in a channel: answered in a thread."""
        try:
            await self._on_event(event, body, client, context)
        finally:
            await done(context)

    async def on_message(
        self, event: Body, body: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """Direct messages; channel messages reach us as ``app_mention``."""
        try:
            if event.get("channel_type") == "im":
                await self._on_event(event, body, client, context)
        finally:
            await done(context)

    async def on_command(
        self, ack: AsyncAck, body: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """``/shopcrew …``: private unless ``public``; plan changes are announced."""
        await ack()  # first thing: Slack's 3-second deadline applies to the ack
        self.later(self._command(body, client), context)

    async def _command(self, body: Body, client: AsyncWebClient) -> None:
        message, public = command_to_incoming(body, self.bot.knowledge.vocab)
        request = await self.bot.parse_async(message)
        answer = await self.answer(request, client)
        url = str(body.get("response_url") or "")
        changed = change_of(request, answer)
        await self.outbox.respond(client, url, answer, public or answer.changed_plan, changed)
        await self.outbox.picture(client, answer, *place_of(body), url=url)

    async def on_click(
        self, ack: AsyncAck, body: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """A suggestion button: its request runs as if typed (plan commands directly)."""
        await ack()
        self.later(self._click(body, client), context)

    async def _click(self, body: Body, client: AsyncWebClient) -> None:
        value, origin = action_to_incoming(body)
        request = await self.bot.parse_button_async(value, origin)
        answer = await self.answer(request, client)
        url = str(body.get("response_url") or "")
        await self.outbox.respond(
            client, url, answer, answer.changed_plan, change_of(request, answer)
        )
        await self.outbox.picture(client, answer, *place_of(body), url=url)

    async def on_error(self, error: Exception, context: AsyncBoltContext) -> None:
        """Unhandled requests and listener failures: logged; the in-flight count ends."""
        await done(context)
        if type(error).__name__ != "BoltUnhandledRequestError":
            log.error("Slack listener failed: %r", error, extra={"event": "slack_listener_error"})

    async def _on_event(
        self, event: Body, body: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        if not is_answered(event, context.bot_user_id):
            return
        text = without_public(str(event.get("text") or ""), self.bot.knowledge.vocab)
        message = event_to_incoming(
            event | {"text": text},
            installation_of(body),
            external=is_external(event, body),
            delivery=event_key(body),
        )
        request = await self.bot.parse_async(message)
        answer = await self.answer(request, client)
        channel, thread = str(event["channel"]), reply_thread(event)
        await self.outbox.deliver(client, channel, thread, answer, change_of(request, answer))

    # --- running (the ``Adapter`` interface) -------------------------------------------------

    def web_app(self) -> web.Application:
        """The aiohttp application serving ``/slack/events`` (HTTP mode), with the ops routes."""
        app = self.app.web_app(path="/slack/events")
        app.middlewares.append(wellformed.middleware("/slack/events"))
        wellformed.quiet_rejections()
        if self.ops is not None:
            self.ops(app)
        return app

    def add_oauth_routes(self, app: web.Application) -> None:
        """Serve the install pages on ``app`` (Socket Mode: the operations port); no-op
        with a single bot token. In HTTP mode Bolt's server has them already."""
        if self.oauth is not None:
            oauth.add_routes(app, self.oauth.flow)

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
        # Created with the client's timeout: a session's own default (300 s) would replace it.
        self.client.session = webapi.session(self.client.timeout)
        await self.intake.reclaim()  # before the first request: see ``Intake.reclaim``
        if self.oauth is not None:
            await self.oauth.purger.once()  # before taking events: a start-up purge, then daily
            self.oauth.purger.start_daily()
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
        if self.oauth is not None:
            log.info("Slack install page on %s:%s%s", host, port, self.oauth.flow.install_path)

    async def stop_intake(self) -> None:
        """Take no new events: refuse them, and close the socket or stop listening."""
        self.inflight.accepting = False
        if self.oauth is not None:
            self.oauth.purger.stop()
        if self._handler is not None:
            await self._handler.close_async()
            self._handler = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def close(self) -> None:
        """Release the Web API connections (after in-flight answers were posted)."""
        await self.home.close()
        session = self.client.session
        if session is not None and not session.closed:
            await session.close()

    async def stop(self) -> None:
        """Stop taking events, let in-flight answers finish, then close."""
        await self.stop_intake()
        await self.inflight.idle(5.0)
        await self.close()
