"""Real files: every encoding and format staff have, Chinese dates, full-width digits, stray spaces."""

import io
from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import text

from ipmetrics.io.importer import ImportRejected, Source, error_workbook, guess_kind, import_file, validate_frame
from ipmetrics.io.readers import ReadError, detect_encoding, read_table
from ipmetrics.io.schemas import KINDS, parse_date, parse_month

from .conftest import SMALL
from .test_importer import contents

KIND = KINDS["trademarks"]
HEADER_ZH = [KIND.labels[c] for c in KIND.columns]
# 䶮 (U+4DAE) is outside GBK but inside GB18030; the full-width brackets must survive as typed.
ROWS = [
    ["G1", "灵山（云雾）", "罗山县灵山茶业有限公司", "411521001", "普通商标", "否", "茶叶", "2021-03-01", "", ""],
    ["G2", "宝城香米", "罗山县宝城食品有限公司", "411521101", "ordinary", "否", "绿色食品", "2021/3/1", "", ""],
    ["G3", "䶮山", "罗山县䶮山农业合作社", "411521101", "证明商标", "是", "绿色食品", "2021年3月1日", "", ""],
]
EXPECTED = [("G1", "灵山（云雾）", "ordinary", False), ("G2", "宝城香米", "ordinary", False),
            ("G3", "䶮山", "certification", True)]


def csv_bytes(rows, encoding: str, header=HEADER_ZH) -> bytes:
    text = "\r\n".join(",".join(r) for r in [header, *rows]) + "\r\n"
    return text.encode(encoding)


def xlsx_bytes(rows, header=HEADER_ZH, dates_as_cells=True) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        cells = list(row)
        if dates_as_cells:
            cells[7] = datetime(2021, 3, 1)  # a real Excel date cell
        cells[3] = int(cells[3])             # codes typed as numbers
        sheet.append(cells)
    sheet.append([None] * len(header))       # Excel's trailing empty rows
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def loaded_marks(store) -> list[tuple]:
    with store.engine.connect() as connection:
        frame = pd.read_sql(text("SELECT reg_no, mark_name, mark_type, is_gi, registered_on, region_code "
                                 "FROM trademarks WHERE reg_no LIKE 'G%' ORDER BY reg_no"), connection)
    assert set(pd.to_datetime(frame["registered_on"]).dt.date) == {date(2021, 3, 1)}
    return [tuple(r) for r in frame[["reg_no", "mark_name", "mark_type", "is_gi"]].itertuples(index=False)]


@pytest.fixture
def regions_store(empty_store):
    import_file(empty_store, "regions", SMALL / "regions.csv")
    return empty_store


@pytest.mark.parametrize("name, data, encoding", [
    ("utf8.csv", csv_bytes(ROWS, "utf-8"), "utf-8"),
    ("utf8-bom.csv", csv_bytes(ROWS, "utf-8-sig"), "utf-8-sig"),
    ("gb18030.csv", csv_bytes(ROWS, "gb18030"), "gb18030"),
    ("gbk.csv", csv_bytes(ROWS[:2], "gbk"), "gb18030"),  # GBK files are read as GB18030, its superset
    ("excel.xlsx", xlsx_bytes(ROWS), None),
    ("excel-text-dates.xlsx", xlsx_bytes(ROWS, dates_as_cells=False), None),
])
def test_every_encoding_and_format_gives_the_same_records(regions_store, name, data, encoding):
    result = import_file(regions_store, "trademarks", Source(name, data))
    assert result.encoding == encoding and result.committed
    expected = EXPECTED if name != "gbk.csv" else EXPECTED[:2]
    assert loaded_marks(regions_store) == expected


def test_english_headers_and_full_width_digits_and_spaces(regions_store):
    header = list(KIND.columns)
    rows = [["Ｇ１", " 灵山（云雾） ", "罗山县灵山茶业有限公司\u3000", "４１１５２１００１", " ordinary", "ｆａｌｓｅ",
             "茶叶", "２０２１－０３－０１", " ", ""]]
    result = import_file(regions_store, "trademarks", Source("fw.csv", csv_bytes(rows, "utf-8", header)))
    assert result.rows_loaded == 1
    assert loaded_marks(regions_store) == [("G1", "灵山（云雾）", "ordinary", False)]


def test_grouped_numbers_and_month_spellings(regions_store, registry):
    pledges = [["L1", "某企业", "411521001", "专利权", "某银行", "\"1,250.5\"", "2021年3月5日"]]
    result = import_file(regions_store, "pledges",
                         Source("p.csv", csv_bytes(pledges, "gbk", [KINDS["pledges"].labels[c]
                                                                    for c in KINDS["pledges"].columns])))
    assert result.rows_loaded == 1
    reported = [["gi_marks", "411521", "2021年3月", "2"], ["well_known_marks", "411521", "2021/4", "0"]]
    # The month column of before (reported files may still name a month there instead of a period).
    result = import_file(regions_store, "reported", Source("r.csv", csv_bytes(reported, "utf-8",
                                                                                 ["indicator", "region_code", "month",
                                                                                  "value"])),
                         indicator_ids=set(registry.ids()))
    assert result.rows_loaded == 2
    months = sorted(str(m)[:7] for m in regions_store.frame("reported_values", region="411521")["month"])
    assert months == ["2021-03", "2021-04"]


def test_unreadable_files_are_refused_with_their_name():
    with pytest.raises(ReadError, match="bad.csv：无法识别文件编码"):
        read_table(Source("bad.csv", b"code,name\n\x80\xff\xfe,x\n"))
    with pytest.raises(ReadError, match="list.pdf：不支持的文件类型"):
        read_table(Source("list.pdf", b"%PDF"))
    with pytest.raises(ReadError, match="big.csv：文件大小 1.0 MB，超过上限 1 MB"):
        read_table(Source("big.csv", b"x" * (1024 * 1024 + 1)), max_bytes=1024 * 1024)
    with pytest.raises(ReadError, match="broken.xlsx：无法读取 Excel 工作簿"):
        read_table(Source("broken.xlsx", b"not a zip"))
    with pytest.raises(ReadError, match="empty.csv：文件是空的"):
        read_table(Source("empty.csv", b""))


def test_rows_keep_their_spreadsheet_numbers_past_blank_lines(regions_store):
    data = csv_bytes(ROWS[:1] + [[""] * 10] + [["G9", "x", "y", "411521001", "ordinary", "否", "", "2021-02-30", "", ""]],
                     "utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file(regions_store, "trademarks", Source("gap.csv", data))
    (error,) = caught.value.results[0].errors
    assert error.row == 4 and error.column == "registered_on"  # row 3 is the blank line


def test_header_problems_cannot_be_accepted_away(regions_store):
    data = csv_bytes([r[:7] for r in ROWS], "utf-8", HEADER_ZH[:7])
    before = contents(regions_store)
    with pytest.raises(ImportRejected) as caught:
        import_file(regions_store, "trademarks", Source("short.csv", data), accept_valid=True)
    assert str(caught.value.results[0].errors[0]) == "short.csv 第1行，字段“注册日期”（registered_on）：缺少必需的列"
    assert contents(regions_store) == before


def test_error_workbook_lists_problems_and_rejected_rows_without_formulas(regions_store):
    rows = ROWS[:1] + [["G5", "=HYPERLINK(\"http://x\")", "+某公司", "411521001", "brand", "否", "", "2021-03-01", "", ""]]
    result = import_file(regions_store, "trademarks", Source("e.csv", csv_bytes(rows, "utf-8")), accept_valid=True)
    assert (result.rows_loaded, result.rows_rejected) == (1, 1)
    book = load_workbook(io.BytesIO(error_workbook([result])))
    assert book.sheetnames == ["问题清单", "被拒绝的行-商标"]
    problems = list(book["问题清单"].values)
    assert problems[0] == ("文件", "行号", "字段", "列名", "值", "问题")
    assert problems[1][:5] == ("e.csv", 3, "商标类型", "mark_type", "brand")
    rejected = book["被拒绝的行-商标"]
    header = [c.value for c in rejected[1]]
    assert header[0] == "行号" and header[-1] == "错误说明"
    name_cell = rejected.cell(row=2, column=header.index("商标名称") + 1)
    assert name_cell.data_type == "s" and name_cell.value == "'=HYPERLINK(\"http://x\")"
    assert rejected.cell(row=2, column=header.index("注册人") + 1).value == "'+某公司"
    assert rejected.freeze_panes == "A2"


def test_guess_kind_from_headers():
    assert guess_kind(HEADER_ZH) == "trademarks"
    assert guess_kind(KINDS["pledges"].columns) == "pledges"
    assert guess_kind(["区划代码", "年份", "常住人口"]) == "population"
    assert guess_kind(["甲", "乙"]) is None


def test_detect_encoding():
    assert detect_encoding("罗山".encode("utf-8")) == "utf-8"
    assert detect_encoding("罗山".encode("utf-8-sig")) == "utf-8-sig"
    assert detect_encoding("罗山".encode("gbk")) == "gb18030"


DAYS = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


@given(day=DAYS, style=st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}年{m}月{d}日", "{y}.{m}.{d}",
                                        "{y}-{m:02d}-{d:02d} 00:00:00"]))
def test_every_date_spelling_reads_as_the_same_day(day, style):
    assert parse_date(style.format(y=day.year, m=day.month, d=day.day)) == day


@given(text=st.text(max_size=20))
def test_date_parser_accepts_a_day_or_says_why_in_chinese(text):
    try:
        value = parse_date(text)
    except ValueError as exc:
        assert str(exc).startswith("不是有效日期")
    else:
        assert isinstance(value, date)


@given(text=st.text(max_size=12))
def test_month_parser_gives_yyyy_mm_or_says_why(text):
    try:
        value = parse_month(text)
    except ValueError as exc:
        assert str(exc).startswith("不是有效月份")
    else:
        assert len(value) == 7 and value[4] == "-" and 1 <= int(value[5:]) <= 12


def test_validate_frame_on_a_file_read_from_disk():
    table = read_table(Source.from_path(SMALL / "trademarks.csv"))
    frame, errors = validate_frame(KIND, table.frame, "trademarks.csv", {"411521001", "411521101"})
    assert errors == [] and list(frame["reg_no"]) == ["T1", "T2", "T3", "T4", "T5"]
