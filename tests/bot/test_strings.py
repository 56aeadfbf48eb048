"""The catalogues: same keys and placeholders in both languages, real plurals, local numbers."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from bot.strings import CATALOGUES, items, join, number, plural_category, t
from bot.strings.en import STRINGS as EN
from bot.strings.es import STRINGS as ES

ROOT = Path(__file__).resolve().parents[2]


def _forms(entry: object) -> list[str]:
    if isinstance(entry, str):
        return [entry]
    if isinstance(entry, tuple):
        return list(entry)
    assert isinstance(entry, dict)
    return list(entry.values())


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_same_keys_and_kinds() -> None:
    assert set(EN) == set(ES)
    for key in EN:
        assert type(EN[key]) is type(ES[key]), key


def test_same_placeholders() -> None:
    for key in EN:
        en = set().union(*(_fields(f) for f in _forms(EN[key])))
        es = set().union(*(_fields(f) for f in _forms(ES[key])))
        assert en == es, key


def test_plurals_have_one_and_other_and_only_cldr_categories() -> None:
    for catalogue in CATALOGUES.values():
        for key, entry in catalogue.items():
            if isinstance(entry, dict):
                assert {"one", "other"} <= set(entry), key
                assert set(entry) <= {"zero", "one", "two", "few", "many", "other"}, key


def test_spanish_is_translated() -> None:
    same = [k for k in EN if EN[k] == ES[k] and any(c.isalpha() for f in _forms(EN[k]) for c in f)]
    # Proper names and code-only strings are the same in both languages.
    assert set(same) <= {
        "dc.group", "dc.plan", "plan.total", "size.total", "size.with_channels",
        "plan.changed.set", "unit.chat", "whatif.figure", "whatif.change", "dc.plan.panel",
        "dc.panel.add", "dc.panel.remove", "dc.panel.option",
        "plan.chart.alt_role", "plan.chart.alt_department",
    }  # fmt: skip


def test_no_spain_only_forms_in_spanish() -> None:
    # A neutral register that reads naturally in Latin America and in Spain.
    spain_only = re.compile(
        r"\b(?:he|has|ha|hemos) (?:entendido|supuesto|sabido|cambiado|fallado)\b|vosotros|vídeo|"
        r"hora punta|formación|rellen|ordenador|vale\b|\bperdona\b",
        re.IGNORECASE,
    )
    for key, entry in ES.items():
        for form in _forms(entry):
            assert not spain_only.search(form), (key, form)


@pytest.mark.parametrize(
    ("lang", "n", "category"),
    [("en", 1, "one"), ("en", 0, "other"), ("en", 2, "other"), ("es", 1, "one"),
     ("es", 0, "other"), ("es", 1_000_000, "many")],
)  # fmt: skip
def test_cldr_plural_categories(lang: str, n: int, category: str) -> None:
    assert plural_category(lang, n) == category  # type: ignore[arg-type]


def test_plurals_in_sentences() -> None:
    words = {"cmd_reset": "reset", "cmd_confirm": "confirm"}
    assert t("en", "plan.reset.confirm", count=1, **words).startswith(
        "This empties the plan (1 person)"
    )
    assert "(3 people)" in t("en", "plan.reset.confirm", count=3, **words)
    assert t("es", "unit.seat", count=1) == "1 puesto"
    assert t("es", "unit.seat", count=2) == "2 puestos"
    # A million has its own category in Spanish ("many"): without a form for it, "other".
    assert t("es", "unit.person", count=1_000_000) == "1.000.000 personas"
    assert "1 × " not in t("es", "plan.changed.add", count=1, role="Arte", before=0, after=1)


def test_numbers_are_written_the_local_way() -> None:
    assert number("en", 2500) == "2,500" and number("es", 2500) == "2.500"
    assert number("en", 40.3) == "40.3" and number("es", 40.3) == "40,3"
    body = t("es", "toolong.body", n=2500, limit=2000)
    assert "2.500 caracteres" in body and "2.000" in body
    assert "2,500 characters" in t("en", "toolong.body", n=2500, limit=2000)


def test_lists_join_with_the_languages_conjunction() -> None:
    assert join("en", ["a", "b", "c"]) == "a, b, and c"
    assert join("es", ["a", "b", "c"]) == "a, b y c"
    assert join("es", ["a", "b"], "or") == "a o b"
    assert join("en", ["only"]) == "only"


def test_kinds_are_used_as_declared() -> None:
    with pytest.raises(TypeError):
        t("en", "help.examples")  # a list
    with pytest.raises(TypeError):
        t("en", "unit.seat")  # a plural needs count=
    assert items("es", "help.examples")[0].startswith("¿")


def _literals(path: Path) -> list[str]:
    """String constants of a module, docstrings excepted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings
    ]  # fmt: skip


def test_user_facing_text_lives_in_the_catalogues() -> None:
    # Sentences and labels written in code would escape translation.
    words = re.compile(r"[¿¡]\w|^(?:Try|Prueba|Did you mean|Quisiste)\b|\w vs \w|frente a")
    offenders = []
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "adapters").rglob("*.py")]:
        if "strings" in path.parts:
            continue
        offenders += [(path.name, s) for s in _literals(path) if words.search(s)]
    assert offenders == []
