"""政策全景: the whole policy on one screen — each part and article beside its indicators and tasks, so a
meeting sees which parts of the policy move and which do not; the entry to the meeting briefing."""

import streamlit as st

from ipmetrics.charts.policy import verdict_chart
from ipmetrics.core import periods
from ipmetrics.core.labels import plain
from ipmetrics.meeting import policy_view
from pages.shell import cache, context, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
registry = ctx.registry

st.title(f"政策全景 · {ctx.region_name}")
st.caption(f"{periods.month_end_label(ctx.as_of)} · {registry.basis} · 条款按需关注、待汇报、推进中、未跟踪排查")
if not registry.articles:
    st.info("目标文件没有声明政策条款（[[articles]]：序号、标题、所属部分），无法按条款汇总。"
            "声明后，指标（article 字段）和任务（任务分工的条款列）即按条款归入。", icon=":material/info:")
    st.stop()

cards = cache.cards(ctx)
standing = cache.policy_task_standing(ctx)
articles = policy_view.article_table(registry, cards, standing)
parts = policy_view.part_table(registry, cards, standing)

# The badges' colours, gravest first, as the chart's (charts/policy.VERDICT_COLOURS).
BADGE = dict(zip(policy_view.VERDICTS, ("red", "orange", "blue", "gray")))
with st.container(horizontal=True):
    for word, colour in BADGE.items():
        count = int((articles["判断"] == word).sum())
        st.badge(f"{word} {count} 条", color=colour)
st.caption(policy_view.RULE_TEXT)
if len(standing):
    st.caption(f"任务进展按{policy_view.report_period_label(standing)}的汇报统计；逾期按"
               f"{periods.month_end_label(ctx.as_of)}计。")
else:
    st.caption("尚未导入任务分工（在“数据导入”页导入“任务分工”“任务进展”），下表只列指标。")

with st.container(horizontal=True):
    st.page_link(context.MEETING_PAGE, label="会议简报", icon=":material/groups:")

st.subheader("各部分推进情况")
st.dataframe(parts, hide_index=True)
source = f"指标状态：{registry.title}；任务进展：各牵头单位报送（{registry.policy}）"
widgets.show_chart(ctx, verdict_chart(articles, list(policy_view.VERDICTS), context.where(ctx), source))

st.subheader("逐条款")
for heading, rows in articles.groupby("部分", sort=False):
    needing = int((rows["判断"] == policy_view.ATTENTION).sum())
    label = f"{heading}（{len(rows)}条" + (f"，需关注 {needing} 条）" if needing else "）")
    with st.expander(label, expanded=bool(needing)):
        for _, row in rows.iterrows():
            with st.container(border=True):
                with st.container(horizontal=True, vertical_alignment="center"):
                    st.markdown(f"**{plain(row['条款'])}**")
                    st.badge(row["判断"], color=BADGE[row["判断"]])
                if row["原因"]:
                    st.caption(row["原因"])
                st.markdown(f"指标：{plain(row['指标']) or '—'}")
                task_counts = "、".join(f"{state}{row[state]}" for state in policy_view.TASK_STATES if row[state])
                late = f"；逾期{row['逾期']}项" if row["逾期"] else ""
                st.markdown(f"任务：{row['任务']}项" + (f"（{task_counts}{late}）" if row["任务"] else ""))

missing = policy_view.goals_without_article(registry)
if missing:
    st.caption("未引用已声明条款的指标：" + "、".join(goal.name_zh for goal in missing))

widgets.download_table(articles, f"{ctx.as_of}_{ctx.region_name}_政策全景_逐条款", key="policy_articles_dl",
                       label="下载逐条款表（Excel）")
