"""The surfaces a conversation is played on: the core directly, the console chat, and the real
Slack and Discord adapters against their fakes on 127.0.0.1 (signed requests, the gateway).

Each conversation gets a workspace of its own (a Slack team, a Discord server or DM), so its
plan and its conversation memory start empty while the fake servers start once per module.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from adapters.console import chat
from bot.core import Bot
from bot.models import Message
from bot.plans.service import PlanService
from bot.plans.state import PlanState
from bot.plans.store import PlanStore
from bot.render import to_text
from bot.storage import open_storage
from tests.adapters import test_discord_e2e as discord_e2e
from tests.adapters import test_slack_e2e as slack_e2e
from tests.conversations.checks import Seen, visible
from tests.conversations.runner import Clock, Recorder, observed, seen_with, wants_alone
from tests.conversations.script import Conversation, Turn


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


class CoreSurface:
    """``Bot.answer`` on a chat message, rendered as plain text."""

    name = "core"

    async def play(self, conversation: Conversation) -> list[Seen]:
        """Every turn answered by a bot of its own, over an in-memory database."""
        storage = open_storage(":memory:")
        recorder, clock = Recorder(), Clock()
        bot = observed(Bot(plans=PlanService(storage.plans)), recorder, clock)
        try:
            return _play([bot], storage.plans, recorder, clock, conversation, "core")
        finally:
            storage.close()


class ReplicasSurface:
    """Two cores sharing one database, as replicas behind a load balancer: the turns go to
    each in turn, so every follow-up, "why?" and language continued is read from the database
    the other one wrote (``SharedConversations``)."""

    name = "replicas"

    def __init__(self, database: str) -> None:
        self.database = database

    async def play(self, conversation: Conversation) -> list[Seen]:
        """Turn 1 answered by the first core, turn 2 by the second, and so on."""
        storages = [open_storage(self.database) for _ in range(2)]
        recorder, clock = Recorder(), Clock()
        bots = [
            observed(
                Bot(plans=PlanService(s.plans), conversations=s.conversations), recorder, clock
            )
            for s in storages
        ]
        try:
            return _play(bots, storages[0].plans, recorder, clock, conversation, "replicas")
        finally:
            for storage in storages:
                storage.close()


def _play(
    bots: list[Bot],
    plans: PlanStore,
    recorder: Recorder,
    clock: Clock,
    conversation: Conversation,
    prefix: str,
) -> list[Seen]:
    """Every turn of ``conversation``, the bots answering in turn (one bot: all of them)."""
    origin = {"workspace": f"{prefix}-{conversation.id}", "user": "ana"}
    seen = []
    for turn, bot in zip(conversation.turns, itertools.cycle(bots), strict=False):
        clock.advance(turn.after_minutes)
        recorder.alone_from = bot if wants_alone(turn) else None
        mark = len(recorder.exchanges)
        answer = bot.answer(Message(text=turn.say, **origin))
        text = to_text(answer, files=True)
        state = plans.read(f"local:{origin['workspace']}")
        shown = Seen(text=text, title=answer.title, plan=state)
        seen.append(_with(shown, recorder, mark))
    return seen


def _with(seen: Seen, recorder: Recorder, mark: int) -> Seen:
    """``seen`` with the one exchange the core had since ``mark``."""
    return seen_with(seen, recorder.since(mark))


class _Lines(io.StringIO):
    """The console's input: each line read marks where the previous reply ended."""

    def __init__(self, turns: list[Turn], on_turn: Callable[[int], None]) -> None:
        super().__init__()
        self.turns, self.on_turn, self.served = turns, on_turn, 0

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        """The next turn's message (after recording the reply to the one before)."""
        self.on_turn(self.served)
        if self.served == len(self.turns):
            return ""
        self.served += 1
        return self.turns[self.served - 1].say + "\n"


class ConsoleSurface:
    """The console chat (``adapters.console.chat``) reading the script as typed lines."""

    name = "console"

    async def play(self, conversation: Conversation) -> list[Seen]:
        """Every turn typed into one console session; a quit word closes it."""
        storage = open_storage(":memory:")
        recorder, clock = Recorder(), Clock()
        bot = observed(Bot(plans=PlanService(storage.plans)), recorder, clock)
        out, turns = io.StringIO(), conversation.turns
        seen: list[Seen] = []
        marks = {"out": 0, "core": 0}

        def on_turn(n: int) -> None:
            """Called before turn ``n`` is read: turn ``n - 1`` has been answered."""
            if n > 0:
                text = out.getvalue()[marks["out"] :]
                state = storage.plans.read("local:local")
                shown = Seen(text=text, title=_first_line(text), plan=state)
                seen.append(_with(shown, recorder, marks["core"]))
            marks["out"], marks["core"] = len(out.getvalue()), len(recorder.exchanges)
            if n < len(turns):
                clock.advance(turns[n].after_minutes)
                recorder.alone_from = bot if wants_alone(turns[n]) else None

        lines = _Lines(turns, on_turn)
        try:
            assert chat(bot, None, lines, out) == 0
            if len(seen) < lines.served:  # the last line read closed the console
                state = storage.plans.read("local:local")
                seen.append(Seen(text="", title="", plan=state, ended=True))
        finally:
            storage.close()
        return seen


# --- Slack ----------------------------------------------------------------------------------


def _slack_text(message: dict[str, Any]) -> str:
    """What a Block Kit message shows: header, sections, notes, code, button labels."""
    parts: list[str] = []
    for block in message.get("blocks") or []:
        if "text" in block:
            parts.append(block["text"]["text"])
        if block["type"] == "context":
            parts += [element["text"] for element in block["elements"]]
        if block["type"] == "actions":
            parts += [element["text"]["text"] for element in block["elements"]]
    return visible("\n".join(parts))


@dataclass
class SlackSurface:
    """The Slack adapter in HTTP mode: @mentions in a channel, DMs and ``/shopcrew``, in turn."""

    rig: slack_e2e.Rig
    recorder: Recorder
    clock: Clock
    name: str = "slack"
    _played: itertools.count[int] = field(default_factory=itertools.count)

    async def play(self, conversation: Conversation) -> list[Seen]:
        """Each conversation in a team of its own; the ways of asking take turns."""
        n = next(self._played)
        team, user = f"TC{n}", f"UC{n}"
        ways = ["mention", "slash", "dm"]
        seen = []
        for i, turn in enumerate(conversation.turns):
            self.clock.advance(turn.after_minutes)
            self.recorder.alone_from = self.rig.adapter.bot if wants_alone(turn) else None
            mark = len(self.recorder.exchanges)
            way = ways[(n + i) % len(ways)]
            messages = await self._send(way, turn.say, team, user, f"{n}.{i}")
            text = "\n".join(_slack_text(m) for m in messages)
            shown = Seen(text=text, title=_first_line(text), plan=self._plan(team))
            seen.append(_with(shown, self.recorder, mark))
        return seen

    def _plan(self, team: str) -> PlanState:
        store: PlanStore = self.rig.store
        return store.read(f"slack:{team}")

    async def _send(self, way: str, text: str, team: str, user: str, ts: str) -> list[Any]:
        fake = self.rig.fake
        if way == "slash":
            key = f"k{ts}"
            await self.rig.command(text, user=user, team=team, key=key)
            await fake.wait_for(lambda: any(r["_key"] == key for r in fake.responses))
            await self._idle()
            return [r for r in fake.responses if r["_key"] == key]
        before = len(fake.posted())
        event = slack_e2e.mention(text, ts=ts, channel="CCONV", user=user)
        if way == "dm":
            event = {"type": "message", "channel_type": "im", "user": user, "text": text,
                     "ts": ts, "channel": f"D{team}", "event_ts": ts}  # fmt: skip
        await self.rig.event(event, f"Ev{team}.{ts}", team=team)
        await fake.wait_for(lambda: len(fake.posted()) > before)
        await self._idle()
        return fake.posted()[before:]

    async def _idle(self) -> None:
        assert await self.rig.adapter.inflight.idle(10), "an answer was still being posted"


# --- Discord --------------------------------------------------------------------------------


def _discord_text(body: dict[str, Any]) -> str:
    """What a Discord message shows: embeds, content, button labels, an attached file."""
    data = body.get("data") or body
    buttons = [c.get("label", "") for row in data.get("components") or []
               for c in row.get("components", [])]  # fmt: skip
    files = list((body.get("files") or {}).values())
    return "\n".join([discord_e2e.text_of(body), *buttons, *files])


def _dm_message(text: str, user: str, channel: str) -> dict[str, Any]:
    author = discord_e2e.user(user, "ana")
    message = discord_e2e._message(text, None, [], author)
    return message | {"channel_id": channel}


@dataclass
class DiscordSurface:
    """The Discord adapter: in a server (@mentions and ``/shopcrew ask`` in turn), or in DMs
    (direct messages and ``/shopcrew ask`` there), with the person's client locale."""

    rig: discord_e2e.Rig
    recorder: Recorder
    clock: Clock
    guilds: list[str]
    name: str = "discord"
    _played: itertools.count[int] = field(default_factory=itertools.count)

    async def play(self, conversation: Conversation) -> list[Seen]:
        """Even conversations in a server of their own, odd ones in a DM."""
        n = next(self._played)
        guild = self.guilds[n] if n % 2 == 0 else None
        user = str(810000000000000000 + n)
        workspace = guild or f"dm-{user}"
        seen = []
        for i, turn in enumerate(conversation.turns):
            self.clock.advance(turn.after_minutes)
            self.recorder.alone_from = self.rig.adapter.bot if wants_alone(turn) else None
            mark = len(self.recorder.exchanges)
            if i % 2 == 0:
                bodies = await self._say(turn.say, guild, user, f"6{n:05d}")
            else:
                bodies = await self._ask(turn.say, guild, user, conversation.locale)
            text = "\n".join(_discord_text(b) for b in bodies)
            state = self.rig.store.read(f"discord:{workspace}")
            shown = Seen(text=text, title=_first_line(text), plan=state)
            seen.append(_with(shown, self.recorder, mark))
        return seen

    async def _say(self, text: str, guild: str | None, user: str, dm: str) -> list[Any]:
        """An @mention in the server's channel, or a direct message."""
        fake = self.rig.fake
        channel = f"{guild}1" if guild else dm
        path = f"/channels/{channel}/messages"
        before = len(fake.rest("POST", path))
        if guild:
            content = f"<@{discord_e2e.BOT_ID}> {text}"
            author = discord_e2e.user(user, "ana")
            message = discord_e2e._message(content, guild, [discord_e2e.BOT_USER], author)
        else:
            message = _dm_message(text, user, channel)
        await fake.dispatch("MESSAGE_CREATE", message)
        await fake.wait_for(lambda: len(fake.rest("POST", path)) > before)
        await self._idle()
        return [call.body for call in fake.rest("POST", path)[before:]]

    async def _ask(self, text: str, guild: str | None, user: str, locale: str) -> list[Any]:
        """``/shopcrew ask``, and any follow-up messages of a long answer."""
        fake = self.rig.fake
        start = len(fake.calls)
        option = [discord_e2e.opt("question", text)]
        first = await self.rig.slash("ask", options=option, guild=guild, uid=user, locale=locale)
        await self._idle()
        more = [c.body for c in fake.calls[start:] if c.method == "POST" and "/webhooks/" in c.path]
        return [first, *more]

    async def _idle(self) -> None:
        assert await self.rig.adapter.inflight.idle(10), "an answer was still being posted"
