"""An ``Answer`` as Discord embeds, free of I/O so it can be tested with plain data.

Within Discord's limits: 2,000 characters of content, 256 per title, 4,096 per description, 25
fields of 1,024, 2,048 per footer, 6,000 per message's embeds, 10 embeds per message, 5 buttons
(80-character labels, 100-character custom ids). Long answers are split over messages, not cut.
A picture (the org chart) is the last embed's image, from the message's own attachment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.buttons import button_value
from bot.models import Answer, Attachment
from bot.render import split_lines, table_text

TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
CONTENT = 2000
BUTTONS = 5
LABEL = 80
CUSTOM_ID = 100
PREFIX = "shopcrew:"
COLOR = 0x2E86AB
BLANK = "\u200b"  # Discord rejects empty field names and values

Embed = dict[str, Any]


@dataclass
class Outgoing:
    """One Discord message: embeds, suggestion buttons (label, custom id) and an optional file."""

    embeds: list[Embed] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    file: Attachment | None = None
    content: str | None = None


def embed_size(embed: Embed) -> int:
    """The characters Discord counts towards an embed's 6,000."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len(embed.get("footer", {}).get("text", ""))
    total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    return total


def _fields(answer: Answer) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """Description lines, (name, value) fields and footer notes for an answer."""
    description: list[str] = []
    fields: list[tuple[str, str]] = []
    notes: list[str] = []
    for i, section in enumerate(answer.sections):
        body = list(section.lines)
        if i == 0 and not section.heading and not section.table:
            description.extend(body)
        elif body:
            for n, piece in enumerate(split_lines(body, FIELD_VALUE)):
                name = section.heading or BLANK
                fields.append((name[:FIELD_NAME] if n == 0 else BLANK, piece))
        if section.table is not None:
            fence = 8
            rows = table_text(section.table)
            for piece in split_lines(rows, FIELD_VALUE - fence):
                fields.append((BLANK, f"```\n{piece}\n```"))
        notes.extend(section.notes)
    return description, fields, notes


def _footer(notes: list[str], fields: list[tuple[str, str]]) -> list[str]:
    """The "why" lines and sources that fit the footer; the rest are appended as fields."""
    footer: list[str] = []
    for note in notes:
        if len("\n".join([*footer, note])) <= FOOTER:
            footer.append(note)
        else:
            for piece in split_lines([note], FIELD_VALUE):
                fields.append((BLANK, f"*{piece}*" if len(piece) <= FIELD_VALUE - 2 else piece))
    return footer


def _embeds(
    title: str, description: list[str], fields: list[tuple[str, str]], footer: list[str]
) -> list[Embed]:
    """As few embeds as the limits allow; continuations are titled "… (…)"."""
    more = f"{title[: TITLE - 6]} (…)"
    embeds: list[Embed] = []
    current: Embed = {"title": title, "color": COLOR}
    for i, piece in enumerate(split_lines(description, DESCRIPTION)):
        if i:
            embeds.append(current)
            current = {"title": more, "color": COLOR}
        current["description"] = piece
    for name, value in fields:
        field = {"name": name, "value": value, "inline": False}
        candidate = {**current, "fields": [*current.get("fields", []), field]}
        if len(candidate["fields"]) > FIELDS or embed_size(candidate) > EMBED_TOTAL:
            embeds.append(current)
            candidate = {"title": more, "color": COLOR, "fields": [field]}
        current = candidate
    if footer:
        text = {"text": "\n".join(footer)}
        if embed_size({**current, "footer": text}) > EMBED_TOTAL:
            embeds.append(current)
            current = {"title": more, "color": COLOR}
        current["footer"] = text
    return [*embeds, current]


def _messages(embeds: list[Embed]) -> list[Outgoing]:
    """Embeds grouped into messages: at most 10 each, 6,000 characters in all."""
    messages: list[Outgoing] = []
    batch: list[Embed] = []
    for embed in embeds:
        full = len(batch) == EMBEDS_PER_MESSAGE
        if batch and (full or sum(map(embed_size, batch)) + embed_size(embed) > EMBED_TOTAL):
            messages.append(Outgoing(embeds=batch))
            batch = []
        batch.append(embed)
    return [*messages, Outgoing(embeds=batch)]


def render(answer: Answer) -> list[Outgoing]:
    """Embeds for ``answer`` within Discord's limits, split over messages rather than cut."""
    description, fields, notes = _fields(answer)
    title = answer.title if len(answer.title) <= TITLE else answer.title[: TITLE - 1] + "…"
    if len(answer.title) > TITLE:
        description.insert(0, answer.title)
    footer = _footer(notes, fields)
    messages = _messages(_embeds(title, description, fields, footer))
    messages[-1].buttons = [
        (s.label if len(s.label) <= LABEL else s.label[: LABEL - 1] + "…", custom_id)
        for s in answer.suggestions
        if len(custom_id := PREFIX + button_value(s, answer.language)) <= CUSTOM_ID
    ][:BUTTONS]
    file = answer.attachment
    messages[-1].file = file
    if file is not None and file.is_image:
        # The picture is shown inside the answer's embed rather than as a loose file below it.
        messages[-1].embeds[-1]["image"] = {"url": f"attachment://{file.filename}"}
    return messages


def button_of(custom_id: str) -> str | None:
    """The value behind a suggestion button (see ``bot.buttons``), or None for other components."""
    return custom_id[len(PREFIX) :] if custom_id.startswith(PREFIX) else None
