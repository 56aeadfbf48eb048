"""Volumes a manager gives in a question: "500 chats a day", "300 pedidos al día"."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from bot.understand.lexicon import Lexicon
from bot.understand.numbers import read_number
from knowledge import Lang


@dataclass(frozen=True, slots=True)
class Workload:
    """Inquiry and order volumes named in a message (None = not given)."""

    inquiries_per_day: float | None = None
    peak_inquiries_per_hour: float | None = None
    orders_per_day: float | None = None

    def given(self) -> dict[str, float]:
        """Only the figures that were given, by sizing-input field name."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    def updated(self, newer: Workload) -> Workload:
        """These figures, replaced by ``newer``'s where it gives them."""
        return Workload(**{**self.given(), **newer.given()})


def extract_workload(lex: Lexicon, digits: str, lang: Lang) -> Workload:
    """Inquiry and order volumes in ``digits`` (the folded text with numbers as digits).

    "1,500" and "1.500" are thousands, "2.5k" and "1,5 mil" a decimal times a thousand.
    """
    found: dict[str, float] = {}
    for field, pattern in lex.workload.fields:
        match = pattern.search(digits)
        value = read_number(match.group(1), lang) if match else None
        if value is not None:
            found[field] = value * (1000 if match and match.group(2) else 1)
    return Workload(**found)
