"""Shared fixtures: the knowledge base, an in-memory plan database, and a bot using both."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from bot.core import Bot
from bot.models import Answer, Message
from bot.plans import PlanService, PlanStore
from knowledge import KnowledgeBase, default_kb

# CI runs the same examples every time (a clean clone has no .hypothesis database): a failure
# there is reproducible, and new examples are explored on developers' machines.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_kb()


@pytest.fixture
def store() -> Iterator[PlanStore]:
    s = PlanStore.open(":memory:")
    yield s
    s.close()


@pytest.fixture
def plans(store: PlanStore) -> PlanService:
    return PlanService(store)


@pytest.fixture
def bot(plans: PlanService) -> Bot:
    return Bot(plans=plans)


@pytest.fixture
def ask(bot: Bot):  # type: ignore[no-untyped-def]
    """ask("text", **message fields) -> Answer."""

    def _ask(text: str, **kw: object) -> Answer:
        return bot.handle(Message(text=text, **kw))  # type: ignore[arg-type]

    return _ask
