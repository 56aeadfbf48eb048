"""Customer-service staffing: a coverage floor, or queueing hour by hour when volumes are given.

Every step rounds the figure it shows (seat-hours to 0.1, people at work to 0.01) and carries on
from the rounded figure, so a manager who redoes the sum from the answer's own numbers gets the
answer's number.

Chats, several at once. An agent with ``k`` chats open works each one more slowly: Call Centre
Helper's concurrency factors say ``k`` chats take the effort of ``CF(k)`` single ones (1.7 for
two). Queueing is Erlang C on chat *slots*: an agent is ``k`` slots, a chat waits only when every
slot is busy, and a chat holds its slot ``AHT × k ÷ CF(k)`` seconds (the stretched handle time).
The agents' workload is then the published ``contacts × AHT ÷ CF(k)``, and one chat at a time is
plain Erlang C (the golden examples).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.sizing.engine import ceil
from bot.sizing.erlang import erlang_c, required_agents, service_level
from bot.sizing.inputs import SizingInput

#: One customer-service seat covers up to this many new stores' chats (2–3 concurrent chats is the
#: practical range per agent, and a new store rarely has more than one chat open at a time).
STORES_PER_SEAT = 3
#: Chats handled at once -> how many single chats' effort they take (Call Centre Helper).
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


@dataclass(frozen=True, slots=True)
class People:
    """Seat-hours a day made into people: at work (rounded to 0.01), then with absence."""

    seat_hours: float
    at_work: float
    people: int


def people(seat_hours: float, inp: SizingInput, shrinkage: float | None = None) -> People:
    """Seat-hours per open day -> people at work over the week -> people with absence."""
    hours = round(seat_hours, 1)
    at_work = round(hours * inp.days_open_per_week / (inp.shift_hours * inp.work_days_per_week), 2)
    shrink = inp.shrinkage if shrinkage is None else shrinkage
    return People(hours, at_work, ceil(at_work / (1 - shrink)))


def fte(seat_hours_per_day: float, inp: SizingInput) -> float:
    """People at work (productive FTE) for seat-hours per open day, over the week."""
    return people(seat_hours_per_day, inp).at_work


def with_absence(productive: float, shrinkage: float) -> int:
    """Whole people for ``productive`` FTE once absence, breaks and training are added."""
    return ceil(productive / (1 - shrinkage))


def seats_for(stores: int) -> int:
    """Customer-service seats open at any time for ``stores`` stores."""
    return math.ceil(stores / STORES_PER_SEAT)


@dataclass(frozen=True, slots=True)
class Hour:
    """One hour's chats and what the agents on duty achieve."""

    contacts: float
    agents: int
    service_level: float
    occupancy: float
    asa_seconds: float


def slot_seconds(inp: SizingInput) -> float:
    """How long a chat holds one of an agent's slots: AHT × k ÷ CF(k)."""
    k = inp.concurrency
    return inp.aht_seconds * k / CONCURRENCY_FACTOR[k]


def chat_hour(contacts: float, inp: SizingInput) -> Hour:
    """Agents for one hour's chats: Erlang C on ``agents × k`` slots (see the module docstring)."""
    k, hold = inp.concurrency, slot_seconds(inp)
    target, within = inp.service_level, inp.answer_within_seconds
    slots = required_agents(contacts, 3600, hold, target, within, inp.max_occupancy).agents
    agents = ceil(slots / k)
    if agents == 0:
        return Hour(contacts, 0, 1.0, 0.0, 0.0)
    load, servers = contacts * hold / 3600, agents * k
    wait = erlang_c(servers, load) * hold / (servers - load)
    return Hour(contacts, agents, service_level(servers, load, hold, within), load / servers, wait)


@dataclass(frozen=True, slots=True)
class Service:
    """Customer service for one team: agents per open hour, seat-hours, people."""

    hourly: tuple[int, ...]
    seats: int
    chats_per_day: float
    #: Back-office after-sales hours a day the same team covers (a new store's), spread evenly.
    case_hours: float
    staff: People
    peak: Hour | None

    @property
    def fte(self) -> float:
        """People at work."""
        return self.staff.at_work


def service(
    inp: SizingInput, stores: int, daily: float | None, peak: float | None, case_hours: float = 0.0
) -> Service:
    """The coverage floor, or each open hour's chat agents (plus after-sales work) where more."""
    hours = max(1, round(inp.open_hours_per_day))
    seats = seats_for(stores)
    if daily is None and peak is None and case_hours == 0:
        staff = people(seats * inp.open_hours_per_day, inp)
        return Service((), seats, 0.0, 0.0, staff, None)
    shares = profile(hours)
    if daily is None:
        daily = 0.0 if peak is None else peak / max(shares)
    per_hour = round(case_hours, 1) / hours
    busiest = chat_hour(daily * max(shares), inp)
    hourly = tuple(
        max(seats, ceil(chat_hour(daily * share, inp).agents + per_hour)) for share in shares
    )
    staff = people(sum(hourly) * inp.open_hours_per_day / hours, inp)
    return Service(hourly, seats, daily, round(case_hours, 1), staff, busiest)
