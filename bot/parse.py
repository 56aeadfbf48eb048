"""Chat text to a typed request: understand the message, then build the request its intent asks.

Follow-ups ("and with live streaming?") are read against the conversation's last sizing
question. Every other entry point (slash options, buttons, the command line) builds requests
directly and skips this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypedDict

from bot.context import Knowledge
from bot.conversation import (
    Memory,
    WhyWords,
    asked_roles,
    button_request,
    context_of,
    is_follow_up,
    merged,
    why_request,
)
from bot.models import Entities, Message, Origin
from bot.requests import (
    CompareRoles,
    Decision,
    DecisionKind,
    Empty,
    Help,
    PlanRequest,
    Request,
    RoleFact,
    RoleLookup,
    SizeRefused,
    SizeTeam,
    SizingContext,
    SmallTalk,
    SmallTalkKind,
    TeamRoles,
    TooLong,
    Unknown,
    WhoDoes,
)
from bot.understand import Understood, normalize
from bot.whatif import asks_comparison, what_if
from knowledge import Lang
from knowledge.vocab import Intent

if TYPE_CHECKING:
    from bot.sizing.inputs import SizingInput

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
    return WhoDoes(**_common(message, u), matches=u.duties, named=u.named_in_task)


def _compare(k: Knowledge, message: Message, u: Understood) -> Request:
    return CompareRoles(**_common(message, u), roles=u.role_ids)


def _team_roles(k: Knowledge, message: Message, u: Understood) -> Request:
    from bot.plans.picture import names_org_chart

    template = k.kb.templates[u.team].id if u.team in k.kb.templates else "essentials"
    org_chart = names_org_chart(k.vocab.plan.plain, u.norm.words)
    return TeamRoles(**_common(message, u), template=template, org_chart=org_chart)


def _help(k: Knowledge, message: Message, u: Understood) -> Request:
    return Help(**_common(message, u))


def _unknown(k: Knowledge, message: Message, u: Understood) -> Request:
    off_topic = "off_topic" in u.cues or "off_topic_soft" in u.cues
    return Unknown(**_common(message, u), words=u.norm.words, roles=u.role_ids, off_topic=off_topic)


def _role_fact(k: Knowledge, message: Message, u: Understood) -> Request:
    facet = u.scored.intent
    assert facet in ("reports_to", "hiring", "kpi", "pay")
    return RoleFact(**_common(message, u), facet=facet, roles=u.role_ids)


def _decision_kind(u: Understood) -> DecisionKind:
    cues = u.cues.anywhere
    for kind in ("enough", "combine", "first", "outsource"):
        if f"decision_{kind}" in cues:
            return kind
    return "enough" if u.headcount is not None else "need"


def _decision(k: Knowledge, message: Message, u: Understood) -> Request:
    kind = _decision_kind(u)
    asked = asked_roles(u)  # "is one person packing enough for 100 orders a day?": packers
    roles = asked
    if kind == "combine" and len(roles) == 1 and u.duties and u.duties[0].role not in roles:
        # "does the photographer also edit the videos?": the task's owner is part of it.
        roles = [*roles, u.duties[0].role]
    common = _common(message, u)
    common["entities"] = u.entities(roles=roles)
    return Decision(
        **common,
        kind=kind,
        roles=asked,
        context=context_of(u),
        proposed=u.headcount,
        matches=u.duties,
    )


def _small_talk(k: Knowledge, message: Message, u: Understood) -> Request:
    kinds = [c for c in SMALL_TALK_KINDS if c in u.cues.anywhere]
    return SmallTalk(**_common(message, u), kind=kinds[0] if kinds else "ok")


def _plan(k: Knowledge, message: Message, u: Understood) -> Request:
    from bot.plans.parse import plan_request

    return plan_request(message.text, message, u.lang, k, u.entities())


def _plain_plan(k: Knowledge, message: Message, u: Understood) -> PlanRequest | None:
    """A plan command asked for in plain words ("add 2 copywriters to the plan"), if any."""
    from bot.plans.words import plain_request

    return plain_request(k, message, u)


def sizing_input(context: SizingContext) -> SizingInput:
    """The sizing engine's input for what a question said; :class:`SizingError` when a figure
    cannot be used: an unreadable number ("1e309 stores"), or one out of range (any store
    option, not only the first)."""
    from bot.sizing.inputs import FIELDS, SizingError, bounds_of, parse_input

    count = context.store_count
    if count.unreadable:
        raise SizingError("stores", FIELDS["stores"].allowed, count.typed, bounds_of("stores"))
    if unreadable := context.workload.unreadable():
        field, typed = unreadable[0].field, unreadable[0].typed
        raise SizingError(field, FIELDS[field].allowed, typed, bounds_of(field))
    _check_percentages(context)
    stores = context.stores if context.stores is not None else 1
    for other in (n for n in count.options if n != stores):
        parse_input(stores=other)
    return parse_input(
        stores=stores,
        stage=context.stage,
        channels=list(context.channels),
        # The plan's ratios first: a ratio the question gives replaces the plan's.
        **(dict(context.plan_ratios) | context.workload.given()),
    )


def _check_percentages(context: SizingContext) -> None:
    """Refuse a percentage out of its range in the user's terms ("0%–100%", "you gave 150%"),
    not as the engine's share (0–1, 1.5)."""
    from bot.sizing.inputs import SizingError, bounds_of

    for ratio in context.workload.ratios_used():
        bounds = bounds_of(ratio.field)
        if not ratio.percent or ratio.value is None or bounds is None:
            continue
        low, high = bounds
        if not low <= ratio.value <= high:
            allowed = f"{low * 100:g}%–{high * 100:g}%"
            raise SizingError(ratio.field, allowed, f"{ratio.typed}%")


def size_request(
    origin: Origin, lang: Lang, context: SizingContext, entities: Entities, text: str = ""
) -> SizeTeam | SizeRefused:
    """A sizing request from what a question (and the ones before it) said."""
    from bot.sizing.inputs import SizingError

    common: _Common = {"origin": origin, "lang": lang, "entities": entities, "text": text}
    try:
        inp = sizing_input(context)
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
    "reports_to": _role_fact,
    "hiring": _role_fact,
    "kpi": _role_fact,
    "pay": _role_fact,
    "decision": _decision,
    "smalltalk": _small_talk,
}

#: Small-talk kinds in the order they win when a message has several ("ok thanks, bye").
SMALL_TALK_KINDS: tuple[SmallTalkKind, ...] = ("bye", "thanks", "sorry", "ok")


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
        self.memory.heard(message)
        # A message with no language of its own ("ok", "perdón"?) continues the conversation's.
        default = self.memory.lang(message) or message.default_lang
        if len(raw) > MAX_CHARS:
            return self._too_long(message, raw, default)
        norm = normalize(raw)
        if not norm.words:
            files = message.files > 0
            return Empty(origin=message, lang=default or "en", text=raw, files=files)
        asked = self.why.asked(norm.words)
        if asked is not None:  # "why?": about the answer just before, whatever it was
            return why_request(self.memory, message, asked, raw)
        u = k.understander.read(norm, default)
        return self._from_understood(message, u)

    def parse_button(self, value: str, origin: Origin) -> Request:
        """The request behind a suggestion button: a plan command runs as it is."""
        from bot.buttons import explained_of, plan_command_of
        from bot.plans.parse import parse_command

        if len(value) > MAX_CHARS:  # before any pattern reads it, as for typed text
            return self._too_long(origin, value, origin.default_lang)
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

    def _too_long(self, origin: Origin, text: str, default: Lang | None) -> TooLong:
        """The refusal of a text longer than ``MAX_CHARS``; only its start is read, to pick the
        language of the refusal (every pattern's cost grows with the text it reads)."""
        lang = self.knowledge.understander.language(text[:MAX_CHARS], default)
        return TooLong(origin=origin, lang=lang, length=len(text), limit=MAX_CHARS)

    def _from_understood(self, message: Message, u: Understood) -> Request:
        plan = _plain_plan(self.knowledge, message, u)
        if plan is not None:
            return plan
        previous = self.memory.last(message)
        if asks_comparison(u):
            # "compare 2 and 3 stores" is a question of its own; a what-if or "and …" refines
            # the one just asked.
            relative = "what_if" in u.cues or "follow_up" in u.cues.starts
            return what_if(message, u.lang, u, previous if relative else None, message.text)
        if previous is not None and is_follow_up(u):
            context = merged(previous, context_of(u))
            return size_request(message, u.lang, context, context.entities(), message.text)
        if u.scored.intent == "team_size":
            context = context_of(u)
            entities = u.entities(roles=list(context.roles))
            return size_request(message, u.lang, context, entities, message.text)
        return BUILDERS[u.scored.intent](self.knowledge, message, u)
