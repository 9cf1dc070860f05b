"""总览: one card per goal, the ones behind schedule first."""

import streamlit as st

from ipmetrics.core import labels, periods
from ipmetrics.core.progress import REVIEW_ORDER
from ipmetrics.core.scorecard import GoalCard, review_order
from pages.shell import cache, context, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
cards = review_order(cache.cards(ctx))

st.title(f"总览 · {ctx.region_name}")
st.caption(f"{periods.month_end_label(ctx.as_of)} · {len(cards)} 项目标（{ctx.registry.policy}）· 落后于进度的排在前面")

widgets.status_counts(ctx, cards)


def draw_card(card: GoalCard) -> None:
    goal, p = card.goal, card.progress
    fmt = goal.format_value
    with st.container(border=True):
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f"**{goal.label}**")
            widgets.status_badge(ctx, p.status)
        change = None
        if p.change is not None:
            change = f"{p.change:+,.{goal.decimals}f} {goal.unit}"
        spark = card.frame["value"].dropna().iloc[-24:].round(goal.decimals + 2).tolist()
        st.metric(
            label=f"{goal.name_zh}（{goal.unit}）", value=fmt(p.value), delta=change,
            delta_description="较上月" if change else None,
            delta_color="off" if not p.change else "normal", delta_arrow="off" if not p.change else "auto",
            chart_data=spark or None, chart_type="line", help=card.definition, label_visibility="collapsed",
        )
        if p.target is not None:
            completion = p.completion or 0.0
            st.progress(min(max(completion, 0.0), 1.0),
                        text=f"完成 {completion:.1%} · 目标 {goal.target_text()}")
            st.caption(f"序时进度 {goal.format_estimate(p.expected)} · 按趋势预计{goal.target_year}年 "
                       f"{goal.format_estimate(p.projection)}")
        else:
            st.caption(f"目标为{ctx.whole}总量（{goal.target_text()}），未分解到本地区")
        with st.container(horizontal=True):
            st.page_link(context.DETAIL_PAGE, label="查看详情", icon=":material/arrow_forward:",
                         query_params={"goal": goal.name_zh})  # the sidebar's bound params carry over
            widgets.ledger_button(ctx, goal.id, key=f"ledger_{goal.id}")


for start in range(0, len(cards), 3):
    for column, card in zip(st.columns(3), cards[start:start + 3]):
        with column:
            draw_card(card)

with st.expander("状态如何判定"):
    due = f"{ctx.registry.target_year}年12月" if ctx.registry.target_year else "各项目标的目标期"
    st.markdown(
        f"按近{ctx.registry.method.projection_months}个月的数据拟合直线并外推到{due}，得到预计值；"
        "预期进度比 =（预计值 − 基期值）÷（目标值 − 基期值）。"
    )
    explained = ctx.status_texts()
    for status in REVIEW_ORDER:
        st.markdown(f"- **{labels.STATUS_LABEL[status]}**：{explained[status]}")
