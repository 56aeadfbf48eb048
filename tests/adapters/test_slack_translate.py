"""Slack translation is pure: payloads in, messages out; Block Kit within Slack's limits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.translate import (
    action_to_incoming,
    command_to_incoming,
    event_to_incoming,
    is_answered,
    is_from_a_bot,
    render,
    reply_thread,
)
from bot.context import Knowledge
from bot.core import Bot
from bot.models import Answer, Message, Section, Suggestion, Table
from bot.requests import PlanRequest

FIXTURES = Path(__file__).parent / "fixtures" / "slack"


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def test_mention_event() -> None:
    body = fixture("app_mention.json")
    message = event_to_incoming(body["event"], body["team_id"])
    assert (message.platform, message.workspace, message.user) == ("slack", "T0001", "U0002")
    assert message.text.startswith("<@U0BOT> what does")
    assert reply_thread(body["event"]) == "1700000000.000100"


def test_reply_in_existing_thread_and_dm_without_thread() -> None:
    event = fixture("app_mention.json")["event"] | {"thread_ts": "1699999999.000001"}
    assert reply_thread(event) == "1699999999.000001"
    assert reply_thread(fixture("message_im.json")["event"]) is None


def test_bots_are_never_answered() -> None:
    event = fixture("message_im.json")["event"]
    assert not is_from_a_bot(event, "U0BOT")
    assert is_from_a_bot(event | {"bot_id": "B1"}, "U0BOT")
    assert is_from_a_bot(event | {"user": "U0BOT"}, "U0BOT")
    assert not is_answered(event | {"subtype": "message_changed"}, "U0BOT")


def test_slash_command_public_flag(knowledge: Knowledge) -> None:
    body = fixture("slash_command.json")
    message, public = command_to_incoming(body, knowledge.vocab)
    assert (message.text, public, message.workspace) == (
        "how many people for two stores?",
        False,
        "T0001",
    )
    for text in ("public what does copy do?", "Público: what does copy do?"):
        message, public = command_to_incoming(body | {"text": text}, knowledge.vocab)
        assert (message.text, public) == ("what does copy do?", True), text


def test_button_click(bot: Bot) -> None:
    value, origin = action_to_incoming(fixture("block_actions.json"))
    assert (value, origin.workspace, origin.user) == ("plan show", "T0001", "U0002")
    # A plan button carries its command: it runs as that command, in the answer's language.
    request = bot.parse_button("plan:es:reset confirm", origin)
    assert isinstance(request, PlanRequest) and request.command is not None
    assert (request.command.canonical(), request.lang) == ("reset confirm", "es")


@pytest.mark.parametrize(
    ("text", "check"),
    [("plan lock", True), ("<@U0BOT> plan add art", True), ("/shopcrew plan add art", True),
     ("plan show", False), ("plan history", False), ("what does the plan mean", False),
     ("hola", False)],
)  # fmt: skip
def test_admin_lookup_only_where_rights_matter(bot: Bot, text: str, check: bool) -> None:
    # The request says whether admin rights can change its answer; adapters ask it.
    assert bot.parse(Message(text=text, platform="slack")).needs_admin is check


def _limits(messages: list[dict[str, Any]]) -> None:
    for message in messages:
        assert len(message["blocks"]) <= 50 and len(message["text"]) <= 3000
        for block in message["blocks"]:
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150
            elif block["type"] == "section":
                assert 0 < len(block["text"]["text"]) <= 3000
            elif block["type"] == "context":
                assert 1 <= len(block["elements"]) <= 10
                assert all(len(e["text"]) <= 3000 for e in block["elements"])
            elif block["type"] == "actions":
                assert len(block["elements"]) <= 25
                for button in block["elements"]:
                    assert len(button["text"]["text"]) <= 75 and len(button["value"]) <= 2000
            else:
                raise AssertionError(block["type"])


QUESTIONS = [
    "what does copywriting do?", "who writes the product titles?", "Tmall agency structure",
    "what roles does a mature team have?", "how many people for 500 mature stores with live, "
    "douyin and kuaishou and 90000 chats a day and 20000 orders a day",
    "copywriter vs content planner", "hola", "asdf", "", "x" * 5000, "what does a sommelier do?",
    "plan show", "plan recommend", "plan check", "plan history", "plan export csv", "plan help",
]  # fmt: skip


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_answer_type_fits_slack(bot: Bot, question: str) -> None:
    bot.answer(Message(text="plan stores 40"))
    bot.answer(Message(text="plan stage mature"))
    _limits(render(bot.answer(Message(text=question))))


def test_long_answers_are_split_not_truncated() -> None:
    lines = [f"line {i}: " + "word " * 120 for i in range(200)]
    rows = [[f"role {i}", str(i)] for i in range(400)]
    answer = Answer(
        intent="plan",
        language="en",
        title="T" * 400,
        sections=[
            Section(heading="Many", lines=lines, notes=[f"note {i}" for i in range(35)]),
            Section(table=Table(headers=["Role", "N"], rows=rows)),
        ],
        suggestions=[Suggestion(label="L" * 200, text="plan show")],
    )
    messages = render(answer)
    _limits(messages)
    assert len(messages) > 1
    everything = "\n".join(
        e["text"] if "text" in e and isinstance(e["text"], str) else json.dumps(e)
        for m in messages
        for b in m["blocks"]
        for e in ([b["text"]] if "text" in b else b.get("elements", []))
    )
    for i in (0, 99, 199):
        assert f"line {i}:" in everything
    assert "role 399" in everything and "note 34" in everything
    assert "T" * 400 in everything.replace("*", "")


def test_user_text_is_escaped(bot: Bot) -> None:
    answer = bot.answer(Message(text="what does a <!channel> & <b>boss</b> do?"))
    blob = json.dumps(render(answer))
    assert "<!channel>" not in blob and "<b>" not in blob


def test_manifest_matches_what_the_adapter_needs() -> None:
    import yaml

    manifest = yaml.safe_load(
        (Path(__file__).parents[2] / "deploy" / "slack-manifest.yaml").read_text()
    )
    from adapters.slack.oauth import SCOPES

    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert set(scopes) == {
        "app_mentions:read", "chat:write", "commands", "files:write", "im:history", "im:write",
        "users:read",
    }  # fmt: skip
    assert tuple(scopes) == SCOPES  # what the "Add to Slack" link asks for
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == [
        "app_mention", "message.im", "app_home_opened", "app_uninstalled", "tokens_revoked",
    ]  # fmt: skip
    # The Home tab, and its buttons and modal submissions (interactivity).
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    (redirect,) = manifest["oauth_config"]["redirect_urls"]
    assert redirect.endswith("/slack/oauth_redirect")
    assert manifest["settings"]["org_deploy_enabled"] is True  # org-wide Grid installs
    (command,) = manifest["features"]["slash_commands"]
    # Escaped mentions carry user ids, which `plan editors add @someone` needs.
    assert command["command"] == "/shopcrew" and command["should_escape"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True


@pytest.mark.parametrize(
    "mention", ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S123>", "<@U0123ABC>"]
)
def test_echoed_special_mentions_never_reach_any_field(bot: Bot, mention: str) -> None:
    # The refusal echoes the role as typed: in the blocks and in the notification text.
    for text in (f"plan add {mention} 2", f"plan add {mention}" + " x" * 2000):
        for message in render(bot.answer(Message(text=text))):
            assert mention not in json.dumps(message), (text[:30], message["text"][:80])
