"""The Discord adapter: ``/shopcrew`` slash commands, @mentions and DMs, answered with embeds.

discord.py does the protocol work (gateway, resume, REST rate limits); this module maps
interactions and messages to requests and posts the answers. REST and gateway URLs come from
settings (``adapters.discord.endpoints``), so a REST proxy or a fake Discord can stand in.
"""

from __future__ import annotations

import io
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from adapters.base import EXIT_CONFIG, AdapterFailure, Backoff, InFlight, Supervisor
from adapters.discord.client import ShardedShopCrewClient, ShopCrewClient
from adapters.discord.endpoints import use_endpoints
from adapters.discord.render import Outgoing, render
from adapters.discord.sync import CommandSync
from adapters.discord.translate import (
    lang_of,
    message_text,
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

if TYPE_CHECKING:
    from adapters.discord.panel import Panel

log = logging.getLogger("shopcrew.discord")
#: The gateway's close code for a token it does not accept.
GATEWAY_AUTH_FAILED = 4004
#: How long a restart waits for answers being posted on the failed connection.
DRAIN_SECONDS = 5.0
#: Messages people write (a reply is one); the rest are system messages: a pin, a join, a boost.
PEOPLES_MESSAGES = (discord.MessageType.default, discord.MessageType.reply)
#: Failures of a REST call: Discord's own errors, and the network's (timeouts, resets).
SEND_ERRORS = (discord.HTTPException, aiohttp.ClientError, TimeoutError)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, discord.HTTPException):
        return f"HTTP {exc.status} code {exc.code}: {exc.text}"
    return f"{type(exc).__name__}: {exc}"


def _within_install(interaction: discord.Interaction, request: Request) -> Request:
    """A server's plan changes only through the ShopCrew that server added.

    Someone who added ShopCrew to their own account (a user install) can use it in any server;
    there it answers questions and shows the server's plan, but a change (or lock, or edit
    rights) would be made without the server's consent: it is refused, saying what works.
    """
    if interaction.guild_id is None or interaction.is_guild_integration():
        return request
    if not isinstance(request, PlanRequest) or request.command is None:
        return request
    command = request.command
    if not command.changes and command.admin_only is None:
        return request
    error = GrammarError("dc.not_installed")
    error.verb = command.verb
    return replace(request, command=None, error=error)


def _guild_id(message: discord.Message) -> int | None:
    """The message's server, also when discord.py does not have that server (None in DMs)."""
    if message.guild is not None:
        return message.guild.id
    # A server missing from discord.py's cache (unavailable, or not yet sent) leaves
    # ``message.guild`` empty; the channel still knows it is a server's.
    guild_id = getattr(message.channel, "guild_id", None)
    return guild_id if isinstance(guild_id, int) else None


def _refused(exc: discord.DiscordException) -> AdapterFailure:
    """The one line for a token Discord does not accept: what happened, and what to set."""
    how = f"code {exc.code}" if isinstance(exc, discord.ConnectionClosed) else "HTTP 401"
    return AdapterFailure(
        f"Discord refused the bot token in DISCORD_TOKEN ({how}): set DISCORD_TOKEN to the "
        "token on the Bot page of your app in the Discord Developer Portal",
        EXIT_CONFIG,
    )


def _buttons(buttons: list[tuple[str, str]]) -> discord.ui.View:
    """Suggestion buttons as a view that discord.py does not keep.

    Clicks are routed by custom id (``ShopCrewClient.on_interaction``), so no view needs to
    listen for them. A view that is still listening is stored by discord.py for every message
    sent with it, forever when it has no timeout: a finished (stopped) view is sent the same
    way and never enters the client's view store.
    """
    view = discord.ui.View(timeout=None)
    for label, custom_id in buttons:
        view.add_item(
            discord.ui.Button(label=label, custom_id=custom_id, style=discord.ButtonStyle.secondary)
        )
    view.stop()
    return view


def _send_kwargs(out: Outgoing) -> dict[str, Any]:
    """An ``Outgoing`` as discord.py send arguments; no message may ping anyone."""
    kwargs: dict[str, Any] = {
        "embeds": [discord.Embed.from_dict(e) for e in out.embeds],
        "allowed_mentions": discord.AllowedMentions.none(),
    }
    if out.buttons:
        kwargs["view"] = _buttons(out.buttons)
    if out.file is not None:
        file = out.file
        kwargs["file"] = discord.File(
            io.BytesIO(file.content), filename=file.filename, description=file.alt_text
        )
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
        backoff: Backoff | None = None,
    ) -> None:
        if settings.discord_token is None:
            raise ValueError("DISCORD_TOKEN is not set")
        self.bot = bot
        self.meta = meta
        self.settings = settings
        self.metrics = metrics
        self.inflight = InFlight()
        self._guild_ready_timeout = guild_ready_timeout
        self.client = self._make_client()
        self.tree = self.client.tree
        #: Registers the commands, once across every process sharing the database.
        self.registration = CommandSync(meta, bot.offload, lambda: self.tree)
        self._logged_in = False
        # Imported here: the panel's module uses this one's reply helpers.
        from adapters.discord.panel import Panel

        #: ``/shopcrew plan panel`` and the clicks on every panel (``adapters.discord.panel``).
        self.panel: Panel = Panel(self)
        #: Keeps the gateway connection running: restarts it when it fails, or gives up.
        self.supervisor = Supervisor("discord", self._run, self._recover, backoff)

    def _make_client(self) -> ShopCrewClient:
        """Sharded (``AutoShardedClient``) when a shard count is configured."""
        s, timeout = self.settings, self._guild_ready_timeout
        if not s.discord_shard_count:
            return ShopCrewClient(self, guild_ready_timeout=timeout)
        sharding: dict[str, Any] = {"shard_count": s.discord_shard_count}
        if s.shard_ids is not None:
            sharding["shard_ids"] = s.shard_ids
        return ShardedShopCrewClient(self, guild_ready_timeout=timeout, **sharding)

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
        share: bool = False,
    ) -> None:
        """``/shopcrew plan …``: the command the options built (or why they could not)."""
        lang = lang_of(str(interaction.locale))
        origin = self.origin(interaction)
        request = PlanRequest(origin=origin, lang=lang, command=command, error=error)
        await self.reply(interaction, request, share)

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
        request = _within_install(interaction, request)
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
        """A short private apology (after a failure), if Discord still takes one.

        Autocomplete takes nothing but choices: it gets none, which Discord shows as no match.
        """
        text = t(lang_of(str(interaction.locale)), "error.title")
        try:
            if interaction.type is discord.InteractionType.autocomplete:
                if not interaction.response.is_done():
                    await interaction.response.autocomplete([])
            elif interaction.response.is_done():
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
        guild_id = _guild_id(message)
        if not should_answer(
            message.author.bot,
            guild_id is None,
            me in message.mentions,
            webhook=message.webhook_id is not None,
            system=message.type not in PEOPLES_MESSAGES,
        ):
            return
        admin = False
        # Rights are known only in a server discord.py has (its roles); elsewhere, no admin.
        if message.guild is not None and isinstance(message.author, discord.Member):
            admin = message.author.guild_permissions.manage_guild
        forwarded = [s.content for s in getattr(message, "message_snapshots", [])]
        text = strip_bot_mention(message_text(message.content, forwarded), me.id)
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

    async def sync_if_changed(self) -> bool:
        """Upload the commands if they changed since the last upload and this process claimed
        it (``adapters.discord.sync``); ``setup_hook`` calls it on every login."""
        return await self.registration.sync_if_changed()

    def reconnected(self, how: str) -> None:
        """Count a gateway reconnect (resumed, a new session, or a restarted client)."""
        if self.metrics is not None:
            self.metrics.discord_reconnects.inc()
        log.info("Discord gateway %s", how, extra={"event": "discord_reconnect"})

    # --- running (the ``Adapter`` interface) -------------------------------------------------

    async def connected(self) -> bool:
        """Logged in, ready, and the gateway websocket open (never while restarting)."""
        client = self.client
        if not self.supervisor.up or not client.is_ready() or client.is_closed():
            return False
        if isinstance(client, discord.AutoShardedClient):
            return all(not shard.is_closed() for shard in client.shards.values())
        return client.ws is not None and client.ws.open

    async def start(self) -> None:
        """Log in, then connect in the background (returns once started, not once ready).

        A token Discord refuses fails here, at once, naming the setting to fix; an unreachable
        Discord is retried by the supervised connection.
        """
        use_endpoints(self.settings)
        try:
            await self._login()
        except SEND_ERRORS as exc:
            log.warning("Discord login failed: %s; trying again", _describe(exc))
            await self._fresh_client()
        self.supervisor.start()

    async def _login(self) -> None:
        """Check the token and sync the commands (``setup_hook``), once per client."""
        assert self.settings.discord_token is not None
        if self._logged_in:
            return
        try:
            await self.client.login(self.settings.discord_token.get_secret_value())
        except discord.LoginFailure as exc:
            raise _refused(exc) from None
        self._logged_in = True

    async def _run(self) -> None:
        """The supervised connection: log in if needed, then read the gateway until closed."""
        await self._login()
        try:
            await self.client.connect(reconnect=True)
        except discord.ConnectionClosed as exc:
            if exc.code == GATEWAY_AUTH_FAILED:
                raise _refused(exc) from None
            raise

    async def _recover(self) -> None:
        """After a failure: let answers being posted finish, then swap in a fresh client.

        A fresh client, not the same one reconnected: a sharded client closes itself on an
        error, and a half-read session's caches are not worth trusting.
        """
        await self.inflight.idle(DRAIN_SECONDS)
        await self._fresh_client()
        self.reconnected("restarted")

    async def _fresh_client(self) -> None:
        """Close the client and make a new one, to log in and connect from scratch."""
        broken = self.client
        self.client = self._make_client()
        self.tree = self.client.tree
        self._logged_in = False
        await broken.close()

    async def stop_intake(self) -> None:
        """Ignore new messages and interactions from now on."""
        self.inflight.accepting = False

    async def close(self) -> None:
        """Close the gateway and HTTP sessions; the connection is not restarted."""
        self.registration.close()
        await self.supervisor.stop(lambda: self.client.close())
        await self.client.close()  # a client made while the connection was being restarted

    async def stop(self) -> None:
        """Stop taking work, let in-flight answers finish, then close."""
        await self.stop_intake()
        await self.inflight.idle(5.0)
        await self.close()
