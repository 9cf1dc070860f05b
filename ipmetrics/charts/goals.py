"""A goal's trend figure: its monthly values against the target, the planned trajectory and the projection."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ipmetrics.charts.theme import ACTUAL, PLAN, TARGET, TREND, _x, apply_theme
from ipmetrics.core import periods
from ipmetrics.core.progress import projection_line, trajectory_line
from ipmetrics.core.scorecard import GoalCard


def goal_trend_figure(card: GoalCard, sample: bool = False, region_name: str | None = None) -> go.Figure:
    """A goal's monthly values with its target, the planned trajectory and the trend projected to the
    target date."""
    goal, progress = card.goal, card.progress
    series = card.frame["value"].dropna()
    target_month = pd.Period(goal.target_date, freq="M")
    fmt = goal.format_value
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=_x(series.index), y=series.to_numpy(), name="实际值", mode="lines",
        # Counts change by whole steps; a slanted line would show fractions of a mark or a firm.
        line={"color": ACTUAL, "width": 3, "shape": "hv" if goal.kind == "count" else "linear"},
        hovertemplate=f"%{{y:,.{goal.decimals}f}} {goal.unit}<extra>实际值</extra>",
    ))
    if progress.target is not None and progress.baseline is not None:
        start = pd.Period(progress.baseline_month, freq="M")
        plan = trajectory_line(progress.baseline, start, progress.target, target_month)
        figure.add_trace(go.Scatter(
            x=_x(plan.index), y=plan.to_numpy(), name="序时进度（基期→目标）", mode="lines",
            line={"color": PLAN, "width": 2, "dash": "dash"},
            hovertemplate=f"%{{y:,.{goal.decimals}f}} {goal.unit}<extra>序时进度</extra>",
        ))
    trend = projection_line(card.frame["value"], card.as_of, target_month, card.projection_months)
    if not trend.empty:
        figure.add_trace(go.Scatter(
            x=_x(trend.index), y=trend.to_numpy(), name=f"趋势外推（近{card.projection_months}个月）", mode="lines",
            line={"color": TREND, "width": 2, "dash": "dot"},
            hovertemplate=f"%{{y:,.{goal.decimals}f}} {goal.unit}<extra>趋势外推</extra>",
        ))
    if progress.target is not None:
        figure.add_hline(
            y=progress.target, line={"color": TARGET, "width": 2},
            annotation={"text": f"{goal.target_year}年目标 {goal.target_text()}", "font": {"color": TARGET, "size": 13},
                        "xanchor": "left", "yanchor": "bottom"},
            annotation_position="top left",
        )
    source = f"数据来源：{goal.source}" + ("；示例数据" if sample else "")
    subtitle = f"{periods.month_end_label(card.as_of)} · 单位：{goal.unit} · 当前 {fmt(progress.value)}"
    if region_name:
        subtitle = f"{region_name} · {subtitle}"
    return apply_theme(figure, f"{goal.name_zh}：实际与目标", subtitle, source)
