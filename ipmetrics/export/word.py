"""The meeting briefing as a Word document (A4 portrait) that Word and WPS show with the named Chinese
fonts: East-Asian fonts are named explicitly (w:eastAsia), since WPS and Office otherwise pick a
Latin-only theme font and fall back unpredictably for Chinese."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ipmetrics.export.layout import (
    BODY_PT,
    CHART_MISSING,
    GREY,
    GROUP_FILL,
    HEADER_FILL,
    HEADING_PT,
    SAMPLE_NOTICE,
    SAMPLE_RED,
    SMALL_PT,
    TABLE_PT,
    TITLE_PT,
    Table,
    cell_text,
    column_fractions,
    numeric_columns,
    sections,
    status_colour,
)
from ipmetrics.meeting.briefing_model import Briefing, BriefingChart

# Word: 宋体 body and tables, 黑体 title and headings (both ship with Windows and are mapped by WPS).
BODY_EA, BODY_LATIN = "宋体", "Times New Roman"
HEAD_EA, HEAD_LATIN = "黑体", "Arial"
PICTURE_CM = 16


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


def _docx_table(doc, table: Table, text_width: int) -> None:
    frame = table.frame
    columns = [cell_text(c) for c in frame.columns]
    body = table.body()
    grid = doc.add_table(rows=1 + len(body), cols=len(columns))
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
    for column, fraction in zip(grid.columns, column_fractions(frame, text_width / Pt(TABLE_PT))):
        column.width = int(text_width * fraction)

    repeat = OxmlElement("w:tblHeader")  # the header row is repeated on every page the table spans
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in grid.rows:  # a row stays whole on one page (Word and LibreOffice split tall rows otherwise)
        row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))
    widths = [column.width for column in grid.columns]
    _docx_cells(grid.rows[0], widths, columns, lambda i: None, header=True)
    values = [list(v) for v in frame.itertuples(index=False)]
    right = numeric_columns(frame)
    for grid_row, (heading, index) in zip(grid.rows[1:], body):
        if heading is not None:
            _docx_group_row(grid_row, widths, heading)
        else:
            _docx_cells(grid_row, widths, values[index], lambda i, index=index: status_colour(table, index, columns[i]),
                        right=right)
    doc.add_paragraph()  # Word would join two adjacent tables into one; this also spaces the next heading


def _docx_cells(row, widths: list[int], values: list, colour_of, header: bool = False,
                right: list[bool] | None = None) -> None:
    """One row's cells: the header bold on grey, centred; a body cell coloured by `colour_of(column)`,
    right-aligned in a column of figures."""
    for i, (cell, value) in enumerate(zip(row.cells, values)):
        cell.width = widths[i]  # Word reads the cell widths, WPS the grid
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.line_spacing = 1.15
        if header:
            _shade(cell, HEADER_FILL)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(paragraph, cell_text(value), size=TABLE_PT, bold=True)
        else:
            if right is not None and right[i]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            colour = colour_of(i)
            _run(paragraph, cell_text(value), size=TABLE_PT, bold=colour is not None, colour=colour)


def _docx_group_row(row, widths: list[int], heading: str) -> None:
    """A row heading the rows under it (a theme): one merged cell across the table, bold on light grey,
    kept on the page of its first row."""
    for cell, width in zip(row.cells, widths):
        cell.width = width
    merged = row.cells[0].merge(row.cells[-1])
    _shade(merged, GROUP_FILL)
    paragraph = merged.paragraphs[0]
    paragraph.paragraph_format.line_spacing = 1.15
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, heading, size=TABLE_PT, bold=True)


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

    for heading, blocks in sections(b):
        _run(doc.add_paragraph(style="Heading 1"), heading, heading=True)
        for block in blocks:
            if isinstance(block, Table):
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

