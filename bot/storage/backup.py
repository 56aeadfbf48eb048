"""Online backups with SQLite's backup API, and checked restores.

A backup is written to ``TARGET.partial`` in rollback-journal mode (so no ``-wal``/``-shm``
files are left beside it), checked, then renamed into place: a failed backup never leaves a
half-written file under the target's name. A restore puts back only a file this release can run
on (see ``bot.storage.schema``), never while a ShopCrew service holds the database (its next
writes would be lost, and its de-duplication ids with them), and keeps the ids of events the
live database saw recently, so a platform's retry after the restore is still recognised.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path

from bot.storage.database import claimed
from bot.storage.errors import StorageError
from bot.storage.events import SEEN_TTL_SECONDS
from bot.storage.schema import check_all


class BackupError(Exception):
    """A backup or restore could not be done; the message says why, in one line."""


def check(path: Path) -> None:
    """Raise ``BackupError`` (one line naming ``path``) unless it is an intact ShopCrew database
    this release can run on (see ``bot.storage.schema``); reads only."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{path}: cannot open it ({exc})") from None
    try:
        check_all(conn)
    except StorageError as exc:
        raise BackupError(f"{path}: {exc.detail}") from None
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not a ShopCrew database ({exc})") from None
    finally:
        conn.close()


def _copy(source: Path, dest: Path, *, readonly: bool) -> None:
    """Copy a consistent snapshot of ``source`` into ``dest`` (SQLite's backup API)."""
    src_uri = f"file:{source}?mode=ro" if readonly else f"file:{source}"
    src = sqlite3.connect(src_uri, uri=True, timeout=30)
    try:
        out = sqlite3.connect(dest, timeout=30)
        try:
            src.backup(out, pages=-1)  # pages=-1: the whole snapshot in one step
            if not readonly:  # a backup file: no WAL beside it
                out.execute("PRAGMA journal_mode = DELETE")
        finally:
            out.close()
    finally:
        src.close()


def backup(db: Path, target: Path) -> None:
    """Copy ``db`` to ``target`` consistently, even while ShopCrew is writing to it."""
    if not db.is_file():
        raise BackupError(f"{db}: no database to back up")
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        _copy(db, partial, readonly=False)
    except (OSError, sqlite3.Error) as exc:
        _remove(partial)
        raise BackupError(f"{target}: could not write the backup ({exc})") from None
    try:
        check(partial)
        partial.replace(target)
    except (BackupError, OSError) as exc:
        _remove(partial)
        raise BackupError(str(exc)) from None


def restore(source: Path, db: Path) -> Path | None:
    """Check ``source`` and put it in place of ``db``; returns the saved copy of the old one."""
    check(source)
    with claimed(db) as free:
        if not free:
            raise BackupError(
                f"{db}: a running ShopCrew is using this database; stop it, then restore"
            )
        return _restore(source, db)


def _restore(source: Path, db: Path) -> Path | None:
    saved = None
    if db.is_file():
        saved = db.with_name(f"{db.name}.before-restore-{time.strftime('%Y%m%d-%H%M%S')}")
        backup(db, saved)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        _copy(source, db, readonly=True)  # the backup API also writes safely into a WAL database
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"{db}: could not restore into it ({exc})") from None
    check(db)
    if saved is not None:
        _keep_recent_events(saved, db)
    return saved


def _keep_recent_events(old: Path, db: Path) -> None:
    """Copy the recently seen event ids of the replaced database into the restored one."""
    conn = sqlite3.connect(f"file:{db}", uri=True, timeout=30)
    try:
        conn.execute("ATTACH DATABASE ? AS old", [f"file:{old}?mode=ro"])
        conn.execute(
            "INSERT OR IGNORE INTO seen_events (key, seen_at) "
            "SELECT key, seen_at FROM old.seen_events WHERE seen_at >= ?",
            [time.time() - SEEN_TTL_SECONDS],
        )
        conn.commit()
    except sqlite3.Error:
        pass  # an old database without the table: nothing to keep
    finally:
        conn.close()


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


__all__ = ["BackupError", "backup", "check", "restore"]
