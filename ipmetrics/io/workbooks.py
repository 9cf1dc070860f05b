"""Every xlsx workbook written for users (import templates, error files, table downloads, the month's
tables, the township assessment) goes through `write_table`: one table per sheet, a bold frozen header
repeated on every printed page, landscape and one page wide, counts as integers, each figure with its
own decimals, months as real dates, and text that Excel would run as a formula written as plain text."""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal
from typing import BinaryIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
MONTH_FORMAT = 'yyyy"年"m"月"'  # 2026年11月, the way the pages write a month
MAX_DECIMALS = 4
WIDEST_COLUMN = 40  # a longer text wraps in its cell: a 60-wide column of notes shrank the printed table
LINE_HEIGHT_PT = 15  # a line of 11 pt text (the default font) in a row
_MONTH_TEXT = re.compile(r"^(\d{4})(?:-|年)(\d{1,2})月?$")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _display_width(text: str) -> int:
    # Han characters take two columns of a spreadsheet's width unit.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def safe_cell(value):
    """A value for a cell: text that starts like a formula stays text (no formula runs on opening)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _as_month(value) -> datetime | None:
    """A month (a Period, '2026-11' or '2026年11月') as the first day of it; None for anything else."""
    if isinstance(value, pd.Period) and value.freqstr.startswith("M"):
        return datetime(value.year, value.month, 1)
    match = _MONTH_TEXT.match(value) if isinstance(value, str) else None
    if match and 1 <= int(match.group(2)) <= 12:
        return datetime(int(match.group(1)), int(match.group(2)), 1)
    return None


def _is_month_column(values: pd.Series) -> bool:
    present = [v for v in values if v is not None and not (isinstance(v, float) and pd.isna(v))]
    return bool(present) and all(_as_month(v) is not None for v in present)


def decimals_of(value: float) -> int:
    """How many decimals a figure carries (0.76 → 2, 3.0 → 0), at most MAX_DECIMALS."""
    exponent = Decimal(repr(round(float(value), MAX_DECIMALS))).normalize().as_tuple().exponent
    return min(max(-exponent, 0), MAX_DECIMALS)


def number_format(decimals: int) -> str:
    """'#,##0' for a count, '#,##0.00' for two decimals: integers never print as 4,653.00."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def _column_decimals(column: str, values: pd.Series) -> int | None:
    """Decimals for a column's fractional figures: a share in points of a per cent keeps one; otherwise the
    most any of them carries. None for a column without numbers."""
    numbers = [v for v in values if _is_number(v)]
    if not numbers:
        return None
    if "%" in column or "率" in column:
        return 1
    return max(decimals_of(v) for v in numbers)


def _cell_format(value, column_decimals: int | None, row_decimals: int | None, share: bool) -> str | None:
    """A count prints as 4,653 (never 4,653.00) even in a column that mixes counts and ratios; a row's own
    decimals (its indicator's) win over the column's."""
    if column_decimals is None or not _is_number(value):
        return None
    if share:
        return "0.0"
    if row_decimals is not None:
        return number_format(row_decimals)
    return number_format(0 if float(value).is_integer() else column_decimals)


def _cell_value(value):
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def write_table(sheet, frame: pd.DataFrame, first_row: int = 1, *, wrap: bool = False,
                row_decimals: list[int | None] | None = None, months_as_dates: bool = True) -> int:
    """The table's header at `first_row` (bold, shaded, frozen, repeated on printed pages), its rows under
    it with number and month formats, fitted widths, and a landscape page set-up one page wide.
    `row_decimals` gives a row's figures its indicator's decimals. Months stay text when not
    `months_as_dates` (templates and error files go back into the importer, which reads '2025-09').
    Returns the next free row."""
    for index, column in enumerate(frame.columns, start=1):
        cell = sheet.cell(row=first_row, column=index, value=str(column))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    months = [months_as_dates and _is_month_column(frame[c]) for c in frame.columns]
    decimals = [_column_decimals(str(c), frame[c]) for c in frame.columns]
    shares = ["%" in str(c) or "率" in str(c) for c in frame.columns]
    for offset, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        for index, value in enumerate(row, start=1):
            value = _cell_value(value)
            if months[index - 1] and _as_month(value) is not None:
                cell = sheet.cell(row=first_row + offset, column=index, value=_as_month(value))
                cell.number_format = MONTH_FORMAT
                continue
            cell = sheet.cell(row=first_row + offset, column=index, value=safe_cell(value))
            own = row_decimals[offset - 1] if row_decimals is not None else None
            cell_format = _cell_format(value, decimals[index - 1], own, shares[index - 1])
            if cell_format:
                cell.number_format = cell_format
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    _fit_widths(sheet, frame, months, first_row)
    _print_setup(sheet, first_row)
    return first_row + len(frame) + 1


def _fit_widths(sheet, frame: pd.DataFrame, months: list[bool], first_row: int) -> None:
    """Each column as wide as its longest cell, up to WIDEST_COLUMN; a longer text wraps, and its row is
    made tall enough for the wrapped lines (LibreOffice keeps a row one line high otherwise, cutting them)."""
    lines = [1] * len(frame)
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        texts = ["" if v is None else str(v) for v in frame.iloc[:, index - 1]]
        cells = ["2026年12月"] if months[index - 1] else texts[:200]
        header = min(_display_width(str(column)), 24)  # a long header wraps rather than widen its column
        width = max([header] + [_display_width(v) for v in cells]) + 2
        if width > WIDEST_COLUMN:
            for offset, text in enumerate(texts):
                sheet.cell(row=first_row + 1 + offset, column=index).alignment = Alignment(wrap_text=True,
                                                                                           vertical="top")
                lines[offset] = max(lines[offset], -(-_display_width(text) // (WIDEST_COLUMN - 2)))
        current = sheet.column_dimensions[letter].width or 0
        sheet.column_dimensions[letter].width = max(min(width, WIDEST_COLUMN), 8, current)
    for offset, count in enumerate(lines):
        if count > 1:
            sheet.row_dimensions[first_row + 1 + offset].height = LINE_HEIGHT_PT * count


def _print_setup(sheet, header_row: int) -> None:
    """Landscape A4, as many pages down as needed but one across, the header on every page, frozen on screen."""
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def sheet_title(workbook: Workbook, wanted: str) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\) that the workbook does not use yet."""
    base = _SHEET_FORBIDDEN.sub("_", wanted)[:31] or "表"
    title, number = base, 2
    while title in workbook.sheetnames:
        suffix = f"（{number}）"
        title, number = base[:31 - len(suffix)] + suffix, number + 1
    return title


def add_sheet(workbook: Workbook, title: str, frame: pd.DataFrame, *, wrap: bool = False,
              months_as_dates: bool = False) -> None:
    """A table alone on a sheet from A1; months as text unless asked (import templates and error files)."""
    sheet = workbook.create_sheet(title=sheet_title(workbook, title))
    write_table(sheet, frame, 1, wrap=wrap, months_as_dates=months_as_dates)


def add_table_sheet(workbook: Workbook, title: str, caption: str, frame: pd.DataFrame,
                    heading: str | None = None, row_decimals: list[int | None] | None = None) -> None:
    """One captioned table on a sheet of its own: the heading in A1 (region, month) and the caption in A3
    when there is a heading, else the caption in A1; the table's header under the caption."""
    sheet = workbook.create_sheet(title=sheet_title(workbook, title))
    row = 1
    if heading:
        sheet.cell(row=1, column=1, value=heading).font = Font(bold=True, size=13)
        row = 3
    sheet.cell(row=row, column=1, value=caption).font = Font(bold=True, size=12)
    write_table(sheet, frame, row + 1, row_decimals=row_decimals)


def add_tables_sheet(workbook: Workbook, title: str, tables: list[tuple[str, pd.DataFrame]],
                     heading: str | None = None) -> None:
    """An area's captioned tables, one sheet each: the first under the area's name, the others under the
    area's name and their caption (a sheet prints and sorts as one table)."""
    for number, (caption, frame) in enumerate(tables):
        add_table_sheet(workbook, title if number == 0 else f"{title}·{caption}", caption, frame,
                        heading=heading if number == 0 or heading is None else f"{heading} · {caption}")


def write_workbook(sheets: dict[str, pd.DataFrame], target: BinaryIO | str, months_as_dates: bool = False) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, frame in sheets.items():
        add_sheet(workbook, title, frame, months_as_dates=months_as_dates)
    workbook.save(target)


def table_workbook(frame: pd.DataFrame, title: str = "数据") -> bytes:
    """One formatted sheet as xlsx bytes, for the download button under every table."""
    buffer = io.BytesIO()
    write_workbook({title: frame}, buffer, months_as_dates=True)  # a report table, not one to import
    return buffer.getvalue()
