"""The vocabulary compiled for matching: whole-word cue patterns on folded text.

Everything here is derived from ``knowledge/data/vocab.yaml``; no word list is written in code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from knowledge.text import fold
from knowledge.vocab import (
    CHANNELS,
    LANGS,
    Lang,
    PlanVerb,
    Vocabulary,
    Words,
    default_vocabulary,
)

Pattern = re.Pattern[str]
_WORDS = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def _alternatives(phrases: Iterable[str]) -> str:
    """Phrases as one regex alternation, longest first, spaces matching any white space."""
    escaped = {re.escape(p).replace(r"\ ", r"\s+") for p in phrases}
    return "|".join(sorted(escaped, key=lambda p: (len(p), p), reverse=True))


@dataclass(frozen=True, slots=True)
class Cues:
    """The cue groups one message contains: anywhere, at its start, at its end."""

    anywhere: frozenset[str]
    starts: frozenset[str]
    ends: frozenset[str]
    #: Where each phrase was found: (first word, past the last word, group).
    spans: tuple[tuple[int, int, str], ...] = ()

    def covers(self, start: int, end: int, groups: frozenset[str]) -> bool:
        """True when a phrase of one of ``groups`` spans the words ``start:end``."""
        return any(a <= start and end <= b for a, b, g in self.spans if g in groups)

    def __contains__(self, group: object) -> bool:
        return group in self.anywhere


class CueIndex:
    """Every cue phrase of the vocabulary, by first word; one pass over a message finds them all.

    A lookup by words, not large regular expressions: compiling hundreds of alternatives costs
    milliseconds at every start, and a single pass is faster than a search per group.
    """

    def __init__(self, groups: dict[str, Iterable[str]]) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for group, phrases in groups.items():
            for phrase in dict.fromkeys(phrases):
                if not _WORDS.fullmatch(phrase):
                    # Messages are read as words: other characters would never match.
                    raise ValueError(f"cue {phrase!r} ({group}) must be lowercase words only")
                words = tuple(phrase.split())
                self.by_first.setdefault(words[0], []).append((words, group))

    def find(self, words: tuple[str, ...]) -> Cues:
        """The groups whose phrases occur in ``words``."""
        anywhere: set[str] = set()
        starts: set[str] = set()
        ends: set[str] = set()
        spans: list[tuple[int, int, str]] = []
        n = len(words)
        for i, word in enumerate(words):
            for phrase, group in self.by_first.get(word, ()):
                size = len(phrase)
                if words[i : i + size] == phrase:
                    anywhere.add(group)
                    spans.append((i, i + size, group))
                    if i == 0:
                        starts.add(group)
                    if i + size == n:
                        ends.add(group)
        return Cues(frozenset(anywhere), frozenset(starts), frozenset(ends), tuple(spans))


def one_of(words: Iterable[str]) -> str:
    """A regex group (no boundaries) matching any of ``words``."""
    return "(?:" + _alternatives(words) + ")"


@dataclass(frozen=True, slots=True)
class IntentPatterns:
    """What intent scoring reads besides the cue groups (see ``IntentCues``)."""

    greeting_only: frozenset[str]
    plan_start: Pattern
    #: "/shopcrew plan " at the start of raw text (case as typed), to cut before the command.
    plan_prefix: Pattern
    role_question: Pattern
    role_term: Pattern
    #: "2 people", "3 personas": a headcount proposed in a question ("is 2 people enough?").
    headcount: Pattern


def _intent_patterns(v: Vocabulary) -> IntentPatterns:
    c = v.intents
    return IntentPatterns(
        greeting_only=frozenset(c.greeting_only.all()),
        plan_start=re.compile(r"^(?:shopcrew\s+)?" + one_of(v.plan.prefix) + r"\b"),
        plan_prefix=re.compile(
            r"^\s*/?(?:shopcrew\s+)?/?" + one_of(v.plan.prefix) + r"\b\s*", re.IGNORECASE
        ),
        role_question=re.compile(r"\b(?:" + "|".join(c.role_question.all()) + r")\b"),
        role_term=re.compile(v.role_term),
        headcount=re.compile(r"\b(\d{1,4})\s+(?:[a-z]+\s+)?" + one_of(c.people.all()) + r"\b"),
    )


#: Intent cue groups of the vocabulary that are found as phrases (the rest are patterns).
INTENT_GROUPS = (
    "how_many", "size_soft", "people", "duties", "who", "who_soft", "who_identity", "roles",
    "roles_strong", "roles_plural", "compare_strong", "help", "help_strong", "plan_phrase",
    "reports_to", "hiring", "kpi", "pay", "decision", "decision_enough", "decision_combine",
    "decision_first", "decision_outsource", "thanks", "bye", "sorry", "ok", "off_topic",
    "off_topic_soft",
)  # fmt: skip


def _cue_groups(v: Vocabulary) -> dict[str, Iterable[str]]:
    """Every cue group: intents by name, and ``channel:``, ``stage:``, ``team:`` ones."""
    c = v.intents
    groups: dict[str, Iterable[str]] = {g: getattr(c, g).all() for g in INTENT_GROUPS}
    groups["compare_any"] = c.compare_strong.all() + c.compare_weak.all()
    groups["who_dangling"] = c.who_dangling_end.all()
    groups["follow_up"] = v.conversation.follow_up.all()
    groups["negation"] = v.conversation.negation.all()
    groups.update({f"channel:{ch}": v.channels[ch].words.all() for ch in CHANNELS})
    groups.update({f"platform:{ch}": v.channels[ch].platforms for ch in CHANNELS})
    groups.update({f"stage:{st}": words.words.all() for st, words in v.stages.items()})
    groups.update({f"team:{team}": words.all() for team, words in v.teams.items()})
    return groups


@dataclass(frozen=True, slots=True)
class StorePatterns:
    """Compiled store-count patterns (see ``StoreWords`` in ``knowledge.vocab``)."""

    hint: Pattern
    number_before: Pattern
    number_after: Pattern
    one: Pattern
    counted: tuple[tuple[Pattern, int], ...]


#: A whole number as people write it: "12", "1,000", "1.000", "-3".
NUMBER = r"(-?\d{1,3}(?:[,.]\d{3})+|-?\d+)"


def _store_patterns(v: Vocabulary) -> StorePatterns:
    s = v.stores
    noun = one_of(s.nouns.all())
    not_role = r"(?!\s+" + one_of(s.not_after.all()) + r")"
    ordinal = one_of(s.ordinal_endings.all())
    return StorePatterns(
        hint=re.compile("|".join(re.escape(h) for h in s.hints)),
        number_before=re.compile(
            NUMBER + ordinal + r"?\s+(?:[a-z]+\s+){0,2}?" + noun + r"\b" + not_role
        ),
        number_after=re.compile(r"\b" + noun + r"\s*(?::|=|x)\s*" + NUMBER + r"\b"),
        one=re.compile(
            r"\b"
            + one_of(s.one.all())
            + r"\s+(?:[a-z]+\s+)?"
            + one_of(s.singular.all())
            + r"\b"
            + not_role
        ),
        counted=tuple(
            (re.compile(r"\b" + p.replace("{noun}", noun)), c.value)
            for c in s.counted
            for p in c.patterns
        ),
    )


@dataclass(frozen=True, slots=True)
class WorkloadPatterns:
    """One pattern per workload field: a quantity, what is counted, and per day or per hour."""

    fields: tuple[tuple[str, Pattern], ...]


def _workload_patterns(v: Vocabulary) -> WorkloadPatterns:
    w = v.workload
    # text2num writes "10 mil" as "10 1000": a following "1000" multiplies too.
    thousands = one_of((*w.thousands.all(), "1000"))
    quantity = r"(\d{1,3}(?:[,.]\d{3})+|\d+(?:[.,]\d+)?)\s*(" + thousands + r")?\s*"
    per = one_of(w.per.all())
    per_day = r"(?:" + per + r"|" + one_of(w.day.all()) + r")?\s*" + one_of(w.day.all()) + r"\b"
    per_hour = r"(?:" + per + r")?\s*" + one_of(w.hour.all()) + r"\b"
    customers = r"(?:" + one_of(w.customers.all()) + r"\s*)?"
    contacts = one_of(w.contacts.all()) + r"\s*"
    orders = one_of(w.orders.all()) + r"\s*"
    return WorkloadPatterns(
        fields=(
            ("inquiries_per_day", re.compile(quantity + contacts + customers + per_day)),
            ("peak_inquiries_per_hour", re.compile(quantity + contacts + customers + per_hour)),
            ("orders_per_day", re.compile(quantity + orders + customers + per_day)),
        )
    )


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Every compiled pattern and word set the understanding layer reads."""

    vocab: Vocabulary
    lang_cues: dict[Lang, frozenset[str]]
    lang_marks: dict[Lang, Pattern | None]
    common: frozenset[str]
    duty_stop: frozenset[str]
    #: Marketplace and platform names: never task words ("who handles returns on Mercado Libre").
    marketplaces: tuple[str, ...]
    intents: IntentPatterns
    stores: StorePatterns
    workload: WorkloadPatterns
    cues: CueIndex
    #: Plan command word -> (verb, language of the word; None when both languages use it).
    plan_verbs: dict[str, tuple[PlanVerb, Lang | None]]


def _marks(chars: str) -> Pattern | None:
    return re.compile("[" + re.escape(chars) + "]") if chars else None


def _words(words: Words) -> frozenset[str]:
    return frozenset(words.all())


def _verb_table(v: Vocabulary) -> dict[str, tuple[PlanVerb, Lang | None]]:
    table: dict[str, tuple[PlanVerb, Lang | None]] = {}
    for verb, words in v.plan.verbs.items():
        for lang, word in words.pairs():
            known = table.get(word)
            table[word] = (verb, lang if known is None or known[1] == lang else None)
    return table


def compile_lexicon(v: Vocabulary) -> Lexicon:
    """Compile every pattern of the vocabulary once."""
    lang_cues = {lang: frozenset(v.languages[lang].cues) for lang in LANGS}
    return Lexicon(
        vocab=v,
        lang_cues=lang_cues,
        lang_marks={lang: _marks(v.languages[lang].marks) for lang in LANGS},
        common=_words(v.common).union(*lang_cues.values()),
        duty_stop=_words(v.duty_stop),
        marketplaces=tuple(fold(name) for name in v.marketplaces),
        intents=_intent_patterns(v),
        stores=_store_patterns(v),
        workload=_workload_patterns(v),
        cues=CueIndex(_cue_groups(v)),
        plan_verbs=_verb_table(v),
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The packaged vocabulary, compiled."""
    return compile_lexicon(default_vocabulary())
