"""Scoring a labelled chat message against the answer it got (the scheme: tests/data/LABELS.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.core import Bot
from bot.models import Answer, Message

DATA = Path(__file__).parent.parent / "data"
#: Days per period, to compare volumes per day whatever period the label uses.
DAYS = {"day": 1.0, "week": 7.0, "month": 30.0}
#: The plan's forms a coarse ``want`` label can ask for (LABELS.md, "Coarse labels").
FORMS = ("chart", "show", "export")


def load(*names: str) -> list[dict[str, Any]]:
    """The items of the named files in tests/data, in order."""
    items: list[dict[str, Any]] = []
    for name in names:
        items.extend(yaml.safe_load((DATA / name).read_text(encoding="utf-8")))
    return items


def _per_day(label: str) -> float:
    number, _, period = str(label).partition("/")
    return float(number) / DAYS.get(period.strip() or "day", 1.0)


def _close(expected: float, got: float | None) -> bool:
    return got is not None and abs(got - expected) <= max(1.0, 0.02 * expected)


def wanted(want: str, answer: Answer) -> list[str]:
    """What in ``answer`` disagrees with a coarse ``want`` label (empty: right): the plan in a
    form, the article's team structure, or anything but the plan in a form."""
    verb = answer.entities.plan_verb if answer.intent == "plan" else None
    got = verb if verb in FORMS else "structure" if answer.intent == "team_roles" else "other"
    right = got == want or (want == "other" and got == "structure")
    return [] if right else [f"got {got} ({answer.intent}, verb {verb})"]


def topic_of(item: dict[str, Any]) -> str:
    """What an item is scored under: its intent, or its coarse ``want``."""
    return str(item.get("intent") or item["want"])


def problems(item: dict[str, Any], answer: Answer) -> list[str]:
    """What in ``answer`` disagrees with the labels of ``item`` (empty: fully right)."""
    if "want" in item:
        return wanted(item["want"], answer)
    e = answer.entities
    wrong: list[str] = []
    if answer.intent != item["intent"]:
        wrong.append(f"intent {answer.intent}")
    if answer.language != item["lang"]:
        wrong.append(f"lang {answer.language}")
    expected = item.get("roles") or []
    if expected and set(e.roles[: len(expected)]) != set(expected):
        wrong.append(f"roles {e.roles[:4]}")
    stores = item.get("stores")
    if isinstance(stores, list):
        if sorted(e.store_options) != sorted(stores):
            wrong.append(f"store options {e.store_options}")
    elif stores is not None and e.stores != stores:
        wrong.append(f"stores {e.stores}")
    for key in ("team", "stage"):
        if key in item and getattr(e, key) != item[key]:
            wrong.append(f"{key} {getattr(e, key)}")
    if "channels" in item and set(e.channels) != set(item["channels"]):
        wrong.append(f"channels {e.channels}")
    for key, attr in (("orders", "orders_per_day"), ("inquiries", "inquiries_per_day")):
        if key in item and not _close(_per_day(item[key]), getattr(e, attr)):
            wrong.append(f"{attr} {getattr(e, attr)}")
    if "verb" in item and e.plan_verb != item["verb"]:
        wrong.append(f"verb {e.plan_verb}")
    if "count" in item and e.count != item["count"]:
        wrong.append(f"count {e.count}")
    return wrong


@dataclass
class Score:
    """Fully-right counts, overall and per intent, and the misses."""

    right: Counter[bool] = field(default_factory=Counter)
    by_intent: dict[str, Counter[bool]] = field(default_factory=dict)
    misses: list[tuple[str, str, list[str]]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """The share of messages answered fully right."""
        return self.right[True] / max(1, self.right.total())

    def lines(self, name: str) -> list[str]:
        """A printable summary: the total, then each intent."""
        out = [f"{name}: {self.right[True]}/{self.right.total()} fully right ({self.rate:.1%})"]
        for intent, c in sorted(self.by_intent.items()):
            out.append(f"  {intent:14} {c[True]}/{c.total()}")
        return out


def score(bot: Bot, items: list[dict[str, Any]], prefix: str) -> Score:
    """Answer every item, each from its own user so no context leaks between them."""
    result = Score()
    for n, item in enumerate(items):
        answer = bot.answer(Message(text=item["q"], user=f"{prefix}{n}"))
        wrong = problems(item, answer)
        result.right[not wrong] += 1
        result.by_intent.setdefault(topic_of(item), Counter())[not wrong] += 1
        if wrong:
            result.misses.append((item["q"], topic_of(item), wrong))
    return result
