"""The export and slide type sizes are applied to the figure's dict (charts.theme.export_dict, slide_dict)
instead of to a plotly copy, which validated every property again. The plotly-object version they replace
is kept here, and both must give the same figure for every chart of a month, the county's and a
township's, and for the shapes the month's charts do not have (subplots, pies, bars with labels)."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots
from plotly.utils import PlotlyJSONEncoder

from ipmetrics.charts import theme
from ipmetrics.charts.month import build_month
from ipmetrics.core import catalog
from ipmetrics.core.settings import Settings

DECEMBER = pd.Period("2025-12", freq="M")


# --- the replaced implementation (plotly objects), as it was ---------------------------------------------
def _raise_size(font, size: float) -> None:
    font.size = max(font.size or size, size)


def previous_for_export(figure: go.Figure) -> go.Figure:
    exported = go.Figure(figure)
    layout = exported.layout
    title = layout.title.text or ""
    margin = layout.margin
    exported.update_layout(
        font={"size": theme.EXPORT_BODY_FONT_PX},
        title={"text": title.replace("<sup>", f"<span style='font-size:{theme.EXPORT_MIN_FONT_PX}px'>")
               .replace("</sup>", "</span>"), "font": {"size": theme.EXPORT_TITLE_FONT_PX}},
        legend={"font": {"size": theme.EXPORT_MIN_FONT_PX}},
        height=round((layout.height or 460) * theme.EXPORT_GROWTH),
        margin={side: round((getattr(margin, side) or 0) * theme.EXPORT_GROWTH) for side in ("t", "b", "l", "r")},
    )
    exported.update_xaxes(tickfont={"size": theme.EXPORT_MIN_FONT_PX})
    exported.update_yaxes(tickfont={"size": theme.EXPORT_MIN_FONT_PX})
    for annotation in layout.annotations:
        _raise_size(annotation.font, theme.EXPORT_MIN_FONT_PX)
        annotation.yshift = (annotation.yshift or 0) * theme.EXPORT_GROWTH
    for trace in exported.data:
        if "textfont" in trace:
            _raise_size(trace.textfont, theme.EXPORT_MIN_FONT_PX)
        if trace.type == "bar":
            trace.constraintext = "none"
    added = _source_kept_inside(exported, theme.EXPORT_WIDTH_PX)
    if added:  # the picture grows below the plot by the lines added; their foot moves down as much
        layout.height += added
        layout.margin.b += added
        next(a for a in layout.annotations if a.yref == "paper" and (a.yshift or 0) < 0).yshift -= added
    return exported


def _source_kept_inside(figure: go.Figure, width_px: float) -> int:
    """The source line wrapped to end inside a picture `width_px` wide (since cut-off source lines were found
    in the exports): from the plot's left edge (its margin, or right of the widest name of a horizontal bar
    chart, where plotly's automargin puts it) to 8 px short of the right edge. Returns the px the lines added
    take (1.3 em each)."""
    for annotation in figure.layout.annotations:
        if annotation.yref == "paper" and (annotation.yshift or 0) < 0:
            names = [name for trace in figure.data if getattr(trace, "orientation", None) == "h"
                     for name in (trace.y if trace.y is not None else []) if isinstance(name, str)]
            widest = max((theme.text_px(name, theme.EXPORT_MIN_FONT_PX) for name in names), default=0)
            left = max(figure.layout.margin.l or 0, widest + 16 if widest else 0)
            lines = theme.wrapped(annotation.text.replace("<br>", ""), width_px - left - 8, annotation.font.size)
            annotation.text = "<br>".join(lines)
            if len(lines) > 1:
                annotation.align = "left"
                return (len(lines) - 1) * round(1.3 * annotation.font.size)
    return 0


def previous_for_slide(figure: go.Figure, width_px: int, height_px: int) -> go.Figure:
    slide = previous_for_export(figure)
    title = slide.layout.title.text or ""
    subtitle = title.split("<br>", 1)[1] if "<br>" in title else title
    slide.layout.margin.l = 60
    bottom = theme.SLIDE_TICKS_PX + theme.SLIDE_LEGEND_PX + theme.SLIDE_SOURCE_PX + _source_kept_inside(slide, width_px)
    plot_height = max(height_px - theme.SLIDE_TOP_PX - bottom, 60)
    slide.update_layout(
        width=width_px, height=height_px, title={"text": subtitle, "y": 1, "yanchor": "top", "yref": "container",
                                                 "pad": {"t": 6}},
        margin={"t": theme.SLIDE_TOP_PX, "b": bottom, "l": 60, "r": 24},
        legend={"y": -theme.SLIDE_TICKS_PX / plot_height, "yanchor": "top"},
    )
    for annotation in slide.layout.annotations:
        if annotation.yref == "paper" and (annotation.yshift or 0) < 0:
            annotation.yshift = -(bottom - 4)
    return slide


# --- comparison -------------------------------------------------------------------------------------------
def as_json(figure: go.Figure | dict) -> str:
    """What kaleido is sent, keys sorted (a dict's order is not part of the figure)."""
    data = figure.to_dict() if isinstance(figure, go.Figure) else figure
    return json.dumps(data, cls=PlotlyJSONEncoder, sort_keys=True, ensure_ascii=False)


def assert_same_exports(figures: list[go.Figure]) -> None:
    assert figures
    width, height = theme.slide_layout_px(640, 360)
    for figure in figures:
        before = as_json(figure)
        assert as_json(theme.export_dict(figure)) == as_json(previous_for_export(figure))
        assert as_json(theme.for_export(figure)) == as_json(previous_for_export(figure))
        assert as_json(theme.slide_dict(figure, width, height)) == as_json(previous_for_slide(figure, width, height))
        assert as_json(figure) == before  # the screen figure is left as it was


@pytest.fixture(scope="module")
def month_charts(sample_store, registry):
    settings = Settings(db_url=sample_store.url)
    names = catalog.region_names(sample_store)
    township = sorted(code for code in names if code.startswith("411521") and len(code) > 6)[0]
    figures = []
    for region in (registry.region, township):
        month = build_month(sample_store, registry, settings, region, names[region], DECEMBER, True)
        figures += [chart.figure for chart in month.charts if chart.figure is not None]
    return figures


def test_every_chart_of_a_month_exports_as_before(month_charts):
    assert len(month_charts) > 50  # the county's charts and a township's
    assert_same_exports(month_charts)


def test_shapes_the_month_lacks_export_as_before():
    subplots = make_subplots(rows=1, cols=2)
    subplots.add_bar(x=["甲", "乙"], y=[1, 2], text=["1", "2"], row=1, col=1)
    subplots.add_scatter(x=[1, 2], y=[3, 4], mode="lines+text", text=["a", "b"], textfont={"size": 30},
                         row=1, col=2)
    pie = go.Figure(go.Pie(labels=["甲", "乙"], values=[1, 2]))
    annotated = theme.apply_theme(go.Figure(go.Bar(x=[1], y=[2], textfont={"size": 8})), "标题", "副标题",
                                  "数据来源：示例")
    annotated.add_annotation(text="目标", x=1, y=2, yshift=5, font={"size": 20, "color": "#c62828"})
    untitled = go.Figure(layout={"margin": {"t": 10, "pad": 4}, "height": 300})
    assert_same_exports([subplots, pie, annotated, untitled])


def test_the_export_sizes_hold_on_the_dict():
    figure = theme.apply_theme(go.Figure(go.Bar(x=["甲"], y=[1], text=["1"])), "标题", "2025年12月 · 件",
                               "数据来源：示例")
    exported = theme.export_dict(figure)
    layout = exported["layout"]
    assert layout["font"]["size"] == 17 and layout["title"]["font"]["size"] == 22
    assert "<sup>" not in layout["title"]["text"] and "font-size:16px" in layout["title"]["text"]
    assert layout["height"] == round(460 * 17 / 14) == 559
    assert layout["margin"] == {"t": round(80 * 17 / 14), "b": round(150 * 17 / 14), "l": round(60 * 17 / 14),
                                "r": round(30 * 17 / 14)}
    assert layout["xaxis"]["tickfont"]["size"] == 16 and layout["yaxis"]["tickfont"]["size"] == 16
    source = layout["annotations"][0]
    assert source["font"]["size"] == 16 and source["font"]["color"] == theme.PLAN
    assert source["yshift"] == pytest.approx(-(150 - 16) * 17 / 14)
    assert exported["data"][0]["textfont"]["size"] == 16 and exported["data"][0]["constraintext"] == "none"


LONG_SOURCE = "数据来源：专利数据（省知识产权局月报，国家知识产权局数据）；人口：统计年鉴；示例数据"


def _bars(horizontal: bool) -> go.Figure:
    names = ["新兴产业 · 精密加工", "其他 · 建材"]
    bars = go.Bar(x=[76, 17], y=names, orientation="h") if horizontal else go.Bar(x=names, y=[76, 17])
    return theme.apply_theme(go.Figure(bars), "近12个月专利授权按产业", "罗山县 · 件", LONG_SOURCE)


def _source(exported: dict) -> dict:
    return next(a for a in exported["layout"]["annotations"] if a["yref"] == "paper" and a["yshift"] < 0)


def test_a_long_source_line_is_wrapped_to_end_inside_the_picture():
    # The plot starts right of the widest name, "新兴产业 · 精密加工": 4 + 4 Han characters and "·" at one em,
    # two spaces at 0.6 em = 10.2 em × 16 px = 163.2 px, + 16 px = 179.2 px. The source line (16 px) has
    # 756 - 179.2 - 8 = 568.8 px: its first 30 characters (480 px) fit, the next clause (128 px) does not.
    exported = theme.export_dict(_bars(horizontal=True))
    source = _source(exported)
    assert source["text"] == "数据来源：专利数据（省知识产权局月报，国家知识产权局数据）；<br>人口：统计年鉴；示例数据"
    assert source["align"] == "left"
    # One line more (1.3 em = 21 px): the picture and its bottom margin grow by it, the line's foot moves down
    # as much, so the plot keeps its height and the first line its place.
    assert exported["layout"]["height"] == 559 + 21 and exported["layout"]["margin"]["b"] == 182 + 21
    assert source["yshift"] == pytest.approx(-(150 - 16) * 17 / 14 - 21)
    # Vertical bars leave the plot at its 73 px margin: 756 - 73 - 8 = 675 px hold the whole line (672 px).
    upright = theme.export_dict(_bars(horizontal=False))
    assert _source(upright)["text"] == LONG_SOURCE and "align" not in _source(upright)
    assert upright["layout"]["height"] == 559
    # On a slide 657 px wide the plot starts at 60 px: 589 px a line, wrapped the same way; the plot gives up
    # the line's room (the slide's box is fixed).
    slide = theme.slide_dict(_bars(horizontal=False), 657, 354)
    assert _source(slide)["text"].count("<br>") == 1 and slide["layout"]["height"] == 354
    assert slide["layout"]["margin"]["b"] == theme.SLIDE_TICKS_PX + theme.SLIDE_LEGEND_PX + theme.SLIDE_SOURCE_PX + 21


def test_wrapping_breaks_after_clause_marks_else_between_characters():
    assert theme.wrapped("甲乙；丙丁", 64, 16) == ["甲乙；", "丙丁"]
    assert theme.wrapped("甲乙丙丁戊", 32, 16) == ["甲乙", "丙丁", "戊"]
    # R, &amp; (one character), D and the space at 0.6 em: 38.4 px of 40; an entity is never split
    assert theme.wrapped("R&amp;D 经费", 40, 16) == ["R&amp;D ", "经费"]
    assert theme.wrapped("R&amp;D", 20, 16) == ["R&amp;", "D"]
    assert theme.wrapped("短", 100, 16) == ["短"]
