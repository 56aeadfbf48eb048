"""Comparisons show each scenario's monthly cost, only from the workspace's own salaries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from adapters.cli import main
from bot.answers.compare import difference
from bot.models import Answer
from bot.sizing.engine import SizingResult, size_team
from bot.sizing.inputs import parse_input
from bot.strings import t

Ask = Callable[..., Answer]
ADMIN = {"user_is_admin": True}


def rows(answer: Answer) -> dict[str, list[str]]:
    """Row name -> the row's cells after the name."""
    table = next(s.table for s in answer.sections if s.table)
    return {row[0]: row[1:] for row in table.rows}


def lines(answer: Answer) -> list[str]:
    return [line for s in answer.sections for line in s.lines]


def test_comparison_adds_a_cost_row_and_its_difference_from_the_salaries(ask: Ask) -> None:
    for command in ("plan salary art 6000", "plan salary customer service 5000",
                    "plan currency MXN"):  # fmt: skip
        assert not ask(command, **ADMIN).refusal
    answer = ask("compare 2 and 3 stores")
    two, three = size_team(parse_input(stores=2)), size_team(parse_input(stores=3))

    def cost(result: SizingResult) -> int:
        roles = result.roles
        return 6000 * roles["art"].recommended + 5000 * roles["customer_service"].recommended

    cells = rows(answer)[t("en", "whatif.cost.row")]
    assert cells == [f"MX${cost(two):,}", f"MX${cost(three):,}",
                     f"+MX${cost(three) - cost(two):,}"]  # fmt: skip
    assert difference([two, three]).roles["art"] > 0  # the cost really changes with art
    said = lines(answer)
    assert t("en", "whatif.cost.from_figures") in said
    # Operations is in both teams but has no salary: named, never priced.
    assert any(line.startswith("Not counted (no salary set):") and "Operations" in line
               for line in said)  # fmt: skip


def test_spanish_comparison_shows_the_cost_in_spanish(ask: Ask) -> None:
    ask("plan salary art 6000", **ADMIN)
    ask("plan currency MXN", **ADMIN)
    answer = ask("¿y si pasamos de 2 a 3 tiendas?")
    assert rows(answer)[t("es", "whatif.cost.row")][-1].replace("\xa0", " ") == "+6.000 MXN"


def test_no_salary_set_means_no_cost_at_all(ask: Ask) -> None:
    ask("plan currency MXN", **ADMIN)  # a currency alone prices nothing
    answer = ask("compare 2 and 3 stores")
    assert t("en", "whatif.cost.row") not in rows(answer)
    assert not any("cost" in line.lower() for line in lines(answer))


def test_size_compare_on_the_command_line_has_no_cost(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["plan", "--db", str(tmp_path / "p.db"), "salary", "art", "6000"]) == 0
    capsys.readouterr()
    assert main(["size", "--compare", "stores=2,3"]) == 0
    out = capsys.readouterr().out
    assert t("en", "whatif.cost.row") not in out and "6,000" not in out
