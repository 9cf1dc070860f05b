"""The peer panel (ipmetrics/panel.py): goal values of many regions from one query per panel."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ipmetrics.measures import goal_frame, load_region_data, month_range
from ipmetrics.panel import goal_panel
from ipmetrics.settings import Settings

COUNTY, ZHOUDANG = "411521", "411521101"


def test_county_panel_matches_the_fixture_readme(small_store, registry):
    panel = goal_panel(small_store, registry, Settings(db_url=small_store.url), COUNTY, "county", "2020-12", "2021-08")
    county = panel.values.xs(COUNTY, level="region_code")
    month = lambda m: pd.Period(m, freq="M")  # noqa: E731
    assert county["trademarks_registered"].loc[[month(m) for m in ("2020-12", "2021-01", "2021-02", "2021-03")]
                                               ].tolist() == [2, 3, 10, 3]
    assert panel.reported.xs(COUNTY, level="region_code").loc[month("2021-02"), "trademarks_registered"]
    assert county["pledge_financing_count"].loc[[month("2020-12"), month("2021-01"), month("2021-03")]].tolist() == [0, 1, 2]
    assert county["pledge_financing_amount"].loc[month("2021-03")] == pytest.approx(550.5)
    assert county["invention_patents_per_10k"].loc[month("2020-12")] == pytest.approx(0.02)
    assert county["invention_patents_per_10k"].loc[month("2021-08")] == pytest.approx(0.025)
    assert county["ip_standard_coverage"].loc[month("2021-02")] == pytest.approx(200 / 3)


def test_township_uses_its_last_population_year(small_store, registry):
    panel = goal_panel(small_store, registry, Settings(db_url=small_store.url), COUNTY, "township", "2021-02", "2021-02")
    assert sorted(panel.values.index.get_level_values("region_code")) == ["411521001", ZHOUDANG]
    # 周党镇 has a 2020 population row only: P2 over 20 (万人) in 2021.
    assert panel.at(pd.Period("2021-02", freq="M")).loc[ZHOUDANG, "invention_patents_per_10k"] == pytest.approx(0.05)


@pytest.mark.parametrize("basis", [{}, {"population_basis": "registered", "trademark_basis": "cumulative",
                                       "financing_since": "2023-07"}])
def test_panel_equals_the_one_region_computation_everywhere(sample_store, registry, basis):
    """Every township and the county, every month, every goal, under two sets of choices."""
    settings = Settings(db_url=sample_store.url, **basis)
    first, last = pd.Period("2019-01", freq="M"), pd.Period("2026-10", freq="M")
    compared = 0
    for level in ("county", "township"):
        panel = goal_panel(sample_store, registry, settings, COUNTY, level, first, last)
        for code in panel.values.index.get_level_values("region_code").unique():
            data = load_region_data(sample_store, code)
            mine = panel.values.xs(code, level="region_code")
            for goal in registry.goals:
                expected = goal_frame(data, goal, settings, month_range(first, last))["value"]
                for got, want in zip(mine[goal.id], expected):
                    assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, abs=1e-9), \
                        (code, goal.id)
                    compared += 1
    assert compared == 21 * 9 * 94
