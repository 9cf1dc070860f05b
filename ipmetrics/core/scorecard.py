"""Every goal's progress for one region and month: what the overview, the detail page and the CLI show."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ipmetrics.core import outlook, periods
from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.labels import SOURCE_LABEL
from ipmetrics.core.measures import RegionData, goal_frame, load_region_data
from ipmetrics.core.progress import REVIEW_ORDER, Progress, Status, Thresholds, assess, expected_value
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store

# The directions a goal's figures take over its trend window (`GoalCard.trend`), whatever its status: a
# decline is told apart from a stall. A fitted rise over the window below this share of the values' mean
# reads as flat.
TRENDS = ("rising", "flat", "falling")
STEADY_SHARE = 0.02


def trend_of(values: pd.Series) -> str | None:
    """rising, flat or falling: the least-squares line through `values` (on a PeriodIndex), judged by how
    far it rises over the whole window against the values' mean; None with fewer than three values."""
    known = values.astype(float).dropna()
    if len(known) < 3:
        return None
    x = np.array([p.ordinal for p in known.index], dtype=float)
    rise = np.polyfit(x, known.to_numpy(), 1)[0] * (x[-1] - x[0])
    if abs(rise) < STEADY_SHARE * abs(known.mean()) or rise == 0:
        return "flat"
    return "rising" if rise > 0 else "falling"


@dataclass(frozen=True)
class GoalCard:
    goal: Goal
    region: str
    as_of: pd.Period      # the month viewed
    progress: Progress
    frame: pd.DataFrame   # on the goal's own periods (months, quarters or years), from the series start to
                          # the period shown: derived / reported / value / source
    definition: str       # the definition with the settings in force
    projection_months: int = 12  # the trend's window ([method] of the goal file), in the goal's own periods
    # The period the card's target is due (a township's assigned target has its own date); None: the goal's.
    due: pd.Period | None = None
    # The first period that is history for the likelihood: a flow cumulated from a month (质押融资 from
    # financing_since) is 0 before it by construction, not a run of months without deals.
    history_start: pd.Period | None = None

    @property
    def target_period(self) -> pd.Period | None:
        return self.due if self.due is not None else self.goal.target_period

    # Cached: the overview, the JSON and the briefing each ask a card for its trend (a least-squares fit).
    @cached_property
    def trend_values(self) -> pd.Series:
        """The values the trend is read from: the latest `projection_months` periods with a value, up to the
        period shown."""
        known = self.frame["value"].astype(float).dropna()
        return known[known.index <= self.period].iloc[-self.projection_months:]

    @cached_property
    def trend(self) -> str | None:
        """rising, flat or falling over the trend window (see trend_of); None with fewer than three values."""
        return trend_of(self.trend_values)

    @cached_property
    def likelihood(self) -> float | None:
        """The probability of meeting the target by its date (outlook.likelihood); a snapshot's own when
        frozen with one."""
        if self.progress.likelihood is not None:
            return self.progress.likelihood
        return outlook.likelihood(self.progress, self.history_values, self.period, self.target_period,
                                  self.goal.kind, self.baseline_period, self.projection_months)

    @property
    def history_values(self) -> pd.Series:
        """The values that are history for the likelihood: the frame from `history_start` on."""
        values = self.frame["value"]
        return values if self.history_start is None else values[values.index >= self.history_start]

    @property
    def target_year(self) -> int | None:
        return None if self.target_period is None else self.target_period.year

    @property
    def assigned(self) -> bool:
        """Whether the card's target is one assigned to the region rather than the goal file's own."""
        return self.due is not None

    def target_text(self) -> str:
        """≥ 5,000 件 for the goal file's target; a township's assigned target the same way."""
        if not self.assigned:
            return self.goal.target_text()
        return self.goal.model_copy(update={"target": self.progress.target}).target_text()

    @property
    def status(self) -> Status:
        return self.progress.status

    @property
    def frequency(self) -> str:
        return self.goal.frequency

    @property
    def period(self) -> pd.Period:
        """The period whose value is shown as of the month viewed: the latest one ended by its end."""
        return periods.latest_ended(self.as_of, self.goal.frequency)

    @property
    def period_label(self) -> str:
        """2025年12月, 2025年第三季度, 2025年"""
        return periods.period_label(self.period)

    @property
    def baseline_period(self) -> pd.Period | None:
        text = self.progress.baseline_month
        return None if text is None else periods.period_from_text(text)

    @property
    def window_text(self) -> str:
        """近12个月, 近8个季度, 近5年: the trend's window in words."""
        return periods.window_text(self.projection_months, self.goal.frequency)


def thresholds(registry: Registry, frequency: str = "month") -> Thresholds:
    method = registry.method
    return Thresholds(method.on_track, method.at_risk, method.window(frequency))


def target_for(goal: Goal, registry: Registry, data: RegionData) -> tuple[float | None, pd.Period | None]:
    """The target that drives a region's completion, expected progress and status, and the period it is due
    (None: the goal's own). The plan's own region has the goal file's target. A region below it (a township
    of the county, a district of the city) has a target only when one is assigned to it (import kind
    `targets`), due on the assigned date: the plan's target is the whole area's. Any other region (a peer of
    the plan's region in a province store) keeps the goal's ratio and share targets, not its totals."""
    if data.region == registry.region:
        return goal.target, None
    if registry.region in data.ancestors:
        assigned = data.assigned_target(goal.id)
        if assigned is None:
            return None, None
        target, day = assigned
        return target, periods.period(day, goal.frequency)
    return (goal.target, None) if goal.per_region else (None, None)


def own_periods(frame: pd.DataFrame, frequency: str) -> pd.DataFrame:
    """A monthly frame read on a goal's own periods: each quarter or year is its last month's row."""
    if frequency == "month":
        return frame
    at_end, own = _period_ends(tuple(frame.index.asi8), frequency)
    result = frame[at_end].copy()
    result.index = own.copy()  # the cached index itself is never handed out: its name could be set
    return result


@functools.lru_cache(maxsize=64)
def _period_ends(months: tuple[int, ...], frequency: str) -> tuple[np.ndarray, pd.PeriodIndex]:
    """Which of the months (ordinals) end a period of `frequency`, and those periods: the same few month
    ranges are read for every goal and region of a freeze (378 quarterly and yearly frames for Luoshan)."""
    index = pd.PeriodIndex.from_ordinals(list(months), freq="M")
    own = index.asfreq(periods.PANDAS_FREQ[frequency], how="end")
    at_end = np.asarray(own.asfreq("M", how="end") == index)
    at_end.setflags(write=False)  # shared by every caller
    return at_end, pd.PeriodIndex(own[at_end], name="period")


def _frame_through(data: RegionData, goal: Goal, settings: Settings, last: pd.Period) -> pd.DataFrame:
    """The goal's frame on its own periods, from the series start to `last` (and at least to its baseline)."""
    start = pd.Period(settings.series_start, freq="M")
    if goal.baseline_period is not None:  # the baseline period's value is read at its last month
        baseline_end = periods.end_month(goal.baseline_period)
        start, last = min(start, baseline_end), max(last, baseline_end)
    return own_periods(goal_frame(data, goal, settings, periods.months(start, last)), goal.frequency)


def _card(goal: Goal, registry: Registry, settings: Settings, data: RegionData, frame: pd.DataFrame,
          as_of: pd.Period) -> GoalCard:
    shown = periods.latest_ended(as_of, goal.frequency)
    target, due = target_for(goal, registry, data)
    progress = assess(frame["value"], shown, target, goal.comparator,
                      goal.baseline_period, due or goal.target_period, thresholds(registry, goal.frequency),
                      # The plan states its baseline for its own region; elsewhere the figures give it.
                      declared_baseline=goal.baseline if data.region == registry.region else None,
                      small_gap=registry.method.small_count_gap if goal.kind == "count" else 0)
    if progress.method == "events" and goal.compute is not None:
        pipeline = data.pipeline(goal.compute.numerator_for(settings), shown)
        progress = outlook.with_pipeline(progress, pipeline["candidate"].astype(str).tolist())
    return GoalCard(goal=goal, region=data.region, as_of=as_of, progress=progress,
                    frame=frame[frame.index <= shown], definition=goal.definition_in_force(settings),
                    projection_months=registry.method.window(goal.frequency), due=due,
                    history_start=_history_start(goal, settings))


def _history_start(goal: Goal, settings: Settings) -> pd.Period | None:
    """The period before a cumulated flow's first month (its value there, 0, is the true start), on the
    goal's own periods; None for a goal not cumulated from a date."""
    if goal.compute is None or not goal.compute.since:
        return None
    first = pd.Period(getattr(settings, goal.compute.since), freq="M")
    return periods.period(periods.month_end(first - 1), goal.frequency)


def goal_card(data: RegionData, goal: Goal, registry: Registry, settings: Settings,
              as_of: pd.Period) -> GoalCard:
    return _card(goal, registry, settings, data, _frame_through(data, goal, settings, as_of), as_of)


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
    return {month: [_card(goal, registry, settings, data, frames[goal.id], month)
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
            "frequency": card.frequency,
            "period": periods.period_text(card.period),
            "period_label": card.period_label,
            "value": _rounded(p.value),
            "target": _rounded(p.target),
            "completion": _rounded(p.completion),
            "expected": _rounded(p.expected),
            "projection": _rounded(p.projection),
            "status": p.status.value,
            "trend": card.trend,
            # The probability of meeting the target by its date, 0–1 (core/outlook.py); None without a target.
            "likelihood": _rounded(card.likelihood, 4),
            "method": p.method,
            "pace": _rounded(p.pace),
            "pipeline": list(p.pipeline),
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
            "source": "reported" if card.goal.reported_only else "derived",
            "reported_by": card.goal.reported_by,
            "theme": card.goal.theme,
            "monitoring": card.goal.monitoring,
            # The date the target shown is due: the goal file's, or the one assigned to a township.
            "target_date": None if card.progress.target is None or card.target_period is None
            else periods.month_end(periods.end_month(card.target_period)).isoformat(),
        })
    return records


PERIOD_COLUMN = {"month": "月份", "quarter": "季度", "year": "年度"}


def monthly_table(card: GoalCard) -> pd.DataFrame:
    """The detail page's table: per period (month, quarter or year) the value, where it comes from, the
    planned value and the gap."""
    frame = card.frame.copy()
    p = card.progress
    expected = pd.Series(float("nan"), index=frame.index)
    start = card.baseline_period
    if p.target is not None and start is not None:
        target_period = card.target_period
        after = frame.index >= start
        expected[after] = [expected_value(p.baseline, start, p.target, target_period, m)
                           for m in frame.index[after]]
    names = [str(m) for m in frame.index] if card.frequency == "month" else [periods.period_label(m) for m in frame.index]
    table = pd.DataFrame({
        PERIOD_COLUMN[card.frequency]: names,
        f"数值（{card.goal.unit}）": frame["value"].round(card.goal.decimals + 2).to_numpy(),
        "来源": frame["source"].map(SOURCE_LABEL).to_numpy(),
        "序时进度值": expected.round(card.goal.decimals + 2).to_numpy(),
        "与序时进度之差": (frame["value"] - expected).round(card.goal.decimals + 2).to_numpy(),
    })
    return table.iloc[::-1].reset_index(drop=True)
