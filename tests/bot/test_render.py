"""Plain-text rendering of an ``Answer``: titles, tables, notes, suggestions; long lines split."""

from __future__ import annotations

from bot.models import Answer, Section, Suggestion, Table
from bot.render import split_lines, table_text, to_text


def test_table_columns_line_up() -> None:
    lines = table_text(Table(headers=["Role", "N"], rows=[["Art", "1"], ["Copywriter", "12"]]))
    assert lines == ["Role        N", "----------  --", "Art         1", "Copywriter  12"]


def test_split_lines_never_cuts_text_away() -> None:
    lines = ["a" * 25, "b" * 5, "c" * 5]
    pieces = split_lines(lines, 10)
    assert all(len(p) <= 10 for p in pieces)
    assert "".join(p.replace("\n", "") for p in pieces) == "".join(lines)


def test_to_text_has_every_part_in_order() -> None:
    answer = Answer(
        intent="team_size",
        language="es",
        title="Equipo",
        sections=[
            Section(heading="Funciones", lines=["uno"], notes=["por qué"]),
            Section(table=Table(headers=["Puesto", "N"], rows=[["Arte", "1"]])),
        ],
        suggestions=[Suggestion(label="¿Y con directos?", text="x")],
    )
    text = to_text(answer)
    order = [
        "Equipo",
        "Funciones",
        "uno",
        "  (por qué)",
        "Puesto",
        "Arte",
        "Prueba: ¿Y con directos?",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "Prueba" not in to_text(answer, suggestions=False)


def test_suggestion_prompt_is_in_the_answers_language() -> None:
    answer = Answer(intent="help", language="en", title="T",
                    suggestions=[Suggestion(label="Help", text="help")])  # fmt: skip
    assert to_text(answer).endswith("Try: Help")
