"""The meeting page's first screen, as text: three short lists a member reads before scrolling — the goals
behind schedule, the statuses that changed since the previous snapshot, and the open action items (overdue
first) — each item a title, a badge and one short line.

Every figure is formatted as its goal formats it (decimals and unit), as in the briefing's sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipmetrics.core import labels
from ipmetrics.core.goals import Registry
from ipmetrics.core.progress import Status
from ipmetrics.core.scorecard import GoalCard, review_order
from ipmetrics.meeting import actions
from ipmetrics.meeting.wording import BEHIND, percent_text

MEASURE_CHARS = 16  # a measure is cut to this many characters on the first screen (the full text is below)


@dataclass(frozen=True)
class ScreenItem:
    """One line of a first-screen block."""

    title: str    # 中国驰名商标; DB-2025-06-01 中国驰名商标
    badge: str    # 滞后; 预警 → 滞后; 逾期150天
    status: str   # the status id the badge is coloured by (off_track for anything urgent)
    line: str     # 当前0件，目标≥ 2 件，完成0.0%
    urgent: bool  # worse than before, or overdue: shown in red
    detail: str = ""  # a second, quieter line (an action item's measure, cut short)


def _value_text(goal, value) -> str:
    return "—" if value is None or pd.isna(value) else f"{goal.format_value(value)}{goal.unit}"


def behind_items(cards: list[GoalCard]) -> list[ScreenItem]:
    """The goals 滞后 or 预警, the furthest behind first: value, target and completion in one line."""
    items = []
    for card in review_order(cards):
        if card.status.value not in BEHIND:
            continue
        goal, progress = card.goal, card.progress
        parts = [f"当前{_value_text(goal, progress.value)}"]
        if progress.target is not None:
            parts.append(f"目标{goal.target_text()}")
        if progress.completion is not None:
            parts.append(f"完成{percent_text(progress.completion)}")
        items.append(ScreenItem(goal.label, labels.status_label(card.status, goal), card.status.value,
                                "，".join(parts), card.status is Status.OFF_TRACK))
    return items


def change_items(comparison: pd.DataFrame, registry: Registry) -> list[ScreenItem]:
    """The goals whose status changed since the previous snapshot, in the comparison's order (worse first),
    the monitoring indicators after the goals with a target (their status only says whether a figure came
    in): both statuses in the badge, both values in the line."""
    items, monitoring = [], []
    for _, row in comparison.iterrows():
        before, after = row["status_before"], row["status_after"]
        if before is None or pd.isna(before) or before == after or row["goal_id"] not in registry.ids():
            continue
        goal = registry.goal(row["goal_id"])
        badge = f"{labels.status_label(Status(before), goal)} → {labels.status_label(Status(after), goal)}"
        line = f"上次{_value_text(goal, row['value_before'])}，本次{_value_text(goal, row['value_after'])}"
        worse = row["movement"] == "worse"
        (monitoring if goal.monitoring else items).append(
            ScreenItem(goal.label, badge, Status.OFF_TRACK.value if worse else after, line, worse))
    return items + monitoring


def _short(text: str) -> str:
    text = str(text).strip()
    return text if len(text) <= MEASURE_CHARS else text[:MEASURE_CHARS] + "…"


def action_items(meeting_items: pd.DataFrame, registry: Registry) -> list[ScreenItem]:
    """The open action items (overdue first, then by deadline: actions.for_meeting's order): the lead unit
    and the deadline, then what is to be done, cut short."""
    goal_names = {goal.id: goal.label for goal in registry.goals}
    items = []
    for _, row in meeting_items[meeting_items["state"] == "open"].iterrows():
        subject = actions.indicator_text(row["goal_id"], goal_names)
        if subject == actions.DECISION and actions.task_codes(meeting_items.loc[[row.name]]).iloc[0]:
            subject = f"任务 {row['task_code']}"
        line = f"{row['lead_unit']}，{row['due_on']:%Y-%m-%d}前"
        items.append(ScreenItem(f"{row['code']} {subject}", actions.state_text(row),
                                Status.OFF_TRACK.value if row["overdue"] else Status.ON_TRACK.value, line,
                                bool(row["overdue"]), _short(row["measure"])))
    return items
