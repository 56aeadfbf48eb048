"""What each ``shopcrew`` subcommand does. Chat SDKs load only for the commands that need them."""

from __future__ import annotations

import argparse
import io
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapters.cli.output import answer_json
from bot.models import Answer, Message, Origin
from bot.render import to_text
from bot.storage.backend import Target
from knowledge import Lang

if TYPE_CHECKING:
    from bot.context import Knowledge
    from bot.core import Bot
    from bot.plans.overview import PlanOverview
    from bot.plans.service import PlanService
    from bot.requests import CostFigures, PlanRequest, SizingContext
    from bot.settings import Settings
    from bot.storage import Storage


def fail(message: str, code: int = 2) -> int:
    """One line on stderr, and the exit code."""
    print(f"shopcrew: {message}", file=sys.stderr)
    return code


def db_path(args: argparse.Namespace) -> Target:
    """``--db``, else the configured database (see ``resolve_db``)."""
    given: Target | None = getattr(args, "db", None)
    return resolve_db(given)


def resolve_db(given: Target | None) -> Target:
    """The database: ``--db``, else ``SHOPCREW_DATABASE_URL``, else ``SHOPCREW_DB``, else the
    per-user default file.

    Only the default's folder is created. A folder named by ``--db`` or ``SHOPCREW_DB`` must
    exist: a typo there would otherwise start an empty plan somewhere nobody looks
    (``Database.open`` refuses with one line).
    """
    if given is not None:
        return given
    from bot.settings import load_settings

    settings = load_settings()
    if not {"db", "database_url"} & settings.model_fields_set:
        settings.db.parent.mkdir(parents=True, exist_ok=True)
    return settings.database


class LazyPlans:
    """Opens the plan database on the first plan command, so ``ask`` starts fast."""

    def __init__(self, db: Target | None) -> None:
        self.db = db
        self.storage: Storage | None = None
        self._service: PlanService | None = None

    def open(self) -> PlanService:
        """The plan service, opening the database first if needed.

        Someone is waiting at a terminal, not a chat: a write waits longer for another
        process's lock than the service does. Raises ``StorageError`` (one line) when the file
        cannot be used.
        """
        if self._service is None:
            from bot.plans.service import PlanService
            from bot.storage import open_storage
            from bot.storage.database import PATIENT_BUSY_MS

            self.storage = open_storage(self._path(), busy_ms=PATIENT_BUSY_MS)
            self._service = PlanService(self.storage.plans)
        return self._service

    def _path(self) -> Target:
        return resolve_db(self.db)

    def handle(self, request: PlanRequest, knowledge: Knowledge) -> Answer:
        """Run the command on the database, opening it first if needed."""
        service = self._opened(request.lang)
        return service if isinstance(service, Answer) else service.handle(request, knowledge)

    def overview(
        self, origin: Origin, lang: Lang, knowledge: Knowledge, own_lang: bool = False
    ) -> PlanOverview | Answer:
        """The plan against the recommendation, opening the database first if needed."""
        service = self._opened(lang)
        if isinstance(service, Answer):
            return service
        return service.overview(origin, lang, knowledge, own_lang)

    def _opened(self, lang: Lang) -> PlanService | Answer:
        """The plan service, or the answer saying why the database cannot be used."""
        from bot.answers.misc import storage_answer
        from bot.storage.errors import StorageError

        try:
            return self.open()
        except StorageError as exc:
            print(f"shopcrew: {exc}", file=sys.stderr)
            return storage_answer(lang, busy=exc.kind == "busy")

    def context(self, origin: Origin) -> SizingContext | None:
        """The plan's stores, stage and channels; no database file means no plan yet."""
        service = self._existing()
        return service.context(origin) if service is not None else None

    def cost_figures(self, origin: Origin) -> CostFigures | None:
        """The plan's salaries and currency; no database file means none set."""
        service = self._existing()
        return service.cost_figures(origin) if service is not None else None

    def has_roles(self, origin: Origin) -> bool:
        """Whether the plan has anyone in it; no database file means no plan yet."""
        service = self._existing()
        return service is not None and service.has_roles(origin)

    def _existing(self) -> PlanService | None:
        """The service over an existing database; None when there is none or it cannot be
        opened (the plan command that needs it says why; a question goes on without it)."""
        from bot.storage.errors import StorageError

        if self._service is None and not self._path().exists():
            return None
        try:
            return self.open()
        except StorageError:
            return None


def make_bot(db: Target | None) -> Bot:
    """A bot whose plan commands use the database at ``db`` (opened on first use)."""
    from bot.core import Bot

    return Bot(plans=LazyPlans(db))


class _Failure(logging.Handler):
    """The core's log of a failed answer, as one line on stderr: what failed, no traceback."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        cause = f" ({type(error).__name__}: {error})" if error is not None else ""
        print(f"shopcrew: {record.getMessage()}{cause}", file=sys.stderr)


def cmd_ask(args: argparse.Namespace) -> int:
    """``shopcrew ask``: one question, or one per line of stdin. Exits 1 when any answer was the
    apology for an internal error (every line is still answered), else 0."""
    bot = make_bot(args.db)
    lang: Lang | None = args.lang
    failed = False

    def one(text: str) -> None:
        nonlocal failed
        message = Message(text=text, platform="cli", user_is_admin=True, default_lang=lang)
        answer = bot.answer(message)
        failed = failed or answer.error
        text = to_text(answer, files=True)
        out = json.dumps(answer_json(answer), ensure_ascii=False) if args.json else text
        print(out + ("" if args.json or args.question != ["-"] else "\n"), flush=True)

    handler = _Failure()  # instead of Python's last-resort handler, which prints the traceback
    logging.getLogger().addHandler(handler)
    try:
        if args.question == ["-"]:
            # A line with bytes that are not UTF-8 is still answered (they read as "�"), and
            # what is written is always valid UTF-8.
            for stream in (sys.stdin, sys.stdout):
                if isinstance(stream, io.TextIOWrapper):
                    stream.reconfigure(errors="replace")
            for line in sys.stdin:
                one(line.rstrip("\n"))
        else:
            one(" ".join(args.question))
    finally:
        logging.getLogger().removeHandler(handler)
    return 1 if failed else 0


def cmd_chat(args: argparse.Namespace) -> int:
    """``shopcrew chat``: the console."""
    from adapters.console import chat

    db = db_path(args)
    return chat(make_bot(db), history=_history_file(db))


def _history_file(db: Target) -> Path:
    """The console's line history: beside the SQLite file, else in the per-user folder."""
    from bot.settings import default_db_path

    folder = db.path.parent if db.dialect == "sqlite" else default_db_path().parent
    return folder / "console_history"


def cmd_run(args: argparse.Namespace) -> int:
    """``shopcrew run``: every configured adapter, or the console chat without tokens."""
    from bot.settings import load_settings

    settings = load_settings()
    if settings.slack_configured or settings.discord_configured:
        slack, discord = settings.slack_configured, settings.discord_configured
        return serve(settings, args.db, slack=slack, discord=discord)
    return cmd_chat(args)


def serve(settings: Settings, db: Target | None, slack: bool, discord: bool) -> int:
    """Run the chosen adapters in one process, sharing one core and one database."""
    import asyncio

    from adapters.runner import run_until_stopped
    from bot.ops.logs import setup_logging
    from bot.settings import problems, secrets_of
    from bot.storage import open_storage
    from bot.storage.errors import StorageError

    issues = [p for p in problems(settings) if slack or not p.startswith("SLACK")]
    if issues:
        return fail("invalid configuration: " + "; ".join(issues), 1)
    setup_logging(settings.log_format, settings.log_level, secrets_of(settings))
    try:
        storage = open_storage(resolve_db(db))
        storage.database.hold_for_service()
    except StorageError as exc:
        # One line (and a non-zero exit, so a supervisor shows it) instead of a traceback.
        return fail(f"cannot start: {exc}", 1)
    return asyncio.run(run_until_stopped(settings, storage, slack, discord))


def cmd_slack(args: argparse.Namespace) -> int:
    """``shopcrew slack``: only the Slack adapter."""
    from bot.settings import load_settings

    overrides: dict[str, Any] = {}
    if args.http:
        overrides["slack_mode"] = "http"
    if args.socket:
        overrides["slack_mode"] = "socket"
    if args.port is not None:
        overrides["slack_port"] = args.port
    settings = load_settings().model_copy(update=overrides)
    if not settings.slack_configured:
        return fail(
            "SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) is not set "
            "(see the README's Slack section)",
            1,
        )
    return serve(settings, args.db, slack=True, discord=False)


def cmd_discord(args: argparse.Namespace) -> int:
    """``shopcrew discord``: only the Discord adapter."""
    from bot.settings import load_settings

    settings = load_settings()
    if not settings.discord_configured:
        return fail("DISCORD_TOKEN is not set (see the README's Discord section)", 1)
    return serve(settings, args.db, slack=False, discord=True)
