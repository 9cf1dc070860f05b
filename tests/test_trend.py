"""A goal's trend apart from its status (issue 16, item 4): rising, flat or falling over its trend window,
in the status JSON and on the overview's cards."""

import pandas as pd
import pytest

from ipmetrics.core.scorecard import scorecard, status_records, trend_of
from ipmetrics.core.settings import Settings


def months(values, start="2021-01"):
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"), dtype=float)


@pytest.mark.parametrize("values, trend", [
    # slope 1 a month, a rise of 3 over the window against 2 % of the mean 11.5 (0.23): rising
    ([10, 11, 12, 13], "rising"),
    ([13, 12, 11, 10], "falling"),
    # x − x̄ = −1.5, −0.5, 0.5, 1.5; y − ȳ = −0.25, 0.25, −0.25, 0.25: slope 0.5 ÷ 5 = 0.1, a rise of 0.3
    # against 2 % of the mean 100.25 (2.005): flat
    ([100, 100.5, 100, 100.5], "flat"),
    ([0, 0, 0], "flat"),           # no figures yet is no decline
    ([5, None, 6], None),          # two values are too few for a line
])
def test_the_trend_is_the_direction_of_the_fitted_line(values, trend):
    assert trend_of(months(values)) == trend


def test_the_status_json_says_the_trend_apart_from_the_status(small_store, registry):
    records = {r["id"]: r for r in status_records(scorecard(small_store, registry, Settings(db_url=small_store.url),
                                                            None, "2021-03"))}
    # GI marks, 2020-04 … 2021-03: ten months at 0, then 1 and 1. Σ(x − 5.5)·y = 4.5 + 5.5 = 10 and
    # Σ(x − 5.5)² = 143: slope 0.0699 a month, a rise of 0.77 over 11 months against 2 % of the mean 0.17.
    gi = records["gi_marks"]
    assert gi["trend"] == "rising"
    assert all(r["trend"] in ("rising", "flat", "falling", None) for r in records.values())
    # A reported indicator without three figures has no trend.
    assert records["enforcement_cases_opened"]["trend"] is None


def test_each_card_marks_its_trend(monkeypatch, sample_store, registry):
    from .test_pages import open_app

    app = open_app(monkeypatch, sample_store, as_of="2026-10")
    cards = {c.goal.id: c for c in scorecard(sample_store, registry, Settings(db_url=sample_store.url), None, "2026-10")}
    shown = [c.value for c in app.main.caption]
    marks = {"rising": "↗", "flat": "→", "falling": "↘"}
    words = {"rising": "上升", "flat": "平稳", "falling": "下降"}
    for goal_id in ("trademarks_registered", "pledge_financing_amount"):
        card = cards[goal_id]
        text = f"{marks[card.trend]} 近12个月{words[card.trend]}"
        # Against the goal's direction the mark is red: a decline stands out from a stall.
        expected = f":red[{text}]" if card.trend == "falling" else text
        assert expected in shown, goal_id
