"""Headcount per role from the article's rules, coverage floors and workload formulas.

Every number comes with the reason that decided it (a :class:`Reason`, rendered per language by
``bot.strings``). Fractional FTE is kept per role and rounded once, so a range never overstates
by rounding each store up (see shared/notes/sizing-references.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bot.sizing.erlang import ErlangResult, required_agents
from bot.sizing.inputs import SizingInput

#: One pre-sale seat covers up to this many new stores' chats (2–3 concurrent chats is the
#: practical range per agent, and a new store rarely has more than one chat open at a time).
STORES_PER_SEAT = 3
#: Effective handle time divisor for 1–5 concurrent chats (Call Centre Helper, "Erlang C for chat").
CONCURRENCY_FACTOR = {1: 1.0, 2: 1.7, 3: 2.5, 4: 2.9, 5: 3.5}
PACK_RATE = (
    25.0,
    27.5,
    30.0,
)  # orders packed per productive hour: slow, typical, fast (Curtis Barry)
TICKET_RATE = (0.02, 0.06, 0.10)  # after-sales contacts per order (Gorgias: 2–10%)
AFTER_SALES_AHT = 600.0  # seconds per after-sales case: assumption
HR_PER_100 = (1.4, 2.8, 3.4)  # HR staff per 100 employees (Bloomberg BNA; SHRM small firms)
SPAN = (12, 10, 8)  # agents per supervisor: wide, typical, narrow (ICMI)
SHRINKAGE_RANGE = (0.20, 0.35)  # published range for absence, breaks and training


def _ceil(x: float) -> int:
    return math.ceil(round(x, 9))


def _num(x: float) -> float | int:
    """16.0 -> 16 for display; keeps 2.5 as it is."""
    return int(x) if float(x).is_integer() else round(x, 2)


@dataclass(frozen=True, slots=True)
class Reason:
    """A sentence key in ``bot.strings`` and the values that fill it."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RoleSize:
    """Whole people for one role: a range, a recommendation and why."""

    role: str
    min: int
    max: int
    recommended: int
    why: Reason


@dataclass(frozen=True, slots=True)
class ServiceDetail:
    """What the recommended customer-service team achieves at the busiest hour."""

    peak_contacts_per_hour: float
    peak_agents: int
    service_level: float
    occupancy: float
    asa_seconds: float
    pooled: int
    separate: int


@dataclass(frozen=True, slots=True)
class SizingResult:
    """The engine's answer."""

    input: SizingInput
    roles: dict[str, RoleSize]
    assumptions: list[Reason]
    caveats: list[Reason]
    sharper: list[str]
    service: ServiceDetail | None

    @property
    def total(self) -> tuple[int, int, int]:
        """(min, max, recommended) summed over the roles."""
        rs = self.roles.values()
        return (
            sum(r.min for r in rs),
            sum(r.max for r in rs),
            sum(r.recommended for r in rs),
        )


def _profile(hours: int) -> list[float]:
    """Share of the day's inquiries in each open hour: rises to a peak about 1.6x the average.

    Assumption (no public intraday profile for marketplace chat); a flat day would understate
    the peak, and Erlang sized on a daily average is wrong (sizing-references.md, section 2).
    """
    weights = [0.6 + math.sin(math.pi * (i + 0.5) / hours) for i in range(hours)]
    total = sum(weights)
    return [w / total for w in weights]


def _fte(seat_hours_per_day: float, inp: SizingInput) -> float:
    """Productive FTE for seat-hours per open day, over the week."""
    return seat_hours_per_day * inp.days_open_per_week / (inp.shift_hours * inp.work_days_per_week)


def _with_absence(fte: float, shrinkage: float) -> int:
    return _ceil(fte / (1 - shrinkage))


@dataclass(frozen=True, slots=True)
class _Service:
    fte: float
    peak: ErlangResult | None
    peak_contacts: float


def _service(inp: SizingInput, stores: int, daily: float | None, peak: float | None) -> _Service:
    """Productive FTE for pre-sale service: the coverage floor or Erlang C per hour, if more."""
    hours = max(1, round(inp.open_hours_per_day))
    seats = math.ceil(stores / STORES_PER_SEAT)
    if daily is None and peak is None:
        return _Service(_fte(seats * inp.open_hours_per_day, inp), None, 0.0)
    profile = _profile(hours)
    if daily is None:
        assert peak is not None
        daily = peak / max(profile)
    aht = inp.aht_seconds / CONCURRENCY_FACTOR[inp.concurrency]
    seat_hours = 0.0
    busiest: ErlangResult | None = None
    busiest_contacts = 0.0
    for share in profile:
        contacts = daily * share
        res = required_agents(
            contacts, 3600, aht, inp.service_level, inp.answer_within_seconds, inp.max_occupancy
        )
        seat_hours += max(seats, res.agents) * (inp.open_hours_per_day / hours)
        if busiest is None or contacts > busiest_contacts:
            busiest, busiest_contacts = res, contacts
    return _Service(_fte(seat_hours, inp), busiest, busiest_contacts)


def size_team(inp: SizingInput) -> SizingResult:
    """Size every role the team needs for ``inp`` (see the module docstring)."""
    s = inp.stores
    mature = inp.stage == "mature"
    roles: dict[str, RoleSize] = {}
    assumptions: list[Reason] = []
    caveats: list[Reason] = []
    sharper: list[str] = []

    if mature:
        roles["operations_director"] = RoleSize(
            "operations_director", 1, 1, 1, Reason("why.operations_director")
        )
    roles["operations"] = RoleSize(
        "operations", s, 2 * s, s, Reason("why.operations", {"stores": s, "max": 2 * s})
    )
    if mature:
        rec = _ceil(s / 2)
        roles["operations_assistant"] = RoleSize(
            "operations_assistant",
            1,
            max(1, s),
            rec,
            Reason("why.operations_assistant", {"n": rec}),
        )
    art_min, art_rec = max(1, _ceil(s / 3)), max(1, _ceil(s / 2))
    roles["art"] = RoleSize(
        "art", art_min, max(art_rec, s), art_rec, Reason("why.art", {"n": art_rec})
    )
    if mature:
        rec = max(1, _ceil(s / 5))
        roles["event_planner"] = RoleSize(
            "event_planner", 1, max(rec, _ceil(s / 2)), rec, Reason("why.event_planner")
        )

    # --- customer service (pre-sale) ---
    daily, peak = inp.inquiries_per_day, inp.peak_inquiries_per_hour
    pooled = _service(inp, s, daily, peak)
    cs_min = _ceil(pooled.fte)
    cs_rec = _with_absence(pooled.fte, inp.shrinkage)
    if inp.has_workload:
        cs_max = max(cs_rec, _with_absence(pooled.fte, max(inp.shrinkage, SHRINKAGE_RANGE[1])))
    else:
        cs_max = cs_rec  # never more than the coverage floor without figures that justify it
    per_store = _service(
        inp, 1, None if daily is None else daily / s, None if peak is None else peak / s
    )
    separate = s * _with_absence(per_store.fte, inp.shrinkage)
    floor = _service(inp, s, None, None)
    floor_rec = _with_absence(floor.fte, inp.shrinkage)
    seats = math.ceil(s / STORES_PER_SEAT)
    if pooled.peak is not None and cs_rec > floor_rec:
        res = pooled.peak
        why = Reason(
            "why.customer_service.erlang",
            {
                "peak": round(pooled.peak_contacts, 1),
                "aht": round(inp.aht_seconds),
                "conc": inp.concurrency,
                "agents": res.agents,
                "sl": round(inp.service_level * 100),
                "t": round(inp.answer_within_seconds),
                "shrink": round(inp.shrinkage * 100),
                "n": cs_rec,
            },
        )
    else:
        why = Reason(
            "why.customer_service.floor",
            {
                "shifts": _ceil(inp.open_hours_per_day / inp.shift_hours),
                "seats": seats,
                "days": inp.days_open_per_week,
                "work": inp.work_days_per_week,
                "shrink": round(inp.shrinkage * 100),
                "n": cs_rec,
                "stores": s,
            },
        )
    if not inp.pooled:
        cs_min, cs_rec, cs_max = max(cs_min, separate), separate, max(cs_max, separate)
    roles["customer_service"] = RoleSize("customer_service", cs_min, cs_max, cs_rec, why)
    service = None
    if pooled.peak is not None:
        service = ServiceDetail(
            peak_contacts_per_hour=round(pooled.peak_contacts, 1),
            peak_agents=pooled.peak.agents,
            service_level=round(pooled.peak.service_level, 4),
            occupancy=round(pooled.peak.occupancy, 4),
            asa_seconds=round(pooled.peak.asa_seconds, 1),
            pooled=_with_absence(pooled.fte, inp.shrinkage),
            separate=separate,
        )
    if s > 1:
        caveats.append(
            Reason(
                "caveat.pooled",
                {"pooled": _with_absence(pooled.fte, inp.shrinkage), "separate": separate},
            )
        )

    # --- after-sales and supervisors (mature) ---
    if mature:
        cover = _fte(seats * inp.shift_hours, inp)  # one seat on one shift per day
        fte_by_rate = [cover, cover, cover]
        if inp.orders_per_day is not None:
            fte_by_rate = [
                max(
                    cover,
                    _fte(inp.orders_per_day * r * AFTER_SALES_AHT / 3600 / inp.max_occupancy, inp),
                )
                for r in TICKET_RATE
            ]
        as_min = _ceil(fte_by_rate[0])
        as_rec = max(as_min, _with_absence(fte_by_rate[1], inp.shrinkage))
        as_max = max(as_rec, _with_absence(fte_by_rate[2], max(inp.shrinkage, SHRINKAGE_RANGE[1])))
        key = (
            "why.after_sales.orders" if inp.orders_per_day is not None else "why.after_sales.floor"
        )
        roles["after_sales"] = RoleSize(
            "after_sales",
            as_min,
            as_max,
            as_rec,
            Reason(key, {"orders": _num(inp.orders_per_day or 0), "n": as_rec}),
        )
        for rid, agents in (("presale_supervisor", cs_rec), ("aftersales_supervisor", as_rec)):
            lo, mid, hi = (max(1, _ceil(agents / span)) for span in SPAN)
            roles[rid] = RoleSize(
                rid, lo, hi, mid, Reason("why.supervisor", {"agents": agents, "n": mid})
            )
        rec = max(1, _ceil(s / 3))
        roles["copywriter"] = RoleSize(
            "copywriter", 1, max(rec, s), rec, Reason("why.copywriter_mature")
        )
    else:
        caveats.append(Reason("caveat.new_after_sales"))

    # --- warehouse ---
    if inp.warehouse == "outsourced":
        caveats.append(Reason("caveat.outsourced"))
    else:
        if mature:
            roles["warehouse_manager"] = RoleSize(
                "warehouse_manager", 1, 1, 1, Reason("why.warehouse_manager")
            )
        if inp.orders_per_day is not None:
            o = inp.orders_per_day
            fte = [_fte(o / rate, inp) for rate in reversed(PACK_RATE)]  # fast, typical, slow
            p_min = _ceil(fte[0])
            p_rec = max(p_min, _with_absence(fte[1], inp.shrinkage))
            p_max = max(p_rec, _with_absence(fte[2], max(inp.shrinkage, SHRINKAGE_RANGE[1])))
            if mature:
                p_min, p_rec, p_max = max(1, p_min), max(1, p_rec), max(1, p_max)
            if p_max > 0:
                roles["warehouse_packer"] = RoleSize(
                    "warehouse_packer",
                    p_min,
                    p_max,
                    p_rec,
                    Reason("why.warehouse_packer.orders", {"orders": round(o), "n": p_rec}),
                )
        elif mature:
            rec = max(1, _ceil(s / 3))
            roles["warehouse_packer"] = RoleSize(
                "warehouse_packer", 1, max(rec, s), rec, Reason("why.warehouse_packer.mature")
            )
        else:
            roles["warehouse_packer"] = RoleSize(
                "warehouse_packer", 0, 1, 0, Reason("why.warehouse_packer.new")
            )

    # --- content channels ---
    if inp.channels:
        n = len(inp.channels)
        videos = sum(1 for c in inp.channels if c in ("short_video", "douyin", "kuaishou"))
        planner = 1 if n <= 2 else 2
        roles["content_planner"] = RoleSize(
            "content_planner", 1, max(planner, n), planner, Reason("why.content", {"n": n})
        )
        editors = 1 + (1 if videos >= 2 else 0)
        roles["video_editor"] = RoleSize(
            "video_editor", 1, max(editors, n), editors, Reason("why.content", {"n": n})
        )
        hosts = max(1, _ceil(inp.live_hours_per_day / 4))
        roles["anchor"] = RoleSize(
            "anchor",
            1,
            max(hosts, _ceil(inp.live_hours_per_day / 2)),
            hosts,
            Reason("why.anchor", {"hours": _num(inp.live_hours_per_day), "n": hosts}),
        )
        roles["photographer"] = RoleSize(
            "photographer", 1, 1 if n < 3 else 2, 1, Reason("why.content", {"n": n})
        )
        assumptions.append(Reason("assume.live_hours", {"hours": _num(inp.live_hours_per_day)}))

    # --- HR (mature): a ratio of everyone else ---
    if mature:
        others = sum(r.recommended for r in roles.values())
        lo, mid, hi = (max(1, _ceil(others * r / 100)) for r in HR_PER_100)
        roles["hr"] = RoleSize("hr", lo, hi, mid, Reason("why.hr", {"others": others}))
    else:
        caveats.append(Reason("caveat.owner_roles"))

    assumptions.extend(
        [
            Reason(
                "assume.hours",
                {
                    "open": _num(inp.open_hours_per_day),
                    "shift": _num(inp.shift_hours),
                    "days": inp.days_open_per_week,
                    "work": inp.work_days_per_week,
                },
            ),
            Reason("assume.shrinkage", {"shrink": round(inp.shrinkage * 100)}),
            Reason("assume.seat", {"stores": STORES_PER_SEAT}),
        ]
    )
    if inp.has_workload:
        assumptions.append(
            Reason(
                "assume.erlang",
                {
                    "aht": round(inp.aht_seconds),
                    "conc": inp.concurrency,
                    "sl": round(inp.service_level * 100),
                    "t": round(inp.answer_within_seconds),
                    "occ": round(inp.max_occupancy * 100),
                },
            )
        )
    else:
        sharper.append("inquiries_per_day")
    if inp.orders_per_day is None and inp.warehouse == "in_house":
        sharper.append("orders_per_day")
    return SizingResult(inp, roles, assumptions, caveats, sharper, service)
