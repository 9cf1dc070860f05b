"""The peer panel (ipmetrics/panel.py): goal values of many regions from one query per panel."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ipmetrics.core import periods
from ipmetrics.core.measures import goal_frame, load_region_data
from ipmetrics.core.panel import goal_panel
from ipmetrics.core.settings import Settings

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
                expected = goal_frame(data, goal, settings, periods.months(first, last))["value"]
                # A quarterly or yearly goal's panel value at a month is its latest ended period's (carried, as
                # the cards show it); at each period's last month it is the goal's own value.
                ends = period_ends(periods.months(first, last), goal.frequency)
                for got, want in zip(mine[goal.id][ends], expected[ends]):
                    assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, abs=1e-9), \
                        (code, goal.id)
                    compared += 1
    # 94 months from 2019-01 to 2026-10, in which 31 quarters (2019-Q1 … 2026-Q3) and 7 years (2019 … 2025) end.
    assert compared == 21 * sum({"month": 94, "quarter": 31, "year": 7}[g.frequency] for g in registry.goals)


def period_ends(months: pd.PeriodIndex, frequency: str) -> np.ndarray:
    """Where a month is the last month of a period of `frequency` (every month for a monthly goal)."""
    return np.array([periods.end_month(periods.latest_ended(m, frequency)) == m for m in months])


def _monthly(store) -> pd.DataFrame:
    with store.engine.connect() as connection:
        frame = pd.read_sql("SELECT source, measure, region_code, month_start, delta FROM measure_monthly", connection)
    return frame.sort_values(["source", "measure", "region_code", "month_start"]).reset_index(drop=True)


def test_an_import_refreshes_the_monthly_sums_of_the_regions_it_touches(fresh_small_store, registry):
    """T1 moves from 丽水街道 to 周党镇 and a new mark arrives: the refreshed sums equal a full rebuild,
    and the townships' values follow."""
    from ipmetrics.core.settings import SQL_DIR
    from ipmetrics.io.importer import import_files
    from ipmetrics.io.readers import Source

    store = fresh_small_store
    rows = ("reg_no,mark_name,holder,region_code,mark_type,is_gi,industry,registered_on,ended_on,well_known_on\n"
            "T1,灵山毛尖,罗山县灵山茶业有限公司,411521101,ordinary,false,茶叶,2020-06-15,,\n"
            "T9,新商标,某公司,411521101,ordinary,false,,2021-01-10,,\n")
    import_files(store, [("trademarks", Source("t.csv", rows.encode()))], indicator_ids=set(registry.ids()))
    refreshed = _monthly(store)
    with store.transaction() as tx:
        for source in ("trademarks", "patents", "pledges", "enterprises"):
            tx.run_script(SQL_DIR / "imports" / "rebuild_measure_monthly.sql", source=source)
    pd.testing.assert_frame_equal(refreshed, _monthly(store))

    panel = goal_panel(store, registry, Settings(db_url=store.url), COUNTY, "township", "2021-01", "2021-01")
    marks = panel.at(pd.Period("2021-01", freq="M"))["trademarks_registered"]
    # 2021-01: 丽水街道 keeps T2 only; 周党镇 has T3, T1 and T9. The county: 4 (T1, T2, T3, T9).
    assert marks.to_dict() == {"411521001": 1, ZHOUDANG: 3}


def test_measure_panel_rows_name_every_declared_measure(sample_store, small_store):
    """measure_panel.sql gives long rows (region, month, measure, change) that panel.py places by the
    declaration (measures.MEASURES); between them, the sample and the fixture have records of every
    declared measure, and of none other."""
    from ipmetrics.core.measures import MEASURE_SOURCE

    found = set()
    for store in (sample_store, small_store):
        with store.reading() as reader:
            changes = reader.frame("measure_panel", ancestor=COUNTY, level="county",
                                   first_month="2021-01-01", last_month="2021-08-01")
        assert list(changes.columns) == ["region_code", "month_start", "measure", "delta"]
        found |= set(changes["measure"])
    assert found == set(MEASURE_SOURCE)
    defined = set()
    for store in (sample_store, small_store):
        with store.engine.connect() as connection:
            defined |= set(pd.read_sql("SELECT DISTINCT measure FROM measure_items", connection)["measure"])
    assert defined == set(MEASURE_SOURCE)
