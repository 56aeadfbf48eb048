"""No lost updates across processes, and a killed writer loses nothing that was committed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bot.storage import open_storage

ROOT = Path(__file__).resolve().parents[3]


def _cli(db: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "plan", "--db", str(db), *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_twenty_processes_adding_at_once_lose_no_update(tmp_path: Path) -> None:
    db = tmp_path / "plans.db"
    open_storage(db).close()  # create the schema once, as start-up would
    procs = [_cli(db, "add", "copywriter", "1") for _ in range(20)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    storage = open_storage(db)
    assert storage.plans.read("local:local").roles == {"copywriter": 20}
    assert len(storage.plans.history("local:local", limit=100)) == 20
    storage.close()


WRITER = """
import sys
from bot.storage import open_storage
store = open_storage(sys.argv[1]).plans
def add(state):
    state.roles["art"] = state.roles.get("art", 0) + 1
    return state
i = 0
while True:
    store.change("local:local", "writer", f"plan add art #{i}", "add", add)
    i += 1
    if i == 25:
        print("ready", flush=True)
"""


def test_kill_9_during_writes_loses_nothing_committed(tmp_path: Path) -> None:
    db = tmp_path / "plans.db"
    open_storage(db).close()
    # The durability promise, tested the hard way: kill -9 mid-write.
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], cwd=ROOT, stdout=subprocess.PIPE
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"ready"
    time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    storage = open_storage(db)
    rows = storage.plans.history("local:local", limit=100_000)
    # Every committed change is both in the plan and in the history: none half-written.
    assert len(rows) >= 25
    assert storage.plans.read("local:local").roles["art"] == len(rows)
    assert rows[0].after.roles["art"] == len(rows)
    storage.close()
