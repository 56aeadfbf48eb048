"""What was said a minute ago: the last sizing question of each user, for follow-ups.

"how many people for two stores?" then "and with live streaming?" sizes two stores with live
streaming. Only sizing is remembered; the memory is per process and bounded.
"""

from __future__ import annotations

from collections import OrderedDict

from bot.models import Origin
from bot.requests import SizingContext
from bot.understand import Understood
from knowledge.vocab import CHANNELS

#: How many users' last sizing question is kept.
CAPACITY = 1024

Key = tuple[str, str, str]


def key_of(origin: Origin) -> Key:
    """One conversation per user of a workspace on a platform."""
    return (origin.platform, origin.workspace, origin.user)


def context_of(u: Understood) -> SizingContext:
    """The sizing-relevant part of a message."""
    return SizingContext(
        stores=u.stores,
        stage=u.stage,
        channels=tuple(u.channels),
        workload=u.workload,
        roles=tuple(u.role_ids),
        team=u.team,
        store_count=u.store_count,
    )


def is_follow_up(u: Understood) -> bool:
    """True when a short message only refines the previous sizing question."""
    refines = bool(
        u.stores is not None
        or u.store_count.typed  # "and for 1e309 stores?" is refused, not a new question
        or u.channels
        or u.stage is not None
        or u.workload.figures
    )
    if not refines or u.scored.intent not in ("team_size", "team_roles", "unknown"):
        return False
    starts = "follow_up" in u.cues.starts  # "and …", "y si …"
    # "and with live streaming?" / "y si son tres tiendas?" refine; a full question does not.
    return starts or (u.scored.score < 0.8 and len(u.norm.words) <= 4)


def merged(prev: SizingContext, new: SizingContext) -> SizingContext:
    """The previous question's figures, updated by what the follow-up says."""
    channels = set(prev.channels) | set(new.channels)
    # A new store count, even an unreadable one ("and for 1e309?"), replaces the old one.
    newer_count = new.stores is not None or bool(new.store_count.typed)
    return SizingContext(
        stores=new.stores if newer_count else prev.stores,
        store_count=new.store_count if newer_count else prev.store_count,
        stage=new.stage or prev.stage,
        channels=tuple(c for c in CHANNELS if c in channels),
        workload=prev.workload.updated(new.workload),
        roles=new.roles or prev.roles,
        team=new.team or prev.team,
    )


class Memory:
    """The last sizing context of each conversation (least recently used ones forgotten)."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._last: OrderedDict[Key, SizingContext] = OrderedDict()

    def last(self, origin: Origin) -> SizingContext | None:
        """The conversation's last sizing context, if any."""
        return self._last.get(key_of(origin))

    def remember(self, origin: Origin, context: SizingContext) -> None:
        """Keep ``context`` as the conversation's last sizing question."""
        key = key_of(origin)
        self._last[key] = context
        self._last.move_to_end(key)
        while len(self._last) > self.capacity:
            self._last.popitem(last=False)
