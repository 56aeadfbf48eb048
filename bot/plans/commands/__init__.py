"""Plan commands: one small class per command, registered for its verb with ``@register``.

Every module in this package is imported here, so a new command only needs its module (plus its
verb in the vocabulary and its sentences in the catalogues).
"""

from __future__ import annotations

import importlib
import pkgutil

from bot.plans.commands.base import COMMANDS, Change, PlanCommand, register
from bot.plans.grammar import GrammarError
from knowledge import Lang
from knowledge.vocab import PLAN_VERBS

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")

_missing = [verb for verb in PLAN_VERBS if verb not in COMMANDS]
if _missing:
    raise ImportError(f"no plan command for: {', '.join(_missing)}")

__all__ = ["COMMANDS", "Change", "GrammarError", "Lang", "PlanCommand", "register"]
