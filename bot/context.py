"""What every answer builder reads: the knowledge base, the vocabulary and the indexes over them.

Built once per knowledge base and passed down explicitly, so a bot built over a custom
knowledge base answers entirely from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.understand import DutyIndex, Lexicon, RoleMatcher, Understander, compile_lexicon
from knowledge import KnowledgeBase, Vocabulary, default_kb, default_vocabulary


@dataclass(frozen=True, slots=True)
class Knowledge:
    """The knowledge base and vocabulary, with the matcher and duty index built over them."""

    kb: KnowledgeBase
    vocab: Vocabulary
    lexicon: Lexicon
    understander: Understander

    @property
    def matcher(self) -> RoleMatcher:
        """Finds role names in text."""
        return self.understander.matcher

    @property
    def index(self) -> DutyIndex:
        """Searches the duties for "who does X?"."""
        return self.understander.index

    @classmethod
    def build(cls, kb: KnowledgeBase, vocab: Vocabulary) -> Knowledge:
        """Compile the vocabulary and index the knowledge base (a few milliseconds)."""
        lexicon = compile_lexicon(vocab)
        return cls(kb, vocab, lexicon, Understander(kb, lexicon))


@lru_cache(maxsize=1)
def default_knowledge() -> Knowledge:
    """The packaged knowledge base and vocabulary, built once per process."""
    return Knowledge.build(default_kb(), default_vocabulary())
