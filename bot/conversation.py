"""What was said a minute ago: the last sizing question of each user, for follow-ups.

"how many people for two stores?" then "and with live streaming?" sizes two stores with live
streaming, and "why?" right after a sizing answer explains it. Only sizing (and the language) is
remembered, in a store: the process's own bounded memory, or the database replicas share
(``bot.conversation_store``).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.conversation_store import (
    CAPACITY,
    Asked,
    Conversation,
    ConversationStore,
    Key,
    LocalConversations,
)
from bot.models import Entities, Origin
from bot.requests import SizeDetails, SizeTeam, SizingContext
from bot.understand import StoreCount, Understood
from knowledge import RoleId
from knowledge.vocab import CHANNELS, LANGS, Lang, Vocabulary

#: A sizing question is refined by follow-ups for this long, and for this many messages after
#: it; then "and with live?" starts afresh instead of reusing a question the user moved on from.
CONTEXT_SECONDS = 30 * 60
CONTEXT_TURNS = 4


def key_of(origin: Origin) -> Key:
    """One conversation per user of a workspace on a platform."""
    return (origin.platform, origin.workspace, origin.user)


def _follow_up_stores(u: Understood) -> int | None:
    """ "and for three?": a follow-up's lone number is a store count, though no "stores"."""
    # "and with 3% returns?": a ratio's number is not a store count.
    if (
        u.stores is None
        and "follow_up" in u.cues.starts
        and u.bare_number
        and not u.workload.ratios
    ):
        return u.bare_number
    return u.stores


#: How well the task of a sizing question must match a role's duties to name that role
#: ("how many people to pack 1,500 orders a week?" asks about packers).
TASK_ROLE = 0.8


def asked_roles(u: Understood) -> list[RoleId]:
    """The roles a question names, or the role whose task it names when it names none."""
    if u.role_ids or not u.duties or u.duties[0].score < TASK_ROLE:
        return u.role_ids
    if "whole_store" in u.cues or u.channels or u.team is not None:
        return u.role_ids  # the store, the channels or a team shape: the whole team
    if len(u.duties) > 1 and u.duties[1].score >= TASK_ROLE * u.duties[0].score:
        return u.role_ids  # "to run a store": several roles' task, so the whole team
    return [u.duties[0].role]


def context_of(u: Understood) -> SizingContext:
    """The sizing-relevant part of a message."""
    stores = _follow_up_stores(u)
    count = u.store_count if stores == u.stores else StoreCount((stores,) if stores else ())
    return SizingContext(
        stores=stores,
        stage=u.stage,
        channels=tuple(u.channels),
        workload=u.workload,
        roles=tuple(asked_roles(u)),
        team=u.team,
        store_count=count,
    )


def is_follow_up(u: Understood) -> bool:
    """True when a short message only refines the previous sizing question."""
    refines = bool(
        _follow_up_stores(u) is not None
        or u.store_count.typed  # "and for 1e309 stores?" is refused, not a new question
        or u.channels
        or u.stage is not None
        or u.workload.said
    )
    if not refines or u.scored.intent not in ("team_size", "team_roles", "unknown"):
        return False
    starts = "follow_up" in u.cues.starts  # "and …", "y si …"
    # "and with live streaming?" / "y si son tres tiendas?" refine; a full question does not.
    return starts or (u.scored.score < 0.8 and len(u.norm.words) <= 4)


def with_plan(asked: SizingContext, plan: SizingContext) -> SizingContext:
    """What a question asked, with the plan's stores, stage, channels and sizing ratios where it
    said none; ``from_plan`` names the figures taken from the plan."""
    own = asked.workload.given()
    ratios = tuple((f, v) for f, v in plan.plan_ratios if f not in own)
    taken = tuple(
        name
        for name, mine, theirs in (
            ("stores", asked.stores, plan.stores),
            ("stage", asked.stage, plan.stage),
            ("channels", asked.channels, plan.channels),
        )
        if not mine and theirs
    ) + (("ratios",) if ratios else ())
    return replace(
        asked,
        stores=asked.stores or plan.stores,
        stage=asked.stage or plan.stage,
        channels=asked.channels or plan.channels,
        from_plan=taken,
        plan_ratios=ratios,
    )


def merged(prev: SizingContext, new: SizingContext) -> SizingContext:
    """The previous question's figures, updated by what the follow-up says.

    Figures the plan filled in are left for the plan to fill again, unless the follow-up gives
    its own store count (then the plan is not read): the plan may have changed since ("plan
    stores 3" between the question and "and with live?"), and the answer says what it took.
    Channels the follow-up adds join the ones the last answer used.
    """
    # A new store count, even an unreadable one ("and for 1e309?"), replaces the old one.
    newer_count = new.stores is not None or bool(new.store_count.typed)
    refill = () if newer_count else prev.from_plan
    stores = None if "stores" in refill else prev.stores
    stage = None if "stage" in refill else prev.stage
    channels = set(new.channels)
    if new.channels or "channels" not in refill:
        channels |= set(prev.channels)
    return SizingContext(
        stores=new.stores if newer_count else stores,
        store_count=new.store_count if newer_count else prev.store_count,
        stage=new.stage or stage,
        channels=tuple(c for c in CHANNELS if c in channels),
        workload=prev.workload.updated(new.workload),
        roles=new.roles or prev.roles,
        team=new.team or prev.team,
    )


@dataclass(frozen=True, slots=True)
class WhyAsked:
    """A message that asks for the reasoning; ``lang`` is None when its words are in both."""

    lang: Lang | None


class WhyWords:
    """The vocabulary's ways of asking "why?", matched against a whole message."""

    def __init__(self, vocab: Vocabulary) -> None:
        words = vocab.conversation.details
        self.phrases: dict[tuple[str, ...], Lang | None] = {}
        for lang in LANGS:
            for phrase in words.get(lang):
                key = tuple(phrase.split())
                self.phrases[key] = lang if self.phrases.get(key, lang) == lang else None
        extra = {tuple(w.split()) for w in vocab.conversation.details_extra.all()}
        self.extra = sorted(extra, key=len, reverse=True)
        self.longest = max(map(len, self.phrases)) + 4

    def _trim(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """``words`` without the allowed extras at either end ("ok so why?" -> "why")."""
        while words not in self.phrases:
            for extra in self.extra:
                n = len(extra)
                if len(words) > n and words[:n] == extra:
                    words = words[n:]
                    break
                if len(words) > n and words[-n:] == extra:
                    words = words[:-n]
                    break
            else:
                return words  # nothing left to trim
        return words

    def asked(self, words: tuple[str, ...]) -> WhyAsked | None:
        """How the message asks "why?", or None when it is any other message."""
        if not words or len(words) > self.longest:
            return None
        trimmed = self._trim(words)
        if trimmed not in self.phrases:
            return None
        return WhyAsked(self.phrases[trimmed])


#: Turns read but not yet answered that a process keeps open (``Bot.parse`` without
#: ``Bot.handle``: the oldest is saved as it is beyond this).
OPEN_TURNS = 64


class Memory:
    """Per conversation: the last sizing context, the sizing answer "why?" would explain, and
    the language the conversation is in.

    A sizing context is forgotten after ``ttl`` seconds or ``turns`` messages, whichever comes
    first: a follow-up ("and with live?") refines the question just asked, not one from an hour
    or eight messages ago. Conversations are kept in ``store`` (by default this process's
    memory, the least recently used forgotten first; ``SharedConversations`` for replicas).

    A message's turn reads its conversation once (``heard``, when it is parsed) and writes it
    once (``settle``, when ``Bot.handle`` has answered it); every call in between uses that
    copy. ``clock`` is wall-clock time: replicas compare the times each other wrote.
    """

    def __init__(
        self,
        capacity: int = CAPACITY,
        ttl: float = CONTEXT_SECONDS,
        turns: int = CONTEXT_TURNS,
        clock: Callable[[], float] = time.time,
        store: ConversationStore | None = None,
    ) -> None:
        self.ttl, self.turns, self.clock = ttl, turns, clock
        self.store: ConversationStore = store or LocalConversations(capacity)
        self._open: OrderedDict[Key, Conversation] = OrderedDict()
        #: Each open turn's conversation as it was read (to skip writing it back unchanged).
        self._read: dict[Key, Conversation] = {}

    def _of(self, key: Key) -> Conversation:
        """The conversation, as this turn sees it: read from the store unless a turn of it is
        open (a shared store's record is read once per turn, and written by ``settle``)."""
        kept = self._open.get(key)
        if kept is None:
            kept = self.store.load(key) or Conversation()
            if self.store.shared:
                self._open[key], self._read[key] = kept, replace(kept)
                while len(self._open) > OPEN_TURNS:
                    self._close(next(iter(self._open)))
        return kept

    def _changed(self, key: Key, kept: Conversation) -> None:
        # The process's own store is told at once (it forgets the least recently changed); a
        # shared one once the turn is answered.
        if not self.store.shared:
            self.store.save(key, kept)

    def heard(self, origin: Origin) -> None:
        """A message arrived: read its conversation afresh (another replica may have answered
        the one before) and count one more message (context expires after a few)."""
        key = key_of(origin)
        if key in self._open:  # read before and never answered: keep its count
            self._close(key)
        kept = self._of(key)
        kept.turn += 1
        self._changed(key, kept)

    def settle(self, origin: Origin) -> None:
        """The message was answered: write its conversation back to a shared store."""
        self._close(key_of(origin))

    def _close(self, key: Key) -> None:
        """End an open turn: write the conversation, unless only its message count moved
        while no sizing question is remembered (then nothing reads the count)."""
        kept, read = self._open.pop(key, None), self._read.pop(key, None)
        if kept is None:
            return
        if read is None or kept.asked is not None or replace(kept, turn=read.turn) != read:
            self.store.save(key, kept)

    def last(self, origin: Origin) -> SizingContext | None:
        """The conversation's last sizing context, unless it has gone stale."""
        kept = self._of(key_of(origin))
        asked = kept.asked
        if asked is None:
            return None
        if self.clock() - asked.at > self.ttl or kept.turn - asked.turn > self.turns:
            kept.asked = None
            return None
        return asked.context

    def remember(self, origin: Origin, context: SizingContext) -> None:
        """Keep ``context`` as the conversation's last sizing question."""
        key = key_of(origin)
        kept = self._of(key)
        kept.asked = Asked(context, self.clock(), kept.turn)
        self._changed(key, kept)

    def lang(self, origin: Origin) -> Lang | None:
        """The language the conversation was last answered in."""
        return self._of(key_of(origin)).lang

    def spoke(self, origin: Origin, lang: Lang) -> None:
        """Note the language of the latest answer: a message with no language of its own
        ("ok", "thanks", "plan undo") is answered in it."""
        key = key_of(origin)
        kept = self._of(key)
        kept.lang = lang
        self._changed(key, kept)

    def explainable(self, origin: Origin) -> SizeTeam | None:
        """The sizing request answered just before, when the last answer was a sizing one."""
        return self._of(key_of(origin)).explainable

    def answered(self, origin: Origin, sizing: SizeTeam | None) -> None:
        """Note the conversation's latest answer: a sizing one ``why?`` can explain, or another.

        "why?" explains only the answer right before it: after any other answer it would be
        a confident explanation of a question the user has moved on from.
        """
        key = key_of(origin)
        kept = self._of(key)
        kept.explainable = sizing
        self._changed(key, kept)


def why_request(memory: Memory, origin: Origin, asked: WhyAsked, text: str) -> SizeDetails:
    """ "why?": the reasoning behind the answer just before, or nothing to explain."""
    last = memory.explainable(origin)
    lang = asked.lang or (last.lang if last else None) or origin.default_lang or "en"
    if last is None:
        return SizeDetails(origin=origin, lang=lang, text=text)
    return SizeDetails(
        origin=origin,
        lang=lang,
        text=text,
        entities=last.entities,
        input=last.input,
        stores_assumed=last.stores_assumed,
    )


def button_request(origin: Origin, lang: Lang, figures: str) -> SizeDetails:
    """A details button's click, by anyone: the figures it carries, or an expired answer."""
    from bot.sizing.codec import decode

    decoded = decode(figures)
    if decoded is None:
        return SizeDetails(origin=origin, lang=lang, expired=True)
    inp = decoded.input
    entities = Entities(
        stores=None if decoded.stores_assumed else inp.stores,
        stage=inp.stage if "stage" in inp.model_fields_set else None,
        channels=list(inp.channels),
    )
    return SizeDetails(
        origin=origin,
        lang=lang,
        entities=entities,
        input=inp,
        stores_assumed=decoded.stores_assumed,
        digest=decoded.digest,
    )
