"""Plan change throughput and latency, for one process and four processes on one database.

Prints changes/s and p99 latency of a change (``plan add ...`` through the whole intent layer),
``show`` latency with 10,000 workspaces stored, and, as the baseline measured in the same run, one
bare SQLite ``BEGIN IMMEDIATE; INSERT; COMMIT`` on the same kind of file.
Run: ``python bench/plans.py``. Target: p99 of a change under 5 ms single-process.
"""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
import tempfile
import time
from pathlib import Path

from bot.core import Bot
from bot.models import Message
from bot.plans.service import PlanService
from bot.storage import open_storage


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def changes(db: str, workspace: str, n: int) -> list[float]:
    bot = Bot(plans=PlanService(open_storage(db).plans))
    roles = ["art", "copywriter", "customer service", "ops"]
    out = []
    for i in range(n):
        msg = Message(text=f"plan add {roles[i % 4]} 1", platform="slack", workspace=workspace)
        t0 = time.perf_counter()
        answer = bot.answer(msg)
        out.append(time.perf_counter() - t0)
        assert answer.changed_plan
    return out


def _worker(args: tuple[str, str, int, mp.Queue]) -> None:  # type: ignore[type-arg]
    db, ws, n, queue = args
    queue.put(changes(db, ws, n))


def baseline(db: str, n: int) -> list[float]:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (x TEXT)")
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?)", [str(i)])
        conn.execute("COMMIT")
        out.append(time.perf_counter() - t0)
    conn.close()
    return out


def main(n: int = 500) -> None:
    tmp = Path(tempfile.mkdtemp())
    base = baseline(str(tmp / "baseline.db"), n)
    b99 = percentile(base, 99) * 1000
    print(
        f"baseline: bare SQLite write transaction p50 {percentile(base, 50) * 1000:.3f} ms, "
        f"p99 {b99:.3f} ms"
    )

    db = str(tmp / "plans.db")
    open_storage(db).close()
    t0 = time.perf_counter()
    one = changes(db, "T1", n)
    rate = n / (time.perf_counter() - t0)
    p99 = percentile(one, 99) * 1000
    print(
        f"one process: {rate:,.0f} changes/s, p50 {percentile(one, 50) * 1000:.3f} ms, "
        f"p99 {p99:.3f} ms (target < 5 ms; {p99 / b99:.1f}x the bare transaction)"
    )

    queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    procs = [mp.Process(target=_worker, args=((db, "T4", n, queue),)) for _ in range(4)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - t0
    allv = [x for r in results for x in r]
    storage = open_storage(db)
    store = storage.plans
    total = store.read("slack:T4").total
    print(
        f"four processes, one plan: {len(allv) / elapsed:,.0f} changes/s, "
        f"p99 {percentile(allv, 99) * 1000:.3f} ms; plan total {total} of {4 * n} (no lost update)"
    )

    # 10,000 workspaces stored, then `show` on random ones.
    with storage.database.transaction() as d:
        d.table("plans").insert_all(
            (
                {"workspace": f"slack:W{i}", "state": '{"roles": {"art": 2}}', "version": 1,
                 "updated_at": "2026-01-01T00:00:00Z"}
                for i in range(10_000)
            ),
            batch_size=1000,
        )  # fmt: skip
    service = PlanService(store)
    bot = Bot(plans=service)
    shows = []
    for i in range(n):
        msg = Message(text="plan show", platform="slack", workspace=f"W{(i * 7919) % 10_000}")
        t0 = time.perf_counter()
        bot.answer(msg)
        shows.append(time.perf_counter() - t0)
    print(
        f"show with 10,000 workspaces: p50 {percentile(shows, 50) * 1000:.3f} ms, "
        f"p99 {percentile(shows, 99) * 1000:.3f} ms"
    )
    storage.close()


if __name__ == "__main__":
    main()
