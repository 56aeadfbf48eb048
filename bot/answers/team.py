"""Answers about whole teams: which roles (templates) and how many people (sizing engine)."""

from __future__ import annotations

from bot.answers.common import Understood, short_name, source_line, suggestion
from bot.models import Answer, Lang, Section, Table
from bot.sizing import SizingError, SizingResult, parse_input, size_team
from bot.strings import channel_name, t
from knowledge import TEMPLATE_IDS, KnowledgeBase


def team_roles(kb: KnowledgeBase, u: Understood) -> Answer:
    """The roles of a team template; the agency template lists each department's duties."""
    lang = u.lang
    template_id = u.team or "essentials"
    tpl = kb.template(template_id)
    lines = []
    for entry in tpl.roles:
        role = kb.role(entry.role)
        extra = []
        if entry.note:
            extra.append(entry.note.get(lang))
        if entry.optional:
            extra.append(t(lang, "roles.optional"))
        suffix = f" ({'; '.join(extra)})" if extra else ""
        name = short_name(role, lang) if entry.note else role.name.get(lang)
        lines.append(f"• {name}{suffix}")
    sections = [
        Section(lines=[tpl.summary.get(lang)]),
        Section(
            heading=t(lang, "roles.count", n=len(tpl.roles)),
            lines=lines,
            notes=[source_line(kb, tpl.source, lang)],
        ),
    ]
    if template_id == "agency":
        for entry in tpl.roles:
            role = kb.role(entry.role)
            article = [d for d in role.duties if d.source.startswith("agency")]
            heading = entry.note.get(lang) if entry.note else role.name.get(lang)
            sections.append(
                Section(
                    heading=heading,
                    lines=[f"• {d.get(lang)}" for d in article],
                    notes=[source_line(kb, article[0].source, lang)] if article else [],
                )
            )
    others = [x for x in TEMPLATE_IDS if x != template_id]
    sections.append(
        Section(
            lines=[
                t(
                    lang,
                    "roles.other_teams",
                    teams=", ".join(kb.template(x).name.get(lang) for x in others),
                )
            ]
        )
    )
    follow = {
        "essentials": ["suggest.mature", "suggest.content", "suggest.agency"],
        "starter": ["suggest.size_one", "suggest.mature", "suggest.roles"],
        "mature": ["suggest.mature_size", "suggest.agency", "suggest.content"],
        "content": ["suggest.with_live", "suggest.mature", "suggest.roles"],
        "agency": ["suggest.mature", "suggest.roles", "suggest.content"],
    }[template_id]
    return Answer(
        intent="team_roles",
        language=lang,
        title=tpl.name.get(lang),
        sections=sections,
        suggestions=[suggestion(lang, k) for k in follow],
        entities=u.entities(team=template_id),
    )


def size_sections(
    kb: KnowledgeBase, result: SizingResult, lang: Lang, focus: list[str]
) -> list[Section]:
    """The headcount table with a reason for every number, then service figures and caveats."""
    sections: list[Section] = []
    focused = [r for r in focus if r in result.roles]
    if focused:
        lines = []
        for rid in focused:
            r = result.roles[rid]
            lines.append(
                t(
                    lang,
                    "size.focus",
                    name=kb.role(rid).name.get(lang),
                    rec=r.recommended,
                    min=r.min,
                    max=r.max,
                )
            )
            lines.append(t(lang, r.why.key, **r.why.params))
        sections.append(Section(lines=lines))
    rows = []
    notes = []
    for rid, r in result.roles.items():
        name = short_name(kb.role(rid), lang)
        rows.append([name, str(r.recommended), f"{r.min}–{r.max}"])
        notes.append(f"{name}: {t(lang, r.why.key, **r.why.params)}")
    lo, hi, rec = result.total
    rows.append([t(lang, "size.total"), str(rec), f"{lo}–{hi}"])
    sections.append(
        Section(
            table=Table(
                headers=[
                    t(lang, "size.col.role"),
                    t(lang, "size.col.rec"),
                    t(lang, "size.col.range"),
                ],
                rows=rows,
            ),
            notes=notes,
        )
    )
    if result.service is not None:
        sv = result.service
        sections.append(
            Section(
                lines=[
                    t(
                        lang,
                        "size.service",
                        peak=sv.peak_contacts_per_hour,
                        agents=sv.peak_agents,
                        sl=round(sv.service_level * 100, 1),
                        t=round(result.input.answer_within_seconds),
                        occ=round(sv.occupancy * 100),
                        asa=sv.asa_seconds,
                    )
                ]
            )
        )
    if result.caveats:
        sections.append(
            Section(
                heading=t(lang, "size.caveats"),
                lines=[f"• {t(lang, c.key, **c.params)}" for c in result.caveats],
            )
        )
    sections.append(
        Section(
            heading=t(lang, "size.assumptions"),
            lines=[f"• {t(lang, a.key, **a.params)}" for a in result.assumptions],
        )
    )
    if result.sharper:
        fields = ", ".join(t(lang, f"field.{f}") for f in result.sharper)
        sections.append(Section(lines=[t(lang, "size.sharper", fields=fields)]))
    return sections


def size_title(result: SizingResult, lang: Lang) -> str:
    """ "Team for 2 stores (new) + live streaming"."""
    inp = result.input
    title = t(
        lang,
        "size.title",
        stores=inp.stores,
        stores_word=t(lang, "size.store" if inp.stores == 1 else "size.stores"),
        stage=t(lang, f"size.stage.{inp.stage}"),
    )
    if inp.channels:
        names = ", ".join(channel_name(lang, c) for c in inp.channels)
        title += t(lang, "size.with_channels", channels=names)
    return title


def team_size(kb: KnowledgeBase, u: Understood) -> Answer:
    """How many people, per role, with the reason for each number."""
    lang = u.lang
    stores = u.stores if u.stores is not None else 1
    work = {
        k: v
        for k, v in (
            ("inquiries_per_day", u.workload.inquiries_per_day),
            ("peak_inquiries_per_hour", u.workload.peak_inquiries_per_hour),
            ("orders_per_day", u.workload.orders_per_day),
        )
        if v is not None
    }
    try:
        inp = parse_input(stores=stores, stage=u.stage or "new", channels=list(u.channels), **work)
    except SizingError as exc:
        if exc.field != "stores":
            return Answer(
                intent="team_size",
                language=lang,
                title=t(lang, "size.bad_field.title"),
                sections=[
                    Section(
                        lines=[
                            t(
                                lang,
                                "size.bad_field.body",
                                field=t(lang, f"field.{exc.field}"),
                                allowed=exc.allowed,
                                given=f"{exc.given:g}"
                                if isinstance(exc.given, float)
                                else exc.given,
                            )
                        ]
                    )
                ],
                entities=u.entities(),
                refusal=True,
            )
        return Answer(
            intent="team_size",
            language=lang,
            title=t(lang, "size.bad_stores.title"),
            sections=[Section(lines=[t(lang, "size.bad_stores.body", n=stores)])],
            suggestions=[suggestion(lang, "suggest.size", stores=2)],
            entities=u.entities(),
            refusal=True,
        )
    result = size_team(inp)
    sections = size_sections(kb, result, lang, [h.role for h in u.roles])
    if u.stores is None:
        sections.insert(0, Section(lines=[t(lang, "size.no_stores")]))
    follow = []
    if not inp.channels:
        follow.append(suggestion(lang, "suggest.with_live"))
    if inp.stage == "new":
        follow.append(suggestion(lang, "suggest.mature_size"))
    follow.append(suggestion(lang, "suggest.size", stores=stores + 1))
    return Answer(
        intent="team_size",
        language=lang,
        title=size_title(result, lang),
        sections=sections,
        suggestions=follow,
        entities=u.entities(),
    )
