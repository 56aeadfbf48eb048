"""Ratios given in chat replace the sizing engine's assumptions, and the answer says they are
the user's: "with 5% returns", "0.5 chats per order", "3 chats at once"."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.core import Bot
from bot.models import Answer, Message
from bot.render import to_text
from bot.requests import SizeTeam
from bot.sizing.engine import size_team

Ask = Callable[..., Answer]


def sized(bot: Bot, text: str) -> SizeTeam:
    request = bot.parse(Message(text=text))
    assert isinstance(request, SizeTeam), request
    return request


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [("how many people for 2 stores with 3000 orders a day and 5% returns", "return_rate", 0.05),
     ("cuántas personas para 2 tiendas con 3000 pedidos al día y con 5% de devoluciones",
      "return_rate", 0.05),
     ("how many people for 3000 orders a day with a 4% return rate?", "return_rate", 0.04),
     ("equipo para 2 tiendas, 2000 pedidos al día, tasa de devolución del 8%",
      "return_rate", 0.08),
     ("how many people for 1000 orders a day and 0.5 chats per order?",
      "inquiries_per_order", 0.5),
     ("¿cuántas personas para 1000 pedidos al día y 0,5 consultas por pedido?",
      "inquiries_per_order", 0.5),
     ("how many agents for 500 chats a day if each agent handles 3 chats at once?",
      "concurrency", 3),
     ("¿cuántos agentes para 500 chats al día? cada uno atiende 3 chats a la vez",
      "concurrency", 3)],
)  # fmt: skip
def test_a_ratio_in_the_question_reaches_the_engine(
    bot: Bot, text: str, field: str, value: float
) -> None:
    request = sized(bot, text)
    assert getattr(request.input, field) == value
    assert field in request.input.model_fields_set  # the user's, not the default


def test_a_ratio_is_not_read_as_a_volume(bot: Bot) -> None:
    # "0.5 chats per order" and "3 chats at once" are not chats a day with no period.
    request = sized(bot, "how many people for 1000 orders a day and 0.5 chats per order?")
    assert request.input.inquiries_per_day is None
    assert "day, a week or a month" not in to_text(bot.handle(request))
    request = sized(bot, "how many agents for 500 chats a day, 3 chats at once?")
    assert request.input.inquiries_per_day == 500


def test_the_answer_states_the_ratio_as_the_users(ask: Ask) -> None:
    text = to_text(ask("how many people for 2 stores with 3000 orders a day and 5% returns"))
    assert "For 3,000 orders a day and 5% of orders returned or complained about." in text
    text = to_text(ask("¿cuántos agentes para 500 chats al día? 3 chats a la vez"))
    assert "3 chats a la vez por agente" in text
    assert "Supuesto" not in text or "2 chats a la vez" not in text


def test_the_ratio_changes_the_sizing(bot: Bot) -> None:
    def customer_service(text: str) -> int:
        result = size_team(sized(bot, text).input, bot.knowledge.vocab)
        return result.roles["customer_service"].recommended

    base = customer_service("how many people for 2000 orders a day?")
    assert customer_service("how many people for 2000 orders a day and 0.9 chats per order?") > base
    assert customer_service("how many people for 2000 orders a day and 0.1 chats per order?") < base


def test_the_details_name_the_ratio_as_the_users_figure(ask: Ask) -> None:
    ask("how many people for 2000 orders a day with 5% returns", user="ana")
    text = to_text(ask("why?", user="ana"))
    assert "5% of orders become after-sales cases" in text
    assert "your figures where you gave them" in text


@pytest.mark.parametrize(
    ("text", "given", "allowed"),
    [("how many people for 3000 orders a day and 150% returns", "150%", "0%–100%"),
     ("cuántas personas para 3000 pedidos al día con 120% de devoluciones", "120%", "0%–100%"),
     ("how many agents for 500 chats a day, 9 chats at once", "9", "1–5"),
     ("how many people for 300 orders a day and 8 chats per order", "8", "0–5")],
)  # fmt: skip
def test_out_of_range_ratios_are_refused_with_the_range(
    ask: Ask, text: str, given: str, allowed: str
) -> None:
    answer = ask(text)
    assert answer.refusal and answer.intent == "team_size"
    assert given in to_text(answer) and allowed in to_text(answer)


def test_a_follow_up_changes_the_ratio_of_the_last_question(ask: Ask) -> None:
    ask("how many people for 2 stores with 3000 orders a day and 5% returns", user="ana")
    answer = ask("and with 3% returns?", user="ana")
    text = to_text(answer)
    assert answer.entities.stores == 2 and answer.entities.orders_per_day == 3000
    assert "3% of orders returned" in text and "5%" not in text


def test_a_follow_up_keeps_the_ratio(ask: Ask) -> None:
    ask("how many people for 2000 orders a day and 0.5 chats per order?", user="bo")
    answer = ask("and with live streaming?", user="bo")
    assert "0.5 chats per order" in to_text(answer)


@pytest.mark.parametrize(
    "text",
    ["how many people for 2 stores with 3000 orders a day and 5% returns",
     "cuántas personas para 2 tiendas con 3000 pedidos al día y con 5% de devoluciones",
     "how many people for 3000 orders a day with a 4% return rate?",
     "how many people for 1000 orders a day and 0.5 chats per order?"],
)  # fmt: skip
def test_a_ratio_does_not_single_out_a_role(bot: Bot, text: str) -> None:
    # "5% returns" gives a figure for the whole team, not the task of the packer.
    request = sized(bot, text)
    assert request.focus == []
    text = to_text(bot.handle(request))
    # The focus line ("Warehouse packer: 28 (range 18–33)") above the table.
    assert not re.search(r"\w: \d+ \(rang[eo] ", text), text


def test_a_task_with_a_ratio_still_singles_out_its_role(bot: Bot) -> None:
    # The ratio's words go; the task's stay: "to pack 1,500 orders a week" asks about packers.
    request = sized(bot, "how many people to pack 1,500 orders a week with 5% returns?")
    assert request.focus == ["warehouse_packer"]
