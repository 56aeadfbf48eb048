"""``plan stores N``, ``plan stage new``, ``plan channels live,xhs``: what the plan is for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Self

from bot.plans.commands.base import Change, register
from bot.plans.grammar import GrammarError, parse_stores
from bot.plans.state import PlanState
from bot.strings import join
from knowledge import LANGS, Lang, Vocabulary, fold
from knowledge.vocab import CHANNELS, STAGES, Channel, PlanVerb, Stage

if TYPE_CHECKING:
    from bot.plans.runtime import PlanContext
    from bot.understand import Understood


def _describe_field(field: str, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
    from bot.plans.views import field_text

    b, a = field_text(ctx, before, field), field_text(ctx, after, field)
    return [ctx.t(f"plan.changed.{field}", before=b, after=a)]


@register
@dataclass(frozen=True, slots=True)
class Stores(Change):
    """``plan stores N`` (1–500)."""

    verb: ClassVar[PlanVerb] = "stores"
    stores: int

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """``3`` or ``tres``."""
        return cls(stores=parse_stores(args, lang))

    def canonical(self) -> str:
        """``stores 3``."""
        return f"stores {self.stores}"

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """Set the store count."""
        state.stores = self.stores
        return state

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """ "Stores: 1 → 3."."""
        return _describe_field("stores", before, after, ctx)


def stage_words(vocab: Vocabulary, lang: Lang) -> str:
    """ "`new` or `mature`" in the reply's language."""
    return join(lang, [f"`{vocab.stage_command(s, lang)}`" for s in STAGES], "or")


@register
@dataclass(frozen=True, slots=True)
class StageCommand(Change):
    """``plan stage new|mature``."""

    verb: ClassVar[PlanVerb] = "stage"
    stage: Stage

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """``new``, ``mature``, ``nueva``, ``madura``…"""
        given = fold(" ".join(args)).strip()
        for stage in STAGES:
            if given in vocab.stages[stage].command.all():
                return cls(stage=stage)
        raise GrammarError("plan.bad_stage", given=given[:40], stages=stage_words(vocab, lang))

    def canonical(self) -> str:
        """``stage mature``."""
        return f"stage {self.stage}"

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """Set the stage."""
        state.stage = self.stage
        return state

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """ "Stage: new → mature."."""
        return _describe_field("stage", before, after, ctx)


def channel_of(word: str, vocab: Vocabulary) -> Channel | None:
    """The channel a word names: its id ("short_video"), its name as ShopCrew writes it
    ("transmisiones en vivo") or any word for it ("tiktok", "directos"), in either language."""
    folded = " ".join(fold(word).replace("-", " ").split())
    for channel in CHANNELS:
        entry = vocab.channels[channel]
        names = {fold(entry.name.get(lang)) for lang in LANGS}
        known = (*entry.words.all(), *entry.platforms, *names)
        if folded.replace(" ", "_") == channel or folded in known:
            return channel
    return None


def _channels_in(item: str, vocab: Vocabulary) -> list[Channel]:
    """The channels one comma-separated item names ("directos y video corto"): the longest
    channel phrase at each place, skipping "and"/"y" between them."""
    words = [w for w in item.split() if fold(w) not in vocab.plan.joiners.all()]
    found: list[Channel] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            channel = channel_of(" ".join(words[i:j]), vocab)
            if channel is not None:
                found.append(channel)
                i = j
                break
        else:
            raise GrammarError("plan.bad_channels", given=words[i][:40])
    return found


@register
@dataclass(frozen=True, slots=True)
class Channels(Change):
    """``plan channels live,xiaohongshu`` (or ``none``)."""

    verb: ClassVar[PlanVerb] = "channels"
    channels: tuple[Channel, ...]
    #: "add douyin to the plan's channels" keeps the ones already there (see ``resolved``).
    adding: bool = False

    def resolved(self, state: PlanState) -> Channels:
        """The channels to set: with ``adding``, the plan's channels and these together."""
        if not self.adding:
            return self
        both = set(state.channels) | set(self.channels)
        return Channels(channels=tuple(c for c in CHANNELS if c in both))

    @classmethod
    def from_args(cls, args: list[str], lang: Lang, vocab: Vocabulary) -> Self:
        """Comma- or space-separated channels ("live, short video"); ``none`` empties the list."""
        items = [c.strip() for c in " ".join(args).split(",") if c.strip()]
        if len(items) == 1 and fold(items[0]) in vocab.plan.none.all():
            return cls(channels=())
        found: set[Channel] = set()
        for item in items:
            found.update(_channels_in(item, vocab))
        if not found:
            raise GrammarError("plan.bad_channels", given="")
        return cls(channels=tuple(c for c in CHANNELS if c in found))

    def canonical(self) -> str:
        """``channels live,xiaohongshu`` or ``channels none``."""
        return "channels " + (",".join(self.channels) or "none")

    def apply(self, state: PlanState, ctx: PlanContext) -> PlanState:
        """Set the channels."""
        state.channels = list(self.channels)
        return state

    def describe(self, before: PlanState, after: PlanState, ctx: PlanContext) -> list[str]:
        """ "Channels: none → live streaming."."""
        return _describe_field("channels", before, after, ctx)


def context_change(u: Understood) -> Change | None:
    """What a plain "set the plan to 3 stores" / "cambia el plan a etapa madura" sets: the
    stage, the store count or the channels the message says."""
    # "cambia la etapa del plan a tienda nueva" sets the stage, though it says "tienda".
    # …and "somos una tienda nueva" says the stage, not the count.
    if u.stage is not None and (u.stores in (None, 1) or "stage_word" in u.cues):
        return StageCommand(stage=u.stage)
    if u.stores is not None:
        return Stores(stores=u.stores)
    if u.channels:
        return Channels(channels=tuple(u.channels))
    return None
