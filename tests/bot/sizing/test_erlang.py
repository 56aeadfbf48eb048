"""Erlang C reproduces published golden values (standard contact-centre worked examples)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.sizing.erlang import erlang_b, erlang_c, required_agents, service_level


def test_golden_contact_centre_example() -> None:
    # 100 contacts per 30 min, AHT 180 s, 80% within 20 s, max occupancy 85%, shrinkage 30%.
    r = required_agents(100, 1800, 180, 0.80, 20, max_occupancy=0.85, shrinkage=0.30)
    assert r.load == pytest.approx(10.0)
    assert (r.agents, r.scheduled) == (14, 20)
    assert round(r.service_level, 5) == 0.88835
    assert round(r.occupancy, 4) == 0.7143
    assert round(r.p_wait, 5) == 0.17413
    assert round(r.asa_seconds, 3) == 7.836


def test_golden_chat_example() -> None:
    # 100 chats per hour, AHT 990 s, 80% within 60 s, shrinkage 35%.
    r = required_agents(100, 3600, 990, 0.80, 60, shrinkage=0.35)
    assert r.load == pytest.approx(27.5)
    assert (r.agents, r.scheduled) == (33, 51)


def test_no_contacts_needs_no_agents() -> None:
    r = required_agents(0, 3600, 180, 0.8, 20)
    assert (r.agents, r.scheduled) == (0, 0)


def test_erlang_b_recursion_is_stable_for_large_teams() -> None:
    # Factorials would overflow here; the recursion does not.
    b = erlang_b(2000, 1900.0)
    assert 0 < b < 1 and math.isfinite(b)


@given(
    st.floats(min_value=0.1, max_value=500),
    st.floats(min_value=10, max_value=3600),
    st.floats(min_value=0.5, max_value=0.99),
)
def test_required_agents_meet_the_target(load: float, aht: float, target: float) -> None:
    r = required_agents(load * 3600 / aht, 3600, aht, target, 20)
    assert r.agents > r.load
    assert r.service_level >= target
    # One agent fewer would miss it (or break the occupancy cap of 1.0).
    if r.agents - 1 > r.load:
        assert service_level(r.agents - 1, r.load, aht, 20) < target
    assert 0 <= erlang_c(r.agents, r.load) <= 1
