"""乡镇对比: every township (or, under a city, every county) side by side on each goal, absolute and per 10,000
residents (article 十四)."""

import streamlit as st

from ipmetrics.charts import areas
from ipmetrics.core import periods
from ipmetrics.core.hierarchy import LEVEL_ZH
from ipmetrics.themes import peers
from pages.shell import cache, context, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
comparison = cache.township_comparison(ctx)
tree = cache.region_tree(ctx.settings.db_url, ctx.data_version)
children = tree.children.get(ctx.region) or []
below = LEVEL_ZH.get(tree.levels[children[0]], peers.TOWNSHIP) if children else peers.TOWNSHIP  # 县（区） under a city

st.title(f"乡镇对比 · {ctx.region_name}下辖")
st.caption(f"{periods.month_end_label(ctx.as_of)} · {ctx.registry.article('townships')} · 与去年同月比较")

if comparison.empty:
    st.info(f"{ctx.region_name}没有下辖的{below}，请在侧栏选择县。")
    st.stop()

registry = ctx.registry
goal_id = st.selectbox("指标", registry.ids(), format_func=lambda i: registry.goal(i).name_zh, key="township_goal")
goal = registry.goal(goal_id)
per_10k = False
if not goal.per_region:
    per_10k = st.segmented_control("口径", ["绝对数", "每万人"], default="绝对数", key="township_basis") == "每万人"
if context.period_shown(goal, ctx.as_of):
    st.caption(f"{context.period_shown(goal, ctx.as_of)}；较去年同月即较上年同期。")
widgets.show_chart(ctx, areas.township_chart(comparison, registry, goal_id, per_10k, context.where(ctx), below))

st.subheader("全部指标一览")
shown = context.periods_shown(registry.goals, ctx.as_of)
st.caption("计数、金额类指标另列每万常住人口的数值；空白表示无数据（如名单内没有高新技术企业）。"
           + (f"{shown}。" if shown else ""))
overview = peers.township_overview(comparison, registry).rename(columns={peers.TOWNSHIP: below})
st.dataframe(overview, hide_index=True)
widgets.download_table(overview, f"{ctx.as_of}_{ctx.region_name}_乡镇对比_全部指标", key="townships_all_dl")
