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
import itertools
import math
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from ipmetrics.io.layout_detect import SCAN_ROWS, all_kinds, describe_skipped, find_header, footer_rows
from ipmetrics.io.schemas import KINDS
from ipmetrics.io.workbook_bounds import (
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    ROWS_ABOVE_DATA,
    TooBig,
    cell_limit,
    check_zip_workbook,
    rows_over,
)

CSV_SUFFIXES = {".csv", ".txt"}
# Workbooks by suffix → format: WPS's .et is a BIFF (.xls-compatible) workbook under another name.
EXCEL_FORMATS = {".xlsx": "xlsx", ".xls": "xls", ".et": "et", ".ods": "ods"}
# Workbooks that can carry macros: never opened (nothing runs them here, but a file meant to run code is not
# a statistics return; saving it as .xlsx drops the macros and keeps the cells).
MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlsb", ".xlam"}
EXCEL_SUFFIXES = set(EXCEL_FORMATS)
ACCEPTED_SUFFIXES = sorted(CSV_SUFFIXES | EXCEL_SUFFIXES)
FORMAT_LABEL = {"csv": "CSV", "xlsx": "Excel 工作簿", "xls": "Excel 97-2003 工作簿", "et": "WPS 表格",
                "ods": "OpenDocument 表格"}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
ENCODING_LABEL = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GBK/GB18030", "utf-16": "UTF-16"}


class ReadError(ValueError):
    """The file cannot be read at all; the message is in Chinese and names the file."""


class NoDataRows(ReadError):
    """The file has a header (or nothing recognisable) and no data row: nothing to import. A month without
    new records is confirmed as such (readiness.confirm_no_new_data), not by an empty file."""


NO_DATA_MESSAGE = ("文件只有表头、没有数据行；若本月确无新增，请用“确认无新增”（“月度快照”页，或命令 "
                   "ipmetrics confirm 类型 --month YYYY-MM）")


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
    """UTF-8 (with or without a BOM) when the whole file is UTF-8; GB18030 (a superset of GBK and GB2312) when
    no line is; a file mixing the two is refused naming the first line of the rarer one, since reading it
    either way garbles the other's rows."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        pass
    _refuse_mixed(data)
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        raise ReadError("无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV，或 Excel 工作簿") from None


def _refuse_mixed(data: bytes) -> None:
    """Raise when some lines are UTF-8 Chinese and others are not UTF-8 at all. A GBK line can happen to be
    valid UTF-8, but then it reads as Latin, Greek or Cyrillic letters (U+0080–U+07FF), never as Chinese
    only: such a line counts for neither side."""
    utf8_lines, other_lines = [], []
    for number, line in enumerate(data.removeprefix(codecs.BOM_UTF8).split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            other_lines.append(number)
            continue
        if all(ord(ch) < 0x80 or ord(ch) >= 0x800 for ch in text):
            utf8_lines.append(number)
    if not (utf8_lines and other_lines):
        return
    if len(other_lines) <= len(utf8_lines):
        raise ReadError(f"第{other_lines[0]}行不是 UTF-8 编码，文件混用了两种编码，请用同一种编码另存"
                        "（其余各行是 UTF-8；建议都存为 UTF-8）")
    raise ReadError(f"第{utf8_lines[0]}行是 UTF-8 编码，文件混用了两种编码，请用同一种编码另存"
                    "（其余各行是 GBK；建议都存为 UTF-8）")


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


def _workbook_grid(source: Source, file_format: str, max_rows: int) -> pd.DataFrame:
    """The first sheet's cells, no header assumed, as text. python-calamine reads xlsx, xls (and WPS .et) and
    ods alike; a merged cell's value is in its top-left cell, the rest are blank. A zip workbook is measured
    before it is parsed (workbook_bounds); any workbook's parsed sheet before its cells become Python objects."""
    from python_calamine import CalamineWorkbook

    if source.data.startswith(b"PK\x03\x04"):
        try:
            check_zip_workbook(source.name, source.data, max_rows, MAX_UNCOMPRESSED_BYTES)
        except TooBig as exc:
            raise ReadError(str(exc)) from None
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(source.data)).get_sheet_by_index(0)
    except Exception as exc:  # a damaged or mislabelled workbook
        raise ReadError(f"{source.name}：无法读取 {FORMAT_LABEL[file_format]}：文件可能已损坏，或与扩展名"
                        f"不符，请用表格软件打开后另存为 .xlsx（详情：{exc}）") from None
    # An .xls holds at most 65,536 × 256 cells, so parsing it is bounded; its height is checked here.
    end = sheet.end  # the last cell, 0-based; the grid is read from A1 (skip_empty_area=False)
    height, width = (end[0] + 1, end[1] + 1) if end else (0, 0)
    if height > max_rows + ROWS_ABOVE_DATA:
        raise ReadError(str(rows_over(source.name, height, max_rows, declared=True)))
    if height * width > cell_limit(max_rows):
        raise ReadError(f"文件 {source.name} 的第一个工作表占 {height:,} 行 × {width:,} 列，超过 "
                        f"{cell_limit(max_rows):,} 个单元格的上限；请删除多余的列与空白区域后另存")
    rows = sheet.to_python(skip_empty_area=False, nrows=max_rows + ROWS_ABOVE_DATA + 1)
    return pd.DataFrame([[cell_text(value) for value in row] for row in rows], dtype=object)


def _csv_grid(source: Source, max_rows: int) -> tuple[pd.DataFrame, str]:
    """The CSV's cells, no header assumed; rows of any width (a title line has one cell). At most the row
    limit and one more are read: a longer file is refused by read_table without parsing the rest."""
    try:
        encoding = detect_encoding(source.data)
    except ReadError as exc:
        raise ReadError(f"{source.name}：{exc}") from None
    rows = max_rows + ROWS_ABOVE_DATA + 1
    if encoding in ("utf-8", "utf-8-sig"):
        text = None
        fast = _arrow_grid(source.data, source.data[:65536].decode(encoding, "ignore"), rows)
    else:
        text = source.data.decode(encoding)
        fast = _arrow_grid(text.encode("utf-8"), text[:65536], rows)
    if fast is not None:
        return fast, encoding
    text = text if text is not None else source.data.decode(encoding)
    options = dict(header=None, dtype=str, keep_default_na=False, skip_blank_lines=False, nrows=rows)
    try:
        try:
            frame = pd.read_csv(io.StringIO(text), **options)
        except pd.errors.ParserError:  # rows wider than the first: name every column the widest row has
            lines = itertools.islice(csv.reader(io.StringIO(text)), rows)
            width = max((len(row) for row in lines), default=0)
            frame = pd.read_csv(io.StringIO(text), names=range(width), **options)
    except pd.errors.ParserError as exc:
        raise ReadError(f"{source.name}：CSV 格式有误（{exc}）") from None
    except pd.errors.EmptyDataError:
        raise ReadError(f"{source.name}：文件是空的") from None
    return frame.fillna(""), encoding


def _arrow_grid(utf8: bytes, head: str, rows: int) -> pd.DataFrame | None:
    """The CSV's cells as _csv_grid's pandas reading gives them, read by Arrow's CSV reader (several times
    faster on a large file), at most `rows` rows; None for a file whose rows differ in width (a title line of
    one cell, a short 合计 row) — pandas then reads it as before."""
    import pyarrow as pa
    from pyarrow import csv as arrow_csv

    first = next(csv.reader(io.StringIO(head)), None)  # the first row's width is every row's
    if not first or len(first) < 2:
        return None
    names = [str(i) for i in range(len(first))]
    try:
        reader = arrow_csv.open_csv(
            pa.BufferReader(utf8.removeprefix(codecs.BOM_UTF8)),
            read_options=arrow_csv.ReadOptions(column_names=names, block_size=1 << 22),
            parse_options=arrow_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False))
        batches, count = [], 0
        for batch in reader:
            batches.append(batch)
            count += batch.num_rows
            if count >= rows:
                break
    except pa.ArrowInvalid:  # rows of another width, or what Arrow's reader does not take
        return None
    frame = pa.Table.from_batches(batches, schema=reader.schema).slice(0, rows).to_pandas()
    frame.columns = range(len(names))
    return frame


def _located(name: str, grid: pd.DataFrame, file_format: str, encoding: str | None, kind: str | None) -> Table:
    """The table in a sheet's grid: header found (see layout_detect), blank, total and signature rows dropped."""
    grid.index = pd.RangeIndex(1, len(grid) + 1)
    grid.columns = range(grid.shape[1])
    layout = find_header(grid.head(SCAN_ROWS), [KINDS[kind]] if kind else all_kinds())
    body = grid.loc[layout.first_data_row:]
    body.columns = layout.columns
    blank = None
    for column in body.columns:  # a row is blank when all its cells are: most files stop at the first column
        cells_blank = body[column].astype(str).str.strip().eq("")
        blank = cells_blank if blank is None else blank & cells_blank
        if not blank.any():
            break
    if blank is not None and blank.any():
        body = body[~blank]
    unnamed = [c for c, position in zip(layout.columns, range(len(layout.columns)))
               if c == f"第{position + 1}列" and body[c].astype(str).str.strip().eq("").all()]
    body = body.drop(columns=unnamed)
    footers = footer_rows(body) if layout.found else []
    if footers:
        body = body.drop(index=[row for row, _ in footers])
    return Table(name, body, file_format, encoding, layout.header_row, tuple(layout.skipped + footers), layout.hint)


def read_table(source: Source, max_bytes: int = DEFAULT_MAX_BYTES, kind: str | None = None,
               max_rows: int = MAX_ROWS, allow_empty: bool = False) -> Table:
    """A file's table, its header found among its first rows by the columns of `kind` (of any kind when None).
    Refused (ReadError) when over `max_bytes`, over `max_rows` data rows (workbooks before they are parsed
    when they say so), a macro workbook, or, unless `allow_empty`, without any data row (NoDataRows)."""
    suffix = Path(source.name).suffix.lower()
    if len(source.data) > max_bytes:
        raise ReadError(f"{source.name}：文件大小 {len(source.data) / 1048576:.1f} MB，超过上限 "
                        f"{max_bytes / 1048576:.0f} MB，请分批导入")
    if suffix in MACRO_SUFFIXES:
        raise ReadError(f"{source.name}：这是可含宏的工作簿（{suffix}），不予导入；请在表格软件中“另存为”"
                        "Excel 工作簿（.xlsx）后再导入")
    if suffix in EXCEL_FORMATS:
        file_format = EXCEL_FORMATS[suffix]
        table = _located(source.name, _workbook_grid(source, file_format, max_rows), file_format, None, kind)
    elif suffix in CSV_SUFFIXES:
        grid, encoding = _csv_grid(source, max_rows)
        table = _located(source.name, grid, "csv", encoding, kind)
    else:
        raise ReadError(f"{source.name}：不支持的文件类型（请用 {'、'.join(ACCEPTED_SUFFIXES)}）")
    if len(table.frame) > max_rows:
        raise ReadError(str(rows_over(source.name, table.header_row + max_rows + 1, max_rows, declared=False)))
    if table.frame.empty and not allow_empty:
        raise NoDataRows(f"{source.name}：{NO_DATA_MESSAGE}")
    return table
