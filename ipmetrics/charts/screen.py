"""A goal's trend figure (charts.goals) as a Vega-Lite chart for the screen.

On a page, plotly.js is the heaviest thing the browser loads (a 4.7 MB bundle, parsed for every new
session): drawn with it, 指标详情 finished about a second later than without any chart (benchmarks/
bench_pages.py); Vega, which the overview's sparklines load anyway, costs a fraction of that. The spec is
read off the plotly figure, so that the two say the same (series, colours, dashes, target, ticks, title,
source line); the figure itself stays what the exports (PNG, SVG, PDF, Word, PPT) render.
"""

from __future__ import annotations

import html
import re

import plotly.graph_objects as go

from ipmetrics.charts.theme import ACTUAL, FONT_FAMILY, INK, PLAN

# plotly's dash names as Vega stroke dashes (px on, px off)
DASHES = {None: [], "solid": [], "dash": [8, 5], "dot": [2, 4], "dashdot": [8, 4, 2, 4]}
PLOT_HEIGHT = 260   # px of the plot itself; title, legend and ticks come on top of it
SOURCE_GAP = 52     # px from the plot's bottom to the source line: below two lines of tick labels
_TAG = re.compile(r"<[^>]+>")


def _plain(text: str | None) -> str:
    """plotly's text (escaped, with <br> and <sup>) as plain text."""
    return html.unescape(_TAG.sub("", text or ""))


def _day(stamp) -> str:
    return str(stamp)[:10]  # 2025-12-31: read by Vega as UTC midnight, hence the utc scale below


def _rows(figure: go.Figure, unit: str, decimals: int) -> list[dict]:
    """One row per point of each series, with its value as the hover shows it (1,234 件)."""
    return [{"时间": _day(x), "数值": float(y), "系列": trace.name, "显示": f"{y:,.{decimals}f} {unit}"}
            for trace in figure.data for x, y in zip(trace.x, trace.y)]


def _series_layer(trace) -> dict:
    step = trace.line.shape == "hv"
    return {
        "transform": [{"filter": {"field": "系列", "equal": trace.name}}],
        "mark": {"type": "line", "interpolate": "step-after" if step else "linear",
                 "point": {"filled": True, "size": 50} if "markers" in (trace.mode or "") else False},
    }


def _x_axis(figure: go.Figure) -> dict:
    """Ticks on the figure's own tick values (a quarter's or a year's last day) with its labels, or, for
    months, the figure's date format."""
    axis = figure.layout.xaxis
    if axis.tickvals is None:
        return {"labelExpr": "utcFormat(datum.value, '%Y年%m月')", "title": None, "labelOverlap": True}
    values = [_day(v) for v in axis.tickvals]
    # label by the tick's date; a two-line label (Q1<br>2025年) as a list of lines
    names = {day: (_plain(text.replace("<br>", "\n")).split("\n")) for day, text in zip(values, axis.ticktext)}
    lookup = " : ".join(f"utcFormat(datum.value, '%Y-%m-%d') == '{day}' ? {lines!r}"
                        for day, lines in names.items())
    return {"values": [{"year": int(d[:4]), "month": int(d[5:7]), "date": int(d[8:]), "utc": True} for d in values],
            "labelExpr": f"{lookup} : ''", "title": None, "labelAngle": 0}


def _y(decimals: int, **where) -> dict:
    """The value axis, the same in every layer (Vega-Lite merges the layers' axes); a whole-number goal (0
    decimals: marks, firms) has no tick between whole numbers. Labels through labelExpr: an axis's `format`
    did not reach the chart Streamlit drew (6e+3 for 6,000)."""
    axis = {"labelExpr": "format(datum.value, ',')", **({"tickMinStep": 1} if decimals == 0 else {})}
    return {"type": "quantitative", "title": None, "scale": {"zero": True}, "axis": axis, **where}


def _target_layers(figure: go.Figure, decimals: int) -> list[dict]:
    """The target as a line across the plot, its label above the line's left end."""
    shapes = [shape for shape in figure.layout.shapes if shape.y0 is not None and shape.y0 == shape.y1]
    if not shapes:
        return []
    shape = shapes[0]
    label = next((note for note in figure.layout.annotations if note.yref != "paper"), None)
    once = {"values": [{}]}  # drawn once, not once per row of the series' data
    layers = [{"data": once, "mark": {"type": "rule", "color": shape.line.color, "strokeWidth": shape.line.width or 2},
               "encoding": {"y": _y(decimals, datum=shape.y0)}}]
    if label is not None:
        layers.append({"data": once, "mark": {"type": "text", "align": "left", "baseline": "bottom", "dx": 4, "dy": -3,
                                "color": label.font.color or shape.line.color, "fontSize": label.font.size or 13},
                       "encoding": {"x": {"value": 0}, "y": _y(decimals, datum=shape.y0),
                                    "text": {"value": _plain(label.text)}}})
    return layers


def goal_trend_spec(figure: go.Figure, unit: str, decimals: int, legend_lines: bool = False) -> dict:
    """The Vega-Lite spec of charts.goals.goal_trend_figure's figure: its series (colour, dash, width, step),
    the target line and label, its title and subtitle, tick labels and source line; a hover per point. The
    legend sits above the plot, clear of the source line below it; `legend_lines`: an entry a line, for a
    column that may be a phone's width (a row of entries is not wrapped by Vega)."""
    title, _, subtitle = (figure.layout.title.text or "").partition("<br>")
    parts = _plain(subtitle).split(" · ")  # region · month · unit · now: in two lines where a phone may show it
    lines = [" · ".join(parts[:2]), " · ".join(parts[2:])] if legend_lines and len(parts) > 2 else " · ".join(parts)
    traces = [trace for trace in figure.data if trace.name]
    names = [trace.name for trace in traces]
    series = {
        "color": {"field": "系列", "type": "nominal", "title": None,
                  "scale": {"domain": names, "range": [trace.line.color for trace in traces]}},
        "strokeDash": {"field": "系列", "type": "nominal", "scale": {"domain": names,
                       "range": [DASHES.get(trace.line.dash, []) for trace in traces]}},
        "strokeWidth": {"field": "系列", "type": "nominal",
                        "scale": {"domain": names, "range": [trace.line.width or 2 for trace in traces]}},
    }
    source = next((note for note in figure.layout.annotations if note.yref == "paper"), None)
    axes = {"x": {"field": "时间", "type": "temporal", "scale": {"type": "utc"}, "axis": _x_axis(figure)},
            "y": _y(decimals, field="数值")}
    layers = [{**_series_layer(trace), "encoding": {**axes, **series}} for trace in traces]
    # a hover per point: the date, the series and its value in the goal's own decimals and unit
    layers.append({"mark": {"type": "point", "opacity": 0, "size": 120},
                   "encoding": {**axes, "tooltip": [{"field": "系列", "title": "系列"},
                                            {"field": "时间", "type": "temporal", "title": "时间",
                                             "format": "%Y-%m-%d", "formatType": "utc"},
                                            {"field": "显示", "title": "数值"}]}})
    layers += _target_layers(figure, decimals)
    if source is not None:
        layers.append({"data": {"values": [{}]},
                       "mark": {"type": "text", "align": "left", "baseline": "top", "color": PLAN, "fontSize": 11},
                       "encoding": {"x": {"value": 0}, "y": {"value": PLOT_HEIGHT + SOURCE_GAP},
                                    "text": {"value": _plain(source.text)}}})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": _plain(title), "subtitle": lines, "anchor": "start", "fontSize": 18,
                  "subtitleFontSize": 13, "subtitleColor": INK, "color": INK},
        "height": PLOT_HEIGHT,
        "autosize": {"type": "fit-x", "contains": "padding"},  # the container's width; the plot keeps its height
        "data": {"values": _rows(figure, unit, decimals)},
        "layer": layers,
        "config": {"font": FONT_FAMILY,
                   "legend": {"orient": "top", "direction": "vertical" if legend_lines else "horizontal",
                              "labelFontSize": 13, "labelLimit": 320, "symbolType": "stroke"},
                   "axis": {"labelFontSize": 12, "labelColor": INK, "gridColor": "#eef0f2", "domainColor": "#9aa5b1"}},
    }


# --- a card's sparkline ---------------------------------------------------------------------------------
# A small SVG drawn here rather than st.metric's own chart: each of those is a Vega view of its own, and the
# overview's 28 cost it about 0.9 s in the browser (bench_pages, side by side); an image costs next to nothing.
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 240, 44, 4


def sparkline_svg(values: list[float], color: str = ACTUAL) -> str | None:
    """The values (oldest first) as a line over a light area, the latest point marked: an SVG `SPARK_WIDTH` ×
    `SPARK_HEIGHT` that scales with the card (vector, sharp in print). None for fewer than two values."""
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    span = (high - low) or 1.0  # a flat series: a line across the middle
    middle = 0.5 if high == low else None
    inner = SPARK_HEIGHT - 2 * SPARK_PAD
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / (len(values) - 1)
    points = [(SPARK_PAD + n * step,
               SPARK_PAD + inner * (middle if middle is not None else 1 - (value - low) / span))
              for n, value in enumerate(values)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    last_x, last_y = points[-1]
    base = SPARK_HEIGHT - SPARK_PAD
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
            f'width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}">'
            f'<polygon points="{points[0][0]:.1f},{base} {line} {last_x:.1f},{base}" fill="{color}" '
            f'fill-opacity="0.08"/>'
            f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2" stroke-linejoin="round"/>'
            f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="3" fill="{color}"/></svg>')
