"""月度快照: freeze a month's figures of record, list the snapshots, compare any two (or one with today)."""

from datetime import date

import pandas as pd
import streamlit as st

from ipmetrics.core import labels, periods
from ipmetrics.core.progress import Status
from ipmetrics.meeting import readiness, snapshots
from ipmetrics.meeting.compare import compare, comparison_table, live_records
from ipmetrics.themes import assessment as assessment_themes
from ipmetrics.themes import tasks as task_themes
from pages.shell import cache, context, login, widgets
from pages.shell.sidebar import first_month, start_page


def period_text(text) -> str:
    """A frozen period (2025-Q3) in Chinese (2025年第三季度); blank for a snapshot frozen before periods."""
    return "" if text is None or pd.isna(text) else periods.period_label(periods.period_from_text(text))


ctx = start_page()
store = cache.get_store(ctx.settings.db_url)

st.title("月度快照")
# 全县及各乡镇, 全市及各县: the home region and the regions one level below it, as the store names them.
scope = f"{ctx.whole}及各{ctx.below.split('（')[0]}"
st.caption(f"快照冻结某月各项目标的数值、目标、完成率、序时进度、趋势预计与状态（{scope}），"
           "以及冻结人、时间和数据指纹。会议使用快照中的数字；快照不可修改，更正会生成修订版并记录原因，各版均可查阅。")

widgets.show_outcome("snapshot_outcome")

freeze_tab, list_tab, compare_tab = st.tabs(["冻结快照", "快照记录", "比较"])

def confirm_button(ctx, source, month: pd.Period, editor) -> None:
    """本月无新增: record that `source` has no new records through `month` (logged and audited like an import)."""
    if st.button(f"确认{source.title}{periods.month_label(month)}无新增", key=f"confirm_{source.kind}",
                 icon=":material/done_all:", help="该类数据截至该月确无新增记录时点此确认，记入导入日志，不必上传空文件。"):
        readiness.confirm_no_new_data(store, source.kind, month, user=editor.label, client=login.client_address(),
                                      actor=editor.account)
        st.session_state["snapshot_outcome"] = f"已确认{source.title}截至{periods.month_label(month)}无新增记录。"
        st.rerun()


def frozen_confirmation(month: pd.Period) -> None:
    """What a freeze just did, kept on screen for that month (not a message that scrolls away), with the way on."""
    done = st.session_state.get("frozen_now")
    if not done or done[0] != str(month):
        return
    with st.container(border=True):
        st.success(done[1], icon=":material/task_alt:")
        with st.container(horizontal=True):
            st.page_link(context.MEETING_PAGE, label="查看会议简报", icon=":material/groups:")
            st.page_link(context.EXPORT_PAGE, label="到导出中心下载图表与数据", icon=":material/download:")


with freeze_tab:
    # Any month from the goals' baseline to the last one completed; by default the sidebar's month
    # (the newest frozen or complete one), unless it has not ended yet.
    last_complete = periods.month(date.today()) - 1
    first = first_month(ctx.registry, ctx.settings)
    months = [str(m) for m in periods.months(first, max(last_complete, ctx.as_of))[::-1]]
    default_month = str(min(last_complete, ctx.as_of))
    month = periods.month(st.selectbox("月份", months, index=months.index(default_month), key="freeze_month",
                                       format_func=lambda m: periods.month_label(m)))
    frozen_confirmation(month)
    required = readiness.required_sources(ctx.registry)
    coverage = readiness.coverage(store, required)
    editor = login.require_editor(ctx, "冻结快照")
    st.markdown(f"**冻结前检查：{periods.month_label(month)}**")
    st.dataframe(pd.DataFrame({
        "数据类型": [c.title for c in coverage],
        "数据截至": [c.text() for c in coverage],
        "导入次数": [c.imports for c in coverage],
        "是否覆盖该月": ["是" if c.covers(month) else "否" for c in coverage],
    }), hide_index=True)
    problems = readiness.missing_for(store, month, sources=required)
    if problems:
        uncovered = [c for c in coverage if c.imports and not c.covers(month)]
        st.error(f"{periods.month_label(month)}还不能冻结：\n\n" + "\n".join(f"- {p}" for p in problems)
                 + (f"\n\n{readiness.MISSING_HOW_TO}" if uncovered else ""), icon=":material/block:")
        if editor is not None and uncovered and periods.month_end(month) < date.today():
            with st.container(horizontal=True):
                for source in uncovered:
                    confirm_button(ctx, source, month, editor)
    else:
        st.success(f"各类数据已覆盖{periods.month_label(month)}，可以冻结。", icon=":material/task_alt:")
    unreported = cache.not_yet_reported(ctx, month)
    if unreported:  # a warning, not a refusal: the snapshot records them as 未上报
        st.warning("以下上报指标还没有本期数值，冻结后记为“未上报”：\n\n"
                   + "\n".join(f"- {labels.plain(line)}" for line in unreported), icon=":material/schedule:")
    existing = snapshots.latest(store, month)
    unchanged = existing is not None and cache.snapshot_is_current(ctx.settings.db_url, ctx.data_version, existing.id)
    if existing and unchanged:
        # Nothing to revise: no form, only where the frozen figures are used.
        st.info(f"该月已有{existing.label}（{labels.plain(existing.frozen_text)}），当前数据与冻结时一致，无需修订。",
                icon=":material/history:")
        if st.session_state.get("frozen_now", ("",))[0] != str(month):
            with st.container(horizontal=True):
                st.page_link(context.MEETING_PAGE, label="查看会议简报", icon=":material/groups:")
                st.page_link(context.EXPORT_PAGE, label="导出中心", icon=":material/download:")
    elif existing:
        st.info(f"该月已有{existing.label}（{labels.plain(existing.frozen_text)}）。冻结后该月数据已有更正（数据指纹不同），"
                f"可生成修订版：再次冻结将生成第{existing.revision + 1}版，须说明原因；原快照保持不变。",
                icon=":material/history:")
    if editor is not None and not unchanged:
        with st.form("freeze_form", border=True):
            st.caption(f"冻结人：{labels.plain(editor.label)}")
            note = st.text_input("备注", placeholder="如：12月例会用", key="freeze_note")
            reason = st.text_area("修订原因", placeholder="如：补录12月质押登记2笔", key="freeze_reason") if existing else None
            label = f"冻结{periods.month_label(month)}快照" + (f"（第{existing.revision + 1}版）" if existing else "")
            submitted = st.form_submit_button(label, type="primary", icon=":material/photo_camera:",
                                              disabled=bool(problems))
        if submitted:
            try:
                with st.spinner(f"正在计算{scope}的目标并冻结……"):
                    info = snapshots.freeze(store, ctx.registry, ctx.settings, month, user=editor.label, note=note,
                                            reason=reason, client=login.client_address(), actor=editor.account)
            except snapshots.SnapshotError as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                st.session_state["frozen_now"] = (
                    str(month), f"已冻结{info.label}（编号 {info.id}），数据指纹 {info.data_sha256[:16]}…。"
                                "会议简报与导出中心已按此快照更新。")
                st.rerun()

with list_tab:
    listed = snapshots.list_snapshots(store)
    if not listed:
        st.info("还没有快照。", icon=":material/info:")
    else:
        table = pd.DataFrame({
            "编号": [s.id for s in listed],
            "快照": [s.label for s in listed],
            "冻结人": [s.frozen_by for s in listed],
            "冻结时间": [f"{s.frozen_at:%Y-%m-%d %H:%M}" for s in listed],
            "备注": [s.note or "" for s in listed],
            "修订原因": [s.reason or "" for s in listed],
            "数据指纹（SHA-256）": [s.data_sha256[:16] + "…" for s in listed],
            "与当前数据一致": ["是" if cache.snapshot_is_current(ctx.settings.db_url, ctx.data_version, s.id) else "否（已更正）"
                        for s in listed],
        })
        st.dataframe(table, hide_index=True)
        st.caption("“与当前数据一致”：按该月月末时的记录重新计算数据指纹，与冻结时相同即为“是”。"
                   "此后月份新增的记录不影响该月的指纹。")
        chosen = widgets.snapshot_picker(store, key="snapshot_detail", label="查看快照内容")
        if chosen:
            frozen = snapshots.all_records(store, chosen.id)
            goals = {goal.id: goal for goal in ctx.registry.goals}  # a goal since dropped from the file: no goal
            shown = pd.DataFrame({
                "区划": frozen["region_name"], "指标": frozen["goal_name"],
                "数值": frozen["value"].round(4), "单位": frozen["unit"], "目标": frozen["target"],
                "完成率（%）": (frozen["completion"] * 100).round(1), "序时进度值": frozen["expected"].round(4),
                f"预计{ctx.registry.target_year_text()}": frozen["projection"].round(4),
                "状态": [labels.status_label(Status(s), goals.get(g)) for s, g in zip(frozen["status"], frozen["goal_id"])],
                # Frozen with the figures since migration 012; empty for snapshots frozen before it.
                "达成可能性（%）": (frozen["likelihood"] * 100).round(0),
                "在途": frozen["pipeline"].fillna(""),
            })
            if frozen["frequency"].fillna("month").ne("month").any():  # say which quarter or year a value is of
                shown.insert(2, "统计期", [period_text(p) for p in frozen["period"]])
            st.dataframe(shown, hide_index=True, height=360)
            widgets.download_table(shown, f"{chosen.month}_快照第{chosen.revision}版", key="snapshot_download",
                                   label="下载快照（Excel）")
            # What else the meeting's record holds: the tasks' standing and the township assessment, as frozen.
            frozen_tasks = snapshots.frozen_tasks(store, chosen.id)
            with st.expander(f"冻结的任务落实情况（{len(frozen_tasks)} 项任务）"):
                if frozen_tasks.empty:
                    st.caption("该快照未冻结任务（冻结时库中没有任务分工，或为早前版本的快照）。")
                else:
                    task_table = task_themes.task_list(frozen_tasks)
                    st.dataframe(task_table, hide_index=True)
                    widgets.download_table(task_table, f"{chosen.month}_快照第{chosen.revision}版_任务落实",
                                           key="snapshot_tasks_download", label="下载任务落实（Excel）")
            if ctx.registry.assessment is not None:
                frozen_scores = snapshots.frozen_assessment(store, ctx.registry, chosen.id)
                with st.expander("冻结的乡镇考核"):
                    if frozen_scores.totals.empty:
                        st.caption("该快照未冻结乡镇考核（冻结时没有下达乡镇目标，或为早前版本的快照）。")
                    else:
                        scores = assessment_themes.display_table(frozen_scores, ctx.registry)
                        st.dataframe(scores, hide_index=True)
                        widgets.download_table(scores, f"{chosen.month}_快照第{chosen.revision}版_乡镇考核",
                                               key="snapshot_assessment_download", label="下载乡镇考核（Excel）")

with compare_tab:
    listed = snapshots.list_snapshots(store)
    if not listed:
        st.info("还没有快照可比较。", icon=":material/info:")
    else:
        by_id = {s.id: s for s in listed}
        live = f"{periods.month_label(ctx.as_of)}当前数据（未冻结）"
        left, right = st.columns(2)
        before_id = left.selectbox("比较基准（前）", list(by_id), key="compare_before",
                                   format_func=lambda i: by_id[i].label)
        after_id = right.selectbox("比较对象（后）", ["live", *by_id], key="compare_after",
                                   format_func=lambda i: live if i == "live" else by_id[i].label)
        after = (live_records(store, ctx.registry, ctx.settings, ctx.as_of, ctx.region) if after_id == "live"
                 else snapshots.records(store, after_id, ctx.region))
        comparison = compare(snapshots.records(store, before_id, ctx.region), after, ctx.registry)
        table = comparison_table(comparison, ctx.registry)
        after_label = live if after_id == "live" else by_id[after_id].label
        st.caption(f"{ctx.region_name}：{by_id[before_id].label} → {after_label}。变差的目标排在最前。")
        worse = table[comparison["movement"] == "worse"]
        if len(worse):
            st.error("状态变差：" + "；".join(f"{r['指标']}（{r['状态变化']}）" for _, r in worse.iterrows()),
                     icon=":material/trending_down:")
        else:
            st.success("没有状态变差的目标。", icon=":material/check_circle:")
        st.dataframe(table, hide_index=True)
        widgets.download_table(table, f"比较_{by_id[before_id].label}_{after_label}", key="compare_download")
