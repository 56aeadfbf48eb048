"""Who may change the plan (``lock``, ``unlock``, ``editors``) and its language (``lang``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar, Self

from bot.models import Answer
from bot.plans.commands.base import Change, PlanCommand, Simple, register
from bot.plans.grammar import GrammarError, parse_user
from bot.plans.state import PlanState
from knowledge import LANGS, Lang, Vocabulary, fold
from knowledge.vocab import PlanVerb

if TYPE_CHECKING:
    from bot.plans.runtime import PlanContext


@register
@dataclass(frozen=True, slots=True)
class Lock(Change, Simple):
    """``plan lock``: only admins and editors may change the plan."""

    verb: ClassVar[PlanVerb] = "lock"
    admin_only: ClassVar[str | None] = "plan.action.lock"
    changes: ClassVar[bool] = False  # an admin may lock whatever the lock says

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """Locked."""
        state.locked = True
        return state

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """ "The plan is locked…"."""
        return [ctx.t("plan.lock.done")]


@register
@dataclass(frozen=True, slots=True)
class Unlock(Change, Simple):
    """``plan unlock``: everyone may change the plan."""

    verb: ClassVar[PlanVerb] = "unlock"
    admin_only: ClassVar[str | None] = "plan.action.lock"
    changes: ClassVar[bool] = False

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """Unlocked."""
        state.locked = False
        return state

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """ "The plan is unlocked…"."""
        return [ctx.t("plan.unlock.done")]


@dataclass(frozen=True, slots=True)
class ListEditors(Simple):
    """``plan editors``: who may edit the locked plan."""

    verb: ClassVar[PlanVerb] = "editors"

    def run(self, ctx: PlanContext) -> Answer:
        """The plan, with its editors."""
        from bot.plans.views import plan_answer

        users = ", ".join(ctx.state.editors) or ctx.t("plan.none")
        lines = [ctx.t("plan.editors.list", users=users)]
        return plan_answer(ctx, ctx.state, ctx.t("plan.title"), lines)


@register
@dataclass(frozen=True, slots=True)
class Editors(Change):
    """``plan editors add|remove USER``."""

    verb: ClassVar[PlanVerb] = "editors"
    admin_only: ClassVar[str | None] = "plan.action.editors"
    changes: ClassVar[bool] = False
    grant: bool
    user: str

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """``add <@U123>`` / ``quitar U123``."""
        action = fold(args[0]) if args else ""
        words = vocab.plan
        if len(args) != 2 or action not in words.grant.all() + words.revoke.all():
            raise GrammarError("plan.editors.usage")
        return cls(grant=action in words.grant.all(), user=parse_user(args[1]))

    @classmethod
    def parse(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> PlanCommand:
        """``plan editors`` lists them; with arguments it grants or withdraws."""
        if not args:
            return ListEditors()
        return cls.from_args(args, lang, vocab)

    def canonical(self) -> str:
        """``editors add U123``."""
        return f"editors {'add' if self.grant else 'remove'} {self.user}"

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """The user added to (or removed from) the editors."""
        others = [e for e in state.editors if e != self.user]
        state.editors = [*others, self.user] if self.grant else others
        return state

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """ "U123 can now edit the locked plan."."""
        key = "plan.editors.added" if self.grant else "plan.editors.removed"
        return [ctx.t(key, user=self.user)]


@register
@dataclass(frozen=True, slots=True)
class LangCommand(Change):
    """``plan lang en|es``: the language of this workspace's plan replies."""

    verb: ClassVar[PlanVerb] = "lang"
    lang: Lang

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """``en`` or ``es``."""
        given = fold(args[0]) if len(args) == 1 else ""
        for code in LANGS:
            if given == code:
                return cls(lang=code)
        raise GrammarError("plan.lang.bad")

    def canonical(self) -> str:
        """``lang es``."""
        return f"lang {self.lang}"

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """The new language."""
        state.lang = self.lang
        return state

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """Said in the new language."""
        return [ctx.t("plan.lang.done")]

    def run(self, ctx: PlanContext) -> Answer:
        """Answer in the language just chosen."""
        return replace(ctx, lang=self.lang).commit(self)
