"""What a workspace's team plan holds, and one recorded change to it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from knowledge import Lang, RoleId
from knowledge.vocab import Channel, PlanVerb, Stage


class PlanState(BaseModel):
    """Everything a workspace's plan holds; history rows store it before and after a change."""

    model_config = ConfigDict(extra="forbid")

    stores: int | None = None
    stage: Stage | None = None
    channels: list[Channel] = Field(default_factory=list)
    roles: dict[RoleId, int] = Field(default_factory=dict)
    locked: bool = False
    editors: list[str] = Field(default_factory=list)
    lang: Lang | None = None
    #: The monthly cost of one person per role, as the workspace gave it (``plan salary``);
    #: costs are shown only from these figures, never estimated.
    salaries: dict[RoleId, float] = Field(default_factory=dict)
    #: ISO 4217 code the salaries are in (``plan currency MXN``); None shows plain numbers.
    currency: str | None = None
    #: The workspace's own sizing ratios (``plan returns 5%``), by sizing input ("return_rate":
    #: a share, "inquiries_per_order"); every sizing answer from the plan uses them.
    ratios: dict[str, float] = Field(default_factory=dict)

    @property
    def total(self) -> int:
        """People in the plan."""
        return sum(self.roles.values())


class HistoryRow(BaseModel):
    """One recorded change."""

    id: int
    user: str
    at: str
    command: str
    before: PlanState
    after: PlanState
    undone: bool
    kind: PlanVerb
