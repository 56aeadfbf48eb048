"""Volumes drive every role they affect, and every number can be redone from the answer's own
figures: the steps a reason states, filled with the numbers it states, give the number shown."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers.common import reason
from bot.sizing.engine import BASES, Reason, SizingResult, size_team
from bot.sizing.erlang import required_agents, service_level
from bot.sizing.inputs import parse_input
from bot.sizing.service import CONCURRENCY_FACTOR, chat_hour
from bot.strings import number


def size(**kw: Any) -> SizingResult:
    return size_team(parse_input(**kw))


def up(x: float) -> int:
    return math.ceil(round(x, 9))


def test_one_chat_at_a_time_is_plain_erlang_c_and_keeps_the_golden_values() -> None:
    # 100 contacts per 30 min = 200 an hour, AHT 180 s, 80% within 20 s, occupancy at most 85%.
    inp = parse_input(stores=1, concurrency=1, aht_seconds=180)
    hour = chat_hour(200, inp)
    assert hour.agents == 14
    assert round(hour.service_level, 5) == 0.88835
    assert round(hour.asa_seconds, 3) == 7.836


def test_several_chats_queue_on_slots_with_the_stretched_handle_time() -> None:
    # Two chats at once take 1.7 chats' effort (Call Centre Helper), so each chat holds its slot
    # 180 × 2 ÷ 1.7 s; the agents are the slots needed, two per agent, rounded up.
    inp = parse_input(stores=1)
    hold = 180 * 2 / CONCURRENCY_FACTOR[2]
    slots = required_agents(40.3, 3600, hold, 0.8, 20, 0.85).agents
    hour = chat_hour(40.3, inp)
    assert hour.agents == math.ceil(slots / 2)
    load = 40.3 * hold / 3600
    assert hour.service_level == pytest.approx(service_level(hour.agents * 2, load, hold, 20))
    # The agents' workload is the published contacts × AHT ÷ CF.
    assert hour.occupancy == pytest.approx(40.3 * 180 / 1.7 / 3600 / hour.agents)


def test_ten_thousand_orders_a_day_is_not_four_customer_service() -> None:
    r = size(stores=1, orders_per_day=10_000)
    cs = r.roles["customer_service"]
    assert cs.recommended > 40 and cs.basis == "queueing"
    steps = [m.key for m in cs.why.more]
    assert "step.customer_service.from_orders" in steps  # chats from orders, stated
    assert "step.customer_service.cases" in steps  # after-sales work, in the same team
    assert "step.customer_service.vs_article.more" in steps  # why it is not the article's 4
    assert r.roles["warehouse_packer"].recommended == 91
    assert r.roles["warehouse_manager"].recommended == 1
    text = reason("en", cs.why)
    assert "0.3 chats per order" in text and "6% cases" in text


def test_two_stores_with_three_thousand_orders_staff_customer_service_from_them() -> None:
    r = size(stores=2, channels=["live", "xiaohongshu"], orders_per_day=3000)
    assert r.roles["customer_service"].recommended > 4
    assert r.roles["warehouse_packer"].recommended == 28


def test_five_hundred_chats_are_staffed_hour_by_hour_not_at_the_peak_all_day() -> None:
    r = size(stores=1, inquiries_per_day=500)
    assert len(r.hourly) == 16 and min(r.hourly) < max(r.hourly)
    cs = r.roles["customer_service"]
    text = reason("en", cs.why)
    assert "+".join(map(str, r.hourly)) in text
    assert "about 4 for one new store" in text


def test_a_small_volume_matches_the_articles_four() -> None:
    cs = size(stores=1, inquiries_per_day=20).roles["customer_service"]
    assert cs.recommended == 4 and cs.basis == "article"
    assert cs.why.more[-1].key == "step.customer_service.vs_article.same"


def test_mature_team_supervisors_only_when_the_span_calls_for_one() -> None:
    # 4 pre-sale and 2 after-sale agents: no supervisor yet, and the answer says why.
    r = size(stores=1, stage="mature", inquiries_per_day=200)
    assert r.roles["customer_service"].recommended < 8
    for role in ("presale_supervisor", "aftersales_supervisor"):
        sup = r.roles[role]
        assert sup.recommended == 0 and sup.why.key == "why.supervisor.not_yet"
    big = size(stores=3, stage="mature", inquiries_per_day=4000)
    agents = big.roles["customer_service"].recommended
    assert big.roles["presale_supervisor"].recommended == math.ceil(agents / 12)
    assert size(stores=3, stage="mature", inquiries_per_day=4000, span_of_control=8).roles[
        "presale_supervisor"
    ].recommended == math.ceil(agents / 8)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_mature_answers_carry_no_new_store_lines_and_no_list_number_as_headcount(
    lang: str,
) -> None:
    r = size(stores=2, stage="mature", inquiries_per_day=900, orders_per_day=800)
    lines = [reason(lang, x.why) for x in r.roles.values()]  # type: ignore[arg-type]
    lines += [reason(lang, x) for x in [*r.assumptions, *r.caveats]]  # type: ignore[arg-type]
    text = " ".join(lines).lower()
    for phrase in ("new store", "tienda nueva", "tiendas nuevas", "about 4", "unos 4", "exactly"):
        assert phrase not in text
    assert "rule" in reason("en", r.roles["operations_director"].why)


def test_every_role_says_what_decided_it() -> None:
    r = size(stores=3, stage="mature", channels=["live"], orders_per_day=500)
    assert {x.basis for x in r.roles.values()} <= set(BASES)
    assert r.roles["operations"].basis == "article"


def _numbers(why: Reason) -> list[float]:
    return [
        v
        for m in (why, *why.more)
        for v in m.params.values()
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]


def _people(p: dict[str, Any]) -> None:
    """seat-hours × days ÷ (shift × work days) = at work; ÷ (1 − absence) = n, from the text."""
    assert round(p["hours"] * p["days"] / (p["shift"] * p["work"]), 2) == pytest.approx(p["fte"])
    assert up(p["fte"] / (1 - p["shrink"] / 100)) == p["n"]


def _check(r: SizingResult) -> None:
    """Redo every stated step from the stated figures."""
    for rid, size_ in r.roles.items():
        why, p = size_.why, size_.why.params
        text = reason("en", why)
        for value in _numbers(why):
            assert number("en", value) in text, (rid, value, text)
        if "fte" in p:
            _people(p)
        if why.key == "why.customer_service.hourly":
            assert sum(int(h) for h in str(p["hourly"]).split("+")) == pytest.approx(p["hours"])
        if why.key == "why.warehouse_packer.orders":
            assert round(p["orders"] / p["rate"], 1) == pytest.approx(p["hours"])
        if why.key == "why.after_sales.orders":
            work = p["cases"] * p["min"] / 60 / (p["occ"] / 100)
            assert round(max(p["cover"], work), 1) == pytest.approx(p["hours"], abs=0.11)
        if why.key == "why.supervisor":
            assert up(p["agents"] / p["span"]) == p["n"]
        if why.key == "why.hr":
            assert round(p["others"] * p["per"] / 100, 2) == pytest.approx(p["raw"])
            assert max(1, up(p["raw"])) == p["n"]
        # The last step that states a count states the role's number.
        stated = [m.params["n"] for m in (why, *why.more) if "n" in m.params]
        if stated:
            assert stated[-1] == size_.recommended, (rid, why)
        if why.key == "step.customer_service.separate":
            assert p["each"] * p["stores"] == p["n"]


inputs = st.fixed_dictionaries(
    {"stores": st.integers(1, 60), "stage": st.sampled_from(["new", "mature"])},
    optional={
        "orders_per_day": st.integers(0, 50_000),
        "inquiries_per_day": st.integers(0, 20_000),
        "concurrency": st.integers(1, 5),
        "return_rate": st.sampled_from([0.02, 0.05, 0.1]),
        "span_of_control": st.integers(4, 20),
        "shrinkage": st.sampled_from([0.2, 0.3, 0.35]),
        "days_open_per_week": st.integers(5, 7),
        "pooled": st.booleans(),
    },
)


@settings(max_examples=60, deadline=None)
@given(inputs)
def test_every_figure_can_be_redone_from_the_answers_own_numbers(kw: dict[str, Any]) -> None:
    _check(size(**kw))


@settings(max_examples=60, deadline=None)
@given(inputs, st.integers(1, 20_000))
def test_more_orders_never_give_fewer_service_after_sales_or_packing(
    kw: dict[str, Any], more: int
) -> None:
    # From "no orders given" to some, an assumption is replaced by a figure: compare figures.
    orders = kw.get("orders_per_day", 0)
    base = size(**dict(kw, orders_per_day=orders))
    bigger = size(**dict(kw, orders_per_day=orders + more))
    for role in ("customer_service", "after_sales", "warehouse_packer"):
        before, after = base.roles.get(role), bigger.roles.get(role)
        assert (after.recommended if after else 0) >= (before.recommended if before else 0), role
