"""Intent matchers and the router.

Each matcher looks at the normalised message and its entities and returns a score in [0, 1]; the
router ranks them, applies a threshold and falls back to ``unknown`` (which answers with "did you
mean"). Cues are whole-word phrases on the folded text, in English and Spanish, chosen to cover
how people really phrase things rather than a fixed list of questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.entities import RoleHit
from bot.models import IntentName
from bot.normalize import Normalized

THRESHOLD = 0.35


def _cues(*phrases: str) -> re.Pattern[str]:
    body = "|".join(sorted((re.escape(p).replace(r"\ ", r"\s+") for p in phrases), key=len)[::-1])
    return re.compile(r"(?<![a-z0-9])(?:" + body + r")(?![a-z0-9])")


_HOW_MANY = _cues(
    "how many",
    "how much staff",
    "how much people",
    "how many people",
    "headcount",
    "head count",
    "how big",
    "how large",
    "team size",
    "size of the team",
    "size of team",
    "size my team",
    "size the team",
    "staffing level",
    "staffing levels",
    "number of people",
    "number of staff",
    "cuantos",
    "cuantas",
    "cuanta gente",
    "cuanto personal",
    "numero de personas",
    "cantidad de personas",
    "tamano del equipo",
    "tamano de equipo",
    "que tan grande",
    "cuanta plantilla",
    "dotacion",
    "how many staff",
    "how many hires",
    "how many employees",
    "how many agents",
    "how many operators",
    "how many designers",
    "cuanto equipo",
    "bodies",
)
_SIZE_SOFT = _cues(
    "people for",
    "staff for",
    "team for",
    "personas para",
    "gente para",
    "personal para",
    "equipo para",
    "hire for",
    "contratar para",
    "people do i need",
    "people do we need",
    "at least",
    "al menos",
    "como minimo",
    "minimum",
    "enough people",
    "suficiente gente",
    "staff up",
    "staffing",
    "plantilla",
    "headcounts",
)
_DUTIES = _cues(
    "what does",
    "what do",
    "what is",
    "whats",
    "what s",
    "what are the duties",
    "duties",
    "duty",
    "responsibilities",
    "responsibility",
    "responsible for what",
    "job description",
    "role of",
    "job of",
    "what is the role",
    "tell me about",
    "explain",
    "describe",
    "function of",
    "functions",
    "do all day",
    "day to day",
    "in charge of what",
    "que hace",
    "que hacen",
    "que es",
    "que son",
    "funciones",
    "funcion",
    "responsabilidades",
    "tareas",
    "de que se encarga",
    "de que se ocupa",
    "en que consiste",
    "cuentame",
    "hablame",
    "explicame",
    "explica",
    "describe",
    "trabajo de",
    "papel de",
    "que hace un",
    "que hace una",
    "para que sirve",
    "what s the job",
    "whats the job",
    "info on",
    "informacion sobre",
    "quien es",
    "who is",
    "who s",
    "meaning of",
    "what exactly",
    "what kind of work",
)
_WHO = _cues(
    "who",
    "whom",
    "whose job",
    "whose responsibility",
    "which role",
    "what role",
    "which person",
    "which position",
    "what position",
    "which team member",
    "which job",
    "who should",
    "quien",
    "quienes",
    "a quien",
    "que rol",
    "que puesto",
    "que persona",
    "cual rol",
    "cual puesto",
    "que cargo",
    "a quien le toca",
    "de quien es",
)
_WHO_SOFT = _cues(
    "responsible for",
    "in charge of",
    "takes care of",
    "handles",
    "looks after",
    "owns",
    "se encarga",
    "se ocupa",
    "encargado de",
    "responsable de",
    "a cargo de",
    "maneja",
    "gestiona",
)
_ROLES = _cues(
    "what roles",
    "which roles",
    "what positions",
    "which positions",
    "roles",
    "positions",
    "what jobs",
    "which jobs",
    "team structure",
    "org chart",
    "organisation chart",
    "organization chart",
    "organizational structure",
    "organisational structure",
    "structure",
    "team composition",
    "composition",
    "departments",
    "what people",
    "what staff",
    "who do i need",
    "who do we need",
    "what team",
    "which team",
    "complete team",
    "full team",
    "talents",
    "what kind of people",
    "what kind of staff",
    "team look like",
    "team looks like",
    "setup",
    "set up",
    "line up",
    "lineup",
    "puestos",
    "que roles",
    "que puestos",
    "estructura",
    "organigrama",
    "composicion",
    "departamentos",
    "que personal",
    "que perfiles",
    "perfiles",
    "que talentos",
    "talentos",
    "equipo completo",
    "que equipo",
    "que gente",
    "a quien contratar",
    "que necesito contratar",
    "what do i need to hire",
    "what should i hire",
    "who to hire",
    "what hires",
    "que cargos",
    "cargos",
    "what roles are needed",
)
_COMPARE_STRONG_WORDS = (
    "difference",
    "differences",
    "differ",
    "different",
    "distinguishes",
    "diff",
    "vs",
    "versus",
    "compare",
    "comparison",
    "compared",
    "distinguish",
    "diferencia",
    "diferencias",
    "comparar",
    "compara",
    "comparacion",
    "frente a",
    "same as",
    "mismo que",
    "lo mismo",
    "different from",
    "diferente de",
    "distinto de",
)
# Weaker hints count only when two roles are named ("copywriter or content planner").
_COMPARE_WEAK_WORDS = (
    "same thing",
    "or",
    "between",
    "diferente",
    "distinto",
    "distinta",
    "contra",
    "o",
    "entre",
)
_COMPARE = _cues(*_COMPARE_STRONG_WORDS, *_COMPARE_WEAK_WORDS)
_COMPARE_STRONG = _cues(*_COMPARE_STRONG_WORDS)
# Questions that can only be about a role, even one we do not know ("what does a sommelier do?").
_ROLE_QUESTION = re.compile(
    r"\b(?:what (?:does|do) (?:a |an |the |our )?\w+(?: \w+)? do|"
    r"que hacen? (?:el|la|un|una|los|las)|"
    r"(?:duties|responsibilities|funciones|tareas|responsabilidades) (?:of|del?|de la)|"
    r"(?:role|job|papel) (?:of|del?) (?:a |an |the |el |la )?\w+)\b"
)
_ROLES_STRONG = _cues(
    "who to hire",
    "who should i hire",
    "who do i need to hire",
    "a quien contratar",
    "a quien deberia contratar",
    "who do i need",
    "who do we need",
    "what roles",
    "which roles",
    "que puestos",
    "que roles",
    "org chart",
    "organigrama",
)
_HELP = _cues(
    "help",
    "ayuda",
    "hola",
    "hi",
    "hello",
    "hey",
    "buenas",
    "buenos dias",
    "buenas tardes",
    "good morning",
    "what can you do",
    "que puedes hacer",
    "que sabes hacer",
    "commands",
    "comandos",
    "how do i use",
    "how does this work",
    "como funciona",
    "como te uso",
    "menu",
    "start",
    "ayudame",
    "opciones",
    "options",
    "usage",
    "what are you",
    "que eres",
    "quien eres",
    "who are you",
    "what do you know",
    "que sabes",
    "instructions",
    "instrucciones",
    "info",
)
_GREETING_ONLY = frozenset(
    "help ayuda hola hi hello hey buenas menu start ayudame opciones options usage info yo".split()
)
_PLAN_START = re.compile(r"^\s*(?:/?shopcrew\s+)?/?(?:plan|planes)\b")
_PLAN_PHRASE = _cues(
    "show the plan",
    "show plan",
    "show my plan",
    "our plan",
    "my plan",
    "the team plan",
    "ver el plan",
    "mi plan",
    "nuestro plan",
    "muestra el plan",
    "mostrar el plan",
    "el plan",
)


@dataclass(slots=True)
class Scored:
    """The router's decision, with every intent's score (useful when debugging a miss)."""

    intent: IntentName
    score: float
    scores: dict[str, float] = field(default_factory=dict)


def score_intents(
    norm: Normalized,
    roles: list[RoleHit],
    stores: int | None,
    duty_hit: float,
    team: str | None = None,
) -> Scored:
    """Score every intent for this message and pick the best one above the threshold.

    ``duty_hit`` is the best duty-search score (0-1) for "who does X" questions.
    """
    text = " ".join(norm.words)
    n_words = len(norm.words)
    has_role = bool(roles)
    exact_roles = [r for r in roles if r.score >= 100]
    scores: dict[str, float] = {}

    if _PLAN_START.search(text) or (_PLAN_PHRASE.search(text) and n_words <= 6):
        scores["plan"] = 1.0

    # team_size: "how many", or a store count with staffing words.
    size = 0.0
    if _HOW_MANY.search(text):
        size = 0.9
    elif _SIZE_SOFT.search(text):
        size = (
            0.6
            if (stores is not None or re.search(r"\b(?:people|person|personas|gente)\b", text))
            else 0.45
        )
    elif stores is not None:
        size = 0.5
    scores["team_size"] = size

    # compare_roles: two roles and a comparison word.
    compare = 0.0
    if len(roles) >= 2:
        if _COMPARE_STRONG.search(text):
            compare = 0.95
        elif _COMPARE.search(text):
            compare = 0.7
    elif has_role and _COMPARE_STRONG.search(text):
        compare = 0.4
    scores["compare_roles"] = compare

    # who_does: a "who/which role" question about a task rather than about a named role.
    who = 0.0
    if _WHO.search(text):
        asks_identity = re.search(r"\b(?:who|quien)\s+(?:is|es|s|are|son)\b", text)
        if re.search(
            r"\b(?:who|quien)\s+(?:is|es|are|son)\s+(?:the|a|an|el|la|los|las|un|una)?\s*$", text
        ):
            who = 0.3
        elif has_role and asks_identity and duty_hit < 0.8:
            who = 0.4  # "who is the anchor?" asks about a role, not a task
        elif has_role:
            who = 0.7  # "who does the packaging?": the task word is a role's alias
        else:
            who = 0.55 + 0.35 * duty_hit
    elif _WHO_SOFT.search(text) and duty_hit >= 0.4 and not has_role:
        who = 0.6
    scores["who_does"] = who

    # role_duties: a role named, with a "what does it do" cue (or the role alone).
    duties = 0.0
    if has_role:
        if _DUTIES.search(text):
            duties = 0.85
        elif n_words <= len(roles[0].role.split("_")) + 3 and not _WHO.search(text):
            duties = 0.6  # "copywriter?" / "el ancla"
        else:
            duties = 0.4
        if not exact_roles:
            duties -= 0.05
    elif _ROLE_QUESTION.search(text) and not _ROLES.search(text):
        duties = 0.4  # a duties question about a role we do not know: answer "did you mean"
    scores["role_duties"] = duties

    # team_roles: which roles/positions a team needs.
    roles_score = 0.0
    if _ROLES_STRONG.search(text):
        roles_score = 0.95 if not has_role or len(roles) > 1 else 0.8
    elif _ROLES.search(text):
        roles_score = 0.8
        if has_role and len(roles) == 1 and not re.search(r"\b(?:roles|puestos|positions)\b", text):
            roles_score = 0.55
    if team is not None and roles_score < 0.5 and not has_role:
        roles_score = 0.5  # "what would a mature team need", "team for xiaohongshu"
    scores["team_roles"] = roles_score

    # help: greetings and "what can you do". A greeting followed by a real question is not help.
    help_score = 0.0
    if _HELP.search(text):
        if n_words <= 3 or all(w in _GREETING_ONLY for w in norm.words):
            help_score = 0.95
        elif re.search(
            r"what can you do|que puedes hacer|que sabes hacer|how do i use|como te uso|"
            r"how does this work|como funciona|commands|comandos|who are you|quien eres",
            text,
        ):
            help_score = 0.92
        else:
            help_score = 0.3
    scores["help"] = help_score

    best = max(scores, key=lambda k: scores[k])
    if scores[best] < THRESHOLD:
        return Scored("unknown", scores[best], scores)
    intent: IntentName = best  # type: ignore[assignment]
    return Scored(intent, scores[best], scores)
