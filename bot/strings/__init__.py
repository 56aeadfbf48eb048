"""User-facing strings: one module per language, looked up by key."""

from __future__ import annotations

from bot.models import Lang
from bot.strings.en import STRINGS as EN
from bot.strings.es import STRINGS as ES

_TABLES: dict[str, dict[str, str]] = {"en": EN, "es": ES}


def t(lang: Lang, key: str, **params: object) -> str:
    """The string ``key`` in ``lang``, filled with ``params``."""
    text = _TABLES[lang][key]
    return text.format(**params) if params else text


def channel_name(lang: Lang, channel: str) -> str:
    """A content channel's display name."""
    return t(lang, "channel." + channel)
