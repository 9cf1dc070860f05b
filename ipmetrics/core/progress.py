"""Progress of one goal at one period: completion, trajectory, projection and status. Pure functions.

A goal's periods are pandas Periods of its frequency (months, quarters or years); a value "at" a period
is the value at its last day. The same arithmetic serves every frequency, on the periods' ordinals.

The status follows the method of Statistics Canada used by Open SDG, applied to a linear projection:
the anticipated-progress ratio AP = (projection − baseline) ÷ (target − baseline), where the projection
is the least-squares line through the last `projection_months` values (months, quarters or years: the
window of the goal's frequency), read at the target period. The same ratio serves a goal that goes down
(`<=`, `<`: reduce to): both differences are then negative. A growth-rate (CAGR) ratio is not used because
it breaks on a zero baseline (0 → 2 well-known marks).

A count goal a few units from its baseline (1–3 well-known marks, GI marks, designated firms) moves in
steps: a line through the last 12 values swings when a step enters or leaves the window, with no new
information. Such a goal is projected by its rate of events since the baseline instead (`method`
"events"): the net rise from the baseline value over the periods since, continued to the target period
from the value now. ipmetrics/core/outlook.py adds the pipeline and the likelihood of meeting the target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from ipmetrics.core import periods

# How a goal's projection is made: the least-squares line through its latest values, or its rate of events
# since the baseline (a count goal with a small target).
METHODS = ("linear", "events")


class Status(StrEnum):
    ACHIEVED = "achieved"      # the comparator is met now
    ON_TRACK = "on_track"      # AP ≥ on_track (0.95)
    AT_RISK = "at_risk"        # at_risk (0.60) ≤ AP < on_track
    OFF_TRACK = "off_track"    # AP < at_risk, deterioration included
    NO_DATA = "no_data"        # no value at the month
    NO_TARGET = "no_target"    # nothing to meet: a monitoring indicator, or a county total seen in a township


# Behind schedule first, as the leadership group reviews them.
REVIEW_ORDER = [Status.OFF_TRACK, Status.AT_RISK, Status.NO_DATA, Status.ON_TRACK, Status.NO_TARGET,
                Status.ACHIEVED]


@dataclass(frozen=True)
class Thresholds:
    on_track: float = 0.95
    at_risk: float = 0.60
    projection_months: int = 12  # the trend's window, in the goal's own periods


@dataclass(frozen=True)
class Progress:
    value: float | None
    previous_value: float | None
    change: float | None
    target: float | None
    comparator: str
    completion: float | None
    baseline: float | None
    baseline_month: str | None
    expected: float | None
    gap: float | None
    monthly_pace_needed: float | None
    projection: float | None
    anticipated_progress: float | None
    status: Status
    method: str = "linear"           # METHODS: how the projection was made
    pace: float | None = None        # the projection's rate per period: the fitted slope, or events per period
    pipeline: tuple[str, ...] = ()   # candidates in the pipeline at the period (outlook.with_pipeline)
    likelihood: float | None = None  # a frozen likelihood (snapshots); live cards compute theirs
    raised_by_pipeline: bool = False  # 滞后 by its pace, 预警 because its candidates would close the gap


def meets(value: float, target: float, comparator: str) -> bool:
    if comparator == ">":
        return value > target
    if comparator == "<=":
        return value <= target
    if comparator == "<":
        return value < target
    return value >= target


def increasing(comparator: str) -> bool:
    return comparator.startswith(">")


def _clean(series: pd.Series) -> pd.Series:
    return series.astype(float).dropna().sort_index()


def value_at(series: pd.Series, month: pd.Period) -> float | None:
    value = series.get(month)
    return None if value is None or pd.isna(value) else float(value)


def baseline_point(series: pd.Series, baseline_month: pd.Period,
                   declared: float | None = None) -> tuple[pd.Period, float] | None:
    """The value at the baseline period (the plan's own figure when it states one), or failing that the
    first value after it."""
    if declared is not None:
        return baseline_month, float(declared)
    known = _clean(series)
    known = known[known.index >= baseline_month]
    if known.empty:
        return None
    return known.index[0], float(known.iloc[0])


def expected_value(baseline: float, baseline_month: pd.Period, target: float, target_month: pd.Period,
                   month: pd.Period) -> float:
    """The straight line from the baseline to the target, read at `month` (any period of their frequency)."""
    span = target_month.ordinal - baseline_month.ordinal
    return baseline + (target - baseline) * (month.ordinal - baseline_month.ordinal) / span


def _fit(series: pd.Series, as_of: pd.Period, window: int) -> tuple[pd.Period, float, float] | None:
    """(first month of the window, slope, intercept) of the least-squares line; flat for one value."""
    known = _clean(series)
    known = known[known.index <= as_of].iloc[-window:]
    if known.empty:
        return None
    if len(known) == 1:
        return known.index[0], 0.0, float(known.iloc[0])
    x = np.array([p.ordinal for p in known.index], dtype=float)
    slope, intercept = np.polyfit(x, known.to_numpy(dtype=float), 1)
    return known.index[0], float(slope), float(intercept)


def linear_projection(series: pd.Series, as_of: pd.Period, at: pd.Period, window: int = 12) -> float | None:
    """Least-squares line through the last `window` known values up to `as_of`, read at `at`.

    One known value gives a flat line; none gives None.
    """
    fit = _fit(series, as_of, window)
    if fit is None:
        return None
    _, slope, intercept = fit
    return intercept + slope * at.ordinal


def event_rate(value: float, baseline: float, start: pd.Period, as_of: pd.Period) -> float:
    """Events per period since the baseline: the net rise from the baseline value to `value` over the
    periods from `start` to `as_of`; 0 when none has passed."""
    elapsed = as_of.ordinal - start.ordinal
    return 0.0 if elapsed <= 0 else (value - baseline) / elapsed


def uses_events(target: float | None, baseline: float | None, small_gap: float) -> bool:
    """Whether a count goal is judged by its rate of events: its target is at most `small_gap` units from
    its baseline (0: never). Fixed by the baseline, so a goal never changes method as its value moves."""
    return small_gap > 0 and target is not None and baseline is not None and abs(target - baseline) <= small_gap


def anticipated_progress(projection: float, baseline: float, target: float, comparator: str) -> float:
    distance = target - baseline
    if distance == 0 or (distance > 0) != increasing(comparator):
        # No distance to cover (or the baseline is already past the target): all or nothing.
        return 1.0 if meets(projection, target, comparator) else 0.0
    return (projection - baseline) / distance


def completion_ratio(value: float, target: float, comparator: str, baseline: float | None) -> float | None:
    """Value ÷ target for a goal that goes up. For one that goes down (reduce to), the share of the way
    from the baseline to the target covered so far (1 when met; None without a baseline above the target).
    A target of 0 (a township may be assigned one) is all or nothing."""
    if increasing(comparator):
        if target == 0:
            return 1.0 if meets(value, target, comparator) else 0.0
        return value / target
    if baseline is None or baseline <= target:
        return 1.0 if meets(value, target, comparator) else None
    return (baseline - value) / (baseline - target)


def classify(value: float | None, target: float | None, comparator: str, ap: float | None,
             thresholds: Thresholds) -> Status:
    if value is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    if meets(value, target, comparator):
        return Status.ACHIEVED
    if ap is None:
        return Status.NO_DATA
    if ap >= thresholds.on_track:
        return Status.ON_TRACK
    if ap >= thresholds.at_risk:
        return Status.AT_RISK
    return Status.OFF_TRACK


def assess(series: pd.Series, as_of: pd.Period, target: float | None, comparator: str,
           baseline_month: pd.Period | None, target_month: pd.Period | None,
           thresholds: Thresholds = Thresholds(), declared_baseline: float | None = None,
           small_gap: float = 0) -> Progress:
    """Everything the dashboard says about one goal at `as_of`, from its series.

    `series` is indexed by Periods of the goal's frequency (as are `as_of`, `baseline_month` and
    `target_month`) and may reach past `as_of` (only its baseline is read there). `monthly_pace_needed` is
    per month whatever the frequency: the distance left over the months from the period's end to the
    target's. Without a target (a monitoring indicator) the dates may be None. `small_gap` > 0 (count goals
    only) projects a goal whose target is that close to its baseline by its rate of events (uses_events).
    """
    value = value_at(series, as_of)
    previous = value_at(series, as_of - 1)
    change = None if value is None or previous is None else value - previous
    base = baseline_point(series, baseline_month, declared_baseline) if baseline_month is not None else None
    baseline, start = (base[1], base[0]) if base else (None, None)
    method, projection, rate = "linear", None, None
    if target_month is not None:
        if uses_events(target, baseline, small_gap) and value is not None:
            method, rate = "events", event_rate(value, baseline, start, as_of)
            projection = value + rate * max(target_month.ordinal - as_of.ordinal, 0)
        else:
            fit = _fit(series, as_of, thresholds.projection_months)
            if fit is not None:
                rate = fit[1]
                projection = fit[2] + fit[1] * target_month.ordinal
    completion = expected = gap = pace = ap = None
    if target is not None and value is not None:
        completion = completion_ratio(value, target, comparator, baseline)
        months_left = _months(target_month) - _months(as_of)
        if meets(value, target, comparator):
            pace = 0.0
        elif months_left > 0:
            pace = (target - value) / months_left
    if target is not None and baseline is not None:
        if start < target_month:
            expected = expected_value(baseline, start, target, target_month, as_of)
            if value is not None:
                gap = value - expected
        if projection is not None:
            ap = anticipated_progress(projection, baseline, target, comparator)
    status = classify(value, target, comparator, ap, thresholds)
    return Progress(
        value=value, previous_value=previous, change=change, target=target, comparator=comparator,
        completion=completion, baseline=baseline, baseline_month=None if start is None else periods.period_text(start),
        expected=expected, gap=gap, monthly_pace_needed=pace, projection=projection,
        anticipated_progress=None if ap is None or math.isnan(ap) else ap, status=status,
        method=method, pace=rate,
    )


def _months(period: pd.Period) -> int:
    """The ordinal of a period's last month, so months can be counted between periods of any frequency."""
    return period.asfreq("M", how="end").ordinal


def trajectory_line(baseline: float, baseline_month: pd.Period, target: float,
                    target_month: pd.Period) -> pd.Series:
    """The planned path, period by period from the baseline to the target date."""
    months = pd.period_range(baseline_month, target_month, freq=baseline_month.freq)
    return pd.Series([expected_value(baseline, baseline_month, target, target_month, m) for m in months],
                     index=months)


def event_line(value: float, as_of: pd.Period, rate: float, target_month: pd.Period) -> pd.Series:
    """The events method's projection: from the value now at `rate` per period to the target date."""
    months = pd.period_range(as_of, max(target_month, as_of), freq=as_of.freq)
    return pd.Series([value + rate * (m.ordinal - as_of.ordinal) for m in months], index=months)


def projection_line(series: pd.Series, as_of: pd.Period, target_month: pd.Period,
                    window: int = 12) -> pd.Series:
    """The fitted line from the start of the projection window to the target date (empty if no data)."""
    fit = _fit(series, as_of, window)
    if fit is None:
        return pd.Series(dtype=float)
    first, slope, intercept = fit
    months = pd.period_range(first, target_month, freq=first.freq)
    return pd.Series([intercept + slope * m.ordinal for m in months], index=months)
