"""Which roles a team needs: the article's team templates."""

from __future__ import annotations

from bot.answers.common import short_name, source_line, suggestion
from bot.context import Knowledge
from bot.models import Answer, Section, Suggestion
from bot.requests import TeamRoles
from bot.strings import t
from knowledge import TEMPLATE_IDS, KnowledgeBase, Lang, TemplateId

#: Follow-up questions offered after each template.
_FOLLOW = {
    "essentials": ("suggest.mature", "suggest.content", "suggest.agency"),
    "starter": ("suggest.size_one", "suggest.mature", "suggest.roles"),
    "mature": ("suggest.mature_size", "suggest.agency", "suggest.content"),
    "content": ("suggest.with_live", "suggest.mature", "suggest.roles"),
    "agency": ("suggest.mature", "suggest.roles", "suggest.content"),
}


def _role_lines(kb: KnowledgeBase, template: TemplateId, lang: Lang) -> list[str]:
    lines = []
    for entry in kb.template(template).roles:
        role = kb.role(entry.role)
        extra = [entry.note.get(lang)] if entry.note else []
        if entry.optional:
            extra.append(t(lang, "roles.optional"))
        suffix = f" ({'; '.join(extra)})" if extra else ""
        name = short_name(role, lang) if entry.note else role.name.get(lang)
        lines.append(f"• {name}{suffix}")
    return lines


def _department_sections(kb: KnowledgeBase, lang: Lang) -> list[Section]:
    """The agency template's departments, each with the article's duties."""
    sections = []
    for entry in kb.template("agency").roles:
        role = kb.role(entry.role)
        article = [d for d in role.duties if d.source.startswith("agency")]
        heading = entry.note.get(lang) if entry.note else role.name.get(lang)
        notes = [source_line(kb, article[0].source, lang)] if article else []
        sections.append(
            Section(heading=heading, lines=[f"• {d.get(lang)}" for d in article], notes=notes)
        )
    return sections


def _draw_our_plan(k: Knowledge, lang: Lang) -> Suggestion:
    """A button that runs `plan chart`: the picture of the workspace's own plan."""
    typed = f"plan {k.vocab.plan.shown('chart', lang)}"
    return Suggestion(label=t(lang, "suggest.draw_our_plan"), text=typed, command="chart")


def team_roles(k: Knowledge, request: TeamRoles, offer_chart: bool = False) -> Answer:
    """The roles of a team template; the agency template lists each department's duties.
    ``offer_chart``: a button first that draws the workspace's own plan as an org chart."""
    lang, kb, template = request.lang, k.kb, request.template
    tpl = kb.template(template)
    sections = [
        Section(lines=[tpl.summary.get(lang)]),
        Section(
            heading=t(lang, "roles.count", count=len(tpl.roles)),
            lines=_role_lines(kb, template, lang),
            notes=[source_line(kb, tpl.source, lang)],
        ),
    ]
    if template == "agency":
        sections.extend(_department_sections(kb, lang))
    others = ", ".join(kb.template(x).name.get(lang) for x in TEMPLATE_IDS if x != template)
    sections.append(Section(lines=[t(lang, "roles.other_teams", teams=others)]))
    return Answer(
        intent="team_roles",
        language=lang,
        title=tpl.name.get(lang),
        sections=sections,
        suggestions=[
            *([_draw_our_plan(k, lang)] if offer_chart else []),
            *(suggestion(lang, key) for key in _FOLLOW[template]),
        ],
        entities=request.entities.model_copy(update={"team": template}),
    )
