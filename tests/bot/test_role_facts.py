"""Role facts (reporting line, hiring, measures, pay) answered from typed requests, EN and ES."""

from __future__ import annotations

import re

import pytest

from bot.answers.common import short_name, source_line
from bot.answers.lines import ARTICLE_MARK
from bot.core import Bot
from bot.models import Answer, Origin
from bot.render import to_text
from bot.requests import RoleFact
from bot.strings import t
from knowledge import ROLE_IDS, KnowledgeBase, Lang, RoleId
from knowledge.vocab import RoleFacet

LANGS: tuple[Lang, ...] = ("en", "es")


def fact(bot: Bot, facet: RoleFacet, roles: list[RoleId], lang: Lang) -> Answer:
    answer = bot.handle(RoleFact(origin=Origin(), lang=lang, facet=facet, roles=roles))
    assert not answer.error, to_text(answer)
    assert answer.intent == facet and answer.language == lang
    return answer


def _lines(answer: Answer) -> list[str]:
    return [line for s in answer.sections for line in s.lines]


def _in_order(text: str, names: list[str]) -> bool:
    positions = [text.find(n) for n in names]
    return -1 not in positions and positions == sorted(positions)


# --- reports_to ---


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_the_first_line_names_the_boss_from_the_knowledge_base(
    bot: Bot, kb: KnowledgeBase, role_id: RoleId, lang: Lang
) -> None:
    answer = fact(bot, "reports_to", [role_id], lang)
    role = kb.role(role_id)
    assert answer.title.startswith(short_name(role, lang))
    assert answer.entities.roles == [role_id]
    boss = role.reports_to.role
    if boss is None:
        others = [short_name(r, lang) for r in kb.roles.values() if r.id != role_id]
        assert not any(name in answer.title for name in others)
    else:
        assert answer.title.rstrip(".").endswith(short_name(kb.role(boss), lang))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_the_line_says_where_it_comes_from(
    bot: Bot, kb: KnowledgeBase, role_id: RoleId, lang: Lang
) -> None:
    text = to_text(fact(bot, "reports_to", [role_id], lang))
    source = kb.role(role_id).reports_to.source
    sections = [s.get(lang) for key, s in kb.sources.items() if key != "general"]
    if source == "general":
        assert not any(section in text for section in sections)
        assert t(lang, "lines.general", role="x").split(":")[0] in text
    else:
        assert kb.sources[source].get(lang) in text


def test_the_chain_goes_up_to_the_top_and_lists_who_reports_here(
    bot: Bot, kb: KnowledgeBase
) -> None:
    text = to_text(fact(bot, "reports_to", ["operations_assistant"], "en"))
    chain = ["operations_assistant", *kb.chain("operations_assistant")]
    assert chain[-1] == kb.top.id and len(chain) >= 3
    assert _in_order(text.split("\n", 1)[1], [short_name(kb.role(r), "en") for r in chain])
    boss_text = to_text(fact(bot, "reports_to", ["operations_director"], "es"))
    for report in kb.reports("operations_director"):
        assert short_name(kb.role(report), "es") in boss_text


@pytest.mark.parametrize("lang", LANGS)
def test_a_line_that_differs_in_a_small_team_says_when(
    bot: Bot, kb: KnowledgeBase, lang: Lang
) -> None:
    note = kb.role("operations").reports_to.note
    assert note is not None
    assert note.get(lang) in to_text(fact(bot, "reports_to", ["operations"], lang))


@pytest.mark.parametrize("lang", LANGS)
def test_no_role_shows_every_line_as_a_tree(bot: Bot, kb: KnowledgeBase, lang: Lang) -> None:
    answer = fact(bot, "reports_to", [], lang)
    assert answer.entities.roles == []
    lines = _lines(answer)
    for role in kb.roles.values():
        reports = kb.reports(role.id)
        if not reports:
            continue
        # One line per boss: the boss, then each of its reports, marked when from the article.
        starts = re.compile(rf"(^|↳ ){re.escape(short_name(role, lang))} →")
        (line,) = [x for x in lines if starts.search(x)]
        for r in reports:
            marked = kb.role(r).reports_to.source != "general"
            name = short_name(kb.role(r), lang)
            assert (f"{name}{ARTICLE_MARK}" in line) == marked, (line, name)
            assert name in line
    assert lines[1].startswith(short_name(kb.top, lang))  # the top first


@pytest.mark.parametrize("lang", LANGS)
def test_two_roles_answer_each_in_the_first_line(bot: Bot, kb: KnowledgeBase, lang: Lang) -> None:
    answer = fact(bot, "reports_to", ["customer_service", "warehouse_packer"], lang)
    assert answer.entities.roles == ["customer_service", "warehouse_packer"]
    assert _in_order(
        answer.title,
        [short_name(kb.role(r), lang) for r in ("presale_supervisor", "warehouse_manager")],
    )
    headings = [s.heading for s in answer.sections]
    assert headings == [kb.role(r).name.get(lang) for r in answer.entities.roles]


# --- hiring and kpi ---


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_hiring_lists_the_skills_marked_by_their_source(
    bot: Bot, kb: KnowledgeBase, role_id: RoleId, lang: Lang
) -> None:
    answer = fact(bot, "hiring", [role_id], lang)
    role = kb.role(role_id)
    assert role.name.get(lang) in answer.title or short_name(role, lang) in answer.title
    for item in role.hire_for:
        (section,) = [s for s in answer.sections if f"• {item.get(lang)}" in s.lines]
        if item.source == "general":
            assert section.notes == [t(lang, "hiring.general")]
        else:
            assert section.notes == [source_line(kb, item.source, lang)]
    # The first line under the title is a skill, not a preamble.
    assert _lines(answer)[0].removeprefix("• ") in {i.get(lang) for i in role.hire_for}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role_id", ["copywriter", "anchor"])
def test_hiring_ties_to_the_article_and_offers_the_full_duties(
    bot: Bot, kb: KnowledgeBase, role_id: RoleId, lang: Lang
) -> None:
    answer = fact(bot, "hiring", [role_id], lang)
    role = kb.role(role_id)
    article = [x for x in [*role.duties, *role.notes] if x.source != "general"]
    text = to_text(answer)
    assert article[0].get(lang) in text  # the first thing the article says of the role
    assert source_line(kb, article[0].source, lang) in text
    duties = t(lang, "suggest.role", role=short_name(role, lang).lower())
    assert duties in [s.text for s in answer.suggestions]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_kpi_lists_the_usual_measures_as_general_practice(
    bot: Bot, kb: KnowledgeBase, role_id: RoleId, lang: Lang
) -> None:
    answer = fact(bot, "kpi", [role_id], lang)
    role = kb.role(role_id)
    for item in role.measured_by:
        (section,) = [s for s in answer.sections if f"• {item.get(lang)}" in s.lines]
        general = item.source == "general"
        assert (section.notes == [t(lang, "kpi.general")]) == general
    assert answer.entities.roles == [role_id]
    assert len(answer.suggestions) >= 2


@pytest.mark.parametrize("facet", ["hiring", "kpi"])
@pytest.mark.parametrize("lang", LANGS)
def test_two_roles_get_one_block_each(
    bot: Bot, kb: KnowledgeBase, facet: RoleFacet, lang: Lang
) -> None:
    answer = fact(bot, facet, ["promotion", "art", "art"], lang)
    assert answer.entities.roles == ["promotion", "art"]  # a repeated role once
    headings = [s.heading for s in answer.sections if s.heading]
    assert headings == [kb.role("promotion").name.get(lang), kb.role("art").name.get(lang)]
    text = to_text(answer)
    for role_id in ("promotion", "art"):
        items = kb.role(role_id).hire_for if facet == "hiring" else kb.role(role_id).measured_by
        assert all(i.get(lang) in text for i in items)


@pytest.mark.parametrize("facet", ["hiring", "kpi"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_role_asks_which_offering_likely_roles(
    bot: Bot, kb: KnowledgeBase, facet: RoleFacet, lang: Lang
) -> None:
    answer = fact(bot, facet, [], lang)
    assert answer.refusal and answer.entities.roles == []
    first_hires = [r.role for r in kb.template("starter").roles if not r.optional]
    offered = [s.text for s in answer.suggestions]
    for role_id in first_hires:
        name = short_name(kb.role(role_id), lang).lower()
        assert any(name in text.lower() for text in offered), (role_id, offered)
    assert answer.title.endswith("?")


# --- pay ---

CURRENCY = re.compile(
    r"\d|[$€£¥₩₹]|\b(?:usd|eur|gbp|cny|rmb|yuan|dollars?|d[oó]lares|euros?|pesos?)\b", re.I
)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("roles", [[r] for r in ROLE_IDS] + [[], ["copywriter", "anchor"]])
def test_pay_never_gives_a_figure_and_offers_what_it_can(
    bot: Bot, kb: KnowledgeBase, roles: list[RoleId], lang: Lang
) -> None:
    answer = fact(bot, "pay", roles, lang)
    text = to_text(answer)
    assert not CURRENCY.search(text), text
    assert t(lang, "pay.body") in _lines(answer)
    assert answer.entities.roles == roles
    offered = [s.text for s in answer.suggestions]
    assert t(lang, "suggest.size_one") in offered
    if roles:
        name = short_name(kb.role(roles[0]), lang).lower()
        lowered = [s.lower() for s in offered]
        assert t(lang, "suggest.role", role=name).lower() in lowered
        assert sum(name in s for s in lowered) >= 2  # its duties and what to hire for


def test_spanish_answers_use_spanish_role_names(bot: Bot, kb: KnowledgeBase) -> None:
    for facet in ("reports_to", "hiring", "kpi", "pay"):
        text = to_text(fact(bot, facet, ["warehouse_packer"], "es"))  # type: ignore[arg-type]
        assert short_name(kb.role("warehouse_packer"), "es") in text
        assert short_name(kb.role("warehouse_packer"), "en") not in text
