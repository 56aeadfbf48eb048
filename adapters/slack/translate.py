"""Slack <-> ShopCrew translation, free of I/O so JSON fixtures can test it.

``*_to_incoming`` turn Slack payloads into ``Message``; ``render`` turns an ``Answer`` into Block
Kit messages within Slack's limits (3,000 characters per text object, 50 blocks per message,
150 characters per header, 75 per button label), splitting rather than truncating.
"""

from __future__ import annotations

import re
from typing import Any

from bot.buttons import button_value
from bot.models import Answer, Message, Origin
from bot.parse import MAX_CHARS
from bot.render import split_lines, table_text, to_text
from bot.strings import t
from knowledge import LANGS, Lang, Vocabulary, fold

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


#: Message subtypes a person writes to ShopCrew: a plain message (no subtype), a thread reply
#: also sent to the channel, and a message with a file. Every other subtype is Slack's own
#: (``channel_join``, ``message_changed``, ``message_deleted``, ``message_replied``…) or a
#: bot's, and is never answered.
ANSWERED_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})


def is_from_a_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """True for the bot's own messages and other bots' (never answer those)."""
    return bool(
        event.get("bot_id")
        or event.get("subtype") == "bot_message"
        or (bot_user_id is not None and event.get("user") == bot_user_id)
    )


def is_answered(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """True for a message a person wrote to ShopCrew, the first time Slack sends it.

    Slack sends an edited message again (an ``app_mention`` or ``message`` with an ``edited``
    object, or a ``message_changed``): it was answered when first sent, so it is not answered
    again. Hidden events (``hidden: true``, e.g. ``message_replied``) and system or bot
    subtypes are not messages to answer either.
    """
    return not (
        is_from_a_bot(event, bot_user_id)
        or event.get("hidden")
        or event.get("edited")
        or event.get("subtype") not in ANSWERED_SUBTYPES
        or not event.get("user")
    )


def installation_of(body: dict[str, Any]) -> str:
    """The id a Slack plan belongs to: the installation's, never the payload's outer team.

    In a Slack Connect channel an event's outer ``team_id`` can be the other organisation's;
    ``authorizations[0]`` names the installation that received it (as Bolt reads it). A
    workspace install is its team (``T…``, the key plans always had); an Enterprise Grid
    org-wide install is its organisation (``E…``): one plan for the whole organisation.
    Commands and clicks name the installation in ``team_id`` / ``team`` and
    ``enterprise_id`` / ``enterprise``.
    """
    source = _authorization(body) or body
    team = source.get("team_id") or _id(body.get("team"))
    enterprise = source.get("enterprise_id") or _id(body.get("enterprise"))
    if is_org_wide(body) and enterprise:
        return str(enterprise)
    return str(team or enterprise or _id(body.get("event", {}).get("team")) or "unknown")


def _authorization(body: dict[str, Any]) -> dict[str, Any] | None:
    """The installation an event was delivered for (events only; Slack lists one)."""
    auths = body.get("authorizations")
    if isinstance(auths, list) and auths and isinstance(auths[0], dict):
        return auths[0]
    return None


def _id(value: Any) -> str | None:
    """An id given as a string or as an object with an ``id``."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


def installation_ids(body: dict[str, Any]) -> set[str]:
    """Every id that means "this installation's organisation": its team and its enterprise."""
    auth = _authorization(body)
    if auth is not None:
        ids = [auth.get("team_id"), auth.get("enterprise_id")]
    else:
        team = body.get("team")
        ids = [
            body.get("team_id"),
            _id(team),
            body.get("enterprise_id"),
            _id(body.get("enterprise")),
        ]
        ids.append(team.get("enterprise_id") if isinstance(team, dict) else None)
    return {str(i) for i in [installation_of(body), *ids] if i}


def is_external(event: dict[str, Any], body: dict[str, Any]) -> bool:
    """True when the event's author belongs to another organisation (Slack Connect).

    Slack names the author's team in ``user_team`` (or ``user_profile.team``); an author of
    the installation's team or enterprise is a member. No team named, or a team of an org-wide
    install (any of its organisation's teams is at home): not decided here; users.info is
    asked before any change and tells.
    """
    profile = event.get("user_profile")
    team = event.get("user_team") or (profile.get("team") if isinstance(profile, dict) else None)
    if not team or (is_org_wide(body) and not str(team).startswith("E")):
        return False
    return str(team) not in installation_ids(body)


def is_member(user: dict[str, Any], workspace: str) -> bool:
    """True when a ``users.info`` user belongs to the installation ``workspace`` (its team, or
    an org-wide install's enterprise). No team given: a member (nothing says otherwise)."""
    grid = user.get("enterprise_user") or {}
    homes = {user.get("team_id"), grid.get("enterprise_id"), *(grid.get("teams") or [])}
    return not user.get("team_id") or workspace in homes


def is_org_wide(body: dict[str, Any]) -> bool:
    """True for an Enterprise Grid org-wide installation."""
    source = _authorization(body) or body
    return source.get("is_enterprise_install") in (True, "true")


def event_to_incoming(
    event: dict[str, Any],
    team_id: str,
    is_admin: bool = False,
    external: bool = False,
    delivery: str | None = None,
) -> Message:
    """An ``app_mention`` or direct ``message`` event as a message of the team's workspace.

    ``external`` and ``delivery``: see ``Origin.user_is_external`` and ``Origin.delivery``.
    """
    files = event.get("files")
    return Message(
        text=str(event.get("text") or ""),
        platform="slack",
        workspace=team_id,
        user=str(event.get("user") or "unknown"),
        user_is_admin=is_admin,
        user_is_external=external,
        delivery=delivery,
        files=len(files) if isinstance(files, list) else 0,
    )


def reply_thread(event: dict[str, Any]) -> str | None:
    """Where a mention is answered: its thread, or a new thread under it. DMs: no thread."""
    if event.get("channel_type") == "im" and not event.get("thread_ts"):
        return None
    return str(event.get("thread_ts") or event.get("ts") or "") or None


def split_public(text: str, vocab: Vocabulary) -> tuple[str, bool]:
    """ "public what does copy do?" -> ("what does copy do?", True): answer in the channel.

    The word may be followed by any space (a tab, a new line) or by ":", "," or "-".
    """
    words = text.split(maxsplit=1)
    if words and fold(words[0]).rstrip(":,-") in vocab.conversation.public.all():
        return (words[1] if len(words) > 1 else "").strip(), True
    return text, False


#: Mentions at the start of a message ("<@U0BOT> <@U0BOT|shopcrew> …").
_LEADING_MENTIONS = re.compile(r"(?:\s*<@[A-Za-z0-9]{1,40}(?:\|[^<>]{0,80})?>)*\s*")


def without_public(text: str, vocab: Vocabulary) -> str:
    """A mention's or a DM's text without a leading "public" (after the bot's mention): it is
    answered where everyone sees it anyway, and "public plan lock" must read as "plan lock"."""
    # Only the start is read: a text over the limit is refused by the core anyway, and no
    # pattern may read past it (a 40k paste must cost what a 2k one does).
    start = _LEADING_MENTIONS.match(text[:MAX_CHARS])
    cut = start.end() if start else 0
    rest, public = split_public(text[cut:], vocab)
    return f"{text[:cut]}{rest}" if public else text


def command_to_incoming(
    body: dict[str, Any], vocab: Vocabulary, is_admin: bool = False
) -> tuple[Message, bool]:
    """A ``/shopcrew`` slash command; the flag says whether the asker wants the answer public."""
    text, public = split_public(str(body.get("text") or ""), vocab)
    message = Message(
        text=text,
        platform="slack",
        workspace=installation_of(body),
        user=str(body.get("user_id") or "unknown"),
        user_is_admin=is_admin,
    )
    return message, public


def action_to_incoming(body: dict[str, Any]) -> tuple[str, Origin]:
    """A click on a suggestion button: its value (see ``bot.buttons``) and who clicked."""
    action = (body.get("actions") or [{}])[0]
    return str(action.get("value") or ""), interaction_origin(body)


def interaction_origin(body: dict[str, Any]) -> Origin:
    """Who clicked a button or submitted a modal (``block_actions``, ``view_submission``), in
    which installation."""
    user = body.get("user") or {}
    # Org-wide installs may send no team: the clicker's team stands in, as in Bolt.
    workspace = installation_of(body if body.get("team") else {**body, "team": user.get("team_id")})
    # A click on ShopCrew's message in a Slack Connect channel by someone of the other org; in
    # an org-wide install any of the organisation's teams is at home (users.info tells, later).
    home = user.get("team_id") in installation_ids(body) or is_org_wide(body)
    return Origin(
        platform="slack",
        workspace=workspace,
        user=str(user.get("id") or "unknown"),
        user_is_external=bool(user.get("team_id")) and not home,
    )


def locale_lang(locale: object) -> Lang | None:
    """The language of a Slack locale ("es-ES", "es-LA", "en-GB"), if ShopCrew speaks it."""
    code = str(locale or "").split("-")[0].lower()
    return next((lang for lang in LANGS if lang == code), None)


def place_of(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """(channel, thread) a slash command or a click came from: where its picture goes."""
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    message = body.get("message") or {}
    thread = message.get("thread_ts") or (body.get("container") or {}).get("thread_ts")
    return (str(channel) if channel else None), (str(thread) if thread else None)


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
    file = answer.attachment
    if file is not None and file.is_text:  # a picture is uploaded beside the message instead
        blocks.append(_section(f"*{escape(file.filename)}*"))
        blocks.extend(_code_blocks(file.text.splitlines()))
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
