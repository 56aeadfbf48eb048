"""The core every adapter calls: ``Bot.parse(Message) -> Request``, ``handle(Request) -> Answer``.

Pure and synchronous: no chat SDK, no network. Its state is the plan store (passed in) and a
small per-conversation memory, so that follow-ups ("and with live streaming?") refine the
previous sizing answer: kept in the process, or in the database that replicas share (a
``ConversationStore`` passed in).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, ParamSpec, Protocol, TypeVar

from bot import requests as rq
from bot.answers.common import with_readings
from bot.answers.decision import decision_answer
from bot.answers.facts import role_fact
from bot.answers.misc import (
    empty_answer,
    error_answer,
    help_answer,
    small_talk_answer,
    too_long_answer,
    unknown_answer,
)
from bot.answers.roles import compare_roles, role_card, who_does
from bot.answers.team import team_roles
from bot.context import Knowledge, default_knowledge
from bot.conversation import Memory, with_plan
from bot.conversation_store import ConversationStore
from bot.models import Answer, Message, Origin
from bot.parse import Parser, size_request
from bot.requests import Request
from knowledge import Lang

if TYPE_CHECKING:
    from bot.plans.overview import PlanOverview

log = logging.getLogger("shopcrew.bot")

#: ``observer(request, answer, seconds)``, called after each answer.
Observer = Callable[[Request, Answer, float], None]
P = ParamSpec("P")
T = TypeVar("T")


class PlanHandler(Protocol):
    """What the core needs from the team plans (see ``bot.plans.service``)."""

    def handle(self, request: rq.PlanRequest, knowledge: Knowledge) -> Answer:
        """Run one plan command for the request's workspace and user."""

    def context(self, origin: Origin) -> rq.SizingContext | None:
        """The stores, stage and channels of the workspace's plan, when it sets any."""

    def cost_figures(self, origin: Origin) -> rq.CostFigures | None:
        """The salaries and currency the workspace's plan sets; None when it sets no salary."""

    def has_roles(self, origin: Origin) -> bool:
        """Whether the workspace's plan has anyone in it (False when it cannot be read)."""

    def overview(
        self, origin: Origin, lang: Lang, knowledge: Knowledge, own_lang: bool = False
    ) -> PlanOverview | Answer:
        """The workspace's plan against the recommendation, or why it cannot be read."""


class Bot:
    """Understands messages and answers requests."""

    def __init__(
        self,
        knowledge: Knowledge | None = None,
        plans: PlanHandler | None = None,
        observer: Observer | None = None,
        conversations: ConversationStore | None = None,
    ) -> None:
        self.knowledge = knowledge or default_knowledge()
        self.plans = plans
        #: Called after every answer with the time it took (metrics and logs hook in here).
        self.observer = observer
        self.memory = Memory(store=conversations)
        self.parser = Parser(self.knowledge, self.memory)
        # One thread runs every answer and storage call of an asyncio adapter, in arrival order:
        # the conversation memory and the database connection are used from one thread only,
        # and the event loop stays free (acks, health checks) even while a write waits for a
        # lock another process holds.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shopcrew-core")

    async def offload(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn`` on the core's worker thread and wait for it without blocking the loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, functools.partial(fn, *args, **kwargs))

    async def parse_async(self, message: Message) -> Request:
        """``parse`` on the worker thread (for adapters running an event loop)."""
        return await self.offload(self.parse, message)

    async def parse_button_async(self, value: str, origin: Origin) -> Request:
        """``parse_button`` on the worker thread."""
        return await self.offload(self.parse_button, value, origin)

    async def handle_async(self, request: Request) -> Answer:
        """``handle`` on the worker thread."""
        return await self.offload(self.handle, request)

    async def answer_async(self, message: Message) -> Answer:
        """``answer`` on the worker thread."""
        return await self.offload(self.answer, message)

    def close(self) -> None:
        """Let the worker thread go once it finishes what it is doing (nothing new starts)."""
        self._worker.shutdown(wait=False, cancel_futures=True)

    def parse(self, message: Message) -> Request:
        """The typed request a chat message stands for. Never raises."""
        return self._read(message, lambda: self.parser.parse(message))

    def handle(self, request: Request) -> Answer:
        """Answer one request. Never raises: an internal error becomes a polite apology."""
        start = time.perf_counter()
        try:
            answer = self._answer(request)
            answer = with_readings(self.knowledge.kb, answer, request.entities.read_as)
        except Exception:
            origin = request.origin
            log.exception("error answering on %s/%s", origin.platform, origin.workspace)
            answer = error_answer(request.lang)
        self._note_for_why(request, answer)
        if not answer.error:
            self.memory.spoke(request.origin, answer.language)
        self.memory.settle(request.origin)  # written before the answer is sent
        if self.observer is not None:
            self.observer(request, answer, time.perf_counter() - start)
        return answer

    def _note_for_why(self, request: Request, answer: Answer) -> None:
        """Remember what "why?" would explain next: this sizing answer, or nothing."""
        if isinstance(request, rq.SizeDetails) and not answer.error:
            return  # "why?" twice explains the same answer twice
        if isinstance(request, rq.SizeTeam | rq.WhatIf | rq.CompareSizes) and not answer.error:
            return  # noted by ``_size`` / ``_compare``, as answered: with what the plan filled in
        self.memory.answered(request.origin, None)

    def parse_button(self, value: str, origin: Origin) -> Request:
        """The request behind a clicked suggestion button (see ``bot.buttons``). Never raises."""
        return self._read(origin, lambda: self.parser.parse_button(value, origin))

    @staticmethod
    def _read(origin: Origin, parse: Callable[[], Request]) -> Request:
        """``parse()``, or a request answered with an apology when reading failed."""
        try:
            return parse()
        except Exception:
            log.exception("error reading a message on %s/%s", origin.platform, origin.workspace)
            lang = origin.default_lang or "en"
            return rq.Unknown(origin=origin, lang=lang, words=(), failed=True)

    def plan_overview(
        self, origin: Origin, lang: Lang, own_lang: bool = False
    ) -> PlanOverview | Answer:
        """The plan against the recommendation, for a panel or a home tab. Never raises: an
        unreadable plan or an internal error comes back as the answer that says so.

        ``own_lang``: ``lang`` is the viewer's own language (a Slack user's locale) and wins
        over the plan's; otherwise the plan's language does, as for a plan command.
        """
        if self.plans is None:
            return help_answer(self.knowledge, rq.Help(origin=origin, lang=lang))
        try:
            return self.plans.overview(origin, lang, self.knowledge, own_lang)
        except Exception:
            log.exception("error showing the plan on %s/%s", origin.platform, origin.workspace)
            return error_answer(lang)

    async def plan_overview_async(
        self, origin: Origin, lang: Lang, own_lang: bool = False
    ) -> PlanOverview | Answer:
        """``plan_overview`` on the worker thread."""
        return await self.offload(self.plan_overview, origin, lang, own_lang)

    def answer(self, message: Message) -> Answer:
        """Parse and answer a chat message (when no admin lookup sits in between)."""
        return self.handle(self.parse(message))

    def _answer(self, request: Request) -> Answer:
        k = self.knowledge
        match request:
            case rq.RoleLookup():
                return role_card(k, request)
            case rq.WhoDoes():
                return who_does(k, request)
            case rq.CompareRoles():
                return compare_roles(k, request)
            case rq.RoleFact():
                return role_fact(k, request)
            case rq.TeamRoles():
                return self._team(request)
            case rq.SizeTeam() | rq.SizeRefused() | rq.SizeDetails():
                return self._size(request)
            case rq.WhatIf() | rq.CompareSizes():
                return self._compare(request)
            case rq.PlanRequest():
                if self.plans is None:
                    return help_answer(k, rq.Help(origin=request.origin, lang=request.lang))
                return self.plans.handle(request, k)
            case rq.Help():
                return help_answer(k, request)
            case rq.Decision():
                plan = self._plan_context(request.origin) if not request.context.stores else None
                if plan is not None:
                    request = replace(request, context=with_plan(request.context, plan))
                return decision_answer(k, request)
            case rq.SmallTalk():
                return small_talk_answer(k, request)
            case rq.Empty():
                return empty_answer(k, request)
            case rq.TooLong():
                return too_long_answer(k, request)
            case rq.Unknown() if request.failed:
                return error_answer(request.lang)
            case rq.Unknown():
                return unknown_answer(k, request)
        raise TypeError(f"no answer for {type(request).__name__}")

    def _size(self, request: rq.SizeTeam | rq.SizeRefused | rq.SizeDetails) -> Answer:
        # Imported here: the sizing engine is not needed to start or to answer role questions.
        from bot.answers.sizing import size_refused, team_size
        from bot.answers.sizing_details import size_details

        if isinstance(request, rq.SizeRefused):
            return size_refused(self.knowledge, request)
        if isinstance(request, rq.SizeDetails):
            return size_details(self.knowledge, request)
        planned = self._with_plan(request)
        if isinstance(planned, rq.SizeRefused):
            self.memory.answered(planned.origin, None)
            return size_refused(self.knowledge, planned)
        self.memory.remember(planned.origin, planned.context)
        self.memory.answered(planned.origin, planned)
        return team_size(self.knowledge, planned)

    def _compare(self, request: rq.WhatIf | rq.CompareSizes) -> Answer:
        """Sizings side by side; a what-if is first resolved against the plan."""
        from bot.answers.compare import compare_sizes
        from bot.whatif import last_sizing, needs_plan, resolve

        if isinstance(request, rq.WhatIf):
            plan = self._plan_context(request.origin) if needs_plan(request) else None
            resolved = resolve(request, plan)
            if not isinstance(resolved, rq.CompareSizes):
                return self._size(resolved)
            request = resolved
        if self.plans is not None:
            request = replace(request, costs=self.plans.cost_figures(request.origin))
        # "why?" explains the last scenario, and "and with live?" refines it.
        last = last_sizing(request)
        self.memory.remember(request.origin, last.context)
        self.memory.answered(request.origin, last)
        return compare_sizes(self.knowledge, request)

    def _team(self, request: rq.TeamRoles) -> Answer:
        """A team of the article; asked as an org chart, with a button that draws the
        workspace's own plan (the article's team is not the picture of theirs)."""
        plans = self.plans
        drawable = request.org_chart and plans is not None and plans.has_roles(request.origin)
        return team_roles(self.knowledge, request, offer_chart=drawable)

    def _plan_context(self, origin: Origin) -> rq.SizingContext | None:
        return self.plans.context(origin) if self.plans is not None else None

    def _with_plan(self, request: rq.SizeTeam) -> rq.SizeTeam | rq.SizeRefused:
        """A question that names no store count is about the workspace's own team: its plan's
        stores, stage and channels fill in what the question left out (the answer says so)."""
        context = request.context
        plan = self._plan_context(request.origin) if context.stores is None else None
        if plan is None:
            return request
        filled = with_plan(context, plan)
        return size_request(request.origin, request.lang, filled, filled.entities(), request.text)
