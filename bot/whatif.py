"""What-ifs: the same team sized two to four ways, side by side.

"compare 2 and 3 stores" and "¿y si pasamos de 2 a 3 tiendas?" name their scenarios (one per
store count). "what if we add live streaming?" names a change: to the sizing question just asked
or, with none, to the workspace's plan (the core reads the plan, so the parser leaves the base
open). The cue words are the vocabulary's (``conversation.what_if``, ``intents.compare_strong``).
"""

from __future__ import annotations

from dataclasses import replace

from bot.conversation import context_of, merged, with_plan
from bot.models import Entities, Origin
from bot.requests import CompareSizes, SizeRefused, SizeTeam, SizingContext, WhatIf
from bot.understand import StoreCount, Understood
from knowledge import Lang

#: At most this many scenarios side by side (a chat table stays readable).
MAX_SCENARIOS = 4
#: What a comparison can be read from: sizing questions, and the short ones scored as a team
#: question or not at all ("what if we add live streaming?").
_READABLE = ("team_size", "team_roles", "unknown")


def _refines(u: Understood) -> bool:
    """True when the message names a figure the sizing engine uses."""
    return bool(u.stores is not None or u.channels or u.stage is not None or u.workload.said)


def _several_stores(u: Understood) -> bool:
    count = u.store_count
    return len(count.options) >= 2 and not count.fraction


def asks_comparison(u: Understood) -> bool:
    """True when the message asks for sizings side by side (see the module docstring)."""
    if u.scored.intent not in _READABLE:
        return False
    if _several_stores(u):
        return "what_if" in u.cues or "compare_strong" in u.cues
    return "what_if" in u.cues and _refines(u)


def what_if(
    origin: Origin, lang: Lang, u: Understood, previous: SizingContext | None, text: str
) -> WhatIf:
    """The comparison a message asks for, against ``previous`` (the last sizing question)."""
    own = context_of(u)
    entities = u.entities(roles=list(own.roles))
    if _several_stores(u):
        base = merged(previous, own) if previous is not None else own
        scenarios = tuple(
            replace(base, stores=n, store_count=StoreCount((n,)))
            for n in u.store_count.options[:MAX_SCENARIOS]
        )
        return WhatIf(origin=origin, lang=lang, entities=entities, text=text, scenarios=scenarios)
    return WhatIf(origin=origin, lang=lang, entities=entities, text=text, base=previous, change=own)


def scenarios_of(request: WhatIf, plan: SizingContext | None) -> tuple[SizingContext, ...]:
    """The scenarios, with the plan filling in what each leaves out (stores, stage, channels)."""
    if request.change is not None:
        base = request.base
        if base is None:
            base = with_plan(SizingContext(), plan) if plan is not None else SizingContext()
        contexts: tuple[SizingContext, ...] = (base, merged(base, request.change))
    else:
        contexts = request.scenarios
    if plan is None:
        return contexts
    return tuple(with_plan(c, plan) if c.stores is None else c for c in contexts)


def needs_plan(request: WhatIf) -> bool:
    """True when a scenario leaves the store count to the plan."""
    if request.change is not None and request.base is None:
        return True
    contexts = request.scenarios or (request.base or SizingContext(),)
    return any(c.stores is None for c in contexts)


def resolve(request: WhatIf, plan: SizingContext | None) -> CompareSizes | SizeTeam | SizeRefused:
    """The sizings to put side by side; one sizing when the change changes nothing (a what-if
    about a channel the question already had); the refusal when a figure cannot be used."""
    from bot.parse import size_request, sizing_input
    from bot.sizing.inputs import SizingError

    contexts = scenarios_of(request, plan)
    origin, lang, text = request.origin, request.lang, request.text
    try:
        inputs = tuple(sizing_input(c) for c in contexts)
    except SizingError as exc:
        return SizeRefused(
            origin=origin, lang=lang, text=text, entities=request.entities, error=exc
        )
    if len(set(inputs)) == 1:
        last = contexts[-1]
        return size_request(origin, lang, last, last.entities(), text)
    taken = tuple(dict.fromkeys(f for c in contexts for f in c.from_plan))
    return CompareSizes(
        origin=origin,
        lang=lang,
        text=text,
        entities=_entities(request, contexts),
        inputs=inputs,
        contexts=contexts,
        stores_assumed=any(c.stores is None for c in contexts),
        from_plan=taken,
    )


def _entities(request: WhatIf, contexts: tuple[SizingContext, ...]) -> Entities:
    """What the answer reports as understood: every store count compared (the first as the
    count), or for a change, the figures of the scenario it leads to."""
    if request.change is not None:
        return contexts[-1].entities()
    first = contexts[0].entities()
    options = [c.stores for c in contexts if c.stores is not None]
    return first.model_copy(update={"store_options": options})


def last_sizing(request: CompareSizes) -> SizeTeam:
    """The last scenario as a sizing request: what "why?" explains and follow-ups refine."""
    context = request.contexts[-1] if request.contexts else SizingContext()
    return SizeTeam(
        origin=request.origin,
        lang=request.lang,
        entities=context.entities(),
        text=request.text,
        input=request.inputs[-1],
        stores_assumed=request.stores_assumed,
        context=context,
    )
