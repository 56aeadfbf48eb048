"""Patterns rewritten to read each character once give what the slow ones gave, on any text.

Each slow pattern is kept here as the reference and compared with its replacement on texts made
of the pieces that steer them (open and closed markup, backticks, digits, fractions) and on
arbitrary text. Their cost is shown by ``bench/regexes.py``, not tested: tests never time.
"""

from __future__ import annotations

import importlib
import re

from hypothesis import given
from hypothesis import strategies as st

from bot.plans.parse import unfenced
from bot.understand.lexicon import OPTION_CHARS, default_lexicon
from bot.understand.numbers import _WITHVULGAR, VULGAR
from bot.understand.roles import _PARENTHESISED, _closed_by_paren

# The module, not the function of the same name that ``bot.understand`` exports.
normalize = importlib.import_module("bot.understand.normalize")

MARKUP = ["<#C1|", "<http:", "<https://", "<mailto:", "<@U1", "<!here", "<", ">", "|", " ", "x",
          "#", "A", "S", "\n", ":", "/", "é"]  # fmt: skip


def _texts(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.lists(st.sampled_from(pieces), max_size=12).map("".join), st.text())


OLD_CHANNEL = re.compile(r"<#[A-Z0-9]+\|[^>]*>")
OLD_LINK = re.compile(r"<(?:https?|mailto):[^>|]*\|([^>]*)>")
OLD_ANGLE = re.compile(r"<[@#!:&a-z/][^<>\s]{0,120}>|<https?://[^>\s]*>", re.IGNORECASE)


@given(_texts(MARKUP))
def test_markup_is_removed_as_before(text: str) -> None:
    """Each step of ``strip_markup`` that changed, step by step (the others are unchanged)."""
    n = normalize
    assert n._SLACK_CHANNEL.sub(n._closed(" "), text) == OLD_CHANNEL.sub(" ", text)
    assert n._SLACK_LINK.sub(n._link_label, text) == OLD_LINK.sub(r" \1 ", text)
    assert n._ANGLE.sub(n._closed(" "), text) == OLD_ANGLE.sub(" ", text)


OLD_CODE = re.compile(r"^\s*(`+)(.*?)\1.*$", re.DOTALL)


@given(_texts(["`", "``", "```", "plan show", " ", "\n", "x"]))
def test_code_is_unfenced_as_before(text: str) -> None:
    assert unfenced(text) == OLD_CODE.sub(r"\2", text)


def test_code_examples() -> None:
    assert (
        unfenced("`/shopcrew plan add photographer 1` please")
        == "/shopcrew plan add photographer 1"
    )
    assert unfenced("```plan show```") == "plan show"
    assert unfenced("``` x") == ""  # the rest of an unclosed opening closes a shorter one
    assert unfenced("`plan show") == "`plan show"
    assert unfenced("plan show") == "plan show"


OLD_VULGAR = re.compile(r"(\d*)([" + VULGAR + "])")


@given(_texts(["1", "2", "½", "¼", " ", "x", "-", ","]))
def test_vulgar_fractions_are_read_as_before(text: str) -> None:
    def found(m: re.Match[str] | None) -> object:
        return m and (m.span(), m.groups())

    assert found(_WITHVULGAR.fullmatch(text)) == found(OLD_VULGAR.fullmatch(text))
    assert found(_WITHVULGAR.search(text)) == found(OLD_VULGAR.search(text))
    assert [found(m) for m in _WITHVULGAR.finditer(text)] == [
        found(m) for m in OLD_VULGAR.finditer(text)
    ]


@given(_texts(["(", ")", "x", " ", "a (b)", "(("]))
def test_parenthesised_parts_are_removed_as_before(text: str) -> None:
    assert _PARENTHESISED.sub(_closed_by_paren, text) == re.sub(r"\([^)]*\)", " ", text)


def _runs_at_most(text: str, n: int) -> bool:
    return all(len(run) <= n for run in re.findall(r"[\w.,]+", text))


@given(
    st.lists(
        st.sampled_from(["1", "2", "3", "o", "or", "a", "u", "to", "ro", "st", " ", ",", "-", "e",
                         "x", "½", "stores", " tiendas", " new", " per", "ñ"]),
        max_size=14,
    ).map("".join)
)  # fmt: skip
def test_store_options_are_read_as_before(text: str) -> None:
    """Numbers offered as options are bounded in length; on texts whose numbers fit, the
    options found are the same as with numbers of any length."""
    new = default_lexicon().stores.options[0]
    old = re.compile(new.pattern.replace(f"{{0,{OPTION_CHARS - 1}}}?", "*?"))
    assert old.pattern != new.pattern
    if _runs_at_most(text, OPTION_CHARS):
        found_new, found_old = new.search(text), old.search(text)
        assert (found_new and found_new.groups()) == (found_old and found_old.groups())


def test_store_options_examples() -> None:
    options = default_lexicon().stores.options[0]
    for text, groups in [("2 or 3 stores", ("2", "3", None)), ("2o3 tiendas", ("2", "3", None)),
                         ("1, 2 or 3 stores", ("1", "2", "3")), ("3-4 tiendas", ("3", "4", None)),
                         ("1e309 or 2 stores", ("1e309", "2", None))]:  # fmt: skip
        match = options.search(text)
        assert match is not None and match.groups() == groups, text
