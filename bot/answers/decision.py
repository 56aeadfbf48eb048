"""Yes/no and either/or staffing decisions: the verdict first (yes / no / it depends), then why.

Every verdict rests on something a manager can check: the sizing engine's count and its reason
for the context the question gave (or the one it assumed, which the answer names), the article's
team templates, or the article's duties. What is general practice says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answers.common import reason, role_suggestion, short_name, source_line, suggestion
from bot.context import Knowledge
from bot.models import Answer, Section, Suggestion
from bot.requests import Decision, SizingContext
from bot.strings import join, t
from knowledge import KnowledgeBase, Lang, RoleId

if TYPE_CHECKING:
    from bot.sizing.engine import SizingResult

#: The order in which the article grows a team: the new store's roles, then the essentials, then
#: the mature team, then the content roles ("which first?" follows it).
_GROWTH = ("starter", "essentials", "mature", "content")


def _sized(context: SizingContext) -> SizingResult | None:
    # Imported here: the sizing engine is not needed to start or to answer role questions.
    from bot.sizing.engine import size_team
    from bot.sizing.inputs import SizingError, parse_input

    try:
        inp = parse_input(
            stores=context.stores or 1,
            stage=context.stage,
            channels=list(context.channels),
            **context.workload.given(),
        )
    except SizingError:
        return None
    return size_team(inp)


def _for_whom(context: SizingContext, lang: Lang) -> str:
    """ "for 2 mature stores" / "for one new store (assumed)"."""
    stores = context.stores or 1
    key = "decision.for.mature" if context.stage == "mature" else "decision.for.new"
    text = t(lang, key, count=stores)
    if context.from_plan:
        return t(lang, "decision.from_plan", context=text)
    return text if context.stores else t(lang, "decision.assumed", context=text)


def _name(kb: KnowledgeBase, role: RoleId, lang: Lang) -> str:
    return short_name(kb.role(role), lang)


def _growth_rank(kb: KnowledgeBase, role: RoleId) -> int:
    for rank, template in enumerate(_GROWTH):
        if any(e.role == role for e in kb.template(template).roles):
            return rank
    return len(_GROWTH)


def _need(k: Knowledge, request: Decision) -> tuple[str, list[str]]:
    """Whether a role is needed, from the sizing engine for the question's context."""
    lang, kb = request.lang, k.kb
    role = request.roles[0]
    name = _name(kb, role, lang)
    whom = _for_whom(request.context, lang)
    result = _sized(request.context)
    size = result.roles.get(role) if result else None
    if size is not None and size.recommended > 0:
        verdict = t(lang, "decision.need.yes", role=name, n=size.recommended, whom=whom)
        return verdict, [reason(lang, size.why)]
    if size is not None:
        return t(lang, "decision.need.later", role=name, whom=whom), [reason(lang, size.why)]
    rank = _growth_rank(kb, role)
    if rank == 3 and not request.context.channels:
        return t(lang, "decision.need.content", role=name), []
    if rank <= 1:
        # In the article's essentials but not sized for a new store: the owner often covers it.
        return t(lang, "decision.need.depends", role=name, whom=whom), [
            t(lang, "decision.need.essential_not_sized", role=name)
        ]
    return t(lang, "decision.need.not_yet", role=name, whom=whom), [
        t(lang, "decision.need.mature_only", role=name)
    ]


def _enough(k: Knowledge, request: Decision) -> tuple[str, list[str]]:
    """Whether a proposed headcount covers what the sizing engine recommends."""
    lang, kb = request.lang, k.kb
    result = _sized(request.context)
    proposed = request.proposed
    if result is None or proposed is None:
        return t(lang, "decision.enough.unknown"), []
    whom = _for_whom(request.context, lang)
    if request.roles and request.roles[0] in result.roles:
        size = result.roles[request.roles[0]]
        low, rec, what = size.min, size.recommended, _name(kb, request.roles[0], lang)
        why = [reason(lang, size.why)]
    else:
        low, _, rec = result.total
        what = t(lang, "decision.enough.team")
        why = [t(lang, "decision.enough.breakdown", roles=join(lang, _breakdown(kb, result, lang)))]
    params = {"n": proposed, "what": what, "whom": whom, "rec": rec, "low": low}
    if proposed >= rec:
        return t(lang, "decision.enough.yes", **params), why
    if proposed >= low:
        return t(lang, "decision.enough.tight", **params), why
    return t(lang, "decision.enough.no", **params), why


def _breakdown(kb: KnowledgeBase, result: SizingResult, lang: Lang) -> list[str]:
    return [
        f"{_name(kb, rid, lang)} {r.recommended}"
        for rid, r in result.roles.items()
        if r.recommended
    ]


def _combine(k: Knowledge, request: Decision) -> tuple[str, list[str]]:
    """Whether one person can cover two roles, or a role also does a task."""
    lang, kb = request.lang, k.kb
    first = request.roles[0]
    match = request.matches[0] if request.matches else None
    if len(request.roles) == 1 and match is not None and match.duty_index is not None:
        owner = match.role
        duty = kb.role(owner).duties[match.duty_index]
        task = duty.get(lang).rstrip(".")
        # Say where the task's owner comes from: the article, or general practice.
        where = "general" if duty.source == "general" else "article"
        if owner == first:
            key = f"decision.task.yes.{where}"
            return t(lang, key, role=_name(kb, first, lang), task=task), []
        verdict = t(
            lang, f"decision.task.other.{where}", role=_name(kb, first, lang),
            owner=_name(kb, owner, lang), task=task,
        )  # fmt: skip
        return verdict, [t(lang, "decision.combine.small_team")]
    pair = request.roles[:2]
    names = [_name(kb, r, lang) for r in pair]
    lines = [f"{_name(kb, r, lang)}: {kb.role(r).summary.get(lang)}" for r in pair]
    verdict = t(lang, "decision.combine.depends", roles=join(lang, names))
    return verdict, [*lines, t(lang, "decision.combine.small_team")]


def _first(k: Knowledge, request: Decision) -> tuple[str, list[str]]:
    """Which of two roles to hire first, following the order the article grows a team."""
    lang, kb = request.lang, k.kb
    ranked = sorted(request.roles[:2], key=lambda r: _growth_rank(kb, r))
    first, then = (_name(kb, r, lang) for r in ranked)
    if _growth_rank(kb, ranked[0]) == _growth_rank(kb, ranked[1]):
        return t(lang, "decision.first.same", a=first, b=then), []
    return t(lang, "decision.first.pick", first=first, then=then), [t(lang, "decision.first.why")]


def _outsource(k: Knowledge, request: Decision) -> tuple[str, list[str]]:
    """Outsourcing a role: the article does not weigh it; say what it does say."""
    lang, kb = request.lang, k.kb
    roles = [_name(kb, r, lang) for r in request.roles[:2]]
    what = join(lang, roles) if roles else t(lang, "decision.outsource.work")
    warehouse = any(r.startswith("warehouse") for r in request.roles)
    lines = [t(lang, "decision.outsource.warehouse")] if warehouse else []
    return t(lang, "decision.outsource.depends", what=what), [
        *lines,
        t(lang, "decision.outsource.general"),
    ]


def _verdict(k: Knowledge, request: Decision) -> tuple[str, list[str]]:
    kind = request.kind
    if kind == "enough":
        return _enough(k, request)
    if not request.roles:
        return t(request.lang, "decision.which_role"), []
    if kind == "combine" or (kind == "first" and len(request.roles) < 2):
        return _combine(k, request)
    if kind == "first":
        return _first(k, request)
    if kind == "outsource":
        return _outsource(k, request)
    return _need(k, request)


def _suggestions(k: Knowledge, request: Decision) -> list[Suggestion]:
    lang = request.lang
    picks = [role_suggestion(k.kb, r, lang) for r in request.roles[:2]]
    stores = request.context.stores or 1
    picks.append(suggestion(lang, "suggest.size", count=stores))
    return picks


def decision_answer(k: Knowledge, request: Decision) -> Answer:
    """The verdict in the title, the reasons below it, and what it rests on."""
    lang = request.lang
    verdict, why = _verdict(k, request)
    notes = [source_line(k.kb, "general", lang)] if request.kind in ("combine", "outsource") else []
    return Answer(
        intent="decision",
        language=lang,
        title=verdict,
        sections=[Section(lines=why, notes=notes)] if why or notes else [],
        suggestions=_suggestions(k, request),
        entities=request.entities,
    )
