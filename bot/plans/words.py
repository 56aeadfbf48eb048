"""Plan requests in plain words: "add 2 copywriters to the plan", "saca un diseñador del plan".

Reads what the understanding layer found in a message (its words, roles, store count, stage and
channels) against the ``plan: plain:`` words of the vocabulary, and returns the plan command the
message clearly asks for, or None. A manager acts on the answer, so this reads narrowly:

* a change or a look starts with its verb (after "please", "can you", "oops"…) and names the team
  plan ("the plan", "al plan"; not "el plan de marketing");
* the bare verbs ("undo", "deshacer") run without naming the plan, first or last in a short
  message that neither asks nor negates ("oops that was wrong, undo");
* a question about what the plan holds ("what does the plan say about designers?") shows it;
  any other question ("should I add a copywriter?", "do I need 2 designers?") is left alone.

Only the words are read here; the command classes are imported once a message is a request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.context import Knowledge
from bot.models import Message
from bot.plans.compiled import compiled
from bot.plans.grammar import MAX_COUNT, GrammarError, parse_count, read_int
from bot.requests import PlanRequest
from bot.understand import Understood
from bot.understand.normalize import tokens
from knowledge import Lang
from knowledge.vocab import ExportFormat, PlainPlanWords, PlanVerb, Words

if TYPE_CHECKING:
    from bot.plans.commands import PlanCommand

Phrase = tuple[str, ...]
#: Verbs read where they stand right before "the plan" in a longer message.
BEFORE_PLAN: frozenset[PlanVerb] = frozenset({"set", "export", "check", "show", "chart"})
#: Where one clause ends and the next starts (a dash too: "re: el plan — ahora dibújalo").
_CLAUSE = re.compile(r"[,.;:!?]+|[—–]+|\s-+\s")
#: The longest message a bare verb is read in ("oops, sorry, that was wrong, undo it").
BARE_WORDS = 8


def _phrases(words: Words) -> list[Phrase]:
    """Every phrase of ``words`` as a word tuple, longest first."""
    return sorted((tuple(w.split()) for w in words.all()), key=len, reverse=True)


def _starts(words: Phrase, phrases: list[Phrase]) -> Phrase | None:
    """The longest of ``phrases`` that ``words`` starts with."""
    return next((p for p in phrases if words[: len(p)] == p), None)


def _languages(groups: list[Words]) -> dict[Phrase, Lang | None]:
    """Each phrase's language; None for a phrase both languages use ("ok", "csv")."""
    langs: dict[Phrase, Lang | None] = {}
    for words in groups:
        for lang, word in words.pairs():
            phrase = tuple(word.split())
            langs[phrase] = lang if langs.get(phrase, lang) == lang else None
    return langs


def _contains(words: Phrase, phrases: list[Phrase]) -> bool:
    """True when one of ``phrases`` occurs in ``words``."""
    return any(words[i : i + len(p)] == p for p in phrases for i in range(len(words)))


@dataclass(frozen=True, slots=True)
class _Index:
    """The plain words compiled once: phrases as word tuples, verbs by first word."""

    verbs: dict[str, list[tuple[Phrase, PlanVerb]]]
    bare: frozenset[str]
    openers: list[Phrase]
    questions: list[Phrase]
    negations: list[Phrase]
    noun: frozenset[str]
    owners: frozenset[str]
    qualifiers: frozenset[str]
    ours: frozenset[str]
    asks: list[Phrase]
    needs: list[Phrase]
    history: list[Phrase]
    advice: list[Phrase]
    gaps: list[Phrase]
    filler: frozenset[str]
    every: frozenset[str]
    formats: list[tuple[Phrase, ExportFormat]]
    #: The picture words ("chart", "grafica"): a verb's word that is one is a noun before "plan".
    nouns: frozenset[Phrase]
    langs: dict[Phrase, Lang | None]

    @classmethod
    def build(cls, w: PlainPlanWords) -> _Index:
        """Compile ``w``."""
        verbs: dict[str, list[tuple[Phrase, PlanVerb]]] = {}
        for verb, words in w.verbs.items():
            for phrase in _phrases(words):
                verbs.setdefault(phrase[0], []).append((phrase, verb))
        for options in verbs.values():
            options.sort(key=lambda option: len(option[0]), reverse=True)
        return cls(
            verbs=verbs,
            bare=frozenset(w.bare.all()),
            openers=_phrases(w.openers),
            questions=_phrases(w.questions),
            negations=_phrases(w.negations),
            noun=frozenset(w.noun.all()),
            owners=frozenset(w.owners.all()),
            qualifiers=frozenset(w.qualifiers.all()),
            ours=frozenset(w.ours.all()),
            asks=_phrases(w.asks),
            needs=_phrases(w.needs),
            history=_phrases(w.history),
            advice=_phrases(w.advice),
            gaps=_phrases(w.gaps),
            filler=frozenset(w.filler.all()),
            every=frozenset(w.every.all()),
            formats=[(p, f) for f, words in w.formats.items() for p in _phrases(words)],
            nouns=frozenset(_phrases(w.picture.pictures)),
            langs=_languages([*w.verbs.values(), w.asks, w.advice, w.gaps, w.picture.asks]),
        )


def _index(words: PlainPlanWords) -> _Index:
    """The compiled index of ``words``."""
    return compiled(words, _Index.build)


@dataclass(frozen=True, slots=True)
class Verb:
    """The verb a request starts with, and where it stands."""

    verb: PlanVerb
    start: int
    words: Phrase


@dataclass(frozen=True, slots=True)
class Plain:
    """What a message asks of the plan: a command, or why it cannot be one."""

    command: PlanCommand | None
    error: GrammarError | None = None
    #: The language of the words that made it a plan request, when only one language has them
    #: ("deshacer" is Spanish even where nothing else in the message says so).
    lang: Lang | None = None


class Reader:
    """Reads one understood message against the plain plan words."""

    def __init__(self, words: PlainPlanWords, u: Understood) -> None:
        self.plain = words
        self.ix = _index(words)
        self.u = u
        self.words: Phrase = u.norm.words
        self.verb: Verb | None = None  # read by ``plan_at`` while the verb is being found
        self.clauses = self._clauses()
        self.start, self.verb = self._first_verb()

    def _first_verb(self) -> tuple[int, Verb | None]:
        """Where the request starts: the message's start, or the start of a later clause
        ("we just opened shop #3, update the plan to 3 stores"; "uy me equivoqué, deshaz eso")."""
        first = self._skip_openers(0)
        for start in (first, *self.clauses):
            at = self._skip_openers(start)
            verb = self._verb_at(at)
            if verb is not None:
                return at, verb
        # "… can you update the plan to 4 stores?": a verb right before the plan it names.
        plan = self.plan_at()
        for at in (plan - 2, plan - 3) if plan is not None else ():
            verb = self._verb_at(at) if at >= 0 else None
            # "the org chart of our plan": "chart" is the picture, not the verb "chart"
            if verb is not None and verb.verb in BEFORE_PLAN and verb.words not in self.ix.nouns:
                return at, verb
        return first, None

    def _clauses(self) -> list[int]:
        """The word positions where a clause starts after a comma, full stop or question mark."""
        starts, count = [], 0
        for piece in _CLAUSE.split(self.u.norm.folded)[:-1]:
            count += len(tokens(piece))
            starts.append(count)
        return [i for i in starts if 0 < i < len(self.words)]

    def read(self) -> Plain | None:
        """The plan request the message makes, or None when it is not one."""
        verb = self.verb
        from bot.plans.forms import asked_form
        from bot.plans.picture import picture_request

        picture = picture_request(self)  # "send me the plan chart", "draw our org chart"
        if picture is not None:
            return picture
        form = asked_form(self)  # "the plan as a list": show; "el plan como archivo": export
        if form is not None:
            return self._said(self._command(form), form.words)
        named = self._names_plan()
        if verb is not None and (named or self._bare_ok(verb)):
            return self._said(self._command(verb), verb.words)
        if verb is None and named:
            ask = _starts(self.words[self.start :], self.ix.asks)
            if ask is not None and not self._needs() and self._plan_in_clause(self.start):
                return self._said(Plain(self._show()), ask)
            advice = self._advice()
            if advice is not None:
                from bot.plans.commands.engine import Recommend

                return self._said(Plain(Recommend()), advice)
            gap = next((p for p in self.ix.gaps if _contains(self.words, [p])), None)
            if gap is not None:
                from bot.plans.commands.engine import Check

                return self._said(Plain(Check()), gap)
        bare = self._bare_at_end()
        if verb is None and bare is not None and self._bare_ok(bare):
            return self._said(self._command(bare), bare.words)
        return None

    def _plan_in_clause(self, i: int) -> bool:
        """ "what does the copywriter do? he's in the plan": the plan is not what it asks about."""
        plan = self.plan_at()
        ends = [c for c in self.clauses if c > i]
        return plan is not None and plan < (ends[0] if ends else len(self.words))

    def _said(self, plain: Plain | None, phrase: Phrase) -> Plain | None:
        """``plain`` in the language of the phrase that made it a request."""
        if plain is None:
            return None
        return replace(plain, lang=self.ix.langs.get(phrase))

    # --- where things stand ------------------------------------------------------------------

    def _skip_openers(self, i: int) -> int:
        while (found := _starts(self.words[i:], self.ix.openers)) is not None:
            i += len(found)
        return i

    def _verb_at(self, i: int) -> Verb | None:
        """The verb phrase whose first word is word ``i`` and whose other words follow it."""
        if i >= len(self.words):
            return None
        for phrase, verb in self.ix.verbs.get(self.words[i], ()):
            rest, after = list(phrase[1:]), self.words[i + 1 :]
            if all(word in after for word in rest):
                return Verb(verb, i, phrase)
        return None

    def _bare_at_end(self) -> Verb | None:
        """ "oops that was wrong, undo": a bare verb as the last word."""
        last = len(self.words) - 1
        if last <= self.start or self.words[last] not in self.ix.bare:
            return None
        if "?" in self.u.norm.clean or _starts(self.words[self.start :], self.ix.questions):
            return None
        return self._verb_at(last)

    def _bare_ok(self, verb: Verb) -> bool:
        """A bare verb runs alone only in a short message with no "not" in it."""
        # "ah no, undo the last change": a "no" before the verb's clause is not its negation.
        return (
            " ".join(verb.words) in self.ix.bare
            and len(self.words) <= BARE_WORDS
            and not _contains(self.words[self._clause_of(verb.start) :], self.ix.negations)
        )

    def _clause_of(self, i: int) -> int:
        """Where the clause holding word ``i`` starts."""
        return max((c for c in (0, *self.clauses) if c <= i), default=0)

    def plan_at(self) -> int | None:
        """Where the message names the team plan ("the plan", "el plan del equipo"), if it does."""
        ix, words = self.ix, self.words
        for i, word in enumerate(words):
            # "the plan", "al plan"; or "plan" right after the verb ("export plan").
            if (
                word not in ix.noun
                or i == 0
                or words[i - 1] not in (*ix.owners, *self._verb_word())
            ):
                continue
            if i + 1 < len(words) and words[i + 1] in ix.qualifiers:
                after = [w for w in words[i + 2 :] if w not in ix.owners]
                if not after or after[0] not in ix.ours:
                    continue  # "el plan de marketing", "the plan of action"
            return i
        return None

    def _verb_word(self) -> tuple[str, ...]:
        """The word the verb stands at, when the message starts with one."""
        return (self.words[self.verb.start],) if self.verb is not None else ()

    def _names_plan(self) -> bool:
        return self.plan_at() is not None

    def _advice(self) -> Phrase | None:
        """ "what would you recommend for our plan?": the recommend word it uses, if any."""
        return next((p for p in self.ix.advice if _contains(self.words, [p])), None)

    def _needs(self) -> bool:
        """ "how many designers does the plan need?" asks what it should hold, not what it does."""
        return _contains(self.words[self.start :], self.ix.needs)

    # --- the command -------------------------------------------------------------------------

    def _show(self) -> PlanCommand:
        from bot.plans.commands.basics import Show
        from bot.plans.commands.history import History

        return History() if _contains(self.words, self.ix.history) else Show()

    def _command(self, verb: Verb) -> Plain | None:
        from bot.plans.commands.basics import Reset
        from bot.plans.commands.engine import Check, Recommend
        from bot.plans.commands.history import Undo

        match verb.verb:
            case "show":
                return Plain(self._show())
            case "check":
                return Plain(Check())
            case "recommend":
                return Plain(Recommend())
            case "undo":
                return Plain(Undo())
            case "export":
                return Plain(self._export())
            case "lock":
                from bot.plans.commands.admin import Lock

                return Plain(Lock())
            case "unlock":
                from bot.plans.commands.admin import Unlock

                return Plain(Unlock())
            case "history":
                from bot.plans.commands.history import History

                return Plain(History())
            case "chart":
                from bot.plans.commands.chart import ChartCommand

                return Plain(ChartCommand())
            case "reset" if self.u.roles:
                return self._role_change(verb)  # "clear the designers from the plan"
            case "reset":
                return Plain(Reset())
            case "add" | "remove" | "set":
                return self._role_change(verb)
        return None

    def _export(self) -> PlanCommand:
        from bot.plans.commands.export import Export

        found = [f for phrase, f in self.ix.formats if _contains(self.words, [phrase])]
        return Export(format=found[0] if found else "md")

    def _role_change(self, verb: Verb) -> Plain | None:
        """ "add 2 copywriters…", "take one designer off…", "set designers to 3…"."""
        hits = [h for h in self.u.roles if h.start > verb.start]
        after = verb.start + len(verb.words)
        whole = after < len(self.words) and self.words[after] in self.ix.every
        if verb.verb == "remove" and whole and not hits and self._names_plan():
            from bot.plans.commands.basics import Reset

            return Plain(Reset())  # "borra todo el plan": asks before emptying it
        if len(hits) > 1:
            return _refused(verb, GrammarError("plan.one_role"))
        if hits:
            return self._counted(verb, hits[0].role, *self._count(hits[0].start, hits[0].end))
        from bot.plans.commands.context import context_change

        # "update the plan to 3 stores", "en el plan pon que estamos empezando"
        context_verb = verb.verb == "set" or (verb.verb == "add" and not self.u.channels)
        if context_verb and (context := context_change(self.u)) is not None:
            return Plain(context)
        if verb.verb == "add" and self.u.channels:
            from bot.plans.commands.context import Channels

            # "add douyin and kuaishou to the plan('s channels)": more channels, not a role
            return Plain(Channels(channels=tuple(self.u.channels), adding=True))
        role, count = self._other_words(verb)
        if role and (self.u.stores is not None or self.u.stage or self.u.channels):
            # "add live streaming to the plan": what the plan is for, not a role
            return _refused(verb, GrammarError("plan.not_a_role", term=role[:40]))
        if verb.verb == "remove" and not role:
            from bot.plans.commands.basics import Reset

            return Plain(Reset())  # "delete (all) the plan": asks before emptying it
        if not role:
            return _refused(verb, GrammarError("plan.need_role"))
        return self._counted(verb, role, count, every=False)

    def _counted(self, verb: Verb, role: str, count: str | None, every: bool) -> Plain:
        """The role command for ``verb`` with the number given (1 when none; all of them)."""
        from bot.plans.commands.roles import Add, Remove, Set

        if verb.verb == "reset" or (every and verb.verb == "remove"):
            return Plain(Set(role=role, count=0))  # "remove all designers from the plan"
        try:
            number = None if count is None else parse_count(count, self.u.lang)
        except GrammarError as exc:
            return _refused(verb, exc)
        if number is None and verb.verb == "set":
            return _refused(verb, GrammarError("plan.bad_count", given="", max=MAX_COUNT))
        kind = {"add": Add, "remove": Remove, "set": Set}[verb.verb]
        return Plain(kind(role=role, count=1 if number is None else number))

    def _count(self, start: int, end: int) -> tuple[str | None, bool]:
        """The number written next to a role ("2 more copywriters", "designers to 3"), and
        whether it says all of them ("all the designers", "todos los diseñadores")."""
        ix, words, lang = self.ix, self.words, self.u.lang
        before = [w for w in reversed(words[:start]) if w not in ix.filler]
        after = [w for w in words[end:] if w not in ix.filler]
        for near in (before[:1], after[:1]):
            if near and _is_number(near[0], lang):
                return near[0], False
        return None, bool(before) and before[0] in ix.every

    def _other_words(self, verb: Verb) -> tuple[str, str | None]:
        """The words naming an unknown role ("unicorns"), and the number given with them."""
        ix, lang = self.ix, self.u.lang
        plan = self.plan_at()
        skip = {plan - 1, plan} if plan is not None else set()
        words = [
            w
            for i, w in enumerate(self.words)
            if i > verb.start and i not in skip and w not in ix.filler and w not in verb.words
        ]
        numbers = [w for w in words if _is_number(w, lang)]
        named = [w for w in words if not _is_number(w, lang)]
        return " ".join(named), numbers[0] if numbers else None


def _is_number(word: str, lang: Lang) -> bool:
    return read_int(word, lang) is not None


def _refused(verb: Verb, error: GrammarError) -> Plain:
    """A request for ``verb`` that cannot be run as asked, and why."""
    error.verb = verb.verb
    return Plain(None, error)


def plain_command(words: PlainPlanWords, u: Understood) -> Plain | None:
    """The plan command a message asks for in plain words, or None when it asks for none."""
    return Reader(words, u).read()


def _stated_cost(k: Knowledge, u: Understood) -> Plain | None:
    """ "art costs 6000 a month", "our currency is MXN": the salary or currency command."""
    from bot.plans.cost_words import cost_command

    found = cost_command(k.vocab, u)
    if isinstance(found, GrammarError):
        return Plain(None, found)
    return None if found is None else Plain(found)


def plain_request(k: Knowledge, message: Message, u: Understood) -> PlanRequest | None:
    """The plan request a message makes in plain words; None for typed commands ("plan add…")
    and for every message that asks no plan command."""
    if k.lexicon.intents.plan_start.search(" ".join(u.norm.words)):
        return None
    found = _stated_cost(k, u) or plain_command(k.vocab.plan.plain, u)
    if found is None:
        return None
    return PlanRequest(
        origin=message,
        lang=u.lang,
        entities=u.entities(),
        text=message.text,
        command=found.command,
        error=found.error,
        words_lang=found.lang or u.lang,
        plain=True,
    )
