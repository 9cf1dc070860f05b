"""Statuses and progress figures of the hand-made fixture at 2021-06, worked out by hand."""

import pandas as pd
import pytest

from ipmetrics.core.progress import Status
from ipmetrics.core.scorecard import review_order, scorecard, status_records

# Least squares over the twelve months 2020-07 … 2021-06 (x = 0 … 11, x̄ = 5.5, Sxx = 143), read at
# 2030-12 (x = 125). Each comment gives y, Σxy − n·x̄·ȳ = Sxy, then the projection.
# trademarks: y = 1,1,1,1,1,2,3,10,3,3,3,3 (Σy 32): Sxy = 222 − 176 = 46 → 32/12 + 46/143·(125 − 5.5)
TRADEMARK_PROJECTION = 32 / 12 + 46 / 143 * 119.5
# patents per 10k: y = 0.02×6, 0.025, 0.05×5 (Σy 0.395): Sxy = 2.7 − 2.1725 = 0.5275
PATENT_PROJECTION = 0.395 / 12 + 0.5275 / 143 * 119.5
# GI marks: y = 0×7, 1×5: Sxy = 45 − 27.5 = 17.5
GI_PROJECTION = 5 / 12 + 17.5 / 143 * 119.5

EXPECTED_STATUS = {
    "trademarks_registered": Status.OFF_TRACK,      # AP = (41.1 − 2) / 4998 ≈ 0.008
    "well_known_marks": Status.ON_TRACK,            # one mark in June: the line climbs to ≈ 4.7
    "gi_marks": Status.ON_TRACK,                    # AP = 15.0 / 3
    "national_ip_enterprises": Status.ACHIEVED,     # 1 ≥ 1
    "provincial_ip_enterprises": Status.ON_TRACK,   # y = 0×10, 1, 1: projection ≈ 8.5, AP ≈ 4.3
    "invention_patents_per_10k": Status.OFF_TRACK,  # AP = (0.474 − 0.02) / 0.98 ≈ 0.463
    "pledge_financing_count": Status.ON_TRACK,
    "pledge_financing_amount": Status.ON_TRACK,
    "ip_standard_coverage": Status.ON_TRACK,
}


@pytest.fixture(scope="module")
def cards(small_store, registry):
    from ipmetrics.core.settings import Settings
    return {c.goal.id: c for c in scorecard(small_store, registry, Settings(db_url=small_store.url), None, "2021-06")}


def test_statuses_at_2021_06(cards):
    # The nine goals with a target; the goal file's monitoring indicators have none to be judged against.
    targeted = {goal_id: card.status for goal_id, card in cards.items() if card.goal.target is not None}
    assert targeted == EXPECTED_STATUS


def test_trademark_progress_worked_by_hand(cards):
    p = cards["trademarks_registered"].progress
    assert p.value == 3 and p.baseline == 2 and p.baseline_month == "2020-12"
    assert p.completion == pytest.approx(3 / 5000)
    assert p.expected == pytest.approx(2 + 4998 * 6 / 120)          # 251.9
    assert p.gap == pytest.approx(3 - 251.9)
    assert p.monthly_pace_needed == pytest.approx(4997 / 114)      # 114 months to 2030-12
    assert p.projection == pytest.approx(TRADEMARK_PROJECTION)
    assert p.anticipated_progress == pytest.approx((TRADEMARK_PROJECTION - 2) / 4998)


def test_patent_and_gi_projections_worked_by_hand(cards, small_store, registry):
    patents = cards["invention_patents_per_10k"].progress
    assert patents.projection == pytest.approx(PATENT_PROJECTION)
    assert patents.anticipated_progress == pytest.approx((PATENT_PROJECTION - 0.02) / 0.98)
    # The line through the last twelve values, as every goal was projected before issue 16: the method a
    # goal file gets back with small_count_gap = 0.
    from ipmetrics.core.settings import Settings
    linear = registry.model_copy(update={"method": registry.method.model_copy(update={"small_count_gap": 0})})
    gi = {c.goal.id: c for c in scorecard(small_store, linear, Settings(db_url=small_store.url), None,
                                          "2021-06")}["gi_marks"].progress
    assert gi.method == "linear"
    assert gi.projection == pytest.approx(GI_PROJECTION)
    assert gi.anticipated_progress == pytest.approx(GI_PROJECTION / 3)


def test_a_small_count_goal_is_projected_by_its_events_since_the_baseline(cards):
    # GI marks: 0 at the baseline (2020-12), 1 at 2021-06: one event in 6 months, 1/6 a month; 114 months
    # left to 2030-12: 1 + 114/6 = 20, AP = 20/3. Target 3 is 3 units from the baseline (≤ 10): events.
    gi = cards["gi_marks"].progress
    assert gi.method == "events" and gi.pace == pytest.approx(1 / 6)
    assert gi.projection == pytest.approx(20) and gi.anticipated_progress == pytest.approx(20 / 3)
    # Trademarks (target 5,000, 4,998 from the baseline) keep the line.
    assert cards["trademarks_registered"].progress.method == "linear"


def test_pledges_baseline_is_zero_before_the_window(cards):
    p = cards["pledge_financing_amount"].progress
    assert p.baseline == 0 and p.value == pytest.approx(550.5) and p.status is Status.ON_TRACK


def test_township_has_no_target_for_county_totals_but_keeps_an_assigned_target(small_store, registry):
    # Issue 15: a township is held only to the targets assigned to it; the small fixture assigns 周党镇 the
    # coverage target of 100 (targets.csv), so its coverage card reads as before and its totals have none.
    from ipmetrics.core.settings import Settings
    cards = {c.goal.id: c for c in scorecard(small_store, registry, Settings(db_url=small_store.url),
                                             "411521101", "2021-06")}
    assert cards["trademarks_registered"].status is Status.NO_TARGET
    assert cards["trademarks_registered"].progress.target is None
    coverage = cards["ip_standard_coverage"].progress
    assert coverage.target == 100 and coverage.value == 0 and coverage.status is Status.OFF_TRACK


def test_review_order_puts_the_furthest_behind_first(cards):
    ordered = [c.goal.id for c in review_order(list(cards.values()))]
    # off_track first, the lower anticipated-progress ratio first among them; achieved last.
    assert ordered[:2] == ["trademarks_registered", "invention_patents_per_10k"]
    assert ordered[-1] == "national_ip_enterprises"


def test_status_records_keep_the_stable_keys(cards):
    records = status_records(list(cards.values()))
    assert len(records) == len(cards) and len([r for r in records if r["target"] is not None]) == 9
    for record in records:
        assert {"id", "value", "target", "completion", "expected", "projection", "status"} <= set(record)
    assert {r["id"]: r["status"] for r in records}["national_ip_enterprises"] == "achieved"


def test_history_gives_the_same_cards_as_month_by_month(small_store, registry):
    from ipmetrics.core.measures import load_region_data
    from ipmetrics.core.scorecard import scorecard_from_data, scorecard_history
    from ipmetrics.core.settings import Settings

    settings = Settings(db_url=small_store.url)
    data = load_region_data(small_store, "411521")
    months = ["2020-12", "2021-02", "2021-06", "2021-08"]
    history = scorecard_history(data, registry, settings, months)
    for month in months:
        one = scorecard_from_data(data, registry, settings, month)
        assert status_records(history[pd.Period(month, freq="M")]) == status_records(one)
