"""``shopcrew config|backup|restore|migrate|health``: running ShopCrew unattended."""

from __future__ import annotations

import argparse

from adapters.cli.commands import db_path, fail


def cmd_config(args: argparse.Namespace) -> int:
    """``shopcrew config check``: every setting, secrets masked, and what does not fit."""
    from bot.settings import describe, load_settings, problems

    settings = load_settings()
    rows = describe(settings)
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    slack = "slack (OAuth: /slack/install)" if settings.slack_oauth else "slack"
    on = [
        n
        for n, c in ((slack, settings.slack_configured), ("discord", settings.discord_configured))
        if c
    ]
    print(f"{'adapters'.ljust(width)}  {', '.join(on) or 'console chat (no tokens set)'}")
    issues = problems(settings)
    if issues:
        return fail("invalid configuration: " + "; ".join(issues), 1)
    return 0


#: ``backup`` and ``restore`` copy an SQLite file; a server has its own tools.
PG_BACKUPS = (
    "backup and restore work on an SQLite file; for PostgreSQL use pg_dump and pg_restore "
    "(see deploy/README.md)"
)


def cmd_backup(args: argparse.Namespace) -> int:
    """``shopcrew backup PATH``."""
    from bot.storage.backup import BackupError, backup

    db = db_path(args)
    if db.dialect != "sqlite":
        return fail(PG_BACKUPS, 1)
    try:
        backup(db.path, args.path)
    except BackupError as exc:
        return fail(str(exc), 1)
    print(f"backed up {db} to {args.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """``shopcrew restore PATH``."""
    from bot.storage.backup import BackupError, restore

    db = db_path(args)
    if db.dialect != "sqlite":
        return fail(PG_BACKUPS, 1)
    try:
        saved = restore(args.path, db.path)
    except BackupError as exc:
        return fail(str(exc), 1)
    note = f" (the previous database is saved as {saved})" if saved else ""
    print(f"restored {args.path} to {db}{note}")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """``shopcrew migrate --to postgresql://…``: the SQLite database's tables into PostgreSQL."""
    from bot.storage.database import claimed
    from bot.storage.transfer import MigrateError, migrate_to_postgres

    source = db_path(args)
    if source.dialect != "sqlite":
        return fail(f"migrate copies an SQLite database; {source} is not one (use --db FILE)", 1)
    with claimed(source.path) as free:
        running = not free
    try:
        copied = migrate_to_postgres(source.path, args.to.where, replace=args.replace)
    except MigrateError as exc:
        return fail(str(exc), 1)
    print(f"copied {source} to {args.to}")
    width = max(len(name) for name in copied)
    for name, rows in copied.items():
        print(f"  {name.ljust(width)}  {rows}")
    if running:
        # The copy is a snapshot: what the service writes from now on is not in it.
        fail(f"a running ShopCrew is using {source}: stop it, then migrate again with "
             "--replace, or changes made since this copy stay behind", 0)  # fmt: skip
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    """``shopcrew health``: ask the running process."""
    import urllib.error
    import urllib.request

    from bot.settings import load_settings

    settings = load_settings()
    http = settings.slack_configured and settings.effective_slack_mode == "http"
    port = settings.slack_port if http else settings.http_port
    url = f"http://127.0.0.1:{port}/{'readyz' if args.ready else 'healthz'}"
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            print(resp.read().decode())
            return 0
    except (urllib.error.URLError, OSError) as exc:
        return fail(f"{url}: {exc}", 1)
