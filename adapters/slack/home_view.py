"""The Home tab and its modals in Block Kit, from the neutral plan overview (no I/O).

The Home tab shows the plan against the recommendation: the context, each role with its count,
the recommended range and its status, the total and the monthly cost, and the buttons. It stays
within Slack's limits (100 blocks a view, 3,000 characters a section, 150 a header, 75 a button
or an option, 24 a modal title): a plan with more roles than one section each can hold is
listed together, by status, in as many sections as it takes; one larger still is told by its
counts per status. Nothing is ever cut off part-way.
"""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.translate import HEADER_LIMIT, TEXT_LIMIT, escape
from bot.buttons import button_value
from bot.models import Answer, Suggestion
from bot.plans.costs import money
from bot.plans.overview import STATUSES, PlanOverview, RoleLine, Status
from bot.render import split_lines
from bot.strings import t
from knowledge import Lang, Vocabulary
from knowledge.vocab import CHANNELS, STAGES

VIEW_BLOCKS = 100
OPTION_LIMIT = 75
MODAL_TITLE_LIMIT = 24

#: Action and view ids (the listeners in ``adapters.slack.home`` match them).
RUN = "shopcrew_home_run"  # + "_<verb>": a plan command button; its value is a plan button's
EDIT = "shopcrew_home_edit"  # the "edit a role" button; + "_<role>" beside a role (value: role)
CONTEXT = "shopcrew_home_context"
PICK = "shopcrew_home_pick"  # the role select of the edit modal (updates the modal)
ROLE_VIEW = "shopcrew_home_role"
CONTEXT_VIEW = "shopcrew_home_context_view"
HOME_VIEW = "shopcrew_home"
#: Input blocks and their elements.
ROLE_BLOCK, COUNT_BLOCK, COUNT = "role", "count", "count"
STORES_BLOCK, STAGE_BLOCK, CHANNELS_BLOCK = "stores", "stage", "channels"

#: The colour beside each status; the status is always said in words too.
MARKS: dict[Status, str] = {
    "missing": ":red_circle:",
    "under": ":large_orange_circle:",
    "within": ":large_green_circle:",
    "over": ":large_yellow_circle:",
    "optional": ":white_circle:",
}
#: The run buttons: (label key, canonical plan command); the first two only for editors.
RUNS: tuple[tuple[str, str], ...] = (
    ("home.button.recommend", "recommend"),
    ("home.button.undo", "undo"),
    ("home.button.check", "check"),
    ("home.button.export", "export csv"),
    ("home.button.chart", "chart"),
)
EDITING = frozenset({"recommend", "undo"})

Block = dict[str, Any]
View = dict[str, Any]


def plain(text: str, limit: int = TEXT_LIMIT) -> dict[str, str]:
    """A plain_text object; catalogue strings fit their limits (a test checks every one), and
    anything longer ends with "…" rather than be refused by Slack."""
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…"}


def _section(text: str, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def _context(*texts: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": x} for x in texts]}


def _button(text: str, action_id: str, value: str = "", primary: bool = False) -> Block:
    button: Block = {"type": "button", "action_id": action_id, "text": plain(text, 75)}
    if value:
        button["value"] = value
    if primary:
        button["style"] = "primary"
    return button


def metadata(lang: Lang) -> str:
    """What a view carries back to the listeners: the language it was shown in."""
    return json.dumps({"lang": lang})


def lang_of(view: dict[str, Any]) -> Lang:
    """The language a view was shown in (English when it says none)."""
    try:
        said = json.loads(view.get("private_metadata") or "{}").get("lang")
    except (ValueError, AttributeError):
        said = None
    return "es" if said == "es" else "en"


# --- the Home tab --------------------------------------------------------------------------


def home_view(o: PlanOverview) -> View:
    """The Home tab for one viewer: read-only (no edit buttons) when they may not change it."""
    head, tail = _head(o), _tail(o)
    roles = _roles(o, VIEW_BLOCKS - len(head) - len(tail))
    return {"type": "home", "callback_id": HOME_VIEW, "private_metadata": metadata(o.lang),
            "blocks": [*head, *roles, *tail]}  # fmt: skip


def _head(o: PlanOverview) -> list[Block]:
    lang = o.lang
    lines = [escape(o.context), *([escape(o.ratios)] if o.ratios else [])]
    if o.assumed_stores:
        lines.append(t(lang, "home.assumed_stores"))
    blocks: list[Block] = [{"type": "header", "text": plain(t(lang, "plan.title"), HEADER_LIMIT)}]
    blocks += [_section(c) for c in split_lines(lines, TEXT_LIMIT)]
    if o.locked:
        blocks.append(_context(t(lang, "home.locked_editor" if o.can_edit else "home.read_only")))
    elif not o.can_edit:  # unlocked, yet not theirs to change: a guest from another organisation
        blocks.append(_context(t(lang, "plan.external.refused")))
    blocks.append({"type": "actions", "block_id": "home_actions", "elements": _buttons(o)})
    blocks.append({"type": "divider"})
    return blocks


def _buttons(o: PlanOverview) -> list[Block]:
    lang = o.lang
    buttons = []
    if o.can_edit:
        buttons.append(_button(t(lang, "home.button.edit"), EDIT, primary=True))
        buttons.append(_button(t(lang, "home.button.context"), CONTEXT))
    for key, command in RUNS:
        if o.can_edit or command not in EDITING:
            value = button_value(Suggestion(label="", text="", command=command), lang)
            verb = command.split()[0]
            buttons.append(_button(t(lang, key), f"{RUN}_{verb}", value))
    return buttons


def _tail(o: PlanOverview) -> list[Block]:
    lang = o.lang
    lines = [f"*{t(lang, 'home.total', count=o.total)}*"]
    if o.recommended_total:
        lines.append(t(lang, "home.recommended_total", count=o.recommended_total))
    if o.cost is not None:
        lines.append(t(lang, "home.cost", cost=money(lang, o.cost, o.currency)))
        if o.unpriced:
            lines.append(escape(t(lang, "plan.cost.unpriced", roles=", ".join(o.unpriced))))
    counts = o.counts()
    said = [t(lang, f"home.count.{s}", count=counts[s]) for s in STATUSES if counts[s]]
    blocks = [{"type": "divider"}, *(_section(c) for c in split_lines(lines, TEXT_LIMIT))]
    if said:
        blocks.append(_context(escape(" · ".join(said))))
    blocks.append(_context(t(lang, "home.footer")))
    return blocks


def _roles(o: PlanOverview, budget: int) -> list[Block]:
    """One section per role; when that is too many blocks, the roles together by status; when
    even that is, their counts per status (the tail already says them)."""
    if not o.roles:
        return [_section(t(o.lang, "home.empty"))]
    each = [_section(_role_text(o, r), _edit_button(o, r)) for r in o.roles]
    if len(each) <= budget:
        return each
    lines: list[str] = []
    for status in STATUSES:
        members = [r for r in o.roles if r.status == status]
        if members:
            lines.append(f"{MARKS[status]} *{t(o.lang, f'home.status.{status}')}*")
            lines += [f"• {_role_summary(o, r)}" for r in members]
    together = [_context(t(o.lang, "home.compact")), *map(_section, split_lines(lines, TEXT_LIMIT))]
    if len(together) <= budget:
        return together
    return [_context(t(o.lang, "home.compact"))]


def _edit_button(o: PlanOverview, line: RoleLine) -> Block | None:
    if not o.can_edit:
        return None
    return _button(t(o.lang, "home.button.edit_role"), f"{EDIT}_{line.role}", line.role)


def _role_text(o: PlanOverview, line: RoleLine) -> str:
    """ "*Copywriter* · 2 people" over ":large_green_circle: Within the range · recommended
    1 (range 1–2) · MX$12,000 a month"."""
    lang = o.lang
    status = f"{MARKS[line.status]} {t(lang, f'home.status.{line.status}')}"
    return f"*{escape(line.name)}* · {t(lang, 'unit.person', count=line.count)}\n" + " · ".join(
        [status, *_figures(o, line)]
    )


def _role_summary(o: PlanOverview, line: RoleLine) -> str:
    """ "Copywriter · 2 people · recommended 1 (range 1–2)" (the status is the group's)."""
    count = t(o.lang, "unit.person", count=line.count)
    return " · ".join([escape(line.name), count, *_figures(o, line)])


def _figures(o: PlanOverview, line: RoleLine) -> list[str]:
    lang = o.lang
    out = []
    if line.recommended is not None:
        out.append(t(lang, "home.recommended", rec=line.recommended, low=line.low, high=line.high))
    if line.cost is not None:
        out.append(t(lang, "home.role_cost", cost=money(lang, line.cost, o.currency)))
    return out


def unavailable_home(answer: Answer) -> View:
    """The Home tab when the plan cannot be read: the answer that says why."""
    lines = [escape(line) for s in answer.sections for line in s.lines]
    blocks = [{"type": "header", "text": plain(answer.title, HEADER_LIMIT)}]
    blocks += [_section(c) for c in split_lines(lines, TEXT_LIMIT)]
    return {"type": "home", "callback_id": HOME_VIEW, "blocks": blocks,
            "private_metadata": metadata(answer.language)}  # fmt: skip


# --- the modals ----------------------------------------------------------------------------


def _modal(lang: Lang, callback: str, title_key: str, blocks: list[Block]) -> View:
    return {
        "type": "modal",
        "callback_id": callback,
        "private_metadata": metadata(lang),
        "title": plain(t(lang, title_key), MODAL_TITLE_LIMIT),
        "submit": plain(t(lang, "home.save"), MODAL_TITLE_LIMIT),
        "close": plain(t(lang, "home.cancel"), MODAL_TITLE_LIMIT),
        "blocks": blocks,
    }


def _option(text: str, value: str) -> Block:
    return {"text": plain(text, OPTION_LIMIT), "value": value}


def role_modal(o: PlanOverview, role: str | None = None) -> View:
    """Edit a role: which role (choosing one updates the modal with its numbers) and how many.

    The count's block id names the role, so that Slack shows the chosen role's count rather
    than keeping what was in the field for the one before.
    """
    lang = o.lang
    select: Block = {"type": "static_select", "action_id": PICK,
                     "placeholder": plain(t(lang, "home.role_modal.pick"), 150),
                     "options": [_option(name, rid) for rid, name in o.choices]}  # fmt: skip
    names: dict[str, str] = dict(o.choices)
    blocks: list[Block] = [{"type": "input", "block_id": ROLE_BLOCK, "dispatch_action": True,
                            "label": plain(t(lang, "home.role_modal.role"), 2000),
                            "element": select}]  # fmt: skip
    count = {"type": "number_input", "action_id": COUNT, "is_decimal_allowed": False,
             "min_value": "0", "max_value": "999"}  # fmt: skip
    if role is not None and role in names:  # a role id this knowledge base has
        select["initial_option"] = _option(names[role], role)
        line = o.line(role)
        have = line.count if line is not None else 0
        count["initial_value"] = str(have)
        said = [t(lang, "home.role_modal.now", count=have)]
        if line is not None:
            said += [f"{MARKS[line.status]} {t(lang, f'home.status.{line.status}')}",
                     *_figures(o, line)]  # fmt: skip
        blocks.append(_context(escape(" · ".join(said))))
    blocks.append({"type": "input", "block_id": f"{COUNT_BLOCK}_{role or 'none'}",
                   "label": plain(t(lang, "home.role_modal.count"), 2000),
                   "hint": plain(t(lang, "home.role_modal.hint"), 2000),
                   "element": count})  # fmt: skip
    return _modal(lang, ROLE_VIEW, "home.role_modal.title", blocks)


def context_modal(o: PlanOverview, vocab: Vocabulary) -> View:
    """The plan's stores, stage and channels; each left empty stays as it is (no channel
    ticked: none)."""
    lang = o.lang
    stores: Block = {"type": "number_input", "action_id": STORES_BLOCK, "is_decimal_allowed": False,
                     "min_value": "1", "max_value": "500"}  # fmt: skip
    if o.stores is not None:
        stores["initial_value"] = str(o.stores)
    stages = [_option(vocab.stage_name(s, lang), s) for s in STAGES]
    stage: Block = {"type": "static_select", "action_id": STAGE_BLOCK, "options": stages}
    if o.stage is not None:
        stage["initial_option"] = stages[STAGES.index(o.stage)]
    options = [_option(vocab.channel_name(c, lang), c) for c in CHANNELS]
    channels: Block = {"type": "checkboxes", "action_id": CHANNELS_BLOCK, "options": options}
    ticked = [options[CHANNELS.index(c)] for c in o.channels]
    if ticked:
        channels["initial_options"] = ticked
    blocks = [
        _input(lang, STORES_BLOCK, "home.context_modal.stores", stores,
               "home.context_modal.stores_hint"),
        _input(lang, STAGE_BLOCK, "home.context_modal.stage", stage),
        _input(lang, CHANNELS_BLOCK, "home.context_modal.channels", channels),
    ]  # fmt: skip
    return _modal(lang, CONTEXT_VIEW, "home.context_modal.title", blocks)


def _input(lang: Lang, block: str, label: str, element: Block, hint: str | None = None) -> Block:
    out: Block = {"type": "input", "block_id": block, "optional": True,
                  "label": plain(t(lang, label), 2000), "element": element}  # fmt: skip
    if hint is not None:
        out["hint"] = plain(t(lang, hint), 2000)
    return out


def notice_modal(lang: Lang, title_key: str, text: str) -> View:
    """A modal that only says something (a locked plan to someone who may not change it)."""
    return {
        "type": "modal",
        "private_metadata": metadata(lang),
        "title": plain(t(lang, title_key), MODAL_TITLE_LIMIT),
        "close": plain(t(lang, "home.close"), MODAL_TITLE_LIMIT),
        "blocks": [_section(c) for c in split_lines([text], TEXT_LIMIT)],
    }
