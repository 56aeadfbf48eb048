"""Entity extraction: roles (fuzzy, EN/ES), store counts, stage, channels, team, language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from text_to_num import alpha2digit

from bot.lexicon import COMMON, EN_WORDS, ES_WORDS
from bot.models import Lang
from bot.normalize import Normalized, fold, tokens
from knowledge import KnowledgeBase, default_kb

CHANNELS: tuple[str, ...] = ("live", "short_video", "xiaohongshu", "kuaishou", "douyin")


@dataclass(frozen=True, slots=True)
class RoleHit:
    """A role named in the message: where, how surely (100 = exact alias) and in which language."""

    role: str
    start: int
    end: int
    score: float
    lang: Lang | None


def _alias_forms(text: str) -> list[str]:
    """Folded forms of an alias or name: as written, and without any parenthesised part."""
    folded = fold(text)
    forms = [folded]
    if "(" in folded:
        forms.append(re.sub(r"\([^)]*\)", " ", folded))
    return [" ".join(tokens(f)) for f in forms if tokens(f)]


class RoleMatcher:
    """Finds role names and aliases in a message: exact phrases first, then typo-tolerant."""

    def __init__(self, kb: KnowledgeBase) -> None:
        index: dict[tuple[str, ...], set[tuple[str, Lang | None]]] = {}
        for role in kb.roles.values():
            entries: list[tuple[Lang | None, str]] = [
                ("en", role.name.en),
                ("es", role.name.es),
                *role.aliases.all(),
            ]
            for lang, text in entries:
                for form in _alias_forms(text):
                    index.setdefault(tuple(form.split()), set()).add((role.id, lang))
        self.index: dict[tuple[str, ...], tuple[str, Lang | None]] = {}
        for key, hits in index.items():
            roles = {r for r, _ in hits}
            if len(roles) != 1:
                raise ValueError(f"alias {' '.join(key)!r} names several roles: {sorted(roles)}")
            langs = {lang for _, lang in hits}
            # An alias written the same in both languages says nothing about the language.
            self.index[key] = (roles.pop(), langs.pop() if len(langs) == 1 else None)
        self.max_len = max(len(k) for k in self.index)
        self.vocab = frozenset(w for key in self.index for w in key)
        self.known = self.vocab | COMMON
        self.choices = [" ".join(k) for k in self.index]
        self.choice_roles = [self.index[k][0] for k in self.index]
        # Aliases by length: a ratio of 86+ needs lengths within about 25% of each other, so
        # fuzzy matching only scores the aliases that could reach the cutoff.
        self.by_length: dict[int, list[str]] = {}
        for choice in self.choices:
            self.by_length.setdefault(len(choice), []).append(choice)
        self._near_cache: dict[int, list[str]] = {}

    def canonical(self, word: str) -> str:
        """Map a plural ("designers", "diseñadores") to the alias word it comes from."""
        if word in self.vocab:
            return word
        if word.endswith("es") and word[:-2] in self.vocab:
            return word[:-2]
        if word.endswith("s") and word[:-1] in self.vocab:
            return word[:-1]
        return word

    def find(self, words: tuple[str, ...]) -> list[RoleHit]:
        """Roles named in ``words``, in the order they appear (longest alias wins)."""
        canon = [self.canonical(w) for w in words]
        hits: list[RoleHit] = []
        taken = [False] * len(canon)
        i = 0
        while i < len(canon):
            for n in range(min(self.max_len, len(canon) - i), 0, -1):
                found = self.index.get(tuple(canon[i : i + n]))
                if found:
                    hits.append(RoleHit(found[0], i, i + n, 100.0, found[1]))
                    for j in range(i, i + n):
                        taken[j] = True
                    i += n
                    break
            else:
                i += 1
        hits.extend(self._fuzzy(canon, taken))
        hits.sort(key=lambda h: h.start)
        seen: set[str] = set()
        unique = []
        for hit in hits:
            if hit.role not in seen:
                seen.add(hit.role)
                unique.append(hit)
        return unique

    def _fuzzy(self, canon: list[str], taken: list[bool]) -> list[RoleHit]:
        # Only words we do not know can be typos; this keeps fuzzy matching cheap and stops it
        # from "correcting" ordinary words into role names.
        hits: list[RoleHit] = []
        for i, word in enumerate(canon):
            if taken[i] or len(word) < 5 or word in self.known or not word.isalpha():
                continue
            best: RoleHit | None = None
            for n in (3, 2, 1):
                for start in range(max(0, i - n + 1), i + 1):
                    end = start + n
                    if end > len(canon) or any(taken[start:end]):
                        continue
                    phrase = " ".join(canon[start:end])
                    # "operating" vs "operations" scores 84: keep ordinary words out.
                    cutoff = 88.0 if len(phrase) <= 5 else 86.0
                    match = process.extractOne(
                        phrase, self._near(len(phrase)), scorer=fuzz.ratio, score_cutoff=cutoff
                    )
                    if match and (best is None or match[1] > best.score):
                        role, lang = self.index[tuple(match[0].split())]
                        best = RoleHit(role, start, end, float(match[1]), lang)
            if best is not None:
                hits.append(best)
                for j in range(best.start, best.end):
                    taken[j] = True
        return hits

    def _near(self, size: int) -> list[str]:
        """Aliases whose length is within reach of a fuzzy match of a ``size``-letter phrase."""
        near = self._near_cache.get(size)
        if near is None:
            lengths = range(int(size * 0.75), int(size / 0.75) + 1)
            near = [c for n in lengths for c in self.by_length.get(n, ())]
            self._near_cache[size] = near
        return near

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Roles whose names look most like ``text`` (for "did you mean")."""
        phrase = " ".join(tokens(fold(text)))
        if not phrase:
            return []
        out: list[str] = []
        for _, score, idx in process.extract(
            phrase, self.choices, scorer=fuzz.WRatio, limit=limit * 6, score_cutoff=70
        ):
            role = self.choice_roles[idx]
            if role not in out and score > 0:
                out.append(role)
            if len(out) == limit:
                break
        return out


@lru_cache(maxsize=1)
def default_matcher() -> RoleMatcher:
    """The role matcher over the packaged knowledge base."""
    return RoleMatcher(default_kb())


# --- language -------------------------------------------------------------------------------

_ES_MARKS = re.compile(r"[¿¡ñáéíóúü]")


def detect_lang(norm: Normalized, hits: list[RoleHit], default: Lang | None) -> Lang:
    """English or Spanish, from cue words, Spanish punctuation and accents, and role aliases."""
    es = sum(1 for w in norm.words if w in ES_WORDS)
    en = sum(1 for w in norm.words if w in EN_WORDS)
    if _ES_MARKS.search(norm.lower):
        es += 2
    for hit in hits:
        if hit.lang == "es":
            es += 1
        elif hit.lang == "en":
            en += 1
    if es > en:
        return "es"
    if en > es:
        return "en"
    return default or "en"


# --- store counts ---------------------------------------------------------------------------

_NOUN = r"(?:stores?|shops?|storefronts?|outlets?|tiendas?|tienditas?|locales)"
_NOT_ROLE = r"(?!\s+(?:supervisor|manager|operator|operador|assistant|asistente|owner))"
_NUM = r"(-?\d{1,3}(?:[,.]\d{3})+|-?\d+)"
_NUM_BEFORE = re.compile(
    _NUM + r"(?:st|nd|rd|th|a|o|er|ra|do|da|ro)?\s+(?:[a-z]+\s+){0,2}?" + _NOUN + r"\b" + _NOT_ROLE
)
_NUM_AFTER = re.compile(r"\b" + _NOUN + r"\s*(?::|=|x)\s*" + _NUM + r"\b")
_ONE = re.compile(
    r"\b(?:a|an|one|single|una|un|1)\s+(?:[a-z]+\s+)?(?:store|shop|storefront|tienda|tiendita)\b"
    + _NOT_ROLE
)
_WORDS_FOR = {
    re.compile(r"\b(?:a\s+)?couple\s+(?:of\s+)?" + _NOUN): 2,
    re.compile(r"\bpar\s+de\s+" + _NOUN): 2,
    re.compile(r"\b(?:a\s+)?dozen\s+(?:of\s+)?" + _NOUN): 12,
    re.compile(r"\bdocena\s+de\s+" + _NOUN): 12,
}


def extract_stores(norm: Normalized, lang: Lang) -> int | None:
    """The number of stores the message talks about ("two stores", "4 tiendas", "third store")."""
    if not re.search(r"store|shop|tiend|outlet|local", norm.folded):
        return None
    try:
        converted = fold(alpha2digit(norm.lower, lang, threshold=0))
    except Exception:  # text2num is strict about odd input; fall back to digits only
        converted = norm.folded
    for pattern, value in _WORDS_FOR.items():
        if pattern.search(norm.folded):
            return value
    match = _NUM_BEFORE.search(converted) or _NUM_AFTER.search(converted)
    if match:
        return int(re.sub(r"[,.]", "", match.group(1)))
    if _ONE.search(norm.folded):
        return 1
    return None


# --- stage, channels, team template ------------------------------------------------------------

_MATURE = re.compile(
    r"\b(?:mature|established|grown|scaled|big company|large team|large company|bigger team|"
    r"madur[oa]s?|consolidad[oa]s?|gran empresa|empresa grande|equipo grande)\b"
)
_NEW = re.compile(
    r"\b(?:new|newly|starting|start|startup|beginner|beginners|just opened|just opening|launching|"
    r"first store|starter|nuev[oa]s?|empezando|empezar|recien|iniciando|principiantes?|arrancando|"
    r"inicial|primera tienda|abrir|abriendo)\b"
)
_CHANNEL_PATTERNS: dict[str, re.Pattern[str]] = {
    "live": re.compile(
        r"\b(?:live|lives|livestreams?|livestreaming|live streams?|live streaming|streaming|"
        r"en vivo|en directo|directos?|transmisiones|transmision)\b"
    ),
    "short_video": re.compile(
        r"\b(?:short videos?|short-form video|shorts|reels|tiktok|videos? cortos?|video corto)\b"
    ),
    "xiaohongshu": re.compile(r"\b(?:xiaohongshu|xhs|little red book|red note|rednote)\b"),
    "kuaishou": re.compile(r"\bkuaishou\b"),
    "douyin": re.compile(r"\bdouyin\b"),
}
_AGENCY = re.compile(
    r"\b(?:agency|agencies|agencia|agencias|agent operation|operacion de agentes)\b"
)
_CONTENT = re.compile(r"\b(?:content team|content channels?|equipo de contenido|contenido)\b")
_ESSENTIALS = re.compile(
    r"\b(?:essentials?|esencial(?:es)?|basic|basico|basicos|minimum|minimo|complete|completo|"
    r"full|at least|al menos|imprescindibles?|must have)\b"
)


def extract_stage(norm: Normalized) -> str | None:
    """``mature``, ``new`` or None."""
    text = " ".join(norm.words)
    if _MATURE.search(text):
        return "mature"
    if _NEW.search(text):
        return "new"
    return None


def extract_channels(norm: Normalized) -> list[str]:
    """Content channels named in the message, in canonical order."""
    text = " ".join(norm.words)
    return [c for c, pattern in _CHANNEL_PATTERNS.items() if pattern.search(text)]


def extract_team(norm: Normalized, stage: str | None, channels: list[str]) -> str | None:
    """The team template the message asks about, if it names one."""
    text = " ".join(norm.words)
    if _AGENCY.search(text):
        return "agency"
    if channels or _CONTENT.search(text):
        return "content"
    if stage == "mature":
        return "mature"
    if stage == "new":
        return "starter"
    if _ESSENTIALS.search(text):
        return "essentials"
    return None


# --- workload figures ---------------------------------------------------------------------------

_QTY = r"(\d{1,3}(?:[,.]\d{3})+|\d+(?:\.\d+)?)\s*(k|mil)?\s*"
_PER_DAY = (
    r"(?:a|per|each|every|/|al|por|cada|diarios?|diarias?|daily)?\s*"
    r"(?:day|dia|daily|diarios?|diarias?)\b"
)
_PER_HOUR = r"(?:a|per|each|every|/|a la|por|cada)?\s*(?:hour|hora|hr|h)\b"
_CONTACTS = (
    r"(?:chats?|inquiries|enquiries|inquiry|consultations?|messages?|contacts?|tickets?|"
    r"consultas?|mensajes?|preguntas?)\s*"
)
_ORDERS = r"(?:orders?|pedidos?|ordenes|ventas)\s*"


def _quantity(number: str, multiplier: str | None) -> float:
    """ "1,500" / "1.500" (thousands) -> 1500; "2.5" with "k" -> 2500."""
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", number):
        number = re.sub(r"[,.]", "", number)
    return float(number) * (1000 if multiplier else 1)


@dataclass(frozen=True, slots=True)
class Workload:
    """Volume figures a manager may give in a question ("500 chats a day", "300 pedidos al día")."""

    inquiries_per_day: float | None = None
    peak_inquiries_per_hour: float | None = None
    orders_per_day: float | None = None


def extract_workload(norm: Normalized, lang: Lang) -> Workload:
    """Inquiry and order volumes named in the message, if any."""
    try:
        text = fold(alpha2digit(norm.lower, lang, threshold=0))
    except Exception:  # text2num is strict about odd input; digits alone still work
        text = norm.folded
    found: dict[str, float] = {}
    for key, noun, per in (
        ("inquiries_per_day", _CONTACTS, _PER_DAY),
        ("peak_inquiries_per_hour", _CONTACTS, _PER_HOUR),
        ("orders_per_day", _ORDERS, _PER_DAY),
    ):
        m = re.search(_QTY + noun + r"(?:de clientes\s*|from customers\s*)?" + per, text)
        if m:
            found[key] = _quantity(m.group(1), m.group(2))
    return Workload(**found)
