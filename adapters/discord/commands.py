"""``/shopcrew ask|role|size|plan …`` in discord.py's idiom: ``app_commands.Group`` subclasses.

Names and descriptions are English ``locale_str`` values carrying a catalogue key; the
``Strings`` translator gives Spanish clients theirs (plan subcommands use the vocabulary's
Spanish command words). Each command builds a typed request and hands it to the adapter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands

from adapters.discord.translate import lang_of, role_choices
from bot.plans.commands.admin import Editors, Lock, Unlock
from bot.plans.commands.basics import Reset, Show
from bot.plans.commands.chart import ChartCommand
from bot.plans.commands.context import Channels, StageCommand, Stores
from bot.plans.commands.cost import Currency, Salary
from bot.plans.commands.engine import Check, Recommend
from bot.plans.commands.export import Export
from bot.plans.commands.history import History, Undo
from bot.plans.commands.roles import Add, Remove, Set
from bot.plans.costs import MAX_SALARY
from bot.plans.grammar import GrammarError
from bot.strings import t
from knowledge import default_vocabulary
from knowledge.vocab import STAGES, PlanVerb, Stage

if TYPE_CHECKING:
    from adapters.discord.app import DiscordAdapter
    from bot.plans.commands import PlanCommand

_T = app_commands.locale_str


def _s(key: str) -> app_commands.locale_str:
    """An English command string that the translator can localise by key."""
    return _T(t("en", key), key=key)


def _verb(verb: PlanVerb) -> app_commands.locale_str:
    """A plan subcommand's name: the vocabulary's command word (``add`` / ``agregar``)."""
    return _T(default_vocabulary().plan.shown(verb, "en"), verb=verb)


class Strings(app_commands.Translator):
    """Names and descriptions for Spanish clients: the catalogue, or the vocabulary for verbs."""

    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: Any
    ) -> str | None:
        """The Spanish text for ``string``; None for other locales."""
        if locale not in (discord.Locale.spain_spanish, discord.Locale.latin_american_spanish):
            return None
        vocab = default_vocabulary()
        if "verb" in string.extras:
            return vocab.plan.shown(string.extras["verb"], "es")
        if "stage" in string.extras:
            return vocab.stage_name(string.extras["stage"], "es")
        key = string.extras.get("key")
        return None if key is None else t("es", key)


async def _roles(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Role autocomplete in the user's language."""
    from adapters.discord.client import ShopCrewClient

    assert isinstance(interaction.client, ShopCrewClient)
    kb = interaction.client.adapter.bot.knowledge.kb
    choices = role_choices(kb, current, lang_of(str(interaction.locale)))
    return [app_commands.Choice(name=name, value=value) for name, value in choices]


def _role_and_count(fn: Any) -> Any:
    """The ``role`` (autocompleted) and ``count`` options of add, remove and set."""
    fn = app_commands.autocomplete(role=_roles)(fn)
    fn = app_commands.describe(role=_s("dc.opt.role.desc"), count=_s("dc.opt.count.desc"))(fn)
    return app_commands.rename(role=_s("dc.opt.role"), count=_s("dc.opt.count"))(fn)


_STAGES = [
    app_commands.Choice(name=_T(default_vocabulary().stage_name(s, "en"), stage=s), value=s)
    for s in STAGES
]


def _stage(value: str | None) -> Stage | None:
    """A stage choice (Discord only sends the choices offered)."""
    return next((s for s in STAGES if s == value), None)


class PlanGroup(app_commands.Group):
    """``/shopcrew plan …``: one subcommand per plan command."""

    def __init__(self, adapter: DiscordAdapter) -> None:
        super().__init__(name=_s("dc.plan"), description=_s("dc.plan.desc"))
        self.adapter = adapter

    async def _run(self, interaction: discord.Interaction, command: PlanCommand) -> None:
        await self.adapter.run_plan(interaction, command)

    @app_commands.command(name=_verb("show"), description=_s("dc.plan.show.desc"))
    async def show(self, interaction: discord.Interaction) -> None:
        """Show the plan."""
        await self._run(interaction, Show())

    @app_commands.command(name=_s("dc.plan.panel"), description=_s("dc.plan.panel.desc"))
    async def panel(self, interaction: discord.Interaction) -> None:
        """The plan with a role select and buttons, updated in place after each click."""
        await self.adapter.panel.post(interaction)

    @app_commands.command(name=_verb("add"), description=_s("dc.plan.add.desc"))
    @_role_and_count
    async def add(
        self,
        interaction: discord.Interaction,
        role: str,
        count: app_commands.Range[int, 1, 999] = 1,
    ) -> None:
        """Add people of a role."""
        await self._run(interaction, Add(role=role, count=count))

    @app_commands.command(name=_verb("remove"), description=_s("dc.plan.remove.desc"))
    @_role_and_count
    async def remove(
        self,
        interaction: discord.Interaction,
        role: str,
        count: app_commands.Range[int, 1, 999] = 1,
    ) -> None:
        """Remove people of a role."""
        await self._run(interaction, Remove(role=role, count=count))

    @app_commands.command(name=_verb("set"), description=_s("dc.plan.set.desc"))
    @_role_and_count
    async def set_(
        self, interaction: discord.Interaction, role: str, count: app_commands.Range[int, 0, 999]
    ) -> None:
        """Set a role's count."""
        await self._run(interaction, Set(role=role, count=count))

    @app_commands.command(name=_verb("stores"), description=_s("dc.plan.stores.desc"))
    @app_commands.rename(count=_s("dc.opt.stores"))
    @app_commands.describe(count=_s("dc.opt.stores.desc"))
    async def stores(
        self, interaction: discord.Interaction, count: app_commands.Range[int, 1, 500]
    ) -> None:
        """Set the store count."""
        await self._run(interaction, Stores(stores=count))

    @app_commands.command(name=_verb("stage"), description=_s("dc.plan.stage.desc"))
    @app_commands.rename(stage=_s("dc.opt.stage"))
    @app_commands.describe(stage=_s("dc.opt.stage.desc"))
    @app_commands.choices(stage=_STAGES)
    async def stage(self, interaction: discord.Interaction, stage: str) -> None:
        """Set the stage."""
        await self._run(interaction, StageCommand(stage=_stage(stage) or "new"))

    @app_commands.command(name=_verb("channels"), description=_s("dc.plan.channels.desc"))
    @app_commands.rename(channels=_s("dc.opt.channels"))
    @app_commands.describe(channels=_s("dc.opt.channels.desc"))
    async def channels(self, interaction: discord.Interaction, channels: str) -> None:
        """Set the channels (typed by hand, so read like ``plan channels``)."""
        lang = lang_of(str(interaction.locale))
        try:
            command = Channels.from_args([channels], lang, default_vocabulary())
        except GrammarError as exc:
            await self.adapter.run_plan(interaction, None, exc)
            return
        await self._run(interaction, command)

    @app_commands.command(name=_verb("recommend"), description=_s("dc.plan.recommend.desc"))
    @app_commands.rename(replace=_s("dc.opt.replace"))
    @app_commands.describe(replace=_s("dc.opt.replace.desc"))
    async def recommend(self, interaction: discord.Interaction, replace: bool = False) -> None:
        """Fill the plan from the sizing engine (``replace`` asks, then overwrites)."""
        await self._run(interaction, Recommend(replace=replace))

    @app_commands.command(name=_verb("check"), description=_s("dc.plan.check.desc"))
    async def check(self, interaction: discord.Interaction) -> None:
        """Compare the plan with the sizing engine."""
        await self._run(interaction, Check())

    @app_commands.command(name=_verb("history"), description=_s("dc.plan.history.desc"))
    async def history(self, interaction: discord.Interaction) -> None:
        """The latest changes."""
        await self._run(interaction, History())

    @app_commands.command(name=_verb("undo"), description=_s("dc.plan.undo.desc"))
    async def undo(self, interaction: discord.Interaction) -> None:
        """Undo the last change."""
        await self._run(interaction, Undo())

    @app_commands.command(name=_verb("export"), description=_s("dc.plan.export.desc"))
    @app_commands.rename(format=_s("dc.opt.format"))
    @app_commands.describe(format=_s("dc.opt.format.desc"))
    async def export(self, interaction: discord.Interaction, format: Literal["csv", "md"]) -> None:
        """The plan as a file."""
        await self._run(interaction, Export(format=format))

    @app_commands.command(name=_verb("chart"), description=_s("dc.plan.chart.desc"))
    @app_commands.rename(share=_s("dc.opt.share"))
    @app_commands.describe(share=_s("dc.opt.share.desc"))
    async def chart(self, interaction: discord.Interaction, share: bool = False) -> None:
        """The plan as an org-chart picture (only to the asker unless shared)."""
        await self.adapter.run_plan(interaction, ChartCommand(), share=share)

    @app_commands.command(name=_verb("reset"), description=_s("dc.plan.reset.desc"))
    async def reset(self, interaction: discord.Interaction) -> None:
        """Empty the plan (asks first)."""
        await self._run(interaction, Reset())

    @app_commands.command(name=_verb("salary"), description=_s("dc.plan.salary.desc"))
    @app_commands.autocomplete(role=_roles)
    @app_commands.rename(role=_s("dc.opt.role"), amount=_s("dc.opt.amount"))
    @app_commands.describe(role=_s("dc.opt.role.desc"), amount=_s("dc.opt.amount.desc"))
    async def salary(
        self,
        interaction: discord.Interaction,
        role: str,
        amount: app_commands.Range[float, 0, MAX_SALARY],
    ) -> None:
        """Set one person's monthly cost in a role (the workspace's own figure)."""
        await self._run(interaction, Salary(role=role, amount=round(amount, 2)))

    @app_commands.command(name=_verb("currency"), description=_s("dc.plan.currency.desc"))
    @app_commands.rename(code=_s("dc.opt.currency"))
    @app_commands.describe(code=_s("dc.opt.currency.desc"))
    async def currency(self, interaction: discord.Interaction, code: str) -> None:
        """Set the currency of the salary figures (typed, so read like ``plan currency``)."""
        lang = lang_of(str(interaction.locale))
        try:
            command = Currency.from_args(code.split(), lang, default_vocabulary())
        except GrammarError as exc:
            await self.adapter.run_plan(interaction, None, exc)
            return
        await self._run(interaction, command)

    @app_commands.command(name=_verb("lock"), description=_s("dc.plan.lock.desc"))
    async def lock(self, interaction: discord.Interaction) -> None:
        """Lock the plan."""
        await self._run(interaction, Lock())

    @app_commands.command(name=_verb("unlock"), description=_s("dc.plan.unlock.desc"))
    async def unlock(self, interaction: discord.Interaction) -> None:
        """Unlock the plan."""
        await self._run(interaction, Unlock())

    @app_commands.command(name=_verb("editors"), description=_s("dc.plan.editors.desc"))
    @app_commands.rename(action=_s("dc.opt.action"), user=_s("dc.opt.user"))
    @app_commands.describe(action=_s("dc.opt.action.desc"), user=_s("dc.opt.user.desc"))
    @app_commands.choices(
        action=[
            app_commands.Choice(name=_s("dc.choice.add"), value="add"),
            app_commands.Choice(name=_s("dc.choice.remove"), value="remove"),
        ]
    )
    async def editors(
        self, interaction: discord.Interaction, action: str, user: discord.User
    ) -> None:
        """Grant or withdraw edit rights."""
        await self._run(interaction, Editors(grant=action == "add", user=str(user.id)))


class ShopCrewGroup(app_commands.Group):
    """``/shopcrew``: ask, role, size, and the plan group."""

    def __init__(self, adapter: DiscordAdapter) -> None:
        super().__init__(
            name=_s("dc.group"),
            description=_s("dc.group.desc"),
            # Everyone who may talk may ask; admin-only plan commands are checked on use.
            default_permissions=discord.Permissions(send_messages=True),
            # Added to a server, or by a person to their own account (then usable in any
            # server, in DMs and group DMs: questions everywhere; a server's plan changes
            # only where the server added ShopCrew, which the adapter checks on every use).
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
            allowed_contexts=app_commands.AppCommandContext(
                guild=True, dm_channel=True, private_channel=True
            ),
        )
        self.adapter = adapter
        self.add_command(PlanGroup(adapter))

    @app_commands.command(name=_s("dc.ask"), description=_s("dc.ask.desc"))
    @app_commands.rename(question=_s("dc.opt.question"), share=_s("dc.opt.share"))
    @app_commands.describe(question=_s("dc.opt.question.desc"), share=_s("dc.opt.share.desc"))
    async def ask(
        self, interaction: discord.Interaction, question: str, share: bool = False
    ) -> None:
        """A question, as if typed in a message."""
        await self.adapter.ask(interaction, question, share)

    @app_commands.command(name=_s("dc.role"), description=_s("dc.role.desc"))
    @app_commands.rename(name=_s("dc.opt.name"), share=_s("dc.opt.share"))
    @app_commands.describe(name=_s("dc.opt.name.desc"), share=_s("dc.opt.share.desc"))
    @app_commands.autocomplete(name=_roles)
    async def role(self, interaction: discord.Interaction, name: str, share: bool = False) -> None:
        """What a role does."""
        await self.adapter.role(interaction, name, share)

    @app_commands.command(name=_s("dc.size"), description=_s("dc.size.desc"))
    @app_commands.rename(stores=_s("dc.opt.stores"), stage=_s("dc.opt.stage"),
                         channels=_s("dc.opt.channels"), share=_s("dc.opt.share"))  # fmt: skip
    @app_commands.describe(
        stores=_s("dc.opt.stores.desc"),
        stage=_s("dc.opt.stage.desc"),
        channels=_s("dc.opt.channels.desc"),
        share=_s("dc.opt.share.desc"),
    )
    @app_commands.choices(stage=_STAGES)
    async def size(
        self,
        interaction: discord.Interaction,
        stores: app_commands.Range[int, 1, 500],
        stage: str | None = None,
        channels: str | None = None,
        share: bool = False,
    ) -> None:
        """How many people per role."""
        await self.adapter.size(interaction, stores, _stage(stage), channels, share)
