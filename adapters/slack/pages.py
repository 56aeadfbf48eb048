"""The web pages of the Slack install flow, in the visitor's language (the catalogues' text).

Bolt's own pages are English only; these say the same in English or Spanish, chosen from the
browser's ``Accept-Language``. Every value put into a page is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from bot.strings import t
from knowledge import Lang

#: Bolt's failure reasons, by the sentence that explains them (anything else: "other").
_REASONS = {
    "invalid_browser": "expired",  # no state cookie: another browser, or a link opened twice
    "invalid_state": "expired",
    "access_denied": "cancelled",
    "storage_error": "storage",
}


def language(headers: Mapping[str, str | Sequence[str]]) -> Lang:
    """The first of ``en`` / ``es`` the browser asks for (``Accept-Language``), else English."""
    value = headers.get("accept-language") or ""
    text = value if isinstance(value, str) else ",".join(value)
    for part in text.split(","):
        primary = part.split(";")[0].strip().lower().split("-")[0]
        if primary in ("en", "es"):
            return "en" if primary == "en" else "es"
    return "en"


def _page(lang: Lang, title: str, *paragraphs: str, link: tuple[str, str] | None = None) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    if link is not None:
        href, label = link
        body += f'<p><a class="button" href="{html.escape(href)}">{html.escape(label)}</a></p>'
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em}"
        ".button{display:inline-block;padding:.6em 1.2em;border-radius:4px;background:#4a154b;"
        "color:#fff;text-decoration:none}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


def install(lang: Lang, authorize_url: str) -> str:
    """The "Add to Slack" page: what ShopCrew does, and the link to Slack's consent screen."""
    return _page(
        lang,
        t(lang, "slack.install.title"),
        t(lang, "slack.install.body"),
        link=(authorize_url, t(lang, "slack.install.button")),
    )


def unavailable(lang: Lang) -> str:
    """The install page when no state can be issued (the database is unavailable)."""
    return _page(lang, t(lang, "slack.install.title"), t(lang, "slack.install.unavailable"))


def installed(lang: Lang, open_url: str) -> str:
    """After a successful install: how to talk to ShopCrew, and a link back to Slack."""
    return _page(
        lang,
        t(lang, "slack.installed.title"),
        t(lang, "slack.installed.body"),
        link=(open_url, t(lang, "slack.installed.open")),
    )


def failed(lang: Lang, reason: str, install_path: str) -> str:
    """After a failed install: why, in plain words, and a link to start again."""
    why = t(lang, f"slack.install_failed.{_REASONS.get(reason, 'other')}")
    return _page(
        lang,
        t(lang, "slack.install_failed.title"),
        why,
        link=(install_path, t(lang, "slack.install_failed.again")),
    )
