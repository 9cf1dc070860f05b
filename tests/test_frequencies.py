"""Indicators counted by quarter or by year, aimed downwards, or only monitored: values carried to each
month, trajectory, projection and status, worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import pandas as pd
import pytest

from ipmetrics.core import labels, periods
from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.measures import RegionData
from ipmetrics.core.panel import goal_panel
from ipmetrics.core.progress import Status
from ipmetrics.core.scorecard import monthly_table, scorecard_from_data, scorecard_history, status_records
from ipmetrics.core.settings import Settings
from ipmetrics.io.importer import import_file
from ipmetrics.io.readers import Source

REGION = "990100"


def _goal(**fields) -> dict:
    return {"name_en": "x", "unit": "件", "kind": "count", "article": "第一条", "definition": "d", "source": "s",
            **fields}


def _registry(*goals: dict, **method) -> Registry:
    return Registry.model_validate({
        "title": "示例", "policy": "示例〔2024〕1号", "policy_title": "示例方案", "region": REGION,
        "method": {"projection_quarters": 4, "projection_years": 5, **method}, "indicators": list(goals)})


QUARTERLY = _goal(id="marks", name_zh="季度指标", comparator=">=", target=100, frequency="quarter",
                  baseline_date="2023-12-31", target_date="2026-12-31")
YEARLY = _goal(id="per_10k", name_zh="年度指标", kind="ratio", comparator=">=", target=8, baseline=5.2,
               frequency="year", baseline_date="2023-12-31", target_date="2026-12-31", decimals=2)
MONITORED = _goal(id="cases", name_zh="监测指标", frequency="quarter")


def _data(figures: dict[str, dict[str, float]]) -> RegionData:
    """A region whose only data are reported figures: indicator -> {period text: value}, each stored at its
    period's last month as the import stores it."""
    rows = [(indicator, periods.end_month(periods.parse_period(text)), value)
            for indicator, values in figures.items() for text, value in values.items()]
    reported = pd.DataFrame(rows, columns=["indicator", "month", "value"])
    return RegionData(region=REGION, flows=pd.DataFrame(columns=["measure", "month", "delta"]),
                      population=pd.DataFrame(columns=["resident", "registered"]), reported=reported,
                      loaded_sources=frozenset())


QUARTERS = {"2023-Q4": 40, "2024-Q1": 44, "2024-Q2": 50, "2024-Q3": 54, "2024-Q4": 60, "2025-Q1": 62,
            "2025-Q2": 66, "2025-Q3": 70}  # 2025-Q4 not reported
YEARS = {"2021": 4.0, "2022": 4.5, "2023": 5.0, "2024": 6.0, "2025": 6.5}


def _card(goal: dict, figures: dict, as_of: str, **method):
    registry = _registry(goal, **method)
    data = _data({goal["id"]: figures})
    return scorecard_from_data(data, registry, Settings(), as_of)[0]


@pytest.mark.parametrize("as_of, shown, value", [
    ("2025-08", "2025Q2", 66), ("2025-09", "2025Q3", 70), ("2025-10", "2025Q3", 70), ("2025-11", "2025Q3", 70)])
def test_quarterly_value_is_the_latest_quarter_ended_by_the_month(as_of, shown, value):
    card = _card(QUARTERLY, QUARTERS, as_of)
    assert str(card.period) == shown
    assert card.progress.value == value


def test_quarterly_progress_by_hand():
    card = _card(QUARTERLY, QUARTERS, "2025-11")
    p = card.progress
    assert (p.value, p.previous_value, p.change) == (70, 66, 4)
    assert p.baseline_month == "2023-Q4" and p.baseline == 40
    # 2023Q4 → 2026Q4 is 12 quarters, 2025Q3 is 7 of them: 40 + 60 × 7/12 = 75.
    assert p.expected == pytest.approx(75.0)
    assert p.gap == pytest.approx(-5.0)
    # The last 4 quarters (60, 62, 66, 70): slope 17/5 = 3.4 a quarter, 69.6 at 2025Q3, 5 quarters on: 86.6.
    assert p.projection == pytest.approx(86.6)
    assert p.anticipated_progress == pytest.approx((86.6 - 40) / 60)  # 0.7767: at risk
    assert p.status is Status.AT_RISK
    assert p.completion == pytest.approx(0.7)
    # 2025-09 → 2026-12 is 15 months: (100 − 70) / 15 = 2 a month.
    assert p.monthly_pace_needed == pytest.approx(2.0)
    assert card.window_text == "近4个季度"
    shown = card.frame["value"].dropna()  # the frame runs from the series start; the figures from 2023Q4
    assert [periods.period_text(q) for q in shown.index] == list(QUARTERS)
    assert shown.tolist() == list(QUARTERS.values())


def test_a_quarter_not_reported_is_no_data_never_zero_or_the_quarter_before():
    card = _card(QUARTERLY, QUARTERS, "2025-12")
    assert card.period_label == "2025年第四季度"
    assert card.progress.value is None
    assert card.status is Status.NO_DATA
    assert labels.status_label(card.status, card.goal) == "未上报"
    record = status_records([card])[0]
    assert (record["frequency"], record["period"], record["value"], record["status"]) == (
        "quarter", "2025-Q4", None, "no_data")


def test_yearly_progress_by_hand_with_the_plans_own_baseline():
    card = _card(YEARLY, YEARS, "2025-11")
    p = card.progress
    assert str(card.period) == "2024" and p.value == 6.0 and p.change == pytest.approx(1.0)
    assert p.baseline == 5.2 and p.baseline_month == "2023"  # the plan's 5.2, not the reported 5.0
    # 5.2 + (8 − 5.2) × 1/3 = 6.1333 at 2024.
    assert p.expected == pytest.approx(5.2 + 2.8 / 3)
    # 2021–2024 (4.0, 4.5, 5.0, 6.0): slope 3.25/5 = 0.65, mean 4.875 at x = 1.5; 2026 is x = 5: 7.15.
    assert p.projection == pytest.approx(7.15)
    assert p.anticipated_progress == pytest.approx((7.15 - 5.2) / 2.8)  # 0.696: at risk
    assert p.status is Status.AT_RISK

    december = _card(YEARLY, YEARS, "2025-12").progress
    assert december.value == 6.5
    assert december.expected == pytest.approx(5.2 + 2.8 * 2 / 3)  # 7.0667
    # 2021–2025: slope 6.5/10 = 0.65 through mean 5.2 at x = 2; 2026 is x = 5: 7.15.
    assert december.projection == pytest.approx(7.15)
    assert december.monthly_pace_needed == pytest.approx((8 - 6.5) / 12)


def test_the_yearly_table_and_history_read_the_same_periods():
    registry = _registry(YEARLY)
    data = _data({"per_10k": YEARS})
    history = scorecard_history(data, registry, Settings(), ["2025-06", "2025-12"])
    assert [c.progress.value for m in history for c in history[m]] == [6.0, 6.5]
    table = monthly_table(history[pd.Period("2025-12", freq="M")][0])
    assert table.columns[0] == "年度"
    assert table.iloc[0, 0] == "2025年" and table.iloc[0, 1] == 6.5
    assert table["序时进度值"].iloc[0] == pytest.approx(7.0667, abs=1e-4)


DAYS = _goal(id="days", name_zh="办案周期", unit="天", kind="ratio", comparator="<=", target=90, baseline=135,
             frequency="year", baseline_date="2023-12-31", target_date="2026-12-31")


def test_a_reduce_to_goal_on_track():
    p = _card(DAYS, {"2022": 140, "2023": 135, "2024": 120, "2025": 100}, "2025-12").progress
    # 2022–2025 (140, 135, 120, 100): slope −67.5/5 = −13.5, mean 123.75 at x = 1.5; 2026 is x = 4: 90.0.
    assert p.projection == pytest.approx(90.0)
    # (90 − 135) ÷ (90 − 135) = 1: on track, though 100 days is not yet ≤ 90.
    assert p.anticipated_progress == pytest.approx(1.0)
    assert p.status is Status.ON_TRACK
    # 135 − 45 × 2/3 = 105 planned for 2025; 35 of the 45 days covered.
    assert p.expected == pytest.approx(105.0)
    assert p.completion == pytest.approx(35 / 45)
    assert p.monthly_pace_needed == pytest.approx(-10 / 12)


def test_a_reduce_to_goal_off_track_and_achieved():
    p = _card(DAYS, {"2022": 140, "2023": 135, "2024": 134, "2025": 136}, "2025-12").progress
    # (140, 135, 134, 136): slope −6.5/5 = −1.3, mean 136.25; 2026: 133.0; (133 − 135) ÷ (−45) = 0.044.
    assert p.projection == pytest.approx(133.0)
    assert p.anticipated_progress == pytest.approx(2 / 45)
    assert p.status is Status.OFF_TRACK
    assert _card(DAYS, {"2024": 95, "2025": 88}, "2025-12").status is Status.ACHIEVED
    strictly_below = {**DAYS, "comparator": "<"}
    assert _card(strictly_below, {"2024": 95, "2025": 90}, "2025-12").status is not Status.ACHIEVED


def test_a_monitoring_indicator_has_no_target_and_no_status_to_count():
    card = _card(MONITORED, {"2025-Q2": 41, "2025-Q3": 52}, "2025-11")
    p = card.progress
    assert (p.value, p.change, p.target, p.completion, p.expected) == (52, 11, None, None, None)
    assert card.status is Status.NO_TARGET
    assert labels.status_label(card.status, card.goal) == "监测指标"
    assert card.goal.target_text() == "监测指标"
    record = status_records([card])[0]
    assert record["monitoring"] is True and record["status"] == "no_target"


def test_goal_file_rules_for_the_new_fields():
    with pytest.raises(ValueError, match="baseline_date 和 target_date"):
        _registry(_goal(id="a", name_zh="a", target=5))
    with pytest.raises(ValueError, match="不在同一个统计期内"):
        _registry(_goal(id="a", name_zh="a", target=5, frequency="year", baseline_date="2023-01-31",
                        target_date="2023-12-31"))
    reduce_to_zero = _registry(_goal(id="a", name_zh="a", target=0, comparator="<=", baseline_date="2023-12-31",
                                     target_date="2026-12-31"))
    assert reduce_to_zero.goals[0].target_phrase() == "2026年不超过0件"
    assert Goal.model_validate(MONITORED).target_phrase() == "监测指标，不设目标值"


def test_the_panel_carries_a_quarterly_figure_to_each_month(fresh_small_store, tmp_path):
    """同级对比 reads the panel: a quarterly figure stands for the three months after its quarter ends."""
    county = "411521"
    registry = _registry({**QUARTERLY, "kind": "ratio"}).model_copy(update={"region": county})
    csv = "indicator,region_code,month,value\n" + "\n".join(
        f"marks,{county},{month},{value}" for month, value in [("2025-06", 66), ("2025-09", 70)])
    result = import_file(fresh_small_store, "reported", Source("q.csv", csv.encode()))
    assert result.ok, result.errors
    panel = goal_panel(fresh_small_store, registry, Settings(db_url=fresh_small_store.url), "", "county",
                       "2025-07", "2026-01")
    values = panel.values["marks"].xs(county, level="region_code")
    # Jul–Aug: Q2 (66); Sep–Nov: Q3 (70); Dec–Jan: Q4, not reported.
    assert values.tolist()[:5] == [66, 66, 70, 70, 70]
    assert values.iloc[5:].isna().all()
    assert panel.reported["marks"].xs(county, level="region_code").tolist() == [True] * 5 + [False] * 2
