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


def _number_format(column: str, values: pd.Series) -> str | None:
    if "%" in column or "率" in column:
        return "0.0"
    if pd.api.types.is_integer_dtype(values) or (pd.api.types.is_float_dtype(values)
                                                  and values.dropna().apply(float.is_integer).all()):
        return "#,##0"
    if pd.api.types.is_float_dtype(values):
        return "#,##0.00"
    return None


def _write_table(sheet, frame: pd.DataFrame, first_row: int, *, wrap: bool = False) -> int:
    """Header and rows from `first_row`; number formats by column; returns the next free row."""
    for index, column in enumerate(frame.columns, start=1):
        cell = sheet.cell(row=first_row, column=index, value=str(column))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=wrap)
    formats = [_number_format(str(c), frame[c]) for c in frame.columns]
    for offset, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        for index, value in enumerate(row, start=1):
            if hasattr(value, "item"):  # numpy scalars
                value = value.item()
            cell = sheet.cell(row=first_row + offset, column=index, value=safe_cell(value))
            if formats[index - 1] and isinstance(value, (int, float)):
                cell.number_format = formats[index - 1]
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        values = [str(column)] + [str(v) for v in frame.iloc[:200, index - 1] if v is not None]
        width = min(max(_display_width(v) for v in values) + 2, 60)
        current = sheet.column_dimensions[letter].width or 0
        sheet.column_dimensions[letter].width = max(width, 8, current)
    return first_row + len(frame) + 1


def add_sheet(workbook: Workbook, title: str, frame: pd.DataFrame, *, wrap: bool = False) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    _write_table(sheet, frame, 1, wrap=wrap)
    sheet.freeze_panes = "A2"


def add_tables_sheet(workbook: Workbook, title: str, tables: list[tuple[str, pd.DataFrame]],
                     heading: str | None = None) -> None:
    """Several captioned tables one under another on one sheet (an area of the dashboard); the
    header of the first stays in view."""
    sheet = workbook.create_sheet(title=title[:31])
    row = 1
    if heading:
        sheet.cell(row=1, column=1, value=heading).font = Font(bold=True, size=13)
        row = 3
    for number, (caption, frame) in enumerate(tables):
        sheet.cell(row=row, column=1, value=caption).font = Font(bold=True, size=12)
        if number == 0:
            sheet.freeze_panes = f"A{row + 2}"
        row = _write_table(sheet, frame, row + 1) + 1


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
