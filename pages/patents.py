"""专利: the goal file's patent goals (invention patents per 10,000 residents here), and the grants behind them."""

import streamlit as st

from ipmetrics.charts import areas
from ipmetrics.charts.month import area_source
from ipmetrics.core import periods
from pages.shell import cache, context, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
registry = ctx.registry
view = cache.patent_view(ctx)
goals = registry.tagged("patents")  # the goals this page charts, as the goal file tags them
card = cache.card(ctx, goals[0].id) if goals else None
source = area_source(registry, "patents")
charts = {c.key: c for c in areas.patent_charts(view, context.where(ctx), source)}

st.title(f"专利 · {ctx.region_name}")
st.caption(f"{periods.month_end_label(ctx.as_of)} · {registry.article('patents')}"
           + (f" · {card.definition}" if card else ""))

columns = st.columns(4)
if card is not None:
    goal, p = card.goal, card.progress
    columns[0].metric(goal.label, f"{goal.format_value(p.value)} {goal.unit}",
                      help=f"目标：{goal.target_year}年{goal.target_text()}" if goal.target is not None else goal.target_phrase())
columns[1].metric("有效发明专利（国内授权）", f"{view.valid_inventions:,} 件")
ytd = dict(zip(view.grants_year_to_date["专利类型"], view.grants_year_to_date["授权件数"]))
columns[2].metric(f"{ctx.as_of.year}年授权 发明/实用新型/外观",
                  f"{ytd['发明']} / {ytd['实用新型']} / {ytd['外观设计']} 件")
columns[3].metric("国外授权专利（累计）", f"{len(view.abroad)} 件")

for goal in goals:
    st.subheader(widgets.goal_heading(goal.name_zh, goal))
    widgets.goal_chart(ctx, goal.id, key="pt" if goal is goals[0] else f"pt_{goal.id}")

widgets.show_chart(ctx, charts["pt_monthly"], "每月专利授权（国内）")
window = f"{ctx.as_of - 11}至{ctx.as_of}"
widgets.show_chart(ctx, charts["pt_township"], f"近12个月授权，按乡镇（街道）（{window}）")
groups = "、".join(f"{group.article or ''}{group.name}" for group in registry.industry_groups)
widgets.show_chart(ctx, charts["pt_industry"], "近12个月授权，按产业" + (f"（{groups}）" if groups else ""))

widgets.table_section(ctx, "国外授权专利", view.abroad, key="pt_abroad",
                      empty=f"{ctx.region_name}截至本月没有国外授权的专利。")
