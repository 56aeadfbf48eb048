"""Text in both languages, folding for accent-insensitive matching, and reading the data files."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

if TYPE_CHECKING:
    from knowledge.vocab import Lang


class KnowledgeError(Exception):
    """A data file of the knowledge base is broken; the message says where."""


def fold(text: str) -> str:
    """Lowercase and remove accents (ñ becomes n), for accent-insensitive matching."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def read_yaml(path: Path) -> dict[str, Any]:
    """A YAML file whose top level is a mapping, or a :class:`KnowledgeError` saying why not."""
    try:
        # libyaml's C loader when available: it parses the data files ten times faster.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read file: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path}: expected a mapping at the top level")
    return raw


class Text(BaseModel):
    """A string in every language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str
    es: str

    @field_validator("en", "es")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    def get(self, lang: Lang) -> str:
        """The text in ``lang``."""
        return self.en if lang == "en" else self.es
