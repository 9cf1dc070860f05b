"""企业培育: designated enterprises against the goal file's goals; 贯标 coverage and its to-do list."""

import streamlit as st

from ipmetrics.core import periods
from pages.shell import cache, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
registry = ctx.registry
view = cache.enterprise_view(*cache.view_args(ctx))
designations = registry.tagged("enterprises")  # the goals this page charts, as the goal file tags them
coverage_goal = registry.first_tagged("ip_standard")
coverage = cache.card(ctx, coverage_goal.id) if coverage_goal else None
# The named firms behind a designation goal, by the measure it counts (the records' designation dates); beside
# them the firms that applied and wait (在途) and the designations that ended (view.pipeline, view.lapsed).
designated = {"national_ip_enterprises": view.national, "provincial_ip_enterprises": view.provincial}

st.title(f"企业培育 · {ctx.region_name}")
st.caption(f"{periods.month_end_label(ctx.as_of)} · {registry.article('enterprises')}")

columns = st.columns(4)
for column, goal in zip(columns[:2], designations):
    card = cache.card(ctx, goal.id)
    column.metric(goal.name_zh, f"{goal.format_value(card.progress.value)} {goal.unit}",
                  help=f"目标：{goal.target_phrase()}")
columns[2].metric("高新技术、科技型中小企业", f"{view.eligible} 家")
columns[3].metric("已贯标", f"{view.certified} 家",
                  delta=f"覆盖率 {coverage.goal.format_value(coverage.progress.value)}%"
                  if coverage is not None and coverage.progress.value is not None else None,
                  delta_color="off", delta_arrow="off")

for start in range(0, len(designations), 2):
    for column, goal in zip(st.columns(2), designations[start:start + 2]):
        with column:
            st.subheader(goal.name_zh)
            widgets.goal_chart(ctx, goal.id, key=goal.id)
            measure = goal.compute.numerator_for(ctx.settings)
            firms = designated.get(measure)
            if firms is None:
                continue
            if firms.empty:
                st.info(f"{ctx.region_name}截至本月还没有获认定的企业。")
            else:
                if "级别" in firms:
                    st.caption("国家级认定按一家计，不论优势企业或示范企业；由优势企业升级为示范企业的，两个认定日期都保留。")
                st.dataframe(firms, hide_index=True)
            applied, lapsed = view.pipeline[measure], view.lapsed[measure]
            if not applied.empty:
                st.markdown(f"**在途 {len(applied)} 家**（已申报、截至本月尚未认定）")
                st.dataframe(applied, hide_index=True)
            if not lapsed.empty:
                st.markdown(f"**已失效 {len(lapsed)} 家**（复核未通过、被撤销或期满未续，自失效之月起不再计入）")
                st.dataframe(lapsed, hide_index=True)

if coverage_goal is not None:
    st.subheader(widgets.goal_heading(coverage_goal.label, coverage_goal))
    widgets.goal_chart(ctx, coverage_goal.id, key="coverage")

if view.eligible and view.uncertified.empty:
    st.subheader("尚未贯标的高新技术、科技型企业")
    st.success("名单内企业已全部通过贯标认证。")
else:
    widgets.table_section(ctx, f"尚未贯标的高新技术、科技型企业（{len(view.uncertified)} 家）", view.uncertified,
                          key="ent_todo", empty=f"{ctx.region_name}名单内没有高新技术企业或科技型中小企业。",
                          caption="覆盖率目标的待办清单：以下企业在名单内，截至本月尚未通过 GB/T 29490 认证。")
