"""Which of ShopCrew's regular expressions read how much text: a spy on every one of them.

``RegexSpy`` swaps every compiled pattern of ``bot``, ``knowledge`` and ``adapters`` (module
constants, and those held by the objects given, such as the compiled vocabulary) for a recording
stand-in, and records the ``re.search``/``re.sub``/... calls made from their code, for as long as
it is installed. ``longest()`` then tells the longest text each pattern was given.

Patterns that are linear by construction (one character class, or a fixed string, read once per
position with no backtracking: ``[\\x00-\\x1f]``, ``[\\ud800-\\udfff]``) may read a whole message;
every other pattern must only ever see text that passed the length limit.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from re import _parser  # type: ignore[attr-defined]
from typing import Any

PACKAGES = ("bot", "knowledge", "adapters")
_FUNCTIONS = ("search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer")
_SIMPLE = {"LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"}


def linear_by_construction(pattern: re.Pattern[str]) -> bool:
    """One character item, or a run of one (``[abc]``, ``\\s+``): each character is read once."""
    parsed = list(_parser.parse(pattern.pattern, pattern.flags))
    if len(parsed) != 1:
        return False
    op, arg = parsed[0]
    if str(op) in _SIMPLE:
        return True
    if str(op) in ("MAX_REPEAT", "POSSESSIVE_REPEAT"):
        body = list(arg[2])
        return len(body) == 1 and str(body[0][0]) in _SIMPLE
    return False


class _Spied:
    """A compiled pattern that tells the spy the length of every text it is given."""

    def __init__(self, pattern: re.Pattern[str], name: str, spy: RegexSpy) -> None:
        self._pattern, self._name, self._spy = pattern, name, spy

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._pattern, attr)
        if attr not in _FUNCTIONS:
            return value
        text_at = 1 if attr in ("sub", "subn") else 0

        def spied(*args: Any, **kwargs: Any) -> Any:
            self._spy.saw(self._pattern, self._name, args[text_at])
            return value(*args, **kwargs)

        return spied


class RegexSpy:
    """The longest text each of the project's patterns read while installed."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[re.Pattern[str], int]] = {}
        self._undo: list[Callable[[], None]] = []

    def saw(self, pattern: re.Pattern[str], name: str, text: object) -> None:
        if isinstance(text, str):
            longest = max(len(text), self.seen.get(name, (pattern, 0))[1])
            self.seen[name] = (pattern, longest)

    def longest(self, *, beyond_linear: bool = True) -> dict[str, int]:
        """Name -> longest text, for the patterns that are not linear by construction."""
        return {
            name: n
            for name, (pattern, n) in self.seen.items()
            if not (beyond_linear and linear_by_construction(pattern))
        }

    @contextmanager
    def installed(self, *roots: object) -> Iterator[RegexSpy]:
        """Spy on every module constant, on the patterns ``roots`` hold, and on ``re``'s
        functions called from the project; everything is put back afterwards."""
        try:
            self._modules()
            seen: set[int] = set()
            for root in roots:
                self._objects(root, type(root).__name__, seen, 0)
            self._functions()
            yield self
        finally:
            for undo in reversed(self._undo):
                undo()
            self._undo.clear()

    # --- installing ----------------------------------------------------------------------------

    def _set(self, owner: Any, attr: str, value: Any) -> None:
        old = getattr(owner, attr)
        object.__setattr__(owner, attr, value)
        self._undo.append(lambda: object.__setattr__(owner, attr, old))

    def _modules(self) -> None:
        for module_name, module in list(sys.modules.items()):
            if module_name.split(".")[0] not in PACKAGES:
                continue
            for attr, value in list(vars(module).items()):
                if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                    self._set(module, attr, _Spied(value, f"{module_name}.{attr}", self))

    def _wrapped(self, value: Any, name: str, seen: set[int], depth: int) -> Any:
        """``value`` with its patterns spied on: tuples rebuilt, other objects changed in place."""
        if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
            return _Spied(value, name, self)
        if isinstance(value, tuple) and not hasattr(value, "_fields"):
            items = [self._wrapped(v, f"{name}[{i}]", seen, depth + 1) for i, v in enumerate(value)]
            return (
                tuple(items)
                if any(a is not b for a, b in zip(items, value, strict=True))
                else value
            )
        self._objects(value, name, seen, depth + 1)
        return value

    def _objects(self, obj: Any, name: str, seen: set[int], depth: int) -> None:
        if depth > 6 or id(obj) in seen or isinstance(obj, str | bytes | int | float | type):
            return
        seen.add(id(obj))
        if isinstance(obj, dict):
            for key, value in list(obj.items()):
                new = self._wrapped(value, f"{name}[{key!r}]", seen, depth)
                if new is not value:
                    obj[key] = new
                    self._undo.append(
                        lambda obj=obj, key=key, value=value: obj.__setitem__(key, value)
                    )
            return
        if isinstance(obj, list):
            for i, value in enumerate(obj):
                self._wrapped(value, f"{name}[{i}]", seen, depth)
            return
        module = type(obj).__module__.split(".")[0]
        if module not in PACKAGES or not (is_dataclass(obj) or hasattr(obj, "__dict__")):
            return
        attrs = [f.name for f in fields(obj)] if is_dataclass(obj) else list(vars(obj))
        for attr in attrs:
            value = getattr(obj, attr)
            new = self._wrapped(value, f"{name}.{attr}", seen, depth)
            if new is not value:
                self._set(obj, attr, new)

    def _functions(self) -> None:
        for function in _FUNCTIONS:
            real = getattr(re, function)
            self._undo.append(lambda function=function, real=real: setattr(re, function, real))
            setattr(re, function, self._spied_function(function, real))

    def _spied_function(self, function: str, real: Callable[..., Any]) -> Callable[..., Any]:
        text_at = 2 if function in ("sub", "subn") else 1

        def spied(pattern: Any, *args: Any, **kwargs: Any) -> Any:
            caller = sys._getframe(1)
            module = str(caller.f_globals.get("__name__", ""))
            if module.split(".")[0] in PACKAGES and isinstance(pattern, str):
                flags = kwargs.get("flags", 0)
                compiled = re.compile(pattern, flags)
                self.saw(compiled, f"{module}:{caller.f_lineno}", args[text_at - 1])
            return real(pattern, *args, **kwargs)

        return spied
