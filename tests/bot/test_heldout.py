"""The held-out set: scored on every run, never tuned against (see the file's header)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core import Bot
from bot.models import Message

HELDOUT = Path(__file__).parent.parent / "data" / "heldout.yaml"
#: Measured when the set was written (145/160 fully right). A floor, so a change that makes the
#: understanding worse fails here, while improvements are free to raise it.
FLOOR = 0.90


def test_heldout_score_does_not_fall(bot: Bot, capsys: pytest.CaptureFixture[str]) -> None:
    items: list[dict[str, Any]] = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    right: Counter[bool] = Counter()
    by_intent: dict[str, Counter[bool]] = {}
    for n, item in enumerate(items):
        answer = bot.answer(Message(text=item["q"], user=f"h{n}"))
        ok = answer.intent == item["intent"] and answer.language == item["lang"]
        expected = item.get("roles") or []
        if expected:
            ok = ok and set(answer.entities.roles[: len(expected)]) == set(expected)
        right[ok] += 1
        by_intent.setdefault(item["intent"], Counter())[ok] += 1
    with capsys.disabled():
        print(f"\nheld-out set: {right[True]}/{len(items)} fully right")
        for name, c in sorted(by_intent.items()):
            print(f"  {name:14} {c[True]}/{c.total()}")
    assert len(items) == 160
    assert right[True] / len(items) >= FLOOR
