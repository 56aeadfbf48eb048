"""Talking to Slack's Web API and response URLs: timeouts, retries, and errors worth logging.

Every call keeps slack_sdk's timeout (30 s by default, ``SHOPCREW_SLACK_API_TIMEOUT``): the one
connection-pooling session is created with it, because a session of our own would otherwise
replace it with aiohttp's 300 s. On top of slack_sdk's default retry handlers (a reset
connection), a call is tried again after HTTP 5xx and connection errors, and after Slack's rate
limit (its Retry-After), with slack_sdk's exponential backoff and jitter, at most
``RETRIES`` times. A call that timed out is not tried again: Slack may have posted the message
already, and a second copy is worse than the apology that follows.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from pydantic import SecretStr
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
    async_default_handlers,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

#: Tries after the first, for a server error or a connection error (0.5 s, 1 s, plus jitter).
RETRIES = 2
#: Tries after the first when Slack says "ratelimited" (each waits for its Retry-After).
RATE_LIMIT_RETRIES = 3


class ResponseUrlError(Exception):
    """A response URL answered with an HTTP error (bolt's ``respond`` returns it silently)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


#: Failures of a Web API call: Slack's own errors, and the network's (timeouts, resets); a
#: file upload's refused upload URL is a ``SlackRequestError``.
SEND_ERRORS = (
    SlackApiError,
    SlackRequestError,
    ResponseUrlError,
    aiohttp.ClientError,
    TimeoutError,
)


class ServerErrorRetryHandler(AsyncServerErrorRetryHandler):
    """slack_sdk's server-error handler for every 5xx (its own takes 500 and 503 only): a 502
    or 504 from Slack's edge passes as quickly."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and 500 <= response.status_code <= 599


def retry_handlers() -> list[AsyncRetryHandler]:
    """slack_sdk's defaults first, then server errors, connection errors and the rate limit.

    The handlers share one count of tries, so each bound holds for the call as a whole.
    """
    return [
        *async_default_handlers(),
        ServerErrorRetryHandler(max_retry_count=RETRIES),
        AsyncConnectionErrorRetryHandler(max_retry_count=RETRIES),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
    ]


def template_client(base_url: str, timeout: int, token: SecretStr | None) -> AsyncWebClient:
    """The client Bolt copies for every request (with the request's workspace token, in OAuth
    mode; ``token`` with a single bot token): base URL, timeout, and slack_sdk's default retry
    (a reset connection) then 5xx, connection errors and the rate limit, bounded."""
    return AsyncWebClient(
        token=token.get_secret_value() if token else None,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=retry_handlers(),
    )


def session(timeout: float) -> aiohttp.ClientSession:
    """The shared session, with the Web API client's timeout for every request."""
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout))


async def post_response(
    url: str, payload: dict[str, Any], timeout: int, shared: aiohttp.ClientSession | None
) -> None:
    """POST ``payload`` to a response URL with the same timeout and retries as the Web API.

    Raises :class:`ResponseUrlError` when the answer is still an HTTP error after the retries.
    """
    client = AsyncWebhookClient(
        url=url, timeout=timeout, session=shared, retry_handlers=retry_handlers()
    )
    response = await client.send_dict(payload)
    if response.status_code >= 300:
        raise ResponseUrlError(response.status_code)


def error_text(exc: BaseException) -> str:
    """Slack's error code, the HTTP status when the body was not Slack's JSON, or the cause."""
    if isinstance(exc, ResponseUrlError):
        return f"response URL: {exc}"
    if not isinstance(exc, SlackApiError):
        return f"{type(exc).__name__}: {exc}"
    data = exc.response.data
    return str(data.get("error")) if isinstance(data, dict) else f"HTTP {exc.response.status_code}"
