"""What the Discord chaos tests share: fixture payloads, ``shopcrew run`` (or ``shopcrew
discord``) as a real process, and which process holds a TCP connection."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import sys
from collections.abc import Iterable
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


async def run_discord(
    fake: FakeDiscord,
    tmp: Path,
    token: str = fake_discord.TOKEN,
    *,
    command: str = "run",
    name: str = "server",
    database: str | None = None,
    **settings: str,
) -> Process:
    """Start ``shopcrew <command>`` against ``fake``, on ``database`` (a file or URL; default
    ``chaos.db`` in ``tmp``) with extra ``settings``; logs go to the file ``<name>.log`` (an
    unread pipe would block)."""
    port = free_port()
    env = dict(os.environ, SHOPCREW_DATABASE_URL=database or str(tmp / "chaos.db"),
               DISCORD_TOKEN=token, SHOPCREW_DISCORD_API_URL=fake.api_url,
               SHOPCREW_DISCORD_GATEWAY_URL=fake.gateway_url, SHOPCREW_HTTP_HOST="127.0.0.1",
               SHOPCREW_HTTP_PORT=str(port), **settings)  # fmt: skip
    for unset in ("SHOPCREW_DB", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        env.pop(unset, None)
    log = tmp / f"{name}.log"
    exe = str(Path(sys.executable).parent / "shopcrew")
    with log.open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            exe, command, env=env, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL, stderr=out,
        )  # fmt: skip
    return Process(proc, port, log)


def owner(port: int, pids: Iterable[int]) -> int | None:
    """Which of ``pids`` holds the TCP connection whose local end is ``port`` (a fake's peer).

    Linux's socket tables give the connection's inode; a process's descriptors name the
    sockets it holds. Asked while the connection is open (keep-alive keeps REST ones open).
    """
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) in inodes:
                    return pid
            except OSError:  # closed meanwhile
                continue
    return None
