"""Slack OAuth distribution end to end: the real adapter (Bolt's OAuth flow over ShopCrew's
database, either engine) against the fake Slack, with signed requests and a browser's visits."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.slack.oauth import SCOPES
from bot.plans.state import PlanState
from tests.adapters.fake_slack import FakeSlack
from tests.adapters.fake_slack_oauth import CLIENT_ID, Grant
from tests.adapters.slack_oauth_rig import (
    OAuthRig,
    link_of,
    mention,
    oauth_rig,
    post_signed,
    state_of,
)
from tests.adapters.slack_rigs import logged, slack_rig

T1, T2 = Grant(team="T1"), Grant(team="T2")


def _tokens(rig: OAuthRig, method: str, channel: str | None = None) -> set[str]:
    """The bearer tokens the fake saw on ``method`` (to ``channel``)."""
    return {c.token for c in rig.fake.calls
            if c.method == method and (channel is None or c.args.get("channel") == channel)}  # fmt: skip


async def _install_both(rig: OAuthRig) -> None:
    assert (await rig.browser.install(T1))[0] == 200
    assert (await rig.browser.install(T2, lang="es-MX,es;q=0.9"))[0] == 200


async def test_two_workspaces_install_and_each_is_answered_with_its_own_token(
    database_url: str,
) -> None:
    async with oauth_rig(database_url) as rig:
        page, _ = await rig.browser.install_page()
        link = link_of(page)
        assert link["client_id"] == CLIENT_ID and link["user_scope"] == ""
        assert tuple(link["scope"].split(",")) == SCOPES and "Add to Slack" in page
        status, done = await rig.browser.install(T1)
        assert status == 200 and "ShopCrew is installed" in done
        status, done = await rig.browser.install(T2, lang="es-MX,es;q=0.9")
        assert status == 200 and "ShopCrew está instalado" in done
        assert len(rig.fake.posted("oauth.v2.access")) == 2  # each code exchanged at the fake
        one, two = rig.fake.oauth.token_of("T1"), rig.fake.oauth.token_of("T2")
        assert one != two

        assert await rig.event(T1, mention(T1, "plan add art 2", "C-T1"), "Ev1") == 200
        assert await rig.event(T2, mention(T2, "plan add copywriter 1", "C-T2"), "Ev2") == 200
        assert await rig.command(T2, "plan lock", "UADMIN", "lock2") == 200  # asks users.info
        await rig.fake.wait_for(lambda: len(rig.fake.posted()) == 2 and rig.fake.responses)
        assert _tokens(rig, "chat.postMessage", "C-T1") == {one}
        assert _tokens(rig, "chat.postMessage", "C-T2") == {two}
        assert _tokens(rig, "users.info") == {one, two}  # each asks its own workspace
        assert _tokens(rig, "auth.test") == {one, two}  # Bolt authorizes with each one's token
        assert rig.storage.plans.read("slack:T1").roles == {"art": 2}
        assert rig.storage.plans.read("slack:T2").roles == {"copywriter": 1}
        assert rig.storage.plans.read("slack:T2").locked  # the admin's rights were T2's own


async def test_an_invalid_expired_or_reused_state_is_refused(tmp_path: Path) -> None:
    async with oauth_rig(tmp_path / "s.db") as rig:
        browser = rig.browser
        page, cookie = await browser.install_page()
        state = state_of(page)
        code = rig.fake.oauth.grant(T1)
        # No state cookie: another browser (or a forged link).
        status, text = await browser.back_from_slack({"code": code, "state": state}, None)
        assert status == 400 and "expired or was already used" in text
        # A state this app never issued, even with a matching cookie.
        status, _ = await browser.back_from_slack({"code": code, "state": "forged"}, "forged")
        assert status == 401
        # A state past its expiry.
        rig.storage.oauth_states.issue("old", 600, now=time.time() - 601)
        status, text = await browser.back_from_slack({"code": code, "state": "old"}, "old", "es")
        assert status == 401 and "venció o ya se usó" in text
        assert rig.fake.posted("oauth.v2.access") == []  # no code was exchanged for any of them
        assert rig.storage.installations.find(None, "T1") is None
        # The real one works once; the same return again is refused.
        assert (await browser.back_from_slack({"code": code, "state": state}, cookie))[0] == 200
        again = rig.fake.oauth.grant(T1)
        status, _ = await browser.back_from_slack({"code": again, "state": state}, cookie)
        assert status == 401 and len(rig.fake.posted("oauth.v2.access")) == 1


async def test_an_install_whose_code_exchange_fails_on_the_network_is_refused_politely(
    tmp_path: Path,
) -> None:
    async with oauth_rig(tmp_path / "x.db") as rig, logged() as lines:
        rig.fake.drop.add("oauth.v2.access")
        status, page = await rig.browser.install(T1, lang="es")
        assert status == 401 and "Slack no confirmó la instalación" in page
        assert rig.storage.installations.find(None, "T1") is None
    assert any("could not reach oauth.v2.access" in x for x in lines.lines)


async def test_an_uninstall_deletes_the_tokens_at_once_and_a_reinstall_finds_the_plan(
    database_url: str,
) -> None:
    async with oauth_rig(database_url) as rig:
        await _install_both(rig)
        await rig.event(T1, mention(T1, "plan add art 2", "C-T1"), "Ev1")
        await rig.fake.wait_for(lambda: rig.fake.posted())
        rig.fake.oauth.revoke("T1")  # Slack revokes the tokens, then tells the app
        uninstalled = {"type": "app_uninstalled"}
        assert await rig.event(T1, uninstalled, "EvGone") == 200
        assert rig.storage.installations.find(None, "T1") is None  # at once
        assert rig.storage.installations.departed("T1") is not None
        assert rig.storage.plans.read("slack:T1").roles == {"art": 2}  # kept for the grace period

        posted = len(rig.fake.posted())
        async with logged() as ours, logged("slack_bolt") as bolts:
            # Events are answered before they are acknowledged: the 200 means it is over.
            assert await rig.event(T1, mention(T1, "plan show", "C-T1", "2.1"), "EvLate") == 200
        assert len(rig.fake.posted()) == posted  # no reply
        assert [line for line in ours.lines if "no installation" in line] == [
            "a Slack request from T1, which has no installation (uninstalled, or never "
            "installed): not answered"
        ]
        assert bolts.lines == [] and not any("Traceback" in line for line in ours.lines)

        await rig.event(T2, mention(T2, "plan show", "C-T2", "3.1"), "EvOther")
        await rig.fake.wait_for(lambda: len(rig.fake.posted()) == posted + 1)
        assert _tokens(rig, "chat.postMessage", "C-T2") == {rig.fake.oauth.token_of("T2")}

        assert (await rig.browser.install(T1))[0] == 200  # back within the grace period
        assert rig.storage.installations.departed("T1") is None
        await rig.event(T1, mention(T1, "plan show", "C-T1", "4.1"), "EvBack")
        await rig.fake.wait_for(lambda: len(rig.fake.posted()) == posted + 2)
        back = rig.fake.posted()[-1]
        assert back["channel"] == "C-T1" and "Art" in back["text"]  # the plan was still there
        last = next(c for c in reversed(rig.fake.calls) if c.method == "chat.postMessage")
        assert last.token == rig.fake.oauth.token_of("T1") == rig.fake.oauth.issued["T1"][-1]
        assert len(rig.fake.oauth.issued["T1"]) == 2  # a new token, not the revoked one


async def test_a_revoked_bot_token_is_deleted_at_once(tmp_path: Path) -> None:
    async with oauth_rig(tmp_path / "r.db") as rig:
        await _install_both(rig)
        revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [T2.bot_user]}}
        assert await rig.event(T2, revoked, "EvRevoked") == 200
        assert rig.storage.installations.find(None, "T2") is None
        assert rig.storage.installations.find(None, "T1") is not None


async def test_after_the_grace_period_the_plan_is_purged_at_start_up(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    fake = FakeSlack()
    await fake.start()
    try:
        async with oauth_rig(db, fake) as rig:
            await _install_both(rig)
            for grant, channel in ((T1, "C-T1"), (T2, "C-T2")):
                await rig.event(grant, mention(grant, "plan add art 2", channel), f"E{channel}")
            await fake.wait_for(lambda: len(fake.posted()) == 2)
            await rig.event(T1, {"type": "app_uninstalled"}, "EvGone")
        async with oauth_rig(db, fake, slack_uninstall_grace_days=30) as rig:
            assert rig.storage.plans.read("slack:T1").roles == {"art": 2}  # within the period
        async with logged() as lines, oauth_rig(db, fake, slack_uninstall_grace_days=0) as rig:
            assert rig.storage.plans.read("slack:T1") == PlanState()
            assert rig.storage.plans.history("slack:T1") == []
            assert rig.storage.plans.read("slack:T2").roles == {"art": 2}
        assert any("purged the plan and history of Slack workspace T1" in x for x in lines.lines)
    finally:
        await fake.stop()


async def test_an_org_wide_grid_install_answers_every_workspace_of_the_organisation(
    tmp_path: Path,
) -> None:
    grid = Grant(team=None, enterprise="E1", org_wide=True, bot_user="UBOTE")
    async with oauth_rig(tmp_path / "e.db") as rig:
        assert (await rig.browser.install(grid))[0] == 200
        found = rig.storage.installations.find("E1", "T0002", is_enterprise_install=True)
        assert found is not None and found.workspace == "E1"
        token = rig.fake.oauth.token_of("E1")
        written_in = mention(grid, "plan add art 1", "C-EU") | {"team": "T0002"}
        assert await rig.event(grid, written_in, "EvGrid1") == 200
        await rig.fake.wait_for(lambda: rig.fake.posted())
        assert await rig.command(grid, "plan lock", "UADMIN", "g2", team="T0003") == 200
        await rig.fake.wait_for(lambda: rig.fake.responses)
        assert _tokens(rig, "chat.postMessage") == {token} and _tokens(rig, "users.info") == {token}
        plan = rig.storage.plans.read("slack:E1")  # one plan for the whole organisation
        assert plan.roles == {"art": 1} and plan.locked
        # Said of the organisation, from one of its workspaces (no authorizations listed).
        gone = {"token": "t", "team_id": "T0002", "enterprise_id": "E1", "api_app_id": "A0SHOP",
                "is_enterprise_install": True, "type": "event_callback", "event_id": "EvGone",
                "event_time": int(time.time()), "event": {"type": "app_uninstalled"}}  # fmt: skip
        assert await post_signed(rig.session, f"{rig.base}/slack/events", json.dumps(gone)) == 200
        assert rig.storage.installations.find("E1", "T0002", is_enterprise_install=True) is None
        assert rig.storage.installations.departed("E1") is not None


async def test_an_expiring_token_is_renewed_before_the_answer(tmp_path: Path) -> None:
    rotating = Grant(team="T1", rotate=True, expires_in=3600)  # expires within the 2-hour window
    async with oauth_rig(tmp_path / "t.db") as rig:
        await rig.browser.install(rotating)
        first = rig.fake.oauth.token_of("T1")
        assert await rig.event(rotating, mention(rotating, "hola", "C-T1"), "EvRot") == 200
        await rig.fake.wait_for(lambda: rig.fake.posted())
        renewed = rig.fake.oauth.token_of("T1")
        assert renewed != first
        refreshes = [c for c in rig.fake.calls
                     if c.method == "oauth.v2.access" and c.args.get("grant_type")]  # fmt: skip
        assert len(refreshes) == 1 and refreshes[0].args["grant_type"] == "refresh_token"
        assert _tokens(rig, "chat.postMessage") == {renewed}
        stored = rig.storage.installations.find(None, "T1")
        assert stored is not None and stored.data["bot_token"] == renewed


async def test_a_renewal_that_fails_on_the_way_answers_with_the_current_token(
    tmp_path: Path,
) -> None:
    rotating = Grant(team="T1", rotate=True, expires_in=3600)
    async with oauth_rig(tmp_path / "n.db") as rig:
        await rig.browser.install(rotating)
        first = rig.fake.oauth.token_of("T1")
        rig.fake.drop.add("oauth.v2.access")  # Slack unreachable for the renewal
        async with logged() as lines:
            assert await rig.event(rotating, mention(rotating, "hola", "C-T1"), "EvNet") == 200
        assert _tokens(rig, "chat.postMessage") == {first}  # still valid: answered anyway
        assert any("could not renew the Slack token of T1" in x for x in lines.lines)
        rig.fake.drop.clear()
        assert await rig.event(rotating, mention(rotating, "hola", "C-T1", "2.2"), "EvNet2") == 200
        renewed = rig.fake.oauth.token_of("T1")
        assert renewed != first and _tokens(rig, "chat.postMessage") == {first, renewed}


@pytest.fixture(autouse=True)
def _info_lines() -> Iterator[None]:
    """ShopCrew's INFO lines reach ``logged`` (the root logger's level is WARNING in tests)."""
    logger = logging.getLogger("shopcrew.slack")
    level = logger.level
    logger.setLevel(logging.INFO)
    yield
    logger.setLevel(level)


async def test_with_one_bot_token_an_uninstall_is_acknowledged_and_said_once(
    tmp_path: Path,
) -> None:
    async with slack_rig(tmp_path) as rig, logged() as lines:
        assert await rig.event({"type": "app_uninstalled"}, "EvBye") == 200  # Slack won't retry
    said = [x for x in lines.lines if "removed from T1 (app_uninstalled)" in x]
    assert len(said) == 1 and "SLACK_BOT_TOKEN no longer works" in said[0]
