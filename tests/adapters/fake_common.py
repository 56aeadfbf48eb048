"""What both fakes share: recording that something happened, and waiting for it without sleeping."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web


class Waitable:
    """``await fake.wait_for(lambda: ...)`` wakes whenever the fake records a call or a frame."""

    default_timeout = 10.0
    _changed: asyncio.Condition | None = None

    def _ready(self) -> None:
        self._changed = asyncio.Condition()

    async def _listen(self, app: web.Application) -> tuple[web.AppRunner, int]:
        """Serve ``app`` on a free port of 127.0.0.1; returns the runner and the port."""
        self._ready()
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _notify(self) -> None:
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Any, timeout: float | None = None) -> None:
        """Wait (never sleep) until ``predicate()`` holds, or fail after ``timeout`` seconds."""

        async def until() -> None:
            assert self._changed is not None
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(until(), timeout or self.default_timeout)
