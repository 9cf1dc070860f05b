"""The counting of benchmarks/backtest_status.py on hand-made series (not the backtest's figures)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ipmetrics.core.progress import assess

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "backtest_status.py"
_spec = importlib.util.spec_from_file_location("backtest_status", SCRIPT)
backtest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(backtest)


def test_events_are_a_moved_value_or_a_changed_pipeline():
    values = [1.0, 1.0, 2.0, 2.0, None, None]
    pipelines = [(), (), (), ("罗山石山口鱼",), ("罗山石山口鱼",), ("罗山石山口鱼",)]
    # 1→1 nothing; 1→2 the value; 2→2 but a brand entered the pipeline; 2→no value; no value→no value nothing
    assert backtest.events_between(values, pipelines) == [False, True, True, True, False]
    assert backtest.events_between([0.1 + 0.2, 0.3], [(), ()]) == [False]  # float noise is not an event
    assert backtest.events_between([float("nan"), None, 1.0], [(), (), ()]) == [False, True]  # NaN = no value


def test_flips_count_only_the_months_without_an_event():
    statuses = ["on_track", "on_track", "off_track", "off_track", "at_risk", "achieved", "off_track"]
    events = [False, False, True, False, False, False]
    # pairs: on→on quiet, no change | on→off quiet, across | off→off has an event, skipped |
    #        off→at quiet, change not across | at→achieved quiet, change not across | achieved→off quiet, across
    assert backtest.eventless_flips(statuses, events) == (5, 4, 2)
    # the same changes each with an event count nothing
    assert backtest.eventless_flips(statuses, [True] * 6) == (0, 0, 0)


def test_projection_read_h_periods_ahead():
    months = pd.period_range("2021-01", "2021-12", freq="M")
    series = pd.Series(np.arange(12, dtype=float), index=months)   # 0, 1, …, 11: slope 1 a month
    linear = assess(series, months[-1], 100.0, ">=", months[0], pd.Period("2030-12", freq="M"))
    # the fitted line is exact: 11 at 2021-12, so 11 + 12 = 23 twelve months on (read back from the 2030-12 value)
    assert backtest.projected_at(linear, months[-1], 12, pd.Period("2030-12", freq="M")) == pytest.approx(23.0)
    events = assess(series, months[-1], 15.0, ">=", months[0], pd.Period("2030-12", freq="M"), small_gap=20)
    assert events.method == "events"
    # 11 events in the 11 months since the baseline (0 at 2021-01): rate 1, so 11 + 1 × 24 = 35
    assert backtest.projected_at(events, months[-1], 24, pd.Period("2030-12", freq="M")) == pytest.approx(35.0)


def test_pseudo_targets_whole_units_for_counts_and_the_goal_direction():
    # count 3, typical change 1.2: q × 1.2 = 0.3, 0.6, 1.2, 2.4 → rounded up 1, 1, 2, 3 → 4, 5, 6 (4 once)
    assert backtest.pseudo_targets(3.0, 1.2, "count", ">=") == [4.0, 5.0, 6.0]
    assert backtest.pseudo_targets(0.5, 0.2, "ratio", ">") == pytest.approx([0.55, 0.6, 0.7, 0.9])
    # a goal to reduce to: 10 − 1, 2, 4, 8
    assert backtest.pseudo_targets(10.0, 4.0, "amount", "<=") == [9.0, 8.0, 6.0, 2.0]


def test_typical_change_over_h_months():
    months = pd.period_range("2020-12", "2021-05", freq="M")
    series = pd.Series([0.0, 0.0, 1.0, 1.0, 2.0, 2.0], index=months)
    # two-month moves from 2020-12: |1−0|, |1−0|, |2−1|, |2−1| → mean 1
    assert backtest.typical_change(series, months[0], 2, "count") == 1.0
    # a count that moved 0.5 on average is still one unit; a flat series poses nothing
    assert backtest.typical_change(series / 2, months[0], 2, "count") == 1.0
    assert backtest.typical_change(series / 2, months[0], 2, "share") == 0.5
    assert backtest.typical_change(series * 0, months[0], 2, "share") == 0.0


def test_bands_and_brier():
    likelihoods = np.array([0.05, 0.75, 0.72, 1.0, 0.95])
    met = np.array([False, True, False, True, True])
    bands = backtest.band_table(likelihoods, met)
    assert len(bands) == 10
    assert bands[0] == ("0–10%", 1, 0.0)
    assert bands[7] == ("70–80%", 2, 0.5)
    assert bands[9] == ("90–100%", 2, 1.0)   # 100 % falls in the last band
    assert bands[3] == ("30–40%", 0, None)
    # (0.05² + 0.25² + 0.72² + 0² + 0.05²) ÷ 5 = (0.0025 + 0.0625 + 0.5184 + 0.0025) ÷ 5 = 0.11718
    assert backtest.brier(likelihoods, met) == pytest.approx(0.11718)
    assert backtest.brier(np.array([]), np.array([], dtype=bool)) is None


def test_a_county_target_keeps_the_plans_ambition_from_its_own_baseline(registry):
    some = registry.targeted[0]
    small = some.model_copy(update={"kind": "count", "target": 2.0})
    # 罗山县 0 → 2 is a small count (gap 2 ≤ 10): a county at 3 gets 3 + 2
    assert backtest.posed_target(small, 3.0, 0.0, 10) == 5.0
    large = some.model_copy(update={"kind": "count", "target": 5000.0})
    # 2,500 → 5,000 doubles: a county at 1,000 gets 2,000; from a baseline of 0 the gap is added instead
    assert backtest.posed_target(large, 1000.0, 2500.0, 10) == 2000.0
    assert backtest.posed_target(large, 0.0, 2500.0, 10) == 2500.0
    share = some.model_copy(update={"kind": "share", "target": 100.0})
    assert backtest.posed_target(share, 40.0, 20.0, 10) == 100.0   # ratios and shares hold in every region
    assert backtest.posed_target(small, None, 0.0, 10) == 2.0   # no baseline of its own: the plan's target
