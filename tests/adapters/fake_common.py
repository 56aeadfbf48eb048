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


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_for_http(
    url: str,
    timeout: float = 20.0,
    process: asyncio.subprocess.Process | None = None,
    statuses: tuple[int, ...] = (),
) -> None:
    """Poll ``GET url`` until it answers (with one of ``statuses``, if given), or fail clearly.

    Fails at once, saying so, when ``process`` (the server under test) exits first.
    """
    import aiohttp

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last = "no answer"
    async with aiohttp.ClientSession() as http:
        while loop.time() < deadline:
            if process is not None and process.returncode is not None:
                raise AssertionError(f"the server exited with code {process.returncode} "
                                     f"before {url} answered")  # fmt: skip
            try:
                async with http.get(url) as r:
                    if not statuses or r.status in statuses:
                        return
                    last = f"HTTP {r.status}"
            except aiohttp.ClientConnectionError as exc:
                last = type(exc).__name__
            await asyncio.sleep(0.05)  # polling a port: there is no event to wait on
    raise AssertionError(f"{url} did not answer within {timeout:g} s (last: {last})")
