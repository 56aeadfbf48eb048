"""Reading numbers as typed: either separator style, decimals, and shapes that are not numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from bot.strings import LOCALES
from bot.understand.numbers import fold_keeping_numbers, join_spaced_thousands, read_number
from knowledge import LANGS, Lang

langs = st.sampled_from(LANGS)


@given(value=st.integers(min_value=0, max_value=10**15), written_in=langs, read_as=langs)
def test_whole_numbers_with_separators_round_trip(
    value: int, written_in: Lang, read_as: Lang
) -> None:
    # "12,345" (English) and "12.345" (Spanish) are the same number whichever language reads it.
    typed = format_decimal(value, locale=LOCALES[written_in])
    assert read_number(typed, read_as) == value


@given(
    cents=st.integers(min_value=1, max_value=10**9).filter(lambda n: n % 100),
    written_in=langs,
    read_as=langs,
)
def test_decimals_round_trip_in_either_locale(cents: int, written_in: Lang, read_as: Lang) -> None:
    # One or two decimals: "1,5" is 1.5 even in an English message, "1.25" even in a Spanish one.
    value = Decimal(cents) / 100
    typed = format_decimal(value, locale=LOCALES[written_in])
    assert read_number(typed, read_as) == pytest.approx(float(value))


@given(value=st.integers(min_value=1000, max_value=10**12))
def test_digits_grouped_by_spaces_are_one_number(value: int) -> None:
    spaced = f"{value:,}".replace(",", " ")
    assert join_spaced_thousands(f"{spaced} pedidos") == f"{value} pedidos"


@pytest.mark.parametrize(
    ("typed", "lang", "value"),
    [("10.000", "es", 10000), ("10,000", "es", 10000), ("10.000", "en", 10000),
     ("1,5", "en", 1.5), ("1.5", "es", 1.5), ("2,25", "es", 2.25), ("1½", "en", 1.5),
     ("½", "es", 0.5), ("-3", "en", -3), ("３", "en", 3)],
)  # fmt: skip
def test_read_number(typed: str, lang: Lang, value: float) -> None:
    assert read_number(typed, lang) == value


@pytest.mark.parametrize(
    "typed", ["1e309", "1e3", "2²", "²", "1.", ",5", "1,,000", "0x10", "9" * 400]
)
def test_shapes_that_are_not_numbers(typed: str) -> None:
    # Never read as another number (309, 22, ...); callers refuse them, naming what works.
    assert read_number(typed, "en") is None
    assert read_number(typed, "es") is None


def test_folding_keeps_superscripts_and_fractions() -> None:
    # Plain folding would turn "2²" into "22" and "1½" into "11⁄2".
    assert fold_keeping_numbers("2² TIENDAS, 1½ Días") == "2² tiendas, 1½ dias"
