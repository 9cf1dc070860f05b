"""知识产权保护 (articles 十一–十三): the goal file's protection indicators (theme 保护) period by period — the
declared rates between them charted (立案与结案、受理与办结), every figure in a table with 未上报 as —, and any
one indicator's trend."""

import streamlit as st

from ipmetrics.charts import protection as protection_charts
from ipmetrics.core import periods
from ipmetrics.themes import protection
from pages.shell import cache, context, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
registry = ctx.registry

st.title(f"知识产权保护 · {ctx.region_name}")
st.caption(f"{periods.month_end_label(ctx.as_of)} · {registry.article('protection')}")
if registry.area_note("protection"):
    st.caption(registry.area_note("protection"))

data = cache.region_data(ctx.settings.db_url, ctx.data_version, ctx.region)
view = protection.protection_view(registry, data.reported, ctx.as_of)
if view.empty:
    st.info(f"当前目标文件没有知识产权保护类指标：在目标文件中给指标写上 theme = \"{protection.PROTECTION_THEME}\"，"
            "并按期导入上报数值（上报数值导入），本页即按期列出。", icon=":material/info:")
    st.stop()

shown = context.periods_shown(view.goals, ctx.as_of)
if shown:
    st.caption(f"{shown}；由各部门上报，“—”表示该期未上报。")

for block in view.blocks:
    if block.rates and len(block.values):
        columns = st.columns(len(block.rates))
        for column, rate in zip(columns, block.rates):
            period, value = block.latest(rate.id)
            numerator, denominator = registry.goal(rate.numerator), registry.goal(rate.denominator)
            text = "—" if value is None else f"{value:,.{rate.decimals}f}{rate.unit}"
            column.metric(f"{rate.name_zh}（{periods.period_label(period)}）", text,
                          help=f"{numerator.name_zh} ÷ {denominator.name_zh} × {rate.scale:g}；任一项未上报则不计算。")
    for rate, chart in zip(block.rates, protection_charts.rate_charts(block, context.where(ctx))):
        widgets.show_chart(ctx, chart, protection_charts.rate_heading(block, rate))
    st.subheader(f"各{block.heading}上报数值")
    if not len(block.values):
        st.info(f"{ctx.region_name}没有{periods.FREQUENCY_LABEL[block.frequency]}保护类指标的上报数值"
                "（这些数值一般由县级部门上报全县数）。", icon=":material/info:")
        continue
    st.dataframe(block.text_table(), hide_index=True)
    widgets.download_table(block.table(), f"{ctx.as_of}_{ctx.region_name}_知识产权保护_{block.heading}",
                           key=f"protection_{block.frequency}_dl")

st.subheader("单项指标趋势")
goal_id = st.selectbox("指标", [goal.id for goal in view.goals], key="protection_goal",
                       format_func=lambda i: registry.goal(i).name_zh)
widgets.goal_chart(ctx, goal_id, key="protection_trend")
