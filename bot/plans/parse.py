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
_TICKS = re.compile(r"`+")


def unfenced(text: str) -> str:
    r"""A command pasted as code: "`/shopcrew plan add photographer 1`" -> the command (words after
    the closing backticks are chat); other text as it is.

    What ``re.sub(r"^\s*(`+)(.*?)\1.*$", r"\2", text, flags=re.DOTALL)`` gives, without its
    cost: that regex tries every length of the opening run against the whole text, which for 2,000
    backticks stalled a reply for a third of a second. Here the runs of backticks are read once.
    The regex takes the longest opening (k of the K leading backticks) that closes somewhere
    after it: the rest of the opening run closes any k up to K/2 at once (empty code); a longer k
    closes at the first later run of at least k backticks.
    """
    start = len(text) - len(text.lstrip())  # \s*: str.lstrip() strips the same characters
    opening = _TICKS.match(text, start)
    if opening is None:
        return text
    run = opening.end() - start
    later = [(m.start(), m.end() - m.start()) for m in _TICKS.finditer(text, opening.end())]
    longest = max((n for _, n in later), default=0)
    k = max(min(run, longest), run // 2)
    if k == 0:
        return text
    if 2 * k <= run:
        return ""
    close = next(at for at, n in later if n >= k)
    return text[start + k : close]


def command_words(text: str, knowledge: Knowledge) -> str:
    """The words after "plan" ("" for "show the plan" and friends, which show the plan).

    A leading mention of the bot and the "/shopcrew plan" prefix go; mentions in the arguments
    stay ("plan editors add <@U123>").
    """
    text = _LEADING_MENTIONS.sub("", " ".join(text.split()))
    text = unfenced(text)
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
