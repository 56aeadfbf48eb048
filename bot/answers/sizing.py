"""How many people per role: the sizing engine's result, with the reason for every number."""

from __future__ import annotations

from bot.answers.common import short_name, suggestion
from bot.context import Knowledge
from bot.models import Answer, Section, Suggestion, Table
from bot.requests import SizeRefused, SizeTeam
from bot.sizing.engine import Reason, SizingResult, size_team
from bot.strings import join, number, t
from knowledge import KnowledgeBase, Lang, RoleId


def reason(lang: Lang, why: Reason) -> str:
    """A sizing reason as a sentence."""
    return t(lang, why.key, **why.params)


def _focus(kb: KnowledgeBase, result: SizingResult, lang: Lang, focus: list[RoleId]) -> list[str]:
    """The roles asked about first ("how many customer service…"), each with its reason."""
    lines = []
    for rid in (r for r in focus if r in result.roles):
        r = result.roles[rid]
        name = kb.role(rid).name.get(lang)
        lines.append(t(lang, "size.focus", name=name, rec=r.recommended, min=r.min, max=r.max))
        lines.append(reason(lang, r.why))
    return lines


def _table(kb: KnowledgeBase, result: SizingResult, lang: Lang) -> Section:
    rows, notes = [], []
    for rid, r in result.roles.items():
        name = short_name(kb.role(rid), lang)
        rows.append(
            [name, number(lang, r.recommended), f"{number(lang, r.min)}–{number(lang, r.max)}"]
        )
        notes.append(f"{name}: {reason(lang, r.why)}")
    lo, hi, rec = result.total
    rows.append(
        [t(lang, "size.total"), number(lang, rec), f"{number(lang, lo)}–{number(lang, hi)}"]
    )
    headers = [t(lang, "size.col.role"), t(lang, "size.col.rec"), t(lang, "size.col.range")]
    return Section(table=Table(headers=headers, rows=rows), notes=notes)


def _service_line(result: SizingResult, lang: Lang) -> str | None:
    sv = result.service
    if sv is None:
        return None
    return t(
        lang, "size.service", peak=sv.peak_contacts_per_hour, agents=sv.peak_agents,
        sl=round(sv.service_level * 100, 1), t=round(result.input.answer_within_seconds),
        occ=round(sv.occupancy * 100), asa=sv.asa_seconds,
    )  # fmt: skip


def size_sections(
    kb: KnowledgeBase, result: SizingResult, lang: Lang, focus: list[RoleId]
) -> list[Section]:
    """The headcount table with a reason for every number, then service figures and caveats."""
    focused = _focus(kb, result, lang, focus)
    sections = [Section(lines=focused)] if focused else []
    sections.append(_table(kb, result, lang))
    service = _service_line(result, lang)
    if service:
        sections.append(Section(lines=[service]))
    if result.caveats:
        caveats = [f"• {reason(lang, c)}" for c in result.caveats]
        sections.append(Section(heading=t(lang, "size.caveats"), lines=caveats))
    assumptions = [f"• {reason(lang, a)}" for a in result.assumptions]
    sections.append(Section(heading=t(lang, "size.assumptions"), lines=assumptions))
    if result.sharper:
        fields = join(lang, [t(lang, f"field.{f}") for f in result.sharper])
        sections.append(Section(lines=[t(lang, "size.sharper", fields=fields)]))
    return sections


def size_title(k: Knowledge, result: SizingResult, lang: Lang) -> str:
    """ "Team for 2 stores (new) + live streaming"."""
    inp = result.input
    stage = k.vocab.stage_name(inp.stage, lang)
    title = t(lang, "size.title", count=inp.stores, stage=stage)
    if inp.channels:
        names = join(lang, [k.vocab.channel_name(c, lang) for c in inp.channels])
        title += t(lang, "size.with_channels", channels=names)
    return title


def _follow_ups(result: SizingResult, lang: Lang) -> list[Suggestion]:
    inp = result.input
    follow = [] if inp.channels else [suggestion(lang, "suggest.with_live")]
    if inp.stage == "new":
        follow.append(suggestion(lang, "suggest.mature_size"))
    follow.append(suggestion(lang, "suggest.size", count=inp.stores + 1))
    return follow


def figures_understood(k: Knowledge, request: SizeTeam) -> Section | None:
    """The figures the answer rests on, as understood: volumes as given and per day, store
    options with a total each, what a fraction of a store was read as (``bot.answers.figures``)."""
    from bot.answers.figures import understood_lines

    lines = understood_lines(k, request)
    return Section(lines=lines) if lines else None


def team_size(k: Knowledge, request: SizeTeam) -> Answer:
    """How many people, per role, with the reason for each number."""
    lang = request.lang
    result = size_team(request.input, k.vocab)
    sections = size_sections(k.kb, result, lang, request.focus)
    if request.stores_assumed:
        sections.insert(0, Section(lines=[t(lang, "size.no_stores")]))
    if (understood := figures_understood(k, request)) is not None:
        sections.insert(0, understood)
    return Answer(
        intent="team_size",
        language=lang,
        title=size_title(k, result, lang),
        sections=sections,
        suggestions=_follow_ups(result, lang),
        entities=request.entities,
    )


def size_refused(k: Knowledge, request: SizeRefused) -> Answer:
    """Figures out of range: which one, what is allowed, what was given."""
    lang, exc = request.lang, request.error
    if exc.field == "stores":
        title = t(lang, "size.bad_stores.title")
        body = t(lang, "size.bad_stores.body", n=exc.given)
        suggestions = [suggestion(lang, "suggest.size", count=2)]
    else:
        title = t(lang, "size.bad_field.title")
        field = t(lang, f"field.{exc.field}")
        allowed = exc.allowed
        if exc.bounds is not None:
            allowed = "–".join(number(lang, b) for b in exc.bounds)
        body = t(lang, "size.bad_field.body", field=field, allowed=allowed, given=exc.given)
        suggestions = []
    return Answer(
        intent="team_size",
        language=lang,
        title=title,
        sections=[Section(lines=[body])],
        suggestions=suggestions,
        entities=request.entities,
        refusal=True,
    )
