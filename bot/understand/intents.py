"""Intent scoring: one small scorer per intent, reading the cue patterns of the vocabulary.

Each scorer looks at the message's signals and returns a score in [0, 1]; the router picks the best
one above a threshold, else ``unknown`` (which answers with "did you mean"). The phrases are data
(``knowledge/data/vocab.yaml``); the weights below say how much each kind of cue is worth.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.understand.lexicon import IntentPatterns
from bot.understand.signals import (
    Scored,
    Signals,
    asks_who,
    boss_of_role,
    duties_cue,
    is_identity,
)
from knowledge.vocab import Intent

THRESHOLD = 0.35
#: What a question-kind cue found only outside the question's own sentence is worth.
STORY_WEIGHT = 0.8
#: How well a "who …?" question's task must match a role's duties to be read as that task.
TASK_HIT = 0.7
#: What a weak off-topic hint leaves of every score: only a strong, explicit cue survives it.
OFF_TOPIC_WEIGHT = 0.4


Scorer = Callable[[IntentPatterns, Signals], float]


def _plan(p: IntentPatterns, s: Signals) -> float:
    if p.plan_start.search(s.text) or ("plan_phrase" in s.cues and s.n_words <= 6):
        return 1.0
    return 0.0


def _team_size(p: IntentPatterns, s: Signals) -> float:
    """ "how many", or a store count with staffing words."""
    if "how_many" in s.cues:
        # "who should analyse where traffic comes from and how many orders…" asks who.
        return 0.6 if asks_who(s) else 0.9
    if "size_soft" in s.cues:
        return 0.6 if (s.stores is not None or "people" in s.cues) else 0.45
    return 0.5 if s.stores is not None else 0.0


def _compare_roles(p: IntentPatterns, s: Signals) -> float:
    """Two roles and a comparison word."""
    if len(s.roles) >= 2:
        if "compare_strong" in s.cues:
            return 0.95
        if asks_who(s):
            return 0.0  # "who coordinates a launch between design, copy and ads?"
        return 0.7 if "compare_any" in s.cues else 0.0
    return 0.4 if s.roles and "compare_strong" in s.cues else 0.0


def _who_does(p: IntentPatterns, s: Signals) -> float:
    """A "who/which role" question about a task rather than about a named role."""
    if "who" in s.cues:
        if "who_dangling" in s.cues.ends:
            return 0.3
        if s.roles and is_identity(s) and s.duty_hit < 0.8:
            return 0.4  # "who is the anchor?" asks about a role, not a task
        if s.roles:
            return 0.7  # "who does the packaging?": the task word is a role's alias
        return 0.55 + 0.35 * s.duty_hit
    if "who_soft" in s.cues and s.duty_hit >= 0.4 and not s.roles:
        return 0.6
    return 0.0


def _role_duties(p: IntentPatterns, s: Signals) -> float:
    """A role named, with a "what does it do" cue (or the role alone)."""
    if not s.roles:
        # A duties question about a role we do not know: answer "did you mean".
        return 0.4 if p.role_question.search(s.text) and "roles" not in s.cues else 0.0
    if duties_cue(s) and not (asks_who(s) and not is_identity(s)):
        score = 0.85
    elif s.n_words <= len(s.roles[0].role.split("_")) + 3 and "who" not in s.cues:
        score = 0.6  # "copywriter?" / "el ancla"
    else:
        score = 0.4
    return score if s.exact_roles else score - 0.05


def _team_roles(p: IntentPatterns, s: Signals) -> float:
    """Which roles or positions a team needs."""
    # "who do we need?" / "a quién contratar" ask for the team with a "who" inside the phrase.
    hire_who = s.cues.covers_group("who", frozenset({"roles_strong"}))
    strong_task = s.duty_hit >= TASK_HIT or (s.duty_hit >= 0.5 and "roles_strong" not in s.cues)
    if asks_who(s) and strong_task and not hire_who:
        return 0.5  # "a quién le toca coordinar a todos los departamentos?" asks who
    score = 0.0
    if "roles_strong" in s.cues:
        whole_team = not s.roles or len(s.roles) > 1 or s.team is not None
        score = 0.95 if whole_team else 0.8
    elif "roles" in s.cues:
        one_role = len(s.roles) == 1 and "roles_plural" not in s.cues
        score = 0.55 if one_role else 0.8
    if s.team is not None and score < 0.5 and not s.roles:
        score = 0.5  # "what would a mature team need", "team for xiaohongshu"
    return score


def _help(p: IntentPatterns, s: Signals) -> float:
    """Greetings and "what can you do"; a greeting followed by a real question is not help."""
    if "help" not in s.cues:
        return 0.0
    if s.n_words <= 3 or all(w in p.greeting_only for w in s.text.split()):
        return 0.95
    if "help_strong" in s.cues:
        # "what does the anchor do? I don't understand it" asks about the role, not about us.
        return 0.5 if s.roles else 0.92
    return 0.3


def _role_fact(group: str, alone: float) -> Scorer:
    """A question about a role beyond its duties: its boss, skills, measures or pay."""

    def scorer(p: IntentPatterns, s: Signals) -> float:
        if group == "reports_to" and boss_of_role(s) and not OTHER_FACTS & s.cues.anywhere:
            return 0.96
        if group not in s.cues:
            return 0.0
        # A cue only in the story around the question counts less ("funciones del editor? el
        # freelancer nos cobra por hora" asks for duties).
        story = 1.0 if group in s.question else STORY_WEIGHT
        if group != "reports_to" and asks_who(s):
            return 0.5  # "who sets up the pay scheme?" asks who does a task
        if s.roles:
            return story * (0.96 if group == "reports_to" else 0.93)
        # No role named: only a question about staff ("how much do agents earn?") counts.
        staff = "people" in s.cues or s.team is not None or s.n_words <= 8
        return story * (alone if staff or alone >= 0.8 else 0.3)

    return scorer


_hiring_strong = _role_fact("hiring", 0.6)


def _hiring(p: IntentPatterns, s: Signals) -> float:
    """Skills to hire for; interview and job-post words count only when nothing else is asked."""
    strong = _hiring_strong(p, s)
    if strong or "hiring_soft" not in s.cues or asks_who(s):
        return strong
    if duties_cue(s) or "compare_strong" in s.cues:
        return 0.3  # "drafting the job post: what does the CS role cover?"
    return 0.8 if s.roles else 0.5


def _decision(p: IntentPatterns, s: Signals) -> float:
    """ "do I need X?", "is 2 people enough?", "can one person do both?"; not "how many"."""
    found = DECISION & s.cues.anywhere
    if "first" in s.cues and "compare_any" in s.cues and len(s.roles) >= 2:
        return 0.97  # "a designer or a copywriter first?"
    lead = "decision_lead" in s.cues.starts and s.roles and "how_many" not in s.cues
    if lead and not duties_cue(s):
        return 0.9  # "necesito supervisor de preventa? tenemos 4 agentes…"
    if not found or "how_many" in s.cues:
        return 0.0
    if asks_who(s) and s.duty_hit >= 0.5:
        return 0.5  # "¿quién le echa una mano al operador? él solo ya no alcanza" asks who
    if "pay" in s.question:
        return 0.5  # "is $3k a month too much for a packer?" is about pay
    if "decision_first" in found and len(s.roles) >= 2:
        return 0.97  # "designer or copywriter first?" picks between named roles
    if found == {"decision_first"}:
        return 0.0  # "first" alone ("what should I hire first?") asks for the team
    if not s.roles and ("roles" in s.cues or "roles_strong" in s.cues):
        return 0.45  # "which positions do I need?" asks for the team, not for a verdict
    staffing = s.roles or "people" in s.cues or s.stores is not None or s.team is not None
    if staffing and duties_cue(s):
        return 0.8  # "describe the photographer role, we've never had one in house"
    return 0.88 if staffing else 0.4


def _small_talk(p: IntentPatterns, s: Signals) -> float:
    """Thanks, bye, sorry, ok: the whole message is one of them."""
    if not (SMALL_TALK & s.cues.anywhere) or s.roles or s.stores is not None or s.n_words > 6:
        return 0.0
    if "help_strong" in s.cues:
        return 0.0  # "no entiendo" asks for help
    covered = {i for a, b, g in s.cues.spans if g in SMALL_TALK for i in range(a, b)}
    # "ok thanks!" is small talk; "y si son tres tiendas?" has a "si" but asks something.
    return 0.96 if 2 * len(covered) >= s.n_words else 0.0


#: Questions about a role that a boss word beside it does not turn into a reporting line
#: ("kpis for after sales?? boss wants numbers by friday").
OTHER_FACTS = frozenset({"kpi", "hiring", "pay"})

#: Cue groups of a staffing decision; the parser tells the kinds apart.
DECISION = frozenset(
    {"decision", "decision_enough", "decision_combine", "decision_first", "decision_outsource"}
)

#: Thanks and goodbyes are small talk even with chatter around them.
THANKS_BYE = frozenset({"thanks", "bye"})

#: Cue groups that make a message small talk (see ``bot.parse`` for which reply each gets).
SMALL_TALK = frozenset({"thanks", "bye", "sorry", "ok"})

#: Every intent a message can have, with its scorer (``unknown`` is what scores too low).
SCORERS: dict[Intent, Scorer] = {
    "plan": _plan,
    "team_size": _team_size,
    "compare_roles": _compare_roles,
    "who_does": _who_does,
    "role_duties": _role_duties,
    "team_roles": _team_roles,
    "help": _help,
    "reports_to": _role_fact("reports_to", 0.85),
    "hiring": _hiring,
    "kpi": _role_fact("kpi", 0.6),
    "pay": _role_fact("pay", 0.85),
    "decision": _decision,
    "smalltalk": _small_talk,
}


def score_intents(patterns: IntentPatterns, signals: Signals) -> Scored:
    """Score every intent for this message and pick the best one above the threshold."""
    scores: dict[Intent, float] = {name: fn(patterns, signals) for name, fn in SCORERS.items()}
    if "off_topic" in signals.question:
        # Equipment, weather, fees...: a role named beside them is not a question about the role.
        return Scored("unknown", 0.0, scores)
    # "who designs the staff commission scheme?" names a task of the article's roles: a weak
    # off-topic word in it is part of that task, not another topic.
    task = asks_who(signals) and signals.duty_hit >= TASK_HIT
    if "off_topic_soft" in signals.question and not task:
        scores = {name: v * OFF_TOPIC_WEIGHT for name, v in scores.items()}
    if THANKS_BYE & signals.cues.anywhere and signals.n_words <= 10 and max(scores.values()) < 0.5:
        # "cheers, that's brilliant", "hágale pues, gracias parce": thanks with chatter around.
        scores["smalltalk"] = max(scores["smalltalk"], 0.9)
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < THRESHOLD:
        return Scored("unknown", scores[best], scores)
    return Scored(best, scores[best], scores)
