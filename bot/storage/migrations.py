"""The database schema's history, applied at start-up with sqlite-utils' ``Migrations``.

To change the schema, append a function decorated with ``@MIGRATIONS()``: it runs once per
database, in order, and is recorded in ``_sqlite_migrations``. Never edit one that has shipped.
"""

from __future__ import annotations

import functools

from sqlite_utils import Database, Migrations

MIGRATIONS = Migrations("shopcrew")
#: Before sqlite-utils' migrations, ShopCrew recorded applied migrations in this table.
LEGACY_TABLE = "_migrations"


@MIGRATIONS(name="001_initial")
def initial(db: Database) -> None:
    """Plans (one row per workspace) and their history (one row per change)."""
    db.table("plans").create(
        {"workspace": str, "state": str, "version": int, "updated_at": str}, pk="workspace"
    )
    db.table("history").create(
        {"id": int, "workspace": str, "user": str, "at": str, "command": str, "kind": str,
         "before": str, "after": str, "undone": int},
        pk="id",
        not_null={"workspace", "user", "at", "command", "kind", "before", "after", "undone"},
    )  # fmt: skip
    db.table("history").create_index(["workspace", "id"])


@MIGRATIONS(name="002_seen_events")
def seen_events(db: Database) -> None:
    """Event ids already handled: chat platforms retry deliveries, also across our restarts."""
    db.table("seen_events").create({"key": str, "seen_at": float}, pk="key")
    db.table("seen_events").create_index(["seen_at"])


@MIGRATIONS(name="003_meta")
def meta(db: Database) -> None:
    """Small facts about the deployment (e.g. the hash of the Discord commands last synced)."""
    db.table("meta").create({"key": str, "value": str}, pk="key")


@MIGRATIONS(name="004_slack_installations")
def slack_installations(db: Database) -> None:
    """Slack OAuth: one installation per organisation and workspace (its tokens, as JSON), the
    one-time OAuth states, and when a workspace uninstalled the app (its plan's grace period)."""
    db.table("slack_installations").create(
        {"enterprise_id": str, "team_id": str, "workspace": str, "user_id": str,
         "installed_at": float, "data": str},
        pk=("enterprise_id", "team_id"),
        not_null={"enterprise_id", "team_id", "workspace", "installed_at", "data"},
    )  # fmt: skip
    db.table("slack_installations").create_index(["workspace"])
    db.table("slack_oauth_states").create(
        {"state": str, "expires_at": float}, pk="state", not_null={"expires_at"}
    )
    db.table("slack_departures").create(
        {"workspace": str, "departed_at": float}, pk="workspace", not_null={"departed_at"}
    )


@MIGRATIONS(name="005_conversations")
def conversations(db: Database) -> None:
    """What replicas share besides plans: each conversation's context (follow-ups, "why?",
    its language), and the claims a replica holds on the deliveries it is handling (so that a
    retry reaching another replica meanwhile is not answered twice)."""
    db.table("conversations").create(
        {"key": str, "state": str, "updated_at": float}, pk="key", not_null={"state", "updated_at"}
    )
    db.table("conversations").create_index(["updated_at"])
    db.table("claims").create(
        {"key": str, "owner": str, "expires_at": float},
        pk="key",
        not_null={"owner", "expires_at"},
    )
    db.table("claims").create_index(["expires_at"])
    db.table("claims").create_index(["owner"])


@functools.cache
def known_migrations() -> frozenset[str]:
    """The names of every migration this release knows (a database with others is newer)."""
    # Everything is pending on an empty database: the public way to list the set.
    return frozenset(m.name for m in MIGRATIONS.pending(Database(memory=True)))


def _adopt_legacy(db: Database) -> None:
    """Record the migrations an older release applied, so they are not applied twice."""
    if LEGACY_TABLE not in db.table_names():
        return
    MIGRATIONS.ensure_migrations_table(db)
    done = {m.name for m in MIGRATIONS.applied(db)}
    for row in db.execute(f"SELECT name, applied_at FROM {LEGACY_TABLE}").fetchall():
        if row[0] not in done:
            db.table(MIGRATIONS.migrations_table).insert(
                {"migration_set": MIGRATIONS.name, "name": row[0], "applied_at": row[1]}
            )
    db.table(LEGACY_TABLE).drop()


def migrate(db: Database) -> None:
    """Bring the schema up to date (call inside a write transaction: one process at a time)."""
    _adopt_legacy(db)
    MIGRATIONS.apply(db)
