"""The one intent layer every adapter calls: ``Bot.handle(Message) -> Answer``.

Pure and synchronous: no chat SDK, no network. The only state is the plan store (issue 4), passed
in, and a small per-conversation memory so that follow-ups ("and with live streaming?") refine the
previous sizing answer.
"""

from __future__ import annotations

import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from bot.answers.common import Understood
from bot.answers.misc import (
    empty_answer,
    error_answer,
    help_answer,
    too_long_answer,
    unknown_answer,
)
from bot.answers.roles import compare_roles, role_duties, who_does
from bot.entities import (
    RoleMatcher,
    Workload,
    default_matcher,
    detect_lang,
    extract_channels,
    extract_stage,
    extract_stores,
    extract_team,
    extract_workload,
)
from bot.intents import Scored, score_intents
from bot.models import Answer, Lang, Message
from bot.normalize import Normalized, normalize
from bot.search import DutyIndex, default_index
from knowledge import KnowledgeBase, default_kb

log = logging.getLogger("shopcrew.bot")

#: Questions longer than this are refused politely (a paste, not a question).
MAX_CHARS = 2000
_FOLLOW_UP = re.compile(
    r"^(?:and|what about|how about|plus|with|y|y si|y con|y para|con|que tal|e|and if|and for|"
    r"and with|y que tal|entonces)\b"
)
_CONTEXT_SIZE = 1024
_LEADING_MENTIONS = re.compile(r"^\s*(?:<@[^>]+>\s*)+")
_PLAN_PREFIX = re.compile(r"^\s*/?(?:shopcrew\s+)?/?(?:plan|planes)\b\s*", re.IGNORECASE)


#: ``observer(message, answer, seconds)``, called after each answer.
Observer = Callable[[Message, Answer, float], None]


class PlanHandler(Protocol):
    """What the intent layer needs from the plan store (see ``bot.plans``)."""

    def handle(self, message: Message, command: str, lang: Lang) -> Answer:
        """Run one plan command for the message's workspace and user."""


class Bot:
    """Understands a message and builds the answer."""

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        plans: PlanHandler | None = None,
        observer: Observer | None = None,
    ) -> None:
        self.kb = kb or default_kb()
        self.plans = plans
        #: Called after every answer with the time it took (metrics and logs hook in here).
        self.observer = observer
        # The packaged knowledge base's matcher and index are built once per process and shared.
        self.matcher = default_matcher() if kb is None else RoleMatcher(self.kb)
        self.index = default_index() if kb is None else DutyIndex(self.kb)
        self._last_size: OrderedDict[tuple[str, str, str], Understood] = OrderedDict()

    def understand(
        self, message: Message, norm: Normalized | None = None
    ) -> tuple[Understood, Scored]:
        """Entities and intent of a message (no answer built)."""
        norm = norm or normalize(message.text)
        hits = self.matcher.find(norm.words)
        lang = detect_lang(norm, hits, message.default_lang)
        stores = extract_stores(norm, lang)
        stage = extract_stage(norm)
        channels = extract_channels(norm)
        team = extract_team(norm, stage, channels)
        duties = self.index.search(norm.folded)
        scored = score_intents(norm, hits, stores, duties[0].score if duties else 0.0, team)
        workload = extract_workload(norm, lang)
        u = Understood(norm, lang, hits, stores, stage, channels, team, duties, workload)
        return u, scored

    def handle(self, message: Message) -> Answer:
        """Answer one message. Never raises: an internal error becomes a polite apology."""
        start = time.perf_counter()
        try:
            answer = self._handle(message)
        except Exception:
            log.exception("error answering message on %s/%s", message.platform, message.workspace)
            answer = error_answer(message.default_lang or "en")
        if self.observer is not None:
            self.observer(message, answer, time.perf_counter() - start)
        return answer

    def _handle(self, message: Message) -> Answer:
        raw = message.text or ""
        if len(raw) > MAX_CHARS:
            lang = detect_lang(normalize(raw[:MAX_CHARS]), [], message.default_lang)
            return too_long_answer(lang, len(raw), MAX_CHARS)
        norm = normalize(raw)
        if not norm.words:
            return empty_answer(message.default_lang or "en")
        u, scored = self.understand(message, norm)
        key = (message.platform, message.workspace, message.user)
        intent = scored.intent
        if self._is_follow_up(u, scored) and key in self._last_size:
            u = self._merge(self._last_size[key], u)
            intent = "team_size"
        if intent == "plan":
            return self._plan(message, u)
        if intent == "team_size":
            self._remember(key, u)
        if intent in ("team_roles", "team_size"):
            # Imported here: the sizing engine is not needed to start or to answer role questions.
            from bot.answers import team

            return (
                team.team_size(self.kb, u) if intent == "team_size" else team.team_roles(self.kb, u)
            )
        builders = {
            "role_duties": role_duties,
            "who_does": who_does,
            "compare_roles": compare_roles,
        }
        if intent in builders:
            return builders[intent](self.kb, u)
        if intent == "help":
            return help_answer(u.lang)
        return unknown_answer(self.kb, u)

    def _plan(self, message: Message, u: Understood) -> Answer:
        # Keep user mentions in the arguments ("plan editors add <@U123>"); drop a leading
        # mention of the bot itself and the "/shopcrew plan" prefix.
        text = _LEADING_MENTIONS.sub("", " ".join(message.text.split()))
        command = _PLAN_PREFIX.sub("", text, count=1)
        if command == text:  # "show the plan" and friends: an empty command shows the plan
            command = ""
        if self.plans is None:
            return help_answer(u.lang)
        return self.plans.handle(message, command.strip(), u.lang)

    @staticmethod
    def _is_follow_up(u: Understood, scored: Scored) -> bool:
        refines = (
            u.stores is not None
            or bool(u.channels)
            or u.stage is not None
            or u.workload != Workload()
        )
        if not refines or scored.intent not in ("team_size", "team_roles", "unknown"):
            return False
        starts = bool(_FOLLOW_UP.search(" ".join(u.norm.words)))
        strong = scored.score >= 0.8
        # "and with live streaming?" / "y si son tres tiendas?" refine; a full question does not.
        return starts or (not strong and len(u.norm.words) <= 4)

    @staticmethod
    def _merge(prev: Understood, new: Understood) -> Understood:
        return Understood(
            norm=new.norm,
            lang=new.lang,
            roles=new.roles or prev.roles,
            stores=new.stores if new.stores is not None else prev.stores,
            stage=new.stage or prev.stage,
            channels=sorted(set(prev.channels) | set(new.channels), key=_CHANNEL_ORDER.index),
            team=new.team or prev.team,
            duties=new.duties,
            workload=Workload(
                **{
                    **{k: v for k, v in vars_of(prev.workload).items() if v is not None},
                    **{k: v for k, v in vars_of(new.workload).items() if v is not None},
                }
            ),
        )

    def _remember(self, key: tuple[str, str, str], u: Understood) -> None:
        self._last_size[key] = u
        self._last_size.move_to_end(key)
        while len(self._last_size) > _CONTEXT_SIZE:
            self._last_size.popitem(last=False)


_CHANNEL_ORDER = ["live", "short_video", "xiaohongshu", "kuaishou", "douyin"]


def vars_of(workload: Workload) -> dict[str, float | None]:
    """A workload's fields as a dict (it has slots, so no ``__dict__``)."""
    return {
        "inquiries_per_day": workload.inquiries_per_day,
        "peak_inquiries_per_hour": workload.peak_inquiries_per_hour,
        "orders_per_day": workload.orders_per_day,
    }
