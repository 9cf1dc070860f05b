"""The example city plan (data/examples/city): twelve indicators reported by offices, by quarter and by year,
monitoring ones without a target, targets aimed downwards (<=, <), four themes — through the commands a
statistician runs: check-goals, status, snapshot, compare, and the meeting briefing built on the snapshots.

The figures are the sample's (data/examples/city/sample_reported_*.csv); the expected values below are worked
out by hand from those files.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pptx
import pytest

from ipmetrics.cli import run
from ipmetrics.core.goals import load_registry
from ipmetrics.core.scorecard import scorecard
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.export import images
from ipmetrics.io.importer import import_files
from ipmetrics.meeting import briefing, readiness, snapshots
from ipmetrics.meeting.compare import compare, comparison_table
from ipmetrics.monthly import MonthlyResult

ROOT = Path(__file__).resolve().parents[1]
CITY_DIR = ROOT / "data" / "examples" / "city"
CITY = CITY_DIR / "indicators.toml"
KEYS = {"id", "value", "target", "completion", "expected", "projection", "status", "frequency", "period"}
MEETING_DAY = date(2026, 1, 5)


def load_city(url: str, folder: Path) -> Store:
    store = Store(url)
    city = load_registry(CITY)
    # The example's own files as they are: quarters and years in the 期间 column, checked against the
    # indicators' frequencies.
    files = [("regions", CITY_DIR / "sample_regions.csv"),
             *[("reported", path) for path in sorted(CITY_DIR.glob("sample_reported_*.csv"))]]
    results = import_files(store, files, indicator_ids={g.id: g.frequency for g in city.goals})
    assert all(result.ok for result in results), [result.errors for result in results]
    return store


@pytest.fixture(scope="module")
def city():
    return load_registry(CITY)


@pytest.fixture(scope="module")
def city_store(module_db_url, tmp_path_factory):
    store = load_city(module_db_url("city"), tmp_path_factory.mktemp("city_files"))
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def frozen(city_store, city):
    """November and December 2025 frozen, as two monthly meetings would."""
    settings = Settings(db_url=city_store.url, indicators_path=CITY)
    november = snapshots.freeze(city_store, city, settings, "2025-11", user="统计员")
    december = snapshots.freeze(city_store, city, settings, "2025-12", user="统计员")
    return settings, november, december


def call(capsys, store: Store, *args) -> tuple[int, str, str]:
    code = run(["--db", store.url, "--indicators", str(CITY), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_city_file_passes_check_goals(capsys):
    assert run(["check-goals", str(CITY)]) == 0
    assert "12 项目标（季度 4 项、年度 8 项；监测指标 3 项），校验通过" in capsys.readouterr().out


def test_status_json_gives_every_indicator_on_its_own_period(city_store, city, capsys):
    code, out, _ = call(capsys, city_store, "status", "--as-of", "2025-11", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert [r["id"] for r in records] == city.ids() and all(KEYS <= set(r) for r in records)
    by_id = {r["id"]: r for r in records}
    # As of November a quarterly indicator shows the third quarter (ended 30 September), a yearly one 2024.
    marks = by_id["trademarks_valid"]
    assert (marks["frequency"], marks["period"], marks["period_label"], marks["value"]) == \
        ("quarter", "2025-Q3", "2025年第三季度", 87300)
    assert marks["completion"] == pytest.approx(0.873)  # 87,300 ÷ 100,000
    assert marks["change"] == 2150                      # 87,300 − 85,150 (2025-Q2)
    patents = by_id["invention_patents_per_10k"]
    assert (patents["frequency"], patents["period"], patents["value"]) == ("year", "2024", 5.94)
    assert patents["expected"] == pytest.approx(5.2 + (8.0 - 5.2) / 3)  # 2024 is a third of 2023 → 2026
    monitored = by_id["patent_transfers"]
    assert monitored["target"] is None and monitored["status"] == "no_target" and monitored["monitoring"]
    assert by_id["adjudication_days"]["comparator"] == "<=" and by_id["adjudication_days"]["source"] == "reported"

    code, out, _ = call(capsys, city_store, "status", "--as-of", "2025-12", "--format", "json")
    by_id = {r["id"]: r for r in json.loads(out)}
    assert {r["period"] for r in by_id.values() if r["frequency"] == "quarter"} == {"2025-Q4"}
    assert {r["period"] for r in by_id.values() if r["frequency"] == "year"} == {"2025"}
    assert (by_id["trademarks_valid"]["value"], by_id["invention_patents_per_10k"]["value"]) == (89600, 6.71)


def test_status_table_names_periods_monitoring_and_unreported(city_store, capsys):
    code, out, _ = call(capsys, city_store, "status", "--as-of", "2025-11")
    assert code == 0
    header, *rows = out.splitlines()[1:]
    assert header.split()[:4] == ["指标", "id", "期间", "当前值"]
    marks = next(row.split() for row in rows if "trademarks_valid" in row)
    assert marks[:7] == ["有效注册商标量", "trademarks_valid", "2025年第三季度", "87,300", "≥", "100,000", "件"]
    transfers = next(row.split() for row in rows if "patent_transfers" in row)
    # The status is the last column but one: 达成可能性 follows it (— for a monitoring indicator).
    assert transfers[2:5] == ["2024年", "455", "监测指标"] and transfers[-2:] == ["监测指标", "—"]
    assert next(row for row in rows if "adjudication_days" in row).split()[4:6] == ["≤", "90"]
    # A district reports only some figures: the rest are 未上报, not 无数据.
    code, out, _ = call(capsys, city_store, "status", "--as-of", "2025-11", "--region", "990121")
    marks = next(row.split() for row in out.splitlines() if "trademarks_valid" in row)
    assert marks[-2:] == ["未上报", "—"]


def test_a_snapshot_reads_back_as_the_live_cards(city_store, city, frozen):
    settings, november, _ = frozen
    live = scorecard(city_store, city, settings, None, "2025-11")
    cards = snapshots.cards(city_store, city, november.id)
    assert [c.goal.id for c in cards] == city.ids()
    for kept, now in zip(cards, live):
        assert kept.period == now.period and kept.period_label == now.period_label
        assert kept.status == now.status and kept.baseline_period == now.baseline_period
        assert kept.frame.index.equals(now.frame.index)  # quarters or years, not months
        pd.testing.assert_series_equal(kept.frame["value"], now.frame["value"], check_names=False)
        for field in ("value", "target", "completion", "expected", "projection", "change"):
            assert getattr(kept.progress, field) == pytest.approx(getattr(now.progress, field), abs=1e-6), field
    marks = next(c for c in cards if c.goal.id == "trademarks_valid")
    assert str(marks.frame.index[-1]) == "2025Q3" and marks.frame["value"].iloc[-1] == 87300


def test_comparing_snapshots_names_the_periods_compared(city_store, city, frozen):
    _, november, december = frozen
    table = comparison_table(compare(snapshots.records(city_store, november.id),
                                     snapshots.records(city_store, december.id), city), city)
    assert list(table.columns[:5]) == ["指标", "上次期间", "上次", "本次期间", "本次"]
    marks = table[table["指标"] == "有效注册商标量"].iloc[0]
    assert (marks["上次期间"], marks["上次"], marks["本次期间"], marks["本次"], marks["变化"]) == \
        ("2025年第三季度", "87,300", "2025年第四季度", "89,600", "+2,300")
    transfers = table[table["指标"] == "专利转让许可次数"].iloc[0]
    assert (transfers["上次状态"], transfers["本次状态"], transfers["判断"]) == ("监测指标", "监测指标", "状态未变")
    pledges = table[table["指标"] == "质押融资登记金额"].iloc[0]
    assert pledges["状态变化"] == "预警 → 滞后"


def test_the_briefing_speaks_of_each_goal_on_its_own_terms(city_store, city, frozen):
    _, _, december = frozen
    view = briefing.meeting_view(city_store, city, december.id, MEETING_DAY)
    text = "".join(view.narrative)
    # 9 goals with a target: achieved 1 (repeat infringement 4.8 < 5), on track 3, at risk 4, off track 1.
    assert view.narrative[0] == (
        "截至2025年12月底，示例市知识产权工作12项主要指标（示例〔2024〕1号）中，9项设有目标值：已达成1项，正常推进3项，"
        "预警4项，滞后1项；另有监测指标3项。各指标取截至本月已结束的最近一期数值：季度指标为2025年第四季度，年度指标为2025年。")
    # A yearly goal: 8.10 ÷ 12 = 67.5%; 8.10 − 7.40 = 0.70; the line through 2021–2025 (3.2, 4.5, 6.5, 7.4,
    # 8.1) has slope 12.7 ÷ 10 = 1.27 and reads 5.94 + 1.27 × 3 = 9.75 at 2026; AP = (9.75 − 6.5) ÷ (12 − 6.5)
    # = 0.59 < 0.60: off track.
    # Its likelihood: the four yearly changes 1.3, 2.0, 0.9, 0.7 resampled for the one year left, none of
    # them the 3.9 still missing: 0, written <1%.
    assert ("知识产权质押融资登记金额2025年为8.10亿元，完成目标（≥ 12 亿元）的67.5%，较上年增加0.70亿元，"
            "按近5年趋势预计2026年底达到9.750亿元，状态为滞后；达成可能性<1%（可能性很小）。") in text
    # A goal aimed down (<= 90 days): (135 − 104) ÷ (135 − 90) = 68.9% of the way; 104 − 118 = −14; the line
    # through 150, 142, 135, 118, 104 has slope −116 ÷ 10 and reads 129.8 − 11.6 × 3 = 95.0 at 2026;
    # AP = (95 − 135) ÷ (90 − 135) = 0.89: at risk.
    # Its likelihood: of the four yearly changes −8, −7, −17, −14, two reach 90 from 104 in the year left: 1/2
    # (4,000 resampled draws give 0.4985, written 50%).
    assert ("专利侵权纠纷行政裁决平均办案周期2025年为104天，需在2026年底前降至90天以内，已完成应降幅度的68.9%，"
            "较上年减少14天，按近5年趋势预计2026年底降至95.0天，状态为预警；达成可能性50%（不确定）。") in text
    assert "知识产权重复侵权率2025年为4.8%，已达到目标（< 5 %），较上年减少1.3个百分点，状态为已达成。" in text
    # A quarterly goal names its quarter and compares with the quarter before.
    assert "有效注册商标量2025年第四季度为89,600件，完成目标（≥ 100,000 件）的89.6%，较上季度增加2,300件" in text
    # A monitoring indicator: value, change and trend, no target and no status count.
    assert "监测指标：" in text and "专利转让许可次数2025年为512次，较上年增加57次，近5年呈上升趋势（监测指标）。" in text
    assert "与上次快照（2025年11月快照第1版）相比：知识产权质押融资登记金额由预警转为滞后" in text


def test_the_goals_table_groups_by_theme_with_periods(city_store, city, frozen):
    _, _, december = frozen
    cards = snapshots.cards(city_store, city, december.id)
    table = briefing.goals_table(cards)
    assert list(table.columns[:4]) == ["主题", "指标", "期间", "当前值"]
    assert list(dict.fromkeys(table["主题"])) == ["创造", "运用", "保护", "服务"]
    assert table.columns[4] == "目标（2026年）" and "较上期" in table.columns
    first = table.iloc[0]  # 创造, behind schedule first: both at risk, the furthest behind first
    assert first["指标"] in ("每万人口发明专利", "有效注册商标量") and first["状态"] == "预警"
    transfers = table[table["指标"] == "专利转让许可次数"].iloc[0]
    assert (transfers["期间"], transfers["目标（2026年）"], transfers["状态"]) == ("2025年", "监测指标", "监测指标")
    content = briefing.build_briefing(city_store, city, briefing.meeting_view(city_store, city, december.id,
                                                                               MEETING_DAY), None, MEETING_DAY)
    assert "主题" not in content.goals and [g for g, _ in content.goal_groups] == ["创造", "运用", "保护", "服务"]
    assert sum(n for _, n in content.goal_groups) == len(content.goals) == 12
    slide = next(s for s in content.slides if s.goal_id == "patent_transfers")
    assert slide.status_label == "监测指标" and ("趋势", "近5年呈上升趋势") in slide.figures


def test_an_unreported_figure_is_frozen_with_a_warning(db_url, tmp_path, city, capsys):
    store = load_city(db_url("city_unreported"), tmp_path)
    settings = Settings(db_url=store.url, indicators_path=CITY)
    assert readiness.required_sources(city) == ("regions",)  # every figure is reported: only the regions needed
    assert readiness.missing_for(store, "2026-10", date(2026, 11, 27), readiness.required_sources(city)) == []
    assert readiness.not_yet_reported(store, city, settings, "2025-11") == []
    before = readiness.not_yet_reported(store, city, settings, "2026-10")  # what the page warns of before freezing
    # The 12315 office has not reported the third quarter of 2026 (the sample leaves it out on purpose).
    code, out, _ = call(capsys, store, "snapshot", "--month", "2026-10", "--user", "统计员")
    assert code == 0 and "已冻结 2026年10月快照第1版" in out
    assert "“12315知识产权投诉举报件数”2026年第三季度尚未上报（上报单位：市市场监督管理局消费者权益保护科）。" in out
    info = snapshots.latest(store)
    row = snapshots.records(store, info.id).set_index("goal_id").loc["complaints_12315_ip"]
    assert (row["status"], row["period"]) == ("no_data", "2026-Q3")
    assert snapshots.unreported(store, city, info.id) == before == [
        "“12315知识产权投诉举报件数”2026年第三季度尚未上报（上报单位：市市场监督管理局消费者权益保护科）。"]
    # Everything else reported for its latest period: 2026-Q3 and 2025.
    assert (snapshots.records(store, info.id)["status"] == "no_data").sum() == 1
    summary = MonthlyResult(info, False, tmp_path, unreported=snapshots.unreported(store, city, info.id)).summary()
    assert summary.splitlines()[1:] == [f"提示：{readiness.UNREPORTED_HEADING}", f"  · {before[0]}"]
    store.dispose()


@pytest.mark.browser
@pytest.mark.skipif(not images.available(), reason="needs Chromium (apt-get install chromium)")
def test_monthly_and_export_write_every_file_for_the_city(db_url, tmp_path, city, capsys):
    store = load_city(db_url("city_files"), tmp_path)
    assert call(capsys, store, "snapshot", "--month", "2025-11", "--user", "统计员")[0] == 0
    code, out, _ = call(capsys, store, "monthly", "--month", "2025-12", "--out", str(tmp_path / "reports"),
                        "--user", "统计员")
    assert code == 0 and "已冻结2025年12月快照第1版" in out
    folder = tmp_path / "reports" / "2025-12"
    stem = "2025-12_示例市_知识产权工作简报"
    document = docx.Document(folder / f"{stem}.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "有效注册商标量2025年第四季度为89,600件，完成目标（≥ 100,000 件）的89.6%，较上季度增加2,300件" in text
    goals = document.tables[0]
    assert [c.text for c in goals.rows[0].cells][:3] == ["指标", "期间", "当前值"]
    assert goals.rows[1].cells[0].text == "创造" and len(goals.rows) == 1 + 12 + 4  # header, goals, themes
    assert len(document.inline_shapes) == 12  # every indicator has figures: one chart each
    deck = pptx.Presentation(str(folder / f"{stem}.pptx"))
    titles = [slide.shapes.title.text for slide in deck.slides if slide.shapes.title is not None]
    assert all(sum(goal.name_zh in t for t in titles) == 1 for goal in city.goals)
    assert (folder / f"{stem}.pdf").stat().st_size > 10_000
    book = openpyxl.load_workbook(folder / "2025-12_数据表.xlsx")
    assert book.sheetnames[:3] == ["目标", "目标（季度）", "目标（年度）"]
    summary = [row for row in book["目标"].iter_rows(min_row=4, values_only=True)]
    assert summary[0][:3] == ("主题", "指标", "期间")
    assert ("保护", "知识产权重复侵权率", "2025年") == summary[1 + city.ids().index("repeat_infringement_rate")][:3]
    quarterly = list(book["目标（季度）"].iter_rows(min_row=4, values_only=True))
    assert quarterly[0][:2] == ("季度", "有效注册商标量（件）")
    assert quarterly[1][:2] == ("2025年第四季度", 89600) and quarterly[2][:2] == ("2025年第三季度", 87300)
    yearly = list(book["目标（年度）"].iter_rows(min_row=4, values_only=True))
    assert yearly[0][0] == "年度" and yearly[1][:2] == ("2025年", 6.71)

    code, out, _ = call(capsys, store, "export", "--as-of", "2025-11", "--out", str(tmp_path / "export"))
    assert code == 0
    files = {p.name for p in (tmp_path / "export").iterdir()}
    assert {"2025-11_有效注册商标量_趋势.png", "2025-11_专利转让许可次数_趋势.png", "2025-11_数据表.xlsx"} <= files
    quarterly = list(openpyxl.load_workbook(tmp_path / "export" / "2025-11_数据表.xlsx")["目标（季度）"]
                     .iter_rows(min_row=5, max_row=5, values_only=True))
    assert quarterly[0][:2] == ("2025年第三季度", 87300)  # as of November: the third quarter is the latest
    store.dispose()
