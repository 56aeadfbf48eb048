"""``plan history`` and ``plan undo``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from bot.models import Answer, Section
from bot.plans.commands.base import Simple, register
from bot.plans.grammar import GrammarError
from bot.plans.state import HistoryRow, PlanState
from knowledge.vocab import PlanVerb

if TYPE_CHECKING:
    from bot.plans.runtime import PlanContext

#: Changes only an admin may make, and so only an admin may undo.
ADMIN_KINDS = frozenset({"lock", "unlock", "editors"})


@register
@dataclass(frozen=True, slots=True)
class History(Simple):
    """``plan history``: the latest changes, newest first."""

    verb: ClassVar[PlanVerb] = "history"

    def run(self, ctx: PlanContext) -> Answer:
        """When, who and what, one line per change."""
        from bot.plans.views import command_suggestion

        lines = [
            f"{r.at.replace('T', ' ').rstrip('Z')} · {r.user} · {r.command}"
            + (ctx.t("plan.history.undone") if r.undone else "")
            for r in ctx.store.history(ctx.workspace)
        ] or [ctx.t("plan.history.empty")]
        return Answer(
            intent="plan",
            language=ctx.lang,
            title=ctx.t("plan.history.title"),
            sections=[Section(lines=lines)],
            suggestions=[command_suggestion(ctx, "suggest.plan_undo", "undo")],
        )


@register
@dataclass(frozen=True, slots=True)
class Undo(Simple):
    """``plan undo``: revert the latest change not yet undone."""

    verb: ClassVar[PlanVerb] = "undo"
    changes: ClassVar[bool] = True

    def run(self, ctx: PlanContext) -> Answer:
        """The plan as it was before the latest change."""
        from bot.plans.views import plan_answer

        def allowed(entry: HistoryRow, plan: PlanState) -> None:
            ctx.state = plan  # as read inside the transaction: a lock committed since counts
            self.authorise(ctx)
            if entry.kind in ADMIN_KINDS and not ctx.origin.user_is_admin:
                raise GrammarError("plan.admin_only", action=ctx.t("plan.action.undo_admin"))

        entry = ctx.store.undo(ctx.workspace, ctx.origin.user, allowed, ctx.origin.delivery)
        if entry is None:
            state = ctx.store.read(ctx.workspace)
            return plan_answer(ctx, state, ctx.t("plan.title"), [ctx.t("plan.undo.nothing")])
        lines = [ctx.t("plan.undo.done", command=entry.command)]
        return plan_answer(ctx, entry.before, ctx.t("plan.updated"), lines, changed=True)
