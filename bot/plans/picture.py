"""The plan's picture asked for in plain words: "send me the plan chart", "draw our org chart",
"¿cómo se ve el organigrama de nuestro plan?", "nuestro organigrama porfa" → ``plan chart``.

A message asks for the picture when it *names* it and the clause naming it *asks* for it:

* named: a picture word joined to "the plan" by link words only ("the plan's org chart",
  "el plan como imagen", "a diagram of our staffing plan"), or an org-chart word after "our" /
  "nuestro" ("our team's org chart", "el organigrama de nuestro equipo");
* asked: the clause also holds a look, export or draw verb or one of the picture's ``asks``
  ("send", "hazme", "I need"), a question about what the plan holds ("what does … look like")
  that asks nothing of what it should hold, or nothing but the name ("the plan as a png pls").

The org chart of something else stays the article's ("the org chart of a Tmall agency",
"dibújame el organigrama de una tienda madura"), other charts are not the plan's ("el gráfico
de ventas", "our sales chart"), and a question about a role in the picture ("in our org chart,
who is the copywriter's boss?") is that question: with a role named, only a request that starts
with a look or draw verb is one for the picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from knowledge import Lang
from knowledge.vocab import PictureWords, PlainPlanWords, PlanVerb

if TYPE_CHECKING:
    from bot.plans.words import Plain, Reader

Phrase = tuple[str, ...]
#: The verbs whose request, about the picture, is a request for the picture.
LOOKS: frozenset[PlanVerb] = frozenset({"show", "export", "chart"})
#: The most link words between the plan and its picture ("the plan in a kind of org chart").
MAX_LINKS = 4


def _phrases(groups: list[tuple[str, ...]]) -> list[Phrase]:
    """Every phrase of ``groups`` as a word tuple, longest first, without repeats."""
    found = {tuple(w.split()) for words in groups for w in words}
    return sorted(found, key=len, reverse=True)


def _at(words: Phrase, i: int, phrases: list[Phrase]) -> Phrase | None:
    """The longest of ``phrases`` that starts at word ``i``."""
    return next((p for p in phrases if words[i : i + len(p)] == p), None)


@dataclass(frozen=True, slots=True)
class PictureIndex:
    """The picture words compiled once, with the plain words they are read beside."""

    pictures: list[Phrase]
    org_charts: frozenset[Phrase]
    mine: frozenset[str]
    between: frozenset[str]
    links: frozenset[str]
    #: Words that ask for the picture: its own ``asks`` and every look, export or draw verb.
    requests: list[Phrase]
    #: Questions about what the plan holds, and the words that make them sizing questions.
    questions: list[Phrase]
    needs: list[Phrase]
    negations: list[Phrase]
    openers: list[Phrase]
    #: What may follow the picture's name alone: "pls", "when you get a sec".
    polite: list[Phrase]
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
        return cls(
            pictures=_phrases([p.pictures.all()]),
            org_charts=frozenset(tuple(x.split()) for x in p.org_charts.all()),
            mine=frozenset(p.mine.all()),
            between=frozenset(p.between.all()),
            links=frozenset(p.links.all()) | frozenset(w.owners.all()),
            requests=_phrases([p.asks.all(), *looks]),
            questions=_phrases([w.asks.all()]),
            needs=_phrases([w.needs.all()]),
            negations=_phrases([w.negations.all()]),
            openers=_phrases([w.openers.all()]),
            polite=_phrases([w.openers.all(), p.polite.all()]),
            langs=langs,
        )


_compiled: dict[int, tuple[PlainPlanWords, PictureIndex]] = {}


def picture_index(words: PlainPlanWords) -> PictureIndex:
    """The compiled picture words of ``words`` (kept with them: a vocabulary is loaded once)."""
    hit = _compiled.get(id(words))
    if hit is None or hit[0] is not words:
        hit = (words, PictureIndex.build(words))
        _compiled[id(words)] = hit
    return hit[1]


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


@dataclass(frozen=True, slots=True)
class _Name:
    """Where a message names the plan's picture, and the picture word it uses."""

    start: int
    end: int
    picture: Phrase


def names_org_chart(words: PlainPlanWords, message: Phrase) -> bool:
    """Whether ``message`` (its words) says "org chart" or "organigrama" anywhere."""
    ix = picture_index(words)
    return any(_at(message, i, sorted(ix.org_charts)) for i in range(len(message)))


def picture_request(reader: Reader) -> Plain | None:
    """``plan chart`` when the message ``reader`` reads asks for the plan's picture."""
    from bot.plans.commands.chart import ChartCommand
    from bot.plans.words import Plain

    verb = reader.verb
    seen = Seen(
        words=reader.words,
        clauses=tuple(reader.clauses),
        plan=reader.plan_at(),
        roles=tuple(h.start for h in reader.u.roles),
        verb=None if verb is None else verb.verb,
        verb_words=() if verb is None else verb.words,
        start=reader.start,
    )
    ix = picture_index(reader.plain)
    phrase = asked_picture(ix, seen)
    return None if phrase is None else Plain(ChartCommand(), lang=ix.langs.get(phrase))


def asked_picture(ix: PictureIndex, seen: Seen) -> Phrase | None:
    """The phrase that asks for the plan's picture (its language is the reply's), or None when
    the message does not ask for it."""
    name = _named(ix, seen)
    if name is None:
        return None
    outside = [r for r in seen.roles if not name.start <= r < name.end]
    if seen.verb is not None:
        requesting = seen.verb in LOOKS or seen.verb_words in ix.requests
        if not requesting or (outside and seen.verb not in LOOKS):
            return None  # "add 2 designers to the plan and draw it" adds them
        if outside:
            return seen.verb_words  # "show me the plan's org chart, where's the copywriter?"
    elif outside:
        return None  # "in our org chart, who is the copywriter's boss?"
    return _asking(ix, seen, name)


def _clause(seen: Seen, i: int) -> tuple[int, int]:
    """The first and past-the-last word of the clause holding word ``i``."""
    starts = sorted({0, *seen.clauses})
    first = max(c for c in starts if c <= i)
    rest = [c for c in starts if c > i]
    return first, rest[0] if rest else len(seen.words)


def _asking(ix: PictureIndex, seen: Seen, name: _Name) -> Phrase | None:
    """What in the clause naming the picture asks for it."""
    first, last = _clause(seen, name.start)
    words = seen.words
    around = [i for i in range(first, last) if not name.start <= i < name.end]
    for i in around:
        found = _at(words[:last], i, ix.requests)
        if found is not None and (i + len(found) <= name.start or i >= name.end):
            return found
    clause = words[first:last]
    if any(_at(clause, i, ix.negations) for i in range(len(clause))):
        return None
    asked = any(_at(words, i, ix.questions) for i in around)
    if asked and not any(_at(clause, i, ix.needs) for i in range(len(clause))):
        return name.picture  # "what does our org chart look like?"
    return name.picture if _only_the_name(ix, seen, name, first, last) else None


def _only_the_name(ix: PictureIndex, seen: Seen, name: _Name, first: int, last: int) -> bool:
    """ "nuestro organigrama porfa", "the plan as a png pls": the clause is the name and
    politeness only ("our org chart is a mess" says something about it instead)."""
    words, lead = seen.words, first
    while (opener := _at(words, lead, ix.openers)) is not None:
        lead += len(opener)
    while lead < name.start and (words[lead] in ix.links or words[lead] in ix.mine):
        lead += 1
    tail = name.end
    while tail < last and (polite := _at(words[:last], tail, ix.polite)) is not None:
        tail += len(polite)
    return lead == name.start and tail == last


def _named(ix: PictureIndex, seen: Seen) -> _Name | None:
    """Where the message names the plan's picture, if it does."""
    words = seen.words
    for i in range(len(words)):
        picture = _at(words, i, ix.pictures)
        if picture is None:
            continue
        end = i + len(picture)
        span = _joined(ix, seen, i, end)
        if span is None and picture in ix.org_charts:
            span = _ours(ix, seen, i, end)
        if span is not None:
            return _Name(span[0], span[1], picture)
    return None


def _plans(seen: Seen) -> list[int]:
    """Where "plan" names the team plan: where the reader found it, or first in a clause
    ("plan org chart?", "plan as a picture pls")."""
    found = [] if seen.plan is None else [seen.plan]
    for c in sorted({seen.start, *seen.clauses}):
        if c < len(seen.words) and seen.words[c] == "plan":
            found.append(c)
    return found


def _joined(ix: PictureIndex, seen: Seen, start: int, end: int) -> tuple[int, int] | None:
    """The span from the plan to the picture at ``start``…``end`` when only links join them."""
    for plan in _plans(seen):
        gap = seen.words[plan + 1 : start] if plan < start else seen.words[end:plan]
        if len(gap) > MAX_LINKS or not all(w in ix.links for w in gap):
            continue
        if _clause(seen, plan) == _clause(seen, start):
            return (min(plan, start), max(plan + 1, end))
    return None


def _ours(ix: PictureIndex, seen: Seen, start: int, end: int) -> tuple[int, int] | None:
    """ "our (team's) org chart", "el organigrama de nuestro equipo": the span, if so."""
    words = seen.words
    before = start
    while before > 0 and words[before - 1] in ix.between:
        before -= 1
    if before > 0 and words[before - 1] in ix.mine:
        return (before - 1, end)
    # "el organigrama de nuestro equipo", "the org chart of my store"
    link, mine, whose = (*words[end : end + 3], "", "", "")[:3]
    if link in ix.links and mine in ix.mine and (whose in ix.between or whose in ix.links):
        return (start, end + 3)
    return None
