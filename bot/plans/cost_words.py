"""Salary and currency in plain words: "art costs 6000 a month", "usamos pesos mexicanos".

Read narrowly, into the ``plan salary`` / ``plan currency`` commands: a statement (no question)
with a salary word, exactly one role and exactly one amount; or a currency word with an ISO
code or a name that means one currency only. Anything else is left to the other readers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.plans.grammar import GrammarError
from bot.understand import Understood
from bot.understand.numbers import read_number
from knowledge import Vocabulary
from knowledge.vocab import Words

if TYPE_CHECKING:
    from bot.plans.commands.cost import Currency, Salary

    Stated = Salary | Currency | GrammarError

Phrase = tuple[str, ...]


def _phrases(words: Words) -> list[Phrase]:
    return [tuple(w.split()) for w in words.all()]


def _found(words: Phrase, phrases: list[Phrase]) -> Phrase | None:
    """The first of ``phrases`` that occurs in ``words``."""
    return next((p for p in phrases for i in range(len(words)) if words[i : i + len(p)] == p), None)


def _asks(u: Understood, questions: Words) -> bool:
    """A question ("how much does art cost?") is not a figure being set."""
    return "?" in u.norm.clean or _found(u.norm.words[:2], _phrases(questions)) is not None


def cost_command(vocab: Vocabulary, u: Understood) -> Stated | None:
    """The ``Salary`` or ``Currency`` command the message states, a refused one (the
    ``GrammarError``), or None when it states neither."""
    plain = vocab.plan.plain
    if _asks(u, plain.questions):
        return None
    salary = _salary(vocab, u)
    return salary if salary is not None else _currency(vocab, u)


def _salary(vocab: Vocabulary, u: Understood) -> Stated | None:
    from bot.plans.commands.cost import Salary

    words = u.norm.words
    if _found(words, _phrases(vocab.plan.plain.salary)) is None or len(u.roles) != 1:
        return None
    role = u.roles[0]
    # Amounts as typed ("6,000", "$5.500"): the word tokens split them at the separator.
    typed = (w.strip(".,;:!?¡¿()$€¥£") for w in u.norm.clean.split())
    amounts = [w for w in typed if w and read_number(w, u.lang) is not None]
    if len(amounts) != 1:
        return None
    try:
        return Salary.from_args([role.role, amounts[0]], u.lang, vocab)
    except GrammarError as exc:
        exc.verb = "salary"
        return exc


def _currency(vocab: Vocabulary, u: Understood) -> Stated | None:
    from bot.plans.commands.cost import Currency
    from bot.plans.costs import known_currency

    plain, words = vocab.plan.plain, u.norm.words
    if _found(words, _phrases(plain.currency)) is None:
        return None
    named = {c for c, names in plain.currencies.items() if _found(words, _phrases(names))}
    # A code counts as typed in capitals ("MXN"): "all", "top" or "try" are words, not codes.
    typed = {w.strip(".,;:!?¡¿()") for w in u.norm.clean.split()}
    codes = {w for w in typed if len(w) == 3 and w.isupper() and known_currency(w)}
    found = named | codes
    return Currency(code=found.pop()) if len(found) == 1 else None
