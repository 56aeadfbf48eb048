"""Worst-case time of every regular expression ShopCrew runs on user text, at 4k and 40k characters.

Collects every pattern the project compiles (module constants, the compiled vocabulary, and the
ones compiled inside functions, found by watching ``re`` while the packages load and a few
messages are answered), builds adversarial inputs for each from its own literals and from the
shapes that make backtracking regexes slow (``<@!`` repeated, ``1`` x n, ``1,`` x n, ``*_~``,
spaces, accented letters, a long number before a keyword...), and times ``finditer`` (what
``search``, ``sub`` and ``split`` cost), ``match`` and ``fullmatch`` on each. The inputs are
the pattern's own prefixes repeated (``<#A|`` x n for ``<#[A-Z0-9]+\\|[^>]*>``), its literals
around digits, and generic shapes; times are CPU times (best of 5), so a busy machine does not
inflate them; a measurement past 60 s is stopped and shown as ">60 s".

It prints, per pattern, the worst input at 4k characters, its time at 4k and 40k and the ratio
40k/4k: linear is about 10, quadratic about 100. The baseline, timed in the same process over the
same inputs, is a regex that is linear by construction (``\\s+`` substituted, as ``normalize``
does). Then the text entry points (core parse, normalisation, the adapters' translation) on the
same inputs.

Run: ``PYTHONPATH=. python bench/regexes.py`` (``--quick`` for fewer inputs). A full run takes
a few minutes when every pattern is linear.
"""

from __future__ import annotations

import re
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "knowledge", "adapters")
SIZES = (4_000, 40_000)
#: Past this at 4k, 40k is not timed (a quadratic pattern would take 100 times as long).
SKIP_40K_AFTER = 1.0
#: A measurement is stopped after this long (a cubic pattern at 40k would take hours).
BUDGET = 60
#: Past this at 4k, no other input is tried for the pattern: it is slow enough to show.
ENOUGH = 0.25
#: Timed runs per measurement (the best is kept) below 50 ms, and above.
REPEAT, REPEAT_SLOW = 5, 1

# --- collecting --------------------------------------------------------------------------------

#: (pattern, flags) -> where it was compiled ("bot/understand/numbers.py:19").
SEEN: dict[tuple[str, int], str] = {}
_real_compile = re._compile  # type: ignore[attr-defined]


def _project_caller() -> str | None:
    frame = sys._getframe(2)
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.name not in ("re.py", "__init__.py") or path.parent.name != "re":
            try:
                rel = path.resolve().relative_to(ROOT)
            except ValueError:
                return None
            return f"{rel}:{frame.f_lineno}" if rel.parts[0] in PACKAGES else None
        frame = frame.f_back  # type: ignore[assignment]
    return None


def _watching_compile(pattern: Any, flags: Any) -> Any:
    compiled = _real_compile(pattern, flags)
    if isinstance(pattern, str):
        where = _project_caller()
        if where is not None:
            SEEN.setdefault((compiled.pattern, compiled.flags), where)
    return compiled


def _walk(value: Any, path: str, depth: int = 0) -> Iterator[tuple[str, re.Pattern[str]]]:
    if depth > 4:
        return
    if isinstance(value, re.Pattern):
        yield path, value
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from _walk(getattr(value, f.name), f"{path}.{f.name}", depth + 1)
    elif isinstance(value, tuple | list):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]", depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}[{key!r}]", depth + 1)


def collect() -> dict[str, re.Pattern[str]]:
    """Every pattern of the project, by a readable name."""
    import importlib
    import pkgutil

    re._compile = _watching_compile  # type: ignore[attr-defined]
    try:
        for package in PACKAGES:
            module = importlib.import_module(package)
            for info in pkgutil.walk_packages(module.__path__, f"{package}."):
                if not info.name.endswith("__main__"):
                    importlib.import_module(info.name)
        exercise()
    finally:
        re._compile = _real_compile  # type: ignore[attr-defined]
    named: dict[tuple[str, int], str] = {}
    found: dict[tuple[str, int], re.Pattern[str]] = {}
    from bot.understand.lexicon import default_lexicon

    for name, pattern in _walk(default_lexicon(), "lexicon"):
        key = (pattern.pattern, pattern.flags)
        named.setdefault(key, name)
        found[key] = pattern
    for module_name, module in list(sys.modules.items()):
        if module_name.split(".")[0] not in PACKAGES:
            continue
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                key = (value.pattern, value.flags)
                named.setdefault(key, f"{module_name}.{attr}")
                found[key] = value
    for key, where in SEEN.items():
        named.setdefault(key, where)
        found.setdefault(key, re.compile(*key))
    return {named[key]: found[key] for key in found}


def exercise() -> None:
    """Answer a few messages so that patterns compiled inside functions are compiled too."""
    from bot.core import Bot
    from bot.models import Message
    from bot.plans.service import PlanService
    from bot.storage import open_storage

    bot = Bot(plans=PlanService(open_storage(":memory:").plans))
    for text in (
        "hola", "what does a copywriter do?", "how many people for 3 stores and 500 chats a day?",
        "¿cuántas personas para 2 o 3 tiendas con 10 mil pedidos al mes?", "plan add art 2",
        "plan stores 2", "plan editors add <@U123>", "plan channels tiktok, instagram",
        "10 000 pedidos al mes y 3 horas de live a la semana", "plan export", "who handles returns",
        "1½ tiendas", "plan lock", "plan history", "why?", "public plan show",
    ):  # fmt: skip
        message = Message(text=text, platform="slack", user_is_admin=True)
        bot.handle(bot.parse(message))


# --- adversarial inputs -------------------------------------------------------------------------

GENERIC = (
    "<@!>", "<@!", "<@", "<!", "<#", "<", "1", "1,", "1.", "1 ", "1, ", "-1", "11 ", "1 000 ", "1e",
    "*_~", "`", "``", " ", "\n", "a", "a ", "á", "áé ", "ñ", "aaa ", "x", "x3 ", ":", ":a", "(",
    "://", "¼", "² ", "\u00a0", "1\u00a0", ". ", "?", "plan ", "shopcrew ", "/",
)  # fmt: skip


def _literals(pattern: re.Pattern[str]) -> list[str]:
    """Runs of literal characters in ``pattern`` (its words, marks and separators)."""
    from re import _parser  # type: ignore[attr-defined]

    words: list[str] = []

    def visit(items: Any) -> None:
        run = ""
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                run += chr(arg)
                continue
            if run:
                words.append(run)
                run = ""
            if name == "IN":
                chars = [chr(a) for o, a in arg if str(o) == "LITERAL"]
                ranges = [chr(a[0]) for o, a in arg if str(o) == "RANGE"]
                words.extend((chars + ranges)[:2])
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                visit(arg[2])
            elif name == "SUBPATTERN":
                visit(arg[-1])
            elif name == "BRANCH":
                for branch in arg[1][:6]:
                    visit(branch)
            elif name in ("ASSERT", "ASSERT_NOT"):
                visit(arg[1])
        if run:
            words.append(run)

    try:
        visit(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:
        return []
    return [w for w in dict.fromkeys(words) if w.strip() or w == " "][:16]


_ONE_CHAR = {"CATEGORY_DIGIT": "1", "CATEGORY_SPACE": " ", "CATEGORY_WORD": "a"}


def _sample(items: Any, branch: int) -> str:
    """A short text the pattern reads far into: each part once, the ``branch``-th alternative."""
    out = ""
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out += chr(arg)
        elif name == "ANY":
            out += "a"
        elif name == "IN" and str(arg[0][0]) == "NEGATE":
            out += "a"  # [^>|]: a letter
        elif name == "IN":
            for o, a in arg:
                if str(o) == "LITERAL":
                    out += chr(a)
                elif str(o) == "RANGE":
                    out += chr(a[0])
                elif str(o) == "CATEGORY":
                    out += _ONE_CHAR.get(str(a), "")
                else:
                    continue
                break
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            out += _sample(arg[2], branch) * max(arg[0], 1)
        elif name == "SUBPATTERN":
            out += _sample(arg[-1], branch)
        elif name == "BRANCH":
            out += _sample(arg[1][min(branch, len(arg[1]) - 1)], branch)
    return out


def _prefixes(pattern: re.Pattern[str]) -> list[str]:
    """Every prefix of texts the pattern matches (``<#A|`` for ``<#[A-Z0-9]+\\|[^>]*>``)."""
    from re import _parser  # type: ignore[attr-defined]

    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:
        return []
    out: list[str] = []
    for branch in (0, -1):
        sample = _sample(parsed, branch)[:60]
        out += [sample[:i] for i in range(1, len(sample) + 1)]
    return out


def seeds(pattern: re.Pattern[str], quick: bool) -> list[str]:
    """The repeated units to try: generic shapes, prefixes of what the pattern matches, and its
    literals around numbers."""
    out = list(GENERIC[:12] if quick else GENERIC)
    out += _prefixes(pattern)
    for word in _literals(pattern)[: 6 if quick else 16]:
        out += [word, word + " ", "1 " + word + " ", "1" + word, "<@" + word, word + "1"]
    return list(dict.fromkeys(s for s in out if s))


def inputs(seed: str, size: int) -> Iterator[tuple[str, str]]:
    """(label, text): the seed repeated, and a long run of it before one more literal."""
    repeated = (seed * (size // len(seed) + 1))[:size]
    yield repr(seed) + " x n", repeated
    yield "1 x n + " + repr(seed), "1" * (size - len(seed)) + seed


class OverBudget(Exception):
    """A measurement took longer than ``BUDGET`` seconds and was stopped."""


def _stop(signum: int, frame: object) -> None:
    raise OverBudget  # the regex engine checks for signals as it runs, so this interrupts it


def _time(run: Callable[[], object], repeat: int) -> float:
    # CPU time of this process: the machine's other work (the figures are taken on shared
    # machines) does not count; the best of a few runs leaves out collections and cache misses.
    # A run past BUDGET seconds is stopped and counts as infinitely long.
    best = float("inf")
    previous = signal.signal(signal.SIGALRM, _stop)
    try:
        for _ in range(repeat):
            signal.alarm(BUDGET)
            start = time.process_time()
            try:
                run()
            except OverBudget:
                return float("inf")
            finally:
                signal.alarm(0)
            best = min(best, time.process_time() - start)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return best


def cost(pattern: re.Pattern[str], text: str, repeat: int) -> float:
    """The worst of ``finditer`` to the end, ``match`` and ``fullmatch`` on ``text``."""
    return max(
        _time(lambda: sum(1 for _ in pattern.finditer(text)), repeat),
        _time(lambda: pattern.match(text), repeat),
        _time(lambda: pattern.fullmatch(text), repeat),
    )


BASELINE = re.compile(r"\s+")


def baseline(text: str, repeat: int) -> float:
    """A regex linear by construction over the same text (``\\s+`` -> " ", as normalize does)."""
    return _time(lambda: BASELINE.sub(" ", text), repeat)


# --- reporting ---------------------------------------------------------------------------------


def worst(pattern: re.Pattern[str], quick: bool) -> tuple[str, float, float | None]:
    """(label, time at 4k, time at 40k) for the pattern's worst input at 4k."""
    small, large = SIZES
    trials: list[tuple[float, str, str]] = []
    for seed in seeds(pattern, quick):
        for label, text in inputs(seed, small):
            once = cost(pattern, text, 1)
            trials.append((once if once > 0.05 else cost(pattern, text, REPEAT), label, seed))
        if max(trials)[0] > ENOUGH:
            break  # slow enough to show already
    t_small, label, seed = max(trials)
    if t_small > SKIP_40K_AFTER:
        return label, t_small, None
    texts = dict(inputs(seed, large))
    return label, t_small, cost(pattern, texts[label], REPEAT_SLOW if t_small > 0.05 else REPEAT)


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "  skipped"
    return f"{'>' + str(BUDGET) + ' s':>9}" if seconds == float("inf") else f"{seconds * 1000:9.2f}"


HEADER = f"{'pattern':58} {'worst input at 4k':28} {'4k ms':>9} {'40k ms':>9} {'40k/4k':>7}"


def report_patterns(patterns: dict[str, re.Pattern[str]], quick: bool) -> list[float]:
    """Print one line per pattern; return the 40k/4k ratios."""
    print(HEADER)
    ratios: list[float] = []
    for name, pattern in sorted(patterns.items()):
        label, t_small, t_large = worst(pattern, quick)
        ratio = None if t_large is None else t_large / max(t_small, 1e-9)
        shown = "      -" if ratio is None else f"{ratio:7.1f}"
        slow = ratio is None or (ratio > 40 and (t_large or 0) > 0.02)
        flag = "  <-- superlinear" if slow else ""
        print(f"{name[:58]:58} {label[:28]:28} {_ms(t_small)} {_ms(t_large)} {shown}{flag}")
        if ratio is not None:
            ratios.append(ratio)
    return ratios


def report_baseline(quick: bool) -> None:
    small, large = SIZES
    worst_small = worst_large = 0.0
    for seed in GENERIC[:12] if quick else GENERIC:
        for label, text in inputs(seed, small):
            t_small = baseline(text, REPEAT)
            t_large = baseline(dict(inputs(seed, large))[label], REPEAT)
            if t_large > worst_large:
                worst_small, worst_large = t_small, t_large
    ratio = worst_large / max(worst_small, 1e-9)
    name = "baseline: \\s+ -> space (linear by construction)"
    print(
        f"{name:58} {'worst generic input':28} {_ms(worst_small)} {_ms(worst_large)} {ratio:7.1f}"
    )


def entry_points() -> dict[str, Callable[[str], object]]:
    """Where user text enters: what each of them costs on the same inputs."""
    from adapters.discord.translate import role_lookup, strip_bot_mention, to_incoming
    from adapters.slack.translate import command_to_incoming, event_to_incoming
    from bot.core import Bot
    from bot.models import Message, Origin
    from bot.plans.service import PlanService
    from bot.storage import open_storage
    from bot.understand import normalize

    bot = Bot(plans=PlanService(open_storage(":memory:").plans))
    k = bot.knowledge
    origin = Origin(platform="slack")

    def slack_dm(text: str) -> object:
        return bot.parse(event_to_incoming({"text": text, "user": "U1"}, "T1"))

    def slack_command(text: str) -> object:
        return bot.parse(command_to_incoming({"text": text, "team_id": "T1"}, k.vocab)[0])

    def discord_mention(text: str) -> object:
        return bot.parse(to_incoming(strip_bot_mention("<@42> " + text, 42), 1, 2, False))

    return {
        "Bot.parse (console message)": lambda text: bot.parse(Message(text=text)),
        "Slack DM -> Bot.parse": slack_dm,
        "Slack /shopcrew -> Bot.parse": slack_command,
        "Slack button value -> Bot.parse_button": lambda text: bot.parse_button(text, origin),
        "Discord mention -> Bot.parse": discord_mention,
        "Discord /shopcrew role name:": lambda text: role_lookup(k, origin, "en", text),
        "normalize (the core's first step)": normalize,
        "Understander.read (past the length limit)": lambda text: k.understander.read(
            normalize(text), None
        ),
    }


def report_entry_points(quick: bool) -> None:
    small, large = SIZES
    print("\n" + HEADER.replace("pattern    ", "entry point"))
    for name, run in entry_points().items():
        trials = []
        for seed in GENERIC[:12] if quick else GENERIC:
            for label, text in inputs(seed, small):
                trials.append((_time(lambda run=run, text=text: run(text), 3), label, seed))
        t_small, label, seed = max(trials)
        if t_small > SKIP_40K_AFTER:
            print(f"{name:58} {label[:28]:28} {_ms(t_small)} {'skipped':>9}")
            continue
        text = dict(inputs(seed, large))[label]
        t_large = _time(lambda run=run, text=text: run(text), 3)
        ratio = t_large / max(t_small, 1e-9)
        print(f"{name:58} {label[:28]:28} {_ms(t_small)} {_ms(t_large)} {ratio:7.1f}")


def main() -> None:
    quick = "--quick" in sys.argv
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sys.path.insert(0, str(ROOT))
    patterns = collect()
    print(f"{len(patterns)} patterns; inputs of {SIZES[0]:,} and {SIZES[1]:,} characters; "
          f"CPU times, the best of {REPEAT} (of {REPEAT_SLOW} past 50 ms), the worst of finditer/match/fullmatch\n")  # fmt: skip
    report_baseline(quick)
    ratios = report_patterns(patterns, quick)
    report_entry_points(quick)
    ratios.sort()
    if ratios:
        print(f"\n40k/4k over all patterns: median {ratios[len(ratios) // 2]:.1f}, "
              f"worst {ratios[-1]:.1f} (linear ≈ 10, quadratic ≈ 100)")  # fmt: skip


if __name__ == "__main__":
    main()
