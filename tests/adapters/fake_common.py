"""What both fakes share: recording that something happened, and waiting for it without sleeping."""

from __future__ import annotations

import asyncio
from typing import Any


class Waitable:
    """``await fake.wait_for(lambda: ...)`` wakes whenever the fake records a call or a frame."""

    default_timeout = 10.0
    _changed: asyncio.Condition | None = None

    def _ready(self) -> None:
        self._changed = asyncio.Condition()

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
