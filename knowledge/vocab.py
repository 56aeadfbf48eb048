"""ShopCrew's vocabulary: every closed set of domain words, declared once, and the words for them.

The sets (languages, content channels, stages, intents, plan verbs) are ``Literal`` types so that
the type checker follows them through the code. The words people type for each member, in every
language, are data in ``knowledge/data/vocab.yaml``; loading checks that the file covers every
member of every set in every language, and that no word means two things.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
    "history", "undo", "export", "chart", "reset", "lock", "unlock", "editors", "lang", "salary",
    "currency", "returns", "chats_per_order", "help",
]  # fmt: skip

LANGS: tuple[Lang, ...] = get_args(Lang)
CHANNELS: tuple[Channel, ...] = get_args(Channel)
STAGES: tuple[Stage, ...] = get_args(Stage)
INTENTS: tuple[Intent, ...] = get_args(Intent)
PLAN_VERBS: tuple[PlanVerb, ...] = get_args(PlanVerb)
#: The file formats ``plan export`` writes.
ExportFormat = Literal["csv", "md"]

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
        odd = [w for w in value if not isinstance(w, str)]
        if odd:
            # YAML reads a bare no, yes, on or off as true/false: quote them ("no").
            raise ValueError(f"words must be text; quote {odd!r} in the file")
        words = [fold(w).strip() for w in value]
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
    #: Platforms that host this channel and others ("tiktok" has lives and short videos): they
    #: name this channel only when the message names no other.
    platforms: tuple[str, ...] = ()


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
    per: Words
    alternatives: Words
    between: Words
    between_and: Words
    numbered: Words
    have: Words
    more: Words


class WorkloadWords(_Strict):
    """Volumes: "500 chats a day", "10 mil pedidos al mes", "20 horas de live a la semana"."""

    contacts: Words
    orders: Words
    customers: Words
    of: Words
    per: Words
    hour: Words
    day: Words
    week: Words
    month: Words
    live: Words
    joined: Words
    thousands: Words
    millions: Words
    #: Ratios: "5% returns", "0.5 chats per order", "3 chats at once".
    percent: Words
    returns: Words
    at_once: Words


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
    reports_to: Words
    reports_to_who: Words
    stage_word: Words
    boss_word: Words
    whole_store: Words
    hiring: Words
    hiring_soft: Words
    kpi: Words
    pay: Words
    decision: Words
    decision_lead: Words
    decision_enough: Words
    decision_combine: Words
    decision_first: Words
    first: Words
    decision_outsource: Words
    thanks: Words
    bye: Words
    sorry: Words
    ok: Words
    off_topic: Words
    off_topic_soft: Words
    role_question: Patterns


class ConversationWords(_Strict):
    """Words of the conversation itself rather than of the domain."""

    follow_up: Words
    #: A what-if: the last sizing (or the plan) beside the same with the change named.
    what_if: Words
    negation: Words
    public: Words
    quit: Words
    #: A request for the reasoning behind the last sizing answer, and words allowed around it.
    details: Words
    details_extra: Words


def _one_meaning(value: Iterable[tuple[str, Words]]) -> None:
    """Refuse a word listed under two keys (it could not say which one it means)."""
    seen: dict[str, str] = {}
    for key, words in value:
        for word in words.all():
            if seen.setdefault(word, key) != key:
                raise ValueError(f"'{word}' is a word for both {seen[word]} and {key}")


_PHRASE = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


class PictureWords(_Strict):
    """The plan's picture (``plan chart``) asked for in plain words ("send me the plan chart",
    "¿cómo se ve nuestro organigrama?"); read by ``bot/plans/picture.py`` and ``whose.py``.

    A picture is the plan's when one of ``pictures`` is joined to "the plan" by ``links`` only,
    or to the workspace's own team: one of ``org_charts`` beside one of ``mine`` ("our org chart",
    "el organigrama de nuestra tienda"), any picture beside a team that is theirs ("a diagram of
    our team", "el equipo en forma de árbol", "un organigrama de nosotros"). ``asks`` are the
    words that ask for it, or for the plan in a form (``FormWords``): "make", "hazme", "I need".
    """

    pictures: Words
    org_charts: Words
    #: Say a picture without naming one ("show our team *visually*", "verlo gráficamente").
    manners: Words
    mine: Words
    #: Team nouns: "our team", "el equipo" (a team the article describes is not theirs).
    teams: Words
    #: "the team" is theirs unless the message describes another one ("the team for an agency").
    the: Words
    #: The team said as a pronoun: "un organigrama de nosotros".
    us: Words
    #: Skipped between one of ``mine`` and the org chart ("our team's org chart").
    between: Words
    links: Words
    #: May follow a team that is theirs ("the team *we* planned", "el equipo *que* tenemos").
    relatives: Words
    #: In the clause, these make "the team" another one ("the typical team", "el del artículo").
    generic: Words
    asks: Words
    #: What may follow the picture named alone, besides the openers ("when you get a sec").
    polite: Words
    #: Like ``polite``, but anything may follow them ("our org chart pls, the investors…").
    please: Words
    #: What the picture is for, after its name ("… for the onboarding doc", "para el dueño").
    purposes: Words

    @model_validator(mode="after")
    def _consistent(self) -> PictureWords:
        pictures = set(self.pictures.all())
        for word in self.org_charts.all():
            if word not in pictures:
                raise ValueError(f"org chart word '{word}' is not one of the pictures")
        for name, words in self:
            for word in words.all():
                if not _PHRASE.fullmatch(word):
                    raise ValueError(f"picture.{name}: '{word}' must be lowercase words only")
        return self


class FormWords(_Strict):
    """The plan as text in the chat (``plan show``) or as a file (``plan export``), in plain
    words: "the plan as a list", "el plan en un archivo"; read by ``bot/plans/forms.py``. The
    export ``formats`` are file words too ("the plan as a spreadsheet")."""

    texts: Words
    files: Words
    #: Before a form that is not wanted: "no chart needed", "sin gráfico", "instead of text".
    without: Words

    @model_validator(mode="after")
    def _consistent(self) -> FormWords:
        _one_meaning([("texts", self.texts), ("files", self.files)])
        for name, words in self:
            for word in words.all():
                if not _PHRASE.fullmatch(word):
                    raise ValueError(f"forms.{name}: '{word}' must be lowercase words only")
        return self


class PlainPlanWords(_Strict):
    """Plan requests in plain words: "add 2 copywriters to the plan", "deshacer".

    A request starts with one of ``verbs`` (after any ``openers``) and names the team plan (a
    "plan" after one of ``owners``, not made another plan by ``qualifiers``); ``bare`` verbs need
    not name it. A verb phrase of several words matches its first word at the verb's place and
    the others anywhere after it ("take … off").
    """

    verbs: dict[PlanVerb, Words]
    bare: Words
    openers: Words
    questions: Words
    negations: Words
    noun: Words
    owners: Words
    qualifiers: Words
    ours: Words
    asks: Words
    needs: Words
    gaps: Words
    advice: Words
    history: Words
    filler: Words
    every: Words
    salary: Words
    currency: Words
    #: ISO 4217 code -> the names that mean that currency and no other.
    currencies: dict[str, Words]
    formats: dict[ExportFormat, Words]
    picture: PictureWords
    forms: FormWords

    @model_validator(mode="after")
    def _consistent(self) -> PlainPlanWords:
        _one_meaning(self.verbs.items())
        _one_meaning(self.formats.items())
        _one_meaning([("text", self.forms.texts), *self.formats.items()])  # "table" is text
        _one_meaning(self.currencies.items())
        verbs = {w for words in self.verbs.values() for w in words.all()}
        for word in self.bare.all():
            if word not in verbs:
                raise ValueError(f"bare verb '{word}' is not one of the verbs")
        for name, value in self:
            if isinstance(value, PictureWords | FormWords):
                continue  # checks its own words
            groups = value.values() if isinstance(value, dict) else [value]
            for word in (w for words in groups for w in words.all()):
                if not _PHRASE.fullmatch(word):
                    raise ValueError(f"{name}: '{word}' must be lowercase words only")
        return self


class PlanWords(_Strict):
    """Plan command words. The first word per verb and language is the one shown to users."""

    prefix: tuple[str, ...]
    verbs: dict[PlanVerb, Words]
    confirm: Words
    #: `plan recommend replace`: overwrite the plan with the engine's numbers (after confirming).
    replace: Words
    none: Words
    grant: Words
    revoke: Words
    filler: Words
    #: Words between channels in a list ("directos y xiaohongshu").
    joiners: Words
    plain: PlainPlanWords

    @field_validator("verbs")
    @classmethod
    def _every_verb(cls, value: dict[PlanVerb, Words]) -> dict[PlanVerb, Words]:
        missing = [v for v in PLAN_VERBS if v not in value]
        if missing:
            raise ValueError(f"missing verbs: {', '.join(missing)}")
        _one_meaning(value.items())
        return value

    def shown(self, verb: PlanVerb, lang: Lang) -> str:
        """The word shown for ``verb`` in ``lang`` (help, buttons, slash commands)."""
        return self.verbs[verb].get(lang)[0]

    def placeholders(self, lang: Lang) -> dict[str, str]:
        """Command words of ``lang`` for catalogue fields: ``{cmd_add}``, ``{cmd_confirm}``…"""
        words = {f"cmd_{verb}": self.shown(verb, lang) for verb in self.verbs}
        for name in ("confirm", "replace", "none", "grant", "revoke"):
            words[f"cmd_{name}"] = getattr(self, name).get(lang)[0]
        return words


class Vocabulary(_Strict):
    """Everything in ``vocab.yaml``."""

    languages: dict[Lang, LanguageCues]
    common: Words
    duty_stop: Words
    #: Marketplace and platform names (the same in every language).
    marketplaces: tuple[str, ...]
    #: Sale events (the same in every language).
    sale_events: tuple[str, ...]
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

    def channel_words(self, lang: Lang) -> list[str]:
        """The word shown for each channel in ``lang`` ("en vivo", "video corto"…)."""
        return [self.channels[c].words.get(lang)[0] for c in CHANNELS]


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
