"""The command line on either engine: ``--db`` and ``SHOPCREW_DATABASE_URL`` take a URL."""

from __future__ import annotations

from pathlib import Path

from bot.settings import load_settings, secrets_of
from bot.storage.backend import Target
from tests.bot.test_cli import run


def test_targets_read_every_documented_form(tmp_path: Path) -> None:
    assert Target.parse("postgresql://u:pw@db/x") == Target("postgresql", "postgresql://u:pw@db/x")
    assert Target.parse("postgres://db/x").dialect == "postgresql"
    assert Target.parse("sqlite:////var/lib/s.db") == Target("sqlite", "/var/lib/s.db")
    assert Target.parse("sqlite:///rel.db") == Target("sqlite", "rel.db")
    assert Target.parse(tmp_path / "a.db") == Target("sqlite", str(tmp_path / "a.db"))
    assert Target.parse("postgresql://u:pw@db/x").shown == "postgresql://***@db/x"


def test_the_url_wins_over_the_file_and_its_password_is_scrubbed(tmp_path: Path) -> None:
    settings = load_settings(
        SHOPCREW_DB=str(tmp_path / "a.db"), SHOPCREW_DATABASE_URL="postgresql://u:s3cret@h/d"
    )
    assert settings.database == Target("postgresql", "postgresql://u:s3cret@h/d")
    assert "s3cret" in secrets_of(settings)
    assert load_settings(SHOPCREW_DB=str(tmp_path / "a.db")).database.where.endswith("a.db")


def test_plan_commands_and_history_work_on_postgresql(postgres_url: str) -> None:
    added = run("plan", "add", "copywriter", "2", "--db", postgres_url)
    assert added.returncode == 0, added.stderr
    run("plan", "add", "art", "--db", postgres_url)
    undone = run("plan", "undo", "--db", postgres_url)
    assert undone.returncode == 0, undone.stderr
    history = run("plan", "history", "--db", postgres_url).stdout
    assert "undo: plan add art" in history and "plan add art (undone)" in history
    assert "plan add copywriter 2" in history
    rows = run("plan", "show", "--db", postgres_url).stdout.splitlines()
    assert [r.split() for r in rows if r.startswith(("Copywriter", "Art", "Total"))] == [
        ["Copywriter", "2"],
        ["Total", "2"],
    ]


def test_a_sqlite_url_is_a_file(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    assert run("plan", "add", "art", "--db", f"sqlite:///{db}").returncode == 0
    assert db.is_file()


def test_backup_of_a_server_points_to_its_own_tools(postgres_url: str, tmp_path: Path) -> None:
    out = run("backup", str(tmp_path / "b.db"), "--db", postgres_url)
    assert out.returncode == 1 and "pg_dump" in out.stderr
    assert not (tmp_path / "b.db").exists()


def test_an_unreachable_server_is_one_line_and_questions_still_work() -> None:
    url = "postgresql://postgres@127.0.0.1:1/x?connect_timeout=1"
    out = run("plan", "add", "art", "--db", url)
    assert "Traceback" not in out.stderr and "127.0.0.1:1" in out.stderr
    asked = run("ask", "what does a copywriter do?", "--db", url)
    assert asked.returncode == 0 and asked.stdout.strip()
