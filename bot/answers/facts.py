"""What the article does not answer directly about a role: what to hire for, how it is
measured, what to pay it, and (in ``lines``) whom it reports to.

Hiring skills and measures are mostly general practice, and every answer says so; pay is not
in the article and ShopCrew has no salary data, so that answer says it cannot say, never a figure.
"""

from __future__ import annotations

from typing import Literal

from bot.answers.common import short_name, source_line, suggestion
from bot.answers.lines import fact_suggestion, in_sentence, reports_to
from bot.context import Knowledge
from bot.models import Answer, Section, Suggestion
from bot.requests import RoleFact
from bot.strings import items, join, t
from knowledge import KnowledgeBase, Lang, RoleId
from knowledge.models import Sourced

#: The facets answered from a list of sourced items, and the follow-ups each offers.
ListFacet = Literal["hiring", "kpi"]
_FOLLOW: dict[ListFacet, tuple[str, ...]] = {
    "hiring": ("suggest.role", "facts.suggest.kpi", "facts.suggest.reports_to"),
    "kpi": ("suggest.role", "facts.suggest.hiring", "facts.suggest.reports_to"),
}


def role_fact(k: Knowledge, request: RoleFact) -> Answer:
    """Answer a role fact: reporting line, hiring, measures or pay."""
    roles = list(dict.fromkeys(request.roles))  # "copywriter and the copywriter": once
    match request.facet:
        case "reports_to":
            return reports_to(k, request, roles)
        case "pay":
            return _pay(k, request, roles)
        case "hiring" | "kpi" as facet:
            if not roles:
                return _which_role(k, request, facet)
            return _listed(k, request, facet, roles)


def _items(role_items: list[Sourced], lang: Lang, kb: KnowledgeBase, marker: str) -> list[Section]:
    """General-practice items first, marked as such; items the article gives, with its section."""
    general = [i for i in role_items if i.source == "general"]
    sections = []
    if general:
        sections.append(Section(lines=[f"• {i.get(lang)}" for i in general], notes=[marker]))
    cited = dict.fromkeys(i.source for i in role_items if i.source != "general")
    for source in cited:
        lines = [f"• {i.get(lang)}" for i in role_items if i.source == source]
        sections.append(Section(lines=lines, notes=[source_line(kb, source, lang)]))
    return sections


def _duty_tie(kb: KnowledgeBase, role_id: RoleId, lang: Lang) -> Section:
    """One line tying hiring to the role's duties in the article (or its note, if no duties)."""
    role = kb.role(role_id)
    duty = next((d for d in role.duties if d.source != "general"), None)
    if duty is not None:
        line, source = t(lang, "hiring.duty", duty=duty.get(lang)), duty.source
    else:
        note = next((n for n in role.notes if n.source != "general"), role.duties[0])
        name = in_sentence(short_name(role, lang))
        line, source = t(lang, "hiring.note", role=name, note=note.get(lang)), note.source
    return Section(lines=[line], notes=[source_line(kb, source, lang)])


def _listed(k: Knowledge, request: RoleFact, facet: ListFacet, roles: list[RoleId]) -> Answer:
    """What to hire each role for, or how each is measured: one block per role."""
    lang, kb = request.lang, k.kb
    marker = t(lang, f"{facet}.general")
    sections: list[Section] = []
    for role_id in roles:
        role = kb.role(role_id)
        chosen = role.hire_for if facet == "hiring" else role.measured_by
        block = _items(chosen, lang, kb, marker)
        if len(roles) > 1:
            block[0] = block[0].model_copy(update={"heading": role.name.get(lang)})
        sections.extend(block)
        if facet == "hiring":
            sections.append(_duty_tie(kb, role_id, lang))
    names = join(lang, [short_name(kb.role(r), lang) for r in roles])
    follow = [fact_suggestion(kb, key, roles[0], lang) for key in _FOLLOW[facet]]
    follow.extend(fact_suggestion(kb, "suggest.role", r, lang) for r in roles[1:2])
    return Answer(
        intent=facet,
        language=lang,
        title=t(lang, f"{facet}.title", roles=names),
        sections=sections,
        suggestions=follow[:4],
        entities=request.entities.model_copy(update={"roles": roles}),
    )


def _likely_roles(kb: KnowledgeBase) -> list[RoleId]:
    """The roles a store hires first: the starter team's (not its optional ones)."""
    return [r.role for r in kb.template("starter").roles if not r.optional]


def _which_role(k: Knowledge, request: RoleFact, facet: ListFacet) -> Answer:
    """No role named: ask which, offering the roles a store hires first."""
    lang, kb = request.lang, k.kb
    key = "facts.suggest.hiring" if facet == "hiring" else "facts.suggest.kpi"
    picks = [fact_suggestion(kb, key, r, lang) for r in _likely_roles(kb)]
    example = picks[0].text if picks else ""
    return Answer(
        intent=facet,
        language=lang,
        title=t(lang, f"facts.which.{facet}"),
        sections=[Section(lines=[t(lang, "facts.which.body", example=example)])],
        suggestions=[*picks[:3], suggestion(lang, "suggest.roles")],
        entities=request.entities.model_copy(update={"roles": []}),
        refusal=True,
    )


def _pay(k: Knowledge, request: RoleFact, roles: list[RoleId]) -> Answer:
    """No pay figures: say why, where to look instead, and what ShopCrew can tell."""
    lang, kb = request.lang, k.kb
    names = [short_name(kb.role(r), lang) for r in roles]
    if roles:
        title = t(lang, "pay.title", roles=join(lang, names))
        offer = t(lang, "pay.offer", role=join(lang, [in_sentence(n) for n in names]))
    else:
        title, offer = t(lang, "pay.title_generic"), t(lang, "pay.offer_generic")
    where = [f"• {line}" for line in items(lang, "pay.where.items")]
    suggestions: list[Suggestion] = [suggestion(lang, "suggest.size_one")]
    if roles:
        suggestions.insert(0, fact_suggestion(kb, "suggest.role", roles[0], lang))
        suggestions.append(fact_suggestion(kb, "facts.suggest.hiring", roles[0], lang))
    else:
        suggestions.insert(0, suggestion(lang, "suggest.roles"))
    return Answer(
        intent="pay",
        language=lang,
        title=title,
        sections=[
            Section(lines=[t(lang, "pay.body")]),
            Section(heading=t(lang, "pay.where"), lines=where),
            Section(lines=[offer]),
        ],
        suggestions=suggestions,
        entities=request.entities.model_copy(update={"roles": roles}),
    )
