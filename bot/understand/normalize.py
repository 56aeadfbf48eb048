"""Turn raw chat text into something the matchers can read.

Chat text arrives with platform markup (Slack ``<@U123>``, Discord ``<@!123>``, ``:emoji:`` codes),
unicode emoji, Markdown, SHOUTING and missing accents. Matching works on a folded form (lowercase,
no accents) so that "diseñador", "DISENADOR" and "disenador" are the same word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.text import fold

# Slack: <@U123>, <@U123|name>, <!here>, <#C1|name>, <http://x|label>; Discord: <@123>, <@!1>, <#1>,
# <@&1>, <:name:1>, <a:name:1>, <t:123:R>.
#
# The first three end in an alternative that matches where the markup is left open (no closing
# ">"): that part is passed over whole and kept as it is (see ``_closed``). Without it, every
# "<#C1|" or "<http:" of a text with no ">" after it began a new attempt that read on to the end
# of the text, a quadratic cost; passed over, each character is read once. What they remove is
# unchanged: no markup can start inside the part passed over, since it has no ">" (or no "|"
# before its ">") of its own.
_SLACK_CHANNEL = re.compile(r"<#[A-Z0-9]+\|[^>]*(?:>|(?P<open>))")
_SLACK_LINK = re.compile(r"<(?:https?|mailto):[^>|]*(?:\|([^>]*))?(?:>|(?P<open>))")
_ANGLE = re.compile(r"<[@#!:&a-z/][^<>\s]{0,120}>|<https?://[^>\s]*(?:>|(?P<open>))", re.IGNORECASE)
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


def _closed(replacement: str) -> Callable[[re.Match[str]], str]:
    """``replacement`` for closed markup; markup left open stays as it is."""
    return lambda m: m.group() if m["open"] is not None else replacement


def _link_label(m: re.Match[str]) -> str:
    """A Slack link's label (``<http://x|label>``); a link with no label or left open stays."""
    return m.group() if m["open"] is not None or m[1] is None else f" {m[1]} "


def strip_markup(text: str) -> str:
    """Remove chat markup and emoji; keep the words, case and accents."""
    text = _SLACK_CHANNEL.sub(_closed(" "), text)  # a channel's name is not part of the question
    text = _SLACK_LINK.sub(_link_label, text)
    text = _ANGLE.sub(_closed(" "), text)
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
