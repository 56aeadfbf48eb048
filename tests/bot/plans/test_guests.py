"""Guests from another organisation, and group mentions as editors: the core's own checks."""

from __future__ import annotations

import pytest

from bot.core import Bot
from bot.models import Message
from bot.plans.service import PlanService
from bot.render import to_text
from bot.strings import t

GUEST = {"platform": "slack", "workspace": "T1", "user": "UG", "user_is_external": True}


@pytest.mark.parametrize(
    "command",
    ["plan add art 2", "plan set copy 1", "plan stores 3", "plan reset confirm", "plan undo",
     "plan lock", "plan unlock", "plan editors add <@UG>", "plan lang es", "plan recommend",
     "plan channels live"],
)  # fmt: skip
@pytest.mark.parametrize("admin", [False, True])
def test_a_guest_changes_nothing_even_as_an_admin_at_home(
    bot: Bot, plans: PlanService, command: str, admin: bool
) -> None:
    bot.answer(Message(text="plan add copywriter 1", platform="slack", workspace="T1", user="U1"))
    before = plans.store.read("slack:T1")
    answer = bot.answer(Message(text=command, user_is_admin=admin, **GUEST))  # type: ignore[arg-type]
    assert answer.refusal and t("en", "plan.external.refused") in to_text(answer), command
    assert plans.store.read("slack:T1") == before


def test_a_guest_reads_the_plan_and_is_refused_in_their_own_language(
    bot: Bot, plans: PlanService
) -> None:
    bot.answer(Message(text="plan lang es", platform="slack", workspace="T1", user="U1"))
    shown = bot.answer(Message(text="plan show", **GUEST))  # type: ignore[arg-type]
    assert not shown.refusal
    refused = bot.answer(Message(text="plan add art 1", **GUEST))  # type: ignore[arg-type]
    assert t("en", "plan.external.refused") in to_text(refused)  # not the plan's Spanish


@pytest.mark.parametrize(
    "who", ["@everyone", "<!everyone>", "<!channel>", "<!here>", "@here", "<!subteam^S1|@ops>",
            "<@&123456>", "everyone"],
)  # fmt: skip
def test_a_group_is_no_editor(bot: Bot, plans: PlanService, who: str) -> None:
    admin = {"platform": "slack", "workspace": "T1", "user": "UA", "user_is_admin": True}
    answer = bot.answer(Message(text=f"plan editors add {who}", **admin))  # type: ignore[arg-type]
    text = to_text(answer)
    assert answer.refusal and "group" in text and "@maria" in text
    assert plans.store.read("slack:T1").editors == []
    ok = bot.answer(Message(text="plan editors add <@U2>", **admin))  # type: ignore[arg-type]
    assert not ok.refusal and plans.store.read("slack:T1").editors == ["U2"]
