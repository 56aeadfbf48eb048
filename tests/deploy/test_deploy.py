"""Deployment files: a container context with no tests or secrets, a wheel that runs, and the
compose files (SQLite by default; PostgreSQL with replicas behind a proxy)."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
#: ``${NAME}``, ``${NAME:-default}``, ``${NAME:?error}``: compose's interpolation.
VARIABLE = re.compile(r"\$\{(\w+)(?::?[-?][^}]*)?\}")


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
    # Both engines in the image: SHOPCREW_DATABASE_URL=postgresql://… works without a rebuild.
    assert (
        '".[slack,discord,postgresql]"' in text and '"shopcrew[slack,discord,postgresql]"' in text
    )


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


def _compose(name: str, **env: str) -> dict[str, Any]:
    """A compose file, its variables replaced as compose does (from ``env``)."""
    text = (DEPLOY / name).read_text()
    loaded: dict[str, Any] = yaml.safe_load(VARIABLE.sub(lambda m: env.get(m[1], ""), text))
    return loaded


def _args(command: list[str]) -> Any:
    """A service's command, read by ShopCrew's own command line (so it exists and parses)."""
    from adapters.cli.parser import build_parser

    assert command[0] == "shopcrew"
    return build_parser().parse_args(command[1:])


def test_postgres_compose_runs_replicas_on_a_healthy_database_behind_a_proxy() -> None:
    # The default stays one container on an SQLite file; PostgreSQL is a file of its own.
    sqlite = _compose("compose.yaml")["services"]
    assert set(sqlite) == {"shopcrew"} and "SHOPCREW_DATABASE_URL" not in json.dumps(sqlite)
    compose = _compose("compose.postgres.yaml", POSTGRES_PASSWORD="s3cret")
    services, volumes = compose["services"], compose["volumes"]
    db = services["postgres"]
    assert db["image"].startswith("postgres:")
    assert f"{next(iter(volumes))}:/var/lib/postgresql/data" in db["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    app = services["shopcrew"]
    assert app["deploy"]["replicas"] >= 2
    assert "ports" not in app  # replicas cannot share a host port: the proxy publishes one
    assert app["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert app["build"] == _compose("compose.yaml")["services"]["shopcrew"]["build"]
    url = urlsplit(app["environment"]["SHOPCREW_DATABASE_URL"])
    assert (url.scheme, url.hostname, url.port) == ("postgresql", "postgres", 5432)
    env = db["environment"]
    assert (url.username, url.password, url.path) == (
        env["POSTGRES_USER"],
        env["POSTGRES_PASSWORD"],
        f"/{env['POSTGRES_DB']}",
    )
    served = _args(app["command"])
    assert served.func == "slack" and served.http
    assert app["environment"]["SHOPCREW_SLACK_MODE"] == "http"
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:") and "443:443" in proxy["ports"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    for service in services.values():  # every named volume is declared
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert source.startswith("./") or source in volumes, volume


def test_the_migrate_service_copies_the_sqlite_volume_into_the_replicas_database() -> None:
    compose = _compose("compose.postgres.yaml", POSTGRES_PASSWORD="s3cret")
    sqlite = _compose("compose.yaml")["services"]["shopcrew"]
    migrate = compose["services"]["migrate"]
    assert migrate["profiles"] == ["tools"]  # `up` does not start it; `run --rm migrate` does
    args = _args(migrate["command"])
    assert args.func == "migrate" and args.to.dialect == "postgresql"
    url = compose["services"]["shopcrew"]["environment"]["SHOPCREW_DATABASE_URL"]
    assert args.to.where == url
    # The file the SQLite container writes (the image's SHOPCREW_DB), on the same volume.
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert f"SHOPCREW_DB={args.db.where}" in dockerfile
    folder = str(Path(args.db.where).parent)
    mounts = {v for v in sqlite["volumes"] if v.endswith(f":{folder}")}
    assert mounts and mounts <= set(migrate["volumes"])


def test_every_variable_the_compose_files_read_is_in_the_env_example() -> None:
    example = (DEPLOY / ".env.example").read_text()
    for name in ("compose.yaml", "compose.postgres.yaml"):
        for variable in VARIABLE.findall((DEPLOY / name).read_text()):
            assert f"\n{variable}=" in example, (name, variable)


def _handlers(config: Any, key: str) -> Iterator[dict[str, Any]]:
    """Every object in Caddy's JSON config that has ``key``."""
    if isinstance(config, dict):
        if key in config:
            yield config
        for value in config.values():
            yield from _handlers(value, key)
    elif isinstance(config, list):
        for value in config:
            yield from _handlers(value, key)


def test_the_proxy_sends_slack_and_health_round_robin_to_every_replica(tmp_path: Path) -> None:
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not installed (apt-get install caddy): deploy/Caddyfile is checked "
                    "by caddy itself only where it is")  # fmt: skip
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path)}  # fmt: skip
    config = ["--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"]
    check = subprocess.run(
        [caddy, "validate", *config], capture_output=True, text=True, env=env, timeout=60
    )
    assert check.returncode == 0, check.stderr
    adapted = subprocess.run(
        [caddy, "adapt", *config], capture_output=True, text=True, env=env, timeout=60
    )
    assert adapted.returncode == 0, adapted.stderr
    routes = json.loads(adapted.stdout)
    paths = {p for m in _handlers(routes, "path") for p in m["path"]}
    assert paths == {"/slack/events", "/slack/install", "/slack/oauth_redirect", "/healthz"}
    (proxy,) = _handlers(routes, "dynamic_upstreams")
    compose = _compose("compose.postgres.yaml", POSTGRES_PASSWORD="s3cret")
    app = compose["services"]["shopcrew"]
    upstream = proxy["dynamic_upstreams"]
    assert upstream["source"] == "a"  # each replica's address, asked again as they change
    assert "shopcrew" in compose["services"] and upstream["name"] == "shopcrew"
    assert upstream["port"] == app["environment"]["SHOPCREW_SLACK_PORT"]
    assert proxy["load_balancing"]["selection_policy"]["policy"] == "round_robin"
    assert proxy["load_balancing"]["try_duration"] > 0  # a stopped replica: the next one
