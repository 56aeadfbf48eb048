"""``plan salary ROLE AMOUNT`` and ``plan currency CODE``: the workspace's own cost figures.

Costs are shown only from these figures; ShopCrew never estimates a salary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Self

from bot.plans.commands.base import Change, register
from bot.plans.costs import MAX_SALARY, known_currency, money
from bot.plans.grammar import GrammarError
from bot.plans.state import PlanState
from bot.understand.numbers import read_number
from knowledge import Lang, Vocabulary, fold
from knowledge.vocab import PlanVerb

if TYPE_CHECKING:
    from bot.plans.runtime import PlanContext

#: Currency signs people type before or after an amount ("$6000", "6000€"): the amount is the
#: number; the currency is the workspace's (``plan currency``).
_SIGNS = "$€¥£₩₹"


def _amount(token: str, lang: Lang, vocab: Vocabulary) -> float | None:
    """A monthly amount (0 clears), or None when ``token`` is not one; refuses one out of range."""
    if fold(token) in vocab.plan.none.all():
        return 0.0
    value = read_number(token.strip(_SIGNS), lang)
    if value is None:
        return None
    if not 0 <= value <= MAX_SALARY:
        raise GrammarError("plan.salary.bad_amount", given=token[:40], max=MAX_SALARY)
    return round(value, 2)


@register
@dataclass(frozen=True, slots=True)
class Salary(Change):
    """``plan salary ROLE AMOUNT``: one person's monthly cost in a role (0 or ``none`` clears)."""

    verb: ClassVar[PlanVerb] = "salary"
    role: str
    amount: float

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """``art 6000``, ``6000 art``, ``customer service 5,500``, ``art none``."""
        if len(args) >= 2:
            last = _amount(args[-1], lang, vocab)
            if last is not None:
                return cls(role=" ".join(args[:-1]), amount=last)
            first = _amount(args[0], lang, vocab)
            if first is not None:
                return cls(role=" ".join(args[1:]), amount=first)
        raise GrammarError("plan.salary.usage")

    def canonical(self) -> str:
        """``salary art 6000``."""
        amount = int(self.amount) if float(self.amount).is_integer() else self.amount
        return f"salary {self.role} {amount}"

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """Set (or clear) the role's monthly cost."""
        role = ctx.role(self.role)
        if self.amount:
            state.salaries[role] = self.amount
        else:
            state.salaries.pop(role, None)
        return state

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """ "Monthly cost per person in Art: not set → MX$6,000."."""
        role = ctx.role(self.role)

        def shown(state: PlanState) -> str:
            amount = state.salaries.get(role)
            return (
                ctx.t("plan.not_set") if amount is None else money(ctx.lang, amount, state.currency)
            )

        return [ctx.t("plan.changed.salary", role=ctx.name(role), before=shown(before),
                      after=shown(after))]  # fmt: skip


@register
@dataclass(frozen=True, slots=True)
class Currency(Change):
    """``plan currency MXN`` (an ISO 4217 code), or ``none``."""

    verb: ClassVar[PlanVerb] = "currency"
    code: str | None

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """``MXN``, ``usd``, ``none``."""
        given = args[0].strip() if len(args) == 1 else " ".join(args)
        if fold(given) in vocab.plan.none.all():
            return cls(code=None)
        code = given.upper()
        if len(code) != 3 or not code.isascii() or not known_currency(code):
            raise GrammarError("plan.currency.bad", given=given[:40])
        return cls(code=code)

    def canonical(self) -> str:
        """``currency MXN`` or ``currency none``."""
        return f"currency {self.code or 'none'}"

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """Set the currency."""
        state.currency = self.code
        return state

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """ "Currency: not set → MXN (Mexican peso)."."""
        return [ctx.t("plan.changed.currency", before=self._name(ctx, before.currency),
                      after=self._name(ctx, after.currency))]  # fmt: skip

    @staticmethod
    def _name(ctx: PlanContext, code: str | None) -> str:
        if code is None:
            return ctx.t("plan.not_set")
        from babel.numbers import get_currency_name

        from bot.strings import LOCALES

        return f"{code} ({get_currency_name(code, locale=LOCALES[ctx.lang])})"
