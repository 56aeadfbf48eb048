"""The plan's picture asked for in plain words: "send me the plan chart", "draw our org chart",
"¿cómo se ve el organigrama de nuestro plan?", "nuestro organigrama porfa" → ``plan chart``.

A message asks for the picture when it *names* it (``whose.py``) and the clauses naming it
*ask* for it: they also hold a look, export or draw verb or one of the picture's ``asks``
("send", "hazme", "I need"), a question about what the plan holds ("what does … look like")
that asks nothing of what it should hold, or nothing but the name, politeness and what it is for
("the plan as a png pls", "our org chart pls, the investors are here", "picture of our plan for
the onboarding doc").

A question about a role in the picture ("in our org chart, who is the copywriter's boss?") is
that question: with a role named, only a request that starts with a look or draw verb is one for
the picture (a role in a clause of its own, "I added a photographer", or in what the picture is
for, "para pasárselo al dueño", is not part of the request).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.plans.picture_words import (
    LOOKS,
    Name,
    Phrase,
    PictureIndex,
    Seen,
    at,
    clause_of,
    picture_index,
)
from bot.plans.whose import named, past
from knowledge.vocab import PlainPlanWords

if TYPE_CHECKING:
    from bot.plans.words import Plain, Reader


def names_org_chart(words: PlainPlanWords, message: Phrase) -> bool:
    """Whether ``message`` (its words) says "org chart" or "organigrama" anywhere."""
    ix = picture_index(words)
    return any(at(message, i, sorted(ix.org_charts)) for i in range(len(message)))


def picture_request(reader: Reader) -> Plain | None:
    """``plan chart`` when the message ``reader`` reads asks for the plan's picture."""
    from bot.plans.commands.chart import ChartCommand
    from bot.plans.words import Plain

    ix = picture_index(reader.plain)
    phrase = asked_picture(ix, Seen.of(reader))
    return None if phrase is None else Plain(ChartCommand(), lang=ix.langs.get(phrase))


def asked_picture(ix: PictureIndex, seen: Seen) -> Phrase | None:
    """The phrase that asks for the plan's picture (its language is the reply's), or None when
    the message does not ask for it."""
    name = named(ix, seen)
    return None if name is None else asked_name(ix, seen, name)


def asked_name(ix: PictureIndex, seen: Seen, name: Name) -> Phrase | None:
    """The phrase that asks for what ``name`` names, or None when nothing asks for it."""
    outside = [
        r for r in seen.roles if not name.start <= r < name.end and not _for(ix, seen, name, r)
    ]
    if seen.verb is not None:
        # "make our org chart again, I added a photographer": a role in a clause of its own is
        # news, not part of the request (without a verb it is the question itself).
        asking = {clause_of(seen, seen.start), clause_of(seen, name.start)}
        outside = [r for r in outside if clause_of(seen, r) in asking]
        requesting = seen.verb in LOOKS or seen.verb_words in ix.requests
        if not requesting or (outside and seen.verb not in LOOKS):
            return None  # "add 2 designers to the plan and draw it" adds them
        if outside:
            return seen.verb_words  # "show me the plan's org chart, where's the copywriter?"
    elif outside:
        return None  # "in our org chart, who is the copywriter's boss?"
    return _asking(ix, seen, name)


def _for(ix: PictureIndex, seen: Seen, name: Name, role: int) -> bool:
    """ "… en png para pasárselo al dueño": the role is who the picture is for, in a purpose
    after its name in the same clause, not what the message asks about."""
    if role < name.end or clause_of(seen, role) != clause_of(seen, name.end - 1):
        return False
    return any(w in ix.purposes for w in seen.words[name.end : role])


def _asking(ix: PictureIndex, seen: Seen, name: Name) -> Phrase | None:
    """What in the clauses naming the picture asks for it."""
    first, last = clause_of(seen, name.start)[0], clause_of(seen, name.end - 1)[1]
    words = seen.words
    around = [i for i in range(first, last) if not name.start <= i < name.end]
    for i in around:
        found = at(words[:last], i, ix.requests)
        if found is not None and (i + len(found) <= name.start or i >= name.end):
            return found
    clause = words[first:last]
    if any(at(clause, i, ix.negations) for i in range(len(clause))):
        return None
    if name.picture in ix.draws:
        return name.picture  # "any chance you can draw up our team?": the verb asks
    asked = any(at(words, i, ix.questions) for i in around)
    if asked and not any(at(clause, i, ix.needs) for i in range(len(clause))):
        return name.picture  # "what does our org chart look like?"
    return name.picture if _only_the_name(ix, seen, name, first, last) else None


def _only_the_name(ix: PictureIndex, seen: Seen, name: Name, first: int, last: int) -> bool:
    """ "nuestro organigrama porfa", "the plan as a png pls", "our org chart pls, the investors
    are here", "picture of our plan for the onboarding doc", "a chart of the team we have,
    please": the clause is the name, politeness and what it is for, or ends with a "please"
    ("our org chart is a mess" says something about it instead)."""
    words, lead = seen.words, first
    while (opener := at(words, lead, ix.openers)) is not None:
        lead += len(opener)
    lead = past(ix.leads, words, lead, name.start)  # "la estructura del equipo en imagen"
    tail, pleased = name.end, False
    while tail < last and (polite := at(words[:last], tail, ix.polite)) is not None:
        tail, pleased = tail + len(polite), pleased or polite in ix.please
    pleased = pleased or any(at(words[:last], i, ix.please) for i in range(tail, last))
    return lead == name.start and (tail == last or pleased or words[tail] in ix.purposes)
