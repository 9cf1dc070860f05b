"""The 品牌培育 figure: how many named brands stand at each step of their application (article 五)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ipmetrics.charts.theme import ACTUAL, PLAN, TARGET, apply_theme, safe
from ipmetrics.core import periods
from ipmetrics.themes.brands import REJECTED, STAGES

# The pipeline darkens as a brand moves along it; a rejection stands apart in the target red.
STAGE_COLOURS = {"not_filed": "#c9d6e8", "filed": "#9bb5d6", "accepted": "#6b93c4", "published": "#3f73b2",
                 "registered": ACTUAL}
REJECTED_COLOUR = TARGET


def _hover_names(names: list[str]) -> str:
    return "<br>".join(safe(n) for n in names) if names else "（无）"


def pipeline_figure(stages: pd.DataFrame, region_name: str, as_of: pd.Period, sample: bool = False,
                    basis: str | None = None) -> go.Figure:
    """A horizontal bar per step (未申报 at the top, 已注册 at the bottom) and 驳回 apart below a rule;
    hovering a bar names its brands. `stages` is brands.pipeline(...); `basis` the policy article that
    names the brands (registry.article("brands"))."""
    flow = stages[stages["status"].isin(STAGES)]
    rejected = stages[stages["status"] == REJECTED]
    figure = go.Figure()
    for frame, name, colours in [
        (flow, "申报流程", [STAGE_COLOURS[s] for s in flow["status"]]),
        (rejected, "驳回（不在流程内）", [REJECTED_COLOUR] * len(rejected)),
    ]:
        figure.add_trace(go.Bar(
            y=frame["label"].tolist(), x=frame["count"].astype(int).tolist(), orientation="h", name=name,
            marker={"color": colours}, text=frame["count"].astype(int).tolist(), textposition="outside",
            cliponaxis=False, customdata=[_hover_names(n) for n in frame["names"]],
            hovertemplate="<b>%{y}</b>：%{x} 个<br>%{customdata}<extra></extra>",
        ))
    most = int(stages["count"].max()) if len(stages) else 0
    total = int(stages["count"].sum())
    subtitle = f"{region_name} · {periods.month_end_label(as_of)} · 共 {total} 个培育品牌（集体商标与地理标志商标）"
    source = (f"依据：{basis}；" if basis else "") + "数据来源：品牌培育台账" + ("；示例数据" if sample else "")
    apply_theme(figure, "品牌申报进度", subtitle, source, height=420)
    figure.update_layout(hovermode="closest", bargap=0.35, showlegend=True)
    figure.update_xaxes(title={"text": "品牌数（个）"}, tickformat="d", dtick=1, range=[0, most + 1],
                        rangemode="tozero")
    figure.update_yaxes(categoryorder="array", categoryarray=stages["label"].tolist(), autorange="reversed",
                        showgrid=False, tickformat="")
    if len(rejected) and len(flow):
        # A rule between the pipeline and the rejections (between the last two categories).
        figure.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y", y0=len(flow) - 0.5, y1=len(flow) - 0.5,
                         line={"color": PLAN, "width": 1, "dash": "dot"})
    return figure
