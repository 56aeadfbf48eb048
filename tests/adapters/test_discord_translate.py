"""Discord translation is pure: options to text, answers to embeds within Discord's limits."""

from __future__ import annotations

import pytest

from adapters.discord.translate import (
    Outgoing,
    lang_of,
    parse_channels,
    plan_text,
    render,
    role_choices,
    role_text,
    should_answer,
    size_text,
    strip_bot_mention,
    suggestion_text,
    to_incoming,
)
from bot.core import Bot
from bot.models import Answer, Message, Section, Suggestion, Table
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


def test_slash_options_become_the_text_a_user_would_type(bot: Bot) -> None:
    assert plan_text("add", "en", "copywriter", 2) == "plan add copywriter 2"
    assert plan_text("add", "es", "art", 1) == "plan añadir art 1"
    assert plan_text("show", "en") == "plan show"
    assert parse_channels("Live, xiaohongshu , radio") == ["live", "xiaohongshu"]
    for lang in ("en", "es"):
        answer = bot.handle(Message(text=size_text(3, "mature", ["live", "short_video"], lang)))  # type: ignore[arg-type]
        assert (answer.intent, answer.language) == ("team_size", lang)
        e = answer.entities
        assert (e.stores, e.stage, e.channels) == (3, "mature", ["live", "short_video"])


def test_role_ids_from_autocomplete_are_understood(bot: Bot, kb: KnowledgeBase) -> None:
    for role in kb.roles:
        for lang in ("en", "es"):
            answer = bot.handle(Message(text=role_text(role, lang)))  # type: ignore[arg-type]
            assert answer.entities.roles == [role], (role, lang)
        plan = bot.handle(Message(text=plan_text("add", "en", role, 1), platform="discord"))
        assert not plan.refusal, role


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
            assert len(label) <= 80 and len(custom_id) <= 100 and suggestion_text(custom_id)


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
    bot.handle(Message(text="plan stores 40"))
    bot.handle(Message(text="plan stage mature"))
    _limits(render(bot.handle(Message(text=question))))


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
