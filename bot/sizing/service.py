"""Customer-service staffing: a coverage floor, or Erlang C hour by hour when volumes are given."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.sizing.engine import ceil
from bot.sizing.erlang import ErlangResult, required_agents
from bot.sizing.inputs import SizingInput

#: One pre-sale seat covers up to this many new stores' chats (2–3 concurrent chats is the
#: practical range per agent, and a new store rarely has more than one chat open at a time).
STORES_PER_SEAT = 3
#: Effective handle time divisor for 1–5 concurrent chats (Call Centre Helper, "Erlang C for chat").
CONCURRENCY_FACTOR = {1: 1.0, 2: 1.7, 3: 2.5, 4: 2.9, 5: 3.5}
SHRINKAGE_RANGE = (0.20, 0.35)  # published range for absence, breaks and training


def profile(hours: int) -> list[float]:
    """Share of the day's inquiries in each open hour: rises to a peak about 1.6x the average.

    Assumption (no public intraday profile for marketplace chat); a flat day would understate
    the peak, and Erlang sized on a daily average is wrong (sizing-references.md, section 2).
    """
    weights = [0.6 + math.sin(math.pi * (i + 0.5) / hours) for i in range(hours)]
    total = sum(weights)
    return [w / total for w in weights]


def fte(seat_hours_per_day: float, inp: SizingInput) -> float:
    """Productive FTE for seat-hours per open day, over the week."""
    return seat_hours_per_day * inp.days_open_per_week / (inp.shift_hours * inp.work_days_per_week)


def with_absence(productive: float, shrinkage: float) -> int:
    """Whole people for ``productive`` FTE once absence, breaks and training are added."""
    return ceil(productive / (1 - shrinkage))


def seats_for(stores: int) -> int:
    """Customer-service seats open at any time for ``stores`` new stores."""
    return math.ceil(stores / STORES_PER_SEAT)


@dataclass(frozen=True, slots=True)
class Service:
    """Productive FTE for pre-sale service, and the busiest hour's queue (with volumes)."""

    fte: float
    peak: ErlangResult | None
    peak_contacts: float


def service(inp: SizingInput, stores: int, daily: float | None, peak: float | None) -> Service:
    """The coverage floor, or Erlang C per open hour where that needs more agents."""
    hours = max(1, round(inp.open_hours_per_day))
    seats = seats_for(stores)
    if daily is None and peak is None:
        return Service(fte(seats * inp.open_hours_per_day, inp), None, 0.0)
    shares = profile(hours)
    if daily is None:
        assert peak is not None
        daily = peak / max(shares)
    aht = inp.aht_seconds / CONCURRENCY_FACTOR[inp.concurrency]
    seat_hours = 0.0
    busiest: ErlangResult | None = None
    busiest_contacts = 0.0
    for share in shares:
        contacts = daily * share
        res = required_agents(
            contacts, 3600, aht, inp.service_level, inp.answer_within_seconds, inp.max_occupancy
        )
        seat_hours += max(seats, res.agents) * (inp.open_hours_per_day / hours)
        if busiest is None or contacts > busiest_contacts:
            busiest, busiest_contacts = res, contacts
    return Service(fte(seat_hours, inp), busiest, busiest_contacts)
