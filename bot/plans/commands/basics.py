"""``plan show``, ``plan help`` and ``plan reset``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Self

from bot.models import Answer, Section
from bot.plans.commands.base import Change, Simple, register
from bot.plans.state import PlanState
from bot.strings import t
from knowledge import LANGS, Lang, Vocabulary, fold
from knowledge.vocab import PLAN_VERBS, STAGES, PlanVerb

if TYPE_CHECKING:
    from bot.plans.runtime import PlanContext


@register
@dataclass(frozen=True, slots=True)
class Show(Simple):
    """``plan show`` (also ``plan`` alone, and "show the plan")."""

    verb: ClassVar[PlanVerb] = "show"

    def run(self, ctx: PlanContext) -> Answer:
        """The plan."""
        from bot.plans.views import plan_answer

        return plan_answer(ctx, ctx.state, ctx.t("plan.title"), [])


def usage_lines(vocab: Vocabulary, lang: Lang) -> list[str]:
    """One line per plan command in ``lang``, then a word on the other language's commands."""
    words = vocab.plan.placeholders(lang)
    stages = {s: vocab.stage_command(s, lang) for s in STAGES}
    lines = [
        "• " + t(lang, f"plan.usage.{verb}", **words, **stages, verb=words[f"cmd_{verb}"])
        for verb in PLAN_VERBS
    ]
    other = next(o for o in LANGS if o != lang)
    shown = {f"other_{v}": vocab.plan.shown(v, other) for v in ("show", "add")}
    lines.append(t(lang, "plan.usage.other_language", **shown))
    return lines


def usage_answer(ctx: PlanContext, problem: str | None) -> Answer:
    """Every plan command; with ``problem``, a refusal that says what was wrong first."""
    sections = [Section(lines=usage_lines(ctx.knowledge.vocab, ctx.lang))]
    if problem:
        sections.insert(0, Section(lines=[problem]))
    return Answer(
        intent="plan",
        language=ctx.lang,
        title=ctx.t("plan.usage.title"),
        sections=sections,
        refusal=problem is not None,
    )


@register
@dataclass(frozen=True, slots=True)
class Help(Simple):
    """``plan help``."""

    verb: ClassVar[PlanVerb] = "help"

    def run(self, ctx: PlanContext) -> Answer:
        """Every plan command."""
        return usage_answer(ctx, None)


@register
@dataclass(frozen=True, slots=True)
class Reset(Change):
    """``plan reset`` asks for confirmation; ``plan reset confirm`` empties the plan."""

    verb: ClassVar[PlanVerb] = "reset"
    confirmed: bool = False

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """``confirm`` (or ``confirmar``) goes ahead."""
        return cls(confirmed=bool(args) and fold(args[0]) in vocab.plan.confirm.all())

    def canonical(self) -> str:
        """``reset`` or ``reset confirm``."""
        return "reset confirm" if self.confirmed else "reset"

    def run(self, ctx: PlanContext) -> Answer:
        """Ask first; empty the plan once confirmed."""
        if self.confirmed:
            return ctx.commit(self)
        from bot.plans.views import command_suggestion

        return Answer(
            intent="plan",
            language=ctx.lang,
            title=ctx.t("plan.title"),
            sections=[Section(lines=[ctx.t("plan.reset.confirm", count=ctx.state.total)])],
            suggestions=[command_suggestion(ctx, "suggest.plan_reset_confirm", "reset confirm")],
        )

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """No roles and no context; the lock, editors, language and the workspace's own cost
        figures (salaries, currency: settings, not part of a team) stay."""
        return PlanState(
            locked=state.locked,
            editors=state.editors,
            lang=state.lang,
            salaries=state.salaries,
            currency=state.currency,
        )

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """ "The plan is empty now…"."""
        return [ctx.t("plan.reset.done")]
