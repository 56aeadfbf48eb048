"""ShopCrew's discord.py client: a ``Client`` subclass with its command tree and events."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands

from adapters.discord.commands import ShopCrewGroup, Strings
from adapters.discord.panel_view import PanelButton, PanelSelect
from adapters.discord.render import button_of

if TYPE_CHECKING:
    from adapters.discord.app import DiscordAdapter

log = logging.getLogger("shopcrew.discord")


def intents() -> discord.Intents:
    """No privileged intents: mentions and DMs carry their text without message content."""
    wanted = discord.Intents.default()
    wanted.message_content = False
    wanted.members = False
    wanted.presences = False
    return wanted


class ShopCrewTree(app_commands.CommandTree["ShopCrewClient"]):
    """The command tree; a failing command still gets a short apology (autocomplete: none)."""

    async def _call(self, interaction: discord.Interaction[ShopCrewClient]) -> None:
        # discord.py hands only AppCommandErrors to on_error: anything else raised while it
        # reads an interaction (a payload it cannot parse) would end in silence for the user.
        try:
            await super()._call(interaction)
        except app_commands.AppCommandError:
            raise
        except Exception as exc:
            interaction.command_failed = True
            error = app_commands.AppCommandError(f"{type(exc).__name__}: {exc}")
            error.__cause__ = exc
            await self.on_error(interaction, error)

    async def on_error(
        self, interaction: discord.Interaction[ShopCrewClient], error: app_commands.AppCommandError
    ) -> None:
        """Never silent: log it, and tell the user something went wrong."""
        if isinstance(error, app_commands.CommandNotFound):
            # A command Discord still shows but this version no longer has (synced since).
            log.warning("Discord command not found: %s", error)
        else:
            log.error("Discord command failed: %r", error)
        await self.client.adapter.apologise(interaction)


class ShopCrewClient(discord.Client):
    """The Discord client: slash commands, mentions, DMs and suggestion buttons."""

    def __init__(self, adapter: DiscordAdapter, **options: Any) -> None:
        super().__init__(intents=intents(), **options)
        self.adapter = adapter
        self.tree = ShopCrewTree(self)
        self.tree.add_command(ShopCrewGroup(adapter))
        self._connects = 0

    async def setup_hook(self) -> None:
        """Before connecting: route plan panel clicks by custom id (every panel ever posted,
        after a restart too), localise the commands and sync them if they changed."""
        self.add_dynamic_items(PanelButton, PanelSelect)
        await self.tree.set_translator(Strings())
        await self.adapter.sync_if_changed()

    async def on_message(self, message: discord.Message) -> None:
        """@mentions in channels and DMs; ordinary channel messages are ignored."""
        await self.adapter.on_message(message)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Suggestion buttons (``shopcrew:…`` custom ids); slash commands go to the tree, and
        plan panel components (``shopcrew-panel:…``) to their ``DynamicItem`` s."""
        if interaction.type is not discord.InteractionType.component:
            return
        data = cast(dict[str, Any], interaction.data or {})
        value = button_of(str(data.get("custom_id", "")))
        if value is not None:
            await self.adapter.click(interaction, value)

    async def on_connect(self) -> None:
        """Every gateway session after the first is a reconnect."""
        self._connects += 1
        if self._connects > 1:
            self.adapter.reconnected("new_session")

    async def on_resumed(self) -> None:
        """A resumed session: discord.py replays what was missed."""
        self.adapter.reconnected("resumed")


class ShardedShopCrewClient(ShopCrewClient, discord.AutoShardedClient):
    """The same client over several gateway shards (discord.py's ``AutoShardedClient``)."""
