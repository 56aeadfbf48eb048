"""The vocabulary compiled for matching: whole-word cue patterns on folded text.

Everything here is derived from ``knowledge/data/vocab.yaml``; no word list is written in code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, get_args

from bot.understand.numbers import TOKEN, TOKEN_START
from knowledge.text import fold
from knowledge.vocab import (
    CHANNELS,
    LANGS,
    IntentCues,
    Lang,
    PlanVerb,
    Vocabulary,
    Words,
    WorkloadWords,
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

    def within(self, words: range | None) -> Cues:
        """These cues, only the phrases inside ``words`` (all of them for None)."""
        if words is None:
            return self
        outside = [(a, b) for a, b, _ in self.spans if not (words.start <= a and b <= words.stop)]
        return self.without(outside)

    def covers_group(self, group: str, by: frozenset[str]) -> bool:
        """True when a phrase of ``group`` lies inside a phrase of one of ``by``."""
        return any(self.covers(a, b, by) for a, b, g in self.spans if g == group)

    def without(self, taken: list[tuple[int, int]]) -> Cues:
        """These cues, less the phrases lying inside the ``taken`` word spans."""
        inside = [(a, b, g) for a, b, g in self.spans if any(x <= a and b <= y for x, y in taken)]
        if not inside:
            return self
        kept = [x for x in self.spans if x not in inside]
        groups = frozenset(g for _, _, g in kept)
        return Cues(
            groups,
            frozenset(g for a, _, g in kept if a == 0),
            self.ends & groups,
            tuple(kept),
        )

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
            r"^\s*/?(?:shopcrew\s+)?/?" + one_of(v.plan.prefix) + r"\b:?\s*", re.IGNORECASE
        ),
        role_question=re.compile(r"\b(?:" + "|".join(c.role_question.all()) + r")\b"),
        role_term=re.compile(v.role_term),
        headcount=re.compile(r"\b(\d{1,4})\s+(?:[a-z]+\s+)?" + one_of(c.people.all()) + r"\b"),
    )


#: Intent cue groups of the vocabulary that are found as phrases (the rest are patterns): every
#: word list of ``IntentCues``, so a group added to the vocabulary is found without a code change.
INTENT_GROUPS = tuple(
    name for name, spec in IntentCues.model_fields.items() if spec.annotation in (Words, "Words")
)


def _cue_groups(v: Vocabulary) -> dict[str, Iterable[str]]:
    """Every cue group: intents by name, and ``channel:``, ``stage:``, ``team:`` ones."""
    c = v.intents
    groups: dict[str, Iterable[str]] = {g: getattr(c, g).all() for g in INTENT_GROUPS}
    groups["compare_any"] = c.compare_strong.all() + c.compare_weak.all()
    groups["who_dangling"] = c.who_dangling_end.all()
    groups["follow_up"] = v.conversation.follow_up.all()
    groups["what_if"] = v.conversation.what_if.all()
    groups["negation"] = v.conversation.negation.all()
    groups["marketplace"] = [fold(name) for name in v.marketplaces]
    groups.update({f"channel:{ch}": v.channels[ch].words.all() for ch in CHANNELS})
    groups.update({f"platform:{ch}": v.channels[ch].platforms for ch in CHANNELS})
    groups.update({f"stage:{st}": words.words.all() for st, words in v.stages.items()})
    groups.update({f"team:{team}": words.all() for team, words in v.teams.items()})
    return groups


@dataclass(frozen=True, slots=True)
class StorePatterns:
    """Compiled store-count patterns (see ``StoreWords`` in ``knowledge.vocab``).

    Numbers are captured as typed (``numbers.TOKEN``) so that "1e309 stores" is refused rather
    than read as 309; ``numbers.read_number`` reads them.
    """

    hint: Pattern
    #: "2 or 3 stores", "3-4 tiendas", "between 2 and 3 stores": groups 1 to 3.
    options: tuple[Pattern, ...]
    number_before: Pattern
    number_after: Pattern
    one: Pattern
    counted: tuple[tuple[Pattern, int], ...]
    #: "¿un operador por tienda? tengo dos": a bare count ending a sentence.
    have: Pattern
    #: "… and one on Shopify", "… y otra en Amazon": one more store each time it is found.
    more: Pattern


#: A number as typed, captured (see ``bot.understand.numbers.TOKEN``).
NUMBER = TOKEN_START + "(" + TOKEN + ")"
#: The longest number read as one of several options ("2 or 3 stores"): "1.000.000.000,50" fits.
OPTION_CHARS = 21


def _store_patterns(v: Vocabulary) -> StorePatterns:
    s = v.stores
    noun = one_of(s.nouns.all())
    not_role = r"(?!\s+" + one_of(s.not_after.all()) + r")"
    ordinal = one_of(s.ordinal_endings.all()) + "?"
    # Up to two words between a count and the noun ("2 new stores"), but not "per"/"por":
    # "one operator per store" is a rate, not a store count.
    gap = r"(?:(?!" + one_of(s.per.all()) + r"\b)[a-z]+\s+){0,2}?"
    to_noun = r"\s+" + gap + noun + r"\b" + not_role
    alt = r"\s*(?:,(?=\s)|" + one_of(s.alternatives.all()) + r")\s*"
    # "2 or 3 stores", "2o3 tiendas": two or three numbers, which may be glued to the word
    # between them. Numbers of any length would let one long word of digits and letters
    # ("1ro1ro1ro…") be cut into three numbers in a cubic number of ways before the pattern
    # fails: seconds for 1,200 characters. Numbers offered as options are at most 21 characters
    # (a longer one is still read, as a single count, by ``number_before``).
    short = "(" + TOKEN.replace("*?", f"{{0,{OPTION_CHARS - 1}}}?") + ")"
    counted = short + ordinal
    ends = r"(?![\w]|[.,]\d)"
    return StorePatterns(
        hint=re.compile("|".join(re.escape(h) for h in s.hints)),
        options=(
            re.compile(
                TOKEN_START + counted + alt + counted + "(?:" + alt + counted + ")?" + to_noun
            ),
            re.compile(
                r"\b" + one_of(s.between.all()) + r"\s+(" + TOKEN + r")\s+"
                + one_of(s.between_and.all()) + r"\s+(" + TOKEN + ")" + to_noun
            ),
        ),
        number_before=re.compile(NUMBER + ordinal + to_noun),
        number_after=re.compile(
            # The mark before the number bounds it: "tiendas x3", "shop #2".
            r"\b" + noun + r"\s*(?::|=|x|" + one_of(s.numbered.all()) + r")\s*"
            + "(" + TOKEN + ")" + ends
        ),
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
        have=re.compile(
            r"\b" + one_of(s.have.all()) + r"\s+" + NUMBER + ordinal
            + r"\s*(?=$|[.!?,;:)]|\s(?:y|and|but|pero)\b)"
        ),
        more=re.compile(r"\b" + one_of(s.more.all()) + r"\b"),
    )  # fmt: skip


#: What a volume counts, and the period it is given per.
VolumeKind = Literal["inquiries", "orders", "live_hours"]
#: The sizing inputs a ratio in a message sets ("5% returns", "3 chats at once").
RatioField = Literal["return_rate", "inquiries_per_order", "concurrency"]
Period = Literal["hour", "day", "week", "month"]
PERIODS: tuple[Period, ...] = get_args(Period)


@dataclass(frozen=True, slots=True)
class WorkloadPatterns:
    """Volume patterns (groups ``num``, ``mult``, ``pre``, ``period``) and how to read them."""

    volumes: tuple[tuple[VolumeKind, Pattern], ...]
    #: Period word ("semana", "monthly") -> its period.
    periods: dict[str, Period]
    #: Multiplier word ("k", "mil", "millones"; text2num's "1000") -> its factor.
    multipliers: dict[str, float]
    #: The text between two volumes that share the second one's period (" and ").
    joined: Pattern
    #: Ratios (group ``num``, and ``pct`` when given as a percentage), by the input they set.
    ratios: tuple[tuple[RatioField, Pattern], ...] = ()


def _period_words(w: WorkloadWords) -> dict[str, Period]:
    by_period: dict[Period, Words] = {
        "hour": w.hour, "day": w.day, "week": w.week, "month": w.month,
    }  # fmt: skip
    return {word: p for p, words in by_period.items() for word in words.all()}


def _workload_patterns(v: Vocabulary) -> WorkloadPatterns:
    w = v.workload
    periods = _period_words(w)
    # text2num writes "10 mil" as "10 1000" (and "un millón" as "1000000"): those multiply too.
    factors = {**dict.fromkeys(w.thousands.all(), 1e3), **dict.fromkeys(w.millions.all(), 1e6)}
    multipliers = {**factors, "1000": 1e3, "1000000": 1e6}

    def tail(*allowed: Period) -> str:
        words = one_of(word for word, p in periods.items() if p in allowed)
        per = one_of(w.per.all())
        return r"(?:(?:\s+[a-z]+){0,2}?\s*(?:" + per + r"\s*)?(?P<period>" + words + r")\b)?"

    mult = r"(?:(?P<mult>" + one_of(multipliers) + r")\b\s*)?"
    # "mil pedidos", "a thousand orders": a multiplier word alone (not "k" or "m").
    bare = r"\b(?P<bare>" + one_of(word for word in factors if len(word) > 2) + r")\b\s*"
    number = "(?:" + TOKEN_START + "(?P<num>" + TOKEN + r")\s*" + mult + "|" + bare + ")"
    # "un millón de consultas"; "500 daily chats", "10k monthly orders": the period before the
    # noun (not "hour").
    of = r"(?:" + one_of(w.of.all()) + r"\s+)?"
    pre = r"(?:(?P<pre>" + one_of(w.day.all() + w.week.all() + w.month.all()) + r")\s+)?"
    amount = number + of + pre

    def counted(nouns: Words, *allowed: Period) -> Pattern:
        customers = r"(?:\s*" + one_of(w.customers.all()) + ")?"
        return re.compile(amount + one_of(nouns.all()) + r"\b" + customers + tail(*allowed))

    hours = TOKEN_START + "(?P<num>" + TOKEN + r")\s*"
    hour, live = one_of(w.hour.all()) + r"\b", r"\b" + one_of(w.live.all()) + r"\b"
    gap = r"(?:\s+[a-z]+){0,3}?\s+"
    return WorkloadPatterns(
        volumes=(
            ("inquiries", counted(w.contacts, *PERIODS)),
            ("orders", counted(w.orders, "day", "week", "month")),
            # "3 hours of live a day", "20 live hours a week", "live 3 hours a day"
            ("live_hours", re.compile(hours + hour + gap + live + tail("day", "week", "month"))),
            ("live_hours", re.compile(hours + live + r"\s+" + hour + tail("day", "week", "month"))),
            ("live_hours", re.compile(live + gap + hours + hour + tail("day", "week", "month"))),
        ),
        periods=periods,
        multipliers=multipliers,
        joined=re.compile(r"\s*(?:" + one_of(w.joined.all()) + r")?\s*"),
        ratios=_ratio_patterns(w),
    )


def _ratio_patterns(w: WorkloadWords) -> tuple[tuple[RatioField, Pattern], ...]:
    """ "5% returns", "tasa de devolucion del 8%", "0.5 chats per order", "3 chats at once".

    Every gap between the words is a bounded number of words, so each pattern reads a message
    once from each number or cue word it starts at.
    """
    num = TOKEN_START + "(?P<num>" + TOKEN + r")\s*"
    pct = "(?P<pct>" + one_of(w.percent.all()) + r")(?![a-z0-9])"
    returns = r"\b" + one_of(w.returns.all()) + r"\b"
    contacts = one_of(w.contacts.all()) + r"\b"
    per = r"\s*" + one_of(w.per.all()) + r"\s*"
    words = r"(?:\s+[a-z]+){0,3}?\s+"
    return (
        # "5% returns", "5% de devoluciones", "a 4% return rate"
        ("return_rate", re.compile(num + pct + r"(?:\s+[a-z]+){0,2}?\s+" + returns)),
        # "tasa de devolucion del 8%", "return rate of 5%", "returns around 5 percent"
        ("return_rate", re.compile(returns + words + num + pct)),
        ("inquiries_per_order", re.compile(num + contacts + per + one_of(w.orders.all()) + r"\b")),
        ("concurrency", re.compile(num + contacts + words + one_of(w.at_once.all()) + r"\b")),
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
    #: Sale events ("Black Friday"): when a task happens, not which task.
    sale_events: tuple[str, ...]
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
        sale_events=tuple(fold(name) for name in v.sale_events),
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
