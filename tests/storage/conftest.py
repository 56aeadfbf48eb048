"""In this folder ``storage`` is every store over each engine in turn (``database_url``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.storage import Storage, open_storage


@pytest.fixture
def storage(database_url: str) -> Iterator[Storage]:
    s = open_storage(database_url)
    yield s
    s.close()
