"""The fake Slack's OAuth side: ``oauth.v2.access`` (codes and refresh tokens) and its tokens.

A test plays Slack's consent screen with ``grant(...)`` (which returns the code Slack would send
the browser back with); the app exchanges the code for a bot token of that workspace, and every
later Web API call is checked against the tokens handed out (``FakeSlack`` records which token
each call carried). With ``rotate``, tokens expire and come with a refresh token that works
once, as Slack's do; ``revoke`` plays an uninstall.
"""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass, field
from typing import Any

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "test-client-secret"
APP_ID = "A0SHOP"
SCOPES = "app_mentions:read,chat:write,commands,im:history,users:read"
#: How long a renewed token lasts (Slack's rotating tokens: 12 hours).
RENEWED_SECONDS = 43_200


@dataclass(frozen=True)
class Grant:
    """An installation Slack's consent screen grants: which workspace or organisation."""

    team: str | None
    enterprise: str | None = None
    #: An Enterprise Grid org-wide install (no team of its own).
    org_wide: bool = False
    #: Token rotation on: tokens expire and come with a refresh token (that works once).
    rotate: bool = False
    #: The first token's lifetime (a test makes it short); renewed ones get Slack's 12 hours.
    expires_in: int = 43_200
    bot_user: str = "UBOT"

    @property
    def workspace(self) -> str:
        return str(self.enterprise if self.org_wide else self.team)


@dataclass
class Grants:
    """Codes, access tokens and refresh tokens the fake has handed out."""

    codes: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, Grant] = field(default_factory=dict)
    refresh_tokens: dict[str, Grant] = field(default_factory=dict)
    #: Every token ever handed out for a workspace, in order.
    issued: dict[str, list[str]] = field(default_factory=dict)
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def grant(self, grant: Grant) -> str:
        """The code Slack would send the browser back with, for ``grant``."""
        code = f"code-{grant.workspace}-{next(self._serial)}"
        self.codes[code] = grant
        return code

    def token_of(self, workspace: str) -> str:
        """The latest bot token handed out for ``workspace``."""
        return self.issued[workspace][-1]

    def revoke(self, workspace: str) -> None:
        """Uninstall: every token of ``workspace`` stops working."""
        for store in (self.tokens, self.refresh_tokens):
            for token in [t for t, g in store.items() if g.workspace == workspace]:
                del store[token]

    def access(self, args: dict[str, Any], authorization: str) -> dict[str, Any]:
        """``oauth.v2.access``: a code, or a refresh token, for a new bot token."""
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if authorization != f"Basic {expected}":
            return {"ok": False, "error": "invalid_client_id"}
        if args.get("grant_type") == "refresh_token":
            grant = self.refresh_tokens.pop(str(args.get("refresh_token")), None)
            if grant is None:  # unknown, or already used: a refresh token works once
                return {"ok": False, "error": "invalid_refresh_token"}
            return self._issue(grant, RENEWED_SECONDS)
        grant = self.codes.pop(str(args.get("code")), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        return self._issue(grant, grant.expires_in)

    def _issue(self, grant: Grant, expires_in: int) -> dict[str, Any]:
        n = next(self._serial)
        token = f"xoxb-{grant.workspace}-{n}"
        self.tokens[token] = grant
        self.issued.setdefault(grant.workspace, []).append(token)
        body: dict[str, Any] = {
            "ok": True, "app_id": APP_ID, "authed_user": {"id": "UINSTALLER"},
            "scope": SCOPES, "token_type": "bot", "access_token": token,
            "bot_user_id": grant.bot_user, "is_enterprise_install": grant.org_wide,
            "team": None if grant.org_wide else {"id": grant.team, "name": f"Team {grant.team}"},
            "enterprise": {"id": grant.enterprise, "name": "Grid"} if grant.enterprise else None,
        }  # fmt: skip
        if grant.rotate:
            refresh = f"xoxe-1-{grant.workspace}-{n}"
            self.refresh_tokens[refresh] = grant
            body |= {"refresh_token": refresh, "expires_in": expires_in}
        return body

    def auth_test(self, token: str) -> dict[str, Any] | None:
        """What ``auth.test`` says of a token handed out here (None: not one of these)."""
        grant = self.tokens.get(token)
        if grant is None:
            return None
        return {"ok": True, "user_id": grant.bot_user, "bot_id": f"B{grant.workspace}",
                "team_id": grant.team, "enterprise_id": grant.enterprise,
                "is_enterprise_install": grant.org_wide, "user": "shopcrew",
                "url": f"https://{grant.workspace.lower()}.slack.com/"}  # fmt: skip
