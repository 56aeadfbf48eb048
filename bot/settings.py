"""Configuration from the environment or a ``.env`` file (pydantic-settings)."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError
from bot.storage.backend import Target

__all__ = [
    "ConfigError", "Settings", "describe", "load_settings", "problems", "secrets_of",
    "without_credentials",
]  # fmt: skip


def default_db_path() -> Path:
    """Per-user data location: ``$XDG_DATA_HOME/shopcrew/shopcrew.db`` (or ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "shopcrew" / "shopcrew.db"


class Settings(BaseSettings):
    """Every setting ShopCrew reads. Secrets are ``SecretStr`` so they never print."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    db: Path = Field(default_factory=default_db_path, alias="SHOPCREW_DB")
    #: ``postgresql://user@host/db`` (replicas share it), ``sqlite:///file`` or a file path;
    #: when set, it wins over ``SHOPCREW_DB``.
    database_url: str | None = Field(default=None, alias="SHOPCREW_DATABASE_URL")
    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    #: Distribution (any workspace installs the app through /slack/install): the app's OAuth
    #: credentials, instead of SLACK_BOT_TOKEN. The client id is not a secret; the secret is.
    slack_client_id: str | None = Field(default=None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(default=None, alias="SLACK_CLIENT_SECRET")
    #: The OAuth redirect URL (https://HOST/slack/oauth_redirect); needed only when the app
    #: lists several, else Slack uses the one in the app's settings.
    slack_redirect_uri: str | None = Field(default=None, alias="SLACK_REDIRECT_URI")
    #: Days an uninstalled workspace's plan and history are kept, so a reinstall finds them.
    slack_uninstall_grace_days: int = Field(
        default=30, ge=0, le=3650, alias="SHOPCREW_SLACK_UNINSTALL_GRACE_DAYS"
    )
    discord_token: SecretStr | None = Field(default=None, alias="DISCORD_TOKEN")
    #: Web API base URL for every Slack client (a proxy, or a fake in tests). Trailing slash.
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SHOPCREW_SLACK_API_URL")
    #: ``socket`` (needs SLACK_APP_TOKEN) or ``http``; default: socket when an app token is set.
    slack_mode: Literal["socket", "http"] | None = Field(default=None, alias="SHOPCREW_SLACK_MODE")
    slack_host: str = Field(default="0.0.0.0", alias="SHOPCREW_SLACK_HOST")
    slack_port: int = Field(default=3000, ge=1, le=65535, alias="SHOPCREW_SLACK_PORT")
    #: Seconds one Slack Web API or response URL request may take (slack_sdk's default).
    slack_api_timeout: int = Field(default=30, ge=1, le=300, alias="SHOPCREW_SLACK_API_TIMEOUT")
    #: Seconds a replica's claim on a Slack delivery lasts unless renewed (every third of it,
    #: while it works): another replica takes over the deliveries of one that died after this.
    #: Under Slack's one-minute pause before its second retry (see ``bot.storage.events``).
    slack_claim_seconds: float = Field(
        default=30.0, ge=1, le=55, alias="SHOPCREW_SLACK_CLAIM_SECONDS"
    )

    #: Discord REST base URL (a REST proxy for large bots, or a fake in tests) and gateway URL.
    discord_api_url: str = Field(
        default="https://discord.com/api/v10", alias="SHOPCREW_DISCORD_API_URL"
    )
    discord_gateway_url: str = Field(
        default="wss://gateway.discord.gg/", alias="SHOPCREW_DISCORD_GATEWAY_URL"
    )
    #: Sharding (discord.py's AutoShardedClient): total shards, and which ones this process runs.
    discord_shard_count: int | None = Field(
        default=None, ge=1, alias="SHOPCREW_DISCORD_SHARD_COUNT"
    )
    discord_shard_ids: str | None = Field(default=None, alias="SHOPCREW_DISCORD_SHARD_IDS")

    #: Operations endpoints (/healthz, /readyz, /metrics) when Slack does not serve HTTP itself.
    http_host: str = Field(default="0.0.0.0", alias="SHOPCREW_HTTP_HOST")
    http_port: int = Field(default=8080, ge=1, le=65535, alias="SHOPCREW_HTTP_PORT")
    log_format: Literal["text", "json"] = Field(default="text", alias="SHOPCREW_LOG_FORMAT")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", alias="SHOPCREW_LOG_LEVEL"
    )

    @field_validator("discord_shard_ids")
    @classmethod
    def _shard_ids(cls, value: str | None) -> str | None:
        if value is not None and not all(p.strip().isdigit() for p in value.split(",")):
            raise ValueError("must be comma-separated shard numbers, e.g. 0,1")
        return value

    @field_validator("slack_redirect_uri")
    @classmethod
    def _redirect(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"  # slack_sdk needs the trailing slash

    @property
    def database(self) -> Target:
        """Where the database is: ``SHOPCREW_DATABASE_URL``, else ``SHOPCREW_DB``."""
        if self.database_url:
            return Target.parse(self.database_url)
        return Target("sqlite", str(self.db))

    @property
    def shard_ids(self) -> list[int] | None:
        """``"0,1"`` -> [0, 1]."""
        if not self.discord_shard_ids:
            return None
        return [int(x) for x in self.discord_shard_ids.split(",") if x.strip()]

    @property
    def slack_configured(self) -> bool:
        """True when Slack credentials are set (a bot token, or the app's OAuth credentials)."""
        return self.slack_bot_token is not None or self.slack_oauth

    @property
    def slack_oauth(self) -> bool:
        """True when the app is distributed: installed by any workspace through OAuth."""
        return self.slack_client_id is not None and self.slack_client_secret is not None

    @property
    def effective_slack_mode(self) -> Literal["socket", "http"]:
        """The Slack mode to run: as configured, else socket when an app token is set."""
        if self.slack_mode is not None:
            return self.slack_mode
        return "socket" if self.slack_app_token is not None else "http"

    @property
    def replica(self) -> str:
        """This process's name among replicas: its host and the port it serves on.

        No two running processes of one host listen on the same port, so claims found under
        this name at start-up were left by this replica's previous run, which died.
        """
        http = self.slack_configured and self.effective_slack_mode == "http"
        return f"{socket.gethostname()}:{self.slack_port if http else self.http_port}"

    @property
    def discord_configured(self) -> bool:
        """True when a Discord token is set."""
        return self.discord_token is not None


SECRET_FIELDS = (
    "slack_bot_token", "slack_app_token", "slack_signing_secret", "slack_client_secret",
    "discord_token",
)  # fmt: skip


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings, turning pydantic's errors into one readable message."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        by_alias = {info.alias: name for name, info in Settings.model_fields.items() if info.alias}
        problems = []
        for err in exc.errors():
            loc = str(err["loc"][0]) if err["loc"] else "?"
            field = by_alias.get(loc, loc)
            info = Settings.model_fields.get(field)
            name = info.alias if info is not None and info.alias else loc.upper()
            problem = f"{name}: {err['msg']}"
            if field not in SECRET_FIELDS and "input" in err:
                problem += f" (got {without_credentials(str(err['input']))[:60]!r})"
            problems.append(problem)
        raise ConfigError("invalid configuration: " + "; ".join(problems)) from None


def secrets_of(settings: Settings) -> list[str]:
    """The secret values in use, so logs can be scrubbed of them."""
    values = []
    for name in SECRET_FIELDS:
        secret = getattr(settings, name)
        if secret is not None and secret.get_secret_value():
            values.append(secret.get_secret_value())
    if settings.database_url:
        password = urlsplit(settings.database_url).password
        if password:
            values.append(password)
    return values


def describe(settings: Settings) -> list[tuple[str, str]]:
    """(variable, effective value) for every setting, secrets masked (in URLs too)."""
    rows = []
    for field, info in Settings.model_fields.items():
        value = getattr(settings, field)
        if field in SECRET_FIELDS:
            shown = "(not set)" if value is None else "********"
        else:
            shown = "(not set)" if value is None else without_credentials(str(value))
        rows.append((info.alias or field.upper(), shown))
    return rows


#: Query parameters whose value is a credential (``?token=``, ``api_key``, ``X-Amz-Signature``).
_SECRET_PARAMS = ("token", "secret", "key", "pass", "pwd", "auth", "sig", "credential")


def without_credentials(value: str) -> str:
    """``value`` with the credentials of a URL hidden: ``http://***@proxy/?token=***``.

    A proxy URL (``SHOPCREW_SLACK_API_URL``) may carry a user and password or a token in its query;
    ``config check`` prints the settings, so those never appear. Anything else is shown as it is.
    """
    try:
        url = urlsplit(value)
    except ValueError:
        return value
    if not url.scheme or not url.netloc:
        return value
    netloc = url.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rpartition("@")[2]
    pairs = parse_qsl(url.query, keep_blank_values=True)
    hidden = [(k, "***" if any(w in k.lower() for w in _SECRET_PARAMS) else v) for k, v in pairs]
    query = urlencode(hidden, safe="*/:") if hidden != pairs else url.query
    return urlunsplit(url._replace(netloc=netloc, query=query))


def problems(settings: Settings) -> list[str]:
    """Settings that are each valid but do not work together, naming the variable to set."""
    out = _oauth_problems(settings)
    if settings.slack_configured:
        if settings.effective_slack_mode == "socket" and settings.slack_app_token is None:
            out.append(
                "SLACK_APP_TOKEN: required for Slack Socket Mode (or set SHOPCREW_SLACK_MODE=http)"
            )
        if settings.effective_slack_mode == "http" and settings.slack_signing_secret is None:
            out.append("SLACK_SIGNING_SECRET: required for Slack HTTP mode")
    elif settings.slack_app_token is not None or settings.slack_signing_secret is not None:
        out.append(
            "SLACK_BOT_TOKEN: required when other Slack settings are set "
            "(or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, to let any workspace install the app)"
        )
    if settings.discord_shard_ids and not settings.discord_shard_count:
        out.append("SHOPCREW_DISCORD_SHARD_COUNT: required when SHOPCREW_DISCORD_SHARD_IDS is set")
    return out


def _oauth_problems(settings: Settings) -> list[str]:
    """One workspace (a bot token) or distribution (OAuth), never both; OAuth needs both halves."""
    has_id = settings.slack_client_id is not None
    has_secret = settings.slack_client_secret is not None
    if has_id != has_secret:
        missing = "SLACK_CLIENT_SECRET" if has_id else "SLACK_CLIENT_ID"
        given = "SLACK_CLIENT_ID" if has_id else "SLACK_CLIENT_SECRET"
        return [f"{missing}: required with {given} (the app's OAuth credentials)"]
    if settings.slack_oauth and settings.slack_bot_token is not None:
        return [
            "SLACK_BOT_TOKEN: set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET (any workspace installs the app through /slack/install), not both"
        ]
    return []
