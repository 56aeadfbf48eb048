"""Bolt's installation and OAuth state stores, kept in ShopCrew's database.

``StoredInstallations`` (slack_sdk's ``AsyncInstallationStore``) and ``StoredStates``
(``AsyncOAuthStateStore``) translate between slack_sdk's models and the plain stores of
``bot.storage.installations``, which work on either database engine and so serve every replica.
Reads and writes run on the core's worker thread (``Bot.offload``), never on the event loop.

Token rotation. When the app has it enabled, a bot token expires after 12 hours and is renewed
with a refresh token that works only once: two replicas renewing it together would leave one of
them with a dead refresh token, and the workspace without a bot. So an installation whose token
expires soon is handed out only after ``_refreshed``: under the workspace's database lock the
installation is read again, renewed (``oauth.v2.access``) only if it still needs it, and saved
before the lock is released; a replica that waited for the lock reads the renewed token.
Bolt's own rotation then finds nothing to do. The lock is held on a thread of its own for the
length of one Web API call: on PostgreSQL only replicas renewing the same workspace wait; on
SQLite, writers wait, as every SQLite writer does.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import aiohttp
from slack_bolt.error import BoltError
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator

from adapters.slack import webapi
from adapters.slack.middleware import Offload
from bot.storage.errors import StorageError
from bot.storage.installations import Installations, InstallRecord, OAuthStates, stored_key

log = logging.getLogger("shopcrew.slack")
#: A renewal that failed on the way (not Slack's refusal, which slack_sdk raises as its own).
NETWORK_ERRORS = (aiohttp.ClientError, TimeoutError)

_BOT_FIELDS = ("bot_token", "bot_id", "bot_user_id", "bot_scopes", "bot_refresh_token",
               "bot_token_expires_at")  # fmt: skip
_USER_FIELDS = ("user_token", "user_scopes", "user_refresh_token", "user_token_expires_at")


def _plain(key: str, value: Any) -> Any:
    """A value as JSON keeps it: timestamps as Unix seconds (expiries whole, as slack_sdk's)."""
    if not isinstance(value, datetime):
        return value
    return int(value.timestamp()) if key.endswith("_expires_at") else value.timestamp()


def record_of(installation: Installation) -> InstallRecord:
    """An installation as the database keeps it (timestamps as numbers)."""
    data = {key: _plain(key, value) for key, value in installation.to_dict_for_copying().items()}
    return InstallRecord(
        enterprise_id=installation.enterprise_id,
        team_id=installation.team_id,
        user_id=installation.user_id,
        is_enterprise_install=installation.is_enterprise_install,
        installed_at=installation.installed_at,
        data=data,
    )


def installation_of(record: InstallRecord) -> Installation:
    """The slack_sdk installation a stored record describes."""
    return Installation(**record.data)


def _without(record: InstallRecord, fields: tuple[str, ...]) -> InstallRecord | None:
    """``record`` with ``fields`` cleared; None (delete it) when it holds no token any more."""
    data = {**record.data, **dict.fromkeys(fields)}
    if not data.get("bot_token") and not data.get("user_token"):
        return None
    return record.model_copy(update={"data": data})


class StoredInstallations(AsyncInstallationStore):
    """One installation per organisation and workspace, in ShopCrew's database."""

    def __init__(
        self,
        store: Installations,
        offload: Offload,
        rotator: AsyncTokenRotator,
        rotate_minutes: int,
    ) -> None:
        self.store = store
        self.offload = offload
        self.rotator = rotator
        self.rotate_minutes = rotate_minutes

    @property
    def logger(self) -> logging.Logger:
        """Where slack_sdk's code logs for this store."""
        return log

    async def async_save(self, installation: Installation) -> None:
        """A new installation (or a reinstall): its tokens replace the workspace's."""
        record = record_of(installation)
        try:
            await self.offload(self.store.save, record)
        except StorageError as exc:
            # Bolt's OAuth flow shows its "could not save" page for a BoltError.
            raise BoltError(f"the installation could not be saved ({exc.kind})") from None
        log.info(
            "Slack app installed in %s",
            record.workspace,
            extra={"event": "slack_installed", "workspace": record.workspace},
        )

    async def async_save_bot(self, bot: Bot) -> None:
        """A bot's renewed tokens (Bolt's bot-only mode): merged into its installation."""
        fields = {k: _plain(k, v) for k, v in bot.to_dict_for_copying().items() if k in _BOT_FIELDS}
        key = stored_key(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        await self.offload(
            self.store.change, *key, lambda r: r.model_copy(update={"data": {**r.data, **fields}})
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The installation serving these ids, its token renewed if it expires soon."""
        try:
            record = await self.offload(
                self.store.find, enterprise_id, team_id, bool(is_enterprise_install)
            )
            if record is None:
                if user_id is None:  # Bolt's first lookup: the workspace's own installation
                    _not_installed(enterprise_id, team_id)
                return None
            if user_id is not None and record.user_id != user_id:
                return None  # ShopCrew keeps no other user's tokens
            if self._expiring(record):
                return await self._refreshed(record)
        except StorageError as exc:
            log.warning(
                "could not read the Slack installation of %s (%s: %s): this request is not "
                "answered",
                team_id or enterprise_id,
                exc.kind,
                exc.detail,
                extra={"event": "slack_installation_unavailable"},
            )
            return None
        return installation_of(record)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        """The installation's bot (Bolt asks when the installation had no token)."""
        try:
            record = await self.offload(
                self.store.find, enterprise_id, team_id, bool(is_enterprise_install)
            )
        except StorageError:
            return None  # already logged by the installation's lookup
        if record is None or not record.data.get("bot_token"):
            return None
        return installation_of(record).to_bot()

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """The bot's tokens were revoked: deleted at once."""
        await self._edit(enterprise_id, team_id, lambda r: _without(r, _BOT_FIELDS))

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """A user's tokens were revoked (or, with no user, the whole installation goes)."""

        def edit(record: InstallRecord) -> InstallRecord | None:
            if user_id is None:
                return None
            return _without(record, _USER_FIELDS) if record.user_id == user_id else record

        await self._edit(enterprise_id, team_id, edit)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """The app was uninstalled: every token goes, in one transaction."""
        await self._edit(enterprise_id, team_id, lambda r: None)

    async def _edit(
        self,
        enterprise_id: str | None,
        team_id: str | None,
        edit: Callable[[InstallRecord], InstallRecord | None],
    ) -> None:
        await self.offload(self.store.change, enterprise_id, team_id, edit)

    def _expiring(self, record: InstallRecord) -> bool:
        """A token expires within Bolt's rotation window (then it is renewed before use)."""
        soon = time.time() + self.rotate_minutes * 60
        return any(
            record.data.get(field) is not None and record.data[field] <= soon
            for field in ("bot_token_expires_at", "user_token_expires_at")
        )

    async def _refreshed(self, record: InstallRecord) -> Installation | None:
        """Renew the installation's tokens under its lock, once across replicas (module doc)."""
        loop = asyncio.get_running_loop()

        def renew(current: InstallRecord) -> InstallRecord:
            # Runs under the lock, on a worker thread: the Web API call itself runs on the loop.
            rotation = self.rotator.perform_token_rotation(
                installation=installation_of(current),
                minutes_before_expiration=self.rotate_minutes,
            )
            renewed = asyncio.run_coroutine_threadsafe(rotation, loop).result()
            return current if renewed is None else record_of(renewed)

        key = record.key
        try:
            after = await asyncio.to_thread(self.store.change, key[0], key[1], renew)
        except NETWORK_ERRORS as exc:
            # Renewed well before expiry: the current token still works; the next request
            # tries again. (Slack refusing the refresh token is Bolt's to log: no token then.)
            log.warning(
                "could not renew the Slack token of %s (%s): using the current one meanwhile",
                record.workspace, webapi.error_text(exc),
                extra={"event": "slack_token_renewal_failed", "workspace": record.workspace},
            )  # fmt: skip
            return installation_of(record)
        if after is not None and after != record:
            log.info(
                "renewed the Slack token of %s",
                after.workspace,
                extra={"event": "slack_token_renewed", "workspace": after.workspace},
            )
        return None if after is None else installation_of(after)


def _not_installed(enterprise_id: str | None, team_id: str | None) -> None:
    """One polite line for a request from a workspace with no installation (no reply goes out)."""
    workspace = team_id or enterprise_id
    log.info(
        "a Slack request from %s, which has no installation (uninstalled, or never installed): "
        "not answered",
        workspace,
        extra={"event": "slack_not_installed", "workspace": workspace or ""},
    )


class StoredStates(AsyncOAuthStateStore):
    """One-time OAuth states, in ShopCrew's database: any replica may see the browser return."""

    def __init__(self, states: OAuthStates, offload: Offload, expiration_seconds: int) -> None:
        self.states = states
        self.offload = offload
        self.expiration_seconds = expiration_seconds

    @property
    def logger(self) -> logging.Logger:
        """Where slack_sdk's code logs for this store."""
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        """A new random state, valid for ``expiration_seconds``."""
        state = secrets.token_urlsafe(24)
        await self.offload(self.states.issue, state, self.expiration_seconds)
        return state

    async def async_consume(self, state: str) -> bool:
        """True once for a state this app issued that has not expired."""
        if not state:
            return False
        try:
            return bool(await self.offload(self.states.consume, state))
        except StorageError as exc:
            log.warning("could not check an OAuth state (%s: %s)", exc.kind, exc.detail)
            return False
