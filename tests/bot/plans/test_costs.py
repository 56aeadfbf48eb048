"""Costs come only from the workspace's own figures: ``plan salary`` and ``plan currency``."""

from __future__ import annotations

import csv
import io

import pytest

from bot.core import Bot
from bot.models import Answer, Message
from bot.plans.service import PlanService
from bot.plans.state import PlanState
from bot.render import to_text
from bot.storage import Storage

WS = "slack:T1"


def run(bot: Bot, text: str) -> Answer:
    return bot.answer(Message(text=text, platform="slack", workspace="T1", user="U1"))


def table(answer: Answer) -> list[list[str]]:
    found = next(s.table for s in answer.sections if s.table)
    return [found.headers, *found.rows]


@pytest.fixture
def staffed(bot: Bot) -> Bot:
    for text in ("plan set art 3", "plan set customer service 6", "plan add copywriter"):
        run(bot, text)
    return bot


def test_no_figures_no_cost_anywhere(staffed: Bot) -> None:
    for command in ("plan show", "plan check", "plan recommend", "plan recommend replace"):
        answer = run(staffed, command)
        text = to_text(answer).lower()
        assert "cost" not in text and "$" not in text, command
    assert table(run(staffed, "plan show"))[0] == ["Role", "People"]


def test_salary_and_currency_give_monthly_costs_in_show(staffed: Bot, plans: PlanService) -> None:
    done = run(staffed, "plan salary art 6000")
    assert "Monthly cost per person in Art: not set → 6,000." in to_text(done)
    assert not run(staffed, "plan currency mxn").refusal
    assert plans.store.read(WS).salaries == {"art": 6000} and plans.store.read(WS).currency == "MXN"
    rows = table(run(staffed, "plan show"))
    assert rows[0] == ["Role", "People", "Monthly cost"]
    assert ["Art", "3", "MX$18,000"] in rows and ["Copywriter", "1", "—"] in rows
    assert rows[-1] == ["Total", "10", "MX$18,000"]
    text = to_text(run(staffed, "plan show"))
    assert "Not counted (no salary set): Customer service, Copywriter." in text
    assert "never estimates" in text


def test_spanish_words_and_local_formats(staffed: Bot, plans: PlanService) -> None:
    run(staffed, "plan sueldo arte 6.500")
    run(staffed, "plan moneda MXN")
    assert plans.store.read(WS).salaries == {"art": 6500}
    answer = run(staffed, "plan ver")
    assert answer.language == "es"
    assert ["Arte", "3", "19.500\xa0MXN"] in table(answer)  # Babel: "19.500 MXN", no break
    assert table(answer)[0][-1] == "Costo mensual"


def test_check_and_recommend_show_the_cost_and_its_difference(bot: Bot, plans: PlanService) -> None:
    run(bot, "plan stores 3")  # operations 3–6, customer service 4, art 2
    run(bot, "plan set operations 1")
    run(bot, "plan salary operations 10000")
    run(bot, "plan currency USD")
    check = to_text(run(bot, "plan check"))
    assert "If you run `plan recommend`: Monthly cost, from your salary figures: " in check
    assert "$10,000 → $30,000 (+$20,000)" in check
    assert "Not counted (no salary set): Art, Customer service." in check
    recommended = to_text(run(bot, "plan recommend"))
    assert "Monthly cost, from your salary figures: $10,000 → $30,000 (+$20,000)." in recommended
    replace = to_text(run(bot, "plan recommend replace"))
    assert "Monthly cost" not in replace  # 3 operations is the engine's number: nothing to do


def test_salary_changes_are_recorded_and_undoable(staffed: Bot, plans: PlanService) -> None:
    start = plans.store.read(WS)
    run(staffed, "plan salary art 6000")
    run(staffed, "plan currency EUR")
    history = to_text(run(staffed, "plan history"))
    assert "plan salary art 6000" in history and "plan currency EUR" in history
    run(staffed, "plan undo")
    run(staffed, "plan undo")
    assert plans.store.read(WS) == start


def test_clearing_a_salary_and_the_currency(staffed: Bot, plans: PlanService) -> None:
    run(staffed, "plan salary art 6000")
    run(staffed, "plan currency MXN")
    run(staffed, "plan salary art none")
    run(staffed, "plan currency none")
    state = plans.store.read(WS)
    assert state.salaries == {} and state.currency is None
    assert "cost" not in to_text(run(staffed, "plan show")).lower()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("plan salary art", "Give a role and its monthly cost"),
        ("plan salary 6000", "Give a role and its monthly cost"),
        ("plan salary art -5", "not a monthly cost"),
        ("plan salary art 123456789012", "not a monthly cost"),
        ("plan salary unicorn 6000", "I don't know the role"),
        ("plan currency pesos", "not a currency code"),
        ("plan currency XYZ", "not a currency code"),
    ],
)
def test_bad_figures_are_refused_saying_what_works(
    bot: Bot, plans: PlanService, text: str, says: str
) -> None:
    answer = run(bot, text)
    assert answer.refusal and says in to_text(answer), to_text(answer)
    assert plans.store.read(WS) == PlanState()


def test_reset_keeps_the_workspaces_figures(staffed: Bot, plans: PlanService) -> None:
    run(staffed, "plan salary art 6000")
    run(staffed, "plan currency MXN")
    run(staffed, "plan reset confirm")
    state = plans.store.read(WS)
    assert state.roles == {} and state.salaries == {"art": 6000} and state.currency == "MXN"


def test_plans_stored_before_costs_existed_still_load(storage: Storage) -> None:
    old = '{"stores": 2, "stage": "new", "channels": [], "roles": {"art": 1}, "locked": false, ' \
        '"editors": [], "lang": null}'  # fmt: skip
    with storage.plans.database.transaction() as db:
        db.execute(
            "INSERT INTO plans (workspace, state, version, updated_at) VALUES (?, ?, 1, ?)",
            ["slack:OLD", old, "2025-01-01T00:00:00Z"],
        )
    state = storage.plans.read("slack:OLD")
    assert state.roles == {"art": 1} and state.salaries == {} and state.currency is None


def _export(bot: Bot, fmt: str) -> tuple[Answer, str]:
    answer = run(bot, f"plan export {fmt}")
    assert answer.attachment is not None and not answer.refusal
    return answer, answer.attachment.text


def test_export_has_no_cost_without_salaries(staffed: Bot) -> None:
    for fmt in ("csv", "md"):
        answer, content = _export(staffed, fmt)
        text = (to_text(answer) + content).lower()
        assert "cost" not in text and "$" not in text, fmt
    assert _export(staffed, "csv")[1].splitlines()[0] == "role,name,count"


def test_export_includes_the_monthly_costs_from_the_salaries(staffed: Bot) -> None:
    run(staffed, "plan salary art 6000")
    run(staffed, "plan salary customer service 9000.5")
    run(staffed, "plan currency mxn")
    answer, md = _export(staffed, "md")
    assert "| Monthly cost |" in md
    assert "| Art (designer) | 3 | MX$18,000 |" in md
    assert "| Copywriter (text editing) | 1 | — |" in md  # no salary: not counted, never estimated
    assert "| **Total** | **10** | **MX$72,003** |" in md
    assert "Not counted (no salary set): Copywriter." in to_text(answer)
    _, content = _export(staffed, "csv")
    rows = {r["role"]: r for r in csv.DictReader(io.StringIO(content))}
    assert rows["art"]["monthly_cost"] == "18000" and rows["art"]["currency"] == "MXN"
    assert rows["customer_service"]["monthly_cost"] == "54003"
    assert rows["copywriter"]["monthly_cost"] == "" and rows["copywriter"]["count"] == "1"
    es = staffed.answer(
        Message(text="plan exportar md", platform="slack", workspace="T1", user="U1")
    )
    assert es.attachment is not None and "| Costo mensual |" in es.attachment.text
