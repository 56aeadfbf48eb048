"""Capacity of one ShopCrew process with both adapters, next to its floor, on the test fakes.

Two servers run side by side as separate processes, against the same fakes on 127.0.0.1:
ShopCrew (``shopcrew run``: Slack HTTP mode + Discord, this checkout's code) and the floor
(``bench/floor.py``: a bare slack-bolt app and a bare discord.py client posting a fixed reply).
Each scenario runs on both, interleaved (the order alternates every run) and repeated, and prints
min / median / max over the runs and the ratio ShopCrew / floor (the median of the per-run ratios):

- Slack events, a fixed number in flight (each waits for its reply): answered per second, and
  the time from sending the event to its reply reaching the fake (p50, p99);
- Slack events paced at a fixed rate (open loop): the same times;
- Discord mentions in a server (with its guild id), the same two ways. They all land in one
  channel; the fake sends rate limits that never bind, as many channels would allow (without
  any, discord.py sends one channel's replies one at a time and the queue is what is measured).

Lost and duplicated replies are counted. The load generator's own pauses stay out of the measured
times: the fakes keep no calls (one float per message), and its garbage collector is off while a
run is measured (it collects between runs); its CPU use is printed, to see whether it kept up.
Peak memory (VmHWM) of both servers at the end.
Run: ``python bench/capacity.py`` (about a minute); ``--runs 7 --seconds 5`` for a longer one;
``--quick`` only checks that it runs. Targets: >= 300 Slack events/s, p99 < 50 ms, no lost or
duplicated replies, peak RSS < 150 MB with both adapters loaded.

``--replicas`` measures something else (``bench/replicated.py``): Slack events answered with
SQLite (one process) and with PostgreSQL and 1, 2 and 3 replicas behind a round-robin proxy,
side by side, with the ratios to SQLite and where the CPU went.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.figures import machine, percentile, ratio_line, spread
from bench.load import (
    Replies,
    Server,
    SlackSender,
    discord_message,
    new_key,
    observe_slack,
    proc_status_mb,
    questions,
    slack_event,
    start_server,
    stop_server,
    wait_ready,
)
from tests.adapters.fake_slack import FakeSlack

REPLY_TIMEOUT = 15.0  # a reply later than this counts as lost
Send = Callable[[], Awaitable[tuple[asyncio.Future[None], bool]]]


@dataclass(frozen=True)
class Sample:
    """One scenario on one server, once."""

    rate: float  # replies per second
    p50: float  # ms
    p99: float  # ms
    lost: int
    extra: int
    errors: int
    gen_cpu: float  # the load generator's CPU time / wall time (1.0 = one core busy)


class EventsUrl(Protocol):
    """Where Slack events are sent (a server, or the proxy in front of replicas)."""

    @property
    def events_url(self) -> str: ...


class Driver:
    """Sends to one server and measures; every reply is seen by ``replies`` through the fakes."""

    def __init__(self, replies: Replies, sender: SlackSender) -> None:
        self.replies = replies
        self.sender = sender
        self.texts = questions()

    def slack(self, server: EventsUrl) -> Send:
        async def send() -> tuple[asyncio.Future[None], bool]:
            n = new_key()
            body, key = slack_event(n, next(self.texts), f"T{n % 50}", f"U{n % 200}")
            future = self.replies.expect(key)
            return future, await self.sender.post(server.events_url, body)

        return send

    def discord(self, server: Server) -> Send:
        async def send() -> tuple[asyncio.Future[None], bool]:
            n = new_key()
            msg = discord_message(n, next(self.texts), str(800_000_000_000_000_000 + n % 200))
            future = self.replies.expect(msg["id"])
            await server.discord.dispatch("MESSAGE_CREATE", msg)
            return future, True

        return send

    async def measure(self, run: Callable[[], Awaitable[tuple[int, float]]]) -> Sample:
        """Run one scenario and read what the fakes saw."""
        self.replies.reset()
        gc.collect()
        gc.disable()  # the generator's own collections would land in the measured times
        try:
            cpu = time.process_time()
            errors, elapsed = await run()
            await self.replies.all_in(REPLY_TIMEOUT)
            gen_cpu = (time.process_time() - cpu) / elapsed
        finally:
            gc.enable()
        lat = self.replies.latencies()
        return Sample(len(lat) / elapsed, percentile(lat, 50) * 1000, percentile(lat, 99) * 1000,
                      self.replies.lost, self.replies.extra, errors, gen_cpu)  # fmt: skip


async def closed_loop(send: Send, seconds: float, concurrency: int) -> tuple[int, float]:
    """``concurrency`` senders, each sending its next message once the last one is answered."""
    stop_at = time.perf_counter() + seconds
    errors = 0

    async def loop() -> None:
        nonlocal errors
        while time.perf_counter() < stop_at:
            future, ok = await send()
            if not ok:
                errors += 1
                continue
            try:
                await asyncio.wait_for(future, REPLY_TIMEOUT)
            except TimeoutError:
                return  # counted as lost

    start = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(concurrency)))
    return errors, time.perf_counter() - start


async def paced(send: Send, rate: float, seconds: float) -> tuple[int, float]:
    """Send at a fixed rate whatever the replies do (open loop); elapsed until the last reply."""
    errors = 0

    async def one() -> None:
        nonlocal errors
        future, ok = await send()
        if not ok:
            errors += 1
            return
        await asyncio.wait([future], timeout=REPLY_TIMEOUT)

    tasks = []
    start = time.perf_counter()
    for i in range(max(1, int(rate * seconds))):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one()))
    await asyncio.gather(*tasks)
    return errors, time.perf_counter() - start


Run = Callable[[], Awaitable[tuple[int, float]]]


@dataclass(frozen=True)
class Scenario:
    """What to send; ``offered`` is the rate of a paced scenario (None: closed loop)."""

    label: str
    offered: float | None
    make: Callable[[Server], Run]  # server -> one run of the scenario on that server


def scenarios(args: argparse.Namespace, d: Driver) -> list[Scenario]:
    """Slack and Discord, each closed loop and paced."""
    s, c, rate, drate = args.seconds, args.concurrency, args.rate, args.discord_rate
    return [
        Scenario(f"slack, {c} in flight", None, lambda srv: lambda: closed_loop(d.slack(srv), s, c)),
        Scenario(f"slack, paced {rate:g}/s", rate, lambda srv: lambda: paced(d.slack(srv), rate, s)),
        Scenario(f"discord, {c} in flight", None, lambda srv: lambda: closed_loop(d.discord(srv), s, c)),
        Scenario(f"discord, paced {drate:g}/s", drate, lambda srv: lambda: paced(d.discord(srv), drate, s)),
    ]  # fmt: skip


def report(label: str, results: dict[str, list[Sample]], offered: float | None = None) -> None:
    """The scenario's summary over every run, with ShopCrew / floor ratios."""
    ours, floor = results["shopcrew"], results["floor"]
    print(f"{label}:")
    for side, samples in (("ShopCrew", ours), ("floor", floor)):
        kept_up = statistics.median(x.rate for x in samples)
        if offered is not None and kept_up < 0.9 * offered:
            print(f"  note: {side} answered {kept_up:,.0f}/s of the {offered:g}/s sent: its replies "
                  "queued, so its reply times here are mostly waiting")  # fmt: skip
    rows: list[tuple[str, str, Callable[[Sample], float]]] = [
        ("answered/s", ",.0f", lambda x: x.rate),
        ("reply p50 ms", ".1f", lambda x: x.p50),
        ("reply p99 ms", ".1f", lambda x: x.p99),
    ]
    for name, fmt, get in rows:
        a, b = [get(x) for x in ours], [get(x) for x in floor]
        print(
            f"  {name:<13} ShopCrew {spread(a, fmt):<26} floor {spread(b, fmt):<26} {ratio_line(a, b)}"
        )
    for side, samples in (("ShopCrew", ours), ("floor", floor)):
        print(f"  {side}: lost {sum(x.lost for x in samples)}, duplicated "
              f"{sum(x.extra for x in samples)}, send errors {sum(x.errors for x in samples)}; "
              f"load generator CPU up to {max(x.gen_cpu for x in samples):.0%} of a core")  # fmt: skip


def options(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=3, help="repetitions of each scenario (>= 3)")
    p.add_argument("--seconds", type=float, default=2.0, help="length of one run")
    p.add_argument("--concurrency", type=int, default=4, help="messages in flight (closed loop)")
    p.add_argument("--rate", type=float, default=300.0, help="Slack events/s (paced)")
    p.add_argument("--discord-rate", type=float, default=200.0, help="Discord mentions/s (paced)")
    p.add_argument("--quick", action="store_true", help="tiny runs: only checks that it works")
    p.add_argument("--replicas", action="store_true",
                   help="SQLite vs PostgreSQL with 1, 2 and 3 replicas behind a proxy")  # fmt: skip
    p.add_argument("--in-flight", type=int, default=8, help="events in flight (--replicas)")
    p.add_argument("--postgres", help="PostgreSQL server URL (--replicas; default: "
                   "SHOPCREW_TEST_POSTGRES_URL)")  # fmt: skip
    args = p.parse_args(argv)
    if args.quick:
        args.seconds, args.rate, args.discord_rate = 0.2, 100.0, 100.0
    args.runs = max(3, args.runs)
    return args


async def main(args: argparse.Namespace) -> None:
    replies = Replies()
    slack = FakeSlack(keep=False, observe=observe_slack(replies))
    await slack.start()
    logs = Path(tempfile.mkdtemp(prefix="bench-capacity-"))
    servers: list[Server] = []
    try:
        for name, argv in (
            ("shopcrew", ["-m", "adapters.cli", "run"]),
            ("floor", ["bench/floor.py"]),
        ):
            with (logs / f"{name}.log").open("wb") as log:
                servers.append(await start_server(name, argv, slack, replies, stderr=log))
        for server in servers:
            await wait_ready(server)
        await measure_all(args, servers, replies)
        for server in servers:
            peak = proc_status_mb(server.proc.pid, "VmHWM")
            print(
                f"peak RSS of {server.name}: {peak:.1f} MB"
                + (" (target < 150)" if server.name == "shopcrew" else "")
            )
    except AssertionError as exc:
        raise SystemExit(f"{exc} (server logs in {logs})") from exc
    finally:
        for server in servers:
            await stop_server(server)
        await slack.stop()


async def measure_all(args: argparse.Namespace, servers: list[Server], replies: Replies) -> None:
    conn = aiohttp.TCPConnector(limit=256)
    async with aiohttp.ClientSession(connector=conn) as http:
        driver = Driver(replies, SlackSender(http))
        plan = scenarios(args, driver)
        for server in servers:  # warm-up: first calls (auth.test, lazy imports) are not measured
            for send in (driver.slack(server), driver.discord(server)):
                await driver.measure(partial(closed_loop, send, 0.3, args.concurrency))
        # What was set up lives to the end: keep it out of the generator's collections.
        gc.collect()
        gc.freeze()
        print(f"ShopCrew vs the floor (bare slack-bolt + bare discord.py, fixed reply), same fakes; "
              f"{args.runs} interleaved runs of {args.seconds:g} s each, min / median / max; {machine()}")  # fmt: skip
        results: dict[str, dict[str, list[Sample]]] = {
            x.label: {"shopcrew": [], "floor": []} for x in plan
        }
        for run in range(args.runs):
            for scenario in plan:
                label = scenario.label
                order = servers if run % 2 == 0 else servers[::-1]
                for server in order:
                    sample = await driver.measure(scenario.make(server))
                    results[label][server.name].append(sample)
                a, b = results[label]["shopcrew"][-1], results[label]["floor"][-1]
                print(f"run {run + 1} {label}: ShopCrew {a.rate:,.0f}/s p50 {a.p50:.1f} p99 {a.p99:.1f} ms | "
                      f"floor {b.rate:,.0f}/s p50 {b.p50:.1f} p99 {b.p99:.1f} ms")  # fmt: skip
        for scenario in plan:
            report(scenario.label, results[scenario.label], scenario.offered)


if __name__ == "__main__":
    chosen = options()
    if chosen.replicas:
        from bench.replicated import run

        asyncio.run(run(chosen))
    else:
        asyncio.run(main(chosen))
