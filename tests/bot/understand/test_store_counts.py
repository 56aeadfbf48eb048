"""Store counts as people write them: several options, fractions, rates, ordinals, bare counts."""

from __future__ import annotations

import pytest

from bot.context import default_knowledge
from bot.understand.entities import StoreCount
from bot.understand.normalize import normalize

U = default_knowledge().understander


def count(text: str) -> StoreCount:
    return U.read(normalize(text), None).store_count


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("how many people for 2 or 3 stores", (2, 3)),
        ("cuántas personas para dos o tres tiendas", (2, 3)),
        ("how many people for two or three shops?", (2, 3)),
        ("¿cuántos para 3-4 tiendas?", (3, 4)),
        ("3 – 4 stores", (3, 4)),
        ("de 2 a 3 tiendas", (2, 3)),
        ("2 to 3 new stores", (2, 3)),
        ("between 2 and 3 stores", (2, 3)),
        ("entre 2 y 3 tiendas", (2, 3)),
        ("2, 3 or 4 stores", (2, 3, 4)),
        ("una o dos tiendas", (1, 2)),
    ],
)
def test_several_counts_are_all_kept(text: str, options: tuple[int, ...]) -> None:
    c = count(text)
    assert c.options == options and c.count == options[0] and not c.typed


@pytest.mark.parametrize(
    ("text", "typed", "options"),
    [("how many people for 1.5 stores", "1.5", (1, 2)),
     ("cuántas personas para 2,5 tiendas", "2,5", (2, 3)),
     ("1½ stores", "1½", (1, 2)), ("0.5 stores", "0.5", (1,))],
)  # fmt: skip
def test_a_fraction_of_a_store_is_read_as_the_whole_counts_around_it(
    text: str, typed: str, options: tuple[int, ...]
) -> None:
    c = count(text)
    assert (c.typed, c.options, c.fraction) == (typed, options, True)


@pytest.mark.parametrize("text", ["how many people for 1e309 stores", "2² tiendas", "5x stores"])
def test_a_count_that_is_not_a_number_is_not_read_as_another(text: str) -> None:
    c = count(text)
    assert c.unreadable and c.count is None and c.typed == text.split()[-2]


@pytest.mark.parametrize(
    ("text", "stores"),
    [
        ("¿necesito un operador por tienda? tengo dos", 2),
        ("how many people per store? we have 3.", 3),
        ("we're opening our third store, how many people", 3),
        ("abrimos la tercera tienda", 3),
        ("shop #2 is opening, how many people?", 2),
        ("tienda nº 4", 4),
        ("tiendas x3", 3),
        ("stores: 7", 7),
        ("a couple of stores", 2),
        ("un par de tiendas", 2),
        ("a dozen stores", 12),
        ("una docena de tiendas", 12),
        ("1,000 stores", 1000),
        ("1.500 tiendas", 1500),
    ],
)
def test_one_count(text: str, stores: int) -> None:
    assert count(text) == StoreCount((stores,))


@pytest.mark.parametrize(
    "text",
    ["2 personas por tienda", "one operator per store", "3 people for each store",
     "a 24/7 store", "2 store managers", "we have 3 designers for the store"],
)  # fmt: skip
def test_no_store_count_where_none_was_given(text: str) -> None:
    # A count per store is a rate; "24/7" is not 7 stores.
    assert count(text) == StoreCount()


@pytest.mark.parametrize(
    ("text", "stores"),
    [
        ("we run 3 stores on amazon and one on shopify", 4),
        ("tenemos 3 tiendas en Mercado Libre y una en Shopify", 4),
        ("tenemos una tienda en Shopify y otra en Amazon", 2),
        ("one store on tmall and another on taobao", 2),
        ("2 stores, and one more on tiktok shop next month", 3),
    ],
)
def test_stores_listed_one_after_another_add_up(text: str, stores: int) -> None:
    assert count(text) == StoreCount((stores,))
