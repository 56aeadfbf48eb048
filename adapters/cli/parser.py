"""The ``shopcrew`` command line: every subcommand, its options and its help."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from bot.storage.backend import Target

DB_HELP = (
    "SQLite file, sqlite:///file or postgresql://… "
    "(default: $SHOPCREW_DATABASE_URL, $SHOPCREW_DB or per-user)"
)


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one clear line on stderr (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


class PlanHelp(argparse.RawDescriptionHelpFormatter):
    """``shopcrew plan --help`` ends with every plan command (loaded only when asked)."""

    def format_help(self) -> str:
        from bot.plans.commands.basics import usage_lines
        from knowledge import default_vocabulary

        lines = usage_lines(default_vocabulary(), "en")
        commands = "\n".join(line.replace("`", "") for line in lines)
        return super().format_help() + "\nplan commands:\n" + commands + "\n"


def shopcrew_version() -> str:
    """The installed package's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("shopcrew")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


class Version(argparse.Action):
    """``--version``, looked up only when asked (importlib.metadata is slow to load)."""

    def __init__(self, option_strings: list[str], dest: str, **kw: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        print(f"shopcrew {shopcrew_version()}")
        parser.exit()


if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[Parser]


def _command(
    sub: Subparsers, name: str, summary: str, description: str = "", db: bool = True, **kw: Any
) -> Parser:
    """A subcommand, with ``--db`` unless it reads no database."""
    parser = sub.add_parser(name, help=summary, description=description or None, **kw)
    if db:
        parser.add_argument("--db", type=Target.parse, help=DB_HELP)
    parser.set_defaults(func=name)
    return parser


def _add_size(sub: Subparsers) -> None:
    from bot.sizing.inputs import FIELDS, flag_of

    size = _command(
        sub, "size", "headcount per role from the sizing engine",
        "How many people per role, with the reason for every number. Only --stores is required; "
        "every other figure has a stated default.", db=False,
    )  # fmt: skip
    for field, info in FIELDS.items():
        text = f"{info.what} ({info.allowed}; {info.default})".replace("%", "%%")  # argparse's %
        if field == "pooled":
            size.add_argument(flag_of(field), dest="separate", action="store_true", help=text)
        else:
            metavar = {"channels": "LIST", "stage": "STAGE", "warehouse": "WHERE"}.get(field, "N")
            size.add_argument(flag_of(field), dest=field, metavar=metavar, help=text)
    size.add_argument("--lang", choices=["en", "es"], help="language of the reasons")
    size.add_argument("--json", action="store_true", help="print one JSON object")
    size.add_argument(
        "--explain", action="store_true",
        help="print every number's reasoning, the assumptions with their sources and the caveats",
    )  # fmt: skip
    size.add_argument(
        "--compare", metavar="FIGURE=V1,V2", dest="compare",
        help="size two to four ways side by side, e.g. stores=2,3 or orders-per-day=500,2000 "
        "(channels: live+xiaohongshu,none; the other figures as given)",
    )  # fmt: skip


def _add_chat_commands(sub: Subparsers) -> None:
    _command(
        sub, "run", "start every configured adapter (console chat without tokens)",
        "Start ShopCrew: Slack and/or Discord when their tokens are set (one process, with "
        "/healthz, /readyz and /metrics), otherwise the console chat.",
    )  # fmt: skip
    _command(
        sub, "chat", "interactive chat in the terminal",
        "Chat with ShopCrew in the terminal, in English or Spanish. Plan commands change the "
        "local workspace's plan. 'exit' or Ctrl-D quits; Ctrl-C clears the line.",
    )  # fmt: skip
    ask = _command(
        sub, "ask", "answer one question ('-' reads one per line from stdin)",
        "Answer one question and exit; '-' answers one question per line of stdin. Exit status: "
        "0 when every question was answered (a polite refusal is an answer); 1 when ShopCrew "
        "failed on one: its apology is printed, one line on stderr says what failed, and the "
        "other lines are still answered; 2 for bad usage or configuration.",
    )  # fmt: skip
    ask.add_argument("question", nargs="+", help="the question, or '-' for stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    ask.add_argument("--lang", choices=["en", "es"], help="language when the text gives no clue")
    plan = _command(
        sub, "plan", 'run one team-plan command, e.g. "add copywriter 2"',
        "Run one plan command on a workspace's plan (default: the local one, as its admin). "
        "Refusals exit 1 with one line on stderr.", formatter_class=PlanHelp,
    )  # fmt: skip
    plan.add_argument("text", nargs="+", help="the command after 'plan' (see below)")
    plan.add_argument("--workspace", default="local", help="workspace id (default: local)")
    plan.add_argument("--user", default="local", help="user id (default: local, an admin)")
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan.add_argument(
        "--out", metavar="FILE",
        help="write the answer's file here and print its path (replaces FILE): the picture of "
        "'chart' (default: shopcrew-chart.png in the current folder, never replacing a file: "
        "shopcrew-chart-2.png…), or an export (default: stdout)",
    )  # fmt: skip


def _add_adapters(sub: Subparsers) -> None:
    slack = _command(
        sub, "slack", "run the Slack adapter (Socket Mode or HTTP mode)",
        "Run only the Slack adapter (see the README's Slack section).",
    )  # fmt: skip
    mode = slack.add_mutually_exclusive_group()
    mode.add_argument("--http", action="store_true", help="serve /slack/events over HTTP")
    mode.add_argument("--socket", action="store_true", help="connect with Socket Mode")
    slack.add_argument("--port", type=int, help="HTTP port (default: $SHOPCREW_SLACK_PORT or 3000)")
    _command(
        sub, "discord", "run the Discord adapter",
        "Run only the Discord adapter (see the README's Discord section).",
    )  # fmt: skip


def _add_operations(sub: Subparsers) -> None:
    config = _command(sub, "config", "configuration: 'config check' prints it, secrets masked",
                      db=False)  # fmt: skip
    config.add_argument("action", choices=["check"], help="check: validate and print the settings")
    back = _command(sub, "backup", "take a consistent online copy of the database")
    back.add_argument("path", type=Path, help="where to write the copy")
    rest = _command(sub, "restore", "check a backup and put it in place of the database")
    rest.add_argument("path", type=Path, help="the backup to restore")
    _add_migrate(sub)
    health = _command(sub, "health", "query the running process's /healthz (or /readyz)",
                      db=False)  # fmt: skip
    health.add_argument("--ready", action="store_true", help="ask /readyz instead")


def postgres_url(text: str) -> Target:
    """``--to``: a PostgreSQL URL (nothing is copied from PostgreSQL into SQLite)."""
    target = Target.parse(text)
    if target.dialect != "postgresql":
        raise argparse.ArgumentTypeError(
            "must be a postgresql:// URL (copying into an SQLite file is not supported)"
        )
    return target


def _add_migrate(sub: Subparsers) -> None:
    migrate = _command(
        sub, "migrate", "copy the SQLite database into PostgreSQL",
        "Copy every table of the SQLite database (--db, else $SHOPCREW_DATABASE_URL or "
        "$SHOPCREW_DB) into PostgreSQL, in one transaction, keeping ids: plan history and undo "
        "work there. It reads a snapshot, so it is safe while ShopCrew runs; stop ShopCrew "
        "first all the same, or changes made after the snapshot stay behind. It refuses, and "
        "writes nothing, when the target already holds data (unless --replace), when the "
        "source is not a ShopCrew database or a newer release wrote it, and when the target "
        "cannot be reached. Only SQLite to PostgreSQL.",
    )  # fmt: skip
    migrate.add_argument(
        "--to", required=True, type=postgres_url, metavar="postgresql://…",
        help="the PostgreSQL database to fill (its schema is created if needed)",
    )  # fmt: skip
    migrate.add_argument(
        "--replace", action="store_true",
        help="empty the target's ShopCrew tables first instead of refusing a target with data",
    )  # fmt: skip


def build_parser() -> Parser:
    """The command-line interface (also read by the docs tests)."""
    parser = Parser(prog="shopcrew", description="ShopCrew: your e-commerce team assistant.")
    parser.add_argument("--version", action=Version)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    _add_chat_commands(sub)
    _add_size(sub)
    _add_adapters(sub)
    _add_operations(sub)
    return parser
