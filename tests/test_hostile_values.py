"""Values a red team slipped past validation (issue 18, items 4 and 5): each is refused before the write with a
Chinese message naming file, row and field, and leaves the store as it was; placeholders for "no end" read
as a blank; status --format json stays strict JSON whatever the store holds."""

from __future__ import annotations

import io
import json
import math
import time
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import Workbook

from ipmetrics.cli.reports import strict_json
from ipmetrics.core import catalog, outlook
from ipmetrics.core.settings import SAMPLE_DIR, SQL_DIR
from ipmetrics.core.store import Store
from ipmetrics.core.validation import chinese_message, latest_event
from ipmetrics.io.importer import ImportRejected, import_files
from ipmetrics.io.readers import Source
from ipmetrics.meeting import readiness

from .conftest import SMALL, kind_files
from .test_cli import call
from .test_importer import contents

MARKS = "reg_no,mark_name,holder,region_code,mark_type,is_gi,industry,registered_on,ended_on,well_known_on\n"
PLEDGES = "contract_no,enterprise,region_code,amount_wan,registered_on\n"


@pytest.fixture(scope="module")
def store(module_db_url, registry):
    """The hand-made fixture; every refusal below must leave it exactly as it is."""
    store = Store(module_db_url("hostile"))
    import_files(store, kind_files(SMALL), indicator_ids=set(registry.ids()))
    yield store
    store.dispose()


def refused(store, registry, kind: str, text: str, name: str = "bad.csv") -> list[str]:
    """Import a small file that must be refused: its messages; the store (rows and data version) unchanged."""
    before, version = contents(store), store.data_version()
    with pytest.raises(ImportRejected) as caught:
        import_files(store, [(kind, Source(name, text.encode("utf-8")))], indicator_ids=set(registry.ids()))
    assert contents(store) == before and store.data_version() == version
    return [str(error) for result in caught.value.results for error in result.errors]


def marks(*rows: str) -> str:
    return MARKS + "".join(f"{row},甲,某公司,411521001,ordinary,否,,{rest}\n" for row, rest in rows)


# --- numbers the column types cannot hold (item 4) -------------------------------------------------------------

def test_pledge_amount_beyond_decimal_18_4(store, registry):
    # DECIMAL(18, 4) keeps 14 digits before the point: 1e14 needs 15.
    assert refused(store, registry, "pledges", PLEDGES + "ZY1,某公司,411521001,1e14,2025-03-01\n") == [
        "bad.csv 第2行，字段“融资金额（万元）”（amount_wan），值“1e14”：超出可存储的范围（最大 99,999,999,999,999.9999）"]


def test_pledge_amount_beyond_any_real_deal(store, registry):
    # 2亿万元 = 2万亿元: more than China's IP pledge financing in a year; storable, but surely 元 typed as 万元.
    assert refused(store, registry, "pledges", PLEDGES + "ZY1,某公司,411521001,200000000,2025-03-01\n") == [
        "bad.csv 第2行，字段“融资金额（万元）”（amount_wan），值“200000000”：超出合理范围（单笔融资不超过 100,000,000 万元"
        "（1 万亿元）；请核对单位是否为万元）"]


def test_population_beyond_integer(store, registry):
    text = "region_code,year,resident\n411521,2024,99999999999999999999\n411521001,2024,300000000\n"
    assert refused(store, registry, "population", text) == [
        "bad.csv 第2行，字段“常住人口”（resident），值“99999999999999999999”：超出可存储的范围（最大 2,147,483,647）",
        "bad.csv 第3行，字段“常住人口”（resident），值“300000000”：超出合理范围（一个地区的人口不超过 2 亿，人口最多的省份也不到 1.3 亿）"]


@pytest.mark.parametrize("value, message", [
    ("1e308", "超出可计算的范围（绝对值须小于 1,000,000,000,000,000）"),  # finite, but a sum of two is inf
    ("nan", "应为有限数值"), ("inf", "应为有限数值"), ("-1e400", "应为有限数值")])
def test_reported_values_that_are_not_finite_or_would_overflow(store, registry, value, message):
    text = f"indicator,region_code,month,value\ntrademarks_registered,411521,2021-03,{value}\n"
    assert refused(store, registry, "reported", text) == [f"bad.csv 第2行，字段“数值”（value），值“{value}”：{message}"]


# --- keys as stored (item 4) and invisible characters (item 5) -----------------------------------------------

def test_full_width_key_is_the_same_key_in_the_file(store, registry):
    text = marks(("FW000001", "2024-01-01,,"), ("ＦＷ０００００１", "2024-01-01,,"))
    assert refused(store, registry, "trademarks", text) == [
        "bad.csv 第3行，字段“注册号”（reg_no），值“ＦＷ０００００１”：与第2行的注册号重复"]


def test_full_width_key_replaces_the_stored_one(fresh_small_store, registry):
    def stored():
        return contents(fresh_small_store)["trademarks"]
    count = len(stored())
    import_files(fresh_small_store, [("trademarks", Source("a.csv", marks(("FW000001", "2024-01-01,,")).encode()))])
    import_files(fresh_small_store, [("trademarks", Source("b.csv", marks(("ＦＷ０００００１", "2024-02-01,,")).encode()))])
    rows = [row for row in stored() if row[0] == "FW000001"]
    # One new mark, not two: the second file's key, NFKC-normalised as stored, replaced the first file's row.
    assert len(stored()) == count + 1 and len(rows) == 1 and rows[0][7] == "2024-02-01"


def test_keys_differing_only_by_zero_width_characters_are_one_key(store, registry):
    text = marks(("ZW000001", "2024-01-01,,"), ("ZW\u200b000001", "2024-01-01,,"),
                 ("ZW\u200d000001", "2024-01-01,,"), ("\u2060ZW000001", "2024-01-01,,"))
    errors = refused(store, registry, "trademarks", text)
    assert [e.split("：")[-1] for e in errors] == ["与第2行的注册号重复（去除不可见的零宽或方向控制字符后）"] * 3
    assert [e.split("，")[0] for e in errors] == ["bad.csv 第3行", "bad.csv 第4行", "bad.csv 第5行"]


def test_a_key_of_control_characters_only_is_missing(store, registry):
    errors = refused(store, registry, "trademarks", marks(("\u200b\u200d\ufeff", "2024-01-01,,")))
    assert len(errors) == 1 and "字段“注册号”（reg_no）" in errors[0] and errors[0].endswith("：必填项为空")


def test_bidi_controls_are_not_stored_in_names(fresh_small_store):
    text = MARKS + "BD000001,\u202e腐豆铺铁\u202c,某\u2066公司\u2069,411521001,ordinary,否,,2024-01-01,,\n"
    import_files(fresh_small_store, [("trademarks", Source("bidi.csv", text.encode()))])
    row = next(r for r in contents(fresh_small_store)["trademarks"] if r[0] == "BD000001")
    assert row[1:3] == ("腐豆铺铁", "某公司")


# --- headers (item 4) ----------------------------------------------------------------------------------------

def test_one_field_under_two_headers_in_two_languages(store, registry):
    text = "reg_no,mark_name,商标名称,holder,region_code,mark_type,is_gi,registered_on\n" \
           "D1,甲,乙,某公司,411521001,ordinary,否,2024-01-01\n"
    assert refused(store, registry, "trademarks", text) == [
        "bad.csv 第1行，字段“商标名称”（mark_name）：表头中“mark_name”与“商标名称”都对应字段 商标名称，请删去其一"]


def test_one_header_written_twice(store, registry):
    text = "注册号,商标名称,商标名称,注册人,区划代码,商标类型,地理标志,注册日期\nD1,甲,乙,某公司,411521001,普通,否,2024-01-01\n"
    assert refused(store, registry, "trademarks", text) == [
        "bad.csv 第1行，字段“商标名称”（mark_name）：表头中“商标名称”出现 2 次对应字段 商标名称，请删去其一"]


def test_headers_repeated_among_columns_not_read_do_not_matter(fresh_small_store):
    text = "reg_no,备注,mark_name,holder,region_code,mark_type,is_gi,registered_on, 备注 \n" \
           "RP000001,x,甲,某公司,411521001,ordinary,否,2024-01-01,y\n"
    [result] = import_files(fresh_small_store, [("trademarks", Source("notes.csv", text.encode()))])
    assert result.rows_loaded == 1


# --- dates (item 5) ------------------------------------------------------------------------------------------

def test_impossible_event_dates(store, registry):
    latest = latest_event().isoformat()
    errors = refused(store, registry, "trademarks", marks(("T1", "0001-01-01,,"), ("T2", "9999-12-31,,"),
                                                          ("T3", "2024-01-01,,1899-12-30")))
    assert errors == [
        "bad.csv 第2行，字段“注册日期”（registered_on），值“0001-01-01”：日期超出合理范围（应在 1950-01-01 至 " + latest + " 之间）",
        "bad.csv 第3行，字段“注册日期”（registered_on），值“9999-12-31”：日期超出合理范围（应在 1950-01-01 至 " + latest + " 之间）",
        "bad.csv 第4行，字段“驰名商标认定日期”（well_known_on），值“1899-12-30”：日期超出合理范围（应在 1980-01-01 至 "
        + latest + " 之间）"]


def workbook(header: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_excel_date_serials_at_the_ends_of_excels_calendar(store, registry):
    """Excel's serial 2958465 is 9999-12-31, its largest day; −1 and 0 fall before 1900-01-01 (day 1)."""
    header = MARKS.strip().split(",")
    data = workbook(header, [["S1", "甲", "某公司", "411521001", "ordinary", "否", None, datetime(9999, 12, 31)],
                             ["S2", "甲", "某公司", "411521001", "ordinary", "否", None, -1],
                             ["S3", "甲", "某公司", "411521001", "ordinary", "否", None, datetime(1899, 12, 30)]])
    before, version = contents(store), store.data_version()
    with pytest.raises(ImportRejected) as caught:
        import_files(store, [("trademarks", Source("serials.xlsx", data))], indicator_ids=set(registry.ids()))
    assert contents(store) == before and store.data_version() == version
    errors = [e for r in caught.value.results for e in r.errors]
    assert [(e.row, e.column) for e in errors] == [(2, "registered_on"), (3, "registered_on"), (4, "registered_on")]
    assert all(e.message.startswith(("日期超出合理范围", "不是有效日期")) for e in errors)


def test_deadline_placeholder_is_refused(store, registry):
    text = "code,article,task,lead_unit,due_on\nRW-99-01,第（一）条,某任务,县市场监督管理局,9999-12-31\n"
    [error] = refused(store, registry, "tasks", text)
    assert error.startswith("bad.csv 第2行，字段“完成时限”（due_on），值“9999-12-31”：日期超出合理范围（应在 1980-01-01 至 "
                            "2098-12-31 之间；2099 年及以后的日期是“无期限”的占位写法，不能作为期限）")


def test_period_of_year_9999_is_refused(store, registry):
    text = "indicator,region_code,period,value\ntrademarks_registered,411521,9999-12,3\n"
    [error] = refused(store, registry, "reported", text)
    assert "字段“期间”（period）" in error and "期间超出合理范围（年份应在 1980 至" in error


@pytest.fixture
def sample(db_url, registry):
    store = Store(db_url("sample"))
    import_files(store, kind_files(SAMPLE_DIR), indicator_ids=set(registry.ids()), mark_sample=True)
    yield store
    store.dispose()


def test_no_end_placeholders_are_stored_as_no_end_and_do_not_move_the_default_month(sample, registry):
    today = date(2026, 11, 27)
    latest = catalog.latest_month(sample)
    shown = readiness.default_month(sample, registry, latest, today)
    text = marks(("NE000001", "2024-01-01,9999-12-31,"), ("NE000002", "2024-01-01,2099-12-31,"),
                 ("NE000003", "2024-01-01,2999-12-31,"))
    patents = "patent_no,title,holder,region_code,patent_type,office,granted_on,ended_on\n" \
              "ZLNE1,某装置,某公司,411521001,invention,CN,2024-01-01,9999-12-31\n" \
              f"ZLNE2,某装置,某公司,411521001,invention,CN,2024-01-01,{latest_event().year + 3}-06-30\n"
    import_files(sample, [("trademarks", Source("marks.csv", text.encode())),
                          ("patents", Source("patents.csv", patents.encode()))], indicator_ids=set(registry.ids()))
    with sample.engine.connect() as connection:
        ends = pd.read_sql("SELECT reg_no, ended_on FROM trademarks "
                           "WHERE reg_no IN ('NE000001', 'NE000002', 'NE000003')", connection)
    assert len(ends) == 3 and ends["ended_on"].isna().all()
    # The patent expiring in a few years keeps its date, but like the placeholders moves no month.
    assert catalog.latest_month(sample) == latest
    assert readiness.default_month(sample, registry, catalog.latest_month(sample), today) == shown


# --- strict JSON (Clean JSON) and messages --------------------------------------------------------------------

def test_strict_json_turns_what_is_not_finite_into_null():
    text = strict_json([{"value": math.nan, "target": math.inf, "nested": [-math.inf, 1.5], "name": "甲"}])
    assert json.loads(text, parse_constant=_refuse) == [
        {"value": None, "target": None, "nested": [None, 1.5], "name": "甲"}]


def _refuse(constant: str):
    raise ValueError(f"not strict JSON: {constant}")


def test_status_json_is_strict_whatever_the_store_holds(fresh_small_store, capsys):
    # Written past validation, as an older version or another tool could have: before, status printed a bare NaN.
    with fresh_small_store.transaction() as tx:
        tx.stage(pd.DataFrame({"indicator": ["trademarks_registered"], "region_code": ["411521"],
                               "month": pd.to_datetime(["2021-04-30"]), "value": [1e308]}))
        tx.run_script(SQL_DIR / "imports" / "reported.sql")
        tx.drop_stage()
    code, out, err = call(capsys, "--db", fresh_small_store.url, "status", "--as-of", "2021-04", "--format", "json")
    assert code == 0, err
    records = json.loads(out, parse_constant=_refuse)
    assert "NaN" not in out and "Infinity" not in out and records


def test_messages_carry_no_english_from_pydantic():
    # A rule without a Chinese wording (and a library's English ValueError) says only that the value is refused.
    assert chinese_message({"type": "uuid_parsing", "msg": "Input should be a valid UUID"}) == "不符合要求"
    assert chinese_message({"type": "value_error", "msg": "Value error, day is out of range",
                            "ctx": {"error": ValueError("day is out of range for month")}}) == "不符合要求"
    assert chinese_message({"type": "string_too_long", "ctx": {"max_length": 40}}) == "过长（不能超过 40 个字符）"


# --- the command line --------------------------------------------------------------------------------------

def test_cli_refuses_an_overflowing_amount_in_chinese(store, tmp_path, capsys):
    path = tmp_path / "pledges.csv"
    path.write_text(PLEDGES + "ZY1,某公司,411521001,1e14,2025-03-01\n", encoding="utf-8")
    before, version = contents(store), store.data_version()
    code, out, err = call(capsys, "--db", store.url, "import", "pledges", str(path))
    assert code == 1 and "Traceback" not in out + err
    assert "pledges.csv 第2行，字段“融资金额（万元）”（amount_wan），值“1e14”：超出可存储的范围（最大 99,999,999,999,999.9999）" \
        in out + err
    assert "导入被拒绝，数据库未作任何改动" in out + err
    assert contents(store) == before and store.data_version() == version


def test_a_far_target_costs_no_more_than_a_near_one(fresh_small_store, capsys):
    """A township target of 1e12 (storable, plausible units unknown) made status sum 1e12 terms: it hung."""
    text = "indicator,region_code,target,target_date\ntrademarks_registered,411521001,1e12,2026-12-31\n"
    import_files(fresh_small_store, [("targets", Source("t.csv", text.encode()))])
    started = time.monotonic()
    code, out, err = call(capsys, "--db", fresh_small_store.url, "status", "--region", "411521001", "--format", "json")
    assert code == 0, err
    assert time.monotonic() - started < 60  # was unbounded; takes a second or two
    [record] = [r for r in json.loads(out, parse_constant=_refuse) if r["id"] == "trademarks_registered"]
    assert record["target"] == 1e12 and record["likelihood"] in (0.0, None)


def test_negative_binomial_tail_far_out_is_approximated():
    # r = 1e7 + ½ events over 12 months, 12 months to go: p = ½, mean = r(1 − p)/p = r; P(X ≥ mean) ≈ ½.
    assert outlook.negative_binomial_at_least(10**7, 10**7, 12, 12) == pytest.approx(0.5, abs=0.01)
    assert outlook.negative_binomial_at_least(10**12, 10**7, 12, 12) == 0.0
