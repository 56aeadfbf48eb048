"""Deployment files: a container context with no tests or secrets, and a wheel that runs."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _included(path: str, rules: list[str]) -> bool:
    """Docker's .dockerignore semantics for the patterns we use (last match wins, ! re-includes)."""
    keep = True
    for rule in rules:
        negate = rule.startswith("!")
        pattern = rule[1:] if negate else rule
        if (
            fnmatch.fnmatch(path, pattern)
            or fnmatch.fnmatch(path, pattern.removeprefix("**/"))
            or (pattern.endswith("/**") and path.startswith(pattern[:-2]))
            or pattern == "**"
        ):
            keep = negate
    return keep


def test_container_context_has_no_tests_or_secrets() -> None:
    rules = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    tracked = [*files.stdout.split(), ".env", "deploy/.env", "shopcrew.db", "bot/.env"]
    shipped = [f for f in tracked if _included(f, rules)]
    assert "pyproject.toml" in shipped and "bot/core.py" in shipped
    assert "knowledge/data/roles.yaml" in shipped and "adapters/slack/app.py" in shipped
    for f in shipped:
        assert not f.startswith(("tests/", "bench/", ".ci/", ".git")), f
        assert not f.endswith((".env", ".db")), f


def test_dockerfile_is_multi_stage_non_root_with_volume_and_healthcheck() -> None:
    text = (ROOT / "deploy" / "Dockerfile").read_text()
    assert text.count("FROM python:3.11-slim") == 2
    assert "USER shopcrew" in text and 'VOLUME ["/data"]' in text
    assert "HEALTHCHECK" in text and '"shopcrew", "health"' in text
    assert 'CMD ["shopcrew", "run"]' in text


def test_compose_and_env_example_cover_every_setting() -> None:
    from bot.settings import Settings

    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    service = compose["services"]["shopcrew"]
    assert service["env_file"] == ".env" and "shopcrew-data:/data" in service["volumes"]
    example = (ROOT / "deploy" / ".env.example").read_text()
    for info in Settings.model_fields.values():
        assert f"\n{info.alias}=" in example, info.alias


def test_systemd_unit_restarts_and_runs_as_its_own_user() -> None:
    unit = (ROOT / "deploy" / "shopcrew.service").read_text()
    assert "Restart=on-failure" in unit and "User=shopcrew" in unit
    assert "ExecStart=/opt/shopcrew/bin/shopcrew run" in unit


@pytest.mark.skipif(os.environ.get("SHOPCREW_SKIP_WHEEL") == "1", reason="wheel test skipped")
def test_entry_point_runs_from_a_fresh_virtualenv_install_of_the_wheel(tmp_path: Path) -> None:
    # What the image runs: the wheel built from pyproject.toml, installed into a clean environment.
    wheels = tmp_path / "wheels"
    # Built from a copy: setuptools reuses a build/ folder, and a stale one in the checkout would
    # put modules that no longer exist into the wheel.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"))  # fmt: skip
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
                   check=True, capture_output=True)  # fmt: skip
    (wheel,) = wheels.glob("shopcrew-*.whl")
    # The data files and the chart's font travel in the wheel (package-data), licence included.
    shipped = set(zipfile.ZipFile(wheel).namelist())
    for name in ("knowledge/data/departments.yaml", "bot/chart/fonts/DejaVuSans.ttf",
                 "bot/chart/fonts/DejaVuSans-Bold.ttf", "bot/chart/fonts/LICENSE"):  # fmt: skip
        assert name in shipped, name
    env_dir = tmp_path / "fresh"
    venv.create(env_dir, with_pip=True)
    pip = env_dir / "bin" / "pip"
    subprocess.run(
        [str(pip), "install", "-q", str(wheel)], check=True, capture_output=True, timeout=600
    )
    exe = env_dir / "bin" / "shopcrew"
    out = subprocess.run([str(exe), "ask", "--json", "¿qué hace el ancla?"], capture_output=True,
                         text=True, cwd=tmp_path, env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)})  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert '"roles": ["anchor"]' in out.stdout
    check = subprocess.run([str(exe), "config", "check"], capture_output=True, text=True, cwd=tmp_path,
                           env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)})  # fmt: skip
    assert check.returncode == 0 and "console chat" in check.stdout
    # The picture is drawn from the installed package alone (its font, Pillow from a wheel).
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    db, picture = str(tmp_path / "w.db"), tmp_path / "team.png"
    for args in (["add", "art", "2"], ["chart", "--out", str(picture)]):
        done = subprocess.run([str(exe), "plan", "--db", db, *args], capture_output=True,
                              text=True, cwd=tmp_path, env=env)  # fmt: skip
        assert done.returncode == 0, done.stderr
    assert picture.read_bytes().startswith(b"\x89PNG")
