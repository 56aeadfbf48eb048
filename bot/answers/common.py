"""Small helpers every answer builder uses: names, sources, suggestions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.models import Answer, Section, Suggestion
from bot.strings import t
from knowledge import KnowledgeBase, Lang, Role, RoleId

if TYPE_CHECKING:
    from bot.sizing.engine import Reason


def short_name(role: Role, lang: Lang) -> str:
    """A role's name without its parenthesised gloss, for use inside sentences."""
    name = role.name.get(lang)
    return name.split(" (")[0]


def source_line(kb: KnowledgeBase, source: str, lang: Lang) -> str:
    """``Source: <section>`` or the not-from-the-article notice."""
    label = t(lang, "source.label")
    if source == "general":
        return f"{label}: {t(lang, 'source.general')}"
    return f"{label}: {kb.sources[source].get(lang)}"


def suggestion(lang: Lang, key: str, **params: object) -> Suggestion:
    """A follow-up question whose label is also the text sent when clicked."""
    text = t(lang, key, **params)
    return Suggestion(label=text, text=text)


def role_suggestion(kb: KnowledgeBase, role_id: RoleId, lang: Lang) -> Suggestion:
    """A "what does X do?" follow-up."""
    return suggestion(lang, "suggest.role", role=short_name(kb.role(role_id), lang).lower())


def team_names(kb: KnowledgeBase, ids: Sequence[str], lang: Lang) -> str:
    """Team template names, comma-separated."""
    return ", ".join(kb.template(i).name.get(lang) for i in ids)


def with_readings(kb: KnowledgeBase, answer: Answer, read_as: dict[str, RoleId]) -> Answer:
    """``answer`` with a line saying which role each regional or loose word was read as."""
    if not read_as or answer.refusal or answer.intent in ("unknown", "smalltalk", "help"):
        return answer
    lang = answer.language
    notes = [
        t(lang, "read_as", term=term, role=short_name(kb.role(role), lang))
        for term, role in read_as.items()
    ]
    return answer.model_copy(update={"sections": [*answer.sections, Section(notes=notes)]})


def reason(lang: Lang, why: Reason) -> str:
    """A sizing reason as sentences: its own, then each step it carries."""
    return " ".join(t(lang, r.key, **r.params) for r in (why, *why.more))
