"""One bolt middleware for what every Slack request needs before a listener runs.

- Intake: once shutdown starts, new requests are refused (503: Slack retries them later, and
  nothing was done), so the drain only waits for work already accepted.
- Once only: Slack redelivers an event it thinks was lost (``X-Slack-Retry-Num``), and anyone
  who saw a signed slash command or button click can replay its bytes within the signature's
  five minutes. Each delivery has a key (the event id; for commands and clicks a hash of the
  signed timestamp and body): one already handled (in the database, so also across restarts)
  or being handled right now is acknowledged and dropped.
- A key is written to the database once its request was handled, not when it arrives: events
  are processed before they are acknowledged (see ``adapters.slack.app``), so when the process
  dies half-way Slack retries the event and the retry is handled, not dropped. A plan change
  writes its event's key in its own transaction, so a retry never applies it twice.
- The database is read and written on the core's worker thread (never on the event loop); when
  it cannot be read or written, the request is handled anyway: a rare duplicate beats a silent
  bot.
- In flight: every accepted request counts until its listener finishes (listeners end it with
  ``done``, which also writes its key), so shutdown waits for answers being built and posted.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from adapters.base import InFlight
from bot.ops.metrics import Metrics
from bot.storage.errors import StorageError
from bot.storage.events import SeenEvents

log = logging.getLogger("shopcrew.slack")
_TICKET = "shopcrew_in_flight"
#: Runs a blocking call off the event loop (``Bot.offload``).
Offload = Callable[..., Awaitable[Any]]


async def done(context: AsyncBoltContext) -> None:
    """End this request: record its key and end its in-flight count (idempotent; listeners
    await it when finished, so an event's key is written before Slack hears "200 OK")."""
    end: Callable[[], Awaitable[None]] | None = context.pop(_TICKET, None)
    if end is not None:
        await end()


def event_key(body: dict[str, Any]) -> str | None:
    """An event's de-duplication key (its id), None for anything else."""
    event_id = body.get("event_id")
    return f"slack:{event_id}" if event_id else None


def delivery_key(req: AsyncBoltRequest) -> str | None:
    """The key that makes a request "the same" when it comes again (see the module docstring)."""
    key = event_key(req.body)
    if key is not None:
        return key
    if req.body.get("type") == "event_callback" or not req.raw_body:
        return None
    stamp = (req.headers.get("x-slack-request-timestamp") or [""])[0]
    digest = hashlib.sha256(f"{stamp}:{req.raw_body}".encode()).hexdigest()
    return f"slack:request:{digest[:32]}"


class Intake(AsyncMiddleware):
    """Refuse work while stopping, drop repeated deliveries, count accepted work in flight."""

    def __init__(
        self, inflight: InFlight, seen: SeenEvents, metrics: Metrics | None, offload: Offload
    ) -> None:
        self.inflight = inflight
        self.seen = seen
        self.metrics = metrics
        self.offload = offload
        self.retries_dropped = 0
        #: Keys of the requests being handled now (a retry of one of them is dropped too).
        self._handling: set[str] = set()

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse:
        """See the module docstring."""
        if not self.inflight.accepting:
            return BoltResponse(status=503, body="shutting down")
        key = delivery_key(req)
        if key is not None and await self._is_retry(key):
            return BoltResponse(status=200, body="")
        self.inflight.begin()
        ended = False

        async def end() -> None:
            # Bolt runs listeners after the middleware chain, so this is the listener's end.
            nonlocal ended
            if not ended:
                ended = True
                await self._handled(key)

        req.context[_TICKET] = end
        try:
            await next()
        except BaseException:
            await end()
            raise
        return resp

    async def _handled(self, key: str | None) -> None:
        """The request's work is over: write its key (off the loop), then end its count.

        From then on a redelivery of ``key`` is dropped, also after a restart.
        """
        try:
            if key is not None:
                await self.offload(self.seen.first_time, key)
        except StorageError as exc:
            log.warning(
                "could not record %s (%s: %s); a retry of it would be answered again",
                key,
                exc.kind,
                exc.detail,
                extra={"event": "slack_dedupe_unavailable"},
            )
        finally:
            self._handling.discard(key or "")
            self.inflight.end()

    async def _is_retry(self, key: str) -> bool:
        """True (and counted) when ``key`` was handled or is being handled; else claims it."""
        if key not in self._handling:
            self._handling.add(key)  # claimed before waiting: a concurrent copy sees it
            if not await self._recorded(key):
                return False
            self._handling.discard(key)
        self.retries_dropped += 1
        if self.metrics is not None:
            self.metrics.slack_retries_dropped.inc()
        log.info("dropped a repeated delivery %s", key, extra={"event": "slack_retry_dropped"})
        return True

    async def _recorded(self, key: str) -> bool:
        """True when the database has ``key``; False (answer it) when it cannot be read."""
        try:
            return bool(await self.offload(self.seen.seen, key))
        except StorageError as exc:
            log.warning(
                "could not check %s (%s: %s); answering it anyway",
                key,
                exc.kind,
                exc.detail,
                extra={"event": "slack_dedupe_unavailable"},
            )
            return False
