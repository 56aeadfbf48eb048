"""The Supervisor on its own: restarts with a growing pause, gives up, and stops cleanly."""

from __future__ import annotations

import asyncio

import pytest

from adapters.base import AdapterFailure, Backoff, Supervisor


class Connection:
    """A stand-in connection: each run fails (``KeyError``) until told to stay up."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.runs = 0
        self.recovered = 0
        self.closed = asyncio.Event()
        self.running = asyncio.Event()
        self.recovering = asyncio.Event()

    async def run(self) -> None:
        self.runs += 1
        if self.runs <= self.failures:
            raise KeyError("version")
        self.running.set()
        await self.closed.wait()  # up until closed

    async def recover(self) -> None:
        self.recovered += 1
        self.recovering.set()

    async def close(self) -> None:
        self.closed.set()


def test_the_pause_doubles_up_to_the_longest() -> None:
    backoff = Backoff(first=1.0, longest=5.0)
    assert [backoff.delay(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]


async def test_a_failing_connection_is_restarted_and_comes_up() -> None:
    conn = Connection(failures=2)
    supervisor = Supervisor("test", conn.run, conn.recover, Backoff(attempts=3, first=0.001))
    supervisor.start()
    await asyncio.wait_for(conn.running.wait(), 10)
    assert supervisor.up and supervisor.restarts == 2 and conn.recovered == 2
    await supervisor.stop(conn.close)
    assert supervisor.failure is None and conn.runs == 3


async def test_more_failures_in_a_row_than_allowed_give_up(
    caplog: pytest.LogCaptureFixture,
) -> None:
    conn = Connection(failures=10)
    supervisor = Supervisor("test", conn.run, conn.recover, Backoff(attempts=2, first=0.001))
    supervisor.start()
    failure = await asyncio.wait_for(supervisor.gave_up(), 10)
    assert "failed 3 times in a row" in str(failure) and "KeyError" in str(failure)
    assert failure.exit_code == 1 and not supervisor.up and conn.runs == 3
    await supervisor.stop(conn.close)
    logged = [r.getMessage() for r in caplog.records]
    assert sum("restarting in" in m for m in logged) == 2 and str(failure) in logged


async def test_an_adapter_failure_gives_up_at_once() -> None:
    async def refused() -> None:
        raise AdapterFailure("the token in TOKEN was refused", 78)

    conn = Connection(failures=0)
    supervisor = Supervisor("test", refused, conn.recover, Backoff(first=0.001))
    supervisor.start()
    failure = await asyncio.wait_for(supervisor.gave_up(), 10)
    assert failure.exit_code == 78 and conn.recovered == 0


async def test_a_connection_that_ends_by_itself_is_restarted() -> None:
    ended = 0
    up = asyncio.Event()

    async def run() -> None:
        nonlocal ended
        if ended < 1:
            ended += 1
            return  # closed from the other side, without an error
        up.set()
        await asyncio.Event().wait()

    conn = Connection(failures=0)
    supervisor = Supervisor("test", run, conn.recover, Backoff(first=0.001))
    supervisor.start()
    await asyncio.wait_for(up.wait(), 10)
    assert supervisor.restarts == 1
    await supervisor.stop(conn.close, timeout=0.1)  # run ignores close: cancelled after 0.1 s


async def test_a_stop_during_the_pause_does_not_restart() -> None:
    conn = Connection(failures=1)
    supervisor = Supervisor("test", conn.run, conn.recover, Backoff(first=3600))
    supervisor.start()
    await asyncio.wait_for(conn.recovering.wait(), 10)  # failed; now pausing for an hour
    await asyncio.wait_for(supervisor.stop(conn.close), 10)
    assert conn.runs == 1 and supervisor.restarts == 0 and supervisor.failure is None


async def test_a_cancellation_from_inside_the_connection_is_a_failure_not_an_end() -> None:
    conn = Connection(failures=0)
    calls = 0

    async def run() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise asyncio.CancelledError  # a library cancelled something of its own
        await conn.run()

    supervisor = Supervisor("test", run, conn.recover, Backoff(first=0.001))
    supervisor.start()
    await asyncio.wait_for(conn.running.wait(), 10)
    assert supervisor.restarts == 1 and supervisor.failure is None
    await supervisor.stop(conn.close)
