"""Answer latency and throughput of the intent layer over the labelled question set, next to a floor.

The floor is one typo lookup done the way ShopCrew does it (``RoleMatcher._best_fuzzy``): rapidfuzz
``extractOne`` with ``fuzz.ratio`` and its cutoff over the aliases of a length within reach, for
the question's longest word. An answer is many such steps (normalising, cue search, roles, numbers,
scoring, the answer builder); the ratio says how many lookups one answer costs. Answers and the
floor are timed interleaved (the order alternates) over several runs, and p50 and p99 are printed as
min / median / max over the runs, with the ratios answer / floor (the median of the per-run ratios).
``shopcrew ask`` as a whole process is compared the same way with a bare ``python -c pass``.
Run: ``python bench/answers.py`` (about 15 s); ``--runs 9 --rounds 5`` for a longer one;
``--quick`` only checks that it runs. Targets: p99 < 2 ms, > 2,000 answers/s on one core,
``shopcrew ask`` < 0.4 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.figures import machine, percentile, ratio_line, spread  # noqa: E402
from bot.context import default_knowledge  # noqa: E402
from bot.core import Bot  # noqa: E402
from bot.models import Message  # noqa: E402
from bot.understand.normalize import fold, tokens  # noqa: E402
from bot.understand.roles import RoleMatcher  # noqa: E402

FUZZY_CUTOFF = 86.0  # RoleMatcher._best_fuzzy's cutoff for phrases longer than five letters


def timed(step: Callable[[int, str], object], items: list[str], rounds: int) -> tuple[list[float], float]:  # fmt: skip
    """Per-call seconds of ``step(round, item)`` over every item, ``rounds`` times; and the total."""
    times = []
    start = time.perf_counter()
    for r in range(rounds):
        for i, item in enumerate(items):
            t0 = time.perf_counter()
            step(r * len(items) + i, item)
            times.append(time.perf_counter() - t0)
    return times, time.perf_counter() - start


def longest_word(question: str) -> str:
    """The word of ``question`` (folded, as ShopCrew reads it) the floor looks up."""
    return max(tokens(fold(question)) or ["x"], key=len)


def lookup_step(matcher: RoleMatcher) -> Callable[[int, str], object]:
    """One typo lookup of ``phrase`` as ShopCrew does it."""

    def step(_: int, phrase: str) -> object:
        near = matcher._near(len(phrase))  # the aliases a match could reach, as ShopCrew picks
        return process.extractOne(phrase, near, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)

    return step


def compare(label: str, ours: list[list[float]], floor: list[list[float]]) -> None:
    """p50 and p99 per run of both, in ms, with the per-run ratios."""
    for p in (50, 99):
        a = [percentile(t, p) * 1000 for t in ours]
        b = [percentile(t, p) * 1000 for t in floor]
        print(
            f"{label} p{p}: answer {spread(a, '.3f')} ms, floor {spread(b, '.4f')} ms; "
            f"{ratio_line(a, b, 'answer/floor')}"
        )


def in_process(args: argparse.Namespace, questions: list[str]) -> None:
    bot = Bot()
    for q in questions:  # warm-up: lazy imports and caches
        bot.answer(Message(text=q))
    floor_step = lookup_step(default_knowledge().matcher)
    phrases = [longest_word(q) for q in questions]
    for phrase in phrases:
        floor_step(0, phrase)

    def answer_step(n: int, q: str) -> object:
        return bot.answer(Message(text=q, user=f"u{n}"))  # a new person: no follow-ups

    ours: list[list[float]] = []
    floor: list[list[float]] = []
    rates: list[float] = []
    for run in range(args.runs):
        steps = [(answer_step, questions, ours), (floor_step, phrases, floor)]
        for step, items, into in steps if run % 2 == 0 else steps[::-1]:
            took, total = timed(step, items, args.rounds)
            into.append(took)
            if step is answer_step:
                rates.append(len(took) / total)
    print(f"questions: {len(questions)} x {args.rounds} rounds per run, {args.runs} interleaved runs "
          f"(min / median / max over runs); {machine()}")  # fmt: skip
    print(
        "floor: one typo lookup as ShopCrew does it (extractOne, fuzz.ratio, aliases within "
        "reach) of the question's longest word"
    )
    compare("latency", ours, floor)
    print(
        f"throughput: {spread(rates, ',.0f')} answers/s on one core (target > 2,000; p99 target < 2 ms)"
    )


def whole_process(args: argparse.Namespace) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    ask = [sys.executable, "-m", "adapters.cli", "ask", "what does copywriting do?"]
    bare = [sys.executable, "-c", "pass"]
    runs: dict[str, list[float]] = {"ask": [], "bare": []}
    for run in range(args.ask_runs):
        pair = [("ask", ask), ("bare", bare)]
        for name, argv in pair if run % 2 == 0 else pair[::-1]:
            t0 = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True, env=env, cwd=ROOT)
            runs[name].append(time.perf_counter() - t0)
    print(
        f"`shopcrew ask` whole process: {spread(runs['ask'], '.3f')} s (target < 0.4 s); "
        f"bare `python -c pass`: {spread(runs['bare'], '.3f')} s; "
        f"{ratio_line(runs['ask'], runs['bare'], 'ask/bare')}"
    )


def options(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5, help="interleaved runs (>= 3)")
    p.add_argument("--rounds", type=int, default=2, help="passes over the questions per run")
    p.add_argument("--ask-runs", type=int, default=5, help="`shopcrew ask` processes (>= 3)")
    p.add_argument("--quick", action="store_true", help="a tiny run: only checks that it works")
    args = p.parse_args(argv)
    if args.quick:
        args.runs, args.rounds, args.ask_runs = 3, 1, 3
    args.runs, args.ask_runs = max(3, args.runs), max(3, args.ask_runs)
    return args


def main(args: argparse.Namespace) -> None:
    questions = [q["q"] for q in yaml.safe_load((ROOT / "tests/data/questions.yaml").read_text())]
    questions = [q for q in questions if not q.startswith(("plan", "/shopcrew", "<@U0BOT> plan"))]
    if args.quick:
        questions = questions[:40]
    in_process(args, questions)
    whole_process(args)


if __name__ == "__main__":
    main(options())
