"""What a goal's own history says about reaching its target: the pipeline of a small count goal and the
likelihood of meeting the target by its date (达成可能性).

Small count goals (progress.uses_events) are projected by their rate of events since the baseline; the
things in their pipeline (a GI brand in application, a firm that has applied for a designation: the view
measure_candidates) are named beside the gap ("还差 1 家，在途 1 家"). The pipeline is not a forecast — an
application may fail — so it only softens the verdict: a goal whose candidates would close the gap is
预警 (push them through), not 滞后.

The likelihood is the probability that the value at the target period meets the target, from the goal's
own history: the last HISTORY_WINDOWS trend windows (24 months, 16 quarters, 10 years), or since the
baseline for a small count goal when that is longer, and never before a cumulated flow starts (GoalCard.
history_start). Longer than the projection's own window because the backtest (benchmarks/
backtest_status.py, README) found a year too short: a flat year of a lumpy amount resampled to exactly 0 %
though a third of such targets were met, and a month after the baseline a count with no event yet was
given 84 % on the prior alone. Two windows scored best of 1, 2, 3 and 6 over the sample and the province.
- a count going up: its events arrive as a Poisson process whose rate is unknown; with k events over T
  periods and Jeffreys' prior, the number in the L periods left is negative-binomial with r = k + ½ and
  p = T ÷ (T + L), and the likelihood is the chance of at least the N still missing. The rate's own
  uncertainty is in it: one event in five years gives a wide spread, not a point forecast.
- an amount, a ratio, a share, or a count going down: the period-to-period changes of the window are
  resampled (bootstrap): DRAWS paths of L changes drawn with replacement, added to the value now; the
  likelihood is the share of paths that meet the target. The seed is fixed, so a figure is reproducible.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from ipmetrics.core.progress import Progress, Status, increasing, meets

DRAWS = 4000
HISTORY_WINDOWS = 2
SEED = 20211215  # fixed: the same history gives the same likelihood in every view and snapshot

# How a pipeline's names are joined where they are stored as one text (snapshot_goals.pipeline).
PIPELINE_SEPARATOR = "、"

# Plain words for a likelihood, lowest bound first met from the top (IPCC-style calibrated language).
LEVELS = ((0.9, "很可能"), (0.66, "较可能"), (0.33, "不确定"), (0.1, "可能性较小"), (0.0, "可能性很小"))


def level(likelihood: float | None) -> str | None:
    """很可能 (≥ 90%), 较可能 (66–90%), 不确定 (33–66%), 可能性较小 (10–33%), 可能性很小 (< 10%)."""
    if likelihood is None:
        return None
    return next(word for bound, word in LEVELS if likelihood >= bound)


def likelihood_share(likelihood: float | None) -> str | None:
    """72%, for a table's column; a model is never certain: above 99% reads >99%, below 1% reads <1%."""
    if likelihood is None:
        return None
    return ">99%" if likelihood > 0.99 else "<1%" if likelihood < 0.01 else f"{likelihood * 100:.0f}%"


def likelihood_text(likelihood: float | None) -> str | None:
    """72%（较可能）: the share with its plain level."""
    return None if likelihood is None else f"{likelihood_share(likelihood)}（{level(likelihood)}）"


def missing_units(value: float, target: float, comparator: str) -> int:
    """How many more events a count going up needs to meet its target: 2 for 1 → ≥ 3, 1 for 1 → > 1.5."""
    if comparator == ">":
        return max(math.floor(target - value) + 1, 0)
    return max(math.ceil(target - value - 1e-9), 0)


def pipeline_phrase(missing: int, candidates, unit: str, space: str = "") -> str:
    """还差1家，在途1家（甲公司）: a small count goal's gap and its candidates by name; `space` sets the figures
    apart (" " on cards and tables, none in the briefing's prose)."""
    names = f"（{PIPELINE_SEPARATOR.join(candidates)}）" if candidates else ""
    return f"还差{space}{missing}{space}{unit}，在途{space}{len(candidates)}{space}{unit}{names}"


LONG_SUM = 100_000  # expected events beyond which negative_binomial_at_least approximates instead of summing


def negative_binomial_at_least(needed: int, events: float, exposure: float, horizon: float) -> float:
    """P(X ≥ needed) for the events of the next `horizon` periods when `events` arrived over `exposure`
    periods: X is negative-binomial with r = events + ½, p = exposure ÷ (exposure + horizon)."""
    if needed <= 0:
        return 1.0
    r, p = events + 0.5, exposure / (exposure + horizon)
    mean, spread = r * (1 - p) / p, math.sqrt(r * (1 - p)) / p
    if mean > LONG_SUM:  # the sum would take ~mean terms (a target of 1e12, issue 18): the normal approximation
        return min(max(0.5 * math.erfc((needed - 0.5 - mean) / (spread * math.sqrt(2))), 0.0), 1.0)
    log_head = r * math.log(p) - math.lgamma(r)
    below = 0.0
    for x in range(needed):
        term = math.exp(log_head + math.lgamma(x + r) - math.lgamma(x + 1) + x * math.log1p(-p))
        below += term
        # The ratio of the next term to this one is at most `fall` from here on (past the mode, it falls towards
        # 1 - p): once what is left cannot reach 1e-16, stop (a far target no longer costs one term per unit).
        fall = max((x + 1 + r) / (x + 2) * (1 - p), 1 - p)
        if fall < 1 and term * fall / (1 - fall) < 1e-16:
            break
    return min(max(1.0 - below, 0.0), 1.0)


def resampled_meets(value: float, changes: np.ndarray, horizon: int, target: float, comparator: str,
                    draws: int = DRAWS) -> float:
    """The share of `draws` paths of `horizon` changes resampled from `changes` that end meeting the target."""
    rng = np.random.default_rng(SEED)
    ends = value + rng.choice(changes, size=(draws, horizon), replace=True).sum(axis=1)
    # progress.meets compares arrays element by element; a sum reaching its target ("≥") is not missed by a
    # rounding error of the additions.
    return float(meets(ends, target - 1e-9 if comparator == ">=" else target, comparator).mean())


def history_window(values: pd.Series, period: pd.Period, progress: Progress, baseline_period: pd.Period | None,
                   window: int) -> pd.Series:
    """The values the likelihood learns from, up to the period shown: the last HISTORY_WINDOWS trend windows
    (24 changes for a monthly goal), or for the events method the values since the baseline when longer."""
    known = values.astype(float).dropna()
    known = known[known.index <= period]
    recent = known.iloc[-(HISTORY_WINDOWS * window + 1):]
    if progress.method == "events" and baseline_period is not None:
        since = known[known.index >= baseline_period]
        if progress.baseline is not None and (since.empty or since.index[0] > baseline_period):
            # the plan's declared baseline stands at the baseline period when no figure is stored there
            since = pd.concat([pd.Series([progress.baseline], index=pd.PeriodIndex([baseline_period])), since])
        if len(since) >= len(recent):
            return since
    return recent


def likelihood(progress: Progress, values: pd.Series, period: pd.Period, due: pd.Period | None, kind: str,
               baseline_period: pd.Period | None, window: int) -> float | None:
    """The probability of meeting the target at `due` (module docstring); None without a target, a value,
    a due date or two values of history."""
    if progress.target is None or progress.value is None or due is None or progress.status is Status.NO_TARGET:
        return None
    value, target, comparator = progress.value, progress.target, progress.comparator
    horizon = due.ordinal - period.ordinal
    if horizon <= 0:
        return 1.0 if meets(value, target, comparator) else 0.0
    history = history_window(values, period, progress, baseline_period, window)
    if len(history) < 2:
        return None
    exposure = history.index[-1].ordinal - history.index[0].ordinal
    if kind == "count" and increasing(comparator):
        events = max(round(value - float(history.iloc[0])), 0)
        return negative_binomial_at_least(missing_units(value, target, comparator), events, exposure, horizon)
    changes = np.diff(history.to_numpy(dtype=float))
    return resampled_meets(value, changes, horizon, target, comparator)


def with_pipeline(progress: Progress, candidates: list[str], at_risk: Status = Status.AT_RISK) -> Progress:
    """A small count goal's progress with its pipeline named; one whose candidates would close the gap is
    not 滞后 but 预警 (the candidates must still be pushed through)."""
    if progress.method != "events":
        return progress
    status, raised = progress.status, False
    if status is Status.OFF_TRACK and progress.value is not None and progress.target is not None \
            and increasing(progress.comparator) and len(candidates) >= missing_units(progress.value, progress.target, progress.comparator):
        status, raised = at_risk, True
    return replace(progress, pipeline=tuple(candidates), status=status, raised_by_pipeline=raised)
