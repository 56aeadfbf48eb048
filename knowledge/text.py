"""Text in both languages, folding for accent-insensitive matching, and reading the data files."""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def cache_dir() -> Path:
    """Where parsed data files are kept: ``$SHOPCREW_CACHE_DIR``, else the user's cache."""
    if chosen := os.environ.get("SHOPCREW_CACHE_DIR"):
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "shopcrew"


def _cached(path: Path, text: str) -> Path:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
    return cache_dir() / f"{path.stem}-{digest}.json"


def _parse(path: Path, text: str) -> Any:
    # Parsing YAML costs milliseconds at every start (a chat command waits for it); the same
    # content parsed once is kept as JSON, named by its hash, so an edited file is never stale.
    cached = _cached(path, text)
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass  # not cached yet, or unreadable: parse the YAML
    import yaml  # only when the cache misses: importing it is a good part of the cost

    try:
        # libyaml's C loader when available: it parses the data files ten times faster.
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {exc}") from exc
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
        partial.replace(cached)
        for older in cached.parent.glob(f"{path.stem}-*.json"):
            if older != cached:
                older.unlink(missing_ok=True)  # one file per data file: the cache stays small
    except (OSError, TypeError, ValueError):
        pass  # a read-only home, or data JSON cannot hold: parsing next time is fine
    return raw


def read_yaml(path: Path) -> dict[str, Any]:
    """A YAML file whose top level is a mapping, or a :class:`KnowledgeError` saying why not."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read file: {exc.strerror}") from exc
    raw = _parse(path, text)
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
