"""Three ``shopcrew slack --http`` replicas on one PostgreSQL schema behind a round-robin proxy:
Slack's retries of an event reach other replicas than its first delivery, sometimes while it is
still being answered, and it is answered once; a replica killed mid-burst loses nothing that was
committed and its events are answered by the others; concurrent writers lose no update; a
follow-up reaching another replica than its question is answered with the question's context.
(Skipped, with the reason, without ``SHOPCREW_TEST_POSTGRES_URL``.)"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.adapters.slack_rigs import until
from tests.chaos.replicas import Cluster, Event, Relay, cluster, log_text, plan_counts

pytestmark = pytest.mark.asyncio(loop_scope="module")
_teams = itertools.count(1)
DEFERRED = 'shopcrew_slack_claims_total{outcome="deferred"}'
TAKEN_OVER = 'shopcrew_slack_claims_total{outcome="taken_over"}'


def new_team() -> str:
    """A workspace of the test's own: its plan and conversations start empty."""
    return f"TR{next(_teams)}"


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    from tests.pg import fresh_schema

    with fresh_schema() as url:
        yield url


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def three(database: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Cluster]:
    """Three replicas for the tests that kill none (each test uses workspaces of its own)."""
    async with cluster(database, tmp_path_factory.mktemp("replicas")) as running:
        yield running


async def test_a_retry_reaching_another_replica_mid_answer_is_deferred_then_dropped(
    three: Cluster,
) -> None:
    team = new_team()
    event = three.event("plan add art 1", team, user="UHELD")  # a user no replica looked up
    three.fake.hang.add("users.info")  # replica 0 stops half-way, holding the event
    first = asyncio.create_task(three.post(event.body, replica=0))
    await three.fake.wait_for(lambda: three.fake.posted("users.info:hang"), timeout=20)
    # Slack's retry reaches replica 1 while replica 0 answers: not answered there, and not
    # acknowledged either (Slack asks again later).
    assert await three.post(event.body, replica=1, retry=1) == (503, 1)
    three.fake.release()
    assert (await first)[0] == 200
    # The next retry, on replica 2, finds it answered.
    assert await three.post(event.body, replica=2, retry=2) == (200, 2)
    await three.fake.wait_for(lambda: three.answers(event.ts) == 1)
    assert plan_counts(three.database, f"slack:{team}") == ({"art": 1}, 1)
    assert await three.metric(1, DEFERRED) == 1
    assert await three.metric(2, "shopcrew_slack_retries_dropped_total") == 1


async def _deliver(three: Cluster, event: Event, k: int) -> None:
    """Event ``k`` of a burst: its first delivery through the proxy and its retries on other
    replicas, every third one at the same time as the first delivery; then as Slack would,
    again until one delivery got 200."""
    if k % 3 == 0:
        # Two retries on two replicas, so at least one is not the first delivery's.
        sent = await asyncio.gather(
            three.post(event.body),
            three.post(event.body, replica=k // 3 % 3, retry=1),
            three.post(event.body, replica=(k // 3 + 1) % 3, retry=2),
        )
        event.retries = 2
        event.statuses += [status for status, _ in sent]
    else:
        status, replica = await three.post(event.body)
        event.statuses.append(status)
        other = ((replica or 0) + 1) % 3
        # A retry Slack sent before it heard the 200 lands on the next replica.
        event.statuses.append((await three.post(event.body, replica=other, retry=1))[0])
        event.retries = 1
    if not event.acknowledged:
        await three.until_acknowledged(event)


async def _not_handled(three: Cluster) -> float:
    """Copies of deliveries the replicas did not handle: dropped (200) or deferred (503)."""
    counted = 0.0
    for i in range(len(three.replicas)):
        counted += await three.metric(i, "shopcrew_slack_retries_dropped_total")
        counted += await three.metric(i, DEFERRED)
    return counted


async def test_a_burst_with_retries_on_other_replicas_is_answered_exactly_once(
    three: Cluster,
) -> None:
    team = new_team()
    texts = [
        "what does copywriting do?", "plan add art 1", "¿qué hace el ancla?",
        "how many people for 2 stores?", "plan add copy 1", "who writes the titles?",
    ]  # fmt: skip
    events = [three.event(texts[k % len(texts)], team, user=f"U{k % 4}") for k in range(36)]
    limit = asyncio.Semaphore(6)
    before = await _not_handled(three)

    async def one(k: int) -> None:
        async with limit:
            await _deliver(three, events[k], k)

    await asyncio.wait_for(asyncio.gather(*(one(k) for k in range(len(events)))), 120)
    await three.fake.wait_for(lambda: all(three.answers(e.ts) for e in events), timeout=30)
    answered = {e.ts: three.answers(e.ts) for e in events}
    assert set(answered.values()) == {1}, (answered, log_text(three.replicas))
    assert plan_counts(three.database, f"slack:{team}") == ({"art": 6, "copywriter": 6}, 12)
    # Every other copy was either dropped as answered, or deferred (503) while it was being
    # answered, here or on another replica; none was taken over (no replica died).
    copies = sum(len(e.statuses) for e in events) - len(events)
    assert await _not_handled(three) - before == copies
    assert all(s in (200, 503) for e in events for s in e.statuses)


async def test_twenty_concurrent_writers_through_the_proxy_add_exactly_twenty(
    three: Cluster,
) -> None:
    team = new_team()
    workspace = f"slack:{team}"
    seed = three.command("plan add art 5", team, key=f"{team}-seed")
    assert (await three.post(seed, form=True))[0] == 200
    await three.fake.wait_for(lambda: _responses(three, team) == 1, timeout=20)
    commands = [
        three.command("plan add art 1", team, key=f"{team}-{i}", user=f"U{i}") for i in range(20)
    ]
    sent = await asyncio.gather(*(three.post(c, form=True) for c in commands))
    assert [s for s, _ in sent] == [200] * 20
    assert {r for _, r in sent} == {0, 1, 2}  # every replica wrote
    await three.fake.wait_for(lambda: _responses(three, team) == 21, timeout=60)
    assert plan_counts(three.database, workspace) == ({"art": 25}, 21)


def _responses(three: Cluster, team: str) -> int:
    return sum(1 for r in three.fake.responses if str(r.get("_key", "")).startswith(f"{team}-"))


async def test_a_follow_up_on_another_replica_is_answered_with_its_question(
    three: Cluster,
) -> None:
    team = new_team()
    question = three.event("how many people for 2 stores?", team, user="UASK")
    assert await three.post(question.body, replica=0) == (200, 0)
    follow_up = three.event("and with live streaming?", team, user="UASK")
    assert await three.post(follow_up.body, replica=1) == (200, 1)
    why = three.event("why?", team, user="UASK")
    assert await three.post(why.body, replica=2) == (200, 2)
    await three.fake.wait_for(lambda: three.answers(why.ts) == 1, timeout=20)
    assert three.thread_text(follow_up.ts).startswith("Team for 2 stores (new) + live streaming")
    # "why?", on a third replica, explains the answer just before it.
    assert three.thread_text(why.ts).startswith("Why: Team for 2 stores (new) + live streaming")


async def test_a_replica_killed_mid_burst_loses_nothing_committed(
    database: str, tmp_path: Path
) -> None:
    team = new_team()
    # Claims expire after 3 s: the killed replica's events are taken over soon.
    async with cluster(database, tmp_path, claim_seconds=3) as three:
        # Each replica has looked up U1 (its admin lookups are its own, for ten minutes): the
        # burst's changes by U1 do not stop where the held one does.
        for i in range(3):
            warm = three.event("plan add copy 1", team)
            assert await three.post(warm.body, replica=i) == (200, i)
        held = three.event("plan add hr 1", team, user="UKILL")
        three.fake.hang.add("users.info")
        first = asyncio.create_task(three.post(held.body, replica=0))
        await three.fake.wait_for(lambda: three.fake.posted("users.info:hang"), timeout=20)
        texts = ["plan add art 1", "what does copywriting do?"]
        events = [three.event(texts[k % 2], team) for k in range(40)]
        limit = asyncio.Semaphore(6)

        async def one(k: int) -> None:
            async with limit:
                if k == 12:  # mid-burst, with replica 0 holding ``held`` and more in flight
                    three.replicas[0].proc.kill()
                    three.fake.release()
                event = events[k]
                if k % 2 == 0:  # a change: a retry on a replica of its own at the same time
                    sent = await asyncio.gather(
                        three.post(event.body), three.post(event.body, k // 2 % 3, retry=1)
                    )
                    event.statuses += [status for status, _ in sent]
                    event.retries = 1
                if not event.acknowledged:
                    await three.until_acknowledged(event)

        await asyncio.wait_for(asyncio.gather(*(one(k) for k in range(len(events)))), 120)
        assert (await first)[0] == 0  # killed: Slack got no 200, so it retries
        await three.until_acknowledged(held)  # answered by another replica once the claim expired
        await three.fake.wait_for(lambda: three.answers(held.ts) == 1, timeout=30)
        taken_over = [await three.metric(i, TAKEN_OVER) for i in (1, 2)]
        assert sum(taken_over) >= 1, log_text(three.replicas)
        questions, changes = events[1::2], events[0::2]
        await three.fake.wait_for(lambda: all(three.answers(e.ts) for e in questions), timeout=30)
        # Every change that got its 200 is in the plan, once; each question got its answer
        # (one whose answer the killed replica had posted but not recorded gets it twice:
        # a post to Slack cannot share a transaction with the database).
        roles = {"copywriter": 3, "art": 20, "hr": 1}
        assert plan_counts(database, f"slack:{team}") == (roles, 24)
        assert all(three.answers(e.ts) <= 1 for e in changes)
        assert all(1 <= three.answers(e.ts) <= 2 for e in questions)


async def test_two_processes_on_one_sqlite_file_share_a_conversation(tmp_path: Path) -> None:
    async with cluster(f"sqlite:///{tmp_path / 'shared.db'}", tmp_path, count=2) as two:
        team = new_team()
        question = two.event("¿cuántas personas para 3 tiendas?", team, user="UASK")
        assert await two.post(question.body, replica=0) == (200, 0)
        follow_up = two.event("¿y con transmisiones en vivo?", team, user="UASK")
        assert await two.post(follow_up.body, replica=1) == (200, 1)
        await two.fake.wait_for(lambda: two.answers(follow_up.ts) == 1, timeout=20)
        shown = two.thread_text(follow_up.ts)
        assert shown.startswith("Equipo para 3 tiendas (etapa nueva) + transmisiones en vivo")


async def test_readyz_says_when_the_database_server_is_down(database: str, tmp_path: Path) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(database)
    relay = Relay((parts.hostname or "127.0.0.1", parts.port or 5432))
    await relay.start()
    try:
        async with cluster(relay.via(database), tmp_path, count=1) as one:
            readyz = f"{one.replicas[0].base}/readyz"
            await relay.cut()
            _, body = await _until_status(one, readyz, 503)
            assert body["checks"] == {"database": False, "slack": True}
            # Probed again (the pool has no connection left to try): still down, and said so.
            await _until_status(one, readyz, 503)
            down = "not ready: database unreachable: the database server cannot be reached: "
            await until(lambda: down + "connection failed" in log_text(one.replicas))
            assert "not ready: database busy" not in log_text(one.replicas)
            await relay.start()  # the server is back: the pool connects again
            await _until_status(one, readyz, 200)
    finally:
        await relay.cut()


async def _until_status(one: Cluster, url: str, wanted: int) -> tuple[int, Any]:
    """Poll ``url`` until it answers ``wanted`` (bounded)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while True:
        async with one.http.get(url) as r:
            if r.status == wanted:
                return r.status, await r.json()
        if loop.time() > deadline:
            raise AssertionError(f"{url} never answered {wanted}: {log_text(one.replicas)}")
        await asyncio.sleep(0.1)  # polling, bounded by the deadline
