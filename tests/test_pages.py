"""The pages through streamlit.testing: what they show, and how they follow the sidebar."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ipmetrics.core.scorecard import scorecard
from ipmetrics.core.settings import Settings

from .conftest import EDITOR

APP = str(Path(__file__).parents[1] / "app.py")
PAGES = ["pages/overview.py", "pages/goal_detail.py"]


def open_app(monkeypatch, store, page: str | None = None, **state) -> AppTest:
    """A first run of the app on `store`, with sidebar and page choices preset in session state.

    Each scenario is a new AppTest: on a rerun or after switch_page, AppTest (Streamlit 1.67) runs the
    page file without app.py, so choices are preset in session state rather than clicked.
    """
    monkeypatch.setenv("IPMETRICS_DB_URL", store.url)
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in state.items():
        app.session_state[key] = value
    if page:
        app.switch_page(page)
    app.run()
    assert not app.exception, app.exception
    for key in ("as_of", "region"):  # a choice the sidebar does not offer would silently fall back
        if key in state:
            assert app.session_state[key] == state[key], f"{key}={state[key]} is not offered"
    return app


def expected(store, registry, month, region=None) -> dict:
    return {c.goal.id: c for c in scorecard(store, registry, Settings(db_url=store.url), region, month)}


def metric_values(app) -> dict[str, str]:
    return {m.label: m.value for m in app.main.metric}


def series_names(chart: dict) -> list[str]:
    """The legend of a goal chart's Vega-Lite spec (charts.screen), in the figure's order."""
    return chart["layer"][0]["encoding"]["color"]["scale"]["domain"]


def target_line(chart: dict) -> float:
    return next(layer for layer in chart["layer"] if layer["mark"]["type"] == "rule")["encoding"]["y"]["datum"]


def chart_texts(chart: dict) -> list[str]:
    """The texts drawn inside the chart: the target's label, then the source line."""
    return [layer["encoding"]["text"]["value"] for layer in chart["layer"] if "text" in layer.get("encoding", {})]


def opened_folds(registry) -> dict[str, bool]:
    """总览's folds of monitoring indicators (one per theme, pages/overview.py's MONITORING_KEY) preset open:
    their cards are drawn only once a fold is opened."""
    return {f"monitoring_{theme or '其他'}": True for theme, _ in registry.themes} | {"monitoring_all": True}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_and_shows_the_nine_goals(monkeypatch, sample_store, registry, page):
    app = open_app(monkeypatch, sample_store, page, **(opened_folds(registry) if page == "pages/overview.py" else {}))
    if page == "pages/overview.py":
        assert sorted(m.label for m in app.main.metric) == sorted(f"{g.name_zh}（{g.unit}）" for g in registry.goals)
        # folded away, the monitoring indicators' cards are not drawn: the goals with a target are
        folded = open_app(monkeypatch, sample_store, page)
        assert sorted(m.label for m in folded.main.metric) == sorted(f"{g.name_zh}（{g.unit}）"
                                                                     for g in registry.targeted)
    else:
        # Every indicator of the goal file, grouped by theme as the page offers them.
        assert app.main.selectbox(key="goal").options == [goal.name_zh for _, goals in registry.themes
                                                           for goal in goals]
        assert app.title[0].value == registry.goals[0].name_zh


def test_sidebar_and_sample_banner(monkeypatch, sample_store):
    app = open_app(monkeypatch, sample_store)
    assert any("示例数据" in w.value for w in app.warning)
    assert [s.label for s in app.sidebar.selectbox] == ["截至月份", "地区"]
    assert app.sidebar.selectbox(key="as_of").options[:2] == ["2026年10月", "2026年9月"]
    assert app.sidebar.selectbox(key="as_of").options[-1] == "2020年12月"  # back to the baseline
    assert app.sidebar.selectbox(key="region_township").options[:2] == ["罗山县", "丽水街道"]
    assert len(app.sidebar.selectbox(key="region_township").options) == 21


def test_overview_cards_show_the_library_figures_behind_first(monkeypatch, sample_store, registry):
    app = open_app(monkeypatch, sample_store, **opened_folds(registry))
    assert app.sidebar.selectbox(key="as_of").value == "2026-10"  # newest month of the bundled sample
    cards = expected(sample_store, registry, "2026-10")
    shown = metric_values(app)
    for goal_id, card in cards.items():
        goal = card.goal
        value = card.progress.value  # a reported indicator without this period's figure reads 未上报
        assert shown[f"{goal.name_zh}（{goal.unit}）"] == ("未上报" if value is None and goal.reported_only
                                                         else goal.format_value(value))
    targeted = {f"{goal.name_zh}（{goal.unit}）" for goal in registry.targeted}
    judged = [m.label for m in app.main.metric if m.label in targeted]  # monitoring indicators have no status
    assert app.main.metric[0].label.startswith("中国驰名商标")  # off track, furthest behind: first
    assert judged[-1].startswith("知识产权质押融资额")  # achieved: last of the goals with a target


def test_changing_month_and_region_changes_the_figures(monkeypatch, sample_store, registry):
    app = open_app(monkeypatch, sample_store, as_of="2025-12")
    cards = expected(sample_store, registry, "2025-12")
    assert metric_values(app)["商标注册总量（件）"] == f"{cards['trademarks_registered'].progress.value:,.0f}"
    badges = [m.value for m in app.main.markdown if "-badge[" in m.value][:5]
    # The nine goals' statuses, and the one reported indicator without a 2025 figure (植物新品种): 未上报.
    # GI marks and provincial firms are 正常 by their events since the baseline (tests/test_sample.py; on
    # the line through the last 12 months they were 预警 and 滞后).
    assert badges == [":red-badge[滞后 1 项]", ":orange-badge[预警 1 项]", ":gray-badge[未上报 1 项]",
                      ":blue-badge[正常 4 项]", ":green-badge[已达成 3 项]"]

    app = open_app(monkeypatch, sample_store, as_of="2025-12", region="411521001")
    assert app.title[0].value == "总览 · 丽水街道"
    township = expected(sample_store, registry, "2025-12", "411521001")
    assert metric_values(app)["商标注册总量（件）"] == f"{township['trademarks_registered'].progress.value:,.0f}"
    assert any("未分解到本地区" in c.value for c in app.main.caption)


def test_detail_page_shows_chart_definition_and_table(monkeypatch, sample_store, registry):
    app = open_app(monkeypatch, sample_store, "pages/goal_detail.py", as_of="2025-12",
                   goal="invention_patents_per_10k")
    card = expected(sample_store, registry, "2025-12")["invention_patents_per_10k"]
    assert app.title[0].value == "每万人口有效发明专利拥有量"
    shown = metric_values(app)
    assert shown["当前值"] == f"{card.progress.value:.2f} 件/万人"
    assert shown["2030年目标"] == "> 1 件/万人"
    assert shown["完成率"] == f"{card.progress.completion:.1%}"
    # The goal's chart is drawn by Vega on the screen (charts.screen), read off the plotly figure the exports use.
    chart = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    assert series_names(chart) == ["实际值", "序时进度（基期→目标）", "趋势外推（近12个月）"]
    assert target_line(chart) == 1
    assert "2030年目标" in chart_texts(chart)[0]
    assert "Noto Sans CJK SC" in chart["config"]["font"]
    markdown = " ".join(m.value for m in app.main.markdown)
    assert "人口口径：常住人口" in markdown and "第（二）条" in markdown
    table = app.main.dataframe[0].value
    assert table.iloc[0]["月份"] == "2025-12"
    assert table.iloc[0]["数值（件/万人）"] == pytest.approx(card.progress.value, abs=1e-4)


def test_population_basis_switch_changes_the_ratio(monkeypatch, sample_store, registry):
    label = "每万人口有效发明专利拥有量（件/万人）"
    resident = metric_values(open_app(monkeypatch, sample_store))[label]
    registered = metric_values(open_app(monkeypatch, sample_store, population_basis="registered"))[label]
    assert resident != registered
    assert float(registered) < float(resident)  # more people, smaller ratio


def test_real_data_has_no_sample_banner(monkeypatch, small_store):
    app = open_app(monkeypatch, small_store)
    assert not any("示例数据" in w.value for w in app.warning)
    assert app.title[0].value == "总览 · 罗山县"


def test_empty_store_says_how_to_load_data(monkeypatch, empty_store):
    app = open_app(monkeypatch, empty_store)
    assert any("还没有数据" in i.value for i in app.info)


def test_detail_page_follows_the_goal_chosen_on_a_card(monkeypatch, sample_store, registry):
    app = open_app(monkeypatch, sample_store, "pages/goal_detail.py", goal="gi_marks")
    assert app.title[0].value == "地理标志商标"
    assert "无分解" not in metric_values(app)["2030年目标"]
    app = open_app(monkeypatch, sample_store, "pages/goal_detail.py", goal="gi_marks", region="411521111")
    assert metric_values(app)["2030年目标"] == "未分解"  # 铁铺镇: a county-total goal has no township target


def test_choosing_a_month_in_the_sidebar_reruns_with_its_figures(monkeypatch, sample_store, registry):
    app = open_app(monkeypatch, sample_store)
    app.sidebar.selectbox(key="as_of").set_value("2024-12").run()
    assert not app.exception
    cards = expected(sample_store, registry, "2024-12")
    assert metric_values(app)["商标注册总量（件）"] == f"{cards['trademarks_registered'].progress.value:,.0f}"
    assert app.caption[0].value.startswith("截至2024年12月底")
    app.sidebar.selectbox(key="region_township").set_value("411521003").run()
    assert app.title[0].value == "总览 · 龙山街道"


def test_import_page_checks_then_loads_an_upload(monkeypatch, fresh_small_store):
    store = fresh_small_store
    good = ("注册号,商标名称,注册人,区划代码,商标类型,地理标志,注册日期\n"
            "U1,灵山,某公司,411521001,普通商标,否,2021年3月1日\n").encode("gbk")
    app = open_app(monkeypatch, store, "pages/data_import.py", editor=EDITOR)
    assert app.title[0].value == "数据导入"
    log = app.main.dataframe[-1].value
    assert len(log) == len(KIND_NAMES) and set(log["类型"]) == set(KIND_NAMES)
    app.main.get("file_uploader")[0].set_value(("marks.csv", good, "text/csv")).run()
    assert not app.exception
    assert app.main.selectbox(key="import_kind").value == "trademarks"  # guessed from the header
    assert any("校验通过：1 行均可导入" in s.value for s in app.main.success)
    assert any("GBK/GB18030" in c.value for c in app.main.caption)
    app.main.button[0].click().run()
    assert any("已导入 marks.csv：写入 1 行" in s.value for s in app.main.success)
    assert app.main.dataframe[-1].value.iloc[0]["文件"] == "marks.csv"
    assert app.main.dataframe[-1].value.iloc[0]["操作人"] == "张三（zhangsan）"
    assert store.data_version() == 2


def test_import_page_reports_bad_rows_and_refuses(monkeypatch, fresh_small_store):
    store = fresh_small_store
    bad = ("注册号,商标名称,注册人,区划代码,商标类型,地理标志,注册日期\n"
           "U1,灵山,某公司,411521999,普通商标,否,2021年3月1日\n").encode("utf-8")
    app = open_app(monkeypatch, store, "pages/data_import.py", editor=EDITOR)
    app.main.get("file_uploader")[0].set_value(("bad.csv", bad, "text/csv")).run()
    assert any("校验发现 1 处问题，涉及 1 行" in e.value for e in app.main.error)
    problems = app.main.dataframe[1].value
    assert problems.iloc[0]["行号"] == 2 and problems.iloc[0]["列名"] == "region_code"
    assert app.main.button[0].disabled  # all or nothing: nothing to confirm
    assert store.data_version() == 1


KIND_NAMES = ["regions", "population", "enterprises", "trademarks", "patents", "pledges", "brands", "reported",
              "actions", "tasks", "task_reports", "targets"]


def test_import_page_refuses_a_file_over_the_limit(monkeypatch, small_store):
    monkeypatch.setenv("IPMETRICS_MAX_IMPORT_MB", "1")
    app = open_app(monkeypatch, small_store, "pages/data_import.py", editor=EDITOR)
    big = b"code,name,level,parent_code\n" + b"x" * (1024 * 1024)
    app.main.get("file_uploader")[0].set_value(("big.csv", big, "text/csv")).run()
    assert [e.value for e in app.main.error] == ["big.csv：文件大小 1.0 MB，超过上限 1 MB，请分批导入"]


ALL_PAGES = ["pages/overview.py", "pages/goal_detail.py", "pages/trademarks.py", "pages/brands.py",
             "pages/patents.py", "pages/financing.py", "pages/enterprises.py", "pages/rewards.py",
             "pages/townships.py", "pages/export_center.py", "pages/data_import.py", "pages/meeting.py",
             "pages/snapshots.py", "pages/actions.py", "pages/peers.py", "pages/assessment.py",
             "pages/tasks.py", "pages/policy.py",
             "pages/protection.py"]


def test_every_page_file_is_in_the_navigation_and_in_this_list():
    root = Path(APP).parent
    files = sorted(f"pages/{p.name}" for p in (root / "pages").glob("*.py"))
    assert files == sorted(ALL_PAGES)
    navigation = (root / "app.py").read_text(encoding="utf-8") + (root / "pages" / "shell" / "context.py").read_text(
        encoding="utf-8")
    assert all(page in navigation for page in ALL_PAGES)


@pytest.mark.parametrize("page", ALL_PAGES)
@pytest.mark.parametrize("region", ["411521", "411521207"])  # the county, and 朱堂乡 (no tech firms)
def test_every_page_renders_on_the_sample(monkeypatch, sample_store, page, region):
    app = open_app(monkeypatch, sample_store, page, as_of="2025-12", region=region)
    assert app.title[0].value  # a page with a title and no exception (open_app checks that)
