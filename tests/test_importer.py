"""Imports: every kind loads; a bad row changes nothing and is named; re-imports never double count."""

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from ipmetrics.core.scorecard import scorecard, status_records
from ipmetrics.core.settings import Settings
from ipmetrics.io.importer import ImportRejected, import_file, import_files
from ipmetrics.io.schemas import KINDS

from .conftest import SMALL, kind_files

TABLES = ["regions", "region_closure", "population", "trademarks", "patents", "pledges", "enterprises",
          "brands", "reported", "meta"]


def contents(store, ignore: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: equal contents mean an unchanged store."""
    with store.engine.connect() as connection:
        return {t: sorted(map(tuple, pd.read_sql(f"SELECT * FROM {t}", connection)
                              .drop(columns=list(ignore), errors="ignore").astype(str).to_numpy()))
                for t in TABLES}


def without_version(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """`contents` but the data version, which a restore moves on rather than back."""
    return {**tables, "meta": [row for row in tables["meta"] if row[0] != "data_version"]}


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


@pytest.fixture
def loaded(fresh_small_store):
    return fresh_small_store


def test_every_kind_loads_and_is_logged(loaded):
    for kind, path in kind_files(SMALL):
        _, rows = read_rows(path)
        table = {"targets": "region_targets"}.get(kind, kind)  # the one kind whose table is named otherwise
        with loaded.engine.connect() as connection:
            count = pd.read_sql(f"SELECT COUNT(*) AS n FROM {table}", connection)["n"][0]
        assert count == len(rows), kind
    log = loaded.frame("import_log")
    assert sorted(log["kind"]) == sorted(KINDS)
    assert set(log["rows_rejected"]) == {0} and len(set(log["sha256"])) == len(KINDS)
    assert loaded.data_version() == 1  # one batch, one transaction, one bump
    closure = loaded.frame("regions")
    assert dict(zip(closure["code"], closure["depth"])) == {"411521": 0, "411521001": 1, "411521101": 1}


def test_bad_rows_are_named_and_nothing_is_written(loaded, tmp_path):
    header, rows = read_rows(SMALL / "trademarks.csv")
    bad = [
        ["N1", "甲", "某公司", "411521001", "ordinary", "false", "", "2021-13-01", "", ""],        # row 2
        ["N2", "乙", "某公司", "411521001", "brand", "false", "", "2021-01-01", "", ""],           # row 3
        ["N3", "丙", "某公司", "411521001", "ordinary", "false", "", "2021-05-01", "2021-04-30", ""],  # row 4
        ["N4", "丁", "某公司", "999999001", "ordinary", "maybe", "", "2021-01-01", "", ""],        # row 5
        ["N1", "戊", "某公司", "411521001", "ordinary", "false", "", "2021-01-01", "", ""],        # row 6
        ["N6", "", "某公司", "411521001", "ordinary", "false", "", "2021-01-01", "", ""],          # row 7
    ]
    path = write_csv(tmp_path / "bad.csv", header, bad)
    before = contents(loaded)
    with pytest.raises(ImportRejected) as caught:
        import_file(loaded, "trademarks", path)
    messages = [str(e) for e in caught.value.results[0].errors]
    assert messages == [
        "bad.csv 第2行，字段“注册日期”（registered_on），值“2021-13-01”：不是有效日期（月份或日期超出范围）",
        "bad.csv 第3行，字段“商标类型”（mark_type），值“brand”：取值不在允许范围内（可选：ordinary、collective、certification）",
        "bad.csv 第4行，字段“终止日期”（ended_on），值“2021-04-30”：终止日期早于注册日期 2021-05-01",
        "bad.csv 第5行，字段“地理标志”（is_gi），值“maybe”：应为 true/false（或 是/否）",
        "bad.csv 第6行，字段“注册号”（reg_no），值“N1”：与第2行的注册号重复",
        "bad.csv 第7行，字段“商标名称”（mark_name）：必填项为空",
    ]
    assert "数据库未作任何改动" in str(caught.value)
    assert contents(loaded) == before


def test_unknown_region_is_named(loaded, tmp_path):
    header, _ = read_rows(SMALL / "trademarks.csv")
    path = write_csv(tmp_path / "t.csv", header,
                     [["N9", "己", "某公司", "411521999", "ordinary", "false", "", "2021-01-01", "", ""]])
    with pytest.raises(ImportRejected) as caught:
        import_file(loaded, "trademarks", path)
    assert str(caught.value.results[0].errors[0]) == (
        "t.csv 第2行，字段“区划代码”（region_code），值“411521999”：区划代码不存在（请先导入行政区划）")


def test_missing_column_is_named_on_the_header_row(loaded, tmp_path):
    header, rows = read_rows(SMALL / "patents.csv")
    keep = [i for i, name in enumerate(header) if name != "granted_on"]
    path = write_csv(tmp_path / "p.csv", [header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    with pytest.raises(ImportRejected) as caught:
        import_file(loaded, "patents", path)
    assert [str(e) for e in caught.value.results[0].errors] == ["p.csv 第1行，字段“授权日期”（granted_on）：缺少必需的列"]


def test_one_bad_file_in_a_batch_stops_the_whole_batch(empty_store, registry, tmp_path):
    shutil.copytree(SMALL, tmp_path / "batch")
    header, rows = read_rows(tmp_path / "batch" / "pledges.csv")
    rows[1][5] = "-5"
    write_csv(tmp_path / "batch" / "pledges.csv", header, rows)
    before = contents(empty_store)
    with pytest.raises(ImportRejected) as caught:
        import_files(empty_store, kind_files(tmp_path / "batch"), indicator_ids=set(registry.ids()))
    (pledges,) = [r for r in caught.value.results if r.kind == "pledges"]
    assert str(pledges.errors[0]).endswith("值“-5”：应大于 0")
    assert all(r.ok for r in caught.value.results if r.kind != "pledges")
    assert contents(empty_store) == before and empty_store.data_version() == 0


def test_accept_valid_loads_only_the_valid_rows(loaded, tmp_path):
    header, _ = read_rows(SMALL / "trademarks.csv")
    path = write_csv(tmp_path / "mixed.csv", header, [
        ["M1", "好", "某公司", "411521001", "ordinary", "是", "", "2021-01-01", "", ""],
        ["M2", "坏", "某公司", "411521001", "ordinary", "false", "", "not a date", "", ""],
    ])
    result = import_file(loaded, "trademarks", path, accept_valid=True)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected, result.committed) == (2, 1, 1, True)
    marks = loaded.frame("import_log")
    assert marks.iloc[0]["rows_rejected"] == 1
    with loaded.engine.connect() as connection:
        # text(): a bare % is a placeholder to psycopg, and SQLAlchemy escapes it only in text()
        stored = pd.read_sql(text("SELECT reg_no, is_gi FROM trademarks WHERE reg_no LIKE 'M%'"), connection)
    assert stored.values.tolist() == [["M1", True]]


def test_dry_run_writes_nothing(loaded, tmp_path):
    before = contents(loaded)
    result = import_file(loaded, "trademarks", SMALL / "trademarks.csv", dry_run=True)
    assert result.ok and not result.committed and result.rows_read == 5
    assert contents(loaded) == before


def test_importing_twice_gives_the_same_figures_as_once(loaded, registry):
    settings = Settings(db_url=loaded.url)
    once = status_records(scorecard(loaded, registry, settings, None, "2021-06"))
    before = contents(loaded, ignore=("updated_at",))  # when a brand row was last written
    import_files(loaded, kind_files(SMALL), indicator_ids=set(registry.ids()))
    after = contents(loaded, ignore=("updated_at",))
    assert {t: v for t, v in after.items() if t != "meta"} == {t: v for t, v in before.items() if t != "meta"}
    assert status_records(scorecard(loaded, registry, settings, None, "2021-06")) == once


def test_an_updated_row_replaces_the_stored_one(loaded, registry, tmp_path):
    header, rows = read_rows(SMALL / "trademarks.csv")
    rows = [r for r in rows if r[0] == "T1"]
    rows[0][8] = "2021-04-15"  # T1 ended
    import_file(loaded, "trademarks", write_csv(tmp_path / "t1.csv", header, rows))
    cards = {c.goal.id: c for c in scorecard(loaded, registry, Settings(db_url=loaded.url), None, "2021-06")}
    assert cards["trademarks_registered"].progress.value == 2  # T3, T4 (T2 ended in March)
    with loaded.engine.connect() as connection:
        assert pd.read_sql("SELECT COUNT(*) AS n FROM trademarks", connection)["n"][0] == 5


def test_chinese_headers_are_accepted(loaded, tmp_path):
    kind = KINDS["pledges"]
    path = write_csv(tmp_path / "质押.csv", [kind.labels[c] for c in kind.columns],
                     [["L9", "某企业", "411521101", "专利权", "某银行", "12.5", "2021-07-01"]])
    assert import_file(loaded, "pledges", path).rows_loaded == 1


def test_reported_indicator_must_be_a_goal(loaded, registry, tmp_path):
    path = write_csv(tmp_path / "r.csv", ["indicator", "region_code", "month", "value"],
                     [["patents_total", "411521", "2021-05", "3"], ["gi_marks", "411521", "2021-13", "3"]])
    with pytest.raises(ImportRejected) as caught:
        import_file(loaded, "reported", path, indicator_ids=set(registry.ids()))
    errors = [str(e) for e in caught.value.results[0].errors]
    assert errors[0].startswith("r.csv 第2行，字段“指标”（indicator），值“patents_total”：不认识的指标")
    assert errors[1] == "r.csv 第3行，字段“月份”（month），值“2021-13”：不是有效月份（可写作 2025-03、2025/3 或 2025年3月）"


def test_region_parent_must_exist(empty_store, tmp_path):
    path = write_csv(tmp_path / "regions.csv", ["code", "name", "level", "parent_code"],
                     [["411521", "罗山县", "county", "411500"]])
    with pytest.raises(ImportRejected, match="上级区划代码既不在文件中，也不在数据库中"):
        import_file(empty_store, "regions", path)


TRADEMARK_HEADER, TRADEMARK_ROWS = read_rows(SMALL / "trademarks.csv")
JUNK = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from(["", " ", "2021-02-30", "1e9", "-1", "NaN", "TRUE?", "４１１５２１００１", "'; DROP TABLE trademarks; --"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=st.sampled_from(["reg_no", "region_code", "mark_type", "is_gi", "registered_on", "ended_on"]),
       junk=JUNK, row=st.integers(min_value=0, max_value=len(TRADEMARK_ROWS) - 1))
def test_malformed_rows_are_rejected_cleanly(loaded, tmp_path, column, junk, row):
    rows = [list(r) for r in TRADEMARK_ROWS]
    rows[row][TRADEMARK_HEADER.index(column)] = junk
    path = write_csv(tmp_path / "junk.csv", TRADEMARK_HEADER, rows)
    before = contents(loaded)
    try:
        result = import_file(loaded, "trademarks", path)
    except ImportRejected as rejected:
        errors = rejected.results[0].errors
        assert errors and all(e.file == "junk.csv" and e.message for e in errors)
        assert row + 2 in {e.row for e in errors}  # the changed row is among those named
        assert contents(loaded) == before
    else:
        assert result.committed and result.rows_loaded == len(rows)
