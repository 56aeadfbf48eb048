"""Volumes a manager gives in a question: "500 chats a day", "10 mil pedidos al mes", "2.5k chats".

Each volume is kept as written (amount and period) and converted for the sizing engine: per week
and per month become per day (÷7, ÷30), inquiries per hour are the busiest hour, live hours per
week become live hours per day. A volume without a period is not guessed: the answer asks for
one. A number that is not one ("1e309 orders a day") is kept so that it can be refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from dataclasses import field as dc_field

from bot.understand.lexicon import Lexicon, Period, RatioField, VolumeKind, WorkloadPatterns
from bot.understand.normalize import fold, tokens
from bot.understand.numbers import read_number
from knowledge import Lang

#: Days in each period a volume can be given per ("a month" is 30 days).
DAYS: dict[Period, float] = {"day": 1.0, "week": 7.0, "month": 30.0}

#: The sizing input each kind of volume sets, by period ("hour" only for inquiries).
FIELDS: dict[VolumeKind, str] = {
    "inquiries": "inquiries_per_day",
    "orders": "orders_per_day",
    "live_hours": "live_hours_per_day",
}


@dataclass(frozen=True, slots=True)
class Figure:
    """One volume as the message gave it: 10,000 orders a month."""

    kind: VolumeKind
    #: The amount as written (10000 for "10 mil"); None when the number is not one ("1e309").
    amount: float | None
    #: The period it was given per; None when the message did not say.
    period: Period | None
    #: The number as typed ("1e309"), for refusals.
    typed: str = ""

    @property
    def field(self) -> str:
        """The sizing input this figure sets (``peak_inquiries_per_hour`` for inquiries an hour)."""
        return "peak_inquiries_per_hour" if self.period == "hour" else FIELDS[self.kind]

    @property
    def value(self) -> float | None:
        """The sizing input's value: per day (per hour for the busiest hour), to 0.1."""
        if self.amount is None or self.period is None:
            return None
        if self.period == "hour":
            return self.amount
        return round(self.amount / DAYS[self.period], 1)


@dataclass(frozen=True, slots=True)
class Ratio:
    """One of the engine's ratios as the message gave it: "5% returns", "3 chats at once"."""

    field: RatioField
    #: The number as written (5 for "5%"); None when the number is not one ("1e309%").
    amount: float | None
    #: True for a percentage ("5%"): the engine's value is a share (0.05).
    percent: bool = False
    #: The number as typed, for refusals.
    typed: str = ""
    #: The words it was read from ("5% returns"): not a task to search the duties for.
    said: str = dc_field(default="", compare=False)

    @property
    def value(self) -> float | None:
        """The sizing input's value: a share for a percentage, whole chats for concurrency."""
        if self.amount is None:
            return None
        if self.percent:
            return round(self.amount / 100, 4)
        if self.field == "concurrency" and self.amount.is_integer():
            return int(self.amount)
        return self.amount


@dataclass(frozen=True, slots=True)
class Workload:
    """The volumes and ratios named in a message, in the order they appear."""

    figures: tuple[Figure, ...] = ()
    ratios: tuple[Ratio, ...] = ()

    @property
    def said(self) -> bool:
        """True when the message gave any volume or ratio."""
        return bool(self.figures or self.ratios)

    def ratios_used(self) -> list[Ratio]:
        """The ratios the sizing engine uses: the first one given for each input."""
        seen: dict[str, Ratio] = {}
        for r in self.ratios:
            seen.setdefault(r.field, r)
        return list(seen.values())

    def used(self) -> list[Figure]:
        """The figures the sizing engine uses: the first readable one for each input."""
        seen: dict[str, Figure] = {}
        for f in self.figures:
            if f.value is not None:
                seen.setdefault(f.field, f)
        return list(seen.values())

    def given(self) -> dict[str, float]:
        """The sizing inputs these figures and ratios set, by field name."""
        volumes = {f.field: f.value for f in self.used() if f.value is not None}
        ratios = {r.field: r.value for r in self.ratios_used() if r.value is not None}
        return volumes | ratios

    def unread(self) -> list[Figure]:
        """Volumes given without a period ("10 mil pedidos"): not used, the answer asks."""
        used = {f.kind for f in self.used()}
        return [
            f
            for f in self.figures
            if f.amount is not None and f.period is None and f.kind not in used
        ]

    def unreadable(self) -> list[Figure | Ratio]:
        """Volumes and ratios whose number is not a number ("1e309 orders a day"): refused."""
        ratios = [r for r in self.ratios if r.amount is None]
        return [*(f for f in self.figures if f.amount is None), *ratios]

    def updated(self, newer: Workload) -> Workload:
        """These figures and ratios, replaced by ``newer``'s where it sets the same input."""
        replaced = {f.field for f in newer.figures}
        kept = tuple(f for f in self.used() if f.field not in replaced)
        reset = {r.field for r in newer.ratios}
        ratios = tuple(r for r in self.ratios_used() if r.field not in reset)
        return Workload(kept + newer.figures, ratios + newer.ratios)

    def read_words(self) -> list[str]:
        """The words the ratios were read from, once per time they were said. Not the volumes':
        "to pack 1,500 orders a week" asks about the packing of those orders."""
        return [w for r in self.ratios for w in tokens(fold(r.said))]

    def get(self, field: str) -> float | None:
        """The value of one sizing input, when a figure sets it."""
        return self.given().get(field)

    @property
    def inquiries_per_day(self) -> float | None:
        """Customer inquiries a day."""
        return self.get("inquiries_per_day")

    @property
    def peak_inquiries_per_hour(self) -> float | None:
        """Customer inquiries at the busiest hour."""
        return self.get("peak_inquiries_per_hour")

    @property
    def orders_per_day(self) -> float | None:
        """Orders a day."""
        return self.get("orders_per_day")

    @property
    def live_hours_per_day(self) -> float | None:
        """Live-stream hours a day."""
        return self.get("live_hours_per_day")


def _figure(pats: WorkloadPatterns, kind: VolumeKind, m: re.Match[str], lang: Lang) -> Figure:
    groups = m.groupdict()
    typed = groups["num"] or groups.get("bare") or ""
    number = 1.0 if groups["num"] is None else read_number(typed, lang)
    mult = pats.multipliers.get(groups.get("mult") or groups.get("bare") or "", 1.0)
    said = groups.get("period") or groups.get("pre")
    period = pats.periods.get(" ".join(said.split())) if said else None
    amount = None if number is None else number * mult
    return Figure(kind, amount, period, typed)


Found = list[tuple[int, int, Figure]]


def _share_periods(pats: WorkloadPatterns, found: Found, text: str) -> None:
    """ "300 orders and 500 chats a day", "300 orders a day and 500 chats": a volume without a
    period takes the one of the volume it is joined to (the next one's first)."""
    n = len(found)
    pairs = [(i, i + 1) for i in range(n - 2, -1, -1)] + [(i, i - 1) for i in range(1, n)]
    for i, j in pairs:
        start, end, figure = found[i]
        other_start, other_end, other = found[j]
        if figure.period is not None or other.period is None or figure.kind == "live_hours":
            continue
        gap = text[end:other_start] if j > i else text[other_end:start]
        if pats.joined.fullmatch(gap):
            found[i] = (start, end, replace(figure, period=other.period))


def _ratios(pats: WorkloadPatterns, digits: str, lang: Lang) -> list[tuple[int, Ratio]]:
    """The ratios in ``digits``, each with where its number starts."""
    found: list[tuple[int, Ratio]] = []
    for field, pattern in pats.ratios:
        for m in pattern.finditer(digits):
            typed = m.group("num")
            percent = m.groupdict().get("pct") is not None
            ratio = Ratio(field, read_number(typed, lang), percent, typed, m.group())
            found.append((m.start("num"), ratio))
    found.sort(key=lambda item: item[0])
    return found


def extract_workload(lex: Lexicon, digits: str, lang: Lang) -> Workload:
    """The volumes and ratios in ``digits`` (the folded text with numbers as digits), in order."""
    pats = lex.workload
    found: list[tuple[int, int, Figure]] = []
    ratios = _ratios(pats, digits, lang)
    # A ratio's number is not a volume too: "0.5 chats per order" gives no chats a day.
    taken: list[tuple[int, int]] = [(start, start + len(r.typed)) for start, r in ratios]
    for kind, pattern in pats.volumes:
        for m in pattern.finditer(digits):
            span = m.span("num") if m.group("num") is not None else m.span()
            if any(a <= span[0] < b for a, b in taken):
                continue  # the same number read by another pattern
            taken.append(span)
            found.append((span[0], m.end(), _figure(pats, kind, m, lang)))
    found.sort(key=lambda item: item[0])
    _share_periods(pats, found, digits)
    return Workload(tuple(f for _, _, f in found), tuple(r for _, r in ratios))
