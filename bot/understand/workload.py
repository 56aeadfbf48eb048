"""Volumes a manager gives in a question: "500 chats a day", "300 pedidos al día"."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from bot.understand.lexicon import Lexicon


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


def _quantity(number: str, thousands: str | None) -> float:
    """ "1,500" / "1.500" (thousands) -> 1500; "2.5" with "k" -> 2500."""
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", number):
        number = re.sub(r"[,.]", "", number)
    return float(number) * (1000 if thousands else 1)


def extract_workload(lex: Lexicon, digits: str) -> Workload:
    """Inquiry and order volumes in ``digits`` (the folded text with numbers as digits)."""
    found: dict[str, float] = {}
    for field, pattern in lex.workload.fields:
        match = pattern.search(digits)
        if match:
            found[field] = _quantity(match.group(1), match.group(2))
    return Workload(**found)
