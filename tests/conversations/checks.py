"""What a reply must show, checked twice: in the core's answer (what the adapter's reading of the
platform payload was answered with) and in what the person sees on the surface (the language of
the text, the command shown, the context named, the plan stored)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot.context import Knowledge
from bot.models import Answer, Entities
from bot.plans.state import PlanState
from bot.requests import Request, SizeDetails, SmallTalk
from bot.strings import CATALOGUES, Entry, t
from knowledge import LANGS, Lang
from tests.conversations.script import Turn

_WORD = re.compile(r"[^\W\d_]{3,}")
_FIELD = re.compile(r"\{[^}]*\}")
#: How much more often the reply's language must show than the other one.
_MAJORITY = 2


@dataclass
class Seen:
    """One turn on one surface: what the person saw, and what the core was asked and said."""

    #: Everything shown: title, text, table, notes, button labels, an attached file.
    text: str
    #: The first line shown (the header, the embed's title).
    title: str
    request: Request | None = None
    answer: Answer | None = None
    #: The same message answered as the first of a new conversation in the same workspace
    #: (recorded for turns whose context is ``previous`` or ``fresh``).
    alone: Answer | None = None
    #: The workspace's plan in storage after the turn.
    plan: PlanState = field(default_factory=PlanState)
    #: The surface closed the conversation instead of answering (a console quit word).
    ended: bool = False


# --- the language of a text -----------------------------------------------------------------


def _words(entry: Entry) -> set[str]:
    if isinstance(entry, str):
        return set(_WORD.findall(_FIELD.sub(" ", entry).lower()))
    parts = entry.values() if isinstance(entry, dict) else entry
    return set().union(*(_words(part) for part in parts))


@lru_cache(maxsize=1)
def _only_in() -> dict[Lang, frozenset[str]]:
    """The words each catalogue uses and the other does not."""
    used = {lang: set().union(*map(_words, CATALOGUES[lang].values())) for lang in LANGS}
    return {lang: frozenset(used[lang].difference(*(used[o] for o in LANGS if o != lang)))
            for lang in LANGS}  # fmt: skip


def language_votes(text: str) -> dict[Lang, int]:
    """How many words of ``text`` only one catalogue uses, per language."""
    words = _WORD.findall(text.lower())
    only = _only_in()
    return {lang: sum(word in only[lang] for word in words) for lang in LANGS}


def written_in(text: str, lang: Lang) -> bool:
    """True when ``text`` is clearly in ``lang``: its words are the catalogue's of that language."""
    votes = language_votes(text)
    others = max(v for other, v in votes.items() if other != lang)
    return votes[lang] > 0 and votes[lang] > _MAJORITY * others


def visible(text: str) -> str:
    """Platform text as read: Slack's escapes undone."""
    return html.unescape(text)


# --- the checks -----------------------------------------------------------------------------


def _before_field(lang: Lang, key: str, **params: object) -> str:
    """The fixed start of a catalogue sentence, up to its first free field."""
    return t(lang, key, **params, what="\0", title="\0").split("\0")[0]


def _close(expected: float, got: float | None) -> bool:
    return got is not None and abs(got - expected) <= max(1.0, 0.02 * expected)


def _entity_problems(turn: Turn, e: Entities) -> list[str]:
    wrong: list[str] = []
    for key in ("stores", "stage", "count"):
        if turn.expects(key) and getattr(e, key) != getattr(turn, key):
            wrong.append(f"{key} {getattr(e, key)!r}, expected {getattr(turn, key)!r}")
    if turn.expects("verb") and e.plan_verb != turn.verb:
        wrong.append(f"plan verb {e.plan_verb!r}, expected {turn.verb!r}")
    if turn.expects("store_options") and e.store_options != (turn.store_options or []):
        wrong.append(f"store options {e.store_options}, expected {turn.store_options}")
    if turn.expects("channels") and sorted(e.channels) != sorted(turn.channels or []):
        wrong.append(f"channels {e.channels}, expected {turn.channels}")
    if turn.roles is not None and e.roles[: len(turn.roles)] != turn.roles:
        wrong.append(f"roles named first {e.roles[:3]}, expected {turn.roles}")
    for key in ("orders_per_day", "inquiries_per_day"):
        want, got = getattr(turn, key), getattr(e, key)
        if turn.expects(key) and not ((want is None and got is None) or _close(want, got)):
            wrong.append(f"{key} {got!r}, expected {want!r}")
    return wrong


def _figures(e: Entities) -> tuple[object, ...]:
    """What a sizing reading rests on: stores, options, stage, channels, volumes."""
    return (e.stores, tuple(e.store_options), e.stage, tuple(sorted(e.channels)),
            e.orders_per_day, e.inquiries_per_day)  # fmt: skip


def _why_problems(turn: Turn, seen: Seen, before: Seen | None) -> list[str]:
    request, answer = seen.request, seen.answer
    if not isinstance(request, SizeDetails) or answer is None:
        return [f"not read as 'why?' ({type(request).__name__})"]
    if turn.why == "nothing":
        return [] if request.input is None else ["explained an answer, expected nothing to explain"]
    if request.input is None or before is None or before.answer is None:
        return ["nothing explained, expected the sizing answer just before"]
    if _figures(answer.entities) != _figures(before.answer.entities):
        return [f"explained {_figures(answer.entities)}, but the answer just before was "
                f"{_figures(before.answer.entities)}"]  # fmt: skip
    return []


def _context_problems(turn: Turn, seen: Seen) -> list[str]:
    """``previous``: the message alone reads differently; ``asked`` and ``fresh``: the same."""
    answer, alone = seen.answer, seen.alone
    if turn.context not in ("asked", "previous", "fresh") or answer is None:
        return []
    if alone is None:
        return ["the message was not read alone for comparison"]
    same = (alone.intent, _figures(alone.entities)) == (answer.intent, _figures(answer.entities))
    if turn.context == "previous" and same:
        return ["the message alone gives the same figures: no earlier question was used"]
    if turn.context != "previous" and not same:
        return [f"read with an earlier question: {_figures(answer.entities)}, alone it reads "
                f"{_figures(alone.entities)}"]  # fmt: skip
    return []


def core_problems(turn: Turn, seen: Seen, before: Seen | None) -> list[str]:
    """What the core's answer gets wrong; ``before`` is the last sizing turn on this surface."""
    answer, request = seen.answer, seen.request
    if answer is None:
        return ["no answer from the core"]
    wrong: list[str] = []
    if answer.language != turn.lang:
        wrong.append(f"answer language {answer.language}, expected {turn.lang}")
    if turn.intent is not None and answer.intent != turn.intent:
        wrong.append(f"intent {answer.intent}, expected {turn.intent}")
    if answer.error:
        wrong.append("an internal error")
    wrong += _entity_problems(turn, answer.entities)
    if turn.why is not None:
        wrong += _why_problems(turn, seen, before)
    if turn.small_talk is not None and not (
        isinstance(request, SmallTalk) and request.kind == turn.small_talk
    ):
        wrong.append(f"not small talk '{turn.small_talk}' ({type(request).__name__})")
    return wrong + _context_problems(turn, seen)


def _plan_line(k: Knowledge, turn: Turn, seen: Seen) -> list[str]:
    """The line saying which figures came from the plan, or its absence."""
    lang = turn.lang
    start = _before_field(lang, "figures.from_plan")
    line = next((x for x in seen.text.splitlines() if start in x), None)
    if turn.context != "plan":
        return [] if line is None else [f"says it used the plan: {line!r}"]
    if line is None:
        return [f"does not say which figures came from the plan ({start!r} missing)"]
    taken = turn.from_plan or []
    pieces = []
    if "stores" in taken:
        pieces.append(t(lang, "figures.plan.stores", count=turn.stores or 0))
    if "stage" in taken and turn.stage is not None:
        stage = k.vocab.stage_name(turn.stage, lang)
        pieces.append(t(lang, "figures.plan.stage", stage=stage))
    if "channels" in taken:
        pieces += [k.vocab.channel_name(c, lang) for c in seen.plan.channels]
    missing = [p for p in pieces if p not in line]
    return [f"the plan line {line!r} does not name {missing}"] if missing else []


def _sizing_seen(k: Knowledge, turn: Turn, seen: Seen) -> list[str]:
    """A sizing reply names its store count, what it took from the plan, what it assumed."""
    lang, wrong = turn.lang, []
    if turn.context is None or turn.intent not in (None, "team_size"):
        return []
    wrong += _plan_line(k, turn, seen)
    assumed = t(lang, "size.no_stores") in seen.text
    if assumed != (turn.context == "assumed"):
        said = "says" if assumed else "does not say"
        wrong.append(f"{said} it assumed one store")
    if turn.stores is not None and t(lang, "unit.store", count=turn.stores) not in seen.title:
        wrong.append(f"the title {seen.title!r} does not name {turn.stores} stores")
    return wrong


def _why_seen(turn: Turn, seen: Seen, before: Seen | None) -> list[str]:
    lang = turn.lang
    if turn.why == "nothing":
        expected = t(lang, "size.details.nothing.title")
        return [] if seen.title == expected else [f"title {seen.title!r}, expected {expected!r}"]
    if before is None:
        return ["no sizing answer was shown before"]
    if before.answer is not None and before.answer.language == lang:
        expected = t(lang, "size.details.title", title=before.title)
        ok = seen.title == expected
    else:  # asked in the other language: the title is rebuilt in this one
        expected = _before_field(lang, "size.details.title")
        ok = seen.title.startswith(expected)
    return [] if ok else [f"title {seen.title!r}, expected {expected!r}"]


def _plan_state(turn: Turn, state: PlanState) -> list[str]:
    want = turn.plan
    if want is None:
        return []
    wrong = []
    for key in want.model_fields_set:
        got, expected = getattr(state, key), getattr(want, key)
        if got != expected:
            wrong.append(f"plan {key} {got!r}, expected {expected!r}")
    return wrong


def seen_problems(k: Knowledge, turn: Turn, seen: Seen, before: Seen | None) -> list[str]:
    """What the person sees that is wrong."""
    lang, text, wrong = turn.lang, seen.text, []
    if not written_in(text, lang):
        wrong.append(f"the text is not clearly in {lang} ({language_votes(text)}): {text[:80]!r}")
    if turn.ran is not None and (ran := t(lang, "plan.ran", command=turn.ran)) not in text:
        wrong.append(f"does not show {ran!r}")
    wrong += _sizing_seen(k, turn, seen)
    if turn.why is not None:
        wrong += _why_seen(turn, seen, before)
    if turn.small_talk is not None:
        line = t(lang, f"smalltalk.{turn.small_talk}")
        if [x for x in text.splitlines() if x.strip()] != [line]:
            wrong.append(f"not the one short line {line!r}: {text[:120]!r}")
    return wrong + _plan_state(turn, seen.plan)
