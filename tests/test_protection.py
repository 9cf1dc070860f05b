"""知识产权保护: the protection indicators (theme 保护) quarter by quarter, the rates the goal file declares
between them, the page, and the goal file's declared rates; also the derived high-value patent indicator."""

from pathlib import Path

import pandas as pd
import pytest

from ipmetrics.core.goals import RegistryError, parse_registry
from ipmetrics.core.scorecard import scorecard
from ipmetrics.core.settings import SAMPLE_DIR, Settings
from ipmetrics.io.importer import import_file
from ipmetrics.io.readers import Source
from ipmetrics.themes import protection

from .test_pages import open_app

# A small plan: two quarterly protection indicators with a declared rate, one yearly, one of another theme.
PLAN = """
title = "t"
policy = "p"
policy_title = "pt"
region = "411521"

[[indicators]]
id = "received"
name_zh = "投诉受理量"
name_en = "x"
unit = "件"
kind = "count"
frequency = "quarter"
article = "第（十三）条"
definition = "d"
source = "s"
theme = "保护"

[[indicators]]
id = "closed"
name_zh = "投诉办结量"
name_en = "x"
unit = "件"
kind = "count"
frequency = "quarter"
article = "第（十三）条"
definition = "d"
source = "s"
theme = "保护"

[[indicators]]
id = "training"
name_zh = "培训人次"
name_en = "x"
unit = "人次"
kind = "count"
frequency = "year"
article = "第（十六）条"
definition = "d"
source = "s"
theme = "保护"

[[indicators]]
id = "pct"
name_zh = "PCT申请"
name_en = "x"
unit = "件"
kind = "count"
frequency = "year"
article = "第（四）条"
definition = "d"
source = "s"
theme = "创造"

[[rates]]
id = "closure"
name_zh = "办结率"
numerator = "closed"
denominator = "received"
"""


def plan(extra: str = ""):
    return parse_registry(PLAN + extra, Path("plan.toml"))


def reported(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    """indicator, period's last month (YYYY-MM), value — as RegionData.reported holds them."""
    return pd.DataFrame({"indicator": [r[0] for r in rows],
                         "month": pd.PeriodIndex([r[1] for r in rows], freq="M"),
                         "value": [float(r[2]) for r in rows]})


def test_quarterly_values_and_the_closure_rate_from_a_small_fixture():
    figures = reported([
        ("received", "2025-06", 20), ("closed", "2025-06", 19),
        ("received", "2025-09", 16),                             # 2025-Q3: closed not reported
        ("received", "2025-12", 25), ("closed", "2025-12", 25),
        ("received", "2026-03", 40), ("closed", "2026-03", 38),  # 2026-Q1: after the month viewed
        ("training", "2024-12", 300), ("pct", "2024-12", 2),
    ])
    view = protection.protection_view(plan(), figures, pd.Period("2026-02", freq="M"))
    assert [goal.id for goal in view.goals] == ["received", "closed", "training"]  # by theme, not by id
    quarter, year = view.blocks
    assert (quarter.frequency, year.frequency) == ("quarter", "year")
    assert [rate.id for rate in quarter.rates] == ["closure"] and year.rates == []
    # As of 2026-02 the latest quarter ended is 2025-Q4; rows run from the first reported, 2025-Q2.
    assert [str(p) for p in quarter.values.index] == ["2025Q2", "2025Q3", "2025Q4"]
    # 办结率 = 办结 ÷ 受理 × 100: 19 ÷ 20 = 95.0; Q3 has no 办结 figure, so no rate; 25 ÷ 25 = 100.0.
    rates = quarter.values["closure"].tolist()
    assert rates[0] == pytest.approx(95.0) and pd.isna(rates[1]) and rates[2] == pytest.approx(100.0)
    table = quarter.text_table()
    assert list(table.columns) == ["季度", "投诉受理量（件）", "投诉办结量（件）", "办结率（%）"]
    assert table.to_dict("records") == [  # newest first; — where not reported
        {"季度": "2025年第四季度", "投诉受理量（件）": "25", "投诉办结量（件）": "25", "办结率（%）": "100.0"},
        {"季度": "2025年第三季度", "投诉受理量（件）": "16", "投诉办结量（件）": "—", "办结率（%）": "—"},
        {"季度": "2025年第二季度", "投诉受理量（件）": "20", "投诉办结量（件）": "19", "办结率（%）": "95.0"},
    ]
    assert quarter.latest("closure") == (pd.Period("2025Q4", freq="Q"), pytest.approx(100.0))
    # The latest year ended by 2026-02 is 2025, not reported yet: its row reads —.
    assert year.text_table().to_dict("records") == [{"年度": "2025年", "培训人次（人次）": "—"},
                                                    {"年度": "2024年", "培训人次（人次）": "300"}]


def test_a_rate_with_a_zero_denominator_is_not_worked_out():
    rate = plan().rates[0]
    assert rate.value(0, 0) is None and rate.value(3, None) is None and rate.value(3, 4) == 75.0  # 3 ÷ 4 × 100


def test_a_plan_without_protection_indicators_has_an_empty_view():
    text = PLAN.replace('theme = "保护"', 'theme = "运用"')
    view = protection.protection_view(parse_registry(text, Path("p.toml")), reported([]), pd.Period("2025-12"))
    assert view.empty and view.blocks == []


@pytest.mark.parametrize("extra, message", [
    ('\n[[rates]]\nid = "x"\nname_zh = "x"\nnumerator = "closed"\ndenominator = "nothing"\n',
     "比率 x 引用的指标 nothing 不在本文件的指标中"),
    ('\n[[rates]]\nid = "x"\nname_zh = "x"\nnumerator = "training"\ndenominator = "received"\n',
     "比率 x 的分子与分母统计频率不同"),
    ('\n[[rates]]\nid = "x"\nname_zh = "x"\nnumerator = "closed"\ndenominator = "closed"\n',
     "比率 x 的分子与分母是同一指标"),
])
def test_a_declared_rate_must_divide_two_indicators_of_the_file_of_one_frequency(extra, message):
    with pytest.raises(RegistryError) as caught:
        plan(extra)
    assert message in caught.value.problems[0]


def test_the_bundled_rates_pair_protection_indicators(registry):
    goals = {goal.id: goal for goal in protection.protection_goals(registry)}
    assert registry.rates and all(rate.numerator in goals and rate.denominator in goals for rate in registry.rates)


# --- the page, on the hand-made fixture with protection figures of the bundled goal file -----------------
FIGURES = """indicator,region_code,period,value
enforcement_cases_opened,411521,2025-Q3,8
enforcement_cases_closed,411521,2025-Q3,6
enforcement_cases_opened,411521,2025-Q4,5
enforcement_cases_closed,411521,2025-Q4,6
enforcement_cases_opened,411521,2026-Q1,4
complaints_12315_received,411521,2025-Q4,40
complaints_12315_closed,411521,2025-Q4,38
complaints_12315_received,411521,2026-Q1,25
complaints_12315_closed,411521,2026-Q1,24
"""


@pytest.fixture
def protected_store(fresh_small_store, registry, tmp_path):
    path = tmp_path / "保护.csv"
    path.write_text(FIGURES, encoding="utf-8")
    import_file(fresh_small_store, "reported", Source.from_path(path),
                indicator_ids={goal.id: goal.frequency for goal in registry.goals})
    return fresh_small_store


def test_the_page_shows_the_quarters_and_the_rates(monkeypatch, protected_store):
    # Since issue 17 a viewer first sees the newest complete month (this store's pledges stop in 2021-03), so
    # the month of the newest figure, 2026-Q1, is named: the newest month offered, as the data end in March.
    app = open_app(monkeypatch, protected_store, "pages/protection.py", as_of="2026-03")
    assert app.title[0].value == "知识产权保护 · 罗山县"
    assert app.sidebar.selectbox(key="as_of").options[0] == "2026年3月（数据未齐）"
    metrics = {m.label: m.value for m in app.main.metric}
    # 2026-Q1: cases 4 opened, closing not reported → no rate; 12315: 24 ÷ 25 × 100 = 96.0.
    assert metrics == {"执法案件结案率（2026年第一季度）": "—", "12315投诉举报办结率（2026年第一季度）": "96.0%"}
    table = app.main.dataframe[2].value  # after the two charts' data tabs
    rows = table.set_index("季度")
    assert list(rows.index) == ["2026年第一季度", "2025年第四季度", "2025年第三季度"]
    # 2025-Q4: 6 closed of 5 opened (some opened in Q3) → 6 ÷ 5 × 100 = 120.0; 12315 38 ÷ 40 × 100 = 95.0.
    assert rows.loc["2025年第四季度", "执法案件结案率（%）"] == "120.0"
    assert rows.loc["2025年第四季度", "12315投诉举报办结率（%）"] == "95.0"
    assert rows.loc["2025年第三季度", "执法案件结案率（%）"] == "75.0"  # 6 ÷ 8 × 100
    assert rows.loc["2025年第三季度", "12315投诉举报受理（件）"] == "—"  # not reported: 未上报
    assert rows.loc["2026年第一季度", "执法案件结案（件）"] == "—"
    assert [s.value for s in app.main.subheader][:2] == ["执法案件立案与执法案件结案", "12315投诉举报受理与12315投诉举报办结"]
    assert app.main.selectbox(key="protection_goal").value == "enforcement_cases_opened"


def test_the_page_on_a_plan_without_protection_indicators_says_so(monkeypatch, protected_store, tmp_path):
    city = Path(__file__).parents[1] / "data" / "examples" / "city" / "indicators.toml"
    text = city.read_text(encoding="utf-8").replace('theme = "保护"', 'theme = "治理"')
    (tmp_path / "plan.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("IPMETRICS_INDICATORS", str(tmp_path / "plan.toml"))
    app = open_app(monkeypatch, protected_store, "pages/protection.py")
    assert "没有知识产权保护类指标" in app.info[0].value
    assert not app.main.dataframe


# --- the derived high-value indicator on the bundled sample -------------------------------------------
def test_high_value_patents_per_10k_at_2025_12_from_the_sample_rows(sample_store, registry):
    patents = pd.read_csv(SAMPLE_DIR / "patents.csv", dtype=str, keep_default_na=False)
    held = patents[(patents["patent_type"] == "invention") & (patents["office"] == "CN")
                   & (patents["high_value"] == "true") & (patents["granted_on"] <= "2025-12-31")
                   & ((patents["ended_on"] == "") | (patents["ended_on"] > "2025-12-31"))]
    population = pd.read_csv(SAMPLE_DIR / "population.csv", dtype={"region_code": str})
    residents = population[(population["region_code"] == "411521") & (population["year"] == 2025)]["resident"]
    # The sample's high-value CN inventions in force at 2025-12-31 ÷ 2025 year-end residents × 10,000:
    # 8 ÷ 476,800 × 10,000 = 0.1678… (the count and population as read from the sample's rows).
    assert (len(held), int(residents.iloc[0])) == (8, 476_800)
    card = {c.goal.id: c for c in scorecard(sample_store, registry, Settings(db_url=sample_store.url), None,
                                            "2025-12")}["high_value_patents_per_10k"]
    assert card.progress.value == pytest.approx(8 / 476_800 * 10_000)
    assert card.goal.monitoring and not card.goal.reported_only
