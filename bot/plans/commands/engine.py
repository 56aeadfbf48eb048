"""``plan recommend`` and ``plan check``: the plan against the sizing engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from bot.answers.common import reason
from bot.models import Answer, Section
from bot.plans.commands.base import Change, Simple, register
from bot.plans.state import PlanState
from bot.sizing.engine import RoleSize
from knowledge.vocab import PlanVerb

if TYPE_CHECKING:
    from bot.plans.runtime import PlanContext


@register
@dataclass(frozen=True, slots=True)
class Recommend(Change, Simple):
    """``plan recommend``: fill the plan from the sizing engine for its context."""

    verb: ClassVar[PlanVerb] = "recommend"

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """Every role at the engine's recommended count."""
        result = ctx.size(state)
        state.roles = {r: s.recommended for r, s in result.roles.items() if s.recommended}
        return state

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """The context sized for, then each role that changed."""
        from bot.plans.views import context_line

        lines = [ctx.t("plan.changed.recommend", context=context_line(ctx, after))]
        for role in sorted(set(before.roles) | set(after.roles), key=ctx.order):
            b, a = before.roles.get(role, 0), after.roles.get(role, 0)
            if a != b:
                lines.append(f"• {ctx.name(role)}: {b} → {a}")
        return lines


def _check_line(ctx: PlanContext, role: str, have: int, size: RoleSize) -> str | None:
    """Missing, under- or over-staffed: one line; within range: None."""
    why = reason(ctx.lang, size.why)
    name = ctx.name(size.role)
    if have == 0 and size.recommended > 0:
        return "• " + ctx.t("plan.check.missing", role=name, rec=size.recommended, why=why)
    if have < size.min:
        return "• " + ctx.t(
            "plan.check.under", role=name, count=have, rec=size.recommended,
            min=size.min, max=size.max, why=why,
        )  # fmt: skip
    if have > size.max:
        return "• " + ctx.t(
            "plan.check.over", role=name, count=have, min=size.min, max=size.max, why=why
        )
    return None


@register
@dataclass(frozen=True, slots=True)
class Check(Simple):
    """``plan check``: where the plan is outside the engine's range, and why."""

    verb: ClassVar[PlanVerb] = "check"

    def run(self, ctx: PlanContext) -> Answer:
        """One line per role outside its range, then the roles within it."""
        from bot.plans.views import command_suggestion, context_line

        state = ctx.state
        result = ctx.size(state)
        lines: list[str] = []
        ok: list[str] = []
        for role, size in result.roles.items():
            have = state.roles.get(role, 0)
            line = _check_line(ctx, role, have, size)
            if line is not None:
                lines.append(line)
            elif have:
                ok.append(ctx.name(role))
        for role, have in state.roles.items():
            if role not in result.roles:
                lines.append("• " + ctx.t("plan.check.extra", role=ctx.name(role), count=have))
        if not lines:
            lines.append(ctx.t("plan.check.all_ok"))
        if ok:
            lines.append(ctx.t("plan.check.ok", roles=", ".join(ok)))
        if state.stores is None:
            lines.insert(0, ctx.t("plan.check.assumed_stores"))
        return Answer(
            intent="plan",
            language=ctx.lang,
            title=ctx.t("plan.check.title"),
            sections=[Section(lines=[context_line(ctx, state)]), Section(lines=lines)],
            suggestions=[command_suggestion(ctx, "suggest.plan_recommend", "recommend")],
        )
