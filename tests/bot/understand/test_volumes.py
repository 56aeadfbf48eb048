"""Volumes as people write them: multipliers, per day / week / month, live hours, no period."""

from __future__ import annotations

import pytest

from bot.context import default_knowledge
from bot.understand.normalize import normalize
from bot.understand.workload import Workload

U = default_knowledge().understander


def volumes(text: str, lang: str | None = None) -> Workload:
    return U.read(normalize(text), lang).workload  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("how many people for 10 mil pedidos al día", "orders_per_day", 10000),
        ("¿cuántas personas para 10 mil pedidos al día?", "orders_per_day", 10000),
        ("10 thousand orders a day, how many people?", "orders_per_day", 10000),
        ("ten thousand orders a day", "orders_per_day", 10000),
        ("cuántas personas para 3 mil consultas al día", "inquiries_per_day", 3000),
        ("1,5 mil pedidos al día", "orders_per_day", 1500),
        ("1.5k orders per day", "orders_per_day", 1500),
        ("how many agents for 2.5k chats a day", "inquiries_per_day", 2500),
        ("2,5k mensajes diarios", "inquiries_per_day", 2500),
        ("10.000 pedidos al día", "orders_per_day", 10000),
        ("10 000 pedidos al día", "orders_per_day", 10000),
        ("diez mil pedidos al día", "orders_per_day", 10000),
        ("mil consultas por día", "inquiries_per_day", 1000),
        ("like 200 orders a day", "orders_per_day", 200),
        ("unos 300 pedidos al día", "orders_per_day", 300),
        ("500 daily chats", "inquiries_per_day", 500),
        ("2000 chats from customers every day", "inquiries_per_day", 2000),
        ("120 inquiries an hour", "peak_inquiries_per_hour", 120),
        ("120 consultas por hora", "peak_inquiries_per_hour", 120),
    ],
)
def test_volumes_per_day(text: str, field: str, value: float) -> None:
    assert volumes(text).given() == {field: value}


@pytest.mark.parametrize(
    ("text", "field", "amount", "period", "per_day"),
    [
        ("how many people for 10,000 orders a month", "orders_per_day", 10000, "month", 333.3),
        ("10 mil pedidos al mes", "orders_per_day", 10000, "month", 333.3),
        ("10k monthly orders", "orders_per_day", 10000, "month", 333.3),
        ("1.000 pedidos semanales", "orders_per_day", 1000, "week", 142.9),
        ("7000 chats a week", "inquiries_per_day", 7000, "week", 1000),
        ("un millón de consultas al mes", "inquiries_per_day", 1_000_000, "month", 33333.3),
        ("1,5 millones de mensajes al mes", "inquiries_per_day", 1_500_000, "month", 50000),
        ("20 horas de live a la semana", "live_hours_per_day", 20, "week", 2.9),
        ("20 horas de directo semanales", "live_hours_per_day", 20, "week", 2.9),
        ("we go live 3 hours a day", "live_hours_per_day", 3, "day", 3),
        ("20 live hours a week", "live_hours_per_day", 20, "week", 2.9),
        ("3 hours of live streaming a day", "live_hours_per_day", 3, "day", 3),
    ],
)
def test_volumes_per_week_or_month_become_per_day(
    text: str, field: str, amount: float, period: str, per_day: float
) -> None:
    (figure,) = volumes(text).used()
    assert (figure.field, figure.amount, figure.period) == (field, amount, period)
    assert volumes(text).given() == {field: per_day}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("300 orders and 500 chats a day", {"orders_per_day": 300, "inquiries_per_day": 500}),
        ("300 orders a day and 500 chats", {"orders_per_day": 300, "inquiries_per_day": 500}),
        ("3 mil pedidos y 600 consultas al mes", {"orders_per_day": 100, "inquiries_per_day": 20}),
        ("300 orders a day, 120 chats an hour",
         {"orders_per_day": 300, "peak_inquiries_per_hour": 120}),
    ],
)  # fmt: skip
def test_joined_volumes_share_their_period(text: str, expected: dict[str, float]) -> None:
    assert volumes(text).given() == expected


@pytest.mark.parametrize(
    ("text", "kind", "amount"),
    [("how many people for 10 thousand orders", "orders", 10000),
     ("cuántas personas para 10 mil pedidos", "orders", 10000),
     ("500 chats", "inquiries", 500), ("50 orders an hour", "orders", 50),
     ("20 horas de directo", "live_hours", 20)],
)  # fmt: skip
def test_a_volume_without_a_period_is_not_guessed(text: str, kind: str, amount: float) -> None:
    w = volumes(text)
    assert w.given() == {}
    assert [(f.kind, f.amount) for f in w.unread()] == [(kind, amount)]


@pytest.mark.parametrize("text", ["1e309 orders a day", "2² pedidos al día", "1e3 chats a day"])
def test_a_number_that_is_not_one_is_kept_for_a_refusal(text: str) -> None:
    w = volumes(text)
    assert w.given() == {}
    (bad,) = w.unreadable()
    assert bad.typed == text.split()[0]


@pytest.mark.parametrize(
    "text",
    ["what does the operator do all day", "we opened 2 stores in 2024", "24/7 customer service",
     "the 3 designers", "open 16 hours a day"],
)  # fmt: skip
def test_no_volume_where_none_was_given(text: str) -> None:
    assert volumes(text).figures == ()


def test_a_follow_up_volume_replaces_the_same_input_only() -> None:
    first = volumes("300 orders a day and 500 chats a day")
    newer = volumes("and 900 chats a day?")
    assert first.updated(newer).given() == {"orders_per_day": 300, "inquiries_per_day": 900}
