"""Answers about single roles: duties, who does a task, and comparisons."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answers.common import (
    Understood,
    role_suggestion,
    short_name,
    source_line,
    suggestion,
)
from bot.entities import default_matcher
from bot.models import Answer, Lang, Section, Suggestion
from bot.search import DutyMatch
from bot.strings import t
from knowledge import KnowledgeBase


def _team_names(kb: KnowledgeBase, ids: Sequence[str], lang: Lang) -> str:
    return ", ".join(kb.template(i).name.get(lang) for i in ids)


def duties_sections(kb: KnowledgeBase, role_id: str, lang: Lang) -> list[Section]:
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
        sections.append(
            Section(
                lines=[t(lang, "duties.templates", teams=_team_names(kb, role.templates, lang))]
            )
        )
    return sections


_ROLE_TERM = re.compile(
    r"(?:what does|what do|what is|whats|who is|duties of|role of|job of|que hace|que hacen|que es|"
    r"quien es|funciones del|funciones de|funciones de la|tareas del|tareas de)"
    r"\s+(?:an?|the|el|la|los|las|un|una|our|my|mi|nuestro)?\s*([a-z0-9 ]{2,40}?)\s*"
    r"(?:do|does|hace|hacen)?$"
)


def unknown_role(kb: KnowledgeBase, u: Understood) -> Answer:
    """A role question about a role we do not know: say so and offer the closest ones."""
    lang = u.lang
    text = " ".join(u.norm.words)
    match = _ROLE_TERM.search(text)
    term = match.group(1).strip() if match else ""
    guesses = default_matcher().suggest(term or text)
    title = (
        t(lang, "role.unknown.title", term=term) if term else t(lang, "role.unknown.title_generic")
    )
    names = ", ".join(short_name(r, lang) for r in kb.roles.values())
    sections = [Section(lines=[t(lang, "role.unknown.body", roles=names)])]
    if guesses:
        sections.insert(
            0,
            Section(
                heading=t(lang, "unknown.didyoumean"),
                lines=[f"• {short_name(kb.role(g), lang)}" for g in guesses],
            ),
        )
    return Answer(
        intent="role_duties",
        language=lang,
        title=title,
        sections=sections,
        suggestions=[role_suggestion(kb, g, lang) for g in guesses],
        entities=u.entities(roles=[]),
        refusal=True,
    )


def role_duties(kb: KnowledgeBase, u: Understood) -> Answer:
    """What a role does, with sources."""
    if not u.roles:
        return unknown_role(kb, u)
    lang = u.lang
    role_id = u.roles[0].role
    role = kb.role(role_id)
    suggestions = [role_suggestion(kb, h.role, lang) for h in u.roles[1:3]]
    related = {
        "operations": "operations_assistant",
        "operations_assistant": "operations",
        "copywriter": "content_planner",
        "content_planner": "copywriter",
        "customer_service": "after_sales",
        "after_sales": "customer_service",
        "art": "photographer",
        "photographer": "art",
        "video_editor": "scriptwriter",
        "anchor": "content_planner",
    }.get(role_id)
    if related:
        a, b = short_name(role, lang), short_name(kb.role(related), lang)
        label = f"{a} vs {b}" if lang == "en" else f"{a} frente a {b}"
        suggestions.append(suggestion(lang, "suggest.size_one"))
        suggestions.insert(0, Suggestion(label=label, text=label))
    else:
        suggestions.append(suggestion(lang, "suggest.roles"))
    return Answer(
        intent="role_duties",
        language=lang,
        title=t(lang, "duties.title", name=role.name.get(lang)),
        sections=duties_sections(kb, role_id, lang),
        suggestions=suggestions[:4],
        entities=u.entities(),
    )


def who_does(kb: KnowledgeBase, u: Understood) -> Answer:
    """Which role does a task, from a search of the duties in both languages."""
    lang = u.lang
    matches = [m for m in u.duties if m.score >= 0.35]
    if not matches and u.roles:
        # The task word was itself a role's alias ("who does the packaging?").
        matches = [DutyMatch(h.role, 1.0, None) for h in u.roles]
    if not matches:
        return Answer(
            intent="who_does",
            language=lang,
            title=t(lang, "who.none.title"),
            sections=[Section(lines=[t(lang, "who.none.body")])],
            suggestions=[suggestion(lang, "suggest.who"), suggestion(lang, "suggest.roles")],
            entities=u.entities(roles=[]),
            refusal=True,
        )
    # Roles named in the question that also match come first ("who takes the photos?").
    named = {h.role for h in u.roles}
    matches.sort(key=lambda m: (-(m.score + (0.05 if m.role in named else 0.0)), m.role))
    top = matches[0]
    close = [m for m in matches[1:] if m.score >= top.score * 0.9]
    role = kb.role(top.role)
    sections = [Section(lines=[role.summary.get(lang)])]
    if top.duty_index is not None:
        duty = role.duties[top.duty_index]
        sections.append(
            Section(
                lines=[t(lang, "who.because", duty=duty.get(lang))],
                notes=[source_line(kb, duty.source, lang)],
            )
        )
    others = [m for m in matches[1:] if m.score >= 0.5 and m not in close]
    if others:
        names = ", ".join(short_name(kb.role(m.role), lang) for m in others)
        sections.append(Section(lines=[t(lang, "who.also", roles=names)]))
    title = (
        t(lang, "who.title", name=role.name.get(lang)) if not close else t(lang, "who.title_many")
    )
    if close:
        sections.insert(
            0, Section(lines=[f"• {kb.role(m.role).name.get(lang)}" for m in [top, *close]])
        )
    return Answer(
        intent="who_does",
        language=lang,
        title=title,
        sections=sections,
        suggestions=[role_suggestion(kb, m.role, lang) for m in matches[:3]],
        entities=u.entities(roles=[m.role for m in matches]),
    )


def compare_roles(kb: KnowledgeBase, u: Understood) -> Answer:
    """Two roles side by side: summary, duties and the teams each belongs to."""
    lang = u.lang
    if len(u.roles) < 2:
        return Answer(
            intent="compare_roles",
            language=lang,
            title=t(lang, "compare.need_two"),
            sections=[Section(lines=[t(lang, "compare.need_two.body")])],
            suggestions=[suggestion(lang, "suggest.compare")],
            entities=u.entities(),
            refusal=True,
        )
    a, b = kb.role(u.roles[0].role), kb.role(u.roles[1].role)
    sections: list[Section] = []
    for role in (a, b):
        duties = [f"• {d.get(lang)}" for d in role.duties]
        sources = sorted({source_line(kb, d.source, lang) for d in role.duties})
        sections.append(
            Section(
                heading=role.name.get(lang),
                lines=[role.summary.get(lang), *duties],
                notes=sources,
            )
        )
    both = [x for x in a.templates if x in b.templates]
    lines = []
    if both:
        lines.append(t(lang, "compare.both", teams=_team_names(kb, both, lang)))
    for role, other in ((a, b), (b, a)):
        only = [x for x in role.templates if x not in other.templates]
        if only:
            lines.append(
                t(
                    lang,
                    "compare.only",
                    name=short_name(role, lang),
                    teams=_team_names(kb, only, lang),
                )
            )
    if lines:
        sections.append(Section(heading=t(lang, "compare.summary"), lines=lines))
    return Answer(
        intent="compare_roles",
        language=lang,
        title=t(lang, "compare.title", a=short_name(a, lang), b=short_name(b, lang)),
        sections=sections,
        suggestions=[role_suggestion(kb, a.id, lang), role_suggestion(kb, b.id, lang)],
        entities=u.entities(),
    )
