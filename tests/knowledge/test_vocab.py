"""The vocabulary file: it covers every member of every set, in every language, unambiguously."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge import KnowledgeError
from knowledge.vocab import (
    CHANNELS,
    LANGS,
    PLAN_VERBS,
    STAGES,
    VOCAB_FILE,
    default_vocabulary,
    load_vocabulary,
)


def _broken(tmp_path: Path, change: Callable[[dict[str, Any]], object]) -> Path:
    data = yaml.safe_load(VOCAB_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "vocab.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_packaged_vocabulary_covers_every_set() -> None:
    v = default_vocabulary()
    assert set(v.channels) == set(CHANNELS) and set(v.stages) == set(STAGES)
    assert set(v.plan.verbs) == set(PLAN_VERBS) and set(v.languages) == set(LANGS)
    for verb in PLAN_VERBS:
        for lang in LANGS:
            assert v.plan.shown(verb, lang).isalpha() or verb == "help", (verb, lang)


def test_words_are_folded_when_loaded() -> None:
    assert "anadir" in default_vocabulary().plan.verbs["add"].es


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["channels"].pop("douyin"), "channels: missing douyin"),
        (lambda d: d["plan"]["verbs"].pop("undo"), "missing verbs: undo"),
        (lambda d: d["plan"]["verbs"]["show"]["en"].append("add"), "'add' is a word for both"),
        (lambda d: d["stages"]["new"]["words"].pop("es"), "stages.new.words.es"),
        (lambda d: d["intents"]["role_question"]["en"].append("(unclosed"), "role_question"),
        (lambda d: d["languages"].pop("es"), "languages: missing es"),
        (lambda d: d["plan"]["plain"]["bare"]["en"].append("frobnicate"), "bare verb 'frobnicate'"),
        (
            lambda d: d["plan"]["plain"]["verbs"]["undo"]["es"].append("agrega"),
            "'agrega' is a word",
        ),
        (lambda d: d["plan"]["plain"]["openers"]["en"].append("ok!"), "lowercase words only"),
    ],
)
def test_a_broken_vocabulary_names_the_file_and_field(
    tmp_path: Path, change: Callable[[dict[str, Any]], object], field: str
) -> None:
    with pytest.raises(KnowledgeError) as err:
        load_vocabulary(_broken(tmp_path, change))
    assert "vocab.yaml" in str(err.value) and field in str(err.value)
