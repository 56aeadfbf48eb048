"""Where discord.py sends REST calls and opens the gateway (a proxy, or a fake in tests).

discord.py has no constructor option for either. ``Route.BASE`` (the class attribute discord.py's
own API-version switch assigns) and ``DiscordWebSocket.DEFAULT_GATEWAY`` are its hooks; this is
the only place ShopCrew touches them, once, before a client starts.
"""

from __future__ import annotations

import discord
import yarl

from bot.settings import Settings


def use_endpoints(settings: Settings) -> None:
    """Point discord.py's REST and gateway traffic at the configured URLs."""
    discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)
