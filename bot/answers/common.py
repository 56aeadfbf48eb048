"""What every answer builder needs: the understood message and small formatting helpers."""

from __future__ import annotations

from dataclasses import dataclass

from bot.entities import RoleHit, Workload
from bot.models import Entities, Lang, Suggestion
from bot.normalize import Normalized
from bot.search import DutyMatch
from bot.strings import t
from knowledge import KnowledgeBase, Role


@dataclass(frozen=True, slots=True)
class Understood:
    """A message after entity extraction: what the answer builders read."""

    norm: Normalized
    lang: Lang
    roles: list[RoleHit]
    stores: int | None
    stage: str | None
    channels: list[str]
    team: str | None
    duties: list[DutyMatch]
    workload: Workload = Workload()  # noqa: RUF009 - frozen, so one shared default is safe

    def entities(self, roles: list[str] | None = None, team: str | None = None) -> Entities:
        """The entities to report, optionally with the roles/team the answer settled on."""
        stage = self.stage if self.stage in ("new", "mature") else None
        return Entities(
            roles=roles if roles is not None else [h.role for h in self.roles],
            stores=self.stores,
            stage=stage,
            channels=list(self.channels),
            team=team if team is not None else self.team,
        )


def short_name(role: Role, lang: Lang) -> str:
    """A role's name without its parenthesised gloss, for use inside sentences."""
    name = role.name.get(lang)
    return name.split(" (")[0]


def source_line(kb: KnowledgeBase, source: str, lang: Lang) -> str:
    """``Source: <section>`` or the not-from-the-article notice."""
    label = t(lang, "source.label")
    if source == "general":
        return f"{label}: {t(lang, 'source.general')}"
    return f"{label}: {kb.sources[source].get(lang)}"


def role_suggestion(kb: KnowledgeBase, role_id: str, lang: Lang) -> Suggestion:
    """A "what does X do?" follow-up."""
    name = short_name(kb.role(role_id), lang)
    text = t(lang, "suggest.role", role=name.lower())
    return Suggestion(label=text, text=text)


def suggestion(lang: Lang, key: str, **params: object) -> Suggestion:
    """A follow-up whose label is also the text sent when clicked."""
    text = t(lang, key, **params)
    return Suggestion(label=text, text=text)
