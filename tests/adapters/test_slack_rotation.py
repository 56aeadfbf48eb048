"""Token rotation across replicas: a refresh token works once, so two replicas renewing the same
workspace's token together must renew it once (the database lock), on either engine."""

from __future__ import annotations

import asyncio
import base64
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.installations import StoredInstallations, record_of
from adapters.slack.oauth import ROTATE_MINUTES
from bot.storage import open_storage
from bot.storage.backend import Backend, Tx
from bot.storage.installations import Installations
from tests.adapters.fake_slack import FakeSlack
from tests.adapters.fake_slack_oauth import CLIENT_ID, CLIENT_SECRET, Grant
from tests.adapters.slack_rigs import until


class Watched:
    """A backend that says when a write transaction is asked for (then does as ``backend``)."""

    def __init__(self, backend: Backend, asked: threading.Event) -> None:
        self.backend = backend
        self.asked = asked

    def transaction(self) -> AbstractContextManager[Tx]:
        self.asked.set()
        return self.backend.transaction()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)


def _replica(store: Installations, fake: FakeSlack) -> StoredInstallations:
    """What one replica's adapter builds: the store, and a rotator talking to the fake."""
    client = AsyncWebClient(base_url=fake.api_url)
    rotator = AsyncTokenRotator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, client=client)
    offload: Callable[..., Any] = asyncio.to_thread
    return StoredInstallations(store, offload, rotator, ROTATE_MINUTES)


def _installed(fake: FakeSlack, grant: Grant) -> Installation:
    """An installation as the OAuth flow saves it, from the fake's own ``oauth.v2.access``."""
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    body = fake.oauth.access({"code": fake.oauth.grant(grant)}, f"Basic {basic}")
    return Installation(
        app_id=body["app_id"], team_id=grant.team, bot_token=body["access_token"],
        bot_id="BT1", bot_user_id=body["bot_user_id"], bot_scopes=body["scope"],
        bot_refresh_token=body["refresh_token"], bot_token_expires_in=body["expires_in"],
        user_id="UINSTALLER", token_type="bot",
    )  # fmt: skip


async def test_two_replicas_renewing_one_token_together_renew_it_once(database_url: str) -> None:
    fake = FakeSlack()
    await fake.start()
    one, two = open_storage(database_url), open_storage(database_url)
    try:
        grant = Grant(team="T1", rotate=True, expires_in=3600)  # within the renewal window
        first = _installed(fake, grant)
        one.installations.save(record_of(first))
        asked = threading.Event()
        a = _replica(one.installations, fake)
        b = _replica(Installations(Watched(two.database, asked)), fake)  # type: ignore[arg-type]
        gate = fake.gates["oauth.v2.access"] = asyncio.Event()

        def refreshes() -> int:
            return len(fake.posted("oauth.v2.access"))

        find = {"enterprise_id": None, "team_id": "T1"}
        renewing = asyncio.create_task(a.async_find_installation(**find))
        await fake.wait_for(lambda: refreshes() == 1)  # A holds the lock, Slack not answered yet
        waiting = asyncio.create_task(b.async_find_installation(**find))
        # B now waits for the lock (or, without one, asks Slack with the same refresh token).
        await until(lambda: asked.is_set() or refreshes() > 1)
        gate.set()
        got_a, got_b = await asyncio.gather(renewing, waiting)

        assert refreshes() == 1
        renewed = fake.oauth.token_of("T1")
        assert renewed != first.bot_token
        assert got_a is not None and got_b is not None
        assert got_a.bot_token == got_b.bot_token == renewed  # B read what A saved
        stored = two.installations.find(None, "T1")
        assert stored is not None and stored.data["bot_token"] == renewed
        assert stored.data["bot_refresh_token"] in fake.oauth.refresh_tokens  # the live one
    finally:
        one.close()
        two.close()
        await fake.stop()
