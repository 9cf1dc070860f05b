"""企业培育: national and provincial IP enterprises against the goals; 贯标 coverage and its to-do list."""

import streamlit as st

from ipmetrics.core import periods
from pages.shell import cache, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
view = cache.enterprise_view(*cache.view_args(ctx))
coverage = cache.card(ctx, "ip_standard_coverage")

st.title(f"企业培育 · {ctx.region_name}")
st.caption(f"{periods.month_end_label(ctx.as_of)} · 罗政〔2021〕28号 第（二）条、第（六）条、第（十）条")

columns = st.columns(4)
columns[0].metric("国家知识产权优势示范企业", f"{len(view.national)} 家", help="目标：2030年1家")
columns[1].metric("省知识产权强企", f"{len(view.provincial)} 家", help="目标：2030年2家")
columns[2].metric("高新技术、科技型中小企业", f"{view.eligible} 家")
columns[3].metric("已贯标", f"{view.certified} 家",
                  delta=f"覆盖率 {coverage.goal.format_value(coverage.progress.value)}%"
                  if coverage.progress.value is not None else None, delta_color="off", delta_arrow="off")

left, right = st.columns(2)
for column, title, goal_id, frame in ((left, "国家知识产权优势示范企业", "national_ip_enterprises", view.national),
                                      (right, "省知识产权强企", "provincial_ip_enterprises", view.provincial)):
    with column:
        st.subheader(title)
        widgets.goal_chart(ctx, goal_id, key=goal_id)
        if frame.empty:
            st.info(f"{ctx.region_name}截至本月还没有获认定的企业。")
        else:
            st.dataframe(frame, hide_index=True)

st.subheader("“贯标”覆盖率与2030年目标")
widgets.goal_chart(ctx, "ip_standard_coverage", key="coverage")

if view.eligible and view.uncertified.empty:
    st.subheader("尚未贯标的高新技术、科技型企业")
    st.success("名单内企业已全部通过贯标认证。")
else:
    widgets.table_section(ctx, f"尚未贯标的高新技术、科技型企业（{len(view.uncertified)} 家）", view.uncertified,
                          key="ent_todo", empty=f"{ctx.region_name}名单内没有高新技术企业或科技型中小企业。",
                          caption="覆盖率目标的待办清单：以下企业在名单内，截至本月尚未通过 GB/T 29490 认证。")
