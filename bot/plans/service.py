"""Run plan commands: parse, check permissions, change the plan in one transaction, answer."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from bot.answers.common import short_name
from bot.entities import RoleMatcher, default_matcher
from bot.models import Answer, Lang, Message, Section, Suggestion, Table
from bot.normalize import normalize
from bot.plans.grammar import (
    MAX_COUNT,
    Command,
    GrammarError,
    parse,
    parse_user,
    split_role_and_count,
)
from bot.plans.store import HistoryRow, PlanState, PlanStore
from bot.sizing import SizingResult, parse_input, size_team
from bot.strings import channel_name, t
from knowledge import KnowledgeBase, default_kb

CHANNELS = ("live", "short_video", "xiaohongshu", "kuaishou", "douyin")
_FILLER = frozenset("a an the of el la los las un una de del people person personas".split())
_CHANGES = {"add", "remove", "set", "stores", "stage", "channels", "recommend", "reset", "undo"}


def workspace_key(message: Message) -> str:
    """Platform + workspace id, so a Slack team and a Discord server can never collide.

    The console and the CLI share the ``local`` namespace (the same plan from both).
    """
    platform = "local" if message.platform in ("console", "cli") else message.platform
    return f"{platform}:{message.workspace}"


class PlanService:
    """The team plan of every workspace, behind the plan command grammar."""

    def __init__(self, store: PlanStore, kb: KnowledgeBase | None = None) -> None:
        self.store = store
        self.kb = kb or default_kb()
        self.matcher: RoleMatcher = default_matcher() if kb is None else RoleMatcher(self.kb)

    @classmethod
    def open(cls, path: Path | str) -> PlanService:
        """A service over the database at ``path``."""
        return cls(PlanStore.open(path))

    # --- entry point -------------------------------------------------------------------------

    def handle(self, message: Message, command: str, lang: Lang) -> Answer:
        """Run one command (the text after ``plan``) for the message's workspace."""
        ws = workspace_key(message)
        state = self.store.read(ws)
        try:
            cmd = parse(command)
        except GrammarError as exc:
            reply: Lang = self._lang(None, state, lang)
            return self._usage(reply, t(reply, exc.key, **exc.params))
        reply = self._lang(cmd.lang, state, lang)
        try:
            return self._run(message, ws, cmd, state, reply)
        except GrammarError as exc:
            return self._refusal(reply, t(reply, exc.key, **exc.params), exc)

    @staticmethod
    def _lang(cmd_lang: Lang | None, state: PlanState, asked: Lang) -> Lang:
        # Spanish command words answer in Spanish; otherwise the workspace's language if set.
        if cmd_lang == "es":
            return "es"
        if state.lang in ("en", "es"):
            return state.lang  # type: ignore[return-value]
        return cmd_lang or asked

    def _run(self, msg: Message, ws: str, cmd: Command, state: PlanState, lang: Lang) -> Answer:
        name = cmd.name
        if name == "help":
            return self._usage(lang, None)
        if name == "show":
            return self.show(ws, lang)
        if name == "history":
            return self._history(ws, lang)
        if name == "check":
            return self._check(state, lang)
        if name == "export":
            return self._export(state, cmd, lang)
        if name in ("lock", "unlock", "editors"):
            return self._admin(msg, ws, cmd, lang)
        if name == "lang":
            return self._set_lang(msg, ws, cmd, lang)
        if name in _CHANGES and not self.can_edit(state, msg):
            raise GrammarError("plan.locked.refused")
        if name == "undo":
            return self._undo(msg, ws, lang)
        if name == "reset" and not (cmd.args and cmd.args[0].lower() in ("confirm", "confirmar")):
            return Answer(
                intent="plan",
                language=lang,
                title=t(lang, "plan.title"),
                sections=[Section(lines=[t(lang, "plan.reset.confirm", total=state.total)])],
                suggestions=[Suggestion(label="plan reset confirm", text="plan reset confirm")],
            )
        describe, apply = self._change_fn(cmd, lang)
        before, after = self.store.change(ws, msg.user, f"plan {cmd.raw}", name, apply)
        lines = describe(before, after) if after != before else [t(lang, "plan.changed.nothing")]
        return self._plan_answer(
            after, lang, t(lang, "plan.updated"), lines, changed=after != before
        )

    @staticmethod
    def can_edit(state: PlanState, msg: Message) -> bool:
        """Everyone may edit an unlocked plan; a locked one only admins and granted editors."""
        return not state.locked or msg.user_is_admin or msg.user in state.editors

    # --- changes -------------------------------------------------------------------------------

    def _role(self, text: str, lang: Lang) -> str:
        words = normalize(text).words
        hits = self.matcher.find(words)
        covered = {i for h in hits[:1] for i in range(h.start, h.end)}
        rest = [w for i, w in enumerate(words) if i not in covered and w not in _FILLER]
        # The whole argument must name one role: "copy 1'; DROP TABLE" is not a role.
        if len(hits) == 1 and not rest:
            return hits[0].role
        guesses = self.matcher.suggest(text)
        if guesses:
            names = ", ".join(short_name(self.kb.role(g), lang) for g in guesses)
            raise GrammarError("plan.unknown_role_dym", term=text[:40], roles=names)
        raise GrammarError("plan.unknown_role", term=text[:40])

    def _name(self, role: str, lang: Lang) -> str:
        return short_name(self.kb.role(role), lang)

    def _change_fn(
        self, cmd: Command, lang: Lang
    ) -> tuple[Callable[[PlanState, PlanState], list[str]], Callable[[PlanState], PlanState]]:
        name, args = cmd.name, cmd.args
        if name in ("add", "remove", "set"):
            role_text, n = split_role_and_count(args, lang)
            role = self._role(role_text, lang)
            if name == "set" and n is None:
                raise GrammarError("plan.bad_count", given="", max=MAX_COUNT)
            count = 1 if n is None else n
            label = self._name(role, lang)

            def apply(state: PlanState) -> PlanState:
                current = state.roles.get(role, 0)
                if name == "add":
                    new = current + count
                elif name == "remove":
                    if count > current:
                        raise GrammarError(
                            "plan.remove_too_many", count=current, role=label, n=count
                        )
                    new = current - count
                else:
                    new = count
                if new > MAX_COUNT:
                    raise GrammarError("plan.too_many", count=new, role=label, max=MAX_COUNT)
                if new == 0:
                    state.roles.pop(role, None)
                else:
                    state.roles[role] = new
                return state

            def describe(before: PlanState, after: PlanState) -> list[str]:
                b, a = before.roles.get(role, 0), after.roles.get(role, 0)
                key = {"add": "plan.changed.add", "remove": "plan.changed.remove"}.get(
                    name, "plan.changed.set"
                )
                return [t(lang, key, n=count, role=label, before=b, after=a)]

            return describe, apply
        if name == "stores":
            value = self._stores(args)

            def apply_stores(state: PlanState) -> PlanState:
                state.stores = value
                return state

            return self._describe_field("stores", lang), apply_stores
        if name == "stage":
            stage = self._stage(args)

            def apply_stage(state: PlanState) -> PlanState:
                state.stage = stage
                return state

            return self._describe_field("stage", lang), apply_stage
        if name == "channels":
            channels = self._channels(args)

            def apply_channels(state: PlanState) -> PlanState:
                state.channels = channels
                return state

            return self._describe_field("channels", lang), apply_channels
        if name == "recommend":

            def apply_rec(state: PlanState) -> PlanState:
                result = self._size(state)
                state.roles = {r: s.recommended for r, s in result.roles.items() if s.recommended}
                return state

            def describe_rec(before: PlanState, after: PlanState) -> list[str]:
                lines = [t(lang, "plan.changed.recommend", context=self._context(after, lang))]
                for role in sorted(set(before.roles) | set(after.roles), key=self._order):
                    b, a = before.roles.get(role, 0), after.roles.get(role, 0)
                    if a != b:
                        lines.append(f"• {self._name(role, lang)}: {b} → {a}")
                return lines

            return describe_rec, apply_rec
        # reset confirm: empty the plan's roles and context, keep lock, editors and language.

        def apply_reset(state: PlanState) -> PlanState:
            return PlanState(locked=state.locked, editors=state.editors, lang=state.lang)

        return (lambda b, a: [t(lang, "plan.reset.done")]), apply_reset

    def _describe_field(
        self, field: str, lang: Lang
    ) -> Callable[[PlanState, PlanState], list[str]]:
        def describe(before: PlanState, after: PlanState) -> list[str]:
            return [
                t(
                    lang,
                    f"plan.changed.{field}",
                    before=self._field_text(before, field, lang),
                    after=self._field_text(after, field, lang),
                )
            ]

        return describe

    def _field_text(self, state: PlanState, field: str, lang: Lang) -> str:
        if field == "stores":
            return str(state.stores) if state.stores is not None else t(lang, "plan.not_set")
        if field == "stage":
            return t(lang, f"plan.stage.{state.stage}") if state.stage else t(lang, "plan.not_set")
        if not state.channels:
            return t(lang, "plan.none")
        return ", ".join(channel_name(lang, c) for c in state.channels)

    @staticmethod
    def _stores(args: list[str]) -> int:
        given = " ".join(args)
        if len(args) != 1 or not args[0].isdigit() or not 1 <= int(args[0]) <= 500:
            raise GrammarError("plan.bad_stores", given=given[:40])
        return int(args[0])

    @staticmethod
    def _stage(args: list[str]) -> str:
        given = " ".join(args).lower()
        aliases = {
            "new": "new",
            "nueva": "new",
            "nuevo": "new",
            "mature": "mature",
            "madura": "mature",
            "maduro": "mature",
        }
        if given not in aliases:
            raise GrammarError("plan.bad_stage", given=given[:40])
        return aliases[given]

    @staticmethod
    def _channels(args: list[str]) -> list[str]:
        given = [
            c.strip().lower() for c in " ".join(args).replace(" ", ",").split(",") if c.strip()
        ]
        if not given:
            raise GrammarError("plan.bad_channels", given="")
        if given in (["none"], ["ninguno"], ["ninguna"]):
            return []
        for c in given:
            if c not in CHANNELS:
                raise GrammarError("plan.bad_channels", given=c[:40])
        return [c for c in CHANNELS if c in given]

    def _size(self, state: PlanState) -> SizingResult:
        return size_team(
            parse_input(
                stores=state.stores or 1,
                stage=state.stage or "new",
                channels=list(state.channels),
            )
        )

    def _undo(self, msg: Message, ws: str, lang: Lang) -> Answer:
        def allowed(entry: HistoryRow) -> None:
            if entry.kind in ("lock", "unlock", "editors") and not msg.user_is_admin:
                raise GrammarError("plan.admin_only", action=t(lang, "plan.action.undo_admin"))

        entry = self.store.undo(ws, msg.user, allowed)
        if entry is None:
            return self._plan_answer(
                self.store.read(ws), lang, t(lang, "plan.title"), [t(lang, "plan.undo.nothing")]
            )
        return self._plan_answer(
            entry.before,
            lang,
            t(lang, "plan.updated"),
            [t(lang, "plan.undo.done", command=entry.command)],
            changed=True,
        )

    # --- admin -------------------------------------------------------------------------------

    def _admin(self, msg: Message, ws: str, cmd: Command, lang: Lang) -> Answer:
        action = "plan.action.lock" if cmd.name in ("lock", "unlock") else "plan.action.editors"
        if cmd.name == "editors" and not cmd.args:
            state = self.store.read(ws)
            users = ", ".join(state.editors) or t(lang, "plan.none")
            return self._plan_answer(
                state, lang, t(lang, "plan.title"), [t(lang, "plan.editors.list", users=users)]
            )
        if not msg.user_is_admin:
            raise GrammarError("plan.admin_only", action=t(lang, action))
        if cmd.name in ("lock", "unlock"):
            locked = cmd.name == "lock"

            def apply_lock(state: PlanState) -> PlanState:
                state.locked = locked
                return state

            before, after = self.store.change(ws, msg.user, f"plan {cmd.raw}", cmd.name, apply_lock)
            done = "plan.lock.done" if locked else "plan.unlock.done"
            return self._plan_answer(
                after, lang, t(lang, "plan.updated"), [t(lang, done)], changed=after != before
            )
        if len(cmd.args) != 2 or cmd.args[0].lower() not in (
            "add",
            "remove",
            "anadir",
            "añadir",
            "quitar",
        ):
            raise GrammarError("plan.editors.usage")
        adding = cmd.args[0].lower() in ("add", "anadir", "añadir")
        user = parse_user(cmd.args[1])

        def apply_editors(state: PlanState) -> PlanState:
            editors = [e for e in state.editors if e != user]
            state.editors = [*editors, user] if adding else editors
            return state

        before, after = self.store.change(ws, msg.user, f"plan {cmd.raw}", "editors", apply_editors)
        key = "plan.editors.added" if adding else "plan.editors.removed"
        return self._plan_answer(
            after, lang, t(lang, "plan.updated"), [t(lang, key, user=user)], changed=after != before
        )

    def _set_lang(self, msg: Message, ws: str, cmd: Command, lang: Lang) -> Answer:
        if len(cmd.args) != 1 or cmd.args[0].lower() not in ("en", "es"):
            raise GrammarError("plan.lang.bad")
        if not self.can_edit(self.store.read(ws), msg):
            raise GrammarError("plan.locked.refused")
        new: Lang = "en" if cmd.args[0].lower() == "en" else "es"

        def apply(state: PlanState) -> PlanState:
            state.lang = new
            return state

        before, after = self.store.change(ws, msg.user, f"plan {cmd.raw}", "lang", apply)
        return self._plan_answer(
            after, new, t(new, "plan.updated"), [t(new, "plan.lang.done")], changed=after != before
        )

    # --- read-only views -------------------------------------------------------------------

    def show(self, ws: str, lang: Lang) -> Answer:
        """The plan of workspace ``ws``."""
        return self._plan_answer(self.store.read(ws), lang, t(lang, "plan.title"), [])

    def _order(self, role: str) -> int:
        return list(self.kb.roles).index(role)

    def _context(self, state: PlanState, lang: Lang) -> str:
        return t(
            lang,
            "plan.context",
            stores=self._field_text(state, "stores", lang),
            stage=self._field_text(state, "stage", lang),
            channels=self._field_text(state, "channels", lang),
        )

    def table(self, state: PlanState, lang: Lang) -> Table:
        """The plan as a role/count table with a total row."""
        rows = [
            [self._name(r, lang), str(n)]
            for r, n in sorted(state.roles.items(), key=lambda x: self._order(x[0]))
        ]
        rows.append([t(lang, "plan.total"), str(state.total)])
        return Table(headers=[t(lang, "plan.col.role"), t(lang, "plan.col.count")], rows=rows)

    def _plan_answer(
        self, state: PlanState, lang: Lang, title: str, lines: list[str], changed: bool = False
    ) -> Answer:
        sections = []
        if lines:
            sections.append(Section(lines=lines))
        context = [self._context(state, lang)]
        if state.locked:
            context.append(t(lang, "plan.is_locked"))
        if state.roles:
            sections.append(Section(lines=context, table=self.table(state, lang)))
        else:
            sections.append(Section(lines=[*context, t(lang, "plan.empty")]))
        return Answer(
            intent="plan",
            language=lang,
            title=title,
            sections=sections,
            suggestions=[
                Suggestion(label=t(lang, "suggest.plan_show"), text="plan show"),
                Suggestion(label=t(lang, "suggest.plan_recommend"), text="plan recommend"),
                Suggestion(label="plan check", text="plan check"),
            ],
            changed_plan=changed,
        )

    def _history(self, ws: str, lang: Lang) -> Answer:
        rows = self.store.history(ws)
        lines = [
            f"{r.at.replace('T', ' ').rstrip('Z')} · {r.user} · {r.command}"
            + (t(lang, "plan.history.undone") if r.undone else "")
            for r in rows
        ] or [t(lang, "plan.history.empty")]
        return Answer(
            intent="plan",
            language=lang,
            title=t(lang, "plan.history.title"),
            sections=[Section(lines=lines)],
            suggestions=[Suggestion(label="plan undo", text="plan undo")],
        )

    def _check(self, state: PlanState, lang: Lang) -> Answer:
        result = self._size(state)
        lines: list[str] = []
        ok: list[str] = []
        for role, size in result.roles.items():
            have = state.roles.get(role, 0)
            why = t(lang, size.why.key, **size.why.params)
            name = self._name(role, lang)
            if have == 0 and size.recommended > 0:
                lines.append(
                    "• " + t(lang, "plan.check.missing", role=name, rec=size.recommended, why=why)
                )
            elif have < size.min:
                lines.append(
                    "• "
                    + t(
                        lang,
                        "plan.check.under",
                        role=name,
                        count=have,
                        rec=size.recommended,
                        min=size.min,
                        max=size.max,
                        why=why,
                    )
                )
            elif have > size.max:
                lines.append(
                    "• "
                    + t(
                        lang,
                        "plan.check.over",
                        role=name,
                        count=have,
                        min=size.min,
                        max=size.max,
                        why=why,
                    )
                )
            elif have:
                ok.append(name)
        for role, have in state.roles.items():
            if role not in result.roles:
                lines.append(
                    "• " + t(lang, "plan.check.extra", role=self._name(role, lang), count=have)
                )
        if ok:
            lines.append(t(lang, "plan.check.ok", roles=", ".join(ok)))
        if not lines or (len(lines) == 1 and ok):
            lines.insert(0, t(lang, "plan.check.all_ok"))
        if state.stores is None:
            lines.insert(0, t(lang, "plan.check.assumed_stores"))
        return Answer(
            intent="plan",
            language=lang,
            title=t(lang, "plan.check.title"),
            sections=[Section(lines=[self._context(state, lang)]), Section(lines=lines)],
            suggestions=[
                Suggestion(label=t(lang, "suggest.plan_recommend"), text="plan recommend")
            ],
        )

    def _export(self, state: PlanState, cmd: Command, lang: Lang) -> Answer:
        fmt = cmd.args[0].lower() if cmd.args else ""
        if fmt not in ("csv", "md"):
            raise GrammarError("plan.export.bad_format")
        ordered = sorted(state.roles.items(), key=lambda x: self._order(x[0]))
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(["role", "name", "count"])
            for role, n in ordered:
                writer.writerow([role, self.kb.role(role).name.get(lang), n])
            content, filename = buf.getvalue(), "shopcrew-plan.csv"
        else:
            head = f"| {t(lang, 'plan.col.role')} | {t(lang, 'plan.col.count')} |\n|---|---:|\n"
            body = "".join(f"| {self.kb.role(r).name.get(lang)} | {n} |\n" for r, n in ordered)
            content = head + body + f"| **{t(lang, 'plan.total')}** | **{state.total}** |\n"
            filename = "shopcrew-plan.md"
        return Answer(
            intent="plan",
            language=lang,
            title=t(lang, "plan.export.title", format=fmt.upper()),
            sections=[Section(lines=[self._context(state, lang)])],
            attachment=(filename, content),
        )

    # --- refusals ------------------------------------------------------------------------------

    def _usage(self, lang: Lang, problem: str | None) -> Answer:
        lines = [f"• {u}" for u in t(lang, "plan.usage").split("|")]
        sections = [Section(lines=lines)]
        if problem:
            sections.insert(0, Section(lines=[problem]))
        return Answer(
            intent="plan",
            language=lang,
            title=t(lang, "plan.usage.title"),
            sections=sections,
            refusal=problem is not None,
        )

    def _refusal(self, lang: Lang, text: str, exc: GrammarError) -> Answer:
        sections = [Section(lines=[text])]
        suggestions = []
        if exc.key == "plan.unknown_role_dym":
            suggestions = [Suggestion(label="plan help", text="plan help")]
        return Answer(
            intent="plan",
            language=lang,
            title=t(lang, "plan.refused"),
            sections=sections,
            suggestions=suggestions,
            refusal=True,
        )
