"""The sizing rules: one small function per role (or group of roles), applied in order.

Order matters twice: it is the order of the answer's table, and HR is sized from everyone sized
before it. To size a new role, write a rule and register it with ``@rule`` where it belongs.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.sizing.engine import Basis, Reason, ServiceDetail, Sizing, ceil, shown
from bot.sizing.inputs import SizingInput
from bot.sizing.service import (
    SHRINKAGE_RANGE,
    STORES_PER_SEAT,
    People,
    Service,
    people,
    seats_for,
    service,
)
from knowledge import RoleId

PACK_RATE = (
    25.0,
    27.5,
    30.0,
)  # orders packed per productive hour: slow, typical, fast (Curtis Barry)
TICKET_RATE = (0.02, 0.10)  # after-sales cases per order, published range (Gorgias: 2–10%)
HR_PER_100 = (1.4, 2.8, 3.4)  # HR staff per 100 employees (Bloomberg BNA; SHRM small firms)
SPAN_NARROW = 8  # ICMI: one supervisor per 8–12 agents; below 8 agents, none yet

Rule = Callable[[Sizing], None]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    """Register ``fn`` as the next sizing rule."""
    RULES.append(fn)
    return fn


def pct(x: float) -> float | int:
    """0.06 -> 6 for "6%"."""
    return shown(round(x * 100, 2))


def _steps(p: People, inp: SizingInput, shrinkage: float | None = None) -> dict[str, object]:
    """The figures of "seat-hours × days ÷ (shift × work days) = at work ÷ (1 − absence) = n"."""
    shrink = inp.shrinkage if shrinkage is None else shrinkage
    return {
        "hours": shown(p.seat_hours), "days": inp.days_open_per_week,
        "shift": shown(inp.shift_hours), "work": inp.work_days_per_week,
        "fte": shown(p.at_work), "shrink": pct(shrink), "n": p.people,
    }  # fmt: skip


@rule
def operations_director(s: Sizing) -> None:
    """A mature team has an operations director: one leads all the stores (a rule, not a count)."""
    if s.mature:
        why = Reason("why.operations_director", {"stores": s.input.stores})
        s.add("operations_director", 1, 1, 1, why, "rule")


@rule
def operations(s: Sizing) -> None:
    """At least one operator per store, up to two (the article)."""
    n = s.input.stores
    why = Reason("why.operations", {"stores": n, "max": 2 * n})
    s.add("operations", n, 2 * n, n, why, "article")


@rule
def operations_assistant(s: Sizing) -> None:
    """Mature teams add assistants, one per ``stores_per_assistant`` stores (assumption)."""
    if s.mature:
        per = s.input.stores_per_assistant
        rec = ceil(s.input.stores / per)
        why = Reason("why.operations_assistant", {"stores": s.input.stores, "per": per, "n": rec})
        s.add("operations_assistant", 1, max(rec, s.input.stores), rec, why, "assumption")


@rule
def art(s: Sizing) -> None:
    """Art is essential; one designer per two stores (assumption)."""
    n = s.input.stores
    low, rec = max(1, ceil(n / 3)), max(1, ceil(n / 2))
    s.add("art", low, max(rec, n), rec, Reason("why.art", {"stores": n, "n": rec}), "assumption")


@rule
def event_planner(s: Sizing) -> None:
    """Part of a mature team; one per five stores (assumption)."""
    if s.mature:
        n = s.input.stores
        rec = max(1, ceil(n / 5))
        why = Reason("why.event_planner", {"stores": n, "n": rec})
        s.add("event_planner", 1, max(rec, ceil(n / 2)), rec, why, "assumption")


def _chats(inp: SizingInput) -> tuple[float | None, float | None]:
    """Chats a day and at the busiest hour: as given, or orders × chats per order."""
    if inp.gave_inquiries:
        return inp.inquiries_per_day, inp.peak_inquiries_per_hour
    if inp.orders_per_day is not None:
        return inp.orders_per_day * inp.inquiries_per_order, None
    return None, None


def _case_hours(inp: SizingInput, rate: float | None = None) -> float:
    """After-sales work a day: orders × case rate × minutes per case ÷ occupancy."""
    if inp.orders_per_day is None:
        return 0.0
    cases = inp.orders_per_day * (inp.return_rate if rate is None else rate)
    return cases * inp.case_minutes / 60 / inp.max_occupancy


def _cs_reason(s: Sizing, sv: Service, n: int) -> Reason:
    """Each step of customer service's number, with the figures that fill it."""
    inp = s.input
    steps = _steps(sv.staff, inp)
    if not sv.hourly:
        key = "why.customer_service.floor" if not s.mature else "why.customer_service.coverage"
        return Reason(key, {
            **steps, "seats": sv.seats, "open": shown(inp.open_hours_per_day),
            "stores": inp.stores, "per": STORES_PER_SEAT, "n": n,
        })  # fmt: skip
    more: list[Reason] = []
    if not inp.gave_inquiries and inp.orders_per_day is not None:
        more.append(Reason("step.customer_service.from_orders", {
            "orders": shown(inp.orders_per_day), "ratio": shown(inp.inquiries_per_order),
            "chats": shown(round(sv.chats_per_day, 1)),
        }))  # fmt: skip
    if sv.peak is not None and sv.chats_per_day > 0:
        more.append(Reason("step.customer_service.peak", {
            "peak": shown(round(sv.peak.contacts, 1)), "agents": sv.peak.agents,
            "conc": inp.concurrency, "aht": shown(inp.aht_seconds),
            "sl": pct(inp.service_level), "t": shown(inp.answer_within_seconds),
            "got": shown(round(sv.peak.service_level * 100, 1)),
        }))  # fmt: skip
    if sv.case_hours > 0:
        more.append(Reason("step.customer_service.cases", {
            "orders": shown(inp.orders_per_day or 0), "rate": pct(inp.return_rate),
            "min": shown(inp.case_minutes), "occ": pct(inp.max_occupancy),
            "case_hours": shown(sv.case_hours),
        }))  # fmt: skip
    hourly = "+".join(str(h) for h in sv.hourly)
    main = Reason("why.customer_service.hourly", {
        **steps, "hourly": hourly, "open": len(sv.hourly), "seats": sv.seats, "n": n,
    })  # fmt: skip
    return Reason(main.key, main.params, tuple(more))


def _vs_article(s: Sizing, sv: Service, floor: int, n: int) -> Reason:
    """How a new team's workload answer compares with the article's "about 4 for one store"."""
    busy = sum(1 for h in sv.hourly if h > sv.seats)
    params: dict[str, object] = {
        "stores": s.input.stores, "floor": floor, "seats": sv.seats, "n": n,
    }  # fmt: skip
    if n <= floor:
        return Reason("step.customer_service.vs_article.same", params)
    return Reason(
        "step.customer_service.vs_article.more", {**params, "busy": busy, "open": len(sv.hourly)}
    )


@rule
def customer_service(s: Sizing) -> None:
    """The article's customer-service centre (a mature team's pre-sale): coverage or queueing."""
    inp, n = s.input, s.input.stores
    daily, peak = _chats(inp)
    # A new store's customer service is the article's customer-service centre: it handles
    # after-sales cases too. A mature team has its own after-sales (sized below).
    cases = 0.0 if s.mature else _case_hours(inp)
    pooled = service(inp, n, daily, peak, cases)
    rec = pooled.staff.people
    low, high = ceil(pooled.fte), rec
    if inp.has_workload:
        worst = max(inp.shrinkage, SHRINKAGE_RANGE[1])
        high = max(rec, people(pooled.staff.seat_hours, inp, worst).people)
    one = service(
        inp, 1,
        None if daily is None else daily / n, None if peak is None else peak / n, cases / n,
    )  # fmt: skip
    separate = n * one.staff.people
    floor = service(inp, n, None, None).staff.people
    why = _cs_reason(s, pooled, rec)
    more = list(why.more)
    if not inp.pooled:
        low, rec, high = max(low, separate), separate, max(high, separate)
        more.append(Reason("step.customer_service.separate", {
            "each": one.staff.people, "stores": n, "n": separate,
        }))  # fmt: skip
    if pooled.hourly and not s.mature:
        more.append(_vs_article(s, pooled, floor, rec))
    why = Reason(why.key, why.params, tuple(more))
    basis: Basis = "queueing" if rec > floor else ("article" if not s.mature else "rule")
    s.add("customer_service", low, high, rec, why, basis)
    s.hourly = pooled.hourly
    if pooled.peak is not None:
        s.service = ServiceDetail(
            peak_contacts_per_hour=round(pooled.peak.contacts, 1),
            peak_agents=pooled.peak.agents,
            service_level=round(pooled.peak.service_level, 4),
            occupancy=round(pooled.peak.occupancy, 4),
            asa_seconds=round(pooled.peak.asa_seconds, 1),
            pooled=pooled.staff.people,
            separate=separate,
        )
    if n > 1:
        s.caveats.append(
            Reason("caveat.pooled", {"pooled": pooled.staff.people, "separate": separate})
        )


@rule
def after_sales(s: Sizing) -> None:
    """A mature team's own after-sales: one seat on one shift, or orders × case rate."""
    if not s.mature:
        s.caveats.append(Reason("caveat.new_after_sales"))
        return
    inp = s.input
    cover = seats_for(inp.stores) * inp.shift_hours
    mid = people(max(cover, _case_hours(inp)), inp)
    worst = max(inp.shrinkage, SHRINKAGE_RANGE[1])
    high_rate = max(inp.return_rate, TICKET_RATE[1])
    high = max(mid.people, people(max(cover, _case_hours(inp, high_rate)), inp, worst).people)
    low = min(mid.people, ceil(people(max(cover, _case_hours(inp, TICKET_RATE[0])), inp).at_work))
    if inp.orders_per_day is None:
        why = Reason("why.after_sales.floor", {**_steps(mid, inp), "seats": seats_for(inp.stores)})
        s.add("after_sales", low, high, mid.people, why, "assumption")
        return
    cases = round(inp.orders_per_day * inp.return_rate, 1)
    why = Reason("why.after_sales.orders", {
        **_steps(mid, inp), "orders": shown(inp.orders_per_day), "rate": pct(inp.return_rate),
        "cases": shown(cases), "min": shown(inp.case_minutes), "occ": pct(inp.max_occupancy),
        "cover": shown(cover),
    })  # fmt: skip
    s.add("after_sales", low, high, mid.people, why, "rule")


@rule
def supervisors(s: Sizing) -> None:
    """Pre-sale and after-sale supervisors by span of control, only once the span calls for one."""
    if not s.mature:
        return
    pairs: tuple[tuple[RoleId, RoleId], ...] = (
        ("presale_supervisor", "customer_service"),
        ("aftersales_supervisor", "after_sales"),
    )
    span = s.input.span_of_control
    for role, agents_role in pairs:
        agents = s.roles[agents_role].recommended
        first = min(SPAN_NARROW, span)
        if agents < first:
            why = Reason("why.supervisor.not_yet", {"agents": agents, "from": first})
            s.add(role, 0, 1, 0, why, "rule")
            continue
        rec = ceil(agents / span)
        high = max(rec, ceil(agents / first))
        why = Reason("why.supervisor", {"agents": agents, "span": span, "n": rec})
        s.add(role, rec, high, rec, why, "rule")


@rule
def copywriter(s: Sizing) -> None:
    """Part of a mature team; one per three stores (assumption)."""
    if s.mature:
        n = s.input.stores
        rec = max(1, ceil(n / 3))
        why = Reason("why.copywriter_mature", {"stores": n, "n": rec})
        s.add("copywriter", 1, max(rec, n), rec, why, "assumption")


@rule
def warehouse(s: Sizing) -> None:
    """Packing from orders (25–30 an hour), and a manager from the packing team's size."""
    inp = s.input
    if inp.warehouse == "outsourced":
        s.caveats.append(Reason("caveat.outsourced"))
        return
    if inp.orders_per_day is not None:
        packers = _packers_for_orders(s, inp.orders_per_day)
    elif s.mature:
        packers = max(1, ceil(inp.stores / 3))
        why = Reason("why.warehouse_packer.mature", {"stores": inp.stores, "n": packers})
        s.add("warehouse_packer", 1, max(packers, inp.stores), packers, why, "assumption")
    else:
        packers = 0
        s.add("warehouse_packer", 0, 1, 0, Reason("why.warehouse_packer.new"), "article")
    _warehouse_manager(s, packers)


def _warehouse_manager(s: Sizing, packers: int) -> None:
    """A mature team has warehouse management (the article); a new team once packing is a team."""
    start = s.input.manager_from_packers
    if s.mature:
        s.add("warehouse_manager", 1, 1, 1, Reason("why.warehouse_manager"), "article")
    elif packers >= start:
        why = Reason("why.warehouse_manager.team", {"packers": packers, "from": start})
        s.add("warehouse_manager", 1, 1, 1, why, "assumption")


def _packers_for_orders(s: Sizing, orders: float) -> int:
    inp = s.input
    mid = people(orders / PACK_RATE[1], inp)
    low = ceil(people(orders / PACK_RATE[2], inp).at_work)
    worst = max(inp.shrinkage, SHRINKAGE_RANGE[1])
    high = max(mid.people, people(orders / PACK_RATE[0], inp, worst).people)
    rec = mid.people
    why = Reason("why.warehouse_packer.orders", {
        **_steps(mid, inp), "orders": shown(orders), "rate": shown(PACK_RATE[1]),
    })  # fmt: skip
    if s.mature and rec < 1:
        # The article lists warehouse packing in a mature team: never none.
        low, rec, high = 1, 1, max(1, high)
        why = Reason(why.key, why.params, (Reason("step.warehouse_packer.at_least_one", {"n": 1}),))
    if high > 0:
        s.add("warehouse_packer", min(low, rec), high, rec, why, "rule")
    return rec


@rule
def content(s: Sizing) -> None:
    """Content channels need planning, video editing, an anchor and photography (the article)."""
    inp = s.input
    if not inp.channels:
        return
    n = len(inp.channels)
    videos = sum(1 for c in inp.channels if c in s.video_channels)
    why = Reason("why.content", {"n": n})
    planners = 1 if n <= 2 else 2
    s.add("content_planner", 1, max(planners, n), planners, why, "article")
    editors = 1 + (1 if videos >= 2 else 0)
    s.add("video_editor", 1, max(editors, n), editors, why, "article")
    hours = inp.live_hours_per_day
    hosts = max(1, ceil(hours / 4))
    anchor_why = Reason("why.anchor", {"hours": shown(hours), "n": hosts})
    s.add("anchor", 1, max(hosts, ceil(hours / 2)), hosts, anchor_why, "assumption")
    s.add("photographer", 1, 1 if n < 3 else 2, 1, why, "article")
    s.assumptions.append(Reason("assume.live_hours", {"hours": shown(hours)}))


@rule
def hr(s: Sizing) -> None:
    """A mature team's HR: 1.4–3.4 per 100 of everyone else; a new store's owner covers it."""
    if not s.mature:
        s.caveats.append(Reason("caveat.owner_roles"))
        return
    others = sum(r.recommended for r in s.roles.values())
    # Each figure rounded as shown, and the count taken from it, so the sum redoes by hand.
    low, mid, high = (max(1, ceil(round(others * r / 100, 2))) for r in HR_PER_100)
    raw = shown(round(others * HR_PER_100[1] / 100, 2))
    why = Reason("why.hr", {"others": others, "per": HR_PER_100[1], "raw": raw, "n": mid})
    s.add("hr", low, high, mid, why, "rule")


@rule
def assumptions(s: Sizing) -> None:
    """The hours, absence and seat assumptions every answer states, and what would sharpen it."""
    inp = s.input
    s.assumptions.append(Reason("assume.hours", {
        "open": shown(inp.open_hours_per_day), "shift": shown(inp.shift_hours),
        "days": inp.days_open_per_week, "work": inp.work_days_per_week,
    }))  # fmt: skip
    s.assumptions.append(Reason("assume.shrinkage", {"shrink": round(inp.shrinkage * 100)}))
    if not s.mature:
        s.assumptions.append(Reason("assume.seat", {"stores": STORES_PER_SEAT}))
    if inp.has_workload:
        s.assumptions.append(Reason("assume.erlang", {
            "aht": round(inp.aht_seconds), "conc": inp.concurrency,
            "sl": round(inp.service_level * 100), "t": round(inp.answer_within_seconds),
            "occ": round(inp.max_occupancy * 100),
        }))  # fmt: skip
        s.assumptions.append(Reason("assume.profile"))
    if inp.orders_per_day is not None:
        if not inp.gave_inquiries:
            s.assumptions.append(
                Reason("assume.inquiries_per_order", {"ratio": shown(inp.inquiries_per_order)})
            )
        s.assumptions.append(Reason("assume.cases", {
            "rate": pct(inp.return_rate), "min": shown(inp.case_minutes),
        }))  # fmt: skip
    if s.mature:
        s.assumptions.append(Reason("assume.span", {"span": inp.span_of_control}))
    if not inp.gave_inquiries:
        s.sharper.append("inquiries_per_day")
    if inp.orders_per_day is None and inp.warehouse == "in_house":
        s.sharper.append("orders_per_day")
