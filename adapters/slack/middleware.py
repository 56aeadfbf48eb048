"""One bolt middleware for what every Slack request needs before a listener runs.

- Intake: once shutdown starts, new requests are refused (503: Slack retries them later, and
  nothing was done), so the drain only waits for work already accepted.
- Retries: Slack redelivers an event it thinks was lost (``X-Slack-Retry-Num``); one already
  handled (by id, in the database, so also across restarts) is acknowledged and dropped. The
  check runs on the core's worker thread (never on the event loop); when the database cannot
  record the id, the event is answered anyway: a rare duplicate beats a silent bot.
- In flight: every accepted request counts until its listener finishes (listeners end it with
  ``done``), so shutdown waits for answers being built and posted.
"""

from __future__ import annotations

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


def done(context: AsyncBoltContext) -> None:
    """End the in-flight count of this request (idempotent; listeners call it when finished)."""
    end: Callable[[], None] | None = context.pop(_TICKET, None)
    if end is not None:
        end()


class Intake(AsyncMiddleware):
    """Refuse work while stopping, drop retried events, count accepted work as in flight."""

    def __init__(
        self, inflight: InFlight, seen: SeenEvents, metrics: Metrics | None, offload: Offload
    ) -> None:
        self.inflight = inflight
        self.seen = seen
        self.metrics = metrics
        self.offload = offload
        self.retries_dropped = 0

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
        if await self._is_retry(req.body):
            return BoltResponse(status=200, body="")
        self.inflight.begin()
        ended = False

        def end() -> None:
            nonlocal ended
            if not ended:
                ended = True
                self.inflight.end()

        req.context[_TICKET] = end
        try:
            await next()
        except BaseException:
            end()
            raise
        return resp

    async def _is_retry(self, body: dict[str, Any]) -> bool:
        event_id = body.get("event_id")
        if not event_id:
            return False
        try:
            if await self.offload(self.seen.first_time, f"slack:{event_id}"):
                return False
        except StorageError as exc:
            log.warning(
                "could not record event %s (%s: %s); answering it anyway",
                event_id,
                exc.kind,
                exc.detail,
                extra={"event": "slack_dedupe_unavailable"},
            )
            return False
        self.retries_dropped += 1
        if self.metrics is not None:
            self.metrics.slack_retries_dropped.inc()
        log.info("dropped retried event %s", event_id, extra={"event": "slack_retry_dropped"})
        return True
