"""The plan panel's layout with plain data: paging past 25 roles, and the last-action budget."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.discord import panel_view as pv
from adapters.discord.render import embed_size
from bot.plans.overview import PlanOverview, RoleLine


def _line(role: str, status: str, count: int) -> RoleLine:
    return RoleLine(role=role, name=f"Role {int(role[5:])} of many", count=count, status=status,  # type: ignore[arg-type]
                    recommended=2, low=1, high=999, cost=None)  # fmt: skip


def overview(roles: int, lang: str = "en", missing: int = 0) -> PlanOverview:
    """A plan over a knowledge base of ``roles`` roles (more than Discord's 25 options): role
    30 within its range, and the first ``missing`` roles missing."""
    choices = tuple((f"role_{i:02d}", f"Role {i} of many") for i in range(roles))
    lines = [_line(r, "missing", 0) for r, _ in choices[:missing] if r != "role_30"]
    return PlanOverview(
        lang=lang, context="Stores: 1", ratios=None, stores=1, stage=None, channels=(),  # type: ignore[arg-type]
        assumed_stores=False, locked=False, can_edit=True, choices=choices,  # type: ignore[arg-type]
        roles=(_line("role_30", "within", 2), *lines), total=2, recommended_total=2, cost=None,
        currency=None, unpriced=(),
    )  # fmt: skip


async def components(o: PlanOverview, shown: pv.Shown) -> list[dict[str, Any]]:
    view = pv.view(o, shown)
    assert view.is_finished()  # stopped: discord.py never stores it
    return [c for row in view.to_components() for c in row["components"]]


def select(items: list[dict[str, Any]]) -> dict[str, Any]:
    return next(c for c in items if c["type"] == 3)


@pytest.mark.parametrize("roles", [1, 22, 25, 26, 47, 60])
async def test_every_role_is_on_exactly_one_page_of_at_most_25_options(roles: int) -> None:
    o = overview(roles)
    seen: list[str] = []
    page: int | None = 0
    while page is not None:
        options = select(await components(o, pv.Shown(page=page)))["options"]
        assert 1 <= len(options) <= 25
        values = [opt["value"] for opt in options]
        seen += [v for v in values if not v.startswith("page:")]
        turns = [int(v.removeprefix("page:")) for v in values if v.startswith("page:")]
        assert all(abs(turn - page) == 1 for turn in turns)
        page = next((turn for turn in turns if turn > page), None)
    assert seen == [r for r, _ in o.choices]
    if roles > 25:  # the page turns name the roles they lead to
        first = select(await components(o, pv.Shown(page=0)))["options"]
        assert first[-1]["label"] == f"Roles 24–{min(46, roles)} ▶"


async def test_a_selected_role_opens_its_page_and_arms_its_buttons() -> None:
    o = overview(60)
    items = await components(o, pv.Shown(selected="role_30"))
    options = select(items)["options"]
    chosen = [opt for opt in options if opt.get("default")]
    assert [opt["value"] for opt in chosen] == ["role_30"]
    assert chosen[0]["description"] == "2 people · within the range"
    assert options[0]["label"] == "◀ Roles 1–23"
    buttons = {c["custom_id"]: c for c in items if c["type"] == 2}
    assert buttons["shopcrew-panel:add:role_30"]["label"] == "+1 Role 30 of many"
    assert not buttons["shopcrew-panel:remove:role_30"]["disabled"]
    none = {c["custom_id"]: c for c in await components(o, pv.Shown(selected="role_31"))}
    assert none["shopcrew-panel:remove:role_31"]["disabled"]  # nobody to remove


@pytest.mark.parametrize(
    ("value", "selected", "page"),
    [("role_05", "role_05", 0), ("page:2", None, 2), ("page:99", None, 2), ("bogus", None, 0),
     ("page:x", None, 0)],
)  # fmt: skip
def test_what_the_select_shows(value: str, selected: str | None, page: int) -> None:
    o = overview(60)
    shown = pv.picked(o, value)
    assert shown.selected == selected and pv.page_shown(o, shown) == page


def test_many_roles_are_summarised_within_the_embed_limits() -> None:
    o = overview(60, missing=60)
    embed = pv.panel_embed(o)
    assert embed_size(embed) <= 6000 - pv.LAST_BUDGET and len(embed["fields"]) <= 25
    text = "\n".join(f["value"] for f in embed["fields"])
    shown = text.count("**Role ")
    assert 0 < shown < 60 and f"…and {60 - shown} more roles" in text
    # The roles with a finding come first: the one within its range is among those counted.
    assert "❌ **Role 0 of many**" in text and "✅ **Role 30 of many**" not in text
    assert "59 roles missing · 1 role within its range" in embed["description"]
    assert all(len(f["value"]) <= 1024 for f in embed["fields"])


def test_the_last_action_keeps_whole_lines_and_says_how_many_more() -> None:
    lines = [f"• line {i}: " + "x" * 90 for i in range(40)]
    embed = pv.last_embed("en", 42, lines, budget=6000)
    shown = embed["description"].splitlines()
    assert shown[0] == "By <@42>:" and shown[1:-1] == lines[: len(shown) - 2]
    assert shown[-1] == f"…and {len(lines) - (len(shown) - 2)} more lines."
    assert len(embed["description"]) <= pv.LAST_BUDGET
    one_more = pv.last_embed("es", 42, lines[: len(shown) - 1], budget=6000)
    assert one_more["description"].splitlines()[-1] == "…y 1 línea más."
    small = pv.last_embed("en", 42, lines, budget=500)
    assert len(small["description"]) + len(small["title"]) <= 500
