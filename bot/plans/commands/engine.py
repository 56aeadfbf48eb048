"""``plan recommend`` and ``plan check``: the plan against the sizing engine.

The manager's numbers are theirs: ``recommend`` only adds the roles the engine sizes and the plan
lacks, and raises the ones below the engine's range; it keeps numbers within or above the range and
the roles the engine does not size, and says why for each. ``recommend replace`` overwrites the
plan with the engine's numbers, after the manager confirms (as ``reset`` does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Self

from bot.answers.common import reason
from bot.models import Answer, Section
from bot.plans.commands.base import Change, Simple, register
from bot.plans.costs import change_lines
from bot.plans.overview import status_of
from bot.plans.state import PlanState
from bot.sizing.engine import RoleSize, SizingResult
from knowledge import Lang, RoleId, Vocabulary, fold
from knowledge.vocab import PlanVerb

if TYPE_CHECKING:
    from bot.plans.runtime import PlanContext


def filled(roles: dict[RoleId, int], result: SizingResult) -> dict[RoleId, int]:
    """``roles`` with every sized role raised to the engine's recommendation when it is missing or
    below the range; every other number (within or above the range, or not sized) kept."""
    out = dict(roles)
    for role, size in result.roles.items():
        have = roles.get(role, 0)
        if size.recommended and (have == 0 or have < size.min):
            out[role] = max(have, size.recommended, size.min)
    return out


def replaced(result: SizingResult) -> dict[RoleId, int]:
    """The engine's recommendation alone (what ``recommend replace`` writes)."""
    return {r: s.recommended for r, s in result.roles.items() if s.recommended}


def optional_reason(ctx: PlanContext, role: RoleId, state: PlanState) -> str:
    """Why a role the engine gives no number for here is optional now, from the article's lists."""
    kb = ctx.knowledge.kb
    lists = {t for t, tpl in kb.templates.items() if any(r.role == role for r in tpl.roles)}
    mature = state.stage == "mature"
    if "essentials" in lists:
        key = "essentials_mature" if mature and "mature" not in lists else "essentials"
    elif "content" in lists and not state.channels:
        key = "content"
    elif "mature" in lists and not mature:
        key = "mature"
    elif "agency" in lists:
        key = "agency"
    else:
        key = "unlisted"
    return ctx.t(f"plan.optional.{key}")


def _optional_why(ctx: PlanContext, role: RoleId, state: PlanState, size: RoleSize | None) -> str:
    """The engine's own reason when it sizes the role at 0 here; else the article's lists."""
    if size is not None:
        return reason(ctx.lang, size.why)
    return optional_reason(ctx, role, state)


def _ranged(ctx: PlanContext, role: RoleId, size: RoleSize, have: int) -> str:
    """ "Operations 2 (range 1–2)"."""
    return ctx.t("plan.in_range", role=ctx.name(role), count=have, min=size.min, max=size.max)


@register
@dataclass(frozen=True, slots=True)
class Recommend(Change):
    """``plan recommend`` fills the plan; ``plan recommend replace`` asks, then overwrites it."""

    verb: ClassVar[PlanVerb] = "recommend"
    replace: bool = False
    confirmed: bool = False

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """``replace`` (``reemplazar``), then ``confirm`` (``confirmar``); other words ignored."""
        words = [fold(a) for a in args]
        replace = any(w in vocab.plan.replace.all() for w in words)
        confirmed = replace and any(w in vocab.plan.confirm.all() for w in words)
        return cls(replace=replace, confirmed=confirmed)

    def canonical(self) -> str:
        """``recommend``, ``recommend replace`` or ``recommend replace confirm``."""
        return " ".join(["recommend", *(["replace"] if self.replace else []),
                         *(["confirm"] if self.confirmed else [])])  # fmt: skip

    def run(self, ctx: PlanContext) -> Answer:
        """Fill at once; overwrite only once confirmed (first say what would be lost)."""
        if not self.replace or self.confirmed:
            return ctx.commit(self)
        return self._ask(ctx)

    def _ask(self, ctx: PlanContext) -> Answer:
        from bot.plans.views import command_suggestion, context_line

        state = ctx.state
        result = ctx.size(state)
        after = replaced(result)
        changes = _changes(ctx, state.roles, after, result)
        if not changes:
            lines = [ctx.t("plan.replace.same")]
            suggestions = []
        else:
            lines = [ctx.t("plan.replace.confirm", context=context_line(ctx, state)), *changes,
                     *change_lines(ctx, state, after)]  # fmt: skip
            suggestions = [command_suggestion(ctx, "suggest.plan_replace_confirm",
                                              "recommend replace confirm")]  # fmt: skip
        return Answer(
            intent="plan",
            language=ctx.lang,
            title=ctx.t("plan.title"),
            sections=[Section(lines=lines)],
            suggestions=suggestions,
        )

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """The engine's numbers filled in (or, replacing, written over the plan's)."""
        result = ctx.size(state)
        state.roles = replaced(result) if self.replace else filled(state.roles, result)
        return state

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """The context sized for, each role that changed and why, then what was kept and why."""
        from bot.plans.views import context_line

        key = "plan.changed.recommend_replace" if self.replace else "plan.changed.recommend"
        lines = [ctx.t(key, context=context_line(ctx, after))]
        lines += _changes(ctx, before.roles, after.roles, ctx.size(before))
        if not self.replace:
            lines += kept_lines(ctx, before)
        return [*lines, *change_lines(ctx, before, after.roles)]

    def unchanged(self, state: PlanState, ctx: PlanContext) -> list[str]:
        """Nothing to fill: say so, and what was kept and why."""
        return [ctx.t("plan.recommend.nothing"), *kept_lines(ctx, state)]


def _grouped(entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(text, reason) pairs with the same reason joined, so each reason is said once
    ("Content planner, Video editor, Photographer" share the content-channel reason)."""
    groups: dict[str, list[str]] = {}
    for text, why in entries:
        groups.setdefault(why, []).append(text)
    return [(", ".join(texts), why) for why, texts in groups.items()]


def _changes(
    ctx: PlanContext, before: dict[RoleId, int], after: dict[RoleId, int], result: SizingResult
) -> list[str]:
    """ "• Customer service: 0 → 4 – {why}" for the roles whose number changes."""
    entries = []
    for role in sorted(set(before) | set(after), key=ctx.order):
        b, a = before.get(role, 0), after.get(role, 0)
        if a != b:
            size = result.roles.get(role)
            why = reason(ctx.lang, size.why) if size else ctx.t("plan.replace.not_sized")
            entries.append((f"{ctx.name(role)}: {b} → {a}", why))
    return [f"• {text} – {why}" for text, why in _grouped(entries)]


def kept_lines(ctx: PlanContext, state: PlanState) -> list[str]:
    """What ``recommend`` keeps as the manager set it, each with why."""
    result = ctx.size(state)
    lines = []
    for role in sorted(state.roles, key=ctx.order):
        have, size = state.roles[role], result.roles.get(role)
        status = status_of(have, size)
        if status == "optional":
            why = _optional_why(ctx, role, state, size)
            lines.append("• " + ctx.t("plan.kept.optional", role=ctx.name(role), count=have,
                                      why=why))  # fmt: skip
        elif status == "over" and size is not None:
            lines.append("• " + ctx.t("plan.kept.above", role=ctx.name(role), count=have,
                                      min=size.min, max=size.max,
                                      why=reason(ctx.lang, size.why)))  # fmt: skip
        elif status == "within" and size is not None:
            lines.append("• " + _ranged(ctx, role, size, have))
    return [ctx.t("plan.kept.title"), *lines] if lines else []


def _check_line(ctx: PlanContext, have: int, size: RoleSize) -> str | None:
    """Under or above the range: one line with its reason; otherwise None."""
    why = reason(ctx.lang, size.why)
    name = ctx.name(size.role)
    status = status_of(have, size)
    if status == "under":
        return "• " + ctx.t(
            "plan.check.under", role=name, count=have, rec=size.recommended,
            min=size.min, max=size.max, why=why,
        )  # fmt: skip
    if status == "over":
        return "• " + ctx.t(
            "plan.check.over", role=name, count=have, min=size.min, max=size.max, why=why
        )
    return None


def _missing_lines(ctx: PlanContext, state: PlanState, result: SizingResult) -> list[str]:
    """ "• Missing: Anchor (recommended 1). {why}", roles with the same reason on one line."""
    entries = [
        (ctx.t("plan.check.missing_item", role=ctx.name(r), rec=s.recommended),
         reason(ctx.lang, s.why))
        for r, s in result.roles.items()
        if status_of(state.roles.get(r, 0), s) == "missing"
    ]  # fmt: skip
    planner = ctx.name("content_planner")
    lines = []
    for roles, why in _grouped(entries):
        line = "• " + ctx.t("plan.check.missing", roles=roles, why=why)
        if state.roles.get("copywriter") and planner in roles:
            # The article's content team starts with "copywriting planning": the plan's
            # copywriter may be the one doing it, so the two lines must not read as a conflict.
            line += " " + ctx.t("plan.check.copywriter_may_cover")
        lines.append(line)
    return lines


def check_lines(ctx: PlanContext, state: PlanState, result: SizingResult) -> list[str]:
    """Every finding, each with its reason, then the roles within range."""
    lines = _missing_lines(ctx, state, result)
    ok: list[str] = []
    for role, size in result.roles.items():
        have = state.roles.get(role, 0)
        line = _check_line(ctx, have, size)
        if line is not None:
            lines.append(line)
        elif status_of(have, size) == "within":
            ok.append(_ranged(ctx, role, size, have))
    for role, have in sorted(state.roles.items(), key=lambda x: ctx.order(x[0])):
        sized = result.roles.get(role)
        if status_of(have, sized) == "optional":
            why = _optional_why(ctx, role, state, sized)
            lines.append("• " + ctx.t("plan.check.optional", role=ctx.name(role), count=have,
                                      why=why))  # fmt: skip
    if not lines:
        lines.append(ctx.t("plan.check.all_ok"))
    if ok:
        lines.append(ctx.t("plan.check.ok", roles=", ".join(ok)))
    return lines


@register
@dataclass(frozen=True, slots=True)
class Check(Simple):
    """``plan check``: every role against the engine's range, each finding with its reason."""

    verb: ClassVar[PlanVerb] = "check"

    def run(self, ctx: PlanContext) -> Answer:
        """The findings, the roles within range, and the cost of filling the plan."""
        from bot.plans.views import command_suggestion, context_line

        state = ctx.state
        result = ctx.size(state)
        lines = check_lines(ctx, state, result)
        if state.stores is None:
            lines.insert(0, ctx.t("plan.check.assumed_stores"))
        costs = change_lines(ctx, state, filled(state.roles, result))
        if costs:
            costs[0] = ctx.t("plan.check.cost_if_filled", change=costs[0])
        return Answer(
            intent="plan",
            language=ctx.lang,
            title=ctx.t("plan.check.title"),
            sections=[Section(lines=[context_line(ctx, state)]), Section(lines=[*lines, *costs])],
            suggestions=[command_suggestion(ctx, "suggest.plan_recommend", "recommend")],
        )
