"""The knowledge base loads, matches the public contract, and broken files fail clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.understand import RoleMatcher, default_lexicon, normalize
from knowledge import KnowledgeBase, KnowledgeError, load
from knowledge.loader import DATA_DIR

CONTRACT_ROLES = (
    "general_manager project_manager operations_director store_supervisor operations "
    "operations_assistant art promotion event_planner customer_service after_sales "
    "presale_supervisor aftersales_supervisor copywriter content_planner video_editor "
    "photographer scriptwriter anchor warehouse_manager warehouse_packer hr"
).split()


def test_role_and_template_ids_are_the_contract(kb: KnowledgeBase) -> None:
    assert list(kb.roles) == CONTRACT_ROLES
    assert set(kb.templates) == {"essentials", "starter", "mature", "content", "agency"}


def test_templates_follow_the_article(kb: KnowledgeBase) -> None:
    ids = {t: [r.role for r in kb.template(t).roles] for t in kb.templates}
    assert len(ids["essentials"]) == 11  # the article's opening list
    assert set(ids["content"]) == {"content_planner", "video_editor", "anchor", "photographer"}
    assert ids["agency"] == [
        "operations_director",
        "store_supervisor",
        "art",
        "copywriter",
        "promotion",
        "customer_service",
    ]
    optional = [r.role for r in kb.template("starter").roles if r.optional]
    assert optional == ["warehouse_packer"]


def test_agency_departments_have_the_article_duties(kb: KnowledgeBase) -> None:
    counts = {"operations_director": 5, "store_supervisor": 4, "art": 4, "copywriter": 4}
    counts |= {"promotion": 4, "customer_service": 4}
    for role_id, n in counts.items():
        article = [d for d in kb.role(role_id).duties if d.source.startswith("agency.")]
        assert len(article) == n, role_id


def test_roles_without_article_duties_say_so(kb: KnowledgeBase) -> None:
    general = [r.id for r in kb.roles.values() if not r.from_article]
    assert "anchor" in general and "hr" in general
    assert "copywriter" not in general


def test_every_role_reachable_by_name_and_every_alias(kb: KnowledgeBase) -> None:
    matcher = RoleMatcher(kb, default_lexicon())
    for role in kb.roles.values():
        phrases = [role.name.en, role.name.es, *role.aliases.en, *role.aliases.es]
        for phrase in phrases:
            hits = matcher.find(normalize(phrase).words)
            assert hits and hits[0].role == role.id, (role.id, phrase, hits)


def test_templates_are_derived_from_templates_file(kb: KnowledgeBase) -> None:
    assert kb.role("art").templates == ["essentials", "starter", "mature", "agency"]
    assert kb.role("anchor").templates == ["content"]


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_broken_field_names_file_role_and_field(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "roles.yaml", lambda d: d["copywriter"]["summary"].pop("es"))
    with pytest.raises(KnowledgeError) as err:
        load(data)
    msg = str(err.value)
    assert "roles.yaml" in msg and "'copywriter'" in msg and "summary.es" in msg


def test_unknown_role_id_is_refused(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "roles.yaml", lambda d: d.__setitem__("sommelier", d["hr"]))
    with pytest.raises(KnowledgeError, match=r"role 'sommelier': field 'id'"):
        load(data)


def test_unknown_source_section_is_refused(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "roles.yaml", lambda d: d["art"]["duties"][0].__setitem__("source", "nowhere"))
    with pytest.raises(KnowledgeError, match=r"role 'art': field 'duties': unknown source"):
        load(data)


def test_missing_role_is_refused(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "roles.yaml", lambda d: d.pop("hr"))
    with pytest.raises(KnowledgeError, match="missing roles: hr"):
        load(data)


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / "templates.yaml").write_text("essentials: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"templates\.yaml: not valid YAML"):
        load(data)


def test_template_with_unknown_role_is_refused(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "templates.yaml", lambda d: d["content"]["roles"].append({"role": "dj"}))
    with pytest.raises(KnowledgeError, match=r"template 'content': field 'roles\.4\.role'"):
        load(data)


def test_alias_shared_by_two_roles_is_refused(kb: KnowledgeBase) -> None:
    broken = kb.model_copy(deep=True)
    hr = broken.roles["hr"]
    aliases = hr.aliases.model_copy(update={"en": [*hr.aliases.en, "copywriter"]})
    broken.roles["hr"] = hr.model_copy(update={"aliases": aliases})
    with pytest.raises(ValueError, match="names several roles"):
        RoleMatcher(broken, default_lexicon())


def test_parsed_files_are_cached_by_content(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Parsed YAML is kept as JSON named by the file's hash: an edited file is read afresh.
    from knowledge.text import read_yaml

    monkeypatch.setenv("SHOPCREW_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "x.yaml"
    data.write_text("a: [1, 2]\nb: {c: true}\n", encoding="utf-8")
    assert read_yaml(data) == {"a": [1, 2], "b": {"c": True}}
    assert len(list((tmp_path / "cache").glob("x-*.json"))) == 1
    assert read_yaml(data) == {"a": [1, 2], "b": {"c": True}}  # from the cache
    data.write_text("a: [3]\n", encoding="utf-8")
    assert read_yaml(data) == {"a": [3]}  # a new hash, a new parse
    assert len(list((tmp_path / "cache").glob("x-*.json"))) == 1  # the old one is gone
    (newest,) = (tmp_path / "cache").glob("x-*.json")
    newest.write_text("{broken", encoding="utf-8")
    assert read_yaml(data) == {"a": [3]}  # a damaged cache is parsed around


def test_every_role_is_in_exactly_one_department_of_the_chart(kb: KnowledgeBase) -> None:
    placed = [r for d in kb.departments.values() for r in d.roles]
    assert sorted(placed) == sorted(CONTRACT_ROLES)
    # The department of the top role heads the chart; the agency's departments are apart.
    assert kb.department_of(kb.top.id).id == "leadership"
    assert kb.department_of("customer_service") == kb.department_of("presale_supervisor")
    assert kb.department_of("art") != kb.department_of("operations")


def test_a_role_in_two_departments_or_in_none_is_refused(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "departments.yaml", lambda d: d["warehouse"]["roles"].append("art"))
    # (the copy's keys are sorted: the second department to list it is web_content)
    with pytest.raises(KnowledgeError, match=r"field 'roles': 'art' is already in department"):
        load(data)
    data = _copy(tmp_path / "again")
    _edit(data / "departments.yaml", lambda d: d["warehouse"]["roles"].remove("warehouse_packer"))
    with pytest.raises(KnowledgeError, match=r"departments\.yaml: roles in no department: ware"):
        load(data)


def test_a_department_with_an_unknown_role_or_source_is_refused(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "departments.yaml", lambda d: d["media"]["roles"].append("dj"))
    with pytest.raises(KnowledgeError, match=r"department 'media': field 'roles\.5'"):
        load(data)
    data = _copy(tmp_path / "again")
    _edit(data / "departments.yaml", lambda d: d["media"].__setitem__("source", "nowhere"))
    with pytest.raises(KnowledgeError, match=r"department 'media': field 'source': unknown"):
        load(data)
