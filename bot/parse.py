"""Chat text to a typed request: understand the message, then build the request its intent asks.

Follow-ups ("and with live streaming?") are read against the conversation's last sizing
question. Every other entry point (slash options, buttons, the command line) builds requests
directly and skips this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from bot.context import Knowledge
from bot.conversation import (
    Memory,
    WhyWords,
    button_request,
    context_of,
    is_follow_up,
    merged,
    why_request,
)
from bot.models import Entities, Message, Origin
from bot.requests import (
    CompareRoles,
    Empty,
    Help,
    PlanRequest,
    Request,
    RoleLookup,
    SizeRefused,
    SizeTeam,
    SizingContext,
    TeamRoles,
    TooLong,
    Unknown,
    WhoDoes,
)
from bot.understand import Understood, normalize
from knowledge import Lang
from knowledge.vocab import Intent

#: Messages longer than this are refused politely (a paste, not a question).
MAX_CHARS = 2000

Builder = Callable[[Knowledge, Message, Understood], Request]


class _Common(TypedDict):
    origin: Origin
    lang: Lang
    entities: Entities
    text: str


def _common(message: Message, u: Understood) -> _Common:
    return {"origin": message, "lang": u.lang, "entities": u.entities(), "text": message.text}


def _role_duties(k: Knowledge, message: Message, u: Understood) -> Request:
    term = ""
    if not u.roles:
        match = k.lexicon.intents.role_term.search(" ".join(u.norm.words))
        term = match.group(1).strip() if match else ""
    hint = " ".join(u.norm.words)
    return RoleLookup(**_common(message, u), roles=u.role_ids, term=term, hint=hint)


def _who_does(k: Knowledge, message: Message, u: Understood) -> Request:
    return WhoDoes(**_common(message, u), matches=u.duties, named=u.role_ids)


def _compare(k: Knowledge, message: Message, u: Understood) -> Request:
    return CompareRoles(**_common(message, u), roles=u.role_ids)


def _team_roles(k: Knowledge, message: Message, u: Understood) -> Request:
    template = k.kb.templates[u.team].id if u.team in k.kb.templates else "essentials"
    return TeamRoles(**_common(message, u), template=template)


def _help(k: Knowledge, message: Message, u: Understood) -> Request:
    return Help(**_common(message, u))


def _unknown(k: Knowledge, message: Message, u: Understood) -> Request:
    return Unknown(**_common(message, u), words=u.norm.words, roles=u.role_ids)


def _plan(k: Knowledge, message: Message, u: Understood) -> Request:
    from bot.plans.parse import plan_request

    return plan_request(message.text, message, u.lang, k, u.entities())


def size_request(
    origin: Origin, lang: Lang, context: SizingContext, entities: Entities, text: str = ""
) -> SizeTeam | SizeRefused:
    """A sizing request from what a question (and the ones before it) said."""
    from bot.sizing.inputs import SizingError, parse_input

    stores = context.stores if context.stores is not None else 1
    common: _Common = {"origin": origin, "lang": lang, "entities": entities, "text": text}
    try:
        inp = parse_input(
            stores=stores,
            stage=context.stage,
            channels=list(context.channels),
            **context.workload.given(),
        )
    except SizingError as exc:
        return SizeRefused(**common, error=exc)
    return SizeTeam(
        **common,
        input=inp,
        focus=list(context.roles),
        stores_assumed=context.stores is None,
        context=context,
    )


BUILDERS: dict[Intent, Builder] = {
    "role_duties": _role_duties,
    "who_does": _who_does,
    "compare_roles": _compare,
    "team_roles": _team_roles,
    "help": _help,
    "unknown": _unknown,
    "plan": _plan,
}


class Parser:
    """Reads messages against one knowledge base, with one conversation memory."""

    def __init__(self, knowledge: Knowledge, memory: Memory) -> None:
        self.knowledge = knowledge
        self.memory = memory
        self.why = WhyWords(knowledge.vocab)

    def parse(self, message: Message) -> Request:
        """The request a chat message stands for."""
        raw = message.text or ""
        k = self.knowledge
        if len(raw) > MAX_CHARS:
            # Only the start is read, to pick the language of the refusal.
            lang = k.understander.language(raw[:MAX_CHARS], message.default_lang)
            return TooLong(origin=message, lang=lang, length=len(raw), limit=MAX_CHARS)
        norm = normalize(raw)
        if not norm.words:
            return Empty(origin=message, lang=message.default_lang or "en", text=raw)
        asked = self.why.asked(norm.words)
        if asked is not None:  # "why?": about the answer just before, whatever it was
            return why_request(self.memory, message, asked, raw)
        u = k.understander.read(norm, message.default_lang)
        return self._from_understood(message, u)

    def parse_button(self, value: str, origin: Origin) -> Request:
        """The request behind a suggestion button: a plan command runs as it is."""
        from bot.buttons import explained_of, plan_command_of
        from bot.plans.parse import parse_command

        explained = explained_of(value)
        if explained is not None:
            return button_request(origin, *explained)
        plan = plan_command_of(value)
        if plan is None:
            return self.parse(Message(text=value, **origin.model_dump(exclude={"text"})))
        lang, words = plan
        command, error, _ = parse_command(words, self.knowledge, lang)
        return PlanRequest(
            origin=origin, lang=lang, text=f"plan {words}", command=command, error=error
        )

    def _from_understood(self, message: Message, u: Understood) -> Request:
        previous = self.memory.last(message)
        if previous is not None and is_follow_up(u):
            context = merged(previous, context_of(u))
            return size_request(message, u.lang, context, context.entities(), message.text)
        if u.scored.intent == "team_size":
            return size_request(message, u.lang, context_of(u), u.entities(), message.text)
        return BUILDERS[u.scored.intent](self.knowledge, message, u)
