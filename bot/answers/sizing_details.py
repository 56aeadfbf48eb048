"""The reasoning behind a sizing answer, on request: every number's reason, every assumption with
its source, the caveats. Asked for by "why?" right after a sizing answer, or its details button.
"""

from __future__ import annotations

from bot.answers.common import reason, suggestion
from bot.answers.sizing import (
    follow_ups,
    grouped,
    headcount_table,
    sharper,
    size_title,
)
from bot.context import Knowledge
from bot.models import Answer, Section
from bot.requests import SizeDetails
from bot.sizing.codec import digest
from bot.sizing.engine import Reason, SizingResult, size_team
from bot.strings import t
from knowledge import Lang

#: The figures behind each assumption the engine states: when the user gave them all, the
#: source is the user; when none, the default's own source (``<key>.source`` in the catalogues).
ASSUMPTION_FIELDS: dict[str, tuple[str, ...]] = {
    "assume.hours": (
        "open_hours_per_day", "shift_hours", "days_open_per_week", "work_days_per_week",
    ),
    "assume.shrinkage": ("shrinkage",),
    "assume.seat": (),
    "assume.erlang": (
        "aht_seconds", "concurrency", "service_level", "answer_within_seconds", "max_occupancy",
    ),
    "assume.live_hours": ("live_hours_per_day",),
    "assume.profile": (),
    "assume.inquiries_per_order": ("inquiries_per_order",),
    "assume.cases": ("return_rate", "case_minutes"),
    "assume.span": ("span_of_control",),
}  # fmt: skip


def _source(lang: Lang, key: str, given: set[str]) -> str:
    fields = ASSUMPTION_FIELDS.get(key, ())
    mine = [f for f in fields if f in given]
    if fields and len(mine) == len(fields):
        return t(lang, "size.source.yours")
    default = t(lang, f"{key}.source")
    return t(lang, "size.source.partly", source=default) if mine else default


def _assumption(lang: Lang, why: Reason, given: set[str]) -> str:
    """ "• Open 16 h a day … — opening hours from the article's …." (one sentence)."""
    return f"• {reason(lang, why).rstrip('.')} — {_source(lang, why.key, given)}."


def _service_line(result: SizingResult, lang: Lang) -> str | None:
    sv = result.service
    if sv is None:
        return None
    return t(
        lang, "size.service", peak=sv.peak_contacts_per_hour, agents=sv.peak_agents,
        sl=round(sv.service_level * 100, 1), t=round(result.input.answer_within_seconds),
        occ=round(sv.occupancy * 100), asa=sv.asa_seconds,
    )  # fmt: skip


def detail_sections(k: Knowledge, result: SizingResult, lang: Lang) -> list[Section]:
    """The table, each number's reason, the busiest hour, caveats, assumptions with sources."""
    reasons = {rid: reason(lang, r.why) for rid, r in result.roles.items()}
    sections = [
        Section(table=headcount_table(k.kb, result, lang)),
        Section(heading=t(lang, "size.details.reasons"), lines=grouped(k.kb, lang, reasons)),
    ]
    service = _service_line(result, lang)
    if service:
        sections.append(Section(lines=[service]))
    if result.caveats:
        caveats = [f"• {reason(lang, c)}" for c in result.caveats]
        sections.append(Section(heading=t(lang, "size.caveats"), lines=caveats))
    given = set(result.input.model_fields_set)
    assumptions = [_assumption(lang, a, given) for a in result.assumptions]
    if result.input.stage == "new" and "stage" not in given:
        assumptions.insert(0, f"• {t(lang, 'size.details.new_assumed')}")
    sections.append(Section(heading=t(lang, "size.assumptions"), lines=assumptions))
    more = sharper(result, lang)
    if more:
        sections.append(Section(lines=[more]))
    return sections


def _cannot(request: SizeDetails, key: str, stores: int | None) -> Answer:
    """Nothing to explain, or an answer that expired: say so, and what to ask instead."""
    lang = request.lang
    return Answer(
        intent="team_size",
        language=lang,
        title=t(lang, f"size.details.{key}.title"),
        sections=[Section(lines=[t(lang, f"size.details.{key}.body")])],
        suggestions=[suggestion(lang, "suggest.size", count=stores or 2)],
        entities=request.entities,
        refusal=True,
    )


def size_details(k: Knowledge, request: SizeDetails) -> Answer:
    """The full reasoning behind a sizing answer (see the module docstring)."""
    lang, inp = request.lang, request.input
    if inp is None:
        return _cannot(request, "expired" if request.expired else "nothing", None)
    result = size_team(inp, k.vocab)
    if request.digest is not None and request.digest != digest(result):
        # The engine or the vocabulary changed since the button was made: these would not be
        # the numbers the user saw.
        return _cannot(request, "expired", None if request.stores_assumed else inp.stores)
    sections = detail_sections(k, result, lang)
    if request.stores_assumed:
        sections.insert(0, Section(lines=[t(lang, "size.no_stores")]))
    return Answer(
        intent="team_size",
        language=lang,
        title=t(lang, "size.details.title", title=size_title(k, result, lang)),
        sections=sections,
        suggestions=follow_ups(result, lang),
        entities=request.entities,
    )
