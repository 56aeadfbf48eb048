"""What every chat adapter offers the runner, and the in-flight counter they share.

An adapter translates: platform payloads into ``Message`` or typed requests, and ``Answer``
into the platform's format. It owns its connection's lifecycle through this interface, so the
runner starts and stops every adapter the same way.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol


class InFlight:
    """How many answers are being worked on; ``idle()`` waits until there are none."""

    def __init__(self) -> None:
        self.count = 0
        self.accepting = True
        self._idle = asyncio.Event()
        self._idle.set()

    def begin(self) -> None:
        """One more piece of work (pair with ``end``)."""
        self.count += 1
        self._idle.clear()

    def end(self) -> None:
        """One piece of work finished."""
        self.count = max(0, self.count - 1)
        if self.count == 0:
            self._idle.set()

    @asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        """Wrap one piece of work (one answer being built and posted)."""
        self.begin()
        try:
            yield
        finally:
            self.end()

    async def idle(self, timeout: float) -> bool:
        """Wait until nothing is in flight; False if ``timeout`` ran out first."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True


class Adapter(Protocol):
    """A chat platform, as the runner drives it."""

    #: Short name for logs and the readiness report ("slack", "discord").
    name: str
    #: Answers being built and posted; the runner waits for them on shutdown.
    inflight: InFlight

    async def start(self) -> None:
        """Connect, or start listening; returns once started (not once connected)."""

    async def stop_intake(self) -> None:
        """Take no new work from now on; work already accepted goes on."""

    async def close(self) -> None:
        """Close connections (after in-flight work finished, or the drain timed out)."""

    async def connected(self) -> bool:
        """True when the adapter can receive and answer messages now."""
