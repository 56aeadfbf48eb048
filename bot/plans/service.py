"""Run plan requests: pick the reply's language, authorise, run the command, answer."""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.answers.misc import storage_answer
from bot.context import Knowledge
from bot.models import Answer, Origin, Section
from bot.plans.commands.basics import usage_answer
from bot.plans.commands.context import Channels
from bot.plans.commands.roles import RoleCount
from bot.plans.grammar import GrammarError
from bot.plans.overview import PlanOverview, plan_overview
from bot.plans.parse import command_words
from bot.plans.runtime import PlanContext
from bot.plans.spoken import spoken
from bot.plans.state import PlanState
from bot.plans.store import PlanStore
from bot.plans.views import refusal_answer
from bot.requests import CostFigures, PlanRequest, SizingContext
from bot.storage.errors import StorageError
from knowledge import Lang

log = logging.getLogger("shopcrew.plans")


def workspace_key(origin: Origin) -> str:
    """Platform + workspace id, so a Slack team and a Discord server can never collide.

    The console and the CLI share the ``local`` namespace (the same plan from both).
    """
    platform = "local" if origin.platform in ("console", "cli") else origin.platform
    return f"{platform}:{origin.workspace}"


def reply_lang(words_lang: Lang | None, state: PlanState, asked: Lang) -> Lang:
    """Spanish command words answer in Spanish; otherwise the workspace's language if set."""
    if words_lang == "es":
        return "es"
    return state.lang or words_lang or asked


def _lang_for(request: PlanRequest, state: PlanState) -> Lang:
    """The reply's language; a guest from another organisation gets their own, not the plan's."""
    if request.origin.user_is_external:
        return request.words_lang or request.lang
    return reply_lang(request.words_lang, state, request.lang)


def _overview_lang(origin: Origin, state: PlanState, asked: Lang) -> Lang:
    """An overview's language: as a plan command's reply without command words."""
    return asked if origin.user_is_external else reply_lang(None, state, asked)


class PlanService:
    """The team plan of every workspace, behind the plan commands."""

    def __init__(self, store: PlanStore) -> None:
        self.store = store

    def context(self, origin: Origin) -> SizingContext | None:
        """The stores, stage and channels of the workspace's plan, when it sets any.

        A plan that cannot be read gives no context: the question is still answered, for the
        stores it names (or one), as for a workspace without a plan.
        """
        state = self._readable(origin)
        if state is None:
            return None
        if state.stores is None and state.stage is None and not state.channels and not state.ratios:
            return None
        return SizingContext(
            stores=state.stores,
            stage=state.stage,
            channels=tuple(state.channels),
            plan_ratios=tuple(sorted(state.ratios.items())),
        )

    def has_roles(self, origin: Origin) -> bool:
        """Whether the workspace's plan has anyone in it (False when it cannot be read)."""
        state = self._readable(origin)
        return state is not None and bool(state.roles)

    def cost_figures(self, origin: Origin) -> CostFigures | None:
        """The salaries and currency the workspace's plan sets; None when it sets no salary
        (or cannot be read: the comparison is still answered, without cost)."""
        state = self._readable(origin)
        if state is None or not state.salaries:
            return None
        return CostFigures(salaries=dict(state.salaries), currency=state.currency)

    def overview(
        self, origin: Origin, lang: Lang, knowledge: Knowledge, own_lang: bool = False
    ) -> PlanOverview | Answer:
        """The workspace's plan against the recommendation, for ``origin`` to look at.

        The language is a plan reply's (the plan's own, else ``lang``), or ``lang`` itself when
        it is the viewer's ``own_lang``. When the database cannot be read, the answer says so,
        as a plan command's would.
        """
        workspace = workspace_key(origin)
        try:
            state = self.store.read(workspace)
        except StorageError as exc:
            _log_failure(exc, origin)
            return storage_answer(lang, busy=exc.kind == "busy")
        ctx = PlanContext(
            knowledge=knowledge,
            store=self.store,
            origin=origin,
            workspace=workspace,
            state=state,
            lang=lang if own_lang else _overview_lang(origin, state, lang),
            typed="",
        )
        return plan_overview(ctx)

    def _readable(self, origin: Origin) -> PlanState | None:
        """The workspace's plan, or None (logged) when it cannot be read."""
        try:
            return self.store.read(workspace_key(origin))
        except StorageError as exc:
            _log_failure(exc, origin)
            return None

    def handle(self, request: PlanRequest, knowledge: Knowledge) -> Answer:
        """Run one plan request for its workspace and user.

        When the database cannot be read or written, the answer says so (busy: try again in a
        moment; down: questions still work) and nothing is changed.
        """
        try:
            return self._handle(request, knowledge)
        except StorageError as exc:
            _log_failure(exc, request.origin)
            return storage_answer(request.lang, busy=exc.kind == "busy")

    def _handle(self, request: PlanRequest, knowledge: Knowledge) -> Answer:
        workspace = workspace_key(request.origin)
        state = self.store.read(workspace)
        if isinstance(request.command, Channels):
            # "add douyin to the plan": the channels it adds to, written out in full.
            request = replace(request, command=request.command.resolved(state))
        ctx = PlanContext(
            knowledge=knowledge,
            store=self.store,
            origin=request.origin,
            workspace=workspace,
            state=state,
            lang=_lang_for(request, state),
            typed="",
        )
        # The history records what was typed; a plain-words request records its command.
        ctx.typed = f"plan {_words(request, ctx)}".strip()
        answer = self._run(request, ctx)
        return _reported(answer, request, ctx)

    def _run(self, request: PlanRequest, ctx: PlanContext) -> Answer:
        command = request.command
        if request.error is not None:
            return self._refusal(ctx, request.error)
        assert command is not None
        try:
            command.authorise(ctx)
            return command.run(ctx)
        except GrammarError as exc:
            return self._refusal(ctx, exc)

    @staticmethod
    def _refusal(ctx: PlanContext, exc: GrammarError) -> Answer:
        problem = ctx.t(exc.key, **exc.params)
        if exc.key == "plan.unknown_command":
            return usage_answer(ctx, problem)
        return refusal_answer(ctx, problem, offer_help=exc.key == "plan.unknown_role_dym")


def _log_failure(exc: StorageError, origin: Origin) -> None:
    """One line per failure, saying what the operator should look at."""
    level = logging.INFO if exc.kind == "busy" else logging.ERROR
    log.log(
        level,
        "plan storage %s for %s: %s",
        exc.kind,
        workspace_key(origin),
        exc.detail,
        extra={"event": f"storage_{exc.kind}"},
    )


def _words(request: PlanRequest, ctx: PlanContext) -> str:
    """The words after "plan": as typed, or the command written in the reply's words."""
    command = request.command
    if request.plain and command is not None:
        return spoken(command, ctx)
    if request.text:
        return command_words(request.text, ctx.knowledge)
    return command.canonical() if command else ""


def _reported(answer: Answer, request: PlanRequest, ctx: PlanContext) -> Answer:
    """The answer with what was understood, and, for plain words, the command it ran."""
    command, error = request.command, request.error
    verb = command.verb if command is not None else error.verb if error is not None else None
    entities = request.entities.model_copy(update={"plan_verb": verb})
    if isinstance(command, RoleCount):
        try:
            roles = [ctx.role(command.role)]
        except GrammarError:
            roles = []
        entities = entities.model_copy(update={"roles": roles, "count": command.count})
    sections = answer.sections
    if request.plain and command is not None:
        key = "plan.read_as" if answer.refusal else "plan.ran"
        ran = Section(lines=[ctx.t(key, command=ctx.typed)])
        sections = [ran, *sections]
    return answer.model_copy(update={"entities": entities, "sections": sections})
