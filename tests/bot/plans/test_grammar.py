"""Parsing the text after ``plan``."""

from __future__ import annotations

import pytest

from bot.plans.grammar import GrammarError, parse, parse_count, parse_user, split_role_and_count


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
def test_command_words(text: str, name: str, lang: str | None) -> None:
    cmd = parse(text)
    assert (cmd.name, cmd.lang) == (name, lang)


def test_unknown_command() -> None:
    with pytest.raises(GrammarError) as err:
        parse("frobnicate the plan")
    assert err.value.key == "plan.unknown_command" and err.value.params["command"] == "frobnicate"


@pytest.mark.parametrize(
    ("token", "value"), [("0", 0), ("7", 7), ("999", 999), ("two", 2), ("+3", 3)]
)
def test_counts(token: str, value: int) -> None:
    assert parse_count(token, "en") == value


@pytest.mark.parametrize("token", ["1000", "-1", "1.5", "1e9", "lots", "∞", "9" * 40])
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
