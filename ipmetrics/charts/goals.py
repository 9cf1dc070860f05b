"""A goal's trend figure: its values on its own periods (months, quarters or years) against the target, the
planned trajectory and the projection; a monitoring goal's values and trend."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ipmetrics.charts.theme import ACTUAL, PLAN, TARGET, TREND, _x, apply_theme
from ipmetrics.core import periods
from ipmetrics.core.progress import event_line, projection_line, trajectory_line
from ipmetrics.core.scorecard import GoalCard

# The hover header of a quarter or a year, read off the period's last day (d3's %q is the quarter).
HOVER_FORMAT = {"quarter": "%Y年第%q季度", "year": "%Y年"}
# More quarters than this get one tick a year, or the labels would crowd a report column.
_QUARTER_TICKS = 20


def _tick_text(period: pd.Period, first: bool) -> str:
    """2025年 for a year; Q1 … Q4 for a quarter, its year under Q1 (and under the first tick). Q3 rather than
    三季度: sixteen quarters fit a half-width column (the meeting page, a report) without turning on end."""
    if periods.frequency_of(period) == "year":
        return f"{period.year}年"
    return f"Q{period.quarter}<br>{period.year}年" if first or period.quarter == 1 else f"Q{period.quarter}"


def _period_axis(figure: go.Figure, shown: list[pd.PeriodIndex], frequency: str) -> None:
    """Ticks on the periods themselves (at their last day, where the points are), named in Chinese."""
    indexes = [index for index in shown if len(index)]
    if not indexes:
        return
    ticks = periods.period_range(min(i.min() for i in indexes), max(i.max() for i in indexes))
    if frequency == "quarter" and len(ticks) > _QUARTER_TICKS:
        ticks = ticks[ticks.quarter == 1]
    figure.update_xaxes(tickvals=_x(ticks), ticktext=[_tick_text(p, n == 0) for n, p in enumerate(ticks)],
                        hoverformat=HOVER_FORMAT[frequency], tickangle=0)


def _subtitle(card: GoalCard, region_name: str | None) -> str:
    goal, value = card.goal, card.progress.value
    when = periods.month_end_label(card.as_of) if card.frequency == "month" else card.period_label
    now = "未上报" if value is None and goal.reported_only else goal.format_value(value)
    subtitle = f"{when} · 单位：{goal.unit} · 当前 {now}"
    return f"{region_name} · {subtitle}" if region_name else subtitle


def goal_trend_figure(card: GoalCard, sample: bool = False, region_name: str | None = None) -> go.Figure:
    """A goal's values with its target, the planned trajectory and the trend projected to the target date;
    for a monitoring goal (no target) its values and the trend of its recent periods only."""
    goal, progress = card.goal, card.progress
    monthly = card.frequency == "month"
    series = card.frame["value"].dropna()
    hover = f"%{{y:,.{goal.decimals}f}} {goal.unit}"
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        # A month is one of many points: a line. A quarter or a year is one of a few: each point marked.
        x=_x(series.index), y=series.to_numpy(), name="实际值", mode="lines" if monthly else "lines+markers",
        # Monthly counts change by whole steps; a slanted line would show fractions of a mark or a firm.
        line={"color": ACTUAL, "width": 3, "shape": "hv" if monthly and goal.kind == "count" else "linear"},
        hovertemplate=f"{hover}<extra>实际值</extra>",
    ))
    if not monthly:
        figure.update_traces(marker={"size": 8})
    shown = [series.index]
    target_period = card.target_period  # a township's assigned target has its own date
    if progress.target is not None and progress.baseline is not None and card.baseline_period is not None:
        plan = trajectory_line(progress.baseline, card.baseline_period, progress.target, target_period)
        shown.append(plan.index)
        figure.add_trace(go.Scatter(
            x=_x(plan.index), y=plan.to_numpy(), name="序时进度（基期→目标）", mode="lines",
            line={"color": PLAN, "width": 2, "dash": "dash"}, hovertemplate=f"{hover}<extra>序时进度</extra>",
        ))
    # Without a target date (a monitoring goal) the fitted line stops at the period shown: a trend, not a forecast.
    events = progress.method == "events" and progress.value is not None and progress.pace is not None \
        and target_period is not None
    # A small count goal is projected from its value now at its rate since the baseline (progress.py).
    trend = (event_line(progress.value, card.period, progress.pace, target_period) if events else
             projection_line(card.frame["value"], card.period, target_period or card.period, card.projection_months))
    if not trend.empty:
        shown.append(trend.index)
        name = ("按自基期以来速度外推" if events else f"趋势外推（{card.window_text}）" if target_period is not None
                else f"趋势（{card.window_text}）")
        figure.add_trace(go.Scatter(
            x=_x(trend.index), y=trend.to_numpy(), name=name, mode="lines",
            line={"color": TREND, "width": 2, "dash": "dot"}, hovertemplate=f"{hover}<extra>{name}</extra>",
        ))
    if progress.target is not None:
        figure.add_hline(
            y=progress.target, line={"color": TARGET, "width": 2},
            annotation={"text": f"{card.target_year}年{'下达' if card.assigned else ''}目标 {card.target_text()}", "font": {"color": TARGET, "size": 13},
                        "xanchor": "left", "yanchor": "bottom"},
            annotation_position="top left",
        )
    source = f"数据来源：{goal.source}" + ("；示例数据" if sample else "")
    title = f"{goal.name_zh}：{'数值与趋势' if goal.monitoring else '实际与目标'}"
    figure = apply_theme(figure, title, _subtitle(card, region_name), source)
    if not monthly:
        _period_axis(figure, shown, card.frequency)
    return figure
