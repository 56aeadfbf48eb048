"""The org chart painted with Pillow from its layout, and saved as a PNG.

The same layout always gives the same bytes: the fonts are the package's, text is laid out by
FreeType alone, and the PNG carries no time or software name, only its size in pixels per inch.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from bot.chart.fonts import font
from bot.chart.layout import Box, Layout, Panel, Rect, Text

#: 144 pixels per inch: printed or shown at "actual size", the picture is about 21 cm wide.
DPI = 144
#: zlib's usual level: 9 takes four times as long for a file 4% smaller.
COMPRESSION = 6
BACKGROUND = (255, 255, 255)
INK = (31, 41, 51)
LINE = (120, 131, 150)
LINE_WIDTH = 4
RADIUS = 14
#: (panel tint, box border and count pill) per department, by its place in the knowledge base.
TONES = (
    ((232, 236, 243), (52, 73, 102)),
    ((226, 241, 233), (36, 120, 78)),
    ((253, 237, 225), (186, 90, 24)),
    ((235, 232, 246), (98, 72, 160)),
    ((250, 230, 238), (168, 46, 98)),
    ((225, 240, 246), (22, 112, 148)),
    ((244, 241, 222), (130, 112, 20)),
)
PILL_TEXT = (255, 255, 255)


def _xy(rect: Rect) -> tuple[int, int, int, int]:
    """A rectangle as Pillow's inclusive corners."""
    return rect.x, rect.y, rect.right - 1, rect.bottom - 1


def _text(draw: ImageDraw.ImageDraw, text: Text, fill: tuple[int, int, int]) -> None:
    draw.text((text.rect.x, text.rect.y), text.text, font=font(text.size, text.bold), fill=fill)


def _panel(draw: ImageDraw.ImageDraw, panel: Panel) -> None:
    tint, strong = TONES[panel.tone % len(TONES)]
    draw.rounded_rectangle(_xy(panel.rect), RADIUS, fill=tint)
    for line in panel.name:
        _text(draw, line, strong)


def _box(draw: ImageDraw.ImageDraw, box: Box) -> None:
    _, strong = TONES[box.tone % len(TONES)]
    draw.rounded_rectangle(_xy(box.rect), RADIUS, fill=BACKGROUND, outline=strong, width=3)
    for line in box.label:
        _text(draw, line, INK)
    draw.rounded_rectangle(_xy(box.pill), box.pill.h // 2, fill=strong)
    _text(draw, box.count, PILL_TEXT)


def draw(layout: Layout) -> Image.Image:
    """The picture: panels, then reporting lines, then boxes over the lines' ends."""
    image = Image.new("RGB", (layout.width, layout.height), BACKGROUND)
    pen = ImageDraw.Draw(image)
    for line in layout.title:
        _text(pen, line, INK)
    for panel in layout.panels:
        _panel(pen, panel)
    for connector in layout.connectors:
        pen.line(list(connector), fill=LINE, width=LINE_WIDTH, joint="curve")
    for box in layout.boxes:
        _box(pen, box)
    return image


def png(layout: Layout) -> bytes:
    """The picture as PNG bytes: the same layout, the same bytes."""
    out = io.BytesIO()
    draw(layout).save(out, format="PNG", dpi=(DPI, DPI), compress_level=COMPRESSION)
    return out.getvalue()
