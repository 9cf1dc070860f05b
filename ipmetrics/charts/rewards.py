"""Figures of the rewards budget (article 十), in the report theme of ipmetrics.charts."""

from __future__ import annotations

import plotly.graph_objects as go

from ipmetrics.charts.theme import INK, apply_theme
from ipmetrics.core import periods
from ipmetrics.themes.rewards import Budget, format_wan

# One colour per rule, in the order of data/indicators.toml; further rules take the next ones.
RULE_COLOURS = ["#1f5fa8", "#8e44ad", "#d97706", "#7c9a3c", "#6b7280", "#00838f"]


def yearly_budget_figure(b: Budget, region_name: str, sample: bool = False, article: str | None = None) -> go.Figure:
    """Money owed per year, stacked by rule, with each year's total written above its bar."""
    years = b.years
    x = [b.label(year) for year in years]
    amounts, counts, totals = b.amounts, b.counts, b.totals
    figure = go.Figure()
    for index, rule in enumerate(b.rules):
        figure.add_trace(go.Bar(
            x=x, y=amounts[rule.id].round(4).tolist(), name=rule.name,
            marker={"color": RULE_COLOURS[index % len(RULE_COLOURS)]},
            customdata=counts[rule.id].tolist(),
            hovertemplate=f"%{{customdata}} {rule.per} · %{{y:,.2f}} 万元<extra>{rule.name}</extra>",
        ))
    top = float(totals.max()) if len(totals) else 0.0
    for label, year in zip(x, years):
        figure.add_annotation(x=label, y=float(totals[year]), text=f"<b>{format_wan(totals[year])}</b>",
                              showarrow=False, yanchor="bottom", yshift=4, font={"size": 13, "color": INK})
    since = f"；按{periods.day_label(b.effective)}（政策印发）起发生的事项计算" if b.effective else ""
    source = "数据来源：企业认定记录、专利授权记录；按现行奖励标准测算" + since + ("；示例数据" if sample else "")
    subtitle = f"{region_name} · {periods.month_end_label(b.as_of)} · 单位：万元 · 柱顶数字为当年合计"
    title = "逐年应付知识产权奖励" + (f"（{article}）" if article else "")  # article: the rewards area's, 第（十）条
    apply_theme(figure, title, subtitle, source)
    figure.update_layout(barmode="stack", hovermode="x unified", legend_traceorder="normal")
    figure.update_xaxes(type="category", tickformat="")
    # Room above the tallest bar for its label.
    figure.update_yaxes(title={"text": "万元"}, range=[0, top * 1.15 if top > 0 else 1])
    return figure
