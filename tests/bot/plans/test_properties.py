"""Any sequence of valid plan commands, then as many undos, returns the plan to where it began."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import Bot
from bot.models import Message
from bot.plans.service import PlanService
from bot.plans.store import PlanStore
from bot.storage import open_storage

ROLES = ["art", "copywriter", "customer service", "diseñador", "ops", "anchor", "hr"]
command = st.one_of(
    st.builds(lambda r, n: f"plan add {r} {n}", st.sampled_from(ROLES), st.integers(0, 20)),
    st.builds(lambda r, n: f"plan set {r} {n}", st.sampled_from(ROLES), st.integers(0, 20)),
    st.builds(lambda r: f"plan remove {r}", st.sampled_from(ROLES)),
    st.builds(lambda n: f"plan stores {n}", st.integers(1, 500)),
    st.sampled_from(
        [
            "plan stage new",
            "plan stage mature",
            "plan channels live,douyin",
            "plan channels none",
            "plan recommend",
            "plan reset confirm",
            "plan lock",
            "plan unlock",
            "plan lang es",
            "plan show",
            "plan check",
        ]
    ),
)


def _bot() -> tuple[Bot, PlanStore]:
    store = open_storage(":memory:").plans
    return Bot(plans=PlanService(store)), store


def _say(bot: Bot, text: str) -> bool:
    """Run a command as an admin; True when it changed the plan."""
    message = Message(text=text, platform="slack", workspace="T", user="A", user_is_admin=True)
    return bot.answer(message).changed_plan


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(command, max_size=15))
def test_commands_then_as_many_undos_return_to_the_empty_start(commands: list[str]) -> None:
    bot, store = _bot()
    for text in commands:
        _say(bot, text)  # some are refused (e.g. removing more than there is): that is fine
    for _ in commands:
        _say(bot, "plan undo")
    assert store.read("slack:T") == store.read("slack:never-used")
    store.database.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(command, max_size=12), st.lists(command, max_size=6))
def test_undo_reverts_exactly_the_changes_made(setup: list[str], commands: list[str]) -> None:
    bot, store = _bot()
    for text in setup:
        _say(bot, text)
    start = store.read("slack:T")
    changes = sum(_say(bot, text) for text in commands)
    for _ in range(changes):
        assert _say(bot, "plan undo")
    assert store.read("slack:T") == start
    store.database.close()
