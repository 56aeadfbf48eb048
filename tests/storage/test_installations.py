"""The Slack installation and OAuth state stores, on SQLite and on PostgreSQL (``database_url``)."""

from __future__ import annotations

import threading

from bot.plans.state import PlanState
from bot.storage import Storage, open_storage
from bot.storage.installations import InstallRecord

DAY = 86_400.0


def _install(team: str | None, enterprise: str | None = None, token: str = "xoxb-1",
             org_wide: bool = False) -> InstallRecord:  # fmt: skip
    return InstallRecord(
        enterprise_id=enterprise, team_id=None if org_wide else team, user_id="UINSTALLER",
        is_enterprise_install=org_wide, installed_at=1000.0,
        data={"bot_token": token, "bot_token_expires_at": None, "bot_scopes": "chat:write"},
    )  # fmt: skip


def _plan(storage: Storage, workspace: str) -> None:
    def add(state: PlanState) -> PlanState:
        state.roles["art"] = 2  # type: ignore[index]
        return state

    storage.plans.change(f"slack:{workspace}", "U1", "plan add art 2", "add", add)


def test_installations_are_found_by_their_own_workspace_and_organisation(storage: Storage) -> None:
    store = storage.installations
    store.save(_install("T1", token="xoxb-t1"))
    store.save(_install("T2", enterprise="E1", token="xoxb-t2"))  # a workspace install in a Grid
    found = store.find(None, "T1")
    assert found is not None and found.data["bot_token"] == "xoxb-t1" and found.workspace == "T1"
    grid = store.find("E1", "T2")
    assert grid is not None and grid.data["bot_token"] == "xoxb-t2"
    assert store.find("E1", "T3") is None and store.find(None, "T9") is None
    assert store.find("E1", None, is_enterprise_install=True) is None  # no org-wide install yet


def test_an_org_wide_install_serves_every_workspace_of_its_organisation(storage: Storage) -> None:
    store = storage.installations
    store.save(_install(None, enterprise="E1", token="xoxb-org", org_wide=True))
    for team in ("T0002", "T0003", None):
        found = store.find("E1", team, is_enterprise_install=True)
        assert found is not None and found.data["bot_token"] == "xoxb-org"
        assert found.workspace == "E1" and found.is_enterprise_install
    assert store.find("E2", "T0002", is_enterprise_install=True) is None


def test_a_reinstall_replaces_the_tokens(storage: Storage) -> None:
    store = storage.installations
    store.save(_install("T1", token="xoxb-old"))
    store.save(_install("T1", token="xoxb-new"))
    found = store.find(None, "T1")
    assert found is not None and found.data["bot_token"] == "xoxb-new"


def test_an_uninstall_deletes_the_tokens_and_starts_the_grace_period(storage: Storage) -> None:
    store = storage.installations
    store.save(_install("T1"))
    store.save(_install("T2", token="xoxb-2"))
    assert store.change(None, "T1", lambda r: None, now=5000.0) is None
    assert store.find(None, "T1") is None and store.departed("T1") == 5000.0
    assert store.find(None, "T2") is not None and store.departed("T2") is None
    assert store.change(None, "T1", lambda r: None, now=6000.0) is None  # nothing left to delete
    assert store.departed("T1") == 5000.0  # the grace period runs from the first departure
    store.save(_install("T1", token="xoxb-again"))
    assert store.departed("T1") is None


def test_a_change_writes_what_the_edit_returns(storage: Storage) -> None:
    store = storage.installations
    store.save(_install("T1", token="xoxb-old"))

    def rotate(record: InstallRecord) -> InstallRecord:
        return record.model_copy(update={"data": {**record.data, "bot_token": "xoxb-rotated"}})

    after = store.change(None, "T1", rotate)
    assert after is not None and after.data["bot_token"] == "xoxb-rotated"
    found = store.find(None, "T1")
    assert found is not None and found.data["bot_token"] == "xoxb-rotated"
    assert store.change(None, "T9", rotate) is None  # no installation, nothing written
    assert store.find(None, "T9") is None


def test_plans_are_kept_for_the_grace_period_then_purged(storage: Storage) -> None:
    store = storage.installations
    for team in ("T1", "T2", "T3"):
        store.save(_install(team, token=f"xoxb-{team}"))
        _plan(storage, team)
    store.change(None, "T1", lambda r: None, now=1000.0)  # uninstalled, never back
    store.change(None, "T2", lambda r: None, now=1000.0)  # uninstalled, then installed again
    store.save(_install("T2", token="xoxb-back"))
    assert store.purge(30 * DAY, now=1000.0 + 29 * DAY) == []
    assert storage.plans.read("slack:T1").roles == {"art": 2}
    assert store.purge(30 * DAY, now=1000.0 + 30 * DAY) == ["T1"]
    assert storage.plans.read("slack:T1") == PlanState() and storage.plans.history("slack:T1") == []
    assert storage.plans.read("slack:T2").roles == {"art": 2}  # reinstalled: kept
    assert storage.plans.read("slack:T3").roles == {"art": 2}  # never left: kept
    assert len(storage.plans.history("slack:T3")) == 1 and store.departed("T1") is None
    assert store.purge(30 * DAY, now=1000.0 + 90 * DAY) == []  # purged once


def test_an_org_wide_uninstall_purges_the_organisations_plan(storage: Storage) -> None:
    store = storage.installations
    store.save(_install(None, enterprise="E1", org_wide=True))
    _plan(storage, "E1")
    store.change("E1", None, lambda r: None, now=0.0)
    assert store.departed("E1") == 0.0
    assert store.purge(0.0, now=1.0) == ["E1"] and storage.plans.read("slack:E1") == PlanState()


def test_states_are_one_time_and_expire(storage: Storage) -> None:
    states = storage.oauth_states
    states.issue("s-good", 600, now=1000.0)
    states.issue("s-late", 600, now=1000.0)
    assert states.consume("s-good", now=1100.0)
    assert not states.consume("s-good", now=1101.0)  # used once already
    assert not states.consume("s-late", now=1601.0)  # expired
    assert not states.consume("s-never", now=1100.0)
    states.issue("s-other", 600, now=2000.0)  # expired states are tidied up meanwhile
    rows = storage.database.query("SELECT state FROM slack_oauth_states ORDER BY state")
    assert [r[0] for r in rows] == ["s-other"]


def test_a_state_issued_by_one_replica_is_consumed_once_by_the_others(database_url: str) -> None:
    replicas = [open_storage(database_url, busy_ms=30_000) for _ in range(3)]
    try:
        replicas[0].oauth_states.issue("s-shared", 600)
        start = threading.Barrier(6)
        results: list[bool] = []

        def consume(i: int) -> None:
            start.wait()
            results.append(replicas[i % 3].oauth_states.consume("s-shared"))

        threads = [threading.Thread(target=consume, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(results) == [False] * 5 + [True]
    finally:
        for s in replicas:
            s.close()
