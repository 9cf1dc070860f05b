"""Plotly figures for the dashboard, in one report theme (white, print-friendly, Chinese fonts named)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

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




# Print-safe categorical colours, told apart in greyscale by lightness.
SERIES = ["#1f5fa8", "#d97706", "#6b7280", "#2e7d32", "#8e44ad", "#c62828", "#00838f", "#9e9d24"]


def source_line(source: str, sample: bool) -> str:
    return f"数据来源：{source}" + ("；示例数据" if sample else "")

