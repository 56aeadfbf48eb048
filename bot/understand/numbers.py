"""Numbers as people write them in either language: "1,500" or "1.500", "2.5" or "2,5".

A separator followed by exactly three digits groups thousands in either style ("1,500 pedidos" in
Mexico, "1.500 pedidos" in Spain: both mean 1500). Anything else is a decimal, read with the
message language's rules first and then the other's (Babel's ``parse_decimal``).
"""

from __future__ import annotations

import re

from bot.strings import LOCALES
from knowledge import LANGS, Lang

_THOUSANDS = re.compile(r"\d{1,3}(?:([,.])\d{3})(?:\1\d{3})*")


def read_number(text: str, lang: Lang) -> float | None:
    """The value of a written number, or None when it is not one."""
    if _THOUSANDS.fullmatch(text):
        return float(re.sub(r"[,.]", "", text))
    from babel.numbers import NumberFormatError, parse_decimal

    for locale_lang in (lang, *(other for other in LANGS if other != lang)):
        try:
            return float(parse_decimal(text, locale=LOCALES[locale_lang], strict=True))
        except NumberFormatError:
            continue
    return None
