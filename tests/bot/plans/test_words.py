"""Plan requests in plain words, in both languages: they run the plan command and show it."""

from __future__ import annotations

import pytest

from bot.core import Bot
from bot.models import Answer, Message
from bot.plans.service import PlanService
from bot.plans.state import PlanState
from bot.requests import PlanRequest
from bot.strings import t
from knowledge import default_vocabulary

WS = "slack:T1"


def message(text: str, user: str = "U1") -> Message:
    return Message(text=text, platform="slack", workspace="T1", user=user, user_is_admin=True)


def run(bot: Bot, text: str) -> Answer:
    return bot.answer(message(text))


def state(plans: PlanService) -> PlanState:
    return plans.store.read(WS)


def shown_command(answer: Answer) -> str:
    """The command an answer says it ran: the words between the backticks of its first line."""
    first = answer.sections[0].lines[0]
    return first.split("`")[1]


@pytest.mark.parametrize(
    ("text", "lang", "verb", "role", "count"),
    [
        ("add 2 copywriters to the plan", "en", "add", "copywriter", 2),
        ("please add two more copywriters to my plan", "en", "add", "copywriter", 2),
        ("can you add a designer to the plan?", "en", "add", "art", 1),
        ("I want to add 3 CS agents to our plan", "en", "add", "customer_service", 3),
        ("agrega 2 diseñadores al plan", "es", "add", "art", 2),
        ("agregá 2 redactores al plan", "es", "add", "copywriter", 2),
        ("añadí un ancla al plan", "es", "add", "anchor", 1),
        ("poné 3 fotógrafos en el plan", "es", "add", "photographer", 3),
        ("sumá dos redactores al plan del equipo", "es", "add", "copywriter", 2),
        ("quiero agregar 2 redactores al plan", "es", "add", "copywriter", 2),
    ],
)
def test_adding_in_plain_words(
    bot: Bot, plans: PlanService, text: str, lang: str, verb: str, role: str, count: int
) -> None:
    answer = run(bot, text)
    assert not answer.refusal and answer.changed_plan
    assert state(plans).roles == {role: count}
    assert answer.language == lang
    e = answer.entities
    assert (e.plan_verb, e.roles, e.count) == (verb, [role], count)


@pytest.mark.parametrize(
    ("text", "lang", "left"),
    [
        ("take one designer off the plan", "en", 2),
        ("remove 2 designers from the plan", "en", 1),
        ("quita un diseñador del plan", "es", 2),
        ("sacá 2 diseñadores del plan", "es", 1),
        ("elimina un diseñador del plan", "es", 2),
    ],
)
def test_removing_in_plain_words(
    bot: Bot, plans: PlanService, text: str, lang: str, left: int
) -> None:
    run(bot, "plan add art 3")
    answer = run(bot, text)
    assert state(plans).roles == {"art": left}
    assert answer.language == lang and answer.entities.plan_verb == "remove"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("remove all designers from the plan", "en"),
        ("clear the designers from the plan", "en"),
        ("quita todos los diseñadores del plan", "es"),
    ],
)
def test_all_of_a_role_empties_it(bot: Bot, plans: PlanService, text: str, lang: str) -> None:
    run(bot, "plan add art 3")
    run(bot, "plan add copywriter 1")
    answer = run(bot, text)
    assert state(plans).roles == {"copywriter": 1} and answer.language == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("add 2 copywriters to the plan", "en"),
        ("take one designer off the plan", "en"),
        ("agrega 2 diseñadores al plan", "es"),
        ("sacá un diseñador del plan", "es"),
        ("set designers to 3 in the plan", "en"),
        ("set the plan to 3 stores", "en"),
        ("cambia el plan a etapa madura", "es"),
        ("export the plan as a spreadsheet", "en"),
        ("exporta el plan", "es"),
    ],
)
def test_the_answer_shows_the_command_it_ran_and_that_command_does_the_same(
    plans: PlanService, text: str, lang: str
) -> None:
    # Two workspaces start alike; one gets the plain words, the other the command shown.
    plain, typed = Bot(plans=plans), Bot(plans=plans)
    for ws in ("T1", "T2"):
        plain.answer(Message(text="plan add art 2", platform="slack", workspace=ws))
    answer = plain.answer(message(text))
    command = shown_command(answer)
    words = default_vocabulary().plan
    assert command.startswith("/shopcrew plan ")
    verb = answer.entities.plan_verb
    assert verb is not None and command.split()[2] == words.shown(verb, lang)
    assert answer.sections[0].lines[0] == t(lang, "plan.ran", command=command[len("/shopcrew ") :])
    again = typed.answer(Message(text=command, platform="slack", workspace="T2"))
    assert not again.refusal and again.language == lang
    assert plans.store.read("slack:T2") == plans.store.read(WS)
    if answer.attachment is not None:
        assert again.attachment == answer.attachment


def test_the_history_records_the_command_in_the_users_words(bot: Bot, plans: PlanService) -> None:
    run(bot, "agrega 2 diseñadores al plan")
    run(bot, "add a copywriter to the plan")
    newest, older = plans.store.history(WS)[:2]
    words = default_vocabulary().plan
    assert newest.command.startswith(f"plan {words.shown('add', 'en')} ")
    assert older.command.startswith(f"plan {words.shown('add', 'es')} ")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("undo", "en"),
        ("oops that was wrong, undo", "en"),
        ("can you undo that?", "en"),
        ("roll back the plan", "en"),
        ("deshacer", "es"),
        ("deshaz eso", "es"),
        ("ups, me equivoqué, deshacer", "es"),
    ],
)
def test_undo_needs_no_mention_of_the_plan(
    bot: Bot, plans: PlanService, text: str, lang: str
) -> None:
    run(bot, "plan add art 2")
    run(bot, "plan add copywriter 1")
    answer = run(bot, text)
    assert answer.entities.plan_verb == "undo" and answer.language == lang
    assert state(plans).roles == {"art": 2}
    assert shown_command(answer).split()[-1] == default_vocabulary().plan.shown("undo", lang)


@pytest.mark.parametrize(
    ("text", "lang", "verb"),
    [
        ("check my plan", "en", "check"),
        ("double check the plan please", "en", "check"),
        ("revisa mi plan", "es", "check"),
        ("revisá el plan", "es", "check"),
        ("show me the plan", "en", "show"),
        ("what does the plan say about designers?", "en", "show"),
        ("how many designers are in the plan?", "en", "show"),
        ("muéstrame el plan", "es", "show"),
        ("mostrame el plan", "es", "show"),
        ("¿qué hay en el plan?", "es", "show"),
        ("show me the plan history", "en", "history"),
        ("clear the plan", "en", "reset"),
        ("vacía el plan", "es", "reset"),
    ],
)
def test_looks_and_checks_in_plain_words(
    bot: Bot, plans: PlanService, text: str, lang: str, verb: str
) -> None:
    run(bot, "plan add art 2")
    answer = run(bot, text)
    assert answer.intent == "plan" and answer.entities.plan_verb == verb
    assert answer.language == lang and not answer.refusal
    assert state(plans).roles == {"art": 2}  # reset asks first; nothing else changes the plan


@pytest.mark.parametrize(("text", "lang"), [("fill the plan", "en"), ("completa el plan", "es")])
def test_filling_the_plan_in_plain_words(
    bot: Bot, plans: PlanService, text: str, lang: str
) -> None:
    answer = run(bot, text)
    assert answer.entities.plan_verb == "recommend" and answer.language == lang
    assert answer.changed_plan and state(plans).roles


@pytest.mark.parametrize(
    ("text", "lang", "fmt"),
    [
        ("export the plan", "en", "md"),
        ("export the plan as csv", "en", "csv"),
        ("exporta el plan", "es", "md"),
        ("exporta el plan en una hoja de cálculo", "es", "csv"),
    ],
)
def test_export_in_plain_words(bot: Bot, text: str, lang: str, fmt: str) -> None:
    run(bot, "plan add copywriter 2")
    answer = run(bot, text)
    assert answer.attachment is not None and answer.attachment.filename.endswith(f".{fmt}")
    assert answer.language == lang and answer.entities.plan_verb == "export"


@pytest.mark.parametrize(
    "text",
    [
        "should I add a copywriter?",
        "should I add a copywriter to the plan?",
        "do I need 2 designers?",
        "add 2 copywriters",
        "how do I undo?",
        "I can't undo my mistake in Shopify",
        "how many designers does the plan need?",
        "who sets the overall operating plan for the store",
        "¿debería agregar un redactor?",
        "¿necesito 2 diseñadores?",
        "agrega 2 diseñadores",
        "no quiero deshacer nada",
        "¿cuántos diseñadores necesita el plan?",
        "revisa el plan de marketing",
        "agrega 2 diseñadores al plan de marketing",
        "quien hace el plan operativo general de la tienda",
    ],
)
def test_questions_and_other_plans_are_not_plan_commands(
    bot: Bot, plans: PlanService, text: str
) -> None:
    run(bot, "plan add art 2")
    request = bot.parse(message(text))
    assert not isinstance(request, PlanRequest) or not request.plain, text
    bot.answer(message(text))
    assert state(plans).roles == {"art": 2}
    assert len(plans.store.history(WS)) == 1


@pytest.mark.parametrize(
    ("text", "lang"),
    [("add 2 unicorns to the plan", "en"), ("agrega 2 dragones al plan", "es")],
)
def test_an_unknown_role_says_how_it_was_read_and_lists_the_roles(
    bot: Bot, plans: PlanService, kb, text: str, lang: str
) -> None:  # type: ignore[no-untyped-def]
    answer = run(bot, text)
    assert answer.refusal and answer.language == lang and state(plans).roles == {}
    assert shown_command(answer).split()[2] == default_vocabulary().plan.shown("add", lang)
    body = " ".join(line for s in answer.sections for line in s.lines)
    for role in kb.roles.values():
        assert role.name.get(lang).split(" (")[0] in body, role.id


@pytest.mark.parametrize(
    ("text", "lang", "key", "params"),
    [
        ("add a designer and a copywriter to the plan", "en", "plan.one_role", {}),
        ("agrega un diseñador y un redactor al plan", "es", "plan.one_role", {}),
        ("add 1000 designers to the plan", "en", "plan.bad_count", {"given": "1000", "max": 999}),
    ],
)
def test_plain_requests_that_cannot_run_as_asked_change_nothing(
    bot: Bot, plans: PlanService, text: str, lang: str, key: str, params: dict[str, object]
) -> None:
    answer = run(bot, text)
    assert answer.refusal and answer.language == lang
    assert answer.entities.plan_verb == "add"
    assert state(plans).roles == {} and plans.store.history(WS) == []
    why = t(lang, key, **default_vocabulary().plan.placeholders(lang), **params)
    assert why in [line for s in answer.sections for line in s.lines]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("add douyin and kuaishou to the plan's channels", "en"),
     ("agrega douyin y kuaishou a los canales del plan", "es")],
)  # fmt: skip
def test_adding_channels_keeps_the_ones_already_in_the_plan(
    bot: Bot, plans: PlanService, text: str, lang: str
) -> None:
    run(bot, "plan channels live")
    answer = run(bot, text)
    assert not answer.refusal and answer.language == lang
    assert answer.entities.plan_verb == "channels"
    assert state(plans).channels == ["live", "kuaishou", "douyin"]


def test_typed_plan_commands_are_left_to_the_command_grammar(bot: Bot) -> None:
    request = bot.parse(message("plan add copywriter 2"))
    assert isinstance(request, PlanRequest) and not request.plain
    answer = bot.handle(request)
    assert not any("/shopcrew" in line for s in answer.sections for line in s.lines)


@pytest.mark.parametrize(
    ("text", "lang", "verb"),
    [
        ("ok we officially opened our 4th store today 🎉 can you update the plan to 4 stores?",
         "en", "stores"),
        ("Ya cerramos la segunda tienda 🙌 actualiza el plan a 2 tiendas porfa", "es", "stores"),
        ("Necesito pasarle el plan al contador en un archivo. ¿Me lo exportas?", "es", "export"),
        ("oops my bad, undo that", "en", "undo"),
    ],
)  # fmt: skip
def test_a_request_later_in_a_longer_message_runs(
    bot: Bot, plans: PlanService, text: str, lang: str, verb: str
) -> None:
    answer = run(bot, text)
    assert not answer.refusal and not answer.error and answer.language == lang
    assert answer.entities.plan_verb == verb
