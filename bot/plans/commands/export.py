"""``plan export csv|md``: the plan as a file."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal, Self

from bot.models import Answer, Attachment, Section
from bot.plans.commands.base import PlanCommand, register
from bot.plans.costs import Costs, costs_of
from bot.plans.grammar import GrammarError
from knowledge import Lang, RoleId, Vocabulary, fold
from knowledge.vocab import PlanVerb

if TYPE_CHECKING:
    from bot.plans.runtime import PlanContext

Format = Literal["csv", "md"]


@register
@dataclass(frozen=True, slots=True)
class Export(PlanCommand):
    """``plan export csv`` or ``plan export md``."""

    verb: ClassVar[PlanVerb] = "export"
    format: Format

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """``csv`` or ``md``."""
        given = fold(args[0]) if args else ""
        if given == "csv":
            return cls(format="csv")
        if given == "md":
            return cls(format="md")
        raise GrammarError("plan.export.bad_format")

    def canonical(self) -> str:
        """``export csv``."""
        return f"export {self.format}"

    def run(self, ctx: PlanContext) -> Answer:
        """The file as an attachment, with the plan's context (and where its costs come from,
        when the workspace set salaries)."""
        from bot.plans.views import context_line, cost_notes

        ordered = sorted(ctx.state.roles.items(), key=lambda x: ctx.order(x[0]))
        costs = costs_of(ctx.state)
        if self.format == "csv":
            file = Attachment.of_text("shopcrew-plan.csv", _csv(ctx, ordered, costs), "text/csv")
        else:
            content = _markdown(ctx, ordered, costs)
            file = Attachment.of_text("shopcrew-plan.md", content, "text/markdown")
        return Answer(
            intent="plan",
            language=ctx.lang,
            title=ctx.t("plan.export.title", format=self.format.upper()),
            sections=[Section(lines=[context_line(ctx, ctx.state), *cost_notes(ctx, ctx.state)])],
            attachment=file,
        )


Rows = list[tuple[RoleId, int]]


def _plain(amount: float) -> str:
    """An amount for a spreadsheet: digits only, no grouping, cents only when there are some."""
    return str(int(amount)) if float(amount).is_integer() else f"{amount:.2f}"


def _csv(ctx: PlanContext, ordered: Rows, costs: Costs | None) -> str:
    """role,name,count – and monthly_cost,currency when salaries are set (empty cost for a
    role without a salary: not counted, never estimated)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    names = {r: ctx.knowledge.kb.role(r).name.get(ctx.lang) for r, _ in ordered}
    if costs is None:
        writer.writerow(["role", "name", "count"])
        writer.writerows([role, names[role], n] for role, n in ordered)
        return buf.getvalue()
    currency = ctx.state.currency or ""
    writer.writerow(["role", "name", "count", "monthly_cost", "currency"])
    for role, n in ordered:
        cost = _plain(costs.roles[role]) if role in costs.roles else ""
        writer.writerow([role, names[role], n, cost, currency if cost else ""])
    return buf.getvalue()


def _markdown(ctx: PlanContext, ordered: Rows, costs: Costs | None) -> str:
    """The plan's table in Markdown, with a monthly cost column when salaries are set."""
    from bot.plans.costs import cost_text

    names = {r: ctx.knowledge.kb.role(r).name.get(ctx.lang) for r, _ in ordered}
    state = ctx.state
    if costs is None:
        head = f"| {ctx.t('plan.col.role')} | {ctx.t('plan.col.count')} |\n|---|---:|\n"
        body = "".join(f"| {names[r]} | {n} |\n" for r, n in ordered)
        return head + body + f"| **{ctx.t('plan.total')}** | **{state.total}** |\n"
    cols = (ctx.t("plan.col.role"), ctx.t("plan.col.count"), ctx.t("plan.col.cost"))
    head = "| {} | {} | {} |\n|---|---:|---:|\n".format(*cols)
    body = "".join(
        f"| {names[r]} | {n} | "
        f"{cost_text(ctx, costs.roles[r], state) if r in costs.roles else '—'} |\n"
        for r, n in ordered
    )
    total = cost_text(ctx, costs.total, state)
    return head + body + f"| **{ctx.t('plan.total')}** | **{state.total}** | **{total}** |\n"
