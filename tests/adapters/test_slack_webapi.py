"""Slack's Web API and response URLs failing: timeouts kept, 5xx retried, lost news logged.

The real adapter in HTTP mode against the fake Slack, told to answer HTTP 500 or to hang.
"""

from __future__ import annotations

from pathlib import Path

from tests.adapters.slack_rigs import logged, slack_rig, until
from tests.adapters.test_slack_e2e import mention


async def test_the_shared_session_keeps_the_sdks_timeout(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        session = rig.adapter.client.session
        assert session is not None and session.timeout.total == 30  # not aiohttp's 300


async def test_a_hanging_post_times_out_and_the_unannounced_change_is_logged(
    tmp_path: Path,
) -> None:
    async with slack_rig(tmp_path, slack_api_timeout=1) as rig, logged() as log:
        rig.fake.hang.add("chat.postMessage")
        # With the old 300 s this waits far past the test's bound.
        assert await rig.event(mention("plan add art 1"), "EvHang") == 200
        await until(lambda: any("not announced" in line for line in log.lines))
        assert rig.store.read("slack:T1").roles == {"art": 1}  # saved, only unannounced
        line = next(line for line in log.lines if "not announced" in line)
        assert "slack:T1 by U1: plan add art 1" in line


async def test_a_post_answered_with_http_500_is_tried_again(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        rig.fake.errors["chat.postMessage"] = 2
        assert await rig.event(mention("plan add art 2"), "Ev500") == 200
        await rig.fake.wait_for(lambda: rig.fake.posted())
        methods = [c.method for c in rig.fake.calls if c.method.startswith("chat.")]
        assert methods == ["chat.postMessage:500", "chat.postMessage:500", "chat.postMessage"]
        assert "Art" in rig.fake.posted()[0]["text"]  # the answer, not an apology


async def test_a_post_whose_connection_is_cut_is_tried_again(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        rig.fake.cuts["chat.postMessage"] = 2  # slack_sdk's own default retries only once
        assert await rig.event(mention("what does copywriting do?"), "EvCut") == 200
        await rig.fake.wait_for(lambda: len(rig.fake.posted()) == 3)
        assert rig.fake.cuts["chat.postMessage"] == 0
        assert "Copywriter" in rig.fake.posted()[-1]["text"]  # the answer, not an apology


async def test_a_response_url_answered_with_http_500_is_tried_again(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig:
        rig.fake.errors["respond"] = 2
        assert await rig.command("plan add art 2", key="r500") == 200
        await rig.fake.wait_for(lambda: rig.fake.responses)
        assert [c.method for c in rig.fake.calls].count("respond:500") == 2
        assert rig.fake.responses[0]["response_type"] == "in_channel"
        assert "Art" in rig.fake.responses[0]["text"]


async def test_a_change_whose_announcement_keeps_failing_is_logged(tmp_path: Path) -> None:
    async with slack_rig(tmp_path) as rig, logged() as log:
        rig.fake.errors["respond"] = 100  # more than every retry of the answer and the apology
        assert await rig.command("plan stores 3", user="U7") == 200
        await until(lambda: any("apology after response_url failed" in x for x in log.lines))
        assert rig.store.read("slack:T1").stores == 3
        assert any("slack:T1 by U7: plan stores 3" in line for line in log.lines)
        assert any("HTTP 500" in line for line in log.lines)  # no longer taken for a success
