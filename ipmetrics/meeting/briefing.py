"""The meeting briefing of a snapshot: the narrative generated from its figures, the tables and the
charts, as one `Briefing` that the meeting page shows and the documents (docx, pdf, pptx) write.

Every number in the narrative is read from the snapshot and formatted the way the goal formats it, so
the text cannot disagree with the table next to it; nothing here is written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Callable

import pandas as pd
import plotly.graph_objects as go

from ipmetrics.charts.goals import goal_trend_figure
from ipmetrics.charts.month import OTHER_THEME, Month
from ipmetrics.core import catalog, labels, outlook, periods
from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.hierarchy import Hierarchy
from ipmetrics.core.progress import REVIEW_ORDER, Status
from ipmetrics.core.scorecard import GoalCard, review_order
from ipmetrics.core.store import Store
from ipmetrics.meeting import actions, policy_view, snapshots
from ipmetrics.meeting.briefing_model import Briefing, BriefingChart, ChartImages, GoalSlide
from ipmetrics.meeting.compare import compare, comparison_table
from ipmetrics.meeting.wording import (
    BEHIND,
    PREVIOUS_WORD,
    change_text,
    goal_sentence,
    opening,
    percent_text,
    projection_text,
    trend_text,
)
from ipmetrics.themes import brands as brand_status


def _ordered(records: pd.DataFrame) -> pd.DataFrame:
    key = records["status"].map(lambda s: REVIEW_ORDER.index(Status(s)))
    ap = records["anticipated_progress"].astype(float).fillna(0.0)
    return records.assign(_k=key, _ap=ap).sort_values(["_k", "_ap"]).drop(columns=["_k", "_ap"])


Section = tuple[str, list[str]]  # (heading, sentences): a heading's sentences are one per goal


def narrative_sections(records: pd.DataFrame, registry: Registry, month: pd.Period, region_name: str,
                       comparison: pd.DataFrame | None = None, previous_label: str | None = None,
                       action_summary: dict[str, int] | None = None, trends: dict[str, str | None] | None = None,
                       task_text: str | None = None) -> list[Section]:
    """The briefing's text, generated from a snapshot's records of one region, in sections: the opening,
    the goals behind schedule, the others, the monitoring indicators (a sentence per goal under a heading),
    then the changes, the action items and the tasks (one sentence each, no heading). `trends` (trend_text
    by goal id) describe the monitoring indicators, which have no target to be measured against;
    `task_text` is the sentence on the policy's tasks (policy_view.task_paragraph)."""
    records = _ordered(records[records["goal_id"].isin(registry.ids())])
    goals = {goal.id: goal for goal in registry.goals}
    sections: list[Section] = [("", [opening(records, goals, month, region_name, registry.policy)])]
    monitored = records["goal_id"].map(lambda goal_id: goals[goal_id].monitoring)
    behind = records[records["status"].isin(BEHIND)]
    others = records[~records["status"].isin(BEHIND) & ~monitored]

    def sentences(rows: pd.DataFrame) -> list[str]:
        return [goal_sentence(goals[r["goal_id"]], r, registry.method.window(goals[r["goal_id"]].frequency),
                              (trends or {}).get(r["goal_id"])) for _, r in rows.iterrows()]
    for heading, rows in (("需要加快的目标", behind), ("其余目标", others),
                          (labels.MONITORING_LABEL, records[monitored])):
        if not rows.empty:
            sections.append((heading, sentences(rows)))
    if comparison is not None and previous_label:
        sections.append(("", [_changes_paragraph(comparison, goals, previous_label)]))
    if action_summary is not None:
        sections.append(("", [_actions_paragraph(action_summary)]))
    if task_text:
        sections.append(("", [task_text]))
    return sections


def paragraphs_of(sections: list[Section]) -> list[str]:
    """The sections as the documents print them: a heading's sentences run on in one paragraph after it."""
    return [f"{heading}：" + "".join(lines) if heading else "".join(lines) for heading, lines in sections]


def narrative(records: pd.DataFrame, registry: Registry, month: pd.Period, region_name: str,
              comparison: pd.DataFrame | None = None, previous_label: str | None = None,
              action_summary: dict[str, int] | None = None, trends: dict[str, str | None] | None = None,
              task_text: str | None = None) -> list[str]:
    """The briefing's paragraphs (narrative_sections, run on)."""
    return paragraphs_of(narrative_sections(records, registry, month, region_name, comparison, previous_label,
                                            action_summary, trends, task_text))


def _changes_paragraph(comparison: pd.DataFrame, goals: dict[str, Goal], previous_label: str) -> str:
    changed = comparison[comparison["status_before"].notna()
                         & (comparison["status_before"] != comparison["status_after"])]
    if changed.empty:
        return f"与上次快照（{previous_label}）相比，各项目标状态未变。"
    moves = "；".join(
        f"{goals[r['goal_id']].name_zh}由{labels.status_label(r['status_before'], goals[r['goal_id']])}"
        f"转为{labels.status_label(r['status_after'], goals[r['goal_id']])}" for _, r in changed.iterrows())
    return f"与上次快照（{previous_label}）相比：{moves}。"


def _actions_paragraph(action_summary: dict[str, int]) -> str:
    if action_summary["total"] == 0:
        return "本期没有督办事项。"
    text = f"本期督办事项{action_summary['total']}项"
    if action_summary.get("decisions"):
        text += f"（含{actions.SUBJECT_HEADINGS['decision']}{action_summary['decisions']}项）"
    text += f"，其中办理中{action_summary['open']}项"
    if action_summary["overdue"]:
        text += f"（逾期{action_summary['overdue']}项）"
    if action_summary["closed"]:
        text += f"，本期办结{action_summary['closed']}项"
    return text + "。"


def due_text(goals: list[Goal]) -> str:
    """2030年 when the goals with a target share a target year, else 目标年 (for column headers)."""
    years = {goal.target_year for goal in goals if not goal.monitoring}
    return f"{years.pop()}年" if len(years) == 1 else "目标年"


THEME_COLUMN = "主题"


def table_order(cards: list[GoalCard]) -> list[GoalCard]:
    """The goals table's rows: behind schedule first, within each theme when the goals have several
    (themes in the order of the goal file, which is the cards' order)."""
    themes = list(dict.fromkeys(card.goal.theme for card in cards))
    ordered = review_order(cards)
    if len(themes) < 2:
        return ordered
    return sorted(ordered, key=lambda card: themes.index(card.goal.theme))  # stable: review order within


def goals_table(cards: list[GoalCard]) -> pd.DataFrame:
    """All goals of a snapshot, formatted, behind schedule first (within each theme, in a 主题 column, when
    the goals have several); a 期间 column when a goal is counted by quarter or year."""
    due = due_text([card.goal for card in cards])
    themed = len({card.goal.theme for card in cards}) > 1
    with_periods = any(card.frequency != "month" for card in cards)
    rows = []
    for card in table_order(cards):
        goal, p = card.goal, card.progress
        row = {THEME_COLUMN: goal.theme or OTHER_THEME} if themed else {}
        row["指标"] = goal.label
        if with_periods:
            row["期间"] = card.period_label
        row |= {
            "当前值": f"{goal.format_value(p.value)} {goal.unit}" if p.value is not None else "—",
            f"目标（{due}）": goal.target_text() if p.target is not None or goal.monitoring else "—",
            "完成率": percent_text(p.completion),
            "较上期" if with_periods else "较上月":
                "—" if p.change is None else ("+" if p.change > 0 else "") + goal.format_value(p.change),
            # The documents' tables give each figure its goal's decimals: a count 3, never 3.0 (issue 17).
            "序时进度值": goal.format_value(p.expected),
            f"预计{due}": goal.format_value(p.projection),
            "状态": labels.status_label(p.status, goal),
            # Of meeting the target by its date (core/outlook.py); the level words are in the narrative.
            "达成可能性": "—" if p.status is Status.ACHIEVED or card.likelihood is None
            else outlook.likelihood_share(card.likelihood),
        }
        rows.append(row)
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
    narrative: list[str]            # paragraphs, as the documents print them
    tasks: pd.DataFrame             # the tasks' standing frozen with the snapshot (empty when it froze none)
    # The same text by heading, a sentence per goal, as the page lists it.
    sections: list[Section] = field(default_factory=list)


def meeting_view(store: Store, registry: Registry, snapshot_id: int, on: date | None = None) -> MeetingView:
    info = snapshots.get(store, snapshot_id)
    previous = snapshots.previous(store, info)
    names = catalog.region_names(store)
    records = snapshots.records(store, info.id)
    cards = snapshots.cards(store, registry, info.id)
    comparison = compare(snapshots.records(store, previous.id), records, registry) if previous else None
    own = actions.within(actions.load(store), Hierarchy.from_frame(catalog.regions(store)), info.region)
    items = actions.for_meeting(own, info.month, on or date.today())
    tasks = snapshots.frozen_tasks(store, info.id)
    sections = narrative_sections(records, registry, info.month, names.get(info.region, info.region), comparison,
                                  previous.label if previous else None, actions.summary(items),
                                  trends={card.goal.id: trend_text(card) for card in cards if card.goal.monitoring},
                                  task_text=policy_view.task_paragraph(tasks))
    return MeetingView(info=info, previous=previous, region_name=names.get(info.region, info.region),
                       records=records, cards=cards, comparison=comparison,
                       brands=snapshots.frozen_brands(store, info.id), action_items=items,
                       narrative=paragraphs_of(sections), tasks=tasks, sections=sections)


def task_note(registry: Registry, view: MeetingView) -> str | None:
    """The line opening the briefing's task section: which period the reports were chased for, or why the
    snapshot holds no tasks; None when the plan has neither articles nor tasks (no section at all)."""
    if len(view.tasks):
        return (f"任务进展按{policy_view.report_period_label(view.tasks)}的汇报统计，逾期按"
                f"{periods.month_end_label(view.info.month)}计。")
    if registry.articles:
        return "本快照未包含任务分工与进展（冻结时库中没有任务，或为早前版本的快照）。"
    return None


# The goal charts' figures -> their images, in order (monthly.briefing_for draws them through the browser).
Draw = Callable[[list[go.Figure]], list[ChartImages]]


def slide_figures(card: GoalCard) -> list[tuple[str, str]]:
    """The figures a goal's slide lists (label, text): the value (of its period when not monthly), the
    target, the completion, the change, the projection and the likelihood; a monitoring indicator's trend
    instead of a target."""
    goal, p = card.goal, card.progress
    value = f"{goal.format_value(p.value)} {goal.unit}" if p.value is not None else "—"
    change = ("较" + PREVIOUS_WORD[goal.frequency], change_text(goal, p.change) or "—")
    shown = ("当前值" if card.frequency == "month" else f"{card.period_label}数值", value)
    if goal.monitoring:
        return [shown, ("目标", f"{labels.MONITORING_LABEL}，不设目标值"), change,
                ("趋势", trend_text(card) or "—")]
    return [shown,
            (f"{goal.target_year}年目标", goal.target_text() if p.target is not None else "—"),
            ("完成率" if goal.increasing else "已完成应降幅度", percent_text(p.completion)),
            change,
            (f"预计{goal.target_year}年",
             f"{projection_text(goal, p.projection)} {goal.unit}" if p.projection is not None else "—"),
            ("达成可能性", "已达成" if p.status is Status.ACHIEVED else outlook.likelihood_text(card.likelihood) or "—")]


def _chart_caption(number: int, card: GoalCard) -> str:
    """图1 商标注册总量（截至2025年12月底）; a quarterly or yearly goal's chart ends at its period."""
    until = periods.month_end_label(card.as_of) if card.frequency == "month" else f"截至{card.period_label}"
    return f"图{number} {card.goal.name_zh}（{until}）"


def _action_lines(open_items: pd.DataFrame, goal_id: str) -> list[str]:
    return [f"{r['code']} {r['measure']}（{r['lead_unit']}，{r['due_on']:%Y-%m-%d}前）" + ("［逾期］" if r["overdue"] else "")
            for _, r in open_items.iterrows() if r["goal_id"] == goal_id]


def has_chart(card: GoalCard) -> bool:
    """A goal with a value in any period has a chart in the briefing."""
    return bool(card.frame["value"].notna().any())


def charted(cards: list[GoalCard]) -> list[GoalCard]:
    """The goals with a chart in the briefing, in its order (the review order)."""
    return [card for card in review_order(cards) if has_chart(card)]


def build_briefing(store: Store, registry: Registry, view: MeetingView, draw: Draw | None,
                   on: date | None = None, month: Month | None = None) -> Briefing:
    """The briefing documents' content. `draw` turns the goal charts' figures into their images, all at once
    (None: no charts); the figures are `month`'s when given (the snapshot's month built once), else drawn
    from the snapshot."""
    info, names = view.info, catalog.region_names(store)
    by_goal = {r["goal_id"]: r for _, r in view.records.iterrows()}
    open_items = view.action_items[view.action_items["state"] == "open"]
    ordered = review_order(view.cards)
    figures = {}  # goal id -> figure, made only to be drawn
    if draw is not None:
        figures = {card.goal.id: (month.goal_chart(card.goal.id).figure if month is not None
                                  else goal_trend_figure(card, info.sample, view.region_name))
                   for card in charted(view.cards)}
    drawn = dict(zip(figures, draw(list(figures.values())))) if figures else {}
    charts, slides = [], []
    for number, card in enumerate(ordered, start=1):
        goal, p = card.goal, card.progress
        chart = None
        if has_chart(card):
            made = drawn.get(goal.id)
            chart = BriefingChart(goal.name_zh, made.png if made else None, _chart_caption(number, card),
                                  svg=made.svg if made else None)
            charts.append(chart)
        sentence = goal_sentence(goal, by_goal[goal.id], card.projection_months,
                                 trend_text(card) if goal.monitoring else None)
        slides.append(GoalSlide(
            goal_id=goal.id, title=goal.name_zh, status=p.status.value, status_label=labels.status_label(p.status, goal),
            figures=slide_figures(card), sentence=sentence, chart=chart, actions=_action_lines(open_items, goal.id)))
    table = goals_table(view.cards)
    groups = ()
    if THEME_COLUMN in table:  # the documents show a theme as a row heading its goals, not as a column
        groups = tuple((theme, len(list(rows))) for theme, rows in groupby(table.pop(THEME_COLUMN)))
    today = on or date.today()
    action_table, action_groups = actions.briefing_section(view.action_items, registry)
    return Briefing(
        title=f"{view.region_name}知识产权工作目标进展简报",
        subtitle=f"{periods.month_end_label(info.month)} · {info.label}",
        date_line=periods.day_label(today),
        region_name=view.region_name, month=info.month, sample=info.sample,
        narrative=view.narrative, goals=table, goal_statuses=[c.status.value for c in table_order(view.cards)],
        changes=comparison_table(view.comparison, registry) if view.comparison is not None else pd.DataFrame(),
        brands=brands_table(view.brands, names), actions=action_table, action_groups=action_groups,
        charts=charts, slides=slides, goal_groups=groups,
        policy_parts=policy_view.part_table(registry, view.cards, view.tasks) if registry.articles else pd.DataFrame(),
        tasks_behind=policy_view.behind_tasks_table(view.tasks),
        units_unreported=policy_view.unreported_units_table(view.tasks), task_note=task_note(registry, view),
        tasks_frozen=bool(len(view.tasks)),
        slide_charts={goal_id: made.slide for goal_id, made in drawn.items()},
        footer=(f"依据{registry.policy}《{registry.policy_title}》。数据：{info.label}，{info.frozen_text}，"
                f"数据指纹 SHA-256 {info.data_sha256[:16]}…" + ("。本简报使用示例数据，仅用于演示。" if info.sample else "。")))
