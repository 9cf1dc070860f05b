"""The meeting briefing of a snapshot: the narrative generated from its figures, the tables and the
charts, as one `Briefing` that the meeting page shows and the documents (docx, pdf, pptx) write.

Every number in the narrative is read from the snapshot and formatted the way the goal formats it, so
the text cannot disagree with the table next to it; nothing here is written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

import pandas as pd
import plotly.graph_objects as go

from ipmetrics.charts.goals import goal_trend_figure
from ipmetrics.charts.month import Month
from ipmetrics.core import catalog, labels, periods
from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.progress import REVIEW_ORDER, Status
from ipmetrics.core.scorecard import GoalCard, review_order
from ipmetrics.core.store import Store
from ipmetrics.meeting import actions, snapshots
from ipmetrics.meeting.briefing_model import Briefing, BriefingChart, GoalSlide
from ipmetrics.meeting.compare import compare, comparison_table
from ipmetrics.themes import brands as brand_status

BEHIND = (Status.OFF_TRACK.value, Status.AT_RISK.value)
_COUNT_ORDER = [Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA]
_COUNT_WORD = {Status.ACHIEVED: "已达成", Status.ON_TRACK: "正常推进", Status.AT_RISK: "预警",
               Status.OFF_TRACK: "滞后", Status.NO_DATA: "无数据"}


def percent_text(ratio: float | None) -> str:
    """0.8645 → 86.5% (half up, as the goals round)."""
    if ratio is None or pd.isna(ratio):
        return "—"
    return f"{Decimal(repr(float(ratio) * 100)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _value(record, column: str) -> float | None:
    value = record[column]
    return None if value is None or pd.isna(value) else float(value)


def change_text(goal: Goal, change: float | None) -> str:
    if change is None:
        return ""
    if goal.format_value(abs(change)) == goal.format_value(0):
        return "与上月持平"
    word = "增加" if change > 0 else "减少"
    unit = "个百分点" if goal.unit == "%" else goal.unit  # a share moves by points, not by per cent
    return f"较上月{word}{goal.format_value(abs(change))}{unit}"


def goal_sentence(goal: Goal, record, projection_months: int = 12) -> str:
    """One goal in one sentence: value, completion, change on the month, and for a goal behind schedule
    the projection to its target date — every number read from `record` (a snapshot or status record)."""
    value, status = _value(record, "value"), Status(record["status"])
    if value is None:
        return f"{goal.name_zh}本月没有数据。"
    parts = [f"{goal.name_zh}{goal.format_value(value)}{goal.unit}"]
    completion = _value(record, "completion")
    if completion is not None:
        parts.append(f"完成目标（{goal.target_text()}）的{percent_text(completion)}")
    change = change_text(goal, _value(record, "change"))
    if change:
        parts.append(change)
    projection = _value(record, "projection")
    if status.value in BEHIND and projection is not None:
        parts.append(f"按近{projection_months}个月趋势预计{goal.target_year}年底达到"
                     f"{goal.format_estimate(projection)}{goal.unit}")
    return "，".join(parts) + f"，状态为{labels.STATUS_LABEL[status]}。"


def _ordered(records: pd.DataFrame) -> pd.DataFrame:
    key = records["status"].map(lambda s: REVIEW_ORDER.index(Status(s)))
    ap = records["anticipated_progress"].astype(float).fillna(0.0)
    return records.assign(_k=key, _ap=ap).sort_values(["_k", "_ap"]).drop(columns=["_k", "_ap"])


def narrative(records: pd.DataFrame, registry: Registry, month: pd.Period, region_name: str,
              comparison: pd.DataFrame | None = None, previous_label: str | None = None,
              action_summary: dict[str, int] | None = None) -> list[str]:
    """The briefing's paragraphs, generated from a snapshot's records of one region."""
    records = _ordered(records[records["goal_id"].isin(registry.ids())])
    counts = records["status"].value_counts()
    tally = "，".join(f"{_COUNT_WORD[s]}{int(counts[s.value])}项" for s in _COUNT_ORDER if counts.get(s.value, 0))
    paragraphs = [f"{periods.month_end_label(month)}，{region_name}知识产权工作{len(records)}项主要目标"
                  f"（{registry.policy}）中，{tally}。"]
    behind = records[records["status"].isin(BEHIND)]
    others = records[~records["status"].isin(BEHIND)]
    window = registry.method.projection_months
    if not behind.empty:
        paragraphs.append("需要加快的目标：" + "".join(
            goal_sentence(registry.goal(r["goal_id"]), r, window) for _, r in behind.iterrows()))
    if not others.empty:
        paragraphs.append("其余目标：" + "".join(
            goal_sentence(registry.goal(r["goal_id"]), r, window) for _, r in others.iterrows()))
    if comparison is not None and previous_label:
        changed = comparison[comparison["status_before"].notna()
                             & (comparison["status_before"] != comparison["status_after"])]
        if changed.empty:
            paragraphs.append(f"与上次快照（{previous_label}）相比，各项目标状态未变。")
        else:
            moves = "；".join(
                f"{registry.goal(r['goal_id']).name_zh}由{labels.STATUS_LABEL[Status(r['status_before'])]}"
                f"转为{labels.STATUS_LABEL[Status(r['status_after'])]}" for _, r in changed.iterrows())
            paragraphs.append(f"与上次快照（{previous_label}）相比：{moves}。")
    if action_summary is not None:
        if action_summary["total"] == 0:
            paragraphs.append("本期没有督办事项。")
        else:
            text = f"本期督办事项{action_summary['total']}项，其中办理中{action_summary['open']}项"
            if action_summary["overdue"]:
                text += f"（逾期{action_summary['overdue']}项）"
            if action_summary["closed"]:
                text += f"，本期办结{action_summary['closed']}项"
            paragraphs.append(text + "。")
    return paragraphs


def due_text(goals: list[Goal]) -> str:
    """2030年 when the goals share a target year, else 目标年 (for column headers)."""
    years = {goal.target_year for goal in goals}
    return f"{years.pop()}年" if len(years) == 1 else "目标年"


def goals_table(cards: list[GoalCard]) -> pd.DataFrame:
    """All goals of a snapshot, formatted, behind schedule first."""
    due = due_text([card.goal for card in cards])
    rows = []
    for card in review_order(cards):
        goal, p = card.goal, card.progress
        rows.append({
            "指标": goal.label,
            "当前值": f"{goal.format_value(p.value)} {goal.unit}" if p.value is not None else "—",
            f"目标（{due}）": goal.target_text() if p.target is not None else "—",
            "完成率": percent_text(p.completion),
            "较上月": "—" if p.change is None else ("+" if p.change > 0 else "") + goal.format_value(p.change),
            "序时进度值": goal.format_estimate(p.expected),
            f"预计{due}": goal.format_estimate(p.projection),
            "状态": labels.STATUS_LABEL[p.status],
        })
    return pd.DataFrame(rows)


def brands_table(frozen: pd.DataFrame, region_names: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({
        "品牌": frozen["name"].astype(str).to_numpy(),
        "类型": frozen["brand_type"].map(brand_status.BRAND_TYPE_LABEL).fillna(frozen["brand_type"]).to_numpy(),
        "申请人": frozen["applicant"].fillna("").astype(str).to_numpy(),
        "所在乡镇（街道）": frozen["region_code"].map(region_names).fillna(frozen["region_code"]).to_numpy(),
        "状态": frozen["status"].map(brand_status.STATUS_LABEL).to_numpy(),
        "日期": pd.to_datetime(frozen["status_on"]).dt.strftime("%Y-%m-%d").fillna("").to_numpy(),
    })


@dataclass(frozen=True)
class MeetingView:
    """Everything the meeting page and the briefing read from one snapshot."""

    info: snapshots.SnapshotInfo
    previous: snapshots.SnapshotInfo | None
    region_name: str
    records: pd.DataFrame           # the snapshot's goal rows for its region
    cards: list[GoalCard]
    comparison: pd.DataFrame | None  # against the previous snapshot
    brands: pd.DataFrame            # frozen brand statuses
    action_items: pd.DataFrame      # actions.for_meeting(...)
    narrative: list[str]


def meeting_view(store: Store, registry: Registry, snapshot_id: int, on: date | None = None) -> MeetingView:
    info = snapshots.get(store, snapshot_id)
    previous = snapshots.previous(store, info)
    names = catalog.region_names(store)
    records = snapshots.records(store, info.id)
    comparison = compare(snapshots.records(store, previous.id), records, registry) if previous else None
    items = actions.for_meeting(actions.load(store), info.month, on or date.today())
    paragraphs = narrative(records, registry, info.month, names.get(info.region, info.region), comparison,
                           previous.label if previous else None, actions.summary(items))
    return MeetingView(info=info, previous=previous, region_name=names.get(info.region, info.region),
                       records=records, cards=snapshots.cards(store, registry, info.id), comparison=comparison,
                       brands=snapshots.frozen_brands(store, info.id), action_items=items, narrative=paragraphs)


Render = Callable[[go.Figure], bytes]


def build_briefing(store: Store, registry: Registry, view: MeetingView, render: Render | None,
                   on: date | None = None, month: Month | None = None) -> Briefing:
    """The briefing documents' content. `render` turns a figure into PNG bytes (None: no charts); the goal
    charts are `month`'s when given (the snapshot's month built once), else drawn from the snapshot."""
    info, names = view.info, catalog.region_names(store)
    by_goal = {r["goal_id"]: r for _, r in view.records.iterrows()}
    items_table = actions.briefing_table(view.action_items, registry)
    open_items = view.action_items[view.action_items["state"] == "open"]
    charts, slides = [], []
    for number, card in enumerate(review_order(view.cards), start=1):
        goal, p = card.goal, card.progress
        chart = None
        if card.frame["value"].notna().any():
            figure = (month.goal_chart(goal.id).figure if month is not None
                      else goal_trend_figure(card, info.sample, view.region_name))
            png = render(figure) if render else None
            chart = BriefingChart(goal.name_zh, png, f"图{number} {goal.name_zh}（{periods.month_end_label(info.month)}）")
            charts.append(chart)
        figures = [("当前值", f"{goal.format_value(p.value)} {goal.unit}" if p.value is not None else "—"),
                   (f"{goal.target_year}年目标", goal.target_text() if p.target is not None else "—"),
                   ("完成率", percent_text(p.completion)),
                   ("较上月", change_text(goal, p.change) or "—"),
                   (f"预计{goal.target_year}年",
                    f"{goal.format_estimate(p.projection)} {goal.unit}" if p.projection is not None else "—")]
        slides.append(GoalSlide(
            goal_id=goal.id, title=goal.name_zh, status=p.status.value, status_label=labels.STATUS_LABEL[p.status],
            figures=figures, sentence=goal_sentence(goal, by_goal[goal.id], card.projection_months), chart=chart,
            actions=[f"{r['code']} {r['measure']}（{r['lead_unit']}，{r['due_on']:%Y-%m-%d}前）"
                     + ("［逾期］" if r["overdue"] else "") for _, r in open_items.iterrows() if r["goal_id"] == goal.id]))
    table = goals_table(view.cards)
    ordered = review_order(view.cards)
    today = on or date.today()
    return Briefing(
        title=f"{view.region_name}知识产权工作目标进展简报",
        subtitle=f"{periods.month_end_label(info.month)} · {info.label}",
        date_line=periods.day_label(today),
        region_name=view.region_name, month=info.month, sample=info.sample,
        narrative=view.narrative, goals=table, goal_statuses=[c.status.value for c in ordered],
        changes=comparison_table(view.comparison, registry) if view.comparison is not None else pd.DataFrame(),
        brands=brands_table(view.brands, names), actions=items_table, charts=charts, slides=slides,
        footer=(f"依据{registry.policy}《{registry.policy_title}》。数据：{info.label}，{info.frozen_text}，"
                f"数据指纹 SHA-256 {info.data_sha256[:16]}…" + ("。本简报使用示例数据，仅用于演示。" if info.sample else "。")))
