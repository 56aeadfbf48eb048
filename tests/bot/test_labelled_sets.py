"""The labelled chat messages: a tuning part and a held-out part, both scored on every run.

The held-out files were written by helpers who never saw the code, from the shared notes on
real team chat, and are never tuned against: a miss found there is fixed with new phrasings in
the tuning files, and the held-out files stay as written. Only totals per intent are printed for
them, so that no one tunes against their messages by reading the test output.

Topic sets (``TOPICS``) are scored on their own as well, with their own floors. The ``chart``
set was written from the same notes by the helper that changed the code (no helper who had not
read it could be started), all at once, and split at random before any tuning. The
``chart-fresh`` set was written by a writer who never saw the code, with coarse ``want`` labels
(LABELS.md): the plan's picture, the plan as text or as a file, the article's team structure,
and chart-ish near-misses; it is a tuning set (its misses were fixed in the code). Its held-out
set (``heldout-chart-fresh.yaml``) was written afterwards by another writer who never saw the
code or the tuning set, scored once before and once after that tuning, and never tuned against.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest

from bot.core import Bot
from knowledge import KnowledgeBase
from knowledge.vocab import INTENTS
from tests.bot.labelled import DATA, FORMS, load, score


@dataclass(frozen=True)
class Topic:
    """A set about one request, scored on its own so that its misses do not hide in the totals:
    the messages asking for it and near-misses that must not run it, split at random into a
    tuning and a held-out part, each with the floor it must meet (measured, less a margin)."""

    tuning: str
    heldout: str | None
    tuning_floor: float
    heldout_floor: float = 0.0
    #: False when the held-out part was written on its own after the tuning part, rather than
    #: split from one set at random (its size then owes nothing to the tuning part's).
    random_split: bool = True


TOPICS = {
    # `plan chart` in plain words; measured 166/181 and 72/78 when the floors were set.
    "chart": Topic("chat-chart.yaml", "heldout-chart.yaml", 0.90, 0.89),
    # The plan as a picture, text or a file (coarse labels): measured 151/152 on the tuning
    # part, and 117/153 on the held-out part (87/153 before the tuning; never tuned against).
    "chart-fresh": Topic(
        "chat-chart-fresh.yaml", "heldout-chart-fresh.yaml", 0.97, 0.74, random_split=False
    ),
}
_TOPIC_FILES = {f for topic in TOPICS.values() for f in (topic.tuning, topic.heldout) if f}
_SPLIT = sorted(name for name, topic in TOPICS.items() if topic.heldout)
#: Every tuning file: the first question set and each helper's chat set.
TUNING = (
    "questions.yaml",
    *sorted(p.name for p in DATA.glob("chat-*.yaml") if p.name not in _TOPIC_FILES),
)
HELDOUT = ("heldout.yaml", "heldout-c.yaml", "heldout-d.yaml")
#: Fully right: intent, language, the roles named first, and every entity labelled.
TARGET = 0.95


def test_the_sets_are_large_varied_and_separate(kb: KnowledgeBase) -> None:
    tuning, heldout = load(*TUNING), load(*HELDOUT)
    assert len(tuning) + len(heldout) >= 1200 and len(heldout) >= 300
    assert not {i["q"] for i in tuning} & {i["q"] for i in heldout}
    for items in (tuning, heldout):
        langs = Counter(i["lang"] for i in items)
        assert 0.4 <= langs["es"] / len(items) <= 0.6
        assert {i["intent"] for i in items} == set(INTENTS)
    assert {r for i in tuning for r in i.get("roles", [])} == set(kb.roles)


def test_tuning_part(bot: Bot, capsys: pytest.CaptureFixture[str]) -> None:
    result = score(bot, load(*TUNING), "t")
    with capsys.disabled():
        print("\n" + "\n".join(result.lines("tuning part")))
        for q, intent, wrong in result.misses:
            print(f"  miss [{intent}] {q!r}: {', '.join(wrong)}")
    assert result.rate >= TARGET


def test_heldout_part(bot: Bot, capsys: pytest.CaptureFixture[str]) -> None:
    result = score(bot, load(*HELDOUT), "h")
    with capsys.disabled():
        print("\n" + "\n".join(result.lines("held-out part")))
    assert result.rate >= TARGET


def test_every_labelled_file_is_scored_once() -> None:
    scored = {*TUNING, *HELDOUT, *_TOPIC_FILES}
    assert {p.name for p in DATA.glob("*.yaml")} == scored
    assert len(scored) == len(TUNING) + len(HELDOUT) + len(_TOPIC_FILES)


def _qs(items: list[dict[str, Any]]) -> set[str]:
    return {i["q"] for i in items}


def _asking(item: dict[str, Any], name: str) -> bool:
    """Whether ``item`` asks for what topic ``name`` is about (not a near-miss)."""
    return item.get("verb") == name or item.get("want") in FORMS


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_a_topic_set_is_separate_and_has_both_sides(name: str) -> None:
    topic = TOPICS[name]
    tuning, heldout = load(topic.tuning), load(topic.heldout) if topic.heldout else []
    others = [f for t in TOPICS.values() if t is not topic for f in (t.tuning, t.heldout) if f]
    held = [t.heldout for t in TOPICS.values() if t.heldout and t is not topic]
    assert not _qs(tuning) & _qs(heldout)
    assert not _qs(tuning + heldout) & _qs(load(*HELDOUT, *held))  # no held-out item is tuned
    if heldout:  # its held-out part shares no message with any other set
        assert not _qs(heldout) & _qs(load(*TUNING, *HELDOUT, *others))
    if heldout and topic.random_split:  # split from one set: all of it apart from the rest
        assert not _qs(tuning) & _qs(load(*TUNING, *HELDOUT))
        assert 0.25 <= len(heldout) / (len(tuning) + len(heldout)) <= 0.35
    for items in (tuning, heldout) if heldout else (tuning,):
        if "lang" in items[0]:  # coarse labels give no language
            langs = Counter(i["lang"] for i in items)
            assert 0.4 <= langs["es"] / len(items) <= 0.6
        asking = [i for i in items if _asking(i, name)]
        assert 0.4 <= len(asking) / len(items) <= 0.7  # asking for it, and near-misses


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_a_topic_tuning_part(bot: Bot, capsys: pytest.CaptureFixture[str], name: str) -> None:
    topic = TOPICS[name]
    result = score(bot, load(topic.tuning), f"t-{name}-")
    with capsys.disabled():
        print("\n" + "\n".join(result.lines(f"{name}: tuning part")))
        for q, intent, wrong in result.misses:
            print(f"  miss [{intent}] {q!r}: {', '.join(wrong)}")
    assert result.rate >= topic.tuning_floor


@pytest.mark.parametrize("name", _SPLIT)
def test_a_topic_heldout_part(bot: Bot, capsys: pytest.CaptureFixture[str], name: str) -> None:
    topic = TOPICS[name]
    assert topic.heldout is not None
    result = score(bot, load(topic.heldout), f"h-{name}-")
    with capsys.disabled():
        print("\n" + "\n".join(result.lines(f"{name}: held-out part")))
    assert result.rate >= topic.heldout_floor
