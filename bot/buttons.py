"""What a suggestion button carries, so that a click becomes a typed request.

A suggestion that runs a plan command carries the command itself (``plan:es:reset confirm``:
run directly, answered in Spanish); a details button carries the figures of the sizing it
explains (``why:en:…``); any other carries its question, which is read like typed text.
Adapters put the value in a Slack button's ``value`` or a Discord button's ``custom_id``.
"""

from __future__ import annotations

from bot.models import Suggestion
from knowledge import LANGS, Lang

PLAN = "plan:"
#: A details button: ``why:en:<the sizing's figures>`` (see ``bot.sizing.codec``).
WHY = "why:"


def button_value(suggestion: Suggestion, lang: Lang) -> str:
    """The value a click sends back."""
    if suggestion.command is not None:
        return f"{PLAN}{lang}:{suggestion.command}"
    if suggestion.explain is not None:
        return f"{WHY}{lang}:{suggestion.explain}"
    return suggestion.text


def plan_command_of(value: str) -> tuple[Lang, str] | None:
    """(language, canonical command) for a plan button's value; None for a question."""
    if not value.startswith(PLAN):
        return None
    lang, _, command = value[len(PLAN) :].partition(":")
    for known in LANGS:
        if lang == known:
            return known, command
    return None


def explained_of(value: str) -> tuple[Lang, str] | None:
    """(language, encoded figures) for a details button's value; None for any other value.

    A value this release cannot read still counts as a details button (its figures come back
    empty, and the answer says it expired) rather than being read as a typed question.
    """
    if not value.startswith(WHY):
        return None
    lang, _, figures = value[len(WHY) :].partition(":")
    for known in LANGS:
        if lang == known:
            return known, figures
    return "en", ""
