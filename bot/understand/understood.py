"""A message after understanding: its language, entities and intent."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TypedDict

from bot.models import Entities
from bot.understand.entities import (
    StoreCount,
    detect_lang,
    extract_channels,
    extract_stage,
    extract_team,
    read_stores,
    with_digits,
)
from bot.understand.intents import DECISION, score_intents
from bot.understand.lexicon import Cues, Lexicon
from bot.understand.normalize import Normalized, normalize, tokens
from bot.understand.roles import RoleHit, RoleMatcher, first_mentions
from bot.understand.search import DutyIndex, DutyMatch
from bot.understand.signals import Scored, Signals
from bot.understand.workload import Workload, extract_workload
from knowledge import KnowledgeBase, Lang, RoleId
from knowledge.vocab import Channel, Stage

#: Where one sentence ends and the next begins (a question mark stays with its sentence).
_SENTENCE = re.compile(r"(?<=[.?!\n])\s+|\n")

#: The cue groups that carry each intent's question: roles named after them are the ones asked
#: about ("I do ops myself. Do I need HR yet?" asks about HR). Not for reporting lines and
#: hiring, whose subject comes first ("does the assistant report to ops or to the director?").
ASKING: dict[str, frozenset[str]] = {
    "decision": DECISION,
    "team_size": frozenset({"how_many", "size_soft"}),
    "kpi": frozenset({"kpi"}),
    "pay": frozenset({"pay"}),
}


#: A short message with one small whole number in it: "and for three?", "y si son dos?".
_BARE = re.compile(r"^\D*?\b(\d{1,3})\b\D*$")
#: How short a message a bare number is read in.
BARE_WORDS = 5


def _bare_number(digits: str, n_words: int) -> int | None:
    match = _BARE.match(digits) if n_words <= BARE_WORDS else None
    return int(match.group(1)) if match else None


#: One sentence of a message: its folded text and the positions of its words.
Sentence = tuple[str, range]


def _sentences(norm: Normalized) -> list[Sentence]:
    """The message's sentences, each with where its words stand in the message."""
    out, start = [], 0
    for text in (x for x in _SENTENCE.split(norm.folded) if x.strip()):
        size = len(tokens(text))
        out.append((text, range(start, start + size)))
        start += size
    return out


def _question_words(sentences: list[Sentence]) -> range | None:
    """The words of the sentences ending in "?" (from the first to the last), in a message of
    several sentences; None when the message is one sentence or has no question mark."""
    asked = [words for text, words in sentences if text.rstrip().endswith("?")]
    if len(sentences) < 2 or not asked:
        return None
    # From the first question to the last: "¿cómo sé si es bueno? ¿qué le pregunto?"
    return range(asked[0].start, asked[-1].stop)


def _task_sentence(norm: Normalized, sentences: list[Sentence], cues: Cues) -> Sentence:
    """The sentence that asks "who does …?" in a longer message (else the first question, else
    the whole message).

    "Who writes the titles? Ours are a mess since Ana left" is about titles: the story around
    a question would otherwise dilute its task words.
    """
    if len(sentences) > 1:
        who = [a for a, _, g in cues.spans if g == "who"]
        for sentence in sentences:
            if any(a in sentence[1] for a in who):
                return sentence
        for sentence in sentences:
            if sentence[0].rstrip().endswith("?"):
                return sentence
    return norm.folded, range(len(norm.words))


def hits_spans(hits: list[RoleHit]) -> list[tuple[int, int]]:
    """Where each role was named."""
    return [(h.start, h.end) for h in hits]


def focused(hits: list[RoleHit], cues: Cues, intent: str) -> list[RoleHit]:
    """``hits`` with the roles named after the question's cue first."""
    groups = ASKING.get(intent)
    starts = [a for a, _, g in cues.spans if groups and g in groups]
    if not starts:
        return hits
    asked = min(starts)
    return [h for h in hits if h.start >= asked] + [h for h in hits if h.start < asked]


def without(text: str, words: list[str]) -> str:
    """``text``'s words less ``words`` (each as many times as it is listed); ``text`` itself
    when there is nothing to take out."""
    if not words:
        return text
    left = Counter(words)
    kept = []
    for word in tokens(text):
        if left[word] > 0:
            left[word] -= 1
        else:
            kept.append(word)
    return " ".join(kept)


#: Cue groups whose phrases are never role names, though they may contain one's alias.
QUESTION_WORDS = frozenset({"reports_to", "hiring", "kpi", "pay", "help", "decision"})


@dataclass(frozen=True, slots=True)
class Understood:
    """Everything the text layer found in one message."""

    norm: Normalized
    lang: Lang
    roles: list[RoleHit]
    stores: int | None
    stage: Stage | None
    channels: list[Channel]
    team: str | None
    duties: list[DutyMatch]
    workload: Workload
    scored: Scored
    cues: Cues
    #: A headcount the message proposes ("is 2 people enough?"), when it gives one.
    headcount: int | None = None
    #: How the store count was written: several options, a fraction, something unreadable.
    store_count: StoreCount = field(default_factory=StoreCount)
    #: Roles named in the sentence that asks "who does …?" (not in the story around it).
    named_in_task: list[RoleId] = field(default_factory=list)
    #: The one number of a short message ("and for three?"), for a follow-up to read as stores.
    bare_number: int | None = None

    @property
    def role_ids(self) -> list[RoleId]:
        """The roles named, in the order they appear."""
        return [h.role for h in self.roles]

    def entities(self, roles: list[RoleId] | None = None, team: str | None = None) -> Entities:
        """The entities to report, optionally with the roles/team the answer settled on."""
        # Built from values this module typed already: no need to validate them again.
        return Entities.model_construct(
            roles=self.role_ids if roles is None else roles,
            stores=self.stores,
            stage=self.stage,
            channels=list(self.channels),
            team=self.team if team is None else team,
            read_as={h.near: h.role for h in self.roles if h.near},
            **entity_figures(self.store_count, self.workload),
        )


class Figures(TypedDict):
    """The figures an answer's entities report (see ``Entities``)."""

    store_options: list[int]
    orders_per_day: float | None
    inquiries_per_day: float | None


def entity_figures(count: StoreCount, workload: Workload) -> Figures:
    """Store options and per-day volumes, as ``Entities`` reports them."""
    return {
        "store_options": list(count.options) if len(count.options) > 1 else [],
        "orders_per_day": workload.orders_per_day,
        "inquiries_per_day": workload.inquiries_per_day,
    }


class Understander:
    """Reads chat text against one knowledge base and one vocabulary."""

    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.matcher = RoleMatcher(kb, lexicon)
        self.index = DutyIndex(kb, lexicon.duty_stop, lexicon.marketplaces, lexicon.sale_events)

    def language(self, text: str, default: Lang | None) -> Lang:
        """The language of ``text`` alone (no roles, no other entities)."""
        return detect_lang(self.lexicon, normalize(text), [], default)

    def read(self, norm: Normalized, default_lang: Lang | None) -> Understood:
        """Entities and intent of a normalised message."""
        lex = self.lexicon
        cues = lex.cues.find(norm.words)
        # "boss" in "who is the boss of X" and "hiring" in "when hiring an X" are the question's
        # words, not the general manager or HR.
        mentions = [
            h for h in self.matcher.find_all(norm.words)
            if not cues.covers(h.start, h.end, QUESTION_WORDS)
        ]  # fmt: skip
        hits = first_mentions(mentions)
        lang = detect_lang(lex, norm, hits, default_lang)
        digits = with_digits(norm, lang)
        store_count = read_stores(lex, norm, digits, lang)
        stores = store_count.count
        stage = extract_stage(cues)
        channels = extract_channels(cues)
        # "planificador de contenido" names a role, not the content team.
        team = extract_team(cues.without(hits_spans(hits)), stage, channels)
        sentences = _sentences(norm)
        task, task_words = _task_sentence(norm, sentences, cues)
        workload = extract_workload(lex, digits, lang)
        # "with 5% returns" gives a figure, not a task: its words are no one's duty here.
        read = workload.read_words()
        duties = self.index.search(without(task, read))
        if not duties and task != norm.folded:
            # "refunds. whose job?": the task is in the other sentence.
            duties = self.index.search(without(norm.folded, read))
            task_words = range(len(norm.words))
        question = _question_words(sentences)
        signals = Signals(
            text=" ".join(norm.words),
            n_words=len(norm.words),
            roles=hits,
            stores=stores,
            duty_hit=duties[0].score if duties else 0.0,
            team=team,
            cues=cues,
            mentions=tuple((h.start, h.end) for h in mentions),
            asked=cues.within(question),
            question_start=question.start if question is not None else None,
        )
        scored = score_intents(lex.intents, signals)
        people = lex.intents.headcount.search(digits)
        headcount = int(people.group(1)) if people else None
        named_in_task = [h.role for h in hits if h.start in task_words]
        return Understood(
            norm, lang, focused(hits, cues, scored.intent), stores, stage, channels, team,
            duties, workload, scored, cues, headcount, store_count, named_in_task,
            _bare_number(digits, len(norm.words)),
        )  # fmt: skip
