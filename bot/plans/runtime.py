"""What a plan command runs with: the workspace's plan, who asked, and the reply's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from bot.answers.common import short_name
from bot.context import Knowledge
from bot.models import Answer, Origin
from bot.plans.grammar import GrammarError
from bot.plans.state import PlanState
from bot.plans.store import PlanStore
from bot.sizing.engine import SizingResult, size_team
from bot.sizing.inputs import parse_input
from bot.strings import join, t
from bot.understand import normalize
from knowledge import Lang, RoleId
from knowledge.vocab import PLAN_VERBS

if TYPE_CHECKING:
    from bot.plans.commands.base import Change


@dataclass
class PlanContext:
    """One command's run: the knowledge, the store, the workspace's plan and the asker."""

    knowledge: Knowledge
    store: PlanStore
    origin: Origin
    workspace: str
    state: PlanState
    lang: Lang
    #: What the user typed ("plan añadir redactor 2"), recorded in the history.
    typed: str
    _roles: dict[str, RoleId] = field(default_factory=dict)

    @cached_property
    def words(self) -> dict[str, str]:
        """Command words of the reply's language, for catalogue fields like ``{cmd_add}``.

        ``{every_command}`` lists the commands and ``{every_channel}`` the channels, so that a
        refusal can say what would work.
        """
        vocab, lang = self.knowledge.vocab, self.lang
        words = vocab.plan.placeholders(lang)
        words["every_command"] = ", ".join(f"`{vocab.plan.shown(v, lang)}`" for v in PLAN_VERBS)
        words["every_channel"] = ", ".join(f"`{w}`" for w in vocab.channel_words(lang))
        return words

    def t(self, key: str, **params: object) -> str:
        """A catalogue string in the reply's language, with the command words available."""
        return t(self.lang, key, **{**self.words, **params})

    def can_edit(self) -> bool:
        """Everyone may edit an unlocked plan; a locked one only admins and granted editors."""
        o = self.origin
        return not self.state.locked or o.user_is_admin or o.user in self.state.editors

    def name(self, role: RoleId) -> str:
        """A role's short name in the reply's language."""
        return short_name(self.knowledge.kb.role(role), self.lang)

    def role(self, text: str) -> RoleId:
        """The one role ``text`` names (a role id or a name); raises with "did you mean"."""
        if text not in self._roles:
            self._roles[text] = self._resolve(text)
        return self._roles[text]

    def _resolve(self, text: str) -> RoleId:
        kb, matcher = self.knowledge.kb, self.knowledge.matcher
        if text in kb.roles:
            return kb.roles[text].id
        words = normalize(text).words
        hits = matcher.find(words)
        covered = {i for h in hits[:1] for i in range(h.start, h.end)}
        filler = self.knowledge.vocab.plan.filler.all()
        rest = [w for i, w in enumerate(words) if i not in covered and w not in filler]
        # The whole argument must name one role: "copy 1'; DROP TABLE" is not a role.
        if len(hits) == 1 and not rest:
            return hits[0].role
        guesses = [self.name(g) for g in matcher.suggest(text)]
        if guesses:
            roles = join(self.lang, guesses, "or")
            raise GrammarError("plan.unknown_role_dym", term=text[:40], roles=roles)
        every = join(self.lang, [self.name(r.id) for r in kb.roles.values()])
        raise GrammarError("plan.unknown_role", term=text[:40], roles=every)

    def order(self, role: RoleId) -> int:
        """Where a role comes in tables (the knowledge base's order)."""
        return list(self.knowledge.kb.roles).index(role)

    def size(self, state: PlanState) -> SizingResult:
        """The sizing engine's answer for the plan's context (one new store if unset)."""
        inp = parse_input(
            stores=state.stores or 1, stage=state.stage, channels=list(state.channels)
        )
        return size_team(inp, self.knowledge.vocab)

    def commit(self, change: Change) -> Answer:
        """Apply ``change`` in one transaction, record it, and answer with the plan after it."""
        from bot.plans.views import plan_answer

        def apply(state: PlanState) -> PlanState:
            # Authorised again on the plan as read inside the write transaction: a lock that
            # another request committed since this one started must still stop it.
            self.state = state
            change.authorise(self)
            return change.apply(state, self)

        before, after = self.store.change(
            self.workspace,
            self.origin.user,
            self.typed,
            change.verb,
            apply,
            delivery=self.origin.delivery,
        )
        if after == before:
            # Nothing changed: "updated" would tell the manager something happened.
            lines = change.unchanged(before, self)
            return plan_answer(self, after, self.t("plan.title"), lines)
        lines = change.describe(before, after, self)
        return plan_answer(self, after, self.t("plan.updated"), lines, changed=True)
