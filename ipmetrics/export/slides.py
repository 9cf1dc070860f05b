"""The meeting briefing as PowerPoint slides for the meeting room projector: a cover, an overview table,
one slide per goal and the action items, with 微软雅黑 named for East-Asian text (a:ea)."""

from __future__ import annotations

import io
from collections.abc import Mapping

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
    numeric_columns,
    status_colour,
    text_width,
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


CELL_MARGIN_X, CELL_MARGIN_Y = Inches(0.05), Inches(0.03)
# A line of CJK text is about 1.45 × its type size high (Noto Sans CJK's ascent and descent; 微软雅黑 1.32),
# not the 1.2 of Latin faces: rows counted at 1.2 let a fourth line run into the next row in LibreOffice.
LINE_SPACING = 1.5
SLIDE_BOTTOM = SLIDE_H - Inches(0.3)


def _cell_lines(text: str, width, size: float) -> int:
    """Lines a cell's text wraps into at `size` pt in a column `width` wide (CJK full width, Latin half;
    paragraph breaks counted)."""
    # Line breaking keeps punctuation off a line's start and the renderer's face may run wider: count
    # 90 % of the width as usable.
    room = max(0.9 * (width - 2 * CELL_MARGIN_X) / SlidePt(size), 1.0)
    return sum(max(1, -(-int(text_width(part) * 100) // int(room * 100))) for part in (text or " ").split("\n"))


def _row_height(cells: list[str], widths: list, size: float) -> int:
    """A row's height in EMU: its tallest cell's wrapped lines plus the cell margins."""
    lines = max(_cell_lines(text, width, size) for text, width in zip(cells, widths))
    return int(SlidePt(size) * LINE_SPACING * lines + 2 * CELL_MARGIN_Y + SlidePt(2))


def _column_widths(frame: pd.DataFrame, size: float) -> list[int]:
    width = SLIDE_W - 2 * MARGIN
    return [int(width * fraction) for fraction in column_fractions(frame, width / SlidePt(size))]


def table_pages(table: Table, size: float, first_room: int, room: int, most_rows: int | None = None) -> list[Table]:
    """The table cut into pieces that each fit a slide: `first_room` EMU high on the first slide, `room` on
    the next ones, at most `most_rows` body rows a slide. Row heights are estimated from the wrapped text,
    so a table of sentences takes more slides instead of running off the bottom."""
    frame, widths = table.frame, _column_widths(table.frame, size)
    header = _row_height([cell_text(c) for c in frame.columns], widths, size)
    body = table.body()
    heights = [_row_height([heading] if heading is not None else [cell_text(v) for v in frame.iloc[index]],
                           [sum(widths)] if heading is not None else widths, size) for heading, index in body]
    pages, start, used, available = [], 0, header, first_room
    for position, height in enumerate(heights):
        full = used + height > available or (most_rows is not None and position - start >= most_rows)
        if full and position > start:
            pages.append(body[start:position])
            start, used, available = position, header, room
        used += height
    pages.append(body[start:])
    cut, carried = [], None
    for rows in pages:
        if rows or not pages[0]:
            cut.append(_sub_table(table, rows, carried))
        carried = next((heading for heading, _ in reversed(rows) if heading is not None), carried)
    return cut


def _sub_table(table: Table, rows: list[tuple[str | None, int | None]], carried: str | None = None) -> Table:
    """The rows of `table` listed in `rows` (as `Table.body` gives them) as a table of their own; rows that
    continue a group begun on an earlier slide go under its heading marked （续）, not under a blank one."""
    indexes = [index for _, index in rows if index is not None]
    groups, count = [], 0
    heading = f"{carried}（续）" if carried and rows and rows[0][0] is None else None
    for row_heading, index in rows:
        if row_heading is not None:
            if heading is not None or count:
                groups.append((heading or "", count))
            heading, count = row_heading, 0
        else:
            count += 1
    if table.groups and (heading is not None or count):
        groups.append((heading or "", count))
    statuses = [table.statuses[i] for i in indexes] if table.statuses is not None else None
    return Table(table.frame.iloc[indexes].reset_index(drop=True), statuses, tuple(groups))


def _slide_table(slide, table: Table, top, size: float) -> None:
    """A table from `top`, each row as high as its wrapped text (PowerPoint and LibreOffice grow a row to
    its text; a fixed height would only be a floor)."""
    frame = table.frame
    columns = [cell_text(c) for c in frame.columns]
    body = table.body()
    widths = _column_widths(frame, size)
    heights = [_row_height(columns, widths, size)] + [
        _row_height([heading] if heading is not None else [cell_text(v) for v in frame.iloc[index]],
                    [sum(widths)] if heading is not None else widths, size) for heading, index in body]
    shape = slide.shapes.add_table(len(body) + 1, len(columns), MARGIN, top, sum(widths), sum(heights))
    grid = shape.table
    grid.first_row = True
    grid.horz_banding = False
    for i, width in enumerate(widths):
        grid.columns[i].width = Emu(width)
    for r, height in enumerate(heights):
        grid.rows[r].height = Emu(height)
    values = [list(v) for v in frame.itertuples(index=False)]
    right = numeric_columns(frame)
    for i, column in enumerate(columns):
        _slide_cell(grid.cell(0, i), column, size, HEADER_FILL, bold=True)
    for r, (heading, index) in enumerate(body, start=1):
        if heading is not None:  # a row heading the rows under it (a theme), across the table
            grid.cell(r, 0).merge(grid.cell(r, len(columns) - 1))
            _slide_cell(grid.cell(r, 0), heading, size, GROUP_FILL, bold=True)
            continue
        for i, value in enumerate(values[index]):
            colour = status_colour(table, index, columns[i])
            _slide_cell(grid.cell(r, i), cell_text(value), size, "FFFFFF", bold=colour is not None, colour=colour,
                        align=PP_ALIGN.RIGHT if right[i] else None)


def _slide_cell(cell, text: str, size: float, fill: str, *, bold: bool = False, colour: str | None = None,
                align=None) -> None:
    cell.fill.solid()  # plain grey header and white body: reads on any projector
    cell.fill.fore_color.rgb = SlideRGB.from_string(fill)
    _cell_borders(cell)
    cell.margin_top = cell.margin_bottom = CELL_MARGIN_Y
    cell.margin_left = cell.margin_right = CELL_MARGIN_X
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    _add_line(cell.text_frame, text, size, bold=bold, colour=colour or "000000", first=True, align=align)


def _overview_columns(goals: pd.DataFrame) -> list[str]:
    """指标, 期间, 当前值, 目标, 完成率, 状态 as far as the goals table has them (a column counts when its name
    contains the word, so "2030年目标" and "完成率（%）" do); otherwise its first five columns."""
    chosen: list[str] = []
    for word in ("指标", "期间", "当前值", "目标", "完成率", STATUS_COLUMN):
        match = next((c for c in goals.columns if word in str(c) and c not in chosen), None)
        if match is not None:
            chosen.append(match)
    return chosen if len(chosen) >= 2 else list(goals.columns[:5])


OVERVIEW_PT = 14  # the smallest type that reads at the back of a meeting room


def _overview_slide(prs, b: Briefing) -> None:
    """The narrative's first paragraph and the goals table; the table goes on over slides titled
    总体情况（续） when its rows do not fit."""
    slide = _new_slide(prs, "总体情况", b.sample)
    top = CONTENT_TOP
    if b.narrative:
        width, height = SLIDE_W - 2 * MARGIN, Inches(1.3)
        frame = _text_box(slide, MARGIN, top, width, height)
        _add_line(frame, b.narrative[0], _fitting_size(b.narrative[0], width, height), first=True)
        top += Inches(1.45)
    table = Table(b.goals[_overview_columns(b.goals)], list(b.goal_statuses), b.goal_groups)
    pages = table_pages(table, OVERVIEW_PT, SLIDE_BOTTOM - top, SLIDE_BOTTOM - CONTENT_TOP)
    for number, page in enumerate(pages):
        if number:
            slide, top = _new_slide(prs, "总体情况（续）", b.sample), CONTENT_TOP
        _slide_table(slide, page, top, OVERVIEW_PT)


def _picture(slide, png: bytes, left, top, width, height) -> None:
    """The chart scaled to fit the box, aspect ratio kept, centred in it."""
    picture = slide.shapes.add_picture(io.BytesIO(png), left, top, width=width)
    if picture.height > height:
        picture.width = int(picture.width * height / picture.height)
        picture.height = height
    picture.left = left + (width - picture.width) // 2
    picture.top = top + (height - picture.height) // 2


# The goal slide's chart box: right of the figures, above the sentence. A chart drawn for it (images.
# render_for_slide(figure, *CHART_BOX_PT)) has its text at 14 pt or more as projected.
BODY_HEIGHT = Inches(4.3)
FIGURES_WIDTH = Inches(4.2)
CHART_LEFT = Inches(4.85)
CHART_WIDTH = SLIDE_W - CHART_LEFT - MARGIN
CHART_BOX_PT = (CHART_WIDTH / SlidePt(1), BODY_HEIGHT / SlidePt(1))
FIGURE_LABEL_PT = 14


def _figure_value_size(figures: list[tuple[str, str]]) -> int:
    """The largest value size (26, 22 or 20 pt) at which the labels and values fit the figures' column
    (a long target such as 基本实现“贯标”全覆盖（≥ 95 %） wraps and took the column over its bottom)."""
    for size in (26, 22, 20):
        lines = sum(_cell_lines(value, FIGURES_WIDTH, size) * size for _, value in figures)
        height = SlidePt(LINE_SPACING * (FIGURE_LABEL_PT * len(figures) + lines) + 4 * len(figures))
        if height <= BODY_HEIGHT:
            return size
    return 20


def _goal_slide(prs, goal: GoalSlide, sample: bool, chart_png: bytes | None = None) -> None:
    """A goal's figures, its chart (`chart_png` drawn for the box when given, else the briefing's), the
    sentence and up to two of its action items."""
    colour = STATUS_COLOURS.get(goal.status, GREY)
    slide = _new_slide(prs, goal.title, sample, status=(goal.status_label, colour))
    body_height = BODY_HEIGHT

    figures = _text_box(slide, MARGIN, CONTENT_TOP, FIGURES_WIDTH, body_height)
    value_size = _figure_value_size(goal.figures)
    for n, (label, value) in enumerate(goal.figures):
        _add_line(figures, label, FIGURE_LABEL_PT, colour=GREY, first=n == 0)
        _add_line(figures, value, value_size, bold=True).space_after = SlidePt(4)

    chart_left, chart_width = CHART_LEFT, CHART_WIDTH
    png = chart_png or (goal.chart.png if goal.chart is not None else None)
    if goal.chart is not None and png is not None:
        _picture(slide, png, chart_left, CONTENT_TOP, chart_width, body_height)
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


def _action_table_slides(prs, heading: str, items: pd.DataFrame, sample: bool, size: float = 16) -> None:
    """A table of sentences on as many slides as its wrapped rows need (at most ACTION_ROWS_PER_SLIDE rows a
    slide), titled （1/3）, （2/3） … when it takes more than one."""
    room = SLIDE_BOTTOM - CONTENT_TOP
    pages = table_pages(Table(items.reset_index(drop=True)), size, room, room, ACTION_ROWS_PER_SLIDE)
    for n, page in enumerate(pages):
        title = heading if len(pages) == 1 else f"{heading}（{n + 1}/{len(pages)}）"
        _slide_table(_new_slide(prs, title, sample), page, CONTENT_TOP, size)


# What a projected slide keeps of the task tables: the columns a meeting reads at a distance.
PART_SLIDE_COLUMNS = ["部分", "判断", "需关注条款", "指标", "任务", "逾期任务"]
BEHIND_SLIDE_COLUMNS = ["编号", "任务", "牵头单位", "完成时限", "最新状态", "逾期"]


def _task_slides(prs, b: Briefing) -> None:
    """任务落实: the policy's parts on one slide, then the tasks behind schedule and the units that did not
    report, on as many slides as they need."""
    if not b.policy_parts.empty:
        columns = [c for c in PART_SLIDE_COLUMNS if c in b.policy_parts.columns]
        _action_table_slides(prs, "政策各部分推进情况", b.policy_parts[columns], b.sample)
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


def pptx_bytes(b: Briefing, slide_charts: Mapping[str, bytes] | None = None) -> bytes:
    """The briefing as 16:9 slides: title, overview, one slide per goal, the action items, then the tasks.
    `slide_charts` maps a goal id to its chart drawn for the slide's chart box (images.render_for_slide with
    CHART_BOX_PT; by default the briefing's own, Briefing.slide_charts); a goal without one shows the briefing's
    print chart, scaled to the box."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = b.title

    _cover_slide(prs, b)
    _overview_slide(prs, b)
    for goal in b.slides:
        _goal_slide(prs, goal, b.sample, (b.slide_charts if slide_charts is None else slide_charts).get(goal.goal_id))
    _action_slides(prs, b)
    _task_slides(prs, b)

    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()

