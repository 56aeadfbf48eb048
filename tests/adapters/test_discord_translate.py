"""Discord translation is pure: options to typed requests, answers to embeds within limits."""

from __future__ import annotations

import pytest

from adapters.discord.render import Outgoing, button_of, render
from adapters.discord.translate import (
    lang_of,
    message_text,
    origin_of,
    role_choices,
    role_lookup,
    should_answer,
    size_request,
    strip_bot_mention,
    to_incoming,
)
from bot.context import Knowledge
from bot.core import Bot
from bot.models import Answer, Message, Section, Suggestion, Table
from bot.plans.commands.roles import Add
from bot.requests import PlanRequest, SizeRefused, SizeTeam
from knowledge import KnowledgeBase


def test_workspaces() -> None:
    assert to_incoming("hi", 42, 7, False).workspace == "42"
    dm = to_incoming("hi", None, 7, False)
    assert dm.workspace == "dm-7" and dm.user_is_admin  # a DM plan is the user's own
    assert to_incoming("hi", 42, 7, False, "es-ES").default_lang == "es"


def test_mentions_and_bots() -> None:
    assert strip_bot_mention("<@123> hola <@!123>", 123) == "hola"
    assert should_answer(False, True, False) and should_answer(False, False, True)
    assert not should_answer(False, False, False) and not should_answer(True, True, True)
    # Webhooks (no bot flag on their author) and system messages (a pin) are no questions.
    assert not should_answer(False, False, True, webhook=True)
    assert not should_answer(False, True, False, system=True)


def test_a_forward_is_read_from_what_it_forwards() -> None:
    assert message_text("", ["what does an anchor do?"]) == "what does an anchor do?"
    assert message_text("my own words", ["forwarded"]) == "my own words"
    assert message_text(" ", ["", " "]) == ""


def test_slash_options_become_typed_requests(bot: Bot, knowledge: Knowledge) -> None:
    origin = origin_of(42, 7, False, "es-ES")
    request = size_request(knowledge, origin, "es", 3, "mature", "Live, tiktok")
    assert isinstance(request, SizeTeam)
    assert (request.input.stores, request.input.stage, request.input.channels) == (
        3, "mature", ("live", "short_video"))  # fmt: skip
    answer = bot.handle(request)
    assert (answer.intent, answer.language) == ("team_size", "es")
    assert answer.entities.channels == ["live", "short_video"]
    # A channel Discord cannot check for us is refused by name, not dropped.
    refused = size_request(knowledge, origin, "en", 3, None, "live, radio")
    assert isinstance(refused, SizeRefused) and refused.error.field == "channels"
    assert bot.handle(refused).refusal


def test_role_ids_from_autocomplete_and_typed_names(bot: Bot, knowledge: Knowledge) -> None:
    origin = origin_of(42, 7, False)
    for role in knowledge.kb.roles:
        for lang in ("en", "es"):
            answer = bot.handle(role_lookup(knowledge, origin, lang, role))  # type: ignore[arg-type]
            assert answer.entities.roles == [role] and answer.language == lang, (role, lang)
        plan = bot.handle(PlanRequest(origin=origin, lang="en", command=Add(role=role, count=1)))
        assert not plan.refusal, role
    assert bot.handle(role_lookup(knowledge, origin, "en", "diseñador")).entities.roles == ["art"]
    unknown = bot.handle(role_lookup(knowledge, origin, "en", "sommelier"))
    assert unknown.refusal and "sommelier" in unknown.title


def test_role_autocomplete(kb: KnowledgeBase) -> None:
    assert role_choices(kb, "dise", "es")[0] == ("Arte (diseñador)", "art")
    assert role_choices(kb, "copy", "en")[0][1] == "copywriter"
    assert len(role_choices(kb, "", "en")) == 22 and len(role_choices(kb, "a", "en")) <= 25


def test_locale() -> None:
    assert (lang_of("es-ES"), lang_of("es-419"), lang_of("en-US"), lang_of(None)) == (
        "es",
        "es",
        "en",
        "en",
    )


def _limits(messages: list[Outgoing]) -> None:
    for out in messages:
        assert 1 <= len(out.embeds) <= 10
        assert sum(_size(e) for e in out.embeds) <= 6000
        assert out.content is None or len(out.content) <= 2000
        for e in out.embeds:
            assert len(e.get("title", "")) <= 256 and len(e.get("description", "")) <= 4096
            assert len(e.get("fields", [])) <= 25
            for f in e.get("fields", []):
                assert 0 < len(f["name"]) <= 256 and 0 < len(f["value"]) <= 1024
            assert len(e.get("footer", {}).get("text", "")) <= 2048
        assert len(out.buttons) <= 5
        for label, custom_id in out.buttons:
            assert len(label) <= 80 and len(custom_id) <= 100 and button_of(custom_id)


def _size(e: dict) -> int:  # type: ignore[type-arg]
    return (len(e.get("title", "")) + len(e.get("description", ""))
            + len(e.get("footer", {}).get("text", ""))
            + sum(len(f["name"]) + len(f["value"]) for f in e.get("fields", [])))  # fmt: skip


QUESTIONS = [
    "what does copywriting do?", "who writes the product titles?", "Tmall agency structure",
    "what roles does a mature team have?", "how many people for 500 mature stores with live, "
    "douyin and kuaishou and 90000 chats a day and 20000 orders a day",
    "copywriter vs content planner", "hola", "asdf", "", "x" * 5000, "what does a sommelier do?",
    "plan show", "plan recommend", "plan check", "plan history", "plan export md", "plan help",
]  # fmt: skip


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_answer_type_fits_discord(bot: Bot, question: str) -> None:
    bot.answer(Message(text="plan stores 40"))
    bot.answer(Message(text="plan stage mature"))
    _limits(render(bot.answer(Message(text=question))))


def test_long_answers_are_split_not_truncated() -> None:
    lines = [f"line {i}: " + "word " * 120 for i in range(120)]
    rows = [[f"role {i}", str(i)] for i in range(300)]
    answer = Answer(
        intent="plan", language="en", title="T" * 300,
        sections=[Section(lines=lines), Section(heading="More", lines=lines[:40],
                                               notes=[f"why {i}: " + "x" * 300 for i in range(20)]),
                  Section(table=Table(headers=["Role", "N"], rows=rows))],
        suggestions=[Suggestion(label="L" * 120, text="plan show")],
    )  # fmt: skip
    messages = render(answer)
    _limits(messages)
    assert len(messages) > 1
    blob = "\n".join(
        "\n".join([e.get("description", ""), e.get("footer", {}).get("text", "")]
                  + [f["value"] for f in e.get("fields", [])])
        for m in messages for e in m.embeds
    )  # fmt: skip
    for needle in ("line 0:", "line 119:", "role 299", "why 19:", "T" * 300):
        assert needle in blob, needle
