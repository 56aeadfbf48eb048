"""The sizing rules: one small function per role (or group of roles), applied in order.

Order matters twice: it is the order of the answer's table, and HR is sized from everyone sized
before it. To size a new role, write a rule and register it with ``@rule`` where it belongs.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.sizing.engine import Reason, ServiceDetail, Sizing, ceil, shown
from bot.sizing.inputs import SizingInput
from bot.sizing.service import (
    SHRINKAGE_RANGE,
    STORES_PER_SEAT,
    Service,
    fte,
    seats_for,
    service,
    with_absence,
)
from knowledge import RoleId

PACK_RATE = (
    25.0,
    27.5,
    30.0,
)  # orders packed per productive hour: slow, typical, fast (Curtis Barry)
TICKET_RATE = (0.02, 0.06, 0.10)  # after-sales contacts per order (Gorgias: 2–10%)
AFTER_SALES_AHT = 600.0  # seconds per after-sales case: assumption
HR_PER_100 = (1.4, 2.8, 3.4)  # HR staff per 100 employees (Bloomberg BNA; SHRM small firms)
SPAN = (12, 10, 8)  # agents per supervisor: wide, typical, narrow (ICMI)

Rule = Callable[[Sizing], None]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    """Register ``fn`` as the next sizing rule."""
    RULES.append(fn)
    return fn


@rule
def operations_director(s: Sizing) -> None:
    """A mature team has one operations director."""
    if s.mature:
        s.add("operations_director", 1, 1, 1, Reason("why.operations_director"))


@rule
def operations(s: Sizing) -> None:
    """At least one operator per store, up to two (the article)."""
    n = s.input.stores
    s.add("operations", n, 2 * n, n, Reason("why.operations", {"stores": n, "max": 2 * n}))


@rule
def operations_assistant(s: Sizing) -> None:
    """Mature teams add assistants, one per two stores (assumption)."""
    if s.mature:
        rec = ceil(s.input.stores / 2)
        why = Reason("why.operations_assistant", {"n": rec})
        s.add("operations_assistant", 1, max(1, s.input.stores), rec, why)


@rule
def art(s: Sizing) -> None:
    """Art is essential; one designer per two stores (assumption)."""
    n = s.input.stores
    low, rec = max(1, ceil(n / 3)), max(1, ceil(n / 2))
    s.add("art", low, max(rec, n), rec, Reason("why.art", {"n": rec}))


@rule
def event_planner(s: Sizing) -> None:
    """Part of a mature team; one per five stores (assumption)."""
    if s.mature:
        rec = max(1, ceil(s.input.stores / 5))
        s.add(
            "event_planner", 1, max(rec, ceil(s.input.stores / 2)), rec, Reason("why.event_planner")
        )


def _cs_reason(inp: SizingInput, pooled: Service, rec: int, erlang: bool) -> Reason:
    shrink = round(inp.shrinkage * 100)
    if erlang and pooled.peak is not None:
        return Reason("why.customer_service.erlang", {
            "peak": round(pooled.peak_contacts, 1), "aht": round(inp.aht_seconds),
            "conc": inp.concurrency, "agents": pooled.peak.agents,
            "sl": round(inp.service_level * 100), "t": round(inp.answer_within_seconds),
            "shrink": shrink, "n": rec,
        })  # fmt: skip
    return Reason("why.customer_service.floor", {
        "shifts": ceil(inp.open_hours_per_day / inp.shift_hours), "seats": seats_for(inp.stores),
        "days": inp.days_open_per_week, "work": inp.work_days_per_week, "shrink": shrink,
        "n": rec, "stores": inp.stores,
    })  # fmt: skip


@rule
def customer_service(s: Sizing) -> None:
    """The coverage floor, or Erlang C with volumes; one team for all stores unless separate."""
    inp, n = s.input, s.input.stores
    daily, peak = inp.inquiries_per_day, inp.peak_inquiries_per_hour
    pooled = service(inp, n, daily, peak)
    low, rec = ceil(pooled.fte), with_absence(pooled.fte, inp.shrinkage)
    # Never more than the coverage floor without figures that justify it.
    high = rec
    if inp.has_workload:
        high = max(rec, with_absence(pooled.fte, max(inp.shrinkage, SHRINKAGE_RANGE[1])))
    per_store = service(
        inp, 1, None if daily is None else daily / n, None if peak is None else peak / n
    )
    separate = n * with_absence(per_store.fte, inp.shrinkage)
    floor = with_absence(service(inp, n, None, None).fte, inp.shrinkage)
    why = _cs_reason(inp, pooled, rec, erlang=rec > floor)
    if not inp.pooled:
        low, rec, high = max(low, separate), separate, max(high, separate)
    s.add("customer_service", low, high, rec, why)
    if pooled.peak is not None:
        s.service = ServiceDetail(
            peak_contacts_per_hour=round(pooled.peak_contacts, 1),
            peak_agents=pooled.peak.agents,
            service_level=round(pooled.peak.service_level, 4),
            occupancy=round(pooled.peak.occupancy, 4),
            asa_seconds=round(pooled.peak.asa_seconds, 1),
            pooled=with_absence(pooled.fte, inp.shrinkage),
            separate=separate,
        )
    if n > 1:
        together = with_absence(pooled.fte, inp.shrinkage)
        s.caveats.append(Reason("caveat.pooled", {"pooled": together, "separate": separate}))


@rule
def after_sales(s: Sizing) -> None:
    """A mature team's own after-sales: one seat on one shift, or 2–10% of orders."""
    if not s.mature:
        s.caveats.append(Reason("caveat.new_after_sales"))
        return
    inp = s.input
    cover = fte(seats_for(inp.stores) * inp.shift_hours, inp)
    by_rate = [cover, cover, cover]
    if inp.orders_per_day is not None:
        orders = inp.orders_per_day
        by_rate = [
            max(cover, fte(orders * r * AFTER_SALES_AHT / 3600 / inp.max_occupancy, inp))
            for r in TICKET_RATE
        ]
    low = ceil(by_rate[0])
    rec = max(low, with_absence(by_rate[1], inp.shrinkage))
    high = max(rec, with_absence(by_rate[2], max(inp.shrinkage, SHRINKAGE_RANGE[1])))
    key = "why.after_sales.orders" if inp.orders_per_day is not None else "why.after_sales.floor"
    s.add(
        "after_sales",
        low,
        high,
        rec,
        Reason(key, {"orders": shown(inp.orders_per_day or 0), "n": rec}),
    )


@rule
def supervisors(s: Sizing) -> None:
    """One supervisor per 8–12 agents, for pre-sale and for after-sale (mature teams)."""
    if not s.mature:
        return
    pairs: tuple[tuple[RoleId, RoleId], ...] = (
        ("presale_supervisor", "customer_service"),
        ("aftersales_supervisor", "after_sales"),
    )
    for role, agents_role in pairs:
        agents = s.roles[agents_role].recommended
        low, mid, high = (max(1, ceil(agents / span)) for span in SPAN)
        s.add(role, low, high, mid, Reason("why.supervisor", {"agents": agents, "n": mid}))


@rule
def copywriter(s: Sizing) -> None:
    """Part of a mature team; one per three stores (assumption)."""
    if s.mature:
        rec = max(1, ceil(s.input.stores / 3))
        s.add("copywriter", 1, max(rec, s.input.stores), rec, Reason("why.copywriter_mature"))


@rule
def warehouse(s: Sizing) -> None:
    """Management (mature) and packing: 25–30 orders an hour, or "depends" without orders."""
    inp = s.input
    if inp.warehouse == "outsourced":
        s.caveats.append(Reason("caveat.outsourced"))
        return
    if s.mature:
        s.add("warehouse_manager", 1, 1, 1, Reason("why.warehouse_manager"))
    if inp.orders_per_day is not None:
        _packers_for_orders(s, inp.orders_per_day)
    elif s.mature:
        rec = max(1, ceil(inp.stores / 3))
        s.add(
            "warehouse_packer", 1, max(rec, inp.stores), rec, Reason("why.warehouse_packer.mature")
        )
    else:
        s.add("warehouse_packer", 0, 1, 0, Reason("why.warehouse_packer.new"))


def _packers_for_orders(s: Sizing, orders: float) -> None:
    inp = s.input
    need = [fte(orders / rate, inp) for rate in reversed(PACK_RATE)]  # fast, typical, slow
    low = ceil(need[0])
    rec = max(low, with_absence(need[1], inp.shrinkage))
    high = max(rec, with_absence(need[2], max(inp.shrinkage, SHRINKAGE_RANGE[1])))
    if s.mature:
        low, rec, high = max(1, low), max(1, rec), max(1, high)
    if high > 0:
        why = Reason("why.warehouse_packer.orders", {"orders": round(orders), "n": rec})
        s.add("warehouse_packer", low, high, rec, why)


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
    s.add("content_planner", 1, max(planners, n), planners, why)
    editors = 1 + (1 if videos >= 2 else 0)
    s.add("video_editor", 1, max(editors, n), editors, why)
    hours = inp.live_hours_per_day
    hosts = max(1, ceil(hours / 4))
    anchor_why = Reason("why.anchor", {"hours": shown(hours), "n": hosts})
    s.add("anchor", 1, max(hosts, ceil(hours / 2)), hosts, anchor_why)
    s.add("photographer", 1, 1 if n < 3 else 2, 1, why)
    s.assumptions.append(Reason("assume.live_hours", {"hours": shown(hours)}))


@rule
def hr(s: Sizing) -> None:
    """A mature team's HR: 1.4–3.4 per 100 of everyone else; a new store's owner covers it."""
    if not s.mature:
        s.caveats.append(Reason("caveat.owner_roles"))
        return
    others = sum(r.recommended for r in s.roles.values())
    low, mid, high = (max(1, ceil(others * r / 100)) for r in HR_PER_100)
    s.add("hr", low, high, mid, Reason("why.hr", {"others": others}))


@rule
def assumptions(s: Sizing) -> None:
    """The hours, absence and seat assumptions every answer states, and what would sharpen it."""
    inp = s.input
    s.assumptions.append(Reason("assume.hours", {
        "open": shown(inp.open_hours_per_day), "shift": shown(inp.shift_hours),
        "days": inp.days_open_per_week, "work": inp.work_days_per_week,
    }))  # fmt: skip
    s.assumptions.append(Reason("assume.shrinkage", {"shrink": round(inp.shrinkage * 100)}))
    s.assumptions.append(Reason("assume.seat", {"stores": STORES_PER_SEAT}))
    if inp.has_workload:
        s.assumptions.append(Reason("assume.erlang", {
            "aht": round(inp.aht_seconds), "conc": inp.concurrency,
            "sl": round(inp.service_level * 100), "t": round(inp.answer_within_seconds),
            "occ": round(inp.max_occupancy * 100),
        }))  # fmt: skip
    else:
        s.sharper.append("inquiries_per_day")
    if inp.orders_per_day is None and inp.warehouse == "in_house":
        s.sharper.append("orders_per_day")
