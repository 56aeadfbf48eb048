"""``plan returns 5%`` and ``plan chats-per-order 0.5``: the workspace's own sizing ratios.

Every later sizing answer that reads the plan uses them (a figure in the question still wins),
and says they came from the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Self

from bot.plans.commands.base import Change, register
from bot.plans.grammar import GrammarError
from bot.plans.state import PlanState
from bot.understand.numbers import read_number
from bot.understand.workload import Ratio
from knowledge import Lang, Vocabulary, fold
from knowledge.vocab import PlanVerb

if TYPE_CHECKING:
    from bot.plans.runtime import PlanContext


def plan_ratio(field: str, value: float) -> Ratio:
    """A plan's stored ratio as the message form the answers already phrase ("5% of orders…")."""
    if field == "return_rate":
        return Ratio(field="return_rate", amount=round(value * 100, 2), percent=True)
    return Ratio(field="inquiries_per_order", amount=value)


def ratio_words(lang: Lang, field: str, value: float) -> str:
    """ "5% of orders returned or complained about", "0.5 chats per order"."""
    from bot.answers.figures import ratio_text

    return ratio_text(lang, plan_ratio(field, value))


@dataclass(frozen=True, slots=True)
class _RatioChange(Change):
    """Set (or, with ``none``, clear) one sizing ratio of the plan."""

    field: ClassVar[str]
    #: The largest value the engine accepts (in the unit typed: percent for returns).
    top: ClassVar[float]
    value: float | None

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """``5%``, ``5``, ``0.5``, ``none``."""
        given = " ".join(args).strip()
        if fold(given) in vocab.plan.none.all():
            return cls(value=None)
        amount = read_number(given.rstrip("%").strip(), lang) if given else None
        if amount is None or not 0 <= amount <= cls.top:
            raise GrammarError(f"plan.bad_{cls.verb}", given=given[:40])
        return cls(value=round(amount, 4))

    def canonical(self) -> str:
        """``returns 5`` or ``returns none``."""
        shown = "none" if self.value is None else f"{self.value:g}"
        return f"{self.verb.replace('_', '-')} {shown}"

    def stored(self) -> float | None:
        """The engine's value (a share for returns)."""
        return self.value

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """Set or clear the ratio."""
        value = self.stored()
        if value is None:
            state.ratios.pop(self.field, None)
        else:
            state.ratios[self.field] = value
        return state

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """ "Sizing ratio: not set → 5% of orders returned or complained about."."""

        def shown(state: PlanState) -> str:
            value = state.ratios.get(self.field)
            if value is None:
                return ctx.t("plan.not_set")
            return ratio_words(ctx.lang, self.field, value)

        return [ctx.t("plan.changed.ratio", before=shown(before), after=shown(after))]


@register
@dataclass(frozen=True, slots=True)
class Returns(_RatioChange):
    """``plan returns 5%``: after-sales cases (returns, complaints) per 100 orders."""

    verb: ClassVar[PlanVerb] = "returns"
    field: ClassVar[str] = "return_rate"
    top: ClassVar[float] = 100.0

    def stored(self) -> float | None:
        """A share: 5 (%) is 0.05."""
        return None if self.value is None else round(self.value / 100, 4)


@register
@dataclass(frozen=True, slots=True)
class ChatsPerOrder(_RatioChange):
    """``plan chats-per-order 0.5``: customer-service chats per order."""

    verb: ClassVar[PlanVerb] = "chats_per_order"
    field: ClassVar[str] = "inquiries_per_order"
    top: ClassVar[float] = 5.0
