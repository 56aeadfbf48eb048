"""Salary and currency said in plain words run ``plan salary`` / ``plan currency``."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.models import Answer, Message
from bot.plans.service import PlanService, workspace_key

Ask = Callable[..., Answer]


def lines(answer: Answer) -> list[str]:
    return [line for s in answer.sections for line in s.lines]


@pytest.mark.parametrize(
    ("text", "role", "amount", "ran"),
    [
        ("set the art salary to 6000", "art", 6000, "Ran `/shopcrew plan salary art 6000`."),
        ("art costs 6000 a month", "art", 6000, "Ran `/shopcrew plan salary art 6000`."),
        ("set the art salary to 6,000", "art", 6000, "Ran `/shopcrew plan salary art 6000`."),
        ("el sueldo del diseñador es 5500", "art", 5500,
         "Ejecuté `/shopcrew plan sueldo arte 5500`."),
    ],
)  # fmt: skip
def test_a_salary_in_plain_words_sets_it(
    ask: Ask, plans: PlanService, text: str, role: str, amount: int, ran: str
) -> None:
    answer = ask(text)
    assert ran in lines(answer)
    state = plans.store.read(workspace_key(Message(text="")))
    assert state.salaries == {role: amount}


@pytest.mark.parametrize("text", ["our currency is MXN", "usamos pesos mexicanos"])
def test_a_currency_in_plain_words_sets_it(ask: Ask, plans: PlanService, text: str) -> None:
    answer = ask(text)
    assert any("currency MXN" in line or "moneda MXN" in line for line in lines(answer))
    assert plans.store.read(workspace_key(Message(text=""))).currency == "MXN"


@pytest.mark.parametrize(
    "text",
    ["how much does a designer cost?", "what salary for a designer", "we use pesos",
     "we use all the designers", "art and copy cost 6000 a month"],
)  # fmt: skip
def test_questions_and_unclear_figures_change_nothing(
    ask: Ask, plans: PlanService, text: str
) -> None:
    ask(text)
    state = plans.store.read(workspace_key(Message(text="")))
    assert not state.salaries and state.currency is None
