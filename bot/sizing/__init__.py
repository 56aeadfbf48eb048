"""The sizing engine: headcount per role, with a reason for every number."""

from bot.sizing.engine import Reason, RoleSize, ServiceDetail, SizingResult, size_team
from bot.sizing.erlang import ErlangResult, erlang_c, required_agents, service_level
from bot.sizing.inputs import FIELDS, SizingError, SizingInput, parse_input

__all__ = [
    "FIELDS",
    "ErlangResult",
    "Reason",
    "RoleSize",
    "ServiceDetail",
    "SizingError",
    "SizingInput",
    "SizingResult",
    "erlang_c",
    "parse_input",
    "required_agents",
    "service_level",
    "size_team",
]
