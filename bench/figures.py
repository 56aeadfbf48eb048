"""How the benchmarks summarise what they measured: percentiles, spreads over runs, ratios."""

from __future__ import annotations

import os
import statistics


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``; 0 when there are none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def spread(values: list[float], fmt: str) -> str:
    """min / median / max of ``values``, each formatted with ``fmt``."""
    return " / ".join(format(v, fmt) for v in (min(values), statistics.median(values), max(values)))


def times(x: float) -> str:
    """A ratio, with as many digits as it needs: 0.43x, 2.3x, 31x."""
    if x != x:  # NaN: nothing to compare with
        return "n/a"
    return f"{x:.2f}x" if x < 1 else f"{x:.1f}x" if x < 10 else f"{x:.0f}x"


def ratio_line(ours: list[float], floor: list[float], label: str = "ShopCrew/floor") -> str:
    """``ratio A/B 2.3x (runs 2.1x-2.6x)``: the median of the per-run ratios, and their range."""
    ratios = [a / b if b else float("nan") for a, b in zip(ours, floor, strict=True)]
    return (f"ratio {label} {times(statistics.median(ratios))} "
            f"(runs {times(min(ratios))}-{times(max(ratios))})")  # fmt: skip


def machine() -> str:
    """The CPUs and how busy the machine is: figures from a shared machine need it."""
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"machine: {os.cpu_count()} CPUs, load average {load} (1 / 5 / 15 min) at the start"
