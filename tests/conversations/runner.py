"""One runner for every surface: play a conversation, then check each turn's reply twice (the
core's answer and what the person sees), and sort the problems into failures, known defects
still present, and known defects that are fixed now."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pytest

from bot.context import default_knowledge
from bot.core import Bot
from bot.models import Answer, Message
from bot.requests import Request, SizeTeam
from tests.conversations.checks import Seen, core_problems, seen_problems
from tests.conversations.script import Conversation, Turn


class Clock:
    """The conversation memory's clock, moved on by the script instead of waited for."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        """Let ``minutes`` pass."""
        self.now += minutes * 60


@dataclass
class Exchange:
    """One request the core answered, with the message's reading alone when asked for."""

    request: Request
    answer: Answer
    alone: Answer | None = None


class Recorder:
    """The bot's observer: every request and answer, as the core saw them."""

    def __init__(self) -> None:
        self.exchanges: list[Exchange] = []
        #: Set while a turn whose context is checked is played: its message is also read alone.
        self.alone_from: Bot | None = None

    def __call__(self, request: Request, answer: Answer, seconds: float) -> None:
        alone = None
        if self.alone_from is not None and request.text:
            alone = read_alone(self.alone_from, request)
        self.exchanges.append(Exchange(request, answer, alone))

    def since(self, mark: int) -> Exchange | None:
        """The one exchange after ``mark`` (None when the core was not asked)."""
        new = self.exchanges[mark:]
        assert len(new) <= 1, f"one message was answered {len(new)} times"
        return new[0] if new else None


def read_alone(bot: Bot, request: Request) -> Answer:
    """The message as the first of a new conversation in the same workspace (same plan)."""
    fresh = Bot(knowledge=bot.knowledge, plans=bot.plans)
    origin = request.origin.model_dump(exclude={"text"})
    return fresh.answer(Message(text=request.text, **origin))


def observed(bot: Bot, recorder: Recorder, clock: Clock) -> Bot:
    """``bot`` observed by ``recorder``, its memory on ``clock``."""
    bot.observer = recorder
    bot.memory.clock = clock
    return bot


def wants_alone(turn: Turn) -> bool:
    """The turns whose reading is compared with the message read alone."""
    return turn.context in ("asked", "previous", "fresh")


def seen_with(seen: Seen, exchange: Exchange | None) -> Seen:
    """``seen`` with what the core was asked and answered."""
    if exchange is not None:
        seen.request, seen.answer, seen.alone = exchange.request, exchange.answer, exchange.alone
    return seen


class Surface(Protocol):
    """A way to talk to ShopCrew: the core, the console, Slack, Discord."""

    name: str

    async def play(self, conversation: Conversation) -> list[Seen]:
        """Every turn's reply, in order (fewer when the surface closed the conversation)."""


@dataclass
class Outcome:
    """The problems found, by kind."""

    failures: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)


def _turn_problems(turn: Turn, seen: Seen, before: Seen | None) -> list[str]:
    if seen.ended:  # checked by ``verify``: only the last turn may close the conversation
        return []
    k = default_knowledge()
    return core_problems(turn, seen, before) + seen_problems(k, turn, seen, before)


def _is_sizing(seen: Seen) -> bool:
    return isinstance(seen.request, SizeTeam) and seen.answer is not None


def verify(surface: str, conversation: Conversation, seen: list[Seen]) -> Outcome:
    """Check every turn; a surface may close the conversation only at its last turn."""
    outcome, before = Outcome(), None
    if len(seen) != len(conversation.turns) or any(s.ended for s in seen[:-1]):
        outcome.failures.append(f"{surface}: the conversation ended after {len(seen)} turns")
    for n, (turn, shown) in enumerate(zip(conversation.turns, seen, strict=False), start=1):
        problems = _turn_problems(turn, shown, before)
        where = f"{surface}, turn {n} ({turn.say!r})"
        if turn.defect is None:
            outcome.failures += [f"{where}: {p}" for p in problems]
        elif problems:
            outcome.known.append(f"{where}: {turn.defect} [{'; '.join(problems)}]")
        else:
            outcome.fixed.append(f"{where} passes now: remove its defect mark")
        if _is_sizing(shown):
            before = shown
    return outcome


def settle(outcome: Outcome) -> None:
    """Fail on any unexpected problem; an expected failure while a known defect remains."""
    if outcome.failures or outcome.fixed:
        pytest.fail("\n".join([*outcome.failures, *outcome.fixed]), pytrace=False)
    if outcome.known:
        pytest.xfail("\n".join(outcome.known))


async def run(surface: Surface, conversation: Conversation) -> None:
    """Play ``conversation`` on ``surface`` and check every reply."""
    settle(verify(surface.name, conversation, await surface.play(conversation)))
