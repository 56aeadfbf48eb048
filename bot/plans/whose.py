"""Whose picture a message names: the plan's, or their own team's, or something else's.

* the plan's: a picture word joined to "the plan" by link words only ("the plan's org chart",
  "el plan como imagen", "una imagen de cómo quedó el plan", "can you show the plan? as a
  picture"); the plan's forms are named the same way ("the plan as a list", ``forms.py``);
* their team's: an org-chart word beside "our" / "nuestra tienda" ("our org chart", "el
  organigrama de nuestra tienda"), any picture or draw verb beside a team of theirs ("a diagram
  of our team", "draw the team", "el equipo en forma de árbol", "un organigrama de nosotros");
  "the team" is another one when the message describes it ("the team for a Tmall agency", "el
  equipo de contenido", "the typical team"), and "a picture for the team meeting" is not of it;
* an org chart asked for in the clause naming the plan ("me armas un organigrama con lo que
  tenemos en el plan?"), or a look at the plan or their team *as a picture* ("quiero ver
  gráficamente cómo está armado nuestro equipo").

The org chart of something else stays the article's ("the org chart of a Tmall agency"), and
other charts are not the plan's ("el gráfico de ventas", "our sales chart").
"""

from __future__ import annotations

from bot.plans.picture_words import MAX_LINKS, Name, Phrase, PictureIndex, Seen, at, clause_of


def named(ix: PictureIndex, seen: Seen) -> Name | None:
    """Where the message names the plan's picture, if it does."""
    for i in range(len(seen.words)):
        found = _picture_at(ix, seen, i)
        if found is not None:
            return found
    return None


def _picture_at(ix: PictureIndex, seen: Seen, i: int) -> Name | None:
    """The plan's picture named from word ``i``, if it is named there."""
    words = seen.words
    span: tuple[int, int] | None = None
    picture = at(words, i, ix.pictures) or at(words, i, ix.draws)  # "draw our team"
    if picture is not None:
        end = i + len(picture)
        span = joined(ix, seen, i, end) or _owned(ix, seen, i, end, picture)
        if span is None and picture in ix.org_charts:
            span = _with_plan(ix, seen, i, end)
    elif (picture := at(words, i, ix.manners)) is not None:
        span = _visually(ix, seen, i, i + len(picture))
    return None if picture is None or span is None else Name(span[0], span[1], picture)


def _plans(seen: Seen) -> list[int]:
    """Where "plan" names the team plan: where the reader found it, or first in a clause
    ("plan org chart?", "plan as a picture pls")."""
    found = [] if seen.plan is None else [seen.plan]
    for c in sorted({seen.start, *seen.clauses}):
        if c < len(seen.words) and seen.words[c] == "plan":
            found.append(c)
    return found


def gap(ix: PictureIndex, words: Phrase, i: int, j: int) -> bool:
    """Whether words ``i``…``j`` only join what is on either side: at most ``MAX_LINKS`` link
    words, a question about the plan counting as one ("una imagen de cómo quedó el plan")."""
    count = 0
    while i < j:
        question = at(words[:j], i, ix.questions)
        if question is None and words[i] not in ix.gaps:
            return False
        i, count = i + (len(question) if question else 1), count + 1
    return count <= MAX_LINKS


def joined(ix: PictureIndex, seen: Seen, start: int, end: int) -> tuple[int, int] | None:
    """The span from the plan to the word at ``start``…``end`` when only links join them
    ("the plan as a list", "el plan de equipo, en lista", "can you show the plan? as a
    picture")."""
    for plan in _plans(seen):
        if plan < start and gap(ix, seen.words, plan + 1, start):
            return (plan, end)
        if plan >= end and gap(ix, seen.words, end, plan):
            return (start, _plan_end(ix, seen, plan))
    return None


def _plan_end(ix: PictureIndex, seen: Seen, plan: int) -> int:
    """Past the last word naming the plan at ``plan``: "plan *de equipo*", "plan *del equipo*"."""
    words = seen.words
    if plan + 1 >= len(words) or words[plan + 1] not in ix.qualifiers:
        return plan + 1
    k = plan + 2
    while k < len(words) and (words[k] in ix.the or words[k] in ix.mine):
        k += 1
    return k + 1 if k < len(words) and words[k] in ix.ours else plan + 1


def _owners(ix: PictureIndex, seen: Seen, first: int, last: int) -> list[tuple[int, int, bool]]:
    """Where the clause ``first``…``last`` says their own team or store, and whether it names a
    team: "our", "our team's", "nuestra tienda", "the team", "nosotros"."""
    words, found = seen.words, []
    other = seen.described or any(w in ix.generic for w in words[first:last])
    for i in range(first, last):
        word = words[i]
        if word in ix.us:
            found.append((i, i + 1, True))
        if word not in ix.mine and word not in ix.the:
            continue
        j = past(ix.between, words, i + 1, last)
        team = j < last and words[j] in ix.teams
        if team:
            j = past(ix.between, words, j + 1, last)  # "nuestro equipo actual"
        qualified = j < last and words[j] in ix.qualifiers  # "el equipo de contenido"
        if word in ix.the and (not team or other or qualified):
            continue  # "the chart", "the team for a Tmall agency", "the typical team"
        found.append((i, j, team))
    return found


def past(skipped: frozenset[str], words: Phrase, i: int, last: int) -> int:
    """The first word from ``i`` (before ``last``) that is not one of ``skipped``."""
    while i < last and words[i] in skipped:
        i += 1
    return i


def _owned(
    ix: PictureIndex, seen: Seen, start: int, end: int, picture: Phrase
) -> tuple[int, int] | None:
    """ "our (team's) org chart", "el organigrama de nuestra tienda", "a diagram of our team",
    "el equipo en forma de árbol", "draw our team": the span, if the picture is their team's."""
    first, last = clause_of(seen, start)
    words, org = seen.words, picture in ix.org_charts
    for owner, stop, team in _owners(ix, seen, first, last):
        if not team and not org:
            continue  # "our diagram" may be of anything; "our org chart" is of the team
        if stop <= start and gap(ix, words, stop, start):
            return (owner, end)
        followed = stop >= last or words[stop] in ix.after  # not "for the team meeting"
        if owner >= end and followed and gap(ix, words, end, owner):
            return (start, stop)
    return None


def _with_plan(ix: PictureIndex, seen: Seen, start: int, end: int) -> tuple[int, int] | None:
    """ "me armas un organigrama con lo que tenemos en el plan?": an org chart asked for in the
    clause that names the plan, of no team described, is the plan's."""
    first, last = clause_of(seen, start)
    if seen.plan is None or seen.described or not first <= seen.plan < last:
        return None
    asked = any(at(seen.words[:start], i, ix.requests) for i in range(first, start))
    return (start, end) if asked else None


def _visually(ix: PictureIndex, seen: Seen, start: int, end: int) -> tuple[int, int] | None:
    """ "quiero ver gráficamente cómo está armado nuestro equipo según el plan": a look at the
    plan or their team *as a picture*."""
    first, last = clause_of(seen, start)
    if seen.plan is not None and first <= seen.plan < last:
        return (start, end)
    return (start, end) if any(t for _, _, t in _owners(ix, seen, first, last)) else None
