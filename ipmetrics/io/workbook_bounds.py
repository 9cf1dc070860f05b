"""How much work a file may cost before it is parsed: rows, cells and uncompressed bytes.

An .xlsx or .ods is a zip. A 17 MB xlsx whose sheet expands to 1.28 GB, or a 12 MB xlsx of 1,048,576 rows,
used to run for minutes and take gigabytes before any message (issue 18). Here such a workbook is refused
by what it declares (zip member sizes, the sheet's `<dimension ref=…>`) and then by what it really holds:
its members are decompressed as a stream, counting bytes and, in the first sheet, rows and the farthest
cell, so a workbook that understates its sizes or its dimension stops at the limit too. Nothing here holds
more than one 1 MB chunk of a member in memory; the whole check is bounded by MAX_UNCOMPRESSED_BYTES.

python-calamine, which parses the workbook afterwards, keeps the first sheet as a dense grid (rows × columns
of its farthest cell), so the cell limit is on that grid, not on the cells present.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

from ipmetrics.core.settings import DEFAULT_MAX_IMPORT_ROWS

# Data rows of one file by default: the setting max_import_rows (IPMETRICS_MAX_IMPORT_ROWS; core/settings.py
# says why 200,000).
MAX_ROWS = DEFAULT_MAX_IMPORT_ROWS
# A sheet may have a title, 填报单位 and a header above its data (layout_detect looks among the first 30).
ROWS_ABOVE_DATA = 30
# The dense grid python-calamine builds may be as wide as 30 columns at the row limit (the widest import kind
# has fewer): about 6 million cells, under 1 GiB with their Python objects.
MAX_COLUMNS_AT_LIMIT = 30
# Everything a workbook expands to. A 200,000-row trademark xlsx is about 100 MB of XML.
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
# Deflate shrinks XML 5–20×; a sheet of identical rows reaches ~1,000×. Only members over 1 MB are judged.
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024
CHUNK = 1024 * 1024
SPLIT_HINT = "按月份或乡镇拆分后分别导入"

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"(?:[A-Z]{1,3}\d+:)?([A-Z]{1,3})(\d+)\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"(\d{1,9})\"")
_CELL_REF = re.compile(rb"\br=\"([A-Z]{1,3})\d{1,9}\"")
_ODS_ROW = re.compile(rb"<table:table-row[\s>/]")
_OVERLAP = 64  # a tag split across two chunks is seen whole in the next one


class TooBig(ValueError):
    """The workbook would cost more than its limits; the message (Chinese) names the file and the fix."""


def column_number(letters: bytes) -> int:
    """Spreadsheet column letters as a number: A → 1, Z → 26, AA → 27, XFD → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def cell_limit(max_rows: int) -> int:
    return (max_rows + ROWS_ABOVE_DATA) * MAX_COLUMNS_AT_LIMIT


def rows_over(name: str, rows: int, max_rows: int, declared: bool) -> TooBig:
    """The refusal for a sheet declaring `rows` rows, or stopped on reaching row `rows`, in the words people
    use ("20 万行")."""
    limit = f" {max_rows / 10000:g} 万行" if max_rows >= 10000 else f" {max_rows:,} 行"
    if declared:
        return TooBig(f"文件 {name} 声明有 {rows:,} 行，超过单个文件{limit}的上限，请{SPLIT_HINT}")
    return TooBig(f"文件 {name} 的数据超过单个文件{limit}的上限（读到第 {rows:,} 行时停止），请{SPLIT_HINT}")


def check_zip_workbook(name: str, data: bytes, max_rows: int = MAX_ROWS,
                       max_bytes: int = MAX_UNCOMPRESSED_BYTES) -> None:
    """Refuse an .xlsx/.ods-shaped zip that declares or holds too much; return quietly otherwise (a damaged
    zip is left to the parser, which says so in its own words)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    _check_declared(name, members, max_bytes)
    with archive:
        sheet = _first_sheet(archive)
        if sheet is not None:
            _check_dimension(name, archive, sheet, max_rows)
        budget = _Budget(name, max_bytes)
        for member in members:
            if member.filename == sheet:
                _scan_sheet(name, archive, member, max_rows, budget)
            elif member.filename == "content.xml":
                _scan_ods(name, archive, member, max_rows, budget)
            else:
                for _ in _chunks(archive, member, budget):
                    pass


def _check_declared(name: str, members: list[zipfile.ZipInfo], max_bytes: int) -> None:
    declared = sum(member.file_size for member in members)
    if declared > max_bytes:
        raise TooBig(f"文件 {name} 解压后有 {declared / 1048576:,.0f} MB，超过上限 {max_bytes / 1048576:,.0f} MB"
                     f"（可能是异常文件）；请删除多余的工作表或空白区域后另存，或{SPLIT_HINT}")
    for member in members:
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise TooBig(f"文件 {name} 中的 {member.filename} 压缩比 {member.file_size // max(member.compress_size, 1):,} 倍，"
                         f"超过上限 {MAX_RATIO} 倍（可能是异常文件）；请用表格软件打开后另存为 .xlsx，或{SPLIT_HINT}")


class _Budget:
    """The bytes a workbook has really expanded to so far, against its limit."""

    def __init__(self, name: str, limit: int):
        self.name, self.limit, self.used = name, limit, 0

    def spend(self, size: int) -> None:
        self.used += size
        if self.used > self.limit:
            raise TooBig(f"文件 {self.name} 解压后超过 {self.limit / 1048576:,.0f} MB 的上限（可能是异常文件）；"
                         f"请删除多余的工作表或空白区域后另存，或{SPLIT_HINT}")


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The zip path of an xlsx's first worksheet (what the parser reads), from workbook.xml and its rels."""
    try:
        book = ElementTree.fromstring(_small(archive, "xl/workbook.xml"))
        rels = ElementTree.fromstring(_small(archive, "xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, ValueError):
        return "xl/worksheets/sheet1.xml" if "xl/worksheets/sheet1.xml" in archive.namelist() else None
    sheet = next((e for e in book.iter() if e.tag.endswith("}sheet") or e.tag == "sheet"), None)
    rel_id = next((v for k, v in (sheet.attrib.items() if sheet is not None else []) if k.endswith("}id")), None)
    target = next((r.get("Target") for r in rels.iter() if r.get("Id") == rel_id), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _small(archive: zipfile.ZipFile, member: str) -> bytes:
    """A member that must be small (workbook.xml, its rels): at most 1 MB is read."""
    with archive.open(member) as stream:
        data = stream.read(CHUNK + 1)
    if len(data) > CHUNK:
        raise ValueError(member)
    return data


def _check_dimension(name: str, archive: zipfile.ZipFile, sheet: str, max_rows: int) -> None:
    """The sheet's declared dimension, from its first 16 KB: refuse before reading the rest."""
    try:
        with archive.open(sheet) as stream:
            head = stream.read(16 * 1024)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        return
    found = _DIMENSION.search(head)
    if found is None:
        return
    rows, columns = int(found.group(2)), column_number(found.group(1))
    if rows > max_rows + ROWS_ABOVE_DATA:
        raise rows_over(name, rows, max_rows, declared=True)
    _check_cells(name, rows, columns, max_rows)


def _check_cells(name: str, rows: int, columns: int, max_rows: int) -> None:
    limit = cell_limit(max_rows)
    if rows * columns > limit:
        raise TooBig(f"文件 {name} 的第一个工作表占 {rows:,} 行 × {columns:,} 列，超过 {limit:,} 个单元格的上限；"
                     f"请删除多余的列与空白区域后另存，或{SPLIT_HINT}")


def _chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: _Budget):
    """The member's bytes as it really expands (its declared size may lie), a chunk at a time."""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                budget.spend(len(chunk))
                yield chunk
    except zipfile.BadZipFile:
        # Python stops at the declared size and then finds the checksum wrong: a member that expands past what
        # the zip's directory says. The parser might not stop there, so it never sees the file.
        raise TooBig(f"文件 {budget.name} 已损坏或被改动（{member.filename} 的内容与压缩包目录的记录不符），"
                     "请用表格软件打开后另存为 .xlsx") from None
    except (OSError, EOFError, NotImplementedError):
        return  # an encryption or compression this reader lacks: the parser says what it can


def _scan_sheet(name: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo, max_rows: int, budget: _Budget) -> None:
    """Rows and the farthest cell of an xlsx sheet as it really is."""
    rows, last_row, last_column, tail = 0, 0, 0, b""
    row_limit = max_rows + ROWS_ABOVE_DATA
    for chunk in _chunks(archive, member, budget):
        text = tail + chunk
        cut = max(len(text) - _OVERLAP, 0)
        rows += sum(1 for m in _ROW_TAG.finditer(text, 0) if m.start() < cut)
        last_row = max([last_row] + [int(m.group(1)) for m in _ROW_NUMBER.finditer(text) if m.start() < cut])
        letters = {m.group(1) for m in _CELL_REF.finditer(text) if m.start() < cut}
        last_column = max([last_column] + [column_number(c) for c in letters])
        tail = text[cut:]
        if max(rows, last_row) > row_limit:
            raise rows_over(name, row_limit + 1, max_rows, declared=False)
    text = tail
    rows += len(_ROW_TAG.findall(text))
    last_row = max([last_row] + [int(m.group(1)) for m in _ROW_NUMBER.finditer(text)])
    last_column = max([last_column] + [column_number(m.group(1)) for m in _CELL_REF.finditer(text)])
    if max(rows, last_row) > row_limit:
        raise rows_over(name, row_limit + 1, max_rows, declared=False)
    _check_cells(name, max(rows, last_row), last_column, max_rows)


def _scan_ods(name: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo, max_rows: int, budget: _Budget) -> None:
    """An .ods's row elements (all its tables together: a bound, not a count); a repeated row counts once here
    (LibreOffice ends every sheet with a million repeated empty rows), and the parsed sheet's height is checked
    before its cells become Python objects (readers)."""
    rows, tail = 0, b""
    row_limit = max_rows + ROWS_ABOVE_DATA
    for chunk in _chunks(archive, member, budget):
        text = tail + chunk
        cut = max(len(text) - _OVERLAP, 0)
        rows += sum(1 for m in _ODS_ROW.finditer(text) if m.start() < cut)
        tail = text[cut:]
        if rows > row_limit:
            raise rows_over(name, row_limit + 1, max_rows, declared=False)
