"""Whom a role reports to: its boss first, then the line up to the top and who reports to it.

The article gives few reporting lines (its mature and agency teams, its warehouse split); the
rest is general practice. Every answer says which, and when a small team's line differs.
"""

from __future__ import annotations

from bot.answers.common import short_name, suggestion
from bot.context import Knowledge
from bot.models import Answer, Section, Suggestion
from bot.requests import RoleFact
from bot.strings import join, t
from knowledge import KnowledgeBase, Lang, RoleId

#: Marks, in the tree, a line taken from the article's team structures.
ARTICLE_MARK = "†"


def in_sentence(name: str) -> str:
    """A role name inside a sentence: lowercase, except acronyms ("HR")."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def fact_suggestion(kb: KnowledgeBase, key: str, role_id: RoleId, lang: Lang) -> Suggestion:
    """A follow-up question about one role ("Who does copywriter report to?")."""
    return suggestion(lang, key, role=in_sentence(short_name(kb.role(role_id), lang)))


def headline(kb: KnowledgeBase, role_id: RoleId, lang: Lang) -> str:
    """The one-line answer: "Operations assistant reports to Operations."."""
    role = kb.role(role_id)
    boss = role.reports_to.role
    if boss is None:
        return t(lang, "lines.title_top", role=short_name(role, lang))
    return t(lang, "lines.title", role=short_name(role, lang), boss=short_name(kb.role(boss), lang))


def _origin(kb: KnowledgeBase, role_id: RoleId, lang: Lang) -> str:
    """Where the line comes from: an article section, or general practice."""
    role = kb.role(role_id)
    source = role.reports_to.source
    if source == "general":
        return t(lang, "lines.general", role=in_sentence(short_name(role, lang)))
    return t(lang, "lines.article", section=kb.sources[source].get(lang))


def _details(kb: KnowledgeBase, role_id: RoleId, lang: Lang) -> list[str]:
    """The line up to the top, who reports to the role, and when the line differs."""
    role = kb.role(role_id)
    name = short_name(role, lang)
    lines = []
    chain = kb.chain(role_id)
    if chain:
        names = [name, *(short_name(kb.role(b), lang) for b in chain)]
        lines.append(t(lang, "lines.chain", chain=" → ".join(names)))
    reports = kb.reports(role_id)
    if reports:
        below = join(lang, [short_name(kb.role(r), lang) for r in reports])
        lines.append(t(lang, "lines.reports", role=name, roles=below))
    else:
        lines.append(t(lang, "lines.no_reports", role=in_sentence(name)))
    if role.reports_to.note is not None:
        lines.append(t(lang, "lines.differs", note=role.reports_to.note.get(lang)))
    return lines


def _suggestions(kb: KnowledgeBase, role_id: RoleId, lang: Lang) -> list[Suggestion]:
    boss = kb.role(role_id).reports_to.role
    out = [fact_suggestion(kb, "suggest.role", role_id, lang)]
    if boss is not None:
        out.insert(0, fact_suggestion(kb, "facts.suggest.reports_to", boss, lang))
    out.append(fact_suggestion(kb, "facts.suggest.hiring", role_id, lang))
    out.append(suggestion(lang, "facts.suggest.tree"))
    return out


def reports_to(k: Knowledge, request: RoleFact, roles: list[RoleId]) -> Answer:
    """The boss of each role asked about; with no role, the whole tree."""
    lang, kb = request.lang, k.kb
    if not roles:
        return _tree(k, request)
    many = len(roles) > 1
    sections = [
        Section(
            heading=kb.role(r).name.get(lang) if many else None,
            lines=[*_details(kb, r, lang), _origin(kb, r, lang)],
        )
        for r in roles
    ]
    suggestions = _suggestions(kb, roles[0], lang)
    return Answer(
        intent="reports_to",
        language=lang,
        title=" ".join(headline(kb, r, lang) for r in roles),
        sections=sections,
        suggestions=suggestions[:4],
        entities=request.entities.model_copy(update={"roles": roles}),
    )


def _tree_lines(kb: KnowledgeBase, boss: RoleId, lang: Lang, depth: int = 0) -> list[str]:
    """One line per role that has reports ("Boss → a, b†, c"), depth first from ``boss``."""
    reports = kb.reports(boss)
    if not reports:
        return []
    marked = [
        short_name(kb.role(r), lang)
        + ("" if kb.role(r).reports_to.source == "general" else ARTICLE_MARK)
        for r in reports
    ]
    # Some platforms drop leading spaces: the arrow still shows the nesting.
    indent = "  " * depth + "↳ " if depth else ""
    lines = [f"{indent}{short_name(kb.role(boss), lang)} → {', '.join(marked)}"]
    for r in reports:
        lines.extend(_tree_lines(kb, r, lang, depth + 1))
    return lines


def _tree(k: Knowledge, request: RoleFact) -> Answer:
    """Every reporting line, as one line per boss, marking those the article gives."""
    lang, kb = request.lang, k.kb
    cited = {r.reports_to.source for r in kb.roles.values()} - {"general"}
    sources = "; ".join(text.get(lang) for key, text in kb.sources.items() if key in cited)
    tree = Section(
        lines=[t(lang, "lines.tree.intro"), *_tree_lines(kb, kb.top.id, lang)],
        notes=[t(lang, "lines.tree.marker"), f"{t(lang, 'source.label')}: {sources}"],
    )
    return Answer(
        intent="reports_to",
        language=lang,
        title=t(lang, "lines.tree.title"),
        sections=[tree, Section(lines=[t(lang, "lines.tree.small")])],
        suggestions=[
            suggestion(lang, "suggest.mature"),
            suggestion(lang, "suggest.agency"),
            suggestion(lang, "suggest.roles"),
        ],
        entities=request.entities.model_copy(update={"roles": []}),
    )
