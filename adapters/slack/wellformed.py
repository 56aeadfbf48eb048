"""Malformed or forged requests to ``/slack/events``: refused with the right status and logged in
one short line.

Malformed requests are answered 400/401 before Bolt sees them.

Bolt answers a timestamp header it cannot read ("abc", 5,000 digits, "1e9", empty) or a body it
cannot parse ("{", bytes that are not UTF-8, ``payload=%7B``) with HTTP 500, signed or not. A
request Slack sends is never like that, so it is refused here with the right status and one short
log line (never its body).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from aiohttp import web
from aiohttp.typedefs import Middleware
from slack_bolt.middleware.request_verification import RequestVerification

log = logging.getLogger("shopcrew.slack")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: Slack's request timestamp: Unix seconds, digits only.
_TIMESTAMP = re.compile(r"\d{1,12}")


def _problem(request: web.Request, body: bytes) -> tuple[int, str] | None:
    """(status, why) for a request Bolt could not read, or None when it is well formed."""
    stamp = request.headers.get("X-Slack-Request-Timestamp", "")
    if not _TIMESTAMP.fullmatch(stamp):
        return 401, "unreadable timestamp header"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return 400, "body is not UTF-8"
    if request.content_type == "application/json":
        return None if _is_object(text) else (400, "body is not a JSON object")
    form = parse_qs(text, keep_blank_values=True)
    payload = form.get("payload")
    if payload is not None and not _is_object(payload[0]):
        return 400, "payload is not a JSON object"
    return None


def _is_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def middleware(path: str) -> Middleware:
    """An aiohttp middleware refusing malformed POSTs to ``path`` (see the module docstring)."""

    @web.middleware
    async def refuse_malformed(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "POST" or request.path != path:
            return await handler(request)
        problem = _problem(request, await request.read())  # the handler reads it from the cache
        if problem is None:
            return await handler(request)
        status, why = problem
        log.warning("refused a malformed Slack request (%s): HTTP %d", why, status)
        return web.Response(status=status, text="")

    return refuse_malformed


#: Bolt's request-verification logger: Bolt names it after the (sync) middleware class.
VERIFICATION_LOGGER = f"slack_bolt.{RequestVerification.__name__}"
#: At most one "invalid signature" line per this many seconds; the next one counts the rest.
REJECTION_LOG_SECONDS = 10.0


class RejectedRequests(logging.Filter):
    """Bolt logs each request with a bad signature at INFO with its whole body: a flood anyone
    can write (1,000 requests of 100 KB add 100 MB). This keeps one short line, without the
    body, at most every ``REJECTION_LOG_SECONDS``, and says how many it left out."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.clock = clock
        self.last: float | None = None
        self.skipped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("Invalid request signature"):
            return True
        now = self.clock()
        if self.last is not None and now - self.last < REJECTION_LOG_SECONDS:
            self.skipped += 1
            return False
        record.msg = "refused a Slack request with an invalid signature (HTTP 401)"
        if self.skipped:
            record.msg += f"; {self.skipped} more since the last such line"
        record.args = ()
        self.last, self.skipped = now, 0
        return True


def quiet_rejections() -> None:
    """Install a fresh ``RejectedRequests`` on Bolt's verification logger (one per server)."""
    logger = logging.getLogger(VERIFICATION_LOGGER)
    for old in [f for f in logger.filters if isinstance(f, RejectedRequests)]:
        logger.removeFilter(old)
    logger.addFilter(RejectedRequests())
