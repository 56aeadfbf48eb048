"""What every plan command is: parse its arguments, authorise, run (or apply and describe).

A command is a small frozen object. ``from_args`` builds it from the words typed after the verb;
adapters with typed options (Discord, the CLI) build it directly. ``run`` answers it; a ``Change``
only says how it changes the plan (``apply``) and how to say so (``describe``), and the service
runs it in one transaction with a history row.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Self, TypeVar

from bot.plans.grammar import GrammarError
from bot.plans.state import PlanState
from knowledge import Lang, Vocabulary
from knowledge.vocab import PlanVerb

if TYPE_CHECKING:
    from bot.models import Answer
    from bot.plans.runtime import PlanContext


@dataclass(frozen=True, slots=True)
class PlanCommand(ABC):
    """One plan command (``plan <verb> <args>``)."""

    verb: ClassVar[PlanVerb]
    #: The command changes the plan: a locked plan refuses it to non-editors.
    changes: ClassVar[bool] = False
    #: Only workspace admins may run it; the value is the catalogue key of the action's name.
    admin_only: ClassVar[str | None] = None

    @classmethod
    @abstractmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """The command from the words after its verb; raises :class:`GrammarError`."""

    @classmethod
    def parse(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> PlanCommand:
        """The command a verb's words stand for (usually this class's; see ``Editors``)."""
        return cls.from_args(args, lang, vocab)

    def canonical(self) -> str:
        """The command as typed in English words, without "plan" (history, buttons)."""
        return self.verb

    @property
    def may_need_admin(self) -> bool:
        """True when whether the user is an admin can change the answer."""
        return self.changes or self.admin_only is not None

    def authorise(self, ctx: PlanContext) -> None:
        """Raise :class:`GrammarError` when this user may not run the command now.

        A guest from another organisation never changes the plan, nor runs an admin command,
        even when their own organisation makes them an admin.
        """
        if self.may_need_admin and ctx.origin.user_is_external:
            raise GrammarError("plan.external.refused")
        if self.admin_only is not None and not ctx.origin.user_is_admin:
            raise GrammarError("plan.admin_only", action=ctx.t(self.admin_only))
        if self.changes and not ctx.can_edit():
            raise GrammarError("plan.locked.refused")

    @abstractmethod
    def run(self, ctx: PlanContext) -> Answer:
        """Answer the command (after ``authorise``)."""


@dataclass(frozen=True, slots=True)
class Change(PlanCommand):
    """A command that changes the plan, recorded in its history and undoable."""

    changes: ClassVar[bool] = True

    @abstractmethod
    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """The plan after the change (``state`` is a copy; raise to refuse)."""

    @abstractmethod
    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """Lines saying what changed."""

    def unchanged(self, state: PlanState, ctx: PlanContext) -> list[str]:
        """Lines for a change that left the plan as it was (some say why, e.g. ``recommend``)."""
        return [ctx.t("plan.changed.nothing")]

    def run(self, ctx: PlanContext) -> Answer:
        """Apply the change in one transaction and answer with the plan after it."""
        return ctx.commit(self)


@dataclass(frozen=True, slots=True)
class Simple(PlanCommand):
    """A command without arguments (extra words are ignored: "plan show please")."""

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """The command; its arguments are ignored."""
        return cls()


#: The command class that parses each verb's words (filled by ``@register``).
COMMANDS: dict[PlanVerb, type[PlanCommand]] = {}
C = TypeVar("C", bound=type[PlanCommand])


def register(cls: C) -> C:
    """Make ``cls`` the command for its verb (one per verb)."""
    if cls.verb in COMMANDS:
        raise ValueError(f"two commands for plan verb {cls.verb!r}")
    COMMANDS[cls.verb] = cls
    return cls


Parser = Callable[[list[str], Lang, Vocabulary], PlanCommand]
