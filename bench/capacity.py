"""Capacity of one ShopCrew process with both adapters, against the test fakes on loopback.

Starts `shopcrew run` (Slack HTTP mode + Discord) as a separate process, then for a fixed time
keeps a bounded number of signed Slack events in flight, and then a burst of Discord mentions, and
prints answered messages per second, p50/p99 time to reply (request sent -> reply received at the
fake), errors, lost and duplicated replies, and the server's peak memory (VmHWM). The baseline,
measured in the same run with the same load generator: plain GETs of the server's /healthz.
Run: ``python bench/capacity.py``. Targets: >= 300 Slack events/s, p99 < 50 ms,
no lost or duplicated replies, peak RSS < 150 MB with both adapters loaded.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp
from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.adapters import fake_discord, fake_slack  # noqa: E402
from tests.adapters.fake_common import free_port, wait_for_http  # noqa: E402
from tests.adapters.fake_discord import FakeDiscord, snowflake, user  # noqa: E402
from tests.adapters.fake_slack import FakeSlack  # noqa: E402

SECONDS = 5.0
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
TARGET_RATE = 300.0  # events per second: latency is measured at this pace
DISCORD_RATE = 200.0
QUESTIONS = ["what does copywriting do?", "how many people for two stores?", "¿qué hace el ancla?",
             "who writes the product titles?", "plan add art 1", "Tmall agency structure"]  # fmt: skip


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def closed_loop(worker, seconds: float, concurrency: int) -> tuple[int, int, float]:  # type: ignore[no-untyped-def]
    """Run ``worker(i)`` from ``concurrency`` tasks for ``seconds``; (ok, errors, elapsed)."""
    counter = iter(range(10**9))
    stop_at = time.perf_counter() + seconds
    ok = errors = 0

    async def loop() -> None:
        nonlocal ok, errors
        while time.perf_counter() < stop_at:
            if await worker(next(counter)):
                ok += 1
            else:
                errors += 1

    start = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(concurrency)))
    return ok, errors, time.perf_counter() - start


async def paced(worker, rate: float, seconds: float, limit: int = 64) -> tuple[int, int, float]:  # type: ignore[no-untyped-def]
    """Start ``worker(i)`` at a fixed rate (open loop), at most ``limit`` in flight."""
    gate = asyncio.Semaphore(limit)
    ok = errors = 0

    async def one(i: int) -> None:
        nonlocal ok, errors
        async with gate:
            if await worker(i):
                ok += 1
            else:
                errors += 1

    tasks = []
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    return ok, errors, time.perf_counter() - start


async def main() -> None:
    slack, discord = FakeSlack(), FakeDiscord()
    await slack.start()
    await discord.start()
    port = free_port()
    tmp = Path(tempfile.mkdtemp())
    env = dict(os.environ, SHOPCREW_DB=str(tmp / "cap.db"), SLACK_BOT_TOKEN=fake_slack.BOT_TOKEN,
               SLACK_SIGNING_SECRET=fake_slack.SIGNING_SECRET, SHOPCREW_SLACK_MODE="http",
               SHOPCREW_SLACK_HOST="127.0.0.1", SHOPCREW_SLACK_PORT=str(port),
               SHOPCREW_SLACK_API_URL=slack.api_url, DISCORD_TOKEN=fake_discord.TOKEN,
               SHOPCREW_DISCORD_API_URL=discord.api_url, SHOPCREW_LOG_LEVEL="WARNING",
               SHOPCREW_DISCORD_GATEWAY_URL=discord.gateway_url)  # fmt: skip
    env.pop("SLACK_APP_TOKEN", None)
    exe = str(Path(sys.executable).parent / "shopcrew")
    proc = await asyncio.create_subprocess_exec(
        exe, "run", env=env, stderr=asyncio.subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    verifier = SignatureVerifier(fake_slack.SIGNING_SECRET)
    try:
        conn = aiohttp.TCPConnector(limit=CONCURRENCY * 2)
        await wait_for_http(f"{base}/readyz", timeout=30, process=proc, statuses=(200,))
        async with aiohttp.ClientSession(connector=conn) as http:

            async def health(_: int) -> bool:
                async with http.get(f"{base}/healthz") as r:
                    await r.read()
                    return r.status == 200

            h_ok, _, h_time = await closed_loop(health, 2.0, CONCURRENCY)
            baseline = h_ok / h_time

            sent: dict[str, float] = {}
            offset = 0

            async def event(i: int) -> bool:
                i += offset
                ts = f"{i}.0001"
                body = json.dumps({"team_id": f"T{i % 50}", "type": "event_callback", "event_id": f"Ev{i}",
                                   "event": {"type": "app_mention", "user": "U1", "ts": ts, "channel": "C1",
                                             "text": f"<@{fake_slack.BOT_USER}> {QUESTIONS[i % len(QUESTIONS)]}"}})  # fmt: skip
                stamp = str(int(time.time()))
                headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
                           "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=body)}  # fmt: skip
                sent[ts] = time.perf_counter()
                async with http.post(f"{base}/slack/events", data=body, headers=headers) as r:
                    await r.read()
                    return r.status == 200

            print(f"baseline: {baseline:,.0f} GET /healthz per second at concurrency {CONCURRENCY}")
            # The paced run is repeated: on a shared machine one run's tail can be another tenant's.
            runs = [
                (
                    f"slack, {CONCURRENCY} events in flight (most it can take)",
                    lambda: closed_loop(event, SECONDS, CONCURRENCY),
                )
            ]
            runs += [
                (
                    f"slack, paced at {TARGET_RATE:.0f} events/s, run {k + 1}",
                    lambda: paced(event, TARGET_RATE, SECONDS),
                )
                for k in range(3)
            ]
            for label, run in runs:  # fmt: skip
                sent.clear()
                slack.calls.clear()
                s_ok, s_err, s_time = await run()
                await slack.wait_for(lambda n=s_ok: len(slack.posted()) >= n, timeout=30)
                replies = [c for c in slack.calls if c.method == "chat.postMessage"]
                per_thread = Counter(c.args["thread_ts"] for c in replies)
                latency = [c.at - sent[c.args["thread_ts"]] for c in replies]
                lost = sum(1 for ts in sent if per_thread[ts] == 0)
                dup = sum(1 for n in per_thread.values() if n > 1)
                rate = len(replies) / s_time
                print(f"{label}: {len(replies)} answered in {s_time:.1f} s = {rate:,.0f} events/s "
                      f"({rate / baseline:.2f}x the baseline); time to reply p50 {pct(latency, 50) * 1000:.1f} ms, "
                      f"p99 {pct(latency, 99) * 1000:.1f} ms; errors {s_err}, lost {lost}, duplicated {dup}")  # fmt: skip
                offset += 1_000_000

            # Discord: a burst of mentions through the gateway, answered via REST.
            await discord.wait_for(lambda: discord.identifies, timeout=30)
            await asyncio.sleep(
                2.5
            )  # discord.py's guild_ready_timeout before it dispatches messages
            n = int(DISCORD_RATE * SECONDS)
            d_sent: dict[str, float] = {}
            start = time.perf_counter()
            for i in range(n):
                delay = start + i / DISCORD_RATE - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                mid = snowflake()
                msg = {"id": mid, "channel_id": "7001", "author": user("555", "ana"),
                       "content": f"<@{fake_discord.BOT_ID}> {QUESTIONS[i % len(QUESTIONS)]}",
                       "timestamp": "2026-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
                       "mention_everyone": False, "mentions": [fake_discord.BOT_USER], "mention_roles": [],
                       "attachments": [], "embeds": [], "pinned": False, "type": 0, "flags": 0,
                       "components": []}  # fmt: skip
                d_sent[mid] = time.perf_counter()
                await discord.dispatch("MESSAGE_CREATE", msg)
            await discord.wait_for(lambda: len(discord.rest("POST", "/messages")) >= n, timeout=60)
            d_time = time.perf_counter() - start
            posts = discord.rest("POST", "/messages")
            d_lat = [p.at - d_sent[str(p.body["message_reference"]["message_id"])] for p in posts]
            d_dup = sum(
                1
                for v in Counter(p.body["message_reference"]["message_id"] for p in posts).values()
                if v > 1
            )
            print(f"discord, paced at {DISCORD_RATE:.0f} mentions/s: {len(posts)} of {n} answered in {d_time:.1f} s = {len(posts) / d_time:,.0f}/s; "
                  f"time to reply p50 {pct(d_lat, 50) * 1000:.1f} ms, p99 {pct(d_lat, 99) * 1000:.1f} ms; "
                  f"lost {n - len({p.body['message_reference']['message_id'] for p in posts})}, duplicated {d_dup}")  # fmt: skip
            print(
                f"peak RSS of the server process (both adapters): {peak_rss_mb(proc.pid):.1f} MB (target < 150)"
            )
    finally:
        proc.terminate()
        await proc.wait()
        await slack.stop()
        await discord.stop()


if __name__ == "__main__":
    asyncio.run(main())
