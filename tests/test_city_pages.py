"""The example city plan (data/examples/city: 12 reported indicators, quarterly and yearly, monitoring ones,
≤ and < targets, four themes) on every page and in the goal charts. The store holds the bundled sample and
the city's regions and figures (its 期间 column: 2025-Q3, 2025年), as `ipmetrics load-sample` builds it under the
city's goal file, plus figures for the city's four counties (written below) so that 同级对比 and 乡镇对比 have
something to rank.

Figures worked out by hand are commented with their arithmetic; the rest is read from the library."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ipmetrics.charts import areas
from ipmetrics.charts.chart import Where
from ipmetrics.charts.goals import goal_trend_figure
from ipmetrics.core import catalog
from ipmetrics.core.goals import load_registry
from ipmetrics.core.hierarchy import Hierarchy
from ipmetrics.core.measures import load_region_data
from ipmetrics.core.progress import Status
from ipmetrics.core.scorecard import scorecard
from ipmetrics.core.settings import DEFAULT_INDICATORS, SAMPLE_DIR, Settings
from ipmetrics.core.store import Store
from ipmetrics.io.importer import import_files
from ipmetrics.themes import brands, peers
from ipmetrics.themes.ledger import goal_ledger
from pages.shell.context import trend_window

from .conftest import kind_files
from .test_pages import APP, chart_texts, opened_folds, series_names, target_line

CITY_DIR = Path(APP).parent / "data" / "examples" / "city"
CITY_FILE = CITY_DIR / "indicators.toml"
CITY = "990100"
X_TICKS = 'g[aria-label^="X-axis"] .role-axis-label text'  # a Vega chart's x tick labels (SVG renderer)
PAGES = sorted(p.stem for p in (Path(APP).parent / "pages").glob("*.py"))
OCTOBER = pd.Period("2026-10", freq="M")

# Yearly figures for the counties (the city's own sample has none for these two indicators).
COUNTY_FIGURES = """indicator,region_code,period,value
adjudication_days,990102,2024年,112
adjudication_days,990103,2024年,130
adjudication_days,990121,2024年,95
adjudication_days,990122,2024年,120
adjudication_days,990102,2025年,98
adjudication_days,990103,2025年,121
adjudication_days,990121,2025年,87
adjudication_days,990122,2025年,110
"""


@pytest.fixture(scope="module")
def city():
    return load_registry(CITY_FILE)


@pytest.fixture(scope="module")
def city_store(module_db_url, city, tmp_path_factory):
    folder = tmp_path_factory.mktemp("city_figures")
    store = Store(module_db_url("city"))
    # The bundled sample first (its action items name Luoshan goals), then the city.
    import_files(store, kind_files(SAMPLE_DIR), indicator_ids=set(load_registry(DEFAULT_INDICATORS).ids()),
                 mark_sample=True)
    (folder / "counties.csv").write_text(COUNTY_FIGURES, encoding="utf-8")
    figures = [("reported", path) for path in sorted(CITY_DIR.glob("sample_reported_*.csv"))]  # by period
    import_files(store, [("regions", CITY_DIR / "sample_regions.csv"), *figures,
                         ("reported", folder / "counties.csv")],
                 indicator_ids={goal.id: goal.frequency for goal in city.goals})
    yield store
    store.dispose()


def open_city(monkeypatch, store, page: str | None = None, *, indicators: Path = CITY_FILE, as_of: str = "2026-10",
              **state) -> AppTest:
    """A first run of the app on `store` under a goal file (the city's unless `indicators` says otherwise)."""
    monkeypatch.setenv("IPMETRICS_DB_URL", store.url)
    monkeypatch.setenv("IPMETRICS_INDICATORS", str(indicators))
    app = AppTest.from_file(APP, default_timeout=90)
    app.session_state["as_of"] = as_of
    for key, value in state.items():
        app.session_state[key] = value
    if page:
        app.switch_page(f"pages/{page}.py")
    app.run()
    return app


def shown_text(app) -> str:
    return " ".join(str(e.value) for kind in ("title", "caption", "markdown", "subheader", "info")
                    for e in getattr(app.main, kind))


def metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.main.metric}


# --- every page ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_city_file(monkeypatch, city_store, city, page):
    app = open_city(monkeypatch, city_store, page)
    assert not app.exception, app.exception
    assert app.sidebar.markdown[0].value == f"### {city.dashboard_title}"
    text = shown_text(app) + " ".join(f"{m.label} {m.value} {m.proto.help}" for m in app.main.metric)
    assert "2030" not in text and "None" not in text, text


def test_the_months_offered_start_at_the_earliest_baseline(monkeypatch, city_store):
    # Monitoring indicators have no baseline date: skipped, not a crash; the others' is 2023-12-31.
    app = open_city(monkeypatch, city_store)
    assert app.sidebar.selectbox(key="as_of").options[-1] == "2023年12月"


# --- 总览 ----------------------------------------------------------------------------------------------------
def test_overview_groups_by_theme_and_says_which_period(monkeypatch, city_store, city):
    app = open_city(monkeypatch, city_store, **opened_folds(city))  # the monitoring indicators' folds open
    assert [s.value for s in app.main.subheader] == ["创造", "运用", "保护", "服务"]
    assert sorted(m.label for m in app.main.metric) == sorted(f"{g.name_zh}（{g.unit}）" for g in city.goals)
    values = metrics(app)
    # 2026-Q3 of the 12315 complaints is not in the sample: as of 2026-10 that is the quarter shown.
    assert values["12315知识产权投诉举报件数（件）"] == "未上报"
    assert values["专利转让许可次数（次）"] == "512"  # 2025, the latest year ended by October 2026
    captions = [c.value for c in app.main.caption]
    assert "2026年第三季度 · 季度指标" in captions and "2025年 · 年度指标" in captions
    assert any(c.startswith("监测指标，不设目标值") for c in captions)
    badges = [m.value for m in app.main.markdown if "-badge[" in m.value]
    assert ":gray-badge[监测指标]" in badges and ":gray-badge[未上报]" in badges
    assert app.main.caption[0].value.endswith("12 项指标（其中监测指标 3 项）（示例〔2024〕1号）· 落后于进度的排在前面")


def test_the_status_counts_leave_monitoring_goals_out(monkeypatch, city_store, city):
    app = open_city(monkeypatch, city_store)
    cards = scorecard(city_store, city, Settings(db_url=city_store.url), CITY, OCTOBER)
    statuses = {card.goal.id: card.status for card in cards}
    # Two monitoring indicators have a figure (no_target, not counted); the third has none for 2026-Q3.
    assert statuses["patent_transfers"] is statuses["enforcement_cases_closed"] is Status.NO_TARGET
    assert statuses["complaints_12315_ip"] is Status.NO_DATA
    counted = [card.status for card in cards if card.status is not Status.NO_TARGET]
    counts = [m.value for m in app.main.markdown if "-badge[" in m.value and " 项]" in m.value]
    assert sum(int(c.split(" ")[-2]) for c in counts) == len(counted) == 10
    assert ":gray-badge[未上报 1 项]" in counts and not any("监测指标" in c or "无分解目标" in c for c in counts)


def test_how_a_status_is_decided_names_every_window(monkeypatch, city_store, city, registry):
    assert trend_window(registry) == "近12个月"  # Luoshan: monthly goals only, wording as before
    assert trend_window(city) == "近期（季度指标近8个季度、年度指标近5年）"  # no monthly goal with a target
    mixed = registry.model_copy(update={"indicators": [*registry.indicators, city.goal("trademarks_valid")]})
    assert trend_window(mixed) == "近12个月（季度指标近8个季度）"
    app = open_city(monkeypatch, city_store)
    explained = " ".join(m.value for m in app.main.markdown)
    assert "按近期（季度指标近8个季度、年度指标近5年）的数据拟合直线并外推到2026年12月" in explained
    assert "按近期（季度指标近8个季度、年度指标近5年）趋势，预计2026年底只能补上基期与目标之间差距的60%–95%，需加快" in explained
    assert "**无分解目标/监测指标**" in explained and "**未上报**" in explained


# --- 指标详情 ------------------------------------------------------------------------------------------------
def test_detail_of_a_yearly_goal_to_reduce(monkeypatch, city_store):
    app = open_city(monkeypatch, city_store, "goal_detail", goal="adjudication_days")
    assert not app.exception, app.exception
    values = metrics(app)
    assert values["当前值（2025年）"] == "104 天"
    assert values["2026年目标"] == "≤ 90 天"
    assert values["完成率"] == "68.9%"  # of the way from 135 (2023) to 90: (135 − 104) ÷ (135 − 90) = 31/45
    assert values["序时进度值"] == "105.0"  # 135 + (90 − 135) × 2/3 years
    # (90 − 104) over the 12 months from the end of 2025 to the end of 2026, per year: down by 14.
    assert values["每年尚需降低"] == "14.00"
    # Least squares through 2021–2025 (150, 142, 135, 118, 104): mean 129.8 at 2023, slope −116/10 = −11.6
    # a year; at 2026: 129.8 − 3 × 11.6 = 95.0.
    assert values["按趋势预计2026年"] == "95.0"
    completion = next(m for m in app.main.metric if m.label == "完成率")
    assert "（基期值 − 当前值）÷（基期值 − 目标值）" in completion.proto.help
    text = shown_text(app)
    assert "**年度指标**，显示2025年" in text and "上报单位：市市场监督管理局（知识产权局）" in text
    assert "**上报单位**：市市场监督管理局（知识产权局）" in text and "**基期值**：135 天（2023年）" in text
    table = app.main.dataframe[0].value
    assert table.columns[0] == "年度" and table.iloc[0]["年度"] == "2025年"
    assert table["年度"].iloc[-1] == "2021年"  # the first year reported: no empty years before it
    chart = json.loads(app.get("vega_lite_chart")[0].proto.spec)  # drawn by Vega (charts.screen)
    assert series_names(chart) == ["实际值", "序时进度（基期→目标）", "趋势外推（近5年）"]
    assert target_line(chart) == 90
    assert "2026年目标 ≤ 90 天" in chart_texts(chart)[0]
    assert [b.label for b in app.main.button][:1] == ["各期上报数值"]  # no ledger of records: the figures


def test_detail_of_a_quarterly_goal(monkeypatch, city_store):
    app = open_city(monkeypatch, city_store, "goal_detail", goal="trademarks_valid")
    values = metrics(app)
    assert values["当前值（2026年第三季度）"] == "96,300 件"
    assert values["2026年目标"] == "≥ 100,000 件"
    # (100,000 − 96,300) over the 3 months to the end of 2026, per quarter: 1,233.33 × 3.
    assert values["每季度尚需"] == "3,700"
    assert metrics(app)["完成率"] == "96.3%"  # 96,300 ÷ 100,000
    assert app.main.dataframe[0].value.iloc[0]["季度"] == "2026年第三季度"
    assert [s.value for s in app.main.subheader] == ["逐季数据"]


def test_detail_of_a_monitoring_goal(monkeypatch, city_store):
    app = open_city(monkeypatch, city_store, "goal_detail", goal="patent_transfers")
    values = metrics(app)
    assert values["目标"] == "监测指标"
    # 2021–2025: 310, 365, 402, 455, 512; slope = Σ(x − 2)(y − 408.8) ÷ 10 = (197.6 + 43.8 + 46.2 + 206.4) ÷ 10
    assert values["趋势（近5年）"] == "+49.4"
    assert "完成率" not in values and "序时进度值" not in values
    assert list(app.main.dataframe[0].value.columns) == ["年度", "数值（次）", "来源"]
    badges = [m.value for m in app.main.markdown if "-badge[" in m.value]
    assert badges == [":gray-badge[监测指标]"]


def test_an_unreported_quarter_says_so(monkeypatch, city_store):
    app = open_city(monkeypatch, city_store, "goal_detail", goal="complaints_12315_ip")
    assert metrics(app)["当前值（2026年第三季度）"] == "未上报"
    table = app.main.dataframe[0].value
    assert table.iloc[0][["季度", "来源"]].tolist() == ["2026年第三季度", "未上报"]
    assert table.iloc[1][["季度", "数值（件）"]].tolist() == ["2026年第二季度", 166]


def test_reported_figures_stand_in_for_a_ledger(city_store, city):
    ledger = goal_ledger(city_store, city, Settings(db_url=city_store.url), "complaints_12315_ip", CITY, "示例市",
                         OCTOBER)
    assert ledger.records.iloc[0].tolist() == ["2026年第二季度", 166, "市市场监督管理局消费者权益保护科"]
    assert len(ledger.records) == 14  # 2023-Q1 … 2026-Q2: 2026-Q3 is not reported
    assert "上报单位：市市场监督管理局消费者权益保护科" in ledger.note and "2026年第三季度未上报" in ledger.note
    none = goal_ledger(city_store, city, Settings(db_url=city_store.url), "complaint_closure_rate", "990102",
                       "示例东城区", OCTOBER)
    assert none.records.empty and "示例东城区没有上报数值" in none.note


# --- the goal charts -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def city_cards(city_store, city):
    return {c.goal.id: c for c in scorecard(city_store, city, Settings(db_url=city_store.url), CITY, OCTOBER)}


def _dates(trace) -> list[str]:
    return [pd.Timestamp(x).strftime("%Y-%m-%d") for x in trace.x]


def test_a_yearly_goal_is_drawn_at_each_year_end(city_cards):
    figure = goal_trend_figure(city_cards["invention_patents_per_10k"], region_name="示例市")
    actual, plan, trend = figure.data
    assert actual.mode == "lines+markers" and actual.line.shape == "linear"
    assert _dates(actual) == ["2021-12-31", "2022-12-31", "2023-12-31", "2024-12-31", "2025-12-31"]
    # From the plan's baseline, 5.2 at the end of 2023, to 8.0 at the end of 2026: +0.9333 a year.
    assert _dates(plan) == ["2023-12-31", "2024-12-31", "2025-12-31", "2026-12-31"]
    assert list(plan.y) == pytest.approx([5.2, 6.1333, 7.0667, 8.0], abs=1e-4)
    assert trend.name == "趋势外推（近5年）" and _dates(trend)[0] == "2021-12-31" and _dates(trend)[-1] == "2026-12-31"
    assert figure.layout.shapes[0].y0 == 8
    assert figure.layout.annotations[0].text == "2026年目标 ≥ 8 件/万人"
    assert list(figure.layout.xaxis.ticktext) == [f"{year}年" for year in range(2021, 2027)]
    assert figure.layout.xaxis.hoverformat == "%Y年"
    assert "示例市 · 2025年 · 单位：件/万人 · 当前 6.71" in figure.layout.title.text


def test_a_quarterly_goal_is_drawn_at_each_quarter_end(city_cards):
    figure = goal_trend_figure(city_cards["trademarks_valid"])
    actual, plan, trend = figure.data
    assert _dates(actual)[:2] == ["2023-03-31", "2023-06-30"] and _dates(actual)[-1] == "2026-09-30"
    # No baseline figure in the plan: the first quarter at or after its date, 72,000 at 2023-Q4.
    assert _dates(plan)[0] == "2023-12-31" and plan.y[0] == 72000 and plan.y[-1] == 100000
    assert trend.name == "趋势外推（近8个季度）" and _dates(trend)[0] == "2024-12-31"  # 8 quarters to 2026-Q3
    assert figure.layout.xaxis.ticktext[:5] == ("Q1<br>2023年", "Q2", "Q3", "Q4", "Q1<br>2024年")
    assert figure.layout.xaxis.hoverformat == "%Y年第%q季度"
    assert "2026年第三季度 · 单位：件" in figure.layout.title.text


def test_a_monitoring_goal_shows_values_and_trend_only(city_cards):
    figure = goal_trend_figure(city_cards["patent_transfers"])
    assert [t.name for t in figure.data] == ["实际值", "趋势（近5年）"]
    assert not figure.layout.shapes  # no target line
    assert _dates(figure.data[1])[-1] == "2025-12-31"  # a trend through the years shown, not a forecast
    assert figure.layout.title.text.startswith("专利转让许可次数：数值与趋势")
    unreported = goal_trend_figure(city_cards["complaints_12315_ip"])
    assert "当前 未上报" in unreported.layout.title.text


def test_a_monthly_count_keeps_its_steps(small_store, registry):
    card = next(c for c in scorecard(small_store, registry, Settings(db_url=small_store.url), None, "2021-06")
                if c.goal.id == "trademarks_registered")
    figure = goal_trend_figure(card)
    assert figure.data[0].mode == "lines" and figure.data[0].line.shape == "hv"
    assert figure.data[2].name == "趋势外推（近12个月）"
    assert figure.layout.xaxis.tickvals is None and figure.layout.xaxis.tickformat == "%Y年%m月"
    assert figure.layout.title.text.startswith("商标注册总量：实际与目标<br><sup>截至2021年6月底")


def test_a_region_without_any_figure_gets_a_sentence(city_store, city):
    card = next(c for c in scorecard(city_store, city, Settings(db_url=city_store.url), "990102", OCTOBER)
                if c.goal.id == "complaint_closure_rate")
    (chart,) = areas.goal_charts([card], Where("990102", "示例东城区", OCTOBER))
    assert chart.figure is None
    assert chart.empty.startswith("示例东城区没有“知识产权投诉举报按时办结率”的上报数值（上报单位：市市场监督管理局消费者权益保护科）")


# --- 同级对比 and 乡镇对比 ------------------------------------------------------------------------------------
def test_a_goal_to_reduce_ranks_the_shortest_first(city_store, city):
    tree = Hierarchy.from_frame(catalog.regions(city_store))
    group = peers.peer_groups(tree, "990121")[0]
    table = peers.compare(city_store, city, Settings(db_url=city_store.url), tree, group, OCTOBER)
    ranked = peers.ranking(table, "adjudication_days", False, "990121")
    # 2025 (the latest year ended by October 2026): 87 < 98 < 110 < 121 days, fewer is better.
    assert ranked[["排名", "地区", "数值"]].values.tolist() == [
        [1, "示例北山县", 87], [2, "示例东城区", 98], [3, "示例南湖县", 110], [4, "示例西城区", 121]]
    standing = peers.summary(table, city, "990121").set_index("goal")
    assert standing.loc["adjudication_days", "排名"] == "第 1 / 4"
    assert standing.loc["adjudication_days", "中位数"] == 104  # (98 + 110) ÷ 2


def test_peer_page_names_the_year_of_a_yearly_goal(monkeypatch, city_store):
    app = open_city(monkeypatch, city_store, "peers", region="990121", peer_goal="adjudication_days")
    assert not app.exception, app.exception
    summary = app.main.dataframe[0].value.set_index("指标")
    assert summary.loc["行政裁决平均办案周期", ["统计期", "本地数值", "排名"]].tolist() == ["2025年", "87", "第 1 / 4"]
    assert summary.loc["有效注册商标量", "统计期"] == "2026年第三季度"
    assert "年度指标：显示2025年的数值（截至2026年10月底已结束的最近一年）" in shown_text(app)
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert figure["data"][0]["y"][-1] == "<b>示例北山县</b>"  # drawn bottom-up: the best, on top
    assert "示例北山县 · 2025年 · 单位：天" in figure["layout"]["title"]["text"]


def test_townships_page_ranks_the_counties_of_the_city(monkeypatch, city_store):
    app = open_city(monkeypatch, city_store, "townships", township_goal="adjudication_days")
    assert not app.exception, app.exception
    table = app.main.dataframe[0].value
    assert table[["排名", "县（区）", "较去年同月"]].values.tolist() == [
        [1, "示例北山县", -8], [2, "示例东城区", -14], [3, "示例南湖县", -10], [4, "示例西城区", -9]]  # 87 − 95 …
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert figure["data"][0]["y"] == ["示例西城区", "示例南湖县", "示例东城区", "示例北山县"]  # bottom-up
    assert "各县（区）排名" in figure["layout"]["title"]["text"]
    assert "季度指标为2026年第三季度、年度指标为2025年的数值" in shown_text(app)


# --- the GI goal's gap ----------------------------------------------------------------------------------------
def test_a_monitored_gi_goal_has_no_gap(small_store, registry):
    gi = registry.first_tagged("gi")
    monitored = registry.model_copy(update={"indicators": [
        g.model_copy(update={"target": None}) if g.id == gi.id else g for g in registry.indicators]})
    county = load_region_data(small_store, registry.region)
    settings = Settings(db_url=small_store.url)
    assert brands.gi_gap(county, registry, settings, "2021-06", brands.load_brands(small_store, registry.region))
    assert brands.gi_gap(county, monitored, settings, "2021-06", brands.load_brands(small_store, registry.region)) is None


# --- in a browser ---------------------------------------------------------------------------------------------
@pytest.mark.browser
def test_the_city_pages_in_a_browser(monkeypatch, city_store, tmp_path):
    """Served as run-app.sh serves it: the overview's theme headings and period captions, and a yearly goal's
    chart drawn with its year ticks (screenshots in test-artifacts/screenshots/ for a human look)."""
    from playwright.sync_api import expect, sync_playwright

    from .served import served_app
    from .test_browser import CHROMIUM, CHROMIUM_ARGS, screenshot, settle

    monkeypatch.setenv("IPMETRICS_INDICATORS", str(CITY_FILE))
    with served_app(city_store.url, tmp_path) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        page.goto(f"{base}/?as_of=2026-10")
        settle(page)
        main = page.locator('[data-testid="stMain"]')
        headings = [h.strip() for h in main.locator('[data-testid="stHeading"]').all_inner_texts()]
        assert [h for h in headings if h in ("创造", "运用", "保护", "服务")] == ["创造", "运用", "保护", "服务"], headings
        # the monitoring indicators' cards are drawn once their folds are opened
        folds = main.locator('[data-testid="stExpander"] summary', has_text="监测指标")
        for index in range(folds.count()):
            folds.nth(index).click()
            settle(page)
        expect(main.get_by_text("2026年第三季度 · 季度指标")).to_have_count(4)  # four quarterly indicators
        assert main.get_by_text("未上报", exact=True).count() >= 2  # the badge and the value of 12315 complaints
        screenshot(page, "city-overview.png")
        page.goto(f"{base}/goal_detail?as_of=2026-10&goal=专利侵权纠纷行政裁决平均办案周期")
        settle(page)
        chart = main.locator('[data-testid="stVegaLiteChart"]').first  # drawn by Vega (charts.screen), as SVG
        assert chart.locator(X_TICKS).all_text_contents() == [f"{year}年" for year in range(2021, 2027)]
        assert "每年尚需降低" in main.inner_text()
        screenshot(page, "city-detail-yearly.png")
        browser.close()


@pytest.mark.parametrize("page", ["trademarks", "patents", "brands", "enterprises", "financing", "overview",
                                  "goal_detail"])
def test_themed_pages_take_a_tagged_goal_without_a_target(monkeypatch, sample_store, tmp_path, page):
    """Every tagged goal of the bundled file made a monitoring indicator (its target lines removed)."""
    lines = (Path(DEFAULT_INDICATORS).read_text(encoding="utf-8")).splitlines()
    monitored = tmp_path / "indicators.toml"
    monitored.write_text("\n".join(line for line in lines if not line.startswith("target = ")), encoding="utf-8")
    assert not load_registry(monitored).targeted
    app = open_city(monkeypatch, sample_store, page, indicators=monitored, as_of="2025-12")
    assert not app.exception, app.exception
    text = shown_text(app) + " ".join(f"{m.label} {m.value} {m.proto.help}" for m in app.main.metric)
    assert "None" not in text, text
    if page == "trademarks":
        assert "商标注册总量（监测指标）" in [s.value for s in app.main.subheader]


def test_the_freeze_tab_warns_of_figures_not_yet_reported(monkeypatch, city_store):
    """Freezing 2026-10: 12315 complaints have no 2026-Q3 figure; a warning naming the office, not a block."""
    app = open_city(monkeypatch, city_store, "snapshots")
    app.selectbox(key="freeze_month").set_value("2026-10").run()
    warnings = " ".join(w.value for w in app.main.warning)
    assert "12315知识产权投诉举报" in warnings and "2026年第三季度尚未上报" in warnings
    assert "市市场监督管理局消费者权益保护科" in warnings
    assert "按时办结率" not in warnings  # reported for 2026-Q3
