"""Online backups with SQLite's backup API, and checked restores."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bot.storage.migrations import LEGACY_TABLE, MIGRATIONS


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


def _check(path: Path) -> None:
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not a ShopCrew database ({exc})") from None
    if result != "ok":
        raise BackupError(f"{path}: integrity check failed ({result})")
    missing = {"plans", "history"} - tables
    if not tables & {MIGRATIONS.migrations_table, LEGACY_TABLE}:
        missing.add(MIGRATIONS.migrations_table)  # an older release's backup has the legacy one
    if missing:
        raise BackupError(f"{path}: not a ShopCrew database (missing {', '.join(sorted(missing))})")


def backup(db: Path, target: Path) -> None:
    """Copy ``db`` to ``target`` consistently, even while ShopCrew is writing to it."""
    if not db.is_file():
        raise BackupError(f"{db}: no database to back up")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(db, timeout=30)
    dest = sqlite3.connect(partial)
    try:
        # The backup API copies a consistent snapshot; pages=-1 copies it in one step.
        source.backup(dest, pages=-1)
    finally:
        dest.close()
        source.close()
    _check(partial)
    partial.replace(target)


def restore(source: Path, db: Path) -> Path | None:
    """Check ``source`` and put it in place of ``db``; returns the saved copy of the old one."""
    _check(source)
    saved = None
    if db.is_file():
        saved = db.with_name(f"{db.name}.before-restore-{time.strftime('%Y%m%d-%H%M%S')}")
        backup(db, saved)
    db.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dest = sqlite3.connect(db, timeout=30)
    try:
        src.backup(dest, pages=-1)  # the backup API also writes safely into a WAL database
    finally:
        dest.close()
        src.close()
    _check(db)
    return saved


__all__ = ["BackupError", "backup", "restore"]
