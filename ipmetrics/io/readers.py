"""Read the files statistics staff actually have into text cells: CSV in UTF-8 (with or without BOM) or
GBK/GB18030, and Excel workbooks. Encodings are detected, never asked for.

Every cell comes back as text exactly as a person would type it (dates of Excel date cells as
YYYY-MM-DD, whole numbers without ".0"); interpreting the text is the schemas' job.
"""

from __future__ import annotations

import codecs
import io
import math
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

CSV_SUFFIXES = {".csv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
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
    """A file's cells as text, indexed by the row number a spreadsheet shows (header = row 1)."""

    name: str
    frame: pd.DataFrame
    format: str      # "csv" or "xlsx"
    encoding: str | None

    def describe(self) -> str:
        """How the file was read, e.g. "CSV，编码 GBK/GB18030，共 120 行数据"."""
        encoding = f"，编码 {ENCODING_LABEL.get(self.encoding, self.encoding)}" if self.encoding else ""
        return f"{'Excel 工作簿' if self.format == 'xlsx' else 'CSV'}{encoding}，共 {len(self.frame):,} 行数据"


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


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows numbered as in the file; rows left wholly blank (Excel's trailing rows) are dropped."""
    frame = frame.rename(columns=lambda c: cell_text(c).strip())
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    if frame.empty:
        return frame
    blank = frame.apply(lambda column: column.astype(str).str.strip().eq("")).all(axis=1)
    return frame[~blank]


def read_table(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> Table:
    suffix = Path(source.name).suffix.lower()
    if len(source.data) > max_bytes:
        raise ReadError(f"{source.name}：文件大小 {len(source.data) / 1048576:.1f} MB，超过上限 "
                        f"{max_bytes / 1048576:.0f} MB，请分批导入")
    if suffix in EXCEL_SUFFIXES:
        try:
            raw = pd.read_excel(io.BytesIO(source.data), sheet_name=0, dtype=object, engine="openpyxl")
        except Exception as exc:  # a damaged or mislabelled workbook
            raise ReadError(f"{source.name}：无法读取 Excel 工作簿（{exc}）") from None
        frame = raw.map(cell_text) if len(raw) else raw.astype(str)
        return Table(source.name, _numbered(frame), "xlsx", None)
    if suffix in CSV_SUFFIXES:
        try:
            encoding = detect_encoding(source.data)
        except ReadError as exc:
            raise ReadError(f"{source.name}：{exc}") from None
        text = source.data.decode(encoding)
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
        except pd.errors.ParserError as exc:
            raise ReadError(f"{source.name}：CSV 格式有误（{exc}）") from None
        except pd.errors.EmptyDataError:
            raise ReadError(f"{source.name}：文件是空的") from None
        return Table(source.name, _numbered(frame), "csv", encoding)
    raise ReadError(f"{source.name}：不支持的文件类型（请用 .csv 或 .xlsx）")
