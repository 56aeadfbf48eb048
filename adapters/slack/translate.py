"""Slack <-> ShopCrew translation, free of I/O so JSON fixtures can test it.

``*_to_incoming`` turn Slack payloads into ``Message``; ``render`` turns an ``Answer`` into Block
Kit messages within Slack's limits (3,000 characters per text object, 50 blocks per message,
150 characters per header, 75 per button label), splitting rather than truncating.
"""

from __future__ import annotations

from typing import Any

from bot.buttons import button_value
from bot.models import Answer, Message, Origin
from bot.render import split_lines, table_text, to_text
from bot.strings import t
from knowledge import Lang, Vocabulary, fold

TEXT_LIMIT = 3000
BLOCK_LIMIT = 50
HEADER_LIMIT = 150
BUTTON_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
CONTEXT_ELEMENTS = 10
ACTION_ID = "shopcrew_suggest"

Block = dict[str, Any]


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def is_from_a_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """True for the bot's own messages and other bots' (never answer those)."""
    return bool(
        event.get("bot_id")
        or event.get("subtype") in ("bot_message", "message_changed", "message_deleted")
        or (bot_user_id is not None and event.get("user") == bot_user_id)
    )


def event_to_incoming(event: dict[str, Any], team_id: str, is_admin: bool = False) -> Message:
    """An ``app_mention`` or direct ``message`` event as a message of the team's workspace."""
    return Message(
        text=str(event.get("text") or ""),
        platform="slack",
        workspace=team_id,
        user=str(event.get("user") or "unknown"),
        user_is_admin=is_admin,
    )


def reply_thread(event: dict[str, Any]) -> str | None:
    """Where a mention is answered: its thread, or a new thread under it. DMs: no thread."""
    if event.get("channel_type") == "im" and not event.get("thread_ts"):
        return None
    return str(event.get("thread_ts") or event.get("ts") or "") or None


def split_public(text: str, vocab: Vocabulary) -> tuple[str, bool]:
    """ "public what does copy do?" -> ("what does copy do?", True): answer in the channel."""
    first, _, rest = text.strip().partition(" ")
    if fold(first).rstrip(":,-") in vocab.conversation.public.all():
        return rest.strip(), True
    return text, False


def command_to_incoming(
    body: dict[str, Any], vocab: Vocabulary, is_admin: bool = False
) -> tuple[Message, bool]:
    """A ``/shopcrew`` slash command; the flag says whether the asker wants the answer public."""
    text, public = split_public(str(body.get("text") or ""), vocab)
    message = Message(
        text=text,
        platform="slack",
        workspace=str(body.get("team_id") or body.get("team", {}).get("id") or "unknown"),
        user=str(body.get("user_id") or "unknown"),
        user_is_admin=is_admin,
    )
    return message, public


def action_to_incoming(body: dict[str, Any]) -> tuple[str, Origin]:
    """A click on a suggestion button: its value (see ``bot.buttons``) and who clicked."""
    action = (body.get("actions") or [{}])[0]
    team = body.get("team") or {}
    user = body.get("user") or {}
    origin = Origin(
        platform="slack",
        workspace=str(team.get("id") or user.get("team_id") or "unknown"),
        user=str(user.get("id") or "unknown"),
    )
    return str(action.get("value") or ""), origin


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _code_blocks(lines: list[str]) -> list[Block]:
    fence = 8  # "```\n" + "\n```"
    return [_section(f"```\n{chunk}\n```") for chunk in split_lines(lines, TEXT_LIMIT - fence)]


def answer_blocks(answer: Answer) -> list[Block]:
    """Every block of the answer, before splitting into messages."""
    blocks: list[Block] = []
    title = answer.title
    if len(title) <= HEADER_LIMIT:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": title}})
    else:
        blocks.extend(_section(c) for c in split_lines([f"*{escape(title)}*"], TEXT_LIMIT))
    for section in answer.sections:
        lines = [escape(line) for line in section.lines]
        if section.heading:
            lines.insert(0, f"*{escape(section.heading)}*")
        blocks.extend(_section(c) for c in split_lines(lines, TEXT_LIMIT))
        if section.table is not None:
            blocks.extend(_code_blocks([escape(r) for r in table_text(section.table)]))
        # One context element per note (sources, the "why" of each number); long ones split.
        elements = [
            {"type": "mrkdwn", "text": piece}
            for note in section.notes
            for piece in split_lines([escape(note)], TEXT_LIMIT)
        ]
        for i in range(0, len(elements), CONTEXT_ELEMENTS):
            blocks.append({"type": "context", "elements": elements[i : i + CONTEXT_ELEMENTS]})
    if answer.attachment is not None:
        name, content = answer.attachment
        blocks.append(_section(f"*{escape(name)}*"))
        blocks.extend(_code_blocks(content.splitlines()))
    buttons = []
    for i, suggestion in enumerate(answer.suggestions[:25]):
        label = suggestion.label
        if len(label) > BUTTON_LIMIT:
            label = label[: BUTTON_LIMIT - 1] + "…"
        buttons.append(
            {
                "type": "button",
                "action_id": f"{ACTION_ID}_{i}",
                "text": {"type": "plain_text", "text": label},
                "value": button_value(suggestion, answer.language)[:BUTTON_VALUE_LIMIT],
            }
        )
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    return blocks


def render(answer: Answer) -> list[dict[str, Any]]:
    """Block Kit messages (``{"text", "blocks"}``) for ``answer``, at most 50 blocks each."""
    blocks = answer_blocks(answer)
    # Escaped like the blocks: echoed user text ("plan add <!channel>") must never ping anyone
    # from the notification text either.
    fallback = escape(to_text(answer, suggestions=False))
    messages = []
    for i in range(0, len(blocks), BLOCK_LIMIT):
        part = blocks[i : i + BLOCK_LIMIT]
        # The notification text: the start of the answer, or the title on continuation messages.
        more = f"{escape(answer.title)} ({i // BLOCK_LIMIT + 1})"
        text = fallback[:TEXT_LIMIT] if i == 0 else more
        messages.append({"text": text, "blocks": part})
    return messages


def apology(lang: Lang) -> str:
    """The short message shown when Slack's Web API fails while answering."""
    return t(lang, "error.title")
