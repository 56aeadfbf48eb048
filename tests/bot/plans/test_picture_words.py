"""The plan's picture (`plan chart`) asked for in plain words, and the near-misses that must
never draw it: each near-miss is checked beside a twin that does ask for the plan's picture."""

from __future__ import annotations

import pytest

from bot.buttons import button_value
from bot.core import Bot
from bot.models import Answer
from bot.plans.service import PlanService
from bot.strings import t
from tests.bot.plans.plain import PLAN, WS, assert_unchanged, message, run, typed, with_a_plan


def assert_drawn(bot: Bot, answer: Answer, lang: str | None = None) -> None:
    """The answer is the plan's picture: the typed command's, in the user's language."""
    assert answer.intent == "plan" and answer.entities.plan_verb == "chart", answer.title
    assert not answer.refusal and answer.attachment is not None
    assert answer.attachment.media_type == "image/png"
    drawn = typed(bot, "chart", answer.language)
    assert drawn.attachment is not None and drawn.attachment.content == answer.attachment.content
    if lang is not None:
        assert answer.language == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("send me the plan chart", "en"),
        ("draw our org chart", "en"),
        ("post the org chart of our team plan", "en"),
        ("show me the plan's org chart", "en"),
        ("show the plan as a picture", "en"),
        ("can I see a picture of our plan?", "en"),
        ("what does our org chart look like?", "en"),
        ("export the plan as a png", "en"),
        ("<@U04KX9PLM> org chart of our plan pls 🙏", "en"),
        ("¿cómo se ve el organigrama de nuestro plan?", "es"),
        ("quiero ver el organigrama de nuestro plan", "es"),
        ("hazme un gráfico del plan", "es"),
        ("dame una imagen del plan", "es"),
        ("muestra el organigrama del plan", "es"),
        ("exporta el plan como imagen", "es"),
        ("nuestro organigrama porfa", "es"),
    ],
)
def test_the_plans_picture_in_plain_words(
    bot: Bot, plans: PlanService, text: str, lang: str
) -> None:
    with_a_plan(bot)
    assert_drawn(bot, run(bot, text), lang)
    assert_unchanged(plans)


@pytest.mark.parametrize(
    ("near_miss", "intent", "twin"),
    [
        # The org chart of a team the article describes is the article's.
        ("what does the org chart of a tmall agency look like?", "team_roles",
         "what does the org chart of our plan look like?"),
        ("dibújame el organigrama de una tienda madura", "team_roles",
         "dibújame nuestro organigrama"),
        ("muéstrame el organigrama", "team_roles", "muéstrame nuestro organigrama"),
        ("show me the org chart of a mature team", "team_roles",
         "show me the org chart of our team plan"),
        # Other charts, other pictures, other plans.
        ("send me the size chart for the new hoodies", None, "send me the plan chart"),
        ("hazme un gráfico de ventas del mes", None, "hazme un gráfico del plan"),
        ("show me our sales chart for black friday", None, "show me our org chart"),
        ("exporta el gráfico de ventas como imagen", None, "exporta el plan como imagen"),
        ("can you chart our marketing plan", None, "can you make a chart of our team plan"),
        ("dame el gráfico del plan de marketing", None, "dame el gráfico del plan del equipo"),
        # Questions about what is in the picture, or about the team it shows.
        ("in our org chart, who's the copywriter's boss?", "reports_to",
         "in our org chart pls"),
        ("who reports to the operations director?", "reports_to", "show me our org chart"),
        ("we're redoing our org chart, what roles should a mature team have?", "team_roles",
         "we're redoing things, draw our org chart"),
        ("the org chart of our plan has no HR, do we need one?", "decision",
         "the org chart of our plan pls"),
        ("what does the copywriter do? he's in the plan's org chart", "role_duties",
         "what does the plan's org chart look like?"),
        ("en nuestro organigrama, ¿de quién depende atención al cliente?", "reports_to",
         "¿cómo se ve nuestro organigrama?"),
    ],
)  # fmt: skip
def test_a_near_miss_never_draws_the_plan(
    bot: Bot, plans: PlanService, near_miss: str, intent: str | None, twin: str
) -> None:
    with_a_plan(bot)
    answer = run(bot, near_miss)
    assert answer.attachment is None and answer.entities.plan_verb != "chart"
    if intent is not None:
        assert answer.intent == intent
    assert_unchanged(plans)
    assert_drawn(bot, run(bot, twin))


@pytest.mark.parametrize(
    ("change", "verb", "after", "picture"),
    [
        ("remove the copywriter from the plan chart", "remove", {"art": 2},
         "drop the org chart of the plan here"),
        ("agrega un redactor al plan y después dibújalo", "add", {"art": 2, "copywriter": 2},
         "arma el organigrama del plan"),
        ("set the plan to 3 stores", "stores", PLAN, "make me a diagram of our staffing plan"),
    ],
)  # fmt: skip
def test_a_change_verb_asks_for_the_picture_only_when_no_change_is_named(
    bot: Bot, plans: PlanService, change: str, verb: str, after: dict[str, int], picture: str
) -> None:
    # "drop", "arma" and "make" are also a removal, a fill and a setting: with the picture named
    # and nothing to change, they ask for the picture and change nothing.
    with_a_plan(bot)
    assert_drawn(bot, run(bot, picture))
    assert_unchanged(plans)
    answer = run(bot, change)
    assert answer.entities.plan_verb == verb and answer.attachment is None
    assert plans.store.read(WS).roles == after


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("muéstrame el organigrama", "es"),
        ("what does the org chart of a tmall agency look like?", "en"),
    ],
)
def test_the_articles_org_chart_offers_to_draw_the_workspaces_own(
    bot: Bot, plans: PlanService, text: str, lang: str
) -> None:
    before = run(bot, text)  # no plan yet: nothing of theirs to draw
    assert before.intent == "team_roles" and all(s.command != "chart" for s in before.suggestions)
    with_a_plan(bot)
    answer = run(bot, text)
    assert answer.intent == "team_roles" and answer.attachment is None
    button = answer.suggestions[0]
    assert button.command == "chart" and button.label == t(lang, "suggest.draw_our_plan")
    clicked = bot.handle(bot.parse_button(button_value(button, lang), message("")))
    assert_drawn(bot, clicked, lang)
    other = run(bot, "what roles does a mature team need?")  # no org chart asked for
    assert other.intent == "team_roles" and all(s.command != "chart" for s in other.suggestions)
    assert_unchanged(plans)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # Their own team, not only the plan, names the picture: "our team", "the team" (none
        # other described), "nosotros", a store of theirs for an org chart.
        ("draw our team", "en"),
        ("can you draw up our team structure?", "en"),
        ("I'd like to see our team as a chart", "en"),
        ("make me an org chart of the team we planned", "en"),
        ("dibujame el organigrama del equipo porfa", "es"),
        ("mostrame el organigrama de nuestra tienda en imagen", "es"),
        ("pásame el organigrama actualizado de nuestro equipo", "es"),
        ("un organigrama de nosotros porfa", "es"),
        ("necesito ver el equipo en forma de árbol", "es"),
        ("quiero ver gráficamente cómo está armado nuestro equipo", "es"),
    ],
)
def test_their_own_team_names_the_plans_picture(
    bot: Bot, plans: PlanService, text: str, lang: str
) -> None:
    with_a_plan(bot)
    assert_drawn(bot, run(bot, text), lang)
    assert_unchanged(plans)


@pytest.mark.parametrize(
    "text",
    [
        # A "please", then anything; what the picture is for; a role in that purpose or in a
        # clause of its own; the picture asked for in the next clause or after a dash.
        "ORG CHART OF OUR TEAM NOW pls the investors are on the call 🔥",
        "picture of our team plan for the onboarding doc, thx",
        "necesito el organigrama de mi equipo en png para pasárselo al dueño",
        "make our org chart again, I added a photographer",
        "can you show the plan? as a picture I mean, not the list",
        "re: el plan del equipo — ahora dibújalo",
        # How the plan looks, between the picture and the plan; an org chart asked for beside it.
        "oye me puedes sacar una imagen de cómo quedó el plan del equipo?",
        "me armas un organigrama con lo que tenemos en el plan?",
        # Drawn again: the picture was theirs.
        "after adding the 2 hosts to our plan, redraw the chart pls",
        "redraw it",
    ],
)
def test_the_picture_asked_for_around_its_name(bot: Bot, plans: PlanService, text: str) -> None:
    with_a_plan(bot)
    assert_drawn(bot, run(bot, text))
    assert_unchanged(plans)


@pytest.mark.parametrize(
    ("near_miss", "twin"),
    [
        # A team the message describes is not theirs; nor is a picture for something of theirs.
        ("dibuja el organigrama del equipo de contenido", "dibuja el organigrama del equipo"),
        ("draw the org chart of the typical team", "draw the org chart of the team"),
        ("show me the org chart of the team for a tmall agency",
         "show me the org chart of the team"),
        ("make a picture for the team meeting", "make a picture of the team"),
        ("I need a diagram of how returns flow in our team", "I need a diagram of our team"),
        ("draw our logo", "draw our team"),
        ("haceme un gráfico de ventas del equipo", "haceme un gráfico del equipo"),
        # Said about it, not asked for; a question about a role in it.
        ("our team chart is wrong", "our team chart pls, it's for the deck"),
        ("me parece que el organigrama de nuestro equipo está mal",
         "¿me haces el organigrama de nuestro equipo?"),
        ("en el organigrama de nuestro equipo, ¿a quién reporta el diseñador?",
         "el organigrama del equipo, porfa"),
    ],
)  # fmt: skip
def test_a_near_miss_about_a_team_never_draws_the_plan(
    bot: Bot, plans: PlanService, near_miss: str, twin: str
) -> None:
    with_a_plan(bot)
    answer = run(bot, near_miss)
    assert answer.attachment is None and answer.entities.plan_verb != "chart"
    assert_unchanged(plans)
    assert_drawn(bot, run(bot, twin))
