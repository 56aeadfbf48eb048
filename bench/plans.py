"""Plan change throughput and latency, next to the SQL a change needs, in one and four processes.

ShopCrew's side is ``plan add art 1`` through the whole intent layer and the plan service. The
floor is the SQL such a change needs, with nothing around it, on a database with the same schema
opened the same way (WAL, ``synchronous=NORMAL``): in one ``BEGIN IMMEDIATE`` transaction, read
the plan, write it (the same upsert ShopCrew runs) and insert its history row, with the JSON
texts ShopCrew writes. ``show`` with 10,000 workspaces stored is compared with its ``SELECT``.
Everything is interleaved (the order alternates) and repeated; figures are min / median / max
over the runs, with the ratios ShopCrew / floor (the median of the per-run ratios).
Run: ``python bench/plans.py`` (about 15 s); ``--runs 7 --changes 2000`` for a longer one;
``--quick`` only checks that it runs. Target: p99 of a change under 5 ms in one process.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.figures import machine, percentile, ratio_line, spread
from bot.core import Bot
from bot.models import Message
from bot.plans.service import PlanService
from bot.storage import open_storage

ROLES = ["art", "copywriter", "customer service", "ops"]
UPSERT = ("INSERT INTO plans (workspace, state, version, updated_at) VALUES (?, ?, 1, ?) "
          "ON CONFLICT(workspace) DO UPDATE SET state = excluded.state, "
          "version = plans.version + 1, updated_at = excluded.updated_at")  # fmt: skip
HISTORY = ('INSERT INTO history (workspace, "user", at, command, kind, "before", "after", undone) '
           "VALUES (?, ?, ?, ?, ?, ?, ?, 0)")  # fmt: skip
NOW = "2026-01-01T00:00:00Z"


@dataclass(frozen=True)
class Run:
    """One measured run: per-operation seconds and operations per second."""

    times: list[float]
    rate: float

    def ms(self, p: float) -> float:
        return percentile(self.times, p) * 1000


# --- ShopCrew ------------------------------------------------------------------------------


def change_maker(db: str, workspace: str) -> Callable[[int], list[float]]:
    """Set up a bot on ``db`` (not timed); the result makes ``n`` plan changes, seconds each."""
    bot = Bot(plans=PlanService(open_storage(db).plans))

    def make(n: int) -> list[float]:
        out = []
        for i in range(n):
            msg = Message(text=f"plan add {ROLES[i % 4]} 1", platform="slack", workspace=workspace)
            t0 = time.perf_counter()
            answer = bot.answer(msg)
            out.append(time.perf_counter() - t0)
            assert answer.changed_plan
        return out

    return make


# --- the floor -----------------------------------------------------------------------------


def connect(db: str) -> sqlite3.Connection:
    """A connection opened as ``bot.storage.database`` opens its own."""
    conn = sqlite3.connect(db, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def bare_maker(db: str, workspace: str, state: str) -> Callable[[int], list[float]]:
    """The floor's ``change_maker``: bare SQL (read, upsert, history row) in one transaction."""
    conn = connect(db)

    def make(n: int) -> list[float]:
        out = []
        for _ in range(n):
            t0 = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("SELECT state FROM plans WHERE workspace = ?", [workspace]).fetchone()
            conn.execute(UPSERT, [workspace, state, NOW])
            conn.execute(HISTORY, [workspace, "U1", NOW, "plan add art 1", "add", state, state])
            conn.execute("COMMIT")
            out.append(time.perf_counter() - t0)
        return out

    return make


def bare_reads(db: str, workspaces: list[str]) -> list[float]:
    """The ``SELECT`` a ``plan show`` needs, for each workspace."""
    conn = connect(db)
    out = []
    for ws in workspaces:
        t0 = time.perf_counter()
        conn.execute("SELECT state FROM plans WHERE workspace = ?", [ws]).fetchone()
        out.append(time.perf_counter() - t0)
    conn.close()
    return out


# --- several processes ---------------------------------------------------------------------


def _worker(job: tuple[str, str, str, int, str, Any, Any, Any]) -> None:
    kind, db, ws, n, state, ready, go, queue = job
    make = change_maker(db, ws) if kind == "shopcrew" else bare_maker(db, ws, state)
    ready.put(None)
    go.wait()  # every process starts at once, once all are set up
    start = time.perf_counter()  # CLOCK_MONOTONIC: comparable across processes
    times = make(n)
    queue.put((times, start, time.perf_counter()))


def processes(kind: str, db: str, ws: str, n: int, state: str, count: int = 4) -> Run:
    """``count`` processes making ``n`` changes each to one plan."""
    # fork: the children start with everything imported (this process runs no threads).
    ctx: Any = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    ready, go, queue = ctx.Queue(), ctx.Event(), ctx.Queue()
    job = (kind, db, ws, n, state, ready, go, queue)
    procs = [ctx.Process(target=_worker, args=(job,)) for _ in range(count)]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get()
    go.set()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    times = [t for r in results for t in r[0]]
    elapsed = max(r[2] for r in results) - min(r[1] for r in results)
    return Run(times, len(times) / elapsed)


# --- the comparison ------------------------------------------------------------------------


def timed(job: Callable[[], list[float]]) -> Run:
    start = time.perf_counter()
    times = job()
    return Run(times, len(times) / (time.perf_counter() - start))


def interleaved(runs: int, ours: Callable[[int], Run], floor: Callable[[int], Run]) -> tuple[list[Run], list[Run]]:  # fmt: skip
    """Both sides ``runs`` times, alternating which goes first."""
    a: list[Run] = []
    b: list[Run] = []
    for r in range(runs):
        pair = [(ours, a), (floor, b)]
        for job, into in pair if r % 2 == 0 else pair[::-1]:
            into.append(job(r))
    return a, b


def report(label: str, ours: list[Run], floor: list[Run], rate: bool = True) -> None:
    """min / median / max of both sides, and the per-run ratios' median."""
    rows: list[tuple[str, str, Callable[[Run], float]]] = [
        ("p50 ms", ".3f", lambda x: x.ms(50)),
        ("p99 ms", ".3f", lambda x: x.ms(99)),
    ]
    if rate:
        rows.insert(0, ("per second", ",.0f", lambda x: x.rate))
    print(f"{label}:")
    for name, fmt, get in rows:
        a, b = [get(x) for x in ours], [get(x) for x in floor]
        print(
            f"  {name:<10} ShopCrew {spread(a, fmt):<28} floor {spread(b, fmt):<28} {ratio_line(a, b)}"
        )


def seed(db: str, count: int = 10_000) -> None:
    """``count`` workspaces with a small plan each."""
    conn = connect(db)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT OR REPLACE INTO plans (workspace, state, version, updated_at) VALUES (?, ?, 1, ?)",
        ((f"slack:W{i}", '{"roles": {"art": 2}}', NOW) for i in range(count)),
    )
    conn.execute("COMMIT")
    conn.close()


def main(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-plans-"))
    ours_db, floor_db = str(tmp / "plans.db"), str(tmp / "floor.db")
    for db in (ours_db, floor_db):
        open_storage(db).close()  # the same schema on both
    n = args.changes
    change_maker(ours_db, "T0")(4)  # warm-up, and the JSON a change writes, for the floor
    conn = connect(ours_db)
    state = conn.execute("SELECT state FROM plans").fetchone()[0]
    conn.close()
    print(
        f"{args.runs} interleaved runs (min / median / max over runs); {n} changes per run; "
        f"{machine()}"
    )
    ours, floor = change_maker(ours_db, "T1"), bare_maker(floor_db, "slack:T1", state)
    one = interleaved(
        args.runs, lambda _: timed(lambda: ours(n)), lambda _: timed(lambda: floor(n))
    )
    report("one process, `plan add` (target p99 < 5 ms)", *one)

    four = interleaved(args.runs, lambda r: processes("shopcrew", ours_db, f"F{r}", n, state),
                       lambda r: processes("floor", floor_db, f"slack:F{r}", n, state))  # fmt: skip
    report("four processes, one plan", *four)
    storage = open_storage(ours_db)
    totals = [storage.plans.read(f"slack:F{r}").total for r in range(args.runs)]
    print(f"  plan totals {totals}, each of {4 * n} (no lost update)")

    for db in (ours_db, floor_db):
        seed(db)
    bot = Bot(plans=PlanService(storage.plans))
    spaces = [f"W{(i * 7919) % 10_000}" for i in range(n)]

    def shows() -> list[float]:
        out = []
        for ws in spaces:
            t0 = time.perf_counter()
            bot.answer(Message(text="plan show", platform="slack", workspace=ws))
            out.append(time.perf_counter() - t0)
        return out

    reads = [f"slack:{ws}" for ws in spaces]
    show = interleaved(args.runs, lambda _: timed(shows), lambda _: timed(lambda: bare_reads(floor_db, reads)))  # fmt: skip
    report("`plan show` with 10,000 workspaces stored (floor: its SELECT)", *show, rate=False)
    storage.close()


def options(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=3, help="interleaved runs (>= 3)")
    p.add_argument("--changes", type=int, default=300, help="changes per run (and per process)")
    p.add_argument("--quick", action="store_true", help="a tiny run: only checks that it works")
    args = p.parse_args(argv)
    if args.quick:
        args.changes = 20
    args.runs = max(3, args.runs)
    return args


if __name__ == "__main__":
    main(options())
