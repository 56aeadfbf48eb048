"""The plan as text in the chat or as a file, asked for in plain words: "just give me the plan
as a list", "pásame el plan en texto plano" → ``plan show``; "can I get the team plan as a
spreadsheet?", "bájame el plan como archivo" → ``plan export``.

A form word (``plan: plain: forms:`` ``texts``, ``files``, and the export ``formats``) names the
form when it is joined to "the plan" by link words, as the plan's picture is (``picture.py``):
"the plan as a list", "el plan en un archivo .csv", "el plan de equipo, en lista porfa". One of
``without`` before it ("no chart needed", "sin gráfico", "instead of text") says the form is not
wanted. It is asked for as the picture is: a look verb, one of the picture's ``asks`` ("give",
"get", "pásame"), a question about what the plan holds, or nothing but the name.

The picture is read first ("the plan as a picture instead of text" draws it); a file wins over
text; text wins over an export verb that only hands something over ("pásame el plan en texto")
but not over "export" itself ("export the plan as a table" exports it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.plans.picture import asked_name
from bot.plans.picture_words import Name, Phrase, PictureIndex, Seen, at, phrases, picture_index
from bot.plans.whose import joined
from knowledge.vocab import PlainPlanWords, PlanVerb

if TYPE_CHECKING:
    from bot.plans.words import Reader, Verb

#: The most words between a form and the "no" or "sin" that refuses it ("no, not the list").
REFUSED_WITHIN = 3


@dataclass(frozen=True, slots=True)
class FormIndex:
    """The form words compiled once: the forms in the order they win, and the refusals."""

    forms: tuple[tuple[PlanVerb, list[Phrase]], ...]
    without: list[Phrase]

    @classmethod
    def build(cls, w: PlainPlanWords) -> FormIndex:
        """Compile the form words of ``w``."""
        files = phrases([w.forms.files.all(), *(f.all() for f in w.formats.values())])
        texts = phrases([w.forms.texts.all()])
        return cls(
            forms=(("export", files), ("show", texts)), without=phrases([w.forms.without.all()])
        )


_compiled: dict[int, tuple[PlainPlanWords, FormIndex]] = {}


def form_index(words: PlainPlanWords) -> FormIndex:
    """The compiled form words of ``words`` (kept with them: a vocabulary is loaded once)."""
    hit = _compiled.get(id(words))
    if hit is None or hit[0] is not words:
        hit = (words, FormIndex.build(words))
        _compiled[id(words)] = hit
    return hit[1]


def asked_form(reader: Reader) -> Verb | None:
    """``show`` or ``export`` when the message ``reader`` reads asks for the plan as text or as
    a file, with the words that asked for it (their language is the reply's)."""
    from bot.plans.words import Verb

    seen, ix, fx = Seen.of(reader), picture_index(reader.plain), form_index(reader.plain)
    for verb, forms in fx.forms:
        if verb == "show" and seen.verb == "export" and seen.verb_words not in ix.asks:
            continue  # "export the plan as a table" exports it
        phrase = _asked(ix, fx, seen, forms)
        if phrase is not None:
            return Verb(verb, seen.start, phrase)
    return None


def _asked(ix: PictureIndex, fx: FormIndex, seen: Seen, forms: list[Phrase]) -> Phrase | None:
    """The phrase asking for the plan in one of ``forms``, if one is named and asked for."""
    words = seen.words
    for i in range(len(words)):
        form = at(words, i, forms)
        if form is None or _refused(ix, fx, words, i):
            continue
        span = joined(ix, seen, i, i + len(form))
        asked = None if span is None else asked_name(ix, seen, Name(*span, form))
        if asked is not None:
            return asked
    return None


def _refused(ix: PictureIndex, fx: FormIndex, words: Phrase, i: int) -> bool:
    """ "no chart needed", "sin gráfico", "in a picture, not the list": the form at ``i`` is
    not wanted."""
    for k in range(max(0, i - REFUSED_WITHIN), i):
        refusal = at(words, k, fx.without)
        if refusal is not None and all(w in ix.links for w in words[k + len(refusal) : i]):
            return True
    return False
