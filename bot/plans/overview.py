"""The plan against the recommendation, as data: what a plan panel or a home tab shows.

Every role of the plan, and every role the sizing engine recommends for the plan's stores,
stage and channels, with its count, the engine's range and a status; the total, and the monthly
cost when the workspace set salaries. ``plan check`` words the same statuses (``status_of``);
adapters only lay the data out for their platform.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bot.plans.costs import costs_of
from knowledge import Lang, RoleId
from knowledge.vocab import Channel, Stage

if TYPE_CHECKING:
    from bot.plans.runtime import PlanContext
    from bot.sizing.engine import RoleSize

#: Where a role stands against the engine's range: none yet but recommended ("missing"), below
#: the range, within it, above it, or a role the engine gives no number for here ("optional").
Status = Literal["missing", "under", "within", "over", "optional"]
STATUSES: tuple[Status, ...] = ("missing", "under", "within", "over", "optional")


def status_of(have: int, size: RoleSize | None) -> Status | None:
    """``have`` people against the engine's size for the role; None for a role that is neither
    in the plan nor recommended."""
    if size is None:
        return "optional" if have else None
    if size.recommended and not have:
        return "missing"
    if 0 < have < size.min:
        return "under"
    if have > size.max:
        return "over"
    if have and size.recommended:
        return "within"
    return "optional" if have else None


@dataclass(frozen=True, slots=True)
class RoleLine:
    """One role: its count, the engine's numbers (None when it gives none) and its status."""

    role: RoleId
    name: str
    count: int
    status: Status
    recommended: int | None
    low: int | None
    high: int | None
    #: The role's monthly cost (count × the workspace's salary), None when no salary is set.
    cost: float | None


@dataclass(frozen=True, slots=True)
class PlanOverview:
    """A workspace's plan against the recommendation, in one language, for one viewer."""

    lang: Lang
    #: "Stores: 2 · Stage: new · Channels: none", as every plan answer says it.
    context: str
    #: The plan's own sizing ratios in words, when it sets any.
    ratios: str | None
    stores: int | None
    stage: Stage | None
    channels: tuple[Channel, ...]
    #: No store count is set: the recommendation is for one store.
    assumed_stores: bool
    locked: bool
    #: Whether the viewer may change the plan now (lock, editors, admin, guest).
    can_edit: bool
    #: The plan's roles and the recommended ones, in the knowledge base's order.
    roles: tuple[RoleLine, ...]
    #: Every role of the knowledge base with its name, in order (for pickers).
    choices: tuple[tuple[RoleId, str], ...]
    total: int
    recommended_total: int
    #: Monthly cost of the plan from the workspace's salaries (None without any salary).
    cost: float | None
    currency: str | None
    #: Names of the plan's roles left out of the cost (no salary set for them).
    unpriced: tuple[str, ...]

    def line(self, role: str) -> RoleLine | None:
        """The role's line, or None when it is neither in the plan nor recommended."""
        return next((r for r in self.roles if r.role == role), None)

    def name(self, role: str) -> str | None:
        """A role's name among ``choices``, or None for an id the knowledge base lacks."""
        return next((name for r, name in self.choices if r == role), None)

    def counts(self) -> Counter[Status]:
        """How many roles have each status."""
        return Counter(r.status for r in self.roles)


def _line(ctx: PlanContext, role: RoleId, have: int, size: RoleSize | None) -> RoleLine | None:
    status = status_of(have, size)
    if status is None:
        return None
    sized = size is not None and (size.recommended > 0 or status == "over")
    costs = costs_of(ctx.state, {role: have})
    return RoleLine(
        role=role,
        name=ctx.name(role),
        count=have,
        status=status,
        recommended=size.recommended if sized and size else None,
        low=size.min if sized and size else None,
        high=size.max if sized and size else None,
        cost=costs.roles.get(role) if costs is not None else None,
    )


def plan_overview(ctx: PlanContext) -> PlanOverview:
    """The plan of ``ctx`` against the sizing engine's recommendation for its context."""
    from bot.plans.views import context_line, ratios_line

    state = ctx.state
    result = ctx.size(state)
    kb = ctx.knowledge.kb
    lines = [
        _line(ctx, role.id, state.roles.get(role.id, 0), result.roles.get(role.id))
        for role in kb.roles.values()
    ]
    costs = costs_of(state)
    ratios = ratios_line(ctx, state)
    return PlanOverview(
        lang=ctx.lang,
        context=context_line(ctx, state),
        ratios=ratios[0] if ratios else None,
        stores=state.stores,
        stage=state.stage,
        channels=tuple(state.channels),
        assumed_stores=state.stores is None,
        locked=state.locked,
        can_edit=ctx.can_edit() and not ctx.origin.user_is_external,
        roles=tuple(line for line in lines if line is not None),
        choices=tuple((r.id, ctx.name(r.id)) for r in kb.roles.values()),
        total=state.total,
        recommended_total=sum(s.recommended for s in result.roles.values()),
        cost=costs.total if costs is not None else None,
        currency=state.currency,
        unpriced=tuple(ctx.name(r) for r in sorted(costs.unpriced, key=ctx.order)) if costs else (),
    )
