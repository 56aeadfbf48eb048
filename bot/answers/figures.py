"""The figures a sizing answer rests on, stated before the table: a manager acts on the answer, so
it says what it understood ("For 10,000 orders a month (about 333 a day)"), what it did with a
store count that was not one whole number, and which volume it could not use and why.
"""

from __future__ import annotations

from bot.context import Knowledge
from bot.requests import SizeTeam
from bot.sizing.engine import size_team
from bot.strings import join, number, t
from bot.understand import Figure, Ratio, StoreCount
from knowledge import Lang


def _shown(value: float) -> float | int:
    """A figure as shown: whole numbers without decimals, large ones rounded."""
    if value >= 10 or value.is_integer():
        return round(value)
    return round(value, 1)


def figure_text(lang: Lang, figure: Figure) -> str:
    """ "10,000 orders a month (about 333 a day)", "2,500 chats a day", "10,000 orders"."""
    amount = _shown(figure.amount or 0.0)
    said = t(lang, f"figures.{figure.kind}.{figure.period or 'none'}", count=amount)
    if figure.period in ("week", "month") and figure.value is not None:
        return t(lang, "figures.about_daily", figure=said, count=_shown(figure.value))
    return said


def ratio_text(lang: Lang, ratio: Ratio) -> str:
    """ "5% of orders returned or complained about", "3 chats at once per agent"."""
    amount = ratio.amount or 0.0
    shown = int(amount) if amount.is_integer() else amount
    return t(lang, f"figures.ratio.{ratio.field}", rate=number(lang, shown), count=shown)


def _volumes(k: Knowledge, request: SizeTeam) -> list[str]:
    lang, workload = request.lang, request.context.workload
    lines = []
    # The user's own ratios are stated with their volumes: the engine uses them, not its own.
    said = [figure_text(lang, f) for f in workload.used()]
    said += [ratio_text(lang, r) for r in workload.ratios_used()]
    if said:
        lines.append(t(lang, "figures.for", figures=join(lang, said)))
    for f in workload.unread():
        example = t(lang, f"figures.{f.kind}.day", count=_shown(f.amount or 0.0))
        lines.append(t(lang, "figures.no_period", figure=figure_text(lang, f), example=example))
    return lines


def _stores(k: Knowledge, request: SizeTeam, count: StoreCount) -> list[str]:
    """Every option's total ("2 or 3 stores"), and what a fraction of a store was read as."""
    lang, inp = request.lang, request.input
    if inp.stores not in count.options:
        return []  # the count came from elsewhere (an earlier question): nothing to say about it
    options = join(lang, [str(n) for n in count.options], "or")
    if len(count.options) == 1:
        if not count.fraction:
            return []  # one whole count: the title says it
        return [t(lang, "figures.stores_whole", typed=count.typed, options=options)]
    each = [
        t(lang, "figures.option_total", count=n, people=_total(k, request, n))
        for n in count.options
    ]
    key = "figures.stores_whole_options" if count.fraction else "figures.options"
    params = {"typed": count.typed, "options": options, "count": inp.stores}
    return [t(lang, key, totals=join(lang, each), **params)]


def _total(k: Knowledge, request: SizeTeam, stores: int) -> int:
    """The recommended total for another store count, everything else the same."""
    return size_team(request.input.model_copy(update={"stores": stores}), k.vocab).total[2]


def _from_plan(k: Knowledge, request: SizeTeam) -> list[str]:
    """ "From your team plan: 2 stores, new stage, live streaming." when the question left
    them out."""
    lang, context, taken = request.lang, request.context, request.context.from_plan
    parts = []
    if "stores" in taken and context.stores:
        parts.append(t(lang, "figures.plan.stores", count=context.stores))
    if "stage" in taken and context.stage:
        parts.append(t(lang, "figures.plan.stage", stage=k.vocab.stage_name(context.stage, lang)))
    if "channels" in taken:
        parts.append(join(lang, [k.vocab.channel_name(c, lang) for c in context.channels]))
    if "ratios" in taken:
        from bot.plans.commands.ratios import ratio_words

        parts += [ratio_words(lang, f, v) for f, v in context.plan_ratios]
    return [t(lang, "figures.from_plan", what=join(lang, parts))] if parts else []


def understood_lines(k: Knowledge, request: SizeTeam) -> list[str]:
    """The lines stating what the question's figures were understood as (none for a question
    whose only figure is a plain store count: the title says it), and what came from the plan."""
    lines = _stores(k, request, request.context.store_count) + _volumes(k, request)
    return _from_plan(k, request) + lines
