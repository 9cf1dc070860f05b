"""台账: the named records behind a figure — which marks, patents, contracts or firms — for a region and
month, so every count on the dashboard can be checked one record at a time."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipmetrics.core import labels, periods
from ipmetrics.core.goals import Goal, Registry
from ipmetrics.core.measures import MEASURE_SOURCE, load_region_data
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store
from ipmetrics.io.schemas import KINDS

EARLIEST = pd.Period("1900-01", freq="M")
REGION_NAME = "所在乡镇（街道）"


@dataclass(frozen=True)
class Ledger:
    title: str
    records: pd.DataFrame   # Chinese headers, one row per record
    note: str               # what the list adds up to, and how the figure is formed from it
    file_stem: str          # for downloads: "2025-12_罗山县_商标注册总量_台账"


def measure_records(store: Store, measure: str, region: str, as_of: pd.Period,
                    since: pd.Period | None = None) -> pd.DataFrame:
    """The records of `measure` in force at the end of `as_of` (started from `since` on), raw columns."""
    source = MEASURE_SOURCE[measure]
    return store.frame(f"ledger_{source}", measure=measure, region=region, as_of=periods.month_end(as_of),
                       since=(since or EARLIEST).to_timestamp().date())


def display(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Records with Chinese headers and words: the form a ledger is read and downloaded in."""
    frame = frame.copy()
    for column in frame.columns:
        if column.endswith(("_on", "_until")):
            frame[column] = pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d").fillna("")
    replacements = {"mark_type": labels.MARK_TYPE_LABEL, "patent_type": labels.PATENT_TYPE_LABEL}
    for column, words in replacements.items():
        if column in frame:
            frame[column] = frame[column].map(words).fillna(frame[column])
    for column in ("is_gi", "high_tech", "tech_sme", "high_value"):
        if column in frame:
            frame[column] = frame[column].map(labels.YES_NO)
    names = {**KINDS[source].labels, "region_name": REGION_NAME}
    frame = frame.drop(columns=[c for c in ("region_code",) if c in frame])
    return frame.rename(columns=names)


def reported_ledger(store: Store, goal: Goal, region: str, region_name: str, as_of: pd.Period) -> Ledger:
    """A reported-only goal has no records behind it: its ledger is the figures the office reported, one row
    per period of the goal's frequency up to the one shown as of `as_of` (newest first)."""
    shown = periods.latest_ended(as_of, goal.frequency)
    reported = load_region_data(store, region).reported
    reported = reported[reported["indicator"] == goal.id]
    own = [periods.period(m, goal.frequency) for m in reported["month"]]
    # A period's figure is the one at its last month (scorecard.own_periods reads the same rows).
    at_end = [periods.end_month(p) == m for p, m in zip(own, reported["month"])]
    figures = pd.Series(reported["value"].to_numpy()[at_end],
                        index=pd.PeriodIndex([p for p, end in zip(own, at_end) if end],
                                             dtype=f"period[{periods.PANDAS_FREQ[goal.frequency]}]"))
    figures = figures[figures.index <= shown].sort_index(ascending=False)
    office = goal.reported_by or "上报单位未写明"
    records = pd.DataFrame({
        PERIOD_NAME[goal.frequency]: [periods.period_label(p) for p in figures.index],
        f"上报数值（{goal.unit}）": figures.round(goal.decimals + 2).to_numpy(),
        "上报单位": office,
    })
    latest = (f"{periods.period_label(shown)}为 {goal.format_value(figures[shown])} {goal.unit}"
              if shown in figures.index else f"{periods.period_label(shown)}未上报")
    count = f"共 {len(figures)} 期，{latest}" if len(figures) else f"{region_name}没有上报数值"
    note = f"该指标的数值为上报数值（上报单位：{office}），没有构成数值的明细记录；{count}"
    return Ledger(f"上报数值：{goal.name_zh} · {region_name} · 截至{periods.period_label(shown)}", records, note,
                  f"{as_of}_{region_name}_{goal.label}_上报数值")


PERIOD_NAME = {"month": "月份", "quarter": "季度", "year": "年度"}


def goal_ledger(store: Store, registry: Registry, settings: Settings, goal_id: str, region: str,
                region_name: str, as_of: pd.Period) -> Ledger:
    """The records behind a goal's figure for a region at the end of `as_of`; for a goal that is only
    reported, the reported figures instead (reported_ledger)."""
    goal = registry.goal(goal_id)
    compute = goal.compute
    if compute is None:
        return reported_ledger(store, goal, region, region_name, as_of)
    since = pd.Period(getattr(settings, compute.since), freq="M") if compute.since else None
    measure = compute.numerator_for(settings)
    source = MEASURE_SOURCE[measure]
    stem = f"{as_of}_{region_name}_{goal.label}_台账"
    title = f"台账：{goal.name_zh} · {region_name} · {periods.month_end_label(as_of)}"
    records = measure_records(store, measure, region, as_of, since)
    fmt = goal.format_value

    if goal.kind == "share":
        # The list is the denominator (every eligible firm), each marked certified or not.
        denominator = compute.denominator_for(settings)
        eligible = measure_records(store, denominator, region, as_of)
        certified = set(records[KINDS[source].key[0]])
        eligible.insert(0, "certified", eligible[KINDS[source].key[0]].isin(certified).map(labels.YES_NO))
        shown = display(eligible, source).rename(columns={"certified": "截至月底已贯标"})
        share = len(certified) / len(eligible) * compute.scale if len(eligible) else None
        note = (f"高新技术企业、科技型中小企业共 {len(eligible)} 家，其中已贯标 {len(certified)} 家，"
                f"覆盖率 {fmt(share)}{goal.unit}")
        return Ledger(title, shown, note, stem)

    note = f"共 {len(records):,} 条"
    if goal.kind == "amount" and "amount_wan" in records:
        note += f"，合计 {records['amount_wan'].sum():,.2f} 万元"
    data = load_region_data(store, region)
    if compute.denominator:
        basis = settings.population_basis
        by_year = data.population[basis].dropna()
        known = by_year[by_year.index <= as_of.year]
        if known.empty:
            note += f"；没有 {as_of.year} 年及以前的{settings.label('population_basis')}数据，无法计算比率"
        else:
            note += (f"；{settings.label('population_basis')} {known.iloc[-1]:,.0f} 人（{known.index[-1]}年），"
                     f"{len(records)} ÷ {known.iloc[-1] / 10000:,.4f} 万人 = {fmt(len(records) / known.iloc[-1] * 1e4)}")
    if since is not None:
        note += f"；自 {periods.month_label(since)}起累计"
    reported = data.reported[(data.reported["indicator"] == goal.id) & (data.reported["month"] == as_of)]
    if not reported.empty:
        note += f"。注意：本月采用上报数值 {fmt(reported['value'].iloc[0])}，与明细合计可能不同"
    return Ledger(title, display(records, source), note, stem)


def measure_ledger(store: Store, measure: str, region: str, region_name: str, as_of: pd.Period,
                   what: str, since: pd.Period | None = None) -> Ledger:
    """The records of any measure (not only a goal's), e.g. the marks registered in one month:
    trademarks_cumulative with `since` = that month."""
    source = MEASURE_SOURCE[measure]
    records = measure_records(store, measure, region, as_of, since)
    note = f"共 {len(records):,} 条"
    if "amount_wan" in records:
        note += f"，合计 {records['amount_wan'].sum():,.2f} 万元"
    return Ledger(f"台账：{what} · {region_name} · {periods.month_end_label(as_of)}", display(records, source),
                  note, f"{as_of}_{region_name}_{what}_台账")
