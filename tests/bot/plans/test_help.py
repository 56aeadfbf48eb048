"""``plan help`` in full, in both languages: one line per command, in the reply's words."""

from __future__ import annotations

import pytest

from bot.core import Bot
from bot.models import Message
from bot.render import to_text
from knowledge.vocab import PLAN_VERBS

EXPECTED = {
    "en": [
        "Plan commands",
        "",
        "• `plan show` – show the plan",
        "• `plan add ROLE [N]` – add N people (default 1)",
        "• `plan remove ROLE [N]` – remove N people (default 1)",
        "• `plan set ROLE N` – set the count (0 removes the role)",
        "• `plan stores N` – how many stores the plan is for",
        "• `plan stage new` or `plan stage mature` – the team's stage",
        "• `plan channels live,xiaohongshu` – content channels (or `none`)",
        "• `plan recommend` – fill the plan from the sizing engine, keeping your numbers; "
        "`plan recommend replace` overwrites them (asks first)",
        "• `plan check` – compare the plan with the sizing engine",
        "• `plan history` – the latest changes",
        "• `plan undo` – undo the last change",
        "• `plan export csv` or `plan export md` – the plan as a file",
        "• `plan chart` – the plan as an org-chart picture",
        "• `plan reset` – empty the plan (asks for confirmation)",
        "• `plan lock` – only admins and editors may change the plan (admins only)",
        "• `plan unlock` – everyone may change the plan again (admins only)",
        "• `plan editors add USER` or `plan editors remove USER` – edit rights on a locked plan "
        "(admins only)",
        "• `plan lang en` or `plan lang es` – the language of this workspace's plan replies",
        "• `plan salary ROLE AMOUNT` – your monthly cost of one person in a role (`none` removes "
        "it); costs come only from these figures",
        "• `plan currency MXN` – the currency of your salary figures (an ISO code, or `none`)",
        "• `plan returns 5%` – share of orders returned, used in sizing (or `none`)",
        "• `plan chats 0.5` – chats per order, used in sizing (or `none`)",
        "• `plan help` – this list",
        "The Spanish command words work too (`plan ver`, `plan agregar`…).",
    ],
    "es": [
        "Comandos del plan",
        "",
        "• `plan ver` – muestra el plan",
        "• `plan agregar PUESTO [N]` – agrega N personas (1 por defecto)",
        "• `plan quitar PUESTO [N]` – quita N personas (1 por defecto)",
        "• `plan fijar PUESTO N` – fija la cantidad (0 quita el puesto)",
        "• `plan tiendas N` – para cuántas tiendas es el plan",
        "• `plan etapa nueva` o `plan etapa madura` – la etapa del equipo",
        "• `plan canales directos,xiaohongshu` – canales de contenido (o `ninguno`)",
        "• `plan recomendar` – completa el plan con el motor de dimensionamiento, sin tocar tus "
        "números; `plan recomendar reemplazar` los reemplaza (pregunta antes)",
        "• `plan revisar` – compara el plan con el motor de dimensionamiento",
        "• `plan historial` – los últimos cambios",
        "• `plan deshacer` – deshace el último cambio",
        "• `plan exportar csv` o `plan exportar md` – el plan como archivo",
        "• `plan organigrama` – el plan como imagen de organigrama",
        "• `plan vaciar` – vacía el plan (pide confirmación)",
        "• `plan bloquear` – solo administradores y editores pueden cambiar el plan "
        "(solo administradores)",
        "• `plan desbloquear` – todos pueden volver a cambiar el plan (solo administradores)",
        "• `plan editores agregar USUARIO` o `plan editores quitar USUARIO` – permisos de edición "
        "sobre un plan bloqueado (solo administradores)",
        "• `plan idioma es` o `plan idioma en` – el idioma de las respuestas del plan en este "
        "espacio",
        "• `plan sueldo PUESTO MONTO` – tu costo mensual de una persona en un puesto (`ninguno` "
        "lo quita); los costos salen solo de estas cifras",
        "• `plan moneda MXN` – la moneda de tus sueldos (un código ISO, o `ninguno`)",
        "• `plan devoluciones 5%` – % de pedidos devueltos, para calcular (o `ninguno`)",
        "• `plan consultas 0.5` – consultas por pedido, para calcular (o `ninguno`)",
        "• `plan ayuda` – esta lista",
        "También valen los comandos en inglés (`plan show`, `plan add`…).",
    ],
}


@pytest.mark.parametrize(("text", "lang"), [("plan help", "en"), ("plan ayuda", "es")])
def test_plan_help_reads_correctly(bot: Bot, text: str, lang: str) -> None:
    answer = bot.answer(Message(text=text))
    assert answer.language == lang and not answer.refusal
    assert to_text(answer).splitlines() == EXPECTED[lang]


@pytest.mark.parametrize(("text", "lang"), [("plan help", "en"), ("plan ayuda", "es")])
def test_every_command_is_in_the_help_and_every_help_line_works(
    bot: Bot, text: str, lang: str
) -> None:
    # Spanish help suggests Spanish command words, and each of them works as shown.
    lines = bot.answer(Message(text=text)).sections[0].lines
    assert len(lines) == len(PLAN_VERBS) + 1
    for line in lines[:-1]:
        example = line.split("`")[1].replace("ROLE", "art").replace("PUESTO", "arte")
        example = example.replace("USER", "U1").replace("USUARIO", "U1")
        example = example.replace("AMOUNT", "6000").replace("MONTO", "6000")
        example = example.replace("[N]", "2").replace(" N", " 2")
        answer = bot.answer(Message(text=example, user_is_admin=True))
        assert answer.intent == "plan" and not answer.refusal, example
        assert answer.language == lang, example
