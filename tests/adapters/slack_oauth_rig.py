"""Driving Slack's OAuth install flow and a distributed app's events from a test.

``Browser.install`` does what a person's browser does: opens ``/slack/install``, follows the
"Add to Slack" link (the fake's consent screen is ``FakeSlack.oauth.grant``), and comes back to
``/slack/oauth_redirect`` with the code, the state and Bolt's state cookie. Events carry the
``authorizations`` Slack sends for the installation that receives them, and are signed.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import aiohttp

from adapters.slack.app import SlackAdapter
from bot.core import Bot
from bot.plans.service import PlanService
from bot.settings import Settings
from bot.storage import Storage, open_storage
from tests.adapters.fake_common import free_port
from tests.adapters.fake_slack import SIGNING_SECRET, FakeSlack
from tests.adapters.fake_slack_oauth import APP_ID, CLIENT_ID, CLIENT_SECRET, Grant
from tests.adapters.slack_rigs import signed

COOKIE = "slack-app-oauth-state"


def oauth_env(fake: FakeSlack) -> dict[str, str]:
    """The settings of a distributed app talking to ``fake`` (HTTP mode)."""
    return {
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SHOPCREW_SLACK_API_URL": fake.api_url,
        "SHOPCREW_SLACK_MODE": "http",
    }


@dataclass
class Browser:
    """A person's browser on the install pages of the ShopCrew at ``base``."""

    session: aiohttp.ClientSession
    base: str
    fake: FakeSlack

    async def install_page(self, lang: str = "en") -> tuple[str, str]:
        """Open ``/slack/install``: the page, and the state cookie Bolt set."""
        headers = {"Accept-Language": lang}
        async with self.session.get(f"{self.base}/slack/install", headers=headers) as r:
            assert r.status == 200, r.status
            cookie = r.cookies[COOKIE].value
            return await r.text(), cookie

    async def back_from_slack(
        self, query: dict[str, str], cookie: str | None, lang: str = "en"
    ) -> tuple[int, str]:
        """Arrive at ``/slack/oauth_redirect`` as Slack sends the browser back."""
        headers = {"Accept-Language": lang}
        if cookie is not None:
            headers["Cookie"] = f"{COOKIE}={cookie}"
        url = f"{self.base}/slack/oauth_redirect?{urlencode(query)}"
        async with self.session.get(url, headers=headers) as r:
            return r.status, await r.text()

    async def install(self, grant: Grant, lang: str = "en") -> tuple[int, str]:
        """The whole flow for ``grant``: the page's status and text at the end."""
        page, cookie = await self.install_page(lang)
        state = state_of(page)
        code = self.fake.oauth.grant(grant)
        return await self.back_from_slack({"code": code, "state": state}, cookie, lang)


def link_of(page: str) -> dict[str, str]:
    """The query of the "Add to Slack" link on an install page (Slack's consent screen)."""
    href = html.unescape(re.search(r'href="([^"]+)"', page)[1])  # type: ignore[index]
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query, keep_blank_values=True).items()}


def state_of(page: str) -> str:
    """The ``state`` of the "Add to Slack" link on an install page."""
    return link_of(page)["state"]


def authorizations(grant: Grant) -> list[dict[str, Any]]:
    """What Slack says about the installation an event is delivered to."""
    return [{"enterprise_id": grant.enterprise, "team_id": None if grant.org_wide else grant.team,
             "user_id": grant.bot_user, "is_bot": True,
             "is_enterprise_install": grant.org_wide}]  # fmt: skip


def event_body(grant: Grant, event: dict[str, Any], event_id: str, team: str | None = None) -> str:
    """An Events API delivery of ``event`` to ``grant``'s installation (written in ``team``)."""
    return json.dumps({
        "token": "t", "team_id": team or grant.team, "enterprise_id": grant.enterprise,
        "api_app_id": APP_ID, "type": "event_callback", "event_id": event_id,
        "event_time": int(time.time()), "authorizations": authorizations(grant), "event": event,
    })  # fmt: skip


def mention(
    grant: Grant, text: str, channel: str, ts: str = "1.1", user: str = "U1"
) -> dict[str, Any]:
    """``@ShopCrew text`` in ``channel``."""
    return {"type": "app_mention", "user": user, "text": f"<@{grant.bot_user}> {text}", "ts": ts,
            "channel": channel, "event_ts": ts}  # fmt: skip


async def post_signed(
    session: aiohttp.ClientSession, url: str, body: str, content_type: str = "application/json"
) -> int:
    """POST ``body`` to ``url`` signed as Slack signs it; the HTTP status."""
    headers = {"Content-Type": content_type, **signed(body, str(int(time.time())))}
    async with session.post(url, data=body.encode(), headers=headers) as r:
        await r.read()
        return r.status


def command_body(grant: Grant, text: str, user: str, key: str, fake: FakeSlack,
                 team: str | None = None) -> str:  # fmt: skip
    """A ``/shopcrew`` slash command from ``team`` (an org-wide install names its organisation)."""
    form = {"token": "t", "team_id": team or grant.team, "team_domain": "shop",
            "channel_id": "C1", "channel_name": "general", "user_id": user, "user_name": user,
            "command": "/shopcrew", "text": text, "api_app_id": APP_ID,
            "response_url": fake.response_url(key), "trigger_id": "1.2.3"}  # fmt: skip
    if grant.enterprise:
        form |= {"enterprise_id": grant.enterprise,
                 "is_enterprise_install": "true" if grant.org_wide else "false"}  # fmt: skip
    return urlencode(form)


@dataclass
class OAuthRig:
    """A distributed Slack adapter in HTTP mode, on its own port, against a fake Slack."""

    fake: FakeSlack
    adapter: SlackAdapter
    storage: Storage
    base: str
    session: aiohttp.ClientSession

    @property
    def browser(self) -> Browser:
        return Browser(self.session, self.base, self.fake)

    async def event(self, grant: Grant, event: dict[str, Any], event_id: str) -> int:
        return await post_signed(
            self.session, f"{self.base}/slack/events", event_body(grant, event, event_id)
        )

    async def command(self, grant: Grant, text: str, user: str, key: str,
                      team: str | None = None) -> int:  # fmt: skip
        body = command_body(grant, text, user, key, self.fake, team)
        return await post_signed(
            self.session, f"{self.base}/slack/events", body, "application/x-www-form-urlencoded"
        )


def adapter_for(storage: Storage, config: Settings) -> SlackAdapter:
    """The Slack adapter over ``storage`` as ``shopcrew run`` builds it."""
    return SlackAdapter(
        Bot(plans=PlanService(storage.plans)), storage.events, config,
        installations=storage.installations, oauth_states=storage.oauth_states,
    )  # fmt: skip


@asynccontextmanager
async def oauth_rig(
    database: str | Path, fake: FakeSlack | None = None, **settings: Any
) -> AsyncIterator[OAuthRig]:
    """A running distributed adapter over ``database``; ``settings`` override fields."""
    own = fake is None
    fake = fake or FakeSlack(admins={"UADMIN"})
    if own:
        await fake.start()
    storage = open_storage(str(database))
    update = {"slack_host": "127.0.0.1", "slack_port": free_port(), **settings}
    config = Settings.model_validate(oauth_env(fake)).model_copy(update=update)
    adapter = adapter_for(storage, config)
    await adapter.start()
    try:
        async with aiohttp.ClientSession() as session:
            base = f"http://127.0.0.1:{config.slack_port}"
            yield OAuthRig(fake, adapter, storage, base, session)
    finally:
        if own:
            await fake.stop()
        await adapter.stop()
        storage.close()
