"""``/shopcrew plan panel``: the plan in an embed, changed with a few clicks, edited in place.

Every click runs a typed plan command through the core (``Add``, ``Remove``, ``Recommend``,
``Check``, ``Undo``), with the same permissions, history and user-install rules as the slash
commands; the panel is then drawn again from the plan as stored and the message edited in place
(UPDATE_MESSAGE). A click the plan refuses (a locked plan, a user install) changes nothing and
gets a private reply in the clicker's language, saying why and what would work.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, cast

import discord

from adapters.discord import panel_view as pv
from adapters.discord.app import SEND_ERRORS, _describe, _send_kwargs, _within_install
from adapters.discord.render import EMBED_TOTAL, Embed, embed_size, render
from adapters.discord.translate import lang_of
from bot.models import Answer, Origin, Section
from bot.plans.commands.engine import Check, Recommend
from bot.plans.commands.history import Undo
from bot.plans.commands.roles import Add, Remove
from bot.plans.overview import PlanOverview
from bot.requests import PlanRequest
from bot.strings import t
from knowledge import Lang

if TYPE_CHECKING:
    from adapters.discord.app import DiscordAdapter
    from bot.plans.commands import PlanCommand

log = logging.getLogger("shopcrew.discord")


def _command(action: pv.Action, role: str | None) -> PlanCommand | None:
    """The plan command a button stands for (None: a role button without its role)."""
    if action in ("add", "remove"):
        if not role:
            return None
        return Add(role=role) if action == "add" else Remove(role=role)
    return {"recommend": Recommend(), "check": Check(), "undo": Undo()}[action]


def _carried(interaction: discord.Interaction[Any]) -> tuple[Embed, ...]:
    """The embeds after the panel (the last action), kept by clicks that change nothing."""
    message = interaction.message
    return tuple(cast(Embed, e.to_dict()) for e in message.embeds[1:]) if message else ()


def _selected(interaction: discord.Interaction[Any]) -> str | None:
    """The role the panel has selected (its +1 button names it), kept by the plan's buttons."""
    armed = pv.PREFIX + "add:"
    message = interaction.message
    for row in message.components if message is not None else []:
        for item in getattr(row, "children", []):
            custom_id = getattr(item, "custom_id", None) or ""
            if custom_id.startswith(armed):
                return str(custom_id.removeprefix(armed))
    return None


def _done(answer: Answer) -> list[str]:
    """What a change says it did ("Added 1 person to Copywriter (0 → 1).")."""
    return list(answer.sections[0].lines) if answer.sections else []


def _with_hint(answer: Answer, plan: PlanOverview | Answer) -> Answer:
    """A refusal on a plan the clicker may not edit also says who may, in Discord's terms."""
    if not answer.refusal or not isinstance(plan, PlanOverview) or plan.can_edit:
        return answer
    hint = Section(lines=[t(answer.language, "dc.panel.admins")])
    return answer.model_copy(update={"sections": [*answer.sections, hint]})


class Panel:
    """The plan panel of one Discord adapter: posting it, and every click on it."""

    def __init__(self, adapter: DiscordAdapter) -> None:
        self.adapter = adapter

    def _origin_and_lang(self, interaction: discord.Interaction[Any]) -> tuple[Origin, Lang]:
        return self.adapter.origin(interaction), lang_of(str(interaction.locale))

    async def _guarded(
        self, interaction: discord.Interaction[Any], work: Coroutine[Any, Any, Any]
    ) -> None:
        """Run ``work`` as an answer in flight; a failure is logged and apologised for, never
        left silent (discord.py only logs what a component's callback raises)."""
        if not self.adapter.inflight.accepting:
            work.close()
            return  # shutting down: Discord tells the user the interaction failed
        async with self.adapter.inflight.track():
            try:
                await work
            except SEND_ERRORS as exc:
                log.error("Discord panel reply failed: %s", _describe(exc),
                          extra={"event": "discord_error"})  # fmt: skip
                await self.adapter.apologise(interaction)
            except Exception:
                log.exception("Discord panel failed")
                await self.adapter.apologise(interaction)

    async def _overview(self, interaction: discord.Interaction[Any]) -> PlanOverview | Answer:
        origin, lang = self._origin_and_lang(interaction)
        return await self.adapter.bot.plan_overview_async(origin, lang)

    async def _private(self, interaction: discord.Interaction[Any], answer: Answer) -> None:
        """An answer only the clicker sees (a refusal, the findings of a check)."""
        for out in render(answer):
            kwargs = _send_kwargs(out)
            if interaction.response.is_done():
                await interaction.followup.send(ephemeral=True, **kwargs)
            else:
                await interaction.response.send_message(ephemeral=True, **kwargs)

    # --- posting --------------------------------------------------------------------------

    async def post(self, interaction: discord.Interaction[Any]) -> None:
        """``/shopcrew plan panel``: the panel, in the channel for everyone."""
        await self._guarded(interaction, self._post(interaction))

    async def _post(self, interaction: discord.Interaction[Any]) -> None:
        overview = await self._overview(interaction)
        if isinstance(overview, Answer):
            await self._private(interaction, overview)
            return
        await interaction.response.send_message(**pv.message(overview, pv.Shown()))

    # --- clicks ---------------------------------------------------------------------------

    async def may_use(self, interaction: discord.Interaction[Any]) -> bool:
        """Clicks while running; a personal (DM) plan's panel only for its owner.

        Outside a server the plan is the clicker's own, so anyone else's click on a panel in a
        group DM would change (and show) their own plan instead: they are told whose it is.
        """
        if not self.adapter.inflight.accepting:
            return False
        metadata = interaction.message.interaction_metadata if interaction.message else None
        owner = metadata.user.id if metadata is not None else interaction.user.id
        if interaction.guild_id is not None or owner == interaction.user.id:
            return True
        lang = lang_of(str(interaction.locale))
        text = t(lang, "dc.panel.not_yours", user=f"<@{owner}>")
        none = discord.AllowedMentions.none()
        await self._guarded(
            interaction,
            interaction.response.send_message(text, ephemeral=True, allowed_mentions=none),
        )
        return False

    async def click(
        self, interaction: discord.Interaction[Any], action: pv.Action, role: str | None
    ) -> None:
        """A button: its plan command, then the panel edited in place (or a private refusal)."""
        await self._guarded(interaction, self._click(interaction, action, role))

    async def _click(
        self, interaction: discord.Interaction[Any], action: pv.Action, role: str | None
    ) -> None:
        origin, lang = self._origin_and_lang(interaction)
        request = PlanRequest(origin=origin, lang=lang, command=_command(action, role))
        if request.command is None:  # a role button sent without a role: show the panel again
            await self._select(interaction, "")
            return
        answer = await self.adapter.bot.handle_async(_within_install(interaction, request))
        overview = await self.adapter.bot.plan_overview_async(origin, lang)
        if answer.refusal or isinstance(overview, Answer):
            # Refused; or done, but the plan cannot be read back to draw: said privately.
            await self._private(interaction, _with_hint(answer, overview))
            return
        if action == "check":
            extra = _carried(interaction)
        else:
            budget = EMBED_TOTAL - embed_size(pv.panel_embed(overview))
            extra = (pv.last_embed(overview.lang, interaction.user.id, _done(answer), budget),)
        shown = pv.Shown(selected=role or _selected(interaction), extra=extra)
        await interaction.response.edit_message(**pv.message(overview, shown))
        if action == "check":
            await self._private(interaction, answer)

    async def select(self, interaction: discord.Interaction[Any], value: str) -> None:
        """The role select: the panel again, with that role (or page) selected."""
        await self._guarded(interaction, self._select(interaction, value))

    async def _select(self, interaction: discord.Interaction[Any], value: str) -> None:
        overview = await self._overview(interaction)
        if isinstance(overview, Answer):
            await self._private(interaction, overview)
            return
        shown = pv.picked(overview, value, _carried(interaction))
        await interaction.response.edit_message(**pv.message(overview, shown))
