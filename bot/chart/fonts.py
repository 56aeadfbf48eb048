"""The chart's fonts: DejaVu Sans, shipped in the package, and text measured with them.

DejaVu Sans 2.37 (Debian's ``fonts-dejavu-core``), under the Bitstream Vera licence with the
DejaVu changes in the public domain: ``fonts/LICENSE``. It covers Latin (Spanish accents, ñ,
¿ ¡), Greek and Cyrillic, not Chinese, Japanese or Korean (see ARCHITECTURE.md). The fonts are
always these files, never the system's, so that every machine draws the same picture; text is
laid out with FreeType alone (Pillow's basic layout), never with whatever shaping library a
machine happens to have.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"


@lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The shipped font at ``size`` pixels."""
    path = BOLD if bold else REGULAR
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=4096)
def measure(text: str, size: int, bold: bool = False) -> tuple[int, int]:
    """(width, height) of one line of ``text``, drawn from its top-left corner.

    The height is the font's line height (ascent and descent), or the ink's when a glyph
    reaches lower; the width is the advance, or the ink's when a glyph overhangs it.
    """
    f = font(size, bold)
    ascent, descent = f.getmetrics()
    left, top, right, bottom = f.getbbox(text, anchor="la")
    width = max(math.ceil(f.getlength(text)), math.ceil(right)) - min(0, math.floor(left))
    return width, max(ascent + descent, math.ceil(bottom)) - min(0, math.floor(top))


def wrap(text: str, width: int, size: int, bold: bool = False) -> list[str]:
    """``text`` in lines no wider than ``width``: at spaces, or within a word too long alone."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and measure(candidate, size, bold)[0] <= width:
            lines[-1] = candidate
            continue
        lines.extend(_split_word(word, width, size, bold))
    return lines or [""]


def _split_word(word: str, width: int, size: int, bold: bool) -> list[str]:
    """A word in pieces that fit ``width`` (each at least one character)."""
    pieces: list[str] = []
    while word:
        cut = len(word)
        while cut > 1 and measure(word[:cut], size, bold)[0] > width:
            cut -= 1
        pieces.append(word[:cut])
        word = word[cut:]
    return pieces
