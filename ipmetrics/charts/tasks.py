"""The 任务落实 chart: how many tasks stand at each status, by article of the policy (in its order) or by
lead unit, as stacked bars in the report theme (so it exports like every chart)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ipmetrics.charts.chart import Chart, Where, make_chart
from ipmetrics.charts.theme import ACTUAL, PLAN, TARGET, apply_theme, safe

# A colour per status: finished green, behind red, unreported pale, so the eye finds what needs chasing.
STATUS_COLOURS = {"未启动": PLAN, "推进中": ACTUAL, "已完成": "#2e7d32", "滞后": TARGET, "未汇报": "#c9ced6"}


def status_figure(counts: pd.DataFrame, title: str, subtitle: str, source: str) -> go.Figure:
    """Bars of tasks stacked by status, one bar per row of `counts` (status_counts' frame) in its order."""
    figure = go.Figure()
    names = [safe(name) for name in counts.index]
    for status, colour in STATUS_COLOURS.items():
        if status in counts.columns and counts[status].any():
            figure.add_trace(go.Bar(x=names, y=counts[status].tolist(), name=status, marker_color=colour,
                                    hovertemplate=f"%{{x}} {status}：%{{y}} 项<extra></extra>"))
    figure.update_layout(barmode="stack", legend_traceorder="normal", yaxis_title="项")
    figure.update_xaxes(type="category", tickformat=None, categoryorder="array", categoryarray=names)
    figure.update_yaxes(tickformat="d", dtick=1 if counts["合计"].max() <= 6 else None)
    return apply_theme(figure, title, subtitle, source, height=440)


def status_chart(counts: pd.DataFrame, table: pd.DataFrame, by_article: bool, where: Where, source: str) -> Chart:
    """The chart of `counts` with `table` (the page's table of it) beside it."""
    heading = "按政策条款" if by_article else "按牵头单位"
    title = f"政策任务落实情况（{heading}）"
    empty = None if len(counts) else "还没有政策任务（任务分工）：请在“数据导入”页导入。"
    return make_chart(f"tasks_by_{'article' if by_article else 'unit'}", "任务落实", f"任务落实_{heading}",
                      status_figure(counts, title, where.subtitle("项"), where.source(source)) if len(counts) else None,
                      table, empty)
