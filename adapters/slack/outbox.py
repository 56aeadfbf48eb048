"""Posting answers to Slack: in a channel, thread or DM, through a response URL, and pictures.

Every call is made with the client of the request being answered (its installation's token).
A failure never vanishes: it is logged and counted, the asker gets an apology where possible,
and a saved plan change whose announcement failed is named in the log (its history has it too).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import webapi
from adapters.slack.translate import apology, render
from adapters.slack.webapi import SEND_ERRORS, error_text
from bot.models import Answer
from bot.ops.metrics import Metrics
from bot.strings import t

log = logging.getLogger("shopcrew.slack")


class Outbox:
    """Sends answers; reports failures in the logs and the metrics."""

    def __init__(self, metrics: Metrics | None = None) -> None:
        self.metrics = metrics

    async def deliver(
        self,
        client: AsyncWebClient,
        channel: str,
        thread: str | None,
        answer: Answer,
        change: str | None = None,
    ) -> None:
        """Post ``answer`` in ``channel`` (a thread, a DM), or apologise there."""

        async def send() -> None:
            for payload in render(answer):
                await client.chat_postMessage(channel=channel, thread_ts=thread, **payload)

        async def sorry() -> None:
            text = apology(answer.language)
            await client.chat_postMessage(channel=channel, thread_ts=thread, text=text)

        await self.safely("chat.postMessage", send, sorry, change)
        await self.picture(client, answer, channel, thread)

    async def safely(
        self,
        what: str,
        send: Callable[[], Awaitable[Any]],
        sorry: Callable[[], Awaitable[Any]],
        change: str | None = None,
    ) -> None:
        """Send; on failure log, apologise, and name a committed change left unannounced."""
        try:
            await send()
        except SEND_ERRORS as exc:
            log.error(
                "Slack %s failed: %s", what, error_text(exc), extra={"event": "slack_api_error"}
            )
            if self.metrics is not None:
                self.metrics.errors.labels("slack_api").inc()
            if change is not None:
                # The change is saved; only its announcement is lost: say which, so that it
                # can be told by hand (the plan's history has it too).
                log.error(
                    "a saved plan change was not announced (%s)",
                    change,
                    extra={"event": "slack_change_unannounced"},
                )
            try:
                await sorry()
            except SEND_ERRORS as again:
                log.error("Slack apology after %s failed too: %s", what, error_text(again))

    async def picture(
        self,
        client: AsyncWebClient,
        answer: Answer,
        channel: str | None,
        thread: str | None,
        url: str = "",
    ) -> None:
        """Upload the answer's picture (the org chart) with its alt text where it was asked: the
        channel, thread or DM (a Slack file cannot be shown to one person only). When Slack
        refuses (ShopCrew is not in that channel), the asker is told how to get it."""
        file = answer.attachment
        if file is None or file.is_text or channel is None:
            return

        async def upload() -> None:
            await client.files_upload_v2(
                channel=channel,
                thread_ts=thread,
                file=file.content,
                filename=file.filename,
                title=answer.title,
                alt_txt=file.alt_text,
            )

        async def sorry() -> None:
            text = t(answer.language, "chart.not_posted")
            if url:
                payload = {"response_type": "ephemeral", "replace_original": False, "text": text}
                await webapi.post_response(url, payload, client.timeout, client.session)
            else:
                await client.chat_postMessage(channel=channel, thread_ts=thread, text=text)

        await self.safely("files.upload", upload, sorry)

    async def respond(
        self, client: AsyncWebClient, url: str, answer: Answer, public: bool, change: str | None
    ) -> None:
        """Answer through a response URL (commands, clicks): in the channel or to the asker."""
        kind = "in_channel" if public else "ephemeral"

        async def post(payload: dict[str, Any]) -> None:
            await webapi.post_response(url, payload, client.timeout, client.session)

        async def send() -> None:
            for payload in render(answer):
                await post({"response_type": kind, "replace_original": False, **payload})

        async def sorry() -> None:
            await post({"response_type": "ephemeral", "text": apology(answer.language)})

        await self.safely("response_url", send, sorry, change)
