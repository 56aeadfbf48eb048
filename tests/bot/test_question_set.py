"""The labelled question set: intent, role and language accuracy must stay at or above 95%."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core import Bot
from bot.models import Answer, Message

QUESTIONS = Path(__file__).parent.parent / "data" / "questions.yaml"
TARGET = 0.95


def _load() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    return items


def test_question_set_shape(kb) -> None:  # type: ignore[no-untyped-def]
    items = _load()
    assert len(items) >= 250
    spanish = sum(1 for i in items if i["lang"] == "es")
    assert 0.4 <= spanish / len(items) <= 0.6
    intents = {i["intent"] for i in items}
    assert intents == {
        "role_duties", "who_does", "team_roles", "team_size", "compare_roles", "plan", "help",
        "unknown",
    }  # fmt: skip
    covered = {r for i in items for r in i.get("roles", [])}
    assert covered == set(kb.roles)


def _roles_ok(expected: list[str], answer: Answer) -> bool:
    got = answer.entities.roles
    return set(got[: len(expected)]) == set(expected) if expected else got == []


#: Days in the periods of volume labels ("10000/month").
_DAYS = {"day": 1, "week": 7, "month": 30}


def _entity_ok(key: str, label: Any, answer: Answer) -> bool:
    """One entity label against the answer: ``stores: [2, 3]`` is every option offered,
    ``orders: "10000/month"`` a volume the answer reports per day."""
    e = answer.entities
    if key == "stores" and isinstance(label, list):
        return e.store_options == label
    if key in ("orders", "inquiries"):
        amount, period = str(label).split("/")
        got = e.orders_per_day if key == "orders" else e.inquiries_per_day
        return got is not None and abs(got - float(amount) / _DAYS[period]) < 0.05
    return bool(getattr(e, key) == label)


def test_question_set_accuracy(bot: Bot, capsys: pytest.CaptureFixture[str]) -> None:
    items = _load()
    by_intent: dict[str, Counter[bool]] = {}
    by_lang: dict[str, Counter[bool]] = {}
    roles: Counter[bool] = Counter()
    entity: Counter[bool] = Counter()
    misses = []
    for n, item in enumerate(items):
        # Each question from its own user, so no follow-up context leaks between them.
        answer = bot.answer(Message(text=item["q"], user=f"u{n}"))
        ok = answer.intent == item["intent"] and answer.language == item["lang"]
        by_intent.setdefault(item["intent"], Counter())[ok] += 1
        by_lang.setdefault(item["lang"], Counter())[ok] += 1
        if "roles" in item:
            roles[_roles_ok(item["roles"], answer)] += 1
        for key in ("stores", "team", "stage", "channels", "orders", "inquiries"):
            if key in item:
                good = _entity_ok(key, item[key], answer)
                entity[good] += 1
                if not good:
                    misses.append((item["q"], key, answer.entities))
        if not ok:
            misses.append((item["q"], answer.intent, answer.language))

    def rate(c: Counter[bool]) -> float:
        return c[True] / max(1, c[True] + c[False])

    with capsys.disabled():
        print("\nquestion set: accuracy by intent (intent and language both right)")
        for name, c in sorted(by_intent.items()):
            print(f"  {name:14} {rate(c):6.1%}  ({c[True]}/{c.total()})")
        for name, c in sorted(by_lang.items()):
            print(f"  lang {name:9} {rate(c):6.1%}  ({c[True]}/{c.total()})")
        print(f"  roles          {rate(roles):6.1%}  ({roles[True]}/{roles.total()})")
        print(f"  entities       {rate(entity):6.1%}  ({entity[True]}/{entity.total()})")
        for miss in misses:
            print("  miss:", miss)
    total = Counter[bool]()
    for c in by_intent.values():
        total.update(c)
    assert rate(total) >= TARGET
    assert rate(roles) >= TARGET
    assert rate(entity) >= TARGET
