"""质押融资: cumulative IP pledge financing against the goal file's financing goals, and the deals behind it."""

import streamlit as st

from ipmetrics.charts import areas
from ipmetrics.charts.month import area_source
from ipmetrics.core import periods
from pages.shell import cache, context, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
registry = ctx.registry
since = ctx.settings.financing_since
view = cache.financing_view(*cache.view_args(ctx), since)
goals = registry.tagged("financing")  # the goals this page charts, as the goal file tags them
by_kind = {goal.kind: goal for goal in reversed(goals)}  # the first count goal, the first amount goal
since_text = periods.month_label(since)
source = area_source(registry, "financing")
charts = {c.key: c for c in areas.financing_charts(view, context.where(ctx), source, since_text)}

st.title(f"知识产权质押融资 · {ctx.region_name}")
st.caption(f"{periods.month_end_label(ctx.as_of)} · {registry.article('financing')} · 自{since_text}起累计")


def target_help(kind: str) -> str | None:
    goal = by_kind.get(kind)
    return f"目标：{goal.target_phrase()}" if goal else None


amount = by_kind["amount"].format_value(view.amount_wan) if "amount" in by_kind else f"{view.amount_wan:,.0f}"
columns = st.columns(3)
columns[0].metric("累计融资（家次）", f"{view.deals:,}", help=target_help("count"))
columns[1].metric("累计融资额", f"{amount} 万元", help=target_help("amount"))
columns[2].metric("融资企业", f"{len(view.enterprises):,} 家")

for start in range(0, len(goals), 2):
    for column, goal in zip(st.columns(2), goals[start:start + 2]):
        with column:
            st.subheader(f"{goal.label}与目标")
            widgets.goal_chart(ctx, goal.id, key=f"pl_{goal.id}")

widgets.show_chart(ctx, charts["pl_monthly"], "每月质押登记")
left, right = st.columns(2)
with left:
    widgets.show_chart(ctx, charts["pl_lender"], "按质权人（银行）")
with right:
    widgets.show_chart(ctx, charts["pl_type"], "按质押物类型")
widgets.table_section(ctx, "获得融资的企业", view.enterprises, key="pl_firms", empty="没有质押融资记录。")
