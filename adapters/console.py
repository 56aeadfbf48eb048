"""The console chat: the intent layer in a terminal, with line editing and history."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TextIO

from bot.core import Bot
from bot.models import Answer, Message
from bot.render import to_text

QUIT = frozenset({"exit", "quit", "salir", ":q", "/exit", "/quit", "bye", "adios", "adiós"})
BANNER = (
    "ShopCrew: ask about your online store's team, in English or Spanish.\n"
    "Pregunta sobre el equipo de tu tienda online, en español o en inglés.\n"
    "Type 'help' / 'ayuda'; 'exit' or Ctrl-D quits."
)


def to_incoming(line: str, admin: bool = True) -> Message:
    """A typed line as a message of the ``local`` workspace (the console user is its admin)."""
    return Message(
        text=line, platform="console", workspace="local", user="local", user_is_admin=admin
    )


def render(answer: Answer, color: bool) -> str:
    """Terminal text; the title in bold when the terminal supports it."""
    text = to_text(answer)
    if color:
        title, _, rest = text.partition("\n")
        return f"\033[1m{title}\033[0m\n{rest}"
    return text


def _enable_history(path: Path) -> None:
    try:
        import readline
    except ImportError:  # not on every platform; chat still works without line editing
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(1000)
    import atexit

    atexit.register(lambda: _save_history(readline, path))


def _save_history(readline: object, path: Path) -> None:
    with contextlib.suppress(OSError):
        readline.write_history_file(str(path))  # type: ignore[attr-defined]


def chat(
    bot: Bot, history: Path | None, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    """Read questions until EOF or 'exit'; answer each one."""
    interactive = stdin.isatty() and stdout.isatty()
    if interactive and history is not None:
        _enable_history(history)
    print(BANNER, file=stdout)
    while True:
        try:
            line = input("\nyou> ") if interactive else stdin.readline()
        except (EOFError, KeyboardInterrupt):
            print(file=stdout)
            return 0
        if not interactive and line == "":
            return 0
        line = line.strip()
        if not line:
            continue
        if line.lower() in QUIT:
            return 0
        answer = bot.handle(to_incoming(line))
        print("\n" + render(answer, color=interactive), file=stdout, flush=True)
