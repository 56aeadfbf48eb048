"""Finding role names in a message: exact aliases first, then typo-tolerant (rapidfuzz)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.understand.lexicon import Lexicon
from bot.understand.normalize import fold, tokens
from knowledge import KnowledgeBase, Lang, RoleId


@dataclass(frozen=True, slots=True)
class RoleHit:
    """A role named in the message: where, how surely (100 = exact alias) and in which language."""

    role: RoleId
    start: int
    end: int
    score: float
    lang: Lang | None
    #: The words typed, when they are a regional or loose word for the role (answers say so).
    near: str | None = None


#: "(…)"; one left open is passed over whole, so that a search does not start again at every
#: "(" of it and read on to the end of the text each time (no ")" follows any of them).
_PARENTHESISED = re.compile(r"\([^)]*(?:\)|(?P<open>))")


def _closed_by_paren(m: re.Match[str]) -> str:
    return m.group() if m["open"] is not None else " "


def _alias_forms(text: str) -> list[str]:
    """Folded forms of an alias or name: as written, and without any parenthesised part."""
    folded = fold(text)
    forms = [folded]
    if "(" in folded:
        forms.append(_PARENTHESISED.sub(_closed_by_paren, folded))
    return [" ".join(tokens(f)) for f in forms if tokens(f)]


def _near_words(kb: KnowledgeBase) -> frozenset[tuple[str, ...]]:
    """Every folded regional or loose word for a role."""
    return frozenset(
        tuple(form.split())
        for role in kb.roles.values()
        for _, text in (role.near.all() if role.near else [])
        for form in _alias_forms(text)
    )


def _alias_index(kb: KnowledgeBase) -> dict[tuple[str, ...], tuple[RoleId, Lang | None]]:
    """Every folded alias -> (role, language); an alias naming two roles is a data error."""
    found: dict[tuple[str, ...], set[tuple[RoleId, Lang | None]]] = {}
    for role in kb.roles.values():
        entries: list[tuple[Lang, str]] = [("en", role.name.en), ("es", role.name.es)]
        near = role.near.all() if role.near else []
        for lang, text in [*entries, *role.aliases.all(), *near]:
            for form in _alias_forms(text):
                found.setdefault(tuple(form.split()), set()).add((role.id, lang))
    index: dict[tuple[str, ...], tuple[RoleId, Lang | None]] = {}
    for key, hits in found.items():
        roles = {r for r, _ in hits}
        if len(roles) != 1:
            raise ValueError(f"alias {' '.join(key)!r} names several roles: {sorted(roles)}")
        langs = {lang for _, lang in hits}
        # An alias written the same in both languages says nothing about the language.
        index[key] = (roles.pop(), langs.pop() if len(langs) == 1 else None)
    return index


def _typo_of(typed: str, alias: str) -> bool:
    """True when ``typed`` reads as a misspelt ``alias``, not as another word close to it.

    Typos keep the first letter ("mediacion" is not "edicion") and cost few edits when a swap
    of two letters counts as one ("desginer" is "designer"; "montando" is not "montador").
    """
    return typed[0] == alias[0] and DamerauLevenshtein.normalized_similarity(typed, alias) >= 0.8


#: "el supervisor de preventa y el de posventa": the link word, the articles that stand for the
#: repeated head, and how many words after a role the elided one may come.
ELIDED_LINK = "de"
ELIDED_ARTICLES = frozenset(
    {"el", "la", "los", "las", "uno", "una", "del", "al", "y", "o", "e", "u"}
)
ELIDED_REACH = 4


def first_mentions(hits: list[RoleHit]) -> list[RoleHit]:
    """Each role's first mention, in order."""
    seen: set[str] = set()
    unique = []
    for hit in hits:
        if hit.role not in seen:
            seen.add(hit.role)
            unique.append(hit)
    return unique


class RoleMatcher:
    """Finds role names and aliases in a message: exact phrases first, then typo-tolerant."""

    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon) -> None:
        self.index = _alias_index(kb)
        self.near = _near_words(kb)
        self.max_len = max(len(k) for k in self.index)
        self.vocab = frozenset(w for key in self.index for w in key)
        # Marketplace names are known words too: "mercado" is not a misspelt "mercadeo".
        market = {w for name in lexicon.marketplaces for w in name.split()}
        self.known = self.vocab | lexicon.common | market
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

    def find_all(self, words: tuple[str, ...]) -> list[RoleHit]:
        """Every mention of a role in ``words``, in order (longest alias wins)."""
        canon = [self.canonical(w) for w in words]
        taken = [False] * len(canon)
        hits = self._exact(canon, taken)
        hits.extend(self._fuzzy(canon, taken))
        hits = self._elided(canon, hits)
        hits.sort(key=lambda h: h.start)
        return hits

    def _elided(self, canon: list[str], hits: list[RoleHit]) -> list[RoleHit]:
        """ "el supervisor de preventa y el de posventa": "el de posventa" repeats the head of
        the role just named ("supervisor") with another word, so it names the after-sales
        supervisor, not after-sales."""
        out = list(hits)
        for hit in hits:
            alias = canon[hit.start : hit.end]
            if ELIDED_LINK not in alias[1:]:
                continue
            head = alias[: alias.index(ELIDED_LINK)]
            for i in range(hit.end, min(hit.end + ELIDED_REACH, len(canon) - 2)):
                if canon[i] in ELIDED_ARTICLES and canon[i + 1] == ELIDED_LINK:
                    found = self.index.get((*head, ELIDED_LINK, canon[i + 2]))
                    if found and found[0] != hit.role:
                        out = [h for h in out if not i <= h.start <= i + 2]
                        out.append(RoleHit(found[0], i, i + 3, 100.0, found[1]))
        return out

    def find(self, words: tuple[str, ...]) -> list[RoleHit]:
        """Roles named in ``words``, each once, in the order they first appear."""
        return first_mentions(self.find_all(words))

    def _exact(self, canon: list[str], taken: list[bool]) -> list[RoleHit]:
        hits: list[RoleHit] = []
        i = 0
        while i < len(canon):
            for n in range(min(self.max_len, len(canon) - i), 0, -1):
                key = tuple(canon[i : i + n])
                found = self.index.get(key)
                if found:
                    near = " ".join(key) if key in self.near else None
                    hits.append(RoleHit(found[0], i, i + n, 100.0, found[1], near))
                    taken[i : i + n] = [True] * n
                    i += n
                    break
            else:
                i += 1
        return hits

    def _fuzzy(self, canon: list[str], taken: list[bool]) -> list[RoleHit]:
        # Only words we do not know can be typos; this keeps fuzzy matching cheap and stops it
        # from "correcting" ordinary words into role names.
        hits: list[RoleHit] = []
        for i, word in enumerate(canon):
            if taken[i] or len(word) < 5 or word in self.known or not word.isalpha():
                continue
            best = self._best_fuzzy(canon, taken, i)
            if best is not None:
                hits.append(best)
                taken[best.start : best.end] = [True] * (best.end - best.start)
        return hits

    def _best_fuzzy(self, canon: list[str], taken: list[bool], i: int) -> RoleHit | None:
        """The best alias for a phrase of 1–3 words around word ``i``."""
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
                if match and not _typo_of(phrase, match[0]):
                    continue
                if match and (best is None or match[1] > best.score):
                    role, lang = self.index[tuple(match[0].split())]
                    best = RoleHit(role, start, end, float(match[1]), lang)
        return best

    def _near(self, size: int) -> list[str]:
        """Aliases whose length is within reach of a fuzzy match of a ``size``-letter phrase."""
        near = self._near_cache.get(size)
        if near is None:
            lengths = range(int(size * 0.75), int(size / 0.75) + 1)
            near = [c for n in lengths for c in self.by_length.get(n, ())]
            self._near_cache[size] = near
        return near

    def suggest(self, text: str, limit: int = 3) -> list[RoleId]:
        """Roles whose names look most like ``text`` (for "did you mean")."""
        phrase = " ".join(tokens(fold(text)))
        if not phrase:
            return []
        out: list[RoleId] = []
        for _, score, idx in process.extract(
            phrase, self.choices, scorer=fuzz.WRatio, limit=limit * 6, score_cutoff=70
        ):
            role = self.choice_roles[idx]
            if role not in out and score > 0:
                out.append(role)
            if len(out) == limit:
                break
        return out
