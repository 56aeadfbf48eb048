"""The labelled chat messages: a tuning part and a held-out part, both scored on every run.

The held-out files were written by helpers who never saw the code, from the shared notes on
real team chat, and are never tuned against: a miss found there is fixed with new phrasings in
the tuning files, and the held-out files stay as written. Only totals per intent are printed for
them, so that no one tunes against their messages by reading the test output.

Topic sets (``TOPICS``) are scored on their own as well, with their own floors. The ``chart``
set was written from the same notes by the helper that changed the code (no helper who had not
read it could be started), all at once, and split at random before any tuning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from bot.core import Bot
from knowledge import KnowledgeBase
from knowledge.vocab import INTENTS
from tests.bot.labelled import DATA, load, score


@dataclass(frozen=True)
class Topic:
    """A set about one request, scored on its own so that its misses do not hide in the totals:
    the messages asking for it and near-misses that must not run it, split at random into a
    tuning and a held-out part, each with the floor it must meet (measured, less a margin)."""

    tuning: str
    heldout: str
    tuning_floor: float
    heldout_floor: float


TOPICS = {
    # `plan chart` in plain words; measured 166/181 and 72/78 when the floors were set.
    "chart": Topic("chat-chart.yaml", "heldout-chart.yaml", 0.90, 0.89),
}
_TOPIC_FILES = {name for topic in TOPICS.values() for name in (topic.tuning, topic.heldout)}
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


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_a_topic_set_is_separate_and_has_both_sides(name: str) -> None:
    topic = TOPICS[name]
    tuning, heldout = load(topic.tuning), load(topic.heldout)
    others = {i["q"] for i in load(*TUNING, *HELDOUT)}
    assert not {i["q"] for i in tuning} & {i["q"] for i in heldout}
    assert not {i["q"] for i in tuning + heldout} & others
    assert 0.25 <= len(heldout) / (len(tuning) + len(heldout)) <= 0.35
    for items in (tuning, heldout):
        langs = Counter(i["lang"] for i in items)
        assert 0.4 <= langs["es"] / len(items) <= 0.6
        asking = [i for i in items if i.get("verb") == name]
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


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_a_topic_heldout_part(bot: Bot, capsys: pytest.CaptureFixture[str], name: str) -> None:
    topic = TOPICS[name]
    result = score(bot, load(topic.heldout), f"h-{name}-")
    with capsys.disabled():
        print("\n" + "\n".join(result.lines(f"{name}: held-out part")))
    assert result.rate >= topic.heldout_floor
