"""``shopcrew migrate``: move an SQLite database into PostgreSQL, every table ShopCrew owns.

Which tables: those of the SQLite file's own schema, less SQLite's and the migrations'
bookkeeping (each engine records its own), not a list kept here. A table a later migration adds
(its twin in ``pg_migrations`` creates it on PostgreSQL) is copied without touching this module,
and a table PostgreSQL's schema does not have stops the copy, named, instead of being left
behind. Tables that refer to others (foreign keys) are copied after them.

The source is read from a snapshot taken with SQLite's backup API (as ``shopcrew backup`` takes
it), so a service may go on writing while it is copied; the snapshot is brought up to this
release's schema by the migrations a start-up runs, so a file an older release wrote moves too.
The target is migrated and filled in ONE transaction: a refusal or a failure leaves it as it
was. Rows keep their ids (``plan undo`` finds its history row), and every identity sequence then
starts after the largest id copied, so the next change's history row does not collide.
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from bot.settings import without_credentials
from bot.storage.backup import BackupError, backup, check
from bot.storage.database import PATIENT_BUSY_MS, Database
from bot.storage.errors import StorageError
from bot.storage.migrations import LEGACY_TABLE, MIGRATIONS
from bot.storage.postgres import CONNECT_TIMEOUT_S, apply_migrations, storage_error

#: Each engine records its own migrations: these tables are never copied.
BOOKKEEPING = frozenset({MIGRATIONS.migrations_table, LEGACY_TABLE})

Conn = psycopg.Connection[Any]


class MigrateError(Exception):
    """The database was not moved; the message says why, in one line. Nothing was written."""


@dataclass(frozen=True, slots=True)
class Table:
    """One table to copy: its columns, and the tables its foreign keys point to."""

    name: str
    columns: tuple[str, ...]
    refers_to: frozenset[str]


def migrate_to_postgres(source: Path, url: str, *, replace: bool = False) -> dict[str, int]:
    """Copy every ShopCrew table of the SQLite file ``source`` into the PostgreSQL database at
    ``url``; returns the rows copied per table, in the source's order.

    Refuses (``MigrateError``, nothing written) a source that is not an intact ShopCrew
    database or that a newer release wrote, a target that cannot be reached, that a newer
    release migrated, or that already holds data (unless ``replace``: its ShopCrew tables are
    emptied first, in the same transaction).
    """
    try:
        check(source)
    except BackupError as exc:
        raise MigrateError(str(exc)) from None
    with tempfile.TemporaryDirectory(prefix="shopcrew-migrate-") as folder:
        snapshot = _snapshot(source, Path(folder) / "snapshot.db")
        try:
            tables = tables_of(snapshot.db.conn)
            copied = _fill(snapshot.db.conn, tables, url, replace)
        finally:
            snapshot.close()
    return {t.name: copied[t.name] for t in tables}


def _snapshot(source: Path, copy: Path) -> Database:
    """A consistent copy of ``source``, at this release's schema (only the copy is written)."""
    try:
        backup(source, copy)
        return Database.open(copy, PATIENT_BUSY_MS)
    except BackupError as exc:
        raise MigrateError(f"{source}: could not take a snapshot ({exc})") from None
    except StorageError as exc:
        raise MigrateError(f"{source}: {exc.detail}") from None


def _quoted(name: str) -> str:
    """An SQLite identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def tables_of(conn: sqlite3.Connection) -> list[Table]:
    """Every table ShopCrew owns in the SQLite database, in the order they were created."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
    names = [str(r[0]) for r in rows]
    owned = [n for n in names if not n.startswith("sqlite_") and n not in BOOKKEEPING]
    tables = []
    for name in owned:
        columns = tuple(str(r[1]) for r in conn.execute(f"PRAGMA table_info({_quoted(name)})"))
        keys = conn.execute(f"PRAGMA foreign_key_list({_quoted(name)})")
        refers_to = frozenset(str(r[2]) for r in keys) & (set(owned) - {name})
        tables.append(Table(name, columns, refers_to))
    return tables


def _parents_first(tables: list[Table]) -> list[Table]:
    """The tables in an order where each comes after the tables it refers to."""
    by_name = {t.name: t for t in tables}
    try:
        order = TopologicalSorter({t.name: t.refers_to for t in tables}).static_order()
        return [by_name[name] for name in order]
    except CycleError as exc:
        raise MigrateError(f"tables refer to each other in a cycle: {exc.args[1]}") from None


def _fill(src: sqlite3.Connection, tables: list[Table], url: str, replace: bool) -> dict[str, int]:
    """Migrate the target and copy every table into it, in one transaction."""
    shown = without_credentials(url)
    try:
        with (
            psycopg.connect(url, autocommit=True, connect_timeout=int(CONNECT_TIMEOUT_S)) as conn,
            conn.transaction(),
        ):
            apply_migrations(conn)  # a savepoint: the schema is created with the copy, or not
            # Running replicas' writes are short; a lock held longer says "busy".
            conn.execute(f"SET LOCAL lock_timeout = {PATIENT_BUSY_MS}")
            _check_target(conn, tables)
            _claim(conn, tables, replace)
            copied = {t.name: _copy(src, conn, t) for t in _parents_first(tables)}
            _restart_identities(conn, tables)
    except psycopg.Error as exc:
        raise MigrateError(f"{shown}: {storage_error(exc).detail}") from None
    except StorageError as exc:
        raise MigrateError(f"{shown}: {exc.detail}") from None
    return copied


def _check_target(conn: Conn, tables: list[Table]) -> None:
    """Refuse a table or column PostgreSQL's schema does not have: its data would be lost."""
    rows = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema()"
    ).fetchall()
    have: dict[str, set[str]] = {}
    for table, column in rows:
        have.setdefault(str(table), set()).add(str(column))
    for t in tables:
        if t.name not in have:
            raise MigrateError(
                f"the SQLite database has a table PostgreSQL's schema does not: {t.name} "
                "(ShopCrew does not know how to copy it); nothing was copied"
            )
        missing = [c for c in t.columns if c not in have[t.name]]
        if missing:
            raise MigrateError(
                f"table {t.name}: PostgreSQL's table has no column {', '.join(missing)}; "
                "nothing was copied"
            )


def _claim(conn: Conn, tables: list[Table], replace: bool) -> None:
    """Hold the target's tables for the copy: empty them (``replace``), or refuse if not empty."""
    names = sql.SQL(", ").join(sql.Identifier(t.name) for t in tables)
    if replace:
        conn.execute(sql.SQL("TRUNCATE {}").format(names))
        return
    # Writers (a replica already running on the target) wait until the copy is committed.
    conn.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(names))
    held = {t.name: n for t in tables if (n := _count(conn, t.name))}
    if held:
        shown = ", ".join(f"{name}: {n}" for name, n in held.items())
        raise MigrateError(
            f"the target already holds data ({shown}); nothing was copied "
            "(--replace empties its ShopCrew tables first)"
        )


def _count(conn: Conn, table: str) -> int:
    row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()
    return int(row[0]) if row else 0


def _copy(src: sqlite3.Connection, conn: Conn, table: Table) -> int:
    """Copy one table with PostgreSQL's COPY; returns the rows copied.

    COPY in text form: each value goes through the target column's own input function, as a
    literal would (SQLite's 0/1 becomes a boolean, ISO text a timestamp), and identity columns
    take the values given, so ids are kept.
    """
    columns = sql.SQL(", ").join(sql.Identifier(c) for c in table.columns)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table.name), columns)
    select = f"SELECT {', '.join(map(_quoted, table.columns))} FROM {_quoted(table.name)}"
    rows = 0
    try:
        with conn.cursor() as cursor, cursor.copy(statement) as copy:
            for row in src.execute(select):
                copy.write_row(row)
                rows += 1
    except psycopg.Error as exc:
        raise MigrateError(f"table {table.name}: {storage_error(exc).detail}") from None
    if _count(conn, table.name) != rows:  # a target that was empty holds exactly these rows
        raise MigrateError(f"table {table.name}: the copy does not hold {rows} rows")
    return rows


def _restart_identities(conn: Conn, tables: list[Table]) -> None:
    """Make every identity (or serial) column's next value follow the largest copied id."""
    rows = conn.execute(
        "SELECT table_name, column_name, pg_get_serial_sequence("
        "quote_ident(table_schema) || '.' || quote_ident(table_name), column_name) "
        "FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ANY(%s)",
        [[t.name for t in tables]],
    ).fetchall()
    for table, column, sequence in rows:
        if sequence is None:
            continue
        conn.execute(
            sql.SQL("SELECT setval(%s, COALESCE((SELECT max({}) FROM {}), 0) + 1, false)").format(
                sql.Identifier(column), sql.Identifier(table)
            ),
            [sequence],
        )
