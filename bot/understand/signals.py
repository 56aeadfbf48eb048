"""What the intent scorers read from a message, and the questions they ask of it.

``Signals`` holds the message's words, roles, counts and cue phrases; the predicates below are
the ones several scorers share ("does it ask who?", "does it ask what a role does?").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.understand.lexicon import Cues
from bot.understand.roles import RoleHit
from knowledge.vocab import Intent

#: A "who" this close to the start makes the message a who-question ("Mare, ¿quién es…?").
WHO_START = 2
#: "who is the anchor?" is a question about a role only when it is about that short.
IDENTITY_WORDS = 6


@dataclass(frozen=True, slots=True)
class Signals:
    """What the scorers read: the message's words and its entities."""

    text: str  # folded words joined by single spaces
    n_words: int
    roles: list[RoleHit]
    stores: int | None
    duty_hit: float  # best duty-search score (0-1), for "who does X" questions
    team: str | None
    cues: Cues  # the vocabulary's cue groups the message contains
    #: Where every mention of a role stands (a role named twice is in ``roles`` once).
    mentions: tuple[tuple[int, int], ...] = ()
    #: The cues of the sentence that asks the question, in a message of several sentences
    #: ("funciones del editor? el freelancer nos cobra por hora": "cobra" is the story).
    asked: Cues | None = None
    #: Where the question's own sentence starts, in a message of several sentences.
    question_start: int | None = None

    @property
    def question(self) -> Cues:
        """The cues of the question's own sentence (all cues for a one-sentence message)."""
        return self.asked if self.asked is not None else self.cues

    @property
    def exact_roles(self) -> list[RoleHit]:
        """Roles named by an exact alias (no typo)."""
        return [r for r in self.roles if r.score >= 100]


@dataclass(slots=True)
class Scored:
    """The router's decision, with every intent's score (useful when debugging a miss)."""

    intent: Intent
    score: float
    scores: dict[Intent, float] = field(default_factory=dict)


def asks_who(s: Signals) -> bool:
    """True when the message, or its question, starts by asking who ("who …", "mare, ¿quién
    …?", "Traffic dropped this week. Who is supposed to analyse it?")."""
    starts = {0} if s.question_start is None else {0, s.question_start}
    return any(
        any(start <= a <= start + WHO_START for start in starts)
        for a, _, g in s.cues.spans
        if g == "who"
    )


def is_identity(s: Signals) -> bool:
    """ "who is the anchor?": a short "who is" question naming a role asks what the role is."""
    return "who_identity" in s.cues and s.n_words <= IDENTITY_WORDS


def duties_cue(s: Signals) -> bool:
    """A "what does it do" cue; "who is …" counts only in a short identity question."""
    if "duties" not in s.cues:
        return False
    spans = {(a, b) for a, b, g in s.cues.spans if g == "duties"}
    identity = {(a, b) for a, b, g in s.cues.spans if g == "who_identity"}
    return not spans <= identity or is_identity(s)


def boss_of_role(s: Signals) -> bool:
    """ "who manages the packers?" (a phrase right before a role) or "the packers' boss" (a
    boss word right after one)."""
    ends = {b for _, b, g in s.cues.spans if g == "reports_to_who"}
    bosses = {a for a, _, g in s.cues.spans if g == "boss_word"}
    return any(start in ends or end in bosses for start, end in s.mentions)
