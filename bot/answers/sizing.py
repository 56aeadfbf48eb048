"""How many people per role, chat-sized: the table first, one short line per role, what was
assumed. The full reasoning is the details answer (``bot.answers.sizing_details``)."""

from __future__ import annotations

from bot.answers.common import reason, short_name, suggestion
from bot.context import Knowledge
from bot.models import Answer, Section, Suggestion, Table
from bot.requests import SizeRefused, SizeTeam
from bot.sizing.codec import encode
from bot.sizing.engine import Reason, SizingResult, shown, size_team
from bot.strings import CATALOGUES, join, number, t
from knowledge import KnowledgeBase, Lang, RoleId


def brief(lang: Lang, role: RoleId, why: Reason) -> str:
    """A reason in a few words, for the short answer ("one to two per store (the article).").

    Roles that share a long reason (the content roles) each have their own short one; a reason
    without a short form (a new rule's) is given in full rather than not at all.
    """
    key = "brief." + why.key.removeprefix("why.")
    for candidate in (f"{key}.{role}", key):
        if candidate in CATALOGUES[lang]:
            return t(lang, candidate, **why.params)
    return reason(lang, why)


def grouped(kb: KnowledgeBase, lang: Lang, said: dict[RoleId, str]) -> list[str]:
    """ "• Role: sentence" lines, roles that share a sentence on one line, so none repeats."""
    by_sentence: dict[str, list[str]] = {}
    for rid, sentence in said.items():
        by_sentence.setdefault(sentence, []).append(short_name(kb.role(rid), lang))
    return [f"• {join(lang, names)}: {sentence}" for sentence, names in by_sentence.items()]


#: Roles a new store's customer service covers until the team has its own after-sales.
_AFTER_SALES = frozenset({"after_sales", "aftersales_supervisor", "presale_supervisor"})


def _why_none(kb: KnowledgeBase, role: RoleId) -> str:
    """Why a role asked about has no count in a sizing: which team the article puts it in."""
    if role in _AFTER_SALES:
        return "after_sales"
    for template in ("content", "mature"):
        if any(e.role == role for e in kb.template(template).roles):
            return template
    return "other"


def _focus(kb: KnowledgeBase, result: SizingResult, lang: Lang, focus: list[RoleId]) -> list[str]:
    """The roles asked about first ("how many customer service…"), with their numbers."""
    lines = []
    for rid in focus:
        name = kb.role(rid).name.get(lang)
        r = result.roles.get(rid)
        if r is None:
            # Asked about but not in this team: say so and why, rather than a table without it.
            lines.append(t(lang, f"size.none.{_why_none(kb, rid)}", name=name))
            continue
        lines.append(t(lang, "size.focus", name=name, rec=r.recommended, min=r.min, max=r.max))
    return lines


def headcount_table(kb: KnowledgeBase, result: SizingResult, lang: Lang) -> Table:
    """The headcount per role, the total first: it answers "how many people?"."""
    lo, hi, rec = result.total
    rows = [[t(lang, "size.total"), number(lang, rec), f"{number(lang, lo)}–{number(lang, hi)}"]]
    for rid, r in result.roles.items():
        name = short_name(kb.role(rid), lang)
        if rid == "customer_service" and result.input.stage == "mature":
            # The article splits customer service into pre-sale and after-sale only in a
            # mature team; a new store's is the whole customer-service centre.
            name = t(lang, "size.role.presale")
        rows.append(
            [name, number(lang, r.recommended), f"{number(lang, r.min)}–{number(lang, r.max)}"]
        )
    headers = [t(lang, "size.col.role"), t(lang, "size.col.rec"), t(lang, "size.col.range")]
    return Table(headers=headers, rows=rows)


def _assumed(result: SizingResult, lang: Lang) -> str | None:
    """The (up to four) assumptions that most changed the numbers, as one line."""
    inp, given = result.input, result.input.model_fields_set
    items = []
    if inp.orders_per_day:
        # From orders, the chats and after-sales cases behind customer service are ratios
        # ShopCrew assumed (unless the user gave them): they decide its number the most.
        if not inp.gave_inquiries and "inquiries_per_order" not in given:
            items.append(t(lang, "size.assumed.per_order", per=shown(inp.inquiries_per_order)))
        if "return_rate" not in given:
            rate = shown(round(inp.return_rate * 100, 1))
            items.append(t(lang, "size.assumed.returns", rate=rate))
    if inp.stage == "new" and "stage" not in given:
        items.append(t(lang, "size.assumed.new"))
    if not inp.has_workload:
        open_hours, days = shown(inp.open_hours_per_day), inp.days_open_per_week
        items.append(t(lang, "size.assumed.coverage", open=open_hours, days=days))
    elif "aht_seconds" not in given:
        aht, conc = round(inp.aht_seconds), inp.concurrency
        # Chats at once the user gave are theirs, not an assumption: only the handle time is.
        key = "size.assumed.aht" if "concurrency" in given else "size.assumed.erlang"
        items.append(t(lang, key, aht=aht, conc=conc))
    if inp.channels and "live_hours_per_day" not in given:
        items.append(t(lang, "size.assumed.live", hours=shown(inp.live_hours_per_day)))
    if inp.stores > 1 and "pooled" not in given:
        items.append(t(lang, "size.assumed.pooled"))
    return t(lang, "size.assumed", items="; ".join(items[:4])) if items else None


def sharper(result: SizingResult, lang: Lang) -> str | None:
    """ "For a sharper answer, tell me: …", when figures the user could give are missing."""
    if not result.sharper:
        return None
    fields = join(lang, [t(lang, f"field.{f}") for f in result.sharper])
    return t(lang, "size.sharper", fields=fields)


def size_sections(
    k: Knowledge, result: SizingResult, lang: Lang, focus: list[RoleId]
) -> list[Section]:
    """The short answer: asked-for roles, the table, one short line per role, what was assumed."""
    kb = k.kb
    focused = _focus(kb, result, lang, focus)
    sections = [Section(lines=focused)] if focused else []
    sections.append(Section(table=headcount_table(kb, result, lang)))
    briefs = {rid: brief(lang, rid, r.why) for rid, r in result.roles.items()}
    sections.append(Section(lines=grouped(kb, lang, briefs)))
    closing = [line for line in (_assumed(result, lang), sharper(result, lang)) if line]
    if closing:
        sections.append(Section(lines=closing))
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


def follow_ups(result: SizingResult, lang: Lang) -> list[Suggestion]:
    """What to ask next: live streaming, a mature team, one store more."""
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


def _details(result: SizingResult, lang: Lang, stores_assumed: bool) -> Suggestion:
    """The details button: it carries the figures, so anyone's click explains this answer."""
    label = t(lang, "suggest.details")
    return Suggestion(label=label, text=label, explain=encode(result, stores_assumed))


def team_size(k: Knowledge, request: SizeTeam) -> Answer:
    """How many people, per role, in a few lines; the reasoning comes on request ("why?")."""
    lang = request.lang
    result = size_team(request.input, k.vocab)
    sections = size_sections(k, result, lang, request.focus)
    # What was understood and assumed leads, above the table: sections inserted at 0.
    if request.stores_assumed:
        sections.insert(0, Section(lines=[t(lang, "size.no_stores")]))
    if (understood := figures_understood(k, request)) is not None:
        sections.insert(0, understood)
    return Answer(
        intent="team_size",
        language=lang,
        title=size_title(k, result, lang),
        sections=sections,
        suggestions=[_details(result, lang, request.stores_assumed), *follow_ups(result, lang)],
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
