"""Discord payloads to ShopCrew: messages from mentions and DMs, typed requests from slash options.

Free of I/O, so it can be tested with plain data. Slash options are typed already (a role id from
autocomplete, a store count Discord has range-checked), so they become requests directly; only
``/shopcrew ask`` and mentions go through the text layer.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.context import Knowledge
from bot.models import Entities, Message, Origin
from bot.parse import MAX_CHARS
from bot.requests import RoleLookup, SizeRefused, SizeTeam, TooLong
from bot.understand import normalize
from knowledge import KnowledgeBase, Lang, RoleId, fold
from knowledge.vocab import Channel, Stage


def lang_of(locale: str | None) -> Lang:
    """``es-ES`` / ``es-419`` -> es; anything else -> en."""
    return "es" if (locale or "").lower().startswith("es") else "en"


def workspace_for(guild_id: int | None, user_id: int) -> str:
    """A server's plan is the guild's; in DMs each user has a personal plan."""
    return str(guild_id) if guild_id is not None else f"dm-{user_id}"


def origin_of(
    guild_id: int | None, user_id: int, is_admin: bool, locale: str | None = None
) -> Origin:
    """Who is asking. A DM plan belongs to the user alone, so they administer it."""
    return Origin(
        platform="discord",
        workspace=workspace_for(guild_id, user_id),
        user=str(user_id),
        user_is_admin=is_admin or guild_id is None,
        default_lang=lang_of(locale) if locale else None,
    )


def to_incoming(
    text: str, guild_id: int | None, user_id: int, is_admin: bool, locale: str | None = None
) -> Message:
    """A mention, a DM or ``/shopcrew ask`` as a ShopCrew message."""
    origin = origin_of(guild_id, user_id, is_admin, locale)
    return Message(text=text, **origin.model_dump())


def strip_bot_mention(content: str, bot_id: int) -> str:
    """Drop the ``<@bot>`` / ``<@!bot>`` mention that addressed the bot."""
    return content.replace(f"<@{bot_id}>", " ").replace(f"<@!{bot_id}>", " ").strip()


def should_answer(
    author_is_bot: bool,
    is_dm: bool,
    mentions_bot: bool,
    *,
    webhook: bool = False,
    system: bool = False,
) -> bool:
    """Answer DMs and mentions from people; never ordinary channel chatter.

    Never bots, nor webhooks (their author carries no ``bot`` flag), nor system messages: a
    pin or a join in a DM is no question.
    """
    return not (author_is_bot or webhook or system) and (is_dm or mentions_bot)


def message_text(content: str, forwarded: list[str]) -> str:
    """What a message says: its own text, or the text it forwards (a forward has none)."""
    if content.strip():
        return content
    return "\n".join(text for text in forwarded if text.strip())


# --- slash options as requests ---------------------------------------------------------------


def role_lookup(k: Knowledge, origin: Origin, lang: Lang, name: str) -> RoleLookup | TooLong:
    """``/shopcrew role name:X``: a role id from autocomplete, or a name typed by hand."""
    if len(name) > MAX_CHARS:  # refused, as a typed message would be, before anything reads it
        return TooLong(origin=origin, lang=lang, length=len(name), limit=MAX_CHARS)
    roles: list[RoleId]
    if name in k.kb.roles:
        roles = [k.kb.roles[name].id]
    else:
        roles = [hit.role for hit in k.matcher.find(normalize(name).words)]
    term = "" if roles else name.strip()[:40]
    entities = Entities(roles=roles)
    return RoleLookup(
        origin=origin, lang=lang, entities=entities, roles=roles, term=term, hint=name
    )


def size_request(
    k: Knowledge, origin: Origin, lang: Lang, stores: int, stage: Stage | None, channels: str | None
) -> SizeTeam | SizeRefused:
    """``/shopcrew size``: stores, stage and channels (typed by hand, so checked here)."""
    from bot.plans.commands.context import channel_of
    from bot.sizing.inputs import SizingError, parse_input

    wanted = [c.strip() for c in (channels or "").split(",") if c.strip()]
    found: list[Channel | str] = [channel_of(c, k.vocab) or c for c in wanted]
    if len(wanted) == 1 and fold(wanted[0]) in k.vocab.plan.none.all():
        found = []
    entities = Entities(stores=stores, stage=stage)
    try:
        inp = parse_input(stores=stores, stage=stage, channels=found)
    except SizingError as exc:
        return SizeRefused(origin=origin, lang=lang, entities=entities, error=exc)
    entities = entities.model_copy(update={"channels": list(inp.channels)})
    return SizeTeam(origin=origin, lang=lang, entities=entities, input=inp)


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
