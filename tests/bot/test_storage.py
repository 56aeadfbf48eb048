"""The database: migrations with sqlite-utils, and upgrading a file an older release wrote."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bot.core import Bot
from bot.models import Message
from bot.plans.service import PlanService
from bot.storage import open_storage
from bot.storage.migrations import LEGACY_TABLE, MIGRATIONS

#: Written by ShopCrew 0.1.0 (the release before sqlite-utils' migrations): Slack workspace T1
#: has 2 stores, mature, live, copywriter 2, art 1, locked; Discord guild 42 has art 3.
OLD = Path(__file__).parents[1] / "data" / "shopcrew-0.1.0.sqlite3"


def test_every_migration_is_applied_once(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    open_storage(db).close()
    open_storage(db).close()  # a second start applies nothing again
    conn = sqlite3.connect(db)
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    conn.close()
    assert applied == ["001_initial", "002_seen_events", "003_meta", "005_conversations"]


def test_a_database_from_the_previous_release_upgrades_in_place(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(OLD, db)
    storage = open_storage(db)
    try:
        plan = storage.plans.read("slack:T1")
        assert (plan.stores, plan.stage, plan.channels) == (2, "mature", ["live"])
        assert plan.roles == {"copywriter": 2, "art": 1} and plan.locked
        assert storage.plans.read("discord:42").roles == {"art": 3}
        # Seen before the upgrade; retried a minute later (not "now": the wall clock would
        # expire the file's event an hour after the file was written).
        seen_at = storage.database.db.execute(
            "SELECT seen_at FROM seen_events WHERE key = 'slack:Ev1'"
        ).fetchone()[0]
        assert not storage.events.first_time("slack:Ev1", now=seen_at + 60)
        assert storage.meta.get("discord.commands.sha256") == "abc"
        # Its history still undoes, and new changes are recorded after it.
        bot = Bot(plans=PlanService(storage.plans))
        admin = {"platform": "slack", "workspace": "T1", "user": "U1", "user_is_admin": True}
        assert bot.answer(Message(text="plan undo", **admin)).changed_plan  # type: ignore[arg-type]
        assert not storage.plans.read("slack:T1").locked
        assert bot.answer(Message(text="plan add hr", **admin)).changed_plan  # type: ignore[arg-type]
        tables = set(storage.database.db.table_names())
    finally:
        storage.close()
    assert LEGACY_TABLE not in tables and MIGRATIONS.migrations_table in tables
    conn = sqlite3.connect(db)
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == ["001_initial", "002_seen_events", "003_meta", "005_conversations"]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
