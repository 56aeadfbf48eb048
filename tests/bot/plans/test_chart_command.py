"""``plan chart``: the picture in the user's words and language, a polite word for an empty plan,
and a button to it under every plan that has people in it."""

from __future__ import annotations

import pytest

from bot.buttons import button_value
from bot.core import Bot
from bot.models import Answer, Message, Origin
from bot.render import to_text

WHERE = {"platform": "slack", "workspace": "T1", "user": "U1"}


def run(bot: Bot, text: str, admin: bool = False) -> Answer:
    return bot.answer(Message(text=text, user_is_admin=admin, **WHERE))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "lang", "said"),
    [
        ("plan chart", "en", "The plan is empty, so there is nothing to draw yet."),
        ("plan organigrama", "es", "El plan está vacío, así que todavía no hay nada que dibujar."),
    ],
)
def test_an_empty_plan_gets_a_sentence_not_a_blank_picture(
    bot: Bot, text: str, lang: str, said: str
) -> None:
    answer = run(bot, text)
    assert answer.attachment is None and answer.language == lang
    assert answer.refusal  # nothing was drawn: the command line exits 1, Slack answers privately
    assert said in to_text(answer)
    assert [s.command for s in answer.suggestions] == ["recommend"]


@pytest.mark.parametrize(
    ("text", "lang", "title"),
    [
        ("plan chart", "en", "Org chart of the team plan"),
        ("plan picture", "en", "Org chart of the team plan"),
        ("plan organigrama", "es", "Organigrama del plan del equipo"),
        ("plan gráfico", "es", "Organigrama del plan del equipo"),
        ("/shopcrew plan imagen", "es", "Organigrama del plan del equipo"),
    ],
)
def test_the_picture_answers_in_the_words_language(
    bot: Bot, text: str, lang: str, title: str
) -> None:
    run(bot, "plan add copywriter 2")
    run(bot, "plan stores 3")
    answer = run(bot, text)
    assert not answer.refusal and answer.language == lang and answer.title == title
    file = answer.attachment
    assert file is not None and file.media_type == "image/png"
    assert file.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert answer.entities.plan_verb == "chart"
    # The text says what the picture shows, for whoever cannot see it.
    copy = "Redactor 2" if lang == "es" else "Copywriter 2"
    assert file.alt_text is not None and copy in file.alt_text
    total = "Total: 2 personas" if lang == "es" else "Total: 2 people"
    assert total in to_text(answer) and total in file.alt_text


def test_a_locked_plan_still_draws_for_everyone(bot: Bot) -> None:
    run(bot, "plan add art 2", admin=True)
    run(bot, "plan lock", admin=True)
    answer = run(bot, "plan chart")
    assert not answer.refusal and answer.attachment is not None


def test_a_plan_with_people_offers_its_picture_and_the_button_draws_it(bot: Bot) -> None:
    empty = run(bot, "plan show")
    assert "chart" not in [s.command for s in empty.suggestions]
    for text in ("plan add art 2", "plan show", "plan ver"):
        answer = run(bot, text)
        (chart,) = [s for s in answer.suggestions if s.command == "chart"]
        assert chart.label == ("Ver el organigrama" if text == "plan ver" else "Org chart picture")
    origin = Origin(**WHERE)  # type: ignore[arg-type]
    request = bot.parse_button(button_value(chart, "es"), origin)
    clicked = bot.handle(request)
    assert clicked.language == "es" and clicked.attachment is not None
    assert clicked.attachment.media_type == "image/png"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("draw the team plan", "en"),
        ("can you draw our plan as an org chart?", "en"),
        ("dibújame el plan", "es"),
        ("por favor grafica el plan del equipo", "es"),
    ],
)
def test_the_picture_in_plain_words(bot: Bot, text: str, lang: str) -> None:
    run(bot, "plan add art 2")
    answer = run(bot, text)
    assert answer.entities.plan_verb == "chart" and answer.language == lang
    assert answer.attachment is not None and answer.attachment.media_type == "image/png"


@pytest.mark.parametrize("text", ["draw me a logo for the store", "dibuja un diagrama de flujo"])
def test_drawing_something_else_is_not_the_plan(bot: Bot, text: str) -> None:
    run(bot, "plan add art 2")
    answer = run(bot, text)
    assert answer.entities.plan_verb is None and answer.attachment is None
