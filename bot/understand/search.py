"""Search the duties (both languages) for "who does X?" questions."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.understand.normalize import fold, tokens
from knowledge import KnowledgeBase, RoleId

_SUFFIXES = (
    "aciones", "ciones", "ieron", "iones", "amos", "emos", "imos", "aron", "aban", "cion",
    "ando", "endo", "ings", "ing", "ado", "ada", "ido", "ida", "aje", "ers", "ar", "er", "ir",
    "ed", "es", "s",
)  # fmt: skip


def stem(word: str) -> str:
    """A crude stem shared by English and Spanish forms ("titles"/"title", "fotos"/"foto")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] in "aeo":
        word = word[:-1]
    return word[:6]


def stem_list(text: str, stop: frozenset[str]) -> list[str]:
    """Stems of the words of ``text`` that say something about a task, in order."""
    return [stem(w) for w in tokens(fold(text)) if w not in stop and len(w) >= 3]


def stems(text: str, stop: frozenset[str]) -> set[str]:
    """Stems of the words of ``text`` that say something about a task."""
    return set(stem_list(text, stop))


def pairs(stem_seq: list[str]) -> set[tuple[str, str]]:
    """Neighbouring stems: "operating plan" matches a duty's "operating plan", not its words
    scattered over a sentence."""
    return set(itertools.pairwise(stem_seq))


#: How far below the one before a capped score is set, so that the order survives the cap.
_STEP = 0.0001


def _capped(raws: list[float]) -> list[float]:
    """Scores (at most 1) for raw scores sorted best first, keeping their order.

    Two roles can both cover every word of a question, one with the question's phrases ("who
    takes the product photos": the photographer has "product photos") and one without; capped
    at 1 they would tie, and the reader breaking the tie would drop what the phrases decided.
    """
    out: list[float] = []
    for i, raw in enumerate(raws):
        score = min(1.0, raw)
        if i and raw < raws[i - 1]:
            score = min(score, out[-1] - _STEP)
        out.append(score)
    return out


@dataclass(frozen=True, slots=True)
class DutyMatch:
    """A role whose duties match the question, how well (0-1), and the best-matching duty."""

    role: RoleId
    score: float
    duty_index: int | None


#: How much a matched word counts, by where the role has it: the task words people type
#: (keywords) and the article's own duties count fully; general-practice duties less, so that
#: when the article gives a task to a role, that role comes first.
KEYWORD, ARTICLE, GENERAL = 0.95, 1.0, 0.7
#: What a sale event's words weigh in a question, as a share of a task word's.
CONTEXT = 0.3
#: What two neighbouring words shared with one duty add, as a share of their weight.
PHRASE = 1.0


class DutyIndex:
    """Inverted index of duty and keyword stems per role, weighted by rarity (idf)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        stop: frozenset[str],
        ignore: Iterable[str],
        context: Iterable[str] = (),
    ) -> None:
        self.stop = stop
        # Sale events ("Black Friday banners") say when, not what: they weigh little, so the
        # task words decide, and only a question about the event itself goes to the event.
        self.context = set().union(*(stems(c, stop) for c in context))
        # Whole names only: "Mercado Libre" is context, "estudio de mercado" is a task.
        names = sorted(ignore, key=len, reverse=True)
        self.ignore = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
        self.weights: dict[RoleId, dict[str, float]] = {}
        self.duty_stems: dict[RoleId, list[set[str]]] = {}
        self.duty_pairs: dict[RoleId, set[tuple[str, str]]] = {}
        self.prior: dict[RoleId, float] = {}
        for role in kb.roles.values():
            duties = [stems(d.en, stop) | stems(d.es, stop) for d in role.duties]
            weights: dict[str, float] = {}
            for duty, dstems in zip(role.duties, duties, strict=True):
                w = GENERAL if duty.source == "general" else ARTICLE
                weights.update({s: max(w, weights.get(s, 0.0)) for s in dstems})
            keywords = stems(" ".join(role.keywords.en + role.keywords.es), stop)
            weights.update({s: max(KEYWORD, weights.get(s, 0.0)) for s in keywords})
            self.duty_stems[role.id] = duties
            texts = [d.en for d in role.duties] + [d.es for d in role.duties]
            texts += [*role.keywords.en, *role.keywords.es]
            self.duty_pairs[role.id] = set().union(*(pairs(stem_list(x, stop)) for x in texts))
            self.weights[role.id] = weights
            # The person who does a task is a better answer than the one who oversees it.
            self.prior[role.id] = 0.97 if role.lead else 1.0
        n_roles = len(self.weights)
        df: dict[str, int] = {}
        for role_weights in self.weights.values():
            for s in role_weights:
                df[s] = df.get(s, 0) + 1
        self.idf = {s: math.log(1 + n_roles / c) for s, c in df.items()}

    def search(self, text: str, limit: int = 3) -> list[DutyMatch]:
        """Roles ranked by how much of the question's task words their duties cover."""
        seq = [s for s in stem_list(self.ignore.sub(" ", text), self.stop) if s in self.idf]
        query = set(seq)
        if not query:
            return []
        # A sale event's own words ("black friday") are not a phrase of the task.
        near = {(a, b) for a, b in pairs(seq) if not {a, b} <= self.context}
        idf = {s: self.idf[s] * (CONTEXT if s in self.context else 1.0) for s in query}
        total = sum(idf.values())
        ranked: list[tuple[float, RoleId]] = []
        for role, weights in self.weights.items():
            got = sum(idf[s] * weights[s] for s in query if s in weights)
            shared = near & self.duty_pairs[role]
            got += PHRASE * sum(idf[a] + idf[b] for a, b in shared) / 2
            if got > 0:
                ranked.append((got / total * self.prior[role], role))
        # Shared phrases only break ties and near-ties: the score stays the share of the
        # question's words a role covers (at most 1). On a tie, a role with a duty that says
        # it beats one that only shares a keyword.
        ranked.sort(key=lambda x: -x[0])
        # Only the leaders can end up in the first ``limit`` places once ties are broken.
        if ranked:
            ranked = [x for x in ranked if x[0] >= ranked[min(limit, len(ranked)) - 1][0]]
        matches = [
            self._match(role, score, query)
            for (_, role), score in zip(ranked, _capped([raw for raw, _ in ranked]), strict=True)
        ]
        order = {
            m.role: (-raw, m.duty_index is None)
            for (raw, _), m in zip(ranked, matches, strict=True)
        }
        matches.sort(key=lambda m: (*order[m.role], m.role))
        return matches[:limit]

    def _match(self, role: RoleId, score: float, query: set[str]) -> DutyMatch:
        """The match, with the duty that shares the most of the question's words."""
        best_i, best_overlap = None, 0.0
        for i, dstems in enumerate(self.duty_stems[role]):
            overlap = sum(self.idf[s] for s in query & dstems)
            if overlap > best_overlap:
                best_i, best_overlap = i, overlap
        return DutyMatch(role, round(score, 4), best_i)
