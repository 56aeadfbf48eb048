"""Files ShopCrew cannot run on are refused in one line, at start-up and by restore; backups
leave nothing behind; a restore never runs under a live service and keeps its retry memory."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.plans.state import PlanState
from bot.storage import open_storage
from tests.chaos.served import served

EXE = str(Path(sys.executable).parent / "shopcrew")


def shopcrew(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line; bounded."""
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120)


def _good(db: Path) -> None:
    storage = open_storage(db)
    for role, n in (("art", 3), ("copywriter", 2)):

        def add(state: PlanState, role: str = role, n: int = n) -> PlanState:
            state.roles[role] = n
            return state

        storage.plans.change("local:local", "local", f"plan add {role} {n}", "add", add)
    storage.close()
    _settled(db)


def _settled(db: Path) -> None:
    """Everything in the main file (no WAL), so the damage below is all there is."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def _random(db: Path) -> None:
    db.write_bytes(bytes(range(256)) * 80)


def _truncated(db: Path) -> None:
    _good(db)
    with db.open("r+b") as f:
        f.truncate(db.stat().st_size // 2)


def _zeroed_page(db: Path) -> None:
    _good(db)
    size = sqlite3.connect(db).execute("PRAGMA page_size").fetchone()[0]
    with db.open("r+b") as f:  # page 3: a table's root, read by every plan command
        f.seek(2 * size)
        f.write(b"\0" * size)


def _newer(db: Path) -> None:
    _good(db)
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('shopcrew', '999_from_the_future', '2030-01-01')")  # fmt: skip
    _settled(db)


def _other_layout(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE plans (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("CREATE TABLE history (id INTEGER PRIMARY KEY)")


def _other_program(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "random bytes": (_random, "not a ShopCrew database"),
    "truncated": (_truncated, "malformed"),
    "zeroed page": (_zeroed_page, "damaged"),
    "newer schema": (_newer, "newer ShopCrew"),
    "other layout": (_other_layout, "not a ShopCrew database"),
    "another program's": (_other_program, "other tables: invoices"),
}


def _damaged(tmp_path: Path, kind: str) -> Path:
    db = tmp_path / "bad.db"
    DAMAGE[kind][0](db)
    for leftover in tmp_path.glob("bad.db-*"):  # no WAL left to paper over the damage
        leftover.unlink()
    return db


@pytest.mark.parametrize("kind", DAMAGE)
def test_commands_refuse_a_file_they_cannot_run_on_in_one_line(tmp_path: Path, kind: str) -> None:
    db = _damaged(tmp_path, kind)
    before = db.read_bytes()
    out = shopcrew("plan", "--db", str(db), "show")
    assert out.returncode == 1 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and DAMAGE[kind][1] in lines[0] and str(db) in lines[0]
    assert db.read_bytes() == before  # refused before anything was written to it


@pytest.mark.parametrize("kind", DAMAGE)
def test_restore_refuses_a_file_it_cannot_run_on(tmp_path: Path, kind: str) -> None:
    live = tmp_path / "live.db"
    _good(live)
    bad = _damaged(tmp_path, kind)
    out = shopcrew("restore", "--db", str(live), str(bad))
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1
    assert DAMAGE[kind][1] in out.stderr
    shown = shopcrew("plan", "--db", str(live), "--json", "show")
    assert '"art": 3' in shown.stdout  # the live plan still works


def test_the_service_refuses_to_start_on_a_damaged_file(tmp_path: Path) -> None:
    db = _damaged(tmp_path, "zeroed page")
    env = {"SHOPCREW_DB": str(db), "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s",
           "SHOPCREW_SLACK_MODE": "http", "PATH": "/usr/bin:/bin"}  # fmt: skip
    if "PYTHONPATH" in os.environ:  # a checkout other than the installed one runs its own code
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    out = subprocess.run([EXE, "run"], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [out.stderr.strip()]  # one line, no traceback
    assert "cannot start" in out.stderr and "damaged" in out.stderr


def test_a_named_database_folder_must_exist(tmp_path: Path) -> None:
    db = tmp_path / "typo" / "plans.db"
    out = shopcrew("plan", "--db", str(db), "add", "art", "1")
    assert out.returncode == 1 and "does not exist" in out.stderr
    assert not db.parent.exists()  # not silently created


def test_backups_leave_no_partial_files_and_refuse_clearly(tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    _good(live)
    out_dir = tmp_path / "backups"
    assert shopcrew("backup", "--db", str(live), str(out_dir / "b.db")).returncode == 0
    assert [p.name for p in out_dir.iterdir()] == ["b.db"]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = shopcrew("backup", "--db", str(live), str(blocker / "b.db"))
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1
    assert "could not write the backup" in out.stderr


async def test_restore_refuses_while_the_service_runs_and_keeps_its_retry_memory(
    tmp_path: Path,
) -> None:
    db = tmp_path / "live.db"
    backup = tmp_path / "backup.db"
    _good(db)
    assert shopcrew("backup", "--db", str(db), str(backup)).returncode == 0
    async with served(db) as shop:
        assert await shop.mention("plan add art 1") == 200  # event Ev1, committed
        await shop.fake.wait_for(lambda: len(shop.fake.posted()) >= 1)
        out = shopcrew("restore", "--db", str(db), str(backup))
        assert out.returncode == 1 and "stop it, then restore" in out.stderr
        assert await shop.stop() == 0
    storage = open_storage(db)
    assert storage.plans.read("slack:T1").roles == {"art": 1}  # nothing overwritten
    storage.close()
    assert shopcrew("restore", "--db", str(db), str(backup)).returncode == 0
    async with served(db) as shop:
        # Slack retries Ev1 after the restore: recognised, not applied a second time.
        shop.sent = 0
        assert await shop.mention("plan add art 1") == 200
        assert await shop.mention("hola") == 200
        await shop.fake.wait_for(lambda: len(shop.fake.posted()) >= 1)
        assert await shop.stop() == 0
    assert len(shop.fake.posted()) == 1 and "Hola" in shop.fake.posted()[0]["text"]
