"""The Discord client: ``/shopcrew`` slash commands, @mentions and DMs, answered with embeds.

discord.py does the protocol work (gateway, resume, REST rate limits); this module only maps
interactions and messages to ``Message`` text and renders answers. REST and gateway URLs come from
settings, so a REST proxy (large bots) or a fake Discord (tests) can stand in for Discord.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
from collections.abc import Callable
from typing import Any, cast

import aiohttp
import discord
import yarl
from discord import app_commands

from adapters.discord.translate import (
    Outgoing,
    lang_of,
    parse_channels,
    plan_text,
    render,
    role_choices,
    role_text,
    should_answer,
    size_text,
    strip_bot_mention,
    suggestion_text,
    to_incoming,
)
from bot.core import Bot
from bot.models import Answer
from bot.ops.inflight import InFlight
from bot.ops.metrics import Metrics
from bot.plans import PlanStore
from bot.settings import Settings
from bot.strings import t

log = logging.getLogger("shopcrew.discord")
COMMANDS_HASH_KEY = "discord.commands.sha256"
_T = app_commands.locale_str


#: Failures of a REST call: Discord's own errors, and the network's (timeouts, resets).
_SEND_ERRORS = (discord.HTTPException, aiohttp.ClientError, TimeoutError)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, discord.HTTPException):
        return f"HTTP {exc.status} code {exc.code}: {exc.text}"
    return f"{type(exc).__name__}: {exc}"


class Strings(app_commands.Translator):
    """Slash-command names and descriptions for Spanish clients, from ``bot.strings``."""

    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: Any
    ) -> str | None:
        key = string.extras.get("key")
        if key is None or locale not in (
            discord.Locale.spain_spanish,
            discord.Locale.latin_american_spanish,
        ):
            return None
        return t("es", key)


def _s(key: str) -> app_commands.locale_str:
    """An English command string that the translator can localise by key."""
    return _T(t("en", key), key=key)


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py's REST and gateway traffic at the configured URLs."""
    discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


def make_client(settings: Settings, guild_ready_timeout: float = 2.0) -> discord.Client:
    """A client without privileged intents; sharded when a shard count is configured."""
    intents = discord.Intents.default()
    intents.message_content = False  # mentions and DMs carry their text without it
    intents.members = False
    intents.presences = False
    if settings.discord_shard_count:
        sharding: dict[str, Any] = {"shard_count": settings.discord_shard_count}
        if settings.shard_ids is not None:
            sharding["shard_ids"] = settings.shard_ids
        return discord.AutoShardedClient(
            intents=intents, guild_ready_timeout=guild_ready_timeout, **sharding
        )
    return discord.Client(intents=intents, guild_ready_timeout=guild_ready_timeout)


class DiscordAdapter:
    """Wires ShopCrew into a discord.py client."""

    def __init__(
        self,
        bot: Bot,
        store: PlanStore,
        settings: Settings,
        guild_ready_timeout: float = 2.0,
        metrics: Metrics | None = None,
    ) -> None:
        if settings.discord_token is None:
            raise ValueError("DISCORD_TOKEN is not set")
        configure_endpoints(settings)
        self.bot = bot
        self.store = store
        self.settings = settings
        self.client = make_client(settings, guild_ready_timeout)
        self.tree = app_commands.CommandTree(self.client)
        self.metrics = metrics
        self.inflight = InFlight()
        self._task: asyncio.Task[None] | None = None
        self._connects = 0
        self._build_commands()
        self.client.setup_hook = self._setup_hook  # type: ignore[method-assign]
        self.client.event(self.on_message)
        self.client.event(self.on_interaction)
        self.client.event(self.on_connect)
        self.client.event(self.on_resumed)
        self.tree.on_error = self._on_tree_error  # type: ignore[method-assign]

    # --- answering ---------------------------------------------------------------------------

    def _answer(self, interaction: discord.Interaction, text: str) -> Answer:
        admin = interaction.guild is None or bool(interaction.permissions.manage_guild)
        message = to_incoming(
            text, interaction.guild_id, interaction.user.id, admin, str(interaction.locale)
        )
        answer = self.bot.handle(message)
        return answer

    @staticmethod
    def _discord(out: Outgoing) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"embeds": [discord.Embed.from_dict(e) for e in out.embeds]}
        if out.buttons:
            view = discord.ui.View(timeout=None)
            for label, custom_id in out.buttons:
                view.add_item(
                    discord.ui.Button(
                        label=label, custom_id=custom_id, style=discord.ButtonStyle.secondary
                    )
                )
            kwargs["view"] = view
        if out.file is not None:
            name, content = out.file
            kwargs["file"] = discord.File(io.BytesIO(content.encode("utf-8")), filename=name)
        return kwargs

    async def reply(self, interaction: discord.Interaction, text: str, share: bool = False) -> None:
        """Answer an interaction: questions privately unless shared; plan changes publicly."""
        if not self.inflight.accepting:
            return  # shutting down: Discord tells the user the interaction failed; nothing changed
        async with self.inflight.track():
            await self._reply(interaction, text, share)

    async def _reply(self, interaction: discord.Interaction, text: str, share: bool) -> None:
        try:
            answer = self._answer(interaction, text)
            public = share or answer.changed_plan
            messages = render(answer)
            first, *rest = messages
            await interaction.response.send_message(ephemeral=not public, **self._discord(first))
            for out in rest:
                await interaction.followup.send(ephemeral=not public, **self._discord(out))
        except _SEND_ERRORS as exc:
            log.error("Discord reply failed: %s", _describe(exc), extra={"event": "discord_error"})
            await self._apologise(interaction)

    async def _apologise(self, interaction: discord.Interaction) -> None:
        text = t(lang_of(str(interaction.locale)), "error.title")
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except _SEND_ERRORS as exc:
            log.error("Discord apology failed too: %s", _describe(exc))

    async def _on_tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        # Never silence: an out-of-date command or a failure still gets a short apology.
        log.error("Discord command failed: %r", error)
        await self._apologise(interaction)

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
            answer = self.bot.handle(to_incoming(text, guild_id, message.author.id, admin))
            try:
                for out in render(answer):
                    await message.reply(mention_author=False, **self._discord(out))
            except _SEND_ERRORS as exc:
                log.error("Discord message reply failed: %s", _describe(exc))
                try:
                    await message.channel.send(t(answer.language, "error.title"))
                except _SEND_ERRORS as again:
                    log.error("Discord apology failed too: %s", _describe(again))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Suggestion buttons (custom id ``shopcrew:<text>``); slash commands go to the tree."""
        if interaction.type is not discord.InteractionType.component:
            return
        data = cast(dict[str, Any], interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        text = suggestion_text(custom_id)
        if text is not None:
            await self.reply(interaction, text)

    # --- commands ------------------------------------------------------------------------

    def _build_commands(self) -> None:
        group = app_commands.Group(
            name=_s("dc.group"), description=_s("dc.group.desc"),
            # Everyone who may talk may ask; admin-only plan commands are checked on use.
            default_permissions=discord.Permissions(send_messages=True),
        )  # fmt: skip
        plan = app_commands.Group(name=_s("dc.plan"), description=_s("dc.plan.desc"), parent=group)
        adapter = self
        kb = self.bot.kb

        async def roles_autocomplete(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            lang = lang_of(str(interaction.locale))
            return [
                app_commands.Choice(name=n, value=v) for n, v in role_choices(kb, current, lang)
            ]

        stage_choices = [
            app_commands.Choice(name=_s("dc.choice.new"), value="new"),
            app_commands.Choice(name=_s("dc.choice.mature"), value="mature"),
        ]

        @group.command(name=_s("dc.ask"), description=_s("dc.ask.desc"))
        @app_commands.rename(question=_s("dc.opt.question"), share=_s("dc.opt.share"))
        @app_commands.describe(question=_s("dc.opt.question.desc"), share=_s("dc.opt.share.desc"))
        async def ask(interaction: discord.Interaction, question: str, share: bool = False) -> None:
            await adapter.reply(interaction, question, share)

        @group.command(name=_s("dc.role"), description=_s("dc.role.desc"))
        @app_commands.rename(name=_s("dc.opt.name"), share=_s("dc.opt.share"))
        @app_commands.describe(name=_s("dc.opt.name.desc"), share=_s("dc.opt.share.desc"))
        @app_commands.autocomplete(name=roles_autocomplete)
        async def role(interaction: discord.Interaction, name: str, share: bool = False) -> None:
            await adapter.reply(
                interaction, role_text(name, lang_of(str(interaction.locale))), share
            )

        @group.command(name=_s("dc.size"), description=_s("dc.size.desc"))
        @app_commands.rename(stores=_s("dc.opt.stores"), stage=_s("dc.opt.stage"),
                             channels=_s("dc.opt.channels"), share=_s("dc.opt.share"))  # fmt: skip
        @app_commands.describe(
            stores=_s("dc.opt.stores.desc"),
            stage=_s("dc.opt.stage.desc"),
            channels=_s("dc.opt.channels.desc"),
            share=_s("dc.opt.share.desc"),
        )
        @app_commands.choices(stage=stage_choices)
        async def size(
            interaction: discord.Interaction,
            stores: app_commands.Range[int, 1, 500],
            stage: str | None = None,
            channels: str | None = None,
            share: bool = False,
        ) -> None:
            lang = lang_of(str(interaction.locale))
            await adapter.reply(
                interaction, size_text(stores, stage, parse_channels(channels), lang), share
            )

        def plan_command(sub: str) -> Callable[[Callable[..., Any]], Any]:
            return plan.command(name=_s(f"dc.plan.{sub}"), description=_s(f"dc.plan.{sub}.desc"))

        async def run(interaction: discord.Interaction, sub: str, *args: object) -> None:
            await adapter.reply(
                interaction, plan_text(sub, lang_of(str(interaction.locale)), *args)
            )

        for sub in ("show", "recommend", "check", "history", "undo", "reset", "lock", "unlock"):

            def make(sub: str = sub) -> None:
                @plan_command(sub)
                async def simple(interaction: discord.Interaction) -> None:
                    await run(interaction, sub)

            make()

        role_opts = {"role": _s("dc.opt.role"), "count": _s("dc.opt.count")}
        role_desc = {"role": _s("dc.opt.role.desc"), "count": _s("dc.opt.count.desc")}

        for sub in ("add", "remove"):

            def make_counted(sub: str = sub) -> None:
                @plan_command(sub)
                @app_commands.rename(**role_opts)
                @app_commands.describe(**role_desc)
                @app_commands.autocomplete(role=roles_autocomplete)
                async def counted(
                    interaction: discord.Interaction,
                    role: str,
                    count: app_commands.Range[int, 1, 999] = 1,
                ) -> None:
                    await run(interaction, sub, role, count)

            make_counted()

        @plan_command("set")
        @app_commands.rename(**role_opts)
        @app_commands.describe(**role_desc)
        @app_commands.autocomplete(role=roles_autocomplete)
        async def set_(
            interaction: discord.Interaction, role: str, count: app_commands.Range[int, 0, 999]
        ) -> None:
            await run(interaction, "set", role, count)

        @plan_command("stores")
        @app_commands.rename(count=_s("dc.opt.stores"))
        @app_commands.describe(count=_s("dc.opt.stores.desc"))
        async def stores(
            interaction: discord.Interaction, count: app_commands.Range[int, 1, 500]
        ) -> None:
            await run(interaction, "stores", count)

        @plan_command("stage")
        @app_commands.rename(stage=_s("dc.opt.stage"))
        @app_commands.describe(stage=_s("dc.opt.stage.desc"))
        @app_commands.choices(stage=stage_choices)
        async def stage_(interaction: discord.Interaction, stage: str) -> None:
            await run(interaction, "stage", stage)

        @plan_command("channels")
        @app_commands.rename(channels=_s("dc.opt.channels"))
        @app_commands.describe(channels=_s("dc.opt.channels.desc"))
        async def channels_(interaction: discord.Interaction, channels: str) -> None:
            await run(interaction, "channels", channels.replace(" ", ""))

        @plan_command("export")
        @app_commands.rename(format=_s("dc.opt.format"))
        @app_commands.describe(format=_s("dc.opt.format.desc"))
        @app_commands.choices(format=[app_commands.Choice(name="csv", value="csv"),
                                      app_commands.Choice(name="md", value="md")])  # fmt: skip
        async def export(interaction: discord.Interaction, format: str) -> None:
            await run(interaction, "export", format)

        @plan_command("editors")
        @app_commands.rename(action=_s("dc.opt.action"), user=_s("dc.opt.user"))
        @app_commands.describe(action=_s("dc.opt.action.desc"), user=_s("dc.opt.user.desc"))
        @app_commands.choices(
            action=[
                app_commands.Choice(name=_s("dc.choice.add"), value="add"),
                app_commands.Choice(name=_s("dc.choice.remove"), value="remove"),
            ]
        )
        async def editors(
            interaction: discord.Interaction, action: str, user: discord.User
        ) -> None:
            await run(interaction, "editors", action, user.id)

        self.tree.add_command(group)

    # --- start-up ------------------------------------------------------------------------

    async def _setup_hook(self) -> None:
        await self.tree.set_translator(Strings())
        await self.sync_if_changed()

    async def command_payload(self) -> list[dict[str, Any]]:
        """The command definitions as Discord receives them, localisations included."""
        translator = self.tree.translator
        assert translator is not None, "set_translator() runs first, in setup_hook"
        return [
            await c.get_translated_payload(self.tree, translator) for c in self.tree.get_commands()
        ]

    async def sync_if_changed(self) -> bool:
        """Upload the commands only when their definitions differ from the last upload."""
        payload = await self.command_payload()
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        if self.store.get_meta(COMMANDS_HASH_KEY) == digest:
            log.info("Discord commands unchanged; not syncing")
            return False
        await self.tree.sync()
        self.store.set_meta(COMMANDS_HASH_KEY, digest)
        log.info("Discord commands synced")
        return True

    async def on_connect(self) -> None:
        """Every gateway session after the first is a reconnect."""
        self._connects += 1
        if self._connects > 1:
            self._reconnected("new_session")

    async def on_resumed(self) -> None:
        """A resumed session: discord.py replays what was missed."""
        self._reconnected("resumed")

    def _reconnected(self, how: str) -> None:
        if self.metrics is not None:
            self.metrics.discord_reconnects.inc()
        log.info("Discord gateway %s", how, extra={"event": "discord_reconnect"})

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
        self._task = asyncio.create_task(
            self.client.start(self.settings.discord_token.get_secret_value())
        )

    def stop_intake(self) -> None:
        """Ignore new messages and interactions from now on."""
        self.inflight.accepting = False

    async def stop(self) -> None:
        """Stop taking work, let in-flight answers finish, then close the gateway and HTTP."""
        self.stop_intake()
        await self.inflight.idle(5.0)
        await self.client.close()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 10)
            except (asyncio.CancelledError, TimeoutError):
                log.warning("Discord client did not stop in time")
            self._task = None

    async def run(self) -> None:
        """Log in and serve until the client is closed."""
        assert self.settings.discord_token is not None
        async with self.client:
            await self.client.start(self.settings.discord_token.get_secret_value())
