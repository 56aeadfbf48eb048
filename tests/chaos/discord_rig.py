"""What the Discord chaos tests share: fixture payloads, and ``shopcrew run`` as a real process."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tests.adapters import fake_discord
from tests.adapters.fake_common import free_port
from tests.adapters.fake_discord import FakeDiscord, snowflake

FIXTURES = Path(__file__).parent.parent / "adapters" / "fixtures" / "discord"
#: The server the fake serves, and one it has never heard of.
KNOWN_GUILD = "700000000000000001"
UNKNOWN_GUILD = "700000000000000009"


@cache
def _raw(name: str) -> str:
    return (FIXTURES / f"{name}.json").read_text()


def payload(name: str, **changes: Any) -> dict[str, Any]:
    """A fresh copy of a fixture, with a new id (and token), and top-level ``changes``."""
    data: dict[str, Any] = copy.deepcopy(json.loads(_raw(name)))
    data["id"] = snowflake()
    if "token" in data:
        data["token"] = f"tok{data['id']}"
    data.update(changes)
    return data


@dataclass
class Process:
    """``shopcrew run`` with only Discord configured, its health port, and its log file."""

    proc: asyncio.subprocess.Process
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def logs(self) -> str:
        return self.log.read_text(errors="replace")

    async def wait_log(self, text: str, timeout: float = 20.0) -> None:
        """Wait until ``text`` is in the log (polling a file: there is no event to wait on)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while text not in self.logs():
            if loop.time() > deadline:
                raise AssertionError(f"{text!r} not logged within {timeout:g} s:\n{self.logs()}")
            if self.proc.returncode is not None:
                raise AssertionError(f"exited {self.proc.returncode} first:\n{self.logs()}")
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()


async def run_discord(fake: FakeDiscord, tmp: Path, token: str = fake_discord.TOKEN) -> Process:
    """Start ``shopcrew run`` against ``fake``; logs go to a file (an unread pipe would block)."""
    port = free_port()
    env = dict(os.environ, SHOPCREW_DB=str(tmp / "chaos.db"), DISCORD_TOKEN=token,
               SHOPCREW_DISCORD_API_URL=fake.api_url, SHOPCREW_DISCORD_GATEWAY_URL=fake.gateway_url,
               SHOPCREW_HTTP_HOST="127.0.0.1", SHOPCREW_HTTP_PORT=str(port))  # fmt: skip
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        env.pop(name, None)
    log = tmp / "server.log"
    exe = str(Path(sys.executable).parent / "shopcrew")
    with log.open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            exe, "run", env=env, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL, stderr=out,
        )  # fmt: skip
    return Process(proc, port, log)
