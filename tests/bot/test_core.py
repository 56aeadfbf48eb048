"""The intent layer end to end: answers, languages, refusals, follow-ups, and robustness."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.cli.output import answer_json
from bot.core import Bot
from bot.models import Message
from bot.parse import MAX_CHARS
from bot.render import to_text
from bot.requests import TooLong
from bot.strings import items, t


def test_json_contract(ask) -> None:  # type: ignore[no-untyped-def]
    out = answer_json(ask("¿cuántos operadores para cuatro tiendas con directos?"))
    assert set(out) == {
        "intent",
        "language",
        "roles",
        "stores",
        "stage",
        "channels",
        "team",
        "text",
    }
    assert out["intent"] == "team_size" and out["language"] == "es"
    assert out["roles"] == ["operations"] and out["stores"] == 4 and out["channels"] == ["live"]
    assert "Operación" in out["text"]


def test_role_duties_cites_the_article_section(ask) -> None:  # type: ignore[no-untyped-def]
    text = to_text(ask("what does copywriting do?"))
    assert "Edit and revise the product titles in the online store." in text
    assert "Tmall agency, 04. Text editing" in text


def test_general_duties_say_they_are_not_from_the_article(ask) -> None:  # type: ignore[no-untyped-def]
    assert "not from the source article" in to_text(ask("what does the anchor do?"))
    assert "no procede del artículo fuente" in to_text(ask("¿qué hace el ancla?"))


def test_who_does_quotes_the_matching_duty(ask) -> None:  # type: ignore[no-untyped-def]
    answer = ask("¿quién escribe los títulos de producto?")
    assert answer.entities.roles[0] == "copywriter"
    assert "Responsable de editar y modificar títulos de productos" in to_text(answer)


def test_agency_structure_lists_six_departments_with_duties(ask) -> None:  # type: ignore[no-untyped-def]
    text = to_text(ask("Tmall agency team structure"))
    for heading in ("01. Operations director", "03. Web-page art", "06. Customer service centre"):
        assert heading in text
    assert "Develop the staff compensation system." in text


def test_team_size_answers_the_asked_role_first(ask) -> None:  # type: ignore[no-untyped-def]
    answer = ask("how many customer service for one store?")
    first = answer.sections[0].lines[0]
    assert first.startswith("Customer service (customer-service centre): 4")


def test_team_size_leads_with_the_total_and_names_every_role_once(ask) -> None:  # type: ignore[no-untyped-def]
    answer = ask("how many people for two stores?")
    table = next(s.table for s in answer.sections if s.table)
    assert table.rows[0][0] == "Total"
    assert int(table.rows[0][1]) == sum(int(row[1]) for row in table.rows[1:])
    lines = [line for s in answer.sections for line in s.lines]
    for role, *_ in table.rows[1:]:
        assert sum(line.startswith(f"• {role}:") for line in lines) == 1, role


def test_follow_ups_refine_the_last_sizing(ask) -> None:  # type: ignore[no-untyped-def]
    ask("how many people for two stores?", user="ana")
    answer = ask("and with live streaming?", user="ana")
    assert answer.intent == "team_size"
    assert (answer.entities.stores, answer.entities.channels) == (2, ["live"])
    answer = ask("y si son tres tiendas?", user="ana")
    assert answer.language == "es" and answer.entities.stores == 3
    assert answer.entities.channels == ["live"]
    # Another user has no context to refine.
    assert ask("and with live streaming?", user="bob").entities.stores is None


def test_unknown_role_gets_did_you_mean(ask) -> None:  # type: ignore[no-untyped-def]
    answer = ask("what does a desiner do?")
    assert answer.entities.roles == ["art"]  # typo understood
    answer = ask("what does a sommelier do?")
    assert answer.refusal and "sommelier" in answer.title


def test_unknown_offers_suggestions_in_the_users_language(ask) -> None:  # type: ignore[no-untyped-def]
    answer = ask("¿y lo de ayer cómo quedó al final?")
    assert answer.intent == "unknown" and answer.language == "es"
    assert answer.suggestions and "¿Quisiste decir…?" in to_text(answer)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("cuéntame un chiste sobre diseñadores", "es"),
        ("order business cards for our copywriter", "en"),
        ("what's the weather for tomorrow's warehouse pickup?", "en"),
        ("tell me a joke about designers", "en"),
        ("¿qué cámara le compro al fotógrafo?", "es"),
    ],
)
def test_off_topic_with_a_role_gets_no_role_answer(ask, text: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    answer = ask(text)
    assert (answer.intent, answer.language) == ("unknown", lang)
    assert answer.title == t(lang, "offtopic.title")
    # No guess at a role question: the suggestions are the general examples and help.
    assert all(
        s.text in [*items(lang, "help.examples"), t(lang, "suggest.help")]
        for s in answer.suggestions
    )


def test_one_word_spanish_greeting_is_answered_in_spanish(ask) -> None:  # type: ignore[no-untyped-def]
    for word in ("hola", "ayuda", "Hola!!", "AYUDA"):
        answer = ask(word)
        assert (answer.intent, answer.language) == ("help", "es"), word


def test_bad_inputs_get_polite_refusals(ask) -> None:  # type: ignore[no-untyped-def]
    assert ask("").refusal and ask("   ").refusal and ask("🎉🎉").refusal
    long = ask("x" * 40_000)
    assert long.refusal and "40,000" in to_text(long)
    assert ask("how many people for 1000 stores?").title.startswith("I can size teams for 1 to 500")
    assert ask("¿cuántas personas para 0 tiendas?").refusal


def test_sql_looking_text_changes_nothing(ask, plans) -> None:  # type: ignore[no-untyped-def]
    ask("plan add copywriter 2")
    answer = ask("'; DROP TABLE plans; --")
    assert answer.intent == "unknown"
    ask("plan add copy 1'; DROP TABLE history; --")
    assert plans.store.read("local:local").roles == {"copywriter": 2}
    assert len(plans.store.history("local:local")) == 1


def test_an_internal_error_becomes_an_apology(bot: Bot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def boom(*_: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr("bot.core.role_card", boom)
    answer = bot.answer(Message(text="what does copywriting do?"))
    assert answer.refusal and answer.error and "something went wrong" in answer.title


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=MAX_CHARS + 50))
def test_any_text_is_answered(bot: Bot, text: str) -> None:
    answer = bot.answer(Message(text=text))
    assert answer.title and answer.intent
    # An apology would also "answer": the point is that nothing failed inside.
    assert not answer.error
    assert "Traceback" not in to_text(answer)


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=1, max_size=40).map(lambda s: (s * 40_000)[:40_000]))
def test_huge_pastes_are_refused_quickly(bot: Bot, monkeypatch, text: str) -> None:  # type: ignore[no-untyped-def]
    message = Message(text=text)
    # Refused before the text layer reads it: reading 40,000 characters is the slow part.
    monkeypatch.setattr(bot.knowledge.understander, "read", None)
    request = bot.parse(message)
    assert isinstance(request, TooLong) and request.length == len(text)
    answer = bot.handle(request)
    assert answer.refusal and not answer.error
    assert answer.title == t(answer.language, "toolong.title")


def test_team_size_reasoning_in_both_languages(ask) -> None:  # type: ignore[no-untyped-def]
    ask("how many people for one store?", user="en")
    en = to_text(ask("why?", user="en"))
    ask("¿cuántas personas para una tienda?", user="es")
    es = to_text(ask("¿por qué?", user="es"))
    assert "= 1 seat open 16 h a day" in en and "about 4 for one new store" in en
    assert "= 1 puesto abierto 16 h al día" in es and "unos 4 para una tienda nueva" in es
    assert "Supuestos" in es and "Advertencias" in es


@pytest.mark.parametrize("text", ["plan add \ud800art 2", "what does \udfff copywriting do?"])
def test_a_lone_surrogate_is_read_as_a_replacement_character(ask, text: str) -> None:  # type: ignore[no-untyped-def]
    # Half of a UTF-16 pair is not text: SQLite would refuse it, so it never reaches the core.
    answer = ask(text)
    assert not answer.error
    assert "\ud800" not in answer.model_dump_json() and "\udfff" not in answer.model_dump_json()
