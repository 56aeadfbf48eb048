"""What each number of a sizing rests on, in one word, for machines (``shopcrew size --json``).

- ``article``: the article gives the count (one to two operators per store);
- ``rule``: a published ratio or plain arithmetic on stated hours (packing rates, 8–12 agents
  per supervisor, the coverage floor of shifts × seats × days);
- ``queueing``: Erlang C on the user's volumes;
- ``assumption``: ShopCrew's own stated ratio, which the user can override (one designer per two
  stores).

Read from the reason the engine gave each role, so the rules need not say it twice; a reason
this table does not know yet is classed by its key and its sentence (the engine's reasons say
"(assumption)" or "the article" where that is what they rest on).
"""

from __future__ import annotations

from typing import Literal, get_args

from bot.sizing.engine import RoleSize
from bot.strings import CATALOGUES, t
from knowledge import RoleId

Basis = Literal["article", "rule", "queueing", "assumption"]
BASES: tuple[Basis, ...] = get_args(Basis)

#: By reason key, and by (reason key, role) where roles sharing a reason rest on different things.
BY_REASON: dict[str, Basis] = {
    "why.operations_director": "article",
    "why.operations": "article",
    "why.operations_assistant": "assumption",
    "why.art": "assumption",
    "why.event_planner": "assumption",
    "why.customer_service.erlang": "queueing",
    "why.customer_service.floor": "rule",
    "why.after_sales.orders": "rule",
    "why.after_sales.floor": "rule",
    "why.supervisor": "rule",
    "why.copywriter_mature": "assumption",
    "why.warehouse_manager": "article",
    "why.warehouse_packer.orders": "rule",
    "why.warehouse_packer.mature": "assumption",
    "why.warehouse_packer.new": "article",
    "why.content": "assumption",
    "why.anchor": "assumption",
    "why.hr": "rule",
}
BY_ROLE: dict[tuple[str, RoleId], Basis] = {
    # The article names a photographer for content channels; one covers every channel.
    ("why.content", "photographer"): "article",
}


def basis_of(size: RoleSize) -> Basis:
    """What ``size``'s recommended number rests on (see the module docstring)."""
    key = size.why.key
    known = BY_ROLE.get((key, size.role)) or BY_REASON.get(key)
    if known is not None:
        return known
    if "erlang" in key or "queue" in key:
        return "queueing"
    if key not in CATALOGUES["en"]:
        return "rule"
    sentence = t("en", key, **size.why.params).lower()
    if "assum" in sentence:
        return "assumption"
    return "article" if "article" in sentence else "rule"
