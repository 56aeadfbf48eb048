"""Chat markup, emoji, case and accents are removed before understanding."""

from __future__ import annotations

import pytest

from bot.understand.normalize import fold, normalize, strip_markup


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<@U0123ABC> what does copy do?", "what does copy do?"),
        ("<@U1|shopcrew> hi", "hi"),
        ("see <#C024BE7LR|general> please", "see please"),
        ("<!here> help", "help"),
        ("<https://example.com|the docs> now", "the docs now"),
        ("<@!123456789> <@&42> hola", "hola"),
        ("<:pepe:123456> <a:dance:99> hey", "hey"),
        (":thinking_face: what :+1:", "what"),
        ("🤔 what does 👍🏽 art do 🎨", "what does art do"),
        ("*bold* _it_ ~no~ `code` > quote", "bold it no code quote"),
        ("  lots   of \n\t space  ", "lots of space"),
    ],
)
def test_strip_markup(raw: str, clean: str) -> None:
    assert strip_markup(raw) == clean


def test_fold_removes_accents_and_case() -> None:
    assert fold("¿QUÉ HACE EL DISEÑADOR?") == "¿que hace el disenador?"


def test_words_split_on_punctuation_and_hyphens() -> None:
    assert normalize("After-sales, vs. PRE-SALE!").words == ("after", "sales", "vs", "pre", "sale")


def test_lower_keeps_accents_for_number_words() -> None:
    n = normalize("Veintidós TIENDAS")
    assert n.lower == "veintidós tiendas" and n.folded == "veintidos tiendas"
