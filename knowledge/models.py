"""Typed model of the role knowledge base, validated by pydantic when the data files load."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from knowledge.text import Text
from knowledge.vocab import Lang

RoleId = Literal[
    "general_manager",
    "project_manager",
    "operations_director",
    "store_supervisor",
    "operations",
    "operations_assistant",
    "art",
    "promotion",
    "event_planner",
    "customer_service",
    "after_sales",
    "presale_supervisor",
    "aftersales_supervisor",
    "copywriter",
    "content_planner",
    "video_editor",
    "photographer",
    "scriptwriter",
    "anchor",
    "warehouse_manager",
    "warehouse_packer",
    "hr",
]
TemplateId = Literal["essentials", "starter", "mature", "content", "agency"]

ROLE_IDS: tuple[str, ...] = get_args(RoleId)
TEMPLATE_IDS: tuple[str, ...] = get_args(TemplateId)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words(_Strict):
    """Lists of words or phrases in both languages."""

    en: list[str] = Field(min_length=1)
    es: list[str] = Field(min_length=1)

    def all(self) -> list[tuple[Lang, str]]:
        """Every entry with its language."""
        return [("en", w) for w in self.en] + [("es", w) for w in self.es]


class Sourced(Text):
    """A duty or note, with the article section it comes from (``general`` = not the article)."""

    source: str


class ReportingLine(_Strict):
    """Whom a role reports to, and where that line comes from.

    ``role`` is None only for the top role. ``note`` says when the line differs (a new store
    has fewer levels than the article's mature or agency team).
    """

    role: RoleId | None
    source: str
    note: Text | None = None


class Role(_Strict):
    """One role of an e-commerce operations team."""

    id: RoleId
    name: Text
    aliases: Words
    #: Regional or loose words for the closest role ("bodeguero", "trafficker"): matched like
    #: aliases, and answers say which role they were read as.
    near: Words | None = None
    summary: Text
    keywords: Words
    duties: list[Sourced] = Field(min_length=1)
    notes: list[Sourced] = Field(default_factory=list)
    templates: list[TemplateId] = Field(default_factory=list)
    reports_to: ReportingLine
    #: Skills and qualities to hire for, and the usual measures of the work (mostly general
    #: practice: the article lists duties, not hiring criteria or KPIs).
    hire_for: list[Sourced] = Field(min_length=3, max_length=5)
    measured_by: list[Sourced] = Field(min_length=3, max_length=4)
    #: Leads others (a manager, director or supervisor): for "who does X?", the person who does
    #: the task is a better answer than the one who oversees it.
    lead: bool = False
    #: The role people most often confuse this one with (offered as a comparison).
    compare_with: RoleId | None = None

    @property
    def from_article(self) -> bool:
        """True when at least one duty is taken from the source article."""
        return any(d.source != "general" for d in self.duties)


class TemplateRole(_Strict):
    """A role's place in a team template."""

    role: RoleId
    optional: bool = False
    note: Text | None = None


class Template(_Strict):
    """A team template from the article (essentials, starter, mature, content, agency)."""

    id: TemplateId
    name: Text
    summary: Text
    source: str
    roles: list[TemplateRole] = Field(min_length=1)


class Department(_Strict):
    """A department of the org chart: its roles, in the order the chart shows them."""

    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    name: Text
    #: The article section that groups these roles, or ``general``.
    source: str
    roles: list[RoleId] = Field(min_length=1)


class KnowledgeBase(_Strict):
    """Every role, template, department and source section, indexed by id."""

    roles: dict[str, Role]
    templates: dict[str, Template]
    sources: dict[str, Text]
    #: Every role is in exactly one department (the loader checks).
    departments: dict[str, Department]

    def role(self, role_id: str) -> Role:
        """The role with this id (KeyError if unknown)."""
        return self.roles[role_id]

    def template(self, template_id: str) -> Template:
        """The template with this id (KeyError if unknown)."""
        return self.templates[template_id]

    @property
    def top(self) -> Role:
        """The one role that reports to no one (the loader checks there is exactly one)."""
        return next(r for r in self.roles.values() if r.reports_to.role is None)

    def chain(self, role_id: str) -> list[RoleId]:
        """The role's boss, the boss's boss… up to the top (empty for the top role)."""
        out: list[RoleId] = []
        boss = self.roles[role_id].reports_to.role
        while boss is not None and boss not in out:
            out.append(boss)
            boss = self.roles[boss].reports_to.role
        return out

    def department_of(self, role_id: str) -> Department:
        """The department a role belongs to."""
        return next(d for d in self.departments.values() if role_id in d.roles)

    def reports(self, role_id: str) -> list[RoleId]:
        """The roles that report directly to this one, in the knowledge base's order."""
        return [r.id for r in self.roles.values() if r.reports_to.role == role_id]
