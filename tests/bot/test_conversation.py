"""The conversation's memory: what "why?" is, and which answer it explains."""

from __future__ import annotations

import threading

import pytest

from bot.conversation import CONTEXT_TURNS, Memory, WhyWords, merged
from bot.conversation_store import Conversation, Key, SharedConversations
from bot.core import Bot
from bot.models import Message, Origin
from bot.plans.service import PlanService
from bot.requests import SizeTeam, SizingContext
from bot.sizing.inputs import parse_input
from bot.storage import Storage
from bot.storage.errors import StorageError
from bot.understand import normalize
from knowledge.vocab import default_vocabulary

WHY = WhyWords(default_vocabulary())


@pytest.mark.parametrize(
    ("text", "lang"),
    [("why?", "en"), ("WHY", "en"), ("so... why?", "en"), ("how did you get that number?", "en"),
     ("explain that please", "en"), ("more details", "en"),
     ("ok, where do those numbers come from?", "en"),
     ("¿Por qué?", "es"), ("porqué", "es"), ("¿de dónde salen esas cifras?", "es"),
     ("explícamelo por favor", "es"), ("vale, ¿y por qué?", "es"), ("más detalles", "es")],
)  # fmt: skip
def test_ways_of_asking_why(text: str, lang: str) -> None:
    asked = WHY.asked(normalize(text).words)
    assert asked is not None and asked.lang == lang


@pytest.mark.parametrize(
    "text",
    ["why do we need an anchor", "explain the video editor job", "details of the copywriter",
     "por qué necesito un ancla", "ok", "please", "y", "how many people for two stores",
     "why " * 20],
)  # fmt: skip
def test_other_messages_are_not_why(text: str) -> None:
    assert WHY.asked(normalize(text).words) is None


def _sizing(origin: Origin, stores: int) -> SizeTeam:
    return SizeTeam(origin=origin, lang="en", input=parse_input(stores=stores))


def test_memory_keeps_the_latest_sizing_until_another_answer() -> None:
    memory = Memory(capacity=2)
    ana, bob, cy = (Origin(user=u) for u in ("ana", "bob", "cy"))
    memory.answered(ana, _sizing(ana, 2))
    memory.answered(bob, _sizing(bob, 3))
    last = memory.explainable(ana)
    assert last is not None and last.input.stores == 2
    memory.answered(bob, None)  # bob asked something else
    assert memory.explainable(bob) is None
    memory.answered(cy, _sizing(cy, 1))
    memory.answered(bob, _sizing(bob, 4))  # over capacity: the least recent (ana) goes
    assert memory.explainable(ana) is None and memory.explainable(cy) is not None


def test_a_follow_up_reads_the_plans_figures_from_the_plan_again() -> None:
    # Sized with the plan's 2 stores and live streaming; the plan may change before the
    # follow-up, so its figures are left for the plan to fill (and the answer to name).
    planned = SizingContext(
        stores=2, stage="mature", channels=("live",), from_plan=("stores", "channels")
    )
    follow = merged(planned, SizingContext(channels=("short_video",)))
    assert follow.stores is None and follow.stage == "mature"  # the stage was asked
    assert follow.channels == ("live", "short_video")  # added to those the answer used
    assert merged(planned, SizingContext(stage="new")).channels == ()  # left to the plan
    # "and for 3 stores?": the plan is not read for a question with a store count, so the
    # figures it gave the last answer stay.
    recounted = merged(planned, SizingContext(stores=3))
    assert (recounted.stores, recounted.stage, recounted.channels) == (3, "mature", ("live",))
    asked = SizingContext(stores=3, channels=("live",))
    again = merged(asked, SizingContext(stage="new"))
    assert (again.stores, again.channels) == (3, ("live",))  # asked figures stay


class _Spy(SharedConversations):
    """The shared store, noting the thread of every read and write."""

    def __init__(self, storage: Storage) -> None:
        super().__init__(storage.database)
        self.threads: list[str] = []

    def load(self, key: Key) -> Conversation | None:
        self.threads.append(threading.current_thread().name)
        return super().load(key)

    def save(self, key: Key, conversation: Conversation) -> None:
        self.threads.append(threading.current_thread().name)
        super().save(key, conversation)


async def test_a_shared_conversation_is_read_once_and_written_once_on_the_worker(
    storage: Storage,
) -> None:
    spy = _Spy(storage)
    bot = Bot(plans=PlanService(storage.plans), conversations=spy)
    other = Bot(
        plans=PlanService(storage.plans), conversations=SharedConversations(storage.database)
    )
    origin = {"platform": "slack", "workspace": "T1", "user": "U1"}
    try:
        await bot.answer_async(Message(text="how many people for 2 stores?", **origin))
        assert len(spy.threads) == 2  # one read, one write: never on the event loop
        assert all(name.startswith("shopcrew-core") for name in spy.threads)
        follow = other.answer(Message(text="and with live streaming?", **origin))
        assert (follow.entities.stores, follow.entities.channels) == (2, ["live"])
        why = await bot.answer_async(Message(text="why?", **origin))
        assert why.title.startswith("Why: Team for 2 stores (new) + live streaming")
    finally:
        bot.close()


def test_a_conversation_is_not_written_back_when_nothing_read_from_it_changed(
    storage: Storage,
) -> None:
    spy = _Spy(storage)
    bot = Bot(conversations=spy)
    origin = {"platform": "slack", "workspace": "T1", "user": "U1"}
    bot.answer(Message(text="what does copywriting do?", **origin))  # read, written (language)
    bot.answer(Message(text="who writes the product titles?", **origin))  # read only
    assert len(spy.threads) == 3
    bot.answer(Message(text="¿qué hace el ancla?", **origin))  # another language: written
    bot.answer(Message(text="how many people for 2 stores?", **origin))  # a question to refine
    bot.answer(Message(text="thanks", **origin))  # counted: the question expires after a few
    assert len(spy.threads) == 9


class _Down:
    """A database that cannot be read or written."""

    dialect = "postgresql"
    shown = "down"

    def query(self, sql: str, params: object = ()) -> list[object]:
        raise StorageError("unreachable", "the database server cannot be reached")

    def transaction(self) -> object:
        raise StorageError("unreachable", "the database server cannot be reached")


def test_a_conversation_store_that_fails_leaves_questions_answered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = Bot(conversations=SharedConversations(_Down()))  # type: ignore[arg-type]
    origin = {"platform": "slack", "workspace": "T1", "user": "U1"}
    sized = bot.answer(Message(text="how many people for 2 stores?", **origin))
    assert sized.intent == "team_size" and not sized.error
    follow = bot.answer(Message(text="and for 3 stores?", **origin))
    assert not follow.error  # answered, without the context it could not read
    assert "could not read the conversation" in caplog.text
    assert "could not write the conversation" in caplog.text


def test_a_message_read_but_never_answered_still_counts_towards_expiry(storage: Storage) -> None:
    bot = Bot(plans=PlanService(storage.plans), conversations=storage.conversations)
    origin = {"platform": "slack", "workspace": "T1", "user": "U1"}
    bot.answer(Message(text="how many people for 2 stores?", **origin))
    for _ in range(CONTEXT_TURNS):  # parsed (say, the adapter then failed), never answered
        bot.parse(Message(text="hello", **origin))
    follow = bot.answer(Message(text="and with live streaming?", **origin))
    assert follow.entities.stores != 2  # the question was more than four messages ago
