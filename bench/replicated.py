"""``bench/capacity.py --replicas``: Slack events answered with SQLite (one process) and with
PostgreSQL and 1, 2 and 3 replicas, side by side in one run, each setup behind the round-robin
proxy.

Each setup is ``shopcrew slack --http`` processes (this checkout's code) on one database, against
the one fake Slack, with a proxy of its own in front (``bench/proxy.py``, its own process; also
for one process, so that every setup pays for it). The load generator keeps ``--in-flight``
events waiting for their replies, through the proxy. Setups are measured in turn, the order
alternating every run, and each prints min / median / max over the runs and its ratio to
SQLite's (the median of the per-run ratios). Then where the CPU went during the runs, per second
of run: the load generator (with the fake Slack, in one process), the proxy, the replicas, and
the rest of the machine (the PostgreSQL server, and anything else running): on a machine with
few cores they all share them, which is what bounds the gain of more replicas.
PostgreSQL comes from ``--postgres`` or ``SHOPCREW_TEST_POSTGRES_URL`` (a schema per setup,
dropped afterwards); without one only SQLite runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote

import aiohttp

from bench.capacity import REPLY_TIMEOUT, Driver, Sample, closed_loop
from bench.figures import machine, ratio_line, spread
from bench.load import ROOT, Replies, SlackSender, observe_slack
from tests.adapters import fake_slack
from tests.adapters.fake_common import free_port, wait_for_http
from tests.adapters.fake_slack import FakeSlack

TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Setup:
    """ShopCrew processes on one database, behind a proxy process."""

    label: str
    replicas: list[asyncio.subprocess.Process]
    proxy: asyncio.subprocess.Process
    port: int
    samples: list[Sample] = field(default_factory=list)
    #: Per run: CPU seconds per second of run of (generator, proxy, replicas, rest).
    cpu: list[tuple[float, float, float, float]] = field(default_factory=list)

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _busy() -> float:
    """CPU seconds every CPU of the machine has spent busy (not idle, not waiting on disk)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICK


async def _spawn(argv: list[str], env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("wb") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable, *argv, env=env, cwd=str(ROOT), stdout=out, stderr=out
        )


async def start_setup(label: str, database: str, count: int, slack: FakeSlack, logs: Path) -> Setup:
    """``count`` replicas on ``database`` and their proxy, ready."""
    env = dict(os.environ, SHOPCREW_DATABASE_URL=database, SLACK_BOT_TOKEN=fake_slack.BOT_TOKEN,
               SLACK_SIGNING_SECRET=fake_slack.SIGNING_SECRET, SHOPCREW_SLACK_HOST="127.0.0.1",
               SHOPCREW_SLACK_API_URL=slack.api_url, SHOPCREW_LOG_LEVEL="WARNING")  # fmt: skip
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    for unset in ("SLACK_APP_TOKEN", "DISCORD_TOKEN", "SHOPCREW_DB"):
        env.pop(unset, None)
    ports = [free_port() for _ in range(count)]
    name = label.replace(" ", "-").replace(",", "")
    serve = ["-m", "adapters.cli", "slack", "--http", "--port"]
    replicas = [
        await _spawn([*serve, str(port)], env, logs / f"{name}-{n}.log")
        for n, port in enumerate(ports)
    ]
    for proc, port in zip(replicas, ports, strict=True):
        url = f"http://127.0.0.1:{port}/readyz"
        await wait_for_http(url, timeout=90, process=proc, statuses=(200,))
    port = free_port()
    proxy = await _spawn(["bench/proxy.py", str(port), *map(str, ports)], env, logs / f"{name}.log")
    await wait_for_http(f"http://127.0.0.1:{port}/readyz", timeout=30, process=proxy)
    return Setup(label, replicas, proxy, port)


async def stop_setup(setup: Setup) -> None:
    for proc in [setup.proxy, *setup.replicas]:
        if proc.returncode is None:
            proc.terminate()
    for proc in [setup.proxy, *setup.replicas]:
        try:
            await asyncio.wait_for(proc.wait(), 15)
        except TimeoutError:
            proc.kill()
            await proc.wait()


@contextlib.contextmanager
def pg_schema(url: str) -> Iterator[str]:
    """``url`` whose tables live in a new schema, dropped afterwards."""
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options={quote(f'-c search_path={schema}')}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


async def measure(driver: Driver, setup: Setup, seconds: float, in_flight: int) -> None:
    """One run on ``setup``: its sample, and where the CPU went meanwhile."""
    pids = [p.pid for p in setup.replicas]
    start = (time.perf_counter(), time.process_time(), _cpu(setup.proxy.pid),
             sum(map(_cpu, pids)), _busy())  # fmt: skip
    sample = await driver.measure(partial(closed_loop, driver.slack(setup), seconds, in_flight))
    end = (time.perf_counter(), time.process_time(), _cpu(setup.proxy.pid),
           sum(map(_cpu, pids)), _busy())  # fmt: skip
    wall = end[0] - start[0]
    gen, proxy, replicas, busy = (b - a for a, b in zip(start[1:], end[1:], strict=True))
    setup.samples.append(sample)
    setup.cpu.append((gen / wall, proxy / wall, replicas / wall,
                      max(0.0, busy - gen - proxy - replicas) / wall))  # fmt: skip


def report(setups: list[Setup], in_flight: int) -> None:
    """Each setup's figures, with its ratios to the first (SQLite)."""
    base = setups[0]
    print(f"Slack events, {in_flight} in flight, through the round-robin proxy "
          f"(min / median / max over the runs):")  # fmt: skip
    for setup in setups:
        rates = [x.rate for x in setup.samples]
        p99s = [x.p99 for x in setup.samples]
        print(f"  {setup.label:<26} answered/s {spread(rates, ',.0f'):<20} "
              f"reply p99 ms {spread(p99s, '.1f'):<20}")  # fmt: skip
        if setup is not base:
            to = "to SQLite"
            print(f"    events/s {ratio_line(rates, [x.rate for x in base.samples], to)}; "
                  f"p99 {ratio_line(p99s, [x.p99 for x in base.samples], to)}")  # fmt: skip
    print("CPU used per second of run (median over the runs; 1.0 = one CPU busy), "
          f"on {os.cpu_count()} CPUs:")  # fmt: skip
    for setup in setups:
        gen, proxy, replicas, rest = (statistics.median(c[i] for c in setup.cpu) for i in range(4))
        print(f"  {setup.label:<26} load generator + fake Slack {gen:.2f}, proxy {proxy:.2f}, "
              f"replicas {replicas:.2f}, rest (PostgreSQL, other work) {rest:.2f}; "
              f"total {gen + proxy + replicas + rest:.2f}")  # fmt: skip
    samples = [x for s in setups for x in s.samples]
    print(f"lost {sum(x.lost for x in samples)}, duplicated {sum(x.extra for x in samples)}, "
          f"send errors {sum(x.errors for x in samples)}")  # fmt: skip


async def run(args: argparse.Namespace) -> None:
    """Start every setup, measure them in turn, report."""
    replies = Replies()
    slack = FakeSlack(keep=False, observe=observe_slack(replies))
    await slack.start()
    logs = Path(tempfile.mkdtemp(prefix="bench-replicas-"))
    postgres = args.postgres or os.environ.get("SHOPCREW_TEST_POSTGRES_URL")
    setups: list[Setup] = []
    with contextlib.ExitStack() as schemas:
        try:
            setups.append(await start_setup("SQLite, 1 process", f"sqlite:///{logs / 'bench.db'}",
                                            1, slack, logs))  # fmt: skip
            if postgres:
                for count in (1, 2, 3):
                    url = schemas.enter_context(pg_schema(postgres))
                    label = f"PostgreSQL, {count} replica" + ("s" if count > 1 else "")
                    setups.append(await start_setup(label, url, count, slack, logs))
            else:
                print("PostgreSQL: skipped (give --postgres URL or SHOPCREW_TEST_POSTGRES_URL)")
            await measure_all(args, setups, replies)
        except AssertionError as exc:
            raise SystemExit(f"{exc} (logs in {logs})") from exc
        finally:
            for setup in setups:
                await stop_setup(setup)
            await slack.stop()


async def measure_all(args: argparse.Namespace, setups: list[Setup], replies: Replies) -> None:
    conn = aiohttp.TCPConnector(limit=256)
    async with aiohttp.ClientSession(connector=conn) as http:
        driver = Driver(replies, SlackSender(http))
        for setup in setups:  # warm-up: first calls (auth.test, lazy imports) are not measured
            await measure(driver, setup, 0.3, args.in_flight)
            setup.samples.clear()
            setup.cpu.clear()
        print(f"SQLite and PostgreSQL replicas side by side; {args.runs} interleaved runs of "
              f"{args.seconds:g} s each; {machine()}; replies time out after {REPLY_TIMEOUT:g} s")  # fmt: skip
        for n in range(args.runs):
            for setup in setups if n % 2 == 0 else setups[::-1]:
                await measure(driver, setup, args.seconds, args.in_flight)
            shown = " | ".join(f"{s.label} {s.samples[-1].rate:,.0f}/s p99 "
                               f"{s.samples[-1].p99:.1f} ms" for s in setups)  # fmt: skip
            print(f"run {n + 1}: {shown}")
        report(setups, args.in_flight)
