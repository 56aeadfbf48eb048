"""The ``shopcrew`` command as a user runs it: ask, size, plan, and every command in the README."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.strings import t

ROOT = Path(__file__).resolve().parents[2]
SHOPCREW = str(Path(sys.executable).parent / "shopcrew")


def run(
    *args: str, stdin: str = "", db: Path | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    for key in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        env.pop(key, None)
    # This checkout's code, even when the virtual environment was installed from another one.
    env["PYTHONPATH"] = str(ROOT)
    if db is not None:
        env["SHOPCREW_DB"] = str(db)
    return subprocess.run(
        [SHOPCREW, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


def test_ask_json_prints_exactly_one_object(tmp_path: Path) -> None:
    out = run("ask", "--json", "how many people for two stores?", db=tmp_path / "x.db")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["intent"] == "team_size" and data["stores"] == 2 and data["language"] == "en"


def test_ask_batch_reads_stdin_line_by_line(tmp_path: Path) -> None:
    questions = "what does copywriting do?\n¿qué hace el ancla?\n\nhola\n"
    out = run("ask", "--json", "-", stdin=questions, db=tmp_path / "x.db")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(x["intent"], x["language"]) for x in lines] == [
        ("role_duties", "en"),
        ("role_duties", "es"),
        ("unknown", "es"),  # the empty line continues the conversation in Spanish
        ("help", "es"),
    ]
    assert lines[0]["roles"] == ["copywriter"] and lines[1]["roles"] == ["anchor"]


def test_size_json_contract() -> None:
    out = run("size", "--stores", "2", "--channels", "live", "--json")
    data = json.loads(out.stdout)
    assert set(data) >= {"stores", "stage", "channels", "roles", "total", "assumptions", "caveats"}
    assert data["roles"]["customer_service"]["recommended"] == 4
    assert "anchor" in data["roles"] and "hr" not in data["roles"]
    assert data["total"]["recommended"] == sum(r["recommended"] for r in data["roles"].values())


def test_size_reasons_in_spanish() -> None:
    out = run("size", "--stores", "1", "--lang", "es", "--explain")
    assert "Servicio al cliente" in out.stdout and "El artículo" in out.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stores", "0"], "--stores must be 1–500"),
        (["--stores", "two"], "--stores must be 1–500"),
        (["--stores", "2", "--stage", "old"], "--stage must be new | mature"),
        (["--stores", "2", "--concurrency", "9"], "--concurrency must be 1–5"),
        (["--stores", "2", "--channels", "radio"], "--channels must be"),
        (["--stores", "2", "--bogus"], "unrecognized arguments"),
    ],
)
def test_size_bad_input_is_one_line_on_stderr(args: list[str], message: str) -> None:
    out = run("size", *args)
    assert out.returncode != 0 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and message in out.stderr


def test_plan_cli_json_and_refusals(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    assert run("plan", "--db", str(db), "add", "copywriter", "2").returncode == 0
    assert run("plan", "--db", str(db), "stores", "2").returncode == 0
    data = json.loads(run("plan", "--db", str(db), "--json", "show").stdout)
    assert data == {
        "workspace": "local",
        "stores": 2,
        "stage": None,
        "channels": [],
        "roles": {"copywriter": 2},
        "total": 2,
        "locked": False,
    }
    refused = run("plan", "--db", str(db), "remove", "copywriter", "5")
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert "I can't remove 5" in refused.stderr
    other = run("plan", "--db", str(db), "--workspace", "T9", "--user", "u", "lock")
    assert other.returncode == 1 and "Only workspace admins" in other.stderr
    csv_out = run("plan", "--db", str(db), "export", "csv")
    assert csv_out.stdout.splitlines() == [
        "role,name,count",
        "copywriter,Copywriter (text editing),2",
    ]


def test_plan_json_adds_costs_only_once_salaries_are_set(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert run("plan", "--db", str(db), "add", "copywriter", "2").returncode == 0
    assert run("plan", "--db", str(db), "set", "art", "3").returncode == 0
    assert "costs" not in json.loads(run("plan", "--db", str(db), "--json", "show").stdout)
    for args in (["sueldo", "arte", "6000"], ["currency", "MXN"]):
        out = run("plan", "--db", str(db), *args)
        assert out.returncode == 0, out.stderr
    data = json.loads(run("plan", "--db", str(db), "--json", "show").stdout)
    assert data["costs"] == {
        "currency": "MXN",
        "salaries": {"art": 6000},
        "monthly": {"roles": {"art": 18000}, "total": 18000},
        "unpriced": ["copywriter"],
    }
    shown = run("plan", "--db", str(db), "show").stdout
    assert "MX$18,000" in shown and "Monthly cost" in shown


def test_plan_export_json_and_exports_through_ask(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    assert run("plan", "--db", str(db), "add", "copywriter", "2").returncode == 0
    for args in (["--json", "export", "md"], ["exportar", "csv", "--json"]):
        out = run("plan", "--db", str(db), *args)
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        assert data["roles"] == {"copywriter": 2} and data["total"] == 2
        fmt = args[-1] if args[0] == "--json" else args[1]
        assert data["export"]["format"] == fmt and "copywriter" in data["export"]["content"].lower()
    asked = run("ask", "--db", str(db), "export the plan")
    assert "| Copywriter (text editing) | 2 |" in asked.stdout
    as_json = json.loads(run("ask", "--db", str(db), "--json", "plan exportar md").stdout)
    assert as_json["intent"] == "plan" and as_json["language"] == "es"
    assert "| Redactor (edición de textos) | 2 |" in as_json["text"]


def test_plan_chart_writes_the_picture_and_prints_where(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert run("plan", "--db", str(db), "add", "copywriter", "2").returncode == 0
    chosen = tmp_path / "team.png"
    out = run("plan", "--db", str(db), "chart", "--out", str(chosen))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(chosen.resolve())
    assert chosen.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    # Without --out: its own name in the current folder, never over a file already there.
    folder = tmp_path / "here"
    folder.mkdir()
    for expected in ("shopcrew-chart.png", "shopcrew-chart-2.png"):
        out = run("plan", "--db", str(db), "organigrama", cwd=folder)
        assert out.returncode == 0 and out.stdout.strip() == str(folder / expected)
    assert (folder / "shopcrew-chart.png").read_bytes() != chosen.read_bytes()  # in Spanish
    data = json.loads(run("plan", "--db", str(db), "--json", "chart", "--out", str(chosen)).stdout)
    assert data["roles"] == {"copywriter": 2} and data["file"]["path"] == str(chosen.resolve())
    assert data["file"]["media_type"] == "image/png" and "Copywriter 2" in data["file"]["alt_text"]
    # An export goes to a file too when asked; to stdout as before when not.
    csv_file = tmp_path / "plan.csv"
    assert run("plan", "--db", str(db), "export", "csv", "--out", str(csv_file)).returncode == 0
    assert csv_file.read_text(encoding="utf-8").startswith("role,name,count")
    nowhere = run("plan", "--db", str(db), "chart", "--out", str(tmp_path / "no" / "x.png"))
    assert nowhere.returncode == 1 and nowhere.stderr.count("\n") == 1
    assert "cannot write" in nowhere.stderr and "Traceback" not in nowhere.stderr


@pytest.mark.parametrize(
    ("verb", "said"), [("chart", "nothing to draw yet"), ("organigrama", "nada que dibujar")]
)
def test_plan_chart_of_an_empty_plan_says_so_and_writes_nothing(
    tmp_path: Path, verb: str, said: str
) -> None:
    out = run("plan", "--db", str(tmp_path / "e.db"), verb, cwd=tmp_path)
    assert out.returncode == 1 and out.stdout == ""
    assert said in out.stderr and out.stderr.count("\n") == 1
    assert not list(tmp_path.glob("*.png"))


def test_plan_refusals_on_the_command_line_say_what_works(tmp_path: Path) -> None:
    from knowledge import default_vocabulary
    from knowledge.vocab import PLAN_VERBS

    out = run("plan", "--db", str(tmp_path / "r.db"), "frobnicate")
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1
    for verb in PLAN_VERBS:
        assert f"`{default_vocabulary().plan.shown(verb, 'en')}`" in out.stderr, verb
    role = run("plan", "--db", str(tmp_path / "r.db"), "add", "unicorn")
    assert role.returncode == 1 and "Copywriter" in role.stderr and "Anchor" in role.stderr


def test_run_without_tokens_is_the_console_chat(tmp_path: Path) -> None:
    out = run("run", stdin="hola\nexit\n", db=tmp_path / "c.db")
    assert out.returncode == 0 and "Soy ShopCrew" in out.stdout


def test_run_with_incomplete_slack_settings_names_the_missing_one(tmp_path: Path) -> None:
    env = dict(os.environ, SLACK_BOT_TOKEN="xoxb-secret-value", SHOPCREW_DB=str(tmp_path / "d.db"))
    out = subprocess.run([SHOPCREW, "run"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 1 and "SLACK_SIGNING_SECRET" in out.stderr
    assert "xoxb-secret-value" not in out.stderr + out.stdout


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [line.strip() for b in blocks for line in b.splitlines() if line.startswith("shopcrew ")]


def test_readme_commands_exist_and_work(tmp_path: Path) -> None:
    # The README's documented commands run as written (the docs are tested, not trusted).
    import shlex

    commands = _readme_commands()
    assert len(commands) >= 6
    for command in commands:
        # In a folder of its own: a command may write a file there (plan chart --out).
        out = run(
            *shlex.split(command)[1:], stdin="exit\n", db=tmp_path / "readme.db", cwd=tmp_path
        )
        assert out.returncode == 0, (command, out.stderr)
        assert out.stdout.strip(), command


def test_readme_names_the_two_scripts_and_ci_uses_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "./scripts/start" in readme and "./scripts/test" in readme
    assert "./scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_help_subcommand_is_documented() -> None:
    from adapters.cli.parser import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert f"shopcrew {name}" in readme, name


@pytest.mark.parametrize(
    "command", ["run", "chat", "ask", "size", "plan", "slack", "discord", "migrate"]
)
def test_every_subcommand_help_works(command: str) -> None:
    # A test that exists because of a bug: a "%" in the size help text crashed --help.
    out = run(command, "--help")
    assert out.returncode == 0 and "usage: shopcrew" in out.stdout, out.stderr


def test_version_and_usage_hints() -> None:
    out = run("--version")
    assert out.returncode == 0 and re.fullmatch(r"shopcrew \d+\.\d+\.\d+\S*\n", out.stdout)
    bad = run("size")
    assert bad.returncode == 2 and "see 'shopcrew size --help'" in bad.stderr
    assert "shopcrew shopcrew" not in bad.stderr + run("bogus").stderr


def test_plan_help_lists_every_plan_command() -> None:
    from knowledge import default_vocabulary
    from knowledge.vocab import PLAN_VERBS

    text = run("plan", "--help").stdout
    for verb in PLAN_VERBS:
        assert f"plan {default_vocabulary().plan.shown(verb, 'en')}" in text, verb


def test_every_size_option_is_documented() -> None:
    from bot.sizing.inputs import FIELDS, flag_of

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    help_text = run("size", "--help").stdout
    for field in FIELDS:
        assert flag_of(field) in readme and flag_of(field) in help_text, field


def test_every_subcommand_has_its_function() -> None:
    from adapters.cli import _MODULES, _command
    from adapters.cli.parser import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) == set(_MODULES)  # type: ignore[arg-type]
    for name in _MODULES:
        assert callable(_command(name)), name


def test_ask_batch_answers_lines_that_are_not_utf8(tmp_path: Path) -> None:
    # Bytes that are not UTF-8 are read as "�": every line is answered, in valid UTF-8 JSON.
    lines = [
        b"what does copywriting do?",
        b"plan add \xffart 2",
        b"hola \xc3",
        b"\xed\xa0\x80",
    ]
    out = subprocess.run(
        [SHOPCREW, "ask", "--json", "-"],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SHOPCREW_DB": str(tmp_path / "x.db")},
        timeout=60,
    )
    assert out.returncode == 0, out.stderr.decode(errors="replace")
    answers = [json.loads(line) for line in out.stdout.decode("utf-8").splitlines()]
    assert len(answers) == len(lines)
    assert answers[0]["intent"] == "role_duties"
    assert not any(a["text"].startswith(t("en", "error.title")) for a in answers)


def _failing_role_cards(monkeypatch: pytest.MonkeyPatch) -> None:
    """An internal error while answering role questions (any bug would do)."""

    def broken(*args: object) -> None:
        raise RuntimeError("role cards are broken")

    monkeypatch.setattr("bot.core.role_card", broken)


def test_ask_exits_1_after_an_internal_error_apology(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from adapters.cli import main

    _failing_role_cards(monkeypatch)
    code = main(["ask", "--db", str(tmp_path / "x.db"), "what does a copywriter do?"])
    out, err = capsys.readouterr()
    assert code == 1
    assert t("en", "error.title") in out
    assert err.splitlines() == [
        "shopcrew: error answering on cli/local (RuntimeError: role cards are broken)"
    ]
    assert "Traceback" not in err


def test_ask_batch_answers_every_line_and_exits_1_when_one_failed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import io

    from adapters.cli import main

    _failing_role_cards(monkeypatch)
    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO("hola\nwhat does a copywriter do?\nhow many people for 2 stores?\n"),
    )
    code = main(["ask", "--json", "--db", str(tmp_path / "x.db"), "-"])
    out, _ = capsys.readouterr()
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and len(answers) == 3 and answers[2]["intent"] == "team_size"


def test_ask_exits_0_when_every_question_is_answered(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from adapters.cli import main

    assert main(["ask", "--db", str(tmp_path / "x.db"), "sommelier?"]) == 0  # a refusal answers
    assert capsys.readouterr().err == ""
