"""Intent scoring on its own: each scorer reads the cues of the vocabulary, the router picks one."""

from __future__ import annotations

import pytest

from bot.context import default_knowledge
from bot.understand import Signals, score_intents
from bot.understand.intents import SCORERS, THRESHOLD
from bot.understand.normalize import normalize
from bot.understand.roles import RoleHit
from knowledge.vocab import INTENTS

PATTERNS = default_knowledge().lexicon.intents


def signals(
    text: str,
    roles: tuple[str, ...] = (),
    stores: int | None = None,
    duty_hit: float = 0.0,
    team: str | None = None,
    typo: bool = False,
) -> Signals:
    words = normalize(text).words
    hits = [RoleHit(r, 0, 1, 90.0 if typo else 100.0, "en") for r in roles]  # type: ignore[arg-type]
    cues = default_knowledge().lexicon.cues.find(words)
    return Signals(" ".join(words), len(words), hits, stores, duty_hit, team, cues)


def test_every_intent_but_unknown_has_a_scorer() -> None:
    assert set(SCORERS) | {"unknown"} == set(INTENTS)


@pytest.mark.parametrize(
    ("text", "kwargs", "intent"),
    [
        ("how many people do I need", {}, "team_size"),
        ("staff for three stores", {"stores": 3}, "team_size"),
        ("copywriter vs content planner", {"roles": ("copywriter", "content_planner")},
         "compare_roles"),
        ("who writes the titles", {"duty_hit": 0.9}, "who_does"),
        ("what does the copywriter do", {"roles": ("copywriter",)}, "role_duties"),
        ("copywriter?", {"roles": ("copywriter",)}, "role_duties"),
        ("which roles does a team need", {}, "team_roles"),
        ("plan add art 2", {}, "plan"),
        ("hola", {}, "help"),
        ("what's the weather tomorrow", {}, "unknown"),
    ],
)  # fmt: skip
def test_the_router_picks_the_best_intent(text: str, kwargs: dict, intent: str) -> None:  # type: ignore[type-arg]
    assert score_intents(PATTERNS, signals(text, **kwargs)).intent == intent


def test_a_greeting_before_a_real_question_is_not_help() -> None:
    scored = score_intents(PATTERNS, signals("hi, what does the anchor do", roles=("anchor",)))
    assert scored.intent == "role_duties" and scored.scores["help"] < scored.score


def test_a_typo_lowers_confidence_but_keeps_the_intent() -> None:
    exact = score_intents(PATTERNS, signals("what does the copywriter do", roles=("copywriter",)))
    typo = score_intents(
        PATTERNS, signals("what does the copywritr do", roles=("copywriter",), typo=True)
    )
    assert typo.intent == exact.intent == "role_duties" and typo.score < exact.score


def test_who_is_the_anchor_asks_about_the_role_not_a_task() -> None:
    s = signals("who is the anchor", roles=("anchor",), duty_hit=0.2)
    assert score_intents(PATTERNS, s).intent == "role_duties"


def test_below_the_threshold_is_unknown() -> None:
    scored = score_intents(PATTERNS, signals("blue bananas"))
    assert scored.intent == "unknown" and scored.score < THRESHOLD
