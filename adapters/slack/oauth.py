"""Slack OAuth distribution: Bolt's install flow over ShopCrew's database, in the user's language.

With ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` set (instead of ``SLACK_BOT_TOKEN``), any
workspace installs ShopCrew: ``/slack/install`` shows the "Add to Slack" page (a one-time state
in the database, and Bolt's state cookie in the browser), Slack sends the browser back to
``/slack/oauth_redirect``, and Bolt exchanges the code (``oauth.v2.access``) and saves the
installation (``adapters.slack.installations``). In HTTP mode Bolt's server serves both pages
next to ``/slack/events``; in Socket Mode ``add_routes`` puts them on the operations port
(``SHOPCREW_HTTP_PORT``). Every Web API call of the flow and of token renewal goes through the
adapter's template client: ``SHOPCREW_SLACK_API_URL``, its timeout and its retries apply.

Workspaces that uninstalled the app lose their tokens at once; their plans are purged after
``SHOPCREW_SLACK_UNINSTALL_GRACE_DAYS`` by ``Purger``, at start-up and then once a day.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.logger import get_bolt_logger
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import pages, webapi
from adapters.slack.installations import NETWORK_ERRORS, StoredInstallations, StoredStates
from adapters.slack.middleware import Offload, done
from adapters.slack.translate import installation_of
from bot.settings import Settings
from bot.storage.errors import StorageError
from bot.storage.installations import Installations, OAuthStates
from bot.strings import t

log = logging.getLogger("shopcrew.slack")

#: The bot scopes ShopCrew asks for (the same as deploy/slack-manifest.yaml, a test checks).
SCOPES = (
    "app_mentions:read", "chat:write", "commands", "files:write", "im:history", "im:write",
    "users:read",
)  # fmt: skip
#: A token expiring within this many minutes is renewed before use, under the workspace's lock
#: (``adapters.slack.installations``; Bolt's default window).
ROTATE_MINUTES = 120
#: Bolt's own renewal (unlocked) only for a token expiring within a minute: one the store has
#: just renewed never does (Slack's last 12 hours), so Bolt never races the store.
BOLT_ROTATE_MINUTES = 1
#: How long an install link stays valid (Bolt's default).
STATE_SECONDS = 600
#: Uninstalled workspaces past their grace period are purged this often (and at start-up).
PURGE_EVERY_SECONDS = 86_400.0
_HTML = "text/html; charset=utf-8"
#: What a command from a workspace without an installation is told (its language is unknown).
NOT_INSTALLED = "\n".join(t(lang, "slack.not_installed") for lang in ("en", "es"))


class ShopCrewOAuthFlow(AsyncOAuthFlow):
    """Bolt's OAuth flow with ShopCrew's pages (English or Spanish: ``adapters.slack.pages``)."""

    async def build_install_page_html(self, url: str, request: AsyncBoltRequest) -> str:
        """The "Add to Slack" page, in the browser's language."""
        return pages.install(pages.language(request.headers), url)

    async def run_installation(self, code: str) -> Installation | None:
        """Bolt's code exchange; a network failure is one line and the "not confirmed" page
        (Bolt handles Slack's own refusals, but lets a dropped connection through)."""
        try:
            return await super().run_installation(code)
        except NETWORK_ERRORS as exc:
            log.warning(
                "a Slack install could not reach oauth.v2.access (%s)",
                webapi.error_text(exc),
                extra={"event": "slack_install_failed"},
            )
            return None

    async def handle_installation(self, request: AsyncBoltRequest) -> BoltResponse:
        """The install page; a polite 503 when no state can be stored (never a traceback)."""
        try:
            return await super().handle_installation(request)
        except StorageError as exc:
            log.warning("the install page could not issue a state (%s: %s)", exc.kind, exc.detail)
            body = pages.unavailable(pages.language(request.headers))
            return BoltResponse(status=503, body=body, headers={"Content-Type": _HTML})


async def _installed(args: AsyncSuccessArgs) -> BoltResponse:
    installation = args.installation
    if installation.is_enterprise_install and installation.enterprise_url:
        # An org-wide install is then added to the organisation's workspaces by its admins.
        url = (f"{installation.enterprise_url}manage/organization/apps/profile/"
               f"{installation.app_id}/workspaces/add")  # fmt: skip
    else:
        url = f"slack://app?team={installation.team_id}&id={installation.app_id}"
    return BoltResponse(
        status=200,
        body=pages.installed(pages.language(args.request.headers), url),
        headers={
            "Content-Type": _HTML,
            "Set-Cookie": args.settings.state_utils.build_set_cookie_for_deletion(),
        },
    )


async def _failed(args: AsyncFailureArgs) -> BoltResponse:
    log.warning("a Slack install failed (%s)", args.reason, extra={"event": "slack_install_failed"})
    lang = pages.language(args.request.headers)
    return BoltResponse(
        status=args.suggested_status_code,
        body=pages.failed(lang, args.reason, args.settings.install_path),
        headers={
            "Content-Type": _HTML,
            "Set-Cookie": args.settings.state_utils.build_set_cookie_for_deletion(),
        },
    )


def oauth_flow(
    settings: Settings,
    installations: Installations,
    states: OAuthStates,
    client: AsyncWebClient,
    offload: Offload,
) -> ShopCrewOAuthFlow:
    """Bolt's OAuth flow for ``settings``, its stores in the database, its calls via ``client``."""
    client_id, secret = settings.slack_client_id, settings.slack_client_secret
    if client_id is None or secret is None:
        raise ValueError("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are not set")
    client_secret = secret.get_secret_value()
    rotator = AsyncTokenRotator(client_id=client_id, client_secret=client_secret, client=client)
    store = StoredInstallations(installations, offload, rotator, ROTATE_MINUTES)
    oauth = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(SCOPES),
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri,
        installation_store=store,
        state_store=StoredStates(states, offload, STATE_SECONDS),
        state_expiration_seconds=STATE_SECONDS,
        callback_options=AsyncCallbackOptions(success=_installed, failure=_failed),
        token_rotation_expiration_minutes=ROTATE_MINUTES,
    )
    # Bolt's own authorize would renew tokens through a client of its own (slack.com, no
    # retries) and without a lock; this one uses the template client, and the store renews first.
    oauth.authorize = AsyncInstallationStoreAuthorize(
        logger=get_bolt_logger(AsyncInstallationStoreAuthorize),
        installation_store=store,
        client_id=client_id,
        client_secret=client_secret,
        token_rotation_expiration_minutes=BOLT_ROTATE_MINUTES,
        client=client,
    )
    return ShopCrewOAuthFlow(client=client, settings=oauth)


def add_routes(app: web.Application, flow: AsyncOAuthFlow) -> None:
    """Serve ``/slack/install`` and ``/slack/oauth_redirect`` on ``app`` (Socket Mode's port)."""

    async def install(request: web.Request) -> web.Response:
        return await to_aiohttp_response(
            await flow.handle_installation(await to_bolt_request(request))
        )

    async def redirect(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

    app.router.add_get(flow.install_path, install)
    app.router.add_get(flow.redirect_uri_path, redirect)
    log.info("Slack install page on the operations port (SHOPCREW_HTTP_PORT): %s",
             flow.install_path)  # fmt: skip


class MissingInstallations(logging.Filter):
    """Bolt logs an ERROR for every request from a workspace without an installation; the
    store has already said so in one polite line (``slack_not_installed``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Although the app should be installed")


def quiet_missing_installations() -> None:
    """Install ``MissingInstallations`` on Bolt's authorization logger (once)."""
    logger = logging.getLogger("slack_bolt.AsyncMultiTeamsAuthorization")
    if not any(isinstance(f, MissingInstallations) for f in logger.filters):
        logger.addFilter(MissingInstallations())


class Purger:
    """Purges the plans of workspaces uninstalled longer ago than the grace period.

    Runs at start-up and then once a day, on every replica: a purge is idempotent, and each
    workspace's is one transaction under its lock.
    """

    def __init__(
        self,
        installations: Installations,
        offload: Callable[..., Awaitable[list[str]]],
        grace_days: int,
    ) -> None:
        self.installations = installations
        self.offload = offload
        self.grace_days = grace_days
        self._task: asyncio.Task[None] | None = None

    async def once(self) -> list[str]:
        """Purge now; the workspaces purged (a database failure is logged, not raised)."""
        try:
            purged = await self.offload(self.installations.purge, self.grace_days * 86_400.0)
        except StorageError as exc:
            log.warning("could not purge uninstalled workspaces (%s: %s); trying again tomorrow",
                        exc.kind, exc.detail)  # fmt: skip
            return []
        for workspace in purged:
            log.info(
                "purged the plan and history of Slack workspace %s (uninstalled %d days ago "
                "or more)", workspace, self.grace_days,
                extra={"event": "slack_workspace_purged", "workspace": workspace},
            )  # fmt: skip
        return purged

    def start_daily(self) -> None:
        """Purge once a day from now on, until ``stop``."""

        async def daily() -> None:
            while True:
                await asyncio.sleep(PURGE_EVERY_SECONDS)
                await self.once()

        self._task = asyncio.create_task(daily())

    def stop(self) -> None:
        """Stop the daily purge."""
        if self._task is not None:
            self._task.cancel()
            self._task = None


class Distribution:
    """What the Slack adapter adds when the app is distributed: Bolt's OAuth flow over the
    database, the uninstall listeners, and the purge of uninstalled workspaces."""

    def __init__(
        self,
        settings: Settings,
        installations: Installations | None,
        states: OAuthStates | None,
        client: AsyncWebClient,
        offload: Offload,
    ) -> None:
        if installations is None or states is None:
            raise ValueError("Slack OAuth needs the installation and OAuth state stores")
        quiet_missing_installations()
        self.grace_days = settings.slack_uninstall_grace_days
        self.flow = oauth_flow(settings, installations, states, client, offload)
        self.store = self.flow.settings.installation_store
        self.purger = Purger(installations, offload, self.grace_days)

    def register(self, app: AsyncApp) -> None:
        """Listen to ``tokens_revoked`` and ``app_uninstalled`` (subscribed in the manifest)."""
        app.event("tokens_revoked")(self.on_tokens_revoked)
        app.event("app_uninstalled")(self.on_uninstalled)

    @staticmethod
    def _ids(context: AsyncBoltContext) -> dict[str, str | None]:
        """The installation an event is about. As Bolt's own listeners do, but an org-wide
        install is its organisation's whatever team the payload names (it has no team)."""
        team = None if context.is_enterprise_install else context.team_id
        return {"enterprise_id": context.enterprise_id, "team_id": team}

    async def on_uninstalled(self, body: dict[str, Any], context: AsyncBoltContext) -> None:
        """Every token of the installation is deleted at once (one transaction); its plan is
        kept for the grace period."""
        try:
            await self.store.async_delete_all(**self._ids(context))
            workspace = installation_of(body)
            log.info(
                "Slack app uninstalled from %s: its tokens are deleted, its plan is kept "
                "%d days", workspace, self.grace_days,
                extra={"event": "slack_uninstalled", "workspace": workspace},
            )  # fmt: skip
        finally:
            await done(context)

    async def on_tokens_revoked(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        """The revoked tokens are deleted at once; without a bot token the workspace counts as
        uninstalled."""
        try:
            tokens = event.get("tokens") or {}
            for user in tokens.get("oauth") or []:
                await self.store.async_delete_installation(**self._ids(context), user_id=user)
            if tokens.get("bot"):
                await self.store.async_delete_bot(**self._ids(context))
        finally:
            await done(context)


def register_single_workspace(app: AsyncApp) -> None:
    """With one bot token the manifest's ``app_uninstalled`` / ``tokens_revoked`` are
    acknowledged (Slack would retry an unanswered event) and said in one line."""

    async def removed(
        event: dict[str, object], body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        try:
            log.error(
                "Slack says ShopCrew was removed from %s (%s): SLACK_BOT_TOKEN no longer works "
                "there; reinstall the app and set its new token",
                installation_of(body), event.get("type"), extra={"event": "slack_uninstalled"},
            )  # fmt: skip
        finally:
            await done(context)

    app.event("app_uninstalled")(removed)
    app.event("tokens_revoked")(removed)
