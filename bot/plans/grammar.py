"""Parse the text after ``plan`` into a typed command (English and Spanish command words)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from text_to_num import alpha2digit

from bot.models import Lang
from bot.normalize import fold

#: command -> (English words, Spanish words)
VERBS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "show": (("show", "view", "list", "ls"), ("ver", "mostrar", "muestra", "mostrarme", "lista")),
    "add": (("add", "plus", "hire"), ("anadir", "agregar", "agrega", "anade", "sumar", "suma")),
    "remove": (
        ("remove", "rm", "delete", "del", "minus", "drop"),
        ("quitar", "quita", "eliminar", "elimina", "restar", "resta"),
    ),
    "set": (("set",), ("fijar", "fija", "poner", "pon", "establecer", "establece")),
    "stores": (("stores", "store", "shops"), ("tiendas", "tienda")),
    "stage": (("stage", "phase"), ("etapa", "fase")),
    "channels": (("channels", "channel"), ("canales", "canal")),
    "recommend": (
        ("recommend", "suggest", "fill"),
        ("recomendar", "recomienda", "sugerir", "sugiere", "rellenar"),
    ),
    "check": (
        ("check", "review", "compare"),
        ("revisar", "revisa", "comprobar", "comprueba", "verificar", "verifica"),
    ),
    "history": (("history", "log", "changes"), ("historial", "cambios")),
    "undo": (("undo",), ("deshacer", "deshaz")),
    "export": (("export",), ("exportar", "exporta")),
    "reset": (("reset", "clear"), ("reiniciar", "vaciar", "vacia", "borrar", "borra")),
    "lock": (("lock",), ("bloquear", "bloquea")),
    "unlock": (("unlock",), ("desbloquear", "desbloquea")),
    "editors": (("editors", "editor"), ("editores",)),
    "lang": (("lang", "language"), ("idioma", "lengua")),
    "help": (("help", "usage", "?"), ("ayuda",)),
}
_LOOKUP: dict[str, tuple[str, Lang]] = {}
for _name, (_en, _es) in VERBS.items():
    for _w in _en:
        _LOOKUP[_w] = (_name, "en")
    for _w in _es:
        _LOOKUP[_w] = (_name, "es")

MAX_COUNT = 999
_INT = re.compile(r"^[+-]?\d+$")
_NUMBERISH = re.compile(r"^[+-]?[\d.,e]+$|^[+-]?\d")
_USER = re.compile(r"^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True, slots=True)
class Command:
    """A parsed plan command. ``lang`` is set when its words were clearly English or Spanish."""

    name: str
    lang: Lang | None
    args: list[str] = field(default_factory=list)
    raw: str = ""


class GrammarError(ValueError):
    """A command that cannot be understood: ``key`` is a strings key, ``params`` fill it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def parse(text: str) -> Command:
    """Split the command word from its arguments (``""`` means ``show``)."""
    raw = " ".join(text.split())
    parts = raw.split(" ") if raw else []
    if not parts:
        return Command("show", None, [], raw)
    word = fold(parts[0]).strip("!.¡¿?") or parts[0]
    if parts[0] == "?":
        word = "?"
    found = _LOOKUP.get(word)
    if found is None:
        raise GrammarError("plan.unknown_command", command=parts[0][:40])
    name, lang = found
    # "stores"/"channels" etc. are the same in both languages only by accident; keep the hint.
    return Command(name, lang, parts[1:], raw)


def parse_count(token: str, lang: Lang) -> int:
    """A whole number 0–999, from digits or number words ("two", "dos")."""
    text = token.strip()
    if not _INT.match(text):
        try:
            converted = alpha2digit(text.lower(), lang, threshold=0).strip()
        except Exception:  # text2num rejects odd input; treat it as not a number
            converted = text
        if _INT.match(converted):
            text = converted
        else:
            raise GrammarError("plan.bad_count", given=token[:40], max=MAX_COUNT)
    value = int(text)
    if value < 0 or value > MAX_COUNT:
        raise GrammarError("plan.bad_count", given=token[:40], max=MAX_COUNT)
    return value


def split_role_and_count(args: list[str], lang: Lang) -> tuple[str, int | None]:
    """``["customer", "service", "2"]`` -> ("customer service", 2); the count may come first."""
    if not args:
        raise GrammarError("plan.need_role")
    if len(args) >= 2 and _looks_numeric(args[-1], lang):
        return " ".join(args[:-1]), parse_count(args[-1], lang)
    if len(args) >= 2 and _looks_numeric(args[0], lang):
        return " ".join(args[1:]), parse_count(args[0], lang)
    if len(args) == 1 and _NUMBERISH.match(args[0]):
        raise GrammarError("plan.need_role")
    return " ".join(args), None


def _looks_numeric(token: str, lang: Lang) -> bool:
    if _NUMBERISH.match(token):
        return True
    try:
        return bool(_INT.match(alpha2digit(token.lower(), lang, threshold=0).strip()))
    except Exception:  # not a number word
        return False


def parse_user(token: str) -> str:
    """A user id from a chat mention (``<@U123>``) or a plain id."""
    m = _USER.match(token)
    if m:
        return m.group(1)
    cleaned = token.strip().lstrip("@")
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", cleaned):
        raise GrammarError("plan.bad_user", given=token[:40])
    return cleaned
