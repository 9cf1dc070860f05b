"""Every goal's monthly value for many regions at once: peers ranked side by side.

measures.py reads one region's monthly flows and cumulates them in pandas, which suits one county's
pages. Comparing twenty townships, or a hundred and fifty counties, that way would read the records
once per region. Here the database does the heavy part in one query per panel (sql/queries/
measure_panel.sql rolls the monthly sums of the records up to the peers); what is left is a running
sum along each region's months and the goal definitions' arithmetic on regions × months arrays, the
same definitions as measures.goal_frame, checked against it in tests/test_panel.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.measures import MEASURE_SOURCE, MEASURES, POPULATION_MEASURES, loaded_sources
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store, Transaction


@dataclass(frozen=True)
class Panel:
    """Goal values by region and month, each frame with a (region_code, month) index: `values` (goal
    ids as columns); `reported`, True where a reported figure stands in for the records' value;
    `population`, the resident and registered figures in force."""

    values: pd.DataFrame
    reported: pd.DataFrame
    population: pd.DataFrame

    def at(self, month: pd.Period) -> pd.DataFrame:
        """One month's values, one row per region."""
        return self.values.xs(month, level="month")


def _positions(values: pd.Series, labels: list[str]) -> np.ndarray:
    """Each value's position in `labels` (-1 where it is not there), each distinct value looked up once:
    tens of thousands of rows name a few hundred regions and a dozen measures."""
    codes, distinct = pd.factorize(values)
    return pd.Index(labels).get_indexer(pd.Index(distinct).astype(object))[codes]


def measure_panel(reader: Transaction, ancestor: str, level: str, peers: list[str],
                  months: pd.PeriodIndex) -> dict[str, np.ndarray]:
    """Amount in force at each month's end: measure -> a peers × months array, for every declared
    measure (zeros where a measure has no records)."""
    changes = reader.columns("measure_panel", ancestor=ancestor, level=level,
                             first_month=periods.month_start(months[0]).isoformat(),
                             last_month=periods.month_start(months[-1]).isoformat())
    names = [measure.name for measure in MEASURES]
    # The database has summed the records, one row per region, month and measure; each goes to its
    # place in a peers × months × measures grid, the measure's place being its place in MEASURES.
    layer = _positions(changes["measure"], names)
    declared = layer >= 0  # a measure the declaration lacks is the contract test's to report, not a column
    if not declared.all():
        changes, layer = changes[declared], layer[declared]
    starts = pd.to_datetime(changes["month_start"])
    row = _positions(changes["region_code"], peers)
    column = (starts.dt.year.to_numpy() - months[0].year) * 12 + starts.dt.month.to_numpy() - months[0].month
    grid = np.zeros((len(peers), len(months), len(names)))
    grid[row, column, layer] = changes["delta"].to_numpy(dtype=float)
    amounts = np.cumsum(grid, axis=1)  # what is left: a running sum along each region's months
    return {name: amounts[:, :, k] for k, name in enumerate(names)}


def population_panel(reader: Transaction, ancestor: str, level: str, peers: list[str],
                     months: pd.PeriodIndex) -> dict[str, np.ndarray]:
    """Population at each month: basis (resident, registered) -> a peers × months array holding the
    figure of the latest year not after the month's (NaN before the first)."""
    frame = reader.frame("population_panel", ancestor=ancestor, level=level)
    if frame.empty or not peers:
        return {basis: np.full((len(peers), len(months)), np.nan) for basis in ("resident", "registered")}
    years = frame["year"].astype(int)
    span = range(min(years.min(), months[0].year), max(years.max(), months[-1].year) + 1)
    at = np.asarray(months.year) - span.start   # each month's column in a region × year table
    row = pd.Index(peers).get_indexer(frame["region_code"].astype(object))
    column = years.to_numpy() - span.start
    result = {}
    for basis in ("resident", "registered"):
        own, leaves = frame[f"{basis}_own"], frame[f"{basis}_leaves"]
        # Region × year, each year carrying the latest known figure forward (a year with only the other
        # basis does not hide an older figure of this one).
        table = np.full((len(peers), len(span)), np.nan)
        table[row, column] = own.combine_first(leaves).astype(float).to_numpy()
        result[basis] = pd.DataFrame(table).ffill(axis=1).to_numpy()[:, at]
    return result


def _series(amounts: dict[str, np.ndarray], population: dict[str, np.ndarray], measure: str,
            since_at: int | None, loaded: frozenset) -> np.ndarray:
    """A measure as measures.measure_series has it, peers × months (`since_at`: the position of the
    month a flow is cumulated from, when it is)."""
    shape = population["resident"].shape
    if measure in POPULATION_MEASURES:
        return population[POPULATION_MEASURES[measure]]
    if MEASURE_SOURCE[measure] not in loaded:
        return np.full(shape, np.nan)
    amount = amounts.get(measure, np.zeros(shape))
    if since_at is None:
        return amount
    # Cumulated from the window's first month: the amount now less the amount the month before.
    opened = amount - amount[:, since_at - 1 : since_at] if since_at <= shape[1] else np.zeros(shape)
    opened[:, : min(since_at, shape[1])] = 0.0
    return opened


def goal_panel(store: Store, registry: Registry, settings: Settings, ancestor: str, level: str,
               first: pd.Period | str, last: pd.Period | str, goals: list[Goal] | None = None) -> Panel:
    """Every goal (or `goals`) for the regions of `level` under `ancestor` ('' for all of them), each
    month first..last."""
    first, last = pd.Period(first, freq="M"), pd.Period(last, freq="M")
    goals = goals if goals is not None else registry.goals
    windows = [pd.Period(getattr(settings, g.compute.since), freq="M") for g in goals if g.compute and g.compute.since]
    # A window opening inside or before the panel needs the month before it in the panel too; a quarterly
    # or yearly goal, the last month of the period ended before the first month.
    carried = [periods.end_month(periods.latest_ended(first, g.frequency)) for g in goals]
    start = min([first] + [w - 1 for w in windows] + carried)
    with store.reading() as reader:  # one connection, one consistent view of the data
        peers = reader.frame("peer_regions", ancestor=ancestor, level=level)["code"].astype(str).tolist()
        months = pd.period_range(start, last, freq="M")
        index = pd.MultiIndex.from_product([peers, months], names=["region_code", "month"])
        amounts = measure_panel(reader, ancestor, level, peers, months)
        population = population_panel(reader, ancestor, level, peers, months)
        loaded = loaded_sources(reader)
        reported_long = reader.frame("reported_panel", ancestor=ancestor, level=level)

    derived = {}
    for goal in goals:
        compute = goal.compute
        if compute is None:  # only reported
            derived[goal.id] = np.full(len(index), np.nan)
            continue
        since_at = ((pd.Period(getattr(settings, compute.since), freq="M") - start).n if compute.since else None)
        value = _series(amounts, population, compute.numerator_for(settings), since_at, loaded)
        denominator = compute.denominator_for(settings)
        if denominator is not None:
            below = _series(amounts, population, denominator, since_at, loaded)
            with np.errstate(invalid="ignore", divide="ignore"):
                value = value / np.where(below > 0, below, np.nan)
        derived[goal.id] = (value * compute.scale).ravel()
    derived = pd.DataFrame(derived, index=index)

    reported = pd.DataFrame(np.nan, index=index, columns=[g.id for g in goals])
    values = derived
    if not reported_long.empty:  # a reported figure stands in for the records' value
        reported_long["month"] = pd.to_datetime(reported_long["month"]).dt.to_period("M")
        wide = reported_long.pivot_table(index=["region_code", "month"], columns="indicator", values="value",
                                         aggfunc="last")
        reported = wide.reindex(index=index, columns=reported.columns).astype(float)
        values = derived.where(reported.isna(), reported)
    values, reported = _carried(values, reported.notna(), goals, months)
    people = pd.DataFrame({basis: figures.ravel() for basis, figures in population.items()}, index=index)
    keep = index.get_level_values("month") >= first
    return Panel(values=values[keep], reported=reported[keep], population=people[keep])


def _carried(values: pd.DataFrame, reported: pd.DataFrame, goals: list[Goal],
             months: pd.PeriodIndex) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A quarterly or yearly goal's value at each month: its value at the end of the latest period ended
    by then (as scorecard cards show it); a period with no value stays empty, never an older one."""
    values, reported = values.copy(), reported.copy()
    for goal in goals:
        if goal.frequency == "month":
            continue
        shown = pd.PeriodIndex([periods.end_month(periods.latest_ended(m, goal.frequency)) for m in months])
        source = months.get_indexer(shown)  # -1 before the panel's first month
        for table in (values, reported):
            grid = table[goal.id].to_numpy().reshape(-1, len(months))
            moved = np.where(source >= 0, grid[:, np.maximum(source, 0)], np.nan if table is values else False)
            table[goal.id] = moved.ravel()
    return values, reported
