"""Turn raw chat text into something the matchers can read.

Chat text arrives with platform markup (Slack ``<@U123>``, Discord ``<@!123>``, ``:emoji:`` codes),
unicode emoji, Markdown, SHOUTING and missing accents. Matching works on a folded form (lowercase,
no accents) so that "diseñador", "DISENADOR" and "disenador" are the same word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from knowledge.text import fold

# Slack: <@U123>, <@U123|name>, <!here>, <#C1|name>, <http://x|label>; Discord: <@123>, <@!1>, <#1>,
# <@&1>, <:name:1>, <a:name:1>, <t:123:R>.
_SLACK_CHANNEL = re.compile(r"<#[A-Z0-9]+\|[^>]*>")
_SLACK_LINK = re.compile(r"<(?:https?|mailto):[^>|]*\|([^>]*)>")
_ANGLE = re.compile(r"<[@#!:&a-z/][^<>\s]{0,120}>|<https?://[^>\s]*>", re.IGNORECASE)
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-]{1,40}:", re.IGNORECASE)
_MARKDOWN = re.compile(r"[*_~`>|]+")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TOKEN = re.compile(r"[a-z0-9ñ]+", re.IGNORECASE)


def _is_symbol(ch: str) -> bool:
    cat = unicodedata.category(ch)
    # So = emoji and other pictographs; Sk = skin-tone modifiers; Cf = joiners/variation selectors;
    # Co/Cs/Cn = private use, lone surrogates, unassigned.
    return cat in ("So", "Sk", "Cf", "Co", "Cs", "Cn", "Cc") and ch not in "\n\t"


def strip_markup(text: str) -> str:
    """Remove chat markup and emoji; keep the words, case and accents."""
    text = _SLACK_CHANNEL.sub(" ", text)  # a channel's name is not part of the question
    text = _SLACK_LINK.sub(r" \1 ", text)
    text = _ANGLE.sub(" ", text)
    text = _EMOJI_CODE.sub(" ", text)
    if text.isascii():  # fast path: no emoji or symbols outside ASCII, only control characters
        text = _CONTROL.sub(" ", text)
    else:
        text = "".join(" " if _is_symbol(ch) else ch for ch in text)
    text = _MARKDOWN.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def tokens(folded: str) -> list[str]:
    """Words of a folded text (letters and digits; hyphens and punctuation split words)."""
    return _TOKEN.findall(folded)


@dataclass(frozen=True, slots=True)
class Normalized:
    """A message in the forms the matchers need."""

    clean: str  # markup removed, original case and accents
    lower: str  # lowercase with accents (number words need them: "veintidós")
    folded: str  # lowercase, no accents
    words: tuple[str, ...]  # tokens of ``folded``


#: Three or more of the same letter ("quiennn", "holaaa", "noooo"): chat emphasis, not spelling.
_STRETCHED = re.compile(r"([a-zñáéíóú])\1{2,}", re.IGNORECASE)


def normalize(text: str) -> Normalized:
    """Normalise raw chat text (see module docstring)."""
    clean = _STRETCHED.sub(r"\1", strip_markup(text))
    lower = clean.lower()
    folded = fold(clean)
    return Normalized(clean=clean, lower=lower, folded=folded, words=tuple(tokens(folded)))


__all__ = ["Normalized", "fold", "normalize", "strip_markup", "tokens"]
