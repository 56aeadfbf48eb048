"""Every word ShopCrew uses for a channel works in `plan channels`; refusals say what would work;
plan answers report the command, its role and its count."""

from __future__ import annotations

import pytest

from bot.core import Bot
from bot.models import Answer, Message
from bot.plans.commands.context import Channels
from bot.plans.service import PlanService
from knowledge import LANGS, KnowledgeBase, Lang, default_vocabulary, fold
from knowledge.vocab import CHANNELS, PLAN_VERBS, Channel

WS = "slack:T1"


def run(bot: Bot, text: str) -> Answer:
    return bot.answer(Message(text=text, platform="slack", workspace="T1", user="U1"))


def lines(answer: Answer) -> str:
    return "\n".join(line for s in answer.sections for line in s.lines)


def _every_channel_word() -> list[tuple[Channel, str]]:
    """Each channel with every name and word ShopCrew has for it, in both languages."""
    v = default_vocabulary()
    out = []
    for channel in CHANNELS:
        entry = v.channels[channel]
        names = [entry.name.get(lang) for lang in LANGS]
        out += [(channel, word) for word in dict.fromkeys([*names, *entry.words.all()])]
    return out


@pytest.mark.parametrize(("channel", "word"), _every_channel_word())
def test_every_word_for_a_channel_is_accepted(channel: Channel, word: str) -> None:
    for lang in LANGS:
        command = Channels.from_args(word.split(), lang, default_vocabulary())
        assert command.channels == (channel,), (word, lang)


@pytest.mark.parametrize(
    ("text", "channels"),
    [
        ("plan canales directos", ["live"]),
        ("plan canales en vivo", ["live"]),
        ("plan canales transmisiones en vivo", ["live"]),
        ("plan canales directos y xiaohongshu", ["live", "xiaohongshu"]),
        ("plan canales transmisiones en vivo, video corto", ["live", "short_video"]),
        ("plan channels live streaming and Xiaohongshu", ["live", "xiaohongshu"]),
        ("plan channels short video plus douyin", ["short_video", "douyin"]),
    ],
)
def test_channel_lists_as_people_write_them(
    bot: Bot, plans: PlanService, text: str, channels: list[str]
) -> None:
    answer = run(bot, text)
    assert not answer.refusal, lines(answer)
    assert plans.store.read(WS).channels == channels


@pytest.mark.parametrize(
    ("text", "lang"), [("plan channels radio", "en"), ("plan canales radio", "es")]
)
def test_an_unknown_channel_lists_channel_words_that_work(
    bot: Bot, plans: PlanService, text: str, lang: Lang
) -> None:
    answer = run(bot, text)
    assert answer.refusal and answer.language == lang
    suggested = lines(answer).split("`")[1::2]
    words = default_vocabulary().channel_words(lang)
    assert set(words) <= set(suggested)
    for word in suggested:  # each one works, in the words of the answer's language
        assert not run(
            bot, f"plan {default_vocabulary().plan.shown('channels', lang)} {word}"
        ).refusal
    assert plans.store.read(WS).channels == []  # the last one given was `none`


@pytest.mark.parametrize(
    ("text", "lang"), [("plan add unicorn", "en"), ("plan agregar dragón", "es")]
)
def test_an_unknown_role_without_a_close_match_lists_the_roles(
    bot: Bot, plans: PlanService, kb: KnowledgeBase, text: str, lang: Lang
) -> None:
    answer = run(bot, text)
    assert answer.refusal and answer.language == lang
    for role in kb.roles.values():
        assert role.name.get(lang).split(" (")[0] in lines(answer), role.id
    assert plans.store.read(WS).roles == {}


@pytest.mark.parametrize(
    ("text", "lang"), [("plan frobnicate", "en"), ("plan hacer magia con el diseñador", "es")]
)
def test_an_unknown_plan_command_lists_the_commands_in_the_users_words(
    bot: Bot, text: str, lang: Lang
) -> None:
    answer = run(bot, text)
    assert answer.refusal and answer.language == lang
    first = answer.sections[0].lines[0]
    plan = default_vocabulary().plan
    for verb in PLAN_VERBS:
        assert f"`{plan.shown(verb, lang)}`" in first, verb


@pytest.mark.parametrize(
    ("text", "verb", "roles", "count"),
    [
        ("plan add copywriter 2", "add", ["copywriter"], 2),
        ("plan quitar diseñador", "remove", ["art"], 1),
        ("plan fijar atención al cliente 4", "set", ["customer_service"], 4),
        ("plan stores 3", "stores", [], None),
        ("plan export csv", "export", [], None),
        ("plan canales radio", "channels", [], None),
        ("plan frobnicate", None, [], None),
    ],
)
def test_plan_answers_report_the_command_role_and_count(
    bot: Bot, text: str, verb: str | None, roles: list[str], count: int | None
) -> None:
    run(bot, "plan add art 2")
    e = run(bot, text).entities
    assert (e.plan_verb, e.roles, e.count) == (verb, roles, count)


def test_typed_requests_report_their_command_too(bot: Bot) -> None:
    from bot.plans.commands.roles import Add
    from bot.requests import PlanRequest

    origin = Message(text="", platform="discord", workspace="G1", user="U1")
    answer = bot.handle(PlanRequest(origin=origin, lang="en", command=Add(role="anchor", count=3)))
    e = answer.entities
    assert (e.plan_verb, e.roles, e.count) == ("add", ["anchor"], 3)


def test_the_spanish_usage_example_for_channels_uses_spanish_words() -> None:
    from bot.plans.commands.basics import usage_lines

    line = next(x for x in usage_lines(default_vocabulary(), "es") if "canales" in x)
    example = line.split("`")[1].split()[-1]
    english = {fold(w) for c in CHANNELS for w in default_vocabulary().channels[c].words.en}
    spanish = {fold(w) for c in CHANNELS for w in default_vocabulary().channels[c].words.es}
    for word in example.split(","):
        assert word in spanish or word not in english, word
