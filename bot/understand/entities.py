"""Entities of a message: its language, store count, stage, content channels and team shape."""

from __future__ import annotations

import re

from text_to_num import alpha2digit

from bot.understand.lexicon import Cues, Lexicon
from bot.understand.normalize import Normalized, fold
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
    """The folded text with number words written as digits ("dos tiendas" -> "2 tiendas")."""
    try:
        return fold(alpha2digit(norm.lower, lang, threshold=0))
    except Exception:  # text2num is strict about odd input; digits alone still work
        return norm.folded


def _whole(number: str) -> int:
    """ "1,000" / "1.000" (thousands separators) -> 1000."""
    return int(re.sub(r"[,.]", "", number))


def extract_stores(lex: Lexicon, norm: Normalized, digits: str) -> int | None:
    """The number of stores the message talks about ("two stores", "4 tiendas", "third store")."""
    pats = lex.stores
    if not pats.hint.search(norm.folded):
        return None
    for pattern, value in pats.counted:
        if pattern.search(norm.folded):
            return value
    match = pats.number_before.search(digits) or pats.number_after.search(digits)
    if match:
        return _whole(match.group(1))
    if pats.one.search(norm.folded):
        return 1
    return None


def extract_stage(cues: Cues) -> Stage | None:
    """``mature``, ``new`` or None ("a new mature team" is about the mature stage)."""
    return next((stage for stage in ("mature", "new") if f"stage:{stage}" in cues), None)


def extract_channels(cues: Cues) -> list[Channel]:
    """Content channels named in the message, in canonical order.

    A platform ("tiktok") names its channel only when no channel is named outright: "lives on
    tiktok" is live streaming.
    """
    named = [c for c in CHANNELS if _said(cues, f"channel:{c}")]
    return named or [c for c in CHANNELS if _said(cues, f"platform:{c}")]


#: How many words before a channel a "no" / "sin" still negates it ("no hacemos directos").
NEGATION_REACH = 3


def _said(cues: Cues, group: str) -> bool:
    """True when a phrase of ``group`` occurs and is not negated just before it."""
    negations = [a for a, _, g in cues.spans if g == "negation"]
    return any(
        not any(start - NEGATION_REACH <= n < start for n in negations)
        for start, _, g in cues.spans
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
