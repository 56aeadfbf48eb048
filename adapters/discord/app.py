"""The Discord adapter: ``/shopcrew`` slash commands, @mentions and DMs, answered with embeds.

discord.py does the protocol work (gateway, resume, REST rate limits); this module maps
interactions and messages to requests and posts the answers. REST and gateway URLs come from
settings (``adapters.discord.endpoints``), so a REST proxy or a fake Discord can stand in.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
from typing import Any

import aiohttp
import discord

from adapters.base import InFlight
from adapters.discord.client import ShardedShopCrewClient, ShopCrewClient
from adapters.discord.endpoints import use_endpoints
from adapters.discord.render import Outgoing, render
from adapters.discord.translate import (
    lang_of,
    origin_of,
    role_lookup,
    should_answer,
    size_request,
    strip_bot_mention,
    to_incoming,
)
from bot.core import Bot
from bot.models import Message, Origin
from bot.ops.metrics import Metrics
from bot.plans.commands import PlanCommand
from bot.plans.grammar import GrammarError
from bot.requests import PlanRequest, Request
from bot.settings import Settings
from bot.storage.meta import Meta
from bot.strings import t
from knowledge.vocab import Stage

log = logging.getLogger("shopcrew.discord")
COMMANDS_HASH_KEY = "discord.commands.sha256"
#: Failures of a REST call: Discord's own errors, and the network's (timeouts, resets).
SEND_ERRORS = (discord.HTTPException, aiohttp.ClientError, TimeoutError)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, discord.HTTPException):
        return f"HTTP {exc.status} code {exc.code}: {exc.text}"
    return f"{type(exc).__name__}: {exc}"


def _send_kwargs(out: Outgoing) -> dict[str, Any]:
    """An ``Outgoing`` as discord.py send arguments; no message may ping anyone."""
    kwargs: dict[str, Any] = {
        "embeds": [discord.Embed.from_dict(e) for e in out.embeds],
        "allowed_mentions": discord.AllowedMentions.none(),
    }
    if out.buttons:
        view = discord.ui.View(timeout=None)
        for label, custom_id in out.buttons:
            style = discord.ButtonStyle.secondary
            view.add_item(discord.ui.Button(label=label, custom_id=custom_id, style=style))
        kwargs["view"] = view
    if out.file is not None:
        name, content = out.file
        kwargs["file"] = discord.File(io.BytesIO(content.encode("utf-8")), filename=name)
    return kwargs


class DiscordAdapter:
    """ShopCrew on Discord: a discord.py client driven through the ``Adapter`` interface."""

    name = "discord"

    def __init__(
        self,
        bot: Bot,
        meta: Meta,
        settings: Settings,
        guild_ready_timeout: float = 2.0,
        metrics: Metrics | None = None,
    ) -> None:
        if settings.discord_token is None:
            raise ValueError("DISCORD_TOKEN is not set")
        self.bot = bot
        self.meta = meta
        self.settings = settings
        self.metrics = metrics
        self.inflight = InFlight()
        self.client = self._make_client(guild_ready_timeout)
        self.tree = self.client.tree
        self._task: asyncio.Task[None] | None = None

    def _make_client(self, guild_ready_timeout: float) -> ShopCrewClient:
        """Sharded (``AutoShardedClient``) when a shard count is configured."""
        s = self.settings
        if not s.discord_shard_count:
            return ShopCrewClient(self, guild_ready_timeout=guild_ready_timeout)
        sharding: dict[str, Any] = {"shard_count": s.discord_shard_count}
        if s.shard_ids is not None:
            sharding["shard_ids"] = s.shard_ids
        return ShardedShopCrewClient(self, guild_ready_timeout=guild_ready_timeout, **sharding)

    # --- answering ---------------------------------------------------------------------------

    @staticmethod
    def origin(interaction: discord.Interaction) -> Origin:
        """Who clicked or typed: a DM plan is the user's own; Manage Server makes an admin."""
        admin = interaction.guild is None or bool(interaction.permissions.manage_guild)
        locale = str(interaction.locale)
        return origin_of(interaction.guild_id, interaction.user.id, admin, locale)

    async def ask(self, interaction: discord.Interaction, question: str, share: bool) -> None:
        """``/shopcrew ask``: read like a typed message."""
        origin = self.origin(interaction)
        message = Message(text=question, **origin.model_dump())
        await self.reply(interaction, await self.bot.parse_async(message), share)

    async def role(self, interaction: discord.Interaction, name: str, share: bool) -> None:
        """``/shopcrew role``."""
        lang = lang_of(str(interaction.locale))
        request = role_lookup(self.bot.knowledge, self.origin(interaction), lang, name)
        await self.reply(interaction, request, share)

    async def size(
        self,
        interaction: discord.Interaction,
        stores: int,
        stage: Stage | None,
        channels: str | None,
        share: bool,
    ) -> None:
        """``/shopcrew size``."""
        lang = lang_of(str(interaction.locale))
        k, origin = self.bot.knowledge, self.origin(interaction)
        await self.reply(interaction, size_request(k, origin, lang, stores, stage, channels), share)

    async def run_plan(
        self,
        interaction: discord.Interaction,
        command: PlanCommand | None,
        error: GrammarError | None = None,
    ) -> None:
        """``/shopcrew plan …``: the command the options built (or why they could not)."""
        lang = lang_of(str(interaction.locale))
        origin = self.origin(interaction)
        await self.reply(
            interaction, PlanRequest(origin=origin, lang=lang, command=command, error=error)
        )

    async def click(self, interaction: discord.Interaction, value: str) -> None:
        """A suggestion button."""
        request = await self.bot.parse_button_async(value, self.origin(interaction))
        await self.reply(interaction, request)

    async def reply(
        self, interaction: discord.Interaction, request: Request, share: bool = False
    ) -> None:
        """Answer an interaction: questions privately unless shared; plan changes publicly."""
        if not self.inflight.accepting:
            return  # shutting down: Discord tells the user the interaction failed; nothing changed
        async with self.inflight.track():
            try:
                answer = await self.bot.handle_async(request)
                public = share or answer.changed_plan
                first, *rest = render(answer)
                await interaction.response.send_message(ephemeral=not public, **_send_kwargs(first))
                for out in rest:
                    await interaction.followup.send(ephemeral=not public, **_send_kwargs(out))
            except SEND_ERRORS as exc:
                log.error(
                    "Discord reply failed: %s", _describe(exc), extra={"event": "discord_error"}
                )
                await self.apologise(interaction)

    async def apologise(self, interaction: discord.Interaction) -> None:
        """A short private apology (after a failure), if Discord still takes one."""
        text = t(lang_of(str(interaction.locale)), "error.title")
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except SEND_ERRORS as exc:
            log.error("Discord apology failed too: %s", _describe(exc))

    async def on_message(self, message: discord.Message) -> None:
        """@mentions in channels and DMs; ordinary channel messages are ignored."""
        me = self.client.user
        if me is None or not self.inflight.accepting:
            return
        is_dm = message.guild is None
        if not should_answer(message.author.bot, is_dm, me in message.mentions):
            return
        admin = False
        if isinstance(message.author, discord.Member):
            admin = message.author.guild_permissions.manage_guild
        text = strip_bot_mention(message.content, me.id)
        guild_id = message.guild.id if message.guild else None
        async with self.inflight.track():
            incoming = to_incoming(text, guild_id, message.author.id, admin)
            answer = await self.bot.answer_async(incoming)
            try:
                for out in render(answer):
                    await message.reply(mention_author=False, **_send_kwargs(out))
            except SEND_ERRORS as exc:
                log.error("Discord message reply failed: %s", _describe(exc))
                await self._apologise_in(message.channel, answer.language)

    async def _apologise_in(self, channel: discord.abc.Messageable, lang: str) -> None:
        try:
            none = discord.AllowedMentions.none()
            await channel.send(t(lang_of(lang), "error.title"), allowed_mentions=none)
        except SEND_ERRORS as again:
            log.error("Discord apology failed too: %s", _describe(again))

    # --- start-up ----------------------------------------------------------------------------

    async def command_payload(self) -> list[dict[str, Any]]:
        """The command definitions as Discord receives them, localisations included."""
        translator = self.tree.translator
        assert translator is not None, "set_translator() runs first, in setup_hook"
        commands = self.tree.get_commands()
        return [await c.get_translated_payload(self.tree, translator) for c in commands]

    async def sync_if_changed(self) -> bool:
        """Upload the commands only when their definitions differ from the last upload."""
        payload = await self.command_payload()
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        if self.meta.get(COMMANDS_HASH_KEY) == digest:
            log.info("Discord commands unchanged; not syncing")
            return False
        await self.tree.sync()
        self.meta.set(COMMANDS_HASH_KEY, digest)
        log.info("Discord commands synced")
        return True

    def reconnected(self, how: str) -> None:
        """Count a gateway reconnect (resumed or a new session)."""
        if self.metrics is not None:
            self.metrics.discord_reconnects.inc()
        log.info("Discord gateway %s", how, extra={"event": "discord_reconnect"})

    # --- running (the ``Adapter`` interface) -------------------------------------------------

    async def connected(self) -> bool:
        """Logged in, ready, and the gateway websocket open."""
        client = self.client
        if not client.is_ready() or client.is_closed():
            return False
        if isinstance(client, discord.AutoShardedClient):
            return all(not shard.is_closed() for shard in client.shards.values())
        return client.ws is not None and client.ws.open

    async def start(self) -> None:
        """Log in and connect in the background (returns once started, not once ready)."""
        assert self.settings.discord_token is not None
        use_endpoints(self.settings)
        token = self.settings.discord_token.get_secret_value()
        self._task = asyncio.create_task(self.client.start(token))

    async def stop_intake(self) -> None:
        """Ignore new messages and interactions from now on."""
        self.inflight.accepting = False

    async def close(self) -> None:
        """Close the gateway and HTTP sessions, and wait for the client to stop."""
        await self.client.close()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 10)
            except (asyncio.CancelledError, TimeoutError):
                log.warning("Discord client did not stop in time")
            self._task = None

    async def stop(self) -> None:
        """Stop taking work, let in-flight answers finish, then close."""
        await self.stop_intake()
        await self.inflight.idle(5.0)
        await self.close()
