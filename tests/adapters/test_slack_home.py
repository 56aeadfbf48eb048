"""The Home tab against the fake Slack, with signed requests: published when opened, its modals'
round trips through the plan commands, the lock, the language, and re-publishing after changes.

Payloads are built the way Slack builds them from the views the adapter published: a click
carries the published view and the clicked button, a submission the opened modal with its
``state.values``.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.answers.common import short_name
from bot.plans.state import PlanState
from knowledge import default_kb
from tests.adapters.blockkit import view_problems
from tests.adapters.fake_slack import BOT_USER
from tests.adapters.slack_rigs import signed, slack_rig
from tests.adapters.test_slack_e2e import Rig, mention

WORKSPACE = "slack:T1"
_ids = itertools.count(1)

Body = dict[str, Any]


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    async with slack_rig(tmp_path) as rig:
        rig.adapter.home.delay = 0.01  # the debounce, kept short: tests wait on the fake
        yield rig


def seed(rig: Rig, **fields: Any) -> None:
    """Give the workspace's plan these fields (a recorded change, as a command makes)."""

    def apply(state: PlanState) -> PlanState:
        return state.model_copy(update=fields)

    rig.store.change(WORKSPACE, "USEED", "plan seed", "set", apply)


async def open_home(rig: Rig, user: str, tab: str = "home") -> None:
    """Slack's ``app_home_opened``, delivered for the installation."""
    event = {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": tab,
             "event_ts": f"{time.time():.6f}"}  # fmt: skip
    assert await rig.event(event, f"EvHome{next(_ids)}") == 200


def publishes(rig: Rig, user: str) -> list[Body]:
    """The views published for ``user``, in order."""
    return [c["view"] for c in rig.fake.posted("views.publish") if c["user_id"] == user]


async def next_home(rig: Rig, user: str, seen: int) -> Body:
    """Wait for a publish for ``user`` after the first ``seen``; the stored view (with its id)."""
    await rig.fake.wait_for(lambda: len(publishes(rig, user)) > seen)
    view = rig.fake.home(user)
    assert view is not None
    assert view_problems(view) == []
    return view


def text_of(view: Body) -> str:
    """Every text shown in a view (sections, context, button labels), one per line."""
    out = []
    for block in view["blocks"]:
        parts = [block.get("text"), *block.get("elements", []), block.get("label"),
                 block.get("accessory")]  # fmt: skip
        for part in parts:
            text = part.get("text") if isinstance(part, dict) else None
            text = text.get("text") if isinstance(text, dict) else text
            if isinstance(text, str):
                out.append(text)
    return "\n".join(out)


def action_ids(view: Body) -> set[str]:
    found = set()
    for block in view["blocks"]:
        for e in [
            *block.get("elements", []),
            block.get("accessory") or {},
            block.get("element") or {},
        ]:
            if e.get("action_id"):
                found.add(e["action_id"])
    return found


def find(view: Body, action_id: str) -> tuple[Body, Body]:
    """(block, element) of the button or select ``action_id``."""
    for block in view["blocks"]:
        for e in [
            *block.get("elements", []),
            block.get("accessory") or {},
            block.get("element") or {},
        ]:
            if e.get("action_id") == action_id:
                return block, e
    raise AssertionError(f"no {action_id} in the view")


def user_of(user: str) -> Body:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T1"}


def click(view: Body, action_id: str, user: str = "U1") -> Body:
    """``block_actions`` for a button of a published view."""
    block, element = find(view, action_id)
    action = {"action_id": action_id, "block_id": block.get("block_id", "b1"), "type": "button",
              "text": element["text"], "action_ts": f"{time.time():.6f}"}  # fmt: skip
    if "value" in element:
        action["value"] = element["value"]
    return {"type": "block_actions", "user": user_of(user), "api_app_id": "A1", "token": "t",
            "container": {"type": "view", "view_id": view["id"]},
            "trigger_id": f"{next(_ids)}.1.abc", "team": {"id": "T1", "domain": "shop"},
            "enterprise": None, "is_enterprise_install": False, "view": view,
            "actions": [action]}  # fmt: skip


def pick(modal: Body, value: str, user: str = "U1") -> Body:
    """``block_actions`` for choosing ``value`` in the modal's select (dispatched by its input)."""
    block, select = next((b, b["element"]) for b in modal["blocks"]
                         if b.get("element", {}).get("type") == "static_select")  # fmt: skip
    option = next(o for o in select["options"] if o["value"] == value)
    return {"type": "block_actions", "user": user_of(user), "api_app_id": "A1", "token": "t",
            "container": {"type": "view", "view_id": modal["id"]},
            "trigger_id": f"{next(_ids)}.1.abc", "team": {"id": "T1", "domain": "shop"},
            "view": modal, "actions": [{"type": "static_select", "action_id": select["action_id"],
                                        "block_id": block["block_id"], "selected_option": option,
                                        "action_ts": f"{time.time():.6f}"}]}  # fmt: skip


def role_values(modal: Body, role: str, count: str) -> Body:
    """What Slack sends for the edit modal with ``role`` chosen and ``count`` typed."""
    values: Body = {}
    for block in modal["blocks"]:
        element = block.get("element") or {}
        if element.get("type") == "static_select":
            option = next(o for o in element["options"] if o["value"] == role)
            values[block["block_id"]] = {element["action_id"]: {"type": "static_select",
                                                                "selected_option": option}}  # fmt: skip
        elif element.get("type") == "number_input":
            values[block["block_id"]] = {
                element["action_id"]: {"type": "number_input", "value": count}
            }
    return values


def submission(modal: Body, values: Body, user: str = "U1") -> Body:
    return {"type": "view_submission", "team": {"id": "T1", "domain": "shop"},
            "user": user_of(user), "api_app_id": "A1", "token": "t",
            "trigger_id": f"{next(_ids)}.1.abc", "view": {**modal, "state": {"values": values}},
            "response_urls": [], "is_enterprise_install": False, "enterprise": None}  # fmt: skip


async def interact(rig: Rig, payload: Body) -> tuple[int, str]:
    """POST an interaction, signed; Slack reads the response body of a submission."""
    body = urlencode({"payload": json.dumps(payload)})
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               **signed(body, str(int(time.time())))}  # fmt: skip
    async with rig.session.post(rig.url, data=body.encode(), headers=headers) as resp:
        return resp.status, await resp.text()


async def opened_modal(rig: Rig, seen: int) -> Body:
    """The modal the adapter opened (or last updated) after the first ``seen`` opens."""
    await rig.fake.wait_for(lambda: len(rig.fake.posted("views.open")) > seen)
    modal = [v for v in rig.fake.views.values() if v["type"] == "modal"][-1]
    assert view_problems(modal) == []
    return modal


def name(role: str, lang: str = "en") -> str:
    return short_name(default_kb().role(role), lang)  # type: ignore[arg-type]


# --- opening the tab ------------------------------------------------------------------------


async def test_opening_the_home_tab_shows_every_role_against_the_recommendation(rig: Rig) -> None:
    # README: for 2 new stores the engine says Operations 2–4, Art 1–2, Customer service 3–4.
    seed(rig, stores=2, roles={"operations": 2, "art": 5, "customer_service": 1, "copywriter": 2},
         salaries={"art": 6000.0}, currency="MXN")  # fmt: skip
    await open_home(rig, "U1", tab="messages")  # the Messages tab: nothing to publish
    await open_home(rig, "U1")
    view = await next_home(rig, "U1", 0)
    assert len(publishes(rig, "U1")) == 1
    assert len(view["blocks"]) <= 100
    shown = text_of(view)
    assert "Stores: 2 · Stage: not set · Channels: none" in shown
    assert (
        "*Operations* · 2 people\n:large_green_circle: Within the range · recommended 2 (range 2–4)"
        in shown
    )
    assert (
        "*Art* · 5 people\n:large_yellow_circle: Above the range · recommended 1 (range 1–2) · MX$30,000 a month"
        in shown
    )
    assert (
        "*Customer service* · 1 person\n:large_orange_circle: Below the range · recommended 4 (range 3–4)"
        in shown
    )
    assert "*Copywriter* · 2 people\n:white_circle: Not sized for this plan" in shown
    assert (
        "*Total: 10 people*" in shown
        and "Monthly cost, from your salary figures: MX$30,000" in shown
    )
    # Every button of an editor's view.
    assert {"shopcrew_home_edit", "shopcrew_home_context", "shopcrew_home_run_recommend",
            "shopcrew_home_run_check", "shopcrew_home_run_undo", "shopcrew_home_run_export",
            "shopcrew_home_run_chart"} <= action_ids(view)  # fmt: skip


async def test_a_missing_role_is_shown_as_missing(rig: Rig) -> None:
    seed(rig, stores=1, roles={"operations": 1})
    await open_home(rig, "U1")
    shown = text_of(await next_home(rig, "U1", 0))
    assert f"*{name('customer_service')}* · 0 people\n:red_circle: Missing" in shown


# --- the edit-role modal ----------------------------------------------------------------------


async def test_edit_role_round_trip_changes_the_plan_records_it_and_republishes(rig: Rig) -> None:
    seed(rig, stores=2, roles={"copywriter": 2, "art": 1})
    await open_home(rig, "U1")
    home = await next_home(rig, "U1", 0)
    # The button beside Copywriter opens the modal with Copywriter chosen and its count.
    assert (await interact(rig, click(home, "shopcrew_home_edit_copywriter")))[0] == 200
    modal = await opened_modal(rig, 0)
    _, count = find(modal, "count")
    assert count["initial_value"] == "2"
    # Choosing another role updates the modal in place with that role's count.
    assert (await interact(rig, pick(modal, "art")))[0] == 200
    await rig.fake.wait_for(lambda: rig.fake.posted("views.update"))
    modal = rig.fake.views[modal["id"]]
    assert view_problems(modal) == [] and find(modal, "count")[1]["initial_value"] == "1"
    # Saving runs `plan set art 3`: the plan, its history, and the tab published again.
    status, body = await interact(rig, submission(modal, role_values(modal, "art", "3")))
    assert (status, body) == (200, "")  # the modal closes
    assert rig.store.read(WORKSPACE).roles == {"copywriter": 2, "art": 3}
    latest = rig.store.history(WORKSPACE)[0]
    assert (latest.user, latest.command, latest.kind) == ("U1", "plan set art 3", "set")
    home = await next_home(rig, "U1", 1)
    assert "*Art* · 3 people" in text_of(home)


@pytest.mark.parametrize("count", ["1000", "-1", "2.5", ""])
async def test_an_invalid_count_is_a_field_error_and_changes_nothing(rig: Rig, count: str) -> None:
    seed(rig, roles={"copywriter": 2})
    await open_home(rig, "U1")
    home = await next_home(rig, "U1", 0)
    await interact(rig, click(home, "shopcrew_home_edit"))
    modal = await opened_modal(rig, 0)
    before = rig.store.history(WORKSPACE)
    status, body = await interact(rig, submission(modal, role_values(modal, "copywriter", count)))
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    ((field, error),) = answer["errors"].items()
    count_block = next(b["block_id"] for b in modal["blocks"]
                       if b.get("element", {}).get("type") == "number_input")  # fmt: skip
    assert field == count_block
    assert f"“{count}” is not a valid number of people" in error and "0 to 999" in error
    assert rig.store.read(WORKSPACE).roles == {"copywriter": 2}
    assert rig.store.history(WORKSPACE) == before


async def test_a_submission_without_a_role_asks_for_one(rig: Rig) -> None:
    await open_home(rig, "U1")
    home = await next_home(rig, "U1", 0)
    await interact(rig, click(home, "shopcrew_home_edit"))
    modal = await opened_modal(rig, 0)
    values = {k: v for k, v in role_values(modal, "art", "2").items() if k == "count_none"}
    _, body = await interact(rig, submission(modal, values))
    assert json.loads(body)["errors"] == {"role": "Choose a role."}
    assert rig.store.read(WORKSPACE).roles == {}


# --- the context modal --------------------------------------------------------------------


async def test_the_context_modal_sets_stores_stage_and_channels(rig: Rig) -> None:
    seed(rig, stores=1, channels=["douyin"])
    await open_home(rig, "U1")
    home = await next_home(rig, "U1", 0)
    await interact(rig, click(home, "shopcrew_home_context"))
    modal = await opened_modal(rig, 0)
    blocks = {b["block_id"]: b["element"] for b in modal["blocks"]}
    stores, stage, channels = blocks["stores"], blocks["stage"], blocks["channels"]
    assert stores["initial_value"] == "1" and "initial_option" not in stage
    assert [o["value"] for o in channels["initial_options"]] == ["douyin"]
    # A bad store count is refused in the modal, as typed: nothing changes.
    bad = {"stores": {"stores": {"type": "number_input", "value": "501"}}}
    _, body = await interact(rig, submission(modal, bad))
    assert "not a valid store count" in json.loads(body)["errors"]["stores"]
    assert rig.store.read(WORKSPACE).stores == 1
    mature = next(o for o in stage["options"] if o["value"] == "mature")
    ticked = [o for o in channels["options"] if o["value"] in ("live", "xiaohongshu")]
    values = {"stores": {"stores": {"type": "number_input", "value": "3"}},
              "stage": {"stage": {"type": "static_select", "selected_option": mature}},
              "channels": {"channels": {"type": "checkboxes", "selected_options": ticked}}}  # fmt: skip
    assert await interact(rig, submission(modal, values)) == (200, "")
    state = rig.store.read(WORKSPACE)
    assert (state.stores, state.stage, state.channels) == (3, "mature", ["live", "xiaohongshu"])
    commands = [r.command for r in rig.store.history(WORKSPACE)[:3]]
    assert commands == ["plan channels live,xiaohongshu", "plan stage mature", "plan stores 3"]
    assert "Stores: 3 · Stage: mature" in text_of(await next_home(rig, "U1", 1))


# --- the lock --------------------------------------------------------------------------------


async def test_a_locked_plan_is_read_only_for_a_member_who_is_not_an_editor(rig: Rig) -> None:
    seed(rig, roles={"copywriter": 2}, locked=True, editors=["UED"])
    await open_home(rig, "U2")
    home = await next_home(rig, "U2", 0)
    assert "only workspace admins and granted editors can change it" in text_of(home)
    assert action_ids(home) == {"shopcrew_home_run_check", "shopcrew_home_run_export",
                                "shopcrew_home_run_chart"}  # fmt: skip
    # A modal opened before the lock (or forged) is refused, in the modal, changing nothing.
    await open_home(rig, "UED")
    editor_home = await next_home(rig, "UED", 0)
    assert "shopcrew_home_edit_copywriter" in action_ids(editor_home)
    await interact(rig, click(editor_home, "shopcrew_home_edit_copywriter", user="UED"))
    modal = await opened_modal(rig, 0)
    _, body = await interact(rig, submission(modal, role_values(modal, "copywriter", "5"), "U2"))
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert "This plan is locked" in answer["errors"]["role"]
    assert rig.store.read(WORKSPACE).roles == {"copywriter": 2}
    # The edit button of a stale view tells them why instead of opening the form.
    await interact(rig, click(editor_home, "shopcrew_home_edit", user="U2"))
    notice = await opened_modal(rig, 1)
    assert notice["title"]["text"] == "Plan locked" and "submit" not in notice


async def test_a_guest_from_another_organisation_sees_the_plan_read_only(rig: Rig) -> None:
    rig.fake.teams["U0GUEST"] = "T0OTHER"  # users.info: a Slack Connect guest
    seed(rig, roles={"copywriter": 2})
    await open_home(rig, "U0GUEST")
    home = await next_home(rig, "U0GUEST", 0)
    assert "only members of this workspace can change its team plan" in text_of(home)
    assert "shopcrew_home_edit" not in action_ids(home)


async def test_an_admin_sees_a_locked_plan_editable(rig: Rig) -> None:
    seed(rig, roles={"copywriter": 2}, locked=True)
    await open_home(rig, "UADMIN")
    home = await next_home(rig, "UADMIN", 0)
    assert "Locked: only admins and editors can change it (you can)." in text_of(home)
    assert "shopcrew_home_edit" in action_ids(home)


# --- buttons that run a command --------------------------------------------------------------


async def test_run_buttons_answer_in_the_dm_and_a_change_republishes(rig: Rig) -> None:
    seed(rig, stores=1)
    await open_home(rig, "U1")
    home = await next_home(rig, "U1", 0)
    await interact(rig, click(home, "shopcrew_home_run_recommend"))
    await rig.fake.wait_for(lambda: rig.fake.posted())
    post = rig.fake.posted()[0]
    assert post["channel"] == "DU1" and "Team plan updated" in post["text"]
    assert rig.fake.posted("conversations.open")[0]["users"] == "U1"
    assert rig.store.read(WORKSPACE).roles  # filled from the engine
    assert rig.store.history(WORKSPACE)[0].command == "plan recommend"
    assert "Missing" not in text_of(await next_home(rig, "U1", 1))
    # The picture runs `plan chart` through the plan commands, answered in the DM too.
    _, chart = find(home, "shopcrew_home_run_chart")
    assert chart["value"] == "plan:en:chart"
    await interact(rig, click(home, "shopcrew_home_run_chart"))
    await rig.fake.wait_for(lambda: rig.fake.posted("files.completeUploadExternal"))
    assert rig.fake.posted()[1]["channel"] == "DU1"
    (shared,) = rig.fake.posted("files.completeUploadExternal")
    assert shared["channel_id"] == "DU1"  # the picture itself, in the same DM
    (uploaded,) = [data for _, data in rig.fake.uploads.values()]
    assert uploaded is not None and uploaded.startswith(b"\x89PNG")


# --- re-publishing after a change from anywhere ------------------------------------------------


async def test_a_change_typed_in_a_channel_republishes_an_open_home_tab(rig: Rig) -> None:
    await open_home(rig, "U2")
    await next_home(rig, "U2", 0)
    await rig.event(mention("plan add copywriter 2"), "EvTyped")
    home = await next_home(rig, "U2", 1)
    assert "*Copywriter* · 2 people" in text_of(home)
    # A slash command does it too.
    await rig.command("plan set copywriter 4")
    assert "*Copywriter* · 4 people" in text_of(await next_home(rig, "U2", 2))


async def test_a_burst_of_changes_publishes_once_and_only_for_recent_viewers(rig: Rig) -> None:
    home = rig.adapter.home
    now = [1000.0]
    home.clock = lambda: now[0]
    await open_home(rig, "U1")
    await next_home(rig, "U1", 0)
    for _ in range(5):
        home.changed("T1", rig.adapter.client)
    pending = home._pending["T1"]
    await pending
    assert len(publishes(rig, "U1")) == 2  # one publish for the five changes
    now[0] += home.window + 1  # they opened it long ago: no longer counted as looking
    home.changed("T1", rig.adapter.client)
    assert "T1" not in home._pending and home.viewers("T1") == []


# --- language ----------------------------------------------------------------------------------


async def test_a_spanish_slack_user_gets_spanish(rig: Rig) -> None:
    rig.fake.locales.update({"U1": "es-LA", "U2": "en-US", "U3": "fr-FR"})
    seed(rig, stores=1, roles={"operations": 1}, lang="es")
    for user in ("U1", "U2", "U3"):
        await open_home(rig, user)
    spanish, english, french = [await next_home(rig, u, 0) for u in ("U1", "U2", "U3")]
    assert spanish["blocks"][0]["text"]["text"] == "Plan del equipo"
    assert f"*{name('operations', 'es')}* · 1 persona" in text_of(spanish)
    assert "Dentro del rango" in text_of(spanish) and "Editar un puesto" in text_of(spanish)
    assert english["blocks"][0]["text"]["text"] == "Team plan"  # their locale wins over the plan's
    assert french["blocks"][0]["text"]["text"] == "Plan del equipo"  # no French: the plan's
    await interact(rig, click(spanish, "shopcrew_home_edit"))
    modal = await opened_modal(rig, 0)
    assert modal["title"]["text"] == "Editar un puesto"
    _, body = await interact(rig, submission(modal, role_values(modal, "operations", "mil")))
    assert "no es un número de personas válido" in json.loads(body)["errors"]["count_none"]
    assert rig.fake.posted("users.info")[0]["include_locale"] in ("1", "true", "True")
    assert BOT_USER not in rig.fake.homes
