"""The progress rules, on series small enough to work out by hand."""

import pandas as pd
import pytest

from ipmetrics.core.progress import (
    Status,
    Thresholds,
    anticipated_progress,
    assess,
    classify,
    expected_value,
    linear_projection,
    meets,
    projection_line,
)

M = lambda text: pd.Period(text, freq="M")  # noqa: E731
BASE, TARGET_MONTH = M("2020-12"), M("2030-12")


def series(start: str, values: list[float]) -> pd.Series:
    return pd.Series(values, index=pd.period_range(M(start), periods=len(values), freq="M"), dtype=float)


def test_expected_value_is_the_straight_line_from_baseline_to_target():
    # 120 months from 2020-12 to 2030-12; 2025-12 is month 60, halfway: 3000 + (5000 − 3000) × 60/120.
    assert expected_value(3000, BASE, 5000, TARGET_MONTH, M("2025-12")) == 4000
    assert expected_value(3000, BASE, 5000, TARGET_MONTH, BASE) == 3000
    assert expected_value(3000, BASE, 5000, TARGET_MONTH, TARGET_MONTH) == 5000
    # 2021-06 is month 6: 0 + 3 × 6/120 = 0.15
    assert expected_value(0, BASE, 3, TARGET_MONTH, M("2021-06")) == pytest.approx(0.15)


def test_projection_of_an_exact_line_is_exact():
    # y = 10 + 2·(months since 2025-01): at 2030-12 (71 months later) the line gives 10 + 142 = 152.
    s = series("2025-01", [10 + 2 * i for i in range(12)])
    assert linear_projection(s, M("2025-12"), TARGET_MONTH) == pytest.approx(152)


def test_projection_uses_only_the_last_twelve_values_up_to_as_of():
    # Twelve flat values of 7 after a jump: the earlier 100s and the later 1000 are outside the window.
    s = series("2024-01", [100] * 6 + [7] * 12 + [1000])
    assert linear_projection(s, M("2025-06"), TARGET_MONTH) == pytest.approx(7)


def test_projection_with_fewer_points_and_with_one_point():
    # Two points 1 → 3 one month apart: slope 2 per month; 2030-12 is 60 months after 2025-12.
    assert linear_projection(series("2025-11", [1, 3]), M("2025-12"), TARGET_MONTH) == pytest.approx(123)
    assert linear_projection(series("2025-12", [4]), M("2025-12"), TARGET_MONTH) == 4
    assert linear_projection(series("2025-12", [float("nan")]), M("2025-12"), TARGET_MONTH) is None


def test_least_squares_on_a_step_worked_by_hand():
    # Seven zeros then five ones (x = 0…11): x̄ = 5.5, ȳ = 5/12, Sxx = 143, Sxy = 45 − 12·5.5·5/12 = 17.5.
    # slope = 17.5/143, intercept = 5/12 − 5.5·slope; 2030-12 is x = 11 + 114 = 125.
    s = series("2020-07", [0] * 7 + [1] * 5)
    slope = 17.5 / 143
    assert linear_projection(s, M("2021-06"), TARGET_MONTH) == pytest.approx(5 / 12 - 5.5 * slope + 125 * slope)
    line = projection_line(s, M("2021-06"), TARGET_MONTH)
    assert line.index[0] == M("2020-07") and line.index[-1] == TARGET_MONTH
    assert line.iloc[-1] == pytest.approx(5 / 12 - 5.5 * slope + 125 * slope)


def test_comparators():
    assert meets(5000, 5000, ">=") and not meets(4999, 5000, ">=")
    assert not meets(1.0, 1.0, ">") and meets(1.0001, 1.0, ">")


@pytest.mark.parametrize("ap, status", [
    (1.50, Status.ON_TRACK), (0.95, Status.ON_TRACK), (0.9499, Status.AT_RISK), (0.60, Status.AT_RISK),
    (0.5999, Status.OFF_TRACK), (0.0, Status.OFF_TRACK), (-0.4, Status.OFF_TRACK),
])
def test_status_cut_offs_at_their_boundaries(ap, status):
    assert classify(10, 100, ">=", ap, Thresholds()) is status


def test_status_cut_offs_are_settings():
    assert classify(10, 100, ">=", 0.9, Thresholds(on_track=0.9, at_risk=0.5)) is Status.ON_TRACK
    assert classify(10, 100, ">=", 0.4, Thresholds(on_track=0.9, at_risk=0.3)) is Status.AT_RISK


def test_achieved_no_data_and_no_target_come_before_the_ratio():
    assert classify(100, 100, ">=", -5, Thresholds()) is Status.ACHIEVED
    assert classify(1, 1, ">", 5, Thresholds()) is Status.ON_TRACK  # "more than 1" is not met by 1
    assert classify(None, 100, ">=", 1, Thresholds()) is Status.NO_DATA
    assert classify(5, None, ">=", None, Thresholds()) is Status.NO_TARGET


def test_anticipated_progress_ratio():
    # (projection − baseline) ÷ (target − baseline)
    assert anticipated_progress(4500, 3000, 5000, ">=") == pytest.approx(0.75)
    # Zero baseline, the case a growth-rate ratio cannot handle: 0 → 2 well-known marks, projected 1.
    assert anticipated_progress(1, 0, 2, ">=") == pytest.approx(0.5)
    # Nothing left to cover: all or nothing.
    assert anticipated_progress(6000, 6000, 5000, ">=") == 1.0
    assert anticipated_progress(4000, 6000, 5000, ">=") == 0.0


def test_assess_worked_example():
    # Baseline 3000 at 2020-12, then +20 a month for 60 months: 4200 at 2025-12, target 5000 at 2030-12.
    s = series("2020-12", [3000 + 20 * i for i in range(61)])
    p = assess(s, M("2025-12"), 5000, ">=", BASE, TARGET_MONTH)
    assert p.value == 4200 and p.previous_value == 4180 and p.change == 20
    assert p.completion == pytest.approx(0.84)
    assert p.expected == pytest.approx(4000)          # halfway along 3000 → 5000
    assert p.gap == pytest.approx(200)
    assert p.monthly_pace_needed == pytest.approx(800 / 60)
    assert p.projection == pytest.approx(5400)        # 4200 + 20 × 60
    assert p.anticipated_progress == pytest.approx(1.2)  # (5400 − 3000) / 2000
    assert p.status is Status.ON_TRACK
    assert p.baseline == 3000 and p.baseline_month == "2020-12"


def test_assess_slow_growth_is_at_risk_and_decline_is_off_track():
    slow = series("2020-12", [3000 + 12 * i for i in range(61)])   # projection 3720 + 720 = 4440 → AP 0.72
    assert assess(slow, M("2025-12"), 5000, ">=", BASE, TARGET_MONTH).status is Status.AT_RISK
    falling = series("2020-12", [3000 - 2 * i for i in range(61)])
    p = assess(falling, M("2025-12"), 5000, ">=", BASE, TARGET_MONTH)
    assert p.status is Status.OFF_TRACK and p.anticipated_progress < 0


def test_assess_without_a_value_at_the_month_is_no_data():
    s = series("2020-12", [1, 2, float("nan")])
    p = assess(s, M("2021-02"), 10, ">=", BASE, TARGET_MONTH)
    assert p.status is Status.NO_DATA and p.value is None and p.completion is None


def test_baseline_falls_back_to_the_first_value_after_the_baseline_month():
    s = series("2021-03", [5, 6, 7])
    p = assess(s, M("2021-05"), 100, ">=", BASE, TARGET_MONTH)
    assert p.baseline == 5 and p.baseline_month == "2021-03"
    # The trajectory then starts from 2021-03: 5 + 95 × 2/117 at 2021-05.
    assert p.expected == pytest.approx(5 + 95 * 2 / 117)
