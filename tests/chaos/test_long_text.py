"""A 40,000-character message is refused before any pattern of ShopCrew reads it.

A backtracking regular expression's cost can grow with the square of its text, and every one of
them runs on the event loop: the length limit must come first wherever text enters (typed
messages, slash commands, button values, Discord's role option). A spy on every pattern of the
project (``regex_spy``) shows the longest text each one read; only patterns that are linear by
construction (one character class) may see a whole message. No timing here: ``bench/regexes.py``
prints the figures.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from slack_sdk.signature import SignatureVerifier

from adapters.discord.translate import role_lookup, strip_bot_mention, to_incoming
from adapters.slack.app import SlackAdapter
from adapters.slack.translate import command_to_incoming, event_to_incoming
from bot.core import Bot
from bot.models import Message, Origin
from bot.parse import MAX_CHARS
from bot.plans.service import PlanService
from bot.requests import Request, TooLong
from bot.settings import Settings
from bot.storage import open_storage
from bot.strings import t
from tests.adapters.fake_common import free_port
from tests.adapters.fake_slack import APP_TOKEN, BOT_TOKEN, BOT_USER, SIGNING_SECRET, FakeSlack
from tests.chaos.regex_spy import RegexSpy

N = 40_000
#: Repeated shapes that make backtracking patterns slow (mentions, digits, open markup, code).
ATTACKS = {
    "mentions": "<@!>" * (N // 4),
    "digits": "1" * N,
    "digit-commas": "1," * (N // 2),
    "backticks": "`" * N,
    "open-links": "<http:" * (N // 6),
    "open-channels": "<#C1|" * (N // 5),
    "markdown": "*_~" * (N // 3),
    "accents": "áé " * (N // 3),
}


@pytest.fixture(scope="module")
def bot() -> Bot:
    bot = Bot(plans=PlanService(open_storage(":memory:").plans))
    bot.answer(Message(text="how many people for 2 stores and 300 orders a day?"))  # warm up
    return bot


def _read_by_nothing_but_linear(spy: RegexSpy) -> None:
    too_long = {name: n for name, n in spy.longest().items() if n > MAX_CHARS}
    assert too_long == {}, f"patterns that read past the length limit: {too_long}"


ORIGIN = Origin(platform="slack", workspace="T1", user="U1")


ENTRY_POINTS = ("console", "slack event", "slack command", "slack public command", "button",
                "plan button", "plan editors button", "discord mention",
                "discord role option")  # fmt: skip


def _entry_points(bot: Bot) -> dict[str, Callable[[str], Request]]:
    k = bot.knowledge
    return {
        "console": lambda text: bot.parse(Message(text=text)),
        "slack event": lambda text: bot.parse(
            event_to_incoming({"text": text, "user": "U1"}, "T1")
        ),
        "slack command": lambda text: bot.parse(command_to_incoming({"text": text}, k.vocab)[0]),
        "slack public command": lambda text: bot.parse(
            command_to_incoming({"text": "public " + text}, k.vocab)[0]
        ),
        "button": lambda text: bot.parse_button(text, ORIGIN),
        "plan button": lambda text: bot.parse_button("plan:en:add " + text, ORIGIN),
        "plan editors button": lambda text: bot.parse_button("plan:en:editors add " + text, ORIGIN),
        "discord mention": lambda text: bot.parse(
            to_incoming(strip_bot_mention(f"<@42> {text}", 42), 1, 2, False)
        ),
        "discord role option": lambda text: role_lookup(k, ORIGIN, "en", text),
    }


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_every_entry_point_refuses_a_long_text_before_any_pattern_reads_it(
    bot: Bot, attack: str, entry: str
) -> None:
    read = _entry_points(bot)[entry]
    spy = RegexSpy()
    with spy.installed(bot):
        request = read(ATTACKS[attack])
    assert isinstance(request, TooLong)
    assert request.length > 10 * MAX_CHARS and request.limit == MAX_CHARS
    _read_by_nothing_but_linear(spy)
    assert bot.handle(request).title == t(request.lang, "toolong.title")


def test_the_spy_sees_patterns_reading_text() -> None:
    """The spy is not blind: a message within the limit is read by the core's patterns."""
    bot = Bot()
    spy = RegexSpy()
    with spy.installed(bot):
        bot.parse(Message(text="<#C1|general> how many people for 1,500 orders a day? " * 30))
    read = spy.longest()
    assert read.get("bot.understand.normalize._SLACK_CHANNEL", 0) > 1000
    assert any(name.startswith("StorePatterns") or "stores" in name for name in read), read


# --- the real Slack adapter, over HTTP, with signed requests -------------------------------------


class SlackRig:
    def __init__(self, fake: FakeSlack, adapter: SlackAdapter, url: str, session: Any) -> None:
        self.fake, self.adapter, self.url, self.session = fake, adapter, url, session

    async def post(self, body: str, content_type: str = "application/json") -> int:
        ts = str(int(time.time()))
        signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": signature}  # fmt: skip
        async with self.session.post(self.url, data=body.encode(), headers=headers) as resp:
            await resp.read()
            return int(resp.status)

    async def dm(self, text: str, event_id: str) -> int:
        event = {"type": "message", "channel_type": "im", "user": "U1", "text": text,
                 "ts": "200.1", "channel": "D1", "event_ts": "200.1"}  # fmt: skip
        body = {"token": "t", "team_id": "T1", "api_app_id": "A1", "event": event,
                "type": "event_callback", "event_id": event_id,
                "event_time": int(time.time())}  # fmt: skip
        return await self.post(json.dumps(body))

    async def command(self, text: str, key: str) -> int:
        form = {"token": "t", "team_id": "T1", "channel_id": "C1", "user_id": "U1",
                "command": "/shopcrew", "text": text, "api_app_id": "A1",
                "response_url": self.fake.response_url(key), "trigger_id": "1.2.3"}  # fmt: skip
        return await self.post(urlencode(form), "application/x-www-form-urlencoded")

    async def click(self, value: str, key: str) -> int:
        payload = {"type": "block_actions", "team": {"id": "T1"},
                   "user": {"id": "U1", "team_id": "T1"}, "api_app_id": "A1",
                   "channel": {"id": "C1"}, "trigger_id": "1.2.4",
                   "container": {"type": "message", "message_ts": "1.0", "channel_id": "C1"},
                   "response_url": self.fake.response_url(key),
                   "actions": [{"action_id": "shopcrew_suggest_0", "block_id": "b",
                                "type": "button", "value": value, "action_ts": "1.1",
                                "text": {"type": "plain_text", "text": "x"}}]}  # fmt: skip
        form = urlencode({"payload": json.dumps(payload)})
        return await self.post(form, "application/x-www-form-urlencoded")


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackRig]:
    fake = FakeSlack()
    await fake.start()
    storage = open_storage(tmp_path / "shopcrew.db")
    settings = Settings.model_validate(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SHOPCREW_SLACK_API_URL": fake.api_url,
            "SHOPCREW_SLACK_MODE": "http",
            "SHOPCREW_DB": str(tmp_path / "shopcrew.db"),
        }
    ).model_copy(update={"slack_host": "127.0.0.1", "slack_port": free_port()})
    adapter = SlackAdapter(Bot(plans=PlanService(storage.plans)), storage.events, settings)
    await adapter.start()
    url = f"http://127.0.0.1:{settings.slack_port}/slack/events"
    async with aiohttp.ClientSession() as session:
        yield SlackRig(fake, adapter, url, session)
    await adapter.stop()
    storage.close()
    await fake.stop()


def _refusal_text(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False)


async def test_slack_refuses_long_dms_commands_and_clicks_before_any_pattern_reads_them(
    slack: SlackRig,
) -> None:
    bot = slack.adapter.bot
    bot.answer(Message(text="how many people for 2 stores?"))  # warm up: patterns compiled
    titles = (t("en", "toolong.title"), t("es", "toolong.title"))
    spy = RegexSpy()
    with spy.installed(bot):
        for i, (name, text) in enumerate(ATTACKS.items()):
            assert await slack.dm(f"<@{BOT_USER}> {text}", f"Ev{i}") == 200
            assert await slack.command(text, f"cmd-{name}") == 200
            assert await slack.click("plan:en:editors add " + text, f"click-{name}") == 200
        count = len(ATTACKS)
        await slack.fake.wait_for(
            lambda: len(slack.fake.posted()) >= count and len(slack.fake.responses) >= 2 * count,
            timeout=30,
        )
    answers = [*slack.fake.posted(), *slack.fake.responses]
    assert len(answers) == 3 * count
    assert all(any(title in _refusal_text(a) for title in titles) for a in answers), answers[0]
    _read_by_nothing_but_linear(spy)
