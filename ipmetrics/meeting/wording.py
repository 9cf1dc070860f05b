"""The briefing's sentences about goals, generated from frozen figures: one goal in a sentence (its period,
value, target, change on the previous period, trend or projection, status) and the tally of statuses.

A goal counted by month reads as it always has ("商标注册总量4,200件，完成目标（≥ 5,000 件）的84.0%，较上月
增加20件…"); a quarterly or yearly one names its period ("有效注册商标量2025年第三季度为87,300件…较上季度…");
a goal aimed downwards says how far it must fall ("需在2026年底前降至90天以内"); a monitoring indicator has
no target, only its value, change and trend.
"""

from __future__ import annotations

import math
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ipmetrics.core import labels, outlook, periods
from ipmetrics.core.goals import Goal
from ipmetrics.core.progress import Status
from ipmetrics.core.scorecard import GoalCard

BEHIND = (Status.OFF_TRACK.value, Status.AT_RISK.value)
# The statuses a tally counts, in its order; a monitoring indicator (no_target) is never counted.
_COUNT_ORDER = [Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA]
_COUNT_WORD = {Status.ACHIEVED: "已达成", Status.ON_TRACK: "正常推进", Status.AT_RISK: "预警",
               Status.OFF_TRACK: "滞后", Status.NO_DATA: "无数据"}
_TALLY_ORDER = [*_COUNT_WORD.values(), labels.NOT_REPORTED_LABEL]
PREVIOUS_WORD = {"month": "上月", "quarter": "上季度", "year": "上年"}


def percent_text(ratio: float | None) -> str:
    """0.8645 → 86.5% (half up, as the goals round)."""
    if ratio is None or pd.isna(ratio):
        return "—"
    return f"{Decimal(repr(float(ratio) * 100)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def record_value(record, column: str) -> float | None:
    value = record[column] if column in record else None
    return None if value is None or pd.isna(value) else float(value)


def change_text(goal: Goal, change: float | None) -> str:
    """较上月增加20件 (上季度, 上年 by the goal's frequency); a share moves by 个百分点."""
    if change is None:
        return ""
    previous = PREVIOUS_WORD[goal.frequency]
    if goal.format_value(abs(change)) == goal.format_value(0):
        return f"与{previous}持平"
    word = "增加" if change > 0 else "减少"
    unit = "个百分点" if goal.unit == "%" else goal.unit  # a share moves by points, not by per cent
    return f"较{previous}{word}{goal.format_value(abs(change))}{unit}"


def window_text(goal: Goal, length: int) -> str:
    """近12个月, 近8个季度, 近5年"""
    return periods.window_text(length, goal.frequency)


def trend_text(card: GoalCard) -> str | None:
    """The direction of the least-squares line through the goal's latest values (the trend's window, see
    scorecard.trend_of): 近4年呈上升趋势, 近8个季度呈下降趋势, 近12个月基本平稳; None with fewer than three values."""
    trend = card.trend
    if trend is None:
        return None
    window = window_text(card.goal, len(card.trend_values))
    return f"{window}基本平稳" if trend == "flat" else f"{window}呈{labels.TREND_LABEL[trend]}趋势"


def record_period(goal: Goal, record) -> str:
    """The period a record's value is of, in words, for a goal not counted by month ('' for a monthly one:
    its period is the briefing's month)."""
    text = record["period"] if "period" in record else None
    if goal.frequency == "month" or not isinstance(text, str) or not text:
        return ""
    return periods.period_label(periods.period_from_text(text))


def _target_parts(goal: Goal, status: Status, completion: float | None) -> list[str]:
    """完成目标（≥ 5,000 件）的84.0% for a goal going up; for one going down, how far it must fall."""
    if goal.increasing:
        return [] if completion is None else [f"完成目标（{goal.target_text()}）的{percent_text(completion)}"]
    if status is Status.ACHIEVED:
        return [f"已达到目标（{goal.target_text()}）"]
    limit = "以内" if goal.comparator == "<=" else "以下"
    target = float(goal.target)
    figure = f"{target:,.0f}" if target.is_integer() else goal.format_value(target)  # as target_text writes it
    parts = [f"需在{goal.target_year}年底前降至{figure}{goal.unit}{limit}"]
    if completion is not None:
        parts.append(f"已完成应降幅度的{percent_text(completion)}")
    return parts


def projection_text(goal: Goal, projection: float) -> str:
    """A projection in the narrative: a count (kind count, no decimals) reads in whole units — "0件", not
    "0.0件" — rounded towards falling short (1.7 enterprises towards a target of 2 is 1, not 2), so that
    "预计达到2家" never stands beside 预警; other goals as format_estimate writes them."""
    if goal.kind != "count" or goal.decimals:
        return goal.format_estimate(projection)
    nudge = 1e-9  # a float just under a whole number (2.9999999) is that number
    whole = math.floor(projection + nudge) if goal.increasing else math.ceil(projection - nudge)
    return goal.format_value(whole)


def _projection_part(goal: Goal, value: float, projection: float, window: str, events: bool = False) -> str:
    verb = "达到" if goal.increasing else ("降至" if projection < value else "为")
    how = "按自基期以来的速度" if events else f"按{window}趋势"
    return f"{how}预计{goal.target_year}年底{verb}{projection_text(goal, projection)}{goal.unit}"


def pipeline_names(record) -> list[str]:
    """A record's pipeline: a list in a status record, names joined by 、 in a snapshot row (none in a row
    frozen before migration 012)."""
    found = record["pipeline"] if "pipeline" in record else None
    if isinstance(found, str):
        return [name for name in found.split(outlook.PIPELINE_SEPARATOR) if name]
    return list(found) if isinstance(found, (list, tuple)) else []


def _outlook_parts(goal: Goal, record, status: Status, value: float, events: bool) -> list[str]:
    """还差1家，在途1家（…） for a small count goal; 达成可能性74%（较可能） for any goal not yet met."""
    if status is Status.ACHIEVED:
        return []
    parts = []
    target = record_value(record, "target")
    if events and target is not None and goal.increasing:
        parts.append(outlook.pipeline_phrase(outlook.missing_units(value, target, goal.comparator),
                                             pipeline_names(record), goal.unit))
    likely = outlook.likelihood_text(record_value(record, "likelihood"))
    if likely:
        parts.append(f"达成可能性{likely}")
    return parts


def goal_sentence(goal: Goal, record, projection_months: int = 12, trend: str | None = None) -> str:
    """One goal in one sentence: value (and its period when not monthly), progress on the target, change
    on the previous period, and for a goal behind schedule the projection to its target date — every number
    read from `record` (a snapshot or status record). A monitoring indicator gets its `trend` (trend_text)
    instead of a target."""
    value, status = record_value(record, "value"), Status(record["status"])
    period = record_period(goal, record)
    if value is None:
        if not period:
            return f"{goal.name_zh}本月没有数据。"
        return f"{goal.name_zh}{period}{'尚未上报' if goal.reported_only else '没有数据'}。"
    parts = [f"{goal.name_zh}{period}为{goal.format_value(value)}{goal.unit}" if period
             else f"{goal.name_zh}{goal.format_value(value)}{goal.unit}"]
    if not goal.monitoring:
        parts += _target_parts(goal, status, record_value(record, "completion"))
    change = change_text(goal, record_value(record, "change"))
    if change:
        parts.append(change)
    if goal.monitoring:
        return "，".join(parts + ([trend] if trend else [])) + f"（{labels.MONITORING_LABEL}）。"
    projection = record_value(record, "projection")
    events = ("method" in record and record["method"] == "events")
    if status.value in BEHIND and projection is not None:
        parts.append(_projection_part(goal, value, projection, window_text(goal, projection_months), events))
    extra = _outlook_parts(goal, record, status, value, events)
    return "，".join(parts) + f"，状态为{labels.status_label(status, goal)}" + \
        ("".join(f"；{part}" for part in extra)) + "。"


def _count_word(status: Status, goal: Goal) -> str:
    return labels.NOT_REPORTED_LABEL if status is Status.NO_DATA and goal.reported_only else _COUNT_WORD[status]


def tally(records: pd.DataFrame, goals: dict[str, Goal]) -> str:
    """已达成2项，正常推进3项… over the goals with a target; an office's figure not reported is 未上报."""
    counts = Counter(_count_word(Status(status), goals[goal_id])
                     for goal_id, status in zip(records["goal_id"], records["status"]) if Status(status) in _COUNT_ORDER)
    return "，".join(f"{word}{counts[word]}项" for word in _TALLY_ORDER if counts[word])


def opening(records: pd.DataFrame, goals: dict[str, Goal], month: pd.Period, region_name: str,
            policy: str) -> str:
    """The first paragraph: how many goals and their statuses; a plan with monitoring indicators counts
    its targeted ones apart, and one with quarterly or yearly indicators says which period they show."""
    monitoring = [goal_id for goal_id in records["goal_id"] if goals[goal_id].monitoring]
    targeted = records[~records["goal_id"].isin(monitoring)]
    if not monitoring:
        text = f"{periods.month_end_label(month)}，{region_name}知识产权工作{len(records)}项主要目标（{policy}）中，" \
               f"{tally(targeted, goals)}。"
    else:
        counted = f"{len(targeted)}项设有目标值：{tally(targeted, goals)}；" if len(targeted) else ""
        text = (f"{periods.month_end_label(month)}，{region_name}知识产权工作{len(records)}项主要指标（{policy}）中，"
                f"{counted}另有{labels.MONITORING_LABEL}{len(monitoring)}项。")
    frequencies = [f for f in ("quarter", "year") if any(goals[g].frequency == f for g in records["goal_id"])]
    if frequencies:
        shown = "，".join(f"{periods.FREQUENCY_LABEL[f]}指标为{periods.period_label(periods.latest_ended(month, f))}"
                         for f in frequencies)
        text += f"各指标取截至本月已结束的最近一期数值：{shown}。"
    return text
