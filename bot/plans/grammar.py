"""The words of plan commands: counts, role-and-count pairs, users, and the errors they raise."""

from __future__ import annotations

import re
from math import ceil, floor

from text_to_num import alpha2digit

from bot.understand.numbers import SUPERSCRIPTS, VULGAR, read_number
from knowledge import LANGS, Lang
from knowledge.vocab import PlanVerb

MAX_COUNT = 999
MAX_STORES = 500
_INT = re.compile(r"^[+-]?\d+$")  # Unicode decimal digits ("３"), not "²"
_ODD_DIGITS = SUPERSCRIPTS + VULGAR
_NUMBERISH = re.compile(rf"^[+-]?[\d.,e{_ODD_DIGITS}]+$|^[+-]?[\d{_ODD_DIGITS}]")
_USER = re.compile(r"^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$")


class GrammarError(ValueError):
    """A command that cannot be run: ``key`` is a catalogue key, ``params`` fill it."""

    #: The command's verb, when the words were a known command with bad arguments.
    verb: PlanVerb | None = None

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _as_int(token: str, lang: Lang) -> int | None:
    """A whole number from digits or number words ("two", "dos"); None otherwise.

    Words are read in ``lang`` first, then in the other languages ("plan stores tres").
    """
    text = token.strip()
    if _INT.match(text):
        return int(text)
    for words_lang in (lang, *(other for other in LANGS if other != lang)):
        try:
            converted = alpha2digit(text.lower(), words_lang, threshold=0).strip()
        except Exception:  # text2num rejects odd input: not a number in this language
            continue
        if _INT.match(converted):
            return int(converted)
    return None


def read_int(token: str, lang: Lang) -> int | None:
    """A whole number from digits or number words in any language ("2", "two", "dos"), or None."""
    return _as_int(token, lang)


def parse_count(token: str, lang: Lang) -> int:
    """A whole number of people, 0–999, from digits or number words."""
    value = _as_int(token, lang)
    if value is None or not 0 <= value <= MAX_COUNT:
        raise GrammarError("plan.bad_count", given=token[:40], max=MAX_COUNT)
    return value


def parse_stores(args: list[str], lang: Lang) -> int:
    """A store count, 1–500 ("3", "tres"); anything else is refused, naming what was given."""
    given = " ".join(args)
    value = _as_int(given, lang) if len(args) == 1 else None
    if value is None or not 1 <= value <= MAX_STORES:
        raise _bad_stores(given, lang)
    return value


def _bad_stores(given: str, lang: Lang) -> GrammarError:
    """Why ``given`` is not a store count: a fraction ("1.5"), several ("2 or 3"), or neither."""
    number = read_number(given.strip(), lang)
    if number is not None and not number.is_integer() and 1 < number < MAX_STORES:
        # Stores are whole: offer the counts on either side rather than rounding silently.
        lower, upper = floor(number), ceil(number)
        return GrammarError("plan.bad_stores_fraction", given=given[:40], lower=lower, upper=upper)
    # "2 or 3", "3-4", "dos o tres": whole numbers apart, not one number ("1e309", "1,000").
    parts = re.split(r"[\s\-–]+", _with_digits(given, lang))
    counts = [int(p) for p in parts if _INT.match(p)]
    if len(counts) >= 2 and all(1 <= n <= MAX_STORES for n in counts):
        first, second = counts[:2]
        return GrammarError("plan.bad_stores_options", given=given[:40], first=first, second=second)
    return GrammarError("plan.bad_stores", given=given[:40])


def _with_digits(text: str, lang: Lang) -> str:
    """ "dos o tres" -> "2 o 3" (unchanged when text2num cannot read it)."""
    try:
        return str(alpha2digit(text.lower(), lang, threshold=0))
    except Exception:  # text2num rejects odd input
        return text


def _looks_numeric(token: str, lang: Lang) -> bool:
    return bool(_NUMBERISH.match(token)) or _as_int(token, lang) is not None


def split_role_and_count(args: list[str], lang: Lang) -> tuple[str, int | None]:
    """``["customer", "service", "2"]`` -> ("customer service", 2); the count may come first."""
    if not args:
        raise GrammarError("plan.need_role")
    if len(args) >= 2 and _looks_numeric(args[-1], lang):
        return " ".join(args[:-1]), parse_count(args[-1], lang)
    if len(args) >= 2 and _looks_numeric(args[0], lang):
        return " ".join(args[1:]), parse_count(args[0], lang)
    if len(args) == 1 and _NUMBERISH.match(args[0]):
        raise GrammarError("plan.need_role")
    return " ".join(args), None


#: Mentions of a group, not a person (Slack's ``<!everyone>``, ``<!here>``, ``<!subteam^S1>``,
#: Discord's ``@everyone`` and role ``<@&1>``): granting one would grant nobody.
_GROUP = re.compile(
    r"<!(?:everyone|channel|here|subteam\^)[^>]{0,80}>|<@&\d{1,25}>|@?(?:everyone|channel|here)"
)


def parse_user(token: str) -> str:
    """A user id from a chat mention (``<@U123>``) or a plain id; a group is refused."""
    if _GROUP.fullmatch(token.strip().casefold()):
        raise GrammarError("plan.editors.group", given=token[:40])
    m = _USER.match(token)
    if m:
        return m.group(1)
    cleaned = token.strip().lstrip("@")
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", cleaned):
        raise GrammarError("plan.bad_user", given=token[:40])
    return cleaned
