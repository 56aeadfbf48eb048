"""``shopcrew run``: every configured adapter in one process, with health, metrics and a clean stop.

One intent layer and one database serve all adapters. SIGTERM (or SIGINT) stops taking new work,
lets in-flight answers finish, closes the database and returns, well within ten seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from typing import Any

from aiohttp import web

from bot.core import Bot
from bot.ops.health import add_routes, ops_app
from bot.ops.metrics import Metrics
from bot.plans import PlanService, PlanStore
from bot.settings import Settings

log = logging.getLogger("shopcrew.run")
DRAIN_SECONDS = 5.0


class Runtime:
    """The running process: store, bot, adapters and the operations endpoints."""

    def __init__(self, settings: Settings, store: PlanStore, slack: bool, discord: bool) -> None:
        self.settings = settings
        self.store = store
        self.metrics = Metrics()
        self.bot = Bot(plans=PlanService(store), observer=self.metrics.observe)
        self.slack: Any = None
        self.discord: Any = None
        if slack:
            from adapters.slack.app import SlackAdapter

            self.slack = SlackAdapter(self.bot, store, settings, self.metrics)
        if discord:
            from adapters.discord.app import DiscordAdapter

            self.discord = DiscordAdapter(self.bot, store, settings, metrics=self.metrics)
        self._ops: web.AppRunner | None = None

    async def readiness(self) -> dict[str, bool]:
        """What /readyz reports: the database takes writes, and each adapter is connected."""
        checks = {"database": self.store.writable()}
        if self.slack is not None:
            checks["slack"] = await self.slack.connected()
        if self.discord is not None:
            checks["discord"] = await self.discord.connected()
        return checks

    async def start(self) -> None:
        """Start the adapters; health and metrics go on Slack's HTTP server or their own port."""

        def ops(app: web.Application) -> None:
            add_routes(app, self.metrics, self.readiness)

        slack_http = self.slack is not None and self.slack.mode == "http"
        if self.slack is not None:
            await self.slack.start(ops if slack_http else None)
        if not slack_http:
            self._ops = web.AppRunner(ops_app(self.metrics, self.readiness))
            await self._ops.setup()
            await web.TCPSite(self._ops, self.settings.http_host, self.settings.http_port).start()
            log.info(
                "health and metrics on %s:%s", self.settings.http_host, self.settings.http_port,
                extra={"event": "ops_listening"},
            )  # fmt: skip
        if self.discord is not None:
            await self.discord.start()

    async def stop(self) -> None:
        """Stop taking work, let what is in flight finish, then close the database."""
        # 1. No new work: Slack stops listening (or closes its socket), Discord ignores events.
        if self.slack is not None:
            await self.slack.stop_intake()
        if self.discord is not None:
            self.discord.stop_intake()
        # 2. Answers already being built and posted finish (bounded).
        for adapter in (self.slack, self.discord):
            if adapter is not None and not await adapter.inflight.idle(DRAIN_SECONDS):
                log.warning("in-flight answers did not finish in time", extra={"event": "drain"})
        # 3. Only now close the connections they were using, then the database.
        if self.slack is not None:
            await self.slack.close()
        if self.discord is not None:
            await self.discord.stop()
        if self._ops is not None:
            await self._ops.cleanup()
        self.store.close()
        log.info("stopped cleanly", extra={"event": "stopped"})


async def serve(settings: Settings, store: PlanStore, slack: bool, discord: bool) -> None:
    """Run until SIGTERM or SIGINT."""
    runtime = Runtime(settings, store, slack, discord)
    if str(settings.db) != ":memory:":
        store.start_checkpointer(settings.db)
    # Everything loaded so far lives as long as the process: keep it out of the collector's
    # scans, so full collections (pauses on the event loop) stay short.
    gc.collect()
    gc.freeze()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # not on every platform
            loop.add_signal_handler(sig, stop.set)
    await runtime.start()
    log.info("ShopCrew is running", extra={"event": "started"})
    await stop.wait()
    log.info("stopping", extra={"event": "stopping"})
    await runtime.stop()
