"""Load and validate the YAML data files of the knowledge base.

A broken file must fail at start-up with a message naming the file, the role (or template) id and
the field, so whoever edits the data can fix it without reading a traceback.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from knowledge.models import ROLE_IDS, TEMPLATE_IDS, Department, KnowledgeBase, Role, Template
from knowledge.text import KnowledgeError, Text
from knowledge.text import read_yaml as _read

DATA_DIR = Path(__file__).parent / "data"


def _explain(path: Path, kind: str, item_id: str, exc: ValidationError) -> KnowledgeError:
    problems = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "(whole entry)"
        problems.append(f"field '{field}': {err['msg']}")
    return KnowledgeError(f"{path}: {kind} '{item_id}': " + "; ".join(problems))


def _sources(path: Path) -> dict[str, Text]:
    sources: dict[str, Text] = {}
    for key, value in _read(path).items():
        try:
            sources[str(key)] = Text.model_validate(value)
        except ValidationError as exc:
            raise _explain(path, "source", str(key), exc) from exc
    return sources


def _templates(path: Path, sources: dict[str, Text]) -> dict[str, Template]:
    templates: dict[str, Template] = {}
    for key, value in _read(path).items():
        tid = str(key)
        if tid not in TEMPLATE_IDS:
            raise KnowledgeError(
                f"{path}: template '{tid}': field 'id': unknown template id "
                f"(expected one of {', '.join(TEMPLATE_IDS)})"
            )
        try:
            templates[tid] = Template.model_validate({"id": tid, **(value or {})})
        except ValidationError as exc:
            raise _explain(path, "template", tid, exc) from exc
        if templates[tid].source not in sources:
            raise KnowledgeError(
                f"{path}: template '{tid}': field 'source': unknown section "
                f"'{templates[tid].source}'"
            )
    missing = [tid for tid in TEMPLATE_IDS if tid not in templates]
    if missing:
        raise KnowledgeError(f"{path}: missing template '{missing[0]}'")
    return templates


def _role(path: Path, rid: str, value: object, templates: dict[str, Template]) -> Role:
    if rid not in ROLE_IDS:
        raise KnowledgeError(f"{path}: role '{rid}': field 'id': unknown role id")
    if not isinstance(value, dict):
        raise KnowledgeError(f"{path}: role '{rid}': expected a mapping of fields")
    if "templates" in value:
        raise KnowledgeError(
            f"{path}: role '{rid}': field 'templates': is derived from templates.yaml, "
            "do not set it here"
        )
    # One source of truth: a role's templates are the templates that list it.
    member_of = [t.id for t in templates.values() if any(r.role == rid for r in t.roles)]
    try:
        return Role.model_validate({"id": rid, **value, "templates": member_of})
    except ValidationError as exc:
        raise _explain(path, "role", rid, exc) from exc


def _check_sources(path: Path, role: Role, sources: dict[str, Text]) -> None:
    """Every duty, note, hiring skill, measure and reporting line cites a known section."""
    cited: dict[str, list[str]] = {
        "duties": [d.source for d in role.duties],
        "notes": [n.source for n in role.notes],
        "hire_for": [h.source for h in role.hire_for],
        "measured_by": [m.source for m in role.measured_by],
        "reports_to.source": [role.reports_to.source],
    }
    for field, cites in cited.items():
        for source in cites:
            if source not in sources:
                raise KnowledgeError(
                    f"{path}: role '{role.id}': field '{field}': unknown source section '{source}'"
                )


def _check_lines(path: Path, roles: dict[str, Role]) -> None:
    """Reporting lines form one tree: exactly one top role, and no cycles."""
    tops = [r.id for r in roles.values() if r.reports_to.role is None]
    if len(tops) != 1:
        found = ", ".join(tops) or "none"
        raise KnowledgeError(
            f"{path}: field 'reports_to.role': exactly one role must report to no one "
            f"(null); found {found}"
        )
    for role in roles.values():
        # Bosses are known role ids (the model's RoleId) and every role is present (above).
        boss = role.reports_to.role
        seen = [role.id]
        while boss is not None:
            if boss in seen:
                # Name a role on the cycle, not one that merely leads into it.
                cycle = seen[seen.index(boss) :]
                raise KnowledgeError(
                    f"{path}: role '{boss}': field 'reports_to.role': reporting lines form "
                    f"a cycle ({' -> '.join([*cycle, boss])})"
                )
            seen.append(boss)
            boss = roles[boss].reports_to.role


def _roles(path: Path, templates: dict[str, Template], sources: dict[str, Text]) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    for key, value in _read(path).items():
        role = _role(path, str(key), value, templates)
        _check_sources(path, role, sources)
        roles[role.id] = role
    missing = [r for r in ROLE_IDS if r not in roles]
    if missing:
        raise KnowledgeError(f"{path}: missing roles: {', '.join(missing)}")
    _check_lines(path, roles)
    return roles


def _department(path: Path, did: str, value: object, sources: dict[str, Text]) -> Department:
    if not isinstance(value, dict):
        raise KnowledgeError(f"{path}: department '{did}': expected a mapping of fields")
    try:
        department = Department.model_validate({"id": did, **value})
    except ValidationError as exc:
        raise _explain(path, "department", did, exc) from exc
    if department.source not in sources:
        raise KnowledgeError(
            f"{path}: department '{did}': field 'source': unknown section '{department.source}'"
        )
    return department


def _departments(path: Path, sources: dict[str, Text]) -> dict[str, Department]:
    """The org chart's departments: every role in exactly one of them."""
    departments: dict[str, Department] = {}
    placed: dict[str, str] = {}
    for key, value in _read(path).items():
        department = _department(path, str(key), value, sources)
        for role in department.roles:
            if role in placed:
                raise KnowledgeError(
                    f"{path}: department '{department.id}': field 'roles': '{role}' is already "
                    f"in department '{placed[role]}' (a role belongs to one department)"
                )
            placed[role] = department.id
        departments[department.id] = department
    missing = [r for r in ROLE_IDS if r not in placed]
    if missing:
        raise KnowledgeError(f"{path}: roles in no department: {', '.join(missing)}")
    return departments


def load(data_dir: Path = DATA_DIR) -> KnowledgeBase:
    """Read ``roles.yaml``, ``templates.yaml``, ``departments.yaml`` and ``sources.yaml`` and
    validate them together."""
    sources = _sources(data_dir / "sources.yaml")
    templates = _templates(data_dir / "templates.yaml", sources)
    roles = _roles(data_dir / "roles.yaml", templates, sources)
    departments = _departments(data_dir / "departments.yaml", sources)
    return KnowledgeBase(roles=roles, templates=templates, sources=sources, departments=departments)


@lru_cache(maxsize=1)
def default_kb() -> KnowledgeBase:
    """The packaged knowledge base, loaded once per process."""
    return load()
