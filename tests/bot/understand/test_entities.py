"""Entity extraction: roles with typos and both languages, store counts, stage, channels."""

from __future__ import annotations

import pytest

from bot.context import default_knowledge
from bot.understand.entities import (
    detect_lang,
    extract_channels,
    extract_stage,
    extract_stores,
    extract_team,
    with_digits,
)
from bot.understand.normalize import normalize
from bot.understand.workload import extract_workload
from knowledge import Lang

K = default_knowledge()
LEX = K.lexicon


def roles(text: str) -> list[str]:
    return [h.role for h in K.matcher.find(normalize(text).words)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what does copywriting do", ["copywriter"]),
        ("artst", ["art"]),
        ("desginer", ["art"]),
        ("DISEÑADORES", ["art"]),
        ("disenador", ["art"]),
        ("custmer servce", ["customer_service"]),
        ("operations director", ["operations_director"]),
        ("operations and operations assistant", ["operations", "operations_assistant"]),
        ("supervisor de preventa", ["presale_supervisor"]),
        ("preventa", ["customer_service"]),
        ("el ancla", ["anchor"]),
        ("fotógrafos", ["photographer"]),
        ("the weather in madrid", []),
        ("operating the business", []),
    ],
)
def test_roles(text: str, expected: list[str]) -> None:
    assert roles(text) == expected


def test_did_you_mean_offers_close_roles() -> None:
    assert "art" in K.matcher.suggest("desiner")
    assert {"presale_supervisor", "store_supervisor"} & set(K.matcher.suggest("supervisor"))


@pytest.mark.parametrize(
    ("text", "lang", "stores"),
    [
        ("how many people for two stores?", "en", 2),
        ("how many people for 2 stores?", "en", 2),
        ("twelve shops", "en", 12),
        ("our third store", "en", 3),
        ("a single store", "en", 1),
        ("a couple of stores", "en", 2),
        ("stores: 7", "en", 7),
        ("1,000 stores", "en", 1000),
        ("-3 stores", "en", -3),
        ("¿cuántos operadores para cuatro tiendas?", "es", 4),
        ("una sola tienda", "es", 1),
        ("la tercera tienda", "es", 3),
        ("veinte tiendas", "es", 20),
        ("un par de tiendas", "es", 2),
        ("what does a store supervisor do", "en", None),
        ("how many people do I need", "en", None),
    ],
)
def test_stores(text: str, lang: Lang, stores: int | None) -> None:
    n = normalize(text)
    assert extract_stores(LEX, n, with_digits(n, lang)) == stores


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("a mature team", "mature"),
        ("equipo maduro", "mature"),
        ("an established brand", "mature"),
        ("a new store", "new"),
        ("tienda nueva", "new"),
        ("how many people", None),
    ],
)
def test_stage(text: str, stage: str | None) -> None:
    assert extract_stage(LEX.cues.find(normalize(text).words)) == stage


@pytest.mark.parametrize(
    ("text", "channels"),
    [
        ("live streaming and Xiaohongshu", ["live", "xiaohongshu"]),
        ("directos en douyin", ["live", "douyin"]),
        ("kuaishou y videos cortos", ["short_video", "kuaishou"]),
        # TikTok names short video only when nothing else is named; TikTok Shop is a store.
        ("videos on tiktok", ["short_video"]),
        ("lives on tiktok", ["live"]),
        ("we sell on tiktok shop", []),
        # A channel the store does not use is not one it sizes for.
        ("no lives yet, only xiaohongshu", ["xiaohongshu"]),
        ("sin directos todavía", []),
        ("two stores", []),
    ],
)
def test_channels(text: str, channels: list[str]) -> None:
    assert extract_channels(LEX.cues.find(normalize(text).words)) == channels


@pytest.mark.parametrize(
    ("text", "team"),
    [
        ("tmall agency structure", "agency"),
        ("roles for live streaming", "content"),
        ("a mature team", "mature"),
        ("a new store", "starter"),
        ("a complete team", "essentials"),
        ("what roles", None),
    ],
)
def test_team(text: str, team: str | None) -> None:
    n = normalize(text)
    cues = LEX.cues.find(n.words)
    stage = extract_stage(cues)
    assert extract_team(cues, stage, extract_channels(cues)) == team


@pytest.mark.parametrize(
    ("text", "default", "lang"),
    [
        ("hola", None, "es"),
        ("ayuda", None, "es"),
        ("help", None, "en"),
        ("¿qué hace el ancla?", None, "es"),
        ("que hace el ancla", None, "es"),
        ("diseñador", None, "es"),
        ("copywriter", None, "en"),
        ("12345", "es", "es"),
        ("12345", None, "en"),
    ],
)
def test_language(text: str, default: Lang | None, lang: Lang) -> None:
    n = normalize(text)
    assert detect_lang(LEX, n, K.matcher.find(n.words), default) == lang


def workload(text: str, lang: Lang):  # type: ignore[no-untyped-def]
    return extract_workload(LEX, with_digits(normalize(text), lang), lang)


def test_workload_figures() -> None:
    w = workload("2k chats per day and 300 orders a day", "en")
    assert (w.inquiries_per_day, w.orders_per_day) == (2000, 300)
    assert workload("mil consultas al día", "es").inquiries_per_day == 1000
    assert workload("120 chats per hour", "en").peak_inquiries_per_hour == 120


@pytest.mark.parametrize(
    ("text", "lang", "orders"),
    [("1,500 pedidos al día", "es", 1500), ("1.500 pedidos al día", "es", 1500),
     ("1,500 orders a day", "en", 1500), ("2.5k orders a day", "en", 2500),
     ("1,5 mil pedidos al día", "es", 1500), ("2,5k pedidos al dia", "es", 2500),
     ("10.000 pedidos diarios", "es", 10000)],
)  # fmt: skip
def test_numbers_in_either_style(text: str, lang: Lang, orders: float) -> None:
    # Thousands in either separator; decimals in the message's language, else the other's.
    assert workload(text, lang).orders_per_day == orders
