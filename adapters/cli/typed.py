"""``shopcrew size`` and ``shopcrew plan``: typed options become requests, with no guessing."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from adapters.cli.commands import LazyPlans, db_path, fail
from adapters.cli.output import export_json, one_line, plan_json, size_json
from bot.models import Entities, Message
from bot.render import to_text
from knowledge import Lang


def _size_input(args: argparse.Namespace) -> dict[str, Any]:
    from bot.sizing.inputs import FIELDS

    raw = {f: getattr(args, f) for f in FIELDS if getattr(args, f, None) is not None}
    if raw.get("channels") == "none":
        raw["channels"] = []
    if args.separate:
        raw["pooled"] = False
    return raw


def cmd_size(args: argparse.Namespace) -> int:
    """``shopcrew size``: the sizing engine for the given figures."""
    from bot.core import Bot
    from bot.requests import SizeDetails
    from bot.sizing.engine import size_team
    from bot.sizing.inputs import SizingError, flag_of, parse_input

    try:
        inp = parse_input(**_size_input(args))
    except SizingError as exc:
        return fail(f"{flag_of(exc.field)} must be {exc.allowed} (got {exc.given})")
    lang: Lang = args.lang or "en"
    if args.json:  # the engine's numbers, as a machine contract
        print(json.dumps(size_json(size_team(inp), lang), ensure_ascii=False, indent=2))
        return 0
    entities = Entities(stores=inp.stores, stage=inp.stage, channels=list(inp.channels))
    origin = Message(text="", platform="cli")
    # One command, no "why?" to follow: print the full reasoning at once.
    answer = Bot().handle(SizeDetails(origin=origin, lang=lang, entities=entities, input=inp))
    print(to_text(answer, suggestions=False))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    """``shopcrew plan``: one plan command; refusals exit 1 with one line on stderr."""
    from bot.core import Bot
    from bot.plans.parse import parse_command
    from bot.plans.service import workspace_key
    from bot.requests import PlanRequest
    from bot.storage.errors import StorageError

    plans = LazyPlans(db_path(args))
    try:
        plans.open()
    except StorageError as exc:
        return fail(str(exc), 1)
    bot = Bot(plans=plans)
    # The console user is an admin of the local workspace.
    admin = args.workspace == "local" and args.user == "local"
    origin = Message(
        text="", platform="cli", workspace=args.workspace, user=args.user, user_is_admin=admin
    )
    words = " ".join(args.text)
    command, error, words_lang = parse_command(words, bot.knowledge, "en")
    request = PlanRequest(
        origin=origin, lang="en", text=f"plan {words}", command=command, error=error,
        words_lang=words_lang,
    )  # fmt: skip
    try:
        answer = bot.handle(request)
        if answer.refusal:
            return fail(one_line(answer), 1)
        if args.json:
            assert plans.storage is not None
            state = plans.storage.plans.read(workspace_key(origin))
            out = plan_json(args.workspace, state)
            if answer.attachment is not None:
                out = export_json(args.workspace, state, answer.attachment)
            print(json.dumps(out, ensure_ascii=False))
        elif answer.attachment is not None:
            sys.stdout.write(answer.attachment[1])
        else:
            print(to_text(answer, suggestions=False))
        return 0
    finally:
        if plans.storage is not None:
            plans.storage.close()
