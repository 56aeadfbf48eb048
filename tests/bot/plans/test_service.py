"""Every plan command in both languages, permissions, isolation, undo and export."""

from __future__ import annotations

import csv
import io

import pytest

from bot.core import Bot
from bot.models import Answer, Message
from bot.plans.service import PlanService
from bot.plans.state import PlanState
from bot.plans.store import PlanStore
from bot.render import to_text
from bot.storage import Storage
from bot.storage.database import Database

WS = "slack:T1"


def run(bot: Bot, text: str, **kw: object) -> Answer:
    fields: dict[str, object] = {"platform": "slack", "workspace": "T1", "user": "U1"}
    fields.update(kw)
    return bot.answer(Message(text=text, **fields))  # type: ignore[arg-type]


def state(plans: PlanService, ws: str = WS):  # type: ignore[no-untyped-def]
    return plans.store.read(ws)


@pytest.mark.parametrize(
    ("commands", "roles"),
    [
        (["plan add copywriter 2"], {"copywriter": 2}),
        (["plan añadir redactor 2"], {"copywriter": 2}),
        (["plan add artst", "plan add diseñador 2"], {"art": 3}),
        (["plan add art 3", "plan remove art"], {"art": 2}),
        (["plan add art 3", "plan quitar arte 3"], {}),
        (["plan set customer service 4"], {"customer_service": 4}),
        (["plan fijar atencion al cliente 4", "plan set cs 0"], {}),
        (["plan add 2 copywriters"], {"copywriter": 2}),
        (["/shopcrew plan add ops two"], {"operations": 2}),
    ],
)
def test_role_counts(
    bot: Bot, plans: PlanService, commands: list[str], roles: dict[str, int]
) -> None:
    for c in commands:
        assert not run(bot, c).refusal, c
    assert state(plans).roles == roles


def test_context_commands(bot: Bot, plans: PlanService) -> None:
    run(bot, "plan stores 3")
    run(bot, "plan stage mature")
    run(bot, "plan channels live, xiaohongshu")
    s = state(plans)
    assert (s.stores, s.stage, s.channels) == (3, "mature", ["live", "xiaohongshu"])
    run(bot, "plan tiendas 4")
    run(bot, "plan etapa nueva")
    run(bot, "plan canales none")
    s = state(plans)
    assert (s.stores, s.stage, s.channels) == (4, "new", [])


@pytest.mark.parametrize(
    ("command", "key_text"),
    [
        ("plan stores 0", "1 to 500"),
        ("plan stores 501", "1 to 500"),
        ("plan stores many", "1 to 500"),
        ("plan stage old", "`new` or `mature`"),
        ("plan channels radio", "not a channel"),
        ("plan add art 1000", "0 to 999"),
        ("plan add art -2", "0 to 999"),
        ("plan add art 1.5", "0 to 999"),
        ("plan remove art", "I can't remove 1"),
        ("plan add sommelier", "I don't know the role"),
        ("plan add supervisor", "Did you mean"),
        ("plan add", "Which role?"),
        ("plan export pdf", "`csv` or `md`"),
        ("plan lang fr", "`en` or `es`"),
    ],
)
def test_refusals_change_nothing(bot: Bot, plans: PlanService, command: str, key_text: str) -> None:
    before = state(plans)
    answer = run(bot, command)
    assert answer.refusal, command
    assert key_text in to_text(answer)
    assert state(plans) == before
    assert plans.store.history(WS) == []


def test_unknown_command_shows_usage_in_the_users_language(bot: Bot) -> None:
    en = run(bot, "plan frobnicate")
    assert en.refusal and "plan add ROLE [N]" in to_text(en)
    # A new conversation in a Spanish workspace; the English one above stays English.
    es = run(bot, "plan frobnicar", default_lang="es", user="U2")
    assert es.language == "es" and "plan agregar PUESTO [N]" in to_text(es)
    assert run(bot, "plan frobnicar", default_lang="es").language == "en"


def test_reply_language_follows_command_words_or_workspace(bot: Bot) -> None:
    assert run(bot, "plan add art").language == "en"
    assert run(bot, "plan añadir arte").language == "es"
    run(bot, "plan lang es")
    assert run(bot, "plan show").language == "es"
    assert run(bot, "plan idioma en").language == "en"


def test_show_lists_context_roles_and_total(bot: Bot) -> None:
    run(bot, "plan add art 2")
    run(bot, "plan add copywriter")
    answer = run(bot, "plan show")
    table = next(s.table for s in answer.sections if s.table)
    assert table.rows == [["Art", "2"], ["Copywriter", "1"], ["Total", "3"]]
    assert not answer.changed_plan
    assert run(bot, "plan add art").changed_plan


def test_recommend_fills_from_the_sizing_engine_and_check_agrees(
    bot: Bot, plans: PlanService
) -> None:
    run(bot, "plan stores 2")
    answer = run(bot, "plan recommend")
    assert "Operations: 0 → 2" in to_text(answer)
    assert state(plans).roles == {"operations": 2, "art": 1, "customer_service": 4}
    assert "within the sizing engine's ranges" in to_text(run(bot, "plan check"))


def test_check_reports_missing_under_and_over(bot: Bot) -> None:
    run(bot, "plan stores 2")
    run(bot, "plan add art 5")
    run(bot, "plan add ops 1")
    run(bot, "plan add anchor 1")
    text = to_text(run(bot, "plan check"))
    assert "Missing: Customer service (recommended 4)" in text
    assert "Under-staffed: Operations has 1" in text
    assert "Above the range: Art has 5" in text
    assert "Optional at this stage: Anchor (1) – the article needs it once you also work" in text
    assert "not needed" not in text.lower()


def test_history_and_repeatable_undo(bot: Bot, plans: PlanService) -> None:
    run(bot, "plan add art 2", user="U1")
    run(bot, "plan stores 3", user="U2")
    history = to_text(run(bot, "plan history"))
    assert "U1 · plan add art 2" in history and "U2 · plan stores 3" in history
    assert "Undone: plan stores 3" in to_text(run(bot, "plan undo"))
    assert state(plans).stores is None
    run(bot, "plan deshacer")
    assert state(plans).roles == {}
    assert "Nothing to undo" in to_text(run(bot, "plan undo"))
    assert "(undone)" in to_text(run(bot, "plan history"))


@pytest.mark.parametrize(
    "change",
    [
        "plan add art 2",
        "plan remove art 1",
        "plan set art 7",
        "plan stores 9",
        "plan stage mature",
        "plan channels douyin",
        "plan recommend",
        "plan reset confirm",
        "plan lock",
        "plan editors add U9",
        "plan lang es",
    ],
)
def test_undo_after_each_kind_of_change(bot: Bot, plans: PlanService, change: str) -> None:
    run(bot, "plan add art 3", user_is_admin=True)
    run(bot, "plan stores 2", user_is_admin=True)
    before = state(plans)
    assert not run(bot, change, user_is_admin=True).refusal
    assert state(plans) != before
    run(bot, "plan undo", user_is_admin=True)
    assert state(plans) == before


def test_reset_asks_for_confirmation(bot: Bot, plans: PlanService) -> None:
    run(bot, "plan add art 3")
    answer = run(bot, "plan reset")
    assert "plan reset confirm" in to_text(answer) and state(plans).roles == {"art": 3}
    run(bot, "plan vaciar confirmar")
    assert state(plans).roles == {}


def test_locked_plan_refuses_non_editors_and_says_why(bot: Bot, plans: PlanService) -> None:
    assert run(bot, "plan lock", user="U1").refusal  # not an admin
    run(bot, "plan lock", user="ADMIN", user_is_admin=True)
    refused = run(bot, "plan add art", user="U1")
    assert refused.refusal and "locked" in to_text(refused)
    assert run(bot, "plan show", user="U1").refusal is False  # reading is fine
    assert run(bot, "plan undo", user="U1").refusal
    assert run(bot, "plan editors add <@U1>", user="U1").refusal
    run(bot, "plan editors add <@U1>", user="ADMIN", user_is_admin=True)
    assert not run(bot, "plan add art", user="U1").refusal
    run(bot, "plan editors remove U1", user="ADMIN", user_is_admin=True)
    assert run(bot, "plan add art", user="U1").refusal
    assert state(plans).roles == {"art": 1}
    # Undoing an admin action needs an admin, even for an editor.
    run(bot, "plan editors add U2", user="ADMIN", user_is_admin=True)
    assert run(bot, "plan undo", user="U2").refusal
    run(bot, "plan unlock", user="ADMIN", user_is_admin=True)
    assert not run(bot, "plan add art", user="U1").refusal


class LockedMeanwhile(PlanStore):
    """A store where an admin locks the plan right after a request has read it."""

    def __init__(self, database: Database) -> None:
        super().__init__(database)
        self.armed = True

    def read(self, workspace: str) -> PlanState:
        state = super().read(workspace)
        if self.armed:
            self.armed = False

            def lock(s: PlanState) -> PlanState:
                return s.model_copy(update={"locked": True})

            self.change(workspace, "ADMIN", "plan lock", "lock", lock)
        return state


@pytest.mark.parametrize("text", ["plan add art 2", "plan undo"])
def test_a_lock_committed_after_the_read_still_stops_a_change(storage: Storage, text: str) -> None:
    store = LockedMeanwhile(storage.database)
    store.armed = False
    store.change(
        WS, "U1", "plan add art 1", "add", lambda s: s.model_copy(update={"roles": {"art": 1}})
    )
    store.armed = True
    bot = Bot(plans=PlanService(store))
    answer = run(bot, text, user="U1")
    assert answer.refusal and "locked" in to_text(answer)
    assert store.read(WS).roles == {"art": 1} and store.read(WS).locked


def test_workspaces_are_isolated(bot: Bot, plans: PlanService) -> None:
    run(bot, "plan add art 2", platform="slack", workspace="T1")
    run(bot, "plan add copywriter 5", platform="discord", workspace="T1")
    run(bot, "plan add anchor 1", platform="slack", workspace="T2")
    assert plans.store.read("slack:T1").roles == {"art": 2}
    assert plans.store.read("discord:T1").roles == {"copywriter": 5}
    assert plans.store.read("slack:T2").roles == {"anchor": 1}
    run(bot, "plan undo", platform="slack", workspace="T2")
    assert plans.store.read("slack:T1").roles == {"art": 2}
    assert plans.store.read("slack:T2").roles == {}
    assert "copywriter" not in to_text(run(bot, "plan history", platform="slack", workspace="T1"))


def test_console_and_cli_share_the_local_plan(bot: Bot, plans: PlanService) -> None:
    bot.answer(Message(text="plan add art", platform="console"))
    bot.answer(Message(text="plan add art", platform="cli"))
    assert plans.store.read("local:local").roles == {"art": 2}


def test_export_csv_round_trips(bot: Bot, plans: PlanService) -> None:
    run(bot, "plan add customer service 4")
    run(bot, "plan add art 2")
    answer = run(bot, "plan export csv")
    assert answer.attachment is not None
    assert answer.attachment.filename.endswith(".csv")
    assert answer.attachment.media_type == "text/csv"
    rows = list(csv.DictReader(io.StringIO(answer.attachment.text)))
    assert {r["role"]: int(r["count"]) for r in rows} == state(plans).roles


def test_export_markdown(bot: Bot) -> None:
    run(bot, "plan add art 2")
    answer = run(bot, "plan exportar md")
    assert answer.attachment is not None
    assert "| Arte (diseñador) | 2 |" in answer.attachment.text
    assert "| **Total** | **2** |" in answer.attachment.text


def test_show_the_plan_phrase(bot: Bot) -> None:
    run(bot, "plan add art")
    assert run(bot, "show the plan").intent == "plan"
    assert run(bot, "ver el plan").language == "es"


@pytest.mark.parametrize(
    "command",
    [
        "plan ver",
        "plan añadir arte 2",
        "plan quitar arte",
        "plan fijar redactor 3",
        "plan tiendas 2",
        "plan etapa madura",
        "plan canales live",
        "plan recomendar",
        "plan revisar",
        "plan historial",
        "plan deshacer",
        "plan exportar csv",
        "plan vaciar",
        "plan bloquear",
        "plan desbloquear",
        "plan editores añadir U7",
        "plan ayuda",
    ],
)
def test_every_command_in_spanish(bot: Bot, command: str) -> None:
    run(bot, "plan add art 2")
    answer = run(bot, command, user_is_admin=True)
    assert not answer.refusal, to_text(answer)
    assert answer.language == "es", command
