"""Parsing the text after ``plan`` into typed commands."""

from __future__ import annotations

import pytest

from bot.context import Knowledge
from bot.plans.commands.admin import Editors, ListEditors
from bot.plans.commands.basics import Reset
from bot.plans.commands.context import Channels, StageCommand, Stores
from bot.plans.commands.roles import Add, Set
from bot.plans.grammar import GrammarError, parse_count, parse_user, split_role_and_count
from bot.plans.parse import command_words, parse_command


@pytest.mark.parametrize(
    ("text", "name", "lang"),
    [
        ("", "show", None),
        ("show", "show", "en"),
        ("ver", "show", "es"),
        ("ADD art", "add", "en"),
        ("añadir arte", "add", "es"),
        ("anadir arte", "add", "es"),
        ("quitar arte", "remove", "es"),
        ("deshacer", "undo", "es"),
        ("historial", "history", "es"),
        ("exportar csv", "export", "es"),
        ("idioma es", "lang", "es"),
    ],
)
def test_command_words(knowledge: Knowledge, text: str, name: str, lang: str | None) -> None:
    command, error, words_lang = parse_command(text, knowledge, "en")
    assert error is None and command is not None
    assert (command.verb, words_lang) == (name, lang)


def test_unknown_command(knowledge: Knowledge) -> None:
    command, error, _ = parse_command("frobnicate the plan", knowledge, "en")
    assert command is None and error is not None
    assert error.key == "plan.unknown_command" and error.params["command"] == "frobnicate"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("add copywriter 2", Add(role="copywriter", count=2)),
        ("agregar 3 diseñadores", Add(role="diseñadores", count=3)),
        ("set cs 0", Set(role="cs", count=0)),
        ("stores tres", Stores(stores=3)),
        ("etapa madura", StageCommand(stage="mature")),
        ("channels tiktok, live", Channels(channels=("live", "short_video"))),
        ("canales ninguno", Channels(channels=())),
        ("reset", Reset(confirmed=False)),
        ("vaciar confirmar", Reset(confirmed=True)),
        ("editors", ListEditors()),
        ("editores agregar <@U12>", Editors(grant=True, user="U12")),
    ],
)
def test_typed_commands(knowledge: Knowledge, text: str, expected: object) -> None:
    command, error, _ = parse_command(text, knowledge, "en")
    assert error is None and command == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [("stores ²", "plan.bad_stores"), ("stores 1e309", "plan.bad_stores"),
     ("stores 2.5", "plan.bad_stores_fraction"), ("stage old", "plan.bad_stage"),
     ("channels radio", "plan.bad_channels"), ("set art", "plan.bad_count"),
     ("export pdf", "plan.export.bad_format"), ("lang fr", "plan.lang.bad"),
     ("editors add", "plan.editors.usage")],
)  # fmt: skip
def test_bad_arguments_name_the_problem(knowledge: Knowledge, text: str, key: str) -> None:
    command, error, _ = parse_command(text, knowledge, "en")
    assert command is None and error is not None and error.key == key


@pytest.mark.parametrize(
    ("text", "words"),
    [("plan add art", "add art"), ("/shopcrew plan ver", "ver"), ("<@U0BOT> plan", ""),
     ("show the plan", ""), ("PLAN editors add <@U1>", "editors add <@U1>")],
)  # fmt: skip
def test_command_words_after_the_prefix(knowledge: Knowledge, text: str, words: str) -> None:
    assert command_words(text, knowledge) == words


def test_canonical_form_parses_back(knowledge: Knowledge) -> None:
    for text in ("add copywriter 2", "stores 3", "stage mature", "channels live,xiaohongshu",
                 "reset confirm", "editors remove U1", "export md", "lang es", "undo"):  # fmt: skip
        command, _, _ = parse_command(text, knowledge, "en")
        assert command is not None
        again, _, _ = parse_command(command.canonical(), knowledge, "en")
        assert again == command, text


@pytest.mark.parametrize(
    ("token", "value"), [("0", 0), ("7", 7), ("999", 999), ("two", 2), ("+3", 3)]
)
def test_counts(token: str, value: int) -> None:
    assert parse_count(token, "en") == value


@pytest.mark.parametrize("token", ["1000", "-1", "1.5", "1e9", "lots", "∞", "²", "9" * 40])
def test_bad_counts(token: str) -> None:
    with pytest.raises(GrammarError) as err:
        parse_count(token, "en")
    assert err.value.key == "plan.bad_count" and err.value.params["max"] == 999


def test_spanish_number_words() -> None:
    assert parse_count("dos", "es") == 2


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["art"], ("art", None)),
        (["customer", "service", "2"], ("customer service", 2)),
        (["2", "copywriters"], ("copywriters", 2)),
        (["designer", "three"], ("designer", 3)),
    ],
)
def test_role_and_count(args: list[str], expected: tuple[str, int | None]) -> None:
    assert split_role_and_count(args, "en") == expected


def test_missing_role() -> None:
    with pytest.raises(GrammarError, match=r"plan\.need_role"):
        split_role_and_count([], "en")
    with pytest.raises(GrammarError, match=r"plan\.need_role"):
        split_role_and_count(["3"], "en")


def test_users() -> None:
    assert parse_user("<@U123ABC>") == "U123ABC"
    assert parse_user("<@!987654321>") == "987654321"
    assert parse_user("@maria") == "maria"
    with pytest.raises(GrammarError):
        parse_user("'; drop table")
