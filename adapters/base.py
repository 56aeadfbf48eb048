"""What every chat adapter offers the runner, and the in-flight counter they share.

An adapter translates: platform payloads into ``Message`` or typed requests, and ``Answer``
into the platform's format. It owns its connection's lifecycle through this interface, so the
runner starts and stops every adapter the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

log = logging.getLogger("shopcrew.run")


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


class AdapterFailure(Exception):
    """An adapter cannot work and will not recover by itself (a refused token, endless crashes).

    ``str(failure)`` is the one log line that says what is wrong and which setting to fix;
    ``exit_code`` is what the process exits with, so a supervisor (systemd, compose) sees it.
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


#: ``sysexits.h``'s EX_CONFIG: the configuration is wrong (a token the platform refuses).
EXIT_CONFIG = 78


@dataclass(frozen=True)
class Backoff:
    """How often and how fast a failed connection is restarted before its adapter gives up."""

    #: Restarts in a row (without a healthy spell between them) before giving up.
    attempts: int = 5
    #: Seconds before the first restart; doubled for each further one, up to ``longest``.
    first: float = 1.0
    longest: float = 30.0
    #: A connection that ran this long was healthy: the next failure starts counting again.
    healthy_after: float = 60.0

    def delay(self, failures: int) -> float:
        """Seconds to wait before restart number ``failures`` (1-based)."""
        return float(min(self.longest, self.first * 2 ** (failures - 1)))


class Supervisor:
    """Keeps one adapter's connection running, and says at once when it is down or gone.

    ``run`` is the connection's life: it returns only once ``stop`` was asked for, and raises
    when the connection fails. A failure is logged at once and ``up`` turns False (readiness
    goes red); ``recover`` then tidies up the broken connection and the connection is started
    again after a growing pause. An ``AdapterFailure``, or more failures in a row than
    ``backoff.attempts``, gives up: ``failure`` is set and ``gave_up()`` returns it, so the
    runner can fail liveness and exit non-zero.
    """

    def __init__(
        self,
        name: str,
        run: Callable[[], Awaitable[None]],
        recover: Callable[[], Awaitable[None]],
        backoff: Backoff | None = None,
    ) -> None:
        self.name = name
        self.backoff = backoff or Backoff()
        self._run = run
        self._recover = recover
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._gave_up = asyncio.Event()
        #: True while the connection is running (not failed, not waiting to restart).
        self.up = False
        #: Why the adapter gave up, once it has.
        self.failure: AdapterFailure | None = None
        #: Restarts so far (for metrics and tests).
        self.restarts = 0

    def start(self) -> None:
        """Run the connection in the background."""
        self._task = asyncio.create_task(self._loop(), name=f"shopcrew-{self.name}")
        self._task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[None]) -> None:
        """Never a silent end: a loop that stopped unasked (a bug) gives up, loudly."""
        if self._stopping.is_set() or self.failure is not None:
            return
        why = "cancelled" if task.cancelled() else repr(task.exception())
        self._give_up(AdapterFailure(f"{self.name} stopped unexpectedly ({why})"))

    async def gave_up(self) -> AdapterFailure:
        """Wait until the adapter has given up; returns why."""
        await self._gave_up.wait()
        assert self.failure is not None
        return self.failure

    async def stop(self, close: Callable[[], Awaitable[None]], timeout: float = 10.0) -> None:
        """Restart nothing more, ``close`` the connection, and wait (bounded) for it to end."""
        self._stopping.set()
        await close()
        task, self._task = self._task, None
        if task is None:
            return
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if not done:
            log.warning("%s did not stop in time", self.name, extra={"event": "adapter_stop"})
            task.cancel()
            await asyncio.wait({task})

    async def _loop(self) -> None:
        failures = 0
        loop = asyncio.get_running_loop()
        while not self._stopping.is_set():
            began = loop.time()
            self.up = True
            try:
                await self._run()
                failed: Exception = ConnectionError("the connection ended by itself")
            except AdapterFailure as exc:
                self._give_up(exc)
                return
            except Exception as exc:
                failed = exc
            except asyncio.CancelledError as exc:
                if self._cancelled():
                    raise
                failed = RuntimeError(f"cancelled from inside: {exc!r}")  # not by us: a failure
            if self._stopping.is_set():
                return  # closing ended the connection: nothing to restart
            self.up = False
            healthy = loop.time() - began >= self.backoff.healthy_after
            failures = 1 if healthy else failures + 1
            if not await self._restart_after(failed, failures):
                return

    @staticmethod
    def _cancelled() -> bool:
        """True when this task itself is being cancelled (not a library's inner cancel)."""
        task = asyncio.current_task()
        return task is not None and task.cancelling() > 0

    async def _restart_after(self, exc: Exception, failures: int) -> bool:
        """Log the failure, tidy up, and wait before the next try; False once it gives up."""
        why = f"{type(exc).__name__}: {exc}"
        if failures > self.backoff.attempts:
            self._give_up(AdapterFailure(
                f"{self.name} failed {failures} times in a row and cannot recover ({why}); "
                "exiting so the service manager restarts ShopCrew"
            ))  # fmt: skip
            await self._tidy()
            return False
        delay = self.backoff.delay(failures)
        log.error(
            "%s connection failed (%s); restarting in %.1f s (attempt %d of %d)",
            self.name, why, delay, failures, self.backoff.attempts,
            exc_info=exc, extra={"event": "adapter_failed", "platform": self.name},
        )  # fmt: skip
        await self._tidy()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), delay)
        if self._stopping.is_set():
            return False
        self.restarts += 1
        return True

    async def _tidy(self) -> None:
        try:
            await self._recover()
        except Exception as exc:  # tidying a broken connection may fail too; try again anyway
            log.warning("%s: closing the failed connection: %r", self.name, exc)

    def _give_up(self, failure: AdapterFailure) -> None:
        self.up = False
        self.failure = failure
        log.error("%s", failure, extra={"event": "adapter_gave_up", "platform": self.name})
        self._gave_up.set()


@runtime_checkable
class Supervised(Protocol):
    """An adapter whose connection a ``Supervisor`` keeps running (the runner watches it)."""

    supervisor: Supervisor
