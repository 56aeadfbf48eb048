"""Sizings side by side: "compare 2 and 3 stores", "what if we add live streaming?".

One table: a column per scenario and the difference (the last scenario minus the first), the
total first; then one short line per role that changes, so the manager sees what the change
costs and why. The reasoning of each scenario stays a "why?" away.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answers.common import short_name
from bot.answers.sizing import brief
from bot.context import Knowledge
from bot.models import Answer, Section, Suggestion, Table
from bot.plans.costs import Costs, money, priced, signed_money
from bot.requests import CompareSizes, CostFigures
from bot.sizing.codec import encode
from bot.sizing.engine import SizingResult, shown, size_team
from bot.sizing.inputs import FIELDS, SizingInput
from bot.strings import join, number, t
from knowledge import Lang, RoleId


@dataclass(frozen=True, slots=True)
class Difference:
    """The last scenario minus the first: per role (every role in either) and in total."""

    roles: dict[RoleId, int]
    total: int


def difference(results: list[SizingResult]) -> Difference:
    """Recommended headcount of the last scenario minus the first, for every role in any of
    them (a role missing from a scenario counts 0 there) and in total."""
    first, last = results[0], results[-1]
    roles = dict.fromkeys(rid for r in results for rid in r.roles)
    per_role = {rid: _rec(last, rid) - _rec(first, rid) for rid in roles}
    return Difference(per_role, last.total[2] - first.total[2])


def _rec(result: SizingResult, role: RoleId) -> int:
    size = result.roles.get(role)
    return size.recommended if size is not None else 0


def varied(inputs: tuple[SizingInput, ...]) -> list[str]:
    """The sizing figures that differ between the scenarios, in ``FIELDS`` order."""
    return [f for f in FIELDS if len({getattr(i, f) for i in inputs}) > 1]


def _value(k: Knowledge, lang: Lang, inp: SizingInput, field: str) -> str:
    """One figure of one scenario, as a column header shows it."""
    value = getattr(inp, field)
    if field == "stores":
        return t(lang, "unit.store", count=value)
    if field == "stage":
        return k.vocab.stage_name(value, lang)
    if field == "channels":
        if not value:
            return t(lang, "whatif.no_channels")
        return join(lang, [k.vocab.channel_name(c, lang) for c in value])
    if field in ("warehouse", "pooled"):
        return t(lang, f"whatif.value.{field}.{str(value).lower()}")
    shown_value = "–" if value is None else number(lang, shown(value))
    return t(lang, "whatif.figure", field=t(lang, f"field.{field}"), value=shown_value)


def label(k: Knowledge, lang: Lang, inp: SizingInput, fields: list[str]) -> str:
    """What sets one scenario apart ("3 stores", "live streaming", "orders per day: 3,000")."""
    return ", ".join(_value(k, lang, inp, f) for f in fields) or t(lang, "whatif.same")


def signed(lang: Lang, n: int) -> str:
    """+2, −1 or 0: a difference as the table shows it."""
    if n > 0:
        return "+" + number(lang, n)
    return "−" + number(lang, -n) if n < 0 else "0"


def comparison_table(
    k: Knowledge, lang: Lang, results: list[SizingResult], labels: list[str]
) -> Table:
    """Role, one column per scenario, the difference; the total first."""
    diff = difference(results)
    rows = [[t(lang, "size.total"), *(number(lang, r.total[2]) for r in results),
             signed(lang, diff.total)]]  # fmt: skip
    for rid in diff.roles:
        cells = [number(lang, _rec(r, rid)) if rid in r.roles else "–" for r in results]
        rows.append([short_name(k.kb.role(rid), lang), *cells, signed(lang, diff.roles[rid])])
    headers = [t(lang, "size.col.role"), *labels, t(lang, "whatif.col.diff")]
    return Table(headers=headers, rows=rows)


def scenario_costs(results: list[SizingResult], figures: CostFigures | None) -> list[Costs]:
    """Each scenario's monthly cost at the workspace's own salaries (recommended headcount ×
    salary); empty when it set none, so that no cost is ever invented."""
    if figures is None:
        return []
    found = [priced(figures.salaries, {rid: s.recommended for rid, s in r.roles.items()})
             for r in results]  # fmt: skip
    return [c for c in found if c is not None]


def cost_row(lang: Lang, costs: list[Costs], currency: str | None) -> list[str]:
    """ "Monthly cost | MX$42,000 | MX$48,000 | +MX$6,000": a table row, last minus first."""
    cells = [money(lang, c.total, currency) for c in costs]
    diff = signed_money(lang, costs[-1].total - costs[0].total, currency)
    return [t(lang, "whatif.cost.row"), *cells, diff]


def _cost_notes(k: Knowledge, lang: Lang, costs: list[Costs]) -> list[str]:
    """Where the cost comes from, and the roles it leaves out (no salary set for them)."""
    unpriced = dict.fromkeys(r for c in costs for r in c.unpriced)
    lines = [t(lang, "whatif.cost.from_figures")]
    if unpriced:
        names = ", ".join(short_name(k.kb.role(r), lang) for r in unpriced)
        lines.append(t(lang, "plan.cost.unpriced", roles=names))
    return lines


def _changes(k: Knowledge, lang: Lang, results: list[SizingResult]) -> list[str]:
    """One short line per role that changes: by how many, and the reason in the last scenario
    (or in the first, for a role the last one no longer has)."""
    diff = difference(results)
    lines = []
    for rid, n in diff.roles.items():
        if n == 0:
            continue
        size = results[-1].roles.get(rid) or results[0].roles[rid]
        name = short_name(k.kb.role(rid), lang)
        lines.append(t(lang, "whatif.change", name=name, n=signed(lang, n),
                       why=brief(lang, rid, size.why)))  # fmt: skip
    return lines or [t(lang, "whatif.no_change")]


def compare_sections(
    k: Knowledge, lang: Lang, results: list[SizingResult], figures: CostFigures | None = None
) -> list[Section]:
    """The table (with a monthly cost row when the workspace set salaries), the roles that
    change, and how the difference is counted."""
    inputs = tuple(r.input for r in results)
    fields = varied(inputs)
    labels = [label(k, lang, i, fields) for i in inputs]
    table = comparison_table(k, lang, results, labels)
    costs = scenario_costs(results, figures)
    notes: list[str] = []
    if costs and figures is not None:
        table.rows.append(cost_row(lang, costs, figures.currency))
        notes = _cost_notes(k, lang, costs)
    sections = [Section(table=table)]
    total = results[-1].total[2] - results[0].total[2]
    summary = t(lang, "whatif.summary", first=labels[0], last=labels[-1], n=signed(lang, total),
                count=abs(total))  # fmt: skip
    sections.append(Section(lines=[summary, *_changes(k, lang, results), *notes]))
    return sections


def compare_title(k: Knowledge, lang: Lang, results: list[SizingResult]) -> str:
    """ "Team for 3 stores (new): no content channels vs live streaming": what stays the same,
    then what is compared."""
    inputs = tuple(r.input for r in results)
    fields = varied(inputs)
    scenarios = t(lang, "whatif.between").join(label(k, lang, i, fields) for i in inputs)
    first = inputs[0]
    stage = k.vocab.stage_name(first.stage, lang)
    if "stage" in fields:
        return t(lang, "whatif.title", scenarios=scenarios)
    if "stores" in fields:
        return t(lang, "whatif.title.stage", stage=stage, scenarios=scenarios)
    return t(lang, "whatif.title.team", count=first.stores, stage=stage, scenarios=scenarios)


def compare_sizes(k: Knowledge, request: CompareSizes) -> Answer:
    """Two to four sizings side by side, with the difference per role and in total."""
    lang = request.lang
    results = [size_team(inp, k.vocab) for inp in request.inputs]
    sections = compare_sections(k, lang, results, request.costs)
    if request.stores_assumed:
        sections.insert(0, Section(lines=[t(lang, "size.no_stores")]))
    if request.from_plan:
        sections.insert(0, Section(lines=[_from_plan(k, lang, request)]))
    return Answer(
        intent="team_size",
        language=lang,
        title=compare_title(k, lang, results),
        sections=sections,
        suggestions=[_details(k, lang, results, request.stores_assumed)],
        entities=request.entities,
    )


def _from_plan(k: Knowledge, lang: Lang, request: CompareSizes) -> str:
    """ "From your team plan: 2 stores, new stage." (what the first scenario took from it)."""
    base, taken = request.inputs[0], request.from_plan
    parts = []
    if "stores" in taken:
        parts.append(t(lang, "figures.plan.stores", count=base.stores))
    if "stage" in taken:
        parts.append(t(lang, "figures.plan.stage", stage=k.vocab.stage_name(base.stage, lang)))
    if "channels" in taken and base.channels:
        parts.append(join(lang, [k.vocab.channel_name(c, lang) for c in base.channels]))
    return t(lang, "figures.from_plan", what=join(lang, parts))


def _details(
    k: Knowledge, lang: Lang, results: list[SizingResult], stores_assumed: bool
) -> Suggestion:
    """The details button of the last scenario: it carries its figures, like a sizing answer's."""
    inputs = tuple(r.input for r in results)
    scenario = label(k, lang, inputs[-1], varied(inputs))
    text = t(lang, "whatif.details", scenario=scenario)
    return Suggestion(label=text, text=text, explain=encode(results[-1], stores_assumed))
