"""The Slack rig of ``test_slack_e2e`` with settings of the test's choosing, and fixture bodies."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
from slack_sdk.signature import SignatureVerifier

from adapters.slack.app import SlackAdapter
from bot.core import Bot
from bot.plans.service import PlanService
from bot.storage import open_storage
from tests.adapters.fake_common import free_port
from tests.adapters.fake_slack import SIGNING_SECRET, FakeSlack
from tests.adapters.test_slack_e2e import Rig, _settings

FIXTURES = Path(__file__).parent / "fixtures" / "slack"


def fixture(name: str) -> dict[str, Any]:
    """A payload written from Slack's documented fields (a fresh copy each time)."""
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return copy.deepcopy(data)


@asynccontextmanager
async def slack_rig(tmp_path: Path, **settings: Any) -> AsyncIterator[Rig]:
    """A running adapter in HTTP mode against a fake Slack; ``settings`` override fields."""
    fake = FakeSlack(admins={"UADMIN"})
    await fake.start()
    db = tmp_path / "shopcrew.db"
    storage = open_storage(db)
    update = {"slack_host": "127.0.0.1", "slack_port": free_port(), **settings}
    config = _settings(fake, db, "http").model_copy(update=update)
    adapter = SlackAdapter(Bot(plans=PlanService(storage.plans)), storage.events, config)
    await adapter.start()
    url = f"http://127.0.0.1:{config.slack_port}/slack/events"
    try:
        async with aiohttp.ClientSession() as session:
            yield Rig(fake, adapter, storage, url, session, db)
    finally:
        await fake.stop()  # first: releases any call the fake holds, so the adapter can stop
        await adapter.stop()
        storage.close()


def signed(body: str, stamp: str, secret: str = SIGNING_SECRET) -> dict[str, str]:
    """The headers Slack sends with ``body``."""
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(
            timestamp=stamp, body=body
        ),
    }


class Lines(logging.Handler):
    """Collects the messages of one logger's records (to wait on a line)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


async def until(predicate: Any, timeout: float = 15.0) -> None:
    """Poll ``predicate()`` until it holds (for things no fake records, like log lines)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"not true within {timeout:g} s")
        await asyncio.sleep(0.02)


@asynccontextmanager
async def logged(name: str = "shopcrew.slack") -> AsyncIterator[Lines]:
    """Collect the lines logged to ``name`` meanwhile."""
    lines = Lines()
    logger = logging.getLogger(name)
    logger.addHandler(lines)
    try:
        yield lines
    finally:
        logger.removeHandler(lines)
