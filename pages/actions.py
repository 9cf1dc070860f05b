"""督办事项: the register of action items — raise one for a goal behind schedule, on any other indicator of
the goal file, on a task of the policy (任务分工) or on none (a meeting decision), record progress, close it.

Saved through the importer like a file (validated, all or nothing, logged with who did it); a whole
list can also be imported on the 数据导入 page (type 督办事项).
"""

from datetime import date

import pandas as pd
import streamlit as st

from ipmetrics.charts.month import OTHER_THEME
from ipmetrics.core import catalog, labels, periods
from ipmetrics.core.scorecard import review_order
from ipmetrics.io import edits
from ipmetrics.io.importer import ImportRejected
from ipmetrics.meeting import actions
from ipmetrics.meeting.wording import BEHIND
from ipmetrics.themes import tasks as policy_tasks
from pages.shell import cache, login, widgets
from pages.shell.sidebar import start_page

ctx = start_page()
store = cache.get_store(ctx.settings.db_url)
registry = ctx.registry
names = catalog.region_names(store)
task_names = dict(zip(*[policy_tasks.load_tasks(store)[c].astype(str) for c in ("code", "task")]))
KEY_LABELS = (actions.KIND.labels["code"], "code")

st.title("督办事项")
st.caption("领导小组确定的问题、措施、牵头单位、配合单位和完成时限：针对落后于进度的目标或其他任一指标、"
           "政策任务分工中的某项任务，也可以是不针对某一指标的会议决定。未办结的事项逐次会议延续，超过时限未办结的标为逾期。"
           "也可在“数据导入”页整批导入（类型：督办事项）。")

widgets.show_outcome("actions_outcome")

items = actions.load(store)
today = date.today()
register = actions.standing(items, today)
summary = actions.summary(register)
with st.container(horizontal=True):
    st.metric("办理中", summary["open"])
    st.metric("其中逾期", summary["overdue"])
    st.metric("已办结", summary["closed"])

ALL_SUBJECTS, DECISIONS, TASKS, TASK_PREFIX = "all", "decision", "tasks", "task:"


def subject_option(option: str) -> str:
    if option == ALL_SUBJECTS:
        return "全部指标、任务与会议决定" if on_tasks else "全部指标与会议决定"
    if option == DECISIONS:
        return f"无指标（{actions.DECISION}）"
    if option == TASKS:
        return "全部任务督办事项"
    if option.startswith(TASK_PREFIX):
        code = option[len(TASK_PREFIX):]
        return "任务 " + actions.task_text(code, task_names.get(code))
    return actions.indicator_text(option, {g.id: g.label for g in registry.goals})


view_column, subject_column = st.columns([3, 2], vertical_alignment="bottom")
with view_column:
    view = st.segmented_control("显示", ["全部", "办理中", "逾期", "已办结"], default="办理中", key="actions_filter")
named = [goal for goal in dict.fromkeys(register["goal_id"].dropna().astype(str)) if goal.strip()]
on_tasks = [TASK_PREFIX + code for code in sorted(set(actions.task_codes(register))) if code]
subject = subject_column.selectbox("指标或任务", [ALL_SUBJECTS, DECISIONS, *([TASKS] if on_tasks else []), *named,
                                              *on_tasks], format_func=subject_option, key="actions_subject")
shown = {"全部": register, "办理中": register[register["state"] == "open"],
         "逾期": register[register["overdue"]], "已办结": register[register["state"] == "closed"]}[view or "全部"]
if subject == DECISIONS:
    shown = shown[actions.is_decision(shown)]
elif subject == TASKS:
    shown = shown[actions.subject_of(shown) == "task"]
elif subject.startswith(TASK_PREFIX):
    shown = shown[actions.task_codes(shown) == subject[len(TASK_PREFIX):]]
elif subject != ALL_SUBJECTS:
    shown = shown[shown["goal_id"].astype(str) == subject]
if shown.empty:
    st.info("没有符合条件的督办事项。", icon=":material/info:")
else:
    table = actions.meeting_table(shown, registry, names)
    st.dataframe(table, hide_index=True)
    widgets.download_table(table, f"督办事项_{today:%Y-%m-%d}", key="actions_download")


def save(frame: pd.DataFrame, done: str) -> None:
    try:
        actions.save(store, frame, registry, user=editor.label, client=login.client_address(), actor=editor.account)
    except ImportRejected as rejected:
        problems = edits.rejection_table(rejected, frame, "编号", KEY_LABELS)
        st.error(f"发现 {len(problems)} 处问题，没有保存任何内容。请改正后再保存：", icon=":material/error:")
        st.dataframe(problems, hide_index=True)
    else:
        st.session_state["actions_outcome"] = done
        st.rerun()


st.subheader("新增督办事项")
editor = login.require_editor(ctx, "新增、修改督办事项")
if editor is None:
    st.stop()
# The county's goals furthest behind first: those are what items are most often raised for; then every
# other indicator of the file by theme, then no indicator at all (a meeting decision, the blank id).
cards = {card.goal.id: card for card in review_order(cache.cards(ctx))} if ctx.region == registry.region else {}
behind = [goal_id for goal_id, card in cards.items() if card.status.value in BEHIND]
order = behind + [goal.id for _, goals in registry.themes for goal in goals if goal.id not in behind] + [""]
themed = len(registry.themes) > 1


def goal_option(goal_id: str) -> str:
    if not goal_id:
        return f"无（{actions.DECISION}，不针对某一指标）"
    goal = registry.goal(goal_id)
    text = (f"{goal.theme or OTHER_THEME} · " if themed else "") + goal.label
    return text + (f"（{labels.status_label(cards[goal_id].status, goal)}）" if goal_id in cards else "")


def task_option(code: str) -> str:
    return actions.task_text(code, task_names.get(code)) or "无（不针对某项任务）"


with st.form("new_action", clear_on_submit=False, border=True):
    left, right = st.columns(2)
    goal_id = left.selectbox("指标", order, key="action_goal", format_func=goal_option)
    task_code = left.selectbox("政策任务（可选）", ["", *task_names], key="action_task", format_func=task_option,
                               help="督办政策任务分工中的某项任务时选择；指标可同时选择，也可选“无”")
    region = right.selectbox("责任区划", list(names), index=list(names).index(registry.region)
                             if registry.region in names else 0, format_func=names.get, key="action_region")
    problem = st.text_input("存在问题", key="action_problem")
    measure = st.text_area("工作措施", key="action_measure", height=80)
    left, middle, right = st.columns(3)
    lead = left.text_input("牵头单位", key="action_lead")
    co_units = middle.text_input("配合单位", key="action_co", placeholder="可写多个，用顿号分隔")
    due = right.date_input("完成时限", value=None, key="action_due", format="YYYY-MM-DD")
    months = [str(ctx.as_of + n) for n in range(-12, 3)]
    raised = st.selectbox("提出月份（会议）", months, index=12, key="action_raised",
                          format_func=lambda m: periods.month_label(m))
    add = st.form_submit_button("保存督办事项", type="primary", icon=":material/add_task:")
if add:
    code = actions.next_code(items, raised)
    row = {"code": code, "goal_id": goal_id, "region_code": region, "problem": problem, "measure": measure,
           "lead_unit": lead, "co_units": co_units, "due_on": due, "raised_month": raised, "status": "open",
           "closed_on": None, "progress": None, "task_code": task_code}
    frame = pd.DataFrame([{actions.KIND.labels[k]: v for k, v in row.items()}])
    save(frame, f"已新增督办事项 {code}。")

st.subheader("更新办理情况")
if items.empty:
    st.caption("还没有督办事项。")
else:
    st.caption("可修改指标（或改为会议决定）、任务编号、措施、牵头单位、时限、进展；办结时把办理状态改为“已办结”并填写办结日期。"
               "只保存改动过的行。")
    kind_labels = actions.KIND.labels
    original = actions.editor_frame(items, registry)
    edited = st.data_editor(
        original, key=f"actions_editor_{ctx.data_version}", hide_index=True, num_rows="fixed",
        disabled=[kind_labels["code"], kind_labels["raised_month"]],
        column_config={
            kind_labels["goal_id"]: st.column_config.SelectboxColumn(options=list(actions.goal_choices(registry)),
                                                                     required=True),
            kind_labels["code"]: st.column_config.TextColumn(pinned=True),
            kind_labels["task_code"]: st.column_config.SelectboxColumn(options=list(task_names)),
            kind_labels["status"]: st.column_config.SelectboxColumn(options=list(actions.STATUS_LABEL.values()),
                                                                    required=True),
            kind_labels["region_code"]: st.column_config.SelectboxColumn(
                "责任区划", options=list(names), format_func=lambda code: names.get(code, code), required=True),
            kind_labels["due_on"]: st.column_config.DateColumn(format="YYYY-MM-DD", required=True),
            kind_labels["closed_on"]: st.column_config.DateColumn(format="YYYY-MM-DD"),
        },
    )
    apply = st.button("保存修改", type="primary", icon=":material/save:", key="actions_save")
    if apply:
        changed = edits.changed_rows(original, edited)
        if changed.empty:
            st.info("没有改动，无需保存。", icon=":material/info:")
        else:
            codes = labels.plain("、".join(edits.key_values(changed, KEY_LABELS)))
            save(changed, f"已保存 {len(changed)} 项督办事项的修改：{codes}。")
