"""ShopCrew's vocabulary: every closed set of domain words, declared once, and the words for them.

The sets (languages, content channels, stages, intents, plan verbs) are ``Literal`` types so that
the type checker follows them through the code. The words people type for each member, in every
language, are data in ``knowledge/data/vocab.yaml``; loading checks that the file covers every
member of every set in every language, and that no word means two things.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from knowledge.text import KnowledgeError, Text, fold, read_yaml

Lang = Literal["en", "es"]
Channel = Literal["live", "short_video", "xiaohongshu", "kuaishou", "douyin"]
Stage = Literal["new", "mature"]
Intent = Literal[
    "role_duties",
    "who_does",
    "team_roles",
    "team_size",
    "compare_roles",
    "plan",
    "help",
    "unknown",
    # Questions the article does not answer directly (answers say what they rest on).
    "reports_to",
    "hiring",
    "kpi",
    "pay",
    # Yes/no or either/or staffing decisions: answered yes / no / it depends, then why.
    "decision",
    # Thanks, bye, sorry: a short friendly reply.
    "smalltalk",
]
#: What a question about one role asks beyond its duties.
RoleFacet = Literal["reports_to", "hiring", "kpi", "pay"]
PlanVerb = Literal[
    "show", "add", "remove", "set", "stores", "stage", "channels", "recommend", "check",
    "history", "undo", "export", "reset", "lock", "unlock", "editors", "lang", "help",
]  # fmt: skip

LANGS: tuple[Lang, ...] = get_args(Lang)
CHANNELS: tuple[Channel, ...] = get_args(Channel)
STAGES: tuple[Stage, ...] = get_args(Stage)
INTENTS: tuple[Intent, ...] = get_args(Intent)
PLAN_VERBS: tuple[PlanVerb, ...] = get_args(PlanVerb)

VOCAB_FILE = Path(__file__).parent / "data" / "vocab.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regex(pattern: str) -> None:
    try:
        re.compile(pattern.replace("{noun}", "x"))
    except re.error as exc:
        raise ValueError(f"not a regular expression: {pattern!r} ({exc})") from None


class Words(_Strict):
    """Words or phrases in every language, folded (lowercase, no accents) when loaded."""

    en: tuple[str, ...]
    es: tuple[str, ...]

    @field_validator("en", "es", mode="before")
    @classmethod
    def _fold(cls, value: object) -> object:
        if not isinstance(value, list):
            return value
        words = [fold(str(w)).strip() for w in value]
        if any(not w for w in words):
            raise ValueError("words must not be empty")
        return tuple(words)

    def get(self, lang: Lang) -> tuple[str, ...]:
        """The words of one language."""
        return self.en if lang == "en" else self.es

    def all(self) -> tuple[str, ...]:
        """Every word, in every language, without repeats."""
        return tuple(dict.fromkeys(self.en + self.es))

    def pairs(self) -> list[tuple[Lang, str]]:
        """Every word with its language."""
        return [(lang, w) for lang in LANGS for w in self.get(lang)]


class Patterns(_Strict):
    """Regular expressions in every language (validated when loaded)."""

    en: tuple[str, ...]
    es: tuple[str, ...]

    @field_validator("en", "es")
    @classmethod
    def _compiles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            _check_regex(pattern)
        return value

    def all(self) -> tuple[str, ...]:
        """Every pattern, in every language."""
        return self.en + self.es


class LanguageCues(_Strict):
    """Words that say a message is in this language, and characters only it uses."""

    cues: tuple[str, ...]
    marks: str = ""

    @field_validator("cues", mode="before")
    @classmethod
    def _fold(cls, value: object) -> object:
        return tuple(fold(str(w)) for w in value) if isinstance(value, list) else value


class ChannelWords(_Strict):
    """A content channel: its name, the words for it, and whether it is a short-video channel."""

    name: Text
    words: Words
    video: bool = False


class StageWords(_Strict):
    """A team stage: its name, words that place a question there, words ``plan stage`` takes."""

    name: Text
    words: Words
    command: Words


class CountedStores(_Strict):
    """Phrases that stand for a number of stores ("a couple of stores" = 2)."""

    value: int = Field(ge=1)
    patterns: tuple[str, ...]

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            _check_regex(pattern)
        return value


class StoreWords(_Strict):
    """How people write store counts."""

    hints: tuple[str, ...]
    nouns: Words
    one: Words
    singular: Words
    not_after: Words
    ordinal_endings: Words
    counted: tuple[CountedStores, ...]


class WorkloadWords(_Strict):
    """Volumes: "500 chats a day", "300 pedidos al día", "40 consultas por hora"."""

    contacts: Words
    orders: Words
    customers: Words
    per: Words
    day: Words
    hour: Words
    thousands: Words


class IntentCues(_Strict):
    """Cue phrases for each intent; ``bot.understand.intents`` weighs them."""

    how_many: Words
    size_soft: Words
    people: Words
    duties: Words
    who: Words
    who_soft: Words
    who_identity: Words
    who_dangling_end: Words
    roles: Words
    roles_strong: Words
    roles_plural: Words
    compare_strong: Words
    compare_weak: Words
    help: Words
    help_strong: Words
    greeting_only: Words
    plan_phrase: Words
    role_question: Patterns


class ConversationWords(_Strict):
    """Words of the conversation itself rather than of the domain."""

    follow_up: Words
    public: Words
    quit: Words
    #: A request for the reasoning behind the last sizing answer, and words allowed around it.
    details: Words
    details_extra: Words


class PlanWords(_Strict):
    """Plan command words. The first word per verb and language is the one shown to users."""

    prefix: tuple[str, ...]
    verbs: dict[PlanVerb, Words]
    confirm: Words
    none: Words
    grant: Words
    revoke: Words
    filler: Words

    @field_validator("verbs")
    @classmethod
    def _every_verb(cls, value: dict[PlanVerb, Words]) -> dict[PlanVerb, Words]:
        missing = [v for v in PLAN_VERBS if v not in value]
        if missing:
            raise ValueError(f"missing verbs: {', '.join(missing)}")
        seen: dict[str, str] = {}
        for verb, words in value.items():
            for word in words.all():
                if seen.setdefault(word, verb) != verb:
                    raise ValueError(f"'{word}' is a word for both {seen[word]} and {verb}")
        return value

    def shown(self, verb: PlanVerb, lang: Lang) -> str:
        """The word shown for ``verb`` in ``lang`` (help, buttons, slash commands)."""
        return self.verbs[verb].get(lang)[0]

    def placeholders(self, lang: Lang) -> dict[str, str]:
        """Command words of ``lang`` for catalogue fields: ``{cmd_add}``, ``{cmd_confirm}``…"""
        words = {f"cmd_{verb}": self.shown(verb, lang) for verb in self.verbs}
        for name in ("confirm", "none", "grant", "revoke"):
            words[f"cmd_{name}"] = getattr(self, name).get(lang)[0]
        return words


class Vocabulary(_Strict):
    """Everything in ``vocab.yaml``."""

    languages: dict[Lang, LanguageCues]
    common: Words
    duty_stop: Words
    channels: dict[Channel, ChannelWords]
    stages: dict[Stage, StageWords]
    teams: dict[Literal["agency", "content", "essentials"], Words]
    stores: StoreWords
    workload: WorkloadWords
    intents: IntentCues
    role_term: str
    conversation: ConversationWords
    plan: PlanWords

    @model_validator(mode="after")
    def _complete(self) -> Vocabulary:
        for field, members in (
            ("languages", LANGS),
            ("channels", CHANNELS),
            ("stages", STAGES),
            ("teams", ("agency", "content", "essentials")),
        ):
            have = getattr(self, field)
            missing = [m for m in members if m not in have]
            if missing:
                raise ValueError(f"{field}: missing {', '.join(missing)}")
        _check_regex(self.role_term)
        return self

    def channel_name(self, channel: Channel, lang: Lang) -> str:
        """A channel's name as shown to users."""
        return self.channels[channel].name.get(lang)

    def stage_name(self, stage: Stage, lang: Lang) -> str:
        """A stage's name as shown to users."""
        return self.stages[stage].name.get(lang)

    def stage_command(self, stage: Stage, lang: Lang) -> str:
        """The word ``plan stage`` is shown with for ``stage`` in ``lang``."""
        return self.stages[stage].command.get(lang)[0]


def load_vocabulary(path: Path = VOCAB_FILE) -> Vocabulary:
    """Read and validate the vocabulary file."""
    try:
        return Vocabulary.model_validate(read_yaml(path))
    except ValidationError as exc:
        problems = [
            f"field '{'.'.join(str(p) for p in err['loc']) or '(top level)'}': {err['msg']}"
            for err in exc.errors()
        ]
        raise KnowledgeError(f"{path}: " + "; ".join(problems)) from None


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The packaged vocabulary, loaded once per process."""
    return load_vocabulary()
