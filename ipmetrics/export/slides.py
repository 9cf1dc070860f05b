"""The meeting briefing as PowerPoint slides for the meeting room projector: a cover, an overview table,
one slide per goal and the action items, with 微软雅黑 named for East-Asian text (a:ea)."""

from __future__ import annotations

import io

import pandas as pd
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor as SlideRGB
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn as pqn
from pptx.util import Emu, Inches
from pptx.util import Pt as SlidePt

from ipmetrics.export.layout import (
    CHART_MISSING,
    GREY,
    GROUP_FILL,
    HEADER_FILL,
    NO_ACTIONS,
    NO_TASKS_BEHIND,
    SAMPLE_NOTICE,
    SAMPLE_RED,
    STATUS_COLUMN,
    Table,
    cell_text,
    column_fractions,
    status_colour,
)
from ipmetrics.meeting.briefing_model import STATUS_COLOURS, Briefing, GoalSlide

SLIDE_FONT = "微软雅黑"
ACTION_ROWS_PER_SLIDE = 8

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
CONTENT_TOP = Inches(1.35)
LAYOUT_TITLE_ONLY = 5


def _slide_font(run, size: float, *, bold: bool = False, colour: str | None = None) -> None:
    """Size, weight, colour, then the typefaces: a:latin through python-pptx, a:ea added beside it."""
    font = run.font
    font.size = SlidePt(size)
    font.bold = bold
    if colour is not None:
        font.color.rgb = SlideRGB.from_string(colour)
    font.name = SLIDE_FONT
    rpr = run._r.get_or_add_rPr()
    east_asian = rpr.find(pqn("a:ea"))
    if east_asian is None:
        east_asian = etree.SubElement(rpr, pqn("a:ea"))
        rpr.find(pqn("a:latin")).addnext(east_asian)  # schema order: latin, ea, cs
    east_asian.set("typeface", SLIDE_FONT)


def _add_line(frame, text: str, size: float, *, bold: bool = False, colour: str | None = None,
              first: bool = False, align=None):
    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    _slide_font(run, size, bold=bold, colour=colour)
    return paragraph


def _text_box(slide, left, top, width, height, *, anchor=MSO_ANCHOR.TOP):
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    return frame


def _fitting_size(text: str, width, height, sizes=(18, 16, 14, 12)) -> int:
    """The largest of `sizes` (pt) at which `text` wraps into the box, counting every character as
    a full-width one (generated sentences are mostly Chinese); the smallest if none does."""
    for size in sizes:
        per_line = max(1, int(width / SlidePt(size)))
        lines = -(-len(text) // per_line)
        if lines * SlidePt(size) * 1.2 <= height:
            return size
    return sizes[-1]


def _new_slide(prs, title: str, sample: bool, status: tuple[str, str] | None = None):
    """A slide with its title in the title placeholder (so outlines and screen readers see it);
    `status` is (label, colour) shown after the title."""
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    placeholder = slide.shapes.title
    # The template's layouts are 4:3; place the title on the 16:9 slide ourselves.
    placeholder.left, placeholder.top = MARGIN, Inches(0.3)
    placeholder.width, placeholder.height = SLIDE_W - 2 * MARGIN - Inches(1.6), Inches(0.9)
    frame = placeholder.text_frame
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _add_line(frame, title, 30, bold=True, first=True, align=PP_ALIGN.LEFT)
    if status is not None:
        run = frame.paragraphs[0].add_run()
        run.text = f"  {status[0]}"
        _slide_font(run, 30, bold=True, colour=status[1])
    if sample:
        _sample_corner(slide)
    return slide


def _sample_corner(slide) -> None:
    corner = _text_box(slide, SLIDE_W - Inches(1.9), Inches(0.15), Inches(1.7), Inches(0.4))
    _add_line(corner, "示例数据", 12, bold=True, colour=SAMPLE_RED, first=True, align=PP_ALIGN.RIGHT)


def _cell_borders(cell, colour: str = "808080") -> None:
    """Thin grey rules: the default table style draws white ones, invisible on a white body."""
    properties = cell._tc.get_or_add_tcPr()
    for position, side in enumerate(("a:lnL", "a:lnR", "a:lnT", "a:lnB")):  # schema order, before the fill
        line = etree.Element(pqn(side), w="9525")
        etree.SubElement(etree.SubElement(line, pqn("a:solidFill")), pqn("a:srgbClr"), val=colour)
        properties.insert(position, line)


def _slide_table(slide, table: Table, top, height_left, size: float, lines: int = 1) -> None:
    """A table from `top`, its rows `lines` lines of text high (less when the rows would not fit): tables
    of sentences (tasks, action items) wrap, and a fixed one-line row would clip them."""
    frame = table.frame
    columns = [cell_text(c) for c in frame.columns]
    body = table.body()
    width = SLIDE_W - 2 * MARGIN
    row_height = min(Inches(size / 72 * (1.9 + 1.25 * (lines - 1))), height_left // (len(body) + 1))
    shape = slide.shapes.add_table(len(body) + 1, len(columns), MARGIN, top, width, row_height * (len(body) + 1))
    grid = shape.table
    grid.first_row = True
    grid.horz_banding = False
    for i, fraction in enumerate(column_fractions(frame, width / SlidePt(size))):
        grid.columns[i].width = Emu(int(width * fraction))
    for r in range(len(body) + 1):
        grid.rows[r].height = row_height
    values = [list(v) for v in frame.itertuples(index=False)]
    for i, column in enumerate(columns):
        _slide_cell(grid.cell(0, i), column, size, HEADER_FILL, bold=True)
    for r, (heading, index) in enumerate(body, start=1):
        if heading is not None:  # a row heading the rows under it (a theme), across the table
            grid.cell(r, 0).merge(grid.cell(r, len(columns) - 1))
            _slide_cell(grid.cell(r, 0), heading, size, GROUP_FILL, bold=True)
            continue
        for i, value in enumerate(values[index]):
            colour = status_colour(table, index, columns[i])
            _slide_cell(grid.cell(r, i), cell_text(value), size, "FFFFFF", bold=colour is not None, colour=colour)


def _slide_cell(cell, text: str, size: float, fill: str, *, bold: bool = False, colour: str | None = None) -> None:
    cell.fill.solid()  # plain grey header and white body: reads on any projector
    cell.fill.fore_color.rgb = SlideRGB.from_string(fill)
    _cell_borders(cell)
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    cell.margin_left = cell.margin_right = Inches(0.05)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    _add_line(cell.text_frame, text, size, bold=bold, colour=colour or "000000", first=True)


def _overview_columns(goals: pd.DataFrame) -> list[str]:
    """指标, 期间, 当前值, 目标, 完成率, 状态 as far as the goals table has them (a column counts when its name
    contains the word, so "2030年目标" and "完成率（%）" do); otherwise its first five columns."""
    chosen: list[str] = []
    for word in ("指标", "期间", "当前值", "目标", "完成率", STATUS_COLUMN):
        match = next((c for c in goals.columns if word in str(c) and c not in chosen), None)
        if match is not None:
            chosen.append(match)
    return chosen if len(chosen) >= 2 else list(goals.columns[:5])


def _overview_slide(prs, b: Briefing) -> None:
    slide = _new_slide(prs, "总体情况", b.sample)
    top = CONTENT_TOP
    if b.narrative:
        width, height = SLIDE_W - 2 * MARGIN, Inches(1.3)
        frame = _text_box(slide, MARGIN, top, width, height)
        _add_line(frame, b.narrative[0], _fitting_size(b.narrative[0], width, height), first=True)
        top += Inches(1.45)
    columns = _overview_columns(b.goals)
    rows = len(b.goals) + len(b.goal_groups)
    size = 14 if rows <= 10 else 12 if rows <= 14 else 10
    table = Table(b.goals[columns], list(b.goal_statuses), b.goal_groups)
    _slide_table(slide, table, top, SLIDE_H - top - Inches(0.3), size)


def _picture(slide, png: bytes, left, top, width, height) -> None:
    """The chart scaled to fit the box, aspect ratio kept, centred in it."""
    picture = slide.shapes.add_picture(io.BytesIO(png), left, top, width=width)
    if picture.height > height:
        picture.width = int(picture.width * height / picture.height)
        picture.height = height
    picture.left = left + (width - picture.width) // 2
    picture.top = top + (height - picture.height) // 2


def _goal_slide(prs, goal: GoalSlide, sample: bool) -> None:
    colour = STATUS_COLOURS.get(goal.status, GREY)
    slide = _new_slide(prs, goal.title, sample, status=(goal.status_label, colour))
    body_height = Inches(4.3)

    figures = _text_box(slide, MARGIN, CONTENT_TOP, Inches(4.2), body_height)
    for n, (label, value) in enumerate(goal.figures):
        _add_line(figures, label, 14, colour=GREY, first=n == 0)
        _add_line(figures, value, 26, bold=True).space_after = SlidePt(4)

    chart_left, chart_width = Inches(4.85), SLIDE_W - Inches(4.85) - MARGIN
    if goal.chart is not None and goal.chart.png is not None:
        _picture(slide, goal.chart.png, chart_left, CONTENT_TOP, chart_width, body_height)
    elif goal.chart is not None:
        missing = _text_box(slide, chart_left, CONTENT_TOP, chart_width, body_height, anchor=MSO_ANCHOR.MIDDLE)
        _add_line(missing, f"{goal.chart.title}{CHART_MISSING}", 16, colour=GREY, first=True, align=PP_ALIGN.CENTER)

    bottom = CONTENT_TOP + body_height + Inches(0.1)
    width, height = SLIDE_W - 2 * MARGIN, Inches(0.75)
    sentence = _text_box(slide, MARGIN, bottom, width, height)
    _add_line(sentence, goal.sentence, _fitting_size(goal.sentence, width, height), first=True)
    if goal.actions:
        shown = goal.actions[:2]  # a projector slide holds two lines; the rest are on the 督办事项 slide
        more = f"（另有{len(goal.actions) - len(shown)}项，见督办事项）" if len(goal.actions) > len(shown) else ""
        actions = _text_box(slide, MARGIN, bottom + Inches(0.8), SLIDE_W - 2 * MARGIN, Inches(0.9))
        for n, line in enumerate(shown):
            _add_line(actions, f"督办：{line}" + (more if n == len(shown) - 1 else ""), 14, colour="333333",
                      first=n == 0)


def _action_slides(prs, b: Briefing) -> None:
    if b.actions.empty:
        slide = _new_slide(prs, "督办事项", b.sample)
        frame = _text_box(slide, MARGIN, CONTENT_TOP, SLIDE_W - 2 * MARGIN, Inches(1))
        _add_line(frame, NO_ACTIONS.rstrip("。"), 20, first=True)
        return
    # Items on indicators and meeting decisions (the briefing's row headings) each on slides of their own.
    start = 0
    for heading, count in b.action_groups or (("督办事项", len(b.actions)),):
        _action_table_slides(prs, heading, b.actions.iloc[start:start + count], b.sample)
        start += count


def _action_table_slides(prs, heading: str, items: pd.DataFrame, sample: bool) -> None:
    pages = range(0, len(items), ACTION_ROWS_PER_SLIDE)
    for n, start in enumerate(pages):
        title = heading if len(pages) == 1 else f"{heading}（{n + 1}/{len(pages)}）"
        slide = _new_slide(prs, title, sample)
        rows = items.iloc[start:start + ACTION_ROWS_PER_SLIDE].reset_index(drop=True)
        _slide_table(slide, Table(rows), CONTENT_TOP, SLIDE_H - CONTENT_TOP - Inches(0.3), 16, lines=2)


# What a projected slide keeps of the task tables: the columns a meeting reads at a distance.
PART_SLIDE_COLUMNS = ["部分", "判断", "需关注条款", "指标", "任务", "逾期任务"]
BEHIND_SLIDE_COLUMNS = ["编号", "任务", "牵头单位", "完成时限", "最新状态", "逾期"]


def _task_slides(prs, b: Briefing) -> None:
    """任务落实: the policy's parts on one slide, then the tasks behind schedule and the units that did not
    report, on as many slides as they need."""
    if not b.policy_parts.empty:
        slide = _new_slide(prs, "政策各部分推进情况", b.sample)
        columns = [c for c in PART_SLIDE_COLUMNS if c in b.policy_parts.columns]
        _slide_table(slide, Table(b.policy_parts[columns]), CONTENT_TOP, SLIDE_H - CONTENT_TOP - Inches(0.3), 16,
                     lines=3)
    if b.tasks_behind.empty:
        if b.task_note is not None:
            slide = _new_slide(prs, "逾期或滞后的任务", b.sample)
            frame = _text_box(slide, MARGIN, CONTENT_TOP, SLIDE_W - 2 * MARGIN, Inches(1))
            _add_line(frame, NO_TASKS_BEHIND.rstrip("。") if b.tasks_frozen else b.task_note, 20, first=True)
    else:
        columns = [c for c in BEHIND_SLIDE_COLUMNS if c in b.tasks_behind.columns]
        _action_table_slides(prs, "逾期或滞后的任务", b.tasks_behind[columns], b.sample)
    if not b.units_unreported.empty:
        _action_table_slides(prs, "本期未汇报进展的单位", b.units_unreported, b.sample)


def _cover_slide(prs, b: Briefing) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, Inches(1.9), SLIDE_W - 2 * MARGIN, Inches(1.4)
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _add_line(title.text_frame, b.title, 40, bold=True, first=True, align=PP_ALIGN.CENTER)
    lines = _text_box(slide, MARGIN, Inches(3.5), SLIDE_W - 2 * MARGIN, Inches(2.5))
    _add_line(lines, b.subtitle, 22, first=True, align=PP_ALIGN.CENTER)
    _add_line(lines, b.date_line, 20, colour=GREY, align=PP_ALIGN.CENTER)
    if b.sample:
        _add_line(lines, SAMPLE_NOTICE, 20, bold=True, colour=SAMPLE_RED, align=PP_ALIGN.CENTER).space_before = \
            SlidePt(24)
        _sample_corner(slide)


def pptx_bytes(b: Briefing) -> bytes:
    """The briefing as 16:9 slides: title, overview, one slide per goal, the action items, then the tasks."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = b.title

    _cover_slide(prs, b)
    _overview_slide(prs, b)
    for goal in b.slides:
        _goal_slide(prs, goal, b.sample)
    _action_slides(prs, b)
    _task_slides(prs, b)

    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()

