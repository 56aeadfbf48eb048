"""What a Home tab modal's submission asks for, as typed plan commands, or the fields it got
wrong (no I/O).

The values are read with the plan grammar's own parsers (``parse_count``, ``parse_stores``), so
a count or a store count is refused here exactly as when typed, with the same sentence, shown
under the field it belongs to (``response_action: errors``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from adapters.slack.home_view import (
    CHANNELS_BLOCK,
    COUNT,
    COUNT_BLOCK,
    PICK,
    ROLE_BLOCK,
    STAGE_BLOCK,
    STORES_BLOCK,
)
from bot.plans.commands.base import Change
from bot.plans.commands.context import Channels, StageCommand, Stores
from bot.plans.commands.roles import Set
from bot.plans.grammar import GrammarError, parse_count, parse_stores
from bot.strings import t
from knowledge import Lang, Vocabulary
from knowledge.vocab import CHANNELS, STAGES

#: block id -> the sentence shown under that field.
Errors = dict[str, str]


def _values(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    state = view.get("state") or {}
    values = state.get("values") or {}
    return values if isinstance(values, dict) else {}


def _element(values: dict[str, dict[str, Any]], block: str, action: str) -> dict[str, Any]:
    found = (values.get(block) or {}).get(action)
    return found if isinstance(found, dict) else {}


def _selected(element: dict[str, Any]) -> str | None:
    option = element.get("selected_option")
    return str(option.get("value")) if isinstance(option, dict) else None


def refusal(exc: GrammarError, lang: Lang, vocab: Vocabulary) -> str:
    """The grammar's sentence for ``exc``, as a typed command gets it."""
    return t(lang, exc.key, **{**vocab.plan.placeholders(lang), **exc.params})


def role_change(
    view: dict[str, Any], lang: Lang, vocab: Vocabulary, roles: Collection[str]
) -> Set | Errors:
    """``plan set ROLE N`` from the edit-role modal, or what is wrong with it."""
    values = _values(view)
    errors: Errors = {}
    role = _selected(_element(values, ROLE_BLOCK, PICK))
    if role not in roles:
        errors[ROLE_BLOCK] = t(lang, "home.role_required")
    block = next((b for b in values if b.startswith(COUNT_BLOCK)), f"{COUNT_BLOCK}_none")
    given = str(_element(values, block, COUNT).get("value") or "")
    try:
        count = parse_count(given, lang)
    except GrammarError as exc:
        errors[block] = refusal(exc, lang, vocab)
    if errors or role is None:
        return errors
    return Set(role=role, count=count)


def context_changes(view: dict[str, Any], lang: Lang, vocab: Vocabulary) -> list[Change] | Errors:
    """``plan stores``, ``plan stage`` and ``plan channels`` from the context modal (a field
    left empty is left as it is; no channel ticked is ``channels none``), or what is wrong."""
    values = _values(view)
    commands: list[Change] = []
    given = str(_element(values, STORES_BLOCK, STORES_BLOCK).get("value") or "").strip()
    if given:
        try:
            commands.append(Stores(stores=parse_stores([given], lang)))
        except GrammarError as exc:
            return {STORES_BLOCK: refusal(exc, lang, vocab)}
    stage = _selected(_element(values, STAGE_BLOCK, STAGE_BLOCK))
    for known in STAGES:
        if stage == known:
            commands.append(StageCommand(stage=known))
    ticked = _element(values, CHANNELS_BLOCK, CHANNELS_BLOCK).get("selected_options") or []
    chosen = {str(o.get("value")) for o in ticked if isinstance(o, dict)}
    commands.append(Channels(channels=tuple(c for c in CHANNELS if c in chosen)))
    return commands
