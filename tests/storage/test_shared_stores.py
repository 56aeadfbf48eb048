"""What replicas share through the database, on SQLite and on PostgreSQL (``database_url``):
claims on deliveries being handled, and conversations."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from bot.conversation_store import Asked, Conversation, SharedConversations, key_text
from bot.core import Bot
from bot.models import Message
from bot.plans.state import PlanState
from bot.requests import SizeTeam
from bot.storage import Storage, open_storage
from bot.storage.events import SEEN_TTL_SECONDS

WS = "slack:T1"
KEY = ("slack", "T1", "U1")


def _add_art(state: PlanState) -> PlanState:
    state.roles["art"] = state.roles.get("art", 0) + 1  # type: ignore[index]
    return state


def test_a_delivery_is_held_by_one_replica_until_handled_or_expired(storage: Storage) -> None:
    events = storage.events
    assert events.claim("slack:Ev1", "a:1", 30, now=1000.0) == "claimed"
    assert events.claim("slack:Ev1", "b:2", 30, now=1010.0) == "held"
    assert events.renew("slack:Ev1", "a:1", 30, now=1020.0)  # a works on: held until 1050
    assert events.claim("slack:Ev1", "b:2", 30, now=1045.0) == "held"
    # a died: once its claim expired, the next retry takes it over, once.
    assert events.claim("slack:Ev1", "b:2", 30, now=1051.0) == "taken_over"
    assert events.claim("slack:Ev1", "c:3", 30, now=1052.0) == "held"
    assert not events.renew("slack:Ev1", "a:1", 30, now=1053.0)  # no longer a's
    assert events.first_time("slack:Ev1", now=1054.0)
    assert events.claim("slack:Ev1", "c:3", 30, now=1200.0) == "done"


def test_a_delivery_recorded_with_its_plan_change_is_never_claimed(storage: Storage) -> None:
    storage.plans.change(WS, "U1", "plan add art", "add", _add_art, delivery="slack:Ev2")
    assert storage.events.claim("slack:Ev2", "a:1", 30) == "done"


def test_a_replica_restarting_releases_only_its_own_claims(storage: Storage) -> None:
    events = storage.events
    events.claim("slack:Ev3", "host:3000", 30)
    events.claim("slack:Ev4", "host:3001", 30)
    assert events.release("host:3000") == 1
    assert events.claim("slack:Ev3", "host:3000", 30) == "claimed"  # Slack's retry, at once
    assert events.claim("slack:Ev4", "host:3000", 30) == "held"


def test_claims_expire_with_the_records(storage: Storage) -> None:
    events = storage.events
    events.claim("slack:Old", "a:1", 30, now=1000.0)
    events._calls = 0  # the next record expires old rows
    events.first_time("slack:New", now=1030.0 + SEEN_TTL_SECONDS + 1)
    assert storage.database.query("SELECT key FROM claims") == []


def test_one_of_many_replicas_claiming_a_delivery_at_once_gets_it(database_url: str) -> None:
    opened = [open_storage(database_url, busy_ms=60_000) for _ in range(6)]
    start = threading.Barrier(6)
    got: list[str] = []

    def replica(i: int) -> None:
        start.wait()
        got.append(opened[i].events.claim("slack:EvRace", f"host:{i}", 30))

    threads = [threading.Thread(target=replica, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert sorted(got) == ["claimed"] + ["held"] * 5
    finally:
        for s in opened:
            s.close()


def test_a_change_whose_delivery_was_recorded_is_not_applied_again(storage: Storage) -> None:
    # A replica that took over a claim its holder was still using must not apply it twice.
    plans = storage.plans
    plans.change(WS, "U1", "plan add art", "add", _add_art, delivery="slack:Ev5")
    before, after = plans.change(WS, "U1", "plan add art", "add", _add_art, delivery="slack:Ev5")
    assert before == after and plans.read(WS).roles == {"art": 1}
    assert plans.undo(WS, "U1", lambda entry, plan: None, delivery="slack:Ev5") is None
    assert len(plans.history(WS)) == 1


def _sizing(bot: Bot, text: str) -> SizeTeam:
    request = bot.parse(Message(text=text, platform="slack", workspace="T1", user="U1"))
    assert isinstance(request, SizeTeam)
    return request


def test_a_conversation_written_by_one_replica_is_read_by_another(database_url: str) -> None:
    one, two = open_storage(database_url), open_storage(database_url)
    try:
        sizing = _sizing(Bot(), "how many people for 2 tmall stores with 300 orders a day?")
        kept = Conversation(3, "es", Asked(sizing.context, 1000.5, 2), sizing)
        one.conversations.save(KEY, kept)
        read = two.conversations.load(KEY)
        assert read is not None and read.asked == kept.asked and read.turn == 3
        assert read.lang == "es" and read.explainable is not None
        assert read.explainable == replace(sizing, origin=read.explainable.origin)
        # Figures the user gave stay told apart from assumed ones.
        assert read.explainable.input.model_fields_set == sizing.input.model_fields_set
        one.conversations.save(KEY, Conversation(4, "en"))  # the latest write wins
        again = two.conversations.load(KEY)
        assert again is not None and (again.turn, again.lang, again.asked) == (4, "en", None)
        assert two.conversations.load(("slack", "T1", "U2")) is None
    finally:
        one.close()
        two.close()


def test_conversations_are_purged_when_idle_or_too_many(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.conversation_store as cs

    monkeypatch.setattr(cs, "MAX_ROWS", 3)
    store = storage.conversations
    with storage.database.transaction() as tx:  # written a day and more ago
        tx.execute(
            "INSERT INTO conversations (key, state, updated_at) VALUES (?, '{}', ?)",
            [key_text(("slack", "T1", "old")), time.time() - cs.KEEP_SECONDS - 1],
        )
    for n in range(5):
        store.save(("slack", "T1", f"U{n}"), Conversation(n))
    store._writes = 0  # the next write purges
    store.save(("slack", "T1", "U5"), Conversation(5))
    rows = storage.database.query("SELECT key FROM conversations ORDER BY updated_at")
    assert [r[0] for r in rows] == [key_text(("slack", "T1", f"U{n}")) for n in (3, 4, 5)]


def test_a_damaged_conversation_row_reads_as_none(storage: Storage) -> None:
    with storage.database.transaction() as tx:
        tx.execute(
            "INSERT INTO conversations (key, state, updated_at) VALUES (?, ?, 0)",
            [key_text(KEY), '{"turn": "many"}'],
        )
    assert storage.conversations.load(KEY) is None
    assert isinstance(storage.conversations, SharedConversations)
