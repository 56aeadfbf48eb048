"""One line per event, JSON when asked, secrets and long message text never written."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable

import pytest

from bot.core import Bot
from bot.models import Message
from bot.ops.logs import Redact, TextFormatter, setup_logging
from bot.ops.metrics import Metrics


def test_json_log_line_per_answer_without_secrets_or_full_text() -> None:
    stream = io.StringIO()
    handler = setup_logging("json", "INFO", ["xoxb-super-secret"], stream)
    try:
        bot = Bot(observer=Metrics().observe)
        bot.answer(Message(text="what does copywriting do? SECRET-TAIL-1234567890", platform="slack",
                           workspace="T1"))  # fmt: skip
        logging.getLogger("shopcrew.test").warning("token was xoxb-super-secret")
    finally:
        logging.getLogger().removeHandler(handler)
    lines = stream.getvalue().splitlines()
    answer = json.loads(lines[0])
    assert answer["event"] == "answer" and answer["workspace"] == "T1"
    assert answer["intent"] == "role_duties" and answer["latency_ms"] >= 0
    assert answer["text"].startswith("what does copywriting")
    blob = stream.getvalue()
    assert "SECRET-TAIL" not in blob and "xoxb-super-secret" not in blob and "***" in blob


def test_text_format_is_one_line() -> None:
    stream = io.StringIO()
    handler = setup_logging("text", "INFO", [], stream)
    try:
        try:
            raise ValueError("multi\nline")
        except ValueError:
            logging.getLogger("shopcrew.test").exception("failed", extra={"event": "x"})
    finally:
        logging.getLogger().removeHandler(handler)
    (line,) = stream.getvalue().splitlines()
    assert "failed" in line and "event='x'" in line and "ValueError" in line


def test_a_message_with_line_breaks_stays_one_line() -> None:
    record = logging.LogRecord(
        "shopcrew", logging.INFO, __file__, 1, "asked %s", ("a\nINFO forged\r\u2028x",), None
    )
    line = TextFormatter().format(record)
    assert "\n" not in line and "\r" not in line and "\u2028" not in line
    assert "a\\nINFO forged\\r\\u2028x" in line


SLACK_TOKEN = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
DISCORD_TOKEN = "MTA4NzY1NDMyMTA5ODc2NTQzMg.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"
SIGNING_SECRET = "8f3a9c1d2e4b6a7c8d9e0f1a2b3c4d5e"


def _logged(fmt: str, secrets: list[str], log: Callable[[], None]) -> str:
    stream = io.StringIO()
    handler = setup_logging(fmt, "INFO", secrets, stream)
    try:
        log()
    finally:
        logging.getLogger().removeHandler(handler)
    return stream.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("token", [SLACK_TOKEN, DISCORD_TOKEN])
def test_a_token_pasted_into_a_chat_message_is_not_logged(fmt: str, token: str) -> None:
    """Any token's shape, not only this service's own: the answer's ``text`` field, the message
    and the fields all hide it, even its start where the text is cut."""
    bot = Bot(observer=Metrics().observe)
    question = f"{token} what does copywriting do?"

    def log() -> None:
        bot.answer(Message(text=question, platform="slack", workspace="T1"))
        logging.getLogger("shopcrew.test").warning("pasted %s", token, extra={"error": token})

    blob = _logged(fmt, [], log)
    assert token[:12] not in blob and "***" in blob
    assert "text=" in blob or '"text"' in blob


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_configured_secrets_are_scrubbed_from_every_field(fmt: str) -> None:
    bot = Bot(observer=Metrics().observe)

    def log() -> None:
        # The message text is cut for the log in the middle of the secret: its start is hidden.
        bot.answer(Message(text=f"secret {SIGNING_SECRET} ok?", platform="slack", workspace="T1"))
        logging.getLogger("shopcrew.test").error(
            "failed", extra={"event": "x", "error": f"signing secret {SIGNING_SECRET} refused"}
        )

    blob = _logged(fmt, [SIGNING_SECRET], log)
    assert SIGNING_SECRET[:8] not in blob and blob.count("***") >= 2


def test_scrubbing_leaves_ordinary_text_alone() -> None:
    text = "how many people for 3 stores? xoxo, maria. module.name.here"
    record = logging.LogRecord("shopcrew", logging.INFO, __file__, 1, text, (), None)
    record.text = text  # type: ignore[attr-defined]
    Redact(["hunter22"]).filter(record)
    assert record.getMessage() == text and record.text == text  # type: ignore[attr-defined]
