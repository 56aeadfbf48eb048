"""The org-chart picture on Slack, end to end against the fake: uploaded with ``files_upload_v2``
(an upload URL, the bytes POSTed there, then the completion in the channel or thread), with alt
text, from a mention, the slash command and the button under the plan."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.strings import t
from tests.adapters.slack_rigs import slack_rig
from tests.adapters.test_slack_e2e import Rig, mention

UPLOAD = ("files.getUploadURLExternal", "upload", "files.completeUploadExternal")


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    async with slack_rig(tmp_path) as rig:
        yield rig


def _uploads(rig: Rig) -> list[str]:
    return [c.method for c in rig.fake.calls if c.method in UPLOAD]


async def _completed(rig: Rig, n: int = 1) -> dict[str, Any]:
    """The ``n``-th completed upload's arguments, once Slack was asked to share it."""
    await rig.fake.wait_for(lambda: len(rig.fake.posted("files.completeUploadExternal")) >= n)
    return rig.fake.posted("files.completeUploadExternal")[n - 1]


def _picture(rig: Rig, completed: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """What getUploadURLExternal was told about the shared file, and the bytes sent to its URL."""
    (shared,) = json.loads(completed["files"])
    asked, data = rig.fake.uploads[shared["id"]]
    assert data is not None and int(asked["length"]) == len(data)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size[0] >= 1000
    return asked, data


async def test_a_mention_uploads_the_picture_into_its_thread_in_three_steps(rig: Rig) -> None:
    await rig.event(mention("plan add copywriter 2"), "EvAdd")
    await rig.fake.wait_for(lambda: rig.fake.posted())
    await rig.event(mention("plan chart", ts="100.2"), "EvChart")
    completed = await _completed(rig)
    # Exactly Slack's sequence: an upload URL, the bytes to it, then the completion.
    assert _uploads(rig) == list(UPLOAD)
    assert completed["channel_id"] == "C1" and completed["thread_ts"] == "100.2"
    assert json.loads(completed["files"])[0]["title"] == "Org chart of the team plan"
    asked, _ = _picture(rig, completed)
    assert asked["filename"] == "shopcrew-chart.png"
    assert "Copywriter 2" in asked["alt_txt"] and "Total: 2 people" in asked["alt_txt"]
    # The answer's words came first, in the same thread.
    text = rig.fake.posted()[-1]
    assert text["thread_ts"] == "100.2" and "Org chart of the team plan" in text["text"]


async def test_the_slash_command_and_the_button_post_it_in_the_channel(rig: Rig) -> None:
    await rig.command("plan add art 2", key="add")
    await rig.fake.wait_for(lambda: rig.fake.responses)
    await rig.command("plan organigrama", key="chart")
    completed = await _completed(rig)
    assert completed["channel_id"] == "C1" and not completed.get("thread_ts")
    asked, spanish = _picture(rig, completed)
    assert "Arte 2" in asked["alt_txt"] and "Total: 2 personas" in asked["alt_txt"]
    await rig.fake.wait_for(lambda: len(rig.fake.responses) >= 2)
    words = next(r for r in rig.fake.responses if r["_key"] == "chart")
    assert "Organigrama del plan del equipo" in words["text"]
    # The "Org chart picture" button under a plan draws it too (in English, as it says).
    show = next(r for r in rig.fake.responses if r["_key"] == "add")
    (button,) = [e for b in show["blocks"] if b["type"] == "actions" for e in b["elements"]
                 if e["value"] == "plan:en:chart"]  # fmt: skip
    assert button["text"]["text"] == "Org chart picture"
    await rig.click(button["value"])
    _, english = _picture(rig, await _completed(rig, 2))
    assert english != spanish


async def test_a_channel_slack_refuses_gets_a_private_word_instead(rig: Rig) -> None:
    rig.fake.fail["files.completeUploadExternal"] = "not_in_channel"
    await rig.command("plan add art 2", key="add")
    await rig.fake.wait_for(lambda: rig.fake.responses)
    await rig.command("plan chart", key="chart")
    said = t("en", "chart.not_posted")
    await rig.fake.wait_for(lambda: any(r.get("text") == said for r in rig.fake.responses))
    (told,) = [r for r in rig.fake.responses if r.get("text") == said]
    assert told["response_type"] == "ephemeral"


async def test_an_empty_plan_uploads_nothing(rig: Rig) -> None:
    await rig.command("plan chart", key="empty")
    await rig.fake.wait_for(lambda: rig.fake.responses)
    (answer,) = rig.fake.responses
    assert answer["response_type"] == "ephemeral"
    assert "nothing to draw yet" in json.dumps(answer["blocks"])
    assert await rig.adapter.inflight.idle(10.0)  # the command's work is over…
    assert _uploads(rig) == []  # …and it uploaded nothing
