"""Backups are consistent while writes go on; restores check what they put back."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage import open_storage
from bot.storage.backup import BackupError, backup, restore

ROOT = Path(__file__).resolve().parents[3]
WRITER = """
import sys
from bot.storage import open_storage
store = open_storage(sys.argv[1]).plans
def add(state):
    state.roles["art"] = state.roles.get("art", 0) + 1
    return state
for i in range(400):
    store.change("local:local", "w", f"plan add art #{i}", "add", add)
    if i == 20:
        print("ready", flush=True)
"""


def test_backup_during_writes_restores_to_a_consistent_plan(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    open_storage(db).close()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], cwd=ROOT, stdout=subprocess.PIPE
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == b"ready"
    copies = [tmp_path / f"copy{i}.db" for i in range(3)]
    for copy in copies:
        backup(db, copy)
    writer.wait(timeout=60)
    writer.stdout.close()
    for copy in copies:
        target = tmp_path / f"restored-{copy.name}"
        restore(copy, target)
        storage = open_storage(target)
        history = storage.plans.history("local:local", limit=10_000)
        # The plan and its history come from the same instant: nothing half-copied.
        assert storage.plans.read("local:local").roles.get("art", 0) == len(history) > 0
        storage.close()


def test_restore_refuses_what_is_not_a_shopcrew_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="not a ShopCrew database"):
        restore(junk, tmp_path / "live.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(BackupError, match="not a ShopCrew database"):
        restore(other, tmp_path / "live.db")
    with pytest.raises(BackupError, match="no such file"):
        restore(tmp_path / "nope.db", tmp_path / "live.db")


def test_restore_keeps_the_previous_database(tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    storage = open_storage(live)
    storage.plans.change(
        "local:local", "u", "plan stores 2", "stores", lambda s: s.model_copy(update={"stores": 2})
    )
    storage.close()
    good = tmp_path / "good.db"
    backup(live, good)
    storage = open_storage(live)
    storage.plans.change(
        "local:local", "u", "plan stores 9", "stores", lambda s: s.model_copy(update={"stores": 9})
    )
    storage.close()
    saved = restore(good, live)
    assert saved is not None and saved.exists()
    storage = open_storage(live)
    assert storage.plans.read("local:local").stores == 2
    storage.close()


def test_cli_backup_and_restore(tmp_path: Path) -> None:
    exe = str(Path(sys.executable).parent / "shopcrew")
    db = tmp_path / "c.db"
    subprocess.run(
        [exe, "plan", "--db", str(db), "add", "art", "3"], check=True, capture_output=True
    )
    out = subprocess.run(
        [exe, "backup", "--db", str(db), str(tmp_path / "b.db")], capture_output=True, text=True
    )
    assert out.returncode == 0 and "backed up" in out.stdout
    subprocess.run(
        [exe, "plan", "--db", str(db), "reset", "confirm"], check=True, capture_output=True
    )
    out = subprocess.run(
        [exe, "restore", "--db", str(db), str(tmp_path / "b.db")], capture_output=True, text=True
    )
    assert out.returncode == 0 and "restored" in out.stdout
    shown = subprocess.run(
        [exe, "plan", "--db", str(db), "--json", "show"], capture_output=True, text=True
    )
    assert '"art": 3' in shown.stdout
    bad = subprocess.run(
        [exe, "restore", "--db", str(db), str(tmp_path / "missing.db")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
