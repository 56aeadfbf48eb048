"""One log line per event, as text or JSON, with secrets scrubbed and message text shortened."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

#: Structured fields a log call may pass in ``extra=``.
FIELDS = ("event", "platform", "workspace", "intent", "language", "latency_ms", "text", "error")
TEXT_PREFIX = 24  # message text is personal data: log only the start of it


def text_prefix(text: str) -> str:
    """The first few characters of a user's message, for logs."""
    text = " ".join(text.split())
    return text if len(text) <= TEXT_PREFIX else text[:TEXT_PREFIX] + "…"


#: What Slack and Discord credentials look like, scrubbed whether or not they are this service's
#: own (someone pastes a token into a chat message): Slack's xoxb-/xoxp-/xoxe.xoxp-/xapp- tokens,
#: and Discord bot tokens (the bot's id in base64, a timestamp, an HMAC, joined by dots). Each
#: alternative starts at a fixed prefix or a word's first letter and, once started, takes the
#: rest of the word: each character is read a bounded number of times.
TOKEN_SHAPES = re.compile(
    r"\b(?:xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]+"
    r"|(?<![A-Za-z0-9_-])[MNO][A-Za-z0-9_-]{22,29}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"
)
HIDDEN = "***"
#: A cut text ("xoxb-1234…") may end in the start of a secret: that start is hidden from this long.
_SECRET_START = 6
#: ...or in the start of a Discord token (its first part, up to where the text was cut).
#: Only at the start of a word (a dot too is part of one), so that each word is read once.
_CUT_TOKEN = re.compile(r"(?<![A-Za-z0-9_.-])[MNO][A-Za-z0-9_-]{15,}(?:\.[A-Za-z0-9_.-]*)?…$")


class Redact(logging.Filter):
    """Replaces every configured secret, and anything shaped like a Slack or Discord token, with
    ``***`` in a record's message, its traceback and every field a log line shows."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 4]

    def scrub(self, text: str) -> str:
        """``text`` with the secrets and token-shaped words hidden."""
        for secret in self.secrets:
            text = text.replace(secret, HIDDEN)
        text = TOKEN_SHAPES.sub(HIDDEN, text)
        return self._cut_start(text) if text.endswith("…") else text

    def _cut_start(self, text: str) -> str:
        """A message shortened for the log may end in the first characters of a secret."""
        body = text[:-1]
        for secret in self.secrets:
            for n in range(min(len(secret) - 1, len(body)), _SECRET_START - 1, -1):
                if body.endswith(secret[:n]):
                    return body[:-n] + HIDDEN + "…"
        return _CUT_TOKEN.sub(HIDDEN + "…", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        record.msg, record.args = self.scrub(message), ()
        for key in FIELDS:
            value = record.__dict__.get(key)
            if isinstance(value, str):
                record.__dict__[key] = self.scrub(value)
        return True


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg", ...fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in FIELDS:
            if key in record.__dict__:
                out[key] = record.__dict__[key]
        if record.exc_text:
            out["exc"] = record.exc_text
        return json.dumps(out, ensure_ascii=False)


#: Control characters (and Unicode line separators) in a message, written as escapes.
_CONTROL = re.compile("[\x00-\x1f\x7f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _one_line(text: str) -> str:
    """``text`` with line breaks and other control characters written as escapes."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


class TextFormatter(logging.Formatter):
    """``time LEVEL logger message key=value …`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        extras = " ".join(f"{k}={record.__dict__[k]!r}" for k in FIELDS if k in record.__dict__)
        # One record, one line: a newline in a message (a chat text, a request body) must not
        # write what looks like another log line.
        message = _one_line(record.getMessage())
        line = f"{stamp} {record.levelname} {record.name} {message}"
        if extras:
            line += " " + extras
        if record.exc_text:
            line += " | " + record.exc_text.replace("\n", " | ")
        return line


def setup_logging(
    fmt: str = "text", level: str = "INFO", secrets: list[str] | None = None,
    stream: TextIO | None = None,
) -> logging.Handler:  # fmt: skip
    """Send every log record through one handler on stderr; returns it (tests read it)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(Redact(secrets or []))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Library chatter at INFO (every HTTP request) would drown the one-line-per-event log.
    for noisy in ("aiohttp.access", "discord.gateway", "discord.client", "discord.http"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler
