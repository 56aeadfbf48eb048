"""``shopcrew plan``: one plan command from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.models import Answer, Message
from bot.plans.service import PlanService, workspace_key
from bot.plans.store import PlanState
from bot.render import to_text


def plan_json(workspace: str, state: PlanState) -> dict[str, Any]:
    """The ``plan --json show`` contract."""
    return {
        "workspace": workspace,
        "stores": state.stores,
        "stage": state.stage,
        "channels": list(state.channels),
        "roles": dict(state.roles),
        "total": state.total,
        "locked": state.locked,
    }


def _one_line(answer: Answer) -> str:
    body = next((line for s in answer.sections for line in s.lines), "")
    return f"{answer.title}: {body}" if body else answer.title


def run_plan_command(args: argparse.Namespace) -> int:
    """Run the command; refusals exit 1 with one line on stderr."""
    from bot.core import Bot
    from bot.settings import load_settings

    service = PlanService.open(args.db or load_settings().db)
    bot = Bot(plans=service)
    # The console user is an admin of the local workspace.
    admin = args.workspace == "local" and args.user == "local"
    message = Message(
        text="plan " + " ".join(args.text),
        platform="cli",
        workspace=args.workspace,
        user=args.user,
        user_is_admin=admin,
    )
    try:
        answer = bot.handle(message)
        if answer.refusal:
            print(f"shopcrew: {_one_line(answer)}", file=sys.stderr)
            return 1
        if answer.attachment is not None:
            sys.stdout.write(answer.attachment[1])
        elif args.json:
            state = service.store.read(workspace_key(message))
            print(json.dumps(plan_json(args.workspace, state), ensure_ascii=False))
        else:
            print(to_text(answer, suggestions=False))
        return 0
    finally:
        service.store.close()
