"""The runner's own verdicts: a wrong expectation fails, a marked defect that still fails is an
expected failure, a marked defect that passes fails, and the language check tells the two
languages apart. Without these, a runner that checked nothing would pass every conversation."""

from __future__ import annotations

from typing import Any

import pytest

from bot.strings import t
from tests.conversations.checks import Seen, written_in
from tests.conversations.runner import Outcome, verify
from tests.conversations.script import Conversation, Turn, conversations
from tests.conversations.surfaces import CoreSurface

SCRIPT = next(c for c in conversations() if c.id == "en-new-shopify-seller")


def _changed(n: int, **changes: Any) -> Conversation:
    """The script with turn ``n`` (from 1) expecting something else."""
    turns = list(SCRIPT.turns)
    turn = turns[n - 1]
    turns[n - 1] = Turn.model_validate(turn.model_dump(exclude_unset=True) | changes)
    return SCRIPT.model_copy(update={"turns": turns})


async def _verdict(conversation: Conversation) -> Outcome:
    seen: list[Seen] = await CoreSurface().play(conversation)
    return verify("core", conversation, seen)


async def test_the_script_as_written_passes() -> None:
    outcome = await _verdict(SCRIPT)
    assert outcome == Outcome()


@pytest.mark.parametrize(
    ("n", "changes", "problem"),
    [(1, {"lang": "es"}, "answer language en, expected es"),
     (1, {"lang": "es"}, "the text is not clearly in es"),
     (2, {"stores": 3}, "stores 2, expected 3"),
     (2, {"context": "asked"}, "read with an earlier question"),
     (2, {"context": "fresh"}, "read with an earlier question"),
     (1, {"context": "previous"}, "no earlier question was used"),
     (3, {"channels": []}, "channels ['live'], expected []"),
     (5, {"small_talk": "bye"}, "not small talk 'bye'")],
)  # fmt: skip
async def test_a_wrong_expectation_fails(n: int, changes: dict[str, Any], problem: str) -> None:
    outcome = await _verdict(_changed(n, **changes))
    assert any(problem in failure for failure in outcome.failures), outcome.failures
    assert not outcome.known and not outcome.fixed


async def test_a_marked_defect_is_expected_while_it_fails_and_fails_once_fixed() -> None:
    still = await _verdict(_changed(2, stores=3, defect="reads 2 stores"))
    assert still.known and not still.failures and not still.fixed
    fixed = await _verdict(_changed(2, defect="reads 2 stores"))
    assert fixed.fixed and not fixed.failures


async def test_a_console_may_close_only_at_the_last_turn() -> None:
    seen = await CoreSurface().play(SCRIPT)
    seen[2] = Seen(text="", title="", ended=True)
    assert verify("console", SCRIPT, seen).failures


@pytest.mark.parametrize("key", ["smalltalk.thanks", "smalltalk.ok", "help.title", "plan.empty"])
def test_the_language_check_tells_the_catalogues_apart(key: str) -> None:
    en, es = t("en", key), t("es", key)
    assert written_in(en, "en") and not written_in(en, "es")
    assert written_in(es, "es") and not written_in(es, "en")
