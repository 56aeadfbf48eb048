"""``plan export csv|md``: the plan as a file."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal, Self

from bot.models import Answer, Section
from bot.plans.commands.base import PlanCommand, register
from bot.plans.grammar import GrammarError
from knowledge import Lang, Vocabulary, fold
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
        """The file as an attachment, with the plan's context."""
        from bot.plans.views import context_line

        ordered = sorted(ctx.state.roles.items(), key=lambda x: ctx.order(x[0]))
        names = {r: ctx.knowledge.kb.role(r).name.get(ctx.lang) for r, _ in ordered}
        if self.format == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(["role", "name", "count"])
            writer.writerows([role, names[role], n] for role, n in ordered)
            content, filename = buf.getvalue(), "shopcrew-plan.csv"
        else:
            head = f"| {ctx.t('plan.col.role')} | {ctx.t('plan.col.count')} |\n|---|---:|\n"
            body = "".join(f"| {names[r]} | {n} |\n" for r, n in ordered)
            total = f"| **{ctx.t('plan.total')}** | **{ctx.state.total}** |\n"
            content, filename = head + body + total, "shopcrew-plan.md"
        return Answer(
            intent="plan",
            language=ctx.lang,
            title=ctx.t("plan.export.title", format=self.format.upper()),
            sections=[Section(lines=[context_line(ctx, ctx.state)])],
            attachment=(filename, content),
        )
