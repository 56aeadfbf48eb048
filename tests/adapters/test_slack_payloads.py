"""Real Slack payload shapes (fixtures written from Slack's documented fields), sent signed to
the running adapter: edits and system messages are not answered again, the plan belongs to the
installation, and a guest from another organisation never changes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.strings import t
from tests.adapters.slack_rigs import fixture, slack_rig
from tests.adapters.test_slack_e2e import Rig


async def send(rig: Rig, body: dict[str, Any]) -> int:
    """POST a fixture body, signed."""
    return await rig.post(json.dumps(body))


async def answered_after(rig: Rig, name: str) -> list[dict[str, Any]]:
    """Send the fixture, then a mention in another channel; the posts made for the fixture
    (none if it was ignored). Waiting for the mention's answer bounds the wait."""
    assert await send(rig, fixture(name)) == 200
    marker = fixture("app_mention.json")
    marker["event"]["channel"] = "CMARK"
    await send(rig, marker)
    await rig.fake.wait_for(lambda: any(p["channel"] == "CMARK" for p in rig.fake.posted()))
    posts = rig.fake.posted()
    return posts[: next(i for i, p in enumerate(posts) if p["channel"] == "CMARK")]


@pytest.mark.parametrize(
    "name",
    ["app_mention_edited.json", "message_im_edited.json", "message_changed_im.json",
     "app_mention_thread_broadcast_edited.json", "message_replied_im.json",
     "message_deleted_im.json", "bot_message_im.json", "me_message_im.json",
     "channel_join.json"],
)  # fmt: skip
async def test_edits_hidden_and_system_messages_are_not_answered(tmp_path: Path, name: str) -> None:
    async with slack_rig(tmp_path) as rig:
        assert await answered_after(rig, name) == []
        assert rig.store.read("slack:T0001").roles == {}  # the edited "plan add" did not run


async def test_a_thread_broadcast_mention_is_answered_once(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        posts = await answered_after(rig, "app_mention_thread_broadcast.json")
        assert len(posts) == 1 and posts[0]["thread_ts"] == "1700000090.000100"


async def test_a_file_without_words_is_not_called_empty(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        assert await send(rig, fixture("file_share_im.json")) == 200
        await rig.fake.wait_for(lambda: rig.fake.posted())
        text = rig.fake.posted()[0]["text"]
        assert t("en", "files.title") in text and t("en", "empty.title") not in text
        assert await send(rig, fixture("file_share_im_with_text.json")) == 200
        await rig.fake.wait_for(lambda: len(rig.fake.posted()) == 2)
        assert "Copywriter" in rig.fake.posted()[1]["text"]  # words with a file: answered


async def test_slack_connect_changes_the_installations_plan_not_the_outer_team(
    tmp_path: Path,
) -> None:
    async with slack_rig(tmp_path) as rig:
        assert await send(rig, fixture("connect_mention_host.json")) == 200
        await rig.fake.wait_for(lambda: rig.fake.posted())
        assert rig.store.read("slack:T0001").roles == {"copywriter": 2}
        assert rig.store.read("slack:T0OTHER").roles == {}


@pytest.mark.parametrize(
    ("name", "key"),
    [("grid_org_install_mention.json", "slack:E0001"),
     ("grid_workspace_install_mention.json", "slack:T0001")],
)  # fmt: skip
async def test_enterprise_grid_plans_are_keyed_by_installation(
    tmp_path: Path, name: str, key: str
) -> None:
    async with slack_rig(tmp_path) as rig:
        assert await send(rig, fixture(name)) == 200
        await rig.fake.wait_for(lambda: rig.fake.posted())
        assert rig.store.read(key).roles == {"art": 1}
        assert rig.store.read("slack:T0002").roles == {}  # not the workspace of the message


async def test_an_org_wide_slash_command_reads_the_organisations_plan(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        rig.store.change("slack:E0001", "W1", "plan add art 4", "add", _with_art)
        body = fixture("slash_command_grid_org.json")
        body["response_url"] = rig.fake.response_url("org")
        assert await rig.post(urlencode(body), "application/x-www-form-urlencoded") == 200
        await rig.fake.wait_for(lambda: rig.fake.responses)
        assert "Art" in rig.fake.responses[0]["text"]


def _with_art(state: Any) -> Any:
    state.roles = {"art": 4}
    return state


async def test_a_guest_from_another_organisation_may_ask_but_not_unlock(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        rig.fake.admins.add("U0GUEST")  # an admin in their own organisation
        rig.fake.teams["U0GUEST"] = "T0OTHER"
        rig.store.change("slack:T0001", "UADMIN", "plan lock", "lock", _locked)
        assert await send(rig, fixture("connect_mention_guest.json")) == 200
        await rig.fake.wait_for(lambda: rig.fake.posted())
        refusal = rig.fake.posted()[0]["text"]
        assert t("en", "plan.external.refused") in refusal
        assert rig.store.read("slack:T0001").locked
        assert await send(rig, fixture("connect_mention_guest_question.json")) == 200
        await rig.fake.wait_for(lambda: len(rig.fake.posted()) == 2)
        assert "Copywriter" in rig.fake.posted()[1]["text"]


def _locked(state: Any) -> Any:
    state.locked = True
    return state


async def test_a_guest_known_only_to_users_info_may_not_change_the_plan(tmp_path: Path) -> None:
    # No team in the event: users.info (asked before any change) says where the user is from.
    async with slack_rig(tmp_path) as rig:
        rig.fake.teams["UEXT"] = "TOTHER"
        event = {"type": "app_mention", "user": "UEXT", "text": "<@UBOT> añade 2 diseñadores al plan",
                 "ts": "1.1", "channel": "C1", "event_ts": "1.1"}  # fmt: skip
        assert await rig.event(event, "EvExt") == 200
        await rig.fake.wait_for(lambda: rig.fake.posted())
        assert t("es", "plan.external.refused") in rig.fake.posted()[0]["text"]  # their language
        assert rig.store.read("slack:T1").roles == {}


async def test_a_guests_click_on_a_plan_button_changes_nothing(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        rig.store.change("slack:T0001", "U1", "plan add art 1", "add", _with_art)
        body = fixture("block_actions_guest.json")
        body["response_url"] = rig.fake.response_url("guest")
        payload = urlencode({"payload": json.dumps(body)})
        assert await rig.post(payload, "application/x-www-form-urlencoded") == 200
        await rig.fake.wait_for(lambda: rig.fake.responses)
        assert t("en", "plan.external.refused") in rig.fake.responses[0]["text"]
        assert rig.store.read("slack:T0001").roles == {"art": 4}
