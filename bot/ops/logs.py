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


class Redact(logging.Filter):
    """Replaces every configured secret in a record's final message with ``***``."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 4]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            message = message.replace(secret, "***")
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, "***")
        record.msg, record.args = message, ()
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
