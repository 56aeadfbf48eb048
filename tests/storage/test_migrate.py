"""``shopcrew migrate``: an SQLite database with history moves into PostgreSQL, and the plan
commands work there; refusals write nothing; every table is copied, or the copy stops."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.cli import main
from bot.plans.state import PlanState
from bot.storage import Storage, open_storage

ROOT = Path(__file__).resolve().parents[2]
SHOPCREW = str(Path(sys.executable).parent / "shopcrew")
OLD = ROOT / "tests" / "data" / "shopcrew-0.1.0.sqlite3"
UNREACHABLE = "postgresql://postgres@127.0.0.1:1/test"  # nothing listens on port 1

#: Plan commands per workspace, run with the real CLI: changes, an undo, a reset.
CHANGES = {
    "T1": ["add copywriter 2", "stores 3", "add art", "undo", "channels live", "add anchor"],
    "G42": ["add art 3", "stage mature", "lang es", "remove art"],
    "local": ["add designer", "reset confirm", "add hr 2"],
}
TABLES = ("plans", "history", "seen_events", "meta")


def key(workspace: str) -> str:
    """The plan's key for a workspace the CLI names (``shopcrew plan --workspace``)."""
    return f"local:{workspace}"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``shopcrew ARGS`` in this process: (exit status, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def build_source(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A database with several workspaces' plans and history, made by the plan commands."""
    for workspace, commands in CHANGES.items():
        for words in commands:
            code, _, err = cli(capsys, "plan", "--db", str(path), "--workspace", workspace,
                               *words.split())  # fmt: skip
            assert code == 0, (words, err)
    storage = open_storage(path)
    try:
        assert storage.events.first_time("slack:Ev1")
        storage.meta.set("discord.commands.sha256", "abc")
    finally:
        storage.close()


def rows_of(target: str, table: str) -> list[tuple[Any, ...]]:
    """Every row of ``table``, in a fixed order, on either engine."""
    storage = open_storage(target)
    try:
        rows = storage.database.query(f"SELECT * FROM {table} ORDER BY 1")
    finally:
        storage.close()
    return [tuple(r) for r in rows]


def pg_tables(url: str) -> set[str]:
    """The tables in the test's own PostgreSQL schema (without creating any)."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
    return {str(r[0]) for r in rows}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "shopcrew.db"
    build_source(path, capsys)
    return path


def test_history_and_undo_work_on_postgresql_after_the_move(
    source: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = {ws: cli(capsys, "plan", "--db", str(source), "--workspace", ws, "history")[1]
             for ws in CHANGES}  # fmt: skip
    copied = {table: rows_of(str(source), table) for table in TABLES}
    # The real command, as an operator runs it: the source named by SHOPCREW_DB.
    env = {k: v for k, v in os.environ.items() if k != "SHOPCREW_DATABASE_URL"}
    env.update(SHOPCREW_DB=str(source), PYTHONPATH=str(ROOT))
    out = subprocess.run([SHOPCREW, "migrate", "--to", postgres_url], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr
    printed = dict(line.split() for line in out.stdout.splitlines()[1:])
    # Every table of the source is copied and counted (those the plans use hold rows here).
    assert set(TABLES) <= set(printed)
    for table in printed:
        rows = copied.get(table) or rows_of(str(source), table)
        assert printed[table] == str(len(rows)), table
        assert rows_of(postgres_url, table) == rows, table
    assert all(copied[table] for table in TABLES)
    for ws in CHANGES:
        assert "plan " in shown[ws]
        moved = cli(capsys, "plan", "--db", postgres_url, "--workspace", ws, "history")[1]
        assert moved == shown[ws]
    # The same commands on both databases: undo finds its row on PostgreSQL, and new history
    # rows follow the copied ids (as on SQLite) instead of colliding with them.
    for db in (str(source), postgres_url):
        for words in ("undo", "add hr"):
            code, _, err = cli(capsys, "plan", "--db", db, "--workspace", "T1", *words.split())
            assert code == 0, (db, words, err)
    pg, lite = open_storage(postgres_url), open_storage(source)
    try:
        for ws in CHANGES:
            assert pg.plans.read(key(ws)) == lite.plans.read(key(ws)), ws
            entries = _entries(pg, key(ws))
            assert entries and entries == _entries(lite, key(ws)), ws
        added, undo = pg.plans.history(key("T1"), limit=2)
        assert undo.command == "undo: plan add anchor"
        assert "anchor" not in pg.plans.read(key("T1")).roles
        assert added.command == "plan add hr"
        assert min(added.id, undo.id) > max(row[0] for row in copied["history"])
    finally:
        pg.close()
        lite.close()


def _entries(storage: Storage, workspace: str) -> list[tuple[Any, ...]]:
    return [(h.id, h.user, h.command, h.kind, h.undone, h.before, h.after)
            for h in storage.plans.history(workspace, limit=1000)]  # fmt: skip


# --- refusals: one line, exit 1, nothing written ---------------------------------------------


def test_a_target_that_holds_plans_is_refused_unless_replace(
    source: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = open_storage(postgres_url)
    try:
        target.plans.change("slack:T9", "U9", "plan add art", "add", _add_art)
    finally:
        target.close()
    held = {table: rows_of(postgres_url, table) for table in TABLES}
    code, out, err = cli(capsys, "migrate", "--db", str(source), "--to", postgres_url)
    assert (code, out) == (1, "") and len(err.splitlines()) == 1
    assert "already holds data (plans: 1, history: 1)" in err and "--replace" in err
    assert {table: rows_of(postgres_url, table) for table in TABLES} == held
    code, out, err = cli(capsys, "migrate", "--db", str(source), "--to", postgres_url, "--replace")
    assert code == 0, err
    for table in TABLES:
        assert rows_of(postgres_url, table) == rows_of(str(source), table), table


def test_an_unreachable_target_is_refused(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(source)
    code, out, err = cli(capsys, "migrate", "--db", str(source), "--to", UNREACHABLE)
    assert (code, out) == (1, "") and len(err.splitlines()) == 1
    assert "cannot be reached" in err and "127.0.0.1:1" in err
    assert digest(source) == before


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _foreign(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.close()


def _newer(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('shopcrew', '999_from_the_future', '2030-01-01')"
        )
    conn.close()


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        (_truncated, "not a ShopCrew database"),
        (_foreign, "not a ShopCrew database (it holds other tables: invoices)"),
        (_newer, "a newer ShopCrew wrote this database (schema 999_from_the_future)"),
    ],
)
def test_a_source_shopcrew_cannot_read_is_refused_before_the_target_is_touched(
    spoil: Any, says: str, source: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spoil(source)
    before = digest(source)
    code, out, err = cli(capsys, "migrate", "--db", str(source), "--to", postgres_url)
    assert (code, out) == (1, "") and len(err.splitlines()) == 1
    assert says in err and str(source) in err
    assert pg_tables(postgres_url) == set()  # not even the schema was created
    assert digest(source) == before


def test_a_target_a_newer_release_migrated_is_refused(
    source: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    open_storage(postgres_url).close()
    _postgres(postgres_url, "INSERT INTO shopcrew_migrations VALUES ('999_from_the_future', '')")
    code, _, err = cli(capsys, "migrate", "--db", str(source), "--to", postgres_url)
    assert code == 1 and "newer release of ShopCrew (migrations 999_from_the_future)" in err
    import psycopg

    with psycopg.connect(postgres_url) as conn:  # ShopCrew itself refuses to open it
        for table in TABLES:
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table


def test_a_missing_source_is_refused_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo.db"
    code, _, err = cli(capsys, "migrate", "--db", str(missing), "--to", UNREACHABLE)
    assert code == 1 and f"{missing}: no such file" in err
    assert list(tmp_path.iterdir()) == []


def test_only_postgresql_is_a_target(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The reverse direction (PostgreSQL into SQLite) is not supported.
    with pytest.raises(SystemExit) as usage:
        main(["migrate", "--db", str(source), "--to", str(source.with_name("copy.db"))])
    assert usage.value.code == 2
    assert "must be a postgresql:// URL" in capsys.readouterr().err
    assert not source.with_name("copy.db").exists()


def _add_art(state: PlanState) -> PlanState:
    state.roles["art"] = state.roles.get("art", 0) + 1
    return state


# --- every table ShopCrew owns, not a list of today's ------------------------------------------


def _sqlite(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        with conn:
            for statement in statements:
                conn.execute(statement)
    finally:
        conn.close()


def _postgres(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        for statement in statements:
            conn.execute(statement)


def test_a_table_a_later_migration_adds_is_copied_with_its_ids(
    source: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # As a migration and its PostgreSQL twin would create them: "notes" refers to "notebooks"
    # but was created first in SQLite, so it must still be copied after it; a 0/1 column is a
    # BOOLEAN on PostgreSQL, and ids come from an identity column.
    _sqlite(
        source,
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, book TEXT REFERENCES notebooks(name), "
        "body TEXT, pinned INTEGER)",
        "CREATE TABLE notebooks (name TEXT PRIMARY KEY)",
        "INSERT INTO notebooks VALUES ('ops')",
        "INSERT INTO notes VALUES (7, 'ops', 'hire a packer', 1), (9, 'ops', NULL, 0)",
    )
    open_storage(postgres_url).close()  # the schema as this release makes it
    _postgres(
        postgres_url,
        "CREATE TABLE notebooks (name TEXT PRIMARY KEY)",
        "CREATE TABLE notes (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
        "book TEXT REFERENCES notebooks(name), body TEXT, pinned BOOLEAN)",
    )
    code, out, err = cli(capsys, "migrate", "--db", str(source), "--to", postgres_url)
    assert code == 0, err
    printed = dict(line.split() for line in out.splitlines()[1:])
    assert (printed["notes"], printed["notebooks"]) == ("2", "1")
    notes = [(7, "ops", "hire a packer", True), (9, "ops", None, False)]
    assert rows_of(postgres_url, "notes") == notes
    _postgres(postgres_url, "INSERT INTO notes (book, body) VALUES ('ops', 'next')")
    assert rows_of(postgres_url, "notes")[-1][:2] == (10, "ops")  # after the copied ids


def test_a_table_postgresql_does_not_have_stops_the_copy(
    source: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # A table with no PostgreSQL twin: the copy fails, naming it, rather than leaving it behind.
    _sqlite(source, "CREATE TABLE reminders (key TEXT PRIMARY KEY, context TEXT)",
            "INSERT INTO reminders VALUES ('slack:T1:C1', '{}')")  # fmt: skip
    code, out, err = cli(capsys, "migrate", "--db", str(source), "--to", postgres_url)
    assert (code, out) == (1, "") and len(err.splitlines()) == 1
    assert "a table PostgreSQL's schema does not: reminders" in err
    assert pg_tables(postgres_url) == set()


def test_a_column_postgresql_does_not_have_stops_the_copy(
    source: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _sqlite(source, "ALTER TABLE plans ADD COLUMN owner TEXT")
    code, _, err = cli(capsys, "migrate", "--db", str(source), "--to", postgres_url)
    assert code == 1 and "table plans: PostgreSQL's table has no column owner" in err
    assert pg_tables(postgres_url) == set()


def test_a_database_an_older_release_wrote_moves_too(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.db"
    shutil.copy(OLD, old)
    code, out, err = cli(capsys, "migrate", "--db", str(old), "--to", postgres_url)
    assert code == 0, err
    assert "_migrations" not in out  # its own bookkeeping stays behind
    assert old.read_bytes() == OLD.read_bytes()  # upgraded in the snapshot, not in place
    storage = open_storage(postgres_url)
    try:
        assert storage.plans.read("slack:T1").roles == {"copywriter": 2, "art": 1}
        assert storage.plans.read("discord:42").roles == {"art": 3}
        assert storage.meta.get("discord.commands.sha256") == "abc"
        assert storage.events.seen("slack:Ev1")
    finally:
        storage.close()


# --- a service writing during the copy -----------------------------------------------------------


@pytest.fixture
def busy_service(tmp_path: Path) -> Iterator[tuple[Path, threading.Event]]:
    """A database that a "service" (a thread) keeps changing, three plans in turn, each change
    with the event that asked for it; the event is set once it made 200 changes."""
    path = tmp_path / "live.db"
    live = open_storage(path)
    live.database.hold_for_service()
    stop, busy = threading.Event(), threading.Event()

    def write() -> None:
        made = 0
        while not stop.is_set():
            workspace, delivery = f"slack:T{made % 3}", f"slack:Ev{made}"
            live.plans.change(workspace, "U1", "plan add art", "add", _add_art, delivery)
            made += 1
            if made == 200:
                busy.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        yield path, busy
    finally:
        stop.set()
        writer.join(timeout=30)
        live.close()


def test_the_copy_is_consistent_while_a_service_writes(
    busy_service: tuple[Path, threading.Event],
    postgres_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, busy = busy_service
    assert busy.wait(timeout=60)
    code, _, err = cli(capsys, "migrate", "--db", str(path), "--to", postgres_url)
    assert code == 0, err
    assert "a running ShopCrew is using" in err  # what it writes next is not in the copy
    # One moment of the database: each plan is the result of exactly its recorded changes, and
    # each change's event was recorded with it.
    storage = open_storage(postgres_url)
    try:
        plans = storage.database.query("SELECT workspace, version FROM plans")
        assert len(plans) == 3
        ((changes, events),) = storage.database.query(
            "SELECT (SELECT count(*) FROM history), (SELECT count(*) FROM seen_events)"
        )
        assert changes == events >= 200
        for workspace, version in plans:
            history = storage.plans.history(workspace, limit=100_000)
            assert version == len(history), workspace
            assert storage.plans.read(workspace) == history[0].after, workspace
    finally:
        storage.close()
