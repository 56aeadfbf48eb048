"""A PostgreSQL schema of its own for each test, on the server ``SHOPCREW_TEST_POSTGRES_URL``
names. Without that variable the PostgreSQL tests are skipped, with the reason."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest

ENV = "SHOPCREW_TEST_POSTGRES_URL"
SKIP_REASON = f"PostgreSQL tests need {ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)"


def server_url() -> str:
    """The test server's URL, or a skip with the reason."""
    url = os.environ.get(ENV)
    if not url:
        pytest.skip(SKIP_REASON)
    return url


def _with_search_path(url: str, schema: str) -> str:
    """``url`` whose connections use ``schema`` (libpq's ``options``, kept by ShopCrew)."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-c search_path={schema}')}"


@contextlib.contextmanager
def fresh_schema() -> Iterator[str]:
    """A URL whose tables live in a new, empty schema, dropped afterwards."""
    import psycopg

    url = server_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    # A configured server that does not answer is a failure, never a skip.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _with_search_path(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
