"""The architecture guide is tested, not trusted: every file and name it points to exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")


def test_every_path_in_the_guide_exists() -> None:
    paths = set(re.findall(r"`((?:bot|knowledge|adapters|tests)/[\w/.*{},<>-]+)`", GUIDE))
    assert len(paths) > 20
    missing = []
    for path in paths:
        if "<" in path:
            continue  # a placeholder: adapters/<platform>/
        for expanded in _expand(path):
            if not list(ROOT.glob(expanded)):
                missing.append(expanded)
    assert missing == []


def _expand(path: str) -> list[str]:
    """``a/{b,c}.yaml`` -> ``a/b.yaml``, ``a/c.yaml``."""
    match = re.search(r"\{([^}]*)\}", path)
    if not match:
        return [path]
    return [path[: match.start()] + part + path[match.end() :] for part in match[1].split(",")]


def test_every_name_the_guide_tells_you_to_use_exists() -> None:
    from adapters.base import Adapter, InFlight
    from adapters.discord.commands import PlanGroup, Strings
    from adapters.runner import Runtime
    from bot.buttons import button_value
    from bot.core import Bot
    from bot.parse import BUILDERS
    from bot.plans.commands.base import Change, register
    from bot.sizing.rules import rule
    from bot.storage.migrations import MIGRATIONS
    from bot.strings import LOCALES
    from bot.understand.intents import SCORERS
    from bot.understand.lexicon import INTENT_GROUPS

    assert all([Adapter, InFlight, PlanGroup, Strings, Runtime, button_value, BUILDERS, Change,
                register, rule, MIGRATIONS, LOCALES, SCORERS, INTENT_GROUPS])  # fmt: skip
    assert callable(Bot.parse_button) and callable(Bot._answer)
