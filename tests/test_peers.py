"""同级对比 (ipmetrics.peers) on the hand-made province: every figure below is worked out by hand in
tests/fixtures/province/README.md."""

from types import SimpleNamespace

import pandas as pd
import pytest

from ipmetrics.charts import areas, theme
from ipmetrics.charts.chart import Where
from ipmetrics.core import catalog, labels
from ipmetrics.core.hierarchy import Hierarchy
from ipmetrics.core.settings import Settings
from ipmetrics.themes import peers

from .conftest import SMALL
from .province import province_store  # noqa: F401  (a fixture)
from .test_hierarchy import tree_of

DEC = pd.Period("2025-12", freq="M")
LUOSHAN = "411521"


@pytest.fixture(scope="module")
def tree(province_store) -> Hierarchy:
    return Hierarchy.from_frame(catalog.regions(province_store))


@pytest.fixture(scope="module")
def standings(province_store, registry, tree) -> dict[str, pd.DataFrame]:
    """罗山县's summary in each of its groups, by scope."""
    settings = Settings(db_url=province_store.url)
    return {g.scope: peers.summary(peers.compare(province_store, registry, settings, tree, g, DEC), registry, LUOSHAN)
            .set_index("goal") for g in peers.peer_groups(tree, LUOSHAN)}


def test_a_county_is_ranked_in_its_city_its_province_and_the_nation(tree):
    groups = peers.peer_groups(tree, LUOSHAN)
    assert [(g.scope, g.ancestor, g.codes) for g in groups] == [
        ("city", "411500", ("411521", "411522", "411523", "411524")),
        ("province", "410000", ("410122", "410181", "411521", "411522", "411523", "411524")),
        ("nation", None, ("410122", "410181", "411521", "411522", "411523", "411524", "420115")),
    ]
    assert [g.title for g in groups] == ["所在市（信阳市，4 个县（区））", "所在省（河南省，6 个县（区））", "全国（7 个县（区））"]


def test_groups_of_one_region_or_repeated_members_are_left_out(tree):
    # 江夏区 is alone in 武汉市 and in 湖北省: only the nation is left.
    assert [g.scope for g in peers.peer_groups(tree, "420115")] == ["nation"]
    # A city among the cities of its province, then of the nation; a province only among provinces.
    assert [(g.scope, len(g.codes)) for g in peers.peer_groups(tree, "411500")] == [("province", 2), ("nation", 3)]
    assert [(g.scope, g.codes) for g in peers.peer_groups(tree, "410000")] == [("nation", ("410000", "420000"))]
    # A township: its county's townships, then its city's (the province and the nation add none).
    assert [(g.scope, len(g.codes)) for g in peers.peer_groups(tree, "411521001")] == [("county", 2), ("city", 4)]
    # The bundled layout, one county and its townships: no peers for the county.
    assert peers.peer_groups(tree_of(SMALL), LUOSHAN) == []


def test_ranks_medians_and_gaps_in_the_city(standings):
    city = standings["city"]
    assert city.loc["trademarks_registered", ["本地数值", "排名", "中位数", "较中位数"]].tolist() == [4, "第 2 / 4", 3.5, 0.5]
    assert city.loc["trademarks_registered", ["每万人", "每万人排名", "每万人中位数", "每万人较中位数"]].tolist() == [
        0.08, "第 2 / 4", 0.0775, 0.0025]
    assert city.loc["well_known_marks", ["本地数值", "排名", "中位数", "较中位数"]].tolist() == [1, "第 1 / 4", 0, 1]
    assert city.loc["gi_marks", "排名"] == "第 2 / 4"  # 0 marks, tied with two others behind 光山县's one
    # A ratio: compared as it is, no per-10,000 column.
    patents = city.loc["invention_patents_per_10k"]
    assert patents[["本地数值", "排名", "中位数", "较中位数", "每万人排名"]].tolist() == [0.04, "第 2 / 4", 0.0325, 0.0075, "—"]
    assert pd.isna(patents["每万人"])
    assert city.loc["pledge_financing_amount", ["本地数值", "中位数", "较中位数", "每万人", "每万人中位数"]].tolist() == [
        500, 400, 100, 10, 8.75]
    assert city.loc["pledge_financing_count", "每万人中位数"] == pytest.approx(0.02625, abs=1e-4)
    # 新县 has no high-tech firm: no coverage, and it takes no part in the ranking.
    assert city.loc["ip_standard_coverage", ["本地数值", "排名", "中位数", "同级数"]].tolist() == [50, "第 2 / 3", 50, 3]


def test_ranks_medians_and_gaps_in_the_province_and_the_nation(standings):
    province, nation = standings["province"], standings["nation"]
    marks = province.loc["trademarks_registered"]
    assert marks[["排名", "中位数", "较中位数", "每万人排名"]].tolist() == ["第 3 / 6", 3.5, 0.5, "第 2 / 6"]  # tied with 巩义市
    assert province.loc["invention_patents_per_10k", ["排名", "中位数", "较中位数"]].tolist() == ["第 3 / 6", 0.04, 0]
    assert province.loc["pledge_financing_amount", ["排名", "中位数", "较中位数", "每万人中位数", "每万人较中位数"]].tolist() == [
        "第 2 / 6", 175, 325, 4, 6]
    assert province.loc["ip_standard_coverage", ["排名", "中位数", "较中位数"]].tolist() == ["第 4 / 5", 100, -50]
    assert nation.loc["trademarks_registered", ["排名", "中位数", "较中位数"]].tolist() == ["第 3 / 7", 3, 1]
    assert nation.loc["invention_patents_per_10k", ["排名", "中位数"]].tolist() == ["第 3 / 7", 0.04]
    assert nation.loc["ip_standard_coverage", "排名"] == "第 4 / 5"  # 新县 and 江夏区 have no such firms


def test_the_comparison_table_and_the_full_download(province_store, registry, tree):
    group = peers.peer_groups(tree, LUOSHAN)[0]
    table = peers.compare(province_store, registry, Settings(db_url=province_store.url), tree, group, DEC)
    assert len(table) == 4 * len(registry.goals)
    ranked = peers.ranking(table, "trademarks_registered", True, LUOSHAN)
    assert ranked["地区"].tolist() == ["新县", "罗山县", "光山县", "商城县"]  # 0.1, 0.08, 0.075, 0.075 per 10,000
    assert ranked["排名"].tolist() == [1, 2, 3, 3] and ranked["本地区"].tolist() == [False, True, False, False]
    assert ranked["常住人口"].tolist() == [200_000, 500_000, 800_000, 400_000]
    full = peers.overview(table, registry)
    assert full["地区"].tolist() == ["罗山县", "光山县", "新县", "商城县"]
    assert full.columns[:5].tolist() == ["地区", "区划代码", "常住人口", "商标注册总量（件）", "商标注册总量排名"]
    assert "每万人口有效发明专利（每万人）" not in full.columns  # a ratio gets no per-10,000 column
    assert full.set_index("区划代码").loc["411522", "商标注册总量（件）"] == 6  # 光山县: GS7 lapsed in 2024


def test_the_direction_of_the_comparator_decides_who_is_first():
    values = pd.Series([3.0, 1.0, None, 1.0])
    assert peers._rank(values, SimpleNamespace(comparator=">=")).tolist() == [1, 2, pd.NA, 2]
    assert peers._rank(values, SimpleNamespace(comparator="<=")).tolist() == [3, 1, pd.NA, 1]


def long_table(count: int, region: str) -> pd.DataFrame:
    """A made-up comparison of `count` counties on one goal (values count, count-1, … 1)."""
    codes = [f"4100{i:02d}" for i in range(count)]
    return pd.DataFrame({
        "code": codes, "地区": [f"模拟{i}县" for i in range(count)], "goal": "trademarks_registered",
        "指标": "商标注册总量", "单位": "件", "数值": [float(count - i) for i in range(count)], "每万人": float("nan"),
        "常住人口": 100_000.0, "排名": pd.array(range(1, count + 1), dtype="Int64"),
        "每万人排名": pd.array([pd.NA] * count, dtype="Int64"), "同级数": count, "每万人同级数": 0,
    })


def test_a_long_ranking_shows_the_top_the_bottom_and_the_region(registry):
    table = long_table(150, "410074")
    ranked = peers.ranking(table, "trademarks_registered", False, "410074")
    rows, cut = peers.chart_rows(ranked, "数值", top=10)
    assert cut and rows["排名"].tolist() == [*range(1, 11), 75, *range(141, 151)]
    assert rows.loc[rows["略过"], "排名"].tolist() == [75, 141]  # a dotted line above each in the chart
    rows, cut = peers.chart_rows(peers.ranking(table, "trademarks_registered", False, "410003"), "数值", top=10)
    assert len(rows) == 20  # the region is among the best ten already
    assert not peers.chart_rows(ranked.head(21), "数值", top=10)[1]

    group = peers.PeerGroup("province", "410000", "河南省", "county", tuple(table["code"]))
    where = Where("410074", "模拟74县", DEC, sample=True)
    chart = areas.peer_chart(table, registry, "trademarks_registered", False, group, where)
    bars = chart.figure.data[0]
    assert len(bars.y) == 21 and bars.y[-1] == "1. 模拟0县"  # best on top (plotly draws bottom-up)
    assert "<b>75. 模拟74县</b>" in bars.y
    assert list(bars.marker.color).count(theme.TARGET) == 1
    # Dotted lines between 141 and 75 and between 75 and 10 (bars 9|10 and 10|11 counted from the bottom).
    assert sorted(s.y0 for s in chart.figure.layout.shapes if s.line.dash == "dot") == [9.5, 10.5]
    title = chart.figure.layout.title.text
    assert "商标注册总量：河南省各县（区）排名" in title and "截至2025年12月底" in title and "共 150 个" in title
    assert any("示例数据" in a.text for a in chart.figure.layout.annotations)
    assert any(a.text == "中位数 75.5" for a in chart.figure.layout.annotations)
    assert len(chart.table) == 150 and chart.file_stem(where) == "2025-12_模拟74县_同级对比_河南省_商标注册总量"


def test_the_summary_as_shown_marks_what_is_missing():
    standing = pd.DataFrame([{"goal": "g", "指标": "x", "单位": "件", "本地数值": 4.0, "排名": "第 2 / 4", "中位数": 3.5,
                              "较中位数": 0.5, "每万人": float("nan"), "每万人排名": "—", "每万人中位数": float("nan"),
                              "每万人较中位数": float("nan"), "同级数": 4, "名次": 2, "每万人名次": pd.NA}])
    shown = peers.summary_display(standing)
    assert shown.iloc[0].tolist() == ["x", "件", "4", "第 2 / 4", "3.5", "+0.5", "—", "—", "—", "—"]
    assert [labels.compact_number(v, sign=True) for v in (-50.0, 0.0, 1199.7967, 95.52381, 0.013750)] == [
        "-50", "0", "+1,199.8", "+95.52", "+0.0138"]


def test_a_ranking_s_source_line_names_the_population_once_and_only_when_it_divides():
    # per 10,000 residents: the population is named, and once, when the goal's own source cites it already
    assert areas.ranking_source("商标注册数据", True) == "商标注册数据；人口：常住人口"
    assert (areas.ranking_source("专利数据（省知识产权局月报）；人口：统计年鉴", True)
            == "专利数据（省知识产权局月报）；常住人口：统计年鉴")
    # the values themselves: the goal's source as written
    assert areas.ranking_source("专利数据（省知识产权局月报）；人口：统计年鉴", False) == "专利数据（省知识产权局月报）；人口：统计年鉴"
    assert areas.ranking_source("认证记录", False) == "认证记录"


def test_the_township_rankings_of_the_sample_name_the_population_once(sample_store, registry):
    from ipmetrics.charts.month import build_month

    names = catalog.region_names(sample_store)
    month = build_month(sample_store, registry, Settings(db_url=sample_store.url), registry.region,
                        names[registry.region], pd.Period("2025-12", freq="M"), True)
    sources = {chart.name: chart.figure.layout.annotations[-1].text
               for chart in month.charts if chart.area == "乡镇对比" and chart.figure is not None}
    assert len(sources) >= 8 and all(text.count("人口：") <= 1 for text in sources.values()), sources
    assert sources["乡镇对比_商标注册总量_每万人"].endswith("；人口：常住人口；示例数据")
    assert "人口" not in sources["乡镇对比_“贯标”覆盖率"]  # a share: nothing divided by the population
