"""Small count goals and the likelihood of meeting a target (issue 16), worked by hand."""

import math

import pandas as pd
import pytest

from ipmetrics.core import outlook
from ipmetrics.core.progress import Status, assess
from ipmetrics.core.scorecard import scorecard, scorecard_history, status_records
from ipmetrics.core.settings import Settings

ON = {Status.ACHIEVED, Status.ON_TRACK}


def monthly(values: dict[str, float], first: str, last: str) -> pd.Series:
    """A step series: each value holds from its month until the next one given."""
    index = pd.period_range(first, last, freq="M")
    series = pd.Series(float("nan"), index=index)
    for month, value in values.items():
        series[pd.Period(month, freq="M")] = value
    return series.ffill()


def test_one_event_in_five_years_worked_by_hand():
    # 0 at the baseline (2020-12), one event in 2023-06, seen at 2025-12: k = 1 over T = 60 months; 48 months
    # left to 2029-12. Negative binomial r = 1.5, p = 60/108.
    series = monthly({"2020-12": 0, "2023-06": 1}, "2020-12", "2025-12")
    as_of, baseline, due = pd.Period("2025-12", "M"), pd.Period("2020-12", "M"), pd.Period("2029-12", "M")
    p = 60 / 108
    for target, expected in ((2, 1 - p ** 1.5),                              # one more: 1 − p^r ≈ 0.586
                             (3, 1 - p ** 1.5 * (1 + 1.5 * (1 - p)))):      # two more ≈ 0.310
        progress = assess(series, as_of, target, ">=", baseline, due, small_gap=10)
        assert progress.method == "events" and progress.pace == pytest.approx(1 / 60)
        # 1 + 48/60 = 1.8: AP 0.9 of 2, 0.6 of 3
        assert progress.projection == pytest.approx(1.8)
        got = outlook.likelihood(progress, series, as_of, due, "count", baseline, 12)
        assert got == pytest.approx(expected, abs=1e-9)
    assert 1 - p ** 1.5 == pytest.approx(0.586, abs=1e-3)


def test_an_amount_goal_by_resampling_its_changes():
    # Twelve changes in the window, six of 0 and six of 100; 4 months left and 300 still missing: the chance
    # that at least 3 of 4 draws are 100 is (C(4,3) + C(4,4)) / 16 = 5/16.
    values = [1000 + 100 * sum(i % 2 for i in range(1, n + 1)) for n in range(13)]  # +100 every other month
    series = pd.Series(values, index=pd.period_range("2024-12", "2025-12", freq="M"), dtype=float)
    as_of, due = pd.Period("2025-12", "M"), pd.Period("2026-04", "M")
    target = series.iloc[-1] + 300
    progress = assess(series, as_of, target, ">=", pd.Period("2024-12", "M"), due)
    assert progress.method == "linear"
    got = outlook.likelihood(progress, series, as_of, due, "amount", pd.Period("2024-12", "M"), 13)
    assert got == pytest.approx(5 / 16, abs=0.03)  # 4,000 draws: standard error ≈ 0.007
    # The seed is fixed: the same history gives the same figure.
    assert outlook.likelihood(progress, series, as_of, due, "amount", pd.Period("2024-12", "M"), 13) == got


def test_likelihood_edges():
    assert outlook.negative_binomial_at_least(0, 0, 10, 10) == 1.0
    # nothing in 60 months, 60 left: r = 0.5, p = 0.5, at least one: 1 − √0.5
    assert outlook.negative_binomial_at_least(1, 0, 60, 60) == pytest.approx(1 - math.sqrt(0.5))
    assert outlook.missing_units(1, 3, ">=") == 2 and outlook.missing_units(1, 1.5, ">") == 1
    assert outlook.missing_units(2, 1, ">") == 0
    assert [outlook.level(x) for x in (0.95, 0.7, 0.5, 0.2, 0.05)] == [
        "很可能", "较可能", "不确定", "可能性较小", "可能性很小"]
    assert outlook.likelihood_text(0.995) == ">99%（很可能）" and outlook.likelihood_text(0.004) == "<1%（可能性很小）"


def test_the_status_json_gives_likelihood_on_the_small_fixture(small_store, registry):
    settings = Settings(db_url=small_store.url)
    june = {r["id"]: r for r in status_records(scorecard(small_store, registry, settings, None, "2021-06"))}
    # GI marks: 0 to 2021-01, 1 from 2021-02. At 2021-06 the six months since the baseline are fewer than two
    # trend windows, so the likelihood learns from the last 24 months (2019-06 … 2021-06): k = 1 over T = 24,
    # L = 114 to 2030-12, 2 missing: p = 24/138, P(X ≤ 1) = p^1.5 (1 + 1.5 (1 − p)).
    p = 24 / 138
    assert june["gi_marks"]["likelihood"] == pytest.approx(1 - p ** 1.5 * (1 + 1.5 * (1 - p)), abs=1e-4)
    assert june["gi_marks"]["method"] == "events" and june["gi_marks"]["trend"] == "rising"
    # Achieved (1 ≥ 1) and a cumulated count: nothing missing, certain.
    assert june["national_ip_enterprises"]["likelihood"] == 1.0
    # Monitoring indicators have none.
    assert all(r["likelihood"] is None for r in june.values() if r["target"] is None)
    # Well-known marks: one recognised in 2021-06, none since; at 2025-12 that is one event in five years
    # (T = 60), 60 months left, 1 missing: r = 1.5, p = 0.5, 1 − 0.5^1.5.
    later = {r["id"]: r for r in status_records(scorecard(small_store, registry, settings, None, "2025-12"))}
    assert later["well_known_marks"]["value"] == 1
    assert later["well_known_marks"]["likelihood"] == pytest.approx(1 - 0.5 ** 1.5, abs=1e-4)


def test_the_pledge_amount_likelihood_on_the_small_fixture(small_store, registry):
    card = {c.goal.id: c for c in scorecard(small_store, registry, Settings(db_url=small_store.url), None,
                                            "2021-06")}["pledge_financing_amount"]
    # The status's own 12 months (2020-07 … 2021-06): 0 to 2020-12, 200 from 2021-01 (financing cumulates from
    # 2021-01), 550.5 from 2021-03.
    assert card.trend_values.tolist() == [0] * 6 + [200] * 2 + [550.5] * 4
    # The likelihood learns from 2020-12 on (the zeros before the cumulation starts are not history): six
    # changes, 200, 0, 350.5, 0, 0, 0. 114 months left, 4,449.5 missing. Exactly: a draws of 200 and b of 350.5
    # among 114 (multinomial 1/6, 1/6, 4/6) with 200a + 350.5b ≥ 4,449.5.
    assert card.history_start == pd.Period("2020-12", "M")
    exact = sum(math.comb(114, a) * math.comb(114 - a, b) * (1 / 6) ** (a + b) * (4 / 6) ** (114 - a - b)
                for a in range(115) for b in range(115 - a) if 200 * a + 350.5 * b >= 4449.5)
    assert exact > 0.9999  # the mean path adds 114 × 550.5/6 ≈ 10,459: almost certain, shown as >99%
    assert card.likelihood == pytest.approx(exact, abs=0.002)


def _status_history(store, registry, months):
    from ipmetrics.core.measures import load_region_data
    data = load_region_data(store, registry.region)
    history = scorecard_history(data, registry, Settings(db_url=store.url), months)
    return {goal.id: [next(c for c in history[m] if c.goal.id == goal.id) for m in months]
            for goal in registry.targeted}


def test_the_samples_small_count_goals_never_flip_without_an_event(sample_store, registry):
    months = list(pd.period_range("2021-01", "2026-10", freq="M"))
    history = _status_history(sample_store, registry, months)
    short = {Status.ACHIEVED: "A", Status.ON_TRACK: "+", Status.AT_RISK: "~", Status.OFF_TRACK: "-",
             Status.NO_DATA: ".", Status.NO_TARGET: " "}
    for goal_id, cards in history.items():  # the history, one character a month, for the reader of the log
        print(f"{goal_id:28s} {cards[-1].progress.method:6s} {''.join(short[c.status] for c in cards)}")
    small = {goal_id: cards for goal_id, cards in history.items() if cards[-1].progress.method == "events"}
    assert {"well_known_marks", "gi_marks", "national_ip_enterprises", "provincial_ip_enterprises"} <= set(small)
    for goal_id, cards in small.items():
        for before, after in zip(cards, cards[1:]):
            event = (before.progress.value != after.progress.value
                     or before.progress.pipeline != after.progress.pipeline)
            if event:
                continue
            # Without an event a small goal's status moves at most one step, and only as time runs out.
            assert not ({before.status, after.status} & ON and Status.OFF_TRACK in {before.status, after.status}), \
                (goal_id, before.as_of, before.status, after.status)
            assert not (before.status not in ON and after.status in ON), (goal_id, before.as_of)
    provincial = dict(zip(months, small["provincial_ip_enterprises"]))
    # The case issue 16 found: 正常 from 2023-08, then 滞后 from 2024-07 as the one step left the window.
    assert provincial[pd.Period("2023-07", "M")].status is Status.OFF_TRACK
    assert provincial[pd.Period("2023-08", "M")].status is Status.ON_TRACK  # the designation of 2023-08-15
    assert provincial[pd.Period("2024-07", "M")].status is Status.ON_TRACK
    assert provincial[pd.Period("2024-06", "M")].status is Status.ON_TRACK


def test_the_old_method_flipped_the_provincial_goal_at_2024_07(sample_store, registry):
    from tests.conftest import linear_method
    months = [pd.Period("2024-06", "M"), pd.Period("2024-07", "M")]
    cards = _status_history(sample_store, linear_method(registry), months)["provincial_ip_enterprises"]
    assert [c.status for c in cards] == [Status.ON_TRACK, Status.OFF_TRACK]


def test_a_pipeline_that_would_close_the_gap_softens_behind_to_at_risk():
    series = monthly({"2020-12": 0}, "2020-12", "2025-12")
    progress = assess(series, pd.Period("2025-12", "M"), 1, ">=", pd.Period("2020-12", "M"),
                      pd.Period("2030-12", "M"), small_gap=10)
    assert progress.status is Status.OFF_TRACK
    raised = outlook.with_pipeline(progress, ["某某科技有限公司"])
    assert raised.status is Status.AT_RISK and raised.raised_by_pipeline and raised.pipeline == ("某某科技有限公司",)
    # Not enough candidates for the gap: stays behind.
    two = assess(series, pd.Period("2025-12", "M"), 2, ">=", pd.Period("2020-12", "M"), pd.Period("2030-12", "M"),
                 small_gap=10)
    assert outlook.with_pipeline(two, ["甲"]).status is Status.OFF_TRACK


def test_the_status_json_keeps_its_keys_and_adds_the_outlook(small_store, registry):
    before_issue_16 = {"id", "frequency", "period", "period_label", "value", "target", "completion", "expected",
                       "projection", "status", "name", "unit", "comparator", "baseline", "baseline_month", "gap",
                       "monthly_pace_needed", "anticipated_progress", "previous_value", "change", "region", "as_of",
                       "definition", "source", "reported_by", "theme", "monitoring", "target_date"}
    records = status_records(scorecard(small_store, registry, Settings(db_url=small_store.url), None, "2021-06"))
    for record in records:
        assert set(record) == before_issue_16 | {"trend", "likelihood", "method", "pace", "pipeline"}
        assert record["likelihood"] is None or 0 <= record["likelihood"] <= 1
    gi = next(r for r in records if r["id"] == "gi_marks")
    assert gi["pipeline"] == ["罗山石山口鱼"]  # the fixture's GI brand published, not yet registered


def test_the_pledge_amount_likelihood_a_year_later_worked_by_hand(small_store, registry):
    card = {c.goal.id: c for c in scorecard(small_store, registry, Settings(db_url=small_store.url), None,
                                            "2022-06")}["pledge_financing_amount"]
    # No deal after 2021-03: 550.5 at 2022-06. History 2020-12 … 2022-06 (18 changes: +200, +350.5 and 16
    # zeros), 102 months left to 2030-12, 4,449.5 missing: a draws of 200 and b of 350.5 among 102
    # (multinomial 1/18, 1/18, 16/18) with 200a + 350.5b ≥ 4,449.5. The mean path adds only 102 × 30.6 ≈ 3,120.
    assert card.progress.value == 550.5
    exact = sum(math.comb(102, a) * math.comb(102 - a, b) * (1 / 18) ** (a + b) * (16 / 18) ** (102 - a - b)
                for a in range(103) for b in range(103 - a) if 200 * a + 350.5 * b >= 4449.5)
    assert exact == pytest.approx(0.0804, abs=1e-4)
    assert card.likelihood == pytest.approx(exact, abs=0.02)  # 4,000 draws: standard error ≤ 0.008
