"""奖励测算 (article 十): yearly budget, beneficiaries and the what-if, worked out by hand.

The hand-made fixture (tests/fixtures/small/README.md, “Rewards”): 2020 — P1 CN invention 0.5 万元;
2021 — E1 national 10, E2 provincial 5, P3 granted in the US 1, P2 CN invention 0.5: 16.5 万元.
P4 (a utility model) earns nothing. The series starts in 2019 (IPMETRICS_SERIES_START), a year of zeros.

The page tests look at 2021-06, as the fixture README does: every 2021 event falls on or before it.

These figures count every event: the fixture's events (2020–2021) and the sample's from 2019 predate the
bundled goal file's policy_effective (2021-12-15), so the pages here read that file less that one line (a goal
file without it counts every event). The cut itself is tested in tests/test_rewards_effective.py.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ipmetrics.charts import rewards as reward_charts
from ipmetrics.core.settings import DEFAULT_INDICATORS, SAMPLE_DIR
from ipmetrics.themes import rewards

from .test_pages import open_app

COUNTY, LISHUI, ZHOUDANG = "411521", "411521001", "411521101"
RULES = ["national_enterprise", "provincial_enterprise", "foreign_patent", "domestic_invention"]


@pytest.fixture(autouse=True)
def goal_file_counting_every_event(monkeypatch, tmp_path):
    """The bundled goal file without its policy_effective line, for the pages these tests open."""
    text = DEFAULT_INDICATORS.read_text(encoding="utf-8")
    without = "\n".join(line for line in text.splitlines() if not line.startswith("policy_effective"))
    assert without != text
    path = tmp_path / "indicators.toml"
    path.write_text(without, encoding="utf-8")
    monkeypatch.setenv("IPMETRICS_INDICATORS", str(path))


def month(text: str) -> pd.Period:
    return pd.Period(text, freq="M")


def budget_of(store, registry, as_of: str, region: str = COUNTY, rates=None, first_year: int = 2019):
    events = rewards.events_through(store, region, first_year, month(as_of))
    rates = rewards.default_rates(registry) if rates is None else rates
    return events, rewards.budget(events, registry.rewards, rates, first_year, month(as_of))


# --- the library on the hand-made fixture ------------------------------------------------------------
def test_rates_come_from_the_registry(registry):
    assert rewards.default_rates(registry) == {"national_enterprise": 10, "provincial_enterprise": 5,
                                               "foreign_patent": 1, "domestic_invention": 0.5}
    assert rewards.rates_text(registry.rewards, rewards.default_rates(registry)) == (
        "新认定国家级知识产权强企每家 10 万元；新认定省级知识产权强企每家 5 万元；"
        "涉外授权专利每件 1 万元；当年度授权的国家发明专利每件 0.5 万元")


def test_the_query_gives_the_events_with_region_names(small_store):
    events = rewards.reward_events(small_store, COUNTY, pd.Timestamp("2019-01-01").date(),
                                   pd.Timestamp("2021-12-31").date())
    assert list(events.columns[:7]) == ["event", "record_key", "beneficiary", "title", "region_code",
                                        "region_name", "event_on"]
    assert list(events["record_key"]) == ["P1", "P3", "P2", "91411521000000001A", "91411521000000002B"]
    assert "P4" not in set(events["record_key"])  # a utility model earns nothing
    assert dict(zip(events["record_key"], events["region_name"]))["P2"] == "周党镇"
    # The dates bound the events, both ends included.
    between = rewards.reward_events(small_store, COUNTY, pd.Timestamp("2021-01-20").date(),
                                    pd.Timestamp("2021-04-01").date())
    assert list(between["record_key"]) == ["P3", "P2", "91411521000000001A"]


def test_yearly_counts_and_money_owed(small_store, registry):
    _, b = budget_of(small_store, registry, "2021-12")
    assert b.years == [2019, 2020, 2021]
    assert b.counts.loc[2021].to_dict() == dict.fromkeys(RULES, 1)
    assert b.counts.loc[2020].to_dict() == {**dict.fromkeys(RULES, 0), "domestic_invention": 1}
    assert b.amounts.loc[2021].to_dict() == {"national_enterprise": 10, "provincial_enterprise": 5,
                                             "foreign_patent": 1, "domestic_invention": 0.5}
    assert b.totals.to_dict() == {2019: 0, 2020: 0.5, 2021: 16.5}   # 10 + 5 + 1 + 0.5
    assert b.grand_total == 17


def test_only_events_up_to_the_as_of_month_count(small_store, registry):
    # At 2021-03: P3 (01-20) and P2 (02-01) but neither designation (04-01, 05-20): 1 + 0.5.
    _, b = budget_of(small_store, registry, "2021-03")
    assert b.total(2021) == 1.5
    assert b.label(2021) == "2021年（截至3月）" and b.label(2020) == "2020年"
    _, december = budget_of(small_store, registry, "2021-12")
    assert december.label(2021) == "2021年"


def test_a_township_counts_only_its_own_events(small_store, registry):
    _, b = budget_of(small_store, registry, "2021-12", region=ZHOUDANG)
    assert b.totals.to_dict() == {2019: 0, 2020: 0, 2021: 0.5}  # P2 only
    _, b = budget_of(small_store, registry, "2021-12", region=LISHUI)
    assert b.totals.to_dict() == {2019: 0, 2020: 0.5, 2021: 16}  # P1; E1, E2, P3


def test_overridden_rates_change_the_total(small_store, registry):
    rates = {**rewards.default_rates(registry), "national_enterprise": 20}
    _, b = budget_of(small_store, registry, "2021-12", rates=rates)
    assert b.total(2021) == 26.5   # 20 + 5 + 1 + 0.5
    assert b.total(2020) == 0.5
    rates = {"national_enterprise": 8, "provincial_enterprise": 4, "foreign_patent": 2, "domestic_invention": 1}
    _, b = budget_of(small_store, registry, "2021-12", rates=rates)
    assert b.total(2021) == 15     # 8 + 4 + 2 + 1
    with pytest.raises(KeyError):
        budget_of(small_store, registry, "2021-12", rates={"national_enterprise": 10})


def test_yearly_table_rules_by_years(small_store, registry):
    _, b = budget_of(small_store, registry, "2021-05")
    table = rewards.yearly_table(b)
    assert list(table["奖励项目"]) == [r.name for r in registry.rewards] + ["合计"]
    assert list(table["2021年（截至5月） 数量"]) == [1, 1, 1, 1, 4]
    assert list(table["2021年（截至5月） 金额（万元）"]) == [10, 5, 1, 0.5, 16.5]
    assert list(table["2020年 金额（万元）"]) == [0, 0, 0, 0.5, 0.5]
    assert list(table["标准"]) == ["10 万元/家", "5 万元/家", "1 万元/件", "0.5 万元/件", ""]


def test_beneficiaries_of_2021(small_store, registry):
    events, b = budget_of(small_store, registry, "2021-12")
    detail = rewards.year_detail(events, registry.rewards, b.rates, 2021)
    assert list(detail.columns) == ["受益人", "奖励项目", "金额（万元）", "记录号", "名称", "所在乡镇（街道）", "日期",
                                    "发放对象"]
    rows = [tuple(r) for r in detail[["受益人", "记录号", "所在乡镇（街道）", "日期", "金额（万元）"]].itertuples(index=False)]
    assert rows == [  # by beneficiary (code-point order), then date
        ("罗山县周党禽业有限公司", "P2", "周党镇", "2021-02-01", 0.5),
        ("罗山县宝城电子科技有限公司", "91411521000000002B", "丽水街道", "2021-05-20", 5),
        ("罗山县灵山茶业有限公司", "P3", "丽水街道", "2021-01-20", 1),
        ("罗山县灵山茶业有限公司", "91411521000000001A", "丽水街道", "2021-04-01", 10),
    ]
    assert detail["金额（万元）"].sum() == 16.5
    totals = rewards.beneficiary_totals(detail)
    assert [tuple(r) for r in totals.itertuples(index=False)] == [
        ("罗山县灵山茶业有限公司", 2, 11), ("罗山县宝城电子科技有限公司", 1, 5), ("罗山县周党禽业有限公司", 1, 0.5)]
    assert rewards.detail_note(detail, "2021年").startswith("2021年共 4 项奖励、3 个受益人，合计 16.5 万元。")
    # With other rates the detail follows them.
    doubled = rewards.year_detail(events, registry.rewards, {k: 2 * v for k, v in b.rates.items()}, 2021)
    assert doubled["金额（万元）"].sum() == 33
    assert rewards.year_detail(events, registry.rewards, b.rates, 2019).empty


# --- the what-if ------------------------------------------------------------------------------------
def series(values: dict[int, int]) -> pd.Series:
    return pd.Series(values, dtype="int64")


def test_projection_by_hand():
    # 2, 4, 5 over 2021–2023: x̄ = 2022, ȳ = 11/3, slope = (−1·(2 − 11/3) + 1·(5 − 11/3)) / 2 = 1.5;
    # at 2024: 11/3 + 1.5 × 2 = 6.67 → 7.
    p = rewards.project_count(series({2021: 2, 2022: 4, 2023: 5}), 2024)
    assert p.trend == pytest.approx(20 / 3) and p.count == 7
    assert p.basis_years == (2021, 2022, 2023) and p.basis_counts == (2, 4, 5)
    # Only the last three years count: 2, 4, 6 → 8 (all five years would give 2.9 + 1.4 × … ≠ 8).
    assert rewards.project_count(series({2019: 0, 2020: 10, 2021: 2, 2022: 4, 2023: 6}), 2024).count == 8
    # Exactly half rounds up: 0, 2, 1 → ȳ = 1, slope 0.5, at 2025 (x − x̄ = 3): 1 + 1.5 = 2.5 → 3.
    half = rewards.project_count(series({2021: 0, 2022: 2, 2023: 1}), 2025)
    assert half.trend == 2.5 and half.count == 3
    # Falling: 5, 3, 1 → 1 − 2 × 1 = −1 → never below 0.
    falling = rewards.project_count(series({2021: 5, 2022: 3, 2023: 1}), 2024)
    assert falling.trend == -1 and falling.count == 0
    # One year: flat; none: 0; years at or after the target are not used.
    assert rewards.project_count(series({2023: 4}), 2024).count == 4
    assert rewards.project_count(series({}), 2024).count == 0
    assert rewards.project_count(series({2023: 1, 2024: 9}), 2024).count == 1
    assert rewards.project_count(series({2022: 1, 2023: 2}), 2024, window=3).count == 3


def test_projection_uses_complete_years_only(small_store, registry):
    # At 2021-05 the complete years are 2019 and 2020: CN inventions 0, 1 → 2022: 3; the rest 0, 0 → 0.
    _, b = budget_of(small_store, registry, "2021-05")
    projections = rewards.projected_counts(b)
    assert rewards.next_year(b.as_of) == 2022
    assert {k: p.count for k, p in projections.items()} == {**dict.fromkeys(RULES, 0), "domestic_invention": 3}
    assert projections["domestic_invention"].basis_years == (2019, 2020)
    # At 2021-12 2021 is complete: 0, 0, 1 → ȳ = 1/3, slope 0.5, at 2022: 1/3 + 1 = 1.33 → 1;
    # CN inventions 0, 1, 1 → 2/3 + 1 = 1.67 → 2.
    _, b = budget_of(small_store, registry, "2021-12")
    counts = {k: p.count for k, p in rewards.projected_counts(b).items()}
    assert counts == {"national_enterprise": 1, "provincial_enterprise": 1, "foreign_patent": 1,
                      "domestic_invention": 2}
    assert rewards.what_if_total(registry.rewards, b.rates, counts) == 17   # 10 + 5 + 1 + 2 × 0.5
    rates = {**b.rates, "national_enterprise": 20, "domestic_invention": 1}
    assert rewards.what_if_total(registry.rewards, rates, counts) == 28     # 20 + 5 + 1 + 2 × 1
    lines = rewards.what_if_lines(registry.rewards, rates, counts)
    assert list(lines["金额（万元）"]) == [20, 5, 1, 2, 28]
    assert list(lines["数量"]) == [1, 1, 1, 2, 5]


def test_format_wan():
    assert [rewards.format_wan(v) for v in (16.5, 10, 0, 0.25, 1234.5, 0.125)] == [
        "16.5", "10", "0", "0.25", "1,234.5", "0.13"]


def test_figure_stacks_rules_and_labels_the_totals(small_store, registry):
    _, b = budget_of(small_store, registry, "2021-05")
    figure = reward_charts.yearly_budget_figure(b, "罗山县")
    assert figure.layout.barmode == "stack"
    assert [t.name for t in figure.data] == [r.name for r in registry.rewards]
    assert list(figure.data[0].x) == ["2019年", "2020年", "2021年（截至5月）"]
    assert list(figure.data[3].y) == [0, 0.5, 0.5]
    totals = {a.x: a.text for a in figure.layout.annotations if a.x is not None and a.text.startswith("<b>")}
    assert totals == {"2019年": "<b>0</b>", "2020年": "<b>0.5</b>", "2021年（截至5月）": "<b>16.5</b>"}
    assert "Noto Sans CJK SC" in figure.layout.font.family


# --- the page ---------------------------------------------------------------------------------------
def metric_values(app) -> dict[str, str]:
    return {m.label: m.value for m in app.main.metric}


def test_page_on_the_hand_made_fixture(monkeypatch, small_store):
    app = open_app(monkeypatch, small_store, "pages/rewards.py", as_of="2021-06")
    assert app.title[0].value == "奖励测算"
    caption = app.main.caption[0].value
    assert "罗山县 · 截至2021年6月底" in caption and "第（十）条" in caption
    assert "新认定国家级知识产权强企每家 10 万元" in caption and "当年度授权的国家发明专利每件 0.5 万元" in caption
    assert metric_values(app) == {"2021年（截至6月）应付": "16.5 万元", "2020年应付": "0.5 万元",
                                  "2019年以来合计": "17 万元", "2022年测算总额": "1.5 万元"}
    yearly = app.main.dataframe[0].value
    assert list(yearly["2021年（截至6月） 金额（万元）"]) == [10, 5, 1, 0.5, 16.5]
    assert list(yearly["2020年 数量"]) == [0, 0, 0, 1, 1]
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert figure["layout"]["barmode"] == "stack"
    assert "Noto Sans CJK SC" in figure["layout"]["font"]["family"]
    assert [a["text"] for a in figure["layout"]["annotations"] if a["text"].startswith("<b>")] == [
        "<b>0</b>", "<b>0.5</b>", "<b>16.5</b>"]

    year = app.main.selectbox(key="reward_year")
    assert year.options == ["2021年（截至6月）", "2020年", "2019年"] and year.value == 2021
    detail = app.main.dataframe[1].value
    assert list(detail["记录号"]) == ["P2", "91411521000000002B", "P3", "91411521000000001A"]
    assert list(detail["金额（万元）"]) == [0.5, 5, 1, 10]
    assert any(c.value.startswith("2021年（截至6月）共 4 项奖励、3 个受益人，合计 16.5 万元") for c in app.main.caption)
    tables = [b for b in app.main.get("download_button") if "Excel" in b.label]
    assert len(tables) == 2   # the yearly table and the detail
    images = [b.label for b in app.main.get("download_button") if "Excel" not in b.label]
    assert images == ["PNG", "SVG", "PDF"]  # the yearly chart as an image

    # What-if for 2022: rates 10, 5, 1, 0.5; counts 0, 0, 0, 3 (CN inventions 0, 1 in 2019–2020).
    inputs = {n.key: n.value for n in app.main.number_input}
    scope = "411521_2021-06"
    assert inputs == {"whatif_rate_national_enterprise": 10, f"whatif_count_national_enterprise_{scope}": 0,
                      "whatif_rate_provincial_enterprise": 5, f"whatif_count_provincial_enterprise_{scope}": 0,
                      "whatif_rate_foreign_patent": 1, f"whatif_count_foreign_patent_{scope}": 0,
                      "whatif_rate_domestic_invention": 0.5, f"whatif_count_domestic_invention_{scope}": 3}
    assert list(app.main.dataframe[2].value["金额（万元）"]) == [0, 0, 0, 1.5, 1.5]

    # One national firm at 20 万元: 20 + 3 × 0.5 = 21.5.
    app.main.number_input(key="whatif_rate_national_enterprise").set_value(20.0).run()
    app.main.number_input(key=f"whatif_count_national_enterprise_{scope}").set_value(1).run()
    assert not app.exception
    assert metric_values(app)["2022年测算总额"] == "21.5 万元"
    assert list(app.main.dataframe[2].value["金额（万元）"]) == [20, 0, 0, 1.5, 21.5]
    assert app.main.dataframe[2].value["标准"][0] == "20 万元/家"
    assert metric_values(app)["2021年（截至6月）应付"] == "16.5 万元"  # the yearly figures keep the rates in force


def test_page_detail_follows_the_chosen_year(monkeypatch, small_store):
    app = open_app(monkeypatch, small_store, "pages/rewards.py", as_of="2021-06", reward_year=2020)
    detail = app.main.dataframe[1].value
    assert list(detail["记录号"]) == ["P1"] and list(detail["金额（万元）"]) == [0.5]
    assert list(detail["受益人"]) == ["罗山县灵山茶业有限公司"]


def test_page_follows_the_region(monkeypatch, small_store):
    app = open_app(monkeypatch, small_store, "pages/rewards.py", as_of="2021-06", region=ZHOUDANG)
    assert app.main.caption[0].value.startswith("周党镇 · 截至2021年6月底")
    assert metric_values(app)["2021年（截至6月）应付"] == "0.5 万元"
    assert metric_values(app)["2020年应付"] == "0 万元"
    assert list(app.main.dataframe[1].value["记录号"]) == ["P2"]


def test_page_says_so_when_a_region_has_no_events(monkeypatch, small_store):
    # 周党镇 has only P2 (granted 2021-02-01): nothing up to 2020-12.
    app = open_app(monkeypatch, small_store, "pages/rewards.py", as_of="2020-12", region=ZHOUDANG)
    assert any("周党镇在2019年1月至2020年12月底没有可获奖励的事件" in i.value for i in app.main.info)
    assert not app.get("plotly_chart")
    assert metric_values(app)["2020年应付"] == "0 万元"
    assert metric_values(app)["2021年测算总额"] == "0 万元"
    assert [s.key for s in app.main.selectbox] == []   # no year picker without events


# --- the page on the bundled sample ---------------------------------------------------------------
def sample_totals() -> dict[int, float]:
    """万元 per year straight from the sample CSV files (not through SQL), at the rates in force."""
    patents = pd.read_csv(SAMPLE_DIR / "patents.csv", dtype=str)
    firms = pd.read_csv(SAMPLE_DIR / "enterprises.csv", dtype=str)
    year = lambda column: pd.to_datetime(column).dt.year  # noqa: E731
    money = pd.concat([
        pd.Series(10.0, index=year(firms["national_ip_on"].dropna())),
        pd.Series(5.0, index=year(firms["provincial_strong_on"].dropna())),
        pd.Series(1.0, index=year(patents.loc[patents["office"] != "CN", "granted_on"])),
        pd.Series(0.5, index=year(patents.loc[(patents["office"] == "CN")
                                              & (patents["patent_type"] == "invention"), "granted_on"])),
    ])
    return money.groupby(level=0).sum().to_dict()


def test_page_on_the_sample(monkeypatch, sample_store):
    # 2025: two foreign patents (KR, US) and two CN inventions: 2 × 1 + 2 × 0.5 = 3;
    # 2024: national firm 10, one JP patent 1, three CN inventions 1.5 = 12.5.
    by_csv = sample_totals()
    assert (by_csv[2025], by_csv[2024]) == (3, 12.5)
    app = open_app(monkeypatch, sample_store, "pages/rewards.py", as_of="2025-12")
    assert any("示例数据" in w.value for w in app.warning)
    shown = metric_values(app)
    assert shown["2025年应付"] == "3 万元" and shown["2024年应付"] == "12.5 万元"
    assert shown["2019年以来合计"] == f"{sum(v for y, v in by_csv.items() if 2019 <= y <= 2025):g} 万元"
    yearly = app.main.dataframe[0].value
    total_row = yearly[yearly["奖励项目"] == "合计"].iloc[0]
    for y in range(2019, 2026):
        assert total_row[f"{y}年 金额（万元）"] == pytest.approx(by_csv.get(y, 0))
    detail = app.main.dataframe[1].value
    assert detail["奖励项目"].value_counts().to_dict() == {"涉外授权专利": 2, "当年度授权的国家发明专利": 2}
    assert set(detail.loc[detail["奖励项目"] == "涉外授权专利", "记录号"]) == {"KR5169728B1", "US1358017B2"}
    assert detail["金额（万元）"].sum() == 3
    # What-if for 2026 from 2023–2025: national 0, 1, 0 → 1/3 → 0; provincial 1, 0, 0 → −2/3 → 0;
    # foreign 2, 1, 2 → 5/3 → 2; CN inventions 4, 3, 2 → 3 − 1 × 2 = 1 → 2 × 1 + 1 × 0.5 = 2.5.
    counts = {rule: app.main.number_input(key=f"whatif_count_{rule}_411521_2025-12").value for rule in RULES}
    assert counts == {"national_enterprise": 0, "provincial_enterprise": 0, "foreign_patent": 2,
                      "domestic_invention": 1}
    assert metric_values(app)["2026年测算总额"] == "2.5 万元"


def test_page_on_the_sample_in_progress_year_and_an_empty_township(monkeypatch, sample_store):
    app = open_app(monkeypatch, sample_store, "pages/rewards.py", as_of="2026-10")
    assert "2026年（截至10月）应付" in metric_values(app)
    assert app.main.selectbox(key="reward_year").value == 2026
    app = open_app(monkeypatch, sample_store, "pages/rewards.py", as_of="2025-12", region="411521107")
    assert any("潘新镇在2019年1月至2025年12月底没有可获奖励的事件" in i.value for i in app.main.info)
    assert metric_values(app)["2025年应付"] == "0 万元"
