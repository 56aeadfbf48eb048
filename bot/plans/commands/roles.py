"""``plan add|remove|set ROLE N``: how many people of a role the plan has."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Self

from bot.plans.commands.base import Change, register
from bot.plans.grammar import MAX_COUNT, GrammarError, split_role_and_count
from bot.plans.state import PlanState
from knowledge import Lang, Vocabulary
from knowledge.vocab import PlanVerb

if TYPE_CHECKING:
    from bot.plans.runtime import PlanContext


@dataclass(frozen=True, slots=True)
class RoleCount(Change):
    """A role (an id, or words naming it) and a count."""

    role: str
    count: int = 1
    #: The catalogue key of the sentence that reports the change.
    said: ClassVar[str]

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """``copywriter 2``, ``2 copywriters``, ``customer service`` (one person)."""
        role, count = split_role_and_count(args, lang)
        return cls(role=role, count=1 if count is None else count)

    def canonical(self) -> str:
        """``add copywriter 2``."""
        return f"{self.verb} {self.role} {self.count}"

    def new_count(self, current: int, ctx: PlanContext) -> int:
        """The role's count after the change."""
        raise NotImplementedError

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """Set the role's new count (0 removes it from the plan)."""
        role = ctx.role(self.role)
        new = self.new_count(state.roles.get(role, 0), ctx)
        if new > MAX_COUNT:
            raise GrammarError("plan.too_many", count=new, role=ctx.name(role), max=MAX_COUNT)
        if new == 0:
            state.roles.pop(role, None)
        else:
            state.roles[role] = new
        return state

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """ "Added 2 people to Copywriter (0 → 2)."."""
        role = ctx.role(self.role)
        b, a = before.roles.get(role, 0), after.roles.get(role, 0)
        return [ctx.t(self.said, count=self.count, role=ctx.name(role), before=b, after=a)]


@register
@dataclass(frozen=True, slots=True)
class Add(RoleCount):
    """``plan add ROLE [N]``."""

    verb: ClassVar[PlanVerb] = "add"
    said: ClassVar[str] = "plan.changed.add"

    def new_count(self, current: int, ctx: PlanContext) -> int:
        """N more."""
        return current + self.count


@register
@dataclass(frozen=True, slots=True)
class Remove(RoleCount):
    """``plan remove ROLE [N]``."""

    verb: ClassVar[PlanVerb] = "remove"
    said: ClassVar[str] = "plan.changed.remove"

    def new_count(self, current: int, ctx: PlanContext) -> int:
        """N fewer; never below zero."""
        if self.count > current:
            role = ctx.name(ctx.role(self.role))
            raise GrammarError("plan.remove_too_many", count=current, role=role, n=self.count)
        return current - self.count


@register
@dataclass(frozen=True, slots=True)
class Set(RoleCount):
    """``plan set ROLE N``."""

    verb: ClassVar[PlanVerb] = "set"
    said: ClassVar[str] = "plan.changed.set"

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """``copywriter 2``; the count is required."""
        role, count = split_role_and_count(args, lang)
        if count is None:
            raise GrammarError("plan.bad_count", given="", max=MAX_COUNT)
        return cls(role=role, count=count)

    def new_count(self, current: int, ctx: PlanContext) -> int:
        """Exactly N."""
        return self.count
