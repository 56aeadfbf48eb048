"""The floor the capacity benchmark compares ShopCrew with: the same two SDKs, doing nothing else.

One process, configured from the same environment as ``shopcrew run`` (Slack HTTP mode + Discord):
a bare slack-bolt ``AsyncApp`` that answers every ``app_mention`` by posting a fixed reply in its
thread (one pooled aiohttp session for the Web API, as ShopCrew has), and a bare discord.py client
that replies a fixed text to every mention or DM. No database, no parsing, no rendering: whatever
ShopCrew costs beyond this is ShopCrew's. ``/readyz`` is 200 once the Discord client is ready.
Run by ``bench/capacity.py``; not meant to be started by hand.
"""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Any

import aiohttp
import discord
import yarl
from aiohttp import web
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

REPLY = "ok"


def slack_app() -> AsyncApp:
    """Bolt, verifying signatures, posting ``REPLY`` in the mention's thread."""
    client = AsyncWebClient(
        token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SHOPCREW_SLACK_API_URL"]
    )
    app = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    @app.event("app_mention")
    async def mention(event: dict[str, Any], client: AsyncWebClient) -> None:
        await client.chat_postMessage(channel=event["channel"], thread_ts=event["ts"], text=REPLY)

    @app.event("message")
    async def message(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("channel_type") == "im":
            await client.chat_postMessage(channel=event["channel"], text=REPLY)

    return app


class FloorClient(discord.Client):
    """Replies ``REPLY`` to every mention and DM from a person."""

    async def on_message(self, message: discord.Message) -> None:
        me = self.user
        if me is None or message.author.bot:
            return
        if message.guild is None or me in message.mentions:
            none = discord.AllowedMentions.none()
            await message.reply(REPLY, mention_author=False, allowed_mentions=none)


async def main() -> None:
    """Serve until SIGTERM."""
    discord.http.Route.BASE = os.environ["SHOPCREW_DISCORD_API_URL"].rstrip("/")
    gateway = yarl.URL(os.environ["SHOPCREW_DISCORD_GATEWAY_URL"])
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway
    intents = discord.Intents.default()
    intents.message_content = False
    bot = FloorClient(intents=intents)

    app = slack_app()
    app.client.session = aiohttp.ClientSession()  # one pooled session, as ShopCrew's adapter
    web_app = app.web_app(path="/slack/events")

    async def readyz(_: web.Request) -> web.Response:
        return web.json_response({"ready": bot.is_ready()}, status=200 if bot.is_ready() else 503)

    web_app.router.add_get("/readyz", readyz)
    runner = web.AppRunner(web_app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", int(os.environ["SHOPCREW_SLACK_PORT"])).start()
    task = asyncio.create_task(bot.start(os.environ["DISCORD_TOKEN"]))
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await bot.close()
    await task
    await runner.cleanup()
    await app.client.session.close()


if __name__ == "__main__":
    asyncio.run(main())
