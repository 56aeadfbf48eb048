"""The questions managers argue about that the article does not answer directly, in both languages.

Each answer must be about the question asked: a verdict for a yes/no question, the boss for a
reporting line, "I can't know" for pay, the article's own role for a task it assigns, and never a
role card for something that is not about roles.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.models import Answer
from bot.render import to_text
from bot.sizing.engine import size_team
from bot.sizing.inputs import parse_input
from bot.strings import t
from knowledge import KnowledgeBase

Ask = Callable[..., Answer]


@pytest.mark.parametrize(
    ("text", "lang", "facet", "role"),
    [
        ("how much should I pay a copywriter?", "en", "pay", "copywriter"),
        ("¿cuánto se le paga a un operador?", "es", "pay", "operations"),
        ("what skills should I look for when hiring an anchor?", "en", "hiring", "anchor"),
        ("¿qué habilidades busco al contratar un ancla?", "es", "hiring", "anchor"),
        ("how do I measure my customer service team?", "en", "kpi", "customer_service"),
        ("¿con qué KPIs mido al de pauta?", "es", "kpi", "promotion"),
        (
            "who does the operations assistant report to?",
            "en",
            "reports_to",
            "operations_assistant",
        ),
        (
            "¿a quién le reporta el asistente de operaciones?",
            "es",
            "reports_to",
            "operations_assistant",
        ),
    ],
)
def test_role_facts_are_recognised(ask: Ask, text: str, lang: str, facet: str, role: str) -> None:
    answer = ask(text)
    assert (answer.intent, answer.language) == (facet, lang)
    assert answer.entities.roles[:1] == [role]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("who does the operations assistant report to?", "en"),
     ("¿a quién le reporta el asistente de operaciones?", "es")],
)  # fmt: skip
def test_a_reporting_line_names_the_boss_first(
    ask: Ask, kb: KnowledgeBase, text: str, lang: str
) -> None:
    boss = kb.role("operations_assistant").reports_to.role
    assert boss is not None
    first = ask(text).title
    assert kb.role(boss).name.get(lang).split(" (")[0] in first
    assert "report" not in kb.role("operations_assistant").duties[0].get(lang).lower() or first


@pytest.mark.parametrize(
    ("text", "lang"),
    [("how much should I pay a copywriter?", "en"), ("¿cuánto gana un diseñador?", "es")],
)
def test_pay_is_never_a_number(ask: Ask, text: str, lang: str) -> None:
    answer = ask(text)
    assert answer.intent == "pay" and answer.language == lang
    assert not re.search(r"\d|\$|€", to_text(answer))


def _no_verdict(lang: str) -> str:
    return t(lang, "decision.enough.no", n=0, what="", whom="", rec=0, low=0).split(":")[0]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("is 2 people enough to run a tmall store?", "en"),
     ("¿alcanzan 2 personas para llevar una tienda en tmall?", "es")],
)  # fmt: skip
def test_is_n_enough_compares_with_the_sizing_engine(ask: Ask, text: str, lang: str) -> None:
    answer = ask(text)
    assert (answer.intent, answer.language) == ("decision", lang)
    low, _, rec = size_team(parse_input(stores=1)).total
    assert low > 2  # the engine says two people are too few for one store...
    assert answer.title.startswith(_no_verdict(lang))  # ...so the verdict comes first: no
    assert str(low) in answer.title and str(rec) in answer.title


@pytest.mark.parametrize(
    ("text", "lang", "roles", "verdict"),
    [
        ("do I need a general manager for a small shop?", "en", ["general_manager"],
         "need.depends"),
        ("¿necesito un gerente general para una tienda chica?", "es", ["general_manager"],
         "need.depends"),
        ("can one guy do operations and promotion at the start?", "en",
         ["operations", "promotion"], "combine.depends"),
        ("¿una sola persona puede hacer operación y promoción al principio?", "es",
         ["operations", "promotion"], "combine.depends"),
        ("do we need an operator for our store?", "en", ["operations"], "need.yes"),
        ("¿hace falta un anfitrión si no hacemos directos?", "es", ["anchor"], "need.content"),
    ],
)  # fmt: skip
def test_decisions_start_with_the_verdict(
    ask: Ask, text: str, lang: str, roles: list[str], verdict: str
) -> None:
    answer = ask(text)
    assert (answer.intent, answer.language) == ("decision", lang)
    assert answer.entities.roles[: len(roles)] == roles
    opening = t(lang, f"decision.{verdict}", role="", roles="", whom="", n=0).split(":")[0]
    assert answer.title.startswith(opening)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("does the photographer also edit the videos?", "en"),
     ("¿el fotógrafo también edita los videos?", "es")],
)  # fmt: skip
def test_a_task_question_names_who_does_it(ask: Ask, text: str, lang: str) -> None:
    answer = ask(text)
    assert (answer.intent, answer.language) == ("decision", lang)
    assert answer.entities.roles[0] == "photographer" and len(answer.entities.roles) == 2
    assert not answer.title.startswith(t(lang, "decision.need.yes", whom="", n=0, role="")[:3])


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("who uploads new products to the store?", "art"),
        ("¿quién sube los productos nuevos a la tienda?", "art"),
        ("who talks to unhappy customers who left 1 star?", "customer_service"),
        ("¿quién habla con los clientes que dejaron 1 estrella?", "customer_service"),
        ("who sets up the pay structure for staff?", "operations_director"),
        ("¿quién define el sistema de sueldos del personal?", "operations_director"),
        ("who decides which products we push first?", "promotion"),
        ("¿quién decide qué productos empujamos primero?", "promotion"),
        ("who deals with bad reviews?", "customer_service"),
        ("¿quién se encarga de las malas reseñas?", "customer_service"),
    ],
)
def test_who_does_puts_the_articles_role_first(
    ask: Ask, kb: KnowledgeBase, text: str, role: str
) -> None:
    answer = ask(text)
    assert answer.intent == "who_does" and answer.entities.roles[0] == role
    # Every role the answer names is one the duty search found for this task: no bystanders.
    shown = to_text(answer)
    for other in ("hr", "event_planner"):
        if other != role and other not in answer.entities.roles:
            assert kb.role(other).name.get(answer.language) not in shown


@pytest.mark.parametrize(
    ("text", "lang", "kind"),
    [
        ("thanks", "en", "thanks"), ("gracias", "es", "thanks"),
        ("thank you so much!", "en", "thanks"), ("bye", "en", "bye"), ("chau", "es", "bye"),
        ("perdón", "es", "sorry"),
    ],
)  # fmt: skip
def test_small_talk_gets_a_short_reply(ask: Ask, text: str, lang: str, kind: str) -> None:
    answer = ask(text)
    assert (answer.intent, answer.language) == ("smalltalk", lang)
    assert answer.title == t(lang, f"smalltalk.{kind}") and not answer.sections


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("what can you do for us?", "en"), ("¿qué sabes hacer?", "es"), ("how do I use you?", "en"),
        ("no entiendo", "es"), ("me podés ayudar", "es"), ("i don't get it", "en"),
    ],
)  # fmt: skip
def test_help_in_plain_words(ask: Ask, text: str, lang: str) -> None:
    assert (ask(text).intent, ask(text).language) == ("help", lang)


@pytest.mark.parametrize(
    ("text", "role", "term"),
    [
        ("¿qué hace el bodeguero?", "warehouse_packer", "bodeguero"),
        ("¿qué hace el encargado de depósito?", "warehouse_manager", "encargado de deposito"),
        ("¿cuántas chicas de atención necesito para 2 tiendas?", "customer_service",
         "chicas de atencion"),
        ("¿qué hace el de diseño?", "art", "el de diseno"),
        ("el CM qué hace?", "content_planner", "el cm"),
        ("what does our trafficker do?", "promotion", "trafficker"),
    ],
)  # fmt: skip
def test_regional_words_map_to_the_closest_role_and_say_so(
    ask: Ask, kb: KnowledgeBase, text: str, role: str, term: str
) -> None:
    answer = ask(text)
    assert answer.entities.roles[:1] == [role] and answer.entities.read_as == {term: role}
    name = kb.role(role).name.get(answer.language).split(" (")[0]
    assert t(answer.language, "read_as", term=term, role=name) in to_text(answer)


@pytest.mark.parametrize(
    "text",
    [
        "¿cuál es la diferencia entre el supervisor de preventa y el de posventa?",
        "diferencias entre supervisor de preventa y de posventa?",
        "qué diferencia hay entre un supervisor de preventa y uno de posventa",
    ],
)
def test_an_elided_role_repeats_the_head_of_the_one_before(ask: Ask, text: str) -> None:
    # "el de posventa" after "el supervisor de preventa" is the after-sales supervisor.
    answer = ask(text)
    assert answer.intent == "compare_roles"
    assert answer.entities.roles[:2] == ["presale_supervisor", "aftersales_supervisor"]


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("who makes the homepage banners for black friday?", "art"),
        ("¿quién hace las plantillas de la tienda pa navidad?", "art"),
        ("who organizes black friday?", "event_planner"),
        ("¿quién organiza el buen fin?", "event_planner"),
    ],
)
def test_a_sale_event_is_when_not_what(ask: Ask, text: str, role: str) -> None:
    assert ask(text).entities.roles[0] == role


@pytest.mark.parametrize(
    ("text", "role", "why"),
    [
        ("2 or 3 stores, around 10k orders a month. how many after-sales people?",
         "after_sales", "after_sales"),
        ("¿cuántos anfitriones para 2 tiendas?", "anchor", "content"),
        ("how many HR people for one new store?", "hr", "mature"),
    ],
)  # fmt: skip
def test_a_role_asked_about_but_not_sized_says_so(
    ask: Ask, kb: KnowledgeBase, text: str, role: str, why: str
) -> None:
    # A table without the role asked about would answer another question: say why it has none.
    answer = ask(text)
    assert answer.intent == "team_size" and answer.entities.roles[:1] == [role]
    name = kb.role(role).name.get(answer.language)
    assert t(answer.language, f"size.none.{why}", name=name) in to_text(answer)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("who does the retouching on product pics before they go up", "art"),
        ("Who normally shoots the product pics?", "photographer"),
    ],
)
def test_retouching_is_art_and_shooting_is_the_photographer(ask: Ask, text: str, role: str) -> None:
    assert ask(text).entities.roles[0] == role
