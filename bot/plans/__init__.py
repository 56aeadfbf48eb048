"""Per-workspace team plans in SQLite: grammar, storage, history and undo."""

from bot.plans.service import PlanService, workspace_key
from bot.plans.store import PlanState, PlanStore

__all__ = ["PlanService", "PlanState", "PlanStore", "workspace_key"]
