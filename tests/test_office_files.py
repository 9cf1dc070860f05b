"""Spreadsheets as bureaus send them (tests/fixtures/office, written by make_fixtures.py there): title and
填报单位 rows, two-row merged headers, 小计/合计 rows, signature lines, township names for region codes,
.xls, WPS .et and .ods — each imports with the counts worked out by hand, or is refused naming the fix."""

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import text

from ipmetrics.io.importer import ImportRejected, Source, guess_kind, import_file, import_files
from ipmetrics.io.layout_detect import SCAN_ROWS, header_key, match_columns
from ipmetrics.io.readers import ReadError, read_table
from ipmetrics.io.schemas import KINDS

from .conftest import FIXTURES, SMALL
from .test_cli import call

OFFICE = FIXTURES / "office"


def stored(store, sql: str) -> list[tuple]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def marks(store) -> list[tuple]:
    """The fixture marks (reg_no BJ…) as stored: number, holder, region, type, GI, registration day."""
    rows = stored(store, "SELECT reg_no, holder, region_code, mark_type, is_gi, registered_on FROM trademarks "
                         "WHERE reg_no LIKE 'BJ%' ORDER BY reg_no")
    return [(*row[:5], pd.Timestamp(row[5]).date()) for row in rows]


@pytest.fixture
def county(empty_store):
    """罗山县 with 丽水街道 (411521001) and 周党镇 (411521101), from the hand-made fixture."""
    import_file(empty_store, "regions", SMALL / "regions.csv")
    return empty_store


@pytest.fixture
def with_chengguan(county):
    """…plus 城关镇 (411521102) and 城关乡 (411521201), from a bureau's .ods list with a title row."""
    result = import_file(county, "regions", OFFICE / "区划_城关.ods")
    assert (result.format, result.rows_loaded, result.notes) == ("ods", 2, ["已跳过第1行（表题），共 1 行"])
    return county


def test_title_and_unit_rows_above_the_header_are_skipped(county):
    result = import_file(county, "trademarks", OFFICE / "商标_表题与填报单位.xlsx")
    # Rows 1 (title) and 2 (填报单位 … 报送日期) skipped, row 3 blank, header on row 4, marks on rows 5 and 6.
    assert result.notes == ["已跳过第1行（表题）、第2行（填报单位），共 2 行"]
    assert list(result.table.index) == [5, 6]
    assert (result.rows_read, result.rows_loaded) == (2, 2)
    assert marks(county) == [
        ("BJ101", "罗山县灵山茶业有限公司", "411521001", "ordinary", False, date(2026, 11, 5)),
        ("BJ102", "罗山县宝城食品有限公司", "411521101", "ordinary", False, date(2026, 11, 12))]


def test_a_two_row_merged_header_is_read_as_one(county):
    result = import_file(county, "trademarks", OFFICE / "商标_两行表头.xlsx")
    # 申请人 spans D4:E4 over 名称 (D5) and 地址 (E5): the holder is 申请人名称, not the address; data from row 6.
    assert list(result.table.columns[:5]) == ["序号", "注册号", "商标名称", "申请人名称", "申请人地址"]
    assert list(result.table.index) == [6, 7, 8]
    assert result.notes == ["已跳过第1行（表题）、第2行（计量单位），共 2 行"]
    assert marks(county) == [
        ("BJ201", "周党镇茶叶合作社", "411521101", "collective", True, date(2026, 11, 6)),
        ("BJ202", "丽水商贸有限公司", "411521001", "ordinary", False, date(2026, 11, 20)),
        ("BJ203", "丽水商贸有限公司", "411521001", "ordinary", False, date(2026, 11, 21))]


def test_subtotal_and_total_rows_are_dropped_and_named(county):
    result = import_file(county, "pledges", OFFICE / "质押_小计合计.xlsx")
    assert result.notes == ["已跳过第1行（表题）、第5行（小计）、第7行（小计）、第8行（合计），共 4 行"]
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 3, 0)
    # 300 + 150.5 + 200 = 650.5 万元, the file's own 合计: no subtotal counted again.
    (count, total), = stored(county, "SELECT COUNT(*), SUM(amount_wan) FROM pledges WHERE contract_no LIKE 'ZY-BJ%'")
    assert (count, float(total)) == (3, 650.5)
    # "金额(万元)", 出质人, 质权人 and 登记编号 are the bureau's words for the template's columns.
    assert stored(county, "SELECT lender FROM pledges WHERE contract_no = 'ZY-BJ-3'") == [("罗山农商银行",)]


def test_signature_and_note_lines_below_the_table_are_dropped(county):
    result = import_file(county, "patents", OFFICE / "专利_制表人审核人.xlsx")
    # Row 4 is blank; row 5 carries 制表人/审核人/填报日期, row 6 a 备注 line.
    assert result.notes == ["已跳过第5行（制表人）、第6行（备注），共 2 行"]
    assert stored(county, "SELECT patent_no, region_code, patent_type FROM patents ORDER BY patent_no") == [
        ("ZL2026BJ0001.1", "411521001", "invention"), ("ZL2026BJ0002.2", "411521101", "utility_model")]


def test_township_names_stand_for_their_codes(with_chengguan):
    result = import_file(with_chengguan, "trademarks", OFFICE / "商标_乡镇名称.xlsx")
    assert result.rows_loaded == 3
    # 周党 → 周党镇 (suffix left off); 丽水街道 exactly; 城关镇 exactly, though 城关乡 exists too.
    assert [(reg_no, region) for reg_no, _, region, *_ in marks(with_chengguan)] == [
        ("BJ301", "411521101"), ("BJ302", "411521001"), ("BJ303", "411521102")]


def test_an_ambiguous_township_name_is_refused_with_its_candidates(with_chengguan):
    with pytest.raises(ImportRejected) as caught:
        import_file(with_chengguan, "trademarks", OFFICE / "商标_乡镇重名.xlsx")
    (error,) = caught.value.results[0].errors
    assert str(error) == ("商标_乡镇重名.xlsx 第5行，字段“区划代码”（region_code），值“城关”：“城关”对应多个区划："
                          "城关镇（代码411521102）、城关乡（代码411521201），请改填区划代码")
    assert marks(with_chengguan) == []  # all or nothing


def test_an_unknown_township_name_gets_the_nearest_names(county):
    header = "注册号,商标名称,注册人,所属乡镇,商标类型,地理标志,注册日期\n"
    data = (header + "BJ601,某标,某公司,周觉镇,普通,否,2026-11-01\n").encode()
    with pytest.raises(ImportRejected) as caught:
        import_file(county, "trademarks", Source("名称.csv", data))
    (error,) = caught.value.results[0].errors
    assert (error.row, error.column) == (2, "region_code")
    assert error.message.startswith("区划代码不存在，也没有名为“周觉镇”的区划")
    assert error.message.endswith("最接近的名称：周党镇")
    # A mistyped code (no Chinese in it) is not looked up as a name: the code rule speaks as before.
    with pytest.raises(ImportRejected) as caught:
        import_file(county, "trademarks", Source("码.csv", (header + "BJ602,某标,某公司,41152100X,普通,否,2026-11-01\n").encode()))
    (error,) = caught.value.results[0].errors
    assert error.column == "region_code" and "没有名为" not in error.message


@pytest.mark.parametrize("name, file_format", [("商标_旧版.xls", "xls"), ("商标_WPS.et", "et")])
def test_old_excel_and_wps_workbooks(county, name, file_format):
    result = import_file(county, "trademarks", OFFICE / name)
    assert (result.format, result.rows_loaded) == (file_format, 2)
    # A date cell reads as its day, a code typed as a number without ".0".
    assert marks(county) == [
        ("BJ401", "罗山县灵山茶业有限公司", "411521001", "certification", True, date(2026, 11, 15)),
        ("BJ402", "周党镇某合作社", "411521101", "ordinary", False, date(2026, 11, 16))]


def test_a_header_no_rule_finds_says_where_it_seems_to_be(county):
    with pytest.raises(ImportRejected) as caught:
        import_file(county, "trademarks", OFFICE / "表头无法识别.xlsx")
    (error,) = caught.value.results[0].errors
    assert error.header and error.row == 3
    assert str(error).startswith("表头无法识别.xlsx 第3行：未能识别表头：第3行像表头，请删除上方2行，"
                                 "并把列名改为模板中的列名（商标：注册号、商标名称、注册人、区划代码、")
    # Previewed before a kind is chosen, the seeming header stands in, so its columns can be mapped.
    table = read_table(Source.from_path(OFFICE / "表头无法识别.xlsx"))
    assert list(table.frame.columns) == ["编号", "标识", "持有单位", "所在地", "种类", "日子"]
    assert table.hint == "未能识别表头：第3行像表头，请删除上方2行"


def test_nothing_like_a_header_names_the_required_columns_and_the_first_row(county):
    data = "某某统计\n1,2,3\n".encode()
    with pytest.raises(ImportRejected) as caught:
        import_file(county, "population", Source("p.csv", data))
    (error,) = caught.value.results[0].errors
    assert error.message == ("未能识别表头：前2行中没有列名；必需的列为 人口：区划代码、年份；"
                             "第1个非空行是：某某统计")


def test_the_kind_is_guessed_from_each_detected_header():
    guesses = {path.name: guess_kind(read_table(Source.from_path(path)).frame.columns)
               for path in OFFICE.iterdir() if path.suffix != ".py"}
    assert guesses == {"区划_城关.ods": "regions", "商标_WPS.et": "trademarks", "商标_两行表头.xlsx": "trademarks",
                       "商标_乡镇名称.xlsx": "trademarks", "商标_乡镇重名.xlsx": "trademarks",
                       "商标_旧版.xls": "trademarks", "商标_表题与填报单位.xlsx": "trademarks",
                       "专利_制表人审核人.xlsx": "patents", "质押_小计合计.xlsx": "pledges", "表头无法识别.xlsx": None}


def test_a_csv_with_a_title_line_and_a_total_row(county):
    lines = ["罗山县商标注册情况统计表", "", "注册号,商标名称,注册人,乡镇（街道）,商标类型,地理标志,注册日期",
             "BJ701,甲,甲公司,411521001,普通,否,2026.11.05", "合 计,1件,,,,,"]
    result = import_file(county, "trademarks", Source("t.csv", "\r\n".join(lines).encode("gbk")))
    assert (result.rows_loaded, result.notes) == (1, ["已跳过第1行（表题）、第5行（合计），共 2 行"])
    assert list(result.table.index) == [4]


def test_column_variants_match():
    pledges, marks_kind = KINDS["pledges"], KINDS["trademarks"]
    assert (header_key("金额(万元)"), header_key("融资金额（万元）"), header_key("金额（元）")) == ("金额", "融资金额", "金额(元)")
    assert match_columns(pledges, ["金额(万元)", "融资金额（万元）"]) == {"金额(万元)": "amount_wan"}
    assert match_columns(pledges, ["金额（元）"]) == {}  # 元 is not 万元: not taken for the amount
    assert match_columns(marks_kind, ["注册　日期", "ＲＥＧ_ＮＯ", "所属乡镇（街道）", "商标注册人"]) == {
        "注册　日期": "registered_on", "ＲＥＧ_ＮＯ": "reg_no", "所属乡镇（街道）": "region_code", "商标注册人": "holder"}


def test_a_header_below_the_scanned_rows_is_not_looked_for(county):
    lines = ["说明"] * SCAN_ROWS + ["code,name,level,parent_code", "411521777,新镇,township,411521"]
    table = read_table(Source("far.csv", "\n".join(lines).encode()), kind="regions")
    assert table.hint is not None


def test_a_damaged_old_workbook_is_refused_naming_the_file():
    with pytest.raises(ReadError, match="坏.xls：无法读取 Excel 97-2003 工作簿：文件可能已损坏"):
        read_table(Source("坏.xls", b"\xd0\xcf\x11\xe0 not really"))
    with pytest.raises(ReadError, match="坏.ods：无法读取 OpenDocument 表格"):
        read_table(Source("坏.ods", b"PK\x03\x04 broken"))


def test_the_cli_imports_an_office_file_and_prints_what_it_skipped(county, capsys):
    code, out, _ = call(capsys, "--db", county.url, "import", "pledges", str(OFFICE / "质押_小计合计.xlsx"))
    assert code == 0
    assert "质押_小计合计.xlsx：已跳过第1行（表题）、第5行（小计）、第7行（小计）、第8行（合计），共 4 行" in out
    assert "读取 3 行，写入 3 行，拒绝 0 行" in out


def test_the_cli_names_the_fix_for_a_header_it_cannot_find(county, capsys):
    code, _, err = call(capsys, "--db", county.url, "import", "trademarks", str(OFFICE / "表头无法识别.xlsx"))
    assert code != 0
    assert "第3行像表头，请删除上方2行" in err


def test_the_cli_refuses_an_ambiguous_township(with_chengguan, capsys):
    code, _, err = call(capsys, "--db", with_chengguan.url, "import", "trademarks", str(OFFICE / "商标_乡镇重名.xlsx"))
    assert code != 0 and "“城关”对应多个区划" in err and "请改填区划代码" in err


def test_one_import_may_bring_the_regions_its_names_refer_to(county):
    results = import_files(county, [("trademarks", OFFICE / "商标_乡镇名称.xlsx"), ("regions", OFFICE / "区划_城关.ods")])
    # Regions load first, so 城关镇 is known to the marks of the same import.
    assert [(r.kind, r.rows_loaded) for r in results] == [("regions", 2), ("trademarks", 3)]


def test_the_import_page_takes_a_bureau_file_and_says_what_it_skipped(monkeypatch, county):
    from .conftest import EDITOR
    from .test_pages import open_app

    app = open_app(monkeypatch, county, "pages/data_import.py", editor=EDITOR)
    data = (OFFICE / "质押_小计合计.xlsx").read_bytes()
    app.main.get("file_uploader")[0].set_value(
        ("质押_小计合计.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    assert app.main.selectbox(key="import_kind").value == "pledges"  # guessed from the header on row 2
    captions = [c.value for c in app.main.caption]
    assert "已跳过第1行（表题）、第5行（小计）、第7行（小计）、第8行（合计），共 4 行。" in captions
    assert any("Excel 工作簿，表头在第2行，共 3 行数据" in c for c in captions)
    assert any("校验通过：3 行均可导入" in s.value for s in app.main.success)
