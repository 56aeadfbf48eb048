"""Soak: many mixed Slack and Discord answers through one ShopCrew process; memory and stalls stay flat.

Starts ``shopcrew run`` (Slack HTTP mode + Discord, this checkout's code) with a probe inside
(``bench/probed.py``) against the test fakes on 127.0.0.1, and sends 50,000 messages (default),
alternating Slack and Discord: mentions in a channel (Slack) or a server (Discord, with its guild
id) and DMs, from a fixed population of people and workspaces, a few in flight at a time, each
waiting for its reply. The run is cut into ten windows; for each it prints the process's RSS at
its end, the worst event-loop stall (and how much of it the process spent on the CPU, not
waiting for a shared machine's other tenants) and garbage collection inside it, the objects the
collector tracks, the views discord.py holds, and the replies' p99; after the first and the last
window, how long a full collection takes (Python runs them less and less often as the heap grows,
so a window can miss one that stalls the loop). Then the end / start ratios (the last window
over the first): RSS, tracked objects, the stalls and the full collection must stay flat
(<= 1.10x for RSS and objects, <= 2x for times: a stall on a shared machine is noisy). In a short
run (``--count`` well under 10,000) caches still fill during the first windows.
The fakes keep no calls, so the load generator's memory stays flat too.
Run: ``python bench/soak.py`` (several minutes); ``--count 5000`` for a shorter one; ``--quick``
only checks that it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.figures import machine, percentile
from bench.load import (
    QUESTIONS,
    Replies,
    Server,
    SlackSender,
    discord_message,
    new_key,
    observe_slack,
    slack_event,
    start_server,
    stop_server,
    wait_ready,
)
from tests.adapters.fake_slack import FakeSlack

WINDOWS = 10
RSS_FLAT, STALL_FLAT = 1.10, 2.0
REPLY_TIMEOUT = 15.0
#: Questions, plan changes that undo each other (so plans stay the same size), follow-ups.
TEXTS = [*QUESTIONS, "plan show", "plan remove art 1", "and with live streaming?", "why?"]
PEOPLE, TEAMS = 200, 50


@dataclass(frozen=True)
class Window:
    """What one tenth of the run looked like."""

    answered: int
    rate: float
    slack_p99_ms: float
    discord_p99_ms: float
    lost: int
    figures: dict[str, Any]


class Soak:
    """Sends the mixed traffic and asks the probe for its figures between windows."""

    def __init__(
        self, server: Server, sender: SlackSender, slack: Replies, discord: Replies
    ) -> None:
        self.server, self.sender = server, sender
        self.slack, self.discord = slack, discord
        self.turn = itertools.count()

    async def one(self) -> bool:
        """Send the next message (Slack and Discord in turn) and wait for its reply."""
        k, n = next(self.turn), new_key()
        # Both platforms get every text, and a fifth of the messages are DMs.
        text, who, dm = TEXTS[k // 2 % len(TEXTS)], n % PEOPLE, k % 10 in (2, 3)
        if k % 2 == 0:
            body, key = slack_event(n, text, f"T{who % TEAMS}", f"U{who}", dm=dm)
            future = self.slack.expect(key)
            if not await self.sender.post(self.server.events_url, body):
                return False
        else:
            msg = discord_message(n, text, str(800_000_000_000_000_000 + who), dm=dm)
            future = self.discord.expect(msg["id"])
            await self.server.discord.dispatch("MESSAGE_CREATE", msg)
        try:
            await asyncio.wait_for(future, REPLY_TIMEOUT)
        except TimeoutError:
            return False
        return True

    async def run(self, count: int, concurrency: int) -> tuple[int, float]:
        """Send ``count`` messages, ``concurrency`` at a time; (failures, seconds)."""
        left = iter(range(count))
        failed = 0

        async def worker() -> None:
            nonlocal failed
            for _ in left:
                if not await self.one():
                    failed += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return failed, time.perf_counter() - start

    async def probe(self, full: bool = False) -> dict[str, Any]:
        """The probe's figures for the window just ended (and a new window starts); ``full``
        also times a full collection."""
        proc = self.server.proc
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(b"stats full\n" if full else b"stats\n")
        await proc.stdin.drain()
        line = await asyncio.wait_for(proc.stdout.readline(), 30)
        result: dict[str, Any] = json.loads(line)
        return result

    async def window(self, count: int, concurrency: int, full: bool) -> Window:
        for replies in (self.slack, self.discord):
            replies.reset()
        _, seconds = await self.run(count, concurrency)
        await self.settle()
        a, b = self.slack.latencies(), self.discord.latencies()
        figures = await self.probe(full)
        lost = self.slack.lost + self.discord.lost
        answered = len(a) + len(b)
        p99 = percentile(a, 99) * 1000, percentile(b, 99) * 1000
        return Window(answered, answered / seconds, *p99, lost, figures)

    async def settle(self) -> None:
        """Wait for the replies still on their way (the rest count as lost)."""
        for replies in (self.slack, self.discord):
            await replies.all_in(REPLY_TIMEOUT)

    async def idle(self, seconds: float) -> dict[str, Any]:
        """The probe's figures for ``seconds`` with no traffic: the machine's own noise."""
        await self.probe()
        await asyncio.sleep(seconds)  # a span of time is what is measured here
        return await self.probe()

    async def soak(self, args: argparse.Namespace) -> list[Window]:
        """Warm up, measure the idle noise, then the ten windows, printing each."""
        await self.run(min(200, args.count // WINDOWS), args.concurrency)
        await self.settle()
        quiet = await self.idle(args.idle)
        print(f"idle for {args.idle:g} s before the load: worst stall {quiet['stall_ms']:.1f} ms "
              f"({quiet['busy_ms']:.1f} on CPU), "
              f"worst GC {quiet['gc_ms']:.1f} ms, RSS {quiet['rss_mb']:.1f} MB (the machine's own noise)")  # fmt: skip
        gc.collect()
        gc.freeze()  # the generator's set-up stays out of its collections
        print(f"soak: {args.count:,} messages, Slack and Discord in turn (a fifth DMs), "
              f"{args.concurrency} in flight; figures per tenth of the run; {machine()}")  # fmt: skip
        windows = []
        per = args.count // WINDOWS
        for w in range(WINDOWS):
            win = await self.window(per, args.concurrency, full=w in (0, WINDOWS - 1))
            windows.append(win)
            print(f"{(w + 1) * per:>7,} answers: {row(win)}")
        return windows


def row(win: Window) -> str:
    """One window's figures, on one line."""
    f = win.figures
    full = f"; a full GC now takes {f['full_gc_ms']:.1f} ms CPU" if "full_gc_ms" in f else ""
    return (f"{win.rate:,.0f}/s, reply p99 Slack {win.slack_p99_ms:.0f} ms, Discord {win.discord_p99_ms:.0f} ms; "
            f"RSS {f['rss_mb']:.1f} MB, worst stall {f['stall_ms']:.1f} ms ({f['busy_ms']:.1f} on CPU), "
            f"worst GC {f['gc_ms']:.1f} ms, {f['tracked']:,} objects tracked, "
            f"views {f['views']:,} ({f['view_items']:,} items){full}")  # fmt: skip


def ratio(end: float, start: float) -> float:
    return end / start if start else float("inf") if end else 1.0


def summary(windows: list[Window]) -> None:
    """End / start ratios (last window over the first) and whether they stayed flat."""
    first, last = windows[0].figures, windows[-1].figures
    rows = [("RSS", "rss_mb", " MB", RSS_FLAT),
            ("worst event-loop stall seen", "stall_ms", " ms", STALL_FLAT),
            ("worst event-loop stall on CPU", "busy_ms", " ms", STALL_FLAT),
            ("objects the collector tracks", "tracked", "", RSS_FLAT),
            ("a full collection (Python runs one now and then), CPU", "full_gc_ms", " ms", STALL_FLAT),
            ("worst garbage collection seen", "gc_ms", " ms", None)]  # fmt: skip
    for name, key, unit, flat in rows:
        r = ratio(last[key], first[key])
        verdict = (
            ""
            if flat is None
            else f" ({'flat' if r <= flat else 'GROWING'}: flat is <= {flat:.2f}x)"
        )
        fmt = ",.0f" if key == "tracked" else ",.1f"
        print(f"{name}: start {first[key]:{fmt}}{unit}, end {last[key]:{fmt}}{unit}, "
              f"ratio end/start {r:.2f}x{verdict}")  # fmt: skip
    print(f"discord.py views stored: start {first['views']:,}, end {last['views']:,} "
          f"({last['view_items']:,} items)")  # fmt: skip
    lost = sum(w.lost for w in windows)
    print(f"answered {sum(w.answered for w in windows):,}, lost {lost}")


def options(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--count", type=int, default=50_000, help="messages to send (answers)")
    p.add_argument("--concurrency", type=int, default=8, help="messages in flight")
    p.add_argument("--idle", type=float, default=2.0, help="seconds of no traffic measured first")
    p.add_argument("--quick", action="store_true", help="a tiny run: only checks that it works")
    args = p.parse_args(argv)
    if args.quick:
        args.count, args.idle = 200, 0.2
    args.count = max(args.count, WINDOWS)
    return args


async def main(args: argparse.Namespace) -> None:
    slack_replies, discord_replies = Replies(), Replies()
    slack = FakeSlack(keep=False, observe=observe_slack(slack_replies))
    await slack.start()
    logs = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    pipes: dict[str, Any] = {"stdin": asyncio.subprocess.PIPE, "stdout": asyncio.subprocess.PIPE}
    with (logs / "shopcrew.log").open("wb") as log:
        server = await start_server(
            "soak", ["bench/probed.py"], slack, discord_replies, stderr=log, **pipes
        )
    try:
        await wait_ready(server)
        async with aiohttp.ClientSession() as http:
            soak = Soak(server, SlackSender(http), slack_replies, discord_replies)
            summary(await soak.soak(args))
    except AssertionError as exc:
        raise SystemExit(f"{exc} (server log in {logs})") from exc
    finally:
        await stop_server(server)
        await slack.stop()


if __name__ == "__main__":
    asyncio.run(main(options()))
