"""One line per event, JSON when asked, secrets and long message text never written."""

from __future__ import annotations

import io
import json
import logging

from bot.core import Bot
from bot.models import Message
from bot.ops.logs import TextFormatter, setup_logging
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
