"""The org-chart picture: a real PNG, every role in it, nothing overlapping, always the same bytes,
readable on a phone, and drawn with the package's own font."""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

import bot.chart
from bot.chart import Chart, chart_of, layout, render
from bot.chart.fonts import BOLD, REGULAR, font
from bot.chart.layout import Layout, Rect
from bot.core import Bot
from bot.models import Answer, Message
from bot.plans.service import PlanService
from bot.storage import open_storage
from knowledge import KnowledgeBase, Lang, RoleId
from tests.bot.chart.plans import LARGEST

ROOT = Path(__file__).resolve().parents[3]
WHITE = (255, 255, 255)


@pytest.fixture
def staffed() -> Iterator[Bot]:
    """A bot whose local plan is the largest one."""
    storage = open_storage(":memory:")
    bot = Bot(plans=PlanService(storage.plans))
    for command in LARGEST:
        assert not say(bot, command).refusal, command
    yield bot
    storage.close()


def say(bot: Bot, text: str) -> Answer:
    return bot.answer(Message(text=text, user_is_admin=True))


def plan_of(bot: Bot) -> dict[RoleId, int]:
    assert bot.plans is not None
    return dict(bot.plans.store.read("local:local").roles)


def chart(kb: KnowledgeBase, plan: dict[RoleId, int], lang: Lang = "en") -> Chart:
    # A long context line on purpose: it must wrap, not run off the picture.
    context = "Stores: 500 · Stage: mature · Channels: live streaming, short video, Xiaohongshu"
    return chart_of(kb, plan, lang, ("Team plan", context, "Total: 1,922 people"))


def template_plan(kb: KnowledgeBase, template: str) -> dict[RoleId, int]:
    return {r.role: 3 for r in kb.template(template).roles}


def full_name(kb: KnowledgeBase, role: RoleId, lang: Lang) -> str:
    return kb.role(role).name.get(lang)


# --- the picture as a file ---------------------------------------------------------------------


def test_the_answer_carries_a_png_that_decodes_to_a_drawn_picture(staffed: Bot) -> None:
    answer = say(staffed, "plan chart")
    file = answer.attachment
    assert file is not None and file.media_type == "image/png" and not file.is_text
    assert file.filename.endswith(".png") and file.alt_text
    image = Image.open(io.BytesIO(file.content))
    image.load()
    assert image.format == "PNG" and image.mode == "RGB"
    width, height = image.size
    assert 1000 <= width <= 1280 and height > width  # portrait, as phones hold it
    colours = dict((colour, n) for n, colour in image.getcolors(maxcolors=width * height) or [])
    white = colours.get(WHITE, 0)
    assert width * height - white > 0.25 * width * height  # panels, boxes, lines, text: not blank
    assert len(colours) > 200  # many colours: tinted panels and anti-aliased text
    # The picture says what the plan holds, in words too.
    assert "Customer service 668" in file.alt_text and "Total: 1,922 people" in file.alt_text


def test_the_same_plan_always_gives_the_same_bytes(staffed: Bot, kb: KnowledgeBase) -> None:
    first = say(staffed, "plan chart").attachment
    again = say(staffed, "plan chart").attachment
    assert first is not None and again is not None and first.content == again.content
    # And in another process, with nothing cached: no time, no randomness in the file.
    plan = plan_of(staffed)
    code = (
        "import sys; from knowledge import default_kb; from bot.chart import render;"
        "from tests.bot.chart.test_picture import chart;"
        f"sys.stdout.buffer.write(render(chart(default_kb(), {plan!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, cwd=ROOT, check=True, timeout=60
    )
    assert out.stdout == render(chart(kb, plan))
    assert b"tIME" not in out.stdout and b"tEXt" not in out.stdout


def test_a_different_plan_gives_a_different_picture(kb: KnowledgeBase) -> None:
    assert render(chart(kb, {"art": 2})) != render(chart(kb, {"art": 3}))


# --- what the layout holds ------------------------------------------------------------------


def test_every_role_has_its_box_with_its_name_and_count(staffed: Bot, kb: KnowledgeBase) -> None:
    plan = plan_of(staffed)
    assert len(plan) == len(kb.roles)  # the largest plan has every role
    for lang in ("en", "es"):
        drawn = layout(chart(kb, plan, lang))
        boxes = {b.role: b for b in drawn.boxes}
        assert set(boxes) == set(plan)
        for role, count in plan.items():
            label = " ".join(line.text for line in boxes[role].label)
            # The role's name without its gloss ("Art (designer)" is drawn "Art").
            assert label and full_name(kb, role, lang).startswith(label), (role, label)
            assert boxes[role].count.text == f"{count}"
    spanish = " ".join(t.text for t in layout(chart(kb, plan, "es")).texts())
    for word in ("Dirección", "Operación", "Almacén", "Posventa", "Fotógrafo"):
        assert word in spanish


def _layouts(kb: KnowledgeBase, staffed: Bot) -> list[Layout]:
    plans = [plan_of(staffed), *(template_plan(kb, t) for t in kb.templates), {"anchor": 1}]
    plans.append({"warehouse_packer": 2, "operations_director": 1})
    return [layout(chart(kb, p, lang)) for p in plans for lang in ("en", "es")]


def test_nothing_overlaps_and_every_text_fits_its_place(staffed: Bot, kb: KnowledgeBase) -> None:
    for drawn in _layouts(kb, staffed):
        canvas = Rect(0, 0, drawn.width, drawn.height)
        for a, b in itertools.combinations(drawn.boxes, 2):
            assert not a.rect.overlaps(b.rect), (a.role, b.role)
        for a, b in itertools.combinations(drawn.panels, 2):
            assert not a.rect.overlaps(b.rect), (a.department, b.department)
        for box in drawn.boxes:
            panel = next(p for p in drawn.panels if p.department == box.department)
            assert panel.rect.contains(box.rect), box.role
            assert box.rect.contains(box.pill) and box.pill.contains(box.count.rect), box.role
            for line in box.label:
                assert box.rect.contains(line.rect), (box.role, line.text)
                assert not line.rect.overlaps(box.pill), (box.role, line.text)
        for panel in drawn.panels:
            for line in panel.name:
                assert panel.rect.contains(line.rect)
                assert not any(line.rect.overlaps(b.rect) for b in drawn.boxes)
        for text in drawn.texts():
            assert canvas.contains(text.rect), text.text


def _segments(drawn: Layout) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    for connector in drawn.connectors:
        yield from itertools.pairwise(connector)


def test_reporting_lines_run_between_boxes_never_through_one(
    staffed: Bot, kb: KnowledgeBase
) -> None:
    for drawn in _layouts(kb, staffed):
        for (x1, y1), (x2, y2) in _segments(drawn):
            assert x1 == x2 or y1 == y2  # straight, square elbows
            line = Rect(min(x1, x2), min(y1, y2), abs(x2 - x1) or 1, abs(y2 - y1) or 1)
            for box in drawn.boxes:
                inside = Rect(box.rect.x + 1, box.rect.y + 1, box.rect.w - 2, box.rect.h - 2)
                assert not line.overlaps(inside), box.role


def test_boxes_follow_the_reporting_lines(staffed: Bot, kb: KnowledgeBase) -> None:
    drawn = layout(chart(kb, plan_of(staffed)))
    box = {b.role: b.rect for b in drawn.boxes}
    ends = {point for c in drawn.connectors for point in (c[0], c[-1])}
    # Inside a department, a report sits below its boss, indented, with a line to its side.
    lines = [
        ("presale_supervisor", "customer_service"),
        ("warehouse_manager", "warehouse_packer"),
        ("content_planner", "anchor"),
        ("operations", "operations_assistant"),
    ]
    for boss, report in lines:
        assert box[report].y > box[boss].bottom and box[report].x > box[boss].x
        assert (box[report].x, box[report].y + box[report].h // 2) in ends
    # The general manager heads the leadership; the others are on the row below, joined to it.
    gm = box["general_manager"]
    for role in ("project_manager", "operations_director", "hr"):
        assert box[role].y >= gm.bottom and (box[role].x + box[role].w // 2, box[role].y) in ends
    # The departments hang from the operations director (they report to it).
    od = box["operations_director"]
    assert (od.x + od.w // 2, od.bottom) in ends
    stubs = [c for c in drawn.connectors if len(c) == 2]
    departments = [p for p in drawn.panels if p.department != "leadership"]
    assert len(stubs) == len(departments) == len(kb.departments) - 1


def test_a_role_whose_boss_is_not_in_the_plan_reports_to_the_next_one_up(
    kb: KnowledgeBase,
) -> None:
    drawn = chart(kb, {"warehouse_packer": 4, "operations_director": 1, "customer_service": 2})
    warehouse = next(d for d in drawn.departments if d.id == "warehouse")
    assert [(r.role, r.depth, r.boss) for r in warehouse.roles] == [
        ("warehouse_packer", 0, "operations_director")
    ]
    assert warehouse.reports_to == "operations_director"
    alone = chart(kb, {"customer_service": 2})
    assert alone.head is None and alone.departments[0].reports_to is None


def test_the_largest_plan_reads_on_a_phone(staffed: Bot, kb: KnowledgeBase) -> None:
    # A phone shows a picture about 1,080 pixels wide; its smallest text must still be about
    # 28 px there (10-11 pt), not shrunk into a thumbnail.
    for drawn in _layouts(kb, staffed):
        smallest = min(t.size for t in drawn.texts())
        assert smallest * 1080 / drawn.width >= 28
        assert min(b.rect.h for b in drawn.boxes) >= smallest  # a box holds at least a line
    largest = layout(chart(kb, plan_of(staffed)))
    assert largest.height <= 3 * largest.width  # a tall phone screen or two, not a ribbon


# --- the font ---------------------------------------------------------------------------------


def test_the_font_is_the_packages_own_and_draws_every_spanish_letter() -> None:
    package = Path(bot.chart.__file__).parent
    for path in (REGULAR, BOLD):
        assert path.is_file() and path.parent == package / "fonts"
        assert font(34, path == BOLD).path == str(path)  # loaded from the package, not the system
    assert (package / "fonts" / "LICENSE").read_text(encoding="utf-8").startswith("Fonts are (c)")
    # A letter the font lacks is drawn as its "missing" box (.notdef); every Spanish one is real.
    for bold in (False, True):
        missing = _glyph("\ue000", bold)
        assert _glyph("a", bold) != missing
        for letter in "áéíóúüñÁÉÍÓÚÜÑ¿¡":
            assert _glyph(letter, bold) != missing, letter


def _glyph(letter: str, bold: bool) -> bytes:
    image = Image.new("L", (64, 64))
    ImageDraw.Draw(image).text((8, 4), letter, font=font(34, bold), fill=255)
    return image.tobytes()
