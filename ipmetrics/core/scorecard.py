"""Every goal's progress for one region and month: what the overview, the detail page and the CLI show."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.labels import SOURCE_LABEL
from ipmetrics.core.measures import RegionData, goal_frame, load_region_data
from ipmetrics.core.progress import REVIEW_ORDER, Progress, Status, Thresholds, assess, expected_value
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store


@dataclass(frozen=True)
class GoalCard:
    goal: Goal
    region: str
    as_of: pd.Period
    progress: Progress
    frame: pd.DataFrame   # monthly derived / reported / value from the series start to the as-of month
    definition: str       # the definition with the settings in force
    projection_months: int = 12  # the trend's window ([method] of the goal file), for its line in charts

    @property
    def status(self) -> Status:
        return self.progress.status


def thresholds(registry: Registry) -> Thresholds:
    method = registry.method
    return Thresholds(method.on_track, method.at_risk, method.projection_months)


def target_for(goal: Goal, registry: Registry, region: str) -> float | None:
    """A county-total goal has no target in a township; ratios and shares keep theirs everywhere."""
    return goal.target if region == registry.region or goal.per_region else None


def _frame_through(data: RegionData, goal: Goal, settings: Settings, last: pd.Period) -> pd.DataFrame:
    """The goal's monthly frame from the series start to `last` (and at least to its baseline)."""
    baseline_month = pd.Period(goal.baseline_date, freq="M")
    start = min(pd.Period(settings.series_start, freq="M"), baseline_month)
    return goal_frame(data, goal, settings, periods.months(start, max(last, baseline_month)))


def _card(goal: Goal, registry: Registry, settings: Settings, region: str, frame: pd.DataFrame,
          as_of: pd.Period) -> GoalCard:
    progress = assess(frame["value"], as_of, target_for(goal, registry, region), goal.comparator,
                      pd.Period(goal.baseline_date, freq="M"), pd.Period(goal.target_date, freq="M"),
                      thresholds(registry))
    return GoalCard(goal=goal, region=region, as_of=as_of, progress=progress,
                    frame=frame[frame.index <= as_of], definition=goal.definition_in_force(settings),
                    projection_months=registry.method.projection_months)


def goal_card(data: RegionData, goal: Goal, registry: Registry, settings: Settings,
              as_of: pd.Period) -> GoalCard:
    return _card(goal, registry, settings, data.region, _frame_through(data, goal, settings, as_of), as_of)


def scorecard_from_data(data: RegionData, registry: Registry, settings: Settings,
                        as_of: pd.Period | str) -> list[GoalCard]:
    as_of = pd.Period(as_of, freq="M")
    return [goal_card(data, goal, registry, settings, as_of) for goal in registry.goals]


def scorecard(store: Store, registry: Registry, settings: Settings, region: str | None,
              as_of: pd.Period | str) -> list[GoalCard]:
    data = load_region_data(store, region or registry.region)
    return scorecard_from_data(data, registry, settings, as_of)


def scorecard_history(data: RegionData, registry: Registry, settings: Settings,
                      months: list[pd.Period]) -> dict[pd.Period, list[GoalCard]]:
    """The scorecards of many months at once: each goal's series is computed once, then read per month."""
    months = [pd.Period(m, freq="M") for m in months]
    frames = {goal.id: _frame_through(data, goal, settings, max(months)) for goal in registry.goals}
    return {month: [_card(goal, registry, settings, data.region, frames[goal.id], month)
                    for goal in registry.goals] for month in months}


def review_order(cards: list[GoalCard]) -> list[GoalCard]:
    """Behind schedule first; within a status, the furthest behind first."""
    def key(card: GoalCard):
        ap = card.progress.anticipated_progress
        return REVIEW_ORDER.index(card.status), ap if ap is not None else 0.0
    return sorted(cards, key=key)


def _rounded(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(float(value), digits)


def status_records(cards: list[GoalCard]) -> list[dict]:
    """The stable, machine-readable form of a scorecard (`ipmetrics status --format json`)."""
    records = []
    for card in cards:
        p = card.progress
        records.append({
            "id": card.goal.id,
            "value": _rounded(p.value),
            "target": _rounded(p.target),
            "completion": _rounded(p.completion),
            "expected": _rounded(p.expected),
            "projection": _rounded(p.projection),
            "status": p.status.value,
            "name": card.goal.name_zh,
            "unit": card.goal.unit,
            "comparator": card.goal.comparator,
            "baseline": _rounded(p.baseline),
            "baseline_month": p.baseline_month,
            "gap": _rounded(p.gap),
            "monthly_pace_needed": _rounded(p.monthly_pace_needed),
            "anticipated_progress": _rounded(p.anticipated_progress),
            "previous_value": _rounded(p.previous_value),
            "change": _rounded(p.change),
            "region": card.region,
            "as_of": str(card.as_of),
            "definition": card.definition,
        })
    return records


def monthly_table(card: GoalCard) -> pd.DataFrame:
    """The detail page's table: per month the value, where it comes from, the planned value and the gap."""
    frame = card.frame.copy()
    p = card.progress
    expected = pd.Series(float("nan"), index=frame.index)
    if p.target is not None and p.baseline is not None:
        start = pd.Period(p.baseline_month, freq="M")
        target_month = pd.Period(card.goal.target_date, freq="M")
        after = frame.index >= start
        expected[after] = [expected_value(p.baseline, start, p.target, target_month, m)
                           for m in frame.index[after]]
    table = pd.DataFrame({
        "月份": [str(m) for m in frame.index],
        f"数值（{card.goal.unit}）": frame["value"].round(card.goal.decimals + 2).to_numpy(),
        "来源": frame["source"].map(SOURCE_LABEL).to_numpy(),
        "序时进度值": expected.round(card.goal.decimals + 2).to_numpy(),
        "与序时进度之差": (frame["value"] - expected).round(card.goal.decimals + 2).to_numpy(),
    })
    return table.iloc[::-1].reset_index(drop=True)
