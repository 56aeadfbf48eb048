"""The words the plan's picture and forms are read with, compiled once, and what the plain-words
reader found in a message, as they read it (``picture.py``, ``whose.py``, ``forms.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.plans.compiled import compiled
from knowledge import Lang
from knowledge.vocab import PictureWords, PlainPlanWords, PlanVerb

if TYPE_CHECKING:
    from bot.plans.words import Reader

Phrase = tuple[str, ...]
#: The verbs whose request, about the picture, is a request for the picture.
LOOKS: frozenset[PlanVerb] = frozenset({"show", "export", "chart"})
#: The most link words between the plan and its picture ("the plan in a kind of org chart").
MAX_LINKS = 4


def phrases(groups: list[tuple[str, ...]]) -> list[Phrase]:
    """Every phrase of ``groups`` as a word tuple, longest first, without repeats."""
    found = {tuple(w.split()) for words in groups for w in words}
    return sorted(found, key=len, reverse=True)


def at(words: Phrase, i: int, phrases: list[Phrase]) -> Phrase | None:
    """The longest of ``phrases`` that starts at word ``i``."""
    return next((p for p in phrases if words[i : i + len(p)] == p), None)


@dataclass(frozen=True, slots=True)
class PictureIndex:
    """The picture words compiled once, with the plain words they are read beside."""

    pictures: list[Phrase]
    org_charts: frozenset[Phrase]
    manners: list[Phrase]
    #: The draw verbs that are not also pictures ("chart"): one before their team names its
    #: picture and asks for it ("can you draw up our team?").
    draws: list[Phrase]
    mine: frozenset[str]
    teams: frozenset[str]
    the: frozenset[str]
    us: frozenset[str]
    between: frozenset[str]
    links: frozenset[str]
    #: What may stand between a picture and whose it is: links, ``between``, team nouns and
    #: other pictures ("an org chart image for our workspace's team").
    gaps: frozenset[str]
    #: In the clause, these make "the team" another one ("the team in the article").
    generic: frozenset[str]
    #: What may come before the name of the picture alone ("la estructura de nuestro equipo").
    leads: frozenset[str]
    #: What may follow a team of theirs named after the picture ("… of the team *we* planned").
    after: frozenset[str]
    #: Words that ask for the picture: its own ``asks`` and every look, export or draw verb.
    requests: list[Phrase]
    #: The picture's own ``asks``: an export verb among them only hands something over.
    asks: frozenset[Phrase]
    #: Questions about what the plan holds, and the words that make them sizing questions.
    questions: list[Phrase]
    needs: list[Phrase]
    negations: list[Phrase]
    openers: list[Phrase]
    #: What may follow the picture's name alone: "pls", "when you get a sec".
    polite: list[Phrase]
    please: list[Phrase]
    purposes: frozenset[str]
    #: "el plan *de equipo*": what makes "plan" the team plan after it.
    qualifiers: frozenset[str]
    ours: frozenset[str]
    langs: dict[Phrase, Lang | None]

    @classmethod
    def build(cls, w: PlainPlanWords) -> PictureIndex:
        """Compile the picture words of ``w``."""
        p: PictureWords = w.picture
        looks = [w.verbs[v].all() for v in sorted(LOOKS) if v in w.verbs]
        langs: dict[Phrase, Lang | None] = {}
        for words in (p.pictures, p.asks, *(w.verbs[v] for v in sorted(LOOKS))):
            for lang, word in words.pairs():
                phrase = tuple(word.split())
                langs[phrase] = lang if langs.get(phrase, lang) == lang else None
        links = frozenset(p.links.all()) | frozenset(w.owners.all())
        between, teams = frozenset(p.between.all()), frozenset(p.teams.all())
        single = frozenset(x for x in p.pictures.all() if " " not in x)
        polite = frozenset(p.polite.all()) | frozenset(p.please.all())
        return cls(
            pictures=phrases([p.pictures.all()]),
            org_charts=frozenset(tuple(x.split()) for x in p.org_charts.all()),
            manners=phrases([p.manners.all()]),
            draws=phrases([tuple(set(w.verbs["chart"].all()) - set(p.pictures.all()))]),
            mine=frozenset(p.mine.all()),
            teams=teams,
            the=frozenset(p.the.all()),
            us=frozenset(p.us.all()),
            between=between,
            links=links,
            gaps=links | between | teams | single,
            generic=frozenset(p.generic.all()),
            leads=links | teams | single | frozenset(p.mine.all()),
            after=links
            | between
            | teams
            | single
            | polite
            | frozenset(p.relatives.all())
            | frozenset(p.purposes.all())
            | frozenset(w.noun.all()),
            requests=phrases([p.asks.all(), *looks]),
            asks=frozenset(phrases([p.asks.all()])),
            questions=phrases([w.asks.all()]),
            needs=phrases([w.needs.all()]),
            negations=phrases([w.negations.all()]),
            openers=phrases([w.openers.all()]),
            polite=phrases([w.openers.all(), p.polite.all(), p.please.all()]),
            please=phrases([p.please.all()]),
            purposes=frozenset(p.purposes.all()),
            qualifiers=frozenset(w.qualifiers.all()),
            ours=frozenset(w.ours.all()),
            langs=langs,
        )


def picture_index(words: PlainPlanWords) -> PictureIndex:
    """The compiled picture words of ``words``."""
    return compiled(words, PictureIndex.build)


@dataclass(frozen=True, slots=True)
class Seen:
    """What the plain-words reader found in a message, as the picture reads it."""

    words: Phrase
    #: Where each clause starts (0 first).
    clauses: tuple[int, ...]
    #: Where the message names the team plan ("the plan", "al plan"), if it does.
    plan: int | None
    #: Where each named role starts.
    roles: tuple[int, ...]
    #: The verb the request starts with, and its words, if it starts with one.
    verb: PlanVerb | None
    verb_words: Phrase
    #: Where the request starts, after "please", "can you"…
    start: int
    #: Whether the message describes a team (a template, a stage, channels, a store count):
    #: then "the team" is that one, not theirs.
    described: bool = False

    @classmethod
    def of(cls, reader: Reader) -> Seen:
        """What ``reader`` found."""
        verb, u = reader.verb, reader.u
        return cls(
            words=reader.words,
            clauses=tuple(reader.clauses),
            plan=reader.plan_at(),
            roles=tuple(h.start for h in u.roles),
            verb=None if verb is None else verb.verb,
            verb_words=() if verb is None else verb.words,
            start=reader.start,
            described=bool(u.team or u.stage or u.channels or u.stores is not None),
        )


@dataclass(frozen=True, slots=True)
class Name:
    """Where a message names the plan's picture (or another form of the plan), and the word
    it uses for it."""

    start: int
    end: int
    picture: Phrase


def clause_of(seen: Seen, i: int) -> tuple[int, int]:
    """The first and past-the-last word of the clause holding word ``i``."""
    starts = sorted({0, *seen.clauses})
    first = max(c for c in starts if c <= i)
    rest = [c for c in starts if c > i]
    return first, rest[0] if rest else len(seen.words)
