"""A sizing input as a short text and back, so that a details button carries its own question.

A button's value is all a click brings back: anyone in the channel may click it, and ShopCrew may
have restarted since. So the value holds the figures the user gave (not a key into memory) and a
digest of the answer they produced; a click re-runs the engine and, when the digest no longer
matches (the engine or the vocabulary changed since), the answer has expired instead of
explaining different numbers. Discord allows 100 characters per button, so the text is terse:
``1a3f9c2;s2;g1;c3;i2000`` is version 1, digest ``a3f9c2``, 2 stores, the second stage, the
first two channels, 2,000 inquiries a day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from bot.sizing.engine import SizingResult
from bot.sizing.inputs import SizingError, SizingInput, parse_input
from knowledge.vocab import CHANNELS, STAGES

VERSION = "1"
#: Set in the text when the user gave no store count and one store was assumed.
ASSUMED_STORES = "*"

Kind = Literal["int", "float", "bool", "stage", "warehouse", "channels"]
WAREHOUSES = ("in_house", "outsourced")

#: Every sizing figure's one-letter code and how its value is written (a test checks coverage).
CODES: dict[str, tuple[str, Kind]] = {
    "stores": ("s", "int"),
    "stage": ("g", "stage"),
    "channels": ("c", "channels"),
    "orders_per_day": ("o", "float"),
    "inquiries_per_day": ("i", "float"),
    "peak_inquiries_per_hour": ("p", "float"),
    "aht_seconds": ("a", "float"),
    "concurrency": ("k", "int"),
    "service_level": ("l", "float"),
    "answer_within_seconds": ("w", "float"),
    "max_occupancy": ("m", "float"),
    "shrinkage": ("r", "float"),
    "open_hours_per_day": ("h", "float"),
    "shift_hours": ("f", "float"),
    "days_open_per_week": ("d", "int"),
    "work_days_per_week": ("x", "int"),
    "warehouse": ("y", "warehouse"),
    "live_hours_per_day": ("v", "float"),
    "inquiries_per_order": ("n", "float"),
    "return_rate": ("e", "float"),
    "case_minutes": ("u", "float"),
    "span_of_control": ("b", "int"),
    "manager_from_packers": ("j", "int"),
    "stores_per_assistant": ("t", "int"),
    "pooled": ("q", "bool"),
}
FIELD_OF = {code: field for field, (code, _) in CODES.items()}


@dataclass(frozen=True, slots=True)
class Decoded:
    """What a details button carries: the input, whether stores were assumed, the digest."""

    input: SizingInput
    stores_assumed: bool
    digest: str


def digest(result: SizingResult) -> str:
    """Six hex digits that change whenever the answer's numbers (or its channels) would."""
    table = [(r.role, r.min, r.max, r.recommended) for r in result.roles.values()]
    text = repr((result.input.stage, result.input.channels, table))
    return hashlib.blake2s(text.encode(), digest_size=3).hexdigest()


def _number(value: float) -> str:
    """A number in at most 12 significant digits (2000.0 -> "2000", 1/3 -> "0.333333333333").

    Chat volumes per day can have long decimals ("10,000 a month"); 12 digits keep the button
    within Discord's limit, and the digest catches the rare answer the rounding would change.
    """
    return format(float(value), ".12g")


def _write(kind: Kind, value: Any) -> str:
    if kind == "bool":
        return "1" if value else "0"
    if kind == "stage":
        return str(STAGES.index(value))
    if kind == "warehouse":
        return str(WAREHOUSES.index(value))
    if kind == "channels":
        return format(sum(1 << CHANNELS.index(c) for c in value), "x")
    return _number(value)


def encode(result: SizingResult, stores_assumed: bool = False) -> str:
    """The figures the user gave for ``result``, tersely, with the answer's digest."""
    inp = result.input
    parts = [VERSION + digest(result)]
    for field in (f for f in CODES if f in inp.model_fields_set):
        code, kind = CODES[field]
        parts.append(code + _write(kind, getattr(inp, field)))
    if stores_assumed:
        parts.append(ASSUMED_STORES)
    return ";".join(parts)


def _read(kind: Kind, raw: str) -> object:
    if kind == "bool":
        return {"1": True, "0": False}[raw]
    if kind == "stage":
        return STAGES[int(raw)]
    if kind == "warehouse":
        return WAREHOUSES[int(raw)]
    if kind == "channels":
        mask = int(raw, 16)
        return [c for i, c in enumerate(CHANNELS) if mask >> i & 1]
    return int(raw) if kind == "int" else float(raw)


def decode(text: str) -> Decoded | None:
    """The input behind ``text``, or None when it is not one this version wrote."""
    head, *parts = text.split(";")
    if len(head) != 7 or not head.startswith(VERSION):
        return None
    given: dict[str, object] = {}
    try:
        for part in parts:
            if part != ASSUMED_STORES:
                field = FIELD_OF[part[:1]]
                given[field] = _read(CODES[field][1], part[1:])
        inp = parse_input(**given)
    except (KeyError, IndexError, ValueError, SizingError):
        return None
    return Decoded(inp, ASSUMED_STORES in parts, head[1:])
