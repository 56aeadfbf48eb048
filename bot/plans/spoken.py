"""A plan command written back the way a user would type it, in the reply's language.

``canonical()`` writes a command in English ids for the history and buttons; this module writes
the words after "plan" that a person of the reply's language would type ("agregar redactor 2",
"etapa madura", "canales en vivo,xiaohongshu"), so that an answer can show the command it ran.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.plans.commands.admin import Editors, LangCommand
from bot.plans.commands.basics import Reset
from bot.plans.commands.context import Channels, StageCommand, Stores
from bot.plans.commands.cost import Currency, Salary
from bot.plans.commands.engine import Recommend
from bot.plans.commands.export import Export
from bot.plans.commands.roles import RoleCount
from bot.plans.grammar import GrammarError
from knowledge.vocab import CHANNELS

if TYPE_CHECKING:
    from bot.plans.commands import PlanCommand
    from bot.plans.runtime import PlanContext


def _role(command: RoleCount | Salary, ctx: PlanContext) -> str:
    """The role's name in the reply's language; as typed when it names no role."""
    try:
        return ctx.name(ctx.role(command.role)).lower()
    except GrammarError:
        return command.role


def _arguments(command: PlanCommand, ctx: PlanContext) -> list[str]:
    vocab, words = ctx.knowledge.vocab, ctx.words
    match command:
        case RoleCount():
            return [_role(command, ctx), str(command.count)]
        case Export():
            return [command.format]
        case Reset():
            return [words["cmd_confirm"]] if command.confirmed else []
        case Recommend():
            confirm = [words["cmd_confirm"]] if command.confirmed else []
            return [words["cmd_replace"], *confirm] if command.replace else []
        case Salary():
            return [_role(command, ctx), command.canonical().rsplit(" ", 1)[1]]
        case Currency():
            return [command.code or words["cmd_none"]]
        case Stores():
            return [str(command.stores)]
        case StageCommand():
            return [vocab.stage_command(command.stage, ctx.lang)]
        case Channels():
            names = dict(zip(CHANNELS, vocab.channel_words(ctx.lang), strict=True))
            return [",".join(names[c] for c in command.channels) or words["cmd_none"]]
        case Editors():
            return [words["cmd_grant" if command.grant else "cmd_revoke"], command.user]
        case LangCommand():
            return [command.lang]
    return command.canonical().split()[1:]


def spoken(command: PlanCommand, ctx: PlanContext) -> str:
    """The words after "plan" for ``command`` in ``ctx``'s language: "agregar redactor 2"."""
    return " ".join([ctx.words[f"cmd_{command.verb}"], *_arguments(command, ctx)])
