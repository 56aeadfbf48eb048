"""Discord's connection is supervised: a refused token, an unparsable event, endless failures.

Each drives the real adapter (``shopcrew run`` as a process, or the runner in-process where a
fast restart policy is needed) against the fake Discord on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from adapters.base import EXIT_CONFIG, Backoff
from adapters.discord.app import DiscordAdapter
from adapters.runner import Runtime
from bot.settings import load_settings
from bot.storage import open_storage
from tests.adapters import fake_discord
from tests.adapters.fake_common import free_port, wait_for_http
from tests.adapters.fake_discord import FakeDiscord
from tests.chaos.discord_rig import KNOWN_GUILD, payload, run_discord


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(guilds={KNOWN_GUILD: "Shop A"})
    await fake.start()
    yield fake
    await fake.stop()


def _without(name: str, *path: str) -> dict[str, object]:
    """A fixture with one documented field left out (``path`` leads to it)."""
    data = payload(name)
    inner = data
    for key in path[:-1]:
        inner = inner[key]
    del inner[path[-1]]
    return data


#: Documented payloads that lack a field discord.py reads without a default.
UNPARSABLE = {
    "interaction without version": ("INTERACTION_CREATE", ("interaction_command", "version")),
    "interaction without attachment_size_limit": (
        "INTERACTION_CREATE", ("interaction_command", "attachment_size_limit")),
    "interaction whose member has no flags": (
        "INTERACTION_CREATE", ("interaction_command", "member", "flags")),
}  # fmt: skip


async def test_a_refused_token_exits_non_zero_with_one_line_naming_the_setting(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    run = await run_discord(fake, tmp_path, token="not-the-bot-token")
    try:
        code = await asyncio.wait_for(run.proc.wait(), 30)
    finally:
        await run.stop()
    logs = run.logs()
    assert code == EXIT_CONFIG, logs
    errors = [line for line in logs.splitlines() if " ERROR " in line]
    assert len(errors) == 1 and "DISCORD_TOKEN" in errors[0], logs
    assert "Traceback" not in logs and "LoginFailure" not in logs
    assert "ShopCrew is running" not in logs and "stopped cleanly" in logs
    assert "not-the-bot-token" not in logs


async def test_an_unparsable_event_is_logged_the_bot_goes_unready_then_comes_back(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    run = await run_discord(fake, tmp_path)
    try:
        await wait_for_http(f"{run.base}/readyz", process=run.proc, statuses=(200,))
        assert len(fake.identifies) == 1
        # Hold the reconnection, to look at the process while its Discord side is down.
        fake.identify_gate = asyncio.Event()
        await fake.dispatch("INTERACTION_CREATE", _without("interaction_command", "version"))
        await run.wait_log("discord connection failed (KeyError: 'version')")
        await wait_for_http(f"{run.base}/readyz", process=run.proc, statuses=(503,))
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{run.base}/readyz") as r:
                assert (await r.json())["checks"]["discord"] is False
            async with http.get(f"{run.base}/healthz") as r:
                assert r.status == 200  # restarting, not given up
        fake.identify_gate.set()
        await fake.wait_for(lambda: len(fake.identifies) == 2, timeout=30)
        await wait_for_http(f"{run.base}/readyz", process=run.proc, statuses=(200,))
        # It answers again.
        before = len(fake.rest("POST", "/messages"))
        await fake.dispatch("MESSAGE_CREATE", payload("message_mention"))
        await fake.wait_for(lambda: len(fake.rest("POST", "/messages")) > before)
        run.proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(run.proc.wait(), 15)
    finally:
        await run.stop()
    logs = run.logs()
    assert code == 0, logs
    assert "stopped cleanly" in logs and "KeyError" in logs


async def _runtime(fake: FakeDiscord, tmp_path: Path, backoff: Backoff) -> Runtime:
    settings = load_settings(
        DISCORD_TOKEN=fake_discord.TOKEN, SHOPCREW_DISCORD_API_URL=fake.api_url,
        SHOPCREW_DISCORD_GATEWAY_URL=fake.gateway_url, SHOPCREW_HTTP_HOST="127.0.0.1",
        SHOPCREW_HTTP_PORT=free_port(),
    )  # fmt: skip
    runtime = Runtime(settings, open_storage(tmp_path / "rt.db"), slack=False, discord=True)
    adapter = runtime.adapter("discord")
    assert isinstance(adapter, DiscordAdapter)
    adapter.supervisor.backoff = backoff
    return runtime


@pytest.mark.parametrize("event", UNPARSABLE.values(), ids=UNPARSABLE.keys())
async def test_each_unparsable_documented_payload_costs_one_reconnect(
    fake: FakeDiscord,
    tmp_path: Path,
    event: tuple[str, tuple[str, ...]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    runtime = await _runtime(fake, tmp_path, Backoff(attempts=3, first=0.01))
    adapter = runtime.adapter("discord")
    assert isinstance(adapter, DiscordAdapter)
    stop = asyncio.Event()
    serving = asyncio.create_task(runtime.serve(stop))
    try:
        await fake.wait_for(lambda: len(fake.identifies) == 1)
        await asyncio.wait_for(adapter.client.wait_until_ready(), 15)
        kind, (name, *path) = event
        await fake.dispatch(kind, _without(name, *path))
        await fake.wait_for(lambda: len(fake.identifies) == 2)
        await asyncio.wait_for(adapter.client.wait_until_ready(), 15)
        before = len(fake.rest("POST", "/messages"))
        await fake.dispatch("MESSAGE_CREATE", payload("message_mention"))
        await fake.wait_for(lambda: len(fake.rest("POST", "/messages")) > before)
        assert adapter.supervisor.restarts == 1 and adapter.supervisor.failure is None
    finally:
        stop.set()
        code = await asyncio.wait_for(serving, 15)
    assert code == 0 and "stopped cleanly" in caplog.messages  # logged once the store closed


async def test_a_connection_that_cannot_come_back_fails_liveness_and_exits_non_zero(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    # Every connection gets an event discord.py cannot parse, right after READY.
    fake.after_ready.append(("INTERACTION_CREATE", _without("interaction_command", "version")))
    runtime = await _runtime(fake, tmp_path, Backoff(attempts=2, first=0.01))
    health: list[int] = []
    stop_runtime = runtime.stop

    async def stop_after_looking() -> None:  # what a health check sees just before the exit
        url = f"http://127.0.0.1:{runtime.settings.http_port}/healthz"
        async with aiohttp.ClientSession() as http, http.get(url) as r:
            health.append(r.status)
        await stop_runtime()

    runtime.stop = stop_after_looking  # type: ignore[method-assign]
    code = await asyncio.wait_for(runtime.serve(asyncio.Event()), 30)
    assert code == 1 and health == [503]
    assert runtime.liveness() == ["discord"] and len(fake.identifies) == 3
    gave_up = [r for r in caplog.records if getattr(r, "event", "") == "adapter_gave_up"]
    assert len(gave_up) == 1 and "cannot recover" in gave_up[0].getMessage()
    assert "stopped cleanly" in caplog.messages


async def test_discord_unreachable_at_start_is_retried_not_fatal(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake.unavailable_logins = 2  # the first login, and the first retry
    runtime = await _runtime(fake, tmp_path, Backoff(attempts=3, first=0.01))
    adapter = runtime.adapter("discord")
    assert isinstance(adapter, DiscordAdapter)
    stop = asyncio.Event()
    serving = asyncio.create_task(runtime.serve(stop))
    try:
        await fake.wait_for(lambda: len(fake.identifies) == 1)
        await asyncio.wait_for(adapter.client.wait_until_ready(), 15)
        assert len(fake.rest("GET", "/users/@me")) == 3 and adapter.supervisor.failure is None
    finally:
        stop.set()
        code = await asyncio.wait_for(serving, 15)
    assert code == 0
    assert any("Discord login failed: HTTP 503" in m for m in caplog.messages)


async def test_a_token_revoked_while_running_stops_the_process_with_the_same_line(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    runtime = await _runtime(fake, tmp_path, Backoff(attempts=3, first=0.01))
    adapter = runtime.adapter("discord")
    assert isinstance(adapter, DiscordAdapter)
    serving = asyncio.create_task(runtime.serve(asyncio.Event()))
    await fake.wait_for(lambda: len(fake.identifies) == 1)
    await asyncio.wait_for(adapter.client.wait_until_ready(), 15)
    await fake.close_sockets(4004)  # the gateway's "authentication failed"
    code = await asyncio.wait_for(serving, 15)
    assert code == EXIT_CONFIG and len(fake.identifies) == 1  # no futile reconnects
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "DISCORD_TOKEN" in errors[0] and "4004" in errors[0]


async def test_a_stop_while_the_connection_is_down_is_clean(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    runtime = await _runtime(fake, tmp_path, Backoff(attempts=3, first=0.01))
    adapter = runtime.adapter("discord")
    assert isinstance(adapter, DiscordAdapter)
    stop = asyncio.Event()
    serving = asyncio.create_task(runtime.serve(stop))
    await fake.wait_for(lambda: len(fake.identifies) == 1)
    await asyncio.wait_for(adapter.client.wait_until_ready(), 15)
    fake.identify_gate = asyncio.Event()  # the reconnection hangs at IDENTIFY
    await fake.dispatch("INTERACTION_CREATE", _without("interaction_command", "version"))
    await fake.wait_for(lambda: len(fake.rest("GET", "/users/@me")) == 2)  # logging in again
    assert not await adapter.connected()
    stop.set()
    assert await asyncio.wait_for(serving, 15) == 0
    assert "stopped cleanly" in caplog.messages
    fake.identify_gate.set()


async def test_a_stop_while_discord_is_slow_to_answer_the_login_is_prompt(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake.login_gate = asyncio.Event()  # the login never gets an answer
    runtime = await _runtime(fake, tmp_path, Backoff())
    stop = asyncio.Event()
    serving = asyncio.create_task(runtime.serve(stop))
    await fake.wait_for(lambda: fake.rest("GET", "/users/@me"))
    stop.set()
    assert await asyncio.wait_for(serving, 15) == 0
    assert "stopped cleanly" in caplog.messages and "ShopCrew is running" not in caplog.messages
    fake.login_gate.set()
