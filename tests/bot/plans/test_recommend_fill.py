"""``plan recommend`` fills the plan and never overwrites the manager's numbers without asking;
``plan check`` gives every finding its reason and never contradicts itself."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import Bot
from bot.models import Answer, Message
from bot.plans.commands.engine import filled
from bot.plans.service import PlanService
from bot.sizing.engine import size_team
from bot.sizing.inputs import parse_input
from knowledge import ROLE_IDS
from knowledge.vocab import CHANNELS, STAGES

WS = "slack:T1"


def run(bot: Bot, text: str) -> Answer:
    return bot.answer(Message(text=text, platform="slack", workspace="T1", user="U1"))


def lines(answer: Answer) -> str:
    return "\n".join(line for s in answer.sections for line in s.lines)


@pytest.fixture
def manager_plan(bot: Bot) -> Bot:
    """The issue's plan: operations 2 (the engine's range for one store is 1–2), customer
    service 6 and designers 3 (above the range), a general manager and a copywriter."""
    for text in ("plan set operations 2", "plan set customer service 6", "plan add general manager",
                 "plan add copywriter", "plan set designer 3"):  # fmt: skip
        assert not run(bot, text).refusal, text
    return bot


def test_recommend_keeps_the_managers_numbers_and_says_why(
    manager_plan: Bot, plans: PlanService
) -> None:
    before = plans.store.read(WS).roles
    answer = run(manager_plan, "plan recommend")
    text = lines(answer)
    assert plans.store.read(WS).roles == before  # nothing missing or below range: nothing to do
    assert "Nothing to add" in text and "Kept as you set them:" in text
    # Nothing changed, so the answer does not say the plan was updated.
    assert answer.title == "Team plan" and not answer.changed_plan
    assert "• Operations 2 (range 1–2)" in text
    assert "• Customer service 6: above the sizing engine's range 3–4, not lowered" in text
    assert "• Art 3: above the sizing engine's range 1–1, not lowered" in text
    for role in ("General manager 1", "Copywriter 1"):
        assert f"• {role}: optional at this stage – the article lists it among its" in text


def test_recommend_adds_missing_roles_and_raises_those_below_the_range(
    manager_plan: Bot, plans: PlanService
) -> None:
    run(manager_plan, "plan stores 3")  # operations' range becomes 3–6: 2 is below it
    run(manager_plan, "plan channels live")
    text = lines(run(manager_plan, "plan recommend"))
    roles = plans.store.read(WS).roles
    assert roles["operations"] == 3 and "• Operations: 2 → 3 – The article: at least one" in text
    assert roles["customer_service"] == 6 and roles["art"] == 3  # within or above: kept
    assert roles["general_manager"] == 1 and roles["copywriter"] == 1  # not sized: kept
    assert {"content_planner", "video_editor", "anchor", "photographer"} <= set(roles)
    # One reason for the three content roles that share it, said once.
    assert text.count("Content channels need content planning") == 1
    assert "Content planner: 0 → 1, Video editor: 0 → 1, Photographer: 0 → 1 – " in text


@pytest.mark.parametrize(
    ("ask", "confirm", "lang"),
    [
        ("plan recommend replace", "plan recommend replace confirm", "en"),
        ("plan recomendar reemplazar", "plan recomendar reemplazar confirmar", "es"),
    ],
)
def test_replace_asks_first_then_overwrites_and_undo_brings_the_numbers_back(
    manager_plan: Bot, plans: PlanService, ask: str, confirm: str, lang: str
) -> None:
    before = plans.store.read(WS)
    asked = run(manager_plan, ask)
    assert asked.language == lang and not asked.changed_plan
    assert plans.store.read(WS) == before
    text = lines(asked)
    assert "• " in text and ("1 → 0" in text and "6 → 4" in text)  # what would be lost
    assert [s.command for s in asked.suggestions] == ["recommend replace confirm"]
    assert f"`{confirm}`" in text
    done = run(manager_plan, confirm)
    assert done.changed_plan and done.language == lang
    assert plans.store.read(WS).roles == {"operations": 1, "art": 1, "customer_service": 4}
    run(manager_plan, "plan undo")
    assert plans.store.read(WS) == before


def test_replace_on_a_plan_that_already_matches_says_so(bot: Bot, plans: PlanService) -> None:
    assert run(bot, "plan recommend").title == "Team plan updated"
    again = run(bot, "plan recommend replace")
    assert "nothing to replace" in lines(again)
    assert again.title == "Team plan"
    es = bot.answer(Message(text="plan recomendar", platform="slack", workspace="T1", user="U1"))
    assert es.title == "Plan del equipo" and es.language == "es"


def test_check_never_says_not_needed_and_every_finding_has_a_reason(manager_plan: Bot) -> None:
    run(manager_plan, "plan channels live")
    text = lines(run(manager_plan, "plan check"))
    assert "not needed" not in text.lower()
    findings = [line for line in text.splitlines() if line.startswith("• ")]
    assert len(findings) >= 5
    for line in findings:
        # A finding, then its reason: a sentence after the role and its numbers.
        assert re.search(r"(\)\. |\) – |\. )[A-Z]", line) or " – the article" in line, line
    assert "Optional at this stage: General manager (1) – the article lists it" in text
    assert "Optional at this stage: Copywriter (1) – the article lists it" in text
    # The article's content team starts with copywriting planning: with a copywriter in the
    # plan, the missing content planner says the copywriter may cover it (no contradiction).
    missing = next(line for line in text.splitlines() if "Missing: Content planner" in line)
    assert "if your copywriter plans the content, that covers it" in missing


def test_check_in_spanish_says_optional_with_its_reason(manager_plan: Bot) -> None:
    text = lines(run(manager_plan, "plan revisar"))
    assert "Opcional en esta etapa: Gerente general (1) – el artículo lo incluye" in text
    assert "Por encima del rango: Servicio al cliente tiene 6, rango 3–4." in text


plans_st = st.dictionaries(st.sampled_from(ROLE_IDS), st.integers(1, 30), max_size=8)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plans_st,
    st.integers(1, 40),
    st.sampled_from(STAGES),
    st.lists(st.sampled_from(CHANNELS), unique=True, max_size=3),
)
def test_recommend_never_lowers_a_managers_number(
    roles: dict[str, int], stores: int, stage: str, channels: list[str]
) -> None:
    result = size_team(parse_input(stores=stores, stage=stage, channels=channels))
    after = filled(roles, result)  # type: ignore[arg-type]
    for role, have in roles.items():
        assert after[role] >= have, role  # never lowered, never dropped
        size = result.roles.get(role)  # type: ignore[call-overload]
        if size is None or have >= size.min:
            assert after[role] == have, role  # in range, above it, or not sized: kept as is
    for role, size in result.roles.items():
        assert size.min <= after.get(role, 0) or not size.recommended, role  # none left below
