"""The benchmarks still run, and measure what they claim; their figures are not tested.

Each script runs with ``--quick`` (tiny counts) and must finish and print its comparison lines
(ratios to its floor). The fakes a load benchmark drives can keep nothing, so the generator's
memory stays flat; and the messages it sends are what they say (a Discord mention in a server
carries the server's id, or discord.py reads it as a DM).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.adapters import fake_discord, fake_slack
from tests.adapters.fake_discord import FakeDiscord, Rest
from tests.adapters.fake_slack import Call, FakeSlack

ROOT = Path(__file__).resolve().parents[2]

#: script -> lines its output must contain, and how many times
EXPECTED = {
    "answers.py": {"ratio answer/floor": 2, "ratio ask/bare": 1},
    "plans.py": {"ratio ShopCrew/floor": 8, "(no lost update)": 1},
    "capacity.py": {"ratio ShopCrew/floor": 12, "peak RSS of shopcrew": 1, "peak RSS of floor": 1},
    "soak.py": {"ratio end/start": 6, "discord.py views stored": 1, "idle for": 1},
    "chart.py": {"ratio plan-chart/canvas": 1, "ratio render/canvas": 1},
    "slack_oauth.py": {"ratio OAuth/one-token": 2},
}


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_benchmark_runs_quickly_and_prints_its_ratios(script: str) -> None:
    _runs_and_prints(f"bench/{script}", "--quick", expected=EXPECTED[script])


def test_the_replicas_benchmark_runs_sqlite_and_postgresql_side_by_side() -> None:
    from tests.pg import server_url

    server_url()  # skipped, with the reason, without a PostgreSQL server
    expected = {"ratio to SQLite": 6, "CPU used per second of run": 1, "PostgreSQL, 3 replicas": 5}
    _runs_and_prints("bench/capacity.py", "--replicas", "--quick", expected=expected)


def _runs_and_prints(*argv: str, expected: dict[str, int]) -> None:
    """The benchmark finishes, prints each line of ``expected`` as often, and every ratio."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    result = subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    for line, times in expected.items():
        assert result.stdout.count(line) == times, (line, result.stdout)
    # every ratio had something to compare with
    assert "nan" not in result.stdout and "n/a" not in result.stdout, result.stdout


async def test_fakes_can_count_calls_without_keeping_them_and_send_rate_limits() -> None:
    seen: list[Any] = []
    slack = FakeSlack(keep=False, observe=seen.append)
    discord = FakeDiscord(
        keep=False, observe=seen.append, ratelimit_headers={"X-RateLimit-Remaining": "7"}
    )
    await slack.start()
    await discord.start()
    try:
        async with aiohttp.ClientSession() as http:
            bearer = {"Authorization": f"Bearer {fake_slack.BOT_TOKEN}"}
            for _ in range(3):
                url = slack.api_url + "chat.postMessage"
                async with http.post(
                    url, json={"channel": "C1", "text": "hi"}, headers=bearer
                ) as r:
                    assert (await r.json())["ok"]
            bot = {"Authorization": f"Bot {fake_discord.TOKEN}"}
            url = discord.api_url + "/channels/5/messages"
            async with http.post(url, json={"content": "hi"}, headers=bot) as r:
                assert r.status == 200 and r.headers["X-RateLimit-Remaining"] == "7"
    finally:
        await slack.stop()
        await discord.stop()
    assert slack.calls == [] and discord.calls == []
    assert slack.counts["chat.postMessage"] == 3 and discord.counts["POST"] == 1
    assert [type(c) for c in seen] == [Call, Call, Call, Rest]
    assert seen[-1].path == "/channels/5/messages"


def test_benchmark_mentions_in_a_server_carry_its_id_and_dms_do_not() -> None:
    from bench.load import GUILD, discord_message

    mention = discord_message(1, "hello", "42")
    assert mention["guild_id"] == GUILD and mention["channel_id"] == f"{GUILD}1"
    assert "member" in mention and fake_discord.BOT_USER in mention["mentions"]
    dm = discord_message(2, "hello", "42", dm=True)
    assert "guild_id" not in dm and dm["mentions"] == []
