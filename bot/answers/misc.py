"""Help, "did you mean", and the polite refusals for empty or oversized messages."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.answers.common import Understood, role_suggestion, suggestion
from bot.entities import default_matcher
from bot.models import Answer, Entities, Lang, Section, Suggestion
from bot.strings import t
from knowledge import KnowledgeBase

_EXAMPLE_KEYS = (
    "suggest.roles",
    "suggest.mature",
    "suggest.agency",
    "suggest.content",
    "suggest.who",
    "suggest.compare",
    "suggest.size_one",
)


def examples(lang: Lang) -> list[str]:
    """Example questions shown in help, in ``lang``."""
    return t(lang, "help.examples").split("|")


def help_answer(lang: Lang) -> Answer:
    """What ShopCrew can do, with clickable examples."""
    ex = examples(lang)
    return Answer(
        intent="help",
        language=lang,
        title=t(lang, "help.title"),
        sections=[
            Section(lines=[t(lang, "help.intro"), *[f"• {e}" for e in ex]]),
            Section(lines=[t(lang, "help.plan")]),
        ],
        suggestions=[Suggestion(label=e, text=e) for e in ex[:4]],
    )


def unknown_answer(kb: KnowledgeBase, u: Understood) -> Answer:
    """Say what ShopCrew can do, and offer the closest questions ("did you mean")."""
    lang = u.lang
    text = " ".join(u.norm.words)
    candidates = examples(lang) + [t(lang, k) for k in _EXAMPLE_KEYS]
    picks: list[Suggestion] = []
    if u.roles:
        picks.append(role_suggestion(kb, u.roles[0].role, lang))
    else:
        # Only words we do not know can be a mistyped role name ("copywrtr"); ordinary words
        # ("weather", "joke") would only produce far-fetched guesses.
        matcher = default_matcher()
        odd = " ".join(w for w in u.norm.words if w not in matcher.known and w.isalpha())
        for role_id in matcher.suggest(odd, limit=1) if odd else []:
            picks.append(role_suggestion(kb, role_id, lang))
    for label, _, _ in process.extract(
        text, candidates, scorer=fuzz.token_set_ratio, limit=3, processor=lambda s: s.lower()
    ):
        if len(picks) < 3 and all(p.text != label for p in picks):
            picks.append(Suggestion(label=label, text=label))
    return Answer(
        intent="unknown",
        language=lang,
        title=t(lang, "unknown.title"),
        sections=[
            Section(lines=[t(lang, "unknown.body")]),
            Section(heading=t(lang, "unknown.didyoumean"), lines=[f"• {p.label}" for p in picks]),
        ],
        suggestions=[*picks, suggestion(lang, "suggest.help")],
        entities=u.entities(),
    )


def empty_answer(lang: Lang) -> Answer:
    """The reply to a message with no words in it."""
    return Answer(
        intent="unknown",
        language=lang,
        title=t(lang, "empty.title"),
        sections=[Section(lines=[t(lang, "empty.body")])],
        suggestions=[suggestion(lang, "suggest.help")],
        entities=Entities(),
        refusal=True,
    )


def too_long_answer(lang: Lang, length: int, limit: int) -> Answer:
    """The reply to a paste far longer than a question."""
    return Answer(
        intent="unknown",
        language=lang,
        title=t(lang, "toolong.title"),
        sections=[Section(lines=[t(lang, "toolong.body", n=f"{length:,}", limit=f"{limit:,}")])],
        suggestions=[suggestion(lang, "suggest.help")],
        refusal=True,
    )


def error_answer(lang: Lang) -> Answer:
    """The apology shown instead of a traceback."""
    return Answer(
        intent="unknown",
        language=lang,
        title=t(lang, "error.title"),
        sections=[Section(lines=[t(lang, "error.body")])],
        refusal=True,
        error=True,
    )
