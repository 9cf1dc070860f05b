"""奖励测算: what the cash rewards of article 十 (罗政〔2021〕28号 第（十）条) cost the county.

Each reward rule of data/indicators.toml pays so much (rate_wan, 万元) per event of the reward_events
view: a firm newly designated a national or provincial IP-strong enterprise, a patent granted abroad, a
Chinese invention patent granted. Money owed in a year = events in that year × the rule's rate.

Only `reward_events` reads the store; the rest are pure functions of the events, the rules and the rates.
The rates are always passed in explicitly (`default_rates` gives the registry's), so a page can try
others. Years run from the series start to the as-of month; the as-of year is counted up to the end of
the as-of month and labelled “截至X月” unless the as-of month is December.

A policy pays only for what happens once it is in force: with the goal file's `policy_effective`
(罗政〔2021〕28号 was issued on 2021-12-15) events before that day are left out — counted apart, so the page
can say how many — and the years start with the effective year (labelled “12月15日起” when the day is not
1 January). Without it every event counts, as in other regions' files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Iterable, Mapping, Sequence

import pandas as pd

from ipmetrics.core import periods
from ipmetrics.core.goals import Registry, RewardRule
from ipmetrics.core.settings import Settings
from ipmetrics.core.store import Store

PROJECTION_YEARS = 3          # the trend of the last three complete years
REGION_NAME = "所在乡镇（街道）"
EVENT_COLUMNS = ["event", "record_key", "beneficiary", "title", "region_code", "region_name", "event_on"]


# --- reading ---------------------------------------------------------------------------------------
def reward_events(store: Store, region: str, start: date, end: date) -> pd.DataFrame:
    """The reward events of `region` and everything under it between two dates (both included).

    Columns: event, record_key, beneficiary, title, region_code, region_name, event_on (Timestamp), year.
    """
    frame = store.frame("reward_events", region=region, start=start, end=end)
    frame = frame[EVENT_COLUMNS].copy()
    frame["event_on"] = pd.to_datetime(frame["event_on"])
    frame["year"] = frame["event_on"].dt.year.astype("int64")
    return frame.reset_index(drop=True)


def events_through(store: Store, region: str, first_year: int, as_of: pd.Period) -> pd.DataFrame:
    """The reward events from 1 January of `first_year` to the end of the as-of month."""
    return reward_events(store, region, date(first_year, 1, 1), periods.month_end(as_of))


def split_at(events: pd.DataFrame, effective: date | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events counted (on or after `effective`) and those left out (before it); all counted without it."""
    if effective is None:
        return events, events.iloc[0:0]
    before = events["event_on"] < pd.Timestamp(effective)
    return events[~before].reset_index(drop=True), events[before].reset_index(drop=True)


def budget_in_force(store: Store, registry: Registry, settings: Settings, region: str,
                    as_of: pd.Period) -> tuple[pd.DataFrame, Budget]:
    """The events counted and the budget at the registry's rates, from its effective date when it has one."""
    start = first_year(settings)
    counted, left_out = split_at(events_through(store, region, start, as_of), registry.policy_effective)
    return counted, budget(counted, registry.rewards, default_rates(registry), start, as_of,
                           registry.policy_effective, left_out)


# --- rates and words -------------------------------------------------------------------------------
def first_year(settings: Settings) -> int:
    """The first year counted: that of the series start (IPMETRICS_SERIES_START)."""
    return pd.Period(settings.series_start, freq="M").year


def default_rates(registry: Registry) -> dict[str, float]:
    """Rule id → 万元 per event, as the registry (data/indicators.toml) declares them."""
    return {rule.id: float(rule.rate_wan) for rule in registry.rewards}


def format_wan(value: float) -> str:
    """An amount in 万元 rounded half up to two decimals, trailing zeros dropped: 16.5, 10, 1,234.25."""
    rounded = Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def rates_text(rules: Sequence[RewardRule], rates: Mapping[str, float]) -> str:
    """The rates in force in one sentence: “新认定国家级知识产权强企每家 10 万元；……”."""
    return "；".join(f"{rule.name}每{rule.per} {format_wan(rates[rule.id])} 万元" for rule in rules)


def rate_label(rule: RewardRule, rates: Mapping[str, float]) -> str:
    """“10 万元/家”: a rule's rate as a table shows it."""
    return f"{format_wan(rates[rule.id])} 万元/{rule.per}"


def last_complete_year(as_of: pd.Period) -> int:
    return as_of.year if as_of.month == 12 else as_of.year - 1


def year_label(year: int, as_of: pd.Period, effective: date | None = None) -> str:
    """“2020年”, “2021年（截至6月）” for the year still in progress at the as-of month, “2021年（12月15日起）” for
    the year the policy took effect in (not on 1 January), or both: “2022年（3月1日起，截至6月）”."""
    parts = []
    if effective is not None and year == effective.year and (effective.month, effective.day) != (1, 1):
        parts.append(f"{effective.month}月{effective.day}日起")
    if year == as_of.year and as_of.month != 12:
        parts.append(f"截至{as_of.month}月")
    return f"{year}年" + (f"（{'，'.join(parts)}）" if parts else "")


# --- the yearly budget -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Budget:
    """Per year and rule: how many events, and what they cost at the given rates."""

    rules: tuple[RewardRule, ...]
    rates: dict[str, float]
    counts: pd.DataFrame     # index: year (int), columns: rule ids, values: event counts
    as_of: pd.Period
    effective: date | None = None                      # events before it are not counted
    left_out: dict[str, int] = field(default_factory=dict)  # rule id → events before `effective`

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.counts.index]

    @property
    def left_out_total(self) -> int:
        return sum(self.left_out.values())

    def rule_text(self) -> str | None:
        """The rule of the effective date in one sentence, with what it leaves out; None without a date."""
        if self.effective is None:
            return None
        text = f"奖励按政策印发之日（{periods.day_label(self.effective)}）起发生的事项计算"
        if self.left_out_total:
            items = "、".join(f"{rule.name} {self.left_out[rule.id]} {rule.per}" for rule in self.rules
                             if self.left_out.get(rule.id))
            text += f"；此前的 {self.left_out_total} 项事项未计入（{items}）"
        return text + "。"

    @property
    def _cut_in_years(self) -> bool:
        return self.effective is not None and self.effective.year in self.years

    @property
    def since_label(self) -> str:
        """“2019年” or, from an effective date, “2021年12月15日”: where the grand total starts."""
        return periods.day_label(self.effective) if self._cut_in_years \
            else f"{self.years[0] if self.years else self.as_of.year}年"

    def start_text(self) -> str:
        """“2019年1月” or “2021年12月15日”: the first day counted, as a sentence says it."""
        return periods.day_label(self.effective) if self._cut_in_years \
            else f"{self.years[0] if self.years else self.as_of.year}年1月"

    @property
    def amounts(self) -> pd.DataFrame:
        """万元 per year and rule: count × rate."""
        return self.counts.astype(float).mul(pd.Series(self.rates)[self.counts.columns], axis=1)

    @property
    def totals(self) -> pd.Series:
        """万元 per year, all rules together."""
        return self.amounts.sum(axis=1)

    @property
    def grand_total(self) -> float:
        """万元 over every year shown."""
        return float(self.totals.sum())

    @property
    def has_events(self) -> bool:
        return bool(self.counts.to_numpy().sum() > 0)

    def label(self, year: int) -> str:
        return year_label(year, self.as_of, self.effective)

    def complete(self, year: int) -> bool:
        """Whether the whole year is counted: ended by the as-of month, and not cut by the effective date."""
        cut = self.effective is not None and year == self.effective.year and \
            (self.effective.month, self.effective.day) != (1, 1)
        return year <= last_complete_year(self.as_of) and not cut

    def total(self, year: int) -> float:
        return float(self.totals.get(year, 0.0))


def yearly_counts(events: pd.DataFrame, rules: Sequence[RewardRule], first_year: int,
                  as_of: pd.Period) -> pd.DataFrame:
    """Events per year (first_year … the as-of year, up to the as-of month) and rule; every year present."""
    end = as_of.to_timestamp(how="end")
    years = list(range(first_year, as_of.year + 1))
    counted = events[(events["event_on"] <= end) & events["year"].between(first_year, as_of.year)]
    columns = {}
    for rule in rules:
        per_year = counted.loc[counted["event"] == rule.event, "year"].value_counts()
        columns[rule.id] = per_year.reindex(years, fill_value=0).astype("int64")
    frame = pd.DataFrame(columns, index=pd.Index(years, name="year"))
    return frame.reindex(columns=[rule.id for rule in rules]).fillna(0).astype("int64")


def budget(events: pd.DataFrame, rules: Sequence[RewardRule], rates: Mapping[str, float], first_year: int,
           as_of: pd.Period, effective: date | None = None, left_out: pd.DataFrame | None = None) -> Budget:
    """The yearly budget of `events` (already cut at `effective`, see split_at); the years start at the later
    of `first_year` and the effective year. `left_out` are the events before `effective`, counted per rule."""
    missing = [rule.id for rule in rules if rule.id not in rates]
    if missing:
        raise KeyError(f"没有奖励标准：{'、'.join(missing)}")
    start = first_year
    if effective is not None:  # no year at all while the as-of month ends before the policy took effect
        start = max(first_year, effective.year if periods.month_end(as_of) >= effective else as_of.year + 1)
    before = {} if left_out is None else {rule.id: int((left_out["event"] == rule.event).sum()) for rule in rules}
    return Budget(rules=tuple(rules), rates={rule.id: float(rates[rule.id]) for rule in rules},
                  counts=yearly_counts(events, rules, start, as_of), as_of=as_of, effective=effective,
                  left_out=before)


def yearly_table(b: Budget) -> pd.DataFrame:
    """Rules × years for display and download: per year the count and the 万元; a 合计 row (events, 万元)."""
    counts, amounts = b.counts, b.amounts
    rows = []
    for rule in b.rules:
        row = {"奖励项目": rule.name, "单位": rule.per, "标准": rate_label(rule, b.rates)}
        for year in b.years:
            row[f"{b.label(year)} 数量"] = int(counts.at[year, rule.id])
            row[f"{b.label(year)} 金额（万元）"] = round(float(amounts.at[year, rule.id]), 4)
        rows.append(row)
    total = {"奖励项目": "合计", "单位": "项", "标准": ""}
    for year in b.years:
        total[f"{b.label(year)} 数量"] = int(counts.loc[year].sum())
        total[f"{b.label(year)} 金额（万元）"] = round(float(b.totals[year]), 4)
    rows.append(total)
    return pd.DataFrame(rows)


# --- who gets what ---------------------------------------------------------------------------------
DETAIL_COLUMNS = ["受益人", "奖励项目", "金额（万元）", "记录号", "名称", REGION_NAME, "日期", "发放对象"]


def year_detail(events: pd.DataFrame, rules: Sequence[RewardRule], rates: Mapping[str, float],
                year: int) -> pd.DataFrame:
    """One row per reward of `year`: the beneficiary, the rule, the record it is for and the 万元.

    Sorted by beneficiary, then date. The beneficiary of a patent reward is the patent holder (the records
    name no inventor), so the 发放对象 column says to whom the rule actually pays.
    """
    by_event = {rule.event: rule for rule in rules}
    chosen = events[(events["year"] == year) & events["event"].isin(by_event)]
    chosen = chosen.sort_values(["beneficiary", "event_on", "record_key"], kind="stable")
    rule_of = chosen["event"].map(by_event)
    detail = pd.DataFrame({
        "受益人": chosen["beneficiary"].astype(str),
        "奖励项目": rule_of.map(lambda r: r.name),
        "发放对象": rule_of.map(lambda r: r.payee),
        "记录号": chosen["record_key"].astype(str),
        "名称": chosen["title"].astype(str),
        REGION_NAME: chosen["region_name"].fillna(chosen["region_code"]).astype(str),
        "日期": chosen["event_on"].dt.strftime("%Y-%m-%d"),
        "金额（万元）": rule_of.map(lambda r: float(rates[r.id])),
    }, columns=DETAIL_COLUMNS)
    return detail.reset_index(drop=True)


def detail_note(detail: pd.DataFrame, label: str) -> str:
    """What a year's detail adds up to, and who the patent rewards really go to."""
    note = (f"{label}共 {len(detail)} 项奖励、{detail['受益人'].nunique()} 个受益人，"
            f"合计 {format_wan(detail['金额（万元）'].sum())} 万元。")
    if detail["发放对象"].str.contains("发明人").any():
        note += "专利奖励按政策发给发明人；记录中只有专利权人，表中列出专利权人，发放前请核实发明人。"
    return note


def beneficiary_totals(detail: pd.DataFrame) -> pd.DataFrame:
    """Per beneficiary the number of rewards and the 万元, largest first (ties by name)."""
    grouped = detail.groupby("受益人", sort=True).agg(项数=("记录号", "size"), 金额=("金额（万元）", "sum"))
    grouped = grouped.rename(columns={"金额": "金额（万元）"}).reset_index()
    return grouped.sort_values(["金额（万元）", "受益人"], ascending=[False, True], kind="stable",
                               ignore_index=True)


# --- what if: next year ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Projection:
    """A rule's count for `year` from the least-squares line through the counts of `basis_years`."""

    rule_id: str
    year: int
    basis_years: tuple[int, ...]
    basis_counts: tuple[int, ...]
    trend: float | None    # the line read at `year`; None without any complete year
    count: int             # rounded half up to a whole event, never below 0

    def explained(self) -> str:
        if not self.basis_years:
            return "没有完整年度的数据，默认为 0"
        pairs = "、".join(f"{y}年 {c}" for y, c in zip(self.basis_years, self.basis_counts))
        if len(self.basis_years) == 1:
            return f"只有一个完整年度（{pairs}），沿用该年数量"
        return f"按 {pairs} 的直线趋势外推，得 {self.trend:.2f}，取整且不低于 0"


def project_count(series: pd.Series, year: int, window: int = PROJECTION_YEARS, rule_id: str = "") -> Projection:
    """Least squares over the last `window` values of a yearly series (index: year), read at `year`.

    One value gives a flat line; none gives 0. The result is rounded half up and never below 0.
    """
    known = series.dropna().sort_index()
    known = known[known.index < year].iloc[-window:]
    years = tuple(int(y) for y in known.index)
    counts = tuple(int(c) for c in known.to_numpy())
    if not years:
        return Projection(rule_id, year, years, counts, None, 0)
    # Exact arithmetic (whole years, whole counts), so a trend of exactly 2.5 rounds to 3, not 2.
    mean_x = Fraction(sum(years), len(years))
    mean_y = Fraction(sum(counts), len(counts))
    spread = sum((x - mean_x) ** 2 for x in years)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(years, counts)) / spread if spread else Fraction(0)
    trend = mean_y + slope * (year - mean_x)
    whole = int((trend + Fraction(1, 2)) // 1)  # half up
    return Projection(rule_id, year, years, counts, float(trend), max(0, whole))


def next_year(as_of: pd.Period) -> int:
    """The year the what-if is for: the one after the as-of year."""
    return as_of.year + 1


def projected_counts(b: Budget, window: int = PROJECTION_YEARS) -> dict[str, Projection]:
    """Per rule, next year's count from the trend of the last complete years (the as-of year counts
    only when the as-of month is December; the year the policy took effect in only from 1 January)."""
    complete = b.counts[[b.complete(int(year)) for year in b.counts.index]]
    target = next_year(b.as_of)
    return {rule.id: project_count(complete[rule.id], target, window, rule.id) for rule in b.rules}


def what_if_lines(rules: Sequence[RewardRule], rates: Mapping[str, float],
                  counts: Mapping[str, float]) -> pd.DataFrame:
    """Per rule: the rate, the count and the 万元 they make, with a 合计 row."""
    rows = [{"奖励项目": rule.name, "单位": rule.per, "标准": rate_label(rule, rates),
             "数量": int(counts[rule.id]), "金额（万元）": float(rates[rule.id]) * int(counts[rule.id])}
            for rule in rules]
    rows.append({"奖励项目": "合计", "单位": "项", "标准": "",
                 "数量": sum(r["数量"] for r in rows), "金额（万元）": what_if_total(rules, rates, counts)})
    return pd.DataFrame(rows)


def what_if_total(rules: Iterable[RewardRule], rates: Mapping[str, float], counts: Mapping[str, float]) -> float:
    """Σ rate × count over the rules, in 万元."""
    return float(sum(float(rates[rule.id]) * int(counts[rule.id]) for rule in rules))
