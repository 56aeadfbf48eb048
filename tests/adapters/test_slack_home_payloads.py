"""The Home tab and its modals for the largest plans, against every documented Block Kit limit
(``tests.adapters.blockkit``, written from Slack's reference), in both languages, for editors
and read-only viewers; and a plan too long for one block per role is summarised, never cut."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from adapters.slack.home_view import context_modal, home_view, notice_modal, role_modal
from bot.context import default_knowledge
from bot.models import Origin
from bot.plans.costs import MAX_SALARY
from bot.plans.grammar import MAX_COUNT, MAX_STORES
from bot.plans.overview import PlanOverview, RoleLine
from bot.plans.service import PlanService
from bot.plans.state import PlanState
from bot.storage import open_storage
from bot.strings import CATALOGUES, t
from knowledge import LANGS, Lang
from knowledge.vocab import CHANNELS
from tests.adapters import blockkit
from tests.adapters.blockkit import view_problems

KNOWLEDGE = default_knowledge()
LARGEST = max(KNOWLEDGE.kb.templates.values(), key=lambda tpl: len(tpl.roles))


def overview(lang: Lang, admin: bool, roles: list[str]) -> PlanOverview:
    """The overview the core gives for a plan at every maximum: 999 of each role, the largest
    salaries, 500 stores, every channel, the sizing ratios, locked."""
    storage = open_storage(":memory:")

    def apply(state: PlanState) -> PlanState:
        return state.model_copy(update={
            "stores": MAX_STORES, "stage": "mature", "channels": list(CHANNELS),
            "roles": dict.fromkeys(roles, MAX_COUNT), "locked": True, "editors": ["UED"],
            "salaries": dict.fromkeys(roles[1:], float(MAX_SALARY)), "currency": "CLF",
            "ratios": {"return_rate": 0.125, "inquiries_per_order": 4.75},
        })  # fmt: skip

    try:
        storage.plans.change("slack:T1", "U1", "plan seed", "set", apply)
        origin = Origin(platform="slack", workspace="T1", user="U1", user_is_admin=admin)
        made = PlanService(storage.plans).overview(origin, lang, KNOWLEDGE, own_lang=True)
    finally:
        storage.close()
    assert isinstance(made, PlanOverview)
    return made


def cases() -> Iterator[tuple[Lang, bool, list[str]]]:
    every = list(KNOWLEDGE.kb.roles)
    for lang in LANGS:
        for admin in (True, False):
            yield lang, admin, [r.role for r in LARGEST.roles]
            yield lang, admin, every


@pytest.mark.parametrize(("lang", "admin", "roles"), list(cases()))
def test_the_home_tab_and_its_modals_for_the_largest_plans_keep_every_limit(
    lang: Lang, admin: bool, roles: list[str]
) -> None:
    o = overview(lang, admin, roles)
    assert o.can_edit is admin
    view = home_view(o)
    assert view_problems(view) == []
    shown = _texts(view)
    for role in roles:  # every role of the plan, whole, with its count
        line = o.line(role)
        assert line is not None and line.count == MAX_COUNT
        assert any(text.startswith(f"*{line.name}* · 999 ") for text in shown), line.name
    assert [role_modal(o, r) for r, _ in o.choices]
    for modal in [role_modal(o), *(role_modal(o, r) for r, _ in o.choices),
                  context_modal(o, KNOWLEDGE.vocab), notice_modal(lang, "home.locked_modal.title",
                  t(lang, "plan.locked.refused", **KNOWLEDGE.vocab.plan.placeholders(lang)))]:  # fmt: skip
        assert view_problems(modal) == []


def test_no_catalogue_text_is_shortened_to_fit() -> None:
    # The renderer ends an over-long text with "…" rather than be refused; none may need it.
    limits = {"home.button.": blockkit.BUTTON_TEXT, "home.status.": blockkit.OPTION_TEXT,
              "home.role_modal.title": blockkit.MODAL_TEXT,
              "home.context_modal.title": blockkit.MODAL_TEXT,
              "home.locked_modal.title": blockkit.MODAL_TEXT, "home.save": blockkit.MODAL_TEXT,
              "home.cancel": blockkit.MODAL_TEXT, "home.close": blockkit.MODAL_TEXT,
              "home.role_modal.pick": blockkit.PLACEHOLDER, "plan.title": blockkit.HEADER_TEXT}  # fmt: skip
    for catalogue in CATALOGUES.values():
        for key, text in catalogue.items():
            for prefix, limit in limits.items():
                if key.startswith(prefix):
                    assert isinstance(text, str) and len(text) <= limit, key
    names = [KNOWLEDGE.vocab.stage_name(s, lang) for s in ("new", "mature") for lang in LANGS]
    names += [KNOWLEDGE.vocab.channel_name(c, lang) for c in CHANNELS for lang in LANGS]
    names += [n for lang in LANGS for _, n in overview(lang, True, ["art"]).choices]
    assert max(map(len, names)) <= blockkit.OPTION_TEXT


def _many(o: PlanOverview, n: int) -> PlanOverview:
    statuses = ("missing", "under", "within", "over", "optional")
    lines = tuple(
        RoleLine(
            role=f"role_{i:05d}",  # type: ignore[arg-type]
            name=f"Role number {i:05d} with a long name",
            count=i % 7,
            status=statuses[i % 5],
            recommended=3,
            low=2,
            high=4,
            cost=1234.5 * i,
        )
        for i in range(n)
    )
    return replace(o, roles=lines, total=sum(r.count for r in lines))


@pytest.mark.parametrize("lang", LANGS)
def test_a_plan_too_long_for_a_block_per_role_is_listed_together_whole(lang: Lang) -> None:
    o = _many(overview(lang, True, ["art"]), 400)
    view = home_view(o)
    assert view_problems(view) == [] and len(view["blocks"]) <= blockkit.VIEW_BLOCKS
    text = "\n".join(_texts(view))
    for line in o.roles:  # each role on one whole line: its name, count and range together
        assert f"• {line.name} · {t(lang, 'unit.person', count=line.count)} · " in text
    assert t(lang, "home.compact") in text


@pytest.mark.parametrize("lang", LANGS)
def test_a_plan_too_long_even_to_list_is_told_by_its_counts(lang: Lang) -> None:
    o = _many(overview(lang, True, ["art"]), 20_000)
    view = home_view(o)
    assert view_problems(view) == []
    text = "\n".join(_texts(view))
    assert t(lang, "home.count.missing", count=4000) in text
    assert "Role number 00001" not in text  # no partial list that looks complete
    assert t(lang, "home.total", count=o.total) in text


def _texts(view: dict[str, Any]) -> list[str]:
    out = []
    for block in view["blocks"]:
        for part in [block.get("text"), *block.get("elements", [])]:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                out.append(part["text"])
    return out
