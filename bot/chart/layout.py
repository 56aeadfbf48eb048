"""Where everything goes in the org-chart picture, as plain data (no pixels are drawn here).

The picture is 1,200 pixels wide: a phone shows it at about its own width, so the smallest text
(34 px) reads like body text there. From top to bottom: the title, the plan's context and its
total; the leadership (the department of the top role) as a small top-down tree; then the other
departments as panels in two columns, each panel its roles as an indented tree along the
reporting lines. A line from the leadership's boss runs down the gap between the columns to
each department that reports to that boss. Nothing overlaps: rows and columns are stacked, and
every box is as tall as its wrapped name needs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.chart.fonts import measure, wrap
from bot.chart.tree import Chart, ChartDepartment, ChartRole
from knowledge import RoleId

WIDTH = 1200
MARGIN = 40
GUTTER = 56
COLUMN = (WIDTH - 2 * MARGIN - GUTTER) // 2
TITLE_PX, CONTEXT_PX, TOTAL_PX = 56, 36, 40
HEADER_PX, LABEL_PX, COUNT_PX = 36, 34, 38
PAD = 16  # inside a box
PILL_PAD = 14  # inside the count's pill, left and right
GAP = 14  # between the boxes of a panel
INDENT = 44  # per reporting level inside a panel
PANEL_PAD = 18
PANEL_GAP = 32  # between panels of a column
HEAD_COLUMNS = 3
HEAD_GAP = 24  # between the boxes of a leadership row
ROW_GAP = 48  # between leadership rows: room for the lines
SECTION_GAP = 64  # between the title, the leadership and the departments
LINE_GAP = 4  # between the wrapped lines of a name


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle in pixels, from its top-left corner."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        """The x just past the rectangle."""
        return self.x + self.w

    @property
    def bottom(self) -> int:
        """The y just past the rectangle."""
        return self.y + self.h

    def overlaps(self, other: Rect) -> bool:
        """True when the two share some area (touching edges do not count)."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def contains(self, other: Rect) -> bool:
        """True when ``other`` lies wholly inside this rectangle."""
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )


@dataclass(frozen=True, slots=True)
class Text:
    """One line of text: drawn from the top-left of ``rect``, in the shipped font."""

    text: str
    rect: Rect
    size: int
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Box:
    """A role's box: its name (one or more lines) and its count in a pill on the right."""

    role: RoleId
    department: str
    #: The department's colour (its place in the knowledge base).
    tone: int
    rect: Rect
    label: tuple[Text, ...]
    pill: Rect
    count: Text


@dataclass(frozen=True, slots=True)
class Panel:
    """A department: a tinted area with its name, holding its boxes."""

    department: str
    tone: int
    rect: Rect
    name: tuple[Text, ...]


#: A reporting line: a path of points, drawn as straight segments.
Connector = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Layout:
    """The whole picture as data: what the drawing module paints, and what tests check."""

    width: int
    height: int
    title: tuple[Text, ...]
    panels: tuple[Panel, ...]
    boxes: tuple[Box, ...]
    connectors: tuple[Connector, ...]

    def texts(self) -> list[Text]:
        """Every line of text in the picture."""
        out = list(self.title)
        out += [t for p in self.panels for t in p.name]
        out += [t for b in self.boxes for t in (*b.label, b.count)]
        return out


def _lines(text: str, x: int, y: int, width: int, size: int, bold: bool) -> list[Text]:
    """``text`` wrapped to ``width``, stacked from (x, y)."""
    out: list[Text] = []
    for line in wrap(text, width, size, bold):
        w, h = measure(line, size, bold)
        out.append(Text(line, Rect(x, y, w, h), size, bold))
        y += h + LINE_GAP
    return out


def _box(role: ChartRole, dept: ChartDepartment, x: int, y: int, w: int, min_h: int = 0) -> Box:
    """A role's box of width ``w`` at (x, y): the name wrapped beside the count's pill."""
    cw, ch = measure(role.count_text, COUNT_PX, True)
    pill_w, pill_h = max(cw + 2 * PILL_PAD, ch + 8), ch + 8
    label_w = w - 2 * PAD - pill_w - PAD
    label = _lines(role.label, 0, 0, label_w, LABEL_PX, False)
    text_h = label[-1].rect.bottom
    h = max(text_h, pill_h, min_h - 2 * PAD) + 2 * PAD
    top = y + (h - text_h) // 2
    label = [Text(t.text, Rect(x + PAD, top + t.rect.y, t.rect.w, t.rect.h), t.size) for t in label]
    pill = Rect(x + w - PAD - pill_w, y + (h - pill_h) // 2, pill_w, pill_h)
    count_rect = Rect(pill.x + (pill_w - cw) // 2, pill.y + (pill_h - ch) // 2, cw, ch)
    count = Text(role.count_text, count_rect, COUNT_PX, True)
    return Box(role.role, dept.id, dept.tone, Rect(x, y, w, h), tuple(label), pill, count)


@dataclass
class _Sheet:
    """The layout being built."""

    panels: list[Panel]
    boxes: list[Box]
    connectors: list[Connector]

    def box_of(self, role: RoleId) -> Box:
        return next(b for b in self.boxes if b.role == role)


def _panel(sheet: _Sheet, dept: ChartDepartment, x: int, y: int, w: int) -> Panel:
    """A department as a panel at (x, y): its name, then its roles as an indented tree."""
    name = _lines(dept.name, x + PANEL_PAD, y + PANEL_PAD, w - 2 * PANEL_PAD, HEADER_PX, True)
    cursor = name[-1].rect.bottom + GAP
    for role in dept.roles:
        bx = x + PANEL_PAD + role.depth * INDENT
        box = _box(role, dept, bx, cursor, x + w - PANEL_PAD - bx)
        if role.depth > 0 and role.boss is not None:
            boss = sheet.box_of(role.boss).rect
            elbow = boss.x + INDENT // 2
            mid = box.rect.y + box.rect.h // 2
            sheet.connectors.append(((elbow, boss.bottom), (elbow, mid), (box.rect.x, mid)))
        sheet.boxes.append(box)
        cursor = box.rect.bottom + GAP
    panel = Panel(dept.id, dept.tone, Rect(x, y, w, cursor - GAP + PANEL_PAD - y), tuple(name))
    sheet.panels.append(panel)
    return panel


def _levels(head: ChartDepartment) -> list[list[ChartRole]] | None:
    """The leadership by level, when it draws as a top-down tree: at most three a level, and
    each level's roles under one boss (else None: it is drawn as a panel like the others)."""
    levels: list[list[ChartRole]] = []
    for role in head.roles:
        while len(levels) <= role.depth:
            levels.append([])
        levels[role.depth].append(role)
    for level in levels[1:]:
        if len({r.boss for r in level}) > 1:
            return None
    return levels if all(len(level) <= HEAD_COLUMNS for level in levels) else None


def _head_rows(sheet: _Sheet, head: ChartDepartment, levels: list[list[ChartRole]], y: int) -> int:
    """The leadership as a top-down tree from ``y``; returns the y below it."""
    inner = WIDTH - 2 * MARGIN - 2 * PANEL_PAD
    w = (inner - (HEAD_COLUMNS - 1) * HEAD_GAP) // HEAD_COLUMNS // 2 * 2  # even: centred exactly
    for level in levels:
        row_w = len(level) * w + (len(level) - 1) * HEAD_GAP
        xs = [(WIDTH - row_w) // 2 + i * (w + HEAD_GAP) for i in range(len(level))]
        tallest = max(_box(r, head, 0, 0, w).rect.h for r in level)
        for role, x in zip(level, xs, strict=True):
            box = _box(role, head, x, y, w, tallest)
            if role.boss is not None:
                boss = sheet.box_of(role.boss).rect
                px, cx, bus = boss.x + boss.w // 2, x + w // 2, y - ROW_GAP // 2
                sheet.connectors.append(((px, boss.bottom), (px, bus), (cx, bus), (cx, y)))
            sheet.boxes.append(box)
        y += tallest + ROW_GAP
    return y - ROW_GAP


def _head(sheet: _Sheet, head: ChartDepartment, y: int) -> Panel:
    """The leadership across the whole width: a titled area with its top-down tree (or, when
    it does not draw as one, an indented panel like the other departments)."""
    levels = _levels(head)
    if levels is None:
        return _panel(sheet, head, MARGIN, y, WIDTH - 2 * MARGIN)
    inner = WIDTH - 2 * MARGIN - 2 * PANEL_PAD
    name = _lines(head.name, MARGIN + PANEL_PAD, y + PANEL_PAD, inner, HEADER_PX, True)
    bottom = _head_rows(sheet, head, levels, name[-1].rect.bottom + GAP)
    rect = Rect(MARGIN, y, WIDTH - 2 * MARGIN, bottom + PANEL_PAD - y)
    panel = Panel(head.id, head.tone, rect, tuple(name))
    sheet.panels.append(panel)
    return panel


def _columns(sheet: _Sheet, departments: tuple[ChartDepartment, ...], y: int) -> list[Panel]:
    """The departments in two columns, each panel in the shorter one (one column, centred,
    for a single department)."""
    if len(departments) == 1:
        return [_panel(sheet, departments[0], (WIDTH - COLUMN) // 2, y, COLUMN)]
    xs = (MARGIN, MARGIN + COLUMN + GUTTER)
    bottoms = [y, y]
    panels = []
    for dept in departments:
        i = 0 if bottoms[0] <= bottoms[1] else 1
        panel = _panel(sheet, dept, xs[i], bottoms[i], COLUMN)
        bottoms[i] = panel.rect.bottom + PANEL_GAP
        panels.append(panel)
    return panels


def _crosses(segment: tuple[tuple[int, int], tuple[int, int]], rect: Rect) -> bool:
    """True when a horizontal or vertical segment passes through the inside of ``rect``."""
    (x1, y1), (x2, y2) = segment
    thin = Rect(min(x1, x2), min(y1, y2), abs(x2 - x1) or 1, abs(y2 - y1) or 1)
    inside = Rect(rect.x + 1, rect.y + 1, rect.w - 2, rect.h - 2)
    return thin.overlaps(inside)


def _trunk(sheet: _Sheet, chart: Chart, head: Panel, panels: list[Panel]) -> None:
    """The line from the leadership's boss down the gap between the columns, to each
    department that reports to that boss."""
    head_roles = {r.role for r in chart.head.roles} if chart.head else set()
    linked = {d.id: d.reports_to for d in chart.departments if d.reports_to in head_roles}
    if not linked:
        return
    boss = sheet.box_of(Counter(linked.values()).most_common(1)[0][0]).rect
    mid, bus = WIDTH // 2, head.rect.bottom + SECTION_GAP // 2
    start = (boss.x + boss.w // 2, boss.bottom)
    if any(_crosses((start, (start[0], bus)), b.rect) for b in sheet.boxes):
        start = (mid, head.rect.bottom)  # from the leadership as a whole
    lowest = bus
    for panel in panels:
        if panel.department not in linked:
            continue
        if panel.rect.x < mid < panel.rect.right:  # a single centred column: into its top
            lowest = max(lowest, panel.rect.y)
            continue
        y = panel.name[0].rect.y + panel.name[0].rect.h // 2
        edge = panel.rect.right if panel.rect.right <= mid else panel.rect.x
        sheet.connectors.append(((mid, y), (edge, y)))
        lowest = max(lowest, y)
    sheet.connectors.append((start, (start[0], bus), (mid, bus), (mid, lowest)))


def layout(chart: Chart) -> Layout:
    """Where every box, line and word of ``chart`` goes."""
    x, inner = MARGIN, WIDTH - 2 * MARGIN
    title = _lines(chart.title, x, MARGIN, inner, TITLE_PX, True)
    title += _lines(chart.context, x, title[-1].rect.bottom + 12, inner, CONTEXT_PX, False)
    title += _lines(chart.total, x, title[-1].rect.bottom + 12, inner, TOTAL_PX, True)
    y = title[-1].rect.bottom + SECTION_GAP
    sheet = _Sheet([], [], [])
    head = _head(sheet, chart.head, y) if chart.head is not None else None
    if head is not None:
        y = head.rect.bottom + SECTION_GAP
    panels = _columns(sheet, chart.departments, y) if chart.departments else []
    if head is not None:
        _trunk(sheet, chart, head, panels)
    bottom = max([y, *(p.rect.bottom for p in sheet.panels)])
    return Layout(
        WIDTH,
        bottom + MARGIN,
        tuple(title),
        tuple(sheet.panels),
        tuple(sheet.boxes),
        tuple(sheet.connectors),
    )
