"""Every goal's monthly value for many regions at once: peers ranked side by side.

measures.py reads one region's monthly flows and cumulates them in pandas, which suits one county's
pages. Comparing twenty townships, or a hundred and fifty counties, that way would read the records
once per region. Here the database does the heavy part in one query per panel (sql/queries/
measure_panel.sql sums the records per lowest region and month, rolls them up to the peers and
cumulates them over the calendar); what is left is column arithmetic on a frame of regions × months,
the same definitions as measures.goal_frame, checked against it in tests/test_panel.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .goals import POPULATION_MEASURES, Goal, Registry
from .measures import MEASURE_SOURCE, loaded_sources
from .settings import Settings
from .store import Store, Transaction

LEVELS = ("province", "city", "county", "township")


@dataclass(frozen=True)
class Panel:
    """Goal values by region and month: `values` and `derived` are wide (goal ids as columns) with a
    (region_code, month) index; `reported` marks where a reported figure stands in for the records."""

    values: pd.DataFrame
    reported: pd.DataFrame
    population: pd.DataFrame   # (region_code, month) -> resident, registered: the year's figure in force

    def at(self, month: pd.Period) -> pd.DataFrame:
        """One month's values, one row per region."""
        return self.values.xs(month, level="month")


def _month_start(month: pd.Period) -> str:
    return month.start_time.strftime("%Y-%m-%d")


def measure_panel(reader: Transaction, ancestor: str, level: str, index: pd.MultiIndex) -> pd.DataFrame:
    """Amount in force at each month's end for the (region_code, month) rows of `index` (the peers,
    by code, times the months), one column per measure."""
    months = index.levels[1]
    wide = reader.columns("measure_panel", ancestor=ancestor, level=level,
                          first_month=_month_start(months[0]), last_month=_month_start(months[-1]))
    codes = wide.pop("region_code")
    wide = wide.drop(columns="month_start")
    # The query returns the full grid in the same order (code, then month): check, then label it.
    if len(wide) != len(index) or (len(wide) and (codes.iloc[0] != index[0][0] or codes.iloc[-1] != index[-1][0])):
        raise RuntimeError("measure_panel returned rows that do not match the peers and months")
    return wide.set_axis(index).astype(float)


def population_panel(reader: Transaction, ancestor: str, level: str, index: pd.MultiIndex) -> pd.DataFrame:
    """Population at each (region, month) of `index` (peers × months, as goal_panel builds it): the
    figure of the latest year not after the month's."""
    frame = reader.frame("population_panel", ancestor=ancestor, level=level)
    result = pd.DataFrame(index=index, columns=["resident", "registered"], dtype=float)
    if frame.empty or not len(index):
        return result
    peers, months = index.levels[0][index.codes[0][:: len(index.levels[1])]], index.levels[1]
    years = frame["year"].astype(int)
    span = range(min(years.min(), months[0].year), max(years.max(), months[-1].year) + 1)
    # Column positions of each month's year in a region × year table.
    at = np.asarray(months.year) - span.start
    for basis in ("resident", "registered"):
        own, leaves = frame[f"{basis}_own"], frame[f"{basis}_leaves"]
        yearly = pd.DataFrame({"region_code": frame["region_code"].astype(object), "year": years,
                               "value": own.combine_first(leaves).astype(float)})
        # Region × year, each year carrying the latest known figure forward (a year with only the other
        # basis does not hide an older figure of this one).
        table = (yearly.pivot_table(index="region_code", columns="year", values="value", aggfunc="first")
                 .reindex(index=peers, columns=span).ffill(axis=1))
        result[basis] = table.to_numpy()[:, at].ravel()
    return result


def _series(measures: pd.DataFrame, population: pd.DataFrame, measure: str, since: pd.Period | None,
            loaded: frozenset) -> pd.Series:
    """A measure as measures.measure_series has it, for every (region, month) of the panel."""
    if measure in POPULATION_MEASURES:
        return population[POPULATION_MEASURES[measure]]
    if MEASURE_SOURCE[measure] not in loaded:
        return pd.Series(np.nan, index=measures.index)
    amount = measures[measure] if measure in measures else pd.Series(0.0, index=measures.index)
    if since is None:
        return amount
    # Cumulated from `since`: the amount now less the amount at the end of the month before.
    months = measures.index.get_level_values("month")
    opening = amount[months == since - 1].droplevel("month")
    regions = measures.index.get_level_values("region_code")
    from_since = amount - opening.reindex(regions).fillna(0.0).to_numpy()
    return from_since.where(months >= since, 0.0)


def goal_panel(store: Store, registry: Registry, settings: Settings, ancestor: str, level: str,
               first: pd.Period | str, last: pd.Period | str, goals: list[Goal] | None = None) -> Panel:
    """Every goal (or `goals`) for the regions of `level` under `ancestor` ('' for all of them), each
    month first..last."""
    first, last = pd.Period(first, freq="M"), pd.Period(last, freq="M")
    goals = goals if goals is not None else registry.goals
    windows = [pd.Period(getattr(settings, g.compute.since), freq="M") for g in goals if g.compute.since]
    # A window opening inside or before the panel needs the month before it in the panel too.
    start = min([first] + [w - 1 for w in windows])
    with store.reading() as reader:  # one connection, one consistent view of the data
        peers = reader.frame("peer_regions", ancestor=ancestor, level=level)["code"].astype(str).tolist()
        months = pd.period_range(start, last, freq="M")
        index = pd.MultiIndex.from_product([peers, months], names=["region_code", "month"])
        measures = measure_panel(reader, ancestor, level, index)
        population = population_panel(reader, ancestor, level, index)
        loaded = loaded_sources(reader)
        reported_long = reader.frame("reported_panel", ancestor=ancestor, level=level)

    derived = pd.DataFrame(index=index)
    for goal in goals:
        compute = goal.compute
        since = pd.Period(getattr(settings, compute.since), freq="M") if compute.since else None
        value = _series(measures, population, compute.numerator_for(settings), since, loaded)
        denominator = compute.denominator_for(settings)
        if denominator is not None:
            below = _series(measures, population, denominator, since, loaded)
            value = value / below.where(below > 0)
        derived[goal.id] = value * compute.scale

    reported = pd.DataFrame(np.nan, index=index, columns=[g.id for g in goals])
    values = derived
    if not reported_long.empty:  # a reported figure stands in for the records' value
        reported_long["month"] = pd.to_datetime(reported_long["month"]).dt.to_period("M")
        wide = reported_long.pivot_table(index=["region_code", "month"], columns="indicator", values="value",
                                         aggfunc="last")
        reported = wide.reindex(index=index, columns=reported.columns).astype(float)
        values = derived.where(reported.isna(), reported)
    keep = index.get_level_values("month") >= first
    return Panel(values=values[keep], reported=reported.notna()[keep], population=population[keep])
