"""Plotly figures for the dashboard, in one report theme (white, print-friendly, Chinese fonts named)."""

from __future__ import annotations

import copy
import functools
import html
import re
import unicodedata

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# Every figure of this program is in the white report theme (apply_theme). As the default, plotly applies the
# template when a figure is written out; named in update_layout, it was validated and copied into every figure
# built (about 8 ms a figure, a fifth of a page's script run).
pio.templates.default = "plotly_white"

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
    # Room under the plot for a legend that wraps in a narrow column; a chart without a legend (the rankings)
    # keeps none, or its source line would sit a legend's height below the axis title.
    legend = figure.layout.showlegend is not False
    top, bottom = 80, (150 if legend else 100) if source else (110 if legend else 70)
    plot_height = max(height - top - bottom, 100)
    figure.update_layout(
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



# --- exported images (PNG, SVG, PDF) -------------------------------------------------------------------
# A PNG is laid out EXPORT_WIDTH_PX wide and rendered at scale 2.5: 756 × 2.5 = 1890 px, which is 16 cm at
# 300 dpi (16 / 2.54 × 300 = 1890), the width Word gives it in an A4 text column. One layout px therefore
# prints at 16 cm / 756 px = (16 / 2.54 × 72 pt) / 756 = 453.5 / 756 = 0.6 pt. The screen sizes above
# (11 px source line, 12.6 px subtitle, 13 px target label) would print at 6.6–7.8 pt; exported text is at
# least EXPORT_MIN_FONT_PX = 16 px → 16 × 0.6 = 9.6 pt ≥ 9 pt; body 17 px → 10.2 pt; title 22 px → 13.2 pt.
EXPORT_WIDTH_PX = 756
PRINT_WIDTH_CM = 16
EXPORT_MIN_FONT_PX = 16
EXPORT_BODY_FONT_PX = 17
EXPORT_TITLE_FONT_PX = 22
# The screen layout (heights, margins, the legend's and source line's offsets in px) grown in the same
# ratio as the body text, so labels keep their room: a bar's row, the rotated year labels, the legend.
EXPORT_GROWTH = EXPORT_BODY_FONT_PX / 14


def printed_pt(font_px: float, width_px: float = EXPORT_WIDTH_PX, placed_cm: float = PRINT_WIDTH_CM) -> float:
    """The size in points at which text of `font_px` layout px prints when the image is placed `placed_cm` wide."""
    return font_px * (placed_cm / 2.54 * 72) / width_px


def _merge(target: dict, changes: dict) -> dict:
    """`changes` written into `target` the way plotly's update_layout does: nested dicts merged, other
    values replaced."""
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value
    return target


def _raised(font: dict | None, size: float) -> dict:
    """The font at least `size` px, its colour and family kept."""
    font = dict(font or {})
    font["size"] = max(font.get("size") or size, size)
    return font


@functools.cache
def _has_textfont(trace_type: str) -> bool:
    trace_class = type(go.Figure(data=[{"type": trace_type}]).data[0])
    return "textfont" in trace_class()


def _axes(layout: dict, letter: str) -> list[str]:
    """The layout's x (or y) axes, as plotly's update_xaxes finds them: the first always, others where set."""
    first = f"{letter}axis"
    return [first, *(key for key in layout if key.startswith(first) and key != first)]


def export_dict(figure: go.Figure | dict) -> dict:
    """The figure as a dict in the export type sizes: no text under EXPORT_MIN_FONT_PX (the subtitle, the
    source line, tick labels, annotations, bar labels), the height and margins grown by EXPORT_GROWTH (the
    legend, placed in the plot's height, moves with them; the source line's offset is grown too).

    Made on the figure's dict, the changes being plotly's own update_layout semantics: a plotly copy of a
    figure validates every property again (the month's 50 charts: 1 s of the 2.3 s spent building them)."""
    exported = figure.to_dict() if isinstance(figure, go.Figure) else copy.deepcopy(figure)
    layout = exported.setdefault("layout", {})
    title = layout.get("title", {}).get("text") or ""
    margin = layout.get("margin", {})
    _merge(layout, {
        "font": {"size": EXPORT_BODY_FONT_PX},
        "title": {"text": title.replace("<sup>", f"<span style='font-size:{EXPORT_MIN_FONT_PX}px'>")
                  .replace("</sup>", "</span>"), "font": {"size": EXPORT_TITLE_FONT_PX}},
        "legend": {"font": {"size": EXPORT_MIN_FONT_PX}},
        "height": round((layout.get("height") or 460) * EXPORT_GROWTH),
        "margin": {side: round((margin.get(side) or 0) * EXPORT_GROWTH) for side in ("t", "b", "l", "r")},
    })
    for axis in _axes(layout, "x") + _axes(layout, "y"):
        _merge(layout.setdefault(axis, {}), {"tickfont": {"size": EXPORT_MIN_FONT_PX}})
    for annotation in layout.get("annotations", []):
        annotation["font"] = _raised(annotation.get("font"), EXPORT_MIN_FONT_PX)
        annotation["yshift"] = (annotation.get("yshift") or 0) * EXPORT_GROWTH
    for trace in exported.get("data", []):
        if _has_textfont(trace.get("type", "scatter")):
            trace["textfont"] = _raised(trace.get("textfont"), EXPORT_MIN_FONT_PX)
        if trace.get("type") == "bar":  # plotly shrinks a label to a thin bar's thickness otherwise
            trace["constraintext"] = "none"
    source, added = _wrap_source_line(exported, EXPORT_WIDTH_PX)
    if added:
        # The lines added go below the plot: the figure and its bottom margin grow by them and the source
        # line's foot moves down as much, so the plot, the legend and the first line stay where they were.
        layout["height"] += added
        layout["margin"]["b"] += added
        source["yshift"] -= added
    return exported


# --- the source line, kept inside the picture ------------------------------------------------------------
# The source line starts at the plot's left edge (apply_theme); a long one ("数据来源：…；人口：…；示例数据") ran
# past the picture's right edge and was cut off there, in PNG, SVG and PDF alike. Where the export's or the
# slide's width is known it is wrapped instead, the picture growing by the lines it adds.
SOURCE_LINE_SPACING = 1.3  # plotly's line height in a text of several lines, in em
_SOURCE_PAD_PX = 8  # room kept free at the picture's right edge
_TICK_ROOM_PX = 16  # what plotly's automargin adds beside the widest tick label


def _is_source_line(annotation: dict) -> bool:
    return annotation.get("yref") == "paper" and (annotation.get("yshift") or 0) < 0


def text_px(text: str, font_px: float) -> float:
    """A line's width in px, estimated on the generous side: a Han or other wide character one em, the rest
    0.6 em (an HTML entity counts as one character)."""
    plain = re.sub(r"&#?\w+;", "x", text)
    return sum(font_px if unicodedata.east_asian_width(c) in "WFA" else 0.6 * font_px for c in plain)


def wrapped(text: str, width_px: float, font_px: float) -> list[str]:
    """`text` in lines of at most `width_px`: broken after a ；or ，where that fits, else between characters
    (never inside an HTML entity)."""
    lines, line = [], ""
    for piece in re.split(r"(?<=[；，])", text):
        if text_px(line + piece, font_px) <= width_px:
            line += piece
            continue
        if line:
            lines.append(line)
            line = ""
        for unit in re.findall(r"&#?\w+;|.", piece):  # kept whole when it fits a line, else split
            if line and text_px(line + unit, font_px) > width_px:
                lines.append(line)
                line = ""
            line += unit
    if line:
        lines.append(line)
    return lines


def _plot_left_px(figure: dict, margin_left: float, tick_px: float) -> float:
    """Where the plot starts: the left margin, or further right where plotly's automargin makes room for long
    category labels (a horizontal bar chart's names)."""
    widest = 0.0
    for trace in figure.get("data", []):
        labels = trace.get("y")
        if trace.get("orientation") == "h" and labels is not None and not isinstance(labels, (dict, str)):
            widest = max([widest, *(text_px(label, tick_px) for label in labels if isinstance(label, str))])
    return max(margin_left, widest + _TICK_ROOM_PX if widest else 0)


def _wrap_source_line(figure: dict, width_px: float) -> tuple[dict | None, int]:
    """The figure's source line wrapped anew to end inside a picture `width_px` wide, its lines left-aligned
    (plotly centres them otherwise): the annotation (None when there is none) and the px its added lines take."""
    layout = figure["layout"]
    for annotation in layout.get("annotations", []):
        if _is_source_line(annotation):
            font_px = (annotation.get("font") or {}).get("size") or layout.get("font", {}).get("size") or 12
            left = _plot_left_px(figure, (layout.get("margin") or {}).get("l") or 0, EXPORT_MIN_FONT_PX)
            lines = wrapped(annotation["text"].replace("<br>", ""), width_px - left - _SOURCE_PAD_PX, font_px)
            annotation["text"] = "<br>".join(lines)
            if len(lines) == 1:
                return annotation, 0
            annotation["align"] = "left"
            return annotation, (len(lines) - 1) * round(SOURCE_LINE_SPACING * font_px)
    return None, 0


def for_export(figure: go.Figure) -> go.Figure:
    """A copy of the figure in the export type sizes (export_dict), as a plotly figure."""
    return go.Figure(export_dict(figure))


# --- a goal chart drawn for a slide ----------------------------------------------------------------------
# On a projected slide text must be at least 14 pt. The chart is laid out in px at SLIDE_PX_PER_PT px a
# point, so the export type (16 px at the least) is 16 × 0.875 = 14 pt once placed at the box's size. The
# slide's title names the goal: the chart keeps only its subtitle (region, month, unit) and the source line.
SLIDE_PT_PER_PX = 14 / EXPORT_MIN_FONT_PX
SLIDE_TOP_PX = 40
SLIDE_TICKS_PX = round(3.2 * EXPORT_MIN_FONT_PX)  # the x axis's labels under the plot: two lines for quarters (Q1 / 2024年)
SLIDE_LEGEND_PX = round(3.4 * EXPORT_MIN_FONT_PX)  # up to two rows of legend
SLIDE_SOURCE_PX = round(1.6 * EXPORT_MIN_FONT_PX)


def slide_layout_px(width_pt: float, height_pt: float) -> tuple[int, int]:
    """The layout size in px of a chart placed `width_pt` × `height_pt` on a slide."""
    return round(width_pt / SLIDE_PT_PER_PX), round(height_pt / SLIDE_PT_PER_PX)


def slide_dict(figure: go.Figure | dict, width_px: int, height_px: int) -> dict:
    """The figure as a dict laid out `width_px` × `height_px` in the export type sizes, for a slide box of
    that size in SLIDE_PT_PER_PX: the title dropped for the subtitle, the legend and source line placed
    under the plot in px."""
    slide = export_dict(figure)
    layout = slide["layout"]
    title = layout["title"]["text"]
    subtitle = title.split("<br>", 1)[1] if "<br>" in title else title
    layout["margin"]["l"] = 60  # the slide's own margin, for the source line's width below
    _, added = _wrap_source_line(slide, width_px)  # for the slide's width: the plot gives up the room it takes
    bottom = SLIDE_TICKS_PX + SLIDE_LEGEND_PX + SLIDE_SOURCE_PX + added
    plot_height = max(height_px - SLIDE_TOP_PX - bottom, 60)
    _merge(layout, {
        "width": width_px, "height": height_px, "title": {"text": subtitle, "y": 1, "yanchor": "top",
                                                          "yref": "container", "pad": {"t": 6}},
        "margin": {"t": SLIDE_TOP_PX, "b": bottom, "l": 60, "r": 24},
        "legend": {"y": -SLIDE_TICKS_PX / plot_height, "yanchor": "top"},
    })
    for annotation in layout.get("annotations", []):
        if _is_source_line(annotation):
            annotation["yshift"] = -(bottom - 4)
    return slide


def for_slide(figure: go.Figure, width_px: int, height_px: int) -> go.Figure:
    """A copy of the figure drawn for a slide box (slide_dict), as a plotly figure."""
    return go.Figure(slide_dict(figure, width_px, height_px))
