"""Configuration: readable errors naming the variable, never a secret; masked `config check`."""

from __future__ import annotations

import argparse

import pytest

from bot.settings import (
    ConfigError,
    describe,
    load_settings,
    problems,
    secrets_of,
    without_credentials,
)


def test_malformed_setting_names_the_variable() -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(SHOPCREW_SLACK_PORT="abc")
    assert "SHOPCREW_SLACK_PORT" in str(err.value) and "'abc'" in str(err.value)


@pytest.mark.parametrize(
    ("kw", "variable"),
    [
        ({"SHOPCREW_HTTP_PORT": "70000"}, "SHOPCREW_HTTP_PORT"),
        ({"SHOPCREW_LOG_FORMAT": "xml"}, "SHOPCREW_LOG_FORMAT"),
        ({"SHOPCREW_SLACK_MODE": "pigeon"}, "SHOPCREW_SLACK_MODE"),
        ({"SHOPCREW_DISCORD_SHARD_IDS": "a,b"}, "SHOPCREW_DISCORD_SHARD_IDS"),
        ({"SHOPCREW_SLACK_API_URL": "ftp://x"}, "SHOPCREW_SLACK_API_URL"),
    ],
)
def test_each_bad_value_is_named(kw: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_settings(**kw)


def test_a_malformed_secret_is_never_echoed() -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(SLACK_BOT_TOKEN=["xoxb-very-secret"])
    assert "SLACK_BOT_TOKEN" in str(err.value) and "very-secret" not in str(err.value)


def test_missing_companion_settings_are_named() -> None:
    s = load_settings(SLACK_BOT_TOKEN="xoxb-1")
    assert problems(s) == ["SLACK_SIGNING_SECRET: required for Slack HTTP mode"]
    s = load_settings(SLACK_BOT_TOKEN="xoxb-1", SHOPCREW_SLACK_MODE="socket")
    assert problems(s)[0].startswith("SLACK_APP_TOKEN")
    s = load_settings(SLACK_APP_TOKEN="xapp-1")
    assert problems(s)[0].startswith("SLACK_BOT_TOKEN")
    s = load_settings(SHOPCREW_DISCORD_SHARD_IDS="0,1")
    assert problems(s)[0].startswith("SHOPCREW_DISCORD_SHARD_COUNT")
    ok = load_settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1")
    assert problems(ok) == [] and ok.effective_slack_mode == "socket"


def test_describe_masks_secrets() -> None:
    s = load_settings(SLACK_BOT_TOKEN="xoxb-hidden-value", DISCORD_TOKEN="discord-hidden")
    rows = dict(describe(s))
    assert rows["SLACK_BOT_TOKEN"] == "********" and rows["DISCORD_TOKEN"] == "********"
    assert "hidden" not in repr(rows) and rows["SLACK_APP_TOKEN"] == "(not set)"
    assert sorted(secrets_of(s)) == ["discord-hidden", "xoxb-hidden-value"]
    assert s.slack_api_url.endswith("/")


def test_config_check_hides_credentials_inside_urls(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from adapters.cli.ops import cmd_config

    proxy = "http://shop:hunter22@proxy.internal:8080/api/?token=tok-s3cr3t&team=T1"
    monkeypatch.setenv("SHOPCREW_SLACK_API_URL", proxy)
    monkeypatch.setenv("SHOPCREW_DISCORD_API_URL", "https://rest.proxy/api/v10?api_key=K3Y-42")
    cmd_config(argparse.Namespace(action="check"))
    out = capsys.readouterr().out
    assert "hunter22" not in out and "tok-s3cr3t" not in out and "K3Y-42" not in out
    assert "http://***@proxy.internal:8080/api/?token=***&team=T1" in out
    assert "https://rest.proxy/api/v10?api_key=***" in out


def test_an_invalid_url_is_echoed_without_its_credentials() -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(SHOPCREW_SLACK_API_URL="ftp://shop:hunter22@proxy/?token=abc")
    assert "SHOPCREW_SLACK_API_URL" in str(err.value) and "hunter22" not in str(err.value)


def test_urls_without_credentials_are_shown_as_they_are() -> None:
    for url in ("https://slack.com/api/", "wss://gateway.discord.gg/?v=10&encoding=json", "x.db"):
        assert without_credentials(url) == url


def test_one_workspace_or_distribution_never_both() -> None:
    oauth = {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_SIGNING_SECRET": "x"}
    s = load_settings(**oauth)
    assert s.slack_oauth and s.slack_configured and problems(s) == []
    assert s.slack_uninstall_grace_days == 30
    both = load_settings(**oauth, SLACK_BOT_TOKEN="xoxb-1")
    assert problems(both) == [
        "SLACK_BOT_TOKEN: set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and "
        "SLACK_CLIENT_SECRET (any workspace installs the app through /slack/install), not both"
    ]
    assert problems(load_settings(SLACK_CLIENT_ID="1.2"))[0].startswith(
        "SLACK_CLIENT_SECRET: required with SLACK_CLIENT_ID"
    )
    assert problems(load_settings(SLACK_CLIENT_SECRET="s"))[0].startswith(
        "SLACK_CLIENT_ID: required with SLACK_CLIENT_SECRET"
    )
    socket = load_settings(**oauth, SHOPCREW_SLACK_MODE="socket")
    assert problems(socket)[0].startswith("SLACK_APP_TOKEN")


def test_the_client_secret_is_masked_and_scrubbed() -> None:
    s = load_settings(SLACK_CLIENT_ID="1111.2222", SLACK_CLIENT_SECRET="oauth-hidden-value")
    rows = dict(describe(s))
    assert rows["SLACK_CLIENT_SECRET"] == "********" and rows["SLACK_CLIENT_ID"] == "1111.2222"
    assert "oauth-hidden-value" in secrets_of(s)
    with pytest.raises(ConfigError) as err:
        load_settings(SLACK_CLIENT_SECRET=["oauth-hidden-value"])
    assert "SLACK_CLIENT_SECRET" in str(err.value) and "hidden" not in str(err.value)


@pytest.mark.parametrize(
    ("kw", "variable"),
    [({"SHOPCREW_SLACK_UNINSTALL_GRACE_DAYS": "-1"}, "SHOPCREW_SLACK_UNINSTALL_GRACE_DAYS"),
     ({"SLACK_REDIRECT_URI": "slack.example/back"}, "SLACK_REDIRECT_URI")],
)  # fmt: skip
def test_bad_distribution_settings_are_named(kw: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_settings(**kw)
