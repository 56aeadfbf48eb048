"""What a suggestion button carries, so that a click becomes a typed request.

A suggestion that runs a plan command carries the command itself (``plan:es:reset confirm``:
run directly, answered in Spanish); any other carries its question, which is read like typed
text. Adapters put the value in a Slack button's ``value`` or a Discord button's ``custom_id``.
"""

from __future__ import annotations

from bot.models import Suggestion
from knowledge import LANGS, Lang

PLAN = "plan:"


def button_value(suggestion: Suggestion, lang: Lang) -> str:
    """The value a click sends back."""
    if suggestion.command is not None:
        return f"{PLAN}{lang}:{suggestion.command}"
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
