"""The scripted conversations as data: each a list of turns, each turn a message and what its
reply must show. Loaded from ``conversations.yaml`` and validated (a misspelt key fails loading,
it is never silently ignored)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.requests import SmallTalkKind
from knowledge import Lang, RoleId
from knowledge.vocab import Channel, Intent, PlanVerb, Stage

DATA = Path(__file__).parent / "conversations.yaml"

#: Where a sizing answer's figures came from, as the reply must show it:
#: ``asked`` the message's own figures (read alone, it reads the same);
#: ``previous`` the earlier question, refined by this one;
#: ``plan`` the workspace's plan filled what the question left out (and the reply says so);
#: ``assumed`` no store count anywhere, so one store was assumed (and the reply says so);
#: ``fresh`` the earlier question had gone stale: the message is read as if it came alone.
Context = Literal["asked", "previous", "plan", "assumed", "fresh"]
#: ``explains``: the reasoning of the sizing answer just before; ``nothing``: there is none.
Why = Literal["explains", "nothing"]
PlanField = Literal["stores", "stage", "channels"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanAfter(_Strict):
    """The workspace's plan after a turn; only the fields given are compared."""

    stores: int | None = None
    stage: Stage | None = None
    channels: list[Channel] | None = None
    #: Compared whole: ``{}`` is an empty plan.
    roles: dict[RoleId, int] | None = None


class Turn(_Strict):
    """One message and what its reply must show. Unset expectations are not checked; a key
    set to null expects nothing there (``stores: null``: no store count)."""

    say: str = Field(min_length=1)
    #: Minutes that pass before the message (the conversation memory's clock moves on).
    after_minutes: float = 0.0
    #: A known product defect: what is wrong. The turn is still checked in full; the test is
    #: an expected failure while it fails, and fails once it passes (then remove the mark).
    defect: str | None = None

    lang: Lang
    intent: Intent | None = None
    stores: int | None = None
    store_options: list[int] | None = None
    stage: Stage | None = None
    channels: list[Channel] | None = None
    #: The roles the answer names first, in order.
    roles: list[RoleId] | None = None
    orders_per_day: float | None = None
    inquiries_per_day: float | None = None
    context: Context | None = None
    #: With ``context: plan``: the figures the reply says came from the plan.
    from_plan: list[PlanField] | None = None
    why: Why | None = None
    small_talk: SmallTalkKind | None = None
    #: A plan command run: its verb, the people it names, and the command the reply shows it
    #: ran (for plan requests in plain words), in the reply's language.
    verb: PlanVerb | None = None
    count: int | None = None
    ran: str | None = None
    plan: PlanAfter | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Turn:
        if self.from_plan is not None and self.context != "plan":
            raise ValueError("from_plan goes with context: plan")
        if self.context == "plan" and not self.from_plan:
            raise ValueError("context: plan names the figures taken from the plan (from_plan)")
        return self

    def expects(self, key: str) -> bool:
        """True when the turn sets ``key`` (to a value or to null)."""
        return key in self.model_fields_set


class Conversation(_Strict):
    """A scripted conversation between one person and ShopCrew."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    #: Who is talking and what happens, in a sentence.
    about: str
    #: The person's chat-client locale (Discord sends it with every slash command).
    locale: Literal["en-US", "es-419", "es-ES"] = "en-US"
    turns: list[Turn] = Field(min_length=4, max_length=10)

    @property
    def has_defect(self) -> bool:
        """True when a turn is marked as a known product defect."""
        return any(turn.defect for turn in self.turns)


class Script(_Strict):
    """The file: every conversation."""

    conversations: list[Conversation]


@lru_cache(maxsize=1)
def conversations() -> tuple[Conversation, ...]:
    """Every scripted conversation, validated; ids are unique."""
    script = Script.model_validate(yaml.safe_load(DATA.read_text(encoding="utf-8")))
    ids = [c.id for c in script.conversations]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"conversation ids used twice: {sorted(duplicates)}"
    return tuple(script.conversations)
