"""What-ifs: sizings side by side, in chat and on the command line, and the JSON contracts."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.cli import main
from adapters.cli.output import compare_json, size_json
from bot.answers.compare import difference
from bot.core import Bot
from bot.models import Answer, Message
from bot.requests import CompareSizes
from bot.sizing.engine import BASES, SizingResult, size_team
from bot.sizing.inputs import SizingInput, parse_input
from bot.strings import t
from knowledge import Lang

Ask = Callable[..., Answer]


def table(answer: Answer) -> list[list[str]]:
    return next(s.table.rows for s in answer.sections if s.table)


def headers(answer: Answer) -> list[str]:
    return next(s.table.headers for s in answer.sections if s.table)


def column(answer: Answer, lang: Lang = "en") -> dict[str, str]:
    """Row name -> the difference column."""
    return {row[0]: row[-1] for row in table(answer)}


def sized(**given: object) -> SizingResult:
    return size_team(parse_input(**given))


# --- chat ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [("compare 2 and 3 stores", "en"), ("compara 2 y 3 tiendas", "es"),
     ("how many people for 2 vs 3 stores?", "en")],
)  # fmt: skip
def test_compare_store_counts_side_by_side(ask: Ask, text: str, lang: Lang) -> None:
    answer = ask(text)
    two, three = sized(stores=2), sized(stores=3)
    assert answer.intent == "team_size" and answer.language == lang and not answer.refusal
    assert headers(answer) == [
        t(lang, "size.col.role"), t(lang, "unit.store", count=2), t(lang, "unit.store", count=3),
        t(lang, "whatif.col.diff"),
    ]  # fmt: skip
    total = table(answer)[0]
    assert total == [t(lang, "size.total"), str(two.total[2]), str(three.total[2]), "+2"]
    assert answer.entities.store_options == [2, 3]


def test_spanish_what_if_keeps_the_question_it_changes(ask: Ask) -> None:
    ask("¿cuántas personas para 2 tiendas con directos?")
    answer = ask("¿y si pasamos de 2 a 3 tiendas?")
    assert answer.language == "es" and len(headers(answer)) == 4
    two, three = sized(stores=2, channels=["live"]), sized(stores=3, channels=["live"])
    assert table(answer)[0][1:3] == [str(two.total[2]), str(three.total[2])]
    assert "anchor" not in answer.title and t("es", "whatif.col.diff") in headers(answer)


def test_what_if_we_add_live_streaming_compares_with_the_last_question(ask: Ask) -> None:
    ask("how many people for 2 stores?")
    answer = ask("what if we add live streaming?")
    before, after = sized(stores=2), sized(stores=2, channels=["live"])
    diff = column(answer)
    assert diff[t("en", "size.total")] == f"+{after.total[2] - before.total[2]}"
    assert diff["Anchor"] == "+1" and diff["Operations"] == "0"
    assert answer.title.startswith("Team for 2 stores (new)")
    # "why?" explains the scenario the what-if leads to.
    why = ask("why?")
    assert why.title == t(
        "en", "size.details.title", title="Team for 2 stores (new) + live streaming"
    )


def test_what_if_without_a_question_uses_the_plan(ask: Ask) -> None:
    ask("plan stores 3")
    ask("plan stage mature")
    ask("plan channels xiaohongshu")
    answer = ask("what if we add live streaming?", user="someone-else")
    before = sized(stores=3, stage="mature", channels=["xiaohongshu"])
    after = sized(stores=3, stage="mature", channels=["live", "xiaohongshu"])
    assert table(answer)[0][1:3] == [str(before.total[2]), str(after.total[2])]
    # The plan's channel stays: live streaming is added to it, not put in its place.
    assert answer.entities.channels == ["live", "xiaohongshu"] and answer.entities.stores == 3
    first = answer.sections[0].lines[0]
    assert (
        first.startswith(t("en", "figures.from_plan", what="").rstrip(".")) and "3 stores" in first
    )


def test_what_if_with_nothing_before_says_one_store_was_assumed(ask: Ask) -> None:
    answer = ask("what if we add live streaming?")
    assert t("en", "size.no_stores") in [line for s in answer.sections for line in s.lines]
    assert column(answer)["Anchor"] == "+1"


def test_a_what_if_that_changes_nothing_is_a_plain_sizing(ask: Ask) -> None:
    ask("how many people for 2 stores with live streaming?")
    answer = ask("what if we add live streaming?")
    assert len(headers(answer)) == 3 and headers(answer)[1] == t("en", "size.col.rec")


@pytest.mark.parametrize(
    "text",
    ["and with live streaming?", "what does the copywriter do?", "compare art and copywriter"],
)
def test_other_questions_are_not_comparisons(ask: Ask, text: str) -> None:
    ask("how many people for 2 stores?")
    answer = ask(text)
    assert not any(
        t("en", "whatif.col.diff") in s.table.headers for s in answer.sections if s.table
    )


# --- the property: a comparison's difference is the difference of the two sizings -------------

FIGURES = {
    "stores": st.integers(1, 30),
    "orders_per_day": st.one_of(st.none(), st.integers(0, 20_000)),
    "inquiries_per_day": st.one_of(st.none(), st.integers(0, 5_000)),
    "stage": st.sampled_from(["new", "mature"]),
    "channels": st.lists(st.sampled_from(["live", "xiaohongshu", "douyin"]), unique=True),
}


@st.composite
def scenarios(draw: st.DrawFn) -> list[SizingInput]:
    base = {name: draw(strategy) for name, strategy in FIGURES.items()}
    field = draw(st.sampled_from(sorted(FIGURES)))
    values = draw(st.lists(FIGURES[field], min_size=2, max_size=4))
    return [parse_input(**{**base, field: v}) for v in values]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_a_comparisons_difference_is_the_difference_of_the_sizings(
    inputs: list[SizingInput],
) -> None:
    first, last = size_team(inputs[0]), size_team(inputs[-1])
    out = compare_json([size_team(i) for i in inputs], "en")
    assert out["difference"]["total"] == last.total[2] - first.total[2]
    for rid in {*first.roles, *last.roles}:
        expected = (last.roles[rid].recommended if rid in last.roles else 0) - (
            first.roles[rid].recommended if rid in first.roles else 0
        )
        assert out["difference"]["roles"][rid] == expected
    assert sum(out["difference"]["roles"].values()) == out["difference"]["total"]
    answer = Bot().handle(CompareSizes(origin=Message(text=""), lang="en", inputs=tuple(inputs)))
    rows = table(answer)
    assert rows[0][-1].replace("−", "-").lstrip("+") == str(out["difference"]["total"])
    assert len(rows) == 1 + len(out["difference"]["roles"])


# --- the command line ------------------------------------------------------------------------


def test_size_compare_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["size", "--compare", "stores=2,3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"scenarios", "difference"}
    assert data["scenarios"] == [size_json(sized(stores=n), "en") for n in (2, 3)]
    assert data["difference"] == {
        "roles": dict(difference([sized(stores=2), sized(stores=3)]).roles),
        "total": sized(stores=3).total[2] - sized(stores=2).total[2],
    }


def test_size_compare_text_in_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["size", "--stores", "2", "--compare", "channels=none,live+xiaohongshu", "--lang", "es"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert t("es", "whatif.col.diff") in out and "sin canales de contenido" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--compare", "stores=2"], "two to four values"),
        (["--compare", "stores=1,2,3,4,5"], "two to four values"),
        (["--stores", "2", "--compare", "bogus=1,2"], "unknown figure 'bogus'"),
        (["--compare", "stores=2,0"], "--stores must be 1–500 (got 0)"),
        (["--compare", "orders-per-day=1,2"], "arguments are required: --stores"),
    ],
)
def test_size_compare_refuses_bad_input_in_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["size", *args]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and message in err


# --- basis in size --json --------------------------------------------------------------------


def test_every_role_has_a_basis_and_the_known_ones_are_right() -> None:
    data = size_json(sized(stores=2, inquiries_per_day=2000, channels=["live"]), "en")
    assert {r["basis"] for r in data["roles"].values()} <= set(BASES)
    assert data["roles"]["customer_service"]["basis"] == "queueing"
    assert data["roles"]["operations"]["basis"] == "article"
    assert data["roles"]["art"]["basis"] == "assumption"
    assert data["roles"]["photographer"]["basis"] == "article"
    # One new store without volumes: the article's "about 4" decides it.
    floor = size_json(sized(stores=1), "en")["roles"]["customer_service"]
    assert floor["basis"] == "article"


def test_size_json_gives_agents_hour_by_hour_with_a_workload() -> None:
    busy = size_json(sized(stores=1, inquiries_per_day=500), "en")
    assert len(busy["hourly"]) == 16 and max(busy["hourly"]) >= 2
    assert "hourly" not in size_json(sized(stores=1), "en")  # no workload: no hours invented
