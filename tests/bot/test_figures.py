"""Sizing answers state the figures they understood, fill the entities, and refuse bad numbers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.answers.figures import understood_lines
from bot.core import Bot
from bot.models import Answer, Message
from bot.plans.service import PlanService
from bot.render import to_text
from bot.requests import SizeTeam
from bot.sizing.engine import size_team
from bot.sizing.inputs import parse_input
from bot.strings import number

Ask = Callable[..., Answer]


def first_line(answer: Answer) -> str:
    return answer.sections[0].lines[0]


def sized(bot: Bot, text: str) -> SizeTeam:
    request = bot.parse(Message(text=text))
    assert isinstance(request, SizeTeam)
    return request


def total_for(bot: Bot, stores: int) -> int:
    return size_team(parse_input(stores=stores), bot.knowledge.vocab).total[2]


@pytest.mark.parametrize(
    ("text", "lang", "orders"),
    [("how many people for 10 thousand orders a day?", "en", 10000),
     ("¿cuántas personas para 10 mil pedidos al día?", "es", 10000),
     ("¿cuántas personas para 1,5 mil pedidos al día?", "es", 1500),
     ("how many people for 2.5k orders a day?", "en", 2500)],
)  # fmt: skip
def test_the_answer_states_the_volume_it_understood(
    ask: Ask, text: str, lang: str, orders: float
) -> None:
    answer = ask(text)
    assert (answer.intent, answer.language) == ("team_size", lang)
    assert answer.entities.orders_per_day == orders
    # First, in the reply language's number format ("10,000" / "10.000").
    assert number(answer.language, orders) in first_line(answer)


@pytest.mark.parametrize(
    ("text", "amount", "per_day"),
    [("how many people for 10,000 orders a month?", 10000, 333.3),
     ("¿cuántas personas para 10 mil pedidos al mes?", 10000, 333.3),
     ("how many people for 7,000 orders a week?", 7000, 1000)],
)  # fmt: skip
def test_volumes_per_week_or_month_are_sized_per_day_and_say_so(
    ask: Ask, bot: Bot, text: str, amount: float, per_day: float
) -> None:
    assert sized(bot, text).input.orders_per_day == per_day
    answer = ask(text)
    assert answer.entities.orders_per_day == per_day
    line, lang = first_line(answer), answer.language
    assert number(lang, amount) in line and number(lang, round(per_day)) in line


def test_inquiries_are_reported_per_day(ask: Ask) -> None:
    answer = ask("how many agents for 2.5k chats a day and 300 orders a day?")
    assert (answer.entities.inquiries_per_day, answer.entities.orders_per_day) == (2500, 300)
    answer = ask("¿cuántos agentes para 3 mil consultas a la semana?")
    assert answer.entities.inquiries_per_day == pytest.approx(3000 / 7, abs=0.05)


def test_live_hours_per_week_become_live_hours_per_day(bot: Bot, ask: Ask) -> None:
    text = "¿cuántas personas para 2 tiendas con 20 horas de live a la semana?"
    request = sized(bot, text)
    assert request.input.live_hours_per_day == 2.9  # 20 ÷ 7, not the 2 h default
    assert "live" in request.input.channels
    assert "20" in first_line(ask(text))


@pytest.mark.parametrize(
    ("text", "options"),
    [("how many people for 2 or 3 stores?", [2, 3]),
     ("¿cuántas personas para dos o tres tiendas?", [2, 3]),
     ("¿cuántas personas para 3-4 tiendas?", [3, 4])],
)  # fmt: skip
def test_several_store_counts_are_all_answered(
    ask: Ask, bot: Bot, text: str, options: list[int]
) -> None:
    answer = ask(text)
    assert answer.entities.store_options == options and answer.entities.stores == options[0]
    # The table is for the first; the first line gives each option's total from the engine.
    assert sized(bot, text).input.stores == options[0]
    line = first_line(answer)
    for n in options:
        assert f"{total_for(bot, n)}" in line and str(n) in line


@pytest.mark.parametrize(
    ("text", "typed", "options"),
    [("how many people for 1.5 stores?", "1.5", [1, 2]),
     ("¿cuántas personas para 2,5 tiendas?", "2,5", [2, 3])],
)  # fmt: skip
def test_a_fraction_of_a_store_says_stores_are_whole(
    ask: Ask, bot: Bot, text: str, typed: str, options: list[int]
) -> None:
    answer = ask(text)
    assert answer.entities.store_options == options and answer.entities.stores == options[0]
    assert sized(bot, text).input.stores == options[0]  # never 5 ("1.5" is not "15" or "5")
    assert typed in first_line(answer)


@pytest.mark.parametrize(
    ("text", "lang", "given", "allowed"),
    [("how many people for 1e309 stores?", "en", "1e309", "500"),
     ("¿cuántas personas para 1e309 tiendas?", "es", "1e309", "500"),
     ("how many people for 2² stores?", "en", "2²", "500"),
     ("how many people for 2 or 600 stores?", "en", "600", "500"),
     ("how many people for 1e309 orders a day?", "en", "1e309", "1,000,000"),
     ("¿cuántas personas para 5 millones de pedidos al día?", "es", "5.000.000", "1.000.000")],
)  # fmt: skip
def test_absurd_numbers_are_refused_naming_the_range(
    ask: Ask, text: str, lang: str, given: str, allowed: str
) -> None:
    answer = ask(text)
    assert answer.refusal and (answer.intent, answer.language) == ("team_size", lang)
    assert given in to_text(answer) and allowed in to_text(answer)


def test_a_refused_figure_changes_nothing(ask: Ask) -> None:
    ask("how many people for 2 stores and 300 orders a day?", user="ana")
    assert ask("how many people for 1e309 stores?", user="ana").refusal
    answer = ask("and with live streaming?", user="ana")
    assert (answer.entities.stores, answer.entities.orders_per_day) == (2, 300)


def test_follow_ups_keep_the_store_options(ask: Ask) -> None:
    ask("how many people for 2 or 3 stores?", user="ana")
    answer = ask("and with live streaming?", user="ana")
    assert (answer.entities.store_options, answer.entities.channels) == ([2, 3], ["live"])


@pytest.mark.parametrize(
    ("text", "shown"),
    [("how many people for 10 thousand orders?", "10,000"),
     ("¿cuántas personas para 10 mil pedidos?", "10.000")],
)  # fmt: skip
def test_a_volume_without_a_period_is_asked_about_not_guessed(
    ask: Ask, bot: Bot, text: str, shown: str
) -> None:
    assert sized(bot, text).input.orders_per_day is None
    answer = ask(text)
    assert answer.entities.orders_per_day is None
    assert shown in first_line(answer)


def test_a_count_per_store_is_not_a_store_count(bot: Bot) -> None:
    request = bot.parse(Message(text="¿necesito un operador por tienda? tengo dos"))
    assert request.entities.stores == 2
    request = bot.parse(Message(text="how many people for 2 people per store?"))
    assert request.entities.stores is None


def test_a_plain_store_count_needs_no_extra_line(bot: Bot) -> None:
    # The title already says "Team for 2 stores".
    assert understood_lines(bot.knowledge, sized(bot, "how many people for two stores?")) == []


@pytest.mark.parametrize(
    ("command", "lang", "key_words"),
    [("plan stores 1.5", "en", ["plan stores 1", "plan stores 2"]),
     ("plan tiendas 2,5", "es", ["plan tiendas 2", "plan tiendas 3"]),
     ("plan stores 2 or 3", "en", ["plan stores 2", "plan stores 3"]),
     ("plan tiendas dos o tres", "es", ["plan tiendas 2", "plan tiendas 3"]),
     ("plan stores ²", "en", ["500"]), ("plan stores 1e309", "en", ["500"]),
     ("plan tiendas 99999999999999999999", "es", ["500"])],
)  # fmt: skip
def test_plan_store_counts_that_are_not_one_whole_number_change_nothing(
    ask: Ask, plans: PlanService, command: str, lang: str, key_words: list[str]
) -> None:
    ask("plan stores 3")
    answer = ask(command)
    assert answer.refusal and answer.language == lang and not answer.changed_plan
    for words in key_words:
        assert words in to_text(answer)
    assert plans.store.read("local:local").stores == 3
