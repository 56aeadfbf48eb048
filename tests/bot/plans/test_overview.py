"""The plan against the recommendation as data (``Bot.plan_overview``), for panels and home tabs."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core import Bot
from bot.models import Answer, Message, Origin
from bot.plans.overview import PlanOverview
from bot.plans.service import PlanService
from bot.plans.state import PlanState
from bot.render import to_text
from bot.sizing.engine import size_team
from bot.sizing.inputs import parse_input
from bot.storage.errors import StorageError
from bot.strings import t

WS = "slack:T1"


def origin(**kw: Any) -> Origin:
    fields: dict[str, Any] = {"platform": "slack", "workspace": "T1", "user": "U1"}
    return Origin(**(fields | kw))


def overview(bot: Bot, lang: str = "en", **kw: Any) -> PlanOverview:
    got = bot.plan_overview(origin(**kw), lang)  # type: ignore[arg-type]
    assert isinstance(got, PlanOverview), got
    return got


def write(plans: PlanService, state: PlanState) -> None:
    plans.store.change(WS, "U0", "test setup", "set", lambda _: state.model_copy(deep=True))


def test_each_role_against_the_engines_range(bot: Bot, plans: PlanService) -> None:
    result = size_team(parse_input(stores=2, stage="new", channels=[]), bot.knowledge.vocab)
    ops, cs = result.roles["operations"], result.roles["customer_service"]
    assert ops.recommended and cs.min > 1 and "copywriter" not in result.roles
    roles = {"operations": ops.max + 1, "customer_service": cs.min - 1, "copywriter": 2}
    write(plans, PlanState(stores=2, stage="new", roles=roles))  # type: ignore[arg-type]
    got = overview(bot)
    statuses = {line.role: line.status for line in got.roles}
    assert statuses == {"operations": "over", "customer_service": "under", "copywriter": "optional",
                        "art": "missing"} | {r: "missing" for r, s in result.roles.items()
                                             if s.recommended and r not in roles}  # fmt: skip
    line = got.line("customer_service")
    assert line is not None
    assert (line.count, line.recommended, line.low, line.high) == (
        cs.min - 1,
        cs.recommended,
        cs.min,
        cs.max,
    )
    copywriter = got.line("copywriter")
    assert copywriter is not None and copywriter.recommended is None  # the engine gives none
    assert got.total == sum(roles.values())
    assert got.recommended_total == sum(s.recommended for s in result.roles.values())
    assert [r for r, _ in got.choices] == list(bot.knowledge.kb.roles)
    assert [line.role for line in got.roles] == [r for r in bot.knowledge.kb.roles if r in statuses]


def test_the_statuses_are_the_ones_plan_check_reports(bot: Bot, plans: PlanService) -> None:
    bot.answer(Message(text="plan stores 3", **origin().model_dump()))
    bot.answer(Message(text="plan set customer service 1", **origin().model_dump()))
    bot.answer(Message(text="plan set operations 40", **origin().model_dump()))
    got = overview(bot)
    check = to_text(bot.answer(Message(text="plan check", **origin().model_dump())))
    said = {"missing": "Missing:", "under": "Under-staffed:", "over": "Above the range:"}
    for line in got.roles:
        if line.status in said:
            finding = next(
                x for x in check.splitlines() if x.lstrip("• ").startswith(said[line.status])
            )
            assert line.name in finding, (line, finding)
    assert {line.status for line in got.roles} >= {"missing", "under", "over"}


def test_costs_come_only_from_the_workspaces_salaries(bot: Bot, plans: PlanService) -> None:
    roles = {"art": 2, "copywriter": 3, "hr": 1}
    write(plans, PlanState(roles=roles, salaries={"art": 6000, "hr": 9000.5}, currency="MXN"))  # type: ignore[arg-type]
    got = overview(bot)
    costs = {line.role: line.cost for line in got.roles}
    assert costs["art"] == 12000 and costs["hr"] == 9000.5 and costs["copywriter"] is None
    assert got.cost == 12000 + 9000.5 and got.currency == "MXN"
    assert got.unpriced == ("Copywriter",)
    write(plans, PlanState(roles=roles))  # type: ignore[arg-type]
    assert overview(bot).cost is None and overview(bot).unpriced == ()


def test_who_may_edit_a_locked_plan(bot: Bot, plans: PlanService) -> None:
    write(plans, PlanState(locked=True, editors=["U7"]))
    assert not overview(bot).can_edit and overview(bot).locked
    assert overview(bot, user_is_admin=True).can_edit
    assert overview(bot, user="U7").can_edit
    assert not overview(bot, user_is_admin=True, user_is_external=True).can_edit
    write(plans, PlanState())
    assert overview(bot).can_edit and not overview(bot).locked


def test_language_is_a_plan_replys(bot: Bot, plans: PlanService) -> None:
    got = overview(bot, "es")
    assert got.lang == "es" and got.context.startswith("Tiendas:") and got.assumed_stores
    assert dict(got.choices)["copywriter"] == "Redactor"
    write(plans, PlanState(lang="en", stores=2))
    got = overview(bot, "es")  # the workspace answers plan commands in English
    assert got.lang == "en" and dict(got.choices)["copywriter"] == "Copywriter"
    assert not got.assumed_stores and got.stores == 2


@pytest.mark.parametrize("kind", ["busy", "unwritable"])
def test_an_unreadable_plan_is_said_not_raised(
    bot: Bot, plans: PlanService, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    def fail(workspace: str) -> PlanState:
        raise StorageError(kind, "database is locked")  # type: ignore[arg-type]

    monkeypatch.setattr(plans.store, "read", fail)
    got = bot.plan_overview(origin(), "es")
    assert isinstance(got, Answer) and got.refusal and got.language == "es"
    assert got.title == t("es", "storage.busy.title" if kind == "busy" else "storage.down.title")
    assert Bot().plan_overview(origin(), "en").intent == "help"  # type: ignore[union-attr]
