"""Goal values from the hand-made fixture (tests/fixtures/small/README.md has the table worked by hand)."""

import pandas as pd
import pytest

from ipmetrics.core.measures import load_family_data, load_region_data
from ipmetrics.core.scorecard import scorecard

COUNTY, LISHUI, ZHOUDANG = "411521", "411521001", "411521101"
MONTHS = ["2020-12", "2021-01", "2021-02", "2021-03", "2021-06", "2021-08"]

# Worked by hand in tests/fixtures/small/README.md, column by column.
EXPECTED = {
    "trademarks_registered": [2, 3, 10, 3, 3, 3],
    "well_known_marks": [0, 0, 0, 0, 1, 1],
    "gi_marks": [0, 0, 1, 1, 1, 1],
    "national_ip_enterprises": [0, 0, 0, 0, 1, 1],
    "provincial_ip_enterprises": [0, 0, 0, 0, 1, 1],
    "invention_patents_per_10k": [0.02, 0.025, 0.05, 0.05, 0.05, 0.025],
    "pledge_financing_count": [0, 1, 1, 2, 2, 2],
    "pledge_financing_amount": [0, 200, 200, 550.5, 550.5, 550.5],
    "ip_standard_coverage": [100 / 3, 100 / 3, 200 / 3, 200 / 3, 200 / 3, 200 / 3],
}


def values(store, registry, settings, region, month):
    return {card.goal.id: card.progress.value for card in scorecard(store, registry, settings, region, month)}


@pytest.mark.parametrize("column, month", list(enumerate(MONTHS)))
def test_county_values_match_the_hand_computed_table(small_store, registry, settings_for, column, month):
    got = values(small_store, registry, settings_for(small_store), COUNTY, month)
    for goal_id, row in EXPECTED.items():
        assert got[goal_id] == pytest.approx(row[column]), (goal_id, month)


def test_cumulative_trademark_basis_counts_ended_marks(small_store, registry, settings_for):
    settings = settings_for(small_store, trademark_basis="cumulative")
    assert values(small_store, registry, settings, COUNTY, "2020-12")["trademarks_registered"] == 3
    assert values(small_store, registry, settings, COUNTY, "2021-03")["trademarks_registered"] == 5


def test_registered_population_basis(small_store, registry, settings_for):
    settings = settings_for(small_store, population_basis="registered")
    assert values(small_store, registry, settings, COUNTY, "2020-12")["invention_patents_per_10k"] == pytest.approx(0.0125)
    assert values(small_store, registry, settings, COUNTY, "2021-02")["invention_patents_per_10k"] == pytest.approx(0.025)


def test_financing_window_is_a_setting(small_store, registry, settings_for):
    # Cumulated from 2020-01, L1 (2020-11-10, 100万元) counts too.
    settings = settings_for(small_store, financing_since="2020-01")
    got = values(small_store, registry, settings, COUNTY, "2021-03")
    assert got["pledge_financing_count"] == 3 and got["pledge_financing_amount"] == pytest.approx(650.5)


def test_township_values_and_population_of_the_latest_year_not_after(small_store, registry, settings_for):
    settings = settings_for(small_store)
    zhoudang = values(small_store, registry, settings, ZHOUDANG, "2021-02")
    assert zhoudang["invention_patents_per_10k"] == pytest.approx(1 / 20)   # P2 over its 2020 population
    assert zhoudang["gi_marks"] == 1 and zhoudang["trademarks_registered"] == 2  # T3, T4
    assert zhoudang["ip_standard_coverage"] == 0                           # E3 eligible, not certified
    lishui = values(small_store, registry, settings, LISHUI, "2021-02")
    assert lishui["ip_standard_coverage"] == 100                            # E1 and E2
    assert lishui["trademarks_registered"] == 2                            # T1, T2: the reported 10 is the county's


def test_reported_figure_takes_precedence_and_says_so(small_store, registry, settings_for):
    cards = {c.goal.id: c for c in scorecard(small_store, registry, settings_for(small_store), COUNTY, "2021-03")}
    frame = cards["trademarks_registered"].frame
    feb = frame.loc[pd.Period("2021-02", freq="M")]
    assert feb["derived"] == 4 and feb["reported"] == 10 and feb["value"] == 10 and feb["source"] == "reported"
    assert frame.loc[pd.Period("2021-03", freq="M"), "source"] == "derived"


def test_region_without_population_has_no_ratio(empty_store, registry, settings_for):
    data = load_region_data(empty_store, COUNTY)
    assert data.flows.empty and data.population.empty
    cards = scorecard(empty_store, registry, settings_for(empty_store), COUNTY, "2021-01")
    assert all(card.progress.status.value == "no_data" for card in cards)


def _rows(frame: pd.DataFrame) -> list[list]:
    """A frame's rows with every missing value as None (an empty read's text columns are objects, a family's
    strings: the same values either way)."""
    return [[None if pd.isna(value) else value for value in row] for row in frame.itertuples()]


@pytest.mark.parametrize("which", ["small_store", "sample_store"])
def test_a_family_read_at_once_gives_each_region_what_it_reads_alone(which, request):
    store = request.getfixturevalue(which)
    family = load_family_data(store, COUNTY)
    townships = store.frame("child_regions", region=COUNTY)["code"].astype(str).tolist()
    assert len(townships) >= 2 and sorted(family) == sorted([COUNTY, *townships])
    for code, data in family.items():
        alone = load_region_data(store, code)
        for part in ("flows", "population", "reported", "targets"):
            pd.testing.assert_frame_equal(getattr(data, part), getattr(alone, part))
        assert list(data.candidates) == list(alone.candidates) and _rows(data.candidates) == _rows(alone.candidates)
        assert (data.region, data.ancestors, data.loaded_sources) == (code, alone.ancestors, alone.loaded_sources)
    # there was something to compare: flows in the county and in townships, townships' populations
    assert not family[COUNTY].flows.empty and sum(not family[code].flows.empty for code in townships) >= 2
    assert sum(not family[code].population.empty for code in townships) >= 2
    if which == "sample_store":  # targets assigned to the townships, pipeline candidates
        assert sum(not family[code].targets.empty for code in townships) >= 2
        assert sum(not family[code].candidates.empty for code in townships) >= 1
    assert list(load_family_data(store, townships[0])) == [townships[0]]  # a township has no family below it
