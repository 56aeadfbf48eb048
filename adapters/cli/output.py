"""The command line's JSON contracts: ``ask --json``, ``size --json``, ``plan --json``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.models import Answer, Attachment
from bot.render import to_text
from bot.strings import join, t
from knowledge import Lang

if TYPE_CHECKING:  # loaded only by the commands that print them
    from bot.plans.state import PlanState
    from bot.sizing.engine import SizingResult


def answer_json(answer: Answer) -> dict[str, Any]:
    """The ``ask --json`` contract."""
    e = answer.entities
    return {
        "intent": answer.intent,
        "language": answer.language,
        "roles": list(e.roles),
        "stores": e.stores,
        "stage": e.stage,
        "channels": list(e.channels),
        "team": e.team,
        "text": to_text(answer, files=True),
    }


def size_json(result: SizingResult, lang: Lang) -> dict[str, Any]:
    """The ``size --json`` contract: the engine's numbers, with reasons in ``lang``."""
    from bot.answers.common import reason

    lo, hi, rec = result.total
    out: dict[str, Any] = {
        "stores": result.input.stores,
        "stage": result.input.stage,
        "channels": list(result.input.channels),
        "roles": {
            rid: {
                "min": r.min,
                "max": r.max,
                "recommended": r.recommended,
                "why": reason(lang, r.why),
                "basis": r.basis,
            }
            for rid, r in result.roles.items()
        },
        "total": {"min": lo, "max": hi, "recommended": rec},
        "assumptions": [reason(lang, a) for a in result.assumptions],
        "caveats": [reason(lang, c) for c in result.caveats],
    }
    if result.sharper:
        fields = join(lang, [t(lang, f"field.{f}") for f in result.sharper])
        out["caveats"].append(t(lang, "size.sharper", fields=fields))
    if result.hourly:
        # Customer-service agents on duty in each open hour (a workload was given).
        out["hourly"] = list(result.hourly)
    if result.service is not None:
        sv = result.service
        out["service"] = {
            "peak_inquiries_per_hour": sv.peak_contacts_per_hour,
            "peak_agents": sv.peak_agents,
            "service_level": sv.service_level,
            "occupancy": sv.occupancy,
            "asa_seconds": sv.asa_seconds,
            "pooled": sv.pooled,
            "separate": sv.separate,
        }
    return out


def compare_json(results: list[SizingResult], lang: Lang) -> dict[str, Any]:
    """The ``size --compare --json`` contract: each scenario's ``size --json`` object, and the
    last scenario minus the first, per role (every role in either) and in total."""
    from bot.answers.compare import difference

    diff = difference(results)
    return {
        "scenarios": [size_json(r, lang) for r in results],
        "difference": {"roles": dict(diff.roles), "total": diff.total},
    }


def plan_json(workspace: str, state: PlanState) -> dict[str, Any]:
    """The ``plan --json show`` contract (``costs`` only when the workspace set salaries)."""
    out: dict[str, Any] = {
        "workspace": workspace,
        "stores": state.stores,
        "stage": state.stage,
        "channels": list(state.channels),
        "roles": dict(state.roles),
        "total": state.total,
        "locked": state.locked,
    }
    costs = _costs_json(state)
    if costs is not None:
        out["costs"] = costs
    return out


def _costs_json(state: PlanState) -> dict[str, Any] | None:
    """The workspace's own figures and what they give: monthly, per role and in total."""
    from bot.plans.costs import costs_of

    costs = costs_of(state)
    if costs is None:
        return None
    return {
        "currency": state.currency,
        "salaries": {r: _num(v) for r, v in state.salaries.items()},
        "monthly": {"roles": {r: _num(v) for r, v in costs.roles.items()},
                    "total": _num(costs.total)},
        "unpriced": list(costs.unpriced),
    }  # fmt: skip


def _num(value: float) -> float | int:
    """6000.0 -> 6000: whole amounts print as integers."""
    return int(value) if float(value).is_integer() else value


def export_json(workspace: str, state: PlanState, attachment: Attachment) -> dict[str, Any]:
    """The ``plan --json export`` contract: the plan, and the exported file."""
    name = attachment.filename
    fmt = name.rsplit(".", 1)[-1]
    return {
        **plan_json(workspace, state),
        "export": {"format": fmt, "filename": name, "content": attachment.text},
    }


def one_line(answer: Answer) -> str:
    """An answer as one line (refusals on stderr)."""
    body = next((line for s in answer.sections for line in s.lines), "")
    return f"{answer.title}: {body}" if body else answer.title
