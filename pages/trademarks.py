"""商标: registered marks against the goal file's trademark goals, and what they are made of."""

import streamlit as st

from ipmetrics.charts import areas
from ipmetrics.charts.month import area_source
from ipmetrics.core import periods
from ipmetrics.themes.ledger import measure_ledger
from pages.shell import cache, context, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
registry = ctx.registry
view = cache.trademark_view(*cache.view_args(ctx))
goals = registry.tagged("trademarks")  # the goals this page charts, as the goal file tags them
card = cache.card(ctx, goals[0].id) if goals else None
store = cache.get_store(ctx.settings.db_url)
source = area_source(registry, "trademarks")
charts = {c.key: c for c in areas.trademark_charts(view, context.where(ctx), source)}

st.title(f"商标 · {ctx.region_name}")
st.caption(f"{periods.month_end_label(ctx.as_of)} · {registry.article('trademarks')}"
           + (f" · {card.definition}" if card else ""))

columns = st.columns(4)
columns[0].metric("有效注册商标", f"{view.in_force:,} 件",
                  help="截至月底在有效期内的注册商标（明细合计；总览卡片在有上报数时采用上报数）")
columns[1].metric("本月新注册", f"{view.new_this_month:,} 件")
change = view.new_year_to_date - view.new_same_period_last_year
columns[2].metric(f"{ctx.as_of.year}年累计新注册", f"{view.new_year_to_date:,} 件",
                  delta=f"{change:+,} 件", delta_description="较上年同期",
                  delta_color="normal" if change else "off", delta_arrow="auto" if change else "off")
columns[3].metric("地理标志 / 驰名商标", f"{len(view.gi)} / {len(view.well_known)} 件")

for goal in goals:
    st.subheader(widgets.goal_heading(goal.label, goal))
    widgets.goal_chart(ctx, goal.id, key="tm" if goal is goals[0] else f"tm_{goal.id}")

widgets.show_chart(ctx, charts["tm_monthly"], "每月新注册商标")
widgets.records_button(lambda: measure_ledger(store, "trademarks_cumulative", ctx.region, ctx.region_name, ctx.as_of,
                                              f"{periods.month_label(ctx.as_of)}新注册商标", since=ctx.as_of),
                       key="tm_new_ledger", label="台账：本月新注册的商标")

left, right = st.columns(2)
with left:
    widgets.show_chart(ctx, charts["tm_type"], "按商标类型")
with right:
    widgets.show_chart(ctx, charts["tm_industry"], "按行业")
widgets.show_chart(ctx, charts["tm_township"], "按乡镇（街道）")
widgets.table_section(ctx, "持有有效商标最多的注册人", view.top_holders, key="tm_holders", empty="没有有效注册商标。")

well_known = registry.first_tagged("well_known")
left, right = st.columns(2)
with left:
    widgets.table_section(ctx, "地理标志商标", view.gi, key="tm_gi", empty="截至本月没有有效的地理标志商标。")
with right:
    widgets.table_section(ctx, "中国驰名商标", view.well_known, key="tm_well_known",
                          empty="截至本月没有驰名商标" + (f"（目标：{well_known.target_phrase()}）。" if well_known else "。"))
