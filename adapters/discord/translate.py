"""Discord <-> ShopCrew translation, free of I/O so it can be tested with plain data.

Slash-command options become the same text a user could type (``plan add copywriter 2``, in the
user's language), and an ``Answer`` becomes embeds within Discord's limits: 2,000 characters of
content, 256 per title, 4,096 per description, 25 fields of 1,024, 2,048 per footer, 6,000 per
message's embeds, 10 embeds per message, 5 buttons (80-character labels, 100-character ids).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from bot.models import Answer, Lang, Message
from bot.render import split_lines, table_text
from knowledge import KnowledgeBase

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


def lang_of(locale: str | None) -> Lang:
    """``es-ES`` / ``es-419`` -> es; anything else -> en."""
    return "es" if (locale or "").lower().startswith("es") else "en"


def workspace_for(guild_id: int | None, user_id: int) -> str:
    """A server's plan is the guild's; in DMs each user has a personal plan."""
    return str(guild_id) if guild_id is not None else f"dm-{user_id}"


def to_incoming(
    text: str, guild_id: int | None, user_id: int, is_admin: bool, locale: str | None = None
) -> Message:
    """A message or slash command as a ShopCrew message."""
    return Message(
        text=text,
        platform="discord",
        workspace=workspace_for(guild_id, user_id),
        user=str(user_id),
        # A DM plan belongs to the user alone, so they administer it.
        user_is_admin=is_admin or guild_id is None,
        default_lang=lang_of(locale) if locale else None,
    )


def strip_bot_mention(content: str, bot_id: int) -> str:
    """Drop the ``<@bot>`` / ``<@!bot>`` mention that addressed the bot."""
    return content.replace(f"<@{bot_id}>", " ").replace(f"<@!{bot_id}>", " ").strip()


def should_answer(author_is_bot: bool, is_dm: bool, mentions_bot: bool) -> bool:
    """Answer DMs and mentions from people; never bots, never ordinary channel chatter."""
    return not author_is_bot and (is_dm or mentions_bot)


# --- slash commands as text ----------------------------------------------------------------

_PLAN_WORDS: dict[str, tuple[str, str]] = {
    "show": ("show", "ver"),
    "add": ("add", "añadir"),
    "remove": ("remove", "quitar"),
    "set": ("set", "fijar"),
    "stores": ("stores", "tiendas"),
    "stage": ("stage", "etapa"),
    "channels": ("channels", "canales"),
    "recommend": ("recommend", "recomendar"),
    "check": ("check", "revisar"),
    "history": ("history", "historial"),
    "undo": ("undo", "deshacer"),
    "export": ("export", "exportar"),
    "reset": ("reset", "vaciar"),
    "lock": ("lock", "bloquear"),
    "unlock": ("unlock", "desbloquear"),
    "editors": ("editors", "editores"),
}
_CHANNEL_WORDS = {
    "live": ("live streaming", "directos"),
    "short_video": ("short video", "videos cortos"),
    "xiaohongshu": ("Xiaohongshu", "Xiaohongshu"),
    "kuaishou": ("Kuaishou", "Kuaishou"),
    "douyin": ("Douyin", "Douyin"),
}


def plan_text(sub: str, lang: Lang, *args: object) -> str:
    """``/shopcrew plan add role:copy count:2`` -> ``plan add copy 2`` (Spanish words in es)."""
    en, es = _PLAN_WORDS[sub]
    words = [str(a) for a in args if a is not None and str(a) != ""]
    return " ".join(["plan", en if lang == "en" else es, *words])


def role_text(role: str, lang: Lang) -> str:
    """``/shopcrew role name:X`` -> "what does X do?"."""
    role = role.replace("_", " ")
    return f"what does {role} do?" if lang == "en" else f"¿qué hace {role}?"


def parse_channels(value: str | None) -> list[str]:
    """ "live, xiaohongshu" -> ["live", "xiaohongshu"] (unknown names are left out)."""
    if not value:
        return []
    given = [c.strip().lower().replace(" ", "_") for c in value.replace(";", ",").split(",")]
    return [c for c in _CHANNEL_WORDS if c in given]


_SIZE_WORDS = {  # question, mature team, "with"
    "en": ("how many people for {stores} stores", ", mature team", " with "),
    "es": ("¿cuántas personas para {stores} tiendas", ", equipo maduro", " con "),
}


def size_text(stores: int, stage: str | None, channels: list[str], lang: Lang) -> str:
    """``/shopcrew size`` options -> the question a manager would type."""
    question, mature, with_ = _SIZE_WORDS[lang]
    text = question.format(stores=stores)
    if stage == "mature":
        text += mature
    if channels:
        column = 0 if lang == "en" else 1
        text += with_ + ", ".join(_CHANNEL_WORDS[c][column] for c in channels)
    return text + "?"


def role_choices(
    kb: KnowledgeBase, current: str, lang: Lang, limit: int = 25
) -> list[tuple[str, str]]:
    """Autocomplete: (display name in the user's language, role id), best matches first."""
    names: dict[str, str] = {r.id: r.name.get(lang) for r in kb.roles.values()}
    if not current.strip():
        return [(names[r], r) for r in list(names)[:limit]]
    haystack: list[tuple[str, str]] = []
    for role in kb.roles.values():
        for text in (role.name.en, role.name.es, *role.aliases.en, *role.aliases.es):
            haystack.append((text.lower(), role.id))
    ranked = process.extract(
        current.lower(), [h[0] for h in haystack], scorer=fuzz.WRatio, limit=limit * 4
    )
    out: list[tuple[str, str]] = []
    for _, _, idx in ranked:
        role_id = haystack[idx][1]
        if all(role_id != r for _, r in out):
            out.append((names[role_id], role_id))
    return out[:limit]


# --- rendering -------------------------------------------------------------------------------


@dataclass
class Outgoing:
    """One Discord message: embeds, suggestion buttons (label, custom id) and an optional file."""

    embeds: list[Embed] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    file: tuple[str, str] | None = None
    content: str | None = None


def _size(embed: Embed) -> int:
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


def render(answer: Answer) -> list[Outgoing]:
    """Embeds for ``answer`` within Discord's limits, split over messages rather than cut."""
    description, fields, notes = _fields(answer)
    title = answer.title if len(answer.title) <= TITLE else answer.title[: TITLE - 1] + "…"
    if len(answer.title) > TITLE:
        description.insert(0, answer.title)
    # The "why" lines and sources go in the footer; what does not fit becomes fields.
    footer_notes: list[str] = []
    for note in notes:
        if len("\n".join([*footer_notes, note])) <= FOOTER:
            footer_notes.append(note)
        else:
            for piece in split_lines([note], FIELD_VALUE):
                fields.append((BLANK, f"*{piece}*" if len(piece) <= FIELD_VALUE - 2 else piece))

    embeds: list[Embed] = []
    current: Embed = {"title": title, "color": COLOR}
    desc_pieces = split_lines(description, DESCRIPTION)
    if desc_pieces:
        current["description"] = desc_pieces[0]
    for piece in desc_pieces[1:]:
        embeds.append(current)
        current = {"title": f"{title[: TITLE - 6]} (…)", "color": COLOR, "description": piece}
    for name, value in fields:
        candidate = {
            **current,
            "fields": [*current.get("fields", []), {"name": name, "value": value, "inline": False}],
        }
        if len(candidate["fields"]) > FIELDS or _size(candidate) > EMBED_TOTAL:
            embeds.append(current)
            current = {"title": f"{title[: TITLE - 6]} (…)", "color": COLOR,
                       "fields": [{"name": name, "value": value, "inline": False}]}  # fmt: skip
        else:
            current = candidate
    if footer_notes:
        footer = {"text": "\n".join(footer_notes)}
        if _size({**current, "footer": footer}) > EMBED_TOTAL:
            embeds.append(current)
            current = {"title": f"{title[: TITLE - 6]} (…)", "color": COLOR}
        current["footer"] = footer
    embeds.append(current)

    messages: list[Outgoing] = []
    batch: list[Embed] = []
    for embed in embeds:
        if batch and (
            len(batch) == EMBEDS_PER_MESSAGE or sum(map(_size, batch)) + _size(embed) > EMBED_TOTAL
        ):
            messages.append(Outgoing(embeds=batch))
            batch = []
        batch.append(embed)
    messages.append(Outgoing(embeds=batch))
    buttons = [
        (s.label if len(s.label) <= LABEL else s.label[: LABEL - 1] + "…", PREFIX + s.text)
        for s in answer.suggestions
        if len(PREFIX + s.text) <= CUSTOM_ID
    ][:BUTTONS]
    messages[-1].buttons = buttons
    messages[-1].file = answer.attachment
    return messages


def suggestion_text(custom_id: str) -> str | None:
    """The text behind a suggestion button, or None for other components."""
    return custom_id[len(PREFIX) :] if custom_id.startswith(PREFIX) else None
