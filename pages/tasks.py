"""任务落实: the policy's tasks (任务分工) as they stand at the end of the month viewed — what is overdue, who
has not reported for the quarter chased, the status of every article and unit — each task's report history,
and a form for editors to enter a unit's report (saved through the importer, like a file)."""

from datetime import date

import pandas as pd
import streamlit as st

from ipmetrics.charts import tasks as task_charts
from ipmetrics.core import labels, periods
from ipmetrics.core.policy import article_number
from ipmetrics.io import edits
from ipmetrics.io.importer import ImportRejected
from ipmetrics.io.schemas import KINDS
from ipmetrics.io.templates import ReportedIndicator, template_name, template_workbook
from ipmetrics.themes import tasks as T
from pages.shell import cache, context, login, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
store = cache.get_store(ctx.settings.db_url)
registry = ctx.registry
as_of = pd.Timestamp(periods.month_end(ctx.as_of))
chased = T.chased_quarter(ctx.as_of)
tasks, reports = T.load_tasks(store), T.load_reports(store)
standing = T.standing(tasks, reports, ctx.as_of)
XLSX = widgets.XLSX

st.title("任务落实")
st.caption(f"{periods.month_end_label(ctx.as_of)} · {registry.article('tasks')} · 政策任务分工中的全部任务，"
           "按各牵头单位报送的进展（全县，不分乡镇）")
if note := registry.area_note("tasks"):
    st.caption(note)
widgets.show_outcome("task_report_outcome")


def templates() -> None:
    with st.expander("下载导入模板：任务分工、任务进展（Excel，含填写说明与示例）"):
        indicators = [ReportedIndicator.of(goal) for goal in registry.goals]
        columns = st.columns(2)
        for column, kind in zip(columns, ("tasks", "task_reports")):
            workbook = lambda kind=kind: template_workbook(kind, registry.industries, registry.ids(), indicators)  # noqa: E731
            column.download_button(
                f"{KINDS[kind].title}模板", workbook, file_name=template_name(kind), mime=XLSX, icon=":material/download:", key=f"task_template_{kind}",
                on_click="ignore")
        st.caption("填好后在“数据导入”页上传（类型：任务分工 / 任务进展）；单条进展也可在本页下方填报。")


if tasks.empty:
    st.info("还没有政策任务（任务分工）。请先下载模板，填好后在“数据导入”页导入。", icon=":material/info:")
    templates()
    st.stop()

# --- first: what needs chasing ---------------------------------------------------------------------------
labels_now = standing["status_label"].value_counts()
with st.container(horizontal=True):
    st.metric("任务", len(standing))
    for label in ("已完成", "推进中", "滞后", "未启动"):
        st.metric(label, int(labels_now.get(label, 0)))
    st.metric("未汇报", int(standing["unreported"].sum()),
              help=f"应报送{periods.period_label(chased)}进展而{periods.month_end_label(ctx.as_of)}尚未报送的任务")
    st.metric("逾期", int(standing["overdue"].sum()), help="超过完成时限仍未报告“已完成”的任务")
st.caption(f"催报期间：本月开始前已结束的最近一个季度，即{periods.period_label(chased)}（季度进展在季后一个月内报送，"
           f"{periods.month_end_label(ctx.as_of)}前报送的计入）；报送了该季度或其中某月进展的任务算已汇报，此前已报告“已完成”的任务不再催报。"
           f"逾期：完成时限早于{as_of:%Y年%m月%d日}、到当天仍未报告“已完成”的任务；长期任务不计逾期。"
           "“滞后”指任务逾期或最近一次进展报告为滞后。")

late_column, unreported_column = st.columns([3, 2])
with late_column:
    widgets.table_section(ctx, "逾期任务", T.overdue_table(standing), key="tasks_overdue",
                          empty="没有逾期任务。")
with unreported_column:
    widgets.table_section(ctx, f"未汇报{periods.period_label(chased)}进展的单位", T.unreported_table(standing),
                          key="tasks_unreported", empty=f"各单位均已报送{periods.period_label(chased)}进展。")

# --- status by article and by lead unit --------------------------------------------------------------------
st.subheader("各条款、各单位落实情况")
titles = {article.text: article.title for article in registry.articles}
by = st.segmented_control("分组", ["按政策条款", "按牵头单位"], default="按政策条款", key="tasks_by") or "按政策条款"
by_article = by == "按政策条款"
counts = T.status_counts(tasks, reports, as_of, by="article" if by_article else "lead_unit")
counts_table = T.counts_table(counts, "article" if by_article else "lead_unit", titles)
source = f"{registry.article('tasks')}；各牵头单位报送的任务进展"
widgets.show_chart(ctx, task_charts.status_chart(counts, counts_table, by_article, context.where(ctx), source))

# --- the task list, one task's history ---------------------------------------------------------------------
st.subheader("任务清单")
ALL = "（全部）"
articles = sorted(set(standing["article"]), key=article_number)
units = sorted(set(standing["lead_unit"]))
left, right = st.columns(2)
article = left.selectbox("政策条款", [ALL, *articles], key="tasks_article",
                         format_func=lambda a: a if a == ALL or a not in titles else f"{a} {titles[a]}")
unit = right.selectbox("牵头单位", [ALL, *units], key="tasks_unit")
shown = standing[((standing["article"] == article) | (article == ALL))
                 & ((standing["lead_unit"] == unit) | (unit == ALL))]
listing = T.task_list(shown)
if listing.empty:
    st.info("没有符合条件的任务。", icon=":material/info:")
else:
    st.dataframe(listing, hide_index=True)
    widgets.download_table(listing, f"{ctx.as_of}_任务清单", key="tasks_list_download")
    task_text = dict(zip(standing["code"], standing["task"]))
    code = st.selectbox("查看任务的汇报记录", listing["任务编号"].tolist(), key="tasks_history",
                        format_func=lambda c: f"{c} {task_text[c]}")
    row = standing.set_index("code").loc[code]
    goal_names = {goal.id: goal.label for goal in registry.goals}
    ids = "" if pd.isna(row["indicator_ids"]) else str(row["indicator_ids"])
    linked = [goal_names.get(goal, goal) for goal in ids.split(",") if goal]
    st.caption(f"牵头单位：{labels.plain(row['lead_unit'])}" + (f"；配合单位：{labels.plain(row['co_units'])}"
               if pd.notna(row["co_units"]) else "") + f"；完成时限：{T.due_text(row['due_on'], row['ongoing'])}"
               + (f"；关联指标：{'、'.join(linked)}" if linked else "；无关联指标"))
    history = T.history(reports, code, as_of)
    if history.empty:
        st.info(f"{periods.month_end_label(ctx.as_of)}，该任务还没有进展汇报。", icon=":material/info:")
    else:
        st.dataframe(history, hide_index=True)

templates()

# --- editors: one report -----------------------------------------------------------------------------------
st.subheader("填报任务进展")
editor = login.require_editor(ctx, "填报任务进展")
if editor is None:
    st.stop()
st.caption("选择任务后填写一期进展；同一任务同一期间已有汇报时，保存即替换原汇报。也可在“数据导入”页整批导入（类型：任务进展）。")
leads = dict(zip(standing["code"], standing["lead_unit"]))
task_code = st.selectbox("任务", list(leads), key="report_task", format_func=lambda c: f"{c} {task_text[c]}")
with st.form("task_report", border=True):
    left, middle, right = st.columns(3)
    period = left.text_input("汇报期间", value=periods.period_text(chased), key=f"report_period_{chased}",
                             help="季度写 2026-Q3 或 2026年第三季度；按月汇报写 2026-09 或 2026年9月")
    status = middle.selectbox("进展状态", list(T.STATUS_LABEL.values()), index=1, key="report_status")
    reported_on = right.date_input("报送日期", value=date.today(), key="report_day", format="YYYY-MM-DD")
    unit_text = st.text_input("报送单位", value=leads.get(task_code, ""), key=f"report_unit_{task_code}")
    progress = st.text_area("进展情况", key="report_progress", height=80)
    submitted = st.form_submit_button("保存进展", type="primary", icon=":material/save:")
if submitted:
    names = T.REPORT_KIND.labels
    frame = pd.DataFrame([{names["task_code"]: task_code, names["period"]: period, names["status"]: status,
                           names["progress"]: progress, names["reporting_unit"]: unit_text,
                           names["reported_on"]: reported_on}])
    try:
        T.save_reports(store, frame, user=editor.label, client=login.client_address(), actor=editor.account)
    except ImportRejected as rejected:
        problems = edits.rejection_table(rejected, frame, "任务编号", (names["task_code"], "task_code"))
        st.error(f"发现 {len(problems)} 处问题，没有保存任何内容。请改正后再保存：", icon=":material/error:")
        st.dataframe(problems, hide_index=True)
    else:
        outcome = f"已保存任务 {task_code} 的{labels.plain(period)}进展。"
        if reported_on > as_of.date():  # a report made after the month viewed counts from the month it was made
            outcome += (f"报送日期在{periods.month_label(ctx.as_of)}底之后，计入"
                        f"{periods.month_label(pd.Period(reported_on, freq='M'))}的任务情况（本页所看月份不变）。")
        st.session_state["task_report_outcome"] = outcome
        st.rerun()

st.markdown("**最近的任务进展填报与导入**（审计日志）")
recent = T.report_audit(store)
if recent.empty:
    st.caption("还没有任务进展的填报或导入记录。")
else:  # a plain table: ten short rows, printed and read as they are
    st.table(recent.set_index("时间"))
