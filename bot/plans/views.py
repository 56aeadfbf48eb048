"""How a plan is shown: its context line, its table, and the answers around them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.models import Answer, Section, Suggestion, Table
from bot.plans.costs import cost_text, costs_of, unpriced_line
from bot.plans.state import PlanState
from bot.strings import join, number

if TYPE_CHECKING:
    from bot.plans.runtime import PlanContext


def command_suggestion(ctx: PlanContext, label_key: str, canonical: str) -> Suggestion:
    """A button that runs a plan command directly (its text is the command in ctx's words)."""
    verb, _, rest = canonical.partition(" ")
    typed = " ".join(["plan", ctx.words.get(f"cmd_{verb}", verb), *([rest] if rest else [])])
    return Suggestion(label=ctx.t(label_key), text=typed, command=canonical)


def field_text(ctx: PlanContext, state: PlanState, field: str) -> str:
    """The plan's stores, stage or channels as words."""
    vocab = ctx.knowledge.vocab
    if field == "stores":
        return number(ctx.lang, state.stores) if state.stores is not None else ctx.t("plan.not_set")
    if field == "stage":
        return vocab.stage_name(state.stage, ctx.lang) if state.stage else ctx.t("plan.not_set")
    if not state.channels:
        return ctx.t("plan.none")
    return ", ".join(vocab.channel_name(c, ctx.lang) for c in state.channels)


def context_line(ctx: PlanContext, state: PlanState) -> str:
    """ "Stores: 2 · Stage: new · Channels: none"."""
    return ctx.t(
        "plan.context",
        stores=field_text(ctx, state, "stores"),
        stage=field_text(ctx, state, "stage"),
        channels=field_text(ctx, state, "channels"),
    )


def ratios_line(ctx: PlanContext, state: PlanState) -> list[str]:
    """ "Sizing ratios: 5% of orders returned or complained about", when the plan sets any."""
    from bot.plans.commands.ratios import ratio_words

    if not state.ratios:
        return []
    said = [ratio_words(ctx.lang, f, v) for f, v in sorted(state.ratios.items())]
    return [ctx.t("plan.ratios", ratios=join(ctx.lang, said))]


def plan_table(ctx: PlanContext, state: PlanState) -> Table:
    """The plan as a role/count table with a total row (and a monthly cost column when the
    workspace set salaries: only its own figures, "—" for a role without one)."""
    ordered = sorted(state.roles.items(), key=lambda x: ctx.order(x[0]))
    rows = [[ctx.name(r), number(ctx.lang, n)] for r, n in ordered]
    rows.append([ctx.t("plan.total"), number(ctx.lang, state.total)])
    headers = [ctx.t("plan.col.role"), ctx.t("plan.col.count")]
    costs = costs_of(state)
    if costs is not None:
        headers.append(ctx.t("plan.col.cost"))
        for row, (role, _) in zip(rows, ordered, strict=False):
            priced = role in costs.roles
            row.append(cost_text(ctx, costs.roles[role], state) if priced else "—")
        rows[-1].append(cost_text(ctx, costs.total, state))
    return Table(headers=headers, rows=rows)


def cost_notes(ctx: PlanContext, state: PlanState) -> list[str]:
    """Where the cost column comes from, what it leaves out, and how to name the currency."""
    costs = costs_of(state)
    if costs is None or not state.roles:
        return []
    lines = [ctx.t("plan.cost.from_figures"), *unpriced_line(ctx, costs)]
    if state.currency is None:
        lines.append(ctx.t("plan.cost.no_currency"))
    return lines


def plan_answer(
    ctx: PlanContext, state: PlanState, title: str, lines: list[str], changed: bool = False
) -> Answer:
    """The plan (context, lock, table or "empty"), after ``lines`` saying what happened."""
    sections = [Section(lines=lines)] if lines else []
    context = [context_line(ctx, state), *ratios_line(ctx, state)]
    if state.locked:
        context.append(ctx.t("plan.is_locked"))
    if state.roles:
        table = plan_table(ctx, state)
        sections.append(Section(lines=[*context, *cost_notes(ctx, state)], table=table))
    else:
        sections.append(Section(lines=[*context, ctx.t("plan.empty")]))
    return Answer(
        intent="plan",
        language=ctx.lang,
        title=title,
        sections=sections,
        suggestions=[
            command_suggestion(ctx, "suggest.plan_show", "show"),
            command_suggestion(ctx, "suggest.plan_recommend", "recommend"),
            command_suggestion(ctx, "suggest.plan_check", "check"),
            # The picture only for a plan with people in it (an empty one has nothing to draw).
            *([command_suggestion(ctx, "suggest.plan_chart", "chart")] if state.roles else []),
        ],
        changed_plan=changed,
    )


def refusal_answer(ctx: PlanContext, text: str, offer_help: bool) -> Answer:
    """ "Plan not changed", why, and (for unknown roles) a button to the command list."""
    return Answer(
        intent="plan",
        language=ctx.lang,
        title=ctx.t("plan.refused"),
        sections=[Section(lines=[text])],
        suggestions=[command_suggestion(ctx, "suggest.plan_help", "help")] if offer_help else [],
        refusal=True,
    )
