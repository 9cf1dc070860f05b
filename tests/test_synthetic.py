"""The scale generator (ipmetrics/synthetic.py), at a small scale of its own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ipmetrics.core import periods
from ipmetrics.core.measures import goal_frame, load_region_data
from ipmetrics.core.panel import goal_panel
from ipmetrics.core.scorecard import scorecard
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.demo.synthetic import Scale, generate

from .test_panel import period_ends

SMALL_SCALE = Scale(provinces=2, counties=60, trademarks=40_000, patents=5_000)


@pytest.fixture(scope="module")
def made(module_db_url):
    store = Store(module_db_url("synthetic"))
    result = generate(store, SMALL_SCALE, seed=7)
    yield store, result
    store.dispose()


def test_hierarchy_is_whole_and_holds_the_sample_county(made):
    store, result = made
    regions = store.frame("regions").set_index("code")
    assert result.regions == len(regions)
    assert (regions["level"] == "province").sum() == 2          # Beijing, and Henan for the sample county
    counties = regions[regions["level"] == "county"]
    assert len(counties) == result.counties == 60                 # in all, 罗山县 among them
    # Every region but the provinces has a parent one level up.
    above = {"city": "province", "county": "city", "township": "county"}
    for code, row in regions[regions["level"] != "province"].iterrows():
        assert regions.loc[row["parent_code"], "level"] == above[row["level"]], code
    assert regions.loc["411521", "parent_code"] == "411500" and regions.loc["411500", "parent_code"] == "410000"
    assert (regions["level"] == "township").sum() == 20
    synthetic = counties.drop(index="411521")
    assert synthetic["name"].str.contains("模拟").all()           # nobody mistakes them for real counties
    assert store.is_sample()


def test_counts_skew_and_the_sample_county_unchanged(made, registry):
    store, result = made
    assert result.rows["trademarks"] == 40_000 and result.rows["patents"] == 5_000
    with store.engine.connect() as connection:
        marks = pd.read_sql("SELECT reg_no, region_code, registered_on FROM trademarks", connection)
    synthetic = marks[~marks["region_code"].str.startswith("411521")]
    assert len(synthetic) == 40_000 and synthetic["reg_no"].is_unique
    per_county = synthetic["region_code"].value_counts()
    # Realistic skew: the largest tenth of the counties hold far more than a tenth of the marks.
    top = per_county.head(len(per_county) // 10).sum() / per_county.sum()
    assert top > 0.3
    registered = pd.to_datetime(synthetic["registered_on"])
    assert (registered.dt.year >= 2016).mean() > 0.6               # most marks are recent
    assert registered.max() <= pd.Timestamp("2026-10-31")
    # 罗山县 keeps the bundled sample's figures (4,594 valid marks at 2026-10).
    cards = scorecard(store, registry, Settings(db_url=store.url), "411521", "2026-10")
    assert next(c for c in cards if c.goal.id == "trademarks_registered").progress.value == 4594


def test_the_same_seed_gives_the_same_data(made, db_url):
    store, _ = made
    again = Store(db_url("again"))
    generate(again, SMALL_SCALE, seed=7)
    query = "measure_flows"
    for region in ("410000", "110000"):
        pd.testing.assert_frame_equal(store.frame(query, region=region), again.frame(query, region=region))
    again.dispose()


def test_panel_of_the_province_equals_the_one_county_computation(made, registry):
    store, _ = made
    settings = Settings(db_url=store.url)
    first, last = pd.Period("2019-01", freq="M"), pd.Period("2026-10", freq="M")
    panel = goal_panel(store, registry, settings, "410000", "county", first, last).values
    codes = panel.index.get_level_values("region_code").unique()
    assert "411521" in codes and len(codes) > 17
    for code in list(codes[:3]) + ["411521"]:
        data = load_region_data(store, code)
        for goal in registry.goals:
            expected = goal_frame(data, goal, settings, periods.months(first, last))["value"].to_numpy()
            got = panel.xs(code, level="region_code")[goal.id].to_numpy()
            # A quarterly or yearly goal is carried between its periods' last months, where both agree.
            ends = period_ends(periods.months(first, last), goal.frequency)
            assert np.allclose(got[ends], expected[ends], equal_nan=True), (code, goal.id)
    # Everywhere ('') holds the counties of both provinces.
    everywhere = goal_panel(store, registry, settings, "", "county", last, last).values
    assert len(everywhere) == 60
