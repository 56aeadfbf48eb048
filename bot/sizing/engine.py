"""Headcount per role from the article's rules, coverage floors and workload formulas.

Every number comes with the reason that decided it (a :class:`Reason`, rendered per language by
``bot.strings``). The rules live in ``bot.sizing.rules``, one small function per role, applied
in order; fractional FTE is kept per role and rounded once, so a range never overstates by
rounding each store up (whole people are counted once, for the whole team).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from bot.sizing.inputs import SizingInput
from knowledge import RoleId, Vocabulary, default_vocabulary
from knowledge.vocab import Channel


def ceil(x: float) -> int:
    """Round up, ignoring binary floating-point noise (14 / 0.7 is 20.000000000000004)."""
    return math.ceil(round(x, 9))


def shown(x: float) -> float | int:
    """16.0 -> 16 for display; keeps 2.5 as it is."""
    return int(x) if float(x).is_integer() else round(x, 2)


@dataclass(frozen=True, slots=True)
class Reason:
    """A sentence key in ``bot.strings`` and the values that fill it."""

    key: str
    params: dict[str, object] = field(default_factory=dict)
    #: Further sentences that belong to this reason (the steps behind one number), in order.
    more: tuple[Reason, ...] = ()


#: What decided a role's number: the article's own rule ("one to two operators per store"), a
#: published rule of thumb (a span of control, a packing rate), a queueing model (Erlang C), or
#: an assumption of ShopCrew's the user can override.
Basis = Literal["article", "rule", "queueing", "assumption"]
BASES: tuple[Basis, ...] = ("article", "rule", "queueing", "assumption")


@dataclass(frozen=True, slots=True)
class RoleSize:
    """Whole people for one role: a range, a recommendation, why, and what decided it."""

    role: RoleId
    min: int
    max: int
    recommended: int
    why: Reason
    basis: Basis = "rule"


@dataclass(frozen=True, slots=True)
class ServiceDetail:
    """What the recommended customer-service team achieves at the busiest hour."""

    peak_contacts_per_hour: float
    peak_agents: int
    service_level: float
    occupancy: float
    asa_seconds: float
    pooled: int
    separate: int


@dataclass(frozen=True, slots=True)
class SizingResult:
    """The engine's answer."""

    input: SizingInput
    roles: dict[RoleId, RoleSize]
    assumptions: list[Reason]
    caveats: list[Reason]
    sharper: list[str]
    service: ServiceDetail | None
    #: Customer-service agents on duty in each open hour, from opening (empty without volumes).
    hourly: tuple[int, ...] = ()

    @property
    def total(self) -> tuple[int, int, int]:
        """(min, max, recommended) summed over the roles."""
        rs = self.roles.values()
        return (
            sum(r.min for r in rs),
            sum(r.max for r in rs),
            sum(r.recommended for r in rs),
        )


@dataclass(slots=True)
class Sizing:
    """The result being built: each rule adds its roles, assumptions and caveats."""

    input: SizingInput
    #: Short-video channels need more video editing (from the vocabulary).
    video_channels: frozenset[Channel] = frozenset()
    roles: dict[RoleId, RoleSize] = field(default_factory=dict)
    assumptions: list[Reason] = field(default_factory=list)
    caveats: list[Reason] = field(default_factory=list)
    sharper: list[str] = field(default_factory=list)
    service: ServiceDetail | None = None
    hourly: tuple[int, ...] = ()

    @property
    def mature(self) -> bool:
        """True for a mature team."""
        return self.input.stage == "mature"

    def add(
        self, role: RoleId, low: int, high: int, rec: int, why: Reason, basis: Basis = "rule"
    ) -> None:
        """Record one role's size and what decided it."""
        self.roles[role] = RoleSize(role, low, high, rec, why, basis)

    def result(self) -> SizingResult:
        """The finished, immutable result."""
        return SizingResult(
            self.input,
            self.roles,
            self.assumptions,
            self.caveats,
            self.sharper,
            self.service,
            self.hourly,
        )


def size_team(inp: SizingInput, vocab: Vocabulary | None = None) -> SizingResult:
    """Size every role the team needs for ``inp`` (see the module docstring)."""
    from bot.sizing.rules import RULES

    channels = (vocab or default_vocabulary()).channels
    sizing = Sizing(inp, frozenset(c for c, words in channels.items() if words.video))
    for rule in RULES:
        rule(sizing)
    return sizing.result()
