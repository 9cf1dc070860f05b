"""Plotly figures for the dashboard, in one report theme (white, print-friendly, Chinese fonts named)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from . import labels
from .progress import projection_line, trajectory_line
from .scorecard import GoalCard

# Chromium falls back to the Japanese face for Han text unless the Chinese one is named first.
FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
INK = "#1f2933"
ACTUAL = "#1f5fa8"
TARGET = "#c62828"
PLAN = "#6b7280"
TREND = "#d97706"


def _x(index: pd.PeriodIndex) -> list:
    return [p.to_timestamp(how="end").normalize() for p in index]


def safe(text) -> str:
    """Names from the data, escaped for plotly, which reads <b>, <a href> … in any text as markup."""
    return html.escape(str(text), quote=False)


def apply_theme(figure: go.Figure, title: str, subtitle: str, source: str | None = None,
                height: int = 460) -> go.Figure:
    """The report look: white, the Chinese font named, title and subtitle (month, unit) inside the
    image, the legend under the plot and the source line under that — placed in pixels, so they stay
    clear of the axis labels whatever the height."""
    top, bottom = 80, 150 if source else 110  # room for a legend that wraps in a narrow column
    plot_height = max(height - top - bottom, 100)
    figure.update_layout(
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": 14, "color": INK},
        title={"text": f"{safe(title)}<br><sup>{safe(subtitle)}</sup>", "x": 0.01, "xanchor": "left",
               "font": {"size": 18}},
        height=height,
        margin={"l": 60, "r": 30, "t": top, "b": bottom},
        legend={"orientation": "h", "yanchor": "top", "y": -62 / plot_height, "xanchor": "left", "x": 0},
        hovermode="x unified",
    )
    figure.update_xaxes(showline=True, linecolor="#9aa5b1", gridcolor="#eef0f2", tickformat="%Y年%m月")
    figure.update_yaxes(showline=True, linecolor="#9aa5b1", gridcolor="#eef0f2", rangemode="tozero")
    if source:
        figure.add_annotation(text=safe(source), xref="paper", yref="paper", x=0, y=0, yshift=-(bottom - 16),
                              xanchor="left", yanchor="bottom", showarrow=False,
                              font={"size": 11, "color": PLAN})
    return figure


def goal_trend_figure(card: GoalCard, sample: bool = False, region_name: str | None = None) -> go.Figure:
    """A goal's monthly values with its target, the planned trajectory and the trend projected to 2030."""
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
    trend = projection_line(card.frame["value"], card.as_of, target_month)
    if not trend.empty:
        figure.add_trace(go.Scatter(
            x=_x(trend.index), y=trend.to_numpy(), name="趋势外推（近12个月）", mode="lines",
            line={"color": TREND, "width": 2, "dash": "dot"},
            hovertemplate=f"%{{y:,.{goal.decimals}f}} {goal.unit}<extra>趋势外推</extra>",
        ))
    if progress.target is not None:
        figure.add_hline(
            y=progress.target, line={"color": TARGET, "width": 2},
            annotation={"text": f"2030年目标 {goal.target_text()}", "font": {"color": TARGET, "size": 13},
                        "xanchor": "left", "yanchor": "bottom"},
            annotation_position="top left",
        )
    source = f"数据来源：{goal.source}" + ("；示例数据" if sample else "")
    subtitle = f"{labels.month_end_label(card.as_of)} · 单位：{goal.unit} · 当前 {fmt(progress.value)}"
    if region_name:
        subtitle = f"{region_name} · {subtitle}"
    return apply_theme(figure, f"{goal.name_zh}：实际与目标", subtitle, source)


# Print-safe categorical colours, told apart in greyscale by lightness.
SERIES = ["#1f5fa8", "#d97706", "#6b7280", "#2e7d32", "#8e44ad", "#c62828", "#00838f", "#9e9d24"]


def source_line(source: str, sample: bool) -> str:
    return f"数据来源：{source}" + ("；示例数据" if sample else "")


def stacked_bars_figure(table: pd.DataFrame, x: str, stacks: list[str], title: str, subtitle: str,
                        unit: str, source: str, line: str | None = None, line_title: str | None = None,
                        horizontal: bool = False) -> go.Figure:
    """Bars stacked by category: along months (a date axis, when `x` holds YYYY-MM), or across
    categories (townships, industries: horizontal, largest on top). An optional line on a second
    axis shows a year-on-year growth or an amount."""
    monthly = not horizontal and table[x].astype(str).str.fullmatch(r"\d{4}-\d{2}").all()
    if horizontal:
        table = table.assign(_total=table[stacks].sum(axis=1)).sort_values("_total").reset_index(drop=True)
    positions = (pd.PeriodIndex(table[x], freq="M").to_timestamp(how="start") if monthly else table[x])
    figure = go.Figure()
    for number, name in enumerate(stacks):
        values = table[name]
        bar = dict(x=values, y=table[x].map(safe), orientation="h") if horizontal else dict(x=positions, y=values)
        figure.add_trace(go.Bar(**bar, name=name, marker_color=SERIES[number % len(SERIES)],
                                hovertemplate=f"{name}：%{{{'x' if horizontal else 'y'}:,}} {unit}<extra></extra>"))
    if line is not None:
        figure.add_trace(go.Scatter(x=positions, y=table[line], name=line_title or line, yaxis="y2",
                                    mode="lines+markers", line={"color": INK, "width": 2},
                                    hovertemplate=f"{line_title or line}：%{{y:,.1f}}<extra></extra>"))
        figure.update_layout(yaxis2={"overlaying": "y", "side": "right", "showgrid": False, "tickformat": ",.0f",
                                     "tickmode": "auto", "zeroline": True, "zerolinecolor": "#c8ced4"})
    figure.update_layout(barmode="stack", legend_traceorder="normal")
    height = max(360, 26 * len(table) + 190) if horizontal else 440
    figure = apply_theme(figure, title, subtitle, source, height=height)
    if horizontal:
        figure.update_xaxes(title=unit, tickformat=",")
        figure.update_yaxes(type="category", rangemode="normal")
    elif monthly:
        step = 3 if len(table) <= 24 else 6 if len(table) <= 48 else 12
        figure.update_xaxes(type="date", dtick=f"M{step}", tickformat="%Y年%m月")
    else:
        figure.update_xaxes(type="category", tickformat=None)
    if not horizontal:
        # Titles set per axis: update_yaxes would also retitle the line's own axis.
        figure.update_layout(yaxis_title=unit, yaxis2_title=line_title or line if line is not None else None)
    return figure


def ranking_figure(table: pd.DataFrame, label: str, value: str, title: str, subtitle: str, unit: str,
                   source: str, top: int | None = None, highlight: str | None = None) -> go.Figure:
    """Horizontal bars, largest on top; `highlight` marks one row (the chosen region)."""
    rows = table.dropna(subset=[value]).sort_values(value, ascending=False)
    if top:
        rows = rows.head(top)
    rows = rows.iloc[::-1]
    colours = [TARGET if highlight is not None and name == highlight else ACTUAL for name in rows[label]]
    figure = go.Figure(go.Bar(
        x=rows[value], y=rows[label].map(safe), orientation="h", marker_color=colours, cliponaxis=False,
        text=[f"{v:,.2f}".rstrip("0").rstrip(".") for v in rows[value]], textposition="outside",
        hovertemplate=f"%{{y}}：%{{x:,}} {unit}<extra></extra>",
    ))
    largest = float(rows[value].max()) if len(rows) else 1.0
    figure.update_layout(xaxis_title=unit, showlegend=False, xaxis_range=[0, largest * 1.18 or 1])
    figure.update_yaxes(rangemode="normal", type="category")
    return apply_theme(figure, title, subtitle, source, height=max(320, 28 * len(rows) + 170))


def peer_ranking_figure(rows: pd.DataFrame, label: str, value: str, own: str, title: str, subtitle: str,
                        unit: str, source: str, median: float | None = None, gap: str | None = None) -> go.Figure:
    """Peers as horizontal bars in the order given (best first, on top), the chosen region (`own`, a
    boolean column) in the target colour and named in bold, the peers' median as a dashed line, and a
    dotted line above each row whose `gap` column says peers were left out before it."""
    rows = rows.iloc[::-1]
    mine = rows[own].to_numpy()
    figure = go.Figure(go.Bar(
        x=rows[value], y=[f"<b>{safe(n)}</b>" if m else safe(n) for n, m in zip(rows[label], mine)],
        orientation="h", marker_color=[TARGET if m else ACTUAL for m in mine], cliponaxis=False,
        text=[labels.compact_number(v) for v in rows[value]], textposition="outside",
        hovertemplate=f"%{{y}}：%{{x:,}} {unit}<extra></extra>",
    ))
    largest = float(rows[value].max()) if len(rows) else 1.0
    figure.update_layout(xaxis_title=unit, showlegend=False, xaxis_range=[0, largest * 1.2 or 1])
    figure.update_yaxes(rangemode="normal", type="category")
    if gap is not None:  # a dotted line where peers are left out between two bars
        # rows are bottom-up here: a row after a gap has the better one just above it, at position + 1.
        for position in [i for i, left_out in enumerate(rows[gap].to_numpy()) if left_out]:
            figure.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y", y0=position + 0.5,
                             y1=position + 0.5, line={"color": PLAN, "dash": "dot", "width": 1})
    if median is not None and pd.notna(median):
        figure.add_vline(x=median, line={"color": PLAN, "dash": "dash", "width": 1.5}, layer="below")
        figure.add_annotation(x=median, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                              text=f"中位数 {labels.compact_number(median)}", font={"size": 12, "color": PLAN})
    return apply_theme(figure, title, subtitle, source, height=max(320, 28 * len(rows) + 190))
