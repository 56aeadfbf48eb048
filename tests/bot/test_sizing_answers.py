"""Chat-sized sizing answers, and the reasoning on request ("why?", the details button)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.cli import main
from bot.core import Bot
from bot.models import Answer, Message
from bot.render import to_text
from bot.requests import SizeDetails
from bot.sizing.engine import SizingResult, size_team
from bot.sizing.inputs import parse_input
from bot.strings import CATALOGUES, t
from knowledge import Lang
from knowledge.vocab import default_vocabulary

Ask = Callable[..., Answer]


def lines_of(answer: Answer) -> list[str]:
    return [line for s in answer.sections for line in s.lines]


def table_of(answer: Answer) -> list[list[str]]:
    return next(s.table.rows for s in answer.sections if s.table)


def reason(lang: Lang, result: SizingResult, role: str) -> str:
    why = result.roles[role].why  # type: ignore[index]
    return t(lang, why.key, **why.params)


QUESTIONS = {
    "en": "how many people for two stores with live streaming and xiaohongshu?",
    "es": "¿cuántas personas para dos tiendas con directos y xiaohongshu?",
}
WHY = {"en": "why?", "es": "¿por qué?"}
RESULT = size_team(parse_input(stores=2, channels=["live", "xiaohongshu"]))


# --- the short answer --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_short_answer_leads_with_the_total_and_one_line_per_role(ask: Ask, lang: Lang) -> None:
    answer = ask(QUESTIONS[lang])
    assert answer.language == lang and answer.sections[0].table is not None  # the table first
    rows = table_of(answer)
    assert rows[0][0] == t(lang, "size.total") and rows[0][1] == str(RESULT.total[2])
    names = [row[0] for row in rows[1:]]
    assert len(names) == len(RESULT.roles)
    for name in names:  # every role has its own line, and only one
        assert sum(line.startswith(f"• {name}:") for line in lines_of(answer)) == 1, name


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_short_answer_keeps_the_reasoning_for_later(ask: Ask, lang: Lang) -> None:
    answer = ask(QUESTIONS[lang])
    text = to_text(answer, suggestions=False)
    for role in RESULT.roles:
        assert reason(lang, RESULT, role) not in text, role
    assert t(lang, "size.assumptions") not in lines_of(answer)
    # Chat-sized: well under half the length of the reasoning it stands for.
    details = ask(WHY[lang])
    assert len(text.splitlines()) < len(to_text(details).splitlines()) * 0.7


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_short_answer_offers_the_details_first(ask: Ask, lang: Lang) -> None:
    answer = ask(QUESTIONS[lang])
    first = answer.suggestions[0]
    assert first.explain is not None and first.label == t(lang, "suggest.details")


@pytest.mark.parametrize(
    ("question", "stage_assumed"),
    [
        ("how many people for two stores?", True),
        ("how many people for two new stores?", False),
        ("¿cuántas personas para dos tiendas?", True),
        ("¿cuántas personas para dos tiendas nuevas?", False),
    ],
)
def test_the_short_answer_says_when_it_assumed_the_stage(
    ask: Ask, question: str, stage_assumed: bool
) -> None:
    answer = ask(question)
    lang = answer.language
    prefix = t(lang, "size.assumed", items="\0").split("\0")[0]
    assumed = next(line for line in lines_of(answer) if line.startswith(prefix))
    assert (t(lang, "size.assumed.new") in assumed) is stage_assumed


def test_the_short_answer_says_which_volumes_it_sized_for(ask: Ask) -> None:
    floor = ask("how many people for two stores?", user="a")
    erlang = ask("how many people for two stores with 2000 chats a day?", user="b")
    coverage = t("en", "size.assumed.coverage", open=16, days=7)
    assert any(coverage in line for line in lines_of(floor))
    assert not any(coverage in line for line in lines_of(erlang))
    assert any(t("en", "size.assumed.erlang", aht=180, conc=2) in line for line in lines_of(erlang))


def test_the_asked_role_still_comes_first(ask: Ask) -> None:
    answer = ask("¿cuántos de atención al cliente para una tienda?")
    first = answer.sections[0].lines[0]
    assert first.startswith("Servicio al cliente (centro de atención al cliente): 4")


# --- the details answer ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_why_gives_every_reason_assumption_and_caveat(ask: Ask, lang: Lang) -> None:
    short = ask(QUESTIONS[lang])
    details = ask(WHY[lang])
    assert details.intent == "team_size" and details.language == lang and not details.refusal
    assert details.title == t(lang, "size.details.title", title=short.title)
    assert table_of(details) == table_of(short)
    text = to_text(details)
    for role in RESULT.roles:
        assert reason(lang, RESULT, role) in text, role
    for caveat in RESULT.caveats:
        assert t(lang, caveat.key, **caveat.params) in text
    for assumption in RESULT.assumptions:
        sentence = t(lang, assumption.key, **assumption.params).rstrip(".")
        source = t(lang, f"{assumption.key}.source")
        assert f"{sentence} — {source}." in text, assumption.key
    assert t(lang, "size.details.new_assumed") in text  # no stage given: assumed, and said


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_content_roles_share_one_reason_line(ask: Ask, lang: Lang) -> None:
    ask(QUESTIONS[lang])
    details = lines_of(ask(WHY[lang]))
    shared = reason(lang, RESULT, "content_planner")
    assert sum(shared in line for line in details) == 1


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("why?", "en"), ("Why so many?", "en"), ("how did you get that?", "en"),
        ("explain", "en"), ("details", "en"), ("ok, why?", "en"), ("explain please", "en"),
        ("Why these numbers?", "en"),
        ("¿por qué?", "es"), ("¿de dónde sale?", "es"), ("explícame", "es"), ("detalles", "es"),
        ("¿y por qué?", "es"), ("porque?", "es"), ("¿Por qué estas cifras?", "es"),
    ],
)  # fmt: skip
def test_every_way_of_asking_why_explains_the_last_sizing(ask: Ask, text: str, lang: Lang) -> None:
    ask("how many people for 3 stores?")
    details = ask(text)
    assert details.language == lang  # the language "why?" was asked in
    sizing = t(lang, "size.title", count=3, stage=default_vocabulary().stage_name("new", lang))
    assert details.title == t(lang, "size.details.title", title=sizing)
    assert details.entities.stores == 3


def test_why_follows_the_follow_up(ask: Ask) -> None:
    ask("how many people for two stores?")
    ask("and with live streaming?")
    details = ask("why?")
    assert details.entities.stores == 2 and details.entities.channels == ["live"]
    assert "anchor" in " ".join(lines_of(details)).lower()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_why_with_nothing_to_explain_says_so_and_what_to_ask(ask: Ask, lang: Lang) -> None:
    answer = ask(WHY[lang])
    assert answer.title == t(lang, "size.details.nothing.title") and answer.language == lang
    assert answer.suggestions and answer.refusal and not answer.error


def test_why_only_explains_the_answer_right_before(ask: Ask) -> None:
    ask("how many people for two stores?")
    ask("what does the anchor do?")
    assert ask("why?").title == t("en", "size.details.nothing.title")


def test_why_is_per_conversation(ask: Ask) -> None:
    ask("how many people for two stores?", user="ana")
    assert ask("why?", user="bob").title == t("en", "size.details.nothing.title")
    assert ask("why?", user="ana").entities.stores == 2


def test_why_twice_explains_the_same_answer_twice(ask: Ask) -> None:
    ask("how many people for two stores?")
    expected = t("en", "size.details.title", title=t("en", "size.title", count=2, stage="new"))
    assert ask("why?").title == ask("why?").title == expected


@pytest.mark.parametrize(
    "text",
    ["explain the video editor job", "why do we need an anchor?", "¿por qué hace falta un ancla?",
     "explícame qué hace el community manager", "details of the copywriter role"],
)  # fmt: skip
def test_longer_questions_are_not_read_as_why(bot: Bot, text: str) -> None:
    bot.answer(Message(text="how many people for two stores?"))
    assert not isinstance(bot.parse(Message(text=text)), SizeDetails)


def test_the_stores_assumption_is_repeated_in_the_details(ask: Ask) -> None:
    ask("¿Cuántas personas se necesitan al menos?")
    details = ask("¿por qué?")
    assert t("es", "size.no_stores") in lines_of(details) and details.entities.stores is None


def test_shopcrew_size_explain_prints_the_full_reasoning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["size", "--stores", "1", "--lang", "es", "--open-hours", "12", "--explain"]) == 0
    out = capsys.readouterr().out
    assert t("es", "size.details.reasons") in out and "= 1 puesto abierto 12 h al día" in out
    assert t("es", "size.source.partly", source=t("es", "assume.hours.source")) in out


def test_shopcrew_size_is_chat_sized_without_explain(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["size", "--stores", "2", "--channels", "live,xiaohongshu"]
    assert main(args) == 0
    short = capsys.readouterr().out
    assert main([*args, "--explain"]) == 0
    full = capsys.readouterr().out
    # The table and one short line per role; no reasons in full, no assumptions heading.
    for role in RESULT.roles:
        assert reason("en", RESULT, role) not in short and reason("en", RESULT, role) in full
    assert t("en", "size.assumptions") not in short and t("en", "size.assumptions") in full
    assert len(short.splitlines()) < len(full.splitlines())


def test_every_reason_has_a_short_form() -> None:
    keys = set(CATALOGUES["en"])
    for key in (k for k in keys if k.startswith("why.")):
        short = "brief." + key.removeprefix("why.")
        assert short in keys or any(k.startswith(short + ".") for k in keys), key


@pytest.mark.parametrize(
    ("text", "lang", "said"),
    [
        ("how many people for 10,000 orders a day?", "en", "0.3 chats per order; 6% of orders"),
        ("¿cuántas personas para 3000 pedidos al día?", "es", "0,3 consultas por pedido; un 6%"),
    ],
)
def test_orders_alone_say_the_ratios_behind_customer_service_first(
    bot: Bot, text: str, lang: Lang, said: str
) -> None:
    answer = bot.answer(Message(text=text))
    assumed = next(x for x in lines_of(answer) if x.startswith(("Assumed:", "Supuse:")))
    assert said in assumed
    given = bot.answer(Message(text="how many people for 10,000 orders and 900 chats a day?"))
    assert "per order" not in to_text(given)  # chats given: no ratio assumed for them
    own = bot.answer(Message(text="how many people for 10,000 orders a day with 5% returns?"))
    assumed = next(x for x in lines_of(own) if x.startswith("Assumed:"))
    assert "after-sales cases" not in assumed  # the user's own rate is not an assumption
