"""质押融资: cumulative IP pledge financing against the goals, and the deals behind it."""

import streamlit as st

from ipmetrics.charts import areas
from ipmetrics.core import periods
from pages.shell import cache, context, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
since = ctx.settings.financing_since
view = cache.financing_view(*cache.view_args(ctx), since)
amount_card = cache.card(ctx, "pledge_financing_amount")
since_text = periods.month_label(since)
charts = {c.key: c for c in areas.financing_charts(view, context.where(ctx), amount_card.goal.source, since_text)}

st.title(f"知识产权质押融资 · {ctx.region_name}")
st.caption(f"{periods.month_end_label(ctx.as_of)} · 罗政〔2021〕28号 第（八）条 · 自{since_text}起累计")

columns = st.columns(3)
columns[0].metric("累计融资（家次）", f"{view.deals:,}", help="目标：2030年达到10家（次）")
columns[1].metric("累计融资额", f"{amount_card.goal.format_value(view.amount_wan)} 万元", help="目标：2030年累计5000万元")
columns[2].metric("融资企业", f"{len(view.enterprises):,} 家")

left, right = st.columns(2)
with left:
    st.subheader("融资家次与目标")
    widgets.goal_chart(ctx, "pledge_financing_count", key="pl_count")
with right:
    st.subheader("融资额与目标")
    widgets.goal_chart(ctx, "pledge_financing_amount", key="pl_amount")

widgets.show_chart(ctx, charts["pl_monthly"], "每月质押登记")
left, right = st.columns(2)
with left:
    widgets.show_chart(ctx, charts["pl_lender"], "按质权人（银行）")
with right:
    widgets.show_chart(ctx, charts["pl_type"], "按质押物类型")
widgets.table_section(ctx, "获得融资的企业", view.enterprises, key="pl_firms", empty="没有质押融资记录。")
