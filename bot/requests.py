"""Typed requests: what a user asked, however they asked it.

Chat text is one way to build a request (``bot.parse``); Discord's slash-command options, buttons
on either platform, ``shopcrew size`` and ``shopcrew plan`` build them directly. The core answers
requests (``Bot.handle``), never raw text, so every entry point shares one set of answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal, TypeVar

from bot.models import Entities, Origin
from bot.understand import DutyMatch, StoreCount, Workload
from bot.understand.understood import entity_figures
from knowledge import Lang, RoleId, TemplateId
from knowledge.vocab import Channel, RoleFacet, Stage

#: What a staffing decision asks: whether a role is needed, whether a headcount is enough,
#: whether one person can cover two roles, which to hire first, or whether to outsource.
DecisionKind = Literal["need", "enough", "combine", "first", "outsource"]

#: What a small-talk message was: the reply is one short line for each.
SmallTalkKind = Literal["thanks", "bye", "sorry", "ok"]

if TYPE_CHECKING:
    from bot.plans.commands import PlanCommand
    from bot.plans.grammar import GrammarError
    from bot.sizing.inputs import SizingError, SizingInput


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """What every request carries: who asked, the language to answer in, what was understood."""

    origin: Origin
    lang: Lang
    entities: Entities = field(default_factory=Entities)
    #: The words the user typed, when the request came from text (for logs and metrics).
    text: str = ""

    @property
    def needs_admin(self) -> bool:
        """True when the answer depends on whether the user is an admin (adapters look it up)."""
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleLookup(Request):
    """What a role does. ``roles[0]`` is the one asked about; ``term`` names an unknown one."""

    roles: list[RoleId]
    #: The unknown role's name as typed ("sommelier"), when the question names one.
    term: str = ""
    #: Words to guess the meant role from when ``term`` is empty.
    hint: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleFact(Request):
    """Whom a role reports to, what to hire it for, how it is measured, or what it is paid.

    ``roles`` may be empty ("what KPIs should my team have?"): the answer asks which role, or
    answers for the team where it can.
    """

    facet: RoleFacet
    roles: list[RoleId]


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision(Request):
    """A yes/no or either/or staffing question, answered yes / no / it depends, then why."""

    kind: DecisionKind
    roles: list[RoleId]
    #: The sizing context the question gave ("is 2 people enough for a tmall store?").
    context: SizingContext = field(default_factory=lambda: SizingContext())
    #: A headcount the question proposes ("is 2 people enough"), when it gives one.
    proposed: int | None = None
    #: Duties matching the task the question names ("does the photographer also edit videos?").
    matches: list[DutyMatch] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class SmallTalk(Request):
    """Thanks, bye, sorry: answered briefly, in the conversation's language."""

    kind: SmallTalkKind


@dataclass(frozen=True, slots=True, kw_only=True)
class WhoDoes(Request):
    """Which role does a task: the duty search's matches and any roles named in the question."""

    matches: list[DutyMatch]
    named: list[RoleId]


@dataclass(frozen=True, slots=True, kw_only=True)
class CompareRoles(Request):
    """Two roles side by side (fewer than two: the answer asks which)."""

    roles: list[RoleId]


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamRoles(Request):
    """The roles of a team template."""

    template: TemplateId
    #: Asked with an org-chart word ("muéstrame el organigrama"): the answer also offers the
    #: picture of the workspace's own plan, when it has one.
    org_chart: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SizingContext:
    """What a sizing question said, so that a follow-up ("and with live streaming?") refines it."""

    stores: int | None = None
    stage: Stage | None = None
    channels: tuple[Channel, ...] = ()
    workload: Workload = field(default_factory=Workload)
    roles: tuple[RoleId, ...] = ()
    team: str | None = None
    #: How the store count was written (options, a fraction, something unreadable); ``stores``
    #: is the count sized, its first option.
    store_count: StoreCount = field(default_factory=StoreCount)
    #: The figures taken from the workspace's plan ("stores", "stage", "channels"), because
    #: the question left them out.
    from_plan: tuple[str, ...] = ()
    #: The workspace plan's own sizing ratios (``plan returns 5%``) the question did not give,
    #: as (sizing input, value) pairs: the question's own ratio always wins.
    plan_ratios: tuple[tuple[str, float], ...] = ()

    def entities(self) -> Entities:
        """What the question (with those before it) said, as the answer reports it."""
        return Entities(
            roles=list(self.roles),
            stores=self.stores,
            stage=self.stage,
            channels=list(self.channels),
            team=self.team,
            **entity_figures(self.store_count, self.workload),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SizeTeam(Request):
    """How many people per role; ``focus`` roles are answered first."""

    input: SizingInput
    focus: list[RoleId] = field(default_factory=list)
    #: True when the user gave no store count and one store was assumed (the answer says so).
    stores_assumed: bool = False
    context: SizingContext = field(default_factory=SizingContext)


@dataclass(frozen=True, slots=True, kw_only=True)
class SizeDetails(Request):
    """The full reasoning behind a sizing answer: "why?" right after one, or its details button.

    ``input`` is None when there is nothing to explain (no sizing answer just before), or when
    the button's answer has ``expired``.
    """

    input: SizingInput | None = None
    stores_assumed: bool = False
    #: From a button: the digest of the answer it was under (see ``bot.sizing.codec``).
    digest: str | None = None
    expired: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class WhatIf(Request):
    """A comparison asked in chat, before the plan is read: "compare 2 and 3 stores" gives its
    ``scenarios``; "what if we add live streaming?" gives the ``change`` to the last sizing
    question (``base``) or, with none, to the workspace's plan. The core resolves it into a
    :class:`CompareSizes` (see ``bot.whatif``)."""

    scenarios: tuple[SizingContext, ...] = ()
    base: SizingContext | None = None
    change: SizingContext | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CompareSizes(Request):
    """Two to four sizings side by side, with the difference per role and in total (the last
    scenario minus the first)."""

    inputs: tuple[SizingInput, ...]
    #: The question each scenario stands for (kept so "why?" and follow-ups can use the last).
    contexts: tuple[SizingContext, ...] = ()
    #: True when no store count was given or found and one store was assumed.
    stores_assumed: bool = False
    #: The figures taken from the workspace's plan ("stores", "stage", "channels").
    from_plan: tuple[str, ...] = ()
    #: The workspace's own salary figures, when it set any: each scenario then shows its
    #: monthly cost (never estimated; set by the core from the plan).
    costs: CostFigures | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CostFigures:
    """The monthly cost of one person per role and the currency, as the workspace set them
    (``plan salary``, ``plan currency``); the only source of any cost ShopCrew shows."""

    salaries: Mapping[RoleId, float]
    currency: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SizeRefused(Request):
    """Sizing figures out of range: the answer names the figure and the allowed range."""

    error: SizingError


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanRequest(Request):
    """One plan command, or the grammar error that stopped it from being one."""

    command: PlanCommand | None
    error: GrammarError | None = None
    #: The language of the command words, when they were clearly one language.
    words_lang: Lang | None = None
    #: True when the command was read from plain words ("add 2 copywriters to the plan"): the
    #: answer shows the command it ran, so people learn it.
    plain: bool = False

    @property
    def needs_admin(self) -> bool:
        """Changes to a locked plan, and the admin commands, depend on admin rights."""
        return self.command is not None and self.command.may_need_admin


@dataclass(frozen=True, slots=True, kw_only=True)
class Help(Request):
    """What ShopCrew can do."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Unknown(Request):
    """Not understood: answered with "did you mean"."""

    words: tuple[str, ...]
    roles: list[RoleId] = field(default_factory=list)
    #: True when reading the message failed: the answer is an apology, not "did you mean".
    failed: bool = False
    #: True when the message is about something else (equipment, weather, fees) even if it
    #: names a role: the answer says what ShopCrew does, with no guess at a role question.
    off_topic: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Empty(Request):
    """A message with no words in it."""

    #: True when files came instead of words (the reply says ShopCrew reads words only).
    files: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class TooLong(Request):
    """A paste far longer than a question."""

    length: int
    limit: int


R = TypeVar("R", bound=Request)


def as_admin(request: R, admin: bool, external: bool = False) -> R:
    """The same request, from a user whose admin rights the adapter has looked up.

    ``external``: the lookup found a guest from another organisation (it never unmarks one).
    """
    update = {"user_is_admin": admin and not external}
    if external:
        update["user_is_external"] = True
    return replace(request, origin=request.origin.model_copy(update=update))
