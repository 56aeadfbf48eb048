"""What the org chart shows: a plan's roles grouped by department, along the reporting lines.

Pure data from the knowledge base (``departments.yaml`` groups the roles, ``reports_to`` in
``roles.yaml`` gives the lines); no drawing here. A role whose boss is not in the plan reports to
the nearest boss above who is (a packer without a warehouse manager reports to the operations
director), so the chart never shows an empty box.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from bot.answers.common import short_name
from bot.strings import number
from knowledge import KnowledgeBase, Lang, RoleId
from knowledge.models import Department


@dataclass(frozen=True, slots=True)
class ChartRole:
    """One box: a role, its name in the reply's language and its count."""

    role: RoleId
    label: str
    count: int
    count_text: str
    #: Levels below the department's top: 0 reports outside the department (or to no one).
    depth: int
    #: The role in the plan it reports to (None: no one above it is in the plan).
    boss: RoleId | None


@dataclass(frozen=True, slots=True)
class ChartDepartment:
    """A department's roles in the plan, each after its boss (depth first)."""

    id: str
    name: str
    #: The department's place in the knowledge base: its colour in the picture.
    tone: int
    roles: tuple[ChartRole, ...]
    #: The role outside the department that its top roles report to, when it is in the plan.
    reports_to: RoleId | None


@dataclass(frozen=True, slots=True)
class Chart:
    """Everything the picture shows, already in the reply's language."""

    title: str
    context: str
    total: str
    #: The department of the top role (leadership), drawn above the others; None if empty.
    head: ChartDepartment | None
    departments: tuple[ChartDepartment, ...]

    @property
    def roles(self) -> list[ChartRole]:
        """Every box, head first."""
        groups = ([self.head] if self.head else []) + list(self.departments)
        return [r for d in groups for r in d.roles]


def _boss(kb: KnowledgeBase, role: RoleId, present: Mapping[RoleId, int]) -> RoleId | None:
    """The nearest boss above ``role`` who is in the plan."""
    return next((b for b in kb.chain(role) if b in present), None)


def _department(
    kb: KnowledgeBase, tone: int, department: Department, plan: Mapping[RoleId, int], lang: Lang
) -> ChartDepartment | None:
    """The department's roles in the plan, depth first along the reporting lines."""
    members = [r for r in department.roles if plan.get(r, 0) > 0]
    if not members:
        return None
    present = {r: n for r, n in plan.items() if n > 0}
    bosses = {r: _boss(kb, r, present) for r in members}
    ordered: list[ChartRole] = []

    def visit(role: RoleId, depth: int) -> None:
        name = short_name(kb.role(role), lang)
        n = plan[role]
        ordered.append(ChartRole(role, name, n, number(lang, n), depth, bosses[role]))
        for child in members:
            if bosses[child] == role:
                visit(child, depth + 1)

    tops = [r for r in members if bosses[r] not in members]
    for top in tops:
        visit(top, 0)
    outside = Counter(b for r in tops if (b := bosses[r]) is not None)
    # Every department of the knowledge base hangs from one boss; the most common, if not.
    reports_to = outside.most_common(1)[0][0] if outside else None
    name = department.name.get(lang)
    return ChartDepartment(department.id, name, tone, tuple(ordered), reports_to)


def chart_of(
    kb: KnowledgeBase,
    plan: Mapping[RoleId, int],
    lang: Lang,
    texts: tuple[str, str, str],
) -> Chart:
    """The chart of ``plan`` (role -> count); ``texts`` are the title, context and total lines."""
    head_id = kb.department_of(kb.top.id).id
    groups = {
        d.id: _department(kb, i, d, plan, lang) for i, d in enumerate(kb.departments.values())
    }
    rest = tuple(g for i, g in groups.items() if g is not None and i != head_id)
    title, context, total = texts
    return Chart(title, context, total, groups[head_id], rest)
