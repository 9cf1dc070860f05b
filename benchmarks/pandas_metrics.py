"""The goal definitions again, in plain pandas on the raw record tables: the benchmark's yardstick.

bench_scale.py times this against the engine (ipmetrics.panel and ipmetrics.scorecard, SQL in the
database) on the same data and checks that both give the same numbers. It follows the definitions of
sql/migrations/002_measure_items.sql and ipmetrics/measures.py, written afresh, not shared: a second
implementation is only a check if it does not reuse the first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ipmetrics.core.goals import Registry
from ipmetrics.core.settings import Settings

FAR_PAST = pd.Timestamp("1900-01-01")


@dataclass
class Tables:
    """The raw tables as pandas frames (the columns the goals need)."""
    regions: pd.DataFrame
    closure: pd.DataFrame
    population: pd.DataFrame
    reported: pd.DataFrame
    trademarks: pd.DataFrame
    patents: pd.DataFrame
    pledges: pd.DataFrame
    enterprises: pd.DataFrame


COLUMNS = {
    "regions": "code, level, parent_code",
    "region_closure": "ancestor, descendant",
    "population": "region_code, year, resident, registered",
    "reported": "indicator, region_code, month, value",
    "trademarks": "region_code, is_gi, registered_on, ended_on, well_known_on",
    "patents": "region_code, patent_type, office, granted_on, ended_on",
    "pledges": "region_code, CAST(amount_wan AS DOUBLE) AS amount_wan, registered_on",
    "enterprises": "region_code, high_tech, tech_sme, ip_standard_on, national_ip_on, provincial_strong_on",
}


def load_tables(read) -> Tables:
    """`read(sql)` returns a DataFrame (bench_scale passes DuckDB's fastest path to pandas)."""
    frames = {name: read(f"SELECT {columns} FROM {name}") for name, columns in COLUMNS.items()}
    for name in ("regions", "region_closure", "reported"):  # small: plain Python strings, as indexes are
        frames[name] = frames[name].astype({c: object for c in frames[name].columns
                                            if pd.api.types.is_string_dtype(frames[name][c])})
    for name in ("trademarks", "patents", "pledges", "enterprises", "population"):
        frames[name]["region_code"] = frames[name]["region_code"].astype("category")
    return Tables(regions=frames["regions"], closure=frames["region_closure"], population=frames["population"],
                  reported=frames["reported"], trademarks=frames["trademarks"], patents=frames["patents"],
                  pledges=frames["pledges"], enterprises=frames["enterprises"])


def _items(tables: Tables, needed: set[str], leaves: set[str] | None = None) -> dict[str, tuple[pd.DataFrame, str]]:
    """measure -> (frame of region_code, start, end, amount), and its source, for the `needed` measures."""
    def keep(frame):
        return frame if leaves is None else frame[frame["region_code"].isin(leaves)]

    tm, pt, pl, en = keep(tables.trademarks), keep(tables.patents), keep(tables.pledges), keep(tables.enterprises)

    def item(frame, start, end=None, amount=None):
        return pd.DataFrame({"region_code": frame["region_code"], "start": pd.to_datetime(start),
                             "end": pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]") if end is None
                             else pd.to_datetime(end),
                             "amount": np.ones(len(frame)) if amount is None else amount})

    def counted_from(frame, column):
        """Counts from the date in `column`, where there is one, and never stops."""
        dated = frame[frame[column].notna()]
        return item(dated, dated[column])

    def famous():
        marks = tm[tm["well_known_on"].notna()]
        start = np.maximum(pd.to_datetime(marks["well_known_on"]), pd.to_datetime(marks["registered_on"]))
        return item(marks, start, marks["ended_on"])

    def gi():
        marks = tm[tm["is_gi"]]
        return item(marks, marks["registered_on"], marks["ended_on"])

    def invention():
        found = pt[(pt["patent_type"] == "invention") & (pt["office"] == "CN")]
        return item(found, found["granted_on"], found["ended_on"])

    def tech():
        return en[en["high_tech"] | en["tech_sme"]]

    def eligible():  # the list has no listing date: every listed firm counts from the start of time
        firms = tech()
        return item(firms, pd.Series(FAR_PAST, index=firms.index))

    # Built only when a goal needs them: the trademark measures alone are four passes over every mark.
    makers = {
        "trademarks_valid": (lambda: item(tm, tm["registered_on"], tm["ended_on"]), "trademarks"),
        "trademarks_cumulative": (lambda: item(tm, tm["registered_on"]), "trademarks"),
        "well_known_marks": (famous, "trademarks"),
        "gi_marks": (gi, "trademarks"),
        "cn_invention_patents": (invention, "patents"),
        "pledge_deals": (lambda: item(pl, pl["registered_on"]), "pledges"),
        "pledge_amount_wan": (lambda: item(pl, pl["registered_on"], amount=pl["amount_wan"].to_numpy()), "pledges"),
        "national_ip_enterprises": (lambda: counted_from(en, "national_ip_on"), "enterprises"),
        "provincial_ip_enterprises": (lambda: counted_from(en, "provincial_strong_on"), "enterprises"),
        "ip_standard_certified": (lambda: counted_from(tech(), "ip_standard_on"), "enterprises"),
        "ip_standard_eligible": (eligible, "enterprises"),
    }
    return {measure: (make(), source) for measure, (make, source) in makers.items() if measure in needed}


def _monthly_amounts(items: pd.DataFrame, peers_of_leaf: pd.DataFrame, months: pd.PeriodIndex) -> pd.DataFrame:
    """Amount in force at each month's end: (peer, month) rows, cumulated from the deltas."""
    starts = pd.DataFrame({"region_code": items["region_code"].astype(str),
                           "month": items["start"].dt.to_period("M"), "delta": items["amount"]})
    ended = items[items["end"].notna()]
    ends = pd.DataFrame({"region_code": ended["region_code"].astype(str),
                         "month": ended["end"].dt.to_period("M"), "delta": -ended["amount"]})
    deltas = pd.concat([starts, ends]).groupby(["region_code", "month"], observed=True)["delta"].sum().reset_index()
    rolled = deltas.merge(peers_of_leaf, left_on="region_code", right_on="descendant")
    by_peer = rolled.groupby(["ancestor", "month"])["delta"].sum()
    opening = by_peer[by_peer.index.get_level_values("month") < months[0]].groupby(level="ancestor").sum()
    inside = by_peer[by_peer.index.get_level_values("month").isin(months)]
    peers = peers_of_leaf["ancestor"].unique()
    grid = inside.reindex(pd.MultiIndex.from_product([peers, months], names=["ancestor", "month"]), fill_value=0.0)
    cumulated = grid.groupby(level="ancestor").cumsum()
    return cumulated + opening.reindex(cumulated.index.get_level_values("ancestor")).fillna(0.0).to_numpy()


def peers_of(tables: Tables, ancestor: str, level: str) -> list[str]:
    """The regions of `level` under `ancestor` ('' for everywhere)."""
    at_level = tables.regions[tables.regions["level"] == level]
    if ancestor:
        under = set(tables.closure.loc[tables.closure["ancestor"] == ancestor, "descendant"])
        at_level = at_level[at_level["code"].isin(under)]
    return sorted(at_level["code"])


def goal_panel(tables: Tables, registry: Registry, settings: Settings, ancestor: str, level: str,
               first: pd.Period, last: pd.Period) -> pd.DataFrame:
    """(region_code, month) × goal ids, as ipmetrics.panel.goal_panel(...).values."""
    peers = peers_of(tables, ancestor, level)
    links = tables.closure[tables.closure["ancestor"].isin(peers)][["ancestor", "descendant"]]
    leaves = set(links["descendant"])
    windows = [pd.Period(getattr(settings, g.compute.since), freq="M") for g in registry.goals if g.compute.since]
    start = min([first] + [w - 1 for w in windows])
    months = pd.period_range(start, last, freq="M")
    index = pd.MultiIndex.from_product([peers, months], names=["ancestor", "month"])
    loaded = {name for name in ("trademarks", "patents", "pledges", "enterprises") if len(getattr(tables, name))}

    needed = {g.compute.numerator_for(settings) for g in registry.goals} | {
        g.compute.denominator_for(settings) for g in registry.goals if g.compute.denominator}
    amounts = {}
    for measure, (frame, source) in _items(tables, needed, leaves).items():
        amounts[measure] = (_monthly_amounts(frame, links, months).reindex(index, fill_value=0.0)
                            if source in loaded else pd.Series(np.nan, index=index))
    population = _population(tables, peers, links, index)

    values = pd.DataFrame(index=index)
    for goal in registry.goals:
        since = pd.Period(getattr(settings, goal.compute.since), freq="M") if goal.compute.since else None

        def series(name):
            if name.startswith("population_"):
                return population[name.removeprefix("population_")]
            amount = amounts[name]
            if since is None:
                return amount
            month = amount.index.get_level_values("month")
            before = amount[month == since - 1].droplevel("month")
            shifted = amount - before.reindex(amount.index.get_level_values("ancestor")).fillna(0.0).to_numpy()
            return shifted.where(month >= since, 0.0)

        value = series(goal.compute.numerator_for(settings))
        if goal.compute.denominator:
            below = series(goal.compute.denominator_for(settings))
            value = value / below.where(below > 0)
        values[goal.id] = value * goal.compute.scale

    reported = tables.reported[tables.reported["region_code"].isin(peers)]
    for row in reported.itertuples():  # a handful of reported figures at most
        key = (row.region_code, pd.Period(row.month, freq="M"))
        if row.indicator in values.columns and key in values.index:
            values.loc[key, row.indicator] = row.value
    values.index = values.index.set_names(["region_code", "month"])
    return values[values.index.get_level_values("month") >= first]


def _population(tables: Tables, peers: list[str], links: pd.DataFrame, index: pd.MultiIndex) -> pd.DataFrame:
    """Each peer's own yearly figure, else the sum of its lowest regions; the latest year not after a month's."""
    pop = tables.population.copy()
    pop["region_code"] = pop["region_code"].astype(str)
    parents = set(tables.regions["parent_code"].dropna())
    result = pd.DataFrame(index=index)
    for basis in ("resident", "registered"):
        own = pop[pop["region_code"].isin(peers)].dropna(subset=[basis])
        own = own.rename(columns={"region_code": "ancestor"}).groupby(["ancestor", "year"])[basis].sum()
        lowest = pop[~pop["region_code"].isin(parents)].merge(links, left_on="region_code", right_on="descendant")
        lowest = lowest[lowest["region_code"] != lowest["ancestor"]].dropna(subset=[basis])
        summed = lowest.groupby(["ancestor", "year"])[basis].sum()
        yearly = own.combine_first(summed).reset_index().astype({"year": "int64"}).sort_values("year")
        wanted = pd.DataFrame({"ancestor": index.get_level_values("ancestor"),
                               "year": index.get_level_values("month").year.astype("int64")})
        wanted["order"] = np.arange(len(wanted))
        yearly["ancestor"] = yearly["ancestor"].astype(object)
        wanted["ancestor"] = wanted["ancestor"].astype(object)
        merged = pd.merge_asof(wanted.sort_values("year"), yearly, on="year", by="ancestor", direction="backward")
        result[basis] = merged.sort_values("order")[basis].to_numpy()
    return result
