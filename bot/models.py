"""Neutral data passed between the adapters and the intent layer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Lang = Literal["en", "es"]
Platform = Literal["console", "slack", "discord", "cli"]
IntentName = Literal[
    "role_duties",
    "who_does",
    "team_roles",
    "team_size",
    "compare_roles",
    "plan",
    "help",
    "unknown",
]
INTENTS: tuple[IntentName, ...] = (
    "role_duties",
    "who_does",
    "team_roles",
    "team_size",
    "compare_roles",
    "plan",
    "help",
    "unknown",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Message(_Frozen):
    """One incoming chat message, already translated out of its platform's format."""

    text: str
    platform: Platform = "console"
    workspace: str = "local"
    user: str = "local"
    user_is_admin: bool = False
    #: The workspace's chosen language, used when the text itself gives no clue.
    default_lang: Lang | None = None


class Table(_Frozen):
    """A small table, e.g. a headcount per role."""

    headers: list[str]
    rows: list[list[str]]


class Section(_Frozen):
    """A titled block of text lines, with optional footnotes (sources, reasons)."""

    heading: str | None = None
    lines: list[str] = Field(default_factory=list)
    table: Table | None = None
    notes: list[str] = Field(default_factory=list)


class Suggestion(_Frozen):
    """A follow-up the user can click (or type): ``label`` is shown, ``text`` is sent."""

    label: str
    text: str


class Entities(_Frozen):
    """What was understood in a message."""

    roles: list[str] = Field(default_factory=list)
    stores: int | None = None
    stage: Literal["new", "mature"] | None = None
    channels: list[str] = Field(default_factory=list)
    team: str | None = None


class Answer(_Frozen):
    """A neutral answer, rendered per platform by the adapters."""

    intent: IntentName
    language: Lang
    title: str
    sections: list[Section] = Field(default_factory=list)
    suggestions: list[Suggestion] = Field(default_factory=list)
    entities: Entities = Field(default_factory=Entities)
    #: True when the answer refuses the request (bad input); adapters may answer privately.
    refusal: bool = False
    #: True when the answer reports a change to the team plan (adapters announce it publicly).
    changed_plan: bool = False
    #: An optional file to attach (plan exports): (filename, content).
    attachment: tuple[str, str] | None = None
    #: True when an internal error was turned into an apology (counted by the metrics).
    error: bool = False
