"""Configuration from the environment or a ``.env`` file (pydantic-settings)."""

from __future__ import annotations

import os
from pathlib import Path

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

    @property
    def slack_configured(self) -> bool:
        """True when Slack credentials are set."""
        return self.slack_bot_token is not None

    @property
    def discord_configured(self) -> bool:
        """True when a Discord token is set."""
        return self.discord_token is not None
