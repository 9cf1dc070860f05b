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
    return exported


def previous_for_slide(figure: go.Figure, width_px: int, height_px: int) -> go.Figure:
    slide = previous_for_export(figure)
    title = slide.layout.title.text or ""
    subtitle = title.split("<br>", 1)[1] if "<br>" in title else title
    bottom = theme.SLIDE_TICKS_PX + theme.SLIDE_LEGEND_PX + theme.SLIDE_SOURCE_PX
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
