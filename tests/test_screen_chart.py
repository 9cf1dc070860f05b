"""charts.screen: a goal's trend figure as the Vega-Lite chart the pages draw says what the figure says."""

import html

import pandas as pd
import pytest

from ipmetrics.charts.goals import goal_trend_figure
from ipmetrics.charts.screen import goal_trend_spec, sparkline_svg
from ipmetrics.core.scorecard import scorecard
from ipmetrics.core.settings import Settings


@pytest.fixture(scope="module")
def cards(sample_store, registry):
    month = pd.Period("2025-12", freq="M")
    return {card.goal.id: card for card in scorecard(sample_store, registry, Settings(db_url=sample_store.url),
                                                     None, month)}


def layers_of(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]


def test_a_monthly_goal_keeps_the_figures_series_target_and_source(cards):
    card = cards["trademarks_registered"]
    figure = goal_trend_figure(card, True, "罗山县")
    spec = goal_trend_spec(figure, card.goal.unit, card.goal.decimals)
    encoding = spec["layer"][0]["encoding"]
    assert encoding["color"]["scale"]["domain"] == [trace.name for trace in figure.data]
    assert encoding["color"]["scale"]["range"] == [trace.line.color for trace in figure.data]
    # actual solid, planned dashed, trend dotted; the actual line drawn thicker (3 against 2)
    assert encoding["strokeDash"]["scale"]["range"] == [[], [8, 5], [2, 4]]
    assert encoding["strokeWidth"]["scale"]["range"] == [3, 2, 2]
    # a monthly count moves by whole steps: drawn as steps, like the figure's "hv" line
    assert layers_of(spec, "line")[0]["mark"]["interpolate"] == "step-after"
    assert layers_of(spec, "rule")[0]["encoding"]["y"]["datum"] == card.progress.target == 5000
    label, source = [layer["encoding"]["text"]["value"] for layer in layers_of(spec, "text")]
    assert label == "2030年目标 ≥ 5,000 件"
    assert source.startswith("数据来源：") and source.endswith("；示例数据")
    assert spec["title"]["text"] == "商标注册总量：实际与目标"
    assert spec["title"]["subtitle"] == html.unescape(figure.layout.title.text.split("<sup>")[1][:-6])
    assert spec["layer"][0]["encoding"]["y"]["axis"]["tickMinStep"] == 1  # marks: no tick at 4,594.5
    # for a column a phone may show: the legend an entry a line, the subtitle in two lines
    narrow = goal_trend_spec(figure, card.goal.unit, card.goal.decimals, legend_lines=True)
    assert narrow["config"]["legend"]["direction"] == "vertical"
    assert narrow["title"]["subtitle"] == ["罗山县 · 截至2025年12月底", f"单位：件 · 当前 {card.progress.value:,.0f}"]
    # every point of every series, its hover value in the goal's unit and decimals
    rows = spec["data"]["values"]
    assert len(rows) == sum(len(trace.x) for trace in figure.data)
    last_actual = [row for row in rows if row["系列"] == "实际值"][-1]
    assert last_actual["时间"] == "2025-12-31"
    assert last_actual["显示"] == f"{card.progress.value:,.0f} 件"


def test_a_quarterly_goal_names_its_ticks_as_the_figure_does(cards):
    quarterly = next(card for card in cards.values()
                     if card.frequency == "quarter" and card.frame["value"].notna().any())
    figure = goal_trend_figure(quarterly)
    spec = goal_trend_spec(figure, quarterly.goal.unit, quarterly.goal.decimals)
    axis = layers_of(spec, "line")[0]["encoding"]["x"]["axis"]
    ticks = list(figure.layout.xaxis.ticktext)
    assert len(axis["values"]) == len(ticks)
    first = ticks[0].split("<br>")  # the first tick carries its year under the quarter: Q1 / 2021年
    assert len(first) == 2 and str(first) in axis["labelExpr"]
    assert all(str(text.split("<br>")) in axis["labelExpr"] for text in ticks)
    assert not layers_of(spec, "rule")  # a monitoring indicator: no target line


def test_a_sparkline_runs_from_the_oldest_value_to_the_latest_marked():
    svg = sparkline_svg([1.0, 3.0, 2.0])
    # x from 4 to 236 in two steps of 116; y: the highest (3) at the top pad 4, the lowest (1) at 44 − 4 = 40,
    # 2 halfway: 4 + 36 × (1 − 0.5) = 22
    assert 'points="4.0,40.0 120.0,4.0 236.0,22.0"' in svg
    assert '<circle cx="236.0" cy="22.0"' in svg  # the latest value marked
    assert 'points="4.0,22.0 236.0,22.0"' in sparkline_svg([5.0, 5.0])  # flat: a line across the middle
    assert sparkline_svg([5.0]) is None and sparkline_svg([]) is None
