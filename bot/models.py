"""Neutral data passed between the adapters and the core: who asked, and the answer."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge import Lang, RoleId
from knowledge.vocab import Channel, Intent, PlanVerb, Stage

Platform = Literal["console", "slack", "discord", "cli"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Origin(_Frozen):
    """Who is asking, from where: every request carries one."""

    platform: Platform = "console"
    workspace: str = "local"
    user: str = "local"
    user_is_admin: bool = False
    #: The workspace's or the client's language, used when the text itself gives no clue.
    default_lang: Lang | None = None
    #: A guest from another organisation (a Slack Connect channel): may ask anything, but never
    #: changes, locks or unlocks this workspace's plan, whatever their own organisation says.
    user_is_external: bool = False
    #: The platform's key for this delivery of the message (a Slack event id), when it may come
    #: again: a plan change records it in its own transaction, so a redelivery never repeats it.
    delivery: str | None = None


#: Half of a UTF-16 pair with no other half: not text, and SQLite refuses to store it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class Message(Origin):
    """One incoming chat message, already translated out of its platform's format."""

    text: str
    #: How many files came with the message (a Slack file share): files without words are not
    #: an empty message, and the reply says that ShopCrew reads the words.
    files: int = 0

    @field_validator("text")
    @classmethod
    def _whole_characters(cls, text: str) -> str:
        # A lone surrogate (a broken emoji, invalid bytes read leniently) becomes "�".
        return _LONE_SURROGATE.sub("\ufffd", text)


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
    """A follow-up the user can click (or type).

    ``label`` is shown. A click sends ``text`` as a question, or, when ``command`` is set, runs
    that plan command directly (its canonical form, e.g. ``reset confirm``), or, when ``explain``
    is set, explains the sizing answer it was under (its figures, see ``bot.sizing.codec``).
    """

    label: str
    text: str
    command: str | None = None
    explain: str | None = None


class Entities(_Frozen):
    """What was understood in a message."""

    roles: list[RoleId] = Field(default_factory=list)
    stores: int | None = None
    stage: Stage | None = None
    channels: list[Channel] = Field(default_factory=list)
    team: str | None = None
    #: Every store count the message offered ("2 or 3 stores" gives [2, 3]); empty when one or none.
    store_options: list[int] = Field(default_factory=list)
    #: Volumes understood, per day whatever period the message used ("10,000 a month" is 333.3).
    orders_per_day: float | None = None
    inquiries_per_day: float | None = None
    #: The plan command a message ran, and the number of people it named (plan requests only).
    plan_verb: PlanVerb | None = None
    count: int | None = None
    #: Regional or loose words read as the closest role ("bodeguero" -> warehouse_packer).
    read_as: dict[str, RoleId] = Field(default_factory=dict)


#: The longest alt text every platform takes (Slack's ``alt_txt``: 1,000 characters).
ALT_TEXT_LIMIT = 1000


class Attachment(_Frozen):
    """A file sent with an answer: a plan export (text) or the org-chart picture (PNG).

    Adapters send ``content`` as a file (Discord, the command line), or show a text file inline
    and upload a picture (Slack); ``alt_text`` says what a picture shows, for screen readers.
    """

    filename: str
    content: bytes
    #: Its MIME type: ``text/csv``, ``text/markdown``, ``image/png``.
    media_type: str
    alt_text: str | None = Field(default=None, max_length=ALT_TEXT_LIMIT)

    @classmethod
    def of_text(cls, filename: str, text: str, media_type: str) -> Attachment:
        """A text file, stored as UTF-8."""
        return cls(filename=filename, content=text.encode("utf-8"), media_type=media_type)

    @property
    def is_text(self) -> bool:
        """True for a text file (shown inline where files cannot be sent)."""
        return self.media_type.startswith("text/")

    @property
    def is_image(self) -> bool:
        """True for a picture (shown in the message where the platform can)."""
        return self.media_type.startswith("image/")

    @property
    def text(self) -> str:
        """A text file's content (UTF-8)."""
        return self.content.decode("utf-8")


class Answer(_Frozen):
    """A neutral answer, rendered per platform by the adapters."""

    intent: Intent
    language: Lang
    title: str
    sections: list[Section] = Field(default_factory=list)
    suggestions: list[Suggestion] = Field(default_factory=list)
    entities: Entities = Field(default_factory=Entities)
    #: True when the answer refuses the request (bad input); adapters may answer privately.
    refusal: bool = False
    #: True when the answer reports a change to the team plan (adapters announce it publicly).
    changed_plan: bool = False
    #: An optional file to attach: a plan export, or the plan's org-chart picture.
    attachment: Attachment | None = None
    #: True when an internal error was turned into an apology (counted by the metrics).
    error: bool = False
