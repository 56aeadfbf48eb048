"""The plan as an org-chart picture: what it shows (``tree``), where things go (``layout``, plain
data that tests check), and the pixels (``draw``, Pillow). Imported only when a picture is asked
for: Pillow is not loaded to answer questions.
"""

from __future__ import annotations

from bot.chart.draw import png
from bot.chart.layout import Layout, layout
from bot.chart.tree import Chart, chart_of


def render(chart: Chart) -> bytes:
    """The chart as PNG bytes (the same chart always gives the same bytes)."""
    return png(layout(chart))


__all__ = ["Chart", "Layout", "chart_of", "layout", "png", "render"]
