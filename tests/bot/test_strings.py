"""Both languages have the same strings with the same placeholders."""

from __future__ import annotations

import string

from bot.strings.en import STRINGS as EN
from bot.strings.es import STRINGS as ES


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_same_keys() -> None:
    assert set(EN) == set(ES)


def test_same_placeholders() -> None:
    for key in EN:
        assert _fields(EN[key]) == _fields(ES[key]), key


def test_spanish_is_translated() -> None:
    same = [k for k in EN if EN[k] == ES[k] and any(c.isalpha() for c in EN[k])]
    # Proper names and code-only strings are the same in both languages.
    assert set(same) <= {
        "app",
        "channel.xiaohongshu",
        "channel.kuaishou",
        "channel.douyin",
        "duties.title",
        "plan.total",
        "size.total",
        "size.with_channels",
        "plan.changed.set",
        "dc.group",
        "dc.plan",
    }
