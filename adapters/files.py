"""Answer files written to disk (the console chat, ``shopcrew plan … --out``)."""

from __future__ import annotations

from pathlib import Path

from bot.models import Attachment


def save(file: Attachment, out: Path | None = None, folder: Path | None = None) -> Path:
    """Write ``file`` and return where it went.

    ``out`` is written as asked, replacing a file already there (the user named it). Without
    one, the file goes into ``folder`` (the current one) under its own name, and never over an
    existing file: the first free ``name-2.png``, ``name-3.png``… is taken instead.
    """
    if out is not None:
        out.write_bytes(file.content)
        return out.resolve()
    folder = folder or Path.cwd()
    stem, dot, suffix = file.filename.rpartition(".")
    n = 1
    while True:
        name = file.filename if n == 1 else f"{stem}-{n}{dot}{suffix}"
        path = folder / name
        try:
            with path.open("xb") as handle:  # exclusive: never replaces what someone saved
                handle.write(file.content)
        except FileExistsError:
            n += 1
            continue
        return path.resolve()
