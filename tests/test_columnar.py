"""Column-wise validation (io/columnar.py) gives exactly what row-by-row validation gives: the same messages, in
the same order, with the same rows, fields and values, and the same typed rows to write — on the sample files,
on hand-made bad files of every kind, and on random files built from tricky cells (hypothesis)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipmetrics.core.settings import SAMPLE_DIR
from ipmetrics.io import columnar
from ipmetrics.io.checks import RegionScope, validate_frame
from ipmetrics.io.readers import Source, read_table
from ipmetrics.io.region_names import RegionNames
from ipmetrics.io.schemas import KINDS

REGIONS = pd.read_csv(SAMPLE_DIR / "regions.csv", dtype=str, keep_default_na=False)
KNOWN = set(REGIONS["code"])
PARENTS = {code: parent or None for code, parent in zip(REGIONS["code"], REGIONS["parent_code"])}
INDUSTRIES = {"茶叶": "茶叶", "绿色食品": "绿色食品", "电子信息": "电子信息", "纺织服装": "纺织服装", "茶": "茶叶"}
IDS = {"trademarks_total": "month", "invention_patents_per_10k": "year", "aid_station_consultations": "quarter"}
TASKS = {"RW-01-01", "RW-02-01"}


def both(kind_name: str, cells: pd.DataFrame, **options):
    """validate_frame both ways; asserts they agree and returns the (column-wise) result."""
    kind = KINDS[kind_name]
    options = {"known_regions": KNOWN, "indicator_ids": IDS, "industries": INDUSTRIES,
               "region_names": RegionNames(lambda: REGIONS), "referenced_keys": TASKS,
               "scope": RegionScope(dict(PARENTS), "411521"), **options}
    by_rows = validate_frame(kind, cells, "f.csv", by_columns=False, **options)
    by_columns = validate_frame(kind, cells, "f.csv", **options)
    assert by_columns[1] == by_rows[1]
    pd.testing.assert_frame_equal(by_columns[0], by_rows[0], check_dtype=True)
    return by_columns


def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Text cells indexed by spreadsheet row (the header is row 1), as read_table gives them."""
    cells = pd.DataFrame([{c: row.get(c, "") for c in columns} for row in rows], columns=columns, dtype=str)
    cells.index = range(2, len(rows) + 2)
    return cells


def test_plans_cover_the_large_kinds():
    # The kinds a province or nation office loads by the million are checked column-wise; the two whose
    # rules read raw cells (任务分工's 长期, 督办事项's status with its date) and regions stay row by row.
    planned = {name for name, kind in KINDS.items() if columnar.plan_for(kind) is not None}
    assert {"trademarks", "patents", "pledges", "enterprises", "brands", "targets"} <= planned
    assert {"tasks", "actions", "regions"}.isdisjoint(planned)


@pytest.mark.parametrize("kind_name", [k for k in KINDS if k != "regions"])
def test_the_sample_files_read_the_same_both_ways(kind_name):
    table = read_table(Source.from_path(SAMPLE_DIR / f"{kind_name}.csv"), kind=kind_name, allow_empty=True)
    typed, errors = both(kind_name, table.frame, industries=None, indicator_ids=None, referenced_keys=None)
    assert errors == [] and len(typed) == len(table.frame)


TRADEMARK_COLUMNS = KINDS["trademarks"].columns
GOOD_MARK = {"reg_no": "100", "mark_name": "灵山", "holder": "某公司", "region_code": "411521001",
             "mark_type": "ordinary", "is_gi": "否", "industry": "茶叶", "registered_on": "2020-01-02"}


def test_bad_trademarks_get_the_row_models_messages():
    rows = [
        GOOD_MARK,
        {**GOOD_MARK, "reg_no": "１０１", "is_gi": " 是 ", "mark_type": "证明商标", "registered_on": "2020年3月4日"},
        {**GOOD_MARK, "reg_no": "100\u200b"},                        # the first row's key, behind a zero-width space
        {**GOOD_MARK, "reg_no": "102", "holder": "  ", "registered_on": "2020-02-30"},
        {**GOOD_MARK, "reg_no": "103", "region_code": "周党镇"},     # a township by name: its code
        {**GOOD_MARK, "reg_no": "104", "region_code": "不存在镇"},
        {**GOOD_MARK, "reg_no": "105", "region_code": "411521999"},  # well formed, not a known region
        {**GOOD_MARK, "reg_no": "106", "ended_on": "2019-01-01", "well_known_on": "2018-5-6"},
        {**GOOD_MARK, "reg_no": "107", "ended_on": "9999-12-31", "industry": "茶"},  # no end; a synonym
        {**GOOD_MARK, "reg_no": "108", "industry": "钢铁", "mark_type": "unknown"},
        {**GOOD_MARK, "reg_no": "109", "registered_on": "1949-12-31"},
        {**GOOD_MARK, "reg_no": "110", "is_gi": "maybe", "ended_on": "2021-01-01"},
        {**GOOD_MARK, "reg_no": "110"},
        {**GOOD_MARK, "reg_no": " 111 ", "mark_name": "\u3000名\u3000", "industry": ""},
    ]
    typed, errors = both("trademarks", frame(rows, TRADEMARK_COLUMNS))
    assert list(typed["reg_no"]) == ["100", "101", "103", "107", "111"]
    assert typed.loc[typed["reg_no"] == "107", "industry"].item() == "茶叶"
    assert pd.isna(typed.loc[typed["reg_no"] == "107", "ended_on"].item())
    by_row = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error.message)
    # Rows are numbered as a spreadsheet shows them: the first data row is 2.
    assert by_row[4] == ["与第2行的注册号重复（去除不可见的零宽或方向控制字符后）"]
    assert by_row[7] == ["区划代码不存在，也没有名为“不存在镇”的区划（请先导入行政区划，或改填区划代码）"]
    assert by_row[8] == ["区划代码不存在（请先导入行政区划）"]
    assert by_row[9] == ["终止日期早于注册日期 2020-01-02", "驰名商标认定日期早于注册日期 2020-01-02"]
    # 110 twice: the first refused for its 地理标志, the second as its duplicate (a refused row keeps its key).
    assert by_row[13] == ["应为 true/false（或 是/否）"] and by_row[14] == ["与第13行的注册号重复"]


def test_the_order_rules_read_dates_the_model_kept():
    # 9999-12-31 is "no end" (kept blank), so it cannot be earlier than anything; a refused registration
    # date leaves the end date unchecked, as pydantic leaves a field validator without its other field.
    rows = [{**GOOD_MARK, "reg_no": "1", "registered_on": "2020-13-01", "ended_on": "2019-01-01"},
            {**GOOD_MARK, "reg_no": "2", "ended_on": "9999-12-31"}]
    typed, errors = both("trademarks", frame(rows, TRADEMARK_COLUMNS))
    assert [(e.row, e.column) for e in errors] == [(2, "registered_on")]
    assert list(typed["reg_no"]) == ["2"]


def test_enterprise_rules_across_cells_and_their_changes():
    columns = KINDS["enterprises"].columns
    base = {"credit_code": "91411521MA9XXXXX1A", "name": "甲", "region_code": "411521", "industry": "茶叶",
            "high_tech": "是", "tech_sme": "否"}
    rows = [{**base, "national_demo_on": "2024-05-01"},  # 示范 only: the first national designation too
            {**base, "credit_code": "91411521MA9XXXXX2B", "national_ip_on": "2024-01-01",
             "national_ip_until": "2023-01-01"},
            {**base, "credit_code": "91411521MA9XXXXX3C", "provincial_strong_until": "2025-01-01"},
            {**base, "credit_code": "bad"}]
    typed, errors = both("enterprises", frame(rows, columns))
    assert typed["national_ip_on"].iloc[0] == pd.Timestamp("2024-05-01")
    assert [(e.row, e.column) for e in errors] == [(3, "national_ip_until"), (4, "provincial_strong_until"),
                                                   (5, "credit_code")]


def test_reported_figures_periods_and_frequencies():
    columns = KINDS["reported"].columns
    rows = [{"indicator": "trademarks_total", "region_code": "411521", "month": "2025年9月", "value": "1,200"},
            {"indicator": "aid_station_consultations", "region_code": "411521", "period": "2025年第三季度",
             "value": "32"},
            {"indicator": "aid_station_consultations", "region_code": "411521", "period": "2025-Q3", "value": "1"},
            {"indicator": "invention_patents_per_10k", "region_code": "411521", "period": "2025-09", "value": "1"},
            {"indicator": "nope", "region_code": "411521", "period": "2025", "value": "x"},
            {"indicator": "trademarks_total", "region_code": "411521", "value": "3"}]
    typed, errors = both("reported", frame(rows, columns))
    assert len(typed) == 2 and len({e.row for e in errors}) == 4


def test_targets_below_the_plan_region_and_task_reports_naming_tasks():
    targets = [{"indicator": "trademarks_total", "region_code": "411521001", "target": "10", "target_date": "2026-12-31"},
               {"indicator": "trademarks_total", "region_code": "411521", "target": "10", "target_date": "2026-12-31"},
               {"indicator": "trademarks_total", "region_code": "411521001", "target": "-1", "target_date": "2026-12-31"}]
    typed, errors = both("targets", frame(targets, KINDS["targets"].columns))
    assert len(typed) == 1 and [e.row for e in errors] == [3, 4, 4]  # row 4: below 0, and row 2's key
    reports = [{"task_code": "RW-01-01", "period": "2025-Q3", "status": "推进中", "reporting_unit": "局",
                "reported_on": "2025-10-08"},
               {"task_code": "RW-09-09", "period": "2025", "status": "?", "reporting_unit": "局",
                "reported_on": "2025-10-08"},
               {"task_code": "RW-09-09", "period": "2025-Q3", "status": "done", "reporting_unit": "局",
                "reported_on": "2025-10-08"}]
    typed, errors = both("task_reports", frame(reports, KINDS["task_reports"].columns))
    assert list(typed["status"]) == ["in_progress"] and {e.row for e in errors} == {3, 4}


# Cells chosen to meet every rule: blanks, spaces of every width, full-width digits, zero-width characters,
# Chinese words for choices, dates in every spelling and out of range, numbers grouped or not.
TRICKY = {
    "reg_no": ["1", "2", "１", " 1", "1\u200b", "", "3"],
    "mark_name": ["灵山", " 灵山 ", "", "\u3000", "是"],
    "holder": ["某公司", "", "否", "\ufeff某公司"],
    "region_code": ["411521001", "411521", "４１１５２１００１", "41152100X", "周党镇", "某某镇", "411521999", ""],
    "mark_type": ["ordinary", "证明", "集体商标", "bad", "", " ordinary"],
    "is_gi": ["是", "否", "true", "FALSE", "", "√", "maybe"],
    "industry": ["茶叶", "茶", "钢铁", "", " 茶叶"],
    "registered_on": ["2020-01-02", "2020/1/2", "2020年1月2日", "2020-02-30", "1949-01-01", "", "２０２０-01-02"],
    "ended_on": ["", "2019-01-01", "2021-01-01", "9999-12-31", "1970-01-01", "x"],
    "well_known_on": ["", "2018-01-01", "2022-06-30", "2099-01-01"],
}


PATENT_TRICKY = {
    "patent_no": ["ZL1", "ZL2", "ZL1 ", ""], "title": ["一种装置", ""], "holder": ["某公司"],
    "region_code": ["411521001", "周党镇", "411521999"], "patent_type": ["发明", "invention", "design", "x"],
    "office": ["CN", "cn", "中国", "C N", ""], "industry": ["电子信息", "", "钢铁"],
    "applied_on": ["", "2020-01-01", "2024-01-01"], "granted_on": ["2022-01-01", "2019-12-31", ""],
    "ended_on": ["", "2021-01-01", "2030-01-01"], "high_value": ["", "是", "否", "x"],
}


PLEDGE_TRICKY = {
    "contract_no": ["ZY1", "ZY2", "ZY1"], "enterprise": ["某公司", ""], "region_code": ["411521001", "411521"],
    "amount_wan": ["500", "1,200.5", "0", "-1", "1e9", "nan", "abc", "100000000.00001", ""],
    "registered_on": ["2025-03-15", "2025/3/15", "3025-01-01"],
}


def test_a_frame_with_missing_cells_is_read_row_by_row():
    # A cell that is not text (NaN from a frame the reader did not make) has no column-wise reading: the
    # row model refuses it, as before.
    cells = frame([GOOD_MARK], TRADEMARK_COLUMNS).astype(object)
    cells.iloc[0, 1] = float("nan")
    typed, errors = both("trademarks", cells)
    assert typed.empty and [(e.row, e.column) for e in errors] == [(2, "mark_name")]
    cells = frame([GOOD_MARK, {**GOOD_MARK, "reg_no": "2"}], TRADEMARK_COLUMNS).astype(object)
    cells.iloc[0, 5], cells.iloc[1, 3] = True, 411521001  # a bool and a number among the text
    assert columnar.check(columnar.plan_for(KINDS["trademarks"]), cells) is None
    both("trademarks", cells)


ENTERPRISE_TRICKY = {
    "credit_code": ["91411521MA9XXXXX1A", "91411521MA9XXXXX2B", "91411521ma9xxxxx1a", "bad"],
    "name": ["甲", ""], "region_code": ["411521", "周党镇"], "industry": ["茶叶", "钢铁", ""],
    "high_tech": ["是", "否", ""], "tech_sme": ["否", "true"],
    "ip_standard_on": ["", "2023-06-30"], "national_ip_on": ["", "2022-01-01", "2025-01-01"],
    "national_demo_on": ["", "2023-01-01"], "national_ip_until": ["", "2024-01-01", "9999-12-31"],
    "provincial_strong_on": ["", "2022-05-01"], "provincial_strong_until": ["", "2021-01-01", "2026-01-01"],
    "national_ip_applied_on": ["", "2021-12-01", "2026-01-01"], "provincial_strong_applied_on": ["", "2022-06-01"],
}


BRAND_TRICKY = {
    "name": ["罗山渔稻米", "好品罗山", ""], "brand_type": ["集体", "gi", "地理标志商标", "x"],
    "region_code": ["411521002", "411521"], "filed_on": ["", "2025-06-18"], "accepted_on": ["", "2025-05-01", "2025-08-02"],
    "published_on": ["", "2025-07-01", "2025-09-01"], "registered_on": ["", "2025-12-01"],
    "rejected_on": ["", "2025-06-01"], "reg_no": ["", "123"], "note": ["", "备注"],
}


REPORTED_TRICKY = {
    "indicator": ["trademarks_total", "aid_station_consultations", "invention_patents_per_10k", "nope", ""],
    "region_code": ["411521", "411521001"], "period": ["", "2025-Q3", "2025年第三季度", "2025", "2025-09", "x"],
    "month": ["", "2025-09", "2025年9月", "2025-07"], "value": ["1", "1,200", "-3.5", "", "inf"],
}


# Each kind's tricky cells, and the most rows a random file of it has.
RANDOM_FILES = [("trademarks", TRICKY, 25), ("patents", PATENT_TRICKY, 20), ("pledges", PLEDGE_TRICKY, 20),
                ("enterprises", ENTERPRISE_TRICKY, 20), ("brands", BRAND_TRICKY, 15), ("reported", REPORTED_TRICKY, 15)]


@pytest.mark.parametrize("kind_name, cells, most", RANDOM_FILES, ids=[name for name, _, _ in RANDOM_FILES])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_files_agree(kind_name, cells, most, data):
    rows = data.draw(st.lists(st.fixed_dictionaries({c: st.sampled_from(v) for c, v in cells.items()}), min_size=1,
                              max_size=most))
    both(kind_name, frame(rows, KINDS[kind_name].columns))


@pytest.mark.parametrize("name, data", [
    ("utf8.csv", "reg_no,mark_name\n1,甲\n2,\"乙,丙\"\n".encode()),
    ("bom.csv", "\ufeffreg_no,mark_name\n1, 甲 \n".encode()),
    ("gbk.csv", "reg_no,mark_name\r\n1,甲\r\n2,乙\r\n".encode("gbk")),
    ("quoted-newline.csv", "reg_no,mark_name\n1,\"第一行\n第二行\"\n2,\"说 \"\"引号\"\"\"\n".encode()),
    ("no-final-newline.csv", b"reg_no,mark_name\n1,a"),
    ("empty-cells.csv", b"reg_no,mark_name,holder\n1,,\n,,x\n"),
    # Rows of other widths: Arrow's reader refuses them, pandas reads them (the fallback). A blank line is
    # a row of blank cells to both.
    ("title-line.csv", "商标统计表\nreg_no,mark_name\n1,甲\n".encode()),
    ("blank-line.csv", b"reg_no,mark_name\n1,a\n\n2,b\n"),
    ("short-row.csv", "reg_no,mark_name,holder\n1,a,b\n合计,2\n".encode()),
])
def test_arrow_and_pandas_read_a_csv_alike(name, data, monkeypatch):
    from ipmetrics.io import readers

    arrow_read, arrow_grid = [], readers._arrow_grid
    monkeypatch.setattr(readers, "_arrow_grid", lambda *args: arrow_read.append(arrow_grid(*args)) or arrow_read[-1])
    fast = readers.read_table(Source(name, data), allow_empty=True)
    # The regular files are Arrow's; the others fall back to pandas.
    assert (arrow_read[0] is not None) == (name not in {"title-line.csv", "short-row.csv"})
    monkeypatch.setattr(readers, "_arrow_grid", lambda *args: None)
    slow = readers.read_table(Source(name, data), allow_empty=True)
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert (fast.header_row, fast.skipped, fast.encoding) == (slow.header_row, slow.skipped, slow.encoding)


def test_staged_frames_read_back_as_written(empty_store):
    # The staging table is filled in bulk (PostgreSQL: Arrow's CSV through COPY): an empty text stays empty,
    # a missing value is NULL, quotes, commas and line breaks survive, numbers keep every digit.
    frame = pd.DataFrame({
        "text": ["", None, 'a "q", b\nc', "罗山"],
        "flag": [True, False, True, False],
        "whole": [1, -2, 3_000_000_000, 0],
        "real": [0.1, 1e-5, 12345678901234.5678, float("nan")],
        "day": pd.to_datetime(["2020-01-02", None, "1999-12-31", "2026-10-31"]),
        "nothing": [None, None, None, None],
    })
    from ipmetrics.core.store import _csv_for_copy

    assert _csv_for_copy(frame) is not None  # the bulk path, not the row-by-row fallback
    with empty_store.transaction() as tx:
        tx.stage(frame)
        back = pd.read_sql_query("SELECT * FROM import_staging", tx._connection)
        tx.drop_stage()
    assert back["text"].tolist()[0] == "" and back["text"].isna().tolist() == [False, True, False, False]
    assert back["text"].tolist()[2:] == ['a "q", b\nc', "罗山"]
    assert back["flag"].tolist() == [True, False, True, False]
    assert back["whole"].tolist() == [1, -2, 3_000_000_000, 0]
    assert back["real"].tolist()[:3] == [0.1, 1e-5, 12345678901234.5678] and pd.isna(back["real"].iloc[3])
    assert pd.to_datetime(back["day"]).tolist()[0] == pd.Timestamp("2020-01-02") and pd.isna(back["day"].iloc[1])
    assert back["nothing"].isna().all()


def test_a_column_with_ascii_aliases_cleans_as_clean_text():
    # No kind's alias is ASCII today; if one were, its word is looked up first and then read as a blank or
    # 是/否, as the row model does ("Y" → "是" → "true", "NA" → "" → missing).
    import pyarrow as pa
    from pydantic import TypeAdapter

    from ipmetrics.io.schemas import clean_text

    field = columnar.FieldCheck("x", False, {"NA": "", "Y": "是"}, TypeAdapter(list[str | None]))
    cells = ["NA", " Y ", "a", "是", "  "]
    assert columnar._cleaned(field, pa.array(cells)) == [clean_text(c, False, field.aliases) for c in cells]
    assert columnar._cleaned(field, pa.array(cells)) == [None, "true", "a", "true", None]
