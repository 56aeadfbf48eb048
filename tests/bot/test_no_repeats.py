"""No sentence is repeated within one answer: over every labelled question, and every "why?"."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.core import Bot
from bot.models import Answer, Message, Section
from bot.strings import t

DATA = Path(__file__).parent.parent / "data"
#: A sentence ends at . ! or ? after a letter or a closing mark, not after "01." in "01. Text".
END = re.compile(r"(?<=[^\W\d_)\]'\"”»][.!?])\s+")


def sentences(answer: Answer) -> list[str]:
    """Every sentence of an answer's text (title, headings, lines, notes; not table cells)."""
    out = [answer.title]
    for section in answer.sections:
        out += [section.heading] if section.heading else []
        for line in [*section.lines, *section.notes]:
            out += [s.strip(" •()") for s in END.split(line) if s.strip(" •()")]
    return out


def repeated(answer: Answer) -> list[str]:
    return [s for s, n in Counter(sentences(answer)).items() if n > 1]


def _questions(name: str) -> list[str]:
    return [item["q"] for item in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))]


def test_the_splitter_finds_repeats_and_keeps_section_numbers() -> None:
    twice = Section(lines=["One idea. Another one.", "• One idea."], notes=["(01. Text editing)"])
    answer = Answer(intent="help", language="en", title="Text editing", sections=[twice])
    assert repeated(answer) == ["One idea."]
    assert "01. Text editing" in sentences(answer)


@pytest.mark.parametrize("name", ["questions.yaml", "heldout.yaml"])
def test_no_answer_to_a_labelled_question_repeats_a_sentence(name: str) -> None:
    bot = Bot()
    offenders = []
    for n, question in enumerate(_questions(name)):
        user = f"u{n}"  # each question its own conversation, so "why?" explains that answer
        for text in (question, "why?", "¿por qué?"):
            answer = bot.answer(Message(text=text, user=user))
            if repeated(answer):
                offenders.append((question, text, repeated(answer)))
    assert offenders == []


def test_the_reasoning_is_asked_for_after_every_sizing_question() -> None:
    # The test above only means something if "why?" really got the details of sizing answers.
    bot = Bot()
    why = t("en", "size.details.title", title="").strip()
    explained = 0
    for n, question in enumerate(_questions("questions.yaml")):
        if bot.answer(Message(text=question, user=f"u{n}")).intent == "team_size":
            details = bot.answer(Message(text="why?", user=f"u{n}"))
            explained += details.title.startswith(why)
    assert explained >= 30
