"""Answers about single roles: duties, who does a task, and comparisons."""

from __future__ import annotations

from bot.answers.common import role_suggestion, short_name, source_line, suggestion, team_names
from bot.context import Knowledge
from bot.models import Answer, Section, Suggestion
from bot.requests import CompareRoles, RoleLookup, WhoDoes
from bot.strings import join, t
from bot.understand import DutyMatch
from knowledge import KnowledgeBase, Lang, RoleId


def duties_sections(kb: KnowledgeBase, role_id: RoleId, lang: Lang) -> list[Section]:
    """A role's summary, duties (grouped by source) and the article's notes."""
    role = kb.role(role_id)
    sections = [Section(lines=[role.summary.get(lang)])]
    if not role.from_article:
        sections.append(Section(lines=[t(lang, "duties.not_in_article")]))
    by_source: dict[str, list[str]] = {}
    for duty in role.duties:
        by_source.setdefault(duty.source, []).append(duty.get(lang))
    for source, lines in by_source.items():
        sections.append(
            Section(
                heading=t(lang, "duties.heading"),
                lines=[f"• {line}" for line in lines],
                notes=[source_line(kb, source, lang)],
            )
        )
    if role.notes:
        sections.append(
            Section(
                heading=t(lang, "duties.notes"),
                lines=[f"• {n.get(lang)}" for n in role.notes],
                notes=sorted({source_line(kb, n.source, lang) for n in role.notes}),
            )
        )
    if role.templates:
        teams = team_names(kb, role.templates, lang)
        sections.append(Section(lines=[t(lang, "duties.templates", teams=teams)]))
    return sections


def unknown_role(k: Knowledge, request: RoleLookup) -> Answer:
    """A role question about a role we do not know: say so and offer the closest ones."""
    lang, kb, term = request.lang, k.kb, request.term
    guesses = k.matcher.suggest(term or request.hint)
    title = (
        t(lang, "role.unknown.title", term=term) if term else t(lang, "role.unknown.title_generic")
    )
    names = ", ".join(short_name(r, lang) for r in kb.roles.values())
    sections = [Section(lines=[t(lang, "role.unknown.body", roles=names)])]
    if guesses:
        lines = [f"• {short_name(kb.role(g), lang)}" for g in guesses]
        sections.insert(0, Section(heading=t(lang, "unknown.didyoumean"), lines=lines))
    return Answer(
        intent="role_duties",
        language=lang,
        title=title,
        sections=sections,
        suggestions=[role_suggestion(kb, g, lang) for g in guesses],
        entities=request.entities.model_copy(update={"roles": []}),
        refusal=True,
    )


def role_card(k: Knowledge, request: RoleLookup) -> Answer:
    """What a role does, with sources; other roles named are offered as follow-ups."""
    if not request.roles:
        return unknown_role(k, request)
    lang, kb = request.lang, k.kb
    role = kb.role(request.roles[0])
    suggestions = [role_suggestion(kb, r, lang) for r in request.roles[1:3]]
    if role.compare_with is not None:
        a, b = short_name(role, lang), short_name(kb.role(role.compare_with), lang)
        label = t(lang, "compare.title", a=a, b=b)
        suggestions.insert(0, Suggestion(label=label, text=label))
        suggestions.append(suggestion(lang, "suggest.size_one"))
    else:
        suggestions.append(suggestion(lang, "suggest.roles"))
    return Answer(
        intent="role_duties",
        language=lang,
        title=role.name.get(lang),
        sections=duties_sections(kb, role.id, lang),
        suggestions=suggestions[:4],
        entities=request.entities,
    )


def _who_nobody(request: WhoDoes) -> Answer:
    lang = request.lang
    return Answer(
        intent="who_does",
        language=lang,
        title=t(lang, "who.none.title"),
        sections=[Section(lines=[t(lang, "who.none.body")])],
        suggestions=[suggestion(lang, "suggest.who"), suggestion(lang, "suggest.roles")],
        entities=request.entities.model_copy(update={"roles": []}),
        refusal=True,
    )


def _ranked(request: WhoDoes) -> list[DutyMatch]:
    """Matching roles, best first; roles named in the question that also match come first."""
    matches = [m for m in request.matches if m.score >= 0.35]
    if not matches:
        # The task word was itself a role's alias ("who does the packaging?").
        matches = [DutyMatch(r, 1.0, None) for r in request.named]
    named = set(request.named)
    return sorted(matches, key=lambda m: (-(m.score + (0.05 if m.role in named else 0.0)), m.role))


def who_does(k: Knowledge, request: WhoDoes) -> Answer:
    """Which role does a task, from a search of the duties in both languages."""
    matches = _ranked(request)
    if not matches:
        return _who_nobody(request)
    lang, kb = request.lang, k.kb
    top = matches[0]
    close = [m for m in matches[1:] if m.score >= top.score * 0.9]
    role = kb.role(top.role)
    sections = [Section(lines=[role.summary.get(lang)])]
    if top.duty_index is not None:
        duty = role.duties[top.duty_index]
        because = t(lang, "who.because", duty=duty.get(lang))
        sections.append(Section(lines=[because], notes=[source_line(kb, duty.source, lang)]))
    # Only roles that match nearly as well: a shared everyday word is not a reason to name one.
    others = [m for m in matches[1:] if m.score >= max(0.5, 0.7 * top.score) and m not in close]
    if others:
        names = join(lang, [short_name(kb.role(m.role), lang) for m in others])
        sections.append(Section(lines=[t(lang, "who.also", roles=names)]))
    if close:
        lines = [f"• {kb.role(m.role).name.get(lang)}" for m in [top, *close]]
        sections.insert(0, Section(lines=lines))
    title = t(lang, "who.title_many") if close else t(lang, "who.title", name=role.name.get(lang))
    return Answer(
        intent="who_does",
        language=lang,
        title=title,
        sections=sections,
        suggestions=[role_suggestion(kb, m.role, lang) for m in matches[:3]],
        # The roles the answer names, and no others.
        entities=request.entities.model_copy(
            update={"roles": [m.role for m in [top, *close, *others]]}
        ),
    )


def _compare_summary(kb: KnowledgeBase, a: RoleId, b: RoleId, lang: Lang) -> list[str]:
    ra, rb = kb.role(a), kb.role(b)
    both = [x for x in ra.templates if x in rb.templates]
    lines = [t(lang, "compare.both", teams=team_names(kb, both, lang))] if both else []
    for role, other in ((ra, rb), (rb, ra)):
        only = [x for x in role.templates if x not in other.templates]
        if only:
            teams = team_names(kb, only, lang)
            lines.append(t(lang, "compare.only", name=short_name(role, lang), teams=teams))
    return lines


def compare_roles(k: Knowledge, request: CompareRoles) -> Answer:
    """Two roles side by side: summary, duties and the teams each belongs to."""
    lang, kb = request.lang, k.kb
    if len(request.roles) < 2:
        return Answer(
            intent="compare_roles",
            language=lang,
            title=t(lang, "compare.need_two"),
            sections=[Section(lines=[t(lang, "compare.need_two.body")])],
            suggestions=[suggestion(lang, "suggest.compare")],
            entities=request.entities,
            refusal=True,
        )
    a, b = kb.role(request.roles[0]), kb.role(request.roles[1])
    notes = [sorted({source_line(kb, d.source, lang) for d in r.duties}) for r in (a, b)]
    # A source both roles' duties share is said once, after both: never the same line twice.
    shared = [n for n in notes[0] if n in notes[1]]
    sections = [
        Section(
            heading=role.name.get(lang),
            lines=[role.summary.get(lang), *[f"• {d.get(lang)}" for d in role.duties]],
            notes=[n for n in own if n not in shared],
        )
        for role, own in zip((a, b), notes, strict=True)
    ]
    if shared:
        both = [t(lang, "compare.both_sources", sources="; ".join(shared))]
        sections[-1] = sections[-1].model_copy(update={"notes": [*sections[-1].notes, *both]})
    summary = _compare_summary(kb, a.id, b.id, lang)
    if summary:
        sections.append(Section(heading=t(lang, "compare.summary"), lines=summary))
    return Answer(
        intent="compare_roles",
        language=lang,
        title=t(lang, "compare.title", a=short_name(a, lang), b=short_name(b, lang)),
        sections=sections,
        suggestions=[role_suggestion(kb, a.id, lang), role_suggestion(kb, b.id, lang)],
        entities=request.entities,
    )
