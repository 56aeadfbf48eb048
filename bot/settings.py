"""Configuration from the environment or a ``.env`` file (pydantic-settings)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_db_path() -> Path:
    """Per-user data location: ``$XDG_DATA_HOME/shopcrew/shopcrew.db`` (or ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "shopcrew" / "shopcrew.db"


class Settings(BaseSettings):
    """Every setting ShopCrew reads. Secrets are ``SecretStr`` so they never print."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    db: Path = Field(default_factory=default_db_path, alias="SHOPCREW_DB")
    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    discord_token: SecretStr | None = Field(default=None, alias="DISCORD_TOKEN")
    #: Web API base URL for every Slack client (a proxy, or a fake in tests). Trailing slash.
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SHOPCREW_SLACK_API_URL")
    #: ``socket`` (needs SLACK_APP_TOKEN) or ``http``; default: socket when an app token is set.
    slack_mode: Literal["socket", "http"] | None = Field(default=None, alias="SHOPCREW_SLACK_MODE")
    slack_host: str = Field(default="0.0.0.0", alias="SHOPCREW_SLACK_HOST")
    slack_port: int = Field(default=3000, ge=1, le=65535, alias="SHOPCREW_SLACK_PORT")

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

    @property
    def shard_ids(self) -> list[int] | None:
        """``"0,1"`` -> [0, 1]."""
        if not self.discord_shard_ids:
            return None
        return [int(x) for x in self.discord_shard_ids.split(",") if x.strip()]

    @property
    def slack_configured(self) -> bool:
        """True when Slack credentials are set."""
        return self.slack_bot_token is not None

    @property
    def effective_slack_mode(self) -> Literal["socket", "http"]:
        """The Slack mode to run: as configured, else socket when an app token is set."""
        if self.slack_mode is not None:
            return self.slack_mode
        return "socket" if self.slack_app_token is not None else "http"

    @property
    def discord_configured(self) -> bool:
        """True when a Discord token is set."""
        return self.discord_token is not None
