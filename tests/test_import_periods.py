"""Reported figures by period: every spelling of a month, quarter or year is read, stored at the period's
last day and checked against the indicator's frequency; wrong periods, unknown indicators and one period
written twice are refused with file, row and field named, and nothing is written. The example city plan's
sample files import through `ipmetrics import` and `ipmetrics load-sample`; its template lists its
indicators."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from ipmetrics.cli import run
from ipmetrics.core.goals import load_registry
from ipmetrics.core.settings import DEFAULT_INDICATORS, SAMPLE_DIR
from ipmetrics.core.store import Store
from ipmetrics.demo.examples import example_files, sample_files
from ipmetrics.io.importer import ImportRejected, import_file, inferred_through, validate_frame
from ipmetrics.io.readers import Source
from ipmetrics.io.schemas import KINDS
from ipmetrics.io.templates import INDICATOR_SHEET, ReportedIndicator, template_workbook

CITY_DIR = Path(__file__).parent.parent / "data" / "examples" / "city"
CITY = CITY_DIR / "indicators.toml"
HOME = "990100"
HEADER = "indicator,region_code,period,month,value\n"


@pytest.fixture(scope="module")
def city():
    return load_registry(CITY)


@pytest.fixture(scope="module")
def frequencies(city):
    return {goal.id: goal.frequency for goal in city.goals}


@pytest.fixture
def city_store(empty_store):
    """The example city's regions, nothing else."""
    import_file(empty_store, "regions", CITY_DIR / "sample_regions.csv")
    return empty_store


def reported(store: Store) -> pd.DataFrame:
    frame = store.frame("reported_values", region=HOME)
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame.sort_values(["indicator", "month"]).reset_index(drop=True)


def log_rows(store: Store) -> int:
    return len(store.frame("import_log"))


# --- every spelling, stored at the period's last day ----------------------------------------------------
SPELLINGS = [
    # (indicator and its frequency, the period as written, the last day it is stored at)
    ("trademarks_valid", "2025-Q3", date(2025, 9, 30)),
    ("trademarks_valid", "2025Q3", date(2025, 9, 30)),
    ("trademarks_valid", "2025年第三季度", date(2025, 9, 30)),
    ("trademarks_valid", "2025年3季度", date(2025, 9, 30)),
    ("trademarks_valid", "２０２５－Ｑ４", date(2025, 12, 31)),  # full-width, as some offices type it
    ("service_agencies", "2025", date(2025, 12, 31)),
    ("service_agencies", "2025年", date(2025, 12, 31)),
    ("service_agencies", "2024年度", date(2024, 12, 31)),
    ("monthly", "2025-09", date(2025, 9, 30)),
    ("monthly", "2025年9月", date(2025, 9, 30)),
    ("monthly", "2025/2", date(2025, 2, 28)),
]


@pytest.mark.parametrize("indicator, written, stored_at", SPELLINGS)
def test_every_spelling_of_the_right_frequency_is_stored_at_the_periods_last_day(city_store, frequencies,
                                                                                 indicator, written, stored_at):
    ids = {**frequencies, "monthly": "month"}
    result = import_file(city_store, "reported", Source("r.csv", f"{HEADER}{indicator},{HOME},{written},,12.5\n"
                                                        .encode()), indicator_ids=ids)
    assert result.ok and result.rows_loaded == 1
    rows = reported(city_store)
    assert rows[["indicator", "month", "value"]].values.tolist() == [[indicator, stored_at, 12.5]]
    assert result.data_through == str(pd.Period(stored_at, freq="M"))  # what the import vouches for


def test_excel_cells_a_date_is_its_month_and_a_number_a_year(city_store, frequencies):
    book = Workbook()
    sheet = book.active
    sheet.append(["指标", "区划代码", "期间", "数值"])  # Chinese headers, no 月份 column
    sheet.append(["service_agencies", HOME, 2024, 30])
    sheet.append(["monthly", HOME, datetime(2025, 3, 1), 7])
    sheet.append(["monthly", HOME, datetime(2025, 4, 30), 8])  # any day of the month
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_file(city_store, "reported", Source("上报.xlsx", buffer.getvalue()),
                         indicator_ids={**frequencies, "monthly": "month"})
    assert result.rows_loaded == 3
    assert reported(city_store)[["indicator", "month", "value"]].values.tolist() == [
        ["monthly", date(2025, 3, 31), 7.0], ["monthly", date(2025, 4, 30), 8.0],
        ["service_agencies", date(2024, 12, 31), 30.0]]


def test_the_month_column_still_names_a_month_and_may_agree_with_the_period(city_store):
    csv = HEADER + f"m,{HOME},,2025-05,1\nm,{HOME},2025年6月,2025-06,2\n"
    import_file(city_store, "reported", Source("r.csv", csv.encode()), indicator_ids={"m": "month"})
    assert reported(city_store)["month"].tolist() == [date(2025, 5, 31), date(2025, 6, 30)]


def test_the_period_kept_is_its_machine_form_and_the_month_its_last_day():
    frame = pd.DataFrame([["q", HOME, "2025年第三季度", "", "1"], ["y", HOME, "2025年", "", "2"]],
                         columns=KINDS["reported"].columns, index=[2, 3])
    typed, errors = validate_frame(KINDS["reported"], frame, "r.csv", {HOME}, {"q": "quarter", "y": "year"})
    assert errors == []
    assert typed["period"].tolist() == ["2025-Q3", "2025"]
    assert typed["month"].tolist() == [pd.Timestamp("2025-09-30"), pd.Timestamp("2025-12-31")]
    # 2025 ends in December: an import of it vouches for December.
    assert inferred_through(KINDS["reported"], typed, datetime(2026, 1, 5)) == "2025-12"


# --- refused, with file, row and field, and nothing written --------------------------------------------
def refused(store: Store, csv: str, ids) -> list[str]:
    """The errors of an import that must write nothing: the stored figures and the import log unchanged."""
    before, logged, version = reported(store), log_rows(store), store.data_version()
    with pytest.raises(ImportRejected) as caught:
        import_file(store, "reported", Source("上报.csv", csv.encode()), indicator_ids=ids)
    pd.testing.assert_frame_equal(reported(store), before)
    assert (log_rows(store), store.data_version()) == (logged, version)
    return [str(e) for r in caught.value.results for e in r.errors]


VALID = f"trademarks_valid,{HOME},2025-Q2,,85150\n"  # a good row: even it is not written


def test_a_period_of_another_frequency_is_refused_on_its_column(city_store, frequencies):
    csv = HEADER + VALID + f"trademarks_valid,{HOME},2025-09,,1\nservice_agencies,{HOME},2025-Q4,,2\n" \
        f"trademarks_valid,{HOME},,2025-12,3\n"
    assert refused(city_store, csv, frequencies) == [
        "上报.csv 第3行，字段“期间”（period），值“2025-09”：指标 trademarks_valid 按季度统计，"
        "期间应写作季度（如 2025-Q3 或 2025年第三季度），不能是月份 2025-09",
        "上报.csv 第4行，字段“期间”（period），值“2025-Q4”：指标 service_agencies 按年统计，"
        "期间应写作年份（如 2025 或 2025年），不能是季度 2025-Q4",
        # A row naming its period in the month column is refused on that column.
        "上报.csv 第5行，字段“月份”（month），值“2025-12”：指标 trademarks_valid 按季度统计，"
        "期间应写作季度（如 2025-Q3 或 2025年第三季度），不能是月份 2025-12",
    ]


def test_an_unknown_indicator_is_refused_naming_the_choices(city_store, frequencies):
    errors = refused(city_store, HEADER + VALID + f"patents_total,{HOME},2025,,4\n", frequencies)
    assert len(errors) == 1
    assert errors[0].startswith("上报.csv 第3行，字段“指标”（indicator），值“patents_total”：不认识的指标（可选："
                                "adjudication_days、complaint_closure_rate、")


def test_one_period_written_two_ways_is_a_duplicate(city_store, frequencies):
    csv = HEADER + VALID + f"trademarks_valid,{HOME},2025年第二季度,,85200\n" \
        f"service_agencies,{HOME},2025,,36\nservice_agencies,{HOME},2025年,,37\n"
    assert refused(city_store, csv, frequencies) == [
        "上报.csv 第3行，字段“期间”（period），值“2025年第二季度”：与第2行重复（指标、区划代码、期间均相同）",
        "上报.csv 第5行，字段“期间”（period），值“2025年”：与第4行重复（指标、区划代码、期间均相同）",
    ]


def test_a_month_written_two_ways_is_a_duplicate_even_in_the_month_column(city_store):
    csv = HEADER + f"m,{HOME},2025-09,,1\nm,{HOME},,2025年9月,2\n"
    assert refused(city_store, csv, {"m": "month"}) == [
        "上报.csv 第3行，字段“月份”（month），值“2025年9月”：与第2行重复（指标、区划代码、期间均相同）"]


def test_a_row_without_period_or_with_two_that_disagree_is_refused(city_store, frequencies):
    csv = HEADER + VALID + f"trademarks_valid,{HOME},,,1\nmonthly,{HOME},2025-Q3,2025-09,2\n" \
        f"trademarks_valid,{HOME},2025-Q5,,3\n"
    assert refused(city_store, csv, {**frequencies, "monthly": "month"}) == [
        "上报.csv 第3行，字段“期间”（period）：请填写期间（如 2025-Q3、2025年），或按月统计的指标填写月份",
        "上报.csv 第4行，字段“期间”（period），值“2025-Q3”：期间（季度 2025-Q3）与月份 2025-09 不是同一期，两列只需填一项",
        "上报.csv 第5行，字段“期间”（period），值“2025-Q5”：不是有效期间（月写作 2025-09 或 2025年9月，"
        "季度写作 2025-Q3 或 2025年第三季度，年写作 2025 或 2025年）",
    ]


def test_a_file_with_neither_period_nor_month_column_is_refused_row_by_row(city_store, frequencies):
    errors = refused(city_store, f"indicator,region_code,value\ntrademarks_valid,{HOME},1\n", frequencies)
    assert errors == ["上报.csv 第2行，字段“期间”（period）：请填写期间（如 2025-Q3、2025年），或按月统计的指标填写月份"]


def test_a_set_of_ids_checks_the_ids_only(city_store, frequencies):
    # Callers that know no frequencies (a set) get today's check: any period, a known id.
    result = import_file(city_store, "reported", Source("r.csv", (HEADER + f"trademarks_valid,{HOME},2025,,1\n")
                                                        .encode()), indicator_ids=set(frequencies))
    assert result.rows_loaded == 1


# --- the example city's files, through the command line -----------------------------------------------
def data_rows(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) - 1


def test_the_city_files_import_through_the_command(db_url, monkeypatch, capsys):
    url = db_url("city_cli")
    monkeypatch.setenv("IPMETRICS_INDICATORS", str(CITY))
    assert run(["--db", url, "import", "regions", str(CITY_DIR / "sample_regions.csv")]) == 0
    for name in ("sample_reported_quarterly.csv", "sample_reported_yearly.csv"):
        assert run(["--db", url, "import", "reported", str(CITY_DIR / name)]) == 0
        assert f"写入 {data_rows(CITY_DIR / name)} 行，拒绝 0 行" in capsys.readouterr().out
    store = Store(url)
    figures = reported(store).set_index(["indicator", "month"])["value"]
    store.dispose()
    # The city's own rows: all 59 quarterly ones, and 8 yearly indicators × 5 years (2021–2025); the other
    # 47 yearly rows are its counties' (990102 …).
    assert len(figures) == 59 + 8 * 5
    assert figures[("trademarks_valid", date(2026, 9, 30))] == 96300   # 2026-Q3
    assert figures[("service_agencies", date(2025, 12, 31))] == 36     # 2025年

    # Under the bundled goal file the same files are refused, and nothing is written: there the id
    # invention_patents_per_10k is counted by month, and trademarks_valid is no indicator at all.
    monkeypatch.setenv("IPMETRICS_INDICATORS", str(DEFAULT_INDICATORS))
    store = Store(url)
    before, logged = reported(store), log_rows(store)
    assert run(["--db", url, "import", "reported", str(CITY_DIR / "sample_reported_yearly.csv")]) == 1
    assert "sample_reported_yearly.csv 第2行，字段“期间”（period），值“2021年”：指标 invention_patents_per_10k 按月统计，" \
           "期间应写作月份（如 2025-09 或 2025年9月），不能是年份 2021" in capsys.readouterr().err
    assert run(["--db", url, "import", "reported", str(CITY_DIR / "sample_reported_quarterly.csv")]) == 1
    assert "sample_reported_quarterly.csv 第2行，字段“指标”（indicator），值“trademarks_valid”：不认识的指标" in \
        capsys.readouterr().err
    pd.testing.assert_frame_equal(reported(store), before)
    assert log_rows(store) == logged
    store.dispose()


def test_load_sample_adds_the_city_files_beside_its_goal_file(db_url, monkeypatch, capsys):
    url = db_url("city_sample")
    monkeypatch.setenv("IPMETRICS_INDICATORS", str(CITY))
    assert run(["--db", url, "load-sample"]) == 0
    out = capsys.readouterr().out
    # The bundled 督办事项 about Luoshan's own goals have no place in the city's plan.
    assert "actions.csv 中 4 行所涉指标不在当前目标文件中，未导入" in out
    store = Store(url)
    try:
        assert store.is_sample()
        regions = set(store.frame("region_codes")["code"])
        assert {"411521", "990100", "990122"} <= regions
        log = store.frame("import_log").set_index("file_name")
        for name in ("sample_reported_quarterly.csv", "sample_reported_yearly.csv"):
            assert log.loc[name, "rows_loaded"] == data_rows(CITY_DIR / name)  # every period ended by 2026-10
        # The one item on a goal the city's plan also has, and the sample's item on a task (RW-08-01), which
        # names no goal; the tasks load with the city's plan too.
        assert len(store.frame("actions")) == 2
        assert reported(store).set_index(["indicator", "month"]).loc[
            ("complaint_closure_rate", date(2026, 9, 30)), "value"] == 97.6
    finally:
        store.dispose()


def test_the_bundled_goal_file_has_no_sample_files_beside_it():
    assert example_files(DEFAULT_INDICATORS) == []
    bundled = sample_files(SAMPLE_DIR, DEFAULT_INDICATORS, load_registry(DEFAULT_INDICATORS).ids(),
                           pd.Period("2026-10", freq="M"))
    assert [(f.kind, f.source.name, f.left_out) for f in bundled] == [
        (kind, f"{kind}.csv", None) for kind in KINDS if (SAMPLE_DIR / f"{kind}.csv").is_file()]
    assert all(f.source.data == (SAMPLE_DIR / f.source.name).read_bytes() for f in bundled)


def test_reported_rows_after_the_last_complete_month_are_left_out_keeping_row_numbers(tmp_path, city_store,
                                                                                    frequencies):
    (tmp_path / "indicators.toml").write_text("", encoding="utf-8")
    (tmp_path / "sample_reported_x.csv").write_text(
        HEADER + f"trademarks_valid,{HOME},2026-Q2,,1\ntrademarks_valid,{HOME},2026-Q3,,2\n"
        f"service_agencies,{HOME},2026,,3\nenforcement_cases_closed,{HOME},2026-Q1,,many\n", encoding="utf-8")
    files = sample_files(SAMPLE_DIR, tmp_path / "indicators.toml", frequencies, pd.Period("2026-08", freq="M"))
    extra = files[-1]
    # 2026-Q3 ends in September and 2026 in December, both after August 2026.
    assert extra.left_out == "sample_reported_x.csv 中 2 行的期间在2026年8月之后，未导入"
    with pytest.raises(ImportRejected) as caught:
        import_file(city_store, "reported", extra.source, indicator_ids=frequencies)
    # The bad row is still named by its line in the file.
    assert [str(e) for e in caught.value.results[0].errors] == [
        "sample_reported_x.csv 第5行，字段“数值”（value），值“many”：应为数值"]


def test_a_sample_file_of_no_kind_is_named(tmp_path):
    (tmp_path / "sample_budget.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="sample_budget.csv：文件名应为 sample_<类型>….csv"):
        example_files(tmp_path / "indicators.toml")


# --- the template lists the indicators ---------------------------------------------------------------
def sheets(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data))
    return {name: list(book[name].values) for name in book.sheetnames}


def test_the_reported_template_lists_the_city_indicators_with_their_periods(city, frequencies):
    made = sheets(template_workbook("reported", city.industries, city.ids(),
                                    [ReportedIndicator.of(g) for g in city.goals]))
    assert list(made) == ["数据", "说明", "示例", INDICATOR_SHEET]
    listed = pd.DataFrame(made[INDICATOR_SHEET][1:], columns=made[INDICATOR_SHEET][0])
    assert list(listed.columns) == ["指标", "名称", "统计频率", "期间写法", "单位", "上报单位", "数值来源"]
    assert list(listed["指标"]) == city.ids()  # all 12 are reported only: the file's order
    by_id = listed.set_index("指标")
    assert by_id.loc["trademarks_valid", ["统计频率", "期间写法", "单位", "上报单位"]].tolist() == [
        "季度", "2025-Q3 或 2025年第三季度", "件", "市市场监督管理局（知识产权局）"]
    assert by_id.loc["adjudication_days", ["统计频率", "期间写法", "单位"]].tolist() == ["年度", "2025 或 2025年", "天"]
    assert sorted(by_id["统计频率"].value_counts().items()) == [("季度", 4), ("年度", 8)]
    assert set(by_id["数值来源"]) == {"仅来自上报"}
    # The example: the first indicator in a period of its frequency (a year), valid under the city's file.
    example = dict(zip(made["示例"][0], made["示例"][1]))
    assert (example["指标"], example["期间"], example["月份"]) == ("invention_patents_per_10k", "2025", None)
    frame = pd.DataFrame([["" if v is None else str(v) for v in made["示例"][1]]], columns=made["示例"][0], index=[2])
    assert validate_frame(KINDS["reported"], frame, "示例", {example["区划代码"]}, frequencies)[1] == []


def test_reported_only_indicators_come_first_then_those_a_report_overrides(registry):
    computed = [g for g in registry.goals if not g.reported_only]  # the county's computed ones, by month
    derived = [ReportedIndicator.of(g) for g in computed]
    office = ReportedIndicator("cases", "执法案件", "quarter", "件", "县市场监督管理局", True)
    made = sheets(template_workbook("reported", None, None, [*derived, office]))
    listed = [row[0] for row in made[INDICATOR_SHEET][1:]]
    assert listed == ["cases", *(g.id for g in computed)]
    assert made[INDICATOR_SHEET][2][6] == "由明细记录计算；上报的数值优先"
    assert dict(zip(made["示例"][0], made["示例"][1]))["期间"] == "2025-Q3"
    # The county's own template: its first goal, by month.
    county = sheets(template_workbook("reported", None, registry.ids(), derived))
    assert dict(zip(county["示例"][0], county["示例"][1]))["期间"] == "2025-09"
    # Other kinds get no list.
    assert list(sheets(template_workbook("actions", None, registry.ids(), derived))) == ["数据", "说明", "示例"]


# --- the 数据导入 page checks periods against the goal file ------------------------------------------
def test_the_import_page_refuses_a_period_of_another_frequency_then_loads_a_good_file(monkeypatch, city_store):
    from .conftest import EDITOR
    from .test_pages import open_app

    monkeypatch.setenv("IPMETRICS_INDICATORS", str(CITY))
    app = open_app(monkeypatch, city_store, "pages/data_import.py", editor=EDITOR)
    bad = ("指标,区划代码,期间,数值\n" + f"trademarks_valid,{HOME},2025年第二季度,85150\n"
           f"trademarks_valid,{HOME},2025-09,87300\n").encode("utf-8")
    app.main.get("file_uploader")[0].set_value(("上报.csv", bad, "text/csv")).run()
    assert app.main.selectbox(key="import_kind").value == "reported"  # guessed from the header
    assert any("校验发现 1 处问题，涉及 1 行" in e.value for e in app.main.error)
    problem = app.main.dataframe[1].value.iloc[0]
    assert (problem["行号"], problem["列名"], problem["值"]) == (3, "period", "2025-09")
    assert problem["问题"].startswith("指标 trademarks_valid 按季度统计")
    assert app.main.button[0].disabled and reported(city_store).empty  # all or nothing

    good = bad.replace(b"2025-09", "2025年第三季度".encode())
    app.main.get("file_uploader")[0].set_value(("上报2.csv", good, "text/csv")).run()
    assert any("校验通过：2 行均可导入" in s.value for s in app.main.success)
    app.main.button[0].click().run()
    assert reported(city_store)["month"].tolist() == [date(2025, 6, 30), date(2025, 9, 30)]
