"""指标详情: one goal's monthly series against its target, trajectory and projection."""

import streamlit as st

from ipmetrics.core import periods
from ipmetrics.core.scorecard import monthly_table
from pages.shell import cache, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
cards = {card.goal.id: card for card in cache.cards(ctx)}
registry = ctx.registry

goal_id = st.selectbox("指标", registry.ids(), key="goal", bind="query-params",
                       format_func=lambda i: registry.goal(i).name_zh)
card = cards[goal_id]
goal, p = card.goal, card.progress
fmt = goal.format_value
target_month = periods.month_label(goal.target_date)

with st.container(horizontal=True, vertical_alignment="center"):
    st.title(goal.name_zh)
    widgets.status_badge(ctx, p.status)
st.caption(f"{ctx.region_name} · {periods.month_end_label(ctx.as_of)} · {registry.policy} {goal.article}")

columns = [*st.columns(3), *st.columns(3)]
columns[0].metric("当前值", f"{fmt(p.value)} {goal.unit}",
                  delta=None if p.change is None else f"{p.change:+,.{goal.decimals}f}",
                  delta_description="较上月" if p.change is not None else None,
                  delta_color="normal" if p.change else "off", delta_arrow="auto" if p.change else "off")
columns[1].metric(f"{goal.target_year}年目标", goal.target_text() if p.target is not None else "未分解")
columns[2].metric("完成率", "—" if p.completion is None else f"{p.completion:.1%}")
estimate = goal.format_estimate
columns[3].metric("序时进度值", estimate(p.expected),
                  delta=None if p.gap is None else ("+" if p.gap >= 0 else "") + estimate(p.gap),
                  delta_description="实际−序时")
columns[4].metric("每月尚需", estimate(p.monthly_pace_needed, extra_decimals=2),
                  help=f"距目标的差额 ÷ 距{target_month}的月数")
columns[5].metric(f"按趋势预计{goal.target_year}年", estimate(p.projection),
                  help=f"近{registry.method.projection_months}个月数据的最小二乘直线外推至{target_month}",
                  delta=None if p.anticipated_progress is None else f"预期进度比 {p.anticipated_progress:.2f}",
                  delta_color="off", delta_arrow="off")

widgets.goal_chart(ctx, goal.id, key="detail")

with st.container(border=True):
    st.markdown(f"**定义**：{card.definition}")
    st.markdown(f"**依据**：{registry.policy_title}（{registry.policy}）{goal.article}")
    st.markdown(f"**数据来源**：{goal.source}")
    if p.baseline is not None:
        st.markdown(f"**基期值**：{fmt(p.baseline)} {goal.unit}（{p.baseline_month}）")

st.subheader("逐月数据")
table = monthly_table(card)
numbers = {column: st.column_config.NumberColumn(format="localized") for column in table.columns[[1, 3, 4]]}
st.dataframe(table, hide_index=True, height=320, column_config=numbers)
st.download_button("下载本表（CSV）", table.to_csv(index=False).encode("utf-8-sig"),
                   file_name=f"{ctx.as_of}_{goal.name_zh}_逐月数据.csv", mime="text/csv",
                   icon=":material/download:")
