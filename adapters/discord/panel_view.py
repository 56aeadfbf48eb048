"""The plan panel as Discord sees it: an embed of the plan and its components.

The core's ``PlanOverview`` laid out within Discord's limits (see ``render``): the plan's context
and each role's count, range and status in the panel embed; what the last click did in a second
embed. The components are ``DynamicItem`` s whose custom ids carry all they need (the action and
the role), so a click is understood by any process, after a restart too, and no view is kept:
the view is stopped before it is sent (see ``adapters.discord.app._buttons``).

A role select takes 25 options. Up to 25 roles fit on one page; with more, each page holds 23
and the last two options turn to the previous and the next page (``pages``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar, cast

import discord

from adapters.discord.render import (
    BLANK,
    COLOR,
    DESCRIPTION,
    EMBED_TOTAL,
    FIELD_VALUE,
    FOOTER,
    LABEL,
    Embed,
    embed_size,
)
from bot.plans.costs import money
from bot.plans.overview import STATUSES, PlanOverview, RoleLine, Status
from bot.render import split_lines
from bot.strings import t
from knowledge import Lang, default_vocabulary

if TYPE_CHECKING:
    from adapters.discord.panel import Panel

PREFIX = "shopcrew-panel:"
Action = Literal["add", "remove", "recommend", "check", "undo"]
#: Options in one select menu, and roles on a page when there are more roles than that.
OPTIONS = 25
PAGE = OPTIONS - 2
OPTION_TEXT = 100
#: The most the last-action embed says: whole lines, then how many more there were.
LAST_BUDGET = 1500
#: The most the role lines take (the largest plan of today's knowledge base takes about 2,700);
#: with more roles, those with a finding come first and the rest are counted.
ROLES_BUDGET = 3500
#: Which role lines come first when they do not all fit.
PRIORITY: tuple[Status, ...] = ("missing", "under", "over", "within", "optional")
ICONS: dict[Status, str] = {"missing": "❌", "under": "🔻", "within": "✅", "over": "🔺",
                            "optional": "➖"}  # fmt: skip
T = TypeVar("T")


def _label(text: str, limit: int = LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pages(roles: Sequence[T]) -> list[list[T]]:
    """The roles on each page of the select: all on one when they fit, else 23 a page."""
    if len(roles) <= OPTIONS:
        return [list(roles)]
    return [list(roles[i : i + PAGE]) for i in range(0, len(roles), PAGE)]


# --- the embeds -------------------------------------------------------------------------------


def _t(o: PlanOverview, key: str, **params: object) -> str:
    """A catalogue sentence, with the plan command words of the language available."""
    return t(o.lang, key, **{**default_vocabulary().plan.placeholders(o.lang), **params})


def role_text(o: PlanOverview, line: RoleLine) -> str:
    """ "✅ **Copywriter**: 2 · recommended 2 (range 1–3) · within the range"."""
    status = t(o.lang, f"dc.panel.status.{line.status}")
    common = {"icon": ICONS[line.status], "role": line.name, "count": line.count, "status": status}
    if line.recommended is None:
        text = t(o.lang, "dc.panel.role.unsized", **common)
    else:
        text = t(o.lang, "dc.panel.role.sized", rec=line.recommended, min=line.low,
                 max=line.high, **common)  # fmt: skip
    if line.cost is not None:
        text = t(o.lang, "dc.panel.role.cost", line=text, cost=money(o.lang, line.cost, o.currency))
    return text


def role_lines(o: PlanOverview) -> list[str]:
    """Every role's line in the knowledge base's order; past ``ROLES_BUDGET``, the roles with a
    finding first (missing, under, over), and how many more roles there are."""
    lines = [(line, role_text(o, line)) for line in o.roles]
    if sum(len(text) + 1 for _, text in lines) <= ROLES_BUDGET:
        return [text for _, text in lines]
    room = ROLES_BUDGET - 120  # for the "and N more roles" line
    kept: set[str] = set()
    for line, text in sorted(lines, key=lambda pair: PRIORITY.index(pair[0].status)):
        if room < len(text) + 1:
            break
        kept.add(line.role)
        room -= len(text) + 1
    shown = [text for line, text in lines if line.role in kept]
    return [*shown, t(o.lang, "dc.panel.more_roles", count=len(lines) - len(shown))]


def _summary(o: PlanOverview) -> str:
    counts = o.counts()
    said = [t(o.lang, f"dc.panel.count.{s}", count=counts[s]) for s in STATUSES if counts[s]]
    return " · ".join(said)


def _description(o: PlanOverview) -> list[str]:
    lines = [o.context, *([o.ratios] if o.ratios else [])]
    if o.locked:
        lines.append(t(o.lang, "plan.is_locked"))
    if o.assumed_stores:
        lines.append(_t(o, "dc.panel.assumed_stores"))
    if o.roles:
        lines.append(_summary(o))
    return lines


def _total(o: PlanOverview) -> list[str]:
    lines = [t(o.lang, "dc.panel.total.line", total=o.total, recommended=o.recommended_total)]
    if o.cost is not None:
        lines.append(t(o.lang, "dc.panel.cost", cost=money(o.lang, o.cost, o.currency)))
    if o.unpriced:
        lines.append(t(o.lang, "plan.cost.unpriced", roles=", ".join(o.unpriced)))
    return lines


def panel_embed(o: PlanOverview) -> Embed:
    """The plan against the recommendation: context, one line per role, total and cost."""
    title = t(o.lang, "plan.title") + (" 🔒" if o.locked else "")
    roles = role_lines(o)
    if not roles:
        roles = [_t(o, "dc.panel.empty", recommend=t(o.lang, "suggest.plan_recommend"))]
    fields = [
        {"name": t(o.lang, "dc.panel.roles") if i == 0 else BLANK, "value": piece, "inline": False}
        for i, piece in enumerate(split_lines(roles, FIELD_VALUE))
    ]
    total = "\n".join(_total(o))
    fields.append({"name": t(o.lang, "plan.total"), "value": total[:FIELD_VALUE], "inline": False})
    return {
        "title": title,
        "description": "\n".join(_description(o))[:DESCRIPTION],
        "color": COLOR,
        "fields": fields,
        "footer": {"text": _t(o, "dc.panel.footer")[:FOOTER]},
    }


def last_embed(lang: Lang, user_id: int, lines: list[str], budget: int) -> Embed:
    """What the last click did and who clicked: whole lines within ``budget`` characters, then
    how many lines more there were (``plan history`` keeps every change)."""
    head = t(lang, "dc.panel.by", user=f"<@{user_id}>")
    shown: list[str] = [head]
    room = min(budget, LAST_BUDGET) - len(t(lang, "dc.panel.last")) - 40  # 40: the "more" line
    for i, line in enumerate(lines):
        if sum(len(s) + 1 for s in shown) + len(line) > room:
            shown.append(t(lang, "dc.panel.more", count=len(lines) - i))
            break
        shown.append(line)
    return {"title": t(lang, "dc.panel.last"), "description": "\n".join(shown), "color": COLOR}


@dataclass(frozen=True)
class Shown:
    """What a panel message shows besides the plan: the selected role, the select's page, and
    the embeds after the panel (the last action, carried over by clicks that change nothing)."""

    selected: str | None = None
    page: int | None = None
    extra: tuple[Embed, ...] = ()


def picked(o: PlanOverview, value: str, extra: tuple[Embed, ...] = ()) -> Shown:
    """What the select's ``value`` shows: a role of the plan's knowledge base, or ``page:N``
    (anything else, from an older panel, shows the first page with nothing selected)."""
    page = value.removeprefix("page:")
    return Shown(
        selected=value if o.name(value) is not None else None,
        page=int(page) if value.startswith("page:") and page.isdigit() else None,
        extra=extra,
    )


def embeds(o: PlanOverview, shown: Shown) -> list[discord.Embed]:
    """The panel embed, then the extra ones while the message stays within 6,000 characters."""
    out = [panel_embed(o)]
    for embed in shown.extra:
        if sum(map(embed_size, out)) + embed_size(embed) <= EMBED_TOTAL:
            out.append(embed)
    return [discord.Embed.from_dict(e) for e in out]


# --- the components ---------------------------------------------------------------------------


def _panel(interaction: discord.Interaction[Any]) -> Panel:
    from adapters.discord.client import ShopCrewClient

    client = interaction.client
    assert isinstance(client, ShopCrewClient)
    return client.adapter.panel


class PanelButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"shopcrew-panel:(?P<action>add|remove|recommend|check|undo)(?::(?P<role>\w{1,60}))?",
):
    """A panel button: ``shopcrew-panel:add:copywriter``, ``shopcrew-panel:undo``…"""

    def __init__(self, action: Action, role: str | None = None, **button: Any) -> None:
        self.action, self.role = action, role
        custom_id = PREFIX + action + (f":{role}" if role else "")
        super().__init__(discord.ui.Button(custom_id=custom_id, **button))

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        """The button a click names (its action and role come from the custom id)."""
        return cls(cast(Action, match["action"]), match["role"])

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Whether this user may use this panel now (see ``Panel.may_use``)."""
        return await _panel(interaction).may_use(interaction)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Run the button's plan command, then show the panel again in place."""
        await _panel(interaction).click(interaction, self.action, self.role)


class PanelSelect(
    discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]], template=r"shopcrew-panel:role"
):
    """The role select: a role id, or ``page:N`` to turn the page."""

    def __init__(self, **select: Any) -> None:
        super().__init__(discord.ui.Select(custom_id=PREFIX + "role", **select))

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        """The select (the chosen value comes with the interaction)."""
        return cls()

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Whether this user may use this panel now (see ``Panel.may_use``)."""
        return await _panel(interaction).may_use(interaction)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Show the panel with the chosen role (or page) selected."""
        values = self.item.values
        await _panel(interaction).select(interaction, values[0] if values else "")


def page_shown(o: PlanOverview, shown: Shown) -> int:
    """The select's page: the selected role's, else the one turned to, else the first."""
    ids = [role for role, _ in o.choices]
    per_page = len(pages(ids)[0])
    if shown.selected in ids:
        return ids.index(shown.selected) // per_page
    return min(max(shown.page or 0, 0), len(pages(ids)) - 1)


def _options(o: PlanOverview, shown: Shown) -> list[discord.SelectOption]:
    all_pages = pages(list(o.choices))
    page = page_shown(o, shown)
    options = []
    for role, name in all_pages[page]:
        line = o.line(role)
        status = t(o.lang, f"dc.panel.status.{line.status if line else 'none'}")
        said = t(o.lang, "dc.panel.option", count=line.count if line else 0, status=status)
        options.append(discord.SelectOption(label=_label(name, OPTION_TEXT), value=role,
                                            description=_label(said, OPTION_TEXT),
                                            default=role == shown.selected))  # fmt: skip
    for turn, key, to in (
        (-1, "dc.panel.page.prev", page - 1),
        (1, "dc.panel.page.next", page + 1),
    ):
        if 0 <= to < len(all_pages):
            first = sum(len(p) for p in all_pages[:to]) + 1
            label = t(o.lang, key, first=first, last=first + len(all_pages[to]) - 1)
            option = discord.SelectOption(label=label, value=f"page:{to}")
            options.insert(0 if turn < 0 else len(options), option)
    return options


def view(o: PlanOverview, shown: Shown) -> discord.ui.View:
    """The select, the role's -1/+1, then recommend, check and undo; stopped, so discord.py
    never stores it (clicks reach the ``DynamicItem`` s by custom id)."""
    lang, role = o.lang, shown.selected
    name = o.name(role or "") or ""
    line = o.line(role or "")
    out = discord.ui.View(timeout=None)
    out.add_item(
        PanelSelect(placeholder=t(lang, "dc.panel.pick"), options=_options(o, shown), row=0)
    )
    role_buttons: tuple[tuple[Action, str], ...] = (("remove", "dc.panel.remove"),
                                                     ("add", "dc.panel.add"))  # fmt: skip
    for action, key in role_buttons:
        off = not name or (action == "remove" and not (line and line.count))
        label = _label(t(lang, key, role=name).strip())
        out.add_item(PanelButton(action, role if name else None, label=label, disabled=off, row=1))
    plan_buttons: tuple[tuple[Action, str, discord.ButtonStyle], ...] = (
        ("recommend", "suggest.plan_recommend", discord.ButtonStyle.primary),
        ("check", "suggest.plan_check", discord.ButtonStyle.secondary),
        ("undo", "suggest.plan_undo", discord.ButtonStyle.secondary),
    )
    for action, key, style in plan_buttons:
        out.add_item(PanelButton(action, label=_label(t(lang, key)), style=style, row=2))
    out.stop()
    return out


def message(o: PlanOverview, shown: Shown) -> dict[str, Any]:
    """The panel as discord.py send or edit arguments; it never pings anyone."""
    return {
        "embeds": embeds(o, shown),
        "view": view(o, shown),
        "allowed_mentions": discord.AllowedMentions.none(),
    }
