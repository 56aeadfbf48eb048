"""Entities of a message: its language, store count, stage, content channels and team shape."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from math import ceil, floor

from text_to_num import alpha2digit

from bot.understand.lexicon import Cues, Lexicon
from bot.understand.normalize import Normalized
from bot.understand.numbers import (
    fold_keeping_numbers,
    join_spaced_thousands,
    read_number,
    whole,
)
from bot.understand.roles import RoleHit
from knowledge import LANGS, Lang
from knowledge.vocab import CHANNELS, Channel, Stage


def detect_lang(lex: Lexicon, norm: Normalized, hits: list[RoleHit], default: Lang | None) -> Lang:
    """The message's language, from cue words, language-only characters and role aliases.

    A tie goes to ``default`` (the workspace's or the client's language), else English.
    """
    votes = {lang: sum(1 for w in norm.words if w in lex.lang_cues[lang]) for lang in LANGS}
    for lang, marks in lex.lang_marks.items():
        if marks is not None and marks.search(norm.lower):
            votes[lang] += 2
    for hit in hits:
        if hit.lang is not None:
            votes[hit.lang] += 1
    best = max(votes.values())
    leaders = [lang for lang in LANGS if votes[lang] == best]
    if len(leaders) == 1:
        return leaders[0]
    return default or "en"


def with_digits(norm: Normalized, lang: Lang) -> str:
    """The folded text with number words written as digits ("dos tiendas" -> "2 tiendas").

    Digits grouped by spaces are joined first ("10 000"), before text2num writes "unos 300" as
    "1 300", which is not a thousands group.
    """
    lower = join_spaced_thousands(norm.lower)
    try:
        return fold_keeping_numbers(alpha2digit(lower, lang, threshold=0))
    except Exception:  # text2num is strict about odd input; digits alone still work
        return fold_keeping_numbers(lower)


@dataclass(frozen=True, slots=True)
class StoreCount:
    """A store count as the message gave it.

    ``options`` are the whole counts offered, ascending: ``(2,)``, ``(2, 3)`` for "2 or 3
    stores", ``(1, 2)`` for "1.5 stores" (stores are whole: the counts around it). ``typed`` is
    the number as typed when it was not a whole number ("1.5"; "1e309", which reads as no count).
    """

    options: tuple[int, ...] = ()
    typed: str = ""

    @property
    def count(self) -> int | None:
        """The count to size for (the first option), or None."""
        return self.options[0] if self.options else None

    @property
    def fraction(self) -> bool:
        """True when the count was a fraction, read as the whole counts around it."""
        return bool(self.typed) and bool(self.options)

    @property
    def unreadable(self) -> bool:
        """True when the count was not a number at all ("1e309 stores"): refused."""
        return bool(self.typed) and not self.options


def _read_counts(tokens: list[str], lang: Lang) -> StoreCount:
    """Whole counts from numbers as typed; a fraction gives the whole numbers around it."""
    options: set[int] = set()
    typed = ""
    for token in tokens:
        value = read_number(token, lang)
        if value is None:
            return StoreCount((), token)
        count = whole(value)
        if count is None:
            typed = typed or token
            around = {floor(value), ceil(value)}
            # "0.5 stores" is at least one; a negative one stays negative and is refused.
            options |= {n for n in around if n != 0} or {1}
        else:
            options.add(count)
    return StoreCount(tuple(sorted(options)), typed)


def read_stores(lex: Lexicon, norm: Normalized, digits: str, lang: Lang) -> StoreCount:
    """The store count(s) the message talks about, as typed ("two stores", "2 or 3 tiendas",
    "third store", "1.5 stores", "¿un operador por tienda? tengo dos")."""
    pats = lex.stores
    if not pats.hint.search(norm.folded):
        return StoreCount()
    for pattern, value in pats.counted:
        if pattern.search(norm.folded):
            return StoreCount((value,))
    for options in pats.options:
        if match := options.search(digits):
            return _read_counts([g for g in match.groups() if g], lang)
    match = _asked_count(pats.number_before, digits) or pats.number_after.search(digits)
    if match:
        return _plus(_read_counts([match.group(1)], lang), _more(pats.more, digits, match.end()))
    if one := pats.one.search(norm.folded):
        return StoreCount((1 + _more(pats.more, norm.folded, one.end()),))
    if match := pats.have.search(digits):
        return _read_counts([match.group(1)], lang)
    return StoreCount()


def _asked_count(pattern: re.Pattern[str], digits: str) -> re.Match[str] | None:
    """The store count the question asks about: with several ("we have one store and will open
    another: how many people for 2 stores?"), the one in the question, else the first."""
    found = list(pattern.finditer(digits))
    if len(found) < 2:
        return found[0] if found else None
    end = digits.rfind("?")
    start = max(digits.rfind(c, 0, end) for c in ".?!,;") + 1 if end >= 0 else -1
    asked = [m for m in found if start <= m.start() < end] if end >= 0 else []
    return asked[-1] if asked else found[0]


def _more(pattern: re.Pattern[str], text: str, after: int) -> int:
    """How many "… and one on Shopify" follow a count in its own sentence (each is one more)."""
    end = min((i for i in (text.find(c, after) for c in ".?!") if i >= 0), default=len(text))
    return len(pattern.findall(text, after, end))


def _plus(count: StoreCount, more: int) -> StoreCount:
    """``count`` with ``more`` stores added ("3 stores on Amazon and one on Shopify" is 4)."""
    if not more or len(count.options) != 1 or count.fraction or count.unreadable:
        return count
    return replace(count, options=(count.options[0] + more,))


def extract_stores(lex: Lexicon, norm: Normalized, digits: str, lang: Lang = "en") -> int | None:
    """The number of stores the message talks about (the first, when it offers several)."""
    return read_stores(lex, norm, digits, lang).count


def extract_stage(cues: Cues) -> Stage | None:
    """``mature``, ``new`` or None ("a new mature team" is about the mature stage)."""
    return next((stage for stage in ("mature", "new") if f"stage:{stage}" in cues), None)


def extract_channels(cues: Cues) -> list[Channel]:
    """Content channels named in the message, in canonical order.

    A platform ("tiktok") names its channel only when no channel is named outright: "lives on
    tiktok" is live streaming.
    """
    named = [c for c in CHANNELS if _said(cues, f"channel:{c}")]
    return named or [c for c in CHANNELS if _said(cues, f"platform:{c}", shop=False)]


#: How many words before a channel a "no" / "sin" still negates it ("no hacemos directos").
NEGATION_REACH = 3


def _said(cues: Cues, group: str, shop: bool = True) -> bool:
    """True when a phrase of ``group`` occurs and is not negated just before it; with
    ``shop=False``, not as part of a marketplace's name either ("TikTok Shop" is a store)."""
    negations = [a for a, _, g in cues.spans if g == "negation"]
    shops = frozenset({"marketplace"})
    return any(
        not any(start - NEGATION_REACH <= n < start for n in negations)
        and (shop or not cues.covers(start, end, shops))
        for start, end, g in cues.spans
        if g == group
    )


def extract_team(cues: Cues, stage: Stage | None, channels: list[Channel]) -> str | None:
    """The team template the message asks about, if it names one."""
    if "team:agency" in cues:
        return "agency"
    if channels or "team:content" in cues:
        return "content"
    if stage is not None:
        return {"mature": "mature", "new": "starter"}[stage]
    if "team:essentials" in cues:
        return "essentials"
    return None
