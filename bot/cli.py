"""The ``shopcrew`` command: run, chat, ask, size, plan.

Chat SDKs are imported only by the commands that need them, so ``shopcrew ask`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from bot.models import Answer, Lang


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one clear line on stderr (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"shopcrew: {message} (see 'shopcrew {self.prog.split()[-1]} --help')\n")


def _fail(message: str, code: int = 2) -> int:
    print(f"shopcrew: {message}", file=sys.stderr)
    return code


def answer_json(answer: Answer) -> dict[str, Any]:
    """The ``ask --json`` contract."""
    from bot.render import to_text

    e = answer.entities
    return {
        "intent": answer.intent,
        "language": answer.language,
        "roles": list(e.roles),
        "stores": e.stores,
        "stage": e.stage,
        "channels": list(e.channels),
        "team": e.team,
        "text": to_text(answer),
    }


class _LazyPlans:
    """Opens the plan database on the first plan command, so ``ask`` starts fast."""

    def __init__(self, db: Path | None) -> None:
        self.db = db
        self._service: Any = None

    def handle(self, message: Any, command: str, lang: Lang) -> Answer:
        if self._service is None:
            from bot.plans import PlanService
            from bot.settings import load_settings

            self._service = PlanService.open(self.db or load_settings().db)
        answer: Answer = self._service.handle(message, command, lang)
        return answer


def _bot(db: Path | None) -> Any:
    from bot.core import Bot

    return Bot(plans=_LazyPlans(db))


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.models import Message
    from bot.render import to_text

    bot = _bot(args.db)
    lang: Lang | None = args.lang

    def one(text: str) -> Answer:
        return bot.handle(Message(text=text, platform="cli", user_is_admin=True, default_lang=lang))  # type: ignore[no-any-return]

    if args.question == ["-"]:
        for line in sys.stdin:
            answer = one(line.rstrip("\n"))
            if args.json:
                print(json.dumps(answer_json(answer), ensure_ascii=False), flush=True)
            else:
                print(to_text(answer) + "\n", flush=True)
        return 0
    answer = one(" ".join(args.question))
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False))
    else:
        print(to_text(answer))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from adapters.console import chat
    from bot.settings import load_settings

    db = args.db or load_settings().db
    return chat(_bot(db), history=db.parent / "console_history")


def cmd_run(args: argparse.Namespace) -> int:
    from bot.settings import load_settings

    settings = load_settings()
    if settings.slack_configured or settings.discord_configured:
        return _serve(
            settings, args.db, slack=settings.slack_configured, discord=settings.discord_configured
        )
    return cmd_chat(args)


def _serve(settings: Any, db: Path | None, slack: bool, discord: bool) -> int:
    """Run the chosen adapters in one process, sharing one intent layer and one database."""
    import asyncio

    from adapters.runner import serve
    from bot.ops.logs import setup_logging
    from bot.plans import PlanStore
    from bot.settings import problems, secrets_of

    issues = [p for p in problems(settings) if slack or not p.startswith("SLACK")]
    if issues:
        return _fail("invalid configuration: " + "; ".join(issues), 1)
    setup_logging(settings.log_format, settings.log_level, secrets_of(settings))
    store = PlanStore.open(db or settings.db)
    asyncio.run(serve(settings, store, slack, discord))
    return 0


def cmd_slack(args: argparse.Namespace) -> int:
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
        return _fail("SLACK_BOT_TOKEN is not set (see the README's Slack section)", 1)
    return _serve(settings, args.db, slack=True, discord=False)


def cmd_discord(args: argparse.Namespace) -> int:
    from bot.settings import load_settings

    settings = load_settings()
    if not settings.discord_configured:
        return _fail("DISCORD_TOKEN is not set (see the README's Discord section)", 1)
    return _serve(settings, args.db, slack=False, discord=True)


def size_json(result: Any, lang: Lang) -> dict[str, Any]:
    """The ``size --json`` contract."""
    from bot.strings import t

    lo, hi, rec = result.total
    out: dict[str, Any] = {
        "stores": result.input.stores,
        "stage": result.input.stage,
        "channels": list(result.input.channels),
        "roles": {
            rid: {
                "min": r.min,
                "max": r.max,
                "recommended": r.recommended,
                "why": t(lang, r.why.key, **r.why.params),
            }
            for rid, r in result.roles.items()
        },
        "total": {"min": lo, "max": hi, "recommended": rec},
        "assumptions": [t(lang, a.key, **a.params) for a in result.assumptions],
        "caveats": [t(lang, c.key, **c.params) for c in result.caveats],
    }
    if result.sharper:
        fields = ", ".join(t(lang, f"field.{f}") for f in result.sharper)
        out["caveats"].append(t(lang, "size.sharper", fields=fields))
    if result.service is not None:
        sv = result.service
        out["service"] = {
            "peak_inquiries_per_hour": sv.peak_contacts_per_hour,
            "peak_agents": sv.peak_agents,
            "service_level": sv.service_level,
            "occupancy": sv.occupancy,
            "asa_seconds": sv.asa_seconds,
            "pooled": sv.pooled,
            "separate": sv.separate,
        }
    return out


#: Sizing fields whose command-line flag is not simply the field name with dashes.
_FLAGS = {"answer_within_seconds": "--answer-within", "live_hours_per_day": "--live-hours"}


def cmd_size(args: argparse.Namespace) -> int:
    from bot.answers.team import size_sections, size_title
    from bot.models import Answer
    from bot.render import to_text
    from bot.sizing import SizingError, parse_input, size_team
    from knowledge import default_kb

    raw: dict[str, Any] = {}
    for name in (
        "stores",
        "stage",
        "channels",
        "orders_per_day",
        "inquiries_per_day",
        "peak_inquiries_per_hour",
        "aht_seconds",
        "concurrency",
        "service_level",
        "answer_within_seconds",
        "shrinkage",
        "warehouse",
        "live_hours_per_day",
    ):
        value = getattr(args, name)
        if value is not None:
            raw[name] = value
    if raw.get("channels") == "none":
        raw["channels"] = []
    if args.separate:
        raw["pooled"] = False
    try:
        result = size_team(parse_input(**raw))
    except SizingError as exc:
        flag = _FLAGS.get(exc.field, "--" + exc.field.replace("_", "-"))
        return _fail(f"{flag} must be {exc.allowed} (got {exc.given})")
    lang: Lang = args.lang or "en"
    if args.json:
        print(json.dumps(size_json(result, lang), ensure_ascii=False, indent=2))
        return 0
    answer = Answer(
        intent="team_size",
        language=lang,
        title=size_title(result, lang),
        sections=size_sections(default_kb(), result, lang, []),
    )
    print(to_text(answer, suggestions=False))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from bot.plans.cli import run_plan_command

    return run_plan_command(args)


def cmd_config(args: argparse.Namespace) -> int:
    from bot.settings import describe, load_settings, problems

    settings = load_settings()
    width = max(len(name) for name, _ in describe(settings))
    for name, value in describe(settings):
        print(f"{name.ljust(width)}  {value}")
    adapters = [
        name
        for name, on in (
            ("slack", settings.slack_configured),
            ("discord", settings.discord_configured),
        )
        if on
    ]
    print(f"{'adapters'.ljust(width)}  {', '.join(adapters) or 'console chat (no tokens set)'}")
    issues = problems(settings)
    if issues:
        return _fail("invalid configuration: " + "; ".join(issues), 1)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from bot.ops.backup import BackupError, backup
    from bot.settings import load_settings

    db = args.db or load_settings().db
    try:
        backup(db, args.path)
    except BackupError as exc:
        return _fail(str(exc), 1)
    print(f"backed up {db} to {args.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from bot.ops.backup import BackupError, restore
    from bot.settings import load_settings

    db = args.db or load_settings().db
    try:
        saved = restore(args.path, db)
    except BackupError as exc:
        return _fail(str(exc), 1)
    note = f" (the previous database is saved as {saved})" if saved else ""
    print(f"restored {args.path} to {db}{note}")
    return 0


def cmd_health(args: argparse.Namespace) -> int:
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
        return _fail(f"{url}: {exc}", 1)


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface (also read by the docs tests)."""
    parser = _Parser(prog="shopcrew", description="ShopCrew: your e-commerce team assistant.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="start every configured adapter (console chat without tokens)")
    run.add_argument("--db", type=Path, help="SQLite file (default: $SHOPCREW_DB or per-user)")
    run.set_defaults(func=cmd_run)

    chat = sub.add_parser("chat", help="interactive chat in the terminal")
    chat.add_argument("--db", type=Path, help="SQLite file (default: $SHOPCREW_DB or per-user)")
    chat.set_defaults(func=cmd_chat)

    ask = sub.add_parser("ask", help="answer one question ('-' reads one per line from stdin)")
    ask.add_argument("question", nargs="+", help="the question, or '-' for stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    ask.add_argument("--lang", choices=["en", "es"], help="language when the text gives no clue")
    ask.add_argument("--db", type=Path, help="SQLite file for plan commands")
    ask.set_defaults(func=cmd_ask)

    size = sub.add_parser("size", help="headcount per role from the sizing engine")
    from bot.sizing.inputs import FIELDS

    def opt(flag: str, field: str, what: str) -> None:
        allowed, default = FIELDS[field]
        text = f"{what} ({allowed}; {default})".replace("%", "%%")  # argparse formats help with %
        size.add_argument(flag, dest=field, help=text)

    size.add_argument("--stores", required=True, help="number of stores (1–500)")
    opt("--stage", "stage", "team stage")
    opt("--channels", "channels", "comma-separated content channels, or none")
    opt("--orders-per-day", "orders_per_day", "orders a day, for warehouse and after-sales")
    opt("--inquiries-per-day", "inquiries_per_day", "customer inquiries a day")
    opt("--peak-inquiries-per-hour", "peak_inquiries_per_hour", "inquiries at the busiest hour")
    opt("--aht-seconds", "aht_seconds", "average handle time of one chat")
    opt("--concurrency", "concurrency", "chats one agent handles at once")
    opt("--service-level", "service_level", "share of chats answered in time")
    opt("--answer-within", "answer_within_seconds", "seconds for the service level")
    opt("--shrinkage", "shrinkage", "share of paid time not available")
    opt("--warehouse", "warehouse", "warehouse")
    opt("--live-hours", "live_hours_per_day", "live-stream hours a day")
    size.add_argument("--separate", action="store_true", help="one service team per store")
    size.add_argument("--lang", choices=["en", "es"], help="language of the reasons")
    size.add_argument("--json", action="store_true", help="print one JSON object")
    size.set_defaults(func=cmd_size)

    slack = sub.add_parser("slack", help="run the Slack adapter (Socket Mode or HTTP mode)")
    mode = slack.add_mutually_exclusive_group()
    mode.add_argument("--http", action="store_true", help="serve /slack/events over HTTP")
    mode.add_argument("--socket", action="store_true", help="connect with Socket Mode")
    slack.add_argument("--port", type=int, help="HTTP port (default: $SHOPCREW_SLACK_PORT or 3000)")
    slack.add_argument("--db", type=Path, help="SQLite file (default: $SHOPCREW_DB or per-user)")
    slack.set_defaults(func=cmd_slack)

    disc = sub.add_parser("discord", help="run the Discord adapter")
    disc.add_argument("--db", type=Path, help="SQLite file (default: $SHOPCREW_DB or per-user)")
    disc.set_defaults(func=cmd_discord)

    config = sub.add_parser(
        "config", help="configuration: 'config check' prints it, secrets masked"
    )
    config.add_argument("action", choices=["check"], help="check: validate and print the settings")
    config.set_defaults(func=cmd_config)

    back = sub.add_parser("backup", help="take a consistent online copy of the database")
    back.add_argument("path", type=Path, help="where to write the copy")
    back.add_argument("--db", type=Path, help="SQLite file (default: $SHOPCREW_DB or per-user)")
    back.set_defaults(func=cmd_backup)

    rest = sub.add_parser("restore", help="check a backup and put it in place of the database")
    rest.add_argument("path", type=Path, help="the backup to restore")
    rest.add_argument("--db", type=Path, help="SQLite file (default: $SHOPCREW_DB or per-user)")
    rest.set_defaults(func=cmd_restore)

    health = sub.add_parser("health", help="query the running process's /healthz (or /readyz)")
    health.add_argument("--ready", action="store_true", help="ask /readyz instead")
    health.set_defaults(func=cmd_health)

    plan = sub.add_parser("plan", help='run one team-plan command, e.g. "add copywriter 2"')
    plan.add_argument("text", nargs="+", help="the command text after 'plan'")
    plan.add_argument("--db", type=Path, help="SQLite file (default: $SHOPCREW_DB or per-user)")
    plan.add_argument("--workspace", default="local", help="workspace id (default: local)")
    plan.add_argument("--user", default="local", help="user id (default: local, an admin)")
    plan.add_argument("--json", action="store_true", help="print JSON")
    plan.set_defaults(func=cmd_plan)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``shopcrew`` console script."""
    # bot.errors, not bot.settings: `ask` should not pay for loading pydantic-settings.
    from bot.errors import ConfigError

    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except ConfigError as exc:
        return _fail(str(exc), 2)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code


if __name__ == "__main__":
    raise SystemExit(main())
