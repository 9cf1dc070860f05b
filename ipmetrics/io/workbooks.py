"""Formatted xlsx workbooks (import templates, error files): bold frozen header, fitted column widths,
and text that Excel would run as a formula written as plain text."""

from __future__ import annotations

from typing import BinaryIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


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


def add_sheet(workbook: Workbook, title: str, frame: pd.DataFrame, *, wrap: bool = False) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        sheet.append([safe_cell(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(frame.columns, start=1):
        values = [str(column)] + [str(v) for v in frame.iloc[:200, index - 1] if v is not None]
        width = min(max(_display_width(v) for v in values) + 2, 60)
        sheet.column_dimensions[get_column_letter(index)].width = max(width, 8)
        if wrap:
            for cell in sheet[get_column_letter(index)][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_workbook(sheets: dict[str, pd.DataFrame], target: BinaryIO | str) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, frame in sheets.items():
        add_sheet(workbook, title, frame)
    workbook.save(target)


def table_workbook(frame: pd.DataFrame, title: str = "数据") -> bytes:
    """One formatted sheet as xlsx bytes, for the download button under every table."""
    import io

    buffer = io.BytesIO()
    write_workbook({title: frame}, buffer)
    return buffer.getvalue()
