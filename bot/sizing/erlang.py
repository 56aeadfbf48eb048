"""Erlang C for customer-service staffing: the standard queueing formulas, Erlang B by recursion."""

from __future__ import annotations

import math
from dataclasses import dataclass


def _ceil(x: float) -> int:
    # 14 / 0.7 is 20.000000000000004 in binary floating point: round away the noise first.
    return math.ceil(round(x, 9))


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability by the stable recursion B(n) = A·B(n−1) / (n + A·B(n−1))."""
    b = 1.0
    for n in range(1, agents + 1):
        b = load * b / (n + load * b)
    return b


def erlang_c(agents: int, load: float) -> float:
    """Probability that a contact waits, for ``agents`` > ``load``."""
    if agents <= load:
        return 1.0
    b = erlang_b(agents, load)
    return agents * b / (agents - load * (1 - b))


def service_level(agents: int, load: float, aht: float, target_seconds: float) -> float:
    """Share of contacts answered within ``target_seconds``."""
    if load <= 0:
        return 1.0
    if agents <= load:
        return 0.0
    return 1 - erlang_c(agents, load) * math.exp(-(agents - load) * target_seconds / aht)


@dataclass(frozen=True, slots=True)
class ErlangResult:
    """Agents needed in one interval and what they achieve."""

    load: float
    agents: int
    scheduled: int
    service_level: float
    occupancy: float
    p_wait: float
    asa_seconds: float


def required_agents(
    contacts: float,
    interval_seconds: float,
    aht: float,
    target_sl: float,
    target_seconds: float,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
) -> ErlangResult:
    """Smallest agent count meeting the service level and occupancy cap, and the scheduled staff."""
    load = contacts * aht / interval_seconds
    if load <= 0:
        return ErlangResult(0.0, 0, 0, 1.0, 0.0, 0.0, 0.0)
    # Service level rises with every agent above the load, so binary-search the smallest count
    # (a linear walk is O(n^2) for the large loads of a 500-store team).
    low = max(1, math.floor(load) + 1)
    high = low
    while service_level(high, load, aht, target_seconds) < target_sl:
        high = low + 2 * (high - low) + 1
    while low < high:
        mid = (low + high) // 2
        if service_level(mid, load, aht, target_seconds) >= target_sl:
            high = mid
        else:
            low = mid + 1
    agents = low
    agents = max(agents, _ceil(load / max_occupancy))
    p_wait = erlang_c(agents, load)
    return ErlangResult(
        load=load,
        agents=agents,
        scheduled=_ceil(agents / (1 - shrinkage)),
        service_level=service_level(agents, load, aht, target_seconds),
        occupancy=load / agents,
        p_wait=p_wait,
        asa_seconds=p_wait * aht / (agents - load),
    )
