"""User-facing text: one catalogue per language, with CLDR plurals and locale-aware numbers.

A catalogue entry is a sentence (``str``), a list of lines (``tuple``) or a plural
(``{"one": …, "other": …}``, CLDR categories; a missing category falls back to ``other``).
Placeholders are ``str.format`` fields. Numbers passed as parameters are formatted for the
language (Babel: "2,500" / "2.500", "40.3" / "40,3"), and a field written ``{n:unit.seat}``
becomes the plural phrase ``unit.seat`` for that number ("1 seat", "2 seats").
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

from bot.strings.en import STRINGS as EN
from bot.strings.es import STRINGS as ES
from knowledge import Lang

Entry = str | tuple[str, ...] | dict[str, str]
CATALOGUES: dict[Lang, dict[str, Entry]] = {"en": EN, "es": ES}
#: The CLDR locale whose plural rules and number formats each language uses.
LOCALES: dict[Lang, str] = {"en": "en", "es": "es"}


@lru_cache(maxsize=4096)
def _decimal(lang: Lang, value: float) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=LOCALES[lang]))


def number(lang: Lang, value: float) -> str:
    """A number as written in ``lang`` (thousands separators, decimal mark, up to 3 decimals)."""
    if isinstance(value, int) and -1000 < value < 1000:
        return str(value)  # the same in every locale: skip Babel on the hot path
    return _decimal(lang, value)


@lru_cache(maxsize=1024)
def plural_category(lang: Lang, count: float) -> str:
    """The CLDR plural category of ``count`` in ``lang`` ("one", "other", "many"…)."""
    from babel import Locale

    return str(Locale.parse(LOCALES[lang]).plural_form(abs(count)))


class _Number:
    """A number parameter: formats itself for the language, or as a plural unit phrase."""

    __slots__ = ("lang", "value")

    def __init__(self, lang: Lang, value: float) -> None:
        self.lang = lang
        self.value = value

    def __format__(self, spec: str) -> str:
        if spec.startswith("unit."):
            return t(self.lang, spec, count=self.value)
        if spec:
            return format(self.value, spec)
        return number(self.lang, self.value)


def _params(lang: Lang, text: str, params: dict[str, object]) -> dict[str, object]:
    """Numbers wrapped so they format for ``lang``; small whole numbers read the same in every
    language, so they are left alone unless a ``:unit.`` field needs them (the hot path)."""
    units = ":unit." in text
    out = params
    for key, value in params.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if isinstance(value, float) or units or not -1000 < value < 1000:
            if out is params:
                out = dict(params)
            out[key] = _Number(lang, value)
    return out


def _entry(lang: Lang, key: str) -> Entry:
    try:
        return CATALOGUES[lang][key]
    except KeyError:
        raise KeyError(f"no string {key!r} in the {lang} catalogue") from None


def t(lang: Lang, key: str, /, **params: object) -> str:
    """The sentence ``key`` in ``lang``, filled with ``params``.

    A plural entry picks its form by the ``count`` parameter.
    """
    try:
        return _cached_t(lang, key, tuple(params.items()))
    except TypeError:  # a parameter that cannot be hashed: format it afresh
        return _t(lang, key, params)


@lru_cache(maxsize=8192)
def _cached_t(lang: Lang, key: str, params: tuple[tuple[str, object], ...]) -> str:
    # Answers repeat the same sentences with the same figures (a sizing answer formats dozens);
    # formatting numbers for a locale is the costly part, so each result is kept.
    return _t(lang, key, dict(params))


def _t(lang: Lang, key: str, params: dict[str, object]) -> str:
    entry = _entry(lang, key)
    if isinstance(entry, dict):
        count = params.get("count")
        if not isinstance(count, int | float):
            raise TypeError(f"{key!r} is a plural: pass count=")
        entry = entry.get(plural_category(lang, count)) or entry["other"]
    elif isinstance(entry, tuple):
        raise TypeError(f"{key!r} is a list: use items()")
    return entry.format_map(_params(lang, entry, params)) if params else entry


def items(lang: Lang, key: str, /, **params: object) -> list[str]:
    """The list of lines ``key`` in ``lang``, each filled with ``params``."""
    entry = _entry(lang, key)
    if not isinstance(entry, tuple):
        raise TypeError(f"{key!r} is not a list")
    return [line.format_map(_params(lang, line, params)) if params else line for line in entry]


def join(lang: Lang, words: Iterable[str], style: Literal["and", "or"] = "and") -> str:
    """ "a, b and c" / "a, b y c"; with ``style="or"``: "a, b or c" / "a, b o c"."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    from babel.lists import format_list

    return str(
        format_list(words, style="standard" if style == "and" else "or", locale=LOCALES[lang])
    )


__all__ = ["CATALOGUES", "LOCALES", "Entry", "items", "join", "number", "plural_category", "t"]
