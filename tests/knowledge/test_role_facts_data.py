"""Reporting lines, hiring skills and measures per role: loaded data, and refused when broken."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge import KnowledgeBase, KnowledgeError, load
from knowledge.loader import DATA_DIR
from knowledge.models import Sourced


def _family(source: str) -> str:
    """``agency.art`` -> ``agency``: the part of the article a section belongs to."""
    return source.split(".")[0]


def _covers(kb: KnowledgeBase, role_id: str, source: str) -> bool:
    """True when the article's part ``source`` speaks of the role (a team or a duty or note)."""
    family = _family(source)
    in_team = any(
        _family(tpl.source) == family and any(r.role == role_id for r in tpl.roles)
        for tpl in kb.templates.values()
    )
    role = kb.role(role_id)
    cited = any(_family(item.source) == family for item in [*role.duties, *role.notes])
    return in_team or cited


def test_every_role_has_a_line_skills_and_measures_in_both_languages(kb: KnowledgeBase) -> None:
    for role in kb.roles.values():
        assert 3 <= len(role.hire_for) <= 5, role.id
        assert 3 <= len(role.measured_by) <= 4, role.id
        for item in [*role.hire_for, *role.measured_by]:
            assert item.en and item.es and item.en != item.es, (role.id, item)
        note = role.reports_to.note
        assert note is None or note.en != note.es, role.id


def test_one_top_role_and_every_line_leads_to_it(kb: KnowledgeBase) -> None:
    tops = [r.id for r in kb.roles.values() if r.reports_to.role is None]
    assert tops == ["general_manager"] and kb.top.id == "general_manager"
    for role in kb.roles.values():
        chain = kb.chain(role.id)
        assert (chain[-1] if chain else role.id) == kb.top.id, role.id
        assert len(chain) == len(set(chain)), role.id
        for boss in chain[:1]:
            assert role.id in kb.reports(boss)


def test_the_lines_the_article_gives(kb: KnowledgeBase) -> None:
    lines = {r.id: (r.reports_to.role, r.reports_to.source) for r in kb.roles.values()}
    # The mature team pairs each service line with its supervisor and splits the warehouse;
    # a new store pairs an operator with an operations assistant.
    assert lines["customer_service"] == ("presale_supervisor", "mature")
    assert lines["after_sales"] == ("aftersales_supervisor", "mature")
    assert lines["warehouse_packer"] == ("warehouse_manager", "mature")
    assert lines["operations_assistant"] == ("operations", "new_store")
    # The Tmall agency's operations director supervises the other departments.
    for department in ("store_supervisor", "art", "copywriter", "promotion"):
        assert lines[department] == ("operations_director", "agency.operations_director")


def test_a_line_cited_from_the_article_names_roles_that_part_of_it_covers(
    kb: KnowledgeBase,
) -> None:
    for role in kb.roles.values():
        line = role.reports_to
        if line.source == "general" or line.role is None:
            continue
        assert _covers(kb, role.id, line.source), (role.id, line.source)
        assert _covers(kb, line.role, line.source), (role.id, line.role, line.source)


def test_skills_and_measures_cite_only_the_roles_own_article_sections(kb: KnowledgeBase) -> None:
    cited = 0
    for role in kb.roles.values():
        own = {d.source for d in role.duties}
        items: list[Sourced] = [*role.hire_for, *role.measured_by]
        for item in items:
            if item.source != "general":
                cited += 1
                assert item.source in own, (role.id, item.en, item.source)
    assert cited >= 5  # where the article says what the person must know, it is cited


def test_lines_that_differ_in_a_small_team_say_so(kb: KnowledgeBase) -> None:
    # The article's new store has no directors or supervisors: those lines change there.
    for role_id in ("operations", "customer_service", "after_sales", "warehouse_packer"):
        assert kb.role(role_id).reports_to.note is not None, role_id


# --- broken files ---


def _broken(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> str:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "roles.yaml"
    roles = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(roles)
    path.write_text(yaml.safe_dump(roles, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load(data)
    return str(err.value)


def _boss(role: str, boss: str | None) -> Callable[[dict[str, Any]], None]:
    return lambda d: d[role]["reports_to"].__setitem__("role", boss)


@pytest.mark.parametrize(
    ("change", "role", "field", "problem"),
    [
        (_boss("copywriter", "sommelier"), "copywriter", "reports_to.role", "Input should be"),
        (_boss("copywriter", "copywriter"), "copywriter", "reports_to.role", "cycle"),
        (_boss("operations_director", "operations_assistant"), "operations_director",
         "reports_to.role", "cycle (operations_director -> operations_assistant -> operations"),
        (lambda d: d["anchor"].pop("reports_to"), "anchor", "reports_to", "Field required"),
        (lambda d: d["anchor"].pop("hire_for"), "anchor", "hire_for", "Field required"),
        (lambda d: d["art"].__setitem__("hire_for", d["art"]["hire_for"][:2]), "art",
         "hire_for", "at least 3"),
        (lambda d: d["hr"]["measured_by"].extend(d["hr"]["hire_for"][:2]), "hr",
         "measured_by", "at most 4"),
        (lambda d: d["hr"]["measured_by"][0].pop("es"), "hr", "measured_by.0.es",
         "Field required"),
        (lambda d: d["art"]["hire_for"][1].__setitem__("source", "nowhere"), "art",
         "hire_for", "unknown source section 'nowhere'"),
        (lambda d: d["art"]["measured_by"][0].__setitem__("source", "nowhere"), "art",
         "measured_by", "unknown source section"),
        (lambda d: d["art"]["reports_to"].__setitem__("source", "nowhere"), "art",
         "reports_to.source", "unknown source section"),
    ],
)  # fmt: skip
def test_a_broken_role_fact_names_file_role_and_field(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], role: str, field: str, problem: str
) -> None:
    message = _broken(tmp_path, change)
    assert "roles.yaml" in message and f"role '{role}'" in message
    assert f"field '{field}" in message and problem in message


def test_two_top_roles_are_refused(tmp_path: Path) -> None:
    message = _broken(tmp_path, _boss("hr", None))
    assert "roles.yaml" in message and "field 'reports_to.role'" in message
    assert "exactly one" in message and "general_manager, hr" in message


def test_no_top_role_is_refused(tmp_path: Path) -> None:
    message = _broken(tmp_path, _boss("general_manager", "hr"))
    assert "exactly one" in message and "found none" in message
