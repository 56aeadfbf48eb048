"""Help, "did you mean", and the polite refusals for empty or oversized messages."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.answers.common import role_suggestion, suggestion
from bot.context import Knowledge
from bot.models import Answer, Section, Suggestion
from bot.requests import Empty, Help, SmallTalk, TooLong, Unknown
from bot.strings import items, t
from knowledge import Lang

#: Questions offered as "did you mean" candidates, besides the help examples.
_EXAMPLE_KEYS = (
    "suggest.roles",
    "suggest.mature",
    "suggest.agency",
    "suggest.content",
    "suggest.who",
    "suggest.compare",
    "suggest.size_one",
)


def help_lines(k: Knowledge, lang: Lang) -> list[str]:
    """The help text's closing line, with the plan command words of ``lang``."""
    return [t(lang, "help.plan", **k.vocab.plan.placeholders(lang))]


def _examples(lang: Lang, n: int) -> list[Suggestion]:
    """The first ``n`` help examples, as clickable questions."""
    return [Suggestion(label=e, text=e) for e in items(lang, "help.examples")[:n]]


def help_answer(k: Knowledge, request: Help) -> Answer:
    """What ShopCrew can do, with clickable examples."""
    lang = request.lang
    examples = items(lang, "help.examples")
    return Answer(
        intent="help",
        language=lang,
        title=t(lang, "help.title"),
        sections=[
            Section(lines=[t(lang, "help.intro"), *[f"• {e}" for e in examples]]),
            Section(lines=help_lines(k, lang)),
        ],
        suggestions=_examples(lang, 4),
    )


def _did_you_mean(k: Knowledge, request: Unknown) -> list[Suggestion]:
    lang = request.lang
    picks: list[Suggestion] = []
    if request.roles:
        picks.append(role_suggestion(k.kb, request.roles[0], lang))
    else:
        # Only words we do not know can be a mistyped role name ("copywrtr"); ordinary words
        # ("weather", "joke") would only produce far-fetched guesses.
        matcher = k.matcher
        odd = " ".join(w for w in request.words if w not in matcher.known and w.isalpha())
        for role_id in matcher.suggest(odd, limit=1) if odd else []:
            picks.append(role_suggestion(k.kb, role_id, lang))
    candidates = items(lang, "help.examples") + [t(lang, key) for key in _EXAMPLE_KEYS]
    text = " ".join(request.words)
    for label, _, _ in process.extract(
        text, candidates, scorer=fuzz.token_set_ratio, limit=3, processor=lambda s: s.lower()
    ):
        if len(picks) < 3 and all(p.text != label for p in picks):
            picks.append(Suggestion(label=label, text=label))
    return picks


def off_topic_answer(k: Knowledge, request: Unknown) -> Answer:
    """Outside team roles: say so and what ShopCrew does; no guess at a role question."""
    lang = request.lang
    return Answer(
        intent="unknown",
        language=lang,
        title=t(lang, "offtopic.title"),
        sections=[Section(lines=[t(lang, "offtopic.body")])],
        suggestions=[*_examples(lang, 2), suggestion(lang, "suggest.help")],
        entities=request.entities,
    )


def small_talk_answer(k: Knowledge, request: SmallTalk) -> Answer:
    """One short, friendly line: thanks, bye, sorry, ok."""
    return Answer(
        intent="smalltalk",
        language=request.lang,
        title=t(request.lang, f"smalltalk.{request.kind}"),
        entities=request.entities,
    )


def unknown_answer(k: Knowledge, request: Unknown) -> Answer:
    """Say what ShopCrew can do, and offer the closest questions ("did you mean")."""
    lang = request.lang
    if request.off_topic:
        return off_topic_answer(k, request)
    picks = _did_you_mean(k, request)
    return Answer(
        intent="unknown",
        language=lang,
        title=t(lang, "unknown.title"),
        sections=[
            Section(lines=[t(lang, "unknown.body")]),
            Section(heading=t(lang, "unknown.didyoumean"), lines=[f"• {p.label}" for p in picks]),
        ],
        suggestions=[*picks, suggestion(lang, "suggest.help")],
        entities=request.entities,
    )


def _refusal(lang: Lang, prefix: str, **params: object) -> Answer:
    return Answer(
        intent="unknown",
        language=lang,
        title=t(lang, f"{prefix}.title"),
        sections=[Section(lines=[t(lang, f"{prefix}.body", **params)])],
        suggestions=[suggestion(lang, "suggest.help")],
        refusal=True,
    )


def empty_answer(k: Knowledge, request: Empty) -> Answer:
    """The reply to a message with no words in it (or with files and no words)."""
    return _refusal(request.lang, "files" if request.files else "empty")


def too_long_answer(k: Knowledge, request: TooLong) -> Answer:
    """The reply to a paste far longer than a question."""
    return _refusal(request.lang, "toolong", n=request.length, limit=request.limit)


def storage_answer(lang: Lang, busy: bool) -> Answer:
    """The plan could not be read or saved: try again (busy), or questions only (down)."""
    key = "storage.busy" if busy else "storage.down"
    return Answer(
        intent="plan",
        language=lang,
        title=t(lang, f"{key}.title"),
        sections=[Section(lines=[t(lang, f"{key}.body")])],
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
