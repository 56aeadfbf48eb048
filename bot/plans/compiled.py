"""Word lists compiled once per vocabulary, for the readers of plain words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from knowledge.vocab import PlainPlanWords

T = TypeVar("T")
_cache: dict[tuple[int, Any], tuple[PlainPlanWords, Any]] = {}


def compiled(words: PlainPlanWords, build: Callable[[PlainPlanWords], T]) -> T:
    """``build(words)``, built once per vocabulary: a vocabulary is loaded once, and a message
    must not pay for compiling its lists. Kept by identity, checked against the words kept with
    it (an id can be reused once a vocabulary is gone)."""
    key = (id(words), build)
    hit = _cache.get(key)
    if hit is None or hit[0] is not words:
        hit = (words, build(words))
        _cache[key] = hit
    result: T = hit[1]
    return result
