"""``shopcrew size`` and ``shopcrew plan``: typed options become requests, with no guessing."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapters.cli.commands import LazyPlans, db_path, fail
from adapters.cli.output import compare_json, export_json, one_line, plan_json, size_json
from bot.models import Answer, Attachment, Entities, Message
from bot.render import to_text
from knowledge import Lang

if TYPE_CHECKING:
    from bot.plans.state import PlanState
    from bot.sizing.inputs import SizingInput


def _size_input(args: argparse.Namespace) -> dict[str, Any]:
    from bot.sizing.inputs import FIELDS

    raw = {f: getattr(args, f) for f in FIELDS if getattr(args, f, None) is not None}
    if raw.get("channels") == "none":
        raw["channels"] = []
    if args.separate:
        raw["pooled"] = False
    return raw


def _compare_values(spec: str) -> tuple[str, list[Any]]:
    """``stores=2,3`` -> ("stores", [2, 3]) as typed; :class:`ValueError` says what is wrong."""
    from bot.sizing.inputs import FIELDS, flag_of

    names = {n: f for f in FIELDS for n in (f, f.replace("_", "-"), flag_of(f).lstrip("-"))}
    name, _, values = spec.partition("=")
    field = names.get(name.strip().lower())
    if field is None:
        raise ValueError(f"--compare: unknown figure {name!r} (one of {', '.join(FIELDS)})")
    raw = [v.strip() for v in values.split(",")]
    if not 2 <= len(raw) <= 4 or not all(raw):
        raise ValueError("--compare needs two to four values, e.g. stores=2,3")
    if field == "channels":  # "live+xiaohongshu,none": a list per scenario
        return field, [[] if v == "none" else v.split("+") for v in raw]
    return field, list(raw)


def _compared(args: argparse.Namespace) -> list[SizingInput]:
    """The scenarios of ``--compare``: the other options as given, the compared figure varied."""
    from bot.sizing.inputs import parse_input

    field, values = _compare_values(args.compare)
    given = _size_input(args)
    return [parse_input(**{**given, field: value}) for value in values]


def cmd_size(args: argparse.Namespace) -> int:
    """``shopcrew size``: the sizing engine for the given figures (``--compare``: side by side)."""
    from bot.sizing.engine import size_team
    from bot.sizing.inputs import SizingError, flag_of, parse_input

    compared = args.compare and args.compare.partition("=")[0].strip() == "stores"
    if args.stores is None and not compared:  # --compare stores=2,3 gives the stores itself
        return fail("the following arguments are required: --stores (see 'shopcrew size --help')")
    try:
        inputs = _compared(args) if args.compare else [parse_input(**_size_input(args))]
    except SizingError as exc:
        return fail(f"{flag_of(exc.field)} must be {exc.allowed} (got {exc.given})")
    except ValueError as exc:
        return fail(str(exc))
    lang: Lang = args.lang or "en"
    if args.json:  # the engine's numbers, as a machine contract
        results = [size_team(inp) for inp in inputs]
        out = compare_json(results, lang) if args.compare else size_json(results[0], lang)
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for answer in _size_answers(inputs, lang, bool(args.compare), args.explain):
        print(to_text(answer, suggestions=False))
    return 0


def _size_answers(
    inputs: list[SizingInput], lang: Lang, compare: bool, explain: bool
) -> list[Answer]:
    """The chat-sized answer (or the comparison); with ``explain``, the reasoning of each."""
    from bot.core import Bot
    from bot.requests import CompareSizes, SizeDetails, SizeTeam

    bot, origin = Bot(), Message(text="", platform="cli")

    def entities(inp: SizingInput) -> Entities:
        return Entities(stores=inp.stores, stage=inp.stage, channels=list(inp.channels))

    if compare:
        first = bot.handle(CompareSizes(origin=origin, lang=lang, inputs=tuple(inputs)))
    else:
        first = bot.handle(SizeTeam(origin=origin, lang=lang, entities=entities(inputs[0]),
                                    input=inputs[0]))  # fmt: skip
    if not explain:
        return [first]
    details = [
        bot.handle(SizeDetails(origin=origin, lang=lang, entities=entities(i), input=i))
        for i in inputs
    ]
    return details if not compare else [first, *details]


def _saved(file: Attachment | None, out: str | None) -> Path | None:
    """Where the answer's file was written: ``--out``, or for a picture (which a terminal
    cannot show) its own name in the current folder. A text export without ``--out`` goes to
    stdout (None)."""
    from adapters.files import save

    if file is None or (out is None and file.is_text):
        return None
    return save(file, Path(out) if out is not None else None)


def _plan_out(
    args: argparse.Namespace, state: PlanState, answer: Answer, saved: Path | None
) -> dict[str, Any]:
    """The ``plan --json`` object: the plan, an export's content, a written file's path."""
    file = answer.attachment
    out = plan_json(args.workspace, state)
    if file is not None and file.is_text:
        out = export_json(args.workspace, state, file)
    if file is not None and saved is not None:
        out["file"] = {"path": str(saved), "media_type": file.media_type, "alt_text": file.alt_text}
    return out


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
        saved = _saved(answer.attachment, args.out)
        if args.json:
            assert plans.storage is not None
            state = plans.storage.plans.read(workspace_key(origin))
            print(json.dumps(_plan_out(args, state, answer, saved), ensure_ascii=False))
        elif saved is not None:
            print(saved)
        elif answer.attachment is not None:
            sys.stdout.write(answer.attachment.text)
        else:
            print(to_text(answer, suggestions=False))
        return 0
    except OSError as exc:  # --out names a folder that does not exist, or one not writable
        return fail(f"cannot write {args.out or exc.filename}: {exc.strerror}", 1)
    finally:
        if plans.storage is not None:
            plans.storage.close()
