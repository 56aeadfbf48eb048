"""What the plain-words tests of the plan's forms share: a plan of two roles in one workspace,
the answer to a message, and the typed command to compare a plain-words answer with."""

from __future__ import annotations

from bot.core import Bot
from bot.models import Answer, Message
from bot.plans.service import PlanService
from knowledge import default_vocabulary

WS = "slack:T1"
PLAN = {"art": 2, "copywriter": 1}


def message(text: str) -> Message:
    return Message(text=text, platform="slack", workspace="T1", user="U1", user_is_admin=True)


def run(bot: Bot, text: str) -> Answer:
    return bot.answer(message(text))


def with_a_plan(bot: Bot) -> None:
    run(bot, "plan add art 2")
    run(bot, "plan add copywriter 1")


def assert_unchanged(plans: PlanService) -> None:
    assert plans.store.read(WS).roles == PLAN
    assert len(plans.store.history(WS)) == 2


def typed(bot: Bot, verb: str, lang: str, *rest: str) -> Answer:
    """The answer to the typed command, in ``lang``."""
    return run(bot, " ".join(["plan", default_vocabulary().plan.shown(verb, lang), *rest]))
