"""A round-robin HTTP proxy in a process of its own, for ``bench/capacity.py --replicas``.

The test suite's proxy (``tests/chaos/replicas.py``): each request goes to the next of the
upstream ports on 127.0.0.1, in turn. ``python bench/proxy.py PORT UPSTREAM_PORT…``; it runs
until SIGTERM. Not meant to be started by hand.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.chaos.replicas import Proxy


async def main(port: int, upstreams: list[int]) -> None:
    proxy = Proxy(upstreams, port=port)
    await proxy.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await proxy.stop()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), [int(p) for p in sys.argv[2:]]))
