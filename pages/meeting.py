"""会议简报: one screen for the leadership group's meeting, read from a frozen snapshot. The first screen
holds three short blocks — the goals behind schedule, what changed since the last meeting, the open action
items (overdue first) — with the snapshot picker folded away; below them the narrative (a line per goal),
the goals behind schedule with their charts, the meeting's own decisions, the full comparison, the named
brands, the action items and the tasks. Word, PDF and PowerPoint versions are one click away."""

from datetime import date

import streamlit as st

from ipmetrics.charts.chart import Where
from ipmetrics.core import catalog, periods
from ipmetrics.core.labels import plain
from ipmetrics.core.scorecard import review_order
from ipmetrics.export import images
from ipmetrics.meeting import actions, first_screen, policy_view, snapshots
from ipmetrics.meeting.briefing import BEHIND, brands_table, goal_sentence, goals_table, task_note
from ipmetrics.meeting.briefing_model import briefing_stem
from ipmetrics.meeting.compare import comparison_table
from pages.shell import briefing_screen, cache, context, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
store = cache.get_store(ctx.settings.db_url)
briefing_screen.page_style()

listed = {snapshot.id: snapshot for snapshot in snapshots.list_snapshots(store)}
if not listed:
    st.title("会议简报")
    widgets.snapshot_picker(store, key="meeting_snapshot")  # says how to freeze the first one
    st.stop()
# The month in the title; which snapshot and its fingerprint one click away (they took the first screen).
title = st.empty()
shown = listed.get(st.session_state.get("meeting_snapshot"), next(iter(listed.values())))  # the picker's default
with st.popover(shown.label, icon=":material/photo_camera:"):
    info = widgets.snapshot_picker(store, key="meeting_snapshot", label="会议所用快照")
    st.caption(f"{periods.month_end_label(info.month)} · {plain(info.frozen_text)} · 数据指纹 {info.data_sha256[:12]}…"
               + (f" · 备注：{plain(info.note)}" if info.note else "")
               + (f" · 修订原因：{plain(info.reason)}" if info.reason else ""))
title.title(f"会议简报 · {periods.month_label(info.month)}", anchor=False)
today = date.today()
frozen = ctx.snapshots_version  # a freeze anywhere, the CLI included, refreshes the view and the files
view = cache.meeting_view(ctx.settings.db_url, ctx.data_version, frozen, info.id, today.isoformat(), ctx.registry)
names = catalog.region_names(store)
if not cache.snapshot_is_current(ctx.settings.db_url, ctx.data_version, info.id):
    st.warning("该快照冻结后，该月的源数据已有更正。会议仍以本快照为准；如需采用更正后的数字，请在“月度快照”页生成修订版。",
               icon=":material/history:")

behind_block, changes_block, actions_block = st.columns(3)
with behind_block:
    briefing_screen.screen_block("落后于进度", first_screen.behind_items(view.cards), "没有落后于进度的目标。",
                                 "说明与趋势图", "behind")
with changes_block:
    briefing_screen.screen_block(
        "较上次会议变化", first_screen.change_items(view.comparison, ctx.registry) if view.comparison is not None else [],
        "这是第一个快照，没有可比较的上次会议。" if view.comparison is None else "各项目标状态未变。", "全部指标对比", "changes")
with actions_block:
    briefing_screen.screen_block("督办事项", first_screen.action_items(view.action_items, ctx.registry),
                                 "没有办理中的督办事项。", "督办事项全表", "actions")

widgets.status_counts(ctx, view.cards)
with st.container(border=True):
    st.markdown(f"**简要情况**（{view.region_name}，根据快照数字自动生成）")
    for heading, lines in view.sections:
        st.markdown(f"**{heading}**\n\n" + "\n".join(f"- {line}" for line in lines) if heading else "".join(lines))

st.subheader("落后于进度的目标", anchor="behind")
behind = [card for card in review_order(view.cards) if card.status.value in BEHIND]
records = {row["goal_id"]: row for _, row in view.records.iterrows()}
if not behind:
    st.success("没有落后于进度的目标。", icon=":material/check_circle:")
where = Where(info.region, view.region_name, info.month, info.sample)
for chart, card in zip(cache.snapshot_goal_charts(ctx, info.id, behind, where), behind):
    with st.container(border=True):
        text, picture = st.columns([2, 3])
        with text:
            with st.container(horizontal=True, vertical_alignment="center"):
                st.markdown(f"**{card.goal.label}**")
                widgets.status_badge(ctx, card.status, card.goal)
            if card.frequency != "month":  # which quarter or year the figures are of
                st.caption(f"{card.goal.frequency_label}指标 · {card.period_label}")
            st.markdown(goal_sentence(card.goal, records[card.goal.id], card.projection_months))
            open_items = view.action_items[(view.action_items["goal_id"] == card.goal.id)
                                           & (view.action_items["state"] == "open")]
            for _, item in open_items.iterrows():
                st.caption(f"督办 {plain(item['code'])}：{plain(item['measure'])}"
                           f"（{plain(item['lead_unit'])}，{actions.state_text(item)}）")
        with picture:
            if chart.figure is not None:
                widgets.trend_chart(chart.figure, card.goal, key=f"meeting_{card.goal.id}", legend_lines=True)

decisions = view.action_items[actions.is_decision(view.action_items)]
if not decisions.empty:  # items on no indicator: the meeting's own decisions, listed apart from the goals
    st.subheader(actions.SUBJECT_HEADINGS["decision"])
    st.markdown("\n".join(f"- **{plain(item['code'])}** {plain(item['measure'])}"
                          f"（{plain(item['lead_unit'])}，{actions.state_text(item)}）"
                          for _, item in decisions.iterrows()))

st.subheader("与上次会议相比", anchor="changes")
if view.comparison is None:
    st.info("这是第一个快照，没有上次会议可比。", icon=":material/info:")
else:
    changes = comparison_table(view.comparison, ctx.registry)
    st.caption(f"{view.previous.label} → {info.label}；变差的目标排在最前。")
    briefing_screen.table(changes, "changes", narrow=briefing_screen.changes_list(changes))

brands_column, actions_column = st.columns(2)
with brands_column:
    st.subheader("品牌培育（第五条）")
    if view.brands.empty:
        st.info("没有列入培育计划的品牌。", icon=":material/info:")
    else:
        briefing_screen.table(brands_table(view.brands, names)[["品牌", "类型", "状态", "日期", "所在乡镇（街道）"]],
                              "brands")
with actions_column:
    st.subheader("督办事项", anchor="actions")
    summary = actions.summary(view.action_items)
    if summary["total"] == 0:
        st.info("本期没有督办事项。", icon=":material/info:")
    else:
        if summary["overdue"]:
            st.error(f"逾期 {summary['overdue']} 项", icon=":material/alarm:")
        briefing_screen.table(actions.meeting_table(view.action_items, ctx.registry, names)[
            ["编号", "指标", "牵头单位", "完成时限", "办理情况", "工作措施"]], "actions")
    st.page_link(context.ACTIONS_PAGE, label="新增或办结督办事项", icon=":material/assignment:")

note = task_note(ctx.registry, view)
if note is not None:
    st.subheader("任务落实")
    st.caption(note)
    if ctx.registry.articles:
        briefing_screen.table(cache.meeting_parts(ctx, info.id, today.isoformat(), view), "parts")
    behind_tasks = policy_view.behind_tasks_table(view.tasks)
    units = policy_view.unreported_units_table(view.tasks)
    tasks_column, units_column = st.columns([3, 2])
    with tasks_column:
        st.markdown("**逾期或报“滞后”的任务**")
        if behind_tasks.empty:
            st.success("没有逾期或报“滞后”的任务。" if len(view.tasks) else "快照中没有任务。", icon=":material/check_circle:")
        else:
            briefing_screen.table(behind_tasks[["编号", "任务", "牵头单位", "完成时限", "最新状态", "逾期"]], "tasks")
    with units_column:
        st.markdown("**本期未汇报进展的牵头单位**")
        if units.empty:
            st.success("各牵头单位均已汇报。" if len(view.tasks) else "快照中没有任务。", icon=":material/check_circle:")
        else:
            briefing_screen.table(units, "units")
    st.page_link(context.POLICY_PAGE, label="政策全景（逐条款）", icon=":material/account_tree:")

# Drawn when opened (a rerun): a folded table is still drawn by the browser, and most meetings never open it.
all_goals = st.expander("全部目标一览", key="meeting_all_goals", on_change="rerun")
if all_goals.open:
    with all_goals:
        briefing_screen.table(goals_table(view.cards), "goals")

st.subheader("下载简报")
if not images.available():
    st.caption(images.INSTALL_HINT)
else:
    st.caption("Word 与 PDF：标题、日期、简要情况、目标表、与上次相比、品牌、督办事项、任务落实和各指标趋势图；"
               "PPT：每项目标一页，供会场投影。字体为宋体、黑体、微软雅黑，WPS 与 Office 均可显示。")
    stem = briefing_stem(info.month, view.region_name)
    briefing_screen.briefing_downloads(
        (ctx.settings.db_url, ctx.data_version, frozen, info.id, today.isoformat()), ctx.registry, stem)
