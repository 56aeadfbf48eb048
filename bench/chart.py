"""The org-chart picture of the largest plan, next to Pillow saving a blank canvas of its size.

ShopCrew's side: ``plan chart`` through the whole bot (read the plan, build the chart, lay it
out, draw it, encode the PNG), and the renderer alone (layout, drawing, PNG). The floor is what
no picture of that size can avoid: Pillow creating an empty canvas of the same size and saving
it as a PNG with the same settings. Everything runs in this process, interleaved and repeated;
figures are min / median / max over the runs (each the median of its renders), with the ratios
ShopCrew / floor (the median of the per-run ratios).
Run: ``python bench/chart.py`` (about 20 s); ``--runs 9 --renders 20`` for a longer one;
``--quick`` only checks that it runs.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image

from bench.figures import machine, ratio_line, spread
from bot.chart import chart_of, layout, render
from bot.chart.draw import BACKGROUND, COMPRESSION, DPI
from bot.core import Bot
from bot.models import Message
from bot.plans.service import PlanService
from bot.storage import open_storage
from knowledge import default_kb
from tests.bot.chart.plans import LARGEST


def _seconds(work: Callable[[], object], n: int) -> float:
    """The median time of ``n`` calls of ``work``."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--renders", type=int, default=10, help="renders per run and side")
    parser.add_argument("--quick", action="store_true", help="tiny counts: only check it runs")
    args = parser.parse_args()
    runs, renders = (2, 2) if args.quick else (args.runs, args.renders)
    print(machine())

    bot = Bot(plans=PlanService(open_storage(":memory:").plans))
    for command in LARGEST:
        bot.answer(Message(text=command, user_is_admin=True))
    assert bot.plans is not None
    plan = bot.plans.store.read("local:local")
    chart = chart_of(default_kb(), plan.roles, "en", ("Team plan", "Stores: 500", "Total"))
    size = (layout(chart).width, layout(chart).height)
    answer = bot.answer(Message(text="plan chart", user_is_admin=True))
    assert answer.attachment is not None
    print(f"largest plan: {len(plan.roles)} roles, {plan.total} people; picture {size[0]}x"
          f"{size[1]} px, {len(answer.attachment.content):,} bytes")  # fmt: skip

    def command() -> object:
        return bot.answer(Message(text="plan chart", user_is_admin=True))

    def renderer() -> object:
        return render(chart)

    def canvas() -> object:
        out = io.BytesIO()
        blank = Image.new("RGB", size, BACKGROUND)
        blank.save(out, "PNG", dpi=(DPI, DPI), compress_level=COMPRESSION)
        return out

    sides: dict[str, list[float]] = {"plan chart": [], "render": [], "canvas": []}
    work = {"plan chart": command, "render": renderer, "canvas": canvas}
    for run in range(runs):
        order = list(work) if run % 2 == 0 else list(reversed(work))
        for name in order:
            sides[name].append(_seconds(work[name], renders))
    for name, values in sides.items():
        print(f"{name:<10} ms per picture: {spread([v * 1000 for v in values], '.1f')}")
    print(ratio_line(sides["plan chart"], sides["canvas"], "plan-chart/canvas"))
    print(ratio_line(sides["render"], sides["canvas"], "render/canvas"))


if __name__ == "__main__":
    main()
