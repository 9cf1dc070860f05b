"""What the goals count, declared once, and their monthly values for one region.

A record-derived measure is one `Measure` in MEASURES below and one branch of the measure_items view
(sql/views/measure_items.sql, re-applied by the store when the file changes); tests/
test_measure_declarations.py fails when the two disagree. Goals name these measures, the panel places
them by their position here, ledgers and imports find their source table from here.

The store gives, per region, the monthly change of every measure (sql/queries/measure_flows.sql), the
population by year and the reported figures; the rest is arithmetic on small frames here, so a region's
data are read once and any month or setting can be evaluated from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from ipmetrics.core.settings import Settings

if TYPE_CHECKING:
    from ipmetrics.core.store import Store


@dataclass(frozen=True)
class Measure:
    """A quantity counted from one table of records: its branch of the measure_items view says which
    records count, from and until when, and by how much."""

    name: str     # the literal `measure` of its view branch, named by goals in data/indicators.toml
    source: str   # the records table: trademarks, patents, pledges or enterprises
    key: str      # that table's record key column, the branch's record_key (ledgers list records by it)
    counts: str   # what it counts, in one Chinese sentence with the unit


MEASURES = (
    Measure("trademarks_valid", "trademarks", "reg_no", "在有效期内的注册商标（件）"),
    Measure("trademarks_cumulative", "trademarks", "reg_no", "历年核准注册的商标，含已失效的（件）"),
    Measure("well_known_marks", "trademarks", "reg_no", "已认定为驰名商标且注册仍有效的商标（件）"),
    Measure("gi_marks", "trademarks", "reg_no", "在有效期内的地理标志商标（件）"),
    Measure("cn_invention_patents", "patents", "patent_no", "国内（CN）授权且仍有效的发明专利（件）"),
    Measure("cn_high_value_invention_patents", "patents", "patent_no",
            "国内（CN）授权且仍有效、标为高价值的发明专利（件）"),
    Measure("pledge_deals", "pledges", "contract_no", "登记的知识产权质押融资（笔）"),
    Measure("pledge_amount_wan", "pledges", "contract_no", "登记的知识产权质押融资金额（万元）"),
    Measure("national_ip_enterprises", "enterprises", "credit_code", "已认定的国家知识产权优势、示范企业（家）"),
    Measure("provincial_ip_enterprises", "enterprises", "credit_code", "已认定的省知识产权强企（家）"),
    Measure("ip_standard_certified", "enterprises", "credit_code",
            "通过知识产权管理规范（贯标）认证的高新技术企业、科技型中小企业（家）"),
    Measure("ip_standard_eligible", "enterprises", "credit_code", "名录中的高新技术企业、科技型中小企业（家）"),
)
# Measures read from the population table rather than counted from records: measure -> its basis column.
POPULATION_MEASURES = {"population_resident": "resident", "population_registered": "registered"}

# Which source table feeds each record measure: a measure whose source holds no records at all has no
# data (rather than a value of zero).
MEASURE_SOURCE = {measure.name: measure.source for measure in MEASURES}
# Every name a goal may use as its numerator or denominator.
KNOWN_MEASURES = frozenset(MEASURE_SOURCE) | frozenset(POPULATION_MEASURES)


class GoalLike(Protocol):
    """What goal_frame reads of a goal (ipmetrics.core.goals.Goal). goals.py validates the goal file
    against the measures declared here, so this module names a goal by what it uses instead of
    importing goals.py, even for type checking (tests/test_architecture.py would see a cycle)."""

    id: str
    compute: Any  # goals.Compute (numerator_for(), denominator_for(), scale, since), None when only reported


@dataclass(frozen=True)
class RegionData:
    """Everything the goals of one region are computed from."""

    region: str
    flows: pd.DataFrame        # measure, month (Period), delta
    population: pd.DataFrame   # indexed by year: resident, registered
    reported: pd.DataFrame     # indicator, month (Period), value
    loaded_sources: frozenset  # sources holding at least one record, store-wide
    # The targets assigned to this very region (import kind `targets`): indicator, target, target_date (date).
    targets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["indicator", "target", "target_date"]))
    ancestors: tuple[str, ...] = ()  # the regions above it, nearest first
    # The pipeline of count goals (view measure_candidates): measure, candidate, record_key, entered_on,
    # left_on (Timestamps, NaT while still in it), stage.
    candidates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["measure", "candidate", "record_key", "entered_on", "left_on", "stage"]))

    def assigned_target(self, indicator: str) -> tuple[float, date] | None:
        """The target assigned to the region on `indicator` and its date, or None."""
        return self._assigned_targets.get(indicator)

    @cached_property
    def _assigned_targets(self) -> dict[str, tuple[float, date]]:
        first = self.targets.drop_duplicates("indicator")  # the first row of an indicator, as it always was
        return {str(indicator): (float(target), pd.Timestamp(target_date).date())
                for indicator, target, target_date in zip(first["indicator"], first["target"], first["target_date"])}

    # A freeze computes every goal of every region (28 × 21 frames for Luoshan): each measure's flows and
    # each indicator's reports are grouped once per region, not filtered again for every goal.
    @cached_property
    def monthly_flows(self) -> dict[str, pd.Series]:
        """Per measure: its flows summed per month (sorted by month)."""
        return {str(measure): group.groupby("month")["delta"].sum()
                for measure, group in self.flows.groupby("measure", sort=False)}

    @cached_property
    def reported_by_indicator(self) -> dict[str, pd.Series]:
        """Per indicator: its reported values indexed by month."""
        return {str(indicator): group.set_index("month")["value"]
                for indicator, group in self.reported.groupby("indicator", sort=False)}

    def pipeline(self, measure: str, month: pd.Period) -> pd.DataFrame:
        """The candidates of `measure` in the pipeline at the end of `month` (pipeline_at)."""
        return pipeline_at(self.candidates, measure, month)


def pipeline_at(candidates: pd.DataFrame, measure: str, month: pd.Period) -> pd.DataFrame:
    """The candidates of `measure` in the pipeline at the end of `month`: entered by then, not yet left."""
    end = month.asfreq("M", how="end").to_timestamp(how="end").normalize()
    found = candidates[candidates["measure"] == measure]
    inside = (found["entered_on"] <= end) & (found["left_on"].isna() | (found["left_on"] > end))
    return found[inside]


def load_candidates(reader, region: str) -> pd.DataFrame:
    """The pipeline candidates of a region and everything under it (view measure_candidates), with their
    dates as Timestamps; `reader`: a Store or one of its reads."""
    return _with_dates(reader.frame("measure_candidates", region=region))


def _with_dates(candidates: pd.DataFrame) -> pd.DataFrame:
    """The candidates as read, their entry and exit dates as Timestamps."""
    for column in ("entered_on", "left_on"):
        candidates[column] = pd.to_datetime(candidates[column])
    return candidates


def _to_period(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column).dt.to_period("M")


def load_region_data(store: Store, region: str) -> RegionData:
    with store.reading() as reader:
        return _region_data(reader, region)


def load_family_data(store: Store, region: str) -> dict[str, RegionData]:
    """The data of `region` and of each region one level below it (a county and its townships), read with
    one query per table for them all (family_*.sql), not one per region: what load_region_data gives for
    each, keyed by region code."""
    with store.reading() as reader:
        tables = {name: reader.frame(f"family_{name}", region=region) for name in _TABLES}
        loaded = loaded_sources(reader)
        codes = [str(code) for code in reader.frame("regions_of_family", region=region)["code"]]
    by_region = {name: dict(tuple(_without_region(frame).groupby(frame["region"].astype(str), sort=False)))
                 for name, frame in tables.items()}
    return {code: _assembled(code, loaded, **{name: by_region[name].get(code, _empty(tables[name]))
                                              for name in _TABLES})
            for code in codes}


# What a region's data are read from (sql/queries/<name>.sql for one region, family_<name>.sql for a family).
_TABLES = ("measure_flows", "population_by_year", "reported_values", "region_targets", "region_ancestors",
           "measure_candidates")


def _without_region(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns="region")


def _empty(frame: pd.DataFrame) -> pd.DataFrame:
    """No rows of a family table: as the one-region query gives for a region without any."""
    return _without_region(frame).iloc[0:0]


def _region_data(reader, region: str) -> RegionData:
    return _assembled(region, loaded_sources(reader),
                      **{name: reader.frame(name, region=region) for name in _TABLES})


def _assembled(region: str, loaded: frozenset, *, measure_flows: pd.DataFrame, population_by_year: pd.DataFrame,
               reported_values: pd.DataFrame, region_targets: pd.DataFrame, region_ancestors: pd.DataFrame,
               measure_candidates: pd.DataFrame) -> RegionData:
    flows = measure_flows.reset_index(drop=True)
    flows = pd.DataFrame({
        "measure": flows["measure"].astype(str),
        "month": _to_period(flows["month_start"]),
        "delta": flows["delta"].astype(float),
    })
    pop = population_by_year.reset_index(drop=True)
    population = pd.DataFrame({
        # The region's own figure where there is one, else the sum over the lowest regions under it.
        "resident": pop["resident_own"].combine_first(pop["resident_leaves"]).astype(float),
        "registered": pop["registered_own"].combine_first(pop["registered_leaves"]).astype(float),
    })
    population.index = pop["year"].astype(int)
    reported = reported_values.reset_index(drop=True)
    reported = pd.DataFrame({
        "indicator": reported["indicator"].astype(str),
        "month": _to_period(reported["month"]),
        "value": reported["value"].astype(float),
    })
    targets = region_targets.reset_index(drop=True)
    targets = pd.DataFrame({"indicator": targets["indicator"].astype(str), "target": targets["target"].astype(float),
                            "target_date": pd.to_datetime(targets["target_date"])})
    candidates = _with_dates(measure_candidates.reset_index(drop=True))
    return RegionData(region=region, flows=flows, population=population, reported=reported,
                      loaded_sources=loaded, targets=targets,
                      ancestors=tuple(region_ancestors["ancestor"].astype(str)), candidates=candidates)


def loaded_sources(reader) -> frozenset:
    """The sources holding at least one record, store-wide (`reader`: a Store or one of its reads)."""
    found = reader.frame("loaded_sources")
    return frozenset(found.loc[found["loaded"].astype(bool), "source"].astype(str))


def measure_series(data: RegionData, measure: str, months: pd.PeriodIndex,
                   since: pd.Period | None = None) -> pd.Series:
    """The amount of `measure` in force at the end of each month (flows cumulated from `since`)."""
    if measure in POPULATION_MEASURES:
        return population_series(data, POPULATION_MEASURES[measure], months)
    if MEASURE_SOURCE[measure] not in data.loaded_sources:
        return pd.Series(float("nan"), index=months, dtype=float)
    # On the months' ordinals with numpy: a freeze evaluates 273 of these series, and the same steps on
    # Period-indexed Series cost 2 ms each. The sums are numpy's, as pandas' sum and cumsum are.
    monthly = data.monthly_flows.get(measure)
    at = np.empty(0, dtype=np.int64) if monthly is None else monthly.index.asi8  # ascending, one per month
    deltas = np.empty(0) if monthly is None else monthly.to_numpy(dtype=float)
    if since is not None:
        kept = at >= since.ordinal
        at, deltas = at[kept], deltas[kept]
    wanted = np.asarray(months.asi8)  # ascending (periods.months)
    before = float(deltas[at < wanted[0]].sum())
    place = np.minimum(np.searchsorted(wanted, at), len(wanted) - 1)
    inside = wanted[place] == at
    within = np.zeros(len(wanted))
    within[place[inside]] = deltas[inside]
    series = np.cumsum(within) + before
    if since is not None:
        series[wanted < since.ordinal] = 0.0  # nothing is cumulated before the window opens
    return pd.Series(series, index=months, name="delta", dtype=float)


def population_series(data: RegionData, basis: str, months: pd.PeriodIndex) -> pd.Series:
    """Population at each month: the figure of the latest year not after the month's year."""
    by_year = data.population[basis].dropna().sort_index()
    figures = np.append(by_year.to_numpy(dtype=float), np.nan)  # position -1: no year known yet
    latest = np.searchsorted(by_year.index.to_numpy(), np.asarray(months.year), side="right") - 1
    return pd.Series(figures[latest], index=months, dtype=float)


def _derived(data: RegionData, compute, settings: Settings, months: pd.PeriodIndex) -> pd.Series:
    """The value a computation gives from the records, month by month."""
    since = pd.Period(getattr(settings, compute.since), freq="M") if compute.since else None
    derived = measure_series(data, compute.numerator_for(settings), months, since)
    denominator = compute.denominator_for(settings)
    if denominator is not None:
        below = measure_series(data, denominator, months, since)
        return (derived / below.where(below > 0)) * compute.scale
    return derived * compute.scale


def goal_frame(data: RegionData, goal: GoalLike, settings: Settings, months: pd.PeriodIndex) -> pd.DataFrame:
    """Per month: the value derived from records, the reported figure, and the value in force. A reported
    figure of a quarter or a year is stored at its last month (see periods.end_month)."""
    compute = goal.compute
    if compute is None:  # a reported indicator: its values are only what offices report
        derived = np.full(len(months), np.nan)
    else:
        derived = _derived(data, compute, settings, months).to_numpy(dtype=float)
    reported = data.reported_by_indicator.get(goal.id)
    reported = (np.full(len(months), np.nan) if reported is None
                else reported.reindex(months).to_numpy(dtype=float))
    is_reported = ~np.isnan(reported)
    value = np.where(is_reported, reported, derived)
    source = np.where(is_reported, "reported", np.where(np.isnan(value), "none", "derived"))
    return pd.DataFrame({"derived": derived, "reported": reported, "value": value,
                         "source": pd.array(source, dtype="str")},
                        index=pd.PeriodIndex(months, name="month"))
