"""What the pages draw alike: tables with their downloads, a chart with its table one tab away, image
exports, ledgers, status badges, the snapshot picker, and the message a save leaves for the next run."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

from ipmetrics.charts import screen
from ipmetrics.charts.chart import Chart
from ipmetrics.core import labels
from ipmetrics.core.progress import REVIEW_ORDER, Status
from ipmetrics.core.scorecard import GoalCard
from ipmetrics.core.store import Store
from ipmetrics.export import images
from ipmetrics.io.workbooks import table_workbook
from ipmetrics.meeting import snapshots
from ipmetrics.themes.ledger import Ledger, goal_ledger
from pages.shell import cache
from pages.shell.context import SNAPSHOT_PAGE, Context, where

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_table(frame: pd.DataFrame, file_stem: str, key: str, label: str = "下载表格（Excel）") -> None:
    # The workbook is built only when the button is clicked.
    st.download_button(label, lambda: table_workbook(frame), file_name=f"{file_stem}.xlsx", mime=XLSX,
                       icon=":material/download:", key=key, on_click="ignore")


def table_section(ctx: Context, heading: str, table: pd.DataFrame, key: str, empty: str,
                  caption: str | None = None) -> None:
    """A heading, then a table with its download — or `empty` when there is nothing."""
    st.subheader(heading)
    if table.empty:
        st.info(empty, icon=":material/info:")
        return
    if caption:
        st.caption(caption)
    st.dataframe(table, hide_index=True)
    download_table(table, f"{ctx.as_of}_{ctx.region_name}_{heading}", key=f"{key}_download")


def chart_and_table(ctx: Context, figure, table: pd.DataFrame, file_stem: str, key: str, empty: str | None = None,
                    chart: Chart | None = None) -> None:
    """A chart with its table one click away, a download of the table and of the chart as an image;
    a sentence when there is nothing to draw."""
    if empty is not None:
        st.info(empty, icon=":material/info:")
        return
    picture, data = st.tabs(["图表", "数据表"])
    with picture:
        st.plotly_chart(figure, key=f"{key}_chart")
        export_buttons(ctx, chart or Chart(key, "", file_stem, figure, table), key=f"{key}_export",
                       file_stem=file_stem)
    with data:
        st.dataframe(table, hide_index=True)
        download_table(table, file_stem, key=f"{key}_download")


def show_chart(ctx: Context, chart: Chart, heading: str | None = None) -> None:
    """A chart of ipmetrics.charts with its table one tab away, downloads of both — or its sentence."""
    if heading:
        st.subheader(heading)
    chart_and_table(ctx, chart.figure, chart.table, chart.file_stem(where(ctx), ctx.registry.region), key=chart.key,
                    empty=chart.empty, chart=chart)


def export_buttons(ctx: Context, chart: Chart, key: str, file_stem: str | None = None) -> None:
    """PNG, SVG and PDF of a chart, rendered only when clicked; or what to install when Chromium is missing."""
    if not images.available():
        st.caption(images.INSTALL_HINT)
        return
    stem = file_stem or chart.file_stem(where(ctx), ctx.registry.region)
    with st.popover("导出图片", icon=":material/image:"):
        st.caption("打印质量：PNG 约 300 dpi（A4 单栏宽），SVG、PDF 为矢量图。")
        for fmt, mime in images.FORMATS.items():
            st.download_button(fmt.upper(), data=lambda fmt=fmt: _render(chart.figure, fmt), file_name=f"{stem}.{fmt}",
                               mime=mime, key=f"{key}_{fmt}", on_click="ignore")


def _render(figure, fmt: str) -> bytes:
    cache.export_session()
    return images.render(figure, fmt)


def goal_chart(ctx: Context, goal_id: str, key: str, vega: bool = False) -> None:
    """A goal's trend against its target, with the ledger of its records (or, for a goal that is only
    reported, its reported figures) one click away; a sentence instead of an empty axis when the region has
    no value at all. `vega`: drawn by Vega (trend_chart) rather than plotly, on 指标详情."""
    chart = cache.goal_chart(ctx, goal_id)
    if chart.figure is None:
        st.info(chart.empty, icon=":material/info:")
        return
    goal = ctx.registry.goal(goal_id)
    if vega:
        trend_chart(chart.figure, goal, key=f"{key}_goal")
    else:
        st.plotly_chart(chart.figure, key=f"{key}_goal")
    reported = goal.reported_only
    with st.container(horizontal=True):
        ledger_button(ctx, goal_id, key=f"{key}_ledger",
                      label="各期上报数值" if reported else "台账（构成本月数值的记录）")
        export_buttons(ctx, chart, key=f"{key}_export")


def trend_chart(figure, goal, key: str, legend_lines: bool = False) -> None:
    """A goal's trend figure drawn by Vega on the screen (charts.screen: plotly.js costs the page about a
    second in the browser); the plotly figure stays what the image exports render. `legend_lines`: an entry a
    line above the plot, for a column a phone may narrow (会议简报), clear of the source line."""
    st.vega_lite_chart(spec=screen.goal_trend_spec(figure, goal.unit, goal.decimals, legend_lines), key=key,
                       width="stretch", theme=None)


def _show_ledger(ledger: Ledger) -> None:
    st.markdown(f"**{ledger.title}**")
    st.caption(ledger.note)
    if ledger.records.empty:
        st.info("没有符合条件的记录。")
    else:
        st.dataframe(ledger.records, hide_index=True, height=min(420, 40 + 35 * len(ledger.records)))
        download_table(ledger.records, ledger.file_stem, key="ledger_download", label="下载台账（Excel）")


@st.dialog("台账", width="large")
def _ledger_dialog(ledger: Ledger) -> None:
    _show_ledger(ledger)


@st.dialog("上报数值", width="large")
def _reported_dialog(ledger: Ledger) -> None:
    _show_ledger(ledger)


def ledger_button(ctx: Context, goal_id: str, key: str, label: str | None = None) -> None:
    """A button that opens the named records behind a goal's figure for the chosen month and region (台账);
    for a goal that is only reported, the figures reported for it (上报数值)."""
    reported = ctx.registry.goal(goal_id).reported_only
    if st.button(label or ("上报数值" if reported else "台账"), key=key, icon=":material/list_alt:", type="tertiary"):
        ledger = goal_ledger(cache.get_store(ctx.settings.db_url), ctx.registry, ctx.settings, goal_id,
                             ctx.region, ctx.region_name, ctx.as_of)
        (_reported_dialog if reported else _ledger_dialog)(ledger)


def records_button(ledger_factory, key: str, label: str) -> None:
    """A button that opens a ledger built on demand (for the themed pages' breakdowns)."""
    if st.button(label, key=key, icon=":material/list_alt:", type="tertiary"):
        _ledger_dialog(ledger_factory())


def goal_heading(name: str, goal) -> str:
    """商标注册总量与2030年目标; 某指标（监测指标） for a goal without a target: a themed page's heading."""
    return f"{name}与{goal.target_year}年目标" if goal.target is not None else f"{name}（{labels.MONITORING_LABEL}）"


def status_name(status: Status, goals) -> str:
    """A status named for the goals having it: 未上报 for reported goals without a figure, 监测指标 for
    monitoring ones, 无数据/未上报 when both kinds share it."""
    names = dict.fromkeys(labels.status_label(status, goal) for goal in goals) or [labels.STATUS_LABEL[status]]
    return "/".join(names)


def status_badge(ctx: Context, status: Status, goal=None) -> None:
    """A goal's status as a coloured badge (named for the goal: 监测指标, 未上报), what it means on hover."""
    st.badge(labels.status_label(status, goal), color=labels.STATUS_BADGE[status], help=ctx.status_texts()[status])


def status_counts(ctx: Context, cards: list[GoalCard]) -> None:
    """A row of badges, one per status present ("滞后 2 项"), the statuses behind schedule first. Goals with
    nothing to meet (监测指标, 无分解目标) are not counted, as in the briefing."""
    counted = [card for card in cards if card.status is not Status.NO_TARGET]
    counts = Counter(card.status for card in counted)
    explained = ctx.status_texts()
    with st.container(horizontal=True):
        for status in REVIEW_ORDER:
            if counts[status]:
                name = status_name(status, [card.goal for card in counted if card.status is status])
                st.badge(f"{name} {counts[status]} 项", color=labels.STATUS_BADGE[status], help=explained[status])


def snapshot_picker(store: Store, key: str, label: str = "快照") -> snapshots.SnapshotInfo | None:
    """A choice among the snapshots, newest first; None (and a pointer to 月度快照) when there is none."""
    listed = snapshots.list_snapshots(store)
    if not listed:
        st.info("还没有月度快照。统计人员在“月度快照”页（或用 `ipmetrics snapshot --month YYYY-MM`）冻结某月数据后，"
                "会议简报即以该快照为准。", icon=":material/info:")
        st.page_link(SNAPSHOT_PAGE, label="前往月度快照", icon=":material/photo_camera:")
        return None
    by_id = {info.id: info for info in listed}
    chosen = st.selectbox(label, list(by_id), key=key,
                          format_func=lambda i: f"{by_id[i].label}（{by_id[i].frozen_text}）")
    return by_id[chosen]


def show_outcome(key: str) -> None:
    """The message a save left for the run after its rerun, shown once."""
    outcome = st.session_state.pop(key, None)
    if outcome:
        st.success(outcome, icon=":material/check_circle:")
