"""Read the files statistics staff actually have into text cells: CSV in UTF-8 (with or without BOM) or
GBK/GB18030, and workbooks (.xlsx, .xls, WPS .et, .ods, through python-calamine). Encodings are detected,
never asked for; the header is found below title and 填报单位 rows, and total and signature rows are left
out (layout_detect).

Every cell comes back as text exactly as a person would type it (dates of Excel date cells as
YYYY-MM-DD, whole numbers without ".0"); interpreting the text is the schemas' job.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from ipmetrics.io.layout_detect import SCAN_ROWS, all_kinds, describe_skipped, find_header, footer_rows
from ipmetrics.io.schemas import KINDS

CSV_SUFFIXES = {".csv", ".txt"}
# Workbooks by suffix → format: WPS's .et is a BIFF (.xls-compatible) workbook under another name.
EXCEL_FORMATS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".et": "et", ".ods": "ods"}
EXCEL_SUFFIXES = set(EXCEL_FORMATS)
ACCEPTED_SUFFIXES = sorted(CSV_SUFFIXES | EXCEL_SUFFIXES)
FORMAT_LABEL = {"csv": "CSV", "xlsx": "Excel 工作簿", "xls": "Excel 97-2003 工作簿", "et": "WPS 表格",
                "ods": "OpenDocument 表格"}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
ENCODING_LABEL = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GBK/GB18030", "utf-16": "UTF-16"}


class ReadError(ValueError):
    """The file cannot be read at all; the message is in Chinese and names the file."""


@dataclass(frozen=True)
class Source:
    """A file to import: its name as the user knows it, and its bytes."""

    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: Path | str) -> "Source":
        path = Path(path)
        return cls(path.name, path.read_bytes())


@dataclass(frozen=True)
class Table:
    """A file's cells as text below its header, indexed by the row number a spreadsheet shows; the rows
    skipped on the way (title, 填报单位, 合计, signatures) with why; a hint when no header was recognised."""

    name: str
    frame: pd.DataFrame
    format: str      # "csv", "xlsx", "xls", "et" or "ods"
    encoding: str | None
    header_row: int = 1
    skipped: tuple[tuple[int, str], ...] = ()
    hint: str | None = None

    @property
    def notes(self) -> list[str]:
        """What was left out of the file, in Chinese ("已跳过第3行（表题）、第27行（合计），共 2 行")."""
        return [note for note in [describe_skipped(list(self.skipped))] if note]

    def describe(self) -> str:
        """How the file was read, e.g. "CSV，编码 GBK/GB18030，共 120 行数据"."""
        encoding = f"，编码 {ENCODING_LABEL.get(self.encoding, self.encoding)}" if self.encoding else ""
        header = f"，表头在第{self.header_row}行" if self.header_row != 1 and self.hint is None else ""
        return f"{FORMAT_LABEL.get(self.format, self.format)}{encoding}{header}，共 {len(self.frame):,} 行数据"


def detect_encoding(data: bytes) -> str:
    """UTF-8 with a BOM, strict UTF-8, else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ReadError("无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV，或 Excel 工作簿")


def cell_text(value) -> str:
    """One spreadsheet cell as the text a person would type."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, (pd.Timestamp, datetime)):
        if value.time() == time(0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _workbook_grid(source: Source, file_format: str) -> pd.DataFrame:
    """The first sheet's cells, no header assumed, as text. python-calamine reads xlsx, xls (and WPS .et) and
    ods alike; a merged cell's value is in its top-left cell, the rest are blank."""
    try:
        raw = pd.read_excel(io.BytesIO(source.data), sheet_name=0, header=None, dtype=object, engine="calamine")
    except Exception as exc:  # a damaged or mislabelled workbook
        raise ReadError(f"{source.name}：无法读取 {FORMAT_LABEL[file_format]}：文件可能已损坏，或与扩展名"
                        f"不符，请用表格软件打开后另存为 .xlsx（详情：{exc}）") from None
    return raw.map(cell_text) if len(raw) else raw.astype(str)


def _csv_grid(source: Source) -> tuple[pd.DataFrame, str]:
    """The CSV's cells, no header assumed; rows of any width (a title line has one cell)."""
    try:
        encoding = detect_encoding(source.data)
    except ReadError as exc:
        raise ReadError(f"{source.name}：{exc}") from None
    text = source.data.decode(encoding)
    options = dict(header=None, dtype=str, keep_default_na=False, skip_blank_lines=False)
    try:
        try:
            frame = pd.read_csv(io.StringIO(text), **options)
        except pd.errors.ParserError:  # rows wider than the first: name every column the widest row has
            width = max((len(row) for row in csv.reader(io.StringIO(text))), default=0)
            frame = pd.read_csv(io.StringIO(text), names=range(width), **options)
    except pd.errors.ParserError as exc:
        raise ReadError(f"{source.name}：CSV 格式有误（{exc}）") from None
    except pd.errors.EmptyDataError:
        raise ReadError(f"{source.name}：文件是空的") from None
    return frame.fillna(""), encoding


def _located(name: str, grid: pd.DataFrame, file_format: str, encoding: str | None, kind: str | None) -> Table:
    """The table in a sheet's grid: header found (see layout_detect), blank, total and signature rows dropped."""
    grid.index = pd.RangeIndex(1, len(grid) + 1)
    grid.columns = range(grid.shape[1])
    layout = find_header(grid.head(SCAN_ROWS), [KINDS[kind]] if kind else all_kinds())
    body = grid.loc[layout.first_data_row:]
    body.columns = layout.columns
    blank = body.apply(lambda column: column.astype(str).str.strip().eq("")).all(axis=1) if len(body) else None
    if blank is not None:
        body = body[~blank]
    unnamed = [c for c, position in zip(layout.columns, range(len(layout.columns)))
               if c == f"第{position + 1}列" and body[c].astype(str).str.strip().eq("").all()]
    body = body.drop(columns=unnamed)
    footers = footer_rows(body) if layout.found else []
    body = body.drop(index=[row for row, _ in footers])
    return Table(name, body, file_format, encoding, layout.header_row, tuple(layout.skipped + footers), layout.hint)


def read_table(source: Source, max_bytes: int = DEFAULT_MAX_BYTES, kind: str | None = None) -> Table:
    """A file's table, its header found among its first rows by the columns of `kind` (of any kind when None)."""
    suffix = Path(source.name).suffix.lower()
    if len(source.data) > max_bytes:
        raise ReadError(f"{source.name}：文件大小 {len(source.data) / 1048576:.1f} MB，超过上限 "
                        f"{max_bytes / 1048576:.0f} MB，请分批导入")
    if suffix in EXCEL_FORMATS:
        file_format = EXCEL_FORMATS[suffix]
        return _located(source.name, _workbook_grid(source, file_format), file_format, None, kind)
    if suffix in CSV_SUFFIXES:
        grid, encoding = _csv_grid(source)
        return _located(source.name, grid, "csv", encoding, kind)
    raise ReadError(f"{source.name}：不支持的文件类型（请用 {'、'.join(ACCEPTED_SUFFIXES)}）")
