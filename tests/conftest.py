"""Shared fixtures: the knowledge base, an in-memory database, and a bot using both."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from bot.context import Knowledge, default_knowledge
from bot.core import Bot
from bot.models import Answer, Message
from bot.plans.service import PlanService
from bot.plans.store import PlanStore
from bot.storage import Storage, open_storage
from knowledge import KnowledgeBase, default_kb

# Parsed data files are cached outside the tests' reach (tests edit copies of them).
os.environ.setdefault("SHOPCREW_CACHE_DIR", tempfile.mkdtemp(prefix="shopcrew-cache-"))

# CI runs the same examples every time (a clean clone has no .hypothesis database): a failure
# there is reproducible, and new examples are explored on developers' machines.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_kb()


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return default_knowledge()


@pytest.fixture
def storage() -> Iterator[Storage]:
    """An in-memory database, migrated like a real one."""
    s = open_storage(":memory:")
    yield s
    s.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL with a schema of this test's own (skipped without a server)."""
    from tests.pg import fresh_schema

    with fresh_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each backend in turn: an SQLite file, then a PostgreSQL schema of the test's own."""
    if request.param == "sqlite":
        return str(tmp_path / "shopcrew.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(storage: Storage) -> PlanStore:
    return storage.plans


@pytest.fixture
def plans(store: PlanStore) -> PlanService:
    return PlanService(store)


@pytest.fixture
def bot(plans: PlanService) -> Bot:
    return Bot(plans=plans)


@pytest.fixture
def ask(bot: Bot) -> Callable[..., Answer]:
    """ask("text", **message fields) -> Answer."""

    def _ask(text: str, **kw: object) -> Answer:
        return bot.answer(Message(text=text, **kw))  # type: ignore[arg-type]

    return _ask
