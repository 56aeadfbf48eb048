"""The workspace plan holds its own sizing ratios: ``plan returns 5%``, ``plan chats-per-order``.

Every later sizing answer that reads the plan uses them, and says so; a ratio the question
gives itself wins over the plan's.
"""

from __future__ import annotations

from bot.core import Bot
from bot.models import Answer, Message
from bot.plans.service import PlanService
from bot.plans.state import PlanState
from bot.render import to_text

WS = "slack:T1"


def run(bot: Bot, text: str) -> Answer:
    return bot.answer(Message(text=text, platform="slack", workspace="T1", user="U1"))


def test_plan_ratios_are_set_shown_undone_and_cleared(bot: Bot, plans: PlanService) -> None:
    done = run(bot, "plan returns 5%")
    assert not done.refusal, to_text(done)
    assert "Sizing ratio: not set → 5% of orders returned or complained about." in to_text(done)
    assert not run(bot, "plan chats-per-order 0.5").refusal
    assert plans.store.read(WS).ratios == {"return_rate": 0.05, "inquiries_per_order": 0.5}
    shown = to_text(run(bot, "plan show"))
    assert "Sizing ratios: 0.5 chats per order and 5% of orders returned" in shown, shown
    assert not run(bot, "plan undo").refusal
    assert plans.store.read(WS).ratios == {"return_rate": 0.05}
    assert not run(bot, "plan returns none").refusal
    assert plans.store.read(WS).ratios == {}
    history = to_text(run(bot, "plan history"))
    assert "returns none" in history and "chats-per-order 0.5" in history, history


def test_spanish_words_set_the_same_ratios(bot: Bot, plans: PlanService) -> None:
    done = run(bot, "plan devoluciones 8%")
    assert not done.refusal and done.language == "es", to_text(done)
    assert "8 % de pedidos con devolución o reclamo" in to_text(done)
    assert not run(bot, "plan consultas-por-pedido 0,4").refusal
    assert plans.store.read(WS).ratios == {"return_rate": 0.08, "inquiries_per_order": 0.4}


def test_a_ratio_out_of_range_is_refused_politely(bot: Bot, plans: PlanService) -> None:
    for text in ("plan returns 150%", "plan chats-per-order 9", "plan returns lots"):
        answer = run(bot, text)
        assert answer.refusal, text
        assert "Traceback" not in to_text(answer)
    assert plans.store.read(WS).ratios == {}


def test_old_plan_rows_without_ratios_still_load() -> None:
    old = {"stores": 2, "stage": "new", "channels": [], "roles": {"art": 1}}
    assert PlanState.model_validate(old).ratios == {}


def test_sizing_from_the_plan_uses_its_ratios_and_says_so(bot: Bot) -> None:
    before = to_text(run(bot, "how many people for 10,000 orders a day?"))
    run(bot, "plan returns 2%")
    run(bot, "plan chats-per-order 0.1")
    after = run(bot, "how many people for 10,000 orders a day?")
    text = to_text(after)
    assert "From your team plan: 0.1 chats per order and 2% of orders returned" in text, text
    assert text != before
    # The plan's ratios are the workspace's, not assumptions the answer lists.
    assert "0.3 chats per order" not in text and "0.3 chats per order" in before, before


def test_a_ratio_in_the_question_wins_over_the_plan(bot: Bot) -> None:
    run(bot, "plan returns 2%")
    text = to_text(run(bot, "how many people for 10,000 orders a day with 9% returns?"))
    assert "9% of orders returned" in text, text
    assert "2% of orders returned" not in text, text
