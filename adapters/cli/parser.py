"""The ``shopcrew`` command line: every subcommand, its options and its help."""

from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NoReturn

DB_HELP = "SQLite file (default: $SHOPCREW_DB or per-user)"


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
    try:
        return version("shopcrew")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def _add_size(sub: argparse._SubParsersAction[Parser]) -> None:
    from bot.sizing.inputs import FIELDS, flag_of

    size = sub.add_parser(
        "size",
        help="headcount per role from the sizing engine",
        description="How many people per role, with the reason for every number. Only "
        "--stores is required; every other figure has a stated default.",
    )
    for field, info in FIELDS.items():
        text = f"{info.what} ({info.allowed}; {info.default})".replace("%", "%%")  # argparse's %
        if field == "pooled":
            size.add_argument(flag_of(field), dest="separate", action="store_true", help=text)
        else:
            metavar = {"channels": "LIST", "stage": "STAGE", "warehouse": "WHERE"}.get(field, "N")
            size.add_argument(
                flag_of(field), dest=field, metavar=metavar, required=field == "stores", help=text
            )
    size.add_argument("--lang", choices=["en", "es"], help="language of the reasons")
    size.add_argument("--json", action="store_true", help="print one JSON object")
    size.set_defaults(func="size")


def _add_chat_commands(sub: argparse._SubParsersAction[Parser]) -> None:
    run = sub.add_parser(
        "run",
        help="start every configured adapter (console chat without tokens)",
        description="Start ShopCrew: Slack and/or Discord when their tokens are set (one "
        "process, with /healthz, /readyz and /metrics), otherwise the console chat.",
    )
    run.add_argument("--db", type=Path, help=DB_HELP)
    run.set_defaults(func="run")

    chat = sub.add_parser(
        "chat",
        help="interactive chat in the terminal",
        description="Chat with ShopCrew in the terminal, in English or Spanish. Plan commands "
        "change the local workspace's plan. 'exit' or Ctrl-D quits; Ctrl-C clears the line.",
    )
    chat.add_argument("--db", type=Path, help=DB_HELP)
    chat.set_defaults(func="chat")

    ask = sub.add_parser(
        "ask",
        help="answer one question ('-' reads one per line from stdin)",
        description="Answer one question and exit; '-' answers one question per line of stdin.",
    )
    ask.add_argument("question", nargs="+", help="the question, or '-' for stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    ask.add_argument("--lang", choices=["en", "es"], help="language when the text gives no clue")
    ask.add_argument("--db", type=Path, help="SQLite file for plan commands")
    ask.set_defaults(func="ask")

    plan = sub.add_parser(
        "plan",
        help='run one team-plan command, e.g. "add copywriter 2"',
        description="Run one plan command on a workspace's plan (default: the local one, as "
        "its admin). Refusals exit 1 with one line on stderr.",
        formatter_class=PlanHelp,
    )
    plan.add_argument("text", nargs="+", help="the command after 'plan' (see below)")
    plan.add_argument("--db", type=Path, help=DB_HELP)
    plan.add_argument("--workspace", default="local", help="workspace id (default: local)")
    plan.add_argument("--user", default="local", help="user id (default: local, an admin)")
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan.set_defaults(func="plan")


def _add_adapters(sub: argparse._SubParsersAction[Parser]) -> None:
    slack = sub.add_parser(
        "slack",
        help="run the Slack adapter (Socket Mode or HTTP mode)",
        description="Run only the Slack adapter (see the README's Slack section).",
    )
    mode = slack.add_mutually_exclusive_group()
    mode.add_argument("--http", action="store_true", help="serve /slack/events over HTTP")
    mode.add_argument("--socket", action="store_true", help="connect with Socket Mode")
    slack.add_argument("--port", type=int, help="HTTP port (default: $SHOPCREW_SLACK_PORT or 3000)")
    slack.add_argument("--db", type=Path, help=DB_HELP)
    slack.set_defaults(func="slack")

    disc = sub.add_parser(
        "discord",
        help="run the Discord adapter",
        description="Run only the Discord adapter (see the README's Discord section).",
    )
    disc.add_argument("--db", type=Path, help=DB_HELP)
    disc.set_defaults(func="discord")


def _add_operations(sub: argparse._SubParsersAction[Parser]) -> None:
    config = sub.add_parser(
        "config", help="configuration: 'config check' prints it, secrets masked"
    )
    config.add_argument("action", choices=["check"], help="check: validate and print the settings")
    config.set_defaults(func="config")

    back = sub.add_parser("backup", help="take a consistent online copy of the database")
    back.add_argument("path", type=Path, help="where to write the copy")
    back.add_argument("--db", type=Path, help=DB_HELP)
    back.set_defaults(func="backup")

    rest = sub.add_parser("restore", help="check a backup and put it in place of the database")
    rest.add_argument("path", type=Path, help="the backup to restore")
    rest.add_argument("--db", type=Path, help=DB_HELP)
    rest.set_defaults(func="restore")

    health = sub.add_parser("health", help="query the running process's /healthz (or /readyz)")
    health.add_argument("--ready", action="store_true", help="ask /readyz instead")
    health.set_defaults(func="health")


def build_parser() -> Parser:
    """The command-line interface (also read by the docs tests)."""
    parser = Parser(prog="shopcrew", description="ShopCrew: your e-commerce team assistant.")
    parser.add_argument("--version", action="version", version=f"shopcrew {shopcrew_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    _add_chat_commands(sub)
    _add_size(sub)
    _add_adapters(sub)
    _add_operations(sub)
    return parser
