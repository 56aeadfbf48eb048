"""One bolt middleware for what every Slack request needs before a listener runs.

- Intake: once shutdown starts, new requests are refused (503: Slack retries them later, and
  nothing was done), so the drain only waits for work already accepted.
- Once only, across replicas: Slack redelivers an event it thinks was lost
  (``X-Slack-Retry-Num``), to whichever replica the load balancer picks, and anyone who saw a
  signed slash command or button click can replay its bytes within the signature's five
  minutes. Each delivery has a key (the event id; for commands and clicks a hash of the signed
  timestamp and body), claimed in the database before it is handled (``SeenEvents.claim``).
  A delivery already handled is acknowledged and dropped. One being handled right now, by
  this replica or another: an event gets 503, never "200 OK" before it was answered, so that
  Slack asks again later (its next retry comes a minute after), and the claim's holder either
  answers it meanwhile (the retry is then dropped) or dies, and the retry takes over its
  expired claim; a command or click, which Slack never retries, is dropped (a copy is a
  replay).
- The claim's length (``SHOPCREW_SLACK_CLAIM_SECONDS``, 30 s) weighs two things. Shorter, a
  dead replica's events are answered sooner, but a live one whose renewal is held up (its
  worker thread waits on the database for up to ~10 s) could lose its claim and the event be
  answered twice; longer than a minute, Slack's second retry would still find the claim held
  and only its last one, five minutes on, would be answered. A holder renews its claim every
  third of its length while it works, so a slow answer (Slack's Web API can take 30 s) keeps it.
- A key is recorded in the database once its request was handled, not when it arrives: events
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

import asyncio
import contextlib
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
from bot.storage.events import Claim, SeenEvents

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
    """Refuse work while stopping, drop repeated deliveries, count accepted work in flight.

    ``owner`` names this replica in its claims; ``claim_seconds`` is how long a claim lasts
    unless renewed (see the module docstring).
    """

    def __init__(
        self,
        inflight: InFlight,
        seen: SeenEvents,
        metrics: Metrics | None,
        offload: Offload,
        owner: str = "",
        claim_seconds: float = 30.0,
    ) -> None:
        self.inflight = inflight
        self.seen = seen
        self.metrics = metrics
        self.offload = offload
        self.owner = owner
        self.claim_seconds = claim_seconds
        self.retries_dropped = 0
        #: Keys of the requests this replica is handling now (a copy of one of them is not
        #: handled again: an event's gets 503, a command's or a click's is dropped).
        self._handling: set[str] = set()

    async def reclaim(self) -> None:
        """Before serving: drop the claims this replica's previous run died holding, so that
        Slack's retries of its events are answered at once rather than when they expire."""
        try:
            released = await self.offload(self.seen.release, self.owner)
        except StorageError as exc:
            log.warning("could not release old claims (%s: %s)", exc.kind, exc.detail)
            return
        if released:
            log.info(
                "released %d claims of a previous run of %s",
                released,
                self.owner,
                extra={"event": "slack_claims_released"},
            )

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
        if key is not None:
            refused = await self._admit(key, event=event_key(req.body) is not None)
            if refused is not None:
                return refused
        self.inflight.begin()
        renewing = self._renewing(key)
        ended = False

        async def end() -> None:
            # Bolt runs listeners after the middleware chain, so this is the listener's end.
            nonlocal ended
            if not ended:
                ended = True
                if renewing is not None:
                    renewing.cancel()
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

    async def _admit(self, key: str, event: bool) -> BoltResponse | None:
        """None when this replica handles ``key`` now (claimed); else the response to send."""
        if key in self._handling:
            return self._deferred(key) if event else self._dropped(key)
        self._handling.add(key)  # claimed here before waiting: a concurrent copy sees it
        claim = await self._claim(key)
        if claim == "taken_over":
            log.warning(
                "took over %s: the replica handling it let its claim expire",
                key,
                extra={"event": "slack_claim_taken_over"},
            )
            self._count("taken_over")
        if claim in ("claimed", "taken_over"):
            return None
        self._handling.discard(key)
        if claim == "held" and event:
            return self._deferred(key)
        return self._dropped(key)

    def _deferred(self, key: str) -> BoltResponse:
        """An event being answered, here or by another replica: not acknowledged, so that
        Slack asks again (a minute later), by when it was answered (that copy is then
        dropped) or its replica died (its claim expires, and the copy is answered)."""
        log.info("%s is being handled; Slack will ask again", key,
                 extra={"event": "slack_retry_deferred"})  # fmt: skip
        self._count("deferred")
        return BoltResponse(status=503, body="being handled")

    def _dropped(self, key: str) -> BoltResponse:
        """A repeated delivery: acknowledged, not handled again (and counted)."""
        self.retries_dropped += 1
        if self.metrics is not None:
            self.metrics.slack_retries_dropped.inc()
        log.info("dropped a repeated delivery %s", key, extra={"event": "slack_retry_dropped"})
        return BoltResponse(status=200, body="")

    def _count(self, outcome: str) -> None:
        if self.metrics is not None:
            self.metrics.slack_claims.labels(outcome).inc()

    async def _claim(self, key: str) -> Claim:
        """Claim ``key`` in the database; "claimed" (answer it) when it cannot be used."""
        try:
            claim: Claim = await self.offload(self.seen.claim, key, self.owner, self.claim_seconds)
        except StorageError as exc:
            log.warning(
                "could not check %s (%s: %s); answering it anyway",
                key,
                exc.kind,
                exc.detail,
                extra={"event": "slack_dedupe_unavailable"},
            )
            return "claimed"
        return claim

    def _renewing(self, key: str | None) -> asyncio.Task[None] | None:
        """Renew the claim on ``key`` every third of its length until the request ends."""
        if key is None:
            return None

        async def renew() -> None:
            every = self.claim_seconds / 3
            while True:
                await asyncio.sleep(every)
                with contextlib.suppress(StorageError):  # the next renewal may get through
                    await self.offload(self.seen.renew, key, self.owner, self.claim_seconds)

        return asyncio.create_task(renew())
