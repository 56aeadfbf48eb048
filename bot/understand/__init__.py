"""Understanding chat text: normalise, find roles and other entities, score the intents.

``Understander.read(text)`` returns an :class:`Understood`; ``bot.parse`` turns that into a
typed request. Everything here reads the vocabulary through a compiled :class:`Lexicon`.
"""

from bot.understand.entities import StoreCount
from bot.understand.intents import score_intents
from bot.understand.lexicon import Lexicon, compile_lexicon, default_lexicon
from bot.understand.normalize import Normalized, normalize
from bot.understand.roles import RoleHit, RoleMatcher
from bot.understand.search import DutyIndex, DutyMatch
from bot.understand.signals import Scored, Signals
from bot.understand.understood import Understander, Understood
from bot.understand.workload import Figure, Ratio, Workload

__all__ = [
    "DutyIndex",
    "DutyMatch",
    "Figure",
    "Lexicon",
    "Normalized",
    "Ratio",
    "RoleHit",
    "RoleMatcher",
    "Scored",
    "Signals",
    "StoreCount",
    "Understander",
    "Understood",
    "Workload",
    "compile_lexicon",
    "default_lexicon",
    "normalize",
    "score_intents",
]
