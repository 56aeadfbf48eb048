"""``shopcrew run`` with a probe inside: the event loop's worst stall, GC pauses, memory, views.

Started by ``bench/soak.py`` with the same environment as ``shopcrew run``. Every line read on
stdin asks for the figures of the window since the last one; one JSON line answers on stdout:
``stall_ms`` (the longest the event loop was late, measured by a task that sleeps 5 ms at a
time), ``busy_ms`` (the most CPU time the loop's thread used within one such sleep: a stall
the process caused itself, not the machine's other tenants taking the CPU away), ``gc_ms``
(the longest garbage collection, which stalls the loop too), ``rss_mb``, ``tracked`` (the
objects the collector tracks: what a full collection has to walk), and ``views`` /
``view_items`` (what discord.py's view store holds). ``stats full`` also times a full
collection (``full_gc_ms``, CPU time) by running one: Python runs them less and less often as the
heap grows, so a window can miss one, and this is what the next one will cost the loop. Running
one resets when Python runs the next, so the soak asks for it only at the start and the end.
The probe's own work is left out of every figure. Not meant to be started by hand.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import adapters.runner as runner
from adapters.cli import main

TICK = 0.005


class Probe:
    """Watches the running process from inside its event loop."""

    def __init__(self) -> None:
        self.runtime: Any = None
        self.stall = 0.0
        self.busy = 0.0
        self.gc = 0.0
        self._gc_start = 0.0
        self._ignore_until = 0.0  # the probe's own work: not counted
        self._probing = False
        self._tasks: set[asyncio.Task[None]] = set()
        gc.callbacks.append(self._on_gc)

    def attach(self, runtime: Any) -> None:
        """Start watching (called as the runtime is created, on the running loop)."""
        self.runtime = runtime
        for job in (self._lag(), self._commands()):
            task = asyncio.get_running_loop().create_task(job)
            self._tasks.add(task)

    def _on_gc(self, phase: str, _info: dict[str, Any]) -> None:
        now = time.perf_counter()
        if self._probing:
            return
        if phase == "start":
            self._gc_start = now
        elif self._gc_start >= self._ignore_until:
            self.gc = max(self.gc, now - self._gc_start)

    async def _lag(self) -> None:
        while True:
            start, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(TICK)
            late = time.perf_counter() - start - TICK
            if start >= self._ignore_until:
                self.stall = max(self.stall, late)
                self.busy = max(self.busy, time.thread_time() - cpu)

    async def _commands(self) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while line := await reader.readline():
            figures = {"stall_ms": self.stall * 1000, "busy_ms": self.busy * 1000,
                       "gc_ms": self.gc * 1000}  # fmt: skip
            self._probing = True
            figures |= self._memory()
            figures["tracked"] = len(gc.get_objects())
            if line.split()[1:] == [b"full"]:
                start = time.thread_time()  # CPU time: a shared machine's other tenants left out
                gc.collect()
                figures["full_gc_ms"] = (time.thread_time() - start) * 1000
            self._probing = False
            self.stall = self.busy = self.gc = 0.0
            self._ignore_until = time.perf_counter()
            sys.stdout.write(json.dumps(figures) + "\n")
            sys.stdout.flush()

    def _memory(self) -> dict[str, float]:
        status = Path("/proc/self/status").read_text().splitlines()
        rss = next(int(x.split()[1]) for x in status if x.startswith("VmRSS:")) / 1024
        views = items = 0
        for adapter in getattr(self.runtime, "adapters", []):
            client = getattr(adapter, "client", None)
            if client is None or not hasattr(client, "persistent_views"):
                continue
            views += len(client.persistent_views)
            store = client._connection._view_store  # discord.py's own store: what it keeps
            items += sum(len(v) for v in store._views.values())
        return {"rss_mb": rss, "views": views, "view_items": items}


PROBE = Probe()
_init = runner.Runtime.__init__


def _watched_init(self: runner.Runtime, *args: Any, **kwargs: Any) -> None:
    _init(self, *args, **kwargs)
    PROBE.attach(self)


if __name__ == "__main__":
    runner.Runtime.__init__ = _watched_init  # type: ignore[method-assign]
    raise SystemExit(main(["run"]))
