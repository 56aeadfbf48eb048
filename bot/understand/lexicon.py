"""The vocabulary compiled for matching: whole-word cue patterns on folded text.

Everything here is derived from ``knowledge/data/vocab.yaml``; no word list is written in code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from knowledge.vocab import (
    CHANNELS,
    LANGS,
    Channel,
    Lang,
    PlanVerb,
    Stage,
    Vocabulary,
    Words,
    default_vocabulary,
)

Pattern = re.Pattern[str]


def _alternatives(phrases: Iterable[str]) -> str:
    """Phrases as one regex alternation, longest first, spaces matching any white space."""
    escaped = {re.escape(p).replace(r"\ ", r"\s+") for p in phrases}
    return "|".join(sorted(escaped, key=lambda p: (len(p), p), reverse=True))


def cues(phrases: Iterable[str]) -> Pattern:
    """A pattern finding any of ``phrases`` as whole words in folded text."""
    return re.compile(r"(?<![a-z0-9])(?:" + _alternatives(phrases) + r")(?![a-z0-9])")


def starts_with(phrases: Iterable[str]) -> Pattern:
    """A pattern matching text that begins with one of ``phrases``."""
    return re.compile(r"^(?:" + _alternatives(phrases) + r")\b")


def ends_with(phrases: Iterable[str]) -> Pattern:
    """A pattern matching text that ends with one of ``phrases``."""
    return re.compile(r"(?<![a-z0-9])(?:" + _alternatives(phrases) + r")\s*$")


def one_of(words: Iterable[str]) -> str:
    """A regex group (no boundaries) matching any of ``words``."""
    return "(?:" + _alternatives(words) + ")"


@dataclass(frozen=True, slots=True)
class IntentPatterns:
    """Compiled intent cues (see ``IntentCues`` in ``knowledge.vocab``)."""

    how_many: Pattern
    size_soft: Pattern
    people: Pattern
    duties: Pattern
    who: Pattern
    who_soft: Pattern
    who_identity: Pattern
    who_dangling: Pattern
    roles: Pattern
    roles_strong: Pattern
    roles_plural: Pattern
    compare_strong: Pattern
    compare_any: Pattern
    help: Pattern
    help_strong: Pattern
    greeting_only: frozenset[str]
    plan_phrase: Pattern
    plan_start: Pattern
    role_question: Pattern
    role_term: Pattern


def _intent_patterns(v: Vocabulary) -> IntentPatterns:
    c = v.intents
    return IntentPatterns(
        how_many=cues(c.how_many.all()),
        size_soft=cues(c.size_soft.all()),
        people=cues(c.people.all()),
        duties=cues(c.duties.all()),
        who=cues(c.who.all()),
        who_soft=cues(c.who_soft.all()),
        who_identity=cues(c.who_identity.all()),
        who_dangling=ends_with(c.who_dangling_end.all()),
        roles=cues(c.roles.all()),
        roles_strong=cues(c.roles_strong.all()),
        roles_plural=cues(c.roles_plural.all()),
        compare_strong=cues(c.compare_strong.all()),
        compare_any=cues(c.compare_strong.all() + c.compare_weak.all()),
        help=cues(c.help.all()),
        help_strong=cues(c.help_strong.all()),
        greeting_only=frozenset(c.greeting_only.all()),
        plan_phrase=cues(c.plan_phrase.all()),
        plan_start=re.compile(r"^(?:shopcrew\s+)?" + one_of(v.plan.prefix) + r"\b"),
        role_question=re.compile(r"\b(?:" + "|".join(c.role_question.all()) + r")\b"),
        role_term=re.compile(v.role_term),
    )


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
    intents: IntentPatterns
    stores: StorePatterns
    workload: WorkloadPatterns
    channels: dict[Channel, Pattern]
    stages: tuple[tuple[Stage, Pattern], ...]
    teams: tuple[tuple[str, Pattern], ...]
    follow_up: Pattern
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
        intents=_intent_patterns(v),
        stores=_store_patterns(v),
        workload=_workload_patterns(v),
        channels={c: cues(v.channels[c].words.all()) for c in CHANNELS},
        # "mature" is checked first: "a new mature team" is about the mature stage.
        stages=tuple((s, cues(v.stages[s].words.all())) for s in ("mature", "new")),
        teams=tuple((team, cues(words.all())) for team, words in v.teams.items()),
        follow_up=starts_with(v.conversation.follow_up.all()),
        plan_verbs=_verb_table(v),
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The packaged vocabulary, compiled."""
    return compile_lexicon(default_vocabulary())
