"""政策全景's chart: the policy's parts, each a bar of its articles by verdict (需关注 … 未跟踪)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ipmetrics.charts.chart import Chart, Where, make_chart
from ipmetrics.charts.theme import PLAN, apply_theme, safe

# The verdicts' colours, gravest first (meeting.policy_view.VERDICTS' order): red and amber for what needs
# the meeting, blue for what moves, light grey for what nothing tracks — apart in greyscale by lightness.
VERDICT_COLOURS = ["#b3261e", "#d97706", "#1f5fa8", "#c8ced4"]


def verdict_figure(articles: pd.DataFrame, verdicts: list[str], where: Where, source: str) -> go.Figure:
    """One horizontal bar per part (in the policy's order, first on top), its articles stacked by verdict
    (`verdicts`, gravest first)."""
    counts = pd.crosstab(articles["部分"], articles["判断"]).reindex(
        index=list(dict.fromkeys(articles["部分"])), columns=list(verdicts), fill_value=0)
    figure = go.Figure()
    for verdict, colour in zip(verdicts, VERDICT_COLOURS):
        figure.add_trace(go.Bar(
            y=[safe(part) for part in counts.index], x=counts[verdict], name=verdict, orientation="h",
            marker_color=colour, text=[str(n) if n else "" for n in counts[verdict]],
            textposition="inside", hovertemplate=f"{verdict}：%{{x}} 条<extra></extra>"))
    figure.update_layout(barmode="stack", legend_traceorder="normal", hovermode="y unified")
    figure = apply_theme(figure, "政策各部分推进情况", where.subtitle("条"), where.source(source),
                         height=max(360, 56 * len(counts) + 190))
    figure.update_xaxes(title="条款数", tickformat=",d", dtick=1)
    figure.update_yaxes(type="category", autorange="reversed", linecolor=PLAN)
    return figure


def verdict_chart(articles: pd.DataFrame, verdicts: list[str], where: Where, source: str) -> Chart:
    """The chart with its table (each article's part, verdict and reason)."""
    if articles.empty:
        return make_chart("policy_parts", "政策全景", "政策各部分推进情况", None, articles, "目标文件没有声明政策条款。")
    return make_chart("policy_parts", "政策全景", "政策各部分推进情况",
                      verdict_figure(articles, verdicts, where, source), articles[["部分", "条款", "判断", "原因"]])
