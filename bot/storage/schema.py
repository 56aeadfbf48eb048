"""Is this a database ShopCrew can run on? Checked at start-up and before a restore.

A file can fail in three ways that a migration cannot fix: it is damaged (SQLite's quick check
fails, or it is not a database at all), a newer ShopCrew wrote it (migrations this release does
not know: running on it would misread its data), or it has ShopCrew's table names with another
layout (every plan command would fail later, one user at a time). Each gives one line that says
which, instead of a traceback or a service that starts and then fails every request.
"""

from __future__ import annotations

import sqlite3

from bot.storage.errors import StorageError
from bot.storage.migrations import LEGACY_TABLE, MIGRATIONS, known_migrations

#: The columns each table must have (a newer release may add more; none may be missing).
COLUMNS: dict[str, frozenset[str]] = {
    "plans": frozenset({"workspace", "state", "version", "updated_at"}),
    "history": frozenset(
        {"id", "workspace", "user", "at", "command", "kind", "before", "after", "undone"}
    ),
    "seen_events": frozenset({"key", "seen_at"}),
    "meta": frozenset({"key", "value"}),
    "conversations": frozenset({"key", "state", "updated_at"}),
    "claims": frozenset({"key", "owner", "expires_at"}),
}


def check_intact(conn: sqlite3.Connection) -> None:
    """Raise ``StorageError("damaged")`` unless SQLite's quick check passes."""
    try:
        rows = conn.execute("PRAGMA quick_check(3)").fetchall()
    except sqlite3.DatabaseError as exc:
        raise StorageError("damaged", f"not a ShopCrew database ({exc})") from None
    problems = [" ".join(str(r[0]).split()) for r in rows]  # one line, whatever SQLite says
    if problems != ["ok"]:
        raise StorageError("damaged", "the database is damaged: " + "; ".join(problems))


def check_ours(conn: sqlite3.Connection) -> None:
    """Raise when the file holds tables but no ShopCrew schema history: another program's
    database, which ShopCrew must not add its tables to (a mistyped ``--db``)."""
    tables = {t for t in _tables(conn) if not t.startswith("sqlite_")}
    if tables and not tables & {MIGRATIONS.migrations_table, LEGACY_TABLE}:
        shown = ", ".join(sorted(tables)[:5])
        raise StorageError("damaged", f"not a ShopCrew database (it holds other tables: {shown})")


def check_not_newer(conn: sqlite3.Connection) -> None:
    """Raise when a newer ShopCrew applied migrations this release does not know."""
    tables = _tables(conn)
    if MIGRATIONS.migrations_table not in tables:
        return
    applied = [
        str(r[0])
        for r in conn.execute(
            f"SELECT name FROM {MIGRATIONS.migrations_table} WHERE migration_set = ?",
            [MIGRATIONS.name],
        )
    ]
    unknown = [name for name in applied if name not in known_migrations()]
    if unknown:
        raise StorageError(
            "damaged",
            f"a newer ShopCrew wrote this database (schema {unknown[-1]}); "
            "run that release or restore a backup made by this one",
        )


def check_layout(conn: sqlite3.Connection, *, migrated: bool = True) -> None:
    """Raise when a ShopCrew table is missing (``migrated``) or lacks columns ShopCrew needs."""
    tables = _tables(conn)
    if migrated and not tables & {MIGRATIONS.migrations_table, LEGACY_TABLE}:
        raise StorageError("damaged", "not a ShopCrew database (no schema history)")
    for table, needed in COLUMNS.items():
        if table not in tables:
            if migrated and table in ("plans", "history"):
                raise StorageError("damaged", f"not a ShopCrew database (no {table} table)")
            continue
        have = {str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")}
        missing = sorted(needed - have)
        if missing:
            raise StorageError(
                "damaged",
                f"not a ShopCrew database (table {table} has no {', '.join(missing)})",
            )


def check_all(conn: sqlite3.Connection) -> None:
    """Every check, for a file about to be restored (it must be a complete ShopCrew database)."""
    check_intact(conn)
    check_ours(conn)
    check_not_newer(conn)
    check_layout(conn)


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(r[0]) for r in rows}
