"""``shopcrew run``: every configured adapter in one process, with health, metrics and a clean stop.

One core and one database serve all adapters. SIGTERM (or SIGINT) stops taking new work, lets
in-flight answers finish, closes the connections and the database, well within ten seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal

from aiohttp import web

from adapters.base import Adapter
from adapters.health import add_routes, ops_app
from bot.core import Bot
from bot.ops.metrics import Metrics
from bot.plans.service import PlanService
from bot.settings import Settings
from bot.storage import Storage

log = logging.getLogger("shopcrew.run")
DRAIN_SECONDS = 5.0
#: The readiness probe's answer about the database comes within this, whatever it does.
PROBE_SECONDS = 2.0
#: Closing the database waits this long for the worker thread, then the process goes on.
CLOSE_SECONDS = 3.0


class Runtime:
    """The running process: storage, core, adapters and the operations endpoints."""

    def __init__(self, settings: Settings, storage: Storage, slack: bool, discord: bool) -> None:
        self.settings = settings
        self.storage = storage
        self.metrics = Metrics()
        self.bot = Bot(plans=PlanService(storage.plans), observer=self.metrics.observe)
        self.adapters: list[Adapter] = []
        #: True when Slack serves the operations routes beside /slack/events.
        self.slack_http = slack and settings.effective_slack_mode == "http"
        if slack:
            from adapters.slack.app import SlackAdapter

            ops = self._routes if self.slack_http else None
            self.adapters.append(
                SlackAdapter(self.bot, storage.events, settings, self.metrics, ops)
            )
        if discord:
            from adapters.discord.app import DiscordAdapter

            self.adapters.append(
                DiscordAdapter(self.bot, storage.meta, settings, metrics=self.metrics)
            )
        self._ops: web.AppRunner | None = None
        #: Why the database failed its last readiness probe (logged when it changes).
        self._db_problem: str | None = None

    def adapter(self, name: str) -> Adapter:
        """The running adapter called ``name``."""
        return next(a for a in self.adapters if a.name == name)

    def _routes(self, app: web.Application) -> None:
        add_routes(app, self.metrics, self.readiness)

    async def readiness(self) -> dict[str, bool]:
        """What /readyz reports: the database takes writes, and each adapter is connected."""
        checks = {"database": await self._database_ready()}
        for adapter in self.adapters:
            checks[adapter.name] = await adapter.connected()
        return checks

    async def _database_ready(self) -> bool:
        """Probe the database from a thread, bounded: the endpoint never waits on storage."""
        try:
            problem = await asyncio.wait_for(
                asyncio.to_thread(self.storage.database.problem), PROBE_SECONDS
            )
        except TimeoutError:
            problem = f"no answer from the database within {PROBE_SECONDS:g} s"
        if problem != self._db_problem:
            if problem is None:
                log.info("the database takes writes again", extra={"event": "db_ready"})
            else:
                log.error("not ready: database %s", problem, extra={"event": "db_not_ready"})
            self._db_problem = problem
        return problem is None

    async def start(self) -> None:
        """Start the adapters; health and metrics go on Slack's HTTP server or their own port."""
        if not self.slack_http:
            self._ops = web.AppRunner(ops_app(self.metrics, self.readiness))
            await self._ops.setup()
            host, port = self.settings.http_host, self.settings.http_port
            await web.TCPSite(self._ops, host, port).start()
            log.info("health and metrics on %s:%s", host, port, extra={"event": "ops_listening"})
        for adapter in self.adapters:
            await adapter.start()

    async def stop(self) -> None:
        """Stop taking work, let what is in flight finish, then close everything."""
        # 1. No new work: Slack refuses and stops listening, Discord ignores events.
        for adapter in self.adapters:
            await adapter.stop_intake()
        # 2. Answers already accepted finish (bounded).
        for adapter in self.adapters:
            if not await adapter.inflight.idle(DRAIN_SECONDS):
                log.warning("in-flight answers did not finish in time", extra={"event": "drain"})
        # 3. Only now close the connections they were using, then the database.
        for adapter in self.adapters:
            await adapter.close()
        if self._ops is not None:
            await self._ops.cleanup()
        await self._close_storage()
        log.info("stopped cleanly", extra={"event": "stopped"})

    async def _close_storage(self) -> None:
        """Close the database on the worker thread (it owns the connection), bounded in time."""
        try:
            await asyncio.wait_for(self.bot.offload(self.storage.close), CLOSE_SECONDS)
        except TimeoutError:
            # Every commit is already in the WAL: leaving the checkpoint to the next start is safe.
            log.warning("the database did not close in time", extra={"event": "db_close_slow"})
        self.bot.close()


async def run_until_stopped(
    settings: Settings, storage: Storage, slack: bool, discord: bool
) -> None:
    """Run until SIGTERM or SIGINT."""
    runtime = Runtime(settings, storage, slack, discord)
    storage.database.start_checkpointer()
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
