"""The duty search behind "who does X?": stems in both languages, rarity weights, leads last."""

from __future__ import annotations

import pytest

from bot.context import default_knowledge
from bot.understand.search import DutyIndex, stem

INDEX: DutyIndex = default_knowledge().index


def test_stems_join_english_and_spanish_forms() -> None:
    assert stem("titles") == stem("title")
    assert stem("fotos") == stem("foto")


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("who writes the product titles", "copywriter"),
        ("quien escribe los titulos de producto", "copywriter"),
        ("who packs the orders", "warehouse_packer"),
        ("who handles refunds and returns", "after_sales"),
        ("quien hace las fotos", "photographer"),
    ],
)
def test_the_role_whose_duties_match_comes_first(question: str, role: str) -> None:
    matches = INDEX.search(question)
    assert matches and matches[0].role == role
    assert 0 < matches[0].score <= 1
    duty = matches[0].duty_index
    assert duty is not None  # the answer quotes the matching duty


def test_words_that_say_nothing_about_a_task_match_nothing() -> None:
    assert INDEX.search("who does this for us") == []
    assert INDEX.search("quién se encarga de eso") == []


def test_the_person_who_does_a_task_outranks_who_oversees_it() -> None:
    kb = default_knowledge().kb
    leads = [r for r in kb.roles.values() if r.lead]
    assert leads and all(INDEX.prior[r.id] < 1 for r in leads)
    assert all(INDEX.prior[r.id] == 1 for r in kb.roles.values() if not r.lead)
