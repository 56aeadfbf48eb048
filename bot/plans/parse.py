"""Plan commands typed as text: ``plan add copywriter 2``, ``/shopcrew plan ver``, ``plan``."""

from __future__ import annotations

import re

from bot.context import Knowledge
from bot.models import Entities, Origin
from bot.plans.commands import COMMANDS, PlanCommand
from bot.plans.commands.basics import Show
from bot.plans.grammar import GrammarError
from bot.requests import PlanRequest
from knowledge import Lang, fold

_LEADING_MENTIONS = re.compile(r"^\s*(?:<@[^>]+>\s*)+")
#: A command pasted as code: "`/shopcrew plan add photographer 1`" (words after it are chat).
_CODE = re.compile(r"^\s*(`+)(.*?)\1.*$", re.DOTALL)


def command_words(text: str, knowledge: Knowledge) -> str:
    """The words after "plan" ("" for "show the plan" and friends, which show the plan).

    A leading mention of the bot and the "/shopcrew plan" prefix go; mentions in the arguments
    stay ("plan editors add <@U123>").
    """
    text = _LEADING_MENTIONS.sub("", " ".join(text.split()))
    text = _CODE.sub(r"\2", text)
    command = knowledge.lexicon.intents.plan_prefix.sub("", text, count=1)
    return "" if command == text else command.strip()


def parse_command(
    words: str, knowledge: Knowledge, lang: Lang
) -> tuple[PlanCommand | None, GrammarError | None, Lang | None]:
    """(command, None, language of its words), or (None, the error, language) when it is not one.

    ``lang`` reads number words when the verb does not say which language they are in.
    """
    parts = words.split()
    if not parts:
        return Show(), None, None
    verb_word = "?" if parts[0] == "?" else (fold(parts[0]).strip("!.¡¿?") or parts[0])
    found = knowledge.lexicon.plan_verbs.get(verb_word)
    if found is None:
        return None, GrammarError("plan.unknown_command", command=parts[0][:40]), None
    verb, words_lang = found
    try:
        return (
            COMMANDS[verb].parse(parts[1:], words_lang or lang, knowledge.vocab),
            None,
            words_lang,
        )
    except GrammarError as exc:
        exc.verb = verb
        return None, exc, words_lang


def plan_request(
    text: str, origin: Origin, lang: Lang, knowledge: Knowledge, entities: Entities
) -> PlanRequest:
    """The plan request a message stands for."""
    command, error, words_lang = parse_command(command_words(text, knowledge), knowledge, lang)
    return PlanRequest(
        origin=origin,
        lang=lang,
        entities=entities,
        text=text,
        command=command,
        error=error,
        words_lang=words_lang,
    )
