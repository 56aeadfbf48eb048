"""The console chat: reads lines, answers each, quits on 'exit' or end of input."""

from __future__ import annotations

import io

from adapters.console import chat, render, to_incoming
from bot.core import Bot
from bot.strings import t


def test_to_incoming_is_the_local_admin() -> None:
    m = to_incoming("plan lock")
    assert (m.platform, m.workspace, m.user, m.user_is_admin) == ("console", "local", "local", True)


def test_chat_answers_until_exit(bot: Bot) -> None:
    out = io.StringIO()
    code = chat(bot, None, io.StringIO("hola\n\nwhat does copywriting do?\nexit\nhelp\n"), out)
    text = out.getvalue()
    assert code == 0
    assert "Soy ShopCrew" in text and "Copywriter (text editing)" in text
    assert text.count("Hi! I'm ShopCrew") == 0  # 'help' came after 'exit'


def test_chat_ends_at_end_of_input_and_keeps_plans(bot: Bot, plans) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    assert chat(bot, None, io.StringIO("plan add art 2\nplan show"), out) == 0
    assert plans.store.read("local:local").roles == {"art": 2}
    assert "Total" in out.getvalue()


def test_render_bolds_the_title_on_a_terminal(bot: Bot) -> None:
    answer = bot.answer(to_incoming("hi"))
    assert render(answer, color=True).startswith("\033[1m")
    assert not render(answer, color=False).startswith("\033")


def test_quit_words_come_from_the_vocabulary(bot: Bot) -> None:
    for word in ("salir", "quit", ":q"):
        out = io.StringIO()
        assert chat(bot, None, io.StringIO(f"{word}\nhola\n"), out) == 0, word
        assert "Soy ShopCrew" not in out.getvalue(), word


def test_a_farewell_gets_its_reply_then_ends_the_chat(bot: Bot) -> None:
    for word, lang in (("bye", "en"), ("Adiós", "es"), ("chau!", "es")):
        out = io.StringIO()
        assert chat(bot, None, io.StringIO(f"{word}\nhola\n"), out) == 0, word
        assert t(lang, "smalltalk.bye") in out.getvalue(), word
        assert "Soy ShopCrew" not in out.getvalue(), word


def test_ctrl_c_at_the_prompt_clears_the_line(bot: Bot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A terminal: Ctrl-C while typing drops the line and asks again, as a shell does.
    typed = iter([KeyboardInterrupt(), "hola", EOFError()])

    def fake_input(prompt: str) -> str:
        item = next(typed)
        if isinstance(item, BaseException):
            raise item
        return item

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("builtins.input", fake_input)
    out = Tty()
    assert chat(bot, None, Tty(), out) == 0
    assert "^C" in out.getvalue() and "Soy ShopCrew" in out.getvalue()


def test_an_export_is_shown_in_the_terminal(bot: Bot) -> None:
    out = io.StringIO()
    chat(bot, None, io.StringIO("plan add art 2\nplan export csv\n"), out)
    assert "--- shopcrew-plan.csv ---" in out.getvalue() and "art,Art" in out.getvalue()


def test_exports_show_their_table_in_both_languages_and_in_plain_words(bot: Bot) -> None:
    out = io.StringIO()
    script = "plan add art 2\nplan export md\nplan exportar csv\nexport the plan\nexporta el plan\n"
    chat(bot, None, io.StringIO(script), out)
    text = out.getvalue()
    # Each export brings its file: two Markdown tables (English, Spanish) and a CSV, then the
    # plain-word exports, each saying which command it ran.
    assert text.count("--- shopcrew-plan.md ---") == 3
    assert text.count("--- shopcrew-plan.csv ---") == 1
    assert "| Art (designer) | 2 |" in text and "| Arte (diseñador) | 2 |" in text
    assert "art,Arte (diseñador),2" in text
    assert "`/shopcrew plan export md`" in text and "`/shopcrew plan exportar md`" in text


def test_plain_words_change_the_console_plan(bot: Bot, plans) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    chat(bot, None, io.StringIO("add 2 copywriters to the plan\noops that was wrong, undo\n"
                                "agrega 2 diseñadores al plan\n"), out)  # fmt: skip
    assert plans.store.read("local:local").roles == {"art": 2}
    assert "`/shopcrew plan undo`" in out.getvalue()


def test_the_chart_is_saved_in_the_current_folder_never_over_a_file(
    bot: Bot,
    tmp_path,  # type: ignore[no-untyped-def]
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shopcrew-chart.png").write_bytes(b"someone's own file")
    out = io.StringIO()
    lines = "plan chart\nplan add art 2\nplan chart\nplan organigrama\n"
    assert chat(bot, None, io.StringIO(lines), out) == 0
    text = out.getvalue()
    assert t("en", "plan.chart.empty", cmd_add="add", cmd_recommend="recommend") in text
    first, second = tmp_path / "shopcrew-chart-2.png", tmp_path / "shopcrew-chart-3.png"
    assert (tmp_path / "shopcrew-chart.png").read_bytes() == b"someone's own file"
    assert first.read_bytes().startswith(b"\x89PNG") and second.read_bytes().startswith(b"\x89PNG")
    assert first.read_bytes() != second.read_bytes()  # the second is in Spanish
    assert t("en", "chart.saved", path=first) in text
    assert t("es", "chart.saved", path=second) in text
    assert "Art 2" in text  # what the picture shows, in words, in the terminal too


def test_a_folder_that_cannot_be_written_is_said_politely(
    bot: Bot,
    tmp_path,  # type: ignore[no-untyped-def]
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    locked = tmp_path / "gone"
    locked.mkdir()
    monkeypatch.chdir(locked)
    locked.rmdir()  # the current folder was removed meanwhile
    out = io.StringIO()
    assert chat(bot, None, io.StringIO("plan add art 2\nplan chart\n"), out) == 0
    assert "I couldn't save the picture in" in out.getvalue()
    assert "Traceback" not in out.getvalue()
