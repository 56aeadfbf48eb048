"""A message after understanding: its language, entities and intent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from bot.models import Entities
from bot.understand.entities import (
    StoreCount,
    detect_lang,
    extract_channels,
    extract_stage,
    extract_team,
    read_stores,
    with_digits,
)
from bot.understand.intents import Scored, Signals, score_intents
from bot.understand.lexicon import Cues, Lexicon
from bot.understand.normalize import Normalized, normalize
from bot.understand.roles import RoleHit, RoleMatcher
from bot.understand.search import DutyIndex, DutyMatch
from bot.understand.workload import Workload, extract_workload
from knowledge import KnowledgeBase, Lang, RoleId
from knowledge.vocab import Channel, Stage


@dataclass(frozen=True, slots=True)
class Understood:
    """Everything the text layer found in one message."""

    norm: Normalized
    lang: Lang
    roles: list[RoleHit]
    stores: int | None
    stage: Stage | None
    channels: list[Channel]
    team: str | None
    duties: list[DutyMatch]
    workload: Workload
    scored: Scored
    cues: Cues
    #: How the store count was written: several options, a fraction, something unreadable.
    store_count: StoreCount = field(default_factory=StoreCount)

    @property
    def role_ids(self) -> list[RoleId]:
        """The roles named, in the order they appear."""
        return [h.role for h in self.roles]

    def entities(self, roles: list[RoleId] | None = None, team: str | None = None) -> Entities:
        """The entities to report, optionally with the roles/team the answer settled on."""
        # Built from values this module typed already: no need to validate them again.
        return Entities.model_construct(
            roles=self.role_ids if roles is None else roles,
            stores=self.stores,
            stage=self.stage,
            channels=list(self.channels),
            team=self.team if team is None else team,
            **entity_figures(self.store_count, self.workload),
        )


class Figures(TypedDict):
    """The figures an answer's entities report (see ``Entities``)."""

    store_options: list[int]
    orders_per_day: float | None
    inquiries_per_day: float | None


def entity_figures(count: StoreCount, workload: Workload) -> Figures:
    """Store options and per-day volumes, as ``Entities`` reports them."""
    return {
        "store_options": list(count.options) if len(count.options) > 1 else [],
        "orders_per_day": workload.orders_per_day,
        "inquiries_per_day": workload.inquiries_per_day,
    }


class Understander:
    """Reads chat text against one knowledge base and one vocabulary."""

    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.matcher = RoleMatcher(kb, lexicon)
        self.index = DutyIndex(kb, lexicon.duty_stop)

    def language(self, text: str, default: Lang | None) -> Lang:
        """The language of ``text`` alone (no roles, no other entities)."""
        return detect_lang(self.lexicon, normalize(text), [], default)

    def read(self, norm: Normalized, default_lang: Lang | None) -> Understood:
        """Entities and intent of a normalised message."""
        lex = self.lexicon
        hits = self.matcher.find(norm.words)
        lang = detect_lang(lex, norm, hits, default_lang)
        digits = with_digits(norm, lang)
        store_count = read_stores(lex, norm, digits, lang)
        stores = store_count.count
        cues = lex.cues.find(norm.words)
        stage = extract_stage(cues)
        channels = extract_channels(cues)
        team = extract_team(cues, stage, channels)
        duties = self.index.search(norm.folded)
        signals = Signals(
            text=" ".join(norm.words),
            n_words=len(norm.words),
            roles=hits,
            stores=stores,
            duty_hit=duties[0].score if duties else 0.0,
            team=team,
            cues=cues,
        )
        scored = score_intents(lex.intents, signals)
        workload = extract_workload(lex, digits, lang)
        return Understood(
            norm, lang, hits, stores, stage, channels, team, duties, workload, scored, cues,
            store_count,
        )  # fmt: skip
