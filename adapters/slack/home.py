"""The Home tab: published when opened, kept fresh after every change, and its buttons and modals.

Everything here runs the plan commands typed commands run (typed ``PlanRequest`` objects through
``SlackAdapter.answer``: the same permissions, admin lookup and history). Each listener uses
Bolt's per-request ``client`` (the installation's token), never a client of its own.

Who has the tab open: Slack says when a user opens it (``app_home_opened``), never when they
leave. A user who opened it in the last ``OPEN_SECONDS`` counts as looking at it (at most
``MAX_VIEWERS`` per workspace, the latest), remembered in this process only. After a change
from any surface of this process, their tabs are published again ``DEBOUNCE_SECONDS`` later,
with the plan as it is then: the changes of a burst are published together, at most once per
``DEBOUNCE_SECONDS`` however long the burst lasts. With several replicas, a replica
re-publishes the tabs opened through it after the changes it handles; a change handled by
another replica shows the next time the user opens the tab (every opening publishes afresh).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import home_view as hv
from adapters.slack.home_forms import context_changes, role_change
from adapters.slack.middleware import done
from adapters.slack.translate import installation_of, interaction_origin
from adapters.slack.webapi import SEND_ERRORS, error_text
from bot.models import Answer, Origin
from bot.plans.commands.base import Change
from bot.plans.overview import PlanOverview
from bot.requests import PlanRequest
from bot.strings import t
from knowledge import Lang

if TYPE_CHECKING:
    from adapters.slack.app import SlackAdapter

log = logging.getLogger("shopcrew.slack")
OPEN_SECONDS = 30 * 60.0
DEBOUNCE_SECONDS = 1.0
MAX_VIEWERS = 50
Body = dict[str, Any]


def said(answer: Answer) -> str:
    """An answer's words, for a modal's field error (a refusal is one or two sentences)."""
    return "\n".join(line for s in answer.sections for line in s.lines) or answer.title


def _selected_role(body: Body) -> str | None:
    action = (body.get("actions") or [{}])[0]
    option = action.get("selected_option") or {}
    return str(option.get("value") or action.get("value") or "") or None


class HomeTabs:
    """The Home tab of every user of one Slack adapter."""

    def __init__(self, adapter: SlackAdapter, delay: float = DEBOUNCE_SECONDS) -> None:
        self.adapter = adapter
        self.bot = adapter.bot
        #: Seconds without a change before the open tabs are published again.
        self.delay = delay
        self.window = OPEN_SECONDS
        self.clock: Callable[[], float] = time.monotonic
        #: workspace -> user -> when they last opened the tab.
        self._open: dict[str, dict[str, float]] = {}
        #: workspace -> the re-publishing waiting for the changes to stop, and its client.
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._clients: dict[str, AsyncWebClient] = {}
        self._dms: dict[tuple[str, str], str] = {}

    def register(self, app: AsyncApp) -> None:
        """Listen for the tab's opening, its buttons and its modals."""
        app.event("app_home_opened")(self.on_opened)
        app.action(re.compile(rf"^{hv.EDIT}(_\w+)?$"))(self.on_edit)
        app.action(hv.CONTEXT)(self.on_context)
        app.action(hv.PICK)(self.on_pick)
        app.action(re.compile(rf"^{hv.RUN}_\w+$"))(self.on_run)
        app.view(hv.ROLE_VIEW)(self.on_role_submitted)
        app.view(hv.CONTEXT_VIEW)(self.on_context_submitted)

    # --- who looks, and publishing -----------------------------------------------------------

    def opened(self, workspace: str, user: str) -> None:
        """``user`` opened the tab now."""
        users = self._open.setdefault(workspace, {})
        users.pop(user, None)
        users[user] = self.clock()
        while len(users) > MAX_VIEWERS:
            users.pop(next(iter(users)))  # the one who opened it longest ago

    def viewers(self, workspace: str) -> list[str]:
        """The users who opened the tab within the window (the others are forgotten)."""
        users = self._open.get(workspace, {})
        since = self.clock() - self.window
        for user in [u for u, at in users.items() if at < since]:
            del users[user]
        if not users:
            self._open.pop(workspace, None)
            self._clients.pop(workspace, None)
        return list(users)

    def changed(self, workspace: str, client: AsyncWebClient) -> None:
        """The workspace's plan changed: publish its open tabs shortly (one publishing waiting
        takes every change made until it runs, as it reads the plan then)."""
        if not self.viewers(workspace):
            return
        self._clients[workspace] = client  # the latest request's: the installation's token
        if workspace not in self._pending:
            self._pending[workspace] = asyncio.create_task(self._republish(workspace, client))

    async def _republish(self, workspace: str, client: AsyncWebClient) -> None:
        await asyncio.sleep(self.delay)
        del self._pending[workspace]  # a change from now on publishes again
        client = self._clients.get(workspace, client)  # the latest change's
        try:
            for user in self.viewers(workspace):
                await self.publish(client, workspace, user)
        except Exception as exc:  # a task's failure must not vanish with it
            log.error("Home tab publishing failed: %r", exc,
                      extra={"event": "slack_listener_error"})  # fmt: skip

    async def close(self) -> None:
        """Drop the publishing still waiting (the process is stopping)."""
        tasks = list(self._pending.values())
        self._pending.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def viewer(
        self, client: AsyncWebClient, workspace: str, user: str
    ) -> tuple[Origin, Lang, bool]:
        """Who looks (with their admin rights), and their language: their Slack locale when
        ShopCrew speaks it (the flag is True: it wins over the plan's), else the plan's."""
        rights = await self.adapter.rights(workspace, user, client)
        origin = Origin(platform="slack", workspace=workspace, user=user,
                        user_is_admin=rights.admin, user_is_external=rights.external)  # fmt: skip
        return origin, rights.lang or "en", rights.lang is not None

    async def overview(self, client: AsyncWebClient, origin: Origin) -> PlanOverview | Answer:
        """The plan against the recommendation, as ``origin``'s user sees it."""
        who, lang, own = await self.viewer(client, origin.workspace, origin.user)
        return await self.bot.plan_overview_async(who, lang, own)

    async def publish(self, client: AsyncWebClient, workspace: str, user: str) -> None:
        """Publish ``user``'s Home tab: the plan now, in their language, as they may use it."""
        origin = Origin(platform="slack", workspace=workspace, user=user)
        overview = await self.overview(client, origin)
        if isinstance(overview, PlanOverview):
            view = hv.home_view(overview)
        else:
            view = hv.unavailable_home(overview)
        await self._call("views.publish", lambda: client.views_publish(user_id=user, view=view))

    async def _call(self, what: str, call: Callable[[], Awaitable[Any]]) -> None:
        """A Web API call whose failure is logged (a view has no thread to apologise in)."""
        try:
            await call()
        except SEND_ERRORS as exc:
            log.error("Slack %s failed: %s", what, error_text(exc),
                      extra={"event": "slack_api_error"})  # fmt: skip
            if self.adapter.metrics is not None:
                self.adapter.metrics.errors.labels("slack_api").inc()

    # --- listeners ---------------------------------------------------------------------------

    async def on_opened(
        self, event: Body, body: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """The user opened the Home tab (not the Messages tab): publish it, and remember them."""
        try:
            if event.get("tab") == "home" and event.get("user"):
                workspace, user = installation_of(body), str(event["user"])
                self.opened(workspace, user)
                await self.publish(client, workspace, user)
        finally:
            await done(context)

    async def on_edit(
        self, ack: AsyncAck, body: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """ "Edit a role" (or the button beside one): the modal, or why the plan is read-only."""
        await ack()
        self.adapter.later(self._open_modal(body, client, _selected_role(body)), context)

    async def on_context(
        self, ack: AsyncAck, body: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """ "Stores, stage, channels": the context modal."""
        await ack()
        self.adapter.later(self._open_modal(body, client, None, context_modal=True), context)

    async def _open_modal(
        self, body: Body, client: AsyncWebClient, role: str | None, context_modal: bool = False
    ) -> None:
        overview = await self.overview(client, interaction_origin(body))
        if not isinstance(overview, PlanOverview):
            view = hv.notice_modal(overview.language, "plan.title", said(overview))
        elif not overview.can_edit:
            refused = t(overview.lang, "plan.locked.refused",
                        **self.bot.knowledge.vocab.plan.placeholders(overview.lang))  # fmt: skip
            view = hv.notice_modal(overview.lang, "home.locked_modal.title", refused)
        elif context_modal:
            view = hv.context_modal(overview, self.bot.knowledge.vocab)
        else:
            view = hv.role_modal(overview, role)
        trigger = str(body.get("trigger_id") or "")
        await self._call("views.open", lambda: client.views_open(trigger_id=trigger, view=view))

    async def on_pick(
        self, ack: AsyncAck, body: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """A role chosen in the edit modal: the modal again, with that role's numbers."""
        await ack()
        self.adapter.later(self._picked(body, client), context)

    async def _picked(self, body: Body, client: AsyncWebClient) -> None:
        overview = await self.overview(client, interaction_origin(body))
        if not isinstance(overview, PlanOverview):
            return
        view = hv.role_modal(overview, _selected_role(body))
        shown = body.get("view") or {}
        view_id, stamp = str(shown.get("id") or ""), shown.get("hash")
        await self._call(
            "views.update", lambda: client.views_update(view_id=view_id, hash=stamp, view=view)
        )

    async def on_run(
        self, ack: AsyncAck, body: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """Recommend, check, undo, export, picture: the command runs as its button elsewhere
        does, and its answer goes to the user's DM with ShopCrew (a tab has nowhere to answer)."""
        await ack()
        self.adapter.later(self._run(body, client), context)

    async def _run(self, body: Body, client: AsyncWebClient) -> None:
        action = (body.get("actions") or [{}])[0]
        origin = interaction_origin(body)
        request = await self.bot.parse_button_async(str(action.get("value") or ""), origin)
        answer = await self.adapter.answer(request, client)
        channel = await self._dm(client, origin.workspace, origin.user)
        if channel is not None:
            await self.adapter.outbox.deliver(client, channel, None, answer)

    async def _dm(self, client: AsyncWebClient, workspace: str, user: str) -> str | None:
        """The id of the user's DM with ShopCrew (``conversations.open``, then remembered)."""
        key = (workspace, user)
        if key not in self._dms:
            try:
                opened = await client.conversations_open(users=user)
            except SEND_ERRORS as exc:
                log.error("Slack conversations.open failed: %s", error_text(exc),
                          extra={"event": "slack_api_error"})  # fmt: skip
                return None
            self._dms[key] = str((opened.get("channel") or {}).get("id"))
        return self._dms[key]

    async def on_role_submitted(
        self,
        ack: AsyncAck,
        body: Body,
        view: Body,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        """The edit modal's "Save": ``plan set ROLE N``, or the fields' errors in the modal."""
        try:
            vocab, roles = self.bot.knowledge.vocab, self.bot.knowledge.kb.roles
            change = role_change(view, hv.lang_of(view), vocab, roles)
            commands = [change] if isinstance(change, Change) else change
            await self._submit(ack, body, view, commands, hv.ROLE_BLOCK, client)
        finally:
            await done(context)

    async def on_context_submitted(
        self,
        ack: AsyncAck,
        body: Body,
        view: Body,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        """The context modal's "Save": ``plan stores``, ``stage`` and ``channels`` in turn."""
        try:
            changes = context_changes(view, hv.lang_of(view), self.bot.knowledge.vocab)
            await self._submit(ack, body, view, changes, hv.STORES_BLOCK, client)
        finally:
            await done(context)

    async def _submit(
        self,
        ack: AsyncAck,
        body: Body,
        view: Body,
        commands: Sequence[Change] | dict[str, str],
        field: str,
        client: AsyncWebClient,
    ) -> None:
        """Run ``commands`` in turn; the first refusal closes nothing and shows under ``field``.

        Runs before the acknowledgement (Slack waits up to 3 s for the modal's answer; a plan
        change takes milliseconds), so that a refusal can be shown in the modal itself.
        """
        if isinstance(commands, dict):
            await ack(response_action="errors", errors=commands)
            return
        lang, origin = hv.lang_of(view), interaction_origin(body)
        for command in commands:
            request = PlanRequest(origin=origin, lang=lang, command=command, words_lang=lang)
            answer = await self.adapter.answer(request, client)
            if answer.refusal or answer.error:
                await ack(response_action="errors", errors={field: said(answer)})
                return
        await ack()
