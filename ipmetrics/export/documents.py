"""The meeting briefing written out: Word (docx), PowerPoint (pptx), one HTML page, and PDF.

Every writer takes a `Briefing`, whose fields are already formatted text, and returns bytes or text; nothing
here reads the database or Streamlit. The PDF is Chromium's print of the HTML page, so no office suite is
needed on the server and the CJK font subsets are embedded by the browser.

Fonts are named explicitly for East Asian text (w:eastAsia in Word, a:ea in PowerPoint): WPS and Office
otherwise pick a Latin-only theme font and fall back unpredictably for Chinese.
"""

from __future__ import annotations

import base64
import html
import io
import os
import signal
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor as SlideRGB
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn as pqn
from pptx.util import Emu, Inches
from pptx.util import Pt as SlidePt

from ..briefing_model import STATUS_COLOURS, Briefing, BriefingChart, GoalSlide
from . import images

SAMPLE_NOTICE = "示例数据（仅用于演示）"
NO_CHANGES = "无上次快照可比。"
NO_BRANDS = "没有列入培育计划的品牌。"
NO_ACTIONS = "当前没有督办事项。"
CHART_MISSING = "（图表未能生成）"
STATUS_COLUMN = "状态"
CELL_PADDING = 0.9  # full-width characters: the cell margins (about 0.1 cm, 3 pt each side), a border and a margin for rounding
GREY = "6B6B6B"
SAMPLE_RED = "B3261E"
HEADER_FILL = "D9D9D9"

# Word: 宋体 body and tables, 黑体 title and headings (both ship with Windows and are mapped by WPS).
BODY_EA, BODY_LATIN = "宋体", "Times New Roman"
HEAD_EA, HEAD_LATIN = "黑体", "Arial"
BODY_PT, TABLE_PT, TITLE_PT, HEADING_PT, SMALL_PT = 12, 10.5, 18, 14, 9  # 小四, 五号, 小二, 四号, 小五
PICTURE_CM = 16
SLIDE_FONT = "微软雅黑"
ACTION_ROWS_PER_SLIDE = 8


# --- what the docx and the HTML page both say, in order ----------------------------------------------
@dataclass(frozen=True)
class _Table:
    frame: pd.DataFrame
    statuses: list[str] | None = None  # status id per row: colours that row's 状态 cell


Block = str | _Table | BriefingChart


def _sections(b: Briefing) -> list[tuple[str, list[Block]]]:
    """Headings and their content; an empty table becomes the sentence saying so."""
    def table_or(frame: pd.DataFrame, empty: str) -> list[Block]:
        return [_Table(frame)] if not frame.empty else [empty]

    sections: list[tuple[str, list[Block]]] = [
        ("一、总体情况", list(b.narrative)),
        ("二、各项目标进展", [_Table(b.goals, list(b.goal_statuses))]),
        ("三、与上次快照相比", table_or(b.changes, NO_CHANGES)),
        ("四、品牌培育", table_or(b.brands, NO_BRANDS)),
        ("五、督办事项", table_or(b.actions, NO_ACTIONS)),
    ]
    if b.charts:
        sections.append(("六、主要图表", list(b.charts)))
    return sections


def _text(value) -> str:
    """A cell as text: the frames hold strings, but a missing value must not print as 'nan'."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _status_colour(table: _Table, row: int, column: str) -> str | None:
    if table.statuses is None or column != STATUS_COLUMN or row >= len(table.statuses):
        return None
    return STATUS_COLOURS.get(table.statuses[row])


def _text_width(text: str) -> float:
    """Width in full-width characters: a CJK character counts as 1, Latin as about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def _longest_cell(frame: pd.DataFrame, column) -> float:
    return max((_text_width(_text(v)) for v in frame[column]), default=0.0)


def _column_fractions(frame: pd.DataFrame, room: float) -> list[float]:
    """Each column's share of the table width, `room` being how many full-width characters fit across.
    A column asks for its longest cell (its header may wrap onto two lines); when the asks exceed the
    room, the widest columns give way and wrap, so names wrap and figures keep to one line."""
    needs = [max(0.6 * _text_width(_text(c)), _longest_cell(frame, c), 2.0) + CELL_PADDING for c in frame.columns]
    if sum(needs) > room:
        used, ordered = 0.0, sorted(needs)
        for i, need in enumerate(ordered):
            level = (room - used) / (len(ordered) - i)
            if need >= level:
                needs = [min(n, level) for n in needs]
                break
            used += need
    return [n / sum(needs) for n in needs]


# --- Word ------------------------------------------------------------------------------------------
def _name_fonts(rpr, latin: str, east_asia: str) -> None:
    """Explicit font names on a w:rPr, without the theme attributes that would override them."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _style_docx(doc) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:  # the template's docDefaults name theme fonts; WPS resolves those oddly
        default_rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if default_rpr is not None:
            _name_fonts(default_rpr, BODY_LATIN, BODY_EA)

    normal = styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _name_fonts(normal.element.get_or_add_rPr(), BODY_LATIN, BODY_EA)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.5

    for name, size, align in (("Title", TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER),
                              ("Heading 1", HEADING_PT, None), ("Caption", TABLE_PT, WD_ALIGN_PARAGRAPH.CENTER)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = name != "Caption"
        style.font.color.rgb = RGBColor(0, 0, 0)
        latin, east_asia = (BODY_LATIN, BODY_EA) if name == "Caption" else (HEAD_LATIN, HEAD_EA)
        _name_fonts(style.element.get_or_add_rPr(), latin, east_asia)
        if align is not None:
            style.paragraph_format.alignment = align
    title_ppr = styles["Title"].element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):  # the template underlines the title in blue
        title_ppr.remove(border)
    styles["Title"].paragraph_format.space_after = Pt(6)
    styles["Heading 1"].paragraph_format.space_before = Pt(12)
    styles["Heading 1"].paragraph_format.space_after = Pt(6)


def _run(paragraph, text: str, *, size: float | None = None, bold: bool = False, colour: str | None = None,
         heading: bool = False):
    """A run with its fonts named on the run itself (table cells in WPS do not take them from styles)."""
    run = paragraph.add_run(text)
    if size is not None:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if colour is not None:
        run.font.color.rgb = RGBColor.from_string(colour)
    latin, east_asia = (HEAD_LATIN, HEAD_EA) if heading else (BODY_LATIN, BODY_EA)
    _name_fonts(run._r.get_or_add_rPr(), latin, east_asia)
    return run


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _docx_table(doc, table: _Table, text_width: int) -> None:
    frame = table.frame
    columns = [_text(c) for c in frame.columns]
    grid = doc.add_table(rows=1 + len(frame), cols=len(columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # fixed widths: Word and WPS lay the table out the same way
    margins = OxmlElement("w:tblCellMar")  # narrower than Word's 0.19 cm: more room for the text
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "57")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    grid._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    for column, fraction in zip(grid.columns, _column_fractions(frame, text_width / Pt(TABLE_PT))):
        column.width = int(text_width * fraction)

    repeat = OxmlElement("w:tblHeader")  # the header row is repeated on every page the table spans
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for r, values in enumerate([columns] + [list(v) for v in frame.itertuples(index=False)]):
        for i, (cell, value) in enumerate(zip(grid.rows[r].cells, values)):
            cell.width = grid.columns[i].width  # Word reads the cell widths, WPS the grid
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing = 1.15
            if r == 0:
                _shade(cell, HEADER_FILL)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _run(paragraph, value, size=TABLE_PT, bold=True)
            else:
                colour = _status_colour(table, r - 1, columns[i])
                _run(paragraph, _text(value), size=TABLE_PT, bold=colour is not None, colour=colour)
    doc.add_paragraph()  # Word would join two adjacent tables into one; this also spaces the next heading


def _docx_chart(doc, chart: BriefingChart) -> None:
    if chart.png is None:
        paragraph = doc.add_paragraph(style="Caption")
        _run(paragraph, f"{chart.caption}{CHART_MISSING}", size=TABLE_PT)
        return
    doc.add_picture(io.BytesIO(chart.png), width=Cm(PICTURE_CM))
    picture = doc.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True  # the caption stays under its chart
    picture.paragraph_format.line_spacing = 1.0
    caption = doc.add_paragraph(style="Caption")
    caption.paragraph_format.space_after = Pt(12)
    _run(caption, chart.caption, size=TABLE_PT)


def _page_number_footer(section) -> None:
    """第 X 页, X being Word's PAGE field (updated by Word and WPS when the page is laid out)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "第 ", size=SMALL_PT)
    begin, code, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code.set(qn("xml:space"), "preserve")
    code.text = " PAGE "
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, end):
        _run(paragraph, "", size=SMALL_PT)._r.append(element)
    _run(paragraph, " 页", size=SMALL_PT)


def docx_bytes(b: Briefing) -> bytes:
    """The briefing as a Word document (A4 portrait) that Word and WPS show with the named Chinese fonts."""
    doc = Document()
    _style_docx(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.2)
    text_width = section.page_width - section.left_margin - section.right_margin
    _page_number_footer(section)
    doc.core_properties.title = b.title
    doc.core_properties.subject = b.subtitle

    _run(doc.add_paragraph(style="Title"), b.title, heading=True)
    for line in (b.subtitle, b.date_line):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, line)
    if b.sample:
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, SAMPLE_NOTICE, bold=True, colour=SAMPLE_RED)

    for heading, blocks in _sections(b):
        _run(doc.add_paragraph(style="Heading 1"), heading, heading=True)
        for block in blocks:
            if isinstance(block, _Table):
                _docx_table(doc, block, text_width)
            elif isinstance(block, BriefingChart):
                _docx_chart(doc, block)
            else:
                paragraph = doc.add_paragraph()
                paragraph.paragraph_format.first_line_indent = Pt(2 * BODY_PT)  # two characters
                _run(paragraph, block)

    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(18)
    _run(paragraph, b.footer, size=SMALL_PT, colour=GREY)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- PowerPoint ------------------------------------------------------------------------------------
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


def _slide_table(slide, table: _Table, top, height_left, size: float) -> None:
    frame = table.frame
    columns = [_text(c) for c in frame.columns]
    width = SLIDE_W - 2 * MARGIN
    row_height = min(Inches(size / 72 * 1.9), height_left // (len(frame) + 1))
    shape = slide.shapes.add_table(len(frame) + 1, len(columns), MARGIN, top, width, row_height * (len(frame) + 1))
    grid = shape.table
    grid.first_row = True
    grid.horz_banding = False
    for i, fraction in enumerate(_column_fractions(frame, width / SlidePt(size))):
        grid.columns[i].width = Emu(int(width * fraction))
    for r in range(len(frame) + 1):
        grid.rows[r].height = row_height
    for r, values in enumerate([columns] + [list(v) for v in frame.itertuples(index=False)]):
        for i, value in enumerate(values):
            cell = grid.cell(r, i)
            cell.fill.solid()  # plain grey header and white body: reads on any projector
            cell.fill.fore_color.rgb = SlideRGB.from_string(HEADER_FILL if r == 0 else "FFFFFF")
            _cell_borders(cell)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.margin_left = cell.margin_right = Inches(0.05)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            colour = None if r == 0 else _status_colour(table, r - 1, columns[i])
            _add_line(cell.text_frame, _text(value), size, bold=r == 0 or colour is not None,
                      colour=colour or "000000", first=True)


def _overview_columns(goals: pd.DataFrame) -> list[str]:
    """指标, 当前值, 目标, 完成率, 状态 as far as the goals table has them (a column counts when its name
    contains the word, so "2030年目标" and "完成率（%）" do); otherwise its first five columns."""
    chosen: list[str] = []
    for word in ("指标", "当前值", "目标", "完成率", STATUS_COLUMN):
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
    size = 14 if len(b.goals) <= 10 else 12 if len(b.goals) <= 14 else 10
    _slide_table(slide, _Table(b.goals[columns], list(b.goal_statuses)), top, SLIDE_H - top - Inches(0.3), size)


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
    pages = range(0, len(b.actions), ACTION_ROWS_PER_SLIDE)
    for n, start in enumerate(pages):
        title = "督办事项" if len(pages) == 1 else f"督办事项（{n + 1}/{len(pages)}）"
        slide = _new_slide(prs, title, b.sample)
        rows = b.actions.iloc[start:start + ACTION_ROWS_PER_SLIDE].reset_index(drop=True)
        _slide_table(slide, _Table(rows), CONTENT_TOP, SLIDE_H - CONTENT_TOP - Inches(0.3), 16)


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
    """The briefing as 16:9 slides: title, overview, one slide per goal, then the action items."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = b.title

    _cover_slide(prs, b)
    _overview_slide(prs, b)
    for goal in b.slides:
        _goal_slide(prs, goal, b.sample)
    _action_slides(prs, b)

    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


# --- HTML and PDF ----------------------------------------------------------------------------------
HTML_ROOM = 174 / (TABLE_PT * 25.4 / 72)  # characters of 10.5 pt across the 174 mm text width
CSS = """
@page {
  size: A4; margin: 20mm 18mm;
  @bottom-center { content: "第 " counter(page) " 页"; font: 9pt "Noto Sans CJK SC", "SimHei", sans-serif;
                   color: #6b6b6b; }
}
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "SimSun", serif; font-size: 12pt; line-height: 1.6;
       color: #000; margin: 0 auto; max-width: 174mm; }
h1, h2 { font-family: "Noto Sans CJK SC", "SimHei", sans-serif; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 4pt; }
h2 { font-size: 14pt; margin: 14pt 0 6pt; break-after: avoid; page-break-after: avoid; }
.center { text-align: center; margin: 0; }
.sample { text-align: center; color: #B3261E; font-weight: bold; margin: 6pt 0 0; }
p.text { text-indent: 2em; margin: 0 0 4pt; text-align: justify; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; font-size: 10.5pt; line-height: 1.35; margin: 4pt 0 10pt; }
th, td { border: 0.75pt solid #000; padding: 2pt 3pt; vertical-align: top; text-align: left;
         overflow-wrap: anywhere; }
th { background: #d9d9d9; font-weight: bold; text-align: center; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 6pt 0 12pt; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%; page-break-inside: avoid; }
figcaption, .caption { text-align: center; font-size: 10.5pt; margin: 2pt 0 0; }
.footer { font-size: 9pt; color: #6b6b6b; margin-top: 18pt; }
"""


def _html_table(table: _Table) -> str:
    columns = [_text(c) for c in table.frame.columns]
    # The docx's column widths: a fixed layout wraps the long columns, not the figures.
    fractions = _column_fractions(table.frame, HTML_ROOM)
    widths = "".join(f'<col style="width:{100 * f:.1f}%">' for f in fractions)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    rows = []
    for r, values in enumerate(table.frame.itertuples(index=False)):
        cells = []
        for column, value in zip(columns, values):
            colour = _status_colour(table, r, column)
            style = f' style="color:#{colour};font-weight:bold"' if colour else ""
            cells.append(f"<td{style}>{html.escape(_text(value))}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f"<table><colgroup>{widths}</colgroup><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _html_chart(chart: BriefingChart) -> str:
    caption = html.escape(chart.caption)
    if chart.png is None:
        return f'<p class="caption">{caption}{CHART_MISSING}</p>'
    data = base64.b64encode(chart.png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(chart.title)}">'
            f"<figcaption>{caption}</figcaption></figure>")


def html_text(b: Briefing) -> str:
    """The briefing as one self-contained HTML page (charts inline), laid out for A4 print."""
    parts = [f"<h1>{html.escape(b.title)}</h1>", f'<p class="center">{html.escape(b.subtitle)}</p>',
             f'<p class="center">{html.escape(b.date_line)}</p>']
    if b.sample:
        parts.append(f'<p class="sample">{SAMPLE_NOTICE}</p>')
    for heading, blocks in _sections(b):
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        for block in blocks:
            if isinstance(block, _Table):
                parts.append(_html_table(block))
            elif isinstance(block, BriefingChart):
                parts.append(_html_chart(block))
            else:
                parts.append(f'<p class="text">{html.escape(block)}</p>')
    parts.append(f'<p class="footer">{html.escape(b.footer)}</p>')
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(b.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


PDF_TIMEOUT = 120


def _end_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def pdf_bytes(b: Briefing) -> bytes:
    """The HTML page printed to PDF by headless Chromium (no office suite needed on the server)."""
    browser = images.browser_path()
    if browser is None:
        raise images.ExportUnavailable(images.INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="ipmetrics-briefing-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        page, out = folder / "briefing.html", folder / "briefing.pdf"
        page.write_text(html_text(b), encoding="utf-8")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                   # a profile of its own: never collides with the kaleido Chromium the app keeps open
                   f"--user-data-dir={folder / 'profile'}",
                   "--no-first-run", "--disable-background-networking", "--disable-component-update",
                   f"--print-to-pdf={out}", "--virtual-time-budget=10000", page.as_uri()]
        # A session of its own, so the browser's helper processes are ended with it, hung or not.
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=PDF_TIMEOUT)
        except subprocess.TimeoutExpired:
            _end_group(process)  # before reading on: the helpers hold the stderr pipe open
            process.communicate()
            raise images.ExportUnavailable(f"生成 PDF 超时：Chromium 在 {PDF_TIMEOUT} 秒内没有完成打印。") from None
        _end_group(process)  # any helper that outlived the browser
        if process.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            tail = "\n".join(stderr.decode("utf-8", "replace").strip().splitlines()[-5:])
            raise images.ExportUnavailable(
                f"Chromium 未能生成 PDF（退出码 {process.returncode}）。浏览器输出的最后几行：\n{tail or '（无）'}")
        return out.read_bytes()
