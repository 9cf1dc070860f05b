"""Bar figures: stacked bars along months or categories, rankings, and a region among its peers."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ipmetrics.charts.theme import ACTUAL, INK, PLAN, SERIES, TARGET, apply_theme, safe
from ipmetrics.core import labels


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
                   source: str, top: int | None = None, highlight: str | None = None,
                   smallest_on_top: bool = False) -> go.Figure:
    """Horizontal bars, largest on top (smallest on top for a goal where less is better, so the best leads
    either way); `highlight` marks one row (the chosen region)."""
    rows = table.dropna(subset=[value]).sort_values(value, ascending=smallest_on_top)
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
    figure = apply_theme(figure, title, subtitle, source, height=max(320, 28 * len(rows) + 170))
    # a number axis: the theme's month format would print plotly's raw floats (0.6000000000000001)
    return figure.update_xaxes(tickformat=",")


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
    figure = apply_theme(figure, title, subtitle, source, height=max(320, 28 * len(rows) + 190))
    return figure.update_xaxes(tickformat=",")  # a number axis, not the theme's months
