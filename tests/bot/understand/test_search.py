"""The duty search behind "who does X?": stems in both languages, rarity weights, leads last."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.context import default_knowledge
from bot.models import Answer
from bot.understand.search import DutyIndex, stem
from knowledge.text import fold

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


@pytest.mark.parametrize(
    ("question", "role"),
    [
        # Managers' own words for the article's duties, and for general practice where the
        # article names a role without duties.
        ("who calls back the 1-star reviews", "customer_service"),
        ("quien atiende a los compradores antes de que compren", "customer_service"),
        ("who does the grunt work for the operator", "operations_assistant"),
        ("quien crea los cupones de descuento", "operations_assistant"),
        ("quien coordina con las paqueterías", "warehouse_manager"),
        ("quien cuenta el inventario cada mes", "warehouse_manager"),
        ("who comes up with ideas for our douyin videos", "content_planner"),
        ("quien planifica el contenido para douyin", "content_planner"),
        ("who removes the background from the product photos", "art"),
        ("quien hace las plantillas de navidad", "art"),
        ("who designs the bonus structure for the staff", "operations_director"),
        ("quien arma el plan general de operación", "operations_director"),
        ("who is accountable for the overall results", "general_manager"),
        ("quien tiene la ultima palabra en las decisiones importantes", "general_manager"),
        ("who fixes the typos on the site", "copywriter"),
        ("quien corrige las faltas de ortografia", "copywriter"),
        ("who signs off on escalated disputes", "aftersales_supervisor"),
        ("quien aprueba los reembolsos", "aftersales_supervisor"),
        ("who prints the shipping labels", "warehouse_packer"),
        ("quien imprime las guias de envio", "warehouse_packer"),
    ],
)
def test_managers_own_words_find_the_role(question: str, role: str) -> None:
    matches = INDEX.search(question)
    assert matches and matches[0].role == role, [(m.role, m.score) for m in matches]


def test_a_role_with_the_questions_phrase_stays_first_when_both_cover_every_word() -> None:
    # Both cover "product" and "photos"; only the photographer has "product photos".
    matches = INDEX.search("who takes the product photos")
    assert [m.role for m in matches[:2]] == ["photographer", "art"]
    assert matches[0].score == 1 and matches[1].score < 1
    scores = [m.score for m in INDEX.search("quien hace las fotos de producto")]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("text", "lang", "role"),
    [
        ("who takes the product photos?", "en", "photographer"),
        ("¿quién tiene que cumplir el objetivo de ventas del mes?", "es", "operations"),
    ],
)
def test_the_answer_names_first_the_role_the_search_put_first(
    ask: Callable[..., Answer], text: str, lang: str, role: str
) -> None:
    answer = ask(text)
    assert answer.intent == "who_does" and answer.language == lang
    assert answer.entities.roles[0] == role


@pytest.mark.parametrize("filler", ["like", "own", "owns", "comes", "every", "cada"])
def test_chat_fillers_are_not_task_words(filler: str) -> None:
    assert INDEX.search(f"who {filler}") == []
    # "like every month" in a question about stock counts says nothing about who does them.
    matches = INDEX.search(f"who owns the stock counts, {filler} {filler}")
    assert matches[0].role == "warehouse_manager"


def test_each_role_has_its_own_task_phrases_in_both_languages() -> None:
    kb = default_knowledge().kb
    owner: dict[str, str] = {}
    for role in kb.roles.values():
        for words in (role.keywords.en, role.keywords.es):
            assert len(words) >= 10, role.id
            for phrase in words:
                key = fold(phrase)
                assert owner.setdefault(key, role.id) == role.id, (phrase, owner[key], role.id)
