"""Render an ``Answer`` as plain text (console, ``--json`` "text", logs)."""

from __future__ import annotations

from bot.models import Answer, Table
from bot.strings import t


def split_lines(lines: list[str], limit: int) -> list[str]:
    """Join lines into texts of at most ``limit`` characters, splitting over-long lines too.

    Chat platforms cap the size of a text block; answers are split there, never truncated.
    """
    out: list[str] = []
    current = ""
    for line in lines:
        while len(line) > limit:
            if current:
                out.append(current)
                current = ""
            out.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            out.append(current)
            current = line
        else:
            current = candidate
    if current:
        out.append(current)
    return out


def table_text(table: Table) -> list[str]:
    """A table as aligned monospace lines."""
    widths = [len(h) for h in table.headers]
    for row in table.rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()

    out = [line(table.headers), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in table.rows)
    return out


def file_lines(answer: Answer) -> list[str]:
    """An attached file as text: its name, then its content (a picture: what it shows)."""
    file = answer.attachment
    if file is None:
        return []
    body = file.text.rstrip() if file.is_text else file.alt_text or ""
    return ["", f"--- {file.filename} ---", body]


def to_text(answer: Answer, suggestions: bool = True, files: bool = False) -> str:
    """The whole answer as plain text; with ``files``, an attached file's content too."""
    out = [answer.title]
    for section in answer.sections:
        out.append("")
        if section.heading:
            out.append(section.heading)
        out.extend(section.lines)
        if section.table:
            out.extend(table_text(section.table))
        out.extend(f"  ({note})" if not note.startswith("  ") else note for note in section.notes)
    if files:
        out.extend(file_lines(answer))
    if suggestions and answer.suggestions:
        out.append("")
        labels = " | ".join(s.label for s in answer.suggestions)
        out.append(f"{t(answer.language, 'render.try')}: {labels}")
    return "\n".join(out)
