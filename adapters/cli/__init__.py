"""The ``shopcrew`` command: the command line is one more adapter over the core."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def _commands() -> dict[str, Callable[[argparse.Namespace], int]]:
    from adapters.cli import commands, ops, typed

    return {
        "ask": commands.cmd_ask,
        "chat": commands.cmd_chat,
        "run": commands.cmd_run,
        "slack": commands.cmd_slack,
        "discord": commands.cmd_discord,
        "size": typed.cmd_size,
        "plan": typed.cmd_plan,
        "config": ops.cmd_config,
        "backup": ops.cmd_backup,
        "restore": ops.cmd_restore,
        "health": ops.cmd_health,
    }


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``shopcrew`` console script."""
    from adapters.cli.commands import fail
    from adapters.cli.parser import build_parser

    # bot.errors, not bot.settings: `ask` should not pay for loading pydantic-settings.
    from bot.errors import ConfigError

    args = build_parser().parse_args(argv)
    try:
        return _commands()[args.func](args)
    except ConfigError as exc:
        return fail(str(exc), 2)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
