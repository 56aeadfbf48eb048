"""Answer latency and throughput of the intent layer over the labelled question set.

Prints p50/p99 per answer and answers per second in one process, next to the cost of one rapidfuzz
``extractOne`` over all role aliases measured in the same run (the baseline), and the wall time of
``shopcrew ask`` as a whole process. Run: ``python bench/answers.py``.
Targets: p99 < 2 ms, > 2,000 answers/s on one core, ``shopcrew ask`` < 0.4 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.context import default_knowledge
from bot.core import Bot
from bot.models import Message

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(rounds: int = 20) -> None:
    questions = [q["q"] for q in yaml.safe_load((ROOT / "tests/data/questions.yaml").read_text())]
    questions = [q for q in questions if not q.startswith(("plan", "/shopcrew", "<@U0BOT> plan"))]
    bot = Bot()
    for q in questions:  # warm-up: lazy imports and caches
        bot.answer(Message(text=q))

    times: list[float] = []
    start = time.perf_counter()
    for r in range(rounds):
        for i, q in enumerate(questions):
            t0 = time.perf_counter()
            bot.answer(Message(text=q, user=f"{r}-{i}"))
            times.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start

    choices = default_knowledge().matcher.choices
    base: list[float] = []
    for _ in range(rounds):
        for q in questions:
            t0 = time.perf_counter()
            process.extractOne(q.lower(), choices, scorer=fuzz.WRatio)
            base.append(time.perf_counter() - t0)

    p50, p99 = percentile(times, 50) * 1000, percentile(times, 99) * 1000
    b50 = percentile(base, 50) * 1000
    print(f"questions: {len(questions)} x {rounds} rounds = {len(times)} answers")
    print(f"answer latency: p50 {p50:.3f} ms, p99 {p99:.3f} ms (target p99 < 2 ms)")
    print(f"throughput: {len(times) / elapsed:,.0f} answers/s on one core (target > 2,000)")
    print(
        f"baseline: one rapidfuzz extractOne(WRatio) over {len(choices)} aliases: p50 {b50:.3f} ms"
    )
    print(f"ratio: answer p50 / extractOne p50 = {p50 / b50:.2f}x")

    exe = str(Path(sys.executable).parent / "shopcrew")
    runs = []
    for _ in range(7):
        t0 = time.perf_counter()
        subprocess.run([exe, "ask", "what does copywriting do?"], capture_output=True, check=True)
        runs.append(time.perf_counter() - t0)
    print(
        f"`shopcrew ask` whole process: median {statistics.median(runs):.3f} s, "
        f"best {min(runs):.3f} s (target < 0.4 s)"
    )


if __name__ == "__main__":
    main()
