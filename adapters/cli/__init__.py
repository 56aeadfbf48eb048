"""The ``shopcrew`` command: the command line is one more adapter over the core."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable

#: Subcommand -> the module that runs it (imported only for that subcommand).
_MODULES = {
    "ask": "commands", "chat": "commands", "run": "commands", "slack": "commands",
    "discord": "commands", "size": "typed", "plan": "typed", "config": "ops", "backup": "ops",
    "restore": "ops", "health": "ops", "migrate": "ops",
}  # fmt: skip


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    module = importlib.import_module(f"adapters.cli.{_MODULES[name]}")
    function: Callable[[argparse.Namespace], int] = getattr(module, f"cmd_{name}")
    return function


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``shopcrew`` console script."""
    from adapters.cli.commands import fail
    from adapters.cli.parser import build_parser

    # bot.errors, not bot.settings: `ask` should not pay for loading pydantic-settings.
    from bot.errors import ConfigError

    args = build_parser().parse_args(argv)
    try:
        return _command(args.func)(args)
    except ConfigError as exc:
        return fail(str(exc), 2)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
