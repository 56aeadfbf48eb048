"""``shopcrew run``: every configured adapter in one process, with health, metrics and a clean stop.

One core and one database serve all adapters. SIGTERM (or SIGINT) stops taking new work, lets
in-flight answers finish, closes the connections and the database, well within ten seconds.
An adapter that cannot work (a refused token) or cannot come back after its connection failed
stops the process the same way, with a non-zero exit status, and fails ``/healthz`` meanwhile:
the service manager (systemd, compose) sees it and restarts ShopCrew.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Callable

from aiohttp import web

from adapters.base import Adapter, AdapterFailure, Supervised
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
        # Conversations are kept in the database: replicas (and the next run) share them.
        self.bot = Bot(
            plans=PlanService(storage.plans),
            observer=self.metrics.observe,
            conversations=storage.conversations,
        )
        self.adapters: list[Adapter] = []
        #: True when Slack serves the operations routes beside /slack/events.
        self.slack_http = slack and settings.effective_slack_mode == "http"
        #: Routes of the adapters to serve on the operations port (Slack's install pages in
        #: Socket Mode, when the app is distributed).
        self._extra_routes: list[Callable[[web.Application], None]] = []
        if slack:
            from adapters.slack.app import SlackAdapter

            ops = self._routes if self.slack_http else None
            adapter = SlackAdapter(
                self.bot, storage.events, settings, self.metrics, ops,
                installations=storage.installations, oauth_states=storage.oauth_states,
            )  # fmt: skip
            self.adapters.append(adapter)
            self._extra_routes.append(adapter.add_oauth_routes)
        if discord:
            from adapters.discord.app import DiscordAdapter

            self.adapters.append(
                DiscordAdapter(self.bot, storage.meta, settings, metrics=self.metrics)
            )
        self._ops: web.AppRunner | None = None
        #: Why the database failed its last readiness probe (logged when it changes).
        self._db_problem: str | None = None
        #: Why an adapter gave up, once one has: the process is no longer alive.
        self.failure: AdapterFailure | None = None

    def adapter(self, name: str) -> Adapter:
        """The running adapter called ``name``."""
        return next(a for a in self.adapters if a.name == name)

    def _routes(self, app: web.Application) -> None:
        add_routes(app, self.metrics, self.readiness, self.liveness)

    def liveness(self) -> list[str]:
        """What /healthz reports: the adapters that gave up (none while the process is alive)."""
        return [a.name for a in self.adapters if isinstance(a, Supervised) and a.supervisor.failure]

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
            app = ops_app(self.metrics, self.readiness, self.liveness)
            for add in self._extra_routes:
                add(app)
            self._ops = web.AppRunner(app)
            await self._ops.setup()
            host, port = self.settings.http_host, self.settings.http_port
            await web.TCPSite(self._ops, host, port).start()
            log.info("health and metrics on %s:%s", host, port, extra={"event": "ops_listening"})
        for adapter in self.adapters:
            await adapter.start()

    async def serve(self, stop: asyncio.Event) -> int:
        """Start, run until ``stop`` is set or an adapter gives up, then stop; the exit status."""
        try:
            started = await self._start_unless(stop)
        except AdapterFailure as failure:  # a refused token: say so in one line, and stop
            log.error("%s", failure, extra={"event": "adapter_failed"})
            self.failure = failure
        else:
            if started:
                log.info("ShopCrew is running", extra={"event": "started"})
                self.failure = await self._until(stop)
        log.info("stopping", extra={"event": "stopping"})
        await self.stop()
        return self.failure.exit_code if self.failure else 0

    async def _start_unless(self, stop: asyncio.Event) -> bool:
        """Start; False when ``stop`` came first (a platform slow to answer a login must not
        hold SIGTERM up: start-up is abandoned)."""
        starting = asyncio.ensure_future(self.start())
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if starting.done():
            starting.result()  # re-raises what start raised
            return True
        starting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await starting
        return False

    async def _until(self, stop: asyncio.Event) -> AdapterFailure | None:
        """Wait for ``stop``, or for a supervised adapter to give up (then return why)."""
        stopped = asyncio.ensure_future(stop.wait())
        gave_up = [
            asyncio.ensure_future(a.supervisor.gave_up())
            for a in self.adapters
            if isinstance(a, Supervised)
        ]
        try:
            await asyncio.wait([stopped, *gave_up], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in [stopped, *gave_up]:
                wait.cancel()
        return next((w.result() for w in gave_up if w.done() and not w.cancelled()), None)

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
) -> int:
    """Run until SIGTERM or SIGINT (exit status 0), or until an adapter gives up (non-zero)."""
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
    return await runtime.serve(stop)
