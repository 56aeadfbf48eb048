"""A plan's monthly cost, only from the workspace's own figures (``plan salary``, ``currency``).

No figure is ever estimated: a role without a salary is left out of the sum and named, and a
workspace that set no salary sees no cost at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.plans.state import PlanState
from bot.strings import LOCALES, number
from knowledge import Lang, RoleId

if TYPE_CHECKING:
    from bot.plans.runtime import PlanContext

#: The largest monthly cost of one person a workspace may set (a typo guard, not a judgement).
MAX_SALARY = 100_000_000


@dataclass(frozen=True, slots=True)
class Costs:
    """Monthly cost of some roles: per role (count × salary), the sum, and the roles not priced."""

    roles: dict[RoleId, float]
    total: float
    unpriced: list[RoleId]


def costs_of(state: PlanState, roles: Mapping[RoleId, int] | None = None) -> Costs | None:
    """The monthly cost of ``roles`` (the plan's own by default); None when no salary is set."""
    return priced(state.salaries, state.roles if roles is None else roles)


def priced(salaries: Mapping[RoleId, float], roles: Mapping[RoleId, int]) -> Costs | None:
    """The monthly cost of ``roles`` at ``salaries`` (count × salary); None with no salary."""
    if not salaries:
        return None
    cost = {r: n * salaries[r] for r, n in roles.items() if n and r in salaries}
    unpriced = [r for r, n in roles.items() if n and r not in salaries]
    return Costs(cost, sum(cost.values()), unpriced)


@lru_cache(maxsize=64)
def _pattern(lang: Lang, whole: bool) -> str:
    from babel import Locale

    pattern = str(Locale.parse(LOCALES[lang]).currency_formats["standard"].pattern)
    # Whole amounts read better without ",00": monthly salaries are rarely in cents.
    return pattern.replace(".00", "") if whole else pattern


def money(lang: Lang, amount: float, currency: str | None) -> str:
    """An amount as written in ``lang``: "MX$6,000" / "6.000 MXN"; a plain number if no currency."""
    whole = float(amount).is_integer()
    if currency is None:
        return number(lang, int(amount) if whole else round(amount, 2))
    from babel.numbers import format_currency

    text = format_currency(
        amount, currency, format=_pattern(lang, whole), locale=LOCALES[lang], currency_digits=False
    )
    return str(text)


def signed_money(lang: Lang, amount: float, currency: str | None) -> str:
    """A difference: "+MX$6,000", "−MX$6,000" or "±0"."""
    if round(amount, 2) == 0:
        return "±" + money(lang, 0, currency)
    return ("+" if amount > 0 else "−") + money(lang, abs(amount), currency)


def known_currency(code: str) -> bool:
    """True for an ISO 4217 code Babel knows ("MXN", "USD", "CNY")."""
    from babel.numbers import list_currencies

    return code in list_currencies()


def cost_text(ctx: PlanContext, amount: float, state: PlanState) -> str:
    """An amount in the plan's currency, in the reply's language."""
    return money(ctx.lang, amount, state.currency)


def unpriced_line(ctx: PlanContext, costs: Costs) -> list[str]:
    """ "Not counted (no salary set): Copywriter." – empty when every role is priced."""
    if not costs.unpriced:
        return []
    roles = ", ".join(ctx.name(r) for r in sorted(costs.unpriced, key=ctx.order))
    return [ctx.t("plan.cost.unpriced", roles=roles)]


def change_lines(ctx: PlanContext, state: PlanState, after: Mapping[RoleId, int]) -> list[str]:
    """ "Monthly cost: MX$42,000 → MX$48,000 (+MX$6,000)." for the plan's roles becoming
    ``after``; nothing without salaries."""
    now, then = costs_of(state), costs_of(state, after)
    if now is None or then is None:
        return []
    return [
        ctx.t(
            "plan.cost.change",
            before=cost_text(ctx, now.total, state),
            after=cost_text(ctx, then.total, state),
            diff=signed_money(ctx.lang, then.total - now.total, state.currency),
        ),
        *unpriced_line(ctx, then),
    ]
