"""Each Slack request takes effect once, events are answered before they are acknowledged, and
two plan commands do what an admin means: ``public plan lock``, ``plan editors add @everyone``."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from urllib.parse import urlencode

from tests.adapters.slack_rigs import signed, slack_rig
from tests.adapters.test_slack_e2e import Rig, mention


async def replay(rig: Rig, body: str, content_type: str, times: int) -> list[int]:
    """POST the very same signed bytes ``times`` times (as an eavesdropper could)."""
    headers = {"Content-Type": content_type, **signed(body, str(int(time.time())))}
    statuses = []
    for _ in range(times):
        async with rig.session.post(rig.url, data=body.encode(), headers=headers) as resp:
            statuses.append(resp.status)
    return statuses


async def test_a_replayed_slash_command_applies_once(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        form = {"team_id": "T1", "channel_id": "C1", "user_id": "U1", "command": "/shopcrew",
                "text": "plan add art 1", "api_app_id": "A1", "trigger_id": "9.9.9",
                "response_url": rig.fake.response_url("once")}  # fmt: skip
        body = urlencode(form)
        assert await replay(rig, body, "application/x-www-form-urlencoded", 3) == [200] * 3
        await rig.fake.wait_for(lambda: rig.fake.responses)
        assert await rig.adapter.inflight.idle(10)
        assert rig.store.read("slack:T1").roles == {"art": 1}
        assert len(rig.fake.responses) == 1
        # The same command typed again is a new request (new trigger, new bytes): it applies.
        assert await rig.command("plan add art 1", key="again") == 200
        await rig.fake.wait_for(lambda: len(rig.fake.responses) == 2)
        assert rig.store.read("slack:T1").roles == {"art": 2}


async def test_a_replayed_button_click_applies_once(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        payload = {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1", "team_id": "T1"},
                   "api_app_id": "A1", "trigger_id": "9.9.8", "channel": {"id": "C1"},
                   "response_url": rig.fake.response_url("click"),
                   "actions": [{"action_id": "shopcrew_suggest_0", "block_id": "b", "type": "button",
                                "value": "plan:en:add art 1", "action_ts": "1.1",
                                "text": {"type": "plain_text", "text": "Add"}}]}  # fmt: skip
        body = urlencode({"payload": json.dumps(payload)})
        assert await replay(rig, body, "application/x-www-form-urlencoded", 3) == [200] * 3
        await rig.fake.wait_for(lambda: rig.fake.responses)
        assert await rig.adapter.inflight.idle(10)
        assert rig.store.read("slack:T1").roles == {"art": 1}
        assert rig.adapter.retries_dropped == 2


async def test_an_event_is_acknowledged_only_once_answered(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        rig.fake.hang.add("chat.postMessage")
        sent = asyncio.create_task(rig.event(mention("plan add art 1"), "EvAck"))
        await rig.fake.wait_for(lambda: rig.fake.posted("chat.postMessage:hang"))
        # The answer is being posted and Slack has no 200 yet: were the process to die now,
        # Slack would send the event again.
        await asyncio.sleep(0)  # let a response that was already sent arrive
        assert not sent.done()
        sent.cancel()
        # Slack's retry, while the first delivery is still being answered, is not acknowledged
        # either: were the process to die now, Slack would still send the event again.
        retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
        assert await rig.event(mention("plan add art 1"), "EvAck", headers=retry) == 503
        assert rig.adapter.retries_dropped == 0
        assert rig.store.read("slack:T1").roles == {"art": 1}


async def test_slash_commands_are_still_acknowledged_first(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        rig.fake.hang.add("respond")
        # The answer hangs; the acknowledgement does not wait for it.
        status = await asyncio.wait_for(rig.command("plan show", key="slow"), 10)
        assert status == 200
        await rig.fake.wait_for(lambda: rig.fake.posted("respond:hang"))


async def test_public_plan_lock_works_for_an_admin_everywhere(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        assert await rig.event(mention("public plan lock", user="UADMIN"), "EvPub") == 200
        assert rig.store.read("slack:T1").locked
        assert await rig.command("public\tplan unlock", user="UADMIN", key="tab") == 200
        await rig.fake.wait_for(lambda: rig.fake.responses)
        assert not rig.store.read("slack:T1").locked
        assert rig.fake.responses[0]["response_type"] == "in_channel"


async def test_editors_add_everyone_is_refused_with_what_works(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        for i, who in enumerate(["@everyone", "<!everyone>", "<!channel>", "<!here>", "@here"]):
            assert await rig.command(f"plan editors add {who}", user="UADMIN", key=f"e{i}") == 200
            await rig.fake.wait_for(lambda n=i: len(rig.fake.responses) > n)
            text = rig.fake.responses[-1]["text"]
            assert "group" in text and "plan editors add @maria" in text, (who, text)
        assert rig.store.read("slack:T1").editors == []


async def test_events_are_answered_by_the_time_they_are_acknowledged(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        for i in range(3):
            assert await rig.event(mention("hola", ts=f"7.{i}"), f"EvH{i}") == 200
            assert len(rig.fake.posted()) == i + 1
