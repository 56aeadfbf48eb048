"""The plan as text in the chat or as a file, asked for in plain words ("just give me the plan as
a list", "bájame el plan como archivo"), and the near-misses whose meaning must not change:
each near-miss is checked beside a twin that does ask for the plan in that form."""

from __future__ import annotations

import pytest

from bot.core import Bot
from bot.models import Answer
from bot.plans.service import PlanService
from tests.bot.plans.plain import assert_unchanged, run, typed, with_a_plan


def assert_shown(bot: Bot, answer: Answer, lang: str | None = None) -> None:
    """The answer shows the plan in the chat, as the typed ``plan show`` does."""
    assert answer.intent == "plan" and answer.entities.plan_verb == "show", answer.title
    assert answer.attachment is None and not answer.refusal
    shown = typed(bot, "show", answer.language)
    assert answer.sections[1:] == shown.sections and answer.title == shown.title
    assert lang is None or answer.language == lang


def assert_exported(bot: Bot, answer: Answer, fmt: str) -> None:
    """The answer is the plan's file in ``fmt``, as the typed ``plan export`` makes it."""
    assert answer.intent == "plan" and answer.entities.plan_verb == "export", answer.title
    assert answer.attachment is not None and answer.attachment.filename.endswith(f".{fmt}")
    file = typed(bot, "export", answer.language, fmt).attachment
    assert file is not None and file.content == answer.attachment.content


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("just give me the plan as a list, no chart needed", "en"),
        ("print the plan here as text", "en"),
        ("dump our team plan in the thread pls, plain text", "en"),
        ("the plan in text form please", "en"),
        ("no quiero el dibujo, pásame el plan en texto plano", "es"),
        ("el plan de equipo, en lista porfa, sin gráfico", "es"),
        ("¿Me enseñas el plan de equipo que tenemos guardado? en texto vale", "es"),
        ("recordame cómo quedó el plan, escribímelo acá", "es"),
        ("que roles tenemos cargados en el plan?", "es"),
    ],
)
def test_the_plan_as_text_in_plain_words(
    bot: Bot, plans: PlanService, text: str, lang: str
) -> None:
    with_a_plan(bot)
    assert_shown(bot, run(bot, text), lang)
    assert_unchanged(plans)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("can I get the team plan as a spreadsheet?", "csv"),
        ("need our plan as a file to upload to google sheets", "csv"),
        ("send the team plan as a `.md` file", "md"),
        ("the plan, as a file please", "md"),
        ("bájame el plan como archivo, csv o lo que sea", "csv"),
        ("quiero el plan en una planilla", "csv"),
        ("me mandas el plan como archivo?", "md"),
    ],
)
def test_the_plan_as_a_file_in_plain_words(
    bot: Bot, plans: PlanService, text: str, fmt: str
) -> None:
    with_a_plan(bot)
    assert_exported(bot, run(bot, text), fmt)
    assert_unchanged(plans)


@pytest.mark.parametrize(
    ("near_miss", "verb", "twin", "form"),
    [
        # Another plan, a refused form, thanks: no form of the plan is asked for.
        ("dame el plan de ventas en excel", None, "dame el plan del equipo en excel", "csv"),
        ("i don't want the plan as a file", None, "i want the plan as a file", "md"),
        ("thanks for the plan as a file!", None, "the plan as a file, thanks!", "md"),
        ("the list of roles in the article, please", None, "the plan as a list, please", "text"),
        # A change asked for with the form stays that change; "export" itself still exports.
        ("add 2 designers to the plan and send it as a file", "add", "send the plan as a file",
         "md"),
        ("export the plan as a table", "export", "give me the plan as a table", "text"),
        # The picture wins over the form it is asked for instead of.
        ("can I get our team plan as a picture instead of text?", "chart",
         "can I get our team plan as text instead of a picture?", "text"),
    ],
)  # fmt: skip
def test_a_near_miss_keeps_its_meaning(
    bot: Bot, plans: PlanService, near_miss: str, verb: str | None, twin: str, form: str
) -> None:
    with_a_plan(bot)
    answer = run(bot, near_miss)
    if verb is None:
        assert answer.entities.plan_verb is None and answer.attachment is None
        assert_unchanged(plans)
    else:
        assert answer.intent == "plan" and answer.entities.plan_verb == verb
    if form == "text":
        assert_shown(bot, run(bot, twin))
    else:
        assert_exported(bot, run(bot, twin), form)
