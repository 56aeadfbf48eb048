"""The console chat: the core in a terminal, with line editing and history."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TextIO

from adapters.files import save
from bot.core import Bot
from bot.models import Answer, Message
from bot.render import to_text
from bot.strings import items, t
from knowledge import fold


def to_incoming(line: str, admin: bool = True) -> Message:
    """A typed line as a message of the ``local`` workspace (the console user is its admin)."""
    return Message(
        text=line, platform="console", workspace="local", user="local", user_is_admin=admin
    )


def render(answer: Answer, color: bool) -> str:
    """Terminal text; the title in bold when the terminal supports it. A file is shown inline."""
    text = to_text(answer, files=True)
    if color:
        title, _, rest = text.partition("\n")
        return f"\033[1m{title}\033[0m\n{rest}"
    return text


def saved_line(answer: Answer, folder: Path | None = None) -> str | None:
    """A picture (which a terminal cannot show) saved in ``folder`` (the current one), and the
    line saying where; None for an answer without one (a text file is shown inline)."""
    file = answer.attachment
    if file is None or file.is_text:
        return None
    try:
        where = folder or Path.cwd()
        path = save(file, folder=where)
    except OSError as exc:  # a folder removed or not writable: said, not a traceback
        reason = exc.strerror or type(exc).__name__
        shown = folder or os.environ.get("PWD") or "."
        return t(answer.language, "chart.not_saved", folder=shown, reason=reason)
    return t(answer.language, "chart.saved", path=path)


def banner() -> str:
    """The greeting, in both languages (nobody has said anything yet)."""
    return "\n".join([*items("en", "console.banner"), *items("es", "console.banner")])


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


def _read(interactive: bool, stdin: TextIO, stdout: TextIO) -> str | None:
    """The next line; None at the end. Ctrl-C at the prompt clears the line, as in a shell."""
    while True:
        try:
            line = input("\nyou> ") if interactive else stdin.readline()
        except EOFError:
            return None
        except KeyboardInterrupt:
            print("^C", file=stdout)
            continue
        if not interactive and line == "":
            return None
        return line


def chat(
    bot: Bot, history: Path | None, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    """Read questions until EOF or a quit word; answer each one."""
    interactive = stdin.isatty() and stdout.isatty()
    if interactive and history is not None:
        _enable_history(history)
    vocab = bot.knowledge.vocab
    quit_words = set(vocab.conversation.quit.all())
    # "bye" / "chau" get their friendly reply, then the chat ends.
    farewells = set(vocab.intents.bye.all())
    print(banner(), file=stdout)
    while (line := _read(interactive, stdin, stdout)) is not None:
        line = line.strip()
        if not line:
            continue
        if fold(line) in quit_words:
            return 0
        answer = bot.answer(to_incoming(line))
        saved = saved_line(answer)
        text = render(answer, color=interactive) + (f"\n{saved}" if saved else "")
        print("\n" + text, file=stdout, flush=True)
        if " ".join(fold(line).replace("!", " ").split()) in farewells:
            return 0
    print(file=stdout)
    return 0
