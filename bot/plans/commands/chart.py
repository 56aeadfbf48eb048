"""``plan chart``: the plan drawn as an org chart, a PNG picture sent with the answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from bot.models import ALT_TEXT_LIMIT, Answer, Attachment, Section
from bot.plans.commands.base import Simple, register
from bot.strings import join
from knowledge.vocab import PlanVerb

if TYPE_CHECKING:
    from bot.chart.tree import Chart, ChartDepartment
    from bot.plans.runtime import PlanContext

FILENAME = "shopcrew-chart.png"


@register
@dataclass(frozen=True, slots=True)
class ChartCommand(Simple):
    """``plan chart`` (``plan organigrama``)."""

    verb: ClassVar[PlanVerb] = "chart"

    def run(self, ctx: PlanContext) -> Answer:
        """The picture, with the plan's context and total as text; an empty plan says so."""
        from bot.plans.views import command_suggestion, context_line

        title = ctx.t("plan.chart.title")
        if not ctx.state.roles:
            # A blank picture would look like a failure: say what to do instead.
            return Answer(
                intent="plan",
                language=ctx.lang,
                title=title,
                sections=[Section(lines=[ctx.t("plan.chart.empty")])],
                suggestions=[command_suggestion(ctx, "suggest.plan_recommend", "recommend")],
                refusal=True,
            )
        chart = plan_chart(ctx)
        return Answer(
            intent="plan",
            language=ctx.lang,
            title=title,
            sections=[Section(lines=[context_line(ctx, ctx.state), chart.total])],
            attachment=picture(ctx, chart),
        )


def plan_chart(ctx: PlanContext) -> Chart:
    """What the picture of the workspace's plan shows, in the reply's language."""
    from bot.chart.tree import chart_of
    from bot.plans.views import context_line

    total = ctx.t("plan.chart.total", count=ctx.state.total)
    texts = (ctx.t("plan.title"), context_line(ctx, ctx.state), total)
    return chart_of(ctx.knowledge.kb, ctx.state.roles, ctx.lang, texts)


def picture(ctx: PlanContext, chart: Chart) -> Attachment:
    """The chart as a PNG attachment, with its alt text."""
    from bot.chart import render

    return Attachment(
        filename=FILENAME,
        content=render(chart),
        media_type="image/png",
        alt_text=alt_text(ctx, chart),
    )


def _in_words(ctx: PlanContext, group: ChartDepartment) -> str:
    """ "Customer service: Pre-sale supervisor 1 and Customer service 8"."""
    roles = [ctx.t("plan.chart.alt_role", role=r.label, count=r.count_text) for r in group.roles]
    return ctx.t("plan.chart.alt_department", department=group.name, roles=join(ctx.lang, roles))


def alt_text(ctx: PlanContext, chart: Chart) -> str:
    """Every box in words; per department totals when that is too long for the platforms."""
    groups = [g for g in (chart.head, *chart.departments) if g is not None]
    full = [_in_words(ctx, g) for g in groups]
    summary = [
        ctx.t("plan.chart.alt_summary", department=g.name, count=sum(r.count for r in g.roles))
        for g in groups
    ]
    for parts in (full, summary):
        text = ctx.t(
            "plan.chart.alt", context=chart.context, total=chart.total, departments="; ".join(parts)
        )
        if len(text) <= ALT_TEXT_LIMIT:
            return text
    return text[: ALT_TEXT_LIMIT - 1] + "…"
