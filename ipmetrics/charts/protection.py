"""The protection page's charts: for each rate the goal file declares between two protection indicators,
both figures as bars period by period (立案 beside 结案, 受理 beside 办结) and the rate as a line."""

from __future__ import annotations

import plotly.graph_objects as go

from ipmetrics.charts.chart import Chart, Where, make_chart
from ipmetrics.charts.goals import _tick_text
from ipmetrics.charts.theme import INK, SERIES, apply_theme
from ipmetrics.core import periods
from ipmetrics.core.goals import Rate
from ipmetrics.themes.protection import FrequencyBlock, column_name

AREA = "知识产权保护"


def rate_figure(block: FrequencyBlock, rate: Rate, where: Where, source: str) -> go.Figure:
    """Denominator and numerator side by side per period, the rate on a second axis (gaps where a figure was
    not reported)."""
    goals = {goal.id: goal for goal in block.goals}
    denominator, numerator = goals[rate.denominator], goals[rate.numerator]
    values = block.values
    x = [periods.period_text(p) for p in values.index]
    figure = go.Figure()
    for number, goal in enumerate((denominator, numerator)):
        figure.add_trace(go.Bar(x=x, y=values[goal.id], name=goal.label, marker_color=SERIES[number],
                                hovertemplate=f"{goal.label}：%{{y:,}} {goal.unit}<extra></extra>"))
    figure.add_trace(go.Scatter(x=x, y=values[rate.id], name=f"{rate.name_zh}（{rate.unit}，右轴）", yaxis="y2",
                                mode="lines+markers", line={"color": INK, "width": 2}, connectgaps=False,
                                hovertemplate=f"{rate.name_zh}：%{{y:,.{rate.decimals}f}}{rate.unit}<extra></extra>"))
    figure.update_layout(barmode="group", legend_traceorder="normal",
                         yaxis2={"overlaying": "y", "side": "right", "showgrid": False, "rangemode": "tozero",
                                 "tickformat": ",.0f", "title": rate.unit})
    unit = denominator.unit if denominator.unit == numerator.unit else f"{denominator.unit}、{numerator.unit}"
    shown = periods.period_label(values.index[-1])
    figure = apply_theme(figure, rate_heading(block, rate), f"{where.region_name} · 截至{shown} · "
                         f"单位：{unit}", source, height=440)
    crowded = block.frequency == "quarter" and len(values) > 20  # one tick a year, as on the goal charts
    ticks = [p for p in values.index if p.quarter == 1] if crowded else list(values.index)
    figure.update_xaxes(type="category", tickvals=[periods.period_text(p) for p in ticks],
                        ticktext=[_tick_text(p, n == 0) for n, p in enumerate(ticks)], tickangle=0)
    figure.update_layout(yaxis_title=unit)
    return figure


def rate_heading(block: FrequencyBlock, rate: Rate) -> str:
    """执法案件立案与执法案件结案: what a rate's chart compares, in the indicators' short names."""
    goals = {goal.id: goal for goal in block.goals}
    return f"{goals[rate.denominator].label}与{goals[rate.numerator].label}"


def rate_charts(block: FrequencyBlock, where: Where) -> list[Chart]:
    """One chart per declared rate among one frequency's protection indicators, with its table (period, both
    figures, the rate); the source line names the two indicators' sources."""
    goals = {goal.id: goal for goal in block.goals}
    charts = []
    for rate in block.rates:
        parts = [goals[rate.denominator], goals[rate.numerator], rate]
        source = where.source("；".join(dict.fromkeys(goal.source for goal in parts[:2])))
        table = block.table()[[block.heading, *(column_name(item) for item in parts)]]
        empty = None if len(block.values) else f"{where.region_name}没有“{rate.name_zh}”所需的上报数值。"
        figure = rate_figure(block, rate, where, source) if empty is None else None
        charts.append(make_chart(f"protection_{rate.id}", AREA, f"知识产权保护_{rate.name_zh}", figure, table, empty))
    return charts
