"""Numbers as people write them in either language: "1,500" or "1.500", "2.5" or "2,5".

A separator followed by exactly three digits groups thousands in either style ("1,500 pedidos" in
Mexico, "1.500 pedidos" in Spain: both mean 1500). Anything else is a decimal, read with the
message language's rules first and then the other's (Babel's ``parse_decimal``). A space groups
thousands too ("10 000", the style Spanish style guides recommend). Exponents ("1e309"),
superscripts ("²") and other shapes are not numbers: callers refuse them, naming what works.
"""

from __future__ import annotations

import math
import re
import unicodedata

from bot.strings import LOCALES
from knowledge import LANGS, Lang, fold

_THOUSANDS = re.compile(r"\d{1,3}(?:([,.])\d{3})(?:\1\d{3})*")
_DIGITS = re.compile(r"\d+(?:[,.]\d+)*")
#: Vulgar fractions ("1½"), read as their value.
VULGAR = "¼½¾⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
#: Superscript digits: never a count ("plan stores ²"), but clearly an attempt at a number.
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# Not after a digit: a search would otherwise start again at every digit of a long number, each
# time reading on to its end (a match starting there would have started one digit earlier).
_WITHVULGAR = re.compile(r"(?<!\d)(\d*)([" + VULGAR + "])")
#: Digit groups split by spaces (also the no-break spaces number formatters use): "10 000".
_SPACED = re.compile(r"(?<![\d.,])(\d{1,3})((?:[ \u00a0\u202f]\d{3})+)(?![\d]|[.,]\d)")

#: A number token as typed, for patterns: digits first, then anything a number may be glued to
#: ("1,500", "2.5", "1e309", "2²", "1½"). Callers read it with :func:`read_number`, which refuses
#: the shapes that are not numbers. Lazy, so that "2.5k" leaves the "k" to the multiplier.
TOKEN = r"-?[\d" + VULGAR + r"][\w.,]*?"
#: ...and where a token may start: not inside a word or another number ("e309" in "1e309",
#: "7" in "24/7").
TOKEN_START = r"(?<![\w.,/-])"


def read_number(text: str, lang: Lang) -> float | None:
    """The value of a written number, or None when it is not one (or not a finite one)."""
    negative = text.startswith("-")
    value = _unsigned(text[1:] if negative else text, lang)
    if value is None or not math.isfinite(value):
        return None
    return -value if negative else value


def _unsigned(text: str, lang: Lang) -> float | None:
    vulgar = _WITHVULGAR.fullmatch(text)
    if vulgar:
        return float(vulgar.group(1) or 0) + unicodedata.numeric(vulgar.group(2))
    if not _DIGITS.fullmatch(text):
        return None
    if _THOUSANDS.fullmatch(text):
        return float(re.sub(r"[,.]", "", text))
    from babel.numbers import NumberFormatError, parse_decimal

    for locale_lang in (lang, *(other for other in LANGS if other != lang)):
        try:
            return float(parse_decimal(text, locale=LOCALES[locale_lang], strict=True))
        except NumberFormatError:
            continue
    return None


def join_spaced_thousands(text: str) -> str:
    """ "10 000 pedidos" -> "10000 pedidos" (digits grouped by spaces are one number)."""
    return _SPACED.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), text)


def fold_keeping_numbers(text: str) -> str:
    """``fold(text)``, but superscripts and vulgar fractions stay as typed.

    Folding decomposes "2²" into "22" and "1½" into "11⁄2": another number than the one typed.
    """
    if text.isascii():
        return fold(text)
    kept = SUPERSCRIPTS + VULGAR
    parts = re.split("([" + kept + "])", text)
    return "".join(part if part and part in kept else fold(part) for part in parts)


def whole(value: float) -> int | None:
    """``value`` as an int when it is a whole number, else None."""
    return int(value) if value.is_integer() else None
