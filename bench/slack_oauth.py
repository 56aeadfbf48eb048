"""What distributing the Slack app costs per event: OAuth mode against one bot token.

With one bot token Bolt authorizes once, at the first request. Distributed (``SLACK_CLIENT_ID``
and ``SLACK_CLIENT_SECRET``), Bolt's authorize reads the workspace's installation from the
database and calls ``auth.test`` with its token for every event. Both modes run here on the
same adapter code, the same fake Slack and an SQLite file each, in one process, interleaved (the
order alternates every run): a fixed number of mentions in flight, each POST returning once the
reply was posted (events are answered before they are acknowledged). Printed: answered events
per second and the reply time (p50, p99), min / median / max over the runs, and the ratio
OAuth / one token (the median of the per-run ratios). Both servers, the fake and the load
generator share one event loop, so the absolute figures are far below ``bench/capacity.py``'s;
the ratio is what this measures.

Run: ``python bench/slack_oauth.py`` (under a minute); ``--runs 7 --events 800`` for longer;
``--quick`` only checks that it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.figures import machine, percentile, ratio_line, spread
from bot.settings import Settings
from bot.storage import open_storage
from tests.adapters.fake_common import free_port
from tests.adapters.fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.adapters.fake_slack_oauth import Grant
from tests.adapters.slack_oauth_rig import Browser, adapter_for, event_body, mention, oauth_env
from tests.adapters.slack_oauth_rig import post_signed as post

GRANT = Grant(team="T1")


async def one_run(oauth: bool, events: int, inflight: int) -> tuple[float, list[float]]:
    """Answered events per second, and each event's reply time (s), for one mode."""
    fake = FakeSlack(keep=False)
    await fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        storage = open_storage(Path(tmp) / "b.db")
        env = oauth_env(fake) if oauth else {"SLACK_BOT_TOKEN": BOT_TOKEN,
               "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SHOPCREW_SLACK_API_URL": fake.api_url,
               "SHOPCREW_SLACK_MODE": "http"}  # fmt: skip
        port = free_port()
        config = Settings.model_validate(env).model_copy(
            update={"slack_host": "127.0.0.1", "slack_port": port}
        )
        adapter = adapter_for(storage, config)
        await adapter.start()
        base = f"http://127.0.0.1:{port}"
        try:
            async with aiohttp.ClientSession() as session:
                if oauth:
                    await Browser(session, base, fake).install(GRANT)
                # One event first: the single-token mode's one-off auth.test is not measured.
                await post(session, f"{base}/slack/events", _event(0))
                return await _load(session, f"{base}/slack/events", events, inflight, fake)
        finally:
            await adapter.stop()
            storage.close()
            await fake.stop()


def _event(n: int) -> str:
    return event_body(GRANT, mention(GRANT, "hola", "C1", ts=f"{n}.1"), f"Ev{n}")


async def _load(
    session: aiohttp.ClientSession, url: str, events: int, inflight: int, fake: FakeSlack
) -> tuple[float, list[float]]:
    before = fake.counts["chat.postMessage"]
    times: list[float] = []
    bodies = iter([_event(n) for n in range(1, events + 1)])

    async def sender() -> None:
        for body in bodies:
            start = time.perf_counter()
            assert await post(session, url, body) == 200
            times.append(time.perf_counter() - start)

    gc.collect()
    gc.disable()  # the generator's own collections would land in the measured times
    try:
        start = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(inflight)))
        elapsed = time.perf_counter() - start
    finally:
        gc.enable()
    answered = fake.counts["chat.postMessage"] - before
    assert answered == events, f"{events - answered} events not answered"
    return answered / elapsed, times


async def main(args: argparse.Namespace) -> None:
    print(machine())
    print(f"{args.events} mentions per run, {args.inflight} in flight, {args.runs} runs")
    rates: dict[bool, list[float]] = {True: [], False: []}
    p50s: dict[bool, list[float]] = {True: [], False: []}
    p99s: dict[bool, list[float]] = {True: [], False: []}
    for run in range(args.runs):
        for oauth in (run % 2 == 0, run % 2 == 1):  # the order alternates
            rate, times = await one_run(oauth, args.events, args.inflight)
            rates[oauth].append(rate)
            p50s[oauth].append(percentile(times, 50) * 1000)
            p99s[oauth].append(percentile(times, 99) * 1000)
    for oauth, label in ((False, "one bot token"), (True, "OAuth (distributed)")):
        print(f"{label}: {spread(rates[oauth], '.0f')} answered/s; reply p50 "
              f"{spread(p50s[oauth], '.1f')} ms, p99 {spread(p99s[oauth], '.1f')} ms")  # fmt: skip
    print("events/s:", ratio_line(rates[True], rates[False], "OAuth/one-token"))
    print("reply p99:", ratio_line(p99s[True], p99s[False], "OAuth/one-token"))


def options(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--events", type=int, default=400)
    p.add_argument("--inflight", type=int, default=4)
    p.add_argument("--quick", action="store_true", help="a tiny run: only checks that it works")
    args = p.parse_args(argv)
    if args.quick:
        args.runs, args.events = 2, 20
    return args


if __name__ == "__main__":
    asyncio.run(main(options()))
