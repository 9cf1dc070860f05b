"""Bounded work for every input file (issue 18, items 1, 2, 6, 9): workbook bombs and overlong files refused
before they are parsed, with a Chinese message naming the file and the fix and the store unchanged; an error
report that lists the first problems and counts the rest; mixed encodings refused naming the row; a file of
only a header and a macro workbook refused; Streamlit's upload ceiling equal to the import limit. Every bomb
is built here, small."""

from __future__ import annotations

import io
import struct
import time
import tomllib
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ipmetrics.core.settings import Settings
from ipmetrics.io import importer
from ipmetrics.io.importer import ImportRejected, Source, error_workbook, import_file
from ipmetrics.io.readers import NoDataRows, ReadError, detect_encoding, read_table

from .conftest import SMALL
from .test_cli import call

ROOT = Path(__file__).resolve().parents[1]
HEADER = "code,name,level,parent_code\n"
SPLIT = "请按月份或乡镇拆分后分别导入"


def xlsx(sheet_xml: str | bytes) -> bytes:
    """The smallest xlsx python-calamine reads: one sheet, inline strings, built with zipfile only."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org'
        '/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def region_row(number: int) -> str:
    cells = [f"41152100{number % 10}{number}", f"镇{number}", "township", "411521"]
    return f'<row r="{number}">' + "".join(
        f'<c r="{col}{number}" t="inlineStr"><is><t>{value}</t></is></c>' for col, value in zip("ABCD", cells)) + "</row>"


def sheet(rows: int, dimension: str | None = None) -> str:
    """A regions sheet: the header and rows 2…`rows`; `dimension` is what it declares (A1:…)."""
    header = '<row r="1">' + "".join(f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
                                     for col, name in zip("ABCD", HEADER.strip().split(","))) + "</row>"
    declared = f'<dimension ref="A1:{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{declared}<sheetData>{header}" + "".join(region_row(n) for n in range(2, rows + 1))
            + "</sheetData></worksheet>")


def unchanged(store):
    """What must not move when a file is refused: the data version and the import log."""
    return store.data_version(), len(store.frame("import_log"))


@pytest.fixture
def county(empty_store):
    import_file(empty_store, "regions", SMALL / "regions.csv")
    return empty_store


# --- bombs and overlong files -----------------------------------------------------------------------------
def test_a_zip_bomb_is_refused_before_parsing_and_the_store_is_unchanged(county):
    # 40 MB of one repeated row compresses to well under 100 KB: a bomb by ratio and, with the limit
    # lowered to 20 MB for the test, by size. No dimension is declared, so only the zip itself can tell.
    row = region_row(2).encode()
    body = row * (40 * 1024 * 1024 // len(row))
    bomb = xlsx(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>" + body + b"</sheetData></worksheet>")
    assert len(bomb) < 200 * 1024
    before = unchanged(county)
    started = time.perf_counter()
    with pytest.raises(ReadError, match=r"文件 炸弹\.xlsx 中的 xl/worksheets/sheet1\.xml 压缩比 .* 倍，超过上限 200 倍"):
        import_file(county, "regions", Source("炸弹.xlsx", bomb))
    assert time.perf_counter() - started < 5  # refused from the zip's directory, nothing decompressed
    assert unchanged(county) == before


def understated(data: bytes, member: str, size: int) -> bytes:
    """`data` with `member`'s uncompressed size rewritten as `size` in its local header and the directory."""
    patched = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    struct.pack_into("<I", patched, info.header_offset + 22, size)  # local file header: uncompressed size
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46:entry + 46 + len(member)] != member.encode():
        entry = data.index(b"PK\x01\x02", entry + 4)
    struct.pack_into("<I", patched, entry + 24, size)  # central directory: uncompressed size
    return bytes(patched)


def test_a_zip_over_the_limit_or_lying_about_its_sizes_is_refused(monkeypatch):
    from ipmetrics.io import readers
    monkeypatch.setattr(readers, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    # 20,000 varied rows, about 3.6 MB of XML, compressing about 15× (under the ratio limit): over a 2 MB limit.
    data = xlsx(sheet(20_000))
    with pytest.raises(ReadError, match=r"炸弹2\.xlsx 解压后有 \d MB，超过上限 2 MB"):
        read_table(Source("炸弹2.xlsx", data))
    # The same sheet claiming 1 kB: the directory passes, the stream gives it away.
    lying = understated(data, "xl/worksheets/sheet1.xml", 1000)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("xl/worksheets/sheet1.xml").file_size == 1000
    with pytest.raises(ReadError, match=r"炸弹3\.xlsx 已损坏或被改动（xl/worksheets/sheet1\.xml 的内容与压缩包目录的记录不符）"):
        read_table(Source("炸弹3.xlsx", lying))


def test_a_declared_dimension_over_the_row_limit_is_refused_by_its_first_bytes(county):
    data = xlsx(sheet(5, dimension="D1048576"))
    before = unchanged(county)
    with pytest.raises(ReadError) as refused:
        import_file(county, "regions", Source("全省商标.xlsx", data))
    assert str(refused.value) == f"文件 全省商标.xlsx 声明有 1,048,576 行，超过单个文件 20 万行的上限，{SPLIT}"
    assert unchanged(county) == before


def test_real_rows_over_the_limit_stop_whatever_the_sheet_declares(county):
    # Declares A1:D5 but holds 141 rows; with a limit of 100 data rows the sheet may hold 100 + 30 rows above
    # the data (title, 填报单位, header), so the scan stops on row 131.
    data = xlsx(sheet(141, dimension="D5"))
    with pytest.raises(ReadError) as refused:
        import_file(county, "regions", Source("多.xlsx", data), max_rows=100)
    assert str(refused.value) == f"文件 多.xlsx 的数据超过单个文件 100 行的上限（读到第 131 行时停止），{SPLIT}"
    # The same rows as a CSV: pandas reads 131 lines and stops; 101 data rows is one too many.
    csv = (HEADER + "".join(f"4115210{n:02d},镇{n},township,411521\n" for n in range(2, 141))).encode()
    before = unchanged(county)
    with pytest.raises(ReadError, match=r"文件 多\.csv 的数据超过单个文件 100 行的上限（读到第 102 行时停止）"):
        import_file(county, "regions", Source("多.csv", csv), max_rows=100)
    assert unchanged(county) == before
    # 100 data rows are fine (header + 100 = 101 lines).
    assert len(read_table(Source("刚好.csv", b"\n".join(csv.split(b"\n")[:101])), max_rows=100).frame) == 100


def test_the_row_limit_is_a_setting_the_cli_and_the_page_read(county, capsys, tmp_path, monkeypatch):
    from ipmetrics.io.workbook_bounds import MAX_ROWS

    assert Settings().max_import_rows == MAX_ROWS == 200_000  # the same figure in core and io
    # 11 regions: over a limit of 10 set by IPMETRICS_MAX_IMPORT_ROWS, and within the default
    path = tmp_path / "乡镇.csv"
    path.write_text(HEADER + "".join(f"4115210{n:02d},镇{n},township,411521\n" for n in range(2, 13)), encoding="utf-8")
    monkeypatch.setenv("IPMETRICS_MAX_IMPORT_ROWS", "10")
    code, _, err = call(capsys, "--db", county.url, "import", "regions", str(path), "--dry-run")
    assert code == 1 and "文件 乡镇.csv 的数据超过单个文件 10 行的上限（读到第 12 行时停止）" in err
    monkeypatch.setenv("IPMETRICS_MAX_IMPORT_ROWS", "十万")
    code, _, err = call(capsys, "--db", county.url, "import", "regions", str(path), "--dry-run")
    assert code != 0 and "设置 max_import_rows 的值“十万”无效，应为整数（行）" in err
    monkeypatch.delenv("IPMETRICS_MAX_IMPORT_ROWS")
    code, _, err = call(capsys, "--db", county.url, "import", "regions", str(path), "--dry-run")
    assert code == 0, err


def test_a_sparse_sheet_whose_grid_would_be_huge_is_refused():
    # One cell in column XFD on row 400: python-calamine would build a grid of 400 × 16,384 = 6,553,600 cells,
    # over (200,000 + 30) × 30 = 6,000,900; the sheet declares no dimension, so the scan finds it.
    data = xlsx(sheet(400).replace('r="D400"', 'r="XFD400"'))
    with pytest.raises(ReadError, match=r"第一个工作表占 400 行 × 16,384 列，超过 6,000,900 个单元格的上限"):
        read_table(Source("稀疏.xlsx", data))


def test_a_small_workbook_still_reads():
    table = read_table(Source("城关.xlsx", xlsx(sheet(4, dimension="D4"))))
    assert list(table.frame["code"]) == ["41152100" + "22", "41152100" + "33", "41152100" + "44"]


# --- the error report ---------------------------------------------------------------------------------------
def test_the_error_report_lists_the_first_problems_and_counts_the_rest(county, monkeypatch):
    monkeypatch.setattr(importer, "LISTED_PROBLEMS", 5)
    # 30 rows with a bad level, 30 with an unknown parent: 60 problems of 2 rules, on 60 rows.
    rows = "".join(f"4115219{n:02d},镇{n},town,411521\n" for n in range(30)) + \
        "".join(f"4115218{n:02d},乡{n},township,999999\n" for n in range(30))
    with pytest.raises(ImportRejected) as rejected:
        import_file(county, "regions", Source("错.csv", (HEADER + rows).encode()))
    (result,) = rejected.value.results
    assert len(result.errors) == 60 and result.rows_rejected == 60
    assert result.problems_note == "共 60 处问题，仅列出前 5 处"
    assert len(result.error_frame()) == 5
    counts = result.problem_counts()
    assert counts["处数"].sum() == 60 and len(counts) == 2 and set(counts["处数"]) == {30}
    book = load_workbook(io.BytesIO(error_workbook([result])), read_only=True)
    listed = list(book["问题清单"].values)
    assert len(listed) == 1 + 5 + 1  # header, five problems, the line saying the list is cut
    assert listed[-1][0] == "错.csv：共 60 处问题，仅列出前 5 处"
    assert len(list(book["问题统计"].values)) == 1 + 2
    assert len(list(book["被拒绝的行-行政区划"].values)) == 1 + 60
    # A list that is not cut needs no counts beside it.
    monkeypatch.setattr(importer, "LISTED_PROBLEMS", 60)
    assert result.problems_note is None
    assert load_workbook(io.BytesIO(error_workbook([result])), read_only=True).sheetnames == \
        ["问题清单", "被拒绝的行-行政区划"]


def test_the_cli_says_how_many_problems_were_listed(county, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "LISTED_PROBLEMS", 3)
    path = tmp_path / "错.csv"
    path.write_text(HEADER + "".join(f"4115219{n:02d},镇{n},town,411521\n" for n in range(4)), encoding="utf-8")
    code, _, err = call(capsys, "--db", county.url, "import", "regions", str(path), "--errors", str(tmp_path / "e.xlsx"))
    assert code == 1 and "错.csv：共 4 处问题，仅列出前 3 处" in err


# --- encodings ----------------------------------------------------------------------------------------------
def test_a_utf8_file_with_one_gbk_row_is_refused_naming_the_row(county):
    data = (HEADER + "411521201,彭新镇,township,411521\n").encode() + "411521202,周党镇,township,411521\n".encode(
        "gbk") + "411521203,子路镇,township,411521\n".encode()
    before = unchanged(county)
    with pytest.raises(ReadError, match=r"混\.csv：第3行不是 UTF-8 编码，文件混用了两种编码，请用同一种编码另存"):
        import_file(county, "regions", Source("混.csv", data))
    assert unchanged(county) == before
    # The other way round: a GBK file with one UTF-8 row names the UTF-8 row.
    data = (HEADER + "411521201,彭新镇,township,411521\n411521202,周党镇,township,411521\n").encode("gbk") + \
        "411521203,子路镇,township,411521\n".encode()
    with pytest.raises(ReadError, match=r"第4行是 UTF-8 编码，文件混用了两种编码"):
        detect_encoding(data)


def test_pure_gbk_and_utf8_with_bom_still_import(county):
    rows = HEADER + "411521201,彭新镇,township,411521\n"
    assert import_file(county, "regions", Source("g.csv", rows.encode("gbk"))).encoding == "gb18030"
    result = import_file(county, "regions", Source("b.csv", rows.encode("utf-8-sig")))
    assert (result.encoding, result.rows_loaded) == ("utf-8-sig", 1)
    names = county.frame("regions")
    assert names.loc[names["code"].astype(str) == "411521201", "name"].tolist() == ["彭新镇"]


# --- header-only files and macro workbooks ----------------------------------------------------------------
def test_a_header_only_file_is_refused_without_a_version_bump(county, capsys, tmp_path):
    # Before issue 18 it imported "0 行" with exit 0, logged an import and bumped the data version.
    before = unchanged(county)
    with pytest.raises(NoDataRows, match="文件只有表头、没有数据行；若本月确无新增，请用“确认无新增”"):
        import_file(county, "pledges", Source("质押.csv", b"contract_no,enterprise,region_code\n"), through="2021-06")
    path = tmp_path / "质押.csv"
    path.write_text("合同编号,出质人,区划代码,质押物类型,质权人,金额（万元）,登记日期\n", encoding="utf-8")
    code, out, err = call(capsys, "--db", county.url, "import", "pledges", str(path), "--through", "2021-06")
    assert code == 2 and "质押.csv：文件只有表头、没有数据行" in err and "ipmetrics confirm" in err
    assert unchanged(county) == before


def test_a_macro_workbook_is_refused(county, capsys, tmp_path):
    path = tmp_path / "商标.xlsm"
    path.write_bytes(xlsx(sheet(3)))
    code, _, err = call(capsys, "--db", county.url, "import", "regions", str(path))
    assert code == 1 and "商标.xlsm：这是可含宏的工作簿（.xlsm），不予导入；请在表格软件中“另存为”Excel 工作簿（.xlsx）" in err


# --- the upload endpoint -----------------------------------------------------------------------------------
def test_streamlits_upload_ceiling_equals_the_import_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == Settings().max_import_mb == 50


def test_a_session_keeps_only_its_newest_uploads_in_memory(monkeypatch):
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    from pages.shell import internals

    monkeypatch.setattr(MemoryUploadedFileManager, "add_file", MemoryUploadedFileManager.add_file)  # undone after
    internals.bound_session_uploads(keep=3)
    internals.bound_session_uploads(keep=3)  # once per process: a second call wraps nothing again
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    for number in range(5):  # four 1 kB PUTs with new ids, as the red-team sent 50 MB ones
        manager.add_file("s1", UploadedFileRec(f"f{number}", "x.csv", "text/csv", b"x" * 1000))
    manager.add_file("s2", UploadedFileRec("g", "y.csv", "text/csv", b"y" * 10))
    assert list(manager.file_storage["s1"]) == ["f2", "f3", "f4"]
    assert manager._total_bytes == 3 * 1000 + 10  # Streamlit's own count follows the files dropped
    manager.remove_session_files("s1")  # what a session's end does (AppSession.shutdown)
    assert manager._total_bytes == 10 and "s1" not in manager.file_storage


def test_the_server_hands_back_what_an_ended_session_left_in_cycles():
    # Streamlit's collection after every run is off (.streamlit/config.toml), so the server collects once a
    # minute itself (internals.release_memory_periodically, started by serve()).
    import gc
    import weakref

    from pages.shell import internals

    class Checked:  # a checked upload's result that refers to itself, as frames and their owners can
        pass

    gc.disable()  # no automatic collection may get there first
    try:
        result = Checked()
        result.itself, result.rows = result, bytearray(10_000_000)
        left = weakref.ref(result)
        del result
        assert left() is not None  # unreachable, but kept by its cycle
        assert internals.release_memory() >= 1
        assert left() is None
    finally:
        gc.enable()
